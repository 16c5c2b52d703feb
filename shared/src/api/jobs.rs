//! The organization's background jobs: list, read, retry a failed one,
//! cancel a pending one.

use crate::base::error::DomainError;
use crate::base::ids::{JobId, ProjectId};
use crate::base::rbac::Permission;
use crate::base::tenant::TenantId;
use crate::domain::Mutation;
use crate::domain::audit::AuditEvent;
use crate::domain::delivery::WebhookDelivery;
use crate::domain::job::{Job, JobStatus, JobType};
use crate::domain::project::Project;
use crate::domain::worker::provisioning::ProjectFollowsJob;
use crate::edge::auth::Caller;
use crate::edge::error::Problem;
use crate::edge::http::{ApiQuery, Cursor, IfMatch, ListResponse, NoBody, Paging, Tagged};
use crate::ports::store::{Condition, Item, WriteOp, query_filtered_from};
use crate::{ApiError, AppState, TenantContext};
use axum::extract::{Path, State};
use chrono::{DateTime, Utc};
use serde::Deserialize;
use serde_json::json;
use utoipa::IntoParams;

#[derive(Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct ListJobs {
    /// Only jobs of this type.
    #[serde(rename = "type")]
    #[param(rename = "type", inline)]
    pub job_type: Option<JobType>,
    /// Only jobs in this status.
    #[param(inline)]
    pub status: Option<JobStatus>,
    /// Only this project's jobs.
    pub project_id: Option<ProjectId>,
    /// Only jobs created at or after this time (RFC 3339).
    pub from: Option<DateTime<Utc>>,
    /// Only jobs created at or before this time (RFC 3339).
    pub to: Option<DateTime<Utc>>,
    /// Page size, 1–200 (default 50).
    #[param(minimum = 1, maximum = 200)]
    pub limit: Option<usize>,
    /// `next_cursor` of the previous page.
    pub cursor: Option<String>,
}

fn not_found() -> ApiError {
    ApiError::NotFound { resource: "job" }
}

/// The job, if the caller may see it: an API key only sees its project's.
fn visible(ctx: &TenantContext, item: Option<&Item>) -> Result<Job, ApiError> {
    let job: Job = item.ok_or_else(not_found)?.parse()?;
    match (ctx.project_scope(), &job.project_id) {
        (None, _) => Ok(job),
        (Some(own), Some(project)) if own == project => Ok(job),
        _ => Err(not_found()),
    }
}

/// List the organization's jobs, newest first.
#[utoipa::path(get, path = "/v1/jobs", operation_id = "jobs.list", tag = "jobs", params(ListJobs),
    security(("bearer" = [])),
    responses(
        (status = 200, body = ListResponse<Job>),
        (status = 401, body = Problem, content_type = "application/problem+json"),
        (status = 403, body = Problem, content_type = "application/problem+json"),
        (status = 422, body = Problem, content_type = "application/problem+json"),
    ))]
pub async fn list_jobs(
    State(state): State<AppState>,
    caller: Caller,
    ApiQuery(params): ApiQuery<ListJobs>,
) -> Result<axum::Json<ListResponse<Job>>, ApiError> {
    let paging = Paging::new(params.limit, params.cursor)?;
    if let (Some(from), Some(to)) = (params.from, params.to)
        && from > to
    {
        return Err(ApiError::field("query.from", "must not be after `to`"));
    }
    let job_type = params.job_type.map(JobType::as_str);
    let status = params.status.map(|s| json!(s).to_string());
    let (from, to) = (params.from.map(|t| t.to_rfc3339()), params.to.map(|t| t.to_rfc3339()));
    // The cursor is bound to the parameters; a key's own project scope is
    // enforced by the filter below.
    let scope_in = |tenant: &TenantId| {
        Cursor::scope(&[
            "jobs",
            tenant.as_str(),
            job_type.unwrap_or(""),
            status.as_deref().unwrap_or(""),
            params.project_id.as_ref().map_or("", ProjectId::as_str),
            from.as_deref().unwrap_or(""),
            to.as_deref().unwrap_or(""),
        ])
    };
    let (ctx, query, first) = caller
        .tenant_listing(&state, Permission::JobsRead, |tenant| {
            let start = state.start(&scope_in(tenant), &paging)?;
            Ok(Job::list_query(tenant, params.from, params.to).limit(paging.limit).start(start))
        })
        .await?;
    if let Some(project) = &params.project_id {
        ctx.require_project(project)?;
    }
    let project = params.project_id.as_ref().or(ctx.project_scope());
    let scope = scope_in(ctx.tenant());
    let keep = |item: &Item| {
        item.parse::<Job>().is_ok_and(|job| {
            params.job_type.is_none_or(|t| job.job_type == t)
                && params.status.is_none_or(|s| job.status == s)
                && project.is_none_or(|p| job.project_id.as_ref() == Some(p))
        })
    };
    let page = query_filtered_from(state.store.as_ref(), &query, Some(first), keep).await?;
    Ok(axum::Json(state.list(&scope, page)?))
}

