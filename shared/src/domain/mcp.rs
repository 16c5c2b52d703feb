//! The MCP gateway's tools as the domain knows them: the control plane's
//! own tools, each with the permission its REST twin requires, and what a
//! key's `mcp:*` and `mcp:tool:<name>` scopes grant.
//!
//! An `mcp` key carries tool scopes only. Through the gateway it holds the
//! permissions of the built-in tools its scopes name (always within its
//! creator's role), and a tool it is not granted does not exist for it.

use std::collections::BTreeSet;

use crate::base::rbac::Permission;
use crate::domain::apikey::Scope;

/// One built-in tool: its name and the permission its REST route checks.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct BuiltinTool {
    pub name: &'static str,
    pub permission: Permission,
}

const fn tool(name: &'static str, permission: Permission) -> BuiltinTool {
    BuiltinTool { name, permission }
}

/// The control plane's own tools, in the order `tools/list` shows them.
pub const BUILTIN_TOOLS: &[BuiltinTool] = &[
    tool("projects_list", Permission::ProjectsRead),
    tool("projects_get", Permission::ProjectsRead),
    tool("jobs_list", Permission::JobsRead),
    tool("jobs_get", Permission::JobsRead),
    tool("jobs_retry", Permission::JobsManage),
    tool("jobs_cancel", Permission::JobsManage),
    tool("usage_get", Permission::UsageRead),
    tool("sources_list", Permission::SourcesRead),
    tool("sources_get", Permission::SourcesRead),
    tool("sources_run", Permission::SourcesRun),
    tool("evidence_list", Permission::SourcesRead),
    tool("evidence_get", Permission::SourcesRead),
    tool("schedules_list", Permission::SourcesRead),
    tool("audit_query", Permission::AuditRead),
    tool("audit_verify", Permission::AuditRead),
];

pub fn builtin(name: &str) -> Option<&'static BuiltinTool> {
    BUILTIN_TOOLS.iter().find(|t| t.name == name)
}

/// Whether `scopes` grant the tool `name`: `mcp:*` grants every tool,
/// `mcp:tool:<name>` that one.
pub fn grants<'a>(scopes: impl IntoIterator<Item = &'a Scope>, name: &str) -> bool {
    scopes.into_iter().any(|s| s.as_str() == "mcp:*" || s.as_str().strip_prefix("mcp:tool:") == Some(name))
}

/// The permissions of the built-in tools `scopes` grant: what an `mcp` key
/// holds through the gateway, and what its maker must hold to mint it.
pub fn permissions(scopes: &BTreeSet<Scope>) -> BTreeSet<Permission> {
    BUILTIN_TOOLS.iter().filter(|t| grants(scopes, t.name)).map(|t| t.permission).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn scopes(list: &[&str]) -> BTreeSet<Scope> {
        list.iter().map(|s| Scope::parse(s).unwrap()).collect()
    }

    #[test]
    fn a_star_scope_grants_every_tool_and_a_tool_scope_only_its_tool() {
        let star = scopes(&["mcp:*"]);
        assert!(BUILTIN_TOOLS.iter().all(|t| grants(&star, t.name)));
        let one = scopes(&["mcp:tool:jobs_get"]);
        assert!(grants(&one, "jobs_get"));
        assert!(!grants(&one, "jobs_list"));
        assert!(!grants(&one, "jobs_get_extra"));
    }

    #[test]
    fn a_key_holds_the_permissions_of_the_tools_it_is_granted_and_no_other() {
        assert_eq!(permissions(&scopes(&["mcp:tool:jobs_get"])), BTreeSet::from([Permission::JobsRead]));
        let both = permissions(&scopes(&["mcp:tool:jobs_get", "mcp:tool:jobs_retry"]));
        assert_eq!(both, BTreeSet::from([Permission::JobsRead, Permission::JobsManage]));
        assert!(permissions(&scopes(&["mcp:tool:acme__search"])).is_empty());
        let every: BTreeSet<Permission> = BUILTIN_TOOLS.iter().map(|t| t.permission).collect();
        assert_eq!(permissions(&scopes(&["mcp:*"])), every);
    }

    #[test]
    fn tool_names_are_unique_and_valid_in_a_scope() {
        let names: BTreeSet<&str> = BUILTIN_TOOLS.iter().map(|t| t.name).collect();
        assert_eq!(names.len(), BUILTIN_TOOLS.len());
        for name in names {
            assert!(Scope::parse(&format!("mcp:tool:{name}")).is_ok(), "{name}");
        }
    }
}
