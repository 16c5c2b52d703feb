//! The base OpenAPI document; each function adds its paths through
//! `utoipa_axum::router::OpenApiRouter`.

use utoipa::openapi::security::{HttpAuthScheme, HttpBuilder, SecurityScheme};
use utoipa::{Modify, OpenApi};

use crate::error::{FieldError, Problem};

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
    components(schemas(Problem, FieldError)),
    tags(
        (name = "orgs", description = "Organizations (tenants) and their members"),
        (name = "projects", description = "Projects inside an organization"),
        (name = "audit", description = "The organization's audit log"),
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
