//! The tenant (an organization) and the context every tenant-bound store call
//! takes. A `TenantContext` exists only after the caller's membership (or API
//! key) was read from the store, so holding one proves the caller belongs to
//! the tenant.

use std::collections::BTreeSet;
use std::sync::Arc;

use crate::base::access::{KeyType, ResourceKind, ResourceRef, Scope};
use crate::base::error::{Denial, DomainError};
use crate::base::ids::{KeyId, ProjectId};
use crate::base::rbac::{Permission, RoleName, RoleSet};
use crate::base::redact::Redactor;
use crate::base::request::RequestMeta;
use crate::base::residency::Region;
use crate::base::user::{Email, UserId};

pub use crate::base::ids::OrgId;

/// The tenant (an organization) a store key belongs to. Every tenant
/// partition's key is built from one, and request code gets one only from a
/// [`TenantContext`], which exists only once the caller's standing in the
/// org was read. Work that acts for an org without a caller (a job, a
/// schedule's tick, the data plane's internal API) names the org it acts
/// for with [`TenantId::acting_for`], inside this crate only.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct TenantId(OrgId);

impl TenantId {
    /// The tenant a piece of system work acts for: the org a job, an
    /// outbox item or a schedule was stored under, or the one the
    /// authentication path has just checked the caller against.
    pub(crate) fn acting_for(org: &OrgId) -> Self {
        Self(org.clone())
    }

    /// A new org's tenant, for tests.
    #[cfg(any(test, feature = "testing"))]
    pub(crate) fn fresh() -> Self {
        Self(OrgId::generate())
    }

    pub fn org(&self) -> &OrgId {
        &self.0
    }

    pub fn as_str(&self) -> &str {
        self.0.as_str()
    }
}

impl std::fmt::Display for TenantId {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        self.0.fmt(f)
    }
}

/// Who is calling.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Principal {
    User { id: UserId, email: Option<Email> },
    Key { id: KeyId, name: Option<String> },
}

impl Principal {
    pub fn id(&self) -> &str {
        match self {
            Principal::User { id, .. } => id.as_str(),
            Principal::Key { id, .. } => id.as_str(),
        }
    }

    pub fn kind(&self) -> &'static str {
        match self {
            Principal::User { .. } => "user",
            Principal::Key { .. } => "key",
        }
    }
}

/// What the principal may do in the tenant.
#[derive(Debug, Clone)]
pub enum Authority {
    /// A member: what the org's role set grants the member's role.
    Member { user: UserId, role: RoleName },
    /// An API key: what its scopes grant and its creator's role grants now
    /// (both), inside its project. `version` is the key item's, checked
    /// again when a mutation commits, as is the creator's role.
    Key {
        id: KeyId,
        key_type: KeyType,
        permissions: BTreeSet<Permission>,
        /// The member the key acts for (`None`: no longer a member, so the
        /// key grants nothing).
        created_by: Option<UserId>,
        project: ProjectId,
        /// The resources the key is limited to (see `ApiKey::resources`).
        resources: BTreeSet<ResourceRef>,
        /// The key's scopes as stored (the MCP gateway reads its tool
        /// scopes here; `permissions` already says what the others grant).
        scopes: BTreeSet<Scope>,
        version: u64,
    },
}

/// An authenticated principal's verified standing in one tenant.
#[derive(Debug, Clone)]
pub struct TenantContext {
    tenant: TenantId,
    principal: Principal,
    authority: Authority,
    roles: Arc<RoleSet>,
    roles_version: u64,
    meta: RequestMeta,
    /// The org's data policy as read for this request: what its audit
    /// events' metadata keeps.
    redactor: Arc<Redactor>,
    /// Where the org keeps its data (`None`: an org made before regions,
    /// whose data is in the default region).
    region: Option<Region>,
}

