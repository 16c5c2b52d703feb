//! The redaction engine of data minimization: it finds personal data and
//! credentials in text and JSON ([`detect`] plus an org's own patterns)
//! and replaces each finding by its kind's strategy: a mask, a keyed hash,
//! or nothing.
//!
//! It runs wherever customer data would leave or rest outside its own
//! field: audit metadata and diffs, evidence reports, delivery previews,
//! error details, log lines, the MCP gateway's call records. The org's
//! policy (`domain::minimize::DataPolicy`) compiles to a [`Redactor`];
//! where no org is known (logs, error details) [`Redactor::platform`]
//! masks everything it finds.

pub mod detect;

use std::borrow::Cow;
use std::collections::{BTreeMap, HashMap};
use std::sync::{Arc, LazyLock, Mutex, OnceLock};

use hmac::{Hmac, Mac};
use regex::Regex;
use serde::{Deserialize, Serialize};
use serde_json::Value;
use sha2::Sha256;

pub use detect::Kind;

use crate::base::tenant::OrgId;

/// What replaces a finding.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum Strategy {
    /// `[redacted:email]`.
    #[default]
    Mask,
    /// `[email:1f2e3d4c5b6a7988]`: HMAC-SHA256 of the normalized value
    /// under the org's own key, so one value gives one pseudonym within an
    /// org and nothing outside it.
    Hash,
    /// Removed without a trace.
    Drop,
}

/// What a finding is: a built-in kind, or one of the org's patterns.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Label {
    Builtin(Kind),
    Custom(String),
}

impl Label {
    pub fn as_str(&self) -> &str {
        match self {
            Label::Builtin(kind) => kind.as_str(),
            Label::Custom(name) => name,
        }
    }
}

/// One finding in a text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Finding {
    pub range: std::ops::Range<usize>,
    pub label: Label,
}

/// An org's compiled pattern.
#[derive(Debug, Clone)]
pub struct Pattern {
    pub name: String,
    pub regex: Regex,
    pub strategy: Strategy,
}

/// A compiled policy: which kinds to look for, how to replace each, the
/// org's own patterns and its hashing key.
#[derive(Clone)]
pub struct Redactor {
    /// Personal data is looked for (credentials always are).
    personal: bool,
    strategies: BTreeMap<Kind, Strategy>,
    patterns: Vec<Pattern>,
    hash_key: Option<[u8; 32]>,
}

impl std::fmt::Debug for Redactor {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Redactor")
            .field("personal", &self.personal)
            .field("strategies", &self.strategies)
            .field("patterns", &self.patterns.len())
            .finish_non_exhaustive()
    }
}

/// The platform's key, from which each org's hashing key is derived (set
/// once at start from the service secret; see [`install_platform_key`]).
static PLATFORM_KEY: OnceLock<[u8; 32]> = OnceLock::new();

/// Derives every org's hashing key from `secret` from now on. Without it a
/// `hash` strategy masks instead: no pseudonym is ever made with a key an
/// attacker could know.
pub fn install_platform_key(secret: &[u8]) {
    let mut mac = Hmac::<Sha256>::new_from_slice(secret).expect("HMAC accepts any key length");
    mac.update(b"controlplane/minimize/v1");
    let _ = PLATFORM_KEY.set(mac.finalize().into_bytes().into());
}

/// Whether [`install_platform_key`] has run in this process.
pub fn platform_key_installed() -> bool {
    PLATFORM_KEY.get().is_some()
}

fn org_key(org: &OrgId) -> Option<[u8; 32]> {
    let platform = PLATFORM_KEY.get()?;
    let mut mac = Hmac::<Sha256>::new_from_slice(platform).expect("HMAC accepts any key length");
    mac.update(org.as_str().as_bytes());
    Some(mac.finalize().into_bytes().into())
}

static PLATFORM: LazyLock<Redactor> =
    LazyLock::new(|| Redactor { personal: true, strategies: BTreeMap::new(), patterns: Vec::new(), hash_key: None });

