//! The built-in tools: each is one REST route of `controlplane::api`, run
//! in process with the caller the gateway authenticated. Its input schema
//! is the route's parameters and body as the OpenAPI document describes
//! them (one definition: the route's own types), and its answer is the
//! route's: the JSON body, or the problem as a tool error.

use std::sync::Arc;

use axum::Router;
use axum::body::Body;
use axum::middleware;
use controlplane::api;
use controlplane::domain::mcp::{self as catalog, BuiltinTool};
use controlplane::edge::auth::Caller;
use controlplane::edge::error::Problem;
use controlplane::edge::http::idempotency::{self, IDEMPOTENCY_KEY};
use controlplane::{ApiError, AppState};
use http::{Method, Request, header};
use serde_json::{Map, Value, json};
use tower::ServiceExt;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

/// Where an argument goes in the route's request.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Place {
    Path,
    Query,
    /// The request header of this name.
    Header(String),
    Body,
}

/// The argument that carries the request header `header`: `call_id` for
/// `Idempotency-Key` (the name agents know it by), else its snake-cased
/// name.
fn header_argument(header: &str) -> (String, Option<&'static str>) {
    if header.eq_ignore_ascii_case(IDEMPOTENCY_KEY.as_str()) {
        let description = "An id you choose for this call: calling again with the same id runs the tool once \
                           and answers as the first call did (the route's Idempotency-Key).";
        return ("call_id".to_owned(), Some(description));
    }
    (header.to_ascii_lowercase().replace('-', "_"), None)
}

/// One built-in tool, compiled from its route's OpenAPI operation.
#[derive(Debug, Clone)]
pub struct Builtin {
    pub tool: &'static BuiltinTool,
    pub description: String,
    pub input_schema: Arc<Map<String, Value>>,
    pub read_only: bool,
    /// The route deletes or cancels (`DELETE`): clients may ask first.
    pub destructive: bool,
    method: Method,
    path: String,
    places: Vec<(String, Place)>,
}

/// The tools and the routes that answer them, built on first use (not at
/// cold start: a function that is never asked for tools never pays for
/// their documents).
pub struct Builtins {
    pub tools: Vec<Builtin>,
    router: Router,
}

/// The routes of the built-in tools, each named by its tool.
fn routes() -> Vec<(&'static str, OpenApiRouter<AppState>)> {
    vec![
        ("projects_list", OpenApiRouter::new().routes(routes!(api::projects::list_projects))),
        ("projects_get", OpenApiRouter::new().routes(routes!(api::projects::get_project))),
        ("jobs_list", OpenApiRouter::new().routes(routes!(api::jobs::list_jobs))),
        ("jobs_get", OpenApiRouter::new().routes(routes!(api::jobs::get_job))),
        ("jobs_retry", OpenApiRouter::new().routes(routes!(api::jobs::retry_job))),
        ("jobs_cancel", OpenApiRouter::new().routes(routes!(api::jobs::cancel_job))),
        ("usage_get", OpenApiRouter::new().routes(routes!(api::usage::read_usage))),
        ("sources_list", OpenApiRouter::new().routes(routes!(api::sources::list_sources))),
        ("sources_get", OpenApiRouter::new().routes(routes!(api::sources::get_source))),
        ("sources_run", OpenApiRouter::new().routes(routes!(api::sources::runs::run_source))),
        ("evidence_list", OpenApiRouter::new().routes(routes!(api::sources::runs::list_evidence))),
        ("evidence_get", OpenApiRouter::new().routes(routes!(api::sources::runs::get_evidence))),
        ("schedules_list", OpenApiRouter::new().routes(routes!(api::schedules::list_schedules))),
        ("audit_query", OpenApiRouter::new().routes(routes!(api::audit::list::list_audit_events))),
        ("audit_verify", OpenApiRouter::new().routes(routes!(api::audit::verify::verify_audit_chain))),
    ]
}

impl Builtins {
    pub fn new(state: AppState) -> Result<Self, String> {
        let mut router = Router::new();
        let mut tools = Vec::new();
        for (name, routes) in routes() {
            let tool = catalog::builtin(name).ok_or_else(|| format!("`{name}` is not in the domain's catalog"))?;
            let (routes, doc) = routes.split_for_parts();
            tools.push(compile(tool, &doc)?);
            router = router.merge(routes.with_state(state.clone()));
        }
        // A tool's `call_id` is its route's Idempotency-Key, kept per key.
        let router = router
            .layer(middleware::from_fn_with_state(state.clone(), controlplane::edge::http::record_denials))
            .layer(middleware::from_fn_with_state(state, idempotency::idempotency));
        if let Some(missing) = catalog::BUILTIN_TOOLS.iter().find(|t| !tools.iter().any(|b| b.tool == *t)) {
            return Err(format!("the built-in tool `{}` has no route", missing.name));
        }
        Ok(Self { tools, router })
    }

