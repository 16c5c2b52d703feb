//! The egress gate: every call the platform makes outward for an org —
//! webhook deliveries, source runners' probes, upstream MCP servers, the
//! orchestrator — passes [`Gate::check`] (OIDC discovery, which serves the
//! platform's own sign-in, does not). The org's egress policy (`T#{org} /
//! EGRESSPOLICY`) names hosts to allow and to deny (exact, or `*.` for any
//! name under a domain) and, where the deployment configures a range table,
//! the regions the address called may lie in:
//!
//! - `off` (until an owner or admin sets a policy): only the address rules
//!   every call obeys ([`target`]: public addresses, `https://`);
//! - `audit`: every call goes out; one the policy would refuse is recorded
//!   as `egress.flagged`;
//! - `strict`: a call the policy does not allow is not made, and is
//!   recorded as `egress.blocked`.
//!
//! Deny beats allow; with an empty allow-list nothing is allowed (strict
//! refuses everything, audit flags everything). The policy is read with
//! each call's other items, so a change applies from the next call.

use std::collections::BTreeSet;
use std::net::IpAddr;
use std::sync::OnceLock;

use chrono::{DateTime, Utc};
use ipnet::IpNet;
use serde::{Deserialize, Serialize};
use serde_json::json;

use crate::base::error::{DomainError, FieldError};
use crate::base::tenant::{OrgId, TenantId};
use crate::domain::audit::{AuditEvent, Target};
use crate::domain::exec::{ExecProfile, Runner, Violation};
use crate::domain::webhooks::target::{self, Allowances, CheckedTarget};
use crate::ports::store::{Item, Key, Store, StoreError};

/// Rules in one list.
pub const MAX_RULES: usize = 100;
/// The variable naming the range table: lines of `<CIDR> <region>`.
pub const RANGES_ENV: &str = "CONTROLPLANE_EGRESS_RANGES";

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "lowercase")]
pub enum EgressMode {
    /// No policy: only the rules every call obeys.
    #[default]
    Off,
    /// Calls go out; those the policy would refuse are recorded (`egress.flagged`).
    Audit,
    /// Calls the policy does not allow are refused and recorded (`egress.blocked`).
    Strict,
}

/// A host rule: a name (`api.example.com`), an address (`203.0.113.7`,
/// `[2001:db8::1]`), or `*.example.com` for any name under example.com
/// (not example.com itself). Lowercase, without scheme, port or path.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(try_from = "String", into = "String")]
#[schema(value_type = String, example = "*.hooks.example.com", max_length = 255, pattern = r"^(\*\.)?[^\s/:@?#*]+$|^\[[0-9A-Fa-f:.]+\]$")]
pub struct HostRule(String);

impl HostRule {
    pub fn parse(raw: &str) -> Result<Self, String> {
        let raw = raw.trim().to_ascii_lowercase();
        let (wildcard, name) = match raw.strip_prefix("*.") {
            Some(rest) => (true, rest),
            None => (false, raw.as_str()),
        };
        let refused = || format!("`{raw}` is not a host name, an address, or `*.` and a domain");
        if name.is_empty()
            || name.len() > 253
            || name.contains(['/', ':', '@', '?', '#', '*']) && !name.starts_with('[')
        {
            return Err(refused());
        }
        let host = url::Host::parse(name).map_err(|_| refused())?;
        match (wildcard, &host) {
            (true, url::Host::Domain(domain)) if domain.contains('.') => Ok(Self(format!("*.{domain}"))),
            (true, _) => Err(format!("`{raw}`: a wildcard goes before a domain with a dot (`*.example.com`)")),
            (false, host) => Ok(Self(host.to_string())),
        }
    }

