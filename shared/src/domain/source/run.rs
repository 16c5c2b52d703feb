//! The worker contract of a source job: the typed message a `run_source`
//! or `test_source` job carries as its payload. The queue message still
//! names only the job (a stale message can carry no stale instructions);
//! the worker reads this from the job item at claim and checks it against
//! the job, the tenant and the source as they are then.

use serde::{Deserialize, Serialize};

use crate::base::error::DomainError;
use crate::base::ids::{CredentialId, JobId, ProjectId, ScheduleId, SourceId};
use crate::base::tenant::OrgId;
use crate::domain::job::{Job, JobType, NewJob};
use crate::domain::source::{PolicyBinding, Source};

/// The schedule slot a scheduled run is for (`(schedule_id, slot)` is its
/// idempotency key).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ScheduledSlot {
    pub schedule_id: ScheduleId,
    /// The slot's time, RFC 3339.
    pub slot: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SourceJob {
    pub job_id: JobId,
    pub tenant_id: OrgId,
    pub source_id: SourceId,
    pub job_type: JobType,
    /// A user id or a `key_…` id: whose access the worker re-checks.
    pub requested_by: String,
    pub credential_ref_id: Option<CredentialId>,
    /// The project the job is confined to (the source's).
    pub scope: ProjectId,
    /// The bindings when the job was asked for (the run applies the
    /// source's bindings as they are at claim).
    pub policy_bindings: Vec<PolicyBinding>,
    pub trace_id: String,
    pub idempotency_key: Option<String>,
    pub schedule: Option<ScheduledSlot>,
}

impl SourceJob {
    pub fn new(
        job_id: &JobId,
        job_type: JobType,
        source: &Source,
        requested_by: &str,
        trace_id: &str,
        idempotency_key: Option<String>,
    ) -> Self {
        Self {
            job_id: job_id.clone(),
            tenant_id: source.org_id.clone(),
            source_id: source.id.clone(),
            job_type,
            requested_by: requested_by.to_owned(),
            credential_ref_id: source.credential_ref_id.clone(),
            scope: source.project_id.clone(),
            policy_bindings: source.policy_bindings.clone(),
            trace_id: trace_id.to_owned(),
            idempotency_key,
            schedule: None,
        }
    }
}

/// A `run_source` or `test_source` job for `source`, its payload the typed
/// message.
pub fn source_job(
    source: &Source,
    job_type: JobType,
    requested_by: &str,
    trace_id: &str,
    idempotency_key: Option<String>,
    schedule: Option<ScheduledSlot>,
    now: chrono::DateTime<chrono::Utc>,
) -> Result<Job, DomainError> {
    let id = JobId::generate();
    let mut message = SourceJob::new(&id, job_type, source, requested_by, trace_id, idempotency_key.clone());
    message.schedule = schedule;
    let new = NewJob {
        project_id: Some(source.project_id.clone()),
        job_type,
        payload: serde_json::to_value(&message).map_err(|e| DomainError::Internal(e.to_string()))?,
        requested_by: requested_by.to_owned(),
        idempotency_key,
        trace_id: trace_id.to_owned(),
    };
    let mut job = Job::new(&source.org_id, new, now);
    job.id = id;
    Ok(job)
}
