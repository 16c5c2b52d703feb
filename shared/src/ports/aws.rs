//! The AWS SDK configuration every adapter shares, and clients built on
//! first use.
//!
//! One configuration per process. When the environment names a region and
//! credentials (as Lambda's does) it is built from the environment alone:
//! no profile file, no instance metadata, no network call at init.
//! Elsewhere (a developer's machine with profiles or SSO) it comes from the
//! SDK's default chain, in builds that have it (the `aws-default-chain`
//! feature: the local server). Clients are built when first used, so a
//! function pays only for the services its requests touch.
//!
//! Retries and timeouts are stated here rather than left to defaults: the
//! SDK's standard retry mode (its own list of each service's throttling and
//! transient errors, exponential backoff with jitter, a retry quota), and
//! connect, attempt and operation timeouts that fit a call with all its
//! attempts inside an API function's 10 s (template.yaml), leaving time to
//! answer 503. Blobs move whole exports and get longer ones ([`BLOB_TIMEOUTS`]).

use std::time::Duration;

use aws_config::environment::EnvironmentVariableCredentialsProvider;
use aws_config::retry::RetryConfig;
use aws_config::timeout::TimeoutConfig;
use aws_config::{BehaviorVersion, Region, SdkConfig};
use aws_credential_types::provider::SharedCredentialsProvider;
use tokio::sync::OnceCell;

pub const ENDPOINT_ENV: &str = "AWS_ENDPOINT_URL";
/// The SDK's own variable: how many times a call is tried (1 to 10).
pub const MAX_ATTEMPTS_ENV: &str = "AWS_MAX_ATTEMPTS";
pub const CONNECT_TIMEOUT_ENV: &str = "CONTROLPLANE_AWS_CONNECT_TIMEOUT_MS";
pub const ATTEMPT_TIMEOUT_ENV: &str = "CONTROLPLANE_AWS_ATTEMPT_TIMEOUT_MS";
pub const OPERATION_TIMEOUT_ENV: &str = "CONTROLPLANE_AWS_OPERATION_TIMEOUT_MS";

/// The standard retry mode's default.
pub const DEFAULT_MAX_ATTEMPTS: u32 = 3;

/// The timeouts of one client's calls.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Timeouts {
    /// Opening a connection (TCP and TLS).
    pub connect: Duration,
    /// One attempt: sending the request and reading the whole answer.
    pub attempt: Duration,
    /// The whole call: every attempt and the pauses between them.
    pub operation: Duration,
}

/// DynamoDB, SQS, Secrets Manager and EventBridge: calls of milliseconds
/// whose attempts, with the standard mode's backoff (up to 1 s, then 2 s),
/// end within 8 s.
pub const DEFAULT_TIMEOUTS: Timeouts =
    Timeouts { connect: Duration::from_secs(2), attempt: Duration::from_secs(3), operation: Duration::from_secs(8) };

/// S3: a backup or an audit export is read or written whole by a worker,
/// whose functions have minutes.
pub const BLOB_TIMEOUTS: Timeouts =
    Timeouts { connect: Duration::from_secs(2), attempt: Duration::from_secs(60), operation: Duration::from_secs(150) };

impl Timeouts {
    pub fn config(self) -> TimeoutConfig {
        TimeoutConfig::builder()
            .connect_timeout(self.connect)
            .operation_attempt_timeout(self.attempt)
            .operation_timeout(self.operation)
            .build()
    }
}

/// Why a retry or timeout variable cannot be used.
#[derive(Debug, PartialEq, Eq, thiserror::Error)]
#[error("{name}: {reason}")]
pub struct SettingError {
    pub name: &'static str,
    pub reason: String,
}

/// The retry and timeout settings the environment gives: the defaults,
/// each replaced by its variable when set.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Settings {
    pub max_attempts: u32,
    pub timeouts: Timeouts,
}

impl Settings {
    pub fn from_vars(var: impl Fn(&str) -> Option<String>) -> Result<Self, SettingError> {
        let number = |name: &'static str, low: u64, high: u64| -> Result<Option<u64>, SettingError> {
            let Some(text) = var(name).filter(|v| !v.trim().is_empty()) else { return Ok(None) };
            match text.trim().parse::<u64>() {
                Ok(n) if (low..=high).contains(&n) => Ok(Some(n)),
                _ => Err(SettingError { name, reason: format!("`{text}` is not a whole number from {low} to {high}") }),
            }
        };
        let millis = |name, default: Duration| {
            Ok::<_, SettingError>(number(name, 1, 600_000)?.map_or(default, Duration::from_millis))
        };
        let max_attempts = number(MAX_ATTEMPTS_ENV, 1, 10)?.map_or(DEFAULT_MAX_ATTEMPTS, |n| n as u32);
        let timeouts = Timeouts {
            connect: millis(CONNECT_TIMEOUT_ENV, DEFAULT_TIMEOUTS.connect)?,
            attempt: millis(ATTEMPT_TIMEOUT_ENV, DEFAULT_TIMEOUTS.attempt)?,
            operation: millis(OPERATION_TIMEOUT_ENV, DEFAULT_TIMEOUTS.operation)?,
        };
        Ok(Self { max_attempts, timeouts })
    }

    /// The process's settings; an unusable variable is logged and its
    /// default used (a function must still answer, and say why).
    fn from_process() -> Self {
        Self::from_vars(|name| std::env::var(name).ok()).unwrap_or_else(|error| {
            tracing::error!(%error, "unusable AWS retry or timeout setting; using the defaults");
            Self { max_attempts: DEFAULT_MAX_ATTEMPTS, timeouts: DEFAULT_TIMEOUTS }
        })
    }

    fn retry(self) -> RetryConfig {
        RetryConfig::standard().with_max_attempts(self.max_attempts)
    }
}

