use std::collections::{BTreeMap, BTreeSet};

use axum::extract::{Path, State};
use controlplane::base::rbac::{Permission, RoleName, RoleSet};
use controlplane::domain::Mutation;
use controlplane::domain::audit::{AuditEvent, diff};
use controlplane::domain::member::Member;
use controlplane::domain::roles;
use controlplane::edge::auth::Caller;
use controlplane::edge::error::Problem;
use controlplane::edge::http::{ApiJson, IfMatch, Tagged};
use controlplane::ports::store::{Condition, Page, Query, WriteOp, all_from};
use controlplane::{ApiError, AppState};
use serde::{Deserialize, Serialize};
use serde_json::json;
use utoipa::ToSchema;

use crate::orgs::org_id;

#[derive(Serialize, ToSchema)]
pub struct RoleView {
    pub name: RoleName,
    pub permissions: Vec<Permission>,
    /// One of owner, admin, developer, viewer.
    pub builtin: bool,
    /// False only for `owner`, which always grants every permission.
    pub editable: bool,
}

#[derive(Serialize, ToSchema)]
pub struct Roles {
    pub roles: Vec<RoleView>,
    pub version: u64,
}

/// The complete set of roles after the edit. Roles left out are removed;
/// `owner` may be left out or repeated unchanged.
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct EditRoles {
    #[schema(example = json!({"admin": ["org:read", "org:update"], "auditor": ["org:read", "audit:read"]}))]
    pub roles: BTreeMap<RoleName, BTreeSet<Permission>>,
}

fn view(set: &RoleSet, version: u64) -> Tagged<Roles> {
    let roles = set
        .iter()
        .map(|(name, permissions)| RoleView {
            name: name.clone(),
            permissions: permissions.iter().copied().collect(),
            builtin: RoleSet::is_builtin(name),
            editable: !name.is_owner(),
        })
        .collect();
    Tagged { version, body: Roles { roles, version } }
}

/// Every member, from the first page (read with the credential check) on
/// (orgs are small; pages of 200), to find who holds a role.
async fn members(state: &AppState, query: Query, first: Page) -> Result<Vec<Member>, ApiError> {
    let items = all_from(state.store.as_ref(), query, first).await?;
    Ok(items.iter().map(|i| i.parse::<Member>()).collect::<Result<_, _>>()?)
}

/// The organization's roles and the permissions each grants.
#[utoipa::path(get, path = "/v1/orgs/{org_id}/roles", operation_id = "orgs.roles.get", tag = "orgs", params(("org_id" = String, Path)),
    security(("bearer" = [])),
    responses((status = 200, body = Roles, headers(("ETag" = String))), (status = 404, body = Problem, content_type = "application/problem+json")))]
pub async fn get_roles(
    State(state): State<AppState>,
    caller: Caller,
    Path(raw): Path<String>,
) -> Result<Tagged<Roles>, ApiError> {
    let org = org_id(&raw)?;
    let (ctx, _) = caller.org(&state, &org, Permission::OrgRead, |_| vec![]).await?;
    Ok(view(ctx.roles(), ctx.roles_version()))
}

/// Replace the organization's roles (owners). Applies from the next request.
#[utoipa::path(put, path = "/v1/orgs/{org_id}/roles", operation_id = "orgs.roles.set", tag = "orgs", request_body = EditRoles,
    params(("org_id" = String, Path), ("If-Match" = Option<String>, Header, description = "ETag the edit applies to")),
    security(("bearer" = [])),
    responses(
        (status = 200, body = Roles, headers(("ETag" = String))),
        (status = 403, body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "A removed role is still held by members", body = Problem, content_type = "application/problem+json"),
        (status = 412, body = Problem, content_type = "application/problem+json"),
        (status = 422, body = Problem, content_type = "application/problem+json"),
    ))]
pub async fn put_roles(
    State(state): State<AppState>,
    caller: Caller,
    Path(raw): Path<String>,
    if_match: IfMatch,
    ApiJson(body): ApiJson<EditRoles>,
) -> Result<Tagged<Roles>, ApiError> {
    let org = org_id(&raw)?;
    // The members (who must not hold a removed role) are read alongside the
    // credential check: one read round trip for an org of up to 200.
    let (ctx, query, page) =
        caller.org_listing(&state, &org, Permission::RolesManage, |t| Ok(Member::query(t).limit(200))).await?;
    let version = ctx.roles_version();
    if_match.check(version)?;
    let next = RoleSet::from_edit(body.roles).map_err(|e| ApiError::field("roles", e.to_string()))?;
    if let Some(held) = members(&state, query, page).await?.iter().find(|m| !next.contains(&m.role)) {
        return Err(ApiError::conflict(
            "role_in_use",
            format!("members still hold role `{}`; change their role before removing it", held.role),
        ));
    }
    let names: BTreeSet<&RoleName> = ctx.roles().iter().chain(next.iter()).map(|(name, _)| name).collect();
    let changes: Vec<(&str, serde_json::Value, serde_json::Value)> = names
        .into_iter()
        .map(|name| {
            let permissions = |set: &RoleSet| set.iter().find(|(n, _)| *n == name).map(|(_, p)| json!(p));
            (name.as_str(), json!(permissions(ctx.roles())), json!(permissions(&next)))
        })
        .collect();
    let event = AuditEvent::new(&ctx, "roles.updated", "roles", &org, diff(&changes));
    Mutation::new(&ctx, Permission::RolesManage)
        .op(
            WriteOp::put_if(roles::item(ctx.tenant(), &next, version + 1)?, Condition::unchanged_since(version)),
            if_match.lost_race(),
        )
        .commit(state.store.as_ref(), event)
        .await?;
    Ok(view(&next, version + 1))
}
