//! `Idempotency-Key` on POST (IETF draft-ietf-httpapi-idempotency-key-header).
//!
//! The first request with a key claims a record (a conditional put), runs,
//! and stores its status, headers and exact body for 24 hours. A retry with
//! the same key and the same request replays that response byte for byte; a
//! retry with another request is 422; a retry while the first still runs is
//! 409. Records belong to the credential and the org the request named, so
//! keys never collide across callers or tenants.
//!
//! A claim whose request crashed expires after [`LOCK_SECONDS`]. Outcomes a
//! client should retry (5xx, 409, 429) release the claim instead of being
//! stored.

use axum::body::{Body, Bytes};
use axum::extract::{FromRequestParts, Request, State};
use axum::http::{HeaderName, HeaderValue, Method, StatusCode, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use base64::Engine;
use base64::engine::general_purpose::STANDARD;
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use super::MAX_BODY_BYTES;
use crate::app::AppState;
use crate::auth::Caller;
use crate::error::ApiError;
use crate::store::{Condition, Item, Key, Store, StoreError, WriteOp, epoch_now};

pub const IDEMPOTENCY_KEY: HeaderName = HeaderName::from_static("idempotency-key");
pub const IDEMPOTENT_REPLAYED: HeaderName = HeaderName::from_static("idempotent-replayed");
/// How long a completed request's response is kept for replay.
pub const RETENTION_SECONDS: i64 = 24 * 3600;
/// How long a claim protects a running request before another may take over.
pub const LOCK_SECONDS: i64 = 60;
pub const MAX_KEY_CHARS: usize = 255;
/// Responses larger than this are not kept (the claim is released).
const MAX_STORED_BODY: usize = 1024 * 1024;
/// The response headers a replay repeats.
const REPLAYED_HEADERS: [HeaderName; 3] = [header::CONTENT_TYPE, header::LOCATION, header::ETAG];

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "state", rename_all = "snake_case")]
enum Record {
    InFlight { fingerprint: String, locked_until: i64 },
    Complete { fingerprint: String, status: u16, headers: Vec<(String, String)>, body: String },
}

impl Record {
    fn fingerprint(&self) -> &str {
        match self {
            Record::InFlight { fingerprint, .. } | Record::Complete { fingerprint, .. } => fingerprint,
        }
    }
}

/// What claiming a key found.
#[derive(Debug)]
enum Claim {
    /// This request runs; the record has this version.
    Acquired(u64),
    Replay {
        status: u16,
        headers: Vec<(String, String)>,
        body: Vec<u8>,
    },
}

fn parse_key(value: &HeaderValue) -> Result<String, ApiError> {
    let invalid = || {
        ApiError::field(
            "header.idempotency-key",
            format!("must be 1 to {MAX_KEY_CHARS} visible ASCII characters, optionally quoted"),
        )
    };
    let raw = value.to_str().map_err(|_| invalid())?.trim();
    let key = raw.strip_prefix('"').and_then(|k| k.strip_suffix('"')).unwrap_or(raw);
    if key.is_empty() || key.len() > MAX_KEY_CHARS || !key.bytes().all(|b| b.is_ascii_graphic()) {
        return Err(invalid());
    }
    Ok(key.to_owned())
}

fn fingerprint(method: &Method, target: &str, body: &[u8]) -> String {
    let mut hash = Sha256::new();
    hash.update(method.as_str());
    hash.update(b" ");
    hash.update(target);
    hash.update(b"\n");
    hash.update(body);
    hash.finalize().iter().map(|b| format!("{b:02x}")).collect()
}

fn record_item(key: &Key, version: u64, record: &Record, expires_at: i64) -> Result<Item, StoreError> {
    Ok(Item::new(key.clone(), version, record)?.expiring_at(expires_at))
}

fn in_flight(fingerprint: &str) -> Record {
    Record::InFlight { fingerprint: fingerprint.to_owned(), locked_until: epoch_now() + LOCK_SECONDS }
}

