//! `/v1/mcp-servers`: the upstream MCP servers a project's agents reach
//! through the gateway. A server counts as a use of its credential
//! (`sources_using`, moved in the same transaction), so a credential an
//! upstream needs cannot be deleted by accident.

use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::Response;
use controlplane::api::checked_url;
use controlplane::api::sources::jobs::{accepted, new_job};
use controlplane::api::sources::{may_use, move_use, read_credentials};
use controlplane::base::error::DomainError;
use controlplane::base::ids::{CredentialId, McpServerId, ProjectId};
use controlplane::base::rbac::Permission;
use controlplane::base::tenant::TenantId;
use controlplane::domain::Mutation;
use controlplane::domain::apikey::{ResourceKind, ResourceRef};
use controlplane::domain::audit::{AuditEvent, diff};
use controlplane::domain::credential::{CredentialKind, CredentialRef};
use controlplane::domain::job::{Job, JobType};
use controlplane::domain::mcp::server::{CredentialPlacement, McpServer, Slug};
use controlplane::domain::mcp::tools::{self, UpstreamTool};
use controlplane::domain::project::Project;
use controlplane::domain::source::check_display_name;
use controlplane::domain::webhooks::target::host_of;
use controlplane::edge::auth::Caller;
use controlplane::edge::error::Problem;
use controlplane::edge::http::{ApiJson, ApiQuery, Created, Cursor, IfMatch, ListResponse, NoBody, Paging, Tagged};
use controlplane::ports::store::{Condition, Item, WriteOp, all_from, query_filtered_from};
use controlplane::{ApiError, AppState, TenantContext};
use serde::Deserialize;
use serde_json::json;
use utoipa::{IntoParams, ToSchema};

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CreateMcpServer {
    pub project_id: ProjectId,
    /// Its tools are named `<slug>__<tool>`: 1 to 32 lowercase letters,
    /// digits and single hyphens, starting with a letter; unique in the
    /// project and fixed once created.
    pub slug: Slug,
    /// Default: the slug.
    #[schema(value_type = Option<controlplane::base::text::Name>)]
    pub display_name: Option<String>,
    /// The server's streamable HTTP endpoint.
    #[schema(value_type = controlplane::domain::webhooks::target::EndpointUrl)]
    pub url: String,
    /// A stored `token` credential to send upstream; never shown to agents.
    pub credential_ref_id: Option<CredentialId>,
    /// How to send it; default `{"type": "bearer"}`.
    pub credential_placement: Option<CredentialPlacement>,
    /// Default `true`.
    pub enabled: Option<bool>,
}

/// Fields to change; absent fields keep their value. The slug cannot change.
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct UpdateMcpServer {
    #[schema(value_type = Option<controlplane::base::text::Name>)]
    pub display_name: Option<String>,
    #[schema(value_type = Option<controlplane::domain::webhooks::target::EndpointUrl>)]
    pub url: Option<String>,
    /// Another credential, or `null` for none.
    #[serde(default, deserialize_with = "controlplane::edge::http::extract::present")]
    #[schema(value_type = Option<CredentialId>)]
    pub credential_ref_id: Option<Option<CredentialId>>,
    pub credential_placement: Option<CredentialPlacement>,
    /// `false` hides its tools from agents and refuses their calls.
    pub enabled: Option<bool>,
}

#[derive(Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct ListMcpServers {
    /// Only this project's servers.
    pub project_id: Option<ProjectId>,
    /// Page size, 1–200 (default 50).
    #[param(minimum = 1, maximum = 200)]
    pub limit: Option<usize>,
    /// `next_cursor` of the previous page.
    pub cursor: Option<String>,
}

fn not_found() -> ApiError {
    ApiError::NotFound { resource: "MCP server" }
}

