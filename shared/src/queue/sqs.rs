//! The AWS adapter: an SQS standard queue whose redrive policy moves a
//! message to `NAME-dlq` after `maxReceiveCount` receives.

use std::sync::Arc;
use std::time::Duration;

use async_trait::async_trait;
use aws_sdk_sqs::Client;
use aws_sdk_sqs::types::{MessageSystemAttributeName, QueueAttributeName};
use tokio::sync::OnceCell;

use crate::aws::Lazy;

use super::{DynQueue, Queue, QueueError, Received, check_batch, check_delay, check_visibility};

#[derive(Clone)]
pub struct SqsQueue {
    client: Arc<Lazy<Client>>,
    name: String,
    /// Resolved from the name on first use, then kept.
    url: Arc<OnceCell<String>>,
}

fn unavailable(e: impl std::fmt::Display) -> QueueError {
    QueueError::Unavailable(e.to_string())
}

/// An SDK failure with its whole cause chain (the top level alone says
/// only "service error").
fn sdk<E: std::error::Error>(e: E) -> QueueError {
    unavailable(aws_sdk_sqs::error::DisplayErrorContext(e))
}

fn seconds(d: Duration) -> i32 {
    d.as_secs_f64().ceil() as i32
}

impl SqsQueue {
    /// The queue `name`, its client built from the process's AWS
    /// configuration on first use (see [`crate::aws`]); no network call.
    pub async fn from_env(name: &str) -> Self {
        Self { client: Arc::new(Lazy::new(Client::new)), name: name.to_owned(), url: Arc::default() }
    }

    async fn client(&self) -> &Client {
        self.client.get().await
    }

    pub fn name(&self) -> &str {
        &self.name
    }

    async fn url(&self) -> Result<&str, QueueError> {
        self.url
            .get_or_try_init(|| async {
                let found = self.client().await.get_queue_url().queue_name(&self.name).send().await.map_err(|e| {
                    unavailable(format!("queue {}: {}", self.name, aws_sdk_sqs::error::DisplayErrorContext(e)))
                })?;
                found.queue_url.ok_or_else(|| unavailable(format!("queue {} has no url", self.name)))
            })
            .await
            .map(String::as_str)
    }

    /// Creates the queue and its dead-letter queue (redrive after
    /// `max_receives`) unless they exist: local emulators and tests; on AWS
    /// the SAM template owns them.
    pub async fn ensure_queue(&self, max_receives: u32) -> Result<(), QueueError> {
        let dead =
            self.client().await.create_queue().queue_name(format!("{}-dlq", self.name)).send().await.map_err(sdk)?;
        let dead_url = dead.queue_url.unwrap_or_default();
        let attributes = self
            .client()
            .await
            .get_queue_attributes()
            .queue_url(&dead_url)
            .attribute_names(QueueAttributeName::QueueArn)
            .send()
            .await
            .map_err(sdk)?;
        let arn = attributes.attributes().and_then(|a| a.get(&QueueAttributeName::QueueArn)).cloned();
        let arn = arn.ok_or_else(|| unavailable("the dead-letter queue has no ARN"))?;
        let redrive = serde_json::json!({ "deadLetterTargetArn": arn, "maxReceiveCount": max_receives }).to_string();
        self.client()
            .await
            .create_queue()
            .queue_name(&self.name)
            .attributes(QueueAttributeName::RedrivePolicy, redrive)
            .send()
            .await
            .map_err(sdk)?;
        Ok(())
    }
}

#[async_trait]
impl Queue for SqsQueue {
    async fn send(&self, body: &str, delay: Duration) -> Result<(), QueueError> {
        check_delay(delay)?;
        self.client()
            .await
            .send_message()
            .queue_url(self.url().await?)
            .message_body(body)
            .delay_seconds(seconds(delay))
            .send()
            .await
            .map_err(sdk)?;
        Ok(())
    }

    async fn receive(&self, max: usize, visibility: Duration) -> Result<Vec<Received>, QueueError> {
        check_batch(max, visibility)?;
        let output = self
            .client()
            .await
            .receive_message()
            .queue_url(self.url().await?)
            .max_number_of_messages(max as i32)
            .visibility_timeout(seconds(visibility))
            .wait_time_seconds(0)
            .message_system_attribute_names(MessageSystemAttributeName::ApproximateReceiveCount)
            .send()
            .await
            .map_err(sdk)?;
        Ok(output
            .messages
            .unwrap_or_default()
            .into_iter()
            .map(|m| Received {
                receive_count: m
                    .attributes()
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
        self.client()
            .await
            .delete_message()
            .queue_url(self.url().await?)
            .receipt_handle(receipt)
            .send()
            .await
            .map_err(sdk)?;
        Ok(())
    }

    async fn retry_after(&self, receipt: &str, delay: Duration) -> Result<(), QueueError> {
        check_visibility(delay)?;
        self.client()
            .await
            .change_message_visibility()
            .queue_url(self.url().await?)
            .receipt_handle(receipt)
            .visibility_timeout(seconds(delay))
            .send()
            .await
            .map_err(sdk)?;
        Ok(())
    }

    fn dead_letters(&self) -> DynQueue {
        let name = format!("{}-dlq", self.name);
        Arc::new(Self { client: Arc::clone(&self.client), name, url: Arc::default() })
    }

    async fn ping(&self) -> Result<(), QueueError> {
        self.url().await.map(|_| ())
    }
}
