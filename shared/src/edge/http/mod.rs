//! Middleware and extractors shared by every function's router.

pub mod console;
pub mod cors;
pub mod cursor;
pub mod deprecation;
pub mod etag;
pub mod extract;
pub mod idempotency;

use std::net::{IpAddr, SocketAddr};
use std::sync::{Arc, Mutex};
use std::time::Instant;

use axum::Router;
use axum::extract::{ConnectInfo, MatchedPath, Request, State};
use axum::http::{HeaderMap, HeaderName, HeaderValue, header};
use axum::middleware::{self, Next};
use axum::response::{IntoResponse, Response};

use crate::base::error::Denial;
use crate::domain::ratelimit::Decision;
use crate::edge::AppState;
use crate::edge::error::{ApiError, PROBLEM_JSON, Problem};
use crate::ports::store::tally;

pub use cursor::{Cursor, CursorSigner};
pub use etag::{IfMatch, Tagged};
pub use extract::{ApiJson, ApiQuery, Created, ListResponse, NoBody, OptionalJson, PageParams, Paging};
pub use idempotency::Revealing;

pub const API_VERSION: &str = "2026-11-01";
/// The versions a client may pin with `X-API-Version` (docs/versioning.md).
pub const SUPPORTED_API_VERSIONS: [&str; 1] = [API_VERSION];
pub const X_REQUEST_ID: HeaderName = HeaderName::from_static("x-request-id");
pub const X_API_VERSION: HeaderName = HeaderName::from_static("x-api-version");
pub const X_ORG_ID: HeaderName = HeaderName::from_static("x-org-id");
pub const X_API_KEY: HeaderName = HeaderName::from_static("x-api-key");
pub const RATELIMIT: HeaderName = HeaderName::from_static("ratelimit");
pub const RATELIMIT_POLICY: HeaderName = HeaderName::from_static("ratelimit-policy");
pub const SERVER_TIMING: HeaderName = HeaderName::from_static("server-timing");
/// Sent on every response: HTTPS only, no sniffing, no framing, and no
/// caching of tenant data (or of the one-time reveal of a secret) anywhere.
pub const SECURITY_HEADERS: [(HeaderName, &str); 5] = [
    (header::STRICT_TRANSPORT_SECURITY, "max-age=63072000; includeSubDomains"),
    (header::X_CONTENT_TYPE_OPTIONS, "nosniff"),
    (header::X_FRAME_OPTIONS, "DENY"),
    (header::CONTENT_SECURITY_POLICY, "default-src 'none'; frame-ancestors 'none'"),
    (header::CACHE_CONTROL, "no-store"),
];
/// Largest accepted request body.
pub const MAX_BODY_BYTES: usize = 64 * 1024;
/// Where the MCP gateway is served. Its POSTs are JSON-RPC messages, not
/// REST requests: `Idempotency-Key` does not apply to them (a tool that
/// honours one takes it as an argument).
pub const MCP_PATH: &str = "/mcp";

use crate::base::request::RequestMeta;

/// What the request path learns that the edge needs: who called (for the
/// log line) and the rate-limit standing (for the headers).
#[derive(Debug, Default)]
pub struct RequestNotes {
    pub principal: Option<String>,
    pub tenant: Option<String>,
    pub rate_limit: Option<Decision>,
    /// The caller named no org, so it (or, for the list of the caller's
    /// orgs, they) came from the membership lookup: one more round trip.
    pub org_inferred: bool,
}

pub type SharedNotes = Arc<Mutex<RequestNotes>>;

fn request_id_from(headers: &HeaderMap) -> String {
    headers
        .get(&X_REQUEST_ID)
        .and_then(|v| v.to_str().ok())
        .filter(|v| !v.is_empty() && v.len() <= 128 && v.bytes().all(|b| b.is_ascii_graphic()))
        .map(str::to_owned)
        .unwrap_or_else(RequestMeta::fresh_id)
}