    /// Whether `host` (as a URL names it: lowercase, IPv6 in brackets) is
    /// this rule's.
    pub fn matches(&self, host: &str) -> bool {
        match self.0.strip_prefix("*.") {
            Some(domain) => host.strip_suffix(domain).is_some_and(|sub| sub.len() > 1 && sub.ends_with('.')),
            None => self.0 == host,
        }
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl TryFrom<String> for HostRule {
    type Error = String;
    fn try_from(raw: String) -> Result<Self, String> {
        Self::parse(&raw)
    }
}

impl From<HostRule> for String {
    fn from(rule: HostRule) -> String {
        rule.0
    }
}

impl std::fmt::Display for HostRule {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

/// Address ranges and the region each lies in, from configuration.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct RangeTable(Vec<(IpNet, String)>);

impl RangeTable {
    /// Parses lines of `<CIDR> <region>` (blank lines and `#` comments
    /// skipped); an error names the line.
    pub fn parse(text: &str) -> Result<Self, String> {
        let mut ranges = Vec::new();
        for (n, line) in text.lines().enumerate() {
            let line = line.split('#').next().unwrap_or_default().trim();
            if line.is_empty() {
                continue;
            }
            let mut fields = line.split_whitespace();
            let (Some(cidr), Some(region), None) = (fields.next(), fields.next(), fields.next()) else {
                return Err(format!("line {}: expected `<CIDR> <region>`", n + 1));
            };
            let net = cidr.parse::<IpNet>().map_err(|e| format!("line {}: `{cidr}`: {e}", n + 1))?;
            ranges.push((net.trunc(), region.to_ascii_lowercase()));
        }
        Ok(Self(ranges))
    }

    /// The region of the narrowest range holding `addr`.
    pub fn region_of(&self, addr: IpAddr) -> Option<&str> {
        self.0
            .iter()
            .filter(|(net, _)| net.contains(&addr))
            .max_by_key(|(net, _)| net.prefix_len())
            .map(|(_, r)| r.as_str())
    }

    pub fn regions(&self) -> BTreeSet<&str> {
        self.0.iter().map(|(_, r)| r.as_str()).collect()
    }
}

static RANGES: OnceLock<Result<Option<RangeTable>, String>> = OnceLock::new();

/// The table [`RANGES_ENV`] names, read once per process.
fn load() -> &'static Result<Option<RangeTable>, String> {
    RANGES.get_or_init(|| {
        let Some(path) = std::env::var_os(RANGES_ENV).filter(|p| !p.is_empty()) else { return Ok(None) };
        let unusable =
            |e: &dyn std::fmt::Display| format!("{RANGES_ENV} {}: {e}", std::path::Path::new(&path).display());
        let text = std::fs::read_to_string(&path).map_err(|e| unusable(&e))?;
        RangeTable::parse(&text).map(Some).map_err(|e| unusable(&e))
    })
}

/// The deployment's range table, if one is configured (and readable).
pub fn ranges() -> Option<&'static RangeTable> {
    load().as_ref().ok().and_then(Option::as_ref)
}

/// Reads the range table now: an unusable one is reported at start, not
/// at the first call it would judge.
pub fn check_ranges() -> Result<(), String> {
    load().as_ref().map(drop).map_err(Clone::clone)
}

/// The stored policy.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct EgressPolicy {
    pub mode: EgressMode,
    #[serde(default)]
    pub allow: Vec<HostRule>,
    #[serde(default)]
    pub deny: Vec<HostRule>,
    /// Regions of the range table the address called must lie in; empty:
    /// any.
    #[serde(default)]
    pub regions: Vec<String>,
    #[serde(default)]
    pub updated_at: Option<DateTime<Utc>>,
}

/// What the API shows: the policy and the version an edit's `If-Match` names.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct EgressPolicyView {
    pub mode: EgressMode,
    /// Hosts calls may go to.
    pub allow: Vec<HostRule>,
    /// Hosts calls may never go to (beats `allow`).
    pub deny: Vec<HostRule>,
    /// Regions (of the deployment's range table) the address called must
    /// lie in; empty: any.
    #[schema(example = json!(["eu"]))]
    pub regions: Vec<String>,
    /// The regions this deployment's range table knows; empty: it has
    /// none, and `regions` cannot be set.
    pub known_regions: Vec<String>,
    /// 0 until the policy is first stored.
    pub version: u64,
    pub updated_at: Option<DateTime<Utc>>,
}

/// An edit: the fields given replace the stored ones.
#[derive(Debug, Clone, Default, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct EditEgressPolicy {
    pub mode: Option<EgressMode>,
    #[schema(max_items = 100)]
    pub allow: Option<Vec<HostRule>>,
    #[schema(max_items = 100)]
    pub deny: Option<Vec<HostRule>>,
    #[schema(max_items = 100, example = json!(["eu"]))]
    pub regions: Option<Vec<String>>,
}

pub fn key(tenant: &TenantId) -> Key {
    Key::tenant(tenant, "EGRESSPOLICY")
}

/// The rule a call broke, if any.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Verdict {
    Allowed,
    Flagged(String),
    Blocked(String),
}

impl EgressPolicy {
    /// The stored policy and its version (none stored: `off`, version 0).
    pub fn from_item(item: Option<&Item>) -> Result<(Self, u64), StoreError> {
        item.map_or(Ok((Self::default(), 0)), |item| Ok((item.parse()?, item.version)))
    }

    pub fn item(&self, tenant: &TenantId, version: u64) -> Result<Item, StoreError> {
        Item::new(key(tenant), version, self)
    }

