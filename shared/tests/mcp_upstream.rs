//! The upstream MCP client against a stand-in server — the official SDK's
//! own server, stateful (sessions) like most deployed ones — on 127.0.0.1.

use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Duration;

use axum::Router;
use controlplane::ports::mcp_upstream::{McpUpstream, RmcpUpstream, Upstream, UpstreamCredential, UpstreamError};
use rmcp::model::{
    CallToolRequestParams, CallToolResponse, CallToolResult, ContentBlock, ListToolsResult, PaginatedRequestParams,
    ServerCapabilities, ServerConfig, Tool,
};
use rmcp::service::RequestContext;
use rmcp::transport::streamable_http_server::session::local::LocalSessionManager;
use rmcp::transport::streamable_http_server::{StreamableHttpServerConfig, StreamableHttpService};
use rmcp::{ErrorData, RoleServer, ServerHandler};
use serde_json::{Map, Value, json};

#[derive(Clone)]
struct StandIn;

impl ServerHandler for StandIn {
    fn get_info(&self) -> ServerConfig {
        ServerConfig::new(ServerCapabilities::builder().enable_tools().build())
    }

    async fn list_tools(
        &self,
        _: Option<PaginatedRequestParams>,
        _: RequestContext<RoleServer>,
    ) -> Result<ListToolsResult, ErrorData> {
        let schema: Map<String, Value> =
            serde_json::from_value(json!({"type": "object", "properties": {"q": {"type": "string"}}})).unwrap();
        Ok(ListToolsResult::with_all_items(vec![
            Tool::new("echo", "Says what it was sent, and how it was authenticated", Arc::new(schema.clone())),
            Tool::new("big", "Answers a lot", Arc::new(schema.clone())),
            Tool::new("slow", "Answers late", Arc::new(schema)),
        ]))
    }

    async fn call_tool(
        &self,
        request: CallToolRequestParams,
        context: RequestContext<RoleServer>,
    ) -> Result<CallToolResponse, ErrorData> {
        let headers = context.extensions.get::<http::request::Parts>().map(|p| p.headers.clone()).unwrap_or_default();
        let header = |name: &str| headers.get(name).and_then(|v| v.to_str().ok()).map(str::to_owned);
        let text = match request.name.as_ref() {
            "big" => "x".repeat(64 * 1024),
            "slow" => {
                tokio::time::sleep(Duration::from_secs(5)).await;
                "late".to_owned()
            }
            _ => json!({
                "arguments": request.arguments,
                "authorization": header("authorization"),
                "x-api-key": header("x-api-key"),
            })
            .to_string(),
        };
        Ok(CallToolResult::success(vec![ContentBlock::text(text)]).into())
    }
}

/// Serves the stand-in at `/mcp` (and a redirect to it at `/moved`).
async fn stand_in() -> SocketAddr {
    let service = StreamableHttpService::new(
        || Ok(StandIn),
        Arc::new(LocalSessionManager::default()),
        StreamableHttpServerConfig::default().disable_allowed_hosts(),
    );
    let app = Router::new()
        .route_service("/mcp", service)
        .route("/moved", axum::routing::any(|| async { axum::response::Redirect::temporary("/mcp") }));
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    tokio::spawn(async move { axum::serve(listener, app).await });
    addr
}

fn upstream(addr: SocketAddr, path: &str, credential: Option<UpstreamCredential>) -> Upstream {
    // A name no DNS answers: the call reaches the server only through the
    // pinned address.
    let url = format!("http://upstream.invalid:{}{path}", addr.port()).parse().unwrap();
    Upstream { url, addr, credential }
}

fn client() -> RmcpUpstream {
    RmcpUpstream { timeout: Duration::from_secs(2), max_bytes: 16 * 1024 }
}

fn echoed(result: &Value) -> Value {
    serde_json::from_str(result["content"][0]["text"].as_str().expect("text content")).unwrap()
}

#[tokio::test]
async fn tools_are_listed_and_called_at_the_pinned_address_with_the_credential() {
    let addr = stand_in().await;
    let bearer = upstream(addr, "/mcp", Some(UpstreamCredential::Bearer("t0ken".into())));
    let tools = client().list_tools(&bearer).await.expect("the tools");
    let names: Vec<&str> = tools.iter().map(|t| t["name"].as_str().unwrap()).collect();
    assert_eq!(names, ["echo", "big", "slow"]);
    assert_eq!(tools[0]["inputSchema"]["properties"]["q"]["type"], "string");

    let arguments: Map<String, Value> = serde_json::from_value(json!({"q": "hello"})).unwrap();
    let called = client().call_tool(&bearer, "echo", arguments.clone()).await.expect("an answer");
    let seen = echoed(&called);
    assert_eq!(
        (seen["authorization"].as_str(), seen["arguments"]["q"].as_str()),
        (Some("Bearer t0ken"), Some("hello"))
    );

    let header = UpstreamCredential::Header(http::HeaderName::from_static("x-api-key"), "k3y".into());
    let seen = echoed(&client().call_tool(&upstream(addr, "/mcp", Some(header)), "echo", arguments).await.unwrap());
    assert_eq!((seen["x-api-key"].as_str(), seen["authorization"].as_str()), (Some("k3y"), None));
}

#[tokio::test]
async fn an_oversized_answer_a_slow_one_and_a_redirect_are_refused() {
    let addr = stand_in().await;
    let plain = upstream(addr, "/mcp", None);
    let big = client().call_tool(&plain, "big", Map::new()).await;
    assert!(matches!(big, Err(UpstreamError::Unreachable(_))), "{big:?}");
    let roomy = RmcpUpstream { max_bytes: 1024 * 1024, ..client() };
    assert!(roomy.call_tool(&plain, "big", Map::new()).await.is_ok(), "the limit is what refused it");
    let slow = client().call_tool(&plain, "slow", Map::new()).await;
    assert_eq!(slow, Err(UpstreamError::TimedOut(2)));
    let moved = client().list_tools(&upstream(addr, "/moved", None)).await;
    assert!(moved.is_err(), "a redirect is not followed: {moved:?}");
}
