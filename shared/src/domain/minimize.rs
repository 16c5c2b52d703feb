//! Data minimization: an org's data policy, which the redaction engine
//! ([`crate::base::redact`]) compiles. It is one item (`T#{org} /
//! DATAPOLICY`) read in the batch that checks each request's credential,
//! so a change applies from the next request and costs no read of its own.
//!
//! Orgs made since the policy exists are created with it on; an org with
//! no item (made before) has it off until an owner or admin turns it on.

use std::collections::{BTreeMap, BTreeSet};
use std::sync::Arc;

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use crate::base::error::{DomainError, FieldError};
use crate::base::redact::{Kind, Pattern, Redactor, Strategy};
use crate::base::tenant::{OrgId, TenantId};
use crate::ports::store::{Item, Key};

/// Patterns an org may add.
pub const MAX_PATTERNS: usize = 20;
/// Characters in one pattern.
pub const MAX_PATTERN_CHARS: usize = 200;
/// Bytes one compiled pattern may take, and the nesting it may have: a
/// pattern is compiled on every process that writes for the org, so its
/// cost is bounded whatever its text.
const PATTERN_SIZE_LIMIT: usize = 256 * 1024;
const PATTERN_NEST_LIMIT: u32 = 16;

/// One of the org's own patterns, as stored and as the API shows it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CustomPattern {
    /// Lowercase letters, digits and `_`, starting with a letter; not a
    /// built-in kind's name. Replacements show it: `[redacted:employee_id]`.
    #[schema(example = "employee_id", pattern = "^[a-z][a-z0-9_]{0,39}$")]
    pub name: String,
    /// A regular expression (Rust `regex` syntax: no look-around or
    /// backreferences, matched in linear time), at most 200 characters.
    /// It must not match empty text.
    #[schema(example = "EMP-[0-9]{6}", min_length = 1, max_length = 200)]
    pub pattern: String,
    #[serde(default)]
    pub strategy: Strategy,
}

/// The stored policy.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct DataPolicy {
    pub enabled: bool,
    #[serde(default)]
    pub strategies: BTreeMap<Kind, Strategy>,
    #[serde(default)]
    pub custom_patterns: Vec<CustomPattern>,
    #[serde(default)]
    pub updated_at: Option<DateTime<Utc>>,
}

/// What the API shows: every kind's strategy, the org's patterns, and the
/// version an edit's `If-Match` names.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct DataPolicyView {
    /// Whether personal data is minimized. Credentials (JWTs, API keys, AWS
    /// access keys) are removed either way.
    pub enabled: bool,
    /// How each built-in kind is replaced: `mask`, `hash` or `drop`.
    #[schema(schema_with = strategies_schema)]
    pub strategies: BTreeMap<Kind, Strategy>,
    pub custom_patterns: Vec<CustomPattern>,
    /// 0 until the policy is first stored.
    pub version: u64,
    pub updated_at: Option<DateTime<Utc>>,
}

/// An edit: the fields given replace the stored ones (`strategies` merges
/// by kind; `custom_patterns` replaces the whole list).
#[derive(Debug, Clone, Default, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct EditDataPolicy {
    pub enabled: Option<bool>,
    #[serde(default)]
    #[schema(schema_with = strategies_schema)]
    pub strategies: Option<BTreeMap<Kind, Strategy>>,
    #[schema(max_items = 20)]
    pub custom_patterns: Option<Vec<CustomPattern>>,
}

/// `{kind: strategy}`: one optional property per built-in kind, no other.
fn strategies_schema() -> utoipa::openapi::schema::Object {
    use utoipa::openapi::schema::{AdditionalProperties, ObjectBuilder};
    let mut object = ObjectBuilder::new()
        .description(Some("How each built-in kind is replaced (`mask` when not named)."))
        .additional_properties(Some(AdditionalProperties::FreeForm(false)))
        .examples([serde_json::json!({"email": "hash", "phone": "mask", "iban": "drop"})]);
    for kind in Kind::ALL {
        object = object.property(kind.as_str(), utoipa::openapi::Ref::from_schema_name("Strategy"));
    }
    object.build()
}

