//! The base OpenAPI document; each function adds its paths through
//! `utoipa_axum::router::OpenApiRouter`.

use utoipa::OpenApi;

use crate::edge::error::{FieldError, Problem};

#[derive(OpenApi)]
#[openapi(
    info(
        title = "Control plane API",
        description = "Organizations, members and projects of the multi-tenant developer platform. \
            Every `/v1` route needs `Authorization: Bearer <token>`; errors are RFC 9457 \
            `application/problem+json`; lists take `limit` (default 50, max 200) and `cursor`.",
        license(name = "Apache-2.0")
    ),
    components(schemas(Problem, FieldError, crate::domain::events::DomainEvent)),
    tags(
        (name = "orgs", description = "Organizations (tenants) and their members"),
        (name = "projects", description = "Projects inside an organization"),
        (name = "audit", description = "The organization's audit log"),
        (name = "keys", description = "API keys of a project: four types, scopes, revocation"),
        (name = "auth", description = "Token revocation; the development refresh exchange"),
        (name = "jobs", description = "Background jobs: provisioning and other durable work; retry failed, cancel pending"),
        (name = "usage", description = "Usage by service and period, quota checks, quotas, budgets and cost estimates"),
        (name = "webhooks", description = "Webhook endpoints of a project (Standard Webhooks signatures)"),
        (name = "sources", description = "Sources (scans, connectors, ingest feeds, runtimes), their credentials, policy bindings, runs, evidence and schedules"),
        (name = "mcp", description = "Upstream MCP servers a project's agents reach through the MCP gateway (`/mcp`)"),
        (name = "internal", description = "Unauthenticated internal routes for the data plane"),
    )
)]
pub struct ApiDoc;

/// Completes the merged document with what the shared middleware gives
/// every route, so each operation's own annotation says only what is its
/// own: `Idempotency-Key` on each POST, the answers the edge may give
/// ([`COMMON_PROBLEMS`], where each applies), the headers every response
/// carries, `X-Org-Id` and the id and `If-Match` grammars, the key types as security schemes, and
/// a description on every response (OpenAPI requires one).
///
/// The result is JSON, not utoipa's types: some of what it adds (a `oneOf`
/// beside an object's properties) has no place in them.
pub fn complete(spec: utoipa::openapi::OpenApi) -> serde_json::Value {
    let mut doc = serde_json::to_value(&spec).expect("an OpenAPI document serializes");
    complete_json(&mut doc);
    doc
}

const METHODS: [&str; 5] = ["get", "post", "put", "patch", "delete"];

/// Problem codes the edge itself answers with, by status: route-specific
/// codes are in each operation's own responses and in docs/api.md.
const COMMON_PROBLEMS: [(&str, &str); 11] = [
    (
        "400",
        "The request is malformed: `malformed_json`, `unreadable_body`, `invalid_if_match`, `malformed_request`, `unsupported_api_version` (an `X-API-Version` this server does not answer).",
    ),
    (
        "401",
        "No valid credentials: `missing_credentials`, `invalid_token`, `token_expired`, `token_not_yet_valid`, `token_lifetime_too_long`, `token_revoked`, `invalid_key`, `key_revoked`, `key_rotated`, `key_disabled`, `key_expired`.",
    ),
    (
        "403",
        "Authenticated, but not allowed: `forbidden` (the role lacks the permission), `not_a_member`, `outside_key_scope`, `cross_tenant_denied`, `exceeds_your_permissions`.",
    ),
    ("404", "No such resource in the organization (one in another organization is not found either): `not_found`."),
    (
        "409",
        "A conflict: `concurrent_modification` when another change won a race (retry), `idempotency_in_flight` or `idempotency_outcome_unknown` for an Idempotency-Key, or the route's own codes.",
    ),
    ("412", "`If-Match` names no current entity tag of the resource: `precondition_failed`. Read it again and retry."),
    ("413", "The request body is larger than 64 KiB: `payload_too_large`."),
    ("415", "A body that is not JSON (`Content-Type: application/json`): `unsupported_media_type`."),
    ("422", "A field or query parameter does not fit: `validation_failed`, with `errors[]` naming each field."),
    ("429", "A rate limit or quota is exhausted: `rate_limited`, `quota_exceeded`; `Retry-After` says when to retry."),
    ("503", "A dependency is unavailable or throttled: `service_unavailable`; `Retry-After` says when to retry."),
];

