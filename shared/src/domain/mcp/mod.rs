//! The MCP gateway's tools as the domain knows them: the control plane's
//! own tools, each with the permission its REST twin requires, and what a
//! key's `mcp:*` and `mcp:tool:<name>` scopes grant.
//!
//! An `mcp` key carries tool scopes only. Through the gateway it holds the
//! permissions of the built-in tools its scopes name (always within its
//! creator's role), and a tool it is not granted does not exist for it.

pub mod catalog;
pub mod policy;
pub mod server;
pub mod tools;

use std::collections::BTreeSet;

use chrono::{DateTime, Utc};
use serde_json::json;

use crate::base::rbac::Permission;
use crate::base::tenant::TenantContext;
use crate::domain::apikey::Scope;
use crate::domain::audit::AuditEvent;
use crate::domain::audit::deferred::{self, Counted};
use crate::domain::mcp::policy::{Block, Flag};
use crate::domain::usage::{self, Quotas, Service};
use crate::ports::store::{Store, StoreError};

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

/// The permissions of the tools `scopes` grant: each built-in tool's, and
/// `mcp:use` when they grant upstream tools (`mcp:*`, or a namespaced
/// `<slug>__<tool>`). What an `mcp` key holds through the gateway, and what
/// its maker must hold to mint it.
pub fn permissions(scopes: &BTreeSet<Scope>) -> BTreeSet<Permission> {
    let mut held: BTreeSet<Permission> =
        BUILTIN_TOOLS.iter().filter(|t| grants(scopes, t.name)).map(|t| t.permission).collect();
    let upstream = scopes
        .iter()
        .any(|s| s.as_str() == "mcp:*" || s.as_str().strip_prefix("mcp:tool:").and_then(server::split).is_some());
    if upstream {
        held.insert(Permission::McpUse);
    }
    held
}

/// The server a built-in tool belongs to, in audit events.
pub const BUILTIN_SERVER: &str = "controlplane";
/// Argument names kept in a call's audit event, and the longest kept whole:
/// an agent chooses them.
const MAX_ARGUMENT_NAMES: usize = 32;
pub const MAX_NAME_CHARS: usize = 64;

/// How a tool call ended, as its audit event says.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Outcome {
    /// The tool answered.
    Ok,
    /// The tool failed with the problem `code`.
    Error { code: String },
    /// No tool of that name exists for the key.
    UnknownTool,
    /// The project's `mcp_calls` quota refused it.
    QuotaExceeded,
    /// A policy binding blocked it (an `mcp.call_blocked` event).
    Blocked(Block),
    /// Its execution profile refused it (`rule`, as the `exec.violation`
    /// event says); `ran`: it had started (a timeout, an answer too large).
    Violation { rule: &'static str, ran: bool },
}

impl Outcome {
    fn as_str(&self) -> &'static str {
        match self {
            Outcome::Ok => "ok",
            Outcome::Error { .. } => "error",
            Outcome::UnknownTool => "unknown_tool",
            Outcome::QuotaExceeded => "quota_exceeded",
            Outcome::Blocked(_) => "blocked",
            Outcome::Violation { .. } => "exec_violation",
        }
    }

    /// Whether the tool ran: only then the call counts in usage.
    fn ran(&self) -> bool {
        matches!(self, Outcome::Ok | Outcome::Error { .. } | Outcome::Violation { ran: true, .. })
    }
}

fn clipped(name: &str) -> String {
    name.chars().take(MAX_NAME_CHARS).collect()
}

/// One `tools/call`, as the gateway saw it.
#[derive(Debug, Clone)]
pub struct ToolCall<'a> {
    pub tool: &'a str,
    pub server: &'a str,
    /// The names of the arguments it was given; their values are never kept.
    pub arguments: Vec<&'a str>,
    pub called_at: DateTime<Utc>,
    pub duration_ms: u64,
    pub outcome: Outcome,
    /// The `audit` bindings that flagged it.
    pub flags: Vec<Flag>,
    /// The digest of the execution profile it ran under (none: it had
    /// none, or never got so far).
    pub profile_digest: Option<String>,
}

