//! The composition root: the state, the workers and the adapters each
//! binary runs with, built once at start from the environment. It may
//! import every layer; nothing in the crate imports it (the layer check,
//! `shared/tests/layers.rs`, fails if anything does).

use std::sync::Arc;

use crate::base::residency::{REGIONS_ENV, Region, Regions};
use crate::domain::events::publisher::Publisher;
use crate::domain::job::JobType;
use crate::domain::ratelimit::Limits;
use crate::domain::webhooks::target::Allowances;
use crate::domain::worker::{Handlers, Worker, handlers};
use crate::edge::AppState;
use crate::edge::auth::jwt::JwtConfigError;
use crate::edge::auth::oidc::{Oidc, OidcConfig};
use crate::ports::blobs::{self, BLOBS_ENV, BlobError, BlobsUrl, DynBlobs};
use crate::ports::bus::{BusUrl, EVENTS_ENV};
use crate::ports::outbound::EXTRA_ROOTS_ENV;
use crate::ports::queue::{self, QueueError, QueueUrl};
use crate::ports::regional::{ByRegion, local_sibling};
use crate::ports::secrets::{self, DynSecrets, SECRETS_ENV, SecretsError, SecretsUrl};
use crate::ports::store::{self, DynStore, StoreError, StoreUrl};

pub const STORE_ENV: &str = "CONTROLPLANE_STORE";
pub const JWT_SECRET_ENV: &str = "CONTROLPLANE_JWT_SECRET";
/// Where the deployed functions find the JWT signing secret: its Secrets
/// Manager ARN, read once at init (the value never sits in the function's
/// configuration).
pub const JWT_SECRET_ARN_ENV: &str = "CONTROLPLANE_JWT_SECRET_ARN";
pub const DEV_AUTH_ENV: &str = "CONTROLPLANE_DEV_AUTH";
pub const QUEUE_ENV: &str = "CONTROLPLANE_QUEUE";
pub const LOCAL_WEBHOOKS_ENV: &str = "CONTROLPLANE_WEBHOOKS_ALLOW_LOCAL";
pub const SERVER_TIMING_ENV: &str = "CONTROLPLANE_SERVER_TIMING";
pub const RATE_LIMIT_SCALE_ENV: &str = "CONTROLPLANE_RATE_LIMIT_SCALE";
pub const MAX_TOKEN_LIFETIME_ENV: &str = "CONTROLPLANE_MAX_TOKEN_LIFETIME";
/// The largest `CONTROLPLANE_RATE_LIMIT_SCALE`: past it a limit is no limit.
pub const MAX_RATE_LIMIT_SCALE: u64 = 10_000;

