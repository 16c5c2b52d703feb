//! Running jobs: the worker that handles one queue message at a time and
//! the reconciler that finds jobs whose message or worker was lost.
//!
//! Exactly once in effect: a worker claims the job with a version-checked
//! write (a lease), runs its handler, and commits the handler's writes
//! together with the job's completion, again checked against the claimed
//! version. A duplicate message finds the job done or leased and does
//! nothing; a worker renews its lease while the handler runs (a
//! heartbeat), so a worker that dies leaves a short lease that soon
//! expires, and the job's returning message or the reconciler hands it out
//! again; a worker that lost its lease cannot commit. Handlers that call
//! out of the process pass an idempotency key (the job id) so a repeated
//! call is harmless.

pub mod audit_export;
pub mod backup;
pub mod handlers;
pub mod mcp;
pub mod provisioning;
pub mod rotation;
pub mod runner;
mod runs;
pub mod sources;

use crate::base::tenant::TenantId;
use std::collections::HashMap;
use std::sync::Arc;
use std::time::Duration;

use async_trait::async_trait;
use chrono::{DateTime, TimeDelta, Utc};
use serde_json::{Value, json};

use crate::base::error::DomainError;
use crate::domain::audit::{AuditEvent, Target, chain};
use crate::domain::job::{ACTIVE_SHARDS, Job, JobMessage, JobStatus, JobType, LEASE, RUN_LIMIT};
use crate::ports::queue::{DynQueue, MAX_VISIBILITY, QueueError, Received};
use crate::ports::store::{Condition, DynStore, StoreError, WriteOp};

/// Why a run failed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Failure {
    /// Worth retrying (timeouts, throttling, a dependency down).
    Transient(String),
    /// Retrying cannot help (bad payload, the target is gone).
    Permanent(String),
}

/// A successful run: the result to record, and the writes that are the
/// job's effect, committed in the same transaction as its completion.
#[derive(Debug, Default)]
pub struct Done {
    pub result: Value,
    pub writes: Vec<WriteOp>,
    pub events: Vec<AuditEvent>,
}

#[async_trait]
pub trait JobHandler: Send + Sync {
    async fn run(&self, job: &Job, store: &DynStore) -> Result<Done, Failure>;

    /// Writes committed with the job's failure (when it failed for good):
    /// whatever its target must show, e.g. a project `failed` with the
    /// reason rather than left `provisioning`.
    async fn give_up(&self, _job: &Job, _store: &DynStore, _error: &str) -> Result<Effect, WorkerError> {
        Ok(Effect::default())
    }
}

/// Writes and the audit events that record them, committed together.
#[derive(Debug, Default)]
pub struct Effect {
    pub writes: Vec<WriteOp>,
    pub events: Vec<AuditEvent>,
}

/// The handler for each job type.
#[derive(Clone, Default)]
pub struct Handlers(HashMap<JobType, Arc<dyn JobHandler>>);

impl Handlers {
    pub fn register(mut self, job_type: JobType, handler: impl JobHandler + 'static) -> Self {
        self.0.insert(job_type, Arc::new(handler));
        self
    }

    fn get(&self, job_type: JobType) -> Option<&Arc<dyn JobHandler>> {
        self.0.get(&job_type)
    }
}

/// What to do with the message after handling it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Outcome {
    /// Done with it (the job finished, or the message is stale).
    Ack,
    /// Deliver it again after this delay.
    RetryIn(Duration),
    /// The job failed for good: park the message in the dead-letter queue.
    DeadLetter,
}