async fn claim(store: &dyn Store, key: &Key, fingerprint: &str) -> Result<Claim, ApiError> {
    let expires = || epoch_now() + RETENTION_SECONDS;
    let first = record_item(key, 1, &in_flight(fingerprint), expires())?;
    match store.transact(vec![WriteOp::put_if(first, Condition::NotExists)]).await {
        Ok(()) => return Ok(Claim::Acquired(1)),
        Err(StoreError::ConditionFailed { .. }) => {}
        Err(e) => return Err(e.into()),
    }
    let Some(existing) = store.batch_get(std::slice::from_ref(key)).await?.pop().flatten() else {
        // Expired between the put and the read: the next attempt starts afresh.
        return Err(ApiError::concurrent_modification());
    };
    let record: Record = existing.parse()?;
    if record.fingerprint() != fingerprint {
        return Err(ApiError::Validation(vec![crate::error::FieldError::new(
            "header.idempotency-key",
            "was already used for a different request; use a new key",
        )]));
    }
    match record {
        Record::Complete { status, headers, body, .. } => {
            let body = STANDARD.decode(body).map_err(|e| ApiError::Internal(format!("stored body: {e}")))?;
            Ok(Claim::Replay { status, headers, body })
        }
        Record::InFlight { locked_until, .. } if locked_until > epoch_now() => Err(ApiError::conflict(
            "idempotency_in_flight",
            "a request with this Idempotency-Key is still being processed; retry shortly",
        )),
        Record::InFlight { .. } => {
            // The claimant crashed or timed out; take over its claim.
            let version = existing.version + 1;
            let takeover = record_item(key, version, &in_flight(fingerprint), expires())?;
            match store.transact(vec![WriteOp::put_if(takeover, Condition::VersionEquals(existing.version))]).await {
                Ok(()) => Ok(Claim::Acquired(version)),
                Err(StoreError::ConditionFailed { .. }) => Err(ApiError::conflict(
                    "idempotency_in_flight",
                    "a request with this Idempotency-Key is still being processed; retry shortly",
                )),
                Err(e) => Err(e.into()),
            }
        }
    }
}

fn should_keep(status: StatusCode) -> bool {
    status.is_success()
        || (status.is_client_error() && status != StatusCode::CONFLICT && status != StatusCode::TOO_MANY_REQUESTS)
}

/// Stores the outcome of a claimed request (or releases the claim) and
/// returns the response unchanged.
async fn complete(store: &dyn Store, key: &Key, version: u64, fingerprint: String, response: Response) -> Response {
    let (parts, body) = response.into_parts();
    let bytes = match axum::body::to_bytes(body, MAX_STORED_BODY).await {
        Ok(bytes) => bytes,
        Err(e) => {
            tracing::error!(error = %e, "idempotency: response body unreadable");
            release(store, key, version).await;
            return ApiError::Internal(format!("response body: {e}")).into_response();
        }
    };
    if should_keep(parts.status) {
        let headers = REPLAYED_HEADERS
            .iter()
            .filter_map(|name| {
                parts.headers.get(name).and_then(|v| v.to_str().ok()).map(|v| (name.as_str().to_owned(), v.to_owned()))
            })
            .collect();
        let record =
            Record::Complete { fingerprint, status: parts.status.as_u16(), headers, body: STANDARD.encode(&bytes) };
        let stored = record_item(key, version + 1, &record, epoch_now() + RETENTION_SECONDS);
        let written = match stored {
            Ok(item) => store.transact(vec![WriteOp::put_if(item, Condition::VersionEquals(version))]).await,
            Err(e) => Err(e),
        };
        if let Err(e) = written {
            // The claim stays until it expires, so a retry cannot run twice meanwhile.
            tracing::error!(error = %e, "idempotency: response not stored");
        }
    } else {
        release(store, key, version).await;
    }
    Response::from_parts(parts, Body::from(bytes))
}

async fn release(store: &dyn Store, key: &Key, version: u64) {
    if let Err(e) = store.transact(vec![WriteOp::delete_if(key.clone(), Condition::VersionEquals(version))]).await {
        tracing::warn!(error = %e, "idempotency: claim not released; it expires by itself");
    }
}

fn replay(status: u16, headers: Vec<(String, String)>, body: Vec<u8>) -> Response {
    let mut response = Response::new(Body::from(body));
    *response.status_mut() = StatusCode::from_u16(status).unwrap_or(StatusCode::OK);
    for (name, value) in headers {
        if let (Ok(name), Ok(value)) = (HeaderName::try_from(name), HeaderValue::from_str(&value)) {
            response.headers_mut().insert(name, value);
        }
    }
    response.headers_mut().insert(IDEMPOTENT_REPLAYED, HeaderValue::from_static("true"));
    response
}

