//! The `keys` function: API keys of a project.

mod handlers;

use axum::Router;
use controlplane::AppState;

controlplane::function_routes! {
    handlers::create_key, handlers::list_keys;
    handlers::get_key, handlers::update_key, handlers::delete_key;
    handlers::revoke_key;
    handlers::rotate_key;
    handlers::key_usage;
}

pub fn app(state: AppState) -> Router {
    controlplane::edge::http::lambda_router(routes(), state)
}

#[cfg(test)]
mod tests {
    use controlplane::testing::{call, event, org_owned_by, sqlite_state, token};

    #[tokio::test]
    async fn an_api_gateway_list_event_lists_the_orgs_keys() {
        let test = sqlite_state();
        org_owned_by(&test.state, "alice").await;
        let (status, headers, body) =
            call(super::app(test.state.clone()), event("apigw-keys-list.json", Some(&token(&test.state, "alice"))))
                .await;
        assert_eq!(status, 200, "{body}");
        assert_eq!(body["data"], serde_json::json!([]));
        assert!(headers.contains_key("ratelimit"));
    }

    #[tokio::test]
    async fn an_unknown_api_key_in_an_event_gets_401_invalid_key() {
        let test = sqlite_state();
        let forged = "sk_live_0000000000000000000000000000000000000000000";
        let (status, _, problem) =
            call(super::app(test.state.clone()), event("apigw-keys-list.json", Some(forged))).await;
        assert_eq!((status, problem["code"].as_str()), (401, Some("invalid_key")));
    }
}