pub fn key(tenant: &TenantId) -> Key {
    Key::tenant(tenant, "DATAPOLICY")
}

impl DataPolicy {
    /// A new org's: on, every kind masked.
    pub fn for_new_org() -> Self {
        Self { enabled: true, strategies: BTreeMap::new(), custom_patterns: Vec::new(), updated_at: None }
    }

    /// An org made before policies existed, until it stores one: off.
    pub fn legacy() -> Self {
        Self { enabled: false, ..Self::for_new_org() }
    }

    pub fn item(&self, tenant: &TenantId, version: u64) -> Result<Item, DomainError> {
        Ok(Item::new(key(tenant), version, self)?)
    }

    /// The stored policy and its version (the legacy one at version 0).
    pub fn from_item(item: Option<&Item>) -> Result<(Self, u64), DomainError> {
        match item {
            Some(item) => Ok((item.parse()?, item.version)),
            None => Ok((Self::legacy(), 0)),
        }
    }

    pub fn view(&self, version: u64) -> DataPolicyView {
        let strategies =
            Kind::ALL.into_iter().map(|k| (k, self.strategies.get(&k).copied().unwrap_or_default())).collect();
        DataPolicyView {
            enabled: self.enabled,
            strategies,
            custom_patterns: self.custom_patterns.clone(),
            version,
            updated_at: self.updated_at,
        }
    }

    /// The policy after `edit`, checked: every problem is reported, each
    /// naming its field.
    pub fn edited(&self, edit: EditDataPolicy, now: DateTime<Utc>) -> Result<Self, DomainError> {
        let mut next = self.clone();
        if let Some(enabled) = edit.enabled {
            next.enabled = enabled;
        }
        if let Some(strategies) = edit.strategies {
            next.strategies.extend(strategies);
        }
        // Masking is what a kind not named does: storing it would only
        // make two spellings of one policy.
        next.strategies.retain(|_, s| *s != Strategy::Mask);
        if let Some(patterns) = edit.custom_patterns {
            let errors = check_patterns(&patterns);
            if !errors.is_empty() {
                return Err(DomainError::Validation(errors));
            }
            next.custom_patterns = patterns;
        }
        next.updated_at = Some(now);
        Ok(next)
    }

    /// The compiled policy (cached per org and version).
    pub fn redactor(&self, org: &OrgId, version: u64) -> Arc<Redactor> {
        crate::base::redact::cached(org, version, || {
            let patterns = self
                .custom_patterns
                .iter()
                .filter_map(|p| {
                    let regex = compile(&p.pattern).ok()?;
                    Some(Pattern { name: p.name.clone(), regex, strategy: p.strategy })
                })
                .collect();
            Redactor::compiled(org, self.enabled, self.strategies.clone(), patterns)
        })
    }
}

/// The redactor an org's stored policy item gives.
pub fn redactor_of(org: &OrgId, item: Option<&Item>) -> Result<Arc<Redactor>, DomainError> {
    let (policy, version) = DataPolicy::from_item(item)?;
    Ok(policy.redactor(org, version))
}

fn compile(pattern: &str) -> Result<regex::Regex, String> {
    regex::RegexBuilder::new(pattern)
        .size_limit(PATTERN_SIZE_LIMIT)
        .dfa_size_limit(PATTERN_SIZE_LIMIT)
        .nest_limit(PATTERN_NEST_LIMIT)
        .build()
        .map_err(|e| match e {
            regex::Error::CompiledTooBig(_) => "is too complex: it compiles past the size this server allows".into(),
            regex::Error::Syntax(detail) => {
                let last = detail.lines().rev().find(|l| !l.trim().is_empty()).unwrap_or("").trim();
                format!("is not a valid pattern: {}", last.trim_start_matches("error: "))
            }
            other => format!("is not a valid pattern: {other}"),
        })
}

