//! PlanEstimate cost estimates: a workflow's cost before it runs, against the
//! project's budget, and its actuals afterwards, which calibrate the next
//! estimates (docs/governance.md#plan-cost-estimates).

use std::collections::BTreeMap;

use axum::extract::{Path, State};
use controlplane::api::usage::for_project;
use controlplane::base::error::DomainError;
use controlplane::base::ids::{PlanId, ProjectId};
use controlplane::base::rbac::Permission;
use controlplane::domain::Mutation;
use controlplane::domain::audit::AuditEvent;
use controlplane::domain::plan::{
    self, Calibration, MAX_STEPS, Model, PlanEstimate, PlanStep, ReportedStep, Tokenizer, ToolPrices,
};
use controlplane::domain::usage::{self, Budget, Period};
use controlplane::edge::auth::Caller;
use controlplane::edge::error::Problem;
use controlplane::edge::http::{ApiJson, Created};
use controlplane::ports::store::{Condition, WriteOp};
use controlplane::{ApiError, AppState, TenantContext};
use serde::{Deserialize, Serialize};
use serde_json::json;
use utoipa::ToSchema;

/// The longest plan name.
pub const MAX_NAME_CHARS: usize = 100;

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct EstimatePlan {
    pub project_id: ProjectId,
    /// What the plan is, for the people reading it later.
    #[schema(max_length = 100)]
    pub name: Option<String>,
    /// Model calls and tool calls, in order.
    #[schema(min_items = 1, max_items = 100)]
    pub steps: Vec<PlanStep>,
}

/// Estimate a plan's cost: each step's tokens and cost at list prices
/// times the project's calibration, the total with a 90 % interval, and how
/// it fits the project's budget this month. The estimate is kept (its
/// `Location`) for the run's actuals. Each budget threshold the month would
/// pass is published once a month as `budget.threshold_crossed`.
#[utoipa::path(post, path = "/v1/plans/estimate", operation_id = "plans.estimate", tag = "usage", request_body = EstimatePlan,
    security(("bearer" = [])),
    responses(
        (status = 201, body = PlanEstimate, headers(("Location" = String), ("ETag" = String))),
        (status = 404, body = Problem, content_type = "application/problem+json"),
        (status = 422, body = Problem, content_type = "application/problem+json"),
    ))]
pub async fn estimate_plan(
    State(state): State<AppState>,
    caller: Caller,
    ApiJson(body): ApiJson<EstimatePlan>,
) -> Result<Created<PlanEstimate>, ApiError> {
    let mut models: Vec<Model> = body
        .steps
        .iter()
        .filter_map(|s| match s {
            PlanStep::Model(m) => Some(m.model),
            PlanStep::Tool(_) => None,
        })
        .collect();
    models.sort();
    models.dedup();
    let project = body.project_id;
    let now = controlplane::now();
    // The budget, the month's usage and each model's calibration: one batch.
    let (ctx, _, items) = for_project(&state, &caller, Permission::UsageRead, &project, |t| {
        let calibrations = models.iter().map(|m| Calibration::key(t, &project, *m));
        let fixed = [Budget::key(t, &project), ToolPrices::key(t)];
        [fixed.to_vec(), usage::month_keys(t, &project, now), calibrations.collect()].concat()
    })
    .await?;
    let name = body.name.map(|n| n.trim().to_owned()).filter(|n| !n.is_empty());
    if name.as_ref().is_some_and(|n| n.chars().count() > MAX_NAME_CHARS) {
        return Err(ApiError::field("name", format!("at most {MAX_NAME_CHARS} characters")));
    }
    plan::check(&body.steps)?;
    let budget = Budget::from_item(&project, items[0].as_ref())?;
    let (tools, _) = ToolPrices::from_item(items[1].as_ref())?;
    let months = items.len() - models.len();
    let month_to_date =
        usage::estimate(&project, &usage::totals_from(&items[2..months]), &budget, now).month_to_date_cents;
    let calibrations = models
        .iter()
        .zip(&items[months..])
        .map(|(model, item)| Ok((*model, Calibration::from_item(&project, *model, item.as_ref())?)))
        .collect::<Result<BTreeMap<Model, Calibration>, DomainError>>()?;
    let estimated = plan::estimate(&body.steps, &calibrations, &tools);
    let fit = plan::fit(
        Period::Month.bucket(now),
        budget.monthly_amount_cents,
        &budget.alert_thresholds,
        month_to_date,
        estimated.cost_usd,
        estimated.high_usd,
    );
    let plan = PlanEstimate {
        id: PlanId::generate(),
        org_id: ctx.tenant().org().clone(),
        project_id: project.clone(),
        name,
        steps: estimated.steps,
        cost_usd: estimated.cost_usd,
        low_usd: estimated.low_usd,
        high_usd: estimated.high_usd,
        confidence: plan::CONFIDENCE,
        calibration: calibrations.values().map(Calibration::view).collect(),
        budget: fit,
        actuals: None,
        created_by: ctx.principal().id().to_owned(),
        created_at: now,
        version: 1,
    };
    let metadata = json!({
        "name": plan.name, "steps": plan.steps.len(), "cost_usd": plan.cost_usd, "fits": plan.budget.fits,
    });
    let event = AuditEvent::new(&ctx, "plan.estimated", "plan", &plan.id, metadata).for_project(&project);
    Mutation::new(&ctx, Permission::UsageRead)
        .op(WriteOp::put_if(plan.item()?, Condition::NotExists), DomainError::concurrent_modification())
        .commit(state.store.as_ref(), event)
        .await?;
    plan::emit_thresholds(state.store.as_ref(), &ctx, &plan).await?;
    Ok(Created { location: format!("/v1/plans/{}", plan.id), version: plan.version, body: plan })
}

