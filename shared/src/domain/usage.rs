//! Usage, quotas and budgets of a project.
//!
//! Usage is counted per project, service and period (hour, day, month) in
//! atomic counters (`T#{org}#USAGE#{project}`, sort key
//! `{period}#{bucket}#{service}`): recording an amount is three increments,
//! never a read-modify-write, so any number of writers all count.
//!
//! Quotas are monthly limits per service; warnings at 80, 90 and 100 % are
//! audit events (`quota.warning`, `quota.exceeded`) — the outbox the
//! webhooks deliver from — each emitted once per project, service, month and
//! level: the event is written together with a marker item that must not
//! exist yet.

use std::collections::BTreeMap;

use chrono::{DateTime, Datelike, TimeDelta, TimeZone, Utc};
use serde::{Deserialize, Serialize};
use serde_json::json;

use crate::base::error::DomainError;
use crate::base::ids::ProjectId;
use crate::base::tenant::{OrgId, TenantId};
use crate::domain::audit::{AuditEvent, Target};
use crate::ports::store::{
    Condition, Index, IndexKey, Item, Key, Page, Partition, Query, SortKey, Store, StoreError, WriteOp,
};

/// Shards of the index of projects due for a limits check.
pub const CHECK_SHARDS: u32 = 4;
/// Warning levels, in percent of a quota.
pub const LEVELS: [u8; 3] = [80, 90, 100];

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum Service {
    ApiRequests,
    StorageBytes,
    BandwidthBytes,
    FunctionsInvocations,
    DbRows,
    /// Tool calls through the MCP gateway, counted as they are audited.
    McpCalls,
}

