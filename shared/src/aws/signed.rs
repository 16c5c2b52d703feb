//! AWS requests signed here rather than sent through a service's SDK
//! crate: S3 ([`crate::blobs::s3`]), and DynamoDB
//! ([`crate::store::dynamodb`]), SQS and Secrets Manager in their JSON
//! protocol ([`super::json`]).
//!
//! Why: an SDK crate links every operation a function's code can reach,
//! each with its generated serializers, endpoint rules and error types;
//! for these services that was most of the functions' size budget
//! (BENCHMARKS.md, history), for calls that are one signed HTTP request
//! each. Requests are signed with `aws-sigv4`, the SDK's own SigV4 signer,
//! and sent over the [`outbound`] client. What the SDK did for these calls
//! is kept: the process's region, endpoint (`AWS_ENDPOINT_URL`) and
//! credentials ([`super::config`]), credentials cached until five minutes
//! before they expire, the body's SHA-256 signed, session tokens, three
//! attempts with jittered backoff on 5xx, throttling and I/O errors.

use std::sync::{Mutex, PoisonError};
use std::time::{Duration, SystemTime};

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

pub const ATTEMPTS: u32 = 3;
const RETRY_BASE: Duration = Duration::from_millis(100);
/// The SDK's default.
const CONNECT_TIMEOUT: Duration = Duration::from_millis(3100);
/// Credentials this close to expiring are fetched again.
const CREDENTIALS_MARGIN: Duration = Duration::from_secs(300);
/// SHA-256 of no bytes.
pub const EMPTY_SHA256: &str = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";

/// Who signs, for which region and service, at what time.
pub struct Signer<'a> {
    pub identity: &'a Identity,
    pub region: &'a str,
    pub service: &'a str,
    pub time: SystemTime,
}

/// S3's settings (paths encoded once, signed as sent); the same for the
/// JSON services, whose requests all go to `/` without a query.
fn settings() -> SigningSettings {
    let mut settings = SigningSettings::default();
    settings.percent_encoding_mode = PercentEncodingMode::Single;
    settings.uri_path_normalization_mode = UriPathNormalizationMode::Disabled;
    settings
}

impl Signer<'_> {
    fn params(&self, settings: SigningSettings) -> Result<aws_sigv4::http_request::SigningParams<'_>, String> {
        let params = v4::SigningParams::builder()
            .identity(self.identity)
            .region(self.region)
            .name(self.service)
            .time(self.time)
            .settings(settings);
        Ok(params.build().map_err(|e| e.to_string())?.into())
    }

    /// A request carrying `headers`, signed in its headers, with the
    /// body's SHA-256 (`x-amz-content-sha256`).
    pub fn request(
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
    pub fn presigned_url(&self, url: &str, ttl: Duration) -> Result<String, String> {
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

/// AWS's domain in `region`: `amazonaws.com`, or `amazonaws.com.cn` in
/// the China regions.
pub fn domain(region: &str) -> &'static str {
    if region.starts_with("cn-") { "amazonaws.com.cn" } else { "amazonaws.com" }
}

/// A service's answer to one request.
#[derive(Debug)]
pub struct Answer {
    pub status: StatusCode,
    pub body: Bytes,
}

/// One signed request: where it goes and what it carries.
pub struct Call<'a> {
    pub service: &'a str,
    pub method: Method,
    pub url: &'a str,
    pub headers: &'a [(&'a str, &'a str)],
    pub body: Bytes,
    pub body_sha256: &'a str,
    /// One attempt, sending and reading the whole answer.
    pub timeout: Duration,
    pub max_answer: usize,
}

/// The process's AWS account as these requests see it: region, endpoint,
/// credentials (cached) and one connection pool.
pub struct Account {
    pub region: String,
    /// `AWS_ENDPOINT_URL` (an emulator), if set.
    pub endpoint: Option<String>,
    provider: Option<SharedCredentialsProvider>,
    credentials: Mutex<Option<Credentials>>,
    /// Err: the TLS configuration could not be built.
    http: Result<HttpClient, String>,
}

/// The account from the process's AWS configuration, built on first use.
pub async fn account() -> &'static Account {
    static ACCOUNT: OnceCell<Account> = OnceCell::const_new();
    ACCOUNT
        .get_or_init(|| async {
            let config = super::config().await;
            Account::new(
                config.region().map(|r| r.as_ref().to_owned()).unwrap_or_default(),
                config.endpoint_url().map(str::to_owned),
                config.credentials_provider(),
            )
        })
        .await
}

impl Account {
    pub fn new(region: String, endpoint: Option<String>, provider: Option<SharedCredentialsProvider>) -> Self {
        let http = outbound::client(CONNECT_TIMEOUT);
        Self { region, endpoint, provider, credentials: Mutex::new(None), http }
    }

    /// The endpoint of `service` (`sqs`, `secretsmanager`) in this
    /// account's region: the emulator's when one is set.
    pub fn endpoint_of(&self, service: &str) -> String {
        match &self.endpoint {
            Some(endpoint) => endpoint.trim_end_matches('/').to_owned(),
            None => format!("https://{service}.{}.{}", self.region, domain(&self.region)),
        }
    }

