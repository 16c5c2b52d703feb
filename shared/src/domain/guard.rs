//! Bounds on what failing callers can make the platform do: failed
//! authentication is throttled per source address and per key prefix, and
//! refusals (`access.denied`) are recorded in an org's log at a bounded
//! rate per principal, the rest counted and noted on the next one recorded.
//!
//! Both count with the rate limiter's sliding windows, in counters of their
//! own. A failure is added to the store's counter at once, so each instance
//! learns every instance's total at its next failure; the check before a
//! credential is verified reads only what this instance knows (no round
//! trip on the path every request takes). So an address is refused after
//! its `quota` failures on one instance, and across instances after the
//! quota plus at most one failure per instance that had not failed yet.

use std::collections::HashMap;
use std::sync::Mutex;

use crate::base::digest::sha256_hex;
use crate::base::tenant::{Principal, TenantId};
use crate::domain::ratelimit::{DEFAULT_SYNC_INTERVAL, Limits, Policy, RateLimiter};
use crate::ports::store::{Key, Store, StoreError};

/// Failed authentication allowed from one source address in five minutes.
pub const FAILURES_PER_ADDRESS: Policy = Policy { quota: 50, window: 300 };
/// Failed authentication allowed with one key prefix in five minutes.
pub const FAILURES_PER_KEY_PREFIX: Policy = Policy { quota: 10, window: 300 };
/// `access.denied` events one principal adds to an org's log in a minute.
pub const DENIALS_RECORDED: Policy = Policy { quota: 20, window: 60 };
/// How many characters after its type prefix name a key's prefix: enough
/// that two live keys share one by chance about once in 2^48, few enough
/// that the prefix says nothing useful about the rest of the token.
const KEY_PREFIX_CHARS: usize = 8;
/// Principals whose unrecorded refusals one process keeps count of.
const SUPPRESSED_CAPACITY: usize = 10_000;

/// Who an authentication attempt is counted against: digests of its
/// source address and of its key prefix, never the values.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct AuthAttempt {
    address: Option<String>,
    key_prefix: Option<String>,
}

impl AuthAttempt {
    /// The attempt from `address` presenting `token`; a token shaped like
    /// an API key (`type_prefix`) is counted by its prefix too.
    pub fn new(address: Option<&str>, token: &str, type_prefix: Option<&str>) -> Self {
        let digest = |kind: &str, value: &str| sha256_hex(format!("{kind}:{value}").as_bytes())[..32].to_owned();
        let key_prefix = type_prefix.map(|type_prefix| {
            let end = token.char_indices().nth(type_prefix.len() + KEY_PREFIX_CHARS).map_or(token.len(), |(i, _)| i);
            digest("key", &token[..end])
        });
        Self { address: address.map(|a| digest("address", a)), key_prefix }
    }

    /// The counters this attempt is counted in, with their policies and
    /// the names `RateLimit-Policy` and the 429 give them.
    fn counters(&self, guard: &Guard) -> Vec<(&'static str, Policy, String)> {
        let address = self.address.iter().map(|d| ("auth-failures-address", guard.per_address, d.clone()));
        let prefix = self.key_prefix.iter().map(|d| ("auth-failures-key-prefix", guard.per_key_prefix, d.clone()));
        address.chain(prefix).collect()
    }
}

/// Whether to record one more bounded event.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Admission {
    pub record: bool,
    /// Events of the same series this instance did not record since the
    /// last one it recorded (noted on this one).
    pub suppressed: u64,
}

/// The counters and what they allow; one per process.
pub struct Guard {
    counts: RateLimiter,
    per_address: Policy,
    per_key_prefix: Policy,
    denials: Policy,
    suppressed: Mutex<HashMap<String, u64>>,
}

impl Default for Guard {
    fn default() -> Self {
        Self::new(FAILURES_PER_ADDRESS, FAILURES_PER_KEY_PREFIX, DENIALS_RECORDED)
    }
}

impl Guard {
    pub fn new(per_address: Policy, per_key_prefix: Policy, denials: Policy) -> Self {
        Self {
            counts: RateLimiter::new(Limits::default()),
            per_address,
            per_key_prefix,
            denials,
            suppressed: Mutex::new(HashMap::new()),
        }
    }

