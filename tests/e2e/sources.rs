use controlplane::base::ids::CredentialId;
use controlplane::base::tenant::OrgId;
use controlplane::domain::credential::CredentialRef;
use e2e::{Backend, TestApp, User, send};
use reqwest::Method;
use serde_json::{Value, json};

pub const CANARY: &str = "canary-tok-5b1e0c7d9a";

pub const MCP_CONFIG: &str = r#"{"mcpServers": {"files": {"command": "npx", "args": ["-y", "@modelcontextprotocol/server-filesystem", "/"], "env": {"GITHUB_TOKEN": "ghp_x"}}}}"#;

pub async fn create_credential(user: &User<'_>, kind: &str, value: Value) -> String {
    let resp = user.post("/v1/credentials", json!({"kind": kind, "name": format!("{kind} one"), "value": value})).await;
    assert_eq!(resp.status, 201, "{}", resp.body);
    resp.id()
}

pub async fn create_source(
    user: &User<'_>,
    project: &str,
    kind: &str,
    connector: Value,
    credential: Option<&str>,
) -> String {
    let body = json!({
        "project_id": project, "kind": kind, "display_name": format!("{kind} source"),
        "connector": connector, "credential_ref_id": credential,
    });
    let resp = user.post("/v1/sources", body).await;
    assert_eq!(resp.status, 201, "{}", resp.body);
    resp.id()
}

/// Acme: alice owns it, dave is a developer, and it has the project `shop`.
/// Returns (org, project).
async fn acme_with_a_developer(alice: &User<'_>) -> (String, String) {
    let org = alice.create_org("Acme").await;
    let project = alice.create_project("shop").await;
    alice.add_member(&org, "dave", "developer").await;
    (org, project)
}

/// The rule of each finding in an evidence report.
fn rules_of(report: &Value) -> Vec<&str> {
    report["findings"].as_array().expect("findings").iter().map(|f| f["rule"].as_str().unwrap()).collect()
}

pub async fn credentials_keep_their_value_in_the_secrets_store_and_never_show_it(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let alice = app.user("alice");
    let org = alice.create_org("Acme").await;
    let created = alice
        .post("/v1/credentials", json!({"kind": "token", "name": "GitHub read", "value": {"token": CANARY}}))
        .await;
    assert_eq!(created.status, 201, "{}", created.body);
    let id = created.id();
    assert!(id.starts_with("cred_"));
    assert_eq!(created.header("location"), Some(format!("/v1/credentials/{id}").as_str()));
    assert!(created.body["fingerprint"].as_str().is_some_and(|f| f.starts_with("sha256:")));
    assert_eq!(created.body["kind"], "token");

    // The value is in the secrets store under the tenant's name, and nowhere else.
    let region = controlplane::base::residency::Region::parse(created.body["region"].as_str().unwrap()).unwrap();
    assert_eq!(region.as_str(), "us", "the org's region");
    let name = CredentialRef::secret_name(
        &controlplane::testing::tenant_of(&OrgId::parse(&org).unwrap()),
        Some(&region),
        &CredentialId::parse(&id).unwrap(),
    )
    .unwrap();
    assert_eq!(name.as_str(), format!("controlplane/{org}/{id}"));
    let stored = app.secrets.get(&name).await.unwrap().expect("the value is stored");
    assert!(stored.expose().contains(CANARY));

    let tested = alice.post(&format!("/v1/credentials/{id}/test"), json!({})).await;
    assert_eq!(tested.status, 202, "{}", tested.body);
    assert_eq!(tested.body["type"], "test_credential");
    app.run_jobs().await;
    let job = alice.get(&format!("/v1/jobs/{}", tested.id())).await;
    assert_eq!(job.body["status"], "completed", "{}", job.body);
    let fetched = alice.get(&format!("/v1/credentials/{id}")).await;
    assert_eq!(fetched.body["last_test_result"]["outcome"], "ok", "{}", fetched.body);
    assert!(fetched.body["last_tested_at"].is_string());

    // A value damaged in the store fails its test, saying why but not what.
    let damaged = controlplane::ports::secrets::SecretValue::new(format!("{{\"tokn\": \"{CANARY}\"}}")).unwrap();
    app.secrets.put(&name, &damaged).await.unwrap();
    alice.post(&format!("/v1/credentials/{id}/test"), json!({})).await;
    app.run_jobs().await;
    let failed = alice.get(&format!("/v1/credentials/{id}")).await;
    assert_eq!(failed.body["last_test_result"]["outcome"], "error", "{}", failed.body);

    let mut seen = vec![created.raw, fetched.raw, failed.raw, job.raw];
    seen.push(alice.get("/v1/credentials").await.raw);
    seen.push(alice.get("/v1/audit?limit=200").await.raw);
    for body in seen {
        assert!(!String::from_utf8_lossy(&body).contains(CANARY), "{}", String::from_utf8_lossy(&body));
    }

    let bad = alice.post("/v1/credentials", json!({"kind": "token", "name": "x", "value": {"secret": CANARY}})).await;
    assert_eq!(bad.status, 422);
    assert_eq!(bad.body["errors"][0]["field"], "value.secret");
    assert!(!bad.body.to_string().contains(CANARY), "{}", bad.body);

    let bob = app.user("bob");
    bob.create_org("Other").await;
    assert_eq!(bob.get(&format!("/v1/credentials/{id}")).await.status, 404);
    assert_eq!(alice.delete(&format!("/v1/credentials/{id}")).await.status, 204);
    assert!(app.secrets.get(&name).await.unwrap().is_none(), "the value goes with it");
    assert_eq!(alice.get(&format!("/v1/credentials/{id}")).await.status, 404);
}

