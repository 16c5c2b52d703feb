//! Outbound HTTP: one client shape for every call the control plane makes
//! beyond the AWS SDK's (the OIDC key set, the orchestrator, webhook
//! deliveries, source probes): hyper over HTTP/1.1, rustls on its default
//! provider (aws-lc-rs, the SDK's too), built on first use, never at cold
//! start.
//!
//! The roots it trusts are Mozilla's, compiled in (`webpki-roots`): nothing
//! to read or parse when the first connection is made, and nothing held on
//! the heap. `SSL_CERT_FILE` adds the PEM certificates of a file (a private
//! CA in front of an orchestrator or an OIDC issuer).

use std::net::SocketAddr;
use std::sync::{Arc, OnceLock};
use std::time::Duration;

use bytes::Bytes;
use http_body_util::{BodyExt, Full, Limited};
use hyper_rustls::HttpsConnector;
use hyper_util::client::legacy::Client;
use hyper_util::client::legacy::connect::HttpConnector;
use hyper_util::client::legacy::connect::dns::Name;
use hyper_util::rt::{TokioExecutor, TokioTimer};
use rustls::RootCertStore;
use rustls::pki_types::CertificateDer;
use rustls::pki_types::pem::PemObject;

pub type HttpClient = Client<HttpsConnector<HttpConnector>, Full<Bytes>>;

/// The variable naming a PEM file whose certificates are trusted besides
/// the compiled-in roots.
pub const EXTRA_ROOTS_ENV: &str = "SSL_CERT_FILE";

/// A client for `https://` (and `http://`, which callers allow only where
/// they checked the address) that gives up connecting after `connect_timeout`.
pub fn client(connect_timeout: Duration) -> Result<HttpClient, String> {
    pooled(Some(connect_timeout))
}

