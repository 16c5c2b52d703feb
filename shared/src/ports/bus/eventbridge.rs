//! The event bus on AWS: EventBridge (`eventbridge://BUS`).

use std::sync::Arc;

use async_trait::async_trait;
use aws_sdk_eventbridge::Client;
use aws_sdk_eventbridge::error::DisplayErrorContext;
use aws_sdk_eventbridge::types::PutEventsRequestEntry;

use super::{BusError, Envelope, EventBus, SOURCE};
use crate::ports::aws::Lazy;

/// EventBridge takes at most 10 entries per PutEvents call.
const PUT_BATCH: usize = 10;

/// Puts each event as `source: controlplane`, `detail-type: <type>`,
/// `detail: <the event>` on one bus.
pub struct EventBridgeBus {
    client: Arc<Lazy<Client>>,
    bus: String,
}

impl EventBridgeBus {
    /// The bus, its client built from the process's AWS configuration on
    /// first use (see [`crate::ports::aws`]); no network call.
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
    async fn publish(&self, events: &[Envelope]) -> Result<(), BusError> {
        for batch in events.chunks(PUT_BATCH) {
            let entries = batch
                .iter()
                .map(|event| {
                    PutEventsRequestEntry::builder()
                        .event_bus_name(&self.bus)
                        .source(SOURCE)
                        .detail_type(&event.detail_type)
                        .detail(&event.detail)
                        .time(std::time::SystemTime::from(event.time).into())
                        .build()
                })
                .collect();
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
