//! The project lifecycle's jobs: `provision_project` takes a project from
//! `provisioning` to `active` (or `failed` with the reason), and
//! `deprovision_project` tears a deleted project's runtime down.
//!
//! Exactly once in effect: the orchestrator call carries an idempotency key
//! per project and template version, and the project's move to `active` is
//! committed with the job's completion, checked against the project's
//! version, so a worker that dies mid-job, a duplicate message or a
//! concurrent edit can neither skip the move nor make it twice.

use crate::base::tenant::TenantId;
use std::sync::Arc;

use async_trait::async_trait;
use chrono::{DateTime, Utc};
use serde_json::json;

use crate::base::error::DomainError;
use crate::base::ids::ProjectId;
use crate::base::tenant::TenantContext;
use crate::domain::audit::{AuditEvent, Target};
use crate::domain::egress::{self, EgressCaller, EgressPolicy, Gate};
use crate::domain::job::{Job, JobStatus, JobType, NewJob};
use crate::domain::orchestrator::{Orchestrator, OrchestratorError, ProvisionRequest};
use crate::domain::project::{Project, ProjectStatus, RUNTIME_TEMPLATE_VERSION};
use crate::domain::worker::{Done, Effect, Failure, Handlers, JobHandler, WorkerError};
use crate::ports::store::{Condition, DynStore, Key, WriteOp};

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

/// The job's project and, in the same read, its org's egress policy.
async fn project_of(job: &Job, store: &DynStore) -> Result<(Project, EgressPolicy), Failure> {
    let id = job.project_id.as_ref().ok_or_else(|| Failure::Permanent("the job names no project".into()))?;
    let tenant = TenantId::acting_for(&job.org_id);
    let mut items = store
        .batch_get(&[Project::key(&tenant, id), egress::key(&tenant)])
        .await
        .map_err(|e| Failure::Transient(e.to_string()))?
        .into_iter();
    let item = items.next().flatten().ok_or_else(|| Failure::Permanent(format!("project {id} does not exist")))?;
    let project = item.parse().map_err(|e| Failure::Permanent(e.to_string()))?;
    let (policy, _) =
        EgressPolicy::from_item(items.next().flatten().as_ref()).map_err(|e| Failure::Transient(e.to_string()))?;
    Ok((project, policy))
}

/// Passes the orchestrator's endpoint (when calls to it leave the process)
/// through the org's egress gate.
async fn gate(
    orchestrator: &dyn Orchestrator,
    job: &Job,
    store: &DynStore,
    policy: &EgressPolicy,
) -> Result<(), Failure> {
    let Some(endpoint) = orchestrator.endpoint() else { return Ok(()) };
    let project = job.project_id.as_ref().map(ToString::to_string).unwrap_or_default();
    let gate = Gate {
        store: store.as_ref(),
        org: &job.org_id,
        policy,
        caller: EgressCaller { kind: "orchestrator", id: project },
        trace_id: &job.trace_id,
        confined: None,
    };
    gate.check_endpoint(endpoint).await.map_err(Failure::Permanent)
}

fn project_event(job: &Job, project: &Project, action: &str, metadata: serde_json::Value) -> AuditEvent {
    let target = Target { kind: "project".into(), id: project.id.to_string() };
    AuditEvent::by_system(&job.org_id, "provisioner", &job.trace_id, action, target, metadata).for_project(&project.id)
}

/// The project one version on, written only if nothing changed it since `project`.
fn moved(project: &Project, change: impl FnOnce(&mut Project)) -> Result<(Project, WriteOp), DomainError> {
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
        let (project, policy) = project_of(job, store).await?;
        gate(self.0.as_ref(), job, store, &policy).await?;
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
            Ok((project, _)) if project.status == ProjectStatus::Provisioning => project,
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
        let (project, policy) = project_of(job, store).await?;
        if !project.is_deleted() {
            return Err(Failure::Permanent("the project is not deleted".into()));
        }
        gate(self.0.as_ref(), job, store, &policy).await?;
        self.0.deprovision(&project.org_id, &project.id).await.map_err(failure)?;
        let event = project_event(job, &project, "project.deprovisioned", json!({}));
        Ok(Done { result: json!({ "deprovisioned": true }), writes: Vec::new(), events: vec![event] })
    }
}

/// How a project follows its provisioning job when someone cancels or
/// retries the job by hand: cancelled leaves a `provisioning` project
/// `failed` (never stuck in `provisioning`), retried puts a `failed` one back
/// to `provisioning`. Any other project (deleted, provisioned again by hand)
/// stays as it is.
#[derive(Debug, Clone, PartialEq)]
pub struct ProjectFollowsJob {
    from: ProjectStatus,
    to: ProjectStatus,
    reason: Option<&'static str>,
}

impl ProjectFollowsJob {
    /// The change moving `job` to `job_status` makes to its project; `None`
    /// when it makes none (other job types, other moves).
    pub fn after(job: &Job, job_status: JobStatus) -> Option<Self> {
        if job.job_type != JobType::ProvisionProject {
            return None;
        }
        match job_status {
            JobStatus::Cancelled => Some(Self {
                from: ProjectStatus::Provisioning,
                to: ProjectStatus::Failed,
                reason: Some("provisioning was cancelled"),
            }),
            JobStatus::Pending => {
                Some(Self { from: ProjectStatus::Failed, to: ProjectStatus::Provisioning, reason: None })
            }
            _ => None,
        }
    }

