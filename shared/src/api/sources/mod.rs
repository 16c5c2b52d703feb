//! `/v1/sources`: create, list, read, change and delete sources. A source
//! counts as a use of its credential (`sources_using`, moved in the same
//! transaction), so a credential in use cannot be deleted by accident.

pub mod jobs;
pub mod runs;

use crate::base::error::DomainError;
use crate::base::ids::{CredentialId, ProjectId, SourceId};
use crate::base::rbac::Permission;
use crate::base::tenant::TenantId;
use crate::domain::Mutation;
use crate::domain::apikey::{ResourceKind, ResourceRef};
use crate::domain::audit::{AuditEvent, diff};
use crate::domain::credential::CredentialRef;
use crate::domain::project::Project;
use crate::domain::source::{
    CredentialNeed, Source, SourceConfig, SourceKind, SourceStatus, check_display_name, check_owner,
};
use crate::edge::auth::Caller;
use crate::edge::error::Problem;
use crate::edge::http::{ApiJson, ApiQuery, Created, Cursor, IfMatch, ListResponse, NoBody, Paging, Tagged};
use crate::ports::store::{Condition, Item, WriteOp, query_filtered_from};
use crate::{ApiError, AppState, TenantContext};
use axum::extract::{Path, State};
use axum::http::StatusCode;
use serde::Deserialize;
use serde_json::{Value, json};
use utoipa::{IntoParams, ToSchema};

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CreateSource {
    pub project_id: ProjectId,
    pub kind: SourceKind,
    /// 1 to 100 characters.
    #[schema(value_type = crate::base::text::Name)]
    pub display_name: String,
    /// Who answers for it; default: you.
    #[schema(value_type = Option<crate::base::text::Name>)]
    pub owner: Option<String>,
    /// The kind's configuration (see the table of kinds in docs/api.md).
    #[schema(value_type = Object)]
    pub connector: Option<Value>,
    /// Required by kinds that need one; must be of a kind the source accepts.
    pub credential_ref_id: Option<CredentialId>,
    /// Default `true`.
    pub enabled: Option<bool>,
}

/// Fields to change; absent fields keep their value. The kind cannot change.
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct UpdateSource {
    #[schema(value_type = Option<crate::base::text::Name>)]
    pub display_name: Option<String>,
    #[schema(value_type = Option<crate::base::text::Name>)]
    pub owner: Option<String>,
    /// The whole configuration of the source's kind.
    #[schema(value_type = Option<Object>)]
    pub connector: Option<Value>,
    /// Another credential, or `null` for none (where the kind allows).
    #[serde(default, deserialize_with = "crate::edge::http::extract::present")]
    #[schema(value_type = Option<CredentialId>)]
    pub credential_ref_id: Option<Option<CredentialId>>,
    /// `false` pauses it: no scheduled or requested runs.
    pub enabled: Option<bool>,
}

#[derive(Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct ListSources {
    pub project_id: Option<ProjectId>,
    /// Only sources of this kind (`scan.iac`).
    #[param(value_type = Option<crate::domain::source::config::SourceKind>)]
    pub kind: Option<String>,
    /// `active`, `paused` or `error`.
    pub status: Option<SourceStatus>,
    /// Page size, 1–200 (default 50).
    #[param(minimum = 1, maximum = 200)]
    pub limit: Option<usize>,
    pub cursor: Option<String>,
}

fn not_found() -> ApiError {
    ApiError::NotFound { resource: "source" }
}

/// 422 on `credential_ref_id` unless the credential (as read: `None` when
/// absent) fits `kind`.
fn check_credential(
    kind: SourceKind,
    id: Option<&CredentialId>,
    found: Option<&CredentialRef>,
) -> Result<(), ApiError> {
    let accepted = match kind.credential() {
        CredentialNeed::None => &[][..],
        CredentialNeed::Optional(kinds) | CredentialNeed::Required(kinds) => kinds,
    };
    match (id, found) {
        (None, _) if matches!(kind.credential(), CredentialNeed::Required(_)) => {
            Err(ApiError::field("credential_ref_id", format!("a {} source needs a credential", kind.as_str())))
        }
        (Some(_), None) => Err(ApiError::field("credential_ref_id", "no such credential")),
        (Some(_), Some(credential)) if !accepted.contains(&credential.kind) => {
            let names: Vec<&str> = accepted.iter().map(|k| k.as_str()).collect();
            let detail = if names.is_empty() {
                format!("a {} source takes no credential", kind.as_str())
            } else {
                format!("a {} source takes a credential of kind {}", kind.as_str(), names.join(" or "))
            };
            Err(ApiError::field("credential_ref_id", detail))
        }
        _ => Ok(()),
    }
}

