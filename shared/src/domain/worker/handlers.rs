//! Which handler runs each job type: the sets the worker functions and the
//! local server register.

use crate::domain::worker::mcp::DiscoverMcpServer;
use crate::ports::mcp_upstream::DynMcpUpstream;
use std::sync::Arc;

use crate::domain::job::JobType;
use crate::domain::limits::CheckUsageLimits;
use crate::domain::orchestrator::Orchestrator;
use crate::domain::webhooks::job::{DeliverWebhook, DeliveryRecords};
use crate::domain::webhooks::target::Allowances;
use crate::domain::worker::audit_export::ExportAudit;
use crate::domain::worker::backup::ExportBackup;
use crate::domain::worker::rotation::RetireRotatedTokens;
use crate::domain::worker::sources::TestCredential;
use crate::ports::blobs::DynBlobs;
use crate::ports::secrets::DynSecrets;

use super::Handlers;
use super::runner::{HttpProbe, Probe, Runners};
use super::runs::RunSource;

/// The handler of every job type the worker runs.
pub fn handlers(orchestrator: Arc<dyn Orchestrator>, blobs: DynBlobs) -> Handlers {
    let handlers = Handlers::default()
        .register(JobType::CheckUsageLimits, CheckUsageLimits)
        .register(JobType::ExportBackup, ExportBackup(blobs.clone()))
        .register(JobType::ExportAudit, ExportAudit(blobs))
        .register(JobType::RotateKey, RetireRotatedTokens)
        // Deliveries run on the webhooks queue; here only their give-up.
        .register(JobType::DeliverWebhook, DeliveryRecords);
    crate::domain::worker::provisioning::register(handlers, orchestrator)
}

/// Adds the handler of webhook deliveries (the `webhook-delivery`
/// function's; `cargo run` runs it in its one worker).
pub fn with_deliveries(handlers: Handlers, secrets: DynSecrets, allow: Allowances) -> Handlers {
    handlers.register(JobType::DeliverWebhook, DeliverWebhook { secrets, allow })
}

/// Adds the handlers that read credential values: credential tests and
/// source runs and tests (evidence goes to `blobs`; outside services are
/// reached through `probe`).
pub fn with_sources(handlers: Handlers, secrets: DynSecrets, blobs: DynBlobs, probe: Arc<dyn Probe>) -> Handlers {
    let runs = || RunSource { secrets: secrets.clone(), blobs: blobs.clone(), runners: Runners::new(probe.clone()) };
    handlers
        .register(JobType::TestCredential, TestCredential { secrets: secrets.clone() })
        .register(JobType::RunSource, runs())
        .register(JobType::TestSource, runs())
}

/// Adds the discovery of upstream MCP servers, which reads their
/// credentials and reaches them through `upstream` (public addresses only,
/// unless `allow` lets it reach loopback).
pub fn with_mcp(handlers: Handlers, secrets: DynSecrets, upstream: DynMcpUpstream, allow: Allowances) -> Handlers {
    handlers.register(JobType::DiscoverMcpServer, DiscoverMcpServer { secrets, upstream, allow })
}

/// The probe a worker reaches sources with: public addresses only, unless
/// `allow` lets it reach loopback (`CONTROLPLANE_WEBHOOKS_ALLOW_LOCAL`, for
/// development).
pub fn probe(allow: Allowances) -> Arc<dyn Probe> {
    Arc::new(HttpProbe::new(allow))
}
