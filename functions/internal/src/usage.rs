use axum::Extension;
use axum::extract::State;
use controlplane::domain::project::{Project, ProjectLookup};
use controlplane::domain::usage::{self, CheckMark, Period, Quotas, Service, Standing};
use controlplane::error::Problem;
use controlplane::http::{ApiJson, RequestMeta};
use controlplane::ids::ProjectId;
use controlplane::{ApiError, AppState};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

/// The most one report may add.
pub const MAX_AMOUNT: u64 = 1_000_000_000_000_000;

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
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
    /// The month's total after this report.
    pub used: u64,
    pub monthly_limit: Option<u64>,
    /// Warning levels this report crossed and emitted (80, 90, 100).
    pub warnings_emitted: Vec<u8>,
}

/// The data plane reports usage: added to the project's hour, day and month
/// counters (atomic increments). Crossing 80, 90 or 100 % of the monthly
/// quota emits `quota.warning` / `quota.exceeded` once per month.
/// At least once: a report retried after a lost answer counts twice, so the
/// data plane should send accumulated amounts, not one call per unit.
#[utoipa::path(post, path = "/internal/usage", tag = "internal", request_body = UsageReport,
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
    let org = &ProjectLookup::org_of(store, &report.project_id).await?;
    let project = &report.project_id;
    let items = store.batch_get(&[Project::key(org, project), Quotas::key(org, project)]).await?;
    let found: Project = items[0].as_ref().ok_or_else(not_found)?.parse()?;
    if found.is_deleted() {
        return Err(not_found());
    }
    let limit = Quotas::from_item(project, items[1].as_ref())?.of(report.service).monthly_limit;
    let now = controlplane::now();
    let used = usage::record(store, org, project, report.service, report.amount, now).await?;
    store.transact(vec![CheckMark::write(org, project, now)?]).await?;
    let standing = Standing { org, project, service: report.service, used, limit, at: now };
    let warnings_emitted = usage::emit_warnings(store, &standing, &meta.request_id).await?;
    Ok(axum::Json(Recorded {
        project_id: project.clone(),
        service: report.service,
        period: Period::Month.bucket(now),
        used,
        monthly_limit: limit,
        warnings_emitted,
    }))
}
