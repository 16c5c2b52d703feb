//! jsonwebtoken's cryptography on ring, the one crypto library in the
//! binaries (rustls uses it too; aws-lc was 0.7 MiB of each binary).
//!
//! It signs what the platform signs, HS256 (development tokens), and
//! verifies what it accepts: HS256 and RS256 and ES256 (OIDC issuers, see
//! [`super::oidc::ALGORITHMS`]). Anything else is refused with
//! `InvalidAlgorithm` (a token naming another algorithm fails verification
//! like any other bad token), and so are JWK helpers that need a private
//! key: the binaries hold no signing code but HMAC's.

use jsonwebtoken::crypto::{CryptoProvider, JwtSigner, JwtVerifier, KeyUtils};
use jsonwebtoken::errors::{Error, ErrorKind, Result};
use jsonwebtoken::jwk::ThumbprintHash;
use jsonwebtoken::signature::{self, Signer, Verifier};
use jsonwebtoken::{Algorithm, AlgorithmFamily, DecodingKey, DecodingKeyKind, EncodingKey};
use ring::signature as sig;
use ring::{digest, hmac};

static PROVIDER: CryptoProvider = CryptoProvider {
    signer_factory: signer,
    verifier_factory: verifier,
    key_utils: KeyUtils {
        rsa_pub_components_from_private_key: |_| Err(unsupported()),
        rsa_pub_components_from_public_key: |_| Err(unsupported()),
        ec_pub_components_from_private_key: |_, _| Err(unsupported()),
        ed_pub_components_from_private_key: |_, _| Err(unsupported()),
        compute_digest,
    },
};

/// Installs this provider as jsonwebtoken's for the process. Everything that
/// signs or verifies a token calls it first; after the first call it is a
/// load of a set `OnceLock`.
pub fn install() {
    // Err means a provider is already installed: this one, by an earlier call.
    let _ = PROVIDER.install_default();
}

fn unsupported() -> Error {
    ErrorKind::InvalidAlgorithm.into()
}

fn failed(_: ring::error::Unspecified) -> signature::Error {
    signature::Error::new()
}

fn family(found: AlgorithmFamily, wanted: AlgorithmFamily) -> Result<()> {
    if found == wanted { Ok(()) } else { Err(ErrorKind::InvalidKeyFormat.into()) }
}

fn signer(algorithm: &Algorithm, key: &EncodingKey) -> Result<Box<dyn JwtSigner>> {
    if *algorithm != Algorithm::HS256 {
        return Err(unsupported());
    }
    family(key.family(), AlgorithmFamily::Hmac)?;
    Ok(Box::new(Hs256(hmac::Key::new(hmac::HMAC_SHA256, key.as_bytes()))))
}

fn verifier(algorithm: &Algorithm, key: &DecodingKey) -> Result<Box<dyn JwtVerifier>> {
    Ok(match algorithm {
        Algorithm::HS256 => {
            family(key.family(), AlgorithmFamily::Hmac)?;
            Box::new(Hs256(hmac::Key::new(hmac::HMAC_SHA256, key.try_get_as_bytes()?)))
        }
        Algorithm::RS256 => {
            family(key.family(), AlgorithmFamily::Rsa)?;
            Box::new(PublicKey { algorithm: Algorithm::RS256, key: key.kind().clone() })
        }
        Algorithm::ES256 => {
            family(key.family(), AlgorithmFamily::Ec)?;
            Box::new(PublicKey { algorithm: Algorithm::ES256, key: key.kind().clone() })
        }
        _ => return Err(unsupported()),
    })
}

/// An HS256 key: signs and verifies (in constant time).
struct Hs256(hmac::Key);

impl Signer<Vec<u8>> for Hs256 {
    fn try_sign(&self, message: &[u8]) -> std::result::Result<Vec<u8>, signature::Error> {
        Ok(hmac::sign(&self.0, message).as_ref().to_vec())
    }
}

impl Verifier<Vec<u8>> for Hs256 {
    fn verify(&self, message: &[u8], signature: &Vec<u8>) -> std::result::Result<(), signature::Error> {
        hmac::verify(&self.0, message, signature).map_err(failed)
    }
}

impl JwtSigner for Hs256 {
    fn algorithm(&self) -> Algorithm {
        Algorithm::HS256
    }
}

impl JwtVerifier for Hs256 {
    fn algorithm(&self) -> Algorithm {
        Algorithm::HS256
    }
}

/// An RS256 or ES256 public key: DER (RSAPublicKey, or the uncompressed
/// P-256 point) or, for RSA, the JWK's modulus and exponent.
struct PublicKey {
    algorithm: Algorithm,
    key: DecodingKeyKind,
}

impl Verifier<Vec<u8>> for PublicKey {
    fn verify(&self, message: &[u8], signature: &Vec<u8>) -> std::result::Result<(), signature::Error> {
        let rsa = &sig::RSA_PKCS1_2048_8192_SHA256;
        match (&self.key, self.algorithm) {
            (DecodingKeyKind::RsaModulusExponent { n, e }, Algorithm::RS256) => {
                sig::RsaPublicKeyComponents { n, e }.verify(rsa, message, signature).map_err(failed)
            }
            (DecodingKeyKind::SecretOrDer(der), Algorithm::RS256) => {
                sig::UnparsedPublicKey::new(rsa, der).verify(message, signature).map_err(failed)
            }
            (DecodingKeyKind::SecretOrDer(point), Algorithm::ES256) => {
                sig::UnparsedPublicKey::new(&sig::ECDSA_P256_SHA256_FIXED, point)
                    .verify(message, signature)
                    .map_err(failed)
            }
            _ => Err(signature::Error::new()),
        }
    }
}

