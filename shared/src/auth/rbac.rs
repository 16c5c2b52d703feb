//! Roles and the permission matrix. The store's membership item is the
//! authority for a caller's role; tokens never carry it.

use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "lowercase")]
pub enum Role {
    Owner,
    Admin,
    Developer,
    Viewer,
}

impl Role {
    pub const ALL: [Role; 4] = [Role::Owner, Role::Admin, Role::Developer, Role::Viewer];

    pub fn as_str(self) -> &'static str {
        match self {
            Role::Owner => "owner",
            Role::Admin => "admin",
            Role::Developer => "developer",
            Role::Viewer => "viewer",
        }
    }

    pub fn allows(self, permission: Permission) -> bool {
        permission.roles().contains(&self)
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Permission {
    OrgRead,
    OrgUpdate,
    MembersRead,
    MembersManage,
    ProjectsRead,
    ProjectsWrite,
    /// See soft-deleted projects (`include_deleted=true`).
    ProjectsReadDeleted,
    AuditRead,
}

impl Permission {
    /// The permission matrix: which roles hold each permission.
    pub fn roles(self) -> &'static [Role] {
        use Role::*;
        match self {
            Permission::OrgRead | Permission::MembersRead | Permission::ProjectsRead => {
                &[Owner, Admin, Developer, Viewer]
            }
            Permission::ProjectsWrite => &[Owner, Admin, Developer],
            Permission::OrgUpdate | Permission::ProjectsReadDeleted | Permission::AuditRead => &[Owner, Admin],
            Permission::MembersManage => &[Owner],
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Permission::OrgRead => "org:read",
            Permission::OrgUpdate => "org:update",
            Permission::MembersRead => "members:read",
            Permission::MembersManage => "members:manage",
            Permission::ProjectsRead => "projects:read",
            Permission::ProjectsWrite => "projects:write",
            Permission::ProjectsReadDeleted => "projects:read_deleted",
            Permission::AuditRead => "audit:read",
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn viewers_read_but_do_not_write_projects() {
        assert!(Role::Viewer.allows(Permission::ProjectsRead));
        assert!(!Role::Viewer.allows(Permission::ProjectsWrite));
    }

    #[test]
    fn developers_write_projects_but_do_not_manage_the_org() {
        assert!(Role::Developer.allows(Permission::ProjectsWrite));
        assert!(!Role::Developer.allows(Permission::OrgUpdate));
        assert!(!Role::Developer.allows(Permission::AuditRead));
    }

    #[test]
    fn only_owners_manage_members() {
        for role in Role::ALL {
            assert_eq!(role.allows(Permission::MembersManage), role == Role::Owner, "{role:?}");
        }
    }

    #[test]
    fn admins_update_the_org_and_read_the_audit_log() {
        assert!(Role::Admin.allows(Permission::OrgUpdate));
        assert!(Role::Admin.allows(Permission::AuditRead));
        assert!(Role::Admin.allows(Permission::ProjectsReadDeleted));
    }
}
