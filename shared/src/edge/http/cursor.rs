//! Opaque, tamper-evident pagination cursors bound to the tenant and query
//! that produced them: base64url(JSON) + "." + base64url(HMAC-SHA256).

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use hmac::{Hmac, Mac};
use serde::{Deserialize, Serialize};
use sha2::Sha256;

use crate::edge::error::ApiError;
use crate::ports::store::StartKey;

type HmacSha256 = Hmac<Sha256>;

/// What a cursor is valid for: the tenant (or user) and the list with its
/// filters. A cursor from another scope is refused.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Cursor {
    pub scope: String,
}

impl Cursor {
    pub fn scope(parts: &[&str]) -> Self {
        Self { scope: parts.join("|") }
    }
}

#[derive(Serialize, Deserialize)]
struct Payload {
    s: String,
    k: StartKey,
}

#[derive(Clone)]
pub struct CursorSigner {
    key: Vec<u8>,
}

impl std::fmt::Debug for CursorSigner {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("CursorSigner(redacted)")
    }
}

fn invalid() -> ApiError {
    ApiError::field("query.cursor", "is not a cursor this list returned; start again without it")
}

impl CursorSigner {
    /// Derives the cursor key from the service secret, so a leaked cursor key
    /// says nothing about the secret.
    pub fn from_secret(secret: &[u8]) -> Self {
        let mut mac = HmacSha256::new_from_slice(secret).expect("HMAC accepts any key length");
        mac.update(b"controlplane/cursor/v1");
        Self { key: mac.finalize().into_bytes().to_vec() }
    }

    fn mac(&self) -> HmacSha256 {
        HmacSha256::new_from_slice(&self.key).expect("HMAC accepts any key length")
    }

    pub fn encode(&self, cursor: &Cursor, start: &StartKey) -> String {
        let payload = serde_json::to_vec(&Payload { s: cursor.scope.clone(), k: start.clone() })
            .expect("cursor payload serializes");
        let mut mac = self.mac();
        mac.update(&payload);
        let tag = mac.finalize().into_bytes();
        format!("{}.{}", URL_SAFE_NO_PAD.encode(payload), URL_SAFE_NO_PAD.encode(tag))
    }

    pub fn decode(&self, cursor: &Cursor, token: &str) -> Result<StartKey, ApiError> {
        let (payload, tag) = token.split_once('.').ok_or_else(invalid)?;
        let payload = URL_SAFE_NO_PAD.decode(payload).map_err(|_| invalid())?;
        let tag = URL_SAFE_NO_PAD.decode(tag).map_err(|_| invalid())?;
        let mut mac = self.mac();
        mac.update(&payload);
        mac.verify_slice(&tag).map_err(|_| invalid())?;
        let payload: Payload = serde_json::from_slice(&payload).map_err(|_| invalid())?;
        if payload.s != cursor.scope {
            return Err(invalid());
        }
        Ok(payload.k)
    }

    pub fn decode_opt(&self, cursor: &Cursor, token: Option<&str>) -> Result<Option<StartKey>, ApiError> {
        token.map(|t| self.decode(cursor, t)).transpose()
    }

    pub fn encode_opt(&self, cursor: &Cursor, start: Option<&StartKey>) -> Option<String> {
        start.map(|s| self.encode(cursor, s))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn start() -> StartKey {
        StartKey { pk: "T#org_a".into(), sk: "PROJECT#prj_1".into(), index_key: None }
    }

    #[test]
    fn a_cursor_round_trips_within_its_scope() {
        let signer = CursorSigner::from_secret(b"secret");
        let scope = Cursor::scope(&["projects", "org_a"]);
        let token = signer.encode(&scope, &start());
        assert_eq!(signer.decode(&scope, &token).unwrap(), start());
    }

    #[test]
    fn a_cursor_from_another_tenant_is_refused() {
        let signer = CursorSigner::from_secret(b"secret");
        let token = signer.encode(&Cursor::scope(&["projects", "org_a"]), &start());
        assert!(signer.decode(&Cursor::scope(&["projects", "org_b"]), &token).is_err());
    }

    #[test]
    fn an_edited_cursor_is_refused() {
        let signer = CursorSigner::from_secret(b"secret");
        let scope = Cursor::scope(&["projects", "org_a"]);
        let token = signer.encode(&scope, &start());
        let (payload, tag) = token.split_once('.').unwrap();
        let mut raw = URL_SAFE_NO_PAD.decode(payload).unwrap();
        let edited = String::from_utf8(raw.clone()).unwrap().replace("prj_1", "prj_2");
        raw = edited.into_bytes();
        let forged = format!("{}.{}", URL_SAFE_NO_PAD.encode(raw), tag);
        assert!(signer.decode(&scope, &forged).is_err());
        assert!(signer.decode(&scope, "garbage").is_err());
    }
}
