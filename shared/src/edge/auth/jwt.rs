//! Development JWTs: HS256 with the configured secret, and what any
//! verified access token (development or OIDC) says about its user.

use jsonwebtoken::errors::ErrorKind;
use jsonwebtoken::{Algorithm, DecodingKey, EncodingKey, Header, Validation};
use serde::{Deserialize, Serialize};

pub const ISSUER: &str = "controlplane-dev";
pub const AUDIENCE: &str = "controlplane";
/// Clock skew tolerated on `exp` and `nbf`, in seconds.
pub const LEEWAY_SECONDS: u64 = 30;
pub const MIN_SECRET_BYTES: usize = 32;
pub const MAX_TTL_SECONDS: u64 = 30 * 24 * 3600;
/// The longest lifetime (`exp` − `iat`) an accepted access token may have,
/// unless configured otherwise (`CONTROLPLANE_MAX_TOKEN_LIFETIME`).
pub const DEFAULT_MAX_LIFETIME_SECONDS: u64 = MAX_TTL_SECONDS;
/// What a token must carry: the product needs nothing else. `nbf` and
/// `iat` are checked when present.
pub(crate) const REQUIRED_CLAIMS: [&str; 4] = ["exp", "sub", "iss", "aud"];

/// The claims of a development token. The required ones default when
/// absent so that the validation, which runs on the raw claims, names the
/// one missing instead of a parse failure.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq)]
pub struct Claims {
    #[serde(default)]
    pub sub: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub email: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub org_id: Option<String>,
    #[serde(default)]
    pub iss: String,
    #[serde(default)]
    pub aud: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub iat: Option<u64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub nbf: Option<u64>,
    #[serde(default)]
    pub exp: u64,
    /// The token's id, for revoking one token.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub jti: Option<String>,
    /// `access` (the default) or `refresh`; each works only where it belongs.
    #[serde(default)]
    pub token_use: TokenUse,
}

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum TokenUse {
    #[default]
    Access,
    Refresh,
}

/// What a verified access token says about its user, whoever signed it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Identity {
    pub sub: String,
    pub email: Option<String>,
    /// The org the token is bound to, if any.
    pub org_id: Option<String>,
    /// `iat`, when the token says.
    pub issued_at: Option<u64>,
    pub expires_at: u64,
    pub jti: Option<String>,
}

impl From<Claims> for Identity {
    fn from(c: Claims) -> Self {
        Self { sub: c.sub, email: c.email, org_id: c.org_id, issued_at: c.iat, expires_at: c.exp, jti: c.jti }
    }
}

impl Identity {
    /// When the token was issued, for revocations by time: its `iat`, or
    /// without one the earliest it can have been (its expiry less the
    /// longest lifetime accepted), so a revocation never misses it.
    /// 401 when the token lives longer than `max_lifetime` allows.
    pub fn issued_at_within(&self, max_lifetime: u64, now: u64) -> Result<u64, TokenError> {
        let lifetime = self.expires_at.saturating_sub(self.issued_at.unwrap_or(now));
        if lifetime > max_lifetime {
            return Err(TokenError::LifetimeTooLong { max: max_lifetime });
        }
        Ok(self.issued_at.unwrap_or(self.expires_at.saturating_sub(max_lifetime)))
    }
}

#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum TokenError {
    #[error("the token has expired")]
    Expired,
    #[error("the token is not valid yet")]
    NotYetValid,
    #[error("the token is malformed: not a JWT whose claims this service reads")]
    Invalid,
    #[error("the token's signature does not verify")]
    BadSignature,
    #[error("the token's issuer (`iss`) is not one this service accepts")]
    WrongIssuer,
    #[error("the token's audience (`aud`) does not name this service")]
    WrongAudience,
    #[error("the token lacks the `{0}` claim")]
    MissingClaim(String),
    #[error("the token lives longer (`exp` − `iat`) than the {max} seconds accepted")]
    LifetimeTooLong { max: u64 },
    #[error("a refresh token only works at POST /v1/auth/token, and an access token not there")]
    WrongUse,
    #[error("development tokens are not accepted here; sign in with the identity provider")]
    DevelopmentTokensOff,
    #[error("the token is signed with a key its issuer does not publish")]
    UnknownKey,
    #[error("the identity provider's signing keys cannot be fetched; retry shortly")]
    KeysUnavailable,
}

impl TokenError {
    pub(crate) fn from_jwt(e: &jsonwebtoken::errors::Error) -> Self {
        match e.kind() {
            ErrorKind::ExpiredSignature => TokenError::Expired,
            ErrorKind::ImmatureSignature => TokenError::NotYetValid,
            ErrorKind::InvalidSignature => TokenError::BadSignature,
            ErrorKind::InvalidIssuer => TokenError::WrongIssuer,
            ErrorKind::InvalidAudience => TokenError::WrongAudience,
            ErrorKind::MissingRequiredClaim(claim) => TokenError::MissingClaim(claim.clone()),
            _ => TokenError::Invalid,
        }
    }
}

