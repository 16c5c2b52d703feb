//! Rate limits per org and per principal and route class, by plan, with the
//! counters in the store (so every Lambda instance and local process shares
//! them).
//!
//! Algorithm: a sliding-window counter. Each policy counts requests in fixed
//! windows of `window` seconds; the estimate is the previous window's count
//! weighted by how much of it still overlaps the last `window` seconds, plus
//! the current window's count. The current count is an atomic store
//! increment; the previous window is closed, so its count is read once per
//! window per instance and cached.
//!
//! The org-wide counter is sharded over [`ORG_SHARDS`] partitions (a request
//! increments one at random; the estimate scales its count) so one hot org
//! does not hit one partition. Principal counters are naturally spread.
//!
//! Requests outside any org (listing and creating orgs, revoking one's own
//! tokens) count against the user alone, with the free plan's principal
//! limits, in the user's partition.
//!
//! On store errors the limiter fails open, for reads and writes alike: the
//! store is then failing the request's own work too, and refusing on top of
//! that would only hide the cause. The error is logged.

use std::collections::HashMap;
use std::sync::Mutex;

use serde::{Deserialize, Serialize};

use crate::store::{Key, Store, StoreError};
use crate::tenant::TenantId;
use crate::user::UserId;

pub const ORG_SHARDS: u64 = 4;
const CACHE_CAPACITY: usize = 10_000;

/// The org's plan; sets its limits.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "lowercase")]
pub enum Plan {
    #[default]
    Free,
    Pro,
    Enterprise,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RouteClass {
    Read,
    Write,
}

impl RouteClass {
    pub fn of_method(method: &str) -> Self {
        if matches!(method, "GET" | "HEAD" | "OPTIONS") { RouteClass::Read } else { RouteClass::Write }
    }
}

/// `quota` requests per `window` seconds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Policy {
    pub quota: u64,
    pub window: u64,
}

/// The limits of one plan.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PlanLimits {
    pub org: Policy,
    pub principal_read: Policy,
    pub principal_write: Policy,
}

/// Limits for every plan. The defaults are documented in the README.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Limits(HashMap<Plan, PlanLimits>);

impl Default for Limits {
    fn default() -> Self {
        let per_minute = |org, read, write| PlanLimits {
            org: Policy { quota: org, window: 60 },
            principal_read: Policy { quota: read, window: 60 },
            principal_write: Policy { quota: write, window: 60 },
        };
        Self(HashMap::from([
            (Plan::Free, per_minute(1_200, 600, 120)),
            (Plan::Pro, per_minute(12_000, 6_000, 1_200)),
            (Plan::Enterprise, per_minute(60_000, 30_000, 6_000)),
        ]))
    }
}

impl Limits {
    /// The same limits for every plan (tests and single-tenant installs).
    pub fn uniform(limits: PlanLimits) -> Self {
        Self([Plan::Free, Plan::Pro, Plan::Enterprise].into_iter().map(|p| (p, limits)).collect())
    }

    pub fn of(&self, plan: Plan) -> PlanLimits {
        self.0.get(&plan).copied().unwrap_or_else(|| Limits::default().0[&Plan::Free])
    }
}

/// One policy's standing after this request.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Standing {
    pub name: &'static str,
    pub policy: Policy,
    pub remaining: u64,
    /// Seconds until the current window ends.
    pub reset: u64,
    pub exceeded: bool,
}

impl Standing {
    /// A policy's standing from its estimate and seconds to reset.
    fn of(name: &'static str, policy: Policy, (estimate, reset): (u64, u64)) -> Self {
        Self {
            name,
            policy,
            remaining: policy.quota.saturating_sub(estimate),
            reset,
            exceeded: estimate > policy.quota,
        }
    }
}

/// The outcome for a request: every policy that applied.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Decision {
    pub standings: Vec<Standing>,
}

impl Decision {
    pub fn allowed(&self) -> bool {
        self.standings.iter().all(|s| !s.exceeded)
    }

