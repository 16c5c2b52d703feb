use e2e::{Backend, TestApp, send};
use reqwest::Method;
use serde_json::json;

pub async fn creating_an_org_makes_the_caller_its_owner(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let alice = app.user("alice");
    let created = alice.post("/v1/orgs", json!({"name": "  Acme Inc. "})).await;
    assert_eq!(created.status, 201);
    let org = created.id();
    assert!(org.starts_with("org_"));
    assert_eq!(created.header("location"), Some(format!("/v1/orgs/{org}").as_str()));
    assert_eq!(created.header("etag"), Some("\"1\""));
    assert_eq!(created.body["name"], "Acme Inc.");
    assert_eq!(created.body["version"], 1);
    for field in ["created_at", "updated_at"] {
        let at = created.body[field].as_str().unwrap();
        assert!(at.ends_with('Z') && at.contains('T'), "{field} is RFC 3339 UTC: {at}");
    }

    let members = alice.get(&format!("/v1/orgs/{org}/members")).await;
    assert_eq!(members.body["data"][0]["user_id"], "alice");
    assert_eq!(members.body["data"][0]["role"], "owner");
    assert_eq!(members.body["data"][0]["email"], "alice@example.com");
    let fetched = alice.get(&format!("/v1/orgs/{org}")).await;
    assert_eq!((fetched.status, fetched.header("etag")), (200, Some("\"1\"")));
    assert_eq!(app.user("bob").get("/v1/orgs").await.data_ids(), Vec::<String>::new());
}

pub async fn org_updates_honour_if_match_and_need_admin(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let alice = app.user("alice");
    let org = alice.create_org("Acme").await;
    let path = format!("/v1/orgs/{org}");

    let stale = send(alice.request(Method::PUT, &path).header("if-match", "\"7\"").json(&json!({"name": "X"}))).await;
    assert_eq!((stale.status, stale.problem_code()), (412, "precondition_failed"));
    let updated =
        send(alice.request(Method::PUT, &path).header("if-match", "\"1\"").json(&json!({"name": "Acme 2"}))).await;
    assert_eq!(updated.status, 200);
    assert_eq!(updated.header("etag"), Some("\"2\""));
    assert_eq!(updated.body["name"], "Acme 2");
    let patched = send(alice.request(Method::PATCH, &path).json(&json!({"name": "Acme 3"}))).await;
    assert_eq!((patched.status, patched.body["version"].as_u64()), (200, Some(3)));
    let unchanged = alice.put(&path, json!({})).await;
    assert_eq!((unchanged.status, unchanged.body["version"].as_u64()), (200, Some(3)), "no change, no new version");
    let empty = alice.put(&path, json!({"name": "   "})).await;
    assert_eq!(empty.status, 422);
    assert_eq!(empty.body["errors"][0]["field"], "name");

    alice.add_member(&org, "adam", "admin").await;
    alice.add_member(&org, "dev", "developer").await;
    assert_eq!(app.user("adam").put(&path, json!({"name": "By admin"})).await.status, 200);
    assert_eq!(app.user("dev").put(&path, json!({"name": "By dev"})).await.status, 403);
}

pub async fn org_lists_page_through_the_callers_orgs(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let alice = app.user("alice");
    let mut created = Vec::new();
    for i in 0..5 {
        created.push(alice.create_org(&format!("Org {i}")).await);
    }
    app.user("bob").create_org("Not alice's").await;
    let mut seen = Vec::new();
    let mut cursor: Option<String> = None;
    loop {
        let path = match &cursor {
            Some(c) => format!("/v1/orgs?limit=2&cursor={c}"),
            None => "/v1/orgs?limit=2".into(),
        };
        let page = alice.get(&path).await;
        assert_eq!(page.status, 200, "{}", page.body);
        assert!(page.data_ids().len() <= 2);
        seen.extend(page.data_ids());
        match page.body["next_cursor"].as_str() {
            Some(c) => cursor = Some(c.to_owned()),
            None => break,
        }
    }
    created.sort();
    seen.sort();
    assert_eq!(seen, created);

    // The orgs are found by the membership lookup (read alongside the token
    // checks), then read with the caller's member items: like a token that
    // names no org, one round trip more, and the request says so. (Whether
    // the first two reads overlap, so count as one round, depends on the
    // store's speed: the round-trip report takes the median.)
    let first = alice.get("/v1/orgs?limit=2").await;
    let timing = first.header("server-timing").unwrap_or_default().to_owned();
    assert!(timing.ends_with(";org=inferred"), "{timing}");
    assert_eq!((first.store_count("reads"), first.store_count("writes")), (3, 0));
    let named = alice.get(&format!("/v1/orgs/{}", created[0])).await;
    assert!(!named.header("server-timing").unwrap_or_default().contains("org="), "the path names the org");
}

