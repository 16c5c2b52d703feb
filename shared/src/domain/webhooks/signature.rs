//! Standard Webhooks signatures. A secret is `whsec_` + base64 of 24–64
//! random bytes; a delivery carries `webhook-id`, `webhook-timestamp`
//! (epoch seconds) and `webhook-signature`: `v1,<base64 HMAC-SHA256 of
//! "{id}.{timestamp}.{body}">`, one per live secret separated by spaces, so
//! receivers keep verifying while a secret rotates.

use base64::Engine;
use base64::engine::general_purpose::STANDARD;
use hmac::{Hmac, Mac};
use sha2::Sha256;

pub const SECRET_PREFIX: &str = "whsec_";
pub const HEADER_ID: &str = "webhook-id";
pub const HEADER_TIMESTAMP: &str = "webhook-timestamp";
pub const HEADER_SIGNATURE: &str = "webhook-signature";
/// Random bytes in a secret this service generates.
pub const SECRET_BYTES: usize = 32;

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("a webhook secret is `whsec_` followed by base64 of 24 to 64 bytes")]
pub struct InvalidSecret;

/// A signing secret. Printing it shows nothing of the key.
#[derive(Clone, PartialEq, Eq)]
pub struct WebhookSecret(Vec<u8>);

impl WebhookSecret {
    pub fn generate() -> Self {
        let bytes: [u8; SECRET_BYTES] = rand::random();
        Self(bytes.to_vec())
    }

    pub fn parse(s: &str) -> Result<Self, InvalidSecret> {
        let encoded = s.strip_prefix(SECRET_PREFIX).ok_or(InvalidSecret)?;
        let bytes = STANDARD.decode(encoded).map_err(|_| InvalidSecret)?;
        if !(24..=64).contains(&bytes.len()) {
            return Err(InvalidSecret);
        }
        Ok(Self(bytes))
    }

    /// The `whsec_…` form: shown once to the endpoint's owner, stored in
    /// the secrets store.
    pub fn expose(&self) -> String {
        format!("{SECRET_PREFIX}{}", STANDARD.encode(&self.0))
    }

    fn sign(&self, content: &[u8]) -> String {
        // HMAC takes a key of any length.
        let mut mac =
            Hmac::<Sha256>::new_from_slice(&self.0).unwrap_or_else(|_| unreachable!("HMAC keys of any length"));
        mac.update(content);
        STANDARD.encode(mac.finalize().into_bytes())
    }
}

impl std::fmt::Debug for WebhookSecret {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("WebhookSecret(***)")
    }
}

/// The `webhook-signature` value for a delivery: one `v1,` signature per
/// secret, in the order given.
pub fn signature_header(id: &str, timestamp: i64, body: &[u8], secrets: &[WebhookSecret]) -> String {
    let mut content = format!("{id}.{timestamp}.").into_bytes();
    content.extend_from_slice(body);
    secrets.iter().map(|s| format!("v1,{}", s.sign(&content))).collect::<Vec<_>>().join(" ")
}

/// The three headers of a delivery.
pub fn headers(id: &str, timestamp: i64, body: &[u8], secrets: &[WebhookSecret]) -> [(&'static str, String); 3] {
    [
        (HEADER_ID, id.to_owned()),
        (HEADER_TIMESTAMP, timestamp.to_string()),
        (HEADER_SIGNATURE, signature_header(id, timestamp, body, secrets)),
    ]
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The spec's own library, as an independent receiver.
    fn receiver_accepts(secret: &WebhookSecret, id: &str, timestamp: i64, body: &[u8], signature: &str) -> bool {
        let verifier = standardwebhooks::Webhook::new(&secret.expose()).expect("a valid secret");
        let mut headers = http::HeaderMap::new();
        headers.insert(HEADER_ID, id.parse().unwrap());
        headers.insert(HEADER_TIMESTAMP, timestamp.to_string().parse().unwrap());
        headers.insert(HEADER_SIGNATURE, signature.parse().unwrap());
        verifier.verify(body, &headers).is_ok()
    }

    #[test]
    fn the_standard_webhooks_library_verifies_our_signatures_with_either_secret_during_rotation() {
        let (old, new) = (WebhookSecret::generate(), WebhookSecret::generate());
        let (id, timestamp, body) =
            ("msg_2KWPBgLlAfxdpx2AI54pPJ85f4W", chrono::Utc::now().timestamp(), br#"{"type":"project.created"}"#);
        let signature = signature_header(id, timestamp, body, &[new.clone(), old.clone()]);
        assert_eq!(signature.split(' ').count(), 2);
        assert!(receiver_accepts(&old, id, timestamp, body, &signature), "a receiver still on the old secret");
        assert!(receiver_accepts(&new, id, timestamp, body, &signature), "a receiver already on the new one");
        let other = WebhookSecret::generate();
        assert!(!receiver_accepts(&other, id, timestamp, body, &signature));
        assert!(!receiver_accepts(&new, id, timestamp, b"{}", &signature), "the body is signed");
        assert!(!receiver_accepts(&new, "msg_other", timestamp, body, &signature), "the id is signed");
    }

    #[test]
    fn the_spec_example_signature_is_reproduced() {
        // From the Standard Webhooks reference test vectors.
        let secret = WebhookSecret::parse("whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw").unwrap();
        let body = br#"{"test": 2432232314}"#;
        let signature = signature_header("msg_p5jXN8AQM9LWM0D4loKWxJek", 1614265330, body, &[secret]);
        assert_eq!(signature, "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=");
    }

    #[test]
    fn secrets_parse_only_in_their_form_and_never_print() {
        let secret = WebhookSecret::generate();
        assert_eq!(WebhookSecret::parse(&secret.expose()).unwrap(), secret);
        assert_eq!(format!("{secret:?}"), "WebhookSecret(***)");
        for bad in ["whsec_", "sk_abc", "whsec_!!!!", &format!("whsec_{}", STANDARD.encode([0u8; 8]))] {
            assert!(WebhookSecret::parse(bad).is_err(), "{bad}");
        }
    }
}
