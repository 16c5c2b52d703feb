//! The AWS SDK configuration every adapter shares, and clients built on
//! first use.
//!
//! Cold starts are the reason. The SDK's default chain
//! (`aws_config::load_defaults`) looks at profile files and prepares IMDS
//! and STS providers, and the SDK's own HTTP client loads the system's root
//! certificates (ours, [`http`], does not); doing that at init, once per
//! adapter, made up most of a function's init time. Here the configuration
//! is built once per process and, when the environment names a region and
//! credentials (as Lambda's does), from the environment alone: no file, no
//! network. Elsewhere (a developer's machine with profiles or SSO) it falls
//! back to the default chain, in builds that have it (the
//! `aws-default-chain` feature: the local server; Lambda binaries leave its
//! code out). Clients are built when first used, so a function pays only
//! for the services a request touches.

pub mod http;
pub mod json;
pub mod signed;

use aws_config::environment::EnvironmentVariableCredentialsProvider;
use aws_config::{BehaviorVersion, Region, SdkConfig};
use aws_credential_types::provider::SharedCredentialsProvider;
use tokio::sync::OnceCell;

pub const ENDPOINT_ENV: &str = "AWS_ENDPOINT_URL";

/// The process's SDK configuration (built on first call).
pub async fn config() -> &'static SdkConfig {
    static CONFIG: OnceCell<SdkConfig> = OnceCell::const_new();
    CONFIG
        .get_or_init(|| async {
            match from_environment(|name| std::env::var(name).ok()) {
                Some(config) => config,
                None => default_chain().await,
            }
        })
        .await
}

/// The SDK's default chain (profile files, SSO, IMDS, STS): only in
/// builds with the `aws-default-chain` feature (the local server), so that
/// Lambda binaries, whose environment always names a region and
/// credentials, carry none of its code.
#[cfg(feature = "aws-default-chain")]
async fn default_chain() -> SdkConfig {
    aws_config::defaults(BehaviorVersion::latest()).http_client(http::client()).load().await
}

/// Without the default chain, a configuration that names neither region
/// nor credentials: every AWS call fails, saying so.
#[cfg(not(feature = "aws-default-chain"))]
async fn default_chain() -> SdkConfig {
    tracing::error!(
        "AWS_REGION and AWS credentials are missing from the environment (Lambda sets them); \
         this build reads no profile files (the `aws-default-chain` feature of controlplane does)"
    );
    SdkConfig::builder().behavior_version(BehaviorVersion::latest()).http_client(http::client()).build()
}

/// The configuration the environment alone gives: a region
/// (`AWS_REGION` or `AWS_DEFAULT_REGION`), credentials (`AWS_ACCESS_KEY_ID`,
/// `AWS_SECRET_ACCESS_KEY`, optionally `AWS_SESSION_TOKEN`, read by the
/// SDK's environment provider) and optionally `AWS_ENDPOINT_URL`; `None`
/// when a region or the credentials are missing.
fn from_environment(var: impl Fn(&str) -> Option<String>) -> Option<SdkConfig> {
    let region = var("AWS_REGION").or_else(|| var("AWS_DEFAULT_REGION")).filter(|r| !r.is_empty())?;
    var("AWS_ACCESS_KEY_ID").filter(|k| !k.is_empty())?;
    var("AWS_SECRET_ACCESS_KEY").filter(|k| !k.is_empty())?;
    let credentials = SharedCredentialsProvider::new(EnvironmentVariableCredentialsProvider::new());
    let mut builder = SdkConfig::builder()
        .behavior_version(BehaviorVersion::latest())
        .region(Region::new(region))
        .credentials_provider(credentials)
        .http_client(http::client());
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

/// A client built from [`config`] when first used.
pub struct Lazy<C> {
    cell: OnceCell<C>,
    make: fn(&SdkConfig) -> C,
}

impl<C> Lazy<C> {
    pub const fn new(make: fn(&SdkConfig) -> C) -> Self {
        Self { cell: OnceCell::const_new(), make }
    }

    pub async fn get(&self) -> &C {
        self.cell.get_or_init(|| async { (self.make)(config().await) }).await
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

    #[test]
    fn a_region_and_credentials_in_the_environment_are_enough() {
        let config = from_environment(env(&[
            ("AWS_DEFAULT_REGION", "eu-west-1"),
            ("AWS_ACCESS_KEY_ID", "AKIDEXAMPLE"),
            ("AWS_SECRET_ACCESS_KEY", "secret"),
            ("AWS_ENDPOINT_URL", "http://127.0.0.1:5000"),
        ]))
        .expect("configured from the environment");
        assert_eq!(config.region().map(Region::as_ref), Some("eu-west-1"));
        assert_eq!(config.endpoint_url(), Some("http://127.0.0.1:5000"));
        assert!(config.credentials_provider().is_some());
    }

    #[test]
    fn without_a_region_or_credentials_the_default_chain_decides() {
        assert!(from_environment(env(&[("AWS_ACCESS_KEY_ID", "a"), ("AWS_SECRET_ACCESS_KEY", "b")])).is_none());
        assert!(from_environment(env(&[("AWS_REGION", "us-east-1"), ("AWS_ACCESS_KEY_ID", "a")])).is_none());
    }
}
