//! API keys: four types, each with the scopes it may carry, bound to one
//! project. A key's token is shown once; only its SHA-256 is stored, in the
//! key item and in a global lookup item (`K#{hash}`) that maps it to the org
//! and key id before the tenant is known.

use std::collections::BTreeSet;

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use subtle::ConstantTimeEq;

pub use crate::base::access::{KeyType, ResourceKind, ResourceRef, Scope};
use crate::base::error::DomainError;
use crate::base::ids::{KeyId, ProjectId};
use crate::base::rbac::Permission;
use crate::base::tenant::{OrgId, TenantId};
use crate::ports::store::{Item, Key, Partition, Query, SortKey};

pub const KEY_PREFIX: &str = "KEY#";
/// Random bytes in a token (then base64url: 43 characters).
pub const TOKEN_BYTES: usize = 32;
pub const MAX_NAME_CHARS: usize = 64;
/// The most resources one key may be limited to.
pub const MAX_RESOURCES: usize = 100;

/// A key's name: 1–64 characters after trimming, no control characters.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct KeyName(String);

impl utoipa::PartialSchema for KeyName {
    fn schema() -> utoipa::openapi::RefOr<utoipa::openapi::schema::Schema> {
        crate::base::text::name_schema(MAX_NAME_CHARS, Some("checkout backend"))
    }
}

impl utoipa::ToSchema for KeyName {}

impl TryFrom<String> for KeyName {
    type Error = &'static str;
    fn try_from(s: String) -> Result<Self, Self::Error> {
        let s = s.trim();
        if s.is_empty() || s.chars().count() > MAX_NAME_CHARS {
            return Err("must be 1 to 64 characters");
        }
        if let Some(problem) = crate::base::text::name_problem(s) {
            return Err(problem);
        }
        Ok(Self(s.to_owned()))
    }
}

impl From<KeyName> for String {
    fn from(n: KeyName) -> String {
        n.0
    }
}

/// Checks scopes against a key type: 422 naming the first it may not carry.
pub fn check_scopes(key_type: KeyType, scopes: &BTreeSet<Scope>) -> Result<(), DomainError> {
    if scopes.is_empty() {
        return Err(DomainError::field("scopes", "give at least one scope"));
    }
    for scope in scopes {
        let allowed = match key_type {
            KeyType::Mcp => scope.is_mcp(),
            other => {
                scope.as_str() == "*"
                    || Permission::try_from(scope.as_str().to_owned())
                        .is_ok_and(|p| other.allowed_permissions().contains(&p))
            }
        };
        if !allowed {
            return Err(DomainError::field(
                "scopes",
                format!(
                    "a {} key may not carry `{}`",
                    serde_json::json!(key_type).as_str().unwrap_or(""),
                    scope.as_str()
                ),
            ));
        }
    }
    Ok(())
}

/// The permissions scopes grant a key of `key_type`: for an `mcp` key,
/// those of the built-in tools it is granted, which it holds through the
/// MCP gateway only (on a REST route it holds none).
pub fn permissions(key_type: KeyType, scopes: &BTreeSet<Scope>) -> BTreeSet<Permission> {
    if key_type == KeyType::Mcp {
        return crate::domain::mcp::permissions(scopes);
    }
    let allowed = key_type.allowed_permissions();
    if scopes.iter().any(|s| s.as_str() == "*") {
        return allowed.iter().copied().collect();
    }
    scopes
        .iter()
        .filter_map(|s| Permission::try_from(s.as_str().to_owned()).ok())
        .filter(|p| allowed.contains(p))
        .collect()
}

/// Checks a key's resource list: 422 beyond [`MAX_RESOURCES`].
pub fn check_resources(resources: &BTreeSet<ResourceRef>) -> Result<(), DomainError> {
    if resources.len() > MAX_RESOURCES {
        return Err(DomainError::field("resources", format!("list at most {MAX_RESOURCES} resources")));
    }
    Ok(())
}

