//! Jobs: durable background work. A job is an item in its org
//! (`T#{org}#JOBS`, sort key = the time-ordered job id) plus a message on
//! the jobs queue naming it. The item is the truth; the message is only a
//! nudge, so a lost, duplicated or late message changes nothing.
//!
//! While a job is active (pending or running) it also sits in a sharded
//! index, `JOBQ#{shard}`, sorted by the time it is due for a look: a
//! pending job [`PENDING_GRACE`] after it became runnable (its message
//! should have been handled by then), a running job when its lease ends.
//! The reconciler sweeps that index, so nothing stays active forever.

use std::time::Duration;

use chrono::{DateTime, TimeDelta, Utc};
use serde::{Deserialize, Serialize};
use serde_json::Value;

use crate::base::error::DomainError;
use crate::base::ids::{JobId, ProjectId, SourceId};
use crate::base::residency::Region;
use crate::base::tenant::{OrgId, TenantId};
use crate::ports::store::{Index, IndexKey, Item, Key, Partition, Query, SortKey};

pub const COLLECTION: &str = "JOBS";
/// Partitions of the active-jobs index.
pub const ACTIVE_SHARDS: u32 = 4;
pub const DEFAULT_MAX_ATTEMPTS: u32 = 5;
/// How long a claim holds without renewal: the worker renews it every third
/// of this while the handler runs, so a worker that dies loses its job to
/// another within this (plus the time for its message to return or the
/// reconciler's next pass).
pub const LEASE: Duration = Duration::from_secs(30);
/// How long one run may take before it counts as a transient failure.
pub const RUN_LIMIT: Duration = Duration::from_secs(300);
/// How long a runnable pending job may wait for its message before the
/// reconciler sends another.
pub const PENDING_GRACE: Duration = Duration::from_secs(60);
/// A job not finished this long after it was created is failed.
pub const DEADLINE: Duration = Duration::from_secs(24 * 3600);
/// Retry delays: `BACKOFF_BASE × 2^(attempt−1)`, at most `BACKOFF_CAP`, then
/// a random half to whole of it (jitter).
pub const BACKOFF_BASE: Duration = Duration::from_secs(2);
pub const BACKOFF_CAP: Duration = Duration::from_secs(900);

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum JobType {
    ProvisionProject,
    DeprovisionProject,
    RotateKey,
    DeliverWebhook,
    ExportBackup,
    ExportAudit,
    CheckUsageLimits,
    /// Reads a credential's value in the worker and checks it (`POST /v1/credentials/{id}/test`).
    TestCredential,
    /// Runs a source (`POST /v1/sources/{id}/run`, schedules).
    RunSource,
    /// Checks a source's configuration and reach without running it.
    TestSource,
    /// Lists an upstream MCP server's tools and pins their definitions
    /// (`POST /v1/mcp-servers/{id}/discover`).
    DiscoverMcpServer,
}

/// Webhook deliveries retry on their own schedule (Standard Webhooks'
/// suggestion): the delay before attempt n+1 is `WEBHOOK_SCHEDULE[n]`
/// (attempt 1 runs at once), each ±10 % jitter; 8 attempts over ~28 h.
pub const WEBHOOK_SCHEDULE: [Duration; 8] = [
    Duration::ZERO,
    Duration::from_secs(5),
    Duration::from_secs(5 * 60),
    Duration::from_secs(30 * 60),
    Duration::from_secs(2 * 3600),
    Duration::from_secs(5 * 3600),
    Duration::from_secs(10 * 3600),
    Duration::from_secs(10 * 3600),
];

impl JobType {
    /// Attempts before the job fails for good.
    pub fn max_attempts(self) -> u32 {
        match self {
            JobType::DeliverWebhook => WEBHOOK_SCHEDULE.len() as u32,
            _ => DEFAULT_MAX_ATTEMPTS,
        }
    }

    /// Whether the job's completion and failure are audited (`job.completed`,
    /// `job.failed`). Not a webhook delivery's: those events would be
    /// delivered in turn, without end; the delivery log records them.
    pub fn audited(self) -> bool {
        self != JobType::DeliverWebhook
    }

