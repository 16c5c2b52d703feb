//! `/v1/schedules`: when sources run by themselves. The `scheduler`
//! function starts the runs; here schedules are created, read, toggled and
//! deleted, their cadence checked and their next slot computed.

use axum::extract::{Path, State};
use axum::http::StatusCode;
use controlplane::base::error::DomainError;
use controlplane::base::ids::{ScheduleId, SourceId};
use controlplane::base::rbac::Permission;
use controlplane::domain::Mutation;
use controlplane::domain::apikey::ResourceRef;
use controlplane::domain::audit::AuditEvent;
use controlplane::domain::schedule::{Cadence, CadenceError};
use controlplane::domain::source::Source;
use controlplane::domain::source::schedule::{MAX_PER_SOURCE, Schedule};
use controlplane::edge::auth::Caller;
use controlplane::edge::error::Problem;
use controlplane::edge::http::{ApiJson, ApiQuery, Created, NoBody, OptionalJson, Tagged};
use controlplane::ports::store::{Condition, WriteOp, all_from};
use controlplane::{ApiError, AppState, TenantContext};
use serde::{Deserialize, Serialize};
use serde_json::json;
use utoipa::{IntoParams, ToSchema};

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CreateSchedule {
    pub source_id: SourceId,
    /// Five fields (`minute hour day-of-month month day-of-week`, e.g.
    /// `0 9 * * 1-5`) or `rate(N minutes|hours|days)`.
    pub cron: String,
    /// IANA zone the cron fields are read in; default `UTC`.
    pub timezone: Option<String>,
    /// Default `true`.
    pub enabled: Option<bool>,
}

#[derive(Deserialize, ToSchema, Default)]
#[serde(deny_unknown_fields)]
pub struct Toggle {
    /// The state to set; absent flips it.
    pub enabled: Option<bool>,
}

fn not_found() -> ApiError {
    ApiError::NotFound { resource: "schedule" }
}

/// The cadence `cron` and `timezone` name; a refusal names the field as
/// `{within}cron` or `{within}timezone` (a body's, or `query.`'s).
fn cadence(cron: &str, timezone: &str, within: &str) -> Result<Cadence, ApiError> {
    Cadence::parse(cron, timezone).map_err(|e| match e {
        CadenceError::Cron(why) => ApiError::field(format!("{within}cron"), why),
        CadenceError::Timezone(why) => ApiError::field(format!("{within}timezone"), why),
    })
}

/// How many slots a preview lists at most.
pub const MAX_PREVIEW_RUNS: usize = 20;

#[derive(Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct PreviewSchedule {
    /// A cadence as `POST /v1/schedules` takes it.
    #[param(example = "0 9 * * 1-5")]
    pub cron: String,
    /// IANA zone (default `UTC`).
    #[param(example = "Europe/Berlin")]
    pub timezone: Option<String>,
    /// Slots to list, 1–20 (default 5).
    #[param(minimum = 1, maximum = 20)]
    pub count: Option<usize>,
}

#[derive(Serialize, ToSchema)]
#[schema(example = json!({"cron": "0 9 * * 1-5", "timezone": "Europe/Berlin",
    "next_runs": ["2026-12-07T08:00:00Z", "2026-12-08T08:00:00Z"]}))]
pub struct SchedulePreview {
    pub cron: String,
    pub timezone: String,
    /// The next slots from now, as the scheduler would start them (UTC).
    pub next_runs: Vec<chrono::DateTime<chrono::Utc>>,
}

/// Preview a cadence: its next slots, checked as creating a schedule
/// checks it. Creates nothing.
#[utoipa::path(get, path = "/v1/schedules/preview", operation_id = "schedules.preview", tag = "sources", params(PreviewSchedule),
    security(("bearer" = [])),
    responses(
        (status = 200, body = SchedulePreview),
        (status = 403, body = Problem, content_type = "application/problem+json"),
        (status = 422, body = Problem, content_type = "application/problem+json"),
    ))]
