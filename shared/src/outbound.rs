//! Outbound HTTP: one client shape for every call the control plane makes
//! (the OIDC key set, the orchestrator). It is the stack the AWS SDK
//! already links (hyper, rustls on aws-lc-rs, the system's roots), so it
//! adds next to nothing to a function, and it is built on first use, never
//! at cold start.

use std::net::SocketAddr;
use std::sync::{Arc, OnceLock};
use std::time::Duration;

use bytes::Bytes;
use http_body_util::Full;
use hyper_rustls::{ConfigBuilderExt, HttpsConnector};
use hyper_util::client::legacy::Client;
use hyper_util::client::legacy::connect::HttpConnector;
use hyper_util::client::legacy::connect::dns::Name;
use hyper_util::rt::TokioExecutor;

pub type HttpClient = Client<HttpsConnector<HttpConnector>, Full<Bytes>>;

/// A client for `https://` (and `http://`, which callers allow only where
/// they checked the address) that gives up connecting after `connect_timeout`.
pub fn client(connect_timeout: Duration) -> Result<HttpClient, String> {
    let mut http = HttpConnector::new();
    http.set_connect_timeout(Some(connect_timeout));
    http.enforce_http(false);
    over(http)
}

/// A resolver that answers every name with one address: a client built on
/// it connects where a check said it may, and nowhere a later DNS answer
/// would point.
#[derive(Debug, Clone, Copy)]
pub struct Pinned(pub SocketAddr);

impl tower::Service<Name> for Pinned {
    type Response = std::iter::Once<SocketAddr>;
    type Error = std::io::Error;
    type Future = std::future::Ready<Result<Self::Response, Self::Error>>;

    fn poll_ready(&mut self, _: &mut std::task::Context<'_>) -> std::task::Poll<Result<(), Self::Error>> {
        std::task::Poll::Ready(Ok(()))
    }

    fn call(&mut self, _: Name) -> Self::Future {
        std::future::ready(Ok(std::iter::once(self.0)))
    }
}

pub type PinnedClient = Client<HttpsConnector<HttpConnector<Pinned>>, Full<Bytes>>;

/// A client that connects only to `addr` (TLS still checks the URL's host).
pub fn pinned_client(addr: SocketAddr, connect_timeout: Duration) -> Result<PinnedClient, String> {
    let mut http = HttpConnector::new_with_resolver(Pinned(addr));
    http.set_connect_timeout(Some(connect_timeout));
    http.enforce_http(false);
    over(http)
}

/// A client: TLS over `http`'s TCP connections.
fn over<R>(http: HttpConnector<R>) -> Result<Client<HttpsConnector<HttpConnector<R>>, Full<Bytes>>, String>
where
    R: tower::Service<Name> + Clone + Send + Sync + 'static,
    R::Response: Iterator<Item = SocketAddr> + Send,
    R::Error: Into<Box<dyn std::error::Error + Send + Sync>>,
    R::Future: Send,
{
    let https = hyper_rustls::HttpsConnectorBuilder::new()
        .with_tls_config(tls_config()?)
        .https_or_http()
        .enable_http1()
        .wrap_connector(http);
    Ok(Client::builder(TokioExecutor::new()).build(https))
}

/// The TLS configuration (aws-lc-rs, the system's roots), built once.
fn tls_config() -> Result<rustls::ClientConfig, String> {
    static CONFIG: OnceLock<Result<rustls::ClientConfig, String>> = OnceLock::new();
    CONFIG
        .get_or_init(|| {
            let provider = Arc::new(rustls::crypto::aws_lc_rs::default_provider());
            Ok(rustls::ClientConfig::builder_with_provider(provider)
                .with_safe_default_protocol_versions()
                .map_err(|e| format!("TLS configuration: {e}"))?
                .with_native_roots()
                .map_err(|e| format!("cannot load the system's root certificates: {e}"))?
                .with_no_client_auth())
        })
        .clone()
}

/// Checks an address may be called: `https://`, or `http://` on a
/// loopback host (local services and tests).
pub fn check_url(url: &str) -> Result<(), String> {
    let loopback = ["http://127.0.0.1", "http://localhost", "http://[::1]"]
        .iter()
        .any(|p| url.strip_prefix(p).is_some_and(|rest| rest.is_empty() || rest.starts_with([':', '/'])));
    if url.starts_with("https://") && url.len() > "https://".len() || loopback {
        Ok(())
    } else {
        Err(format!("must be an https:// address (http:// only on a loopback host), not `{url}`"))
    }
}
