//! The orchestrator port: what sets a project's runtime up and tears it
//! down. The provisioning jobs call it; two adapters:
//!
//! - [`HttpOrchestrator`]: `PUT {base}/projects/{project_id}` and `DELETE`
//!   on the same path, with connect and request timeouts, retries with
//!   exponential backoff and jitter on timeouts, 5xx and 429, and an
//!   `Idempotency-Key` per project and template version, so a repeated
//!   call (a retry, a redelivered job) is one provisioning for the
//!   orchestrator.
//! - [`LocalOrchestrator`]: in-process, succeeds after a configurable delay
//!   (or fails, when told to); the default for `cargo run`.

use std::collections::HashSet;
use std::sync::Mutex;
use std::time::Duration;

use async_trait::async_trait;
use bytes::Bytes;
use http_body_util::Full;
use serde::{Deserialize, Serialize};

use crate::base::ids::ProjectId;
use crate::base::tenant::OrgId;
use crate::domain::project::Environment;
use crate::ports::outbound::{self, HttpClient};

pub const URL_ENV: &str = "CONTROLPLANE_ORCHESTRATOR_URL";
pub const LOCAL_DELAY_ENV: &str = "CONTROLPLANE_PROVISION_DELAY_MS";
pub const LOCAL_FAIL_ENV: &str = "CONTROLPLANE_PROVISION_FAIL";
pub const DEFAULT_LOCAL_DELAY: Duration = Duration::from_millis(500);

const CONNECT_TIMEOUT: Duration = Duration::from_secs(2);
const REQUEST_TIMEOUT: Duration = Duration::from_secs(10);
const ATTEMPTS: u32 = 3;
const RETRY_BASE: Duration = Duration::from_millis(200);
const MAX_RESPONSE_BYTES: usize = 64 * 1024;

/// What to set up.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ProvisionRequest {
    pub org_id: OrgId,
    pub project_id: ProjectId,
    pub environment: Environment,
    pub runtime_template_version: u32,
}

impl ProvisionRequest {
    /// The same for every call provisioning this project at this version.
    pub fn idempotency_key(&self) -> String {
        format!("provision:{}:v{}", self.project_id, self.runtime_template_version)
    }
}

/// What the orchestrator set up.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Provisioned {
    pub runtime_template_version: u32,
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum OrchestratorError {
    /// Worth trying again later (timeouts, 5xx, throttling).
    #[error("{0}")]
    Unavailable(String),
    /// The orchestrator refused; trying again cannot help.
    #[error("{0}")]
    Rejected(String),
}

#[async_trait]
pub trait Orchestrator: Send + Sync {
    async fn provision(&self, request: &ProvisionRequest) -> Result<Provisioned, OrchestratorError>;

    /// Tears the project's runtime down; done already (or never set up) is success.
    async fn deprovision(&self, org: &OrgId, project: &ProjectId) -> Result<(), OrchestratorError>;

    /// Where calls go, when they leave the process (for the egress gate).
    fn endpoint(&self) -> Option<&str> {
        None
    }
}

/// The orchestrator the environment names: `CONTROLPLANE_ORCHESTRATOR_URL`,
/// else the in-process one (`CONTROLPLANE_PROVISION_DELAY_MS`, default 500;
/// `CONTROLPLANE_PROVISION_FAIL` = a reason makes every provisioning fail).
pub fn from_env() -> Result<std::sync::Arc<dyn Orchestrator>, String> {
    if let Ok(url) = std::env::var(URL_ENV) {
        return Ok(std::sync::Arc::new(HttpOrchestrator::new(&url).map_err(|e| format!("{URL_ENV} {e}"))?));
    }
    let delay = match std::env::var(LOCAL_DELAY_ENV) {
        Ok(ms) => Duration::from_millis(ms.parse().map_err(|_| format!("{LOCAL_DELAY_ENV} must be milliseconds"))?),
        Err(_) => DEFAULT_LOCAL_DELAY,
    };
    let local = LocalOrchestrator::new(delay);
    Ok(std::sync::Arc::new(match std::env::var(LOCAL_FAIL_ENV) {
        Ok(reason) if !reason.is_empty() => local.failing(&reason),
        _ => local,
    }))
}

/// The in-process orchestrator.
pub struct LocalOrchestrator {
    delay: Duration,
    fail: Option<String>,
    /// Idempotency keys seen: a repeated provisioning is not set up twice.
    provisioned: Mutex<HashSet<String>>,
}

impl LocalOrchestrator {
    pub fn new(delay: Duration) -> Self {
        Self { delay, fail: None, provisioned: Mutex::default() }
    }

    /// The same orchestrator refusing every provisioning with `reason`.
    pub fn failing(mut self, reason: &str) -> Self {
        self.fail = Some(reason.to_owned());
        self
    }

    /// How many distinct provisionings were set up.
    pub fn provisioned_count(&self) -> usize {
        self.provisioned.lock().map(|p| p.len()).unwrap_or(0)
    }
}

