//! The queue port's conformance suite: every case runs against the SQLite
//! queue and against SQS on the local emulator (`AWS_ENDPOINT_URL`, started
//! by `scripts/test`). Both redrive to the dead-letter queue after 2 receives.

use std::collections::BTreeSet;
use std::sync::Arc;
use std::time::Duration;

use controlplane::ports::queue::sqlite::SqliteQueue;
use controlplane::ports::queue::sqs::SqsQueue;
use controlplane::ports::queue::{DynQueue, Queue, QueueError};

const MAX_RECEIVES: u32 = 2;
/// The account the emulator (moto) keeps its queues in.
const EMULATOR_ACCOUNT: &str = "123456789012";
const SHORT: Duration = Duration::from_secs(1);
/// Long enough for a hidden message to come back on either adapter.
const PAST_SHORT: Duration = Duration::from_millis(1_600);

struct Fixture {
    queue: DynQueue,
    _dir: Option<tempfile::TempDir>,
}

async fn sqlite() -> Fixture {
    let dir = tempfile::tempdir().expect("temp dir");
    let queue = SqliteQueue::open(&dir.path().join("queue.db"), "jobs", MAX_RECEIVES).expect("open sqlite queue");
    Fixture { queue: Arc::new(queue), _dir: Some(dir) }
}

async fn sqs() -> Fixture {
    assert!(
        std::env::var_os("AWS_ENDPOINT_URL").is_some(),
        "the SQS conformance run needs the local emulator: run scripts/test (it starts moto and sets AWS_ENDPOINT_URL)"
    );
    let name = format!("conformance-{}", ulid::Ulid::new().to_string().to_lowercase());
    // Named with its owner, as the template names it: every case (the
    // dead-letter queue's too) goes to a URL built, not looked up.
    let queue = SqsQueue::from_env(&name).await.owned_by(Some(EMULATOR_ACCOUNT));
    queue.ensure_queue(MAX_RECEIVES).await.expect("create queue on the emulator");
    Fixture { queue: Arc::new(queue), _dir: None }
}

async fn bodies(queue: &DynQueue, max: usize) -> BTreeSet<String> {
    queue.receive(max, Duration::from_secs(30)).await.unwrap().into_iter().map(|m| m.body).collect()
}

async fn a_sent_message_is_received_once_while_hidden_and_gone_once_deleted(queue: DynQueue) {
    queue.send("hello", Duration::ZERO).await.unwrap();
    let first = queue.receive(10, Duration::from_secs(30)).await.unwrap();
    assert_eq!(first.len(), 1);
    assert_eq!((first[0].body.as_str(), first[0].receive_count), ("hello", 1));
    assert!(!first[0].id.is_empty() && !first[0].receipt.is_empty());
    assert!(queue.receive(10, Duration::from_secs(30)).await.unwrap().is_empty(), "hidden while being worked on");
    queue.delete(&first[0].receipt).await.unwrap();
    queue.send("second", Duration::ZERO).await.unwrap();
    assert_eq!(bodies(&queue, 10).await, BTreeSet::from(["second".to_owned()]));
}

async fn an_undeleted_message_comes_back_after_its_visibility_with_a_higher_count(queue: DynQueue) {
    queue.send("retry me", Duration::ZERO).await.unwrap();
    assert_eq!(queue.receive(1, SHORT).await.unwrap().len(), 1);
    tokio::time::sleep(PAST_SHORT).await;
    let again = queue.receive(1, SHORT).await.unwrap();
    assert_eq!(again.len(), 1, "visible again once the timeout passed");
    assert_eq!((again[0].body.as_str(), again[0].receive_count), ("retry me", 2));
}

async fn retry_after_hides_a_received_message_for_the_delay(queue: DynQueue) {
    queue.send("later", Duration::ZERO).await.unwrap();
    let got = queue.receive(1, Duration::from_secs(30)).await.unwrap();
    let hidden_at = std::time::Instant::now();
    queue.retry_after(&got[0].receipt, SHORT).await.unwrap();
    let seen = queue.receive(1, SHORT).await.unwrap();
    // Only a look taken inside the delay can say it was hidden: on a
    // machine too busy to look in time, the look proves nothing.
    if hidden_at.elapsed() < SHORT {
        assert!(seen.is_empty(), "hidden for the delay");
    }
    tokio::time::sleep(PAST_SHORT).await;
    let again = queue.receive(1, Duration::from_secs(30)).await.unwrap();
    assert_eq!(again.len(), 1, "back after the shortened delay, not the 30 s visibility");
    queue.delete(&again[0].receipt).await.unwrap();

    queue.send("now", Duration::ZERO).await.unwrap();
    let got = queue.receive(1, Duration::from_secs(30)).await.unwrap();
    queue.retry_after(&got[0].receipt, Duration::ZERO).await.unwrap();
    assert_eq!(bodies(&queue, 1).await, BTreeSet::from(["now".to_owned()]), "a zero delay makes it visible at once");
}

