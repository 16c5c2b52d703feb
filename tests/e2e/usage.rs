use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Duration;

use chrono::Utc;
use e2e::{Backend, SwitchableStore, TestApp, User, fresh_store, send};
use reqwest::Method;
use serde_json::{Value, json};

async fn report(app: &TestApp, project: &str, service: &str, amount: u64) -> Value {
    let resp = app
        .anonymous()
        .post("/internal/usage", json!({"project_id": project, "service": service, "amount": amount}))
        .await;
    assert_eq!(resp.status, 200, "{}", resp.body);
    resp.body
}

async fn audit_count(user: &User<'_>, action: &str) -> usize {
    let page = user.get("/v1/audit?limit=200").await;
    page.body["data"].as_array().unwrap().iter().filter(|e| e["action"] == action).count()
}

pub async fn usage_is_counted_per_service_and_period_and_read_back(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let alice = app.user("alice");
    alice.create_org("Acme").await;
    let project = alice.create_project("metered").await;
    report(&app, &project, "bandwidth_bytes", 1_000).await;
    let second = app
        .anonymous()
        .post("/internal/usage", json!({"project_id": project, "service": "bandwidth_bytes", "amount": 500}))
        .await;
    assert_eq!((second.status, &second.body["used"]), (200, &json!(1_500)), "{}", second.body);
    // The project, its quotas, the count and the warning markers in one
    // read; the three counters and the limits mark in one transaction.
    let timing = second.header("server-timing").unwrap_or_default();
    assert!(timing.contains(";rt=2;rrt=1;") && timing.contains(";writes=1;"), "{timing}");
    assert_eq!(report(&app, &project, "db_rows", 7).await["used"], 7);

    for period in ["hour", "day", "month"] {
        let read = alice.get(&format!("/v1/usage/{project}?period={period}&service=bandwidth_bytes")).await;
        assert_eq!(read.status, 200, "{}", read.body);
        let data = read.body["data"].as_array().unwrap();
        assert_eq!(data.len(), 1, "{period}: {}", read.body);
        assert_eq!(data[0]["amount"], 1_500, "{period}");
    }
    let all = alice.get(&format!("/v1/usage/{project}")).await;
    assert_eq!(all.body["period"], "day");
    assert_eq!(all.body["data"].as_array().unwrap().len(), 2, "both services: {}", all.body);

    // Requests made with the project's API key feed `api_requests`.
    let key = alice
        .post("/v1/keys", json!({"project_id": project, "name": "app", "type": "secret", "scopes": ["usage:read"]}))
        .await;
    let bot = alice.with_token(key.body["token"].as_str().unwrap().to_owned());
    for _ in 0..3 {
        assert_eq!(bot.get(&format!("/v1/quotas/{project}")).await.status, 200);
    }
    let api = alice.get(&format!("/v1/usage/{project}?period=month&service=api_requests")).await;
    assert_eq!(api.body["data"][0]["amount"], 3, "{}", api.body);

    for (bad, field) in [
        (json!({"project_id": project, "service": "api_requests", "amount": 0}), "amount"),
        (json!({"project_id": project, "service": "gpu_hours", "amount": 1}), "service"),
    ] {
        let resp = app.anonymous().post("/internal/usage", bad).await;
        assert_eq!(resp.status, 422, "{}", resp.body);
        assert_eq!(resp.body["errors"][0]["field"], field);
    }
    let far = (Utc::now() - chrono::TimeDelta::days(30)).to_rfc3339_opts(chrono::SecondsFormat::Secs, true);
    let too_long = alice.get(&format!("/v1/usage/{project}?period=hour&from={far}")).await;
    assert_eq!((too_long.status, too_long.body["errors"][0]["field"].as_str()), (422, Some("query.from")));
    assert_eq!(alice.get(&format!("/v1/usage/{project}?period=week")).await.status, 422);
    let missing = app
        .anonymous()
        .post(
            "/internal/usage",
            json!({"project_id": "prj_01jbq9m3x5y8z2a4c6e8g0h2k4", "service": "db_rows", "amount": 1}),
        )
        .await;
    assert_eq!(missing.status, 404);

    let bob = app.user("bob");
    bob.create_org("Bob's").await;
    assert_eq!(bob.get(&format!("/v1/usage/{project}")).await.status, 404);
}

