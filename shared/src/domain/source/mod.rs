//! Sources: where a tenant's data about its agents and infrastructure comes
//! from (scans, connectors, ingest feeds, runtimes). A source belongs to a
//! project (API keys are project-bound, and a key can be limited to one
//! source), has a typed configuration per kind ([`config`]), maybe a
//! credential reference, policy bindings, and the health its last run left.

pub mod config;
pub mod evidence;
pub mod run;
pub mod schedule;

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::base::error::DomainError;
use crate::base::ids::{BindingId, CredentialId, EvidenceId, JobId, ProjectId, SourceId};
use crate::base::residency::Region;
use crate::base::tenant::{OrgId, TenantId};
use crate::ports::store::{Item, Key, Partition, Query, SortKey};

pub use config::{CredentialNeed, SourceConfig, SourceKind};

pub const SOURCE_PREFIX: &str = "SOURCE#";
pub const MAX_DISPLAY_NAME_CHARS: usize = 100;
pub const MAX_OWNER_CHARS: usize = 100;
/// Policy bindings one source may have.
pub const MAX_BINDINGS: usize = 20;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum SourceStatus {
    Active,
    /// Disabled: neither schedules nor `run` start it.
    Paused,
    /// Its last run ended in `error`.
    Error,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum RunOutcome {
    Ok,
    Warn,
    Error,
}

impl RunOutcome {
    pub fn as_str(self) -> &'static str {
        match self {
            RunOutcome::Ok => "ok",
            RunOutcome::Warn => "warn",
            RunOutcome::Error => "error",
        }
    }
}

/// What a run (or a pushed batch) left: its outcome and a one-line summary.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct RunResult {
    pub outcome: RunOutcome,
    pub summary: String,
    pub job_id: Option<JobId>,
    pub evidence_id: Option<EvidenceId>,
    /// The digest of the execution profile the run ran under.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schema(example = "sha256:4b1e…")]
    pub profile_digest: Option<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum PolicyMode {
    /// Findings are reported.
    Audit,
    /// Findings fail the run (`error`).
    Enforce,
}

/// A policy applied to a source's results.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct PolicyBinding {
    pub binding_id: BindingId,
    pub org_id: OrgId,
    pub source_id: SourceId,
    /// The policy's id: 1 to 64 lowercase letters, digits, `.`, `_` or `-`.
    #[schema(pattern = "^[a-z0-9][a-z0-9._-]{0,63}$")]
    pub policy_id: String,
    pub mode: PolicyMode,
    pub created_by: String,
    pub created_at: DateTime<Utc>,
}

pub fn check_policy_id(s: &str) -> Result<(), DomainError> {
    let valid = (1..=64).contains(&s.len())
        && s.starts_with(|c: char| c.is_ascii_lowercase() || c.is_ascii_digit())
        && s.chars().all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || "._-".contains(c));
    if valid {
        Ok(())
    } else {
        Err(DomainError::field("policy_id", "1 to 64 lowercase letters, digits, `.`, `_` or `-`"))
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct Source {
    pub id: SourceId,
    pub org_id: OrgId,
    pub project_id: ProjectId,
    /// `kind` and its `connector` configuration.
    #[serde(flatten)]
    pub config: SourceConfig,
    pub display_name: String,
    /// Who answers for the source (a person, team or address); the creator by default.
    pub owner: String,
    pub status: SourceStatus,
    pub enabled: bool,
    pub credential_ref_id: Option<CredentialId>,
    pub last_run_at: Option<DateTime<Utc>>,
    pub last_result: Option<RunResult>,
    pub policy_bindings: Vec<PolicyBinding>,
    /// Where its evidence is kept: its project's region, fixed at
    /// creation (`null` for a source made before regions: the default region).
    #[serde(default)]
    pub region: Option<Region>,
    pub created_by: String,
    pub version: u64,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

impl Source {
    pub fn key(tenant: &TenantId, id: &SourceId) -> Key {
        Key::tenant(tenant, format!("{SOURCE_PREFIX}{id}"))
    }

    pub fn item(&self) -> Result<Item, DomainError> {
        Ok(Item::new(Self::key(&TenantId::acting_for(&self.org_id), &self.id), self.version, self)?)
    }

    pub fn query(tenant: &TenantId) -> Query {
        Query::new(Partition::tenant(tenant), SortKey::BeginsWith(SOURCE_PREFIX.into()))
    }

    pub fn kind(&self) -> SourceKind {
        self.config.kind()
    }

    /// The status its switch and last result make.
    pub fn derived_status(&self) -> SourceStatus {
        match (&self.enabled, &self.last_result) {
            (false, _) => SourceStatus::Paused,
            (true, Some(RunResult { outcome: RunOutcome::Error, .. })) => SourceStatus::Error,
            _ => SourceStatus::Active,
        }
    }

    /// One version on, at `now`.
    pub fn next_version(&self, now: DateTime<Utc>) -> Self {
        let mut next = self.clone();
        next.version += 1;
        next.updated_at = now;
        next
    }

    /// Fixes `status` from the rest (call after changing `enabled` or `last_result`).
    pub fn settled(mut self) -> Self {
        self.status = self.derived_status();
        self
    }
}

pub fn check_display_name(name: &str) -> Result<String, DomainError> {
    let name = name.trim();
    if name.is_empty() || name.chars().count() > MAX_DISPLAY_NAME_CHARS {
        return Err(DomainError::field("display_name", format!("1 to {MAX_DISPLAY_NAME_CHARS} characters")));
    }
    if let Some(problem) = crate::base::text::name_problem(name) {
        return Err(DomainError::field("display_name", problem));
    }
    Ok(name.to_owned())
}

pub fn check_owner(owner: &str) -> Result<String, DomainError> {
    let owner = owner.trim();
    if owner.is_empty() || owner.chars().count() > MAX_OWNER_CHARS {
        return Err(DomainError::field("owner", format!("1 to {MAX_OWNER_CHARS} characters")));
    }
    if let Some(problem) = crate::base::text::name_problem(owner) {
        return Err(DomainError::field("owner", problem));
    }
    Ok(owner.to_owned())
}
