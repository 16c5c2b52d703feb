//! The AWS adapter: one table (`pk`, `sk`; sparse GSIs `gsi1`..`gsi4` on
//! `gsiNpk`/`gsiNsk`; TTL on `ttl`), items (de)serialized with serde_dynamo,
//! spoken to through `aws-sdk-dynamodb` (retries and timeouts: [`crate::ports::aws`]).
//!
//! Every transaction carries its own `ClientRequestToken`, so that the
//! SDK's retry of a `TransactWriteItems` whose answer was lost is applied
//! once.

use std::collections::HashMap;
use std::time::Duration;

use async_trait::async_trait;
use aws_sdk_dynamodb::Client;
use aws_sdk_dynamodb::error::ProvideErrorMetadata;
use aws_sdk_dynamodb::operation::transact_write_items::TransactWriteItemsError;
use aws_sdk_dynamodb::types::{
    AttributeDefinition, AttributeValue, BillingMode, ConditionCheck, Delete, GlobalSecondaryIndex, KeySchemaElement,
    KeyType, KeysAndAttributes, Projection, ProjectionType, Put, ReturnValue, ScalarAttributeType,
    TimeToLiveSpecification, TransactWriteItem, Update,
};
use serde::{Deserialize, Serialize};
use serde_dynamo::{from_item, to_attribute_value, to_item};
use serde_json::Value;

use crate::ports::aws::{Lazy, describe};

use super::{
    Condition, Index, IndexKey, Item, Key, Page, Partition, Query, SortKey, StartKey, Store, StoreError, WriteOp,
    epoch_now, validate_batch, validate_query, validate_transaction,
};

type AttributeMap = HashMap<String, AttributeValue>;

#[derive(Clone)]
pub struct DynamoStore {
    table: String,
    client: &'static Lazy<Client>,
}

/// The process's DynamoDB client, built on first use.
static CLIENT: Lazy<Client> = Lazy::new(Client::new);

/// The item as stored: key attributes at the top level, the body under `data`.
#[derive(Serialize, Deserialize)]
struct Stored {
    pk: String,
    sk: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    gsi1pk: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    gsi1sk: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    gsi2pk: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    gsi2sk: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    gsi3pk: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    gsi3sk: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    gsi4pk: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    gsi4sk: Option<String>,
    version: u64,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    ttl: Option<i64>,
    data: Value,
}

impl From<&Item> for Stored {
    fn from(item: &Item) -> Self {
        Stored {
            pk: item.key.pk().to_owned(),
            sk: item.key.sk().to_owned(),
            gsi1pk: pk_in(item, 0),
            gsi1sk: sk_in(item, 0),
            gsi2pk: pk_in(item, 1),
            gsi2sk: sk_in(item, 1),
            gsi3pk: pk_in(item, 2),
            gsi3sk: sk_in(item, 2),
            gsi4pk: pk_in(item, 3),
            gsi4sk: sk_in(item, 3),
            version: item.version,
            ttl: item.expires_at,
            data: item.data.clone(),
        }
    }
}

impl From<Stored> for Item {
    fn from(s: Stored) -> Self {
        Item {
            key: Key::from_parts(s.pk, s.sk),
            indexes: [
                index_key(s.gsi1pk, s.gsi1sk),
                index_key(s.gsi2pk, s.gsi2sk),
                index_key(s.gsi3pk, s.gsi3sk),
                index_key(s.gsi4pk, s.gsi4sk),
            ],
            version: s.version,
            expires_at: s.ttl,
            data: s.data,
        }
    }
}

fn pk_in(item: &Item, slot: usize) -> Option<String> {
    item.indexes[slot].as_ref().map(|g| g.pk.as_str().to_owned())
}

fn sk_in(item: &Item, slot: usize) -> Option<String> {
    item.indexes[slot].as_ref().map(|g| g.sk.clone())
}

fn index_key(pk: Option<String>, sk: Option<String>) -> Option<IndexKey> {
    pk.zip(sk).map(|(pk, sk)| IndexKey { pk: Partition(pk), sk })
}

fn serialization(e: serde_dynamo::Error) -> StoreError {
    StoreError::Serialization(e.to_string())
}

fn unavailable(e: impl std::error::Error) -> StoreError {
    StoreError::Unavailable(describe(e))
}

fn invalid(e: aws_sdk_dynamodb::error::BuildError) -> StoreError {
    StoreError::Invalid(e.to_string())
}

