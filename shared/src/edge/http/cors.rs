//! CORS for browser clients on other origins (the console, a developer
//! portal): tower-http's `CorsLayer`, applied only to requests whose
//! `Origin` the deployment allows (`CONTROLPLANE_CORS_ORIGINS`). Any other
//! request passes by it untouched, so a disallowed origin gets no CORS
//! header at all, and its preflight the answer the route itself gives.
//!
//! A preflight carries no credentials, so it is answered before
//! authentication; the request it clears is authenticated as any other.

use std::sync::Arc;
use std::time::Duration;

use axum::extract::{Request, State};
use axum::http::{HeaderName, HeaderValue, Method, header};
use axum::middleware::Next;
use axum::response::Response;
use tower::{Layer, ServiceExt};
use tower_http::cors::{AllowOrigin, CorsLayer};

use crate::AppState;

/// The origins a deployment lets browsers call the API from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum CorsOrigins {
    /// `*`: any origin (the API takes bearer tokens, never cookies).
    Any,
    /// Exact origins (`https://console.example.com`), as browsers send them.
    List(Arc<[HeaderValue]>),
}

/// Request headers a browser client may send.
pub const ALLOWED_HEADERS: [&str; 8] = [
    "authorization",
    "content-type",
    "idempotency-key",
    "if-match",
    "x-org-id",
    "x-request-id",
    "x-api-version",
    "x-api-key",
];

/// Response headers a browser client may read.
pub const EXPOSED_HEADERS: [&str; 11] = [
    "etag",
    "location",
    "link",
    "retry-after",
    "ratelimit",
    "ratelimit-policy",
    "x-request-id",
    "x-api-version",
    "idempotent-replayed",
    "deprecation",
    "sunset",
];

/// The origins and the layer that answers for them, built once at start.
#[derive(Debug, Clone)]
pub struct Cors {
    origins: CorsOrigins,
    layer: CorsLayer,
}

impl Cors {
    pub fn new(origins: CorsOrigins) -> Self {
        let layer = origins.layer();
        Self { origins, layer }
    }
}

impl CorsOrigins {
    /// Reads `CONTROLPLANE_CORS_ORIGINS`' value: origins separated by
    /// commas (`https://console.example.com,http://localhost:5173`), or
    /// `*`. Empty: no origin (no CORS).
    pub fn parse(raw: &str) -> Result<Option<Self>, String> {
        let origins: Vec<&str> = raw.split(',').map(str::trim).filter(|s| !s.is_empty()).collect();
        if origins.is_empty() {
            return Ok(None);
        }
        if origins == ["*"] {
            return Ok(Some(Self::Any));
        }
        let mut list = Vec::with_capacity(origins.len());
        for origin in origins {
            let url = url::Url::parse(origin).map_err(|e| format!("`{origin}` is not an origin: {e}"))?;
            let serialized = url.origin().ascii_serialization();
            if !matches!(url.scheme(), "https" | "http") || serialized != origin.trim_end_matches('/') {
                return Err(format!(
                    "`{origin}` is not an origin such as https://console.example.com (a scheme, a host and a port, \
                     no path; `*` alone for any)"
                ));
            }
            list.push(HeaderValue::from_str(&serialized).map_err(|e| e.to_string())?);
        }
        Ok(Some(Self::List(list.into())))
    }

    fn allows(&self, origin: &HeaderValue) -> bool {
        match self {
            Self::Any => true,
            Self::List(list) => list.contains(origin),
        }
    }

    fn layer(&self) -> CorsLayer {
        let origin = match self {
            Self::Any => AllowOrigin::any(),
            Self::List(list) => AllowOrigin::list(list.iter().cloned()),
        };
        CorsLayer::new()
            .allow_origin(origin)
            .allow_methods([Method::GET, Method::POST, Method::PUT, Method::PATCH, Method::DELETE])
            .allow_headers(ALLOWED_HEADERS.map(HeaderName::from_static))
            .expose_headers(EXPOSED_HEADERS.map(HeaderName::from_static))
            .max_age(Duration::from_secs(600))
    }
}

/// The middleware: `CorsLayer` around the rest of the stack for an allowed
/// origin, nothing otherwise.
pub(super) async fn cors(State(state): State<AppState>, request: Request, next: Next) -> Response {
    let Some(cors) = &state.cors else { return next.run(request).await };
    if !request.headers().get(header::ORIGIN).is_some_and(|origin| cors.origins.allows(origin)) {
        return next.run(request).await;
    }
    let route = tower::service_fn(move |request: Request| {
        let next = next.clone();
        async move { Ok::<_, std::convert::Infallible>(next.run(request).await) }
    });
    let Ok(response) = cors.layer.layer(route).oneshot(request).await;
    response
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn origins_are_exact_origins_or_a_lone_star() {
        assert_eq!(CorsOrigins::parse(""), Ok(None));
        assert_eq!(CorsOrigins::parse(" , "), Ok(None));
        assert_eq!(CorsOrigins::parse("*"), Ok(Some(CorsOrigins::Any)));
        let list = CorsOrigins::parse("https://console.example.com, http://localhost:5173/").unwrap().unwrap();
        assert!(list.allows(&HeaderValue::from_static("https://console.example.com")));
        assert!(list.allows(&HeaderValue::from_static("http://localhost:5173")));
        assert!(!list.allows(&HeaderValue::from_static("https://evil.example.com")));
        assert!(!list.allows(&HeaderValue::from_static("http://console.example.com")));
        for bad in ["console.example.com", "https://console.example.com/app", "ftp://x.example", "*, https://a.example"]
        {
            assert!(CorsOrigins::parse(bad).is_err(), "{bad}");
        }
    }
}
