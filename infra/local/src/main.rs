//! `cargo run`: the whole control plane on http://127.0.0.1:3000.

use std::io::Write;

use clap::{Parser, Subcommand};
use controlplane::AppState;
use controlplane::domain::job::JobType;
use controlplane::domain::webhooks::target::Allowances;
use controlplane::domain::worker::{Handlers, Worker};
use controlplane::edge::auth::jwt::JwtKeys;
use std::sync::Arc;

#[derive(Parser)]
#[command(name = "controlplane", version, about = "The control plane API as one local process (SQLite by default)")]
struct Cli {
    #[command(subcommand)]
    command: Option<Command>,
    /// Port to listen on.
    #[arg(long, env = "PORT", default_value_t = controlplane_local::DEFAULT_PORT, global = true)]
    port: u16,
    /// Address to bind.
    #[arg(long, env = "HOST", default_value = "127.0.0.1", global = true)]
    host: String,
}

#[derive(Subcommand)]
enum Command {
    /// Serve the API (the default).
    Serve,
    /// Print a signed development JWT, and nothing else, on stdout.
    Token {
        /// The user id (`sub`).
        #[arg(long)]
        sub: String,
        #[arg(long)]
        email: Option<String>,
        /// Bind the token to one organization (`org_id` claim).
        #[arg(long)]
        org: Option<String>,
        /// Lifetime in seconds.
        #[arg(long, default_value_t = 3600)]
        ttl: u64,
        /// Print a refresh token for `POST /v1/auth/token` instead.
        #[arg(long)]
        refresh: bool,
    },
    /// Print the OpenAPI document generated from the code.
    Openapi,
    /// Speak MCP over stdin and stdout (for a desktop client that launches
    /// it), on the same store and background work as `serve`.
    McpStdio {
        /// The `mcp` key every message is authenticated with.
        #[arg(long, env = "CONTROLPLANE_MCP_KEY", hide_env_values = true)]
        key: String,
    },
}

/// The local product without its listener: the store, queues, blobs and
/// secrets of the data directory, and the worker, scheduler and publisher
/// running in the background. Returns the state and where the store and
/// queue are.
async fn start(data_dir: &std::path::Path) -> Result<(AppState, String, String), Box<dyn std::error::Error>> {
    controlplane::app::init_tracing();
    controlplane::app::aws_settings_from_env()?;
    let url = controlplane_local::store_url(data_dir)?;
    let store = controlplane_local::open_store(&url).await?;
    let queue_url = controlplane_local::queue_url(data_dir)?;
    let queue = controlplane_local::open_queue(&queue_url).await?;
    let orchestrator = controlplane::domain::orchestrator::from_env()?;
    let state = AppState::new(store.clone(), &controlplane_local::jwt_secret(data_dir).await?)?
        .with_settings_from_env(controlplane::app::Defaults::LOCAL)?;
    // Each region served keeps its blobs and secrets in its own store.
    let blobs = controlplane::app::blobs_by_region(&controlplane_local::blobs_url(data_dir)?, &state.regions).await?;
    let secrets =
        controlplane::app::secrets_by_region(&controlplane_local::secrets_url(data_dir)?, &state.regions).await?;
    let allow = Allowances { local_development: state.local_webhooks() };
    // Webhook deliveries share the jobs queue unless
    // CONTROLPLANE_WEBHOOK_QUEUE names their own, which a second
    // worker consumes (the `webhook-delivery` function's part on AWS).
    let deliveries = match controlplane::app::url_from_env(controlplane::app::WEBHOOK_QUEUE_ENV)? {
        Some(url) => Some(controlplane_local::open_queue(&url).await?),
        None => None,
    };
    let handlers = controlplane::domain::worker::handlers::with_deliveries(
        controlplane::domain::worker::handlers::handlers(orchestrator, blobs.clone()),
        secrets.clone(),
        allow,
    );
    let handlers = controlplane::domain::worker::handlers::with_sources(
        handlers,
        secrets.clone(),
        blobs.clone(),
        controlplane::domain::worker::handlers::probe(allow),
    );
    let upstream = Arc::new(controlplane::ports::mcp_upstream::RmcpUpstream::default());
    let handlers = controlplane::domain::worker::handlers::with_mcp(handlers, secrets.clone(), upstream, allow);
    let mut worker = Worker::new(store.clone(), queue.clone(), handlers);
    if let Some(deliveries) = &deliveries {
        worker = worker.with_route(JobType::DeliverWebhook, deliveries.clone());
        let handlers =
            controlplane::domain::worker::handlers::with_deliveries(Handlers::default(), secrets.clone(), allow);
        controlplane_local::spawn_polling(Arc::new(Worker::new(store.clone(), deliveries.clone(), handlers)));
    }
    controlplane_local::spawn_background(Arc::new(worker), controlplane_local::RECONCILE_EVERY);
    let scheduler = controlplane::domain::schedule::Scheduler::new(store.clone(), queue.clone());
    controlplane_local::spawn_scheduler(scheduler, controlplane_local::SCHEDULE_EVERY);
    let events_url = controlplane_local::events_url(data_dir)?;
    let bus = controlplane::ports::bus::open(&events_url).await?;
    let publisher = controlplane::domain::events::publisher::Publisher::new(store.clone(), bus)
        .with_deliveries(deliveries.unwrap_or_else(|| queue.clone()));
    controlplane_local::spawn_publisher(publisher, controlplane_local::PUBLISH_EVERY);
    let state = state.with_queue(queue).with_blobs(blobs).with_secrets(secrets);
    Ok((state, url.to_string(), queue_url.to_string()))
}

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let cli = Cli::parse();
    let data_dir = controlplane_local::data_dir();
    match cli.command.unwrap_or(Command::Serve) {
        Command::Token { sub, email, org, ttl, refresh } => {
            let keys = JwtKeys::hs256(&controlplane_local::jwt_secret(&data_dir).await?)?;
            let token = if refresh {
                keys.mint_refresh(&sub, email.as_deref(), ttl)?
            } else {
                keys.mint(&sub, email.as_deref(), org.as_deref(), ttl)?
            };
            println!("{token}");
        }
        Command::Openapi => print!("{}", controlplane_local::openapi_json()),
        Command::McpStdio { key } => {
            let (state, _, _) = start(&data_dir).await?;
            mcp::serve_stdio(state, key).await?;
        }
        Command::Serve => {
            let (state, url, queue_url) = start(&data_dir).await?;
            let listener = tokio::net::TcpListener::bind((cli.host.as_str(), cli.port)).await?;
            let addr = listener.local_addr()?;
            // A closed stdout (`cargo run | head -1`) must not stop the server.
            let _ = writeln!(
                std::io::stdout(),
                "controlplane listening on http://{addr} (store: {url}, queue: {queue_url})\n\
                 get a token:  cargo run -- token --sub alice --email alice@example.com\n\
                 then:         curl -H \"Authorization: Bearer $TOKEN\" http://{addr}/v1/orgs"
            );
            controlplane_local::serve(listener, state).await?;
        }
    }
    Ok(())
}
