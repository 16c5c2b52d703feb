//! The AWS adapter: an SQS standard queue whose redrive policy moves a
//! message to `NAME-dlq` after `maxReceiveCount` receives, spoken to
//! through `aws-sdk-sqs` (retries and timeouts: [`crate::ports::aws`]).

use std::sync::Arc;
use std::time::Duration;

use async_trait::async_trait;
use aws_sdk_sqs::Client;
use aws_sdk_sqs::types::{MessageSystemAttributeName, QueueAttributeName};
use tokio::sync::OnceCell;

use crate::ports::aws::{Lazy, describe};

use super::{DynQueue, Queue, QueueError, Received, check_batch, check_delay, check_visibility};

/// The process's SQS client, built on first use.
static CLIENT: Lazy<Client> = Lazy::new(Client::new);

#[derive(Clone)]
pub struct SqsQueue {
    name: String,
    /// The id of the account that owns the queue, when configured.
    owner: Option<String>,
    /// Built from the owner and name, or else looked up by name, on first
    /// use; then kept.
    url: Arc<OnceCell<String>>,
}

fn unavailable(e: impl std::error::Error) -> QueueError {
    QueueError::Unavailable(describe(e))
}

/// SQS takes whole seconds (a delay or visibility is at most 15 or
/// 720 minutes: the checks bound them).
fn seconds(d: Duration) -> i32 {
    d.as_secs_f64().ceil() as i32
}

async fn client() -> &'static Client {
    CLIENT.get().await
}

/// The URL of queue `name` owned by account `owner`: SQS's endpoint in the
/// process's region, or the emulator's (`AWS_ENDPOINT_URL`).
async fn owned_url(owner: &str, name: &str) -> String {
    let config = crate::ports::aws::config().await;
    let endpoint = match config.endpoint_url() {
        Some(endpoint) => endpoint.trim_end_matches('/').to_owned(),
        None => {
            let region = config.region().map(|r| r.as_ref().to_owned()).unwrap_or_default();
            let domain = if region.starts_with("cn-") { "amazonaws.com.cn" } else { "amazonaws.com" };
            format!("https://sqs.{region}.{domain}")
        }
    };
    format!("{endpoint}/{owner}/{name}")
}

impl SqsQueue {
    /// The queue `name` in the process's AWS account (see [`crate::ports::aws`]);
    /// no network call.
    pub async fn from_env(name: &str) -> Self {
        Self { name: name.to_owned(), owner: None, url: Arc::default() }
    }

    /// The queue as owned by account `owner` (a 12-digit id): its URL is
    /// SQS's endpoint, the owner and the name, with no `GetQueueUrl`.
    pub fn owned_by(self, owner: Option<&str>) -> Self {
        Self { owner: owner.map(str::to_owned), ..self }
    }

    pub fn name(&self) -> &str {
        &self.name
    }

    async fn url(&self) -> Result<&str, QueueError> {
        self.url
            .get_or_try_init(|| async {
                if let Some(owner) = &self.owner {
                    return Ok(owned_url(owner, &self.name).await);
                }
                let found = client()
                    .await
                    .get_queue_url()
                    .queue_name(&self.name)
                    .send()
                    .await
                    .map_err(|e| QueueError::Unavailable(format!("queue {}: {}", self.name, describe(e))))?;
                found.queue_url.ok_or_else(|| QueueError::Unavailable(format!("queue {}: no URL", self.name)))
            })
            .await
            .map(String::as_str)
    }

    fn dead_letter_queue(&self) -> Self {
        Self { name: format!("{}-dlq", self.name), owner: self.owner.clone(), url: Arc::default() }
    }

