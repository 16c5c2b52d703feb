//! The `audit` function: the organization's audit log, its CSV exports and
//! the check of its hash chain.

mod exports;
mod list;
mod verify;

use axum::Router;
use controlplane::AppState;

pub use list::ListParams;

controlplane::function_routes! {
    list::list_audit_events;
    verify::verify_audit_chain;
    exports::create_export;
    exports::get_export;
    exports::download_export;
}

pub fn app(state: AppState) -> Router {
    controlplane::edge::http::lambda_router(routes(), state)
}