pub async fn a_credential_test_requested_by_a_member_who_lost_the_role_is_refused_at_claim(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let alice = app.user("alice");
    let (org, _) = acme_with_a_developer(&alice).await;
    let dave = app.user("dave");
    let id = create_credential(&dave, "token", json!({"token": CANARY})).await;
    let tested = dave.post(&format!("/v1/credentials/{id}/test"), json!({})).await;
    assert_eq!(tested.status, 202, "{}", tested.body);
    // Between enqueue and claim, dave becomes a viewer.
    let demoted = alice.put(&format!("/v1/orgs/{org}/members/dave"), json!({"role": "viewer"})).await;
    assert_eq!(demoted.status, 200, "{}", demoted.body);
    app.run_jobs().await;
    let job = alice.get(&format!("/v1/jobs/{}", tested.id())).await;
    assert_eq!(job.body["status"], "failed", "{}", job.body);
    let error = job.body["error"].as_str().unwrap();
    assert!(error.contains("refused at claim") && error.contains("credentials:manage"), "{error}");
    assert!(alice.get(&format!("/v1/credentials/{id}")).await.body["last_tested_at"].is_null());
    let audit = alice.get("/v1/audit?action=job.failed").await;
    assert!(audit.body.to_string().contains("refused at claim"), "{}", audit.body);
}

pub async fn sources_take_a_typed_config_and_a_credential_of_the_kind_they_need(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let alice = app.user("alice");
    alice.create_org("Acme").await;
    let project = alice.create_project("shop").await;
    let token = create_credential(&alice, "token", json!({"token": CANARY})).await;
    let role = create_credential(
        &alice,
        "aws_role",
        json!({"role_arn": "arn:aws:iam::123456789012:role/controlplane-read", "external_id": "acme-42"}),
    )
    .await;
    let cloud = json!({"account_id": "123456789012", "regions": ["us-east-1", "eu-west-1"]});
    let post = |credential: Option<&str>| {
        alice.post(
            "/v1/sources",
            json!({"project_id": project, "kind": "scan.cloud", "display_name": "prod account", "connector": cloud, "credential_ref_id": credential}),
        )
    };
    let needs = post(None).await;
    assert_eq!(
        (needs.status, needs.body["errors"][0]["field"].as_str()),
        (422, Some("credential_ref_id")),
        "{}",
        needs.body
    );
    let wrong = post(Some(&token)).await;
    assert_eq!(wrong.status, 422);
    assert!(wrong.body["errors"][0]["message"].as_str().unwrap().contains("aws_role"), "{}", wrong.body);
    let missing = post(Some("cred_01jbq9m3x5y8z2a4c6e8g0h2k4")).await;
    assert_eq!((missing.status, missing.body["errors"][0]["field"].as_str()), (422, Some("credential_ref_id")));

    let created = post(Some(&role)).await;
    assert_eq!(created.status, 201, "{}", created.body);
    let source = created.id();
    assert!(source.starts_with("src_"));
    assert_eq!(created.body["kind"], "scan.cloud");
    assert_eq!(created.body["connector"]["regions"], json!(["us-east-1", "eu-west-1"]));
    assert_eq!((created.body["status"].as_str(), created.body["enabled"].as_bool()), (Some("active"), Some(true)));
    assert_eq!(created.body["owner"], "alice");
    assert_eq!(alice.get(&format!("/v1/credentials/{role}")).await.body["sources_using"], 1);

    for (kind, connector, field) in [
        ("scan.repo", json!({"repo_url": "http://github.com/acme/api"}), "connector.repo_url"),
        ("scan.repo", json!({"repo_url": "https://github.com/acme/api", "depth": 3}), "connector.depth"),
        ("scan.image", json!({"image": "Not An Image"}), "connector.image"),
        ("scan.mcp_config", json!({"document": "{broken"}), "connector.document"),
        ("scan.cloud", json!({"account_id": "42", "regions": ["us-east-1"]}), "connector.account_id"),
    ] {
        let body = json!({"project_id": project, "kind": kind, "display_name": "x", "connector": connector, "credential_ref_id": role});
        let resp = alice.post("/v1/sources", body).await;
        assert_eq!(resp.status, 422, "{kind} {connector}: {}", resp.body);
        assert_eq!(resp.body["errors"][0]["field"], field, "{}", resp.body);
    }
    let unknown =
        alice.post("/v1/sources", json!({"project_id": project, "kind": "scan.everything", "display_name": "x"})).await;
    assert_eq!((unknown.status, unknown.body["errors"][0]["field"].as_str()), (422, Some("kind")), "{}", unknown.body);

    // A credential in use is not deleted, except by an admin who forces it.
    let in_use = alice.delete(&format!("/v1/credentials/{role}")).await;
    assert_eq!((in_use.status, in_use.problem_code()), (409, "credential_in_use"));
    // Moving the source to another role credential moves the use.
    let other =
        create_credential(&alice, "aws_role", json!({"role_arn": "arn:aws:iam::123456789012:role/other"})).await;
    let path = format!("/v1/sources/{source}");
    let etag = alice.get(&path).await.header("etag").unwrap().to_owned();
    let moved =
        send(alice.request(Method::PUT, &path).header("if-match", etag).json(&json!({"credential_ref_id": other})))
            .await;
    assert_eq!(moved.status, 200, "{}", moved.body);
    assert_eq!(alice.get(&format!("/v1/credentials/{role}")).await.body["sources_using"], 0);
    assert_eq!(alice.get(&format!("/v1/credentials/{other}")).await.body["sources_using"], 1);
    let cleared = alice.put(&path, json!({"credential_ref_id": null})).await;
    assert_eq!((cleared.status, cleared.body["errors"][0]["field"].as_str()), (422, Some("credential_ref_id")));
    assert_eq!(alice.delete(&format!("/v1/credentials/{role}")).await.status, 204);

    let paused = alice.put(&path, json!({"enabled": false, "display_name": "prod (paused)"})).await;
    assert_eq!(
        (paused.body["status"].as_str(), paused.body["display_name"].as_str()),
        (Some("paused"), Some("prod (paused)"))
    );
    let kind_change = alice.put(&path, json!({"kind": "scan.repo"})).await;
    assert_eq!(kind_change.status, 422, "the kind does not change");

    let forced_by_dev = {
        let org = alice.get("/v1/orgs").await.body["data"][0]["id"].as_str().unwrap().to_owned();
        alice.add_member(&org, "dave", "developer").await;
        let dave = app.user("dave");
        let refused = dave.delete(&format!("/v1/credentials/{other}?force=true")).await;
        refused.status
    };
    assert_eq!(forced_by_dev, 403, "only admins force");
    assert_eq!(alice.delete(&format!("/v1/credentials/{other}?force=true")).await.status, 204);

    let audit = alice.get("/v1/audit?target_type=source").await.body.to_string();
    for action in ["source.created", "source.updated"] {
        assert!(audit.contains(action), "{action}");
    }
    assert_eq!(alice.delete(&path).await.status, 204);
    assert_eq!(alice.get(&path).await.status, 404);
}