fn decode(map: AttributeMap) -> Result<Item, StoreError> {
    from_item::<_, Stored>(map).map(Item::from).map_err(serialization)
}

fn key_map(key: &Key) -> AttributeMap {
    HashMap::from([
        ("pk".to_owned(), AttributeValue::S(key.pk().to_owned())),
        ("sk".to_owned(), AttributeValue::S(key.sk().to_owned())),
    ])
}

fn start_map(start: &StartKey, index: Index) -> AttributeMap {
    let mut map = key_map(&Key::from_parts(start.pk.clone(), start.sk.clone()));
    if let (Some((gpk, gsk)), Some((_, pk_attr, sk_attr))) = (&start.index_key, index.attributes()) {
        map.insert(pk_attr.into(), AttributeValue::S(gpk.clone()));
        map.insert(sk_attr.into(), AttributeValue::S(gsk.clone()));
    }
    map
}

/// Collects placeholder names and values as an expression is built, so only
/// the ones used are sent (DynamoDB rejects unused ones).
#[derive(Default)]
struct Expression {
    names: HashMap<String, String>,
    values: AttributeMap,
}

impl Expression {
    fn name(&mut self, placeholder: &str, attribute: &str) -> String {
        self.names.insert(placeholder.to_owned(), attribute.to_owned());
        placeholder.to_owned()
    }

    fn value(&mut self, placeholder: &str, value: AttributeValue) -> String {
        self.values.insert(placeholder.to_owned(), value);
        placeholder.to_owned()
    }

    fn names(&self) -> Option<HashMap<String, String>> {
        (!self.names.is_empty()).then(|| self.names.clone())
    }

    fn values(&self) -> Option<AttributeMap> {
        (!self.values.is_empty()).then(|| self.values.clone())
    }

    /// Expired-but-not-yet-deleted items count as absent, as in SQLite.
    fn live(&mut self) -> String {
        let ttl = self.name("#ttl", "ttl");
        let now = self.value(":now", AttributeValue::N(epoch_now().to_string()));
        format!("(attribute_not_exists({ttl}) OR {ttl} > {now})")
    }

    fn condition(&mut self, condition: &Condition) -> Result<String, StoreError> {
        Ok(match condition {
            Condition::Exists => {
                let pk = self.name("#pk", "pk");
                format!("attribute_exists({pk}) AND {}", self.live())
            }
            Condition::NotExists => {
                let pk = self.name("#pk", "pk");
                let ttl = self.name("#ttl", "ttl");
                let now = self.value(":now", AttributeValue::N(epoch_now().to_string()));
                format!("attribute_not_exists({pk}) OR {ttl} <= {now}")
            }
            Condition::VersionEquals(v) => {
                let version = self.name("#version", "version");
                let expected = self.value(":version", AttributeValue::N(v.to_string()));
                format!("{version} = {expected} AND {}", self.live())
            }
            Condition::FieldIn { field, values } => {
                if values.is_empty() {
                    return Err(StoreError::Invalid("FieldIn needs at least one value".into()));
                }
                let data = self.name("#data", "data");
                let field = self.name("#field", field);
                let mut placeholders = Vec::with_capacity(values.len());
                for (i, v) in values.iter().enumerate() {
                    let av = to_attribute_value(v).map_err(serialization)?;
                    placeholders.push(self.value(&format!(":in{i}"), av));
                }
                format!("{data}.{field} IN ({}) AND {}", placeholders.join(", "), self.live())
            }
        })
    }
}

/// A transaction operation's builder finished with what every kind takes:
/// the table, the condition and the placeholders of both expressions.
macro_rules! conditioned {
    ($builder:expr, $table:expr, $condition:expr, $expr:expr) => {
        $builder
            .table_name($table)
            .set_condition_expression($condition)
            .set_expression_attribute_names($expr.names())
            .set_expression_attribute_values($expr.values())
            .build()
            .map_err(invalid)?
    };
}

/// An update of `key` by `update`, before its table and condition.
fn updating(key: &Key, update: String) -> aws_sdk_dynamodb::types::builders::UpdateBuilder {
    Update::builder().set_key(Some(key_map(key))).update_expression(update)
}

