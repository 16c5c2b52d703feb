//! Authentication (the `Caller` extractor) and tenant resolution.
//!
//! `Caller` only verifies the credential. Entering a tenant reads the
//! caller's membership from the store together with whatever items the
//! handler needs, in one batch get, and yields a [`TenantContext`].

pub mod jwt;
pub mod oidc;

use axum::extract::FromRequestParts;
use axum::http::header;
use axum::http::request::Parts;

use crate::base::error::Denial;
use crate::base::ids::{KeyId, ProjectId};
use crate::base::rbac::Permission;
use crate::base::request::RequestMeta;
use crate::base::tenant::{Authority, OrgId, Principal, TenantContext, TenantId};
use crate::base::user::{Email, UserId};
use crate::domain::apikey::{self, KeyType, Refusal, StoredKey, hash_token};
use crate::domain::audit::{AuditEvent, chain};
use crate::domain::guard::AuthAttempt;
use crate::domain::member::{Member, Membership};
use crate::domain::minimize;
use crate::domain::org::Org;
use crate::domain::ratelimit::{Decision, OrgLimits, Plan, RouteClass, Subject};
use crate::domain::roles;
use crate::domain::user::{self, UserProfile};
use crate::edge::AppState;
use crate::edge::error::ApiError;
use crate::edge::http::{RequestNotes, SharedNotes, X_API_KEY, X_ORG_ID, idempotency};
use crate::ports::store::{Item, Key, Page, Query, StoreError, tally};
use jwt::{TokenError, TokenUse};

/// The credential a request presented, verified.
#[derive(Debug, Clone)]
enum Credential {
    /// A JWT's subject, with what revocation is checked against.
    User { id: UserId, email: Option<Email>, issued_at: u64, jti: Option<String>, method: AuthMethod },
    /// An API key found by its token's hash (whether it still admits that
    /// token is decided with the key item, in the tenant batch), and its
    /// creator as the lookup names it (whose membership bounds the key).
    Key { id: KeyId, org: OrgId, token_hash: String, creator: Option<UserId> },
}

/// How a caller proved who it is, as `GET /v1/me` reports it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum AuthMethod {
    /// A development token (HS256, `cargo run -- token`).
    Development,
    /// An access token from the configured OIDC issuer.
    Oidc,
    /// An API key.
    ApiKey,
}

/// The front door a request came through. An `mcp` key opens only the MCP
/// gateway's: on a REST route it holds no permission.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Door {
    Rest,
    Mcp,
}

/// An authenticated caller whose tenant is not resolved yet.
#[derive(Debug, Clone)]
pub struct Caller {
    credential: Credential,
    /// The org the credential names: the key's org, the token's `org_id`
    /// claim, else `X-Org-Id`.
    org_hint: Option<OrgId>,
    /// Whether the credential itself is bound to `org_hint` (keys, tokens
    /// with `org_id`); then naming another org is a cross-tenant attempt.
    bound: bool,
    pub meta: RequestMeta,
    notes: Option<SharedNotes>,
    door: Door,
    /// Set while an MCP tool call runs its REST route in process, with the
    /// route's class: the request was counted against the rate limits and
    /// the key's usage when it came through the gateway, once more for a
    /// write (its own limit).
    tool_call: Option<RouteClass>,
    /// Counted, never refused, by the rate limits: the route that sets them
    /// (an owner who lowered them too far can always raise them again).
    limits_exempt: bool,
    /// What a failure of this credential is counted against.
    attempt: AuthAttempt,
}

/// The items a handler asked for, read in the same batch as the membership.
pub type Fetched = Vec<Option<Item>>;

fn now_ms() -> u64 {
    chrono::Utc::now().timestamp_millis().max(0) as u64
}

