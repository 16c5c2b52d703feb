//! Reading the organization's projects.

use axum::extract::{Path, State};
use serde::Deserialize;
use serde_json::json;
use utoipa::IntoParams;

use crate::base::ids::ProjectId;
use crate::base::rbac::Permission;
use crate::base::tenant::TenantId;
use crate::domain::project::{Project, ProjectStatus};
use crate::edge::auth::Caller;
use crate::edge::error::Problem;
use crate::edge::http::{ApiQuery, Cursor, ListResponse, Paging, Tagged};
use crate::ports::store::{Item, query_filtered_from};
use crate::{ApiError, AppState};

#[derive(Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct ListProjects {
    /// Only projects in this status (`deleted` needs admin and implies `include_deleted`).
    pub status: Option<ProjectStatus>,
    /// Only projects whose name contains this text (case-insensitive).
    pub name: Option<String>,
    /// Include soft-deleted projects (admins and owners).
    pub include_deleted: Option<bool>,
    /// Page size, 1–200 (default 50).
    #[param(minimum = 1, maximum = 200)]
    pub limit: Option<usize>,
    /// `next_cursor` of the previous page.
    pub cursor: Option<String>,
}

#[derive(Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct GetProject {
    /// Return the project even when soft-deleted (admins and owners).
    pub include_deleted: Option<bool>,
}

pub fn project_id(raw: &str) -> Result<ProjectId, ApiError> {
    ProjectId::parse(raw).map_err(|_| not_found())
}

pub fn not_found() -> ApiError {
    ApiError::NotFound { resource: "project" }
}

/// The project an item holds, unless it is absent or (unless asked) deleted.
pub fn visible(item: Option<&Item>, include_deleted: bool) -> Result<Project, ApiError> {
    let project: Project = item.ok_or_else(not_found)?.parse()?;
    if project.is_deleted() && !include_deleted {
        return Err(not_found());
    }
    Ok(project)
}

/// List the organization's projects, oldest first.
#[utoipa::path(get, path = "/v1/projects", operation_id = "projects.list", tag = "projects", params(ListProjects),
    security(("bearer" = [])),
    responses(
        (status = 200, body = ListResponse<Project>),
        (status = 401, body = Problem, content_type = "application/problem+json"),
        (status = 403, body = Problem, content_type = "application/problem+json"),
    ))]
pub async fn list_projects(
    State(state): State<AppState>,
    caller: Caller,
    ApiQuery(params): ApiQuery<ListProjects>,
) -> Result<axum::Json<ListResponse<Project>>, ApiError> {
    let paging = Paging::new(params.limit, params.cursor)?;
    let include_deleted = params.include_deleted.unwrap_or(false) || params.status == Some(ProjectStatus::Deleted);
    let permission = if include_deleted { Permission::ProjectsReadDeleted } else { Permission::ProjectsRead };
    let name = params.name.map(|n| n.trim().to_lowercase()).filter(|n| !n.is_empty());
    let status = params.status.map(|s| json!(s).to_string());
    let scope_in = |tenant: &TenantId| {
        Cursor::scope(&[
            "projects",
            tenant.as_str(),
            status.as_deref().unwrap_or(""),
            name.as_deref().unwrap_or(""),
            if include_deleted { "all" } else { "live" },
        ])
    };
    let (ctx, query, first) = caller
        .tenant_listing(&state, permission, |tenant| {
            Ok(Project::query(tenant).limit(paging.limit).start(state.start(&scope_in(tenant), &paging)?))
        })
        .await?;
    let scope = scope_in(ctx.tenant());
    let only = ctx.project_scope();
    let keep = |item: &Item| {
        item.parse::<Project>().is_ok_and(|p| {
            only.is_none_or(|only| *only == p.id)
                && (include_deleted || !p.is_deleted())
                && params.status.is_none_or(|s| p.status == s)
                && name.as_ref().is_none_or(|n| p.name.folded().contains(n.as_str()))
        })
    };
    let page = query_filtered_from(state.store.as_ref(), &query, Some(first), keep).await?;
    Ok(axum::Json(state.list(&scope, page)?))
}

/// Get a project.
#[utoipa::path(get, path = "/v1/projects/{project_id}", operation_id = "projects.get", tag = "projects",
    params(("project_id" = String, Path, description = "Project id (`prj_…`)"), GetProject),
    security(("bearer" = [])),
    responses(
        (status = 200, body = Project, headers(("ETag" = String))),
        (status = 404, body = Problem, content_type = "application/problem+json"),
    ))]
pub async fn get_project(
    State(state): State<AppState>,
    caller: Caller,
    Path(raw): Path<String>,
    ApiQuery(params): ApiQuery<GetProject>,
) -> Result<Tagged<Project>, ApiError> {
    let id = project_id(&raw)?;
    let include_deleted = params.include_deleted.unwrap_or(false);
    let permission = if include_deleted { Permission::ProjectsReadDeleted } else { Permission::ProjectsRead };
    let (ctx, items) = caller.tenant(&state, permission, |t| vec![Project::key(t, &id)]).await?;
    ctx.require_project(&id)?;
    let project = visible(items[0].as_ref(), include_deleted)?;
    Ok(Tagged { version: project.version, body: project })
}
