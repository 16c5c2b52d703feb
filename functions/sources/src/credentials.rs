//! `/v1/credentials`: credential references. The value goes to the secrets
//! store on create and is never read back here: responses carry metadata
//! and the fingerprint; a test runs in the worker, which alone reads values.

use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use controlplane::base::error::DomainError;
use controlplane::base::ids::CredentialId;
use controlplane::base::rbac::Permission;
use controlplane::base::tenant::TenantId;
use controlplane::domain::Mutation;
use controlplane::domain::audit::AuditEvent;
use controlplane::domain::credential::{self, CredentialKind, CredentialRef, CredentialValue};
use controlplane::domain::job::{Job, JobType};
use controlplane::edge::auth::Caller;
use controlplane::edge::error::Problem;
use controlplane::edge::http::{ApiJson, ApiQuery, Created, Cursor, ListResponse, NoBody, PageParams, Tagged};
use controlplane::ports::secrets::{DynSecrets, SecretsError};
use controlplane::ports::store::{Condition, WriteOp};
use controlplane::{ApiError, AppState, TenantContext};
use serde::Deserialize;
use serde_json::{Value, json};
use utoipa::{IntoParams, ToSchema};

use controlplane::api::sources::jobs::{accepted, new_job};

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CreateCredential {
    pub kind: CredentialKind,
    /// 1 to 100 characters.
    #[schema(value_type = controlplane::base::text::Name)]
    pub name: String,
    /// The secret itself, shaped by `kind` (see docs/api.md). Stored in the
    /// secrets store; never shown again.
    #[schema(value_type = Object)]
    pub value: Value,
}

#[derive(Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct DeleteParams {
    /// Delete although sources use it (admins and owners only); their runs
    /// then fail until they are given another credential.
    pub force: Option<bool>,
}

fn not_found() -> ApiError {
    ApiError::NotFound { resource: "credential" }
}

pub(crate) fn secrets(state: &AppState) -> Result<&DynSecrets, ApiError> {
    state.secrets.as_ref().ok_or_else(|| ApiError::Unavailable { detail: "no secrets store is configured".into() })
}

/// The store's error never carries the value; logged, then a plain 503.
pub(crate) fn secrets_down(error: SecretsError) -> ApiError {
    tracing::warn!(%error, "credential secrets unavailable");
    ApiError::Unavailable { detail: "the secrets store is unavailable; retry shortly".into() }
}

/// Store a credential: the value goes to the secrets store under
/// `controlplane/{org}/{credential_id}`; the response has its fingerprint, never the value.
#[utoipa::path(post, path = "/v1/credentials", operation_id = "credentials.create", tag = "sources", request_body = CreateCredential,
    security(("bearer" = [])),
    responses(
        (status = 201, body = CredentialRef, headers(("Location" = String), ("ETag" = String))),
        (status = 403, body = Problem, content_type = "application/problem+json"),
        (status = 422, body = Problem, content_type = "application/problem+json"),
    ))]
pub async fn create_credential(
    State(state): State<AppState>,
    caller: Caller,
    ApiJson(body): ApiJson<CreateCredential>,
) -> Result<Created<CredentialRef>, ApiError> {
    let name = credential::check_name(&body.name)?;
    let value = CredentialValue::parse(body.kind, &body.value)?;
    let (ctx, _) = caller.tenant(&state, Permission::CredentialsManage, |_| vec![]).await?;
    let id = CredentialId::generate();
    let secret_name =
        CredentialRef::secret_name(ctx.tenant(), ctx.region(), &id).map_err(|e| ApiError::Internal(e.to_string()))?;
    let store = secrets(&state)?;
    let secret = value.to_secret().map_err(|_| ApiError::field("value", "too large"))?;
    let locator = store.put(&secret_name, &secret).await.map_err(secrets_down)?;
    let now = controlplane::now();
    let credential = CredentialRef {
        fingerprint: value.fingerprint(ctx.tenant().org(), &id),
        id,
        org_id: ctx.tenant().org().clone(),
        kind: body.kind,
        name,
        secret_arn: locator,
        last_tested_at: None,
        last_test_result: None,
        sources_using: 0,
        region: ctx.region().cloned(),
        created_by: ctx.principal().id().to_owned(),
        version: 1,
        created_at: now,
        updated_at: now,
    };
    let metadata = json!({ "kind": credential.kind, "name": credential.name, "fingerprint": credential.fingerprint });
    let event = AuditEvent::new(&ctx, "credential.created", "credential", &credential.id, metadata);
    let committed = Mutation::new(&ctx, Permission::CredentialsManage)
        .op(WriteOp::put_if(credential.item()?, Condition::NotExists), DomainError::concurrent_modification())
        .commit(state.store.as_ref(), event)
        .await;
    if let Err(error) = committed {
        if let Err(cleanup) = store.delete(&secret_name).await {
            tracing::warn!(error = %cleanup, credential = %credential.id, "unused credential secret not removed");
        }
        return Err(error.into());
    }
    Ok(Created { location: format!("/v1/credentials/{}", credential.id), version: 1, body: credential })
}

/// List the organization's credentials (metadata only).
#[utoipa::path(get, path = "/v1/credentials", operation_id = "credentials.list", tag = "sources", params(PageParams),
    security(("bearer" = [])),
    responses((status = 200, body = ListResponse<CredentialRef>), (status = 403, body = Problem, content_type = "application/problem+json")))]
