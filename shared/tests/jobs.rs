//! The worker and the reconciler against real adapters: SQLite store and
//! queue, and DynamoDB and SQS on the local emulator. A test handler's
//! effect is one item written with the job's completion, so running a job's
//! effect twice would fail its not-exists condition and be visible.

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;

use async_trait::async_trait;
use chrono::{TimeDelta, Utc};
use controlplane::domain::audit::AuditEvent;
use controlplane::domain::job::{Job, JobMessage, JobStatus, JobType, NewJob};
use controlplane::domain::worker::{Done, Failure, Handlers, JobHandler, Outcome, Reconciled, Worker, enqueue};
use controlplane::ports::queue::DynQueue;
use controlplane::ports::queue::sqlite::SqliteQueue;
use controlplane::ports::queue::sqs::SqsQueue;
use controlplane::ports::store::dynamodb::DynamoStore;
use controlplane::ports::store::sqlite::SqliteStore;
use controlplane::ports::store::{Condition, DynStore, Item, Key, WriteOp};
use controlplane::{OrgId, TenantId};
use serde_json::json;

struct Fixture {
    store: DynStore,
    queue: DynQueue,
    _dir: Option<tempfile::TempDir>,
}

async fn sqlite() -> Fixture {
    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir.path().join("controlplane.db");
    let store = SqliteStore::open(&path).expect("store");
    let queue = SqliteQueue::open(&path, "jobs", 5).expect("queue");
    Fixture { store: Arc::new(store), queue: Arc::new(queue), _dir: Some(dir) }
}

async fn aws() -> Fixture {
    assert!(std::env::var_os("AWS_ENDPOINT_URL").is_some(), "needs the local emulator: run scripts/test");
    let name = format!("jobs-{}", ulid::Ulid::new().to_string().to_lowercase());
    let store = DynamoStore::from_env(name.clone()).await;
    store.ensure_table().await.expect("table");
    let queue = SqsQueue::from_env(&name).await;
    queue.ensure_queue(5).await.expect("queue");
    Fixture { store: Arc::new(store), queue: Arc::new(queue), _dir: None }
}

/// Writes an effect item with the completion; fails transiently `failures`
/// times first; with `hang_first`, the first run never returns; with
/// `hold`, every run waits for the test to let it go.
#[derive(Clone, Default)]
struct Effect {
    runs: Arc<AtomicUsize>,
    failures: usize,
    hang_first: bool,
    hold: Option<Arc<tokio::sync::Semaphore>>,
}

fn effect_key(job: &Job) -> Key {
    Key::tenant(&controlplane::testing::tenant_of(&job.org_id), format!("EFFECT#{}", job.id))
}

#[async_trait]
impl JobHandler for Effect {
    async fn run(&self, job: &Job, _store: &DynStore) -> Result<Done, Failure> {
        let run = self.runs.fetch_add(1, Ordering::SeqCst) + 1;
        if self.hang_first && run == 1 {
            std::future::pending::<()>().await;
        }
        if let Some(hold) = &self.hold {
            let _ = hold.acquire().await.expect("the test's gate").forget();
        }
        if run <= self.failures {
            return Err(Failure::Transient(format!("boom {run}")));
        }
        let item = Item::new(effect_key(job), 1, json!({ "job": job.id })).unwrap();
        Ok(Done {
            result: json!({ "run": run }),
            writes: vec![WriteOp::put_if(item, Condition::NotExists)],
            events: vec![],
        })
    }
}

async fn stored_job(store: &DynStore, org: &TenantId, max_attempts: u32) -> Job {
    let new = NewJob {
        project_id: None,
        job_type: JobType::ExportBackup,
        payload: json!({}),
        requested_by: "user_1".into(),
        idempotency_key: None,
        trace_id: "req_test".into(),
    };
    let mut job = Job::new(org.org(), new, Utc::now());
    job.max_attempts = max_attempts;
    store.transact(vec![WriteOp::put_if(job.item().unwrap(), Condition::NotExists)]).await.unwrap();
    job
}

