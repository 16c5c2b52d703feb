//! The `internal` function: routes for the data plane and tooling — the
//! project snapshot, usage reports and health, which carry no user
//! credential (on AWS they sit behind IAM authorization, SigV4; locally on
//! the loopback listener) — and the public pages, which hold no tenant data:
//! the OpenAPI document, its reference page and the web console.

pub mod console;
pub mod docs;
mod ingest;
mod snapshot;
mod usage;

use std::time::{Duration, Instant};

use axum::Router;
use axum::extract::State;
use axum::http::{StatusCode, header};
use axum::response::IntoResponse;
use axum::routing::get;
use controlplane::AppState;
use serde::Serialize;
use utoipa::ToSchema;

/// The committed OpenAPI document (kept equal to the generated one by the
/// drift test), served as is.
pub const OPENAPI_JSON: &str = include_str!("../../../openapi.json");

controlplane::function_routes! {
    health;
    snapshot::get_snapshot;
    usage::report_usage;
    ingest::ingest_event;
}

/// The Lambda's router: health, the committed OpenAPI document, the
/// reference page over it, and the web console.
pub fn app(state: AppState) -> Router {
    let router = routes();
    let router = docs::routes(router.route("/v1/openapi.json", get(openapi)));
    let router = console::routes(router, &state);
    controlplane::edge::http::finish(router, state)
}

async fn openapi() -> impl IntoResponse {
    ([(header::CONTENT_TYPE, "application/json")], OPENAPI_JSON)
}

#[derive(Serialize, ToSchema)]
#[schema(example = json!({
    "status": "ok",
    "version": "0.1.0",
    "uptime_seconds": 3600,
    "dependencies": {"store": {"status": "ok", "latency_ms": 1.2}, "queue": {"status": "ok", "latency_ms": 2.5}},
}))]
pub struct Health {
    /// `ok`, or `unavailable` when a dependency fails.
    pub status: &'static str,
    pub version: &'static str,
    pub uptime_seconds: u64,
    pub dependencies: Dependencies,
}

#[derive(Serialize, ToSchema)]
pub struct Dependencies {
    pub store: DependencyHealth,
    /// Absent when the function sends no job messages.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub queue: Option<DependencyHealth>,
    /// Absent when no secrets store is configured.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub secrets: Option<DependencyHealth>,
}

#[derive(Serialize, ToSchema)]
pub struct DependencyHealth {
    pub status: &'static str,
    pub latency_ms: f64,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub error: Option<&'static str>,
}

/// Pings a dependency within `timeout` (`AppState::health_timeout`).
async fn probe<E: std::fmt::Display>(
    name: &'static str,
    timeout: Duration,
    ping: impl std::future::Future<Output = Result<(), E>>,
) -> DependencyHealth {
    let started = Instant::now();
    let outcome = tokio::time::timeout(timeout, ping).await;
    let latency_ms = (started.elapsed().as_secs_f64() * 1000.0 * 100.0).round() / 100.0;
    match outcome {
        Ok(Ok(())) => DependencyHealth { status: "ok", latency_ms, error: None },
        Ok(Err(e)) => {
            tracing::warn!(error = %e, dependency = name, "health: dependency unavailable");
            DependencyHealth { status: "unavailable", latency_ms, error: Some("did not answer") }
        }
        Err(_) => DependencyHealth { status: "unavailable", latency_ms, error: Some("timed out") },
    }
}

/// Service health: each dependency's status and latency; 503 when any is down.
#[utoipa::path(get, path = "/internal/health", operation_id = "internal.health", tag = "internal",
    responses((status = 200, body = Health), (status = 503, body = Health)))]
