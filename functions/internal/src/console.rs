//! The web console at `/`: static assets built from `console/` (Preact and
//! the generated TypeScript client, bundled by `scripts/build-console` and
//! committed), served from the binary so that `cargo run` needs no Node.
//! The console holds no data of its own: it calls the public API with the
//! user's own token. `console/config.json` tells it where that API is and
//! how people sign in here.

use axum::Router;
use axum::http::header;
use axum::response::IntoResponse;
use axum::routing::get;
use controlplane::AppState;
use controlplane::edge::http::console::origin;
use serde_json::json;

pub const PAGE_PATH: &str = "/";
pub const SCRIPT_PATH: &str = "/console/app.js";
pub const STYLE_PATH: &str = "/console/app.css";
pub const CONFIG_PATH: &str = "/console/config.json";

const PAGE: &str = include_str!("../../../console/dist/index.html");
const SCRIPT: &str = include_str!("../../../console/dist/app.js");
const STYLE: &str = include_str!("../../../console/dist/app.css");

/// The console's configuration document for this deployment.
pub fn config(state: &AppState) -> serde_json::Value {
    let settings = &state.console;
    let oidc = match (&state.oidc, &settings.oidc_client_id) {
        (Some(oidc), Some(client_id)) => json!({
            "issuer": oidc.config().issuer,
            "client_id": client_id,
            "scope": settings.oidc_scope,
            "audience": settings.oidc_audience,
        }),
        _ => serde_json::Value::Null,
    };
    json!({
        "api_base": settings.api_url.clone().unwrap_or_default(),
        "development_tokens": state.accepts_development_tokens(),
        "oidc": oidc,
    })
}

/// What the page may load and reach: its own script and styles; the API
/// (its own origin, or the configured one) and the OIDC issuer (discovery
/// and the token exchange); nothing else, and no framing.
pub fn policy(state: &AppState) -> String {
    let mut connect = vec!["'self'".to_owned()];
    let issuer = state.oidc.as_ref().filter(|_| state.console.oidc_client_id.is_some());
    let others = [state.console.api_url.as_deref(), issuer.map(|o| o.config().issuer.as_str())];
    connect.extend(others.into_iter().flatten().filter_map(origin));
    connect.dedup();
    format!(
        "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src {}; \
         base-uri 'none'; form-action 'self'; frame-ancestors 'none'",
        connect.join(" ")
    )
}

/// `router` with the console's page, assets and configuration.
pub fn routes(router: Router<AppState>, state: &AppState) -> Router<AppState> {
    let policy = policy(state);
    let config = config(state).to_string();
    let asset = |content_type: &'static str, body: &'static str| {
        get(move || async move { ([(header::CONTENT_TYPE, content_type), (header::CACHE_CONTROL, "no-cache")], body) })
    };
    router
        .route(
            PAGE_PATH,
            get(move || async move {
                (
                    [
                        (header::CONTENT_TYPE, "text/html; charset=utf-8"),
                        (header::CACHE_CONTROL, "no-cache"),
                        (header::CONTENT_SECURITY_POLICY, policy.as_str()),
                    ],
                    PAGE,
                )
                    .into_response()
            }),
        )
        .route(SCRIPT_PATH, asset("text/javascript; charset=utf-8", SCRIPT))
        .route(STYLE_PATH, asset("text/css; charset=utf-8", STYLE))
        .route(
            CONFIG_PATH,
            get(move || async move {
                ([(header::CONTENT_TYPE, "application/json"), (header::CACHE_CONTROL, "no-cache")], config)
            }),
        )
}
