//! `discover_mcp_server`: lists a registered upstream server's tools and
//! pins them (`domain::mcp::tools`). The requester must still manage MCP
//! servers; the server's URL is checked again (DNS can change) and the
//! call made to the checked address, with the stored credential.
//!
//! The tools' writes go in chunks, each with the `mcp.tool_changed` events
//! of its changes in the same transaction: a discovery cut short (a crash,
//! a timeout) leaves every chunk it wrote whole, and the retry reads them
//! back and writes only what is left — no change is announced twice. Each
//! chunk checks the server is still as read, so a server deleted during a
//! discovery gets no tool written after it is gone. The
//! server's `discovered_at` and the `mcp_server.discovered` event commit
//! with the job's completion.

use async_trait::async_trait;
use serde_json::json;

use crate::base::ids::McpServerId;
use crate::base::rbac::Permission;
use crate::base::tenant::TenantId;
use crate::domain::audit::{Target, chain};
use crate::domain::credential::{CredentialKind, CredentialRef};
use crate::domain::egress::{self, Confined, EgressCaller, EgressPolicy, Gate};
use crate::domain::exec::{ExecProfile, Violation};
use crate::domain::job::Job;
use crate::domain::mcp::server::{CredentialPlacement, McpServer};
use crate::domain::mcp::tools::{self, ToolStatus, UpstreamTool};
use crate::domain::webhooks::target::{Allowances, host_of};
use crate::domain::worker::sources::{access, resolve};
use crate::domain::worker::{Done, Failure, JobHandler, job_event};
use crate::ports::mcp_upstream::{DynMcpUpstream, Upstream, UpstreamCredential, UpstreamError};
use crate::ports::secrets::DynSecrets;
use crate::ports::store::{Condition, DynStore, Item, Store, WriteOp, all_from};

/// Tools written per transaction (each may carry its change's event and
/// that event's outbox item; with the server's check, the chain's head and
/// a day's anchor, well inside one transaction).
const CHUNK: usize = 30;

fn transient(e: impl std::fmt::Display) -> Failure {
    Failure::Transient(e.to_string())
}

pub struct DiscoverMcpServer {
    pub secrets: DynSecrets,
    pub upstream: DynMcpUpstream,
    pub allow: Allowances,
}

/// Why a server cannot be called.
#[derive(Debug)]
pub enum NotCallable {
    /// Its URL, its credential or the secrets store.
    Why(String),
    /// The calling tool's execution profile refused it (recorded).
    Violation(Violation),
}

impl std::fmt::Display for NotCallable {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Self::Why(why) => f.write_str(why),
            Self::Violation(violation) => violation.fmt(f),
        }
    }
}

/// Where `server` is called and with what: its URL checked by the org's
/// egress gate (every address public, or loopback with the
/// local-development flag; then the org's egress policy, read here with
/// the server's credential reference) and its credential read from
/// `secrets`. A tool call passes its execution `profile` too: its hosts
/// (`endpoint`: the server's) and secrets, each refusal recorded as
/// `exec.violation`. `Err` says why it cannot be called, never the
/// credential.
pub async fn upstream_of(
    store: &dyn Store,
    secrets: Option<&DynSecrets>,
    allow: Allowances,
    server: &McpServer,
    profile: Option<&ExecProfile>,
    trace_id: &str,
) -> Result<Result<Upstream, NotCallable>, Failure> {
    let tenant = TenantId::acting_for(&server.org_id);
    let mut keys = vec![egress::key(&tenant)];
    keys.extend(server.credential_ref_id.iter().map(|id| CredentialRef::key(&tenant, id)));
    let mut items = store.batch_get(&keys).await.map_err(transient)?.into_iter();
    let (policy, _) = EgressPolicy::from_item(items.next().flatten().as_ref()).map_err(transient)?;
    let credential_item = items.next().flatten();
    let gate = Gate {
        store,
        org: &server.org_id,
        policy: &policy,
        caller: EgressCaller { kind: "mcp_upstream", id: server.id.to_string() },
        trace_id,
        confined: profile.map(|profile| Confined { profile, endpoint: Some(host_of(&server.url)) }),
    };
    if let Err(violation) = gate.within_profile(&host_of(&server.url)).await {
        return Ok(Err(NotCallable::Violation(violation)));
    }
    let checked = match gate.check(&server.url, allow).await {
        Ok(checked) => checked,
        Err(refused) => return Ok(Err(NotCallable::Why(format!("the server's URL is refused: {refused}")))),
    };
    let credential = match &server.credential_ref_id {
        None => None,
        Some(id) => {
            let parsed = credential_item.map(|i| i.parse::<CredentialRef>()).transpose().map_err(transient)?;
            let Some(credential) = parsed else {
                return Ok(Err(NotCallable::Why(format!("credential {id} no longer exists"))));
            };
            if credential.kind != CredentialKind::Token {
                return Ok(Err(NotCallable::Why(format!("credential {id} is not a token"))));
            }
            if let Some(profile) = profile
                && let Err(violation) = profile.check_secret(id, credential.kind)
            {
                gate.violated(profile, &violation).await;
                return Ok(Err(NotCallable::Violation(violation)));
            }
            let Some(secrets) = secrets else {
                return Ok(Err(NotCallable::Why(
                    "no secrets store is configured to read the server's credential".into(),
                )));
            };
            let value = match resolve(secrets, &credential).await.map_err(transient)? {
                Ok(value) => value,
                Err(why) => return Ok(Err(NotCallable::Why(why))),
            };
            let token = value.expose("token").ok_or_else(|| Failure::Permanent("the token is missing".into()))?;
            Some(match &server.credential_placement {
                CredentialPlacement::Bearer => UpstreamCredential::Bearer(token),
                CredentialPlacement::Header { name } => {
                    let name = http::HeaderName::try_from(name.as_str())
                        .map_err(|_| Failure::Permanent(format!("`{name}` is not a header name")))?;
                    UpstreamCredential::Header(name, token)
                }
            })
        }
    };
    Ok(Ok(Upstream { url: checked.url, addr: checked.addr, credential }))
}

