//! Usage limits in the background: the scheduled sweep turns each project
//! marked as due (its usage or quotas changed) into a `check_usage_limits`
//! job, and that job emits the quota warnings the month's usage has
//! reached and nobody emitted yet — so warnings appear even when no one
//! calls `/v1/usage/check`, and after a quota is lowered under the usage.

use crate::base::tenant::TenantId;
use async_trait::async_trait;
use chrono::{DateTime, Utc};
use serde_json::json;

use crate::domain::job::{Job, JobType, NewJob};
use crate::domain::usage::{self, CHECK_SHARDS, CheckMark, Quotas, Service, Standing};
use crate::domain::worker::{Done, Failure, JobHandler, WorkerError, enqueue};
use crate::ports::queue::DynQueue;
use crate::ports::store::{Condition, DynStore, StoreError, WriteOp};

/// Turns due marks into jobs (the marks' shards read at once); returns how
/// many it created. A mark changed since it was read stays for the next
/// pass, so concurrent sweeps create one job per mark.
pub async fn sweep(store: &DynStore, queue: &DynQueue, now: DateTime<Utc>) -> Result<usize, WorkerError> {
    const PER_SHARD: usize = 100;
    let mut created = 0;
    let queries: Vec<_> = (0..CHECK_SHARDS).map(|shard| CheckMark::query(shard).limit(PER_SHARD)).collect();
    for page in crate::ports::store::first_pages(store.as_ref(), &queries).await? {
        for item in page.items {
            let mark: CheckMark = item.parse()?;
            let new = NewJob {
                project_id: Some(mark.project_id.clone()),
                job_type: JobType::CheckUsageLimits,
                payload: json!({ "project_id": mark.project_id }),
                requested_by: "system".into(),
                idempotency_key: Some(format!(
                    "check_usage_limits:{}:{}",
                    mark.project_id,
                    mark.marked_at.timestamp_millis()
                )),
                trace_id: format!("sweep-{}", now.timestamp()),
            };
            let job = Job::new(&mark.org_id, new, now);
            match store.transact(vec![mark.clear(), WriteOp::put_if(job.item()?, Condition::NotExists)]).await {
                Ok(()) => {}
                Err(StoreError::ConditionFailed { .. }) => continue,
                Err(e) => return Err(e.into()),
            }
            created += 1;
            enqueue(queue, &job).await?;
        }
    }
    Ok(created)
}

/// The `check_usage_limits` job.
pub struct CheckUsageLimits;

#[async_trait]
impl JobHandler for CheckUsageLimits {
    async fn run(&self, job: &Job, store: &DynStore) -> Result<Done, Failure> {
        let project = job.project_id.as_ref().ok_or_else(|| Failure::Permanent("the job names no project".into()))?;
        let transient = |e: StoreError| Failure::Transient(e.to_string());
        let now = Utc::now();
        let quota_item =
            store.batch_get(&[Quotas::key(&TenantId::acting_for(&job.org_id), project)]).await.map_err(transient)?;
        let quotas = Quotas::from_item(project, quota_item[0].as_ref()).map_err(transient)?;
        let totals = usage::month_totals(store.as_ref(), &TenantId::acting_for(&job.org_id), project, now)
            .await
            .map_err(transient)?;
        let mut done = Done::default();
        let mut levels = serde_json::Map::new();
        for service in Service::ALL {
            let used = totals.get(&service).copied().unwrap_or(0);
            let limit = quotas.of(service).monthly_limit;
            levels.insert(service.as_str().into(), json!(usage::level(used, limit)));
            let standing = Standing { org: &job.org_id, project, service, used, limit, at: now };
            let pending = usage::pending_warnings(store.as_ref(), &standing, &job.trace_id).await.map_err(transient)?;
            for (marker, event) in pending {
                done.writes.push(marker);
                done.events.push(event);
            }
        }
        done.result = json!({ "levels": levels, "emitted": done.events.len() });
        Ok(done)
    }
}
