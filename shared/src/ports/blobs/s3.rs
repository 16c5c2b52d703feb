//! The AWS adapter: one S3 object per blob, encrypted at rest (SSE-S3),
//! through `aws-sdk-s3`: its endpoint rules choose the addressing, its
//! checksums guard each body, its presigning API signs download URLs.
//! Against an emulator (`AWS_ENDPOINT_URL`) buckets are addressed by path.
//! Blobs are read and written whole, with longer timeouts than the other
//! services' ([`crate::ports::aws::BLOB_TIMEOUTS`]).

use std::time::Duration;

use async_trait::async_trait;
use aws_config::SdkConfig;
use aws_sdk_s3::Client;
use aws_sdk_s3::error::ProvideErrorMetadata;
use aws_sdk_s3::operation::get_object::GetObjectError;
use aws_sdk_s3::presigning::PresigningConfig;
use aws_sdk_s3::primitives::ByteStream;
use aws_sdk_s3::types::{BucketLocationConstraint, CreateBucketConfiguration, ServerSideEncryption};

use crate::ports::aws::{BLOB_TIMEOUTS, Lazy, describe};

use super::{BlobError, BlobKey, Blobs, Stored};

/// The largest blob read back whole.
const MAX_BLOB_BYTES: i64 = 256 << 20;

/// The process's S3 client, built on first use.
static CLIENT: Lazy<Client> = Lazy::new(client_for);

fn client_for(config: &SdkConfig) -> Client {
    let s3 = aws_sdk_s3::config::Builder::from(config)
        .timeout_config(BLOB_TIMEOUTS.config())
        .force_path_style(config.endpoint_url().is_some())
        .build();
    Client::from_conf(s3)
}

pub struct S3Blobs {
    bucket: String,
    client: Handle,
}

/// The process's client, or one for a bucket in another AWS region.
enum Handle {
    Process(&'static Lazy<Client>),
    Elsewhere(Client),
}

fn unavailable(what: &str, e: impl std::error::Error) -> BlobError {
    BlobError::Unavailable(format!("S3 {what}: {}", describe(e)))
}

impl S3Blobs {
    /// The bucket, in the process's AWS region or `aws_region`; nothing is
    /// sent before the first call.
    pub async fn from_env(bucket: &str, aws_region: Option<&str>) -> Self {
        let client = match aws_region {
            None => Handle::Process(&CLIENT),
            Some(region) => Handle::Elsewhere(crate::ports::aws::client_in(region, client_for).await),
        };
        Self { bucket: bucket.to_owned(), client }
    }

    async fn client(&self) -> &Client {
        match &self.client {
            Handle::Process(lazy) => lazy.get().await,
            Handle::Elsewhere(client) => client,
        }
    }

    /// Creates the bucket when missing (emulators and tests).
    pub async fn ensure_bucket(&self) -> Result<(), BlobError> {
        if self.ping().await.is_ok() {
            return Ok(());
        }
        let client = self.client().await;
        let mut create = client.create_bucket().bucket(&self.bucket);
        match client.config().region().map(|r| r.as_ref()) {
            Some("us-east-1") | None => {}
            Some(region) => {
                let location = BucketLocationConstraint::from(region);
                create = create.create_bucket_configuration(
                    CreateBucketConfiguration::builder().location_constraint(location).build(),
                );
            }
        }
        match create.send().await {
            Ok(_) => Ok(()),
            Err(e) if e.code() == Some("BucketAlreadyOwnedByYou") => Ok(()),
            Err(e) => Err(unavailable("CreateBucket", e)),
        }
    }
}

#[async_trait]
impl Blobs for S3Blobs {
    async fn put(&self, key: &BlobKey, bytes: Vec<u8>, content_type: &str) -> Result<Stored, BlobError> {
        let stored = Stored::of(format!("s3://{}/{}", self.bucket, key.as_str()), &bytes);
        self.client()
            .await
            .put_object()
            .bucket(&self.bucket)
            .key(key.as_str())
            .content_type(content_type)
            .server_side_encryption(ServerSideEncryption::Aes256)
            .body(ByteStream::from(bytes))
            .send()
            .await
            .map_err(|e| unavailable("PutObject", e))?;
        Ok(stored)
    }

