//! One delivery attempt: a signed POST to a checked target, connecting to
//! the checked address only, never following redirects, within a timeout.
//! Success is a 2xx; the attempt records the status, latency and the start
//! of the response body (truncated) for the delivery log.

use std::time::{Duration, Instant};

use bytes::Bytes;
use http_body_util::{BodyExt, Full, Limited};

use super::signature::{WebhookSecret, headers};
use super::target::CheckedTarget;
use crate::base::redact::Redactor;
use crate::ports::outbound;

/// The longest a delivery may take, connect included.
pub const TIMEOUT: Duration = Duration::from_secs(15);
const CONNECT_TIMEOUT: Duration = Duration::from_secs(5);
/// How much of a response body the delivery log keeps.
pub const RESPONSE_EXCERPT_BYTES: usize = 1024;
const MAX_RESPONSE_BYTES: usize = 64 * 1024;

/// What is sent: the event's id (the `webhook-id`), when, the JSON body,
/// and the live secrets (newest first; two during a rotation).
pub struct Delivery<'a> {
    pub id: &'a str,
    pub timestamp: i64,
    pub body: &'a [u8],
    pub secrets: &'a [WebhookSecret],
    /// The org's data policy: what the log keeps of the receiver's answer.
    pub minimize: &'a Redactor,
}

#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Attempt {
    /// The response status, if one came back.
    pub status: Option<u16>,
    pub latency_ms: u64,
    /// The response body's first bytes (lossy UTF-8).
    pub response_excerpt: String,
    /// Why no status came back (timeout, refused connection, TLS).
    pub error: Option<String>,
}

impl Attempt {
    pub fn succeeded(&self) -> bool {
        self.status.is_some_and(|s| (200..300).contains(&s))
    }

    /// 410 Gone: the receiver asks never to be called again.
    pub fn gone(&self) -> bool {
        self.status == Some(410)
    }
}

pub async fn send(target: &CheckedTarget, delivery: &Delivery<'_>, timeout: Duration) -> Attempt {
    let started = Instant::now();
    let outcome = tokio::time::timeout(timeout, exchange(target, delivery)).await;
    let latency_ms = u64::try_from(started.elapsed().as_millis()).unwrap_or(u64::MAX);
    match outcome {
        Ok(Ok((status, body))) => Attempt {
            status: Some(status),
            latency_ms,
            response_excerpt: excerpt(&body, delivery.minimize),
            error: None,
        },
        Ok(Err(error)) => Attempt { status: None, latency_ms, response_excerpt: String::new(), error: Some(error) },
        Err(_) => Attempt {
            status: None,
            latency_ms,
            response_excerpt: String::new(),
            error: Some(format!("no answer within {} s", timeout.as_secs())),
        },
    }
}

/// What the delivery log keeps of a response body: its first
/// [`RESPONSE_EXCERPT_BYTES`], minimized before it is cut (so no value is
/// cut into halves the engine would not recognize).
pub fn excerpt(body: &[u8], minimize: &Redactor) -> String {
    let text = String::from_utf8_lossy(body);
    let minimized = minimize.text(&text);
    let mut end = minimized.len().min(RESPONSE_EXCERPT_BYTES);
    while !minimized.is_char_boundary(end) {
        end -= 1;
    }
    minimized[..end].to_owned()
}

async fn exchange(target: &CheckedTarget, delivery: &Delivery<'_>) -> Result<(u16, Bytes), String> {
    let client = outbound::pinned_client(target.addr, CONNECT_TIMEOUT)?;
    let mut request = http::Request::builder()
        .method(http::Method::POST)
        .uri(target.url.as_str())
        .header(http::header::CONTENT_TYPE, "application/json")
        .header(http::header::USER_AGENT, concat!("controlplane-webhooks/", env!("CARGO_PKG_VERSION")));
    for (name, value) in headers(delivery.id, delivery.timestamp, delivery.body, delivery.secrets) {
        request = request.header(name, value);
    }
    let request = request.body(Full::new(Bytes::copy_from_slice(delivery.body))).map_err(|e| e.to_string())?;
    let response = client.request(request).await.map_err(|e| format!("{e}"))?;
    let status = response.status().as_u16();
    // A body larger than we keep is cut off, not an error.
    let body = match Limited::new(response.into_body(), MAX_RESPONSE_BYTES).collect().await {
        Ok(collected) => collected.to_bytes(),
        Err(_) => Bytes::new(),
    };
    Ok((status, body))
}

