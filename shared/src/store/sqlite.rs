//! The embedded adapter: one SQLite file (WAL, busy timeout, `BEGIN IMMEDIATE`
//! transactions), safe for several processes on the same file.

use std::path::Path;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use async_trait::async_trait;
use rusqlite::{Connection, OptionalExtension, Row, TransactionBehavior, params_from_iter, types::Value as SqlValue};

use super::{
    Index, IndexKey, Item, Key, Page, Partition, Query, SortKey, Store, StoreError, WriteOp, epoch_now, validate_batch,
    validate_query, validate_transaction,
};

const SCHEMA: &str = "
CREATE TABLE IF NOT EXISTS items (
    pk TEXT NOT NULL,
    sk TEXT NOT NULL,
    gsi1pk TEXT,
    gsi1sk TEXT,
    version INTEGER NOT NULL,
    expires_at INTEGER,
    data TEXT NOT NULL,
    PRIMARY KEY (pk, sk)
) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS items_gsi1 ON items (gsi1pk, gsi1sk, pk, sk) WHERE gsi1pk IS NOT NULL;
";

const COLUMNS: &str = "pk, sk, gsi1pk, gsi1sk, version, expires_at, data";

#[derive(Clone)]
pub struct SqliteStore {
    conn: Arc<Mutex<Connection>>,
}

impl SqliteStore {
    /// Opens (creating if needed) the store file and its schema.
    pub fn open(path: &Path) -> Result<Self, StoreError> {
        let conn = open_connection(path, SCHEMA).map_err(StoreError::Unavailable)?;
        Ok(Self { conn: Arc::new(Mutex::new(conn)) })
    }

    async fn with_conn<T, F>(&self, f: F) -> Result<T, StoreError>
    where
        T: Send + 'static,
        F: FnOnce(&mut Connection) -> Result<T, StoreError> + Send + 'static,
    {
        let conn = Arc::clone(&self.conn);
        tokio::task::spawn_blocking(move || {
            let mut guard = conn.lock().map_err(|_| StoreError::Unavailable("sqlite connection poisoned".into()))?;
            f(&mut guard)
        })
        .await
        .map_err(|e| StoreError::Unavailable(format!("sqlite task failed: {e}")))?
    }
}

/// Opens a SQLite file for several processes (WAL, busy timeout), creating
/// its directory and `schema` if needed. Shared with the SQLite queue.
pub(crate) fn open_connection(path: &Path, schema: &str) -> Result<Connection, String> {
    if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
        std::fs::create_dir_all(dir).map_err(|e| format!("cannot create {}: {e}", dir.display()))?;
    }
    let conn = Connection::open(path).map_err(|e| e.to_string())?;
    conn.busy_timeout(Duration::from_secs(10)).map_err(|e| e.to_string())?;
    conn.pragma_update(None, "journal_mode", "WAL").map_err(|e| e.to_string())?;
    conn.pragma_update(None, "synchronous", "NORMAL").map_err(|e| e.to_string())?;
    conn.execute_batch(schema).map_err(|e| e.to_string())?;
    Ok(conn)
}

fn unavailable(e: rusqlite::Error) -> StoreError {
    StoreError::Unavailable(e.to_string())
}

fn read_item(row: &Row<'_>) -> rusqlite::Result<(Item, String)> {
    let gsi1pk: Option<String> = row.get(2)?;
    let gsi1sk: Option<String> = row.get(3)?;
    let data: String = row.get(6)?;
    let item = Item {
        key: Key::from_parts(row.get(0)?, row.get(1)?),
        gsi1: gsi1pk.zip(gsi1sk).map(|(pk, sk)| IndexKey { pk: Partition(pk), sk }),
        version: row.get::<_, i64>(4)? as u64,
        expires_at: row.get(5)?,
        data: serde_json::Value::Null,
    };
    Ok((item, data))
}

fn finish_item((mut item, data): (Item, String)) -> Result<Item, StoreError> {
    item.data = serde_json::from_str(&data).map_err(|e| StoreError::Serialization(e.to_string()))?;
    Ok(item)
}

fn get_one(conn: &Connection, key: &Key, now: i64) -> Result<Option<Item>, StoreError> {
    let row = conn
        .query_row(&format!("SELECT {COLUMNS} FROM items WHERE pk = ?1 AND sk = ?2"), [key.pk(), key.sk()], read_item)
        .optional()
        .map_err(unavailable)?;
    Ok(row.map(finish_item).transpose()?.filter(|item| !item.is_expired(now)))
}

