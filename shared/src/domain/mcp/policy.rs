//! Policies on the gateway's calls of a registered server's tools. A
//! binding, kept on the server's item (so a call reads it with the server),
//! targets the server (every tool) or one of its tools:
//!
//! - `deny`: the tool is never callable (and not listed);
//! - `audit`: calls go through, flagged in their audit event — every call,
//!   or only those its rules catch;
//! - `enforce`: a call its rules catch is blocked.
//!
//! Rules look at a call's arguments: a `pattern` (the `regex` crate: linear
//! time whatever the input, so an agent's arguments cannot make a tenant's
//! pattern slow) over every string in them, or a `path_allow_list` the
//! named arguments must stay inside. What a rule caught is reported by
//! argument name and rule, never by value.

use std::collections::BTreeSet;

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

use crate::base::error::DomainError;
use crate::base::ids::BindingId;
use crate::domain::mcp::tools::check_name;
use crate::domain::source::check_policy_id;

/// Bindings one server holds.
pub const MAX_BINDINGS: usize = 20;
/// Rules one binding holds.
pub const MAX_RULES: usize = 10;
pub const MAX_PATTERN_CHARS: usize = 512;
/// The most memory a compiled pattern may take (the `regex` crate's bound).
const PATTERN_SIZE_LIMIT: usize = 256 * 1024;
/// Argument names one rule lists, and the longest.
pub const MAX_RULE_ARGUMENTS: usize = 10;
const MAX_ARGUMENT_CHARS: usize = 64;
/// Path prefixes one allow-list holds, and the longest.
pub const MAX_PREFIXES: usize = 20;
const MAX_PREFIX_CHARS: usize = 256;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum CallPolicyMode {
    /// Never callable.
    Deny,
    /// Allowed, flagged in the audit log (when a rule catches it, or always without rules).
    Audit,
    /// Blocked when a rule catches it.
    Enforce,
}

impl CallPolicyMode {
    pub fn as_str(self) -> &'static str {
        match self {
            CallPolicyMode::Deny => "deny",
            CallPolicyMode::Audit => "audit",
            CallPolicyMode::Enforce => "enforce",
        }
    }
}

/// What a rule looks for in a call's arguments.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case", tag = "type", deny_unknown_fields)]
pub enum ArgumentRule {
    /// Catches a call when a string anywhere in the named arguments (every
    /// argument when none is named) matches `pattern` (a `regex` crate
    /// pattern; `(?i)` for case-insensitive).
    Pattern {
        pattern: String,
        #[serde(default, skip_serializing_if = "Vec::is_empty")]
        arguments: Vec<String>,
    },
    /// Catches a call when a named argument is not a path inside one of
    /// `allow` (after `.` and `..` are resolved; a string or a list of
    /// strings; a backslash or NUL is never inside).
    PathAllowList { arguments: Vec<String>, allow: Vec<String> },
}

