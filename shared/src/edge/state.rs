//! The state every API route is served with: the store and the other
//! ports, the token keys, the rate limiter and the caches. The composition
//! root (`app`) fills it from the environment; the edge and the functions'
//! handlers only read it.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::Instant;

use crate::base::residency::Regions;
use crate::domain::apikey::KeyLookup;
use crate::domain::guard::Guard;
use crate::domain::job::{Job, JobType};
use crate::domain::keyusage::{self, KeyUsage};
use crate::domain::ratelimit::{Limits, RateLimiter};
use crate::domain::snapshot::SnapshotCache;
use crate::domain::webhooks::target::Allowances;
use crate::edge::auth::jwt::{JwtConfigError, JwtKeys};
use crate::edge::auth::oidc::Oidc;
use crate::edge::error::ApiError;
use crate::edge::http::{Cursor, CursorSigner, ListResponse, Paging};
use crate::ports::blobs::DynBlobs;
use crate::ports::queue::DynQueue;
use crate::ports::secrets::DynSecrets;
use crate::ports::store::{self, DynStore, Item, Key, Page, StartKey};

#[derive(Clone)]
pub struct AppState {
    pub store: DynStore,
    pub jwt: Arc<JwtKeys>,
    pub cursors: Arc<CursorSigner>,
    pub limiter: Arc<RateLimiter>,
    /// Failed authentication's throttle and the bound on recorded refusals.
    pub guard: Arc<Guard>,
    /// The residency regions served, the default first.
    pub regions: Arc<Regions>,
    /// Token hash -> (org, key id). The mapping never changes while the key
    /// exists, and the key item read with every request decides validity,
    /// so caching it is safe; a deleted key's item is gone.
    key_lookups: Arc<Mutex<HashMap<String, KeyLookup>>>,
    pub key_usage: Arc<KeyUsage>,
    /// The OpenID Connect issuer whose tokens are accepted, if any.
    pub oidc: Option<Arc<Oidc>>,
    /// Development auth: the refresh exchange at `POST /v1/auth/token`, and
    /// HS256 development tokens beside an OIDC issuer.
    pub dev_auth: bool,
    /// The jobs queue. Without one, a new job's message is sent by the
    /// reconciler after its grace period instead of at once.
    pub queue: Option<DynQueue>,
    /// Where webhook delivery jobs go, when not on `queue`.
    pub webhook_queue: Option<DynQueue>,
    /// Where credential values live; health reports it when configured.
    pub secrets: Option<DynSecrets>,
    /// Where artifacts (backups) live.
    pub blobs: Option<DynBlobs>,
    /// What webhook targets may be beyond the public internet (local development).
    pub webhook_allowances: Allowances,
    pub snapshots: Arc<SnapshotCache>,
    pub started: Instant,
    /// Whether responses say what they cost the store (`Server-Timing`).
    pub server_timing: bool,
    /// How long `/internal/health` waits for each dependency (2 s; the
    /// test harness, whose emulator answers one request at a time under
    /// the suite's load, waits longer).
    pub health_timeout: std::time::Duration,
    /// The longest lifetime (`exp` − `iat`, seconds) of an accepted access
    /// token; revocations are kept at least this long.
    pub max_token_lifetime: u64,
    /// The `Host` values the server answers for (lowercase, with port); any
    /// other is 421. Set by the local server, whose listener a web page could
    /// reach by DNS rebinding; `None` on Lambda, behind API Gateway.
    pub allowed_hosts: Option<Arc<[String]>>,
    /// The origins browsers may call the API from (CORS); `None`: none.
    pub cors: Option<crate::edge::http::cors::Cors>,
    /// What the web console is told about this deployment.
    pub console: Arc<crate::edge::http::console::ConsoleSettings>,
}

const KEY_LOOKUP_CACHE: usize = 10_000;

impl AppState {
    pub fn new(store: DynStore, jwt_secret: &[u8]) -> Result<Self, JwtConfigError> {
        crate::base::redact::install_platform_key(jwt_secret);
        Ok(Self {
            store: crate::edge::http::idempotency::Claiming::wrap(store::tally::Counting::wrap(store)),
            jwt: Arc::new(JwtKeys::hs256(jwt_secret)?),
            cursors: Arc::new(CursorSigner::from_secret(jwt_secret)),
            limiter: Arc::new(RateLimiter::new(Limits::default())),
            guard: Arc::default(),
            regions: Arc::default(),
            key_lookups: Arc::default(),
            key_usage: Arc::new(KeyUsage::new(keyusage::DEFAULT_FLUSH_INTERVAL)),
            oidc: None,
            dev_auth: false,
            queue: None,
            webhook_queue: None,
            secrets: None,
            blobs: None,
            webhook_allowances: Allowances::default(),
            snapshots: Arc::default(),
            started: Instant::now(),
            server_timing: false,
            health_timeout: std::time::Duration::from_secs(2),
            max_token_lifetime: crate::edge::auth::jwt::DEFAULT_MAX_LIFETIME_SECONDS,
            allowed_hosts: None,
            cors: None,
            console: Arc::default(),
        })
    }

    /// How long a token revocation must be kept: past it, no token it
    /// could refuse is still accepted.
    pub fn revocation_retention_seconds(&self) -> u64 {
        self.max_token_lifetime + 2 * crate::edge::auth::jwt::LEEWAY_SECONDS
    }