pub async fn preview_schedule(
    State(state): State<AppState>,
    caller: Caller,
    ApiQuery(query): ApiQuery<PreviewSchedule>,
) -> Result<axum::Json<SchedulePreview>, ApiError> {
    caller.tenant(&state, Permission::SourcesRead, |_| vec![]).await?;
    let count = query.count.unwrap_or(5);
    if !(1..=MAX_PREVIEW_RUNS).contains(&count) {
        return Err(ApiError::field("query.count", format!("must be 1 to {MAX_PREVIEW_RUNS}")));
    }
    let timezone = query.timezone.unwrap_or_else(|| "UTC".into());
    let cadence = cadence(&query.cron, &timezone, "query.")?;
    let next_runs = std::iter::successors(cadence.next_after(controlplane::now()), |at| cadence.next_after(*at))
        .take(count)
        .collect();
    Ok(axum::Json(SchedulePreview { cron: query.cron.trim().to_owned(), timezone, next_runs }))
}

/// Schedule a source.
#[utoipa::path(post, path = "/v1/schedules", operation_id = "schedules.create", tag = "sources", request_body = CreateSchedule,
    security(("bearer" = [])),
    responses(
        (status = 201, body = Schedule, headers(("Location" = String), ("ETag" = String))),
        (status = 404, description = "No such source", body = Problem, content_type = "application/problem+json"),
        (status = 409, body = Problem, content_type = "application/problem+json"),
        (status = 422, body = Problem, content_type = "application/problem+json"),
    ))]
pub async fn create_schedule(
    State(state): State<AppState>,
    caller: Caller,
    ApiJson(body): ApiJson<CreateSchedule>,
) -> Result<Created<Schedule>, ApiError> {
    let timezone = body.timezone.unwrap_or_else(|| "UTC".into());
    let cadence = cadence(&body.cron, &timezone, "")?;
    // The org's schedules (a source has at most MAX_PER_SOURCE) are read
    // with the source and the credential check, in one round trip while
    // they fit a page.
    let (ctx, items, query, first) = caller
        .tenant_listing_with(
            &state,
            Permission::SourcesWrite,
            |t| vec![Source::key(t, &body.source_id)],
            |t| Ok(Schedule::query(t)),
        )
        .await?;
    let source: Source = items[0].as_ref().ok_or(ApiError::NotFound { resource: "source" })?.parse()?;
    ctx.require_project(&source.project_id)?;
    ctx.require_resource(&ResourceRef::from(&source.id))?;
    if source.kind().is_pushed() {
        return Err(ApiError::conflict("source_is_pushed", "pushed sources are not run, so not scheduled"));
    }
    let schedules = all_from(state.store.as_ref(), query, first).await?;
    let same_source =
        schedules.iter().filter_map(|i| i.parse::<Schedule>().ok()).filter(|s| s.source_id == source.id).count();
    if same_source >= MAX_PER_SOURCE {
        return Err(ApiError::conflict(
            "too_many_schedules",
            format!("a source has at most {MAX_PER_SOURCE} schedules"),
        ));
    }
    let now = controlplane::now();
    let enabled = body.enabled.unwrap_or(true);
    let schedule = Schedule {
        id: ScheduleId::generate(),
        org_id: ctx.tenant().org().clone(),
        source_id: source.id.clone(),
        project_id: source.project_id.clone(),
        cron: body.cron.trim().to_owned(),
        timezone,
        enabled,
        last_run_at: None,
        next_run_at: if enabled { cadence.next_after(now) } else { None },
        created_by: ctx.principal().id().to_owned(),
        version: 1,
        created_at: now,
        updated_at: now,
    };
    let metadata =
        json!({ "source_id": source.id, "cron": schedule.cron, "timezone": schedule.timezone, "enabled": enabled });
    let event =
        AuditEvent::new(&ctx, "schedule.created", "schedule", &schedule.id, metadata).for_project(&source.project_id);
    Mutation::new(&ctx, Permission::SourcesWrite)
        .op(WriteOp::put_if(schedule.item()?, Condition::NotExists), DomainError::concurrent_modification())
        .op(
            WriteOp::check(Source::key(ctx.tenant(), &source.id), Condition::Exists),
            DomainError::NotFound { resource: "source" },
        )
        .commit(state.store.as_ref(), event)
        .await?;
    Ok(Created { location: format!("/v1/schedules/{}", schedule.id), version: 1, body: schedule })
}

