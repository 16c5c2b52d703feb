//! The `sdk-typical` baseline: what a function written the usual way costs.
//! At init it loads the AWS configuration and builds DynamoDB, SQS, Secrets
//! Manager and EventBridge clients; each request does one `GetItem` on
//! `BENCH_TABLE` (default `controlplane`), then answers a fixed body.
//! `BENCH_GETS` (default 1) makes it that many `GetItem`s, one after the
//! other: the benchmark's calibration row, which shows what one more store
//! call adds to a first invoke with nothing else changed.

use aws_sdk_dynamodb::types::AttributeValue;
use lambda_http::{Body, Error, Request, Response, run, service_fn};

#[tokio::main]
async fn main() -> Result<(), Error> {
    let config = aws_config::load_defaults(aws_config::BehaviorVersion::latest()).await;
    let dynamodb = aws_sdk_dynamodb::Client::new(&config);
    let _sqs = aws_sdk_sqs::Client::new(&config);
    let _secrets = aws_sdk_secretsmanager::Client::new(&config);
    let _events = aws_sdk_eventbridge::Client::new(&config);
    let table = std::env::var("BENCH_TABLE").unwrap_or_else(|_| "controlplane".into());
    let gets: usize = match std::env::var("BENCH_GETS") {
        Ok(value) => value.parse()?,
        Err(_) => 1,
    };
    run(service_fn(move |_request: Request| {
        let (dynamodb, table) = (dynamodb.clone(), table.clone());
        async move {
            let mut ok = true;
            for _ in 0..gets {
                let item = dynamodb
                    .get_item()
                    .table_name(&table)
                    .key("pk", AttributeValue::S("BENCH".into()))
                    .key("sk", AttributeValue::S("BENCH".into()))
                    .send()
                    .await;
                ok &= item.is_ok();
            }
            let body = if ok { r#"{"ok":true}"# } else { r#"{"ok":false}"# };
            Response::builder()
                .status(200)
                .header("content-type", "application/json")
                .body(Body::from(body))
                .map_err(Error::from)
        }
    }))
    .await
}
