use std::sync::Arc;
use std::time::Duration;

use chrono::{TimeDelta, Utc};
use controlplane::domain::orchestrator::LocalOrchestrator;
use controlplane::domain::worker::Worker;
use e2e::{Backend, TestApp, User};
use serde_json::{Value, json};

/// The actions of the org's audit log, oldest first.
async fn audit_actions(user: &User<'_>) -> Vec<String> {
    let page = user.get("/v1/audit?limit=200").await;
    let mut actions: Vec<String> =
        page.body["data"].as_array().unwrap().iter().map(|e| e["action"].as_str().unwrap().to_owned()).collect();
    actions.reverse();
    actions
}

fn count(actions: &[String], action: &str) -> usize {
    actions.iter().filter(|a| *a == action).count()
}

async fn only_job(user: &User<'_>, project: &str) -> Value {
    let list = user.get(&format!("/v1/jobs?project_id={project}")).await;
    assert_eq!(list.status, 200, "{}", list.body);
    let data = list.body["data"].as_array().unwrap();
    assert_eq!(data.len(), 1, "{}", list.body);
    data[0].clone()
}

/// A worker on the app's store and queue provisioning through `orchestrator`.
fn worker_with(app: &TestApp, orchestrator: LocalOrchestrator) -> Worker {
    Worker::new(
        app.store.clone(),
        app.queue.clone(),
        controlplane::domain::worker::handlers::handlers(Arc::new(orchestrator), app.blobs.clone()),
    )
}

pub async fn a_new_project_is_provisioned_by_a_job_the_jobs_api_lists_and_filters(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let alice = app.user("alice");
    let org = alice.create_org("Acme").await;
    let project = alice.create_project("checkout").await;
    let job = only_job(&alice, &project).await;
    assert_eq!((job["type"].as_str(), job["status"].as_str()), (Some("provision_project"), Some("pending")));
    assert_eq!(job["requested_by"], "alice");
    assert_eq!(job["attempts"], 0);
    let job_path = format!("/v1/jobs/{}", job["id"].as_str().unwrap());

    assert_eq!(app.run_jobs().await, 1);
    let done = alice.get(&job_path).await;
    assert_eq!((done.status, done.body["status"].as_str()), (200, Some("completed")), "{}", done.body);
    assert_eq!(done.body["attempts"], 1);
    assert_eq!(done.body["result"]["status"], "active");
    assert!(done.body["finished_at"].is_string());
    let project_now = alice.get(&format!("/v1/projects/{project}")).await;
    assert_eq!(project_now.body["status"], "active");
    let actions = audit_actions(&alice).await;
    assert_eq!(count(&actions, "project.provisioned"), 1, "{actions:?}");
    assert_eq!(count(&actions, "job.completed"), 1, "{actions:?}");
    assert_eq!(app.orchestrator.provisioned_count(), 1);

    // Filters: type, status, time range; pages with bound cursors.
    let second = alice.create_project("billing").await;
    assert_eq!(alice.get("/v1/jobs?status=completed").await.data_ids(), [job["id"].as_str().unwrap()]);
    assert_eq!(alice.get("/v1/jobs?status=pending").await.body["data"][0]["project_id"], second.as_str());
    assert_eq!(alice.get("/v1/jobs?type=deprovision_project").await.data_ids().len(), 0);
    let future = (Utc::now() + TimeDelta::hours(1)).to_rfc3339_opts(chrono::SecondsFormat::Secs, true);
    let past = (Utc::now() - TimeDelta::hours(1)).to_rfc3339_opts(chrono::SecondsFormat::Secs, true);
    assert_eq!(alice.get(&format!("/v1/jobs?from={future}")).await.data_ids().len(), 0);
    assert_eq!(alice.get(&format!("/v1/jobs?to={past}")).await.data_ids().len(), 0);
    assert_eq!(alice.get(&format!("/v1/jobs?from={past}&to={future}")).await.data_ids().len(), 2);
    let first_page = alice.get("/v1/jobs?limit=1").await;
    let newest = first_page.data_ids();
    let cursor = first_page.body["next_cursor"].as_str().unwrap().to_owned();
    let rest = alice.get(&format!("/v1/jobs?limit=1&cursor={cursor}")).await;
    assert_eq!(rest.data_ids(), [job["id"].as_str().unwrap()], "newest first: {newest:?}");
    assert_eq!(alice.get(&format!("/v1/jobs?status=failed&cursor={cursor}")).await.status, 422);
    for bad in ["status=stuck", "type=mine_bitcoin", "from=yesterday", &format!("from={future}&to={past}")] {
        let resp = alice.get(&format!("/v1/jobs?{bad}")).await;
        assert_eq!(resp.status, 422, "{bad}: {}", resp.body);
    }

    // Deleting the project tears its runtime down through another job.
    assert_eq!(alice.delete(&format!("/v1/projects/{project}")).await.status, 204);
    app.run_jobs().await;
    let deprovision = alice.get(&format!("/v1/jobs?type=deprovision_project&project_id={project}")).await;
    assert_eq!(deprovision.body["data"][0]["status"], "completed", "{}", deprovision.body);
    assert_eq!(count(&audit_actions(&alice).await, "project.deprovisioned"), 1);

    // Other orgs see none of it; their ids are 404.
    let bob = app.user("bob");
    bob.create_org("Bob's").await;
    assert_eq!(bob.get("/v1/jobs").await.data_ids().len(), 0);
    assert_eq!(bob.get(&job_path).await.status, 404);
    assert_eq!(alice.in_org(&org).get("/v1/jobs/job_nope").await.status, 404);
}

