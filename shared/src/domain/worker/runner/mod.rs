//! Runners: what running (or testing) a source of each kind does, behind
//! one trait. Kinds that can run here without the internet have real
//! analysers ([`mcp`], [`iac`]); kinds that need an outside service reach
//! it through a [`Probe`] with a timeout and report `error` when it does not
//! answer (tests give them a double). None returns a canned success.

pub mod iac;
pub mod mcp;
pub mod probe;

use crate::base::redact::Redactor;
use crate::domain::webhooks::target::host_of;
use std::sync::Arc;

use async_trait::async_trait;
use serde::{Deserialize, Serialize};
use serde_json::{Value, json};

use crate::domain::credential::CredentialValue;
use crate::domain::egress::Gate;
use crate::domain::exec::{RunnerKind, runner_of};
use crate::domain::source::{PolicyBinding, PolicyMode, RunOutcome, Source, SourceConfig};

pub use probe::{HttpProbe, Probe, Reached};

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Severity {
    Low,
    Medium,
    High,
}

/// One thing a scan found: the rule (`mcp.shell_command`), how bad, what
/// and where.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Finding {
    pub rule: String,
    pub severity: Severity,
    pub message: String,
    pub location: String,
}

impl Finding {
    pub fn new(rule: &str, severity: Severity, location: impl Into<String>, message: impl Into<String>) -> Self {
        Self { rule: rule.to_owned(), severity, message: message.into(), location: location.into() }
    }
}

/// What a run or test produced.
#[derive(Debug, Clone, PartialEq)]
pub struct Report {
    pub outcome: RunOutcome,
    pub summary: String,
    pub findings: Vec<Finding>,
    /// Kind-specific facts (servers found, resources checked, the probe).
    pub details: Value,
    /// The evidence's kind (`mcp_config_report`, `iac_findings`, `reachability`).
    pub evidence_kind: &'static str,
}

impl Report {
    /// The report as the org's data policy lets it rest: summary, findings
    /// and details minimized. Evidence, the source's last result, the job's
    /// result and the run's event are all made from it.
    pub fn minimized(self, redactor: &Redactor) -> Self {
        let text = |s: String| redactor.text(&s).into_owned();
        Self {
            summary: text(self.summary),
            findings: self
                .findings
                .into_iter()
                .map(|f| Finding { message: text(f.message), location: text(f.location), ..f })
                .collect(),
            details: redactor.value(self.details),
            ..self
        }
    }

    pub fn error(evidence_kind: &'static str, summary: impl Into<String>) -> Self {
        Self {
            outcome: RunOutcome::Error,
            summary: summary.into(),
            findings: Vec::new(),
            details: json!({}),
            evidence_kind,
        }
    }

    /// A scan's report: `warn` when it found anything of medium or high
    /// severity, else `ok`; then the source's policy bindings: a finding
    /// whose rule an `enforce` binding names (the rule id, or its family
    /// before the first `.`) makes it `error`.
    pub fn scanned(
        evidence_kind: &'static str,
        what: &str,
        findings: Vec<Finding>,
        details: Value,
        bindings: &[PolicyBinding],
    ) -> Self {
        let matches = |b: &PolicyBinding, f: &Finding| {
            f.rule == b.policy_id || f.rule.split('.').next() == Some(b.policy_id.as_str())
        };
        let enforced: Vec<&Finding> = findings
            .iter()
            .filter(|f| bindings.iter().any(|b| b.mode == PolicyMode::Enforce && matches(b, f)))
            .collect();
        let serious = findings.iter().filter(|f| f.severity >= Severity::Medium).count();
        let outcome = if !enforced.is_empty() {
            RunOutcome::Error
        } else if serious > 0 {
            RunOutcome::Warn
        } else {
            RunOutcome::Ok
        };
        let mut summary = format!("{what}: {} finding(s), {serious} medium or high", findings.len());
        if !enforced.is_empty() {
            summary.push_str(&format!("; {} break an enforced policy", enforced.len()));
        }
        let policy_results: Vec<Value> = bindings
            .iter()
            .map(|b| {
                let hits = findings.iter().filter(|f| matches(b, f)).count();
                json!({ "binding_id": b.binding_id, "policy_id": b.policy_id, "mode": b.mode, "findings": hits })
            })
            .collect();
        let mut details = details;
        details["policy_results"] = json!(policy_results);
        Self { outcome, summary, findings, details, evidence_kind }
    }
}

/// What a runner gets: the source as read at claim and its credential's
/// value (resolved in the worker only).
pub struct RunInput<'a> {
    pub source: &'a Source,
    pub credential: Option<&'a CredentialValue>,
    /// The org's egress gate, which every call a runner makes passes.
    pub gate: &'a Gate<'a>,
}

