//! The AWS adapter: one table (`pk`, `sk`; sparse GSIs `gsi1`..`gsi4` on
//! `gsiNpk`/`gsiNsk`; TTL on `ttl`), items (de)serialized with serde_dynamo.

use std::collections::HashMap;
use std::sync::Arc;
use std::time::Duration;

use async_trait::async_trait;
use aws_sdk_dynamodb::Client;
use aws_sdk_dynamodb::error::{DisplayErrorContext, SdkError};
use aws_sdk_dynamodb::operation::transact_write_items::TransactWriteItemsError;
use aws_sdk_dynamodb::types::{
    AttributeDefinition, AttributeValue, BillingMode, ConditionCheck, Delete, GlobalSecondaryIndex, KeySchemaElement,
    KeyType, KeysAndAttributes, Projection, ProjectionType, Put, ScalarAttributeType, TimeToLiveSpecification,
    TransactWriteItem, Update,
};
use serde::{Deserialize, Serialize};
use serde_dynamo::aws_sdk_dynamodb_1::{from_item, to_attribute_value, to_item};
use serde_json::Value;

use crate::aws::Lazy;

use super::{
    Condition, Index, IndexKey, Item, Key, Page, Partition, Query, SortKey, StartKey, Store, StoreError, WriteOp,
    epoch_now, validate_batch, validate_query, validate_transaction,
};

type AttributeMap = HashMap<String, AttributeValue>;

#[derive(Clone)]
pub struct DynamoStore {
    client: Arc<Lazy<Client>>,
    table: String,
}

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

fn sdk_unavailable<E, R>(e: SdkError<E, R>) -> StoreError
where
    E: std::error::Error + 'static,
    R: std::fmt::Debug,
{
    StoreError::Unavailable(DisplayErrorContext(e).to_string())
}

