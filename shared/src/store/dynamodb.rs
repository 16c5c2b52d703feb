//! The AWS adapter: one table (`pk`, `sk`; sparse GSIs `gsi1`..`gsi4` on
//! `gsiNpk`/`gsiNsk`; TTL on `ttl`), items (de)serialized with serde_dynamo.
//!
//! Spoken in DynamoDB's JSON protocol through [`crate::aws::json`], as SQS
//! and Secrets Manager are, rather than through `aws-sdk-dynamodb`: the SDK
//! crate links every operation of the service with its generated
//! serializers and endpoint rules, and runs its orchestrator (interceptors,
//! endpoint resolution, identity) on each call; the operations used here
//! (four on the request path, three more to create a local table) are one
//! signed POST each. What the SDK did for them is kept: retries of
//! throttling, 5xx and I/O errors (three attempts), and an idempotency token
//! on each transaction, so that a retried `TransactWriteItems` is applied
//! once.

use std::collections::HashMap;
use std::time::Duration;

use async_trait::async_trait;
use serde::de::IgnoredAny;
use serde::{Deserialize, Serialize};
use serde_dynamo::{AttributeValue, from_item, to_attribute_value, to_item};
use serde_json::Value;

use crate::aws::json::{AwsError, DYNAMODB};
use crate::aws::signed::{self, Account};

use super::{
    Condition, Index, IndexKey, Item, Key, Page, Partition, Query, SortKey, StartKey, Store, StoreError, WriteOp,
    epoch_now, validate_batch, validate_query, validate_transaction,
};

type AttributeMap = HashMap<String, AttributeValue>;

#[derive(Clone)]
pub struct DynamoStore {
    table: String,
    /// The account the store's requests go to: the process's when `None`.
    account: Option<&'static Account>,
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

fn unavailable(e: AwsError) -> StoreError {
    StoreError::Unavailable(e.to_string())
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

/// One operation of a transaction, as `TransactWriteItems` takes it.
#[derive(Serialize)]
enum TransactItem {
    Put(Write),
    Delete(Write),
    ConditionCheck(Write),
    Update(Write),
}

/// The members of a transaction's operation (each kind sends its own).
#[derive(Serialize, Default)]
#[serde(rename_all = "PascalCase")]
struct Write {
    table_name: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    item: Option<AttributeMap>,
    #[serde(skip_serializing_if = "Option::is_none")]
    key: Option<AttributeMap>,
    #[serde(skip_serializing_if = "Option::is_none")]
    update_expression: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    condition_expression: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    expression_attribute_names: Option<HashMap<String, String>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    expression_attribute_values: Option<AttributeMap>,
}

#[derive(Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
struct KeysAndAttributes {
    keys: Vec<AttributeMap>,
    #[serde(default)]
    consistent_read: bool,
}

#[derive(Serialize)]
#[serde(rename_all = "PascalCase")]
struct BatchGetInput<'a> {
    request_items: HashMap<&'a str, KeysAndAttributes>,
}

#[derive(Deserialize)]
#[serde(rename_all = "PascalCase")]
struct BatchGetOutput {
    #[serde(default)]
    responses: HashMap<String, Vec<AttributeMap>>,
    #[serde(default)]
    unprocessed_keys: HashMap<String, KeysAndAttributes>,
}

#[derive(Serialize)]
#[serde(rename_all = "PascalCase")]
struct QueryInput<'a> {
    table_name: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    index_name: Option<&'static str>,
    consistent_read: bool,
    key_condition_expression: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    expression_attribute_names: Option<HashMap<String, String>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    expression_attribute_values: Option<AttributeMap>,
    scan_index_forward: bool,
    limit: usize,
    #[serde(skip_serializing_if = "Option::is_none")]
    exclusive_start_key: Option<AttributeMap>,
}

#[derive(Deserialize)]
#[serde(rename_all = "PascalCase")]
struct QueryOutput {
    #[serde(default)]
    items: Vec<AttributeMap>,
    #[serde(default)]
    last_evaluated_key: Option<AttributeMap>,
}

#[derive(Serialize)]
#[serde(rename_all = "PascalCase")]
struct TransactInput {
    transact_items: Vec<TransactItem>,
    /// Makes retries of the same transaction (ours, on an I/O error or a
    /// 5xx) apply it once, as the SDK's generated token did.
    client_request_token: String,
}

#[derive(Serialize)]
#[serde(rename_all = "PascalCase")]
struct UpdateInput<'a> {
    table_name: &'a str,
    key: AttributeMap,
    update_expression: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    expression_attribute_names: Option<HashMap<String, String>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    expression_attribute_values: Option<AttributeMap>,
    return_values: &'static str,
}

#[derive(Deserialize)]
#[serde(rename_all = "PascalCase")]
struct UpdateOutput {
    #[serde(default)]
    attributes: AttributeMap,
}

