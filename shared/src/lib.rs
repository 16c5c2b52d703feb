//! The shared crate of every control-plane function: tenant context, auth and
//! RBAC, errors, the storage port and its adapters, HTTP middleware, and the
//! domain entities.

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
