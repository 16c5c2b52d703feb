//! The worker's own access check. A job records who asked for it; between
//! the request and the claim that member may have lost the role, left the
//! org, or the key may have been revoked. The worker reads the requester's
//! standing again (membership and role set, or the key) and refuses the job
//! when it no longer grants what the job does.

use crate::base::tenant::TenantId;
use chrono::{DateTime, Utc};

use crate::base::ids::KeyId;
use crate::base::rbac::Permission;
use crate::base::tenant::OrgId;
use crate::base::user::UserId;
use crate::domain::apikey::{self, ResourceRef, StoredKey};
use crate::domain::member::Member;
use crate::domain::roles;
use crate::domain::source::Source;
use crate::ports::store::{Store, StoreError};

/// Why the requester may no longer do what the job does.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("refused at claim: {0}")]
pub struct Refused(pub String);

/// Checks that `requested_by` (a user id or a `key_…` id) still holds
/// `permission` in `org`, and, for a source, may still reach it.
pub async fn recheck(
    store: &dyn Store,
    org: &OrgId,
    requested_by: &str,
    permission: Permission,
    source: Option<&Source>,
    now: DateTime<Utc>,
) -> Result<Result<(), Refused>, StoreError> {
    let refuse = |why: String| Ok(Err(Refused(why)));
    if let Ok(key_id) = KeyId::parse(requested_by) {
        let item = store.batch_get(&[StoredKey::key(&TenantId::acting_for(org), &key_id)]).await?.pop().flatten();
        let Some(stored) = item.map(|i| i.parse::<StoredKey>()).transpose()? else {
            return refuse(format!("API key {key_id} no longer exists"));
        };
        let key = stored.key;
        if key.revoked_at.is_some() || !key.enabled || key.expires_at.is_some_and(|at| at <= now) {
            return refuse(format!("API key {key_id} is revoked, disabled or expired"));
        }
        if !apikey::permissions(key.key_type, &key.scopes).contains(&permission) {
            return refuse(format!("API key {key_id} no longer has `{}`", permission.as_str()));
        }
        if let Some(source) = source {
            let limited: Vec<&ResourceRef> =
                key.resources.iter().filter(|r| r.kind() == apikey::ResourceKind::Source).collect();
            let reference = ResourceRef::from(&source.id);
            if key.project_id != source.project_id || (!limited.is_empty() && !limited.contains(&&reference)) {
                return refuse(format!("API key {key_id} no longer reaches source {}", source.id));
            }
        }
        return Ok(Ok(()));
    }
    let Ok(user) = UserId::parse(requested_by) else {
        return refuse(format!("`{requested_by}` is not a principal"));
    };
    let mut items = store
        .batch_get(&[Member::key(&TenantId::acting_for(org), &user), roles::key(&TenantId::acting_for(org))])
        .await?
        .into_iter();
    let (member, role_set) = (items.next().flatten(), items.next().flatten());
    let Some(member) = member.map(|i| i.parse::<Member>()).transpose()? else {
        return refuse(format!("{user} is no longer a member of {org}"));
    };
    let (role_set, _) = roles::from_item(role_set.as_ref()).map_err(|e| StoreError::Serialization(e.to_string()))?;
    if !role_set.grants(&member.role, permission) {
        return refuse(format!("{user}'s role `{}` no longer grants `{}`", member.role, permission.as_str()));
    }
    Ok(Ok(()))
}