pub async fn an_org_backup_is_exported_by_a_job_and_downloads_without_secrets(backend: e2e::Backend) {
    use base64::Engine;
    let app = e2e::TestApp::spawn(backend).await;
    let owner = app.user("olivia");
    let org = owner.create_org("Acme").await;
    let project = owner.create_project("billing").await;
    let key = owner
        .post(
            "/v1/keys",
            serde_json::json!({"project_id": project, "name": "ci", "type": "secret", "scopes": ["projects:read"]}),
        )
        .await;
    let token = key.body["token"].as_str().unwrap().to_owned();
    owner.add_member(&org, "dev", "developer").await;
    assert_eq!(app.user("dev").post(&format!("/v1/orgs/{org}/backups"), serde_json::json!({})).await.status, 403);
    let canary = "canary-backup-4c1d9e";
    let credential = owner
        .post("/v1/credentials", serde_json::json!({"kind": "token", "name": "repo", "value": {"token": canary}}))
        .await
        .id();
    let source = owner
        .post(
            "/v1/sources",
            serde_json::json!({"project_id": project, "kind": "scan.mcp_config", "display_name": "mcp",
                "connector": {"document": "{\"mcpServers\": {}}"}}),
        )
        .await
        .id();
    assert_eq!(owner.post(&format!("/v1/sources/{source}/run"), serde_json::json!({})).await.status, 202);
    app.run_jobs().await;
    let evidence = owner.get(&format!("/v1/sources/{source}/evidence")).await.data_ids()[0].clone();

    let started = owner.post(&format!("/v1/orgs/{org}/backups"), serde_json::json!({})).await;
    assert_eq!((started.status, started.body["type"].as_str()), (202, Some("export_backup")), "{}", started.body);
    let job = started.id();
    let download = format!("/v1/orgs/{org}/backups/{job}");
    let early = owner.get(&download).await;
    assert_eq!((early.status, early.problem_code()), (409, "backup_not_ready"));
    app.run_jobs().await;
    let done = owner.get(&format!("/v1/jobs/{job}")).await;
    assert_eq!(done.body["status"], "completed", "{}", done.body);

    let backup = owner.get(&download).await;
    assert_eq!(backup.status, 200);
    assert_eq!(backup.body["format"], "controlplane.backup.v1");
    let digest = controlplane::base::digest::sha256_bytes(&backup.raw);
    let expected = format!("sha-256=:{}:", base64::engine::general_purpose::STANDARD.encode(digest));
    assert_eq!(backup.header("repr-digest"), Some(expected.as_str()));
    assert_eq!(done.body["result"]["sha256"], controlplane::base::digest::hex(&digest));
    assert_eq!(done.body["result"]["size"], backup.raw.len());
    let text = String::from_utf8(backup.raw.clone()).unwrap();
    for present in [project.as_str(), "\"dev\"", "project.created", "key.created", &credential, &source, &evidence] {
        assert!(text.contains(present), "the backup holds {present}");
    }
    assert!(!text.contains(canary), "credential values are not in the table, so not in a backup");
    let hash = controlplane::domain::apikey::hash_token(&token);
    assert!(!text.contains(&token) && !text.contains(&hash), "no token or token hash in a backup");

    let bob = app.user("bob");
    let bobs = bob.create_org("Bob's").await;
    assert_eq!(bob.get(&download).await.status, 404, "another org's backup");
    assert_eq!(bob.get(&format!("/v1/orgs/{bobs}/backups/{job}")).await.status, 404);
}
