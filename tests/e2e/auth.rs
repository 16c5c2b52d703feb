use controlplane::auth::jwt::JwtKeys;
use e2e::{Backend, SECRET, TestApp};
use serde_json::json;

fn jti(token: &str) -> String {
    JwtKeys::hs256(SECRET).unwrap().verify(token).unwrap().jti.unwrap()
}

pub async fn a_revoked_token_fails_on_the_next_request_and_others_do_not(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let first = app.user("alice");
    let second = first.with_token(app.token("alice"));
    first.create_org("Acme").await;
    let revoked = second.post("/v1/auth/revoke", json!({ "jti": jti(first.token.as_ref().unwrap()) })).await;
    assert_eq!(revoked.status, 204, "{}", revoked.body);
    let refused = first.get("/v1/projects").await;
    assert_eq!((refused.status, refused.problem_code()), (401, "token_revoked"));
    assert_eq!(first.get("/v1/orgs").await.status, 401, "outside a tenant too");
    assert_eq!(second.get("/v1/projects").await.status, 200);
    let neither = second.post("/v1/auth/revoke", json!({})).await;
    assert_eq!(neither.status, 422);
}

pub async fn revoking_everything_before_a_time_ends_every_older_token(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let old = app.user("alice");
    old.create_org("Acme").await;
    let now = chrono::Utc::now().to_rfc3339();
    assert_eq!(old.post("/v1/auth/revoke", json!({ "issued_before": now })).await.status, 204);
    assert_eq!(old.get("/v1/projects").await.problem_code(), "token_revoked");
    let future = (chrono::Utc::now() + chrono::TimeDelta::hours(1)).to_rfc3339();
    let refused = app.user("bob").post("/v1/auth/revoke", json!({ "issued_before": future })).await;
    assert_eq!(refused.body["errors"][0]["field"], "issued_before");
    tokio::time::sleep(std::time::Duration::from_millis(1_100)).await;
    assert_eq!(old.with_token(app.token("alice")).get("/v1/projects").await.status, 200, "new tokens work");
}

pub async fn a_refresh_token_buys_a_short_access_token_until_revoked(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let keys = JwtKeys::hs256(SECRET).unwrap();
    let refresh = keys.mint_refresh("alice", Some("alice@example.com"), 3_600).unwrap();
    let exchanged =
        app.anonymous().post("/v1/auth/token", json!({"grant_type": "refresh_token", "refresh_token": refresh})).await;
    assert_eq!(exchanged.status, 200, "{}", exchanged.body);
    assert_eq!(exchanged.body["token_type"], "Bearer");
    assert_eq!(exchanged.body["expires_in"], 900);
    let access = exchanged.body["access_token"].as_str().unwrap().to_owned();
    let alice = app.anonymous().with_token(access.clone());
    assert_eq!(alice.post("/v1/orgs", json!({"name": "Acme"})).await.status, 201);

    let refresh_as_access = app.anonymous().with_token(refresh.clone()).get("/v1/orgs").await;
    assert_eq!((refresh_as_access.status, refresh_as_access.problem_code()), (401, "invalid_token"));
    let access_as_refresh =
        app.anonymous().post("/v1/auth/token", json!({"grant_type": "refresh_token", "refresh_token": access})).await;
    assert_eq!((access_as_refresh.status, access_as_refresh.problem_code()), (400, "invalid_grant"));
    let wrong_grant =
        app.anonymous().post("/v1/auth/token", json!({"grant_type": "password", "refresh_token": refresh})).await;
    assert_eq!(wrong_grant.body["errors"][0]["field"], "grant_type");

    assert_eq!(alice.post("/v1/auth/revoke", json!({ "jti": jti(&refresh) })).await.status, 204);
    let after =
        app.anonymous().post("/v1/auth/token", json!({"grant_type": "refresh_token", "refresh_token": refresh})).await;
    assert_eq!((after.status, after.problem_code()), (400, "invalid_grant"));
}