pub async fn sources_list_by_project_kind_and_status_and_stay_in_their_tenant(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let alice = app.user("alice");
    alice.create_org("Acme").await;
    let shop = alice.create_project("shop").await;
    let blog = alice.create_project("blog").await;
    let mcp = json!({"document": MCP_CONFIG});
    let a = create_source(&alice, &shop, "scan.mcp_config", mcp.clone(), None).await;
    let b = create_source(&alice, &shop, "ingest.trace_push", json!({}), None).await;
    let c = create_source(&alice, &blog, "scan.mcp_config", mcp, None).await;
    alice.put(&format!("/v1/sources/{b}"), json!({"enabled": false})).await;

    let ids = |resp: e2e::Resp| {
        let mut ids = resp.data_ids();
        ids.sort();
        ids
    };
    let sorted = |mut v: Vec<String>| {
        v.sort();
        v
    };
    assert_eq!(ids(alice.get("/v1/sources").await), sorted(vec![a.clone(), b.clone(), c.clone()]));
    assert_eq!(ids(alice.get(&format!("/v1/sources?project_id={shop}")).await), sorted(vec![a.clone(), b.clone()]));
    assert_eq!(ids(alice.get("/v1/sources?kind=scan.mcp_config").await), sorted(vec![a.clone(), c.clone()]));
    assert_eq!(ids(alice.get("/v1/sources?status=paused").await), vec![b.clone()]);
    let first = alice.get("/v1/sources?limit=2").await;
    let cursor = first.body["next_cursor"].as_str().expect("a second page").to_owned();
    let second = alice.get(&format!("/v1/sources?limit=2&cursor={cursor}")).await;
    assert_eq!(first.data_ids().len() + second.data_ids().len(), 3);
    let bad = alice.get("/v1/sources?kind=nope").await;
    assert_eq!((bad.status, bad.body["errors"][0]["field"].as_str()), (422, Some("query.kind")));

    let bob = app.user("bob");
    bob.create_org("Other").await;
    assert_eq!(bob.get(&format!("/v1/sources/{a}")).await.status, 404);
    assert!(bob.get("/v1/sources").await.data_ids().is_empty());
    assert_eq!(bob.delete(&format!("/v1/sources/{a}")).await.status, 404);

    // A key limited to one source reaches no other, and a viewer only reads.
    let key = alice
        .post(
            "/v1/keys",
            json!({"project_id": shop, "name": "ingest", "type": "secret", "scopes": ["sources:read"], "resources": [a]}),
        )
        .await;
    assert_eq!(key.status, 201, "{}", key.body);
    let bot = alice.with_token(key.body["token"].as_str().unwrap().to_owned());
    assert_eq!(bot.get(&format!("/v1/sources/{a}")).await.status, 200);
    assert_eq!(bot.get(&format!("/v1/sources/{b}")).await.status, 403);
    assert_eq!(bot.get(&format!("/v1/sources/{c}")).await.status, 403, "another project");
    assert_eq!(bot.get("/v1/sources").await.data_ids(), [a.as_str()]);
    assert_eq!(bot.delete(&format!("/v1/sources/{a}")).await.status, 403, "no sources:write");
}

pub async fn policy_bindings_are_added_listed_and_removed_once_each(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let alice = app.user("alice");
    alice.create_org("Acme").await;
    let project = alice.create_project("shop").await;
    let source = create_source(&alice, &project, "scan.mcp_config", json!({"document": MCP_CONFIG}), None).await;
    let path = format!("/v1/sources/{source}/policy-bindings");
    let bound = alice.post(&path, json!({"policy_id": "no-shell-servers", "mode": "enforce"})).await;
    assert_eq!(bound.status, 201, "{}", bound.body);
    let binding = bound.body["binding_id"].as_str().unwrap().to_owned();
    assert!(binding.starts_with("pb_"));
    assert_eq!(
        (bound.body["source_id"].as_str(), bound.body["created_by"].as_str()),
        (Some(source.as_str()), Some("alice"))
    );
    let again = alice.post(&path, json!({"policy_id": "no-shell-servers", "mode": "audit"})).await;
    assert_eq!((again.status, again.problem_code()), (409, "binding_exists"));
    let bad = alice.post(&path, json!({"policy_id": "Bad Policy", "mode": "audit"})).await;
    assert_eq!((bad.status, bad.body["errors"][0]["field"].as_str()), (422, Some("policy_id")));
    let bad_mode = alice.post(&path, json!({"policy_id": "p", "mode": "block"})).await;
    assert_eq!((bad_mode.status, bad_mode.body["errors"][0]["field"].as_str()), (422, Some("mode")));
    let listed = alice.get(&path).await;
    assert_eq!(listed.body["data"][0]["binding_id"], binding.as_str());
    assert_eq!(alice.get(&format!("/v1/sources/{source}")).await.body["policy_bindings"][0]["mode"], "enforce");
    assert_eq!(alice.delete(&format!("{path}/{binding}")).await.status, 204);
    assert_eq!(alice.delete(&format!("{path}/{binding}")).await.status, 404);
    assert!(alice.get(&path).await.body["data"].as_array().unwrap().is_empty());
    let audit = alice.get("/v1/audit?action=source.").await.body.to_string();
    assert!(audit.contains("source.policy_bound") && audit.contains("source.policy_unbound"), "{audit}");
}