/// The plan `raw` names, if the caller may see it (404 otherwise, as for
/// another tenant's).
async fn plan_of(
    state: &AppState,
    caller: Caller,
    raw: &str,
    permission: Permission,
) -> Result<(TenantContext, PlanEstimate), ApiError> {
    let not_found = || ApiError::NotFound { resource: "plan" };
    let id = PlanId::parse(raw).map_err(|_| not_found())?;
    let (ctx, items) = caller.tenant(state, permission, |t| vec![PlanEstimate::key(t, &id)]).await?;
    let plan: PlanEstimate = items[0].as_ref().ok_or_else(not_found)?.parse()?;
    if ctx.project_scope().is_some_and(|p| *p != plan.project_id) {
        return Err(not_found());
    }
    Ok((ctx, plan))
}

/// A plan's estimate and, once recorded, its actuals.
#[utoipa::path(get, path = "/v1/plans/{plan_id}", operation_id = "plans.get", tag = "usage",
    params(("plan_id" = String, Path)),
    security(("bearer" = [])),
    responses(
        (status = 200, body = PlanEstimate),
        (status = 404, body = Problem, content_type = "application/problem+json"),
    ))]
pub async fn get_plan(
    State(state): State<AppState>,
    caller: Caller,
    Path(raw): Path<String>,
) -> Result<axum::Json<PlanEstimate>, ApiError> {
    Ok(axum::Json(plan_of(&state, caller, &raw, Permission::UsageRead).await?.1))
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct RecordActuals {
    /// One entry per planned step, in order: a model step's actual tokens
    /// per call, and the calls made (the planned number when absent).
    #[schema(min_items = 1, max_items = 100)]
    pub steps: Vec<ReportedStep>,
}

/// Record what a run of the plan really took (once; developers and
/// secret keys). Its cost at list prices is compared with the estimate,
/// and each model's calibration of the project moves: the next estimates
/// report the new multiplier and mean absolute percentage error.
#[utoipa::path(post, path = "/v1/plans/{plan_id}/actuals", operation_id = "plans.recordActuals", tag = "usage",
    request_body = RecordActuals,
    params(("plan_id" = String, Path)),
    security(("bearer" = [])),
    responses(
        (status = 200, body = PlanEstimate),
        (status = 403, body = Problem, content_type = "application/problem+json"),
        (status = 404, body = Problem, content_type = "application/problem+json"),
        (status = 409, body = Problem, content_type = "application/problem+json"),
        (status = 422, body = Problem, content_type = "application/problem+json"),
    ))]