    async fn get(&self, key: &BlobKey) -> Result<Option<Vec<u8>>, BlobError> {
        let got = self.client().await.get_object().bucket(&self.bucket).key(key.as_str()).send().await;
        let object = match got {
            Ok(object) => object,
            Err(e) if matches!(e.as_service_error(), Some(GetObjectError::NoSuchKey(_))) => return Ok(None),
            Err(e) => return Err(unavailable("GetObject", e)),
        };
        if object.content_length.is_some_and(|n| n > MAX_BLOB_BYTES) {
            return Err(BlobError::Invalid(format!("{} is larger than {MAX_BLOB_BYTES} bytes", key.as_str())));
        }
        let body = object.body.collect().await.map_err(|e| unavailable("GetObject", e))?;
        Ok(Some(body.into_bytes().to_vec()))
    }

    async fn presigned_get(&self, key: &BlobKey, ttl: Duration) -> Result<Option<String>, BlobError> {
        let presigning = PresigningConfig::expires_in(ttl).map_err(|e| BlobError::Invalid(e.to_string()))?;
        let request = self
            .client()
            .await
            .get_object()
            .bucket(&self.bucket)
            .key(key.as_str())
            .presigned(presigning)
            .await
            .map_err(|e| unavailable("presigning GetObject", e))?;
        Ok(Some(request.uri().to_owned()))
    }

    async fn ping(&self) -> Result<(), BlobError> {
        let head = self.client().await.head_bucket().bucket(&self.bucket).send().await;
        head.map(|_| ()).map_err(|e| unavailable("HeadBucket", e))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ports::aws::look_alike::serving;

    fn key() -> BlobKey {
        BlobKey::new(&crate::TenantId::fresh(), None, "backups", "b.json").unwrap()
    }

    async fn bucket(script: Vec<(u16, &'static str)>) -> (S3Blobs, crate::ports::aws::look_alike::Log) {
        let (config, log) = serving(script).await;
        (S3Blobs { bucket: "bucket".into(), client: Handle::Elsewhere(client_for(&config)) }, log)
    }

    #[tokio::test]
    async fn a_put_asks_for_encryption_at_rest_and_is_addressed_by_path_at_an_emulator() {
        let (blobs, log) = bucket(vec![(200, "")]).await;
        let key = key();
        let stored = blobs.put(&key, b"abc".to_vec(), "application/json").await.unwrap();
        assert_eq!(stored.location, format!("s3://bucket/{}", key.as_str()));
        let log = log.lock().unwrap();
        let (method, path, headers) = (&log[0].method, &log[0].path, &log[0].headers);
        assert_eq!((method, path.as_str()), (&http::Method::PUT, format!("/bucket/{}", key.as_str()).as_str()));
        assert_eq!(headers["x-amz-server-side-encryption"], "AES256");
        assert_eq!(headers["content-type"], "application/json");
        let authorization = headers["authorization"].to_str().unwrap();
        assert!(authorization.starts_with("AWS4-HMAC-SHA256 Credential=AKID/"), "{authorization}");
    }

    #[tokio::test]
    async fn a_missing_key_is_none_but_a_missing_bucket_is_an_error() {
        let (blobs, _) = bucket(vec![(404, "<Error><Code>NoSuchKey</Code></Error>")]).await;
        assert_eq!(blobs.get(&key()).await.unwrap(), None);
        let (blobs, _) = bucket(vec![(404, "<Error><Code>NoSuchBucket</Code></Error>")]).await;
        let error = blobs.get(&key()).await.unwrap_err();
        assert!(error.to_string().contains("NoSuchBucket"), "{error}");
    }

    #[tokio::test]
    async fn a_presigned_url_names_the_object_and_expires() {
        let (blobs, log) = bucket(vec![(200, "")]).await;
        let key = key();
        let url = blobs.presigned_get(&key, Duration::from_secs(300)).await.unwrap().expect("signed");
        let parsed = url::Url::parse(&url).unwrap();
        assert_eq!(parsed.path(), format!("/bucket/{}", key.as_str()));
        let query: std::collections::HashMap<String, String> = parsed.query_pairs().into_owned().collect();
        assert_eq!(query["X-Amz-Expires"], "300");
        assert!(query["X-Amz-Credential"].starts_with("AKID/"), "{url}");
        assert!(!url.contains("secret"));
        assert!(log.lock().unwrap().is_empty(), "presigning sends nothing");
    }
}