#[derive(Debug, thiserror::Error)]
pub enum ConfigError {
    #[error("{0} is not set")]
    Missing(&'static str),
    #[error("{name} is invalid: {reason}")]
    Invalid { name: &'static str, reason: String },
    /// A region's own store: its variable is named after the region.
    #[error("{name}: {reason}")]
    Region { name: String, reason: String },
    #[error(transparent)]
    Jwt(#[from] JwtConfigError),
    #[error("cannot open the store: {0}")]
    Store(#[from] StoreError),
    #[error("cannot open the queue: {0}")]
    Queue(#[from] QueueError),
    #[error("cannot open the secrets store: {0}")]
    Secrets(#[from] SecretsError),
    #[error("cannot open the blob store: {0}")]
    Blobs(#[from] BlobError),
    #[error("cannot open the event bus: {0}")]
    Events(#[from] crate::ports::bus::BusError),
}

impl AppState {
    /// The same state with `CONTROLPLANE_MAX_TOKEN_LIFETIME` (seconds, 60 to
    /// a year), when set.
    pub fn with_max_token_lifetime_from_env(mut self) -> Result<Self, ConfigError> {
        let Ok(raw) = std::env::var(MAX_TOKEN_LIFETIME_ENV) else { return Ok(self) };
        self.max_token_lifetime = match raw.trim().parse::<u64>() {
            Ok(seconds) if (60..=366 * 86_400).contains(&seconds) => seconds,
            _ => {
                let reason = format!("expected seconds from 60 to 31622400, got `{raw}`");
                return Err(ConfigError::Invalid { name: MAX_TOKEN_LIFETIME_ENV, reason });
            }
        };
        Ok(self)
    }

    /// The Lambda configuration from the environment: `CONTROLPLANE_STORE`,
    /// the JWT secret ([`jwt_secret_from`]: its one call to AWS at init),
    /// optionally `CONTROLPLANE_DEV_AUTH`, the `CONTROLPLANE_OIDC_*` issuer
    /// and the adapters' URLs.
    pub async fn from_env() -> Result<Self, ConfigError> {
        let secret = jwt_secret_from(|name| std::env::var(name).ok()).await?;
        let store = store_from_env().await?;
        let state = Self::new(store, secret.as_bytes())?.with_settings_from_env(Defaults::LAMBDA)?;
        let state = match url_from_env::<QueueUrl>(QUEUE_ENV)? {
            Some(url) => state.with_queue(queue::open(&url).await?),
            None => state,
        };
        let state = match url_from_env::<QueueUrl>(WEBHOOK_QUEUE_ENV)? {
            Some(url) => state.with_webhook_queue(queue::open(&url).await?),
            None => state,
        };
        let regions = Arc::clone(&state.regions);
        let state = match url_from_env::<SecretsUrl>(SECRETS_ENV)? {
            Some(url) => state.with_secrets(secrets_by_region(&url, &regions).await?),
            None => state,
        };
        Ok(match url_from_env::<BlobsUrl>(BLOBS_ENV)? {
            Some(url) => state.with_blobs(blobs_by_region(&url, &regions).await?),
            None => state,
        })
    }

    /// The settings every binary serving the API reads from the
    /// environment the same way (the local server and the functions differ
    /// only in `defaults`): development auth, Server-Timing, local webhook
    /// targets, the OIDC issuer, rate limit scale, token lifetime, CORS
    /// origins, the console's settings, and the extra TLS roots file and
    /// the egress range table, checked now so that a bad one stops the start.
    pub fn with_settings_from_env(self, defaults: Defaults) -> Result<Self, ConfigError> {
        crate::ports::outbound::check_extra_roots()
            .map_err(|reason| ConfigError::Invalid { name: EXTRA_ROOTS_ENV, reason })?;
        crate::domain::egress::check_ranges()
            .map_err(|reason| ConfigError::Invalid { name: crate::domain::egress::RANGES_ENV, reason })?;
        let regions = regions_from_env()?;
        let state = self
            .with_dev_auth(flag_from_env_or(DEV_AUTH_ENV, defaults.dev_auth)?)
            .with_server_timing(flag_from_env_or(SERVER_TIMING_ENV, defaults.server_timing)?)
            .with_local_webhooks(local_webhooks_from_env()?)
            .with_oidc_from_env()?
            .with_limits_from_env()?
            .with_max_token_lifetime_from_env()?;
        let console = crate::edge::http::console::ConsoleSettings::from_vars(|name| std::env::var(name).ok())
            .map_err(|(name, reason)| ConfigError::Invalid { name, reason })?;
        Ok(state.with_cors_origins(cors_origins_from_env()?).with_console(console).with_regions(regions))
    }

    /// The same state with every rate limit quota, and the allowances of
    /// failed authentication and recorded refusals, multiplied by
    /// `CONTROLPLANE_RATE_LIMIT_SCALE` (1 to [`MAX_RATE_LIMIT_SCALE`]), when set.
    pub fn with_limits_from_env(self) -> Result<Self, ConfigError> {
        let Ok(raw) = std::env::var(RATE_LIMIT_SCALE_ENV) else { return Ok(self) };
        let factor = parse_rate_limit_scale(&raw)
            .map_err(|reason| ConfigError::Invalid { name: RATE_LIMIT_SCALE_ENV, reason })?;
        Ok(if factor == 1 {
            self
        } else {
            self.with_limits(Limits::scaled(factor)).with_guard(crate::domain::guard::Guard::scaled(factor))
        })
    }

    /// The same state with the OIDC issuer the environment names, if any.
    pub fn with_oidc_from_env(self) -> Result<Self, ConfigError> {
        let config = OidcConfig::from_env().map_err(|reason| ConfigError::Invalid { name: "OIDC", reason })?;
        Ok(match config {
            Some(config) => self.with_oidc(Oidc::new(config)),
            None => self,
        })
    }
}

fn parse_rate_limit_scale(raw: &str) -> Result<u64, String> {
    match raw.trim().parse::<u64>() {
        Ok(factor) if (1..=MAX_RATE_LIMIT_SCALE).contains(&factor) => Ok(factor),
        _ => Err(format!("expected a whole number from 1 to {MAX_RATE_LIMIT_SCALE}, got `{raw}`")),
    }
}

/// The JWT signing secret: read from Secrets Manager when `var` names its
/// ARN (`CONTROLPLANE_JWT_SECRET_ARN`, as the template does), else the
/// value of `CONTROLPLANE_JWT_SECRET` (local runs and tests). One of the
/// two, never both: which secret signs must not depend on precedence.
pub async fn jwt_secret_from(var: impl Fn(&str) -> Option<String>) -> Result<String, ConfigError> {
    let value = var(JWT_SECRET_ENV).filter(|v| !v.is_empty());
    let Some(arn) = var(JWT_SECRET_ARN_ENV).filter(|v| !v.is_empty()) else {
        return value.ok_or(ConfigError::Missing(JWT_SECRET_ENV));
    };
    if value.is_some() {
        let reason = format!("set either it or {JWT_SECRET_ENV}, not both");
        return Err(ConfigError::Invalid { name: JWT_SECRET_ARN_ENV, reason });
    }
    match crate::ports::aws::secret_string(&arn).await {
        Ok(Some(secret)) => Ok(secret),
        Ok(None) => Err(ConfigError::Invalid { name: JWT_SECRET_ARN_ENV, reason: format!("no secret {arn}") }),
        Err(reason) => Err(ConfigError::Invalid { name: JWT_SECRET_ARN_ENV, reason: format!("{arn}: {reason}") }),
    }
}

/// Installs the key each org's pseudonyms derive from
/// ([`crate::base::redact::install_platform_key`]), from the service secret
/// [`jwt_secret_from`] reads, in a process that does not serve the API (a
/// worker, the publisher). Without either variable a `hash` strategy masks.
pub async fn redaction_key_from_env() -> Result<(), ConfigError> {
    let var = |name: &str| std::env::var(name).ok().filter(|v| !v.is_empty());
    let unset = var(JWT_SECRET_ENV).is_none() && var(JWT_SECRET_ARN_ENV).is_none();
    if unset || crate::base::redact::platform_key_installed() {
        return Ok(());
    }
    let secret = jwt_secret_from(var).await?;
    crate::base::redact::install_platform_key(secret.as_bytes());
    Ok(())
}

/// Checks the AWS retry and timeout variables ([`crate::ports::aws::Settings`]),
/// so that a process refuses to start on one it cannot use.
pub fn aws_settings_from_env() -> Result<crate::ports::aws::Settings, ConfigError> {
    crate::ports::aws::Settings::from_vars(|name| std::env::var(name).ok())
        .map_err(|e| ConfigError::Invalid { name: e.name, reason: e.reason })
}

/// The store `CONTROLPLANE_STORE` names (no connection is opened yet).
pub async fn store_from_env() -> Result<DynStore, ConfigError> {
    aws_settings_from_env()?;
    let url: StoreUrl = std::env::var(STORE_ENV)
        .map_err(|_| ConfigError::Missing(STORE_ENV))?
        .parse()
        .map_err(|reason| ConfigError::Invalid { name: STORE_ENV, reason })?;
    Ok(store::open(&url).await?)
}

/// The adapter URL in the environment variable `name`, when set
/// (`CONTROLPLANE_QUEUE`, `CONTROLPLANE_SECRETS`, `CONTROLPLANE_BLOBS`).
pub fn url_from_env<T: std::str::FromStr<Err = String>>(name: &'static str) -> Result<Option<T>, ConfigError> {
    match std::env::var(name) {
        Ok(url) => url.parse().map(Some).map_err(|reason| ConfigError::Invalid { name, reason }),
        Err(_) => Ok(None),
    }
}

/// The residency regions served: `CONTROLPLANE_REGIONS`, else `us`.
pub fn regions_from_env() -> Result<Regions, ConfigError> {
    match std::env::var(REGIONS_ENV) {
        Ok(raw) => Regions::parse(&raw).map_err(|reason| ConfigError::Invalid { name: REGIONS_ENV, reason }),
        Err(_) => Ok(Regions::default()),
    }
}

/// The store of each region served other than the default: the one its
/// own variable names (`{base}_{REGION}`, e.g. `CONTROLPLANE_BLOBS_EU`),
/// else, beside a local default store, the region's sibling of it (see
/// [`local_sibling`]). A region served with neither stops the start: its
/// data is never kept in another region's store.
fn other_regions<U: std::str::FromStr<Err = String>>(
    base: &'static str,
    regions: &Regions,
    sibling: impl Fn(&Region) -> Option<U>,
) -> Result<Vec<(Region, U)>, ConfigError> {
    let mut urls = Vec::new();
    for region in regions.iter().skip(1) {
        let name = crate::ports::regional::variable(base, region);
        let url = match std::env::var(&name) {
            Ok(raw) => raw.parse().map_err(|reason| ConfigError::Region { name: name.clone(), reason })?,
            Err(_) => sibling(region).ok_or_else(|| ConfigError::Region {
                reason: format!("region `{region}` is served ({REGIONS_ENV}) but no store is named for it"),
                name,
            })?,
        };
        urls.push((region.clone(), url));
    }
    Ok(urls)
}

/// The blob stores of every region served: `default` (`CONTROLPLANE_BLOBS`)
/// for the default region, and each other's (see [`other_regions`]).
pub async fn blobs_by_region(default: &BlobsUrl, regions: &Regions) -> Result<DynBlobs, ConfigError> {
    let sibling = |region: &Region| match default {
        BlobsUrl::Local(dir) => Some(BlobsUrl::Local(local_sibling(dir, region))),
        BlobsUrl::S3 { .. } => None,
    };
    let mut stores = ByRegion::new(regions.default_region().clone(), blobs::open(default).await?);
    for (region, url) in other_regions(BLOBS_ENV, regions, sibling)? {
        stores = stores.with(region, blobs::open(&url).await?);
    }
    Ok(Arc::new(stores))
}

/// The secrets stores of every region served: `default`
/// (`CONTROLPLANE_SECRETS`) for the default region, and each other's (see
/// [`other_regions`]).
pub async fn secrets_by_region(default: &SecretsUrl, regions: &Regions) -> Result<DynSecrets, ConfigError> {
    let sibling = |region: &Region| match default {
        SecretsUrl::Local(path) => Some(SecretsUrl::Local(local_sibling(path, region))),
        SecretsUrl::SecretsManager { .. } => None,
    };
    let mut stores = ByRegion::new(regions.default_region().clone(), secrets::open(default).await?);
    for (region, url) in other_regions(SECRETS_ENV, regions, sibling)? {
        stores = stores.with(region, secrets::open(&url).await?);
    }
    Ok(Arc::new(stores))
}

/// The queue webhook deliveries go to (the `webhook-delivery` function's).
pub const WEBHOOK_QUEUE_ENV: &str = "CONTROLPLANE_WEBHOOK_QUEUE";

/// The outbox publisher the environment configures: `CONTROLPLANE_STORE` and
/// `CONTROLPLANE_EVENTS` (`eventbridge://BUS` or `file://PATH`); `None`
/// when no bus is configured.
/// With `CONTROLPLANE_WEBHOOK_QUEUE`, it also fans events out to webhooks.
pub async fn publisher_from_env(store: DynStore) -> Result<Option<Publisher>, ConfigError> {
    redaction_key_from_env().await?;
    let Some(url) = url_from_env::<BusUrl>(EVENTS_ENV)? else { return Ok(None) };
    let publisher = Publisher::new(store, crate::ports::bus::open(&url).await?);
    Ok(Some(match url_from_env::<QueueUrl>(WEBHOOK_QUEUE_ENV)? {
        Some(queue_url) => publisher.with_deliveries(queue::open(&queue_url).await?),
        None => publisher,
    }))
}

/// `CONTROLPLANE_WEBHOOKS_ALLOW_LOCAL=true`: webhooks may target `http://`
/// and loopback receivers. Never on in production.
pub fn local_webhooks_from_env() -> Result<bool, ConfigError> {
    flag_from_env_or(LOCAL_WEBHOOKS_ENV, false)
}

/// A flag variable: `true`/`1` or `false`/`0`, `default` when unset or
/// empty; anything else is refused, naming the variable.
/// Origins browsers may call the API from: `https://a.example,https://b.example` or `*`.
pub const CORS_ORIGINS_ENV: &str = "CONTROLPLANE_CORS_ORIGINS";

fn cors_origins_from_env() -> Result<Option<crate::edge::http::cors::CorsOrigins>, ConfigError> {
    crate::edge::http::cors::CorsOrigins::parse(&std::env::var(CORS_ORIGINS_ENV).unwrap_or_default())
        .map_err(|reason| ConfigError::Invalid { name: CORS_ORIGINS_ENV, reason })
}

pub fn flag_from_env_or(name: &'static str, default: bool) -> Result<bool, ConfigError> {
    parse_flag(std::env::var(name).ok().as_deref(), default).map_err(|reason| ConfigError::Invalid { name, reason })
}

fn parse_flag(value: Option<&str>, default: bool) -> Result<bool, String> {
    match value.map(str::trim) {
        None | Some("") => Ok(default),
        Some("true" | "1") => Ok(true),
        Some("false" | "0") => Ok(false),
        Some(other) => Err(format!("expected true or false, got `{other}`")),
    }
}

/// What the settings of [`AppState::with_settings_from_env`] default to.
#[derive(Debug, Clone, Copy)]
pub struct Defaults {
    pub dev_auth: bool,
    pub server_timing: bool,
}

impl Defaults {
    /// A deployed function: no development tokens' refresh exchange, no
    /// Server-Timing for the world to read.
    pub const LAMBDA: Self = Self { dev_auth: false, server_timing: false };
    /// `cargo run`: a development install.
    pub const LOCAL: Self = Self { dev_auth: true, server_timing: true };
}

/// Structured JSON logs on stderr, one event per line; `RUST_LOG` filters.
pub fn init_tracing() {
    use tracing_subscriber::layer::SubscriberExt;
    use tracing_subscriber::util::SubscriberInitExt;
    let (filter, unreadable) = log_filter(std::env::var("RUST_LOG").ok().as_deref());
    let subscriber = tracing_subscriber::fmt()
        .json()
        .flatten_event(true)
        .with_current_span(false)
        .with_span_list(false)
        .with_writer(MinimizedLines)
        .finish()
        .with(filter);
    if subscriber.try_init().is_ok()
        && let Some(error) = unreadable
    {
        tracing::warn!(%error, "RUST_LOG is not a list of `level` and `target=level`; logging at info");
    }
}

/// Log lines as they reach stderr: each one through the redaction engine
/// first, so no module's log can carry personal data or a credential,
/// whatever it formats into a line (logs belong to no org: every kind is
/// masked).
struct MinimizedLines;

/// One log line, written when the formatter is done with it.
struct MinimizedLine(Vec<u8>);

impl<'a> tracing_subscriber::fmt::MakeWriter<'a> for MinimizedLines {
    type Writer = MinimizedLine;

    fn make_writer(&'a self) -> MinimizedLine {
        MinimizedLine(Vec::with_capacity(256))
    }
}

impl std::io::Write for MinimizedLine {
    fn write(&mut self, bytes: &[u8]) -> std::io::Result<usize> {
        self.0.extend_from_slice(bytes);
        Ok(bytes.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

impl Drop for MinimizedLine {
    fn drop(&mut self) {
        let line = minimized_line(&self.0);
        let _ = std::io::Write::write_all(&mut std::io::stderr().lock(), line.as_bytes());
    }
}

/// A formatted log line as it is written.
pub fn minimized_line(bytes: &[u8]) -> String {
    crate::base::redact::Redactor::platform().text(&String::from_utf8_lossy(bytes)).into_owned()
}

/// The log filter `RUST_LOG` gives: comma-separated `level` and
/// `target=level` directives (`info`, `controlplane=debug,warn`), `info`
/// when unset, and `info` with the parse error when unreadable.
///
/// `Targets` rather than `EnvFilter`: the directives we document need no
/// span or field matching, so no regex engine runs on a variable's text.
fn log_filter(rust_log: Option<&str>) -> (tracing_subscriber::filter::Targets, Option<String>) {
    let info = || tracing_subscriber::filter::Targets::new().with_default(tracing::Level::INFO);
    match rust_log.map(str::trim).filter(|s| !s.is_empty()) {
        None => (info(), None),
        Some(directives) => match directives.parse() {
            Ok(filter) => (filter, None),
            Err(error) => (info(), Some(error.to_string())),
        },
    }
}

/// The worker the environment configures: `CONTROLPLANE_STORE`,
/// `CONTROLPLANE_QUEUE`, `CONTROLPLANE_BLOBS`, `CONTROLPLANE_SECRETS` and the orchestrator
/// (`CONTROLPLANE_ORCHESTRATOR_URL`, else the in-process one). With
/// `CONTROLPLANE_WEBHOOK_QUEUE`, delivery messages it re-sends go there.
pub async fn worker_from_env() -> Result<Worker, ConfigError> {
    let store = store_from_env().await?;
    redaction_key_from_env().await?;
    let url = url_from_env(QUEUE_ENV)?.ok_or(ConfigError::Missing(QUEUE_ENV))?;
    let queue = queue::open(&url).await?;
    let regions = regions_from_env()?;
    let blobs = url_from_env(BLOBS_ENV)?.ok_or(ConfigError::Missing(BLOBS_ENV))?;
    let blobs = blobs_by_region(&blobs, &regions).await?;
    let orchestrator = crate::domain::orchestrator::from_env()
        .map_err(|reason| ConfigError::Invalid { name: "orchestrator", reason })?;
    let secrets = url_from_env(SECRETS_ENV)?.ok_or(ConfigError::Missing(SECRETS_ENV))?;
    let secrets = secrets_by_region(&secrets, &regions).await?;
    let allow = Allowances { local_development: local_webhooks_from_env()? };
    let handlers = handlers::with_sources(
        handlers::handlers(orchestrator, blobs.clone()),
        secrets.clone(),
        blobs,
        handlers::probe(allow),
    );
    // Discovering upstream MCP servers needs the SDK's client, built into
    // the worker function (and the local server).
    #[cfg(feature = "mcp-upstream")]
    let handlers = handlers::with_mcp(
        handlers,
        secrets,
        std::sync::Arc::new(crate::ports::mcp_upstream::RmcpUpstream::default()),
        allow,
    );
    let worker = Worker::new(store, queue, handlers);
    Ok(match url_from_env(WEBHOOK_QUEUE_ENV)? {
        Some(url) => worker.with_route(JobType::DeliverWebhook, queue::open(&url).await?),
        None => worker,
    })
}

/// The `webhook-delivery` function's worker: `CONTROLPLANE_STORE`,
/// `CONTROLPLANE_WEBHOOK_QUEUE` (the queue it consumes) and
/// `CONTROLPLANE_SECRETS` (the signing secrets).
pub async fn delivery_worker_from_env() -> Result<Worker, ConfigError> {
    let store = store_from_env().await?;
    redaction_key_from_env().await?;
    let url = url_from_env(WEBHOOK_QUEUE_ENV)?.ok_or(ConfigError::Missing(WEBHOOK_QUEUE_ENV))?;
    let queue = queue::open(&url).await?;
    let secrets = url_from_env(SECRETS_ENV)?.ok_or(ConfigError::Missing(SECRETS_ENV))?;
    let secrets = secrets_by_region(&secrets, &regions_from_env()?).await?;
    let allow = Allowances { local_development: local_webhooks_from_env()? };
    Ok(Worker::new(store, queue, handlers::with_deliveries(Handlers::default(), secrets, allow)))
}

#[cfg(test)]
mod golden;

#[cfg(test)]
mod tests {
    use super::{MAX_RATE_LIMIT_SCALE, log_filter, parse_rate_limit_scale};
    use tracing::Level;
    use tracing_subscriber::filter::LevelFilter;

    #[test]
    fn a_log_line_reaches_stderr_without_personal_data_or_credentials() {
        let line =
            br#"{"level":"ERROR","error":"no user jane@example.com","key":"AKIAIOSFODNN7EXAMPLE","latency_ms":12.5}"#;
        let written = super::minimized_line(line);
        assert_eq!(
            written,
            r#"{"level":"ERROR","error":"no user [redacted:email]","key":"[redacted:aws_access_key]","latency_ms":12.5}"#
        );
        serde_json::from_str::<serde_json::Value>(&written).expect("still one JSON object");
    }

    #[test]
    fn a_rate_limit_scale_is_a_whole_number_from_one_to_the_maximum() {
        assert_eq!(parse_rate_limit_scale("1"), Ok(1));
        assert_eq!(parse_rate_limit_scale(" 100 "), Ok(100));
        assert_eq!(parse_rate_limit_scale(&MAX_RATE_LIMIT_SCALE.to_string()), Ok(MAX_RATE_LIMIT_SCALE));
        for bad in ["0", "-2", "1.5", "lots", "", "10001"] {
            let error = parse_rate_limit_scale(bad).unwrap_err();
            assert!(error.contains("from 1 to 10000"), "{bad}: {error}");
        }
    }

    #[test]
    fn rust_log_sets_a_default_level_and_per_target_levels() {
        let (filter, error) = log_filter(Some("controlplane=debug,warn"));
        assert!(error.is_none());
        assert!(filter.would_enable("controlplane::ports::store", &Level::DEBUG));
        assert!(!filter.would_enable("hyper", &Level::INFO));
        assert!(filter.would_enable("hyper", &Level::WARN));
    }

    #[test]
    fn an_unset_or_unreadable_rust_log_logs_at_info_and_says_why() {
        let (filter, error) = log_filter(None);
        assert_eq!(filter.default_level(), Some(LevelFilter::INFO));
        assert!(error.is_none());
        let (filter, error) = log_filter(Some("controlplane=loud"));
        assert_eq!(filter.default_level(), Some(LevelFilter::INFO));
        assert!(error.is_some());
        assert!(!filter.would_enable("controlplane", &Level::DEBUG));
    }
}