pub async fn health(State(state): State<AppState>) -> (StatusCode, axum::Json<Health>) {
    let timeout = state.health_timeout;
    let store = probe("store", timeout, state.store.ping());
    let queue = async {
        match &state.queue {
            Some(queue) => Some(probe("queue", timeout, queue.ping()).await),
            None => None,
        }
    };
    let secrets = async {
        match &state.secrets {
            Some(secrets) => Some(probe("secrets", timeout, secrets.ping()).await),
            None => None,
        }
    };
    let (store, queue, secrets) = tokio::join!(store, queue, secrets);
    let healthy =
        store.status == "ok" && [&queue, &secrets].iter().all(|d| d.as_ref().is_none_or(|d| d.status == "ok"));
    let body = Health {
        status: if healthy { "ok" } else { "unavailable" },
        version: controlplane::VERSION,
        uptime_seconds: state.started.elapsed().as_secs(),
        dependencies: Dependencies { store, queue, secrets },
    };
    (if healthy { StatusCode::OK } else { StatusCode::SERVICE_UNAVAILABLE }, axum::Json(body))
}

#[cfg(test)]
mod tests {
    use controlplane::ports::secrets::{SecretName, SecretValue, Secrets, SecretsError};
    use controlplane::testing::{call, event, sqlite_state};

    #[tokio::test]
    async fn an_api_gateway_health_event_reports_the_store_healthy_without_a_token() {
        let test = sqlite_state();
        let (status, _, body) = call(super::app(test.state.clone()), event("apigw-internal-health.json", None)).await;
        assert_eq!(status, 200, "{body}");
        assert_eq!(body["status"], "ok");
        assert_eq!(body["dependencies"]["store"]["status"], "ok");
    }

    /// A secrets store that does not answer.
    struct DownSecrets;

    #[async_trait::async_trait]
    impl Secrets for DownSecrets {
        async fn put(&self, _: &SecretName, _: &SecretValue) -> Result<String, SecretsError> {
            Err(SecretsError::Unavailable("connection refused".into()))
        }
        async fn get(&self, _: &SecretName) -> Result<Option<SecretValue>, SecretsError> {
            Err(SecretsError::Unavailable("connection refused".into()))
        }
        async fn delete(&self, _: &SecretName) -> Result<(), SecretsError> {
            Err(SecretsError::Unavailable("connection refused".into()))
        }
        async fn ping(&self) -> Result<(), SecretsError> {
            Err(SecretsError::Unavailable("connection refused".into()))
        }
    }

    #[tokio::test]
    async fn health_is_503_naming_the_secrets_store_when_it_is_down_and_the_store_is_up() {
        let test = sqlite_state();
        let state = test.state.clone().with_secrets(std::sync::Arc::new(DownSecrets));
        let (status, _, body) = call(super::app(state), event("apigw-internal-health.json", None)).await;
        assert_eq!(status, 503, "{body}");
        assert_eq!(body["dependencies"]["store"]["status"], "ok");
        assert_eq!(body["dependencies"]["secrets"]["status"], "unavailable");
        assert!(body["dependencies"]["secrets"]["latency_ms"].is_number());
    }

    #[tokio::test]
    async fn the_openapi_route_serves_the_committed_document() {
        let test = sqlite_state();
        let mut request = event("apigw-internal-health.json", None);
        *request.uri_mut() = "/v1/openapi.json".parse().unwrap();
        let (status, headers, body) = call(super::app(test.state.clone()), request).await;
        assert_eq!(status, 200);
        assert_eq!(headers["content-type"], "application/json");
        let committed: serde_json::Value = serde_json::from_str(super::OPENAPI_JSON).unwrap();
        assert_eq!(body, committed);
        assert!(body["paths"]["/internal/health"].is_object());
    }

    #[tokio::test]
    async fn the_function_serves_the_reference_page_and_its_script_without_credentials() {
        use tower::ServiceExt;
        let test = sqlite_state();
        for (path, content_type) in [
            (super::docs::PAGE_PATH, "text/html; charset=utf-8"),
            (super::docs::SCRIPT_PATH, "text/javascript; charset=utf-8"),
        ] {
            let mut request = event("apigw-internal-health.json", None);
            *request.uri_mut() = path.parse().unwrap();
            let response = super::app(test.state.clone()).oneshot(request).await.unwrap();
            assert_eq!(response.status(), 200, "{path}");
            assert_eq!(response.headers()["content-type"], content_type, "{path}");
            let body = axum::body::to_bytes(response.into_body(), usize::MAX).await.unwrap();
            assert!(body.len() > 100, "{path}");
        }
    }
}