    /// Creates the queue and its dead-letter queue (redrive after
    /// `max_receives`) unless they exist: local emulators and tests; on AWS
    /// the SAM template owns them.
    pub async fn ensure_queue(&self, max_receives: u32) -> Result<(), QueueError> {
        let client = client().await;
        let dead = client.create_queue().queue_name(format!("{}-dlq", self.name)).send().await.map_err(unavailable)?;
        let attributes = client
            .get_queue_attributes()
            .set_queue_url(dead.queue_url)
            .attribute_names(QueueAttributeName::QueueArn)
            .send()
            .await
            .map_err(unavailable)?;
        let arn = attributes.attributes.and_then(|mut a| a.remove(&QueueAttributeName::QueueArn));
        let arn = arn.ok_or_else(|| QueueError::Unavailable("the dead-letter queue has no ARN".into()))?;
        let redrive = serde_json::json!({ "deadLetterTargetArn": arn, "maxReceiveCount": max_receives }).to_string();
        client
            .create_queue()
            .queue_name(&self.name)
            .attributes(QueueAttributeName::RedrivePolicy, redrive)
            .send()
            .await
            .map_err(unavailable)?;
        Ok(())
    }
}

#[async_trait]
impl Queue for SqsQueue {
    async fn send(&self, body: &str, delay: Duration) -> Result<(), QueueError> {
        check_delay(delay)?;
        let url = self.url().await?;
        let sent = client().await.send_message().queue_url(url).message_body(body).delay_seconds(seconds(delay));
        sent.send().await.map_err(unavailable)?;
        Ok(())
    }

    async fn receive(&self, max: usize, visibility: Duration) -> Result<Vec<Received>, QueueError> {
        check_batch(max, visibility)?;
        let received = client()
            .await
            .receive_message()
            .queue_url(self.url().await?)
            .max_number_of_messages(max as i32)
            .visibility_timeout(seconds(visibility))
            .wait_time_seconds(0)
            .message_system_attribute_names(MessageSystemAttributeName::ApproximateReceiveCount)
            .send()
            .await
            .map_err(unavailable)?;
        Ok(received
            .messages
            .unwrap_or_default()
            .into_iter()
            .map(|m| Received {
                receive_count: m
                    .attributes
                    .as_ref()
                    .and_then(|a| a.get(&MessageSystemAttributeName::ApproximateReceiveCount))
                    .and_then(|c| c.parse().ok())
                    .unwrap_or(1),
                id: m.message_id.unwrap_or_default(),
                body: m.body.unwrap_or_default(),
                receipt: m.receipt_handle.unwrap_or_default(),
            })
            .collect())
    }

    async fn delete(&self, receipt: &str) -> Result<(), QueueError> {
        let url = self.url().await?;
        client().await.delete_message().queue_url(url).receipt_handle(receipt).send().await.map_err(unavailable)?;
        Ok(())
    }

    async fn retry_after(&self, receipt: &str, delay: Duration) -> Result<(), QueueError> {
        check_visibility(delay)?;
        let change = client()
            .await
            .change_message_visibility()
            .queue_url(self.url().await?)
            .receipt_handle(receipt)
            .visibility_timeout(seconds(delay));
        change.send().await.map_err(unavailable)?;
        Ok(())
    }

    fn dead_letters(&self) -> DynQueue {
        Arc::new(self.dead_letter_queue())
    }

    /// The queue answers: its URL resolved, and its attributes read (a
    /// queue whose URL is built has not been asked anything before this).
    async fn ping(&self) -> Result<(), QueueError> {
        let url = self.url().await?;
        let asked = client().await.get_queue_attributes().queue_url(url).attribute_names(QueueAttributeName::QueueArn);
        asked.send().await.map_err(unavailable)?;
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn a_queue_whose_owner_is_named_is_not_looked_up() {
        // No such queue exists anywhere: looking its URL up would fail.
        let queue = SqsQueue::from_env("never-created-7f3a").await.owned_by(Some("123456789012"));
        let url = owned_url("123456789012", "never-created-7f3a").await;
        assert!(url.ends_with("/123456789012/never-created-7f3a"), "{url}");
        assert_eq!(queue.url().await.expect("built"), url);
        let dead = queue.dead_letter_queue();
        assert_eq!(dead.url().await.expect("built"), format!("{url}-dlq"));
    }
}
