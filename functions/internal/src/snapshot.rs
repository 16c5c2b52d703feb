use std::sync::Arc;

use axum::extract::State;
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Response};
use controlplane::base::ids::ProjectId;
use controlplane::domain::snapshot::{self, Snapshot};
use controlplane::edge::error::Problem;
use controlplane::edge::http::ApiQuery;
use controlplane::edge::http::etag::etag_value;
use controlplane::{ApiError, AppState};
use serde::Deserialize;
use utoipa::IntoParams;

#[derive(Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct SnapshotQuery {
    #[param(example = "prj_01jh3v5d2k8q9w6x7y8z9a0b1c")]
    pub project_id: String,
}

/// Whether `If-None-Match` names this version (or `*`).
fn not_modified(headers: &HeaderMap, version: u64) -> bool {
    let tag = format!("\"{version}\"");
    headers.get_all(header::IF_NONE_MATCH).iter().filter_map(|v| v.to_str().ok()).any(|value| {
        value.split(',').map(str::trim).any(|candidate| candidate == "*" || candidate.trim_start_matches("W/") == tag)
    })
}

fn respond(headers: &HeaderMap, snapshot: &Snapshot) -> Response {
    let mut response = if not_modified(headers, snapshot.version) {
        StatusCode::NOT_MODIFIED.into_response()
    } else {
        axum::Json(snapshot).into_response()
    };
    response.headers_mut().insert(header::ETAG, etag_value(snapshot.version));
    response
}

/// What the data plane needs to serve a project: status, environment,
/// runtime template, enabled services, quotas and rate limits. `ETag` is
/// the snapshot's `version`; `If-None-Match` with it is 304. At most 30 s
/// old; 503 with `Retry-After` when the store cannot be read and nothing
/// that fresh is cached.
#[utoipa::path(get, path = "/internal/snapshot", operation_id = "internal.snapshot.get", tag = "internal", params(SnapshotQuery),
    responses(
        (status = 200, body = Snapshot, headers(("ETag" = String))),
        (status = 304, description = "Unchanged since the `If-None-Match` version"),
        (status = 404, body = Problem, content_type = "application/problem+json"),
        (status = 503, body = Problem, content_type = "application/problem+json", headers(("Retry-After" = u64))),
    ))]
pub async fn get_snapshot(
    State(state): State<AppState>,
    headers: HeaderMap,
    ApiQuery(query): ApiQuery<SnapshotQuery>,
) -> Result<Response, ApiError> {
    let project = ProjectId::parse(&query.project_id).map_err(|_| ApiError::NotFound { resource: "project" })?;
    if let Some(cached) = state.snapshots.fresh(&project) {
        return Ok(respond(&headers, &cached));
    }
    match snapshot::load(state.store.as_ref(), state.limiter.limits(), &project).await {
        Ok(Some(found)) => {
            let found = Arc::new(found);
            state.snapshots.put(Arc::clone(&found));
            Ok(respond(&headers, &found))
        }
        Ok(None) => Err(ApiError::NotFound { resource: "project" }),
        Err(error) => {
            tracing::warn!(%error, project = %project, "snapshot unavailable; failing closed");
            Err(ApiError::Unavailable { detail: "the project's state cannot be read now; retry shortly".into() })
        }
    }
}
