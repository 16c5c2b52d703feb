//! The AWS adapter: one S3 object per blob, encrypted at rest (SSE-S3).
//!
//! Four requests and a presigned URL (PutObject, GetObject, HeadBucket,
//! CreateBucket; GetObject presigned), signed here ([`crate::aws::signed`])
//! rather than through `aws-sdk-s3`: that crate put ~0.9 MiB into each
//! binary holding it, 0.7 of it CRC32/CRC32C/CRC64 tables and SIMD
//! variants that its checksum crate links whatever the checksum settings
//! (BENCHMARKS.md, history). Addressing is virtual-hosted on AWS,
//! path-style for a dotted bucket and against an emulator's
//! `AWS_ENDPOINT_URL`; S3 checks the body against its signed SHA-256; S3's
//! error code is in every error's message.

use std::time::{Duration, SystemTime};

use async_trait::async_trait;
use bytes::Bytes;
use http::{Method, StatusCode};
use tokio::sync::OnceCell;

use crate::aws::signed::{self, Account, Answer, Call, EMPTY_SHA256, Signer};
use crate::outbound;

use super::{BlobError, BlobKey, Blobs, Stored};

/// One attempt, sending or reading a whole blob.
const ATTEMPT_TIMEOUT: Duration = Duration::from_secs(60);
/// The largest blob read back whole.
const MAX_BLOB_BYTES: usize = 256 << 20;

pub struct S3Blobs {
    bucket: String,
    /// Built from the process's AWS configuration on first use.
    target: OnceCell<Target>,
}

/// The account and the bucket's URLs in it.
struct Target {
    account: &'static Account,
    addressing: Addressing,
}

/// A bucket's URLs.
#[derive(Debug, PartialEq, Eq)]
struct Addressing {
    bucket: String,
    /// Ends with `/`: an object's URL is this and its key.
    objects: String,
}

impl Addressing {
    /// Path-style on `endpoint` (an emulator); else virtual-hosted on AWS,
    /// or path-style there for a bucket whose dots its TLS certificate's
    /// wildcard would not cover.
    fn new(bucket: &str, region: &str, endpoint: Option<&str>) -> Self {
        let path_style = |base: &str| Self { bucket: format!("{base}/{bucket}"), objects: format!("{base}/{bucket}/") };
        if let Some(base) = endpoint {
            return path_style(base.trim_end_matches('/'));
        }
        let domain = signed::domain(region);
        if bucket.contains('.') {
            return path_style(&format!("https://s3.{region}.{domain}"));
        }
        let base = format!("https://{bucket}.s3.{region}.{domain}/");
        Self { bucket: base.clone(), objects: base }
    }

    fn object(&self, key: &BlobKey) -> String {
        format!("{}{}", self.objects, key.as_str())
    }
}

/// The text of `<tag>` in an S3 error document.
fn element<'a>(xml: &'a str, tag: &str) -> Option<&'a str> {
    let start = xml.find(&format!("<{tag}>"))? + tag.len() + 2;
    let len = xml[start..].find(&format!("</{tag}>"))?;
    Some(&xml[start..start + len])
}

/// S3's error code (`NoSuchKey`, `SlowDown`, …), when the answer has one.
fn code(answer: &Answer) -> Option<&str> {
    element(std::str::from_utf8(&answer.body).ok()?, "Code")
}

/// Worth another attempt: a server error, throttling, or S3 timing out
/// waiting for the body. (A success's body is a blob, never read as an
/// error document.)
fn is_transient(answer: &Answer) -> bool {
    outbound::is_transient(answer.status)
        || (!answer.status.is_success() && matches!(code(answer), Some("RequestTimeout" | "SlowDown")))
}

fn failure(answer: &Answer, what: &str) -> BlobError {
    let text = std::str::from_utf8(&answer.body).unwrap_or_default();
    let message = element(text, "Message").unwrap_or_default();
    BlobError::Unavailable(format!("S3 {what}: {} {} {message}", answer.status, code(answer).unwrap_or_default()))
}

impl S3Blobs {
    /// The bucket; nothing is read or sent before the first call.
    pub async fn from_env(bucket: &str) -> Self {
        Self { bucket: bucket.to_owned(), target: OnceCell::new() }
    }

    /// A bucket in `account` (tests: an S3 look-alike).
    #[cfg(test)]
    fn in_account(bucket: &str, account: &'static Account) -> Self {
        let addressing = Addressing::new(bucket, &account.region, account.endpoint.as_deref());
        Self { bucket: bucket.to_owned(), target: OnceCell::new_with(Some(Target { account, addressing })) }
    }

    async fn target(&self) -> &Target {
        self.target
            .get_or_init(|| async {
                let account = signed::account().await;
                let addressing = Addressing::new(&self.bucket, &account.region, account.endpoint.as_deref());
                Target { account, addressing }
            })
            .await
    }

