//! Rate limits per org and per principal and route class, by plan, with the
//! counters in the store (so every Lambda instance and local process shares
//! them).
//!
//! Algorithm: a sliding-window counter. Each policy counts requests in fixed
//! windows of `window` seconds; the estimate is the previous window's count
//! weighted by how much of it still overlaps the last `window` seconds, plus
//! the current window's count.
//!
//! Counting costs the request no store round trip: each instance counts
//! locally and, at most once per sync interval (1 s by default) per
//! counter, adds what it counted to the store's counter with one atomic
//! increment, which returns every instance's total. The estimate is that
//! total plus what this instance counted since. So a limit holds exactly
//! within one instance, and across instances to within what the others
//! admitted in their last interval; the closed previous window is read
//! once per window per instance. A counter item takes at most one write a
//! second per instance, so one busy org has no hot key at any realistic
//! concurrency. The syncs are the request's amortized store work (see
//! `store::tally`).
//!
//! Requests outside any org (listing and creating orgs, revoking one's own
//! tokens) count against the user alone, with the free plan's principal
//! limits, in the user's partition.
//!
//! On store errors the limiter fails open, for reads and writes alike: the
//! store is then failing the request's own work too, and refusing on top of
//! that would only hide the cause. The error is logged, and the counts not
//! synced are kept for the next sync.

use std::collections::HashMap;
use std::sync::Mutex;
use std::time::Duration;

use serde::{Deserialize, Serialize};

use crate::base::tenant::TenantId;
use crate::base::user::UserId;
use crate::ports::store::{Key, Store, StoreError};

/// How often an instance adds its local counts to the store's by default.
pub const DEFAULT_SYNC_INTERVAL: Duration = Duration::from_secs(1);
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

impl PlanLimits {
    /// Every quota times `factor`, the windows unchanged.
    fn scaled(self, factor: u64) -> Self {
        let scale = |p: Policy| Policy { quota: p.quota.saturating_mul(factor), ..p };
        Self {
            org: scale(self.org),
            principal_read: scale(self.principal_read),
            principal_write: scale(self.principal_write),
        }
    }
}

/// Limits for every plan. The defaults are documented in docs/api.md.
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

    /// The defaults with every quota multiplied by `factor` (windows
    /// unchanged): `CONTROLPLANE_RATE_LIMIT_SCALE`, for an install whose
    /// callers need more than the defaults allow.
    pub fn scaled(factor: u64) -> Self {
        Self(Self::default().0.into_iter().map(|(plan, limits)| (plan, limits.scaled(factor))).collect())
    }

    pub fn of(&self, plan: Plan) -> PlanLimits {
        self.0.get(&plan).copied().unwrap_or_else(|| Limits::default().0[&Plan::Free])
    }
}

/// How far above its plan's default an org's owner may raise a limit.
pub const MAX_OVERRIDE_FACTOR: u64 = 5;

/// One limit an org's owner set: requests per minute, and optionally at
/// most `burst` of them in any one second.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ClassLimit {
    #[schema(minimum = 1, example = 300)]
    pub per_minute: u64,
    /// Requests allowed within any one second; none: the minute's quota
    /// may come at once. At least `per_minute / 60` (rounded up), at most
    /// `per_minute`.
    #[serde(default)]
    #[schema(minimum = 1, example = 20)]
    pub burst: Option<u64>,
}

/// An org's own limits (`T#{org} / LIMITS`), read in the batch that checks
/// each request's credential: a change applies from the next request.
/// Each is the plan's default until set.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct OrgLimits {
    /// Every request in the org.
    #[serde(default)]
    pub org: Option<ClassLimit>,
    /// Each caller's reads.
    #[serde(default)]
    pub read: Option<ClassLimit>,
    /// Each caller's writes.
    #[serde(default)]
    pub write: Option<ClassLimit>,
    #[serde(default)]
    pub updated_at: Option<chrono::DateTime<chrono::Utc>>,
}

/// The limits that apply to one request: the plan's with the org's own.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Effective {
    pub limits: PlanLimits,
    pub org_burst: Option<u64>,
    pub read_burst: Option<u64>,
    pub write_burst: Option<u64>,
}

impl OrgLimits {
    pub fn key(tenant: &TenantId) -> Key {
        Key::tenant(tenant, "LIMITS")
    }

