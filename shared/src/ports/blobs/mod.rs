//! The blob port: artifacts too big for the table (backups, exports,
//! evidence). Two adapters pass one conformance suite: S3 (`s3.rs`) and a
//! local directory (`local.rs`). A blob's key is built from its tenant
//! (`{org}/{kind}/{name}`), so one tenant's code cannot name another's.

pub mod local;
#[cfg(feature = "s3")]
pub mod s3;

use std::path::PathBuf;
use std::sync::Arc;

use async_trait::async_trait;

use crate::base::tenant::TenantId;

pub const BLOBS_ENV: &str = "CONTROLPLANE_BLOBS";

#[derive(Debug, thiserror::Error)]
pub enum BlobError {
    #[error("the blob store is unavailable: {0}")]
    Unavailable(String),
    #[error("invalid blob: {0}")]
    Invalid(String),
}

/// `{org}/{kind}/{name}`.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct BlobKey(String);

fn is_segment(s: &str) -> bool {
    !s.is_empty()
        && s.len() <= 200
        && !s.starts_with('.')
        && s.chars().all(|c| c.is_ascii_alphanumeric() || matches!(c, '_' | '-' | '.'))
}

impl BlobKey {
    /// A tenant's blob: `kind` (e.g. `backups`) and `name` are letters,
    /// digits, `_`, `-` and `.`, not starting with a dot.
    pub fn new(tenant: &TenantId, kind: &str, name: &str) -> Result<Self, BlobError> {
        if !is_segment(kind) || !is_segment(name) {
            return Err(BlobError::Invalid("kind and name are letters, digits, `_`, `-` and `.`".into()));
        }
        Ok(Self(format!("{tenant}/{kind}/{name}")))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// Where a blob went and what it holds.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize, utoipa::ToSchema)]
pub struct Stored {
    /// `s3://bucket/key` or `file:///path`.
    pub location: String,
    pub size: u64,
    /// Hex SHA-256 of the bytes.
    pub sha256: String,
}

impl Stored {
    pub fn of(location: String, bytes: &[u8]) -> Self {
        Self { location, size: bytes.len() as u64, sha256: crate::base::digest::sha256_hex(bytes) }
    }
}

#[async_trait]
pub trait Blobs: Send + Sync {
    /// Writes the blob whole (replacing one under the same key).
    async fn put(&self, key: &BlobKey, bytes: Vec<u8>, content_type: &str) -> Result<Stored, BlobError>;

    async fn get(&self, key: &BlobKey) -> Result<Option<Vec<u8>>, BlobError>;

    /// A URL that downloads the blob without credentials for `ttl`, where
    /// the store can sign one (S3); `None` where downloads go through the API.
    async fn presigned_get(&self, _key: &BlobKey, _ttl: std::time::Duration) -> Result<Option<String>, BlobError> {
        Ok(None)
    }

    async fn ping(&self) -> Result<(), BlobError>;
}

pub type DynBlobs = Arc<dyn Blobs>;

/// Which blob store: `file://DIR` or `s3://BUCKET`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum BlobsUrl {
    Local(PathBuf),
    S3 { bucket: String },
}

impl std::str::FromStr for BlobsUrl {
    type Err = String;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        if let Some(dir) = s.strip_prefix("file://").filter(|d| !d.is_empty()) {
            return Ok(BlobsUrl::Local(dir.into()));
        }
        let bucket_ok = |b: &str| {
            (3..=63).contains(&b.len())
                && b.chars().all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-' || c == '.')
        };
        match s.strip_prefix("s3://") {
            Some(bucket) if bucket_ok(bucket) => Ok(BlobsUrl::S3 { bucket: bucket.into() }),
            _ => Err(format!("unsupported blob store `{s}`: use file://DIR or s3://BUCKET")),
        }
    }
}

impl std::fmt::Display for BlobsUrl {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            BlobsUrl::Local(dir) => write!(f, "file://{}", dir.display()),
            BlobsUrl::S3 { bucket } => write!(f, "s3://{bucket}"),
        }
    }
}

/// Opens the store a URL names; S3 uses the default AWS configuration and
/// makes no call yet.
pub async fn open(url: &BlobsUrl) -> Result<DynBlobs, BlobError> {
    Ok(match url {
        BlobsUrl::Local(dir) => Arc::new(local::LocalBlobs::new(dir)),
        #[cfg(feature = "s3")]
        BlobsUrl::S3 { bucket } => Arc::new(s3::S3Blobs::from_env(bucket).await),
        #[cfg(not(feature = "s3"))]
        BlobsUrl::S3 { .. } => return Err(BlobError::Unavailable(crate::ports::aws::not_built_in("s3://", "s3"))),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::base::tenant::OrgId;

    #[test]
    fn keys_are_built_from_the_tenant_and_refuse_paths() {
        let org = OrgId::generate();
        assert_eq!(
            BlobKey::new(&TenantId::acting_for(&org), "backups", "b1.json").unwrap().as_str(),
            format!("{org}/backups/b1.json")
        );
        for bad in ["../x", "a/b", ".hidden", ""] {
            assert!(BlobKey::new(&TenantId::acting_for(&org), "backups", bad).is_err(), "{bad}");
        }
        assert_eq!("s3://my-bucket".parse::<BlobsUrl>(), Ok(BlobsUrl::S3 { bucket: "my-bucket".into() }));
        assert!("s3://No_Caps".parse::<BlobsUrl>().is_err());
    }
}
