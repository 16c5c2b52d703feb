//! Helpers for the end-to-end suite: spawn the whole local router on a fresh
//! store per test, mint tokens, and make requests over real HTTP.

pub mod mcp_upstream;
pub mod oidc;

use std::sync::Arc;

use async_trait::async_trait;
use controlplane::AppState;
use controlplane::base::residency::Region;
use controlplane::domain::orchestrator::LocalOrchestrator;
use controlplane::domain::ratelimit::Limits;
use controlplane::domain::worker::Worker;
use controlplane::edge::auth::jwt::JwtKeys;
use controlplane::ports::blobs::DynBlobs;
use controlplane::ports::blobs::local::LocalBlobs;
use controlplane::ports::blobs::s3::S3Blobs;
use controlplane::ports::queue::DynQueue;
use controlplane::ports::queue::sqlite::SqliteQueue;
use controlplane::ports::queue::sqs::SqsQueue;
use controlplane::ports::regional::ByRegion;
use controlplane::ports::secrets::DynSecrets;
use controlplane::ports::secrets::local::LocalSecrets;
use controlplane::ports::secrets::secretsmanager::SecretsManager;
use controlplane::ports::store::dynamodb::DynamoStore;
use controlplane::ports::store::sqlite::SqliteStore;
use controlplane::ports::store::{Condition, DynStore, Item, Key, Page, Query, Store, StoreError, WriteOp};
use reqwest::{Method, RequestBuilder};
use serde_json::Value;

pub const SECRET: &[u8] = b"e2e-secret-e2e-secret-e2e-secret!";

/// Which adapter a test runs on.
#[derive(Debug, Clone, Copy)]
pub enum Backend {
    Sqlite,
    Dynamodb,
}

pub struct TestApp {
    pub base: String,
    pub store: DynStore,
    pub queue: DynQueue,
    /// The blob and secrets stores the product uses: each key goes to its
    /// region's store (see [`TestApp::stores`]).
    pub blobs: DynBlobs,
    pub secrets: DynSecrets,
    /// Each region's own blob and secrets stores, the default region's first.
    pub stores: Vec<RegionStores>,
    /// Publishes the outbox (to a file) and fans events out to webhooks.
    pub publisher: controlplane::domain::events::publisher::Publisher,
    /// The in-process orchestrator the worker provisions with.
    pub orchestrator: Arc<LocalOrchestrator>,
    worker: Worker,
    jwt: JwtKeys,
    client: reqwest::Client,
    /// The emulator's table, on DynamoDB.
    table: Option<String>,
    _dirs: Vec<tempfile::TempDir>,
}

/// One region's own stores, as a deployment configures them: on SQLite
/// its files, on the emulator its bucket and its AWS region's Secrets Manager.
pub struct RegionStores {
    pub region: Region,
    pub blobs: DynBlobs,
    pub secrets: DynSecrets,
}

/// The AWS regions the emulator keeps the non-default residency regions'
/// secrets in, in order.
const OTHER_AWS_REGIONS: [&str; 3] = ["eu-west-1", "ap-southeast-2", "sa-east-1"];

/// The stores of each region `state` serves.
async fn region_stores(backend: Backend, state: &AppState, dir: Option<&tempfile::TempDir>) -> Vec<RegionStores> {
    let mut stores = Vec::new();
    for (i, region) in state.regions.iter().enumerate() {
        let suffix = if i == 0 { String::new() } else { format!("-{region}") };
        let (blobs, secrets): (DynBlobs, DynSecrets) = match (backend, dir) {
            (Backend::Sqlite, Some(dir)) => (
                Arc::new(LocalBlobs::new(&dir.path().join(format!("blobs{suffix}")))),
                Arc::new(
                    LocalSecrets::open(&dir.path().join(format!("secrets{suffix}.db"))).expect("open local secrets"),
                ),
            ),
            _ => {
                let aws_region = i.checked_sub(1).map(|n| OTHER_AWS_REGIONS[n]);
                let bucket = format!("e2e-{}{suffix}", ulid::Ulid::new().to_string().to_lowercase());
                let s3 = S3Blobs::from_env(&bucket, aws_region).await;
                s3.ensure_bucket().await.expect("create bucket on the emulator");
                (Arc::new(s3), Arc::new(SecretsManager::from_env(aws_region).await))
            }
        };
        stores.push(RegionStores { region: region.clone(), blobs, secrets });
    }
    stores
}

