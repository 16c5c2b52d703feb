//! The `usage` function: a project's usage by service and period, the
//! quota check, quotas, budgets, the cost estimate, and plan cost
//! estimates with their actuals.

mod handlers;
mod plans;

use controlplane::api::usage as report;

use axum::Router;
use controlplane::AppState;

controlplane::function_routes! {
    handlers::check_usage;
    report::read_usage;
    handlers::cost_estimate;
    handlers::get_quotas, handlers::put_quotas;
    handlers::get_budget, handlers::put_budget;
    plans::estimate_plan;
    plans::prices;
    plans::get_plan;
    plans::record_actuals;
}

pub fn app(state: AppState) -> Router {
    controlplane::edge::http::lambda_router(routes(), state)
}

#[cfg(test)]
mod tests {
    use controlplane::testing::{call, event, org_owned_by, project_in, sqlite_state, token};

    #[tokio::test]
    async fn an_api_gateway_check_event_answers_for_the_project_in_its_body() {
        let test = sqlite_state();
        let org = org_owned_by(&test.state, "alice").await;
        let alice = token(&test.state, "alice");
        let (project, _) = project_in(&test.state, &org, "checkout").await;
        let mut check = event("apigw-usage-check.json", Some(&alice));
        let body = serde_json::json!({ "project_id": project, "service": "api_requests", "amount": 10 });
        *check.body_mut() = lambda_http::Body::Text(body.to_string());
        let (status, _, answer) = call(super::app(test.state.clone()), check).await;
        assert_eq!(status, 200, "{answer}");
        assert_eq!((answer["allowed"].as_bool(), answer["used"].as_u64()), (Some(true), Some(0)));
        assert_eq!(answer["monthly_limit"], 1_000_000);
    }
}
