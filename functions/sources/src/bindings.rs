//! `/v1/sources/{id}/policy-bindings`: the policies applied to a source's
//! results. Kept on the source item (at most 20), so a run reads its
//! bindings with the source and a change is version-checked with it.

use axum::extract::{Path, State};
use axum::http::StatusCode;
use controlplane::base::error::DomainError;
use controlplane::base::ids::BindingId;
use controlplane::base::rbac::Permission;
use controlplane::domain::Mutation;
use controlplane::domain::audit::AuditEvent;
use controlplane::domain::source::{MAX_BINDINGS, PolicyBinding, PolicyMode, Source, check_policy_id};
use controlplane::edge::auth::Caller;
use controlplane::edge::error::Problem;
use controlplane::edge::http::{ApiJson, ListResponse, NoBody};
use controlplane::ports::store::{Condition, WriteOp};
use controlplane::{ApiError, AppState, TenantContext};
use serde::Deserialize;
use serde_json::json;
use utoipa::ToSchema;

use controlplane::api::sources::read;

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CreateBinding {
    /// 1 to 64 lowercase letters, digits, `.`, `_` or `-`.
    #[schema(pattern = "^[a-z0-9][a-z0-9._-]{0,63}$")]
    pub policy_id: String,
    pub mode: PolicyMode,
}

async fn commit(
    state: &AppState,
    ctx: &TenantContext,
    current: &Source,
    next: &Source,
    event: AuditEvent,
) -> Result<(), ApiError> {
    let changed = DomainError::conflict("source_changed", "the source changed meanwhile; retry");
    Ok(Mutation::new(ctx, Permission::SourcesWrite)
        .op(WriteOp::put_if(next.item()?, Condition::VersionEquals(current.version)), changed)
        .commit(state.store.as_ref(), event.for_project(&next.project_id))
        .await?)
}

/// A source's policy bindings (all of them: at most 20).
#[utoipa::path(get, path = "/v1/sources/{source_id}/policy-bindings", operation_id = "sources.policyBindings.list", tag = "sources",
    params(("source_id" = String, Path)),
    security(("bearer" = [])),
    responses((status = 200, body = ListResponse<PolicyBinding>), (status = 404, body = Problem, content_type = "application/problem+json")))]
pub async fn list_bindings(
    State(state): State<AppState>,
    caller: Caller,
    Path(raw): Path<String>,
) -> Result<axum::Json<ListResponse<PolicyBinding>>, ApiError> {
    let (_, source) = read(&state, &caller, &raw, Permission::SourcesRead).await?;
    Ok(axum::Json(ListResponse { data: source.policy_bindings, next_cursor: None }))
}

/// Bind a policy to a source (`audit` reports findings, `enforce` fails
/// the run on them). 409 `binding_exists` if the policy is already bound.
#[utoipa::path(post, path = "/v1/sources/{source_id}/policy-bindings", operation_id = "sources.policyBindings.create", tag = "sources", request_body = CreateBinding,
    params(("source_id" = String, Path)),
    security(("bearer" = [])),
    responses(
        (status = 201, body = PolicyBinding),
        (status = 404, body = Problem, content_type = "application/problem+json"),
        (status = 409, body = Problem, content_type = "application/problem+json"),
        (status = 422, body = Problem, content_type = "application/problem+json"),
    ))]
pub async fn create_binding(
    State(state): State<AppState>,
    caller: Caller,
    Path(raw): Path<String>,
    ApiJson(body): ApiJson<CreateBinding>,
) -> Result<(StatusCode, axum::Json<PolicyBinding>), ApiError> {
    check_policy_id(&body.policy_id)?;
    let (ctx, current) = read(&state, &caller, &raw, Permission::SourcesWrite).await?;
    if current.policy_bindings.iter().any(|b| b.policy_id == body.policy_id) {
        return Err(ApiError::conflict("binding_exists", format!("policy {} is already bound", body.policy_id)));
    }
    if current.policy_bindings.len() >= MAX_BINDINGS {
        return Err(ApiError::conflict("too_many_bindings", format!("a source has at most {MAX_BINDINGS} bindings")));
    }
    let now = controlplane::now();
    let binding = PolicyBinding {
        binding_id: BindingId::generate(),
        org_id: ctx.tenant().org().clone(),
        source_id: current.id.clone(),
        policy_id: body.policy_id,
        mode: body.mode,
        created_by: ctx.principal().id().to_owned(),
        created_at: now,
    };
    let mut next = current.next_version(now);
    next.policy_bindings.push(binding.clone());
    let metadata = json!({ "binding_id": binding.binding_id, "policy_id": binding.policy_id, "mode": binding.mode });
    let event = AuditEvent::new(&ctx, "source.policy_bound", "source", &current.id, metadata);
    commit(&state, &ctx, &current, &next, event).await?;
    Ok((StatusCode::CREATED, axum::Json(binding)))
}

/// Remove a policy binding.
#[utoipa::path(delete, path = "/v1/sources/{source_id}/policy-bindings/{binding_id}", operation_id = "sources.policyBindings.delete", tag = "sources",
    params(("source_id" = String, Path), ("binding_id" = String, Path)),
    security(("bearer" = [])),
    responses((status = 204, description = "Removed"), (status = 404, body = Problem, content_type = "application/problem+json")))]
pub async fn delete_binding(
    State(state): State<AppState>,
    caller: Caller,
    Path((raw, binding)): Path<(String, String)>,
    _: NoBody,
) -> Result<StatusCode, ApiError> {
    let (ctx, current) = read(&state, &caller, &raw, Permission::SourcesWrite).await?;
    let not_found = || ApiError::NotFound { resource: "policy binding" };
    let binding = BindingId::parse(&binding).map_err(|_| not_found())?;
    let removed = current.policy_bindings.iter().find(|b| b.binding_id == binding).ok_or_else(not_found)?;
    let metadata = json!({ "binding_id": removed.binding_id, "policy_id": removed.policy_id, "mode": removed.mode });
    let mut next = current.next_version(controlplane::now());
    next.policy_bindings.retain(|b| b.binding_id != binding);
    let event = AuditEvent::new(&ctx, "source.policy_unbound", "source", &current.id, metadata);
    commit(&state, &ctx, &current, &next, event).await?;
    Ok(StatusCode::NO_CONTENT)
}