/// The writes that move one use from `old` to `new` (the items as read),
/// each checked against the version read.
pub fn move_use(
    old: Option<&CredentialRef>,
    new: Option<&CredentialRef>,
) -> Result<Vec<(WriteOp, DomainError)>, ApiError> {
    let changed = || DomainError::conflict("credential_changed", "the credential changed meanwhile; retry");
    let now = crate::now();
    let mut ops = Vec::new();
    if old.map(|c| &c.id) == new.map(|c| &c.id) {
        return Ok(ops);
    }
    for (credential, delta) in [(old, -1), (new, 1)] {
        if let Some(c) = credential {
            ops.push((WriteOp::put_if(c.used(delta, now).item()?, Condition::VersionEquals(c.version)), changed()));
        }
    }
    Ok(ops)
}

/// The credentials a change moves a use from (`old`) and to (`new`), read
/// in one batch: each `None` when not named, or named but gone.
pub async fn read_credentials(
    state: &AppState,
    tenant: &TenantId,
    old: Option<&CredentialId>,
    new: Option<&CredentialId>,
) -> Result<(Option<CredentialRef>, Option<CredentialRef>), ApiError> {
    let keys: Vec<_> = old.iter().chain(new.iter()).map(|id| CredentialRef::key(tenant, id)).collect();
    let mut found = state.store.batch_get(&keys).await?.into_iter();
    let mut next = |named: bool| if named { parsed(found.next().flatten().as_ref()) } else { Ok(None) };
    let old = next(old.is_some())?;
    Ok((old, next(new.is_some())?))
}

/// Whether the caller may point `credential` at an endpoint: the member
/// who stored it, or an admin or owner. Otherwise anyone who may write
/// sources could aim someone else's credential at a server of their own.
pub fn may_use(ctx: &TenantContext, credential: &CredentialRef) -> Result<(), ApiError> {
    if ctx.principal().id() == credential.created_by || ctx.can(Permission::OrgUpdate) {
        return Ok(());
    }
    let detail = format!(
        "credential {} was stored by someone else; only they or an admin may point it at an endpoint",
        credential.id
    );
    let refused = ctx.denied(
        "credential_not_yours",
        detail,
        Some(Permission::OrgUpdate),
        "credential",
        Some(credential.id.to_string()),
    );
    Err(refused.into())
}

fn parsed<T: serde::de::DeserializeOwned>(item: Option<&Item>) -> Result<Option<T>, ApiError> {
    item.map(|i| i.parse::<T>()).transpose().map_err(ApiError::from)
}

/// Create a source in a project.
#[utoipa::path(post, path = "/v1/sources", operation_id = "sources.create", tag = "sources", request_body = CreateSource,
    security(("bearer" = [])),
    responses(
        (status = 201, body = Source, headers(("Location" = String), ("ETag" = String))),
        (status = 403, body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such project", body = Problem, content_type = "application/problem+json"),
        (status = 422, body = Problem, content_type = "application/problem+json"),
    ))]
