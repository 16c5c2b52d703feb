//! User profiles: global lookups created on a user's first authenticated
//! request, holding no tenant data.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use crate::base::ids::EventId;
use crate::base::user::{Email, UserId};
use crate::domain::audit::{Actor, AuditEvent, Target};
use crate::domain::events::{DomainEvent, outbox};
use crate::ports::store::{Condition, Item, Key, Store, StoreError, WriteOp};

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct UserProfile {
    pub user_id: UserId,
    pub email: Option<Email>,
    pub created_at: DateTime<Utc>,
}

/// Finds a user by email (for adding members by email).
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct EmailLookup {
    pub user_id: UserId,
}

impl UserProfile {
    pub fn key(user: &UserId) -> Key {
        Key::user(user, "PROFILE")
    }

    /// Creates the profile and, when the email is not claimed yet, its email
    /// lookup, with the `user.signedup` event's outbox item. Safe to race: the
    /// first writer wins, later ones change nothing.
    pub async fn create(store: &dyn Store, user: &UserId, email: Option<&Email>) -> Result<(), StoreError> {
        let now = crate::now();
        let profile = UserProfile { user_id: user.clone(), email: email.cloned(), created_at: now };
        let profile_op = WriteOp::put_if(Item::new(Self::key(user), 1, &profile)?, Condition::NotExists);
        let signedup = outbox::for_user(user, &signed_up(user, email, now))?;
        let mut ops = vec![profile_op.clone(), signedup.clone()];
        if let Some(email) = email {
            let lookup = EmailLookup { user_id: user.clone() };
            ops.push(WriteOp::put_if(Item::new(Key::email(email.as_str()), 1, &lookup)?, Condition::NotExists));
        }
        match store.transact(ops).await {
            Ok(()) | Err(StoreError::ConditionFailed { index: 0 }) => Ok(()),
            // The email belongs to an earlier user: keep the profile only.
            Err(StoreError::ConditionFailed { .. }) => match store.transact(vec![profile_op, signedup]).await {
                Ok(()) | Err(StoreError::ConditionFailed { .. }) => Ok(()),
                Err(e) => Err(e),
            },
            Err(e) => Err(e),
        }
    }
}

fn signed_up(user: &UserId, email: Option<&Email>, at: DateTime<Utc>) -> DomainEvent {
    let id = user.to_string();
    DomainEvent {
        id: EventId::generate(),
        event_type: "user.signedup".into(),
        occurred_at: at,
        org_id: None,
        project_id: None,
        actor: Actor { kind: "user".into(), id: id.clone(), email: email.map(|e| e.as_str().to_owned()), name: None },
        target: Target { kind: "user".into(), id },
        data: serde_json::json!({ "email": email.map(Email::as_str) }),
    }
}

/// Tokens of a user issued at or before `before` (epoch seconds) are revoked.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct RevokedBefore {
    pub before: i64,
}

/// One revoked token, by `jti`; kept until the longest a token can live.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct RevokedToken {
    pub revoked_at: DateTime<Utc>,
}

pub fn revoked_before_key(user: &UserId) -> Key {
    Key::user(user, "REVOKED_BEFORE")
}

/// Attempts at raising the watermark before giving up (each one fails only
/// when another revocation moved it in between).
const WATERMARK_ATTEMPTS: usize = 3;

/// Revokes the user's tokens issued at or before `before` (epoch seconds):
/// raises the watermark, never lowers it. The write is conditioned on the
/// watermark read, so two revocations at once cannot leave the earlier of
/// the two; the one that loses reads again. `Conflict` after
/// [`WATERMARK_ATTEMPTS`] lost races.
///
/// `audited` is the audit event of the first org the user belongs to (if
/// any), committed in the raise's transaction; the caller records the
/// others, each with a check that the watermark exists.
pub async fn revoke_issued_before(
    store: &dyn Store,
    user: &UserId,
    before: i64,
    audited: Option<AuditEvent>,
) -> Result<(), StoreError> {
    let key = revoked_before_key(user);
    for _ in 0..WATERMARK_ATTEMPTS {
        let current = store.batch_get(std::slice::from_ref(&key)).await?.pop().flatten();
        let (version, condition) = match &current {
            Some(item) if item.parse::<RevokedBefore>()?.before >= before => {
                // Already in force: the revocation asked for still happened.
                return match audited {
                    Some(event) => crate::domain::audit::chain::commit(store, Vec::new(), vec![event]).await,
                    None => Ok(()),
                };
            }
            Some(item) => (item.version + 1, Condition::VersionEquals(item.version)),
            None => (1, Condition::NotExists),
        };
        let raised = Item::new(key.clone(), version, RevokedBefore { before })?;
        let raise = vec![WriteOp::put_if(raised, condition)];
        match crate::domain::audit::chain::commit(store, raise, audited.iter().cloned().collect()).await {
            Err(StoreError::ConditionFailed { .. } | StoreError::Conflict) => continue,
            done => return done,
        }
    }
    Err(StoreError::Conflict)
}

