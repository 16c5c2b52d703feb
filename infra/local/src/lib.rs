//! The whole control plane as one local process: every function's router
//! merged behind the shared middleware, the generated OpenAPI document, and
//! the local configuration (data directory, JWT secret, store).

pub mod bare;

use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::Duration;

use axum::Router;
use axum::http::header;
use axum::routing::get;
use controlplane::AppState;
use controlplane::app::{ConfigError, JWT_SECRET_ARN_ENV, JWT_SECRET_ENV, STORE_ENV};
use controlplane::base::files::{random_hex_key, write_private};
use controlplane::domain::events::publisher::Publisher;
use controlplane::domain::worker::Worker;
use controlplane::edge::openapi::ApiDoc;
use controlplane::ports::blobs::BlobsUrl;
use controlplane::ports::bus::BusUrl;
use controlplane::ports::queue::{self, DynQueue, QueueUrl, sqs::SqsQueue};
use controlplane::ports::secrets::SecretsUrl;
use controlplane::ports::store::{self, DynStore, StoreUrl, dynamodb::DynamoStore};
use tokio::net::TcpListener;
use utoipa::OpenApi;
use utoipa_axum::router::OpenApiRouter;

pub const DATA_DIR_ENV: &str = "CONTROLPLANE_DATA_DIR";
pub const DEFAULT_DATA_DIR: &str = ".controlplane";
pub const SECRET_FILE: &str = "jwt-secret";
pub const DEFAULT_PORT: u16 = 3000;

fn api() -> OpenApiRouter<AppState> {
    OpenApiRouter::with_openapi(ApiDoc::openapi())
        .merge(orgs::api())
        .merge(projects::api())
        .merge(audit::api())
        .merge(keys::api())
        .merge(auth::api())
        .merge(jobs::api())
        .merge(usage::api())
        .merge(webhooks::api())
        .merge(sources::api())
        .merge(schedules::api())
        .merge(internal::api())
        .merge(mcp::api())
}

/// The OpenAPI document generated from the code.
pub fn openapi_document() -> serde_json::Value {
    let (_, mut spec) = api().split_for_parts();
    spec.info.version = controlplane::VERSION.to_owned();
    controlplane::edge::openapi::complete(spec)
}

/// The document's paths and operations as utoipa reads them (for tests
/// that walk the routes; schema details it has no place for are dropped).
pub fn openapi() -> utoipa::openapi::OpenApi {
    serde_json::from_value(openapi_document()).expect("the document is an OpenAPI document")
}

/// The document as committed in `openapi.json` (pretty, trailing newline).
pub fn openapi_json() -> String {
    let mut json =
        serde_json::to_string_pretty(&openapi_document()).unwrap_or_else(|e| format!("{{\"error\": \"{e}\"}}"));
    json.push('\n');
    json
}

/// Every route of every function, with the shared middleware.
pub fn router(state: AppState) -> Router {
    let (router, _) = api().split_for_parts();
    let spec: Arc<str> = openapi_json().into();
    let router = router
        .route(
            "/v1/openapi.json",
            get(move || {
                let spec = Arc::clone(&spec);
                async move { ([(header::CONTENT_TYPE, "application/json")], spec.to_string()) }
            }),
        )
        .merge(mcp::gateway_routes(state.clone()));
    let router = internal::console::routes(internal::docs::routes(router), &state);
    controlplane::edge::http::finish(router, state)
}

/// `CONTROLPLANE_DATA_DIR`, else `./.controlplane`.
pub fn data_dir() -> PathBuf {
    std::env::var_os(DATA_DIR_ENV).map(PathBuf::from).unwrap_or_else(|| PathBuf::from(DEFAULT_DATA_DIR))
}

/// `CONTROLPLANE_JWT_SECRET` or the secret `CONTROLPLANE_JWT_SECRET_ARN`
/// names (as a function reads them), else the secret kept in the data
/// directory (generated on first use), so the server and `token` agree.
pub async fn jwt_secret(data_dir: &Path) -> Result<Vec<u8>, ConfigError> {
    let configured = |name| std::env::var(name).is_ok_and(|v| !v.is_empty());
    if configured(JWT_SECRET_ENV) || configured(JWT_SECRET_ARN_ENV) {
        return Ok(controlplane::app::jwt_secret_from(|name| std::env::var(name).ok()).await?.into_bytes());
    }
    let path = data_dir.join(SECRET_FILE);
    let io =
        |e: std::io::Error| ConfigError::Invalid { name: JWT_SECRET_ENV, reason: format!("{}: {e}", path.display()) };
    match std::fs::read_to_string(&path) {
        Ok(secret) => Ok(secret.trim().as_bytes().to_vec()),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
            std::fs::create_dir_all(data_dir).map_err(io)?;
            write_private(&path, &random_hex_key()).map_err(io)?;
            // Another process may have won the race; the file is the truth.
            Ok(std::fs::read_to_string(&path).map_err(io)?.trim().as_bytes().to_vec())
        }
        Err(e) => Err(io(e)),
    }
}

