//! The worker side of sources: the access re-check at claim, the
//! credential test. The runners and the run handler are in the worker crate.

pub mod access;

use crate::base::tenant::TenantId;
use async_trait::async_trait;
use chrono::{DateTime, Utc};
use serde_json::json;

use crate::base::ids::CredentialId;
use crate::base::rbac::Permission;
use crate::domain::audit::Target;
use crate::domain::credential::{CredentialRef, CredentialValue, TestOutcome, TestResult};
use crate::domain::job::Job;
use crate::domain::worker::{Done, Failure, JobHandler, job_event};
use crate::ports::secrets::{DynSecrets, SecretsError};
use crate::ports::store::{Condition, DynStore, WriteOp};

fn transient(e: impl std::fmt::Display) -> Failure {
    Failure::Transient(e.to_string())
}

/// Reads a credential's value from the secrets store and checks it against
/// its kind. Errors say what is wrong, never what the value is.
pub async fn resolve(
    secrets: &DynSecrets,
    credential: &CredentialRef,
) -> Result<Result<CredentialValue, String>, SecretsError> {
    let name = CredentialRef::secret_name(
        &TenantId::acting_for(&credential.org_id),
        credential.region.as_ref(),
        &credential.id,
    )?;
    Ok(match secrets.get(&name).await? {
        None => Err("the value is missing from the secrets store".into()),
        Some(secret) => CredentialValue::from_secret(credential.kind, &secret),
    })
}

/// `test_credential`: the requester must still manage credentials; the
/// value must be in the secrets store and valid for its kind. The outcome
/// lands on the credential (`last_tested_at`, `last_test_result`).
pub struct TestCredential {
    pub secrets: DynSecrets,
}

impl TestCredential {
    fn outcome(credential: &CredentialRef, result: TestResult, now: DateTime<Utc>) -> CredentialRef {
        let mut next = credential.clone();
        next.last_tested_at = Some(now);
        next.last_test_result = Some(result);
        next.version += 1;
        next.updated_at = now;
        next
    }
}

#[async_trait]
impl JobHandler for TestCredential {
    async fn run(&self, job: &Job, store: &DynStore) -> Result<Done, Failure> {
        let id: CredentialId = serde_json::from_value(job.payload["credential_ref_id"].clone())
            .map_err(|_| Failure::Permanent("the job names no credential".into()))?;
        let now = crate::now();
        if let Err(refused) =
            access::recheck(store.as_ref(), &job.org_id, &job.requested_by, Permission::CredentialsManage, None, now)
                .await
                .map_err(transient)?
        {
            return Err(Failure::Permanent(refused.to_string()));
        }
        let item = store
            .batch_get(&[CredentialRef::key(&TenantId::acting_for(&job.org_id), &id)])
            .await
            .map_err(transient)?
            .pop()
            .flatten();
        let Some(credential) = item.map(|i| i.parse::<CredentialRef>()).transpose().map_err(transient)? else {
            return Err(Failure::Permanent(format!("credential {id} no longer exists")));
        };
        let result = match resolve(&self.secrets, &credential).await.map_err(transient)? {
            Ok(_) => TestResult { outcome: TestOutcome::Ok, message: "the value is stored and well formed".into() },
            Err(why) => TestResult { outcome: TestOutcome::Error, message: why },
        };
        let next = Self::outcome(&credential, result.clone(), now);
        let target = Target { kind: "credential".into(), id: id.to_string() };
        let event = job_event(job, "credential.tested", target, json!({ "outcome": result.outcome }));
        Ok(Done {
            result: json!({ "credential_ref_id": id, "outcome": result.outcome, "message": result.message }),
            writes: vec![WriteOp::put_if(
                next.item().map_err(transient)?,
                Condition::VersionEquals(credential.version),
            )],
            events: vec![event],
        })
    }
}