/// The part of a cancelled transaction's error answer that says why.
#[derive(Deserialize, Default)]
#[serde(rename_all = "PascalCase")]
struct Cancelled {
    #[serde(default)]
    cancellation_reasons: Vec<Reason>,
}

#[derive(Deserialize)]
#[serde(rename_all = "PascalCase")]
struct Reason {
    #[serde(default)]
    code: Option<String>,
}

/// What a failed `TransactWriteItems` means for the port.
fn transaction_error(error: AwsError) -> StoreError {
    match &error {
        AwsError::Service { code, body, .. } if code == "TransactionCanceledException" => {
            let cancelled: Cancelled = serde_json::from_slice(body).unwrap_or_default();
            let reasons = cancelled.cancellation_reasons;
            if let Some(index) = reasons.iter().position(|r| r.code.as_deref() == Some("ConditionalCheckFailed")) {
                return StoreError::ConditionFailed { index };
            }
            if reasons.iter().any(|r| r.code.as_deref() == Some("TransactionConflict")) {
                return StoreError::Conflict;
            }
            unavailable(error)
        }
        AwsError::Service { code, .. } if code == "TransactionInProgressException" => StoreError::Conflict,
        _ => unavailable(error),
    }
}

/// `CreateTable`'s input, as JSON (local emulators and tests only).
fn create_table_input(table: &str) -> Value {
    let attribute = |name: &str| serde_json::json!({ "AttributeName": name, "AttributeType": "S" });
    let key = |pk: &str, sk: &str| serde_json::json!([{ "AttributeName": pk, "KeyType": "HASH" }, { "AttributeName": sk, "KeyType": "RANGE" }]);
    let mut attributes = vec![attribute("pk"), attribute("sk")];
    let mut indexes = Vec::new();
    for (name, pk, sk) in Index::SECONDARY.iter().filter_map(|i| i.attributes()) {
        attributes.extend([attribute(pk), attribute(sk)]);
        indexes.push(serde_json::json!({
            "IndexName": name,
            "KeySchema": key(pk, sk),
            "Projection": { "ProjectionType": "ALL" },
        }));
    }
    serde_json::json!({
        "TableName": table,
        "BillingMode": "PAY_PER_REQUEST",
        "AttributeDefinitions": attributes,
        "KeySchema": key("pk", "sk"),
        "GlobalSecondaryIndexes": indexes,
    })
}

impl DynamoStore {
    /// A store on `table`; the process's AWS account (region, endpoint,
    /// credentials: [`crate::aws`]) is read on first use. No network call.
    pub async fn from_env(table: String) -> Self {
        Self { table, account: None }
    }

    /// Calls a DynamoDB operation in the store's account.
    async fn call<O: serde::de::DeserializeOwned>(
        &self,
        operation: &'static str,
        input: &impl Serialize,
    ) -> Result<O, AwsError> {
        let account = match self.account {
            Some(account) => account,
            None => signed::account().await,
        };
        DYNAMODB.call_in(account, operation, input).await
    }

    pub fn table(&self) -> &str {
        &self.table
    }

    /// Creates the table with its index and TTL unless it exists (local
    /// emulators and tests; on AWS the SAM template owns the table).
    pub async fn ensure_table(&self) -> Result<(), StoreError> {
        let name = serde_json::json!({ "TableName": self.table });
        if self.call::<IgnoredAny>("DescribeTable", &name).await.is_ok() {
            return Ok(());
        }
        let created = self.call::<IgnoredAny>("CreateTable", &create_table_input(&self.table)).await;
        match created {
            Err(e) if e.code() != Some("ResourceInUseException") => return Err(unavailable(e)),
            _ => {}
        }
        let ttl = serde_json::json!({
            "TableName": self.table,
            "TimeToLiveSpecification": { "AttributeName": "ttl", "Enabled": true },
        });
        self.call::<IgnoredAny>("UpdateTimeToLive", &ttl).await.map_err(unavailable)?;
        Ok(())
    }

