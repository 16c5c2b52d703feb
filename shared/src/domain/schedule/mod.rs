//! Schedules of sources: their cadences (cron or rate, in IANA time zones)
//! and the tick that starts due runs. The `scheduler` function's
//! EventBridge rule ticks it every minute (locally, a background loop).
//! Each tick reads the due-time index of schedules (sharded by schedule),
//! and for each due, enabled schedule commits in one transaction: the
//! schedule advanced to its next slot (checked against the version read),
//! a marker for the slot (must not exist), the `run_source` job (its
//! idempotency key `(schedule_id, slot)`) and its audit event. Two ticks
//! that overlap, or a tick retried after a crash, find the version moved or
//! the marker there: a slot runs once. Then the job's message is sent (a
//! lost message is re-sent by the reconciler).
//!
//! A slot missed while nothing ticked runs once, late; the slots after it
//! that are already past are skipped. A paused source's slots pass without
//! a run; a deleted source's schedule is disabled.

pub mod cadence;
pub mod zone;

use crate::base::error::DomainError;
use crate::base::tenant::TenantId;
use crate::domain::audit::{AuditEvent, Target, chain};
use crate::domain::job::{Job, JobType};
use crate::domain::source::Source;
use crate::domain::source::run::{ScheduledSlot, source_job};
use crate::domain::source::schedule::{SHARDS, Schedule};
use crate::ports::queue::DynQueue;
use crate::ports::store::{Condition, DynStore, Item, StoreError, WriteOp};
use chrono::{DateTime, TimeDelta, Utc};
use serde::Serialize;
use serde_json::json;

pub use cadence::{Cadence, CadenceError};

/// Due schedules read per shard and page.
const PAGE: usize = 100;
/// How long a slot's marker is kept.
const MARKER_TTL: TimeDelta = TimeDelta::days(7);

