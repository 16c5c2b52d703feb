//! The AWS adapter: one Secrets Manager secret per name, tagged with its
//! org, deleted without a recovery window (the control plane's own record
//! of the credential is the undo).

use std::sync::Arc;

use async_trait::async_trait;
use aws_sdk_secretsmanager::Client;
use aws_sdk_secretsmanager::error::DisplayErrorContext;
use aws_sdk_secretsmanager::operation::create_secret::CreateSecretError;
use aws_sdk_secretsmanager::operation::delete_secret::DeleteSecretError;
use aws_sdk_secretsmanager::operation::get_secret_value::GetSecretValueError;
use aws_sdk_secretsmanager::types::Tag;

use crate::aws::Lazy;

use super::{SecretName, SecretValue, Secrets, SecretsError};

/// A name no secret has (a tenant's is `controlplane/{org}/{id}`, two
/// segments under the prefix; this has one): the health probe asks for its
/// value and expects "not found", which shows the service answers and
/// accepts the credentials without reading any secret (IAM grants
/// `GetSecretValue` on this name alone). It replaced `ListSecrets`, which
/// IAM cannot scope to resources and whose client code was 35 KiB of each
/// binary holding this adapter.
pub const HEALTH_PROBE: &str = "controlplane/health-probe";

pub struct SecretsManager {
    client: Arc<Lazy<Client>>,
}

fn sdk<E: std::error::Error>(e: E) -> SecretsError {
    SecretsError::Unavailable(DisplayErrorContext(e).to_string())
}

impl SecretsManager {
    /// Secrets Manager, its client built from the process's AWS
    /// configuration on first use (see [`crate::aws`]); no network call.
    pub async fn from_env() -> Self {
        Self { client: Arc::new(Lazy::new(Client::new)) }
    }

    async fn client(&self) -> &Client {
        self.client.get().await
    }
}

#[async_trait]
impl Secrets for SecretsManager {
    async fn put(&self, name: &SecretName, value: &SecretValue) -> Result<String, SecretsError> {
        let tag = Tag::builder().key("controlplane:org").value(name.tenant()).build();
        let created = self
            .client()
            .await
            .create_secret()
            .name(name.as_str())
            .secret_string(value.expose())
            .tags(tag)
            .send()
            .await;
        match created {
            Ok(out) => Ok(out.arn.unwrap_or_else(|| name.as_str().to_owned())),
            Err(e) if matches!(e.as_service_error(), Some(CreateSecretError::ResourceExistsException(_))) => {
                let out = self
                    .client()
                    .await
                    .put_secret_value()
                    .secret_id(name.as_str())
                    .secret_string(value.expose())
                    .send()
                    .await
                    .map_err(sdk)?;
                Ok(out.arn.unwrap_or_else(|| name.as_str().to_owned()))
            }
            Err(e) => Err(sdk(e)),
        }
    }

    async fn get(&self, name: &SecretName) -> Result<Option<SecretValue>, SecretsError> {
        match self.client().await.get_secret_value().secret_id(name.as_str()).send().await {
            Ok(out) => Ok(out.secret_string.map(SecretValue)),
            Err(e) if matches!(e.as_service_error(), Some(GetSecretValueError::ResourceNotFoundException(_))) => {
                Ok(None)
            }
            Err(e) => Err(sdk(e)),
        }
    }

    async fn delete(&self, name: &SecretName) -> Result<(), SecretsError> {
        let deleted = self
            .client()
            .await
            .delete_secret()
            .secret_id(name.as_str())
            .force_delete_without_recovery(true)
            .send()
            .await;
        match deleted {
            Ok(_) => Ok(()),
            Err(e) if matches!(e.as_service_error(), Some(DeleteSecretError::ResourceNotFoundException(_))) => Ok(()),
            Err(e) => Err(sdk(e)),
        }
    }

    async fn ping(&self) -> Result<(), SecretsError> {
        match self.client().await.get_secret_value().secret_id(HEALTH_PROBE).send().await {
            Ok(_) => Ok(()),
            Err(e) if matches!(e.as_service_error(), Some(GetSecretValueError::ResourceNotFoundException(_))) => Ok(()),
            Err(e) => Err(sdk(e)),
        }
    }
}
