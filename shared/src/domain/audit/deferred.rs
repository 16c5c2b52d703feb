//! Audit events too frequent to take turns on their org's chain head when
//! they happen: the MCP gateway's tool calls. Sixteen agents of one org
//! calling tools at once would otherwise queue on one item.
//!
//! A call's event is first kept alone: a pending record under a key of its
//! own (`T#{org}#AUDITPENDING`, sort key `AUDITPENDING#{event id}`, put only
//! if absent, so no two writers ever meet on it), also filed under a sharded
//! index partition (`AUDITQ#n`) the sweep reads. Sealing appends an org's
//! pending events to its chain in batches, oldest first: one transaction
//! per batch chains the events, deletes their records (each only if still
//! there) and adds the usage they count, so an event is chained and counted
//! exactly once, or not yet. A sealer that finds a record gone lost a race
//! to another and reads again.
//!
//! The publisher seals: on AWS when the table's stream shows a new record
//! (within about a second), and its sweep (the reconciler's tick) whatever
//! the stream left for a minute; locally, every second. Until then an event
//! is in no listing: the audit log lags the calls by that much, and a quota
//! counts the calls sealed.

use std::collections::BTreeSet;

use chrono::{DateTime, Timelike, Utc};
use serde::{Deserialize, Serialize};

use super::{AuditEvent, chain};
use crate::base::ids::{EventId, ProjectId};
use crate::base::tenant::{OrgId, TenantId};
use crate::domain::events::is_published;
use crate::domain::usage::{self, CheckMark, Service};
use crate::ports::store::{
    Condition, IndexKey, Item, Key, MAX_TRANSACTION_OPS, Partition, Query, SortKey, Store, StoreError, WriteOp,
};

const COLLECTION: &str = "AUDITPENDING";
/// Shards of the index the sweep reads.
pub const SHARDS: u32 = 4;
/// Pending records read per round of one org's sealing.
const PAGE: usize = 200;
/// Rounds of one org's sealing in one call: bounds its run time; what is
/// left waits for the next.
const ROUNDS: usize = 10;

/// What a sealed event counts in its project's usage.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Counted {
    pub project_id: ProjectId,
    pub service: Service,
    pub amount: u64,
}

/// One pending event, as recorded when it happened.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Pending {
    pub event: AuditEvent,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub usage: Option<Counted>,
}

fn shard_of(org: &OrgId) -> u32 {
    crate::base::digest::shard(org.as_str(), SHARDS)
}

fn partition(tenant: &TenantId) -> Partition {
    Partition::tenant_collection(tenant, COLLECTION)
}

fn key(tenant: &TenantId, id: &EventId) -> Key {
    Key::tenant_collection(tenant, COLLECTION, format!("{COLLECTION}#{id}"))
}

/// The write that keeps `event` (stamped with the time it happened) until
/// it is sealed, and what it counts.
pub fn record_op(event: &AuditEvent, usage: Option<Counted>) -> Result<WriteOp, StoreError> {
    let tenant = TenantId::acting_for(&event.org_id);
    let index = IndexKey { pk: Partition::audit_pending(shard_of(&event.org_id)), sk: event.id.to_string() };
    let pending = Pending { event: event.clone(), usage };
    let item = Item::new(key(&tenant, &event.id), 1, &pending)?.with_index(index);
    Ok(WriteOp::put_if(item, Condition::NotExists))
}

/// Keeps `event` until it is sealed: one put no other writer contends for.
pub async fn record(store: &dyn Store, event: &AuditEvent, usage: Option<Counted>) -> Result<(), StoreError> {
    store.transact(vec![record_op(event, usage)?]).await
}

/// The org whose pending record a stream record names; `None` for any
/// other item.
pub fn org_from_stream(pk: &str, sk: &str) -> Option<OrgId> {
    if !sk.starts_with(&format!("{COLLECTION}#")) {
        return None;
    }
    let org = pk.strip_prefix("T#")?.strip_suffix(&format!("#{COLLECTION}"))?;
    OrgId::parse(org).ok()
}

/// One shard's pending records written at or before `before`, oldest first.
pub fn due_query(shard: u32, before: DateTime<Utc>) -> Query {
    crate::domain::events::outbox::ids_through(Partition::audit_pending(shard), before)
}