    pub fn view(&self, version: u64) -> EgressPolicyView {
        EgressPolicyView {
            mode: self.mode,
            allow: self.allow.clone(),
            deny: self.deny.clone(),
            regions: self.regions.clone(),
            known_regions: ranges().map(|t| t.regions().into_iter().map(str::to_owned).collect()).unwrap_or_default(),
            version,
            updated_at: self.updated_at,
        }
    }

    /// The policy `edit` makes of this one; 422 naming each field wrong.
    pub fn edited(
        &self,
        edit: EditEgressPolicy,
        known: Option<&RangeTable>,
        now: DateTime<Utc>,
    ) -> Result<Self, DomainError> {
        let mut next = self.clone();
        next.mode = edit.mode.unwrap_or(next.mode);
        next.allow = edit.allow.unwrap_or(next.allow);
        next.deny = edit.deny.unwrap_or(next.deny);
        next.regions =
            edit.regions.map(|r| r.iter().map(|r| r.trim().to_ascii_lowercase()).collect()).unwrap_or(next.regions);
        let mut errors = Vec::new();
        for (field, rules) in [("allow", &next.allow), ("deny", &next.deny)] {
            if rules.len() > MAX_RULES {
                errors.push(FieldError::new(field, format!("at most {MAX_RULES} hosts")));
            }
            let mut seen = BTreeSet::new();
            for (i, rule) in rules.iter().enumerate() {
                if !seen.insert(rule) {
                    errors.push(FieldError::new(format!("{field}[{i}]"), format!("`{rule}` is listed twice")));
                }
            }
        }
        let known_regions = known.map(RangeTable::regions).unwrap_or_default();
        for (i, region) in next.regions.iter().enumerate() {
            if known.is_none() {
                errors.push(FieldError::new(
                    "regions",
                    format!("this deployment has no range table ({RANGES_ENV}), so no region can be checked"),
                ));
                break;
            }
            if !known_regions.contains(region.as_str()) {
                let listed = known_regions.iter().copied().collect::<Vec<_>>().join(", ");
                errors.push(FieldError::new(format!("regions[{i}]"), format!("`{region}` is not one of {listed}")));
            }
        }
        if !errors.is_empty() {
            return Err(DomainError::Validation(errors));
        }
        next.updated_at = Some(now);
        Ok(next)
    }

    /// The rule a call to `host` at `addr` breaks, if any: a deny-list
    /// entry, the allow-list not naming it, or its address's region.
    pub fn broken_rule(&self, host: &str, addr: Option<IpAddr>, table: Option<&RangeTable>) -> Option<String> {
        if let Some(denied) = self.deny.iter().find(|r| r.matches(host)) {
            return Some(format!("deny:{denied}"));
        }
        if !self.allow.iter().any(|r| r.matches(host)) {
            return Some("not_allowed".into());
        }
        if self.regions.is_empty() {
            return None;
        }
        // Regions set but nothing to check them with (the table became
        // unreadable, or no address was found): not allowed.
        let region = match (table, addr) {
            (Some(table), Some(addr)) => table.region_of(addr).unwrap_or("unknown"),
            (None, _) => "no_range_table",
            (_, None) => "unresolved",
        };
        (!self.regions.iter().any(|r| r == region)).then(|| format!("region:{region}"))
    }

    pub fn judge(&self, host: &str, addr: Option<IpAddr>, table: Option<&RangeTable>) -> Verdict {
        match (self.mode, self.broken_rule(host, addr, table)) {
            (EgressMode::Off, _) | (_, None) => Verdict::Allowed,
            (EgressMode::Audit, Some(rule)) => Verdict::Flagged(rule),
            (EgressMode::Strict, Some(rule)) => Verdict::Blocked(rule),
        }
    }
}

/// Which part of the platform calls out, and for what.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EgressCaller {
    /// `webhook`, `source_runner`, `mcp_upstream`, `orchestrator`.
    pub kind: &'static str,
    pub id: String,
}

/// The execution profile a caller runs under, and the host its own
/// configuration names (what an `endpoint` grant allows).
pub struct Confined<'a> {
    pub profile: &'a ExecProfile,
    pub endpoint: Option<String>,
}

/// One org's gate, for the calls of one caller.
pub struct Gate<'a> {
    pub store: &'a dyn Store,
    pub org: &'a OrgId,
    pub policy: &'a EgressPolicy,
    pub caller: EgressCaller,
    /// The job or request the call belongs to (the events' `request_id`).
    pub trace_id: &'a str,
    /// A tool's or runner's profile, checked before the org's policy and
    /// always strictly; `None` for the platform's own calls (webhooks, the
    /// orchestrator, discovery).
    pub confined: Option<Confined<'a>>,
}

