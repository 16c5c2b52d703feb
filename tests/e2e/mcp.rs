//! The MCP gateway at `/mcp`, spoken to as JSON-RPC over HTTP the way a
//! streamable-HTTP client does (the official Python SDK's client runs
//! against it too: tests/mcp/).

use e2e::{Backend, Resp, TestApp, User, send};
use reqwest::Method;
use serde_json::{Map, Value, json};

const PROTOCOL: &str = "2025-11-25";

/// Creates an `mcp` key on `project` with `scopes`; returns its id and token.
pub async fn mcp_key(user: &User<'_>, project: &str, scopes: &[&str]) -> (String, String) {
    let created =
        user.post("/v1/keys", json!({"project_id": project, "name": "agent", "type": "mcp", "scopes": scopes})).await;
    assert_eq!(created.status, 201, "{}", created.body);
    (created.id(), created.body["token"].as_str().unwrap().to_owned())
}

/// One JSON-RPC request to the gateway with `credential` as the bearer.
pub async fn rpc(app: &TestApp, credential: &str, method: &str, params: Value) -> Resp {
    let body = json!({"jsonrpc": "2.0", "id": 1, "method": method, "params": params});
    send(
        app.request(Method::POST, "/mcp")
            .bearer_auth(credential)
            .header("accept", "application/json, text/event-stream")
            .header("mcp-protocol-version", PROTOCOL)
            .json(&body),
    )
    .await
}

pub async fn tool_names(app: &TestApp, key: &str) -> Vec<String> {
    let listed = rpc(app, key, "tools/list", json!({})).await;
    assert_eq!(listed.status, 200, "{}", listed.body);
    listed.body["result"]["tools"].as_array().unwrap().iter().map(|t| t["name"].as_str().unwrap().to_owned()).collect()
}

pub async fn call(app: &TestApp, key: &str, tool: &str, arguments: Value) -> Value {
    let called = rpc(app, key, "tools/call", json!({"name": tool, "arguments": arguments})).await;
    assert_eq!(called.status, 200, "{}", called.body);
    called.body
}

pub async fn an_mcp_key_sees_and_calls_exactly_the_tools_its_scopes_grant(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let alice = app.user("alice");
    alice.create_org("Acme").await;
    let project = alice.create_project("checkout").await;
    let (_, key) = mcp_key(&alice, &project, &["mcp:tool:projects_get", "mcp:tool:jobs_list"]).await;

    let client =
        json!({"protocolVersion": PROTOCOL, "capabilities": {}, "clientInfo": {"name": "e2e", "version": "1"}});
    let init = rpc(&app, &key, "initialize", client).await;
    assert_eq!(init.status, 200, "{}", init.body);
    assert_eq!(init.body["result"]["protocolVersion"], PROTOCOL);
    assert_eq!(init.body["result"]["serverInfo"]["name"], "controlplane");
    assert!(init.body["result"]["capabilities"]["tools"].is_object());
    assert!(init.header("mcp-session-id").is_none(), "stateless: no session to keep");
    assert_eq!(rpc(&app, &key, "ping", json!({})).await.body["result"], json!({}));

    assert_eq!(tool_names(&app, &key).await, ["projects_get", "jobs_list"]);
    let got = call(&app, &key, "projects_get", json!({"project_id": project})).await;
    assert_eq!(got["result"]["isError"], false, "{got}");
    assert_eq!(got["result"]["structuredContent"]["id"], project.as_str());
    let jobs = call(&app, &key, "jobs_list", json!({"project_id": project, "limit": 5})).await;
    assert_eq!(jobs["result"]["structuredContent"]["data"][0]["type"], "provision_project", "{jobs}");

    // A tool outside the scopes is refused exactly like one that does not exist.
    let hidden = call(&app, &key, "jobs_retry", json!({"job_id": "job_x"})).await;
    let missing = call(&app, &key, "no_such_tool", json!({})).await;
    assert_eq!(hidden["error"]["code"], -32602, "{hidden}");
    assert_eq!(hidden["error"]["message"], "unknown tool `jobs_retry`");
    assert_eq!(missing["error"]["message"], "unknown tool `no_such_tool`");
    assert_eq!(hidden["error"].as_object().map(Map::len), missing["error"].as_object().map(Map::len));
}

