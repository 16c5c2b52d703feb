use std::sync::Arc;

use aws_lambda_events::event::eventbridge::EventBridgeEvent;
use lambda_runtime::{Error, LambdaEvent, service_fn};

#[tokio::main(flavor = "current_thread")]
async fn main() -> Result<(), Error> {
    controlplane::app::init_tracing();
    let scheduler = Arc::new(scheduler::from_env().await?);
    lambda_runtime::run(service_fn(move |event: LambdaEvent<EventBridgeEvent>| {
        let scheduler = Arc::clone(&scheduler);
        async move {
            let ticked = scheduler.tick(chrono::Utc::now()).await?;
            tracing::info!(event = event.payload.id.as_deref().unwrap_or(""), ?ticked, "scheduler tick");
            Ok::<_, Error>(serde_json::to_value(ticked)?)
        }
    }))
    .await
}
