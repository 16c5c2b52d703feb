//! Access tokens from an OpenID Connect issuer: RS256 or ES256, verified
//! against the issuer's published keys (JWKS).
//!
//! The key set is fetched on the first token (never at cold start), kept
//! for [`MAX_AGE`], and fetched again early when a token names a `kid` the
//! cache does not hold. Fetches are at least [`FETCH_COOLDOWN`] apart, so
//! tokens with made-up `kid`s cannot turn into a flood of fetches and an
//! unreachable issuer does not slow every request. When a refresh fails,
//! keys already known keep working; with no keys at all the answer is 503,
//! not 401, because the caller did nothing wrong.

use std::collections::HashMap;
use std::sync::{Arc, OnceLock, RwLock};
use std::time::{Duration, Instant};

use http_body_util::{BodyExt, Limited};
use jsonwebtoken::jwk::{AlgorithmParameters, EllipticCurve, Jwk, KeyAlgorithm, PublicKeyUse};
use jsonwebtoken::{Algorithm, DecodingKey, Header, Validation};
use serde::Deserialize;

use super::jwt::{Identity, LEEWAY_SECONDS, TokenError};
use crate::ports::outbound::{HttpClient, check_url};

pub const ISSUER_ENV: &str = "CONTROLPLANE_OIDC_ISSUER";
pub const AUDIENCE_ENV: &str = "CONTROLPLANE_OIDC_AUDIENCE";
/// Optional: the JWKS address, when the issuer has no discovery document.
pub const JWKS_URL_ENV: &str = "CONTROLPLANE_OIDC_JWKS_URL";

/// The algorithms an issuer may sign with.
pub const ALGORITHMS: [Algorithm; 2] = [Algorithm::RS256, Algorithm::ES256];
/// How long a fetched key set is trusted before it is fetched again (a key
/// the issuer withdraws stops working within this bound).
pub const MAX_AGE: Duration = Duration::from_secs(15 * 60);
/// The least time between two fetches (after an unknown `kid`, a stale
/// cache or a failed fetch).
pub const FETCH_COOLDOWN: Duration = Duration::from_secs(10);
const FETCH_TIMEOUT: Duration = Duration::from_secs(5);
const CONNECT_TIMEOUT: Duration = Duration::from_secs(2);
const MAX_DOCUMENT_BYTES: usize = 256 * 1024;

/// Where tokens come from and whom they must be for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OidcConfig {
    /// The `iss` every token must carry, e.g. `https://login.example.com/`.
    pub issuer: String,
    /// The `aud` every token must include.
    pub audience: String,
    /// The JWKS address; discovered from the issuer when absent.
    pub jwks_url: Option<String>,
}

impl OidcConfig {
    /// Checks the addresses: `https://`, or `http://` on a loopback host
    /// (local identity providers and tests).
    pub fn new(issuer: &str, audience: &str, jwks_url: Option<&str>) -> Result<Self, String> {
        check_url(issuer).map_err(|e| format!("{ISSUER_ENV} {e}"))?;
        if let Some(url) = jwks_url {
            check_url(url).map_err(|e| format!("{JWKS_URL_ENV} {e}"))?;
        }
        if audience.trim().is_empty() {
            return Err(format!("{AUDIENCE_ENV} must name the audience tokens are issued for"));
        }
        Ok(Self { issuer: issuer.to_owned(), audience: audience.to_owned(), jwks_url: jwks_url.map(str::to_owned) })
    }

    /// The configuration in the environment; `None` when no issuer is set.
    pub fn from_env() -> Result<Option<Self>, String> {
        let var = |name| std::env::var(name).ok().filter(|v: &String| !v.trim().is_empty());
        let Some(issuer) = var(ISSUER_ENV) else { return Ok(None) };
        let audience = var(AUDIENCE_ENV).ok_or_else(|| format!("{AUDIENCE_ENV} must be set with {ISSUER_ENV}"))?;
        Self::new(&issuer, &audience, var(JWKS_URL_ENV).as_deref()).map(Some)
    }