/// What a failed `TransactWriteItems` means for the port.
fn transaction_error(error: aws_sdk_dynamodb::error::SdkError<TransactWriteItemsError>) -> StoreError {
    match error.as_service_error() {
        Some(TransactWriteItemsError::TransactionCanceledException(cancelled)) => {
            let reasons = cancelled.cancellation_reasons();
            if let Some(index) = reasons.iter().position(|r| r.code() == Some("ConditionalCheckFailed")) {
                return StoreError::ConditionFailed { index };
            }
            if reasons.iter().any(|r| r.code() == Some("TransactionConflict")) {
                return StoreError::Conflict;
            }
            unavailable(error)
        }
        Some(TransactWriteItemsError::TransactionInProgressException(_)) => StoreError::Conflict,
        _ => unavailable(error),
    }
}

/// The table's definition: its key, the sparse secondary indexes
/// (local emulators and tests; on AWS the SAM template owns the table).
fn create_table(
    client: &Client,
    table: &str,
) -> Result<aws_sdk_dynamodb::operation::create_table::builders::CreateTableFluentBuilder, StoreError> {
    let attribute = |name: &str| {
        AttributeDefinition::builder()
            .attribute_name(name)
            .attribute_type(ScalarAttributeType::S)
            .build()
            .map_err(invalid)
    };
    let key = |pk: &str, sk: &str| -> Result<Vec<KeySchemaElement>, StoreError> {
        Ok(vec![
            KeySchemaElement::builder().attribute_name(pk).key_type(KeyType::Hash).build().map_err(invalid)?,
            KeySchemaElement::builder().attribute_name(sk).key_type(KeyType::Range).build().map_err(invalid)?,
        ])
    };
    let mut create = client
        .create_table()
        .table_name(table)
        .billing_mode(BillingMode::PayPerRequest)
        .attribute_definitions(attribute("pk")?)
        .attribute_definitions(attribute("sk")?)
        .set_key_schema(Some(key("pk", "sk")?));
    for (name, pk, sk) in Index::SECONDARY.iter().filter_map(|i| i.attributes()) {
        let index = GlobalSecondaryIndex::builder()
            .index_name(name)
            .set_key_schema(Some(key(pk, sk)?))
            .projection(Projection::builder().projection_type(ProjectionType::All).build())
            .build()
            .map_err(invalid)?;
        create = create
            .attribute_definitions(attribute(pk)?)
            .attribute_definitions(attribute(sk)?)
            .global_secondary_indexes(index);
    }
    Ok(create)
}

impl DynamoStore {
    /// A store on `table`; the process's AWS configuration ([`crate::ports::aws`])
    /// is read on first use. No network call.
    pub async fn from_env(table: String) -> Self {
        Self { table, client: &CLIENT }
    }

    async fn client(&self) -> &Client {
        self.client.get().await
    }

    pub fn table(&self) -> &str {
        &self.table
    }

    /// Creates the table with its indexes and TTL unless it exists (local
    /// emulators and tests; on AWS the SAM template owns the table).
    pub async fn ensure_table(&self) -> Result<(), StoreError> {
        let client = self.client().await;
        if client.describe_table().table_name(&self.table).send().await.is_ok() {
            return Ok(());
        }
        match create_table(client, &self.table)?.send().await {
            Err(e) if e.code() != Some("ResourceInUseException") => return Err(unavailable(e)),
            _ => {}
        }
        let ttl = TimeToLiveSpecification::builder().attribute_name("ttl").enabled(true).build().map_err(invalid)?;
        client
            .update_time_to_live()
            .table_name(&self.table)
            .time_to_live_specification(ttl)
            .send()
            .await
            .map_err(unavailable)?;
        Ok(())
    }

    fn transact_item(&self, op: &WriteOp) -> Result<TransactWriteItem, StoreError> {
        let mut expr = Expression::default();
        let condition = op.condition().map(|c| expr.condition(c)).transpose()?;
        let item = TransactWriteItem::builder();
        let table = self.table.as_str();
        Ok(match op {
            WriteOp::Put { item: stored, .. } => {
                let stored = to_item(Stored::from(stored.as_ref())).map_err(serialization)?;
                item.put(conditioned!(Put::builder().set_item(Some(stored)), table, condition, expr)).build()
            }
            WriteOp::Delete { key, .. } => {
                item.delete(conditioned!(Delete::builder().set_key(Some(key_map(key))), table, condition, expr)).build()
            }
            WriteOp::Check { key, .. } => {
                let check = ConditionCheck::builder().set_key(Some(key_map(key)));
                item.condition_check(conditioned!(check, table, condition, expr)).build()
            }
            WriteOp::Add { key, by, expires_at } => {
                let update = counter_update(&mut expr, *by, *expires_at);
                item.update(conditioned!(updating(key, update), table, condition, expr)).build()
            }
            WriteOp::Patch { key, set, .. } => {
                let update = patch_update(&mut expr, set)?;
                item.update(conditioned!(updating(key, update), table, condition, expr)).build()
            }
        })
    }

