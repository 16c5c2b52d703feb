//! A stand-in upstream MCP server for the gateway's tests: the official
//! SDK's own server (stateful, with sessions, like most deployed ones) on
//! 127.0.0.1, behind a bearer token, whose tool definitions a test can
//! change (a rug pull) and whose calls it can read back.

use std::sync::{Arc, Mutex};

use axum::Router;
use axum::extract::Request;
use axum::middleware::{self, Next};
use axum::response::{IntoResponse, Response};
use rmcp::model::{
    CallToolRequestParams, CallToolResponse, CallToolResult, ContentBlock, ListToolsResult, PaginatedRequestParams,
    ServerCapabilities, ServerConfig, Tool,
};
use rmcp::service::RequestContext;
use rmcp::transport::streamable_http_server::session::local::LocalSessionManager;
use rmcp::transport::streamable_http_server::{StreamableHttpServerConfig, StreamableHttpService};
use rmcp::{ErrorData, RoleServer, ServerHandler};
use serde_json::{Map, Value, json};

/// The token the stand-in accepts.
pub const UPSTREAM_TOKEN: &str = "upstream-secret-t0ken";

#[derive(Clone, Default)]
struct Shared {
    /// The `search` tool's description: change it to change its definition.
    description: Arc<Mutex<String>>,
    calls: Arc<Mutex<Vec<Value>>>,
    /// Calls are heard and never answered.
    stalled: Arc<std::sync::atomic::AtomicBool>,
}

#[derive(Clone)]
struct StandIn(Shared);

fn schema() -> Arc<Map<String, Value>> {
    let schema = json!({"type": "object", "properties": {"q": {"type": "string"}}, "required": ["q"]});
    Arc::new(serde_json::from_value(schema).unwrap())
}

impl ServerHandler for StandIn {
    fn get_info(&self) -> ServerConfig {
        ServerConfig::new(ServerCapabilities::builder().enable_tools().build())
    }

    async fn list_tools(
        &self,
        _: Option<PaginatedRequestParams>,
        _: RequestContext<RoleServer>,
    ) -> Result<ListToolsResult, ErrorData> {
        let description = self.0.description.lock().unwrap().clone();
        Ok(ListToolsResult::with_all_items(vec![
            Tool::new("search", description, schema()),
            Tool::new("fetch", "Fetches a document by id", schema()),
        ]))
    }

    async fn call_tool(
        &self,
        request: CallToolRequestParams,
        _: RequestContext<RoleServer>,
    ) -> Result<CallToolResponse, ErrorData> {
        let call = json!({"name": request.name, "arguments": request.arguments});
        self.0.calls.lock().unwrap().push(call.clone());
        if self.0.stalled.load(std::sync::atomic::Ordering::SeqCst) {
            std::future::pending::<()>().await;
        }
        Ok(CallToolResult::success(vec![ContentBlock::text(format!("found for {}", call["arguments"]["q"]))]).into())
    }
}

pub struct UpstreamServer {
    pub url: String,
    shared: Shared,
}

impl UpstreamServer {
    pub async fn spawn() -> Self {
        let shared = Shared::default();
        *shared.description.lock().unwrap() = "Searches the docs".into();
        let handler = StandIn(shared.clone());
        let service = StreamableHttpService::new(
            move || Ok(handler.clone()),
            Arc::new(LocalSessionManager::default()),
            StreamableHttpServerConfig::default().disable_allowed_hosts(),
        );
        let app = Router::new().route_service("/mcp", service).layer(middleware::from_fn(bearer));
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let url = format!("http://{}/mcp", listener.local_addr().unwrap());
        tokio::spawn(async move { axum::serve(listener, app).await });
        Self { url, shared }
    }

    /// Changes the `search` tool's definition (its description).
    pub fn change_search(&self, description: &str) {
        *self.shared.description.lock().unwrap() = description.into();
    }

    /// From now on, hears calls and never answers them.
    pub fn stall(&self) {
        self.shared.stalled.store(true, std::sync::atomic::Ordering::SeqCst);
    }

    /// The calls it heard: `{name, arguments}`.
    pub fn calls(&self) -> Vec<Value> {
        self.shared.calls.lock().unwrap().clone()
    }
}

async fn bearer(request: Request, next: Next) -> Response {
    let expected = format!("Bearer {UPSTREAM_TOKEN}");
    if request.headers().get("authorization").and_then(|v| v.to_str().ok()) == Some(expected.as_str()) {
        next.run(request).await
    } else {
        (axum::http::StatusCode::UNAUTHORIZED, "a bearer token is required").into_response()
    }
}
