//! The `jobs` function: the organization's background jobs — list, read,
//! retry a failed one, cancel a pending one.

use controlplane::api::jobs as handlers;

use axum::Router;
use controlplane::AppState;

controlplane::function_routes! {
    handlers::list_jobs;
    handlers::get_job, handlers::cancel_job;
    handlers::retry_job;
}

pub fn app(state: AppState) -> Router {
    controlplane::edge::http::lambda_router(routes(), state)
}

#[cfg(test)]
mod tests {
    use controlplane::testing::{call, event, org_owned_by, project_in, sqlite_state, token};

    #[tokio::test]
    async fn an_api_gateway_list_event_lists_the_orgs_pending_jobs() {
        let test = sqlite_state();
        let org = org_owned_by(&test.state, "alice").await;
        let alice = token(&test.state, "alice");
        let (project, job) = project_in(&test.state, &org, "checkout").await;
        let (status, _, body) = call(super::app(test.state.clone()), event("apigw-jobs-list.json", Some(&alice))).await;
        assert_eq!(status, 200, "{body}");
        assert_eq!(body["data"][0]["type"], "provision_project");
        assert_eq!(body["data"][0]["status"], "pending");
        assert_eq!(body["data"][0]["project_id"], project.as_str());
        assert_eq!(body["data"][0]["id"], job.as_str());
    }
}
