//! What a credential may reach besides its permissions: the four API key
//! types and the resources a key can be limited to. The tenant context
//! checks both on every request.

use serde::{Deserialize, Serialize};

use crate::base::ids::{McpServerId, SourceId, WebhookId};
use crate::base::rbac::Permission;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum KeyType {
    /// Client-safe, read-only.
    Public,
    /// Server-side, project scopes.
    Secret,
    /// Everything in its project.
    ServiceRole,
    /// Only MCP tool scopes; no REST permissions.
    Mcp,
}

impl KeyType {
    pub const ALL: [KeyType; 4] = [KeyType::Public, KeyType::Secret, KeyType::ServiceRole, KeyType::Mcp];

    /// The token prefix that says the type at a glance.
    pub fn token_prefix(self) -> &'static str {
        match self {
            KeyType::Public => "pk_live_",
            KeyType::Secret => "sk_live_",
            KeyType::ServiceRole => "sr_live_",
            KeyType::Mcp => "mcp_live_",
        }
    }

    /// The REST permissions a key of this type may be given.
    pub fn allowed_permissions(self) -> &'static [Permission] {
        use Permission::*;
        match self {
            KeyType::Public => &[ProjectsRead, UsageRead],
            KeyType::Secret => &[
                ProjectsRead,
                ProjectsWrite,
                UsageRead,
                WebhooksManage,
                JobsRead,
                JobsManage,
                SourcesRead,
                SourcesRun,
                IngestPush,
            ],
            KeyType::ServiceRole => &[
                McpManage,
                ProjectsRead,
                ProjectsWrite,
                UsageRead,
                WebhooksManage,
                JobsRead,
                JobsManage,
                QuotasWrite,
                AuditRead,
                SourcesRead,
                SourcesWrite,
                SourcesRun,
                IngestPush,
            ],
            KeyType::Mcp => &[],
        }
    }

    /// Whether a presented token looks like an API key (not a JWT).
    pub fn of_token(token: &str) -> Option<KeyType> {
        KeyType::ALL.into_iter().find(|t| token.starts_with(t.token_prefix()))
    }
}

/// The kinds of resource a key can be limited to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum ResourceKind {
    Source,
    Webhook,
    McpServer,
}

impl ResourceKind {
    pub fn plural(self) -> &'static str {
        match self {
            ResourceKind::Source => "sources",
            ResourceKind::Webhook => "webhooks",
            ResourceKind::McpServer => "MCP servers",
        }
    }

    /// The kind as audit events name a target's type.
    pub fn type_name(self) -> &'static str {
        match self {
            ResourceKind::Source => "source",
            ResourceKind::Webhook => "webhook",
            ResourceKind::McpServer => "mcp_server",
        }
    }
}

/// One resource a key is limited to, by id: a source (`src_…`), a
/// webhook (`wh_…`) or an MCP server (`mcps_…`).
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(try_from = "String", into = "String")]
#[schema(value_type = String, pattern = "^(src|wh|mcps)_[0-7][0-9a-hjkmnp-tv-z]{25}$", example = "wh_01jh3v5d2k8q9w6x7y8z9a0b1c")]
pub struct ResourceRef(String);

impl ResourceRef {
    pub fn parse(s: &str) -> Result<Self, String> {
        if let Ok(id) = SourceId::parse(s) {
            return Ok(Self::from(&id));
        }
        if let Ok(id) = McpServerId::parse(s) {
            return Ok(Self::from(&id));
        }
        WebhookId::parse(s)
            .map(|id| Self::from(&id))
            .map_err(|_| format!("`{s}` is not a source (src_…), webhook (wh_…) or MCP server (mcps_…) id"))
    }

