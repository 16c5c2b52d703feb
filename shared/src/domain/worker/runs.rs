//! `run_source` and `test_source`: the worker side of a source job.
//!
//! At claim the handler reads the typed message ([`SourceJob`]) from the
//! job, checks it names this job and tenant, reads the source as it is now,
//! re-checks that the requester may still run it, resolves the credential
//! from the secrets store (only here), runs the kind's runner, and commits
//! with the job's completion: the evidence (blob first, then its item), the
//! source's health and the `source.run.completed` event.

use super::{Done, Effect, Failure, JobHandler, WorkerError, job_event};
use crate::base::ids::EvidenceId;
use crate::base::rbac::Permission;
use crate::base::redact::Redactor;
use crate::base::tenant::TenantId;
use crate::domain::audit::{AuditEvent, Target};
use crate::domain::credential::{CredentialRef, CredentialValue};
use crate::domain::job::{Job, JobType};
use crate::domain::minimize;
use crate::domain::source::evidence::Evidence;
use crate::domain::source::run::SourceJob;
use crate::domain::source::{RunOutcome, RunResult, Source};
use crate::domain::worker::sources::access::{self, Refused};
use crate::domain::worker::sources::resolve;
use crate::ports::blobs::DynBlobs;
use crate::ports::secrets::DynSecrets;
use crate::ports::store::{Condition, DynStore, Item, WriteOp};
use async_trait::async_trait;
use chrono::{DateTime, Utc};
use serde_json::json;
use std::sync::Arc;

use super::runner::{Report, RunInput, Runners};
use crate::domain::egress::{self, Confined, EgressCaller, EgressPolicy, Gate};
use crate::domain::exec::{self, ExecProfile, ExecTarget};
use crate::domain::webhooks::target::host_of;

/// The caller a runner's egress and violations are recorded under.
const RUNNER: &str = "source_runner";

pub struct RunSource {
    pub secrets: DynSecrets,
    pub blobs: DynBlobs,
    pub runners: Runners,
}

fn transient(e: impl std::fmt::Display) -> Failure {
    Failure::Transient(e.to_string())
}

fn source_target(source: &crate::base::ids::SourceId) -> Target {
    Target { kind: "source".into(), id: source.to_string() }
}

/// The message, checked against the job it came in.
fn message(job: &Job) -> Result<SourceJob, Failure> {
    let message: SourceJob = serde_json::from_value(job.payload.clone())
        .map_err(|e| Failure::Permanent(format!("the job's source message is malformed: {e}")))?;
    if message.tenant_id != job.org_id || message.job_id != job.id || message.job_type != job.job_type {
        return Err(Failure::Permanent("the source message names another tenant, job or job type".into()));
    }
    Ok(message)
}

/// The source and, in the same read, its org's data policy (what its
/// report may keep) and egress policy (where its runner may call).
async fn read_source_and_policies(
    store: &DynStore,
    message: &SourceJob,
) -> Result<(Option<Source>, Arc<Redactor>, EgressPolicy), Failure> {
    let tenant = TenantId::acting_for(&message.tenant_id);
    let mut items = store
        .batch_get(&[Source::key(&tenant, &message.source_id), minimize::key(&tenant), egress::key(&tenant)])
        .await
        .map_err(transient)?;
    let (egress, policy, source) = (items.pop().flatten(), items.pop().flatten(), items.pop().flatten());
    let source = source.map(|i| i.parse::<Source>()).transpose().map_err(transient)?;
    let redactor = minimize::redactor_of(&message.tenant_id, policy.as_ref()).map_err(transient)?;
    let (egress, _) = EgressPolicy::from_item(egress.as_ref()).map_err(transient)?;
    Ok((source, redactor, egress))
}

/// The source's credential value, or the report that says why there is
/// none: deleted, unreadable, or not among the secrets the runner's
/// `profile` may be given (checked before the secret is read, and recorded
/// by `gate` as `exec.violation`).
/// `item` is the credential reference's, read with the profile.
async fn credential(
    secrets: &DynSecrets,
    source: &Source,
    item: Option<Item>,
    gate: &Gate<'_>,
    profile: &ExecProfile,
) -> Result<Result<Option<CredentialValue>, Report>, Failure> {
    let Some(id) = &source.credential_ref_id else { return Ok(Ok(None)) };
    let Some(credential) = item.map(|i| i.parse::<CredentialRef>()).transpose().map_err(transient)? else {
        return Ok(Err(Report::error("run_error", format!("credential {id} was deleted; give the source another"))));
    };
    if let Err(violation) = profile.check_secret(id, credential.kind) {
        gate.violated(profile, &violation).await;
        return Ok(Err(Report::error("run_error", violation.to_string())));
    }
    Ok(match resolve(secrets, &credential).await.map_err(transient)? {
        Ok(value) => Ok(Some(value)),
        Err(why) => Err(Report::error("run_error", format!("credential {id}: {why}"))),
    })
}

