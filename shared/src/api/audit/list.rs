//! `GET /v1/audit`: the events a filter selects, newest first, as JSON
//! pages or as CSV.

use crate::base::rbac::Permission;
use crate::base::tenant::TenantId;
use crate::domain::audit::AuditEvent;
use crate::domain::audit::csv::{CONTENT_TYPE, CsvWriter};
use crate::domain::audit::filter::{Filter, RawFilter};
use crate::edge::auth::Caller;
use crate::edge::error::Problem;
use crate::edge::http::{ApiQuery, Cursor, ListResponse, Paging};
use crate::ports::store::query_filtered_from;
use crate::{ApiError, AppState};
use axum::extract::{RawQuery, State};
use axum::http::{HeaderValue, header};
use axum::response::{IntoResponse, Response};
use serde::Deserialize;
use utoipa::IntoParams;

/// Rows one CSV response holds at most (default 1,000); larger ranges
/// page with `Link: rel="next"` or go through an export.
pub const MAX_CSV_ROWS: usize = 5_000;
const DEFAULT_CSV_ROWS: usize = 1_000;

#[derive(Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct ListParams {
    /// Page size: 1–200 (default 50) for JSON, 1–5000 (default 1000) for CSV.
    #[param(minimum = 1, maximum = 5000)]
    pub limit: Option<usize>,
    /// `next_cursor` of the previous page (CSV: the `Link: rel="next"` header).
    pub cursor: Option<String>,
    /// Events by this actor (a user id, an API key id, or a system component).
    #[param(min_length = 1, max_length = 200, pattern = r"^[^\x00-\x1f\x7f-\x9f]+$")]
    pub actor_id: Option<String>,
    /// An action (`project.created`) or a prefix (`project.` or `project.*`).
    #[param(value_type = Option<crate::domain::audit::filter::Action>)]
    pub action: Option<String>,
    /// Events whose target is of this type (`project`, `key`, `member`, …).
    #[param(min_length = 1, max_length = 200, pattern = r"^[^\x00-\x1f\x7f-\x9f]+$")]
    pub target_type: Option<String>,
    /// Events about this target id.
    #[param(min_length = 1, max_length = 200, pattern = r"^[^\x00-\x1f\x7f-\x9f]+$")]
    pub target_id: Option<String>,
    /// Events at or after this RFC 3339 time.
    #[param(format = DateTime)]
    pub from: Option<String>,
    /// Events at or before this RFC 3339 time.
    #[param(format = DateTime)]
    pub to: Option<String>,
    /// `json` (default) or `csv` (RFC 4180 with a header row; cells that
    /// start with `= + - @`, a tab, CR or `'` get a leading `'`).
    #[param(pattern = "^(json|csv)$")]
    pub format: Option<String>,
}

impl ListParams {
    pub fn filter(&self) -> Result<Filter, ApiError> {
        Filter::parse(RawFilter {
            actor_id: self.actor_id.as_deref(),
            action: self.action.as_deref(),
            target_type: self.target_type.as_deref(),
            target_id: self.target_id.as_deref(),
            from: self.from.as_deref(),
            to: self.to.as_deref(),
        })
        .map_err(ApiError::from)
    }
}

/// The organization's audit events, newest first (admins and owners; an API
/// key with `audit:read` sees its project's). Every filter is served by an
/// index; combine them freely.
#[utoipa::path(get, path = "/v1/audit", operation_id = "audit.list", tag = "audit", params(ListParams),
    security(("bearer" = [])),
    responses(
        (status = 200, description = "The page as JSON; with `format=csv`, as CSV", content(
            (ListResponse<AuditEvent> = "application/json"),
            (String = "text/csv"),
        ), headers(
            ("Link" = String, description = "CSV only, when there is a next page: `<?…&cursor=…>; rel=\"next\"`"),
        )),
        (status = 401, body = Problem, content_type = "application/problem+json"),
        (status = 403, body = Problem, content_type = "application/problem+json"),
        (status = 422, body = Problem, content_type = "application/problem+json"),
    ))]
pub async fn list_audit_events(
    State(state): State<AppState>,
    caller: Caller,
    RawQuery(raw_query): RawQuery,
    ApiQuery(params): ApiQuery<ListParams>,
) -> Result<Response, ApiError> {
    let csv = match params.format.as_deref() {
        None | Some("json") => false,
        Some("csv") => true,
        Some(_) => return Err(ApiError::field("query.format", "must be `json` or `csv`")),
    };
    let paging = if csv {
        let limit = params.limit.unwrap_or(DEFAULT_CSV_ROWS);
        if !(1..=MAX_CSV_ROWS).contains(&limit) {
            return Err(ApiError::field("query.limit", format!("must be between 1 and {MAX_CSV_ROWS} for CSV")));
        }
        Paging { limit, cursor: params.cursor.clone().filter(|c| !c.is_empty()) }
    } else {
        Paging::new(params.limit, params.cursor.clone())?
    };
    let filter = params.filter()?;
    // The cursor is bound to the parameters; the partition read does not
    // depend on a key's project scope, which the filter then enforces.
    let scope_in = |tenant: &TenantId| Cursor::scope(&["audit", tenant.as_str(), &filter.scope()]);
    let (ctx, query, first) = caller
        .tenant_listing(&state, Permission::AuditRead, |tenant| {
            Ok(filter.query(tenant).limit(paging.limit).start(state.start(&scope_in(tenant), &paging)?))
        })
        .await?;
    let scope = scope_in(ctx.tenant());
    // An API key sees only its project's events.
    let filter = filter.within_project(ctx.project_scope());
    let page = query_filtered_from(state.store.as_ref(), &query, Some(first), |item| filter.matches(item)).await?;
    let listed: ListResponse<AuditEvent> = state.list(&scope, page)?;
    if !csv {
        return Ok(axum::Json(listed).into_response());
    }
    let mut writer = CsvWriter::new();
    listed.data.iter().for_each(|event| writer.event(event));
    let mut response = writer.finish().into_response();
    let headers = response.headers_mut();
    headers.insert(header::CONTENT_TYPE, HeaderValue::from_static(CONTENT_TYPE));
    if let Some(next) = listed.next_cursor
        && let Ok(link) = HeaderValue::from_str(&next_link(raw_query.as_deref().unwrap_or_default(), &next))
    {
        headers.insert(header::LINK, link);
    }
    Ok(response)
}

/// `<?same query&cursor=next>; rel="next"`: relative to the request (RFC 8288).
fn next_link(query: &str, cursor: &str) -> String {
    let mut pairs = url::form_urlencoded::Serializer::new(String::new());
    for (name, value) in url::form_urlencoded::parse(query.as_bytes()).filter(|(name, _)| name != "cursor") {
        pairs.append_pair(&name, &value);
    }
    pairs.append_pair("cursor", cursor);
    format!("<?{}>; rel=\"next\"", pairs.finish())
}

#[cfg(test)]
mod tests {
    #[test]
    fn the_next_link_keeps_the_filters_and_replaces_the_cursor() {
        let link = super::next_link("action=project.&cursor=old&format=csv", "n+1");
        assert_eq!(link, "<?action=project.&format=csv&cursor=n%2B1>; rel=\"next\"");
    }
}
