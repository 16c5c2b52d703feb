use e2e::{Backend, TestApp, send};
use reqwest::Method;
use serde_json::json;

const PUBLIC_URL: &str = "https://93.184.216.34/hooks/in";

pub async fn webhooks_are_created_with_a_secret_shown_once_and_managed_by_their_project(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let alice = app.user("alice");
    alice.create_org("Acme").await;
    let project = alice.create_project("shop").await;
    let created = alice
        .post(
            "/v1/webhooks",
            json!({"project_id": project, "url": PUBLIC_URL, "event_types": ["project.*", "key.created"]}),
        )
        .await;
    assert_eq!(created.status, 201, "{}", created.body);
    let id = created.id();
    assert!(id.starts_with("wh_"));
    let secret = created.body["secret"].as_str().unwrap().to_owned();
    assert!(secret.starts_with("whsec_"));
    assert_eq!(created.header("location"), Some(format!("/v1/webhooks/{id}").as_str()));
    let path = format!("/v1/webhooks/{id}");
    let fetched = alice.get(&path).await;
    assert_eq!((fetched.status, fetched.body["enabled"].as_bool()), (200, Some(true)));
    assert!(fetched.body.get("secret").is_none(), "the secret is shown once");
    assert_eq!(alice.get(&format!("/v1/webhooks?project_id={project}")).await.data_ids(), [id.as_str()]);

    let rotated = alice.post(&format!("{path}/rotate-secret"), json!({})).await;
    assert_eq!(rotated.status, 200, "{}", rotated.body);
    let new_secret = rotated.body["secret"].as_str().unwrap().to_owned();
    assert!(new_secret.starts_with("whsec_") && new_secret != secret);
    assert!(alice.get(&path).await.body["previous_secret_valid_until"].is_string());

    let disabled = alice.put(&path, json!({"enabled": false})).await;
    assert_eq!((disabled.status, disabled.body["enabled"].as_bool()), (200, Some(false)));
    let audit = alice.get("/v1/audit?limit=200").await;
    let text = audit.body.to_string();
    for action in ["webhook.created", "webhook.secret_rotated", "webhook.updated"] {
        assert!(text.contains(action), "{action} audited");
    }
    assert!(!text.contains(&secret) && !text.contains(&new_secret), "no secret in the audit log");
    assert!(!text.contains("/hooks/in"), "only the host of a URL is audited");

    let bob = app.user("bob");
    bob.create_org("Bob's").await;
    assert_eq!(bob.get(&path).await.status, 404);
    assert_eq!(alice.delete(&path).await.status, 204);
    assert_eq!(alice.get(&path).await.status, 404);
}

pub async fn webhook_urls_must_be_public_https_and_fields_are_checked(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let alice = app.user("alice");
    alice.create_org("Acme").await;
    let project = alice.create_project("shop").await;
    for (url, types) in [
        ("http://93.184.216.34/in", json!(["*"])),
        ("https://127.0.0.1/in", json!(["*"])),
        ("https://169.254.169.254/latest/meta-data", json!(["*"])),
        ("https://10.0.0.5/in", json!(["*"])),
        ("https://[::1]/in", json!(["*"])),
        ("https://user:pass@93.184.216.34/in", json!(["*"])),
        (PUBLIC_URL, json!([])),
        (PUBLIC_URL, json!(["Project.Created"])),
    ] {
        let resp = alice.post("/v1/webhooks", json!({"project_id": project, "url": url, "event_types": types})).await;
        assert_eq!(resp.status, 422, "{url} {types}: {}", resp.body);
        let field = resp.body["errors"][0]["field"].as_str().unwrap_or_default().to_owned();
        assert!(field == "url" || field.starts_with("event_types"), "{url}: {}", resp.body);
    }
    let missing = alice
        .post(
            "/v1/webhooks",
            json!({"project_id": "prj_01jbq9m3x5y8z2a4c6e8g0h2k4", "url": PUBLIC_URL, "event_types": ["*"]}),
        )
        .await;
    assert_eq!(missing.status, 404);
}

pub async fn a_key_limited_to_one_webhook_reaches_no_other(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let alice = app.user("alice");
    alice.create_org("Acme").await;
    let project = alice.create_project("shop").await;
    let create = |n: u8| {
        let alice = alice.clone();
        let project = project.clone();
        async move {
            let url = format!("{PUBLIC_URL}/{n}");
            let resp =
                alice.post("/v1/webhooks", json!({"project_id": project, "url": url, "event_types": ["*"]})).await;
            assert_eq!(resp.status, 201, "{}", resp.body);
            resp.id()
        }
    };
    let (listed, other) = (create(1).await, create(2).await);
    let key = alice
        .post(
            "/v1/keys",
            json!({"project_id": project, "name": "ops", "type": "secret", "scopes": ["webhooks:manage"], "resources": [listed]}),
        )
        .await;
    assert_eq!(key.status, 201, "{}", key.body);
    let bot = alice.with_token(key.body["token"].as_str().unwrap().to_owned());
    assert_eq!(bot.get(&format!("/v1/webhooks/{listed}")).await.status, 200);
    let refused = bot.get(&format!("/v1/webhooks/{other}")).await;
    assert_eq!((refused.status, refused.problem_code()), (403, "outside_key_scope"));
    let refused_write = send(bot.request(Method::DELETE, &format!("/v1/webhooks/{other}"))).await;
    assert_eq!(refused_write.status, 403);
    assert_eq!(bot.get("/v1/webhooks").await.data_ids(), [listed]);
}
