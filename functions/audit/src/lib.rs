//! The `audit` function: the organization's audit log.

use axum::Router;
use axum::extract::State;
use controlplane::auth::Caller;
use controlplane::auth::rbac::Permission;
use controlplane::domain::audit::AuditEvent;
use controlplane::error::Problem;
use controlplane::http::{ApiQuery, Cursor, ListResponse, Paging};
use controlplane::store::{Item, query_filtered};
use controlplane::{ApiError, AppState};
use serde::Deserialize;
use utoipa::IntoParams;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

pub fn api() -> OpenApiRouter<AppState> {
    OpenApiRouter::new().routes(routes!(list_audit_events))
}

pub fn app(state: AppState) -> Router {
    controlplane::http::lambda_router(api(), state)
}

#[derive(Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct ListParams {
    /// Page size, 1–200 (default 50).
    pub limit: Option<usize>,
    /// `next_cursor` of the previous page.
    pub cursor: Option<String>,
}

/// The organization's audit events, newest first (admins and owners).
#[utoipa::path(get, path = "/v1/audit", tag = "audit", params(ListParams,
        ("X-Org-Id" = Option<String>, Header, description = "The organization, when the token names none and you belong to several")),
    security(("bearer" = [])),
    responses(
        (status = 200, body = ListResponse<AuditEvent>),
        (status = 401, body = Problem, content_type = "application/problem+json"),
        (status = 403, body = Problem, content_type = "application/problem+json"),
    ))]
pub async fn list_audit_events(
    State(state): State<AppState>,
    caller: Caller,
    ApiQuery(params): ApiQuery<ListParams>,
) -> Result<axum::Json<ListResponse<AuditEvent>>, ApiError> {
    let paging = Paging::new(params.limit, params.cursor)?;
    let (ctx, _) = caller.tenant(&state, Permission::AuditRead, |_| vec![]).await?;
    let scope = Cursor::scope(&["audit", ctx.tenant().as_str()]);
    let query = AuditEvent::query(ctx.tenant()).limit(paging.limit).start(state.start(&scope, &paging)?);
    // An API key sees only its project's events.
    let only = ctx.project_scope();
    let keep =
        |item: &Item| only.is_none_or(|p| item.data.get("project_id").and_then(|v| v.as_str()) == Some(p.as_str()));
    let page = query_filtered(state.store.as_ref(), &query, keep).await?;
    Ok(axum::Json(state.list(&scope, page)?))
}

#[cfg(test)]
mod tests {
    use controlplane::testing::{call, event, org_owned_by, sqlite_state, token};

    #[tokio::test]
    async fn an_api_gateway_list_event_returns_the_orgs_audit_events() {
        let test = sqlite_state();
        let org = org_owned_by(&test.state, "alice").await;
        let (status, _, body) =
            call(super::app(test.state.clone()), event("apigw-audit-list.json", Some(&token(&test.state, "alice"))))
                .await;
        assert_eq!(status, 200, "{body}");
        assert_eq!(body["data"][0]["action"], "org.created");
        assert_eq!(body["data"][0]["org_id"], org.as_str());
    }

    #[tokio::test]
    async fn the_audit_log_of_an_org_is_not_readable_by_outsiders() {
        let test = sqlite_state();
        let org = org_owned_by(&test.state, "alice").await;
        let outsider = test.state.jwt.mint("mallory", None, Some(org.as_str()), 600).unwrap();
        let (status, _, problem) =
            call(super::app(test.state.clone()), event("apigw-audit-list.json", Some(&outsider))).await;
        assert_eq!((status, problem["code"].as_str()), (403, Some("not_a_member")));
    }
}
