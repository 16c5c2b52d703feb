//! Execution profiles: what a tool or a runner may do while it runs. A
//! profile is compiled from a declarative [`ExecSpec`] — the hosts it may
//! call, the files it may read or write, its longest run, its largest
//! answer or artifact, the secrets it may be given — and is attached to a
//! [`ExecTarget`]: a built-in MCP tool, a registered server's tool (or all
//! of a server's tools), or a source kind's runner.
//!
//! Deny by default: a target with no profile runs nothing. The platform's
//! own targets (built-in tools, every source kind) ship a profile in code
//! ([`ExecTarget::shipped`]), granting what their code needs and nothing
//! more; a registered server's tools have none until an admin sets one,
//! since their code is someone else's. An org's profile (`T#{org} /
//! EXECPROFILE#{target}`) replaces the shipped one.
//!
//! Enforced where the work runs: the egress gate checks each call against
//! the profile before the org's policy (a profile is always strict), the
//! caller bounds the run by `max_run_seconds` and the answer by
//! `max_output_bytes`, secrets are checked before they are read, and a file
//! is reached only through [`ExecProfile::check_path`]. Each refusal is
//! audited as `exec.violation`, and the digest of the profile in force is
//! recorded on every run and tool call.

use std::collections::BTreeSet;
use std::time::Duration;

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use serde_json::json;

use crate::base::digest::sha256_hex;
use crate::base::error::{DomainError, FieldError};
use crate::base::ids::CredentialId;
use crate::base::tenant::{OrgId, TenantId};
use crate::domain::audit::{AuditEvent, Target};
use crate::domain::credential::CredentialKind;
use crate::domain::egress::HostRule;
use crate::domain::mcp::server::{NAMESPACE_SEPARATOR, Slug, split};
use crate::domain::mcp::{self, BuiltinTool, tools};
use crate::domain::source::{CredentialNeed, SourceKind};
use crate::ports::store::{Item, Key, Partition, Query, SortKey, Store, StoreError, all_from};

/// The longest run a profile may allow: a Lambda's own limit.
pub const MAX_RUN_SECONDS: u32 = 900;
/// The largest answer or artifact a profile may allow.
pub const MAX_OUTPUT_BYTES: u64 = 16 * 1024 * 1024;
/// Entries in one list of a spec.
pub const MAX_GRANTS: usize = 50;
/// The longest file path.
pub const MAX_PATH_CHARS: usize = 255;
/// The prefix of a source kind's target.
const SOURCE_PREFIX: &str = "source:";
/// What a server-wide target puts after the separator.
const ALL_TOOLS: &str = "*";
/// Trees no grant may reach into: the kernel's, devices, the system's
/// configuration and the administrator's.
const PROTECTED: &[&str] = &["/proc", "/sys", "/dev", "/etc", "/boot", "/root", "/run", "/var/run"];

/// What a profile is attached to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ExecTarget {
    /// A built-in tool (`projects_list`).
    Builtin(&'static BuiltinTool),
    /// One tool of a registered server, as agents name it (`docs__search`).
    Tool(String),
    /// Every tool of a registered server without a profile of its own
    /// (`docs__*`).
    Server(String),
    /// The runner of a source kind (`source:scan.iac`).
    Source(SourceKind),
}

/// What a target's code does, which bounds what its profile may grant.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Reach {
    /// Runs in process on the platform's own store: no call out, no
    /// secret, no file.
    Platform,
    /// Runs on a registered server: calls it, with its token.
    Server,
    /// A source runner: calls out only if its kind does, with the
    /// credential kinds its kind takes.
    Runner { calls_out: bool, secrets: &'static [CredentialKind] },
}

impl ExecTarget {
    /// Parses a target as the path names it; `Err` says why it names none.
    pub fn parse(raw: &str) -> Result<Self, String> {
        if let Some(kind) = raw.strip_prefix(SOURCE_PREFIX) {
            return SourceKind::ALL
                .into_iter()
                .find(|k| k.as_str() == kind)
                .map(Self::Source)
                .ok_or_else(|| format!("`{kind}` is not a source kind"));
        }
        if let Some(tool) = mcp::builtin(raw) {
            return Ok(Self::Builtin(tool));
        }
        if let Some(slug) = raw.strip_suffix(ALL_TOOLS).and_then(|s| s.strip_suffix(NAMESPACE_SEPARATOR)) {
            return Slug::parse(slug).map(|_| Self::Server(raw.to_owned())).map_err(|e| e.to_string());
        }
        match split(raw) {
            Some((_, tool)) if tools::check_name(tool).is_ok() => Ok(Self::Tool(raw.to_owned())),
            _ => Err(format!(
                "`{raw}` is not a built-in tool, `<server>{NAMESPACE_SEPARATOR}<tool>`, \
                 `<server>{NAMESPACE_SEPARATOR}*` or `source:<kind>`"
            )),
        }
    }