impl ArgumentRule {
    pub fn kind(&self) -> &'static str {
        match self {
            ArgumentRule::Pattern { .. } => "pattern",
            ArgumentRule::PathAllowList { .. } => "path_allow_list",
        }
    }

    fn check(&self, at: &str) -> Result<(), DomainError> {
        let names = match self {
            ArgumentRule::Pattern { pattern, arguments } => {
                if pattern.is_empty() || pattern.chars().count() > MAX_PATTERN_CHARS {
                    let message = format!("a pattern of 1 to {MAX_PATTERN_CHARS} characters");
                    return Err(DomainError::field(format!("{at}.pattern"), message));
                }
                compile(pattern).map_err(|e| DomainError::field(format!("{at}.pattern"), e))?;
                arguments
            }
            ArgumentRule::PathAllowList { arguments, allow } => {
                if arguments.is_empty() {
                    return Err(DomainError::field(format!("{at}.arguments"), "name the arguments that are paths"));
                }
                if allow.is_empty() || allow.len() > MAX_PREFIXES {
                    let message = format!("1 to {MAX_PREFIXES} paths");
                    return Err(DomainError::field(format!("{at}.allow"), message));
                }
                for (i, prefix) in allow.iter().enumerate() {
                    let plain = Path::parse(prefix).filter(|p| !p.escapes && !p.parts.is_empty());
                    if prefix.chars().count() > MAX_PREFIX_CHARS || plain.is_none() {
                        let message = format!(
                            "a path of at most {MAX_PREFIX_CHARS} characters with no `..`, backslash or NUL, \
                             not the root alone"
                        );
                        return Err(DomainError::field(format!("{at}.allow[{i}]"), message));
                    }
                }
                arguments
            }
        };
        if names.len() > MAX_RULE_ARGUMENTS
            || names.iter().any(|n| n.is_empty() || n.chars().count() > MAX_ARGUMENT_CHARS)
        {
            let message =
                format!("at most {MAX_RULE_ARGUMENTS} argument names of 1 to {MAX_ARGUMENT_CHARS} characters");
            return Err(DomainError::field(format!("{at}.arguments"), message));
        }
        Ok(())
    }

    /// The first argument this rule catches in `arguments`, if any.
    fn catches(&self, arguments: &Map<String, Value>) -> Option<Caught> {
        match self {
            ArgumentRule::Pattern { pattern, arguments: names } => {
                let Ok(regex) = compile(pattern) else {
                    // Checked when bound; a pattern that no longer compiles
                    // (a stricter release) catches everything rather than nothing.
                    return Some(Caught { argument: None, why: "its pattern no longer compiles".into() });
                };
                let named = |name: &String| names.is_empty() || names.contains(name);
                arguments.iter().filter(|(name, _)| named(name)).find_map(|(name, value)| {
                    strings(value).any(|s| regex.is_match(s)).then(|| Caught {
                        argument: Some(name.clone()),
                        why: format!("argument `{name}` matches its pattern"),
                    })
                })
            }
            ArgumentRule::PathAllowList { arguments: names, allow } => {
                let allowed: Vec<Path> = allow.iter().filter_map(|p| Path::parse(p)).collect();
                names.iter().find_map(|name| {
                    let value = arguments.get(name)?;
                    let paths: Vec<&Value> = match value {
                        Value::Array(items) => items.iter().collect(),
                        other => vec![other],
                    };
                    let inside = |v: &&Value| {
                        let path = v.as_str().and_then(Path::parse).filter(|p| !p.escapes);
                        path.is_some_and(|p| allowed.iter().any(|a| p.is_inside(a)))
                    };
                    (!paths.iter().all(inside)).then(|| Caught {
                        argument: Some(name.clone()),
                        why: format!("argument `{name}` is not a path inside the allowed ones"),
                    })
                })
            }
        }
    }
}

fn compile(pattern: &str) -> Result<regex::Regex, String> {
    regex::RegexBuilder::new(pattern)
        .size_limit(PATTERN_SIZE_LIMIT)
        .build()
        .map_err(|e| format!("not a pattern this server accepts: {e}"))
}

/// Every string in `value`, at any depth (object keys aside).
fn strings(value: &Value) -> impl Iterator<Item = &str> {
    let mut stack = vec![value];
    std::iter::from_fn(move || {
        while let Some(value) = stack.pop() {
            match value {
                Value::String(s) => return Some(s.as_str()),
                Value::Array(items) => stack.extend(items.iter().rev()),
                Value::Object(map) => stack.extend(map.values().rev()),
                _ => {}
            }
        }
        None
    })
}

/// A path resolved lexically: whether it is absolute, its parts after `.`
/// and `..` are resolved, and whether a `..` climbed above its start.
#[derive(Debug, PartialEq, Eq)]
struct Path<'a> {
    absolute: bool,
    parts: Vec<&'a str>,
    escapes: bool,
}

impl<'a> Path<'a> {
    /// `None` for what is not a plain path: empty, or with a backslash or NUL.
    fn parse(raw: &'a str) -> Option<Self> {
        if raw.is_empty() || raw.contains(['\\', '\0']) {
            return None;
        }
        let mut path = Path { absolute: raw.starts_with('/'), parts: Vec::new(), escapes: false };
        for part in raw.split('/') {
            match part {
                "" | "." => {}
                ".." => path.escapes |= path.parts.pop().is_none(),
                part => path.parts.push(part),
            }
        }
        Some(path)
    }

    fn is_inside(&self, allowed: &Path) -> bool {
        self.absolute == allowed.absolute && self.parts.starts_with(&allowed.parts)
    }
}

/// What a rule caught: the argument (by name) and why, never its value.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Caught {
    pub argument: Option<String>,
    pub why: String,
}

