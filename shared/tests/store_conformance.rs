//! The storage port's conformance suite: every case runs against SQLite and
//! against DynamoDB on the local emulator (`AWS_ENDPOINT_URL`, started by
//! `scripts/test`). The adapters must be indistinguishable through the port.

use std::sync::Arc;

use controlplane::ports::store::dynamodb::DynamoStore;
use controlplane::ports::store::sqlite::SqliteStore;
use controlplane::ports::store::{
    Condition, DynStore, Index, IndexKey, Item, Key, Partition, Query, SortKey, StoreError, WriteOp,
};
use serde_json::json;

/// A fresh store; the guard keeps the SQLite file alive for the test.
struct Fixture {
    store: DynStore,
    _dir: Option<tempfile::TempDir>,
}

async fn sqlite() -> Fixture {
    let dir = tempfile::tempdir().expect("temp dir");
    let store = SqliteStore::open(&dir.path().join("store.db")).expect("open sqlite");
    Fixture { store: Arc::new(store), _dir: Some(dir) }
}

async fn dynamodb() -> Fixture {
    assert!(
        std::env::var_os("AWS_ENDPOINT_URL").is_some(),
        "the DynamoDB conformance run needs the local emulator: run scripts/test (it starts moto and sets AWS_ENDPOINT_URL)"
    );
    let table = format!("conformance-{}", ulid::Ulid::new().to_string().to_lowercase());
    let store = DynamoStore::from_env(table).await;
    store.ensure_table().await.expect("create table on the emulator");
    Fixture { store: Arc::new(store), _dir: None }
}

fn item(key: Key, data: serde_json::Value) -> Item {
    Item::new(key, 1, data).expect("object data")
}

fn sks(items: &[Item]) -> Vec<String> {
    items.iter().map(|i| i.key.sk().to_owned()).collect()
}

async fn put_all(store: &DynStore, items: Vec<Item>) {
    for item in items {
        store.transact(vec![WriteOp::put(item)]).await.expect("put");
    }
}

async fn batch_get_returns_items_in_the_order_asked_with_none_for_missing(store: DynStore) {
    let t = controlplane::testing::tenant();
    put_all(&store, vec![item(Key::tenant(&t, "A"), json!({"n": 1})), item(Key::tenant(&t, "B"), json!({"n": 2}))])
        .await;
    let got = store.batch_get(&[Key::tenant(&t, "B"), Key::tenant(&t, "missing"), Key::tenant(&t, "A")]).await.unwrap();
    assert_eq!(got[0].as_ref().unwrap().data, json!({"n": 2}));
    assert!(got[1].is_none());
    assert_eq!(got[2].as_ref().unwrap().data, json!({"n": 1}));
    assert!(store.batch_get(&[]).await.unwrap().is_empty());
}

async fn item_bodies_round_trip_unchanged(store: DynStore) {
    let t = controlplane::testing::tenant();
    let data = json!({
        "s": "text with \"quotes\" and ünïcode",
        "i": -42, "u": 18446744073709551615u64, "f": 1.5,
        "b": true, "null": null,
        "list": [1, "two", {"three": 3}],
        "nested": {"deep": {"deeper": [true, false]}},
        "empty": "", "empty_list": [], "empty_map": {}
    });
    let mut written = item(Key::tenant(&t, "X"), data.clone());
    written.version = 7;
    written.indexes[0] = Some(IndexKey { pk: Partition::tenant_collection(&t, "IDX"), sk: "2026".into() });
    written.indexes[3] = Some(IndexKey { pk: Partition::tenant_collection(&t, "IDX4"), sk: "x".into() });
    put_all(&store, vec![written.clone()]).await;
    let read = store.batch_get(&[Key::tenant(&t, "X")]).await.unwrap().remove(0).unwrap();
    assert_eq!(read, written);
}

async fn a_put_replaces_the_whole_item(store: DynStore) {
    let t = controlplane::testing::tenant();
    put_all(&store, vec![item(Key::tenant(&t, "X"), json!({"a": 1, "b": 2}))]).await;
    put_all(&store, vec![item(Key::tenant(&t, "X"), json!({"a": 3}))]).await;
    let read = store.batch_get(&[Key::tenant(&t, "X")]).await.unwrap().remove(0).unwrap();
    assert_eq!(read.data, json!({"a": 3}));
}

