//! The org's tool price table (`/v1/orgs/{org_id}/tool-prices`), for plan
//! cost estimates.

use axum::extract::{Path, State};
use controlplane::base::error::DomainError;
use controlplane::base::tenant::TenantId;
use controlplane::domain::audit::diff;
use controlplane::domain::plan::{EditToolPrices, ToolPrices, ToolPricesView};
use controlplane::edge::auth::Caller;
use controlplane::edge::error::Problem;
use controlplane::edge::http::{ApiJson, IfMatch, Tagged};
use controlplane::ports::store::{Item, Key};
use controlplane::{ApiError, AppState};
use serde_json::{Value, json};

use crate::settings::{self, Setting};

impl Setting for ToolPrices {
    type View = ToolPricesView;
    type Edit = EditToolPrices;
    const ACTION: &'static str = "tool_prices.updated";
    const TARGET: &'static str = "tool_prices";

    fn key(tenant: &TenantId) -> Key {
        ToolPrices::key(tenant)
    }
    fn from_item(item: Option<&Item>) -> Result<(Self, u64), ApiError> {
        Ok(ToolPrices::from_item(item)?)
    }
    fn item(&self, tenant: &TenantId, version: u64) -> Result<Item, ApiError> {
        Ok(ToolPrices::item(self, tenant, version)?)
    }
    fn view(&self, version: u64) -> ToolPricesView {
        ToolPrices::view(self, version)
    }
    fn edited(&self, edit: EditToolPrices) -> Result<Self, DomainError> {
        ToolPrices::edited(self, edit, controlplane::now())
    }
    fn changes(before: &ToolPricesView, after: &ToolPricesView) -> Value {
        diff(&[("prices", json!(before.prices), json!(after.prices))])
    }
}

/// The organization's tool price table: what one call of a tool costs
/// beyond the MCP gateway's fee, by tool name or `slug.*`. Plan estimates
/// price a tool step from it when the step names no price.
#[utoipa::path(get, path = "/v1/orgs/{org_id}/tool-prices", operation_id = "orgs.toolPrices.get", tag = "orgs",
    params(("org_id" = String, Path, description = "Organization id")),
    security(("bearer" = [])),
    responses(
        (status = 200, body = ToolPricesView, headers(("ETag" = String))),
        (status = 404, body = Problem, content_type = "application/problem+json"),
    ))]
pub async fn get_tool_prices(
    state: State<AppState>,
    caller: Caller,
    path: Path<String>,
) -> Result<Tagged<ToolPricesView>, ApiError> {
    settings::get::<ToolPrices>(state, caller, path).await
}

/// Replace the tool price table (admins and owners). Applies from the next
/// estimate. Honours `If-Match`.
#[utoipa::path(put, path = "/v1/orgs/{org_id}/tool-prices", operation_id = "orgs.toolPrices.set", tag = "orgs",
    request_body = EditToolPrices,
    params(("org_id" = String, Path, description = "Organization id"),
           ("If-Match" = Option<String>, Header, description = "ETag the edit applies to")),
    security(("bearer" = [])),
    responses(
        (status = 200, body = ToolPricesView, headers(("ETag" = String))),
        (status = 403, body = Problem, content_type = "application/problem+json"),
        (status = 404, body = Problem, content_type = "application/problem+json"),
        (status = 412, body = Problem, content_type = "application/problem+json"),
        (status = 422, body = Problem, content_type = "application/problem+json"),
    ))]
pub async fn put_tool_prices(
    state: State<AppState>,
    caller: Caller,
    path: Path<String>,
    if_match: IfMatch,
    ApiJson(body): ApiJson<EditToolPrices>,
) -> Result<Tagged<ToolPricesView>, ApiError> {
    Ok(settings::put::<ToolPrices>(state, caller, path, if_match, body).await?.1)
}