    fn key_condition(query: &Query, expr: &mut Expression) -> String {
        let (pk_attr, sk_attr) = query.index.attributes().map_or(("pk", "sk"), |(_, pk, sk)| (pk, sk));
        let pk = expr.name("#qpk", pk_attr);
        let pk_value = expr.value(":qpk", AttributeValue::S(query.partition.as_str().to_owned()));
        let mut condition = format!("{pk} = {pk_value}");
        match &query.sort {
            SortKey::Any => {}
            SortKey::BeginsWith(prefix) => {
                let sk = expr.name("#qsk", sk_attr);
                let p = expr.value(":qprefix", AttributeValue::S(prefix.clone()));
                condition.push_str(&format!(" AND begins_with({sk}, {p})"));
            }
            SortKey::Between(low, high) => {
                let sk = expr.name("#qsk", sk_attr);
                let lo = expr.value(":qlow", AttributeValue::S(low.clone()));
                let hi = expr.value(":qhigh", AttributeValue::S(high.clone()));
                condition.push_str(&format!(" AND {sk} BETWEEN {lo} AND {hi}"));
            }
        }
        condition
    }
}

#[async_trait]
impl Store for DynamoStore {
    async fn batch_get(&self, keys: &[Key]) -> Result<Vec<Option<Item>>, StoreError> {
        validate_batch(keys)?;
        let mut unique: Vec<&Key> = keys.iter().collect();
        unique.sort_by(|a, b| (a.pk(), a.sk()).cmp(&(b.pk(), b.sk())));
        unique.dedup();
        let mut found: HashMap<Key, Item> = HashMap::new();
        if unique.is_empty() {
            return Ok(Vec::new());
        }
        let client = self.client().await;
        let mut request: Option<Vec<AttributeMap>> = Some(unique.iter().map(|k| key_map(k)).collect());
        let mut attempt = 0u32;
        while let Some(keys) = request.take() {
            let asked =
                KeysAndAttributes::builder().set_keys(Some(keys)).consistent_read(true).build().map_err(invalid)?;
            let out = client.batch_get_item().request_items(&self.table, asked).send().await.map_err(unavailable)?;
            for map in out.responses.and_then(|mut r| r.remove(&self.table)).unwrap_or_default() {
                let item = decode(map)?;
                found.insert(item.key.clone(), item);
            }
            request =
                out.unprocessed_keys.and_then(|mut u| u.remove(&self.table)).map(|k| k.keys).filter(|k| !k.is_empty());
            if request.is_some() {
                attempt += 1;
                if attempt > 8 {
                    return Err(StoreError::Unavailable("batch get kept returning unprocessed keys".into()));
                }
                tokio::time::sleep(Duration::from_millis(10 << attempt.min(6))).await;
            }
        }
        let now = epoch_now();
        Ok(keys.iter().map(|k| found.get(k).filter(|i| !i.is_expired(now)).cloned()).collect())
    }

    async fn query(&self, query: &Query) -> Result<Page, StoreError> {
        validate_query(query)?;
        let mut expr = Expression::default();
        let key_condition = Self::key_condition(query, &mut expr);
        let limit = |n: usize| i32::try_from(n).map_err(|_| StoreError::Invalid(format!("limit {n} is too large")));
        let client = self.client().await;
        let now = epoch_now();
        let mut items = Vec::new();
        let mut start = query.start.as_ref().map(|s| start_map(s, query.index));
        // DynamoDB may stop a page early (1 MB); keep reading until the page
        // is full (plus the one item that proves another page exists).
        while items.len() <= query.limit {
            let out = client
                .query()
                .table_name(&self.table)
                .set_index_name(query.index.attributes().map(|(name, _, _)| name.to_owned()))
                .consistent_read(query.index == Index::Table)
                .key_condition_expression(&key_condition)
                .set_expression_attribute_names(expr.names())
                .set_expression_attribute_values(expr.values())
                .scan_index_forward(!query.descending)
                .limit(limit(query.limit + 1 - items.len())?)
                .set_exclusive_start_key(start.take())
                .send()
                .await
                .map_err(unavailable)?;
            for map in out.items.unwrap_or_default() {
                let item = decode(map)?;
                if !item.is_expired(now) {
                    items.push(item);
                }
            }
            match out.last_evaluated_key {
                Some(lek) if !lek.is_empty() => start = Some(lek),
                _ => break,
            }
        }
        Ok(Page::from_overfetch(items, query))
    }

