//! The `reconciler` function: an EventBridge schedule ticks it every
//! minute. Each tick is one pass over the active-jobs index: pending jobs
//! whose message was lost are sent again, running jobs whose worker died
//! (lease expired) are handed out again, and jobs past their deadline are
//! failed — so nothing stays `running` (or a project `provisioning`)
//! forever. Passes are version-checked; a double tick changes nothing twice.
//! The same tick turns projects whose usage or quotas changed into
//! `check_usage_limits` jobs.

use aws_lambda_events::event::eventbridge::EventBridgeEvent;
use controlplane::worker::{Worker, WorkerError};
use serde_json::{Value, json};

/// One scheduled tick; returns what it did (the Lambda's result, in the logs).
pub async fn tick(worker: &Worker, event: &EventBridgeEvent) -> Result<Value, WorkerError> {
    let now = chrono::Utc::now();
    let report = worker.reconcile(now).await?;
    let limit_checks = controlplane::limits::sweep(worker.store(), worker.queue(), now).await?;
    tracing::info!(event = event.id.as_deref().unwrap_or(""), ?report, limit_checks, "reconciler pass");
    Ok(json!({
        "resent": report.resent,
        "recovered": report.recovered,
        "expired": report.expired,
        "limit_checks": limit_checks,
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
    use controlplane::queue::Queue;
    use controlplane::queue::sqlite::SqliteQueue;
    use controlplane::store::sqlite::SqliteStore;
    use controlplane::store::{Store, WriteOp};
    use controlplane::worker::Worker;

    #[tokio::test]
    async fn a_scheduled_event_resends_the_message_of_a_job_left_pending() {
        let path = concat!(env!("CARGO_MANIFEST_DIR"), "/../../events/eventbridge-reconcile.json");
        let event: EventBridgeEvent = serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap();
        assert_eq!(event.detail_type, "Scheduled Event");
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("controlplane.db");
        let store = Arc::new(SqliteStore::open(&file).unwrap());
        let queue = Arc::new(SqliteQueue::open(&file, "jobs", 5).unwrap());
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
        let worker = Worker::new(
            store,
            queue.clone(),
            worker::handlers(
                Arc::new(controlplane::orchestrator::LocalOrchestrator::new(Duration::ZERO)),
                Arc::new(controlplane::blobs::local::LocalBlobs::new(&dir.path().join("blobs"))),
            ),
        );

        let report = super::tick(&worker, &event).await.unwrap();
        assert_eq!(report, serde_json::json!({ "resent": 1, "recovered": 0, "expired": 0, "limit_checks": 0 }));
        let sent = queue.receive(10, Duration::from_secs(30)).await.unwrap();
        assert_eq!(sent.len(), 1);
        assert!(sent[0].body.contains(job.id.as_str()));
        let again = super::tick(&worker, &event).await.unwrap();
        assert_eq!(again["resent"], 0, "re-sent once per grace period, not on every tick");
    }
}