    pub fn kind(&self) -> ResourceKind {
        if self.0.starts_with(SourceId::PREFIX) {
            ResourceKind::Source
        } else if self.0.starts_with(McpServerId::PREFIX) {
            ResourceKind::McpServer
        } else {
            ResourceKind::Webhook
        }
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl From<&SourceId> for ResourceRef {
    fn from(id: &SourceId) -> Self {
        Self(id.to_string())
    }
}

impl From<&McpServerId> for ResourceRef {
    fn from(id: &McpServerId) -> Self {
        Self(id.to_string())
    }
}

impl From<&WebhookId> for ResourceRef {
    fn from(id: &WebhookId) -> Self {
        Self(id.to_string())
    }
}

impl TryFrom<String> for ResourceRef {
    type Error = String;
    fn try_from(s: String) -> Result<Self, Self::Error> {
        Self::parse(&s)
    }
}

impl From<ResourceRef> for String {
    fn from(r: ResourceRef) -> String {
        r.0
    }
}

/// The longest tool name a scope names: a 32-character server slug, `__`
/// and a 128-character tool name.
pub const MAX_TOOL_SCOPE_CHARS: usize = 32 + 2 + 128;

/// One scope: a REST permission (`projects:read`), `*` (every permission the
/// type allows), or an MCP tool scope (`mcp:*`, `mcp:tool:<name>`).
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct Scope(String);

/// [`Scope::parse`]'s MCP scopes as a regular expression.
pub const MCP_SCOPE_PATTERN: &str = r"^mcp:(?:\*|tool:[A-Za-z0-9_.-]{1,162})$";

impl utoipa::PartialSchema for Scope {
    fn schema() -> utoipa::openapi::RefOr<utoipa::openapi::schema::Schema> {
        let rest: Vec<&str> = std::iter::once("*").chain(Permission::ALL.iter().map(|p| p.as_str())).collect();
        serde_json::from_value(serde_json::json!({
            "description": "One scope: a REST permission (`projects:read`), `*` (every permission the type allows), \
                or an MCP tool scope (`mcp:*`, `mcp:tool:<name>`).",
            "examples": ["projects:read"],
            "oneOf": [
                { "type": "string", "enum": rest },
                { "type": "string", "pattern": MCP_SCOPE_PATTERN },
            ],
        }))
        .expect("a schema")
    }
}

impl utoipa::ToSchema for Scope {}

/// Each key type with the JSON Schema of the `scopes` it takes.
pub fn scopes_by_key_type() -> Vec<(serde_json::Value, serde_json::Value)> {
    KeyType::ALL
        .iter()
        .map(|&key_type| {
            let items = match key_type {
                KeyType::Mcp => serde_json::json!({ "type": "string", "pattern": MCP_SCOPE_PATTERN }),
                other => {
                    let names: Vec<&str> =
                        std::iter::once("*").chain(other.allowed_permissions().iter().map(|p| p.as_str())).collect();
                    serde_json::json!({ "type": "string", "enum": names })
                }
            };
            (serde_json::json!(key_type), serde_json::json!({ "items": items }))
        })
        .collect()
}

impl Scope {
    pub fn parse(s: &str) -> Result<Self, String> {
        // A built-in tool's name, or an upstream one's `<slug>__<tool>`
        // (the MCP specification's tool names: up to 128 of A-Z a-z 0-9 _ - .).
        let valid_tool = |name: &str| {
            (1..=MAX_TOOL_SCOPE_CHARS).contains(&name.len())
                && name.chars().all(|c| c.is_ascii_alphanumeric() || "_.-".contains(c))
        };
        let ok = s == "*"
            || s == "mcp:*"
            || s.strip_prefix("mcp:tool:").is_some_and(valid_tool)
            || Permission::try_from(s.to_owned()).is_ok();
        if ok { Ok(Self(s.to_owned())) } else { Err(format!("`{s}` is not a scope")) }
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    pub(crate) fn is_mcp(&self) -> bool {
        self.0.starts_with("mcp:")
    }
}

impl TryFrom<String> for Scope {
    type Error = String;
    fn try_from(s: String) -> Result<Self, Self::Error> {
        Self::parse(&s)
    }
}

impl From<Scope> for String {
    fn from(s: Scope) -> String {
        s.0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_mcp_scope_pattern_accepts_exactly_the_mcp_scopes_parse_accepts() {
        let pattern = regex::Regex::new(MCP_SCOPE_PATTERN).unwrap();
        let long = format!("mcp:tool:{}", "a".repeat(MAX_TOOL_SCOPE_CHARS));
        for s in [
            "mcp:*",
            "mcp:tool:a",
            "mcp:tool:gh__get.file-x",
            "mcp:tool:",
            "mcp:tool:a b",
            "mcp:",
            "mcp:**",
            &long,
            &long[..long.len() - 1],
        ] {
            assert_eq!(pattern.is_match(s), Scope::parse(s).is_ok(), "{s:?}");
        }
    }

    #[test]
    fn a_resource_id_says_its_kind_and_other_ids_are_refused() {
        let cases = [
            (SourceId::generate().to_string(), ResourceKind::Source),
            (WebhookId::generate().to_string(), ResourceKind::Webhook),
            (McpServerId::generate().to_string(), ResourceKind::McpServer),
        ];
        for (id, kind) in cases {
            assert_eq!(ResourceRef::parse(&id).map(|r| r.kind()), Ok(kind), "{id}");
        }
        for refused in ["prj_01jh3v5d2k8q9w6x7y8z9a0b1c", "mcps_", "anything"] {
            assert!(ResourceRef::parse(refused).is_err(), "{refused}");
        }
    }

    #[test]
    fn a_tool_scope_names_a_built_in_or_a_namespaced_upstream_tool() {
        let longest = format!("mcp:tool:{}__{}", "s".repeat(32), "T".repeat(128));
        for good in ["mcp:*", "mcp:tool:jobs_get", "mcp:tool:docs__searchDocs", "mcp:tool:gh__list.repos-v2", &longest]
        {
            assert!(Scope::parse(good).is_ok(), "{good}");
        }
        let too_long = format!("{longest}x");
        for bad in ["mcp:tool:", "mcp:tool:a b", "mcp:tool:x/y", "mcp:other", too_long.as_str()] {
            assert!(Scope::parse(bad).is_err(), "{bad}");
        }
    }
}