    /// How long after creation the job is failed if unfinished.
    pub fn deadline(self) -> Duration {
        match self {
            JobType::DeliverWebhook => Duration::from_secs(2 * 24 * 3600),
            _ => DEADLINE,
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            JobType::ProvisionProject => "provision_project",
            JobType::DeprovisionProject => "deprovision_project",
            JobType::RotateKey => "rotate_key",
            JobType::DeliverWebhook => "deliver_webhook",
            JobType::ExportBackup => "export_backup",
            JobType::ExportAudit => "export_audit",
            JobType::CheckUsageLimits => "check_usage_limits",
            JobType::TestCredential => "test_credential",
            JobType::RunSource => "run_source",
            JobType::TestSource => "test_source",
            JobType::DiscoverMcpServer => "discover_mcp_server",
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum JobStatus {
    Pending,
    Running,
    Completed,
    Failed,
    Cancelled,
}

impl JobStatus {
    pub fn is_active(self) -> bool {
        matches!(self, JobStatus::Pending | JobStatus::Running)
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct Job {
    pub id: JobId,
    pub org_id: OrgId,
    pub project_id: Option<ProjectId>,
    #[serde(rename = "type")]
    pub job_type: JobType,
    pub status: JobStatus,
    /// Runs started so far (a retry after failure starts again from 0).
    pub attempts: u32,
    pub max_attempts: u32,
    #[schema(value_type = Object)]
    pub payload: Value,
    #[schema(value_type = Option<Object>)]
    pub result: Option<Value>,
    /// The last failure's message.
    pub error: Option<String>,
    /// The principal (or `system`) that asked for the job.
    pub requested_by: String,
    pub idempotency_key: Option<String>,
    /// The request that created the job, for following it through logs.
    pub trace_id: String,
    /// The worker running it, while it runs.
    pub lease_owner: Option<String>,
    pub lease_expires_at: Option<DateTime<Utc>>,
    /// Not to be run before this (backoff after a failed attempt).
    pub run_after: Option<DateTime<Utc>>,
    /// Failed if not finished by then.
    pub deadline: DateTime<Utc>,
    pub version: u64,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
    pub started_at: Option<DateTime<Utc>>,
    pub finished_at: Option<DateTime<Utc>>,
    /// Where a job that writes a file (an audit export, a backup) keeps
    /// it: its org's region. Absent for other jobs, and for jobs of an org
    /// made before regions (kept in the default region).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub region: Option<Region>,
}

/// The queue message: which job to look at. Nothing else, so a stale
/// message can never carry stale instructions.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct JobMessage {
    pub org_id: OrgId,
    pub job_id: JobId,
}

impl JobMessage {
    pub fn of(job: &Job) -> Self {
        Self { org_id: job.org_id.clone(), job_id: job.id.clone() }
    }

    pub fn body(&self) -> String {
        serde_json::json!({ "org_id": self.org_id, "job_id": self.job_id }).to_string()
    }
}

/// What a new job is.
pub struct NewJob {
    pub project_id: Option<ProjectId>,
    pub job_type: JobType,
    pub payload: Value,
    pub requested_by: String,
    pub idempotency_key: Option<String>,
    pub trace_id: String,
}

/// The largest time a ULID holds (48 bits of milliseconds).
const MAX_ULID_MS: u64 = (1 << 48) - 1;

fn delta(d: Duration) -> TimeDelta {
    TimeDelta::from_std(d).unwrap_or(TimeDelta::MAX)
}

impl Job {
    pub fn new(org: &OrgId, new: NewJob, now: DateTime<Utc>) -> Self {
        Self {
            id: JobId::generate(),
            org_id: org.clone(),
            project_id: new.project_id,
            job_type: new.job_type,
            status: JobStatus::Pending,
            attempts: 0,
            max_attempts: new.job_type.max_attempts(),
            payload: new.payload,
            result: None,
            error: None,
            requested_by: new.requested_by,
            idempotency_key: new.idempotency_key,
            trace_id: new.trace_id,
            lease_owner: None,
            lease_expires_at: None,
            run_after: None,
            deadline: now + delta(new.job_type.deadline()),
            version: 1,
            created_at: now,
            updated_at: now,
            started_at: None,
            finished_at: None,
            region: None,
        }
    }

    /// The same job, keeping what it writes in `region`.
    pub fn in_region(mut self, region: Option<&Region>) -> Self {
        self.region = region.cloned();
        self
    }

    pub fn key(tenant: &TenantId, id: &JobId) -> Key {
        Key::tenant_collection(tenant, COLLECTION, id.to_string())
    }

    /// When the reconciler should look at this job; `None` once it is done.
    pub fn due_at(&self) -> Option<DateTime<Utc>> {
        match self.status {
            JobStatus::Pending => Some(self.run_after.unwrap_or(self.updated_at) + delta(PENDING_GRACE)),
            JobStatus::Running => self.lease_expires_at,
            _ => None,
        }
    }

    /// The stored item: active jobs carry the active-index key; a source's
    /// jobs are also filed under the source (second index).
    pub fn item(&self) -> Result<Item, DomainError> {
        let mut item = Item::new(Self::key(&TenantId::acting_for(&self.org_id), &self.id), self.version, self)?;
        if let Some(due) = self.due_at() {
            item = item.with_index(IndexKey { pk: active_partition(&self.id), sk: due_sort_key(due, self) });
        }
        if let Some(source) = self.source_id() {
            let pk = Partition::tenant_collection(&TenantId::acting_for(&self.org_id), &source_jobs(&source));
            item = item.with_index_on(Index::Gsi2, IndexKey { pk, sk: self.id.to_string() });
        }
        Ok(item)
    }

    /// The source a `run_source` or `test_source` job is for.
    pub fn source_id(&self) -> Option<SourceId> {
        self.payload.get("source_id").and_then(|v| v.as_str()).and_then(|s| SourceId::parse(s).ok())
    }

    /// A source's jobs, newest first.
    pub fn source_query(tenant: &TenantId, source: &SourceId) -> Query {
        let partition = Partition::tenant_collection(tenant, &source_jobs(source));
        Query::new(partition, SortKey::BeginsWith(format!("{}_", JobId::PREFIX))).on_index(Index::Gsi2).descending(true)
    }

    /// Active jobs of one shard due at or before `now`, most overdue first.
    pub fn due_query(shard: u32, now: DateTime<Utc>) -> Query {
        let high = format!("{:013}~", now.timestamp_millis().max(0));
        // DynamoDB refuses an empty bound; due keys start with 13 digits.
        let low = "0".repeat(13);
        Query::new(Partition::active_jobs(shard), SortKey::Between(low, high)).on_index(Index::Gsi1)
    }

    /// The org's jobs created in `[from, to]` (either open), newest first:
    /// a key range, because job ids sort by creation time.
    pub fn list_query(tenant: &TenantId, from: Option<DateTime<Utc>>, to: Option<DateTime<Utc>>) -> Query {
        let partition = Partition::tenant_collection(tenant, COLLECTION);
        let sort = match (from, to) {
            (None, None) => SortKey::BeginsWith(format!("{}_", JobId::PREFIX)),
            (from, to) => {
                let bound = |at: Option<DateTime<Utc>>, random: u128, default: u64| {
                    let ms = at.map_or(default, |t| u64::try_from(t.timestamp_millis()).unwrap_or(0));
                    let ulid = ulid::Ulid::from_parts(ms.min(MAX_ULID_MS), random);
                    format!("{}_{}", JobId::PREFIX, ulid.to_string().to_lowercase())
                };
                SortKey::Between(bound(from, 0, 0), bound(to, u128::MAX, MAX_ULID_MS))
            }
        };
        Query::new(partition, sort).descending(true)
    }

    /// A failed job made pending again, with a fresh count of attempts and
    /// a fresh deadline.
    pub fn retried(&self, trace_id: &str, now: DateTime<Utc>) -> Job {
        let mut next = self.clone();
        next.status = JobStatus::Pending;
        next.attempts = 0;
        next.error = None;
        next.result = None;
        next.run_after = None;
        next.started_at = None;
        next.finished_at = None;
        next.trace_id = trace_id.to_owned();
        next.deadline = now + delta(self.job_type.deadline());
        next.updated_at = now;
        next.version += 1;
        next
    }

    /// A pending job that will not run.
    pub fn cancelled(&self, now: DateTime<Utc>) -> Job {
        let mut next = self.clone();
        next.status = JobStatus::Cancelled;
        next.run_after = None;
        next.finished_at = Some(now);
        next.updated_at = now;
        next.version += 1;
        next
    }

    /// The delay before this job's next attempt, after `attempts` ran.
    /// Webhook deliveries follow [`WEBHOOK_SCHEDULE`] with a jitter fixed by
    /// the job and attempt (so the delivery log can show it in advance).
    pub fn retry_delay(&self, attempts: u32) -> Duration {
        match self.job_type {
            JobType::DeliverWebhook => {
                let base = WEBHOOK_SCHEDULE[(attempts as usize).min(WEBHOOK_SCHEDULE.len() - 1)];
                let seed = crate::base::digest::sha256_bytes(format!("{}#{attempts}", self.id).as_bytes());
                base.mul_f64(0.9 + f64::from(seed[0]) / 255.0 * 0.2)
            }
            _ => Self::backoff(attempts),
        }
    }

    /// The delay before retry number `attempt` (1 = the first retry).
    pub fn backoff(attempt: u32) -> Duration {
        let exponential = BACKOFF_BASE.saturating_mul(2u32.saturating_pow(attempt.saturating_sub(1)));
        let capped = exponential.min(BACKOFF_CAP);
        capped.mul_f64(rand::random_range(0.5..=1.0))
    }
}

fn source_jobs(source: &SourceId) -> String {
    format!("SOURCEJOBS#{source}")
}

fn active_partition(id: &JobId) -> Partition {
    let shard = id.as_str().bytes().fold(0u32, |h, b| h.wrapping_mul(31).wrapping_add(u32::from(b)));
    Partition::active_jobs(shard % ACTIVE_SHARDS)
}

fn due_sort_key(due: DateTime<Utc>, job: &Job) -> String {
    format!("{:013}#{}#{}", due.timestamp_millis().max(0), job.org_id, job.id)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn job() -> Job {
        let new = NewJob {
            project_id: None,
            job_type: JobType::ProvisionProject,
            payload: serde_json::json!({}),
            requested_by: "u".into(),
            idempotency_key: None,
            trace_id: "req_1".into(),
        };
        Job::new(&OrgId::generate(), new, Utc::now())
    }

    #[test]
    fn a_time_range_is_a_key_range_over_job_ids() {
        let now = Utc::now();
        let job = job();
        let SortKey::Between(low, high) =
            Job::list_query(&TenantId::acting_for(&job.org_id), Some(now - TimeDelta::seconds(5)), None).sort
        else {
            panic!("a range")
        };
        assert!(low.as_str() <= job.id.as_str() && job.id.as_str() <= high.as_str(), "{low} {} {high}", job.id);
        let SortKey::Between(_, before) =
            Job::list_query(&TenantId::acting_for(&job.org_id), None, Some(now - TimeDelta::seconds(5))).sort
        else {
            panic!("a range")
        };
        assert!(job.id.as_str() > before.as_str(), "created after `to`");
    }

    #[test]
    fn backoff_grows_exponentially_with_jitter_up_to_the_cap() {
        for attempt in 1..=4 {
            let full = BACKOFF_BASE * 2u32.pow(attempt - 1);
            let d = Job::backoff(attempt);
            assert!(d >= full / 2 && d <= full, "attempt {attempt}: {d:?}");
        }
        assert!(Job::backoff(40) <= BACKOFF_CAP);
        assert!(Job::backoff(40) >= BACKOFF_CAP / 2);
    }

    #[test]
    fn only_active_jobs_are_in_the_due_index() {
        let mut job = job();
        let pending = job.item().unwrap();
        assert!(pending.indexes[0].is_some());
        job.status = JobStatus::Running;
        job.lease_expires_at = Some(Utc::now());
        assert!(job.item().unwrap().indexes[0].is_some());
        job.status = JobStatus::Completed;
        assert!(job.item().unwrap().indexes[0].is_none());
    }

    #[test]
    fn due_keys_sort_by_time_and_the_due_query_stops_at_now() {
        let mut job = job();
        let now = Utc::now();
        job.run_after = Some(now - TimeDelta::minutes(5));
        let sk = job.item().unwrap().indexes[0].clone().unwrap().sk;
        let SortKey::Between(_, high) = Job::due_query(0, now).sort else { panic!("a range") };
        assert!(sk <= high, "overdue by 4 min: {sk} <= {high}");
        job.run_after = Some(now);
        let not_due = job.item().unwrap().indexes[0].clone().unwrap().sk;
        assert!(not_due > high, "due in 60 s: {not_due} > {high}");
    }
}
