//! User profiles: global lookups created on a user's first authenticated
//! request, holding no tenant data.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use crate::domain::audit::{Actor, Target};
use crate::events::{DomainEvent, outbox};
use crate::ids::EventId;
use crate::store::{Condition, Item, Key, Store, StoreError, WriteOp};
use crate::user::{Email, UserId};

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

pub fn revoked_token_key(user: &UserId, jti: &str) -> Key {
    Key::user(user, format!("REVOKED#{jti}"))
}
