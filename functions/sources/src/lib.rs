//! The `sources` function: sources, their runs, evidence, policy bindings and schedules, and the
//! credential references they authenticate with (values in the secrets
//! store, read only by the worker).

mod bindings;
mod credentials;
mod ingest;
mod jobs;
mod runs;
mod schedules;
mod sources;

use axum::Router;
use controlplane::AppState;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

pub fn api() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(sources::create_source, sources::list_sources))
        .routes(routes!(sources::get_source, sources::update_source, sources::delete_source))
        .routes(routes!(runs::test_source))
        .routes(routes!(runs::run_source))
        .routes(routes!(runs::list_jobs))
        .routes(routes!(runs::list_evidence))
        .routes(routes!(runs::get_evidence))
        .routes(routes!(bindings::list_bindings, bindings::create_binding))
        .routes(routes!(bindings::delete_binding))
        .routes(routes!(credentials::create_credential, credentials::list_credentials))
        .routes(routes!(credentials::get_credential, credentials::delete_credential))
        .routes(routes!(credentials::test_credential))
        .routes(routes!(schedules::create_schedule, schedules::list_schedules))
        .routes(routes!(schedules::get_schedule, schedules::delete_schedule))
        .routes(routes!(schedules::toggle_schedule))
        .routes(routes!(ingest::push_traces))
        .routes(routes!(ingest::push_results))
}

pub fn app(state: AppState) -> Router {
    controlplane::http::lambda_router(api(), state)
}
