//! Webhook endpoints: where a project's events are delivered. The item
//! holds the URL, the event types it wants and its state; the signing
//! secrets live in the secrets store (`controlplane/{org}/{webhook_id}`),
//! never in the table, a response (beyond the one-time reveal) or a log.

use std::collections::BTreeSet;

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use crate::base::error::DomainError;
use crate::base::ids::{ProjectId, WebhookId};
use crate::base::residency::Region;
use crate::base::tenant::{OrgId, TenantId};
use crate::domain::webhooks::signature::WebhookSecret;
use crate::ports::secrets::{SecretName, SecretValue, SecretsError};
use crate::ports::store::{Item, Key, Partition, Query, SortKey};

pub const WEBHOOK_PREFIX: &str = "WEBHOOK#";
/// Event types one endpoint may list.
pub const MAX_EVENT_TYPES: usize = 50;
/// How long the previous secret keeps signing after a rotation.
pub const ROTATION_OVERLAP: chrono::TimeDelta = chrono::TimeDelta::hours(24);

/// An event type an endpoint subscribes to: an exact type
/// (`project.created`), a prefix wildcard (`project.*`) or `*`.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct EventPattern(String);

/// What a subscription may name, from the catalogue: each event type, each
/// prefix of one as `prefix.*`, and `*`.
impl utoipa::PartialSchema for EventPattern {
    fn schema() -> utoipa::openapi::RefOr<utoipa::openapi::schema::Schema> {
        let mut names = std::collections::BTreeSet::from(["*".to_owned()]);
        for (event_type, _, _) in crate::domain::events::CATALOGUE {
            names.insert((*event_type).to_owned());
            let mut prefix = String::new();
            for part in event_type.split('.').take(event_type.split('.').count() - 1) {
                prefix.push_str(part);
                names.insert(format!("{prefix}.*"));
                prefix.push('.');
            }
        }
        utoipa::openapi::ObjectBuilder::new()
            .schema_type(utoipa::openapi::schema::Type::String)
            .enum_values(Some(names))
            .examples([serde_json::json!("project.*")])
            .into()
    }
}

impl utoipa::ToSchema for EventPattern {}

impl EventPattern {
    pub fn parse(s: &str) -> Result<Self, String> {
        let name = |part: &str| {
            !part.is_empty() && part.chars().all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_')
        };
        let body = s.strip_suffix(".*").unwrap_or(s);
        let valid = s == "*" || (s.len() <= 100 && body.split('.').all(name));
        if valid { Ok(Self(s.to_owned())) } else { Err(format!("`{s}` is not an event type, `prefix.*` or `*`")) }
    }

    /// Whether the pattern names a published event type (exactly) or, as a
    /// wildcard, matches at least one: a subscription that can never fire
    /// is a typo. Checked where subscriptions are made, not when stored
    /// ones are read, so a type leaving the catalogue breaks no stored one.
    pub fn check_catalogued(&self) -> Result<(), String> {
        if crate::domain::events::CATALOGUE.iter().any(|(event_type, _, _)| self.matches(event_type)) {
            return Ok(());
        }
        let what = if self.0.ends_with('*') { "matches no event type" } else { "is not an event type" };
        Err(format!("`{}` {what}; see the event catalogue", self.0))
    }

    pub fn matches(&self, event_type: &str) -> bool {
        match self.0.strip_suffix('*') {
            Some("") => true,
            Some(prefix) => event_type.starts_with(prefix),
            None => self.0 == event_type,
        }
    }
}

impl TryFrom<String> for EventPattern {
    type Error = String;
    fn try_from(s: String) -> Result<Self, Self::Error> {
        Self::parse(&s)
    }
}

