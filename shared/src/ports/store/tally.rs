//! Counting store round trips per request.
//!
//! [`Counting`] wraps any store; inside [`counted`] (the edge middleware
//! runs every request in it) each call is tallied as a read (`batch_get`,
//! `query`, `ping`) or a write (`transact`, `increment`). A *round trip* is
//! a call started while none of the request's other calls was in flight:
//! calls made concurrently (`try_join!`) share one. Work that happens once
//! per interval rather than per request (rate-limit counter syncs, key
//! usage batches, a profile's first write) runs in [`amortized`] and is
//! counted apart, so the per-request numbers show the steady state.
//!
//! The numbers go into the request's log line and, where enabled, its
//! `Server-Timing` header; the end-to-end suite turns them into the
//! per-route report in `BENCHMARKS.md`.
//!
//! Whether calls overlap is decided by the program, not by the machine's
//! speed: a counted call yields once after it starts and before it goes
//! out, so every call started together (`join!`, `try_join_all`) is in
//! flight before any of them can finish, however fast the store answers or
//! however busy the machine is.

use std::future::Future;
use std::sync::Arc;
use std::sync::atomic::{AtomicU32, Ordering};

use async_trait::async_trait;

use super::{DynStore, Item, Key, Page, Query, Store, StoreError, WriteOp};

tokio::task_local! {
    static CURRENT: Arc<Tally>;
}

/// One request's store calls so far.
#[derive(Debug, Default)]
struct Tally {
    reads: AtomicU32,
    writes: AtomicU32,
    read_rounds: AtomicU32,
    round_trips: AtomicU32,
    in_flight: AtomicU32,
    amortized: AtomicU32,
    /// This scope is amortized work inside a request.
    amortized_scope: bool,
}

/// What a request cost the store.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Counts {
    pub reads: u32,
    pub writes: u32,
    /// Round trips that began with a read.
    pub read_rounds: u32,
    pub round_trips: u32,
    /// Calls made by amortized work (see the module docs).
    pub amortized: u32,
}

impl Counts {
    /// The `Server-Timing` entry (W3C Server Timing) for these counts, its
    /// description naming the route template that answered; `org=inferred`
    /// when the caller named no org, so that finding it took a round trip.
    pub fn server_timing(&self, route: &str, org_inferred: bool) -> String {
        let route = route.replace(['"', '\\'], "");
        let org = if org_inferred { ";org=inferred" } else { "" };
        format!(
            "store;desc=\"{route}\";rt={};rrt={};reads={};writes={};amortized={}{org}",
            self.round_trips, self.read_rounds, self.reads, self.writes, self.amortized
        )
    }
}

impl Tally {
    fn counts(&self) -> Counts {
        Counts {
            reads: self.reads.load(Ordering::Relaxed),
            writes: self.writes.load(Ordering::Relaxed),
            read_rounds: self.read_rounds.load(Ordering::Relaxed),
            round_trips: self.round_trips.load(Ordering::Relaxed),
            amortized: self.amortized.load(Ordering::Relaxed),
        }
    }
}

/// Runs `future` with its store calls counted.
pub async fn counted<F: Future>(future: F) -> (F::Output, Counts) {
    scoped(future, false).await
}

async fn scoped<F: Future>(future: F, amortized_scope: bool) -> (F::Output, Counts) {
    let tally = Arc::new(Tally { amortized_scope, ..Tally::default() });
    let output = CURRENT.scope(Arc::clone(&tally), future).await;
    (output, tally.counts())
}

/// Runs `future` (work done once per interval, not per request) with its
/// store calls counted as amortized instead of as the request's own.
pub async fn amortized<F: Future>(future: F) -> F::Output {
    let Ok(outer) = CURRENT.try_with(Arc::clone) else { return future.await };
    let (output, inner) = scoped(future, true).await;
    outer.amortized.fetch_add(inner.reads + inner.writes + inner.amortized, Ordering::Relaxed);
    output
}

