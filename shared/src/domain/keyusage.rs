//! API key usage: requests per day and route class, and when and from where
//! a key was last used.
//!
//! Counting must not add a store write to every request, so each process
//! batches: requests are tallied in memory and flushed as atomic increments
//! (plus one "last used" write per key) when [`FLUSH_EVERY_REQUESTS`] have
//! accumulated or the batch is older than the flush interval (10 s by
//! default). A process that stops loses at most one unflushed batch; usage is
//! therefore a floor, exact to within that.
//!
//! The same batch feeds each key's project's `api_requests` usage counter
//! (and marks the project for the scheduled limits check).

use std::collections::HashMap;
use std::sync::Mutex;
use std::time::{Duration, Instant};

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use crate::base::ids::{KeyId, ProjectId};
use crate::base::tenant::{OrgId, TenantId};
use crate::domain::ratelimit::RouteClass;
use crate::domain::usage::{self, CheckMark, Service};
use crate::ports::store::{Item, Key, Page, Partition, Query, SortKey, Store, StoreError, WriteOp};

pub const FLUSH_EVERY_REQUESTS: u64 = 100;
pub const DEFAULT_FLUSH_INTERVAL: Duration = Duration::from_secs(10);
/// How long daily counts are kept.
pub const RETENTION_DAYS: i64 = 90;

fn partition_name(key: &KeyId) -> String {
    format!("KEYUSE#{key}")
}

fn class_name(class: RouteClass) -> &'static str {
    match class {
        RouteClass::Read => "read",
        RouteClass::Write => "write",
    }
}

/// When and from where a key was last used.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct LastUse {
    pub at: DateTime<Utc>,
    pub ip: Option<String>,
}

/// Tallies not yet written.
#[derive(Debug, Default)]
pub struct Batch {
    counts: HashMap<(OrgId, KeyId, String, &'static str), u64>,
    last: HashMap<(OrgId, KeyId), LastUse>,
    projects: HashMap<(OrgId, ProjectId), u64>,
    requests: u64,
}

impl Batch {
    pub fn is_empty(&self) -> bool {
        self.requests == 0
    }

    /// Writes the batch: one increment per (key, day, class), one put per key.
    pub async fn flush(self, store: &dyn Store) -> Result<(), StoreError> {
        for ((org, key, day, class), count) in self.counts {
            let expires = chrono::NaiveDate::parse_from_str(&day, "%Y-%m-%d")
                .ok()
                .and_then(|d| d.and_hms_opt(0, 0, 0))
                .map(|d| d.and_utc().timestamp() + RETENTION_DAYS * 86_400);
            store.increment(&counter_key(&org, &key, &day, class), count, expires).await?;
        }
        for ((org, key), last) in self.last {
            let item = Item::new(last_use_key(&org, &key), 1, &last)?;
            store.transact(vec![WriteOp::put(item)]).await?;
        }
        let now = chrono::Utc::now();
        for ((org, project), count) in self.projects {
            let mut writes = usage::add_ops(&TenantId::acting_for(&org), &project, Service::ApiRequests, count, now);
            writes.push(CheckMark::write(&org, &project, now)?);
            store.transact(writes).await?;
        }
        Ok(())
    }
}

fn counter_key(org: &OrgId, key: &KeyId, day: &str, class: &str) -> Key {
    Key::tenant_collection(&TenantId::acting_for(org), &partition_name(key), format!("DAY#{day}#{class}"))
}

fn last_use_key(org: &OrgId, key: &KeyId) -> Key {
    Key::tenant_collection(&TenantId::acting_for(org), &partition_name(key), "LAST")
}

/// One process's tally of key requests.
pub struct KeyUsage {
    pending: Mutex<(Batch, Instant)>,
    flush_interval: Duration,
}

impl KeyUsage {
    pub fn new(flush_interval: Duration) -> Self {
        Self { pending: Mutex::new((Batch::default(), Instant::now())), flush_interval }
    }

