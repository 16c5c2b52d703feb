//! The secrets port: credential values kept outside the table. Two
//! adapters pass one conformance suite: AWS Secrets Manager
//! (`secretsmanager.rs`) and a local store encrypted with AES-256-GCM in
//! the SQLite file (`local.rs`).
//!
//! A secret's name is built from its tenant (`controlplane/{org}/{id}`), so
//! one tenant's code cannot name another's secret, and carries its
//! resource's region, whose store alone keeps it ([`ByRegion`]). Values never print:
//! [`SecretValue`]'s `Debug` is redacted and it has no `Serialize`.

#[cfg(feature = "sqlite")]
pub mod local;
#[cfg(feature = "secretsmanager")]
pub mod secretsmanager;

use std::path::PathBuf;
use std::sync::Arc;

use async_trait::async_trait;

use crate::base::residency::Region;
use crate::base::tenant::TenantId;
use crate::ports::regional::ByRegion;

pub const SECRETS_ENV: &str = "CONTROLPLANE_SECRETS";
/// The longest value kept (Secrets Manager's limit).
pub const MAX_VALUE_BYTES: usize = 64 * 1024;

#[derive(Debug, thiserror::Error)]
pub enum SecretsError {
    #[error("the secrets store is unavailable: {0}")]
    Unavailable(String),
    #[error("invalid secret: {0}")]
    Invalid(String),
}

/// `controlplane/{org}/{id}` in the store of `region` (the default
/// region's when `None`: a resource made before regions).
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct SecretName {
    region: Option<Region>,
    name: String,
}

impl SecretName {
    /// The tenant's secret `id` (letters, digits, `_` and `-`), kept in `region`.
    pub fn new(tenant: &TenantId, region: Option<&Region>, id: &str) -> Result<Self, SecretsError> {
        let valid =
            !id.is_empty() && id.len() <= 128 && id.chars().all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-');
        if !valid {
            return Err(SecretsError::Invalid("a secret id is 1 to 128 letters, digits, `_` or `-`".into()));
        }
        Ok(Self { region: region.cloned(), name: format!("controlplane/{tenant}/{id}") })
    }

    /// The name within its region's store.
    pub fn as_str(&self) -> &str {
        &self.name
    }

    /// The org the name belongs to.
    pub fn tenant(&self) -> &str {
        self.name.split('/').nth(1).unwrap_or_default()
    }

    pub fn region(&self) -> Option<&Region> {
        self.region.as_ref()
    }
}

/// A secret's value. Not printable, not serializable.
#[derive(Clone, PartialEq, Eq)]
pub struct SecretValue(String);

impl SecretValue {
    pub fn new(value: String) -> Result<Self, SecretsError> {
        if value.is_empty() || value.len() > MAX_VALUE_BYTES {
            return Err(SecretsError::Invalid(format!("a value is 1 to {MAX_VALUE_BYTES} bytes")));
        }
        Ok(Self(value))
    }

    /// The value itself: only for handing to the system that needs it.
    pub fn expose(&self) -> &str {
        &self.0
    }
}

impl std::fmt::Debug for SecretValue {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("SecretValue(***)")
    }
}

#[async_trait]
pub trait Secrets: Send + Sync {
    /// Creates or replaces the value; returns its locator (an ARN, or the
    /// name locally).
    async fn put(&self, name: &SecretName, value: &SecretValue) -> Result<String, SecretsError>;

    async fn get(&self, name: &SecretName) -> Result<Option<SecretValue>, SecretsError>;

    /// Deletes it at once (no recovery window); absent is not an error.
    async fn delete(&self, name: &SecretName) -> Result<(), SecretsError>;

    async fn ping(&self) -> Result<(), SecretsError>;
}

pub type DynSecrets = Arc<dyn Secrets>;

impl ByRegion<dyn Secrets> {
    fn of(&self, name: &SecretName) -> Result<&DynSecrets, SecretsError> {
        self.store(name.region()).map_err(SecretsError::Unavailable)
    }
}

#[async_trait]
impl Secrets for ByRegion<dyn Secrets> {
    async fn put(&self, name: &SecretName, value: &SecretValue) -> Result<String, SecretsError> {
        self.of(name)?.put(name, value).await
    }

    async fn get(&self, name: &SecretName) -> Result<Option<SecretValue>, SecretsError> {
        self.of(name)?.get(name).await
    }