/// 422 on `credential_ref_id` unless the credential (as read) is a stored
/// `token`; 403 unless the caller may point it at an endpoint.
fn check_credential(ctx: &TenantContext, found: Option<&CredentialRef>) -> Result<(), ApiError> {
    let credential = found.ok_or_else(|| ApiError::field("credential_ref_id", "no such credential"))?;
    if credential.kind != CredentialKind::Token {
        let detail = format!("an MCP server takes a `token` credential, not `{}`", credential.kind.as_str());
        return Err(ApiError::field("credential_ref_id", detail));
    }
    may_use(ctx, credential)
}

fn parsed<T: serde::de::DeserializeOwned>(item: Option<&Item>) -> Result<Option<T>, ApiError> {
    item.map(|i| i.parse::<T>()).transpose().map_err(ApiError::from)
}

/// Register an upstream MCP server for a project. Discover its tools next
/// (`POST /v1/mcp-servers/{id}/discover`).
#[utoipa::path(post, path = "/v1/mcp-servers", operation_id = "mcpServers.create", tag = "mcp", request_body = CreateMcpServer,
    security(("bearer" = [])),
    responses(
        (status = 201, body = McpServer, headers(("Location" = String), ("ETag" = String))),
        (status = 403, body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such project", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "The slug is taken in the project (`slug_taken`)", body = Problem, content_type = "application/problem+json"),
        (status = 422, body = Problem, content_type = "application/problem+json"),
    ))]
pub async fn create_mcp_server(
    State(state): State<AppState>,
    caller: Caller,
    ApiJson(body): ApiJson<CreateMcpServer>,
) -> Result<Created<McpServer>, ApiError> {
    let display_name = check_display_name(body.display_name.as_deref().unwrap_or(body.slug.as_str()))?;
    let placement = body.credential_placement.unwrap_or(CredentialPlacement::Bearer);
    placement.check()?;
    let (project_id, credential_id) = (body.project_id, body.credential_ref_id);
    let (ctx, items) = caller
        .tenant(&state, Permission::McpManage, |t| {
            let mut keys = vec![Project::key(t, &project_id)];
            keys.extend(credential_id.iter().map(|c| CredentialRef::key(t, c)));
            keys
        })
        .await?;
    ctx.require_project(&project_id)?;
    let project: Project = items[0].as_ref().ok_or(ApiError::NotFound { resource: "project" })?.parse()?;
    if project.is_deleted() {
        return Err(ApiError::NotFound { resource: "project" });
    }
    let credential: Option<CredentialRef> = parsed(items.get(1).and_then(Option::as_ref))?;
    if credential_id.is_some() {
        check_credential(&ctx, credential.as_ref())?;
    }
    let url = checked_url(&state, &body.url).await?;
    let now = controlplane::now();
    let server = McpServer {
        id: McpServerId::generate(),
        org_id: ctx.tenant().org().clone(),
        project_id,
        slug: body.slug,
        display_name,
        url,
        credential_ref_id: credential_id,
        credential_placement: placement,
        enabled: body.enabled.unwrap_or(true),
        discovered_at: None,
        policy_bindings: Vec::new(),
        created_by: ctx.principal().id().to_owned(),
        version: 1,
        created_at: now,
        updated_at: now,
    };
    let metadata = json!({
        "slug": server.slug,
        "host": host_of(&server.url),
        "credential_ref_id": server.credential_ref_id,
        "enabled": server.enabled,
    });
    let event =
        AuditEvent::new(&ctx, "mcp_server.created", "mcp_server", &server.id, metadata).for_project(&server.project_id);
    let taken =
        DomainError::conflict("slug_taken", format!("the project has an MCP server `{}`", server.slug.as_str()));
    let mut mutation = Mutation::new(&ctx, Permission::McpManage)
        .op(WriteOp::put_if(server.item()?, Condition::NotExists), DomainError::concurrent_modification())
        .op(WriteOp::put_if(server.slug_item()?, Condition::NotExists), taken);
    for (op, on_failure) in move_use(None, credential.as_ref())? {
        mutation = mutation.op(op, on_failure);
    }
    mutation.commit(state.store.as_ref(), event).await?;
    Ok(Created { location: format!("/v1/mcp-servers/{}", server.id), version: server.version, body: server })
}

