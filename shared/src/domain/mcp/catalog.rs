//! The upstream tools a key's agents can reach: the active tools of the
//! enabled servers registered in the key's project (and, for a key limited
//! to listed MCP servers, of those only). Whether the key's scopes grant
//! each one is the gateway's question; this module finds the tools.

use std::sync::Arc;

use futures_util::future::try_join_all;

use crate::base::access::ResourceKind;
use crate::base::access::ResourceRef;
use crate::base::ids::McpServerId;
use crate::base::tenant::TenantContext;
use crate::domain::mcp::policy;
use crate::domain::mcp::server::{self, McpServer};
use crate::domain::mcp::tools::UpstreamTool;
use crate::ports::store::{Store, StoreError, all_from};

/// One upstream tool as the gateway offers it.
#[derive(Debug, Clone)]
pub struct Offered {
    pub server: Arc<McpServer>,
    pub tool: UpstreamTool,
}

impl Offered {
    /// The name agents know it by: `<slug>__<tool>`.
    pub fn name(&self) -> String {
        server::namespaced(&self.server.slug, &self.tool.name)
    }
}

/// Whether agents with `ctx` may reach `server` at all: it is enabled, in
/// the key's project and, for a key limited to listed servers, listed.
fn reachable(ctx: &TenantContext, server: &McpServer) -> bool {
    let listed = match ctx.resource_limit(ResourceKind::McpServer) {
        Some(listed) => listed.contains(&ResourceRef::from(&server.id)),
        None => true,
    };
    server.enabled && ctx.project_scope() == Some(&server.project_id) && listed
}

/// Every tool agents with `ctx` may be offered (none a policy denies),
/// servers in id order and each server's tools by name. One query for the org's servers, then one
/// per reachable server, concurrently.
pub async fn offered(store: &dyn Store, ctx: &TenantContext) -> Result<Vec<Offered>, StoreError> {
    let tenant = ctx.tenant();
    let query = McpServer::query(tenant);
    let first = store.query(&query).await?;
    let servers: Vec<Arc<McpServer>> = all_from(store, query, first)
        .await?
        .iter()
        .map(|item| item.parse::<McpServer>())
        .filter(|server| server.as_ref().map_or(true, |s| reachable(ctx, s)))
        .map(|server| server.map(Arc::new))
        .collect::<Result<_, _>>()?;
    let listings = try_join_all(servers.iter().map(|server| async move {
        let query = UpstreamTool::query(tenant, &server.id);
        let first = store.query(&query).await?;
        all_from(store, query, first).await
    }))
    .await?;
    let mut offered = Vec::new();
    for (server, items) in servers.iter().zip(listings) {
        for item in items {
            let tool: UpstreamTool = item.parse()?;
            if tool.is_callable() && !policy::denied(&server.policy_bindings, &tool.name) {
                offered.push(Offered { server: Arc::clone(server), tool });
            }
        }
    }
    Ok(offered)
}

/// The tool agents with `ctx` call `name` (`<slug>__<tool>`), if they may
/// be offered it: the slug's claim in the key's project, then the server
/// and the tool in one read. A tool a policy denies is found (the call is
/// then refused naming the policy), though never listed.
pub async fn find(store: &dyn Store, ctx: &TenantContext, name: &str) -> Result<Option<Offered>, StoreError> {
    let (Some((slug, tool)), Some(project)) = (server::split(name), ctx.project_scope()) else { return Ok(None) };
    let tenant = ctx.tenant();
    let Some(claim) = store.batch_get(&[McpServer::slug_key(tenant, project, &slug)]).await?.pop().flatten() else {
        return Ok(None);
    };
    let Ok(id) = serde_json::from_value::<McpServerId>(claim.data["mcp_server_id"].clone()) else {
        return Ok(None);
    };
    let mut items = store.batch_get(&[McpServer::key(tenant, &id), UpstreamTool::key(tenant, &id, tool)]).await?;
    let (Some(tool), Some(server)) = (items.pop().flatten(), items.pop().flatten()) else { return Ok(None) };
    let (server, tool) = (server.parse::<McpServer>()?, tool.parse::<UpstreamTool>()?);
    Ok((reachable(ctx, &server) && tool.is_callable()).then(|| Offered { server: Arc::new(server), tool }))
}
