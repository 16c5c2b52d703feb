//! The golden PII set (`tests/golden/pii/`) through every surface data
//! minimization guards, as each is wired: audit metadata (a request's
//! event, and a system event chained into a store), the MCP gateway's call
//! record, evidence reports, the delivery log's excerpt, problem details
//! and field errors, and log lines. Per surface and kind: every planted
//! token gone (recall), every near-miss kept as it was (precision).

use std::collections::BTreeMap;
use std::sync::Arc;

use serde_json::{Value, json};

use crate::base::rbac::{RoleName, RoleSet};
use crate::base::redact::{Kind, Redactor, Strategy};
use crate::base::request::RequestMeta;
use crate::base::tenant::{Authority, OrgId, Principal, TenantContext, TenantId};
use crate::base::user::UserId;
use crate::domain::audit::{AuditEvent, Target, chain};
use crate::domain::mcp::{Outcome, ToolCall};
use crate::domain::minimize::{DataPolicy, EditDataPolicy};
use crate::domain::worker::runner::{Finding, Report, Severity};
use crate::edge::error::ApiError;
use crate::ports::store::Store;

struct Sample {
    id: String,
    text: String,
    tokens: Vec<(String, String)>,
    /// The kind a near-miss imitates (none for the product's own values).
    near_miss: Option<String>,
}

fn samples() -> Vec<Sample> {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/../tests/golden/pii/samples.jsonl");
    std::fs::read_to_string(path)
        .expect("the golden set")
        .lines()
        .map(|line| {
            let v: Value = serde_json::from_str(line).expect("a sample");
            let tokens = v["tokens"]
                .as_array()
                .expect("tokens")
                .iter()
                .map(|t| (t["kind"].as_str().unwrap().to_owned(), t["value"].as_str().unwrap().to_owned()))
                .collect();
            Sample {
                id: v["id"].as_str().unwrap().into(),
                text: v["text"].as_str().unwrap().into(),
                tokens,
                near_miss: v["near_miss"].as_str().map(str::to_owned),
            }
        })
        .collect()
}

/// The forms a value takes in what a surface writes: as it is, and
/// escaped inside a JSON string.
fn forms(value: &str) -> [String; 2] {
    let escaped = serde_json::to_string(value).expect("a string");
    [value.to_owned(), escaped[1..escaped.len() - 1].to_owned()]
}

#[derive(Default)]
struct Tally {
    planted: u32,
    removed: u32,
    near_misses: u32,
    kept: u32,
}

/// One surface: what it writes for a sample, under `policy`.
type Surface<'a> = Box<dyn Fn(&Sample) -> String + 'a>;

fn context(org: &OrgId, redactor: Arc<Redactor>) -> TenantContext {
    let user = UserId::parse("usr_golden").unwrap();
    let meta =
        RequestMeta { request_id: "req_golden".into(), request_line: "PUT /v1/x".into(), ip: None, user_agent: None };
    TenantContext::new(
        TenantId::acting_for(org),
        Principal::User { id: user.clone(), email: None },
        Authority::Member { user, role: RoleName::owner() },
        (RoleSet::default(), 0),
        meta,
    )
    .with_redactor(redactor)
}

