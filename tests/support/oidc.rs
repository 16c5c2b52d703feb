//! A stand-in OpenID Connect issuer on 127.0.0.1: a discovery document, a
//! JWKS that tests can change, and signing keys generated per test.

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};

use aws_lc_rs::encoding::AsDer;
use aws_lc_rs::rsa::KeySize;
use aws_lc_rs::signature::{ECDSA_P256_SHA256_FIXED_SIGNING, EcdsaKeyPair, KeyPair};
use axum::extract::State;
use axum::routing::get;
use base64::Engine;
use base64::engine::general_purpose::{STANDARD, URL_SAFE_NO_PAD};
use jsonwebtoken::{Algorithm, EncodingKey, Header};
use serde_json::{Value, json};

/// The audience the test issuer's tokens are for.
pub const AUDIENCE: &str = "controlplane-api";

/// A private key the issuer may publish, and its public JWK.
pub struct SigningKey {
    pub kid: String,
    pub alg: Algorithm,
    encoding: EncodingKey,
    pub jwk: Value,
}

impl SigningKey {
    pub fn es256(kid: &str) -> Self {
        let pair = EcdsaKeyPair::generate(&ECDSA_P256_SHA256_FIXED_SIGNING).expect("generate P-256 key");
        let pkcs8 = pair.to_pkcs8v1().expect("pkcs8");
        // An uncompressed point: 0x04, then x and y.
        let point = pair.public_key().as_ref();
        let jwk = json!({
            "kty": "EC", "crv": "P-256", "use": "sig", "alg": "ES256", "kid": kid,
            "x": URL_SAFE_NO_PAD.encode(&point[1..33]), "y": URL_SAFE_NO_PAD.encode(&point[33..65]),
        });
        Self { kid: kid.into(), alg: Algorithm::ES256, encoding: EncodingKey::from_ec_der(pkcs8.as_ref()), jwk }
    }

    pub fn rs256(kid: &str) -> Self {
        let pair = aws_lc_rs::rsa::KeyPair::generate(KeySize::Rsa2048).expect("generate RSA key");
        let pkcs8 = AsDer::<aws_lc_rs::encoding::Pkcs8V1Der>::as_der(&pair).expect("pkcs8");
        let pem = format!(
            "-----BEGIN PRIVATE KEY-----\n{}\n-----END PRIVATE KEY-----\n",
            STANDARD
                .encode(pkcs8.as_ref())
                .as_bytes()
                .chunks(64)
                .map(|l| std::str::from_utf8(l).unwrap())
                .collect::<Vec<_>>()
                .join("\n")
        );
        let public = pair.public_key();
        let jwk = json!({
            "kty": "RSA", "use": "sig", "kid": kid,
            "n": URL_SAFE_NO_PAD.encode(public.modulus().big_endian_without_leading_zero()),
            "e": URL_SAFE_NO_PAD.encode(public.exponent().big_endian_without_leading_zero()),
        });
        let encoding = EncodingKey::from_rsa_pem(pem.as_bytes()).expect("RSA PEM");
        Self { kid: kid.into(), alg: Algorithm::RS256, encoding, jwk }
    }

    /// Signs `claims` with this key, naming `kid` in the header.
    pub fn sign_as(&self, kid: &str, claims: &Value) -> String {
        controlplane::auth::crypto::install();
        let mut header = Header::new(self.alg);
        header.kid = Some(kid.into());
        jsonwebtoken::encode(&header, claims, &self.encoding).expect("sign")
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