pub async fn record_actuals(
    State(state): State<AppState>,
    caller: Caller,
    Path(raw): Path<String>,
    ApiJson(body): ApiJson<RecordActuals>,
) -> Result<axum::Json<PlanEstimate>, ApiError> {
    let (ctx, current) = plan_of(&state, caller, &raw, Permission::ProjectsWrite).await?;
    if body.steps.len() > MAX_STEPS {
        return Err(ApiError::field("steps", format!("at most {MAX_STEPS} entries")));
    }
    if current.actuals.is_some() {
        return Err(ApiError::conflict(
            "actuals_already_recorded",
            "this plan's actuals are recorded; estimate the next run anew",
        ));
    }
    let (steps, cost_usd) = plan::actuals(&current, &body.steps)?;
    let models = current.models();
    let keys: Vec<_> = models.iter().map(|m| Calibration::key(ctx.tenant(), &current.project_id, *m)).collect();
    let found = state.store.batch_get(&keys).await?;
    let now = controlplane::now();
    let mut next = current.clone();
    next.version += 1;
    next.actuals = Some(plan::Actuals {
        error_percent: plan::error_percent(current.cost_usd, cost_usd),
        steps: steps.clone(),
        cost_usd,
        recorded_by: ctx.principal().id().to_owned(),
        recorded_at: now,
    });
    let metadata = json!({
        "estimated_usd": current.cost_usd,
        "cost_usd": cost_usd,
        "error_percent": next.actuals.as_ref().and_then(|a| a.error_percent),
    });
    let event =
        AuditEvent::new(&ctx, "plan.actuals_recorded", "plan", &current.id, metadata).for_project(&current.project_id);
    let recorded = DomainError::conflict("actuals_already_recorded", "this plan's actuals were recorded meanwhile");
    let mut mutation = Mutation::new(&ctx, Permission::ProjectsWrite)
        .op(WriteOp::put_if(next.item()?, Condition::unchanged_since(current.version)), recorded);
    let sums = plan::by_model(&current, &steps);
    for (model, item) in models.iter().zip(&found) {
        let calibration = Calibration::from_item(&current.project_id, *model, item.as_ref())?;
        let (list, issued, actual) = sums.get(model).copied().unwrap_or_default();
        let updated = calibration.recorded(list, issued, actual);
        let condition = Condition::unchanged_since(calibration.version);
        mutation = mutation
            .op(WriteOp::put_if(updated.item(ctx.tenant())?, condition), DomainError::concurrent_modification());
    }
    mutation.commit(state.store.as_ref(), event).await?;
    Ok(axum::Json(next))
}

/// One model of the price table.
#[derive(Serialize, ToSchema)]
pub struct ModelPrice {
    pub model: Model,
    /// US dollars per million prompt tokens.
    pub input_per_million_usd: f64,
    /// US dollars per million response tokens.
    pub output_per_million_usd: f64,
    /// `o200k_base` or `cl100k_base` (counted), or `approximated`: the
    /// `o200k_base` count times `token_factor`.
    pub tokenizer: &'static str,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub token_factor: Option<f64>,
}

#[derive(Serialize, ToSchema)]
pub struct PriceTable {
    pub models: Vec<ModelPrice>,
    /// The MCP gateway's fee per tool call, in US dollars; a step's own
    /// `unit_price_usd` adds to it.
    pub tool_call_fee_usd: f64,
}

/// The price table estimates use.
#[utoipa::path(get, path = "/v1/plans/prices", operation_id = "plans.prices", tag = "usage",
    security(("bearer" = [])),
    responses((status = 200, body = PriceTable,
        example = json!({
            "models": [{"model": "gpt-4o", "input_per_million_usd": 2.5, "output_per_million_usd": 10.0, "tokenizer": "o200k_base"}],
            "tool_call_fee_usd": 0.0001,
        }))))]
pub async fn prices(State(state): State<AppState>, caller: Caller) -> Result<axum::Json<PriceTable>, ApiError> {
    caller.tenant(&state, Permission::UsageRead, |_| vec![]).await?;
    let models = Model::ALL
        .iter()
        .map(|m| {
            let price = m.price();
            let (tokenizer, token_factor) = match price.tokenizer {
                Tokenizer::O200k => ("o200k_base", None),
                Tokenizer::Cl100k => ("cl100k_base", None),
                Tokenizer::Approximated { factor } => ("approximated", Some(factor)),
            };
            ModelPrice {
                model: *m,
                input_per_million_usd: price.input_per_million,
                output_per_million_usd: price.output_per_million,
                tokenizer,
                token_factor,
            }
        })
        .collect();
    Ok(axum::Json(PriceTable { models, tool_call_fee_usd: plan::gateway_fee_usd() }))
}
