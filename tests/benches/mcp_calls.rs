//! How many MCP tool calls one org sustains, each audited and counted,
//! against baselines measured in the same run on the same kind of store:
//!
//! - `REST`: the tool's own route (`GET /v1/projects/{id}`) called directly
//!   by as many keys, so the ratio is what the gateway adds (the door, the
//!   quota read, the call's audit record);
//! - `chained per call`: as many writers each appending one audit event at
//!   a time to the org's chain — the design not taken, where every call
//!   waits its turn on the chain's head.
//!
//! It also times the publisher sealing the calls' events into the chain.
//!
//!     cargo bench -p e2e --bench mcp_calls [-- --calls N]
//!
//! Rows on DynamoDB need the emulator (`AWS_ENDPOINT_URL`); without it only
//! SQLite is measured. Numbers from a shared machine: compare the ratios.

use std::time::Instant;

use controlplane::domain::audit::{AuditEvent, Target, chain, deferred};
use controlplane::domain::ratelimit::{Limits, PlanLimits, Policy};
use e2e::{Backend, TestApp, User, send};
use reqwest::Method;
use serde_json::{Value, json};

const AGENTS: usize = 16;

struct Row {
    backend: &'static str,
    calls: usize,
    failed: usize,
    tool_per_s: f64,
    rest_per_s: f64,
    chained_per_s: f64,
    sealed_per_s: f64,
}

fn per_second(count: usize, started: Instant) -> f64 {
    count as f64 / started.elapsed().as_secs_f64()
}

async fn key(user: &User<'_>, project: &str, key_type: &str, scopes: Value) -> String {
    let body = json!({"project_id": project, "name": "bench", "type": key_type, "scopes": scopes});
    let created = user.post("/v1/keys", body).await;
    assert_eq!(created.status, 201, "{}", created.body);
    created.body["token"].as_str().unwrap().to_owned()
}

/// Runs `AGENTS` clients at once, each making `calls` requests `one`
/// builds; returns how many failed and the requests per second.
async fn concurrently<F, Fut>(calls: usize, one: F) -> (usize, f64)
where
    F: Fn(usize) -> Fut,
    Fut: std::future::Future<Output = bool>,
{
    let started = Instant::now();
    let agents = (0..AGENTS).map(|agent| {
        let one = &one;
        async move {
            let mut failed = 0;
            for _ in 0..calls {
                failed += usize::from(!one(agent).await);
            }
            failed
        }
    });
    let failed = futures_util::future::join_all(agents).await.into_iter().sum();
    (failed, per_second(AGENTS * calls, started))
}

async fn measure(backend: Backend, calls: usize) -> Row {
    let generous = Policy { quota: 1_000_000, window: 60 };
    let limits = Limits::uniform(PlanLimits { org: generous, principal_read: generous, principal_write: generous });
    let app = TestApp::spawn_for_benchmark(backend, limits).await;
    let alice = app.user("alice");
    let org = alice.create_org("Acme").await;
    let project = alice.create_project("bench").await;
    let mut agents = Vec::new();
    let mut clients = Vec::new();
    for _ in 0..AGENTS {
        agents.push(key(&alice, &project, "mcp", json!(["mcp:tool:projects_get"])).await);
        clients.push(key(&alice, &project, "secret", json!(["projects:read"])).await);
    }
    let message = json!({"jsonrpc": "2.0", "id": 1, "method": "tools/call",
        "params": {"name": "projects_get", "arguments": {"project_id": project}}});

    let (failed, tool_per_s) = concurrently(calls, |agent| {
        let request = app
            .request(Method::POST, "/mcp")
            .bearer_auth(&agents[agent])
            .header("accept", "application/json, text/event-stream")
            .header("mcp-protocol-version", "2025-11-25")
            .json(&message);
        async move {
            let answer = send(request).await;
            answer.status == 200 && answer.body["result"]["isError"] == false
        }
    })
    .await;
    let path = format!("/v1/projects/{project}");
    let (rest_failed, rest_per_s) = concurrently(calls, |client| {
        let request = app.request(Method::GET, &path).bearer_auth(&clients[client]);
        async move { send(request).await.status == 200 }
    })
    .await;
    assert_eq!(rest_failed, 0, "the REST baseline failed");

    let started = Instant::now();
    app.publisher.sweep(std::time::Duration::ZERO, chrono::Utc::now()).await.expect("seal");
    let sealed_per_s = per_second(AGENTS * calls, started);
    let left = deferred::due_orgs(app.store.as_ref(), chrono::Utc::now()).await.expect("pending records");
    assert!(left.is_empty(), "every call's event is sealed");

    let org_id = controlplane::OrgId::parse(&org).expect("an org id");
    let (chain_failed, chained_per_s) = concurrently(calls, |_| {
        let target = Target { kind: "mcp_tool".into(), id: "projects_get".into() };
        let event = AuditEvent::by_system(&org_id, "bench", "trace", "mcp.call", target, json!({}));
        let store = app.store.clone();
        async move { chain::commit(store.as_ref(), vec![], vec![event]).await.is_ok() }
    })
    .await;
    let verified = alice.get("/v1/audit/verify").await;
    assert_eq!(verified.body["ok"], true, "{}", verified.body);
    Row {
        backend: match backend {
            Backend::Sqlite => "SQLite",
            Backend::Dynamodb => "DynamoDB (emulator)",
        },
        calls: AGENTS * calls,
        failed: failed + chain_failed,
        tool_per_s,
        rest_per_s,
        chained_per_s,
        sealed_per_s,
    }
}

#[tokio::main]
async fn main() {
    let args: Vec<String> = std::env::args().collect();
    let calls = args
        .iter()
        .position(|a| a == "--calls")
        .and_then(|at| args.get(at + 1))
        .and_then(|n| n.parse().ok())
        .unwrap_or(50);
    let mut rows = vec![measure(Backend::Sqlite, calls).await];
    if std::env::var_os("AWS_ENDPOINT_URL").is_some() {
        rows.push(measure(Backend::Dynamodb, calls.div_ceil(5)).await);
    }
    println!(
        "| store | agents | calls | failed | tool calls/s | REST reads/s | tool ÷ REST | chained one by one, events/s | tool calls ÷ chained | sealed in batches, events/s | sealed ÷ chained |"
    );
    println!("|---|---|---|---|---|---|---|---|---|---|---|");
    for r in rows {
        println!(
            "| {} | {AGENTS} | {} | {} | {:.0} | {:.0} | {:.2} | {:.0} | {:.2} | {:.0} | {:.2} |",
            r.backend,
            r.calls,
            r.failed,
            r.tool_per_s,
            r.rest_per_s,
            r.tool_per_s / r.rest_per_s,
            r.chained_per_s,
            r.tool_per_s / r.chained_per_s,
            r.sealed_per_s,
            r.sealed_per_s / r.chained_per_s,
        );
    }
}