/// Request bodies that take exactly one of two fields (their handlers
/// refuse both or neither): JSON Schema says so with a `oneOf`, which
/// utoipa's derive cannot write.
const EXACTLY_ONE_OF: [(&str, [&str; 2]); 2] =
    [("AddMember", ["user_id", "email"]), ("Revoke", ["jti", "issued_before"])];

/// Tagged unions whose variants take no other field (serde's
/// `deny_unknown_fields` on an enum, which utoipa's derive does not carry
/// to the variants).
const CLOSED_UNIONS: [&str; 2] = ["ArgumentRule", "CredentialPlacement"];

fn header_ref(name: &str) -> serde_json::Value {
    serde_json::json!({ "$ref": format!("#/components/headers/{name}") })
}

fn complete_json(doc: &mut serde_json::Value) {
    use serde_json::{Value, json};
    let components = &mut doc["components"];
    components["headers"] = json!({
        "X-Request-Id": { "description": "The request's id: the client's `X-Request-Id` when it is 1–128 visible ASCII characters, else a new one. Problem documents repeat it as `request_id`.", "schema": { "type": "string" } },
        "X-API-Version": { "description": "The API version that answered.", "schema": { "type": "string", "example": crate::edge::http::API_VERSION } },
        "RateLimit": { "description": "IETF RateLimit: the tightest policy's remaining quota and seconds to its reset, e.g. `\"org\";r=97;t=42`.", "schema": { "type": "string" } },
        "RateLimit-Policy": { "description": "IETF RateLimit-Policy: every policy that applied, e.g. `\"org\";q=100;w=60, \"principal-write\";q=10;w=60`.", "schema": { "type": "string" } },
        "Retry-After": { "description": "Seconds to wait before retrying.", "schema": { "type": "integer", "minimum": 1 } },
        "Idempotent-Replayed": { "description": "`true` when this is the stored answer to an earlier request with the same `Idempotency-Key`.", "schema": { "type": "string", "enum": ["true"] } },
        "WWW-Authenticate": { "description": "`Bearer`: the scheme the route accepts.", "schema": { "type": "string" } },
        "Deprecation": { "description": "RFC 9745: the operation is deprecated, since this time (`@` and seconds since the epoch).", "schema": { "type": "string", "pattern": "^@-?[0-9]+$" } },
        "Sunset": { "description": "RFC 8594: when the deprecated operation stops being served (an HTTP-date).", "schema": { "type": "string" } },
        "Link": { "description": "RFC 8288 links: `rel=\"deprecation\"` to the operation's entry in the API reference (on deprecated operations), `rel=\"next\"` to the next page (CSV downloads).", "schema": { "type": "string" } },
    });
    components["securitySchemes"] = json!({
        "bearer": { "type": "http", "scheme": "bearer", "bearerFormat": "JWT", "description": "A user's token: from the configured OIDC issuer, or `cargo run -- token` locally." },
        "publicKey": { "type": "http", "scheme": "bearer", "bearerFormat": "pk_live_…", "description": "A `public` API key: client-safe, read-only (`projects:read`, `usage:read`)." },
        "secretKey": { "type": "http", "scheme": "bearer", "bearerFormat": "sk_live_…", "description": "A `secret` API key: server-side, limited to its scopes." },
        "serviceRoleKey": { "type": "http", "scheme": "bearer", "bearerFormat": "sr_live_…", "description": "A `service_role` API key: everything in its project its creator may do." },
        "mcpKey": { "type": "http", "scheme": "bearer", "bearerFormat": "mcp_live_…", "description": "An `mcp` API key: only the MCP gateway (`/mcp`) accepts it; it holds no REST permission." },
        "apiKeyHeader": { "type": "apiKey", "in": "header", "name": "X-API-Key", "description": "Any REST API key sent as `X-API-Key` instead of `Authorization: Bearer`." },
    });
    let schemas = doc["components"]["schemas"].clone();
    refer_list_items(doc, &schemas);
    distribute_flattened_unions(doc, &schemas);
    for (schema, [a, b]) in EXACTLY_ONE_OF {
        if let Some(object) = doc["components"]["schemas"].get_mut(schema).and_then(Value::as_object_mut) {
            let given = |name: &str, other: &str| json!({ "required": [name], "properties": { name: { "not": { "type": "null" } }, other: { "type": "null" } } });
            object.insert("oneOf".into(), json!([given(a, b), given(b, a)]));
        }
    }
    for schema in CLOSED_UNIONS {
        let variants = doc["components"]["schemas"][schema]["oneOf"].as_array_mut();
        for variant in variants.into_iter().flatten() {
            variant["additionalProperties"] = json!(false);
        }
    }
    // Bodies with a field whose schema depends on the kind they name: `if`
    // the kind is this, `then` the field is that.
    for (schema, kind, field, cases) in [
        ("CreateKey", "type", "scopes", crate::base::access::scopes_by_key_type()),
        ("CreateCredential", "kind", "value", crate::domain::credential::values_by_kind()),
        ("CreateSource", "kind", "connector", crate::domain::source::config::connectors_by_kind()),
    ] {
        let mut conditions: Value = cases
            .into_iter()
            .map(|(value, then)| {
                json!({
                    "if": { "required": [kind], "properties": { kind: { "const": value } } },
                    "then": { "properties": { field: then } },
                })
            })
            .collect();
        // Referenced schemas are written out: generators resolve a `$ref`
        // inside a condition poorly.
        inline_refs(&mut conditions, &schemas);
        if let Some(object) = doc["components"]["schemas"].get_mut(schema).and_then(Value::as_object_mut) {
            object.insert("allOf".into(), conditions);
        }
    }
    let keys_or_token = json!([{ "bearer": [] }, { "publicKey": [] }, { "secretKey": [] }, { "serviceRoleKey": [] }, { "apiKeyHeader": [] }]);
    let Some(paths) = doc["paths"].as_object_mut() else { return };
    for (path, item) in paths.iter_mut() {
        for method in METHODS {
            let Some(operation) = item.get_mut(method).and_then(Value::as_object_mut) else { continue };
            let authenticated = operation.get("security").is_some();
            if authenticated {
                operation.insert("security".into(), keys_or_token.clone());
            }
            if method == "post" {
                add_idempotency_key(operation);
            }
            type_path_ids(operation);
            let conditional = type_if_match(operation);
            if authenticated {
                add_org_header(operation);
                add_version_pin(operation);
            }
            let deprecated = crate::edge::http::deprecation::find(method, path);
            if let Some(d) = deprecated {
                operation.insert("deprecated".into(), json!(true));
                let description = operation.get("description").and_then(Value::as_str).unwrap_or_default();
                let note = format!("**Deprecated**; served until {}. Use instead: {}", d.sunset, d.instead);
                let description = if description.is_empty() { note } else { format!("{description}\n\n{note}") };
                operation.insert("description".into(), json!(description));
            }
            let names_a_resource = path.contains('{');
            let takes_body = method != "get";
            let responses = operation.entry("responses").or_insert_with(|| json!({}));
            let Some(responses) = responses.as_object_mut() else { continue };
            for (status, description) in COMMON_PROBLEMS {
                let applies = match status {
                    "401" | "403" | "429" => authenticated,
                    "404" => names_a_resource,
                    "412" => conditional,
                    "409" | "413" | "415" => takes_body,
                    _ => true,
                };
                if applies && !responses.contains_key(status) {
                    responses.insert(status.into(), json!({ "content": { "application/problem+json": { "schema": { "$ref": "#/components/schemas/Problem" } } } }));
                }
                if let Some(response) = responses.get_mut(status)
                    && response.get("description").is_none_or(|d| d.as_str() == Some(""))
                {
                    response["description"] = json!(description);
                }
            }
            for (status, response) in responses.iter_mut() {
                let Some(response) = response.as_object_mut() else { continue };
                if response.get("description").is_none_or(|d| d.as_str() == Some("")) {
                    response.insert("description".into(), json!(reason(status)));
                }
                let headers = response.entry("headers").or_insert_with(|| json!({}));
                let Some(headers) = headers.as_object_mut() else { continue };
                let mut add = |name: &str| {
                    headers.entry(name).or_insert_with(|| header_ref(name));
                };
                add("X-Request-Id");
                add("X-API-Version");
                if authenticated {
                    add("RateLimit");
                    add("RateLimit-Policy");
                }
                if status == "429" || status == "503" {
                    add("Retry-After");
                }
                if status == "401" {
                    add("WWW-Authenticate");
                }
                if method == "post" {
                    add("Idempotent-Replayed");
                }
                if deprecated.is_some() {
                    add("Deprecation");
                    add("Sunset");
                    add("Link");
                }
            }
        }
    }
}

