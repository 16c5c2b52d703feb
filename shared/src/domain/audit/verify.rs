//! Walks an org's chain in sequence order and reports the first place it
//! does not hold: an event whose content no longer matches its hash, a
//! link to a predecessor that does not match, or events missing without an
//! anchor (and an expiry) that explains the gap.

use chrono::{DateTime, Utc};
use serde::Serialize;

use super::AuditEvent;
use super::chain::{Anchor, GENESIS, Head};
use super::filter::Filter;
use crate::base::ids::EventId;
use crate::base::tenant::TenantId;
use crate::ports::store::{Item, Key, Page, Query, SortKey, StartKey, Store, StoreError};

/// Events read per store query while verifying.
const PAGE: usize = 500;

/// Where the chain does not hold.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct Break {
    /// The sequence number where the chain breaks.
    pub seq: u64,
    /// The event found there, when there is one.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub event_id: Option<EventId>,
    /// `hash_mismatch`, `broken_link`, `missing_events`, `out_of_order` or `head_mismatch`.
    pub reason: &'static str,
    pub detail: String,
}

/// The outcome of verifying a range.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct Verification {
    /// True when every event checked holds and links.
    pub ok: bool,
    /// Events checked by this call.
    pub checked: u64,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub first_seq: Option<u64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub last_seq: Option<u64>,
    /// The chain's length when the check began.
    pub head_seq: u64,
    /// Gaps left by expired days, each vouched for by the next day's anchor.
    pub anchored_gaps: u64,
    #[serde(rename = "break", skip_serializing_if = "Option::is_none")]
    pub first_break: Option<Break>,
    /// Set when the range holds more than this call checked: pass it as
    /// `cursor` to go on.
    pub next_cursor: Option<String>,
}

/// The last event accepted: what the next one must link to.
struct Link {
    seq: u64,
    hash: String,
}

/// How an event checked out.
enum Checked {
    /// It holds and links to the event before it.
    Linked,
    /// It holds; its predecessor expired and its day's anchor vouches for the link.
    Anchored,
    Broken(Break),
}

pub struct Verifier<'a> {
    store: &'a dyn Store,
    tenant: &'a TenantId,
    now: DateTime<Utc>,
}

impl<'a> Verifier<'a> {
    pub fn new(store: &'a dyn Store, tenant: &'a TenantId) -> Self {
        Self { store, tenant, now: Utc::now() }
    }

    /// The query a verification of the date range in `filter` walks (other
    /// filters do not apply: the chain is the whole org's), from `start` (a
    /// previous call's resume point) on. Read its first page, and the
    /// chain's [`Head`], with the request's credential check and hand both
    /// to [`Verifier::run`].
    pub fn query(tenant: &TenantId, filter: &Filter, start: Option<StartKey>) -> Query {
        let range = Filter { from: filter.from, to: filter.to, ..Filter::default() };
        Query::new(AuditEvent::partition(tenant), range.query(tenant).sort).limit(PAGE).start(start)
    }

    /// Checks up to `max` events of [`Verifier::query`]'s walk, given its
    /// `first` page and the chain's `head` item (absent before the org's
    /// first event). Returns the verification and where to resume when the
    /// range was not finished.
    pub async fn run(
        &self,
        head: Option<&Item>,
        mut query: Query,
        first: Page,
        max: usize,
    ) -> Result<(Verification, Option<StartKey>), StoreError> {
        let head: Head = head.map(Item::parse).transpose()?.unwrap_or_default();
        let sort = query.sort.clone();
        let head_in_range = head.last_id.as_ref().is_some_and(|id| match &sort {
            SortKey::Between(low, high) => (low.as_str()..=high.as_str()).contains(&id.as_str()),
            _ => true,
        });
        let mut report = Verification {
            ok: true,
            checked: 0,
            first_seq: None,
            last_seq: None,
            head_seq: head.seq,
            anchored_gaps: 0,
            first_break: None,
            next_cursor: None,
        };
        let mut prev: Option<Link> = match &query.start {
            Some(start) => self.event_at(start).await?.map(|e| Link { seq: e.seq, hash: e.hash }),
            None => None,
        };
        let mut at_head = None;
        let mut next_page = Some(first);
        loop {
            let page = match next_page.take() {
                Some(page) => page,
                None => self.store.query(&query).await?,
            };
            for item in &page.items {
                let event: AuditEvent = item.parse()?;
                match self.check(&event, prev.as_ref()).await? {
                    Checked::Linked => {}
                    Checked::Anchored => report.anchored_gaps += 1,
                    Checked::Broken(found) => {
                        report.ok = false;
                        report.first_break = Some(found);
                        return Ok((report, None));
                    }
                }
                report.first_seq.get_or_insert(event.seq);
                report.last_seq = Some(event.seq);
                report.checked += 1;
                if event.seq == head.seq {
                    at_head = Some(event.hash.clone());
                }
                prev = Some(Link { seq: event.seq, hash: event.hash });
                let more = page.next.is_some() || item != page.items.last().unwrap_or(item);
                if report.checked as usize >= max && more {
                    let resume = StartKey { pk: item.key.pk().into(), sk: item.key.sk().into(), index_key: None };
                    return Ok((report, Some(resume)));
                }
            }
            match page.next {
                Some(next) => query.start = Some(next),
                None => break,
            }
        }
        if head_in_range {
            report.first_break = self.tail(&head, prev.as_ref(), at_head);
            report.ok = report.first_break.is_none();
        }
        Ok((report, None))
    }