pub async fn a_tool_failure_is_a_result_carrying_the_routes_problem(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let alice = app.user("alice");
    alice.create_org("Acme").await;
    let project = alice.create_project("checkout").await;
    let (_, key) = mcp_key(&alice, &project, &["mcp:*"]).await;

    let missing = call(&app, &key, "jobs_get", json!({"job_id": "job_01jh3v5d2k8q9w6x7y8z9a0b1c"})).await;
    assert_eq!(missing["result"]["isError"], true, "{missing}");
    assert_eq!(missing["result"]["structuredContent"]["status"], 404);
    let text = missing["result"]["content"][0]["text"].as_str().unwrap();
    assert!(text.contains("not_found") && text.contains("job"), "{text}");

    let invalid = call(&app, &key, "jobs_list", json!({"limit": "many"})).await;
    assert_eq!(invalid["result"]["structuredContent"]["errors"][0]["field"], "limit", "{invalid}");
    let unknown = call(&app, &key, "jobs_get", json!({"job_id": "job_x", "verbose": true})).await;
    assert_eq!(unknown["result"]["structuredContent"]["errors"][0]["field"], "verbose", "{unknown}");
    let absent = call(&app, &key, "jobs_get", json!({})).await;
    assert_eq!(absent["result"]["structuredContent"]["errors"][0]["field"], "job_id", "{absent}");

    // A cancelled job cannot be cancelled again: the route's 409, as a
    // result. An Idempotency-Key on the JSON-RPC message is no REST key:
    // the second message runs, it is not the first one's replay.
    let job = alice.get(&format!("/v1/jobs?project_id={project}")).await.data_ids().remove(0);
    let cancel = json!({"jsonrpc": "2.0", "id": 7, "method": "tools/call",
        "params": {"name": "jobs_cancel", "arguments": {"job_id": job}}});
    let keyed = || {
        send(
            app.request(Method::POST, "/mcp")
                .bearer_auth(&key)
                .header("accept", "application/json, text/event-stream")
                .header("mcp-protocol-version", PROTOCOL)
                .header("idempotency-key", "same-message")
                .json(&cancel),
        )
    };
    let cancelled = keyed().await.body;
    assert_eq!(cancelled["result"]["structuredContent"]["status"], "cancelled", "{cancelled}");
    let again = keyed().await;
    assert_eq!(again.header("idempotent-replayed"), None);
    assert_eq!(again.body["result"]["structuredContent"]["code"], "job_not_pending", "{}", again.body);
    let audit = alice.get("/v1/audit?action=job.cancelled").await;
    assert_eq!(audit.body["data"].as_array().unwrap().len(), 1, "{}", audit.body);
    assert_eq!(audit.body["data"][0]["actor"]["type"], "key", "{}", audit.body);
}

pub async fn a_tool_call_is_confined_to_the_keys_project_and_its_creators_role(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let owner = app.user("olivia");
    let org = owner.create_org("Acme").await;
    let other = owner.create_project("other").await;
    owner.add_member(&org, "dev", "developer").await;
    let dev = app.user("dev");
    let project = dev.create_project("checkout").await;
    let every = [
        "projects_list",
        "projects_get",
        "jobs_list",
        "jobs_get",
        "jobs_retry",
        "jobs_cancel",
        "usage_get",
        "schedules_list",
    ];
    let scopes: Vec<String> = every.iter().map(|t| format!("mcp:tool:{t}")).collect();
    let (_, key) = mcp_key(&dev, &project, &scopes.iter().map(String::as_str).collect::<Vec<_>>()).await;
    assert_eq!(tool_names(&app, &key).await, every);

    let outside = call(&app, &key, "projects_get", json!({"project_id": other})).await;
    assert_eq!(outside["result"]["structuredContent"]["code"], "outside_key_scope", "{outside}");
    let denied = owner.get("/v1/audit?action=access.denied").await;
    let denied = &denied.body["data"][0];
    assert_eq!(denied["target"], json!({"type": "project", "id": other}), "the refused tool call is audited");
    assert_eq!(denied["metadata"]["request"], "MCP tools/call projects_get");
    assert_eq!(denied["actor"]["type"], "key");
    let listed = call(&app, &key, "projects_list", json!({})).await;
    let ids: Vec<&str> = listed["result"]["structuredContent"]["data"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["id"].as_str().unwrap())
        .collect();
    assert_eq!(ids, [project.as_str()], "a key lists its own project only");

    // Demoted to viewer, the creator no longer holds jobs:manage: the
    // write tools vanish for the key from the next request on.
    let demoted = owner.request(Method::PATCH, &format!("/v1/orgs/{org}/members/dev")).json(&json!({"role": "viewer"}));
    assert_eq!(send(demoted).await.status, 200);
    let left = ["projects_list", "projects_get", "jobs_list", "jobs_get", "usage_get", "schedules_list"];
    assert_eq!(tool_names(&app, &key).await, left);
    let refused = call(&app, &key, "jobs_cancel", json!({"job_id": "job_x"})).await;
    assert_eq!(refused["error"]["message"], "unknown tool `jobs_cancel`", "{refused}");
}

