//! A webhook's delivery log, redelivery and test events.

use axum::extract::{Path, State};
use axum::http::StatusCode;
use controlplane::base::error::DomainError;
use controlplane::base::ids::{DeliveryId, EventId, WebhookId};
use controlplane::base::rbac::Permission;
use controlplane::base::tenant::TenantId;
use controlplane::domain::Mutation;
use controlplane::domain::audit::{Actor, AuditEvent, Target};
use controlplane::domain::delivery::{DeliveryStatus, WebhookDelivery};
use controlplane::domain::events::DomainEvent;
use controlplane::domain::job::{Job, JobStatus, JobType, NewJob};
use controlplane::domain::webhooks::fanout;
use controlplane::edge::auth::Caller;
use controlplane::edge::error::Problem;
use controlplane::edge::http::{ApiQuery, Cursor, ListResponse, NoBody, Paging};
use controlplane::ports::store::{Condition, WriteOp};
use controlplane::{ApiError, AppState};
use serde::Deserialize;
use serde_json::json;
use utoipa::IntoParams;

use crate::handlers::{read, read_listing, read_with};

#[derive(Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct DeliveryParams {
    /// Page size, 1–200 (default 50).
    #[param(minimum = 1, maximum = 200)]
    pub limit: Option<usize>,
    /// `next_cursor` of the previous page.
    pub cursor: Option<String>,
}

/// A webhook's deliveries, newest first (kept 30 days): status, every
/// attempt's response code, latency and body excerpt (1 KiB), and when the
/// next retry is due.
#[utoipa::path(get, path = "/v1/webhooks/{webhook_id}/deliveries", operation_id = "webhooks.deliveries.list", tag = "webhooks",
    params(("webhook_id" = String, Path), DeliveryParams),
    security(("bearer" = [])),
    responses(
        (status = 200, body = ListResponse<WebhookDelivery>),
        (status = 404, body = Problem, content_type = "application/problem+json"),
    ))]
pub async fn list_deliveries(
    State(state): State<AppState>,
    caller: Caller,
    Path(raw): Path<String>,
    ApiQuery(params): ApiQuery<DeliveryParams>,
) -> Result<axum::Json<ListResponse<WebhookDelivery>>, ApiError> {
    let paging = Paging::new(params.limit, params.cursor)?;
    let scope_of =
        |tenant: &TenantId, webhook: &WebhookId| Cursor::scope(&["deliveries", tenant.as_str(), webhook.as_str()]);
    let (ctx, webhook, page) = read_listing(&state, &caller, &raw, |tenant, webhook| {
        let start = state.start(&scope_of(tenant, webhook), &paging)?;
        Ok(WebhookDelivery::query(tenant, webhook).limit(paging.limit).start(start))
    })
    .await?;
    Ok(axum::Json(state.list(&scope_of(ctx.tenant(), &webhook.id), page)?))
}

/// Deliver again: a new `deliver_webhook` job for the same event, whose
/// attempts join the delivery's log. 409 `delivery_pending` while its job
/// may still attempt it.
#[utoipa::path(post, path = "/v1/webhooks/{webhook_id}/deliveries/{delivery_id}/redeliver", operation_id = "webhooks.deliveries.redeliver", tag = "webhooks",
    params(("webhook_id" = String, Path), ("delivery_id" = String, Path)),
    security(("bearer" = [])),
    responses(
        (status = 202, body = WebhookDelivery),
        (status = 404, body = Problem, content_type = "application/problem+json"),
        (status = 409, body = Problem, content_type = "application/problem+json"),
    ))]