/// utoipa writes a generic list's items (`ListResponse<Project>`) out in
/// full; they are referred to instead, so a generated client has one
/// `Project` type, not a copy per list.
fn refer_list_items(doc: &mut serde_json::Value, schemas: &serde_json::Value) {
    let Some(all) = doc["components"]["schemas"].as_object_mut() else { return };
    for (name, schema) in all.iter_mut() {
        let Some(item) = name.strip_prefix("ListResponse_") else { continue };
        let items = &mut schema["properties"]["data"]["items"];
        if schemas.get(item).is_some_and(|s| s == items) {
            *items = serde_json::json!({ "$ref": format!("#/components/schemas/{item}") });
        }
    }
}

/// Replaces each `$ref` to a component schema with the schema itself.
fn inline_refs(value: &mut serde_json::Value, schemas: &serde_json::Value) {
    use serde_json::Value;
    match value {
        Value::Object(object) => {
            let target =
                object.get("$ref").and_then(Value::as_str).and_then(|r| r.strip_prefix("#/components/schemas/"));
            if let Some(name) = target {
                let mut resolved = schemas[name].clone();
                inline_refs(&mut resolved, schemas);
                *value = resolved;
            } else {
                object.values_mut().for_each(|v| inline_refs(v, schemas));
            }
        }
        Value::Array(items) => items.iter_mut().for_each(|v| inline_refs(v, schemas)),
        _ => {}
    }
}