/// The orgs with records written at or before `before`.
pub async fn due_orgs(store: &dyn Store, before: DateTime<Utc>) -> Result<BTreeSet<OrgId>, StoreError> {
    let queries: Vec<_> = (0..SHARDS).map(|shard| due_query(shard, before).limit(PAGE)).collect();
    let mut orgs = BTreeSet::new();
    for page in crate::ports::store::first_pages(store, &queries).await? {
        for item in page.items {
            match item.parse::<Pending>() {
                Ok(pending) => {
                    orgs.insert(pending.event.org_id);
                }
                Err(error) => tracing::error!(%error, pk = item.key.pk(), "audit: a pending record is unreadable"),
            }
        }
    }
    Ok(orgs)
}

/// A batch of pending records that seals in one transaction.
struct Batch {
    keys: Vec<Key>,
    events: Vec<AuditEvent>,
    /// Per project: the amount of each service it counts.
    usage: Vec<(ProjectId, Service, u64)>,
    /// The hour its events happened in: usage counters are per hour, and
    /// one hour's events touch each counter once.
    hour: DateTime<Utc>,
    ops: usize,
}

fn hour_of(at: DateTime<Utc>) -> DateTime<Utc> {
    at.with_minute(0).and_then(|t| t.with_second(0)).and_then(|t| t.with_nanosecond(0)).unwrap_or(at)
}

/// The operations a counted project adds to a batch: its hour, day and
/// month counters and its limits-check mark.
const OPS_PER_COUNTED: usize = 4;

impl Batch {
    fn new(hour: DateTime<Utc>) -> Self {
        // The chain's head and a new day's anchor.
        Self { keys: Vec::new(), events: Vec::new(), usage: Vec::new(), hour, ops: 2 }
    }

    /// The operations `pending` would add to this batch: `None` when it
    /// does not fit (another hour, or past one transaction).
    fn cost(&self, pending: &Pending) -> Option<usize> {
        if hour_of(pending.event.created_at) != self.hour {
            return None;
        }
        let published = usize::from(is_published(&pending.event.action));
        let new_counter = pending
            .usage
            .as_ref()
            .filter(|c| c.amount > 0)
            .is_some_and(|c| !self.usage.iter().any(|(p, s, _)| *p == c.project_id && *s == c.service));
        let cost = 2 + published + if new_counter { OPS_PER_COUNTED } else { 0 };
        (self.ops + cost <= MAX_TRANSACTION_OPS).then_some(cost)
    }

    fn add(&mut self, key: Key, pending: Pending, cost: usize) {
        self.ops += cost;
        if let Some(counted) = pending.usage.filter(|c| c.amount > 0) {
            match self.usage.iter_mut().find(|(p, s, _)| *p == counted.project_id && *s == counted.service) {
                Some((_, _, amount)) => *amount += counted.amount,
                None => self.usage.push((counted.project_id, counted.service, counted.amount)),
            }
        }
        self.keys.push(key);
        self.events.push(pending.event);
    }

    /// Its own writes (before the chain's): the records' deletes, each only
    /// if still there, then the usage counters and marks.
    fn own_ops(&self, org: &OrgId) -> Result<Vec<WriteOp>, StoreError> {
        let tenant = TenantId::acting_for(org);
        let mut ops: Vec<WriteOp> =
            self.keys.iter().map(|k| WriteOp::delete_if(k.clone(), Condition::Exists)).collect();
        for (project, service, amount) in &self.usage {
            ops.extend(usage::add_ops(&tenant, project, *service, *amount, self.hour));
            ops.push(CheckMark::write(org, project, crate::now())?);
        }
        Ok(ops)
    }
}

/// Splits `records` (oldest first) into batches that each seal in one
/// transaction.
fn batches(records: Vec<(Key, Pending)>) -> Vec<Batch> {
    let mut batches: Vec<Batch> = Vec::new();
    for (key, pending) in records {
        let fits = batches.last().and_then(|batch| batch.cost(&pending));
        match (fits, batches.last_mut()) {
            (Some(cost), Some(batch)) => batch.add(key, pending, cost),
            _ => {
                let mut batch = Batch::new(hour_of(pending.event.created_at));
                // A lone record always fits an empty batch of its hour.
                let cost = batch.cost(&pending).unwrap_or(MAX_TRANSACTION_OPS);
                batch.add(key, pending, cost);
                batches.push(batch);
            }
        }
    }
    batches
}

