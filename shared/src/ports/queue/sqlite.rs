//! The local queue: messages in a table of a SQLite file (WAL, `BEGIN
//! IMMEDIATE`), so several processes on one file share it like SQS.

use std::path::Path;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use async_trait::async_trait;
use rusqlite::{Connection, TransactionBehavior, params};

use crate::ports::store::sqlite::open_connection;

use super::{DynQueue, Queue, QueueError, Received, check_batch, check_delay, check_visibility};

const SCHEMA: &str = "
CREATE TABLE IF NOT EXISTS queue_messages (
    id TEXT PRIMARY KEY,
    queue TEXT NOT NULL,
    body TEXT NOT NULL,
    visible_at INTEGER NOT NULL,
    receive_count INTEGER NOT NULL DEFAULT 0,
    receipt TEXT,
    sent_at INTEGER NOT NULL
);
CREATE INDEX IF NOT EXISTS queue_messages_visible ON queue_messages (queue, visible_at);
";

#[derive(Clone)]
pub struct SqliteQueue {
    conn: Arc<Mutex<Connection>>,
    name: String,
    max_receives: u32,
}

fn unavailable(e: rusqlite::Error) -> QueueError {
    QueueError::Unavailable(e.to_string())
}

fn now_ms() -> i64 {
    chrono::Utc::now().timestamp_millis()
}

fn new_id() -> String {
    ulid::Ulid::new().to_string().to_lowercase()
}

impl SqliteQueue {
    /// Opens (creating if needed) the queue table in the file at `path`.
    pub fn open(path: &Path, name: &str, max_receives: u32) -> Result<Self, QueueError> {
        let conn = open_connection(path, SCHEMA).map_err(QueueError::Unavailable)?;
        Ok(Self { conn: Arc::new(Mutex::new(conn)), name: name.to_owned(), max_receives })
    }

    fn dead_letter_name(&self) -> String {
        format!("{}-dlq", self.name)
    }

    async fn with_conn<T, F>(&self, f: F) -> Result<T, QueueError>
    where
        T: Send + 'static,
        F: FnOnce(&mut Connection) -> Result<T, QueueError> + Send + 'static,
    {
        let conn = Arc::clone(&self.conn);
        tokio::task::spawn_blocking(move || {
            let mut guard = conn.lock().map_err(|_| QueueError::Unavailable("sqlite connection poisoned".into()))?;
            f(&mut guard)
        })
        .await
        .map_err(|e| QueueError::Unavailable(format!("sqlite task failed: {e}")))?
    }
}

#[async_trait]
impl Queue for SqliteQueue {
    async fn send(&self, body: &str, delay: Duration) -> Result<(), QueueError> {
        check_delay(delay)?;
        let (name, body) = (self.name.clone(), body.to_owned());
        self.with_conn(move |conn| {
            let now = now_ms();
            conn.execute(
                "INSERT INTO queue_messages (id, queue, body, visible_at, sent_at) VALUES (?1, ?2, ?3, ?4, ?5)",
                params![new_id(), name, body, now + delay.as_millis() as i64, now],
            )
            .map_err(unavailable)?;
            Ok(())
        })
        .await
    }

    async fn receive(&self, max: usize, visibility: Duration) -> Result<Vec<Received>, QueueError> {
        check_batch(max, visibility)?;
        let (name, dead, max_receives) = (self.name.clone(), self.dead_letter_name(), self.max_receives);
        self.with_conn(move |conn| {
            let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate).map_err(unavailable)?;
            let now = now_ms();
            tx.execute(
                "UPDATE queue_messages SET queue = ?1, receive_count = 0, receipt = NULL, visible_at = ?2
                 WHERE queue = ?3 AND visible_at <= ?2 AND receive_count >= ?4",
                params![dead, now, name, max_receives],
            )
            .map_err(unavailable)?;
            let visible: Vec<(String, String, u32)> = {
                let mut stmt = tx
                    .prepare(
                        "SELECT id, body, receive_count FROM queue_messages
                         WHERE queue = ?1 AND visible_at <= ?2 ORDER BY visible_at, sent_at LIMIT ?3",
                    )
                    .map_err(unavailable)?;
                stmt.query_map(params![name, now, max as i64], |row| Ok((row.get(0)?, row.get(1)?, row.get(2)?)))
                    .map_err(unavailable)?
                    .collect::<Result<_, _>>()
                    .map_err(unavailable)?
            };
            let hidden_until = now + visibility.as_millis() as i64;
            let mut received = Vec::with_capacity(visible.len());
            for (id, body, count) in visible {
                let receipt = new_id();
                tx.execute(
                    "UPDATE queue_messages SET receive_count = receive_count + 1, visible_at = ?1, receipt = ?2
                     WHERE id = ?3",
                    params![hidden_until, receipt, id],
                )
                .map_err(unavailable)?;
                received.push(Received { id, body, receipt, receive_count: count + 1 });
            }
            tx.commit().map_err(unavailable)?;
            Ok(received)
        })
        .await
    }

    async fn delete(&self, receipt: &str) -> Result<(), QueueError> {
        let (name, receipt) = (self.name.clone(), receipt.to_owned());
        self.with_conn(move |conn| {
            conn.execute("DELETE FROM queue_messages WHERE queue = ?1 AND receipt = ?2", params![name, receipt])
                .map_err(unavailable)?;
            Ok(())
        })
        .await
    }

    async fn retry_after(&self, receipt: &str, delay: Duration) -> Result<(), QueueError> {
        check_visibility(delay)?;
        let (name, receipt) = (self.name.clone(), receipt.to_owned());
        self.with_conn(move |conn| {
            conn.execute(
                "UPDATE queue_messages SET visible_at = ?1 WHERE queue = ?2 AND receipt = ?3",
                params![now_ms() + delay.as_millis() as i64, name, receipt],
            )
            .map_err(unavailable)?;
            Ok(())
        })
        .await
    }

    fn dead_letters(&self) -> DynQueue {
        Arc::new(Self { conn: Arc::clone(&self.conn), name: self.dead_letter_name(), max_receives: u32::MAX })
    }

    async fn ping(&self) -> Result<(), QueueError> {
        self.with_conn(|conn| conn.query_row("SELECT 1", [], |_| Ok(())).map_err(unavailable)).await
    }
}
