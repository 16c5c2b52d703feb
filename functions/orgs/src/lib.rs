//! The `orgs` function: organizations and their members, and who the
//! caller is in them (`/v1/me`).

mod backups;
mod data_policy;
mod egress_policy;
mod exec_profiles;
mod limits;
mod me;
mod members;
mod orgs;
mod roles;
mod settings;
mod tool_prices;

use axum::Router;
use controlplane::AppState;

controlplane::function_routes! {
    orgs::create_org, orgs::list_orgs;
    orgs::get_org, orgs::update_org, orgs::patch_org;
    members::list_members, members::add_member;
    members::update_member, members::patch_member, members::remove_member;
    roles::get_roles, roles::put_roles;
    data_policy::get_data_policy, data_policy::put_data_policy;
    egress_policy::get_egress_policy, egress_policy::put_egress_policy;
    limits::get_limits, limits::put_limits;
    tool_prices::get_tool_prices, tool_prices::put_tool_prices;
    exec_profiles::get_exec_profile, exec_profiles::put_exec_profile;
    backups::create_backup;
    backups::download_backup;
    me::me;
}

/// The function's router with the shared middleware.
pub fn app(state: AppState) -> Router {
    controlplane::edge::http::lambda_router(routes(), state)
}

#[cfg(test)]
mod tests {
    use controlplane::testing::{call, event, sqlite_state, token};

    #[tokio::test]
    async fn an_api_gateway_create_event_creates_an_org_the_list_event_then_shows() {
        let test = sqlite_state();
        let token = token(&test.state, "alice");
        let (status, headers, created) =
            call(super::app(test.state.clone()), event("apigw-orgs-create.json", Some(&token))).await;
        assert_eq!(status, 201, "{created}");
        assert_eq!(created["name"], "Acme Inc.");
        assert_eq!(headers["x-request-id"], "req-sample-event");
        let (status, _, list) = call(super::app(test.state.clone()), event("apigw-orgs-list.json", Some(&token))).await;
        assert_eq!(status, 200);
        assert_eq!(list["data"][0]["id"], created["id"]);
    }

    #[tokio::test]
    async fn an_api_gateway_event_without_a_token_gets_401() {
        let test = sqlite_state();
        let (status, headers, problem) =
            call(super::app(test.state.clone()), event("apigw-orgs-list.json", None)).await;
        assert_eq!(status, 401);
        assert_eq!(headers["content-type"], "application/problem+json");
        assert_eq!(problem["code"], "missing_credentials");
    }
}
