//! The `audit` function: the organization's audit log, its CSV exports and
//! the check of its hash chain.

mod exports;
mod list;
mod verify;

use axum::Router;
use controlplane::AppState;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

pub use list::ListParams;

pub fn api() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(list::list_audit_events))
        .routes(routes!(verify::verify_audit_chain))
        .routes(routes!(exports::create_export))
        .routes(routes!(exports::get_export))
        .routes(routes!(exports::download_export))
}

pub fn app(state: AppState) -> Router {
    controlplane::http::lambda_router(api(), state)
}