/// The client address: the last `X-Forwarded-For` hop (the one API Gateway
/// appends; earlier hops are whatever the client sent), else the socket peer.
fn client_ip(request: &Request) -> Option<String> {
    let forwarded = request
        .headers()
        .get("x-forwarded-for")
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.rsplit(',').next())
        .and_then(|v| v.trim().parse::<IpAddr>().ok());
    let peer = || request.extensions().get::<ConnectInfo<SocketAddr>>().map(|c| c.0.ip());
    forwarded.or_else(peer).map(|ip| ip.to_string())
}

/// The outermost middleware: request id, problem+json for every error,
/// `X-Request-Id` and `X-API-Version` on every response, one log line per
/// request with what it cost the store (and `Server-Timing` saying so, when
/// the state enables it).
pub async fn edge(State(state): State<AppState>, mut request: Request, next: Next) -> Response {
    let started = Instant::now();
    let meta = RequestMeta {
        request_id: request_id_from(request.headers()),
        request_line: format!("{} {}", request.method(), request.uri().path()),
        ip: client_ip(&request),
        user_agent: request
            .headers()
            .get(header::USER_AGENT)
            .and_then(|v| v.to_str().ok())
            .map(|v| v.chars().take(256).collect()),
    };
    let method = request.method().clone();
    let path = request.uri().path().to_owned();
    let route = request.extensions().get::<MatchedPath>().map(|m| m.as_str().to_owned());
    let notes = SharedNotes::default();
    request.extensions_mut().insert(meta.clone());
    request.extensions_mut().insert(Arc::clone(&notes));

    let (mut response, store) = tally::counted(next.run(request)).await;

    let (principal, tenant, rate_limit, org_inferred) = notes
        .lock()
        .map(|n| (n.principal.clone(), n.tenant.clone(), n.rate_limit.clone(), n.org_inferred))
        .unwrap_or_default();
    let status = response.status();
    if (status.is_client_error() || status.is_server_error()) && needs_problem(&response) {
        response = render_problem(response, &meta.request_id, &path);
    }
    let headers = response.headers_mut();
    if let Ok(value) = HeaderValue::from_str(&meta.request_id) {
        headers.insert(X_REQUEST_ID, value);
    }
    headers.insert(X_API_VERSION, HeaderValue::from_static(API_VERSION));
    if let Some(deprecated) = route.as_deref().and_then(|route| deprecation::find(method.as_str(), route)) {
        deprecated.mark(headers);
    }
    // A route's own policy and caching are kept (the reference page loads
    // its script and styles, and its script may be cached).
    for (name, value) in SECURITY_HEADERS {
        headers.entry(name).or_insert_with(|| HeaderValue::from_static(value));
    }
    if state.server_timing
        && let Ok(value) = HeaderValue::from_str(&store.server_timing(route.as_deref().unwrap_or("-"), org_inferred))
    {
        headers.insert(SERVER_TIMING, value);
    }

    if let Some(decision) = rate_limit {
        let headers = response.headers_mut();
        if let Ok(policy) = HeaderValue::from_str(&decision.policy_header()) {
            headers.insert(RATELIMIT_POLICY, policy);
        }
        if let Some(Ok(limit)) = decision.limit_header().map(|v| HeaderValue::from_str(&v)) {
            headers.insert(RATELIMIT, limit);
        }
    }
    tracing::info!(
        target: "request",
        request_id = %meta.request_id,
        method = %method,
        route = route.as_deref().unwrap_or(path.as_str()),
        status = status.as_u16(),
        latency_ms = started.elapsed().as_secs_f64() * 1000.0,
        principal = principal.as_deref(),
        tenant = tenant.as_deref(),
        store_round_trips = store.round_trips,
        store_reads = store.reads,
        store_writes = store.writes,
        "request"
    );
    response
}

/// An `ApiError` is (re)rendered with the request id; a bare status from the
/// framework (unknown route, wrong method, body limit) becomes a problem. A
/// JSON body a handler chose (the health report's 503) or a replayed problem
/// is kept as it is.
fn needs_problem(response: &Response) -> bool {
    let is_json = response.headers().get(header::CONTENT_TYPE).is_some_and(|v| {
        let v = v.as_bytes();
        v.starts_with(b"application/json") || v.starts_with(PROBLEM_JSON.as_bytes())
    });
    response.extensions().get::<Arc<Problem>>().is_some() || !is_json
}

