//! DynamoDB throttling, as the emulator injects it: retried by the SDK's
//! standard mode to success within its attempts, and past them a 503
//! problem with `Retry-After`. Either way each write lands once or not at
//! all. (SQLite has no throttling: these run on the emulator only.)

use e2e::{Backend, TestApp};
use serde_json::json;

const TRANSACT: &str = "DynamoDB_20120810.TransactWriteItems";

/// The names of the org's projects and how many `project.created` events
/// its audit log holds.
async fn projects_and_events(user: &e2e::User<'_>) -> (Vec<String>, usize) {
    let listed = user.get("/v1/projects").await;
    assert_eq!(listed.status, 200, "{}", listed.body);
    let mut names: Vec<String> =
        listed.body["data"].as_array().unwrap().iter().map(|p| p["name"].as_str().unwrap().to_owned()).collect();
    names.sort();
    let audit = user.get("/v1/audit?action=project.created").await;
    assert_eq!(audit.status, 200, "{}", audit.body);
    (names, audit.body["data"].as_array().unwrap().len())
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_throttled_write_is_retried_to_success_and_past_its_attempts_is_a_503_that_wrote_nothing() {
    let app = TestApp::spawn(Backend::Dynamodb).await;
    let alice = app.user("alice");
    alice.create_org("Acme").await;

    let fault = app.inject_fault(TRANSACT, "ProvisionedThroughputExceededException", 2).await;
    let created = alice.post("/v1/projects", json!({"name": "first"})).await;
    assert_eq!(created.status, 201, "two throttled attempts, the third lands: {}", created.body);
    assert_eq!(fault.answered().await, 2);
    assert_eq!(projects_and_events(&alice).await, (vec!["first".to_owned()], 1), "written once");

    let fault = app.inject_fault(TRANSACT, "ThrottlingException", 3).await;
    let refused = alice.post("/v1/projects", json!({"name": "second"})).await;
    assert_eq!(fault.answered().await, 3, "every attempt was tried");
    assert_eq!((refused.status, refused.problem_code()), (503, "service_unavailable"), "{}", refused.body);
    assert_eq!(refused.header("content-type"), Some("application/problem+json"));
    let retry_after: u64 = refused.header("retry-after").expect("Retry-After").parse().expect("seconds");
    assert!((1..=60).contains(&retry_after), "{retry_after}");
    assert_eq!(projects_and_events(&alice).await, (vec!["first".to_owned()], 1), "nothing written");

    let again = alice.post("/v1/projects", json!({"name": "second"})).await;
    assert_eq!(again.status, 201, "the same request later succeeds: {}", again.body);
    assert_eq!(projects_and_events(&alice).await, (vec!["first".to_owned(), "second".to_owned()], 2), "nothing lost");
}
