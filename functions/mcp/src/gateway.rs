//! The gateway's door: every request to `/mcp` is authenticated by an `mcp`
//! key before the MCP server reads it, and counted like a REST request.

use axum::extract::{Request, State};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use controlplane::base::rbac::Permission;
use controlplane::base::request::RequestMeta;
use controlplane::base::tenant::Authority;
use controlplane::domain::apikey::Scope;
use controlplane::domain::mcp::{self, BuiltinTool};
use controlplane::edge::auth::Caller;
use controlplane::{ApiError, AppState, TenantContext};

/// A request that came through the door: the key's caller and what it
/// holds in its org.
#[derive(Debug, Clone)]
pub struct Gate {
    pub caller: Caller,
    pub ctx: TenantContext,
}

impl Gate {
    async fn open(parts: &mut http::request::Parts, state: &AppState) -> Result<Gate, ApiError> {
        let caller = Caller::at_mcp_gateway(parts, state).await?;
        let ctx = caller.enter_gateway(state).await?;
        Ok(Gate { caller, ctx })
    }

    /// The gate a message that came without HTTP (over stdio) opens: the
    /// door's checks for a request bearing `key`, each message anew, so a
    /// key revoked meanwhile is refused from the next message on.
    pub async fn for_key(key: &str, state: &AppState) -> Result<Gate, ApiError> {
        let refused =
            || ApiError::Unauthenticated { code: "invalid_key", detail: "the key is not a valid token".into() };
        let bearer = http::HeaderValue::from_str(&format!("Bearer {key}")).map_err(|_| refused())?;
        let (mut parts, ()) = http::Request::post(crate::PATH)
            .header(http::header::AUTHORIZATION, bearer)
            .body(())
            .map_err(|_| refused())?
            .into_parts();
        parts.extensions.insert(RequestMeta {
            request_id: RequestMeta::fresh_id(),
            request_line: "MCP stdio".into(),
            ip: None,
            user_agent: Some("mcp-stdio".into()),
        });
        Gate::open(&mut parts, state).await
    }

    fn scopes(&self) -> impl Iterator<Item = &Scope> {
        let scopes = match self.ctx.authority() {
            Authority::Key { scopes, .. } => Some(scopes),
            Authority::Member { .. } => None,
        };
        scopes.into_iter().flatten()
    }

    /// Whether the key may call `tool`: its scopes grant the tool and it
    /// holds the permission the tool's route checks (which its creator's
    /// role bounds). Any other tool does not exist for it.
    pub fn may_call(&self, tool: &BuiltinTool) -> bool {
        mcp::grants(self.scopes(), tool.name) && self.ctx.can(tool.permission)
    }

    /// Whether the key may call the upstream tool agents know as `name`
    /// (`<slug>__<tool>`), once the catalogue offers it: its scopes grant
    /// the name and it holds `mcp:use`.
    pub fn may_call_upstream(&self, name: &str) -> bool {
        mcp::grants(self.scopes(), name) && self.ctx.can(Permission::McpUse)
    }
}

/// The door itself: 401 (with `WWW-Authenticate` and the REST API's reason
/// code) for anything but a live `mcp` key, 429 past the rate limits.
pub async fn authenticate(State(state): State<AppState>, request: Request, next: Next) -> Response {
    let (mut parts, body) = request.into_parts();
    match Gate::open(&mut parts, &state).await {
        Ok(gate) => {
            parts.extensions.insert(gate);
            next.run(Request::from_parts(parts, body)).await
        }
        Err(refused) => refused.into_response(),
    }
}
