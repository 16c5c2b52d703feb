use std::collections::BTreeSet;

use axum::extract::{Path, State};
use axum::http::StatusCode;
use chrono::{DateTime, Utc};
use controlplane::base::error::DomainError;
use controlplane::base::ids::{KeyId, ProjectId};
use controlplane::base::rbac::Permission;
use controlplane::base::tenant::TenantId;
use controlplane::domain::Mutation;
use controlplane::domain::apikey::{
    self, ApiKey, KeyLookup, KeyName, KeyType, NewToken, ResourceRef, Scope, StoredKey, TokenHash, check_resources,
    check_scopes,
};
use controlplane::domain::audit::{AuditEvent, diff};
use controlplane::domain::keyusage::{self, Usage};
use controlplane::domain::project::Project;
use controlplane::domain::worker::rotation;
use controlplane::edge::auth::Caller;
use controlplane::edge::error::Problem;
use controlplane::edge::http::{
    ApiJson, ApiQuery, Created, Cursor, IfMatch, ListResponse, NoBody, Paging, Revealing, Tagged,
};
use controlplane::ports::store::{Condition, Item, Key, WriteOp, query_filtered_from};
use controlplane::{ApiError, AppState, TenantContext};
use serde::{Deserialize, Serialize};
use serde_json::json;
use utoipa::{IntoParams, ToSchema};

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CreateKey {
    pub project_id: ProjectId,
    pub name: KeyName,
    /// `public` (read-only, client-safe), `secret` (project scopes),
    /// `service_role` (everything in its project) or `mcp` (MCP tool scopes).
    #[serde(rename = "type")]
    pub key_type: KeyType,
    /// Permissions the type allows (e.g. `projects:read`), `*` for all of
    /// them, or for `mcp` keys `mcp:*` / `mcp:tool:<name>`; at least one.
    #[schema(min_items = 1)]
    pub scopes: BTreeSet<Scope>,
    /// Limit the key to these sources (`src_…`) and webhooks (`wh_…`): for
    /// each kind listed, only the listed ids (at most 100). Default: none.
    #[serde(default)]
    pub resources: BTreeSet<ResourceRef>,
    /// When the key stops working (RFC 3339, in the future).
    pub expires_at: Option<DateTime<Utc>>,
}

/// Fields to change; absent fields keep their value.
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct UpdateKey {
    pub name: Option<KeyName>,
    pub enabled: Option<bool>,
    /// The complete new scope list, at least one, of those the key's type
    /// takes.
    #[schema(min_items = 1)]
    pub scopes: Option<BTreeSet<Scope>>,
    /// The complete new resource list (`[]` lifts the limit).
    pub resources: Option<BTreeSet<ResourceRef>>,
    pub expires_at: Option<DateTime<Utc>>,
}

/// A new key with its token: shown once, never again.
#[derive(Serialize, ToSchema)]
pub struct CreatedKey {
    #[serde(flatten)]
    pub key: ApiKey,
    /// The secret token. Store it now: only its hash is kept. Absent from
    /// an `Idempotency-Key` replay (see `secret_withheld`).
    #[schema(required = false)]
    pub token: String,
    /// Only in a replay of an `Idempotency-Key` request, which leaves the
    /// secret out (it is never kept): says so.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub secret_withheld: Option<String>,
}

#[derive(Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct ListKeys {
    /// Only this project's keys.
    pub project_id: Option<ProjectId>,
    /// Page size, 1–200 (default 50).
    #[param(minimum = 1, maximum = 200)]
    pub limit: Option<usize>,
    /// `next_cursor` of the previous page.
    pub cursor: Option<String>,
}

/// Seconds a rotated-out token keeps working, by default and at most.
pub const DEFAULT_GRACE_SECONDS: u64 = 3_600;
pub const MAX_GRACE_SECONDS: u64 = 7 * 24 * 3_600;
/// How long a rotated-out token's lookup outlives its grace, so it is
/// refused as `key_rotated` rather than unknown.
const ROTATED_LOOKUP_SECONDS: i64 = rotation::RECOGNISED_FOR.num_seconds();

#[derive(Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct RotateParams {
    /// Seconds the current token keeps working after the rotation: default
    /// 3600, at most 604800, never past the key's own expiry; 0 ends it now.
    #[param(maximum = 604_800)]
    pub grace_seconds: Option<u64>,
}

fn key_id(raw: &str) -> Result<KeyId, ApiError> {
    KeyId::parse(raw).map_err(|_| not_found())
}

fn not_found() -> ApiError {
    ApiError::NotFound { resource: "API key" }
}

