//! Upstream MCP servers an org registers for a project: the gateway lists
//! their tools to the project's agents as `<slug>__<tool>` and forwards
//! calls to them, sending the stored credential the server names (never
//! shown to agents). The item holds the URL (checked by the webhooks' SSRF
//! guard when set and again before every connection), the credential's id
//! and how to send it; a slug is unique within its project, claimed by an
//! item of its own in the same transaction as the server.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use crate::base::error::DomainError;
use crate::base::ids::{CredentialId, McpServerId, ProjectId};
use crate::base::tenant::{OrgId, TenantId};
use crate::domain::mcp::policy::CallPolicyBinding;
use crate::ports::store::{Item, Key, Partition, Query, SortKey};

pub const PREFIX: &str = "MCPSERVER#";
const SLUG_PREFIX: &str = "MCPSLUG#";
/// The separator between a server's slug and its tool's name.
pub const NAMESPACE_SEPARATOR: &str = "__";
pub const MAX_SLUG_CHARS: usize = 32;
pub const MAX_HEADER_CHARS: usize = 64;

/// A server's short name in its tools' names: lowercase letters, digits and
/// single hyphens, starting with a letter (so `__` never occurs in it and a
/// namespaced name splits one way only).
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(try_from = "String", into = "String")]
#[schema(value_type = String, pattern = "^[a-z][a-z0-9]*(-[a-z0-9]+)*$", max_length = 32, example = "github")]
pub struct Slug(String);

