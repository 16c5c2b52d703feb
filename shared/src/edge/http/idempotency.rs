//! `Idempotency-Key` on POST (IETF draft-ietf-httpapi-idempotency-key-header).
//!
//! The first request with a key runs and its status, headers and exact body
//! are stored for 24 hours. A retry with the same key and the same request
//! replays that response byte for byte; a retry with another request is
//! 422; a retry while the first still runs is 409. Records belong to the
//! credential and the org the request named, so keys never collide across
//! callers or tenants.
//!
//! What it costs: the record is read in the batch get that checks the
//! credential (`auth::Caller`), so a retry stops before the handler does
//! anything; the claim (an in-flight record, put only if none exists) rides
//! in the request's first transaction, so the change and the claim commit
//! together or not at all — of two concurrent requests with one key only
//! one can change anything — and storing the outcome is one more write.
//! A request that writes a counter before any transaction claims alone
//! first. Outcomes a client should retry (5xx, 409, 429) release the claim
//! instead of being stored. A claim whose outcome was never stored (the
//! process died between its change and the outcome) is not run again: a
//! retry learns that the first request took effect (409
//! `idempotency_outcome_unknown`) and reads the resource instead.
//!
//! A response that reveals a secret once (a key's token, a webhook's
//! signing secret, an access token) is marked [`OneTimeSecrets`] by its
//! handler: its record keeps the response without those fields, and a
//! replay answers the same object with `secret_withheld` saying so. No
//! secret rests in a record, in clear or otherwise.

use std::sync::{Arc, Mutex};

use async_trait::async_trait;
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
use crate::edge::AppState;
use crate::edge::auth::Caller;
use crate::edge::error::ApiError;
use crate::ports::store::{
    Condition, DynStore, Item, Key, MAX_TRANSACTION_OPS, Page, Query, Store, StoreError, WriteOp, epoch_now,
};

pub const IDEMPOTENCY_KEY: HeaderName = HeaderName::from_static("idempotency-key");
pub const IDEMPOTENT_REPLAYED: HeaderName = HeaderName::from_static("idempotent-replayed");
/// How long a completed request's response is kept for replay.
pub const RETENTION_SECONDS: i64 = 24 * 3600;
/// How long a claim is taken as still running; past it, a claim whose
/// outcome was never kept is reported as such (`idempotency_outcome_unknown`).
pub const LOCK_SECONDS: i64 = 60;
pub const MAX_KEY_CHARS: usize = 255;
/// Responses larger than this are not kept (the claim is released).
const MAX_STORED_BODY: usize = 1024 * 1024;
/// The response headers a replay repeats.
const REPLAYED_HEADERS: [HeaderName; 3] = [header::CONTENT_TYPE, header::LOCATION, header::ETAG];

/// Marks a response revealing secrets in these top-level JSON fields (see
/// the module docs). Put on by [`Revealing`].
#[derive(Debug, Clone, Copy)]
pub struct OneTimeSecrets(pub &'static [&'static str]);

/// A response whose body reveals secrets, once, in the fields named.
pub struct Revealing<R>(pub R, pub &'static [&'static str]);

impl<R: IntoResponse> IntoResponse for Revealing<R> {
    fn into_response(self) -> Response {
        let mut response = self.0.into_response();
        response.extensions_mut().insert(OneTimeSecrets(self.1));
        response
    }
}

/// The field a replay of a secret-revealing response carries instead.
pub const SECRET_WITHHELD: &str = "secret_withheld";

/// The body to keep for a response revealing `secrets`: the object without
/// them and with a note in their place; `None` (keep nothing) when the body
/// is not a JSON object.
fn withheld(body: &[u8], secrets: &[&str]) -> Option<Vec<u8>> {
    let mut object: serde_json::Map<String, serde_json::Value> = serde_json::from_slice(body).ok()?;
    let removed: Vec<&str> = secrets.iter().copied().filter(|field| object.remove(*field).is_some()).collect();
    if !removed.is_empty() {
        let note = format!(
            "`{}` was shown once, in the first response to this Idempotency-Key, and is not kept; this replay leaves it out",
            removed.join("`, `")
        );
        object.insert(SECRET_WITHHELD.to_owned(), serde_json::Value::String(note));
    }
    serde_json::to_vec(&object).ok()
}

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