    /// The target of a tool call as agents name the tool.
    pub fn of_tool(name: &str) -> Option<Self> {
        Self::parse(name).ok().filter(|t| !matches!(t, Self::Source(_) | Self::Server(_)))
    }

    pub fn as_string(&self) -> String {
        match self {
            Self::Builtin(tool) => tool.name.to_owned(),
            Self::Tool(name) | Self::Server(name) => name.clone(),
            Self::Source(kind) => format!("{SOURCE_PREFIX}{}", kind.as_str()),
        }
    }

    /// The targets whose profile governs this one, nearest first: a
    /// server's tool falls back to the server-wide profile.
    pub fn lookup(&self) -> Vec<ExecTarget> {
        match self {
            Self::Tool(name) => match split(name) {
                Some((slug, _)) => {
                    vec![self.clone(), Self::Server(format!("{}{NAMESPACE_SEPARATOR}{ALL_TOOLS}", slug.as_str()))]
                }
                None => vec![self.clone()],
            },
            _ => vec![self.clone()],
        }
    }

    fn reach(&self) -> Reach {
        match self {
            Self::Builtin(_) => Reach::Platform,
            Self::Tool(_) | Self::Server(_) => Reach::Server,
            Self::Source(kind) => {
                let secrets = match kind.credential() {
                    CredentialNeed::None => &[][..],
                    CredentialNeed::Optional(kinds) | CredentialNeed::Required(kinds) => kinds,
                };
                Reach::Runner {
                    calls_out: !matches!(runner_of(*kind), RunnerKind::Offline | RunnerKind::Pushed),
                    secrets,
                }
            }
        }
    }

    /// The profile the platform ships for its own code; none for a
    /// registered server's tools.
    pub fn shipped(&self) -> Option<ExecSpec> {
        let spec = |egress: Vec<EgressGrant>, secrets: Vec<SecretGrant>, seconds: u32, bytes: u64| ExecSpec {
            egress: EgressGrants { allow: egress, deny: Vec::new() },
            files: FileGrants::default(),
            max_run_seconds: seconds,
            max_output_bytes: bytes,
            secrets,
        };
        match self {
            Self::Builtin(_) => Some(spec(Vec::new(), Vec::new(), 30, 4 * MIB)),
            Self::Tool(_) | Self::Server(_) => None,
            Self::Source(kind) => {
                let Reach::Runner { secrets, .. } = self.reach() else { return None };
                let secrets = secrets.iter().map(|k| SecretGrant::Kind(*k)).collect();
                Some(match runner_of(*kind) {
                    RunnerKind::Offline => spec(Vec::new(), Vec::new(), 60, 4 * MIB),
                    RunnerKind::Pushed => spec(Vec::new(), Vec::new(), 10, 64 * 1024),
                    // The probe's own bounds (connect 5 s, answer 10 s) fit.
                    RunnerKind::Reach => spec(vec![EgressGrant::Endpoint], secrets, 30, MIB),
                })
            }
        }
    }
}

const MIB: u64 = 1024 * 1024;

/// Which runner a kind has (`worker::runner::Runners::for_source` builds
/// it from this).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RunnerKind {
    /// Analyses the source's inline document in process.
    Offline,
    /// Receives pushed batches; runs nothing.
    Pushed,
    /// Reaches the endpoint the source names.
    Reach,
}

pub fn runner_of(kind: SourceKind) -> RunnerKind {
    match kind {
        SourceKind::ScanMcpConfig | SourceKind::ScanIac => RunnerKind::Offline,
        kind if kind.is_pushed() => RunnerKind::Pushed,
        _ => RunnerKind::Reach,
    }
}

/// A host a target may call: the gate's host rule, or `endpoint` — the
/// host its own configuration names (the source's endpoint, the server's
/// URL), whatever it is.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub enum EgressGrant {
    Endpoint,
    Host(HostRule),
}

impl TryFrom<String> for EgressGrant {
    type Error = String;
    fn try_from(raw: String) -> Result<Self, String> {
        if raw.trim() == "endpoint" {
            return Ok(Self::Endpoint);
        }
        if raw.trim() == "*" {
            return Err("`*` grants every host; name the hosts, or `endpoint`".into());
        }
        HostRule::parse(&raw).map(Self::Host)
    }
}

