//! Execution profiles: what each tool and runner may do while it runs.
//! A target with no profile does nothing; each refusal is an
//! `exec.violation`; the digest in force is kept on every run and call.

use e2e::mcp_upstream::UpstreamServer;
use e2e::{Backend, TestApp, User};
use reqwest::Method;
use serde_json::{Value, json};

use crate::mcp::{call, mcp_key, sealed_calls, tool_names};
use crate::mcp_servers::registered_without_profile;
use crate::sources::{Upstream, create_credential, create_source};

async fn local_app(backend: Backend) -> TestApp {
    let (store, dir) = e2e::fresh_store(backend).await;
    TestApp::configured(backend, store, dir, |s| s.with_local_webhooks(true)).await
}

fn spec(allow: &[&str], secrets: &[&str], seconds: u32, bytes: u64) -> Value {
    json!({"egress": {"allow": allow}, "secrets": secrets, "max_run_seconds": seconds, "max_output_bytes": bytes})
}

async fn set(user: &User<'_>, target: &str, spec: Value) -> String {
    let set = user.put(&format!("/v1/exec-profiles/{target}"), spec).await;
    assert_eq!(set.status, 200, "{}", set.body);
    set.body["digest"].as_str().unwrap().to_owned()
}

/// The `exec.violation` events so far, oldest first: (target, caller type, rule).
async fn violations(user: &User<'_>) -> Vec<(String, String, String)> {
    let listed = user.get("/v1/audit?action=exec.violation&limit=200").await;
    assert_eq!(listed.status, 200, "{}", listed.body);
    let mut seen: Vec<(String, String, String)> = listed.body["data"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| {
            let text = |v: &Value| v.as_str().unwrap_or_default().to_owned();
            (text(&e["target"]["id"]), text(&e["metadata"]["caller"]["type"]), text(&e["metadata"]["rule"]))
        })
        .collect();
    seen.reverse();
    seen
}

