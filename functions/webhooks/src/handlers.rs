use std::collections::BTreeSet;

use axum::extract::{Path, State};
use axum::http::StatusCode;
use controlplane::api::checked_url;
use controlplane::base::error::DomainError;
use controlplane::base::ids::{ProjectId, WebhookId};
use controlplane::base::rbac::Permission;
use controlplane::base::tenant::TenantId;
use controlplane::domain::Mutation;
use controlplane::domain::apikey::{ResourceKind, ResourceRef};
use controlplane::domain::audit::{AuditEvent, diff};
use controlplane::domain::project::Project;
use controlplane::domain::webhook::{EventPattern, MAX_EVENT_TYPES, ROTATION_OVERLAP, SigningSecrets, Webhook};
use controlplane::domain::webhooks::signature::WebhookSecret;
use controlplane::domain::webhooks::target::host_of;
use controlplane::edge::auth::Caller;
use controlplane::edge::error::Problem;
use controlplane::edge::http::{
    ApiJson, ApiQuery, Created, Cursor, IfMatch, ListResponse, NoBody, Paging, Revealing, Tagged,
};
use controlplane::ports::secrets::DynSecrets;
use controlplane::ports::store::{Condition, Item, Key, Page, Query, WriteOp, query_filtered_from};
use controlplane::{ApiError, AppState, TenantContext};
use serde::{Deserialize, Serialize};
use serde_json::json;
use utoipa::{IntoParams, ToSchema};

pub const MAX_DESCRIPTION_CHARS: usize = 500;

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CreateWebhook {
    pub project_id: ProjectId,
    #[schema(value_type = controlplane::domain::webhooks::target::EndpointUrl)]
    pub url: String,
    /// Event types (`project.created`), prefixes (`project.*`) or `*`; 1 to 50.
    #[schema(min_items = 1, max_items = 50)]
    pub event_types: BTreeSet<EventPattern>,
    #[schema(schema_with = description_schema)]
    pub description: Option<String>,
    /// Default `true`.
    pub enabled: Option<bool>,
}

/// Fields to change; absent fields keep their value.
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct UpdateWebhook {
    #[schema(value_type = Option<controlplane::domain::webhooks::target::EndpointUrl>)]
    pub url: Option<String>,
    #[schema(min_items = 1, max_items = 50)]
    pub event_types: Option<BTreeSet<EventPattern>>,
    #[schema(schema_with = description_schema)]
    pub description: Option<String>,
    /// Re-enabling clears `disabled_reason`.
    pub enabled: Option<bool>,
}

/// A webhook with its signing secret: shown on create and rotation only.
#[derive(Serialize, ToSchema)]
pub struct WebhookWithSecret {
    #[serde(flatten)]
    pub webhook: Webhook,
    /// `whsec_…`: verify deliveries with it. Store it now; it is not shown
    /// again. Absent from an `Idempotency-Key` replay (see `secret_withheld`).
    #[schema(required = false)]
    pub secret: String,
    /// Only in a replay of an `Idempotency-Key` request, which leaves the
    /// secret out (it is never kept): says so.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub secret_withheld: Option<String>,
}

#[derive(Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct ListWebhooks {
    /// Only this project's webhooks.
    pub project_id: Option<ProjectId>,
    /// Page size, 1–200 (default 50).
    #[param(minimum = 1, maximum = 200)]
    pub limit: Option<usize>,
    /// `next_cursor` of the previous page.
    pub cursor: Option<String>,
}

fn not_found() -> ApiError {
    ApiError::NotFound { resource: "webhook" }
}

fn secrets(state: &AppState) -> Result<&DynSecrets, ApiError> {
    state.secrets.as_ref().ok_or_else(|| ApiError::Unavailable { detail: "no secrets store is configured".into() })
}

fn secrets_down(error: controlplane::ports::secrets::SecretsError) -> ApiError {
    tracing::warn!(%error, "webhook secrets unavailable");
    ApiError::Unavailable { detail: "the secrets store is unavailable; retry shortly".into() }
}

fn description_schema() -> utoipa::openapi::schema::Object {
    controlplane::base::text::free_text_schema(MAX_DESCRIPTION_CHARS)
}

