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

/// Writes by `user` until the first 429 (at most `most`): how many were
/// admitted, and the refusal.
async fn writes_until_refused(user: &e2e::User<'_>, most: usize) -> (usize, Option<e2e::Resp>) {
    for n in 0..most {
        let created = user.post("/v1/projects", json!({ "name": format!("w{n}") })).await;
        if created.status == 429 {
            return (n, Some(created));
        }
        assert_eq!(created.status, 201, "{}", created.body);
    }
    (most, None)
}

pub async fn an_owner_sets_the_orgs_limits_within_its_plan_and_they_apply_on_the_next_request(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let owner = app.user("olivia");
    let org = owner.create_org("Acme").await;
    owner.add_member(&org, "adam", "admin").await;
    owner.add_member(&org, "dev", "developer").await;
    let path = format!("/v1/orgs/{org}/limits");
    let limits = app.user("dev").get(&path).await;
    assert_eq!((limits.status, limits.header("etag")), (200, Some("\"0\"")), "{}", limits.body);
    assert_eq!(limits.body["plan"], "free");
    assert_eq!(
        limits.body["write"],
        json!({"per_minute": 120, "burst": null, "default_per_minute": 120, "maximum_per_minute": 600, "overridden": false})
    );
    assert_eq!(limits.body["org"]["per_minute"], 1200);

    let refused = app.user("adam").put(&path, json!({"write": {"per_minute": 3}})).await;
    assert_eq!((refused.status, refused.problem_code()), (403, "forbidden"), "owners only");
    assert_eq!(app.user("mallory").get(&path).await.status, 404);

    let bad = owner
        .put(
            &path,
            json!({"org": {"per_minute": 0}, "read": {"per_minute": 3001}, "write": {"per_minute": 120, "burst": 1}}),
        )
        .await;
    assert_eq!(bad.status, 422, "{}", bad.body);
    let fields: Vec<&str> =
        bad.body["errors"].as_array().unwrap().iter().map(|e| e["field"].as_str().unwrap()).collect();
    assert_eq!(fields, ["org.per_minute", "read.per_minute", "write.burst"]);

    let set = owner.put(&path, json!({"write": {"per_minute": 3}})).await;
    assert_eq!((set.status, set.header("etag")), (200, Some("\"1\"")), "{}", set.body);
    assert_eq!(set.body["write"]["overridden"], true);
    let dev = app.user("dev");
    // A minute's window can end between two writes, letting the previous
    // window's count fade: at most twice the quota gets through, never more.
    let (admitted, refusal) = writes_until_refused(&dev, 10).await;
    assert!((3..=6).contains(&admitted), "admitted {admitted} writes past a limit of 3");
    let refusal = refusal.expect("a 429");
    assert_eq!(refusal.problem_code(), "rate_limited");
    assert!(refusal.header("ratelimit-policy").unwrap().contains("\"principal-write\";q=3;w=60"));

    let reset =
        e2e::send(owner.request(reqwest::Method::PUT, &path).header("if-match", "\"1\"").json(&json!({"write": null})))
            .await;
    assert_eq!(reset.status, 200, "{}", reset.body);
    assert_eq!(reset.body["write"]["per_minute"], 120, "back to the plan's");
    assert_eq!(dev.post("/v1/projects", json!({"name": "after"})).await.status, 201, "applies on the next request");
    let stale =
        e2e::send(owner.request(reqwest::Method::PUT, &path).header("if-match", "\"1\"").json(&json!({}))).await;
    assert_eq!(stale.status, 412);

    let audit = owner.get("/v1/audit?action=limits.updated").await;
    let events = audit.body["data"].as_array().unwrap();
    assert_eq!(events.len(), 2, "one event per change: {}", audit.body);
    assert_eq!(events[1]["metadata"]["changes"]["write"]["to"], json!({"per_minute": 3, "burst": null}));
}

