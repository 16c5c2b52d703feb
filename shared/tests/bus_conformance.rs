//! One suite for both event bus adapters: a JSON-lines file and EventBridge
//! on the local emulator (a rule on the bus forwards to an SQS queue the
//! test reads).

use std::time::Duration;

use controlplane::OrgId;
use controlplane::base::ids::EventId;
use controlplane::domain::audit::{Actor, Target};
use controlplane::domain::events::DomainEvent;
use controlplane::ports::bus::eventbridge::EventBridgeBus;
use controlplane::ports::bus::{Envelope, EventBus, FileBus, SOURCE};

fn events(n: usize) -> Vec<DomainEvent> {
    let org = OrgId::generate();
    (0..n)
        .map(|i| DomainEvent {
            id: EventId::generate(),
            event_type: "project.created".into(),
            occurred_at: controlplane::now(),
            org_id: Some(org.clone()),
            project_id: None,
            actor: Actor { kind: "user".into(), id: "alice".into(), email: None, name: None },
            target: Target { kind: "project".into(), id: format!("prj_{i}") },
            data: serde_json::json!({ "name": format!("p{i}") }),
        })
        .collect()
}

fn envelopes(events: &[DomainEvent]) -> Vec<Envelope> {
    events.iter().map(|e| e.envelope().unwrap()).collect()
}

#[tokio::test]
async fn the_file_bus_appends_one_json_line_per_event() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("nested/events.jsonl");
    let bus = FileBus::new(path.clone());
    let sent = events(12);
    bus.publish(&envelopes(&sent[..5])).await.unwrap();
    bus.publish(&envelopes(&sent[5..])).await.unwrap();
    let read: Vec<DomainEvent> =
        std::fs::read_to_string(&path).unwrap().lines().map(|l| serde_json::from_str(l).unwrap()).collect();
    assert_eq!(read, sent);
}

#[tokio::test]
async fn eventbridge_receives_every_event_with_its_type_and_id() {
    assert!(std::env::var_os("AWS_ENDPOINT_URL").is_some(), "needs the local emulator: run scripts/test");
    let config = controlplane::ports::aws::config().await;
    let name = format!("bus-{}", ulid::Ulid::new().to_string().to_lowercase());
    let client = aws_sdk_eventbridge::Client::new(config);
    let bus = EventBridgeBus::new(&name);
    bus.ensure_bus().await.unwrap();
    let sqs = aws_sdk_sqs::Client::new(config);
    let queue_url = sqs.create_queue().queue_name(&name).send().await.unwrap().queue_url.unwrap();
    let attributes = sqs
        .get_queue_attributes()
        .queue_url(&queue_url)
        .attribute_names(aws_sdk_sqs::types::QueueAttributeName::QueueArn)
        .send()
        .await
        .unwrap();
    let queue_arn = attributes.attributes.unwrap()[&aws_sdk_sqs::types::QueueAttributeName::QueueArn].clone();
    let pattern = serde_json::json!({ "source": [SOURCE] }).to_string();
    client.put_rule().name(&name).event_bus_name(&name).event_pattern(pattern).send().await.unwrap();
    let target = aws_sdk_eventbridge::types::Target::builder().id("queue").arn(queue_arn).build().unwrap();
    client.put_targets().rule(&name).event_bus_name(&name).targets(target).send().await.unwrap();

    let mut sent = events(12);
    bus.publish(&envelopes(&sent)).await.unwrap();
    sent.sort_by(|a, b| a.id.cmp(&b.id));
    let mut received = Vec::new();
    for _ in 0..20 {
        let out = sqs
            .receive_message()
            .queue_url(&queue_url)
            .max_number_of_messages(10)
            .wait_time_seconds(1)
            .send()
            .await
            .unwrap();
        for message in out.messages.unwrap_or_default() {
            let envelope: serde_json::Value = serde_json::from_str(message.body.as_deref().unwrap()).unwrap();
            assert_eq!(
                (envelope["source"].as_str(), envelope["detail-type"].as_str()),
                (Some(SOURCE), Some("project.created"))
            );
            received.push(serde_json::from_value::<DomainEvent>(envelope["detail"].clone()).unwrap());
        }
        if received.len() >= sent.len() {
            break;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    received.sort_by(|a, b| a.id.cmp(&b.id));
    assert_eq!(received, sent, "all twelve, in two PutEvents batches");
}