impl Gate<'_> {
    /// The one check before a call to `url`: the caller's execution
    /// profile, its addresses (see [`target::check`]), then the org's
    /// policy on its host and the address it will connect to. `Err` says
    /// why it may not be made.
    pub async fn check(&self, url: &str, allow: Allowances) -> Result<CheckedTarget, String> {
        self.within_profile(&target::host_of(url)).await.map_err(|v| v.to_string())?;
        let checked = target::check(url, allow).await.map_err(|e| format!("address refused: {e}"))?;
        let host = checked.url.host_str().unwrap_or_default().to_owned();
        self.pass(&host, Some(checked.addr.ip())).await?;
        Ok(checked)
    }

    /// The check for an endpoint the deployment configures (the
    /// orchestrator): the org's policy on its host, and on its address
    /// where the region rule needs one.
    pub async fn check_endpoint(&self, url: &str) -> Result<(), String> {
        let host = target::host_of(url);
        self.within_profile(&host).await.map_err(|v| v.to_string())?;
        let addr = match (self.policy.mode, self.policy.regions.is_empty(), ranges()) {
            (EgressMode::Off, _, _) | (_, true, _) | (_, _, None) => None,
            _ => {
                let port = url::Url::parse(url).ok().and_then(|u| u.port_or_known_default()).unwrap_or(443);
                tokio::net::lookup_host((host.trim_matches(['[', ']']), port))
                    .await
                    .ok()
                    .and_then(|mut a| a.next())
                    .map(|a| a.ip())
            }
        };
        self.pass(&host, addr).await
    }

    /// The caller's profile on `host`: a call outside it is refused and
    /// recorded as `exec.violation`.
    pub async fn within_profile(&self, host: &str) -> Result<(), Violation> {
        // A URL without a host is refused by the address rules, naming it.
        let Some(confined) = self.confined.as_ref().filter(|_| !host.is_empty()) else { return Ok(()) };
        let checked = confined.profile.check_host(host, confined.endpoint.as_deref());
        if let Err(violation) = &checked {
            self.violated(confined.profile, violation).await;
        }
        checked
    }

    /// Records `violation` of `profile` by this gate's caller.
    pub async fn violated(&self, profile: &ExecProfile, violation: &Violation) {
        let runner =
            Runner { org: self.org, kind: self.caller.kind, id: self.caller.id.clone(), trace_id: self.trace_id };
        runner.violated(self.store, &profile.target, Some(&profile.digest), violation).await;
    }

    async fn pass(&self, host: &str, addr: Option<IpAddr>) -> Result<(), String> {
        let (action, rule, refused) = match self.policy.judge(host, addr, ranges()) {
            Verdict::Allowed => return Ok(()),
            Verdict::Flagged(rule) => ("egress.flagged", rule, false),
            Verdict::Blocked(rule) => ("egress.blocked", rule, true),
        };
        let metadata = json!({
            "caller": { "type": self.caller.kind, "id": self.caller.id },
            "rule": rule,
            "mode": self.policy.mode,
        });
        let target = Target { kind: "host".into(), id: host.to_owned() };
        AuditEvent::by_system(self.org, self.caller.kind, self.trace_id, action, target, metadata)
            .record_alone(self.store)
            .await;
        if refused { Err(format!("egress blocked by the org's policy ({rule}) for {host}")) } else { Ok(()) }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rules(list: &[&str]) -> Vec<HostRule> {
        list.iter().map(|r| HostRule::parse(r).unwrap()).collect()
    }

    fn policy(mode: EgressMode, allow: &[&str], deny: &[&str]) -> EgressPolicy {
        EgressPolicy { mode, allow: rules(allow), deny: rules(deny), ..Default::default() }
    }

    #[test]
    fn host_rules_are_names_addresses_or_wildcards_under_a_domain_and_nothing_else() {
        for (raw, kept) in [
            ("API.Example.com", "api.example.com"),
            ("*.example.com", "*.example.com"),
            ("203.0.113.7", "203.0.113.7"),
            ("[2001:DB8::1]", "[2001:db8::1]"),
        ] {
            assert_eq!(HostRule::parse(raw).unwrap().as_str(), kept, "{raw}");
        }
        for refused in
            ["", "https://example.com", "example.com:443", "example.com/path", "*.com", "*", "a*.b.com", "u@h.com"]
        {
            assert!(HostRule::parse(refused).is_err(), "{refused}");
        }
    }

    #[test]
    fn a_wildcard_matches_names_under_its_domain_but_not_the_domain_or_lookalikes() {
        let rule = HostRule::parse("*.example.com").unwrap();
        assert!(rule.matches("hooks.example.com") && rule.matches("a.b.example.com"));
        assert!(
            !rule.matches("example.com") && !rule.matches("badexample.com") && !rule.matches("example.com.evil.io")
        );
        assert!(HostRule::parse("example.com").unwrap().matches("example.com"));
    }

    #[test]
    fn deny_beats_allow_strict_blocks_audit_flags_and_off_lets_everything_through() {
        let strict = policy(EgressMode::Strict, &["*.example.com"], &["bad.example.com"]);
        assert_eq!(strict.judge("hooks.example.com", None, None), Verdict::Allowed);
        assert_eq!(strict.judge("bad.example.com", None, None), Verdict::Blocked("deny:bad.example.com".into()));
        assert_eq!(strict.judge("other.io", None, None), Verdict::Blocked("not_allowed".into()));
        let audit = EgressPolicy { mode: EgressMode::Audit, ..strict.clone() };
        assert_eq!(audit.judge("other.io", None, None), Verdict::Flagged("not_allowed".into()));
        assert_eq!(audit.judge("hooks.example.com", None, None), Verdict::Allowed);
        let off = EgressPolicy { mode: EgressMode::Off, ..strict };
        assert_eq!(off.judge("bad.example.com", None, None), Verdict::Allowed);
        assert_eq!(
            policy(EgressMode::Strict, &[], &[]).judge("any.io", None, None),
            Verdict::Blocked("not_allowed".into())
        );
    }

    #[test]
    fn the_region_rule_checks_the_address_against_the_narrowest_range() {
        let table = RangeTable::parse("# ranges\n203.0.113.0/24 eu\n203.0.113.128/25 us\n2001:db8::/32 eu\n").unwrap();
        assert_eq!(table.region_of("203.0.113.7".parse().unwrap()), Some("eu"));
        assert_eq!(table.region_of("203.0.113.200".parse().unwrap()), Some("us"));
        assert_eq!(table.region_of("198.51.100.1".parse().unwrap()), None);
        let eu_only =
            EgressPolicy { regions: vec!["eu".into()], ..policy(EgressMode::Strict, &["*.example.com"], &[]) };
        let at = |ip: &str| eu_only.judge("h.example.com", Some(ip.parse().unwrap()), Some(&table));
        assert_eq!(at("203.0.113.7"), Verdict::Allowed);
        assert_eq!(at("2001:db8::5"), Verdict::Allowed);
        assert_eq!(at("203.0.113.200"), Verdict::Blocked("region:us".into()));
        assert_eq!(at("198.51.100.1"), Verdict::Blocked("region:unknown".into()));
        assert_eq!(eu_only.judge("h.example.com", None, Some(&table)), Verdict::Blocked("region:unresolved".into()));
        let unchecked = eu_only.judge("h.example.com", Some("203.0.113.7".parse().unwrap()), None);
        assert_eq!(unchecked, Verdict::Blocked("region:no_range_table".into()), "regions fail closed");
        assert!(RangeTable::parse("203.0.113.0/24").unwrap_err().starts_with("line 1"));
        assert!(RangeTable::parse("\nnot-a-cidr eu").unwrap_err().starts_with("line 2"));
    }

    #[test]
    fn an_edit_names_each_field_it_cannot_take() {
        let table = RangeTable::parse("203.0.113.0/24 eu").unwrap();
        let edit = EditEgressPolicy {
            allow: Some(rules(&["a.example.com", "a.example.com"])),
            regions: Some(vec!["eu".into(), "mars".into()]),
            ..Default::default()
        };
        let Err(DomainError::Validation(errors)) = EgressPolicy::default().edited(edit, Some(&table), Utc::now())
        else {
            panic!("refused")
        };
        let fields: Vec<&str> = errors.iter().map(|e| e.field.as_str()).collect();
        assert_eq!(fields, ["allow[1]", "regions[1]"]);
        let edit = EditEgressPolicy { regions: Some(vec!["eu".into()]), ..Default::default() };
        let Err(DomainError::Validation(errors)) = EgressPolicy::default().edited(edit, None, Utc::now()) else {
            panic!("refused without a table")
        };
        assert_eq!(errors[0].field, "regions");
        let edit = EditEgressPolicy {
            mode: Some(EgressMode::Strict),
            allow: Some(rules(&["*.example.com"])),
            ..Default::default()
        };
        let next = EgressPolicy::default().edited(edit, None, Utc::now()).unwrap();
        assert_eq!((next.mode, next.allow.len()), (EgressMode::Strict, 1));
    }
}