pub async fn execution_profiles_are_shipped_for_the_platforms_own_targets_and_set_from_checked_specs(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let alice = app.user("alice");
    let org = alice.create_org("Acme").await;
    alice.add_member(&org, "dave", "developer").await;
    let dave = app.user("dave");

    // Shipped: a built-in tool calls nothing and is given nothing; a
    // runner that reaches its endpoint may call that host, with the
    // credential kinds its kind takes.
    let tool = alice.get("/v1/exec-profiles/projects_list").await;
    assert_eq!(tool.status, 200, "{}", tool.body);
    assert_eq!((tool.body["origin"].as_str(), tool.body["version"].as_u64()), (Some("shipped"), Some(0)));
    assert_eq!(tool.body["spec"]["egress"]["allow"], json!([]));
    assert_eq!(tool.header("etag"), Some("\"0\""));
    assert!(tool.body["digest"].as_str().unwrap().starts_with("sha256:"));
    let repo = alice.get("/v1/exec-profiles/source:scan.repo").await;
    assert_eq!(repo.body["spec"]["egress"]["allow"], json!(["endpoint"]), "{}", repo.body);
    assert_eq!(repo.body["spec"]["secrets"], json!(["token", "basic"]));
    assert_eq!(dave.get("/v1/exec-profiles/source:scan.iac").await.body["spec"]["egress"]["allow"], json!([]));

    // A server's tools have none until one is set; a name that is no
    // target is not found either.
    for missing in ["docs__search", "docs__*", "nope", "source:scan.nope"] {
        let got = alice.get(&format!("/v1/exec-profiles/{missing}")).await;
        assert_eq!((got.status, got.problem_code()), (404, "not_found"), "{missing}");
    }

    // Authentication, then authorization, then the target and the spec.
    let anonymous = app.request(Method::GET, "/v1/exec-profiles/projects_list").send().await.unwrap();
    assert_eq!(anonymous.status(), 401);
    let refused = dave.put("/v1/exec-profiles/nope", spec(&[], &[], 5, 10)).await;
    assert_eq!((refused.status, refused.problem_code()), (403, "forbidden"), "{}", refused.body);
    assert_eq!(dave.put("/v1/exec-profiles/source:scan.repo", spec(&[], &[], 5, 10)).await.status, 403);

    let wildcard = alice.put("/v1/exec-profiles/source:scan.repo", spec(&["*"], &[], 5, 10)).await;
    assert_eq!(wildcard.status, 422, "{}", wildcard.body);
    assert_eq!(wildcard.body["errors"][0]["field"], "egress.allow[0]", "{}", wildcard.body);
    let contradictions = json!({
        "egress": {"allow": ["git.example.com", "endpoint"], "deny": ["*.example.com"]},
        "files": {"read": ["/srv/repos"], "write": ["/", "/srv/repos"]},
        "max_run_seconds": 0,
        "max_output_bytes": 20_000_000,
        "secrets": ["aws_role"],
    });
    let compiled = alice.put("/v1/exec-profiles/source:scan.repo", contradictions).await;
    assert_eq!(compiled.status, 422, "{}", compiled.body);
    let fields: Vec<&str> =
        compiled.body["errors"].as_array().unwrap().iter().map(|e| e["field"].as_str().unwrap()).collect();
    assert_eq!(
        fields,
        ["egress.allow[0]", "files.write[0]", "files.read[0]", "max_run_seconds", "max_output_bytes", "secrets[0]"]
    );
    let builtin = alice.put("/v1/exec-profiles/projects_list", spec(&["endpoint"], &["token"], 5, 10)).await;
    let fields: Vec<&str> =
        builtin.body["errors"].as_array().unwrap().iter().map(|e| e["field"].as_str().unwrap()).collect();
    assert_eq!(fields, ["egress", "secrets[0]"], "a built-in tool calls out to nothing and is given no secret");

    // Set, versioned, audited with both digests.
    let shipped = repo.body["digest"].as_str().unwrap().to_owned();
    let mine = spec(&["endpoint", "git.example.com"], &["token"], 20, 65536);
    let first = alice.put("/v1/exec-profiles/source:scan.repo", mine.clone()).await;
    assert_eq!(first.status, 200, "{}", first.body);
    assert_eq!((first.body["origin"].as_str(), first.body["version"].as_u64()), (Some("org"), Some(1)));
    assert_eq!(first.header("etag"), Some("\"1\""));
    let digest = first.body["digest"].as_str().unwrap();
    assert_ne!(digest, shipped);
    assert_eq!(alice.get("/v1/exec-profiles/source:scan.repo").await.body, first.body);
    let stale = alice
        .request(Method::PUT, "/v1/exec-profiles/source:scan.repo")
        .header("if-match", "\"0\"")
        .json(&mine)
        .send()
        .await
        .unwrap();
    assert_eq!(stale.status(), 412);
    let events = alice.get("/v1/audit?action=exec_profile.updated").await;
    let event = &events.body["data"][0];
    assert_eq!(event["target"]["id"], "source:scan.repo", "{}", events.body);
    assert_eq!(event["metadata"]["changes"]["digest"], json!({"from": shipped, "to": digest}), "{event}");
}