    fn discovery_url(&self) -> String {
        format!("{}/.well-known/openid-configuration", self.issuer.trim_end_matches('/'))
    }
}

/// A verification key with the one algorithm it may be used with.
#[derive(Clone)]
struct SigningKey {
    key: Arc<DecodingKey>,
    alg: Algorithm,
}

#[derive(Default)]
struct Cache {
    keys: HashMap<String, SigningKey>,
    fetched_at: Option<Instant>,
}

/// The verifier for one issuer. Cheap to build: nothing is fetched and no
/// HTTP client exists until the first token arrives.
pub struct Oidc {
    config: OidcConfig,
    /// What a token must satisfy, per entry of [`ALGORITHMS`].
    validations: Vec<Validation>,
    client: OnceLock<HttpClient>,
    cache: RwLock<Cache>,
    jwks_url: tokio::sync::OnceCell<String>,
    /// Serializes fetches; holds when the last one began.
    last_fetch: tokio::sync::Mutex<Option<Instant>>,
    cooldown: Duration,
}

impl std::fmt::Debug for Oidc {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Oidc").field("issuer", &self.config.issuer).field("audience", &self.config.audience).finish()
    }
}

/// The claims read from an issuer's token; the rest are ignored. `sub` and
/// `exp` default so the validation names one that is missing.
#[derive(Deserialize)]
struct OidcClaims {
    #[serde(default)]
    sub: String,
    #[serde(default)]
    exp: u64,
    #[serde(default)]
    iat: Option<u64>,
    #[serde(default)]
    email: Option<String>,
    /// Issuers send a boolean, some a string.
    #[serde(default)]
    email_verified: Option<serde_json::Value>,
    #[serde(default)]
    org_id: Option<String>,
    #[serde(default)]
    jti: Option<String>,
}

impl From<OidcClaims> for Identity {
    fn from(c: OidcClaims) -> Self {
        // An address the issuer says it has not verified is not used: adding
        // members by email must not reach whoever typed someone else's.
        let unverified = matches!(&c.email_verified, Some(serde_json::Value::Bool(false)))
            || matches!(&c.email_verified, Some(serde_json::Value::String(s)) if s == "false");
        Self {
            sub: c.sub,
            email: c.email.filter(|_| !unverified),
            org_id: c.org_id,
            issued_at: c.iat,
            expires_at: c.exp,
            jti: c.jti,
        }
    }
}

#[derive(Deserialize)]
struct Discovery {
    issuer: String,
    jwks_uri: String,
}

#[derive(Deserialize)]
struct RawJwks {
    keys: Vec<serde_json::Value>,
}

impl Oidc {
    pub fn new(config: OidcConfig) -> Self {
        let validation = |alg| {
            let mut validation = Validation::new(alg);
            validation.leeway = LEEWAY_SECONDS;
            validation.validate_nbf = true;
            validation.set_issuer(&[&config.issuer]);
            validation.set_audience(&[&config.audience]);
            validation.set_required_spec_claims(&super::jwt::REQUIRED_CLAIMS);
            validation
        };
        Self {
            validations: ALGORITHMS.iter().map(|alg| validation(*alg)).collect(),
            config,
            client: OnceLock::new(),
            cache: RwLock::default(),
            jwks_url: tokio::sync::OnceCell::new(),
            last_fetch: tokio::sync::Mutex::new(None),
            cooldown: FETCH_COOLDOWN,
        }
    }

    /// The same verifier with another least time between fetches.
    pub fn with_fetch_cooldown(mut self, cooldown: Duration) -> Self {
        self.cooldown = cooldown;
        self
    }

    pub fn config(&self) -> &OidcConfig {
        &self.config
    }

    /// Verifies an access token whose `header` was decoded: signature by a
    /// published key, `iss`, `aud`, `exp`, `nbf` (with [`LEEWAY_SECONDS`]),
    /// and `sub`/`iat` present.
    pub async fn verify(&self, token: &str, header: Header) -> Result<Identity, TokenError> {
        let position = ALGORITHMS.iter().position(|a| *a == header.alg).ok_or(TokenError::Invalid)?;
        let kid = header.kid.ok_or(TokenError::Invalid)?;
        let key = self.key(&kid).await?;
        if key.alg != header.alg {
            return Err(TokenError::Invalid);
        }
        jsonwebtoken::decode::<OidcClaims>(token, &key.key, &self.validations[position])
            .map(|data| data.claims.into())
            .map_err(|e| TokenError::from_jwt(&e))
    }

