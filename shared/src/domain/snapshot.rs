//! The data plane's view of one project: status, environment, runtime
//! template, enabled services, quotas and rate limits, with a `version`
//! that grows whenever any of them changes (the sum of the project's, its
//! quotas' and its org's versions, each of which only grows).
//!
//! Served from a per-instance cache for [`TTL`]; a write in the same
//! process drops its entry at once. When the store cannot be read and no
//! entry younger than the TTL exists, there is no answer (the route says
//! 503): never a partial snapshot, never one older than the TTL.

use crate::base::tenant::TenantId;
use std::collections::{BTreeMap, HashMap};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use chrono::{DateTime, Utc};
use serde::Serialize;

use crate::base::ids::ProjectId;
use crate::base::tenant::OrgId;
use crate::domain::org::Org;
use crate::domain::project::{Environment, Project, ProjectLookup, ProjectStatus};
use crate::domain::ratelimit::{Limits, OrgLimits, Plan};
use crate::domain::usage::{Quotas, Service, ServiceQuota};
use crate::ports::store::{Store, StoreError};

/// How long a snapshot is served without reading the store again.
pub const TTL: Duration = Duration::from_secs(30);
const CAPACITY: usize = 10_000;

#[derive(Debug, Clone, PartialEq, Serialize, utoipa::ToSchema)]
pub struct Snapshot {
    pub project_id: ProjectId,
    pub org_id: OrgId,
    pub status: ProjectStatus,
    pub environment: Environment,
    pub runtime_template_version: Option<u32>,
    /// Services the project may use.
    pub enabled_services: Vec<Service>,
    pub quotas: BTreeMap<Service, ServiceQuota>,
    pub limits: RateLimits,
    /// Grows whenever anything above changes; also the `ETag`.
    pub version: u64,
    pub generated_at: DateTime<Utc>,
}

/// Requests per minute the org's plan allows, or its owner set.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct RateLimits {
    pub plan: Plan,
    pub org_requests_per_minute: u64,
    pub principal_reads_per_minute: u64,
    pub principal_writes_per_minute: u64,
}

/// Reads a project's snapshot: the project -> org lookup, then project,
/// quotas, org and the org's own limits in one batch. `None` when there is no such project.
pub async fn load(store: &dyn Store, limits: &Limits, project: &ProjectId) -> Result<Option<Snapshot>, StoreError> {
    let Some(org) = &ProjectLookup::find(store, project).await? else { return Ok(None) };
    let items = store
        .batch_get(&[
            Project::key(&TenantId::acting_for(org), project),
            Quotas::key(&TenantId::acting_for(org), project),
            Org::key(&TenantId::acting_for(org)),
            OrgLimits::key(&TenantId::acting_for(org)),
        ])
        .await?;
    let (Some(project_item), Some(org_item)) = (&items[0], &items[2]) else { return Ok(None) };
    let found: Project = project_item.parse()?;
    if found.is_deleted() {
        return Ok(None);
    }
    let org: Org = org_item.parse()?;
    let quotas = Quotas::from_item(project, items[1].as_ref())?;
    let (own, own_version) = OrgLimits::from_item(items[3].as_ref())?;
    let plan = own.applied(limits.of(org.plan)).limits;
    Ok(Some(Snapshot {
        project_id: found.id,
        org_id: org.id,
        status: found.status,
        environment: found.environment,
        runtime_template_version: found.runtime_template_version,
        enabled_services: Service::ALL.into_iter().filter(|s| quotas.of(*s).enabled).collect(),
        version: found.version + quotas.version + org.version + own_version,
        quotas: quotas.services,
        limits: RateLimits {
            plan: org.plan,
            org_requests_per_minute: plan.org.quota,
            principal_reads_per_minute: plan.principal_read.quota,
            principal_writes_per_minute: plan.principal_write.quota,
        },
        generated_at: crate::now(),
    }))
}

/// Snapshots read in the last [`TTL`], per function instance.
pub struct SnapshotCache {
    entries: Mutex<HashMap<ProjectId, (Arc<Snapshot>, Instant)>>,
    ttl: Duration,
}

impl Default for SnapshotCache {
    fn default() -> Self {
        Self::new(TTL)
    }
}

impl SnapshotCache {
    pub fn new(ttl: Duration) -> Self {
        Self { entries: Mutex::default(), ttl }
    }

    /// The cached snapshot, if younger than the TTL.
    pub fn fresh(&self, project: &ProjectId) -> Option<Arc<Snapshot>> {
        let entries = self.entries.lock().ok()?;
        entries.get(project).filter(|(_, at)| at.elapsed() < self.ttl).map(|(s, _)| Arc::clone(s))
    }

    pub fn put(&self, snapshot: Arc<Snapshot>) {
        if let Ok(mut entries) = self.entries.lock() {
            if entries.len() >= CAPACITY {
                let ttl = self.ttl;
                entries.retain(|_, (_, at)| at.elapsed() < ttl);
                if entries.len() >= CAPACITY {
                    entries.clear();
                }
            }
            entries.insert(snapshot.project_id.clone(), (snapshot, Instant::now()));
        }
    }

    /// Drops a project's entry (its quotas changed in this process).
    pub fn invalidate(&self, project: &ProjectId) {
        if let Ok(mut entries) = self.entries.lock() {
            entries.remove(project);
        }
    }
}
