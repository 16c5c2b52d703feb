//! A stand-in OpenID Connect issuer on 127.0.0.1: a discovery document, a
//! JWKS that tests can change, and signing keys generated per test.

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};

use aws_lc_rs::rand::SystemRandom;
use aws_lc_rs::rsa::KeySize;
use aws_lc_rs::signature::{ECDSA_P256_SHA256_FIXED_SIGNING, EcdsaKeyPair, KeyPair, RSA_PKCS1_SHA256};
use axum::extract::State;
use axum::routing::get;
use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use jsonwebtoken::{Algorithm, Header};
use serde_json::{Value, json};

/// The audience the test issuer's tokens are for.
pub const AUDIENCE: &str = "controlplane-api";

/// A private key the issuer may publish, and its public JWK. It signs
/// with aws-lc, not through jsonwebtoken: the control plane's provider
/// only verifies RS256 and ES256.
pub struct SigningKey {
    pub kid: String,
    pub alg: Algorithm,
    pair: Pair,
    pub jwk: Value,
}

enum Pair {
    Ec(EcdsaKeyPair),
    Rsa(aws_lc_rs::rsa::KeyPair),
}

impl SigningKey {
    pub fn es256(kid: &str) -> Self {
        let pair = EcdsaKeyPair::generate(&ECDSA_P256_SHA256_FIXED_SIGNING).expect("generate P-256 key");
        // An uncompressed point: 0x04, then x and y.
        let point = pair.public_key().as_ref();
        let jwk = json!({
            "kty": "EC", "crv": "P-256", "use": "sig", "alg": "ES256", "kid": kid,
            "x": URL_SAFE_NO_PAD.encode(&point[1..33]), "y": URL_SAFE_NO_PAD.encode(&point[33..65]),
        });
        Self { kid: kid.into(), alg: Algorithm::ES256, pair: Pair::Ec(pair), jwk }
    }

    pub fn rs256(kid: &str) -> Self {
        let pair = aws_lc_rs::rsa::KeyPair::generate(KeySize::Rsa2048).expect("generate RSA key");
        let public = pair.public_key();
        let jwk = json!({
            "kty": "RSA", "use": "sig", "kid": kid,
            "n": URL_SAFE_NO_PAD.encode(public.modulus().big_endian_without_leading_zero()),
            "e": URL_SAFE_NO_PAD.encode(public.exponent().big_endian_without_leading_zero()),
        });
        Self { kid: kid.into(), alg: Algorithm::RS256, pair: Pair::Rsa(pair), jwk }
    }

    /// Signs `claims` with this key, naming `kid` in the header (JWS
    /// compact serialization: base64url header, claims and signature).
    pub fn sign_as(&self, kid: &str, claims: &Value) -> String {
        let mut header = Header::new(self.alg);
        header.kid = Some(kid.into());
        let encode = |json: Vec<u8>| URL_SAFE_NO_PAD.encode(json);
        let message = format!(
            "{}.{}",
            encode(serde_json::to_vec(&header).expect("header")),
            encode(serde_json::to_vec(claims).expect("claims"))
        );
        let rng = SystemRandom::new();
        let signature = match &self.pair {
            Pair::Ec(pair) => pair.sign(&rng, message.as_bytes()).expect("sign").as_ref().to_vec(),
            Pair::Rsa(pair) => {
                let mut signature = vec![0; pair.public_modulus_len()];
                pair.sign(&RSA_PKCS1_SHA256, &rng, message.as_bytes(), &mut signature).expect("sign");
                signature
            }
        };
        format!("{message}.{}", URL_SAFE_NO_PAD.encode(signature))
    }

    pub fn sign(&self, claims: &Value) -> String {
        self.sign_as(&self.kid, claims)
    }
}

#[derive(Clone, Default)]
struct Published {
    keys: Arc<Mutex<Vec<Value>>>,
    jwks_fetches: Arc<AtomicUsize>,
    issuer: Arc<Mutex<String>>,
}

pub struct Issuer {
    /// The issuer (`iss`), which is also where its documents are served.
    pub url: String,
    published: Published,
}

impl Issuer {
    pub async fn start() -> Self {
        let published = Published::default();
        let router = axum::Router::new()
            .route("/.well-known/openid-configuration", get(discovery))
            .route("/jwks", get(jwks))
            .with_state(published.clone());
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.expect("bind");
        let url = format!("http://{}", listener.local_addr().expect("addr"));
        *published.issuer.lock().unwrap() = url.clone();
        tokio::spawn(async move {
            let _ = axum::serve(listener, router).await;
        });
        Self { url, published }
    }

    pub fn publish(&self, key: &SigningKey) {
        self.published.keys.lock().unwrap().push(key.jwk.clone());
    }

    /// How many times the key set was fetched.
    pub fn jwks_fetches(&self) -> usize {
        self.published.jwks_fetches.load(Ordering::SeqCst)
    }

    /// Claims for `sub` from this issuer, valid for ten minutes.
    pub fn claims(&self, sub: &str) -> Value {
        let now = chrono::Utc::now().timestamp();
        json!({
            "iss": self.url, "aud": [AUDIENCE, "other-api"], "sub": sub, "iat": now, "nbf": now, "exp": now + 600,
            "email": format!("{}@example.com", sub.replace('|', ".")), "email_verified": true,
        })
    }
}

async fn discovery(State(published): State<Published>) -> axum::Json<Value> {
    let issuer = published.issuer.lock().unwrap().clone();
    axum::Json(json!({ "issuer": issuer, "jwks_uri": format!("{issuer}/jwks") }))
}

async fn jwks(State(published): State<Published>) -> axum::Json<Value> {
    published.jwks_fetches.fetch_add(1, Ordering::SeqCst);
    // An encryption key and an unknown key type are served too: they must be skipped.
    let mut keys = vec![json!({ "kty": "OKP", "crv": "X25519", "kid": "x", "x": "AAAA" })];
    keys.extend(published.keys.lock().unwrap().iter().cloned());
    axum::Json(json!({ "keys": keys }))
}