fn future(at: Option<DateTime<Utc>>) -> Result<Option<DateTime<Utc>>, ApiError> {
    match at {
        Some(at) if at <= Utc::now() => Err(ApiError::field("expires_at", "must be in the future")),
        other => Ok(other),
    }
}

/// What a key of `key_type` with `scopes` carries, plus `keys:manage`:
/// 403 unless the caller holds all of it now. A key never grants more than
/// the member who minted, widened, rotated or re-enabled it may do (and at
/// use its permissions are also cut to its creator's current role).
fn within_caller(
    ctx: &TenantContext,
    key_type: KeyType,
    scopes: &BTreeSet<Scope>,
) -> Result<BTreeSet<Permission>, ApiError> {
    let mut carried = apikey::permissions(key_type, scopes);
    ctx.require_all(&carried)?;
    carried.insert(Permission::KeysManage);
    Ok(carried)
}

fn summary(key: &ApiKey) -> serde_json::Value {
    json!({
        "name": key.name, "type": key.key_type, "scopes": key.scopes,
        "resources": key.resources, "project_id": key.project_id,
    })
}

/// Create an API key for a project. The response holds the token, once.
#[utoipa::path(post, path = "/v1/keys", operation_id = "keys.create", tag = "keys", request_body = CreateKey,
    security(("bearer" = [])),
    responses(
        (status = 201, body = CreatedKey, headers(("Location" = String), ("ETag" = String))),
        (status = 403, body = Problem, content_type = "application/problem+json"),
        (status = 422, body = Problem, content_type = "application/problem+json"),
    ))]
pub async fn create_key(
    State(state): State<AppState>,
    caller: Caller,
    ApiJson(body): ApiJson<CreateKey>,
) -> Result<Revealing<Created<CreatedKey>>, ApiError> {
    let (ctx, items) =
        caller.tenant(&state, Permission::KeysManage, |t| vec![Project::key(t, &body.project_id)]).await?;
    let live_project = items[0].as_ref().map(Item::parse::<Project>).transpose()?.filter(|p| !p.is_deleted());
    if live_project.is_none() {
        return Err(ApiError::field("project_id", "no such project in this organization"));
    }
    check_scopes(body.key_type, &body.scopes)?;
    check_resources(&body.resources)?;
    let carried = within_caller(&ctx, body.key_type, &body.scopes)?;
    let expires_at = future(body.expires_at)?;
    let token = NewToken::generate(body.key_type);
    let now = controlplane::now();
    let key = ApiKey {
        id: KeyId::generate(),
        org_id: ctx.tenant().org().clone(),
        project_id: body.project_id,
        name: body.name,
        key_type: body.key_type,
        scopes: body.scopes,
        resources: body.resources,
        prefix: body.key_type.token_prefix().to_owned(),
        last4: token.last4(),
        enabled: true,
        expires_at,
        revoked_at: None,
        previous_token_valid_until: None,
        created_by: ctx.principal().id().to_owned(),
        version: 1,
        created_at: now,
        updated_at: now,
    };
    let stored =
        StoredKey { key: key.clone(), hashes: vec![TokenHash { hash: token.hash.clone(), valid_until: None }] };
    let event = AuditEvent::new(&ctx, "key.created", "key", &key.id, summary(&key)).for_project(&key.project_id);
    Mutation::requiring(&ctx, &carried)
        .op(WriteOp::put_if(stored.item()?, Condition::NotExists), DomainError::concurrent_modification())
        .op(
            WriteOp::put_if(KeyLookup::item(&token.hash, &key, None)?, Condition::NotExists),
            DomainError::concurrent_modification(),
        )
        .commit(state.store.as_ref(), event)
        .await?;
    Ok(Revealing(
        Created {
            location: format!("/v1/keys/{}", key.id),
            version: key.version,
            body: CreatedKey { key, token: token.token, secret_withheld: None },
        },
        &["token"],
    ))
}

/// List the organization's API keys (never their tokens).
#[utoipa::path(get, path = "/v1/keys", operation_id = "keys.list", tag = "keys", params(ListKeys), security(("bearer" = [])),
    responses((status = 200, body = ListResponse<ApiKey>), (status = 403, body = Problem, content_type = "application/problem+json")))]