    /// The defaults with every quota multiplied by `factor` (windows
    /// unchanged), as `CONTROLPLANE_RATE_LIMIT_SCALE` scales the rate limits.
    pub fn scaled(factor: u64) -> Self {
        let scale = |p: Policy| Policy { quota: p.quota.saturating_mul(factor), ..p };
        Self::new(scale(FAILURES_PER_ADDRESS), scale(FAILURES_PER_KEY_PREFIX), scale(DENIALS_RECORDED))
    }

    /// The throttle refusing `attempt` before its credential is checked,
    /// and the seconds until it may try again: its address or key prefix
    /// failed `quota` times in the window.
    pub fn throttled(&self, attempt: &AuthAttempt, now_ms: u64) -> Option<(&'static str, u64)> {
        attempt.counters(self).into_iter().find_map(|(name, policy, digest)| {
            let (failures, reset) = self.counts.peek(policy, now_ms, |w| Key::auth_failures(&digest, w));
            (failures >= policy.quota).then_some((name, reset.max(1)))
        })
    }

    /// Counts a failed attempt against its address and key prefix, adding
    /// to the store's counters at once.
    pub async fn failed(&self, store: &dyn Store, attempt: &AuthAttempt, now_ms: u64) -> Result<(), StoreError> {
        for (_, policy, digest) in attempt.counters(self) {
            self.counts.count_syncing(store, policy, now_ms, |w| Key::auth_failures(&digest, w), 0).await?;
        }
        Ok(())
    }

