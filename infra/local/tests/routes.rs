//! Each function's Lambda router (`routes()`, built without OpenAPI
//! descriptions for a cheaper cold start) reaches a handler for every
//! route and method its OpenAPI description (`api()`) documents.

use std::sync::Arc;

use axum::Router;
use axum::body::Body;
use axum::http::{Method, Request};
use controlplane::AppState;
use controlplane::store::sqlite::SqliteStore;
use tower::ServiceExt;
use utoipa::openapi::path::HttpMethod;
use utoipa_axum::router::OpenApiRouter;

type Documented = fn() -> OpenApiRouter<AppState>;
type Served = fn() -> Router<AppState>;

const FUNCTIONS: [(&str, Documented, Served); 10] = [
    ("orgs", orgs::api, orgs::routes),
    ("projects", projects::api, projects::routes),
    ("audit", audit::api, audit::routes),
    ("keys", keys::api, keys::routes),
    ("auth", auth::api, auth::routes),
    ("internal", internal::api, internal::routes),
    ("jobs", jobs::api, jobs::routes),
    ("usage", usage::api, usage::routes),
    ("webhooks", webhooks::api, webhooks::routes),
    ("sources", sources::api, sources::routes),
];

fn method(m: &HttpMethod) -> Method {
    match m {
        HttpMethod::Get => Method::GET,
        HttpMethod::Post => Method::POST,
        HttpMethod::Put => Method::PUT,
        HttpMethod::Patch => Method::PATCH,
        HttpMethod::Delete => Method::DELETE,
        HttpMethod::Head => Method::HEAD,
        HttpMethod::Options => Method::OPTIONS,
        HttpMethod::Trace => Method::TRACE,
    }
}

/// `/v1/projects/{project_id}` → `/v1/projects/x1`.
fn concrete(path: &str) -> String {
    path.split('/').map(|s| if s.starts_with('{') { "x1" } else { s }).collect::<Vec<_>>().join("/")
}

#[tokio::test]
async fn every_documented_route_reaches_a_handler_in_the_lambda_router() {
    let dir = tempfile::tempdir().expect("tempdir");
    let store = SqliteStore::open(&dir.path().join("routes.db")).expect("store");
    let state = AppState::new(Arc::new(store), b"routes-test-secret-0123456789abcdef").expect("state");
    let mut checked = 0;
    for (name, documented, served) in FUNCTIONS {
        let (_, doc) = documented().split_for_parts();
        let app = controlplane::http::lambda_router(served(), state.clone());
        for (path, item) in &doc.paths.paths {
            let operations = [
                (HttpMethod::Get, &item.get),
                (HttpMethod::Post, &item.post),
                (HttpMethod::Put, &item.put),
                (HttpMethod::Patch, &item.patch),
                (HttpMethod::Delete, &item.delete),
            ];
            for (verb, _) in operations.iter().filter(|(_, op)| op.is_some()) {
                let verb = method(verb);
                let request = Request::builder()
                    .method(verb.clone())
                    .uri(concrete(path))
                    .header("content-type", "application/json")
                    .body(Body::from("{}"))
                    .expect("request");
                let response = app.clone().oneshot(request).await.expect("infallible");
                let status = response.status().as_u16();
                let body = axum::body::to_bytes(response.into_body(), 1 << 20).await.expect("body");
                let body = String::from_utf8_lossy(&body);
                assert!(
                    status != 405 && !(status == 404 && body.contains("route not found")),
                    "{name}: {verb:?} {path} is documented but the Lambda router answered {status} {body}"
                );
                checked += 1;
            }
        }
    }
    assert!(checked >= 60, "checked {checked} documented operations");
}
