//! The egress gate: an org's policy over where the platform's calls for it
//! go (webhook deliveries, source runners, upstream MCP servers).

use e2e::mcp_upstream::UpstreamServer;
use e2e::{Backend, TestApp, User};
use serde_json::{Value, json};

use crate::mcp::{call, mcp_key};
use crate::mcp_servers::registered;
use crate::sources::{Upstream, create_source};
use crate::webhooks::{Receiver, newest_delivery, webhook_for};

async fn set_policy(owner: &User<'_>, org: &str, body: Value) -> e2e::Resp {
    let set = owner.put(&format!("/v1/orgs/{org}/egress-policy"), body).await;
    assert_eq!(set.status, 200, "{}", set.body);
    set
}

/// The org's egress events with `action`, each as (caller type, target host, rule).
async fn egress_events(owner: &User<'_>, action: &str) -> Vec<(String, String, String)> {
    let listed = owner.get(&format!("/v1/audit?action={action}&limit=100")).await;
    let text = |v: &Value| v.as_str().unwrap_or_default().to_owned();
    listed.body["data"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| (text(&e["metadata"]["caller"]["type"]), text(&e["target"]["id"]), text(&e["metadata"]["rule"])))
        .collect()
}

pub async fn strict_egress_blocks_a_webhook_a_runner_and_an_mcp_upstream_and_audit_mode_lets_them_through_flagged(
    backend: Backend,
) {
    let (store, dir) = e2e::fresh_store(backend).await;
    let app = TestApp::configured(backend, store, dir, |state| state.with_local_webhooks(true)).await;
    let owner = app.user("olivia");
    let org = owner.create_org("Acme").await;
    let project = owner.create_project("shop").await;
    let receiver = Receiver::start(&[]).await;
    let (webhook, _) = webhook_for(&owner, &project, &receiver.url, json!(["*"])).await;
    let probed = Upstream::start().await;
    let repo_url = format!("{}/acme/api.git", probed.url);
    let repo = create_source(&owner, &project, "scan.repo", json!({ "repo_url": repo_url }), None).await;
    // Registered and discovered before any policy: the gateway then
    // offers its tools.
    let upstream = UpstreamServer::spawn().await;
    registered(&app, &owner, &project, "docs", &upstream).await;
    let (_, agent_key) = mcp_key(&owner, &project, &["mcp:tool:docs__search"]).await;

    let policy = owner.get(&format!("/v1/orgs/{org}/egress-policy")).await;
    assert_eq!((policy.body["mode"].as_str(), policy.body["version"].as_u64()), (Some("off"), Some(0)));
    let strict = set_policy(&owner, &org, json!({"mode": "strict", "allow": ["*.example.com"]})).await;
    assert_eq!(strict.body["allow"], json!(["*.example.com"]));

    // The webhook: never connected, the attempt says why.
    assert_eq!(owner.post(&format!("/v1/webhooks/{webhook}/test"), json!({})).await.status, 202);
    app.run_jobs().await;
    assert!(receiver.requests().is_empty(), "the receiver was never called");
    let attempt = &newest_delivery(&owner, &webhook).await["attempts"][0];
    assert!(attempt["error"].as_str().unwrap().contains("egress blocked"), "{attempt}");
    // The runner: an error that says why, and no request.
    let run = owner.post(&format!("/v1/sources/{repo}/run"), json!({})).await;
    app.run_jobs().await;
    let ran = owner.get(&format!("/v1/jobs/{}", run.id())).await;
    assert_eq!(ran.body["result"]["outcome"], "error", "{}", ran.body);
    assert!(ran.body["result"]["summary"].as_str().unwrap().contains("egress blocked"), "{}", ran.body);
    assert!(probed.seen.lock().unwrap().is_empty(), "the probe never connected");
    // The MCP upstream: the tool call fails, the upstream never hears of it.
    let refused = call(&app, &agent_key, "docs__search", json!({"q": "rust"})).await;
    assert_eq!(refused["result"]["isError"], true, "{refused}");
    assert!(refused.to_string().contains("egress blocked"), "{refused}");
    assert!(upstream.calls().is_empty(), "nothing forwarded");

    let mut blocked = egress_events(&owner, "egress.blocked").await;
    blocked.sort();
    blocked.dedup_by(|a, b| a.0 == b.0);
    let rule = "not_allowed".to_owned();
    let host = "127.0.0.1".to_owned();
    assert_eq!(
        blocked,
        [
            ("mcp_upstream".into(), host.clone(), rule.clone()),
            ("source_runner".into(), host.clone(), rule.clone()),
            ("webhook".into(), host.clone(), rule.clone()),
        ]
    );

    // Audit mode: the calls go out, and each is flagged.
    set_policy(&owner, &org, json!({"mode": "audit"})).await;
    assert_eq!(owner.post(&format!("/v1/webhooks/{webhook}/test"), json!({})).await.status, 202);
    app.run_jobs().await;
    // The new test delivery went out (the blocked one may have been retried
    // too, if its retry fell due meanwhile on a slow machine).
    assert_eq!(newest_delivery(&owner, &webhook).await["status"], "succeeded");
    assert!(!receiver.requests().is_empty(), "delivered");
    let found = call(&app, &agent_key, "docs__search", json!({"q": "rust"})).await;
    assert_eq!(found["result"]["isError"], false, "{found}");
    let flagged = egress_events(&owner, "egress.flagged").await;
    for caller in ["webhook", "mcp_upstream"] {
        assert!(flagged.iter().any(|(c, h, r)| c == caller && *h == host && *r == rule), "{caller}: {flagged:?}");
    }
    // Allowed by name: neither refused nor recorded.
    set_policy(&owner, &org, json!({"mode": "strict", "allow": ["127.0.0.1"], "deny": ["*.evil.example"]})).await;
    let before =
        egress_events(&owner, "egress.blocked").await.len() + egress_events(&owner, "egress.flagged").await.len();
    assert_eq!(call(&app, &agent_key, "docs__search", json!({"q": "x"})).await["result"]["isError"], false);
    let after =
        egress_events(&owner, "egress.blocked").await.len() + egress_events(&owner, "egress.flagged").await.len();
    assert_eq!(before, after);
}