fn decode(map: AttributeMap) -> Result<Item, StoreError> {
    from_item::<Stored>(map).map(Item::from).map_err(serialization)
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

impl DynamoStore {
    /// A store on `table`, its client built from the process's AWS
    /// configuration on first use (see [`crate::aws`]); no network call.
    pub async fn from_env(table: String) -> Self {
        Self { client: Arc::new(Lazy::new(Client::new)), table }
    }

    async fn client(&self) -> &Client {
        self.client.get().await
    }

    pub fn table(&self) -> &str {
        &self.table
    }

    /// Creates the table with its index and TTL unless it exists (local
    /// emulators and tests; on AWS the SAM template owns the table).
    pub async fn ensure_table(&self) -> Result<(), StoreError> {
        if self.client().await.describe_table().table_name(&self.table).send().await.is_ok() {
            return Ok(());
        }
        let attr = |name: &str| {
            AttributeDefinition::builder()
                .attribute_name(name)
                .attribute_type(ScalarAttributeType::S)
                .build()
                .map_err(|e| StoreError::Invalid(e.to_string()))
        };
        let key = |name: &str, kind: KeyType| {
            KeySchemaElement::builder()
                .attribute_name(name)
                .key_type(kind)
                .build()
                .map_err(|e| StoreError::Invalid(e.to_string()))
        };
        let mut create = self
            .client()
            .await
            .create_table()
            .table_name(&self.table)
            .billing_mode(BillingMode::PayPerRequest)
            .attribute_definitions(attr("pk")?)
            .attribute_definitions(attr("sk")?)
            .key_schema(key("pk", KeyType::Hash)?)
            .key_schema(key("sk", KeyType::Range)?);
        for (name, pk, sk) in Index::SECONDARY.iter().filter_map(|i| i.attributes()) {
            let gsi = GlobalSecondaryIndex::builder()
                .index_name(name)
                .key_schema(key(pk, KeyType::Hash)?)
                .key_schema(key(sk, KeyType::Range)?)
                .projection(Projection::builder().projection_type(ProjectionType::All).build())
                .build()
                .map_err(|e| StoreError::Invalid(e.to_string()))?;
            create =
                create.attribute_definitions(attr(pk)?).attribute_definitions(attr(sk)?).global_secondary_indexes(gsi);
        }
        let created = create.send().await;
        if let Err(e) = created {
            let in_use = e.as_service_error().is_some_and(|s| s.is_resource_in_use_exception());
            if !in_use {
                return Err(sdk_unavailable(e));
            }
        }
        self.client()
            .await
            .update_time_to_live()
            .table_name(&self.table)
            .time_to_live_specification(
                TimeToLiveSpecification::builder()
                    .attribute_name("ttl")
                    .enabled(true)
                    .build()
                    .map_err(|e| StoreError::Invalid(e.to_string()))?,
            )
            .send()
            .await
            .map_err(sdk_unavailable)?;
        Ok(())
    }

    fn transact_item(&self, op: &WriteOp) -> Result<TransactWriteItem, StoreError> {
        let mut expr = Expression::default();
        let condition = op.condition().map(|c| expr.condition(c)).transpose()?;
        let invalid = |e: aws_sdk_dynamodb::error::BuildError| StoreError::Invalid(e.to_string());
        Ok(match op {
            WriteOp::Put { item, .. } => {
                let map: AttributeMap = to_item(Stored::from(item.as_ref())).map_err(serialization)?;
                let put = Put::builder()
                    .table_name(&self.table)
                    .set_item(Some(map))
                    .set_condition_expression(condition)
                    .set_expression_attribute_names(expr.names())
                    .set_expression_attribute_values(expr.values())
                    .build()
                    .map_err(invalid)?;
                TransactWriteItem::builder().put(put).build()
            }
            WriteOp::Delete { key, .. } => {
                let delete = Delete::builder()
                    .table_name(&self.table)
                    .set_key(Some(key_map(key)))
                    .set_condition_expression(condition)
                    .set_expression_attribute_names(expr.names())
                    .set_expression_attribute_values(expr.values())
                    .build()
                    .map_err(invalid)?;
                TransactWriteItem::builder().delete(delete).build()
            }
            WriteOp::Check { key, .. } => {
                let check = ConditionCheck::builder()
                    .table_name(&self.table)
                    .set_key(Some(key_map(key)))
                    .set_condition_expression(condition)
                    .set_expression_attribute_names(expr.names())
                    .set_expression_attribute_values(expr.values())
                    .build()
                    .map_err(invalid)?;
                TransactWriteItem::builder().condition_check(check).build()
            }
            WriteOp::Add { key, by, expires_at } => {
                let update = Update::builder()
                    .table_name(&self.table)
                    .set_key(Some(key_map(key)))
                    .update_expression(counter_update(&mut expr, *by, *expires_at))
                    .set_expression_attribute_names(expr.names())
                    .set_expression_attribute_values(expr.values())
                    .build()
                    .map_err(invalid)?;
                TransactWriteItem::builder().update(update).build()
            }
            WriteOp::Patch { key, set, .. } => {
                let update = Update::builder()
                    .table_name(&self.table)
                    .set_key(Some(key_map(key)))
                    .update_expression(patch_update(&mut expr, set)?)
                    .set_condition_expression(condition)
                    .set_expression_attribute_names(expr.names())
                    .set_expression_attribute_values(expr.values())
                    .build()
                    .map_err(invalid)?;
                TransactWriteItem::builder().update(update).build()
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
        let mut request = Some(
            KeysAndAttributes::builder()
                .set_keys(Some(unique.iter().map(|k| key_map(k)).collect()))
                .consistent_read(true)
                .build()
                .map_err(|e| StoreError::Invalid(e.to_string()))?,
        );
        let mut attempt = 0u32;
        while let Some(keys_and_attributes) = request.take() {
            let out = self
                .client()
                .await
                .batch_get_item()
                .request_items(&self.table, keys_and_attributes)
                .send()
                .await
                .map_err(sdk_unavailable)?;
            for map in out.responses.and_then(|mut r| r.remove(&self.table)).unwrap_or_default() {
                let item = decode(map)?;
                found.insert(item.key.clone(), item);
            }
            request = out.unprocessed_keys.and_then(|mut u| u.remove(&self.table)).filter(|k| !k.keys.is_empty());
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
        let now = epoch_now();
        let mut items = Vec::new();
        let mut start = query.start.as_ref().map(|s| start_map(s, query.index));
        // DynamoDB may stop a page early (1 MB); keep reading until the page
        // is full (plus the one item that proves another page exists).
        while items.len() <= query.limit {
            let out = self
                .client()
                .await
                .query()
                .table_name(&self.table)
                .set_index_name(query.index.attributes().map(|(name, _, _)| name.to_owned()))
                .consistent_read(query.index == Index::Table)
                .key_condition_expression(&key_condition)
                .set_expression_attribute_names(expr.names())
                .set_expression_attribute_values(expr.values())
                .scan_index_forward(!query.descending)
                .limit((query.limit + 1 - items.len()) as i32)
                .set_exclusive_start_key(start.take())
                .send()
                .await
                .map_err(sdk_unavailable)?;
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
        let result = self.client().await.transact_write_items().set_transact_items(Some(items)).send().await;
        let Err(err) = result else { return Ok(()) };
        if let Some(TransactWriteItemsError::TransactionCanceledException(cancelled)) = err.as_service_error() {
            let reasons = cancelled.cancellation_reasons();
            if let Some(index) = reasons.iter().position(|r| r.code() == Some("ConditionalCheckFailed")) {
                return Err(StoreError::ConditionFailed { index });
            }
            if reasons.iter().any(|r| r.code() == Some("TransactionConflict")) {
                return Err(StoreError::Conflict);
            }
        }
        if let Some(TransactWriteItemsError::TransactionInProgressException(_)) = err.as_service_error() {
            return Err(StoreError::Conflict);
        }
        Err(sdk_unavailable(err))
    }

    async fn increment(&self, key: &Key, by: u64, expires_at: Option<i64>) -> Result<u64, StoreError> {
        let mut expr = Expression::default();
        let update = counter_update(&mut expr, by, expires_at);
        let out = self
            .client()
            .await
            .update_item()
            .table_name(&self.table)
            .set_key(Some(key_map(key)))
            .update_expression(update)
            .set_expression_attribute_names(expr.names())
            .set_expression_attribute_values(expr.values())
            .return_values(aws_sdk_dynamodb::types::ReturnValue::UpdatedNew)
            .send()
            .await
            .map_err(sdk_unavailable)?;
        match out.attributes.as_ref().and_then(|a| a.get("version")) {
            Some(AttributeValue::N(n)) => n.parse().map_err(|e| StoreError::Serialization(format!("counter: {e}"))),
            _ => Err(StoreError::Serialization("counter update returned no count".into())),
        }
    }

    /// A read of a key no item has: it proves the table answers with a call
    /// every function makes anyway (`DescribeTable` would link its whole
    /// response model, 100 KB of code, into each function).
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
