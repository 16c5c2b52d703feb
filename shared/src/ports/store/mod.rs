//! The storage port: a small, DynamoDB-shaped interface with two adapters.
//!
//! Every key is built from a [`TenantId`] (tenant items, `pk = "T#{org}..."`) or
//! is one of the few global lookups that must be read before the tenant is known
//! (user profile, user -> memberships, email -> user). Handlers never build raw
//! partition keys, so a query outside the caller's tenant cannot be expressed.

pub mod dynamodb;
#[cfg(feature = "sqlite")]
pub mod sqlite;
pub mod tally;

use std::sync::Arc;

use async_trait::async_trait;
use serde::{Deserialize, Serialize};
use serde_json::Value;

use crate::base::tenant::TenantId;
use crate::base::user::UserId;

/// The most operations one transaction may carry (DynamoDB's limit).
pub const MAX_TRANSACTION_OPS: usize = 100;
/// The most keys one batch get may carry (DynamoDB's limit).
pub const MAX_BATCH_GET_KEYS: usize = 100;

/// Primary key of an item. Constructed only through the tenant or lookup
/// constructors below.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Key {
    pk: String,
    sk: String,
}

impl Key {
    /// An item in the tenant's main partition (`T#{org}`).
    pub fn tenant(tenant: &TenantId, sk: impl Into<String>) -> Self {
        Self { pk: Partition::tenant(tenant).0, sk: sk.into() }
    }

    /// An item in one of the tenant's secondary partitions (`T#{org}#{name}`).
    pub fn tenant_collection(tenant: &TenantId, collection: &str, sk: impl Into<String>) -> Self {
        Self { pk: Partition::tenant_collection(tenant, collection).0, sk: sk.into() }
    }

    /// A global per-user lookup item (`U#{user}`): profile and membership ids.
    pub fn user(user: &UserId, sk: impl Into<String>) -> Self {
        Self { pk: Partition::user(user).0, sk: sk.into() }
    }

    /// A global email -> user lookup item.
    pub fn email(normalized_email: &str) -> Self {
        Self { pk: format!("E#{normalized_email}"), sk: "USER".into() }
    }

    /// A global API-key lookup: SHA-256 of a token -> (org, key id).
    pub fn key_hash(token_hash: &str) -> Self {
        Self { pk: format!("K#{token_hash}"), sk: "KEY".into() }
    }

    /// A global project -> org lookup, for internal callers that know only
    /// the project (the data plane's snapshot and usage reports).
    pub fn project_lookup(project: &str) -> Self {
        Self { pk: format!("P#{project}"), sk: "PROJECT".into() }
    }

    /// A global counter of failed authentication by one source address or
    /// key prefix (named by a digest), for one window.
    pub fn auth_failures(subject_digest: &str, window: u64) -> Self {
        Self { pk: format!("AF#{subject_digest}"), sk: window.to_string() }
    }

    /// A fixed item used only to probe the store's health.
    pub fn health_probe() -> Self {
        Self { pk: "HEALTH".into(), sk: "PROBE".into() }
    }

    pub fn pk(&self) -> &str {
        &self.pk
    }

    pub fn sk(&self) -> &str {
        &self.sk
    }

    /// Rebuilds a key read back from an adapter or a verified cursor.
    pub(crate) fn from_parts(pk: String, sk: String) -> Self {
        Self { pk, sk }
    }
}

/// A partition key value, built like [`Key`].
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Partition(String);

impl Partition {
    pub fn tenant(tenant: &TenantId) -> Self {
        Self(format!("T#{tenant}"))
    }

    pub fn tenant_collection(tenant: &TenantId, collection: &str) -> Self {
        Self(format!("T#{tenant}#{collection}"))
    }

    pub fn user(user: &UserId) -> Self {
        Self(format!("U#{user}"))
    }

    /// One shard of the active-jobs index (an index partition: it holds
    /// index keys of tenant items, no items of its own).
    pub fn active_jobs(shard: u32) -> Self {
        Self(format!("JOBQ#{shard}"))
    }

    /// One shard of the index of projects whose usage limits are due for a
    /// check (an index partition, like [`Partition::active_jobs`]).
    pub fn usage_checks(shard: u32) -> Self {
        Self(format!("USAGEQ#{shard}"))
    }

