//! Webhook deliveries: one per (webhook, event), with every attempt's
//! outcome. Kept in the webhook's delivery partition, newest first by id.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use crate::base::ids::{DeliveryId, EventId, JobId, WebhookId};
use crate::base::tenant::{OrgId, TenantId};
use crate::domain::events::DomainEvent;
use crate::domain::webhooks::deliver::Attempt;
use crate::ports::store::{Condition, Item, Key, Partition, Query, SortKey, StoreError, WriteOp};

/// How long a delivery and its log are kept.
pub const RETENTION_DAYS: i64 = 30;
/// Attempts kept in a delivery's log (redeliveries add more).
pub const MAX_LOGGED_ATTEMPTS: usize = 30;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum DeliveryStatus {
    /// Waiting for its next attempt.
    Pending,
    Succeeded,
    /// Every attempt failed, or the endpoint answered 410 or was disabled.
    Failed,
}

/// One attempt, as the log shows it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct LoggedAttempt {
    /// 1 for the first attempt.
    pub attempt: u32,
    pub at: DateTime<Utc>,
    /// The response status, when one came back.
    pub response_status: Option<u16>,
    pub latency_ms: u64,
    /// The response body's first 1 KiB.
    pub response_excerpt: String,
    /// Why no response came back (timeout, refused, TLS, address refused).
    pub error: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct WebhookDelivery {
    pub id: DeliveryId,
    pub webhook_id: WebhookId,
    pub org_id: OrgId,
    /// The event delivered (its id is the `webhook-id` header).
    pub event_id: EventId,
    pub event_type: String,
    pub status: DeliveryStatus,
    /// The job that makes the attempts.
    pub job_id: JobId,
    pub attempts: Vec<LoggedAttempt>,
    /// When the next attempt is due, while pending.
    pub next_retry_at: Option<DateTime<Utc>>,
    pub version: u64,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
    /// The payload, kept for redelivery.
    #[serde(skip_serializing)]
    #[schema(ignore)]
    pub event: Option<DomainEvent>,
}

fn collection(webhook: &WebhookId) -> String {
    format!("WHDELIVERY#{webhook}")
}

impl WebhookDelivery {
    pub fn new(webhook: &WebhookId, org: &OrgId, event: &DomainEvent, job: &JobId, now: DateTime<Utc>) -> Self {
        Self {
            id: DeliveryId::from_ulid(event.id.ulid()),
            webhook_id: webhook.clone(),
            org_id: org.clone(),
            event_id: event.id.clone(),
            event_type: event.event_type.clone(),
            status: DeliveryStatus::Pending,
            job_id: job.clone(),
            attempts: Vec::new(),
            next_retry_at: Some(now),
            version: 1,
            created_at: now,
            updated_at: now,
            event: Some(event.clone()),
        }
    }

    pub fn key(tenant: &TenantId, webhook: &WebhookId, id: &DeliveryId) -> Key {
        Key::tenant_collection(tenant, &collection(webhook), id.as_str())
    }

    /// The delivery a `deliver_webhook` job attempts (`None` for a job
    /// whose payload names none).
    pub fn key_of_job(tenant: &TenantId, payload: &serde_json::Value) -> Option<Key> {
        let webhook: WebhookId = serde_json::from_value(payload["webhook_id"].clone()).ok()?;
        let delivery: DeliveryId = serde_json::from_value(payload["delivery_id"].clone()).ok()?;
        Some(Self::key(tenant, &webhook, &delivery))
    }

    /// [`WebhookDelivery::given_up`] as one write that needs no read of the
    /// delivery, for when its job is cancelled: on condition that the
    /// delivery is still that job's.
    pub fn given_up_by(delivery: Key, job: &JobId, now: DateTime<Utc>) -> WriteOp {
        let set = vec![
            ("status".to_owned(), serde_json::json!(DeliveryStatus::Failed)),
            ("next_retry_at".to_owned(), serde_json::Value::Null),
            ("updated_at".to_owned(), serde_json::json!(now)),
        ];
        WriteOp::patch(
            delivery,
            set,
            Condition::FieldIn { field: "job_id".into(), values: vec![serde_json::json!(job)] },
        )
    }

    /// The delivery once nothing will attempt it again: `failed`, with no
    /// retry to come. `None` when it is no longer pending.
    pub fn given_up(&self, now: DateTime<Utc>) -> Option<Self> {
        if self.status != DeliveryStatus::Pending {
            return None;
        }
        let mut failed = self.clone();
        failed.status = DeliveryStatus::Failed;
        failed.next_retry_at = None;
        failed.updated_at = now;
        failed.version += 1;
        Some(failed)
    }

    /// A webhook's deliveries, newest first.
    pub fn query(tenant: &TenantId, webhook: &WebhookId) -> Query {
        Query::new(Partition::tenant_collection(tenant, &collection(webhook)), SortKey::Any).descending(true)
    }

    /// The stored item (the event included, unlike the API's view).
    pub fn item(&self) -> Result<Item, StoreError> {
        let mut data = serde_json::to_value(self).map_err(|e| StoreError::Serialization(e.to_string()))?;
        data["event"] = serde_json::to_value(&self.event).map_err(|e| StoreError::Serialization(e.to_string()))?;
        let expires = self.created_at.timestamp() + RETENTION_DAYS * 86_400;
        Ok(Item::new(Self::key(&TenantId::acting_for(&self.org_id), &self.webhook_id, &self.id), self.version, data)?
            .expiring_at(expires))
    }

    /// The delivery one version on, with `attempt` logged.
    pub fn logged(&self, attempt: &Attempt, number: u32, now: DateTime<Utc>) -> Self {
        let mut next = self.clone();
        next.attempts.push(LoggedAttempt {
            attempt: number,
            at: now,
            response_status: attempt.status,
            latency_ms: attempt.latency_ms,
            response_excerpt: attempt.response_excerpt.clone(),
            error: attempt.error.clone(),
        });
        let excess = next.attempts.len().saturating_sub(MAX_LOGGED_ATTEMPTS);
        next.attempts.drain(..excess);
        next.updated_at = now;
        next.version += 1;
        next
    }
}
