//! Plan cost estimates: tokens and cost per step, the project's budget,
//! `budget.threshold_crossed` once a month, and actuals that calibrate the
//! next estimate.

use e2e::{Backend, TestApp};
use serde_json::{Value, json};

/// Ten `o200k_base` tokens.
const SENTENCE: &str = "The quick brown fox jumps over the lazy dog.";

fn steps() -> Value {
    json!([
        {"type": "model", "model": "gpt-4o", "prompt": SENTENCE, "response_tokens": 20_000},
        {"type": "model", "model": "claude-sonnet-4", "prompt_tokens": 10_000, "response_tokens": 10_000, "repeat": 2},
        {"type": "tool", "tool": "search", "calls": 5},
    ])
}

fn close(value: &Value, expected: f64) -> bool {
    value.as_f64().is_some_and(|v| (v - expected).abs() < 1e-6)
}

pub async fn a_plan_is_estimated_against_the_budget_and_its_actuals_calibrate_the_next(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let alice = app.user("alice");
    let org = alice.create_org("Acme").await;
    let project = alice.create_project("agents").await;
    let budget = json!({"monthly_amount_cents": 100, "alert_thresholds": [50, 80, 100]});
    assert_eq!(alice.put(&format!("/v1/budgets/{project}"), budget).await.status, 200);
    // The org's tool price table prices the search tool's calls.
    let prices_path = format!("/v1/orgs/{org}/tool-prices");
    let unnamed = alice.put(&prices_path, json!({"prices": {"two words": 0.01}})).await;
    assert_eq!((unnamed.status, unnamed.body["errors"][0]["field"].as_str()), (422, Some("prices.two words")));
    let set = alice.put(&prices_path, json!({"prices": {"search": 0.01, "github.*": 0.002}})).await;
    assert_eq!((set.status, set.body["version"].as_u64()), (200, Some(1)), "{}", set.body);
    let changed = alice.get("/v1/audit?action=tool_prices.updated").await;
    assert_eq!(changed.body["data"][0]["metadata"]["changes"]["prices"]["to"]["search"], 0.01, "{}", changed.body);

    let body = json!({"project_id": project, "name": "triage", "steps": steps()});
    let estimated = alice.post("/v1/plans/estimate", body.clone()).await;
    assert_eq!(estimated.status, 201, "{}", estimated.body);
    let plan = estimated.id();
    assert!(plan.starts_with("plan_"));
    assert_eq!(estimated.header("location"), Some(format!("/v1/plans/{plan}").as_str()));
    let steps = &estimated.body["steps"];
    assert_eq!((steps[0]["prompt_tokens"].as_u64(), steps[0]["prompt_source"].as_str()), (Some(10), Some("counted")));
    assert_eq!(steps[0]["response_source"], "given");
    // 10 × $2.50 + 20,000 × $10 per million; 2 × (10,000 × $3 + 10,000 × $15
    // per million); 5 × ($0.0001 gateway fee + $0.01).
    assert!(close(&steps[0]["cost_usd"], 0.200025), "{}", steps[0]);
    assert!(close(&steps[1]["cost_usd"], 0.36), "{}", steps[1]);
    assert!(close(&steps[2]["cost_usd"], 0.0505), "{}", steps[2]);
    assert_eq!((steps[2]["price_source"].as_str(), steps[2]["unit_price_usd"].as_f64()), (Some("table"), Some(0.01)));
    assert!(close(&estimated.body["cost_usd"], 0.610525), "{}", estimated.body);
    let (low, high) = (estimated.body["low_usd"].as_f64().unwrap(), estimated.body["high_usd"].as_f64().unwrap());
    assert!(low < 0.610525 && 0.610525 < high, "an interval around the estimate: {low} … {high}");
    assert_eq!(estimated.body["confidence"], 0.9);
    let fit = &estimated.body["budget"];
    assert_eq!((fit["budget_cents"].as_u64(), fit["remaining_cents"].as_u64()), (Some(100), Some(100)));
    assert_eq!(fit["fits"], true);
    let thresholds: Vec<u64> =
        fit["warnings"].as_array().unwrap().iter().map(|w| w["threshold"].as_u64().unwrap()).collect();
    assert_eq!(thresholds, [50], "62 cents of a $1 budget");
    assert_eq!(alice.get(&format!("/v1/plans/{plan}")).await.body, estimated.body);

    // The threshold is published once a month, however many plans pass it.
    assert_eq!(alice.post("/v1/plans/estimate", body.clone()).await.status, 201);
    let crossed = alice.get("/v1/audit?action=budget.threshold_crossed").await;
    let events = crossed.body["data"].as_array().unwrap();
    assert_eq!(events.len(), 1, "{}", crossed.body);
    assert_eq!(
        (events[0]["metadata"]["threshold"].as_u64(), events[0]["target"]["id"].as_str()),
        (Some(50), Some(project.as_str()))
    );
    assert_eq!(events[0]["metadata"]["plan_id"], plan.as_str());
    assert_eq!(alice.get("/v1/audit?action=plan.estimated").await.data_ids().len(), 2);

    // The run took 1.5 times the response tokens planned on gpt-4o.
    let actuals = json!({"steps": [
        {"prompt_tokens": 10, "response_tokens": 30_000},
        {"prompt_tokens": 10_000, "response_tokens": 10_000},
        {},
    ]});
    let recorded = alice.post(&format!("/v1/plans/{plan}/actuals"), actuals.clone()).await;
    assert_eq!(recorded.status, 200, "{}", recorded.body);
    assert!(close(&recorded.body["actuals"]["cost_usd"], 0.710525), "{}", recorded.body);
    let error = recorded.body["actuals"]["error_percent"].as_f64().unwrap();
    assert!((error - (0.610525 - 0.710525) / 0.710525 * 100.0).abs() < 0.01, "{error}");
    let again = alice.post(&format!("/v1/plans/{plan}/actuals"), actuals).await;
    assert_eq!((again.status, again.problem_code()), (409, "actuals_already_recorded"));
    let audit = alice.get("/v1/audit?action=plan.actuals_recorded").await;
    assert_eq!(audit.body["data"][0]["target"]["id"], plan.as_str());

    // The next estimate of gpt-4o is calibrated; claude's ran as planned.
    let next = alice.post("/v1/plans/estimate", body).await;
    let calibration = next.body["calibration"].as_array().unwrap();
    let gpt = calibration.iter().find(|c| c["model"] == "gpt-4o").unwrap();
    let ratio: f64 = 0.300025 / 0.200025;
    assert_eq!(gpt["runs"], 1);
    assert!(close(&gpt["multiplier"], ((1.0 + (ratio - 1.0) / 3.0) * 1e4).round() / 1e4), "{gpt}");
    assert!(gpt["mape_percent"].as_f64().unwrap() > 30.0, "{gpt}");
    let claude = calibration.iter().find(|c| c["model"] == "claude-sonnet-4").unwrap();
    assert_eq!((claude["multiplier"].as_f64(), claude["mape_percent"].as_f64()), (Some(1.0), Some(0.0)));
    assert!(next.body["steps"][0]["cost_usd"].as_f64().unwrap() > 0.2001, "{}", next.body["steps"][0]);
    assert_eq!(next.body["steps"][0]["list_cost_usd"], steps[0]["list_cost_usd"]);

    // Bounds and isolation.
    let both = json!({"project_id": project, "steps": [
        {"type": "model", "model": "gpt-4o", "prompt": "hi", "prompt_tokens": 1, "response_tokens": 1},
    ]});
    let refused = alice.post("/v1/plans/estimate", both).await;
    assert_eq!((refused.status, refused.body["errors"][0]["field"].as_str()), (422, Some("steps[0].prompt")));
    let unknown = json!({"project_id": project, "steps": [{"type": "model", "model": "gpt-9", "prompt_tokens": 1, "response_tokens": 1}]});
    assert_eq!(alice.post("/v1/plans/estimate", unknown).await.status, 422);
    let short = alice.post(&format!("/v1/plans/{}/actuals", next.id()), json!({"steps": [{}]})).await;
    assert_eq!((short.status, short.body["errors"][0]["field"].as_str()), (422, Some("steps")));
    alice.add_member(&org, "vera", "viewer").await;
    let viewer = app.user("vera").in_org(&org);
    assert_eq!(viewer.get(&format!("/v1/plans/{plan}")).await.status, 200, "viewers read usage");
    let by_viewer = viewer.post(&format!("/v1/plans/{}/actuals", next.id()), json!({"steps": []})).await;
    assert_eq!(by_viewer.status, 403, "{}", by_viewer.body);
    assert_eq!(viewer.put(&prices_path, json!({"prices": {}})).await.status, 403, "admins set prices");
    assert_eq!(viewer.get(&prices_path).await.body["prices"]["search"], 0.01);
    let bob = app.user("bob");
    bob.create_org("Bob's").await;
    assert_eq!(bob.get(&format!("/v1/plans/{plan}")).await.status, 404);
    assert_eq!(app.anonymous().get(&format!("/v1/plans/{plan}")).await.status, 401);

    let prices = alice.get("/v1/plans/prices").await;
    let gpt4o = prices.body["models"].as_array().unwrap().iter().find(|m| m["model"] == "gpt-4o").unwrap().clone();
    assert_eq!((gpt4o["input_per_million_usd"].as_f64(), gpt4o["tokenizer"].as_str()), (Some(2.5), Some("o200k_base")));
}