    /// One shard of the index of enabled schedules by their next slot.
    pub fn due_schedules(shard: u32) -> Self {
        Self(format!("SCHEDQ#{shard}"))
    }

    /// One shard of the index of audit events still to seal into their
    /// org's chain.
    pub fn audit_pending(shard: u32) -> Self {
        Self(format!("AUDITQ#{shard}"))
    }

    /// One shard of the outbox index: events still to publish.
    pub fn outbox(shard: u32) -> Self {
        Self(format!("OUTBOX#{shard}"))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// A secondary index key of an item (`gsiNpk`, `gsiNsk`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct IndexKey {
    pub pk: Partition,
    pub sk: String,
}

/// One stored item: its key, optional index key, version, optional expiry
/// (epoch seconds, honoured by both adapters) and a JSON object body.
#[derive(Debug, Clone, PartialEq)]
pub struct Item {
    pub key: Key,
    /// The item's key in each secondary index, in [`Index::SECONDARY`] order.
    pub indexes: [Option<IndexKey>; 4],
    pub version: u64,
    pub expires_at: Option<i64>,
    pub data: Value,
}

impl Item {
    pub fn new(key: Key, version: u64, data: impl Serialize) -> Result<Self, StoreError> {
        let data = serde_json::to_value(data).map_err(|e| StoreError::Serialization(e.to_string()))?;
        if !data.is_object() {
            return Err(StoreError::Serialization("item data must be a JSON object".into()));
        }
        Ok(Self { key, indexes: Default::default(), version, expires_at: None, data })
    }

    /// Places the item in `gsi1` (the index most item kinds use).
    pub fn with_index(self, key: IndexKey) -> Self {
        self.with_index_on(Index::Gsi1, key)
    }

    /// Places the item in one of the secondary indexes (a no-op for the table).
    pub fn with_index_on(mut self, index: Index, key: IndexKey) -> Self {
        if let Some(slot) = index.slot() {
            self.indexes[slot] = Some(key);
        }
        self
    }

    /// The item's key in `index` (`None` for the table or when not indexed).
    pub fn index_key(&self, index: Index) -> Option<&IndexKey> {
        index.slot().and_then(|slot| self.indexes[slot].as_ref())
    }

    pub fn expiring_at(mut self, epoch_seconds: i64) -> Self {
        self.expires_at = Some(epoch_seconds);
        self
    }

    pub fn parse<T: for<'de> Deserialize<'de>>(&self) -> Result<T, StoreError> {
        serde_json::from_value(self.data.clone()).map_err(|e| StoreError::Serialization(e.to_string()))
    }

    pub(crate) fn is_expired(&self, now_epoch: i64) -> bool {
        self.expires_at.is_some_and(|t| t <= now_epoch)
    }

    /// Where a query that returned this item resumes.
    fn start_key(&self, index: Index) -> StartKey {
        StartKey {
            pk: self.key.pk.clone(),
            sk: self.key.sk.clone(),
            index_key: self.index_key(index).map(|g| (g.pk.0.clone(), g.sk.clone())),
        }
    }
}

/// Which key a query runs on: the table's or one of three sparse global
/// secondary indexes (an item is in an index only when it carries its key).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum Index {
    Table,
    Gsi1,
    Gsi2,
    Gsi3,
    Gsi4,
}

impl Index {
    pub const SECONDARY: [Index; 4] = [Index::Gsi1, Index::Gsi2, Index::Gsi3, Index::Gsi4];

    /// The index's name and its partition and sort attributes (`None` for the table).
    pub fn attributes(self) -> Option<(&'static str, &'static str, &'static str)> {
        match self {
            Index::Table => None,
            Index::Gsi1 => Some(("gsi1", "gsi1pk", "gsi1sk")),
            Index::Gsi2 => Some(("gsi2", "gsi2pk", "gsi2sk")),
            Index::Gsi3 => Some(("gsi3", "gsi3pk", "gsi3sk")),
            Index::Gsi4 => Some(("gsi4", "gsi4pk", "gsi4sk")),
        }
    }

