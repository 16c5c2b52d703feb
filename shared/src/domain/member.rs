//! Members of an organization with their role, the per-user membership
//! lookup (`GET /v1/orgs`), and the owner count that protects the last owner.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use crate::base::error::DomainError;
use crate::base::rbac::RoleName;
use crate::base::tenant::{OrgId, TenantId};
use crate::base::user::{Email, UserId};
use crate::ports::store::{Item, Key, Partition, Query, SortKey};

#[derive(Debug, Clone, Serialize, Deserialize, utoipa::ToSchema)]
pub struct Member {
    pub org_id: OrgId,
    pub user_id: UserId,
    /// Known once the user has signed in with an email claim.
    pub email: Option<Email>,
    pub role: RoleName,
    /// The user who added this member.
    pub added_by: String,
    pub version: u64,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

pub const MEMBER_PREFIX: &str = "MEMBER#";

impl Member {
    pub fn new(org: &OrgId, user: UserId, email: Option<Email>, role: RoleName, added_by: String) -> Self {
        let now = crate::now();
        Self { org_id: org.clone(), user_id: user, email, role, added_by, version: 1, created_at: now, updated_at: now }
    }

    pub fn key(tenant: &TenantId, user: &UserId) -> Key {
        Key::tenant(tenant, format!("{MEMBER_PREFIX}{user}"))
    }

    pub fn item(&self) -> Result<Item, DomainError> {
        Ok(Item::new(Self::key(&TenantId::acting_for(&self.org_id), &self.user_id), self.version, self)?)
    }

    /// The org's members, ordered by user id.
    pub fn query(tenant: &TenantId) -> Query {
        Query::new(Partition::tenant(tenant), SortKey::BeginsWith(MEMBER_PREFIX.into()))
    }
}

/// Global lookup `U#{user} / ORG#{org}`: which orgs a user belongs to. Holds
/// ids only; the role lives on the tenant's member item.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Membership {
    pub org_id: OrgId,
}

impl Membership {
    pub const SK_PREFIX: &'static str = "ORG#";

    /// The tenant this membership names, to read the member item there:
    /// that item, not this lookup, says whether the user still belongs.
    pub fn tenant(&self) -> TenantId {
        TenantId::acting_for(&self.org_id)
    }

    pub fn key(user: &UserId, org: &OrgId) -> Key {
        Key::user(user, format!("{}{org}", Self::SK_PREFIX))
    }

    pub fn item(org: &OrgId, user: &UserId) -> Result<Item, DomainError> {
        Ok(Item::new(Self::key(user, org), 1, Membership { org_id: org.clone() })?)
    }

    pub fn query_for(user: &UserId) -> Query {
        Query::new(Partition::user(user), SortKey::BeginsWith(Self::SK_PREFIX.into()))
    }
}

/// How many owners an org has. Every owner change rewrites it with a version
/// condition, so two concurrent demotions cannot remove the last owner.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct OwnerCount {
    pub count: u64,
    #[serde(skip)]
    pub version: u64,
}

impl OwnerCount {
    pub fn new(count: u64) -> Self {
        Self { count, version: 1 }
    }

    pub fn key(tenant: &TenantId) -> Key {
        Key::tenant(tenant, "OWNERS")
    }

    pub fn from_item(item: &Item) -> Result<Self, DomainError> {
        let mut parsed: OwnerCount = item.parse()?;
        parsed.version = item.version;
        Ok(parsed)
    }

    pub fn item(&self, tenant: &TenantId) -> Result<Item, DomainError> {
        Ok(Item::new(Self::key(tenant), self.version, self)?)
    }

    /// The count after a change, one version on.
    pub fn changed_by(&self, delta: i64) -> Self {
        Self { count: self.count.saturating_add_signed(delta), version: self.version + 1 }
    }
}