    async fn transact(&self, ops: Vec<WriteOp>) -> Result<(), StoreError> {
        validate_transaction(&ops)?;
        let items = ops.iter().map(|op| self.transact_item(op)).collect::<Result<Vec<_>, _>>()?;
        self.client()
            .await
            .transact_write_items()
            .set_transact_items(Some(items))
            .client_request_token(ulid::Ulid::new().to_string())
            .send()
            .await
            .map_err(transaction_error)?;
        Ok(())
    }

    async fn increment(&self, key: &Key, by: u64, expires_at: Option<i64>) -> Result<u64, StoreError> {
        let mut expr = Expression::default();
        let update_expression = counter_update(&mut expr, by, expires_at);
        let out = self
            .client()
            .await
            .update_item()
            .table_name(&self.table)
            .set_key(Some(key_map(key)))
            .update_expression(update_expression)
            .set_expression_attribute_names(expr.names())
            .set_expression_attribute_values(expr.values())
            .return_values(ReturnValue::UpdatedNew)
            .send()
            .await
            .map_err(unavailable)?;
        match out.attributes.as_ref().and_then(|a| a.get("version")) {
            Some(AttributeValue::N(n)) => n.parse().map_err(|e| StoreError::Serialization(format!("counter: {e}"))),
            _ => Err(StoreError::Serialization("counter update returned no count".into())),
        }
    }

    /// A read of a key no item has: it proves the table answers with a call
    /// every function makes anyway.
    async fn ping(&self) -> Result<(), StoreError> {
        self.batch_get(&[Key::from_parts("PING".into(), "PING".into())]).await.map(|_| ())
    }
}

/// The update expression of a patch: sets each field of `data` and bumps
/// the version, the item's and its body's (both from the stored one).
fn patch_update(expr: &mut Expression, set: &[(String, Value)]) -> Result<String, StoreError> {
    let data = expr.name("#data", "data");
    let version = expr.name("#version", "version");
    let body_version = expr.name("#dversion", "version");
    let one = expr.value(":one", AttributeValue::N("1".into()));
    let mut assignments = Vec::with_capacity(set.len() + 2);
    for (i, (field, value)) in set.iter().enumerate() {
        let field = expr.name(&format!("#p{i}"), field);
        let value = expr.value(&format!(":p{i}"), to_attribute_value(value).map_err(serialization)?);
        assignments.push(format!("{data}.{field} = {value}"));
    }
    assignments.push(format!("{data}.{body_version} = {version} + {one}"));
    assignments.push(format!("{version} = {version} + {one}"));
    Ok(format!("SET {}", assignments.join(", ")))
}

