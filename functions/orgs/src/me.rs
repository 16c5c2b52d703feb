//! `GET /v1/me`: who the caller is, how it signed in, and what it may do
//! in the org it acts in — what a console needs to show its user and to
//! offer only the actions the API would accept.

use axum::extract::State;
use controlplane::base::access::KeyType;
use controlplane::base::ids::ProjectId;
use controlplane::base::rbac::{Permission, RoleName};
use controlplane::base::tenant::{Authority, OrgId, Principal};
use controlplane::edge::auth::{AuthMethod, Caller};
use controlplane::edge::error::Problem;
use controlplane::{ApiError, AppState};
use serde::Serialize;
use utoipa::ToSchema;

#[derive(Serialize, ToSchema)]
#[schema(example = json!({
    "kind": "user", "id": "alice", "email": "alice@example.com", "authentication": "development",
    "org_id": "org_01jf8zq3m5n7p9r1t3v5x7z9bc", "role": "viewer", "key_type": null, "project_id": null,
    "permissions": ["org:read", "members:read", "projects:read", "jobs:read", "usage:read", "sources:read"],
}))]
pub struct Me {
    /// `user` or `key`.
    pub kind: &'static str,
    /// The user's id (the token's `sub`) or the key's id.
    pub id: String,
    /// A user's email, when the token carries one.
    pub email: Option<String>,
    pub authentication: AuthMethod,
    /// The org the request acts in: the key's, the token's `org_id`
    /// claim, `X-Org-Id`, or the user's only org. `null` for a user who
    /// names none and belongs to none or to several.
    pub org_id: Option<OrgId>,
    /// A member's role in that org.
    pub role: Option<RoleName>,
    /// A key's type.
    pub key_type: Option<KeyType>,
    /// The project a key is confined to.
    pub project_id: Option<ProjectId>,
    /// What the caller may do in that org now (a key: its scopes as far as
    /// its creator's role still grants them), in the API's order.
    pub permissions: Vec<Permission>,
}

/// Who the caller is and what it may do in the org it acts in.
#[utoipa::path(get, path = "/v1/me", operation_id = "me.get", tag = "auth",
    security(("bearer" = [])),
    responses(
        (status = 200, body = Me),
        (status = 401, body = Problem, content_type = "application/problem+json"),
        (status = 403, body = Problem, content_type = "application/problem+json"),
    ))]
pub async fn me(State(state): State<AppState>, caller: Caller) -> Result<axum::Json<Me>, ApiError> {
    let standing = caller.standing(&state).await?;
    let principal = caller.principal();
    let email = match &principal {
        Principal::User { email, .. } => email.as_ref().map(|e| e.as_str().to_owned()),
        Principal::Key { .. } => None,
    };
    let mut me = Me {
        kind: principal.kind(),
        id: principal.id().to_owned(),
        email,
        authentication: caller.auth_method(),
        org_id: None,
        role: None,
        key_type: None,
        project_id: None,
        permissions: Vec::new(),
    };
    if let Some(ctx) = standing {
        me.org_id = Some(ctx.tenant().org().clone());
        me.permissions = Permission::ALL.into_iter().filter(|p| ctx.can(*p)).collect();
        match ctx.authority() {
            Authority::Member { role, .. } => me.role = Some(role.clone()),
            Authority::Key { key_type, project, .. } => {
                me.key_type = Some(*key_type);
                me.project_id = Some(project.clone());
            }
        }
    }
    Ok(axum::Json(me))
}
