use e2e::{Backend, TestApp, send};
use reqwest::Method;
use serde_json::json;

pub async fn no_token_gets_401_on_every_v1_route(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let spec = controlplane_local::openapi();
    // The refresh exchange authenticates by the refresh token in its body.
    const PUBLIC: [&str; 1] = ["/v1/auth/token"];
    let mut checked = 0;
    for (path, item) in &spec.paths.paths {
        if !path.starts_with("/v1/") || PUBLIC.contains(&path.as_str()) {
            continue;
        }
        let concrete = path
            .replace("{org_id}", "org_01jh3v5d2k8q9w6x7y8z9a0b1c")
            .replace("{project_id}", "prj_01jh3v5d2k8q9w6x7y8z9a0b1c")
            .replace("{user_id}", "someone")
            .replace("{key_id}", "key_01jh3v5d2k8q9w6x7y8z9a0b1c");
        let operations = [
            (Method::GET, item.get.is_some()),
            (Method::POST, item.post.is_some()),
            (Method::PUT, item.put.is_some()),
            (Method::PATCH, item.patch.is_some()),
            (Method::DELETE, item.delete.is_some()),
        ];
        for (method, present) in operations {
            if !present {
                continue;
            }
            let resp = send(app.request(method.clone(), &concrete).json(&json!({}))).await;
            assert_eq!(resp.status, 401, "{method} {path}");
            assert_eq!(resp.problem_code(), "missing_credentials");
            assert_eq!(resp.header("www-authenticate"), Some("Bearer"));
            // Nothing else is looked at first: not the headers, the query or the body.
            let everything_wrong = app
                .request(method.clone(), &format!("{concrete}?limit=-1&no_such_param=1"))
                .header("idempotency-key", "not a valid key")
                .header("if-match", "garbage")
                .header("x-org-id", "not-an-org")
                .header("content-type", "text/plain")
                .body("{not json");
            let resp = send(everything_wrong).await;
            assert_eq!((resp.status, resp.problem_code()), (401, "missing_credentials"), "{method} {path}");
            checked += 1;
        }
    }
    assert!(checked >= 15, "expected every /v1 operation, checked {checked}");
}

pub async fn bad_expired_and_foreign_tokens_get_401_with_a_code(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let user = app.user("alice");
    let garbage = user.with_token("not-a-jwt".into()).get("/v1/orgs").await;
    assert_eq!((garbage.status, garbage.problem_code()), (401, "invalid_token"));
    let foreign_keys = controlplane::edge::auth::jwt::JwtKeys::hs256(&[1u8; 32]).unwrap();
    let foreign = user.with_token(foreign_keys.mint("alice", None, None, 60).unwrap()).get("/v1/orgs").await;
    assert_eq!((foreign.status, foreign.problem_code()), (401, "invalid_token"));
    let now = chrono_now();
    let expired_claims = controlplane::edge::auth::jwt::Claims {
        sub: "alice".into(),
        email: None,
        org_id: None,
        iss: controlplane::edge::auth::jwt::ISSUER.into(),
        aud: controlplane::edge::auth::jwt::AUDIENCE.into(),
        iat: Some(now - 7200),
        nbf: Some(now - 7200),
        exp: now - 3600,
        jti: None,
        token_use: controlplane::edge::auth::jwt::TokenUse::Access,
    };
    let keys = controlplane::edge::auth::jwt::JwtKeys::hs256(e2e::SECRET).unwrap();
    let expired = user.with_token(keys.sign(&expired_claims).unwrap()).get("/v1/orgs").await;
    assert_eq!((expired.status, expired.problem_code()), (401, "token_expired"));
    let basic = send(app.request(Method::GET, "/v1/orgs").basic_auth("a", Some("b"))).await;
    assert_eq!(basic.status, 401);
}

fn chrono_now() -> u64 {
    std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).unwrap().as_secs()
}

pub async fn user_of_org_a_gets_404_for_org_b_project_and_cannot_list_it(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let (alice, bob) = (app.user("alice"), app.user("bob"));
    alice.create_org("A").await;
    bob.create_org("B").await;
    let secret_project = bob.create_project("bobs-secret").await;

    let read = alice.get(&format!("/v1/projects/{secret_project}")).await;
    assert_eq!((read.status, read.problem_code()), (404, "not_found"));
    let update = alice.put(&format!("/v1/projects/{secret_project}"), json!({"name": "mine"})).await;
    assert_eq!(update.status, 404);
    let delete = alice.delete(&format!("/v1/projects/{secret_project}")).await;
    assert_eq!(delete.status, 404);
    let list = alice.get("/v1/projects").await;
    assert_eq!(list.status, 200);
    assert!(list.data_ids().is_empty(), "alice sees none of bob's projects: {}", list.body);
    assert_eq!(bob.get(&format!("/v1/projects/{secret_project}")).await.status, 200, "bob's project is intact");
}