/// A fault injected into the emulator.
pub struct EmulatorFault {
    url: String,
    client: reqwest::Client,
}

impl EmulatorFault {
    /// How many calls it has answered so far.
    pub async fn answered(&self) -> u64 {
        let fault: Value = self.client.get(&self.url).send().await.expect("emulator").json().await.expect("fault");
        fault["answered"].as_u64().expect("a count")
    }
}

/// A fresh, empty jobs queue on the backend (SQS on the emulator for DynamoDB).
pub async fn fresh_queue(backend: Backend) -> (DynQueue, Option<tempfile::TempDir>) {
    match backend {
        Backend::Sqlite => {
            let dir = tempfile::tempdir().expect("temp dir");
            let queue = SqliteQueue::open(&dir.path().join("queue.db"), "jobs", 5).expect("open queue");
            (Arc::new(queue), Some(dir))
        }
        Backend::Dynamodb => {
            let name = format!("e2e-{}", ulid::Ulid::new().to_string().to_lowercase());
            let queue = SqsQueue::from_env(&name).await;
            queue.ensure_queue(5).await.expect("create queue on the emulator");
            (Arc::new(queue), None)
        }
    }
}

/// Where a test's store lives: the SQLite file's folder, or the
/// emulator's table.
#[derive(Default)]
pub struct StoreHome {
    dir: Option<tempfile::TempDir>,
    table: Option<String>,
}

/// A fresh, empty store on the backend.
pub async fn fresh_store(backend: Backend) -> (DynStore, StoreHome) {
    match backend {
        Backend::Sqlite => {
            let dir = tempfile::tempdir().expect("temp dir");
            let store = SqliteStore::open(&dir.path().join("e2e.db")).expect("open sqlite");
            (Arc::new(store), StoreHome { dir: Some(dir), table: None })
        }
        Backend::Dynamodb => {
            assert!(
                std::env::var_os("AWS_ENDPOINT_URL").is_some(),
                "the DynamoDB e2e run needs the local emulator: run scripts/test (it starts moto and sets AWS_ENDPOINT_URL)"
            );
            let table = format!("e2e-{}", ulid::Ulid::new().to_string().to_lowercase());
            let store = DynamoStore::from_env(table.clone()).await;
            store.ensure_table().await.expect("create table on the emulator");
            (Arc::new(store), StoreHome { dir: None, table: Some(table) })
        }
    }
}

impl TestApp {
    pub async fn spawn(backend: Backend) -> Self {
        let (store, dir) = fresh_store(backend).await;
        Self::with_store(backend, store, dir).await
    }

    /// A fresh store with other rate limits than the defaults.
    pub async fn spawn_with_limits(backend: Backend, limits: Limits) -> Self {
        let (store, dir) = fresh_store(backend).await;
        let state = AppState::new(Arc::clone(&store), SECRET).expect("state").with_limits(limits);
        Self::serve(backend, state.with_dev_auth(true), store, dir).await
    }

    /// A fresh store, accepting tokens from `oidc`, and development tokens
    /// only with `dev_auth`.
    pub async fn spawn_with_oidc(backend: Backend, oidc: controlplane::edge::auth::oidc::Oidc, dev_auth: bool) -> Self {
        let (store, dir) = fresh_store(backend).await;
        let state = AppState::new(Arc::clone(&store), SECRET).expect("state").with_oidc(oidc).with_dev_auth(dev_auth);
        Self::serve(backend, state, store, dir).await
    }

    /// Serves the local router over `store` (possibly a fault-injecting wrapper).
    pub async fn with_store(backend: Backend, store: DynStore, dir: StoreHome) -> Self {
        Self::configured(backend, store, dir, |state| state).await
    }