pub async fn the_gateway_takes_only_a_live_mcp_key_and_an_mcp_key_holds_nothing_on_rest(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let owner = app.user("olivia");
    let org = owner.create_org("Acme").await;
    let project = owner.create_project("checkout").await;
    let (id, key) = mcp_key(&owner, &project, &["mcp:*"]).await;
    let secret =
        owner.post("/v1/keys", json!({"project_id": project, "name": "s", "type": "secret", "scopes": ["*"]})).await;
    let secret = secret.body["token"].as_str().unwrap().to_owned();

    for (credential, code) in [(owner.token.clone().unwrap(), "mcp_key_required"), (secret, "mcp_key_required")] {
        let refused = rpc(&app, &credential, "tools/list", json!({})).await;
        assert_eq!((refused.status, refused.problem_code()), (401, code));
        assert_eq!(refused.header("www-authenticate"), Some("Bearer"));
    }
    let bare =
        send(app.request(Method::POST, "/mcp").json(&json!({"jsonrpc": "2.0", "id": 1, "method": "ping"}))).await;
    assert_eq!((bare.status, bare.problem_code()), (401, "missing_credentials"));
    let get = send(app.request(Method::GET, "/mcp").header("accept", "text/event-stream")).await;
    assert_eq!(get.status, 401, "authentication comes before anything else");
    let get = send(app.request(Method::GET, "/mcp").bearer_auth(&key).header("accept", "text/event-stream")).await;
    assert_eq!((get.status, get.problem_code()), (405, "method_not_allowed"), "stateless: no event stream to open");

    let on_rest = User { app: &app, token: Some(key.clone()), org: None };
    let refused = on_rest.get(&format!("/v1/projects/{project}")).await;
    assert_eq!((refused.status, refused.problem_code()), (403, "forbidden"), "{}", refused.body);

    let listed = rpc(&app, &key, "tools/list", json!({})).await;
    assert!(listed.header("ratelimit").is_some() && listed.header("ratelimit-policy").is_some());
    let usage = owner.get(&format!("/v1/keys/{id}/usage")).await;
    // Counted like REST requests: the GET at the gateway, the REST read, the list.
    assert_eq!(usage.body["days"][0]["read"], 3, "{}", usage.body);

    let disabled = send(owner.request(Method::PATCH, &format!("/v1/keys/{id}")).json(&json!({"enabled": false}))).await;
    assert_eq!(disabled.status, 200, "{}", disabled.body);
    let refused = rpc(&app, &key, "tools/list", json!({})).await;
    assert_eq!((refused.status, refused.problem_code()), (401, "key_disabled"));
    send(owner.request(Method::PATCH, &format!("/v1/keys/{id}")).json(&json!({"enabled": true}))).await;
    assert_eq!(owner.delete(&format!("/v1/keys/{id}/revoke")).await.status, 200);
    let refused = rpc(&app, &key, "tools/list", json!({})).await;
    assert_eq!((refused.status, refused.problem_code()), (401, "key_revoked"));
    let _ = org;
}