    pub fn get(&self, name: &str) -> Option<&Builtin> {
        self.tools.iter().find(|b| b.tool.name == name)
    }

    /// Runs the tool's route with `arguments` as `caller`: the route's JSON
    /// answer, or its problem.
    pub async fn call(&self, tool: &Builtin, caller: Caller, arguments: Map<String, Value>) -> Result<Value, Problem> {
        let mut request = tool.request(arguments).map_err(|refused| refused.to_problem())?;
        let line = format!("MCP tools/call {}", tool.tool.name);
        request.extensions_mut().insert(caller.calling_tool(!tool.read_only, line));
        let response = match self.router.clone().oneshot(request).await {
            Ok(response) => response,
            Err(never) => match never {},
        };
        let status = response.status();
        let problem = response.extensions().get::<Arc<Problem>>().map(|p| tool.in_arguments((**p).clone()));
        let content_type =
            response.headers().get(header::CONTENT_TYPE).and_then(|v| v.to_str().ok()).unwrap_or_default().to_owned();
        let bytes = axum::body::to_bytes(response.into_body(), usize::MAX).await.unwrap_or_default();
        if status.is_client_error() || status.is_server_error() {
            return Err(problem.unwrap_or_else(|| Problem::for_status(status)));
        }
        if bytes.is_empty() {
            return Ok(json!({}));
        }
        if !content_type.starts_with("application/json") {
            // A route that answers in another form (the audit log's CSV).
            let text = String::from_utf8_lossy(&bytes).into_owned();
            return Ok(json!({ "content_type": content_type, "text": text }));
        }
        serde_json::from_slice(&bytes).map_err(|_| Problem::for_status(http::StatusCode::INTERNAL_SERVER_ERROR))
    }
}

/// What a route answers for an invalid field.
fn invalid(field: &str, message: &str) -> ApiError {
    ApiError::field(field, message.to_owned())
}

impl Builtin {
    /// `problem` with its field errors named as this tool's arguments
    /// (the route names them `query.limit`, `header.idempotency-key`).
    fn in_arguments(&self, mut problem: Problem) -> Problem {
        for error in &mut problem.errors {
            let argument = self.places.iter().find(|(name, place)| match place {
                Place::Path => error.field == format!("path.{name}"),
                Place::Query => error.field == format!("query.{name}"),
                Place::Header(header) => error.field.eq_ignore_ascii_case(&format!("header.{header}")),
                Place::Body => false,
            });
            if let Some((name, _)) = argument {
                error.field = name.clone();
            }
        }
        problem
    }

    /// The route's request for `arguments`: path parameters in the path,
    /// query parameters in the query, the rest in a JSON body. An argument
    /// the route does not take is refused naming it.
    fn request(&self, mut arguments: Map<String, Value>) -> Result<Request<Body>, ApiError> {
        let mut path = self.path.clone();
        let mut query = form_urlencoded::Serializer::new(String::new());
        let mut body = Map::new();
        let mut headers = Vec::new();
        for (name, place) in &self.places {
            let Some(value) = arguments.remove(name) else { continue };
            let text = match &value {
                Value::String(s) => s.clone(),
                Value::Null => continue,
                other => other.to_string(),
            };
            match place {
                Place::Header(header) => {
                    let value =
                        http::HeaderValue::from_str(&text).map_err(|_| invalid(name, "is not a valid value"))?;
                    headers.push((header.clone(), value));
                }
                Place::Path => {
                    let encoded: String = form_urlencoded::byte_serialize(text.as_bytes()).collect();
                    path = path.replace(&format!("{{{name}}}"), &encoded);
                }
                Place::Query => {
                    query.append_pair(name, &text);
                }
                Place::Body => {
                    body.insert(name.clone(), value);
                }
            }
        }
        if let Some(unknown) = arguments.keys().next() {
            return Err(invalid(unknown, "unknown field: this tool takes no such argument"));
        }
        if let Some((name, _)) =
            self.places.iter().find(|(name, place)| *place == Place::Path && path.contains(&format!("{{{name}}}")))
        {
            return Err(invalid(name, "is required"));
        }
        let query = query.finish();
        let uri = if query.is_empty() { path } else { format!("{path}?{query}") };
        let has_body = self.places.iter().any(|(_, place)| *place == Place::Body);
        let mut builder = Request::builder().method(self.method.clone()).uri(uri);
        for (header, value) in headers {
            builder = builder.header(header, value);
        }
        let request = if has_body {
            builder.header(header::CONTENT_TYPE, "application/json").body(Body::from(Value::Object(body).to_string()))
        } else {
            builder.body(Body::empty())
        };
        request.map_err(|e| invalid("arguments", &e.to_string()))
    }
}