    /// The key for `kid`, fetching the key set when it is missing or stale
    /// and no fetch was tried within the cooldown.
    async fn key(&self, kid: &str) -> Result<SigningKey, TokenError> {
        if let (Some(key), true) = self.cached(kid) {
            return Ok(key);
        }
        let mut last_attempt = self.last_fetch.lock().await;
        // Another request may have fetched while this one waited.
        let (cached, fresh) = self.cached(kid);
        if let (Some(key), true) = (&cached, fresh) {
            return Ok(key.clone());
        }
        if last_attempt.is_some_and(|at| at.elapsed() < self.cooldown) {
            return cached.ok_or_else(|| self.missing());
        }
        *last_attempt = Some(Instant::now());
        match self.fetch().await {
            Ok(keys) => {
                if let Ok(mut cache) = self.cache.write() {
                    *cache = Cache { keys, fetched_at: Some(Instant::now()) };
                }
                self.cached(kid).0.ok_or(TokenError::UnknownKey)
            }
            Err(error) => {
                tracing::warn!(issuer = %self.config.issuer, %error, "could not fetch the issuer's signing keys");
                cached.ok_or_else(|| self.missing())
            }
        }
    }

    /// Why a key is missing: never having had the key set is our problem
    /// (503), a `kid` absent from a fetched set is the token's (401).
    fn missing(&self) -> TokenError {
        let ever = self.cache.read().map(|c| c.fetched_at.is_some()).unwrap_or(false);
        if ever { TokenError::UnknownKey } else { TokenError::KeysUnavailable }
    }

    /// The cached key for `kid`, and whether the cache is within [`MAX_AGE`].
    fn cached(&self, kid: &str) -> (Option<SigningKey>, bool) {
        let Ok(cache) = self.cache.read() else { return (None, false) };
        let fresh = cache.fetched_at.is_some_and(|at| at.elapsed() < MAX_AGE);
        (cache.keys.get(kid).cloned(), fresh)
    }

    async fn fetch(&self) -> Result<HashMap<String, SigningKey>, String> {
        let url = self
            .jwks_url
            .get_or_try_init(|| async {
                if let Some(url) = &self.config.jwks_url {
                    return Ok(url.clone());
                }
                let discovery: Discovery = self.get_json(&self.config.discovery_url()).await?;
                if discovery.issuer != self.config.issuer {
                    return Err(format!("the discovery document names issuer `{}`", discovery.issuer));
                }
                check_url(&discovery.jwks_uri)?;
                Ok(discovery.jwks_uri)
            })
            .await?;
        let raw: RawJwks = self.get_json(url).await?;
        Ok(raw.keys.into_iter().filter_map(signing_key).collect())
    }

    async fn get_json<T: serde::de::DeserializeOwned>(&self, url: &str) -> Result<T, String> {
        let uri: http::Uri = url.parse().map_err(|e| format!("{url}: {e}"))?;
        let client = self.client()?;
        let fetch = async {
            let response = client.get(uri).await.map_err(|e| format!("GET {url}: {e}"))?;
            if !response.status().is_success() {
                return Err(format!("GET {url}: status {}", response.status()));
            }
            let body = Limited::new(response.into_body(), MAX_DOCUMENT_BYTES)
                .collect()
                .await
                .map_err(|e| format!("GET {url}: {e}"))?
                .to_bytes();
            serde_json::from_slice(&body).map_err(|e| format!("GET {url}: {e}"))
        };
        tokio::time::timeout(FETCH_TIMEOUT, fetch).await.map_err(|_| format!("GET {url}: timed out"))?
    }