pub async fn api_keys_see_their_projects_jobs_and_viewers_cannot_manage_jobs(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let alice = app.user("alice");
    let org = alice.create_org("Acme").await;
    let mine = alice.create_project("mine").await;
    let theirs = alice.create_project("theirs").await;
    let key = alice
        .post("/v1/keys", json!({"project_id": mine, "name": "ci", "type": "secret", "scopes": ["jobs:read"]}))
        .await;
    assert_eq!(key.status, 201, "{}", key.body);
    let bot = alice.with_token(key.body["token"].as_str().unwrap().to_owned());
    let listed = bot.get("/v1/jobs").await;
    assert_eq!(listed.status, 200, "{}", listed.body);
    assert_eq!(listed.body["data"].as_array().unwrap().len(), 1);
    assert_eq!(listed.body["data"][0]["project_id"], mine.as_str());
    assert_eq!(bot.get(&format!("/v1/jobs?project_id={theirs}")).await.status, 403);
    let their_job = only_job(&alice, &theirs).await;
    let their_path = format!("/v1/jobs/{}", their_job["id"].as_str().unwrap());
    assert_eq!(bot.get(&their_path).await.status, 404);
    assert_eq!(bot.delete(&their_path).await.status, 403, "jobs:manage not granted");

    alice.add_member(&org, "vic", "viewer").await;
    let vic = app.user("vic");
    assert_eq!(vic.get(&their_path).await.status, 200, "viewers read jobs");
    assert_eq!(vic.delete(&their_path).await.status, 403);
}

pub async fn a_failed_provisioning_leaves_the_project_failed_until_a_retry_succeeds(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let alice = app.user("alice");
    alice.create_org("Acme").await;
    let project = alice.create_project("doomed").await;
    let broken = worker_with(&app, LocalOrchestrator::new(Duration::ZERO).failing("no capacity in the region"));
    assert_eq!(broken.poll(10).await.unwrap(), 1);

    let failed = alice.get(&format!("/v1/projects/{project}")).await;
    assert_eq!(failed.body["status"], "failed");
    assert!(failed.body["status_reason"].as_str().unwrap().contains("no capacity in the region"), "{}", failed.body);
    let job = only_job(&alice, &project).await;
    assert_eq!(job["status"], "failed");
    assert_eq!(job["error"], "no capacity in the region");
    let dead = app.queue.dead_letters().receive(10, Duration::from_secs(30)).await.unwrap();
    assert!(dead.iter().any(|m| m.body.contains(job["id"].as_str().unwrap())), "the message is dead-lettered");
    assert_eq!(count(&audit_actions(&alice).await, "project.provisioning_failed"), 1);

    let path = format!("/v1/jobs/{}/retry", job["id"].as_str().unwrap());
    let retried = alice.post(&path, json!({})).await;
    assert_eq!((retried.status, retried.body["status"].as_str()), (200, Some("pending")), "{}", retried.body);
    assert_eq!(retried.body["attempts"], 0);
    assert_eq!(alice.get(&format!("/v1/projects/{project}")).await.body["status"], "provisioning");
    let again = alice.post(&path, json!({})).await;
    assert_eq!((again.status, again.problem_code()), (409, "job_not_failed"));

    assert_eq!(app.run_jobs().await, 1);
    let active = alice.get(&format!("/v1/projects/{project}")).await;
    assert_eq!((active.body["status"].as_str(), &active.body["status_reason"]), (Some("active"), &Value::Null));
    assert_eq!(count(&audit_actions(&alice).await, "job.retried"), 1);
}