pub async fn create_source(
    State(state): State<AppState>,
    caller: Caller,
    ApiJson(body): ApiJson<CreateSource>,
) -> Result<Created<Source>, ApiError> {
    let display_name = check_display_name(&body.display_name)?;
    let owner = body.owner.as_deref().map(check_owner).transpose()?;
    let config = SourceConfig::parse(
        body.kind,
        body.connector.unwrap_or(Value::Null),
        state.webhook_allowances.local_development,
    )?;
    let project_id = body.project_id;
    let credential_id = body.credential_ref_id;
    let (ctx, items) = caller
        .tenant(&state, Permission::SourcesWrite, |t| {
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
    check_credential(body.kind, credential_id.as_ref(), credential.as_ref())?;
    if let Some(credential) = &credential {
        may_use(&ctx, credential)?;
    }
    let uses = move_use(None, credential.as_ref())?;
    let now = crate::now();
    let source = Source {
        id: SourceId::generate(),
        org_id: ctx.tenant().org().clone(),
        project_id,
        config,
        display_name,
        owner: owner.unwrap_or_else(|| ctx.principal().id().to_owned()),
        status: SourceStatus::Active,
        enabled: body.enabled.unwrap_or(true),
        credential_ref_id: credential_id,
        last_run_at: None,
        last_result: None,
        policy_bindings: Vec::new(),
        region: project.region.clone(),
        created_by: ctx.principal().id().to_owned(),
        version: 1,
        created_at: now,
        updated_at: now,
    }
    .settled();
    let metadata = json!({
        "kind": source.kind().as_str(),
        "display_name": source.display_name,
        "credential_ref_id": source.credential_ref_id,
        "enabled": source.enabled,
    });
    let event = AuditEvent::new(&ctx, "source.created", "source", &source.id, metadata).for_project(&source.project_id);
    let mut mutation = Mutation::new(&ctx, Permission::SourcesWrite)
        .op(WriteOp::put_if(source.item()?, Condition::NotExists), DomainError::concurrent_modification());
    for (op, on_failure) in uses {
        mutation = mutation.op(op, on_failure);
    }
    mutation.commit(state.store.as_ref(), event).await?;
    Ok(Created { location: format!("/v1/sources/{}", source.id), version: source.version, body: source })
}

/// List sources (a key sees its project's, and only the sources it is limited to).
#[utoipa::path(get, path = "/v1/sources", operation_id = "sources.list", tag = "sources", params(ListSources),
    security(("bearer" = [])),
    responses((status = 200, body = ListResponse<Source>), (status = 403, body = Problem, content_type = "application/problem+json")))]
pub async fn list_sources(
    State(state): State<AppState>,
    caller: Caller,
    ApiQuery(params): ApiQuery<ListSources>,
) -> Result<axum::Json<ListResponse<Source>>, ApiError> {
    let paging = Paging::new(params.limit, params.cursor)?;
    let kind = match &params.kind {
        Some(raw) => Some(
            SourceKind::ALL
                .into_iter()
                .find(|k| k.as_str() == raw)
                .ok_or_else(|| ApiError::field("query.kind", format!("`{raw}` is not a source kind")))?,
        ),
        None => None,
    };
    let status = params.status.map(|s| json!(s).to_string());
    // The cursor is bound to the parameters; a key's own project scope is
    // enforced by the filter below.
    let scope_in = |tenant: &TenantId| {
        Cursor::scope(&[
            "sources",
            tenant.as_str(),
            params.project_id.as_ref().map_or("", ProjectId::as_str),
            kind.map_or("", SourceKind::as_str),
            status.as_deref().unwrap_or(""),
        ])
    };
    let (ctx, query, first) = caller
        .tenant_listing(&state, Permission::SourcesRead, |tenant| {
            Ok(Source::query(tenant).limit(paging.limit).start(state.start(&scope_in(tenant), &paging)?))
        })
        .await?;
    if let Some(project) = &params.project_id {
        ctx.require_project(project)?;
    }
    let project = params.project_id.as_ref().or(ctx.project_scope());
    let scope = scope_in(ctx.tenant());
    let limited = ctx.resource_limit(ResourceKind::Source);
    let keep = |item: &Item| {
        item.parse::<Source>().is_ok_and(|s| {
            project.is_none_or(|p| s.project_id == *p)
                && kind.is_none_or(|k| s.kind() == k)
                && params.status.is_none_or(|st| s.status == st)
                && limited.as_ref().is_none_or(|l| l.contains(&ResourceRef::from(&s.id)))
        })
    };
    let page = query_filtered_from(state.store.as_ref(), &query, Some(first), keep).await?;
    Ok(axum::Json(state.list(&scope, page)?))
}