fn build_query(q: &Query, now: i64) -> (String, Vec<SqlValue>) {
    let (pk_col, sk_col, order) = match q.index {
        Index::Table => ("pk", "sk", "sk"),
        Index::Gsi1 => ("gsi1pk", "gsi1sk", "gsi1sk, pk, sk"),
    };
    let mut sql = format!("SELECT {COLUMNS} FROM items WHERE {pk_col} = ?");
    let mut args: Vec<SqlValue> = vec![q.partition.as_str().to_owned().into()];
    match &q.sort {
        SortKey::Any => {}
        SortKey::BeginsWith(prefix) => {
            sql.push_str(&format!(" AND {sk_col} >= ? AND substr({sk_col}, 1, length(?)) = ?"));
            args.extend([prefix.clone().into(), prefix.clone().into(), prefix.clone().into()]);
        }
        SortKey::Between(low, high) => {
            sql.push_str(&format!(" AND {sk_col} BETWEEN ? AND ?"));
            args.extend([low.clone().into(), high.clone().into()]);
        }
    }
    let cmp = if q.descending { "<" } else { ">" };
    if let Some(start) = &q.start {
        match (q.index, &start.index_key) {
            (Index::Gsi1, Some((_, gsk))) => {
                sql.push_str(&format!(" AND (gsi1sk, pk, sk) {cmp} (?, ?, ?)"));
                args.extend([gsk.clone().into(), start.pk.clone().into(), start.sk.clone().into()]);
            }
            _ => {
                sql.push_str(&format!(" AND sk {cmp} ?"));
                args.push(start.sk.clone().into());
            }
        }
    }
    sql.push_str(" AND (expires_at IS NULL OR expires_at > ?)");
    args.push(now.into());
    let direction = if q.descending { "DESC" } else { "ASC" };
    let order_by = order.split(", ").map(|c| format!("{c} {direction}")).collect::<Vec<_>>().join(", ");
    sql.push_str(&format!(" ORDER BY {order_by} LIMIT ?"));
    args.push(((q.limit + 1) as i64).into());
    (sql, args)
}

#[async_trait]
impl Store for SqliteStore {
    async fn batch_get(&self, keys: &[Key]) -> Result<Vec<Option<Item>>, StoreError> {
        validate_batch(keys)?;
        let keys = keys.to_vec();
        self.with_conn(move |conn| {
            let now = epoch_now();
            keys.iter().map(|key| get_one(conn, key, now)).collect()
        })
        .await
    }

    async fn query(&self, query: &Query) -> Result<Page, StoreError> {
        validate_query(query)?;
        let query = query.clone();
        self.with_conn(move |conn| {
            let (sql, args) = build_query(&query, epoch_now());
            let mut stmt = conn.prepare_cached(&sql).map_err(unavailable)?;
            let rows = stmt.query_map(params_from_iter(args), read_item).map_err(unavailable)?;
            let items =
                rows.map(|row| row.map_err(unavailable).and_then(finish_item)).collect::<Result<Vec<_>, _>>()?;
            Ok(Page::from_overfetch(items, &query))
        })
        .await
    }

    async fn transact(&self, ops: Vec<WriteOp>) -> Result<(), StoreError> {
        validate_transaction(&ops)?;
        self.with_conn(move |conn| {
            let now = epoch_now();
            let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate).map_err(unavailable)?;
            for (index, op) in ops.iter().enumerate() {
                if let Some(condition) = op.condition() {
                    let current = get_one(&tx, op.key(), now)?;
                    if !condition.holds(current.as_ref()) {
                        // Dropping `tx` rolls back everything written so far.
                        return Err(StoreError::ConditionFailed { index });
                    }
                }
                match op {
                    WriteOp::Put { item, .. } => {
                        let data =
                            serde_json::to_string(&item.data).map_err(|e| StoreError::Serialization(e.to_string()))?;
                        tx.execute(
                            &format!("INSERT OR REPLACE INTO items ({COLUMNS}) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)"),
                            rusqlite::params![
                                item.key.pk(),
                                item.key.sk(),
                                item.gsi1.as_ref().map(|g| g.pk.as_str()),
                                item.gsi1.as_ref().map(|g| g.sk.as_str()),
                                item.version as i64,
                                item.expires_at,
                                data,
                            ],
                        )
                        .map_err(unavailable)?;
                    }
                    WriteOp::Delete { key, .. } => {
                        tx.execute("DELETE FROM items WHERE pk = ?1 AND sk = ?2", [key.pk(), key.sk()])
                            .map_err(unavailable)?;
                    }
                    WriteOp::Check { .. } => {}
                }
            }
            tx.commit().map_err(unavailable)
        })
        .await
    }

    async fn increment(&self, key: &Key, by: u64, expires_at: Option<i64>) -> Result<u64, StoreError> {
        let key = key.clone();
        self.with_conn(move |conn| {
            let count: i64 = conn
                .query_row(
                    &format!(
                        "INSERT INTO items ({COLUMNS}) VALUES (?1, ?2, NULL, NULL, ?3, ?4, '{{}}') \
                         ON CONFLICT (pk, sk) DO UPDATE SET version = version + excluded.version, \
                         expires_at = COALESCE(excluded.expires_at, expires_at) RETURNING version"
                    ),
                    rusqlite::params![key.pk(), key.sk(), by as i64, expires_at],
                    |row| row.get(0),
                )
                .map_err(unavailable)?;
            Ok(count as u64)
        })
        .await
    }

    async fn ping(&self) -> Result<(), StoreError> {
        self.with_conn(|conn| conn.query_row("SELECT 1", [], |_| Ok(())).map_err(unavailable)).await
    }
}