/// A stand-in for the outside service a source reaches: answers 200 on any
/// path and keeps each request's `Authorization` header.
pub struct Upstream {
    pub url: String,
    pub seen: std::sync::Arc<std::sync::Mutex<Vec<Option<String>>>>,
}

impl Upstream {
    pub async fn start() -> Self {
        let seen: std::sync::Arc<std::sync::Mutex<Vec<Option<String>>>> = Default::default();
        let record = seen.clone();
        let app = axum::Router::new().fallback(move |headers: axum::http::HeaderMap| {
            let record = record.clone();
            async move {
                let auth = headers.get("authorization").and_then(|v| v.to_str().ok()).map(str::to_owned);
                record.lock().unwrap().push(auth);
                "ok"
            }
        });
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let url = format!("http://{}", listener.local_addr().unwrap());
        tokio::spawn(async move { axum::serve(listener, app).await });
        Self { url, seen }
    }
}

async fn local_app(backend: Backend) -> TestApp {
    let (store, dir) = e2e::fresh_store(backend).await;
    TestApp::configured(backend, store, dir, |s| s.with_local_webhooks(true)).await
}

const TERRAFORM: &str = r#"
resource "aws_s3_bucket_acl" "site" {
  bucket = "site"
  acl    = "public-read"
}
resource "aws_db_instance" "db" {
  storage_encrypted = true
}
"#;

pub async fn a_run_writes_evidence_and_health_once_per_idempotency_key(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let alice = app.user("alice");
    alice.create_org("Acme").await;
    let project = alice.create_project("shop").await;
    let source = create_source(&alice, &project, "scan.mcp_config", json!({"document": MCP_CONFIG}), None).await;
    let run = |key: &'static str| {
        let alice = alice.clone();
        let path = format!("/v1/sources/{source}/run");
        async move { send(alice.request(Method::POST, &path).header("idempotency-key", key).json(&json!({}))).await }
    };
    let first = run("run-1").await;
    assert_eq!(first.status, 202, "{}", first.body);
    assert_eq!(first.body["type"], "run_source");
    let job = first.id();
    assert_eq!(first.header("location"), Some(format!("/v1/jobs/{job}").as_str()));
    let replay = run("run-1").await;
    assert_eq!((replay.status, replay.id()), (202, job.clone()), "a retried request gets the same job");
    assert_eq!(replay.header("idempotent-replayed"), Some("true"));
    // The typed message the worker checks at claim.
    let message = &first.body["payload"];
    assert_eq!(
        (message["source_id"].as_str(), message["job_id"].as_str()),
        (Some(source.as_str()), Some(job.as_str()))
    );
    assert_eq!(
        (message["scope"].as_str(), message["idempotency_key"].as_str()),
        (Some(project.as_str()), Some("run-1"))
    );
    assert_eq!(message["requested_by"], "alice");
    app.run_jobs().await;

    let done = alice.get(&format!("/v1/jobs/{job}")).await;
    assert_eq!(
        (done.body["status"].as_str(), done.body["result"]["outcome"].as_str()),
        (Some("completed"), Some("warn")),
        "{}",
        done.body
    );
    let health = alice.get(&format!("/v1/sources/{source}")).await;
    assert_eq!(health.body["status"], "active");
    assert_eq!(health.body["last_result"]["outcome"], "warn");
    assert_eq!(health.body["last_result"]["job_id"], job.as_str());
    assert!(health.body["last_result"]["summary"].as_str().unwrap().contains("1 MCP server(s)"), "{}", health.body);
    assert!(health.body["last_run_at"].is_string());

    let evidence = alice.get(&format!("/v1/sources/{source}/evidence")).await;
    let items = evidence.body["data"].as_array().unwrap();
    assert_eq!(items.len(), 1, "{}", evidence.body);
    let item = &items[0];
    assert_eq!((item["kind"].as_str(), item["job_id"].as_str()), (Some("mcp_config_report"), Some(job.as_str())));
    let content = alice.get(&format!("/v1/sources/{source}/evidence/{}", item["id"].as_str().unwrap())).await;
    assert_eq!(content.status, 200);
    assert_eq!(item["sha256"].as_str().unwrap(), controlplane::base::digest::sha256_hex(&content.raw));
    assert_eq!(item["size"].as_u64().unwrap(), content.raw.len() as u64);
    let rules = rules_of(&content.body);
    assert!(rules.contains(&"mcp.inline_secret") && rules.contains(&"mcp.broad_filesystem"), "{rules:?}");
    assert!(!String::from_utf8_lossy(&content.raw).contains("ghp_x"), "secret values stay out of evidence");
    assert_eq!(
        alice.get(&format!("/v1/sources/{source}/jobs")).await.data_ids(),
        [job.as_str()],
        "one job for the key"
    );

    // An enforced policy on the rule family makes the next run an error.
    let bound = alice
        .post(&format!("/v1/sources/{source}/policy-bindings"), json!({"policy_id": "mcp", "mode": "enforce"}))
        .await;
    assert_eq!(bound.status, 201);
    let second = run("run-2").await;
    assert_eq!(second.status, 202, "{}", second.body);
    app.run_jobs().await;
    let failed = alice.get(&format!("/v1/sources/{source}")).await;
    assert_eq!(
        (failed.body["status"].as_str(), failed.body["last_result"]["outcome"].as_str()),
        (Some("error"), Some("error"))
    );
    assert_eq!(alice.get(&format!("/v1/sources/{source}/evidence")).await.data_ids().len(), 2);
    let audit = alice.get("/v1/audit?action=source.run.completed").await;
    assert_eq!(audit.body["data"].as_array().unwrap().len(), 2, "{}", audit.body);
    assert_eq!(audit.body["data"][0]["metadata"]["outcome"], "error");

    // Paused sources and pushed kinds are not run.
    alice.put(&format!("/v1/sources/{source}"), json!({"enabled": false})).await;
    let paused = alice.post(&format!("/v1/sources/{source}/run"), json!({})).await;
    assert_eq!((paused.status, paused.problem_code()), (409, "source_paused"));
    let pushed = create_source(&alice, &project, "ingest.result_push", json!({}), None).await;
    let refused = alice.post(&format!("/v1/sources/{pushed}/run"), json!({})).await;
    assert_eq!((refused.status, refused.problem_code()), (409, "source_is_pushed"));

    // An IaC source checks its files against the rule set.
    let iac = create_source(
        &alice,
        &project,
        "scan.iac",
        json!({"format": "terraform", "files": [{"name": "main.tf", "content": TERRAFORM}]}),
        None,
    )
    .await;
    assert_eq!(alice.post(&format!("/v1/sources/{iac}/run"), json!({})).await.status, 202);
    app.run_jobs().await;
    let iac_health = alice.get(&format!("/v1/sources/{iac}")).await;
    assert_eq!(iac_health.body["last_result"]["outcome"], "warn", "{}", iac_health.body);
    let id = alice.get(&format!("/v1/sources/{iac}/evidence")).await.data_ids()[0].clone();
    let report = alice.get(&format!("/v1/sources/{iac}/evidence/{id}")).await;
    assert_eq!(rules_of(&report.body), ["iac.public_bucket"]);
}