pub async fn a_provisioning_job_cancelled_after_its_project_moved_on_leaves_the_project_alone(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let alice = app.user("alice");
    alice.create_org("Acme").await;
    let project = alice.create_project("gone").await;
    let job = only_job(&alice, &project).await;
    assert_eq!(alice.delete(&format!("/v1/projects/{project}")).await.status, 204);
    let cancelled = alice.delete(&format!("/v1/jobs/{}", job["id"].as_str().unwrap())).await;
    assert_eq!((cancelled.status, cancelled.body["status"].as_str()), (200, Some("cancelled")), "{}", cancelled.body);
    let listed = alice.get("/v1/projects?include_deleted=true").await;
    let stored = listed.body["data"].as_array().unwrap().iter().find(|p| p["id"] == project.as_str()).cloned();
    assert_eq!(stored.map(|p| p["status"].clone()), Some(json!("deleted")), "{}", listed.body);
    assert_eq!(count(&audit_actions(&alice).await, "job.cancelled"), 1);

    // A failed project provisioned again by hand is not moved by a retry
    // of its old job either.
    let second = alice.create_project("second").await;
    worker_with(&app, LocalOrchestrator::new(Duration::ZERO).failing("region full")).poll(10).await.unwrap();
    let old_job = only_job(&alice, &second).await;
    assert_eq!(alice.post(&format!("/v1/projects/{second}/provision"), json!({})).await.status, 202);
    let before = alice.get(&format!("/v1/projects/{second}")).await;
    let retried = alice.post(&format!("/v1/jobs/{}/retry", old_job["id"].as_str().unwrap()), json!({})).await;
    assert_eq!(retried.status, 200, "{}", retried.body);
    let after = alice.get(&format!("/v1/projects/{second}")).await;
    assert_eq!((after.body["status"].as_str(), after.header("etag")), (Some("provisioning"), before.header("etag")));
}

pub async fn only_pending_jobs_are_cancelled_and_a_cancelled_provisioning_fails_the_project(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let alice = app.user("alice");
    alice.create_org("Acme").await;
    let project = alice.create_project("unwanted").await;
    let job = only_job(&alice, &project).await;
    let path = format!("/v1/jobs/{}", job["id"].as_str().unwrap());
    let cancelled = alice.delete(&path).await;
    assert_eq!((cancelled.status, cancelled.body["status"].as_str()), (200, Some("cancelled")), "{}", cancelled.body);
    // The org looked up, then the job read; the project is moved in the
    // job's transaction without being read.
    assert_eq!((cancelled.store_count("rrt"), cancelled.store_count("writes")), (2, 1));
    let failed = alice.get(&format!("/v1/projects/{project}")).await;
    assert_eq!(
        (failed.body["status"].as_str(), failed.body["status_reason"].as_str()),
        (Some("failed"), Some("provisioning was cancelled"))
    );
    let twice = alice.delete(&path).await;
    assert_eq!((twice.status, twice.problem_code()), (409, "job_not_pending"));
    app.run_jobs().await;
    assert_eq!(alice.get(&path).await.body["status"], "cancelled", "a cancelled job never runs");
    assert_eq!(app.orchestrator.provisioned_count(), 0);

    let done = alice.create_project("kept").await;
    app.run_jobs().await;
    let done_job = only_job(&alice, &done).await;
    let refused = alice.delete(&format!("/v1/jobs/{}", done_job["id"].as_str().unwrap())).await;
    assert_eq!((refused.status, refused.problem_code()), (409, "job_not_pending"));
}

