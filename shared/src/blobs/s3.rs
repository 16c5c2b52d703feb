//! The AWS adapter: one S3 object per blob, encrypted at rest (SSE-S3).
//!
//! Four requests and a presigned URL (PutObject, GetObject, HeadBucket,
//! CreateBucket; GetObject presigned), signed with `aws-sigv4`, the SDK's
//! own SigV4 signer (linked already for DynamoDB), and sent over the
//! [`outbound`](crate::outbound) client. Not through `aws-sdk-s3`: it put
//! ~0.9 MiB into each binary holding it, 0.7 of it CRC32/CRC32C/CRC64
//! tables and SIMD variants that its checksum crate links whatever the
//! checksum settings (BENCHMARKS.md, history), which was the whole size
//! and memory budget gap of the functions that store blobs. What the SDK
//! did for these calls is kept: virtual-hosted addressing on AWS
//! (path-style for a dotted bucket and against an emulator's
//! `AWS_ENDPOINT_URL`), the body's SHA-256 signed (S3 refuses a body that
//! does not match it), session tokens, credentials cached until five
//! minutes before they expire, three attempts with jittered backoff on
//! 5xx, throttling and I/O errors, and S3's error code in the message.

use std::sync::{Mutex, PoisonError};
use std::time::{Duration, SystemTime};

use async_trait::async_trait;
use aws_credential_types::Credentials;
use aws_credential_types::provider::{ProvideCredentials, SharedCredentialsProvider};
use aws_sigv4::http_request::{
    PayloadChecksumKind, PercentEncodingMode, SignableBody, SignableRequest, SignatureLocation, SigningSettings,
    UriPathNormalizationMode, sign,
};
use aws_sigv4::sign::v4;
use aws_smithy_runtime_api::client::identity::Identity;
use aws_smithy_types::error::display::DisplayErrorContext;
use bytes::Bytes;
use http::{Method, StatusCode};
use http_body_util::Full;
use tokio::sync::OnceCell;

use crate::outbound::{self, HttpClient};

use super::{BlobError, BlobKey, Blobs, Stored};

const ATTEMPTS: u32 = 3;
const RETRY_BASE: Duration = Duration::from_millis(100);
/// The SDK's default.
const CONNECT_TIMEOUT: Duration = Duration::from_millis(3100);
/// One attempt, sending or reading a whole blob.
const ATTEMPT_TIMEOUT: Duration = Duration::from_secs(60);
/// The largest blob read back whole.
const MAX_BLOB_BYTES: usize = 256 << 20;
/// Credentials this close to expiring are fetched again.
const CREDENTIALS_MARGIN: Duration = Duration::from_secs(300);
/// SHA-256 of no bytes.
const EMPTY_SHA256: &str = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";

pub struct S3Blobs {
    bucket: String,
    /// Built from the process's AWS configuration on first use.
    target: OnceCell<Target>,
    credentials: Mutex<Option<Credentials>>,
}

/// Where and how requests go.
struct Target {
    region: String,
    addressing: Addressing,
    provider: Option<SharedCredentialsProvider>,
    /// Err: the TLS configuration could not be built.
    http: Result<HttpClient, String>,
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
        let domain = if region.starts_with("cn-") { "amazonaws.com.cn" } else { "amazonaws.com" };
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

/// S3's settings: keys encoded once, paths signed as sent.
fn settings() -> SigningSettings {
    let mut settings = SigningSettings::default();
    settings.percent_encoding_mode = PercentEncodingMode::Single;
    settings.uri_path_normalization_mode = UriPathNormalizationMode::Disabled;
    settings
}

/// Who signs, for which region, at what time.
struct Signer<'a> {
    identity: &'a Identity,
    region: &'a str,
    time: SystemTime,
}

