//! Evidence: what a source run or an accepted pushed batch produced, kept
//! as a blob (S3 on AWS, a file locally) with its size and SHA-256; the
//! item lists it under its source, newest first (ids sort by time).

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::base::error::DomainError;
use crate::base::ids::{EvidenceId, JobId, SourceId};
use crate::base::tenant::{OrgId, TenantId};
use crate::domain::source::Source;
use crate::ports::blobs::BlobKey;
use crate::ports::store::{Item, Key, Partition, Query, SortKey};

fn collection(source: &SourceId) -> String {
    format!("EVIDENCE#{source}")
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct Evidence {
    pub id: EvidenceId,
    pub org_id: OrgId,
    pub source_id: SourceId,
    /// The run that produced it; none for a pushed batch.
    pub job_id: Option<JobId>,
    /// What it is: `mcp_config_report`, `iac_findings`, `reachability`,
    /// `trace_batch`, `result_batch`, or `scan_error`/`run_error` for a run
    /// that could not scan (unparsable document, missing credential).
    pub kind: String,
    pub summary: String,
    /// Where the blob is: `s3://bucket/key` on AWS, `file:///path` locally.
    pub location: String,
    pub size: u64,
    /// Hex SHA-256 of the blob.
    pub sha256: String,
    pub created_at: DateTime<Utc>,
}

impl Evidence {
    pub fn key(tenant: &TenantId, source: &SourceId, id: &EvidenceId) -> Key {
        Key::tenant_collection(tenant, &collection(source), id.to_string())
    }

    pub fn item(&self) -> Result<Item, DomainError> {
        Ok(Item::new(Self::key(&TenantId::acting_for(&self.org_id), &self.source_id, &self.id), 1, self)?)
    }

    /// The partition of a source's evidence.
    pub fn partition(tenant: &TenantId, source: &SourceId) -> Partition {
        Partition::tenant_collection(tenant, &collection(source))
    }

    /// A source's evidence, newest first.
    pub fn query(tenant: &TenantId, source: &SourceId) -> Query {
        let prefix = format!("{}_", EvidenceId::PREFIX);
        Query::new(Self::partition(tenant, source), SortKey::BeginsWith(prefix)).descending(true)
    }

    /// Where its blob is kept: `{org}/evidence/{source}.{id}.json` in the
    /// source's region's store.
    pub fn blob_key(source: &Source, id: &EvidenceId) -> Result<BlobKey, DomainError> {
        let name = format!("{}.{id}.json", source.id);
        BlobKey::new(&TenantId::acting_for(&source.org_id), source.region.as_ref(), "evidence", &name)
            .map_err(|e| DomainError::Internal(e.to_string()))
    }
}
