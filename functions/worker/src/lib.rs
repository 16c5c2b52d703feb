//! The `worker` function: consumes the jobs queue. Each SQS record names a
//! job; the shared [`Worker`] claims it, runs its handler and records the
//! outcome. Records to try again are reported as batch item failures
//! (`ReportBatchItemFailures`), with their visibility set to the job's
//! backoff; jobs that failed for good are parked in the dead-letter queue.

pub mod runner;
mod runs;

use std::sync::Arc;

use aws_lambda_events::event::sqs::{SqsBatchResponse, SqsEvent};
use controlplane::app::{self, ConfigError, QUEUE_ENV, WEBHOOK_QUEUE_ENV};
use controlplane::audit_export::ExportAudit;
use controlplane::backup::ExportBackup;
use controlplane::blobs::{BLOBS_ENV, DynBlobs};
use controlplane::domain::job::JobType;
use controlplane::limits::CheckUsageLimits;
use controlplane::orchestrator::{self, Orchestrator};
use controlplane::queue;
use controlplane::rotation::RetireRotatedTokens;
use controlplane::secrets::{DynSecrets, SECRETS_ENV};
use controlplane::sources::TestCredential;
use controlplane::webhooks::job::{DeliverWebhook, DeliveryRecords};
use controlplane::webhooks::target::Allowances;
use controlplane::worker::{Handlers, Worker};
use runner::{HttpProbe, Probe, Runners};
use runs::RunSource;

/// The handler of every job type the worker runs.
pub fn handlers(orchestrator: Arc<dyn Orchestrator>, blobs: DynBlobs) -> Handlers {
    let handlers = Handlers::default()
        .register(JobType::CheckUsageLimits, CheckUsageLimits)
        .register(JobType::ExportBackup, ExportBackup(blobs.clone()))
        .register(JobType::ExportAudit, ExportAudit(blobs))
        .register(JobType::RotateKey, RetireRotatedTokens)
        // Deliveries run on the webhooks queue; here only their give-up.
        .register(JobType::DeliverWebhook, DeliveryRecords);
    controlplane::provisioning::register(handlers, orchestrator)
}

/// Adds the handler of webhook deliveries (the `webhook-delivery`
/// function's; `cargo run` runs it in its one worker).
pub fn with_deliveries(handlers: Handlers, secrets: DynSecrets, allow: Allowances) -> Handlers {
    handlers.register(JobType::DeliverWebhook, DeliverWebhook { secrets, allow })
}

/// Adds the handlers that read credential values: credential tests and
/// source runs and tests (evidence goes to `blobs`; outside services are
/// reached through `probe`).
pub fn with_sources(handlers: Handlers, secrets: DynSecrets, blobs: DynBlobs, probe: Arc<dyn Probe>) -> Handlers {
    let runs = || RunSource { secrets: secrets.clone(), blobs: blobs.clone(), runners: Runners::new(probe.clone()) };
    handlers
        .register(JobType::TestCredential, TestCredential { secrets: secrets.clone() })
        .register(JobType::RunSource, runs())
        .register(JobType::TestSource, runs())
}

/// The probe a worker reaches sources with: public addresses only, unless
/// `allow` lets it reach loopback (`CONTROLPLANE_WEBHOOKS_ALLOW_LOCAL`, for
/// development).
pub fn probe(allow: Allowances) -> Arc<dyn Probe> {
    Arc::new(HttpProbe::new(allow))
}

/// The worker the environment configures: `CONTROLPLANE_STORE`,
/// `CONTROLPLANE_QUEUE`, `CONTROLPLANE_BLOBS`, `CONTROLPLANE_SECRETS` and the orchestrator
/// (`CONTROLPLANE_ORCHESTRATOR_URL`, else the in-process one). With
/// `CONTROLPLANE_WEBHOOK_QUEUE`, delivery messages it re-sends go there.
pub async fn from_env() -> Result<Worker, ConfigError> {
    let store = app::store_from_env().await?;
    let url = app::url_from_env(QUEUE_ENV)?.ok_or(ConfigError::Missing(QUEUE_ENV))?;
    let queue = queue::open(&url).await?;
    let blobs = app::url_from_env(BLOBS_ENV)?.ok_or(ConfigError::Missing(BLOBS_ENV))?;
    let blobs = controlplane::blobs::open(&blobs).await?;
    let orchestrator =
        orchestrator::from_env().map_err(|reason| ConfigError::Invalid { name: "orchestrator", reason })?;
    let secrets = app::url_from_env(SECRETS_ENV)?.ok_or(ConfigError::Missing(SECRETS_ENV))?;
    let secrets = controlplane::secrets::open(&secrets).await?;
    let allow = Allowances { local_development: app::local_webhooks_from_env()? };
    let handlers = with_sources(handlers(orchestrator, blobs.clone()), secrets, blobs, probe(allow));
    let worker = Worker::new(store, queue, handlers);
    Ok(match app::url_from_env(WEBHOOK_QUEUE_ENV)? {
        Some(url) => worker.with_route(JobType::DeliverWebhook, queue::open(&url).await?),
        None => worker,
    })
}

