//! The `deliver_webhook` job: one attempt per run. Success completes the
//! job with the logged attempt; a failure logs the attempt and hands the
//! retry to the worker (schedule in [`crate::domain::job::WEBHOOK_SCHEDULE`]).
//! 410 Gone disables the endpoint at once; a delivery that exhausts its
//! schedule with no success at the endpoint since it began (a sustained
//! failure, ~28 h) disables it too. Each disabling records `webhook.disabled`.

use async_trait::async_trait;
use chrono::{DateTime, TimeDelta, Utc};
use serde::{Deserialize, Serialize};
use serde_json::json;
use std::sync::Arc;

use crate::base::ids::{DeliveryId, WebhookId};
use crate::base::redact::Redactor;
use crate::base::tenant::TenantId;
use crate::domain::audit::{AuditEvent, Target, chain};
use crate::domain::delivery::{DeliveryStatus, WebhookDelivery};
use crate::domain::egress::{self, EgressCaller, EgressPolicy, Gate};
use crate::domain::job::Job;
use crate::domain::minimize;
use crate::domain::webhook::{SigningSecrets, Webhook};
use crate::domain::webhooks::deliver::{self, Attempt, Delivery, TIMEOUT};
use crate::domain::webhooks::target::Allowances;
use crate::domain::worker::{Done, Effect, Failure, JobHandler, WorkerError};
use crate::ports::secrets::DynSecrets;
use crate::ports::store::{Condition, DynStore, Item, Key, StoreError, WriteOp};

pub struct DeliverWebhook {
    pub secrets: DynSecrets,
    pub allow: Allowances,
}

/// When the endpoint last answered a delivery with 2xx.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Health {
    pub last_success_at: DateTime<Utc>,
}

impl Health {
    pub fn key(tenant: &TenantId, webhook: &WebhookId) -> Key {
        Key::tenant(tenant, format!("WHHEALTH#{webhook}"))
    }
}

fn transient(e: impl std::fmt::Display) -> Failure {
    Failure::Transient(e.to_string())
}

struct Loaded {
    webhook: Webhook,
    delivery: WebhookDelivery,
    health: Option<Health>,
    /// The org's data policy, read with the rest.
    minimize: Arc<Redactor>,
    /// The org's egress policy, read with the rest.
    egress: EgressPolicy,
}

async fn load(job: &Job, store: &DynStore) -> Result<Loaded, Failure> {
    let webhook_id: WebhookId = serde_json::from_value(job.payload["webhook_id"].clone())
        .map_err(|_| Failure::Permanent("the job names no webhook".into()))?;
    let delivery_id: DeliveryId = serde_json::from_value(job.payload["delivery_id"].clone())
        .map_err(|_| Failure::Permanent("the job names no delivery".into()))?;
    let org = &job.org_id;
    let keys = [
        Webhook::key(&TenantId::acting_for(org), &webhook_id),
        WebhookDelivery::key(&TenantId::acting_for(org), &webhook_id, &delivery_id),
        Health::key(&TenantId::acting_for(org), &webhook_id),
        minimize::key(&TenantId::acting_for(org)),
        egress::key(&TenantId::acting_for(org)),
    ];
    let mut found = store.batch_get(&keys).await.map_err(transient)?.into_iter();
    fn parse<T: serde::de::DeserializeOwned>(item: Option<Item>) -> Result<Option<T>, Failure> {
        item.map(|i| i.parse()).transpose().map_err(transient)
    }
    let webhook: Option<Webhook> = parse(found.next().flatten())?;
    let delivery: Option<WebhookDelivery> = parse(found.next().flatten())?;
    let health: Option<Health> = parse(found.next().flatten())?;
    let minimize = minimize::redactor_of(org, found.next().flatten().as_ref()).map_err(transient)?;
    let (egress, _) = EgressPolicy::from_item(found.next().flatten().as_ref()).map_err(transient)?;
    match (webhook, delivery) {
        (Some(webhook), Some(delivery)) => Ok(Loaded { webhook, delivery, health, minimize, egress }),
        _ => Err(Failure::Permanent("the webhook or the delivery no longer exists".into())),
    }
}

impl DeliverWebhook {
    async fn attempt(
        &self,
        loaded: &Loaded,
        job: &Job,
        store: &DynStore,
        now: DateTime<Utc>,
    ) -> Result<Attempt, Failure> {
        let refused = |error: String| Attempt {
            status: None,
            latency_ms: 0,
            response_excerpt: String::new(),
            error: Some(error),
        };
        // Checked again at delivery time: DNS may point elsewhere now.
        let gate = Gate {
            store: store.as_ref(),
            org: &job.org_id,
            policy: &loaded.egress,
            caller: EgressCaller { kind: "webhook", id: loaded.webhook.id.to_string() },
            trace_id: &job.trace_id,
            confined: None,
        };
        let target = match gate.check(&loaded.webhook.url, self.allow).await {
            Ok(target) => target,
            Err(why) => return Ok(refused(why)),
        };
        let name = loaded.webhook.secret_name().map_err(|e| Failure::Permanent(e.to_string()))?;
        let stored = self.secrets.get(&name).await.map_err(transient)?;
        let secrets =
            SigningSecrets::from_value(&stored.ok_or_else(|| Failure::Permanent("the signing secret is gone".into()))?)
                .map_err(|e| Failure::Permanent(e.to_string()))?;
        let event =
            loaded.delivery.event.as_ref().ok_or_else(|| Failure::Permanent("the delivery holds no event".into()))?;
        let body = serde_json::to_vec(event).map_err(|e| Failure::Permanent(e.to_string()))?;
        let delivery = Delivery {
            id: event.id.as_str(),
            timestamp: now.timestamp(),
            body: &body,
            secrets: &secrets.live(now),
            minimize: &loaded.minimize,
        };
        Ok(deliver::send(&target, &delivery, TIMEOUT).await)
    }
}

