//! The AWS adapter: one Secrets Manager secret per name, tagged with its
//! org, deleted without a recovery window (the control plane's own record
//! of the credential is the undo), through `aws-sdk-secretsmanager`
//! (retries and timeouts: [`crate::ports::aws`]). The SDK gives each create and
//! put its `ClientRequestToken`, the same on every retry of it.

use async_trait::async_trait;
use aws_sdk_secretsmanager::Client;
use aws_sdk_secretsmanager::error::ProvideErrorMetadata;
use aws_sdk_secretsmanager::types::Tag;

use crate::ports::aws::describe;

use super::{SecretName, SecretValue, Secrets, SecretsError};

/// A name no secret has (a tenant's is `controlplane/{org}/{id}`, two
/// segments under the prefix; this has one): the health probe asks for its
/// value and expects "not found", which shows the service answers and
/// accepts the credentials without reading any secret (IAM grants
/// `GetSecretValue` on this name alone; `ListSecrets` cannot be scoped to
/// resources).
pub const HEALTH_PROBE: &str = "controlplane/health-probe";

const NOT_FOUND: &str = "ResourceNotFoundException";

/// Secrets Manager in the process's AWS region, or in another's.
pub struct SecretsManager {
    elsewhere: Option<Client>,
}

fn unavailable(e: impl std::error::Error) -> SecretsError {
    SecretsError::Unavailable(describe(e))
}

impl SecretsManager {
    /// Secrets Manager in the process's AWS account (see
    /// [`crate::ports::aws`]), in its region or `aws_region`; no network call.
    pub async fn from_env(aws_region: Option<&str>) -> Self {
        let elsewhere = match aws_region {
            Some(region) => Some(crate::ports::aws::client_in(region, Client::new).await),
            None => None,
        };
        Self { elsewhere }
    }

    async fn client(&self) -> &Client {
        match &self.elsewhere {
            Some(client) => client,
            None => crate::ports::aws::secrets_manager().await,
        }
    }

    /// The secret's value; `None` when no secret has the name.
    pub async fn value(&self, id: &str) -> Result<Option<String>, SecretsError> {
        crate::ports::aws::secret_string_from(self.client().await, id).await.map_err(SecretsError::Unavailable)
    }
}

#[async_trait]
impl Secrets for SecretsManager {
    async fn put(&self, name: &SecretName, value: &SecretValue) -> Result<String, SecretsError> {
        let client = self.client().await;
        let tag = Tag::builder().key("controlplane:org").value(name.tenant()).build();
        let created = client.create_secret().name(name.as_str()).secret_string(value.expose()).tags(tag).send().await;
        let arn = match created {
            Ok(created) => created.arn,
            Err(e) if e.code() == Some("ResourceExistsException") => {
                let put = client.put_secret_value().secret_id(name.as_str()).secret_string(value.expose());
                put.send().await.map_err(unavailable)?.arn
            }
            Err(e) => return Err(unavailable(e)),
        };
        Ok(arn.unwrap_or_else(|| name.as_str().to_owned()))
    }

    async fn get(&self, name: &SecretName) -> Result<Option<SecretValue>, SecretsError> {
        Ok(self.value(name.as_str()).await?.map(SecretValue))
    }

    async fn delete(&self, name: &SecretName) -> Result<(), SecretsError> {
        let delete = self.client().await.delete_secret().secret_id(name.as_str()).force_delete_without_recovery(true);
        match delete.send().await {
            Ok(_) => Ok(()),
            Err(e) if e.code() == Some(NOT_FOUND) => Ok(()),
            Err(e) => Err(unavailable(e)),
        }
    }

    async fn ping(&self) -> Result<(), SecretsError> {
        self.value(HEALTH_PROBE).await.map(|_| ())
    }
}