/// One policy bound to a registered server or one of its tools.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct CallPolicyBinding {
    pub binding_id: BindingId,
    /// The policy's id: 1 to 64 lowercase letters, digits, `.`, `_` or `-`.
    #[schema(pattern = "^[a-z0-9][a-z0-9._-]{0,63}$")]
    pub policy_id: String,
    pub mode: CallPolicyMode,
    /// The tool it applies to, by its name at the server; absent: every tool.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub tool: Option<String>,
    #[serde(default)]
    pub rules: Vec<ArgumentRule>,
    pub created_by: String,
    pub created_at: DateTime<Utc>,
}

impl CallPolicyBinding {
    /// Checks what a caller asked for: the policy id, the tool's name, and
    /// rules that fit the mode (none for `deny`, at least one for
    /// `enforce`), each valid.
    pub fn check(&self) -> Result<(), DomainError> {
        check_policy_id(&self.policy_id)?;
        if let Some(tool) = &self.tool {
            check_name(tool).map_err(|e| DomainError::field("tool", e))?;
        }
        match (self.mode, self.rules.len()) {
            (CallPolicyMode::Deny, n) if n > 0 => {
                return Err(DomainError::field("rules", "a deny binding has no rules: the tool is never callable"));
            }
            (CallPolicyMode::Enforce, 0) => {
                return Err(DomainError::field("rules", "an enforce binding needs at least one rule"));
            }
            (_, n) if n > MAX_RULES => {
                return Err(DomainError::field("rules", format!("at most {MAX_RULES} rules")));
            }
            _ => {}
        }
        for (i, rule) in self.rules.iter().enumerate() {
            rule.check(&format!("rules[{i}]"))?;
        }
        Ok(())
    }

    fn applies_to(&self, tool: &str) -> bool {
        self.tool.as_deref().is_none_or(|t| t == tool)
    }

    /// The first of its rules that catches `arguments`.
    fn caught(&self, arguments: &Map<String, Value>) -> Option<(&'static str, Caught)> {
        self.rules.iter().find_map(|rule| rule.catches(arguments).map(|caught| (rule.kind(), caught)))
    }
}

/// Whether a binding denies `tool` outright (it is then not listed).
pub fn denied(bindings: &[CallPolicyBinding], tool: &str) -> bool {
    bindings.iter().any(|b| b.mode == CallPolicyMode::Deny && b.applies_to(tool))
}

/// A call a binding blocks.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Block {
    pub binding_id: BindingId,
    pub policy_id: String,
    pub mode: CallPolicyMode,
    /// The rule that caught it (`None` for `deny`).
    pub rule: Option<&'static str>,
    pub argument: Option<String>,
    /// Why, naming the policy: what the agent is told.
    pub detail: String,
}

/// A binding in `audit` mode that flagged a call.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Flag {
    pub binding_id: BindingId,
    pub policy_id: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub rule: Option<&'static str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub argument: Option<String>,
}

/// What the bindings say of one call of `tool` with `arguments`: blocked
/// by the first `deny`, else by the first `enforce` whose rules catch it;
/// otherwise allowed, flagged by each `audit` binding that applies (all
/// calls without rules, else the calls its rules catch).
pub fn judge(bindings: &[CallPolicyBinding], tool: &str, arguments: &Map<String, Value>) -> Result<Vec<Flag>, Block> {
    let applying = || bindings.iter().filter(|b| b.applies_to(tool));
    if let Some(b) = applying().find(|b| b.mode == CallPolicyMode::Deny) {
        return Err(Block {
            binding_id: b.binding_id.clone(),
            policy_id: b.policy_id.clone(),
            mode: b.mode,
            rule: None,
            argument: None,
            detail: format!("policy `{}` denies every call of this tool", b.policy_id),
        });
    }
    for b in applying().filter(|b| b.mode == CallPolicyMode::Enforce) {
        if let Some((rule, caught)) = b.caught(arguments) {
            return Err(Block {
                binding_id: b.binding_id.clone(),
                policy_id: b.policy_id.clone(),
                mode: b.mode,
                rule: Some(rule),
                argument: caught.argument,
                detail: format!("policy `{}` blocks this call: {}", b.policy_id, caught.why),
            });
        }
    }
    let mut flags = Vec::new();
    for b in applying().filter(|b| b.mode == CallPolicyMode::Audit) {
        let flag =
            |rule, argument| Flag { binding_id: b.binding_id.clone(), policy_id: b.policy_id.clone(), rule, argument };
        if b.rules.is_empty() {
            flags.push(flag(None, None));
        } else if let Some((rule, caught)) = b.caught(arguments) {
            flags.push(flag(Some(rule), caught.argument));
        }
    }
    Ok(flags)
}