impl Service {
    /// Every metered service; a new one is a variant, a default quota and a price.
    pub const ALL: [Service; 6] = [
        Service::ApiRequests,
        Service::StorageBytes,
        Service::BandwidthBytes,
        Service::FunctionsInvocations,
        Service::DbRows,
        Service::McpCalls,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Service::ApiRequests => "api_requests",
            Service::StorageBytes => "storage_bytes",
            Service::BandwidthBytes => "bandwidth_bytes",
            Service::FunctionsInvocations => "functions_invocations",
            Service::DbRows => "db_rows",
            Service::McpCalls => "mcp_calls",
        }
    }

    /// The monthly limit a project has until someone sets another.
    pub fn default_monthly_limit(self) -> u64 {
        const GIB: u64 = 1 << 30;
        match self {
            Service::ApiRequests => 1_000_000,
            Service::StorageBytes => 10 * GIB,
            Service::BandwidthBytes => 100 * GIB,
            Service::FunctionsInvocations => 1_000_000,
            Service::DbRows => 1_000_000,
            Service::McpCalls => 100_000,
        }
    }

    /// US dollars per unit (the price table of docs/api.md).
    pub fn unit_price_usd(self) -> f64 {
        const GIB: f64 = (1u64 << 30) as f64;
        match self {
            Service::ApiRequests => 0.50 / 1e6,
            Service::StorageBytes => 0.10 / GIB,
            Service::BandwidthBytes => 0.09 / GIB,
            Service::FunctionsInvocations => 0.20 / 1e6,
            Service::DbRows => 1.00 / 1e6,
            Service::McpCalls => 1.00 / 1e4,
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum Period {
    Hour,
    Day,
    Month,
}

impl Period {
    pub fn as_str(self) -> &'static str {
        match self {
            Period::Hour => "hour",
            Period::Day => "day",
            Period::Month => "month",
        }
    }

    /// The bucket `at` falls in: `2026-11-23T07`, `2026-11-23`, `2026-11`.
    pub fn bucket(self, at: DateTime<Utc>) -> String {
        match self {
            Period::Hour => at.format("%Y-%m-%dT%H").to_string(),
            Period::Day => at.format("%Y-%m-%d").to_string(),
            Period::Month => at.format("%Y-%m").to_string(),
        }
    }

    /// How long its counters are kept (months: for good).
    fn retention(self) -> Option<TimeDelta> {
        match self {
            Period::Hour => Some(TimeDelta::days(8)),
            Period::Day => Some(TimeDelta::days(400)),
            Period::Month => None,
        }
    }

    /// The longest range one read may span.
    pub fn max_range(self) -> TimeDelta {
        match self {
            Period::Hour => TimeDelta::days(7),
            Period::Day => TimeDelta::days(366),
            Period::Month => TimeDelta::days(3 * 366),
        }
    }

    /// The range read when none is given.
    pub fn default_range(self) -> TimeDelta {
        match self {
            Period::Hour => TimeDelta::hours(48),
            Period::Day => TimeDelta::days(30),
            Period::Month => TimeDelta::days(365),
        }
    }
}

fn partition(tenant: &TenantId, project: &ProjectId) -> Partition {
    Partition::tenant_collection(tenant, &format!("USAGE#{project}"))
}

fn counter_key(tenant: &TenantId, project: &ProjectId, service: Service, period: Period, bucket: &str) -> Key {
    Key::tenant_collection(
        tenant,
        &format!("USAGE#{project}"),
        format!("{}#{bucket}#{}", period.as_str(), service.as_str()),
    )
}

/// Adds `amount` to the project's hour, day and month counters of
/// `service`: operations for the caller's transaction, so the counts move
/// together with whatever else it writes. The month's total after them is
/// at least [`month_key`]'s count read before plus `amount` (reports
/// committed meanwhile add to it).
pub fn add_ops(
    tenant: &TenantId,
    project: &ProjectId,
    service: Service,
    amount: u64,
    at: DateTime<Utc>,
) -> Vec<WriteOp> {
    let expiry = |period: Period| period.retention().map(|keep| (at + keep).timestamp());
    [Period::Hour, Period::Day, Period::Month]
        .into_iter()
        .map(|period| {
            WriteOp::add(counter_key(tenant, project, service, period, &period.bucket(at)), amount, expiry(period))
        })
        .collect()
}

/// The month counter of one service.
pub fn month_key(tenant: &TenantId, project: &ProjectId, service: Service, at: DateTime<Utc>) -> Key {
    counter_key(tenant, project, service, Period::Month, &Period::Month.bucket(at))
}

/// One counter read back.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct UsagePoint {
    pub service: Service,
    /// The period's bucket: `2026-11-23T07` (hour), `2026-11-23` (day), `2026-11` (month).
    pub bucket: String,
    pub amount: u64,
}

/// The counters of `period` buckets from `from` to `to`, 1,000 a page.
pub fn report_query(
    tenant: &TenantId,
    project: &ProjectId,
    period: Period,
    from: DateTime<Utc>,
    to: DateTime<Utc>,
) -> Query {
    let low = format!("{}#{}", period.as_str(), period.bucket(from));
    let high = format!("{}#{}#~", period.as_str(), period.bucket(to));
    Query::new(partition(tenant, project), SortKey::Between(low, high)).limit(1000)
}

/// The project's counters of one period with buckets in `[from, to]`,
/// oldest first: [`report_query`]'s `first` page (read with the request's
/// credential check) and any pages after it.
pub async fn read_from(store: &dyn Store, query: Query, first: Page) -> Result<Vec<UsagePoint>, StoreError> {
    let items = crate::ports::store::all_from(store, query, first).await?;
    Ok(items
        .iter()
        .filter_map(|item| {
            let mut parts = item.key.sk().splitn(3, '#').skip(1);
            let (bucket, service) = (parts.next()?, parts.next()?);
            let service = serde_json::from_value::<Service>(json!(service)).ok()?;
            Some(UsagePoint { service, bucket: bucket.to_owned(), amount: item.version })
        })
        .collect())
}