/// Seals `org`'s pending events into its chain; returns how many.
pub async fn seal(store: &dyn Store, org: &OrgId) -> Result<usize, StoreError> {
    let tenant = TenantId::acting_for(org);
    let query = Query::new(partition(&tenant), SortKey::Any).limit(PAGE);
    let mut sealed = 0;
    'rounds: for _ in 0..ROUNDS {
        let page = store.query(&query).await?;
        if page.items.is_empty() {
            break;
        }
        let more = page.next.is_some();
        let records = page
            .items
            .into_iter()
            .map(|item| Ok((item.key.clone(), item.parse()?)))
            .collect::<Result<Vec<_>, StoreError>>()?;
        for batch in batches(records) {
            let count = batch.events.len();
            match chain::commit(store, batch.own_ops(org)?, batch.events).await {
                Ok(()) => sealed += count,
                // Another sealer took a record first: read what is left.
                Err(StoreError::ConditionFailed { .. }) => continue 'rounds,
                Err(other) => return Err(other),
            }
        }
        if !more {
            break;
        }
    }
    Ok(sealed)
}

/// Seals every org with records written at or before `before`. One org
/// that cannot be sealed (its store calls failing, a damaged record) is
/// logged and left for the next sweep; the others are sealed.
pub async fn sweep(store: &dyn Store, before: DateTime<Utc>) -> Result<usize, StoreError> {
    let mut sealed = 0;
    for org in due_orgs(store, before).await? {
        match seal(store, &org).await {
            Ok(count) => sealed += count,
            Err(error) => tracing::error!(%error, %org, "audit: pending events not sealed; the next sweep retries"),
        }
    }
    Ok(sealed)
}

#[cfg(test)]
mod tests {
    use std::sync::Arc;

    use serde_json::json;

    use super::*;
    use crate::domain::audit::Target;
    use crate::domain::audit::filter::Filter;
    use crate::domain::audit::verify::Verifier;
    use crate::ports::store::sqlite::SqliteStore;

    fn store() -> (tempfile::TempDir, Arc<SqliteStore>) {
        let (dir, store) = SqliteStore::temporary();
        (dir, Arc::new(store))
    }

    fn call(org: &OrgId, at: DateTime<Utc>) -> AuditEvent {
        let target = Target { kind: "mcp_tool".into(), id: "projects_get".into() };
        let mut event = AuditEvent::by_system(org, "test", "trace", "mcp.call", target, json!({"outcome": "ok"}));
        event.created_at = at;
        event.id = EventId::from_ulid(ulid::Ulid::from_datetime(at.into()));
        event
    }

    fn counted(project: &ProjectId) -> Option<Counted> {
        Some(Counted { project_id: project.clone(), service: Service::McpCalls, amount: 1 })
    }

    /// How many events of `org`'s chain verify (`None` when it breaks).
    async fn verified(store: &dyn Store, org: &OrgId) -> Option<u64> {
        let tenant = TenantId::acting_for(org);
        let query = Verifier::query(&tenant, &Filter::default(), None);
        let first = store.query(&query).await.unwrap();
        let head = store.batch_get(&[chain::Head::key(&tenant)]).await.unwrap().remove(0);
        let (report, _) = Verifier::new(store, &tenant).run(head.as_ref(), query, first, 10_000).await.unwrap();
        report.ok.then_some(report.checked)
    }

    async fn chained(store: &dyn Store, org: &OrgId) -> Vec<AuditEvent> {
        let items = store.query(&AuditEvent::query(&TenantId::acting_for(org))).await.unwrap().items;
        items.iter().map(|i| i.parse().unwrap()).collect()
    }