/// The tool `tool` as its route's operation in `doc` describes it.
fn compile(tool: &'static BuiltinTool, doc: &utoipa::openapi::OpenApi) -> Result<Builtin, String> {
    let doc = serde_json::to_value(doc).map_err(|e| e.to_string())?;
    let paths = doc["paths"].as_object().ok_or("no paths")?;
    let (path, item) = paths.iter().next().ok_or_else(|| format!("`{}` has no route", tool.name))?;
    let (method, operation) = item
        .as_object()
        .and_then(|ops| ops.iter().find(|(m, _)| ["get", "post", "put", "patch", "delete"].contains(&m.as_str())))
        .ok_or_else(|| format!("`{}` has no operation", tool.name))?;
    let components = &doc["components"]["schemas"];
    let mut properties = Map::new();
    let mut required = Vec::new();
    let mut places = Vec::new();
    for parameter in operation["parameters"].as_array().into_iter().flatten() {
        let declared = parameter["name"].as_str().ok_or("a parameter without a name")?;
        let (name, place, own_description) = match parameter["in"].as_str() {
            Some("path") => (declared.to_owned(), Place::Path, None),
            Some("query") => (declared.to_owned(), Place::Query, None),
            Some("header") => {
                let (name, description) = header_argument(declared);
                (name, Place::Header(declared.to_owned()), description)
            }
            _ => continue,
        };
        let mut schema = inline(&parameter["schema"], components, 0);
        let description = own_description.or(parameter["description"].as_str());
        if let (Some(description), Some(object)) = (description, schema.as_object_mut()) {
            object.entry("description").or_insert_with(|| description.into());
        }
        if parameter["required"].as_bool() == Some(true) {
            required.push(Value::String(name.clone()));
        }
        properties.insert(name.clone(), schema);
        places.push((name, place));
    }
    let body = &operation["requestBody"]["content"]["application/json"]["schema"];
    if !body.is_null() {
        let body = inline(body, components, 0);
        for (name, schema) in body["properties"].as_object().into_iter().flatten() {
            properties.insert(name.clone(), schema.clone());
            places.push((name.clone(), Place::Body));
        }
        required.extend(body["required"].as_array().into_iter().flatten().cloned());
    }
    let mut schema = Map::new();
    schema.insert("type".into(), "object".into());
    schema.insert("properties".into(), Value::Object(properties));
    if !required.is_empty() {
        schema.insert("required".into(), Value::Array(required));
    }
    schema.insert("additionalProperties".into(), false.into());
    let summary = operation["summary"].as_str().unwrap_or_default();
    let description = match operation["description"].as_str() {
        Some(more) if !more.is_empty() => format!("{summary}\n\n{more}"),
        _ => summary.to_owned(),
    };
    let method: Method = method.to_uppercase().parse().map_err(|_| format!("`{method}` is not a method"))?;
    Ok(Builtin {
        tool,
        description,
        input_schema: Arc::new(schema),
        read_only: method == Method::GET,
        destructive: method == Method::DELETE,
        method,
        path: path.clone(),
        places,
    })
}

/// `schema` with its `$ref`s to the document's components replaced by the
/// components themselves (a tool's schema stands alone). Past a depth
/// that only a recursive type reaches, a reference becomes "any".
fn inline(schema: &Value, components: &Value, depth: usize) -> Value {
    const DEEPEST: usize = 16;
    match schema {
        Value::Object(object) => {
            if let Some(reference) = object.get("$ref").and_then(Value::as_str) {
                let name = reference.trim_start_matches("#/components/schemas/");
                return match components.get(name) {
                    Some(target) if depth < DEEPEST => inline(target, components, depth + 1),
                    _ => json!({}),
                };
            }
            Value::Object(object.iter().map(|(k, v)| (k.clone(), inline(v, components, depth))).collect())
        }
        Value::Array(items) => Value::Array(items.iter().map(|v| inline(v, components, depth)).collect()),
        other => other.clone(),
    }
}
