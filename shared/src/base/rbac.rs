//! Permissions, role names and each org's role set (its permission matrix).
//!
//! Every org starts with the built-in roles owner, admin, developer and
//! viewer. Owners may edit every role but `owner` (which always grants every
//! permission, so an org cannot lock itself out) and add custom roles. The
//! store's membership item is the authority for a caller's role and the
//! org's role set for what it grants; tokens never carry either.

use std::collections::{BTreeMap, BTreeSet};
use std::fmt;

use serde::{Deserialize, Serialize};

/// What a route needs. Names are `resource:action`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(try_from = "String", into = "&'static str")]
pub enum Permission {
    OrgRead,
    OrgUpdate,
    MembersRead,
    MembersManage,
    RolesManage,
    ProjectsRead,
    ProjectsWrite,
    /// See soft-deleted projects (`include_deleted=true`).
    ProjectsReadDeleted,
    AuditRead,
    KeysManage,
    WebhooksManage,
    JobsRead,
    JobsManage,
    UsageRead,
    QuotasWrite,
    SourcesRead,
    /// Create, change and delete sources, their policy bindings and schedules.
    SourcesWrite,
    /// Run and test sources.
    SourcesRun,
    /// Store, test and delete credentials (their values are never read back).
    CredentialsManage,
    /// Push batches to `ingest.*` sources (`POST /v1/traces`, `/v1/results/push`).
    IngestPush,
    /// Register, change, discover and delete upstream MCP servers, and
    /// approve their changed tools.
    McpManage,
    /// Call the tools of the project's registered upstream MCP servers
    /// through the gateway (what an `mcp` key needs for them).
    McpUse,
}

impl Permission {
    pub const ALL: [Permission; 22] = [
        Permission::OrgRead,
        Permission::OrgUpdate,
        Permission::MembersRead,
        Permission::MembersManage,
        Permission::RolesManage,
        Permission::ProjectsRead,
        Permission::ProjectsWrite,
        Permission::ProjectsReadDeleted,
        Permission::AuditRead,
        Permission::KeysManage,
        Permission::WebhooksManage,
        Permission::JobsRead,
        Permission::JobsManage,
        Permission::UsageRead,
        Permission::QuotasWrite,
        Permission::SourcesRead,
        Permission::SourcesWrite,
        Permission::SourcesRun,
        Permission::CredentialsManage,
        Permission::IngestPush,
        Permission::McpManage,
        Permission::McpUse,
    ];

    /// The type of resource the permission is about: `projects` for
    /// `projects:write`.
    pub fn resource_type(self) -> &'static str {
        self.as_str().split(':').next().unwrap_or_default()
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Permission::OrgRead => "org:read",
            Permission::OrgUpdate => "org:update",
            Permission::MembersRead => "members:read",
            Permission::MembersManage => "members:manage",
            Permission::RolesManage => "roles:manage",
            Permission::ProjectsRead => "projects:read",
            Permission::ProjectsWrite => "projects:write",
            Permission::ProjectsReadDeleted => "projects:read_deleted",
            Permission::AuditRead => "audit:read",
            Permission::KeysManage => "keys:manage",
            Permission::WebhooksManage => "webhooks:manage",
            Permission::JobsRead => "jobs:read",
            Permission::JobsManage => "jobs:manage",
            Permission::UsageRead => "usage:read",
            Permission::QuotasWrite => "quotas:write",
            Permission::SourcesRead => "sources:read",
            Permission::SourcesWrite => "sources:write",
            Permission::SourcesRun => "sources:run",
            Permission::CredentialsManage => "credentials:manage",
            Permission::IngestPush => "ingest:push",
            Permission::McpManage => "mcp:manage",
            Permission::McpUse => "mcp:use",
        }
    }
}

impl utoipa::PartialSchema for Permission {
    fn schema() -> utoipa::openapi::RefOr<utoipa::openapi::schema::Schema> {
        utoipa::openapi::ObjectBuilder::new()
            .schema_type(utoipa::openapi::schema::Type::String)
            .enum_values(Some(Permission::ALL.iter().map(|p| p.as_str())))
            .into()
    }
}