#[async_trait]
impl Orchestrator for LocalOrchestrator {
    async fn provision(&self, request: &ProvisionRequest) -> Result<Provisioned, OrchestratorError> {
        tokio::time::sleep(self.delay).await;
        if let Some(reason) = &self.fail {
            return Err(OrchestratorError::Rejected(reason.clone()));
        }
        if let Ok(mut seen) = self.provisioned.lock() {
            seen.insert(request.idempotency_key());
        }
        Ok(Provisioned { runtime_template_version: request.runtime_template_version })
    }

    async fn deprovision(&self, _org: &OrgId, project: &ProjectId) -> Result<(), OrchestratorError> {
        tokio::time::sleep(self.delay).await;
        if let Ok(mut seen) = self.provisioned.lock() {
            seen.retain(|key| !key.starts_with(&format!("provision:{project}:")));
        }
        Ok(())
    }
}

/// The orchestrator behind an HTTP API.
pub struct HttpOrchestrator {
    base: String,
    client: std::sync::OnceLock<HttpClient>,
    request_timeout: Duration,
    retry_base: Duration,
}

impl HttpOrchestrator {
    /// `base` is `https://…` (or `http://` on a loopback host).
    pub fn new(base: &str) -> Result<Self, String> {
        outbound::check_url(base)?;
        Ok(Self {
            base: base.trim_end_matches('/').to_owned(),
            client: std::sync::OnceLock::new(),
            request_timeout: REQUEST_TIMEOUT,
            retry_base: RETRY_BASE,
        })
    }

    /// The same client with other timings (tests).
    pub fn with_timings(mut self, request_timeout: Duration, retry_base: Duration) -> Self {
        self.request_timeout = request_timeout;
        self.retry_base = retry_base;
        self
    }

    fn client(&self) -> Result<&HttpClient, OrchestratorError> {
        if let Some(client) = self.client.get() {
            return Ok(client);
        }
        let client = outbound::client(CONNECT_TIMEOUT).map_err(OrchestratorError::Unavailable)?;
        Ok(self.client.get_or_init(|| client))
    }

    /// Sends the request up to [`ATTEMPTS`] times; returns the 2xx body, or
    /// `None` for a 404 on a delete.
    async fn call(
        &self,
        method: http::Method,
        path: &str,
        body: Option<String>,
        idempotency_key: &str,
    ) -> Result<Option<Bytes>, OrchestratorError> {
        let url = format!("{}{path}", self.base);
        let mut last = OrchestratorError::Unavailable(format!("{method} {url}: not attempted"));
        for attempt in 0..ATTEMPTS {
            if attempt > 0 {
                tokio::time::sleep(outbound::backoff(self.retry_base, attempt)).await;
            }
            let mut request = http::Request::builder()
                .method(method.clone())
                .uri(&url)
                .header("idempotency-key", idempotency_key)
                .header("user-agent", concat!("controlplane/", env!("CARGO_PKG_VERSION")));
            if body.is_some() {
                request = request.header("content-type", "application/json");
            }
            let request = request
                .body(Full::new(Bytes::from(body.clone().unwrap_or_default())))
                .map_err(|e| OrchestratorError::Rejected(format!("{url}: {e}")))?;
            let what = format!("{method} {url}");
            let answer = outbound::exchange(self.client()?, request, self.request_timeout, MAX_RESPONSE_BYTES, &what);
            let (status, bytes) = match answer.await {
                Ok(answer) => answer,
                Err(error) => {
                    last = OrchestratorError::Unavailable(error);
                    continue;
                }
            };
            if status.is_success() {
                return Ok(Some(bytes));
            }
            if status == http::StatusCode::NOT_FOUND && method == http::Method::DELETE {
                return Ok(None);
            }
            let error = format!("{method} {url}: status {status}");
            if outbound::is_transient(status) {
                last = OrchestratorError::Unavailable(error);
            } else {
                return Err(OrchestratorError::Rejected(error));
            }
        }
        Err(last)
    }
}

#[async_trait]
impl Orchestrator for HttpOrchestrator {
    fn endpoint(&self) -> Option<&str> {
        Some(&self.base)
    }

    async fn provision(&self, request: &ProvisionRequest) -> Result<Provisioned, OrchestratorError> {
        let body = serde_json::to_string(request).map_err(|e| OrchestratorError::Rejected(e.to_string()))?;
        let path = format!("/projects/{}", request.project_id);
        let answer = self.call(http::Method::PUT, &path, Some(body), &request.idempotency_key()).await?;
        let bytes = answer.unwrap_or_default();
        serde_json::from_slice(&bytes)
            .map_err(|e| OrchestratorError::Unavailable(format!("PUT {path}: unreadable answer: {e}")))
    }

