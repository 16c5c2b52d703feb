use axum::extract::{Path, State};
use axum::http::StatusCode;
use controlplane::base::error::DomainError;
use controlplane::base::rbac::{Permission, RoleName};
use controlplane::base::user::{Email, UserId};
use controlplane::domain::Mutation;
use controlplane::domain::audit::{AuditEvent, diff};
use controlplane::domain::member::{Member, Membership, OwnerCount};
use controlplane::domain::user::{EmailLookup, UserProfile};
use controlplane::edge::auth::Caller;
use controlplane::edge::error::Problem;
use controlplane::edge::http::{ApiJson, ApiQuery, Created, Cursor, IfMatch, ListResponse, NoBody, Paging, Tagged};
use controlplane::ports::store::{Condition, Item, Key, WriteOp};
use controlplane::{ApiError, AppState, TenantContext};
use serde::Deserialize;
use utoipa::ToSchema;

use crate::orgs::{ListParams, org_id};

/// Add a member by `user_id` or by `email` (a user who has signed in).
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct AddMember {
    pub user_id: Option<UserId>,
    pub email: Option<Email>,
    /// A role of the organization (see `GET /v1/orgs/{org_id}/roles`).
    pub role: RoleName,
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct UpdateMember {
    pub role: RoleName,
}

/// Who `AddMember` names.
enum Invitee {
    User(UserId),
    Email(Email),
}

fn user_id(raw: &str) -> Result<UserId, ApiError> {
    UserId::parse(raw).map_err(|_| ApiError::NotFound { resource: "member" })
}

fn last_owner() -> ApiError {
    ApiError::conflict("last_owner", "an organization keeps at least one owner; promote another member first")
}

fn owners(item: Option<&Item>) -> Result<OwnerCount, ApiError> {
    Ok(OwnerCount::from_item(item.ok_or_else(|| DomainError::Internal("owner count missing".into()))?)?)
}

/// 422 unless the org has the role.
fn existing_role(ctx: &TenantContext, role: &RoleName) -> Result<(), ApiError> {
    if ctx.roles().contains(role) {
        Ok(())
    } else {
        Err(ApiError::field(
            "role",
            format!("this organization has no role `{role}`; see GET /v1/orgs/{{org_id}}/roles"),
        ))
    }
}

/// Adds the owner-count change (if any) of a role change to a mutation.
fn with_owner_change(
    mutation: Mutation,
    ctx: &TenantContext,
    owners: &OwnerCount,
    from: Option<&RoleName>,
    to: Option<&RoleName>,
) -> Result<Mutation, ApiError> {
    let delta = i64::from(to.is_some_and(RoleName::is_owner)) - i64::from(from.is_some_and(RoleName::is_owner));
    if delta == 0 {
        return Ok(mutation);
    }
    if owners.count as i64 + delta < 1 {
        return Err(last_owner());
    }
    let next = owners.changed_by(delta);
    Ok(mutation.op(
        WriteOp::put_if(next.item(ctx.tenant())?, Condition::VersionEquals(owners.version)),
        DomainError::concurrent_modification(),
    ))
}

/// List an organization's members.
#[utoipa::path(get, path = "/v1/orgs/{org_id}/members", operation_id = "orgs.members.list", tag = "orgs", params(("org_id" = String, Path), ListParams),
    security(("bearer" = [])),
    responses((status = 200, body = ListResponse<Member>), (status = 404, body = Problem, content_type = "application/problem+json")))]
pub async fn list_members(
    State(state): State<AppState>,
    caller: Caller,
    Path(raw): Path<String>,
    ApiQuery(params): ApiQuery<ListParams>,
) -> Result<axum::Json<ListResponse<Member>>, ApiError> {
    let org = org_id(&raw)?;
    let paging = Paging::new(params.limit, params.cursor)?;
    let scope = Cursor::scope(&["members", org.as_str()]);
    let (_, _, page) = caller
        .org_listing(&state, &org, Permission::MembersRead, |tenant| {
            Ok(Member::query(tenant).limit(paging.limit).start(state.start(&scope, &paging)?))
        })
        .await?;
    Ok(axum::Json(state.list(&scope, page)?))
}

