//! Each org's audit events form a hash chain. The chain's head (last
//! sequence number, hash and id) is one item, version-checked in the same
//! transaction as the events it appends, so events commit in one total
//! order per org: each stores its sequence number, the hash of the event
//! before it and its own hash. Event ids are made to sort in that order, so
//! listing by id is listing by sequence.
//!
//! Retention: events expire (TTL) a whole UTC day at a time, `retention`
//! days after the day they were written. The first event of each day
//! writes an anchor that never expires: the sequence number, hash and
//! expiry of the event before it. Once older days expire, the chain still
//! verifies from the oldest day kept: its anchor vouches for the link.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use chrono::{DateTime, NaiveDate, TimeDelta, Utc};
use serde::{Deserialize, Serialize};
use serde_json::Value;

use super::AuditEvent;
use crate::base::digest::sha256_hex;
use crate::base::ids::EventId;
use crate::base::redact::Redactor;
use crate::base::tenant::{OrgId, TenantId};
use crate::domain::events::{DomainEvent, outbox};
use crate::domain::minimize;
use crate::domain::org::Org;
use crate::ports::store::{Condition, Index, IndexKey, Item, Key, Partition, Store, StoreError, WriteOp};

/// The `prev_hash` of an org's first event.
pub const GENESIS: &str = "0000000000000000000000000000000000000000000000000000000000000000";
/// How long events are kept when the org sets no retention.
pub const DEFAULT_RETENTION_DAYS: u32 = 365;
/// How long appending keeps retrying while concurrent writers move the
/// head: a request must not fail because another wrote at the same time,
/// and this stays well inside a function's 10 s timeout.
const RETRY_BUDGET: Duration = Duration::from_secs(6);
/// Attempts made whatever the time they take (a slow store's single
/// attempt can outlast the budget).
const MIN_ATTEMPTS: u32 = 12;
/// The longest pause between two attempts (full jitter below it, doubling
/// from 2 ms), so writers in several processes spread out instead of
/// colliding again round after round.
const MAX_BACKOFF_MS: u64 = 256;

/// One turn per org at a time within a process: appends to the same chain
/// from one process wait for each other instead of colliding on its head
/// (each collision is a transaction spent for nothing); appends from other
/// processes still race, and are retried.
static TURNS: Mutex<Option<HashMap<TenantId, Arc<tokio::sync::Mutex<()>>>>> = Mutex::new(None);

async fn take_turn(tenant: &TenantId) -> Option<tokio::sync::OwnedMutexGuard<()>> {
    let turn = {
        let mut turns = TURNS.lock().ok()?;
        let turns = turns.get_or_insert_with(HashMap::new);
        // Forget the orgs nobody is appending to, so the map stays small.
        turns.retain(|_, turn| Arc::strong_count(turn) > 1);
        Arc::clone(turns.entry(tenant.clone()).or_default())
    };
    Some(turn.lock_owned().await)
}

/// The chain's head: where the next event attaches.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Head {
    pub seq: u64,
    pub hash: String,
    pub last_id: Option<EventId>,
    pub last_day: Option<NaiveDate>,
    /// When the last event expires (epoch seconds).
    pub last_expires_at: Option<i64>,
}

impl Head {
    pub fn key(tenant: &TenantId) -> Key {
        Key::tenant(tenant, "AUDITCHAIN")
    }

    /// The stored head and its version (`None` before the org's first event).
    pub async fn read(store: &dyn Store, tenant: &TenantId) -> Result<Option<(Head, u64)>, StoreError> {
        let found = store.batch_get(&[Self::key(tenant)]).await?.remove(0);
        found.map(|item| Ok((item.parse()?, item.version))).transpose()
    }
}

/// The chain's state just before the first event of `day`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct Anchor {
    pub day: NaiveDate,
    /// The sequence number and hash of the last event before `day`.
    pub seq: u64,
    pub hash: String,
    /// When that event expires (epoch seconds).
    pub expires_at: Option<i64>,
}

impl Anchor {
    pub const PARTITION: &str = "AUDITANCHOR";

    pub fn key(tenant: &TenantId, day: NaiveDate) -> Key {
        Key::tenant_collection(tenant, Self::PARTITION, day.to_string())
    }
}