pub async fn the_egress_policy_is_for_admins_to_change_checks_each_field_and_is_audited(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let owner = app.user("olivia");
    let org = owner.create_org("Acme").await;
    owner.add_member(&org, "dev", "developer").await;
    let path = format!("/v1/orgs/{org}/egress-policy");
    let dev = app.user("dev");
    assert_eq!(dev.get(&path).await.status, 200, "members read it");
    assert_eq!(dev.put(&path, json!({"mode": "strict"})).await.status, 403);

    let wrong = owner
        .put(&path, json!({"mode": "strict", "allow": ["https://x.example.com", "*.com"], "deny": ["a.io", "a.io"]}))
        .await;
    assert_eq!(wrong.status, 422, "{}", wrong.body);
    let fields: Vec<&str> =
        wrong.body["errors"].as_array().unwrap().iter().map(|e| e["field"].as_str().unwrap()).collect();
    assert!(fields.iter().any(|f| f.starts_with("allow")), "{fields:?}");
    let dup = owner.put(&path, json!({"deny": ["a.io", "a.io"]})).await;
    assert_eq!(dup.body["errors"][0]["field"], "deny[1]", "{}", dup.body);
    let no_table = owner.put(&path, json!({"regions": ["eu"]})).await;
    assert_eq!(no_table.body["errors"][0]["field"], "regions", "{}", no_table.body);
    assert_eq!(owner.put(&path, json!({"mode": "sometimes"})).await.status, 422);

    let set = set_policy(&owner, &org, json!({"mode": "audit", "allow": ["API.Example.com"]})).await;
    assert_eq!(set.body["allow"], json!(["api.example.com"]), "kept as hosts are compared");
    let tag = set.header("etag").unwrap().to_owned();
    let stale =
        e2e::send(owner.request(reqwest::Method::PUT, &path).header("if-match", "\"0\"").json(&json!({}))).await;
    assert_eq!(stale.status, 412);
    let current = e2e::send(owner.request(reqwest::Method::PUT, &path).header("if-match", &tag).json(&json!({})));
    assert_eq!(current.await.status, 200);
    let event = &owner.get("/v1/audit?action=egress_policy.updated").await.body["data"];
    let first = &event.as_array().unwrap().last().unwrap()["metadata"]["changes"];
    assert_eq!(first["mode"], json!({"from": "off", "to": "audit"}), "{first}");
}
