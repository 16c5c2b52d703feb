//! Entities, their invariants and key layout, one file per resource, and the
//! one way to write: [`Mutation`].

pub mod audit;
pub mod member;
pub mod org;
pub mod project;
pub mod user;

use crate::auth::rbac::Permission;
use crate::domain::audit::AuditEvent;
use crate::domain::member::Member;
use crate::error::ApiError;
use crate::store::{Condition, Store, StoreError, WriteOp};
use crate::tenant::TenantContext;

/// One store transaction: a check that the caller's membership still grants
/// the permission, the writes, and the audit event. All commit or none does,
/// so there is no mutation without its audit record and no check-then-act
/// race on the caller's role.
pub struct Mutation {
    ops: Vec<WriteOp>,
    /// The error each operation's failed condition means.
    on_failure: Vec<ApiError>,
    has_role_check: bool,
}

impl Mutation {
    pub fn new(ctx: &TenantContext, permission: Permission) -> Self {
        let roles = permission.roles().iter().map(|r| serde_json::json!(r.as_str())).collect();
        let check = WriteOp::check(
            Member::key(ctx.tenant(), &member::principal_user(ctx)),
            Condition::FieldIn { field: "role".into(), values: roles },
        );
        let lost_role = ApiError::Forbidden {
            code: "forbidden",
            detail: "your membership or role changed while the request ran".into(),
        };
        Self { ops: vec![check], on_failure: vec![lost_role], has_role_check: true }
    }

    /// For the transaction that creates the membership itself (a new org).
    pub(crate) fn founding() -> Self {
        Self { ops: Vec::new(), on_failure: Vec::new(), has_role_check: false }
    }

    /// Adds a write; `on_failure` is the error when its condition fails.
    pub fn op(mut self, op: WriteOp, on_failure: ApiError) -> Self {
        self.ops.push(op);
        self.on_failure.push(on_failure);
        self
    }

    pub async fn commit(mut self, store: &dyn Store, event: AuditEvent) -> Result<(), ApiError> {
        // A write to the caller's own membership carries a version condition
        // on the item that authorized the request, which is a stricter check
        // than the role check (and a transaction touches each key once).
        if self.has_role_check && self.ops[1..].iter().any(|op| op.key() == self.ops[0].key()) {
            self.ops.remove(0);
            self.on_failure.remove(0);
        }
        let audit = event.into_write()?;
        self.ops.push(audit);
        self.on_failure.push(ApiError::concurrent_modification());
        match store.transact(self.ops).await {
            Ok(()) => Ok(()),
            Err(StoreError::ConditionFailed { index }) => {
                Err(self.on_failure.into_iter().nth(index).unwrap_or_else(ApiError::concurrent_modification))
            }
            Err(e) => Err(e.into()),
        }
    }
}
