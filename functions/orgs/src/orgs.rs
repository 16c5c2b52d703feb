use axum::extract::{Path, State};
use controlplane::TenantId;
use controlplane::base::rbac::Permission;
use controlplane::base::residency::Region;
use controlplane::domain::Mutation;
use controlplane::domain::audit::{AuditEvent, diff};
use controlplane::domain::member::{Member, Membership};
use controlplane::domain::org::{Org, OrgName, RETENTION_DAYS};
use controlplane::edge::auth::Caller;
use controlplane::edge::error::Problem;
use controlplane::edge::http::{ApiJson, ApiQuery, Created, Cursor, IfMatch, ListResponse, Paging, Tagged};
use controlplane::ports::store::{Condition, WriteOp};
use controlplane::{ApiError, AppState, OrgId};
use serde::Deserialize;
use utoipa::{IntoParams, ToSchema};

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CreateOrg {
    pub name: OrgName,
    /// Where the org's data is kept: one of the regions the deployment
    /// serves (docs/governance.md), its default when absent. Fixed once
    /// created.
    pub region: Option<Region>,
}

/// Fields to change; absent fields keep their value.
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct UpdateOrg {
    pub name: Option<OrgName>,
    /// Days audit events are kept, 30–3650.
    pub audit_retention_days: Option<u32>,
}

#[derive(Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct ListParams {
    /// Page size, 1–200 (default 50).
    #[param(minimum = 1, maximum = 200)]
    pub limit: Option<usize>,
    /// `next_cursor` of the previous page.
    pub cursor: Option<String>,
}

pub(crate) fn org_id(raw: &str) -> Result<OrgId, ApiError> {
    OrgId::parse(raw).map_err(|_| ApiError::NotFound { resource: "organization" })
}

/// Create an organization; the caller becomes its owner.
#[utoipa::path(post, path = "/v1/orgs", operation_id = "orgs.create", tag = "orgs", request_body = CreateOrg,
    security(("bearer" = [])),
    responses(
        (status = 201, description = "Created", body = Org, headers(("Location" = String), ("ETag" = String))),
        (status = 401, body = Problem, content_type = "application/problem+json"),
        (status = 422, body = Problem, content_type = "application/problem+json"),
    ))]
pub async fn create_org(
    State(state): State<AppState>,
    caller: Caller,
    ApiJson(body): ApiJson<CreateOrg>,
) -> Result<Created<Org>, ApiError> {
    caller.outside_tenant(&state).await?;
    let region = state.regions.choose(body.region, None)?;
    let (org, _owner) =
        Org::create(state.store.as_ref(), caller.principal(), caller.meta.clone(), body.name, region).await?;
    Ok(Created { location: format!("/v1/orgs/{}", org.id), version: org.version, body: org })
}

/// List the organizations the caller belongs to.
#[utoipa::path(get, path = "/v1/orgs", operation_id = "orgs.list", tag = "orgs", params(ListParams),
    security(("bearer" = [])),
    responses(
        (status = 200, body = ListResponse<Org>),
        (status = 401, body = Problem, content_type = "application/problem+json"),
    ))]
pub async fn list_orgs(
    State(state): State<AppState>,
    caller: Caller,
    ApiQuery(params): ApiQuery<ListParams>,
) -> Result<axum::Json<ListResponse<Org>>, ApiError> {
    let paging = Paging::new(params.limit, params.cursor)?;
    let user = caller.signed_in_user(&state).await?;
    let scope = Cursor::scope(&["orgs", user.as_str()]);
    let query = caller.memberships_query()?.limit(paging.limit).start(state.start(&scope, &paging)?);
    // The caller's memberships are read alongside the token checks.
    let (checked, page) = tokio::join!(caller.outside_tenant(&state), state.store.query(&query));
    checked?;
    let page = page?;
    let orgs: Vec<TenantId> =
        page.items.iter().map(|i| i.parse::<Membership>().map(|m| m.tenant())).collect::<Result<_, _>>()?;
    // The member item is the authority: read it with the org and keep only
    // orgs the caller still belongs to.
    let keys: Vec<_> = orgs.iter().flat_map(|o| [Org::key(o), Member::key(o, user)]).collect();
    let items = if keys.is_empty() { Vec::new() } else { state.store.batch_get(&keys).await? };
    let data = items
        .chunks(2)
        .filter_map(|pair| match pair {
            [Some(org), Some(_member)] => Some(org.parse::<Org>()),
            _ => None,
        })
        .collect::<Result<Vec<_>, _>>()?;
    Ok(axum::Json(ListResponse { data, next_cursor: state.cursors.encode_opt(&scope, page.next.as_ref()) }))
}

