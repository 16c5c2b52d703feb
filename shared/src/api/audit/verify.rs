//! `GET /v1/audit/verify`: checks the org's hash chain over a date range.

use crate::base::rbac::Permission;
use crate::domain::audit::chain::Head;
use crate::domain::audit::filter::{Filter, RawFilter};
use crate::domain::audit::verify::{Verification, Verifier};
use crate::edge::auth::Caller;
use crate::edge::error::Problem;
use crate::edge::http::{ApiQuery, Cursor};
use crate::{ApiError, AppState, TenantId};
use axum::extract::State;
use serde::Deserialize;
use utoipa::IntoParams;

const DEFAULT_EVENTS: usize = 10_000;
const MAX_EVENTS: usize = 50_000;

#[derive(Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct VerifyParams {
    /// Check events at or after this RFC 3339 time (default: the oldest kept).
    #[param(format = DateTime)]
    pub from: Option<String>,
    /// Check events at or before this RFC 3339 time (default: up to the head,
    /// which also checks that no event is missing from the end).
    #[param(format = DateTime)]
    pub to: Option<String>,
    /// Events checked by this call, 1–50000 (default 10000).
    #[param(minimum = 1, maximum = 50000)]
    pub limit: Option<usize>,
    /// `next_cursor` of the previous call, to go on where it stopped.
    pub cursor: Option<String>,
}

/// Verify the organization's audit chain (admins and owners): recomputes each
/// event's hash, checks each link to the event before it, and reports the
/// first break. Gaps left by expired days are accepted when the next day's
/// anchor vouches for them.
#[utoipa::path(get, path = "/v1/audit/verify", operation_id = "audit.verify", tag = "audit", params(VerifyParams),
    security(("bearer" = [])),
    responses(
        (status = 200, description = "The result; `ok` is false and `break` names the first break when the chain does not hold", body = Verification),
        (status = 401, body = Problem, content_type = "application/problem+json"),
        (status = 403, body = Problem, content_type = "application/problem+json"),
        (status = 422, body = Problem, content_type = "application/problem+json"),
    ))]
pub async fn verify_audit_chain(
    State(state): State<AppState>,
    caller: Caller,
    ApiQuery(params): ApiQuery<VerifyParams>,
) -> Result<axum::Json<Verification>, ApiError> {
    let max = params.limit.unwrap_or(DEFAULT_EVENTS);
    if !(1..=MAX_EVENTS).contains(&max) {
        return Err(ApiError::field("query.limit", format!("must be between 1 and {MAX_EVENTS}")));
    }
    let range =
        Filter::parse(RawFilter { from: params.from.as_deref(), to: params.to.as_deref(), ..RawFilter::default() })?;
    let scope = |tenant: &TenantId| Cursor::scope(&["audit-verify", tenant.as_str(), &range.scope()]);
    // The chain's head and the walk's first page come with the credential
    // check, in its round trip.
    let (ctx, head, query, first) = caller
        .tenant_listing_with(
            &state,
            Permission::AuditRead,
            |t| vec![Head::key(t)],
            |t| {
                let start = state.cursors.decode_opt(&scope(t), params.cursor.as_deref().filter(|c| !c.is_empty()))?;
                Ok(Verifier::query(t, &range, start))
            },
        )
        .await?;
    // The chain is the whole org's: a project's key cannot see all of it.
    ctx.require_member()?;
    let verifier = Verifier::new(state.store.as_ref(), ctx.tenant());
    let (mut report, resume) = verifier.run(head[0].as_ref(), query, first, max).await?;
    report.next_cursor = state.cursors.encode_opt(&scope(ctx.tenant()), resume.as_ref());
    Ok(axum::Json(report))
}