pub async fn a_burst_cap_is_a_policy_of_its_own_in_the_headers(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let owner = app.user("olivia");
    let org = owner.create_org("Acme").await;
    let set = owner.put(&format!("/v1/orgs/{org}/limits"), json!({"read": {"per_minute": 120, "burst": 2}})).await;
    assert_eq!(set.status, 200, "{}", set.body);
    assert_eq!(set.body["read"]["burst"], 2);
    // Whether a second's reads exceed the cap depends on how fast they
    // come: the limiter's own tests refuse them on a clock they set.
    let read = owner.get("/v1/projects").await;
    let policy = read.header("ratelimit-policy").unwrap();
    assert!(policy.contains("\"principal-read\";q=120;w=60"), "{policy}");
    assert!(policy.contains("\"principal-read-burst\";q=2;w=1"), "{policy}");
    let write = owner.post("/v1/projects", json!({"name": "w"})).await;
    assert!(!write.header("ratelimit-policy").unwrap().contains("burst"), "writes have no cap set");
}

/// A bounded load on loopback: eight members read as fast as they can;
/// midway the owner lowers the org's limit, and from the next request the
/// org admits no more than the new limit allows.
pub async fn an_orgs_lowered_limit_takes_effect_under_load(backend: Backend) {
    use std::sync::Arc;
    use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering::SeqCst};
    // Reads before the change, reads sent after it is answered, and a bound
    // on all (reads overlapping the change count for neither side).
    const LOWER_AT: usize = 160;
    const AFTER: usize = 240;
    const MOST: usize = 2_000;
    let app = TestApp::spawn(backend).await;
    let owner = app.user("olivia");
    let org = owner.create_org("Acme").await;
    for n in 0..8 {
        owner.add_member(&org, &format!("reader{n}"), "viewer").await;
    }
    let (sent, sent_after) = (Arc::new(AtomicUsize::new(0)), Arc::new(AtomicUsize::new(0)));
    let (changing, lowered) = (Arc::new(AtomicBool::new(false)), Arc::new(AtomicBool::new(false)));
    // (admitted, refused) of the reads done before the change was sent, and
    // of those sent after it was answered; reads overlapping it are neither.
    let counts = Arc::new(std::sync::Mutex::new([[0usize; 2]; 2]));
    let readers = (0..8).map(|n| {
        let (sent, sent_after) = (Arc::clone(&sent), Arc::clone(&sent_after));
        let (changing, lowered, counts) = (Arc::clone(&changing), Arc::clone(&lowered), Arc::clone(&counts));
        let reader = app.user(&format!("reader{n}"));
        async move {
            while sent.fetch_add(1, SeqCst) < MOST && sent_after.load(SeqCst) < AFTER {
                let started_after = lowered.load(SeqCst);
                if started_after {
                    sent_after.fetch_add(1, SeqCst);
                }
                let read = reader.get("/v1/projects").await;
                assert!(matches!(read.status, 200 | 429), "{}", read.body);
                let phase = match (changing.load(SeqCst), started_after) {
                    (false, _) => 0,
                    (_, true) => 1,
                    _ => continue,
                };
                counts.lock().unwrap()[phase][usize::from(read.status == 429)] += 1;
            }
        }
    });
    let lowered_at = std::sync::Mutex::new(None);
    let lower = async {
        while sent.load(SeqCst) < LOWER_AT {
            tokio::task::yield_now().await;
        }
        changing.store(true, SeqCst);
        let set = owner.put(&format!("/v1/orgs/{org}/limits"), json!({"org": {"per_minute": 40}})).await;
        assert_eq!(set.status, 200, "{}", set.body);
        lowered.store(true, SeqCst);
        *lowered_at.lock().unwrap() = Some(std::time::Instant::now());
    };
    tokio::join!(futures_util::future::join_all(readers), lower);
    let [before, after] = *counts.lock().unwrap();
    println!(
        "before the change: {} admitted, {} refused; after: {} admitted, {} refused",
        before[0], before[1], after[0], after[1]
    );
    assert_eq!(before[1], 0, "the plan's 1,200 a minute refuses none of {} reads", before[0]);
    // At most the limit per minute-window the reads after it spanned (the
    // org is already past it when it applies; a window ending midway lets
    // the last one's count fade), however slowly the machine ran them.
    let minutes = lowered_at.lock().unwrap().expect("lowered").elapsed().as_secs() / 60;
    let most = 40 * (minutes as usize + 2);
    assert!(after[0] <= most, "{} reads admitted past a limit of 40 a minute over {minutes} min", after[0]);
    assert!(after[0] + after[1] >= AFTER, "{} reads after the change", after[0] + after[1]);
}
