//! Which events a query, a CSV download or an export selects, and the
//! index that serves it: every filter but the action's exact name and the
//! date range is an index partition, and the date range is a key range
//! (ids sort by time), so no query reads the whole org.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use super::AuditEvent;
use super::chain::{
    ACTOR_INDEX, FAMILY_INDEX, TARGET_INDEX, TARGET_TYPE_INDEX, by_actor, by_family, by_target, by_target_type, family,
};
use crate::base::error::{DomainError, FieldError};
use crate::base::ids::{EventId, ProjectId};
use crate::base::tenant::TenantId;
use crate::ports::store::{Index, Item, Partition, Query, SortKey};

const MAX_FILTER_LEN: usize = 200;

/// `project.created` (exactly) or `project.` / `project.*` (every action
/// starting so).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ActionFilter {
    Exact(String),
    Prefix(String),
}

/// [`ActionFilter::parse`] as a regular expression (a test holds them to
/// each other), with [`MAX_FILTER_LEN`] as the length.
pub const ACTION_PATTERN: &str = r"^[a-z_]+(?:\.[a-z_]+)*(?:\.\*?)?$";

/// How the OpenAPI document describes an action filter.
pub struct Action;

impl utoipa::PartialSchema for Action {
    fn schema() -> utoipa::openapi::RefOr<utoipa::openapi::schema::Schema> {
        utoipa::openapi::ObjectBuilder::new()
            .schema_type(utoipa::openapi::schema::Type::String)
            .max_length(Some(MAX_FILTER_LEN))
            .pattern(Some(ACTION_PATTERN))
            .into()
    }
}

impl utoipa::ToSchema for Action {}

impl ActionFilter {
    pub fn parse(raw: &str) -> Result<Self, &'static str> {
        if raw.len() > MAX_FILTER_LEN {
            return Err("must be at most 200 characters");
        }
        let valid = |s: &str| {
            !s.is_empty()
                && s.split('.').all(|part| !part.is_empty() && part.chars().all(|c| c.is_ascii_lowercase() || c == '_'))
        };
        let prefix = raw.strip_suffix(".*").or_else(|| raw.strip_suffix('.'));
        match prefix {
            Some(p) if valid(p) => Ok(ActionFilter::Prefix(format!("{p}."))),
            None if valid(raw) => Ok(ActionFilter::Exact(raw.to_owned())),
            _ => Err("must be an action such as `project.created` or a prefix such as `project.` or `project.*`"),
        }
    }

    fn family(&self) -> &str {
        match self {
            ActionFilter::Exact(a) | ActionFilter::Prefix(a) => family(a),
        }
    }

    fn matches(&self, action: &str) -> bool {
        match self {
            ActionFilter::Exact(a) => action == a,
            ActionFilter::Prefix(p) => action.starts_with(p.as_str()),
        }
    }
}

/// The events to select. Built from query parameters by [`Filter::parse`].
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Filter {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub actor_id: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub action: Option<ActionFilter>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub target_type: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub target_id: Option<String>,
    /// Events at or after this time.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub from: Option<DateTime<Utc>>,
    /// Events at or before this time.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub to: Option<DateTime<Utc>>,
    /// Only this project's events (an API key's view).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub project_id: Option<ProjectId>,
}

/// The raw filter parameters, as a query string gives them.
#[derive(Debug, Default)]
pub struct RawFilter<'a> {
    pub actor_id: Option<&'a str>,
    pub action: Option<&'a str>,
    pub target_type: Option<&'a str>,
    pub target_id: Option<&'a str>,
    pub from: Option<&'a str>,
    pub to: Option<&'a str>,
}

impl Filter {
    /// Checks every parameter and reports each bad one (as `query.<name>`).
    pub fn parse(raw: RawFilter<'_>) -> Result<Self, DomainError> {
        let mut errors = Vec::new();
        let mut text = |name: &str, value: Option<&str>| {
            let value = value?;
            if value.is_empty() || value.chars().count() > MAX_FILTER_LEN || value.chars().any(char::is_control) {
                errors.push(FieldError::new(
                    format!("query.{name}"),
                    format!("must be 1 to {MAX_FILTER_LEN} characters without control characters"),
                ));
                return None;
            }
            Some(value.to_owned())
        };
        let actor_id = text("actor_id", raw.actor_id);
        let target_type = text("target_type", raw.target_type);
        let target_id = text("target_id", raw.target_id);
        let action = match raw.action.map(ActionFilter::parse) {
            Some(Err(message)) => {
                errors.push(FieldError::new("query.action", message));
                None
            }
            other => other.and_then(Result::ok),
        };
        let mut time = |name: &str, value: Option<&str>| match value.map(DateTime::parse_from_rfc3339) {
            Some(Ok(t)) => Some(t.with_timezone(&Utc)),
            Some(Err(_)) => {
                errors.push(FieldError::new(
                    format!("query.{name}"),
                    "must be an RFC 3339 time, e.g. 2026-01-31T00:00:00Z",
                ));
                None
            }
            None => None,
        };
        let from = time("from", raw.from);
        let to = time("to", raw.to);
        if let (Some(from), Some(to)) = (from, to)
            && from > to
        {
            errors.push(FieldError::new("query.to", "must not be before `from`"));
        }
        if !errors.is_empty() {
            return Err(DomainError::Validation(errors));
        }
        Ok(Self { actor_id, action, target_type, target_id, from, to, project_id: None })
    }