    /// The policy closest to exhaustion (an exceeded one first).
    pub fn tightest(&self) -> Option<&Standing> {
        self.standings.iter().min_by_key(|s| (!s.exceeded, s.remaining))
    }

    /// `RateLimit-Policy` (draft-ietf-httpapi-ratelimit-headers).
    pub fn policy_header(&self) -> String {
        self.standings
            .iter()
            .map(|s| format!("\"{}\";q={};w={}", s.name, s.policy.quota, s.policy.window))
            .collect::<Vec<_>>()
            .join(", ")
    }

    /// `RateLimit`: the tightest policy's remaining quota and reset.
    pub fn limit_header(&self) -> Option<String> {
        self.tightest().map(|s| format!("\"{}\";r={};t={}", s.name, s.remaining, s.reset))
    }

    pub fn retry_after(&self) -> u64 {
        self.standings.iter().filter(|s| s.exceeded).map(|s| s.reset).max().unwrap_or(1).max(1)
    }
}

/// Who is counted.
pub struct Subject<'a> {
    pub tenant: &'a TenantId,
    pub principal: &'a str,
    pub class: RouteClass,
    pub plan: Plan,
}

/// Counts requests; one per process, shared by every request.
pub struct RateLimiter {
    limits: Limits,
    /// Final counts of closed windows: counter partition -> (window, count).
    closed: Mutex<HashMap<String, (u64, u64)>>,
}

impl RateLimiter {
    pub fn new(limits: Limits) -> Self {
        Self { limits, closed: Mutex::new(HashMap::new()) }
    }

    pub fn limits(&self) -> &Limits {
        &self.limits
    }

    /// Counts the request against its policies. `now_ms` is epoch milliseconds.
    pub async fn check(&self, store: &dyn Store, subject: &Subject<'_>, now_ms: u64) -> Result<Decision, StoreError> {
        let limits = self.limits.of(subject.plan);
        let (principal_policy, class) = match subject.class {
            RouteClass::Read => (limits.principal_read, "read"),
            RouteClass::Write => (limits.principal_write, "write"),
        };
        let shard = rand::random_range(0..ORG_SHARDS);
        let org_counter =
            |window: u64| Key::tenant_collection(subject.tenant, &format!("RL#ORG#{shard}"), window.to_string());
        let principal_counter = |window: u64| {
            Key::tenant_collection(subject.tenant, &format!("RL#P#{}#{class}", subject.principal), window.to_string())
        };
        let (org, principal) = tokio::try_join!(
            self.count(store, limits.org, now_ms, org_counter, ORG_SHARDS),
            self.count(store, principal_policy, now_ms, principal_counter, 1),
        )?;
        let principal_name = if class == "read" { "principal-read" } else { "principal-write" };
        Ok(Decision {
            standings: vec![
                Standing::of("org", limits.org, org),
                Standing::of(principal_name, principal_policy, principal),
            ],
        })
    }

    /// Counts a request made outside any org against the user's own limit.
    pub async fn check_user(
        &self,
        store: &dyn Store,
        user: &UserId,
        class: RouteClass,
        now_ms: u64,
    ) -> Result<Decision, StoreError> {
        let limits = self.limits.of(Plan::Free);
        let (policy, name, class) = match class {
            RouteClass::Read => (limits.principal_read, "principal-read", "read"),
            RouteClass::Write => (limits.principal_write, "principal-write", "write"),
        };
        let counter = |window: u64| Key::user(user, format!("RL#{class}#{window}"));
        let counted = self.count(store, policy, now_ms, counter, 1).await?;
        Ok(Decision { standings: vec![Standing::of(name, policy, counted)] })
    }