impl Signer<'_> {
    fn params(&self, settings: SigningSettings) -> Result<aws_sigv4::http_request::SigningParams<'_>, String> {
        let params = v4::SigningParams::builder()
            .identity(self.identity)
            .region(self.region)
            .name("s3")
            .time(self.time)
            .settings(settings);
        Ok(params.build().map_err(|e| e.to_string())?.into())
    }

    /// A request carrying `headers`, signed in its headers, with the
    /// body's SHA-256 (`x-amz-content-sha256`).
    fn request(
        &self,
        method: Method,
        url: &str,
        headers: &[(&str, &str)],
        body: Bytes,
        body_sha256: &str,
    ) -> Result<http::Request<Full<Bytes>>, String> {
        let mut settings = settings();
        settings.payload_checksum_kind = PayloadChecksumKind::XAmzSha256;
        let params = self.params(settings)?;
        let signable = SignableRequest::new(
            method.as_str(),
            url,
            headers.iter().copied(),
            SignableBody::Precomputed(body_sha256.to_owned()),
        )
        .map_err(|e| e.to_string())?;
        let (instructions, _) = sign(signable, &params).map_err(|e| e.to_string())?.into_parts();
        let mut request = http::Request::builder().method(method).uri(url);
        for (name, value) in headers {
            request = request.header(*name, *value);
        }
        let mut request = request.body(Full::new(body)).map_err(|e| e.to_string())?;
        instructions.apply_to_request_http1x(&mut request);
        Ok(request)
    }

    /// A GET of `url` signed in its query, good for `ttl`.
    fn presigned_url(&self, url: &str, ttl: Duration) -> Result<String, String> {
        let mut settings = settings();
        settings.signature_location = SignatureLocation::QueryParams;
        settings.expires_in = Some(ttl);
        let params = self.params(settings)?;
        let signable = SignableRequest::new("GET", url, std::iter::empty(), SignableBody::UnsignedPayload)
            .map_err(|e| e.to_string())?;
        let (instructions, _) = sign(signable, &params).map_err(|e| e.to_string())?.into_parts();
        let mut request = http::Request::get(url).body(()).map_err(|e| e.to_string())?;
        instructions.apply_to_request_http1x(&mut request);
        Ok(request.uri().to_string())
    }
}

/// The text of `<tag>` in an S3 error document.
fn element<'a>(xml: &'a str, tag: &str) -> Option<&'a str> {
    let start = xml.find(&format!("<{tag}>"))? + tag.len() + 2;
    let len = xml[start..].find(&format!("</{tag}>"))?;
    Some(&xml[start..start + len])
}

/// S3's answer to one request.
struct Answer {
    status: StatusCode,
    body: Bytes,
}

impl Answer {
    /// S3's error code (`NoSuchKey`, `SlowDown`, …), when the answer has one.
    fn code(&self) -> Option<&str> {
        element(std::str::from_utf8(&self.body).ok()?, "Code")
    }

    /// Worth another attempt: a server error, throttling, or S3 timing out
    /// waiting for the body. (A success's body is a blob, never read as an
    /// error document.)
    fn is_transient(&self) -> bool {
        outbound::is_transient(self.status)
            || (!self.status.is_success() && matches!(self.code(), Some("RequestTimeout" | "SlowDown")))
    }

    fn failure(&self, what: &str) -> BlobError {
        let text = std::str::from_utf8(&self.body).unwrap_or_default();
        let message = element(text, "Message").unwrap_or_default();
        BlobError::Unavailable(format!("S3 {what}: {} {} {message}", self.status, self.code().unwrap_or_default()))
    }
}

impl S3Blobs {
    /// The bucket; nothing is read or sent before the first call.
    pub async fn from_env(bucket: &str) -> Self {
        Self { bucket: bucket.to_owned(), target: OnceCell::new(), credentials: Mutex::new(None) }
    }

    /// A bucket at an S3 look-alike, signing with fixed credentials.
    #[cfg(test)]
    fn at(bucket: &str, endpoint: &str) -> Self {
        let credentials = Credentials::new("AKID", "secret", None, None, "test");
        let target = Target {
            region: "us-east-1".into(),
            addressing: Addressing::new(bucket, "us-east-1", Some(endpoint)),
            provider: Some(SharedCredentialsProvider::new(credentials)),
            http: outbound::client(CONNECT_TIMEOUT),
        };
        Self { bucket: bucket.to_owned(), target: OnceCell::new_with(Some(target)), credentials: Mutex::new(None) }
    }

