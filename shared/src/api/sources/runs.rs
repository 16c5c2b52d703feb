//! Running and testing a source (as jobs the worker picks up), its jobs
//! and its evidence.

use crate::base::error::DomainError;
use crate::base::ids::{EvidenceId, SourceId};
use crate::base::rbac::Permission;
use crate::base::tenant::TenantId;
use crate::domain::Mutation;
use crate::domain::audit::AuditEvent;
use crate::domain::job::{Job, JobType};
use crate::domain::source::Source;
use crate::domain::source::evidence::Evidence;
use crate::domain::source::run::source_job;
use crate::edge::auth::Caller;
use crate::edge::error::Problem;
use crate::edge::http::idempotency::IDEMPOTENCY_KEY;
use crate::edge::http::{ApiQuery, Cursor, ListResponse, NoBody, PageParams};
use crate::ports::store::{Condition, WriteOp};
use crate::{ApiError, AppState, TenantContext};
use axum::extract::{Path, State};
use axum::http::HeaderMap;
use axum::response::Response;
use serde_json::json;

use super::jobs::accepted;
use super::{read, read_listing, read_with};

/// The job that runs or tests `source` for the caller.
fn job_for(ctx: &TenantContext, source: &Source, job_type: JobType, key: Option<String>) -> Result<Job, ApiError> {
    let trace_id = &ctx.meta().request_id;
    Ok(source_job(source, job_type, ctx.principal().id(), trace_id, key, None, crate::now())?)
}

async fn start(
    state: &AppState,
    ctx: &TenantContext,
    source: &Source,
    job: Job,
    action: &str,
) -> Result<Response, ApiError> {
    let metadata = json!({ "job_id": job.id, "kind": source.kind().as_str() });
    let event = AuditEvent::new(ctx, action, "source", &source.id, metadata).for_project(&source.project_id);
    Mutation::new(ctx, Permission::SourcesRun)
        .op(WriteOp::put_if(job.item()?, Condition::NotExists), DomainError::concurrent_modification())
        .commit(state.store.as_ref(), event)
        .await?;
    state.enqueue(&job).await;
    Ok(accepted(&job))
}

/// Check a source without running it: the worker validates its
/// configuration, resolves its credential and reaches what it names. 202
/// with the `test_source` job, whose result says how it went.
#[utoipa::path(post, path = "/v1/sources/{source_id}/test", operation_id = "sources.test", tag = "sources",
    params(("source_id" = String, Path)),
    security(("bearer" = [])),
    responses((status = 202, body = Job, headers(("Location" = String))), (status = 404, body = Problem, content_type = "application/problem+json")))]
pub async fn test_source(
    State(state): State<AppState>,
    caller: Caller,
    Path(raw): Path<String>,
    _: NoBody,
) -> Result<Response, ApiError> {
    let (ctx, source) = read(&state, &caller, &raw, Permission::SourcesRun).await?;
    let job = job_for(&ctx, &source, JobType::TestSource, None)?;
    start(&state, &ctx, &source, job, "source.test_requested").await
}

/// Run a source now: 202 with the `run_source` job. Honours
/// `Idempotency-Key` (a retried request gets the same job). 409
/// `source_paused` for a disabled source, `source_is_pushed` for sources
/// that receive pushed batches instead.
#[utoipa::path(post, path = "/v1/sources/{source_id}/run", operation_id = "sources.run", tag = "sources",
    params(("source_id" = String, Path), ("Idempotency-Key" = Option<String>, Header)),
    security(("bearer" = [])),
    responses(
        (status = 202, body = Job, headers(("Location" = String))),
        (status = 404, body = Problem, content_type = "application/problem+json"),
        (status = 409, body = Problem, content_type = "application/problem+json"),
    ))]
pub async fn run_source(
    State(state): State<AppState>,
    caller: Caller,
    Path(raw): Path<String>,
    headers: HeaderMap,
    _: NoBody,
) -> Result<Response, ApiError> {
    let (ctx, source) = read(&state, &caller, &raw, Permission::SourcesRun).await?;
    if !source.enabled {
        return Err(ApiError::conflict("source_paused", "the source is paused; enable it to run it"));
    }
    if source.kind().is_pushed() {
        return Err(ApiError::conflict(
            "source_is_pushed",
            format!("{} sources receive pushed batches and are not run", source.kind().as_str()),
        ));
    }
    let key = headers.get(&IDEMPOTENCY_KEY).and_then(|v| v.to_str().ok()).map(str::to_owned);
    let job = job_for(&ctx, &source, JobType::RunSource, key)?;
    start(&state, &ctx, &source, job, "source.run_requested").await
}