async fn read(
    state: &AppState,
    caller: &Caller,
    raw: &str,
    permission: Permission,
) -> Result<(TenantContext, Schedule), ApiError> {
    let id = ScheduleId::parse(raw).map_err(|_| not_found())?;
    let (ctx, items) = caller.tenant(state, permission, |t| vec![Schedule::key(t, &id)]).await?;
    let schedule: Schedule = items[0].as_ref().ok_or_else(not_found)?.parse()?;
    ctx.require_project(&schedule.project_id)?;
    ctx.require_resource(&ResourceRef::from(&schedule.source_id))?;
    Ok((ctx, schedule))
}

/// Get a schedule: its cadence, `last_run_at` and `next_run_at`.
#[utoipa::path(get, path = "/v1/schedules/{schedule_id}", operation_id = "schedules.get", tag = "sources", params(("schedule_id" = String, Path)),
    security(("bearer" = [])),
    responses((status = 200, body = Schedule, headers(("ETag" = String))), (status = 404, body = Problem, content_type = "application/problem+json")))]
pub async fn get_schedule(
    State(state): State<AppState>,
    caller: Caller,
    Path(raw): Path<String>,
) -> Result<Tagged<Schedule>, ApiError> {
    let (_, schedule) = read(&state, &caller, &raw, Permission::SourcesRead).await?;
    Ok(Tagged { version: schedule.version, body: schedule })
}

/// Turn a schedule on or off (`{"enabled": bool}`; an empty body flips it).
/// On again, it resumes at the next slot after now: missed slots are not run.
#[utoipa::path(put, path = "/v1/schedules/{schedule_id}/toggle", operation_id = "schedules.toggle", tag = "sources", request_body = Toggle,
    params(("schedule_id" = String, Path)),
    security(("bearer" = [])),
    responses((status = 200, body = Schedule), (status = 404, body = Problem, content_type = "application/problem+json")))]
pub async fn toggle_schedule(
    State(state): State<AppState>,
    caller: Caller,
    Path(raw): Path<String>,
    OptionalJson(toggle): OptionalJson<Toggle>,
) -> Result<Tagged<Schedule>, ApiError> {
    let toggle = toggle.unwrap_or_default();
    let (ctx, current) = read(&state, &caller, &raw, Permission::SourcesWrite).await?;
    let enabled = toggle.enabled.unwrap_or(!current.enabled);
    if enabled == current.enabled {
        return Ok(Tagged { version: current.version, body: current });
    }
    let now = controlplane::now();
    let mut next = current.clone();
    next.enabled = enabled;
    next.next_run_at = if enabled { cadence(&current.cron, &current.timezone, "")?.next_after(now) } else { None };
    next.version += 1;
    next.updated_at = now;
    let action = if enabled { "schedule.enabled" } else { "schedule.disabled" };
    let event = AuditEvent::new(&ctx, action, "schedule", &next.id, json!({ "next_run_at": next.next_run_at }))
        .for_project(&next.project_id);
    Mutation::new(&ctx, Permission::SourcesWrite)
        .op(
            WriteOp::put_if(next.item()?, Condition::VersionEquals(current.version)),
            DomainError::concurrent_modification(),
        )
        .commit(state.store.as_ref(), event)
        .await?;
    Ok(Tagged { version: next.version, body: next })
}

/// Delete a schedule.
#[utoipa::path(delete, path = "/v1/schedules/{schedule_id}", operation_id = "schedules.delete", tag = "sources", params(("schedule_id" = String, Path)),
    security(("bearer" = [])),
    responses((status = 204, description = "Deleted"), (status = 404, body = Problem, content_type = "application/problem+json")))]
pub async fn delete_schedule(
    State(state): State<AppState>,
    caller: Caller,
    Path(raw): Path<String>,
    _: NoBody,
) -> Result<StatusCode, ApiError> {
    let (ctx, current) = read(&state, &caller, &raw, Permission::SourcesWrite).await?;
    let metadata = json!({ "source_id": current.source_id, "cron": current.cron });
    let event =
        AuditEvent::new(&ctx, "schedule.deleted", "schedule", &current.id, metadata).for_project(&current.project_id);
    Mutation::new(&ctx, Permission::SourcesWrite)
        .op(
            WriteOp::delete_if(Schedule::key(ctx.tenant(), &current.id), Condition::VersionEquals(current.version)),
            DomainError::concurrent_modification(),
        )
        .commit(state.store.as_ref(), event)
        .await?;
    Ok(StatusCode::NO_CONTENT)
}