    /// The credentials to sign with, fetched again when near expiry.
    pub async fn identity(&self) -> Result<Identity, String> {
        let now = SystemTime::now();
        let cached = self.credentials.lock().unwrap_or_else(PoisonError::into_inner).clone();
        if let Some(credentials) = cached.filter(|c| c.expiry().is_none_or(|t| t > now + CREDENTIALS_MARGIN)) {
            return Ok(credentials.into());
        }
        let provider = self.provider.as_ref().ok_or("no AWS credentials")?;
        let credentials =
            provider.provide_credentials().await.map_err(|e| format!("AWS credentials: {}", DisplayErrorContext(e)))?;
        *self.credentials.lock().unwrap_or_else(PoisonError::into_inner) = Some(credentials.clone());
        Ok(credentials.into())
    }

    /// Sends `call` signed, up to [`ATTEMPTS`] times while it fails on
    /// I/O or `is_transient` says so of the answer; the last answer
    /// otherwise. Errors name the request, never the credentials.
    pub async fn send(&self, call: Call<'_>, is_transient: impl Fn(&Answer) -> bool) -> Result<Answer, String> {
        let http = self.http.as_ref().map_err(Clone::clone)?;
        let what = format!("{} {}", call.method, call.url);
        let mut attempt = 0;
        loop {
            attempt += 1;
            let identity = self.identity().await?;
            let signer =
                Signer { identity: &identity, region: &self.region, service: call.service, time: SystemTime::now() };
            let request = signer
                .request(call.method.clone(), call.url, call.headers, call.body.clone(), call.body_sha256)
                .map_err(|e| format!("{what}: {e}"))?;
            let outcome = outbound::exchange(http, request, call.timeout, call.max_answer, &what)
                .await
                .map(|(status, body)| Answer { status, body });
            let transient = outcome.as_ref().map_or(true, &is_transient);
            if !transient || attempt == ATTEMPTS {
                return outcome;
            }
            tokio::time::sleep(outbound::backoff(RETRY_BASE, attempt)).await;
        }
    }
}

/// An AWS look-alike for the adapters' tests.
#[cfg(test)]
pub(crate) mod look_alike {
    use std::sync::atomic::{AtomicUsize, Ordering};
    use std::sync::{Arc, Mutex};

    use aws_credential_types::Credentials;
    use aws_credential_types::provider::SharedCredentialsProvider;
    use http::{HeaderMap, Method, StatusCode, Uri};

    use super::Account;

    /// One request it was sent.
    pub struct Seen {
        pub method: Method,
        pub path: String,
        pub headers: HeaderMap,
        pub body: String,
    }

    pub type Log = Arc<Mutex<Vec<Seen>>>;

    /// A service on 127.0.0.1 answering each request with the next of
    /// `script` (the last one repeats), and an account signing for it
    /// with fixed credentials (leaked: adapters hold `&'static Account`).
    pub async fn serving(script: Vec<(u16, &'static str)>) -> (&'static Account, Log) {
        let log: Log = Arc::default();
        let calls = Arc::new(AtomicUsize::new(0));
        let record = Arc::clone(&log);
        let answer = move |method: Method, uri: Uri, headers: HeaderMap, body: String| {
            record.lock().unwrap().push(Seen { method, path: uri.path().to_owned(), headers, body });
            let (status, body) = script[calls.fetch_add(1, Ordering::SeqCst).min(script.len() - 1)];
            async move { (StatusCode::from_u16(status).unwrap(), body) }
        };
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let base = format!("http://{}", listener.local_addr().unwrap());
        tokio::spawn(async move { axum::serve(listener, axum::Router::new().fallback(answer)).await });
        let credentials = SharedCredentialsProvider::new(Credentials::new("AKID", "secret", None, None, "test"));
        let account = Account::new("us-east-1".into(), Some(base), Some(credentials));
        (Box::leak(Box::new(account)), log)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
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
        let signer = Signer { identity: &identity, region: "us-east-1", service: "s3", time };
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
        let signer = Signer { identity: &identity, region: "us-east-1", service: "s3", time };
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
        let signer = Signer { identity: &identity, region: "us-east-1", service: "sqs", time };
        let url = "https://sqs.us-east-1.amazonaws.com/";
        let request = signer.request(Method::POST, url, &[], Bytes::new(), EMPTY_SHA256).unwrap();
        assert_eq!(request.headers()["x-amz-security-token"], "token");
        let authorization = request.headers()["authorization"].to_str().unwrap();
        assert!(authorization.contains("/us-east-1/sqs/aws4_request"), "{authorization}");
        assert!(authorization.contains("x-amz-security-token"), "{authorization}");
    }

    #[test]
    fn services_are_reached_in_the_region_or_at_the_emulator() {
        let account =
            |region: &str, endpoint: Option<&str>| Account::new(region.into(), endpoint.map(Into::into), None);
        assert_eq!(account("eu-west-1", None).endpoint_of("sqs"), "https://sqs.eu-west-1.amazonaws.com");
        assert_eq!(account("cn-north-1", None).endpoint_of("sqs"), "https://sqs.cn-north-1.amazonaws.com.cn");
        assert_eq!(account("us-east-1", Some("http://127.0.0.1:4566/")).endpoint_of("sqs"), "http://127.0.0.1:4566");
    }
}