/// The endpoint disabled, with its `webhook.disabled` event.
fn disabled(
    webhook: &Webhook,
    reason: &str,
    trace_id: &str,
    now: DateTime<Utc>,
) -> Result<(WriteOp, AuditEvent), StoreError> {
    let mut next = webhook.clone();
    next.enabled = false;
    next.disabled_reason = Some(reason.to_owned());
    next.updated_at = now;
    next.version += 1;
    let item = next.item().map_err(|e| StoreError::Invalid(e.to_string()))?;
    let target = Target { kind: "webhook".into(), id: webhook.id.to_string() };
    let event = AuditEvent::by_system(
        &webhook.org_id,
        "webhook-delivery",
        trace_id,
        "webhook.disabled",
        target,
        json!({ "reason": reason }),
    )
    .for_project(&webhook.project_id);
    Ok((WriteOp::put_if(item, Condition::VersionEquals(webhook.version)), event))
}

#[async_trait]
impl JobHandler for DeliverWebhook {
    async fn run(&self, job: &Job, store: &DynStore) -> Result<Done, Failure> {
        let loaded = load(job, store).await?;
        if !loaded.webhook.enabled {
            return Err(Failure::Permanent("the webhook is disabled".into()));
        }
        let now = Utc::now();
        let attempt = self.attempt(&loaded, job, store, now).await?;
        let number = job.attempts;
        let mut logged = loaded.delivery.logged(&attempt, number, now);
        let delivery_condition = Condition::VersionEquals(loaded.delivery.version);
        if attempt.succeeded() {
            logged.status = DeliveryStatus::Succeeded;
            logged.next_retry_at = None;
            let health = Item::new(
                Health::key(&TenantId::acting_for(&job.org_id), &loaded.webhook.id),
                1,
                Health { last_success_at: now },
            )
            .map_err(transient)?;
            return Ok(Done {
                result: json!({ "status": attempt.status, "attempts": number }),
                writes: vec![
                    WriteOp::put_if(logged.item().map_err(transient)?, delivery_condition),
                    WriteOp::put(health),
                ],
                events: Vec::new(),
            });
        }
        let error = match (&attempt.status, &attempt.error) {
            (Some(status), _) => format!("the endpoint answered {status}"),
            (None, Some(error)) => error.clone(),
            (None, None) => "no response".into(),
        };
        if attempt.gone() {
            logged.status = DeliveryStatus::Failed;
            logged.next_retry_at = None;
            let (disable, event) =
                disabled(&loaded.webhook, "the endpoint answered 410 Gone", &job.trace_id, now).map_err(transient)?;
            let writes = vec![WriteOp::put_if(logged.item().map_err(transient)?, delivery_condition), disable];
            chain::commit(store.as_ref(), writes, vec![event]).await.map_err(transient)?;
            return Err(Failure::Permanent("410 Gone: the endpoint was disabled".into()));
        }
        let retry =
            (number < job.max_attempts).then(|| now + TimeDelta::from_std(job.retry_delay(number)).unwrap_or_default());
        logged.next_retry_at = retry;
        store
            .transact(vec![WriteOp::put_if(logged.item().map_err(transient)?, delivery_condition)])
            .await
            .map_err(transient)?;
        Err(Failure::Transient(error))
    }

    async fn give_up(&self, job: &Job, store: &DynStore, error: &str) -> Result<Effect, WorkerError> {
        give_up_delivery(job, store, error).await
    }
}

/// What a delivery that failed for good writes: the delivery `failed`, and
/// the endpoint disabled when this was a sustained failure.
async fn give_up_delivery(job: &Job, store: &DynStore, error: &str) -> Result<Effect, WorkerError> {
    let Ok(loaded) = load(job, store).await else { return Ok(Effect::default()) };
    let now = Utc::now();
    let Some(failed) = loaded.delivery.given_up(now) else { return Ok(Effect::default()) };
    let mut effect = Effect {
        writes: vec![WriteOp::put_if(failed.item()?, Condition::VersionEquals(loaded.delivery.version))],
        events: Vec::new(),
    };
    // The whole schedule ran and failed, and nothing succeeded at the
    // endpoint since the delivery began: a sustained failure. (A job failed
    // at its deadline before its attempts ran says nothing of the endpoint.)
    let sustained = job.attempts >= job.max_attempts
        && loaded.health.is_none_or(|h| h.last_success_at < loaded.delivery.created_at);
    if sustained && loaded.webhook.enabled && error != "the webhook is disabled" {
        let (disable, event) =
            disabled(&loaded.webhook, "deliveries failed for the whole retry schedule", &job.trace_id, now)?;
        effect.writes.push(disable);
        effect.events.push(event);
    }
    Ok(effect)
}

/// The general worker's stand-in for deliveries, which run on the webhooks
/// queue: it never delivers, but when the reconciler fails a delivery job
/// past its deadline, the delivery's log says so too.
pub struct DeliveryRecords;

#[async_trait]
impl JobHandler for DeliveryRecords {
    async fn run(&self, _job: &Job, _store: &DynStore) -> Result<Done, Failure> {
        Err(Failure::Transient("webhook deliveries run on the webhooks queue".into()))
    }

    async fn give_up(&self, job: &Job, store: &DynStore, error: &str) -> Result<Effect, WorkerError> {
        give_up_delivery(job, store, error).await
    }
}