async fn queries_return_one_partition_in_sort_order_either_way(store: DynStore) {
    let (t, other) = (controlplane::testing::tenant(), controlplane::testing::tenant());
    put_all(
        &store,
        vec![
            item(Key::tenant(&t, "P#2"), json!({})),
            item(Key::tenant(&t, "P#1"), json!({})),
            item(Key::tenant(&t, "P#3"), json!({})),
            item(Key::tenant(&other, "P#0"), json!({})),
        ],
    )
    .await;
    let asc = store.query(&Query::new(Partition::tenant(&t), SortKey::Any)).await.unwrap();
    assert_eq!(sks(&asc.items), ["P#1", "P#2", "P#3"]);
    assert!(asc.next.is_none());
    let desc = store.query(&Query::new(Partition::tenant(&t), SortKey::Any).descending(true)).await.unwrap();
    assert_eq!(sks(&desc.items), ["P#3", "P#2", "P#1"]);
}

async fn sort_key_prefix_and_range_conditions_select_the_same_items(store: DynStore) {
    let t = controlplane::testing::tenant();
    put_all(
        &store,
        ["A#1", "A#2", "AB#1", "B#1", "B#2", "B#3", "C#1"]
            .iter()
            .map(|sk| item(Key::tenant(&t, *sk), json!({})))
            .collect(),
    )
    .await;
    let prefix = store.query(&Query::new(Partition::tenant(&t), SortKey::BeginsWith("A#".into()))).await.unwrap();
    assert_eq!(sks(&prefix.items), ["A#1", "A#2"]);
    let range =
        store.query(&Query::new(Partition::tenant(&t), SortKey::Between("B#1".into(), "B#2".into()))).await.unwrap();
    assert_eq!(sks(&range.items), ["B#1", "B#2"]);
    let none = store.query(&Query::new(Partition::tenant(&t), SortKey::BeginsWith("Z".into()))).await.unwrap();
    assert!(none.items.is_empty() && none.next.is_none());
}

async fn paging_visits_every_item_once_in_order(store: DynStore) {
    let t = controlplane::testing::tenant();
    let all: Vec<String> = (0..7).map(|i| format!("I#{i:02}")).collect();
    put_all(&store, all.iter().map(|sk| item(Key::tenant(&t, sk.as_str()), json!({}))).collect()).await;
    for descending in [false, true] {
        let mut seen = Vec::new();
        let mut start = None;
        let mut pages = 0;
        loop {
            let query = Query::new(Partition::tenant(&t), SortKey::BeginsWith("I#".into()))
                .limit(3)
                .descending(descending)
                .start(start);
            let page = store.query(&query).await.unwrap();
            assert!(page.items.len() <= 3);
            seen.extend(sks(&page.items));
            pages += 1;
            match page.next {
                Some(next) => start = Some(next),
                None => break,
            }
        }
        let mut expected = all.clone();
        if descending {
            expected.reverse();
        }
        assert_eq!(seen, expected);
        assert_eq!(pages, 3, "7 items in pages of 3 take exactly 3 pages");
    }
}

async fn an_exactly_full_last_page_has_no_cursor(store: DynStore) {
    let t = controlplane::testing::tenant();
    put_all(&store, (0..4).map(|i| item(Key::tenant(&t, format!("I#{i}")), json!({}))).collect()).await;
    let first = store.query(&Query::new(Partition::tenant(&t), SortKey::Any).limit(2)).await.unwrap();
    let second =
        store.query(&Query::new(Partition::tenant(&t), SortKey::Any).limit(2).start(first.next)).await.unwrap();
    assert_eq!(sks(&second.items), ["I#2", "I#3"]);
    assert!(second.next.is_none());
}