impl TenantContext {
    pub(crate) fn new(
        tenant: TenantId,
        principal: Principal,
        authority: Authority,
        (roles, roles_version): (RoleSet, u64),
        meta: RequestMeta,
    ) -> Self {
        // Until the org's policy is known, everything found is masked.
        let redactor = Arc::new(Redactor::platform().clone());
        Self { tenant, principal, authority, roles: Arc::new(roles), roles_version, meta, redactor, region: None }
    }

    /// The same context for an org that keeps its data in `region`.
    pub fn in_region(mut self, region: Option<Region>) -> Self {
        self.region = region;
        self
    }

    /// The region the org keeps its data in: org-wide resources (its
    /// credentials, webhooks, exports and backups) are stored there.
    pub fn region(&self) -> Option<&Region> {
        self.region.as_ref()
    }

    /// The same context under the org's data policy, compiled.
    pub fn with_redactor(mut self, redactor: Arc<Redactor>) -> Self {
        self.redactor = redactor;
        self
    }

    pub fn redactor(&self) -> &Redactor {
        &self.redactor
    }

    pub fn tenant(&self) -> &TenantId {
        &self.tenant
    }

    pub fn principal(&self) -> &Principal {
        &self.principal
    }

    pub fn authority(&self) -> &Authority {
        &self.authority
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
        match &self.authority {
            Authority::Member { role, .. } => self.roles.grants(role, permission),
            Authority::Key { permissions, .. } => permissions.contains(&permission),
        }
    }

    /// The 403 for this caller (audited by the edge as `access.denied`).
    pub fn denied(
        &self,
        code: &'static str,
        detail: String,
        permission: Option<Permission>,
        resource_type: &'static str,
        resource_id: Option<String>,
    ) -> DomainError {
        DomainError::Denied(Box::new(Denial {
            code,
            detail,
            org: self.tenant.org().clone(),
            principal: self.principal.clone(),
            meta: self.meta.clone(),
            permission,
            resource_type,
            resource_id,
        }))
    }

    /// 403 unless the caller's role (or key scopes) grant the permission.
    pub fn require(&self, permission: Permission) -> Result<(), DomainError> {
        if self.can(permission) {
            return Ok(());
        }
        let detail = match &self.authority {
            Authority::Member { role, .. } => {
                format!("your role `{}` does not grant `{}`", role.as_str(), permission.as_str())
            }
            Authority::Key { .. } => format!("this API key's scopes do not grant `{}`", permission.as_str()),
        };
        Err(self.denied("forbidden", detail, Some(permission), permission.resource_type(), None))
    }

    /// 403 naming the first of `permissions` the caller lacks: a
    /// credential minted or widened by the caller may carry only what the
    /// caller may do at that moment.
    pub fn require_all(&self, permissions: &BTreeSet<Permission>) -> Result<(), DomainError> {
        let Some(missing) = permissions.iter().find(|p| !self.can(**p)) else { return Ok(()) };
        let holder = match &self.authority {
            Authority::Member { role, .. } => format!("your role `{role}`"),
            Authority::Key { .. } => "this API key".to_owned(),
        };
        let detail = format!(
            "{holder} does not grant `{}`, so a key you create, change, rotate or enable may not carry it",
            missing.as_str()
        );
        Err(self.denied("exceeds_your_permissions", detail, Some(*missing), missing.resource_type(), None))
    }

    /// The one project an API key is confined to (`None` for members).
    pub fn project_scope(&self) -> Option<&ProjectId> {
        match &self.authority {
            Authority::Member { .. } => None,
            Authority::Key { project, .. } => Some(project),
        }
    }

    /// 403 when an API key reaches outside its project.
    pub fn require_project(&self, project: &ProjectId) -> Result<(), DomainError> {
        match self.project_scope() {
            Some(own) if own != project => {
                let detail = format!("this API key is limited to project {own}");
                Err(self.denied("outside_key_scope", detail, None, "project", Some(project.to_string())))
            }
            _ => Ok(()),
        }
    }

