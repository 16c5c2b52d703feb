use axum::extract::{Path, State};
use controlplane::base::error::DomainError;
use controlplane::base::tenant::TenantId;
use controlplane::domain::audit::diff;
use controlplane::domain::egress::{self, EditEgressPolicy, EgressPolicy, EgressPolicyView};
use controlplane::edge::auth::Caller;
use controlplane::edge::error::Problem;
use controlplane::edge::http::{ApiJson, IfMatch, Tagged};
use controlplane::ports::store::{Item, Key};
use controlplane::{ApiError, AppState};
use serde_json::{Value, json};

use crate::settings::{self, Setting};

impl Setting for EgressPolicy {
    type View = EgressPolicyView;
    type Edit = EditEgressPolicy;
    const ACTION: &'static str = "egress_policy.updated";
    const TARGET: &'static str = "egress_policy";

    fn key(tenant: &TenantId) -> Key {
        egress::key(tenant)
    }
    fn from_item(item: Option<&Item>) -> Result<(Self, u64), ApiError> {
        Ok(EgressPolicy::from_item(item)?)
    }
    fn item(&self, tenant: &TenantId, version: u64) -> Result<Item, ApiError> {
        Ok(EgressPolicy::item(self, tenant, version)?)
    }
    fn view(&self, version: u64) -> EgressPolicyView {
        EgressPolicy::view(self, version)
    }
    fn edited(&self, edit: EditEgressPolicy) -> Result<Self, DomainError> {
        EgressPolicy::edited(self, edit, egress::ranges(), controlplane::now())
    }
    fn changes(before: &EgressPolicyView, after: &EgressPolicyView) -> Value {
        diff(&[
            ("mode", json!(before.mode), json!(after.mode)),
            ("allow", json!(before.allow), json!(after.allow)),
            ("deny", json!(before.deny), json!(after.deny)),
            ("regions", json!(before.regions), json!(after.regions)),
        ])
    }
}

/// The organization's egress policy: the hosts (and, where the deployment
/// has a range table, the regions) the platform's calls for it may reach —
/// webhook deliveries, source runners, upstream MCP servers, the
/// orchestrator — and whether it refuses (`strict`) or records (`audit`)
/// the others.
#[utoipa::path(get, path = "/v1/orgs/{org_id}/egress-policy", operation_id = "orgs.egressPolicy.get", tag = "orgs",
    params(("org_id" = String, Path, description = "Organization id")),
    security(("bearer" = [])),
    responses(
        (status = 200, body = EgressPolicyView, headers(("ETag" = String))),
        (status = 404, body = Problem, content_type = "application/problem+json"),
    ))]
pub async fn get_egress_policy(
    state: State<AppState>,
    caller: Caller,
    path: Path<String>,
) -> Result<Tagged<EgressPolicyView>, ApiError> {
    settings::get::<EgressPolicy>(state, caller, path).await
}

/// Change the egress policy (admins and owners): the fields given replace
/// the stored ones. Applies from the next call. Honours `If-Match`.
#[utoipa::path(put, path = "/v1/orgs/{org_id}/egress-policy", operation_id = "orgs.egressPolicy.set", tag = "orgs",
    request_body = EditEgressPolicy,
    params(("org_id" = String, Path, description = "Organization id"),
           ("If-Match" = Option<String>, Header, description = "ETag the edit applies to")),
    security(("bearer" = [])),
    responses(
        (status = 200, body = EgressPolicyView, headers(("ETag" = String))),
        (status = 403, body = Problem, content_type = "application/problem+json"),
        (status = 404, body = Problem, content_type = "application/problem+json"),
        (status = 412, body = Problem, content_type = "application/problem+json"),
        (status = 422, body = Problem, content_type = "application/problem+json"),
    ))]
pub async fn put_egress_policy(
    state: State<AppState>,
    caller: Caller,
    path: Path<String>,
    if_match: IfMatch,
    ApiJson(body): ApiJson<EditEgressPolicy>,
) -> Result<Tagged<EgressPolicyView>, ApiError> {
    Ok(settings::put::<EgressPolicy>(state, caller, path, if_match, body).await?.1)
}
