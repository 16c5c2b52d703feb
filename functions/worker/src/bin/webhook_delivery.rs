//! The `webhook-delivery` function: the worker, on the webhooks queue, with
//! only the delivery handler.

use std::sync::Arc;

use aws_lambda_events::event::sqs::SqsEvent;
use lambda_runtime::{Error, LambdaEvent, service_fn};

#[tokio::main(flavor = "current_thread")]
async fn main() -> Result<(), Error> {
    controlplane::app::init_tracing();
    let worker = Arc::new(controlplane::app::delivery_worker_from_env().await?);
    lambda_runtime::run(service_fn(move |event: LambdaEvent<SqsEvent>| {
        let worker = Arc::clone(&worker);
        async move { Ok::<_, Error>(worker::handle_batch(&worker, event.payload).await) }
    }))
    .await
}