/// The keyed request running now, as the store wrapper and the credential
/// check see it.
struct Pending {
    key: Key,
    fingerprint: String,
    stage: Stage,
}

#[derive(Debug)]
enum Stage {
    /// The record is not read yet.
    Unread,
    /// Read with the credential: none.
    Free,
    /// Read with the credential: one exists; the handler stops.
    Found(Box<Item>),
    /// The claim committed with this version.
    Carried(u64),
    /// Another request's claim came first.
    Lost,
}

tokio::task_local! {
    static PENDING: Arc<Mutex<Pending>>;
}

fn with_pending<T>(f: impl FnOnce(&mut Pending) -> T) -> Option<T> {
    PENDING.try_with(|p| p.lock().ok().map(|mut p| f(&mut p))).ok().flatten()
}

/// The idempotency record the credential check should read along, when the
/// request carries a key whose record is not read yet.
pub(crate) fn record_to_read() -> Option<Key> {
    with_pending(|p| matches!(p.stage, Stage::Unread).then(|| p.key.clone())).flatten()
}

/// Takes the record read with the credential. When one exists the handler
/// must stop: the error ends it, and the middleware answers from the record.
pub(crate) fn record_read(found: Option<Item>) -> Result<(), ApiError> {
    let found = with_pending(|p| {
        // A write made before the read (a first-use profile) may have
        // carried the claim already: that stage stands.
        if matches!(p.stage, Stage::Unread) {
            p.stage = found.map_or(Stage::Free, |item| Stage::Found(Box::new(item)));
        }
        matches!(p.stage, Stage::Found(_))
    });
    match found {
        Some(true) => Err(ApiError::conflict("idempotency_key_used", "this Idempotency-Key was used before")),
        _ => Ok(()),
    }
}

const LOST: &str = "the Idempotency-Key was claimed by a concurrent request";

/// The claim to put with a request's first write, if it still needs one.
/// Amortized work (rate-limit syncs, key-usage batches, a first-use
/// profile) is not the request's change and carries no claim: it may run
/// alongside the request's own writes, which would race it for the claim.
fn claim_op() -> Result<Option<WriteOp>, StoreError> {
    if crate::ports::store::tally::in_amortized_work() {
        return Ok(None);
    }
    let claim = with_pending(|p| match p.stage {
        Stage::Unread | Stage::Free => {
            let record = in_flight(&p.fingerprint);
            let item = record_item(&p.key, 1, &record, epoch_now() + RETENTION_SECONDS);
            Some(item.map(|item| WriteOp::put_if(item, Condition::NotExists)))
        }
        Stage::Lost => Some(Err(StoreError::Unavailable(LOST.into()))),
        Stage::Found(_) | Stage::Carried(_) => None,
    });
    claim.flatten().transpose()
}

/// Records what a write carrying the claim as its operation `at` came to.
fn carried(written: Result<(), StoreError>, at: usize) -> Result<(), StoreError> {
    let (stage, result) = match written {
        Ok(()) => (Stage::Carried(1), Ok(())),
        Err(StoreError::ConditionFailed { index }) if index == at => {
            (Stage::Lost, Err(StoreError::Unavailable(LOST.into())))
        }
        Err(other) => return Err(other),
    };
    with_pending(|p| p.stage = stage);
    result
}

/// A store that puts a keyed request's claim into the request's first
/// transaction (or before its first counter write). Applied by `AppState`.
pub struct Claiming(pub DynStore);

impl Claiming {
    pub fn wrap(store: DynStore) -> DynStore {
        Arc::new(Self(store))
    }