/// Ensures an error response is a problem document carrying the request id
/// and the request path as `instance`.
fn render_problem(response: Response, request_id: &str, path: &str) -> Response {
    let status = response.status();
    let problem = response.extensions().get::<Arc<Problem>>().map(|p| (**p).clone());
    let (mut parts, _body) = response.into_parts();
    let mut problem = problem.unwrap_or_else(|| Problem::for_status(status));
    problem.request_id = Some(request_id.to_owned());
    // The path may carry what the caller put in it.
    problem.instance = Some(crate::base::redact::Redactor::platform().text(path).into_owned());
    let body = serde_json::to_vec(&problem).unwrap_or_default();
    parts.headers.insert(header::CONTENT_TYPE, HeaderValue::from_static(PROBLEM_JSON));
    parts.headers.remove(header::CONTENT_LENGTH);
    Response::from_parts(parts, axum::body::Body::from(body))
}

/// 421 for a `Host` the server does not answer for, where the state names
/// the ones it does (see `AppState::allowed_hosts`): a page on another site
/// that rebinds its name to 127.0.0.1 sends its own name, and is refused.
async fn known_host(State(state): State<AppState>, request: Request, next: Next) -> Response {
    let Some(allowed) = &state.allowed_hosts else { return next.run(request).await };
    let host = request.headers().get(header::HOST).and_then(|v| v.to_str().ok()).map(str::to_ascii_lowercase);
    match host {
        Some(host) if allowed.contains(&host) => next.run(request).await,
        _ => ApiError::MisdirectedRequest {
            detail: format!(
                "this server answers only for {}; name others in CONTROLPLANE_ALLOWED_HOSTS",
                allowed.join(", ")
            ),
        }
        .into_response(),
    }
}

/// Audits each 403 from RBAC or a key's scope (the response carries its
/// denial) as `access.denied` in the caller's org, within the bound per
/// principal. Every router that runs routes has it, the MCP gateway's
/// tool router too.
pub async fn record_denials(State(state): State<AppState>, request: Request, next: Next) -> Response {
    let response = next.run(request).await;
    if let Some(denial) = response.extensions().get::<Arc<Denial>>() {
        crate::edge::auth::record_denial(&state, denial).await;
    }
    response
}

async fn not_found() -> ApiError {
    ApiError::NotFound { resource: "route" }
}

/// How much of an oversized request body is still read (and dropped), so
/// its sender reads the 413 instead of a reset connection.
pub const DRAIN_LIMIT: usize = 1024 * 1024;

/// Reads the request body before anything else sees it: past
/// [`MAX_BODY_BYTES`] the answer is 413, after the body was read (up to
/// [`DRAIN_LIMIT`]; beyond that the connection is dropped). On Lambda the
/// body is already in memory, so this costs nothing there.
async fn whole_body(request: Request, next: Next) -> Response {
    let (parts, body) = request.into_parts();
    match axum::body::to_bytes(body, DRAIN_LIMIT).await {
        Ok(bytes) if bytes.len() <= MAX_BODY_BYTES => {
            next.run(Request::from_parts(parts, axum::body::Body::from(bytes))).await
        }
        Ok(_) => ApiError::PayloadTooLarge { limit: MAX_BODY_BYTES }.into_response(),
        Err(error) => {
            let too_large =
                std::error::Error::source(&error).is_some_and(|e| e.is::<http_body_util::LengthLimitError>());
            if too_large {
                ApiError::PayloadTooLarge { limit: MAX_BODY_BYTES }.into_response()
            } else {
                ApiError::bad_request("unreadable_body", "the request body could not be read").into_response()
            }
        }
    }
}

