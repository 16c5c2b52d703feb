//! The `sdk-lean` baseline: what the AWS SDK itself costs a function, next
//! to `hello` (no SDK) and `sdk-typical` (the default chain and four eager
//! clients). Its configuration comes from the environment alone (region,
//! credentials, endpoint: what Lambda sets); its one DynamoDB client is
//! built on the first request; each request does one `GetItem` on
//! `BENCH_TABLE` (default `controlplane`) and answers a fixed body.

use aws_config::environment::EnvironmentVariableCredentialsProvider;
use aws_config::{BehaviorVersion, Region, SdkConfig};
use aws_credential_types::provider::SharedCredentialsProvider;
use aws_sdk_dynamodb::types::AttributeValue;
use lambda_http::{Body, Error, Request, Response, run, service_fn};
use tokio::sync::OnceCell;

static CLIENT: OnceCell<aws_sdk_dynamodb::Client> = OnceCell::const_new();

fn config() -> SdkConfig {
    let var = |name: &str| std::env::var(name).ok().filter(|v| !v.is_empty());
    let region = var("AWS_REGION").or_else(|| var("AWS_DEFAULT_REGION")).unwrap_or_else(|| "us-east-1".into());
    let mut builder = SdkConfig::builder()
        .behavior_version(BehaviorVersion::latest())
        .region(Region::new(region))
        .credentials_provider(SharedCredentialsProvider::new(EnvironmentVariableCredentialsProvider::new()));
    if let Some(endpoint) = var("AWS_ENDPOINT_URL") {
        builder = builder.endpoint_url(endpoint);
    }
    builder.build()
}

#[tokio::main(flavor = "current_thread")]
async fn main() -> Result<(), Error> {
    let table = std::env::var("BENCH_TABLE").unwrap_or_else(|_| "controlplane".into());
    run(service_fn(move |_request: Request| {
        let table = table.clone();
        async move {
            let client = CLIENT.get_or_init(|| async { aws_sdk_dynamodb::Client::new(&config()) }).await;
            let item = client
                .get_item()
                .table_name(&table)
                .key("pk", AttributeValue::S("BENCH".into()))
                .key("sk", AttributeValue::S("BENCH".into()))
                .send()
                .await;
            let body = if item.is_ok() { r#"{"ok":true}"# } else { r#"{"ok":false}"# };
            Response::builder()
                .status(200)
                .header("content-type", "application/json")
                .body(Body::from(body))
                .map_err(Error::from)
        }
    }))
    .await
}