fn check_fields(event_types: Option<&BTreeSet<EventPattern>>, description: Option<&String>) -> Result<(), ApiError> {
    if let Some(types) = event_types
        && !(1..=MAX_EVENT_TYPES).contains(&types.len())
    {
        return Err(ApiError::field("event_types", format!("give 1 to {MAX_EVENT_TYPES} event types")));
    }
    for pattern in event_types.into_iter().flatten() {
        pattern.check_catalogued().map_err(|reason| ApiError::field("event_types", reason))?;
    }
    if description.is_some_and(|d| d.chars().count() > MAX_DESCRIPTION_CHARS) {
        return Err(ApiError::field("description", format!("at most {MAX_DESCRIPTION_CHARS} characters")));
    }
    if let Some(problem) = description.and_then(|d| controlplane::base::text::free_text_problem(d)) {
        return Err(ApiError::field("description", problem));
    }
    Ok(())
}

/// Create a webhook for a project; the signing secret is in this response only.
#[utoipa::path(post, path = "/v1/webhooks", operation_id = "webhooks.create", tag = "webhooks", request_body = CreateWebhook,
    security(("bearer" = [])),
    responses(
        (status = 201, body = WebhookWithSecret, headers(("Location" = String), ("ETag" = String))),
        (status = 403, body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such project", body = Problem, content_type = "application/problem+json"),
        (status = 422, body = Problem, content_type = "application/problem+json"),
    ))]
pub async fn create_webhook(
    State(state): State<AppState>,
    caller: Caller,
    ApiJson(body): ApiJson<CreateWebhook>,
) -> Result<Revealing<Created<WebhookWithSecret>>, ApiError> {
    check_fields(Some(&body.event_types), body.description.as_ref())?;
    let project_id = body.project_id;
    let (ctx, items) =
        caller.tenant(&state, Permission::WebhooksManage, |t| vec![Project::key(t, &project_id)]).await?;
    ctx.require_project(&project_id)?;
    let project: Project = items[0].as_ref().ok_or(ApiError::NotFound { resource: "project" })?.parse()?;
    if project.is_deleted() {
        return Err(ApiError::NotFound { resource: "project" });
    }
    let url = checked_url(&state, &body.url).await?;
    let now = controlplane::now();
    let webhook = Webhook {
        id: WebhookId::generate(),
        org_id: ctx.tenant().org().clone(),
        project_id,
        url,
        event_types: body.event_types,
        description: body.description.filter(|d| !d.is_empty()),
        enabled: body.enabled.unwrap_or(true),
        disabled_reason: None,
        previous_secret_valid_until: None,
        region: project.region.clone(),
        created_by: ctx.principal().id().to_owned(),
        version: 1,
        created_at: now,
        updated_at: now,
    };
    let secret = WebhookSecret::generate();
    let stored = SigningSecrets { current: secret.clone(), previous: None };
    // The secret first: a webhook never exists without one. If the item's
    // commit fails, the unused secret is removed again.
    let name = webhook.secret_name().map_err(|e| ApiError::Internal(e.to_string()))?;
    let store = secrets(&state)?;
    let value = stored.to_value().map_err(|e| ApiError::Internal(e.to_string()))?;
    store.put(&name, &value).await.map_err(secrets_down)?;
    let metadata = json!({ "host": host_of(&webhook.url), "event_types": webhook.event_types });
    let event =
        AuditEvent::new(&ctx, "webhook.created", "webhook", &webhook.id, metadata).for_project(&webhook.project_id);
    let committed = Mutation::new(&ctx, Permission::WebhooksManage)
        .op(WriteOp::put_if(webhook.item()?, Condition::NotExists), DomainError::concurrent_modification())
        .commit(state.store.as_ref(), event)
        .await;
    if let Err(error) = committed {
        if let Err(cleanup) = store.delete(&name).await {
            tracing::warn!(error = %cleanup, webhook = %webhook.id, "unused webhook secret not removed");
        }
        return Err(error.into());
    }
    let created = Created {
        location: format!("/v1/webhooks/{}", webhook.id),
        version: webhook.version,
        body: WebhookWithSecret { webhook, secret: secret.expose(), secret_withheld: None },
    };
    Ok(Revealing(created, &["secret"]))
}

/// List the organization's webhooks (a key sees its project's, and only the
/// webhooks it is limited to).
#[utoipa::path(get, path = "/v1/webhooks", operation_id = "webhooks.list", tag = "webhooks", params(ListWebhooks),
    security(("bearer" = [])),
    responses((status = 200, body = ListResponse<Webhook>), (status = 403, body = Problem, content_type = "application/problem+json")))]
