//! The `worker` function: consumes the jobs queue. Each SQS record names a
//! job; the shared [`Worker`] claims it, runs its handler and records the
//! outcome. Records to try again are reported as batch item failures
//! (`ReportBatchItemFailures`), with their visibility set to the job's
//! backoff; jobs that failed for good are parked in the dead-letter queue.

use aws_lambda_events::event::sqs::{SqsBatchResponse, SqsEvent};
use controlplane::domain::worker::Worker;

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
    use controlplane::domain::orchestrator::LocalOrchestrator;
    use controlplane::domain::project::{Environment, Project, ProjectName, ProjectStatus};
    use controlplane::domain::worker::Worker;
    use controlplane::ports::queue::Queue;
    use controlplane::ports::queue::sqlite::SqliteQueue;
    use controlplane::ports::store::Store;
    use controlplane::ports::store::sqlite::SqliteStore;

    fn sample_event() -> SqsEvent {
        let path = concat!(env!("CARGO_MANIFEST_DIR"), "/../../events/sqs-jobs.json");
        serde_json::from_str(&std::fs::read_to_string(path).expect("sample event")).expect("an SQS event")
    }

    /// The project and provisioning job the sample event's first record names.
    async fn stored_job(store: &SqliteStore, message: &JobMessage) -> Job {
        let now = Utc::now();
        let project = Project {
            id: controlplane::base::ids::ProjectId::generate(),
            org_id: message.org_id.clone(),
            name: ProjectName::parse("checkout").unwrap(),
            description: None,
            status: ProjectStatus::Provisioning,
            status_reason: None,
            environment: Environment::Production,
            runtime_template_version: None,
            region: None,
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
            controlplane::ports::store::WriteOp::put(project.item().unwrap()),
            controlplane::ports::store::WriteOp::put(job.item().unwrap()),
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
        let blobs = Arc::new(controlplane::ports::blobs::local::LocalBlobs::new(&dir.path().join("blobs")));
        let worker = Worker::new(
            store.clone(),
            queue.clone(),
            controlplane::domain::worker::handlers::handlers(orchestrator.clone(), blobs),
        );
        let event = sample_event();
        let body = event.records[0].body.clone().unwrap();
        let job = stored_job(&store, &serde_json::from_str(&body).unwrap()).await;

        for _ in 0..2 {
            let response = super::handle_batch(&worker, event.clone()).await;
            assert!(response.batch_item_failures.is_empty(), "{response:?}");
        }
        let item = store
            .batch_get(&[Job::key(&controlplane::testing::tenant_of(&job.org_id), &job.id)])
            .await
            .unwrap()
            .pop()
            .flatten()
            .unwrap();
        let done: Job = item.parse().unwrap();
        assert_eq!((done.status, done.attempts), (JobStatus::Completed, 1));
        let project_key =
            Project::key(&controlplane::testing::tenant_of(&job.org_id), job.project_id.as_ref().unwrap());
        let project: Project = store.batch_get(&[project_key]).await.unwrap()[0].as_ref().unwrap().parse().unwrap();
        assert_eq!((project.status, project.runtime_template_version), (ProjectStatus::Active, Some(1)));
        assert_eq!(orchestrator.provisioned_count(), 1);
        let dead = queue.dead_letters().receive(10, Duration::from_secs(30)).await.unwrap();
        assert_eq!(dead.len(), 2, "the stray record, once per delivery");
        assert!(dead.iter().all(|m| m.body == event.records[1].body.clone().unwrap()));
    }

    /// An upstream whose listing arrives after its server was deleted.
    struct DeletesTheServer {
        store: controlplane::ports::store::DynStore,
        server: controlplane::ports::store::Key,
    }

    #[async_trait::async_trait]
    impl controlplane::ports::mcp_upstream::McpUpstream for DeletesTheServer {
        async fn list_tools(
            &self,
            _: &controlplane::ports::mcp_upstream::Upstream,
        ) -> Result<Vec<serde_json::Value>, controlplane::ports::mcp_upstream::UpstreamError> {
            let delete = controlplane::ports::store::WriteOp::delete(self.server.clone());
            self.store.transact(vec![delete]).await.unwrap();
            Ok(vec![serde_json::json!({"name": "search", "inputSchema": {"type": "object"}})])
        }

        async fn call_tool(
            &self,
            _: &controlplane::ports::mcp_upstream::Upstream,
            _: &str,
            _: serde_json::Map<String, serde_json::Value>,
        ) -> Result<serde_json::Value, controlplane::ports::mcp_upstream::UpstreamError> {
            Err(controlplane::ports::mcp_upstream::UpstreamError::Refused("not called here".into()))
        }
    }

    #[tokio::test]
    async fn a_server_deleted_during_its_discovery_gets_no_tool_written() {
        use controlplane::domain::mcp::server::{CredentialPlacement, McpServer, Slug};
        use controlplane::domain::mcp::tools::UpstreamTool;
        use controlplane::domain::worker::mcp::DiscoverMcpServer;
        use controlplane::domain::worker::{Failure, JobHandler};
        use controlplane::ports::store::{Condition, WriteOp};

        let test = controlplane::testing::sqlite_state();
        let store = test.state.store.clone();
        let org = controlplane::testing::org_owned_by(&test.state, "alice").await;
        let (project, _) = controlplane::testing::project_in(&test.state, &org, "shop").await;
        let now = Utc::now();
        let server = McpServer {
            id: controlplane::base::ids::McpServerId::generate(),
            org_id: org.clone(),
            project_id: project.clone(),
            slug: Slug::parse("docs").unwrap(),
            display_name: "docs".into(),
            url: "http://127.0.0.1:9/mcp".into(),
            credential_ref_id: None,
            credential_placement: CredentialPlacement::Bearer,
            enabled: true,
            discovered_at: None,
            policy_bindings: Vec::new(),
            created_by: "alice".into(),
            version: 1,
            created_at: now,
            updated_at: now,
        };
        store.transact(vec![WriteOp::put_if(server.item().unwrap(), Condition::NotExists)]).await.unwrap();
        let tenant = controlplane::testing::tenant_of(&org);
        let new = NewJob {
            project_id: Some(project),
            job_type: JobType::DiscoverMcpServer,
            payload: serde_json::json!({ "mcp_server_id": server.id }),
            requested_by: "alice".into(),
            idempotency_key: None,
            trace_id: "trace".into(),
        };
        let job = Job::new(&org, new, now);
        let dir = tempfile::tempdir().unwrap();
        let secrets = controlplane::ports::secrets::local::LocalSecrets::open(&dir.path().join("s.db")).unwrap();
        let upstream = DeletesTheServer { store: store.clone(), server: McpServer::key(&tenant, &server.id) };
        let handler = DiscoverMcpServer {
            secrets: Arc::new(secrets),
            upstream: Arc::new(upstream),
            allow: controlplane::domain::webhooks::target::Allowances { local_development: true },
        };
        let outcome = handler.run(&job, &store).await;
        assert!(matches!(outcome, Err(Failure::Transient(_))), "the chunk's check fails");
        let left = store.query(&UpstreamTool::query(&tenant, &server.id)).await.unwrap();
        assert!(left.items.is_empty(), "no tool outlives its server");
    }
}