fn job_id(raw: &str) -> Result<JobId, ApiError> {
    JobId::parse(raw).map_err(|_| not_found())
}

/// Get a job: its status, attempts, result or error.
#[utoipa::path(get, path = "/v1/jobs/{job_id}", operation_id = "jobs.get", tag = "jobs",
    params(("job_id" = String, Path, description = "Job id (`job_…`)")),
    security(("bearer" = [])),
    responses(
        (status = 200, body = Job, headers(("ETag" = String))),
        (status = 404, body = Problem, content_type = "application/problem+json"),
    ))]
pub async fn get_job(
    State(state): State<AppState>,
    caller: Caller,
    Path(raw): Path<String>,
) -> Result<Tagged<Job>, ApiError> {
    let id = job_id(&raw)?;
    let (ctx, items) = caller.tenant(&state, Permission::JobsRead, |t| vec![Job::key(t, &id)]).await?;
    let job = visible(&ctx, items[0].as_ref())?;
    Ok(Tagged { version: job.version, body: job })
}

/// Moves a job to `next` in one transaction with its audit event, and the
/// project its provisioning concerns when that changes too.
async fn change(
    state: &AppState,
    caller: &Caller,
    raw: &str,
    if_match: &IfMatch,
    to: JobStatus,
) -> Result<Job, ApiError> {
    let id = job_id(raw)?;
    let (ctx, items) = caller.tenant(state, Permission::JobsManage, |t| vec![Job::key(t, &id)]).await?;
    let job = visible(&ctx, items[0].as_ref())?;
    if_match.check(job.version)?;
    let now = crate::now();
    let (next, action) = match (job.status, to) {
        (JobStatus::Failed, JobStatus::Pending) => (job.retried(&ctx.meta().request_id, now), "job.retried"),
        (JobStatus::Pending, JobStatus::Cancelled) => (job.cancelled(now), "job.cancelled"),
        (_, JobStatus::Pending) => {
            return Err(ApiError::conflict(
                "job_not_failed",
                format!("only failed jobs are retried; this one is {}", status_name(job.status)),
            ));
        }
        _ => {
            return Err(ApiError::conflict(
                "job_not_pending",
                format!("only pending jobs are cancelled; this one is {}", status_name(job.status)),
            ));
        }
    };
    let event = || {
        let event = AuditEvent::new(&ctx, action, "job", &next.id, json!({ "type": next.job_type }));
        match &next.project_id {
            Some(project) => event.for_project(project),
            None => event,
        }
    };
    let job_moves = || -> Result<Mutation, ApiError> {
        let moved = DomainError::conflict("job_changed", "the job changed while the request ran; read it and retry");
        Ok(Mutation::new(&ctx, Permission::JobsManage)
            .op(WriteOp::put_if(next.item()?, Condition::VersionEquals(job.version)), moved))
    };
    // A cancelled delivery job fails its delivery in the same commit
    // (nothing will attempt it again, and a pending delivery cannot be
    // redelivered), written without reading it: unless it is another job's
    // by then (redelivered), when the job moves alone.
    let delivery = WebhookDelivery::key_of_job(ctx.tenant(), &job.payload)
        .filter(|_| to == JobStatus::Cancelled && job.job_type == JobType::DeliverWebhook);
    if let Some(key) = delivery {
        let given_up = WebhookDelivery::given_up_by(key, &job.id, now);
        if !job_moves()?.tentative(given_up).try_commit(state.store.as_ref(), event()).await? {
            job_moves()?.commit(state.store.as_ref(), event()).await?;
        }
        return Ok(enqueued(state, next).await);
    }
    // Only a provisioning job moves its project, and only from the status
    // its job's status put it in: written without reading it first, which
    // holds unless the project moved on its own (deleted, provisioned again
    // by hand). Then it is read, and left alone unless it is back in that
    // status.
    let follows = next.project_id.as_ref().zip(ProjectFollowsJob::after(&next, to));
    let Some((project_id, change)) = follows else {
        job_moves()?.commit(state.store.as_ref(), event()).await?;
        return Ok(enqueued(state, next).await);
    };
    let key = Project::key(ctx.tenant(), project_id);
    let tentative = job_moves()?.tentative(change.patch(key.clone(), now));
    if !tentative.try_commit(state.store.as_ref(), event()).await? {
        let mut mutation = job_moves()?;
        let item = state.store.batch_get(&[key]).await?.pop().flatten();
        if let Some(project) = item.map(|i| i.parse::<Project>()).transpose()?
            && let Some(after) = change.apply(&project, now)
        {
            mutation = mutation.op(
                WriteOp::put_if(after.item()?, Condition::VersionEquals(project.version)),
                DomainError::concurrent_modification(),
            );
        }
        mutation.commit(state.store.as_ref(), event()).await?;
    }
    Ok(enqueued(state, next).await)
}

