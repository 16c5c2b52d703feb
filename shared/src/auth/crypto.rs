//! jsonwebtoken's cryptography on ring, the one crypto library in the
//! binaries (rustls uses it too; aws-lc was 0.7 MiB of each binary).
//!
//! It does the algorithms the platform signs and accepts: HS256
//! (development tokens) and RS256 and ES256 (OIDC issuers, see
//! [`super::oidc::ALGORITHMS`]). Any other algorithm is refused with
//! `InvalidAlgorithm`, so a token naming one fails verification like any
//! other bad token.

use jsonwebtoken::crypto::{CryptoProvider, JwtSigner, JwtVerifier, KeyUtils};
use jsonwebtoken::errors::{Error, ErrorKind, Result};
use jsonwebtoken::jwk::{EllipticCurve, ThumbprintHash};
use jsonwebtoken::signature::{self, Signer, Verifier};
use jsonwebtoken::{Algorithm, AlgorithmFamily, DecodingKey, DecodingKeyKind, EncodingKey};
use ring::rand::SystemRandom;
use ring::signature::{self as sig, KeyPair};
use ring::{digest, hmac};

static PROVIDER: CryptoProvider = CryptoProvider {
    signer_factory: signer,
    verifier_factory: verifier,
    key_utils: KeyUtils {
        rsa_pub_components_from_private_key: rsa_components,
        rsa_pub_components_from_public_key: |_| Err(unsupported()),
        ec_pub_components_from_private_key: ec_components,
        ed_pub_components_from_private_key: |_, _| Err(unsupported()),
        compute_digest,
    },
};

/// Makes ring jsonwebtoken's provider for this process. Everything that
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
    Ok(match algorithm {
        Algorithm::HS256 => {
            family(key.family(), AlgorithmFamily::Hmac)?;
            Box::new(Hs256(hmac::Key::new(hmac::HMAC_SHA256, key.as_bytes())))
        }
        Algorithm::RS256 => {
            family(key.family(), AlgorithmFamily::Rsa)?;
            // PEM keys arrive as PKCS#1 (jsonwebtoken unwraps PKCS#8); DER as given.
            let pair = sig::RsaKeyPair::from_der(key.as_bytes())
                .or_else(|_| sig::RsaKeyPair::from_pkcs8(key.as_bytes()))
                .map_err(|e| ErrorKind::InvalidRsaKey(e.to_string()))?;
            Box::new(Rs256Signer(pair))
        }
        Algorithm::ES256 => {
            family(key.family(), AlgorithmFamily::Ec)?;
            Box::new(Es256Signer(p256_pair(key.as_bytes())?))
        }
        _ => return Err(unsupported()),
    })
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

fn p256_pair(pkcs8: &[u8]) -> Result<sig::EcdsaKeyPair> {
    sig::EcdsaKeyPair::from_pkcs8(&sig::ECDSA_P256_SHA256_FIXED_SIGNING, pkcs8, &SystemRandom::new())
        .map_err(|_| ErrorKind::InvalidEcdsaKey.into())
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

struct Rs256Signer(sig::RsaKeyPair);

impl Signer<Vec<u8>> for Rs256Signer {
    fn try_sign(&self, message: &[u8]) -> std::result::Result<Vec<u8>, signature::Error> {
        let mut out = vec![0; self.0.public().modulus_len()];
        self.0.sign(&sig::RSA_PKCS1_SHA256, &SystemRandom::new(), message, &mut out).map_err(failed)?;
        Ok(out)
    }
}

impl JwtSigner for Rs256Signer {
    fn algorithm(&self) -> Algorithm {
        Algorithm::RS256
    }
}

struct Es256Signer(sig::EcdsaKeyPair);

impl Signer<Vec<u8>> for Es256Signer {
    fn try_sign(&self, message: &[u8]) -> std::result::Result<Vec<u8>, signature::Error> {
        Ok(self.0.sign(&SystemRandom::new(), message).map_err(failed)?.as_ref().to_vec())
    }
}

impl JwtSigner for Es256Signer {
    fn algorithm(&self) -> Algorithm {
        Algorithm::ES256
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

fn rsa_components(der: &[u8]) -> Result<(Vec<u8>, Vec<u8>)> {
    let pair = sig::RsaKeyPair::from_der(der)
        .or_else(|_| sig::RsaKeyPair::from_pkcs8(der))
        .map_err(|e| ErrorKind::InvalidRsaKey(e.to_string()))?;
    let public = sig::RsaPublicKeyComponents::<Vec<u8>>::from(pair.public());
    Ok((public.n, public.e))
}

fn ec_components(pkcs8: &[u8], algorithm: Algorithm) -> Result<(EllipticCurve, Vec<u8>, Vec<u8>)> {
    if algorithm != Algorithm::ES256 {
        return Err(unsupported());
    }
    let pair = p256_pair(pkcs8)?;
    // An uncompressed point: 0x04, then x and y.
    let (x, y) = pair.public_key().as_ref()[1..].split_at(32);
    Ok((EllipticCurve::P256, x.to_vec(), y.to_vec()))
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

    fn p256() -> (EncodingKey, DecodingKey) {
        let rng = SystemRandom::new();
        let pkcs8 = sig::EcdsaKeyPair::generate_pkcs8(&sig::ECDSA_P256_SHA256_FIXED_SIGNING, &rng).unwrap();
        let (_, x, y) = ec_components(pkcs8.as_ref(), Algorithm::ES256).unwrap();
        let b64 = |b: &[u8]| base64::Engine::encode(&base64::engine::general_purpose::URL_SAFE_NO_PAD, b);
        (EncodingKey::from_ec_der(pkcs8.as_ref()), DecodingKey::from_ec_components(&b64(&x), &b64(&y)).unwrap())
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
        let (encoding, decoding) = p256();
        let (_, other) = p256();
        let token = jsonwebtoken::encode(&Header::new(Algorithm::ES256), &claims(), &encoding).unwrap();
        assert_eq!(
            jsonwebtoken::decode::<Value>(&token, &decoding, &validation(Algorithm::ES256)).unwrap().claims,
            claims()
        );
        let refused = jsonwebtoken::decode::<Value>(&token, &other, &validation(Algorithm::ES256)).unwrap_err();
        assert_eq!(refused.kind(), &ErrorKind::InvalidSignature);
    }

    #[test]
    fn a_key_of_the_wrong_family_or_an_algorithm_outside_the_set_is_refused() {
        let (encoding, decoding) = p256();
        assert_eq!(signer(&Algorithm::HS256, &encoding).err().unwrap().kind(), &ErrorKind::InvalidKeyFormat);
        assert_eq!(verifier(&Algorithm::RS256, &decoding).err().unwrap().kind(), &ErrorKind::InvalidKeyFormat);
        let secret = EncodingKey::from_secret(b"one");
        assert_eq!(signer(&Algorithm::HS512, &secret).err().unwrap().kind(), &ErrorKind::InvalidAlgorithm);
        let secret = DecodingKey::from_secret(b"one");
        assert_eq!(verifier(&Algorithm::EdDSA, &secret).err().unwrap().kind(), &ErrorKind::InvalidAlgorithm);
    }
}
