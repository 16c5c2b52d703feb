//! Authentication (the `Caller` extractor) and tenant resolution.
//!
//! `Caller` only verifies the credential. Entering a tenant reads the
//! caller's membership from the store together with whatever items the
//! handler needs, in one batch get, and yields a [`TenantContext`].

pub mod jwt;
pub mod rbac;

use axum::extract::FromRequestParts;
use axum::http::header;
use axum::http::request::Parts;

use crate::app::AppState;
use crate::domain::audit::AuditEvent;
use crate::domain::member::{Member, Membership};
use crate::domain::org::Org;
use crate::domain::roles;
use crate::domain::user::UserProfile;
use crate::error::ApiError;
use crate::http::{RequestMeta, SharedNotes, X_ORG_ID};
use crate::ratelimit::{Plan, RouteClass, Subject};
use crate::store::{Item, Key, Query};
use crate::tenant::{OrgId, Principal, TenantContext, TenantId};
use crate::user::{Email, UserId};
use rbac::Permission;

/// An authenticated caller whose tenant is not resolved yet.
#[derive(Debug, Clone)]
pub struct Caller {
    pub user: UserId,
    pub email: Option<Email>,
    /// The org the credential names: the token's `org_id` claim, else `X-Org-Id`.
    org_hint: Option<OrgId>,
    /// Whether the hint came from the token (then it binds every request).
    org_from_token: bool,
    pub meta: RequestMeta,
    notes: Option<SharedNotes>,
}

/// The items a handler asked for, read in the same batch as the membership.
pub type Fetched = Vec<Option<Item>>;

fn bearer(parts: &Parts) -> Result<&str, ApiError> {
    let value = parts
        .headers
        .get(header::AUTHORIZATION)
        .ok_or_else(|| ApiError::unauthenticated("missing_credentials", "send `Authorization: Bearer <token>`"))?;
    let value = value
        .to_str()
        .map_err(|_| ApiError::unauthenticated("invalid_token", "the Authorization header is not ASCII"))?;
    let (scheme, token) =
        value.split_once(' ').ok_or_else(|| ApiError::unauthenticated("invalid_token", "use the Bearer scheme"))?;
    if !scheme.eq_ignore_ascii_case("bearer") || token.trim().is_empty() {
        return Err(ApiError::unauthenticated("invalid_token", "use the Bearer scheme"));
    }
    Ok(token.trim())
}

impl FromRequestParts<AppState> for Caller {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, Self::Rejection> {
        let claims =
            state.jwt.verify(bearer(parts)?).map_err(|e| ApiError::unauthenticated(e.code(), e.to_string()))?;
        let user = UserId::parse(&claims.sub)
            .map_err(|_| ApiError::unauthenticated("invalid_token", "the token's `sub` is not a valid user id"))?;
        let email = claims.email.as_deref().and_then(|e| Email::parse(e).ok());
        let claim_org = claims
            .org_id
            .as_deref()
            .map(OrgId::parse)
            .transpose()
            .map_err(|_| ApiError::unauthenticated("invalid_token", "the token's `org_id` is not an org id"))?;
        let header_org = parts
            .headers
            .get(&X_ORG_ID)
            .map(|v| v.to_str().ok().and_then(|v| OrgId::parse(v.trim()).ok()))
            .map(|parsed| parsed.ok_or_else(|| ApiError::field("header.x-org-id", "must be an org id (org_…)")))
            .transpose()?;
        let meta = parts.extensions.get::<RequestMeta>().cloned().unwrap_or_else(|| RequestMeta {
            request_id: format!("req_{}", ulid::Ulid::new().to_string().to_lowercase()),
            request_line: format!("{} {}", parts.method, parts.uri.path()),
            ip: None,
            user_agent: None,
        });
        let principal = Principal::User { id: user.clone(), email: email.clone() };
        if let (Some(claim), Some(header)) = (&claim_org, &header_org)
            && claim != header
        {
            AuditEvent::denied(claim, &principal, &meta, header).record_alone(state.store.as_ref()).await;
            return Err(ApiError::Forbidden {
                code: "cross_tenant_denied",
                detail: "this credential belongs to another organization than X-Org-Id names".into(),
            });
        }
        let notes = parts.extensions.get::<SharedNotes>().cloned();
        if let Some(fields) = &notes
            && let Ok(mut fields) = fields.lock()
        {
            fields.principal = Some(user.to_string());
        }
        Ok(Caller { user, email, org_from_token: claim_org.is_some(), org_hint: claim_org.or(header_org), meta, notes })
    }
}

impl Caller {
    pub fn principal(&self) -> Principal {
        Principal::User { id: self.user.clone(), email: self.email.clone() }
    }

    fn log_tenant(&self, tenant: &TenantId) {
        if let Some(fields) = &self.notes
            && let Ok(mut fields) = fields.lock()
        {
            fields.tenant = Some(tenant.to_string());
        }
    }

    /// Enters the tenant the credential names (token claim, `X-Org-Id`, or the
    /// caller's only org) with `permission`, reading the membership and the
    /// keys `extra` builds in one batch.
    pub async fn tenant(
        &self,
        state: &AppState,
        permission: Permission,
        extra: impl FnOnce(&TenantId) -> Vec<Key>,
    ) -> Result<(TenantContext, Fetched), ApiError> {
        let org = match &self.org_hint {
            Some(org) => org.clone(),
            None => self.only_org(state).await?,
        };
        let not_member =
            ApiError::Forbidden { code: "not_a_member", detail: format!("you are not a member of organization {org}") };
        self.enter(state, org, permission, extra, not_member).await
    }