pub async fn an_mcp_tool_runs_only_within_its_execution_profile(backend: Backend) {
    let app = local_app(backend).await;
    let alice = app.user("alice");
    alice.create_org("Acme").await;
    let project = alice.create_project("shop").await;
    let upstream = UpstreamServer::spawn().await;
    registered_without_profile(&app, &alice, &project, "docs", &upstream).await;
    let (_, key) = mcp_key(&alice, &project, &["mcp:*"]).await;
    let refusal = |answer: &Value| {
        let problem = &answer["result"]["structuredContent"];
        (answer["result"]["isError"].as_bool(), problem["code"].as_str().map(str::to_owned), problem["status"].as_u64())
    };
    let exec_violation = |status: u64| (Some(true), Some("exec_violation".to_owned()), Some(status));

    // No profile: the tool is not offered, and a call does nothing.
    assert!(!tool_names(&app, &key).await.iter().any(|n| n.starts_with("docs__")));
    let bare = call(&app, &key, "docs__search", json!({"q": "rust"})).await;
    assert_eq!(refusal(&bare), exec_violation(403), "{bare}");
    assert!(bare.to_string().contains("no_profile"), "{bare}");
    assert!(upstream.calls().is_empty(), "nothing forwarded");

    // A built-in tool runs under its shipped profile.
    let listed = call(&app, &key, "projects_list", json!({})).await;
    assert_eq!(listed["result"]["isError"], false, "{listed}");
    let builtin = alice.get("/v1/exec-profiles/projects_list").await.body["digest"].clone();

    // A profile that grants another host, or no secret: still refused.
    set(&alice, "docs__*", spec(&["other.example.com"], &["token"], 60, 65536)).await;
    let elsewhere = call(&app, &key, "docs__search", json!({"q": "rust"})).await;
    assert_eq!(refusal(&elsewhere), exec_violation(403), "{elsewhere}");
    assert!(elsewhere.to_string().contains("egress_not_granted"), "{elsewhere}");
    set(&alice, "docs__*", spec(&["endpoint"], &[], 60, 65536)).await;
    let unsecreted = call(&app, &key, "docs__search", json!({"q": "rust"})).await;
    assert!(unsecreted.to_string().contains("secret_not_granted"), "{unsecreted}");
    assert!(upstream.calls().is_empty(), "nothing forwarded");

    // Allowed: it runs, and its call records the digest.
    let server_wide = set(&alice, "docs__*", spec(&["endpoint"], &["token"], 60, 65536)).await;
    let offered = tool_names(&app, &key).await;
    assert!(offered.ends_with(&["docs__fetch".to_owned(), "docs__search".to_owned()]), "{offered:?}");
    let found = call(&app, &key, "docs__search", json!({"q": "rust"})).await;
    assert_eq!(found["result"]["content"][0]["text"], "found for \"rust\"", "{found}");

    // A tool's own profile beats the server's: an answer too large is not
    // passed on, and a call that outlives its run time is stopped.
    set(&alice, "docs__search", spec(&["endpoint"], &["token"], 60, 200)).await;
    let large = call(&app, &key, "docs__search", json!({"q": "x".repeat(500)})).await;
    assert_eq!(refusal(&large), exec_violation(502), "{large}");
    assert!(!large.to_string().contains(&"x".repeat(500)), "the answer is not passed on");
    let fetched = call(&app, &key, "docs__fetch", json!({"q": "x".repeat(500)})).await;
    assert_eq!(fetched["result"]["isError"], false, "docs__fetch keeps the server's profile: {fetched}");
    let quick = set(&alice, "docs__search", spec(&["endpoint"], &["token"], 1, 65536)).await;
    upstream.stall();
    let stalled = call(&app, &key, "docs__search", json!({"q": "slow"})).await;
    assert_eq!(refusal(&stalled), exec_violation(504), "{stalled}");

    let seen: Vec<(String, String, String)> = violations(&alice).await;
    let expected = [
        ("docs__search", "no_profile"),
        ("docs__*", "egress_not_granted"),
        ("docs__*", "secret_not_granted"),
        ("docs__search", "max_output_bytes"),
        ("docs__search", "max_run_seconds"),
    ];
    assert_eq!(seen.len(), expected.len(), "{seen:?}");
    for ((target, caller, rule), (want_target, want_rule)) in seen.iter().zip(expected) {
        assert_eq!((target.as_str(), rule.as_str()), (want_target, want_rule), "{seen:?}");
        let by_gate = ["egress_not_granted", "secret_not_granted"].contains(&want_rule);
        assert_eq!(caller, if by_gate { "mcp_upstream" } else { "mcp_tool" }, "{seen:?}");
    }

    let calls = sealed_calls(&app, &alice).await;
    let recorded: Vec<(&str, &str, &Value)> = calls
        .iter()
        .map(|e| {
            let m = &e["metadata"];
            (m["tool"].as_str().unwrap(), m["outcome"].as_str().unwrap(), &m["profile_digest"])
        })
        .collect();
    assert_eq!(recorded[0], ("docs__search", "exec_violation", &Value::Null), "no profile, no digest");
    assert_eq!(recorded[1], ("projects_list", "ok", &builtin));
    assert_eq!(recorded[4], ("docs__search", "ok", &json!(server_wide)));
    assert_eq!(recorded[7].2, &json!(quick));
    assert_eq!(calls[7]["metadata"]["violation"], "max_run_seconds");
}

