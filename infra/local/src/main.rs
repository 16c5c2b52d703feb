//! `cargo run`: the whole control plane on http://127.0.0.1:3000.

use std::io::Write;

use clap::{Parser, Subcommand};
use controlplane::AppState;
use controlplane::auth::jwt::JwtKeys;
use controlplane::webhooks::target::Allowances;
use controlplane::worker::Worker;
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
}

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let cli = Cli::parse();
    let data_dir = controlplane_local::data_dir();
    match cli.command.unwrap_or(Command::Serve) {
        Command::Token { sub, email, org, ttl, refresh } => {
            let keys = JwtKeys::hs256(&controlplane_local::jwt_secret(&data_dir)?)?;
            let token = if refresh {
                keys.mint_refresh(&sub, email.as_deref(), ttl)?
            } else {
                keys.mint(&sub, email.as_deref(), org.as_deref(), ttl)?
            };
            println!("{token}");
        }
        Command::Openapi => print!("{}", controlplane_local::openapi_json()),
        Command::Serve => {
            controlplane::app::init_tracing();
            let url = controlplane_local::store_url(&data_dir)?;
            let store = controlplane_local::open_store(&url).await?;
            // The local server is a development install: the refresh exchange is on
            // unless CONTROLPLANE_DEV_AUTH says otherwise.
            let dev_auth = std::env::var(controlplane::app::DEV_AUTH_ENV).map_or(true, |v| v == "true" || v == "1");
            let queue_url = controlplane_local::queue_url(&data_dir)?;
            let queue = controlplane_local::open_queue(&queue_url).await?;
            let orchestrator = controlplane::orchestrator::from_env()?;
            let blobs = controlplane::blobs::open(&controlplane_local::blobs_url(&data_dir)?).await?;
            let secrets = controlplane::secrets::open(&controlplane_local::secrets_url(&data_dir)?).await?;
            let allow = Allowances { local_development: controlplane::app::local_webhooks_from_env() };
            // One local queue for every job, webhook deliveries included.
            let handlers =
                worker::with_deliveries(worker::handlers(orchestrator, blobs.clone()), secrets.clone(), allow);
            let handlers = worker::with_sources(handlers, secrets.clone(), blobs.clone(), worker::probe_from_env());
            let worker = Worker::new(store.clone(), queue.clone(), handlers);
            controlplane_local::spawn_background(Arc::new(worker), controlplane_local::RECONCILE_EVERY);
            let scheduler = scheduler::Scheduler::new(store.clone(), queue.clone());
            controlplane_local::spawn_scheduler(scheduler, controlplane_local::SCHEDULE_EVERY);
            let events_url = controlplane_local::events_url(&data_dir)?;
            let bus = controlplane::events::bus::open(&events_url).await?;
            let publisher =
                controlplane::events::publisher::Publisher::new(store.clone(), bus).with_deliveries(queue.clone());
            controlplane_local::spawn_publisher(publisher, controlplane_local::PUBLISH_EVERY);
            let state = AppState::new(store, &controlplane_local::jwt_secret(&data_dir)?)?
                .with_dev_auth(dev_auth)
                .with_server_timing(true)
                .with_local_webhooks(controlplane::app::local_webhooks_from_env())
                .with_oidc_from_env()?
                .with_limits_from_env()?
                .with_max_token_lifetime_from_env()?
                .with_queue(queue)
                .with_blobs(blobs)
                .with_secrets(secrets);
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