    #[tokio::test]
    async fn sealing_chains_each_pending_event_once_and_counts_its_usage_once() {
        let (_dir, store) = store();
        let org = OrgId::generate();
        let project = ProjectId::generate();
        let now = crate::now();
        for _ in 0..5 {
            record(store.as_ref(), &call(&org, now), counted(&project)).await.unwrap();
        }
        assert!(chained(store.as_ref(), &org).await.is_empty(), "pending events are in no listing yet");
        assert_eq!(due_orgs(store.as_ref(), now).await.unwrap(), BTreeSet::from([org.clone()]));

        assert_eq!(seal(store.as_ref(), &org).await.unwrap(), 5);
        assert_eq!(seal(store.as_ref(), &org).await.unwrap(), 0, "sealing again finds nothing");
        assert!(due_orgs(store.as_ref(), now).await.unwrap().is_empty());
        let events = chained(store.as_ref(), &org).await;
        assert_eq!(events.len(), 5);
        assert_eq!(verified(store.as_ref(), &org).await, Some(5), "the sealed events are links of the chain");
        let tenant = TenantId::acting_for(&org);
        let totals = usage::month_totals(store.as_ref(), &tenant, &project, now).await.unwrap();
        assert_eq!(totals.get(&Service::McpCalls), Some(&5));
    }

    #[tokio::test]
    async fn concurrent_sealers_chain_every_event_exactly_once() {
        let (_dir, store) = store();
        let org = OrgId::generate();
        let project = ProjectId::generate();
        let now = crate::now();
        for _ in 0..120 {
            record(store.as_ref(), &call(&org, now), counted(&project)).await.unwrap();
        }
        let sealers = (0..4).map(|_| {
            let store = Arc::clone(&store);
            let org = org.clone();
            tokio::spawn(async move { seal(store.as_ref(), &org).await.unwrap() })
        });
        let sealed: usize = futures_util::future::join_all(sealers).await.into_iter().map(Result::unwrap).sum();
        assert_eq!(sealed, 120);
        assert_eq!(verified(store.as_ref(), &org).await, Some(120));
        let tenant = TenantId::acting_for(&org);
        let totals = usage::month_totals(store.as_ref(), &tenant, &project, now).await.unwrap();
        assert_eq!(totals.get(&Service::McpCalls), Some(&120));
    }

    #[tokio::test]
    async fn a_damaged_record_holds_up_its_own_org_only() {
        let (_dir, store) = store();
        let (damaged, healthy) = (OrgId::generate(), OrgId::generate());
        let now = crate::now();
        let event = call(&damaged, now);
        let index = IndexKey { pk: Partition::audit_pending(shard_of(&damaged)), sk: event.id.to_string() };
        let garbage = Item::new(key(&TenantId::acting_for(&damaged), &event.id), 1, json!({"not": "a record"}))
            .unwrap()
            .with_index(index);
        store.transact(vec![WriteOp::put(garbage)]).await.unwrap();
        record(store.as_ref(), &call(&healthy, now), None).await.unwrap();
        assert_eq!(sweep(store.as_ref(), now).await.unwrap(), 1);
        assert_eq!(verified(store.as_ref(), &healthy).await, Some(1));
    }

    #[test]
    fn a_batch_fits_one_transaction_and_one_hour() {
        let org = OrgId::generate();
        let now = hour_of(crate::now()) + chrono::TimeDelta::minutes(30);
        let tenant = TenantId::acting_for(&org);
        // Every record counts for another project: the costliest mix.
        let records: Vec<_> = (0..60)
            .map(|i| {
                let at = if i < 50 { now } else { now + chrono::TimeDelta::hours(1) };
                let event = call(&org, at);
                (key(&tenant, &event.id), Pending { event, usage: counted(&ProjectId::generate()) })
            })
            .collect();
        let batches = batches(records);
        assert_eq!(batches.iter().map(|b| b.events.len()).sum::<usize>(), 60);
        for batch in &batches {
            let ops = batch.own_ops(&org).unwrap().len() + batch.events.len() + 2;
            assert!(ops <= MAX_TRANSACTION_OPS, "{ops} operations");
            assert!(batch.events.iter().all(|e| hour_of(e.created_at) == batch.hour));
        }
        assert!(batches.len() >= 2 + 50 * 6 / MAX_TRANSACTION_OPS, "{} batches", batches.len());
    }

    #[test]
    fn a_stream_record_names_the_org_of_a_pending_record_only() {
        let org = OrgId::generate();
        let event = call(&org, crate::now());
        let key = key(&TenantId::acting_for(&org), &event.id);
        assert_eq!(org_from_stream(key.pk(), key.sk()), Some(org.clone()));
        assert_eq!(org_from_stream(&format!("T#{org}#OUTBOX"), &format!("OUTBOX#{}", event.id)), None);
    }
}