pub async fn minting_an_mcp_key_needs_the_permissions_of_the_tools_it_grants(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let owner = app.user("olivia");
    let org = owner.create_org("Acme").await;
    let project = owner.create_project("checkout").await;
    let roles = owner.get(&format!("/v1/orgs/{org}/roles")).await;
    let mut map: Map<String, Value> = roles.body["roles"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| (r["name"].as_str().unwrap().to_owned(), r["permissions"].clone()))
        .collect();
    map.insert("reader".into(), json!(["org:read", "keys:manage", "jobs:read"]));
    assert_eq!(owner.put(&format!("/v1/orgs/{org}/roles"), json!({"roles": map})).await.status, 200);
    owner.add_member(&org, "rita", "reader").await;
    let rita = app.user("rita");

    let body = |scopes: &[&str]| json!({"project_id": project, "name": "agent", "type": "mcp", "scopes": scopes});
    let refused = rita.post("/v1/keys", body(&["mcp:tool:jobs_retry"])).await;
    assert_eq!((refused.status, refused.problem_code()), (403, "exceeds_your_permissions"), "{}", refused.body);
    assert_eq!(rita.post("/v1/keys", body(&["mcp:*"])).await.status, 403);
    assert_eq!(rita.post("/v1/keys", body(&["mcp:tool:jobs_get", "mcp:tool:jobs_list"])).await.status, 201);
    // A registered server's tool needs `mcp:use`, which the reader lacks.
    let upstream = rita.post("/v1/keys", body(&["mcp:tool:docs__search"])).await;
    assert_eq!((upstream.status, upstream.problem_code()), (403, "exceeds_your_permissions"), "{}", upstream.body);
    assert!(upstream.body["detail"].as_str().unwrap().contains("`mcp:use`"), "{}", upstream.body);
    // A developer lacks audit:read, so not every tool: no `mcp:*` either.
    owner.add_member(&org, "dev", "developer").await;
    let refused = app.user("dev").post("/v1/keys", body(&["mcp:*"])).await;
    assert_eq!((refused.status, refused.problem_code()), (403, "exceeds_your_permissions"));
}

pub async fn the_usage_schedule_and_audit_tools_answer_as_their_routes(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let owner = app.user("olivia");
    owner.create_org("Acme").await;
    let project = owner.create_project("checkout").await;
    let (_, key) = mcp_key(&owner, &project, &["mcp:*"]).await;
    assert_eq!(tool_names(&app, &key).await.len(), controlplane::domain::mcp::BUILTIN_TOOLS.len());

    let usage = call(&app, &key, "usage_get", json!({"project_id": project, "period": "month"})).await;
    assert_eq!(usage["result"]["structuredContent"]["project_id"], project.as_str(), "{usage}");
    assert_eq!(usage["result"]["structuredContent"]["period"], "month");
    let schedules = call(&app, &key, "schedules_list", json!({})).await;
    assert_eq!(schedules["result"]["structuredContent"]["data"], json!([]), "{schedules}");

    let events = call(&app, &key, "audit_query", json!({"action": "project.created"})).await;
    let data = &events["result"]["structuredContent"]["data"];
    assert_eq!(data.as_array().map(Vec::len), Some(1), "{events}");
    assert_eq!(data[0]["target"]["id"], project.as_str());
    let csv = call(&app, &key, "audit_query", json!({"action": "project.created", "format": "csv"})).await;
    let csv = &csv["result"]["structuredContent"];
    assert!(csv["content_type"].as_str().unwrap().starts_with("text/csv"), "{csv}");
    assert!(csv["text"].as_str().unwrap().contains("project.created"), "{csv}");
    // The chain is the org's: its route verifies it for members only, and
    // says so to a key as it does on REST.
    let verified = call(&app, &key, "audit_verify", json!({})).await;
    assert_eq!(verified["result"]["structuredContent"]["code"], "outside_key_scope", "{verified}");
    let rest = owner.get("/v1/audit/verify").await;
    assert_eq!(rest.body["ok"], true, "{}", rest.body);
}

