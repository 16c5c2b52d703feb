//! The `orgs` function: organizations and their members.

mod members;
mod orgs;

use axum::Router;
use controlplane::AppState;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

/// The routes with their OpenAPI descriptions.
pub fn api() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(orgs::create_org, orgs::list_orgs))
        .routes(routes!(orgs::get_org, orgs::update_org, orgs::patch_org))
        .routes(routes!(members::list_members, members::add_member))
        .routes(routes!(members::update_member, members::patch_member, members::remove_member))
}

/// The function's router with the shared middleware.
pub fn app(state: AppState) -> Router {
    let (router, _) = api().split_for_parts();
    controlplane::http::finish(router, state)
}