/// The update expression of a counter increment: adds `by` to `version`
/// (a missing counter starts at 0), gives a new counter the body `{}` and
/// (re)sets the expiry when given.
fn counter_update(expr: &mut Expression, by: u64, expires_at: Option<i64>) -> String {
    let version = expr.name("#version", "version");
    let data = expr.name("#data", "data");
    let by_value = expr.value(":by", AttributeValue::N(by.to_string()));
    let empty = expr.value(":empty", AttributeValue::M(HashMap::new()));
    let mut update = format!("ADD {version} {by_value} SET {data} = if_not_exists({data}, {empty})");
    if let Some(at) = expires_at {
        let ttl = expr.name("#ttl", "ttl");
        let at = expr.value(":ttl", AttributeValue::N(at.to_string()));
        update.push_str(&format!(", {ttl} = {at}"));
    }
    update
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::TenantId;
    use crate::ports::aws::look_alike::serving;

    async fn store(script: Vec<(u16, &'static str)>) -> (DynamoStore, crate::ports::aws::look_alike::Log) {
        let (config, log) = serving(script).await;
        let client: &'static Lazy<Client> = Box::leak(Box::new(Lazy::built(Client::new(&config))));
        (DynamoStore { table: "t".into(), client }, log)
    }

    #[tokio::test]
    async fn a_transaction_retried_after_a_5xx_carries_the_same_idempotency_token() {
        let (store, log) = store(vec![(500, "{}"), (200, "{}")]).await;
        let key = Key::tenant(&TenantId::fresh(), "C");
        store.transact(vec![WriteOp::add(key, 1, None)]).await.unwrap();
        let log = log.lock().unwrap();
        assert_eq!(log.len(), 2, "retried once");
        assert_eq!((&log[0].method, log[0].path.as_str()), (&http::Method::POST, "/"));
        assert_eq!(log[0].headers["x-amz-target"], "DynamoDB_20120810.TransactWriteItems");
        let token = |i: usize| serde_json::from_str::<Value>(&log[i].body).unwrap()["ClientRequestToken"].clone();
        assert!(token(0).as_str().is_some_and(|t| !t.is_empty() && t.len() <= 36), "{}", log[0].body);
        assert_eq!(token(0), token(1), "one transaction, applied once");
    }

    #[tokio::test]
    async fn cancellation_reasons_name_the_failed_operation_or_a_conflict() {
        let condition = (
            400,
            r#"{"__type":"com.amazonaws.dynamodb.v20120810#TransactionCanceledException","Message":"cancelled",
                "CancellationReasons":[{"Code":"None"},{"Code":"ConditionalCheckFailed","Message":"no"}]}"#,
        );
        let conflict = (
            400,
            r#"{"__type":"TransactionCanceledException","CancellationReasons":[{"Code":"TransactionConflict"}]}"#,
        );
        let t = TenantId::fresh();
        let ops = || vec![WriteOp::delete(Key::tenant(&t, "A")), WriteOp::delete(Key::tenant(&t, "B"))];
        let (failing, _) = store(vec![condition]).await;
        let failed = failing.transact(ops()).await;
        assert!(matches!(failed, Err(StoreError::ConditionFailed { index: 1 })), "{failed:?}");
        let (conflicting, _) = store(vec![conflict]).await;
        assert!(matches!(conflicting.transact(ops()).await, Err(StoreError::Conflict)));
        let throttled = (400, r#"{"__type":"ProvisionedThroughputExceededException","message":"slow down"}"#);
        let (throttling, log) = store(vec![throttled]).await;
        let error = throttling.transact(ops()).await;
        assert!(
            matches!(&error, Err(StoreError::Unavailable(m)) if m.contains("ProvisionedThroughputExceeded")),
            "{error:?}"
        );
        assert_eq!(
            log.lock().unwrap().len(),
            crate::ports::aws::DEFAULT_MAX_ATTEMPTS as usize,
            "throttling is retried"
        );
    }

    #[tokio::test]
    async fn a_batch_get_asks_consistent_reads_and_asks_again_for_unprocessed_keys() {
        let t = TenantId::fresh();
        let stored = |sk: &str| {
            format!(
                r#"{{"pk":{{"S":"T#{t}"}},"sk":{{"S":"{sk}"}},"version":{{"N":"3"}},"data":{{"M":{{"n":{{"N":"1"}}}}}}}}"#
            )
        };
        let first = format!(
            r#"{{"Responses":{{"t":[{}]}},"UnprocessedKeys":{{"t":{{"Keys":[{{"pk":{{"S":"T#{t}"}},"sk":{{"S":"B"}}}}]}}}}}}"#,
            stored("A")
        );
        let second = format!(r#"{{"Responses":{{"t":[{}]}}}}"#, stored("B"));
        let (store, log) = store(vec![(200, first.leak()), (200, second.leak())]).await;
        let keys = [Key::tenant(&t, "B"), Key::tenant(&t, "missing"), Key::tenant(&t, "A")];
        let got = store.batch_get(&keys).await.unwrap();
        let versions: Vec<Option<u64>> = got.iter().map(|i| i.as_ref().map(|i| i.version)).collect();
        assert_eq!(versions, [Some(3), None, Some(3)]);
        assert_eq!(got[2].as_ref().unwrap().data, serde_json::json!({"n": 1}));
        let log = log.lock().unwrap();
        let asked: Value = serde_json::from_str(&log[0].body).unwrap();
        assert_eq!(asked["RequestItems"]["t"]["ConsistentRead"], true);
        assert_eq!(asked["RequestItems"]["t"]["Keys"].as_array().unwrap().len(), 3);
        let again: Value = serde_json::from_str(&log[1].body).unwrap();
        assert_eq!(again["RequestItems"]["t"]["Keys"].as_array().unwrap().len(), 1, "only the unprocessed key");
        assert_eq!(again["RequestItems"]["t"]["ConsistentRead"], true, "still consistent");
    }
}