/// Reads a source the caller may act on with `permission`, with the items
/// `extra` names in the same batch.
pub async fn read_with(
    state: &AppState,
    caller: &Caller,
    raw: &str,
    permission: Permission,
    extra: impl FnOnce(&crate::base::tenant::TenantId) -> Vec<crate::ports::store::Key>,
) -> Result<(TenantContext, Source, Vec<Option<Item>>), ApiError> {
    let id = SourceId::parse(raw).map_err(|_| not_found())?;
    let (ctx, mut items) = caller
        .tenant(state, permission, |t| {
            let mut keys = vec![Source::key(t, &id)];
            keys.extend(extra(t));
            keys
        })
        .await?;
    let first = items.remove(0);
    let source: Source = first.as_ref().ok_or_else(not_found)?.parse()?;
    ctx.require_project(&source.project_id)?;
    ctx.require_resource(&ResourceRef::from(&source.id))?;
    Ok((ctx, source, items))
}

/// Reads a source and, in the same round trip, the first page of the query
/// `list` builds for its sub-resources (jobs, evidence).
pub async fn read_listing(
    state: &AppState,
    caller: &Caller,
    raw: &str,
    permission: Permission,
    list: impl FnOnce(&crate::base::tenant::TenantId, &SourceId) -> Result<crate::ports::store::Query, ApiError>,
) -> Result<(TenantContext, Source, crate::ports::store::Query, crate::ports::store::Page), ApiError> {
    let id = SourceId::parse(raw).map_err(|_| not_found())?;
    let (ctx, items, query, first) =
        caller.tenant_listing_with(state, permission, |t| vec![Source::key(t, &id)], |t| list(t, &id)).await?;
    let source: Source = items[0].as_ref().ok_or_else(not_found)?.parse()?;
    ctx.require_project(&source.project_id)?;
    ctx.require_resource(&ResourceRef::from(&source.id))?;
    Ok((ctx, source, query, first))
}

pub async fn read(
    state: &AppState,
    caller: &Caller,
    raw: &str,
    permission: Permission,
) -> Result<(TenantContext, Source), ApiError> {
    read_with(state, caller, raw, permission, |_| vec![]).await.map(|(ctx, source, _)| (ctx, source))
}

/// Get a source.
#[utoipa::path(get, path = "/v1/sources/{source_id}", operation_id = "sources.get", tag = "sources", params(("source_id" = String, Path)),
    security(("bearer" = [])),
    responses((status = 200, body = Source, headers(("ETag" = String))), (status = 404, body = Problem, content_type = "application/problem+json")))]
pub async fn get_source(
    State(state): State<AppState>,
    caller: Caller,
    Path(raw): Path<String>,
) -> Result<Tagged<Source>, ApiError> {
    let (_, source) = read(&state, &caller, &raw, Permission::SourcesRead).await?;
    Ok(Tagged { version: source.version, body: source })
}

/// Change a source: name, owner, configuration, credential, enabled.
/// Honours `If-Match`.
#[utoipa::path(put, path = "/v1/sources/{source_id}", operation_id = "sources.update", tag = "sources", request_body = UpdateSource,
    params(("source_id" = String, Path), ("If-Match" = Option<String>, Header)),
    security(("bearer" = [])),
    responses(
        (status = 200, body = Source, headers(("ETag" = String))),
        (status = 404, body = Problem, content_type = "application/problem+json"),
        (status = 412, body = Problem, content_type = "application/problem+json"),
        (status = 422, body = Problem, content_type = "application/problem+json"),
    ))]