/// Get an organization.
#[utoipa::path(get, path = "/v1/orgs/{org_id}", operation_id = "orgs.get", tag = "orgs",
    params(("org_id" = String, Path, description = "Organization id (`org_…`)")),
    security(("bearer" = [])),
    responses(
        (status = 200, body = Org, headers(("ETag" = String))),
        (status = 401, body = Problem, content_type = "application/problem+json"),
        (status = 404, body = Problem, content_type = "application/problem+json"),
    ))]
pub async fn get_org(
    State(state): State<AppState>,
    caller: Caller,
    Path(raw): Path<String>,
) -> Result<Tagged<Org>, ApiError> {
    let org = org_id(&raw)?;
    let (_ctx, items) = caller.org(&state, &org, Permission::OrgRead, |t| vec![Org::key(t)]).await?;
    let org: Org = items[0].as_ref().ok_or(ApiError::NotFound { resource: "organization" })?.parse()?;
    Ok(Tagged { version: org.version, body: org })
}

async fn apply_update(
    state: AppState,
    caller: Caller,
    raw: String,
    if_match: IfMatch,
    body: UpdateOrg,
) -> Result<Tagged<Org>, ApiError> {
    let org = org_id(&raw)?;
    let (ctx, items) = caller.org(&state, &org, Permission::OrgUpdate, |t| vec![Org::key(t)]).await?;
    let current: Org = items[0].as_ref().ok_or(ApiError::NotFound { resource: "organization" })?.parse()?;
    if_match.check(current.version)?;
    let mut next = current.clone();
    if let Some(name) = body.name {
        next.name = name;
    }
    if let Some(days) = body.audit_retention_days {
        if !RETENTION_DAYS.contains(&days) {
            return Err(ApiError::field(
                "audit_retention_days",
                format!("must be {} to {} days", RETENTION_DAYS.start(), RETENTION_DAYS.end()),
            ));
        }
        next.audit_retention_days = days;
    }
    if next.name == current.name && next.audit_retention_days == current.audit_retention_days {
        return Ok(Tagged { version: current.version, body: current });
    }
    next.version += 1;
    next.updated_at = controlplane::now();
    let changes = diff(&[
        ("name", serde_json::json!(current.name), serde_json::json!(next.name)),
        (
            "audit_retention_days",
            serde_json::json!(current.audit_retention_days),
            serde_json::json!(next.audit_retention_days),
        ),
    ]);
    let event = AuditEvent::new(&ctx, "org.updated", "org", &org, changes);
    Mutation::new(&ctx, Permission::OrgUpdate)
        .op(WriteOp::put_if(next.item()?, Condition::VersionEquals(current.version)), if_match.lost_race())
        .commit(state.store.as_ref(), event)
        .await?;
    Ok(Tagged { version: next.version, body: next })
}

/// Update an organization (admins and owners). Honours `If-Match`.
#[utoipa::path(put, path = "/v1/orgs/{org_id}", operation_id = "orgs.replace", tag = "orgs", request_body = UpdateOrg,
    params(("org_id" = String, Path, description = "Organization id"),
           ("If-Match" = Option<String>, Header, description = "ETag the update applies to")),
    security(("bearer" = [])),
    responses(
        (status = 200, body = Org, headers(("ETag" = String))),
        (status = 403, body = Problem, content_type = "application/problem+json"),
        (status = 404, body = Problem, content_type = "application/problem+json"),
        (status = 412, body = Problem, content_type = "application/problem+json"),
        (status = 422, body = Problem, content_type = "application/problem+json"),
    ))]
pub async fn update_org(
    State(state): State<AppState>,
    caller: Caller,
    Path(raw): Path<String>,
    if_match: IfMatch,
    ApiJson(body): ApiJson<UpdateOrg>,
) -> Result<Tagged<Org>, ApiError> {
    apply_update(state, caller, raw, if_match, body).await
}

/// Same as `PUT`: applies the fields given.
#[utoipa::path(patch, path = "/v1/orgs/{org_id}", operation_id = "orgs.update", tag = "orgs", request_body = UpdateOrg,
    params(("org_id" = String, Path, description = "Organization id"),
           ("If-Match" = Option<String>, Header, description = "ETag the update applies to")),
    security(("bearer" = [])),
    responses((status = 200, body = Org, headers(("ETag" = String))), (status = 412, body = Problem, content_type = "application/problem+json")))]
pub async fn patch_org(
    State(state): State<AppState>,
    caller: Caller,
    Path(raw): Path<String>,
    if_match: IfMatch,
    ApiJson(body): ApiJson<UpdateOrg>,
) -> Result<Tagged<Org>, ApiError> {
    apply_update(state, caller, raw, if_match, body).await
}
