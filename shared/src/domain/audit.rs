//! Audit events: written in the same transaction as the change they record;
//! also the outbox record for domain events. Kept in the tenant's `AUDIT`
//! partition, sorted by id (time).

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use serde_json::Value;

use crate::error::ApiError;
use crate::ids::{EventId, ProjectId};
use crate::store::{Condition, Item, Key, Partition, Query, SortKey, WriteOp};
use crate::tenant::{OrgId, Principal, TenantContext, TenantId};

pub const PARTITION: &str = "AUDIT";

#[derive(Debug, Clone, Serialize, Deserialize, utoipa::ToSchema)]
pub struct Actor {
    /// `user` (API keys arrive later as `key`).
    #[serde(rename = "type")]
    pub kind: String,
    pub id: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub email: Option<String>,
}

#[derive(Debug, Clone, Serialize, Deserialize, utoipa::ToSchema)]
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
    #[schema(value_type = Object)]
    pub metadata: Value,
    pub created_at: DateTime<Utc>,
}

impl AuditEvent {
    pub fn new(
        ctx: &TenantContext,
        action: &str,
        target_kind: &str,
        target_id: impl ToString,
        metadata: Value,
    ) -> Self {
        let actor = match ctx.principal() {
            Principal::User { id, email } => {
                Actor { kind: "user".into(), id: id.to_string(), email: email.as_ref().map(|e| e.as_str().to_owned()) }
            }
        };
        Self {
            id: EventId::generate(),
            org_id: ctx.tenant().clone(),
            action: action.to_owned(),
            actor,
            target: Target { kind: target_kind.to_owned(), id: target_id.to_string() },
            project_id: None,
            request_id: ctx.meta().request_id.clone(),
            ip: ctx.meta().ip.clone(),
            user_agent: ctx.meta().user_agent.clone(),
            metadata,
            created_at: crate::now(),
        }
    }

    pub fn for_project(mut self, project: &ProjectId) -> Self {
        self.project_id = Some(project.clone());
        self
    }

    pub fn key(tenant: &TenantId, id: &EventId) -> Key {
        Key::tenant_collection(tenant, PARTITION, id.as_str())
    }

    pub(crate) fn into_write(self) -> Result<WriteOp, ApiError> {
        let item = Item::new(Self::key(&self.org_id, &self.id), 1, &self)?;
        Ok(WriteOp::put_if(item, Condition::NotExists))
    }

    /// The tenant's events, newest first.
    pub fn query(tenant: &TenantId) -> Query {
        Query::new(Partition::tenant_collection(tenant, PARTITION), SortKey::Any).descending(true)
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
