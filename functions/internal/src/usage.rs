use axum::Extension;
use axum::extract::State;
use controlplane::base::ids::ProjectId;
use controlplane::base::request::RequestMeta;
use controlplane::domain::project::{Project, ProjectLookup};
use controlplane::domain::usage::{self, CheckMark, Period, Quotas, Service, Standing};
use controlplane::edge::error::Problem;
use controlplane::edge::http::ApiJson;
use controlplane::{ApiError, AppState};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

/// The most one report may add.
pub const MAX_AMOUNT: u64 = 1_000_000_000_000_000;

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"project_id": "prj_01jh3v5d2k8q9w6x7y8z9a0b1c", "service": "api_requests", "amount": 120}))]
pub struct UsageReport {
    pub project_id: ProjectId,
    pub service: Service,
    /// Units used since the last report (1 or more).
    pub amount: u64,
}

#[derive(Serialize, ToSchema)]
pub struct Recorded {
    pub project_id: ProjectId,
    pub service: Service,
    /// `YYYY-MM`.
    pub period: String,
    /// The month's total after this report (reports committed concurrently
    /// may add to it).
    pub used: u64,
    pub monthly_limit: Option<u64>,
    /// Warning levels this report crossed and emitted (80, 90, 100).
    pub warnings_emitted: Vec<u8>,
}

/// The data plane reports usage: added to the project's hour, day and month
/// counters (atomic increments, in one transaction with the mark that
/// schedules a limits check). Crossing 80, 90 or 100 % of the monthly
/// quota emits `quota.warning` / `quota.exceeded` once per month: here when
/// this report's total (the month's count read before it plus `amount`)
/// crosses, otherwise by the limits check, which counts reports that
/// committed concurrently.
/// At least once: a report retried after a lost answer counts twice, so the
/// data plane should send accumulated amounts, not one call per unit.
#[utoipa::path(post, path = "/internal/usage", operation_id = "internal.usage.report", tag = "internal", request_body = UsageReport,
    responses(
        (status = 200, body = Recorded),
        (status = 404, body = Problem, content_type = "application/problem+json"),
        (status = 422, body = Problem, content_type = "application/problem+json"),
    ))]
pub async fn report_usage(
    State(state): State<AppState>,
    Extension(meta): Extension<RequestMeta>,
    ApiJson(report): ApiJson<UsageReport>,
) -> Result<axum::Json<Recorded>, ApiError> {
    if !(1..=MAX_AMOUNT).contains(&report.amount) {
        return Err(ApiError::field("amount", format!("must be 1 to {MAX_AMOUNT}")));
    }
    let not_found = || ApiError::NotFound { resource: "project" };
    let store = state.store.as_ref();
    let tenant = &ProjectLookup::tenant_of(store, &report.project_id).await?;
    let project = &report.project_id;
    let now = controlplane::now();
    // One read (the project, its quotas, the month's count and the warning
    // markers), then one transaction (the counters and the limits mark).
    let standing = |used, limit| Standing { org: tenant.org(), project, service: report.service, used, limit, at: now };
    let mut keys = vec![
        Project::key(tenant, project),
        Quotas::key(tenant, project),
        usage::month_key(tenant, project, report.service, now),
    ];
    keys.extend(usage::warning_keys(&standing(0, None)));
    let items = store.batch_get(&keys).await?;
    let found: Project = items[0].as_ref().ok_or_else(not_found)?.parse()?;
    if found.is_deleted() {
        return Err(not_found());
    }
    let limit = Quotas::from_item(project, items[1].as_ref())?.of(report.service).monthly_limit;
    let before = items[2].as_ref().map_or(0, |counter| counter.version);
    let mut writes = usage::add_ops(tenant, project, report.service, report.amount, now);
    writes.push(CheckMark::write(tenant.org(), project, now)?);
    store.transact(writes).await?;
    // Reports committed meanwhile are not in `used`; the limits check the
    // mark schedules counts them and emits what this report missed.
    let used = before.saturating_add(report.amount);
    let standing = standing(used, limit);
    let pending = usage::pending_from(&standing, &meta.request_id, &items[3..])?;
    let warnings_emitted = usage::emit(store, pending).await?;
    Ok(axum::Json(Recorded {
        project_id: project.clone(),
        service: report.service,
        period: Period::Month.bucket(now),
        used,
        monthly_limit: limit,
        warnings_emitted,
    }))
}
