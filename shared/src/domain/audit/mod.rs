//! Audit events: written in the same transaction as the change they record;
//! also the outbox record for domain events. Kept in the tenant's `AUDIT`
//! partition, sorted by id (time and chain order), each a link of the org's
//! hash chain ([`chain`]).

pub mod chain;
pub mod csv;
pub mod deferred;
pub mod filter;
pub mod verify;

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use serde_json::Value;

use crate::base::error::Denial;
use crate::base::ids::{EventId, KeyId, ProjectId};
use crate::base::request::RequestMeta;
use crate::base::tenant::{OrgId, Principal, TenantContext, TenantId};
use crate::ports::store::{Key, Partition, Query, SortKey, Store};

pub const PARTITION: &str = "AUDIT";

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct Actor {
    /// `user`, `key` or `system`.
    #[serde(rename = "type")]
    pub kind: String,
    pub id: String,
    /// A user's email.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub email: Option<String>,
    /// An API key's name.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct Target {
    /// `org`, `member` or `project`.
    #[serde(rename = "type")]
    pub kind: String,
    pub id: String,
}

#[derive(Debug, Clone, Serialize, Deserialize, utoipa::ToSchema)]
pub struct AuditEvent {
    pub id: EventId,
    pub org_id: OrgId,
    /// `resource.verb`, e.g. `project.created`.
    #[schema(example = "project.created")]
    pub action: String,
    pub actor: Actor,
    pub target: Target,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub project_id: Option<ProjectId>,
    pub request_id: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub ip: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub user_agent: Option<String>,
    /// What changed (`changes.<field>.from/to`) or a summary; never secrets.
    /// Personal data in it is minimized by the org's data policy
    /// (`/v1/orgs/{org_id}/data-policy`).
    #[schema(value_type = Object)]
    pub metadata: Value,
    pub created_at: DateTime<Utc>,
    /// The event's place in the org's chain: 1, 2, 3… with no gaps.
    #[serde(default)]
    pub seq: u64,
    /// `hash` of the event before (64 zeros for the first).
    #[serde(default)]
    pub prev_hash: String,
    /// SHA-256 (hex) over this event's columns and `prev_hash`; see docs/api.md.
    #[serde(default)]
    pub hash: String,
}

/// The columns of an event, in CSV order; all but the last are hashed.
pub const COLUMNS: [&str; 18] = [
    "seq",
    "id",
    "created_at",
    "org_id",
    "project_id",
    "action",
    "actor_type",
    "actor_id",
    "actor_email",
    "actor_name",
    "target_type",
    "target_id",
    "request_id",
    "ip",
    "user_agent",
    "metadata",
    "prev_hash",
    "hash",
];

impl AuditEvent {
    pub fn new(
        ctx: &TenantContext,
        action: &str,
        target_kind: &str,
        target_id: impl ToString,
        metadata: Value,
    ) -> Self {
        let target = Target { kind: target_kind.to_owned(), id: target_id.to_string() };
        let metadata = ctx.redactor().value(metadata);
        Self::attributed(ctx.tenant().org(), ctx.principal(), ctx.meta(), action, target, metadata)
    }

    /// An event of the platform itself (workers, the reconciler), attributed
    /// to the actor `{"type": "system", "id": <component>}`.
    pub fn by_system(
        org: &OrgId,
        component: &str,
        trace_id: &str,
        action: &str,
        target: Target,
        metadata: Value,
    ) -> Self {
        let actor = Actor { kind: "system".into(), id: component.to_owned(), email: None, name: None };
        let meta =
            RequestMeta { request_id: trace_id.to_owned(), request_line: String::new(), ip: None, user_agent: None };
        Self::by_actor(org, actor, &meta, action, target, metadata)
    }

    /// A refusal (`access.denied`) in the org of the credential refused:
    /// the reason, the permission it lacked and the type of resource, and
    /// how many refusals of the same principal went unrecorded before it
    /// (see `guard::Guard::admit_denial`).
    pub fn of_denial(denial: &Denial, suppressed: u64) -> Self {
        let mut metadata = serde_json::json!({
            "reason": denial.code,
            "permission": denial.permission.map(|p| p.as_str()),
            "resource_type": denial.resource_type,
            "request": denial.meta.request_line,
        });
        if suppressed > 0 {
            metadata["suppressed_before"] = suppressed.into();
        }
        let target =
            Target { kind: denial.resource_type.to_owned(), id: denial.resource_id.clone().unwrap_or_default() };
        Self::attributed(&denial.org, &denial.principal, &denial.meta, "access.denied", target, metadata)
    }