#[derive(Debug, thiserror::Error)]
pub enum SchedulerError {
    #[error(transparent)]
    Store(#[from] StoreError),
    #[error("{0}")]
    Api(#[from] DomainError),
}

/// What one tick did.
#[derive(Debug, Default, Clone, PartialEq, Eq, Serialize)]
pub struct Ticked {
    /// Jobs started.
    pub fired: usize,
    /// Slots passed without a run (paused source).
    pub skipped: usize,
    /// Schedules disabled (their source is gone).
    pub disabled: usize,
    /// Slots another tick had already taken.
    pub lost: usize,
}

pub struct Scheduler {
    store: DynStore,
    queue: DynQueue,
}

enum Fired {
    Job(Box<Job>),
    Skipped,
    Disabled,
    Lost,
}

impl Scheduler {
    pub fn new(store: DynStore, queue: DynQueue) -> Self {
        Self { store, queue }
    }

    /// One pass over every shard's due schedules. The shards' due pages are
    /// read at once (one round trip's wait, not one per shard); each shard's
    /// schedules are then taken in turn.
    pub async fn tick(&self, now: DateTime<Utc>) -> Result<Ticked, SchedulerError> {
        let mut ticked = Ticked::default();
        let queries: Vec<_> = (0..SHARDS).map(|shard| Schedule::due_query(shard, now).limit(PAGE)).collect();
        for page in crate::ports::store::first_pages(self.store.as_ref(), &queries).await? {
            // The index is eventually consistent: read each schedule again.
            let keys: Vec<_> = page
                .items
                .iter()
                .filter_map(|item| item.parse::<Schedule>().ok())
                .flat_map(|s| {
                    [
                        Schedule::key(&TenantId::acting_for(&s.org_id), &s.id),
                        Source::key(&TenantId::acting_for(&s.org_id), &s.source_id),
                    ]
                })
                .collect();
            for pair in keys.chunks(crate::ports::store::MAX_BATCH_GET_KEYS) {
                let items = self.store.batch_get(pair).await?;
                for found in items.chunks(2) {
                    let [schedule, source] = found else { continue };
                    let Some(schedule) = schedule.as_ref().map(Item::parse::<Schedule>).transpose()? else { continue };
                    let source = source.as_ref().map(Item::parse::<Source>).transpose()?;
                    match self.fire(&schedule, source.as_ref(), now).await? {
                        Some(Fired::Job(job)) => {
                            ticked.fired += 1;
                            if let Err(error) = crate::domain::worker::enqueue(&self.queue, &job).await {
                                tracing::warn!(%error, job = %job.id, "scheduled job not sent; the reconciler re-sends it");
                            }
                        }
                        Some(Fired::Skipped) => ticked.skipped += 1,
                        Some(Fired::Disabled) => ticked.disabled += 1,
                        Some(Fired::Lost) => ticked.lost += 1,
                        None => {}
                    }
                }
            }
        }
        Ok(ticked)
    }

    /// Takes the schedule's due slot, if it still has one.
    async fn fire(
        &self,
        schedule: &Schedule,
        source: Option<&Source>,
        now: DateTime<Utc>,
    ) -> Result<Option<Fired>, SchedulerError> {
        let Some(slot) = schedule.next_run_at.filter(|at| schedule.enabled && *at <= now) else { return Ok(None) };
        let mut next = schedule.clone();
        next.version += 1;
        next.updated_at = now;
        let target = Target { kind: "schedule".into(), id: schedule.id.to_string() };
        let trace_id = format!("sched_{}", schedule.slot_key(slot));
        let event = |action: &str, metadata| {
            AuditEvent::by_system(&schedule.org_id, "scheduler", &trace_id, action, target.clone(), metadata)
                .for_project(&schedule.project_id)
        };
        let cadence = Cadence::parse(&schedule.cron, &schedule.timezone);
        let (Some(source), Ok(cadence)) = (source, cadence) else {
            // The source is gone (or the zone left the time zone database).
            next.enabled = false;
            next.next_run_at = None;
            let reason = if source.is_none() { "the source was deleted" } else { "the cadence no longer parses" };
            let ops = vec![WriteOp::put_if(next.item()?, Condition::VersionEquals(schedule.version))];
            let events = vec![event("schedule.disabled", json!({ "reason": reason }))];
            return self.commit(ops, events, Fired::Disabled).await;
        };
        next.next_run_at = cadence.next_after(slot.max(now));
        if !source.enabled {
            let ops = vec![WriteOp::put_if(next.item()?, Condition::VersionEquals(schedule.version))];
            return self.commit(ops, Vec::new(), Fired::Skipped).await;
        }
        next.last_run_at = Some(now);
        let at = ScheduledSlot { schedule_id: schedule.id.clone(), slot: slot.to_rfc3339() };
        let key = Some(schedule.slot_key(slot));
        let job = source_job(source, JobType::RunSource, &schedule.created_by, &trace_id, key, Some(at), now)?;
        let marker = Item::new(schedule.slot_marker(slot), 1, json!({ "job_id": job.id, "slot": slot }))?
            .expiring_at((now + MARKER_TTL).timestamp());
        let ops = vec![
            WriteOp::put_if(next.item()?, Condition::VersionEquals(schedule.version)),
            WriteOp::put_if(marker, Condition::NotExists),
            WriteOp::put_if(job.item()?, Condition::NotExists),
        ];
        let metadata = json!({ "schedule_id": schedule.id, "slot": slot, "job_id": job.id, "source_id": source.id });
        let events = vec![event("source.run_requested", metadata)];
        match chain::commit(self.store.as_ref(), ops, events).await {
            Ok(()) => Ok(Some(Fired::Job(Box::new(job)))),
            // The slot ran, yet the schedule still names it (it was turned off
            // and on at that slot): move on without running it again.
            Err(StoreError::ConditionFailed { index: 1 }) => {
                let ops = vec![WriteOp::put_if(next.item()?, Condition::VersionEquals(schedule.version))];
                self.commit(ops, Vec::new(), Fired::Skipped).await
            }
            Err(StoreError::ConditionFailed { .. } | StoreError::Conflict) => Ok(Some(Fired::Lost)),
            Err(other) => Err(other.into()),
        }
    }

    async fn commit(
        &self,
        ops: Vec<WriteOp>,
        events: Vec<AuditEvent>,
        fired: Fired,
    ) -> Result<Option<Fired>, SchedulerError> {
        match chain::commit(self.store.as_ref(), ops, events).await {
            Ok(()) => Ok(Some(fired)),
            // Another tick advanced the schedule or took the slot.
            Err(StoreError::ConditionFailed { .. } | StoreError::Conflict) => Ok(Some(Fired::Lost)),
            Err(other) => Err(other.into()),
        }
    }
}

#[cfg(test)]
mod tests {
    use std::sync::Arc;

    use crate::ports::queue::sqlite::SqliteQueue;
    use crate::ports::store::sqlite::SqliteStore;
    use crate::ports::store::tally::{Counting, counted};

    use super::*;

    #[tokio::test]
    async fn a_tick_reads_every_shard_in_one_round_trip() {
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("controlplane.db");
        let store = Counting::wrap(Arc::new(SqliteStore::open(&file).unwrap()));
        let scheduler = Scheduler::new(store, Arc::new(SqliteQueue::open(&file, "jobs", 5).unwrap()));

        let (ticked, counts) = counted(scheduler.tick(Utc::now())).await;
        assert_eq!(ticked.unwrap(), Ticked::default());
        assert_eq!((counts.reads, counts.round_trips), (SHARDS, 1), "{counts:?}");
    }
}
