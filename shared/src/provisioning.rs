//! The project lifecycle's jobs: `provision_project` takes a project from
//! `provisioning` to `active` (or `failed` with the reason), and
//! `deprovision_project` tears a deleted project's runtime down.
//!
//! Exactly once in effect: the orchestrator call carries an idempotency key
//! per project and template version, and the project's move to `active` is
//! committed with the job's completion, checked against the project's
//! version, so a worker that dies mid-job, a duplicate message or a
//! concurrent edit can neither skip the move nor make it twice.

use std::sync::Arc;

use async_trait::async_trait;
use serde_json::json;

use crate::ApiError;
use crate::domain::audit::{AuditEvent, Target};
use crate::domain::job::{Job, JobStatus, JobType, NewJob};
use crate::domain::project::{Project, ProjectStatus, RUNTIME_TEMPLATE_VERSION};
use crate::ids::ProjectId;
use crate::orchestrator::{Orchestrator, OrchestratorError, ProvisionRequest};
use crate::store::{Condition, DynStore, WriteOp};
use crate::tenant::TenantContext;
use crate::worker::{Done, Effect, Failure, Handlers, JobHandler, WorkerError};

/// The provisioning handlers, registered on `handlers`.
pub fn register(handlers: Handlers, orchestrator: Arc<dyn Orchestrator>) -> Handlers {
    handlers
        .register(JobType::ProvisionProject, Provision(Arc::clone(&orchestrator)))
        .register(JobType::DeprovisionProject, Deprovision(orchestrator))
}

/// The job a request asks for about one project.
pub fn project_job(ctx: &TenantContext, job_type: JobType, project: &ProjectId) -> NewJob {
    NewJob {
        project_id: Some(project.clone()),
        job_type,
        payload: json!({ "project_id": project }),
        requested_by: ctx.principal().id().to_owned(),
        idempotency_key: Some(format!("{}:{project}", job_type.as_str())),
        trace_id: ctx.meta().request_id.clone(),
    }
}

fn failure(error: OrchestratorError) -> Failure {
    match error {
        OrchestratorError::Unavailable(e) => Failure::Transient(e),
        OrchestratorError::Rejected(e) => Failure::Permanent(e),
    }
}

async fn project_of(job: &Job, store: &DynStore) -> Result<Project, Failure> {
    let id = job.project_id.as_ref().ok_or_else(|| Failure::Permanent("the job names no project".into()))?;
    let item = store
        .batch_get(&[Project::key(&job.org_id, id)])
        .await
        .map_err(|e| Failure::Transient(e.to_string()))?
        .pop()
        .flatten()
        .ok_or_else(|| Failure::Permanent(format!("project {id} does not exist")))?;
    item.parse().map_err(|e| Failure::Permanent(e.to_string()))
}

fn project_event(job: &Job, project: &Project, action: &str, metadata: serde_json::Value) -> AuditEvent {
    let target = Target { kind: "project".into(), id: project.id.to_string() };
    AuditEvent::by_system(&job.org_id, "provisioner", &job.trace_id, action, target, metadata).for_project(&project.id)
}

/// The project one version on, written only if nothing changed it since `project`.
fn moved(project: &Project, change: impl FnOnce(&mut Project)) -> Result<(Project, WriteOp), ApiError> {
    let mut next = project.clone();
    change(&mut next);
    next.version += 1;
    next.updated_at = crate::now();
    let item = next.item()?;
    Ok((next, WriteOp::put_if(item, Condition::VersionEquals(project.version))))
}

struct Provision(Arc<dyn Orchestrator>);

#[async_trait]
impl JobHandler for Provision {
    async fn run(&self, job: &Job, store: &DynStore) -> Result<Done, Failure> {
        let project = project_of(job, store).await?;
        if project.is_deleted() {
            // Deleted while provisioning: whatever was set up goes too.
            self.0.deprovision(&project.org_id, &project.id).await.map_err(failure)?;
            return Ok(Done { result: json!({ "skipped": "the project was deleted" }), ..Done::default() });
        }
        if project.is_provisioned() && project.runtime_template_version >= Some(RUNTIME_TEMPLATE_VERSION) {
            return Ok(Done { result: json!({ "skipped": "already provisioned" }), ..Done::default() });
        }
        let request = ProvisionRequest {
            org_id: project.org_id.clone(),
            project_id: project.id.clone(),
            environment: project.environment,
            runtime_template_version: RUNTIME_TEMPLATE_VERSION,
        };
        let provisioned = self.0.provision(&request).await.map_err(failure)?;
        let (next, write) = moved(&project, |p| {
            if !p.is_provisioned() {
                p.status = ProjectStatus::Active;
            }
            p.status_reason = None;
            p.runtime_template_version = Some(provisioned.runtime_template_version);
        })
        .map_err(|e| Failure::Permanent(e.to_string()))?;
        let event = project_event(
            job,
            &next,
            "project.provisioned",
            json!({ "runtime_template_version": provisioned.runtime_template_version }),
        );
        Ok(Done {
            result: json!({ "status": next.status, "runtime_template_version": provisioned.runtime_template_version }),
            writes: vec![write],
            events: vec![event],
        })
    }

    async fn give_up(&self, job: &Job, store: &DynStore, error: &str) -> Result<Effect, WorkerError> {
        let project = match project_of(job, store).await {
            Ok(project) if project.status == ProjectStatus::Provisioning => project,
            _ => return Ok(Effect::default()),
        };
        let reason = format!("provisioning failed: {error}");
        let (next, write) = moved(&project, |p| {
            p.status = ProjectStatus::Failed;
            p.status_reason = Some(reason.clone());
        })?;
        let event = project_event(job, &next, "project.provisioning_failed", json!({ "error": error }));
        Ok(Effect { writes: vec![write], events: vec![event] })
    }
}

struct Deprovision(Arc<dyn Orchestrator>);

#[async_trait]
impl JobHandler for Deprovision {
    async fn run(&self, job: &Job, store: &DynStore) -> Result<Done, Failure> {
        let project = project_of(job, store).await?;
        if !project.is_deleted() {
            return Err(Failure::Permanent("the project is not deleted".into()));
        }
        self.0.deprovision(&project.org_id, &project.id).await.map_err(failure)?;
        let event = project_event(job, &project, "project.deprovisioned", json!({}));
        Ok(Done { result: json!({ "deprovisioned": true }), writes: Vec::new(), events: vec![event] })
    }
}

/// What a project shows when someone cancels or retries its provisioning
/// job by hand: cancelled leaves it `failed` (never stuck in
/// `provisioning`), retried puts a failed one back to `provisioning`.
/// `None` when the project does not change.
pub fn project_after_job_change(project: &Project, job: &Job, job_status: JobStatus) -> Option<Project> {
    if job.job_type != JobType::ProvisionProject {
        return None;
    }
    let (status, reason) = match (project.status, job_status) {
        (ProjectStatus::Provisioning, JobStatus::Cancelled) => {
            (ProjectStatus::Failed, Some("provisioning was cancelled".to_owned()))
        }
        (ProjectStatus::Failed, JobStatus::Pending) => (ProjectStatus::Provisioning, None),
        _ => return None,
    };
    let mut next = project.clone();
    next.status = status;
    next.status_reason = reason;
    next.version += 1;
    next.updated_at = crate::now();
    Some(next)
}