impl From<EgressGrant> for String {
    fn from(grant: EgressGrant) -> String {
        match grant {
            EgressGrant::Endpoint => "endpoint".into(),
            EgressGrant::Host(rule) => rule.into(),
        }
    }
}

impl utoipa::PartialSchema for EgressGrant {
    fn schema() -> utoipa::openapi::RefOr<utoipa::openapi::schema::Schema> {
        utoipa::openapi::ObjectBuilder::new()
            .schema_type(utoipa::openapi::schema::Type::String)
            .description(Some(
                "`endpoint` (the host the target's own configuration names), a host name, an address, \
                 or `*.` and a domain",
            ))
            .max_length(Some(255))
            .examples([json!("endpoint")])
            .into()
    }
}

impl utoipa::ToSchema for EgressGrant {}

/// A secret a target may be given: every credential of a kind (`token`),
/// or one credential (`cred_…`).
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub enum SecretGrant {
    Kind(CredentialKind),
    Credential(CredentialId),
}

impl TryFrom<String> for SecretGrant {
    type Error = String;
    fn try_from(raw: String) -> Result<Self, String> {
        if let Ok(kind) = serde_json::from_value::<CredentialKind>(json!(raw)) {
            return Ok(Self::Kind(kind));
        }
        CredentialId::parse(&raw).map(Self::Credential).map_err(|_| {
            format!("`{raw}` is neither a credential kind (token, basic, registry, aws_role) nor a credential id")
        })
    }
}

impl From<SecretGrant> for String {
    fn from(grant: SecretGrant) -> String {
        match grant {
            SecretGrant::Kind(kind) => kind.as_str().to_owned(),
            SecretGrant::Credential(id) => id.to_string(),
        }
    }
}

impl utoipa::PartialSchema for SecretGrant {
    fn schema() -> utoipa::openapi::RefOr<utoipa::openapi::schema::Schema> {
        utoipa::openapi::ObjectBuilder::new()
            .schema_type(utoipa::openapi::schema::Type::String)
            .description(Some("A credential kind (`token`, `basic`, `registry`, `aws_role`) or a credential id"))
            .max_length(Some(64))
            .examples([json!("token")])
            .into()
    }
}

impl utoipa::ToSchema for SecretGrant {}

/// The hosts a target may call. A deny rule carves hosts out of a wildcard.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct EgressGrants {
    #[serde(default)]
    #[schema(max_items = 50)]
    pub allow: Vec<EgressGrant>,
    #[serde(default)]
    #[schema(max_items = 50)]
    pub deny: Vec<HostRule>,
}

/// The files a target may reach: absolute paths of files or trees. A
/// writable path is readable too.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct FileGrants {
    #[serde(default)]
    #[schema(max_items = 50, example = json!(["/opt/scanner/rules"]))]
    pub read: Vec<String>,
    #[serde(default)]
    #[schema(max_items = 50, example = json!(["/tmp/scans"]))]
    pub write: Vec<String>,
}

/// A profile as written: what the target may do.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ExecSpec {
    #[serde(default)]
    pub egress: EgressGrants,
    #[serde(default)]
    pub files: FileGrants,
    /// The longest a run or call may take; it is stopped then.
    #[schema(minimum = 1, maximum = 900, example = 30)]
    pub max_run_seconds: u32,
    /// The largest answer (a tool's result) or artifact (a run's report).
    #[schema(minimum = 1, maximum = 16777216, example = 1048576)]
    pub max_output_bytes: u64,
    /// The secrets it may be given.
    #[serde(default)]
    #[schema(max_items = 50)]
    pub secrets: Vec<SecretGrant>,
}

/// How a file is reached.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Access {
    Read,
    Write,
}

/// Why a profile refused something: the rule (`egress_not_granted`) and
/// what was refused, for the caller and the `exec.violation` event.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Violation {
    pub rule: &'static str,
    pub detail: String,
}

impl std::fmt::Display for Violation {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "the execution profile refused it ({}): {}", self.rule, self.detail)
    }
}

/// Where a profile came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum ProfileOrigin {
    /// Shipped with the platform (version 0).
    Shipped,
    /// Set by the org.
    Org,
}

/// A compiled profile: a spec that passed [`ExecSpec::compile`], its
/// target and its digest.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ExecProfile {
    pub target: String,
    pub spec: ExecSpec,
    /// `sha256:` and the hex SHA-256 of the normalized spec's JSON.
    pub digest: String,
    pub origin: ProfileOrigin,
    pub version: u64,
    pub updated_at: Option<DateTime<Utc>>,
}

