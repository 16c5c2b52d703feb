//! Reaching a source's endpoint: a `GET` through the webhook delivery's
//! address checks (public addresses only, resolved once and connected to
//! directly: a tenant's URL cannot reach the cloud metadata service or the
//! VPC), with a connect timeout and an overall timeout. Any HTTP answer
//! means reachable; a token or basic credential is sent as the
//! `Authorization` header.

use std::time::{Duration, Instant};

use crate::domain::credential::{CredentialKind, CredentialValue};
use crate::domain::egress::Gate;
use crate::domain::webhooks::target::Allowances;
use crate::ports::outbound;
use async_trait::async_trait;
use base64::Engine;
use bytes::Bytes;
use http_body_util::Full;

/// An HTTP answer and how long it took.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Reached {
    pub status: u16,
    pub latency_ms: u64,
}

#[async_trait]
pub trait Probe: Send + Sync {
    /// `Err` says why the endpoint did not answer (never the credential).
    /// The call passes `gate` (the org's egress policy) first.
    async fn reach(&self, url: &str, credential: Option<&CredentialValue>, gate: &Gate<'_>) -> Result<Reached, String>;
}

pub struct HttpProbe {
    pub allow: Allowances,
    pub timeout: Duration,
}

impl HttpProbe {
    pub const CONNECT_TIMEOUT: Duration = Duration::from_secs(5);
    pub const TIMEOUT: Duration = Duration::from_secs(10);

    pub fn new(allow: Allowances) -> Self {
        Self { allow, timeout: Self::TIMEOUT }
    }
}

fn authorization(credential: Option<&CredentialValue>) -> Option<String> {
    let credential = credential?;
    match credential.kind() {
        CredentialKind::Token => credential.expose("token").map(|t| format!("Bearer {t}")),
        CredentialKind::Basic | CredentialKind::Registry => {
            let pair = format!("{}:{}", credential.expose("username")?, credential.expose("password")?);
            Some(format!("Basic {}", base64::engine::general_purpose::STANDARD.encode(pair)))
        }
        CredentialKind::AwsRole => None,
    }
}

#[async_trait]
impl Probe for HttpProbe {
    async fn reach(&self, url: &str, credential: Option<&CredentialValue>, gate: &Gate<'_>) -> Result<Reached, String> {
        let checked = gate.check(url, self.allow).await?;
        let client = outbound::pinned_client(checked.addr, Self::CONNECT_TIMEOUT)?;
        let mut request = http::Request::builder()
            .method(http::Method::GET)
            .uri(checked.url.as_str())
            .header(http::header::USER_AGENT, concat!("controlplane-sources/", env!("CARGO_PKG_VERSION")));
        if let Some(value) = authorization(credential) {
            request = request.header(http::header::AUTHORIZATION, value);
        }
        let request = request.body(Full::new(Bytes::new())).map_err(|e| e.to_string())?;
        let started = Instant::now();
        let answered = tokio::time::timeout(self.timeout, client.request(request)).await;
        let latency_ms = u64::try_from(started.elapsed().as_millis()).unwrap_or(u64::MAX);
        match answered {
            Ok(Ok(response)) => Ok(Reached { status: response.status().as_u16(), latency_ms }),
            // hyper's errors name the connection failure, never the request's headers.
            Ok(Err(error)) => Err(format!("no answer: {error}")),
            Err(_) => Err(format!("no answer within {} s", self.timeout.as_secs())),
        }
    }
}
