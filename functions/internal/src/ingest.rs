//! `POST /internal/events`: events the data plane reports about a project
//! (for now `file.uploaded`). Each becomes an audit event of the project's
//! org — and with it a published domain event — exactly once per
//! `event_key`, however often the data plane retries.

use axum::Extension;
use axum::extract::State;
use controlplane::base::ids::ProjectId;
use controlplane::base::request::RequestMeta;
use controlplane::domain::audit::{AuditEvent, Target, chain};
use controlplane::domain::project::{Project, ProjectLookup};
use controlplane::edge::error::Problem;
use controlplane::edge::http::ApiJson;
use controlplane::ports::store::{Condition, Item, Key, StoreError, WriteOp};
use controlplane::{ApiError, AppState};
use serde::{Deserialize, Serialize};
use serde_json::{Value, json};
use utoipa::ToSchema;

/// Event types the data plane may report.
pub const INGESTED_TYPES: &[&str] = &["file.uploaded"];
/// The largest `data` accepted, serialized.
pub const MAX_DATA_BYTES: usize = 8 * 1024;
/// How long an `event_key` is remembered.
const KEY_DAYS: i64 = 7;

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({
    "type": "file.uploaded",
    "project_id": "prj_01jh3v5d2k8q9w6x7y8z9a0b1c",
    "event_key": "upload-7f3a",
    "data": {"path": "uploads/a.png", "size": 1024, "content_type": "image/png"},
}))]
pub struct IngestEvent {
    /// `file.uploaded`.
    #[serde(rename = "type")]
    pub event_type: String,
    pub project_id: ProjectId,
    /// The data plane's own id for the event (1–200 characters): a retry
    /// with the same key records nothing new. Kept 7 days.
    pub event_key: String,
    /// What happened, e.g. `{"path": "uploads/a.png", "size": 1024, "content_type": "image/png"}`;
    /// at most 8 KiB as JSON.
    #[schema(value_type = Object)]
    pub data: Value,
}

#[derive(Serialize, ToSchema)]
pub struct Ingested {
    /// False when the `event_key` was seen before (nothing new recorded).
    pub recorded: bool,
}

/// The data plane reports an event about a project; it is audited in the
/// project's org and published (EventBridge and webhooks) like any other.
#[utoipa::path(post, path = "/internal/events", operation_id = "internal.events.ingest", tag = "internal", request_body = IngestEvent,
    responses(
        (status = 202, body = Ingested),
        (status = 404, body = Problem, content_type = "application/problem+json"),
        (status = 422, body = Problem, content_type = "application/problem+json"),
    ))]
pub async fn ingest_event(
    State(state): State<AppState>,
    Extension(meta): Extension<RequestMeta>,
    ApiJson(body): ApiJson<IngestEvent>,
) -> Result<(axum::http::StatusCode, axum::Json<Ingested>), ApiError> {
    if !INGESTED_TYPES.contains(&body.event_type.as_str()) {
        return Err(ApiError::field("type", format!("must be one of: {}", INGESTED_TYPES.join(", "))));
    }
    if body.event_key.is_empty()
        || body.event_key.len() > 200
        || controlplane::base::text::name_problem(&body.event_key).is_some()
    {
        return Err(ApiError::field("event_key", "must be 1 to 200 characters without control characters"));
    }
    if !body.data.is_object() || body.data.to_string().len() > MAX_DATA_BYTES {
        return Err(ApiError::field("data", format!("must be a JSON object of at most {MAX_DATA_BYTES} bytes")));
    }
    let not_found = || ApiError::NotFound { resource: "project" };
    let store = state.store.as_ref();
    let tenant = &ProjectLookup::tenant_of(store, &body.project_id).await?;
    let project = store.batch_get(&[Project::key(tenant, &body.project_id)]).await?.pop().flatten();
    let project: Project = project.ok_or_else(not_found)?.parse()?;
    if project.is_deleted() {
        return Err(not_found());
    }
    let seen_key =
        Key::tenant(tenant, format!("INGESTED#{}", controlplane::base::digest::sha256_hex(body.event_key.as_bytes())));
    let expires = controlplane::now().timestamp() + KEY_DAYS * 86_400;
    let seen = Item::new(seen_key, 1, json!({ "type": body.event_type }))?.expiring_at(expires);
    // The file is named by its path when the data plane gives one.
    let file =
        body.data.get("path").and_then(Value::as_str).map_or(body.event_key.clone(), |p| p.chars().take(200).collect());
    let target = Target { kind: "file".into(), id: file };
    let event =
        AuditEvent::by_system(tenant.org(), "data-plane", &meta.request_id, &body.event_type, target, body.data)
            .for_project(&project.id);
    match chain::commit(store, vec![WriteOp::put_if(seen, Condition::NotExists)], vec![event]).await {
        Ok(()) => Ok((axum::http::StatusCode::ACCEPTED, axum::Json(Ingested { recorded: true }))),
        Err(StoreError::ConditionFailed { .. }) => {
            Ok((axum::http::StatusCode::ACCEPTED, axum::Json(Ingested { recorded: false })))
        }
        Err(e) => Err(e.into()),
    }
}
