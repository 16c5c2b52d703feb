//! The API reference page at `/v1/docs`: Redoc over the live document
//! (`/v1/openapi.json`). Redoc's bundle is vendored from the npm registry
//! (`scripts/vendor-redoc`) and served from the binary, so the page works
//! offline and loads nothing from elsewhere. Like the document, the page
//! holds no tenant data and needs no credentials.

use axum::Router;
use axum::http::header;
use axum::response::IntoResponse;
use axum::routing::get;
use controlplane::AppState;

pub const PAGE_PATH: &str = "/v1/docs";
pub const SCRIPT_PATH: &str = "/v1/docs/redoc.standalone.js";

/// Redoc's standalone bundle (its licence is in `assets/redoc.LICENSE.txt`).
const REDOC: &[u8] = include_bytes!("../assets/redoc.standalone.js");

/// Paths are relative to `/v1/docs`, so the page works under any prefix
/// (an API Gateway stage, a proxy).
const PAGE: &str = r#"<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Control plane API reference</title>
</head>
<body>
<redoc spec-url="openapi.json"></redoc>
<script src="docs/redoc.standalone.js"></script>
</body>
</html>
"#;

/// `router` with the page and its script.
pub fn routes(router: Router<AppState>) -> Router<AppState> {
    router.route(PAGE_PATH, get(page)).route(SCRIPT_PATH, get(script))
}

/// What the page may load: its own script and the document from this
/// origin, the styles and the search worker Redoc makes itself; nothing
/// from elsewhere.
pub const PAGE_POLICY: &str = "default-src 'none'; script-src 'self'; style-src 'self' 'unsafe-inline'; \
     img-src 'self' data:; font-src 'self' data:; connect-src 'self'; worker-src blob:; frame-ancestors 'none'";

async fn page() -> impl IntoResponse {
    (
        [
            (header::CONTENT_TYPE, "text/html; charset=utf-8"),
            (header::CACHE_CONTROL, "no-cache"),
            (header::CONTENT_SECURITY_POLICY, PAGE_POLICY),
        ],
        PAGE,
    )
}

async fn script() -> impl IntoResponse {
    (
        [(header::CONTENT_TYPE, "text/javascript; charset=utf-8"), (header::CACHE_CONTROL, "public, max-age=86400")],
        REDOC,
    )
}