/// Whether the calls made now are amortized work rather than the request's
/// own (an `Idempotency-Key` claim rides only on the request's own writes).
pub fn in_amortized_work() -> bool {
    CURRENT.try_with(|t| t.amortized_scope).unwrap_or(false)
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Kind {
    Read,
    Write,
}

/// One call in flight; ends when dropped.
struct Call(Option<Arc<Tally>>);

impl Call {
    fn start(kind: Kind) -> Self {
        let tally = CURRENT.try_with(Arc::clone).ok();
        if let Some(t) = &tally {
            let counter = if kind == Kind::Read { &t.reads } else { &t.writes };
            counter.fetch_add(1, Ordering::Relaxed);
            if t.in_flight.fetch_add(1, Ordering::AcqRel) == 0 {
                t.round_trips.fetch_add(1, Ordering::Relaxed);
                if kind == Kind::Read {
                    t.read_rounds.fetch_add(1, Ordering::Relaxed);
                }
            }
        }
        Self(tally)
    }
}

impl Call {
    /// Lets the calls started together with this one start too (see the
    /// module docs). Outside a counted request there is nothing to wait for.
    async fn joined(self) -> Self {
        if self.0.is_some() {
            tokio::task::yield_now().await;
        }
        self
    }
}

impl Drop for Call {
    fn drop(&mut self) {
        if let Some(t) = &self.0 {
            t.in_flight.fetch_sub(1, Ordering::AcqRel);
        }
    }
}

/// A store that tallies every call made inside [`counted`].
pub struct Counting(pub DynStore);

impl Counting {
    pub fn wrap(store: DynStore) -> DynStore {
        Arc::new(Self(store))
    }
}

#[async_trait]
impl Store for Counting {
    async fn batch_get(&self, keys: &[Key]) -> Result<Vec<Option<Item>>, StoreError> {
        let _call = Call::start(Kind::Read).joined().await;
        self.0.batch_get(keys).await
    }

    async fn query(&self, query: &Query) -> Result<Page, StoreError> {
        let _call = Call::start(Kind::Read).joined().await;
        self.0.query(query).await
    }

    async fn transact(&self, ops: Vec<WriteOp>) -> Result<(), StoreError> {
        let _call = Call::start(Kind::Write).joined().await;
        self.0.transact(ops).await
    }

    async fn increment(&self, key: &Key, by: u64, expires_at: Option<i64>) -> Result<u64, StoreError> {
        let _call = Call::start(Kind::Write).joined().await;
        self.0.increment(key, by, expires_at).await
    }

    async fn ping(&self) -> Result<(), StoreError> {
        let _call = Call::start(Kind::Read).joined().await;
        self.0.ping().await
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ports::store::sqlite::SqliteStore;

    fn store() -> (DynStore, tempfile::TempDir) {
        let dir = tempfile::tempdir().unwrap();
        let store: DynStore = Arc::new(SqliteStore::open(&dir.path().join("t.db")).unwrap());
        (Counting::wrap(store), dir)
    }

    #[tokio::test]
    async fn sequential_calls_are_separate_round_trips_and_concurrent_ones_share_one() {
        let (store, _dir) = store();
        let key = Key::user(&crate::base::user::UserId::parse("u1").unwrap(), "X");
        let ((), counts) = counted(async {
            let (a, b) = tokio::join!(store.batch_get(std::slice::from_ref(&key)), store.increment(&key, 1, None));
            a.unwrap();
            b.unwrap();
            store.increment(&key, 1, None).await.unwrap();
        })
        .await;
        assert_eq!(counts, Counts { reads: 1, writes: 2, read_rounds: 1, round_trips: 2, amortized: 0 });
    }

    #[tokio::test]
    async fn amortized_work_is_counted_apart_and_calls_outside_a_request_not_at_all() {
        let (store, _dir) = store();
        let key = Key::user(&crate::base::user::UserId::parse("u1").unwrap(), "X");
        store.increment(&key, 1, None).await.unwrap();
        let ((), counts) = counted(async {
            amortized(async { store.increment(&key, 1, None).await.unwrap() }).await;
            store.batch_get(std::slice::from_ref(&key)).await.unwrap();
        })
        .await;
        assert_eq!(counts, Counts { reads: 1, writes: 0, read_rounds: 1, round_trips: 1, amortized: 1 });
    }
}