    /// The first problem with `event` given the event accepted before it.
    async fn check(&self, event: &AuditEvent, prev: Option<&Link>) -> Result<Checked, StoreError> {
        let found = |reason, detail: String| {
            Checked::Broken(Break { seq: event.seq, event_id: Some(event.id.clone()), reason, detail })
        };
        if event.computed_hash() != event.hash {
            return Ok(found(
                "hash_mismatch",
                "the event's content does not match its hash: it changed after it was written".into(),
            ));
        }
        let link = match prev {
            Some(p) if event.seq <= p.seq => {
                return Ok(found("out_of_order", format!("sequence {} follows {}", event.seq, p.seq)));
            }
            Some(p) if event.seq == p.seq + 1 => Some(Link { seq: p.seq, hash: p.hash.clone() }),
            _ if event.seq == 1 => Some(Link { seq: 0, hash: GENESIS.into() }),
            // The predecessor is not in what was read: look it up.
            _ => self.predecessor(event).await?,
        };
        match link {
            Some(link) if link.hash == event.prev_hash => Ok(Checked::Linked),
            Some(link) => Ok(found("broken_link", format!("prev_hash does not match the hash of event {}", link.seq))),
            None if self.anchored(event).await? => Ok(Checked::Anchored),
            None => {
                let from = prev.map_or(1, |p| p.seq + 1);
                Ok(found(
                    "missing_events",
                    format!(
                        "events {from} to {} are missing and no expired day's anchor accounts for them",
                        event.seq - 1
                    ),
                ))
            }
        }
    }

    /// The stored event right before `event` in the chain, if it is there.
    async fn predecessor(&self, event: &AuditEvent) -> Result<Option<Link>, StoreError> {
        if event.seq <= 1 {
            return Ok(Some(Link { seq: 0, hash: GENESIS.into() }));
        }
        let lowest = EventId::from_ulid(ulid::Ulid::nil()).to_string();
        let before = Query::new(AuditEvent::partition(self.tenant), SortKey::Between(lowest, event.id.to_string()))
            .descending(true)
            .limit(2);
        let page = self.store.query(&before).await?;
        let found = page.items.get(1).map(|item| item.parse::<AuditEvent>()).transpose()?;
        Ok(found.filter(|e| e.seq + 1 == event.seq).map(|e| Link { seq: e.seq, hash: e.hash }))
    }

    /// Whether the anchor of `event`'s day vouches for its link to an
    /// expired predecessor.
    async fn anchored(&self, event: &AuditEvent) -> Result<bool, StoreError> {
        let key = Anchor::key(self.tenant, event.created_at.date_naive());
        let anchor = self.store.batch_get(&[key]).await?.remove(0).map(|item| item.parse::<Anchor>()).transpose()?;
        Ok(anchor.is_some_and(|a| {
            a.seq + 1 == event.seq
                && a.hash == event.prev_hash
                && a.expires_at.is_some_and(|t| t <= self.now.timestamp())
        }))
    }

    async fn event_at(&self, start: &StartKey) -> Result<Option<AuditEvent>, StoreError> {
        let key = Key::from_parts(start.pk.clone(), start.sk.clone());
        self.store.batch_get(&[key]).await?.remove(0).map(|item| item.parse()).transpose()
    }

    /// Events cut from the end show as a head the walk never reached.
    fn tail(&self, head: &Head, last: Option<&Link>, at_head: Option<String>) -> Option<Break> {
        let last_seq = last.map_or(0, |l| l.seq);
        match at_head {
            Some(hash) if hash == head.hash => None,
            Some(_) => Some(Break {
                seq: head.seq,
                event_id: head.last_id.clone(),
                reason: "head_mismatch",
                detail: "the last event's hash is not the one the chain's head recorded".into(),
            }),
            None => Some(Break {
                seq: last_seq + 1,
                event_id: None,
                reason: "missing_events",
                detail: format!("events {} to {} are missing from the end of the chain", last_seq + 1, head.seq),
            }),
        }
    }
}