pub async fn a_run_requested_by_a_member_who_lost_the_role_is_refused_at_claim_and_audited(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let alice = app.user("alice");
    let (org, project) = acme_with_a_developer(&alice).await;
    let dave = app.user("dave");
    let source = create_source(&dave, &project, "scan.mcp_config", json!({"document": MCP_CONFIG}), None).await;
    let run = dave.post(&format!("/v1/sources/{source}/run"), json!({})).await;
    assert_eq!(run.status, 202, "{}", run.body);
    alice.put(&format!("/v1/orgs/{org}/members/dave"), json!({"role": "viewer"})).await;
    app.run_jobs().await;
    let job = alice.get(&format!("/v1/jobs/{}", run.id())).await;
    assert_eq!(job.body["status"], "failed");
    assert!(job.body["error"].as_str().unwrap().starts_with("refused at claim: dave's role `viewer`"), "{}", job.body);
    let refused = alice.get("/v1/audit?action=source.run_refused").await;
    let event = &refused.body["data"][0];
    assert_eq!(
        (event["target"]["id"].as_str(), event["metadata"]["requested_by"].as_str()),
        (Some(source.as_str()), Some("dave")),
        "{}",
        refused.body
    );
    let untouched = alice.get(&format!("/v1/sources/{source}")).await;
    assert!(untouched.body["last_result"].is_null(), "a refusal is not the source's failure");
    assert!(alice.get(&format!("/v1/sources/{source}/evidence")).await.body["data"].as_array().unwrap().is_empty());
}

pub async fn sources_that_reach_outside_services_use_their_credential_and_report_an_unreachable_one(backend: Backend) {
    let app = local_app(backend).await;
    let upstream = Upstream::start().await;
    let alice = app.user("alice");
    alice.create_org("Acme").await;
    let project = alice.create_project("shop").await;
    let token = create_credential(&alice, "token", json!({"token": CANARY})).await;
    let repo = create_source(
        &alice,
        &project,
        "scan.repo",
        json!({"repo_url": format!("{}/acme/api.git", upstream.url)}),
        Some(&token),
    )
    .await;

    let tested = alice.post(&format!("/v1/sources/{repo}/test"), json!({})).await;
    assert_eq!((tested.status, tested.body["type"].as_str()), (202, Some("test_source")));
    app.run_jobs().await;
    let test_job = alice.get(&format!("/v1/jobs/{}", tested.id())).await;
    assert_eq!(test_job.body["result"]["outcome"], "ok", "{}", test_job.body);
    assert!(alice.get(&format!("/v1/sources/{repo}")).await.body["last_result"].is_null(), "a test runs nothing");

    let run = alice.post(&format!("/v1/sources/{repo}/run"), json!({})).await;
    app.run_jobs().await;
    let ran = alice.get(&format!("/v1/jobs/{}", run.id())).await;
    assert_eq!(ran.body["result"]["outcome"], "warn", "{}", ran.body);
    let summary = ran.body["result"]["summary"].as_str().unwrap();
    assert!(summary.contains("reachable (HTTP 200") && summary.contains("nothing was collected"), "{summary}");
    let seen = upstream.seen.lock().unwrap().clone();
    assert_eq!(seen.len(), 2, "the test and the run each reached it once");
    assert!(
        seen.iter().all(|a| a.as_deref() == Some(format!("Bearer {CANARY}").as_str())),
        "the worker resolved the credential"
    );

    // Nothing listens here: the run is an error that says so, never a success.
    let closed = {
        let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        listener.local_addr().unwrap().port()
    };
    let gone = create_source(
        &alice,
        &project,
        "ingest.fleet_sync",
        json!({"url": format!("http://127.0.0.1:{closed}/sync")}),
        Some(&token),
    )
    .await;
    alice.post(&format!("/v1/sources/{gone}/run"), json!({})).await;
    app.run_jobs().await;
    let health = alice.get(&format!("/v1/sources/{gone}")).await;
    assert_eq!(
        (health.body["status"].as_str(), health.body["last_result"]["outcome"].as_str()),
        (Some("error"), Some("error"))
    );
    assert!(health.body["last_result"]["summary"].as_str().unwrap().contains("unreachable"), "{}", health.body);

    // A source whose credential was deleted by force fails with a reason.
    assert_eq!(alice.delete(&format!("/v1/credentials/{token}?force=true")).await.status, 204);
    alice.post(&format!("/v1/sources/{repo}/run"), json!({})).await;
    app.run_jobs().await;
    let orphan = alice.get(&format!("/v1/sources/{repo}")).await;
    assert!(orphan.body["last_result"]["summary"].as_str().unwrap().contains("was deleted"), "{}", orphan.body);

    let mut bodies = vec![test_job.raw, ran.raw, health.raw, orphan.raw];
    bodies.push(alice.get("/v1/audit?limit=200").await.raw);
    bodies.push(alice.get(&format!("/v1/sources/{repo}/evidence")).await.raw);
    for id in alice.get(&format!("/v1/sources/{repo}/evidence")).await.data_ids() {
        bodies.push(alice.get(&format!("/v1/sources/{repo}/evidence/{id}")).await.raw);
    }
    for body in bodies {
        assert!(!String::from_utf8_lossy(&body).contains(CANARY), "{}", String::from_utf8_lossy(&body));
    }
}

