//! Helpers for the functions' handler tests: a throwaway SQLite store, tokens,
//! and the API Gateway sample events in `events/` as `lambda_http` requests.

use std::path::PathBuf;
use std::sync::Arc;

use axum::Router;
use axum::http::{HeaderValue, header};
use tower::ServiceExt;

use crate::base::request::RequestMeta;
use crate::base::tenant::{OrgId, Principal, TenantId};
use crate::base::user::{Email, UserId};
use crate::domain::org::{Org, OrgName};
use crate::edge::AppState;
use crate::ports::store::sqlite::SqliteStore;

/// A fresh org's tenant, for tests that write tenant items without a caller.
pub fn tenant() -> TenantId {
    TenantId::fresh()
}

/// The tenant of `org`, for tests that act for a stored org without a caller.
pub fn tenant_of(org: &OrgId) -> TenantId {
    TenantId::acting_for(org)
}

pub const SECRET: &[u8] = b"handler-test-secret-handler-test!";

/// An `AppState` on a fresh SQLite file, removed on drop.
pub struct TestState {
    pub state: AppState,
    path: PathBuf,
}

impl Drop for TestState {
    fn drop(&mut self) {
        for suffix in ["", "-wal", "-shm"] {
            let _ = std::fs::remove_file(format!("{}{suffix}", self.path.display()));
        }
    }
}

pub fn sqlite_state() -> TestState {
    let path = std::env::temp_dir().join(format!("controlplane-handler-{}.db", ulid::Ulid::new()));
    let store = SqliteStore::open(&path).expect("open sqlite");
    TestState { state: AppState::new(Arc::new(store), SECRET).expect("state"), path }
}

pub fn token(state: &AppState, sub: &str) -> String {
    state.jwt.mint(sub, Some(&format!("{sub}@example.com")), None, 600).expect("mint")
}

/// Creates an org owned by `sub` straight through the domain.
pub async fn org_owned_by(state: &AppState, sub: &str) -> OrgId {
    let user = UserId::parse(sub).expect("user id");
    let email = Email::parse(&format!("{sub}@example.com")).ok();
    let meta = RequestMeta { request_id: "req_test".into(), request_line: "TEST".into(), ip: None, user_agent: None };
    let name = OrgName::parse("Test org").expect("name");
    let (org, _) = Org::create(
        state.store.as_ref(),
        Principal::User { id: user, email },
        meta,
        name,
        state.regions.default_region().clone(),
    )
    .await
    .expect("create org");
    org.id
}

/// Loads `events/{name}` as the request API Gateway would hand the function,
/// with `Authorization: Bearer {token}` when a token is given.
pub fn event(name: &str, token: Option<&str>) -> lambda_http::Request {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../events").join(name);
    let json = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("read {}: {e}", path.display()));
    let mut request = lambda_http::request::from_str(&json).expect("a valid API Gateway event");
    request.headers_mut().remove(header::AUTHORIZATION);
    if let Some(token) = token {
        let value = HeaderValue::from_str(&format!("Bearer {token}")).expect("header");
        request.headers_mut().insert(header::AUTHORIZATION, value);
    }
    request
}

/// Runs one request through a function's router the way `lambda_http::run`
/// does: status, headers, JSON body.
pub async fn call(app: Router, request: lambda_http::Request) -> (u16, axum::http::HeaderMap, serde_json::Value) {
    let response = app.oneshot(request).await.expect("router is infallible");
    let status = response.status().as_u16();
    let headers = response.headers().clone();
    let bytes = axum::body::to_bytes(response.into_body(), usize::MAX).await.expect("body");
    let body =
        if bytes.is_empty() { serde_json::Value::Null } else { serde_json::from_slice(&bytes).expect("JSON body") };
    (status, headers, body)
}

/// A project of `org` in provisioning with its pending provisioning job,
/// written straight to the store (as `POST /v1/projects` commits them,
/// without the audit event): for tests of the functions that read them.
pub async fn project_in(
    state: &AppState,
    org: &OrgId,
    name: &str,
) -> (crate::base::ids::ProjectId, crate::base::ids::JobId) {
    use crate::domain::job::{Job, JobType, NewJob};
    use crate::domain::project::{Project, ProjectName, ProjectStatus};
    use crate::ports::store::WriteOp;
    let now = crate::now();
    let project = Project {
        id: crate::base::ids::ProjectId::generate(),
        org_id: org.clone(),
        name: ProjectName::parse(name).expect("project name"),
        description: None,
        status: ProjectStatus::Provisioning,
        status_reason: None,
        environment: Default::default(),
        runtime_template_version: None,
        region: None,
        created_by: "test".into(),
        version: 1,
        created_at: now,
        updated_at: now,
        deleted_at: None,
    };
    let new = NewJob {
        project_id: Some(project.id.clone()),
        job_type: JobType::ProvisionProject,
        payload: serde_json::json!({ "project_id": project.id }),
        requested_by: "test".into(),
        idempotency_key: None,
        trace_id: "req_test".into(),
    };
    let job = Job::new(org, new, now);
    let ops = vec![
        WriteOp::put(project.item().expect("item")),
        WriteOp::put(project.name_lock().expect("lock")),
        WriteOp::put(project.lookup_item().expect("lookup")),
        WriteOp::put(job.item().expect("job")),
    ];
    state.store.transact(ops).await.expect("project written");
    (project.id, job.id)
}

/// An API key of `key_type` with `scopes` on `project`, created by `creator`
/// (a member of `org`), written straight to the store with its lookup (as
/// `POST /v1/keys` commits them, without the audit event). Returns the token.
pub async fn key_in(
    state: &AppState,
    org: &OrgId,
    project: &crate::base::ids::ProjectId,
    creator: &str,
    key_type: crate::domain::apikey::KeyType,
    scopes: &[&str],
) -> String {
    use crate::domain::apikey::{ApiKey, KeyLookup, KeyName, NewToken, Scope, StoredKey, TokenHash};
    use crate::ports::store::WriteOp;
    let now = crate::now();
    let token = NewToken::generate(key_type);
    let key = ApiKey {
        id: crate::base::ids::KeyId::generate(),
        org_id: org.clone(),
        project_id: project.clone(),
        name: KeyName::try_from("test key".to_owned()).expect("name"),
        key_type,
        scopes: scopes.iter().map(|s| Scope::parse(s).expect("scope")).collect(),
        resources: Default::default(),
        prefix: key_type.token_prefix().to_owned(),
        last4: token.last4(),
        enabled: true,
        expires_at: None,
        revoked_at: None,
        previous_token_valid_until: None,
        created_by: creator.to_owned(),
        version: 1,
        created_at: now,
        updated_at: now,
    };
    let lookup = KeyLookup::item(&token.hash, &key, None).expect("lookup");
    let stored = StoredKey { key, hashes: vec![TokenHash { hash: token.hash.clone(), valid_until: None }] };
    state
        .store
        .transact(vec![WriteOp::put(stored.item().expect("key")), WriteOp::put(lookup)])
        .await
        .expect("key written");
    token.token
}