    async fn delete(&self, name: &SecretName) -> Result<(), SecretsError> {
        self.of(name)?.delete(name).await
    }

    /// Every region's store answers.
    async fn ping(&self) -> Result<(), SecretsError> {
        for (region, store) in self.all() {
            store.ping().await.map_err(|e| SecretsError::Unavailable(format!("region `{region}`: {e}")))?;
        }
        Ok(())
    }
}

/// Which secrets store: `local://PATH` (key in `PATH.key`, or
/// `CONTROLPLANE_SECRETS_KEY`) or `secretsmanager://`, with
/// `?region=AWS_REGION` when it is another AWS region's than the process's.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SecretsUrl {
    Local(PathBuf),
    SecretsManager { aws_region: Option<String> },
}

impl std::str::FromStr for SecretsUrl {
    type Err = String;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        if s == "secretsmanager" {
            return Ok(SecretsUrl::SecretsManager { aws_region: None });
        }
        if let Some(rest) = s.strip_prefix("secretsmanager://") {
            return match crate::ports::aws::region_query(rest)? {
                ("", aws_region) => Ok(SecretsUrl::SecretsManager { aws_region }),
                (other, _) => Err(format!("`{other}`: secretsmanager:// names no host")),
            };
        }
        match s.strip_prefix("local://") {
            Some(path) if !path.is_empty() => Ok(SecretsUrl::Local(path.into())),
            _ => Err(format!(
                "unsupported secrets store `{s}`: use local://PATH or secretsmanager://[?region=AWS_REGION]"
            )),
        }
    }
}

impl std::fmt::Display for SecretsUrl {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            SecretsUrl::Local(path) => write!(f, "local://{}", path.display()),
            SecretsUrl::SecretsManager { aws_region: None } => f.write_str("secretsmanager://"),
            SecretsUrl::SecretsManager { aws_region: Some(region) } => write!(f, "secretsmanager://?region={region}"),
        }
    }
}

/// Opens the store a URL names; Secrets Manager uses the default AWS
/// configuration and makes no call yet.
pub async fn open(url: &SecretsUrl) -> Result<DynSecrets, SecretsError> {
    match url {
        #[cfg(feature = "sqlite")]
        SecretsUrl::Local(path) => Ok(Arc::new(local::LocalSecrets::open(path)?)),
        #[cfg(not(feature = "sqlite"))]
        SecretsUrl::Local(_) => Err(SecretsError::Unavailable(crate::ports::aws::not_built_in("local://", "sqlite"))),
        #[cfg(feature = "secretsmanager")]
        SecretsUrl::SecretsManager { aws_region } => {
            Ok(Arc::new(secretsmanager::SecretsManager::from_env(aws_region.as_deref()).await))
        }
        #[cfg(not(feature = "secretsmanager"))]
        SecretsUrl::SecretsManager { .. } => {
            Err(SecretsError::Unavailable(crate::ports::aws::not_built_in("secretsmanager://", "secretsmanager")))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::base::tenant::OrgId;

    #[test]
    fn names_are_built_from_the_tenant_and_values_never_print() {
        let org = OrgId::generate();
        let name = SecretName::new(&TenantId::acting_for(&org), None, "cred_1").unwrap();
        assert_eq!(name.as_str(), format!("controlplane/{org}/cred_1"));
        assert_eq!(name.tenant(), org.as_str());
        assert!(SecretName::new(&TenantId::acting_for(&org), None, "../other").is_err());
        let value = SecretValue::new("hunter2".into()).unwrap();
        assert_eq!(format!("{value:?}"), "SecretValue(***)");
        assert!(SecretValue::new(String::new()).is_err());
        assert_eq!("secretsmanager://".parse::<SecretsUrl>(), Ok(SecretsUrl::SecretsManager { aws_region: None }));
        let elsewhere = SecretsUrl::SecretsManager { aws_region: Some("eu-central-1".into()) };
        assert_eq!("secretsmanager://?region=eu-central-1".parse::<SecretsUrl>(), Ok(elsewhere.clone()));
        assert_eq!(elsewhere.to_string(), "secretsmanager://?region=eu-central-1");
        for bad in ["vault://x", "secretsmanager://host", "secretsmanager://?region=eu", "secretsmanager://?x=1"] {
            assert!(bad.parse::<SecretsUrl>().is_err(), "{bad}");
        }
    }
}
