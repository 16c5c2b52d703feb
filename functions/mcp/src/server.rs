//! The MCP server: `initialize`, `ping`, `tools/list` and `tools/call`
//! over the tools the calling key may use.

use std::sync::{Arc, OnceLock};
use std::time::Instant;

use controlplane::AppState;
use controlplane::domain::mcp::{self, Outcome, QuotaRefusal, ToolCall};
use controlplane::edge::error::Problem;
use rmcp::model::{
    CallToolRequestParams, CallToolResponse, CallToolResult, ContentBlock, Implementation, ListToolsResult,
    PaginatedRequestParams, ServerCapabilities, ServerConfig, Tool, ToolAnnotations,
};
use rmcp::service::RequestContext;
use rmcp::{ErrorData, RoleServer, ServerHandler};
use serde_json::Value;

use crate::builtin::{Builtin, Builtins};
use crate::gateway::Gate;

/// Tools per `tools/list` page.
pub const TOOLS_PER_PAGE: usize = 50;

/// The server one request is answered by (the transport makes one per
/// request); the built-in tools are compiled once per process.
#[derive(Clone)]
pub struct Gateway {
    state: AppState,
    builtins: Arc<OnceLock<Result<Builtins, String>>>,
    /// Over stdio, the key every message is authenticated with (over HTTP,
    /// each request's own).
    key: Option<Arc<str>>,
}

impl Gateway {
    pub fn new(state: AppState) -> Self {
        Self { state, builtins: Arc::default(), key: None }
    }

    /// The gateway for a transport without HTTP requests, as `key`.
    pub fn with_key(state: AppState, key: String) -> Self {
        Self { key: Some(key.into()), ..Self::new(state) }
    }

    /// What the door found out about the request: over HTTP, the gate the
    /// door put on it; over stdio, the key's gate, opened for this message.
    async fn gate(&self, context: &RequestContext<RoleServer>) -> Result<Gate, ErrorData> {
        let opened = context.extensions.get::<http::request::Parts>().and_then(|parts| parts.extensions.get::<Gate>());
        match (opened, &self.key) {
            (Some(gate), _) => Ok(gate.clone()),
            (None, Some(key)) => {
                Gate::for_key(key, &self.state).await.map_err(|refused| refusal(&refused.to_problem()))
            }
            (None, None) => Err(ErrorData::internal_error("the request did not come through the gateway's door", None)),
        }
    }

    fn builtins(&self) -> Result<&Builtins, ErrorData> {
        self.builtins.get_or_init(|| Builtins::new(self.state.clone())).as_ref().map_err(|error| {
            tracing::error!(%error, "the built-in tools could not be compiled");
            ErrorData::internal_error("the tools are unavailable", None)
        })
    }
}

impl Gateway {
    /// Keeps `call`'s audit event, timed from `started`.
    async fn audit(&self, gate: &Gate, mut call: ToolCall<'_>, started: Instant) -> Result<(), ErrorData> {
        call.duration_ms = u64::try_from(started.elapsed().as_millis()).unwrap_or(u64::MAX);
        call.record(self.state.store.as_ref(), &gate.ctx).await.map_err(|error| {
            tracing::error!(%error, tool = call.tool, "mcp: the call's audit event was not kept");
            ErrorData::internal_error("the call could not be audited; its effect, if any, is in the audit log", None)
        })
    }
}

/// The tool error of a call the project's `mcp_calls` quota refuses: a 429
/// problem, as the REST API answers past a limit.
fn quota_problem(refusal: QuotaRefusal) -> Problem {
    let detail = match refusal {
        QuotaRefusal::Disabled => "the project's mcp_calls service is disabled".to_owned(),
        QuotaRefusal::UsedUp { limit } => {
            format!("the project's mcp_calls quota for this month ({limit} calls) is used up")
        }
    };
    Problem::new(http::StatusCode::TOO_MANY_REQUESTS, "quota_exceeded", detail)
}

/// The JSON-RPC error of a message the door refused where no HTTP status
/// can say so (stdio): the problem's detail, and the problem as data.
pub fn refusal(problem: &Problem) -> ErrorData {
    let code = if problem.status == 429 { -32029 } else { -32001 };
    ErrorData::new(
        rmcp::model::ErrorCode(code),
        format!("{} ({})", problem.detail, problem.code),
        serde_json::to_value(problem).ok(),
    )
}

/// The refusal of a tool that does not exist for the caller, whether it
/// exists for nobody or only for other keys.
fn unknown_tool(name: &str) -> ErrorData {
    ErrorData::invalid_params(format!("unknown tool `{name}`"), None)
}

fn listed(builtin: &Builtin) -> Tool {
    let mut annotations = ToolAnnotations::new();
    annotations.read_only_hint = Some(builtin.read_only);
    annotations.destructive_hint = Some(builtin.destructive);
    annotations.open_world_hint = Some(false);
    Tool::new(builtin.tool.name, builtin.description.clone(), Arc::clone(&builtin.input_schema))
        .with_annotations(annotations)
}