pub async fn concurrent_scheduler_ticks_run_a_due_slot_once_and_schedules_follow_their_source(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let alice = app.user("alice");
    alice.create_org("Acme").await;
    let project = alice.create_project("shop").await;
    let source = create_source(&alice, &project, "scan.mcp_config", json!({"document": MCP_CONFIG}), None).await;
    for (body, field) in [
        (json!({"source_id": source, "cron": "*/5 * * *"}), "cron"),
        (json!({"source_id": source, "cron": "rate(0 minutes)"}), "cron"),
        (json!({"source_id": source, "cron": "0 9 * * *", "timezone": "Mars/Olympus"}), "timezone"),
    ] {
        let bad = alice.post("/v1/schedules", body).await;
        assert_eq!((bad.status, bad.body["errors"][0]["field"].as_str()), (422, Some(field)), "{}", bad.body);
    }
    let missing =
        alice.post("/v1/schedules", json!({"source_id": "src_01jbq9m3x5y8z2a4c6e8g0h2k4", "cron": "* * * * *"})).await;
    assert_eq!(missing.status, 404);
    let pushed = create_source(&alice, &project, "ingest.trace_push", json!({}), None).await;
    let refused = alice.post("/v1/schedules", json!({"source_id": pushed, "cron": "* * * * *"})).await;
    assert_eq!((refused.status, refused.problem_code()), (409, "source_is_pushed"));

    let created = alice
        .post("/v1/schedules", json!({"source_id": source, "cron": "*/5 * * * *", "timezone": "Europe/Berlin"}))
        .await;
    assert_eq!(created.status, 201, "{}", created.body);
    let id = created.id();
    assert!(id.starts_with("sch_"));
    let next = chrono::DateTime::parse_from_rfc3339(created.body["next_run_at"].as_str().unwrap()).unwrap().to_utc();
    assert!(next > chrono::Utc::now() && next.timestamp() % 300 == 0, "the next five-minute slot: {next}");
    let path = format!("/v1/schedules/{id}");

    // Two ticks at once, once the slot is due: one run.
    let due = next + chrono::TimeDelta::seconds(1);
    let (a, b) = (
        controlplane::domain::schedule::Scheduler::new(app.store.clone(), app.queue.clone()),
        controlplane::domain::schedule::Scheduler::new(app.store.clone(), app.queue.clone()),
    );
    let (first, second) = tokio::join!(a.tick(due), b.tick(due));
    let (first, second) = (first.unwrap(), second.unwrap());
    assert_eq!(first.fired + second.fired, 1, "{first:?} {second:?}");
    assert_eq!(a.tick(due).await.unwrap().fired, 0, "a retried tick finds the slot taken");
    let after = alice.get(&path).await;
    let advanced = chrono::DateTime::parse_from_rfc3339(after.body["next_run_at"].as_str().unwrap()).unwrap().to_utc();
    assert_eq!(advanced, next + chrono::TimeDelta::minutes(5));
    assert!(after.body["last_run_at"].is_string());
    app.run_jobs().await;
    let jobs = alice.get(&format!("/v1/sources/{source}/jobs")).await;
    let list = jobs.body["data"].as_array().unwrap();
    assert_eq!(list.len(), 1, "{}", jobs.body);
    let slot_key = format!("{id}:{}", next.to_rfc3339_opts(chrono::SecondsFormat::Secs, true));
    assert_eq!(list[0]["idempotency_key"], slot_key.as_str());
    assert_eq!(
        (list[0]["status"].as_str(), list[0]["payload"]["schedule"]["schedule_id"].as_str()),
        (Some("completed"), Some(id.as_str()))
    );
    assert_eq!(alice.get(&format!("/v1/sources/{source}")).await.body["last_result"]["outcome"], "warn");

    // Off: nothing runs; on again (an empty body flips it): the next slot after now.
    let off = send(alice.request(Method::PUT, &format!("{path}/toggle"))).await;
    assert_eq!(
        (off.status, off.body["enabled"].as_bool(), off.body["next_run_at"].is_null()),
        (200, Some(false), true),
        "{}",
        off.body
    );
    assert_eq!(a.tick(due + chrono::TimeDelta::hours(1)).await.unwrap().fired, 0);
    let on = alice.put(&format!("{path}/toggle"), json!({"enabled": true})).await;
    assert_eq!(on.body["enabled"], true);
    let resumed = chrono::DateTime::parse_from_rfc3339(on.body["next_run_at"].as_str().unwrap()).unwrap().to_utc();

    // A paused source's slot passes without a run; a deleted source's schedule is disabled.
    alice.put(&format!("/v1/sources/{source}"), json!({"enabled": false})).await;
    let paused = a.tick(resumed + chrono::TimeDelta::seconds(1)).await.unwrap();
    assert_eq!((paused.fired, paused.skipped), (0, 1), "{paused:?}");
    assert_eq!(alice.delete(&format!("/v1/sources/{source}")).await.status, 204);
    let gone = a.tick(resumed + chrono::TimeDelta::minutes(6)).await.unwrap();
    assert_eq!(gone.disabled, 1, "{gone:?}");
    assert_eq!(alice.get(&path).await.body["enabled"], false);
    let audit = alice.get("/v1/audit?target_type=schedule").await.body.to_string();
    for action in ["schedule.created", "schedule.disabled", "schedule.enabled"] {
        assert!(audit.contains(action), "{action}");
    }
    assert!(audit.contains("the source was deleted"), "{audit}");

    let bob = app.user("bob");
    bob.create_org("Other").await;
    assert_eq!(bob.get(&path).await.status, 404);
    assert!(bob.get("/v1/schedules").await.data_ids().is_empty());
    assert_eq!(alice.get("/v1/schedules").await.data_ids(), [id.as_str()]);
    assert_eq!(alice.delete(&path).await.status, 204);
    assert_eq!(alice.get(&path).await.status, 404);
}