    /// 403 when an API key limited to listed resources of this kind
    /// reaches another one. Every route acting on one source or webhook
    /// calls this after finding it.
    pub fn require_resource(&self, resource: &ResourceRef) -> Result<(), DomainError> {
        match self.resource_limit(resource.kind()) {
            Some(listed) if !listed.contains(resource) => {
                let kind = resource.kind();
                let detail = format!("this API key is limited to listed {}", kind.plural());
                Err(self.denied("outside_key_scope", detail, None, kind.type_name(), Some(resource.as_str().into())))
            }
            _ => Ok(()),
        }
    }

    /// The resources of `kind` an API key is limited to, for filtering
    /// lists; `None` when it is not limited on that kind (and for members).
    pub fn resource_limit(&self, kind: ResourceKind) -> Option<BTreeSet<&ResourceRef>> {
        let Authority::Key { resources, .. } = &self.authority else { return None };
        let listed: BTreeSet<&ResourceRef> = resources.iter().filter(|r| r.kind() == kind).collect();
        (!listed.is_empty()).then_some(listed)
    }

    /// 403 for API keys on routes that act on the whole org.
    pub fn require_member(&self) -> Result<(), DomainError> {
        match &self.authority {
            Authority::Member { .. } => Ok(()),
            Authority::Key { .. } => {
                let detail = "API keys act inside their project; this needs a member's credential".to_owned();
                Err(self.denied("outside_key_scope", detail, None, "org", None))
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::base::ids::{SourceId, WebhookId};

    fn context(authority: Authority) -> TenantContext {
        let meta = RequestMeta { request_id: "req_1".into(), request_line: "GET /".into(), ip: None, user_agent: None };
        let principal = Principal::User { id: UserId::parse("u").unwrap(), email: None };
        TenantContext::new(TenantId::fresh(), principal, authority, (RoleSet::default(), 1), meta)
    }

    fn key_limited_to(resources: &[&ResourceRef]) -> Authority {
        Authority::Key {
            id: KeyId::generate(),
            key_type: KeyType::Secret,
            permissions: BTreeSet::from([Permission::WebhooksManage]),
            created_by: Some(UserId::parse("u").unwrap()),
            project: ProjectId::generate(),
            resources: resources.iter().map(|r| (*r).clone()).collect(),
            scopes: BTreeSet::new(),
            version: 1,
        }
    }

    #[test]
    fn a_key_limited_to_one_webhook_is_refused_on_another_but_not_on_other_kinds() {
        let (listed, other) = (ResourceRef::from(&WebhookId::generate()), ResourceRef::from(&WebhookId::generate()));
        let source = ResourceRef::from(&SourceId::generate());
        let ctx = context(key_limited_to(&[&listed]));
        assert!(ctx.require_resource(&listed).is_ok());
        let refused = ctx.require_resource(&other).unwrap_err();
        let DomainError::Denied(denial) = refused else { panic!("{refused:?}") };
        assert_eq!((denial.code, denial.resource_type), ("outside_key_scope", "webhook"));
        assert_eq!((denial.permission, denial.resource_id.as_deref()), (None, Some(other.as_str())));
        assert_eq!(denial.org, *ctx.tenant().org());
        assert!(ctx.require_resource(&source).is_ok(), "sources are not limited by a webhook list");
        assert_eq!(ctx.resource_limit(ResourceKind::Webhook), Some(BTreeSet::from([&listed])));
        assert_eq!(ctx.resource_limit(ResourceKind::Source), None);
    }

    #[test]
    fn unlimited_keys_and_members_reach_every_resource() {
        let any = ResourceRef::from(&SourceId::generate());
        assert!(context(key_limited_to(&[])).require_resource(&any).is_ok());
        let member = Authority::Member { user: UserId::parse("u").unwrap(), role: RoleName::owner() };
        assert!(context(member).require_resource(&any).is_ok());
    }
}