fn check_patterns(patterns: &[CustomPattern]) -> Vec<FieldError> {
    let mut errors = Vec::new();
    if patterns.len() > MAX_PATTERNS {
        errors.push(FieldError::new("custom_patterns", format!("list at most {MAX_PATTERNS} patterns")));
    }
    let mut names = BTreeSet::new();
    for (i, p) in patterns.iter().enumerate() {
        let at = |field: &str| format!("custom_patterns[{i}].{field}");
        let name_ok = p.name.len() <= 40
            && p.name.starts_with(|c: char| c.is_ascii_lowercase())
            && p.name.chars().all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_');
        if !name_ok {
            errors.push(FieldError::new(
                at("name"),
                "must be 1 to 40 lowercase letters, digits or _, starting with a letter",
            ));
        } else if Kind::parse(&p.name).is_some() {
            errors.push(FieldError::new(at("name"), format!("`{}` is a built-in kind; choose another name", p.name)));
        } else if !names.insert(p.name.as_str()) {
            errors.push(FieldError::new(at("name"), format!("`{}` names another pattern too", p.name)));
        }
        if p.pattern.is_empty() || p.pattern.chars().count() > MAX_PATTERN_CHARS {
            errors.push(FieldError::new(at("pattern"), format!("must be 1 to {MAX_PATTERN_CHARS} characters")));
            continue;
        }
        match compile(&p.pattern) {
            Err(reason) => errors.push(FieldError::new(at("pattern"), reason)),
            // A pattern that matches nothing at all would fire everywhere.
            Ok(regex)
                if ["", " ", "a", "0", "a 0 \n"].iter().any(|probe| regex.find_iter(probe).any(|m| m.is_empty())) =>
            {
                errors.push(FieldError::new(at("pattern"), "matches empty text; it must match at least one character"))
            }
            Ok(_) => {}
        }
    }
    errors
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pattern(name: &str, pattern: &str) -> CustomPattern {
        CustomPattern { name: name.into(), pattern: pattern.into(), strategy: Strategy::Mask }
    }

    fn problems(patterns: Vec<CustomPattern>) -> Vec<(String, String)> {
        let edit = EditDataPolicy { custom_patterns: Some(patterns), ..Default::default() };
        match DataPolicy::for_new_org().edited(edit, crate::now()) {
            Err(DomainError::Validation(errors)) => errors.into_iter().map(|e| (e.field, e.message)).collect(),
            other => panic!("expected a validation error, got {other:?}"),
        }
    }

    #[test]
    fn a_pattern_that_is_invalid_empty_too_big_or_misnamed_is_refused_naming_its_field() {
        let found = problems(vec![
            pattern("ok_one", "EMP-[0-9]{6}"),
            pattern("bad", "EMP-(unclosed"),
            pattern("empty", "x*"),
            pattern("huge", r"\w{1000}\w{1000}\w{1000}"),
            pattern("Email", "x"),
            pattern("email", "x"),
            pattern("ok_one", "y"),
        ]);
        let fields: Vec<&str> = found.iter().map(|(f, _)| f.as_str()).collect();
        assert_eq!(
            fields,
            [
                "custom_patterns[1].pattern",
                "custom_patterns[2].pattern",
                "custom_patterns[3].pattern",
                "custom_patterns[4].name",
                "custom_patterns[5].name",
                "custom_patterns[6].name"
            ],
            "{found:?}"
        );
        assert!(found[0].1.contains("not a valid pattern"), "{found:?}");
        assert!(found[1].1.contains("empty"), "{found:?}");
        assert!(found[2].1.contains("too complex"), "{found:?}");
    }

    #[test]
    fn more_patterns_than_allowed_are_refused() {
        let many = (0..=MAX_PATTERNS).map(|i| pattern(&format!("p{i}"), "x")).collect();
        assert_eq!(problems(many)[0].0, "custom_patterns");
    }

    #[test]
    fn an_edit_merges_strategies_and_stores_no_default_ones() {
        let edit = EditDataPolicy {
            strategies: Some(BTreeMap::from([(Kind::Email, Strategy::Hash), (Kind::Phone, Strategy::Mask)])),
            ..Default::default()
        };
        let next = DataPolicy::for_new_org().edited(edit, crate::now()).unwrap();
        assert_eq!(next.strategies, BTreeMap::from([(Kind::Email, Strategy::Hash)]));
        let view = next.view(2);
        assert_eq!(view.strategies.len(), Kind::ALL.len());
        assert_eq!(view.strategies[&Kind::Phone], Strategy::Mask);
    }
}