/// The month counters of every service, in [`Service::ALL`] order: read
/// them in the request's batch and hand the items to [`totals_from`].
pub fn month_keys(tenant: &TenantId, project: &ProjectId, at: DateTime<Utc>) -> Vec<Key> {
    Service::ALL.iter().map(|s| month_key(tenant, project, *s, at)).collect()
}

/// Each service's month total from the items [`month_keys`] named (absent: 0).
pub fn totals_from(items: &[Option<Item>]) -> BTreeMap<Service, u64> {
    Service::ALL.iter().zip(items).map(|(s, item)| (*s, item.as_ref().map_or(0, |i| i.version))).collect()
}

/// The month's total of every service (absent: 0).
pub async fn month_totals(
    store: &dyn Store,
    tenant: &TenantId,
    project: &ProjectId,
    at: DateTime<Utc>,
) -> Result<BTreeMap<Service, u64>, StoreError> {
    Ok(totals_from(&store.batch_get(&month_keys(tenant, project, at)).await?))
}

/// One service's quota.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ServiceQuota {
    /// A disabled service is refused by `/v1/usage/check`.
    pub enabled: bool,
    /// Units per calendar month (UTC), at most 10^18; `null` is unlimited.
    #[schema(maximum = 1_000_000_000_000_000_000_u64)]
    pub monthly_limit: Option<u64>,
}

/// A project's quotas: every service, defaults where none was set.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct Quotas {
    pub project_id: ProjectId,
    pub services: BTreeMap<Service, ServiceQuota>,
    /// 0 until quotas are first set.
    pub version: u64,
    pub updated_at: Option<DateTime<Utc>>,
}

impl Quotas {
    pub fn key(tenant: &TenantId, project: &ProjectId) -> Key {
        Key::tenant(tenant, format!("QUOTAS#{project}"))
    }

    /// The defaults for a project that has none set.
    pub fn defaults(project: &ProjectId) -> Self {
        let services = Service::ALL
            .iter()
            .map(|s| (*s, ServiceQuota { enabled: true, monthly_limit: Some(s.default_monthly_limit()) }))
            .collect();
        Self { project_id: project.clone(), services, version: 0, updated_at: None }
    }

    /// The stored quotas (or the defaults) from a read item.
    pub fn from_item(project: &ProjectId, item: Option<&Item>) -> Result<Self, StoreError> {
        let mut quotas = Self::defaults(project);
        if let Some(item) = item {
            let stored: Quotas = item.parse()?;
            quotas.services.extend(stored.services);
            quotas.version = stored.version;
            quotas.updated_at = stored.updated_at;
        }
        Ok(quotas)
    }

    pub fn item(&self, tenant: &TenantId) -> Result<Item, DomainError> {
        Ok(Item::new(Self::key(tenant, &self.project_id), self.version, self)?)
    }

    pub fn of(&self, service: Service) -> ServiceQuota {
        self.services.get(&service).copied().unwrap_or(ServiceQuota { enabled: true, monthly_limit: None })
    }
}

/// Percent of `limit` that `used` is (rounded down); `None` when unlimited.
pub fn percentage(used: u64, limit: Option<u64>) -> Option<f64> {
    let limit = limit?;
    if limit == 0 {
        return Some(if used == 0 { 0.0 } else { 100.0 });
    }
    Some((used as f64 * 10_000.0 / limit as f64).floor() / 100.0)
}

/// The highest warning level `used` has reached.
pub fn level(used: u64, limit: Option<u64>) -> Option<u8> {
    let limit = limit?;
    LEVELS.iter().rev().copied().find(|l| u128::from(used) * 100 >= u128::from(*l) * u128::from(limit))
}

fn warning_key(tenant: &TenantId, project: &ProjectId, service: Service, month: &str, level: u8) -> Key {
    Key::tenant_collection(tenant, &format!("USAGE#{project}"), format!("WARNED#{month}#{}#{level}", service.as_str()))
}