fn spans(n: usize) -> Value {
    let spans: Vec<Value> = (0..n)
        .map(|i| {
            json!({
                "trace_id": "4bf92f3577b34da6a3ce929d0e0e4736", "span_id": format!("{:016x}", i + 1),
                "name": "tool.call", "kind": "client", "status": if i == 0 { "error" } else { "ok" },
                "start_time": "2026-11-23T10:00:00Z", "end_time": "2026-11-23T10:00:01Z",
                "attributes": {"tool": "search", "tokens": 120, "cached": false},
            })
        })
        .collect();
    json!(spans)
}

pub async fn pushed_batches_need_a_key_limited_to_the_source_and_an_idempotency_key_and_fit_the_limit(
    backend: Backend,
) {
    let app = TestApp::spawn(backend).await;
    let alice = app.user("alice");
    alice.create_org("Acme").await;
    let project = alice.create_project("shop").await;
    let traces = create_source(&alice, &project, "ingest.trace_push", json!({"sender": "agent sdk"}), None).await;
    let results = create_source(&alice, &project, "ingest.result_push", json!({}), None).await;
    let key = |scopes: Value, resources: Value| {
        let alice = alice.clone();
        let project = project.clone();
        async move {
            let body = json!({"project_id": project, "name": "pusher", "type": "secret", "scopes": scopes, "resources": resources});
            let created = alice.post("/v1/keys", body).await;
            assert_eq!(created.status, 201, "{}", created.body);
            created.body["token"].as_str().unwrap().to_owned()
        }
    };
    let pusher = alice.with_token(key(json!(["ingest:push"]), json!([traces])).await);
    let push = |who: &User<'_>, path: &str, idempotency: Option<&str>, body: &Value| {
        let mut request = who.request(Method::POST, path).json(body);
        if let Some(k) = idempotency {
            request = request.header("idempotency-key", k);
        }
        send(request)
    };
    let batch = json!({"source_id": traces, "spans": spans(2)});

    let no_key = push(&pusher, "/v1/traces", None, &batch).await;
    assert_eq!((no_key.status, no_key.problem_code()), (400, "idempotency_key_required"));
    let accepted = push(&pusher, "/v1/traces", Some("batch-1"), &batch).await;
    assert_eq!(accepted.status, 201, "{}", accepted.body);
    assert_eq!(accepted.body["accepted"], 2);
    let replayed = push(&pusher, "/v1/traces", Some("batch-1"), &batch).await;
    assert_eq!((replayed.status, replayed.header("idempotent-replayed")), (201, Some("true")));
    assert_eq!(replayed.body["evidence_id"], accepted.body["evidence_id"], "the replay is the first answer");
    let reused = push(&pusher, "/v1/traces", Some("batch-1"), &json!({"source_id": traces, "spans": spans(3)})).await;
    assert_eq!(reused.status, 422, "a key reused for another batch: {}", reused.body);
    let evidence = alice.get(&format!("/v1/sources/{traces}/evidence")).await;
    assert_eq!(evidence.data_ids(), [accepted.body["evidence_id"].as_str().unwrap()], "stored once");
    assert_eq!(evidence.body["data"][0]["kind"], "trace_batch");
    let stored =
        alice.get(&format!("/v1/sources/{traces}/evidence/{}", accepted.body["evidence_id"].as_str().unwrap())).await;
    assert_eq!(stored.body["spans"].as_array().unwrap().len(), 2);
    let health = alice.get(&format!("/v1/sources/{traces}")).await;
    assert_eq!(health.body["last_result"]["outcome"], "warn", "a span with an error: {}", health.body);
    assert!(health.body["last_result"]["summary"].as_str().unwrap().starts_with("2 span(s) in 1 trace(s)"));

    let oversize = json!({"source_id": traces, "spans": spans(1), "padding": "x".repeat(70 * 1024)});
    let too_big = push(&pusher, "/v1/traces", Some("batch-big"), &oversize).await;
    assert_eq!(too_big.status, 413, "{}", too_big.body);
    let mut bad = batch.clone();
    bad["spans"][1]["trace_id"] = json!("not-hex");
    bad["spans"][0]["end_time"] = json!("2026-11-23T09:00:00Z");
    let invalid = push(&pusher, "/v1/traces", Some("batch-bad"), &bad).await;
    assert_eq!(invalid.status, 422);
    let fields: Vec<&str> =
        invalid.body["errors"].as_array().unwrap().iter().map(|e| e["field"].as_str().unwrap()).collect();
    assert_eq!(fields, ["spans[0].end_time", "spans[1].trace_id"]);
    let empty = push(&pusher, "/v1/traces", Some("batch-empty"), &json!({"source_id": traces, "spans": []})).await;
    assert_eq!((empty.status, empty.body["errors"][0]["field"].as_str()), (422, Some("spans")));

    // Only a key limited to the source, with the scope, pushes to it.
    let results_batch = json!({"source_id": results, "tool": "trivy", "results": [
        {"rule": "CVE-2024-3094", "severity": "critical", "message": "xz backdoor", "location": "usr/lib/liblzma.so.5"},
        {"rule": "DS002", "severity": "low", "message": "runs as root"},
    ]});
    for (who, body, code) in
        [(&pusher, &results_batch, "key_not_scoped_to_source"), (&alice, &batch, "key_not_scoped_to_source")]
    {
        let refused =
            push(who, if body == &batch { "/v1/traces" } else { "/v1/results/push" }, Some("refused-1"), body).await;
        assert_eq!((refused.status, refused.problem_code()), (403, code), "{}", refused.body);
    }
    let unscoped = alice.with_token(key(json!(["sources:read"]), json!([traces])).await);
    assert_eq!(push(&unscoped, "/v1/traces", Some("refused-2"), &batch).await.status, 403, "no ingest:push");

    let both = alice.with_token(key(json!(["ingest:push"]), json!([traces, results])).await);
    let wrong_route =
        push(&both, "/v1/traces", Some("wrong-1"), &json!({"source_id": results, "spans": spans(1)})).await;
    assert_eq!((wrong_route.status, wrong_route.body["errors"][0]["field"].as_str()), (422, Some("source_id")));
    let pushed = push(&both, "/v1/results/push", Some("results-1"), &results_batch).await;
    assert_eq!(pushed.status, 201, "{}", pushed.body);
    assert_eq!(pushed.body["summary"], "trivy: 2 result(s), 1 medium or worse");
    let results_health = alice.get(&format!("/v1/sources/{results}")).await;
    assert_eq!(results_health.body["last_result"]["outcome"], "warn");
    let audit = alice.get("/v1/audit?action=source.batch_accepted").await;
    assert_eq!(audit.body["data"].as_array().unwrap().len(), 2, "{}", audit.body);
}