    /// Serves the local router over `store` with the state `configure` makes.
    pub async fn configured(
        backend: Backend,
        store: DynStore,
        dir: StoreHome,
        configure: impl FnOnce(AppState) -> AppState,
    ) -> Self {
        let state = configure(AppState::new(Arc::clone(&store), SECRET).expect("state"));
        Self::serve(backend, state.with_dev_auth(true), store, dir).await
    }

    /// A fresh store with `limits`, serving as a deployment does: key usage
    /// tallied and written in batches, not on every request (benchmarks).
    pub async fn spawn_for_benchmark(backend: Backend, limits: Limits) -> Self {
        let (store, dir) = fresh_store(backend).await;
        let state = AppState::new(Arc::clone(&store), SECRET).expect("state").with_limits(limits);
        Self::serve_as(backend, state.with_dev_auth(true), store, dir, false).await
    }

    /// Key usage is flushed on every request here, so tests can read it back.
    /// Jobs run only when a test calls [`TestApp::run_jobs`].
    async fn serve(backend: Backend, state: AppState, store: DynStore, home: StoreHome) -> Self {
        Self::serve_as(backend, state, store, home, true).await
    }

    async fn serve_as(
        backend: Backend,
        state: AppState,
        store: DynStore,
        home: StoreHome,
        flush_each_request: bool,
    ) -> Self {
        let (queue, queue_dir) = fresh_queue(backend).await;
        let stores = region_stores(backend, &state, queue_dir.as_ref()).await;
        let default = state.regions.default_region().clone();
        let mut blobs = ByRegion::new(default.clone(), Arc::clone(&stores[0].blobs));
        let mut secrets = ByRegion::new(default, Arc::clone(&stores[0].secrets));
        for own in &stores[1..] {
            blobs = blobs.with(own.region.clone(), Arc::clone(&own.blobs));
            secrets = secrets.with(own.region.clone(), Arc::clone(&own.secrets));
        }
        let (blobs, secrets): (DynBlobs, DynSecrets) = (Arc::new(blobs), Arc::new(secrets));
        let state = state.with_secrets(Arc::clone(&secrets)).with_blobs(Arc::clone(&blobs));
        let orchestrator = Arc::new(LocalOrchestrator::new(std::time::Duration::ZERO));
        // Receivers in these tests listen on 127.0.0.1.
        let allow = controlplane::domain::webhooks::target::Allowances { local_development: true };
        let handlers = controlplane::domain::worker::handlers::with_deliveries(
            controlplane::domain::worker::handlers::handlers(orchestrator.clone(), Arc::clone(&blobs)),
            Arc::clone(&secrets),
            allow,
        );
        let probe = Arc::new(controlplane::domain::worker::runner::HttpProbe::new(allow));
        let handlers = controlplane::domain::worker::handlers::with_sources(
            handlers,
            Arc::clone(&secrets),
            Arc::clone(&blobs),
            probe,
        );
        let handlers = controlplane::domain::worker::handlers::with_mcp(
            handlers,
            Arc::clone(&secrets),
            Arc::new(controlplane::ports::mcp_upstream::RmcpUpstream::default()),
            allow,
        );
        let worker = Worker::new(Arc::clone(&store), Arc::clone(&queue), handlers);
        let state = if flush_each_request { state.with_key_usage_flush(std::time::Duration::ZERO) } else { state };
        // A health check here judges the store's answer, not how fast a
        // busy machine gives it.
        let state = state
            .with_queue(Arc::clone(&queue))
            .with_server_timing(true)
            .with_health_timeout(std::time::Duration::from_secs(60));
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.expect("bind");
        let base = format!("http://{}", listener.local_addr().expect("addr"));
        tokio::spawn(async move {
            let _ = controlplane_local::serve(listener, state).await;
        });
        let events_dir = tempfile::tempdir().expect("events dir");
        let bus = Arc::new(controlplane::ports::bus::FileBus::new(events_dir.path().join("events.jsonl")));
        let publisher = controlplane::domain::events::publisher::Publisher::new(Arc::clone(&store), bus)
            .with_deliveries(Arc::clone(&queue));
        Self {
            base,
            store,
            queue,
            blobs,
            secrets,
            stores,
            publisher,
            orchestrator,
            worker,
            jwt: JwtKeys::hs256(SECRET).expect("keys"),
            client: reqwest::Client::new(),
            table: home.table,
            _dirs: home.dir.into_iter().chain(queue_dir).chain([events_dir]).collect(),
        }
    }

