//! Each function's Lambda router (`routes()`, built without OpenAPI
//! descriptions for a cheaper cold start) reaches a handler for every
//! route and method its OpenAPI description (`api()`) documents.

use std::sync::Arc;

use axum::Router;
use axum::body::Body;
use axum::http::{Method, Request};
use controlplane::AppState;
use controlplane::ports::store::sqlite::SqliteStore;
use tower::ServiceExt;
use utoipa::openapi::path::HttpMethod;
use utoipa_axum::router::OpenApiRouter;

type Documented = fn() -> OpenApiRouter<AppState>;
type Served = fn() -> Router<AppState>;

const FUNCTIONS: [(&str, Documented, Served); 11] = [
    ("orgs", orgs::api, orgs::routes),
    ("projects", projects::api, projects::routes),
    ("audit", audit::api, audit::routes),
    ("keys", keys::api, keys::routes),
    ("auth", auth::api, auth::routes),
    ("internal", internal::api, internal::routes),
    ("jobs", jobs::api, jobs::routes),
    ("usage", usage::api, usage::routes),
    ("webhooks", webhooks::api, webhooks::routes),
    ("sources", sources::api, sources::routes),
    ("schedules", schedules::api, schedules::routes),
];

fn method(m: &HttpMethod) -> Method {
    match m {
        HttpMethod::Get => Method::GET,
        HttpMethod::Post => Method::POST,
        HttpMethod::Put => Method::PUT,
        HttpMethod::Patch => Method::PATCH,
        HttpMethod::Delete => Method::DELETE,
        HttpMethod::Head => Method::HEAD,
        HttpMethod::Options => Method::OPTIONS,
        HttpMethod::Trace => Method::TRACE,
    }
}

/// `/v1/projects/{project_id}` → `/v1/projects/x1`.
fn concrete(path: &str) -> String {
    path.split('/').map(|s| if s.starts_with('{') { "x1" } else { s }).collect::<Vec<_>>().join("/")
}

#[tokio::test]
async fn every_documented_route_reaches_a_handler_in_the_lambda_router() {
    let dir = tempfile::tempdir().expect("tempdir");
    let store = SqliteStore::open(&dir.path().join("routes.db")).expect("store");
    let state = AppState::new(Arc::new(store), b"routes-test-secret-0123456789abcdef").expect("state");
    let mut checked = 0;
    for (name, documented, served) in FUNCTIONS {
        let (_, doc) = documented().split_for_parts();
        let app = controlplane::edge::http::lambda_router(served(), state.clone());
        for (path, item) in &doc.paths.paths {
            let operations = [
                (HttpMethod::Get, &item.get),
                (HttpMethod::Post, &item.post),
                (HttpMethod::Put, &item.put),
                (HttpMethod::Patch, &item.patch),
                (HttpMethod::Delete, &item.delete),
            ];
            for (verb, _) in operations.iter().filter(|(_, op)| op.is_some()) {
                let verb = method(verb);
                let request = Request::builder()
                    .method(verb.clone())
                    .uri(concrete(path))
                    .header("content-type", "application/json")
                    .body(Body::from("{}"))
                    .expect("request");
                let response = app.clone().oneshot(request).await.expect("infallible");
                let status = response.status().as_u16();
                let body = axum::body::to_bytes(response.into_body(), 1 << 20).await.expect("body");
                let body = String::from_utf8_lossy(&body);
                assert!(
                    status != 405 && !(status == 404 && body.contains("route not found")),
                    "{name}: {verb:?} {path} is documented but the Lambda router answered {status} {body}"
                );
                checked += 1;
            }
        }
    }
    assert!(checked >= 60, "checked {checked} documented operations");
}

/// One API Gateway route of the template: the function (binary) it invokes,
/// its path and method (`ANY` for every method).
struct GatewayRoute {
    binary: String,
    path: String,
    method: String,
}

/// The `HttpApi` events of every function in `template.yaml`.
fn gateway_routes(template: &str) -> Vec<GatewayRoute> {
    let mut routes = Vec::new();
    let mut binary = None;
    let mut path = None;
    for line in template.lines() {
        let line_trimmed = line.trim();
        // A resource starts at two spaces of indentation under `Resources:`.
        if line.starts_with("  ") && !line.starts_with("   ") && line.trim_end().ends_with(':') {
            binary = None;
        }
        if let Some(name) = line_trimmed.strip_prefix("Binary: ") {
            binary = Some(name.to_owned());
        } else if let Some(p) = line_trimmed.strip_prefix("Path: ") {
            path = Some(p.to_owned());
        } else if let (Some(m), Some(b), Some(p)) = (line_trimmed.strip_prefix("Method: "), &binary, path.take()) {
            routes.push(GatewayRoute { binary: b.clone(), path: p, method: m.to_owned() });
        }
    }
    routes
}