async fn a_delayed_message_stays_invisible_until_its_delay_passes(queue: DynQueue) {
    let sent_at = std::time::Instant::now();
    queue.send("delayed", SHORT).await.unwrap();
    let seen = queue.receive(10, SHORT).await.unwrap();
    if sent_at.elapsed() < SHORT {
        assert!(seen.is_empty(), "invisible during its delay");
    }
    tokio::time::sleep(PAST_SHORT).await;
    assert_eq!(bodies(&queue, 10).await, BTreeSet::from(["delayed".to_owned()]));
}

async fn a_message_received_too_often_moves_to_the_dead_letter_queue(queue: DynQueue) {
    queue.send("poison", Duration::ZERO).await.unwrap();
    for _ in 0..MAX_RECEIVES {
        assert_eq!(queue.receive(1, SHORT).await.unwrap().len(), 1);
        tokio::time::sleep(PAST_SHORT).await;
    }
    assert!(queue.receive(1, SHORT).await.unwrap().is_empty(), "not delivered a third time");
    let dead = queue.dead_letters().receive(10, Duration::from_secs(30)).await.unwrap();
    assert_eq!(dead.iter().map(|m| m.body.as_str()).collect::<Vec<_>>(), ["poison"]);
}

async fn a_batch_holds_at_most_what_was_asked_and_every_message_arrives_once(queue: DynQueue) {
    for n in 0..7 {
        queue.send(&format!("m{n}"), Duration::ZERO).await.unwrap();
    }
    let mut seen = BTreeSet::new();
    for _ in 0..10 {
        let batch = queue.receive(3, Duration::from_secs(30)).await.unwrap();
        assert!(batch.len() <= 3);
        for message in batch {
            assert!(seen.insert(message.body), "no message twice while hidden");
        }
        if seen.len() == 7 {
            break;
        }
    }
    assert_eq!(seen.len(), 7);
}

async fn out_of_range_requests_are_refused_before_the_queue(queue: DynQueue) {
    assert!(matches!(queue.receive(0, SHORT).await, Err(QueueError::Invalid(_))));
    assert!(matches!(queue.receive(11, SHORT).await, Err(QueueError::Invalid(_))));
    assert!(matches!(queue.send("x", Duration::from_secs(901)).await, Err(QueueError::Invalid(_))));
    queue.ping().await.unwrap();
}

macro_rules! conformance {
    ($($case:ident),* $(,)?) => {
        mod sqlite_adapter {
            $(
                #[tokio::test]
                async fn $case() {
                    let fixture = super::sqlite().await;
                    super::$case(fixture.queue.clone()).await;
                }
            )*
        }
        mod sqs_adapter {
            $(
                #[tokio::test]
                async fn $case() {
                    let fixture = super::sqs().await;
                    super::$case(fixture.queue.clone()).await;
                }
            )*
        }
    };
}

conformance!(
    a_sent_message_is_received_once_while_hidden_and_gone_once_deleted,
    an_undeleted_message_comes_back_after_its_visibility_with_a_higher_count,
    retry_after_hides_a_received_message_for_the_delay,
    a_delayed_message_stays_invisible_until_its_delay_passes,
    a_message_received_too_often_moves_to_the_dead_letter_queue,
    a_batch_holds_at_most_what_was_asked_and_every_message_arrives_once,
    out_of_range_requests_are_refused_before_the_queue,
);

#[tokio::test]
async fn a_missing_queue_fails_its_ping_though_its_url_is_built() {
    let _ = sqs().await;
    let missing = SqsQueue::from_env("conformance-never-created").await.owned_by(Some(EMULATOR_ACCOUNT));
    assert!(matches!(missing.ping().await, Err(QueueError::Unavailable(_))), "the health probe asks the queue");
}