pub async fn a_source_runs_once_per_call_id_and_its_evidence_is_read_through_tools(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let alice = app.user("alice");
    alice.create_org("Acme").await;
    let project = alice.create_project("shop").await;
    let config = json!({"document": crate::sources::MCP_CONFIG});
    let source = crate::sources::create_source(&alice, &project, "scan.mcp_config", config.clone(), None).await;
    let other = crate::sources::create_source(&alice, &project, "scan.mcp_config", config, None).await;
    let (_, key) = mcp_key(&alice, &project, &["mcp:*"]).await;

    let listed = call(&app, &key, "sources_list", json!({"kind": "scan.mcp_config", "limit": 1})).await;
    let page = &listed["result"]["structuredContent"];
    assert_eq!(page["data"].as_array().map(Vec::len), Some(1), "{listed}");
    assert!(page["next_cursor"].is_string(), "{listed}");
    let bad_kind = call(&app, &key, "sources_list", json!({"kind": "scan.nothing"})).await;
    assert_eq!(bad_kind["result"]["structuredContent"]["errors"][0]["field"], "kind", "{bad_kind}");

    let run =
        |source: &str, call_id: &str| call(&app, &key, "sources_run", json!({"source_id": source, "call_id": call_id}));
    let first = run(&source, "agent-call-1").await;
    let job = first["result"]["structuredContent"]["id"].as_str().expect("a job").to_owned();
    assert_eq!(first["result"]["structuredContent"]["type"], "run_source", "{first}");
    let again = run(&source, "agent-call-1").await;
    assert_eq!(again["result"]["structuredContent"]["id"], job.as_str(), "a retried call is the first call: {again}");
    let reused = run(&other, "agent-call-1").await;
    assert_eq!(reused["result"]["isError"], true, "{reused}");
    assert_eq!(reused["result"]["structuredContent"]["errors"][0]["field"], "call_id", "{reused}");
    assert_eq!(alice.get(&format!("/v1/sources/{source}/jobs")).await.data_ids(), [job.as_str()], "one run");
    app.run_jobs().await;

    let evidence = call(&app, &key, "evidence_list", json!({"source_id": source})).await;
    let item = &evidence["result"]["structuredContent"]["data"][0];
    assert_eq!(item["job_id"], job.as_str(), "{evidence}");
    let id = item["id"].as_str().unwrap();
    let report = call(&app, &key, "evidence_get", json!({"source_id": source, "evidence_id": id})).await;
    let findings = report["result"]["structuredContent"]["findings"].as_array().expect("the report's findings");
    assert!(findings.iter().any(|f| f["rule"] == "mcp.inline_secret"), "{report}");
    let rest = alice.get(&format!("/v1/sources/{source}/evidence/{id}")).await;
    assert_eq!(report["result"]["structuredContent"], rest.body, "the tool answers as the route");
}

/// The org's `mcp.call` events, oldest first, once the publisher sealed them.
pub async fn sealed_calls(app: &TestApp, owner: &User<'_>) -> Vec<Value> {
    app.publish_and_deliver().await;
    let listed = owner.get("/v1/audit?action=mcp.call&limit=200").await;
    assert_eq!(listed.status, 200, "{}", listed.body);
    let mut events = listed.body["data"].as_array().unwrap().clone();
    events.reverse();
    events
}