async fn the_secondary_index_orders_and_pages_by_its_own_keys(store: DynStore) {
    let t = controlplane::testing::tenant();
    let index = Partition::tenant_collection(&t, "BYTIME");
    let mut items = Vec::new();
    for (sk, at) in [("X#a", "2026-03"), ("X#b", "2026-01"), ("X#c", "2026-02"), ("X#d", "2026-04")] {
        items.push(item(Key::tenant(&t, sk), json!({})).with_index(IndexKey { pk: index.clone(), sk: at.into() }));
    }
    items.push(item(Key::tenant(&t, "X#unindexed"), json!({})));
    put_all(&store, items).await;
    let first = store.query(&Query::new(index.clone(), SortKey::Any).on_index(Index::Gsi1).limit(2)).await.unwrap();
    assert_eq!(sks(&first.items), ["X#b", "X#c"]);
    let second = store
        .query(&Query::new(index.clone(), SortKey::Any).on_index(Index::Gsi1).limit(2).start(first.next))
        .await
        .unwrap();
    assert_eq!(sks(&second.items), ["X#a", "X#d"]);
    assert!(second.next.is_none());
    let range = store
        .query(
            &Query::new(index, SortKey::Between("2026-02".into(), "2026-03".into()))
                .on_index(Index::Gsi1)
                .descending(true),
        )
        .await
        .unwrap();
    assert_eq!(sks(&range.items), ["X#a", "X#c"]);
}

async fn one_item_can_sit_in_every_secondary_index_each_paged_on_its_own(store: DynStore) {
    let t = controlplane::testing::tenant();
    let by = |index: Index| Partition::tenant_collection(&t, &format!("{index:?}"));
    let mut items = Vec::new();
    for (n, sk) in ["A", "B", "C"].into_iter().enumerate() {
        let mut written = item(Key::tenant(&t, sk), json!({}));
        for (i, index) in Index::SECONDARY.into_iter().enumerate() {
            // Each index orders the three items differently.
            let order = (n + 2 * i) % 3;
            written = written.with_index_on(index, IndexKey { pk: by(index), sk: format!("{order}") });
        }
        items.push(written);
    }
    items.push(
        item(Key::tenant(&t, "only-in-gsi2"), json!({}))
            .with_index_on(Index::Gsi2, IndexKey { pk: Partition::tenant_collection(&t, "OTHER"), sk: "0".into() }),
    );
    put_all(&store, items).await;
    let expected = [["A", "B", "C"], ["B", "C", "A"], ["C", "A", "B"], ["A", "B", "C"]];
    for (index, expected) in Index::SECONDARY.into_iter().zip(expected) {
        let first = store.query(&Query::new(by(index), SortKey::Any).on_index(index).limit(2)).await.unwrap();
        let rest =
            store.query(&Query::new(by(index), SortKey::Any).on_index(index).limit(2).start(first.next)).await.unwrap();
        let seen: Vec<String> = sks(&first.items).into_iter().chain(sks(&rest.items)).collect();
        assert_eq!(seen, expected, "{index:?}");
        assert!(rest.next.is_none());
    }
}

async fn a_failed_condition_writes_nothing_and_names_the_operation(store: DynStore) {
    let t = controlplane::testing::tenant();
    put_all(&store, vec![item(Key::tenant(&t, "TAKEN"), json!({"v": "old"}))]).await;
    let result = store
        .transact(vec![
            WriteOp::put(item(Key::tenant(&t, "NEW"), json!({}))),
            WriteOp::delete(Key::tenant(&t, "ALSO")),
            WriteOp::put_if(item(Key::tenant(&t, "TAKEN"), json!({"v": "new"})), Condition::NotExists),
        ])
        .await;
    assert!(matches!(result, Err(StoreError::ConditionFailed { index: 2 })), "{result:?}");
    let got = store.batch_get(&[Key::tenant(&t, "NEW"), Key::tenant(&t, "TAKEN")]).await.unwrap();
    assert!(got[0].is_none(), "the first put must not survive the failed transaction");
    assert_eq!(got[1].as_ref().unwrap().data, json!({"v": "old"}));
}

async fn version_conditions_accept_only_the_current_version(store: DynStore) {
    let t = controlplane::testing::tenant();
    let key = Key::tenant(&t, "V");
    let mut v1 = item(key.clone(), json!({"n": 1}));
    v1.version = 1;
    put_all(&store, vec![v1]).await;
    let mut v2 = item(key.clone(), json!({"n": 2}));
    v2.version = 2;
    let stale = store.transact(vec![WriteOp::put_if(v2.clone(), Condition::VersionEquals(0))]).await;
    assert!(matches!(stale, Err(StoreError::ConditionFailed { index: 0 })));
    store.transact(vec![WriteOp::put_if(v2, Condition::VersionEquals(1))]).await.unwrap();
    let missing = store
        .transact(vec![WriteOp::put_if(item(Key::tenant(&t, "absent"), json!({})), Condition::VersionEquals(1))])
        .await;
    assert!(matches!(missing, Err(StoreError::ConditionFailed { .. })));
    assert_eq!(store.batch_get(&[key]).await.unwrap()[0].as_ref().unwrap().version, 2);
}