pub async fn a_worker_killed_mid_provisioning_is_recovered_and_the_project_is_activated_once(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let alice = app.user("alice");
    alice.create_org("Acme").await;
    let project = alice.create_project("resilient").await;
    let job = only_job(&alice, &project).await;
    let path = format!("/v1/jobs/{}", job["id"].as_str().unwrap());

    let doomed = Arc::new(worker_with(&app, LocalOrchestrator::new(Duration::from_secs(600))));
    let running = tokio::spawn({
        let doomed = Arc::clone(&doomed);
        async move { doomed.poll(10).await }
    });
    let mut status = Value::Null;
    for _ in 0..200 {
        status = alice.get(&path).await.body["status"].clone();
        if status == "running" {
            break;
        }
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    assert_eq!(status, "running");
    let refused = alice.delete(&path).await;
    assert_eq!((refused.status, refused.problem_code()), (409, "job_not_pending"), "a running job is not cancelled");
    running.abort(); // the worker dies between claiming and completing

    assert_eq!(alice.get(&format!("/v1/projects/{project}")).await.body["status"], "provisioning");
    let report = app.worker().reconcile(Utc::now() + TimeDelta::minutes(6)).await.unwrap();
    assert_eq!(report.recovered, 1, "{report:?}");
    assert_eq!(app.run_jobs().await, 1);
    let finished = alice.get(&path).await;
    assert_eq!((finished.body["status"].as_str(), finished.body["attempts"].as_u64()), (Some("completed"), Some(2)));
    assert_eq!(alice.get(&format!("/v1/projects/{project}")).await.body["status"], "active");
    let actions = audit_actions(&alice).await;
    assert_eq!(count(&actions, "project.provisioned"), 1, "activated exactly once: {actions:?}");
    assert_eq!(app.orchestrator.provisioned_count(), 1);
}

pub async fn a_failed_project_is_provisioned_again_on_request_and_a_current_one_is_409(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let alice = app.user("alice");
    alice.create_org("Acme").await;
    let project = alice.create_project("second-chance").await;
    let path = format!("/v1/projects/{project}/provision");
    let busy = alice.post(&path, json!({})).await;
    assert_eq!((busy.status, busy.problem_code()), (409, "provisioning_in_progress"));
    worker_with(&app, LocalOrchestrator::new(Duration::ZERO).failing("region full")).poll(10).await.unwrap();
    assert_eq!(alice.get(&format!("/v1/projects/{project}")).await.body["status"], "failed");

    let again = alice.post(&path, json!({})).await;
    assert_eq!((again.status, again.body["type"].as_str()), (202, Some("provision_project")), "{}", again.body);
    assert_eq!(alice.get(&format!("/v1/projects/{project}")).await.body["status"], "provisioning");
    app.run_jobs().await;
    assert_eq!(alice.get(&format!("/v1/projects/{project}")).await.body["status"], "active");
    let current = alice.post(&path, json!({})).await;
    assert_eq!((current.status, current.problem_code()), (409, "project_up_to_date"));
    assert_eq!(app.user("mallory").post(&path, json!({})).await.status, 400, "not in any org");
}

pub async fn a_key_rotation_is_completed_by_a_job_once_the_rotated_token_is_no_longer_recognised(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let alice = app.user("alice");
    alice.create_org("Acme").await;
    let project = alice.create_project("api").await;
    let key = alice
        .post("/v1/keys", json!({"project_id": project, "name": "ci", "type": "secret", "scopes": ["projects:read"]}))
        .await;
    let (key_id, old) = (key.id(), key.body["token"].as_str().unwrap().to_owned());
    let rotated =
        e2e::send(alice.request(reqwest::Method::PUT, &format!("/v1/keys/{key_id}/rotate?grace_seconds=0"))).await;
    assert_eq!(rotated.status, 200, "{}", rotated.body);
    let new = rotated.body["token"].as_str().unwrap().to_owned();
    let old_user = alice.with_token(old.clone());
    assert_eq!(old_user.get("/v1/projects").await.problem_code(), "key_rotated");

    let jobs = alice.get("/v1/jobs?type=rotate_key").await;
    let job = jobs.body["data"][0].clone();
    assert_eq!(job["status"], "pending", "{}", jobs.body);
    app.run_jobs().await;
    assert_eq!(
        alice.get(&format!("/v1/jobs/{}", job["id"].as_str().unwrap())).await.body["status"],
        "pending",
        "not due for a week"
    );

    let org = controlplane::OrgId::parse(job["org_id"].as_str().unwrap()).unwrap();
    let message = controlplane::domain::job::JobMessage {
        org_id: org,
        job_id: controlplane::base::ids::JobId::parse(job["id"].as_str().unwrap()).unwrap(),
    };
    let due = Utc::now() + TimeDelta::days(7) + TimeDelta::minutes(2);
    assert_eq!(app.worker().handle_at(&message.body(), due).await, controlplane::domain::worker::Outcome::Ack);
    let done = alice.get(&format!("/v1/jobs/{}", job["id"].as_str().unwrap())).await;
    assert_eq!(
        (done.body["status"].as_str(), done.body["result"]["retired"].as_u64()),
        (Some("completed"), Some(1)),
        "{}",
        done.body
    );
    let lookup = controlplane::ports::store::Key::key_hash(&controlplane::domain::apikey::hash_token(&old));
    assert!(app.store.batch_get(&[lookup]).await.unwrap()[0].is_none(), "the old token's lookup is gone");
    assert_eq!(old_user.get("/v1/projects").await.problem_code(), "invalid_key");
    assert_eq!(alice.with_token(new).get("/v1/projects").await.status, 200);
    assert_eq!(count(&audit_actions(&alice).await, "key.rotation_completed"), 1);
}