/// The page of `tools` a `tools/list` cursor asks for: the cursor is the
/// offset of the page's first tool.
pub fn page(tools: Vec<Tool>, cursor: Option<&str>, per_page: usize) -> Result<ListToolsResult, ErrorData> {
    let start = match cursor {
        None => 0,
        Some(cursor) => cursor
            .parse::<usize>()
            .ok()
            .filter(|start| *start < tools.len())
            .ok_or_else(|| ErrorData::invalid_params("the cursor is not one this server gave", None))?,
    };
    let end = (start + per_page).min(tools.len());
    let mut result = ListToolsResult::with_all_items(tools[start..end].to_vec());
    result.next_cursor = (end < tools.len()).then(|| end.to_string());
    Ok(result)
}

/// A route's problem as a tool error: its title, code and detail as text
/// (each field error on its own line), and the problem itself.
fn failed(problem: Problem) -> CallToolResult {
    let mut text = format!("{} ({}): {}", problem.title, problem.code, problem.detail);
    for error in &problem.errors {
        text.push_str(&format!("\n- {}: {}", error.field, error.message));
    }
    let mut result = CallToolResult::error(vec![ContentBlock::text(text)]);
    result.structured_content = serde_json::to_value(&problem).ok();
    result
}

fn answered(value: Value) -> CallToolResult {
    let mut result = CallToolResult::success(vec![ContentBlock::text(value.to_string())]);
    result.structured_content = Some(value);
    result
}

impl ServerHandler for Gateway {
    fn get_info(&self) -> ServerConfig {
        ServerConfig::new(ServerCapabilities::builder().enable_tools().build())
            .with_server_info(Implementation::new("controlplane", controlplane::VERSION))
            .with_instructions(
                "The control plane's tools: projects, jobs, usage, sources, schedules and the audit log \
                 of the organization the key belongs to. Each tool answers as its REST route does.",
            )
    }

    async fn list_tools(
        &self,
        request: Option<PaginatedRequestParams>,
        context: RequestContext<RoleServer>,
    ) -> Result<ListToolsResult, ErrorData> {
        let gate = &self.gate(&context).await?;
        let tools = self.builtins()?.tools.iter().filter(|b| gate.may_call(b.tool)).map(listed).collect();
        page(tools, request.as_ref().and_then(|r| r.cursor.as_deref()), TOOLS_PER_PAGE)
    }

    /// Every call, whatever its outcome, is audited (`mcp.call`) before it
    /// is answered; one whose audit record cannot be kept is answered with
    /// an internal error instead of its result.
    async fn call_tool(
        &self,
        request: CallToolRequestParams,
        context: RequestContext<RoleServer>,
    ) -> Result<CallToolResponse, ErrorData> {
        let started = Instant::now();
        let gate = &self.gate(&context).await?;
        let builtins = self.builtins()?;
        let arguments = request.arguments.unwrap_or_default();
        let names: Vec<String> = arguments.keys().cloned().collect();
        let mut call = ToolCall {
            tool: &request.name,
            server: mcp::BUILTIN_SERVER,
            arguments: names.iter().map(String::as_str).collect(),
            called_at: controlplane::now(),
            duration_ms: 0,
            outcome: Outcome::UnknownTool,
        };
        let Some(tool) = builtins.get(&request.name).filter(|b| gate.may_call(b.tool)) else {
            self.audit(gate, call, started).await?;
            return Err(unknown_tool(&request.name));
        };
        let quota = mcp::within_quota(self.state.store.as_ref(), &gate.ctx, call.called_at).await.map_err(|error| {
            tracing::warn!(%error, "mcp: quota unreadable");
            ErrorData::internal_error("the project's quota could not be read; retry shortly", None)
        })?;
        let result = match quota {
            Err(refusal) => {
                call.outcome = Outcome::QuotaExceeded;
                failed(quota_problem(refusal))
            }
            Ok(()) => match builtins.call(tool, gate.caller.clone(), arguments).await {
                Ok(value) => {
                    call.outcome = Outcome::Ok;
                    answered(value)
                }
                Err(problem) => {
                    call.outcome = Outcome::Error { code: problem.code.clone() };
                    failed(problem)
                }
            },
        };
        self.audit(gate, call, started).await?;
        Ok(result.into())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn tools(n: usize) -> Vec<Tool> {
        (0..n).map(|i| Tool::new(format!("tool_{i}"), "a tool", Arc::new(serde_json::Map::new()))).collect()
    }

    #[test]
    fn tools_list_pages_follow_the_cursor_to_the_last_tool_once_each() {
        let mut seen = Vec::new();
        let mut cursor: Option<String> = None;
        loop {
            let result = page(tools(7), cursor.as_deref(), 3).unwrap();
            seen.extend(result.tools.iter().map(|t| t.name.to_string()));
            match result.next_cursor {
                Some(next) => cursor = Some(next),
                None => break,
            }
        }
        assert_eq!(seen, (0..7).map(|i| format!("tool_{i}")).collect::<Vec<_>>());
        assert!(page(tools(3), None, 3).unwrap().next_cursor.is_none());
    }

    #[test]
    fn a_cursor_this_server_did_not_give_is_invalid_params() {
        for cursor in ["x", "-1", "7", "99"] {
            let error = page(tools(7), Some(cursor), 3).unwrap_err();
            assert_eq!(error.code, rmcp::model::ErrorCode::INVALID_PARAMS, "{cursor}");
        }
    }
}
