//! The `scheduler` function: an EventBridge rule invokes it every minute
//! to start the runs of due schedules ([`controlplane::domain::schedule`]).

use controlplane::app::{self, ConfigError, QUEUE_ENV};
use controlplane::domain::schedule::Scheduler;

/// The scheduler the environment configures: `CONTROLPLANE_STORE`, `CONTROLPLANE_QUEUE`.
pub async fn from_env() -> Result<Scheduler, ConfigError> {
    let store = app::store_from_env().await?;
    let url = app::url_from_env(QUEUE_ENV)?.ok_or(ConfigError::Missing(QUEUE_ENV))?;
    Ok(Scheduler::new(store, controlplane::ports::queue::open(&url).await?))
}