pub async fn quota_warnings_fire_once_each_at_80_90_and_100_percent(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let alice = app.user("alice");
    alice.create_org("Acme").await;
    let project = alice.create_project("limited").await;
    let set = alice
        .put(
            &format!("/v1/quotas/{project}"),
            json!({"services": {"functions_invocations": {"enabled": true, "monthly_limit": 100}}}),
        )
        .await;
    assert_eq!(set.status, 200, "{}", set.body);
    let check = |amount: u64| {
        let alice = alice.clone();
        let project = project.clone();
        async move {
            let resp = alice
                .post(
                    "/v1/usage/check",
                    json!({"project_id": project, "service": "functions_invocations", "amount": amount}),
                )
                .await;
            assert_eq!(resp.status, 200, "{}", resp.body);
            resp.body
        }
    };

    assert_eq!(report(&app, &project, "functions_invocations", 79).await["warnings_emitted"], json!([]));
    let standing = check(21).await;
    assert_eq!((standing["allowed"].as_bool(), standing["remaining"].as_u64()), (Some(true), Some(21)));
    assert_eq!((standing["percentage"].as_f64(), &standing["warning_level"]), (Some(79.0), &Value::Null));
    assert_eq!(check(22).await["allowed"], false);

    assert_eq!(report(&app, &project, "functions_invocations", 1).await["warnings_emitted"], json!([80]));
    assert_eq!(report(&app, &project, "functions_invocations", 15).await["warnings_emitted"], json!([90]));
    assert_eq!(check(0).await["warning_level"], 90);
    assert_eq!(report(&app, &project, "functions_invocations", 10).await["warnings_emitted"], json!([100]));
    assert_eq!(report(&app, &project, "functions_invocations", 10).await["warnings_emitted"], json!([]));
    let over = check(1).await;
    assert_eq!(
        (over["allowed"].as_bool(), over["warning_level"].as_u64(), over["remaining"].as_u64()),
        (Some(false), Some(100), Some(0))
    );
    assert_eq!(audit_count(&alice, "quota.warning").await, 2);
    assert_eq!(audit_count(&alice, "quota.exceeded").await, 1);

    // A quota lowered under the usage: the scheduled check emits the warning.
    report(&app, &project, "db_rows", 950).await;
    alice
        .put(
            &format!("/v1/quotas/{project}"),
            json!({"services": {"db_rows": {"enabled": true, "monthly_limit": 1000}}}),
        )
        .await;
    let warnings_before = audit_count(&alice, "quota.warning").await;
    let created = controlplane::domain::limits::sweep(&app.store, &app.queue, Utc::now()).await.unwrap();
    assert_eq!(created, 1, "one check job for the marked project");
    assert_eq!(controlplane::domain::limits::sweep(&app.store, &app.queue, Utc::now()).await.unwrap(), 0);
    app.run_jobs().await;
    let checks = alice.get("/v1/jobs?type=check_usage_limits").await;
    assert_eq!(checks.body["data"][0]["status"], "completed", "{}", checks.body);
    assert_eq!(audit_count(&alice, "quota.warning").await, warnings_before + 2, "db_rows at 95 %: 80 and 90 once");
    report(&app, &project, "db_rows", 1).await;
    controlplane::domain::limits::sweep(&app.store, &app.queue, Utc::now()).await.unwrap();
    app.run_jobs().await;
    assert_eq!(audit_count(&alice, "quota.warning").await, warnings_before + 2, "never twice in a month");
}

pub async fn quotas_and_budgets_need_admin_and_honour_if_match(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let owner = app.user("olivia");
    let org = owner.create_org("Acme").await;
    let project = owner.create_project("billing").await;
    owner.add_member(&org, "dev", "developer").await;
    let dev = app.user("dev");
    let path = format!("/v1/quotas/{project}");
    let defaults = dev.get(&path).await;
    assert_eq!((defaults.status, defaults.header("etag")), (200, Some("\"0\"")));
    assert_eq!(defaults.body["services"]["api_requests"]["monthly_limit"], 1_000_000);
    let body = json!({"services": {"storage_bytes": {"enabled": false, "monthly_limit": null}}});
    assert_eq!(dev.put(&path, body.clone()).await.status, 403, "developers do not set quotas");
    let set = owner.put(&path, body).await;
    assert_eq!((set.status, set.header("etag")), (200, Some("\"1\"")), "{}", set.body);
    let stale =
        send(owner.request(Method::PUT, &path).header("if-match", "\"0\"").json(&json!({"services": {}}))).await;
    assert_eq!(stale.status, 412);
    let unknown = owner.put(&path, json!({"services": {"gpu_hours": {"enabled": true, "monthly_limit": 1}}})).await;
    assert_eq!(unknown.status, 422);
    assert!(unknown.body["errors"][0]["field"].as_str().unwrap().starts_with("services"), "{}", unknown.body);
    let disabled =
        dev.post("/v1/usage/check", json!({"project_id": project, "service": "storage_bytes", "amount": 1})).await;
    assert_eq!((disabled.body["allowed"].as_bool(), disabled.body["enabled"].as_bool()), (Some(false), Some(false)));
    assert_eq!(audit_count(&owner, "quota.updated").await, 1);

    let budget_path = format!("/v1/budgets/{project}");
    assert_eq!(dev.get(&budget_path).await.body["monthly_amount_cents"], Value::Null);
    assert_eq!(dev.put(&budget_path, json!({"monthly_amount_cents": 100})).await.status, 403);
    let bad = owner.put(&budget_path, json!({"monthly_amount_cents": 100, "alert_thresholds": [0]})).await;
    assert_eq!((bad.status, bad.body["errors"][0]["field"].as_str()), (422, Some("alert_thresholds")));
    let budget = owner.put(&budget_path, json!({"monthly_amount_cents": 1_000, "alert_thresholds": [100, 50]})).await;
    assert_eq!(budget.status, 200, "{}", budget.body);
    assert_eq!(budget.body["alert_thresholds"], json!([50, 100]));
    let thresholds_only = owner.put(&budget_path, json!({"alert_thresholds": [50, 100]})).await;
    assert_eq!(thresholds_only.body["monthly_amount_cents"], 1_000, "absent fields keep their value");
    let removed = owner.put(&budget_path, json!({"monthly_amount_cents": null})).await;
    assert_eq!(removed.body["monthly_amount_cents"], Value::Null, "null removes the budget");
    owner.put(&budget_path, json!({"monthly_amount_cents": 1_000})).await;

    report(&app, &project, "api_requests", 20_000_000).await; // $10.00 at $0.50 per million
    let estimate = dev.get(&format!("/v1/usage/{project}/cost-estimate")).await;
    assert_eq!(estimate.status, 200, "{}", estimate.body);
    assert_eq!(estimate.body["month_to_date_cents"], 1_000);
    assert!(estimate.body["projected_cents"].as_u64().unwrap() >= 1_000);
    assert_eq!(estimate.body["budget_cents"], 1_000);
    let thresholds: Vec<u64> =
        estimate.body["warnings"].as_array().unwrap().iter().map(|w| w["threshold"].as_u64().unwrap()).collect();
    assert_eq!(thresholds, [50, 100], "the projection passes the whole budget: {}", estimate.body);
}

