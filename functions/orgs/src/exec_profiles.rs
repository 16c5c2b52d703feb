//! Execution profiles (`/v1/exec-profiles/{target}`): what each built-in
//! tool, registered server's tool and source kind's runner may do while it
//! runs (docs/governance.md#execution-profiles).

use axum::extract::{Path, State};
use controlplane::base::rbac::Permission;
use controlplane::domain::Mutation;
use controlplane::domain::audit::{AuditEvent, diff};
use controlplane::domain::exec::{self, ExecProfile, ExecProfileView, ExecSpec, ExecTarget};
use controlplane::edge::auth::Caller;
use controlplane::edge::error::Problem;
use controlplane::edge::http::{ApiJson, IfMatch, Tagged};
use controlplane::ports::store::{Condition, WriteOp};
use controlplane::{ApiError, AppState};
use serde_json::json;

/// What a target that names nothing answers, once the caller may ask (a
/// refusal of the caller comes first).
fn unknown(target: Option<ExecTarget>) -> Result<ExecTarget, ApiError> {
    target.ok_or(ApiError::NotFound { resource: "execution profile target" })
}

/// The execution profile in force for a target: the org's own, else the
/// server-wide one (`<server>__*`) for a server's tool, else the one the
/// platform ships (built-in tools and source kinds). A server's tool with
/// none is 404 — and may do nothing. The `ETag` is the version of the
/// target's own profile (0: none set).
#[utoipa::path(get, path = "/v1/exec-profiles/{target}", operation_id = "execProfiles.get", tag = "orgs",
    params(("target" = String, Path, description = "A built-in tool (`projects_list`), a server's tool \
        (`docs__search`), all of a server's tools (`docs__*`), or a source kind (`source:scan.repo`)")),
    security(("bearer" = [])),
    responses(
        (status = 200, body = ExecProfileView, headers(("ETag" = String))),
        (status = 404, body = Problem, content_type = "application/problem+json"),
    ))]
pub async fn get_exec_profile(
    State(state): State<AppState>,
    caller: Caller,
    Path(raw): Path<String>,
) -> Result<Tagged<ExecProfileView>, ApiError> {
    let target = ExecTarget::parse(&raw).ok();
    let (_ctx, items) =
        caller.tenant(&state, Permission::OrgRead, |t| target.iter().flat_map(|x| exec::keys(t, x)).collect()).await?;
    let target = unknown(target)?;
    let own = items[0].as_ref().map_or(0, |item| item.version);
    let profile =
        ExecProfile::in_force(&target, &items)?.ok_or(ApiError::NotFound { resource: "execution profile" })?;
    Ok(Tagged { version: own, body: profile.view() })
}

/// Set a target's execution profile (admins and owners): the whole spec,
/// compiled first — a contradiction, an over-broad grant or a grant the
/// target's code cannot use is 422 naming its field. Applies from the next
/// run or call; the shipped profile is replaced, not merged. Honours
/// `If-Match`; audited as `exec_profile.updated` with both digests.
#[utoipa::path(put, path = "/v1/exec-profiles/{target}", operation_id = "execProfiles.set", tag = "orgs",
    request_body = ExecSpec,
    params(("target" = String, Path, description = "A built-in tool, `<server>__<tool>`, `<server>__*` or `source:<kind>`"),
           ("If-Match" = Option<String>, Header, description = "ETag the edit applies to")),
    security(("bearer" = [])),
    responses(
        (status = 200, body = ExecProfileView, headers(("ETag" = String))),
        (status = 403, body = Problem, content_type = "application/problem+json"),
        (status = 404, body = Problem, content_type = "application/problem+json"),
        (status = 412, body = Problem, content_type = "application/problem+json"),
        (status = 422, body = Problem, content_type = "application/problem+json"),
    ))]
pub async fn put_exec_profile(
    State(state): State<AppState>,
    caller: Caller,
    Path(raw): Path<String>,
    if_match: IfMatch,
    ApiJson(spec): ApiJson<ExecSpec>,
) -> Result<Tagged<ExecProfileView>, ApiError> {
    let target = ExecTarget::parse(&raw).ok();
    let (ctx, items) =
        caller.tenant(&state, Permission::OrgUpdate, |t| target.iter().map(|x| exec::key(t, x)).collect()).await?;
    let target = unknown(target)?;
    let version = items[0].as_ref().map_or(0, |item| item.version);
    if_match.check(version)?;
    let before = ExecProfile::in_force(&target, &[items[0].clone()])?;
    let next = ExecProfile::edited(&target, spec, version, controlplane::now())?;
    let (before_spec, before_digest) = before.map(|p| (json!(p.spec), json!(p.digest))).unwrap_or_default();
    let changes = diff(&[("spec", before_spec, json!(next.spec)), ("digest", before_digest, json!(next.digest))]);
    let event = AuditEvent::new(&ctx, "exec_profile.updated", "exec_profile", target.as_string(), changes);
    Mutation::new(&ctx, Permission::OrgUpdate)
        .op(
            WriteOp::put_if(next.item(ctx.tenant(), &target)?, Condition::unchanged_since(version)),
            if_match.lost_race(),
        )
        .commit(state.store.as_ref(), event)
        .await?;
    Ok(Tagged { version: next.version, body: next.view() })
}