/// A refused token is 401 with a code saying why; keys that cannot be
/// fetched are the platform's problem, 503.
impl From<TokenError> for crate::edge::error::ApiError {
    fn from(e: TokenError) -> Self {
        let code = match e {
            TokenError::KeysUnavailable => return Self::Unavailable { detail: e.to_string() },
            TokenError::Expired => "token_expired",
            TokenError::NotYetValid => "token_not_yet_valid",
            TokenError::LifetimeTooLong { .. } => "token_lifetime_too_long",
            TokenError::Invalid
            | TokenError::BadSignature
            | TokenError::WrongIssuer
            | TokenError::WrongAudience
            | TokenError::MissingClaim(_)
            | TokenError::WrongUse
            | TokenError::DevelopmentTokensOff
            | TokenError::UnknownKey => "invalid_token",
        };
        Self::unauthenticated(code, e.to_string())
    }
}

#[derive(Debug, thiserror::Error)]
pub enum JwtConfigError {
    #[error("the JWT secret must be at least {MIN_SECRET_BYTES} bytes")]
    SecretTooShort,
    #[error("token ttl must be between 1 and {MAX_TTL_SECONDS} seconds")]
    BadTtl,
    #[error("could not sign the token: {0}")]
    Signing(String),
}

#[derive(Clone)]
pub struct JwtKeys {
    encoding: EncodingKey,
    decoding: DecodingKey,
    validation: Validation,
}

impl std::fmt::Debug for JwtKeys {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("JwtKeys(HS256, redacted)")
    }
}

impl JwtKeys {
    pub fn hs256(secret: &[u8]) -> Result<Self, JwtConfigError> {
        if secret.len() < MIN_SECRET_BYTES {
            return Err(JwtConfigError::SecretTooShort);
        }
        let mut validation = Validation::new(Algorithm::HS256);
        validation.leeway = LEEWAY_SECONDS;
        validation.validate_nbf = true;
        validation.set_issuer(&[ISSUER]);
        validation.set_audience(&[AUDIENCE]);
        validation.set_required_spec_claims(&REQUIRED_CLAIMS);
        Ok(Self { encoding: EncodingKey::from_secret(secret), decoding: DecodingKey::from_secret(secret), validation })
    }

    pub fn mint(
        &self,
        sub: &str,
        email: Option<&str>,
        org_id: Option<&str>,
        ttl_seconds: u64,
    ) -> Result<String, JwtConfigError> {
        self.mint_for(TokenUse::Access, sub, email, org_id, ttl_seconds)
    }

    /// A development refresh token, exchanged at `POST /v1/auth/token`.
    pub fn mint_refresh(&self, sub: &str, email: Option<&str>, ttl_seconds: u64) -> Result<String, JwtConfigError> {
        self.mint_for(TokenUse::Refresh, sub, email, None, ttl_seconds)
    }

    pub fn mint_for(
        &self,
        token_use: TokenUse,
        sub: &str,
        email: Option<&str>,
        org_id: Option<&str>,
        ttl_seconds: u64,
    ) -> Result<String, JwtConfigError> {
        if ttl_seconds == 0 || ttl_seconds > MAX_TTL_SECONDS {
            return Err(JwtConfigError::BadTtl);
        }
        let now = chrono::Utc::now().timestamp().max(0) as u64;
        let claims = Claims {
            sub: sub.to_owned(),
            email: email.map(str::to_owned),
            org_id: org_id.map(str::to_owned),
            iss: ISSUER.into(),
            aud: AUDIENCE.into(),
            iat: Some(now),
            nbf: Some(now),
            exp: now + ttl_seconds,
            jti: Some(ulid::Ulid::new().to_string().to_lowercase()),
            token_use,
        };
        self.sign(&claims)
    }

    pub fn sign(&self, claims: &Claims) -> Result<String, JwtConfigError> {
        jsonwebtoken::encode(&Header::new(Algorithm::HS256), claims, &self.encoding)
            .map_err(|e| JwtConfigError::Signing(e.to_string()))
    }

    /// Verifies a token presented for `token_use`.
    pub fn verify_for(&self, token: &str, token_use: TokenUse) -> Result<Claims, TokenError> {
        let claims = self.verify(token)?;
        if claims.token_use == token_use { Ok(claims) } else { Err(TokenError::WrongUse) }
    }

