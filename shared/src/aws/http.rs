//! The AWS SDK's HTTP client: HTTP/1.1 over the [`outbound`](crate::outbound)
//! stack (hyper, rustls on ring, the compiled-in webpki roots).
//!
//! The SDK's own client (`aws-smithy-http-client`, behind the SDK crates'
//! `default-https-client` feature) costs more than it gives here, measured
//! on `keys` (BENCHMARKS.md, history): it always links HTTP/2 (0.2 MiB of
//! code; the services we call answer HTTP/1.1), and on its first request
//! it loads the system's root certificates, reading the bundle and every
//! file of the certificate directory and keeping them parsed for the
//! process's life (0.3 MiB of peak memory, and file reads on the cold
//! path). It takes no TLS configuration of ours, only more PEM text parsed
//! the same way. So the SDK crates are built without that feature and
//! every [`SdkConfig`](aws_config::SdkConfig) gets this client.
//!
//! What it keeps of the SDK's: one connection pool per timeout setting,
//! the connect and read timeouts the SDK asks for, TCP_NODELAY, and errors
//! classified the way the SDK's retry strategy reads them (I/O and
//! timeouts are transient and retried; a malformed request is not).

use std::error::Error as _;
use std::sync::{Mutex, PoisonError};
use std::time::Duration;

use aws_smithy_runtime_api::client::http::{
    HttpClient, HttpConnector, HttpConnectorFuture, HttpConnectorSettings, SharedHttpClient, SharedHttpConnector,
};
use aws_smithy_runtime_api::client::orchestrator::{HttpRequest, HttpResponse};
use aws_smithy_runtime_api::client::result::ConnectorError;
use aws_smithy_runtime_api::client::runtime_components::RuntimeComponents;
use aws_smithy_types::body::SdkBody;
use aws_smithy_types::retry::ErrorKind;
use hyper_rustls::HttpsConnector;
use hyper_util::client::legacy::Client;
use hyper_util::client::legacy::connect::HttpConnector as TcpConnector;

/// The client every SDK configuration of this process is given.
pub fn client() -> SharedHttpClient {
    SharedHttpClient::new(SdkHttpClient::default())
}

/// The connect and read timeouts one connector was built for.
type Timeouts = (Option<Duration>, Option<Duration>);

#[derive(Debug, Default)]
struct SdkHttpClient {
    /// One connector (one connection pool) per timeouts the SDK asks for:
    /// in practice one, as every client of the process shares the config.
    connectors: Mutex<Vec<(Timeouts, SharedHttpConnector)>>,
}

impl HttpClient for SdkHttpClient {
    fn http_connector(&self, settings: &HttpConnectorSettings, _: &RuntimeComponents) -> SharedHttpConnector {
        let timeouts = (settings.connect_timeout(), settings.read_timeout());
        let mut connectors = self.connectors.lock().unwrap_or_else(PoisonError::into_inner);
        if let Some((_, connector)) = connectors.iter().find(|(t, _)| *t == timeouts) {
            return connector.clone();
        }
        let connector = SharedHttpConnector::new(Connector::new(timeouts));
        connectors.push((timeouts, connector.clone()));
        connector
    }
}

struct Connector {
    /// Err: the TLS configuration could not be built (an unreadable
    /// `SSL_CERT_FILE`); every request fails saying so.
    client: Result<Client<HttpsConnector<TcpConnector>, SdkBody>, String>,
    read_timeout: Option<Duration>,
}

impl std::fmt::Debug for Connector {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Connector").field("read_timeout", &self.read_timeout).finish_non_exhaustive()
    }
}

impl Connector {
    fn new((connect_timeout, read_timeout): Timeouts) -> Self {
        Self { client: crate::outbound::pooled(connect_timeout), read_timeout }
    }
}