    /// A refused API key (`auth.failed`) in the key's org: revoked,
    /// expired, disabled, rotated out, or deleted since its token was made.
    pub fn auth_failed(org: &OrgId, key: &KeyId, meta: &RequestMeta, reason: &str) -> Self {
        let metadata = serde_json::json!({ "reason": reason, "request": meta.request_line });
        let principal = Principal::Key { id: key.clone(), name: None };
        let target = Target { kind: "api_key".into(), id: key.to_string() };
        Self::attributed(org, &principal, meta, "auth.failed", target, metadata)
    }

    /// An event in `org` by `principal`, for changes made outside any
    /// tenant context that still touch `org` (a user revoking their tokens).
    pub fn attributed(
        org: &OrgId,
        principal: &Principal,
        meta: &RequestMeta,
        action: &str,
        target: Target,
        metadata: Value,
    ) -> Self {
        let actor = match principal {
            Principal::User { id, email } => Actor {
                kind: "user".into(),
                id: id.to_string(),
                email: email.as_ref().map(|e| e.as_str().to_owned()),
                name: None,
            },
            Principal::Key { id, name } => {
                Actor { kind: "key".into(), id: id.to_string(), email: None, name: name.clone() }
            }
        };
        Self::by_actor(org, actor, meta, action, target, metadata)
    }

    fn by_actor(org: &OrgId, actor: Actor, meta: &RequestMeta, action: &str, target: Target, metadata: Value) -> Self {
        Self {
            id: EventId::generate(),
            org_id: org.clone(),
            action: action.to_owned(),
            actor,
            target,
            project_id: None,
            request_id: meta.request_id.clone(),
            ip: meta.ip.clone(),
            user_agent: meta.user_agent.clone(),
            metadata,
            created_at: crate::now(),
            seq: 0,
            prev_hash: String::new(),
            hash: String::new(),
        }
    }

    /// Writes the event on its own (no change accompanies a refusal). A
    /// failure is logged: the request is refused either way.
    pub async fn record_alone(self, store: &dyn Store) {
        if let Err(error) = chain::commit(store, Vec::new(), vec![self]).await {
            tracing::error!(%error, "audit: refusal not recorded");
        }
    }

    /// The event's columns, as exported and hashed.
    pub fn row(&self) -> [String; 18] {
        let text = |v: &Option<String>| v.clone().unwrap_or_default();
        [
            self.seq.to_string(),
            self.id.to_string(),
            self.created_at.to_rfc3339_opts(chrono::SecondsFormat::Micros, true),
            self.org_id.to_string(),
            self.project_id.as_ref().map(ToString::to_string).unwrap_or_default(),
            self.action.clone(),
            self.actor.kind.clone(),
            self.actor.id.clone(),
            text(&self.actor.email),
            text(&self.actor.name),
            self.target.kind.clone(),
            self.target.id.clone(),
            self.request_id.clone(),
            text(&self.ip),
            text(&self.user_agent),
            self.metadata.to_string(),
            self.prev_hash.clone(),
            self.hash.clone(),
        ]
    }

    /// The hash the event's content and `prev_hash` give.
    pub fn computed_hash(&self) -> String {
        let row = self.row();
        chain::hash_fields(row[..COLUMNS.len() - 1].iter().map(String::as_str))
    }

    pub fn for_project(mut self, project: &ProjectId) -> Self {
        self.project_id = Some(project.clone());
        self
    }

    pub fn key(tenant: &TenantId, id: &EventId) -> Key {
        Key::tenant_collection(tenant, PARTITION, id.as_str())
    }

    pub fn partition(tenant: &TenantId) -> Partition {
        Partition::tenant_collection(tenant, PARTITION)
    }

    /// The tenant's events, newest first.
    pub fn query(tenant: &TenantId) -> Query {
        Query::new(Self::partition(tenant), SortKey::Any).descending(true)
    }
}

/// `{"changes": {field: {"from": old, "to": new}}}` for the fields that differ.
pub fn diff(fields: &[(&str, Value, Value)]) -> Value {
    let changes: serde_json::Map<String, Value> = fields
        .iter()
        .filter(|(_, from, to)| from != to)
        .map(|(name, from, to)| ((*name).to_owned(), serde_json::json!({ "from": from, "to": to })))
        .collect();
    serde_json::json!({ "changes": changes })
}
