//! An org's policy items (the data policy, the egress policy, the tool
//! price table): one item each, read by members, changed by admins and
//! owners with `If-Match`, each change audited in the transaction that
//! makes it.

use axum::extract::{Path, State};
use controlplane::base::error::DomainError;
use controlplane::base::rbac::Permission;
use controlplane::base::tenant::TenantId;
use controlplane::domain::Mutation;
use controlplane::domain::audit::AuditEvent;
use controlplane::edge::auth::Caller;
use controlplane::edge::http::{IfMatch, Tagged};
use controlplane::ports::store::{Condition, Item, Key, WriteOp};
use controlplane::{ApiError, AppState};
use serde_json::Value;

use crate::orgs::org_id;

/// One of an org's policies as its routes see it.
pub trait Setting: Sized {
    type View: serde::Serialize;
    type Edit;
    /// The audit event a change records (`data_policy.updated`) and the
    /// target type it names.
    const ACTION: &'static str;
    const TARGET: &'static str;

    fn key(tenant: &TenantId) -> Key;
    fn from_item(item: Option<&Item>) -> Result<(Self, u64), ApiError>;
    fn item(&self, tenant: &TenantId, version: u64) -> Result<Item, ApiError>;
    fn view(&self, version: u64) -> Self::View;
    fn edited(&self, edit: Self::Edit) -> Result<Self, DomainError>;
    /// The event's `changes` from one view to the next.
    fn changes(before: &Self::View, after: &Self::View) -> Value;
}

/// `GET`: the setting as stored (version 0 before it is first set).
pub async fn get<S: Setting>(
    State(state): State<AppState>,
    caller: Caller,
    Path(raw): Path<String>,
) -> Result<Tagged<S::View>, ApiError> {
    let org = org_id(&raw)?;
    let (_ctx, items) = caller.org(&state, &org, Permission::OrgRead, |t| vec![S::key(t)]).await?;
    let (setting, version) = S::from_item(items[0].as_ref())?;
    Ok(Tagged { version, body: setting.view(version) })
}

/// `PUT`: the edit applied to the stored setting, written with its audit
/// event if nothing changed it since it was read (and since `If-Match`).
pub async fn put<S: Setting>(
    State(state): State<AppState>,
    caller: Caller,
    Path(raw): Path<String>,
    if_match: IfMatch,
    edit: S::Edit,
) -> Result<(TenantId, Tagged<S::View>), ApiError> {
    let org = org_id(&raw)?;
    let (ctx, items) = caller.org(&state, &org, Permission::OrgUpdate, |t| vec![S::key(t)]).await?;
    let (current, version) = S::from_item(items[0].as_ref())?;
    if_match.check(version)?;
    let next = current.edited(edit)?;
    let (before, after) = (current.view(version), next.view(version + 1));
    let event = AuditEvent::new(&ctx, S::ACTION, S::TARGET, &org, S::changes(&before, &after));
    Mutation::new(&ctx, Permission::OrgUpdate)
        .op(
            WriteOp::put_if(next.item(ctx.tenant(), version + 1)?, Condition::unchanged_since(version)),
            if_match.lost_race(),
        )
        .commit(state.store.as_ref(), event)
        .await?;
    Ok((ctx.tenant().clone(), Tagged { version: version + 1, body: after }))
}