/// `CONTROLPLANE_STORE`, else the SQLite file in the data directory.
pub fn store_url(data_dir: &Path) -> Result<StoreUrl, ConfigError> {
    match std::env::var(STORE_ENV) {
        Ok(url) => url.parse().map_err(|reason| ConfigError::Invalid { name: STORE_ENV, reason }),
        Err(_) => Ok(StoreUrl::Sqlite(data_dir.join("controlplane.db"))),
    }
}

/// Opens the store; against a local emulator (`AWS_ENDPOINT_URL` set) the
/// DynamoDB table is created when missing.
pub async fn open_store(url: &StoreUrl) -> Result<DynStore, ConfigError> {
    if let StoreUrl::Dynamo(table) = url
        && std::env::var_os("AWS_ENDPOINT_URL").is_some()
    {
        let dynamo = DynamoStore::from_env(table.clone()).await;
        dynamo.ensure_table().await?;
        return Ok(Arc::new(dynamo));
    }
    Ok(store::open(url).await?)
}

/// `CONTROLPLANE_QUEUE`, else a SQLite queue in the data directory's file.
pub fn queue_url(data_dir: &Path) -> Result<QueueUrl, ConfigError> {
    Ok(controlplane::app::url_from_env(controlplane::app::QUEUE_ENV)?
        .unwrap_or_else(|| QueueUrl::Sqlite { path: data_dir.join("controlplane.db"), name: "jobs".into() }))
}

/// Opens the queue; against a local emulator (`AWS_ENDPOINT_URL` set) the
/// SQS queue and its dead-letter queue are created when missing.
pub async fn open_queue(url: &QueueUrl) -> Result<DynQueue, ConfigError> {
    if let QueueUrl::Sqs { owner, name } = url
        && std::env::var_os("AWS_ENDPOINT_URL").is_some()
    {
        let sqs = SqsQueue::from_env(name).await.owned_by(owner.as_deref());
        sqs.ensure_queue(queue::DEFAULT_MAX_RECEIVES).await?;
        return Ok(Arc::new(sqs));
    }
    Ok(queue::open(url).await?)
}

/// `CONTROLPLANE_SECRETS`, else the local encrypted store in the data
/// directory's file (key in `controlplane.db.key`).
pub fn secrets_url(data_dir: &Path) -> Result<SecretsUrl, ConfigError> {
    Ok(controlplane::app::url_from_env(controlplane::ports::secrets::SECRETS_ENV)?
        .unwrap_or_else(|| SecretsUrl::Local(data_dir.join("controlplane.db"))))
}

/// `CONTROLPLANE_BLOBS`, else the `blobs` folder of the data directory.
pub fn blobs_url(data_dir: &Path) -> Result<BlobsUrl, ConfigError> {
    Ok(controlplane::app::url_from_env(controlplane::ports::blobs::BLOBS_ENV)?
        .unwrap_or_else(|| BlobsUrl::Local(data_dir.join("blobs"))))
}

/// `CONTROLPLANE_EVENTS`, else `file://{data}/events.jsonl`.
pub fn events_url(data_dir: &Path) -> Result<BusUrl, ConfigError> {
    Ok(controlplane::app::url_from_env(controlplane::ports::bus::EVENTS_ENV)?
        .unwrap_or_else(|| BusUrl::File(data_dir.join("events.jsonl"))))
}

/// How often the local publisher sweeps the outbox.
pub const PUBLISH_EVERY: Duration = Duration::from_secs(1);

/// The in-process publisher: sweeps the outbox every `every` (the stream's
/// job on AWS).
pub fn spawn_publisher(publisher: Publisher, every: Duration) {
    tokio::spawn(async move {
        let mut ticks = tokio::time::interval(every);
        loop {
            ticks.tick().await;
            if let Err(error) = publisher.sweep(Duration::ZERO, chrono::Utc::now()).await {
                tracing::warn!(%error, "publisher sweep failed");
            }
        }
    });
}

