use axum::extract::{Path, State};
use controlplane::base::rbac::Permission;
use controlplane::domain::Mutation;
use controlplane::domain::audit::{AuditEvent, diff};
use controlplane::domain::minimize::{self, DataPolicy, DataPolicyView, EditDataPolicy};
use controlplane::edge::auth::Caller;
use controlplane::edge::error::Problem;
use controlplane::edge::http::{ApiJson, IfMatch, Tagged};
use controlplane::ports::store::{Condition, WriteOp};
use controlplane::{ApiError, AppState};
use serde_json::json;

use crate::orgs::org_id;

/// The organization's data policy: whether personal data is minimized
/// where it would leave or rest outside its field, how each kind is
/// replaced, and the org's own patterns.
#[utoipa::path(get, path = "/v1/orgs/{org_id}/data-policy", operation_id = "orgs.dataPolicy.get", tag = "orgs",
    params(("org_id" = String, Path, description = "Organization id")),
    security(("bearer" = [])),
    responses(
        (status = 200, body = DataPolicyView, headers(("ETag" = String))),
        (status = 404, body = Problem, content_type = "application/problem+json"),
    ))]
pub async fn get_data_policy(
    State(state): State<AppState>,
    caller: Caller,
    Path(raw): Path<String>,
) -> Result<Tagged<DataPolicyView>, ApiError> {
    let org = org_id(&raw)?;
    let (_ctx, items) = caller.org(&state, &org, Permission::OrgRead, |t| vec![minimize::key(t)]).await?;
    let (policy, version) = DataPolicy::from_item(items[0].as_ref())?;
    Ok(Tagged { version, body: policy.view(version) })
}

/// Change the data policy (admins and owners): the fields given replace
/// the stored ones. Applies from the next request. Honours `If-Match`.
#[utoipa::path(put, path = "/v1/orgs/{org_id}/data-policy", operation_id = "orgs.dataPolicy.set", tag = "orgs",
    request_body = EditDataPolicy,
    params(("org_id" = String, Path, description = "Organization id"),
           ("If-Match" = Option<String>, Header, description = "ETag the edit applies to")),
    security(("bearer" = [])),
    responses(
        (status = 200, body = DataPolicyView, headers(("ETag" = String))),
        (status = 403, body = Problem, content_type = "application/problem+json"),
        (status = 404, body = Problem, content_type = "application/problem+json"),
        (status = 412, body = Problem, content_type = "application/problem+json"),
        (status = 422, body = Problem, content_type = "application/problem+json"),
    ))]
pub async fn put_data_policy(
    State(state): State<AppState>,
    caller: Caller,
    Path(raw): Path<String>,
    if_match: IfMatch,
    ApiJson(body): ApiJson<EditDataPolicy>,
) -> Result<Tagged<DataPolicyView>, ApiError> {
    let org = org_id(&raw)?;
    let (ctx, items) = caller.org(&state, &org, Permission::OrgUpdate, |t| vec![minimize::key(t)]).await?;
    let (current, version) = DataPolicy::from_item(items[0].as_ref())?;
    if_match.check(version)?;
    let next = current.edited(body, controlplane::now())?;
    let (before, after) = (current.view(version), next.view(version + 1));
    let changes = diff(&[
        ("enabled", json!(before.enabled), json!(after.enabled)),
        ("strategies", json!(before.strategies), json!(after.strategies)),
        ("custom_patterns", json!(before.custom_patterns), json!(after.custom_patterns)),
    ]);
    let event = AuditEvent::new(&ctx, "data_policy.updated", "data_policy", &org, changes);
    Mutation::new(&ctx, Permission::OrgUpdate)
        .op(
            WriteOp::put_if(next.item(ctx.tenant(), version + 1)?, Condition::unchanged_since(version)),
            if_match.lost_race(),
        )
        .commit(state.store.as_ref(), event)
        .await?;
    // The head this commit leaves for the next was read with the old
    // policy: the next commit reads both afresh.
    controlplane::domain::audit::chain::forget_ahead(ctx.tenant());
    Ok(Tagged { version: version + 1, body: after })
}
