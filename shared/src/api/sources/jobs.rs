//! Jobs the sources routes start, and the 202 that answers them.

use crate::TenantContext;
use crate::base::ids::ProjectId;
use crate::domain::job::{Job, JobType, NewJob};
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use serde_json::Value;

pub fn new_job(ctx: &TenantContext, project: Option<&ProjectId>, job_type: JobType, payload: Value) -> Job {
    let new = NewJob {
        project_id: project.cloned(),
        job_type,
        payload,
        requested_by: ctx.principal().id().to_owned(),
        idempotency_key: None,
        trace_id: ctx.meta().request_id.clone(),
    };
    Job::new(ctx.tenant().org(), new, crate::now())
}

/// 202 Accepted with the job and `Location: /v1/jobs/{id}`.
pub fn accepted(job: &Job) -> Response {
    let mut response = (StatusCode::ACCEPTED, axum::Json(job)).into_response();
    if let Ok(value) = HeaderValue::from_str(&format!("/v1/jobs/{}", job.id)) {
        response.headers_mut().insert(header::LOCATION, value);
    }
    response
}
