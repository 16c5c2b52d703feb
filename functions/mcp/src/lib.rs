//! The `mcp` function: the MCP gateway at `/mcp`. Agents reach the control
//! plane's own tools through it with an `mcp` key, on the official Rust
//! SDK's streamable HTTP transport, stateless (no session to keep between
//! requests, JSON answers): any instance answers any request, as Lambda
//! needs.

mod bindings;
mod builtin;
mod gateway;
mod server;
mod servers;

use std::sync::Arc;

use axum::Router;
use axum::middleware;
use controlplane::AppState;
use rmcp::transport::streamable_http_server::session::never::NeverSessionManager;
use rmcp::transport::streamable_http_server::{StreamableHttpServerConfig, StreamableHttpService};

pub use server::Gateway;

/// Where the gateway is served.
pub use controlplane::edge::http::MCP_PATH as PATH;

/// The transport's settings: no sessions (any instance answers), JSON
/// answers rather than event streams, and the shared body limit. The
/// transport's own `Host` check is off: the shared middleware checks
/// `Host` where the deployment names its hosts, and a rebinding page could
/// not send the `mcp` key every request needs anyway.
fn transport() -> StreamableHttpServerConfig {
    StreamableHttpServerConfig::default()
        .with_legacy_session_mode(false)
        .with_json_response(true)
        .with_sse_keep_alive(None)
        .disable_allowed_hosts()
        .with_max_request_body_bytes(controlplane::edge::http::MAX_BODY_BYTES)
}

/// The REST routes of the registered upstream servers.
pub mod rest {
    use crate::{bindings, servers};

    controlplane::function_routes! {
        servers::create_mcp_server, servers::list_mcp_servers;
        servers::get_mcp_server, servers::update_mcp_server, servers::delete_mcp_server;
        servers::discover_mcp_server;
        servers::list_mcp_server_tools;
        servers::approve_mcp_tool;
        bindings::list_mcp_policy_bindings, bindings::create_mcp_policy_binding;
        bindings::delete_mcp_policy_binding;
    }
}

pub use rest::api;

/// The `/mcp` route behind the gateway's door, for a router the shared
/// middleware wraps (this function's, or the local server's, which lists
/// the REST routes with every other function's).
pub fn gateway_routes(state: AppState) -> Router<AppState> {
    let gateway = Gateway::new(state.clone());
    let service =
        StreamableHttpService::new(move || Ok(gateway.clone()), Arc::new(NeverSessionManager::default()), transport());
    Router::new().route_service(PATH, service).layer(middleware::from_fn_with_state(state, gateway::authenticate))
}

/// The function's router: the gateway and the REST routes.
pub fn app(state: AppState) -> Router {
    controlplane::edge::http::lambda_router(gateway_routes(state.clone()).merge(rest::routes()), state)
}

