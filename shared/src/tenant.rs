//! The tenant (an organization) and the context every tenant-bound store call
//! takes. A `TenantContext` exists only after the caller's membership was read
//! from the store, so holding one proves the caller belongs to the tenant.

use std::sync::Arc;

use crate::auth::rbac::{Permission, RoleName, RoleSet};
use crate::error::ApiError;
use crate::http::RequestMeta;
use crate::user::{Email, UserId};

pub use crate::ids::OrgId;

/// The tenant is the organization.
pub type TenantId = OrgId;

/// Who is calling.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Principal {
    User { id: UserId, email: Option<Email> },
}

impl Principal {
    pub fn id(&self) -> &str {
        match self {
            Principal::User { id, .. } => id.as_str(),
        }
    }

    pub fn kind(&self) -> &'static str {
        match self {
            Principal::User { .. } => "user",
        }
    }
}

/// An authenticated principal's verified membership in one tenant.
#[derive(Debug, Clone)]
pub struct TenantContext {
    tenant: TenantId,
    principal: Principal,
    role: RoleName,
    roles: Arc<RoleSet>,
    roles_version: u64,
    meta: RequestMeta,
}

impl TenantContext {
    pub(crate) fn new(
        tenant: TenantId,
        principal: Principal,
        role: RoleName,
        (roles, roles_version): (RoleSet, u64),
        meta: RequestMeta,
    ) -> Self {
        Self { tenant, principal, role, roles: Arc::new(roles), roles_version, meta }
    }

    pub fn tenant(&self) -> &TenantId {
        &self.tenant
    }

    pub fn principal(&self) -> &Principal {
        &self.principal
    }

    pub fn role(&self) -> &RoleName {
        &self.role
    }

    /// The org's role set as read for this request.
    pub fn roles(&self) -> &RoleSet {
        &self.roles
    }

    pub fn roles_version(&self) -> u64 {
        self.roles_version
    }

    pub fn meta(&self) -> &RequestMeta {
        &self.meta
    }

    pub fn can(&self, permission: Permission) -> bool {
        self.roles.grants(&self.role, permission)
    }

    /// 403 unless the caller's role grants the permission.
    pub fn require(&self, permission: Permission) -> Result<(), ApiError> {
        if self.can(permission) { Ok(()) } else { Err(ApiError::forbidden(permission, &self.role)) }
    }
}