/// List the organization's MCP servers (a key sees its project's, and only
/// the servers it is limited to).
#[utoipa::path(get, path = "/v1/mcp-servers", operation_id = "mcpServers.list", tag = "mcp", params(ListMcpServers),
    security(("bearer" = [])),
    responses((status = 200, body = ListResponse<McpServer>), (status = 403, body = Problem, content_type = "application/problem+json")))]
pub async fn list_mcp_servers(
    State(state): State<AppState>,
    caller: Caller,
    ApiQuery(params): ApiQuery<ListMcpServers>,
) -> Result<axum::Json<ListResponse<McpServer>>, ApiError> {
    let paging = Paging::new(params.limit, params.cursor)?;
    // The cursor is bound to the parameters; a key's own project scope is
    // enforced by the filter below.
    let asked = params.project_id.as_ref().map_or("", ProjectId::as_str);
    let scope_in = |tenant: &TenantId| Cursor::scope(&["mcp-servers", tenant.as_str(), asked]);
    let (ctx, query, first) = caller
        .tenant_listing(&state, Permission::McpManage, |tenant| {
            Ok(McpServer::query(tenant).limit(paging.limit).start(state.start(&scope_in(tenant), &paging)?))
        })
        .await?;
    if let Some(project) = &params.project_id {
        ctx.require_project(project)?;
    }
    let project = params.project_id.as_ref().or(ctx.project_scope());
    let limited = ctx.resource_limit(ResourceKind::McpServer);
    let keep = |item: &Item| {
        item.parse::<McpServer>().is_ok_and(|s| {
            project.is_none_or(|p| s.project_id == *p)
                && limited.as_ref().is_none_or(|l| l.contains(&ResourceRef::from(&s.id)))
        })
    };
    let page = query_filtered_from(state.store.as_ref(), &query, Some(first), keep).await?;
    Ok(axum::Json(state.list(&scope_in(ctx.tenant()), page)?))
}

/// Reads a server the caller may act on.
pub(crate) async fn read(state: &AppState, caller: &Caller, raw: &str) -> Result<(TenantContext, McpServer), ApiError> {
    let id = McpServerId::parse(raw).map_err(|_| not_found())?;
    let (ctx, items) = caller.tenant(state, Permission::McpManage, |t| vec![McpServer::key(t, &id)]).await?;
    let server = within_reach(&ctx, items[0].as_ref())?;
    Ok((ctx, server))
}

/// The server `item` holds, if the caller may act on it: 404 when absent,
/// 403 outside a key's project or listed servers.
fn within_reach(ctx: &TenantContext, item: Option<&Item>) -> Result<McpServer, ApiError> {
    let server: McpServer = item.ok_or_else(not_found)?.parse()?;
    ctx.require_project(&server.project_id)?;
    ctx.require_resource(&ResourceRef::from(&server.id))?;
    Ok(server)
}

/// Get an MCP server (never its credential's value).
#[utoipa::path(get, path = "/v1/mcp-servers/{mcp_server_id}", operation_id = "mcpServers.get", tag = "mcp", params(("mcp_server_id" = String, Path)),
    security(("bearer" = [])),
    responses((status = 200, body = McpServer, headers(("ETag" = String))), (status = 404, body = Problem, content_type = "application/problem+json")))]
pub async fn get_mcp_server(
    State(state): State<AppState>,
    caller: Caller,
    Path(raw): Path<String>,
) -> Result<Tagged<McpServer>, ApiError> {
    let (_, server) = read(&state, &caller, &raw).await?;
    Ok(Tagged { version: server.version, body: server })
}