#[async_trait]
pub trait Runner: Send + Sync {
    /// Checks the configuration and what the source reaches, collecting nothing.
    async fn test(&self, input: &RunInput<'_>) -> Report;
    /// Runs the source.
    async fn run(&self, input: &RunInput<'_>) -> Report;
}

/// Analyses an uploaded document in-process.
struct Offline;

impl Offline {
    fn analyse(input: &RunInput<'_>) -> Result<Report, String> {
        let bindings = &input.source.policy_bindings;
        match &input.source.config {
            SourceConfig::ScanMcpConfig(c) => mcp::scan(&c.document, bindings),
            SourceConfig::ScanIac(c) => iac::scan(c, bindings),
            other => Err(format!("{} is not analysed in-process", other.kind().as_str())),
        }
    }
}

#[async_trait]
impl Runner for Offline {
    async fn test(&self, input: &RunInput<'_>) -> Report {
        match Self::analyse(input) {
            Ok(report) => Report {
                outcome: RunOutcome::Ok,
                summary: format!("the configuration parses; a run would report {}", report.summary),
                findings: Vec::new(),
                details: json!({}),
                evidence_kind: "test",
            },
            Err(why) => Report::error("test", why),
        }
    }

    async fn run(&self, input: &RunInput<'_>) -> Report {
        Self::analyse(input).unwrap_or_else(|why| Report::error("scan_error", why))
    }
}

/// Reaches the outside service a source names. Collecting from it needs a
/// scanner or connector this installation does not deploy, so a run that
/// reaches it says so (`warn`), and one that does not is `error`.
struct Reach {
    probe: Arc<dyn Probe>,
}

impl Reach {
    async fn reach(&self, input: &RunInput<'_>) -> Result<(String, Reached), Report> {
        let Some(url) = input.source.config.endpoint() else {
            return Err(Report::error("reachability", "the source names no endpoint"));
        };
        match self.probe.reach(&url, input.credential, input.gate).await {
            Ok(reached) => Ok((url, reached)),
            Err(why) => Err(Report {
                details: json!({ "endpoint": host_of(&url), "error": why }),
                ..Report::error("reachability", format!("{} unreachable: {why}", host_of(&url)))
            }),
        }
    }
}

#[async_trait]
impl Runner for Reach {
    async fn test(&self, input: &RunInput<'_>) -> Report {
        match self.reach(input).await {
            Ok((url, r)) => Report {
                outcome: RunOutcome::Ok,
                summary: format!("{} reachable (HTTP {} in {} ms)", host_of(&url), r.status, r.latency_ms),
                findings: Vec::new(),
                details: json!({ "endpoint": host_of(&url), "status": r.status, "latency_ms": r.latency_ms }),
                evidence_kind: "test",
            },
            Err(report) => Report { evidence_kind: "test", ..report },
        }
    }

    async fn run(&self, input: &RunInput<'_>) -> Report {
        match self.reach(input).await {
            Ok((url, r)) => Report {
                outcome: RunOutcome::Warn,
                summary: format!(
                    "{} reachable (HTTP {} in {} ms); this installation has no {} collector, so nothing was collected",
                    host_of(&url),
                    r.status,
                    r.latency_ms,
                    input.source.kind().as_str()
                ),
                findings: Vec::new(),
                details: json!({ "endpoint": host_of(&url), "status": r.status, "latency_ms": r.latency_ms }),
                evidence_kind: "reachability",
            },
            Err(report) => report,
        }
    }
}

/// Pushed sources are not run: their batches arrive through the API.
struct Pushed;

#[async_trait]
impl Runner for Pushed {
    async fn test(&self, input: &RunInput<'_>) -> Report {
        Report {
            outcome: RunOutcome::Ok,
            summary: format!("{} receives pushed batches; the configuration is valid", input.source.kind().as_str()),
            findings: Vec::new(),
            details: json!({}),
            evidence_kind: "test",
        }
    }

    async fn run(&self, input: &RunInput<'_>) -> Report {
        Report::error("test", format!("{} sources are pushed to, not run", input.source.kind().as_str()))
    }
}

/// The runner of every kind.
#[derive(Clone)]
pub struct Runners {
    probe: Arc<dyn Probe>,
}

impl Runners {
    pub fn new(probe: Arc<dyn Probe>) -> Self {
        Self { probe }
    }

    /// The kind's runner, as `exec::runner_of` classes it (so its shipped
    /// execution profile grants exactly what this runner does).
    pub fn for_source(&self, source: &Source) -> Box<dyn Runner> {
        match runner_of(source.kind()) {
            RunnerKind::Offline => Box::new(Offline),
            RunnerKind::Pushed => Box::new(Pushed),
            RunnerKind::Reach => Box::new(Reach { probe: Arc::clone(&self.probe) }),
        }
    }
}
