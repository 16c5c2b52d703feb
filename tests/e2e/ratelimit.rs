use controlplane::domain::ratelimit::{Limits, PlanLimits, Policy};
use e2e::{Backend, TestApp};
use serde_json::json;

/// A day-long window, so the test never straddles a window boundary.
const DAY: u64 = 86_400;

pub async fn writes_past_the_principal_quota_get_429_with_ietf_headers(backend: Backend) {
    let limits = Limits::uniform(PlanLimits {
        org: Policy { quota: 1_000, window: DAY },
        principal_read: Policy { quota: 100, window: DAY },
        principal_write: Policy { quota: 3, window: DAY },
    });
    let app = TestApp::spawn_with_limits(backend, limits).await;
    let alice = app.user("alice");
    let org = alice.create_org("Acme").await;
    alice.add_member(&org, "bob", "developer").await; // the first counted write
    for n in 0..2 {
        let created = alice.post("/v1/projects", json!({ "name": format!("p{n}") })).await;
        assert_eq!(created.status, 201);
        let policy = created.header("ratelimit-policy").unwrap();
        assert!(
            policy.contains("\"principal-write\";q=3;w=86400") && policy.contains("\"org\";q=1000;w=86400"),
            "{policy}"
        );
        let expected = format!("\"principal-write\";r={};t=", 1 - n);
        assert!(created.header("ratelimit").unwrap().starts_with(&expected), "{:?}", created.header("ratelimit"));
    }
    let refused = alice.post("/v1/projects", json!({"name": "one-too-many"})).await;
    assert_eq!((refused.status, refused.problem_code()), (429, "rate_limited"));
    let retry_after: u64 = refused.header("retry-after").unwrap().parse().unwrap();
    assert!((1..=DAY).contains(&retry_after));
    assert!(refused.header("ratelimit").unwrap().starts_with("\"principal-write\";r=0;t="));
    assert_eq!(alice.get("/v1/projects").await.data_ids().len(), 2, "nothing was written past the limit");

    let read = alice.get("/v1/projects").await;
    assert_eq!(read.status, 200, "reads have their own quota");
    assert!(read.header("ratelimit").unwrap().starts_with("\"principal-read\";r="));
    assert_eq!(app.user("bob").post("/v1/projects", json!({"name": "bobs"})).await.status, 201, "per principal");
}

pub async fn requests_outside_any_org_count_against_the_user(backend: Backend) {
    let limits = Limits::uniform(PlanLimits {
        org: Policy { quota: 1_000, window: DAY },
        principal_read: Policy { quota: 2, window: DAY },
        principal_write: Policy { quota: 2, window: DAY },
    });
    let app = TestApp::spawn_with_limits(backend, limits).await;
    let alice = app.user("alice");
    alice.create_org("One").await;
    let second = alice.post("/v1/orgs", json!({"name": "Two"})).await;
    assert_eq!(second.status, 201);
    assert!(second.header("ratelimit").unwrap().starts_with("\"principal-write\";r=0;t="), "{:?}", second.headers);
    assert_eq!(second.header("ratelimit-policy"), Some("\"principal-write\";q=2;w=86400"));
    let refused = alice.post("/v1/orgs", json!({"name": "Three"})).await;
    assert_eq!((refused.status, refused.problem_code()), (429, "rate_limited"));
    assert!(refused.header("retry-after").is_some());

    assert_eq!(alice.get("/v1/orgs").await.data_ids().len(), 2, "no org was created past the limit");
    assert_eq!(alice.get("/v1/orgs").await.status, 200);
    assert_eq!(alice.get("/v1/orgs").await.status, 429, "listing has the read quota");
    assert_eq!(app.user("bob").post("/v1/orgs", json!({"name": "Bobs"})).await.status, 201, "per user");
}