#[derive(Debug, thiserror::Error)]
pub enum WorkerError {
    #[error(transparent)]
    Store(#[from] StoreError),
    #[error(transparent)]
    Queue(#[from] QueueError),
    #[error("{0}")]
    Api(#[from] DomainError),
}

/// Sends the message that nudges a worker to a job.
pub async fn enqueue(queue: &DynQueue, job: &Job) -> Result<(), QueueError> {
    queue.send(&JobMessage::of(job).body(), Duration::ZERO).await
}

pub struct Worker {
    store: DynStore,
    queue: DynQueue,
    /// Job types whose messages go to another queue (webhook deliveries).
    routes: HashMap<JobType, DynQueue>,
    handlers: Handlers,
    /// Who holds a lease: this worker.
    id: String,
    lease: Duration,
}

fn delta(d: Duration) -> TimeDelta {
    TimeDelta::from_std(d).unwrap_or(TimeDelta::MAX)
}

impl Worker {
    pub fn new(store: DynStore, queue: DynQueue, handlers: Handlers) -> Self {
        let id = format!("worker_{}", ulid::Ulid::new().to_string().to_lowercase());
        Self { store, queue, routes: HashMap::new(), handlers, id, lease: LEASE }
    }

    /// Messages of `job_type` (re-sent by the reconciler) go to `queue`.
    pub fn with_route(mut self, job_type: JobType, queue: DynQueue) -> Self {
        self.routes.insert(job_type, queue);
        self
    }

    /// The queue a job's messages go to.
    pub fn queue_for(&self, job_type: JobType) -> &DynQueue {
        self.routes.get(&job_type).unwrap_or(&self.queue)
    }

    pub fn store(&self) -> &DynStore {
        &self.store
    }

    pub fn queue(&self) -> &DynQueue {
        &self.queue
    }

    /// The same worker with another lease length (tests).
    pub fn with_lease(mut self, lease: Duration) -> Self {
        self.lease = lease;
        self
    }

    /// Receives up to `max` messages and handles each (the local loop; on
    /// Lambda the SQS event delivers them). Returns how many it handled.
    pub async fn poll(&self, max: usize) -> Result<usize, WorkerError> {
        let messages = self.queue.receive(max, self.lease).await?;
        for message in &messages {
            let outcome = self.handle(&message.body).await;
            self.settle(message, outcome).await?;
        }
        Ok(messages.len())
    }

    /// Carries out an outcome on the queue this worker reads.
    pub async fn settle(&self, message: &Received, outcome: Outcome) -> Result<(), QueueError> {
        match outcome {
            Outcome::Ack => self.queue.delete(&message.receipt).await,
            Outcome::RetryIn(delay) => self.queue.retry_after(&message.receipt, delay).await,
            Outcome::DeadLetter => {
                self.queue.dead_letters().send(&message.body, Duration::ZERO).await?;
                self.queue.delete(&message.receipt).await
            }
        }
    }

    /// Carries out an outcome for a message Lambda delivered: the event
    /// source mapping deletes the messages a function reports handled, so
    /// this only puts a retry off or parks a message in the dead-letter
    /// queue. Returns whether to report the message failed (it comes back).
    pub async fn settle_delivered(&self, body: &str, receipt: Option<&str>, outcome: Outcome) -> bool {
        match outcome {
            Outcome::Ack => false,
            Outcome::RetryIn(delay) => {
                if let Some(receipt) = receipt
                    && let Err(error) = self.queue.retry_after(receipt, delay).await
                {
                    tracing::warn!(%error, "cannot put the retry off; the message returns after its visibility timeout");
                }
                true
            }
            Outcome::DeadLetter => match self.queue.dead_letters().send(body, Duration::ZERO).await {
                Ok(()) => false,
                Err(error) => {
                    tracing::warn!(%error, "cannot dead-letter the message; it returns and the redrive policy moves it");
                    true
                }
            },
        }
    }

    /// Handles one message body. Store trouble is retried shortly; a body
    /// that names no job goes to the dead-letter queue.
    pub async fn handle(&self, body: &str) -> Outcome {
        self.handle_at(body, Utc::now()).await
    }

    /// [`Worker::handle`] as if the clock read `now` (tests step past backoff delays).
    pub async fn handle_at(&self, body: &str, now: DateTime<Utc>) -> Outcome {
        let Ok(message) = serde_json::from_str::<JobMessage>(body) else {
            tracing::warn!("a jobs message that names no job; dead-lettered");
            return Outcome::DeadLetter;
        };
        match self.process(&message, now).await {
            Ok(outcome) => outcome,
            Err(error) => {
                tracing::warn!(job = %message.job_id, %error, "job not handled; retrying");
                Outcome::RetryIn(Duration::from_secs(5))
            }
        }
    }

    async fn process(&self, message: &JobMessage, now: DateTime<Utc>) -> Result<Outcome, WorkerError> {
        let key = Job::key(&TenantId::acting_for(&message.org_id), &message.job_id);
        let Some(item) = self.store.batch_get(std::slice::from_ref(&key)).await?.pop().flatten() else {
            return Ok(Outcome::Ack);
        };
        let job: Job = item.parse()?;
        match job.status {
            JobStatus::Completed | JobStatus::Failed | JobStatus::Cancelled => return Ok(Outcome::Ack),
            // Another worker holds it; if that worker dies the reconciler acts.
            JobStatus::Running if job.lease_expires_at.is_some_and(|at| at > now) => return Ok(Outcome::Ack),
            _ => {}
        }
        if now > job.deadline {
            return self.fail(&job, "the job's deadline passed", now).await;
        }
        if let Some(wait) = job.run_after.and_then(|at| (at - now).to_std().ok()).filter(|w| !w.is_zero()) {
            // Longer than a message can be hidden: let it go; the reconciler
            // sends another when the job is due.
            return Ok(if wait > MAX_VISIBILITY { Outcome::Ack } else { Outcome::RetryIn(wait) });
        }
        let mut claimed = job.clone();
        claimed.status = JobStatus::Running;
        claimed.attempts += 1;
        claimed.lease_owner = Some(self.id.clone());
        claimed.lease_expires_at = Some(now + delta(self.lease));
        claimed.run_after = None;
        claimed.started_at.get_or_insert(now);
        claimed.updated_at = now;
        claimed.version += 1;
        if !self.write_if(&claimed, job.version, Effect::default()).await? {
            return Ok(Outcome::Ack);
        }
        let run = async {
            match self.handlers.get(claimed.job_type) {
                Some(handler) => handler.run(&claimed, &self.store).await,
                None => Err(Failure::Permanent(format!("no handler for {}", claimed.job_type.as_str()))),
            }
        };
        let (ran, claimed) = self.run_renewing(claimed.clone(), run).await;
        let now = now.max(Utc::now());
        let failure = match ran {
            Ok(done) => match self.complete(&claimed, done, now).await? {
                Some(outcome) => return Ok(outcome),
                // The effect no longer applies (its target changed under it):
                // a transient failure like any other.
                None => Failure::Transient("the job's effect conflicted with a concurrent change".into()),
            },
            Err(failure) => failure,
        };
        match failure {
            Failure::Transient(error) if claimed.attempts < claimed.max_attempts => {
                let delay = claimed.retry_delay(claimed.attempts);
                let mut next = released(&claimed, now);
                next.status = JobStatus::Pending;
                next.error = Some(error);
                next.run_after = Some(now + delta(delay));
                self.write_if(&next, claimed.version, Effect::default()).await?;
                Ok(Outcome::RetryIn(delay))
            }
            Failure::Transient(error) | Failure::Permanent(error) => self.fail(&claimed, &error, now).await,
        }
    }

    /// Runs `run` (for at most [`RUN_LIMIT`]) while renewing `claimed`'s
    /// lease every third of it. Returns the outcome and the claim as last
    /// renewed, which the completion is conditioned on. A renewal is never
    /// cut off midway: the run's end stops the heartbeat between renewals,
    /// so no renewal lands after the claim the completion names.
    async fn run_renewing(
        &self,
        claimed: Job,
        run: impl std::future::Future<Output = Result<Done, Failure>>,
    ) -> (Result<Done, Failure>, Job) {
        let (stop, mut stopped) = tokio::sync::watch::channel(false);
        let run = async {
            let ran = tokio::time::timeout(RUN_LIMIT, run)
                .await
                .unwrap_or_else(|_| Err(Failure::Transient("the run outlasted its time limit".into())));
            let _ = stop.send(true);
            ran
        };
        let heartbeat = async {
            let mut current = claimed;
            loop {
                tokio::select! {
                    _ = stopped.changed() => return current,
                    () = tokio::time::sleep(self.lease / 3) => {}
                }
                let now = Utc::now();
                let mut renewed = current.clone();
                renewed.lease_expires_at = Some(now + delta(self.lease));
                renewed.updated_at = now;
                renewed.version += 1;
                match self.write_if(&renewed, current.version, Effect::default()).await {
                    Ok(true) => current = renewed,
                    // Cancelled or taken over: the completion will find out.
                    Ok(false) => {
                        let _ = stopped.wait_for(|done| *done).await;
                        return current;
                    }
                    Err(error) => tracing::warn!(job = %current.id, %error, "lease not renewed; trying again"),
                }
            }
        };
        tokio::join!(run, heartbeat)
    }

    /// Commits the run's effect with the completion. `None` when a
    /// condition of the effect failed (nothing was written).
    async fn complete(&self, claimed: &Job, done: Done, now: DateTime<Utc>) -> Result<Option<Outcome>, WorkerError> {
        let mut next = released(claimed, now);
        next.status = JobStatus::Completed;
        next.result = Some(done.result);
        next.error = None;
        next.finished_at = Some(now);
        let mut events = Vec::new();
        if next.job_type.audited() {
            events.push(event(&next, "job.completed", json!({ "attempts": next.attempts })));
        }
        events.extend(done.events);
        match self.write_if(&next, claimed.version, Effect { writes: done.writes, events }).await {
            // Written, or the lease was lost to another worker: done here either way.
            Ok(_) => Ok(Some(Outcome::Ack)),
            Err(WorkerError::Store(StoreError::ConditionFailed { .. })) => Ok(None),
            Err(other) => Err(other),
        }
    }

    async fn fail(&self, job: &Job, error: &str, now: DateTime<Utc>) -> Result<Outcome, WorkerError> {
        let (next, effect) = self.failed(job, error, now).await?;
        self.write_if(&next, job.version, effect).await?;
        Ok(Outcome::DeadLetter)
    }

    /// The job failed for good, and the writes that go with it: the
    /// `job.failed` event and what its handler's `give_up` adds.
    async fn failed(&self, job: &Job, error: &str, now: DateTime<Utc>) -> Result<(Job, Effect), WorkerError> {
        let mut next = released(job, now);
        next.status = JobStatus::Failed;
        next.error = Some(error.to_owned());
        next.finished_at = Some(now);
        let mut effect = match self.handlers.get(job.job_type) {
            Some(handler) => handler.give_up(job, &self.store, error).await?,
            None => Effect::default(),
        };
        if next.job_type.audited() {
            effect.events.insert(0, event(&next, "job.failed", json!({ "attempts": next.attempts, "error": error })));
        }
        Ok((next, effect))
    }

    /// Writes `job` if the stored one is still at `expected`, with `effect`
    /// in the same transaction. `false` when the job moved on (the condition
    /// on the job failed); any other failed condition is returned.
    async fn write_if(&self, job: &Job, expected: u64, effect: Effect) -> Result<bool, WorkerError> {
        let mut all = vec![WriteOp::put_if(job.item()?, Condition::VersionEquals(expected))];
        all.extend(effect.writes);
        match chain::commit(self.store.as_ref(), all, effect.events).await {
            Ok(()) => Ok(true),
            Err(StoreError::ConditionFailed { index: 0 }) => Ok(false),
            Err(e) => Err(e.into()),
        }
    }
}

/// The job with its lease given up, one version on.
fn released(job: &Job, now: DateTime<Utc>) -> Job {
    let mut next = job.clone();
    next.lease_owner = None;
    next.lease_expires_at = None;
    next.updated_at = now;
    next.version += 1;
    next
}

/// An audit event of the worker's about `target`, in the job's trace and project.
pub fn job_event(job: &Job, action: &str, target: Target, metadata: Value) -> AuditEvent {
    let event = AuditEvent::by_system(&job.org_id, "worker", &job.trace_id, action, target, metadata);
    match &job.project_id {
        Some(project) => event.for_project(project),
        None => event,
    }
}

fn event(job: &Job, action: &str, metadata: Value) -> AuditEvent {
    job_event(job, action, Target { kind: "job".into(), id: job.id.to_string() }, metadata)
}

/// What one reconciler pass did.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct Reconciled {
    /// Pending jobs whose message was sent again.
    pub resent: usize,
    /// Running jobs whose lease had expired, handed out again.
    pub recovered: usize,
    /// Jobs past their deadline, failed.
    pub expired: usize,
}

impl Worker {
    /// One pass over the active-jobs index (its shards read at once): jobs
    /// due for a look (`now` or earlier) are re-sent, taken back from a dead
    /// worker, or failed past their deadline. Every change is version-checked, so concurrent
    /// passes and workers never undo each other.
    pub async fn reconcile(&self, now: DateTime<Utc>) -> Result<Reconciled, WorkerError> {
        const PER_SHARD: usize = 100;
        let mut report = Reconciled::default();
        let queries: Vec<_> = (0..ACTIVE_SHARDS).map(|shard| Job::due_query(shard, now).limit(PER_SHARD)).collect();
        for page in crate::ports::store::first_pages(self.store.as_ref(), &queries).await? {
            for item in page.items {
                let job: Job = item.parse()?;
                if !job.status.is_active() || job.due_at().is_none_or(|due| due > now) {
                    continue;
                }
                let (next, effect, counter) = if now > job.deadline {
                    let (next, effect) = self.failed(&job, "the job's deadline passed", now).await?;
                    (next, effect, &mut report.expired)
                } else if job.status == JobStatus::Running {
                    let mut next = released(&job, now);
                    next.status = JobStatus::Pending;
                    next.error = Some("the worker's lease expired before it finished".into());
                    (next, Effect::default(), &mut report.recovered)
                } else {
                    (released(&job, now), Effect::default(), &mut report.resent)
                };
                match self.write_if(&next, job.version, effect).await {
                    Ok(true) => {}
                    Ok(false) | Err(WorkerError::Store(StoreError::ConditionFailed { .. })) => continue,
                    Err(e) => return Err(e),
                }
                *counter += 1;
                if next.status == JobStatus::Pending {
                    enqueue(self.queue_for(next.job_type), &next).await?;
                }
            }
        }
        Ok(report)
    }
}