pub async fn list_keys(
    State(state): State<AppState>,
    caller: Caller,
    ApiQuery(params): ApiQuery<ListKeys>,
) -> Result<axum::Json<ListResponse<ApiKey>>, ApiError> {
    let paging = Paging::new(params.limit, params.cursor)?;
    let project = params.project_id.as_ref().map_or("", |p| p.as_str());
    let scope_in = |tenant: &TenantId| Cursor::scope(&["keys", tenant.as_str(), project]);
    let (ctx, query, first) = caller
        .tenant_listing(&state, Permission::KeysManage, |tenant| {
            Ok(StoredKey::query(tenant).limit(paging.limit).start(state.start(&scope_in(tenant), &paging)?))
        })
        .await?;
    let scope = scope_in(ctx.tenant());
    let keep = |item: &Item| {
        params
            .project_id
            .as_ref()
            .is_none_or(|p| item.data.get("project_id").and_then(|v| v.as_str()) == Some(p.as_str()))
    };
    let page = query_filtered_from(state.store.as_ref(), &query, Some(first), keep).await?;
    let data = page.items.iter().map(|i| i.parse::<StoredKey>().map(|s| s.key)).collect::<Result<Vec<_>, _>>()?;
    Ok(axum::Json(ListResponse { data, next_cursor: state.cursors.encode_opt(&scope, page.next.as_ref()) }))
}

/// Reads a key for the caller, who must manage keys.
async fn read_key(state: &AppState, caller: &Caller, raw: &str) -> Result<(TenantContext, StoredKey), ApiError> {
    let id = key_id(raw)?;
    let (ctx, items) = caller.tenant(state, Permission::KeysManage, |t| vec![StoredKey::key(t, &id)]).await?;
    let stored: StoredKey = items[0].as_ref().ok_or_else(not_found)?.parse()?;
    Ok((ctx, stored))
}

/// Get an API key (never its token).
#[utoipa::path(get, path = "/v1/keys/{key_id}", operation_id = "keys.get", tag = "keys", params(("key_id" = String, Path)), security(("bearer" = [])),
    responses((status = 200, body = ApiKey, headers(("ETag" = String))), (status = 404, body = Problem, content_type = "application/problem+json")))]
pub async fn get_key(
    State(state): State<AppState>,
    caller: Caller,
    Path(raw): Path<String>,
) -> Result<Tagged<ApiKey>, ApiError> {
    let (_ctx, stored) = read_key(&state, &caller, &raw).await?;
    Ok(Tagged { version: stored.key.version, body: stored.key })
}

/// Change a key's name, enabled flag, scopes (within its type), resources or expiry.
#[utoipa::path(patch, path = "/v1/keys/{key_id}", operation_id = "keys.update", tag = "keys", request_body = UpdateKey,
    params(("key_id" = String, Path), ("If-Match" = Option<String>, Header, description = "ETag the update applies to")),
    security(("bearer" = [])),
    responses(
        (status = 200, body = ApiKey, headers(("ETag" = String))),
        (status = 404, body = Problem, content_type = "application/problem+json"),
        (status = 412, body = Problem, content_type = "application/problem+json"),
        (status = 422, body = Problem, content_type = "application/problem+json"),
    ))]
pub async fn update_key(
    State(state): State<AppState>,
    caller: Caller,
    Path(raw): Path<String>,
    if_match: IfMatch,
    ApiJson(body): ApiJson<UpdateKey>,
) -> Result<Tagged<ApiKey>, ApiError> {
    let (ctx, current) = read_key(&state, &caller, &raw).await?;
    if_match.check(current.key.version)?;
    let mut next = current.clone();
    if let Some(name) = body.name {
        next.key.name = name;
    }
    if let Some(enabled) = body.enabled {
        next.key.enabled = enabled;
    }
    if let Some(scopes) = body.scopes {
        check_scopes(next.key.key_type, &scopes)?;
        next.key.scopes = scopes;
    }
    if let Some(resources) = body.resources {
        check_resources(&resources)?;
        next.key.resources = resources;
    }
    if let Some(expires_at) = future(body.expires_at)? {
        next.key.expires_at = Some(expires_at);
    }
    let (old, new) = (&current.key, &next.key);
    let changes = diff(&[
        ("name", json!(old.name), json!(new.name)),
        ("enabled", json!(old.enabled), json!(new.enabled)),
        ("scopes", json!(old.scopes), json!(new.scopes)),
        ("resources", json!(old.resources), json!(new.resources)),
        ("expires_at", json!(old.expires_at), json!(new.expires_at)),
    ]);
    if changes["changes"].as_object().is_some_and(|c| c.is_empty()) {
        return Ok(Tagged { version: current.key.version, body: current.key });
    }
    // Renaming or disabling takes nothing from anyone; every other change
    // (scopes, resources, expiry, enabling) is a grant the caller must hold.
    let grants = old.scopes != new.scopes
        || old.resources != new.resources
        || old.expires_at != new.expires_at
        || (new.enabled && !old.enabled);
    let required = match grants {
        true => within_caller(&ctx, new.key_type, &new.scopes)?,
        false => BTreeSet::from([Permission::KeysManage]),
    };
    next.key.version += 1;
    next.key.updated_at = controlplane::now();
    let event = AuditEvent::new(&ctx, "key.updated", "key", &next.key.id, changes).for_project(&next.key.project_id);
    Mutation::requiring(&ctx, &required)
        .op(WriteOp::put_if(next.item()?, Condition::VersionEquals(current.key.version)), if_match.lost_race())
        .commit(state.store.as_ref(), event)
        .await?;
    Ok(Tagged { version: next.key.version, body: next.key })
}