    /// The project after the change; `None` when it is not in the status
    /// the change starts from.
    pub fn apply(&self, project: &Project, now: DateTime<Utc>) -> Option<Project> {
        if project.status != self.from {
            return None;
        }
        let mut next = project.clone();
        next.status = self.to;
        next.status_reason = self.reason.map(str::to_owned);
        next.version += 1;
        next.updated_at = now;
        Some(next)
    }

    /// The change as one write that needs no read of the project: the same
    /// fields [`ProjectFollowsJob::apply`] sets, on condition that the
    /// project is still in the status the change starts from.
    pub fn patch(&self, project: Key, now: DateTime<Utc>) -> WriteOp {
        let set = vec![
            ("status".to_owned(), json!(self.to)),
            ("status_reason".to_owned(), json!(self.reason)),
            ("updated_at".to_owned(), json!(now)),
        ];
        WriteOp::patch(project, set, Condition::FieldIn { field: "status".into(), values: vec![json!(self.from)] })
    }
}

#[cfg(all(test, feature = "sqlite"))]
mod tests {
    use std::sync::Arc;

    use serde_json::Value;

    use super::*;
    use crate::base::ids::OrgId;
    use crate::domain::project::{Environment, ProjectName};
    use crate::ports::store::sqlite::SqliteStore;

    fn project(org: &OrgId, status: ProjectStatus) -> Project {
        let at = "2026-01-02T03:04:05Z".parse().unwrap();
        Project {
            id: ProjectId::generate(),
            org_id: org.clone(),
            name: ProjectName::parse("web").unwrap(),
            description: None,
            status,
            status_reason: Some("region full".into()),
            environment: Environment::default(),
            runtime_template_version: Some(1),
            region: None,
            created_by: "alice".into(),
            version: 7,
            created_at: at,
            updated_at: at,
            deleted_at: None,
        }
    }

    fn job(org: &OrgId, project: &Project, job_type: JobType) -> Job {
        let new = NewJob {
            project_id: Some(project.id.clone()),
            job_type,
            payload: Value::Null,
            requested_by: "alice".into(),
            idempotency_key: None,
            trace_id: "trace".into(),
        };
        Job::new(org, new, crate::now())
    }

    #[test]
    fn only_cancelling_or_retrying_a_provisioning_job_moves_its_project() {
        let org = OrgId::generate();
        let provisioning = project(&org, ProjectStatus::Provisioning);
        let provision = job(&org, &provisioning, JobType::ProvisionProject);
        let now = crate::now();
        let cancelled = ProjectFollowsJob::after(&provision, JobStatus::Cancelled).unwrap();
        let failed = cancelled.apply(&provisioning, now).unwrap();
        assert_eq!(
            (failed.status, failed.status_reason.as_deref()),
            (ProjectStatus::Failed, Some("provisioning was cancelled"))
        );
        assert_eq!((failed.version, failed.updated_at), (8, now));
        let retried = ProjectFollowsJob::after(&provision, JobStatus::Pending).unwrap();
        let again = retried.apply(&failed, now).unwrap();
        assert_eq!((again.status, again.status_reason), (ProjectStatus::Provisioning, None));
        assert_eq!(
            cancelled.apply(&project(&org, ProjectStatus::Deleted), now),
            None,
            "a deleted project stays deleted"
        );
        assert_eq!(retried.apply(&provisioning, now), None, "nor is a provisioning one moved by a retry");
        assert_eq!(ProjectFollowsJob::after(&provision, JobStatus::Running), None);
        let deprovision = job(&org, &provisioning, JobType::DeprovisionProject);
        assert_eq!(ProjectFollowsJob::after(&deprovision, JobStatus::Cancelled), None);
    }

    #[tokio::test]
    async fn the_patch_stores_exactly_the_project_apply_computes_and_only_from_the_status_it_expects() {
        let dir = tempfile::tempdir().unwrap();
        let store: DynStore = Arc::new(SqliteStore::open(&dir.path().join("store.db")).unwrap());
        let org = OrgId::generate();
        let now = crate::now();
        for (status, job_status) in
            [(ProjectStatus::Provisioning, JobStatus::Cancelled), (ProjectStatus::Failed, JobStatus::Pending)]
        {
            let before = project(&org, status);
            let change = ProjectFollowsJob::after(&job(&org, &before, JobType::ProvisionProject), job_status).unwrap();
            let key = Project::key(&TenantId::acting_for(&org), &before.id);
            store.transact(vec![WriteOp::put(before.item().unwrap())]).await.unwrap();
            store.transact(vec![change.patch(key.clone(), now)]).await.unwrap();
            let stored = store.batch_get(std::slice::from_ref(&key)).await.unwrap().remove(0).unwrap();
            let expected = change.apply(&before, now).unwrap();
            assert_eq!(stored.parse::<Project>().unwrap(), expected);
            assert_eq!(stored.version, expected.version);
            let twice = store.transact(vec![change.patch(key, now)]).await;
            assert!(matches!(twice, Err(crate::ports::store::StoreError::ConditionFailed { index: 0 })), "{twice:?}");
        }
    }
}
