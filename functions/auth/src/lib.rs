//! The `auth` function: token revocation, and the development refresh
//! exchange (in production the identity provider issues and refreshes
//! tokens).

use axum::Router;
use axum::extract::State;
use axum::http::StatusCode;
use chrono::{DateTime, Utc};
use controlplane::base::tenant::OrgId;
use controlplane::base::user::UserId;
use controlplane::domain::audit::{AuditEvent, Target, chain};
use controlplane::domain::member::Membership;
use controlplane::domain::user::{self, RevokedBefore, RevokedToken};
use controlplane::edge::auth::Caller;
use controlplane::edge::auth::jwt::TokenUse;
use controlplane::edge::error::Problem;
use controlplane::edge::http::{ApiJson, Revealing};
use controlplane::ports::store::{Condition, Item, WriteOp};
use controlplane::{ApiError, AppState};
use serde::{Deserialize, Serialize};
use serde_json::json;
use utoipa::ToSchema;

/// Lifetime of an access token from the refresh exchange.
pub const ACCESS_TTL_SECONDS: u64 = 900;

controlplane::function_routes! {
    revoke;
    exchange;
}

pub fn app(state: AppState) -> Router {
    controlplane::edge::http::lambda_router(routes(), state)
}

/// Revoke one of your tokens (`jti`) or every token issued at or before a
/// time (`issued_before`). Applies from the next request.
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"issued_before": "2026-12-04T12:00:00Z"}))]
pub struct Revoke {
    #[schema(value_type = Option<Jti>)]
    pub jti: Option<String>,
    /// Not in the future.
    pub issued_before: Option<DateTime<Utc>>,
}

/// A token's `jti` claim as revocation takes it: 1 to 128 characters, no
/// `#` (it is part of a store key) and nothing a name may not hold.
pub struct Jti;

const MAX_JTI_CHARS: usize = 128;
const JTI_PATTERN: &str = concat!("^[^#", controlplane::refused_in_names!(), "]+$");

impl utoipa::PartialSchema for Jti {
    fn schema() -> utoipa::openapi::RefOr<utoipa::openapi::schema::Schema> {
        utoipa::openapi::ObjectBuilder::new()
            .schema_type(utoipa::openapi::schema::Type::String)
            .max_length(Some(MAX_JTI_CHARS))
            .pattern(Some(JTI_PATTERN))
            .into()
    }
}

impl ToSchema for Jti {}

fn jti_problem(jti: &str) -> bool {
    jti.is_empty()
        || jti.chars().count() > MAX_JTI_CHARS
        || jti.contains('#')
        || controlplane::base::text::name_problem(jti).is_some()
}

/// Revoke the caller's own tokens.
#[utoipa::path(post, path = "/v1/auth/revoke", operation_id = "auth.revoke", tag = "auth", request_body = Revoke, security(("bearer" = [])),
    responses(
        (status = 204, description = "Revoked"),
        (status = 401, body = Problem, content_type = "application/problem+json"),
        (status = 422, body = Problem, content_type = "application/problem+json"),
    ))]
pub async fn revoke(
    State(state): State<AppState>,
    caller: Caller,
    ApiJson(body): ApiJson<Revoke>,
) -> Result<StatusCode, ApiError> {
    // Keys are refused (401 or 403) before anything is read for a user.
    caller.signed_in_user(&state).await?;
    // The caller's orgs are looked up alongside the token checks (reported
    // as an org lookup, like `GET /v1/orgs`).
    let memberships = caller.memberships_query()?;
    let (checked, orgs) = tokio::join!(caller.outside_tenant(&state), member_orgs(&state, memberships));
    let user = checked?.clone();
    let orgs = orgs?;
    let (marker, metadata) = match (&body.jti, body.issued_before) {
        (Some(jti), None) => {
            if jti_problem(jti) {
                return Err(ApiError::field("jti", "must be a token's `jti` claim"));
            }
            (user::revoked_token_key(&user, jti), json!({ "jti": jti }))
        }
        (None, Some(before)) => {
            if before > Utc::now() {
                return Err(ApiError::field("issued_before", "must not be in the future"));
            }
            (user::revoked_before_key(&user), json!({ "issued_before": before }))
        }
        _ => return Err(ApiError::field("jti", "give exactly one of `jti` and `issued_before`")),
    };
    // The revocation changes the caller's access to every org they belong
    // to: each records it (naming the `jti` or the time, never a token).
    let mut events = Vec::new();
    for org in orgs {
        let target = Target { kind: "user".into(), id: user.to_string() };
        events.push(AuditEvent::attributed(
            &org,
            &caller.principal(),
            &caller.meta,
            "token.revoked",
            target,
            metadata.clone(),
        ));
    }
    let mut events = events.into_iter();
    match body.issued_before {
        Some(before) => {
            user::revoke_issued_before(state.store.as_ref(), &user, before.timestamp(), events.next()).await?;
        }
        None => {
            // Kept as long as any token it names can be accepted.
            let expires = Utc::now().timestamp() + state.revocation_retention_seconds() as i64;
            let item =
                Item::new(marker.clone(), 1, RevokedToken { revoked_at: controlplane::now() })?.expiring_at(expires);
            chain::commit(state.store.as_ref(), vec![WriteOp::put(item)], events.next().into_iter().collect()).await?;
        }
    }
    // The other orgs' records, each committed with a check that the
    // revocation is in place.
    for event in events {
        chain::commit(state.store.as_ref(), vec![WriteOp::check(marker.clone(), Condition::Exists)], vec![event])
            .await?;
    }
    Ok(StatusCode::NO_CONTENT)
}

