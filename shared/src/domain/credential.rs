//! Credential references: what a source authenticates with. The item holds
//! the metadata and a fingerprint; the value lives in the secrets store
//! under `controlplane/{org}/{credential_id}` (tagged with the org on AWS)
//! and is read only by the worker that runs a source. No response, log,
//! error or audit record carries it: [`CredentialValue`] has no `Debug` that
//! prints it and no `Serialize`.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use serde_json::Value;
use utoipa::ToSchema;

use crate::base::error::{DomainError, FieldError};
use crate::base::ids::CredentialId;
use crate::base::residency::Region;
use crate::base::tenant::{OrgId, TenantId};
use crate::ports::secrets::{SecretName, SecretValue, SecretsError};
use crate::ports::store::{Item, Key, Partition, Query, SortKey};

pub const CREDENTIAL_PREFIX: &str = "CRED#";
pub const MAX_NAME_CHARS: usize = 100;
/// Longest single field of a value (a token, a password).
pub const MAX_FIELD_CHARS: usize = 8 * 1024;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum CredentialKind {
    /// An IAM role to assume: `{"role_arn": "arn:aws:iam::…:role/…", "external_id": "…"}`.
    AwsRole,
    /// A bearer token: `{"token": "…"}`.
    Token,
    /// `{"username": "…", "password": "…"}`.
    Basic,
    /// A registry login: `{"registry": "ghcr.io", "username": "…", "password": "…"}`.
    Registry,
}