/// The middleware. Requests without the header, other methods, and requests
/// that do not authenticate pass through untouched.
pub async fn idempotency(State(state): State<AppState>, request: Request, next: Next) -> Response {
    if request.method() != Method::POST {
        return next.run(request).await;
    }
    let Some(raw_key) = request.headers().get(&IDEMPOTENCY_KEY) else {
        return next.run(request).await;
    };
    let idempotency_key = match parse_key(raw_key) {
        Ok(key) => key,
        Err(e) => return e.into_response(),
    };
    let (mut parts, body) = request.into_parts();
    let Ok(caller) = Caller::from_request_parts(&mut parts, &state).await else {
        return next.run(Request::from_parts(parts, body)).await;
    };
    let bytes: Bytes = match axum::body::to_bytes(body, MAX_BODY_BYTES).await {
        Ok(bytes) => bytes,
        Err(_) => return ApiError::PayloadTooLarge { limit: MAX_BODY_BYTES }.into_response(),
    };
    let target = parts.uri.path_and_query().map(|p| p.as_str()).unwrap_or("/");
    let fingerprint = fingerprint(&parts.method, target, &bytes);
    let key = caller.idempotency_record_key(&idempotency_key);
    match claim(state.store.as_ref(), &key, &fingerprint).await {
        Err(e) => e.into_response(),
        Ok(Claim::Replay { status, headers, body }) => replay(status, headers, body),
        Ok(Claim::Acquired(version)) => {
            let response = next.run(Request::from_parts(parts, Body::from(bytes))).await;
            complete(state.store.as_ref(), &key, version, fingerprint, response).await
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::store::sqlite::SqliteStore;
    use crate::user::UserId;

    fn store() -> (tempfile::TempDir, SqliteStore) {
        let dir = tempfile::tempdir().unwrap();
        let store = SqliteStore::open(&dir.path().join("s.db")).unwrap();
        (dir, store)
    }

    fn key() -> Key {
        Key::user(&UserId::parse("alice").unwrap(), "IDEMPOTENCY#-#k1")
    }

    #[tokio::test]
    async fn a_second_claim_while_the_first_runs_is_a_conflict() {
        let (_dir, store) = store();
        assert!(matches!(claim(&store, &key(), "fp").await, Ok(Claim::Acquired(1))));
        let again = claim(&store, &key(), "fp").await;
        assert!(matches!(again, Err(ApiError::Conflict { code: "idempotency_in_flight", .. })), "{again:?}");
    }

    #[tokio::test]
    async fn a_claim_with_another_fingerprint_is_refused() {
        let (_dir, store) = store();
        claim(&store, &key(), "fp").await.unwrap();
        assert!(matches!(claim(&store, &key(), "other").await, Err(ApiError::Validation(_))));
    }

    #[tokio::test]
    async fn an_expired_claim_is_taken_over_once() {
        let (_dir, store) = store();
        let stale = Record::InFlight { fingerprint: "fp".into(), locked_until: epoch_now() - 1 };
        let item = record_item(&key(), 4, &stale, epoch_now() + RETENTION_SECONDS).unwrap();
        store.transact(vec![WriteOp::put(item)]).await.unwrap();
        assert!(matches!(claim(&store, &key(), "fp").await, Ok(Claim::Acquired(5))));
        assert!(matches!(claim(&store, &key(), "fp").await, Err(ApiError::Conflict { .. })));
    }

    #[tokio::test]
    async fn a_completed_claim_replays_and_a_released_one_runs_again() {
        let (_dir, store) = store();
        let Claim::Acquired(v) = claim(&store, &key(), "fp").await.unwrap() else { panic!("acquired") };
        let response = (StatusCode::CREATED, [(header::LOCATION, "/x")], "{\"id\":1}").into_response();
        complete(&store, &key(), v, "fp".into(), response).await;
        match claim(&store, &key(), "fp").await.unwrap() {
            Claim::Replay { status, headers, body } => {
                assert_eq!(status, 201);
                assert!(headers.contains(&("location".into(), "/x".into())));
                assert_eq!(body, b"{\"id\":1}");
            }
            other => panic!("expected a replay, got {other:?}"),
        }

        let other = Key::user(&UserId::parse("alice").unwrap(), "IDEMPOTENCY#-#k2");
        let Claim::Acquired(v) = claim(&store, &other, "fp").await.unwrap() else { panic!("acquired") };
        complete(&store, &other, v, "fp".into(), StatusCode::SERVICE_UNAVAILABLE.into_response()).await;
        assert!(matches!(claim(&store, &other, "fp").await, Ok(Claim::Acquired(1))), "a 503 is not kept");
    }

    #[test]
    fn keys_may_be_quoted_but_not_empty_or_too_long() {
        assert_eq!(parse_key(&HeaderValue::from_static("\"abc-123\"")).unwrap(), "abc-123");
        assert_eq!(parse_key(&HeaderValue::from_static("abc")).unwrap(), "abc");
        assert!(parse_key(&HeaderValue::from_static("\"\"")).is_err());
        assert!(parse_key(&HeaderValue::from_str(&"k".repeat(256)).unwrap()).is_err());
        assert!(parse_key(&HeaderValue::from_static("a b")).is_err());
    }
}