static CREDENTIALS_ONLY: LazyLock<Redactor> = LazyLock::new(|| Redactor { personal: false, ..PLATFORM.clone() });

impl Redactor {
    /// Every built-in kind, masked: for logs and error details, where no
    /// org's policy applies.
    pub fn platform() -> &'static Redactor {
        &PLATFORM
    }

    /// Credentials only, masked: an org that turned minimization off.
    pub fn credentials_only() -> &'static Redactor {
        &CREDENTIALS_ONLY
    }

    pub fn compiled(org: &OrgId, personal: bool, strategies: BTreeMap<Kind, Strategy>, patterns: Vec<Pattern>) -> Self {
        let hashes = strategies.values().chain(patterns.iter().map(|p| &p.strategy)).any(|s| *s == Strategy::Hash);
        Self { personal, strategies, patterns, hash_key: if hashes { org_key(org) } else { None } }
    }

    fn strategy(&self, label: &Label) -> Strategy {
        let strategy = match label {
            Label::Builtin(kind) => self.strategies.get(kind).copied().unwrap_or_default(),
            Label::Custom(name) => {
                self.patterns.iter().find(|p| &p.name == name).map(|p| p.strategy).unwrap_or_default()
            }
        };
        match strategy {
            Strategy::Hash if self.hash_key.is_none() => Strategy::Mask,
            other => other,
        }
    }

    /// What this policy finds in `text`, in order, none overlapping (a
    /// built-in finding wins over an org's pattern where both match).
    pub fn findings(&self, text: &str) -> Vec<Finding> {
        let mut found: Vec<Finding> = detect::find(text)
            .into_iter()
            .filter(|f| self.personal || f.kind.is_credential())
            .map(|f| Finding { range: f.range, label: Label::Builtin(f.kind) })
            .collect();
        if !self.personal || self.patterns.is_empty() {
            return found;
        }
        let builtin = found.len();
        for pattern in &self.patterns {
            for m in pattern.regex.find_iter(text) {
                let overlaps = |f: &Finding| f.range.start < m.end() && m.start() < f.range.end;
                if !m.is_empty() && !found.iter().any(overlaps) {
                    found.push(Finding { range: m.range(), label: Label::Custom(pattern.name.clone()) });
                }
            }
        }
        if found.len() > builtin {
            found.sort_by_key(|f| f.range.start);
        }
        found
    }

    fn replacement(&self, label: &Label, value: &str) -> String {
        match self.strategy(label) {
            Strategy::Mask => format!("[redacted:{}]", label.as_str()),
            Strategy::Drop => String::new(),
            Strategy::Hash => {
                let normalized = match label {
                    Label::Builtin(kind) => kind.normalized(value),
                    Label::Custom(_) => value.to_owned(),
                };
                let key = self.hash_key.as_ref().expect("a hash strategy has its key (else it masks)");
                let mut mac = Hmac::<Sha256>::new_from_slice(key).expect("HMAC accepts any key length");
                mac.update(label.as_str().as_bytes());
                mac.update(&[0]);
                mac.update(normalized.as_bytes());
                let digest = mac.finalize().into_bytes();
                let hex: String = digest[..8].iter().map(|b| format!("{b:02x}")).collect();
                format!("[{}:{hex}]", label.as_str())
            }
        }
    }

    /// `text` with every finding replaced (borrowed when there is none).
    pub fn text<'a>(&self, text: &'a str) -> Cow<'a, str> {
        let findings = self.findings(text);
        if findings.is_empty() {
            return Cow::Borrowed(text);
        }
        let mut out = String::with_capacity(text.len());
        let mut at = 0;
        for finding in findings {
            out.push_str(&text[at..finding.range.start]);
            out.push_str(&self.replacement(&finding.label, &text[finding.range.clone()]));
            at = finding.range.end;
        }
        out.push_str(&text[at..]);
        Cow::Owned(out)
    }

    /// `value` with every string, object key and number redacted (a number
    /// that holds a finding, a card number sent as one, becomes a string).
    pub fn value(&self, value: Value) -> Value {
        match value {
            Value::String(s) => match self.text(&s) {
                Cow::Borrowed(_) => Value::String(s),
                Cow::Owned(redacted) => Value::String(redacted),
            },
            Value::Number(n) => {
                let text = n.to_string();
                match self.text(&text) {
                    Cow::Borrowed(_) => Value::Number(n),
                    Cow::Owned(redacted) => Value::String(redacted),
                }
            }
            Value::Array(items) => Value::Array(items.into_iter().map(|v| self.value(v)).collect()),
            Value::Object(map) => {
                Value::Object(map.into_iter().map(|(k, v)| (self.text(&k).into_owned(), self.value(v))).collect())
            }
            other => other,
        }
    }
}