    /// Finds which org and key a token hash belongs to (cached).
    pub async fn key_lookup(&self, token_hash: &str) -> Result<Option<KeyLookup>, ApiError> {
        if let Some(found) = self.key_lookups.lock().ok().and_then(|c| c.get(token_hash).cloned()) {
            return Ok(Some(found));
        }
        // Once per key per instance: amortized.
        let key = [Key::key_hash(token_hash)];
        let item = store::tally::amortized(self.store.batch_get(&key)).await?.pop().flatten();
        let Some(lookup) = item.map(|i| i.parse::<KeyLookup>()).transpose()? else { return Ok(None) };
        if let Ok(mut cache) = self.key_lookups.lock() {
            if cache.len() >= KEY_LOOKUP_CACHE {
                cache.clear();
            }
            cache.insert(token_hash.to_owned(), lookup.clone());
        }
        Ok(Some(lookup))
    }

    /// The same state flushing key usage at another interval (zero: every
    /// request, for tests).
    pub fn with_key_usage_flush(mut self, interval: std::time::Duration) -> Self {
        self.key_usage = Arc::new(KeyUsage::new(interval));
        self
    }

    /// The same state sending job messages to `queue`.
    pub fn with_queue(mut self, queue: DynQueue) -> Self {
        self.queue = Some(queue);
        self
    }

    /// Webhook delivery jobs go to `queue` (the `webhook-delivery` function's).
    pub fn with_webhook_queue(mut self, queue: DynQueue) -> Self {
        self.webhook_queue = Some(queue);
        self
    }

    /// The same state keeping credential values in `secrets`.
    pub fn with_secrets(mut self, secrets: DynSecrets) -> Self {
        self.secrets = Some(secrets);
        self
    }

    /// The same state letting webhooks target `http://` and loopback
    /// receivers (local development and tests only).
    pub fn with_local_webhooks(mut self, on: bool) -> Self {
        self.webhook_allowances = Allowances { local_development: on };
        self
    }

    /// Whether webhooks (and the worker's deliveries) may target loopback
    /// and `http://` receivers.
    pub fn local_webhooks(&self) -> bool {
        self.webhook_allowances.local_development
    }

    /// The same state keeping artifacts in `blobs`.
    pub fn with_blobs(mut self, blobs: DynBlobs) -> Self {
        self.blobs = Some(blobs);
        self
    }

    /// Sends a committed job's message. Best effort: when the send fails
    /// (or no queue is configured) the job is still stored, and the
    /// reconciler sends its message after the grace period.
    pub async fn enqueue(&self, job: &Job) {
        let routed = (job.job_type == JobType::DeliverWebhook).then_some(self.webhook_queue.as_ref()).flatten();
        let Some(queue) = routed.or(self.queue.as_ref()) else { return };
        if let Err(error) = crate::domain::worker::enqueue(queue, job).await {
            tracing::warn!(job = %job.id, %error, "job message not sent; the reconciler will send it");
        }
    }

    /// The same state caching snapshots for `ttl` (tests).
    pub fn with_snapshot_ttl(mut self, ttl: std::time::Duration) -> Self {
        self.snapshots = Arc::new(SnapshotCache::new(ttl));
        self
    }

    /// The same state with `Server-Timing` (store round trips) on responses or not.
    /// The same state answering only requests whose `Host` is one of `hosts`.
    pub fn with_allowed_hosts(mut self, hosts: impl IntoIterator<Item = String>) -> Self {
        self.allowed_hosts = Some(hosts.into_iter().map(|h| h.to_ascii_lowercase()).collect());
        self
    }

    pub fn with_console(mut self, settings: crate::edge::http::console::ConsoleSettings) -> Self {
        self.console = Arc::new(settings);
        self
    }

    pub fn with_cors_origins(mut self, origins: Option<crate::edge::http::cors::CorsOrigins>) -> Self {
        self.cors = origins.map(crate::edge::http::cors::Cors::new);
        self
    }

    pub fn with_server_timing(mut self, on: bool) -> Self {
        self.server_timing = on;
        self
    }

    /// The same state with the development refresh exchange on or off.
    pub fn with_dev_auth(mut self, on: bool) -> Self {
        self.dev_auth = on;
        self
    }

    /// The same state accepting tokens from an OIDC issuer.
    pub fn with_oidc(mut self, oidc: Oidc) -> Self {
        self.oidc = Some(Arc::new(oidc));
        self
    }

    /// Whether HS256 tokens signed with the development secret are
    /// accepted: always without an OIDC issuer, beside one only with
    /// development auth explicitly on.
    pub fn accepts_development_tokens(&self) -> bool {
        self.oidc.is_none() || self.dev_auth
    }

    /// The same state with other rate limits.
    pub fn with_limits(mut self, limits: Limits) -> Self {
        self.limiter = Arc::new(RateLimiter::new(limits));
        self
    }

    /// The same state waiting `timeout` for each dependency's health.
    pub fn with_health_timeout(mut self, timeout: std::time::Duration) -> Self {
        self.health_timeout = timeout;
        self
    }

    /// The same state serving `regions`.
    pub fn with_regions(mut self, regions: Regions) -> Self {
        self.regions = Arc::new(regions);
        self
    }

    /// The same state with another throttle and bound on refusals (tests).
    pub fn with_guard(mut self, guard: Guard) -> Self {
        self.guard = Arc::new(guard);
        self
    }

    /// Turns a store page into a list response with a cursor bound to `scope`.
    pub fn list<T: serde::de::DeserializeOwned>(
        &self,
        scope: &Cursor,
        page: Page,
    ) -> Result<ListResponse<T>, ApiError> {
        let data = page.items.iter().map(Item::parse).collect::<Result<Vec<T>, _>>()?;
        Ok(ListResponse { data, next_cursor: self.cursors.encode_opt(scope, page.next.as_ref()) })
    }

    /// The start key a list request's `cursor` names, checked against `scope`.
    pub fn start(&self, scope: &Cursor, paging: &Paging) -> Result<Option<StartKey>, ApiError> {
        self.cursors.decode_opt(scope, paging.cursor.as_deref())
    }
}
