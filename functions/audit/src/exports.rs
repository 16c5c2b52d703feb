//! Audit exports: an `export_audit` job writes the selected events as CSV
//! to the blob store; the export's status and download are read here.

use std::time::Duration;

use axum::extract::{Path, State};
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use chrono::{DateTime, Utc};
use controlplane::base::error::DomainError;
use controlplane::base::ids::JobId;
use controlplane::base::rbac::Permission;
use controlplane::base::tenant::TenantContext;
use controlplane::domain::Mutation;
use controlplane::domain::audit::AuditEvent;
use controlplane::domain::audit::csv::CONTENT_TYPE;
use controlplane::domain::audit::filter::{Filter, RawFilter};
use controlplane::domain::job::{Job, JobStatus, JobType, NewJob};
use controlplane::domain::worker::audit_export;
use controlplane::edge::auth::Caller;
use controlplane::edge::error::Problem;
use controlplane::edge::http::ApiJson;
use controlplane::ports::store::{Condition, WriteOp};
use controlplane::{ApiError, AppState};
use serde::{Deserialize, Serialize};
use serde_json::{Value, json};
use utoipa::ToSchema;

/// How long a presigned download URL stays valid.
const DOWNLOAD_TTL: Duration = Duration::from_secs(15 * 60);

/// The events to export: the filters of `GET /v1/audit`, all optional.
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CreateExport {
    #[schema(min_length = 1, max_length = 200, pattern = r"^[^\x00-\x1f\x7f-\x9f]+$")]
    pub actor_id: Option<String>,
    /// An action (`project.created`) or a prefix (`project.` or `project.*`).
    #[schema(value_type = Option<controlplane::domain::audit::filter::Action>)]
    pub action: Option<String>,
    #[schema(min_length = 1, max_length = 200, pattern = r"^[^\x00-\x1f\x7f-\x9f]+$")]
    pub target_type: Option<String>,
    #[schema(min_length = 1, max_length = 200, pattern = r"^[^\x00-\x1f\x7f-\x9f]+$")]
    pub target_id: Option<String>,
    /// RFC 3339; events at or after.
    #[schema(format = DateTime)]
    pub from: Option<String>,
    /// RFC 3339; events at or before.
    #[schema(format = DateTime)]
    pub to: Option<String>,
}

/// An audit export: its job's state and, once completed, the file.
#[derive(Serialize, ToSchema)]
pub struct AuditExport {
    /// The `export_audit` job's id.
    pub id: JobId,
    pub status: JobStatus,
    /// The filters the export applies.
    #[schema(value_type = Object)]
    pub filter: Value,
    /// Events in the file.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub rows: Option<u64>,
    /// Size in bytes and SHA-256 (hex) of the CSV file.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub size: Option<u64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub sha256: Option<String>,
    /// The chain's head when the export ran: an unfiltered export holds
    /// every event up to it, the last with this hash.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub head_seq: Option<u64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub head_hash: Option<String>,
    /// Where the CSV downloads: a presigned S3 URL valid for 15 minutes on
    /// AWS, else `/v1/audit/exports/{id}/download` (with your credentials).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub download_url: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub error: Option<String>,
    pub created_at: DateTime<Utc>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub finished_at: Option<DateTime<Utc>>,
}

impl AuditExport {
    fn of(job: &Job) -> Self {
        let result = job.result.as_ref();
        let number = |name: &str| result.and_then(|r| r.get(name)).and_then(Value::as_u64);
        let text = |name: &str| result.and_then(|r| r.get(name)).and_then(Value::as_str).map(str::to_owned);
        Self {
            id: job.id.clone(),
            status: job.status,
            filter: job.payload.get("filter").cloned().unwrap_or(json!({})),
            rows: number("rows"),
            size: number("size"),
            sha256: text("sha256"),
            head_seq: number("head_seq"),
            head_hash: text("head_hash"),
            download_url: None,
            error: job.error.clone(),
            created_at: job.created_at,
            finished_at: job.finished_at,
        }
    }
}

/// Export audit events as CSV (admins and owners; an API key with
/// `audit:read` exports its project's): 202 with the export, whose status
/// `GET /v1/audit/exports/{id}` follows. Rows are oldest first and carry the
/// chain columns, so the file verifies offline (see docs/api.md).
#[utoipa::path(post, path = "/v1/audit/exports", operation_id = "audit.exports.create", tag = "audit", request_body = CreateExport,
    security(("bearer" = [])),
    responses(
        (status = 202, body = AuditExport, headers(("Location" = String))),
        (status = 403, body = Problem, content_type = "application/problem+json"),
        (status = 422, body = Problem, content_type = "application/problem+json"),
    ))]