pub async fn list_webhooks(
    State(state): State<AppState>,
    caller: Caller,
    ApiQuery(params): ApiQuery<ListWebhooks>,
) -> Result<axum::Json<ListResponse<Webhook>>, ApiError> {
    let paging = Paging::new(params.limit, params.cursor)?;
    // The cursor is bound to the parameters; a key's own project scope is
    // enforced by the filter below.
    let asked = params.project_id.as_ref().map_or("", ProjectId::as_str);
    let scope_in = |tenant: &TenantId| Cursor::scope(&["webhooks", tenant.as_str(), asked]);
    let (ctx, query, first) = caller
        .tenant_listing(&state, Permission::WebhooksManage, |tenant| {
            Ok(Webhook::query(tenant).limit(paging.limit).start(state.start(&scope_in(tenant), &paging)?))
        })
        .await?;
    if let Some(project) = &params.project_id {
        ctx.require_project(project)?;
    }
    let project = params.project_id.as_ref().or(ctx.project_scope());
    let scope = scope_in(ctx.tenant());
    let limited = ctx.resource_limit(ResourceKind::Webhook);
    let keep = |item: &Item| {
        item.parse::<Webhook>().is_ok_and(|w| {
            project.is_none_or(|p| w.project_id == *p)
                && limited.as_ref().is_none_or(|l| l.contains(&ResourceRef::from(&w.id)))
        })
    };
    let page = query_filtered_from(state.store.as_ref(), &query, Some(first), keep).await?;
    Ok(axum::Json(state.list(&scope, page)?))
}

/// Reads a webhook the caller may act on.
pub(crate) async fn read(state: &AppState, caller: &Caller, raw: &str) -> Result<(TenantContext, Webhook), ApiError> {
    read_with(state, caller, raw, |_, _| vec![]).await.map(|(ctx, webhook, _)| (ctx, webhook))
}

/// Reads a webhook and, in the same batch, the items `extra` names under it.
pub(crate) async fn read_with(
    state: &AppState,
    caller: &Caller,
    raw: &str,
    extra: impl FnOnce(&TenantId, &WebhookId) -> Vec<Key>,
) -> Result<(TenantContext, Webhook, Vec<Option<Item>>), ApiError> {
    let id = WebhookId::parse(raw).map_err(|_| not_found())?;
    let (ctx, mut items) = caller
        .tenant(state, Permission::WebhooksManage, |t| {
            let mut keys = vec![Webhook::key(t, &id)];
            keys.extend(extra(t, &id));
            keys
        })
        .await?;
    let webhook = visible(&ctx, items[0].as_ref())?;
    items.remove(0);
    Ok((ctx, webhook, items))
}

/// Reads a webhook and, in the same round trip, the first page of the query
/// `list` builds for its deliveries.
pub(crate) async fn read_listing(
    state: &AppState,
    caller: &Caller,
    raw: &str,
    list: impl FnOnce(&TenantId, &WebhookId) -> Result<Query, ApiError>,
) -> Result<(TenantContext, Webhook, Page), ApiError> {
    let id = WebhookId::parse(raw).map_err(|_| not_found())?;
    let (ctx, items, _, first) = caller
        .tenant_listing_with(state, Permission::WebhooksManage, |t| vec![Webhook::key(t, &id)], |t| list(t, &id))
        .await?;
    let webhook = visible(&ctx, items[0].as_ref())?;
    Ok((ctx, webhook, first))
}

/// The webhook an item holds, if the caller may see it (else 404 or 403).
fn visible(ctx: &TenantContext, item: Option<&Item>) -> Result<Webhook, ApiError> {
    let webhook: Webhook = item.ok_or_else(not_found)?.parse()?;
    ctx.require_project(&webhook.project_id)?;
    ctx.require_resource(&ResourceRef::from(&webhook.id))?;
    Ok(webhook)
}

/// Get a webhook (never its secret).
#[utoipa::path(get, path = "/v1/webhooks/{webhook_id}", operation_id = "webhooks.get", tag = "webhooks", params(("webhook_id" = String, Path)),
    security(("bearer" = [])),
    responses((status = 200, body = Webhook, headers(("ETag" = String))), (status = 404, body = Problem, content_type = "application/problem+json")))]
