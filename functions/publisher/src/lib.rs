//! The `publisher` function: DynamoDB Streams hand it every new outbox item
//! and pending audit record (the template filters the stream to them); it
//! seals the records' orgs' deferred audit events into their chains, then
//! publishes the outbox's events to the bus and deletes the items. A failed
//! batch is retried by the stream; one that fails for good is left to the
//! reconciler's sweep.

use std::collections::BTreeSet;

use aws_lambda_events::event::dynamodb::Event;
use controlplane::OrgId;
use controlplane::app::{self, ConfigError};
use controlplane::domain::audit::deferred;
use controlplane::domain::events::outbox;
use controlplane::domain::events::publisher::{PublishError, Publisher};
use controlplane::ports::bus::EVENTS_ENV;
use controlplane::ports::store::Key;

pub async fn from_env() -> Result<Publisher, ConfigError> {
    let store = app::store_from_env().await?;
    app::publisher_from_env(store).await?.ok_or(ConfigError::Missing(EVENTS_ENV))
}

/// The (pk, sk) of each item a stream batch inserted.
fn inserted(event: &Event) -> impl Iterator<Item = (String, String)> + '_ {
    event.records.iter().filter(|record| record.event_name == "INSERT").filter_map(|record| {
        let text = |name: &str| match record.change.keys.get(name) {
            Some(serde_dynamo::AttributeValue::S(s)) => Some(s.clone()),
            _ => None,
        };
        Some((text("pk")?, text("sk")?))
    })
}

/// The outbox items a stream batch inserted.
pub fn inserted_outbox_keys(event: &Event) -> Vec<Key> {
    inserted(event).filter_map(|(pk, sk)| outbox::key_from_stream(&pk, &sk)).collect()
}

/// The orgs a stream batch inserted pending audit records for.
pub fn orgs_to_seal(event: &Event) -> BTreeSet<OrgId> {
    inserted(event).filter_map(|(pk, sk)| deferred::org_from_stream(&pk, &sk)).collect()
}

pub async fn handle(publisher: &Publisher, event: &Event) -> Result<serde_json::Value, PublishError> {
    let sealed = publisher.seal(&orgs_to_seal(event)).await?;
    let published = publisher.publish_keys(&inserted_outbox_keys(event)).await?;
    tracing::info!(records = event.records.len(), sealed, published, "handled a stream batch");
    Ok(serde_json::json!({ "sealed": sealed, "published": published }))
}

#[cfg(test)]
mod tests {
    use std::sync::Arc;

    use controlplane::OrgId;
    use controlplane::domain::audit::{AuditEvent, Target, chain};
    use controlplane::domain::events::publisher::Publisher;
    use controlplane::ports::bus::FileBus;
    use controlplane::ports::store::DynStore;
    use controlplane::ports::store::sqlite::SqliteStore;

    const SAMPLE_ORG: &str = "org_01jh3v5d2k8q9w6x7y8z9a0b1c";
    const SAMPLE_EVENT: &str = "evt_01jh3v5d2k8q9w6x7y8z9a0b1c";

    #[tokio::test]
    async fn a_stream_insert_of_an_outbox_item_publishes_its_event_once() {
        let dir = tempfile::tempdir().unwrap();
        let store: DynStore = Arc::new(SqliteStore::open(&dir.path().join("store.db")).unwrap());
        let org = OrgId::generate();
        let target = Target { kind: "project".into(), id: "prj_1".into() };
        let created = AuditEvent::by_system(&org, "test", "trace", "project.created", target, serde_json::json!({}));
        chain::commit(store.as_ref(), vec![], vec![created]).await.unwrap();
        let written =
            store.query(&AuditEvent::query(&controlplane::testing::tenant_of(&org))).await.unwrap().items.remove(0);
        let id = written.data["id"].as_str().unwrap().to_owned();
        let path = concat!(env!("CARGO_MANIFEST_DIR"), "/../../events/dynamodb-outbox-insert.json");
        let sample =
            std::fs::read_to_string(path).unwrap().replace(SAMPLE_ORG, org.as_str()).replace(SAMPLE_EVENT, &id);
        let event: aws_lambda_events::event::dynamodb::Event = serde_json::from_str(&sample).unwrap();
        assert_eq!(super::inserted_outbox_keys(&event).len(), 1, "the REMOVE record is not an insert");

        let lines = dir.path().join("events.jsonl");
        let publisher = Publisher::new(store, Arc::new(FileBus::new(lines.clone())));
        assert_eq!(super::handle(&publisher, &event).await.unwrap()["published"], 1);
        // The stream may deliver the batch again: the item is gone, nothing is re-sent.
        assert_eq!(super::handle(&publisher, &event).await.unwrap()["published"], 0);
        let published = std::fs::read_to_string(&lines).unwrap();
        let line: serde_json::Value = serde_json::from_str(published.lines().next().unwrap()).unwrap();
        assert_eq!((line["id"].as_str(), line["type"].as_str()), (Some(id.as_str()), Some("project.created")));
        assert_eq!(published.lines().count(), 1);
    }

    #[tokio::test]
    async fn a_stream_insert_of_a_pending_audit_record_seals_its_org_once() {
        let dir = tempfile::tempdir().unwrap();
        let store: DynStore = Arc::new(SqliteStore::open(&dir.path().join("store.db")).unwrap());
        let org = OrgId::generate();
        let target = Target { kind: "mcp_tool".into(), id: "projects_get".into() };
        let call = AuditEvent::by_system(&org, "test", "trace", "mcp.call", target, serde_json::json!({}));
        controlplane::domain::audit::deferred::record(store.as_ref(), &call, None).await.unwrap();
        let path = concat!(env!("CARGO_MANIFEST_DIR"), "/../../events/dynamodb-audit-pending-insert.json");
        let sample = std::fs::read_to_string(path).unwrap().replace(SAMPLE_ORG, org.as_str());
        let event: aws_lambda_events::event::dynamodb::Event = serde_json::from_str(&sample).unwrap();
        assert!(super::inserted_outbox_keys(&event).is_empty());

        let publisher = Publisher::new(Arc::clone(&store), Arc::new(FileBus::new(dir.path().join("events.jsonl"))));
        assert_eq!(super::handle(&publisher, &event).await.unwrap()["sealed"], 1);
        assert_eq!(super::handle(&publisher, &event).await.unwrap()["sealed"], 0, "a redelivered batch seals nothing");
        let tenant = controlplane::testing::tenant_of(&org);
        let chained = store.query(&AuditEvent::query(&tenant)).await.unwrap().items;
        assert_eq!(chained.len(), 1);
        assert_eq!(chained[0].data["action"], "mcp.call");
        assert_eq!(chained[0].data["seq"], 1);
    }
}
