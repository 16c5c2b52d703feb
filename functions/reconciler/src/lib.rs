//! The `reconciler` function: an EventBridge schedule ticks it every
//! minute. Each tick is one pass over the active-jobs index: pending jobs
//! whose message was lost are sent again, running jobs whose worker died
//! (lease expired) are handed out again, and jobs past their deadline are
//! failed — so nothing stays `running` (or a project `provisioning`)
//! forever. Passes are version-checked; a double tick changes nothing twice.
//! The same tick turns projects whose usage or quotas changed into
//! `check_usage_limits` jobs, and publishes outbox events the stream left
//! unpublished for a minute.

use aws_lambda_events::event::eventbridge::EventBridgeEvent;
use std::time::Duration;

use controlplane::domain::events::publisher::Publisher;
use controlplane::domain::worker::{Worker, WorkerError};
use serde_json::{Value, json};

/// How long the stream has to publish an outbox event before the sweep does.
pub const PUBLISH_GRACE: Duration = Duration::from_secs(60);

/// One scheduled tick; returns what it did (the Lambda's result, in the logs).
pub async fn tick(
    worker: &Worker,
    publisher: Option<&Publisher>,
    event: &EventBridgeEvent,
) -> Result<Value, WorkerError> {
    let now = chrono::Utc::now();
    // One pass after the other, each reading its index's shards at once:
    // a tick has a minute, and fewer requests in flight hold less memory.
    let report = worker.reconcile(now).await?;
    let limit_checks = controlplane::domain::limits::sweep(worker.store(), worker.queue(), now).await?;
    let published = match publisher {
        Some(publisher) => publisher.sweep(PUBLISH_GRACE, now).await.unwrap_or_else(|error| {
            tracing::warn!(%error, "outbox sweep failed; the next tick retries");
            0
        }),
        None => 0,
    };
    tracing::info!(event = event.id.as_deref().unwrap_or(""), ?report, limit_checks, published, "reconciler pass");
    Ok(json!({
        "resent": report.resent,
        "recovered": report.recovered,
        "expired": report.expired,
        "limit_checks": limit_checks,
        "published": published,
    }))
}

#[cfg(test)]
mod tests {
    use std::sync::Arc;
    use std::time::Duration;

    use aws_lambda_events::event::eventbridge::EventBridgeEvent;
    use chrono::{TimeDelta, Utc};
    use controlplane::OrgId;
    use controlplane::domain::job::{Job, JobType, NewJob};
    use controlplane::domain::worker::Worker;
    use controlplane::ports::queue::Queue;
    use controlplane::ports::queue::sqlite::SqliteQueue;
    use controlplane::ports::store::WriteOp;
    use controlplane::ports::store::sqlite::SqliteStore;

    /// The sample EventBridge tick.
    fn scheduled_event() -> EventBridgeEvent {
        let path = concat!(env!("CARGO_MANIFEST_DIR"), "/../../events/eventbridge-reconcile.json");
        serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap()
    }

    /// A worker on `store` and the jobs queue in `dir`'s database file.
    fn worker_in(dir: &tempfile::TempDir, store: controlplane::ports::store::DynStore) -> (Worker, Arc<SqliteQueue>) {
        let queue = Arc::new(SqliteQueue::open(&dir.path().join("controlplane.db"), "jobs", 5).unwrap());
        let blobs = Arc::new(controlplane::ports::blobs::local::LocalBlobs::new(&dir.path().join("blobs")));
        let orchestrator = Arc::new(controlplane::domain::orchestrator::LocalOrchestrator::new(Duration::ZERO));
        (
            Worker::new(store, queue.clone(), controlplane::domain::worker::handlers::handlers(orchestrator, blobs)),
            queue,
        )
    }

