//! The blob port: artifacts too big for the table (backups, exports,
//! evidence). Two adapters pass one conformance suite: S3 (`s3.rs`) and a
//! local directory (`local.rs`). A blob's key is built from its tenant
//! (`{org}/{kind}/{name}`), so one tenant's code cannot name another's,
//! and carries its resource's region, whose store alone keeps it
//! ([`ByRegion`]).

pub mod local;
#[cfg(feature = "s3")]
pub mod s3;

use std::path::PathBuf;
use std::sync::Arc;

use async_trait::async_trait;

use crate::base::residency::Region;
use crate::base::tenant::TenantId;
use crate::ports::regional::ByRegion;

pub const BLOBS_ENV: &str = "CONTROLPLANE_BLOBS";

#[derive(Debug, thiserror::Error)]
pub enum BlobError {
    #[error("the blob store is unavailable: {0}")]
    Unavailable(String),
    #[error("invalid blob: {0}")]
    Invalid(String),
}

/// `{org}/{kind}/{name}` in the store of `region` (the default region's
/// when `None`: a resource made before regions).
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct BlobKey {
    region: Option<Region>,
    path: String,
}

fn is_segment(s: &str) -> bool {
    !s.is_empty()
        && s.len() <= 200
        && !s.starts_with('.')
        && s.chars().all(|c| c.is_ascii_alphanumeric() || matches!(c, '_' | '-' | '.'))
}

impl BlobKey {
    /// A tenant's blob kept in `region`: `kind` (e.g. `backups`) and
    /// `name` are letters, digits, `_`, `-` and `.`, not starting with a dot.
    pub fn new(tenant: &TenantId, region: Option<&Region>, kind: &str, name: &str) -> Result<Self, BlobError> {
        if !is_segment(kind) || !is_segment(name) {
            return Err(BlobError::Invalid("kind and name are letters, digits, `_`, `-` and `.`".into()));
        }
        Ok(Self { region: region.cloned(), path: format!("{tenant}/{kind}/{name}") })
    }

    /// The path within its region's store.
    pub fn as_str(&self) -> &str {
        &self.path
    }

    pub fn region(&self) -> Option<&Region> {
        self.region.as_ref()
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

impl ByRegion<dyn Blobs> {
    fn of(&self, key: &BlobKey) -> Result<&DynBlobs, BlobError> {
        self.store(key.region()).map_err(BlobError::Unavailable)
    }
}

#[async_trait]
impl Blobs for ByRegion<dyn Blobs> {
    async fn put(&self, key: &BlobKey, bytes: Vec<u8>, content_type: &str) -> Result<Stored, BlobError> {
        self.of(key)?.put(key, bytes, content_type).await
    }

    async fn get(&self, key: &BlobKey) -> Result<Option<Vec<u8>>, BlobError> {
        self.of(key)?.get(key).await
    }

    async fn presigned_get(&self, key: &BlobKey, ttl: std::time::Duration) -> Result<Option<String>, BlobError> {
        self.of(key)?.presigned_get(key, ttl).await
    }

    /// Every region's store answers.
    async fn ping(&self) -> Result<(), BlobError> {
        for (region, store) in self.all() {
            store.ping().await.map_err(|e| BlobError::Unavailable(format!("region `{region}`: {e}")))?;
        }
        Ok(())
    }
}

/// Which blob store: `file://DIR`, or `s3://BUCKET` with
/// `?region=AWS_REGION` when the bucket is in another AWS region than the
/// process.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum BlobsUrl {
    Local(PathBuf),
    S3 { bucket: String, aws_region: Option<String> },
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
        let unsupported = || format!("unsupported blob store `{s}`: use file://DIR or s3://BUCKET[?region=AWS_REGION]");
        let (bucket, aws_region) = crate::ports::aws::region_query(s.strip_prefix("s3://").ok_or_else(unsupported)?)?;
        if !bucket_ok(bucket) {
            return Err(unsupported());
        }
        Ok(BlobsUrl::S3 { bucket: bucket.into(), aws_region })
    }
}