pub fn revoked_token_key(user: &UserId, jti: &str) -> Key {
    Key::user(user, format!("REVOKED#{jti}"))
}

#[cfg(test)]
mod tests {
    use std::sync::Arc;
    use std::sync::atomic::{AtomicBool, Ordering};

    use super::*;
    use crate::ports::store::sqlite::SqliteStore;
    use crate::ports::store::{DynStore, Page, Query};

    fn store() -> (tempfile::TempDir, DynStore) {
        let (dir, store) = SqliteStore::temporary();
        (dir, Arc::new(store))
    }

    async fn watermark(store: &dyn Store, user: &UserId) -> (i64, u64) {
        let item = store.batch_get(&[revoked_before_key(user)]).await.unwrap().pop().flatten().expect("a watermark");
        (item.parse::<RevokedBefore>().unwrap().before, item.version)
    }

    /// Another request's revocation (`later`) commits right after this
    /// request's first read of the watermark.
    struct RacedByLaterRevocation {
        store: DynStore,
        user: UserId,
        later: i64,
        raced: AtomicBool,
    }

    #[async_trait::async_trait]
    impl Store for RacedByLaterRevocation {
        async fn batch_get(&self, keys: &[Key]) -> Result<Vec<Option<Item>>, StoreError> {
            let read = self.store.batch_get(keys).await?;
            if !self.raced.swap(true, Ordering::SeqCst) {
                revoke_issued_before(self.store.as_ref(), &self.user, self.later, None).await?;
            }
            Ok(read)
        }

        async fn query(&self, query: &Query) -> Result<Page, StoreError> {
            self.store.query(query).await
        }

        async fn transact(&self, ops: Vec<WriteOp>) -> Result<(), StoreError> {
            self.store.transact(ops).await
        }

        async fn increment(&self, key: &Key, by: u64, expires_at: Option<i64>) -> Result<u64, StoreError> {
            self.store.increment(key, by, expires_at).await
        }

        async fn ping(&self) -> Result<(), StoreError> {
            self.store.ping().await
        }
    }

    #[tokio::test]
    async fn the_revocation_watermark_rises_and_never_falls() {
        let (_dir, store) = store();
        let alice = UserId::parse("alice").unwrap();
        revoke_issued_before(store.as_ref(), &alice, 200, None).await.unwrap();
        assert_eq!(watermark(store.as_ref(), &alice).await, (200, 1));
        revoke_issued_before(store.as_ref(), &alice, 100, None).await.unwrap();
        assert_eq!(watermark(store.as_ref(), &alice).await, (200, 1), "an earlier time changes nothing");
        revoke_issued_before(store.as_ref(), &alice, 300, None).await.unwrap();
        assert_eq!(watermark(store.as_ref(), &alice).await, (300, 2));
    }

    #[tokio::test]
    async fn a_revocation_that_races_a_later_one_keeps_the_later_watermark() {
        let (_dir, store) = store();
        let alice = UserId::parse("alice").unwrap();
        revoke_issued_before(store.as_ref(), &alice, 100, None).await.unwrap();
        let raced =
            RacedByLaterRevocation { store: store.clone(), user: alice.clone(), later: 300, raced: false.into() };
        revoke_issued_before(&raced, &alice, 200, None).await.unwrap();
        assert_eq!(watermark(store.as_ref(), &alice).await, (300, 2), "tokens issued up to 300 stay revoked");
    }
}