/// Change an MCP server: name, URL, credential and how it is sent,
/// enabled. Honours `If-Match`.
#[utoipa::path(patch, path = "/v1/mcp-servers/{mcp_server_id}", operation_id = "mcpServers.update", tag = "mcp", request_body = UpdateMcpServer,
    params(("mcp_server_id" = String, Path), ("If-Match" = Option<String>, Header)),
    security(("bearer" = [])),
    responses(
        (status = 200, body = McpServer, headers(("ETag" = String))),
        (status = 404, body = Problem, content_type = "application/problem+json"),
        (status = 412, body = Problem, content_type = "application/problem+json"),
        (status = 422, body = Problem, content_type = "application/problem+json"),
    ))]
pub async fn update_mcp_server(
    State(state): State<AppState>,
    caller: Caller,
    Path(raw): Path<String>,
    if_match: IfMatch,
    ApiJson(body): ApiJson<UpdateMcpServer>,
) -> Result<Tagged<McpServer>, ApiError> {
    let display_name = body.display_name.as_deref().map(check_display_name).transpose()?;
    if let Some(placement) = &body.credential_placement {
        placement.check()?;
    }
    let (ctx, current) = read(&state, &caller, &raw).await?;
    if_match.check(current.version)?;
    let mut next = current.next_version(controlplane::now());
    if let Some(url) = &body.url {
        next.url = checked_url(&state, url).await?;
    }
    if let Some(name) = display_name {
        next.display_name = name;
    }
    if let Some(placement) = body.credential_placement {
        next.credential_placement = placement;
    }
    if let Some(enabled) = body.enabled {
        next.enabled = enabled;
    }
    if let Some(credential) = body.credential_ref_id {
        next.credential_ref_id = credential;
    }
    // A credential newly named, or aimed at another URL, must be the
    // caller's to aim.
    let mut uses = Vec::new();
    let credential_moved = next.credential_ref_id != current.credential_ref_id;
    if credential_moved || (next.url != current.url && next.credential_ref_id.is_some()) {
        let (old, new) =
            read_credentials(&state, ctx.tenant(), current.credential_ref_id.as_ref(), next.credential_ref_id.as_ref())
                .await?;
        if next.credential_ref_id.is_some() {
            check_credential(&ctx, new.as_ref())?;
        }
        if credential_moved {
            uses = move_use(old.as_ref(), new.as_ref())?;
        }
    }
    let changes = diff(&[
        ("display_name", json!(current.display_name), json!(next.display_name)),
        ("host", json!(host_of(&current.url)), json!(host_of(&next.url))),
        ("url_changed", json!(false), json!(current.url != next.url)),
        ("credential_ref_id", json!(current.credential_ref_id), json!(next.credential_ref_id)),
        ("credential_placement", json!(current.credential_placement), json!(next.credential_placement)),
        ("enabled", json!(current.enabled), json!(next.enabled)),
    ]);
    if changes["changes"].as_object().is_some_and(|c| c.is_empty()) {
        return Ok(Tagged { version: current.version, body: current });
    }
    let event =
        AuditEvent::new(&ctx, "mcp_server.updated", "mcp_server", &next.id, changes).for_project(&next.project_id);
    let mut mutation = Mutation::new(&ctx, Permission::McpManage)
        .op(WriteOp::put_if(next.item()?, Condition::VersionEquals(current.version)), if_match.lost_race());
    for (op, on_failure) in uses {
        mutation = mutation.op(op, on_failure);
    }
    mutation.commit(state.store.as_ref(), event).await?;
    Ok(Tagged { version: next.version, body: next })
}

/// Delete an MCP server, its slug, its credential use and its discovered
/// tools: they vanish from every agent at once.
#[utoipa::path(delete, path = "/v1/mcp-servers/{mcp_server_id}", operation_id = "mcpServers.delete", tag = "mcp",
    params(("mcp_server_id" = String, Path), ("If-Match" = Option<String>, Header)),
    security(("bearer" = [])),
    responses((status = 204, description = "Deleted"), (status = 404, body = Problem, content_type = "application/problem+json")))]