/// Issue a new token. The current one keeps working for the grace period;
/// a key has at most two live tokens, so rotating again drops the oldest.
#[utoipa::path(put, path = "/v1/keys/{key_id}/rotate", operation_id = "keys.rotate", tag = "keys", params(("key_id" = String, Path), RotateParams),
    security(("bearer" = [])),
    responses(
        (status = 200, body = CreatedKey, headers(("ETag" = String))),
        (status = 404, body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "Revoked", body = Problem, content_type = "application/problem+json"),
        (status = 422, body = Problem, content_type = "application/problem+json"),
    ))]
pub async fn rotate_key(
    State(state): State<AppState>,
    caller: Caller,
    Path(raw): Path<String>,
    ApiQuery(params): ApiQuery<RotateParams>,
    _: NoBody,
) -> Result<Revealing<Tagged<CreatedKey>>, ApiError> {
    let grace = params.grace_seconds.unwrap_or(DEFAULT_GRACE_SECONDS);
    if grace > MAX_GRACE_SECONDS {
        return Err(ApiError::field("query.grace_seconds", format!("must be at most {MAX_GRACE_SECONDS}")));
    }
    let (ctx, current) = read_key(&state, &caller, &raw).await?;
    if current.key.revoked_at.is_some() {
        return Err(ApiError::conflict("key_revoked", "a revoked key cannot be rotated; create a new key"));
    }
    // A new token is the key anew: only for who may grant all it carries.
    let required = within_caller(&ctx, current.key.key_type, &current.key.scopes)?;
    let now = controlplane::now();
    let grace_end = current.key.expires_at.map_or(now + chrono::TimeDelta::seconds(grace as i64), |at| {
        at.min(now + chrono::TimeDelta::seconds(grace as i64))
    });
    let token = NewToken::generate(current.key.key_type);
    let (live, dropped): (Vec<&TokenHash>, Vec<&TokenHash>) =
        current.hashes.iter().partition(|h| h.valid_until.is_none());
    let mut next = current.clone();
    next.hashes = std::iter::once(TokenHash { hash: token.hash.clone(), valid_until: None })
        .chain(live.iter().map(|h| TokenHash { hash: h.hash.clone(), valid_until: Some(grace_end) }))
        .collect();
    next.key.last4 = token.last4();
    next.key.previous_token_valid_until = Some(grace_end);
    next.key.updated_at = now;
    next.key.version += 1;
    let metadata = json!({ "grace_seconds": grace, "previous_token_valid_until": grace_end });
    let event = AuditEvent::new(&ctx, "key.rotated", "key", &next.key.id, metadata).for_project(&next.key.project_id);
    let lookup_until = grace_end.timestamp() + ROTATED_LOOKUP_SECONDS;
    let mut mutation = Mutation::requiring(&ctx, &required)
        .op(
            WriteOp::put_if(next.item()?, Condition::VersionEquals(current.key.version)),
            DomainError::concurrent_modification(),
        )
        .op(
            WriteOp::put_if(KeyLookup::item(&token.hash, &next.key, None)?, Condition::NotExists),
            DomainError::concurrent_modification(),
        );
    for previous in &live {
        let lookup = KeyLookup::item(&previous.hash, &next.key, Some(lookup_until))?;
        mutation = mutation.op(WriteOp::put(lookup), DomainError::concurrent_modification());
    }
    for gone in &dropped {
        mutation = mutation.op(WriteOp::delete(Key::key_hash(&gone.hash)), DomainError::concurrent_modification());
    }
    let retire = (!live.is_empty()).then(|| rotation::retire_job(&ctx, &current, grace_end, now));
    if let Some(job) = &retire {
        mutation =
            mutation.op(WriteOp::put_if(job.item()?, Condition::NotExists), DomainError::concurrent_modification());
    }
    mutation.commit(state.store.as_ref(), event).await?;
    if let Some(job) = &retire {
        state.enqueue(job).await;
    }
    let body = CreatedKey { key: next.key, token: token.token, secret_withheld: None };
    Ok(Revealing(Tagged { version: body.key.version, body }, &["token"]))
}