impl CredentialKind {
    pub fn as_str(self) -> &'static str {
        match self {
            CredentialKind::AwsRole => "aws_role",
            CredentialKind::Token => "token",
            CredentialKind::Basic => "basic",
            CredentialKind::Registry => "registry",
        }
    }
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct AwsRole {
    role_arn: String,
    external_id: Option<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Token {
    token: String,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Basic {
    username: String,
    password: String,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Registry {
    registry: String,
    username: String,
    password: String,
}

/// A credential's value, checked against its kind. Never printed.
#[derive(Clone)]
pub struct CredentialValue {
    kind: CredentialKind,
    json: String,
}

impl std::fmt::Debug for CredentialValue {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "CredentialValue({}, ***)", self.kind.as_str())
    }
}

/// A field error that names the field but never repeats the value (serde's
/// messages can quote it). An empty `field` is the whole value.
fn value_error(field: &str, message: &str) -> DomainError {
    let field = if field.is_empty() { "value".to_owned() } else { format!("value.{field}") };
    DomainError::Validation(vec![FieldError::new(field, message)])
}

fn shape<T: serde::de::DeserializeOwned>(value: &Value, kind: CredentialKind) -> Result<T, DomainError> {
    serde_json::from_value(value.clone()).map_err(|e| {
        let message = e.to_string();
        let named = |marker: &str| message.strip_prefix(marker).and_then(|rest| rest.split('`').next());
        let (field, why) = match (named("missing field `"), named("unknown field `")) {
            (Some(field), _) => (field, "is required"),
            (_, Some(field)) => (field, "is not a field of this kind"),
            _ => ("", "is an object of strings"),
        };
        value_error(field, &format!("{why} (a `{}` value)", kind.as_str()))
    })
}

fn present(field: &str, s: &str) -> Result<(), DomainError> {
    if s.is_empty() || s.chars().count() > MAX_FIELD_CHARS {
        return Err(value_error(field, &format!("1 to {MAX_FIELD_CHARS} characters")));
    }
    Ok(())
}

/// `arn:aws[-cn|-us-gov]:iam::<12 digits>:role/<path/name>` ([`role_arn`]).
pub const ROLE_ARN_PATTERN: &str = r"^arn:(?:aws|aws-cn|aws-us-gov):iam::[0-9]{12}:role/[A-Za-z0-9+=,.@_/-]{1,512}$";
const EXTERNAL_ID_PATTERN: &str = r"^[A-Za-z0-9+=,.@:/_-]{2,1224}$";
/// A registry host, then any path.
const REGISTRY_PATTERN: &str = r"^[A-Za-z0-9.:-]+(?:/[\s\S]*)?$";

/// Each kind with the JSON Schema of the `value` [`CredentialValue::parse`]
/// takes for it.
pub fn values_by_kind() -> Vec<(Value, Value)> {
    let text = serde_json::json!({ "type": "string", "minLength": 1, "maxLength": MAX_FIELD_CHARS });
    let shape = |kind: CredentialKind, properties: Value, required: &[&str]| {
        let value = serde_json::json!({
            "type": "object", "additionalProperties": false, "properties": properties, "required": required,
        });
        (serde_json::json!(kind), value)
    };
    vec![
        shape(
            CredentialKind::AwsRole,
            serde_json::json!({
                "role_arn": { "type": "string", "pattern": ROLE_ARN_PATTERN },
                "external_id": { "type": ["string", "null"], "pattern": EXTERNAL_ID_PATTERN },
            }),
            &["role_arn"],
        ),
        shape(CredentialKind::Token, serde_json::json!({ "token": text }), &["token"]),
        shape(
            CredentialKind::Basic,
            serde_json::json!({ "username": text, "password": text }),
            &["username", "password"],
        ),
        shape(
            CredentialKind::Registry,
            serde_json::json!({
                "registry": { "type": "string", "pattern": REGISTRY_PATTERN },
                "username": text,
                "password": text,
            }),
            &["registry", "username", "password"],
        ),
    ]
}

/// `arn:aws[-cn|-us-gov]:iam::<12 digits>:role/<path/name>`.
pub fn role_arn(s: &str) -> Result<(), String> {
    let mut parts = s.splitn(6, ':');
    let (arn, partition, service, region, account, resource) =
        (parts.next(), parts.next(), parts.next(), parts.next(), parts.next(), parts.next());
    let valid = arn == Some("arn")
        && matches!(partition, Some("aws" | "aws-cn" | "aws-us-gov"))
        && service == Some("iam")
        && region == Some("")
        && account.is_some_and(|a| crate::domain::source::config::account_id(a).is_ok())
        && resource.and_then(|r| r.strip_prefix("role/")).is_some_and(|name| {
            (1..=512).contains(&name.len()) && name.chars().all(|c| c.is_ascii_alphanumeric() || "+=,.@_-/".contains(c))
        });
    if valid { Ok(()) } else { Err("not an IAM role ARN (arn:aws:iam::123456789012:role/name)".into()) }
}

impl CredentialValue {
    /// Checks `value` against `kind`: 422 naming `value.<field>`, never
    /// quoting what was sent.
    pub fn parse(kind: CredentialKind, value: &Value) -> Result<Self, DomainError> {
        match kind {
            CredentialKind::AwsRole => {
                let v: AwsRole = shape(value, kind)?;
                role_arn(&v.role_arn).map_err(|m| value_error("role_arn", &m))?;
                if let Some(id) = &v.external_id {
                    let ok = (2..=1224).contains(&id.len())
                        && id.chars().all(|c| c.is_ascii_alphanumeric() || "+=,.@:/-_".contains(c));
                    if !ok {
                        return Err(value_error("external_id", "2 to 1224 letters, digits or +=,.@:/-_"));
                    }
                }
            }
            CredentialKind::Token => {
                let v: Token = shape(value, kind)?;
                present("token", &v.token)?;
            }
            CredentialKind::Basic => {
                let v: Basic = shape(value, kind)?;
                present("username", &v.username)?;
                present("password", &v.password)?;
            }
            CredentialKind::Registry => {
                let v: Registry = shape(value, kind)?;
                let host = v.registry.split('/').next().unwrap_or_default();
                if host.is_empty() || !host.chars().all(|c| c.is_ascii_alphanumeric() || ".-:".contains(c)) {
                    return Err(value_error("registry", "a registry host name, like ghcr.io"));
                }
                present("username", &v.username)?;
                present("password", &v.password)?;
            }
        }
        let json = serde_json::to_string(value).map_err(|e| DomainError::Internal(e.to_string()))?;
        Ok(Self { kind, json })
    }

    /// The value as read back from the secrets store.
    pub fn from_secret(kind: CredentialKind, secret: &SecretValue) -> Result<Self, String> {
        let value: Value = serde_json::from_str(secret.expose()).map_err(|_| "the stored value is not JSON")?;
        Self::parse(kind, &value).map_err(|_| format!("the stored value is not a valid `{}` credential", kind.as_str()))
    }

    pub fn kind(&self) -> CredentialKind {
        self.kind
    }

    pub fn to_secret(&self) -> Result<SecretValue, SecretsError> {
        SecretValue::new(self.json.clone())
    }

    /// One field of the value (`token`, `username`, …), for the system that
    /// needs it.
    pub fn expose(&self, field: &str) -> Option<String> {
        let value: Value = serde_json::from_str(&self.json).ok()?;
        value.get(field).and_then(Value::as_str).map(str::to_owned)
    }

    /// `sha256:` and 16 hex digits of SHA-256 over the org, the id and the
    /// value: shows whether two stored values are the same, never the value.
    pub fn fingerprint(&self, org: &OrgId, id: &CredentialId) -> String {
        let input = format!("controlplane-credential\0{org}\0{id}\0{}", self.json);
        format!("sha256:{}", &crate::base::digest::sha256_hex(input.as_bytes())[..16])
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum TestOutcome {
    Ok,
    Error,
}

/// The last test's outcome: `ok`, or `error` with why.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct TestResult {
    pub outcome: TestOutcome,
    pub message: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct CredentialRef {
    pub id: CredentialId,
    pub org_id: OrgId,
    pub kind: CredentialKind,
    pub name: String,
    /// Where the value is: a Secrets Manager ARN on AWS, the secret's name locally.
    pub secret_arn: String,
    pub fingerprint: String,
    pub last_tested_at: Option<DateTime<Utc>>,
    pub last_test_result: Option<TestResult>,
    /// Sources that use it; it cannot be deleted while any do (unless forced).
    pub sources_using: u32,
    /// Where the value is kept: its org's region (`null` for a credential
    /// made before regions: the default region).
    #[serde(default)]
    pub region: Option<Region>,
    pub created_by: String,
    pub version: u64,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

impl CredentialRef {
    pub fn key(tenant: &TenantId, id: &CredentialId) -> Key {
        Key::tenant(tenant, format!("{CREDENTIAL_PREFIX}{id}"))
    }

    pub fn item(&self) -> Result<Item, DomainError> {
        Ok(Item::new(Self::key(&TenantId::acting_for(&self.org_id), &self.id), self.version, self)?)
    }

    pub fn query(tenant: &TenantId) -> Query {
        Query::new(Partition::tenant(tenant), SortKey::BeginsWith(CREDENTIAL_PREFIX.into()))
    }

    /// The value's name, in the secrets store of `region`.
    pub fn secret_name(
        tenant: &TenantId,
        region: Option<&Region>,
        id: &CredentialId,
    ) -> Result<SecretName, SecretsError> {
        SecretName::new(tenant, region, id.as_str())
    }

    /// One version on, with `sources_using` moved by `delta`.
    pub fn used(&self, delta: i32, now: DateTime<Utc>) -> Self {
        let mut next = self.clone();
        next.sources_using = next.sources_using.saturating_add_signed(delta);
        next.version += 1;
        next.updated_at = now;
        next
    }
}

pub fn check_name(name: &str) -> Result<String, DomainError> {
    let name = name.trim();
    if name.is_empty() || name.chars().count() > MAX_NAME_CHARS {
        return Err(DomainError::field("name", format!("1 to {MAX_NAME_CHARS} characters")));
    }
    if let Some(problem) = crate::base::text::name_problem(name) {
        return Err(DomainError::field("name", problem));
    }
    Ok(name.to_owned())
}

#[cfg(test)]
mod tests {

    #[test]
    fn the_value_patterns_accept_exactly_what_parse_accepts() {
        let arn = regex::Regex::new(ROLE_ARN_PATTERN).unwrap();
        let registry = regex::Regex::new(REGISTRY_PATTERN).unwrap();
        for s in [
            "arn:aws:iam::123456789012:role/ci",
            "arn:aws-cn:iam::123456789012:role/path/to/x+=,.@_-",
            "arn:aws:iam::12345678901:role/ci",
            "arn:aws:iam:us-east-1:123456789012:role/ci",
            "arn:aws:iam::123456789012:user/ci",
            "arn:aws:iam::123456789012:role/",
            "arn:aws:iam::123456789012:role/a:b",
            "arn:aws:iam::123456789012:role/a b",
        ] {
            assert_eq!(arn.is_match(s), role_arn(s).is_ok(), "{s:?}");
        }
        for s in ["ghcr.io", "registry:5000/a b/c", "a.b-c", "", "/x", "gh cr.io", "ghcr.io/", "é.io"] {
            let value = serde_json::json!({ "registry": s, "username": "u", "password": "p" });
            assert_eq!(registry.is_match(s), CredentialValue::parse(CredentialKind::Registry, &value).is_ok(), "{s:?}");
        }
    }

    use serde_json::json;

    use super::*;

    #[test]
    fn values_are_checked_against_their_kind_without_being_quoted() {
        let canary = "canary-7f3a9c";
        assert!(CredentialValue::parse(CredentialKind::Token, &json!({"token": canary})).is_ok());
        for (kind, value, field) in [
            (CredentialKind::Token, json!({"tokn": canary}), "value.tokn"),
            (CredentialKind::Token, json!({"token": ""}), "value.token"),
            (CredentialKind::Basic, json!({"username": canary}), "value.password"),
            (CredentialKind::AwsRole, json!({"role_arn": canary}), "value.role_arn"),
            (
                CredentialKind::Registry,
                json!({"registry": "bad host!", "username": "u", "password": canary}),
                "value.registry",
            ),
            (CredentialKind::Token, json!(canary), "value"),
        ] {
            let Err(DomainError::Validation(errors)) = CredentialValue::parse(kind, &value) else { panic!("{value}") };
            assert_eq!(errors[0].field, field, "{value}");
            assert!(!format!("{errors:?}").contains(canary), "the value is not repeated: {errors:?}");
        }
        let value = CredentialValue::parse(CredentialKind::Token, &json!({"token": canary})).unwrap();
        assert!(!format!("{value:?}").contains(canary));
    }

    #[test]
    fn fingerprints_tell_values_apart_and_do_not_contain_them() {
        let org = OrgId::generate();
        let id = CredentialId::generate();
        let a = CredentialValue::parse(CredentialKind::Token, &json!({"token": "aaaa"})).unwrap();
        let b = CredentialValue::parse(CredentialKind::Token, &json!({"token": "bbbb"})).unwrap();
        assert_eq!(a.fingerprint(&org, &id), a.fingerprint(&org, &id));
        assert_ne!(a.fingerprint(&org, &id), b.fingerprint(&org, &id));
        assert_ne!(a.fingerprint(&org, &id), a.fingerprint(&org, &CredentialId::generate()), "salted by id");
        assert!(a.fingerprint(&org, &id).starts_with("sha256:") && a.fingerprint(&org, &id).len() == 23);
    }

    #[test]
    fn role_arns_name_an_iam_role_in_an_account() {
        assert!(role_arn("arn:aws:iam::123456789012:role/controlplane-read").is_ok());
        assert!(role_arn("arn:aws-us-gov:iam::123456789012:role/path/to/r").is_ok());
        for bad in ["arn:aws:iam::12345:role/x", "arn:aws:s3:::bucket", "arn:aws:iam::123456789012:user/x"] {
            assert!(role_arn(bad).is_err(), "{bad}");
        }
    }
}
