use std::collections::{BTreeMap, BTreeSet};

use axum::extract::{Path, State};
use controlplane::api::usage::{for_project, project_id};
use controlplane::base::error::DomainError;
use controlplane::base::ids::ProjectId;
use controlplane::base::rbac::Permission;
use controlplane::domain::Mutation;
use controlplane::domain::audit::{AuditEvent, diff};
use controlplane::domain::usage::{
    self, Budget, CheckMark, CostEstimate, Period, Quotas, Service, ServiceQuota, Standing,
};
use controlplane::edge::auth::Caller;
use controlplane::edge::error::Problem;
use controlplane::edge::http::{ApiJson, IfMatch, Tagged};
use controlplane::ports::store::{Condition, WriteOp};
use controlplane::{ApiError, AppState};
use serde::{Deserialize, Serialize};
use serde_json::json;
use utoipa::ToSchema;

/// The most a single check or report may name.
pub const MAX_AMOUNT: u64 = 1_000_000_000_000_000;
/// A monthly limit above this is refused (use `null` for unlimited).
pub const MAX_LIMIT: u64 = 1_000_000_000_000_000_000;

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CheckUsage {
    pub project_id: ProjectId,
    pub service: Service,
    /// The units about to be used (0 asks for the standing only).
    #[schema(maximum = 1_000_000_000_000_000_u64)]
    pub amount: u64,
}

#[derive(Serialize, ToSchema)]
pub struct UsageCheck {
    pub project_id: ProjectId,
    pub service: Service,
    /// `YYYY-MM`: quotas are per calendar month (UTC).
    pub period: String,
    /// Whether `amount` more fits the quota (and the service is enabled).
    pub allowed: bool,
    pub enabled: bool,
    pub used: u64,
    pub monthly_limit: Option<u64>,
    /// Units left before `amount`; `null` when unlimited.
    pub remaining: Option<u64>,
    /// Of the limit used so far (two decimals); `null` when unlimited.
    pub percentage: Option<f64>,
    /// 80, 90 or 100 once usage reached that share of the limit.
    pub warning_level: Option<u8>,
}

/// Whether a project may use `amount` more units of a service this month.
/// Reaching 80, 90 and 100 % also emits `quota.warning` / `quota.exceeded`
/// events, each level once per month.
#[utoipa::path(post, path = "/v1/usage/check", operation_id = "usage.check", tag = "usage", request_body = CheckUsage,
    security(("bearer" = [])),
    responses(
        (status = 200, body = UsageCheck),
        (status = 404, body = Problem, content_type = "application/problem+json"),
        (status = 422, body = Problem, content_type = "application/problem+json"),
    ))]
pub async fn check_usage(
    State(state): State<AppState>,
    caller: Caller,
    ApiJson(body): ApiJson<CheckUsage>,
) -> Result<axum::Json<UsageCheck>, ApiError> {
    if body.amount > MAX_AMOUNT {
        return Err(ApiError::field("amount", format!("must be at most {MAX_AMOUNT}")));
    }
    let project = body.project_id;
    let now = controlplane::now();
    // The quotas and the month's counters come in the request's one batch.
    let (ctx, _, items) = for_project(&state, &caller, Permission::UsageRead, &project, |t| {
        [vec![Quotas::key(t, &project)], usage::month_keys(t, &project, now)].concat()
    })
    .await?;
    let quota = Quotas::from_item(&project, items[0].as_ref())?.of(body.service);
    let used = usage::totals_from(&items[1..])[&body.service];
    let limit = quota.monthly_limit;
    let standing = Standing { org: ctx.tenant().org(), project: &project, service: body.service, used, limit, at: now };
    usage::emit_warnings(state.store.as_ref(), &standing, &ctx.meta().request_id).await?;
    let fits = limit.is_none_or(|l| used.saturating_add(body.amount) <= l);
    Ok(axum::Json(UsageCheck {
        project_id: project,
        service: body.service,
        period: Period::Month.bucket(now),
        allowed: quota.enabled && fits,
        enabled: quota.enabled,
        used,
        monthly_limit: limit,
        remaining: limit.map(|l| l.saturating_sub(used)),
        percentage: usage::percentage(used, limit),
        warning_level: usage::level(used, limit),
    }))
}

/// Cost so far this month and projected to its end, from the price table.
#[utoipa::path(get, path = "/v1/usage/{project_id}/cost-estimate", operation_id = "usage.costEstimate", tag = "usage", params(("project_id" = String, Path)),
    security(("bearer" = [])),
    responses(
        (status = 200, body = CostEstimate),
        (status = 404, body = Problem, content_type = "application/problem+json"),
    ))]