    async fn claim_alone(&self, claim: WriteOp) -> Result<(), StoreError> {
        carried(self.0.transact(vec![claim]).await, 0)
    }
}

#[async_trait]
impl Store for Claiming {
    async fn batch_get(&self, keys: &[Key]) -> Result<Vec<Option<Item>>, StoreError> {
        self.0.batch_get(keys).await
    }

    async fn query(&self, query: &Query) -> Result<Page, StoreError> {
        self.0.query(query).await
    }

    async fn transact(&self, mut ops: Vec<WriteOp>) -> Result<(), StoreError> {
        let Some(claim) = claim_op()? else { return self.0.transact(ops).await };
        if ops.len() >= MAX_TRANSACTION_OPS {
            self.claim_alone(claim).await?;
            return self.0.transact(ops).await;
        }
        let at = ops.len();
        ops.push(claim);
        carried(self.0.transact(ops).await, at)
    }

    async fn increment(&self, key: &Key, by: u64, expires_at: Option<i64>) -> Result<u64, StoreError> {
        if let Some(claim) = claim_op()? {
            self.claim_alone(claim).await?;
        }
        self.0.increment(key, by, expires_at).await
    }

    async fn ping(&self) -> Result<(), StoreError> {
        self.0.ping().await
    }
}

/// The answer a stored record gives a request with the same key.
fn answer_from(record: &Item, fingerprint: &str) -> Response {
    let record: Record = match record.parse() {
        Ok(record) => record,
        Err(e) => return ApiError::from(e).into_response(),
    };
    if record.fingerprint() != fingerprint {
        return ApiError::Validation(vec![crate::edge::error::FieldError::new(
            "header.idempotency-key",
            "was already used for a different request; use a new key",
        )])
        .into_response();
    }
    match record {
        Record::Complete { status, headers, body, .. } => match STANDARD.decode(body) {
            Ok(body) => replay(status, headers, body),
            Err(e) => ApiError::Internal(format!("stored body: {e}")).into_response(),
        },
        Record::InFlight { locked_until, .. } if locked_until > epoch_now() => ApiError::conflict(
            "idempotency_in_flight",
            "a request with this Idempotency-Key is still being processed; retry shortly",
        )
        .into_response(),
        Record::InFlight { .. } => ApiError::conflict(
            "idempotency_outcome_unknown",
            "the first request with this Idempotency-Key took effect but its response was not kept; \
             read the resource instead of retrying",
        )
        .into_response(),
    }
}

/// Answers from the key's record as it stands now (a concurrent request's),
/// or with `otherwise` when there is none.
async fn answer_from_current(store: &dyn Store, key: &Key, fingerprint: &str, otherwise: Response) -> Response {
    match store.batch_get(std::slice::from_ref(key)).await {
        Ok(mut found) => match found.pop().flatten() {
            Some(record) => answer_from(&record, fingerprint),
            None => otherwise,
        },
        Err(e) => ApiError::from(e).into_response(),
    }
}

fn should_keep(status: StatusCode) -> bool {
    status.is_success()
        || (status.is_client_error() && status != StatusCode::CONFLICT && status != StatusCode::TOO_MANY_REQUESTS)
}