/// Checks that `binding` may join `existing`: at most [`MAX_BINDINGS`], and
/// a policy bound once per target (the server, or one tool).
pub fn check_joins(existing: &[CallPolicyBinding], binding: &CallPolicyBinding) -> Result<(), DomainError> {
    let targets: BTreeSet<(&str, Option<&str>)> =
        existing.iter().map(|b| (b.policy_id.as_str(), b.tool.as_deref())).collect();
    if targets.contains(&(binding.policy_id.as_str(), binding.tool.as_deref())) {
        let on = binding.tool.as_deref().map_or("this server".to_owned(), |t| format!("tool `{t}`"));
        return Err(DomainError::conflict(
            "binding_exists",
            format!("policy {} is already bound to {on}", binding.policy_id),
        ));
    }
    if existing.len() >= MAX_BINDINGS {
        return Err(DomainError::conflict(
            "too_many_bindings",
            format!("a server has at most {MAX_BINDINGS} bindings"),
        ));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    fn binding(mode: CallPolicyMode, tool: Option<&str>, rules: Value) -> CallPolicyBinding {
        CallPolicyBinding {
            binding_id: BindingId::generate(),
            policy_id: format!("p-{}", mode.as_str()),
            mode,
            tool: tool.map(str::to_owned),
            rules: serde_json::from_value(rules).unwrap(),
            created_by: "alice".into(),
            created_at: Utc::now(),
        }
    }

    fn args(value: Value) -> Map<String, Value> {
        value.as_object().unwrap().clone()
    }

    const SECRETS: &str = r"(?i)(AKIA[0-9A-Z]{16}|sk_live_[0-9a-z]+|-----BEGIN [A-Z ]*PRIVATE KEY-----)";

    #[test]
    fn a_deny_binding_blocks_and_hides_its_tool_or_every_tool_of_the_server() {
        let one = [binding(CallPolicyMode::Deny, Some("delete"), json!([]))];
        assert!(denied(&one, "delete"));
        assert!(!denied(&one, "search"));
        let block = judge(&one, "delete", &args(json!({}))).unwrap_err();
        assert_eq!((block.policy_id.as_str(), block.rule), ("p-deny", None));
        assert!(block.detail.contains("`p-deny`"), "{}", block.detail);
        assert_eq!(judge(&one, "search", &args(json!({}))), Ok(vec![]));
        let all = [binding(CallPolicyMode::Deny, None, json!([]))];
        assert!(denied(&all, "search") && denied(&all, "delete"));
    }

    #[test]
    fn an_enforced_pattern_blocks_a_secret_looking_argument_at_any_depth_naming_only_the_argument() {
        let rules = json!([{"type": "pattern", "pattern": SECRETS}]);
        let bindings = [binding(CallPolicyMode::Enforce, None, rules)];
        let secret = "AKIAABCDEFGHIJKLMNOP";
        let nested = args(json!({"q": "fine", "options": {"headers": [{"value": format!("token {secret}")}]}}));
        let block = judge(&bindings, "search", &nested).unwrap_err();
        assert_eq!((block.rule, block.argument.as_deref()), (Some("pattern"), Some("options")));
        assert!(!block.detail.contains(secret), "the value is never repeated: {}", block.detail);
        assert_eq!(judge(&bindings, "search", &args(json!({"q": "akia is a word", "n": 3}))), Ok(vec![]));
        // Limited to named arguments, it reads no other.
        let rules = json!([{"type": "pattern", "pattern": SECRETS, "arguments": ["q"]}]);
        let named = [binding(CallPolicyMode::Enforce, None, rules)];
        assert!(judge(&named, "search", &nested).is_ok());
        assert!(judge(&named, "search", &args(json!({"q": ["x", secret]}))).is_err());
    }

    #[test]
    fn a_path_allow_list_blocks_paths_outside_it_however_they_are_spelled() {
        let rules =
            json!([{"type": "path_allow_list", "arguments": ["path", "paths"], "allow": ["/srv/docs", "notes/"]}]);
        let bindings = [binding(CallPolicyMode::Enforce, Some("read"), rules)];
        let judged = |value: Value| judge(&bindings, "read", &args(value)).map_err(|b| b.argument);
        for inside in [
            json!({"path": "/srv/docs/a.md"}),
            json!({"path": "/srv/docs"}),
            json!({"path": "/srv//docs/./sub/../b.md"}),
            json!({"path": "notes/today.txt"}),
            json!({"paths": ["/srv/docs/a", "notes/b"]}),
            json!({"other": "/etc/passwd"}),
        ] {
            assert_eq!(judged(inside.clone()), Ok(vec![]), "{inside}");
        }
        for outside in [
            json!({"path": "/etc/passwd"}),
            json!({"path": "/srv/docs/../../etc/passwd"}),
            json!({"path": "/srv/docsplus/a"}),
            json!({"path": "srv/docs/a"}),
            json!({"path": "~/.ssh/id_rsa"}),
            json!({"path": "notes/../../x"}),
            json!({"path": "/srv/docs\\..\\x"}),
            json!({"path": 7}),
            json!({"paths": ["/srv/docs/a", "/etc/shadow"]}),
        ] {
            assert!(judged(outside.clone()).is_err(), "{outside}");
        }
        assert!(judge(&bindings, "write", &args(json!({"path": "/etc/passwd"}))).is_ok(), "another tool");
    }

    #[test]
    fn an_audit_binding_flags_every_call_without_rules_and_only_the_caught_ones_with_rules() {
        let always = binding(CallPolicyMode::Audit, None, json!([]));
        let rules = json!([{"type": "pattern", "pattern": "(?i)password"}]);
        let caught = binding(CallPolicyMode::Audit, Some("search"), rules);
        let bindings = [always.clone(), caught.clone()];
        let flags = judge(&bindings, "search", &args(json!({"q": "my Password"}))).unwrap();
        assert_eq!(flags.iter().map(|f| &f.binding_id).collect::<Vec<_>>(), [&always.binding_id, &caught.binding_id]);
        assert_eq!((flags[1].rule, flags[1].argument.as_deref()), (Some("pattern"), Some("q")));
        assert_eq!(judge(&bindings, "search", &args(json!({"q": "hello"}))).unwrap().len(), 1);
    }

    #[test]
    fn a_binding_is_refused_when_its_rules_do_not_fit_its_mode_or_do_not_compile() {
        let field = |b: CallPolicyBinding| match b.check() {
            Err(DomainError::Validation(errors)) => errors[0].field.clone(),
            other => panic!("{other:?}"),
        };
        let pattern = json!([{"type": "pattern", "pattern": "x"}]);
        assert!(binding(CallPolicyMode::Enforce, None, pattern.clone()).check().is_ok());
        assert_eq!(field(binding(CallPolicyMode::Deny, None, pattern)), "rules");
        assert_eq!(field(binding(CallPolicyMode::Enforce, None, json!([]))), "rules");
        let unclosed = json!([{"type": "pattern", "pattern": "(a"}]);
        assert_eq!(field(binding(CallPolicyMode::Enforce, None, unclosed)), "rules[0].pattern");
        // A pattern whose compiled form is too large is refused, not run.
        let huge = json!([{"type": "pattern", "pattern": "((a{100}){100}){100}"}]);
        assert_eq!(field(binding(CallPolicyMode::Audit, None, huge)), "rules[0].pattern");
        let root = json!([{"type": "path_allow_list", "arguments": ["p"], "allow": ["/"]}]);
        assert_eq!(field(binding(CallPolicyMode::Enforce, None, root)), "rules[0].allow[0]");
        let climbs = json!([{"type": "path_allow_list", "arguments": ["p"], "allow": ["/srv", "../x"]}]);
        assert_eq!(field(binding(CallPolicyMode::Enforce, None, climbs)), "rules[0].allow[1]");
        let unnamed = json!([{"type": "path_allow_list", "arguments": [], "allow": ["/srv"]}]);
        assert_eq!(field(binding(CallPolicyMode::Enforce, None, unnamed)), "rules[0].arguments");
        assert_eq!(field(binding(CallPolicyMode::Deny, Some("bad name!"), json!([]))), "tool");
    }

    #[test]
    fn a_policy_binds_once_per_target_and_a_server_holds_at_most_twenty() {
        let server_wide = binding(CallPolicyMode::Deny, None, json!([]));
        let mut on_tool = server_wide.clone();
        on_tool.tool = Some("search".into());
        assert!(check_joins(std::slice::from_ref(&server_wide), &on_tool).is_ok());
        assert!(check_joins(&[server_wide.clone(), on_tool.clone()], &on_tool).is_err());
        let full: Vec<CallPolicyBinding> = (0..MAX_BINDINGS)
            .map(|i| CallPolicyBinding { policy_id: format!("p{i}"), ..server_wide.clone() })
            .collect();
        assert!(check_joins(&full, &on_tool).is_err());
    }
}