pub async fn a_credential_is_aimed_at_an_endpoint_only_by_whoever_stored_it_or_an_admin(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let alice = app.user("alice");
    let (_, project) = acme_with_a_developer(&alice).await;
    let dave = app.user("dave");
    let token = create_credential(&alice, "token", json!({"token": CANARY})).await;
    let repo = json!({"repo_url": "https://git.example.com/acme/api.git"});
    let source = create_source(&alice, &project, "scan.repo", repo.clone(), Some(&token)).await;

    let borrowed = dave
        .post(
            "/v1/sources",
            json!({"project_id": project, "kind": "scan.repo", "display_name": "mine", "connector": repo, "credential_ref_id": token}),
        )
        .await;
    assert_eq!((borrowed.status, borrowed.problem_code()), (403, "credential_not_yours"));
    let path = format!("/v1/sources/{source}");
    let aimed = dave.put(&path, json!({"connector": {"repo_url": "https://evil.example.net/x.git"}})).await;
    assert_eq!((aimed.status, aimed.problem_code()), (403, "credential_not_yours"));
    assert_eq!(dave.put(&path, json!({"display_name": "api (dave)"})).await.status, 200, "other edits are fine");
    assert_eq!(alice.get(&path).await.body["connector"]["repo_url"], "https://git.example.com/acme/api.git");

    let own = create_credential(&dave, "token", json!({"token": "dave-token"})).await;
    create_source(&dave, &project, "scan.repo", json!({"repo_url": "https://git.example.com/dave.git"}), Some(&own))
        .await;
    let admin_uses = alice.put(&path, json!({"credential_ref_id": own})).await;
    assert_eq!(admin_uses.status, 200, "an owner may use any credential: {}", admin_uses.body);
}

pub async fn a_cadence_is_previewed_with_its_next_slots_and_creates_nothing(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let alice = app.user("alice");
    let org = alice.create_org("Acme").await;
    alice.add_member(&org, "victor", "viewer").await;
    let slots = |resp: &e2e::Resp| -> Vec<chrono::DateTime<chrono::Utc>> {
        resp.body["next_runs"].as_array().unwrap().iter().map(|t| t.as_str().unwrap().parse().unwrap()).collect()
    };
    let weekdays =
        app.user("victor").get("/v1/schedules/preview?cron=0%209%20*%20*%201-5&timezone=Europe/Berlin&count=3").await;
    assert_eq!(weekdays.status, 200, "a viewer previews too: {}", weekdays.body);
    assert_eq!(
        (weekdays.body["cron"].as_str(), weekdays.body["timezone"].as_str()),
        (Some("0 9 * * 1-5"), Some("Europe/Berlin"))
    );
    let runs = slots(&weekdays);
    assert_eq!(runs.len(), 3);
    for (i, run) in runs.iter().enumerate() {
        // 09:00 in Berlin is 08:00 UTC in winter and 07:00 in summer, on the same weekday.
        use chrono::{Datelike, Timelike};
        assert!(matches!((run.hour(), run.minute()), (7 | 8, 0)), "{run}");
        assert!(run.weekday().number_from_monday() <= 5, "{run} is a weekday");
        assert!(*run > chrono::Utc::now() && (i == 0 || runs[i - 1] < *run), "{runs:?}");
    }
    let rate = alice.get("/v1/schedules/preview?cron=rate(15%20minutes)").await;
    assert_eq!((rate.status, rate.body["timezone"].as_str()), (200, Some("UTC")));
    let runs = slots(&rate);
    assert_eq!(runs.len(), 5, "five by default");
    assert!(runs.windows(2).all(|w| w[1] - w[0] == chrono::TimeDelta::minutes(15)), "{runs:?}");

    for (query, field) in [
        ("cron=0%209%20*%20*%201-5&count=0", "query.count"),
        ("cron=0%209%20*%20*%201-5&count=21", "query.count"),
        ("cron=61%20*%20*%20*%20*", "query.cron"),
        ("cron=0%209%20*%20*%201-5&timezone=Mars/Base", "query.timezone"),
    ] {
        let refused = alice.get(&format!("/v1/schedules/preview?{query}")).await;
        assert_eq!((refused.status, refused.body["errors"][0]["field"].as_str()), (422, Some(field)), "{query}");
    }
    assert!(alice.get("/v1/schedules").await.body["data"].as_array().unwrap().is_empty(), "nothing was created");
}
