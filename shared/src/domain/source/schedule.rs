//! Schedules: when a source runs by itself. The item holds the cadence
//! (`cron` or `rate(...)`, in `timezone`) and `next_run_at`; while enabled
//! it also sits in a sharded due-time index (`SCHEDQ#{shard}`, sorted by
//! `next_run_at`) that the `scheduler` function sweeps every minute.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::base::error::DomainError;
use crate::base::ids::{ProjectId, ScheduleId, SourceId};
use crate::base::tenant::{OrgId, TenantId};
use crate::ports::store::{Index, IndexKey, Item, Key, Partition, Query, SortKey};

pub const SCHEDULE_PREFIX: &str = "SCHEDULE#";
/// Partitions of the due-time index.
pub const SHARDS: u32 = 4;
/// Schedules one source may have.
pub const MAX_PER_SOURCE: usize = 10;

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct Schedule {
    pub id: ScheduleId,
    pub org_id: OrgId,
    pub source_id: SourceId,
    /// The source's project (keys reach the schedules of their project).
    pub project_id: ProjectId,
    /// Five fields (`minute hour day-of-month month day-of-week`) or
    /// `rate(N minutes|hours|days)`.
    pub cron: String,
    /// IANA zone the cron fields are read in (default `UTC`).
    pub timezone: String,
    pub enabled: bool,
    pub last_run_at: Option<DateTime<Utc>>,
    /// The next slot; `null` while disabled.
    pub next_run_at: Option<DateTime<Utc>>,
    pub created_by: String,
    pub version: u64,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

fn shard_of(id: &ScheduleId) -> u32 {
    id.as_str().bytes().fold(0u32, |h, b| h.wrapping_mul(31).wrapping_add(u32::from(b))) % SHARDS
}

fn due_partition(shard: u32) -> Partition {
    Partition::due_schedules(shard)
}

impl Schedule {
    pub fn key(tenant: &TenantId, id: &ScheduleId) -> Key {
        Key::tenant(tenant, format!("{SCHEDULE_PREFIX}{id}"))
    }

    /// The stored item; an enabled schedule carries its due-index key.
    pub fn item(&self) -> Result<Item, DomainError> {
        let item = Item::new(Self::key(&TenantId::acting_for(&self.org_id), &self.id), self.version, self)?;
        Ok(match (self.enabled, self.next_run_at) {
            (true, Some(next)) => {
                let sk = format!("{:013}#{}#{}", next.timestamp_millis().max(0), self.org_id, self.id);
                item.with_index(IndexKey { pk: due_partition(shard_of(&self.id)), sk })
            }
            _ => item,
        })
    }

    pub fn query(tenant: &TenantId) -> Query {
        Query::new(Partition::tenant(tenant), SortKey::BeginsWith(SCHEDULE_PREFIX.into()))
    }

    /// Enabled schedules of one shard due at or before `now`, most overdue first.
    pub fn due_query(shard: u32, now: DateTime<Utc>) -> Query {
        let high = format!("{:013}~", now.timestamp_millis().max(0));
        Query::new(due_partition(shard), SortKey::Between("0".repeat(13), high)).on_index(Index::Gsi1)
    }

    /// The idempotency key of the run for `slot`.
    pub fn slot_key(&self, slot: DateTime<Utc>) -> String {
        format!("{}:{}", self.id, slot.to_rfc3339_opts(chrono::SecondsFormat::Secs, true))
    }

    /// The marker written with a slot's job: a second run of the slot
    /// fails its not-exists condition. Kept a week.
    pub fn slot_marker(&self, slot: DateTime<Utc>) -> Key {
        Key::tenant_collection(
            &TenantId::acting_for(&self.org_id),
            &format!("SCHEDRUN#{}", self.id),
            slot.timestamp().to_string(),
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_enabled_schedules_with_a_next_slot_are_in_the_due_index() {
        let now = Utc::now();
        let mut schedule = Schedule {
            id: ScheduleId::generate(),
            org_id: OrgId::generate(),
            source_id: SourceId::generate(),
            project_id: ProjectId::generate(),
            cron: "*/5 * * * *".into(),
            timezone: "UTC".into(),
            enabled: true,
            last_run_at: None,
            next_run_at: Some(now),
            created_by: "u".into(),
            version: 1,
            created_at: now,
            updated_at: now,
        };
        let sk = schedule.item().unwrap().indexes[0].clone().expect("indexed").sk;
        let SortKey::Between(_, high) = Schedule::due_query(0, now).sort else { panic!("a range") };
        assert!(sk <= high);
        schedule.enabled = false;
        assert!(schedule.item().unwrap().indexes[0].is_none());
    }
}
