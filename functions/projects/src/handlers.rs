use axum::extract::{Path, State};
use axum::http::StatusCode;
use controlplane::api::projects::{project_id, visible};
use controlplane::base::error::DomainError;
use controlplane::base::ids::ProjectId;
use controlplane::base::rbac::Permission;
use controlplane::base::residency::Region;
use controlplane::domain::Mutation;
use controlplane::domain::audit::{AuditEvent, diff};
use controlplane::domain::job::{Job, JobType};
use controlplane::domain::org::Org;
use controlplane::domain::project::{
    Description, Environment, Project, ProjectName, ProjectStatus, RUNTIME_TEMPLATE_VERSION,
};
use controlplane::domain::worker::provisioning::project_job;
use controlplane::edge::auth::Caller;
use controlplane::edge::error::Problem;
use controlplane::edge::http::{ApiJson, Created, IfMatch, NoBody, Tagged};
use controlplane::ports::store::{Condition, WriteOp};
use controlplane::{ApiError, AppState, TenantContext};
use serde::Deserialize;
use serde_json::json;
use utoipa::ToSchema;

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CreateProject {
    pub name: ProjectName,
    pub description: Option<Description>,
    /// `development` (default), `staging` or `production`.
    pub environment: Option<Environment>,
    /// Where the project's data is kept: one of the regions the deployment
    /// serves; its org's when absent. Fixed once created.
    pub region: Option<Region>,
}

/// Fields to change; absent fields keep their value. An empty `description`
/// clears it. `status` moves a provisioned project between `active` and
/// `archived` (delete with `DELETE`).
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct UpdateProject {
    pub name: Option<ProjectName>,
    pub description: Option<Description>,
    /// `active` or `archived`: the statuses a change may set (the others
    /// follow from provisioning and deletion).
    #[schema(value_type = Option<String>, pattern = "^(active|archived)$")]
    pub status: Option<ProjectStatus>,
    pub environment: Option<Environment>,
}

fn name_taken() -> DomainError {
    DomainError::conflict("name_taken", "another project in this organization has this name")
}

/// Create a project in the caller's organization. It starts
/// `provisioning`; a `provision_project` job (see
/// `GET /v1/jobs?project_id=`) makes it `active`, or `failed` with
/// `status_reason`.
#[utoipa::path(post, path = "/v1/projects", operation_id = "projects.create", tag = "projects", request_body = CreateProject,
    security(("bearer" = [])),
    responses(
        (status = 201, body = Project, headers(("Location" = String), ("ETag" = String))),
        (status = 401, body = Problem, content_type = "application/problem+json"),
        (status = 403, body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "Name taken", body = Problem, content_type = "application/problem+json"),
        (status = 422, body = Problem, content_type = "application/problem+json"),
    ))]
pub async fn create_project(
    State(state): State<AppState>,
    caller: Caller,
    ApiJson(body): ApiJson<CreateProject>,
) -> Result<Created<Project>, ApiError> {
    let (ctx, items) = caller.tenant(&state, Permission::ProjectsWrite, |t| vec![Org::key(t)]).await?;
    ctx.require_member()?;
    let org = items[0].as_ref().map(|i| i.parse::<Org>()).transpose()?;
    let region = state.regions.choose(body.region, org.as_ref().and_then(|o| o.region.as_ref()))?;
    let now = controlplane::now();
    let project = Project {
        id: ProjectId::generate(),
        org_id: ctx.tenant().org().clone(),
        name: body.name,
        description: body.description.filter(|d| !d.as_str().is_empty()),
        status: ProjectStatus::Provisioning,
        status_reason: None,
        environment: body.environment.unwrap_or_default(),
        runtime_template_version: None,
        region: Some(region),
        created_by: ctx.principal().id().to_owned(),
        version: 1,
        created_at: now,
        updated_at: now,
        deleted_at: None,
    };
    let metadata = json!({ "name": project.name, "region": project.region });
    let event = AuditEvent::new(&ctx, "project.created", "project", &project.id, metadata).for_project(&project.id);
    let job = Job::new(ctx.tenant().org(), project_job(&ctx, JobType::ProvisionProject, &project.id), now);
    Mutation::new(&ctx, Permission::ProjectsWrite)
        .op(WriteOp::put_if(project.item()?, Condition::NotExists), DomainError::concurrent_modification())
        .op(WriteOp::put_if(project.name_lock()?, Condition::NotExists), name_taken())
        .op(WriteOp::put_if(project.lookup_item()?, Condition::NotExists), DomainError::concurrent_modification())
        .op(WriteOp::put_if(job.item()?, Condition::NotExists), DomainError::concurrent_modification())
        .commit(state.store.as_ref(), event)
        .await?;
    state.enqueue(&job).await;
    Ok(Created { location: format!("/v1/projects/{}", project.id), version: project.version, body: project })
}