/// Add a member (owners only).
#[utoipa::path(post, path = "/v1/orgs/{org_id}/members", operation_id = "orgs.members.add", tag = "orgs", params(("org_id" = String, Path)),
    request_body = AddMember, security(("bearer" = [])),
    responses(
        (status = 201, body = Member, headers(("Location" = String), ("ETag" = String))),
        (status = 403, body = Problem, content_type = "application/problem+json"),
        (status = 404, body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "Already a member", body = Problem, content_type = "application/problem+json"),
        (status = 422, body = Problem, content_type = "application/problem+json"),
    ))]
pub async fn add_member(
    State(state): State<AppState>,
    caller: Caller,
    Path(raw): Path<String>,
    ApiJson(body): ApiJson<AddMember>,
) -> Result<Created<Member>, ApiError> {
    let org = org_id(&raw)?;
    let invitee = match (body.user_id, body.email.clone()) {
        (Some(user), None) => Invitee::User(user),
        (None, Some(email)) => Invitee::Email(email),
        _ => return Err(ApiError::field("user_id", "give exactly one of `user_id` and `email`")),
    };
    let (ctx, items) = caller
        .org(&state, &org, Permission::MembersManage, |t| match &invitee {
            Invitee::User(user) => vec![OwnerCount::key(t), Member::key(t, user), UserProfile::key(user)],
            Invitee::Email(email) => vec![OwnerCount::key(t), Key::email(email.as_str())],
        })
        .await?;
    existing_role(&ctx, &body.role)?;
    let owner_count = owners(items[0].as_ref())?;
    let (user, existing, profile) = match invitee {
        Invitee::User(user) => (user, items[1].clone(), items[2].clone()),
        Invitee::Email(_) => {
            let lookup: EmailLookup = items[1]
                .as_ref()
                .ok_or_else(|| {
                    ApiError::field("email", "no user with this email has signed in yet; add them by `user_id`")
                })?
                .parse()?;
            let user = lookup.user_id;
            let mut found = state.store.batch_get(&[Member::key(ctx.tenant(), &user), UserProfile::key(&user)]).await?;
            let profile = found.pop().flatten();
            (user, found.pop().flatten(), profile)
        }
    };
    let already =
        || DomainError::conflict("already_member", "this user is already a member; change their role with PUT");
    if existing.is_some() {
        return Err(already().into());
    }
    let email = profile.map(|p| p.parse::<UserProfile>()).transpose()?.and_then(|p| p.email).or(body.email);
    let member = Member::new(ctx.tenant().org(), user.clone(), email, body.role, ctx.principal().id().to_owned());
    let event = AuditEvent::new(&ctx, "member.added", "member", &user, serde_json::json!({ "role": member.role }));
    let mutation = Mutation::new(&ctx, Permission::MembersManage)
        .op(WriteOp::put_if(member.item()?, Condition::NotExists), already())
        .op(WriteOp::put(Membership::item(ctx.tenant().org(), &user)?), DomainError::concurrent_modification());
    with_owner_change(mutation, &ctx, &owner_count, None, Some(&member.role))?
        .commit(state.store.as_ref(), event)
        .await?;
    Ok(Created {
        location: format!("/v1/orgs/{}/members/{}", ctx.tenant(), user),
        version: member.version,
        body: member,
    })
}

async fn change_role(
    state: AppState,
    caller: Caller,
    (raw_org, raw_user): (String, String),
    if_match: IfMatch,
    body: UpdateMember,
) -> Result<Tagged<Member>, ApiError> {
    let org = org_id(&raw_org)?;
    let user = user_id(&raw_user)?;
    let (ctx, items) = caller
        .org(&state, &org, Permission::MembersManage, |t| vec![Member::key(t, &user), OwnerCount::key(t)])
        .await?;
    let current: Member = items[0].as_ref().ok_or(ApiError::NotFound { resource: "member" })?.parse()?;
    if_match.check(current.version)?;
    existing_role(&ctx, &body.role)?;
    if current.role == body.role {
        return Ok(Tagged { version: current.version, body: current });
    }
    let owner_count = owners(items[1].as_ref())?;
    let mut next = current.clone();
    next.role = body.role.clone();
    next.version += 1;
    next.updated_at = controlplane::now();
    let changes = diff(&[("role", serde_json::json!(current.role), serde_json::json!(next.role))]);
    let event = AuditEvent::new(&ctx, "member.updated", "member", &user, changes);
    let mutation = Mutation::new(&ctx, Permission::MembersManage)
        .op(WriteOp::put_if(next.item()?, Condition::VersionEquals(current.version)), if_match.lost_race());
    with_owner_change(mutation, &ctx, &owner_count, Some(&current.role), Some(&next.role))?
        .commit(state.store.as_ref(), event)
        .await?;
    Ok(Tagged { version: next.version, body: next })
}