/// Where one service of a project stands this month.
#[derive(Debug, Clone, Copy)]
pub struct Standing<'a> {
    pub org: &'a OrgId,
    pub project: &'a ProjectId,
    pub service: Service,
    pub used: u64,
    pub limit: Option<u64>,
    pub at: DateTime<Utc>,
}

/// The markers of every warning level of one service this month: read
/// them (in any batch) and hand them to [`pending_from`].
pub fn warning_keys(standing: &Standing<'_>) -> Vec<Key> {
    let month = Period::Month.bucket(standing.at);
    LEVELS
        .iter()
        .map(|level| {
            warning_key(&TenantId::acting_for(standing.org), standing.project, standing.service, &month, *level)
        })
        .collect()
}

/// The warnings `used` has reached this month that were not emitted yet:
/// for each, the marker (must not exist) and its event. Commit them with
/// whatever else the caller writes; a failed marker condition means another
/// writer emitted it first.
pub async fn pending_warnings(
    store: &dyn Store,
    standing: &Standing<'_>,
    trace_id: &str,
) -> Result<Vec<(WriteOp, AuditEvent)>, StoreError> {
    if level(standing.used, standing.limit).is_none() {
        return Ok(Vec::new());
    }
    let markers = store.batch_get(&warning_keys(standing)).await?;
    pending_from(standing, trace_id, &markers)
}

/// [`pending_warnings`] from the markers already read ([`warning_keys`]'
/// items, in that order).
pub fn pending_from(
    standing: &Standing<'_>,
    trace_id: &str,
    markers: &[Option<Item>],
) -> Result<Vec<(WriteOp, AuditEvent)>, StoreError> {
    let Standing { org, project, service, used, limit, at } = *standing;
    let Some(reached) = level(used, limit) else { return Ok(Vec::new()) };
    let month = Period::Month.bucket(at);
    let mut pending = Vec::new();
    for ((level, key), found) in LEVELS.into_iter().zip(warning_keys(standing)).zip(markers) {
        if level > reached || found.is_some() {
            continue;
        }
        let marker = Item::new(key, 1, json!({ "at": at }))?;
        let action = if level >= 100 { "quota.exceeded" } else { "quota.warning" };
        let target = Target { kind: "project".into(), id: project.to_string() };
        let metadata = json!({
            "service": service, "period": month, "level": level, "used": used, "monthly_limit": limit,
        });
        let event = AuditEvent::by_system(org, "usage", trace_id, action, target, metadata).for_project(project);
        pending.push((WriteOp::put_if(marker, Condition::NotExists), event));
    }
    Ok(pending)
}

/// Emits the warnings `used` has reached and that were not emitted yet,
/// each in its own transaction (marker + event). Returns the levels emitted.
pub async fn emit_warnings(store: &dyn Store, standing: &Standing<'_>, trace_id: &str) -> Result<Vec<u8>, DomainError> {
    emit(store, pending_warnings(store, standing, trace_id).await?).await
}

/// Commits each pending warning in its own transaction (marker + event);
/// returns the levels emitted (a marker written meanwhile skips its level).
pub async fn emit(store: &dyn Store, pending: Vec<(WriteOp, AuditEvent)>) -> Result<Vec<u8>, DomainError> {
    let mut emitted = Vec::new();
    for (marker, event) in pending {
        let level = event.metadata["level"].as_u64().unwrap_or_default() as u8;
        if emit_once(store, marker, event).await? {
            emitted.push(level);
        }
    }
    Ok(emitted)
}

/// Commits `event` with `marker`, a write whose condition says it was not
/// emitted yet; `false` when another writer emitted it first.
pub async fn emit_once(store: &dyn Store, marker: WriteOp, event: AuditEvent) -> Result<bool, DomainError> {
    match crate::domain::audit::chain::commit(store, vec![marker], vec![event]).await {
        Ok(()) => Ok(true),
        Err(StoreError::ConditionFailed { .. }) => Ok(false),
        Err(e) => Err(e.into()),
    }
}

