//! The `audit` function: the organization's audit log, its CSV exports and
//! the check of its hash chain.

mod exports;

use controlplane::api::audit::{list, verify};

use axum::Router;
use controlplane::AppState;

pub use list::ListParams;

controlplane::function_routes! {
    list::list_audit_events;
    verify::verify_audit_chain;
    exports::create_export;
    exports::get_export;
    exports::download_export;
}

pub fn app(state: AppState) -> Router {
    controlplane::edge::http::lambda_router(routes(), state)
}

#[cfg(test)]
mod tests {
    use controlplane::testing::{call, event, org_owned_by, sqlite_state, token};

    #[tokio::test]
    async fn an_api_gateway_list_event_returns_the_orgs_audit_events() {
        let test = sqlite_state();
        let org = org_owned_by(&test.state, "alice").await;
        let (status, _, body) =
            call(super::app(test.state.clone()), event("apigw-audit-list.json", Some(&token(&test.state, "alice"))))
                .await;
        assert_eq!(status, 200, "{body}");
        assert_eq!(body["data"][0]["action"], "org.created");
        assert_eq!(body["data"][0]["org_id"], org.as_str());
        assert_eq!(body["data"][0]["seq"], 1);
    }

    #[tokio::test]
    async fn the_audit_log_of_an_org_is_not_readable_by_outsiders() {
        let test = sqlite_state();
        let org = org_owned_by(&test.state, "alice").await;
        let outsider = test.state.jwt.mint("mallory", None, Some(org.as_str()), 600).unwrap();
        let (status, _, problem) =
            call(super::app(test.state.clone()), event("apigw-audit-list.json", Some(&outsider))).await;
        assert_eq!((status, problem["code"].as_str()), (403, Some("not_a_member")));
    }
}