    async fn target(&self) -> &Target {
        self.target
            .get_or_init(|| async {
                let config = crate::aws::config().await;
                let region = config.region().map(|r| r.as_ref().to_owned()).unwrap_or_default();
                Target {
                    addressing: Addressing::new(&self.bucket, &region, config.endpoint_url()),
                    region,
                    provider: config.credentials_provider(),
                    http: outbound::client(CONNECT_TIMEOUT),
                }
            })
            .await
    }

    /// The credentials to sign with, fetched again when near expiry.
    async fn identity(&self, target: &Target) -> Result<Identity, BlobError> {
        let now = SystemTime::now();
        let cached = self.credentials.lock().unwrap_or_else(PoisonError::into_inner).clone();
        if let Some(credentials) = cached.filter(|c| c.expiry().is_none_or(|t| t > now + CREDENTIALS_MARGIN)) {
            return Ok(credentials.into());
        }
        let provider = target.provider.as_ref().ok_or_else(|| BlobError::Unavailable("no AWS credentials".into()))?;
        let credentials = provider
            .provide_credentials()
            .await
            .map_err(|e| BlobError::Unavailable(format!("AWS credentials: {}", DisplayErrorContext(e))))?;
        *self.credentials.lock().unwrap_or_else(PoisonError::into_inner) = Some(credentials.clone());
        Ok(credentials.into())
    }

    /// Sends a signed request up to [`ATTEMPTS`] times, while the failure
    /// is transient; the last answer otherwise.
    async fn call(
        &self,
        method: Method,
        url: &str,
        headers: &[(&str, &str)],
        body: Bytes,
        body_sha256: &str,
    ) -> Result<Answer, BlobError> {
        let target = self.target().await;
        let http = target.http.as_ref().map_err(|e| BlobError::Unavailable(e.clone()))?;
        let what = format!("{method} {url}");
        let mut attempt = 0;
        loop {
            attempt += 1;
            let identity = self.identity(target).await?;
            let signer = Signer { identity: &identity, region: &target.region, time: SystemTime::now() };
            let request = signer
                .request(method.clone(), url, headers, body.clone(), body_sha256)
                .map_err(|e| BlobError::Unavailable(format!("{what}: {e}")))?;
            let outcome = outbound::exchange(http, request, ATTEMPT_TIMEOUT, MAX_BLOB_BYTES, &what)
                .await
                .map(|(status, body)| Answer { status, body });
            let transient = outcome.as_ref().map_or(true, Answer::is_transient);
            if !transient || attempt == ATTEMPTS {
                return outcome.map_err(BlobError::Unavailable);
            }
            tokio::time::sleep(outbound::backoff(RETRY_BASE, attempt)).await;
        }
    }

    /// Creates the bucket when missing (emulators and tests).
    pub async fn ensure_bucket(&self) -> Result<(), BlobError> {
        if self.ping().await.is_ok() {
            return Ok(());
        }
        let target = self.target().await;
        let body = match target.region.as_str() {
            "us-east-1" | "" => String::new(),
            region => format!(
                "<CreateBucketConfiguration xmlns=\"http://s3.amazonaws.com/doc/2006-03-01/\">\
                 <LocationConstraint>{region}</LocationConstraint></CreateBucketConfiguration>"
            ),
        };
        let sha256 = crate::digest::sha256_hex(body.as_bytes());
        let answer = self.call(Method::PUT, &target.addressing.bucket, &[], Bytes::from(body), &sha256).await?;
        match (answer.status, answer.code()) {
            (status, _) if status.is_success() => Ok(()),
            (_, Some("BucketAlreadyOwnedByYou")) => Ok(()),
            _ => Err(answer.failure("CreateBucket")),
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
            return Err(answer.failure("PutObject"));
        }
        Ok(stored)
    }

    async fn get(&self, key: &BlobKey) -> Result<Option<Vec<u8>>, BlobError> {
        let url = self.target().await.addressing.object(key);
        let answer = self.call(Method::GET, &url, &[], Bytes::new(), EMPTY_SHA256).await?;
        match answer.status {
            status if status.is_success() => Ok(Some(answer.body.to_vec())),
            StatusCode::NOT_FOUND if answer.code() == Some("NoSuchKey") => Ok(None),
            _ => Err(answer.failure("GetObject")),
        }
    }