    /// The stored limits and their version (none set: version 0).
    pub fn from_item(item: Option<&crate::ports::store::Item>) -> Result<(Self, u64), StoreError> {
        item.map_or(Ok((Self::default(), 0)), |item| Ok((item.parse()?, item.version)))
    }

    /// `plan` with these overrides.
    pub fn applied(&self, plan: PlanLimits) -> Effective {
        let minute = |own: Option<ClassLimit>, default: Policy| {
            own.map_or(default, |own| Policy { quota: own.per_minute, window: 60 })
        };
        Effective {
            limits: PlanLimits {
                org: minute(self.org, plan.org),
                principal_read: minute(self.read, plan.principal_read),
                principal_write: minute(self.write, plan.principal_write),
            },
            org_burst: self.org.and_then(|l| l.burst),
            read_burst: self.read.and_then(|l| l.burst),
            write_burst: self.write.and_then(|l| l.burst),
        }
    }

    /// The problems with `self` as limits of an org on `plan` (the plan's
    /// defaults), each naming its field.
    pub fn problems(&self, plan: PlanLimits) -> Vec<(String, String)> {
        let mut problems = Vec::new();
        let classes = [
            ("org", self.org, plan.org),
            ("read", self.read, plan.principal_read),
            ("write", self.write, plan.principal_write),
        ];
        for (name, own, default) in classes {
            let Some(own) = own else { continue };
            let per_window = default.quota.saturating_mul(60) / default.window.max(1);
            let maximum = per_window.saturating_mul(MAX_OVERRIDE_FACTOR);
            if !(1..=maximum).contains(&own.per_minute) {
                problems.push((
                    format!("{name}.per_minute"),
                    format!("must be 1 to {maximum} (the plan's {per_window} times {MAX_OVERRIDE_FACTOR})"),
                ));
            }
            if let Some(burst) = own.burst {
                let least = own.per_minute.div_ceil(60);
                if burst < least || burst > own.per_minute {
                    problems.push((
                        format!("{name}.burst"),
                        format!(
                            "must be {least} to {} (at least a sixtieth of per_minute, or the minute's quota could never be used; at most per_minute)",
                            own.per_minute
                        ),
                    ));
                }
            }
        }
        problems
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
    /// The org's own limits over its plan's.
    pub own: &'a OrgLimits,
}

/// A counter series' name in this instance's map: its key's partition and
/// sort key for window 0.
fn series_name(counter: &impl Fn(u64) -> Key) -> String {
    let series = counter(0);
    format!("{}|{}", series.pk(), series.sk())
}

/// Counts requests; one per process, shared by every request.
pub struct RateLimiter {
    limits: Limits,
    sync_every_ms: u64,
    series: Mutex<HashMap<String, Series>>,
}

/// This instance's view of one counter series (one policy of one subject).
#[derive(Debug, Clone, Default)]
struct Series {
    window: u64,
    /// Every instance's count for `window` as of this instance's last sync.
    synced: u64,
    /// What this instance counted in `window` since that sync.
    pending: u64,
    last_sync_ms: u64,
    /// The previous window's count: this instance's own until read.
    previous: u64,
    previous_read: bool,
    /// What this instance counted in the previous window and never synced.
    carried: u64,
}

/// What one sync sends and asks.
struct Sync {
    window: u64,
    pending: u64,
    carried: u64,
    read_previous: bool,
}

impl RateLimiter {
    pub fn new(limits: Limits) -> Self {
        Self::syncing_every(limits, DEFAULT_SYNC_INTERVAL)
    }

    /// A limiter adding its counts to the store's every `interval` (zero:
    /// on every request, exact across instances; tests).
    pub fn syncing_every(limits: Limits, interval: Duration) -> Self {
        Self { limits, sync_every_ms: interval.as_millis() as u64, series: Mutex::new(HashMap::new()) }
    }

    pub fn limits(&self) -> &Limits {
        &self.limits
    }

