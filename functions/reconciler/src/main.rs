use std::sync::Arc;

use aws_lambda_events::event::eventbridge::EventBridgeEvent;
use lambda_runtime::{Error, LambdaEvent, service_fn};

#[tokio::main]
async fn main() -> Result<(), Error> {
    controlplane::app::init_tracing();
    let worker = Arc::new(worker::from_env().await?);
    lambda_runtime::run(service_fn(move |event: LambdaEvent<EventBridgeEvent>| {
        let worker = Arc::clone(&worker);
        async move { reconciler::tick(&worker, &event.payload).await.map_err(Error::from) }
    }))
    .await
}
