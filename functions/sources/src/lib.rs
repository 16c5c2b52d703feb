//! The `sources` function: sources, their runs, evidence and policy
//! bindings, pushed ingest, and the credential references they authenticate
//! with (values in the secrets store, read only by the worker). Their
//! schedules are the `schedules` function's.

mod bindings;
mod credentials;
mod ingest;

use controlplane::api::sources::{self, runs};

use axum::Router;
use controlplane::AppState;

controlplane::function_routes! {
    sources::create_source, sources::list_sources;
    sources::get_source, sources::update_source, sources::delete_source;
    runs::test_source;
    runs::run_source;
    runs::list_jobs;
    runs::list_evidence;
    runs::get_evidence;
    bindings::list_bindings, bindings::create_binding;
    bindings::delete_binding;
    credentials::create_credential, credentials::list_credentials;
    credentials::get_credential, credentials::delete_credential;
    credentials::test_credential;
    ingest::push_traces;
    ingest::push_results;
}

pub fn app(state: AppState) -> Router {
    controlplane::edge::http::lambda_router(routes(), state)
}
