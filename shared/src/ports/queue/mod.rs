//! The queue port: at-least-once messages with a visibility timeout, a
//! receive count and a dead-letter queue. Two adapters pass one conformance
//! suite: SQS (`sqs.rs`) and a SQLite-backed queue (`sqlite.rs`) for the
//! local process.
//!
//! Semantics both keep (SQS's): a received message is hidden for the
//! visibility timeout and comes back unless deleted; every receive counts;
//! a message received the configured number of times (SQS: the redrive
//! policy's `maxReceiveCount`) and still not deleted moves to the
//! dead-letter queue instead of being delivered again.

#[cfg(feature = "sqlite")]
pub mod sqlite;
#[cfg(feature = "sqs")]
pub mod sqs;

use std::path::PathBuf;
use std::sync::Arc;
use std::time::Duration;

use async_trait::async_trait;

/// The longest delay a message can be sent with (SQS's limit).
pub const MAX_DELAY: Duration = Duration::from_secs(900);
/// The longest a message can be hidden (SQS's limit).
pub const MAX_VISIBILITY: Duration = Duration::from_secs(12 * 3600);
/// At most this many messages per receive (SQS's limit).
pub const MAX_BATCH: usize = 10;
/// Receives before a message goes to the dead-letter queue, unless configured.
pub const DEFAULT_MAX_RECEIVES: u32 = 5;

#[derive(Debug, thiserror::Error)]
pub enum QueueError {
    #[error("the queue is unavailable: {0}")]
    Unavailable(String),
    #[error("invalid queue request: {0}")]
    Invalid(String),
}

/// A delivered message. `receipt` deletes it or changes its visibility.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Received {
    pub id: String,
    pub body: String,
    pub receipt: String,
    /// How many times it has been received, this time included.
    pub receive_count: u32,
}

#[async_trait]
pub trait Queue: Send + Sync {
    /// Enqueues `body`, invisible for `delay` (at most [`MAX_DELAY`]).
    async fn send(&self, body: &str, delay: Duration) -> Result<(), QueueError>;

    /// Up to `max` (1..=[`MAX_BATCH`]) visible messages, each then hidden for
    /// `visibility`. Messages past their receive limit go to the
    /// dead-letter queue instead.
    async fn receive(&self, max: usize, visibility: Duration) -> Result<Vec<Received>, QueueError>;

    /// Acknowledges a message: it is never delivered again.
    async fn delete(&self, receipt: &str) -> Result<(), QueueError>;

    /// Hides a received message for `delay` from now (at most
    /// [`MAX_VISIBILITY`]): how a retry is put off.
    async fn retry_after(&self, receipt: &str, delay: Duration) -> Result<(), QueueError>;

    /// The dead-letter queue (a queue like any other, without one of its own).
    fn dead_letters(&self) -> DynQueue;

    async fn ping(&self) -> Result<(), QueueError>;
}

pub type DynQueue = Arc<dyn Queue>;

#[cfg_attr(not(any(feature = "sqlite", feature = "sqs")), allow(dead_code))]
pub(crate) fn check_batch(max: usize, visibility: Duration) -> Result<(), QueueError> {
    if !(1..=MAX_BATCH).contains(&max) {
        return Err(QueueError::Invalid(format!("receive between 1 and {MAX_BATCH} messages")));
    }
    check_visibility(visibility)
}

#[cfg_attr(not(any(feature = "sqlite", feature = "sqs")), allow(dead_code))]
pub(crate) fn check_visibility(visibility: Duration) -> Result<(), QueueError> {
    if visibility > MAX_VISIBILITY {
        return Err(QueueError::Invalid(format!("visibility is at most {} s", MAX_VISIBILITY.as_secs())));
    }
    Ok(())
}

#[cfg_attr(not(any(feature = "sqlite", feature = "sqs")), allow(dead_code))]
pub(crate) fn check_delay(delay: Duration) -> Result<(), QueueError> {
    if delay > MAX_DELAY {
        return Err(QueueError::Invalid(format!("delay is at most {} s", MAX_DELAY.as_secs())));
    }
    Ok(())
}

/// Which queue to use: `sqlite://PATH#NAME`, or `sqs://NAME` or
/// `sqs://ACCOUNT/NAME` (its dead-letter queue is `NAME-dlq`). With the
/// owning account's id the queue's URL is built, not looked up: no
/// `GetQueueUrl` round trip on a cold start's first send.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum QueueUrl {
    Sqlite { path: PathBuf, name: String },
    Sqs { owner: Option<String>, name: String },
}

