//! The `rotate_key` job: finishes an API key rotation. A rotated-out token
//! is refused from the end of its grace period, and for a week after that
//! it is still recognised (401 `key_rotated` rather than `invalid_key`).
//! Then this job retires it for good: its hash leaves the key, its lookup
//! is deleted (not left to the table's lazy TTL), and
//! `key.rotation_completed` is audited. Enqueued by the rotation itself,
//! due when that week ends.

use crate::base::tenant::TenantId;
use async_trait::async_trait;
use chrono::{DateTime, TimeDelta, Utc};
use serde_json::json;

use crate::base::ids::KeyId;
use crate::base::tenant::TenantContext;
use crate::domain::apikey::StoredKey;
use crate::domain::audit::{AuditEvent, Target};
use crate::domain::job::{Job, JobType, NewJob};
use crate::domain::worker::{Done, Failure, JobHandler};
use crate::ports::store::{Condition, DynStore, Key, StoreError, WriteOp};

/// How long a rotated-out token is still recognised after its grace period.
pub const RECOGNISED_FOR: TimeDelta = TimeDelta::days(7);

/// The job that retires the tokens a rotation put on a grace period ending `grace_end`.
pub fn retire_job(ctx: &TenantContext, key: &StoredKey, grace_end: DateTime<Utc>, now: DateTime<Utc>) -> Job {
    let new = NewJob {
        project_id: Some(key.key.project_id.clone()),
        job_type: JobType::RotateKey,
        payload: json!({ "key_id": key.key.id, "retire_after": grace_end + RECOGNISED_FOR }),
        requested_by: ctx.principal().id().to_owned(),
        idempotency_key: Some(format!("rotate_key:{}:v{}", key.key.id, key.key.version)),
        trace_id: ctx.meta().request_id.clone(),
    };
    let mut job = Job::new(ctx.tenant().org(), new, now);
    job.run_after = Some(grace_end + RECOGNISED_FOR);
    // The job waits the week out; its deadline runs from when it is due.
    job.deadline += (grace_end + RECOGNISED_FOR - now).max(TimeDelta::zero());
    job
}

pub struct RetireRotatedTokens;

#[async_trait]
impl JobHandler for RetireRotatedTokens {
    async fn run(&self, job: &Job, store: &DynStore) -> Result<Done, Failure> {
        let key_id: KeyId = serde_json::from_value(job.payload["key_id"].clone())
            .map_err(|_| Failure::Permanent("the job names no key".into()))?;
        let item = store
            .batch_get(&[StoredKey::key(&TenantId::acting_for(&job.org_id), &key_id)])
            .await
            .map_err(|e: StoreError| Failure::Transient(e.to_string()))?
            .pop()
            .flatten();
        let Some(item) = item else {
            return Ok(Done { result: json!({ "retired": 0, "skipped": "the key was deleted" }), ..Done::default() });
        };
        let current: StoredKey = item.parse().map_err(|e| Failure::Permanent(e.to_string()))?;
        // The worker runs the job once it is due (`retire_after`), by its
        // own clock; the tokens are judged at that moment. Retiring one a
        // little early only changes its 401 from `key_rotated` to
        // `invalid_key`: it is refused either way.
        let due = job.payload["retire_after"].as_str().and_then(|t| t.parse::<DateTime<Utc>>().ok());
        let now = due.map_or_else(Utc::now, |due| due.max(Utc::now()));
        let (retired, kept): (Vec<_>, Vec<_>) = current
            .hashes
            .iter()
            .cloned()
            .partition(|h| h.valid_until.is_some_and(|until| until + RECOGNISED_FOR <= now));
        if retired.is_empty() {
            return Ok(Done { result: json!({ "retired": 0 }), ..Done::default() });
        }
        let mut next = current.clone();
        next.hashes = kept;
        if next.hashes.iter().all(|h| h.valid_until.is_none()) {
            next.key.previous_token_valid_until = None;
        }
        next.key.version += 1;
        next.key.updated_at = now;
        let item = next.item().map_err(|e| Failure::Permanent(e.to_string()))?;
        let mut writes = vec![WriteOp::put_if(item, Condition::VersionEquals(current.key.version))];
        writes.extend(retired.iter().map(|h| WriteOp::delete(Key::key_hash(&h.hash))));
        let target = Target { kind: "key".into(), id: key_id.to_string() };
        let event = AuditEvent::by_system(
            &job.org_id,
            "worker",
            &job.trace_id,
            "key.rotation_completed",
            target,
            json!({ "retired_tokens": retired.len() }),
        )
        .for_project(&next.key.project_id);
        Ok(Done { result: json!({ "retired": retired.len() }), writes, events: vec![event] })
    }
}