    /// Whether to record one more refusal of `principal` in `tenant`'s log.
    /// Fails open (records) when the store cannot count.
    pub async fn admit_denial(
        &self,
        store: &dyn Store,
        tenant: &TenantId,
        principal: &Principal,
        now_ms: u64,
    ) -> Admission {
        let series = format!("RL#DENIED#{}", principal.id());
        let counter = |w: u64| Key::tenant_collection(tenant, &series, w.to_string());
        let name = format!("{}|{series}", tenant.as_str());
        let sync_every_ms = DEFAULT_SYNC_INTERVAL.as_millis() as u64;
        let counted = self.counts.count_syncing(store, self.denials, now_ms, counter, sync_every_ms).await;
        let Ok(mut suppressed) = self.suppressed.lock() else { return Admission { record: true, suppressed: 0 } };
        match counted {
            Ok((recorded, _)) if recorded > self.denials.quota => {
                // Bounded like the limiter's own map: past it, the counts
                // so far are dropped rather than the memory grown.
                if suppressed.len() >= SUPPRESSED_CAPACITY && !suppressed.contains_key(&name) {
                    suppressed.clear();
                }
                *suppressed.entry(name).or_default() += 1;
                Admission { record: false, suppressed: 0 }
            }
            Ok(_) => Admission { record: true, suppressed: suppressed.remove(&name).unwrap_or(0) },
            Err(error) => {
                tracing::warn!(%error, "denial counter unavailable; recording");
                Admission { record: true, suppressed: suppressed.remove(&name).unwrap_or(0) }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::base::user::UserId;
    use crate::ports::store::sqlite::SqliteStore;

    /// The start of the next real five-minute window (counters expire
    /// relative to real time), so no window boundary falls inside a test.
    fn window_start() -> u64 {
        (chrono::Utc::now().timestamp_millis() as u64 / 300_000 + 1) * 300_000
    }

    #[test]
    fn attempts_are_counted_by_digests_and_keys_by_their_first_characters() {
        let one = AuthAttempt::new(Some("203.0.113.9"), "sk_live_ABCDEFGHrest-of-one", Some("sk_live_"));
        let two = AuthAttempt::new(Some("203.0.113.9"), "sk_live_ABCDEFGHanother-rest", Some("sk_live_"));
        let other = AuthAttempt::new(None, "sk_live_ABCDEFGXrest-of-one", Some("sk_live_"));
        assert_eq!(one, two, "the same address and the same first eight characters");
        assert_ne!(one.key_prefix, other.key_prefix);
        assert_eq!(other.address, None);
        let jwt = AuthAttempt::new(Some("203.0.113.9"), "eyJhbGciOi.x.y", None);
        assert_eq!(jwt.key_prefix, None, "a token that is no key has no key prefix");
        let shown = format!("{one:?}");
        assert!(!shown.contains("203.0.113.9") && !shown.contains("ABCDEFGH"), "{shown}");
        // A token too short for a prefix still has one (what there is).
        assert!(AuthAttempt::new(None, "sk_live_é", Some("sk_live_")).key_prefix.is_some());
    }

    #[test]
    fn a_scaled_guard_allows_that_many_times_the_failures_and_refusals_in_the_same_windows() {
        let scaled = Guard::scaled(10);
        assert_eq!(scaled.per_address, Policy { quota: 500, window: FAILURES_PER_ADDRESS.window });
        assert_eq!(scaled.per_key_prefix, Policy { quota: 100, window: FAILURES_PER_KEY_PREFIX.window });
        assert_eq!(scaled.denials, Policy { quota: 200, window: DENIALS_RECORDED.window });
    }

    #[tokio::test]
    async fn a_key_prefix_is_throttled_after_its_quota_of_failures_until_the_window_slides() {
        let (_dir, store) = SqliteStore::temporary();
        let guard = Guard::new(Policy { quota: 100, window: 300 }, Policy { quota: 3, window: 300 }, DENIALS_RECORDED);
        let attempt = AuthAttempt::new(Some("198.51.100.7"), "sk_live_ZZZZZZZZsecret", Some("sk_live_"));
        let start = window_start();
        for n in 0..3 {
            assert_eq!(guard.throttled(&attempt, start + n), None, "failure {n}");
            guard.failed(&store, &attempt, start + n).await.unwrap();
        }
        let (policy, retry) = guard.throttled(&attempt, start + 10).expect("throttled after three failures");
        assert_eq!(policy, "auth-failures-key-prefix");
        assert!((299..=300).contains(&retry), "{retry}");
        let elsewhere = AuthAttempt::new(Some("198.51.100.8"), "sk_live_YYYYYYYYsecret", Some("sk_live_"));
        assert_eq!(guard.throttled(&elsewhere, start + 10), None, "another address and key are not");
        // Two windows on, the failures have slid out.
        assert_eq!(guard.throttled(&attempt, start + 600_000), None);
    }

    #[tokio::test]
    async fn an_instance_learns_other_instances_failures_at_its_own_next_failure() {
        let (_dir, store) = SqliteStore::temporary();
        let policy = Policy { quota: 4, window: 300 };
        let (one, two) = (Guard::new(policy, policy, DENIALS_RECORDED), Guard::new(policy, policy, DENIALS_RECORDED));
        let attempt = AuthAttempt::new(Some("192.0.2.1"), "not-a-key", None);
        let start = window_start();
        for n in 0..3 {
            one.failed(&store, &attempt, start + n).await.unwrap();
        }
        assert_eq!(two.throttled(&attempt, start + 5), None, "nothing counted here yet");
        two.failed(&store, &attempt, start + 6).await.unwrap();
        assert_eq!(two.throttled(&attempt, start + 7).map(|t| t.0), Some("auth-failures-address"));
    }

    #[tokio::test]
    async fn denials_past_the_bound_are_counted_and_noted_on_the_next_one_recorded() {
        let (_dir, store) = SqliteStore::temporary();
        let guard = Guard::new(FAILURES_PER_ADDRESS, FAILURES_PER_KEY_PREFIX, Policy { quota: 2, window: 60 });
        let tenant = TenantId::fresh();
        let principal = Principal::User { id: UserId::parse("mallory").unwrap(), email: None };
        let start = (chrono::Utc::now().timestamp_millis() as u64 / 60_000 + 1) * 60_000;
        let mut admitted = Vec::new();
        for n in 0..5 {
            admitted.push(guard.admit_denial(&store, &tenant, &principal, start + n).await);
        }
        let records: Vec<bool> = admitted.iter().map(|a| a.record).collect();
        assert_eq!(records, [true, true, false, false, false]);
        let other = Principal::User { id: UserId::parse("trent").unwrap(), email: None };
        assert!(guard.admit_denial(&store, &tenant, &other, start + 6).await.record, "bounded per principal");
        // Two windows on, the next one is recorded with the three it stood for.
        let next = guard.admit_denial(&store, &tenant, &principal, start + 120_000).await;
        assert_eq!(next, Admission { record: true, suppressed: 3 });
        let after = guard.admit_denial(&store, &tenant, &principal, start + 120_001).await;
        assert_eq!(after, Admission { record: true, suppressed: 0 });
    }
}