/// A struct that flattens a tagged enum is `allOf: [the enum's oneOf, the
/// struct's fields]`; code generators take `allOf` of objects only, so it
/// is rewritten as the equivalent `oneOf` of `allOf: [variant, fields]`.
fn distribute_flattened_unions(value: &mut serde_json::Value, schemas: &serde_json::Value) {
    use serde_json::Value;
    match value {
        Value::Object(object) => {
            let union = object.get("allOf").and_then(Value::as_array).and_then(|parts| {
                parts.iter().enumerate().find_map(|(i, part)| {
                    let name = part["$ref"].as_str()?.strip_prefix("#/components/schemas/")?;
                    schemas[name]["oneOf"].as_array().map(|variants| (i, variants.clone()))
                })
            });
            if let Some((i, variants)) = union {
                let mut rest = object.remove("allOf").and_then(|v| v.as_array().cloned()).unwrap_or_default();
                rest.remove(i);
                let one_of = variants
                    .into_iter()
                    .map(|variant| serde_json::json!({ "allOf": std::iter::once(variant).chain(rest.iter().cloned()).collect::<Vec<_>>() }))
                    .collect();
                object.insert("oneOf".into(), Value::Array(one_of));
            }
            object.values_mut().for_each(|v| distribute_flattened_unions(v, schemas));
        }
        Value::Array(items) => items.iter_mut().for_each(|v| distribute_flattened_unions(v, schemas)),
        _ => {}
    }
}

/// Path parameters that name a resource by its id take the id's pattern
/// (routes declare them as strings: an unknown or malformed id is 404).
fn type_path_ids(operation: &mut serde_json::Map<String, serde_json::Value>) {
    use crate::base::ids::*;
    use utoipa::PartialSchema;
    let Some(parameters) = operation.get_mut("parameters").and_then(|p| p.as_array_mut()) else { return };
    for parameter in parameters.iter_mut().filter(|p| p["in"] == "path") {
        let schema = match parameter["name"].as_str().unwrap_or_default() {
            "org_id" => OrgId::schema(),
            "project_id" => ProjectId::schema(),
            "key_id" => KeyId::schema(),
            "job_id" | "export_id" => JobId::schema(),
            "source_id" => SourceId::schema(),
            "credential_id" => CredentialId::schema(),
            "schedule_id" => ScheduleId::schema(),
            "evidence_id" => EvidenceId::schema(),
            "binding_id" => BindingId::schema(),
            "webhook_id" => WebhookId::schema(),
            "mcp_server_id" => McpServerId::schema(),
            "delivery_id" => DeliveryId::schema(),
            "plan_id" => PlanId::schema(),
            "target" => utoipa::openapi::ObjectBuilder::new()
                .schema_type(utoipa::openapi::schema::Type::String)
                .pattern(Some(
                    r"^(source:[a-z_.]+|[a-z][a-z_]*|[a-z][a-z0-9]*(-[a-z0-9]+)*__(\*|[A-Za-z0-9_.-]{1,128}))$",
                ))
                .max_length(Some(170))
                .into(),
            _ => continue,
        };
        parameter["schema"] = serde_json::to_value(schema).unwrap_or_default();
    }
}

