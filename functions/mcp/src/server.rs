//! The MCP server: `initialize`, `ping`, `tools/list` and `tools/call`
//! over the tools the calling key may use.

use std::sync::{Arc, OnceLock};
use std::time::Instant;

use controlplane::AppState;
use controlplane::base::rbac::Permission;
use controlplane::base::tenant::Authority;
use controlplane::domain::exec::{self, ExecProfile, ExecTarget, Violation};
use controlplane::domain::mcp::catalog::{self, Offered};
use controlplane::domain::mcp::policy;
use controlplane::domain::mcp::server::split;
use controlplane::domain::mcp::{self, Outcome, QuotaRefusal, ToolCall};
use controlplane::domain::worker::Failure;
use controlplane::domain::worker::mcp::{NotCallable, upstream_of};
use controlplane::edge::error::Problem;
use controlplane::ports::mcp_upstream::{DynMcpUpstream, RmcpUpstream, UpstreamError};
use http::StatusCode;
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
    /// Where calls of registered servers' tools go.
    upstream: DynMcpUpstream,
}

/// What a `tools/call` names, once the key may call it.
enum Target<'a> {
    Builtin(&'a Builtin),
    Upstream(Box<Offered>),
}

impl Gateway {
    pub fn new(state: AppState) -> Self {
        Self { state, builtins: Arc::default(), key: None, upstream: Arc::new(RmcpUpstream::default()) }
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
    /// The upstream tools the key may call (none read without `mcp:use`)
    /// and that have an execution profile.
    async fn upstream_tools(&self, gate: &Gate) -> Result<Vec<Offered>, ErrorData> {
        if !gate.ctx.can(Permission::McpUse) {
            return Ok(Vec::new());
        }
        // A tool with no execution profile may do nothing, so it is not
        // offered; the org's profiles are read beside the catalogue.
        let store = self.state.store.as_ref();
        let (offered, profiled) =
            tokio::join!(catalog::offered(store, &gate.ctx), exec::targets_set(store, gate.ctx.tenant()));
        let (offered, profiled) = (offered.map_err(unreadable)?, profiled.map_err(unreadable)?);
        Ok(offered
            .into_iter()
            .filter(|o| gate.may_call_upstream(&o.name()) && exec::has_profile(&profiled, &o.name()))
            .collect())
    }

    /// The tool `name` names, if the key may call it; otherwise it does not
    /// exist for the key.
    async fn target<'b>(
        &self,
        gate: &Gate,
        builtins: &'b Builtins,
        name: &str,
    ) -> Result<Option<Target<'b>>, ErrorData> {
        if let Some(builtin) = builtins.get(name) {
            return Ok(gate.may_call(builtin.tool).then_some(Target::Builtin(builtin)));
        }
        if !gate.may_call_upstream(name) {
            return Ok(None);
        }
        let found = catalog::find(self.state.store.as_ref(), &gate.ctx, name).await.map_err(unreadable)?;
        Ok(found.map(|offered| Target::Upstream(Box::new(offered))))
    }

    /// Forwards a call to its upstream server with the server's stored
    /// credential, within the client's time and size bounds. `Err`: the
    /// tool's profile refused the call (recorded where it was found).
    async fn forward(
        &self,
        offered: &Offered,
        profile: &ExecProfile,
        arguments: serde_json::Map<String, Value>,
        trace_id: &str,
    ) -> Result<Result<CallToolResult, Problem>, Violation> {
        let state = &self.state;
        let bad_gateway = |code: &str, detail: String| Problem::new(StatusCode::BAD_GATEWAY, code, detail);
        let upstream = match upstream_of(
            state.store.as_ref(),
            state.secrets.as_ref(),
            state.webhook_allowances,
            &offered.server,
            Some(profile),
            trace_id,
        )
        .await
        {
            Ok(Ok(upstream)) => upstream,
            Ok(Err(NotCallable::Violation(violation))) => return Err(violation),
            Ok(Err(NotCallable::Why(why))) | Err(Failure::Permanent(why)) => {
                return Ok(Err(bad_gateway("upstream_unavailable", why)));
            }
            Err(Failure::Transient(why)) => {
                tracing::warn!(%why, "mcp: the upstream's credential could not be read");
                return Ok(Err(Problem::new(
                    StatusCode::SERVICE_UNAVAILABLE,
                    "store_unavailable",
                    "the server's credential could not be read; retry shortly",
                )));
            }
        };
        let answer = match self.upstream.call_tool(&upstream, &offered.tool.name, arguments).await {
            Ok(answer) => answer,
            Err(error) => {
                return Ok(Err(match error {
                    UpstreamError::TimedOut(_) => {
                        Problem::new(StatusCode::GATEWAY_TIMEOUT, "upstream_timeout", error.to_string())
                    }
                    UpstreamError::Unreachable(_) => bad_gateway("upstream_unreachable", error.to_string()),
                    UpstreamError::Refused(_) => bad_gateway("upstream_refused", error.to_string()),
                }));
            }
        };
        Ok(serde_json::from_value(answer)
            .map_err(|e| bad_gateway("upstream_unreadable", format!("the server's answer is not a tool result: {e}"))))
    }

    /// Who a violation of a tool's profile is recorded for: the key.
    fn runner<'g>(&self, gate: &'g Gate) -> exec::Runner<'g> {
        let meta = gate.ctx.meta();
        let key = match gate.ctx.authority() {
            Authority::Key { id, .. } => id.to_string(),
            Authority::Member { user, .. } => user.to_string(),
        };
        exec::Runner { org: gate.ctx.tenant().org(), kind: "mcp_tool", id: key, trace_id: &meta.request_id }
    }

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