impl std::fmt::Display for BlobsUrl {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            BlobsUrl::Local(dir) => write!(f, "file://{}", dir.display()),
            BlobsUrl::S3 { bucket, aws_region: None } => write!(f, "s3://{bucket}"),
            BlobsUrl::S3 { bucket, aws_region: Some(region) } => write!(f, "s3://{bucket}?region={region}"),
        }
    }
}

/// Opens the store a URL names; S3 uses the default AWS configuration and
/// makes no call yet.
pub async fn open(url: &BlobsUrl) -> Result<DynBlobs, BlobError> {
    Ok(match url {
        BlobsUrl::Local(dir) => Arc::new(local::LocalBlobs::new(dir)),
        #[cfg(feature = "s3")]
        BlobsUrl::S3 { bucket, aws_region } => Arc::new(s3::S3Blobs::from_env(bucket, aws_region.as_deref()).await),
        #[cfg(not(feature = "s3"))]
        BlobsUrl::S3 { .. } => return Err(BlobError::Unavailable(crate::ports::aws::not_built_in("s3://", "s3"))),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::base::tenant::OrgId;

    #[tokio::test]
    async fn regional_blobs_keep_each_key_in_its_regions_store_and_answer_for_every_store() {
        let dir = tempfile::tempdir().unwrap();
        let (us, eu) = (Region::parse("us").unwrap(), Region::parse("eu").unwrap());
        let local = |name: &str| -> DynBlobs { Arc::new(local::LocalBlobs::new(&dir.path().join(name))) };
        let stores = ByRegion::new(us.clone(), local("us")).with(eu.clone(), local("eu"));
        let tenant = TenantId::acting_for(&OrgId::generate());
        let key = BlobKey::new(&tenant, Some(&eu), "backups", "b.json").unwrap();
        stores.put(&key, b"{}".to_vec(), "application/json").await.unwrap();
        assert!(dir.path().join("eu").join(key.as_str()).exists());
        assert!(!dir.path().join("us").join(key.as_str()).exists());
        assert_eq!(stores.get(&key).await.unwrap(), Some(b"{}".to_vec()));
        let unserved = BlobKey::new(&tenant, Some(&Region::parse("ap").unwrap()), "backups", "b.json").unwrap();
        assert!(matches!(stores.get(&unserved).await, Err(BlobError::Unavailable(_))), "never another region's store");

        stores.ping().await.unwrap();
        std::fs::write(dir.path().join("blocked"), b"a file, not a folder").unwrap();
        let broken = stores.with(Region::parse("ap").unwrap(), local("blocked"));
        let refused = broken.ping().await.unwrap_err().to_string();
        assert!(refused.contains("region `ap`"), "{refused}");
    }

    #[test]
    fn keys_are_built_from_the_tenant_and_refuse_paths() {
        let org = OrgId::generate();
        assert_eq!(
            BlobKey::new(&TenantId::acting_for(&org), None, "backups", "b1.json").unwrap().as_str(),
            format!("{org}/backups/b1.json")
        );
        for bad in ["../x", "a/b", ".hidden", ""] {
            assert!(BlobKey::new(&TenantId::acting_for(&org), None, "backups", bad).is_err(), "{bad}");
        }
        assert_eq!(
            "s3://my-bucket".parse::<BlobsUrl>(),
            Ok(BlobsUrl::S3 { bucket: "my-bucket".into(), aws_region: None })
        );
        let elsewhere = BlobsUrl::S3 { bucket: "my-bucket".into(), aws_region: Some("eu-west-1".into()) };
        assert_eq!("s3://my-bucket?region=eu-west-1".parse::<BlobsUrl>(), Ok(elsewhere.clone()));
        assert_eq!(elsewhere.to_string(), "s3://my-bucket?region=eu-west-1");
        for bad in ["s3://No_Caps", "s3://my-bucket?region=mars", "s3://my-bucket?zone=eu-west-1"] {
            assert!(bad.parse::<BlobsUrl>().is_err(), "{bad}");
        }
    }
}