/// How often the local scheduler ticks (the template's rule: every minute;
/// a tick between slots does nothing).
pub const SCHEDULE_EVERY: Duration = Duration::from_secs(15);

/// The in-process scheduler (the `scheduler` function's EventBridge rule on AWS).
pub fn spawn_scheduler(scheduler: controlplane::domain::schedule::Scheduler, every: Duration) {
    tokio::spawn(async move {
        let mut ticks = tokio::time::interval(every);
        loop {
            ticks.tick().await;
            match scheduler.tick(chrono::Utc::now()).await {
                Ok(ticked) if ticked != Default::default() => tracing::info!(?ticked, "scheduler tick"),
                Ok(_) => {}
                Err(error) => tracing::warn!(%error, "scheduler tick failed"),
            }
        }
    });
}

/// How often the local reconciler runs (the template's schedule: every minute).
pub const RECONCILE_EVERY: Duration = Duration::from_secs(60);
const IDLE_POLL: Duration = Duration::from_millis(250);

/// The in-process worker and reconciler: the worker takes messages as they
/// come; the reconciler passes every `reconcile_every`.
/// Polls the worker's queue for as long as the process runs.
pub fn spawn_polling(worker: Arc<Worker>) {
    tokio::spawn(async move {
        loop {
            match worker.poll(queue::MAX_BATCH).await {
                Ok(0) => tokio::time::sleep(IDLE_POLL).await,
                Ok(_) => {}
                Err(error) => {
                    tracing::warn!(%error, "worker poll failed");
                    tokio::time::sleep(IDLE_POLL).await;
                }
            }
        }
    });
}

pub fn spawn_background(worker: Arc<Worker>, reconcile_every: Duration) {
    spawn_polling(Arc::clone(&worker));
    tokio::spawn(async move {
        let mut ticks = tokio::time::interval(reconcile_every);
        loop {
            ticks.tick().await;
            let now = chrono::Utc::now();
            match worker.reconcile(now).await {
                Ok(report) if report != Default::default() => tracing::info!(?report, "reconciler pass"),
                Ok(_) => {}
                Err(error) => tracing::warn!(%error, "reconciler pass failed"),
            }
            if let Err(error) = controlplane::domain::limits::sweep(worker.store(), worker.queue(), now).await {
                tracing::warn!(%error, "usage limits sweep failed");
            }
        }
    });
}

pub const ALLOWED_HOSTS_ENV: &str = "CONTROLPLANE_ALLOWED_HOSTS";

/// The `Host` values the local server answers for: its own address, the
/// loopback names at its port, and the comma-separated `host[:port]`
/// names of `CONTROLPLANE_ALLOWED_HOSTS` (a name without a port is allowed
/// at the listener's port).
pub fn allowed_hosts(addr: SocketAddr) -> Vec<String> {
    let port = addr.port();
    let configured = std::env::var(ALLOWED_HOSTS_ENV).unwrap_or_default();
    let configured = configured.split(',').map(str::trim).filter(|h| !h.is_empty()).map(|h| {
        let has_port = h.rsplit_once(':').is_some_and(|(_, p)| p.parse::<u16>().is_ok()) && !h.ends_with(']');
        if has_port { h.to_owned() } else { format!("{h}:{port}") }
    });
    [addr.to_string(), format!("localhost:{port}"), format!("127.0.0.1:{port}"), format!("[::1]:{port}")]
        .into_iter()
        .chain(configured)
        .collect()
}

/// Serves the router until Ctrl-C.
/// Requests must name the listener's address (or `localhost` at its port,
/// or a name in `CONTROLPLANE_ALLOWED_HOSTS`) as their `Host`.
pub async fn serve(listener: TcpListener, state: AppState) -> std::io::Result<()> {
    let state = state.with_allowed_hosts(allowed_hosts(listener.local_addr()?));
    // The peer, as the shared middleware reads it.
    let router = router(state).layer(axum::middleware::map_request(|mut request: axum::extract::Request| async move {
        let peer = request.extensions().get::<axum::extract::ConnectInfo<bare::Peer>>().map(|c| c.0.0);
        if let Some(peer) = peer {
            request.extensions_mut().insert(axum::extract::ConnectInfo(peer));
        }
        request
    }));
    axum::serve(bare::GuardedListener(listener), router.into_make_service_with_connect_info::<bare::Peer>())
        .with_graceful_shutdown(async {
            let _ = tokio::signal::ctrl_c().await;
        })
        .await
}