    /// Publishes what the outbox holds (creating webhook deliveries) and
    /// runs the jobs that makes.
    pub async fn publish_and_deliver(&self) -> usize {
        self.publisher.sweep(std::time::Duration::ZERO, chrono::Utc::now()).await.expect("publish");
        self.run_jobs().await
    }

    /// Runs the worker until the queue has nothing visible; returns how
    /// many messages it handled.
    pub async fn run_jobs(&self) -> usize {
        let mut handled = 0;
        for _ in 0..50 {
            match self.worker.poll(10).await.expect("worker poll") {
                0 => return handled,
                n => handled += n,
            }
        }
        panic!("the queue never emptied")
    }

    /// Everything this app keeps at rest, as text, for tests that look for
    /// what must never be there: every file under its folders (the SQLite
    /// store with its WAL, the queue, the local secrets, the blobs, the
    /// published events) and, on DynamoDB, a scan of its table.
    pub async fn everything_at_rest(&self) -> String {
        let mut text = String::new();
        for dir in &self._dirs {
            checkpoint_tree(dir.path());
            read_tree(dir.path(), &mut text);
        }
        if let Some(table) = &self.table {
            text.push_str(&scan_emulator_table(table).await);
        }
        text
    }

    /// Makes the emulator answer the next `times` calls of `target`
    /// (`DynamoDB_20120810.TransactWriteItems`) on this app's table with
    /// the error `code` (infra/emulator.py). DynamoDB only.
    pub async fn inject_fault(&self, target: &str, code: &str, times: u32) -> EmulatorFault {
        let table = self.table.as_ref().expect("faults are injected on the emulator's table");
        let endpoint = std::env::var("AWS_ENDPOINT_URL").expect("the emulator's address");
        let fault = serde_json::json!({ "target": target, "contains": table, "code": code, "times": times });
        let answer = self.client.post(format!("{endpoint}/_emulator/faults")).json(&fault).send().await;
        let created: Value = answer.expect("the emulator answers").json().await.expect("a fault");
        let id = created["id"].as_u64().expect("the fault's id");
        EmulatorFault { url: format!("{endpoint}/_emulator/faults/{id}"), client: self.client.clone() }
    }

    /// The same worker, for tests that drive it by hand.
    pub fn worker(&self) -> &Worker {
        &self.worker
    }

    /// A token for `sub` with the email `{sub}@example.com`.
    pub fn token(&self, sub: &str) -> String {
        self.jwt.mint(sub, Some(&format!("{sub}@example.com")), None, 600).expect("mint")
    }

    /// A development refresh token for `sub` (`POST /v1/auth/token`).
    pub fn refresh_token(&self, sub: &str) -> String {
        self.jwt.mint_refresh(sub, None, 600).expect("mint")
    }

    pub fn token_for_org(&self, sub: &str, org: &str) -> String {
        self.jwt.mint(sub, Some(&format!("{sub}@example.com")), Some(org), 600).expect("mint")
    }

    pub fn user(&self, sub: &str) -> User<'_> {
        User { app: self, token: Some(self.token(sub)), org: None }
    }

    pub fn anonymous(&self) -> User<'_> {
        User { app: self, token: None, org: None }
    }

    pub fn request(&self, method: Method, path: &str) -> RequestBuilder {
        self.client.request(method, format!("{}{}", self.base, path))
    }
}