/// The presented secret: `X-API-Key`, else `Authorization: Bearer`.
fn presented(parts: &Parts) -> Result<&str, ApiError> {
    if let Some(key) = parts.headers.get(&X_API_KEY) {
        return key.to_str().map(str::trim).map_err(|_| ApiError::from(Refusal::Unknown.into_error()));
    }
    let value = parts.headers.get(header::AUTHORIZATION).ok_or_else(|| {
        ApiError::unauthenticated("missing_credentials", "send `Authorization: Bearer <token or API key>`")
    })?;
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

/// Verifies an access token: HS256 with the development secret (when that
/// is accepted), anything else with the OIDC issuer (when one is set). An
/// HS256 token never reaches the OIDC verifier, so an issuer's public key
/// can never be used as an HMAC secret.
async fn verify_access_token(state: &AppState, token: &str) -> Result<(jwt::Identity, AuthMethod), TokenError> {
    let header = jsonwebtoken::decode_header(token).map_err(|_| TokenError::Invalid)?;
    if header.alg == jsonwebtoken::Algorithm::HS256 {
        if !state.accepts_development_tokens() {
            return Err(TokenError::DevelopmentTokensOff);
        }
        let identity = state.jwt.verify_for(token, TokenUse::Access).map(jwt::Identity::from)?;
        return Ok((identity, AuthMethod::Development));
    }
    match &state.oidc {
        Some(oidc) => Ok((oidc.verify(token, header).await?, AuthMethod::Oidc)),
        None => Err(TokenError::Invalid),
    }
}

/// The refusal for a user naming an org (not by its path) they do not belong to.
fn not_a_member(org: &OrgId) -> ApiError {
    ApiError::Forbidden { code: "not_a_member", detail: format!("you are not a member of organization {org}") }
}

/// A JWT's user and the org its `org_id` claim binds it to.
async fn verify_jwt(state: &AppState, token: &str) -> Result<(Credential, Option<OrgId>), ApiError> {
    let (claims, method) = verify_access_token(state, token).await?;
    let now = chrono::Utc::now().timestamp().max(0) as u64;
    let issued_at = claims.issued_at_within(state.max_token_lifetime, now)?;
    let id = UserId::parse(&claims.sub)
        .map_err(|_| ApiError::unauthenticated("invalid_token", "the token's `sub` is not a valid user id"))?;
    let email = claims.email.as_deref().and_then(|e| Email::parse(e).ok());
    let org = claims
        .org_id
        .as_deref()
        .map(OrgId::parse)
        .transpose()
        .map_err(|_| ApiError::unauthenticated("invalid_token", "the token's `org_id` is not an org id"))?;
    Ok((Credential::User { id, email, issued_at, jti: claims.jti, method }, org))
}

/// The version a client pinned with `X-API-Version`, checked once it is
/// authenticated (a request without valid credentials is 401 whatever it
/// pins): one this server does not answer is 400. The value is not
/// repeated back.
fn check_version_pin(headers: &axum::http::HeaderMap) -> Result<(), ApiError> {
    use crate::edge::http::{API_VERSION, SUPPORTED_API_VERSIONS, X_API_VERSION};
    let Some(pinned) = headers.get(X_API_VERSION) else { return Ok(()) };
    if pinned.to_str().is_ok_and(|v| SUPPORTED_API_VERSIONS.contains(&v.trim())) {
        return Ok(());
    }
    Err(ApiError::bad_request(
        "unsupported_api_version",
        format!("this server answers API version {API_VERSION}; X-API-Version names another (docs/versioning.md)"),
    ))
}

/// An API key's token found by its hash (whether it still admits the token
/// is decided with the key item, in the tenant batch).
async fn verify_key(state: &AppState, token: &str) -> Result<(Credential, Option<OrgId>), ApiError> {
    let token_hash = hash_token(token);
    let lookup = state.key_lookup(&token_hash).await?.ok_or_else(|| ApiError::from(Refusal::Unknown.into_error()))?;
    let org = lookup.org_id;
    let creator = lookup.created_by.as_deref().and_then(|c| UserId::parse(c).ok());
    Ok((Credential::Key { id: lookup.key_id, org: org.clone(), token_hash, creator }, Some(org)))
}

/// Counts a refused credential against its address and key prefix (a
/// refusal that is not about the credential passes unchanged).
async fn auth_failed(state: &AppState, attempt: &AuthAttempt, refused: ApiError) -> ApiError {
    if matches!(refused, ApiError::Unauthenticated { .. })
        && let Err(error) = state.guard.failed(state.store.as_ref(), attempt, now_ms()).await
    {
        tracing::warn!(%error, "failed authentication not counted");
    }
    refused
}

/// Records a refusal in the org's log as `access.denied`, within the bound
/// per principal; the refusals past it are noted on the next one recorded.
pub async fn record_denial(state: &AppState, denial: &Denial) {
    let store = state.store.as_ref();
    let tenant = TenantId::acting_for(&denial.org);
    let admission = state.guard.admit_denial(store, &tenant, &denial.principal, now_ms()).await;
    if admission.record {
        AuditEvent::of_denial(denial, admission.suppressed).record_alone(store).await;
    }
}

impl FromRequestParts<AppState> for Caller {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, Self::Rejection> {
        // An MCP tool call hands its route the caller the gateway
        // authenticated (extensions are set by server code only).
        if let Some(caller) = parts.extensions.get::<Caller>() {
            return Ok(caller.clone());
        }
        let secret = presented(parts)?;
        let meta = parts.extensions.get::<RequestMeta>().cloned().unwrap_or_else(|| RequestMeta {
            request_id: RequestMeta::fresh_id(),
            request_line: format!("{} {}", parts.method, parts.uri.path()),
            ip: None,
            user_agent: None,
        });
        let key_type = KeyType::of_token(secret);
        let attempt = AuthAttempt::new(meta.ip.as_deref(), secret, key_type.map(KeyType::token_prefix));
        if let Some((policy, retry_after)) = state.guard.throttled(&attempt, now_ms()) {
            return Err(ApiError::RateLimited { policy, retry_after });
        }
        let verified = if key_type.is_some() {
            verify_key(state, secret).await
        } else if parts.headers.contains_key(&X_API_KEY) {
            Err(ApiError::from(Refusal::Unknown.into_error()))
        } else {
            verify_jwt(state, secret).await
        };
        let (credential, bound_org) = match verified {
            Ok(verified) => verified,
            Err(refused) => return Err(auth_failed(state, &attempt, refused).await),
        };
        let header_org = parts
            .headers
            .get(&X_ORG_ID)
            .map(|v| v.to_str().ok().and_then(|v| OrgId::parse(v.trim()).ok()))
            .map(|parsed| parsed.ok_or_else(|| ApiError::field("header.x-org-id", "must be an org id (org_…)")))
            .transpose()?;
        check_version_pin(&parts.headers)?;
        let caller = Caller {
            credential,
            bound: bound_org.is_some(),
            org_hint: bound_org.or(header_org.clone()),
            meta,
            notes: parts.extensions.get::<SharedNotes>().cloned(),
            door: Door::Rest,
            tool_call: None,
            limits_exempt: false,
            attempt,
        };
        if let (true, Some(own), Some(header)) = (caller.bound, &caller.org_hint, &header_org)
            && own != header
        {
            record_denial(state, &caller.cross_tenant(own, header)).await;
            return Err(ApiError::Forbidden {
                code: "cross_tenant_denied",
                detail: "this credential belongs to another organization than X-Org-Id names".into(),
            });
        }
        caller.note(|notes| notes.principal = Some(caller.principal().id().to_owned()));
        Ok(caller)
    }
}

/// The refusal of any credential but an `mcp` key at the MCP gateway.
fn mcp_key_required() -> ApiError {
    ApiError::unauthenticated(
        "mcp_key_required",
        "the MCP endpoint accepts only `mcp` API keys: send `Authorization: Bearer mcp_live_…`",
    )
}

impl Caller {
    /// Authenticates a request at the MCP gateway: an `mcp` key in
    /// `Authorization: Bearer`, nothing else (401 `mcp_key_required`).
    pub async fn at_mcp_gateway(parts: &mut Parts, state: &AppState) -> Result<Caller, ApiError> {
        if parts.headers.contains_key(&X_API_KEY) {
            return Err(mcp_key_required());
        }
        if KeyType::of_token(presented(parts)?) != Some(KeyType::Mcp) {
            return Err(mcp_key_required());
        }
        let caller = Caller::from_request_parts(parts, state).await?;
        Ok(Caller { door: Door::Mcp, ..caller })
    }

    /// Enters the key's org at the gateway: the key is checked (401 with
    /// its reason), the request counted against the rate limits (429) and
    /// in the key's usage. The context says what the key holds.
    pub async fn enter_gateway(&self, state: &AppState) -> Result<TenantContext, ApiError> {
        let (org, not_member) = self.named_org(state).await?;
        Ok(self.enter(state, org, None, |_| vec![], not_member).await?.0)
    }

    /// This caller, counted but never refused by the rate limits: for the
    /// route that sets them, so that limits set too low can be undone.
    pub fn exempt_from_limits(self) -> Caller {
        Caller { limits_exempt: true, ..self }
    }

    /// This caller running the REST route of an MCP tool call: `writes`
    /// says the route's class; `request_line` names the call in audit
    /// events.
    pub fn calling_tool(&self, writes: bool, request_line: String) -> Caller {
        let class = if writes { RouteClass::Write } else { RouteClass::Read };
        let meta = RequestMeta { request_line, ..self.meta.clone() };
        Caller { tool_call: Some(class), meta, ..self.clone() }
    }

    pub fn principal(&self) -> Principal {
        match &self.credential {
            Credential::User { id, email, .. } => Principal::User { id: id.clone(), email: email.clone() },
            Credential::Key { id, .. } => Principal::Key { id: id.clone(), name: None },
        }
    }

    /// The calling user, on routes only users may call (outside any org).
    /// An API key is 403 `outside_key_scope` there once it is known to be
    /// alive: a revoked, disabled, expired, rotated-out or deleted key is
    /// 401 with its reason here as on every other route, so no answer tells
    /// which keys once existed.
    pub async fn signed_in_user(&self, state: &AppState) -> Result<&UserId, ApiError> {
        if let Credential::Key { id, org, token_hash, .. } = &self.credential {
            let item = state.store.batch_get(&[StoredKey::key(&TenantId::acting_for(org), id)]).await?.pop().flatten();
            self.key_admits(state, org, id, token_hash, item.as_ref()).await?;
        }
        self.user()
    }

    /// The calling user; 403 for API keys (see [`Caller::signed_in_user`]).
    fn user(&self) -> Result<&UserId, ApiError> {
        match &self.credential {
            Credential::User { id, .. } => Ok(id),
            Credential::Key { org, .. } => Err(ApiError::Denied(Box::new(Denial {
                code: "outside_key_scope",
                detail: "API keys act inside their project; this route needs a user's token".into(),
                org: org.clone(),
                principal: self.principal(),
                meta: self.meta.clone(),
                permission: None,
                resource_type: "user",
                resource_id: None,
            }))),
        }
    }

    /// The refusal of this credential, bound to `own`, reaching `requested`.
    fn cross_tenant(&self, own: &OrgId, requested: &OrgId) -> Denial {
        Denial {
            code: "cross_tenant",
            detail: String::new(),
            org: own.clone(),
            principal: self.principal(),
            meta: self.meta.clone(),
            permission: None,
            resource_type: "org",
            resource_id: Some(requested.to_string()),
        }
    }

    /// Whether the key item found for this credential still admits its
    /// token. A refusal is counted against the attempt and recorded in the
    /// key's org as `auth.failed`.
    async fn key_admits(
        &self,
        state: &AppState,
        org: &OrgId,
        id: &KeyId,
        token_hash: &str,
        item: Option<&Item>,
    ) -> Result<StoredKey, ApiError> {
        let stored = item.map(|i| i.parse::<StoredKey>()).transpose()?;
        let refusal = match &stored {
            None => Refusal::Unknown,
            Some(stored) => match stored.admits(token_hash, chrono::Utc::now()) {
                Ok(()) => return Ok(stored.clone()),
                Err(refusal) => refusal,
            },
        };
        let refused = ApiError::from(refusal.into_error());
        AuditEvent::auth_failed(org, id, &self.meta, refused.code()).record_alone(state.store.as_ref()).await;
        Err(auth_failed(state, &self.attempt, refused).await)
    }

    fn note(&self, write: impl FnOnce(&mut RequestNotes)) {
        if let Some(notes) = &self.notes
            && let Ok(mut notes) = notes.lock()
        {
            write(&mut notes);
        }
    }

    /// Enters the tenant the credential names (the key's org, the token's
    /// claim, `X-Org-Id`, or the caller's only org) with `permission`,
    /// reading the membership or key and the keys `extra` builds in one batch.
    pub async fn tenant(
        &self,
        state: &AppState,
        permission: Permission,
        extra: impl FnOnce(&TenantId) -> Vec<Key>,
    ) -> Result<(TenantContext, Fetched), ApiError> {
        let (org, not_member) = self.named_org(state).await?;
        self.enter(state, org, Some(permission), extra, not_member).await
    }

    /// The org the credential names (the key's, the token's claim,
    /// `X-Org-Id`, or the caller's only org), and the refusal for not being
    /// a member of it.
    async fn named_org(&self, state: &AppState) -> Result<(OrgId, ApiError), ApiError> {
        let org = match &self.org_hint {
            Some(org) => org.clone(),
            None => self.only_org(state).await?,
        };
        let not_member = not_a_member(&org);
        Ok((org, not_member))
    }

    /// The refusal for not being a member of the org a path names: 404. A
    /// credential bound to another org is refused at once (and audited).
    async fn path_org(&self, state: &AppState, org: &OrgId) -> Result<ApiError, ApiError> {
        let not_found = ApiError::NotFound { resource: "organization" };
        if let Some(own) = self.org_hint.as_ref().filter(|own| self.bound && *own != org) {
            record_denial(state, &self.cross_tenant(own, org)).await;
            return Err(not_found);
        }
        Ok(not_found)
    }

    /// Enters the tenant like [`Caller::tenant`] and reads the first page of
    /// the query `list` builds for it in the same round trip: the page is
    /// read alongside the membership and dropped unread when the credential
    /// is refused. (A token naming no org finds it first.) Returns the query too,
    /// for the pages a filter may still need (`store::query_filtered_from`).
    pub async fn tenant_listing(
        &self,
        state: &AppState,
        permission: Permission,
        list: impl FnOnce(&TenantId) -> Result<Query, ApiError>,
    ) -> Result<(TenantContext, Query, Page), ApiError> {
        let (ctx, _, query, page) = self.tenant_listing_with(state, permission, |_| vec![], list).await?;
        Ok((ctx, query, page))
    }

    /// [`Caller::tenant_listing`] reading the keys `extra` builds too (a
    /// sub-resource list's parent), all in the one round trip.
    pub async fn tenant_listing_with(
        &self,
        state: &AppState,
        permission: Permission,
        extra: impl FnOnce(&TenantId) -> Vec<Key>,
        list: impl FnOnce(&TenantId) -> Result<Query, ApiError>,
    ) -> Result<(TenantContext, Fetched, Query, Page), ApiError> {
        let (org, not_member) = self.named_org(state).await?;
        self.listing(state, org, permission, extra, list, not_member).await
    }

    /// [`Caller::tenant_listing`] for the org a path names (see [`Caller::org`]).
    pub async fn org_listing(
        &self,
        state: &AppState,
        org: &OrgId,
        permission: Permission,
        list: impl FnOnce(&TenantId) -> Result<Query, ApiError>,
    ) -> Result<(TenantContext, Query, Page), ApiError> {
        let not_found = self.path_org(state, org).await?;
        let (ctx, _, query, page) = self.listing(state, org.clone(), permission, |_| vec![], list, not_found).await?;
        Ok((ctx, query, page))
    }

    /// Enters `org` (reading what `extra` names) and reads the first page of
    /// `list`'s query, at once.
    async fn listing(
        &self,
        state: &AppState,
        org: OrgId,
        permission: Permission,
        extra: impl FnOnce(&TenantId) -> Vec<Key>,
        list: impl FnOnce(&TenantId) -> Result<Query, ApiError>,
        not_member: ApiError,
    ) -> Result<(TenantContext, Fetched, Query, Page), ApiError> {
        let query = list(&TenantId::acting_for(&org))?;
        let (entered, page) =
            tokio::join!(self.enter(state, org, Some(permission), extra, not_member), state.store.query(&query));
        let (ctx, fetched) = entered?;
        Ok((ctx, fetched, query, page?))
    }

    /// Enters the org a path names. Not being a member of it (or the
    /// credential being bound to another org) is 404: ids of other tenants
    /// do not exist.
    pub async fn org(
        &self,
        state: &AppState,
        org: &OrgId,
        permission: Permission,
        extra: impl FnOnce(&TenantId) -> Vec<Key>,
    ) -> Result<(TenantContext, Fetched), ApiError> {
        let not_found = self.path_org(state, org).await?;
        self.enter(state, org.clone(), Some(permission), extra, not_found).await
    }

    async fn only_org(&self, state: &AppState) -> Result<OrgId, ApiError> {
        match self.orgs_up_to_two(state).await?.as_slice() {
            [org] => Ok(org.clone()),
            [] => Err(ApiError::bad_request(
                "org_required",
                "you are not a member of any organization yet; create one with POST /v1/orgs",
            )),
            _ => Err(ApiError::bad_request(
                "org_required",
                "you belong to several organizations; name one with the X-Org-Id header",
            )),
        }
    }

    /// The first two orgs the calling user belongs to (enough to tell
    /// none, one and several apart).
    async fn orgs_up_to_two(&self, state: &AppState) -> Result<Vec<OrgId>, ApiError> {
        self.note(|notes| notes.org_inferred = true);
        let page = state.store.query(&Membership::query_for(self.user()?).limit(2)).await?;
        Ok(page.items.iter().map(|i| i.parse::<Membership>().map(|m| m.org_id)).collect::<Result<_, _>>()?)
    }

    /// How the caller proved who it is.
    pub fn auth_method(&self) -> AuthMethod {
        match &self.credential {
            Credential::User { method, .. } => *method,
            Credential::Key { .. } => AuthMethod::ApiKey,
        }
    }

    /// The caller's standing in the org it names (the key's, the token's
    /// claim, `X-Org-Id`, or its only org), whatever its permissions;
    /// `None` for a user who names no org and belongs to none or to
    /// several (checked and counted like a route outside any org).
    pub async fn standing(&self, state: &AppState) -> Result<Option<TenantContext>, ApiError> {
        let org = match &self.org_hint {
            Some(org) => org.clone(),
            None => match self.orgs_up_to_two(state).await?.as_slice() {
                [org] => org.clone(),
                _ => {
                    self.outside_tenant(state).await?;
                    return Ok(None);
                }
            },
        };
        let not_member = not_a_member(&org);
        Ok(Some(self.enter(state, org, None, |_| vec![], not_member).await?.0))
    }

    async fn enter(
        &self,
        state: &AppState,
        org: OrgId,
        permission: Option<Permission>,
        extra: impl FnOnce(&TenantId) -> Vec<Key>,
        not_member: ApiError,
    ) -> Result<(TenantContext, Fetched), ApiError> {
        // The org the caller asked for: what is read under it below decides
        // whether the caller may act there at all.
        let tenant = TenantId::acting_for(&org);
        let mut keys = match &self.credential {
            Credential::User { id, .. } => [vec![Member::key(&tenant, id)], self.user_keys()].concat(),
            Credential::Key { id, creator, .. } => {
                [vec![StoredKey::key(&tenant, id)], creator.iter().map(|c| Member::key(&tenant, c)).collect()].concat()
            }
        };
        let own = keys.len();
        keys.extend([roles::key(&tenant), Org::key(&tenant), minimize::key(&tenant), OrgLimits::key(&tenant)]);
        // A write reads its org's audit chain head here, for its commit.
        let writes = self.route_class() == RouteClass::Write;
        keys.extend(writes.then(|| chain::Head::key(&tenant)));
        // A keyed POST reads its idempotency record here too.
        let record = idempotency::record_to_read();
        let record_at = keys.len();
        keys.extend(record.iter().cloned());
        let fixed = keys.len();
        keys.extend(extra(&tenant));
        let mut items = state.store.batch_get(&keys).await?;
        let extra_items = items.split_off(fixed);
        let record_found = record.as_ref().and_then(|_| items[record_at].take());
        let redactor = minimize::redactor_of(&org, items[own + 2].as_ref())?;
        if writes {
            chain::read_ahead(
                &tenant,
                items[own + 4].as_ref(),
                items[own + 1].as_ref(),
                std::sync::Arc::clone(&redactor),
            )?;
        }
        let role_set = roles::from_item(items[own].as_ref())?;
        let org_item = items[own + 1].as_ref().map(|i| i.parse::<Org>()).transpose()?;
        let (plan, region) = org_item.map(|o| (o.plan, o.region)).unwrap_or_default();
        let (own_limits, _) = OrgLimits::from_item(items[own + 3].as_ref())?;
        let (principal, authority) = match &self.credential {
            Credential::User { id, email, .. } => {
                self.check_user(state, &items[1..own]).await?;
                let member: Member = items[0].as_ref().ok_or(not_member)?.parse()?;
                let authority = Authority::Member { user: id.clone(), role: member.role };
                (Principal::User { id: id.clone(), email: email.clone() }, authority)
            }
            Credential::Key { id, token_hash, creator: named, .. } => {
                let stored = self.key_admits(state, &org, id, token_hash, items[0].as_ref()).await?;
                if self.door == Door::Mcp && stored.key.key_type != KeyType::Mcp {
                    return Err(mcp_key_required());
                }
                if self.tool_call.is_none() {
                    self.record_key_use(state, &org, id, &stored.key.project_id).await;
                }
                let creator = UserId::parse(&stored.key.created_by).ok();
                let creator_item = match (named, &creator) {
                    (Some(named), Some(creator)) if named == creator => items[1].take(),
                    (_, Some(creator)) => {
                        state.store.batch_get(&[Member::key(&tenant, creator)]).await?.pop().flatten()
                    }
                    (_, None) => None,
                };
                let creator = creator_item.map(|i| i.parse::<Member>()).transpose()?;
                let creator_grants = creator.as_ref().map(|m| role_set.0.permissions_of(&m.role)).unwrap_or_default();
                let scoped = match (self.door, stored.key.key_type) {
                    (Door::Rest, KeyType::Mcp) => Default::default(),
                    (_, key_type) => apikey::permissions(key_type, &stored.key.scopes),
                };
                let authority = Authority::Key {
                    id: id.clone(),
                    key_type: stored.key.key_type,
                    permissions: scoped.intersection(&creator_grants).copied().collect(),
                    created_by: creator.map(|m| m.user_id),
                    project: stored.key.project_id.clone(),
                    resources: stored.key.resources.clone(),
                    scopes: stored.key.scopes.clone(),
                    version: stored.key.version,
                };
                (Principal::Key { id: id.clone(), name: Some(stored.key.name.into()) }, authority)
            }
        };
        self.note(|notes| notes.tenant = Some(org.to_string()));
        let ctx = TenantContext::new(tenant, principal, authority, role_set, self.meta.clone())
            .with_redactor(redactor)
            .in_region(region);
        // Counted before the permission is checked: refused requests count
        // too, so a flood of them meets the limits.
        if self.tool_call != Some(RouteClass::Read) {
            self.rate_limit(state, &ctx, plan, &own_limits).await?;
        }
        if let Some(permission) = permission {
            ctx.require(permission)?;
        }
        if record.is_some() {
            idempotency::record_read(record_found)?;
        }
        Ok((ctx, extra_items))
    }

    /// Tallies the key's use; writes the tally when a batch is due.
    async fn record_key_use(&self, state: &AppState, org: &OrgId, key: &KeyId, project: &ProjectId) {
        let (class, ip) = (self.route_class(), self.meta.ip.clone());
        let due = state.key_usage.record(org, key, project, class, chrono::Utc::now(), ip);
        if let Some(batch) = due
            && let Err(error) = tally::amortized(batch.flush(state.store.as_ref())).await
        {
            tracing::warn!(%error, "key usage not recorded");
        }
    }

    /// Counts the request against the org's and the principal's limits;
    /// the edge turns the standing into `RateLimit` headers.
    async fn rate_limit(
        &self,
        state: &AppState,
        ctx: &TenantContext,
        plan: Plan,
        own: &OrgLimits,
    ) -> Result<(), ApiError> {
        let (tenant, principal, class) = (ctx.tenant(), ctx.principal().id(), self.route_class());
        let subject = Subject { tenant, principal, class, plan, own };
        let checked = state.limiter.check(state.store.as_ref(), &subject, now_ms()).await;
        self.apply_limit(checked)
    }

    /// A REST route's class is its method's; a request at the MCP gateway
    /// counts as a read (a tool that writes counts once more as a write).
    fn route_class(&self) -> RouteClass {
        match (self.tool_call, self.door) {
            (Some(class), _) => class,
            (None, Door::Mcp) => RouteClass::Read,
            (None, Door::Rest) => RouteClass::of_method(self.meta.request_line.split(' ').next().unwrap_or_default()),
        }
    }

    /// Notes the decision for the edge; 429 when a limit is exceeded. Fails
    /// open when the store cannot count.
    fn apply_limit(&self, checked: Result<Decision, StoreError>) -> Result<(), ApiError> {
        let decision = match checked {
            Ok(decision) => decision,
            Err(error) => {
                tracing::warn!(%error, "rate limiter unavailable; failing open");
                return Ok(());
            }
        };
        let refused = (!decision.allowed() && !self.limits_exempt).then(|| ApiError::RateLimited {
            policy: decision.tightest().map_or("org", |s| s.name),
            retry_after: decision.retry_after(),
        });
        self.note(|notes| notes.rate_limit = Some(decision));
        refused.map_or(Ok(()), Err)
    }

    /// For routes outside any org (listing and creating orgs, revoking
    /// one's own tokens): the calling user (403 for API keys), with the
    /// profile created on first use, revocation checked, and the request
    /// counted against the user's own rate limit.
    pub async fn outside_tenant(&self, state: &AppState) -> Result<&UserId, ApiError> {
        let user = self.signed_in_user(state).await?;
        let mut keys = self.user_keys();
        let record = idempotency::record_to_read();
        keys.extend(record.iter().cloned());
        let mut items = state.store.batch_get(&keys).await?;
        let record_found = record.as_ref().and_then(|_| items.pop().flatten());
        self.check_user(state, &items).await?;
        let checked = state.limiter.check_user(state.store.as_ref(), user, self.route_class(), now_ms()).await;
        self.apply_limit(checked)?;
        if record.is_some() {
            idempotency::record_read(record_found)?;
        }
        Ok(user)
    }

    /// A user's profile and revocation markers (read with every request).
    fn user_keys(&self) -> Vec<Key> {
        let Credential::User { id, jti, .. } = &self.credential else { return Vec::new() };
        let mut keys = vec![UserProfile::key(id), user::revoked_before_key(id)];
        keys.extend(jti.iter().map(|jti| user::revoked_token_key(id, jti)));
        keys
    }

    /// Refuses a revoked token and creates the profile on first use, from
    /// the items `user_keys` named.
    async fn check_user(&self, state: &AppState, items: &[Option<Item>]) -> Result<(), ApiError> {
        let Credential::User { id, email, issued_at, .. } = &self.credential else { return Ok(()) };
        let revoked_before =
            items.get(1).and_then(Option::as_ref).map(|i| i.parse::<user::RevokedBefore>()).transpose()?;
        let revoked_token = items.get(2).is_some_and(Option::is_some);
        if revoked_token || revoked_before.is_some_and(|r| *issued_at as i64 <= r.before) {
            let refused = ApiError::unauthenticated("token_revoked", "this token was revoked");
            return Err(auth_failed(state, &self.attempt, refused).await);
        }
        if items.first().is_none_or(Option::is_none) {
            tally::amortized(UserProfile::create(state.store.as_ref(), id, email.as_ref())).await?;
        }
        Ok(())
    }

    /// Where this credential's `Idempotency-Key` record lives: a key's in
    /// its org; a user's in the user's partition, per org the request names.
    pub fn idempotency_record_key(&self, idempotency_key: &str) -> Key {
        match &self.credential {
            Credential::Key { id, org, .. } => {
                Key::tenant_collection(&TenantId::acting_for(org), "IDEMPOTENCY", format!("{id}#{idempotency_key}"))
            }
            Credential::User { id, .. } => {
                let org = self.org_hint.as_ref().map_or("-", |o| o.as_str());
                Key::user(id, format!("IDEMPOTENCY#{org}#{idempotency_key}"))
            }
        }
    }

    /// The calling user's memberships, one page at a time. Like a request
    /// that names no org ([`Caller::only_org`]), whoever reads the orgs
    /// found this way pays a round trip for the lookup first: noted so.
    pub fn memberships_query(&self) -> Result<Query, ApiError> {
        self.note(|notes| notes.org_inferred = true);
        Ok(Membership::query_for(self.user()?))
    }
}