/// The process's SDK configuration (built on first call).
pub async fn config() -> &'static SdkConfig {
    static CONFIG: OnceCell<SdkConfig> = OnceCell::const_new();
    CONFIG
        .get_or_init(|| async {
            let settings = Settings::from_process();
            match from_environment(|name| std::env::var(name).ok(), settings) {
                Some(config) => config,
                None => default_chain(settings).await,
            }
        })
        .await
}

/// The SDK's default chain (profile files, SSO, IMDS, STS): only in
/// builds with the `aws-default-chain` feature (the local server), so that
/// Lambda binaries, whose environment always names a region and
/// credentials, carry none of its code.
#[cfg(feature = "aws-default-chain")]
async fn default_chain(settings: Settings) -> SdkConfig {
    aws_config::defaults(BehaviorVersion::latest())
        .retry_config(settings.retry())
        .timeout_config(settings.timeouts.config())
        .load()
        .await
}

/// Without the default chain, a configuration that names neither region
/// nor credentials: every AWS call fails, saying so.
#[cfg(not(feature = "aws-default-chain"))]
async fn default_chain(settings: Settings) -> SdkConfig {
    tracing::error!(
        "AWS_REGION and AWS credentials are missing from the environment (Lambda sets them); \
         this build reads no profile files (the `aws-default-chain` feature of controlplane does)"
    );
    SdkConfig::builder()
        .behavior_version(BehaviorVersion::latest())
        .retry_config(settings.retry())
        .timeout_config(settings.timeouts.config())
        .build()
}

/// The configuration the environment alone gives: a region
/// (`AWS_REGION` or `AWS_DEFAULT_REGION`), credentials (`AWS_ACCESS_KEY_ID`,
/// `AWS_SECRET_ACCESS_KEY`, optionally `AWS_SESSION_TOKEN`, read by the
/// SDK's environment provider) and optionally `AWS_ENDPOINT_URL`; `None`
/// when a region or the credentials are missing.
fn from_environment(var: impl Fn(&str) -> Option<String>, settings: Settings) -> Option<SdkConfig> {
    let region = var("AWS_REGION").or_else(|| var("AWS_DEFAULT_REGION")).filter(|r| !r.is_empty())?;
    var("AWS_ACCESS_KEY_ID").filter(|k| !k.is_empty())?;
    var("AWS_SECRET_ACCESS_KEY").filter(|k| !k.is_empty())?;
    let credentials = SharedCredentialsProvider::new(EnvironmentVariableCredentialsProvider::new());
    let mut builder = SdkConfig::builder()
        .behavior_version(BehaviorVersion::latest())
        .region(Region::new(region))
        .credentials_provider(credentials)
        .retry_config(settings.retry())
        .timeout_config(settings.timeouts.config());
    if let Some(url) = var(ENDPOINT_ENV).filter(|u| !u.is_empty()) {
        builder = builder.endpoint_url(url);
    }
    Some(builder.build())
}

/// Why an adapter URL cannot be opened: its adapter is a cargo feature of
/// this crate (one per AWS service beyond DynamoDB, and `sqlite`) that the
/// function was built without.
pub fn not_built_in(scheme: &str, feature: &str) -> String {
    format!("{scheme} is not built into this function (it needs the `{feature}` feature of controlplane)")
}

/// An SDK error as one line: the service's code and message, or what kept
/// the call from an answer (a timeout, a connection), with its causes.
pub fn describe(error: impl std::error::Error) -> String {
    aws_sdk_dynamodb::error::DisplayErrorContext(error).to_string()
}