/// Every org of the caller's membership lookup `query` (all its pages).
async fn member_orgs(state: &AppState, query: controlplane::ports::store::Query) -> Result<Vec<OrgId>, ApiError> {
    let mut orgs = Vec::new();
    let mut query = query.limit(200);
    loop {
        let page = state.store.query(&query).await?;
        for item in &page.items {
            orgs.push(item.parse::<Membership>()?.org_id);
        }
        match page.next {
            Some(next) => query = query.start(Some(next)),
            None => return Ok(orgs),
        }
    }
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"grant_type": "refresh_token", "refresh_token": "eyJhbGciOiJIUzI1NiJ9.…"}))]
pub struct Exchange {
    /// Only `refresh_token`.
    #[schema(pattern = "^refresh_token$")]
    pub grant_type: String,
    pub refresh_token: String,
}

#[derive(Serialize, ToSchema)]
pub struct AccessToken {
    /// Absent from an `Idempotency-Key` replay (see `secret_withheld`).
    #[schema(required = false)]
    pub access_token: String,
    /// Always `Bearer`.
    pub token_type: &'static str,
    pub expires_in: u64,
    /// Only in a replay of an `Idempotency-Key` request, which leaves the
    /// secret out (it is never kept): says so.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub secret_withheld: Option<String>,
}

fn invalid_grant() -> ApiError {
    ApiError::bad_request("invalid_grant", "the refresh token is invalid, expired or revoked")
}

/// Development only (`CONTROLPLANE_DEV_AUTH`): exchange a refresh token
/// (`cargo run -- token --refresh`) for a 15-minute access token.
#[utoipa::path(post, path = "/v1/auth/token", operation_id = "auth.token", tag = "auth", request_body = Exchange,
    responses(
        (status = 200, body = AccessToken),
        (status = 400, description = "invalid_grant", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "Not in development mode", body = Problem, content_type = "application/problem+json"),
    ))]
pub async fn exchange(
    State(state): State<AppState>,
    ApiJson(body): ApiJson<Exchange>,
) -> Result<Revealing<axum::Json<AccessToken>>, ApiError> {
    if !state.dev_auth {
        return Err(ApiError::NotFound { resource: "route" });
    }
    if body.grant_type != "refresh_token" {
        return Err(ApiError::field("grant_type", "only `refresh_token` is supported"));
    }
    let claims = state.jwt.verify_for(&body.refresh_token, TokenUse::Refresh).map_err(|_| invalid_grant())?;
    let user = UserId::parse(&claims.sub).map_err(|_| invalid_grant())?;
    let mut keys = vec![user::revoked_before_key(&user)];
    keys.extend(claims.jti.iter().map(|jti| user::revoked_token_key(&user, jti)));
    let items = state.store.batch_get(&keys).await?;
    let before = items[0].as_ref().map(|i| i.parse::<RevokedBefore>()).transpose()?;
    if items.get(1).is_some_and(Option::is_some)
        || before.is_some_and(|r| claims.iat.is_none_or(|iat| iat as i64 <= r.before))
    {
        return Err(invalid_grant());
    }
    let access_token = state
        .jwt
        .mint(&claims.sub, claims.email.as_deref(), None, ACCESS_TTL_SECONDS)
        .map_err(|e| ApiError::Internal(e.to_string()))?;
    let body =
        AccessToken { access_token, token_type: "Bearer", expires_in: ACCESS_TTL_SECONDS, secret_withheld: None };
    Ok(Revealing(axum::Json(body), &["access_token"]))
}

#[cfg(test)]
mod tests {
    use controlplane::testing::{call, event, sqlite_state};

    #[test]
    fn the_jti_pattern_accepts_exactly_what_revocation_accepts() {
        let pattern = regex::Regex::new(super::JTI_PATTERN).unwrap();
        for c in (0..0x3000).chain(0xfe00..0x10000).filter_map(char::from_u32) {
            let s = format!("a{c}");
            assert_eq!(pattern.is_match(&s), !super::jti_problem(&s), "{s:?}");
        }
        assert!(!super::jti_problem(&"é".repeat(super::MAX_JTI_CHARS)));
        assert!(super::jti_problem(&"é".repeat(super::MAX_JTI_CHARS + 1)));
    }

    fn exchange_event(refresh: &str) -> lambda_http::Request {
        let mut request = event("apigw-auth-token.json", None);
        let body = serde_json::json!({"grant_type": "refresh_token", "refresh_token": refresh}).to_string();
        *request.body_mut() = lambda_http::Body::Text(body);
        request
    }

    #[tokio::test]
    async fn the_refresh_exchange_is_not_found_outside_development_mode() {
        let test = sqlite_state();
        let refresh = test.state.jwt.mint_refresh("alice", None, 60).unwrap();
        let (status, _, problem) = call(super::app(test.state.clone()), exchange_event(&refresh)).await;
        assert_eq!((status, problem["code"].as_str()), (404, Some("not_found")));
    }

    #[tokio::test]
    async fn an_api_gateway_exchange_event_returns_an_access_token_in_development_mode() {
        let test = sqlite_state();
        let refresh = test.state.jwt.mint_refresh("alice", None, 60).unwrap();
        let state = test.state.clone().with_dev_auth(true);
        let (status, _, body) = call(super::app(state), exchange_event(&refresh)).await;
        assert_eq!(status, 200, "{body}");
        assert!(test.state.jwt.verify(body["access_token"].as_str().unwrap()).is_ok());
    }
}
