//! The event bus port: EventBridge on AWS (`eventbridge://BUS`), a
//! JSON-lines file locally (`file://PATH`, one event per line, for a
//! developer to tail or a local consumer to read).

use std::path::PathBuf;
use std::sync::Arc;

use async_trait::async_trait;
use tokio::io::AsyncWriteExt;

use chrono::{DateTime, Utc};

#[cfg(feature = "eventbridge")]
pub mod eventbridge;

pub const EVENTS_ENV: &str = "CONTROLPLANE_EVENTS";
/// The `source` of every event this control plane puts on EventBridge.
pub const SOURCE: &str = "controlplane";

#[derive(Debug, thiserror::Error)]
pub enum BusError {
    #[error("the event bus is unavailable: {0}")]
    Unavailable(String),
    #[error("the event bus refused {failed} of the events: {reason}")]
    Refused { failed: usize, reason: String },
}

/// One event as the bus carries it: its type, when it happened, and its
/// JSON body. The domain decides what goes in it (`DomainEvent::envelope`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Envelope {
    pub detail_type: String,
    pub time: DateTime<Utc>,
    /// A JSON object.
    pub detail: String,
}

#[async_trait]
pub trait EventBus: Send + Sync {
    /// Publishes every event, or fails (the caller retries them all; the
    /// ids make repeats harmless).
    async fn publish(&self, events: &[Envelope]) -> Result<(), BusError>;
}

pub type DynBus = Arc<dyn EventBus>;

/// `eventbridge://BUS` or `file://PATH`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum BusUrl {
    EventBridge(String),
    File(PathBuf),
}

impl std::str::FromStr for BusUrl {
    type Err = String;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        if let Some(bus) = s.strip_prefix("eventbridge://").filter(|b| !b.is_empty()) {
            return Ok(BusUrl::EventBridge(bus.into()));
        }
        match s.strip_prefix("file://").filter(|p| !p.is_empty()) {
            Some(path) => Ok(BusUrl::File(path.into())),
            None => Err(format!("unsupported event bus `{s}`: use eventbridge://BUS or file://PATH")),
        }
    }
}

pub async fn open(url: &BusUrl) -> Result<DynBus, BusError> {
    Ok(match url {
        #[cfg(feature = "eventbridge")]
        BusUrl::EventBridge(bus) => Arc::new(eventbridge::EventBridgeBus::new(bus)),
        #[cfg(not(feature = "eventbridge"))]
        BusUrl::EventBridge(_) => {
            return Err(BusError::Unavailable(crate::ports::aws::not_built_in("eventbridge://", "eventbridge")));
        }
        BusUrl::File(path) => Arc::new(FileBus { path: path.clone(), lock: tokio::sync::Mutex::new(()) }),
    })
}

/// Appends each event as one JSON line.
pub struct FileBus {
    path: PathBuf,
    lock: tokio::sync::Mutex<()>,
}

impl FileBus {
    pub fn new(path: PathBuf) -> Self {
        Self { path, lock: tokio::sync::Mutex::new(()) }
    }
}

#[async_trait]
impl EventBus for FileBus {
    async fn publish(&self, events: &[Envelope]) -> Result<(), BusError> {
        let unavailable = |e: std::io::Error| BusError::Unavailable(format!("{}: {e}", self.path.display()));
        let mut lines = Vec::new();
        for event in events {
            lines.extend_from_slice(event.detail.as_bytes());
            lines.push(b'\n');
        }
        let _guard = self.lock.lock().await;
        if let Some(dir) = self.path.parent().filter(|d| !d.as_os_str().is_empty()) {
            tokio::fs::create_dir_all(dir).await.map_err(unavailable)?;
        }
        let mut file =
            tokio::fs::OpenOptions::new().create(true).append(true).open(&self.path).await.map_err(unavailable)?;
        file.write_all(&lines).await.map_err(unavailable)?;
        file.flush().await.map_err(unavailable)
    }
}