    /// Where the item's key in this index is kept in [`Item::indexes`].
    fn slot(self) -> Option<usize> {
        Index::SECONDARY.iter().position(|i| *i == self)
    }
}

/// The sort-key condition of a query.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum SortKey {
    Any,
    BeginsWith(String),
    /// Inclusive on both ends, like DynamoDB's BETWEEN.
    Between(String, String),
}

/// Where a query resumes: the exclusive start key of the next page.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct StartKey {
    pub pk: String,
    pub sk: String,
    /// (gsi1pk, gsi1sk) when the query ran on the index.
    pub index_key: Option<(String, String)>,
}

#[derive(Debug, Clone)]
pub struct Query {
    pub index: Index,
    pub partition: Partition,
    pub sort: SortKey,
    pub limit: usize,
    pub start: Option<StartKey>,
    pub descending: bool,
}

impl Query {
    pub fn new(partition: Partition, sort: SortKey) -> Self {
        Self { index: Index::Table, partition, sort, limit: 50, start: None, descending: false }
    }

    pub fn on_index(mut self, index: Index) -> Self {
        self.index = index;
        self
    }

    pub fn limit(mut self, limit: usize) -> Self {
        self.limit = limit.max(1);
        self
    }

    pub fn start(mut self, start: Option<StartKey>) -> Self {
        self.start = start;
        self
    }

    pub fn descending(mut self, descending: bool) -> Self {
        self.descending = descending;
        self
    }
}

#[derive(Debug, Clone)]
pub struct Page {
    pub items: Vec<Item>,
    /// Present when more items may follow.
    pub next: Option<StartKey>,
}

impl Page {
    /// Builds a page from up to `limit + 1` items fetched in order: the extra
    /// item only proves that another page exists. Shared by both adapters so
    /// their paging is identical.
    pub(crate) fn from_overfetch(mut items: Vec<Item>, query: &Query) -> Self {
        let has_more = items.len() > query.limit;
        items.truncate(query.limit);
        let next = if has_more { items.last().map(|i| i.start_key(query.index)) } else { None };
        Self { items, next }
    }
}

/// A condition one transaction operation requires of the item currently
/// stored at its key.
#[derive(Debug, Clone, PartialEq)]
pub enum Condition {
    Exists,
    NotExists,
    /// The item exists and its version is exactly this.
    VersionEquals(u64),
    /// The item exists and the top-level data field equals one of the values.
    FieldIn {
        field: String,
        values: Vec<Value>,
    },
}

impl Condition {
    /// The item is still as it was read at `version`, where version 0 means
    /// it was not stored yet (an org's settings before their first edit).
    pub fn unchanged_since(version: u64) -> Self {
        if version == 0 { Condition::NotExists } else { Condition::VersionEquals(version) }
    }

    /// Evaluates the condition against the stored item (`None` when absent);
    /// the SQLite adapter uses this inside its write transaction.
    #[cfg(feature = "sqlite")]
    pub(crate) fn holds(&self, current: Option<&Item>) -> bool {
        match (self, current) {
            (Condition::Exists, current) => current.is_some(),
            (Condition::NotExists, current) => current.is_none(),
            (Condition::VersionEquals(v), Some(item)) => item.version == *v,
            (Condition::FieldIn { field, values }, Some(item)) => {
                item.data.get(field).is_some_and(|actual| values.contains(actual))
            }
            (_, None) => false,
        }
    }
}

#[derive(Debug, Clone)]
pub enum WriteOp {
    Put {
        item: Box<Item>,
        condition: Option<Condition>,
    },
    Delete {
        key: Key,
        condition: Option<Condition>,
    },
    Check {
        key: Key,
        condition: Condition,
    },
    /// Adds `by` to the counter at `key`, as [`Store::increment`] does,
    /// inside the transaction (the new count is not returned).
    Add {
        key: Key,
        by: u64,
        expires_at: Option<i64>,
    },
    /// Sets top-level fields of an existing item's data without reading it
    /// first, and bumps its version by one: the item's and the `version`
    /// field of its data (domain items carry theirs in their body). The
    /// condition must require the item to exist (not [`Condition::NotExists`]);
    /// index keys and expiry stay as they are.
    Patch {
        key: Key,
        set: Vec<(String, Value)>,
        condition: Condition,
    },
}