#[derive(Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct UsageParams {
    /// How many of the latest days with requests (default 30, max 90).
    #[param(minimum = 1, maximum = 90)]
    pub days: Option<usize>,
}

/// A key's requests per day and route class, and its last use. Counts are
/// written in batches (every 10 s or 100 requests per process).
#[utoipa::path(get, path = "/v1/keys/{key_id}/usage", operation_id = "keys.usage", tag = "keys", params(("key_id" = String, Path), UsageParams),
    security(("bearer" = [])),
    responses((status = 200, body = Usage), (status = 404, body = Problem, content_type = "application/problem+json")))]
pub async fn key_usage(
    State(state): State<AppState>,
    caller: Caller,
    Path(raw): Path<String>,
    ApiQuery(params): ApiQuery<UsageParams>,
) -> Result<axum::Json<Usage>, ApiError> {
    let days = params.days.unwrap_or(30);
    if !(1..=keyusage::RETENTION_DAYS as usize).contains(&days) {
        return Err(ApiError::field("query.days", "must be between 1 and 90"));
    }
    // The usage page is read with the key and the credential check.
    let id = key_id(&raw)?;
    let (_, items, _, page) = caller
        .tenant_listing_with(
            &state,
            Permission::KeysManage,
            |t| vec![StoredKey::key(t, &id)],
            |t| Ok(keyusage::query(t, &id, days)),
        )
        .await?;
    let stored: StoredKey = items[0].as_ref().ok_or_else(not_found)?.parse()?;
    Ok(axum::Json(keyusage::summarize(&stored.key.id, days, &page)?))
}

/// Revoke a key: every token of it fails from the next request on.
#[utoipa::path(delete, path = "/v1/keys/{key_id}/revoke", operation_id = "keys.revoke", tag = "keys", params(("key_id" = String, Path)), security(("bearer" = [])),
    responses((status = 200, body = ApiKey), (status = 404, body = Problem, content_type = "application/problem+json")))]
pub async fn revoke_key(
    State(state): State<AppState>,
    caller: Caller,
    Path(raw): Path<String>,
    _: NoBody,
) -> Result<Tagged<ApiKey>, ApiError> {
    let (ctx, current) = read_key(&state, &caller, &raw).await?;
    if current.key.revoked_at.is_some() {
        return Ok(Tagged { version: current.key.version, body: current.key });
    }
    let mut next = current.clone();
    let now = controlplane::now();
    next.key.revoked_at = Some(now);
    next.key.updated_at = now;
    next.key.version += 1;
    let event =
        AuditEvent::new(&ctx, "key.revoked", "key", &next.key.id, summary(&next.key)).for_project(&next.key.project_id);
    Mutation::new(&ctx, Permission::KeysManage)
        .op(
            WriteOp::put_if(next.item()?, Condition::VersionEquals(current.key.version)),
            DomainError::concurrent_modification(),
        )
        .commit(state.store.as_ref(), event)
        .await?;
    Ok(Tagged { version: next.key.version, body: next.key })
}

/// Delete a key and every lookup of its tokens.
#[utoipa::path(delete, path = "/v1/keys/{key_id}", operation_id = "keys.delete", tag = "keys",
    params(("key_id" = String, Path), ("If-Match" = Option<String>, Header, description = "ETag the delete applies to")),
    security(("bearer" = [])),
    responses((status = 204, description = "Deleted"), (status = 404, body = Problem, content_type = "application/problem+json")))]
pub async fn delete_key(
    State(state): State<AppState>,
    caller: Caller,
    Path(raw): Path<String>,
    if_match: IfMatch,
    _: NoBody,
) -> Result<StatusCode, ApiError> {
    let (ctx, current) = read_key(&state, &caller, &raw).await?;
    if_match.check(current.key.version)?;
    let event = AuditEvent::new(&ctx, "key.deleted", "key", &current.key.id, summary(&current.key))
        .for_project(&current.key.project_id);
    let mut mutation = Mutation::new(&ctx, Permission::KeysManage).op(
        WriteOp::delete_if(
            StoredKey::key(ctx.tenant(), &current.key.id),
            Condition::VersionEquals(current.key.version),
        ),
        if_match.lost_race(),
    );
    for hash in &current.hashes {
        mutation = mutation.op(WriteOp::delete(Key::key_hash(&hash.hash)), DomainError::concurrent_modification());
    }
    mutation.commit(state.store.as_ref(), event).await?;
    Ok(StatusCode::NO_CONTENT)
}