pub async fn cost_estimate(
    State(state): State<AppState>,
    caller: Caller,
    Path(raw): Path<String>,
) -> Result<axum::Json<CostEstimate>, ApiError> {
    let project = project_id(&raw)?;
    let now = controlplane::now();
    let (_, _, items) = for_project(&state, &caller, Permission::UsageRead, &project, |t| {
        [vec![Budget::key(t, &project)], usage::month_keys(t, &project, now)].concat()
    })
    .await?;
    let budget = Budget::from_item(&project, items[0].as_ref())?;
    let totals = usage::totals_from(&items[1..]);
    Ok(axum::Json(usage::estimate(&project, &totals, &budget, now)))
}

/// A project's quotas: every service, the defaults where none was set.
#[utoipa::path(get, path = "/v1/quotas/{project_id}", operation_id = "quotas.get", tag = "usage", params(("project_id" = String, Path)),
    security(("bearer" = [])),
    responses(
        (status = 200, body = Quotas, headers(("ETag" = String))),
        (status = 404, body = Problem, content_type = "application/problem+json"),
    ))]
pub async fn get_quotas(
    State(state): State<AppState>,
    caller: Caller,
    Path(raw): Path<String>,
) -> Result<Tagged<Quotas>, ApiError> {
    let project = project_id(&raw)?;
    let (_, _, items) =
        for_project(&state, &caller, Permission::UsageRead, &project, |t| vec![Quotas::key(t, &project)]).await?;
    let quotas = Quotas::from_item(&project, items[0].as_ref())?;
    Ok(Tagged { version: quotas.version, body: quotas })
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct SetQuotas {
    /// The services to change; others keep their quota.
    pub services: BTreeMap<Service, ServiceQuota>,
}

/// Set quotas (admins). Honours `If-Match`.
#[utoipa::path(put, path = "/v1/quotas/{project_id}", operation_id = "quotas.set", tag = "usage", request_body = SetQuotas,
    params(("project_id" = String, Path), ("If-Match" = Option<String>, Header)),
    security(("bearer" = [])),
    responses(
        (status = 200, body = Quotas, headers(("ETag" = String))),
        (status = 403, body = Problem, content_type = "application/problem+json"),
        (status = 404, body = Problem, content_type = "application/problem+json"),
        (status = 412, body = Problem, content_type = "application/problem+json"),
        (status = 422, body = Problem, content_type = "application/problem+json"),
    ))]
pub async fn put_quotas(
    State(state): State<AppState>,
    caller: Caller,
    Path(raw): Path<String>,
    if_match: IfMatch,
    ApiJson(body): ApiJson<SetQuotas>,
) -> Result<Tagged<Quotas>, ApiError> {
    if let Some((service, _)) = body.services.iter().find(|(_, q)| q.monthly_limit.is_some_and(|l| l > MAX_LIMIT)) {
        return Err(ApiError::field(
            format!("services.{}.monthly_limit", service.as_str()),
            format!("must be at most {MAX_LIMIT} (null: unlimited)"),
        ));
    }
    let project = project_id(&raw)?;
    let (ctx, _, items) =
        for_project(&state, &caller, Permission::QuotasWrite, &project, |t| vec![Quotas::key(t, &project)]).await?;
    let current = Quotas::from_item(&project, items[0].as_ref())?;
    if_match.check(current.version)?;
    let mut next = current.clone();
    next.services.extend(body.services);
    if next.services == current.services {
        return Ok(Tagged { version: current.version, body: current });
    }
    let now = controlplane::now();
    next.version += 1;
    next.updated_at = Some(now);
    let changes: Vec<(&str, serde_json::Value, serde_json::Value)> =
        Service::ALL.iter().map(|s| (s.as_str(), json!(current.of(*s)), json!(next.of(*s)))).collect();
    let event = AuditEvent::new(&ctx, "quota.updated", "project", &project, diff(&changes)).for_project(&project);
    let condition = Condition::unchanged_since(current.version);
    Mutation::new(&ctx, Permission::QuotasWrite)
        .op(WriteOp::put_if(next.item(ctx.tenant())?, condition), if_match.lost_race())
        .op(CheckMark::write(ctx.tenant().org(), &project, now)?, DomainError::concurrent_modification())
        .commit(state.store.as_ref(), event)
        .await?;
    state.snapshots.invalidate(&project);
    Ok(Tagged { version: next.version, body: next })
}

