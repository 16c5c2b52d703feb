//! The shared crate of every control-plane function, one module per layer,
//! each naming only the ones before it here (`tests/layers.rs` checks):
//! `base` (ids, the tenant context, roles, the domain error), `ports` (the
//! store, queue, secrets, blobs, bus and outbound HTTP, with their
//! adapters), `domain` (entities, events, webhooks, schedules, jobs), `edge`
//! (HTTP and authentication), `api` (the REST routes the MCP gateway runs
//! too) and `app`, the composition root.

pub mod api;
pub mod app;
pub mod base;
pub mod domain;
pub mod edge;
pub mod ports;
#[cfg(feature = "testing")]
pub mod testing;

pub use base::tenant::{OrgId, TenantContext, TenantId};
pub use edge::AppState;
pub use edge::error::ApiError;

/// The crate version reported by `/internal/health`.
pub const VERSION: &str = env!("CARGO_PKG_VERSION");

/// Current time, truncated to milliseconds (what RFC 3339 output shows).
pub fn now() -> chrono::DateTime<chrono::Utc> {
    let now = chrono::Utc::now();
    chrono::DurationRound::duration_trunc(now, chrono::TimeDelta::milliseconds(1)).unwrap_or(now)
}
