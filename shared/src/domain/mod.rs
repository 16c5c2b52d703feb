//! Entities, their invariants and key layout, one file per resource, and the
//! one way to write: [`Mutation`].

pub mod apikey;
pub mod audit;
pub mod credential;
pub mod delivery;
pub mod egress;
pub mod events;
pub mod exec;
pub mod guard;
pub mod job;
pub mod keyusage;
pub mod limits;
pub mod mcp;
pub mod member;
pub mod minimize;
pub mod orchestrator;
pub mod org;
pub mod plan;
pub mod project;
pub mod ratelimit;
pub mod roles;
pub mod schedule;
pub mod snapshot;
pub mod source;
pub mod usage;
pub mod user;
pub mod webhook;
pub mod webhooks;
pub mod worker;

use std::collections::BTreeSet;

use serde_json::json;

use crate::base::error::DomainError;
use crate::base::rbac::Permission;
use crate::base::tenant::{Authority, TenantContext};
use crate::domain::apikey::StoredKey;
use crate::domain::audit::AuditEvent;
use crate::domain::member::Member;
use crate::ports::store::{Condition, Key, Store, StoreError, WriteOp};

/// One store transaction: a check that the caller's membership still grants
/// the permission, the writes, and the audit event. All commit or none does,
/// so there is no mutation without its audit record and no check-then-act
/// race on the caller's role.
pub struct Mutation {
    ops: Vec<WriteOp>,
    /// The error each operation's failed condition means (`None` for a
    /// tentative one).
    on_failure: Vec<Option<DomainError>>,
}

impl Mutation {
    pub fn new(ctx: &TenantContext, permission: Permission) -> Self {
        Self::requiring(ctx, &BTreeSet::from([permission]))
    }

    /// A mutation whose caller must still hold every one of `permissions`
    /// when it commits (a key minted or widened carries them all).
    pub fn requiring(ctx: &TenantContext, permissions: &BTreeSet<Permission>) -> Self {
        let lost = || {
            let detail =
                "your membership, your role, the org's roles or the API key changed while the request ran; retry";
            let permission = permissions.first().copied();
            let resource_type = permission.map_or("org", Permission::resource_type);
            ctx.denied("forbidden", detail.to_owned(), permission, resource_type, None)
        };
        let role_grants = |user| {
            let granting = ctx.roles().roles_granting_all(permissions).iter().map(|r| json!(r.as_str())).collect();
            [
                WriteOp::check(
                    Member::key(ctx.tenant(), user),
                    Condition::FieldIn { field: "role".into(), values: granting },
                ),
                WriteOp::check(roles::key(ctx.tenant()), Condition::unchanged_since(ctx.roles_version())),
            ]
        };
        let checks: Vec<WriteOp> = match ctx.authority() {
            // A key acts for its creator: the key unchanged and the
            // creator's role still granting what the request does.
            Authority::Key { id, version, created_by, .. } => {
                std::iter::once(WriteOp::check(StoredKey::key(ctx.tenant(), id), Condition::VersionEquals(*version)))
                    .chain(created_by.iter().flat_map(role_grants))
                    .collect()
            }
            Authority::Member { user, .. } => role_grants(user).into(),
        };
        let on_failure = checks.iter().map(|_| Some(lost())).collect();
        Self { ops: checks, on_failure }
    }

    /// For the transaction that creates the membership itself (a new org).
    pub(crate) fn founding() -> Self {
        Self { ops: Vec::new(), on_failure: Vec::new() }
    }

    /// Adds a write; `on_failure` is the error when its condition fails.
    pub fn op(mut self, op: WriteOp, on_failure: DomainError) -> Self {
        self.ops.push(op);
        self.on_failure.push(Some(on_failure));
        self
    }

    /// Adds a write made on an assumption nothing read has confirmed (the
    /// status the caller expects an item to be in): when its condition
    /// fails, [`Mutation::try_commit`] answers `Ok(false)`, nothing written,
    /// for the caller to read the item and decide.
    pub fn tentative(mut self, op: WriteOp) -> Self {
        self.ops.push(op);
        self.on_failure.push(None);
        self
    }

    pub async fn commit(self, store: &dyn Store, event: AuditEvent) -> Result<(), DomainError> {
        match self.try_commit(store, event).await? {
            true => Ok(()),
            false => Err(DomainError::concurrent_modification()),
        }
    }

    /// Commits like [`Mutation::commit`], but answers `Ok(false)` when the
    /// condition of a [tentative](Mutation::tentative) write failed.
    pub async fn try_commit(mut self, store: &dyn Store, event: AuditEvent) -> Result<bool, DomainError> {
        // A write to the caller's own membership or to the role set carries
        // a version condition on the item the request was authorized by,
        // which is stricter than the check (and a transaction touches each
        // key once), so such a check is dropped.
        let written: Vec<Key> =
            self.ops.iter().filter(|op| !matches!(op, WriteOp::Check { .. })).map(|op| op.key().clone()).collect();
        let keep: Vec<bool> =
            self.ops.iter().map(|op| !(matches!(op, WriteOp::Check { .. }) && written.contains(op.key()))).collect();
        let mut keep_op = keep.iter();
        self.ops.retain(|_| *keep_op.next().unwrap_or(&true));
        let mut keep_failure = keep.iter();
        self.on_failure.retain(|_| *keep_failure.next().unwrap_or(&true));
        match audit::chain::commit(store, self.ops, vec![event]).await {
            Ok(()) => Ok(true),
            Err(StoreError::ConditionFailed { index }) => match self.on_failure.into_iter().nth(index) {
                Some(Some(error)) => Err(error),
                Some(None) => Ok(false),
                None => Err(DomainError::concurrent_modification()),
            },
            Err(e) => Err(e.into()),
        }
    }
}
