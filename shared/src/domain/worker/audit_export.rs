//! The `export_audit` job: the events a filter selects, oldest first, as
//! one CSV file in the blob store (`{org}/audit-exports/{job_id}.csv`).
//!
//! Each row carries its sequence number, `prev_hash` and `hash`, so the
//! file verifies offline (`scripts/verify_audit_export.py`); the job's
//! result records the chain's head when the export ran, so an unfiltered
//! export can also be checked for completeness up to that point.

use async_trait::async_trait;
use serde_json::json;

use crate::base::tenant::TenantId;
use crate::domain::audit::chain::Head;
use crate::domain::audit::csv::{CONTENT_TYPE, CsvWriter};
use crate::domain::audit::filter::Filter;
use crate::domain::audit::{AuditEvent, Target};
use crate::domain::job::Job;
use crate::domain::worker::{Done, Failure, JobHandler};
use crate::ports::blobs::{BlobKey, DynBlobs};
use crate::ports::store::{DynStore, StoreError, query_filtered};

/// The most events one export holds; a larger selection fails the job
/// with a clear error (narrow the date range).
pub const MAX_ROWS: usize = 100_000;
pub const BLOB_KIND: &str = "audit-exports";

/// Where an export job's file is kept: its org's region's store.
pub fn blob_key(tenant: &TenantId, job: &Job) -> Result<BlobKey, crate::ports::blobs::BlobError> {
    BlobKey::new(tenant, job.region.as_ref(), BLOB_KIND, &format!("{}.csv", job.id))
}

pub struct ExportAudit(pub DynBlobs);

fn transient(e: StoreError) -> Failure {
    Failure::Transient(e.to_string())
}

#[async_trait]
impl JobHandler for ExportAudit {
    async fn run(&self, job: &Job, store: &DynStore) -> Result<Done, Failure> {
        let org = &job.org_id;
        let filter: Filter = serde_json::from_value(job.payload.get("filter").cloned().unwrap_or(json!({})))
            .map_err(|e| Failure::Permanent(format!("the export's filter is invalid: {e}")))?;
        let head = Head::read(store.as_ref(), &TenantId::acting_for(org))
            .await
            .map_err(transient)?
            .map(|(head, _)| head)
            .unwrap_or_default();
        let mut query = filter.query(&TenantId::acting_for(org)).descending(false).limit(1000);
        let mut csv = CsvWriter::new();
        let (mut rows, mut first_seq, mut last_seq) = (0usize, None, None);
        loop {
            let page = query_filtered(store.as_ref(), &query, |item| filter.matches(item)).await.map_err(transient)?;
            for item in &page.items {
                let event: AuditEvent = item.parse().map_err(|e| Failure::Permanent(e.to_string()))?;
                first_seq.get_or_insert(event.seq);
                last_seq = Some(event.seq);
                csv.event(&event);
            }
            rows += page.items.len();
            if rows > MAX_ROWS {
                return Err(Failure::Permanent(format!(
                    "the selection holds more than {MAX_ROWS} events; narrow the date range"
                )));
            }
            match page.next {
                Some(next) => query.start = Some(next),
                None => break,
            }
        }
        let key = blob_key(&TenantId::acting_for(org), job).map_err(|e| Failure::Permanent(e.to_string()))?;
        let stored =
            self.0.put(&key, csv.finish(), CONTENT_TYPE).await.map_err(|e| Failure::Transient(e.to_string()))?;
        let result = json!({
            "rows": rows, "size": stored.size, "sha256": stored.sha256,
            "first_seq": first_seq, "last_seq": last_seq,
            "head_seq": head.seq, "head_hash": head.hash,
        });
        let target = Target { kind: "audit_export".into(), id: job.id.to_string() };
        let metadata = json!({ "rows": rows, "size": stored.size, "sha256": stored.sha256 });
        let event = AuditEvent::by_system(org, "worker", &job.trace_id, "audit.exported", target, metadata);
        Ok(Done { result, writes: Vec::new(), events: vec![event] })
    }
}
