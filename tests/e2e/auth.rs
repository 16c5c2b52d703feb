use controlplane::edge::auth::jwt::JwtKeys;
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

pub async fn tokens_may_omit_nbf_and_iat_but_not_live_past_the_maximum_and_revocations_outlive_them(backend: Backend) {
    use controlplane::edge::auth::jwt::{AUDIENCE, Claims, DEFAULT_MAX_LIFETIME_SECONDS, ISSUER, TokenUse};
    let app = TestApp::spawn(backend).await;
    let keys = JwtKeys::hs256(SECRET).unwrap();
    let now = chrono::Utc::now().timestamp() as u64;
    let claims = |iat: Option<u64>, nbf: Option<u64>, exp: u64| Claims {
        sub: "alice".into(),
        email: None,
        org_id: None,
        iss: ISSUER.into(),
        aud: AUDIENCE.into(),
        iat,
        nbf,
        exp,
        jti: Some(format!("j{exp}{iat:?}")),
        token_use: TokenUse::Access,
    };
    let as_token = |c: Claims| app.user("alice").with_token(keys.sign(&c).unwrap());

    let bare = as_token(claims(None, None, now + 600)).post("/v1/orgs", json!({"name": "Acme"})).await;
    assert_eq!(bare.status, 201, "exp, sub, iss and aud are all a token needs: {}", bare.body);
    let ten_years = now + 10 * 365 * 86_400;
    for long in [claims(Some(now), Some(now), ten_years), claims(None, None, ten_years)] {
        let refused = as_token(long).get("/v1/orgs").await;
        assert_eq!((refused.status, refused.problem_code()), (401, "token_lifetime_too_long"), "{}", refused.body);
    }
    let at_the_limit = as_token(claims(Some(now), None, now + DEFAULT_MAX_LIFETIME_SECONDS)).get("/v1/orgs").await;
    assert_eq!(at_the_limit.status, 200, "{}", at_the_limit.body);
    let no_exp = json!({"sub": "alice", "iss": ISSUER, "aud": AUDIENCE});
    let header = jsonwebtoken::Header::new(jsonwebtoken::Algorithm::HS256);
    let unsigned = jsonwebtoken::encode(&header, &no_exp, &jsonwebtoken::EncodingKey::from_secret(SECRET)).unwrap();
    let missing = app.user("alice").with_token(unsigned).get("/v1/orgs").await;
    assert_eq!((missing.status, missing.problem_code()), (401, "invalid_token"));
    assert!(missing.body["detail"].as_str().unwrap().contains("`exp`"), "the real cause: {}", missing.body);

    let longest = claims(Some(now), None, now + DEFAULT_MAX_LIFETIME_SECONDS);
    let jti = longest.jti.clone().unwrap();
    let revoked = app.user("alice").post("/v1/auth/revoke", json!({"jti": jti})).await;
    assert_eq!(revoked.status, 204);
    let user = controlplane::base::user::UserId::parse("alice").unwrap();
    let marker = app.store.batch_get(&[controlplane::domain::user::revoked_token_key(&user, &jti)]).await.unwrap();
    let kept_until = marker[0].as_ref().expect("the revocation").expires_at.expect("it expires") as u64;
    assert!(kept_until >= longest.exp, "kept until the longest-lived token it can name has expired");
    assert_eq!(as_token(longest).get("/v1/orgs").await.problem_code(), "token_revoked");
}