/// The evidence's document.
fn evidence_body(job: &Job, source: &Source, report: &Report, now: DateTime<Utc>) -> Result<Vec<u8>, Failure> {
    // One evidence per job: a retried attempt overwrites the same blob.
    let id = EvidenceId::from_ulid(job.id.ulid());
    let body = json!({
            "evidence_id": id,
            "source_id": source.id,
            "kind": source.kind().as_str(),
            "job_id": job.id,
            "outcome": report.outcome,
            "summary": report.summary,
            "findings": report.findings,
            "details": report.details,
        "created_at": now,
    });
    serde_json::to_vec_pretty(&body).map_err(transient)
}

impl RunSource {
    async fn evidence(
        &self,
        job: &Job,
        source: &Source,
        report: &Report,
        bytes: Vec<u8>,
        now: DateTime<Utc>,
    ) -> Result<Evidence, Failure> {
        let id = EvidenceId::from_ulid(job.id.ulid());
        let key = Evidence::blob_key(source, &id).map_err(transient)?;
        let stored = self.blobs.put(&key, bytes, "application/json").await.map_err(transient)?;
        Ok(Evidence {
            id,
            org_id: source.org_id.clone(),
            source_id: source.id.clone(),
            job_id: Some(job.id.clone()),
            kind: report.evidence_kind.to_owned(),
            summary: report.summary.clone(),
            location: stored.location,
            size: stored.size,
            sha256: stored.sha256,
            created_at: now,
        })
    }
}

/// The source with its last run's result, one version on.
fn with_result(source: &Source, result: RunResult, now: DateTime<Utc>) -> Source {
    let mut next = source.next_version(now);
    next.last_run_at = Some(now);
    next.last_result = Some(result);
    next.settled()
}

fn completed_event(job: &Job, source: &Source, result: &RunResult, findings: usize) -> AuditEvent {
    let metadata = json!({
        "source_id": source.id,
        "job_id": job.id,
        "kind": source.kind().as_str(),
        "outcome": result.outcome,
        "summary": result.summary,
        "evidence_id": result.evidence_id,
        "findings": findings,
        "profile_digest": result.profile_digest,
    });
    job_event(job, "source.run.completed", source_target(&source.id), metadata)
}