async fn read(store: &DynStore, job: &Job) -> Job {
    store
        .batch_get(&[Job::key(&controlplane::testing::tenant_of(&job.org_id), &job.id)])
        .await
        .unwrap()
        .pop()
        .flatten()
        .unwrap()
        .parse()
        .unwrap()
}

async fn effects(store: &DynStore, job: &Job) -> usize {
    store.batch_get(&[effect_key(job)]).await.unwrap().into_iter().flatten().count()
}

async fn audit_actions(store: &DynStore, org: &OrgId) -> Vec<String> {
    let page = store.query(&AuditEvent::query(&controlplane::testing::tenant_of(org))).await.unwrap();
    page.items.iter().map(|i| i.parse::<AuditEvent>().unwrap().action).collect()
}

fn worker(f: &Fixture, handler: &Effect) -> Worker {
    Worker::new(f.store.clone(), f.queue.clone(), Handlers::default().register(JobType::ExportBackup, handler.clone()))
}

async fn the_same_message_delivered_twice_runs_the_job_once(f: Fixture) {
    let org = OrgId::generate();
    let job = stored_job(&f.store, &controlplane::testing::tenant_of(&org), 3).await;
    enqueue(&f.queue, &job).await.unwrap();
    enqueue(&f.queue, &job).await.unwrap();
    let handler = Effect::default();
    let worker = worker(&f, &handler);
    let mut handled = 0;
    for _ in 0..5 {
        handled += worker.poll(10).await.unwrap();
    }
    assert_eq!(handled, 2, "both copies were delivered");
    assert_eq!(handler.runs.load(Ordering::SeqCst), 1, "and the job ran once");
    let done = read(&f.store, &job).await;
    assert_eq!((done.status, done.attempts, done.result), (JobStatus::Completed, 1, Some(json!({"run": 1}))));
    assert!(done.lease_owner.is_none() && done.finished_at.is_some());
    assert_eq!(effects(&f.store, &job).await, 1);
    assert_eq!(audit_actions(&f.store, &org).await, ["job.completed"]);
    assert_eq!(worker.handle(&JobMessage::of(&job).body()).await, Outcome::Ack, "a late copy changes nothing");
}

async fn a_failing_job_retries_with_growing_delays_then_fails_with_its_error_in_the_dead_letters(f: Fixture) {
    let org = OrgId::generate();
    let job = stored_job(&f.store, &controlplane::testing::tenant_of(&org), 3).await;
    let handler = Effect { failures: usize::MAX, ..Effect::default() };
    let worker = worker(&f, &handler);
    let body = JobMessage::of(&job).body();

    let Outcome::RetryIn(first) = worker.handle(&body).await else { panic!("a retry") };
    let pending = read(&f.store, &job).await;
    assert_eq!((pending.status, pending.attempts, pending.error.as_deref()), (JobStatus::Pending, 1, Some("boom 1")));
    assert!(pending.run_after.is_some());
    let before_due = pending.run_after.unwrap() - TimeDelta::milliseconds(1);
    assert!(matches!(worker.handle_at(&body, before_due).await, Outcome::RetryIn(_)), "not run again before its delay");
    assert_eq!(handler.runs.load(Ordering::SeqCst), 1);

    let later = Utc::now() + TimeDelta::minutes(10);
    let Outcome::RetryIn(second) = worker.handle_at(&body, later).await else { panic!("a retry") };
    assert!(first <= Duration::from_secs(2) && second >= Duration::from_secs(2), "{first:?} then {second:?}");

    enqueue(&f.queue, &job).await.unwrap();
    let message = f.queue.receive(1, Duration::from_secs(30)).await.unwrap().pop().unwrap();
    let last = worker.handle_at(&message.body, later + TimeDelta::minutes(10)).await;
    assert_eq!(last, Outcome::DeadLetter);
    worker.settle(&message, last).await.unwrap();
    let failed = read(&f.store, &job).await;
    assert_eq!((failed.status, failed.attempts, failed.error.as_deref()), (JobStatus::Failed, 3, Some("boom 3")));
    let dead = f.queue.dead_letters().receive(10, Duration::from_secs(30)).await.unwrap();
    assert_eq!(dead.iter().map(|m| m.body.clone()).collect::<Vec<_>>(), [body]);
    assert!(f.queue.receive(10, Duration::from_secs(30)).await.unwrap().is_empty(), "acked on the main queue");
    assert_eq!(audit_actions(&f.store, &org).await, ["job.failed"]);
    assert_eq!(effects(&f.store, &job).await, 0);
}