pub async fn delete_mcp_server(
    State(state): State<AppState>,
    caller: Caller,
    Path(raw): Path<String>,
    if_match: IfMatch,
    _: NoBody,
) -> Result<StatusCode, ApiError> {
    let (ctx, current) = read(&state, &caller, &raw).await?;
    if_match.check(current.version)?;
    let (old, _) = read_credentials(&state, ctx.tenant(), current.credential_ref_id.as_ref(), None).await?;
    let metadata = json!({ "slug": current.slug, "host": host_of(&current.url) });
    let event = AuditEvent::new(&ctx, "mcp_server.deleted", "mcp_server", &current.id, metadata)
        .for_project(&current.project_id);
    let slug = McpServer::slug_key(ctx.tenant(), &current.project_id, &current.slug);
    let mut mutation = Mutation::new(&ctx, Permission::McpManage)
        .op(
            WriteOp::delete_if(McpServer::key(ctx.tenant(), &current.id), Condition::VersionEquals(current.version)),
            if_match.lost_race(),
        )
        .op(WriteOp::delete(slug), DomainError::concurrent_modification());
    for (op, on_failure) in move_use(old.as_ref(), None)? {
        mutation = mutation.op(op, on_failure);
    }
    mutation.commit(state.store.as_ref(), event).await?;
    remove_tools(&state, ctx.tenant(), &current.id).await;
    Ok(StatusCode::NO_CONTENT)
}

/// Deletes a deleted server's discovered tools (up to 200, more than one
/// transaction holds). A discovery running meanwhile writes none after the
/// server is gone (its writes check the server); a failure here leaves
/// items nothing reads, logged.
async fn remove_tools(state: &AppState, tenant: &TenantId, server: &McpServerId) {
    let query = UpstreamTool::query(tenant, server);
    let removed = async {
        let first = state.store.query(&query).await?;
        for chunk in all_from(state.store.as_ref(), query.clone(), first).await?.chunks(25) {
            state.store.transact(chunk.iter().map(|item| WriteOp::delete(item.key.clone())).collect()).await?;
        }
        Ok::<_, controlplane::ports::store::StoreError>(())
    };
    if let Err(error) = removed.await {
        tracing::warn!(%error, mcp_server = %server, "a deleted MCP server's tools were not all removed");
    }
}

/// Discover the server's tools: 202 with the `discover_mcp_server` job.
/// The worker lists them and pins each definition: a tool seen for the
/// first time is trusted, a changed one quarantined until approved.
#[utoipa::path(post, path = "/v1/mcp-servers/{mcp_server_id}/discover", operation_id = "mcpServers.discover", tag = "mcp",
    params(("mcp_server_id" = String, Path)),
    security(("bearer" = [])),
    responses(
        (status = 202, body = Job, headers(("Location" = String))),
        (status = 404, body = Problem, content_type = "application/problem+json"),
    ))]
pub async fn discover_mcp_server(
    State(state): State<AppState>,
    caller: Caller,
    Path(raw): Path<String>,
    _: NoBody,
) -> Result<Response, ApiError> {
    let (ctx, server) = read(&state, &caller, &raw).await?;
    let job =
        new_job(&ctx, Some(&server.project_id), JobType::DiscoverMcpServer, json!({ "mcp_server_id": server.id }));
    let metadata = json!({ "job_id": job.id, "slug": server.slug });
    let event = AuditEvent::new(&ctx, "mcp_server.discovery_requested", "mcp_server", &server.id, metadata)
        .for_project(&server.project_id);
    Mutation::new(&ctx, Permission::McpManage)
        .op(WriteOp::put_if(job.item()?, Condition::NotExists), DomainError::concurrent_modification())
        .commit(state.store.as_ref(), event)
        .await?;
    state.enqueue(&job).await;
    Ok(accepted(&job))
}