/// Compiled policies by org and policy version: a version is compiled once
/// per process, not on every event.
type ByOrgVersion = HashMap<(OrgId, u64), Arc<Redactor>>;
static COMPILED: Mutex<Option<ByOrgVersion>> = Mutex::new(None);
const COMPILED_CAPACITY: usize = 1_000;

pub fn cached(org: &OrgId, version: u64, compile: impl FnOnce() -> Redactor) -> Arc<Redactor> {
    let key = (org.clone(), version);
    if let Some(found) = COMPILED.lock().ok().and_then(|all| all.as_ref()?.get(&key).cloned()) {
        return found;
    }
    let compiled = Arc::new(compile());
    if let Ok(mut all) = COMPILED.lock() {
        let all = all.get_or_insert_with(HashMap::new);
        if all.len() >= COMPILED_CAPACITY {
            all.clear();
        }
        all.insert(key, Arc::clone(&compiled));
    }
    compiled
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn with(strategy: Strategy, patterns: Vec<Pattern>) -> Redactor {
        install_platform_key(b"test secret");
        let strategies = Kind::ALL.into_iter().map(|k| (k, strategy)).collect();
        Redactor::compiled(&OrgId::parse("org_01JD9ZK3QW0000000000000000").unwrap(), true, strategies, patterns)
    }

    #[test]
    fn each_strategy_replaces_a_finding_its_own_way() {
        let text = "mail jane@example.com today";
        assert_eq!(with(Strategy::Mask, vec![]).text(text), "mail [redacted:email] today");
        assert_eq!(with(Strategy::Drop, vec![]).text(text), "mail  today");
        let hashed = with(Strategy::Hash, vec![]).text(text).into_owned();
        assert!(hashed.starts_with("mail [email:") && hashed.ends_with("] today"), "{hashed}");
        assert!(!hashed.contains("jane"));
        let again = with(Strategy::Hash, vec![]).text("mail JANE@example.com today").into_owned();
        assert_eq!(hashed, again, "one address, however written, is one pseudonym");
    }

    #[test]
    fn an_orgs_patterns_are_applied_after_the_built_in_kinds() {
        let pattern =
            Pattern { name: "employee_id".into(), regex: Regex::new(r"EMP-\d{6}").unwrap(), strategy: Strategy::Mask };
        let redactor = with(Strategy::Mask, vec![pattern]);
        assert_eq!(redactor.text("EMP-123456 is a@b.io"), "[redacted:employee_id] is [redacted:email]");
    }

    #[test]
    fn json_strings_keys_and_numbers_are_redacted_at_any_depth() {
        let value = json!({"to": ["x@y.org"], "a@b.io": 1, "card": 4111111111111111u64, "n": 42});
        let redacted = with(Strategy::Mask, vec![]).value(value);
        assert_eq!(
            redacted,
            json!({"to": ["[redacted:email]"], "[redacted:email]": 1, "card": "[redacted:credit_card]", "n": 42})
        );
    }

    #[test]
    fn an_org_with_minimization_off_still_loses_its_credentials() {
        let text = "jane@example.com used AKIAIOSFODNN7EXAMPLE";
        assert_eq!(Redactor::credentials_only().text(text), "jane@example.com used [redacted:aws_access_key]");
    }
}