/// How specifically `route` matches the concrete `path` (HTTP APIs pick the
/// most specific: literal segments first, a greedy `{proxy+}` last), or
/// `None` when it does not match.
fn specificity<'a>(route: &'a str, path: &'a str) -> Option<(bool, usize)> {
    let segments = |p: &'a str| p.split('/').filter(|s| !s.is_empty()).collect::<Vec<_>>();
    let (route, path) = (segments(route), segments(path));
    let mut literals = 0;
    for (i, segment) in route.iter().enumerate() {
        if segment.ends_with("+}") {
            return (path.len() > i).then_some((false, literals));
        }
        let given = path.get(i)?;
        if !segment.starts_with('{') {
            if segment != given {
                return None;
            }
            literals += 1;
        }
    }
    (route.len() == path.len()).then_some((true, literals))
}

/// The function API Gateway invokes for `verb` on the concrete `path`.
fn chosen<'a>(routes: &'a [GatewayRoute], verb: &str, path: &str) -> Option<&'a str> {
    routes
        .iter()
        .filter(|r| r.method == "ANY" || r.method == verb)
        .filter_map(|r| specificity(&r.path, path).map(|s| (s, r)))
        .max_by_key(|(s, _)| *s)
        .map(|(_, r)| r.binary.as_str())
}

#[test]
fn the_template_sends_the_mcp_endpoint_to_the_gateway_for_every_method_the_transport_answers() {
    let routes = gateway_routes(include_str!("../../../template.yaml"));
    for verb in ["POST", "GET", "DELETE"] {
        assert_eq!(chosen(&routes, verb, mcp::PATH), Some("mcp"), "{verb} {}", mcp::PATH);
    }
}

#[test]
fn the_template_sends_every_documented_route_to_the_function_that_serves_it() {
    let routes = gateway_routes(include_str!("../../../template.yaml"));
    assert!(routes.len() >= 20, "found the template's API routes: {}", routes.len());
    let mut checked = 0;
    for (name, documented, _) in FUNCTIONS {
        let (_, doc) = documented().split_for_parts();
        for (path, item) in &doc.paths.paths {
            let verbs = [
                ("GET", &item.get),
                ("POST", &item.post),
                ("PUT", &item.put),
                ("PATCH", &item.patch),
                ("DELETE", &item.delete),
            ];
            for (verb, _) in verbs.iter().filter(|(_, op)| op.is_some()) {
                let chosen = chosen(&routes, verb, &concrete(path));
                assert_eq!(chosen, Some(name), "{verb} {path}: the template's API routes send it elsewhere");
                checked += 1;
            }
        }
    }
    assert!(checked >= 60, "checked {checked} documented operations");
}

#[test]
fn the_template_sends_the_console_and_the_reference_page_to_the_function_that_serves_them() {
    let routes = gateway_routes(include_str!("../../../template.yaml"));
    let pages = [
        internal::console::PAGE_PATH,
        internal::console::SCRIPT_PATH,
        internal::console::STYLE_PATH,
        internal::console::CONFIG_PATH,
        internal::docs::PAGE_PATH,
        internal::docs::SCRIPT_PATH,
        "/v1/openapi.json",
    ];
    for path in pages {
        assert_eq!(chosen(&routes, "GET", path), Some("internal"), "GET {path}");
    }
}

#[test]
fn a_greedy_route_yields_to_a_more_specific_one() {
    assert_eq!(specificity("/v1/sources/{proxy+}", "/v1/sources/x1/jobs"), Some((false, 2)));
    assert_eq!(specificity("/v1/sources/{proxy+}", "/v1/sources"), None);
    assert_eq!(specificity("/v1/sources", "/v1/sources"), Some((true, 2)));
    assert_eq!(specificity("/v1/sources", "/v1/schedules"), None);
    assert!(specificity("/v1/orgs/{org_id}", "/v1/orgs/x1") > specificity("/v1/{proxy+}", "/v1/orgs/x1"));
}