/// What the API shows.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct ExecProfileView {
    #[schema(example = "source:scan.repo")]
    pub target: String,
    pub spec: ExecSpec,
    #[schema(example = "sha256:9f2c…")]
    pub digest: String,
    pub origin: ProfileOrigin,
    /// 0 for a shipped profile; the version an edit's `If-Match` names.
    pub version: u64,
    pub updated_at: Option<DateTime<Utc>>,
}

/// The stored form.
#[derive(Debug, Clone, Serialize, Deserialize)]
struct Stored {
    target: String,
    spec: ExecSpec,
    digest: String,
    updated_at: DateTime<Utc>,
}

/// The sort key's prefix of a profile's item.
const PREFIX: &str = "EXECPROFILE#";

pub fn key(tenant: &TenantId, target: &ExecTarget) -> Key {
    Key::tenant(tenant, format!("{PREFIX}{}", target.as_string()))
}

/// The targets the org has set a profile for.
pub async fn targets_set(store: &dyn Store, tenant: &TenantId) -> Result<BTreeSet<String>, StoreError> {
    let query = Query::new(Partition::tenant(tenant), SortKey::BeginsWith(PREFIX.into())).limit(200);
    let first = store.query(&query).await?;
    Ok(all_from(store, query, first)
        .await?
        .iter()
        .filter_map(|i| i.key.sk().strip_prefix(PREFIX).map(str::to_owned))
        .collect())
}

/// Whether the tool agents call `name` has a profile: its own or its
/// server's, among `set` ([`targets_set`]).
pub fn has_profile(set: &BTreeSet<String>, name: &str) -> bool {
    ExecTarget::Tool(name.to_owned()).lookup().iter().any(|t| set.contains(&t.as_string()))
}

/// The keys [`ExecProfile::in_force`] reads for `target`, nearest first.
pub fn keys(tenant: &TenantId, target: &ExecTarget) -> Vec<Key> {
    target.lookup().iter().map(|t| key(tenant, t)).collect()
}

fn normalized_path(raw: &str) -> Result<String, String> {
    let path = raw.trim();
    if path == "/" {
        return Err("`/` grants every file; name a directory inside a top-level tree".into());
    }
    if path.chars().count() > MAX_PATH_CHARS {
        return Err(format!("at most {MAX_PATH_CHARS} characters"));
    }
    if !path.starts_with('/') {
        return Err(format!("`{path}` is not absolute"));
    }
    let parts: Vec<&str> = path.split('/').skip(1).collect();
    let trailing = parts.last() == Some(&"") && parts.len() > 1;
    let parts = if trailing { &parts[..parts.len() - 1] } else { &parts[..] };
    if parts.iter().any(|p| p.is_empty() || *p == "." || *p == ".." || p.contains(['*', '\0'])) {
        return Err(format!("`{path}` is not a plain path (no `.`, `..`, `//` or `*`)"));
    }
    if parts.len() < 2 {
        return Err(format!("`{path}` grants a whole top-level tree; name a directory inside one"));
    }
    let normalized = format!("/{}", parts.join("/"));
    if let Some(root) = PROTECTED.iter().find(|root| within(&normalized, root)) {
        return Err(format!("`{normalized}` is inside {root}, which no profile may reach"));
    }
    Ok(normalized)
}

/// Whether `path` is `root` or inside it.
fn within(path: &str, root: &str) -> bool {
    path.strip_prefix(root).is_some_and(|rest| rest.is_empty() || rest.starts_with('/'))
}

/// Whether every host `inner` matches, `outer` matches too.
fn covers(outer: &HostRule, inner: &HostRule) -> bool {
    match inner.as_str().strip_prefix("*.") {
        Some(domain) => {
            outer.as_str().strip_prefix("*.").is_some_and(|d| d == domain || domain.ends_with(&format!(".{d}")))
        }
        None => outer.matches(inner.as_str()),
    }
}

fn duplicates<T: Ord + std::fmt::Debug>(
    field: &str,
    list: &[T],
    show: impl Fn(&T) -> String,
    errors: &mut Vec<FieldError>,
) {
    if list.len() > MAX_GRANTS {
        errors.push(FieldError::new(field, format!("at most {MAX_GRANTS} entries")));
    }
    let mut seen = BTreeSet::new();
    for (i, item) in list.iter().enumerate() {
        if !seen.insert(item) {
            errors.push(FieldError::new(format!("{field}[{i}]"), format!("`{}` is listed twice", show(item))));
        }
    }
}

