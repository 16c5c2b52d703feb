//! The outbox: one item per event still to publish, written in the same
//! transaction as the event itself, deleted once published. Org events
//! keep theirs in the tenant (`T#{org}#OUTBOX`), a user's in their lookup
//! partition, each under sort key `OUTBOX#{event_id}`; every one is also filed under a sharded index partition
//! (`OUTBOX#n`, sorted by event id, so by time) that the publisher sweeps.

use crate::base::tenant::TenantId;
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use super::DomainEvent;
use crate::base::ids::EventId;
use crate::base::tenant::OrgId;
use crate::base::user::UserId;
use crate::ports::store::{Condition, Index, IndexKey, Item, Key, Partition, Query, SortKey, StoreError, WriteOp};

pub const SHARDS: u32 = 4;
const COLLECTION: &str = "OUTBOX";

/// An event waiting to be published.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Pending {
    pub event: DomainEvent,
}

fn shard_of(owner: &str) -> u32 {
    crate::base::digest::shard(owner, SHARDS)
}

fn pending(key: Key, owner: &str, event: &DomainEvent) -> Result<WriteOp, StoreError> {
    let index = IndexKey { pk: Partition::outbox(shard_of(owner)), sk: event.id.to_string() };
    let item = Item::new(key, 1, Pending { event: event.clone() })?.with_index(index);
    Ok(WriteOp::put_if(item, Condition::NotExists))
}

/// The outbox write for an org's event.
pub fn for_org(org: &OrgId, event: &DomainEvent) -> Result<WriteOp, StoreError> {
    pending(
        Key::tenant_collection(&TenantId::acting_for(org), COLLECTION, format!("{COLLECTION}#{}", event.id)),
        org.as_str(),
        event,
    )
}

/// The outbox write for an event of a user outside any org.
pub fn for_user(user: &UserId, event: &DomainEvent) -> Result<WriteOp, StoreError> {
    pending(Key::user(user, format!("{COLLECTION}#{}", event.id)), user.as_str(), event)
}

/// Whether a key is an outbox item's (stream records name keys).
pub fn is_outbox_key(pk: &str, sk: &str) -> bool {
    (pk.starts_with("T#") && pk.ends_with(&format!("#{COLLECTION}")))
        || (pk.starts_with("U#") && sk.starts_with("OUTBOX#"))
}

/// The outbox item a stream record's keys name; `None` for any other item.
pub fn key_from_stream(pk: &str, sk: &str) -> Option<Key> {
    is_outbox_key(pk, sk).then(|| Key::from_parts(pk.to_owned(), sk.to_owned()))
}

/// One shard's pending events written at or before `before`, oldest first.
pub fn due_query(shard: u32, before: DateTime<Utc>) -> Query {
    ids_through(Partition::outbox(shard), before)
}

/// The items of an index partition sorted by event id whose ids were
/// issued at or before `before`, oldest first.
pub(crate) fn ids_through(partition: Partition, before: DateTime<Utc>) -> Query {
    let low = EventId::from_ulid(ulid::Ulid::nil()).to_string();
    let ms = before.timestamp_millis().max(0) as u64;
    let high = EventId::from_ulid(ulid::Ulid::from_parts(ms, (1 << 80) - 1)).to_string();
    Query::new(partition, SortKey::Between(low, high)).on_index(Index::Gsi1)
}
