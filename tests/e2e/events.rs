use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};

use async_trait::async_trait;
use controlplane::domain::events::DomainEvent;
use controlplane::domain::events::publisher::Publisher;
use controlplane::ports::bus::{BusError, Envelope, EventBus, FileBus};
use controlplane::ports::store::{Item, Key, Page, Query, Store, StoreError, WriteOp};
use e2e::{Backend, TestApp};
use serde_json::json;

/// A bus that is down until switched on.
struct DownBus;

#[async_trait]
impl EventBus for DownBus {
    async fn publish(&self, _events: &[Envelope]) -> Result<(), BusError> {
        Err(BusError::Unavailable("connection refused".into()))
    }
}

/// A store whose deletes fail while `failing` is on: a publisher that
/// crashes after the bus took the events and before it cleared the outbox.
struct DeletesFail {
    inner: controlplane::ports::store::DynStore,
    failing: AtomicBool,
}

#[async_trait]
impl Store for DeletesFail {
    async fn batch_get(&self, keys: &[Key]) -> Result<Vec<Option<Item>>, StoreError> {
        self.inner.batch_get(keys).await
    }
    async fn query(&self, query: &Query) -> Result<Page, StoreError> {
        self.inner.query(query).await
    }
    async fn transact(&self, ops: Vec<WriteOp>) -> Result<(), StoreError> {
        if self.failing.load(Ordering::SeqCst) && ops.iter().any(|op| matches!(op, WriteOp::Delete { .. })) {
            return Err(StoreError::Unavailable("the process died".into()));
        }
        self.inner.transact(ops).await
    }
    async fn increment(&self, key: &Key, by: u64, expires_at: Option<i64>) -> Result<u64, StoreError> {
        self.inner.increment(key, by, expires_at).await
    }
    async fn ping(&self) -> Result<(), StoreError> {
        self.inner.ping().await
    }
}

fn read(path: &std::path::Path) -> Vec<DomainEvent> {
    std::fs::read_to_string(path).unwrap_or_default().lines().map(|l| serde_json::from_str(l).unwrap()).collect()
}

pub async fn committed_events_are_published_at_least_once_under_their_audit_ids(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let owner = app.user("olivia");
    let org = owner.create_org("Acme").await;
    let project = owner.create_project("web").await;
    owner.add_member(&org, "dev", "developer").await;
    let key = owner
        .post("/v1/keys", json!({"project_id": project, "name": "ci", "type": "secret", "scopes": ["projects:read"]}))
        .await;
    assert_eq!(key.status, 201);
    // The stream and the sweep are both down: the events wait in the outbox.
    let down = Publisher::new(app.store.clone(), Arc::new(DownBus));
    assert!(down.sweep(std::time::Duration::ZERO, chrono::Utc::now()).await.is_err());

    // The bus takes them, then the publisher dies before clearing the outbox.
    let dir = tempfile::tempdir().unwrap();
    let lines = dir.path().join("events.jsonl");
    let bus = Arc::new(FileBus::new(lines.clone()));
    let crashing = Arc::new(DeletesFail { inner: app.store.clone(), failing: AtomicBool::new(true) });
    let publisher = Publisher::new(crashing.clone(), bus.clone());
    assert!(publisher.sweep(std::time::Duration::ZERO, chrono::Utc::now()).await.is_err());
    let first = read(&lines);
    // The next sweep publishes them again, under the same ids.
    crashing.failing.store(false, Ordering::SeqCst);
    let published = publisher.sweep(std::time::Duration::ZERO, chrono::Utc::now()).await.unwrap();
    assert!(published >= first.len(), "{published} >= {}", first.len());
    assert_eq!(publisher.sweep(std::time::Duration::ZERO, chrono::Utc::now()).await.unwrap(), 0, "the outbox is empty");

    let all = read(&lines);
    let mut ids: Vec<String> = all.iter().map(|e| e.id.to_string()).collect();
    ids.sort();
    ids.dedup();
    let types = |wanted: &str| all.iter().filter(|e| e.event_type == wanted).count();
    assert!(all.len() > ids.len(), "the crash made duplicates");
    let unique: Vec<&DomainEvent> = ids.iter().map(|id| all.iter().find(|e| e.id.as_str() == id).unwrap()).collect();
    let mut kinds: Vec<&str> = unique.iter().map(|e| e.event_type.as_str()).collect();
    kinds.sort();
    assert_eq!(kinds, ["key.created", "member.added", "project.created", "user.signedup"]);
    assert!(types("org.created") == 0, "not in the catalogue");
    // Each org event carries its audit event's id.
    let audit = owner.get("/v1/audit?action=project.created").await;
    let created = unique.iter().find(|e| e.event_type == "project.created").unwrap();
    assert_eq!(audit.body["data"][0]["id"], created.id.as_str());
    assert_eq!(created.org_id.as_ref().map(|o| o.as_str()), Some(org.as_str()));
    assert_eq!(created.data, json!({"name": "web", "region": "us"}));
    let key_event = unique.iter().find(|e| e.event_type == "key.created").unwrap();
    let text = serde_json::to_string(key_event).unwrap();
    assert!(!text.contains(key.body["token"].as_str().unwrap()), "never a token");
}