    /// Sends a signed request (retried while transient); S3's last answer.
    async fn call(
        &self,
        method: Method,
        url: &str,
        headers: &[(&str, &str)],
        body: Bytes,
        sha256: &str,
    ) -> Result<Answer, BlobError> {
        let call = Call {
            service: "s3",
            method,
            url,
            headers,
            body,
            body_sha256: sha256,
            timeout: ATTEMPT_TIMEOUT,
            max_answer: MAX_BLOB_BYTES,
        };
        self.target().await.account.send(call, is_transient).await.map_err(BlobError::Unavailable)
    }

    /// Creates the bucket when missing (emulators and tests).
    pub async fn ensure_bucket(&self) -> Result<(), BlobError> {
        if self.ping().await.is_ok() {
            return Ok(());
        }
        let target = self.target().await;
        let body = match target.account.region.as_str() {
            "us-east-1" | "" => String::new(),
            region => format!(
                "<CreateBucketConfiguration xmlns=\"http://s3.amazonaws.com/doc/2006-03-01/\">\
                 <LocationConstraint>{region}</LocationConstraint></CreateBucketConfiguration>"
            ),
        };
        let sha256 = crate::digest::sha256_hex(body.as_bytes());
        let answer = self.call(Method::PUT, &target.addressing.bucket, &[], Bytes::from(body), &sha256).await?;
        match (answer.status, code(&answer)) {
            (status, _) if status.is_success() => Ok(()),
            (_, Some("BucketAlreadyOwnedByYou")) => Ok(()),
            _ => Err(failure(&answer, "CreateBucket")),
        }
    }
}

#[async_trait]
impl Blobs for S3Blobs {
    async fn put(&self, key: &BlobKey, bytes: Vec<u8>, content_type: &str) -> Result<Stored, BlobError> {
        let stored = Stored::of(format!("s3://{}/{}", self.bucket, key.as_str()), &bytes);
        let url = self.target().await.addressing.object(key);
        let headers = [("content-type", content_type), ("x-amz-server-side-encryption", "AES256")];
        let answer = self.call(Method::PUT, &url, &headers, Bytes::from(bytes), &stored.sha256).await?;
        if !answer.status.is_success() {
            return Err(failure(&answer, "PutObject"));
        }
        Ok(stored)
    }

    async fn get(&self, key: &BlobKey) -> Result<Option<Vec<u8>>, BlobError> {
        let url = self.target().await.addressing.object(key);
        let answer = self.call(Method::GET, &url, &[], Bytes::new(), EMPTY_SHA256).await?;
        match answer.status {
            status if status.is_success() => Ok(Some(answer.body.to_vec())),
            StatusCode::NOT_FOUND if code(&answer) == Some("NoSuchKey") => Ok(None),
            _ => Err(failure(&answer, "GetObject")),
        }
    }

    async fn presigned_get(&self, key: &BlobKey, ttl: Duration) -> Result<Option<String>, BlobError> {
        let target = self.target().await;
        let identity = target.account.identity().await.map_err(BlobError::Unavailable)?;
        let url = target.addressing.object(key);
        let region = &target.account.region;
        let signer = Signer { identity: &identity, region, service: "s3", time: SystemTime::now() };
        signer.presigned_url(&url, ttl).map(Some).map_err(|e| BlobError::Unavailable(format!("presigning {url}: {e}")))
    }