/// Reads the live project for a write, checking `If-Match`.
async fn for_write(
    state: &AppState,
    caller: &Caller,
    raw: &str,
    if_match: &IfMatch,
) -> Result<(TenantContext, Project), ApiError> {
    let id = project_id(raw)?;
    let (ctx, items) = caller.tenant(state, Permission::ProjectsWrite, |t| vec![Project::key(t, &id)]).await?;
    ctx.require_project(&id)?;
    let project = visible(items[0].as_ref(), false)?;
    if_match.check(project.version)?;
    Ok((ctx, project))
}

async fn apply_update(
    state: AppState,
    caller: Caller,
    raw: String,
    if_match: IfMatch,
    body: UpdateProject,
) -> Result<Tagged<Project>, ApiError> {
    match body.status {
        Some(ProjectStatus::Deleted) => {
            return Err(ApiError::field("status", "use DELETE /v1/projects/{project_id} to delete a project"));
        }
        Some(ProjectStatus::Provisioning | ProjectStatus::Failed) => {
            return Err(ApiError::field("status", "only `active` and `archived` can be set"));
        }
        _ => {}
    }
    let (ctx, current) = for_write(&state, &caller, &raw, &if_match).await?;
    if body.status.is_some_and(|s| s != current.status) && !current.is_provisioned() {
        return Err(ApiError::conflict(
            "project_not_provisioned",
            "the project is not provisioned; its status changes once provisioning ends",
        ));
    }
    let mut next = current.clone();
    if let Some(name) = body.name {
        next.name = name;
    }
    if let Some(description) = body.description {
        next.description = Some(description).filter(|d| !d.as_str().is_empty());
    }
    if let Some(status) = body.status {
        next.status = status;
    }
    if let Some(environment) = body.environment {
        next.environment = environment;
    }
    let changes = diff(&[
        ("name", json!(current.name), json!(next.name)),
        ("description", json!(current.description), json!(next.description)),
        ("status", json!(current.status), json!(next.status)),
        ("environment", json!(current.environment), json!(next.environment)),
    ]);
    if changes["changes"].as_object().is_some_and(|c| c.is_empty()) {
        return Ok(Tagged { version: current.version, body: current });
    }
    next.version += 1;
    next.updated_at = controlplane::now();
    let event = AuditEvent::new(&ctx, "project.updated", "project", &next.id, changes).for_project(&next.id);
    let mut mutation = Mutation::new(&ctx, Permission::ProjectsWrite)
        .op(WriteOp::put_if(next.item()?, Condition::VersionEquals(current.version)), if_match.lost_race());
    if next.name.folded() != current.name.folded() {
        mutation = mutation
            .op(WriteOp::put_if(next.name_lock()?, Condition::NotExists), name_taken())
            .op(WriteOp::delete(current.name_lock()?.key), DomainError::concurrent_modification());
    }
    mutation.commit(state.store.as_ref(), event).await?;
    state.snapshots.invalidate(&next.id);
    Ok(Tagged { version: next.version, body: next })
}

/// Update a project. Honours `If-Match`.
#[utoipa::path(put, path = "/v1/projects/{project_id}", operation_id = "projects.replace", tag = "projects", request_body = UpdateProject,
    params(("project_id" = String, Path), ("If-Match" = Option<String>, Header, description = "ETag the update applies to")),
    security(("bearer" = [])),
    responses(
        (status = 200, body = Project, headers(("ETag" = String))),
        (status = 403, body = Problem, content_type = "application/problem+json"),
        (status = 404, body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "Name taken", body = Problem, content_type = "application/problem+json"),
        (status = 412, body = Problem, content_type = "application/problem+json"),
        (status = 422, body = Problem, content_type = "application/problem+json"),
    ))]
pub async fn update_project(
    State(state): State<AppState>,
    caller: Caller,
    Path(raw): Path<String>,
    if_match: IfMatch,
    ApiJson(body): ApiJson<UpdateProject>,
) -> Result<Tagged<Project>, ApiError> {
    apply_update(state, caller, raw, if_match, body).await
}

/// Same as `PUT`.
#[utoipa::path(patch, path = "/v1/projects/{project_id}", operation_id = "projects.update", tag = "projects", request_body = UpdateProject,
    params(("project_id" = String, Path), ("If-Match" = Option<String>, Header, description = "ETag the update applies to")),
    security(("bearer" = [])),
    responses((status = 200, body = Project, headers(("ETag" = String))), (status = 412, body = Problem, content_type = "application/problem+json")))]
pub async fn patch_project(
    State(state): State<AppState>,
    caller: Caller,
    Path(raw): Path<String>,
    if_match: IfMatch,
    ApiJson(body): ApiJson<UpdateProject>,
) -> Result<Tagged<Project>, ApiError> {
    apply_update(state, caller, raw, if_match, body).await
}

