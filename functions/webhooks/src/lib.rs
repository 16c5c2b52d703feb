//! The `webhooks` function: a project's webhook endpoints and their
//! signing secrets (kept in the secrets store, shown once).

mod deliveries;
mod handlers;

use axum::Router;
use controlplane::AppState;

controlplane::function_routes! {
    handlers::create_webhook, handlers::list_webhooks;
    handlers::get_webhook, handlers::update_webhook, handlers::patch_webhook, handlers::delete_webhook;
    handlers::rotate_secret;
    deliveries::list_deliveries;
    deliveries::redeliver;
    deliveries::send_test;
}

pub fn app(state: AppState) -> Router {
    controlplane::edge::http::lambda_router(routes(), state)
}