    /// Counts one request of `subject` against its org's limit and its own
    /// limit for the route class.
    pub async fn check(&self, store: &dyn Store, subject: &Subject<'_>, now_ms: u64) -> Result<Decision, StoreError> {
        let effective = subject.own.applied(self.limits.of(subject.plan));
        let limits = effective.limits;
        let (principal_policy, principal_burst, class) = match subject.class {
            RouteClass::Read => (limits.principal_read, effective.read_burst, "read"),
            RouteClass::Write => (limits.principal_write, effective.write_burst, "write"),
        };
        let org_series = "RL#ORG".to_owned();
        let principal_series = format!("RL#P#{}#{class}", subject.principal);
        let counter = |series: &str| {
            let series = series.to_owned();
            move |window: u64| Key::tenant_collection(subject.tenant, &series, window.to_string())
        };
        let (org, principal) = tokio::try_join!(
            self.count(store, limits.org, now_ms, counter(&org_series)),
            self.count(store, principal_policy, now_ms, counter(&principal_series)),
        )?;
        let principal_name = if class == "read" { "principal-read" } else { "principal-write" };
        let mut standings =
            vec![Standing::of("org", limits.org, org), Standing::of(principal_name, principal_policy, principal)];
        // A burst cap is a policy of its own over one-second windows.
        let bursts = [
            (effective.org_burst, "org-burst", format!("{org_series}#S")),
            (
                principal_burst,
                if class == "read" { "principal-read-burst" } else { "principal-write-burst" },
                format!("{principal_series}#S"),
            ),
        ];
        for (burst, name, series) in bursts {
            if let Some(quota) = burst {
                let policy = Policy { quota, window: 1 };
                standings.push(Standing::of(name, policy, self.count(store, policy, now_ms, counter(&series)).await?));
            }
        }
        Ok(Decision { standings })
    }

    /// Counts one request of a user outside any org against the user's own
    /// limit (the free plan's).
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
        let counted = self.count(store, policy, now_ms, counter).await?;
        Ok(Decision { standings: vec![Standing::of(name, policy, counted)] })
    }

    /// Counts one request in the series `counter` names; returns the
    /// estimate and the seconds until the window resets.
    async fn count(
        &self,
        store: &dyn Store,
        policy: Policy,
        now_ms: u64,
        counter: impl Fn(u64) -> Key,
    ) -> Result<(u64, u64), StoreError> {
        self.count_syncing(store, policy, now_ms, counter, self.sync_every_ms).await
    }

    /// [`RateLimiter::count`] adding to the store's counter at most once per
    /// `sync_every_ms` (zero: on every count, so each one learns every
    /// instance's total).
    pub(crate) async fn count_syncing(
        &self,
        store: &dyn Store,
        policy: Policy,
        now_ms: u64,
        counter: impl Fn(u64) -> Key,
        sync_every_ms: u64,
    ) -> Result<(u64, u64), StoreError> {
        let series = series_name(&counter);
        let due = self.note(&series, policy.window * 1000, now_ms, sync_every_ms);
        if let Some(sync) = due {
            let synced = crate::ports::store::tally::amortized(Self::sync(store, &sync, policy, &counter)).await;
            self.settle(&series, sync, synced.as_ref().ok().copied());
            synced?;
        }
        Ok(self.estimate(&series, policy, now_ms))
    }

    /// What the series `counter` names stands at, as this instance knows
    /// it, without counting anything: the estimate and the seconds until
    /// the window resets.
    pub(crate) fn peek(&self, policy: Policy, now_ms: u64, counter: impl Fn(u64) -> Key) -> (u64, u64) {
        self.estimate(&series_name(&counter), policy, now_ms)
    }

    fn estimate(&self, series: &str, policy: Policy, now_ms: u64) -> (u64, u64) {
        let window_ms = policy.window * 1000;
        let window = now_ms / window_ms;
        let current = self.series.lock().ok().and_then(|s| s.get(series).cloned()).unwrap_or_default();
        let into_window_ms = now_ms % window_ms;
        // A series last counted in an older window holds nothing of this one.
        let (previous, current) = match current.window {
            w if w == window => (current.previous, current.synced + current.pending),
            w if w + 1 == window => (current.synced + current.pending, 0),
            _ => (0, 0),
        };
        let overlap = (window_ms - into_window_ms) as f64 / window_ms as f64;
        let estimate = (previous as f64 * overlap).floor() as u64 + current;
        (estimate, (window_ms - into_window_ms).div_ceil(1000))
    }

