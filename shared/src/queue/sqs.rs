//! The AWS adapter: an SQS standard queue whose redrive policy moves a
//! message to `NAME-dlq` after `maxReceiveCount` receives. Spoken to in
//! SQS's JSON protocol ([`crate::aws::json`]).

use std::collections::HashMap;
use std::sync::Arc;
use std::time::Duration;

use async_trait::async_trait;
use serde::Deserialize;
use serde::de::DeserializeOwned;
use serde::de::IgnoredAny;
use serde_json::json;
use tokio::sync::OnceCell;

use crate::aws::json::SQS;

use super::{DynQueue, Queue, QueueError, Received, check_batch, check_delay, check_visibility};

#[derive(Clone)]
pub struct SqsQueue {
    name: String,
    /// The id of the account that owns the queue, when configured.
    owner: Option<String>,
    /// Built from the owner and name, or else looked up by name, on first
    /// use; then kept.
    url: Arc<OnceCell<String>>,
}

fn unavailable(e: impl std::fmt::Display) -> QueueError {
    QueueError::Unavailable(e.to_string())
}

fn seconds(d: Duration) -> i64 {
    d.as_secs_f64().ceil() as i64
}

#[derive(Deserialize)]
#[serde(rename_all = "PascalCase")]
struct QueueUrl {
    queue_url: String,
}

#[derive(Deserialize)]
#[serde(rename_all = "PascalCase")]
struct Messages {
    #[serde(default)]
    messages: Vec<Message>,
}

#[derive(Deserialize)]
#[serde(rename_all = "PascalCase")]
struct Message {
    message_id: String,
    receipt_handle: String,
    #[serde(default)]
    body: String,
    #[serde(default)]
    attributes: HashMap<String, String>,
}

#[derive(Deserialize)]
#[serde(rename_all = "PascalCase")]
struct Attributes {
    #[serde(default)]
    attributes: HashMap<String, String>,
}

/// One SQS operation; its failure as the queue's.
async fn call<O: DeserializeOwned>(operation: &'static str, input: serde_json::Value) -> Result<O, QueueError> {
    SQS.call(operation, &input).await.map_err(unavailable)
}

impl SqsQueue {
    /// The queue `name` in the process's AWS account (see [`crate::aws`]);
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
                    let endpoint = crate::aws::signed::account().await.endpoint_of(SQS.name);
                    return Ok(format!("{endpoint}/{owner}/{}", self.name));
                }
                let found: QueueUrl = SQS
                    .call("GetQueueUrl", &json!({ "QueueName": self.name }))
                    .await
                    .map_err(|e| unavailable(format!("queue {}: {e}", self.name)))?;
                Ok(found.queue_url)
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
        let dead: QueueUrl = call("CreateQueue", json!({ "QueueName": format!("{}-dlq", self.name) })).await?;
        let attributes: Attributes =
            call("GetQueueAttributes", json!({ "QueueUrl": dead.queue_url, "AttributeNames": ["QueueArn"] })).await?;
        let arn = attributes.attributes.get("QueueArn").cloned();
        let arn = arn.ok_or_else(|| unavailable("the dead-letter queue has no ARN"))?;
        let redrive = json!({ "deadLetterTargetArn": arn, "maxReceiveCount": max_receives }).to_string();
        let _: QueueUrl =
            call("CreateQueue", json!({ "QueueName": self.name, "Attributes": { "RedrivePolicy": redrive } })).await?;
        Ok(())
    }
}

#[async_trait]
impl Queue for SqsQueue {
    async fn send(&self, body: &str, delay: Duration) -> Result<(), QueueError> {
        check_delay(delay)?;
        let send = json!({ "QueueUrl": self.url().await?, "MessageBody": body, "DelaySeconds": seconds(delay) });
        let _: IgnoredAny = call("SendMessage", send).await?;
        Ok(())
    }

    async fn receive(&self, max: usize, visibility: Duration) -> Result<Vec<Received>, QueueError> {
        check_batch(max, visibility)?;
        let receive = json!({
            "QueueUrl": self.url().await?,
            "MaxNumberOfMessages": max,
            "VisibilityTimeout": seconds(visibility),
            "WaitTimeSeconds": 0,
            "MessageSystemAttributeNames": ["ApproximateReceiveCount"],
        });
        let received: Messages = call("ReceiveMessage", receive).await?;
        Ok(received
            .messages
            .into_iter()
            .map(|m| Received {
                receive_count: m.attributes.get("ApproximateReceiveCount").and_then(|c| c.parse().ok()).unwrap_or(1),
                id: m.message_id,
                body: m.body,
                receipt: m.receipt_handle,
            })
            .collect())
    }

    async fn delete(&self, receipt: &str) -> Result<(), QueueError> {
        let _: IgnoredAny =
            call("DeleteMessage", json!({ "QueueUrl": self.url().await?, "ReceiptHandle": receipt })).await?;
        Ok(())
    }

    async fn retry_after(&self, receipt: &str, delay: Duration) -> Result<(), QueueError> {
        check_visibility(delay)?;
        let change = json!({
            "QueueUrl": self.url().await?,
            "ReceiptHandle": receipt,
            "VisibilityTimeout": seconds(delay),
        });
        let _: IgnoredAny = call("ChangeMessageVisibility", change).await?;
        Ok(())
    }

    fn dead_letters(&self) -> DynQueue {
        Arc::new(self.dead_letter_queue())
    }

    /// The queue answers: its URL resolved, and its attributes read (a
    /// queue whose URL is built has not been asked anything before this).
    async fn ping(&self) -> Result<(), QueueError> {
        let url = self.url().await?;
        let _: Attributes =
            call("GetQueueAttributes", json!({ "QueueUrl": url, "AttributeNames": ["QueueArn"] })).await?;
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
        let endpoint = crate::aws::signed::account().await.endpoint_of("sqs");
        assert_eq!(queue.url().await.expect("built"), format!("{endpoint}/123456789012/never-created-7f3a"));
        let dead = queue.dead_letter_queue();
        assert_eq!(dead.url().await.expect("built"), format!("{endpoint}/123456789012/never-created-7f3a-dlq"));
    }
}