#[tokio::test]
async fn every_surface_removes_every_planted_token_and_keeps_every_near_miss() {
    crate::base::redact::install_platform_key(b"golden test secret");
    let org = OrgId::generate();
    // An org that hashes some kinds and drops others: every strategy runs.
    let edit = EditDataPolicy {
        strategies: Some(BTreeMap::from([
            (Kind::Email, Strategy::Hash),
            (Kind::Phone, Strategy::Hash),
            (Kind::Iban, Strategy::Drop),
        ])),
        ..Default::default()
    };
    let policy = DataPolicy::for_new_org().edited(edit, crate::now()).unwrap();
    let redactor = policy.redactor(&org, 7);
    let ctx = context(&org, Arc::clone(&redactor));
    let samples = samples();

    // The chained surface writes through a store: every sample's system
    // event, committed in batches, read back as stored.
    let dir = tempfile::tempdir().unwrap();
    let store = crate::ports::store::sqlite::SqliteStore::open(&dir.path().join("golden.db")).unwrap();
    let tenant = TenantId::acting_for(&org);
    store.transact(vec![crate::ports::store::WriteOp::put(policy.item(&tenant, 7).unwrap())]).await.unwrap();
    for batch in samples.chunks(20) {
        let events = batch
            .iter()
            .map(|s| {
                let target = Target { kind: "source".into(), id: s.id.clone() };
                AuditEvent::by_system(
                    &org,
                    "golden",
                    "trace",
                    "source.run.completed",
                    target,
                    json!({"summary": s.text}),
                )
            })
            .collect();
        chain::commit(&store, Vec::new(), events).await.unwrap();
    }
    let stored: BTreeMap<String, String> = crate::ports::store::all_from(
        &store,
        AuditEvent::query(&tenant),
        store.query(&AuditEvent::query(&tenant)).await.unwrap(),
    )
    .await
    .unwrap()
    .iter()
    .map(|item| {
        let event: AuditEvent = item.parse().unwrap();
        (event.target.id.clone(), event.metadata.to_string())
    })
    .collect();

    let surfaces: Vec<(&str, Surface)> = vec![
        (
            "audit metadata",
            Box::new(|s| {
                let diff = crate::domain::audit::diff(&[("description", Value::Null, json!(s.text))]);
                AuditEvent::new(&ctx, "project.updated", "project", "prj_1", diff).metadata.to_string()
            }),
        ),
        ("chained event", Box::new(|s| stored[&s.id].clone())),
        (
            "mcp call record",
            Box::new(|s| {
                let call = ToolCall {
                    tool: "acme__search",
                    server: "acme",
                    arguments: vec![s.text.as_str()],
                    called_at: crate::now(),
                    duration_ms: 1,
                    outcome: Outcome::Ok,
                    flags: Vec::new(),
                    profile_digest: None,
                };
                call.event(&ctx).0.metadata.to_string()
            }),
        ),
        (
            "evidence report",
            Box::new(|s| {
                let report = Report {
                    outcome: crate::domain::source::RunOutcome::Warn,
                    summary: s.text.clone(),
                    findings: vec![Finding::new("rule.x", Severity::High, s.text.clone(), s.text.clone())],
                    details: json!({"response": s.text, "lines": [s.text]}),
                    evidence_kind: "golden",
                }
                .minimized(&redactor);
                json!([report.summary, report.findings[0].message, report.findings[0].location, report.details])
                    .to_string()
            }),
        ),
        ("delivery excerpt", Box::new(|s| crate::domain::webhooks::deliver::excerpt(s.text.as_bytes(), &redactor))),
        (
            "problem detail",
            Box::new(|s| {
                let conflict = ApiError::conflict("exists", format!("{} is taken", s.text)).to_problem();
                let field = ApiError::field(format!("config.{}", s.text), format!("unknown field `{}`", s.text));
                serde_json::to_string(&[conflict, field.to_problem()]).unwrap()
            }),
        ),
        (
            "log line",
            Box::new(|s| {
                let line = json!({"level": "ERROR", "error": format!("lookup failed: {}", s.text), "request_id": "r"});
                super::minimized_line(format!("{line}\n").as_bytes())
            }),
        ),
    ];

    let mut report = String::new();
    let mut failures = Vec::new();
    for (surface, write) in &surfaces {
        let mut tallies: BTreeMap<String, Tally> = BTreeMap::new();
        for sample in &samples {
            let written = write(sample);
            if sample.tokens.is_empty() {
                let kind = sample.near_miss.as_deref().unwrap_or("product ids");
                let tally = tallies.entry(format!("{kind} look-alikes")).or_default();
                tally.near_misses += 1;
                // The gateway's record clips an argument's name.
                let kept = if *surface == "mcp call record" {
                    sample.text.chars().take(crate::domain::mcp::MAX_NAME_CHARS).collect()
                } else {
                    sample.text.clone()
                };
                if forms(&kept).iter().any(|f| written.contains(f.as_str())) {
                    tally.kept += 1;
                } else {
                    failures.push(format!("{surface}: {} changed a near-miss: {written}", sample.id));
                }
                continue;
            }
            for (kind, value) in &sample.tokens {
                let tally = tallies.entry(kind.clone()).or_default();
                tally.planted += 1;
                if forms(value).iter().any(|f| written.contains(f.as_str())) {
                    failures.push(format!("{surface}: {} leaked {kind} {value:?}: {written}", sample.id));
                } else {
                    tally.removed += 1;
                }
            }
        }
        report.push_str(&format!("\n{surface}\n  {:<32} {:>7} {:>8} {:>9}\n", "kind", "samples", "removed", "kept"));
        for (kind, t) in &tallies {
            let pct = |a: u32, b: u32| {
                if b == 0 { "-".to_owned() } else { format!("{:.1}%", f64::from(a) * 100.0 / f64::from(b)) }
            };
            report.push_str(&format!(
                "  {kind:<32} {:>7} {:>8} {:>9}\n",
                t.planted + t.near_misses,
                pct(t.removed, t.planted),
                pct(t.kept, t.near_misses)
            ));
        }
    }
    println!("golden PII set ({} samples) through every surface:{report}", samples.len());
    assert!(failures.is_empty(), "{} failures:\n{}", failures.len(), failures.join("\n"));
}