/// The same client for any request body (the AWS SDK sends its own), with
/// an optional connect timeout.
pub fn pooled<B>(connect_timeout: Option<Duration>) -> Result<Client<HttpsConnector<HttpConnector>, B>, String>
where
    B: hyper::body::Body + Send + 'static,
    B::Data: Send,
    B::Error: Into<Box<dyn std::error::Error + Send + Sync>>,
{
    let mut http = HttpConnector::new();
    http.set_connect_timeout(connect_timeout);
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

/// A client: TLS over `http`'s TCP connections (TCP_NODELAY: a request is
/// written in several small writes), idle connections reused and, after
/// hyper's idle timeout, closed.
fn over<R, B>(mut http: HttpConnector<R>) -> Result<Client<HttpsConnector<HttpConnector<R>>, B>, String>
where
    R: tower::Service<Name> + Clone + Send + Sync + 'static,
    R::Response: Iterator<Item = SocketAddr> + Send,
    R::Error: Into<Box<dyn std::error::Error + Send + Sync>>,
    R::Future: Send,
    B: hyper::body::Body + Send + 'static,
    B::Data: Send,
{
    http.set_nodelay(true);
    let https = hyper_rustls::HttpsConnectorBuilder::new()
        .with_tls_config(tls_config()?)
        .https_or_http()
        .enable_http1()
        .wrap_connector(http);
    Ok(Client::builder(TokioExecutor::new()).pool_timer(TokioTimer::new()).build(https))
}

/// The TLS configuration (aws-lc-rs, the trusted roots), built once.
pub(crate) fn tls_config() -> Result<rustls::ClientConfig, String> {
    static CONFIG: OnceLock<Result<rustls::ClientConfig, String>> = OnceLock::new();
    CONFIG
        .get_or_init(|| {
            let extra = std::env::var_os(EXTRA_ROOTS_ENV).filter(|path| !path.is_empty());
            trusting(roots(extra.as_deref().map(std::path::Path::new))?)
        })
        .clone()
}

/// Builds the TLS configuration now: an unusable `SSL_CERT_FILE` is
/// reported at start, not at the first outbound call.
pub fn check_extra_roots() -> Result<(), String> {
    tls_config().map(drop)
}

/// A client configuration on rustls's default provider that trusts
/// `roots`. The provider is named rather than taken from the process
/// default, which another crate could have installed.
fn trusting(roots: RootCertStore) -> Result<rustls::ClientConfig, String> {
    Ok(rustls::ClientConfig::builder_with_provider(Arc::new(rustls::crypto::aws_lc_rs::default_provider()))
        .with_safe_default_protocol_versions()
        .map_err(|e| format!("TLS configuration: {e}"))?
        .with_root_certificates(roots)
        .with_no_client_auth())
}

/// Mozilla's roots (borrowed from the binary: no parsing, no heap beyond
/// the list), and the certificates of the PEM file `extra`, if any.
fn roots(extra: Option<&std::path::Path>) -> Result<RootCertStore, String> {
    let mut roots = RootCertStore { roots: webpki_roots::TLS_SERVER_ROOTS.to_vec() };
    if let Some(path) = extra {
        let unreadable = |e: &dyn std::fmt::Display| format!("{EXTRA_ROOTS_ENV} {}: {e}", path.display());
        let mut added = 0;
        for cert in CertificateDer::pem_file_iter(path).map_err(|e| unreadable(&e))? {
            roots.add(cert.map_err(|e| unreadable(&e))?).map_err(|e| unreadable(&e))?;
            added += 1;
        }
        if added == 0 {
            return Err(unreadable(&"no PEM certificate in the file"));
        }
    }
    Ok(roots)
}

/// One request sent and its answer read whole within `timeout`: the
/// status and body, or why not (connecting, I/O, an answer over
/// `max_body` bytes, the timeout). `what` names the request in the error.
pub async fn exchange(
    client: &HttpClient,
    request: http::Request<Full<Bytes>>,
    timeout: Duration,
    max_body: usize,
    what: &str,
) -> Result<(http::StatusCode, Bytes), String> {
    let answer = async {
        let response = client.request(request).await.map_err(|e| format!("{what}: {e}"))?;
        let status = response.status();
        let body = Limited::new(response.into_body(), max_body).collect().await.map_err(|e| format!("{what}: {e}"))?;
        Ok((status, body.to_bytes()))
    };
    tokio::time::timeout(timeout, answer).await.unwrap_or_else(|_| Err(format!("{what}: timed out")))
}

/// The pause before retry `attempt` (1 for the first retry): `base`
/// doubled per retry, a random half to whole of it (jitter).
pub fn backoff(base: Duration, attempt: u32) -> Duration {
    base.saturating_mul(2u32.saturating_pow(attempt.saturating_sub(1))).mul_f64(rand::random_range(0.5..=1.0))
}

/// Whether an answer says to try again later: a server error or 429.
pub fn is_transient(status: http::StatusCode) -> bool {
    status.is_server_error() || status == http::StatusCode::TOO_MANY_REQUESTS
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

#[cfg(test)]
mod tests {
    use super::*;
    use rustls::crypto::CryptoProvider;
    use rustls::pki_types::PrivateKeyDer;

    /// A private CA (P-256, valid until 2126) and the certificate and key
    /// it issued for `localhost`, made with openssl for these tests (the CA
    /// is a file: the local server's configuration test trusts it too).
    const TEST_ROOT: &str = include_str!("../../testdata/test-root.pem");
    const LOCALHOST_CERT: &str = "-----BEGIN CERTIFICATE-----
MIIBxTCCAWygAwIBAgIUcsFvS+smRqe6gCUpPKeG5PwNdycwCgYIKoZIzj0EAwIw
ITEfMB0GA1UEAwwWY29udHJvbHBsYW5lIHRlc3Qgcm9vdDAgFw0yNjExMjkwNzEx
MTFaGA8yMTI2MTEwNTA3MTExMVowFDESMBAGA1UEAwwJbG9jYWxob3N0MFkwEwYH
KoZIzj0CAQYIKoZIzj0DAQcDQgAEyaxs+0ndhAYFIQwvxYHVbNLIkKofzzXPx5IC
jtXRc4KBHL0IHC4/KmLwaDUzuIyRTwVncBT6vzmyVqQ3nRBiq6OBjDCBiTAUBgNV
HREEDTALgglsb2NhbGhvc3QwDAYDVR0TAQH/BAIwADAOBgNVHQ8BAf8EBAMCB4Aw
EwYDVR0lBAwwCgYIKwYBBQUHAwEwHQYDVR0OBBYEFGEfwfj8UoC2TWGuhcD7O4nn
dj8UMB8GA1UdIwQYMBaAFHt15sw8DW9dCvaNTFccpoyTD8pEMAoGCCqGSM49BAMC
A0cAMEQCICWNNhBlrFlc/THyt3pWI0y1qUGe8WWh/x1vjXtCUuoVAiA67EFUdUIK
B7R4OtRd89+zk4iGnxPcrnuDJMRWdk6DYA==
-----END CERTIFICATE-----
";
    const LOCALHOST_KEY: &str = "-----BEGIN PRIVATE KEY-----
MIGHAgEAMBMGByqGSM49AgEGCCqGSM49AwEHBG0wawIBAQQgP1cTA5AS1LvIYOcy
mZpahH7BoFkfiYHi9Q200QkRczuhRANCAATJrGz7Sd2EBgUhDC/FgdVs0siQqh/P
Nc/HkgKO1dFzgoEcvQgcLj8qYvBoNTO4jJFPBWdwFPq/ObJWpDedEGKr
-----END PRIVATE KEY-----
";

    #[test]
    fn the_compiled_in_roots_are_trusted_without_reading_a_file() {
        let roots = roots(None).unwrap();
        assert_eq!(roots.len(), webpki_roots::TLS_SERVER_ROOTS.len());
        assert!(roots.len() > 100);
    }

    #[test]
    fn the_certificates_of_the_extra_roots_file_are_trusted_too() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("private-ca.pem");
        std::fs::write(&path, TEST_ROOT).unwrap();
        let roots = roots(Some(&path)).unwrap();
        assert_eq!(roots.len(), webpki_roots::TLS_SERVER_ROOTS.len() + 1);
    }

    #[test]
    fn an_extra_roots_file_without_certificates_or_missing_is_refused_naming_the_variable() {
        let dir = tempfile::tempdir().unwrap();
        let empty = dir.path().join("empty.pem");
        std::fs::write(&empty, "not a certificate\n").unwrap();
        for path in [empty, dir.path().join("missing.pem")] {
            let error = roots(Some(&path)).unwrap_err();
            assert!(error.starts_with("SSL_CERT_FILE ") && error.contains(&*path.to_string_lossy()), "{error}");
        }
    }

    /// A TLS server on 127.0.0.1 presenting the `localhost` certificate: it
    /// reads five bytes of one connection and answers `ok`.
    async fn tls_server(provider: CryptoProvider) -> std::net::SocketAddr {
        use tokio::io::{AsyncReadExt, AsyncWriteExt};
        let chain = vec![CertificateDer::from_pem_slice(LOCALHOST_CERT.as_bytes()).unwrap()];
        let key = PrivateKeyDer::from_pem_slice(LOCALHOST_KEY.as_bytes()).unwrap();
        let config = rustls::ServerConfig::builder_with_provider(Arc::new(provider))
            .with_safe_default_protocol_versions()
            .unwrap()
            .with_no_client_auth()
            .with_single_cert(chain, key)
            .unwrap();
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let addr = listener.local_addr().unwrap();
        tokio::spawn(async move {
            let (tcp, _) = listener.accept().await.unwrap();
            let Ok(mut tls) = tokio_rustls::TlsAcceptor::from(Arc::new(config)).accept(tcp).await else { return };
            let mut line = [0; 5];
            if tls.read_exact(&mut line).await.is_ok() {
                let _ = tls.write_all(b"ok").await;
                let _ = tls.shutdown().await;
            }
        });
        addr
    }

    /// The client's configuration, trusting the test root besides Mozilla's.
    fn trusting_test_root() -> rustls::ClientConfig {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("private-ca.pem");
        std::fs::write(&path, TEST_ROOT).unwrap();
        trusting(roots(Some(&path)).unwrap()).unwrap()
    }

    async fn exchange(config: rustls::ClientConfig) -> Result<String, std::io::Error> {
        exchange_with(config, rustls::crypto::aws_lc_rs::default_provider()).await
    }

    async fn exchange_with(config: rustls::ClientConfig, server: CryptoProvider) -> Result<String, std::io::Error> {
        use tokio::io::{AsyncReadExt, AsyncWriteExt};
        let tcp = tokio::net::TcpStream::connect(tls_server(server).await).await?;
        let name = rustls::pki_types::ServerName::try_from("localhost").unwrap();
        let mut tls = tokio_rustls::TlsConnector::from(Arc::new(config)).connect(name, tcp).await?;
        tls.write_all(b"hello").await?;
        let mut answer = String::new();
        tls.read_to_string(&mut answer).await?;
        Ok(answer)
    }

    #[tokio::test]
    async fn a_server_whose_chain_ends_at_a_trusted_root_is_talked_to_over_tls() {
        assert_eq!(exchange(trusting_test_root()).await.unwrap(), "ok");
    }

    #[tokio::test]
    async fn a_server_whose_chain_ends_at_an_unknown_root_is_refused() {
        let error = exchange(trusting(roots(None).unwrap()).unwrap()).await.unwrap_err();
        assert!(error.to_string().contains("UnknownIssuer"), "{error}");
    }

    /// The client offers what rustls's default provider does: a server
    /// limited to ChaCha20, to X25519, or to the hybrid post-quantum group
    /// still completes a handshake with it.
    #[tokio::test]
    async fn a_server_offering_only_chacha20_x25519_or_the_post_quantum_hybrid_is_talked_to() {
        use rustls::crypto::aws_lc_rs::{cipher_suite, default_provider, kx_group};
        let chacha =
            CryptoProvider { cipher_suites: vec![cipher_suite::TLS13_CHACHA20_POLY1305_SHA256], ..default_provider() };
        let x25519 = CryptoProvider { kx_groups: vec![kx_group::X25519], ..default_provider() };
        let hybrid = CryptoProvider { kx_groups: vec![kx_group::X25519MLKEM768], ..default_provider() };
        for server in [chacha, x25519, hybrid] {
            assert_eq!(exchange_with(trusting_test_root(), server).await.unwrap(), "ok");
        }
    }
}
