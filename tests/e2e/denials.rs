//! Operator controls over failures: failed authentication throttled per
//! source address and per key prefix (`auth.failed` in the key's org), and
//! every refusal by RBAC or a key's scope audited as `access.denied`,
//! bounded per principal.

use controlplane::domain::guard::{FAILURES_PER_ADDRESS, FAILURES_PER_KEY_PREFIX, Guard};
use controlplane::domain::ratelimit::Policy;
use e2e::{Backend, TestApp, User, send};
use reqwest::Method;
use serde_json::{Value, json};

/// The org's audit events with `action`, newest first.
async fn events(reader: &User<'_>, action: &str) -> Vec<Value> {
    let listed = reader.get(&format!("/v1/audit?action={action}&limit=100")).await;
    assert_eq!(listed.status, 200, "{}", listed.body);
    listed.body["data"].as_array().unwrap().clone()
}

pub async fn a_refused_keys_prefix_is_throttled_after_its_failures_and_each_is_audited_in_its_org(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let owner = app.user("olivia");
    owner.create_org("Acme").await;
    let project = owner.create_project("web").await;
    let key = |name: &str| json!({"project_id": project, "name": name, "type": "secret", "scopes": ["projects:read"]});
    let revoked = owner.post("/v1/keys", key("old bot")).await;
    let live = owner.post("/v1/keys", key("new bot")).await;
    let id = revoked.id();
    assert_eq!(owner.delete(&format!("/v1/keys/{id}/revoke")).await.status, 200);
    let as_key = |created: &e2e::Resp| owner.with_token(created.body["token"].as_str().unwrap().to_owned());
    let (old_bot, new_bot) = (as_key(&revoked), as_key(&live));

    let quota = FAILURES_PER_KEY_PREFIX.quota;
    for n in 0..quota {
        let refused = old_bot.get("/v1/projects").await;
        assert_eq!((refused.status, refused.problem_code()), (401, "key_revoked"), "attempt {n}");
    }
    let throttled = old_bot.get("/v1/projects").await;
    assert_eq!((throttled.status, throttled.problem_code()), (429, "rate_limited"), "{}", throttled.body);
    assert!(throttled.body["detail"].as_str().unwrap().contains("auth-failures-key-prefix"), "{}", throttled.body);
    let retry: u64 = throttled.header("retry-after").expect("Retry-After").parse().unwrap();
    assert!((1..=FAILURES_PER_KEY_PREFIX.window).contains(&retry), "{retry}");
    assert_eq!(new_bot.get("/v1/projects").await.status, 200, "another key from the same address is not throttled");

    let failed = events(&owner, "auth.failed").await;
    assert_eq!(failed.len() as u64, quota, "one per refusal, none for the throttled attempt");
    for event in &failed {
        assert_eq!(event["actor"], json!({"type": "key", "id": id}));
        assert_eq!(event["target"], json!({"type": "api_key", "id": id}));
        assert_eq!(event["metadata"]["reason"], "key_revoked");
        assert_eq!(event["metadata"]["request"], "GET /v1/projects");
    }
}

pub async fn a_source_address_is_throttled_after_its_failures_whatever_it_presents_next(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let alice = app.user("alice");
    alice.create_org("Acme").await;
    let from =
        |user: &User<'_>, address: &str| user.request(Method::GET, "/v1/projects").header("x-forwarded-for", address);
    let forged = alice.with_token("eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJhbGljZSJ9.forged".into());
    for n in 0..FAILURES_PER_ADDRESS.quota {
        // Each a different key, so only the address's count can refuse.
        let guess = alice.with_token(format!("sk_live_{n:08}{}", "x".repeat(35)));
        let refused = send(from(if n % 2 == 0 { &forged } else { &guess }, "203.0.113.50")).await;
        assert_eq!(refused.status, 401, "attempt {n}: {}", refused.body);
    }
    let throttled = send(from(&alice, "203.0.113.50")).await;
    assert_eq!((throttled.status, throttled.problem_code()), (429, "rate_limited"), "even a valid token");
    assert!(throttled.body["detail"].as_str().unwrap().contains("auth-failures-address"), "{}", throttled.body);
    assert_eq!(send(from(&alice, "203.0.113.51")).await.status, 200, "another address is not");
    let missing = send(app.anonymous().request(Method::GET, "/v1/projects").header("x-forwarded-for", "203.0.113.52"));
    assert_eq!(missing.await.status, 401);
}

