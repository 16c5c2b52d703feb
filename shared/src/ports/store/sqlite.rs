//! The embedded adapter: one SQLite file (WAL, busy timeout, `BEGIN IMMEDIATE`
//! transactions), safe for several processes on the same file.

use std::ffi::c_int;
use std::path::Path;
use std::sync::{Arc, Mutex, mpsc};
use std::time::Duration;

use async_trait::async_trait;
use rusqlite::hooks::Wal;
use rusqlite::wal::CheckpointMode;
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
    gsi2pk TEXT,
    gsi2sk TEXT,
    gsi3pk TEXT,
    gsi3sk TEXT,
    gsi4pk TEXT,
    gsi4sk TEXT,
    version INTEGER NOT NULL,
    expires_at INTEGER,
    data TEXT NOT NULL,
    PRIMARY KEY (pk, sk)
) WITHOUT ROWID;
";

/// Secondary index columns added after the first release: added to an older
/// file when it is opened.
const LATER_COLUMNS: [&str; 6] = ["gsi2pk", "gsi2sk", "gsi3pk", "gsi3sk", "gsi4pk", "gsi4sk"];

const COLUMNS: &str =
    "pk, sk, gsi1pk, gsi1sk, gsi2pk, gsi2sk, gsi3pk, gsi3sk, gsi4pk, gsi4sk, version, expires_at, data";

#[derive(Clone)]
pub struct SqliteStore {
    conn: Arc<Mutex<Connection>>,
}

impl SqliteStore {
    /// A store in a fresh temporary folder, removed when the folder is
    /// dropped (unit tests).
    #[cfg(test)]
    pub(crate) fn temporary() -> (tempfile::TempDir, Self) {
        let dir = tempfile::tempdir().expect("temp dir");
        let store = Self::open(&dir.path().join("store.db")).expect("open sqlite");
        (dir, store)
    }