    /// Restricts the filter to one project's events.
    pub fn within_project(mut self, project: Option<&ProjectId>) -> Self {
        if let Some(project) = project {
            self.project_id = Some(project.clone());
        }
        self
    }

    /// The most selective index partition the filter names, or the org's
    /// event partition; within it, the date range as an id range.
    pub fn query(&self, tenant: &TenantId) -> Query {
        let (index, partition): (Index, Partition) = if let Some(target) = &self.target_id {
            (TARGET_INDEX, by_target(tenant, target))
        } else if let Some(actor) = &self.actor_id {
            (ACTOR_INDEX, by_actor(tenant, actor))
        } else if let Some(kind) = &self.target_type {
            (TARGET_TYPE_INDEX, by_target_type(tenant, kind))
        } else if let Some(action) = &self.action {
            (FAMILY_INDEX, by_family(tenant, action.family()))
        } else {
            (Index::Table, AuditEvent::partition(tenant))
        };
        Query::new(partition, self.id_range()).on_index(index).descending(true)
    }

    fn id_range(&self) -> SortKey {
        if self.from.is_none() && self.to.is_none() {
            return SortKey::Any;
        }
        let bound = |t: Option<DateTime<Utc>>, random: u128, default: u64| {
            let ms = t.map_or(default, |t| t.timestamp_millis().max(0) as u64);
            EventId::from_ulid(ulid::Ulid::from_parts(ms, random)).to_string()
        };
        const MAX_RANDOM: u128 = (1 << 80) - 1;
        const MAX_MS: u64 = (1 << 48) - 1;
        SortKey::Between(bound(self.from, 0, 0), bound(self.to, MAX_RANDOM, MAX_MS))
    }

    /// Whether a stored event meets the filters its index does not decide.
    pub fn matches(&self, item: &Item) -> bool {
        let field = |path: &[&str]| {
            path.iter().try_fold(&item.data, |v, k| v.get(*k)).and_then(serde_json::Value::as_str).unwrap_or_default()
        };
        let same = |wanted: &Option<String>, path: &[&str]| wanted.as_deref().is_none_or(|w| field(path) == w);
        same(&self.actor_id, &["actor", "id"])
            && same(&self.target_type, &["target", "type"])
            && same(&self.target_id, &["target", "id"])
            && self.action.as_ref().is_none_or(|a| a.matches(field(&["action"])))
            && self.project_id.as_ref().is_none_or(|p| field(&["project_id"]) == p.as_str())
    }

    /// The parts of the filter a cursor is bound to.
    pub fn scope(&self) -> String {
        serde_json::to_string(self).unwrap_or_default()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn actions_are_exact_or_dotted_prefixes() {
        assert_eq!(ActionFilter::parse("project.created"), Ok(ActionFilter::Exact("project.created".into())));
        assert_eq!(ActionFilter::parse("project."), Ok(ActionFilter::Prefix("project.".into())));
        assert_eq!(ActionFilter::parse("project.*"), Ok(ActionFilter::Prefix("project.".into())));
        for bad in ["", ".", "Project.created", "project..x", "proj ect", "*"] {
            assert!(ActionFilter::parse(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn the_action_pattern_accepts_exactly_what_parse_accepts() {
        let pattern = regex::Regex::new(ACTION_PATTERN).unwrap();
        let long = "a".repeat(MAX_FILTER_LEN + 1);
        let cases = [
            "",
            ".",
            "*",
            ".*",
            "a",
            "a.",
            "a.*",
            "a.b",
            "a.b.",
            "a.b.*",
            "a..b",
            "a.*.b",
            "a*",
            "a.**",
            "A",
            "a-b",
            "_.x",
            "a b",
            &long[..MAX_FILTER_LEN],
            &long,
        ];
        for s in cases {
            let by_pattern = pattern.is_match(s) && s.chars().count() <= MAX_FILTER_LEN;
            assert_eq!(by_pattern, ActionFilter::parse(s).is_ok(), "{s:?}");
        }
    }

    #[test]
    fn bad_parameters_are_each_named() {
        let raw =
            RawFilter { action: Some("x y"), from: Some("yesterday"), actor_id: Some(""), ..RawFilter::default() };
        let Err(DomainError::Validation(errors)) = Filter::parse(raw) else { panic!("expected a validation error") };
        let fields: Vec<&str> = errors.iter().map(|e| e.field.as_str()).collect();
        assert_eq!(fields, ["query.actor_id", "query.action", "query.from"]);
    }

    #[test]
    fn text_filters_are_bounded_in_characters_not_bytes() {
        let wide = "é".repeat(MAX_FILTER_LEN);
        assert!(Filter::parse(RawFilter { actor_id: Some(&wide), ..RawFilter::default() }).is_ok());
        let over = "é".repeat(MAX_FILTER_LEN + 1);
        assert!(Filter::parse(RawFilter { actor_id: Some(&over), ..RawFilter::default() }).is_err());
    }

    #[test]
    fn the_most_selective_filter_picks_the_index() {
        let t = TenantId::fresh();
        let filter = |raw| Filter::parse(raw).unwrap().query(&t).index;
        assert_eq!(filter(RawFilter::default()), Index::Table);
        assert_eq!(filter(RawFilter { action: Some("key."), ..RawFilter::default() }), FAMILY_INDEX);
        assert_eq!(
            filter(RawFilter { action: Some("key."), actor_id: Some("u"), ..RawFilter::default() }),
            ACTOR_INDEX
        );
        assert_eq!(
            filter(RawFilter { target_id: Some("prj_x"), actor_id: Some("u"), ..RawFilter::default() }),
            TARGET_INDEX
        );
    }
}