/// The server's tools as last discovered: each definition as approved, its
/// SHA-256, its status (`active`, `quarantined`, `removed`) and, when it
/// changed, the pending definition awaiting approval.
#[utoipa::path(get, path = "/v1/mcp-servers/{mcp_server_id}/tools", operation_id = "mcpServers.tools.list", tag = "mcp",
    params(("mcp_server_id" = String, Path)),
    security(("bearer" = [])),
    responses((status = 200, body = ListResponse<UpstreamTool>), (status = 404, body = Problem, content_type = "application/problem+json")))]
pub async fn list_mcp_server_tools(
    State(state): State<AppState>,
    caller: Caller,
    Path(raw): Path<String>,
) -> Result<axum::Json<ListResponse<UpstreamTool>>, ApiError> {
    let id = McpServerId::parse(&raw).map_err(|_| not_found())?;
    // The server and the first page of its tools in one round trip.
    let (ctx, items, query, first) = caller
        .tenant_listing_with(
            &state,
            Permission::McpManage,
            |t| vec![McpServer::key(t, &id)],
            |t| Ok(UpstreamTool::query(t, &id)),
        )
        .await?;
    within_reach(&ctx, items[0].as_ref())?;
    let items = all_from(state.store.as_ref(), query, first).await?;
    let data = items.iter().map(|i| i.parse()).collect::<Result<Vec<UpstreamTool>, _>>()?;
    Ok(axum::Json(ListResponse { data, next_cursor: None }))
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ApproveTool {
    /// The pending definition's `sha256` as reviewed: a definition that
    /// changed again since is 409 `definition_changed`, not approved.
    pub sha256: Option<String>,
}

/// Approve a quarantined tool's changed definition: agents see and call it
/// again, as the new definition says.
#[utoipa::path(post, path = "/v1/mcp-servers/{mcp_server_id}/tools/{name}/approve", operation_id = "mcpServers.tools.approve", tag = "mcp", request_body = ApproveTool,
    params(("mcp_server_id" = String, Path), ("name" = String, Path)),
    security(("bearer" = [])),
    responses(
        (status = 200, body = UpstreamTool),
        (status = 404, body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "`nothing_to_approve` or `definition_changed`", body = Problem, content_type = "application/problem+json"),
    ))]
pub async fn approve_mcp_tool(
    State(state): State<AppState>,
    caller: Caller,
    Path((raw, name)): Path<(String, String)>,
    ApiJson(body): ApiJson<ApproveTool>,
) -> Result<axum::Json<UpstreamTool>, ApiError> {
    let not_found = || ApiError::NotFound { resource: "tool" };
    tools::check_name(&name).map_err(|_| not_found())?;
    let id = McpServerId::parse(&raw).map_err(|_| self::not_found())?;
    let (ctx, items) = caller
        .tenant(&state, Permission::McpManage, |t| vec![McpServer::key(t, &id), UpstreamTool::key(t, &id, &name)])
        .await?;
    let server = within_reach(&ctx, items[0].as_ref())?;
    let tool: UpstreamTool = items[1].as_ref().ok_or_else(not_found)?.parse()?;
    let next = tool.approved(body.sha256.as_deref(), controlplane::now())?;
    let metadata = json!({ "mcp_server_id": server.id, "slug": server.slug, "tool": tool.name, "sha256": next.sha256, "previous_sha256": tool.sha256 });
    let event =
        AuditEvent::new(&ctx, "mcp.tool_approved", "mcp_server", &server.id, metadata).for_project(&server.project_id);
    Mutation::new(&ctx, Permission::McpManage)
        .op(
            WriteOp::put_if(next.item()?, Condition::VersionEquals(tool.version)),
            DomainError::concurrent_modification(),
        )
        .commit(state.store.as_ref(), event)
        .await?;
    Ok(axum::Json(next))
}