/// Queues a job put back to pending; the reconciler queues it if this fails.
async fn enqueued(state: &AppState, job: Job) -> Job {
    if job.status == JobStatus::Pending {
        state.enqueue(&job).await;
    }
    job
}

fn status_name(status: JobStatus) -> String {
    json!(status).as_str().unwrap_or_default().to_owned()
}

/// Run a failed job again, from a fresh count of attempts.
#[utoipa::path(post, path = "/v1/jobs/{job_id}/retry", operation_id = "jobs.retry", tag = "jobs",
    params(("job_id" = String, Path), ("If-Match" = Option<String>, Header, description = "ETag the retry applies to")),
    security(("bearer" = [])),
    responses(
        (status = 200, description = "The job, pending again", body = Job, headers(("ETag" = String))),
        (status = 403, body = Problem, content_type = "application/problem+json"),
        (status = 404, body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "The job is not failed", body = Problem, content_type = "application/problem+json"),
        (status = 412, body = Problem, content_type = "application/problem+json"),
    ))]
pub async fn retry_job(
    State(state): State<AppState>,
    caller: Caller,
    Path(raw): Path<String>,
    if_match: IfMatch,
    _: NoBody,
) -> Result<Tagged<Job>, ApiError> {
    let job = change(&state, &caller, &raw, &if_match, JobStatus::Pending).await?;
    Ok(Tagged { version: job.version, body: job })
}

/// Cancel a pending job. A running or finished job cannot be cancelled
/// (409). Cancelling a project's provisioning leaves the project `failed`;
/// cancelling a webhook delivery's leaves the delivery `failed`.
#[utoipa::path(delete, path = "/v1/jobs/{job_id}", operation_id = "jobs.cancel", tag = "jobs",
    params(("job_id" = String, Path), ("If-Match" = Option<String>, Header, description = "ETag the cancel applies to")),
    security(("bearer" = [])),
    responses(
        (status = 200, description = "The cancelled job", body = Job, headers(("ETag" = String))),
        (status = 403, body = Problem, content_type = "application/problem+json"),
        (status = 404, body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "The job is not pending", body = Problem, content_type = "application/problem+json"),
        (status = 412, body = Problem, content_type = "application/problem+json"),
    ))]
pub async fn cancel_job(
    State(state): State<AppState>,
    caller: Caller,
    Path(raw): Path<String>,
    if_match: IfMatch,
    _: NoBody,
) -> Result<Tagged<Job>, ApiError> {
    let job = change(&state, &caller, &raw, &if_match, JobStatus::Cancelled).await?;
    Ok(Tagged { version: job.version, body: job })
}
