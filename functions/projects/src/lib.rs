//! The `projects` function: projects inside the caller's organization.

mod handlers;

use controlplane::api::projects as reads;

use axum::Router;
use controlplane::AppState;

controlplane::function_routes! {
    handlers::create_project, reads::list_projects;
    reads::get_project, handlers::update_project, handlers::patch_project, handlers::delete_project;
    handlers::provision_project;
}

pub fn app(state: AppState) -> Router {
    controlplane::edge::http::lambda_router(routes(), state)
}

#[cfg(test)]
mod tests {
    use controlplane::testing::{call, event, org_owned_by, sqlite_state, token};

    #[tokio::test]
    async fn an_api_gateway_create_event_creates_a_project_the_list_event_then_shows() {
        let test = sqlite_state();
        let org = org_owned_by(&test.state, "alice").await;
        let token = token(&test.state, "alice");
        let (status, headers, created) =
            call(super::app(test.state.clone()), event("apigw-projects-create.json", Some(&token))).await;
        assert_eq!(status, 201, "{created}");
        assert_eq!(created["org_id"], org.as_str());
        assert_eq!(headers["etag"], "\"1\"");
        let (status, _, list) =
            call(super::app(test.state.clone()), event("apigw-projects-list.json", Some(&token))).await;
        assert_eq!(status, 200);
        assert_eq!(list["data"][0]["name"], "checkout");
        assert_eq!(list["data"][0]["status"], "provisioning");
    }

    #[tokio::test]
    async fn an_event_with_a_body_over_the_limit_gets_413_as_a_problem() {
        let test = sqlite_state();
        org_owned_by(&test.state, "alice").await;
        let mut request = event("apigw-projects-create.json", Some(&token(&test.state, "alice")));
        let description = "x".repeat(controlplane::edge::http::MAX_BODY_BYTES);
        *request.body_mut() =
            lambda_http::Body::Text(serde_json::json!({"name": "big", "description": description}).to_string());
        let (status, headers, problem) = call(super::app(test.state.clone()), request).await;
        assert_eq!((status, problem["code"].as_str()), (413, Some("payload_too_large")));
        assert_eq!(headers["content-type"], "application/problem+json");
        assert_eq!(problem["request_id"], "req-sample-event");
    }

    #[tokio::test]
    async fn a_caller_outside_any_org_is_told_to_create_one() {
        let test = sqlite_state();
        let token = token(&test.state, "loner");
        let (status, _, problem) =
            call(super::app(test.state.clone()), event("apigw-projects-list.json", Some(&token))).await;
        assert_eq!((status, problem["code"].as_str()), (400, Some("org_required")));
    }
}