    async fn ping(&self) -> Result<(), BlobError> {
        let url = &self.target().await.addressing.bucket;
        let answer = self.call(Method::HEAD, url, &[], Bytes::new(), EMPTY_SHA256).await?;
        if !answer.status.is_success() {
            return Err(failure(&answer, "HeadBucket"));
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::aws::signed::look_alike::{Log, serving};

    #[test]
    fn buckets_are_virtual_hosted_on_aws_and_path_style_on_an_emulator_or_with_dots() {
        let org = crate::tenant::OrgId::generate();
        let key = BlobKey::new(&org, "backups", "b.json").unwrap();
        let aws = Addressing::new("my-bucket", "eu-west-1", None);
        assert_eq!(aws.bucket, "https://my-bucket.s3.eu-west-1.amazonaws.com/");
        assert_eq!(aws.object(&key), format!("https://my-bucket.s3.eu-west-1.amazonaws.com/{org}/backups/b.json"));
        let china = Addressing::new("my-bucket", "cn-north-1", None);
        assert_eq!(china.bucket, "https://my-bucket.s3.cn-north-1.amazonaws.com.cn/");
        let dotted = Addressing::new("my.bucket", "us-east-1", None);
        assert_eq!(dotted.object(&key), format!("https://s3.us-east-1.amazonaws.com/my.bucket/{org}/backups/b.json"));
        let emulated = Addressing::new("my-bucket", "us-east-1", Some("http://127.0.0.1:4566/"));
        assert_eq!(emulated.bucket, "http://127.0.0.1:4566/my-bucket");
        assert_eq!(emulated.object(&key), format!("http://127.0.0.1:4566/my-bucket/{org}/backups/b.json"));
    }

    /// A bucket at an S3 look-alike answering with `script`.
    async fn bucket(script: Vec<(u16, &'static str)>) -> (S3Blobs, Log) {
        let (account, log) = serving(script).await;
        (S3Blobs::in_account("bucket", account), log)
    }

    fn key() -> BlobKey {
        BlobKey::new(&crate::tenant::OrgId::generate(), "backups", "b.json").unwrap()
    }

    #[tokio::test]
    async fn a_put_is_signed_with_its_bodys_hash_and_asks_for_encryption_at_rest() {
        let (blobs, log) = bucket(vec![(200, "")]).await;
        let key = key();
        blobs.put(&key, b"abc".to_vec(), "application/json").await.unwrap();
        let log = log.lock().unwrap();
        let (method, path, headers) = (&log[0].method, &log[0].path, &log[0].headers);
        assert_eq!((method, path.as_str()), (&Method::PUT, format!("/bucket/{}", key.as_str()).as_str()));
        assert_eq!(headers["x-amz-content-sha256"], crate::digest::sha256_hex(b"abc"));
        assert_eq!(headers["x-amz-server-side-encryption"], "AES256");
        assert_eq!(headers["content-type"], "application/json");
        let authorization = headers["authorization"].to_str().unwrap();
        assert!(authorization.starts_with("AWS4-HMAC-SHA256 Credential=AKID/"), "{authorization}");
        assert!(!authorization.contains("secret"));
    }

    #[tokio::test]
    async fn throttling_and_server_errors_are_retried_and_a_refusal_is_not() {
        let slow_down = (503, "<Error><Code>SlowDown</Code></Error>");
        let (blobs, log) = bucket(vec![slow_down, (500, ""), (200, "abc")]).await;
        assert_eq!(blobs.get(&key()).await.unwrap(), Some(b"abc".to_vec()));
        assert_eq!(log.lock().unwrap().len(), 3);

        let (blobs, log) = bucket(vec![slow_down]).await;
        let error = blobs.ping().await.unwrap_err();
        assert_eq!(log.lock().unwrap().len(), signed::ATTEMPTS as usize, "gives up after {}", signed::ATTEMPTS);
        assert!(error.to_string().contains("503"), "{error}");

        let (blobs, log) = bucket(vec![(403, "<Error><Code>AccessDenied</Code><Message>no</Message></Error>")]).await;
        let error = blobs.put(&key(), b"x".to_vec(), "text/plain").await.unwrap_err();
        assert_eq!(log.lock().unwrap().len(), 1);
        assert!(error.to_string().contains("AccessDenied no"), "{error}");
    }

    #[tokio::test]
    async fn a_missing_key_is_none_but_a_missing_bucket_is_an_error() {
        let (blobs, _) = bucket(vec![(404, "<Error><Code>NoSuchKey</Code></Error>")]).await;
        assert_eq!(blobs.get(&key()).await.unwrap(), None);
        let (blobs, _) = bucket(vec![(404, "<Error><Code>NoSuchBucket</Code></Error>")]).await;
        let error = blobs.get(&key()).await.unwrap_err();
        assert!(error.to_string().contains("NoSuchBucket"), "{error}");
    }

    #[test]
    fn an_error_document_gives_its_code_and_whether_to_try_again() {
        let answer = |status: u16, body: &str| Answer {
            status: StatusCode::from_u16(status).unwrap(),
            body: Bytes::from(body.to_owned()),
        };
        let missing = answer(404, "<Error><Code>NoSuchKey</Code><Message>The key does not exist</Message></Error>");
        assert_eq!(code(&missing), Some("NoSuchKey"));
        assert!(!is_transient(&missing));
        assert!(failure(&missing, "GetObject").to_string().contains("NoSuchKey The key does not exist"));
        assert!(is_transient(&answer(503, "<Error><Code>SlowDown</Code></Error>")));
        assert!(is_transient(&answer(400, "<Error><Code>RequestTimeout</Code></Error>")));
        assert!(is_transient(&answer(500, "")));
        assert!(!is_transient(&answer(200, "<Error><Code>SlowDown</Code></Error>")), "a blob that reads like one");
        assert!(!is_transient(&answer(403, "<Error><Code>AccessDenied</Code></Error>")));
        assert_eq!(code(&answer(404, "")), None);
    }
}