/// Heads read ahead: a write request reads its org's head in the batch
/// that checks its credential (`auth::Caller`), and a commit leaves the
/// head it wrote, so the commit after need not read it again. Like any read
/// the head is version-checked at commit: a stale one costs a retry only.
static AHEAD: Mutex<Option<HashMap<TenantId, Ahead>>> = Mutex::new(None);
/// How long a head read ahead is used.
const AHEAD_FOR: Duration = Duration::from_secs(10);
const AHEAD_CAPACITY: usize = 1_000;

struct Ahead {
    head: Option<(Head, u64)>,
    retention: u32,
    /// The org's data policy: what events' metadata keeps.
    redactor: Arc<Redactor>,
    at: Instant,
}

impl Ahead {
    /// From the org's stored head item (`None` before its first event), its
    /// org item (which sets the retention) and its data policy, read now.
    fn of(head: Option<&Item>, org: Option<&Item>, redactor: Arc<Redactor>) -> Result<Self, StoreError> {
        let head = head.map(|item| Ok::<_, StoreError>((item.parse::<Head>()?, item.version))).transpose()?;
        Ok(Self { head, retention: retention_of(org), redactor, at: Instant::now() })
    }
}

/// Keeps `head`, the retention `org` sets and the org's data policy, read
/// at once, for the org's next commit.
pub fn read_ahead(
    tenant: &TenantId,
    head: Option<&Item>,
    org: Option<&Item>,
    redactor: Arc<Redactor>,
) -> Result<(), StoreError> {
    remember(tenant, Ahead::of(head, org, redactor)?);
    Ok(())
}

/// Forgets what was read ahead for `tenant`: its next commit reads afresh
/// (after a change to what [`Ahead`] holds besides the head).
pub fn forget_ahead(tenant: &TenantId) {
    let _ = take_ahead(tenant);
}

fn remember(tenant: &TenantId, ahead: Ahead) {
    let Ok(mut all) = AHEAD.lock() else { return };
    let all = all.get_or_insert_with(HashMap::new);
    if all.len() >= AHEAD_CAPACITY {
        all.clear();
    }
    all.insert(tenant.clone(), ahead);
}

fn take_ahead(tenant: &TenantId) -> Option<Ahead> {
    let ahead = AHEAD.lock().ok()?.as_mut()?.remove(tenant)?;
    (ahead.at.elapsed() < AHEAD_FOR).then_some(ahead)
}

fn retention_of(org: Option<&Item>) -> u32 {
    org.and_then(|item| item.data.get("audit_retention_days").and_then(Value::as_u64))
        .map_or(DEFAULT_RETENTION_DAYS, |days| days as u32)
}

/// Commits `ops` and appends `events` (all of one org) to the org's chain,
/// in one transaction. A failed condition of one of `ops` is returned with
/// its index; a moved head is retried with the events re-stamped.
pub async fn commit(store: &dyn Store, ops: Vec<WriteOp>, events: Vec<AuditEvent>) -> Result<(), StoreError> {
    commit_at(store, ops, events, crate::now).await
}

