//! The shared crate of every control-plane function: tenant context, auth and
//! RBAC, errors, the storage port and its adapters, HTTP middleware, and the
//! domain entities.

pub mod app;
pub mod audit_export;
pub mod auth;
pub mod aws;
pub mod backup;
pub mod blobs;
pub mod digest;
pub mod domain;
pub mod error;
pub mod events;
pub mod files;
pub mod http;
pub mod ids;
pub mod limits;
pub mod openapi;
pub mod orchestrator;
pub mod outbound;
pub mod provisioning;
pub mod queue;
pub mod ratelimit;
pub mod rotation;
pub mod schedule;
pub mod secrets;
pub mod snapshot;
pub mod sources;
pub mod store;
pub mod tenant;
#[cfg(feature = "testing")]
pub mod testing;
pub mod text;
pub mod user;
pub mod webhooks;
pub mod worker;

pub use app::AppState;
pub use error::ApiError;
pub use tenant::{OrgId, TenantContext, TenantId};

/// The crate version reported by `/internal/health`.
pub const VERSION: &str = env!("CARGO_PKG_VERSION");

/// Current time, truncated to milliseconds (what RFC 3339 output shows).
pub fn now() -> chrono::DateTime<chrono::Utc> {
    let now = chrono::Utc::now();
    chrono::DurationRound::duration_trunc(now, chrono::TimeDelta::milliseconds(1)).unwrap_or(now)
}