async fn checks_and_deletes_honour_existence_and_field_conditions(store: DynStore) {
    let t = controlplane::testing::tenant();
    put_all(&store, vec![item(Key::tenant(&t, "M"), json!({"role": "admin"}))]).await;
    let admins = || Condition::FieldIn { field: "role".into(), values: vec![json!("owner"), json!("admin")] };
    let owners_only = Condition::FieldIn { field: "role".into(), values: vec![json!("owner")] };
    store
        .transact(vec![
            WriteOp::check(Key::tenant(&t, "M"), admins()),
            WriteOp::put(item(Key::tenant(&t, "W1"), json!({}))),
        ])
        .await
        .unwrap();
    let refused = store
        .transact(vec![
            WriteOp::check(Key::tenant(&t, "M"), owners_only),
            WriteOp::put(item(Key::tenant(&t, "W2"), json!({}))),
        ])
        .await;
    assert!(matches!(refused, Err(StoreError::ConditionFailed { index: 0 })));
    let absent_member = store.transact(vec![WriteOp::check(Key::tenant(&t, "nobody"), admins())]).await;
    assert!(matches!(absent_member, Err(StoreError::ConditionFailed { index: 0 })));
    let delete_missing = store.transact(vec![WriteOp::delete_if(Key::tenant(&t, "nothing"), Condition::Exists)]).await;
    assert!(matches!(delete_missing, Err(StoreError::ConditionFailed { index: 0 })));
    store.transact(vec![WriteOp::delete_if(Key::tenant(&t, "M"), Condition::Exists)]).await.unwrap();
    let got = store.batch_get(&[Key::tenant(&t, "M"), Key::tenant(&t, "W1"), Key::tenant(&t, "W2")]).await.unwrap();
    assert!(got[0].is_none() && got[1].is_some() && got[2].is_none());
}

async fn expired_items_are_invisible_and_count_as_absent(store: DynStore) {
    let t = controlplane::testing::tenant();
    let past = chrono::Utc::now().timestamp() - 10;
    let future = chrono::Utc::now().timestamp() + 3600;
    put_all(
        &store,
        vec![
            item(Key::tenant(&t, "E#old"), json!({})).expiring_at(past),
            item(Key::tenant(&t, "E#new"), json!({})).expiring_at(future),
        ],
    )
    .await;
    let got = store.batch_get(&[Key::tenant(&t, "E#old"), Key::tenant(&t, "E#new")]).await.unwrap();
    assert!(got[0].is_none() && got[1].is_some());
    let page = store.query(&Query::new(Partition::tenant(&t), SortKey::BeginsWith("E#".into()))).await.unwrap();
    assert_eq!(sks(&page.items), ["E#new"]);
    store
        .transact(vec![WriteOp::put_if(item(Key::tenant(&t, "E#old"), json!({"again": true})), Condition::NotExists)])
        .await
        .unwrap();
}

async fn concurrent_versioned_writes_let_exactly_one_win(store: DynStore) {
    let t = controlplane::testing::tenant();
    let key = Key::tenant(&t, "RACE");
    put_all(&store, vec![item(key.clone(), json!({"winner": null}))]).await;
    let mut tasks = Vec::new();
    for n in 0..8 {
        let store = Arc::clone(&store);
        let key = key.clone();
        tasks.push(tokio::spawn(async move {
            let mut next = item(key, json!({"winner": n}));
            next.version = 2;
            store.transact(vec![WriteOp::put_if(next, Condition::VersionEquals(1))]).await
        }));
    }
    let mut wins = 0;
    for task in tasks {
        match task.await.unwrap() {
            Ok(()) => wins += 1,
            Err(StoreError::ConditionFailed { .. } | StoreError::Conflict) => {}
            Err(other) => panic!("unexpected error: {other}"),
        }
    }
    assert_eq!(wins, 1);
}