/// [`commit`] with the events stamped at `clock()` (tests write past days).
pub async fn commit_at(
    store: &dyn Store,
    ops: Vec<WriteOp>,
    mut events: Vec<AuditEvent>,
    clock: impl Fn() -> DateTime<Utc>,
) -> Result<(), StoreError> {
    let Some(org) = events.first().map(|e| e.org_id.clone()) else {
        return store.transact(ops).await;
    };
    if events.iter().any(|e| e.org_id != org) {
        return Err(StoreError::Invalid("one transaction's audit events belong to one org".into()));
    }
    let own = ops.len();
    // The org the events were recorded in: the chain they extend is its.
    let tenant = TenantId::acting_for(&org);
    let _turn = take_turn(&tenant).await;
    let mut ahead = take_ahead(&tenant);
    let deadline = Instant::now() + RETRY_BUDGET;
    for attempt in 0u32.. {
        let Ahead { head: stored, retention, redactor, .. } = match ahead.take() {
            Some(ahead) => ahead,
            None => {
                let found = store.batch_get(&[Head::key(&tenant), Org::key(&tenant), minimize::key(&tenant)]).await?;
                let redactor = minimize::redactor_of(&org, found[2].as_ref())
                    .map_err(|e| StoreError::Invalid(format!("the org's data policy: {e}")))?;
                Ahead::of(found[0].as_ref(), found[1].as_ref(), redactor)?
            }
        };
        // Events made outside a request (workers, the gateway's sealed
        // calls) meet the org's policy here; a request's were minimized
        // when made, and minimizing twice changes nothing.
        for event in &mut events {
            event.metadata = redactor.value(std::mem::take(&mut event.metadata));
        }
        let (head, head_condition) = match &stored {
            Some((head, version)) => (head.clone(), Condition::VersionEquals(*version)),
            None => (Head { hash: GENESIS.into(), ..Head::default() }, Condition::NotExists),
        };
        let version = stored.as_ref().map_or(1, |(_, version)| version + 1);
        let (chain_ops, next) = append(&org, &head, version, head_condition, &mut events, retention, clock())?;
        let mut all = ops.clone();
        all.extend(chain_ops);
        match store.transact(all).await {
            Ok(()) => {
                remember(&tenant, Ahead { head: Some((next, version)), retention, redactor, at: Instant::now() });
                return Ok(());
            }
            Err(StoreError::ConditionFailed { index }) if index < own => {
                return Err(StoreError::ConditionFailed { index });
            }
            Err(StoreError::ConditionFailed { .. } | StoreError::Conflict)
                if attempt + 1 < MIN_ATTEMPTS || Instant::now() < deadline =>
            {
                let cap = (2u64 << attempt.min(7)).min(MAX_BACKOFF_MS);
                tokio::time::sleep(Duration::from_millis(rand::random_range(0..=cap))).await;
            }
            Err(StoreError::ConditionFailed { .. }) => return Err(StoreError::Conflict),
            Err(other) => return Err(other),
        }
    }
    Err(StoreError::Conflict)
}

/// Stamps `events` as the next links after `head` (id, time, sequence,
/// hashes) and returns the writes that append them: each event (with its
/// outbox item when it is published), an anchor when a new day starts, and
/// the new head at `version`.
pub fn append(
    org: &OrgId,
    head: &Head,
    version: u64,
    head_condition: Condition,
    events: &mut [AuditEvent],
    retention_days: u32,
    now: DateTime<Utc>,
) -> Result<(Vec<WriteOp>, Head), StoreError> {
    let mut next = head.clone();
    let mut ops = Vec::with_capacity(events.len() + 2);
    let today = now.date_naive();
    if next.seq > 0 && next.last_day != Some(today) {
        let anchor = Anchor { day: today, seq: next.seq, hash: next.hash.clone(), expires_at: next.last_expires_at };
        ops.push(WriteOp::put(Item::new(Anchor::key(&TenantId::acting_for(org), today), 1, &anchor)?));
    }
    let expires_at = expiry(today, retention_days);
    for event in events.iter_mut() {
        let id = next_id(next.last_id.as_ref(), now);
        event.id = id.clone();
        event.created_at = now;
        event.metadata = canonical(std::mem::take(&mut event.metadata));
        event.seq = next.seq + 1;
        event.prev_hash = next.hash.clone();
        event.hash = event.computed_hash();
        next = Head {
            seq: event.seq,
            hash: event.hash.clone(),
            last_id: Some(id),
            last_day: Some(today),
            last_expires_at: Some(expires_at),
        };
        ops.push(WriteOp::put_if(event.item()?.expiring_at(expires_at), Condition::NotExists));
        if let Some(published) = DomainEvent::of(event) {
            ops.push(outbox::for_org(org, &published)?);
        }
    }
    ops.push(WriteOp::put_if(Item::new(Head::key(&TenantId::acting_for(org)), version, &next)?, head_condition));
    Ok((ops, next))
}

/// The end of the UTC day `retention_days` after `day` (epoch seconds):
/// a whole day's events expire together.
pub fn expiry(day: NaiveDate, retention_days: u32) -> i64 {
    let end = day + TimeDelta::days(i64::from(retention_days) + 1);
    end.and_hms_opt(0, 0, 0).map_or(i64::MAX, |t| t.and_utc().timestamp())
}