#[async_trait]
impl JobHandler for RunSource {
    async fn run(&self, job: &Job, store: &DynStore) -> Result<Done, Failure> {
        let message = message(job)?;
        let testing = job.job_type == JobType::TestSource;
        let now = crate::now();
        let (source, redactor, egress) = read_source_and_policies(store, &message).await?;
        let Some(source) = source else {
            return Err(Failure::Permanent(format!("source {} no longer exists", message.source_id)));
        };
        if source.project_id != message.scope {
            return Err(Failure::Permanent("the source moved out of the job's project".into()));
        }
        let allowed =
            access::recheck(store.as_ref(), &job.org_id, &job.requested_by, Permission::SourcesRun, Some(&source), now)
                .await
                .map_err(transient)?;
        if let Err(refused) = allowed {
            return Err(Failure::Permanent(refused.to_string()));
        }
        if !testing && !source.enabled {
            return Err(Failure::Permanent("the source is paused".into()));
        }
        let tenant = TenantId::acting_for(&job.org_id);
        let target = ExecTarget::Source(source.kind());
        // The profile and the credential reference: one read.
        let mut keys = exec::keys(&tenant, &target);
        let profiles = keys.len();
        keys.extend(source.credential_ref_id.iter().map(|id| CredentialRef::key(&tenant, id)));
        let mut items = store.batch_get(&keys).await.map_err(transient)?;
        let credential_item = items.split_off(profiles).pop().flatten();
        let profile = ExecProfile::in_force(&target, &items).map_err(transient)?;
        let runner_id = source.id.to_string();
        let Some(profile) = profile else {
            let violation = exec::no_profile(&target);
            let runner = exec::Runner { org: &job.org_id, kind: RUNNER, id: runner_id, trace_id: &job.trace_id };
            runner.violated(store.as_ref(), &target.as_string(), None, &violation).await;
            return Err(Failure::Permanent(violation.to_string()));
        };
        let gate = Gate {
            store: store.as_ref(),
            org: &job.org_id,
            policy: &egress,
            caller: EgressCaller { kind: RUNNER, id: runner_id },
            trace_id: &job.trace_id,
            confined: Some(Confined { profile: &profile, endpoint: source.config.endpoint().map(|u| host_of(&u)) }),
        };
        let report = match credential(&self.secrets, &source, credential_item, &gate, &profile).await? {
            Err(report) => report,
            Ok(value) => {
                let input = RunInput { source: &source, credential: value.as_ref(), gate: &gate };
                let runner = self.runners.for_source(&source);
                let ran = if testing {
                    tokio::time::timeout(profile.max_run(), runner.test(&input)).await
                } else {
                    tokio::time::timeout(profile.max_run(), runner.run(&input)).await
                };
                match ran {
                    Ok(report) => report,
                    Err(_) => {
                        let violation = profile.timed_out();
                        gate.violated(&profile, &violation).await;
                        Report::error("run_error", violation.to_string())
                    }
                }
            }
        };
        let mut report = report.minimized(&redactor);
        let digest = profile.digest.clone();
        if testing {
            let result_of = |report: &Report| {
                json!({
                    "source_id": source.id, "outcome": report.outcome, "summary": report.summary,
                    "details": report.details, "profile_digest": digest,
                })
            };
            let mut result = result_of(&report);
            if let Err(violation) = profile.check_output(result.to_string().len()) {
                gate.violated(&profile, &violation).await;
                report = Report::error("test", violation.to_string());
                result = result_of(&report);
            }
            let metadata = json!({ "outcome": report.outcome, "summary": report.summary, "profile_digest": digest });
            return Ok(Done {
                result,
                writes: Vec::new(),
                events: vec![job_event(job, "source.tested", source_target(&source.id), metadata)],
            });
        }
        let mut bytes = evidence_body(job, &source, &report, now)?;
        if let Err(violation) = profile.check_output(bytes.len()) {
            gate.violated(&profile, &violation).await;
            report = Report::error("run_error", violation.to_string());
            bytes = evidence_body(job, &source, &report, now)?;
        }
        let findings = report.findings.len();
        let evidence = self.evidence(job, &source, &report, bytes, now).await?;
        let result = RunResult {
            outcome: report.outcome,
            summary: report.summary.clone(),
            job_id: Some(job.id.clone()),
            evidence_id: Some(evidence.id.clone()),
            profile_digest: Some(digest),
        };
        let next = with_result(&source, result.clone(), now);
        Ok(Done {
            result: json!({
                "source_id": source.id, "outcome": result.outcome, "summary": result.summary,
                "evidence_id": evidence.id, "findings": findings, "profile_digest": result.profile_digest,
            }),
            writes: vec![
                WriteOp::put_if(evidence.item().map_err(transient)?, Condition::NotExists),
                WriteOp::put_if(next.item().map_err(transient)?, Condition::VersionEquals(source.version)),
            ],
            events: vec![completed_event(job, &source, &result, findings)],
        })
    }

    /// A refusal is audited as such and leaves the source alone; a run that
    /// failed for any other reason shows on the source as `error`.
    async fn give_up(&self, job: &Job, store: &DynStore, error: &str) -> Result<Effect, WorkerError> {
        let Ok(message) = message(job) else { return Ok(Effect::default()) };
        let target = source_target(&message.source_id);
        if error.starts_with(&Refused(String::new()).to_string()) {
            let metadata = json!({ "requested_by": job.requested_by, "job_id": job.id, "reason": error });
            return Ok(Effect {
                writes: Vec::new(),
                events: vec![job_event(job, "source.run_refused", target, metadata)],
            });
        }
        if job.job_type == JobType::TestSource {
            return Ok(Effect::default());
        }
        let Ok((Some(source), redactor, _)) = read_source_and_policies(store, &message).await else {
            return Ok(Effect::default());
        };
        let now = crate::now();
        let result = RunResult {
            outcome: RunOutcome::Error,
            summary: redactor.text(error).into_owned(),
            job_id: Some(job.id.clone()),
            evidence_id: None,
            profile_digest: None,
        };
        let next = with_result(&source, result.clone(), now);
        Ok(Effect {
            writes: vec![WriteOp::put_if(next.item()?, Condition::VersionEquals(source.version))],
            events: vec![completed_event(job, &source, &result, 0)],
        })
    }
}
