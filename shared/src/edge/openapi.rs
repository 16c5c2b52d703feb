//! The base OpenAPI document; each function adds its paths through
//! `utoipa_axum::router::OpenApiRouter`.

use utoipa::openapi::security::{HttpAuthScheme, HttpBuilder, SecurityScheme};
use utoipa::{Modify, OpenApi};

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
    modifiers(&BearerAuth),
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

struct BearerAuth;

impl Modify for BearerAuth {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        let components = openapi.components.get_or_insert_with(Default::default);
        components.add_security_scheme(
            "bearer",
            SecurityScheme::Http(HttpBuilder::new().scheme(HttpAuthScheme::Bearer).bearer_format("JWT").build()),
        );
    }
}

/// Adds what the shared middleware gives every route to the merged document:
/// the `Idempotency-Key` header on each POST.
pub fn document_middleware(spec: &mut utoipa::openapi::OpenApi) {
    use utoipa::openapi::Required;
    use utoipa::openapi::path::{ParameterBuilder, ParameterIn};
    use utoipa::openapi::schema::{ObjectBuilder, Type};

    for item in spec.paths.paths.values_mut() {
        let Some(post) = item.post.as_mut() else { continue };
        let key = ParameterBuilder::new()
            .name("Idempotency-Key")
            .parameter_in(ParameterIn::Header)
            .required(Required::False)
            .description(Some(
                "Makes the POST safe to retry: the same key and request within 24 hours replays the first \
                 response (`Idempotent-Replayed: true`); the same key with another request is 422; while the \
                 first is still running, 409. 1–255 visible ASCII characters.",
            ))
            .schema(Some(ObjectBuilder::new().schema_type(Type::String).max_length(Some(255))))
            .build();
        post.parameters.get_or_insert_with(Vec::new).push(utoipa::openapi::RefOr::T(key));
    }
}