/// A project's monthly budget.
#[utoipa::path(get, path = "/v1/budgets/{project_id}", operation_id = "budgets.get", tag = "usage", params(("project_id" = String, Path)),
    security(("bearer" = [])),
    responses(
        (status = 200, body = Budget, headers(("ETag" = String))),
        (status = 404, body = Problem, content_type = "application/problem+json"),
    ))]
pub async fn get_budget(
    State(state): State<AppState>,
    caller: Caller,
    Path(raw): Path<String>,
) -> Result<Tagged<Budget>, ApiError> {
    let project = project_id(&raw)?;
    let (_, _, items) =
        for_project(&state, &caller, Permission::UsageRead, &project, |t| vec![Budget::key(t, &project)]).await?;
    let budget = Budget::from_item(&project, items[0].as_ref())?;
    Ok(Tagged { version: budget.version, body: budget })
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct SetBudget {
    /// US cents per calendar month; `null` removes the budget; absent keeps it.
    #[serde(default, deserialize_with = "controlplane::edge::http::extract::present")]
    #[schema(value_type = Option<u64>, maximum = 1_000_000_000_000_000_u64)]
    pub monthly_amount_cents: Option<Option<u64>>,
    /// Percent of the budget (1–1000, at most 10) at which the projection
    /// warns; default `[50, 80, 100]`.
    #[schema(schema_with = thresholds)]
    pub alert_thresholds: Option<BTreeSet<u16>>,
}

fn thresholds() -> utoipa::openapi::schema::Array {
    use utoipa::openapi::schema::{ArrayBuilder, ObjectBuilder, Type};
    let percent = ObjectBuilder::new().schema_type(Type::Integer).minimum(Some(1)).maximum(Some(1000));
    ArrayBuilder::new().items(percent).max_items(Some(10)).build()
}

/// Set a project's monthly budget (admins): the fields given. Honours `If-Match`.
#[utoipa::path(put, path = "/v1/budgets/{project_id}", operation_id = "budgets.set", tag = "usage", request_body = SetBudget,
    params(("project_id" = String, Path), ("If-Match" = Option<String>, Header)),
    security(("bearer" = [])),
    responses(
        (status = 200, body = Budget, headers(("ETag" = String))),
        (status = 403, body = Problem, content_type = "application/problem+json"),
        (status = 404, body = Problem, content_type = "application/problem+json"),
        (status = 412, body = Problem, content_type = "application/problem+json"),
        (status = 422, body = Problem, content_type = "application/problem+json"),
    ))]
pub async fn put_budget(
    State(state): State<AppState>,
    caller: Caller,
    Path(raw): Path<String>,
    if_match: IfMatch,
    ApiJson(body): ApiJson<SetBudget>,
) -> Result<Tagged<Budget>, ApiError> {
    if let Some(thresholds) = &body.alert_thresholds {
        if thresholds.len() > 10 {
            return Err(ApiError::field("alert_thresholds", "at most 10 thresholds"));
        }
        if thresholds.iter().any(|t| !(1..=1000).contains(t)) {
            return Err(ApiError::field("alert_thresholds", "each threshold is a percentage from 1 to 1000"));
        }
    }
    if body.monthly_amount_cents.flatten().is_some_and(|a| a > MAX_AMOUNT) {
        return Err(ApiError::field("monthly_amount_cents", format!("must be at most {MAX_AMOUNT}")));
    }
    let project = project_id(&raw)?;
    let (ctx, _, items) =
        for_project(&state, &caller, Permission::QuotasWrite, &project, |t| vec![Budget::key(t, &project)]).await?;
    let current = Budget::from_item(&project, items[0].as_ref())?;
    if_match.check(current.version)?;
    let mut next = current.clone();
    if let Some(amount) = body.monthly_amount_cents {
        next.monthly_amount_cents = amount;
    }
    if let Some(thresholds) = body.alert_thresholds {
        next.alert_thresholds = thresholds.into_iter().collect();
    }
    next.version += 1;
    next.updated_at = Some(controlplane::now());
    let changes = diff(&[
        ("monthly_amount_cents", json!(current.monthly_amount_cents), json!(next.monthly_amount_cents)),
        ("alert_thresholds", json!(current.alert_thresholds), json!(next.alert_thresholds)),
    ]);
    let event = AuditEvent::new(&ctx, "budget.updated", "project", &project, changes).for_project(&project);
    let condition = Condition::unchanged_since(current.version);
    Mutation::new(&ctx, Permission::QuotasWrite)
        .op(WriteOp::put_if(next.item(ctx.tenant())?, condition), if_match.lost_race())
        .commit(state.store.as_ref(), event)
        .await?;
    Ok(Tagged { version: next.version, body: next })
}