/// Serves the gateway over stdin and stdout, for a desktop client that
/// launches it (`cargo run -- mcp-stdio`), as `key`: each message passes the
/// door `/mcp` would open for that key (so calls count, are limited and are
/// audited the same way). A key refused at start ends it at once.
#[cfg(feature = "stdio")]
pub async fn serve_stdio(state: AppState, key: String) -> Result<(), String> {
    use rmcp::ServiceExt;
    if let Err(refused) = gateway::Gate::for_key(&key, &state).await {
        let problem = refused.to_problem();
        return Err(format!("CONTROLPLANE_MCP_KEY is refused: {} ({})", problem.detail, problem.code));
    }
    let running = Gateway::with_key(state, key).serve(rmcp::transport::stdio()).await.map_err(|e| e.to_string())?;
    running.waiting().await.map_err(|e| e.to_string())?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use controlplane::domain::apikey::KeyType;
    use controlplane::testing::{call, event, key_in, org_owned_by, project_in, sqlite_state, token};
    use serde_json::Value;

    fn names(tools: &Value) -> Vec<&str> {
        tools["result"]["tools"].as_array().expect("tools").iter().map(|t| t["name"].as_str().unwrap()).collect()
    }

    #[tokio::test]
    async fn an_api_gateway_tools_list_event_lists_only_the_tools_the_keys_scopes_grant() {
        let test = sqlite_state();
        let org = org_owned_by(&test.state, "alice").await;
        let (project, _) = project_in(&test.state, &org, "checkout").await;
        let scopes = ["mcp:tool:jobs_list", "mcp:tool:projects_get"];
        let key = key_in(&test.state, &org, &project, "alice", KeyType::Mcp, &scopes).await;
        let (status, headers, body) =
            call(super::app(test.state.clone()), event("apigw-mcp-tools-list.json", Some(&key))).await;
        assert_eq!(status, 200, "{body}");
        assert_eq!(headers["content-type"], "application/json");
        assert_eq!(body["id"], 7);
        assert_eq!(names(&body), ["projects_get", "jobs_list"]);
        let schema = &body["result"]["tools"][1]["inputSchema"];
        assert_eq!(schema["type"], "object");
        assert_eq!(schema["properties"]["status"]["enum"][0], "pending", "{schema}");
        assert!(headers.contains_key("ratelimit"), "counted like a REST request: {headers:?}");
        let hints = &body["result"]["tools"][1]["annotations"];
        assert_eq!((hints["readOnlyHint"].as_bool(), hints["destructiveHint"].as_bool()), (Some(true), Some(false)));
    }

    #[tokio::test]
    async fn an_api_gateway_tools_call_event_runs_the_jobs_route_as_the_key() {
        let test = sqlite_state();
        let org = org_owned_by(&test.state, "alice").await;
        let (project, job) = project_in(&test.state, &org, "checkout").await;
        let key = key_in(&test.state, &org, &project, "alice", KeyType::Mcp, &["mcp:*"]).await;
        let (status, _, body) =
            call(super::app(test.state.clone()), event("apigw-mcp-tools-call.json", Some(&key))).await;
        assert_eq!(status, 200, "{body}");
        let result = &body["result"];
        assert_eq!(result["isError"], false, "{body}");
        assert_eq!(result["structuredContent"]["data"][0]["id"], job.as_str());
        let text: Value = serde_json::from_str(result["content"][0]["text"].as_str().unwrap()).unwrap();
        assert_eq!(text, result["structuredContent"]);
    }

    #[tokio::test]
    async fn the_gateway_refuses_a_user_token_and_every_other_key_type_with_401() {
        let test = sqlite_state();
        let org = org_owned_by(&test.state, "alice").await;
        let (project, _) = project_in(&test.state, &org, "checkout").await;
        let secret = key_in(&test.state, &org, &project, "alice", KeyType::ServiceRole, &["*"]).await;
        for credential in [Some(token(&test.state, "alice")), Some(secret), None] {
            let request = event("apigw-mcp-tools-list.json", credential.as_deref());
            let (status, headers, problem) = call(super::app(test.state.clone()), request).await;
            assert_eq!(status, 401, "{problem}");
            assert_eq!(headers["www-authenticate"], "Bearer");
            assert_eq!(headers["content-type"], "application/problem+json");
            let expected = if credential.is_some() { "mcp_key_required" } else { "missing_credentials" };
            assert_eq!(problem["code"], expected);
        }
    }

    #[tokio::test]
    async fn a_key_whose_creator_left_the_org_sees_no_tool_and_calls_none() {
        let test = sqlite_state();
        let org = org_owned_by(&test.state, "alice").await;
        let (project, _) = project_in(&test.state, &org, "checkout").await;
        let key = key_in(&test.state, &org, &project, "mallory", KeyType::Mcp, &["mcp:*"]).await;
        let (status, _, body) =
            call(super::app(test.state.clone()), event("apigw-mcp-tools-list.json", Some(&key))).await;
        assert_eq!(status, 200, "{body}");
        assert!(names(&body).is_empty(), "{body}");
        let (_, _, body) = call(super::app(test.state.clone()), event("apigw-mcp-tools-call.json", Some(&key))).await;
        assert_eq!(body["error"]["code"], -32602, "{body}");
        assert_eq!(body["error"]["message"], "unknown tool `jobs_list`");
    }

    #[tokio::test]
    async fn a_stdio_message_passes_the_door_with_the_keys_token_and_no_other() {
        let test = sqlite_state();
        let org = org_owned_by(&test.state, "alice").await;
        let (project, _) = project_in(&test.state, &org, "checkout").await;
        let mcp = key_in(&test.state, &org, &project, "alice", KeyType::Mcp, &["mcp:tool:jobs_list"]).await;
        let gate = crate::gateway::Gate::for_key(&mcp, &test.state).await.expect("the mcp key opens the door");
        assert_eq!(gate.ctx.meta().user_agent.as_deref(), Some("mcp-stdio"));
        let secret = key_in(&test.state, &org, &project, "alice", KeyType::ServiceRole, &["*"]).await;
        for refused in [secret.as_str(), "mcp_live_not_a_key", "line\nbreak"] {
            let problem = crate::gateway::Gate::for_key(refused, &test.state).await.unwrap_err().to_problem();
            assert_eq!(problem.status, 401, "{refused}");
            let error = crate::server::refusal(&problem);
            assert_eq!(error.code.0, -32001);
            assert_eq!(error.data.as_ref().map(|d| d["code"].clone()), Some(serde_json::json!(problem.code)));
        }
    }
}