pub async fn the_data_plane_reports_a_file_upload_once_per_event_key(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let owner = app.user("olivia");
    owner.create_org("Acme").await;
    let project = owner.create_project("web").await;
    let report = json!({
        "type": "file.uploaded", "project_id": project, "event_key": "upload-1",
        "data": {"path": "uploads/a.png", "size": 1024, "content_type": "image/png"}
    });
    let first = app.anonymous().post("/internal/events", report.clone()).await;
    assert_eq!((first.status, first.body["recorded"].as_bool()), (202, Some(true)), "{}", first.body);
    let retry = app.anonymous().post("/internal/events", report).await;
    assert_eq!((retry.status, retry.body["recorded"].as_bool()), (202, Some(false)));
    let audit = owner.get("/v1/audit?action=file.uploaded").await;
    let events = audit.body["data"].as_array().unwrap();
    assert_eq!(events.len(), 1, "{}", audit.body);
    assert_eq!(events[0]["target"], json!({"type": "file", "id": "uploads/a.png"}));
    assert_eq!(events[0]["project_id"], project.as_str());
    assert_eq!(events[0]["actor"], json!({"type": "system", "id": "data-plane"}));

    let dir = tempfile::tempdir().unwrap();
    let lines = dir.path().join("events.jsonl");
    let publisher = Publisher::new(app.store.clone(), Arc::new(FileBus::new(lines.clone())));
    publisher.sweep(std::time::Duration::ZERO, chrono::Utc::now()).await.unwrap();
    let uploaded: Vec<DomainEvent> = read(&lines).into_iter().filter(|e| e.event_type == "file.uploaded").collect();
    assert_eq!(uploaded.len(), 1);
    assert_eq!(uploaded[0].data["size"], 1024);

    for (bad, field) in [
        (json!({"type": "project.created", "project_id": project, "event_key": "k", "data": {}}), "type"),
        (json!({"type": "file.uploaded", "project_id": project, "event_key": "", "data": {}}), "event_key"),
        (json!({"type": "file.uploaded", "project_id": project, "event_key": "k", "data": [1]}), "data"),
    ] {
        let refused = app.anonymous().post("/internal/events", bad).await;
        assert_eq!(
            (refused.status, refused.body["errors"][0]["field"].as_str()),
            (422, Some(field)),
            "{}",
            refused.body
        );
    }
    let unknown =
        json!({"type": "file.uploaded", "project_id": "prj_01jh3v5d2k8q9w6x7y8z9a0b1c", "event_key": "k", "data": {}});
    assert_eq!(app.anonymous().post("/internal/events", unknown).await.status, 404);
}
