//! The `schedules` function: when sources run by themselves. Its own
//! function rather than a route group of `sources` because it alone needs
//! the time zone database (cadences are computed in the schedule's zone)
//! and it alone needs no queue, secrets or blob client: each binary
//! carries what its routes use.

mod schedules;

use controlplane::api::schedules as listing;

use axum::Router;
use controlplane::AppState;

controlplane::function_routes! {
    schedules::create_schedule, listing::list_schedules;
    schedules::get_schedule, schedules::delete_schedule;
    schedules::toggle_schedule;
    schedules::preview_schedule;
}

pub fn app(state: AppState) -> Router {
    controlplane::edge::http::lambda_router(routes(), state)
}