pub async fn list_credentials(
    State(state): State<AppState>,
    caller: Caller,
    ApiQuery(params): ApiQuery<PageParams>,
) -> Result<axum::Json<ListResponse<CredentialRef>>, ApiError> {
    let paging = params.paging()?;
    let scope_of = |tenant: &TenantId| Cursor::scope(&["credentials", tenant.as_str()]);
    let (ctx, _, page) = caller
        .tenant_listing(&state, Permission::CredentialsManage, |tenant| {
            Ok(CredentialRef::query(tenant).limit(paging.limit).start(state.start(&scope_of(tenant), &paging)?))
        })
        .await?;
    Ok(axum::Json(state.list(&scope_of(ctx.tenant()), page)?))
}

pub(crate) async fn read(
    state: &AppState,
    caller: &Caller,
    raw: &str,
) -> Result<(TenantContext, CredentialRef), ApiError> {
    let id = CredentialId::parse(raw).map_err(|_| not_found())?;
    let (ctx, items) =
        caller.tenant(state, Permission::CredentialsManage, |t| vec![CredentialRef::key(t, &id)]).await?;
    let credential = items[0].as_ref().ok_or_else(not_found)?.parse()?;
    Ok((ctx, credential))
}

/// A credential's metadata and fingerprint.
#[utoipa::path(get, path = "/v1/credentials/{credential_id}", operation_id = "credentials.get", tag = "sources",
    params(("credential_id" = String, Path)),
    security(("bearer" = [])),
    responses((status = 200, body = CredentialRef, headers(("ETag" = String))), (status = 404, body = Problem, content_type = "application/problem+json")))]
pub async fn get_credential(
    State(state): State<AppState>,
    caller: Caller,
    Path(raw): Path<String>,
) -> Result<Tagged<CredentialRef>, ApiError> {
    let (_, credential) = read(&state, &caller, &raw).await?;
    Ok(Tagged { version: credential.version, body: credential })
}

/// Test a credential in the worker (the only place values are read): 202
/// with the `test_credential` job; the result lands in `last_test_result`.
#[utoipa::path(post, path = "/v1/credentials/{credential_id}/test", operation_id = "credentials.test", tag = "sources",
    params(("credential_id" = String, Path)),
    security(("bearer" = [])),
    responses((status = 202, body = Job, headers(("Location" = String))), (status = 404, body = Problem, content_type = "application/problem+json")))]
pub async fn test_credential(
    State(state): State<AppState>,
    caller: Caller,
    Path(raw): Path<String>,
    _: NoBody,
) -> Result<Response, ApiError> {
    let (ctx, credential) = read(&state, &caller, &raw).await?;
    let job = new_job(&ctx, None, JobType::TestCredential, json!({ "credential_ref_id": credential.id }));
    let event =
        AuditEvent::new(&ctx, "credential.test_requested", "credential", &credential.id, json!({ "job_id": job.id }));
    Mutation::new(&ctx, Permission::CredentialsManage)
        .op(WriteOp::put_if(job.item()?, Condition::NotExists), DomainError::concurrent_modification())
        .commit(state.store.as_ref(), event)
        .await?;
    state.enqueue(&job).await;
    Ok(accepted(&job))
}

/// Delete a credential and its stored value. 409 `credential_in_use` while
/// sources use it, unless `force=true` by an admin or owner.
#[utoipa::path(delete, path = "/v1/credentials/{credential_id}", operation_id = "credentials.delete", tag = "sources",
    params(("credential_id" = String, Path), DeleteParams),
    security(("bearer" = [])),
    responses(
        (status = 204, description = "Deleted"),
        (status = 403, body = Problem, content_type = "application/problem+json"),
        (status = 404, body = Problem, content_type = "application/problem+json"),
        (status = 409, body = Problem, content_type = "application/problem+json"),
    ))]
pub async fn delete_credential(
    State(state): State<AppState>,
    caller: Caller,
    Path(raw): Path<String>,
    ApiQuery(params): ApiQuery<DeleteParams>,
    _: NoBody,
) -> Result<Response, ApiError> {
    let (ctx, credential) = read(&state, &caller, &raw).await?;
    let force = params.force.unwrap_or(false);
    let forced = force && credential.sources_using > 0;
    if credential.sources_using > 0 {
        if !force {
            return Err(ApiError::conflict(
                "credential_in_use",
                format!(
                    "{} source(s) use this credential; give them another first, or delete with force=true (admins)",
                    credential.sources_using
                ),
            ));
        }
        ctx.require(Permission::OrgUpdate)?;
    }
    let metadata = json!({ "kind": credential.kind, "name": credential.name, "sources_using": credential.sources_using, "forced": forced });
    let event = AuditEvent::new(&ctx, "credential.deleted", "credential", &credential.id, metadata);
    let in_use_changed = DomainError::conflict("credential_changed", "the credential changed while deleting; retry");
    // A forced delete is checked against the admin's role again at commit.
    let permission = if forced { Permission::OrgUpdate } else { Permission::CredentialsManage };
    Mutation::new(&ctx, permission)
        .op(
            WriteOp::delete_if(
                CredentialRef::key(ctx.tenant(), &credential.id),
                Condition::VersionEquals(credential.version),
            ),
            in_use_changed,
        )
        .commit(state.store.as_ref(), event)
        .await?;
    // After the commit: a failure leaves only an unreferenced value behind.
    if let (Ok(store), Ok(name)) =
        (secrets(&state), CredentialRef::secret_name(ctx.tenant(), credential.region.as_ref(), &credential.id))
        && let Err(error) = store.delete(&name).await
    {
        tracing::warn!(%error, credential = %credential.id, "credential secret not deleted");
    }
    Ok(StatusCode::NO_CONTENT.into_response())
}