/// An AWS region name: `us-east-1`, `eu-central-2`, `us-gov-west-1`, `ap-southeast-4`.
pub fn region_name(s: &str) -> Result<(), String> {
    let parts: Vec<&str> = s.split('-').collect();
    let valid = (3..=4).contains(&parts.len())
        && parts[0].len() == 2
        && parts[0].chars().all(|c| c.is_ascii_lowercase())
        && parts[1..parts.len() - 1].iter().all(|p| !p.is_empty() && p.chars().all(|c| c.is_ascii_lowercase()))
        && parts[parts.len() - 1].parse::<u8>().is_ok();
    if valid { Ok(()) } else { Err("not an AWS region name (like us-east-1)".into()) }
}

/// An adapter URL's rest split from its `?region=AWS_REGION`, the only
/// query the AWS adapters take (a store in another AWS region than the
/// process's).
pub fn region_query(rest: &str) -> Result<(&str, Option<String>), String> {
    let Some((before, query)) = rest.split_once('?') else { return Ok((rest, None)) };
    let region =
        query.strip_prefix("region=").ok_or_else(|| format!("`?{query}`: the only option is ?region=AWS_REGION"))?;
    region_name(region).map_err(|e| format!("`{region}`: {e}"))?;
    Ok((before, Some(region.to_owned())))
}

/// A client for `region` built from [`config`] at once: a store kept in
/// another AWS region than the process's.
pub async fn client_in<C>(region: &str, make: fn(&SdkConfig) -> C) -> C {
    make(&config().await.to_builder().region(Region::new(region.to_owned())).build())
}

/// A client built from [`config`] when first used.
pub struct Lazy<C> {
    cell: OnceCell<C>,
    make: fn(&SdkConfig) -> C,
}

impl<C> Lazy<C> {
    pub const fn new(make: fn(&SdkConfig) -> C) -> Self {
        Self { cell: OnceCell::const_new(), make }
    }

    /// A client already built (tests: one aimed at a look-alike).
    pub fn built(client: C) -> Self {
        Self { cell: OnceCell::new_with(Some(client)), make: |_| unreachable!("already built") }
    }

    pub async fn get(&self) -> &C {
        self.cell.get_or_init(|| async { (self.make)(config().await) }).await
    }
}

/// The process's Secrets Manager client (the secrets adapter's, and the
/// JWT signing secret's at init), built on first use.
pub async fn secrets_manager() -> &'static aws_sdk_secretsmanager::Client {
    static CLIENT: Lazy<aws_sdk_secretsmanager::Client> = Lazy::new(aws_sdk_secretsmanager::Client::new);
    CLIENT.get().await
}

/// The string value of the secret `id` (a name or an ARN); `None` when no
/// secret has it.
pub async fn secret_string(id: &str) -> Result<Option<String>, String> {
    secret_string_from(secrets_manager().await, id).await
}

/// [`secret_string`] through `client`.
pub async fn secret_string_from(client: &aws_sdk_secretsmanager::Client, id: &str) -> Result<Option<String>, String> {
    use aws_sdk_secretsmanager::error::ProvideErrorMetadata;
    match client.get_secret_value().secret_id(id).send().await {
        Ok(read) => Ok(read.secret_string),
        Err(e) if e.code() == Some("ResourceNotFoundException") => Ok(None),
        Err(e) => Err(describe(e)),
    }
}

/// An AWS look-alike for the adapters' unit tests: a server on 127.0.0.1
/// answering each request with the next of a script, and an SDK
/// configuration aimed at it (fixed credentials, backoff of a millisecond).
#[cfg(test)]
pub(crate) mod look_alike {
    use std::sync::atomic::{AtomicUsize, Ordering};
    use std::sync::{Arc, Mutex};

    use aws_credential_types::Credentials;
    use http::{HeaderMap, Method, StatusCode, Uri};

    use super::*;

    /// One request it was sent.
    pub struct Seen {
        pub method: Method,
        pub path: String,
        pub headers: HeaderMap,
        pub body: String,
    }

    pub type Log = Arc<Mutex<Vec<Seen>>>;