impl WriteOp {
    pub fn put(item: Item) -> Self {
        WriteOp::Put { item: Box::new(item), condition: None }
    }

    pub fn put_if(item: Item, condition: Condition) -> Self {
        WriteOp::Put { item: Box::new(item), condition: Some(condition) }
    }

    pub fn delete(key: Key) -> Self {
        WriteOp::Delete { key, condition: None }
    }

    pub fn delete_if(key: Key, condition: Condition) -> Self {
        WriteOp::Delete { key, condition: Some(condition) }
    }

    pub fn check(key: Key, condition: Condition) -> Self {
        WriteOp::Check { key, condition }
    }

    pub fn add(key: Key, by: u64, expires_at: Option<i64>) -> Self {
        WriteOp::Add { key, by, expires_at }
    }

    pub fn patch(key: Key, set: Vec<(String, Value)>, condition: Condition) -> Self {
        WriteOp::Patch { key, set, condition }
    }

    pub fn key(&self) -> &Key {
        match self {
            WriteOp::Put { item, .. } => &item.key,
            WriteOp::Delete { key, .. }
            | WriteOp::Check { key, .. }
            | WriteOp::Add { key, .. }
            | WriteOp::Patch { key, .. } => key,
        }
    }

    pub(crate) fn condition(&self) -> Option<&Condition> {
        match self {
            WriteOp::Put { condition, .. } | WriteOp::Delete { condition, .. } => condition.as_ref(),
            WriteOp::Check { condition, .. } | WriteOp::Patch { condition, .. } => Some(condition),
            WriteOp::Add { .. } => None,
        }
    }

    /// Refuses a patch no adapter could apply alike.
    fn validate(&self) -> Result<(), StoreError> {
        let WriteOp::Patch { set, condition, .. } = self else { return Ok(()) };
        if *condition == Condition::NotExists {
            return Err(StoreError::Invalid("a patch needs a condition the existing item meets".into()));
        }
        if set.is_empty() {
            return Err(StoreError::Invalid("a patch sets at least one field".into()));
        }
        let mut fields: Vec<&str> = set.iter().map(|(field, _)| field.as_str()).collect();
        if fields.iter().any(|f| f.is_empty() || *f == "version") {
            return Err(StoreError::Invalid("a patch sets named fields other than `version` (it bumps that)".into()));
        }
        fields.sort_unstable();
        if fields.windows(2).any(|w| w[0] == w[1]) {
            return Err(StoreError::Invalid("a patch sets each field once".into()));
        }
        Ok(())
    }
}

#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    /// The condition of the operation at `index` did not hold; nothing was written.
    #[error("condition of transaction operation {index} failed")]
    ConditionFailed { index: usize },
    /// Another transaction touched the same items; nothing was written, retry.
    #[error("transaction conflicted with a concurrent write")]
    Conflict,
    #[error("invalid store request: {0}")]
    Invalid(String),
    #[error("store item could not be (de)serialized: {0}")]
    Serialization(String),
    #[error("store unavailable: {0}")]
    Unavailable(String),
}

/// The storage port. Adapters: [`sqlite::SqliteStore`], [`dynamodb::DynamoStore`].
#[async_trait]
pub trait Store: Send + Sync + 'static {
    /// Strongly consistent reads of up to [`MAX_BATCH_GET_KEYS`] keys, in the
    /// order asked; `None` where no (unexpired) item exists.
    async fn batch_get(&self, keys: &[Key]) -> Result<Vec<Option<Item>>, StoreError>;

    /// One page of a partition, in sort-key order (or reverse).
    async fn query(&self, query: &Query) -> Result<Page, StoreError>;

    /// All operations commit, or none does.
    async fn transact(&self, ops: Vec<WriteOp>) -> Result<(), StoreError>;

    /// Atomically adds `by` to the counter at `key` and returns the new
    /// count; a missing counter starts at 0. A counter is an item whose
    /// `version` is the count (body `{}`); `expires_at` is (re)set when given.
    /// Counters are never read-modify-written, so concurrent increments from
    /// any number of processes all count.
    async fn increment(&self, key: &Key, by: u64, expires_at: Option<i64>) -> Result<u64, StoreError>;

    /// A cheap round trip that proves the store answers.
    async fn ping(&self) -> Result<(), StoreError>;
}

