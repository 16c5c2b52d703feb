//! Listing the schedules of sources.

use axum::extract::State;
use serde::Deserialize;
use utoipa::IntoParams;

use crate::base::ids::SourceId;
use crate::base::rbac::Permission;
use crate::base::tenant::TenantId;
use crate::domain::apikey::{ResourceKind, ResourceRef};
use crate::domain::source::schedule::Schedule;
use crate::edge::auth::Caller;
use crate::edge::error::Problem;
use crate::edge::http::{ApiQuery, Cursor, ListResponse, Paging};
use crate::ports::store::{Item, query_filtered_from};
use crate::{ApiError, AppState};

#[derive(Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct ListSchedules {
    pub source_id: Option<SourceId>,
    /// Page size, 1–200 (default 50).
    #[param(minimum = 1, maximum = 200)]
    pub limit: Option<usize>,
    pub cursor: Option<String>,
}

/// List schedules (`?source_id=`); a key sees its project's.
#[utoipa::path(get, path = "/v1/schedules", operation_id = "schedules.list", tag = "sources", params(ListSchedules),
    security(("bearer" = [])),
    responses((status = 200, body = ListResponse<Schedule>), (status = 403, body = Problem, content_type = "application/problem+json")))]
pub async fn list_schedules(
    State(state): State<AppState>,
    caller: Caller,
    ApiQuery(params): ApiQuery<ListSchedules>,
) -> Result<axum::Json<ListResponse<Schedule>>, ApiError> {
    let paging = Paging::new(params.limit, params.cursor)?;
    let source = params.source_id.as_ref();
    let scope_of =
        |tenant: &TenantId| Cursor::scope(&["schedules", tenant.as_str(), source.map_or("", SourceId::as_str)]);
    let (ctx, query, first) = caller
        .tenant_listing(&state, Permission::SourcesRead, |tenant| {
            Ok(Schedule::query(tenant).limit(paging.limit).start(state.start(&scope_of(tenant), &paging)?))
        })
        .await?;
    let scope = scope_of(ctx.tenant());
    let project = ctx.project_scope();
    let limited = ctx.resource_limit(ResourceKind::Source);
    let keep = |item: &Item| {
        item.parse::<Schedule>().is_ok_and(|s| {
            source.is_none_or(|id| s.source_id == *id)
                && project.is_none_or(|p| s.project_id == *p)
                && limited.as_ref().is_none_or(|l| l.contains(&ResourceRef::from(&s.source_id)))
        })
    };
    let page = query_filtered_from(state.store.as_ref(), &query, Some(first), keep).await?;
    Ok(axum::Json(state.list(&scope, page)?))
}