pub async fn every_refusal_by_a_role_or_a_keys_scope_is_audited_with_its_permission_and_resource(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let owner = app.user("olivia");
    let org = owner.create_org("Acme").await;
    let (web, api) = (owner.create_project("web").await, owner.create_project("api").await);
    owner.add_member(&org, "victor", "viewer").await;
    let viewer = app.user("victor");

    let refused = viewer.post("/v1/projects", json!({"name": "mine"})).await;
    assert_eq!((refused.status, refused.problem_code()), (403, "forbidden"));
    let created = owner
        .post("/v1/keys", json!({"project_id": web, "name": "bot", "type": "secret", "scopes": ["projects:read"]}))
        .await;
    let bot = owner.with_token(created.body["token"].as_str().unwrap().to_owned());
    let outside = bot.get(&format!("/v1/projects/{api}")).await;
    assert_eq!((outside.status, outside.problem_code()), (403, "outside_key_scope"));
    let on_user_route = bot.get("/v1/orgs").await;
    assert_eq!((on_user_route.status, on_user_route.problem_code()), (403, "outside_key_scope"));
    let unscoped = bot.post("/v1/projects", json!({"name": "bots"})).await;
    assert_eq!(unscoped.status, 403);

    let denied = events(&owner, "access.denied").await;
    let find = |actor: &str, reason: &str, resource: &str| {
        denied
            .iter()
            .find(|e| {
                e["actor"]["id"] == actor
                    && e["metadata"]["reason"] == reason
                    && e["metadata"]["resource_type"] == resource
            })
            .unwrap_or_else(|| panic!("no {reason} on {resource} by {actor}: {denied:#?}"))
    };
    let by_role = find("victor", "forbidden", "projects");
    assert_eq!(by_role["metadata"]["permission"], "projects:write");
    assert_eq!(by_role["metadata"]["request"], "POST /v1/projects");
    let key_id = created.id();
    let by_project = find(&key_id, "outside_key_scope", "project");
    assert_eq!(by_project["target"], json!({"type": "project", "id": api}));
    assert_eq!(by_project["metadata"]["permission"], Value::Null);
    find(&key_id, "outside_key_scope", "user");
    assert_eq!(find(&key_id, "forbidden", "projects")["metadata"]["permission"], "projects:write");
    assert_eq!(denied.len(), 4, "{denied:#?}");
}

pub async fn a_flood_of_refusals_fills_the_log_only_to_the_bound_per_principal(backend: Backend) {
    let bound = Policy { quota: 3, window: 3_600 };
    let (store, home) = e2e::fresh_store(backend).await;
    let app = TestApp::configured(backend, store, home, |state| {
        state.with_guard(Guard::new(FAILURES_PER_ADDRESS, FAILURES_PER_KEY_PREFIX, bound))
    })
    .await;
    let owner = app.user("olivia");
    let org = owner.create_org("Acme").await;
    owner.add_member(&org, "victor", "viewer").await;
    owner.add_member(&org, "vera", "viewer").await;
    let (victor, vera) = (app.user("victor"), app.user("vera"));

    let attempts = 12;
    for n in 0..attempts {
        assert_eq!(victor.post("/v1/projects", json!({"name": format!("p{n}")})).await.status, 403, "attempt {n}");
    }
    assert_eq!(vera.post("/v1/projects", json!({"name": "mine"})).await.status, 403);

    let denied = events(&owner, "access.denied").await;
    let by = |actor: &str| denied.iter().filter(|e| e["actor"]["id"] == actor).count() as u64;
    // At most the quota in each window the flood touched (it may straddle
    // the boundary of one hour), and far fewer than were refused.
    assert!((bound.quota..=2 * bound.quota).contains(&by("victor")), "{denied:#?}");
    assert_eq!(by("vera"), 1, "the bound is per principal");
}
