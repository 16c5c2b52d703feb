use e2e::{Backend, TestApp, User, send};
use reqwest::Method;
use serde_json::{Value, json};

async fn post_with_key(user: &User<'_>, path: &str, key: &str, body: Value) -> e2e::Resp {
    send(user.request(Method::POST, path).header("idempotency-key", key).json(&body)).await
}

pub async fn a_retried_post_replays_the_first_response_byte_for_byte(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let alice = app.user("alice");
    alice.create_org("Acme").await;
    let first = post_with_key(&alice, "/v1/projects", "create-web-1", json!({"name": "web"})).await;
    assert_eq!(first.status, 201);
    assert!(first.header("idempotent-replayed").is_none());
    let retry = post_with_key(&alice, "/v1/projects", "create-web-1", json!({"name": "web"})).await;
    assert_eq!(retry.status, 201, "not 409 name_taken: the first outcome is replayed");
    assert_eq!(retry.raw, first.raw);
    assert_eq!(retry.header("location"), first.header("location"));
    assert_eq!(retry.header("etag"), first.header("etag"));
    assert_eq!(retry.header("idempotent-replayed"), Some("true"));
    assert_ne!(retry.header("x-request-id"), first.header("x-request-id"));

    assert_eq!(alice.get("/v1/projects").await.data_ids().len(), 1);
    let audit = alice.get("/v1/audit").await;
    let created = audit.body["data"].as_array().unwrap().iter().filter(|e| e["action"] == "project.created").count();
    assert_eq!(created, 1, "the retry wrote no second audit event");

    let quoted = post_with_key(&alice, "/v1/projects", "\"create-web-1\"", json!({"name": "web"})).await;
    assert_eq!(quoted.raw, first.raw, "a quoted key is the same key");
    let without_key = alice.post("/v1/projects", json!({"name": "web"})).await;
    assert_eq!(without_key.status, 409, "without a key a repeat is a new request");
}

pub async fn reusing_a_key_for_a_different_request_is_422(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let alice = app.user("alice");
    alice.create_org("Acme").await;
    assert_eq!(post_with_key(&alice, "/v1/projects", "k-1", json!({"name": "web"})).await.status, 201);
    let other_body = post_with_key(&alice, "/v1/projects", "k-1", json!({"name": "api"})).await;
    assert_eq!((other_body.status, other_body.problem_code()), (422, "validation_failed"));
    assert_eq!(other_body.body["errors"][0]["field"], "header.idempotency-key");
    let too_long = post_with_key(&alice, "/v1/projects", &"k".repeat(256), json!({"name": "x"})).await;
    assert_eq!(too_long.status, 422);
    assert_eq!(alice.get("/v1/projects").await.data_ids().len(), 1);
}

pub async fn concurrent_retries_with_one_key_create_one_project(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let alice = app.user("alice");
    alice.create_org("Acme").await;
    let handles: Vec<_> = (0..5)
        .map(|_| {
            let request = alice
                .request(Method::POST, "/v1/projects")
                .header("idempotency-key", "race")
                .json(&json!({"name": "raced"}));
            tokio::spawn(send(request))
        })
        .collect();
    let mut originals = 0;
    for handle in handles {
        let resp = handle.await.unwrap();
        match (resp.status, resp.header("idempotent-replayed")) {
            (201, None) => originals += 1,
            (201, Some("true")) => {}
            (409, _) => assert_eq!(resp.problem_code(), "idempotency_in_flight"),
            other => panic!("unexpected outcome {other:?}: {}", resp.body),
        }
    }
    assert_eq!(originals, 1);
    assert_eq!(alice.get("/v1/projects").await.data_ids().len(), 1);
}

pub async fn idempotency_keys_belong_to_the_credential(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let (alice, bob) = (app.user("alice"), app.user("bob"));
    let first = post_with_key(&alice, "/v1/orgs", "new-org", json!({"name": "Acme"})).await;
    let again = post_with_key(&alice, "/v1/orgs", "new-org", json!({"name": "Acme"})).await;
    assert_eq!((first.status, again.raw == first.raw), (201, true));
    assert_eq!(alice.get("/v1/orgs").await.data_ids().len(), 1, "a retried org creation creates one org");
    let bobs = post_with_key(&bob, "/v1/orgs", "new-org", json!({"name": "Acme"})).await;
    assert_eq!(bobs.status, 201);
    assert!(bobs.header("idempotent-replayed").is_none(), "bob's key is his own");
    assert_ne!(bobs.id(), first.id());
}