/// Marks a project as due for a limits check (after usage or quotas
/// changed): the scheduled sweep turns each mark into a
/// `check_usage_limits` job.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CheckMark {
    pub org_id: OrgId,
    pub project_id: ProjectId,
    pub marked_at: DateTime<Utc>,
}

impl CheckMark {
    pub fn key(tenant: &TenantId, project: &ProjectId) -> Key {
        Key::tenant(tenant, format!("USAGECHECK#{project}"))
    }

    pub fn write(org: &OrgId, project: &ProjectId, at: DateTime<Utc>) -> Result<WriteOp, StoreError> {
        let mark = CheckMark { org_id: org.clone(), project_id: project.clone(), marked_at: at };
        let shard = project.as_str().bytes().fold(0u32, |h, b| h.wrapping_mul(31).wrapping_add(u32::from(b)));
        let index = IndexKey {
            pk: Partition::usage_checks(shard % CHECK_SHARDS),
            sk: format!("{:013}#{org}#{project}", at.timestamp_millis().max(0)),
        };
        Ok(WriteOp::put(Item::new(Self::key(&TenantId::acting_for(org), project), 1, &mark)?.with_index(index)))
    }

    /// The marks of one shard, oldest first.
    pub fn query(shard: u32) -> Query {
        Query::new(Partition::usage_checks(shard), SortKey::Any).on_index(Index::Gsi1)
    }

    /// Deletes the mark only if nobody marked the project again since.
    pub fn clear(&self) -> WriteOp {
        WriteOp::delete_if(
            Self::key(&TenantId::acting_for(&self.org_id), &self.project_id),
            Condition::FieldIn { field: "marked_at".into(), values: vec![json!(self.marked_at)] },
        )
    }
}

/// A project's monthly budget.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct Budget {
    pub project_id: ProjectId,
    /// US cents per calendar month; `null`: no budget.
    pub monthly_amount_cents: Option<u64>,
    /// Percent of the budget at which the projection warns, ascending.
    pub alert_thresholds: Vec<u16>,
    /// 0 until a budget is first set.
    pub version: u64,
    pub updated_at: Option<DateTime<Utc>>,
}

impl Budget {
    pub fn key(tenant: &TenantId, project: &ProjectId) -> Key {
        Key::tenant(tenant, format!("BUDGET#{project}"))
    }

    pub fn from_item(project: &ProjectId, item: Option<&Item>) -> Result<Self, StoreError> {
        match item {
            Some(item) => item.parse(),
            None => Ok(Self {
                project_id: project.clone(),
                monthly_amount_cents: None,
                alert_thresholds: vec![50, 80, 100],
                version: 0,
                updated_at: None,
            }),
        }
    }

    pub fn item(&self, tenant: &TenantId) -> Result<Item, DomainError> {
        Ok(Item::new(Self::key(tenant, &self.project_id), self.version, self)?)
    }
}

/// Month-to-date cost and the month's projection.
#[derive(Debug, Clone, PartialEq, Serialize, utoipa::ToSchema)]
pub struct CostEstimate {
    pub project_id: ProjectId,
    /// `YYYY-MM` (UTC).
    pub period: String,
    pub month_to_date_cents: u64,
    /// Month-to-date extrapolated linearly to the month's end.
    pub projected_cents: u64,
    pub services: Vec<ServiceCost>,
    pub budget_cents: Option<u64>,
    /// Budget thresholds the projection passes, e.g. `[50, 80]`.
    pub warnings: Vec<BudgetWarning>,
}

