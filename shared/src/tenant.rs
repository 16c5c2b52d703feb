//! The tenant (an organization) and the context every tenant-bound store call
//! takes. A `TenantContext` exists only after the caller's membership was read
//! from the store, so holding one proves the caller belongs to the tenant.

use crate::auth::rbac::{Permission, Role};
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
    role: Role,
    meta: RequestMeta,
}

impl TenantContext {
    pub(crate) fn new(tenant: TenantId, principal: Principal, role: Role, meta: RequestMeta) -> Self {
        Self { tenant, principal, role, meta }
    }

    pub fn tenant(&self) -> &TenantId {
        &self.tenant
    }

    pub fn principal(&self) -> &Principal {
        &self.principal
    }

    pub fn role(&self) -> Role {
        self.role
    }

    pub fn meta(&self) -> &RequestMeta {
        &self.meta
    }

    pub fn can(&self, permission: Permission) -> bool {
        self.role.allows(permission)
    }

    /// 403 unless the caller's role grants the permission.
    pub fn require(&self, permission: Permission) -> Result<(), ApiError> {
        if self.can(permission) { Ok(()) } else { Err(ApiError::forbidden(permission, self.role)) }
    }
}