pub async fn get_webhook(
    State(state): State<AppState>,
    caller: Caller,
    Path(raw): Path<String>,
) -> Result<Tagged<Webhook>, ApiError> {
    let (_, webhook) = read(&state, &caller, &raw).await?;
    Ok(Tagged { version: webhook.version, body: webhook })
}

async fn apply_update(
    state: AppState,
    caller: Caller,
    raw: String,
    if_match: IfMatch,
    body: UpdateWebhook,
) -> Result<Tagged<Webhook>, ApiError> {
    check_fields(body.event_types.as_ref(), body.description.as_ref())?;
    let (ctx, current) = read(&state, &caller, &raw).await?;
    if_match.check(current.version)?;
    let mut next = current.clone();
    if let Some(url) = &body.url {
        next.url = checked_url(&state, url).await?;
    }
    if let Some(types) = body.event_types {
        next.event_types = types;
    }
    if let Some(description) = body.description {
        next.description = Some(description).filter(|d| !d.is_empty());
    }
    if let Some(enabled) = body.enabled {
        next.enabled = enabled;
        if enabled {
            next.disabled_reason = None;
        }
    }
    let changes = diff(&[
        ("host", json!(host_of(&current.url)), json!(host_of(&next.url))),
        ("url_changed", json!(false), json!(current.url != next.url)),
        ("event_types", json!(current.event_types), json!(next.event_types)),
        ("description", json!(current.description), json!(next.description)),
        ("enabled", json!(current.enabled), json!(next.enabled)),
    ]);
    if changes["changes"].as_object().is_some_and(|c| c.is_empty()) {
        return Ok(Tagged { version: current.version, body: current });
    }
    next.version += 1;
    next.updated_at = controlplane::now();
    let event = AuditEvent::new(&ctx, "webhook.updated", "webhook", &next.id, changes).for_project(&next.project_id);
    Mutation::new(&ctx, Permission::WebhooksManage)
        .op(WriteOp::put_if(next.item()?, Condition::VersionEquals(current.version)), if_match.lost_race())
        .commit(state.store.as_ref(), event)
        .await?;
    Ok(Tagged { version: next.version, body: next })
}

/// Update a webhook. Honours `If-Match`.
#[utoipa::path(put, path = "/v1/webhooks/{webhook_id}", operation_id = "webhooks.replace", tag = "webhooks", request_body = UpdateWebhook,
    params(("webhook_id" = String, Path), ("If-Match" = Option<String>, Header)),
    security(("bearer" = [])),
    responses(
        (status = 200, body = Webhook, headers(("ETag" = String))),
        (status = 404, body = Problem, content_type = "application/problem+json"),
        (status = 412, body = Problem, content_type = "application/problem+json"),
        (status = 422, body = Problem, content_type = "application/problem+json"),
    ))]
pub async fn update_webhook(
    State(state): State<AppState>,
    caller: Caller,
    Path(raw): Path<String>,
    if_match: IfMatch,
    ApiJson(body): ApiJson<UpdateWebhook>,
) -> Result<Tagged<Webhook>, ApiError> {
    apply_update(state, caller, raw, if_match, body).await
}

/// Same as `PUT`.
#[utoipa::path(patch, path = "/v1/webhooks/{webhook_id}", operation_id = "webhooks.update", tag = "webhooks", request_body = UpdateWebhook,
    params(("webhook_id" = String, Path), ("If-Match" = Option<String>, Header)),
    security(("bearer" = [])),
    responses((status = 200, body = Webhook, headers(("ETag" = String))), (status = 412, body = Problem, content_type = "application/problem+json")))]
pub async fn patch_webhook(
    State(state): State<AppState>,
    caller: Caller,
    Path(raw): Path<String>,
    if_match: IfMatch,
    ApiJson(body): ApiJson<UpdateWebhook>,
) -> Result<Tagged<Webhook>, ApiError> {
    apply_update(state, caller, raw, if_match, body).await
}

/// Delete a webhook and its signing secrets.
#[utoipa::path(delete, path = "/v1/webhooks/{webhook_id}", operation_id = "webhooks.delete", tag = "webhooks",
    params(("webhook_id" = String, Path), ("If-Match" = Option<String>, Header)),
    security(("bearer" = [])),
    responses((status = 204, description = "Deleted"), (status = 404, body = Problem, content_type = "application/problem+json")))]
