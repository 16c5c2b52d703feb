//! The `export_backup` job: the org's control-plane state as one JSON
//! document in the blob store (`{org}/backups/{job_id}.json`).
//!
//! It holds every item of the org's partitions — the org, members, roles,
//! projects, keys (without their token hashes), quotas, budgets, sources,
//! credential references, schedules, evidence records, jobs, the audit log
//! and usage counters — as `{pk, sk, version, data}`. Credential
//! values are not in the table, so never in a backup. The blob is named by
//! the job, so a re-run replaces it rather than adding another.

use async_trait::async_trait;
use chrono::Utc;
use serde_json::{Value, json};

use crate::base::tenant::TenantId;
use crate::domain::apikey::KEY_PREFIX;
use crate::domain::audit::{self, AuditEvent, Target};
use crate::domain::job::{self, Job};
use crate::domain::project::{PROJECT_PREFIX, Project};
use crate::domain::source::evidence::Evidence;
use crate::domain::source::{SOURCE_PREFIX, Source};
use crate::domain::worker::{Done, Failure, JobHandler};
use crate::ports::blobs::{BlobKey, DynBlobs};
use crate::ports::store::{DynStore, Item, Partition, Query, SortKey, StoreError};

/// The most items one backup holds; a larger org fails the job with a clear error.
pub const MAX_ITEMS: usize = 200_000;
pub const FORMAT: &str = "controlplane.backup.v1";
pub const BLOB_KIND: &str = "backups";

/// Where a backup job's document is kept: its org's region's store.
pub fn blob_key(tenant: &TenantId, job: &Job) -> Result<BlobKey, crate::ports::blobs::BlobError> {
    BlobKey::new(tenant, job.region.as_ref(), BLOB_KIND, &format!("{}.json", job.id))
}

pub struct ExportBackup(pub DynBlobs);

/// Every live item of a partition, in key order.
async fn all(store: &DynStore, partition: Partition, into: &mut Vec<Item>) -> Result<(), Failure> {
    let mut query = Query::new(partition, SortKey::Any).limit(1000);
    loop {
        let page = store.query(&query).await.map_err(|e: StoreError| Failure::Transient(e.to_string()))?;
        into.extend(page.items);
        if into.len() > MAX_ITEMS {
            return Err(Failure::Permanent(format!("the organization holds more than {MAX_ITEMS} items")));
        }
        match page.next {
            Some(next) => query = query.start(Some(next)),
            None => return Ok(()),
        }
    }
}

/// An item as the backup shows it: API keys lose their token hashes.
fn exported(item: &Item) -> Value {
    let mut data = item.data.clone();
    if item.key.sk().starts_with(KEY_PREFIX)
        && let Some(fields) = data.as_object_mut()
    {
        fields.remove("hashes");
    }
    json!({ "pk": item.key.pk(), "sk": item.key.sk(), "version": item.version, "data": data })
}

#[async_trait]
impl JobHandler for ExportBackup {
    async fn run(&self, job: &Job, store: &DynStore) -> Result<Done, Failure> {
        let org = &TenantId::acting_for(&job.org_id);
        let mut items = Vec::new();
        all(store, Partition::tenant(org), &mut items).await?;
        let projects: Vec<String> = items
            .iter()
            .filter(|i| i.key.sk().starts_with(PROJECT_PREFIX))
            .filter_map(|i| i.parse::<Project>().ok())
            .map(|p| p.id.to_string())
            .collect();
        let sources: Vec<Source> =
            items.iter().filter(|i| i.key.sk().starts_with(SOURCE_PREFIX)).filter_map(|i| i.parse().ok()).collect();
        for source in sources {
            all(store, Evidence::partition(org, &source.id), &mut items).await?;
        }
        all(store, Partition::tenant_collection(org, job::COLLECTION), &mut items).await?;
        all(store, Partition::tenant_collection(org, audit::PARTITION), &mut items).await?;
        for project in projects {
            all(store, Partition::tenant_collection(org, &format!("USAGE#{project}")), &mut items).await?;
        }
        let document = json!({
            "format": FORMAT,
            "org_id": org.org(),
            "job_id": job.id,
            "exported_at": Utc::now(),
            "items": items.iter().map(exported).collect::<Vec<_>>(),
        });
        let bytes = serde_json::to_vec(&document).map_err(|e| Failure::Permanent(e.to_string()))?;
        let key = blob_key(org, job).map_err(|e| Failure::Permanent(e.to_string()))?;
        let stored =
            self.0.put(&key, bytes, "application/json").await.map_err(|e| Failure::Transient(e.to_string()))?;
        let result = json!({
            "location": stored.location, "size": stored.size, "sha256": stored.sha256, "items": items.len(),
        });
        let target = Target { kind: "backup".into(), id: job.id.to_string() };
        let metadata = json!({ "size": stored.size, "sha256": stored.sha256, "items": items.len() });
        let event = AuditEvent::by_system(org.org(), "worker", &job.trace_id, "backup.exported", target, metadata);
        Ok(Done { result, writes: Vec::new(), events: vec![event] })
    }
}