async fn patches_set_fields_and_bump_the_version_only_when_their_condition_holds(store: DynStore) {
    let t = controlplane::testing::tenant();
    let key = Key::tenant(&t, "P");
    let index = IndexKey { pk: Partition::tenant_collection(&t, "BY"), sk: "s".into() };
    let expires = chrono::Utc::now().timestamp() + 600;
    let mut original = item(
        key.clone(),
        json!({"status": "provisioning", "reason": "x", "name": "n", "version": 3, "nested": {"a": 1}}),
    )
    .with_index(index.clone())
    .expiring_at(expires);
    original.version = 3;
    put_all(&store, vec![original]).await;
    let provisioning = || Condition::FieldIn { field: "status".into(), values: vec![json!("provisioning")] };
    let set = vec![("status".to_owned(), json!("failed")), ("reason".to_owned(), serde_json::Value::Null)];
    store.transact(vec![WriteOp::patch(key.clone(), set.clone(), provisioning())]).await.unwrap();
    let patched = store.batch_get(std::slice::from_ref(&key)).await.unwrap().remove(0).unwrap();
    assert_eq!(patched.version, 4);
    assert_eq!(
        patched.data,
        json!({"status": "failed", "reason": null, "name": "n", "version": 4, "nested": {"a": 1}}),
        "only the named fields change, and the body's version follows the item's"
    );
    assert_eq!((patched.index_key(Index::Gsi1), patched.expires_at), (Some(&index), Some(expires)));
    let again = store
        .transact(vec![
            WriteOp::put(item(Key::tenant(&t, "OTHER"), json!({}))),
            WriteOp::patch(key.clone(), set.clone(), provisioning()),
        ])
        .await;
    assert!(matches!(again, Err(StoreError::ConditionFailed { index: 1 })), "{again:?}");
    let absent = store.transact(vec![WriteOp::patch(Key::tenant(&t, "absent"), set, Condition::Exists)]).await;
    assert!(matches!(absent, Err(StoreError::ConditionFailed { index: 0 })), "{absent:?}");
    let read = store.batch_get(&[key, Key::tenant(&t, "OTHER"), Key::tenant(&t, "absent")]).await.unwrap();
    assert_eq!(read[0].as_ref().unwrap().version, 4, "a failed patch changes nothing");
    assert!(read[1].is_none() && read[2].is_none(), "nor does its transaction, nor does it create an item");
}

async fn invalid_requests_are_refused_before_storage(store: DynStore) {
    let t = controlplane::testing::tenant();
    let twice = store
        .transact(vec![WriteOp::put(item(Key::tenant(&t, "K"), json!({}))), WriteOp::delete(Key::tenant(&t, "K"))])
        .await;
    assert!(matches!(twice, Err(StoreError::Invalid(_))));
    let too_many: Vec<Key> = (0..101).map(|i| Key::tenant(&t, format!("K{i}"))).collect();
    assert!(matches!(store.batch_get(&too_many).await, Err(StoreError::Invalid(_))));
    // DynamoDB refuses empty key values; both adapters refuse them first.
    let partition = Partition::tenant(&t);
    for sort in [
        SortKey::BeginsWith(String::new()),
        SortKey::Between(String::new(), "z".into()),
        SortKey::Between("a".into(), String::new()),
        SortKey::Between("z".into(), "a".into()),
    ] {
        let refused = store.query(&Query::new(partition.clone(), sort.clone())).await;
        assert!(matches!(refused, Err(StoreError::Invalid(_))), "{sort:?}: {refused:?}");
    }
    let key = Key::tenant(&t, "PATCHED");
    put_all(&store, vec![item(key.clone(), json!({"a": 1}))]).await;
    for (set, condition) in [
        (vec![("a".to_owned(), json!(2))], Condition::NotExists),
        (vec![], Condition::Exists),
        (vec![("version".to_owned(), json!(9))], Condition::Exists),
        (vec![(String::new(), json!(2))], Condition::Exists),
        (vec![("a".to_owned(), json!(2)), ("a".to_owned(), json!(3))], Condition::Exists),
    ] {
        let refused = store.transact(vec![WriteOp::patch(key.clone(), set.clone(), condition)]).await;
        assert!(matches!(refused, Err(StoreError::Invalid(_))), "{set:?}: {refused:?}");
    }
    assert_eq!(store.batch_get(&[key]).await.unwrap()[0].as_ref().unwrap().data, json!({"a": 1}));
}