impl utoipa::ToSchema for Permission {}

impl TryFrom<String> for Permission {
    type Error = String;
    fn try_from(s: String) -> Result<Self, Self::Error> {
        Permission::ALL.into_iter().find(|p| p.as_str() == s).ok_or_else(|| {
            let known: Vec<&str> = Permission::ALL.iter().map(|p| p.as_str()).collect();
            format!("unknown permission `{s}`; known: {}", known.join(", "))
        })
    }
}

impl From<Permission> for &'static str {
    fn from(p: Permission) -> Self {
        p.as_str()
    }
}

/// A role's name: 1–32 characters, lowercase letters, digits, `_` and `-`,
/// starting with a letter.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(try_from = "String", into = "String")]
#[schema(value_type = String, pattern = "^[a-z][a-z0-9_-]{0,31}$", example = "developer")]
pub struct RoleName(String);

impl RoleName {
    pub const OWNER: &'static str = "owner";
    pub const ADMIN: &'static str = "admin";
    pub const DEVELOPER: &'static str = "developer";
    pub const VIEWER: &'static str = "viewer";

    pub fn parse(s: &str) -> Result<Self, &'static str> {
        let valid = (1..=32).contains(&s.len())
            && s.starts_with(|c: char| c.is_ascii_lowercase())
            && s.chars().all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_' || c == '-');
        if valid {
            Ok(Self(s.to_owned()))
        } else {
            Err("must be 1 to 32 lowercase letters, digits, `_` or `-`, starting with a letter")
        }
    }

    pub fn owner() -> Self {
        Self(Self::OWNER.into())
    }

    pub fn is_owner(&self) -> bool {
        self.0 == Self::OWNER
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    fn builtin(name: &str) -> Self {
        Self(name.to_owned())
    }
}

impl fmt::Display for RoleName {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl TryFrom<String> for RoleName {
    type Error = &'static str;
    fn try_from(s: String) -> Result<Self, Self::Error> {
        Self::parse(&s)
    }
}

impl From<RoleName> for String {
    fn from(r: RoleName) -> String {
        r.0
    }
}

/// An org's roles and what each grants.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RoleSet {
    roles: BTreeMap<RoleName, BTreeSet<Permission>>,
}

pub const MAX_ROLES: usize = 50;

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum RoleSetError {
    #[error("the owner role always grants every permission and cannot be changed")]
    OwnerChanged,
    #[error("an organization has at most {MAX_ROLES} roles")]
    TooMany,
}

impl Default for RoleSet {
    /// The built-in roles every org starts with.
    fn default() -> Self {
        use Permission::*;
        let viewer = [OrgRead, MembersRead, ProjectsRead, JobsRead, UsageRead, SourcesRead];
        let developer = [
            &viewer[..],
            &[
                ProjectsWrite,
                KeysManage,
                WebhooksManage,
                JobsManage,
                SourcesWrite,
                SourcesRun,
                CredentialsManage,
                McpManage,
                McpUse,
            ],
        ]
        .concat();
        let admin = [&developer[..], &[OrgUpdate, ProjectsReadDeleted, AuditRead, QuotasWrite]].concat();
        let roles = BTreeMap::from([
            (RoleName::owner(), Permission::ALL.into_iter().collect()),
            (RoleName::builtin(RoleName::ADMIN), admin.into_iter().collect()),
            (RoleName::builtin(RoleName::DEVELOPER), developer.into_iter().collect()),
            (RoleName::builtin(RoleName::VIEWER), viewer.into_iter().collect()),
        ]);
        Self { roles }
    }
}

impl RoleSet {
    /// A role set from an owner's edit: the roles given replace every role
    /// but `owner`, which is kept as it is (and may be repeated unchanged).
    pub fn from_edit(roles: BTreeMap<RoleName, BTreeSet<Permission>>) -> Result<Self, RoleSetError> {
        let all: BTreeSet<Permission> = Permission::ALL.into_iter().collect();
        if roles.get(&RoleName::owner()).is_some_and(|p| *p != all) {
            return Err(RoleSetError::OwnerChanged);
        }
        let mut roles = roles;
        roles.insert(RoleName::owner(), all);
        if roles.len() > MAX_ROLES {
            return Err(RoleSetError::TooMany);
        }
        Ok(Self { roles })
    }