    async fn presigned_get(&self, key: &BlobKey, ttl: Duration) -> Result<Option<String>, BlobError> {
        let target = self.target().await;
        let identity = self.identity(target).await?;
        let url = target.addressing.object(key);
        let signer = Signer { identity: &identity, region: &target.region, time: SystemTime::now() };
        signer.presigned_url(&url, ttl).map(Some).map_err(|e| BlobError::Unavailable(format!("presigning {url}: {e}")))
    }

    async fn ping(&self) -> Result<(), BlobError> {
        let url = &self.target().await.addressing.bucket;
        let answer = self.call(Method::HEAD, url, &[], Bytes::new(), EMPTY_SHA256).await?;
        if !answer.status.is_success() {
            return Err(answer.failure("HeadBucket"));
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::Arc;
    use std::sync::atomic::{AtomicUsize, Ordering};
    use std::time::UNIX_EPOCH;

    /// The example of AWS's SigV4 documentation for S3 (`examplebucket`,
    /// 2013-05-24T00:00:00Z, its published access key).
    fn example() -> (Identity, SystemTime) {
        let credentials =
            Credentials::new("AKIAIOSFODNN7EXAMPLE", "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY", None, None, "example");
        (credentials.into(), UNIX_EPOCH + Duration::from_secs(1_369_353_600))
    }

    #[test]
    fn a_request_is_signed_as_in_the_aws_documentations_get_object_example() {
        let (identity, time) = example();
        let signer = Signer { identity: &identity, region: "us-east-1", time };
        let url = "https://examplebucket.s3.amazonaws.com/test.txt";
        let headers = [("range", "bytes=0-9")];
        let request = signer.request(Method::GET, url, &headers, Bytes::new(), EMPTY_SHA256).unwrap();
        let authorization = request.headers()["authorization"].to_str().unwrap();
        assert_eq!(
            authorization,
            "AWS4-HMAC-SHA256 Credential=AKIAIOSFODNN7EXAMPLE/20130524/us-east-1/s3/aws4_request, \
             SignedHeaders=host;range;x-amz-content-sha256;x-amz-date, \
             Signature=f0e8bdb87c964420e857bd35b5d6ed310bd44f0170aba48dd91039c6036bdb41"
        );
        assert_eq!(request.headers()["x-amz-content-sha256"], EMPTY_SHA256);
        assert_eq!(request.headers()["range"], "bytes=0-9");
    }

    #[test]
    fn a_presigned_url_matches_the_aws_documentations_example() {
        let (identity, time) = example();
        let signer = Signer { identity: &identity, region: "us-east-1", time };
        let url = "https://examplebucket.s3.amazonaws.com/test.txt";
        let signed = signer.presigned_url(url, Duration::from_secs(86_400)).unwrap();
        let query: std::collections::HashMap<String, String> =
            url::Url::parse(&signed).unwrap().query_pairs().into_owned().collect();
        assert!(signed.starts_with(url), "{signed}");
        assert_eq!(query["X-Amz-Credential"], "AKIAIOSFODNN7EXAMPLE/20130524/us-east-1/s3/aws4_request");
        assert_eq!(query["X-Amz-Expires"], "86400");
        assert_eq!(query["X-Amz-SignedHeaders"], "host");
        assert_eq!(query["X-Amz-Signature"], "aeeed9bbccd4d02ee5c0109b86d86835f995330da4c265957d157751f604d404");
    }

    #[test]
    fn a_session_token_is_signed_into_the_request() {
        let (_, time) = example();
        let identity = Credentials::new("AKID", "secret", Some("token".into()), None, "test").into();
        let signer = Signer { identity: &identity, region: "us-east-1", time };
        let url = "https://b.s3.us-east-1.amazonaws.com/k";
        let request = signer.request(Method::GET, url, &[], Bytes::new(), EMPTY_SHA256).unwrap();
        assert_eq!(request.headers()["x-amz-security-token"], "token");
        let authorization = request.headers()["authorization"].to_str().unwrap();
        assert!(authorization.contains("x-amz-security-token"), "{authorization}");
    }

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

    /// What an S3 look-alike was sent: method, path and headers.
    type Seen = Arc<Mutex<Vec<(Method, String, http::HeaderMap)>>>;

    /// An S3 look-alike answering each request with the next of `script`
    /// (the last one repeats).
    async fn fake_s3(script: Vec<(u16, &'static str)>) -> (String, Seen) {
        let seen: Seen = Arc::default();
        let calls = Arc::new(AtomicUsize::new(0));
        let record = Arc::clone(&seen);
        let answer = move |method: Method, uri: http::Uri, headers: http::HeaderMap| {
            record.lock().unwrap().push((method, uri.path().to_owned(), headers));
            let (status, body) = script[calls.fetch_add(1, Ordering::SeqCst).min(script.len() - 1)];
            async move { (StatusCode::from_u16(status).unwrap(), body) }
        };
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let base = format!("http://{}", listener.local_addr().unwrap());
        tokio::spawn(async move { axum::serve(listener, axum::Router::new().fallback(answer)).await });
        (base, seen)
    }

    fn key() -> BlobKey {
        BlobKey::new(&crate::tenant::OrgId::generate(), "backups", "b.json").unwrap()
    }

    #[tokio::test]
    async fn a_put_is_signed_with_its_bodys_hash_and_asks_for_encryption_at_rest() {
        let (base, seen) = fake_s3(vec![(200, "")]).await;
        let key = key();
        S3Blobs::at("bucket", &base).put(&key, b"abc".to_vec(), "application/json").await.unwrap();
        let seen = seen.lock().unwrap();
        let (method, path, headers) = &seen[0];
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
        let (base, seen) = fake_s3(vec![slow_down, (500, ""), (200, "abc")]).await;
        let blobs = S3Blobs::at("bucket", &base);
        assert_eq!(blobs.get(&key()).await.unwrap(), Some(b"abc".to_vec()));
        assert_eq!(seen.lock().unwrap().len(), 3);

        let (base, seen) = fake_s3(vec![slow_down]).await;
        let error = S3Blobs::at("bucket", &base).ping().await.unwrap_err();
        assert_eq!(seen.lock().unwrap().len(), ATTEMPTS as usize, "gives up after {ATTEMPTS}");
        assert!(error.to_string().contains("503"), "{error}");

        let (base, seen) = fake_s3(vec![(403, "<Error><Code>AccessDenied</Code><Message>no</Message></Error>")]).await;
        let error = S3Blobs::at("bucket", &base).put(&key(), b"x".to_vec(), "text/plain").await.unwrap_err();
        assert_eq!(seen.lock().unwrap().len(), 1);
        assert!(error.to_string().contains("AccessDenied no"), "{error}");
    }

    #[tokio::test]
    async fn a_missing_key_is_none_but_a_missing_bucket_is_an_error() {
        let (base, _) = fake_s3(vec![(404, "<Error><Code>NoSuchKey</Code></Error>")]).await;
        assert_eq!(S3Blobs::at("bucket", &base).get(&key()).await.unwrap(), None);
        let (base, _) = fake_s3(vec![(404, "<Error><Code>NoSuchBucket</Code></Error>")]).await;
        let error = S3Blobs::at("bucket", &base).get(&key()).await.unwrap_err();
        assert!(error.to_string().contains("NoSuchBucket"), "{error}");
    }

    #[test]
    fn an_error_document_gives_its_code_and_whether_to_try_again() {
        let answer = |status: u16, body: &str| Answer {
            status: StatusCode::from_u16(status).unwrap(),
            body: Bytes::from(body.to_owned()),
        };
        let missing = answer(404, "<Error><Code>NoSuchKey</Code><Message>The key does not exist</Message></Error>");
        assert_eq!(missing.code(), Some("NoSuchKey"));
        assert!(!missing.is_transient());
        assert!(missing.failure("GetObject").to_string().contains("NoSuchKey The key does not exist"));
        assert!(answer(503, "<Error><Code>SlowDown</Code></Error>").is_transient());
        assert!(answer(400, "<Error><Code>RequestTimeout</Code></Error>").is_transient());
        assert!(answer(500, "").is_transient());
        assert!(!answer(200, "<Error><Code>SlowDown</Code></Error>").is_transient(), "a blob that reads like one");
        assert!(!answer(403, "<Error><Code>AccessDenied</Code></Error>").is_transient());
        assert_eq!(answer(404, "").code(), None);
    }
}
