//! Fan-out: each published event becomes one delivery (and one
//! `deliver_webhook` job) per enabled webhook of its project that wants its
//! type. The delivery's key is the (webhook, event) pair, written with a
//! not-exists condition, so publishing an event twice delivers it once.

use crate::base::tenant::TenantId;
use std::collections::HashMap;

use serde_json::json;

use crate::base::tenant::OrgId;
use crate::domain::delivery::WebhookDelivery;
use crate::domain::events::DomainEvent;
use crate::domain::job::{Job, JobType, NewJob};
use crate::domain::webhook::Webhook;
use crate::ports::queue::DynQueue;
use crate::ports::store::{Condition, Store, StoreError, WriteOp};

/// The most webhooks one org's query reads.
const MAX_WEBHOOKS: usize = 1000;

/// The delivery job for one (webhook, event) pair, and its delivery.
pub fn delivery_for(webhook: &Webhook, event: &DomainEvent, trace_id: &str) -> (Job, WebhookDelivery) {
    let now = crate::now();
    let new = NewJob {
        project_id: Some(webhook.project_id.clone()),
        job_type: JobType::DeliverWebhook,
        payload: json!({ "webhook_id": webhook.id, "delivery_id": crate::base::ids::DeliveryId::from_ulid(event.id.ulid()) }),
        requested_by: "publisher".into(),
        idempotency_key: None,
        trace_id: trace_id.to_owned(),
    };
    let job = Job::new(&webhook.org_id, new, now);
    let delivery = WebhookDelivery::new(&webhook.id, &webhook.org_id, event, &job.id, now);
    (job, delivery)
}

/// Writes a delivery and its job in one transaction; `false` when the
/// delivery already exists (nothing written).
pub async fn write(store: &dyn Store, job: &Job, delivery: &WebhookDelivery) -> Result<bool, StoreError> {
    let ops = vec![
        WriteOp::put_if(delivery.item()?, Condition::NotExists),
        WriteOp::put_if(job.item().map_err(|e| StoreError::Invalid(e.to_string()))?, Condition::NotExists),
    ];
    match store.transact(ops).await {
        Ok(()) => Ok(true),
        Err(StoreError::ConditionFailed { .. }) => Ok(false),
        Err(e) => Err(e),
    }
}

/// Creates the deliveries `events` call for and sends their jobs' messages
/// (a lost message is re-sent by the reconciler). Returns how many.
pub async fn fan_out(store: &dyn Store, queue: &DynQueue, events: &[DomainEvent]) -> Result<usize, StoreError> {
    let mut webhooks: HashMap<OrgId, Vec<Webhook>> = HashMap::new();
    let mut created = 0;
    for event in events {
        let (Some(org), Some(project)) = (&event.org_id, &event.project_id) else { continue };
        if !webhooks.contains_key(org) {
            let page = store.query(&Webhook::query(&TenantId::acting_for(org)).limit(MAX_WEBHOOKS)).await?;
            let all = page.items.iter().map(|item| item.parse::<Webhook>()).collect::<Result<Vec<_>, _>>()?;
            webhooks.insert(org.clone(), all);
        }
        let wanting = webhooks[org].iter().filter(|w| &w.project_id == project && w.wants(&event.event_type));
        for webhook in wanting {
            let (job, delivery) = delivery_for(webhook, event, &format!("publish:{}", event.id));
            if write(store, &job, &delivery).await? {
                created += 1;
                if let Err(error) = crate::domain::worker::enqueue(queue, &job).await {
                    tracing::warn!(%error, job = %job.id, "delivery message not sent; the reconciler re-sends it");
                }
            }
        }
    }
    Ok(created)
}
