#[tokio::main(flavor = "current_thread")]
async fn main() -> Result<(), lambda_http::Error> {
    controlplane::app::init_tracing();
    let state = controlplane::AppState::from_env().await?;
    lambda_http::run(mcp::app(state)).await
}
