//! The event bus port: EventBridge on AWS (`eventbridge://BUS`), a
//! JSON-lines file locally (`file://PATH`, one event per line, for a
//! developer to tail or a local consumer to read).

use std::path::PathBuf;
use std::sync::Arc;

use async_trait::async_trait;
use aws_sdk_eventbridge::Client;
use aws_sdk_eventbridge::error::DisplayErrorContext;
use aws_sdk_eventbridge::types::PutEventsRequestEntry;
use tokio::io::AsyncWriteExt;

use super::DomainEvent;
use crate::aws::Lazy;

pub const EVENTS_ENV: &str = "CONTROLPLANE_EVENTS";
/// The `source` of every event this control plane puts on EventBridge.
pub const SOURCE: &str = "controlplane";
/// EventBridge takes at most 10 entries per PutEvents call.
const PUT_BATCH: usize = 10;

#[derive(Debug, thiserror::Error)]
pub enum BusError {
    #[error("the event bus is unavailable: {0}")]
    Unavailable(String),
    #[error("the event bus refused {failed} of the events: {reason}")]
    Refused { failed: usize, reason: String },
}

#[async_trait]
pub trait EventBus: Send + Sync {
    /// Publishes every event, or fails (the caller retries them all; the
    /// ids make repeats harmless).
    async fn publish(&self, events: &[DomainEvent]) -> Result<(), BusError>;
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

pub async fn open(url: &BusUrl) -> DynBus {
    match url {
        BusUrl::EventBridge(bus) => Arc::new(EventBridgeBus::new(bus)),
        BusUrl::File(path) => Arc::new(FileBus { path: path.clone(), lock: tokio::sync::Mutex::new(()) }),
    }
}

/// Puts each event as `source: controlplane`, `detail-type: <type>`,
/// `detail: <the event>` on one bus.
pub struct EventBridgeBus {
    client: Arc<Lazy<Client>>,
    bus: String,
}

impl EventBridgeBus {
    /// The bus, its client built from the process's AWS configuration on
    /// first use (see [`crate::aws`]); no network call.
    pub fn new(bus: &str) -> Self {
        Self { client: Arc::new(Lazy::new(Client::new)), bus: bus.to_owned() }
    }

    async fn client(&self) -> &Client {
        self.client.get().await
    }

    /// Creates the bus when missing (emulators and tests).
    pub async fn ensure_bus(&self) -> Result<(), BusError> {
        if self.bus == "default" || self.client().await.describe_event_bus().name(&self.bus).send().await.is_ok() {
            return Ok(());
        }
        let created = self.client().await.create_event_bus().name(&self.bus).send().await;
        created.map(|_| ()).map_err(|e| BusError::Unavailable(DisplayErrorContext(e).to_string()))
    }
}

#[async_trait]
impl EventBus for EventBridgeBus {
    async fn publish(&self, events: &[DomainEvent]) -> Result<(), BusError> {
        for batch in events.chunks(PUT_BATCH) {
            let entries = batch
                .iter()
                .map(|event| {
                    let detail = serde_json::to_string(event).map_err(|e| BusError::Unavailable(e.to_string()))?;
                    Ok(PutEventsRequestEntry::builder()
                        .event_bus_name(&self.bus)
                        .source(SOURCE)
                        .detail_type(&event.event_type)
                        .detail(detail)
                        .time(std::time::SystemTime::from(event.occurred_at).into())
                        .build())
                })
                .collect::<Result<Vec<_>, BusError>>()?;
            let out = self
                .client()
                .await
                .put_events()
                .set_entries(Some(entries))
                .send()
                .await
                .map_err(|e| BusError::Unavailable(DisplayErrorContext(e).to_string()))?;
            let failed = out.failed_entry_count() as usize;
            if failed > 0 {
                let reason = out
                    .entries()
                    .iter()
                    .find_map(|e| e.error_message().map(str::to_owned))
                    .unwrap_or_else(|| "no reason given".into());
                return Err(BusError::Refused { failed, reason });
            }
        }
        Ok(())
    }
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
    async fn publish(&self, events: &[DomainEvent]) -> Result<(), BusError> {
        let unavailable = |e: std::io::Error| BusError::Unavailable(format!("{}: {e}", self.path.display()));
        let mut lines = Vec::new();
        for event in events {
            serde_json::to_writer(&mut lines, event).map_err(|e| BusError::Unavailable(e.to_string()))?;
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