    /// Answers each request with the next `(status, body)` of `script`
    /// (the last one repeats), each with the `x-amzn-query-error`-free
    /// headers of a JSON service.
    pub async fn serving(script: Vec<(u16, &'static str)>) -> (SdkConfig, Log) {
        let log: Log = Arc::default();
        let calls = Arc::new(AtomicUsize::new(0));
        let record = Arc::clone(&log);
        let answer = move |method: Method, uri: Uri, headers: HeaderMap, body: String| {
            record.lock().unwrap().push(Seen { method, path: uri.path().to_owned(), headers, body });
            let (status, body) = script[calls.fetch_add(1, Ordering::SeqCst).min(script.len() - 1)];
            async move {
                let headers = [("content-type", "application/x-amz-json-1.0")];
                (StatusCode::from_u16(status).unwrap(), headers, body)
            }
        };
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let base = format!("http://{}", listener.local_addr().unwrap());
        tokio::spawn(async move { axum::serve(listener, axum::Router::new().fallback(answer)).await });
        let retry = RetryConfig::standard()
            .with_max_attempts(DEFAULT_MAX_ATTEMPTS)
            .with_initial_backoff(Duration::from_millis(1))
            .with_max_backoff(Duration::from_millis(5));
        let config = SdkConfig::builder()
            .behavior_version(BehaviorVersion::latest())
            .region(Region::new("us-east-1"))
            .credentials_provider(SharedCredentialsProvider::new(Credentials::new("AKID", "secret", None, None, "t")))
            .endpoint_url(base)
            .retry_config(retry)
            .timeout_config(DEFAULT_TIMEOUTS.config())
            .build();
        (config, log)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashMap;

    fn env(pairs: &[(&str, &str)]) -> impl Fn(&str) -> Option<String> {
        let map: HashMap<String, String> = pairs.iter().map(|(k, v)| (k.to_string(), v.to_string())).collect();
        move |name| map.get(name).cloned()
    }

    fn defaults() -> Settings {
        Settings::from_vars(env(&[])).unwrap()
    }

    #[test]
    fn a_region_and_credentials_in_the_environment_are_enough() {
        let config = from_environment(
            env(&[
                ("AWS_DEFAULT_REGION", "eu-west-1"),
                ("AWS_ACCESS_KEY_ID", "AKIDEXAMPLE"),
                ("AWS_SECRET_ACCESS_KEY", "secret"),
                ("AWS_ENDPOINT_URL", "http://127.0.0.1:5000"),
            ]),
            defaults(),
        )
        .expect("configured from the environment");
        assert_eq!(config.region().map(Region::as_ref), Some("eu-west-1"));
        assert_eq!(config.endpoint_url(), Some("http://127.0.0.1:5000"));
        assert!(config.credentials_provider().is_some());
    }

    #[test]
    fn without_a_region_or_credentials_the_default_chain_decides() {
        let partial = [env(&[("AWS_ACCESS_KEY_ID", "a"), ("AWS_SECRET_ACCESS_KEY", "b")])];
        assert!(from_environment(&partial[0], defaults()).is_none());
        assert!(
            from_environment(env(&[("AWS_REGION", "us-east-1"), ("AWS_ACCESS_KEY_ID", "a")]), defaults()).is_none()
        );
    }

    #[test]
    fn every_client_gets_the_standard_retry_mode_and_stated_timeouts() {
        let vars = [("AWS_REGION", "us-east-1"), ("AWS_ACCESS_KEY_ID", "a"), ("AWS_SECRET_ACCESS_KEY", "b")];
        let config = from_environment(env(&vars), defaults()).unwrap();
        let retry = config.retry_config().expect("a retry configuration");
        assert_eq!(retry.mode(), aws_config::retry::RetryMode::Standard);
        assert_eq!(retry.max_attempts(), 3);
        let timeouts = config.timeout_config().expect("timeouts");
        assert_eq!(timeouts.connect_timeout(), Some(Duration::from_secs(2)));
        assert_eq!(timeouts.operation_attempt_timeout(), Some(Duration::from_secs(3)));
        assert_eq!(timeouts.operation_timeout(), Some(Duration::from_secs(8)));
    }

    #[test]
    fn each_retry_and_timeout_variable_replaces_its_default() {
        let settings = Settings::from_vars(env(&[
            (MAX_ATTEMPTS_ENV, "5"),
            (CONNECT_TIMEOUT_ENV, "250"),
            (ATTEMPT_TIMEOUT_ENV, "1500"),
            (OPERATION_TIMEOUT_ENV, "20000"),
        ]))
        .unwrap();
        assert_eq!(settings.max_attempts, 5);
        assert_eq!(
            settings.timeouts,
            Timeouts {
                connect: Duration::from_millis(250),
                attempt: Duration::from_millis(1500),
                operation: Duration::from_secs(20),
            }
        );
        let vars = [("AWS_REGION", "us-east-1"), ("AWS_ACCESS_KEY_ID", "a"), ("AWS_SECRET_ACCESS_KEY", "b")];
        let config = from_environment(env(&vars), settings).unwrap();
        assert_eq!(config.retry_config().unwrap().max_attempts(), 5);
        assert_eq!(config.timeout_config().unwrap().operation_attempt_timeout(), Some(Duration::from_millis(1500)));
    }

    #[test]
    fn an_unusable_retry_or_timeout_variable_is_named() {
        for (name, value) in [
            (MAX_ATTEMPTS_ENV, "0"),
            (MAX_ATTEMPTS_ENV, "many"),
            (CONNECT_TIMEOUT_ENV, "-1"),
            (ATTEMPT_TIMEOUT_ENV, "2.5"),
            (OPERATION_TIMEOUT_ENV, "600001"),
        ] {
            let error = Settings::from_vars(env(&[(name, value)])).unwrap_err();
            assert_eq!(error.name, name, "{error}");
        }
    }
}
