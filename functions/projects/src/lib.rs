//! The `projects` function: projects inside the caller's organization.

mod handlers;

use axum::Router;
use controlplane::AppState;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

pub fn api() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(handlers::create_project, handlers::list_projects))
        .routes(routes!(
            handlers::get_project,
            handlers::update_project,
            handlers::patch_project,
            handlers::delete_project
        ))
}

pub fn app(state: AppState) -> Router {
    let (router, _) = api().split_for_parts();
    controlplane::http::finish(router, state)
}