/// Soft-delete a project: it leaves lists and reads, its name is free
/// again, and a `deprovision_project` job tears its runtime down.
#[utoipa::path(delete, path = "/v1/projects/{project_id}", operation_id = "projects.delete", tag = "projects",
    params(("project_id" = String, Path), ("If-Match" = Option<String>, Header, description = "ETag the delete applies to")),
    security(("bearer" = [])),
    responses(
        (status = 204, description = "Deleted"),
        (status = 403, body = Problem, content_type = "application/problem+json"),
        (status = 404, body = Problem, content_type = "application/problem+json"),
        (status = 412, body = Problem, content_type = "application/problem+json"),
    ))]
pub async fn delete_project(
    State(state): State<AppState>,
    caller: Caller,
    Path(raw): Path<String>,
    if_match: IfMatch,
    _: NoBody,
) -> Result<StatusCode, ApiError> {
    let (ctx, current) = for_write(&state, &caller, &raw, &if_match).await?;
    let now = controlplane::now();
    let mut next = current.clone();
    next.status = ProjectStatus::Deleted;
    next.deleted_at = Some(now);
    next.updated_at = now;
    next.version += 1;
    let event = AuditEvent::new(&ctx, "project.deleted", "project", &next.id, json!({ "name": next.name }))
        .for_project(&next.id);
    let job = Job::new(ctx.tenant().org(), project_job(&ctx, JobType::DeprovisionProject, &next.id), now);
    Mutation::new(&ctx, Permission::ProjectsWrite)
        .op(WriteOp::put_if(next.item()?, Condition::VersionEquals(current.version)), if_match.lost_race())
        .op(WriteOp::delete(current.name_lock()?.key), DomainError::concurrent_modification())
        .op(WriteOp::put_if(job.item()?, Condition::NotExists), DomainError::concurrent_modification())
        .commit(state.store.as_ref(), event)
        .await?;
    state.snapshots.invalidate(&next.id);
    state.enqueue(&job).await;
    Ok(StatusCode::NO_CONTENT)
}

/// Provision a project again: a `failed` one, or one on an older runtime
/// template (the migration path). 202 with the `provision_project` job;
/// 409 `project_up_to_date` when there is nothing to do, 409
/// `provisioning_in_progress` while it is provisioning.
#[utoipa::path(post, path = "/v1/projects/{project_id}/provision", operation_id = "projects.provision", tag = "projects",
    params(("project_id" = String, Path)),
    security(("bearer" = [])),
    responses(
        (status = 202, description = "The provisioning job", body = Job),
        (status = 403, body = Problem, content_type = "application/problem+json"),
        (status = 404, body = Problem, content_type = "application/problem+json"),
        (status = 409, body = Problem, content_type = "application/problem+json"),
    ))]
pub async fn provision_project(
    State(state): State<AppState>,
    caller: Caller,
    Path(raw): Path<String>,
    _: NoBody,
) -> Result<(StatusCode, axum::Json<Job>), ApiError> {
    let (ctx, current) = for_write(&state, &caller, &raw, &IfMatch::Absent).await?;
    match current.status {
        ProjectStatus::Provisioning => {
            return Err(ApiError::conflict("provisioning_in_progress", "the project is being provisioned"));
        }
        _ if current.is_provisioned() && current.runtime_template_version >= Some(RUNTIME_TEMPLATE_VERSION) => {
            return Err(ApiError::conflict(
                "project_up_to_date",
                format!("the project runs the current runtime template (version {RUNTIME_TEMPLATE_VERSION})"),
            ));
        }
        _ => {}
    }
    let now = controlplane::now();
    let mut next = current.clone();
    if next.status == ProjectStatus::Failed {
        next.status = ProjectStatus::Provisioning;
        next.status_reason = None;
    }
    next.version += 1;
    next.updated_at = now;
    let job = Job::new(ctx.tenant().org(), project_job(&ctx, JobType::ProvisionProject, &next.id), now);
    let metadata =
        json!({ "from_template": current.runtime_template_version, "to_template": RUNTIME_TEMPLATE_VERSION });
    let event =
        AuditEvent::new(&ctx, "project.provision_requested", "project", &next.id, metadata).for_project(&next.id);
    Mutation::new(&ctx, Permission::ProjectsWrite)
        .op(
            WriteOp::put_if(next.item()?, Condition::VersionEquals(current.version)),
            DomainError::conflict("concurrent_modification", "the project changed while the request ran; retry"),
        )
        .op(WriteOp::put_if(job.item()?, Condition::NotExists), DomainError::concurrent_modification())
        .commit(state.store.as_ref(), event)
        .await?;
    state.snapshots.invalidate(&next.id);
    state.enqueue(&job).await;
    Ok((StatusCode::ACCEPTED, axum::Json(job)))
}