#[cfg(test)]
mod tests {
    use std::sync::Arc;
    use std::sync::atomic::{AtomicUsize, Ordering};

    use axum::http::{HeaderMap, StatusCode};
    use axum::routing::post;

    use super::*;
    use crate::domain::webhooks::target::{Allowances, check};

    /// A receiver verifying with the Standard Webhooks library; `/slow`
    /// never answers in time, `/moved` redirects to `/in` (counted).
    async fn receiver(secret: &WebhookSecret) -> (u16, Arc<AtomicUsize>) {
        let verifier = Arc::new(standardwebhooks::Webhook::new(&secret.expose()).unwrap());
        let hits = Arc::new(AtomicUsize::new(0));
        let counted = Arc::clone(&hits);
        let app = axum::Router::new()
            .route(
                "/in",
                post(move |headers: HeaderMap, body: axum::body::Bytes| {
                    let (verifier, counted) = (Arc::clone(&verifier), Arc::clone(&counted));
                    async move {
                        counted.fetch_add(1, Ordering::SeqCst);
                        match verifier.verify(&body, &headers) {
                            Ok(()) => (StatusCode::NO_CONTENT, String::new()),
                            Err(e) => (StatusCode::UNAUTHORIZED, format!("bad signature: {e:?}")),
                        }
                    }
                }),
            )
            .route(
                "/slow",
                post(|| async {
                    tokio::time::sleep(Duration::from_secs(30)).await;
                    StatusCode::OK
                }),
            )
            .route("/moved", post(|| async { (StatusCode::FOUND, [("location", "/in")]) }));
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let port = listener.local_addr().unwrap().port();
        tokio::spawn(async move { axum::serve(listener, app).await });
        (port, hits)
    }

    fn delivery<'a>(body: &'a [u8], secrets: &'a [WebhookSecret]) -> Delivery<'a> {
        Delivery {
            id: "evt_01",
            timestamp: chrono::Utc::now().timestamp(),
            body,
            secrets,
            minimize: Redactor::platform(),
        }
    }

    #[tokio::test]
    async fn a_delivery_verifies_at_the_receiver_and_goes_to_the_checked_address_only() {
        let secret = WebhookSecret::generate();
        let (port, hits) = receiver(&secret).await;
        let dev = Allowances { local_development: true };
        let target = check(&format!("http://127.0.0.1:{port}/in"), dev).await.unwrap();
        let body = br#"{"type":"webhook.test"}"#;
        let attempt = send(&target, &delivery(body, std::slice::from_ref(&secret)), TIMEOUT).await;
        assert!(attempt.succeeded(), "{attempt:?}");
        assert_eq!(hits.load(Ordering::SeqCst), 1);

        // A name that resolves nowhere still reaches the pinned address: no
        // second lookup happens between the check and the connection.
        let pinned =
            CheckedTarget { url: format!("http://hooks.invalid:{port}/in").parse().unwrap(), addr: target.addr };
        assert!(send(&pinned, &delivery(body, std::slice::from_ref(&secret)), TIMEOUT).await.succeeded());

        let wrong = send(&target, &delivery(body, &[WebhookSecret::generate()]), TIMEOUT).await;
        assert_eq!(wrong.status, Some(401));
        assert!(wrong.response_excerpt.starts_with("bad signature"), "{wrong:?}");
    }

    #[tokio::test]
    async fn redirects_are_not_followed_and_a_silent_receiver_times_out() {
        let secret = WebhookSecret::generate();
        let (port, hits) = receiver(&secret).await;
        let dev = Allowances { local_development: true };
        let moved = check(&format!("http://127.0.0.1:{port}/moved"), dev).await.unwrap();
        let attempt = send(&moved, &delivery(b"{}", std::slice::from_ref(&secret)), TIMEOUT).await;
        assert_eq!((attempt.status, attempt.succeeded()), (Some(302), false));
        assert_eq!(hits.load(Ordering::SeqCst), 0, "the redirect target was never called");

        let slow = check(&format!("http://127.0.0.1:{port}/slow"), dev).await.unwrap();
        let attempt = send(&slow, &delivery(b"{}", std::slice::from_ref(&secret)), Duration::from_millis(300)).await;
        assert!(
            attempt.status.is_none() && attempt.error.as_deref().is_some_and(|e| e.contains("no answer")),
            "{attempt:?}"
        );
    }
}
