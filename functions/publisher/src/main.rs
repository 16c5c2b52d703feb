use aws_lambda_events::event::dynamodb::Event;
use lambda_runtime::{Error, LambdaEvent, service_fn};

#[tokio::main(flavor = "current_thread")]
async fn main() -> Result<(), Error> {
    controlplane::app::init_tracing();
    let publisher = publisher::from_env().await?;
    lambda_runtime::run(service_fn(move |event: LambdaEvent<Event>| {
        let publisher = publisher.clone();
        async move { publisher::handle(&publisher, &event.payload).await.map_err(Error::from) }
    }))
    .await
}
