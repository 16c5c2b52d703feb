//! The REST routes more than one front door serves. Each function's router
//! lists them like its own, and the MCP gateway runs them in process for
//! its built-in tools, so a tool call is authenticated, authorized,
//! validated and answered exactly as its route is (the same input types,
//! the same checks, the same errors).

pub mod audit;
pub mod jobs;
pub mod projects;
pub mod schedules;
pub mod sources;
pub mod usage;

use crate::domain::webhooks::target::{self, TargetError};
use crate::{ApiError, AppState};

/// Checks an endpoint's URL as the calls to it will (webhook deliveries,
/// upstream MCP servers): 422 on `url` naming the reason.
pub async fn checked_url(state: &AppState, raw: &str) -> Result<String, ApiError> {
    match target::check(raw, state.webhook_allowances).await {
        Ok(checked) => Ok(checked.url.to_string()),
        Err(TargetError::Invalid(reason)) => Err(ApiError::field("url", reason)),
        Err(error) => Err(ApiError::field("url", error.to_string())),
    }
}
