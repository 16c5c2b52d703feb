//! `/v1/mcp-servers/{id}/policy-bindings`: the policies on the gateway's
//! calls of a server's tools (`domain::mcp::policy`). Kept on the server's
//! item (at most 20), so a call reads them with the server and a change is
//! version-checked with it; each applies from the next call.

use axum::extract::{Path, State};
use axum::http::StatusCode;
use controlplane::base::error::DomainError;
use controlplane::base::ids::BindingId;
use controlplane::base::rbac::Permission;
use controlplane::domain::Mutation;
use controlplane::domain::audit::AuditEvent;
use controlplane::domain::mcp::policy::{ArgumentRule, CallPolicyBinding, CallPolicyMode, check_joins};
use controlplane::domain::mcp::server::McpServer;
use controlplane::edge::auth::Caller;
use controlplane::edge::error::Problem;
use controlplane::edge::http::{ApiJson, ListResponse, NoBody};
use controlplane::ports::store::{Condition, WriteOp};
use controlplane::{ApiError, AppState, TenantContext};
use serde::Deserialize;
use serde_json::json;
use utoipa::ToSchema;

use crate::servers::read;

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CreateCallBinding {
    /// 1 to 64 lowercase letters, digits, `.`, `_` or `-`.
    #[schema(pattern = "^[a-z0-9][a-z0-9._-]{0,63}$")]
    pub policy_id: String,
    pub mode: CallPolicyMode,
    /// One tool, by its name at the server; absent: every tool of the server.
    pub tool: Option<String>,
    /// What `audit` and `enforce` look for in a call's arguments (none for
    /// `deny`, at least one for `enforce`; at most 10).
    #[serde(default)]
    pub rules: Vec<ArgumentRule>,
}

async fn commit(
    state: &AppState,
    ctx: &TenantContext,
    current: &McpServer,
    next: &McpServer,
    event: AuditEvent,
) -> Result<(), ApiError> {
    let changed = DomainError::conflict("mcp_server_changed", "the MCP server changed meanwhile; retry");
    Ok(Mutation::new(ctx, Permission::McpManage)
        .op(WriteOp::put_if(next.item()?, Condition::VersionEquals(current.version)), changed)
        .commit(state.store.as_ref(), event.for_project(&next.project_id))
        .await?)
}

/// The audit metadata of a binding: all of it but who made it and when
/// (the event says so).
fn described(binding: &CallPolicyBinding) -> serde_json::Value {
    json!({
        "binding_id": binding.binding_id,
        "policy_id": binding.policy_id,
        "mode": binding.mode,
        "tool": binding.tool,
        "rules": binding.rules,
    })
}

/// An MCP server's policy bindings (all of them: at most 20).
#[utoipa::path(get, path = "/v1/mcp-servers/{mcp_server_id}/policy-bindings", operation_id = "mcpServers.policyBindings.list", tag = "mcp",
    params(("mcp_server_id" = String, Path)),
    security(("bearer" = [])),
    responses((status = 200, body = ListResponse<CallPolicyBinding>), (status = 404, body = Problem, content_type = "application/problem+json")))]
pub async fn list_mcp_policy_bindings(
    State(state): State<AppState>,
    caller: Caller,
    Path(raw): Path<String>,
) -> Result<axum::Json<ListResponse<CallPolicyBinding>>, ApiError> {
    let (_, server) = read(&state, &caller, &raw).await?;
    Ok(axum::Json(ListResponse { data: server.policy_bindings, next_cursor: None }))
}

/// Bind a policy to an MCP server or one of its tools: `deny` (never
/// callable, not listed), `audit` (calls flagged in their audit event),
/// `enforce` (a call its rules catch is blocked: a tool error naming the
/// policy, audited as `mcp.call_blocked`). 409 `binding_exists` if the
/// policy is already bound to that target.
#[utoipa::path(post, path = "/v1/mcp-servers/{mcp_server_id}/policy-bindings", operation_id = "mcpServers.policyBindings.create", tag = "mcp", request_body = CreateCallBinding,
    params(("mcp_server_id" = String, Path)),
    security(("bearer" = [])),
    responses(
        (status = 201, body = CallPolicyBinding),
        (status = 404, body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "`binding_exists`, `too_many_bindings` or `mcp_server_changed`", body = Problem, content_type = "application/problem+json"),
        (status = 422, body = Problem, content_type = "application/problem+json"),
    ))]
pub async fn create_mcp_policy_binding(
    State(state): State<AppState>,
    caller: Caller,
    Path(raw): Path<String>,
    ApiJson(body): ApiJson<CreateCallBinding>,
) -> Result<(StatusCode, axum::Json<CallPolicyBinding>), ApiError> {
    let (ctx, current) = read(&state, &caller, &raw).await?;
    let now = controlplane::now();
    let binding = CallPolicyBinding {
        binding_id: BindingId::generate(),
        policy_id: body.policy_id,
        mode: body.mode,
        tool: body.tool,
        rules: body.rules,
        created_by: ctx.principal().id().to_owned(),
        created_at: now,
    };
    binding.check()?;
    check_joins(&current.policy_bindings, &binding)?;
    let mut next = current.next_version(now);
    next.policy_bindings.push(binding.clone());
    let event = AuditEvent::new(&ctx, "mcp_server.policy_bound", "mcp_server", &current.id, described(&binding));
    commit(&state, &ctx, &current, &next, event).await?;
    Ok((StatusCode::CREATED, axum::Json(binding)))
}

/// Remove a policy binding from an MCP server.
#[utoipa::path(delete, path = "/v1/mcp-servers/{mcp_server_id}/policy-bindings/{binding_id}", operation_id = "mcpServers.policyBindings.delete", tag = "mcp",
    params(("mcp_server_id" = String, Path), ("binding_id" = String, Path)),
    security(("bearer" = [])),
    responses((status = 204, description = "Removed"), (status = 404, body = Problem, content_type = "application/problem+json")))]
pub async fn delete_mcp_policy_binding(
    State(state): State<AppState>,
    caller: Caller,
    Path((raw, binding)): Path<(String, String)>,
    _: NoBody,
) -> Result<StatusCode, ApiError> {
    let (ctx, current) = read(&state, &caller, &raw).await?;
    let not_found = || ApiError::NotFound { resource: "policy binding" };
    let binding = BindingId::parse(&binding).map_err(|_| not_found())?;
    let removed = current.policy_bindings.iter().find(|b| b.binding_id == binding).ok_or_else(not_found)?;
    let event = AuditEvent::new(&ctx, "mcp_server.policy_unbound", "mcp_server", &current.id, described(removed));
    let mut next = current.next_version(controlplane::now());
    next.policy_bindings.retain(|b| b.binding_id != binding);
    commit(&state, &ctx, &current, &next, event).await?;
    Ok(StatusCode::NO_CONTENT)
}
