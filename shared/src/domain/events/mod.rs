//! Domain events: the audit events integrators care about, published to an
//! event bus (EventBridge on AWS, a JSON-lines file locally) and, next, to
//! the webhook fan-out. The audit event written in a mutation's transaction
//! is the source; an outbox item written in the same transaction is the
//! promise to publish it ([`outbox`]), kept until the [`publisher`] has.
//!
//! At least once: an event keeps its id (`evt_…`, the audit event's) on
//! every delivery, so consumers dedupe by it.

pub mod outbox;
pub mod publisher;

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use serde_json::Value;

use crate::base::ids::{EventId, ProjectId};
use crate::base::tenant::OrgId;
use crate::domain::audit::{Actor, AuditEvent, Target};
use crate::ports::bus::{BusError, Envelope};

/// The event types published, what each means and what its `data` holds.
pub const CATALOGUE: &[(&str, &str, &str)] = &[
    ("project.created", "A project was created (status `provisioning`).", "`{name, region}`"),
    ("project.updated", "A project's fields changed.", "`{changes: {field: {from, to}}}`"),
    ("project.deleted", "A project was deleted (soft; its name is free again).", "`{name}`"),
    ("member.added", "A user joined the organization.", "`{role}`; `target.id` is the user"),
    ("member.removed", "A user left the organization.", "`{role}`; `target.id` is the user"),
    ("key.created", "An API key was created (never its token).", "`{name, type, scopes, resources, project_id}`"),
    (
        "key.rotated",
        "An API key got a new token; the previous one works until `previous_token_valid_until`.",
        "`{grace_seconds, previous_token_valid_until}`",
    ),
    ("key.revoked", "An API key was revoked.", "`{name, type, scopes, resources, project_id}`"),
    ("job.completed", "A background job finished.", "`{attempts}`; `target.id` is the job"),
    ("job.failed", "A background job failed for good.", "`{attempts, error}`"),
    (
        "quota.warning",
        "A project's usage of a service reached 80 % or 90 % of its monthly limit.",
        "`{service, period, level, used, monthly_limit}`",
    ),
    (
        "quota.exceeded",
        "A project's usage of a service reached its monthly limit.",
        "`{service, period, level, used, monthly_limit}`",
    ),
    ("user.signedup", "A user signed in for the first time (no organization yet).", "`{email}`"),
    (
        "file.uploaded",
        "The data plane accepted a file into a project.",
        "what the data plane sent: `{path, size, content_type, …}`",
    ),
    (
        "source.run.completed",
        "A source's run finished (also when it failed).",
        "`{source_id, job_id, kind, outcome (ok, warn or error), summary, evidence_id, findings}`",
    ),
    ("webhook.disabled", "A webhook endpoint was disabled after it kept failing (or answered 410).", "`{reason}`"),
    (
        "mcp.tool_changed",
        "A discovery found a tool of an upstream MCP server changed: it is quarantined until approved.",
        "`{mcp_server_id, slug, tool, approved_sha256, sha256}`",
    ),
    (
        "budget.threshold_crossed",
        "A plan's estimate would take the project's month past a budget threshold (once a month each).",
        "`{period, threshold, budget_cents, month_to_date_cents, plan_id, plan_cost_cents}`",
    ),
];

/// Whether an audit action is published as a domain event.
pub fn is_published(action: &str) -> bool {
    CATALOGUE.iter().any(|(name, _, _)| *name == action)
}

/// What the bus and the webhooks receive.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct DomainEvent {
    /// Stable across redeliveries: dedupe by it.
    pub id: EventId,
    /// A catalogue type, e.g. `project.created`.
    #[serde(rename = "type")]
    pub event_type: String,
    pub occurred_at: DateTime<Utc>,
    /// Absent for events of a user outside any org (`user.signedup`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub org_id: Option<OrgId>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub project_id: Option<ProjectId>,
    pub actor: Actor,
    pub target: Target,
    #[schema(value_type = Object)]
    pub data: Value,
}

impl DomainEvent {
    /// The domain event an audit event stands for, if its action is published.
    pub fn of(event: &AuditEvent) -> Option<Self> {
        is_published(&event.action).then(|| Self {
            id: event.id.clone(),
            event_type: event.action.clone(),
            occurred_at: event.created_at,
            org_id: Some(event.org_id.clone()),
            project_id: event.project_id.clone(),
            actor: event.actor.clone(),
            target: event.target.clone(),
            data: event.metadata.clone(),
        })
    }

    /// The event as the bus carries it: the whole event is the body.
    pub fn envelope(&self) -> Result<Envelope, BusError> {
        let detail = serde_json::to_string(self).map_err(|e| BusError::Unavailable(e.to_string()))?;
        Ok(Envelope { detail_type: self.event_type.clone(), time: self.occurred_at, detail })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_catalogued_actions_become_domain_events() {
        let org = OrgId::generate();
        let target = Target { kind: "project".into(), id: "prj_1".into() };
        let published = AuditEvent::by_system(&org, "t", "r", "project.created", target.clone(), serde_json::json!({}));
        let internal = AuditEvent::by_system(&org, "t", "r", "roles.updated", target, serde_json::json!({}));
        let event = DomainEvent::of(&published).unwrap();
        assert_eq!((event.id, event.event_type.as_str()), (published.id, "project.created"));
        assert!(DomainEvent::of(&internal).is_none());
    }
}