    async fn deprovision(&self, _org: &OrgId, project: &ProjectId) -> Result<(), OrchestratorError> {
        let path = format!("/projects/{project}");
        self.call(http::Method::DELETE, &path, None, &format!("deprovision:{project}")).await.map(|_| ())
    }
}

#[cfg(test)]
mod tests {
    use std::sync::Arc;
    use std::sync::atomic::{AtomicUsize, Ordering};

    use axum::http::{HeaderMap, StatusCode};
    use axum::routing::put;

    use super::*;

    /// An orchestrator API answering each call with the next status of
    /// `script` (the last one repeats), recording the idempotency keys.
    async fn orchestrator_api(script: Vec<StatusCode>, hang: bool) -> (String, Arc<Mutex<Vec<String>>>) {
        let keys = Arc::new(Mutex::new(Vec::new()));
        let calls = Arc::new(AtomicUsize::new(0));
        let seen = Arc::clone(&keys);
        let answer = move |headers: HeaderMap| {
            let (seen, calls, script) = (Arc::clone(&seen), Arc::clone(&calls), script.clone());
            async move {
                let key = headers.get("idempotency-key").and_then(|v| v.to_str().ok()).unwrap_or("").to_owned();
                seen.lock().unwrap().push(key);
                if hang {
                    tokio::time::sleep(Duration::from_secs(30)).await;
                }
                let n = calls.fetch_add(1, Ordering::SeqCst);
                let status = script[n.min(script.len() - 1)];
                (status, r#"{"runtime_template_version":1}"#)
            }
        };
        let app = axum::Router::new().route("/projects/{id}", put(answer.clone()).delete(answer));
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let base = format!("http://{}", listener.local_addr().unwrap());
        tokio::spawn(async move { axum::serve(listener, app).await });
        (base, keys)
    }

    fn request() -> ProvisionRequest {
        ProvisionRequest {
            org_id: OrgId::generate(),
            project_id: ProjectId::generate(),
            environment: Environment::Production,
            runtime_template_version: 1,
        }
    }

    fn client(base: &str) -> HttpOrchestrator {
        HttpOrchestrator::new(base).unwrap().with_timings(Duration::from_millis(300), Duration::from_millis(5))
    }

    #[tokio::test]
    async fn server_errors_are_retried_with_the_same_idempotency_key_until_one_succeeds() {
        let (base, keys) =
            orchestrator_api(vec![StatusCode::SERVICE_UNAVAILABLE, StatusCode::BAD_GATEWAY, StatusCode::OK], false)
                .await;
        let request = request();
        let provisioned = client(&base).provision(&request).await.unwrap();
        assert_eq!(provisioned.runtime_template_version, 1);
        let keys = keys.lock().unwrap().clone();
        assert_eq!(keys, vec![request.idempotency_key(); 3]);
    }

    #[tokio::test]
    async fn a_refusal_is_not_retried_and_exhausted_retries_are_worth_trying_later() {
        let (base, keys) = orchestrator_api(vec![StatusCode::UNPROCESSABLE_ENTITY], false).await;
        let refused = client(&base).provision(&request()).await.unwrap_err();
        assert!(matches!(refused, OrchestratorError::Rejected(_)), "{refused:?}");
        assert_eq!(keys.lock().unwrap().len(), 1);

        let (base, keys) = orchestrator_api(vec![StatusCode::TOO_MANY_REQUESTS], false).await;
        let throttled = client(&base).provision(&request()).await.unwrap_err();
        assert!(matches!(throttled, OrchestratorError::Unavailable(_)), "{throttled:?}");
        assert_eq!(keys.lock().unwrap().len(), ATTEMPTS as usize);
    }

    #[tokio::test]
    async fn a_hanging_orchestrator_times_out_and_a_missing_project_is_already_deprovisioned() {
        let (base, keys) = orchestrator_api(vec![StatusCode::OK], true).await;
        let started = std::time::Instant::now();
        let timed_out = client(&base).provision(&request()).await.unwrap_err();
        assert!(matches!(timed_out, OrchestratorError::Unavailable(ref e) if e.contains("timed out")), "{timed_out:?}");
        // It gives up (after its attempts' timeouts) instead of hanging; the
        // bound is loose so a busy machine does not decide the outcome.
        assert!(started.elapsed() < Duration::from_secs(60));
        assert_eq!(keys.lock().unwrap().len(), ATTEMPTS as usize);

        let (base, _) = orchestrator_api(vec![StatusCode::NOT_FOUND], false).await;
        let request = request();
        client(&base).deprovision(&request.org_id, &request.project_id).await.unwrap();
    }

    #[test]
    fn only_https_or_loopback_orchestrators_are_accepted() {
        assert!(HttpOrchestrator::new("https://orchestrator.internal").is_ok());
        assert!(HttpOrchestrator::new("http://127.0.0.1:9000").is_ok());
        assert!(HttpOrchestrator::new("http://orchestrator.internal").is_err());
    }
}