    /// The sliding-window estimate after counting this request, and the
    /// seconds until the window ends.
    async fn count(
        &self,
        store: &dyn Store,
        policy: Policy,
        now_ms: u64,
        counter: impl Fn(u64) -> Key,
        scale: u64,
    ) -> Result<(u64, u64), StoreError> {
        let window_ms = policy.window * 1000;
        let window = now_ms / window_ms;
        let into_window_ms = now_ms % window_ms;
        let expires = ((window + 2) * policy.window) as i64;
        let current = store.increment(&counter(window), 1, Some(expires)).await? * scale;
        let closed = window.saturating_sub(1);
        // The series is named by its key at window 0 (the window varies in the key).
        let series = counter(0);
        let series = format!("{}|{}", series.pk(), series.sk());
        let previous = self.closed_count(store, series, &counter(closed), closed).await? * scale;
        let overlap = (window_ms - into_window_ms) as f64 / window_ms as f64;
        let estimate = (previous as f64 * overlap).floor() as u64 + current;
        Ok((estimate, (window_ms - into_window_ms).div_ceil(1000)))
    }

    async fn closed_count(&self, store: &dyn Store, series: String, key: &Key, window: u64) -> Result<u64, StoreError> {
        let cache_key = series;
        if let Some(&(cached_window, count)) = self.closed.lock().ok().as_ref().and_then(|c| c.get(&cache_key))
            && cached_window == window
        {
            return Ok(count);
        }
        let count = store.batch_get(std::slice::from_ref(key)).await?.pop().flatten().map_or(0, |item| item.version);
        if let Ok(mut cache) = self.closed.lock() {
            if cache.len() >= CACHE_CAPACITY {
                cache.clear();
            }
            cache.insert(cache_key, (window, count));
        }
        Ok(count)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::store::sqlite::SqliteStore;

    fn limiter(quota: u64) -> RateLimiter {
        let policy = Policy { quota, window: 60 };
        RateLimiter::new(Limits::uniform(PlanLimits {
            org: Policy { quota: 1_000, window: 60 },
            principal_read: policy,
            principal_write: policy,
        }))
    }

    #[tokio::test]
    async fn requests_past_the_quota_are_refused_until_the_window_slides() {
        let dir = tempfile::tempdir().unwrap();
        let store = SqliteStore::open(&dir.path().join("s.db")).unwrap();
        let tenant = TenantId::generate();
        let subject = Subject { tenant: &tenant, principal: "alice", class: RouteClass::Write, plan: Plan::Free };
        let limiter = limiter(3);
        // The start of the next real window (counters expire relative to real time).
        let start = (chrono::Utc::now().timestamp_millis() as u64 / 60_000 + 1) * 60_000;
        for n in 0..3 {
            let decision = limiter.check(&store, &subject, start + n).await.unwrap();
            assert!(decision.allowed(), "request {n}");
            assert_eq!(decision.tightest().unwrap().remaining, 2 - n);
        }
        let refused = limiter.check(&store, &subject, start + 10).await.unwrap();
        assert!(!refused.allowed());
        assert_eq!(refused.tightest().unwrap().name, "principal-write");
        assert_eq!(refused.retry_after(), 60);
        // Half-way through the next window, half of the previous four still count.
        let later = limiter.check(&store, &subject, start + 90_000).await.unwrap();
        assert!(later.allowed(), "{later:?}");
        assert_eq!(later.tightest().unwrap().remaining, 0, "2 of the previous 4 plus this one of 3");
        let other_principal = Subject { principal: "bob", ..subject };
        assert!(limiter.check(&store, &other_principal, start + 90_001).await.unwrap().allowed());
    }

    #[test]
    fn headers_follow_the_ietf_draft_syntax() {
        let decision = Decision {
            standings: vec![
                Standing {
                    name: "org",
                    policy: Policy { quota: 100, window: 60 },
                    remaining: 90,
                    reset: 30,
                    exceeded: false,
                },
                Standing {
                    name: "principal-write",
                    policy: Policy { quota: 10, window: 60 },
                    remaining: 4,
                    reset: 30,
                    exceeded: false,
                },
            ],
        };
        assert_eq!(decision.policy_header(), "\"org\";q=100;w=60, \"principal-write\";q=10;w=60");
        assert_eq!(decision.limit_header().unwrap(), "\"principal-write\";r=4;t=30");
    }
}
