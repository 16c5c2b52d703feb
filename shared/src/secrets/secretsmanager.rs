//! The AWS adapter: one Secrets Manager secret per name, tagged with its
//! org, deleted without a recovery window (the control plane's own record
//! of the credential is the undo). Spoken to in its JSON protocol
//! ([`crate::aws::json`]).

use async_trait::async_trait;
use serde::Deserialize;
use serde::de::IgnoredAny;
use serde_json::json;

use crate::aws::json::{AwsError, SECRETS_MANAGER};

use super::{SecretName, SecretValue, Secrets, SecretsError};

/// A name no secret has (a tenant's is `controlplane/{org}/{id}`, two
/// segments under the prefix; this has one): the health probe asks for its
/// value and expects "not found", which shows the service answers and
/// accepts the credentials without reading any secret (IAM grants
/// `GetSecretValue` on this name alone). It replaced `ListSecrets`, which
/// IAM cannot scope to resources.
pub const HEALTH_PROBE: &str = "controlplane/health-probe";

const NOT_FOUND: &str = "ResourceNotFoundException";

pub struct SecretsManager;

fn unavailable(e: AwsError) -> SecretsError {
    SecretsError::Unavailable(e.to_string())
}

/// The idempotency token of a create or put (the SDKs make one; a raw
/// request must): 32 hex digits, the same on every retry of the request.
fn request_token() -> String {
    crate::digest::hex(&rand::random::<[u8; 16]>())
}

#[derive(Deserialize)]
struct Written {
    #[serde(rename = "ARN")]
    arn: Option<String>,
}

#[derive(Deserialize)]
struct Read {
    #[serde(rename = "SecretString")]
    secret_string: Option<String>,
}

impl SecretsManager {
    /// Secrets Manager in the process's AWS account (see [`crate::aws`]);
    /// no network call.
    pub async fn from_env() -> Self {
        Self
    }

    async fn value(&self, id: &str) -> Result<Option<String>, AwsError> {
        match SECRETS_MANAGER.call::<Read>("GetSecretValue", &json!({ "SecretId": id })).await {
            Ok(read) => Ok(read.secret_string),
            Err(e) if e.code() == Some(NOT_FOUND) => Ok(None),
            Err(e) => Err(e),
        }
    }
}

#[async_trait]
impl Secrets for SecretsManager {
    async fn put(&self, name: &SecretName, value: &SecretValue) -> Result<String, SecretsError> {
        let create = json!({
            "Name": name.as_str(),
            "SecretString": value.expose(),
            "ClientRequestToken": request_token(),
            "Tags": [{ "Key": "controlplane:org", "Value": name.tenant() }],
        });
        let written = match SECRETS_MANAGER.call::<Written>("CreateSecret", &create).await {
            Err(e) if e.code() == Some("ResourceExistsException") => {
                let put = json!({
                    "SecretId": name.as_str(),
                    "SecretString": value.expose(),
                    "ClientRequestToken": request_token(),
                });
                SECRETS_MANAGER.call::<Written>("PutSecretValue", &put).await.map_err(unavailable)?
            }
            created => created.map_err(unavailable)?,
        };
        Ok(written.arn.unwrap_or_else(|| name.as_str().to_owned()))
    }

    async fn get(&self, name: &SecretName) -> Result<Option<SecretValue>, SecretsError> {
        Ok(self.value(name.as_str()).await.map_err(unavailable)?.map(SecretValue))
    }

    async fn delete(&self, name: &SecretName) -> Result<(), SecretsError> {
        let delete = json!({ "SecretId": name.as_str(), "ForceDeleteWithoutRecovery": true });
        match SECRETS_MANAGER.call::<IgnoredAny>("DeleteSecret", &delete).await {
            Ok(_) => Ok(()),
            Err(e) if e.code() == Some(NOT_FOUND) => Ok(()),
            Err(e) => Err(unavailable(e)),
        }
    }

    async fn ping(&self) -> Result<(), SecretsError> {
        self.value(HEALTH_PROBE).await.map(|_| ()).map_err(unavailable)
    }
}