pub async fn a_token_revocation_is_audited_in_every_org_of_the_caller_without_the_token(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let alice = app.user("alice");
    let (first, second) = (alice.create_org("One").await, alice.create_org("Two").await);
    let bob = app.user("bob");
    let bobs = bob.create_org("Bob's").await;
    let doomed = app.token("alice");
    let revoked = alice.post("/v1/auth/revoke", json!({ "jti": jti(&doomed) })).await;
    assert_eq!(revoked.status, 204, "{}", revoked.body);
    let before = chrono::Utc::now() - chrono::TimeDelta::hours(1);
    assert_eq!(alice.post("/v1/auth/revoke", json!({ "issued_before": before.to_rfc3339() })).await.status, 204);
    for org in [&first, &second] {
        let audit = alice.in_org(org).get("/v1/audit?action=token.revoked").await;
        let events = audit.body["data"].as_array().unwrap_or_else(|| panic!("{}", audit.body));
        assert_eq!(events.len(), 2, "both revocations in {org}: {}", audit.body);
        assert_eq!(events[1]["metadata"], json!({ "jti": jti(&doomed) }));
        assert!(events[0]["metadata"]["issued_before"].is_string());
        assert_eq!((&events[0]["actor"]["id"], &events[0]["target"]["id"]), (&json!("alice"), &json!("alice")));
        assert!(!audit.body.to_string().contains(&doomed), "never the token");
        let verified = alice.in_org(org).get("/v1/audit/verify").await;
        assert_eq!(verified.body["ok"], true, "{}", verified.body);
    }
    let others = bob.in_org(&bobs).get("/v1/audit?action=token.revoked").await;
    assert_eq!(others.body["data"], json!([]), "orgs alice is not in hear nothing");
    let loner = app.user("carol").post("/v1/auth/revoke", json!({ "jti": "abc" })).await;
    assert_eq!(loner.status, 204, "a user in no org revokes too");
}

pub async fn me_says_who_the_caller_is_and_what_it_may_do_in_the_org_it_acts_in(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let alice = app.user("alice");
    let alone = alice.get("/v1/me").await;
    assert_eq!(alone.status, 200, "{}", alone.body);
    assert_eq!(
        (alone.body["kind"].as_str(), alone.body["id"].as_str(), alone.body["authentication"].as_str()),
        (Some("user"), Some("alice"), Some("development"))
    );
    assert_eq!((&alone.body["org_id"], alone.body["permissions"].as_array().map(Vec::len)), (&json!(null), Some(0)));

    let org = alice.create_org("Acme").await;
    let project = alice.create_project("web").await;
    alice.add_member(&org, "victor", "viewer").await;
    let owner = alice.get("/v1/me").await;
    assert_eq!((owner.body["org_id"].as_str(), owner.body["role"].as_str()), (Some(org.as_str()), Some("owner")));
    assert_eq!(owner.body["permissions"].as_array().unwrap().len(), controlplane::base::rbac::Permission::ALL.len());

    let victor = app.user("victor");
    let viewer = victor.get("/v1/me").await;
    assert_eq!(viewer.body["role"], "viewer");
    let granted: Vec<&str> = viewer.body["permissions"].as_array().unwrap().iter().filter_map(|p| p.as_str()).collect();
    assert!(granted.contains(&"projects:read") && !granted.contains(&"projects:write"), "{granted:?}");

    // With two orgs and none named, no org is assumed; naming one answers for it.
    let other = victor.create_org("Victor's").await;
    let unnamed = victor.get("/v1/me").await;
    assert_eq!((unnamed.status, &unnamed.body["org_id"]), (200, &json!(null)));
    let named = victor.in_org(&other).get("/v1/me").await;
    assert_eq!((named.body["org_id"].as_str(), named.body["role"].as_str()), (Some(other.as_str()), Some("owner")));
    let stranger = app.user("mallory").in_org(&org).get("/v1/me").await;
    assert_eq!((stranger.status, stranger.problem_code()), (403, "not_a_member"));

    // A key: its type, its project, and its scopes as far as its creator's role grants them.
    let key = alice
        .post(
            "/v1/keys",
            json!({"project_id": project, "name": "ci", "type": "secret", "scopes": ["projects:read", "usage:read"]}),
        )
        .await;
    assert_eq!(key.status, 201, "{}", key.body);
    let by_key = alice.with_token(key.body["token"].as_str().unwrap().to_owned()).get("/v1/me").await;
    assert_eq!(by_key.status, 200, "{}", by_key.body);
    assert_eq!(
        (by_key.body["kind"].as_str(), by_key.body["authentication"].as_str(), by_key.body["key_type"].as_str()),
        (Some("key"), Some("api_key"), Some("secret"))
    );
    assert_eq!((by_key.body["project_id"].as_str(), &by_key.body["role"]), (Some(project.as_str()), &json!(null)));
    assert_eq!(by_key.body["permissions"], json!(["projects:read", "usage:read"]));
    assert_eq!(app.anonymous().get("/v1/me").await.status, 401);
}