/// An id after `last` in sort order, from `now` when the clock allows.
fn next_id(last: Option<&EventId>, now: DateTime<Utc>) -> EventId {
    let fresh = ulid::Ulid::from_datetime(now.into());
    match last.map(EventId::ulid) {
        Some(last) if fresh <= last => EventId::from_ulid(last.increment().unwrap_or(fresh)),
        _ => EventId::from_ulid(fresh),
    }
}

/// Whole-valued floats as integers, the form every store reads them back
/// in, so an event hashes the same after a round trip through DynamoDB.
fn canonical(value: Value) -> Value {
    match value {
        Value::Number(n) if n.is_f64() => match n.as_f64() {
            Some(f) if f.fract() == 0.0 && f.abs() < 9.0e15 => Value::from(f as i64),
            _ => Value::Number(n),
        },
        Value::Array(items) => Value::Array(items.into_iter().map(canonical).collect()),
        Value::Object(map) => Value::Object(map.into_iter().map(|(k, v)| (k, canonical(v))).collect()),
        other => other,
    }
}

/// `{len}:{bytes},` for each field: an unambiguous encoding of a row.
pub fn netstrings<'a>(fields: impl IntoIterator<Item = &'a str>) -> String {
    fields.into_iter().map(|f| format!("{}:{f},", f.len())).collect()
}

/// SHA-256 (hex) of the netstring encoding of the hashed columns.
pub fn hash_fields<'a>(fields: impl IntoIterator<Item = &'a str>) -> String {
    sha256_hex(netstrings(fields).as_bytes())
}

/// The index partitions an event is filed under, one per filter.
pub fn by_actor(tenant: &TenantId, actor_id: &str) -> Partition {
    Partition::tenant_collection(tenant, &format!("AUDIT#BY#{actor_id}"))
}

pub fn by_target(tenant: &TenantId, target_id: &str) -> Partition {
    Partition::tenant_collection(tenant, &format!("AUDIT#ON#{target_id}"))
}

pub fn by_family(tenant: &TenantId, family: &str) -> Partition {
    Partition::tenant_collection(tenant, &format!("AUDIT#DO#{family}"))
}

pub fn by_target_type(tenant: &TenantId, target_type: &str) -> Partition {
    Partition::tenant_collection(tenant, &format!("AUDIT#TYPE#{target_type}"))
}

/// The index holding each filter's partitions.
pub const ACTOR_INDEX: Index = Index::Gsi1;
pub const TARGET_INDEX: Index = Index::Gsi2;
pub const FAMILY_INDEX: Index = Index::Gsi3;
pub const TARGET_TYPE_INDEX: Index = Index::Gsi4;

/// `project` of `project.created`.
pub fn family(action: &str) -> &str {
    action.split('.').next().unwrap_or(action)
}