pub async fn user_of_org_a_gets_404_for_org_b_itself(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let (alice, bob) = (app.user("alice"), app.user("bob"));
    alice.create_org("A").await;
    let org_b = bob.create_org("B").await;
    assert_eq!(alice.get(&format!("/v1/orgs/{org_b}")).await.status, 404);
    assert_eq!(alice.get(&format!("/v1/orgs/{org_b}/members")).await.status, 404);
    assert_eq!(alice.put(&format!("/v1/orgs/{org_b}"), json!({"name": "pwned"})).await.status, 404);
    let add = alice.post(&format!("/v1/orgs/{org_b}/members"), json!({"user_id": "alice", "role": "owner"})).await;
    assert_eq!(add.status, 404);
    // Naming org B in the header is refused the same way whether or not it exists.
    let via_header = alice.in_org(&org_b).get("/v1/projects").await;
    let nonexistent = alice.in_org("org_01jh3v5d2k8q9w6x7y8z9a0b1c").get("/v1/projects").await;
    assert_eq!((via_header.status, via_header.problem_code()), (403, "not_a_member"));
    assert_eq!(nonexistent.status, via_header.status);
}

pub async fn viewer_gets_403_on_project_create_but_reads(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let owner = app.user("olivia");
    let org = owner.create_org("Acme").await;
    let project = owner.create_project("web").await;
    owner.add_member(&org, "vic", "viewer").await;
    owner.add_member(&org, "dev", "developer").await;
    let viewer = app.user("vic");

    let create = viewer.post("/v1/projects", json!({"name": "nope"})).await;
    assert_eq!((create.status, create.problem_code()), (403, "forbidden"));
    assert_eq!(viewer.put(&format!("/v1/projects/{project}"), json!({"name": "x"})).await.status, 403);
    assert_eq!(viewer.delete(&format!("/v1/projects/{project}")).await.status, 403);
    assert_eq!(viewer.get(&format!("/v1/projects/{project}")).await.status, 200);
    assert_eq!(viewer.get("/v1/projects").await.data_ids(), vec![project.clone()]);
    assert_eq!(viewer.get("/v1/audit").await.status, 403, "the audit log is for admins");

    let developer = app.user("dev");
    assert_eq!(developer.post("/v1/projects", json!({"name": "api"})).await.status, 201);
    assert_eq!(developer.put(&format!("/v1/orgs/{org}"), json!({"name": "x"})).await.status, 403);
}

pub async fn the_tenant_comes_from_the_token_then_header_then_only_org(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let alice = app.user("alice");
    let none = alice.get("/v1/projects").await;
    assert_eq!((none.status, none.problem_code()), (400, "org_required"));

    let first = alice.create_org("First").await;
    let in_first = alice.create_project("only-org-project").await;
    let second = alice.create_org("Second").await;
    let ambiguous = alice.get("/v1/projects").await;
    assert_eq!((ambiguous.status, ambiguous.problem_code()), (400, "org_required"));

    let in_second = alice.in_org(&second).create_project("second-project").await;
    assert_eq!(alice.in_org(&second).get("/v1/projects").await.data_ids(), vec![in_second]);
    let bound = alice.with_token(app.token_for_org("alice", &first));
    assert_eq!(bound.get("/v1/projects").await.data_ids(), vec![in_first]);
    let mismatch = bound.in_org(&second).get("/v1/projects").await;
    assert_eq!((mismatch.status, mismatch.problem_code()), (403, "cross_tenant_denied"));
    let malformed = alice.in_org("acme").get("/v1/projects").await;
    assert_eq!(malformed.status, 422);
    assert_eq!(malformed.body["errors"][0]["field"], "header.x-org-id");
}

pub async fn a_token_bound_to_one_org_cannot_reach_another(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let alice = app.user("alice");
    let first = alice.create_org("First").await;
    let second = alice.create_org("Second").await;
    let bound = alice.with_token(app.token_for_org("alice", &first));
    assert_eq!(bound.get(&format!("/v1/orgs/{first}")).await.status, 200);
    assert_eq!(bound.get(&format!("/v1/orgs/{second}")).await.status, 404);
}

pub async fn a_cross_tenant_attempt_is_refused_and_audited_in_the_credentials_org(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let (alice, bob) = (app.user("alice"), app.user("bob"));
    let org_a = alice.create_org("A").await;
    let org_b = bob.create_org("B").await;
    let bound = alice.with_token(app.token_for_org("alice", &org_a));

    let via_header = bound.in_org(&org_b).get("/v1/projects").await;
    assert_eq!((via_header.status, via_header.problem_code()), (403, "cross_tenant_denied"));
    let via_path = bound.get(&format!("/v1/orgs/{org_b}/members")).await;
    assert_eq!(via_path.status, 404, "the other org's existence is not revealed");

    let audit = bound.get("/v1/audit").await;
    let denied: Vec<&serde_json::Value> =
        audit.body["data"].as_array().unwrap().iter().filter(|e| e["action"] == "access.denied").collect();
    assert_eq!(denied.len(), 2, "{}", audit.body);
    assert_eq!(denied[0]["target"], json!({"type": "org", "id": org_b}));
    assert_eq!(denied[0]["actor"]["id"], "alice");
    assert_eq!(denied[0]["metadata"]["request"], format!("GET /v1/orgs/{org_b}/members"));
    assert_eq!(denied[1]["metadata"]["request"], "GET /v1/projects");
    assert_eq!(denied[1]["metadata"]["reason"], "cross_tenant");
    let bobs = bob.get("/v1/audit").await;
    assert!(
        bobs.body["data"].as_array().unwrap().iter().all(|e| e["action"] != "access.denied"),
        "nothing lands in org B"
    );
}