pub async fn a_source_runner_runs_only_within_its_execution_profile(backend: Backend) {
    let app = local_app(backend).await;
    let probed = Upstream::start().await;
    let alice = app.user("alice");
    alice.create_org("Acme").await;
    let project = alice.create_project("shop").await;
    let run = |source: String| {
        let alice = alice.clone();
        let app = &app;
        async move {
            let job = alice.post(&format!("/v1/sources/{source}/run"), json!({})).await;
            assert_eq!(job.status, 202, "{}", job.body);
            app.run_jobs().await;
            let health = alice.get(&format!("/v1/sources/{source}")).await;
            health.body["last_result"].clone()
        }
    };

    // Under the shipped profile, the run records its digest.
    let config = json!({"document": crate::sources::MCP_CONFIG});
    let scan = create_source(&alice, &project, "scan.mcp_config", config, None).await;
    let shipped = alice.get("/v1/exec-profiles/source:scan.mcp_config").await.body["digest"].clone();
    let result = run(scan.clone()).await;
    assert_eq!(result["profile_digest"], shipped, "{result}");
    assert_ne!(result["outcome"], "error", "{result}");
    let report = |result: Value| {
        let (alice, scan) = (alice.clone(), scan.clone());
        async move {
            let id = result["evidence_id"].as_str().unwrap().to_owned();
            let got = alice.get(&format!("/v1/sources/{scan}/evidence/{id}")).await;
            assert_eq!(got.status, 200, "{}", got.body);
            (got.raw.len(), got.body)
        }
    };
    let (full, _) = report(result).await;
    assert!(full > 300, "the report is {full} bytes");

    // A report larger than the profile allows is not kept.
    let small = set(&alice, "source:scan.mcp_config", spec(&[], &[], 60, 300)).await;
    let result = run(scan.clone()).await;
    assert_eq!((result["outcome"].as_str(), result["profile_digest"].as_str()), (Some("error"), Some(small.as_str())));
    assert!(result["summary"].as_str().unwrap().contains("max_output_bytes"), "{result}");
    let (_, kept) = report(result).await;
    assert_eq!(kept["findings"], json!([]), "only the refusal is kept: {kept}");
    assert!(kept["summary"].as_str().unwrap().contains("max_output_bytes"), "{kept}");

    // A host outside the profile is never called; nor is a credential
    // outside it read.
    let token = create_credential(&alice, "token", json!({"token": "s3cret-t0ken"})).await;
    let repo_url = format!("{}/acme/api.git", probed.url);
    let repo = create_source(&alice, &project, "scan.repo", json!({"repo_url": repo_url}), Some(&token)).await;
    set(&alice, "source:scan.repo", spec(&["git.example.com"], &["token"], 30, 65536)).await;
    let result = run(repo.clone()).await;
    assert!(result["summary"].as_str().unwrap().contains("egress_not_granted"), "{result}");
    set(&alice, "source:scan.repo", spec(&["endpoint"], &["basic"], 30, 65536)).await;
    let result = run(repo.clone()).await;
    assert!(result["summary"].as_str().unwrap().contains("secret_not_granted"), "{result}");
    assert!(probed.seen.lock().unwrap().is_empty(), "nothing reached");
    let allowed = set(&alice, "source:scan.repo", spec(&["endpoint"], &["token"], 30, 65536)).await;
    let result = run(repo.clone()).await;
    assert_eq!((result["outcome"].as_str(), result["profile_digest"].as_str()), (Some("warn"), Some(allowed.as_str())));
    assert_eq!(probed.seen.lock().unwrap().len(), 1);

    // A run that outlives its profile is stopped: this endpoint accepts
    // the connection and never answers.
    let silent = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let silent_url = format!("http://{}/sync", silent.local_addr().unwrap());
    let fleet = create_source(&alice, &project, "ingest.fleet_sync", json!({"url": silent_url}), Some(&token)).await;
    set(&alice, "source:ingest.fleet_sync", spec(&["endpoint"], &["token"], 1, 65536)).await;
    let result = run(fleet).await;
    assert!(result["summary"].as_str().unwrap().contains("max_run_seconds"), "{result}");
    drop(silent);

    let seen = violations(&alice).await;
    let rules: Vec<(&str, &str, &str)> = seen.iter().map(|(t, c, r)| (t.as_str(), c.as_str(), r.as_str())).collect();
    assert_eq!(
        rules,
        [
            ("source:scan.mcp_config", "source_runner", "max_output_bytes"),
            ("source:scan.repo", "source_runner", "egress_not_granted"),
            ("source:scan.repo", "source_runner", "secret_not_granted"),
            ("source:ingest.fleet_sync", "source_runner", "max_run_seconds"),
        ]
    );
}