    pub fn verify(&self, token: &str) -> Result<Claims, TokenError> {
        jsonwebtoken::decode::<Claims>(token, &self.decoding, &self.validation)
            .map(|data| data.claims)
            .map_err(|e| TokenError::from_jwt(&e))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn keys() -> JwtKeys {
        JwtKeys::hs256(&[7u8; 32]).unwrap()
    }

    #[test]
    fn a_minted_token_verifies_with_its_claims() {
        let token = keys().mint("user_1", Some("a@example.com"), None, 60).unwrap();
        let claims = keys().verify(&token).unwrap();
        assert_eq!(claims.sub, "user_1");
        assert_eq!(claims.email.as_deref(), Some("a@example.com"));
    }

    #[test]
    fn an_expired_token_is_refused_as_expired() {
        let now = chrono::Utc::now().timestamp() as u64;
        let claims = Claims {
            sub: "u".into(),
            email: None,
            org_id: None,
            iss: ISSUER.into(),
            aud: AUDIENCE.into(),
            iat: Some(now - 3600),
            nbf: Some(now - 3600),
            exp: now - LEEWAY_SECONDS - 5,
            jti: None,
            token_use: TokenUse::Access,
        };
        let token = keys().sign(&claims).unwrap();
        assert_eq!(keys().verify(&token), Err(TokenError::Expired));
    }

    #[test]
    fn a_token_signed_with_another_secret_is_invalid() {
        let other = JwtKeys::hs256(&[9u8; 32]).unwrap();
        let token = other.mint("u", None, None, 60).unwrap();
        assert_eq!(keys().verify(&token), Err(TokenError::BadSignature));
    }

    #[test]
    fn a_token_for_another_audience_is_invalid() {
        let now = chrono::Utc::now().timestamp() as u64;
        let claims = Claims {
            sub: "u".into(),
            email: None,
            org_id: None,
            iss: ISSUER.into(),
            aud: "someone-else".into(),
            iat: Some(now),
            nbf: Some(now),
            exp: now + 60,
            jti: None,
            token_use: TokenUse::Access,
        };
        assert_eq!(keys().verify(&keys().sign(&claims).unwrap()), Err(TokenError::WrongAudience));
    }

    fn claims_now(now: u64) -> Claims {
        Claims {
            sub: "u".into(),
            email: None,
            org_id: None,
            iss: ISSUER.into(),
            aud: AUDIENCE.into(),
            iat: None,
            nbf: None,
            exp: now + 60,
            jti: None,
            token_use: TokenUse::Access,
        }
    }

    #[test]
    fn a_token_without_nbf_or_iat_verifies_and_a_future_nbf_is_not_yet_valid() {
        let now = chrono::Utc::now().timestamp() as u64;
        let bare = keys().sign(&claims_now(now)).unwrap();
        assert_eq!(keys().verify(&bare).unwrap().sub, "u", "nbf and iat are optional (RFC 7519)");
        let later = Claims { nbf: Some(now + LEEWAY_SECONDS + 600), ..claims_now(now) };
        assert_eq!(keys().verify(&keys().sign(&later).unwrap()), Err(TokenError::NotYetValid));
    }

    #[test]
    fn each_refusal_names_its_cause() {
        let now = chrono::Utc::now().timestamp() as u64;
        let other_issuer = Claims { iss: "someone".into(), ..claims_now(now) };
        assert_eq!(keys().verify(&keys().sign(&other_issuer).unwrap()), Err(TokenError::WrongIssuer));
        let forged = JwtKeys::hs256(&[8u8; 32]).unwrap().sign(&claims_now(now)).unwrap();
        assert_eq!(keys().verify(&forged), Err(TokenError::BadSignature));
        let no_exp = serde_json::json!({"sub": "u", "iss": ISSUER, "aud": AUDIENCE});
        let unsigned = jsonwebtoken::encode(&Header::new(Algorithm::HS256), &no_exp, &keys().encoding).unwrap();
        assert_eq!(keys().verify(&unsigned), Err(TokenError::MissingClaim("exp".into())));
        assert_eq!(keys().verify("not.a.jwt"), Err(TokenError::Invalid));
    }

    #[test]
    fn a_lifetime_past_the_maximum_is_refused_and_a_missing_iat_counts_as_early_as_possible() {
        let identity = |iat: Option<u64>, exp: u64| Identity {
            sub: "u".into(),
            email: None,
            org_id: None,
            issued_at: iat,
            expires_at: exp,
            jti: None,
        };
        let max = 3_600;
        assert_eq!(identity(Some(1_000), 1_000 + max).issued_at_within(max, 1_000), Ok(1_000));
        assert_eq!(
            identity(Some(1_000), 1_001 + max).issued_at_within(max, 1_000),
            Err(TokenError::LifetimeTooLong { max })
        );
        let ten_years = identity(Some(1_000), 1_000 + 10 * 365 * 86_400);
        assert!(ten_years.issued_at_within(max, 1_000).is_err());
        assert_eq!(identity(None, 5_000 + max).issued_at_within(max, 5_000), Ok(5_000), "from its expiry back");
        assert!(identity(None, 5_001 + max).issued_at_within(max, 5_000).is_err(), "without iat, from now");
    }

    #[test]
    fn refresh_and_access_tokens_only_work_for_their_use() {
        let refresh = keys().mint_refresh("u", None, 60).unwrap();
        let access = keys().mint("u", None, None, 60).unwrap();
        assert_eq!(keys().verify_for(&refresh, TokenUse::Access), Err(TokenError::WrongUse));
        assert_eq!(keys().verify_for(&access, TokenUse::Refresh), Err(TokenError::WrongUse));
        assert!(keys().verify_for(&access, TokenUse::Access).unwrap().jti.is_some());
    }

    #[test]
    fn short_secrets_are_refused() {
        assert!(JwtKeys::hs256(b"short").is_err());
    }
}