impl Slug {
    pub fn parse(s: &str) -> Result<Self, String> {
        let starts = s.chars().next().is_some_and(|c| c.is_ascii_lowercase());
        let chars = s.chars().all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-');
        let hyphens = !s.ends_with('-') && !s.contains("--");
        if (1..=MAX_SLUG_CHARS).contains(&s.len()) && starts && chars && hyphens {
            Ok(Self(s.to_owned()))
        } else {
            Err(format!(
                "1 to {MAX_SLUG_CHARS} lowercase letters, digits and single hyphens, starting with a letter, not `{s}`"
            ))
        }
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl TryFrom<String> for Slug {
    type Error = String;
    fn try_from(s: String) -> Result<Self, Self::Error> {
        Self::parse(&s)
    }
}

impl From<Slug> for String {
    fn from(s: Slug) -> String {
        s.0
    }
}

/// The name agents see for `tool` of the server `slug`.
pub fn namespaced(slug: &Slug, tool: &str) -> String {
    format!("{}{NAMESPACE_SEPARATOR}{tool}", slug.0)
}

/// The server slug and tool name of a namespaced name, if it is one.
pub fn split(name: &str) -> Option<(Slug, &str)> {
    let (slug, tool) = name.split_once(NAMESPACE_SEPARATOR)?;
    if tool.is_empty() {
        return None;
    }
    Some((Slug::parse(slug).ok()?, tool))
}

/// How the stored credential is sent upstream.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case", tag = "type", deny_unknown_fields)]
pub enum CredentialPlacement {
    /// `Authorization: Bearer <token>` (the default).
    Bearer,
    /// The token as the value of the header `name` (`X-Api-Key`).
    Header {
        /// Letters, digits and hyphens; not one the transport sets itself
        /// (`Host`, `Content-Type`, `Content-Length`, `Accept`,
        /// `Mcp-Session-Id`, `Mcp-Protocol-Version`).
        #[schema(pattern = "^[A-Za-z0-9-]+$", min_length = 1, max_length = 64)]
        name: String,
    },
}

impl CredentialPlacement {
    /// Checks a header name: a token of letters, digits and hyphens, and not
    /// one the transport sets itself.
    pub fn check(&self) -> Result<(), DomainError> {
        let CredentialPlacement::Header { name } = self else { return Ok(()) };
        let reserved = ["host", "content-type", "content-length", "accept", "mcp-session-id", "mcp-protocol-version"];
        let token =
            (1..=MAX_HEADER_CHARS).contains(&name.len()) && name.chars().all(|c| c.is_ascii_alphanumeric() || c == '-');
        if !token {
            return Err(DomainError::field(
                "credential_placement.name",
                format!("a header name of 1 to {MAX_HEADER_CHARS} letters, digits and hyphens"),
            ));
        }
        if reserved.contains(&name.to_ascii_lowercase().as_str()) {
            return Err(DomainError::field("credential_placement.name", "a header the transport sets itself"));
        }
        Ok(())
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct McpServer {
    pub id: McpServerId,
    pub org_id: OrgId,
    pub project_id: ProjectId,
    /// Its tools are `<slug>__<tool>`; unique in the project.
    pub slug: Slug,
    pub display_name: String,
    /// The server's streamable HTTP endpoint.
    pub url: String,
    /// The stored credential sent upstream (a `token` credential).
    pub credential_ref_id: Option<CredentialId>,
    pub credential_placement: CredentialPlacement,
    /// `false` hides its tools from agents and stops its calls.
    pub enabled: bool,
    /// When its tools were last discovered.
    pub discovered_at: Option<DateTime<Utc>>,
    /// The policies on calls of its tools (at most 20), read with it on
    /// every call.
    #[serde(default)]
    pub policy_bindings: Vec<CallPolicyBinding>,
    pub created_by: String,
    pub version: u64,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

impl McpServer {
    pub fn key(tenant: &TenantId, id: &McpServerId) -> Key {
        Key::tenant(tenant, format!("{PREFIX}{id}"))
    }

    pub fn item(&self) -> Result<Item, DomainError> {
        Ok(Item::new(Self::key(&TenantId::acting_for(&self.org_id), &self.id), self.version, self)?)
    }

    pub fn query(tenant: &TenantId) -> Query {
        Query::new(Partition::tenant(tenant), SortKey::BeginsWith(PREFIX.into()))
    }

    /// The item that claims `slug` in `project` (holding the server's id).
    pub fn slug_key(tenant: &TenantId, project: &ProjectId, slug: &Slug) -> Key {
        Key::tenant(tenant, format!("{SLUG_PREFIX}{project}#{}", slug.0))
    }

    pub fn slug_item(&self) -> Result<Item, DomainError> {
        let key = Self::slug_key(&TenantId::acting_for(&self.org_id), &self.project_id, &self.slug);
        Ok(Item::new(key, 1, serde_json::json!({ "mcp_server_id": self.id }))?)
    }

    /// One version on, changed at `now`.
    pub fn next_version(&self, now: DateTime<Utc>) -> Self {
        Self { version: self.version + 1, updated_at: now, ..self.clone() }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn slugs_are_short_lowercase_names_without_double_hyphens() {
        for good in ["github", "a", "docs-search", "k8s"] {
            assert!(Slug::parse(good).is_ok(), "{good}");
        }
        for bad in ["", "GitHub", "1st", "a--b", "a_b", "a__b", "trailing-", "x".repeat(33).as_str()] {
            assert!(Slug::parse(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn a_namespaced_name_splits_back_into_its_slug_and_tool() {
        let slug = Slug::parse("docs-search").unwrap();
        let name = namespaced(&slug, "search__deep");
        assert_eq!(name, "docs-search__search__deep");
        assert_eq!(split(&name), Some((slug, "search__deep")));
        for not_namespaced in ["projects_get", "__tool", "docs__", "Bad__tool"] {
            assert_eq!(split(not_namespaced), None, "{not_namespaced}");
        }
    }

    #[test]
    fn a_credential_header_is_a_token_the_transport_does_not_set() {
        assert!(CredentialPlacement::Bearer.check().is_ok());
        assert!(CredentialPlacement::Header { name: "X-Api-Key".into() }.check().is_ok());
        for bad in ["", "Host", "mcp-session-id", "X Api", "X-Key:"] {
            assert!(CredentialPlacement::Header { name: bad.into() }.check().is_err(), "{bad}");
        }
    }
}