async fn a_worker_killed_mid_job_is_recovered_by_the_reconciler_and_completes_once(f: Fixture) {
    let org = OrgId::generate();
    let job = stored_job(&f.store, &controlplane::testing::tenant_of(&org), 3).await;
    let handler = Effect { hang_first: true, ..Effect::default() };
    let doomed = Arc::new(worker(&f, &handler).with_lease(Duration::from_secs(1)));
    let body = JobMessage::of(&job).body();
    let running = tokio::spawn({
        let doomed = doomed.clone();
        async move { doomed.handle(&body).await }
    });
    while handler.runs.load(Ordering::SeqCst) == 0 {
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
    running.abort(); // the worker dies between claiming and completing
    let _ = running.await;
    let claimed = read(&f.store, &job).await;
    assert_eq!(claimed.status, JobStatus::Running);
    // The reconciler's clock is set, not waited for: before the lease ends,
    // then after it (a dead worker renews nothing).
    let expires = claimed.lease_expires_at.expect("leased");
    assert_eq!(reconcile(&f, expires - TimeDelta::milliseconds(1)).await.recovered, 0, "not before the lease ends");
    let report = reconcile(&f, expires + TimeDelta::seconds(2)).await;
    assert_eq!(report.recovered, 1);
    let recovered = read(&f.store, &job).await;
    assert_eq!((recovered.status, recovered.lease_owner.as_deref()), (JobStatus::Pending, None));

    let successor = worker(&f, &handler);
    let mut handled = 0;
    for _ in 0..5 {
        handled += successor.poll(10).await.unwrap();
    }
    assert_eq!(handled, 1);
    let done = read(&f.store, &job).await;
    assert_eq!((done.status, done.attempts), (JobStatus::Completed, 2));
    assert_eq!(effects(&f.store, &job).await, 1, "the effect happened once");
    assert_eq!(reconcile(&f, Utc::now() + TimeDelta::hours(1)).await, Default::default());
}

async fn a_running_job_keeps_its_lease_while_its_handler_runs_and_no_other_worker_takes_it(f: Fixture) {
    let org = OrgId::generate();
    let job = stored_job(&f.store, &controlplane::testing::tenant_of(&org), 3).await;
    let gate = Arc::new(tokio::sync::Semaphore::new(0));
    let handler = Effect { hold: Some(gate.clone()), ..Effect::default() };
    let lease = Duration::from_millis(300);
    let first = Arc::new(worker(&f, &handler).with_lease(lease));
    let body = JobMessage::of(&job).body();
    let running = tokio::spawn({
        let (first, body) = (first.clone(), body.clone());
        async move { first.handle(&body).await }
    });
    // Wait until the claim was renewed twice (every 100 ms; a minute is
    // only the bound past which it never will be).
    let waiting = std::time::Instant::now();
    let claimed = loop {
        let now = read(&f.store, &job).await;
        if now.version >= job.version + 3 {
            break now;
        }
        assert!(waiting.elapsed() < Duration::from_secs(60), "the lease was never renewed");
        tokio::time::sleep(Duration::from_millis(20)).await;
    };
    assert_eq!(claimed.status, JobStatus::Running);
    let first_expiry = claimed.started_at.expect("started") + TimeDelta::from_std(lease).unwrap();
    assert!(claimed.lease_expires_at.expect("leased") > first_expiry, "renewed past the first claim's end");
    // Another worker, after the first claim would have ended, finds it held.
    let other = worker(&f, &handler).with_lease(lease);
    assert_eq!(other.handle_at(&body, first_expiry + TimeDelta::milliseconds(1)).await, Outcome::Ack);
    assert_eq!(handler.runs.load(Ordering::SeqCst), 1, "not run a second time");

    gate.add_permits(1);
    assert_eq!(running.await.unwrap(), Outcome::Ack);
    let done = read(&f.store, &job).await;
    assert_eq!((done.status, done.attempts), (JobStatus::Completed, 1), "completed over the renewed claim");
    assert_eq!(effects(&f.store, &job).await, 1);
}

async fn a_pending_job_whose_message_was_lost_is_sent_again_and_one_past_its_deadline_fails(f: Fixture) {
    let org = OrgId::generate();
    let lost = stored_job(&f.store, &controlplane::testing::tenant_of(&org), 3).await;
    let report = reconcile(&f, Utc::now()).await;
    assert_eq!(report.resent, 0, "a fresh job gets a grace period for its own message");
    let report = reconcile(&f, Utc::now() + TimeDelta::minutes(2)).await;
    assert_eq!(report.resent, 1);
    let handler = Effect::default();
    assert_eq!(worker(&f, &handler).poll(10).await.unwrap(), 1);
    assert_eq!(read(&f.store, &lost).await.status, JobStatus::Completed);

    let stale = stored_job(&f.store, &controlplane::testing::tenant_of(&org), 3).await;
    let report = reconcile(&f, Utc::now() + TimeDelta::hours(25)).await;
    assert_eq!(report.expired, 1);
    let failed = read(&f.store, &stale).await;
    assert_eq!((failed.status, failed.error.as_deref()), (JobStatus::Failed, Some("the job's deadline passed")));
}

/// One reconciler pass (the reconciler needs no handlers but to fail jobs).
async fn reconcile(f: &Fixture, now: chrono::DateTime<Utc>) -> Reconciled {
    Worker::new(f.store.clone(), f.queue.clone(), Handlers::default()).reconcile(now).await.unwrap()
}

async fn an_effect_that_conflicts_releases_the_job_for_a_prompt_retry(f: Fixture) {
    let org = OrgId::generate();
    let job = stored_job(&f.store, &controlplane::testing::tenant_of(&org), 3).await;
    // Something else already holds the item the effect must create.
    let planted = Item::new(effect_key(&job), 1, json!({ "by": "someone else" })).unwrap();
    f.store.transact(vec![WriteOp::put(planted)]).await.unwrap();
    let handler = Effect::default();
    let worker = worker(&f, &handler);
    let outcome = worker.handle(&JobMessage::of(&job).body()).await;
    assert!(matches!(outcome, Outcome::RetryIn(_)), "{outcome:?}");
    let released = read(&f.store, &job).await;
    assert_eq!((released.status, released.attempts, released.lease_owner.as_deref()), (JobStatus::Pending, 1, None));
    assert!(released.error.as_deref().is_some_and(|e| e.contains("conflicted")), "{:?}", released.error);
    assert!(released.run_after.is_some(), "retried after a backoff, not after the lease");

    f.store.transact(vec![WriteOp::delete(effect_key(&job))]).await.unwrap();
    let later = Utc::now() + TimeDelta::minutes(20);
    assert_eq!(worker.handle_at(&JobMessage::of(&job).body(), later).await, Outcome::Ack);
    let done = read(&f.store, &job).await;
    assert_eq!((done.status, done.attempts), (JobStatus::Completed, 2));
    assert_eq!(effects(&f.store, &job).await, 1);
}

macro_rules! on_both {
    ($($case:ident),* $(,)?) => {
        mod sqlite_store_and_queue {
            $(
                #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
                async fn $case() {
                    super::$case(super::sqlite().await).await;
                }
            )*
        }
        mod dynamodb_and_sqs {
            $(
                #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
                async fn $case() {
                    super::$case(super::aws().await).await;
                }
            )*
        }
    };
}

on_both!(
    the_same_message_delivered_twice_runs_the_job_once,
    a_failing_job_retries_with_growing_delays_then_fails_with_its_error_in_the_dead_letters,
    a_worker_killed_mid_job_is_recovered_by_the_reconciler_and_completes_once,
    a_running_job_keeps_its_lease_while_its_handler_runs_and_no_other_worker_takes_it,
    a_pending_job_whose_message_was_lost_is_sent_again_and_one_past_its_deadline_fails,
    an_effect_that_conflicts_releases_the_job_for_a_prompt_retry,
);
