use std::sync::Arc;

use aws_lambda_events::event::eventbridge::EventBridgeEvent;
use lambda_runtime::{Error, LambdaEvent, service_fn};

#[tokio::main(flavor = "current_thread")]
async fn main() -> Result<(), Error> {
    controlplane::app::init_tracing();
    let worker = Arc::new(controlplane::app::worker_from_env().await?);
    let publisher = Arc::new(controlplane::app::publisher_from_env(worker.store().clone()).await?);
    lambda_runtime::run(service_fn(move |event: LambdaEvent<EventBridgeEvent>| {
        let (worker, publisher) = (Arc::clone(&worker), Arc::clone(&publisher));
        async move { reconciler::tick(&worker, publisher.as_ref().as_ref(), &event.payload).await.map_err(Error::from) }
    }))
    .await
}