/// Declares a function's routes once, as groups of handlers annotated with
/// `#[utoipa::path]` (a group shares one path), and defines from them:
///
/// - `api()`: the routes with their OpenAPI descriptions, for the document
///   the local server merges and serves;
/// - `routes()`: the same routes without them, for the Lambda.
///
/// Two because `utoipa_axum::routes!` builds every operation and schema of
/// the function when the router is made, which on Lambda is init time and
/// memory spent on a document nobody asks the function for (BENCHMARKS.md,
/// decisions). `routes()` asks each handler's generated `__path_*` type for its
/// path and methods only, through `utoipa_axum::routes!`'s own lookup arm
/// (`@path [path()] of handler`): not a documented entry point, so a
/// utoipa-axum release that changes it fails this crate's build, never a
/// running function (and `infra/local/tests/routes.rs` checks the result).
///
/// ```ignore
/// controlplane::function_routes! {
///     handlers::create_project, handlers::list_projects;
///     handlers::get_project, handlers::delete_project;
/// }
/// ```
#[macro_export]
macro_rules! function_routes {
    // Handlers are matched as identifiers, not `path` fragments: a `path`
    // fragment handed on to `utoipa_axum::routes!` is opaque to its matcher.
    ($( $($first:ident)::+ $(, $($handler:ident)::+)* );+ $(;)?) => {
        /// The function's routes with their OpenAPI descriptions.
        pub fn api() -> ::utoipa_axum::router::OpenApiRouter<$crate::AppState> {
            ::utoipa_axum::router::OpenApiRouter::new()
                $( .routes(::utoipa_axum::routes!($($first)::+ $(, $($handler)::+)*)) )+
        }

        /// The function's routes, without building their OpenAPI descriptions.
        pub fn routes() -> ::axum::Router<$crate::AppState> {
            ::axum::Router::new()
                $( .route(
                    &::utoipa_axum::routes!(@path [path()] of $($first)::+),
                    $crate::function_routes!(@methods $($first)::+ $(, $($handler)::+)*),
                ) )+
        }
    };
    (@methods $( $($handler:ident)::+ ),+) => {{
        #[allow(unused_imports)]
        use ::utoipa_axum::PathItemExt as _;
        let router = ::axum::routing::MethodRouter::new();
        $( let router = ::utoipa_axum::routes!(@path [methods()] of $($handler)::+)
            .iter()
            .fold(router, |router, method| router.on(method.to_method_filter(), $($handler)::+)); )+
        router
    }};
}

/// A function's Lambda router: its routes (from [`function_routes!`])
/// behind the shared middleware.
pub fn lambda_router(routes: Router<AppState>, state: AppState) -> Router {
    finish(routes, state)
}

/// Applies the shared middleware stack to a function's (or the merged local)
/// router and binds its state.
pub fn finish(router: Router<AppState>, state: AppState) -> Router {
    router
        .fallback(not_found)
        .layer(middleware::from_fn_with_state(state.clone(), record_denials))
        .layer(middleware::from_fn_with_state(state.clone(), idempotency::idempotency))
        .layer(middleware::from_fn(whole_body))
        .layer(middleware::from_fn_with_state(state.clone(), cors::cors))
        .layer(middleware::from_fn_with_state(state.clone(), known_host))
        .layer(middleware::from_fn_with_state(state.clone(), edge))
        .with_state(state)
}

/// A file download: the bytes as `content_type`, `Content-Disposition:
/// attachment` with `filename`, and their SHA-256 in `Repr-Digest` (RFC 9530).
pub fn attachment(bytes: Vec<u8>, content_type: &'static str, filename: &str) -> axum::response::Response {
    use axum::http::{HeaderValue, header};
    use axum::response::IntoResponse;
    use base64::Engine;
    let digest = crate::base::digest::sha256_bytes(&bytes);
    let repr_digest = format!("sha-256=:{}:", base64::engine::general_purpose::STANDARD.encode(digest));
    let mut response = bytes.into_response();
    let headers = response.headers_mut();
    headers.insert(header::CONTENT_TYPE, HeaderValue::from_static(content_type));
    let disposition = format!("attachment; filename=\"{filename}\"");
    for (name, value) in [("content-disposition", disposition), ("repr-digest", repr_digest)] {
        if let Ok(value) = HeaderValue::from_str(&value) {
            headers.insert(name, value);
        }
    }
    response
}
