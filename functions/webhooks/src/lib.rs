//! The `webhooks` function: a project's webhook endpoints and their
//! signing secrets (kept in the secrets store, shown once).

mod deliveries;
mod handlers;

use axum::Router;
use controlplane::AppState;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

pub fn api() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(handlers::create_webhook, handlers::list_webhooks))
        .routes(routes!(
            handlers::get_webhook,
            handlers::update_webhook,
            handlers::patch_webhook,
            handlers::delete_webhook
        ))
        .routes(routes!(handlers::rotate_secret))
        .routes(routes!(deliveries::list_deliveries))
        .routes(routes!(deliveries::redeliver))
        .routes(routes!(deliveries::send_test))
}

pub fn app(state: AppState) -> Router {
    controlplane::http::lambda_router(api(), state)
}