/// Stores the outcome of a request (over its claim at `claimed`, or as the
/// first record when it never wrote) or releases the claim, and returns the
/// response unchanged.
async fn complete(
    store: &dyn Store,
    key: &Key,
    claimed: Option<u64>,
    fingerprint: String,
    response: Response,
) -> Response {
    let (parts, body) = response.into_parts();
    let bytes = match axum::body::to_bytes(body, MAX_STORED_BODY).await {
        Ok(bytes) => bytes,
        Err(e) => {
            tracing::error!(error = %e, "idempotency: response body unreadable");
            if let Some(version) = claimed {
                release(store, key, version).await;
            }
            return ApiError::Internal(format!("response body: {e}")).into_response();
        }
    };
    let kept = match parts.extensions.get::<OneTimeSecrets>() {
        Some(OneTimeSecrets(secrets)) => withheld(&bytes, secrets),
        None => Some(bytes.to_vec()),
    };
    if let (true, Some(kept)) = (should_keep(parts.status), kept) {
        let headers = REPLAYED_HEADERS
            .iter()
            .filter_map(|name| {
                parts.headers.get(name).and_then(|v| v.to_str().ok()).map(|v| (name.as_str().to_owned(), v.to_owned()))
            })
            .collect();
        let record =
            Record::Complete { fingerprint, status: parts.status.as_u16(), headers, body: STANDARD.encode(&kept) };
        let (version, condition) = match claimed {
            Some(version) => (version + 1, Condition::VersionEquals(version)),
            None => (1, Condition::NotExists),
        };
        let written = match record_item(key, version, &record, epoch_now() + RETENTION_SECONDS) {
            Ok(item) => store.transact(vec![WriteOp::put_if(item, condition)]).await,
            Err(e) => Err(e),
        };
        if let Err(e) = written {
            // A claim stays until it expires, so a retry cannot run twice meanwhile.
            tracing::error!(error = %e, "idempotency: response not stored");
        }
    } else if let Some(version) = claimed {
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

/// Runs `next` as the keyed request `key`, then answers: from the record
/// when one existed or a concurrent request claimed first, else the
/// handler's response, stored.
async fn run_keyed(state: &AppState, key: Key, fingerprint: String, request: Request, next: Next) -> Response {
    let pending =
        Arc::new(Mutex::new(Pending { key: key.clone(), fingerprint: fingerprint.clone(), stage: Stage::Unread }));
    let response = PENDING.scope(Arc::clone(&pending), next.run(request)).await;
    let stage = pending.lock().map(|mut p| std::mem::replace(&mut p.stage, Stage::Lost)).unwrap_or(Stage::Lost);
    let store = state.store.as_ref();
    match stage {
        Stage::Found(record) => answer_from(&record, &fingerprint),
        Stage::Lost => {
            let otherwise = ApiError::concurrent_modification().into_response();
            answer_from_current(store, &key, &fingerprint, otherwise).await
        }
        Stage::Carried(version) => complete(store, &key, Some(version), fingerprint, response).await,
        // A failed change may have failed on another condition than the
        // claim: when a concurrent request holds the key, answer from it.
        Stage::Unread | Stage::Free if !should_keep(response.status()) => {
            answer_from_current(store, &key, &fingerprint, response).await
        }
        Stage::Unread | Stage::Free => complete(store, &key, None, fingerprint, response).await,
    }
}

/// The middleware. Requests without the header, other methods, the MCP
/// gateway's messages, and requests that do not authenticate pass through
/// untouched: authentication is answered (401) before the header is even
/// looked at.
pub async fn idempotency(State(state): State<AppState>, request: Request, next: Next) -> Response {
    if request.method() != Method::POST
        || request.uri().path() == super::MCP_PATH
        || !request.headers().contains_key(&IDEMPOTENCY_KEY)
    {
        return next.run(request).await;
    }
    let (mut parts, body) = request.into_parts();
    let Ok(caller) = Caller::from_request_parts(&mut parts, &state).await else {
        return next.run(Request::from_parts(parts, body)).await;
    };
    let idempotency_key = match parts.headers.get(&IDEMPOTENCY_KEY).map(parse_key) {
        Some(Ok(key)) => key,
        Some(Err(e)) => return e.into_response(),
        None => return next.run(Request::from_parts(parts, body)).await,
    };
    let bytes: Bytes = match axum::body::to_bytes(body, MAX_BODY_BYTES).await {
        Ok(bytes) => bytes,
        Err(_) => return ApiError::PayloadTooLarge { limit: MAX_BODY_BYTES }.into_response(),
    };
    let target = parts.uri.path_and_query().map(|p| p.as_str()).unwrap_or("/");
    let fingerprint = fingerprint(&parts.method, target, &bytes);
    let key = caller.idempotency_record_key(&idempotency_key);
    run_keyed(&state, key, fingerprint, Request::from_parts(parts, Body::from(bytes)), next).await
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::base::user::UserId;
    use crate::ports::store::sqlite::SqliteStore;

    fn key() -> Key {
        Key::user(&UserId::parse("alice").unwrap(), "IDEMPOTENCY#-#k1")
    }

    fn pending(fingerprint: &str) -> Arc<Mutex<Pending>> {
        Arc::new(Mutex::new(Pending { key: key(), fingerprint: fingerprint.into(), stage: Stage::Free }))
    }

    fn thing(n: u64) -> WriteOp {
        let key = Key::user(&UserId::parse("alice").unwrap(), format!("THING#{n}"));
        WriteOp::put_if(Item::new(key, 1, serde_json::json!({ "n": n })).unwrap(), Condition::NotExists)
    }

    async fn status_of(response: Response) -> (u16, String) {
        let status = response.status().as_u16();
        let body = axum::body::to_bytes(response.into_body(), 1 << 20).await.unwrap();
        (status, String::from_utf8_lossy(&body).into_owned())
    }

    #[tokio::test]
    async fn the_claim_commits_with_the_change_and_a_second_claimant_changes_nothing() {
        let (_dir, store) = SqliteStore::temporary();
        let store: DynStore = Arc::new(store);
        let claiming = Claiming(Arc::clone(&store));
        let first = pending("fp");
        PENDING.scope(Arc::clone(&first), claiming.transact(vec![thing(1)])).await.unwrap();
        assert!(matches!(first.lock().unwrap().stage, Stage::Carried(1)));
        let record = store.batch_get(&[key()]).await.unwrap().pop().flatten().expect("the claim, with the change");
        assert!(matches!(record.parse::<Record>().unwrap(), Record::InFlight { .. }));

        let second = pending("fp");
        let lost = PENDING.scope(Arc::clone(&second), claiming.transact(vec![thing(2)])).await;
        assert!(matches!(lost, Err(StoreError::Unavailable(_))), "{lost:?}");
        assert!(matches!(second.lock().unwrap().stage, Stage::Lost));
        let thing2 = Key::user(&UserId::parse("alice").unwrap(), "THING#2");
        assert!(store.batch_get(&[thing2]).await.unwrap()[0].is_none(), "the loser's change did not commit");
        let otherwise = StatusCode::CONFLICT.into_response();
        let (status, body) = status_of(answer_from_current(store.as_ref(), &key(), "fp", otherwise).await).await;
        assert_eq!(status, 409, "{body}");
        assert!(body.contains("idempotency_in_flight"), "{body}");
    }

    #[tokio::test]
    async fn a_counter_write_before_any_transaction_claims_first() {
        let (_dir, store) = SqliteStore::temporary();
        let store: DynStore = Arc::new(store);
        let claiming = Claiming(Arc::clone(&store));
        let counter = Key::user(&UserId::parse("alice").unwrap(), "COUNT");
        let first = pending("fp");
        PENDING.scope(Arc::clone(&first), claiming.increment(&counter, 1, None)).await.unwrap();
        assert!(matches!(first.lock().unwrap().stage, Stage::Carried(1)));
        let again = PENDING.scope(pending("fp"), claiming.increment(&counter, 1, None)).await;
        assert!(again.is_err(), "a second claimant does not count");
        assert_eq!(store.batch_get(&[counter]).await.unwrap()[0].as_ref().unwrap().version, 1);
    }

    #[tokio::test]
    async fn amortized_writes_carry_no_claim_so_concurrent_ones_do_not_race_for_it() {
        let (_dir, store) = SqliteStore::temporary();
        let store: DynStore = Arc::new(store);
        let claiming = Claiming(Arc::clone(&store));
        let (one, two) =
            (Key::user(&UserId::parse("alice").unwrap(), "RL#1"), Key::user(&UserId::parse("alice").unwrap(), "RL#2"));
        let request = pending("fp");
        let syncs = crate::ports::store::tally::counted(crate::ports::store::tally::amortized(async {
            tokio::try_join!(claiming.increment(&one, 1, None), claiming.increment(&two, 1, None))
        }));
        PENDING.scope(Arc::clone(&request), syncs).await.0.unwrap();
        assert!(matches!(request.lock().unwrap().stage, Stage::Free), "the claim is still the request's to take");
        assert!(store.batch_get(&[key()]).await.unwrap()[0].is_none(), "no claim was written");
    }

    #[tokio::test]
    async fn a_stored_outcome_replays_and_another_request_with_the_key_is_refused() {
        let (_dir, store) = SqliteStore::temporary();
        let response = (StatusCode::CREATED, [(header::LOCATION, "/x")], "{\"id\":1}").into_response();
        complete(&store, &key(), None, "fp".into(), response).await;
        let record = store.batch_get(&[key()]).await.unwrap().pop().flatten().unwrap();
        let replayed = answer_from(&record, "fp");
        assert_eq!(replayed.headers().get(header::LOCATION).unwrap(), "/x");
        assert_eq!(replayed.headers().get(&IDEMPOTENT_REPLAYED).unwrap(), "true");
        assert_eq!(status_of(replayed).await, (201, "{\"id\":1}".into()));
        assert_eq!(status_of(answer_from(&record, "other")).await.0, 422);
    }

    #[tokio::test]
    async fn a_revealed_secret_is_left_out_of_the_record_and_its_replay_says_so() {
        let (_dir, store) = SqliteStore::temporary();
        let body = r#"{"id":"key_1","token":"sk_live_secret","name":"n"}"#;
        let response = Revealing((StatusCode::CREATED, body), &["token"]).into_response();
        let (status, first) = status_of(complete(&store, &key(), None, "fp".into(), response).await).await;
        assert_eq!((status, first.as_str()), (201, body), "the first response reveals the secret");
        let record = store.batch_get(&[key()]).await.unwrap().pop().flatten().unwrap();
        let Record::Complete { body: kept, .. } = record.parse::<Record>().unwrap() else { panic!("not complete") };
        let kept = String::from_utf8(STANDARD.decode(kept).unwrap()).unwrap();
        assert!(!kept.contains("sk_live_secret"), "{kept}");
        let (status, replayed) = status_of(answer_from(&record, "fp")).await;
        let replayed: serde_json::Value = serde_json::from_str(&replayed).unwrap();
        assert_eq!(status, 201);
        assert_eq!((&replayed["id"], &replayed["name"]), (&serde_json::json!("key_1"), &serde_json::json!("n")));
        assert!(replayed.get("token").is_none());
        assert!(replayed[SECRET_WITHHELD].as_str().unwrap().contains("`token` was shown once"), "{replayed}");
    }

    #[tokio::test]
    async fn an_outcome_not_kept_releases_the_claim_and_one_never_stored_is_not_run_again() {
        let (_dir, store) = SqliteStore::temporary();
        let claimed = record_item(&key(), 1, &in_flight("fp"), epoch_now() + RETENTION_SECONDS).unwrap();
        store.transact(vec![WriteOp::put(claimed)]).await.unwrap();
        complete(&store, &key(), Some(1), "fp".into(), StatusCode::SERVICE_UNAVAILABLE.into_response()).await;
        assert!(store.batch_get(&[key()]).await.unwrap()[0].is_none(), "a 503 is not kept");

        let stale = Record::InFlight { fingerprint: "fp".into(), locked_until: epoch_now() - 1 };
        let item = record_item(&key(), 1, &stale, epoch_now() + RETENTION_SECONDS).unwrap();
        let (status, body) = status_of(answer_from(&item, "fp")).await;
        assert_eq!(status, 409);
        assert!(body.contains("idempotency_outcome_unknown"), "{body}");
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