async fn counters_start_at_zero_and_count_every_concurrent_increment(store: DynStore) {
    let t = controlplane::testing::tenant();
    let key = Key::tenant_collection(&t, "COUNTERS", "hits");
    let expires = chrono::Utc::now().timestamp() + 600;
    assert_eq!(store.increment(&key, 5, Some(expires)).await.unwrap(), 5);
    let mut tasks = Vec::new();
    for _ in 0..20 {
        let store = Arc::clone(&store);
        let key = key.clone();
        tasks.push(tokio::spawn(async move { store.increment(&key, 1, None).await.unwrap() }));
    }
    let mut seen = Vec::new();
    for task in tasks {
        seen.push(task.await.unwrap());
    }
    seen.sort_unstable();
    assert_eq!(seen, (6..=25).collect::<Vec<u64>>(), "each increment sees its own count");
    let counter = store.batch_get(&[key]).await.unwrap().remove(0).unwrap();
    assert_eq!((counter.version, counter.expires_at), (25, Some(expires)), "the expiry is kept when not given");
    assert_eq!(counter.data, json!({}));
}

async fn counters_add_inside_a_transaction_and_only_when_it_commits(store: DynStore) {
    let t = controlplane::testing::tenant();
    let (hits, misses) =
        (Key::tenant_collection(&t, "COUNTERS", "hits"), Key::tenant_collection(&t, "COUNTERS", "misses"));
    let expires = chrono::Utc::now().timestamp() + 600;
    let marker = Item::new(Key::tenant(&t, "MARK"), 1, json!({ "at": 1 })).unwrap();
    store.transact(vec![WriteOp::add(hits.clone(), 3, Some(expires)), WriteOp::put(marker.clone())]).await.unwrap();
    assert_eq!(store.increment(&hits, 2, None).await.unwrap(), 5, "a transaction's add and an increment both count");
    let refused = store
        .transact(vec![
            WriteOp::add(hits.clone(), 10, None),
            WriteOp::add(misses.clone(), 1, None),
            WriteOp::put_if(marker, Condition::NotExists),
        ])
        .await;
    assert!(matches!(refused, Err(StoreError::ConditionFailed { index: 2 })), "{refused:?}");
    let read = store.batch_get(&[hits, misses]).await.unwrap();
    let counter = read[0].as_ref().expect("the counter exists");
    assert_eq!((counter.version, counter.expires_at, &counter.data), (5, Some(expires), &json!({})));
    assert!(read[1].is_none(), "a cancelled transaction adds nothing");
}

async fn ping_answers(store: DynStore) {
    store.ping().await.unwrap();
}

macro_rules! conformance {
    ($($case:ident),* $(,)?) => {
        mod sqlite_adapter {
            $(
                #[tokio::test]
                async fn $case() {
                    let fixture = super::sqlite().await;
                    super::$case(fixture.store.clone()).await;
                }
            )*
        }
        mod dynamodb_adapter {
            $(
                #[tokio::test]
                async fn $case() {
                    let fixture = super::dynamodb().await;
                    super::$case(fixture.store.clone()).await;
                }
            )*
        }
    };
}

conformance!(
    batch_get_returns_items_in_the_order_asked_with_none_for_missing,
    item_bodies_round_trip_unchanged,
    a_put_replaces_the_whole_item,
    queries_return_one_partition_in_sort_order_either_way,
    sort_key_prefix_and_range_conditions_select_the_same_items,
    paging_visits_every_item_once_in_order,
    an_exactly_full_last_page_has_no_cursor,
    the_secondary_index_orders_and_pages_by_its_own_keys,
    one_item_can_sit_in_every_secondary_index_each_paged_on_its_own,
    a_failed_condition_writes_nothing_and_names_the_operation,
    version_conditions_accept_only_the_current_version,
    checks_and_deletes_honour_existence_and_field_conditions,
    expired_items_are_invisible_and_count_as_absent,
    concurrent_versioned_writes_let_exactly_one_win,
    patches_set_fields_and_bump_the_version_only_when_their_condition_holds,
    invalid_requests_are_refused_before_storage,
    counters_start_at_zero_and_count_every_concurrent_increment,
    counters_add_inside_a_transaction_and_only_when_it_commits,
    ping_answers,
);