/// The tool error of a call its execution profile refused: 403 for what
/// it may not do, 504 past its run time, 502 for an answer too large.
fn violation_problem(violation: &Violation) -> Problem {
    let status = match violation.rule {
        "max_run_seconds" => StatusCode::GATEWAY_TIMEOUT,
        "max_output_bytes" => StatusCode::BAD_GATEWAY,
        _ => StatusCode::FORBIDDEN,
    };
    Problem::new(status, "exec_violation", violation.to_string())
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

fn unreadable(error: impl std::fmt::Display) -> ErrorData {
    tracing::warn!(%error, "mcp: the registered servers' tools could not be read");
    ErrorData::internal_error("the registered servers' tools could not be read; retry shortly", None)
}

/// An upstream tool as agents see it: the definition its server gave and
/// an operator accepted, under its namespaced name.
fn listed_upstream(offered: &Offered) -> Option<Tool> {
    let mut tool: Tool = serde_json::from_value(offered.tool.definition.clone())
        .inspect_err(|error| tracing::warn!(%error, tool = offered.tool.name, "mcp: a stored definition is not a tool"))
        .ok()?;
    tool.name = offered.name().into();
    Some(tool)
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
        let mut tools: Vec<Tool> =
            self.builtins()?.tools.iter().filter(|b| gate.may_call(b.tool)).map(listed).collect();
        tools.extend(self.upstream_tools(gate).await?.iter().filter_map(listed_upstream));
        page(tools, request.as_ref().and_then(|r| r.cursor.as_deref()), TOOLS_PER_PAGE)
    }

    /// Every call, whatever its outcome, is audited (`mcp.call`) before it
    /// is answered; one whose audit record cannot be kept is answered with
    /// an internal error instead of its result. A tool runs only under its
    /// execution profile (`domain::exec`), within its run time and output
    /// size, and its call records the profile's digest.
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
        let called_at = controlplane::now();
        // The quota is read with the tool's lookup: one round trip fewer
        // for every call that runs, one read wasted on a call that cannot.
        let store = self.state.store.as_ref();
        // So is the tool's execution profile (a name no profile can be
        // attached to names no tool either).
        let exec_target = ExecTarget::of_tool(&request.name);
        let (target, quota, profile) = tokio::join!(
            self.target(gate, builtins, &request.name),
            mcp::within_quota(store, &gate.ctx, called_at),
            async {
                let Some(exec_target) = &exec_target else { return Ok(None) };
                let items = store.batch_get(&exec::keys(gate.ctx.tenant(), exec_target)).await?;
                ExecProfile::in_force(exec_target, &items)
            }
        );
        let target = target?;
        // The server an unknown namespaced name claims, in its audit event.
        let claimed = split(&request.name).map(|(slug, _)| slug);
        let server = match (&target, &claimed) {
            (Some(Target::Upstream(offered)), _) => offered.server.slug.as_str(),
            (Some(Target::Builtin(_)), _) | (None, None) => mcp::BUILTIN_SERVER,
            (None, Some(slug)) => slug.as_str(),
        };
        let mut call = ToolCall {
            tool: &request.name,
            server,
            arguments: names.iter().map(String::as_str).collect(),
            called_at,
            duration_ms: 0,
            outcome: Outcome::UnknownTool,
            flags: Vec::new(),
            profile_digest: None,
        };
        let Some(target) = &target else {
            self.audit(gate, call, started).await?;
            return Err(unknown_tool(&request.name));
        };
        let quota = quota.map_err(|error| {
            tracing::warn!(%error, "mcp: quota unreadable");
            ErrorData::internal_error("the project's quota could not be read; retry shortly", None)
        })?;
        let profile = profile.map_err(|error| {
            tracing::warn!(%error, "mcp: execution profile unreadable");
            ErrorData::internal_error("the tool's execution profile could not be read; retry shortly", None)
        })?;
        call.profile_digest = profile.as_ref().map(|p| p.digest.clone());
        // The bindings of the tool's server judge the call before anything
        // runs or counts (the built-in tools have none: scopes bound them).
        let verdict = match target {
            Target::Builtin(_) => Ok(Vec::new()),
            Target::Upstream(offered) => policy::judge(&offered.server.policy_bindings, &offered.tool.name, &arguments),
        };
        let violated = |violation: &Violation, ran: bool| {
            (Outcome::Violation { rule: violation.rule, ran }, failed(violation_problem(violation)))
        };
        let (outcome, result) = match (verdict, quota, &profile) {
            (Err(block), _, _) => {
                let problem = Problem::new(StatusCode::FORBIDDEN, "call_blocked", block.detail.clone());
                (Outcome::Blocked(block), failed(problem))
            }
            (Ok(flags), Err(refusal), _) => {
                call.flags = flags;
                (Outcome::QuotaExceeded, failed(quota_problem(refusal)))
            }
            (Ok(flags), Ok(()), None) => {
                call.flags = flags;
                let exec_target = exec_target.unwrap_or_else(|| ExecTarget::Tool(request.name.to_string()));
                let violation = exec::no_profile(&exec_target);
                self.runner(gate).violated(store, &exec_target.as_string(), None, &violation).await;
                violated(&violation, false)
            }
            (Ok(flags), Ok(()), Some(profile)) => {
                call.flags = flags;
                let trace_id = &gate.ctx.meta().request_id;
                let run = async {
                    match target {
                        Target::Builtin(tool) => {
                            Ok(builtins.call(tool, gate.caller.clone(), arguments).await.map(answered))
                        }
                        Target::Upstream(offered) => self.forward(offered, profile, arguments, trace_id).await,
                    }
                };
                // What ran past the profile's bounds is stopped, or its
                // answer withheld, here; what the call's own checks
                // refused is recorded where it was found.
                let record = |violation: Violation| async move {
                    self.runner(gate).violated(store, &profile.target, Some(&profile.digest), &violation).await;
                    violation
                };
                match tokio::time::timeout(profile.max_run(), run).await {
                    Err(_) => violated(&record(profile.timed_out()).await, true),
                    Ok(Err(violation)) => violated(&violation, false),
                    Ok(Ok(Err(problem))) => (Outcome::Error { code: problem.code.clone() }, failed(problem)),
                    Ok(Ok(Ok(result))) => {
                        let size = serde_json::to_vec(&result).map_or(usize::MAX, |bytes| bytes.len());
                        match profile.check_output(size) {
                            Err(violation) => violated(&record(violation).await, true),
                            Ok(()) if result.is_error == Some(true) => {
                                (Outcome::Error { code: "tool_error".into() }, result)
                            }
                            Ok(()) => (Outcome::Ok, result),
                        }
                    }
                }
            }
        };
        call.outcome = outcome;
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