pub type DynStore = Arc<dyn Store>;

/// The first page of each query, the queries sent at once: a pass over a
/// sharded index waits for one round trip, not one per shard. Pages come
/// back in the queries' order.
pub async fn first_pages(store: &dyn Store, queries: &[Query]) -> Result<Vec<Page>, StoreError> {
    futures_util::future::try_join_all(queries.iter().map(|query| store.query(query))).await
}

/// Every item of `query`: its `first` page (already read, typically with the
/// request's credential check) and the pages after it.
pub async fn all_from(store: &dyn Store, mut query: Query, first: Page) -> Result<Vec<Item>, StoreError> {
    let mut page = first;
    let mut items = Vec::new();
    loop {
        items.append(&mut page.items);
        let Some(next) = page.next.take() else { return Ok(items) };
        query = query.start(Some(next));
        page = store.query(&query).await?;
    }
}

/// Reads one page of up to `query.limit` items that satisfy `keep`, querying
/// as often as needed (at most `MAX_FILTER_ROUNDS` times, then a short page
/// with a cursor). The cursor resumes after the last item returned.
pub async fn query_filtered(
    store: &dyn Store,
    query: &Query,
    keep: impl Fn(&Item) -> bool,
) -> Result<Page, StoreError> {
    query_filtered_from(store, query, None, keep).await
}

/// [`query_filtered`] given the first page of `query`, when already read.
pub async fn query_filtered_from(
    store: &dyn Store,
    query: &Query,
    mut first: Option<Page>,
    keep: impl Fn(&Item) -> bool,
) -> Result<Page, StoreError> {
    const MAX_FILTER_ROUNDS: usize = 10;
    let mut kept = Vec::with_capacity(query.limit);
    let mut round = query.clone();
    for _ in 0..MAX_FILTER_ROUNDS {
        let page = match first.take() {
            Some(page) => page,
            None => store.query(&round).await?,
        };
        let mut items = page.items.into_iter();
        for item in items.by_ref() {
            if keep(&item) {
                kept.push(item);
                if kept.len() == query.limit {
                    break;
                }
            }
        }
        let exhausted = items.len() == 0 && page.next.is_none();
        if kept.len() == query.limit {
            let next = if exhausted { None } else { kept.last().map(|i| i.start_key(query.index)) };
            return Ok(Page { items: kept, next });
        }
        match page.next {
            Some(next) => round.start = Some(next),
            None => return Ok(Page { items: kept, next: None }),
        }
    }
    Ok(Page { items: kept, next: round.start })
}

/// Checks what every adapter must refuse before touching storage.
pub(crate) fn validate_transaction(ops: &[WriteOp]) -> Result<(), StoreError> {
    if ops.is_empty() || ops.len() > MAX_TRANSACTION_OPS {
        return Err(StoreError::Invalid(format!(
            "a transaction carries 1 to {MAX_TRANSACTION_OPS} operations, got {}",
            ops.len()
        )));
    }
    let mut keys: Vec<&Key> = ops.iter().map(WriteOp::key).collect();
    keys.sort_by(|a, b| (&a.pk, &a.sk).cmp(&(&b.pk, &b.sk)));
    if keys.windows(2).any(|w| w[0] == w[1]) {
        return Err(StoreError::Invalid("a transaction may touch each key once".into()));
    }
    ops.iter().try_for_each(WriteOp::validate)
}

/// Sort-key bounds DynamoDB refuses (an empty value, a range whose low end
/// is above its high end), refused on every adapter alike.
pub(crate) fn validate_query(query: &Query) -> Result<(), StoreError> {
    match &query.sort {
        SortKey::BeginsWith(prefix) if prefix.is_empty() => {
            Err(StoreError::Invalid("a sort-key prefix may not be empty (query any sort key instead)".into()))
        }
        SortKey::Between(low, high) if low.is_empty() || high.is_empty() => {
            Err(StoreError::Invalid("sort-key range bounds may not be empty".into()))
        }
        SortKey::Between(low, high) if low > high => {
            Err(StoreError::Invalid("a sort-key range's low bound may not be above its high bound".into()))
        }
        _ => Ok(()),
    }
}