/// A fresh token and its hash. The token is returned to the caller once.
pub struct NewToken {
    pub token: String,
    pub hash: String,
}

impl NewToken {
    pub fn generate(key_type: KeyType) -> Self {
        let bytes: [u8; TOKEN_BYTES] = rand::random();
        let token = format!("{}{}", key_type.token_prefix(), URL_SAFE_NO_PAD.encode(bytes));
        let hash = hash_token(&token);
        Self { token, hash }
    }

    pub fn last4(&self) -> String {
        self.token[self.token.len() - 4..].to_owned()
    }
}

/// Hex SHA-256 of a token: what is stored and looked up.
pub fn hash_token(token: &str) -> String {
    crate::base::digest::sha256_hex(token.as_bytes())
}

/// One token hash a key accepts; a rotated-out one until `valid_until`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TokenHash {
    pub hash: String,
    pub valid_until: Option<DateTime<Utc>>,
}

/// A key as the API shows it: never the token or a hash.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct ApiKey {
    pub id: KeyId,
    pub org_id: OrgId,
    pub project_id: ProjectId,
    pub name: KeyName,
    #[serde(rename = "type")]
    pub key_type: KeyType,
    pub scopes: BTreeSet<Scope>,
    /// Resources the key is limited to. For each kind listed (sources,
    /// webhooks) the key reaches only the listed ids of that kind; kinds
    /// not listed are governed by the scopes alone. Empty: no limit.
    #[serde(default)]
    pub resources: BTreeSet<ResourceRef>,
    /// The token's type prefix, e.g. `sk_live_`.
    pub prefix: String,
    /// The token's last four characters, to recognise it.
    pub last4: String,
    pub enabled: bool,
    pub expires_at: Option<DateTime<Utc>>,
    pub revoked_at: Option<DateTime<Utc>>,
    /// When the token before the last rotation stops working.
    pub previous_token_valid_until: Option<DateTime<Utc>>,
    /// The member who created the key. The key never grants more than
    /// this member's role does now: its permissions are intersected with
    /// the role's on every request, so a demotion (or the member leaving)
    /// narrows the key from the next request on.
    pub created_by: String,
    pub version: u64,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

/// The stored key: the view plus the hashes it accepts.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct StoredKey {
    #[serde(flatten)]
    pub key: ApiKey,
    pub hashes: Vec<TokenHash>,
}

/// Why a presented key is refused (each is a distinct 401 code).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Refusal {
    Unknown,
    Disabled,
    Revoked,
    Expired,
    RotatedOut,
}

impl Refusal {
    pub fn into_error(self) -> DomainError {
        let (code, detail) = match self {
            Refusal::Unknown => ("invalid_key", "the API key is not valid"),
            Refusal::Disabled => ("key_disabled", "the API key is disabled"),
            Refusal::Revoked => ("key_revoked", "the API key was revoked"),
            Refusal::Expired => ("key_expired", "the API key has expired"),
            Refusal::RotatedOut => ("key_rotated", "this token was rotated out and its grace period is over"),
        };
        DomainError::unauthenticated(code, detail)
    }
}

impl StoredKey {
    pub fn key(tenant: &TenantId, id: &KeyId) -> Key {
        Key::tenant(tenant, format!("{KEY_PREFIX}{id}"))
    }

    pub fn item(&self) -> Result<Item, DomainError> {
        Ok(Item::new(Self::key(&TenantId::acting_for(&self.key.org_id), &self.key.id), self.key.version, self)?)
    }

    pub fn query(tenant: &TenantId) -> Query {
        Query::new(Partition::tenant(tenant), SortKey::BeginsWith(KEY_PREFIX.into()))
    }

