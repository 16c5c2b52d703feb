//! Calls to upstream MCP servers (the servers an org registers for the
//! gateway): the official Rust SDK's client over streamable HTTP, on
//! reqwest with the product's TLS configuration (aws-lc-rs, the trusted
//! roots). Each call opens a session, does its one thing and closes it, so
//! any instance can make any call.
//!
//! Bounds, whatever the server does: it connects only to the address the
//! SSRF guard checked (the name is pinned to it, so a second DNS answer
//! cannot send the call elsewhere), follows no redirect, gives up after
//! the timeout (the whole session: connect, initialize, the call) and
//! refuses an answer or event larger than the size limit.

use std::net::SocketAddr;

use async_trait::async_trait;
use http::HeaderName;
use serde_json::{Map, Value};
use url::Url;

#[cfg(feature = "mcp-upstream")]
pub use sdk::RmcpUpstream;

/// Where a call goes and how it authenticates.
#[derive(Clone)]
pub struct Upstream {
    pub url: Url,
    /// The address the SSRF guard checked for the URL's host.
    pub addr: SocketAddr,
    pub credential: Option<UpstreamCredential>,
}

/// The stored token and how it is sent. Never printed.
#[derive(Clone)]
pub enum UpstreamCredential {
    Bearer(String),
    Header(HeaderName, String),
}

impl std::fmt::Debug for Upstream {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Upstream").field("host", &self.url.host_str()).field("addr", &self.addr).finish()
    }
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum UpstreamError {
    #[error("the server did not answer within {0} s")]
    TimedOut(u64),
    #[error("the server could not be reached or answered outside the protocol: {0}")]
    Unreachable(String),
    #[error("the server refused the call: {0}")]
    Refused(String),
}

#[async_trait]
pub trait McpUpstream: Send + Sync {
    /// Every tool the server lists (following its cursor), as it defines them.
    async fn list_tools(&self, upstream: &Upstream) -> Result<Vec<Value>, UpstreamError>;

    /// Calls `name` with `arguments`: the server's `CallToolResult` as JSON
    /// (a tool error is a result too, with `isError`).
    async fn call_tool(
        &self,
        upstream: &Upstream,
        name: &str,
        arguments: Map<String, Value>,
    ) -> Result<Value, UpstreamError>;
}

pub type DynMcpUpstream = std::sync::Arc<dyn McpUpstream>;

/// The adapter: the official SDK's client (feature `mcp-upstream`).
#[cfg(feature = "mcp-upstream")]
mod sdk {
    use std::collections::HashMap;
    use std::time::Duration;

    use async_trait::async_trait;
    use http::HeaderValue;
    use rmcp::ServiceExt;
    use rmcp::model::CallToolRequestParams;
    use rmcp::transport::StreamableHttpClientTransport;
    use rmcp::transport::streamable_http_client::StreamableHttpClientTransportConfig;
    use serde_json::{Map, Value};

    use super::{McpUpstream, Upstream, UpstreamCredential, UpstreamError};

    /// The SDK's client, bounded.
    #[derive(Debug, Clone, Copy)]
    pub struct RmcpUpstream {
        pub timeout: Duration,
        /// The largest JSON answer or event accepted, in bytes.
        pub max_bytes: usize,
    }

    impl Default for RmcpUpstream {
        fn default() -> Self {
            Self { timeout: Duration::from_secs(10), max_bytes: 1024 * 1024 }
        }
    }

    fn unreachable(error: impl std::fmt::Display) -> UpstreamError {
        UpstreamError::Unreachable(error.to_string())
    }

    impl RmcpUpstream {
        fn http_client(&self, upstream: &Upstream) -> Result<reqwest::Client, UpstreamError> {
            let host = upstream.url.host_str().ok_or_else(|| unreachable("the URL has no host"))?;
            reqwest::Client::builder()
                .use_preconfigured_tls(crate::ports::outbound::tls_config().map_err(unreachable)?)
                .resolve(host, upstream.addr)
                .redirect(reqwest::redirect::Policy::none())
                .connect_timeout(self.timeout)
                .build()
                .map_err(unreachable)
        }

        /// Runs `work` in a fresh session with the server, closed after.
        async fn in_session<T>(
            &self,
            upstream: &Upstream,
            work: impl AsyncFnOnce(&rmcp::service::RunningService<rmcp::RoleClient, ()>) -> Result<T, UpstreamError>,
        ) -> Result<T, UpstreamError> {
            let mut config = StreamableHttpClientTransportConfig::with_uri(upstream.url.as_str())
                .max_json_response_size(self.max_bytes)
                .max_sse_event_size(self.max_bytes);
            match &upstream.credential {
                Some(UpstreamCredential::Bearer(token)) => config = config.auth_header(token.clone()),
                Some(UpstreamCredential::Header(name, token)) => {
                    let value = HeaderValue::from_str(token)
                        .map_err(|_| unreachable("the stored token is not a header value"))?;
                    config = config.custom_headers(HashMap::from([(name.clone(), value)]));
                }
                None => {}
            }
            let transport = StreamableHttpClientTransport::with_client(self.http_client(upstream)?, config);
            let session = async {
                let client = ().serve(transport).await.map_err(|e| UpstreamError::Refused(e.to_string()))?;
                let outcome = work(&client).await;
                let _ = client.cancel().await;
                outcome
            };
            tokio::time::timeout(self.timeout, session)
                .await
                .unwrap_or(Err(UpstreamError::TimedOut(self.timeout.as_secs())))
        }
    }

    #[async_trait]
    impl McpUpstream for RmcpUpstream {
        async fn list_tools(&self, upstream: &Upstream) -> Result<Vec<Value>, UpstreamError> {
            self.in_session(upstream, async |client| {
                let tools = client.list_all_tools().await.map_err(unreachable)?;
                tools.iter().map(|tool| serde_json::to_value(tool).map_err(unreachable)).collect()
            })
            .await
        }

        async fn call_tool(
            &self,
            upstream: &Upstream,
            name: &str,
            arguments: Map<String, Value>,
        ) -> Result<Value, UpstreamError> {
            let request = CallToolRequestParams::new(name.to_owned()).with_arguments(arguments);
            self.in_session(upstream, async |client| {
                let result = client.call_tool(request).await.map_err(unreachable)?;
                serde_json::to_value(result).map_err(unreachable)
            })
            .await
        }
    }
}
