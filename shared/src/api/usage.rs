//! A project's usage, and how the usage routes find the project they are about.

use axum::extract::{Path, State};
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use crate::base::ids::ProjectId;
use crate::base::rbac::Permission;
use crate::domain::project::Project;
use crate::domain::usage::{self, Period, Service, UsagePoint};
use crate::edge::auth::Caller;
use crate::edge::error::Problem;
use crate::edge::http::ApiQuery;
use crate::ports::store::{Item, Key};
use crate::{ApiError, AppState, TenantContext};

pub fn project_id(raw: &str) -> Result<ProjectId, ApiError> {
    ProjectId::parse(raw).map_err(|_| ApiError::NotFound { resource: "project" })
}

/// Enters the tenant with `permission`, checks the live project is the
/// caller's to see, and returns the items `extra` names after it.
pub async fn for_project(
    state: &AppState,
    caller: &Caller,
    permission: Permission,
    project: &ProjectId,
    extra: impl FnOnce(&crate::TenantId) -> Vec<Key>,
) -> Result<(TenantContext, Project, Vec<Option<Item>>), ApiError> {
    let (ctx, items) = caller
        .tenant(state, permission, |t| {
            let mut keys = vec![Project::key(t, project)];
            keys.extend(extra(t));
            keys
        })
        .await?;
    checked_project(ctx, project, items)
}

/// The project the request's batch read first (404 when deleted or not the
/// caller's to see), with the context and the rest of the batch.
pub fn checked_project(
    ctx: TenantContext,
    project: &ProjectId,
    mut items: Vec<Option<Item>>,
) -> Result<(TenantContext, Project, Vec<Option<Item>>), ApiError> {
    ctx.require_project(project)?;
    let found: Project = items[0].take().ok_or(ApiError::NotFound { resource: "project" })?.parse()?;
    if found.is_deleted() {
        return Err(ApiError::NotFound { resource: "project" });
    }
    items.remove(0);
    Ok((ctx, found, items))
}

#[derive(Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct ReadUsage {
    /// Only this service.
    #[param(inline)]
    pub service: Option<Service>,
    /// `hour`, `day` (default) or `month`.
    #[param(inline)]
    pub period: Option<Period>,
    /// Start of the range (RFC 3339); default: 48 hours, 30 days or 12 months back.
    pub from: Option<DateTime<Utc>>,
    /// End of the range (RFC 3339); default: now. At most 7 days of hours, 366 days, or 36 months.
    pub to: Option<DateTime<Utc>>,
}

#[derive(Serialize, ToSchema)]
pub struct UsageReport {
    pub project_id: ProjectId,
    pub period: Period,
    pub from: DateTime<Utc>,
    pub to: DateTime<Utc>,
    /// Oldest first; buckets without usage are left out.
    pub data: Vec<UsagePoint>,
}

/// A project's usage by service and period.
#[utoipa::path(get, path = "/v1/usage/{project_id}", operation_id = "usage.get", tag = "usage", params(("project_id" = String, Path), ReadUsage),
    security(("bearer" = [])),
    responses(
        (status = 200, body = UsageReport),
        (status = 404, body = Problem, content_type = "application/problem+json"),
        (status = 422, body = Problem, content_type = "application/problem+json"),
    ))]
pub async fn read_usage(
    State(state): State<AppState>,
    caller: Caller,
    Path(raw): Path<String>,
    ApiQuery(params): ApiQuery<ReadUsage>,
) -> Result<axum::Json<UsageReport>, ApiError> {
    let project = project_id(&raw)?;
    let period = params.period.unwrap_or(Period::Day);
    let to = params.to.unwrap_or_else(crate::now);
    let from = params.from.unwrap_or(to - period.default_range());
    if from > to {
        return Err(ApiError::field("query.from", "must not be after `to`"));
    }
    if to - from > period.max_range() {
        let days = period.max_range().num_days();
        return Err(ApiError::field("query.from", format!("a {} range spans at most {days} days", period.as_str())));
    }
    // The report's first page is read with the project and the credential check.
    let (ctx, items, query, first) = caller
        .tenant_listing_with(
            &state,
            Permission::UsageRead,
            |t| vec![Project::key(t, &project)],
            |t| Ok(usage::report_query(t, &project, period, from, to)),
        )
        .await?;
    checked_project(ctx, &project, items)?;
    let mut data = usage::read_from(state.store.as_ref(), query, first).await?;
    if let Some(service) = params.service {
        data.retain(|p| p.service == service);
    }
    Ok(axum::Json(UsageReport { project_id: project, period, from, to, data }))
}