pub async fn delete_webhook(
    State(state): State<AppState>,
    caller: Caller,
    Path(raw): Path<String>,
    if_match: IfMatch,
    _: NoBody,
) -> Result<StatusCode, ApiError> {
    let (ctx, current) = read(&state, &caller, &raw).await?;
    if_match.check(current.version)?;
    let event =
        AuditEvent::new(&ctx, "webhook.deleted", "webhook", &current.id, json!({ "host": host_of(&current.url) }))
            .for_project(&current.project_id);
    Mutation::new(&ctx, Permission::WebhooksManage)
        .op(
            WriteOp::delete_if(Webhook::key(ctx.tenant(), &current.id), Condition::VersionEquals(current.version)),
            if_match.lost_race(),
        )
        .commit(state.store.as_ref(), event)
        .await?;
    // The endpoint is gone; its secrets go too (a failure leaves only an unused secret).
    if let (Ok(store), Ok(name)) = (secrets(&state), current.secret_name())
        && let Err(error) = store.delete(&name).await
    {
        tracing::warn!(%error, webhook = %current.id, "webhook secret not deleted");
    }
    Ok(StatusCode::NO_CONTENT)
}

#[derive(Serialize, ToSchema)]
#[schema(example = json!({"secret": "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw", "previous_secret_valid_until": "2026-12-05T12:00:00Z"}))]
pub struct RotatedSecret {
    /// The new `whsec_…` secret; not shown again. Absent from an
    /// `Idempotency-Key` replay (see `secret_withheld`).
    #[schema(required = false)]
    pub secret: String,
    /// Only in a replay of an `Idempotency-Key` request, which leaves the
    /// secret out (it is never kept): says so.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub secret_withheld: Option<String>,
    /// Until then deliveries carry signatures with both secrets.
    pub previous_secret_valid_until: chrono::DateTime<chrono::Utc>,
}

/// Rotate the signing secret. For 24 hours every delivery carries a
/// signature with each secret, so receivers can switch without a gap.
#[utoipa::path(post, path = "/v1/webhooks/{webhook_id}/rotate-secret", operation_id = "webhooks.rotateSecret", tag = "webhooks",
    params(("webhook_id" = String, Path)),
    security(("bearer" = [])),
    responses((status = 200, body = RotatedSecret), (status = 404, body = Problem, content_type = "application/problem+json")))]
pub async fn rotate_secret(
    State(state): State<AppState>,
    caller: Caller,
    Path(raw): Path<String>,
    _: NoBody,
) -> Result<Revealing<axum::Json<RotatedSecret>>, ApiError> {
    let (ctx, current) = read(&state, &caller, &raw).await?;
    let store = secrets(&state)?;
    let name = current.secret_name().map_err(|e| ApiError::Internal(e.to_string()))?;
    let value = store
        .get(&name)
        .await
        .map_err(secrets_down)?
        .ok_or_else(|| ApiError::Internal("webhook secret missing".into()))?;
    let old = SigningSecrets::from_value(&value).map_err(|e| ApiError::Internal(e.to_string()))?;
    let now = controlplane::now();
    let until = now + ROTATION_OVERLAP;
    let rotated = SigningSecrets { current: WebhookSecret::generate(), previous: Some((old.current, until)) };
    let mut next = current.clone();
    next.previous_secret_valid_until = Some(until);
    next.version += 1;
    next.updated_at = now;
    let value = rotated.to_value().map_err(|e| ApiError::Internal(e.to_string()))?;
    let event = AuditEvent::new(
        &ctx,
        "webhook.secret_rotated",
        "webhook",
        &next.id,
        json!({ "previous_secret_valid_until": until }),
    )
    .for_project(&next.project_id);
    Mutation::new(&ctx, Permission::WebhooksManage)
        .op(
            WriteOp::put_if(next.item()?, Condition::VersionEquals(current.version)),
            DomainError::concurrent_modification(),
        )
        .commit(state.store.as_ref(), event)
        .await?;
    // After the version-checked commit: of two concurrent rotations only the
    // winner writes secrets, so a secret never shown never signs. A failed
    // write here leaves the old secret in use; rotating again is safe.
    store.put(&name, &value).await.map_err(secrets_down)?;
    let body =
        RotatedSecret { secret: rotated.current.expose(), previous_secret_valid_until: until, secret_withheld: None };
    Ok(Revealing(axum::Json(body), &["secret"]))
}