    #[tokio::test]
    async fn a_scheduled_event_resends_the_message_of_a_job_left_pending() {
        let event = scheduled_event();
        assert_eq!(event.detail_type, "Scheduled Event");
        let dir = tempfile::tempdir().unwrap();
        let store: controlplane::ports::store::DynStore =
            Arc::new(SqliteStore::open(&dir.path().join("controlplane.db")).unwrap());
        let new = NewJob {
            project_id: None,
            job_type: JobType::ExportBackup,
            payload: serde_json::json!({}),
            requested_by: "alice".into(),
            idempotency_key: None,
            trace_id: "req_1".into(),
        };
        // Created five minutes ago, its message never sent (a crash after commit).
        let job = Job::new(&OrgId::generate(), new, Utc::now() - TimeDelta::minutes(5));
        store.transact(vec![WriteOp::put(job.item().unwrap())]).await.unwrap();
        let (worker, queue) = worker_in(&dir, store);

        let report = super::tick(&worker, None, &event).await.unwrap();
        assert_eq!(
            report,
            serde_json::json!({ "resent": 1, "recovered": 0, "expired": 0, "limit_checks": 0, "published": 0 })
        );
        let sent = queue.receive(10, Duration::from_secs(30)).await.unwrap();
        assert_eq!(sent.len(), 1);
        assert!(sent[0].body.contains(job.id.as_str()));
        let again = super::tick(&worker, None, &event).await.unwrap();
        assert_eq!(again["resent"], 0, "re-sent once per grace period, not on every tick");
    }

    #[tokio::test]
    async fn each_pass_of_a_tick_reads_its_index_shards_in_one_round_trip() {
        use controlplane::ports::store::tally::{Counting, counted};
        let event = scheduled_event();
        let dir = tempfile::tempdir().unwrap();
        let store = Counting::wrap(Arc::new(SqliteStore::open(&dir.path().join("controlplane.db")).unwrap()));
        let (worker, _) = worker_in(&dir, store);

        let now = Utc::now();
        let (reconciled, counts) = counted(worker.reconcile(now)).await;
        reconciled.unwrap();
        let (active, checks) = (controlplane::domain::job::ACTIVE_SHARDS, controlplane::domain::usage::CHECK_SHARDS);
        assert_eq!((counts.reads, counts.round_trips), (active, 1), "the active jobs' shards at once: {counts:?}");
        let (swept, counts) = counted(controlplane::domain::limits::sweep(worker.store(), worker.queue(), now)).await;
        swept.unwrap();
        assert_eq!((counts.reads, counts.round_trips), (checks, 1), "the check marks' shards at once: {counts:?}");
        let (report, counts) = counted(super::tick(&worker, None, &event)).await;
        report.unwrap();
        assert_eq!((counts.reads, counts.round_trips), (active + checks, 2), "one round trip a pass: {counts:?}");
    }

    #[tokio::test]
    async fn a_tick_publishes_outbox_events_the_stream_left_behind_and_only_those() {
        use controlplane::domain::audit::{AuditEvent, Target, chain};
        use controlplane::domain::events::publisher::Publisher;
        use controlplane::ports::bus::FileBus;
        let event = scheduled_event();
        let dir = tempfile::tempdir().unwrap();
        let store: controlplane::ports::store::DynStore =
            Arc::new(SqliteStore::open(&dir.path().join("controlplane.db")).unwrap());
        let org = OrgId::generate();
        let created = |n: u32| {
            let target = Target { kind: "project".into(), id: format!("prj_{n}") };
            AuditEvent::by_system(&org, "test", "trace", "project.created", target, serde_json::json!({}))
        };
        // One left unpublished five minutes ago (the stream gave up), one just
        // committed (the stream's to publish).
        let stale = Utc::now() - TimeDelta::minutes(5);
        chain::commit_at(store.as_ref(), vec![], vec![created(1)], || stale).await.unwrap();
        chain::commit(store.as_ref(), vec![], vec![created(2)]).await.unwrap();
        let events = dir.path().join("events.jsonl");
        let publisher = Publisher::new(store.clone(), Arc::new(FileBus::new(events.clone())));
        let (worker, _) = worker_in(&dir, store);

        let report = super::tick(&worker, Some(&publisher), &event).await.unwrap();
        assert_eq!(report["published"], 1);
        let lines = std::fs::read_to_string(&events).unwrap();
        assert_eq!(lines.lines().count(), 1);
        assert!(lines.contains("prj_1") && lines.contains("\"type\":\"project.created\""), "{lines}");
        assert_eq!(super::tick(&worker, Some(&publisher), &event).await.unwrap()["published"], 0);
    }
}