    /// Counts the request locally; returns the sync to make when one is due.
    fn note(&self, series: &str, window_ms: u64, now_ms: u64, sync_every_ms: u64) -> Option<Sync> {
        let window = now_ms / window_ms;
        let mut all = self.series.lock().ok()?;
        if all.len() >= CACHE_CAPACITY && !all.contains_key(series) {
            all.clear();
        }
        let s = all.entry(series.to_owned()).or_insert_with(|| Series {
            window,
            last_sync_ms: now_ms,
            ..Series::default()
        });
        if s.window != window {
            let own_previous = if s.window + 1 == window { s.synced + s.pending } else { 0 };
            let carried = if s.window + 1 == window { s.pending } else { 0 };
            *s = Series { window, last_sync_ms: s.last_sync_ms, previous: own_previous, carried, ..Series::default() };
        }
        s.pending += 1;
        if now_ms < s.last_sync_ms + sync_every_ms {
            return None;
        }
        s.last_sync_ms = now_ms;
        let sync = Sync { window, pending: s.pending, carried: s.carried, read_previous: !s.previous_read };
        s.pending = 0;
        s.carried = 0;
        Some(sync)
    }

    /// Adds the counts to the store's and reads what it needs: every
    /// instance's count for the window, and the previous window's.
    async fn sync(
        store: &dyn Store,
        sync: &Sync,
        policy: Policy,
        counter: &impl Fn(u64) -> Key,
    ) -> Result<(u64, Option<u64>), StoreError> {
        let expires = |window: u64| Some(((window + 2) * policy.window) as i64);
        let previous_window = sync.window.saturating_sub(1);
        let current_key = counter(sync.window);
        let current = store.increment(&current_key, sync.pending, expires(sync.window));
        let previous = async {
            if sync.carried > 0 {
                let total = store.increment(&counter(previous_window), sync.carried, expires(previous_window)).await?;
                return Ok(Some(total));
            }
            if !sync.read_previous {
                return Ok(None);
            }
            let found = store.batch_get(&[counter(previous_window)]).await?.pop().flatten();
            Ok(Some(found.map_or(0, |item| item.version)))
        };
        tokio::try_join!(current, previous)
    }