impl ExecSpec {
    /// The profile this spec makes for `target`, or a field error for each
    /// contradiction, over-broad grant, or grant the target's code cannot
    /// use.
    pub fn compile(mut self, target: &ExecTarget) -> Result<ExecSpec, DomainError> {
        let mut errors = Vec::new();
        let reach = target.reach();
        let name = target.as_string();
        let string = |s: &String| s.clone();

        // Hosts.
        duplicates("egress.allow", &self.egress.allow, |g| String::from(g.clone()), &mut errors);
        duplicates("egress.deny", &self.egress.deny, ToString::to_string, &mut errors);
        let calls_out = matches!(reach, Reach::Server | Reach::Runner { calls_out: true, .. });
        let grants_hosts = !self.egress.allow.is_empty() || !self.egress.deny.is_empty();
        if grants_hosts && !calls_out {
            errors
                .push(FieldError::new("egress", format!("`{name}` calls nothing outside the platform; grant no host")));
        }
        for (i, grant) in self.egress.allow.iter().enumerate() {
            let EgressGrant::Host(allowed) = grant else { continue };
            if let Some((j, deny)) = self.egress.deny.iter().enumerate().find(|(_, d)| covers(d, allowed)) {
                errors.push(FieldError::new(
                    format!("egress.allow[{i}]"),
                    format!("`{allowed}` is allowed and denied (egress.deny[{j}] `{deny}` covers it)"),
                ));
            }
        }

        // Files.
        for (field, list) in [("files.read", &mut self.files.read), ("files.write", &mut self.files.write)] {
            for (i, raw) in list.iter_mut().enumerate() {
                match normalized_path(raw) {
                    Ok(path) => *raw = path,
                    Err(why) => errors.push(FieldError::new(format!("{field}[{i}]"), why)),
                }
            }
            duplicates(field, list, string, &mut errors);
        }
        let grants_files = !self.files.read.is_empty() || !self.files.write.is_empty();
        if grants_files && !matches!(reach, Reach::Runner { .. }) {
            errors.push(FieldError::new("files", format!("`{name}` runs outside the worker; it reaches no file here")));
        }
        for (i, read) in self.files.read.iter().enumerate() {
            if self.files.write.contains(read) {
                errors.push(FieldError::new(
                    format!("files.read[{i}]"),
                    format!("`{read}` is both read-only and writable; a writable path is readable, list it once"),
                ));
            }
        }

        // Bounds.
        if !(1..=MAX_RUN_SECONDS).contains(&self.max_run_seconds) {
            errors.push(FieldError::new("max_run_seconds", format!("from 1 to {MAX_RUN_SECONDS}")));
        }
        if !(1..=MAX_OUTPUT_BYTES).contains(&self.max_output_bytes) {
            errors.push(FieldError::new("max_output_bytes", format!("from 1 to {MAX_OUTPUT_BYTES}")));
        }

        // Secrets.
        duplicates("secrets", &self.secrets, |g| String::from(g.clone()), &mut errors);
        let usable: &[CredentialKind] = match reach {
            Reach::Platform => &[],
            Reach::Server => &[CredentialKind::Token],
            Reach::Runner { secrets, .. } => secrets,
        };
        for (i, grant) in self.secrets.iter().enumerate() {
            match grant {
                SecretGrant::Kind(kind) if !usable.contains(kind) => errors.push(FieldError::new(
                    format!("secrets[{i}]"),
                    match usable {
                        [] => format!("`{name}` is given no secret"),
                        _ => format!(
                            "`{name}` takes {} credentials, never {}",
                            usable.iter().map(|k| k.as_str()).collect::<Vec<_>>().join(" or "),
                            kind.as_str()
                        ),
                    },
                )),
                SecretGrant::Credential(_) if usable.is_empty() => {
                    errors.push(FieldError::new(format!("secrets[{i}]"), format!("`{name}` is given no secret")))
                }
                _ => {}
            }
        }
        if !errors.is_empty() {
            return Err(DomainError::Validation(errors));
        }
        self.egress.allow.sort();
        self.egress.deny.sort();
        self.files.read.sort();
        self.files.write.sort();
        self.secrets.sort();
        Ok(self)
    }

    /// The normalized spec's digest.
    pub fn digest(&self) -> String {
        let bytes = serde_json::to_vec(self).unwrap_or_default();
        format!("sha256:{}", sha256_hex(&bytes))
    }
}

impl ExecProfile {
    fn compiled(target: &ExecTarget, spec: ExecSpec, origin: ProfileOrigin, version: u64) -> Result<Self, DomainError> {
        let spec = spec.compile(target)?;
        Ok(Self { target: target.as_string(), digest: spec.digest(), spec, origin, version, updated_at: None })
    }

