//! Organizations: the tenants.

use crate::base::residency::Region;
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use super::Mutation;
use super::audit::AuditEvent;
use super::member::{Member, Membership, OwnerCount};
use crate::base::error::DomainError;
use crate::base::rbac::{RoleName, RoleSet};
use crate::base::request::RequestMeta;
use crate::base::tenant::{Authority, OrgId, Principal, TenantContext, TenantId};
use crate::domain::minimize::DataPolicy;
use crate::domain::ratelimit::Plan;
use crate::ports::store::{Condition, Item, Key, Store, WriteOp};

/// 1–100 characters after trimming, no control characters.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct OrgName(String);

impl utoipa::PartialSchema for OrgName {
    fn schema() -> utoipa::openapi::RefOr<utoipa::openapi::schema::Schema> {
        crate::base::text::name_schema(100, Some("Acme Inc."))
    }
}

impl utoipa::ToSchema for OrgName {}

impl OrgName {
    pub fn parse(s: &str) -> Result<Self, &'static str> {
        let s = s.trim();
        if s.is_empty() || s.chars().count() > 100 {
            return Err("must be 1 to 100 characters");
        }
        if let Some(problem) = crate::base::text::name_problem(s) {
            return Err(problem);
        }
        Ok(Self(s.to_owned()))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl TryFrom<String> for OrgName {
    type Error = &'static str;
    fn try_from(s: String) -> Result<Self, Self::Error> {
        Self::parse(&s)
    }
}

impl From<OrgName> for String {
    fn from(n: OrgName) -> String {
        n.0
    }
}

#[derive(Debug, Clone, Serialize, Deserialize, utoipa::ToSchema)]
pub struct Org {
    pub id: OrgId,
    pub name: OrgName,
    /// Sets the org's rate limits.
    #[serde(default)]
    pub plan: Plan,
    /// Days audit events are kept (whole UTC days; applies to events written
    /// after a change). Default 365.
    #[serde(default = "default_retention")]
    #[schema(minimum = 30, maximum = 3650, example = 365)]
    pub audit_retention_days: u32,
    /// Where the org's data is kept (`CONTROLPLANE_REGIONS`), fixed at
    /// creation; `null` for an org created before regions, whose data is in
    /// the deployment's default region.
    #[serde(default)]
    pub region: Option<Region>,
    /// The user who created the organization.
    pub created_by: String,
    pub version: u64,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

fn default_retention() -> u32 {
    super::audit::chain::DEFAULT_RETENTION_DAYS
}

/// The audit retention an org may choose.
pub const RETENTION_DAYS: std::ops::RangeInclusive<u32> = 30..=3650;

impl Org {
    pub fn key(tenant: &TenantId) -> Key {
        Key::tenant(tenant, "ORG")
    }

    pub fn item(&self) -> Result<Item, DomainError> {
        Ok(Item::new(Self::key(&TenantId::acting_for(&self.id)), self.version, self)?)
    }

    /// Creates an org with the caller as its first owner, in one transaction
    /// with the membership, the caller's membership lookup, the owner count
    /// and the audit event.
    pub async fn create(
        store: &dyn Store,
        principal: Principal,
        meta: RequestMeta,
        name: OrgName,
        region: Region,
    ) -> Result<(Org, Member), DomainError> {
        let now = crate::now();
        let Principal::User { id: user, email } = &principal else {
            return Err(DomainError::Forbidden {
                code: "outside_key_scope",
                detail: "organizations are created by users, not API keys".into(),
            });
        };
        let org = Org {
            id: OrgId::generate(),
            name,
            plan: Plan::default(),
            audit_retention_days: default_retention(),
            region: Some(region),
            created_by: user.to_string(),
            version: 1,
            created_at: now,
            updated_at: now,
        };
        let member = Member::new(&org.id, user.clone(), email.clone(), RoleName::owner(), user.to_string());
        let founder = Authority::Member { user: user.clone(), role: RoleName::owner() };
        // No role set is stored: an org that never edited its roles has the
        // built-in ones (version 0, see `roles::from_item`).
        let ctx = TenantContext::new(
            TenantId::acting_for(&org.id.clone()),
            principal.clone(),
            founder,
            (RoleSet::default(), 0),
            meta,
        );
        let metadata = serde_json::json!({ "name": org.name, "region": org.region });
        let event = AuditEvent::new(&ctx, "org.created", "org", &org.id, metadata);
        // A new org's audit chain has no head yet: nothing to read first.
        let policy = DataPolicy::for_new_org();
        crate::domain::audit::chain::read_ahead(
            &TenantId::acting_for(&org.id),
            None,
            None,
            policy.redactor(&org.id, 1),
        )?;
        let exists = || DomainError::concurrent_modification();
        Mutation::founding()
            .op(WriteOp::put_if(org.item()?, Condition::NotExists), exists())
            .op(WriteOp::put_if(member.item()?, Condition::NotExists), exists())
            .op(
                WriteOp::put_if(OwnerCount::new(1).item(&TenantId::acting_for(&org.id))?, Condition::NotExists),
                exists(),
            )
            .op(WriteOp::put(Membership::item(&org.id, user)?), exists())
            .op(WriteOp::put_if(policy.item(&TenantId::acting_for(&org.id), 1)?, Condition::NotExists), exists())
            .commit(store, event)
            .await?;
        Ok((org, member))
    }
}