pub async fn redeliver(
    State(state): State<AppState>,
    caller: Caller,
    Path((raw, raw_delivery)): Path<(String, String)>,
    _: NoBody,
) -> Result<(StatusCode, axum::Json<WebhookDelivery>), ApiError> {
    let not_found = || ApiError::NotFound { resource: "delivery" };
    let id = DeliveryId::parse(&raw_delivery).map_err(|_| not_found())?;
    // The delivery is read with the webhook and the credential check.
    let (ctx, webhook, mut items) =
        read_with(&state, &caller, &raw, |t, webhook| vec![WebhookDelivery::key(t, webhook, &id)]).await?;
    let current: WebhookDelivery = items.pop().flatten().ok_or_else(not_found)?.parse()?;
    // A delivery left pending by a job that can no longer attempt it (one
    // cancelled before cancelling failed its delivery) may be redelivered;
    // the commit then checks that job has not moved since.
    let mut abandoned = None;
    if current.status == DeliveryStatus::Pending {
        let key = Job::key(ctx.tenant(), &current.job_id);
        let job = state.store.batch_get(std::slice::from_ref(&key)).await?.pop().flatten();
        let job = job.map(|item| item.parse::<Job>()).transpose()?;
        match job {
            Some(job) if matches!(job.status, JobStatus::Cancelled | JobStatus::Completed) => {
                abandoned = Some(WriteOp::check(key, Condition::VersionEquals(job.version)));
            }
            _ => return Err(ApiError::conflict("delivery_pending", "the delivery is still being attempted")),
        }
    }
    if !webhook.enabled {
        return Err(ApiError::conflict("webhook_disabled", "enable the webhook first (PUT {\"enabled\": true})"));
    }
    let now = controlplane::now();
    let new = NewJob {
        project_id: Some(webhook.project_id.clone()),
        job_type: JobType::DeliverWebhook,
        payload: json!({ "webhook_id": webhook.id, "delivery_id": current.id }),
        requested_by: ctx.principal().id().to_owned(),
        idempotency_key: None,
        trace_id: ctx.meta().request_id.clone(),
    };
    let job = Job::new(ctx.tenant().org(), new, now);
    let mut next = current.clone();
    next.status = DeliveryStatus::Pending;
    next.job_id = job.id.clone();
    next.next_retry_at = Some(now);
    next.updated_at = now;
    next.version += 1;
    let event =
        AuditEvent::new(&ctx, "webhook.redelivery_requested", "webhook", &webhook.id, json!({ "delivery_id": id }))
            .for_project(&webhook.project_id);
    let mut mutation = Mutation::new(&ctx, Permission::WebhooksManage)
        .op(
            WriteOp::put_if(next.item()?, Condition::VersionEquals(current.version)),
            DomainError::concurrent_modification(),
        )
        .op(WriteOp::put_if(job.item()?, Condition::NotExists), DomainError::concurrent_modification());
    if let Some(check) = abandoned {
        mutation = mutation.op(check, DomainError::concurrent_modification());
    }
    mutation.commit(state.store.as_ref(), event).await?;
    state.enqueue(&job).await;
    Ok((StatusCode::ACCEPTED, axum::Json(next)))
}

/// Send a `webhook.test` event to the endpoint now (through the same
/// delivery path: signed, retried, logged). 202 with the delivery.
#[utoipa::path(post, path = "/v1/webhooks/{webhook_id}/test", operation_id = "webhooks.test", tag = "webhooks",
    params(("webhook_id" = String, Path)),
    security(("bearer" = [])),
    responses(
        (status = 202, body = WebhookDelivery),
        (status = 404, body = Problem, content_type = "application/problem+json"),
        (status = 409, body = Problem, content_type = "application/problem+json"),
    ))]
pub async fn send_test(
    State(state): State<AppState>,
    caller: Caller,
    Path(raw): Path<String>,
    _: NoBody,
) -> Result<(StatusCode, axum::Json<WebhookDelivery>), ApiError> {
    let (ctx, webhook) = read(&state, &caller, &raw).await?;
    if !webhook.enabled {
        return Err(ApiError::conflict("webhook_disabled", "enable the webhook first (PUT {\"enabled\": true})"));
    }
    let principal = ctx.principal();
    let test = DomainEvent {
        id: EventId::generate(),
        event_type: "webhook.test".into(),
        occurred_at: controlplane::now(),
        org_id: Some(ctx.tenant().org().clone()),
        project_id: Some(webhook.project_id.clone()),
        actor: Actor { kind: principal.kind().into(), id: principal.id().to_owned(), email: None, name: None },
        target: Target { kind: "webhook".into(), id: webhook.id.to_string() },
        data: json!({ "message": "a test event from the control plane" }),
    };
    let (job, delivery) = fanout::delivery_for(&webhook, &test, &ctx.meta().request_id);
    let event = AuditEvent::new(&ctx, "webhook.test_sent", "webhook", &webhook.id, json!({ "event_id": test.id }))
        .for_project(&webhook.project_id);
    Mutation::new(&ctx, Permission::WebhooksManage)
        .op(WriteOp::put_if(delivery.item()?, Condition::NotExists), DomainError::concurrent_modification())
        .op(WriteOp::put_if(job.item()?, Condition::NotExists), DomainError::concurrent_modification())
        .commit(state.store.as_ref(), event)
        .await?;
    state.enqueue(&job).await;
    Ok((StatusCode::ACCEPTED, axum::Json(delivery)))
}