pub(crate) fn validate_batch(keys: &[Key]) -> Result<(), StoreError> {
    if keys.len() > MAX_BATCH_GET_KEYS {
        return Err(StoreError::Invalid(format!(
            "a batch get carries at most {MAX_BATCH_GET_KEYS} keys, got {}",
            keys.len()
        )));
    }
    Ok(())
}

pub(crate) fn epoch_now() -> i64 {
    chrono::Utc::now().timestamp()
}

/// Parses `CONTROLPLANE_STORE`: `sqlite://PATH` or `dynamodb://TABLE`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum StoreUrl {
    Sqlite(std::path::PathBuf),
    Dynamo(String),
}

impl std::str::FromStr for StoreUrl {
    type Err = String;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        if let Some(path) = s.strip_prefix("sqlite://") {
            if path.is_empty() {
                return Err("sqlite:// needs a file path, e.g. sqlite://./.controlplane/store.db".into());
            }
            Ok(StoreUrl::Sqlite(path.into()))
        } else if let Some(table) = s.strip_prefix("dynamodb://") {
            if table.is_empty() {
                return Err("dynamodb:// needs a table name, e.g. dynamodb://controlplane".into());
            }
            Ok(StoreUrl::Dynamo(table.into()))
        } else {
            Err(format!("unsupported store `{s}`: use sqlite://PATH or dynamodb://TABLE"))
        }
    }
}

impl std::fmt::Display for StoreUrl {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            StoreUrl::Sqlite(path) => write!(f, "sqlite://{}", path.display()),
            StoreUrl::Dynamo(table) => write!(f, "dynamodb://{table}"),
        }
    }
}

/// Opens the store a URL names. DynamoDB uses the default AWS configuration
/// (`AWS_ENDPOINT_URL` points it at an emulator).
pub async fn open(url: &StoreUrl) -> Result<DynStore, StoreError> {
    match url {
        #[cfg(feature = "sqlite")]
        StoreUrl::Sqlite(path) => Ok(Arc::new(sqlite::SqliteStore::open(path)?)),
        #[cfg(not(feature = "sqlite"))]
        StoreUrl::Sqlite(_) => Err(StoreError::Unavailable(crate::ports::aws::not_built_in("sqlite://", "sqlite"))),
        StoreUrl::Dynamo(table) => Ok(Arc::new(dynamodb::DynamoStore::from_env(table.clone()).await)),
    }
}

/// What a store failure means to the layers above: a throttled or
/// unreachable store is worth a retry, a lost condition race is a conflict,
/// anything else is a defect.
impl From<StoreError> for crate::base::error::DomainError {
    fn from(e: StoreError) -> Self {
        use crate::base::error::DomainError;
        match e {
            StoreError::Unavailable(detail) => {
                tracing::error!(error = %detail, "store unavailable");
                DomainError::Unavailable { detail: "the store is unavailable; retry shortly".into() }
            }
            StoreError::Conflict => DomainError::concurrent_modification(),
            other => DomainError::Internal(other.to_string()),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn store_url_parses_both_schemes_and_rejects_others() {
        assert_eq!("sqlite://a.db".parse::<StoreUrl>().unwrap(), StoreUrl::Sqlite("a.db".into()));
        assert_eq!("dynamodb://t".parse::<StoreUrl>().unwrap(), StoreUrl::Dynamo("t".into()));
        assert!("postgres://x".parse::<StoreUrl>().is_err());
        assert!("sqlite://".parse::<StoreUrl>().is_err());
    }

    #[test]
    fn a_transaction_touching_one_key_twice_is_refused() {
        let t = TenantId::fresh();
        let item = Item::new(Key::tenant(&t, "A"), 1, serde_json::json!({})).unwrap();
        let ops = vec![WriteOp::put(item.clone()), WriteOp::check(item.key.clone(), Condition::Exists)];
        assert!(matches!(validate_transaction(&ops), Err(StoreError::Invalid(_))));
        assert!(matches!(validate_transaction(&[]), Err(StoreError::Invalid(_))));
    }
}