    /// The profile in force for `target`: the nearest the org set (`items`
    /// as [`keys`] names them), else the shipped one; `None`: the target
    /// may do nothing.
    pub fn in_force(target: &ExecTarget, items: &[Option<Item>]) -> Result<Option<Self>, StoreError> {
        if let Some(item) = items.iter().flatten().next() {
            let stored: Stored = item.parse()?;
            return Ok(Some(Self {
                target: stored.target,
                spec: stored.spec,
                digest: stored.digest,
                origin: ProfileOrigin::Org,
                version: item.version,
                updated_at: Some(stored.updated_at),
            }));
        }
        Ok(target.shipped().and_then(|spec| Self::compiled(target, spec, ProfileOrigin::Shipped, 0).ok()))
    }

    /// The profile an edit makes, one version after `version`.
    pub fn edited(target: &ExecTarget, spec: ExecSpec, version: u64, now: DateTime<Utc>) -> Result<Self, DomainError> {
        let mut profile = Self::compiled(target, spec, ProfileOrigin::Org, version + 1)?;
        profile.updated_at = Some(now);
        Ok(profile)
    }

    pub fn item(&self, tenant: &TenantId, target: &ExecTarget) -> Result<Item, StoreError> {
        let stored = Stored {
            target: self.target.clone(),
            spec: self.spec.clone(),
            digest: self.digest.clone(),
            updated_at: self.updated_at.unwrap_or_else(crate::now),
        };
        Item::new(key(tenant, target), self.version, &stored)
    }

    pub fn view(&self) -> ExecProfileView {
        ExecProfileView {
            target: self.target.clone(),
            spec: self.spec.clone(),
            digest: self.digest.clone(),
            origin: self.origin,
            version: self.version,
            updated_at: self.updated_at,
        }
    }

    pub fn max_run(&self) -> Duration {
        Duration::from_secs(u64::from(self.spec.max_run_seconds))
    }

    /// A call to `host`; `endpoint` is the host the target's configuration
    /// names, which an `endpoint` grant allows.
    pub fn check_host(&self, host: &str, endpoint: Option<&str>) -> Result<(), Violation> {
        if let Some(denied) = self.spec.egress.deny.iter().find(|r| r.matches(host)) {
            return Err(Violation { rule: "egress_denied", detail: format!("{host} is denied by `{denied}`") });
        }
        let granted = self.spec.egress.allow.iter().any(|grant| match grant {
            EgressGrant::Endpoint => endpoint.is_some_and(|e| e.eq_ignore_ascii_case(host)),
            EgressGrant::Host(rule) => rule.matches(host),
        });
        if granted {
            Ok(())
        } else {
            Err(Violation { rule: "egress_not_granted", detail: format!("{host} is not among the hosts it may call") })
        }
    }

    /// Giving it the credential `id` of `kind`.
    pub fn check_secret(&self, id: &CredentialId, kind: CredentialKind) -> Result<(), Violation> {
        let granted = self.spec.secrets.iter().any(|grant| match grant {
            SecretGrant::Kind(k) => *k == kind,
            SecretGrant::Credential(c) => c == id,
        });
        if granted {
            Ok(())
        } else {
            Err(Violation {
                rule: "secret_not_granted",
                detail: format!("credential {id} ({}) is not among the secrets it may be given", kind.as_str()),
            })
        }
    }

    /// An answer or artifact of `bytes`.
    pub fn check_output(&self, bytes: usize) -> Result<(), Violation> {
        let limit = self.spec.max_output_bytes;
        if u64::try_from(bytes).unwrap_or(u64::MAX) <= limit {
            Ok(())
        } else {
            Err(Violation {
                rule: "max_output_bytes",
                detail: format!(
                    "its output ({bytes} bytes) is larger than max_output_bytes ({limit}); it was not kept"
                ),
            })
        }
    }

    /// A run or call stopped at `max_run_seconds`.
    pub fn timed_out(&self) -> Violation {
        Violation {
            rule: "max_run_seconds",
            detail: format!("it was stopped after max_run_seconds ({} s)", self.spec.max_run_seconds),
        }
    }

    /// Reaching the file `path` for `access`: the one check before any
    /// file a runner opens.
    pub fn check_path(&self, path: &str, access: Access) -> Result<(), Violation> {
        let refused = |why: String| Violation { rule: "file_not_granted", detail: format!("{path}: {why}") };
        let path = normalized_path(path).map_err(refused)?;
        let writable = self.spec.files.write.iter().any(|root| within(&path, root));
        let readable = writable || self.spec.files.read.iter().any(|root| within(&path, root));
        match access {
            Access::Write if writable => Ok(()),
            Access::Read if readable => Ok(()),
            Access::Write if readable => Err(refused("it may be read, not written".into())),
            _ => Err(refused("it is not among the files it may reach".into())),
        }
    }
}