    fn client(&self) -> Result<&HttpClient, String> {
        if let Some(client) = self.client.get() {
            return Ok(client);
        }
        let client = crate::ports::outbound::client(CONNECT_TIMEOUT)?;
        Ok(self.client.get_or_init(|| client))
    }
}

/// A JWKS entry usable for signatures: a `kid`, `use` absent or `sig`, an
/// RSA key (RS256) or a P-256 key (ES256), `alg` absent or matching.
/// Anything else in the set (encryption keys, other curves) is skipped.
fn signing_key(value: serde_json::Value) -> Option<(String, SigningKey)> {
    let jwk: Jwk = serde_json::from_value(value).ok()?;
    let kid = jwk.common.key_id.clone()?;
    if jwk.common.public_key_use.as_ref().is_some_and(|u| *u != PublicKeyUse::Signature) {
        return None;
    }
    let alg = match &jwk.algorithm {
        AlgorithmParameters::RSA(_) => Algorithm::RS256,
        AlgorithmParameters::EllipticCurve(p) if p.curve == EllipticCurve::P256 => Algorithm::ES256,
        _ => return None,
    };
    let declared = jwk.common.key_algorithm;
    let matches = match declared {
        None => true,
        Some(KeyAlgorithm::RS256) => alg == Algorithm::RS256,
        Some(KeyAlgorithm::ES256) => alg == Algorithm::ES256,
        Some(_) => false,
    };
    if !matches {
        return None;
    }
    let key = DecodingKey::from_jwk(&jwk).ok()?;
    Some((kid, SigningKey { key: Arc::new(key), alg }))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn issuers_must_be_https_except_on_loopback() {
        assert!(OidcConfig::new("https://login.example.com/", "api", None).is_ok());
        assert!(OidcConfig::new("http://127.0.0.1:8080", "api", None).is_ok());
        assert!(OidcConfig::new("http://localhost/realms/x", "api", None).is_ok());
        let refused = OidcConfig::new("http://login.example.com", "api", None).unwrap_err();
        assert!(refused.contains(ISSUER_ENV), "{refused}");
        assert!(OidcConfig::new("http://localhost.evil.com", "api", None).is_err());
        assert!(OidcConfig::new("https://login.example.com", "api", Some("http://keys.example.com")).is_err());
        assert!(OidcConfig::new("https://login.example.com", " ", None).is_err());
    }

    #[test]
    fn only_signature_keys_of_the_two_algorithms_enter_the_key_set() {
        let ec = serde_json::json!({"kty": "EC", "crv": "P-256", "kid": "ec",
            "x": "f83OJ3D2xF1Bg8vub9tLe1gHMzV76e8Tus9uPHvRVEU", "y": "x_FEzRu9m36HLN_tue659LNpXW6pCyStikYjKIWI5a0"});
        assert_eq!(signing_key(ec.clone()).map(|(kid, k)| (kid, k.alg)), Some(("ec".into(), Algorithm::ES256)));
        let mut encryption = ec.clone();
        encryption["use"] = "enc".into();
        assert!(signing_key(encryption).is_none());
        let mut mislabelled = ec.clone();
        mislabelled["alg"] = "RS256".into();
        assert!(signing_key(mislabelled).is_none());
        let mut no_kid = ec;
        no_kid.as_object_mut().unwrap().remove("kid");
        assert!(signing_key(no_kid).is_none());
        let hmac = serde_json::json!({"kty": "oct", "kid": "h", "k": "c2VjcmV0"});
        assert!(signing_key(hmac).is_none());
    }

    #[test]
    fn an_email_the_issuer_has_not_verified_is_dropped() {
        let claims = |verified: serde_json::Value| OidcClaims {
            sub: "u".into(),
            iat: Some(1),
            exp: 2,
            email: Some("a@example.com".into()),
            email_verified: Some(verified),
            org_id: None,
            jti: None,
        };
        assert_eq!(Identity::from(claims(false.into())).email, None);
        assert_eq!(Identity::from(claims("false".into())).email, None);
        assert_eq!(Identity::from(claims(true.into())).email.as_deref(), Some("a@example.com"));
    }
}
