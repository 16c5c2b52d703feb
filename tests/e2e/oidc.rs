use std::time::Duration;

use controlplane::edge::auth::oidc::{Oidc, OidcConfig};
use e2e::oidc::{AUDIENCE, Issuer, SigningKey};
use e2e::{Backend, TestApp};
use serde_json::json;

fn verifier(issuer: &Issuer) -> Oidc {
    Oidc::new(OidcConfig::new(&issuer.url, AUDIENCE, None).expect("config"))
}

pub async fn tokens_from_the_oidc_issuer_sign_in_with_es256_and_rs256(backend: Backend) {
    let issuer = Issuer::start().await;
    let (ec, rsa) = (SigningKey::es256("ec-1"), SigningKey::rs256("rsa-1"));
    issuer.publish(&ec);
    issuer.publish(&rsa);
    let app = TestApp::spawn_with_oidc(backend, verifier(&issuer), false).await;

    let by_ec = app.anonymous().with_token(ec.sign(&issuer.claims("auth0|alice")));
    let org = by_ec.create_org("Acme").await;
    let by_rsa = app.anonymous().with_token(rsa.sign(&issuer.claims("auth0|alice")));
    let orgs = by_rsa.get("/v1/orgs").await;
    assert_eq!((orgs.status, orgs.data_ids()), (200, vec![org.clone()]), "the same user, whichever key signed");
    let members = by_rsa.get(&format!("/v1/orgs/{org}/members")).await;
    assert_eq!(members.body["data"][0]["user_id"], "auth0|alice");
    assert_eq!(members.body["data"][0]["email"], "auth0.alice@example.com");
    assert_eq!(issuer.jwks_fetches(), 1, "the key set is cached");
}

pub async fn a_new_signing_key_is_fetched_on_first_sight_and_made_up_kids_are_not(backend: Backend) {
    let issuer = Issuer::start().await;
    let first = SigningKey::es256("k1");
    issuer.publish(&first);
    let app = TestApp::spawn_with_oidc(backend, verifier(&issuer).with_fetch_cooldown(Duration::ZERO), false).await;
    let alice = app.anonymous().with_token(first.sign(&issuer.claims("alice")));
    alice.create_org("Acme").await;
    assert_eq!(issuer.jwks_fetches(), 1);

    let rotated = SigningKey::rs256("k2");
    issuer.publish(&rotated);
    let after_rotation = app.anonymous().with_token(rotated.sign(&issuer.claims("alice")));
    assert_eq!(after_rotation.get("/v1/orgs").await.status, 200, "an unknown kid refreshes the key set");
    assert_eq!(after_rotation.get("/v1/orgs").await.status, 200);
    assert_eq!(issuer.jwks_fetches(), 2, "once per new key");

    // With the default cooldown, made-up kids cannot make the API hammer the issuer.
    let guarded = TestApp::spawn_with_oidc(backend, verifier(&issuer), false).await;
    assert_eq!(guarded.anonymous().with_token(first.sign(&issuer.claims("alice"))).get("/v1/orgs").await.status, 200);
    let fetches = issuer.jwks_fetches();
    for kid in ["nope-1", "nope-2", "nope-3"] {
        let refused = guarded.anonymous().with_token(first.sign_as(kid, &issuer.claims("alice"))).get("/v1/orgs").await;
        assert_eq!((refused.status, refused.problem_code()), (401, "invalid_token"));
    }
    assert_eq!(issuer.jwks_fetches(), fetches, "no fetch inside the cooldown");
}

