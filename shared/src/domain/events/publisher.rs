//! Publishes what the outbox holds: to the event bus, then deletes the
//! outbox items. A crash anywhere before the delete leaves the items for
//! the next sweep (events are published again under the same ids); a crash
//! after it has nothing left to do.
//!
//! It also seals deferred audit events into their orgs' chains
//! ([`deferred`]), before publishing: a sealed event may be published.
//!
//! On AWS, DynamoDB Streams hand the publisher each new outbox item and
//! pending audit record within a second; the reconciler's tick sweeps
//! anything older than a minute (a stream batch that failed for good).
//! Locally, a loop sweeps every second.

use std::time::Duration;

use chrono::{DateTime, TimeDelta, Utc};

use super::DomainEvent;
use super::outbox::{self, Pending};
use crate::base::tenant::OrgId;
use crate::domain::audit::deferred;
use crate::ports::bus::{BusError, DynBus};
use crate::ports::queue::DynQueue;
use crate::ports::store::{DynStore, Item, Key, MAX_BATCH_GET_KEYS, StoreError, WriteOp};

/// The most outbox items one sweep of one shard reads per round.
const SWEEP_PAGE: usize = 100;
/// Outbox items deleted per transaction once published.
const DELETE_BATCH: usize = 25;
/// Rounds per shard in one sweep: bounds a sweep's run time.
const SWEEP_ROUNDS: usize = 20;

#[derive(Debug, thiserror::Error)]
pub enum PublishError {
    #[error(transparent)]
    Store(#[from] StoreError),
    #[error(transparent)]
    Bus(#[from] BusError),
}

#[derive(Clone)]
pub struct Publisher {
    store: DynStore,
    bus: DynBus,
    /// Where webhook delivery jobs go; without it, no webhook fan-out.
    deliveries: Option<DynQueue>,
}

impl Publisher {
    pub fn new(store: DynStore, bus: DynBus) -> Self {
        Self { store, bus, deliveries: None }
    }

    /// Also fans events out to the webhooks that want them, sending the
    /// delivery jobs' messages to `queue`.
    pub fn with_deliveries(mut self, queue: DynQueue) -> Self {
        self.deliveries = Some(queue);
        self
    }

    /// Publishes the outbox items at `keys` that are still pending (a stream
    /// batch; see [`outbox::key_from_stream`]).
    pub async fn publish_keys(&self, keys: &[Key]) -> Result<usize, PublishError> {
        let mut published = 0;
        for chunk in keys.chunks(MAX_BATCH_GET_KEYS) {
            let items: Vec<Item> = self.store.batch_get(chunk).await?.into_iter().flatten().collect();
            published += self.publish_items(items).await?;
        }
        Ok(published)
    }

    /// Seals the deferred audit events of `orgs` (a stream batch's).
    pub async fn seal(&self, orgs: &std::collections::BTreeSet<OrgId>) -> Result<usize, PublishError> {
        let mut sealed = 0;
        for org in orgs {
            sealed += deferred::seal(self.store.as_ref(), org).await?;
        }
        Ok(sealed)
    }

    /// Seals every deferred audit event and publishes every pending event
    /// written `grace` ago or earlier; returns how many were published.
    pub async fn sweep(&self, grace: Duration, now: DateTime<Utc>) -> Result<usize, PublishError> {
        let before = now - TimeDelta::from_std(grace).unwrap_or(TimeDelta::zero());
        // Sealing failing (the store down) must not hold up publishing.
        match deferred::sweep(self.store.as_ref(), before).await {
            Ok(0) => {}
            Ok(sealed) => tracing::debug!(sealed, "sealed deferred audit events"),
            Err(error) => tracing::warn!(%error, "deferred audit events not sealed; the next sweep retries"),
        }
        let mut published = 0;
        // Every shard's first page at once; a shard with more is read again
        // (its published items are gone) up to SWEEP_ROUNDS pages in all.
        let queries: Vec<_> =
            (0..outbox::SHARDS).map(|shard| outbox::due_query(shard, before).limit(SWEEP_PAGE)).collect();
        let firsts = crate::ports::store::first_pages(self.store.as_ref(), &queries).await?;
        for (query, mut page) in queries.iter().zip(firsts) {
            for round in 1..=SWEEP_ROUNDS {
                let more = page.next.is_some();
                published += self.publish_items(page.items).await?;
                if !more || round == SWEEP_ROUNDS {
                    break;
                }
                page = self.store.query(query).await?;
            }
        }
        Ok(published)
    }

    async fn publish_items(&self, items: Vec<Item>) -> Result<usize, PublishError> {
        if items.is_empty() {
            return Ok(0);
        }
        let events =
            items.iter().map(|item| item.parse::<Pending>().map(|p| p.event)).collect::<Result<Vec<_>, _>>()?;
        let envelopes = events.iter().map(DomainEvent::envelope).collect::<Result<Vec<_>, _>>()?;
        self.bus.publish(&envelopes).await?;
        if let Some(queue) = &self.deliveries {
            crate::domain::webhooks::fanout::fan_out(self.store.as_ref(), queue, &events).await?;
        }
        // Unconditional deletes: an item a concurrent publisher already
        // removed is no failure.
        for chunk in items.chunks(DELETE_BATCH) {
            self.store.transact(chunk.iter().map(|item| WriteOp::delete(item.key.clone())).collect()).await?;
        }
        tracing::debug!(count = events.len(), "published events");
        Ok(events.len())
    }
}