    /// Whether `token_hash` opens this key now (constant-time comparison).
    pub fn admits(&self, token_hash: &str, now: DateTime<Utc>) -> Result<(), Refusal> {
        let matched = self.hashes.iter().find(|h| bool::from(h.hash.as_bytes().ct_eq(token_hash.as_bytes())));
        let Some(matched) = matched else { return Err(Refusal::Unknown) };
        if self.key.revoked_at.is_some() {
            return Err(Refusal::Revoked);
        }
        if !self.key.enabled {
            return Err(Refusal::Disabled);
        }
        if self.key.expires_at.is_some_and(|at| at <= now) {
            return Err(Refusal::Expired);
        }
        if matched.valid_until.is_some_and(|until| until <= now) {
            return Err(Refusal::RotatedOut);
        }
        Ok(())
    }
}

/// The global lookup item: token hash -> org, key and creator ids (ids
/// only). The creator is here so a request reads the creator's membership
/// in the same batch as the key (see [`ApiKey::created_by`]); lookups
/// written before it was carried have none, and the request reads the
/// membership after the key.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct KeyLookup {
    pub org_id: OrgId,
    pub key_id: KeyId,
    #[serde(default)]
    pub created_by: Option<String>,
}

impl KeyLookup {
    pub fn item(hash: &str, key: &ApiKey, expires_at: Option<i64>) -> Result<Item, DomainError> {
        let lookup =
            KeyLookup { org_id: key.org_id.clone(), key_id: key.id.clone(), created_by: Some(key.created_by.clone()) };
        let item = Item::new(Key::key_hash(hash), 1, lookup)?;
        Ok(match expires_at {
            Some(at) => item.expiring_at(at),
            None => item,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn scopes(list: &[&str]) -> BTreeSet<Scope> {
        list.iter().map(|s| Scope::parse(s).unwrap()).collect()
    }

    #[test]
    fn tokens_carry_their_type_prefix_and_enough_randomness() {
        let a = NewToken::generate(KeyType::Secret);
        let b = NewToken::generate(KeyType::Secret);
        assert!(a.token.starts_with("sk_live_"));
        assert_eq!(a.token.len(), "sk_live_".len() + 43);
        assert_ne!(a.token, b.token);
        assert_eq!(a.hash, hash_token(&a.token));
        assert_eq!(KeyType::of_token(&a.token), Some(KeyType::Secret));
        assert_eq!(KeyType::of_token("eyJhbGciOi"), None);
    }

    #[test]
    fn token_hashes_are_lowercase_hex_sha256() {
        assert_eq!(hash_token("abc"), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
    }

    #[test]
    fn each_type_accepts_only_its_scopes() {
        assert!(check_scopes(KeyType::Public, &scopes(&["projects:read"])).is_ok());
        assert!(check_scopes(KeyType::Public, &scopes(&["projects:write"])).is_err());
        assert!(check_scopes(KeyType::Secret, &scopes(&["projects:write", "jobs:manage"])).is_ok());
        assert!(check_scopes(KeyType::Secret, &scopes(&["members:manage"])).is_err());
        assert!(check_scopes(KeyType::Mcp, &scopes(&["mcp:tool:search", "mcp:*"])).is_ok());
        assert!(check_scopes(KeyType::Mcp, &scopes(&["projects:read"])).is_err());
        assert!(check_scopes(KeyType::Secret, &scopes(&["mcp:*"])).is_err());
        assert!(check_scopes(KeyType::Secret, &BTreeSet::new()).is_err());
        assert!(Scope::parse("mcp:tool:Bad Name").is_err());
    }

    #[test]
    fn a_star_grants_what_the_type_allows_and_nothing_more() {
        let granted = permissions(KeyType::Public, &scopes(&["*"]));
        assert_eq!(granted, BTreeSet::from([Permission::ProjectsRead, Permission::UsageRead]));
        assert!(permissions(KeyType::Public, &scopes(&["mcp:*"])).is_empty());
        assert!(permissions(KeyType::Mcp, &scopes(&["mcp:tool:jobs_get"])).contains(&Permission::JobsRead));
    }
}
