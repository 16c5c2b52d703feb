//! An org's role set, stored as one item (`T#{org} / ROLES`) and read in the
//! same batch as the caller's membership on every request.
//!
//! The item exists once an owner edits the set. Until then the org has the
//! built-in roles of the running release at version 0: a permission a
//! release adds to a built-in role reaches every org that kept the defaults,
//! and their requests read no role item (the set is 131 attribute values).

use crate::base::error::DomainError;
use crate::base::rbac::RoleSet;
use crate::base::tenant::TenantId;
use crate::ports::store::{Item, Key};

pub fn key(tenant: &TenantId) -> Key {
    Key::tenant(tenant, "ROLES")
}

pub fn item(tenant: &TenantId, roles: &RoleSet, version: u64) -> Result<Item, DomainError> {
    Ok(Item::new(key(tenant), version, roles)?)
}

/// The stored role set and its version; an org that has none yet uses the
/// built-in roles (version 0).
pub fn from_item(item: Option<&Item>) -> Result<(RoleSet, u64), DomainError> {
    match item {
        Some(item) => Ok((item.parse()?, item.version)),
        None => Ok((RoleSet::default(), 0)),
    }
}