pub async fn the_snapshot_follows_quota_changes_answers_304_and_fails_closed(backend: Backend) {
    let (inner, dir) = fresh_store(backend).await;
    let store = Arc::new(SwitchableStore { inner, down: AtomicBool::new(false) });
    let app =
        TestApp::configured(backend, store.clone(), dir, |s| s.with_snapshot_ttl(Duration::from_millis(600))).await;
    let alice = app.user("alice");
    alice.create_org("Acme").await;
    let project = alice.create_project("edge").await;
    app.run_jobs().await;
    let path = format!("/internal/snapshot?project_id={project}");
    let first = app.anonymous().get(&path).await;
    assert_eq!(first.status, 200, "{}", first.body);
    assert_eq!(first.body["status"], "active");
    assert_eq!(first.body["runtime_template_version"], 1);
    assert_eq!(
        first.body["enabled_services"].as_array().unwrap().len(),
        controlplane::domain::usage::Service::ALL.len()
    );
    assert_eq!(first.body["limits"]["plan"], "free");
    let etag = first.header("etag").unwrap().to_owned();
    assert_eq!(etag, format!("\"{}\"", first.body["version"]));
    let unchanged = send(app.anonymous().request(Method::GET, &path).header("if-none-match", &etag)).await;
    assert_eq!((unchanged.status, unchanged.header("etag")), (304, Some(etag.as_str())));

    alice
        .put(
            &format!("/v1/quotas/{project}"),
            json!({"services": {"db_rows": {"enabled": false, "monthly_limit": 10}}}),
        )
        .await;
    let cached_at = std::time::Instant::now();
    let changed = send(app.anonymous().request(Method::GET, &path).header("if-none-match", &etag)).await;
    assert_eq!(changed.status, 200, "quota changes invalidate at once");
    assert!(changed.body["version"].as_u64() > first.body["version"].as_u64());
    assert_eq!(changed.body["quotas"]["db_rows"]["monthly_limit"], 10);
    assert!(!changed.body["enabled_services"].as_array().unwrap().contains(&json!("db_rows")));

    store.down.store(true, Ordering::SeqCst);
    let within = app.anonymous().get(&path).await.status;
    // Only an answer inside the TTL can show the cache serves (a machine
    // too busy to ask in time proves nothing).
    if cached_at.elapsed() < Duration::from_millis(600) {
        assert_eq!(within, 200, "fresh within the TTL");
    }
    tokio::time::sleep(Duration::from_millis(700).saturating_sub(cached_at.elapsed())).await;
    let closed = app.anonymous().get(&path).await;
    assert_eq!((closed.status, closed.problem_code()), (503, "service_unavailable"));
    assert!(closed.header("retry-after").is_some());
    // The store's outage marks the store alone. (The emulator answers one
    // request at a time, so under the suite's load a ping of the others can
    // miss the 2 s health deadline: ask again before judging them.)
    let mut others_ok = false;
    for _ in 0..5 {
        let health = app.anonymous().get("/internal/health").await;
        assert_eq!(
            (health.status, health.body["dependencies"]["store"]["status"].as_str()),
            (503, Some("unavailable"))
        );
        let dependencies = &health.body["dependencies"];
        if dependencies["queue"]["status"] == "ok" && dependencies["secrets"]["status"] == "ok" {
            others_ok = true;
            break;
        }
    }
    assert!(others_ok, "the queue and the secrets store stay ok while the store is down");
    store.down.store(false, Ordering::SeqCst);
    assert_eq!(app.anonymous().get(&path).await.status, 200);
    assert_eq!(app.anonymous().get("/internal/snapshot?project_id=prj_01jbq9m3x5y8z2a4c6e8g0h2k4").await.status, 404);
}