/// A source's jobs (runs and tests), newest first.
#[utoipa::path(get, path = "/v1/sources/{source_id}/jobs", operation_id = "sources.jobs.list", tag = "sources",
    params(("source_id" = String, Path), PageParams),
    security(("bearer" = [])),
    responses((status = 200, body = ListResponse<Job>), (status = 404, body = Problem, content_type = "application/problem+json")))]
pub async fn list_jobs(
    State(state): State<AppState>,
    caller: Caller,
    Path(raw): Path<String>,
    ApiQuery(params): ApiQuery<PageParams>,
) -> Result<axum::Json<ListResponse<Job>>, ApiError> {
    let paging = params.paging()?;
    let scope_of =
        |tenant: &TenantId, source: &SourceId| Cursor::scope(&["source-jobs", tenant.as_str(), source.as_str()]);
    let (ctx, source, _, page) = read_listing(&state, &caller, &raw, Permission::SourcesRead, |tenant, source| {
        Ok(Job::source_query(tenant, source)
            .limit(paging.limit)
            .start(state.start(&scope_of(tenant, source), &paging)?))
    })
    .await?;
    Ok(axum::Json(state.list(&scope_of(ctx.tenant(), &source.id), page)?))
}

/// A source's evidence, newest first: what each run (or pushed batch)
/// produced, where it is kept, its size and SHA-256.
#[utoipa::path(get, path = "/v1/sources/{source_id}/evidence", operation_id = "sources.evidence.list", tag = "sources",
    params(("source_id" = String, Path), PageParams),
    security(("bearer" = [])),
    responses((status = 200, body = ListResponse<Evidence>), (status = 404, body = Problem, content_type = "application/problem+json")))]
pub async fn list_evidence(
    State(state): State<AppState>,
    caller: Caller,
    Path(raw): Path<String>,
    ApiQuery(params): ApiQuery<PageParams>,
) -> Result<axum::Json<ListResponse<Evidence>>, ApiError> {
    let paging = params.paging()?;
    let scope_of =
        |tenant: &TenantId, source: &SourceId| Cursor::scope(&["evidence", tenant.as_str(), source.as_str()]);
    let (ctx, source, _, page) = read_listing(&state, &caller, &raw, Permission::SourcesRead, |tenant, source| {
        Ok(Evidence::query(tenant, source).limit(paging.limit).start(state.start(&scope_of(tenant, source), &paging)?))
    })
    .await?;
    Ok(axum::Json(state.list(&scope_of(ctx.tenant(), &source.id), page)?))
}

/// One piece of evidence's content: the run's report as JSON (findings,
/// details), with `Repr-Digest` (its `sha256`).
#[utoipa::path(get, path = "/v1/sources/{source_id}/evidence/{evidence_id}", operation_id = "sources.evidence.get", tag = "sources",
    params(("source_id" = String, Path), ("evidence_id" = String, Path)),
    security(("bearer" = [])),
    responses(
        (status = 200, description = "The evidence (JSON)", content_type = "application/json",
            example = json!({
                "evidence_id": "evd_01jh3v5d2k8q9w6x7y8z9a0b1c",
                "source_id": "src_01jh3v5d2k8q9w6x7y8z9a0b1c",
                "kind": "scan.iac",
                "job_id": "job_01jh3v5d2k8q9w6x7y8z9a0b1c",
                "outcome": "ok",
                "summary": "3 files checked, no findings",
                "findings": [],
                "details": {},
                "created_at": "2026-12-04T12:00:00Z",
            })),
        (status = 404, body = Problem, content_type = "application/problem+json"),
    ))]
pub async fn get_evidence(
    State(state): State<AppState>,
    caller: Caller,
    Path((raw, evidence)): Path<(String, String)>,
) -> Result<Response, ApiError> {
    let not_found = || ApiError::NotFound { resource: "evidence" };
    let id = EvidenceId::parse(&evidence).map_err(|_| not_found())?;
    let source_id = SourceId::parse(&raw).map_err(|_| ApiError::NotFound { resource: "source" })?;
    let (_, source, items) =
        read_with(&state, &caller, &raw, Permission::SourcesRead, |t| vec![Evidence::key(t, &source_id, &id)]).await?;
    let evidence: Evidence = items[0].as_ref().ok_or_else(not_found)?.parse()?;
    let key = Evidence::blob_key(&source, &evidence.id)?;
    let blobs = state
        .blobs
        .as_ref()
        .ok_or_else(|| ApiError::Unavailable { detail: "no blob store is configured for evidence".into() })?;
    let bytes = blobs
        .get(&key)
        .await
        .map_err(|e| {
            tracing::warn!(error = %e, "evidence: blob store unavailable");
            ApiError::Unavailable { detail: "the blob store is unavailable; retry shortly".into() }
        })?
        .ok_or_else(not_found)?;
    Ok(crate::edge::http::attachment(bytes, "application/json", &format!("{}.json", evidence.id)))
}