    /// Records a sync's outcome; a failed one keeps its counts for the next.
    fn settle(&self, series: &str, sync: Sync, synced: Option<(u64, Option<u64>)>) {
        let Ok(mut all) = self.series.lock() else { return };
        let Some(s) = all.get_mut(series).filter(|s| s.window == sync.window) else { return };
        match synced {
            Some((total, previous)) => {
                s.synced = s.synced.max(total);
                if let Some(previous) = previous {
                    s.previous = s.previous.max(previous);
                    s.previous_read = true;
                }
            }
            None => {
                s.pending += sync.pending;
                s.carried += sync.carried;
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ports::store::sqlite::SqliteStore;

    fn limits(quota: u64) -> Limits {
        let policy = Policy { quota, window: 60 };
        Limits::uniform(PlanLimits {
            org: Policy { quota: 1_000, window: 60 },
            principal_read: policy,
            principal_write: policy,
        })
    }

    fn limiter(quota: u64) -> RateLimiter {
        RateLimiter::syncing_every(limits(quota), Duration::ZERO)
    }

    #[test]
    fn scaled_limits_multiply_every_plans_quotas_and_keep_the_windows() {
        let (defaults, scaled) = (Limits::default(), Limits::scaled(10));
        for plan in [Plan::Free, Plan::Pro, Plan::Enterprise] {
            let (d, s) = (defaults.of(plan), scaled.of(plan));
            for (d, s) in [(d.org, s.org), (d.principal_read, s.principal_read), (d.principal_write, s.principal_write)]
            {
                assert_eq!((s.quota, s.window), (d.quota * 10, d.window), "{plan:?}");
            }
        }
        assert_eq!(Limits::scaled(1), defaults);
    }

    #[tokio::test]
    async fn requests_past_the_quota_are_refused_until_the_window_slides() {
        let (_dir, store) = SqliteStore::temporary();
        let tenant = TenantId::fresh();
        let subject = Subject {
            tenant: &tenant,
            principal: "alice",
            class: RouteClass::Write,
            plan: Plan::Free,
            own: &OrgLimits::default(),
        };
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

    #[tokio::test]
    async fn an_orgs_own_limit_replaces_its_plans_and_a_burst_cap_refuses_a_seconds_excess() {
        let (_dir, store) = SqliteStore::temporary();
        let tenant = TenantId::fresh();
        let own = OrgLimits { read: Some(ClassLimit { per_minute: 100, burst: Some(2) }), ..OrgLimits::default() };
        let subject =
            Subject { tenant: &tenant, principal: "alice", class: RouteClass::Read, plan: Plan::Free, own: &own };
        let limiter = RateLimiter::syncing_every(Limits::default(), Duration::ZERO);
        let start = (chrono::Utc::now().timestamp_millis() as u64 / 60_000 + 1) * 60_000;
        for n in 0..2 {
            let decision = limiter.check(&store, &subject, start + n).await.unwrap();
            assert!(decision.allowed(), "request {n}: {decision:?}");
            assert!(decision.policy_header().contains("\"principal-read\";q=100;w=60"));
        }
        let refused = limiter.check(&store, &subject, start + 10).await.unwrap();
        assert!(!refused.allowed());
        assert_eq!(refused.tightest().unwrap().name, "principal-read-burst");
        assert_eq!(refused.retry_after(), 1);
        // Two seconds on, the second's window has slid past them.
        assert!(limiter.check(&store, &subject, start + 2_000).await.unwrap().allowed());
    }

    #[test]
    fn an_orgs_own_limits_stay_within_five_times_its_plan_and_a_burst_within_its_minute() {
        let plan = Limits::default().of(Plan::Free);
        let limit = |per_minute, burst| Some(ClassLimit { per_minute, burst });
        let fine = OrgLimits {
            org: limit(6_000, None),
            read: limit(60, Some(1)),
            write: limit(1, Some(1)),
            ..Default::default()
        };
        assert!(fine.problems(plan).is_empty(), "{:?}", fine.problems(plan));
        let wrong = OrgLimits {
            org: limit(6_001, None),
            read: limit(0, None),
            write: limit(120, Some(1)),
            ..Default::default()
        };
        let fields: Vec<String> = wrong.problems(plan).into_iter().map(|(f, _)| f).collect();
        assert_eq!(fields, ["org.per_minute", "read.per_minute", "write.burst"]);
        let over = OrgLimits { write: limit(10, Some(11)), ..Default::default() };
        assert_eq!(over.problems(plan)[0].0, "write.burst");
        let applied = fine.applied(plan);
        assert_eq!(applied.limits.org, Policy { quota: 6_000, window: 60 });
        assert_eq!(applied.limits.principal_write.quota, 1);
        assert_eq!((applied.read_burst, applied.org_burst), (Some(1), None));
    }

    #[tokio::test]
    async fn instances_count_locally_and_add_their_counts_to_the_store_once_per_interval() {
        let dir = tempfile::tempdir().unwrap();
        let store = crate::ports::store::tally::Counting(std::sync::Arc::new(
            SqliteStore::open(&dir.path().join("s.db")).unwrap(),
        ));
        let tenant = TenantId::fresh();
        let subject = Subject {
            tenant: &tenant,
            principal: "alice",
            class: RouteClass::Write,
            plan: Plan::Free,
            own: &OrgLimits::default(),
        };
        let (one, two) = (RateLimiter::new(limits(6)), RateLimiter::new(limits(6)));
        let start = (chrono::Utc::now().timestamp_millis() as u64 / 60_000 + 1) * 60_000;
        let (_, within) = crate::ports::store::tally::counted(async {
            for n in 0..3 {
                assert!(one.check(&store, &subject, start + n).await.unwrap().allowed());
            }
        })
        .await;
        assert_eq!((within.reads, within.writes, within.amortized), (0, 0, 0), "no store call within the interval");
        let remaining = |d: Decision| d.standings.iter().find(|s| s.name == "principal-write").unwrap().remaining;
        assert_eq!(
            remaining(two.check(&store, &subject, start + 10).await.unwrap()),
            5,
            "the other instance saw none yet"
        );
        // A second on, each adds its counts and learns the other's.
        let (_, synced) =
            crate::ports::store::tally::counted(async { one.check(&store, &subject, start + 1_000).await.unwrap() })
                .await;
        assert_eq!((synced.reads, synced.writes, synced.amortized), (0, 0, 4), "per counter an increment and a read");
        let seen_by_two = two.check(&store, &subject, start + 1_010).await.unwrap();
        assert_eq!(remaining(seen_by_two), 0, "4 from the first instance and 2 from this one, of 6");
        assert!(!two.check(&store, &subject, start + 1_020).await.unwrap().allowed());
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