/// The forms `secret` would take inside text at rest: as it is, and
/// base64-encoded at each of the three alignments it could have in a
/// longer encoded value (the characters shared by every such encoding).
pub fn forms_at_rest(secret: &str) -> Vec<String> {
    use base64::Engine;
    let mut forms = vec![secret.to_owned()];
    for engine in [base64::engine::general_purpose::STANDARD, base64::engine::general_purpose::URL_SAFE] {
        for offset in 0..3 {
            let shifted = [&vec![0u8; offset][..], secret.as_bytes()].concat();
            let encoded = engine.encode(shifted);
            let skip = if offset == 0 { 0 } else { 4 };
            forms.push(encoded[skip..encoded.len() - 4].to_owned());
        }
    }
    forms
}

/// Every SQLite file under `path` with its WAL copied in and emptied, as
/// when the process closes it: the files then hold the stores' content,
/// not the history of their recent pages.
fn checkpoint_tree(path: &std::path::Path) {
    let Ok(entries) = std::fs::read_dir(path) else { return };
    for entry in entries.flatten() {
        let path = entry.path();
        if path.is_dir() {
            checkpoint_tree(&path);
        } else if path.extension().is_some_and(|e| e == "db") {
            controlplane::ports::store::sqlite::checkpoint_all(&path).expect("a checkpoint");
        }
    }
}

fn read_tree(path: &std::path::Path, into: &mut String) {
    let Ok(entries) = std::fs::read_dir(path) else { return };
    for entry in entries.flatten() {
        let path = entry.path();
        if path.is_dir() {
            read_tree(&path, into);
        } else if let Ok(bytes) = std::fs::read(&path) {
            into.push_str(&String::from_utf8_lossy(&bytes));
        }
    }
}

/// Every item of `table` on the emulator, as DynamoDB's JSON (the
/// emulator does not check signatures, so an unsigned Scan does).
async fn scan_emulator_table(table: &str) -> String {
    let endpoint = std::env::var("AWS_ENDPOINT_URL").expect("the emulator's endpoint");
    let client = reqwest::Client::new();
    let mut text = String::new();
    let mut start: Option<Value> = None;
    loop {
        let mut body = serde_json::json!({ "TableName": table });
        if let Some(start) = start.take() {
            body["ExclusiveStartKey"] = start;
        }
        let page: Value = client
            .post(&endpoint)
            .header("x-amz-target", "DynamoDB_20120810.Scan")
            .header("content-type", "application/x-amz-json-1.0")
            .header(
                "authorization",
                "AWS4-HMAC-SHA256 Credential=test/20260101/us-east-1/dynamodb/aws4_request, SignedHeaders=host, Signature=0",
            )
            .body(body.to_string())
            .send()
            .await
            .expect("scan sent")
            .json()
            .await
            .expect("scan answered");
        assert!(page.get("Items").is_some(), "the emulator's scan: {page}");
        text.push_str(&page["Items"].to_string());
        match page.get("LastEvaluatedKey") {
            Some(next) => start = Some(next.clone()),
            None => return text,
        }
    }
}

/// A caller: a token and optionally an `X-Org-Id`.
#[derive(Clone)]
pub struct User<'a> {
    pub app: &'a TestApp,
    pub token: Option<String>,
    pub org: Option<String>,
}

impl<'a> User<'a> {
    pub fn in_org(&self, org: &str) -> Self {
        Self { org: Some(org.to_owned()), ..self.clone() }
    }

    pub fn with_token(&self, token: String) -> Self {
        Self { token: Some(token), ..self.clone() }
    }

    pub fn request(&self, method: Method, path: &str) -> RequestBuilder {
        let mut rb = self.app.request(method, path);
        if let Some(token) = &self.token {
            rb = rb.bearer_auth(token);
        }
        if let Some(org) = &self.org {
            rb = rb.header("x-org-id", org);
        }
        rb
    }

    pub async fn get(&self, path: &str) -> Resp {
        send(self.request(Method::GET, path)).await
    }

    pub async fn post(&self, path: &str, body: Value) -> Resp {
        send(self.request(Method::POST, path).json(&body)).await
    }