impl std::str::FromStr for QueueUrl {
    type Err = String;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let valid_name = |n: &str| {
            !n.is_empty() && n.len() <= 76 && n.chars().all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_')
        };
        if let Some(rest) = s.strip_prefix("sqlite://") {
            let (path, name) = rest.rsplit_once('#').unwrap_or((rest, "jobs"));
            if path.is_empty() || !valid_name(name) {
                return Err(format!("`{s}`: use sqlite://PATH[#NAME]"));
            }
            Ok(QueueUrl::Sqlite { path: path.into(), name: name.into() })
        } else if let Some(rest) = s.strip_prefix("sqs://") {
            let (owner, name) = match rest.split_once('/') {
                Some((owner, name)) => (Some(owner), name),
                None => (None, rest),
            };
            let valid_owner = |o: &str| o.len() == 12 && o.bytes().all(|b| b.is_ascii_digit());
            if !valid_name(name) || !owner.is_none_or(valid_owner) {
                return Err(format!(
                    "`{s}`: use sqs://NAME or sqs://ACCOUNT/NAME (a 12-digit account id; a name of letters, digits, - and _, at most 76)"
                ));
            }
            Ok(QueueUrl::Sqs { owner: owner.map(str::to_owned), name: name.into() })
        } else {
            Err(format!("unsupported queue `{s}`: use sqlite://PATH[#NAME], sqs://NAME or sqs://ACCOUNT/NAME"))
        }
    }
}

impl std::fmt::Display for QueueUrl {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            QueueUrl::Sqlite { path, name } => write!(f, "sqlite://{}#{name}", path.display()),
            QueueUrl::Sqs { owner: None, name } => write!(f, "sqs://{name}"),
            QueueUrl::Sqs { owner: Some(owner), name } => write!(f, "sqs://{owner}/{name}"),
        }
    }
}

/// Opens the queue a URL names. SQS uses the default AWS configuration
/// (`AWS_ENDPOINT_URL` points it at an emulator) and makes no call yet.
pub async fn open(url: &QueueUrl) -> Result<DynQueue, QueueError> {
    match url {
        #[cfg(feature = "sqlite")]
        QueueUrl::Sqlite { path, name } => Ok(Arc::new(sqlite::SqliteQueue::open(path, name, DEFAULT_MAX_RECEIVES)?)),
        #[cfg(not(feature = "sqlite"))]
        QueueUrl::Sqlite { .. } => Err(QueueError::Unavailable(crate::ports::aws::not_built_in("sqlite://", "sqlite"))),
        #[cfg(feature = "sqs")]
        QueueUrl::Sqs { owner, name } => Ok(Arc::new(sqs::SqsQueue::from_env(name).await.owned_by(owner.as_deref()))),
        #[cfg(not(feature = "sqs"))]
        QueueUrl::Sqs { .. } => Err(QueueError::Unavailable(crate::ports::aws::not_built_in("sqs://", "sqs"))),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn queue_urls_name_an_adapter_and_a_queue() {
        let sqlite: QueueUrl = "sqlite://data/q.db#jobs".parse().unwrap();
        assert_eq!(sqlite, QueueUrl::Sqlite { path: "data/q.db".into(), name: "jobs".into() });
        assert_eq!("sqlite://q.db".parse::<QueueUrl>().unwrap().to_string(), "sqlite://q.db#jobs");
        assert_eq!("sqs://jobs".parse::<QueueUrl>().unwrap(), QueueUrl::Sqs { owner: None, name: "jobs".into() });
        let owned: QueueUrl = "sqs://123456789012/jobs".parse().unwrap();
        assert_eq!(owned, QueueUrl::Sqs { owner: Some("123456789012".into()), name: "jobs".into() });
        assert_eq!(owned.to_string(), "sqs://123456789012/jobs");
        assert!("sqs://".parse::<QueueUrl>().is_err());
        assert!("sqs://a/b".parse::<QueueUrl>().is_err());
        assert!("sqs://123456789012/".parse::<QueueUrl>().is_err());
        assert!("sqs://1234567890123/jobs".parse::<QueueUrl>().is_err());
        assert!("sqs://123456789012/a/b".parse::<QueueUrl>().is_err());
        assert!("amqp://x".parse::<QueueUrl>().is_err());
    }
}