pub async fn update_source(
    State(state): State<AppState>,
    caller: Caller,
    Path(raw): Path<String>,
    if_match: IfMatch,
    ApiJson(body): ApiJson<UpdateSource>,
) -> Result<Tagged<Source>, ApiError> {
    let display_name = body.display_name.as_deref().map(check_display_name).transpose()?;
    let owner = body.owner.as_deref().map(check_owner).transpose()?;
    let (ctx, current) = read(&state, &caller, &raw, Permission::SourcesWrite).await?;
    if_match.check(current.version)?;
    let mut next = current.next_version(crate::now());
    if let Some(connector) = body.connector {
        next.config = SourceConfig::parse(current.kind(), connector, state.webhook_allowances.local_development)?;
    }
    if let Some(name) = display_name {
        next.display_name = name;
    }
    if let Some(owner) = owner {
        next.owner = owner;
    }
    if let Some(enabled) = body.enabled {
        next.enabled = enabled;
    }
    if let Some(credential) = body.credential_ref_id {
        next.credential_ref_id = credential;
    }
    let next = next.settled();
    let mut uses = Vec::new();
    let credential_moved = next.credential_ref_id != current.credential_ref_id;
    let endpoint_moved = next.config.endpoint() != current.config.endpoint();
    if credential_moved || (endpoint_moved && next.credential_ref_id.is_some()) {
        let (old, new) =
            read_credentials(&state, ctx.tenant(), current.credential_ref_id.as_ref(), next.credential_ref_id.as_ref())
                .await?;
        check_credential(current.kind(), next.credential_ref_id.as_ref(), new.as_ref())?;
        if let Some(credential) = &new {
            may_use(&ctx, credential)?;
        }
        if credential_moved {
            uses = move_use(old.as_ref(), new.as_ref())?;
        }
    } else if next.credential_ref_id.is_none() {
        check_credential(current.kind(), None, None)?;
    }
    let changes = diff(&[
        ("display_name", json!(current.display_name), json!(next.display_name)),
        ("owner", json!(current.owner), json!(next.owner)),
        ("connector_changed", json!(false), json!(current.config != next.config)),
        ("credential_ref_id", json!(current.credential_ref_id), json!(next.credential_ref_id)),
        ("enabled", json!(current.enabled), json!(next.enabled)),
    ]);
    if changes["changes"].as_object().is_some_and(|c| c.is_empty()) {
        return Ok(Tagged { version: current.version, body: current });
    }
    let event = AuditEvent::new(&ctx, "source.updated", "source", &next.id, changes).for_project(&next.project_id);
    let mut mutation = Mutation::new(&ctx, Permission::SourcesWrite)
        .op(WriteOp::put_if(next.item()?, Condition::VersionEquals(current.version)), if_match.lost_race());
    for (op, on_failure) in uses {
        mutation = mutation.op(op, on_failure);
    }
    mutation.commit(state.store.as_ref(), event).await?;
    Ok(Tagged { version: next.version, body: next })
}

/// Delete a source, its policy bindings and its credential use. Its
/// evidence stays until the org is deleted; its schedules stop.
#[utoipa::path(delete, path = "/v1/sources/{source_id}", operation_id = "sources.delete", tag = "sources",
    params(("source_id" = String, Path), ("If-Match" = Option<String>, Header)),
    security(("bearer" = [])),
    responses((status = 204, description = "Deleted"), (status = 404, body = Problem, content_type = "application/problem+json")))]
pub async fn delete_source(
    State(state): State<AppState>,
    caller: Caller,
    Path(raw): Path<String>,
    if_match: IfMatch,
    _: NoBody,
) -> Result<StatusCode, ApiError> {
    let (ctx, current) = read(&state, &caller, &raw, Permission::SourcesWrite).await?;
    if_match.check(current.version)?;
    let (old, _) = read_credentials(&state, ctx.tenant(), current.credential_ref_id.as_ref(), None).await?;
    let metadata = json!({ "kind": current.kind().as_str(), "display_name": current.display_name });
    let event =
        AuditEvent::new(&ctx, "source.deleted", "source", &current.id, metadata).for_project(&current.project_id);
    let mut mutation = Mutation::new(&ctx, Permission::SourcesWrite).op(
        WriteOp::delete_if(Source::key(ctx.tenant(), &current.id), Condition::VersionEquals(current.version)),
        if_match.lost_race(),
    );
    for (op, on_failure) in move_use(old.as_ref(), None)? {
        mutation = mutation.op(op, on_failure);
    }
    mutation.commit(state.store.as_ref(), event).await?;
    Ok(StatusCode::NO_CONTENT)
}