    pub async fn put(&self, path: &str, body: Value) -> Resp {
        send(self.request(Method::PUT, path).json(&body)).await
    }

    pub async fn delete(&self, path: &str) -> Resp {
        send(self.request(Method::DELETE, path)).await
    }

    /// Creates an org and returns its id.
    pub async fn create_org(&self, name: &str) -> String {
        let resp = self.post("/v1/orgs", serde_json::json!({ "name": name })).await;
        assert_eq!(resp.status, 201, "create org: {}", resp.body);
        resp.id()
    }

    /// Creates a project in the caller's org and returns its id.
    pub async fn create_project(&self, name: &str) -> String {
        let resp = self.post("/v1/projects", serde_json::json!({ "name": name })).await;
        assert_eq!(resp.status, 201, "create project: {}", resp.body);
        resp.id()
    }

    /// Adds `user` to `org` with `role` (the caller must be an owner).
    pub async fn add_member(&self, org: &str, user: &str, role: &str) {
        let resp =
            self.post(&format!("/v1/orgs/{org}/members"), serde_json::json!({ "user_id": user, "role": role })).await;
        assert_eq!(resp.status, 201, "add member: {}", resp.body);
    }
}

#[derive(Debug)]
pub struct Resp {
    pub status: u16,
    pub headers: reqwest::header::HeaderMap,
    pub body: Value,
    pub raw: Vec<u8>,
}

impl Resp {
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers.get(name).and_then(|v| v.to_str().ok())
    }

    pub fn id(&self) -> String {
        self.body["id"].as_str().expect("body has an id").to_owned()
    }

    /// The `code` of a problem response, after checking it is one.
    pub fn problem_code(&self) -> &str {
        assert_eq!(self.header("content-type"), Some("application/problem+json"), "{:?}", self.body);
        assert_eq!(self.body["status"].as_u64(), Some(u64::from(self.status)));
        assert!(self.body["request_id"].as_str().is_some_and(|r| !r.is_empty()), "{}", self.body);
        self.body["code"].as_str().expect("problem has a code")
    }

    /// One count of the store's `Server-Timing` entry (`rt`, `rrt`, `reads`,
    /// `writes`): what the request cost the store.
    pub fn store_count(&self, name: &str) -> u64 {
        let timing = self.header("server-timing").expect("Server-Timing on the response");
        let value = timing.split(';').find_map(|param| param.strip_prefix(name)?.strip_prefix('='));
        value.and_then(|v| v.parse().ok()).unwrap_or_else(|| panic!("no {name} in {timing}"))
    }

    pub fn data_ids(&self) -> Vec<String> {
        self.body["data"].as_array().expect("a list").iter().map(|o| o["id"].as_str().unwrap().to_owned()).collect()
    }
}

pub async fn send(rb: RequestBuilder) -> Resp {
    let (client, request) = rb.build_split();
    let request = request.expect("request built");
    let (method, keyed) = (request.method().clone(), request.headers().contains_key("idempotency-key"));
    let response = client.execute(request).await.expect("request sent");
    let status = response.status().as_u16();
    let headers = response.headers().clone();
    record_round_trips(&method, keyed, status, &headers);
    let bytes = response.bytes().await.expect("body read");
    let body = if bytes.is_empty() { Value::Null } else { serde_json::from_slice(&bytes).unwrap_or(Value::Null) };
    Resp { status, headers, body, raw: bytes.to_vec() }
}

/// Where [`send`] appends what each request cost the store (one JSON line
/// per request, from its `Server-Timing`); `infra/bench/roundtrips.py` turns
/// the file into the per-route report and checks the budgets.
pub const ROUND_TRIPS_ENV: &str = "CONTROLPLANE_ROUND_TRIPS_OUT";