#[async_trait]
impl JobHandler for DiscoverMcpServer {
    async fn run(&self, job: &Job, store: &DynStore) -> Result<Done, Failure> {
        let id: McpServerId = serde_json::from_value(job.payload["mcp_server_id"].clone())
            .map_err(|_| Failure::Permanent("the job names no MCP server".into()))?;
        let now = crate::now();
        if let Err(refused) =
            access::recheck(store.as_ref(), &job.org_id, &job.requested_by, Permission::McpManage, None, now)
                .await
                .map_err(transient)?
        {
            return Err(Failure::Permanent(refused.to_string()));
        }
        let tenant = TenantId::acting_for(&job.org_id);
        let item = store.batch_get(&[McpServer::key(&tenant, &id)]).await.map_err(transient)?.pop().flatten();
        let Some(server) = item.map(|i| i.parse::<McpServer>()).transpose().map_err(transient)? else {
            return Err(Failure::Permanent(format!("MCP server {id} no longer exists")));
        };
        let upstream = upstream_of(store.as_ref(), Some(&self.secrets), self.allow, &server, None, &job.trace_id)
            .await?
            .map_err(|refused| Failure::Permanent(refused.to_string()))?;
        let listed = self.upstream.list_tools(&upstream).await.map_err(|error| match error {
            UpstreamError::Refused(why) => Failure::Permanent(format!("the server refused the listing: {why}")),
            other => transient(other),
        })?;
        let query = UpstreamTool::query(&tenant, &id);
        let first = store.query(&query).await.map_err(transient)?;
        let stored: Vec<UpstreamTool> = all_from(store.as_ref(), query, first)
            .await
            .map_err(transient)?
            .iter()
            .map(Item::parse)
            .collect::<Result<_, _>>()
            .map_err(transient)?;
        let discovery = tools::reconcile(&job.org_id, &id, &stored, &listed, now).map_err(Failure::Permanent)?;
        let changed: Vec<String> = discovery.changes.iter().map(|c| c.name.clone()).collect();
        for chunk in discovery.writes.chunks(CHUNK) {
            // Each chunk only while the server is as read: a server deleted
            // meanwhile gets no tools written after its own clean-up.
            let server_as_read = Condition::VersionEquals(server.version);
            let mut ops = vec![WriteOp::check(McpServer::key(&tenant, &id), server_as_read)];
            let mut events = Vec::new();
            for (tool, read_at) in chunk {
                let condition = read_at.map_or(Condition::NotExists, Condition::VersionEquals);
                ops.push(WriteOp::put_if(tool.item().map_err(transient)?, condition));
                if let (ToolStatus::Quarantined, Some(change)) =
                    (tool.status, discovery.changes.iter().find(|c| c.name == tool.name))
                {
                    let target = Target { kind: "mcp_server".into(), id: id.to_string() };
                    let metadata = json!({
                        "mcp_server_id": id,
                        "slug": server.slug,
                        "tool": change.name,
                        "approved_sha256": change.approved_sha256,
                        "sha256": change.sha256,
                    });
                    events.push(job_event(job, "mcp.tool_changed", target, metadata));
                }
            }
            // A concurrent discovery wrote first: the retry reads again.
            chain::commit(store.as_ref(), ops, events).await.map_err(transient)?;
        }
        let count = |status: ToolStatus| {
            let rewritten = discovery.writes.iter().map(|(t, _)| t);
            let untouched = stored.iter().filter(|s| !discovery.writes.iter().any(|(t, _)| t.name == s.name));
            rewritten.chain(untouched).filter(|t| t.status == status).count()
        };
        let (active, quarantined) = (count(ToolStatus::Active), count(ToolStatus::Quarantined));
        let mut next = server.next_version(now);
        next.discovered_at = Some(now);
        let summary = json!({ "mcp_server_id": id, "listed": listed.len(), "active": active, "quarantined": quarantined, "changed": changed });
        let target = Target { kind: "mcp_server".into(), id: id.to_string() };
        Ok(Done {
            result: summary.clone(),
            writes: vec![WriteOp::put_if(next.item().map_err(transient)?, Condition::VersionEquals(server.version))],
            events: vec![job_event(job, "mcp_server.discovered", target, summary)],
        })
    }
}
