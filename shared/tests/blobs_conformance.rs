//! One suite for both blob adapters: a local directory and S3 on the local
//! emulator.

use std::sync::Arc;

use controlplane::OrgId;
use controlplane::ports::blobs::local::LocalBlobs;
use controlplane::ports::blobs::s3::S3Blobs;
use controlplane::ports::blobs::{BlobKey, DynBlobs};

struct Fixture {
    blobs: DynBlobs,
    /// Whether the store signs download URLs (S3) or downloads go through the API.
    signs_urls: bool,
    _dir: Option<tempfile::TempDir>,
}

async fn local() -> Fixture {
    let dir = tempfile::tempdir().unwrap();
    Fixture { blobs: Arc::new(LocalBlobs::new(&dir.path().join("blobs"))), signs_urls: false, _dir: Some(dir) }
}

async fn s3() -> Fixture {
    assert!(std::env::var_os("AWS_ENDPOINT_URL").is_some(), "needs the local emulator: run scripts/test");
    let bucket = format!("blobs-{}", ulid::Ulid::new().to_string().to_lowercase());
    let blobs = S3Blobs::from_env(&bucket, None).await;
    blobs.ensure_bucket().await.unwrap();
    Fixture { blobs: Arc::new(blobs), signs_urls: true, _dir: None }
}

async fn a_blob_is_read_back_whole_with_its_size_and_checksum(f: Fixture) {
    let key = BlobKey::new(&controlplane::testing::tenant_of(&OrgId::generate()), None, "backups", "b1.json").unwrap();
    let stored = f.blobs.put(&key, b"abc".to_vec(), "application/json").await.unwrap();
    assert_eq!(
        (stored.size, stored.sha256.as_str()),
        (3, "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
    );
    assert!(stored.location.ends_with(key.as_str()), "{}", stored.location);
    assert_eq!(f.blobs.get(&key).await.unwrap(), Some(b"abc".to_vec()));
    f.blobs.put(&key, b"abcd".to_vec(), "application/json").await.unwrap();
    assert_eq!(f.blobs.get(&key).await.unwrap(), Some(b"abcd".to_vec()), "a second put replaces it");
    f.blobs.ping().await.unwrap();
}

async fn a_missing_blob_is_none_and_tenants_are_apart(f: Fixture) {
    let (a, b) = (OrgId::generate(), OrgId::generate());
    let key_a = BlobKey::new(&controlplane::testing::tenant_of(&a), None, "backups", "same.json").unwrap();
    assert_eq!(f.blobs.get(&key_a).await.unwrap(), None);
    f.blobs.put(&key_a, b"for a".to_vec(), "text/plain").await.unwrap();
    let key_b = BlobKey::new(&controlplane::testing::tenant_of(&b), None, "backups", "same.json").unwrap();
    assert_eq!(f.blobs.get(&key_b).await.unwrap(), None);
}

async fn a_presigned_url_downloads_the_blob_without_credentials_where_the_store_signs_one(f: Fixture) {
    let key = BlobKey::new(&controlplane::testing::tenant_of(&OrgId::generate()), None, "exports", "e.csv").unwrap();
    f.blobs.put(&key, b"a,b".to_vec(), "text/csv").await.unwrap();
    let url = f.blobs.presigned_get(&key, std::time::Duration::from_secs(60)).await.unwrap();
    assert_eq!(url.is_some(), f.signs_urls);
    let Some(url) = url else { return };
    let client = controlplane::ports::outbound::client(std::time::Duration::from_secs(2)).unwrap();
    let request = http::Request::get(&url).body(Default::default()).unwrap();
    let what = "GET presigned";
    let (status, body) =
        controlplane::ports::outbound::exchange(&client, request, std::time::Duration::from_secs(5), 1024, what)
            .await
            .unwrap();
    assert_eq!((status.as_u16(), &body[..]), (200, &b"a,b"[..]));
}

macro_rules! on_both {
    ($($case:ident),* $(,)?) => {
        mod local_directory {
            $(
                #[tokio::test]
                async fn $case() {
                    super::$case(super::local().await).await;
                }
            )*
        }
        mod s3_bucket {
            $(
                #[tokio::test]
                async fn $case() {
                    super::$case(super::s3().await).await;
                }
            )*
        }
    };
}

on_both!(
    a_blob_is_read_back_whole_with_its_size_and_checksum,
    a_missing_blob_is_none_and_tenants_are_apart,
    a_presigned_url_downloads_the_blob_without_credentials_where_the_store_signs_one,
);
