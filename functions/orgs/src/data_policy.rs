use axum::extract::{Path, State};
use controlplane::base::error::DomainError;
use controlplane::base::tenant::TenantId;
use controlplane::domain::audit::diff;
use controlplane::domain::minimize::{self, DataPolicy, DataPolicyView, EditDataPolicy};
use controlplane::edge::auth::Caller;
use controlplane::edge::error::Problem;
use controlplane::edge::http::{ApiJson, IfMatch, Tagged};
use controlplane::ports::store::{Item, Key};
use controlplane::{ApiError, AppState};
use serde_json::{Value, json};

use crate::settings::{self, Setting};

impl Setting for DataPolicy {
    type View = DataPolicyView;
    type Edit = EditDataPolicy;
    const ACTION: &'static str = "data_policy.updated";
    const TARGET: &'static str = "data_policy";

    fn key(tenant: &TenantId) -> Key {
        minimize::key(tenant)
    }
    fn from_item(item: Option<&Item>) -> Result<(Self, u64), ApiError> {
        Ok(DataPolicy::from_item(item)?)
    }
    fn item(&self, tenant: &TenantId, version: u64) -> Result<Item, ApiError> {
        Ok(DataPolicy::item(self, tenant, version)?)
    }
    fn view(&self, version: u64) -> DataPolicyView {
        DataPolicy::view(self, version)
    }
    fn edited(&self, edit: EditDataPolicy) -> Result<Self, DomainError> {
        DataPolicy::edited(self, edit, controlplane::now())
    }
    fn changes(before: &DataPolicyView, after: &DataPolicyView) -> Value {
        diff(&[
            ("enabled", json!(before.enabled), json!(after.enabled)),
            ("strategies", json!(before.strategies), json!(after.strategies)),
            ("custom_patterns", json!(before.custom_patterns), json!(after.custom_patterns)),
        ])
    }
}

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
    state: State<AppState>,
    caller: Caller,
    path: Path<String>,
) -> Result<Tagged<DataPolicyView>, ApiError> {
    settings::get::<DataPolicy>(state, caller, path).await
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
    state: State<AppState>,
    caller: Caller,
    path: Path<String>,
    if_match: IfMatch,
    ApiJson(body): ApiJson<EditDataPolicy>,
) -> Result<Tagged<DataPolicyView>, ApiError> {
    let (tenant, changed) = settings::put::<DataPolicy>(state, caller, path, if_match, body).await?;
    // The head this commit leaves for the next was read with the old
    // policy: the next commit reads both afresh.
    controlplane::domain::audit::chain::forget_ahead(&tenant);
    Ok(changed)
}