/// Change a member's role (owners only). The last owner cannot be demoted.
#[utoipa::path(put, path = "/v1/orgs/{org_id}/members/{user_id}", operation_id = "orgs.members.replace", tag = "orgs",
    params(("org_id" = String, Path), ("user_id" = String, Path),
           ("If-Match" = Option<String>, Header, description = "ETag the update applies to")),
    request_body = UpdateMember, security(("bearer" = [])),
    responses(
        (status = 200, body = Member, headers(("ETag" = String))),
        (status = 403, body = Problem, content_type = "application/problem+json"),
        (status = 404, body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "Last owner", body = Problem, content_type = "application/problem+json"),
        (status = 412, body = Problem, content_type = "application/problem+json"),
    ))]
pub async fn update_member(
    State(state): State<AppState>,
    caller: Caller,
    Path(path): Path<(String, String)>,
    if_match: IfMatch,
    ApiJson(body): ApiJson<UpdateMember>,
) -> Result<Tagged<Member>, ApiError> {
    change_role(state, caller, path, if_match, body).await
}

/// Same as `PUT`.
#[utoipa::path(patch, path = "/v1/orgs/{org_id}/members/{user_id}", operation_id = "orgs.members.update", tag = "orgs",
    params(("org_id" = String, Path), ("user_id" = String, Path),
           ("If-Match" = Option<String>, Header, description = "ETag the update applies to")),
    request_body = UpdateMember, security(("bearer" = [])),
    responses((status = 200, body = Member, headers(("ETag" = String))), (status = 409, body = Problem, content_type = "application/problem+json")))]
pub async fn patch_member(
    State(state): State<AppState>,
    caller: Caller,
    Path(path): Path<(String, String)>,
    if_match: IfMatch,
    ApiJson(body): ApiJson<UpdateMember>,
) -> Result<Tagged<Member>, ApiError> {
    change_role(state, caller, path, if_match, body).await
}

/// Remove a member (owners only). The last owner cannot be removed.
#[utoipa::path(delete, path = "/v1/orgs/{org_id}/members/{user_id}", operation_id = "orgs.members.remove", tag = "orgs",
    params(("org_id" = String, Path), ("user_id" = String, Path),
           ("If-Match" = Option<String>, Header, description = "ETag the removal applies to")),
    security(("bearer" = [])),
    responses(
        (status = 204, description = "Removed"),
        (status = 403, body = Problem, content_type = "application/problem+json"),
        (status = 404, body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "Last owner", body = Problem, content_type = "application/problem+json"),
    ))]
pub async fn remove_member(
    State(state): State<AppState>,
    caller: Caller,
    Path((raw_org, raw_user)): Path<(String, String)>,
    if_match: IfMatch,
    _: NoBody,
) -> Result<StatusCode, ApiError> {
    let org = org_id(&raw_org)?;
    let user = user_id(&raw_user)?;
    let (ctx, items) = caller
        .org(&state, &org, Permission::MembersManage, |t| vec![Member::key(t, &user), OwnerCount::key(t)])
        .await?;
    let current: Member = items[0].as_ref().ok_or(ApiError::NotFound { resource: "member" })?.parse()?;
    if_match.check(current.version)?;
    let owner_count = owners(items[1].as_ref())?;
    let event = AuditEvent::new(&ctx, "member.removed", "member", &user, serde_json::json!({ "role": current.role }));
    let mutation = Mutation::new(&ctx, Permission::MembersManage)
        .op(
            WriteOp::delete_if(Member::key(ctx.tenant(), &user), Condition::VersionEquals(current.version)),
            if_match.lost_race(),
        )
        .op(WriteOp::delete(Membership::key(&user, ctx.tenant().org())), DomainError::concurrent_modification());
    with_owner_change(mutation, &ctx, &owner_count, Some(&current.role), None)?
        .commit(state.store.as_ref(), event)
        .await?;
    Ok(StatusCode::NO_CONTENT)
}