    /// Enters the org a path names. Not being a member of it (or the token
    /// being bound to another org) is 404: ids of other tenants do not exist.
    pub async fn org(
        &self,
        state: &AppState,
        org: &OrgId,
        permission: Permission,
        extra: impl FnOnce(&TenantId) -> Vec<Key>,
    ) -> Result<(TenantContext, Fetched), ApiError> {
        let not_found = ApiError::NotFound { resource: "organization" };
        if let Some(own) = self.org_hint.as_ref().filter(|own| self.org_from_token && *own != org) {
            AuditEvent::denied(own, &self.principal(), &self.meta, org).record_alone(state.store.as_ref()).await;
            return Err(not_found);
        }
        self.enter(state, org.clone(), permission, extra, not_found).await
    }

    async fn only_org(&self, state: &AppState) -> Result<OrgId, ApiError> {
        let page = state.store.query(&Membership::query_for(&self.user).limit(2)).await?;
        let mut orgs = page.items.iter().map(|i| i.parse::<Membership>().map(|m| m.org_id));
        match (orgs.next(), orgs.next()) {
            (Some(org), None) => Ok(org?),
            (None, _) => Err(ApiError::bad_request(
                "org_required",
                "you are not a member of any organization yet; create one with POST /v1/orgs",
            )),
            (Some(_), Some(_)) => Err(ApiError::bad_request(
                "org_required",
                "you belong to several organizations; name one with the X-Org-Id header",
            )),
        }
    }

    async fn enter(
        &self,
        state: &AppState,
        org: OrgId,
        permission: Permission,
        extra: impl FnOnce(&TenantId) -> Vec<Key>,
        not_member: ApiError,
    ) -> Result<(TenantContext, Fetched), ApiError> {
        let mut keys =
            vec![Member::key(&org, &self.user), UserProfile::key(&self.user), roles::key(&org), Org::key(&org)];
        keys.extend(extra(&org));
        let mut items = state.store.batch_get(&keys).await?;
        let extra_items = items.split_off(4);
        self.ensure_profile_from(state, items[1].as_ref()).await?;
        let member: Member = items[0].as_ref().ok_or(not_member)?.parse()?;
        let role_set = roles::from_item(items[2].as_ref())?;
        let plan = items[3].as_ref().map(|i| i.parse::<Org>()).transpose()?.map(|o| o.plan).unwrap_or_default();
        self.log_tenant(&org);
        let ctx = TenantContext::new(org, self.principal(), member.role, role_set, self.meta.clone());
        ctx.require(permission)?;
        self.rate_limit(state, &ctx, plan).await?;
        Ok((ctx, extra_items))
    }

    /// Counts the request against the org's and the principal's limits; the
    /// edge turns the standing into `RateLimit` headers.
    async fn rate_limit(&self, state: &AppState, ctx: &TenantContext, plan: Plan) -> Result<(), ApiError> {
        let method = self.meta.request_line.split(' ').next().unwrap_or_default();
        let subject = Subject {
            tenant: ctx.tenant(),
            principal: ctx.principal().id(),
            class: RouteClass::of_method(method),
            plan,
        };
        let now_ms = chrono::Utc::now().timestamp_millis().max(0) as u64;
        let decision = match state.limiter.check(state.store.as_ref(), &subject, now_ms).await {
            Ok(decision) => decision,
            Err(error) => {
                tracing::warn!(%error, "rate limiter unavailable; failing open");
                return Ok(());
            }
        };
        let refused = (!decision.allowed()).then(|| ApiError::RateLimited {
            policy: decision.tightest().map_or("org", |s| s.name),
            retry_after: decision.retry_after(),
        });
        if let Some(notes) = &self.notes
            && let Ok(mut notes) = notes.lock()
        {
            notes.rate_limit = Some(decision);
        }
        refused.map_or(Ok(()), Err)
    }

    /// Creates the caller's user profile on their first authenticated
    /// request (for routes that enter no tenant).
    pub async fn ensure_profile(&self, state: &AppState) -> Result<(), ApiError> {
        let existing = state.store.batch_get(&[UserProfile::key(&self.user)]).await?;
        self.ensure_profile_from(state, existing[0].as_ref()).await
    }

    async fn ensure_profile_from(&self, state: &AppState, existing: Option<&Item>) -> Result<(), ApiError> {
        if existing.is_some() {
            return Ok(());
        }
        UserProfile::create(state.store.as_ref(), &self.user, self.email.as_ref()).await?;
        Ok(())
    }

    /// Where this credential's `Idempotency-Key` record lives: with the
    /// credential, per org the request names.
    pub fn idempotency_record_key(&self, idempotency_key: &str) -> Key {
        let org = self.org_hint.as_ref().map_or("-", |o| o.as_str());
        Key::user(&self.user, format!("IDEMPOTENCY#{org}#{idempotency_key}"))
    }

    /// The caller's memberships, one page at a time.
    pub fn memberships_query(&self) -> Query {
        Membership::query_for(&self.user)
    }
}
