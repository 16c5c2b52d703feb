//! The audit chain over expiry: once whole days of events expire, the chain
//! still verifies from the oldest day kept, vouched for by that day's
//! anchor; without the anchor the gap is a break. On SQLite and DynamoDB.

use std::sync::Arc;

use chrono::{DateTime, TimeDelta, Utc};
use controlplane::OrgId;
use controlplane::domain::audit::chain::{self, Anchor, Head};
use controlplane::domain::audit::filter::Filter;
use controlplane::domain::audit::verify::Verifier;
use controlplane::domain::audit::{AuditEvent, Target};
use controlplane::domain::org::Org;
use controlplane::ports::store::dynamodb::DynamoStore;
use controlplane::ports::store::sqlite::SqliteStore;
use controlplane::ports::store::{DynStore, Item, WriteOp};
use serde_json::json;

async fn sqlite() -> (DynStore, Option<tempfile::TempDir>) {
    let dir = tempfile::tempdir().unwrap();
    (Arc::new(SqliteStore::open(&dir.path().join("store.db")).unwrap()), Some(dir))
}

async fn dynamodb() -> (DynStore, Option<tempfile::TempDir>) {
    assert!(std::env::var_os("AWS_ENDPOINT_URL").is_some(), "needs the local emulator: run scripts/test");
    let store = DynamoStore::from_env(format!("chain-{}", ulid::Ulid::new().to_string().to_lowercase())).await;
    store.ensure_table().await.unwrap();
    (Arc::new(store), None)
}

fn event(org: &OrgId, n: u32) -> AuditEvent {
    let target = Target { kind: "project".into(), id: format!("prj_{n}") };
    AuditEvent::by_system(org, "test", "trace", "project.touched", target, json!({ "n": n }))
}

/// Writes `count` events of the org stamped `at`.
async fn events_at(store: &DynStore, org: &OrgId, at: DateTime<Utc>, count: u32) {
    for n in 0..count {
        chain::commit_at(store.as_ref(), Vec::new(), vec![event(org, n)], || at).await.unwrap();
    }
}

/// An org whose events are kept 30 days.
async fn org_keeping_30_days(store: &DynStore) -> OrgId {
    let org = OrgId::generate();
    let item = Item::new(
        Org::key(&controlplane::testing::tenant_of(&org)),
        1,
        json!({ "id": org, "audit_retention_days": 30 }),
    )
    .unwrap();
    store.transact(vec![WriteOp::put(item)]).await.unwrap();
    org
}

async fn verify(store: &DynStore, org: &OrgId) -> controlplane::domain::audit::verify::Verification {
    let query = Verifier::query(&controlplane::testing::tenant_of(org), &Filter::default(), None);
    let head_key = [Head::key(&controlplane::testing::tenant_of(org))];
    let (head, first) = tokio::join!(store.batch_get(&head_key), store.query(&query));
    let head = head.unwrap().remove(0);
    Verifier::new(store.as_ref(), &controlplane::testing::tenant_of(org))
        .run(head.as_ref(), query, first.unwrap(), 10_000)
        .await
        .unwrap()
        .0
}

async fn the_chain_verifies_from_the_oldest_kept_day_through_its_anchor(store: DynStore) {
    let org = org_keeping_30_days(&store).await;
    let now = Utc::now();
    // Two days past retention (gone), then one still kept, then today.
    events_at(&store, &org, now - TimeDelta::days(40), 3).await;
    events_at(&store, &org, now - TimeDelta::days(35), 2).await;
    events_at(&store, &org, now - TimeDelta::days(10), 2).await;
    events_at(&store, &org, now, 2).await;
    let report = verify(&store, &org).await;
    assert!(report.ok, "{report:?}");
    assert_eq!((report.first_seq, report.last_seq, report.head_seq), (Some(6), Some(9), 9));
    assert_eq!((report.checked, report.anchored_gaps), (4, 1));
}

async fn an_expired_looking_gap_without_its_anchor_is_a_break(store: DynStore) {
    let org = org_keeping_30_days(&store).await;
    let now = Utc::now();
    events_at(&store, &org, now - TimeDelta::days(40), 2).await;
    let kept_day = now - TimeDelta::days(3);
    events_at(&store, &org, kept_day, 2).await;
    store
        .transact(vec![WriteOp::delete(Anchor::key(&controlplane::testing::tenant_of(&org), kept_day.date_naive()))])
        .await
        .unwrap();
    let report = verify(&store, &org).await;
    let found = report.first_break.expect("a break");
    assert_eq!((found.seq, found.reason), (3, "missing_events"));
}

async fn deleting_a_kept_day_is_not_mistaken_for_expiry(store: DynStore) {
    let org = org_keeping_30_days(&store).await;
    let now = Utc::now();
    events_at(&store, &org, now - TimeDelta::days(5), 2).await;
    events_at(&store, &org, now - TimeDelta::days(4), 2).await;
    // Someone removes the older, unexpired day: the anchor of the next day
    // names an event that has not expired yet, so it vouches for nothing.
    let page = store
        .query(&AuditEvent::query(&controlplane::testing::tenant_of(&org)).descending(false).limit(2))
        .await
        .unwrap();
    let deletes = page.items.iter().map(|i| WriteOp::delete(i.key.clone())).collect();
    store.transact(deletes).await.unwrap();
    let report = verify(&store, &org).await;
    assert_eq!(report.first_break.map(|b| (b.seq, b.reason)), Some((3, "missing_events")));
}

macro_rules! on_both {
    ($($case:ident),* $(,)?) => {
        mod sqlite_store {
            $(
                #[tokio::test]
                async fn $case() {
                    let (store, _dir) = super::sqlite().await;
                    super::$case(store).await;
                }
            )*
        }
        mod dynamodb_store {
            $(
                #[tokio::test]
                async fn $case() {
                    let (store, _dir) = super::dynamodb().await;
                    super::$case(store).await;
                }
            )*
        }
    };
}

on_both!(
    the_chain_verifies_from_the_oldest_kept_day_through_its_anchor,
    an_expired_looking_gap_without_its_anchor_is_a_break,
    deleting_a_kept_day_is_not_mistaken_for_expiry,
);