fn record_round_trips(method: &Method, keyed: bool, status: u16, headers: &reqwest::header::HeaderMap) {
    use std::io::Write;
    let Some(path) = std::env::var_os(ROUND_TRIPS_ENV) else { return };
    let Some(timing) = headers.get("server-timing").and_then(|v| v.to_str().ok()) else { return };
    let mut line = serde_json::json!({ "method": method.as_str(), "status": status, "idempotency_key": keyed });
    for param in timing.split(';').skip(1) {
        if let Some((name, value)) = param.split_once('=') {
            let value = value.trim_matches('"');
            line[name] = value.parse::<u64>().map_or_else(|_| Value::from(value), Value::from);
        }
    }
    let mut text = line.to_string();
    text.push('\n');
    let file = std::fs::OpenOptions::new().create(true).append(true).open(path);
    file.and_then(|mut f| f.write_all(text.as_bytes())).expect("round-trip report written");
}

/// Makes the audit write of every transaction fail its condition, as a crash
/// between the change and its audit record would: the adapter must then
/// write neither.
pub struct FailingAuditStore(pub DynStore);

#[async_trait]
impl Store for FailingAuditStore {
    async fn batch_get(&self, keys: &[Key]) -> Result<Vec<Option<Item>>, StoreError> {
        self.0.batch_get(keys).await
    }

    async fn query(&self, query: &Query) -> Result<Page, StoreError> {
        self.0.query(query).await
    }

    async fn transact(&self, ops: Vec<WriteOp>) -> Result<(), StoreError> {
        let ops = ops
            .into_iter()
            .map(|op| match op {
                WriteOp::Put { item, .. } if item.key.pk().ends_with("#AUDIT") => {
                    WriteOp::Put { item, condition: Some(Condition::Exists) }
                }
                other => other,
            })
            .collect();
        self.0.transact(ops).await
    }

    async fn increment(&self, key: &Key, by: u64, expires_at: Option<i64>) -> Result<u64, StoreError> {
        self.0.increment(key, by, expires_at).await
    }

    async fn ping(&self) -> Result<(), StoreError> {
        self.0.ping().await
    }
}

/// A store that can be taken down and brought back.
pub struct SwitchableStore {
    pub inner: DynStore,
    pub down: std::sync::atomic::AtomicBool,
}

impl SwitchableStore {
    fn check(&self) -> Result<(), StoreError> {
        if self.down.load(std::sync::atomic::Ordering::SeqCst) {
            Err(StoreError::Unavailable("connection refused".into()))
        } else {
            Ok(())
        }
    }
}

#[async_trait]
impl Store for SwitchableStore {
    async fn batch_get(&self, keys: &[Key]) -> Result<Vec<Option<Item>>, StoreError> {
        self.check()?;
        self.inner.batch_get(keys).await
    }

    async fn query(&self, query: &Query) -> Result<Page, StoreError> {
        self.check()?;
        self.inner.query(query).await
    }

    async fn transact(&self, ops: Vec<WriteOp>) -> Result<(), StoreError> {
        self.check()?;
        self.inner.transact(ops).await
    }

    async fn increment(&self, key: &Key, by: u64, expires_at: Option<i64>) -> Result<u64, StoreError> {
        self.check()?;
        self.inner.increment(key, by, expires_at).await
    }

    async fn ping(&self) -> Result<(), StoreError> {
        self.check()?;
        self.inner.ping().await
    }
}

/// A store that cannot be reached.
pub struct UnreachableStore;

#[async_trait]
impl Store for UnreachableStore {
    async fn batch_get(&self, _: &[Key]) -> Result<Vec<Option<Item>>, StoreError> {
        Err(StoreError::Unavailable("connection refused".into()))
    }

    async fn query(&self, _: &Query) -> Result<Page, StoreError> {
        Err(StoreError::Unavailable("connection refused".into()))
    }

    async fn transact(&self, _: Vec<WriteOp>) -> Result<(), StoreError> {
        Err(StoreError::Unavailable("connection refused".into()))
    }

    async fn increment(&self, _: &Key, _: u64, _: Option<i64>) -> Result<u64, StoreError> {
        Err(StoreError::Unavailable("connection refused".into()))
    }

    async fn ping(&self) -> Result<(), StoreError> {
        Err(StoreError::Unavailable("connection refused".into()))
    }
}