pub async fn create_export(
    State(state): State<AppState>,
    caller: Caller,
    ApiJson(body): ApiJson<CreateExport>,
) -> Result<Response, ApiError> {
    let filter = Filter::parse(RawFilter {
        actor_id: body.actor_id.as_deref(),
        action: body.action.as_deref(),
        target_type: body.target_type.as_deref(),
        target_id: body.target_id.as_deref(),
        from: body.from.as_deref(),
        to: body.to.as_deref(),
    })
    .map_err(|e| e.in_body())?;
    let (ctx, _) = caller.tenant(&state, Permission::AuditRead, |_| vec![]).await?;
    let filter = filter.within_project(ctx.project_scope());
    let new = NewJob {
        project_id: ctx.project_scope().cloned(),
        job_type: JobType::ExportAudit,
        payload: json!({ "filter": filter }),
        requested_by: ctx.principal().id().to_owned(),
        idempotency_key: None,
        trace_id: ctx.meta().request_id.clone(),
    };
    let job = Job::new(ctx.tenant().org(), new, controlplane::now()).in_region(ctx.region());
    let event = AuditEvent::new(&ctx, "audit.export_requested", "audit_export", &job.id, json!({ "filter": filter }));
    Mutation::new(&ctx, Permission::AuditRead)
        .op(WriteOp::put_if(job.item()?, Condition::NotExists), DomainError::concurrent_modification())
        .commit(state.store.as_ref(), event)
        .await?;
    state.enqueue(&job).await;
    let location = format!("/v1/audit/exports/{}", job.id);
    let mut response = (StatusCode::ACCEPTED, axum::Json(AuditExport::of(&job))).into_response();
    if let Ok(value) = HeaderValue::from_str(&location) {
        response.headers_mut().insert(header::LOCATION, value);
    }
    Ok(response)
}

/// The export job `raw` names, if the caller may see it.
async fn export_job(state: &AppState, caller: Caller, raw: &str) -> Result<(TenantContext, Job), ApiError> {
    let not_found = || ApiError::NotFound { resource: "audit export" };
    let id = JobId::parse(raw).map_err(|_| not_found())?;
    let (ctx, items) = caller.tenant(state, Permission::AuditRead, |t| vec![Job::key(t, &id)]).await?;
    let job: Job = items[0].as_ref().ok_or_else(not_found)?.parse()?;
    let outside_scope = ctx.project_scope().is_some_and(|p| job.project_id.as_ref() != Some(p));
    if job.job_type != JobType::ExportAudit || outside_scope {
        return Err(not_found());
    }
    Ok((ctx, job))
}

fn blob_store(state: &AppState) -> Result<&controlplane::ports::blobs::DynBlobs, ApiError> {
    state
        .blobs
        .as_ref()
        .ok_or_else(|| ApiError::Unavailable { detail: "no blob store is configured for exports".into() })
}

fn blobs_down(e: controlplane::ports::blobs::BlobError) -> ApiError {
    tracing::warn!(error = %e, "audit export: blob store unavailable");
    ApiError::Unavailable { detail: "the blob store is unavailable; retry shortly".into() }
}

/// An audit export's status and, once completed, where it downloads.
#[utoipa::path(get, path = "/v1/audit/exports/{export_id}", operation_id = "audit.exports.get", tag = "audit",
    params(("export_id" = String, Path, description = "The export (its job's id)")),
    security(("bearer" = [])),
    responses(
        (status = 200, body = AuditExport),
        (status = 404, body = Problem, content_type = "application/problem+json"),
    ))]
pub async fn get_export(
    State(state): State<AppState>,
    caller: Caller,
    Path(raw): Path<String>,
) -> Result<axum::Json<AuditExport>, ApiError> {
    let (ctx, job) = export_job(&state, caller, &raw).await?;
    let mut export = AuditExport::of(&job);
    if job.status == JobStatus::Completed {
        let key = audit_export::blob_key(ctx.tenant(), &job).map_err(|e| ApiError::Internal(e.to_string()))?;
        let presigned = blob_store(&state)?.presigned_get(&key, DOWNLOAD_TTL).await.map_err(blobs_down)?;
        export.download_url = Some(presigned.unwrap_or_else(|| format!("/v1/audit/exports/{}/download", job.id)));
    }
    Ok(axum::Json(export))
}

/// Download a completed export through the API: the CSV, with its SHA-256
/// in `Repr-Digest` (RFC 9530). 409 `export_not_ready` until the job completes.
#[utoipa::path(get, path = "/v1/audit/exports/{export_id}/download", operation_id = "audit.exports.download", tag = "audit",
    params(("export_id" = String, Path, description = "The export (its job's id)")),
    security(("bearer" = [])),
    responses(
        (status = 200, description = "The CSV file", content_type = "text/csv",
            example = json!(format!("{}\r\n", controlplane::domain::audit::COLUMNS.join(",")))),
        (status = 404, body = Problem, content_type = "application/problem+json"),
        (status = 409, body = Problem, content_type = "application/problem+json"),
    ))]
pub async fn download_export(
    State(state): State<AppState>,
    caller: Caller,
    Path(raw): Path<String>,
) -> Result<Response, ApiError> {
    let (ctx, job) = export_job(&state, caller, &raw).await?;
    if job.status != JobStatus::Completed {
        return Err(ApiError::conflict(
            "export_not_ready",
            "the export has not completed; see GET /v1/audit/exports/{export_id}",
        ));
    }
    let key = audit_export::blob_key(ctx.tenant(), &job).map_err(|e| ApiError::Internal(e.to_string()))?;
    let bytes = blob_store(&state)?
        .get(&key)
        .await
        .map_err(blobs_down)?
        .ok_or(ApiError::NotFound { resource: "audit export" })?;
    Ok(controlplane::edge::http::attachment(bytes, CONTENT_TYPE, &format!("audit-{}.csv", job.id)))
}