    /// Opens (creating if needed) the store file and its schema.
    pub fn open(path: &Path) -> Result<Self, StoreError> {
        let conn = open_connection(path, SCHEMA).map_err(StoreError::Unavailable)?;
        migrate(&conn).map_err(unavailable)?;
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

/// Opens a SQLite file for several processes (WAL, busy timeout, checkpoints
/// in the background), creating its directory and `schema` if needed.
/// Shared with the SQLite queue and the local secrets store.
pub(crate) fn open_connection(path: &Path, schema: &str) -> Result<Connection, String> {
    if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
        std::fs::create_dir_all(dir).map_err(|e| format!("cannot create {}: {e}", dir.display()))?;
    }
    let mut conn = open_wal(path)?;
    conn.pragma_update(None, "synchronous", "NORMAL").map_err(|e| e.to_string())?;
    // What is deleted or overwritten is zeroed, not left in free pages: a
    // value minimized away or a deleted credential's metadata is gone from
    // the file too, once the WAL is checkpointed.
    conn.pragma_update(None, "secure_delete", "ON").map_err(|e| e.to_string())?;
    conn.execute_batch(schema).map_err(|e| e.to_string())?;
    checkpoint_in_background(&mut conn, path, None)?;
    Ok(conn)
}

/// A connection to `path` in WAL mode that waits for other writers. (A
/// connection that has not read the file yet does not know it is in WAL
/// mode, and its checkpoints do nothing: the pragma also tells it.)
fn open_wal(path: &Path) -> Result<Connection, String> {
    let conn = Connection::open(path).map_err(|e| e.to_string())?;
    conn.busy_timeout(BUSY_TIMEOUT).map_err(|e| e.to_string())?;
    conn.pragma_update(None, "journal_mode", "WAL").map_err(|e| e.to_string())?;
    Ok(conn)
}

const BUSY_TIMEOUT: Duration = Duration::from_secs(10);

/// WAL frames past which a commit asks for a checkpoint: SQLite's own
/// autocheckpoint threshold.
const CHECKPOINT_FRAMES: c_int = 1000;

/// Takes WAL checkpoints off the connection's callers. SQLite's
/// autocheckpoint runs in whichever commit leaves the WAL past the
/// threshold: that request copies the WAL into the database and syncs it,
/// several times a normal commit (the benchmark's embedded `orgs` POST had
/// its p99 at 7 × its p50). Instead, such a commit wakes a thread that runs
/// the same PASSIVE checkpoint on a connection of its own, which never
/// blocks the writers (they append to the WAL meanwhile; SQLite restarts
/// it once a checkpoint has caught up). The thread ends when the
/// connection closes (dropping the hook drops its sender). Each finished
/// checkpoint is told to `done`, when given (tests wait for it).
fn checkpoint_in_background(conn: &mut Connection, path: &Path, done: Option<mpsc::Sender<()>>) -> Result<(), String> {
    let checkpointer = open_wal(path)?;
    let (wake, woken) = mpsc::sync_channel::<()>(1);
    std::thread::Builder::new()
        .name("sqlite-checkpoint".into())
        .spawn(move || {
            while woken.recv().is_ok() {
                if let Err(error) = checkpointer.wal_checkpoint_v2(None::<&str>, CheckpointMode::PASSIVE) {
                    tracing::warn!(%error, "sqlite checkpoint failed; the next commit past the threshold retries");
                }
                if let Some(done) = &done {
                    let _ = done.send(());
                }
            }
        })
        .map_err(|e| format!("cannot start the checkpoint thread: {e}"))?;
    ask_for_checkpoints(conn, wake)
}

/// Copies `path`'s whole WAL into the database and empties it, waiting for
/// writers as a commit does: what the file holds is then only what the
/// store holds (SQLite does the same when its last connection closes).
pub fn checkpoint_all(path: &Path) -> Result<(), String> {
    let conn = open_wal(path)?;
    conn.wal_checkpoint_v2(None::<&str>, CheckpointMode::TRUNCATE).map_err(|e| e.to_string())?;
    Ok(())
}

/// Replaces SQLite's autocheckpoint on `conn` (a connection has one WAL
/// hook) with a message on `wake` from each commit that leaves the WAL past
/// the threshold.
fn ask_for_checkpoints(conn: &mut Connection, wake: mpsc::SyncSender<()>) -> Result<(), String> {
    conn.wal_hook(Some(move |_: &mut Wal, frames: c_int| {
        if frames >= CHECKPOINT_FRAMES {
            // Full: a checkpoint is already asked for.
            let _ = wake.try_send(());
        }
        Ok(())
    }))
    .map_err(|e| e.to_string())
}

/// Adds the columns an older file lacks, and one partial index per
/// secondary index.
fn migrate(conn: &Connection) -> rusqlite::Result<()> {
    let mut stmt = conn.prepare("SELECT name FROM pragma_table_info('items')")?;
    let present: Vec<String> = stmt.query_map([], |row| row.get(0))?.collect::<Result<_, _>>()?;
    for column in LATER_COLUMNS.iter().filter(|c| !present.iter().any(|p| p == *c)) {
        match conn.execute_batch(&format!("ALTER TABLE items ADD COLUMN {column} TEXT")) {
            // Another process opening the same file added it first.
            Err(e) if e.to_string().contains("duplicate column") => {}
            other => other?,
        }
    }
    for (name, pk, sk) in Index::SECONDARY.iter().filter_map(|i| i.attributes()) {
        conn.execute_batch(&format!(
            "CREATE INDEX IF NOT EXISTS items_{name} ON items ({pk}, {sk}, pk, sk) WHERE {pk} IS NOT NULL"
        ))?;
    }
    Ok(())
}

fn unavailable(e: rusqlite::Error) -> StoreError {
    StoreError::Unavailable(e.to_string())
}

fn read_item(row: &Row<'_>) -> rusqlite::Result<(Item, String)> {
    let index = |at: usize| -> rusqlite::Result<Option<IndexKey>> {
        let pk: Option<String> = row.get(at)?;
        let sk: Option<String> = row.get(at + 1)?;
        Ok(pk.zip(sk).map(|(pk, sk)| IndexKey { pk: Partition(pk), sk }))
    };
    let data: String = row.get(12)?;
    let item = Item {
        key: Key::from_parts(row.get(0)?, row.get(1)?),
        indexes: [index(2)?, index(4)?, index(6)?, index(8)?],
        version: row.get::<_, i64>(10)? as u64,
        expires_at: row.get(11)?,
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
    let (pk_col, sk_col) = q.index.attributes().map_or(("pk", "sk"), |(_, pk, sk)| (pk, sk));
    let order = if q.index == Index::Table { "sk".to_owned() } else { format!("{sk_col}, pk, sk") };
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
            (index, Some((_, gsk))) if index != Index::Table => {
                sql.push_str(&format!(" AND ({sk_col}, pk, sk) {cmp} (?, ?, ?)"));
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
                let mut current = None;
                if let Some(condition) = op.condition() {
                    current = get_one(&tx, op.key(), now)?;
                    if !condition.holds(current.as_ref()) {
                        // Dropping `tx` rolls back everything written so far.
                        return Err(StoreError::ConditionFailed { index });
                    }
                }
                match op {
                    WriteOp::Put { item, .. } => {
                        let data =
                            serde_json::to_string(&item.data).map_err(|e| StoreError::Serialization(e.to_string()))?;
                        let mut values: Vec<SqlValue> =
                            vec![item.key.pk().to_owned().into(), item.key.sk().to_owned().into()];
                        for index in &item.indexes {
                            values.push(index.as_ref().map(|g| g.pk.as_str().to_owned()).into());
                            values.push(index.as_ref().map(|g| g.sk.clone()).into());
                        }
                        values.extend([(item.version as i64).into(), item.expires_at.into(), data.into()]);
                        let placeholders = vec!["?"; values.len()].join(", ");
                        tx.execute(
                            &format!("INSERT OR REPLACE INTO items ({COLUMNS}) VALUES ({placeholders})"),
                            params_from_iter(values),
                        )
                        .map_err(unavailable)?;
                    }
                    WriteOp::Delete { key, .. } => {
                        tx.execute("DELETE FROM items WHERE pk = ?1 AND sk = ?2", [key.pk(), key.sk()])
                            .map_err(unavailable)?;
                    }
                    WriteOp::Check { .. } => {}
                    WriteOp::Add { key, by, expires_at } => {
                        add(&tx, key, *by, *expires_at)?;
                    }
                    WriteOp::Patch { key, set, .. } => {
                        // The condition held, so the item exists.
                        let mut item = current.ok_or_else(|| StoreError::Invalid("a patch needs an item".into()))?;
                        let version = item.version + 1;
                        let data = item
                            .data
                            .as_object_mut()
                            .ok_or_else(|| StoreError::Serialization("item data must be a JSON object".into()))?;
                        data.extend(set.iter().cloned());
                        data.insert("version".into(), version.into());
                        let data =
                            serde_json::to_string(&item.data).map_err(|e| StoreError::Serialization(e.to_string()))?;
                        tx.execute(
                            "UPDATE items SET version = ?3, data = ?4 WHERE pk = ?1 AND sk = ?2",
                            rusqlite::params![key.pk(), key.sk(), version as i64, data],
                        )
                        .map_err(unavailable)?;
                    }
                }
            }
            tx.commit().map_err(unavailable)
        })
        .await
    }

    async fn increment(&self, key: &Key, by: u64, expires_at: Option<i64>) -> Result<u64, StoreError> {
        let key = key.clone();
        self.with_conn(move |conn| add(conn, &key, by, expires_at)).await
    }

    async fn ping(&self) -> Result<(), StoreError> {
        self.with_conn(|conn| conn.query_row("SELECT 1", [], |_| Ok(())).map_err(unavailable)).await
    }
}

