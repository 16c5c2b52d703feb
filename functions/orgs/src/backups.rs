//! Backups of an organization: an `export_backup` job writes the org's
//! state to the blob store; the finished backup downloads here.

use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::Response;
use controlplane::base::error::DomainError;
use controlplane::base::ids::JobId;
use controlplane::base::rbac::Permission;
use controlplane::domain::Mutation;
use controlplane::domain::audit::AuditEvent;
use controlplane::domain::job::{Job, JobStatus, JobType, NewJob};
use controlplane::domain::worker::backup;
use controlplane::edge::auth::Caller;
use controlplane::edge::error::Problem;
use controlplane::edge::http::NoBody;
use controlplane::ports::store::{Condition, WriteOp};
use controlplane::{ApiError, AppState};
use serde_json::json;

use crate::orgs::org_id;

/// Back the organization up (admins): 202 with the `export_backup` job;
/// when it completes, its `result` names the document's size and SHA-256
/// and `GET /v1/orgs/{org_id}/backups/{job_id}` downloads it.
#[utoipa::path(post, path = "/v1/orgs/{org_id}/backups", operation_id = "orgs.backups.create", tag = "orgs", params(("org_id" = String, Path)),
    security(("bearer" = [])),
    responses(
        (status = 202, description = "The backup job", body = Job),
        (status = 403, body = Problem, content_type = "application/problem+json"),
        (status = 404, body = Problem, content_type = "application/problem+json"),
    ))]
pub async fn create_backup(
    State(state): State<AppState>,
    caller: Caller,
    Path(raw): Path<String>,
    _: NoBody,
) -> Result<(StatusCode, axum::Json<Job>), ApiError> {
    let org = org_id(&raw)?;
    let (ctx, _) = caller.org(&state, &org, Permission::AuditRead, |_| vec![]).await?;
    ctx.require_member()?;
    let now = controlplane::now();
    let new = NewJob {
        project_id: None,
        job_type: JobType::ExportBackup,
        payload: json!({}),
        requested_by: ctx.principal().id().to_owned(),
        idempotency_key: None,
        trace_id: ctx.meta().request_id.clone(),
    };
    let job = Job::new(ctx.tenant().org(), new, now).in_region(ctx.region());
    let event = AuditEvent::new(&ctx, "backup.requested", "backup", &job.id, json!({}));
    Mutation::new(&ctx, Permission::AuditRead)
        .op(WriteOp::put_if(job.item()?, Condition::NotExists), DomainError::concurrent_modification())
        .commit(state.store.as_ref(), event)
        .await?;
    state.enqueue(&job).await;
    Ok((StatusCode::ACCEPTED, axum::Json(job)))
}

/// Download a finished backup (admins): the JSON document, with its SHA-256
/// in `Repr-Digest` (RFC 9530). 409 `backup_not_ready` until the job completes.
#[utoipa::path(get, path = "/v1/orgs/{org_id}/backups/{job_id}", operation_id = "orgs.backups.download", tag = "orgs",
    params(("org_id" = String, Path), ("job_id" = String, Path, description = "The `export_backup` job")),
    security(("bearer" = [])),
    responses(
        (status = 200, description = "The backup document", content_type = "application/json",
            example = json!({
                "format": "controlplane.backup.v1",
                "org_id": "org_01jh3v5d2k8q9w6x7y8z9a0b1c",
                "job_id": "job_01jh3v5d2k8q9w6x7y8z9a0b1d",
                "exported_at": "2026-12-04T12:00:00Z",
                "items": [],
            })),
        (status = 404, body = Problem, content_type = "application/problem+json"),
        (status = 409, body = Problem, content_type = "application/problem+json"),
    ))]
pub async fn download_backup(
    State(state): State<AppState>,
    caller: Caller,
    Path((raw_org, raw_job)): Path<(String, String)>,
) -> Result<Response, ApiError> {
    let org = org_id(&raw_org)?;
    let not_found = || ApiError::NotFound { resource: "backup" };
    let job_id = JobId::parse(&raw_job).map_err(|_| not_found())?;
    let (ctx, items) = caller.org(&state, &org, Permission::AuditRead, |t| vec![Job::key(t, &job_id)]).await?;
    ctx.require_member()?;
    let job: Job = items[0].as_ref().ok_or_else(not_found)?.parse()?;
    if job.job_type != JobType::ExportBackup {
        return Err(not_found());
    }
    if job.status != JobStatus::Completed {
        return Err(ApiError::conflict(
            "backup_not_ready",
            "the backup job has not completed; see GET /v1/jobs/{job_id}",
        ));
    }
    let blobs = state
        .blobs
        .as_ref()
        .ok_or_else(|| ApiError::Unavailable { detail: "no blob store is configured for backups".into() })?;
    let key = backup::blob_key(ctx.tenant(), &job).map_err(|e| ApiError::Internal(e.to_string()))?;
    let bytes = blobs
        .get(&key)
        .await
        .map_err(|e| {
            tracing::warn!(error = %e, "backup download: blob store unavailable");
            ApiError::Unavailable { detail: "the blob store is unavailable; retry shortly".into() }
        })?
        .ok_or_else(not_found)?;
    Ok(controlplane::edge::http::attachment(bytes, "application/json", &format!("{}.json", job.id)))
}