    pub fn grants(&self, role: &RoleName, permission: Permission) -> bool {
        self.roles.get(role).is_some_and(|p| p.contains(&permission))
    }

    /// What the role grants (nothing for a role the set does not have).
    pub fn permissions_of(&self, role: &RoleName) -> BTreeSet<Permission> {
        self.roles.get(role).cloned().unwrap_or_default()
    }

    pub fn contains(&self, role: &RoleName) -> bool {
        self.roles.contains_key(role)
    }

    /// Every role that grants the permission (for the transaction's check
    /// that the caller's role still does).
    pub fn roles_granting(&self, permission: Permission) -> Vec<&RoleName> {
        self.roles_granting_all(&BTreeSet::from([permission]))
    }

    /// Every role that grants all of `permissions`.
    pub fn roles_granting_all(&self, permissions: &BTreeSet<Permission>) -> Vec<&RoleName> {
        self.roles.iter().filter(|(_, p)| permissions.is_subset(p)).map(|(r, _)| r).collect()
    }

    pub fn iter(&self) -> impl Iterator<Item = (&RoleName, &BTreeSet<Permission>)> {
        self.roles.iter()
    }

    pub fn is_builtin(role: &RoleName) -> bool {
        [RoleName::OWNER, RoleName::ADMIN, RoleName::DEVELOPER, RoleName::VIEWER].contains(&role.as_str())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn role(name: &str) -> RoleName {
        RoleName::parse(name).unwrap()
    }

    #[test]
    fn viewers_read_but_do_not_write_projects() {
        let set = RoleSet::default();
        assert!(set.grants(&role("viewer"), Permission::ProjectsRead));
        assert!(!set.grants(&role("viewer"), Permission::ProjectsWrite));
    }

    #[test]
    fn developers_write_projects_but_do_not_manage_the_org() {
        let set = RoleSet::default();
        assert!(set.grants(&role("developer"), Permission::ProjectsWrite));
        assert!(!set.grants(&role("developer"), Permission::OrgUpdate));
        assert!(!set.grants(&role("developer"), Permission::AuditRead));
    }

    #[test]
    fn only_owners_manage_members_and_roles_by_default() {
        let set = RoleSet::default();
        for name in ["owner", "admin", "developer", "viewer"] {
            assert_eq!(set.grants(&role(name), Permission::MembersManage), name == "owner", "{name}");
            assert_eq!(set.grants(&role(name), Permission::RolesManage), name == "owner", "{name}");
        }
    }

    #[test]
    fn admins_update_the_org_and_read_the_audit_log() {
        let set = RoleSet::default();
        assert!(set.grants(&role("admin"), Permission::OrgUpdate));
        assert!(set.grants(&role("admin"), Permission::AuditRead));
        assert!(set.grants(&role("admin"), Permission::ProjectsReadDeleted));
    }

    #[test]
    fn an_edit_keeps_the_owner_role_whole_and_refuses_to_narrow_it() {
        let edited =
            RoleSet::from_edit(BTreeMap::from([(role("auditor"), BTreeSet::from([Permission::AuditRead]))])).unwrap();
        assert!(edited.grants(&role("owner"), Permission::RolesManage));
        assert!(edited.grants(&role("auditor"), Permission::AuditRead));
        assert!(!edited.contains(&role("viewer")), "roles left out of an edit are removed");
        let narrowed = BTreeMap::from([(role("owner"), BTreeSet::from([Permission::OrgRead]))]);
        assert_eq!(RoleSet::from_edit(narrowed), Err(RoleSetError::OwnerChanged));
    }

    #[test]
    fn permissions_and_role_names_parse_from_their_wire_form() {
        assert_eq!(Permission::try_from("keys:manage".to_owned()), Ok(Permission::KeysManage));
        assert!(Permission::try_from("keys:everything".to_owned()).is_err());
        assert!(RoleName::parse("release-managers").is_ok());
        assert!(RoleName::parse("Admin").is_err());
        assert!(RoleName::parse("9lives").is_err());
    }
}