impl From<EventPattern> for String {
    fn from(p: EventPattern) -> String {
        p.0
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct Webhook {
    pub id: WebhookId,
    pub org_id: OrgId,
    pub project_id: ProjectId,
    pub url: String,
    pub event_types: BTreeSet<EventPattern>,
    pub description: Option<String>,
    pub enabled: bool,
    /// Why it was disabled, when the service did it (410, sustained failure).
    pub disabled_reason: Option<String>,
    /// Until when the secret before the last rotation still signs.
    pub previous_secret_valid_until: Option<DateTime<Utc>>,
    /// Where its signing secret is kept: its project's region (`null` for a
    /// webhook made before regions: the default region).
    #[serde(default)]
    pub region: Option<Region>,
    pub created_by: String,
    pub version: u64,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

impl Webhook {
    pub fn key(tenant: &TenantId, id: &WebhookId) -> Key {
        Key::tenant(tenant, format!("{WEBHOOK_PREFIX}{id}"))
    }

    pub fn item(&self) -> Result<Item, DomainError> {
        Ok(Item::new(Self::key(&TenantId::acting_for(&self.org_id), &self.id), self.version, self)?)
    }

    pub fn query(tenant: &TenantId) -> Query {
        Query::new(Partition::tenant(tenant), SortKey::BeginsWith(WEBHOOK_PREFIX.into()))
    }

    pub fn wants(&self, event_type: &str) -> bool {
        self.enabled && self.event_types.iter().any(|p| p.matches(event_type))
    }

    pub fn secret_name(&self) -> Result<SecretName, SecretsError> {
        SecretName::new(&TenantId::acting_for(&self.org_id), self.region.as_ref(), self.id.as_str())
    }
}

/// The signing secrets kept in the secrets store: the current one and,
/// during a rotation's overlap, the previous one.
#[derive(Debug, Clone)]
pub struct SigningSecrets {
    pub current: WebhookSecret,
    pub previous: Option<(WebhookSecret, DateTime<Utc>)>,
}

#[derive(Serialize, Deserialize)]
struct StoredSecrets {
    current: String,
    previous: Option<String>,
    previous_until: Option<DateTime<Utc>>,
}

impl SigningSecrets {
    pub fn to_value(&self) -> Result<SecretValue, SecretsError> {
        let stored = StoredSecrets {
            current: self.current.expose(),
            previous: self.previous.as_ref().map(|(s, _)| s.expose()),
            previous_until: self.previous.as_ref().map(|(_, until)| *until),
        };
        let json = serde_json::to_string(&stored).map_err(|e| SecretsError::Invalid(e.to_string()))?;
        SecretValue::new(json)
    }

    pub fn from_value(value: &SecretValue) -> Result<Self, SecretsError> {
        let bad = || SecretsError::Invalid("stored webhook secrets are damaged".into());
        let stored: StoredSecrets = serde_json::from_str(value.expose()).map_err(|_| bad())?;
        let current = WebhookSecret::parse(&stored.current).map_err(|_| bad())?;
        let previous = match (stored.previous, stored.previous_until) {
            (Some(s), Some(until)) => Some((WebhookSecret::parse(&s).map_err(|_| bad())?, until)),
            _ => None,
        };
        Ok(Self { current, previous })
    }

    /// The secrets that sign a delivery at `now`: the current one, and the
    /// previous one until its overlap ends.
    pub fn live(&self, now: DateTime<Utc>) -> Vec<WebhookSecret> {
        let mut live = vec![self.current.clone()];
        if let Some((previous, until)) = &self.previous
            && *until > now
        {
            live.push(previous.clone());
        }
        live
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn patterns_match_exact_types_prefixes_and_everything() {
        let exact = EventPattern::parse("project.created").unwrap();
        let prefix = EventPattern::parse("project.*").unwrap();
        let all = EventPattern::parse("*").unwrap();
        assert!(exact.matches("project.created") && !exact.matches("project.deleted"));
        assert!(prefix.matches("project.deleted") && !prefix.matches("projects.x") && !prefix.matches("key.created"));
        assert!(all.matches("anything.at_all"));
        for bad in ["", "Project.created", "project.", "project.*.x", "*.created", "a b"] {
            assert!(EventPattern::parse(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn the_previous_secret_signs_only_until_its_overlap_ends() {
        let now = Utc::now();
        let secrets = SigningSecrets {
            current: WebhookSecret::generate(),
            previous: Some((WebhookSecret::generate(), now + chrono::TimeDelta::hours(1))),
        };
        assert_eq!(secrets.live(now).len(), 2);
        assert_eq!(secrets.live(now + chrono::TimeDelta::hours(2)).len(), 1);
        let round_trip = SigningSecrets::from_value(&secrets.to_value().unwrap()).unwrap();
        assert_eq!(round_trip.current, secrets.current);
        assert_eq!(round_trip.previous.map(|(s, _)| s), secrets.previous.map(|(s, _)| s));
    }
}