impl HttpConnector for Connector {
    fn call(&self, request: HttpRequest) -> HttpConnectorFuture {
        let client = match &self.client {
            Ok(client) => client.clone(),
            Err(reason) => return HttpConnectorFuture::ready(Err(ConnectorError::other(reason.clone().into(), None))),
        };
        let request = match request.try_into_http1x() {
            Ok(request) => request,
            Err(error) => return HttpConnectorFuture::ready(Err(ConnectorError::user(error.into()))),
        };
        let read_timeout = self.read_timeout;
        HttpConnectorFuture::new(async move {
            let sent = client.request(request);
            let response = match read_timeout {
                Some(limit) => {
                    tokio::time::timeout(limit, sent).await.map_err(|e| ConnectorError::timeout(e.into()))?
                }
                None => sent.await,
            }
            .map_err(classify)?;
            HttpResponse::try_from(response.map(SdkBody::from_body_1_x))
                .map_err(|e| ConnectorError::other(e.into(), None))
        })
    }
}

/// What the SDK's retry strategy should make of a failed request.
fn classify(error: hyper_util::client::legacy::Error) -> ConnectorError {
    let hyper = error.source().and_then(|source| source.downcast_ref::<hyper::Error>());
    if hyper.is_some_and(hyper::Error::is_timeout) {
        return ConnectorError::timeout(error.into());
    }
    if hyper.is_some_and(hyper::Error::is_user) {
        return ConnectorError::user(error.into());
    }
    let mut chain = std::iter::successors(error.source(), |e| (*e).source());
    let io = error.is_connect()
        || hyper.is_some_and(|h| h.is_closed() || h.is_canceled())
        || chain.any(|e| e.is::<std::io::Error>());
    if io {
        return ConnectorError::io(error.into());
    }
    if hyper.is_some_and(hyper::Error::is_incomplete_message) {
        return ConnectorError::other(error.into(), Some(ErrorKind::TransientError));
    }
    ConnectorError::other(error.into(), None)
}

#[cfg(test)]
mod tests {
    use super::*;

    async fn send(read_timeout: Option<Duration>, uri: &str) -> Result<HttpResponse, ConnectorError> {
        let connector = Connector::new((Some(Duration::from_secs(2)), read_timeout));
        connector.call(HttpRequest::get(uri).unwrap()).await
    }

    #[tokio::test]
    async fn a_refused_connection_is_an_io_error_which_the_sdk_retries() {
        let port = std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port();
        let error = send(None, &format!("http://127.0.0.1:{port}/")).await.unwrap_err();
        assert!(error.is_io(), "{error:?}");
    }

    #[tokio::test]
    async fn no_answer_within_the_read_timeout_is_a_timeout() {
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let port = listener.local_addr().unwrap().port();
        // Accepts and never answers.
        let _held = tokio::spawn(async move { listener.accept().await.map(|(socket, _)| socket) });
        let error = send(Some(Duration::from_millis(100)), &format!("http://127.0.0.1:{port}/")).await.unwrap_err();
        assert!(error.is_timeout(), "{error:?}");
    }

    #[tokio::test]
    async fn an_answer_comes_back_as_the_sdks_response_with_its_status_headers_and_body() {
        use tokio::io::{AsyncReadExt, AsyncWriteExt};
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let port = listener.local_addr().unwrap().port();
        tokio::spawn(async move {
            let (mut socket, _) = listener.accept().await.unwrap();
            let mut request = [0u8; 1024];
            let _ = socket.read(&mut request).await.unwrap();
            let answer = "HTTP/1.1 418 I'm a teapot\r\ncontent-length: 5\r\nx-amzn-requestid: abc\r\n\r\nshort";
            socket.write_all(answer.as_bytes()).await.unwrap();
        });
        let response = send(Some(Duration::from_secs(5)), &format!("http://127.0.0.1:{port}/")).await.unwrap();
        assert_eq!(response.status().as_u16(), 418);
        assert_eq!(response.headers().get("x-amzn-requestid"), Some("abc"));
        let body = http_body_util::BodyExt::collect(response.into_body()).await.unwrap().to_bytes();
        assert_eq!(&body[..], b"short");
    }
}