impl ToolCall<'_> {
    /// Its audit event (`mcp.call`, or `mcp.call_blocked` for a call a
    /// policy blocked), attributed to the key in `ctx`, and
    /// what it counts in the key's project's usage.
    pub fn event(&self, ctx: &TenantContext) -> (AuditEvent, Option<Counted>) {
        // Minimized before they are clipped: a clip could cut a value into
        // halves the engine would not recognize.
        let minimized = |name: &str| clipped(&ctx.redactor().text(name));
        let mut names: Vec<String> = self.arguments.iter().take(MAX_ARGUMENT_NAMES).map(|n| minimized(n)).collect();
        names.sort();
        let mut metadata = json!({
            "tool": clipped(self.tool),
            "server": self.server,
            "outcome": self.outcome.as_str(),
            "duration_ms": self.duration_ms,
            "arguments": names,
            "called_at": self.called_at,
        });
        let mut action = "mcp.call";
        match &self.outcome {
            Outcome::Error { code } => metadata["error_code"] = json!(code),
            Outcome::Violation { rule, .. } => metadata["violation"] = json!(rule),
            Outcome::Blocked(block) => {
                action = "mcp.call_blocked";
                metadata["policy"] = json!({
                    "binding_id": block.binding_id,
                    "policy_id": block.policy_id,
                    "mode": block.mode,
                    "rule": block.rule,
                    "argument": block.argument.as_deref().map(minimized),
                });
            }
            _ => {}
        }
        if let Some(digest) = &self.profile_digest {
            metadata["profile_digest"] = json!(digest);
        }
        if !self.flags.is_empty() {
            let flags: Vec<Flag> = self
                .flags
                .iter()
                .map(|f| Flag { argument: f.argument.as_deref().map(minimized), ..f.clone() })
                .collect();
            metadata["flagged"] = json!(flags);
        }
        let mut event = AuditEvent::new(ctx, action, "mcp_tool", clipped(self.tool), metadata);
        event.created_at = self.called_at;
        let counted = match ctx.project_scope() {
            Some(project) => {
                event = event.for_project(project);
                self.outcome.ran().then(|| Counted {
                    project_id: project.clone(),
                    service: Service::McpCalls,
                    amount: 1,
                })
            }
            None => None,
        };
        (event, counted)
    }

    /// Keeps the call's audit event until it is sealed into the org's chain
    /// (and counted): one write of its own, never a turn on the chain.
    pub async fn record(&self, store: &dyn Store, ctx: &TenantContext) -> Result<(), StoreError> {
        let (event, counted) = self.event(ctx);
        deferred::record(store, &event, counted).await
    }
}

/// Why the quota refuses a call.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum QuotaRefusal {
    Disabled,
    UsedUp { limit: u64 },
}

/// Whether the key's project may make one more tool call this month: its
/// `mcp_calls` quota against the calls sealed so far (the last second's
/// calls may not be in yet). A key without a project is not metered.
pub async fn within_quota(
    store: &dyn Store,
    ctx: &TenantContext,
    now: DateTime<Utc>,
) -> Result<Result<(), QuotaRefusal>, StoreError> {
    let Some(project) = ctx.project_scope() else { return Ok(Ok(())) };
    let tenant = ctx.tenant();
    let keys = [Quotas::key(tenant, project), usage::month_key(tenant, project, Service::McpCalls, now)];
    let items = store.batch_get(&keys).await?;
    let quota = Quotas::from_item(project, items[0].as_ref())?.of(Service::McpCalls);
    let used = items[1].as_ref().map_or(0, |counter| counter.version);
    Ok(match quota {
        q if !q.enabled => Err(QuotaRefusal::Disabled),
        usage::ServiceQuota { monthly_limit: Some(limit), .. } if used >= limit => Err(QuotaRefusal::UsedUp { limit }),
        _ => Ok(()),
    })
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
        assert_eq!(permissions(&scopes(&["mcp:tool:acme__search"])), BTreeSet::from([Permission::McpUse]));
        assert!(permissions(&scopes(&["mcp:tool:no_such_tool"])).is_empty());
        let mut every: BTreeSet<Permission> = BUILTIN_TOOLS.iter().map(|t| t.permission).collect();
        every.insert(Permission::McpUse);
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