/// Posts `body` to `path` with an `Idempotency-Key` twice: the first
/// answer reveals the secret in `field`, the replay leaves it out and
/// says so. Returns the revealed secret.
async fn revealed_then_withheld(user: &User<'_>, path: &str, key: &str, body: Value, field: &str) -> String {
    let first = post_with_key(user, path, key, body.clone()).await;
    assert!(first.status < 300, "{path}: {}", first.body);
    let secret = first.body[field].as_str().unwrap_or_else(|| panic!("{path} reveals `{field}`")).to_owned();
    let replay = post_with_key(user, path, key, body).await;
    assert_eq!((replay.status, replay.header("idempotent-replayed")), (first.status, Some("true")), "{path}");
    assert!(replay.body.get(field).is_none(), "{path}: the replay leaves the secret out: {}", replay.body);
    let note = replay.body["secret_withheld"].as_str().unwrap_or_default();
    assert!(note.contains(&format!("`{field}` was shown once")), "{path}: {}", replay.body);
    let mut without_note = replay.body.clone();
    without_note.as_object_mut().unwrap().remove("secret_withheld");
    let mut without_secret = first.body.clone();
    without_secret.as_object_mut().unwrap().remove(field);
    assert_eq!(without_note, without_secret, "{path}: otherwise the same object");
    secret
}

pub async fn no_revealed_secret_rests_anywhere_with_or_without_an_idempotency_key(backend: Backend) {
    let (store, home) = e2e::fresh_store(backend).await;
    let app = TestApp::configured(backend, store, home, |state| state).await;
    let alice = app.user("alice");
    alice.create_org("Acme").await;
    let project = alice.create_project("web").await;
    let key_body = json!({"project_id": project, "name": "ci", "type": "secret", "scopes": ["projects:read"]});
    let hook_body = json!({"project_id": project, "url": "https://93.184.216.34/in", "event_types": ["*"]});
    let mut secrets = Vec::new();

    let keyed = revealed_then_withheld(&alice, "/v1/keys", "key-1", key_body.clone(), "token").await;
    let plain = alice.post("/v1/keys", key_body).await;
    let rotated = alice.put(&format!("/v1/keys/{}/rotate", plain.id()), json!({})).await;
    secrets.extend([
        keyed,
        plain.body["token"].as_str().unwrap().into(),
        rotated.body["token"].as_str().unwrap().into(),
    ]);

    let hook = revealed_then_withheld(&alice, "/v1/webhooks", "hook-1", hook_body.clone(), "secret").await;
    let plain = alice.post("/v1/webhooks", hook_body).await;
    let rotate = format!("/v1/webhooks/{}/rotate-secret", plain.id());
    let rotated_keyed = revealed_then_withheld(&alice, &rotate, "rotate-1", json!({}), "secret").await;
    let rotated_plain = alice.post(&rotate, json!({})).await;
    secrets.extend([
        hook,
        plain.body["secret"].as_str().unwrap().into(),
        rotated_keyed,
        rotated_plain.body["secret"].as_str().unwrap().into(),
    ]);

    let exchange = json!({"grant_type": "refresh_token", "refresh_token": app.refresh_token("alice")});
    // The exchange changes nothing, so a repeat mints another token: each
    // one is the first and only reveal of itself, and none is kept.
    for key in ["token-1", "token-1"] {
        let access = post_with_key(&alice, "/v1/auth/token", key, exchange.clone()).await;
        secrets.push(access.body["access_token"].as_str().expect("an access token").into());
    }
    let plain = alice.post("/v1/auth/token", exchange).await;
    secrets.push(plain.body["access_token"].as_str().unwrap().into());

    app.publish_and_deliver().await;
    let at_rest = app.everything_at_rest().await;
    assert!(at_rest.contains("IDEMPOTENCY"), "the scan reaches the idempotency records");
    for secret in &secrets {
        assert!(secret.len() > 20, "{secret}");
        for form in e2e::forms_at_rest(secret) {
            assert!(!at_rest.contains(&form), "a revealed secret rests in the store, queue or blobs ({form})");
        }
    }
}