    fn transact_item(&self, op: &WriteOp) -> Result<TransactItem, StoreError> {
        let mut expr = Expression::default();
        let condition_expression = op.condition().map(|c| expr.condition(c)).transpose()?;
        let mut write = Write { table_name: self.table.clone(), condition_expression, ..Write::default() };
        let kind: fn(Write) -> TransactItem = match op {
            WriteOp::Put { item, .. } => {
                write.item = Some(to_item(Stored::from(item.as_ref())).map_err(serialization)?);
                TransactItem::Put
            }
            WriteOp::Delete { key, .. } => {
                write.key = Some(key_map(key));
                TransactItem::Delete
            }
            WriteOp::Check { key, .. } => {
                write.key = Some(key_map(key));
                TransactItem::ConditionCheck
            }
            WriteOp::Add { key, by, expires_at } => {
                write.key = Some(key_map(key));
                write.update_expression = Some(counter_update(&mut expr, *by, *expires_at));
                TransactItem::Update
            }
            WriteOp::Patch { key, set, .. } => {
                write.key = Some(key_map(key));
                write.update_expression = Some(patch_update(&mut expr, set)?);
                TransactItem::Update
            }
        };
        write.expression_attribute_names = expr.names();
        write.expression_attribute_values = expr.values();
        Ok(kind(write))
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
        let mut request =
            Some(KeysAndAttributes { keys: unique.iter().map(|k| key_map(k)).collect(), consistent_read: true });
        let mut attempt = 0u32;
        while let Some(keys_and_attributes) = request.take() {
            let input = BatchGetInput { request_items: HashMap::from([(self.table.as_str(), keys_and_attributes)]) };
            let mut out: BatchGetOutput = self.call("BatchGetItem", &input).await.map_err(unavailable)?;
            for map in out.responses.remove(&self.table).unwrap_or_default() {
                let item = decode(map)?;
                found.insert(item.key.clone(), item);
            }
            request = out
                .unprocessed_keys
                .remove(&self.table)
                .filter(|k| !k.keys.is_empty())
                .map(|k| KeysAndAttributes { keys: k.keys, consistent_read: true });
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
            let input = QueryInput {
                table_name: &self.table,
                index_name: query.index.attributes().map(|(name, _, _)| name),
                consistent_read: query.index == Index::Table,
                key_condition_expression: &key_condition,
                expression_attribute_names: expr.names(),
                expression_attribute_values: expr.values(),
                scan_index_forward: !query.descending,
                limit: query.limit + 1 - items.len(),
                exclusive_start_key: start.take(),
            };
            let out: QueryOutput = self.call("Query", &input).await.map_err(unavailable)?;
            for map in out.items {
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
        let transact_items = ops.iter().map(|op| self.transact_item(op)).collect::<Result<Vec<_>, _>>()?;
        let input = TransactInput { transact_items, client_request_token: ulid::Ulid::new().to_string() };
        self.call::<IgnoredAny>("TransactWriteItems", &input).await.map_err(transaction_error)?;
        Ok(())
    }

    async fn increment(&self, key: &Key, by: u64, expires_at: Option<i64>) -> Result<u64, StoreError> {
        let mut expr = Expression::default();
        let update_expression = counter_update(&mut expr, by, expires_at);
        let input = UpdateInput {
            table_name: &self.table,
            key: key_map(key),
            update_expression,
            expression_attribute_names: expr.names(),
            expression_attribute_values: expr.values(),
            return_values: "UPDATED_NEW",
        };
        let out: UpdateOutput = self.call("UpdateItem", &input).await.map_err(unavailable)?;
        match out.attributes.get("version") {
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
    use crate::aws::signed::look_alike::serving;

    fn store(account: &'static Account) -> DynamoStore {
        DynamoStore { table: "t".into(), account: Some(account) }
    }

    #[tokio::test]
    async fn a_transaction_retried_after_a_5xx_carries_the_same_idempotency_token() {
        let (account, log) = serving(vec![(500, ""), (200, "{}")]).await;
        let key = Key::tenant(&TenantId::generate(), "C");
        store(account).transact(vec![WriteOp::add(key, 1, None)]).await.unwrap();
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
        let cancelled = |reasons: &'static str| (400, reasons);
        let condition = cancelled(
            r#"{"__type":"com.amazonaws.dynamodb.v20120810#TransactionCanceledException","Message":"cancelled",
                "CancellationReasons":[{"Code":"None"},{"Code":"ConditionalCheckFailed","Message":"no"}]}"#,
        );
        let conflict = cancelled(
            r#"{"__type":"TransactionCanceledException","CancellationReasons":[{"Code":"TransactionConflict"}]}"#,
        );
        let t = TenantId::generate();
        let ops = || vec![WriteOp::delete(Key::tenant(&t, "A")), WriteOp::delete(Key::tenant(&t, "B"))];
        let (account, _) = serving(vec![condition]).await;
        let failed = store(account).transact(ops()).await;
        assert!(matches!(failed, Err(StoreError::ConditionFailed { index: 1 })), "{failed:?}");
        let (account, _) = serving(vec![conflict]).await;
        assert!(matches!(store(account).transact(ops()).await, Err(StoreError::Conflict)));
        let (account, log) = serving(vec![(400, r#"{"__type":"ProvisionedThroughputExceededException"}"#)]).await;
        assert!(matches!(store(account).transact(ops()).await, Err(StoreError::Unavailable(_))));
        assert_eq!(log.lock().unwrap().len(), signed::ATTEMPTS as usize, "throttling is retried");
    }

    #[tokio::test]
    async fn a_batch_get_asks_consistent_reads_and_asks_again_for_unprocessed_keys() {
        let t = TenantId::generate();
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
        let (account, log) = serving(vec![(200, first.leak()), (200, second.leak())]).await;
        let keys = [Key::tenant(&t, "B"), Key::tenant(&t, "missing"), Key::tenant(&t, "A")];
        let got = store(account).batch_get(&keys).await.unwrap();
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