impl AuditEvent {
    /// The stored item, filed under every filter's index.
    pub(crate) fn item(&self) -> Result<Item, StoreError> {
        let t = &TenantId::acting_for(&self.org_id);
        let at = |partition| IndexKey { pk: partition, sk: self.id.to_string() };
        Ok(Item::new(Self::key(t, &self.id), 1, self)?
            .with_index_on(ACTOR_INDEX, at(by_actor(t, &self.actor.id)))
            .with_index_on(TARGET_INDEX, at(by_target(t, &self.target.id)))
            .with_index_on(FAMILY_INDEX, at(by_family(t, family(&self.action))))
            .with_index_on(TARGET_TYPE_INDEX, at(by_target_type(t, &self.target.kind))))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::audit::Target;

    fn event(org: &OrgId, action: &str) -> AuditEvent {
        let target = Target { kind: "project".into(), id: "prj_1".into() };
        AuditEvent::by_system(org, "test", "trace", action, target, serde_json::json!({"n": 1.0, "x": 0.5}))
    }

    /// A store whose next `losses` transactions lose the race for the
    /// chain's head, as they would to writers in other processes.
    struct Contended {
        inner: crate::ports::store::DynStore,
        losses: std::sync::atomic::AtomicU32,
    }

    #[async_trait::async_trait]
    impl Store for Contended {
        async fn batch_get(&self, keys: &[Key]) -> Result<Vec<Option<Item>>, StoreError> {
            self.inner.batch_get(keys).await
        }
        async fn query(&self, query: &crate::ports::store::Query) -> Result<crate::ports::store::Page, StoreError> {
            self.inner.query(query).await
        }
        async fn transact(&self, ops: Vec<WriteOp>) -> Result<(), StoreError> {
            let lose = self.losses.fetch_update(SeqCst, SeqCst, |n| n.checked_sub(1)).is_ok();
            if lose {
                Err(StoreError::ConditionFailed { index: ops.len() - 1 })
            } else {
                self.inner.transact(ops).await
            }
        }
        async fn increment(&self, key: &Key, by: u64, expires_at: Option<i64>) -> Result<u64, StoreError> {
            self.inner.increment(key, by, expires_at).await
        }
        async fn ping(&self) -> Result<(), StoreError> {
            self.inner.ping().await
        }
    }
    use std::sync::atomic::Ordering::SeqCst;

    #[tokio::test]
    async fn an_append_that_keeps_losing_the_head_retries_within_its_budget_instead_of_failing() {
        let dir = tempfile::tempdir().unwrap();
        let inner = Arc::new(crate::ports::store::sqlite::SqliteStore::open(&dir.path().join("s.db")).unwrap());
        let store = Contended { inner, losses: 20.into() };
        let org = OrgId::generate();
        commit(&store, Vec::new(), vec![event(&org, "a.b")]).await.expect("committed after 20 lost races");
        assert_eq!(store.losses.load(SeqCst), 0);
        let head = store
            .batch_get(&[Head::key(&TenantId::acting_for(&org))])
            .await
            .unwrap()
            .pop()
            .flatten()
            .expect("the head");
        assert_eq!(head.parse::<Head>().unwrap().seq, 1);
    }

    #[test]
    fn appended_events_link_to_the_head_and_to_each_other() {
        let org = OrgId::generate();
        let head = Head { hash: GENESIS.into(), ..Head::default() };
        let mut events = vec![event(&org, "a.b"), event(&org, "c.d")];
        let now = crate::now();
        let (ops, next) = append(&org, &head, 1, Condition::NotExists, &mut events, 30, now).unwrap();
        assert_eq!(ops.len(), 3, "two events and the head, no anchor before the first event");
        assert_eq!((events[0].seq, events[0].prev_hash.as_str()), (1, GENESIS));
        assert_eq!((events[1].seq, &events[1].prev_hash), (2, &events[0].hash));
        assert!(events[0].id < events[1].id, "ids sort in chain order");
        assert_eq!((next.seq, &next.hash), (2, &events[1].hash));
        assert_eq!(events[0].hash, events[0].computed_hash());
        assert_eq!(events[0].metadata, serde_json::json!({"n": 1, "x": 0.5}));
    }

    #[test]
    fn the_first_event_of_a_day_anchors_the_state_before_it() {
        let org = OrgId::generate();
        let yesterday = crate::now() - TimeDelta::days(1);
        let head = Head { hash: GENESIS.into(), ..Head::default() };
        let (_, head) = append(&org, &head, 1, Condition::NotExists, &mut [event(&org, "a.b")], 30, yesterday).unwrap();
        let (ops, _) =
            append(&org, &head, 2, Condition::VersionEquals(1), &mut [event(&org, "a.b")], 30, crate::now()).unwrap();
        let anchor: Anchor = match &ops[0] {
            WriteOp::Put { item, .. } => item.parse().unwrap(),
            other => panic!("expected the anchor first, got {other:?}"),
        };
        assert_eq!((anchor.seq, anchor.hash, anchor.day), (1, head.hash, crate::now().date_naive()));
    }

    #[test]
    fn ids_stay_in_order_when_the_clock_goes_back() {
        let now = crate::now();
        let later = EventId::from_ulid(ulid::Ulid::from_datetime((now + TimeDelta::seconds(5)).into()));
        let next = next_id(Some(&later), now);
        assert!(next > later);
    }

    #[test]
    fn a_days_events_expire_together_after_the_retention() {
        let day = NaiveDate::from_ymd_opt(2026, 1, 1).unwrap();
        let expected = NaiveDate::from_ymd_opt(2026, 2, 1).unwrap();
        assert_eq!(expiry(day, 30), expected.and_hms_opt(0, 0, 0).unwrap().and_utc().timestamp());
    }
}