/// Adds `by` to the counter at `key` (a missing one starts at 0 with the
/// body `{}`), (re)sets its expiry when given and returns the new count.
fn add(conn: &Connection, key: &Key, by: u64, expires_at: Option<i64>) -> Result<u64, StoreError> {
    let count: i64 = conn
        .query_row(
            &format!(
                "INSERT INTO items ({COLUMNS}) VALUES (?1, ?2, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, ?3, ?4, '{{}}') \
                 ON CONFLICT (pk, sk) DO UPDATE SET version = version + excluded.version, \
                 expires_at = COALESCE(excluded.expires_at, expires_at) RETURNING version"
            ),
            rusqlite::params![key.pk(), key.sk(), by as i64, expires_at],
            |row| row.get(0),
        )
        .map_err(unavailable)?;
    Ok(count as u64)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::TenantId;

    /// Commits one 4 KiB row at a time until the WAL holds `frames` frames.
    fn fill_wal(conn: &Connection, frames: c_int) {
        conn.execute_batch("CREATE TABLE IF NOT EXISTS filler (n INTEGER PRIMARY KEY, b BLOB)").unwrap();
        for n in 0..frames {
            conn.execute("INSERT INTO filler (n, b) VALUES (?1, zeroblob(4000))", [n]).unwrap();
        }
    }

    #[tokio::test]
    async fn a_deleted_items_content_is_gone_from_the_file_once_checkpointed() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("s.db");
        let store = SqliteStore::open(&path).unwrap();
        let tenant = TenantId::fresh();
        let marker = "planted-4f1c9e2a-value";
        let keys: Vec<Key> = (0..40).map(|n| Key::tenant(&tenant, format!("ITEM#{n}"))).collect();
        for key in &keys {
            let item = Item::new(key.clone(), 1, serde_json::json!({ "note": marker })).unwrap();
            store.transact(vec![WriteOp::put(item)]).await.unwrap();
        }
        for key in &keys {
            store.transact(vec![WriteOp::Delete { key: key.clone(), condition: None }]).await.unwrap();
        }
        checkpoint_all(&path).unwrap();
        let bytes = std::fs::read(&path).unwrap();
        assert!(!bytes.windows(marker.len()).any(|w| w == marker.as_bytes()), "a deleted value is still in the file");
    }

    #[test]
    fn a_commit_past_the_checkpoint_threshold_asks_for_a_checkpoint_instead_of_taking_one() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("s.db");
        let mut conn = Connection::open(&path).unwrap();
        conn.pragma_update(None, "journal_mode", "WAL").unwrap();
        let (wake, woken) = mpsc::sync_channel(1);
        ask_for_checkpoints(&mut conn, wake).unwrap();
        let before = std::fs::metadata(&path).unwrap().len();
        fill_wal(&conn, CHECKPOINT_FRAMES);
        assert!(woken.try_recv().is_ok(), "no checkpoint was asked for");
        // SQLite's autocheckpoint would have copied the rows into the file.
        assert_eq!(std::fs::metadata(&path).unwrap().len(), before, "the commit checkpointed");
    }

    #[test]
    fn the_background_checkpoint_moves_the_wal_into_the_database_file() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("s.db");
        let mut conn = open_wal(&path).unwrap();
        let (done, checkpointed) = mpsc::channel();
        checkpoint_in_background(&mut conn, &path, Some(done)).unwrap();
        fill_wal(&conn, CHECKPOINT_FRAMES + 10);
        // A commit past the threshold after the last checkpoint began asks
        // for another, so one finishes after the last commit: wait for
        // checkpoints (however slow the machine) until the rows are in the
        // file. The bound only stops a hang.
        while std::fs::metadata(&path).unwrap().len() < 4000 * CHECKPOINT_FRAMES as u64 {
            checkpointed.recv_timeout(Duration::from_secs(600)).expect("a checkpoint after the last commit");
        }
    }

    #[tokio::test]
    async fn a_file_from_before_the_later_indexes_is_migrated_in_place() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("old.db");
        let old = "CREATE TABLE items (pk TEXT NOT NULL, sk TEXT NOT NULL, gsi1pk TEXT, gsi1sk TEXT, \
                   version INTEGER NOT NULL, expires_at INTEGER, data TEXT NOT NULL, PRIMARY KEY (pk, sk)) WITHOUT ROWID;";
        let t = TenantId::fresh();
        {
            let conn = Connection::open(&path).unwrap();
            conn.execute_batch(old).unwrap();
            conn.execute(
                "INSERT INTO items VALUES (?1, 'OLD', NULL, NULL, 3, NULL, '{\"kept\":true}')",
                [Partition::tenant(&t).as_str()],
            )
            .unwrap();
        }
        let store = SqliteStore::open(&path).unwrap();
        let old_item = store.batch_get(&[Key::tenant(&t, "OLD")]).await.unwrap().remove(0).unwrap();
        assert_eq!((old_item.version, old_item.data["kept"].as_bool()), (3, Some(true)));
        let index = IndexKey { pk: Partition::tenant_collection(&t, "G3"), sk: "1".into() };
        let new =
            Item::new(Key::tenant(&t, "NEW"), 1, serde_json::json!({})).unwrap().with_index_on(Index::Gsi3, index);
        store.transact(vec![WriteOp::put(new)]).await.unwrap();
        let page = store
            .query(&Query::new(Partition::tenant_collection(&t, "G3"), SortKey::Any).on_index(Index::Gsi3))
            .await
            .unwrap();
        assert_eq!(page.items.len(), 1);
        // Opening again finds nothing left to migrate.
        drop(store);
        SqliteStore::open(&path).unwrap();
    }
}