    /// Counts one request; returns the batch to flush when one is due.
    pub fn record(
        &self,
        org: &OrgId,
        key: &KeyId,
        project: &ProjectId,
        class: RouteClass,
        at: DateTime<Utc>,
        ip: Option<String>,
    ) -> Option<Batch> {
        let mut pending = self.pending.lock().ok()?;
        let (batch, started) = &mut *pending;
        let day = at.format("%Y-%m-%d").to_string();
        *batch.counts.entry((org.clone(), key.clone(), day, class_name(class))).or_default() += 1;
        batch.last.insert((org.clone(), key.clone()), LastUse { at, ip });
        *batch.projects.entry((org.clone(), project.clone())).or_default() += 1;
        batch.requests += 1;
        let due = batch.requests >= FLUSH_EVERY_REQUESTS || started.elapsed() >= self.flush_interval;
        due.then(|| {
            *started = Instant::now();
            std::mem::take(batch)
        })
    }
}

/// One day of a key's usage.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct DayUsage {
    /// UTC date, `YYYY-MM-DD`.
    pub date: String,
    pub read: u64,
    pub write: u64,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct Usage {
    pub key_id: KeyId,
    pub last_used_at: Option<DateTime<Utc>>,
    pub last_used_ip: Option<String>,
    /// Newest first; days without requests are left out.
    pub days: Vec<DayUsage>,
}

/// Reads a key's usage: one query of its usage partition.
pub async fn read(store: &dyn Store, tenant: &TenantId, key: &KeyId, days: usize) -> Result<Usage, StoreError> {
    let page = store.query(&query(tenant, key, days)).await?;
    summarize(key, days, &page)
}

/// The one page holding a key's last use and its last `days` days.
pub fn query(tenant: &TenantId, key: &KeyId, days: usize) -> Query {
    Query::new(Partition::tenant_collection(tenant, &partition_name(key)), SortKey::Any)
        .descending(true)
        .limit(2 * days + 1)
}

/// The usage [`query`]'s page holds.
pub fn summarize(key: &KeyId, days: usize, page: &Page) -> Result<Usage, StoreError> {
    let mut usage = Usage { key_id: key.clone(), last_used_at: None, last_used_ip: None, days: Vec::new() };
    for item in &page.items {
        if item.key.sk() == "LAST" {
            let last: LastUse = item.parse()?;
            usage.last_used_at = Some(last.at);
            usage.last_used_ip = last.ip;
            continue;
        }
        let Some((date, class)) = item.key.sk().strip_prefix("DAY#").and_then(|rest| rest.split_once('#')) else {
            continue;
        };
        if usage.days.last().is_none_or(|d| d.date != date) {
            if usage.days.len() == days {
                break;
            }
            usage.days.push(DayUsage { date: date.to_owned(), read: 0, write: 0 });
        }
        if let Some(day) = usage.days.last_mut() {
            match class {
                "read" => day.read = item.version,
                _ => day.write = item.version,
            }
        }
    }
    Ok(usage)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ports::store::sqlite::SqliteStore;

    #[tokio::test]
    async fn requests_are_batched_and_flushed_as_daily_counts_per_class() {
        let (_dir, store) = SqliteStore::temporary();
        let (org, key, project) = (OrgId::generate(), KeyId::generate(), ProjectId::generate());
        let usage = KeyUsage::new(Duration::from_secs(3600));
        let at = Utc::now();
        let mut flushed = Vec::new();
        for n in 0..FLUSH_EVERY_REQUESTS {
            let class = if n % 4 == 0 { RouteClass::Write } else { RouteClass::Read };
            if let Some(batch) = usage.record(&org, &key, &project, class, at, Some("198.51.100.7".into())) {
                flushed.push(n);
                batch.flush(&store).await.unwrap();
            }
        }
        assert_eq!(flushed, vec![FLUSH_EVERY_REQUESTS - 1], "one write batch per 100 requests");
        let read = super::read(&store, &TenantId::acting_for(&org), &key, 30).await.unwrap();
        assert_eq!(read.days, vec![DayUsage { date: at.format("%Y-%m-%d").to_string(), read: 75, write: 25 }]);
        assert_eq!(read.last_used_ip.as_deref(), Some("198.51.100.7"));
        assert_eq!(read.last_used_at, Some(at));
        let totals = usage::month_totals(&store, &TenantId::acting_for(&org), &project, Utc::now()).await.unwrap();
        assert_eq!(totals[&Service::ApiRequests], FLUSH_EVERY_REQUESTS, "the project's api_requests");
    }

    #[test]
    fn a_batch_older_than_the_interval_is_due_at_the_next_request() {
        let usage = KeyUsage::new(Duration::ZERO);
        let due = usage.record(
            &OrgId::generate(),
            &KeyId::generate(),
            &ProjectId::generate(),
            RouteClass::Read,
            Utc::now(),
            None,
        );
        assert!(due.is_some_and(|b| !b.is_empty()));
    }
}