/// `If-Match` as the edge reads it: `*`, or a list of quoted entity tags
/// (weak ones never match). Returns whether the operation takes it.
fn type_if_match(operation: &mut serde_json::Map<String, serde_json::Value>) -> bool {
    let Some(parameters) = operation.get_mut("parameters").and_then(|p| p.as_array_mut()) else { return false };
    let mut found = false;
    for parameter in parameters.iter_mut().filter(|p| p["in"] == "header" && p["name"] == "If-Match") {
        found = true;
        parameter["required"] = false.into();
        parameter["schema"] = serde_json::json!({
            "type": "string",
            "pattern": r#"^[ \t]*(\*|(W/)?"[\x21\x23-\x7e]*"([ \t]*,[ \t]*(W/)?"[\x21\x23-\x7e]*")*)[ \t]*$"#,
            "examples": ["\"3\""],
        });
    }
    found
}

/// The operation's parameters (made an empty list where it has none).
fn parameters(operation: &mut serde_json::Map<String, serde_json::Value>) -> &mut Vec<serde_json::Value> {
    let parameters = operation.entry("parameters").or_insert_with(|| serde_json::json!([]));
    if !parameters.is_array() {
        *parameters = serde_json::json!([]);
    }
    parameters.as_array_mut().expect("made a list above")
}

/// An optional request header.
fn optional_header(name: &str, description: &str, schema: serde_json::Value) -> serde_json::Value {
    serde_json::json!({ "name": name, "in": "header", "required": false, "description": description, "schema": schema })
}

/// `X-Org-Id`: every authenticated route takes it.
fn add_org_header(operation: &mut serde_json::Map<String, serde_json::Value>) {
    use utoipa::PartialSchema;
    let schema = serde_json::to_value(crate::base::ids::OrgId::schema()).expect("a schema serializes");
    parameters(operation).push(optional_header(
        "X-Org-Id",
        "The organization, when the token names none and you belong to several.",
        schema,
    ));
}

/// `X-API-Version` as a request header: the version a client pins
/// (docs/versioning.md).
fn add_version_pin(operation: &mut serde_json::Map<String, serde_json::Value>) {
    parameters(operation).push(optional_header(
        "X-API-Version",
        "The API version the client was written for; another than the server's is 400 `unsupported_api_version`.",
        serde_json::json!({ "type": "string", "enum": crate::edge::http::SUPPORTED_API_VERSIONS }),
    ));
}

/// `Idempotency-Key` on a POST: added where the operation does not
/// declare it, and with the edge's grammar where it does (those routes
/// require it and say why).
fn add_idempotency_key(operation: &mut serde_json::Map<String, serde_json::Value>) {
    // Visible ASCII, optionally quoted (`""` would be an empty key).
    let schema = serde_json::json!({ "type": "string", "minLength": 1, "maxLength": 255, "pattern": r#"^(?!""$)[\x21-\x7e]+$"# });
    let parameters = parameters(operation);
    let declared =
        parameters.iter_mut().find(|p| p["name"].as_str().is_some_and(|n| n.eq_ignore_ascii_case("idempotency-key")));
    match declared {
        Some(declared) => declared["schema"] = schema,
        None => parameters.push(optional_header(
            "Idempotency-Key",
            "Makes the POST safe to retry: the same key and request within 24 hours replays the first \
             response (`Idempotent-Replayed: true`); the same key with another request is 422; while the \
             first is still running, 409. 1–255 visible ASCII characters.",
            schema,
        )),
    }
}

/// The status's reason phrase, as a response's description of last resort.
fn reason(status: &str) -> String {
    status
        .parse::<u16>()
        .ok()
        .and_then(|s| axum::http::StatusCode::from_u16(s).ok())
        .and_then(|s| s.canonical_reason())
        .unwrap_or("Response")
        .to_owned()
}