impl JwtVerifier for PublicKey {
    fn algorithm(&self) -> Algorithm {
        self.algorithm
    }
}

fn compute_digest(data: &[u8], hash: ThumbprintHash) -> Result<Vec<u8>> {
    let algorithm = match hash {
        ThumbprintHash::SHA256 => &digest::SHA256,
        ThumbprintHash::SHA384 => &digest::SHA384,
        ThumbprintHash::SHA512 => &digest::SHA512,
        _ => return Err(unsupported()),
    };
    Ok(digest::digest(algorithm, data).as_ref().to_vec())
}

#[cfg(test)]
mod tests {
    use super::*;
    use jsonwebtoken::{Header, Validation};
    use ring::rand::SystemRandom;
    use ring::signature::KeyPair;
    use serde_json::{Value, json};

    fn claims() -> Value {
        json!({ "sub": "u1", "exp": 4_000_000_000_u64 })
    }

    fn validation(algorithm: Algorithm) -> Validation {
        let mut validation = Validation::new(algorithm);
        validation.required_spec_claims.clear();
        validation.validate_aud = false;
        validation
    }

    fn b64(bytes: &[u8]) -> String {
        base64::Engine::encode(&base64::engine::general_purpose::URL_SAFE_NO_PAD, bytes)
    }

    /// A P-256 key pair (ring signs here, in the test) and its public key
    /// as an OIDC issuer's JWK gives it.
    fn p256() -> (sig::EcdsaKeyPair, DecodingKey) {
        let rng = SystemRandom::new();
        let pkcs8 = sig::EcdsaKeyPair::generate_pkcs8(&sig::ECDSA_P256_SHA256_FIXED_SIGNING, &rng).unwrap();
        let pair = sig::EcdsaKeyPair::from_pkcs8(&sig::ECDSA_P256_SHA256_FIXED_SIGNING, pkcs8.as_ref(), &rng).unwrap();
        let (x, y) = pair.public_key().as_ref()[1..].split_at(32);
        let public = DecodingKey::from_ec_components(&b64(x), &b64(y)).unwrap();
        (pair, public)
    }

    fn es256_token(pair: &sig::EcdsaKeyPair) -> String {
        let message = format!("{}.{}", b64(br#"{"alg":"ES256","typ":"JWT"}"#), b64(claims().to_string().as_bytes()));
        let signature = pair.sign(&SystemRandom::new(), message.as_bytes()).unwrap();
        format!("{message}.{}", b64(signature.as_ref()))
    }

    #[test]
    fn an_hs256_token_verifies_with_its_secret_and_not_with_another() {
        install();
        let token =
            jsonwebtoken::encode(&Header::new(Algorithm::HS256), &claims(), &EncodingKey::from_secret(b"one")).unwrap();
        let check = |secret: &[u8]| {
            jsonwebtoken::decode::<Value>(&token, &DecodingKey::from_secret(secret), &validation(Algorithm::HS256))
        };
        assert_eq!(check(b"one").unwrap().claims, claims());
        assert_eq!(check(b"two").unwrap_err().kind(), &ErrorKind::InvalidSignature);
    }

    #[test]
    fn an_es256_token_verifies_with_its_public_point_and_not_with_another() {
        install();
        let (pair, decoding) = p256();
        let (_, other) = p256();
        let token = es256_token(&pair);
        assert_eq!(
            jsonwebtoken::decode::<Value>(&token, &decoding, &validation(Algorithm::ES256)).unwrap().claims,
            claims()
        );
        let refused = jsonwebtoken::decode::<Value>(&token, &other, &validation(Algorithm::ES256)).unwrap_err();
        assert_eq!(refused.kind(), &ErrorKind::InvalidSignature);
    }

    #[test]
    fn a_key_of_the_wrong_family_or_an_algorithm_outside_the_set_is_refused() {
        let (_, decoding) = p256();
        assert_eq!(verifier(&Algorithm::RS256, &decoding).err().unwrap().kind(), &ErrorKind::InvalidKeyFormat);
        assert_eq!(verifier(&Algorithm::HS256, &decoding).err().unwrap().kind(), &ErrorKind::InvalidKeyFormat);
        let secret = EncodingKey::from_secret(b"one");
        assert_eq!(signer(&Algorithm::HS512, &secret).err().unwrap().kind(), &ErrorKind::InvalidAlgorithm);
        let der = EncodingKey::from_ec_der(b"not a key");
        assert_eq!(
            signer(&Algorithm::ES256, &der).err().unwrap().kind(),
            &ErrorKind::InvalidAlgorithm,
            "signs HS256 only"
        );
        let secret = DecodingKey::from_secret(b"one");
        assert_eq!(verifier(&Algorithm::EdDSA, &secret).err().unwrap().kind(), &ErrorKind::InvalidAlgorithm);
    }
}