/// The refusal of a target that has no profile.
pub fn no_profile(target: &ExecTarget) -> Violation {
    Violation {
        rule: "no_profile",
        detail: format!(
            "`{}` has no execution profile, so it may do nothing; an admin sets one at PUT /v1/exec-profiles/{}",
            target.as_string(),
            target.as_string()
        ),
    }
}

/// Who ran under a profile, in its `exec.violation` event.
#[derive(Debug, Clone)]
pub struct Runner<'a> {
    pub org: &'a OrgId,
    /// `source_runner`, `mcp_tool`.
    pub kind: &'static str,
    /// The source, or the key that called the tool.
    pub id: String,
    /// The job or request it runs in.
    pub trace_id: &'a str,
}

impl Runner<'_> {
    /// Records `violation` of `target`'s profile (`digest`: the profile's,
    /// none when it has none) as `exec.violation`, on its own.
    pub async fn violated(&self, store: &dyn Store, target: &str, digest: Option<&str>, violation: &Violation) {
        let metadata = json!({
            "caller": { "type": self.kind, "id": self.id },
            "rule": violation.rule,
            "detail": violation.detail,
            "profile_digest": digest,
        });
        let event_target = Target { kind: "exec_profile".into(), id: target.to_owned() };
        AuditEvent::by_system(self.org, self.kind, self.trace_id, "exec.violation", event_target, metadata)
            .record_alone(store)
            .await;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn spec(value: serde_json::Value) -> ExecSpec {
        serde_json::from_value(value).unwrap()
    }

    fn fields(result: Result<ExecSpec, DomainError>) -> Vec<String> {
        match result {
            Err(DomainError::Validation(errors)) => errors.into_iter().map(|e| e.field).collect(),
            other => panic!("refused expected: {other:?}"),
        }
    }

    fn target(raw: &str) -> ExecTarget {
        ExecTarget::parse(raw).unwrap()
    }

    #[test]
    fn targets_are_builtin_tools_server_tools_whole_servers_or_source_kinds() {
        assert!(matches!(target("projects_list"), ExecTarget::Builtin(t) if t.name == "projects_list"));
        assert_eq!(target("docs__search"), ExecTarget::Tool("docs__search".into()));
        assert_eq!(target("docs__*"), ExecTarget::Server("docs__*".into()));
        assert_eq!(target("source:scan.iac"), ExecTarget::Source(SourceKind::ScanIac));
        for refused in ["nope", "source:scan.nope", "Docs__search", "__search", "docs__", "source:"] {
            assert!(ExecTarget::parse(refused).is_err(), "{refused}");
        }
        assert_eq!(target("docs__search").lookup(), [target("docs__search"), target("docs__*")]);
        for t in ["projects_list", "docs__search", "docs__*", "source:connector.registry"] {
            assert_eq!(target(t).as_string(), t);
        }
    }

    #[test]
    fn every_builtin_tool_and_source_kind_ships_a_profile_that_compiles_and_server_tools_ship_none() {
        for tool in mcp::BUILTIN_TOOLS {
            let t = ExecTarget::Builtin(tool);
            let shipped = ExecProfile::in_force(&t, &[]).unwrap().unwrap();
            assert!(shipped.spec.egress.allow.is_empty() && shipped.spec.secrets.is_empty(), "{}", tool.name);
        }
        for kind in SourceKind::ALL {
            let t = ExecTarget::Source(kind);
            let shipped =
                ExecProfile::in_force(&t, &[]).unwrap().unwrap_or_else(|| panic!("{} ships no profile", kind.as_str()));
            assert_eq!(shipped.origin, ProfileOrigin::Shipped);
            assert!(
                shipped.spec.files.read.is_empty() && shipped.spec.files.write.is_empty(),
                "no runner opens a file"
            );
            let calls = runner_of(kind) == RunnerKind::Reach;
            assert_eq!(shipped.spec.egress.allow == [EgressGrant::Endpoint], calls, "{}", kind.as_str());
        }
        assert_eq!(ExecProfile::in_force(&target("docs__search"), &[None, None]).unwrap(), None);
    }

    #[test]
    fn compiling_names_each_contradiction_and_over_broad_grant() {
        let bad = spec(json!({
            "egress": {"allow": ["api.example.com", "*.example.com", "api.example.com"], "deny": ["*.example.com"]},
            "files": {"read": ["/", "/data/in", "relative/x", "/etc/passwd", "/data/../x"], "write": ["/data/in", "/tmp"]},
            "max_run_seconds": 901,
            "max_output_bytes": 0,
            "secrets": ["aws_role", "token"],
        }));
        assert_eq!(
            fields(bad.compile(&target("source:scan.repo"))),
            [
                "egress.allow[2]",
                "egress.allow[0]",
                "egress.allow[1]",
                "egress.allow[2]",
                "files.read[0]",
                "files.read[2]",
                "files.read[3]",
                "files.read[4]",
                "files.write[1]",
                "files.read[1]",
                "max_run_seconds",
                "max_output_bytes",
                "secrets[0]",
            ]
        );
        assert!(
            serde_json::from_value::<ExecSpec>(
                json!({"egress": {"allow": ["*"]}, "max_run_seconds": 1, "max_output_bytes": 1})
            )
            .is_err()
        );
        let builtin = spec(
            json!({"egress": {"allow": ["endpoint"]}, "files": {"read": ["/data/x"]}, "max_run_seconds": 5, "max_output_bytes": 10, "secrets": ["token"]}),
        );
        assert_eq!(fields(builtin.compile(&target("projects_list"))), ["egress", "files", "secrets[0]"]);
        let offline =
            spec(json!({"egress": {"allow": ["a.example.com"]}, "max_run_seconds": 5, "max_output_bytes": 10}));
        assert_eq!(fields(offline.compile(&target("source:scan.iac"))), ["egress"]);
    }

    #[test]
    fn a_compiled_profile_is_normalized_so_equal_grants_have_one_digest() {
        let a = spec(
            json!({"egress": {"allow": ["b.example.com", "endpoint"]}, "files": {"write": ["/tmp/scans/"]}, "max_run_seconds": 5, "max_output_bytes": 10, "secrets": ["token", "basic"]}),
        );
        let b = spec(
            json!({"egress": {"allow": ["endpoint", "B.example.com"]}, "files": {"write": ["/tmp/scans"]}, "max_run_seconds": 5, "max_output_bytes": 10, "secrets": ["basic", "token"]}),
        );
        let t = target("source:scan.repo");
        let (a, b) = (a.compile(&t).unwrap(), b.compile(&t).unwrap());
        assert_eq!(a, b);
        assert_eq!(a.digest(), b.digest());
        assert!(a.digest().starts_with("sha256:") && a.digest().len() == 71);
        let c = ExecSpec { max_run_seconds: 6, ..a.clone() };
        assert_ne!(a.digest(), c.digest());
    }

    #[test]
    fn a_profile_allows_its_hosts_secrets_sizes_and_files_and_nothing_else() {
        let t = target("source:scan.repo");
        let profile = ExecProfile::compiled(
            &t,
            spec(json!({
                "egress": {"allow": ["endpoint", "*.example.com"], "deny": ["internal.example.com"]},
                "files": {"read": ["/opt/rules"], "write": ["/tmp/scans"]},
                "max_run_seconds": 5, "max_output_bytes": 100, "secrets": ["token"],
            })),
            ProfileOrigin::Org,
            1,
        )
        .unwrap();
        assert!(profile.check_host("git.example.com", None).is_ok());
        assert!(profile.check_host("repo.io", Some("repo.io")).is_ok());
        assert_eq!(profile.check_host("repo.io", Some("other.io")).unwrap_err().rule, "egress_not_granted");
        assert_eq!(profile.check_host("internal.example.com", None).unwrap_err().rule, "egress_denied");
        let id = CredentialId::parse("cred_01J00000000000000000000000").unwrap();
        assert!(profile.check_secret(&id, CredentialKind::Token).is_ok());
        assert_eq!(profile.check_secret(&id, CredentialKind::Basic).unwrap_err().rule, "secret_not_granted");
        assert!(profile.check_output(100).is_ok());
        assert_eq!(profile.check_output(101).unwrap_err().rule, "max_output_bytes");
        assert!(profile.check_path("/opt/rules/a.yaml", Access::Read).is_ok());
        assert!(profile.check_path("/opt/rules/a.yaml", Access::Write).is_err());
        assert!(profile.check_path("/tmp/scans/out.json", Access::Write).is_ok());
        assert!(profile.check_path("/tmp/scans/out.json", Access::Read).is_ok());
        for outside in ["/opt/rulesx/a", "/opt/rules/../../etc/passwd", "/tmp/other", "relative"] {
            assert_eq!(profile.check_path(outside, Access::Read).unwrap_err().rule, "file_not_granted", "{outside}");
        }
        assert_eq!(profile.max_run(), Duration::from_secs(5));
    }
}