/// The `webhook-delivery` function's worker: `CONTROLPLANE_STORE`,
/// `CONTROLPLANE_WEBHOOK_QUEUE` (the queue it consumes) and
/// `CONTROLPLANE_SECRETS` (the signing secrets).
pub async fn delivery_from_env() -> Result<Worker, ConfigError> {
    let store = app::store_from_env().await?;
    let url = app::url_from_env(WEBHOOK_QUEUE_ENV)?.ok_or(ConfigError::Missing(WEBHOOK_QUEUE_ENV))?;
    let queue = queue::open(&url).await?;
    let secrets = app::url_from_env(SECRETS_ENV)?.ok_or(ConfigError::Missing(SECRETS_ENV))?;
    let secrets = controlplane::secrets::open(&secrets).await?;
    let allow = Allowances { local_development: app::local_webhooks_from_env()? };
    Ok(Worker::new(store, queue, with_deliveries(Handlers::default(), secrets, allow)))
}

/// Handles every record of an SQS event; the response lists the ones to
/// deliver again.
pub async fn handle_batch(worker: &Worker, event: SqsEvent) -> SqsBatchResponse {
    let mut response = SqsBatchResponse::default();
    for record in event.records {
        let id = record.message_id.clone().unwrap_or_default();
        let body = record.body.as_deref().unwrap_or_default();
        let outcome = worker.handle(body).await;
        tracing::info!(message = %id, ?outcome, "jobs message handled");
        if worker.settle_delivered(body, record.receipt_handle.as_deref(), outcome).await {
            response.add_failure(id);
        }
    }
    response
}

#[cfg(test)]
mod tests {
    use std::sync::Arc;
    use std::time::Duration;

    use aws_lambda_events::event::sqs::SqsEvent;
    use chrono::Utc;
    use controlplane::domain::job::{Job, JobMessage, JobStatus, JobType, NewJob};
    use controlplane::domain::project::{Environment, Project, ProjectName, ProjectStatus};
    use controlplane::orchestrator::LocalOrchestrator;
    use controlplane::queue::Queue;
    use controlplane::queue::sqlite::SqliteQueue;
    use controlplane::store::Store;
    use controlplane::store::sqlite::SqliteStore;
    use controlplane::worker::Worker;

    fn sample_event() -> SqsEvent {
        let path = concat!(env!("CARGO_MANIFEST_DIR"), "/../../events/sqs-jobs.json");
        serde_json::from_str(&std::fs::read_to_string(path).expect("sample event")).expect("an SQS event")
    }

    /// The project and provisioning job the sample event's first record names.
    async fn stored_job(store: &SqliteStore, message: &JobMessage) -> Job {
        let now = Utc::now();
        let project = Project {
            id: controlplane::ids::ProjectId::generate(),
            org_id: message.org_id.clone(),
            name: ProjectName::parse("checkout").unwrap(),
            description: None,
            status: ProjectStatus::Provisioning,
            status_reason: None,
            environment: Environment::Production,
            runtime_template_version: None,
            created_by: "alice".into(),
            version: 1,
            created_at: now,
            updated_at: now,
            deleted_at: None,
        };
        let new = NewJob {
            project_id: Some(project.id.clone()),
            job_type: JobType::ProvisionProject,
            payload: serde_json::json!({}),
            requested_by: "alice".into(),
            idempotency_key: None,
            trace_id: "req_sample".into(),
        };
        let mut job = Job::new(&message.org_id, new, now);
        job.id = message.job_id.clone();
        let ops = vec![
            controlplane::store::WriteOp::put(project.item().unwrap()),
            controlplane::store::WriteOp::put(job.item().unwrap()),
        ];
        store.transact(ops).await.unwrap();
        job
    }

    #[tokio::test]
    async fn an_sqs_event_delivered_twice_provisions_once_and_dead_letters_a_stray_record() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("controlplane.db");
        let store = Arc::new(SqliteStore::open(&path).unwrap());
        let queue = Arc::new(SqliteQueue::open(&path, "jobs", 5).unwrap());
        let orchestrator = Arc::new(LocalOrchestrator::new(Duration::ZERO));
        let blobs = Arc::new(controlplane::blobs::local::LocalBlobs::new(&dir.path().join("blobs")));
        let worker = Worker::new(store.clone(), queue.clone(), super::handlers(orchestrator.clone(), blobs));
        let event = sample_event();
        let body = event.records[0].body.clone().unwrap();
        let job = stored_job(&store, &serde_json::from_str(&body).unwrap()).await;

        for _ in 0..2 {
            let response = super::handle_batch(&worker, event.clone()).await;
            assert!(response.batch_item_failures.is_empty(), "{response:?}");
        }
        let item = store.batch_get(&[Job::key(&job.org_id, &job.id)]).await.unwrap().pop().flatten().unwrap();
        let done: Job = item.parse().unwrap();
        assert_eq!((done.status, done.attempts), (JobStatus::Completed, 1));
        let project_key = Project::key(&job.org_id, job.project_id.as_ref().unwrap());
        let project: Project = store.batch_get(&[project_key]).await.unwrap()[0].as_ref().unwrap().parse().unwrap();
        assert_eq!((project.status, project.runtime_template_version), (ProjectStatus::Active, Some(1)));
        assert_eq!(orchestrator.provisioned_count(), 1);
        let dead = queue.dead_letters().receive(10, Duration::from_secs(30)).await.unwrap();
        assert_eq!(dead.len(), 2, "the stray record, once per delivery");
        assert!(dead.iter().all(|m| m.body == event.records[1].body.clone().unwrap()));
    }
}