pub async fn issuer_tokens_with_the_wrong_audience_issuer_key_or_times_are_refused(backend: Backend) {
    let issuer = Issuer::start().await;
    let (ec, rsa) = (SigningKey::es256("ec-1"), SigningKey::rs256("rsa-1"));
    issuer.publish(&ec);
    issuer.publish(&rsa);
    let app = TestApp::spawn_with_oidc(backend, verifier(&issuer), false).await;
    let status_and_code = |claims: serde_json::Value, key: &SigningKey, kid: &str| {
        let token = key.sign_as(kid, &claims);
        let app = &app;
        async move {
            let resp = app.anonymous().with_token(token).get("/v1/orgs").await;
            if resp.status == 200 { (200, String::new()) } else { (resp.status, resp.problem_code().to_owned()) }
        }
    };
    let now = chrono::Utc::now().timestamp();
    let with = |field: &str, value: serde_json::Value| {
        let mut claims = issuer.claims("alice");
        claims[field] = value;
        claims
    };
    let invalid = (401, "invalid_token".to_owned());
    assert_eq!(status_and_code(issuer.claims("alice"), &ec, "ec-1").await, (200, String::new()));
    assert_eq!(status_and_code(with("aud", json!("someone-else")), &ec, "ec-1").await, invalid);
    assert_eq!(status_and_code(with("iss", json!("https://evil.example.com")), &ec, "ec-1").await, invalid);
    assert_eq!(status_and_code(with("exp", json!(now - 120)), &ec, "ec-1").await, (401, "token_expired".into()));
    assert_eq!(status_and_code(with("exp", json!(now - 10)), &ec, "ec-1").await, (200, String::new()), "leeway");
    assert_eq!(status_and_code(with("nbf", json!(now + 120)), &ec, "ec-1").await, (401, "token_not_yet_valid".into()));
    let mut no_iat = issuer.claims("alice");
    no_iat.as_object_mut().unwrap().remove("iat");
    assert_eq!(status_and_code(no_iat, &ec, "ec-1").await, (200, String::new()), "iat is optional");
    let mut no_nbf = issuer.claims("alice");
    no_nbf.as_object_mut().unwrap().remove("nbf");
    assert_eq!(status_and_code(no_nbf, &ec, "ec-1").await, (200, String::new()), "so is nbf");
    let mut no_sub = issuer.claims("alice");
    no_sub.as_object_mut().unwrap().remove("sub");
    assert_eq!(status_and_code(no_sub, &ec, "ec-1").await, invalid, "sub is required");
    assert_eq!(
        status_and_code(with("exp", json!(now + 400 * 86_400)), &ec, "ec-1").await,
        (401, "token_lifetime_too_long".into())
    );
    // Signed by an ES256 key but naming the RSA key's kid, or by a key the issuer never published.
    assert_eq!(status_and_code(issuer.claims("alice"), &ec, "rsa-1").await, invalid);
    let forged = SigningKey::es256("ec-1");
    assert_eq!(status_and_code(issuer.claims("alice"), &forged, "ec-1").await, invalid);
}

pub async fn development_tokens_beside_an_issuer_need_development_auth(backend: Backend) {
    let issuer = Issuer::start().await;
    let strict = TestApp::spawn_with_oidc(backend, verifier(&issuer), false).await;
    let refused = strict.user("alice").get("/v1/orgs").await;
    assert_eq!((refused.status, refused.problem_code()), (401, "invalid_token"));
    assert!(refused.body["detail"].as_str().unwrap().contains("development tokens"), "{}", refused.body);
    assert_eq!(issuer.jwks_fetches(), 0, "an HS256 token never reaches the issuer's keys");

    let development = TestApp::spawn_with_oidc(backend, verifier(&issuer), true).await;
    assert_eq!(development.user("alice").get("/v1/orgs").await.status, 200);
}

pub async fn an_unreachable_issuer_is_503_not_401(backend: Backend) {
    let closed = {
        let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        listener.local_addr().unwrap()
    };
    let url = format!("http://{closed}");
    let oidc = Oidc::new(OidcConfig::new(&url, AUDIENCE, None).unwrap());
    let app = TestApp::spawn_with_oidc(backend, oidc, false).await;
    let key = SigningKey::es256("k1");
    let now = chrono::Utc::now().timestamp();
    let claims = json!({ "iss": url, "aud": AUDIENCE, "sub": "alice", "iat": now, "exp": now + 60 });
    let resp = app.anonymous().with_token(key.sign(&claims)).get("/v1/orgs").await;
    assert_eq!((resp.status, resp.problem_code()), (503, "service_unavailable"));
    assert_eq!(resp.header("retry-after"), Some("1"));
}