pub async fn every_tool_call_is_audited_and_counted_and_the_quota_refuses_past_it(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let alice = app.user("alice");
    alice.create_org("Acme").await;
    let project = alice.create_project("checkout").await;
    let (key_id, key) = mcp_key(&alice, &project, &["mcp:tool:projects_get", "mcp:tool:jobs_get"]).await;

    let secret_looking = "job_01jh3v5d2k8q9w6x7y8z9a0b1c";
    let body = json!({"jsonrpc": "2.0", "id": 1, "method": "tools/call",
        "params": {"name": "projects_get", "arguments": {"project_id": project}}});
    let traced = send(
        app.request(Method::POST, "/mcp")
            .bearer_auth(&key)
            .header("accept", "application/json, text/event-stream")
            .header("mcp-protocol-version", PROTOCOL)
            .json(&body),
    )
    .await;
    assert_eq!(traced.body["result"]["isError"], false, "{}", traced.body);
    let trace_id = traced.header("x-request-id").expect("a request id").to_owned();
    let missing = call(&app, &key, "jobs_get", json!({"job_id": secret_looking})).await;
    assert_eq!(missing["result"]["isError"], true);
    let hidden = call(&app, &key, "jobs_cancel", json!({"job_id": secret_looking})).await;
    assert_eq!(hidden["error"]["code"], -32602);
    // Listing is not a call: not audited.
    tool_names(&app, &key).await;

    let events = sealed_calls(&app, &alice).await;
    let outcomes: Vec<(&str, &str)> = events
        .iter()
        .map(|e| (e["metadata"]["tool"].as_str().unwrap(), e["metadata"]["outcome"].as_str().unwrap()))
        .collect();
    assert_eq!(outcomes, [("projects_get", "ok"), ("jobs_get", "error"), ("jobs_cancel", "unknown_tool")]);
    let first = &events[0];
    assert_eq!((first["actor"]["type"].as_str(), first["actor"]["id"].as_str()), (Some("key"), Some(key_id.as_str())));
    assert_eq!(first["target"], json!({"type": "mcp_tool", "id": "projects_get"}));
    assert_eq!(first["project_id"], project.as_str());
    assert_eq!(first["request_id"], trace_id.as_str(), "the event carries the call's trace id");
    assert_eq!(first["metadata"]["server"], "controlplane");
    assert_eq!(first["metadata"]["arguments"], json!(["project_id"]));
    assert!(first["metadata"]["duration_ms"].is_u64());
    assert_eq!(events[1]["metadata"]["error_code"], "not_found");
    assert!(!events.iter().any(|e| e.to_string().contains(secret_looking)), "argument values are never kept");
    let verified = alice.get("/v1/audit/verify").await;
    assert_eq!(verified.body["ok"], true, "the sealed calls are links of the chain: {}", verified.body);

    // The calls that ran count in `mcp_calls`; past the quota, a call is a
    // 429 tool error, audited but not counted.
    let usage = alice.get(&format!("/v1/usage/{project}?period=month&service=mcp_calls")).await;
    assert_eq!(usage.body["data"][0]["amount"], 2, "{}", usage.body);
    let quota = json!({"services": {"mcp_calls": {"enabled": true, "monthly_limit": 2}}});
    assert_eq!(alice.put(&format!("/v1/quotas/{project}"), quota).await.status, 200);
    let refused = call(&app, &key, "projects_get", json!({"project_id": project})).await;
    assert_eq!(refused["result"]["isError"], true, "{refused}");
    let problem = &refused["result"]["structuredContent"];
    assert_eq!((problem["status"].as_u64(), problem["code"].as_str()), (Some(429), Some("quota_exceeded")));
    let events = sealed_calls(&app, &alice).await;
    assert_eq!(events.last().unwrap()["metadata"]["outcome"], "quota_exceeded");
    let usage = alice.get(&format!("/v1/usage/{project}?period=month&service=mcp_calls")).await;
    assert_eq!(usage.body["data"][0]["amount"], 2, "{}", usage.body);
}

pub async fn sixteen_agents_of_one_org_call_at_once_without_a_failed_call(backend: Backend) {
    const AGENTS: usize = 16;
    const CALLS: usize = 5;
    let app = TestApp::spawn(backend).await;
    let alice = app.user("alice");
    alice.create_org("Acme").await;
    let project = alice.create_project("checkout").await;
    let mut keys = Vec::new();
    for _ in 0..AGENTS {
        keys.push(mcp_key(&alice, &project, &["mcp:tool:projects_get"]).await.1);
    }
    let agents = keys.iter().map(|key| {
        let (app, project) = (&app, &project);
        async move {
            for _ in 0..CALLS {
                let called = call(app, key, "projects_get", json!({"project_id": project})).await;
                assert_eq!(called["result"]["isError"], false, "{called}");
            }
        }
    });
    futures_util::future::join_all(agents).await;

    let events = sealed_calls(&app, &alice).await;
    assert_eq!(events.len(), AGENTS * CALLS);
    assert!(events.iter().all(|e| e["metadata"]["outcome"] == "ok"));
    let verified = alice.get("/v1/audit/verify").await;
    assert_eq!(verified.body["ok"], true, "{}", verified.body);
    let usage = alice.get(&format!("/v1/usage/{project}?period=month&service=mcp_calls")).await;
    assert_eq!(usage.body["data"][0]["amount"], AGENTS * CALLS, "{}", usage.body);
}
