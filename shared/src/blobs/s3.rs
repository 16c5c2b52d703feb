//! The AWS adapter: one S3 object per blob, encrypted at rest (SSE-S3).

use std::sync::Arc;

use async_trait::async_trait;
use aws_sdk_s3::Client;
use aws_sdk_s3::error::DisplayErrorContext;
use aws_sdk_s3::operation::get_object::GetObjectError;
use aws_sdk_s3::presigning::PresigningConfig;
use aws_sdk_s3::primitives::ByteStream;
use aws_sdk_s3::types::ServerSideEncryption;

use crate::aws::Lazy;

use super::{BlobError, BlobKey, Blobs, Stored};

pub struct S3Blobs {
    client: Arc<Lazy<Client>>,
    bucket: String,
}

fn sdk<E: std::error::Error>(e: E) -> BlobError {
    BlobError::Unavailable(DisplayErrorContext(e).to_string())
}

impl S3Blobs {
    /// The bucket, its client built from the process's AWS configuration on
    /// first use (see [`crate::aws`]); no network call.
    pub async fn from_env(bucket: &str) -> Self {
        Self { client: Arc::new(Lazy::new(s3_client)), bucket: bucket.to_owned() }
    }

    async fn client(&self) -> &Client {
        self.client.get().await
    }

    /// Creates the bucket when missing (emulators and tests).
    pub async fn ensure_bucket(&self) -> Result<(), BlobError> {
        if self.client().await.head_bucket().bucket(&self.bucket).send().await.is_ok() {
            return Ok(());
        }
        self.client().await.create_bucket().bucket(&self.bucket).send().await.map(|_| ()).map_err(sdk)
    }
}

/// Path-style addressing against an emulator (`AWS_ENDPOINT_URL`).
fn s3_client(config: &aws_config::SdkConfig) -> Client {
    let emulated = config.endpoint_url().is_some();
    Client::from_conf(aws_sdk_s3::config::Builder::from(config).force_path_style(emulated).build())
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
            .map_err(sdk)?;
        Ok(stored)
    }

    async fn get(&self, key: &BlobKey) -> Result<Option<Vec<u8>>, BlobError> {
        match self.client().await.get_object().bucket(&self.bucket).key(key.as_str()).send().await {
            Ok(out) => {
                let body = out.body.collect().await.map_err(|e| BlobError::Unavailable(e.to_string()))?;
                Ok(Some(body.into_bytes().to_vec()))
            }
            Err(e) if matches!(e.as_service_error(), Some(GetObjectError::NoSuchKey(_))) => Ok(None),
            Err(e) => Err(sdk(e)),
        }
    }

    async fn presigned_get(&self, key: &BlobKey, ttl: std::time::Duration) -> Result<Option<String>, BlobError> {
        let config = PresigningConfig::expires_in(ttl).map_err(|e| BlobError::Unavailable(e.to_string()))?;
        let request = self.client().await.get_object().bucket(&self.bucket).key(key.as_str()).presigned(config).await;
        Ok(Some(request.map_err(sdk)?.uri().to_owned()))
    }

    async fn ping(&self) -> Result<(), BlobError> {
        self.client().await.head_bucket().bucket(&self.bucket).send().await.map(|_| ()).map_err(sdk)
    }
}
