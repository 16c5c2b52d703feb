use axum::extract::{Path, State};
use controlplane::base::error::FieldError;
use controlplane::base::rbac::Permission;
use controlplane::domain::Mutation;
use controlplane::domain::audit::{AuditEvent, diff};
use controlplane::domain::org::Org;
use controlplane::domain::ratelimit::{ClassLimit, MAX_OVERRIDE_FACTOR, OrgLimits, Plan, Policy};
use controlplane::edge::auth::Caller;
use controlplane::edge::error::Problem;
use controlplane::edge::http::{ApiJson, IfMatch, Tagged};
use controlplane::ports::store::{Condition, Item, WriteOp};
use controlplane::{ApiError, AppState};
use serde::{Deserialize, Deserializer, Serialize};
use serde_json::json;
use utoipa::ToSchema;

use crate::orgs::org_id;

/// One limit as it applies now, beside the plan's default and maximum.
#[derive(Serialize, ToSchema)]
pub struct LimitView {
    /// Requests per minute.
    #[schema(example = 600)]
    pub per_minute: u64,
    /// Requests allowed within any one second (`null`: no cap below the
    /// minute's quota).
    pub burst: Option<u64>,
    /// The plan's default per minute.
    #[schema(example = 1200)]
    pub default_per_minute: u64,
    /// The most an owner may set per minute (the default times 5).
    #[schema(example = 6000)]
    pub maximum_per_minute: u64,
    /// Whether the org set this limit (else it is the plan's default).
    pub overridden: bool,
}

#[derive(Serialize, ToSchema)]
pub struct LimitsView {
    pub plan: Plan,
    /// Every request in the org.
    pub org: LimitView,
    /// Each caller's reads (GET).
    pub read: LimitView,
    /// Each caller's writes (every other method).
    pub write: LimitView,
    /// 0 until the org first sets a limit.
    pub version: u64,
    pub updated_at: Option<chrono::DateTime<chrono::Utc>>,
}

/// The limits to set: each field given replaces that limit, `null` returns
/// it to the plan's default; fields left out keep theirs.
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct EditLimits {
    #[serde(default, deserialize_with = "given")]
    #[schema(nullable)]
    pub org: Option<Option<ClassLimit>>,
    #[serde(default, deserialize_with = "given")]
    #[schema(nullable)]
    pub read: Option<Option<ClassLimit>>,
    #[serde(default, deserialize_with = "given")]
    #[schema(nullable)]
    pub write: Option<Option<ClassLimit>>,
}

/// A field present (`null` included): `Some`; absent: `None` (the default).
fn given<'de, D: Deserializer<'de>>(d: D) -> Result<Option<Option<ClassLimit>>, D::Error> {
    Option::<ClassLimit>::deserialize(d).map(Some)
}

fn limit_view(own: Option<ClassLimit>, default: Policy) -> LimitView {
    let default_per_minute = default.quota.saturating_mul(60) / default.window.max(1);
    LimitView {
        per_minute: own.map_or(default_per_minute, |l| l.per_minute),
        burst: own.and_then(|l| l.burst),
        default_per_minute,
        maximum_per_minute: default_per_minute.saturating_mul(MAX_OVERRIDE_FACTOR),
        overridden: own.is_some(),
    }
}

fn view(state: &AppState, plan: Plan, own: &OrgLimits, version: u64) -> Tagged<LimitsView> {
    let defaults = state.limiter.limits().of(plan);
    Tagged {
        version,
        body: LimitsView {
            plan,
            org: limit_view(own.org, defaults.org),
            read: limit_view(own.read, defaults.principal_read),
            write: limit_view(own.write, defaults.principal_write),
            version,
            updated_at: own.updated_at,
        },
    }
}

/// The org's plan and its own limits, from the items read with the
/// credential.
fn read(items: &[Option<Item>]) -> Result<(Plan, OrgLimits, u64), ApiError> {
    let org: Org = items[0].as_ref().ok_or(ApiError::NotFound { resource: "organization" })?.parse()?;
    let (own, version) = OrgLimits::from_item(items[1].as_ref())?;
    Ok((org.plan, own, version))
}

/// The organization's rate limits: each as it applies, beside the plan's
/// default and the most its owner may set.
#[utoipa::path(get, path = "/v1/orgs/{org_id}/limits", operation_id = "orgs.limits.get", tag = "orgs",
    params(("org_id" = String, Path, description = "Organization id")),
    security(("bearer" = [])),
    responses(
        (status = 200, body = LimitsView, headers(("ETag" = String))),
        (status = 404, body = Problem, content_type = "application/problem+json"),
    ))]
pub async fn get_limits(
    State(state): State<AppState>,
    caller: Caller,
    Path(raw): Path<String>,
) -> Result<Tagged<LimitsView>, ApiError> {
    let org = org_id(&raw)?;
    let (_ctx, items) = caller.org(&state, &org, Permission::OrgRead, |t| vec![Org::key(t), OrgLimits::key(t)]).await?;
    let (plan, own, version) = read(&items)?;
    Ok(view(&state, plan, &own, version))
}

/// Set the organization's rate limits (owners: `roles:manage`), within its
/// plan's maxima.
/// Applies from the next request. Honours `If-Match`. This route is
/// counted but never refused by the limits it sets.
#[utoipa::path(put, path = "/v1/orgs/{org_id}/limits", operation_id = "orgs.limits.set", tag = "orgs",
    request_body = EditLimits,
    params(("org_id" = String, Path, description = "Organization id"),
           ("If-Match" = Option<String>, Header, description = "ETag the edit applies to")),
    security(("bearer" = [])),
    responses(
        (status = 200, body = LimitsView, headers(("ETag" = String))),
        (status = 403, body = Problem, content_type = "application/problem+json"),
        (status = 404, body = Problem, content_type = "application/problem+json"),
        (status = 412, body = Problem, content_type = "application/problem+json"),
        (status = 422, body = Problem, content_type = "application/problem+json"),
    ))]
pub async fn put_limits(
    State(state): State<AppState>,
    caller: Caller,
    Path(raw): Path<String>,
    if_match: IfMatch,
    ApiJson(body): ApiJson<EditLimits>,
) -> Result<Tagged<LimitsView>, ApiError> {
    let org = org_id(&raw)?;
    let (ctx, items) = caller
        .exempt_from_limits()
        .org(&state, &org, Permission::RolesManage, |t| vec![Org::key(t), OrgLimits::key(t)])
        .await?;
    let (plan, current, version) = read(&items)?;
    if_match.check(version)?;
    let mut next = current.clone();
    for (field, given) in [(&mut next.org, body.org), (&mut next.read, body.read), (&mut next.write, body.write)] {
        if let Some(given) = given {
            *field = given;
        }
    }
    let problems = next.problems(state.limiter.limits().of(plan));
    if !problems.is_empty() {
        return Err(ApiError::Validation(problems.into_iter().map(|(f, m)| FieldError::new(f, m)).collect()));
    }
    next.updated_at = Some(controlplane::now());
    let changes = diff(&[
        ("org", json!(current.org), json!(next.org)),
        ("read", json!(current.read), json!(next.read)),
        ("write", json!(current.write), json!(next.write)),
    ]);
    let event = AuditEvent::new(&ctx, "limits.updated", "limits", &org, changes);
    let item = Item::new(OrgLimits::key(ctx.tenant()), version + 1, &next)?;
    Mutation::new(&ctx, Permission::RolesManage)
        .op(WriteOp::put_if(item, Condition::unchanged_since(version)), if_match.lost_race())
        .commit(state.store.as_ref(), event)
        .await?;
    Ok(view(&state, plan, &next, version + 1))
}