#[derive(Debug, Clone, PartialEq, Serialize, utoipa::ToSchema)]
pub struct ServiceCost {
    pub service: Service,
    pub used: u64,
    pub unit_price_usd: f64,
    pub month_to_date_cents: u64,
    pub projected_cents: u64,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct BudgetWarning {
    /// Percent of the budget.
    pub threshold: u16,
    pub message: String,
}

/// The cost of the month's usage so far and projected to the month's end.
pub fn estimate(
    project: &ProjectId,
    totals: &BTreeMap<Service, u64>,
    budget: &Budget,
    at: DateTime<Utc>,
) -> CostEstimate {
    let start = Utc.with_ymd_and_hms(at.year(), at.month(), 1, 0, 0, 0).single().unwrap_or(at);
    let next = if at.month() == 12 {
        Utc.with_ymd_and_hms(at.year() + 1, 1, 1, 0, 0, 0)
    } else {
        Utc.with_ymd_and_hms(at.year(), at.month() + 1, 1, 0, 0, 0)
    }
    .single()
    .unwrap_or(at);
    let elapsed = (at - start).num_seconds().max(1) as f64;
    let whole = (next - start).num_seconds().max(1) as f64;
    let factor = whole / elapsed;
    let cents = |usd: f64| (usd * 100.0).round().max(0.0) as u64;
    let services: Vec<ServiceCost> = Service::ALL
        .iter()
        .map(|s| {
            let used = totals.get(s).copied().unwrap_or(0);
            let usd = used as f64 * s.unit_price_usd();
            ServiceCost {
                service: *s,
                used,
                unit_price_usd: s.unit_price_usd(),
                month_to_date_cents: cents(usd),
                projected_cents: cents(usd * factor),
            }
        })
        .collect();
    let month_to_date_usd: f64 = services.iter().map(|c| c.used as f64 * c.service.unit_price_usd()).sum();
    let projected_cents = cents(month_to_date_usd * factor);
    let warnings = match budget.monthly_amount_cents {
        Some(amount) => budget
            .alert_thresholds
            .iter()
            .filter(|t| u128::from(projected_cents) * 100 >= u128::from(**t) * u128::from(amount))
            .map(|t| BudgetWarning {
                threshold: *t,
                message: format!("the month's projected cost passes {t}% of the budget"),
            })
            .collect(),
        None => Vec::new(),
    };
    CostEstimate {
        project_id: project.clone(),
        period: Period::Month.bucket(at),
        month_to_date_cents: cents(month_to_date_usd),
        projected_cents,
        services,
        budget_cents: budget.monthly_amount_cents,
        warnings,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn levels_are_reached_at_80_90_and_100_percent() {
        assert_eq!(level(79, Some(100)), None);
        assert_eq!(level(80, Some(100)), Some(80));
        assert_eq!(level(95, Some(100)), Some(90));
        assert_eq!(level(100, Some(100)), Some(100));
        assert_eq!(level(5_000, Some(100)), Some(100));
        assert_eq!(level(u64::MAX, None), None);
        assert_eq!(percentage(1, Some(3)), Some(33.33));
    }

    #[test]
    fn buckets_name_the_hour_day_and_month() {
        let at = Utc.with_ymd_and_hms(2026, 11, 23, 7, 30, 0).unwrap();
        assert_eq!(Period::Hour.bucket(at), "2026-11-23T07");
        assert_eq!(Period::Day.bucket(at), "2026-11-23");
        assert_eq!(Period::Month.bucket(at), "2026-11");
    }

    #[test]
    fn the_projection_extrapolates_the_month_and_warns_past_budget_thresholds() {
        let project = ProjectId::generate();
        // A third of November gone (10 of 30 days).
        let at = Utc.with_ymd_and_hms(2026, 11, 11, 0, 0, 0).unwrap();
        let totals = BTreeMap::from([(Service::ApiRequests, 20_000_000)]); // $10 so far
        let budget = Budget { monthly_amount_cents: Some(4_000), ..Budget::from_item(&project, None).unwrap() };
        let estimate = estimate(&project, &totals, &budget, at);
        assert_eq!((estimate.month_to_date_cents, estimate.projected_cents), (1_000, 3_000));
        let thresholds: Vec<u16> = estimate.warnings.iter().map(|w| w.threshold).collect();
        assert_eq!(thresholds, [50], "$30 of $40 passes 50 %, not 80 %");
    }
}
