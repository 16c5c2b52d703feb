//! Every variable of the configuration table does what the table says: for
//! each one the local binary is started with it set, and its effect seen
//! from outside (an answer, a header, a file, a call to a stand-in
//! service, a refusal to start naming the variable). The table and the
//! cases are checked against each other, so a new variable needs a case.
//!
//! Cases that reach AWS run against the emulator `scripts/test` starts.

use std::collections::BTreeSet;
use std::io::{BufRead, BufReader};
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use controlplane::edge::auth::jwt::JwtKeys;
use serde_json::{Value, json};

const BINARY: &str = env!("CARGO_BIN_EXE_controlplane");
const DOCUMENT: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../../docs/operations.md");

/// The variables that have a case below.
const COVERED: &[&str] = &[
    "PORT",
    "HOST",
    "CONTROLPLANE_DATA_DIR",
    "CONTROLPLANE_STORE",
    "CONTROLPLANE_JWT_SECRET",
    "CONTROLPLANE_JWT_SECRET_ARN",
    "CONTROLPLANE_OIDC_ISSUER",
    "CONTROLPLANE_OIDC_AUDIENCE",
    "CONTROLPLANE_OIDC_JWKS_URL",
    "CONTROLPLANE_DEV_AUTH",
    "CONTROLPLANE_QUEUE",
    "CONTROLPLANE_SECRETS",
    "CONTROLPLANE_SECRETS_KEY",
    "CONTROLPLANE_WEBHOOKS_ALLOW_LOCAL",
    "CONTROLPLANE_BLOBS",
    "SSL_CERT_FILE",
    "CONTROLPLANE_MAX_TOKEN_LIFETIME",
    "CONTROLPLANE_RATE_LIMIT_SCALE",
    "CONTROLPLANE_EGRESS_RANGES",
    "CONTROLPLANE_REGIONS",
    "CONTROLPLANE_SERVER_TIMING",
    "CONTROLPLANE_EVENTS",
    "CONTROLPLANE_WEBHOOK_QUEUE",
    "CONTROLPLANE_ORCHESTRATOR_URL",
    "CONTROLPLANE_PROVISION_DELAY_MS",
    "CONTROLPLANE_PROVISION_FAIL",
    "CONTROLPLANE_ALLOWED_HOSTS",
    "CONTROLPLANE_CORS_ORIGINS",
    "CONTROLPLANE_CONSOLE_API_URL",
    "CONTROLPLANE_CONSOLE_OIDC_CLIENT_ID",
    "CONTROLPLANE_CONSOLE_OIDC_SCOPE",
    "CONTROLPLANE_CONSOLE_OIDC_AUDIENCE",
    "AWS_MAX_ATTEMPTS",
    "CONTROLPLANE_AWS_CONNECT_TIMEOUT_MS",
    "CONTROLPLANE_AWS_ATTEMPT_TIMEOUT_MS",
    "CONTROLPLANE_AWS_OPERATION_TIMEOUT_MS",
    "AWS_ENDPOINT_URL",
    "RUST_LOG",
    "CONTROLPLANE_MCP_KEY",
];

#[test]
fn every_variable_of_the_configuration_table_has_a_case_and_every_case_a_row() {
    let document = std::fs::read_to_string(DOCUMENT).expect("docs/operations.md");
    let table: BTreeSet<&str> = document
        .lines()
        .filter_map(|line| line.strip_prefix("| `"))
        .filter_map(|rest| rest.split('`').next())
        .filter(|name| name.chars().all(|c| c.is_ascii_uppercase() || c.is_ascii_digit() || c == '_'))
        .collect();
    let covered: BTreeSet<&str> = COVERED.iter().copied().collect();
    assert_eq!(table, covered, "the configuration table and the cases of this file differ");
}

/// The binary with a fresh data directory and whatever `env` adds.
struct Launch {
    dir: tempfile::TempDir,
    env: Vec<(String, String)>,
    port_flag: bool,
}

fn launch(env: &[(&str, &str)]) -> Launch {
    let env = env.iter().map(|(k, v)| (k.to_string(), v.to_string())).collect();
    Launch { dir: tempfile::tempdir().unwrap(), env, port_flag: true }
}

fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port()
}

fn command(dir: &Path, env: &[(String, String)]) -> Command {
    let mut command = Command::new(BINARY);
    command.env("CONTROLPLANE_DATA_DIR", dir);
    // The emulator's address, credentials and timeouts stay as the test
    // command set them.
    let inherited = |name: &str| name.starts_with("AWS_") || name.starts_with("CONTROLPLANE_AWS_");
    for name in COVERED.iter().filter(|name| !inherited(name) && **name != "CONTROLPLANE_DATA_DIR") {
        command.env_remove(name);
    }
    for (name, value) in env {
        command.env(name, value);
    }
    command
}

struct Running {
    child: Child,
    base: String,
    first_line: String,
    logs: std::thread::JoinHandle<Vec<String>>,
    dir: tempfile::TempDir,
}

impl Drop for Running {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

impl Launch {
    fn path(&self, name: &str) -> String {
        self.dir.path().join(name).display().to_string()
    }

    /// Starts it and waits until it answers; `Err` with what it wrote on
    /// stderr when it stops instead.
    async fn start(self) -> Result<Running, String> {
        let port = free_port();
        let mut command = command(self.dir.path(), &self.env);
        if self.port_flag {
            command.args(["--port", &port.to_string()]);
        }
        let mut child = command.stdout(Stdio::piped()).stderr(Stdio::piped()).spawn().unwrap();
        let stderr = child.stderr.take().unwrap();
        let logs = std::thread::spawn(move || BufReader::new(stderr).lines().map_while(Result::ok).collect::<Vec<_>>());
        let mut lines = BufReader::new(child.stdout.take().unwrap()).lines();
        let Some(Ok(first_line)) = lines.next() else {
            let _ = child.wait();
            return Err(logs.join().unwrap().join("\n"));
        };
        std::thread::spawn(move || lines.for_each(drop));
        let address = first_line.split("listening on ").nth(1).and_then(|r| r.split(' ').next()).unwrap_or_default();
        let base = address.to_owned();
        let client = reqwest::Client::new();
        let started = Instant::now();
        while client.get(format!("{base}/internal/health")).send().await.is_err() {
            assert!(started.elapsed() < Duration::from_secs(30), "the server did not come up: {first_line}");
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
        Ok(Running { child, base, first_line, logs, dir: self.dir })
    }

    /// Starts it expecting a refusal that names `variable`.
    async fn refused_naming(self, variable: &str) {
        match self.start().await {
            Ok(running) => panic!("started despite a bad {variable}: {}", running.first_line),
            Err(stderr) => assert!(stderr.contains(variable), "the refusal names {variable}: {stderr}"),
        }
    }
}

/// A request's status, headers and JSON body.
struct Answer {
    status: u16,
    headers: reqwest::header::HeaderMap,
    body: Value,
}

impl Answer {
    fn header(&self, name: &str) -> Option<&str> {
        self.headers.get(name).and_then(|v| v.to_str().ok())
    }
}

impl Running {
    /// The data directory's own secret (generated at start).
    fn token(&self, sub: &str) -> String {
        let secret = std::fs::read_to_string(self.dir.path().join("jwt-secret")).expect("the generated secret");
        token_with(secret.trim(), sub, 3600)
    }

    async fn send(&self, method: reqwest::Method, path: &str, token: &str, body: Option<Value>) -> Answer {
        let mut request = reqwest::Client::new().request(method, format!("{}{path}", self.base));
        if !token.is_empty() {
            request = request.bearer_auth(token);
        }
        if let Some(body) = body {
            request = request.json(&body);
        }
        let response = request.send().await.expect("an answer");
        let (status, headers) = (response.status().as_u16(), response.headers().clone());
        let body = response.json().await.unwrap_or(Value::Null);
        Answer { status, headers, body }
    }

    async fn get(&self, path: &str, token: &str) -> Answer {
        self.send(reqwest::Method::GET, path, token, None).await
    }

    async fn post(&self, path: &str, token: &str, body: Value) -> Answer {
        self.send(reqwest::Method::POST, path, token, Some(body)).await
    }

    /// A new org of `token`'s user, and a token bound to it.
    async fn org(&self, secret: &str, sub: &str) -> (String, String) {
        let created = self.post("/v1/orgs", &token_with(secret, sub, 3600), json!({"name": "Acme"})).await;
        assert_eq!(created.status, 201, "{}", created.body);
        let org = created.body["id"].as_str().unwrap().to_owned();
        let bound = JwtKeys::hs256(secret.as_bytes()).unwrap().mint(sub, None, Some(&org), 3600).unwrap();
        (org, bound)
    }

    fn secret(&self) -> String {
        std::fs::read_to_string(self.dir.path().join("jwt-secret")).unwrap().trim().to_owned()
    }

    fn stop(mut self) -> Vec<String> {
        let _ = self.child.kill();
        let _ = self.child.wait();
        let logs = std::mem::replace(&mut self.logs, std::thread::spawn(Vec::new));
        logs.join().unwrap()
    }
}

fn token_with(secret: &str, sub: &str, ttl: u64) -> String {
    JwtKeys::hs256(secret.as_bytes()).unwrap().mint(sub, Some(&format!("{sub}@example.com")), None, ttl).unwrap()
}

/// Waits until `check` holds; what it saw last otherwise. The bound only
/// stops a hang: a busy machine's background loops may take a while.
async fn eventually<T: std::fmt::Debug>(mut probe: impl AsyncFnMut() -> T, check: impl Fn(&T) -> bool) -> T {
    let started = Instant::now();
    loop {
        let seen = probe().await;
        if check(&seen) || started.elapsed() > Duration::from_secs(120) {
            return seen;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

/// A stand-in HTTP service on 127.0.0.1 answering 404 to everything and
/// recording each request's first line.
async fn stand_in() -> (String, Arc<Mutex<Vec<String>>>) {
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    let seen: Arc<Mutex<Vec<String>>> = Arc::default();
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let base = format!("http://{}", listener.local_addr().unwrap());
    let record = Arc::clone(&seen);
    tokio::spawn(async move {
        while let Ok((mut socket, _)) = listener.accept().await {
            let record = Arc::clone(&record);
            tokio::spawn(async move {
                let mut head = Vec::new();
                let mut buf = [0u8; 4096];
                while !head.windows(4).any(|w| w == b"\r\n\r\n") {
                    match socket.read(&mut buf).await {
                        Ok(0) | Err(_) => return,
                        Ok(n) => head.extend_from_slice(&buf[..n]),
                    }
                }
                let line = String::from_utf8_lossy(&head).lines().next().unwrap_or_default().to_owned();
                record.lock().unwrap().push(line);
                let _ =
                    socket.write_all(b"HTTP/1.1 404 Not Found\r\ncontent-length: 0\r\nconnection: close\r\n\r\n").await;
            });
        }
    });
    (base, seen)
}

fn emulator() -> String {
    std::env::var("AWS_ENDPOINT_URL").expect("the emulator (scripts/test starts it)")
}

#[tokio::test]
async fn port_and_host_choose_where_it_listens() {
    let port = free_port().to_string();
    let mut launch = launch(&[("PORT", &port), ("HOST", "127.0.0.2")]);
    launch.port_flag = false;
    let running = launch.start().await.unwrap();
    assert!(running.first_line.contains(&format!("listening on http://127.0.0.2:{port}")), "{}", running.first_line);
}

#[tokio::test]
async fn the_data_directory_store_queue_and_secrets_are_where_their_variables_say() {
    let launch = launch(&[]);
    let (store, queue, secrets) = (launch.path("s.db"), launch.path("q.db"), launch.path("k.db"));
    let mut launch = launch;
    launch.env.extend([
        ("CONTROLPLANE_STORE".into(), format!("sqlite://{store}")),
        ("CONTROLPLANE_QUEUE".into(), format!("sqlite://{queue}#jobs")),
        ("CONTROLPLANE_SECRETS".into(), format!("local://{secrets}")),
    ]);
    let running = launch.start().await.unwrap();
    for file in [&store, &queue, &secrets] {
        assert!(Path::new(file).exists(), "{file}");
    }
    assert!(Path::new(&format!("{secrets}.key")).exists(), "the local secrets' key is generated beside them");
    assert!(!running.dir.path().join("controlplane.db").exists(), "nothing in the default file");
    assert!(running.dir.path().join("jwt-secret").exists(), "the data directory keeps the generated secret");
    launch_refused(&[("CONTROLPLANE_STORE", "postgres://x")], "CONTROLPLANE_STORE").await;
    launch_refused(&[("CONTROLPLANE_QUEUE", "amqp://x")], "CONTROLPLANE_QUEUE").await;
}

async fn launch_refused(env: &[(&str, &str)], variable: &str) {
    launch(env).refused_naming(variable).await;
}

#[tokio::test]
async fn a_given_secrets_key_is_used_rather_than_generated() {
    let launch = launch(&[("CONTROLPLANE_SECRETS_KEY", &"ab".repeat(32))]);
    let running = launch.start().await.unwrap();
    assert!(running.dir.path().join("controlplane.db").exists());
    assert!(!running.dir.path().join("controlplane.db.key").exists(), "no key file when the variable gives it");
    launch_refused(&[("CONTROLPLANE_SECRETS_KEY", "short")], "CONTROLPLANE_SECRETS_KEY").await;
}

#[tokio::test]
async fn the_configured_jwt_secret_signs_the_tokens_it_accepts() {
    let secret = "configured-secret-configured-secret!";
    let running = launch(&[("CONTROLPLANE_JWT_SECRET", secret)]).start().await.unwrap();
    assert_eq!(running.get("/v1/orgs", &token_with(secret, "alice", 600)).await.status, 200);
    let other = token_with("some-other-secret-some-other-secret!", "alice", 600);
    assert_eq!(running.get("/v1/orgs", &other).await.status, 401);
    assert!(!running.dir.path().join("jwt-secret").exists(), "no generated secret");
}

#[tokio::test]
async fn the_jwt_secret_arn_is_read_from_secrets_manager_at_start() {
    use controlplane::ports::secrets::{SecretName, SecretValue, Secrets, secretsmanager::SecretsManager};
    let _ = emulator();
    let value = "a-secret-kept-in-secrets-manager-only";
    let name = SecretName::new(&controlplane::testing::tenant(), None, "jwt").unwrap();
    let arn = SecretsManager::from_env(None).await.put(&name, &SecretValue::new(value.into()).unwrap()).await.unwrap();
    let running = launch(&[("CONTROLPLANE_JWT_SECRET_ARN", &arn)]).start().await.unwrap();
    assert_eq!(running.get("/v1/orgs", &token_with(value, "alice", 600)).await.status, 200);
    let missing = format!("{arn}-gone");
    launch_refused(&[("CONTROLPLANE_JWT_SECRET_ARN", &missing)], "CONTROLPLANE_JWT_SECRET_ARN").await;
}

/// An RS256-looking token: the server must fetch the issuer's keys to
/// judge it.
fn rs256_token() -> String {
    use base64::Engine;
    let b64 = |v: Value| base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(v.to_string());
    let header = b64(json!({"alg": "RS256", "typ": "JWT", "kid": "k1"}));
    let claims = b64(json!({"sub": "alice", "iss": "x", "aud": "api", "exp": 4_000_000_000u64}));
    format!("{header}.{claims}.c2lnbmF0dXJl")
}

#[tokio::test]
async fn the_oidc_issuer_is_discovered_or_its_jwks_url_used_and_needs_an_audience() {
    let (issuer, seen) = stand_in().await;
    let running =
        launch(&[("CONTROLPLANE_OIDC_ISSUER", &issuer), ("CONTROLPLANE_OIDC_AUDIENCE", "api")]).start().await.unwrap();
    let refused = running.get("/v1/orgs", &rs256_token()).await;
    assert!(matches!(refused.status, 401 | 503), "{}", refused.body);
    let asked = seen.lock().unwrap().clone();
    assert!(asked.iter().any(|l| l.starts_with("GET /.well-known/openid-configuration ")), "{asked:?}");
    drop(running);

    let (issuer, seen) = stand_in().await;
    let jwks = format!("{issuer}/keys");
    let env = [
        ("CONTROLPLANE_OIDC_ISSUER", issuer.as_str()),
        ("CONTROLPLANE_OIDC_AUDIENCE", "api"),
        ("CONTROLPLANE_OIDC_JWKS_URL", jwks.as_str()),
    ];
    let running = launch(&env).start().await.unwrap();
    running.get("/v1/orgs", &rs256_token()).await;
    let asked = seen.lock().unwrap().clone();
    assert!(asked.iter().any(|l| l.starts_with("GET /keys ")), "{asked:?}");
    assert!(!asked.iter().any(|l| l.contains("openid-configuration")), "no discovery with a JWKS URL: {asked:?}");

    launch_refused(&[("CONTROLPLANE_OIDC_ISSUER", &issuer)], "CONTROLPLANE_OIDC_AUDIENCE").await;
}

#[tokio::test]
async fn dev_auth_false_closes_the_refresh_exchange() {
    for (setting, expected) in [(None, 200), (Some("false"), 404)] {
        let env: Vec<(&str, &str)> = setting.map(|v| ("CONTROLPLANE_DEV_AUTH", v)).into_iter().collect();
        let running = launch(&env).start().await.unwrap();
        let refresh = JwtKeys::hs256(running.secret().as_bytes()).unwrap().mint_refresh("alice", None, 600).unwrap();
        let body = json!({"grant_type": "refresh_token", "refresh_token": refresh});
        let answer = running.post("/v1/auth/token", "", body).await;
        assert_eq!(answer.status, expected, "CONTROLPLANE_DEV_AUTH={setting:?}: {}", answer.body);
    }
    launch_refused(&[("CONTROLPLANE_DEV_AUTH", "maybe")], "CONTROLPLANE_DEV_AUTH").await;
}

#[tokio::test]
async fn local_webhook_targets_are_allowed_only_when_the_variable_says() {
    for (setting, expected) in [(None, 422), (Some("true"), 201)] {
        let env: Vec<(&str, &str)> = setting.map(|v| ("CONTROLPLANE_WEBHOOKS_ALLOW_LOCAL", v)).into_iter().collect();
        let running = launch(&env).start().await.unwrap();
        let (_, token) = running.org(&running.secret(), "alice").await;
        let project = running.post("/v1/projects", &token, json!({"name": "shop"})).await;
        let hook = json!({"project_id": project.body["id"], "url": "http://127.0.0.1:9/in", "event_types": ["*"]});
        let answer = running.post("/v1/webhooks", &token, hook).await;
        assert_eq!(answer.status, expected, "CONTROLPLANE_WEBHOOKS_ALLOW_LOCAL={setting:?}: {}", answer.body);
    }
}

#[tokio::test]
async fn blobs_and_events_go_where_their_variables_say() {
    let launch = launch(&[]);
    let (blobs, events) = (launch.path("artifacts"), launch.path("published.jsonl"));
    let mut launch = launch;
    launch.env.extend([
        ("CONTROLPLANE_BLOBS".into(), format!("file://{blobs}")),
        ("CONTROLPLANE_EVENTS".into(), format!("file://{events}")),
    ]);
    let running = launch.start().await.unwrap();
    let (org, token) = running.org(&running.secret(), "alice").await;
    let backup = running.post(&format!("/v1/orgs/{org}/backups"), &token, json!({})).await;
    assert_eq!(backup.status, 202, "{}", backup.body);
    let stored = eventually(async || Path::new(&blobs).join(&org).exists(), |exists| *exists).await;
    assert!(stored, "the backup landed under {blobs}");
    let published = eventually(
        async || std::fs::read_to_string(&events).unwrap_or_default(),
        |text| text.contains("user.signedup"),
    )
    .await;
    assert!(published.contains("user.signedup"), "{published}");
    assert!(!running.dir.path().join("blobs").exists() && !running.dir.path().join("events.jsonl").exists());
}

#[tokio::test]
async fn an_unusable_extra_roots_file_stops_the_start_and_a_good_one_is_taken() {
    let launch_missing = launch(&[]);
    let missing = launch_missing.path("missing.pem");
    drop(launch_missing);
    launch_refused(&[("SSL_CERT_FILE", &missing)], "SSL_CERT_FILE").await;
    let launch = launch(&[]);
    let pem = launch.path("roots.pem");
    std::fs::write(&pem, include_str!("../../../shared/testdata/test-root.pem")).unwrap();
    let mut launch = launch;
    launch.env.push(("SSL_CERT_FILE".into(), pem));
    launch.start().await.expect("a file of PEM certificates is accepted");
}

#[tokio::test]
async fn an_unusable_egress_range_table_stops_the_start_and_a_good_ones_regions_can_be_required() {
    let bad = launch(&[]);
    let table = bad.path("ranges.txt");
    std::fs::write(&table, "203.0.113.0/24\n").unwrap();
    let mut bad = bad;
    bad.env.push(("CONTROLPLANE_EGRESS_RANGES".into(), table));
    let Err(refused) = bad.start().await else { panic!("a line without a region stops the start") };
    assert!(refused.contains("CONTROLPLANE_EGRESS_RANGES") && refused.contains("line 1"), "{refused}");

    let good = launch(&[]);
    let table = good.path("ranges.txt");
    std::fs::write(&table, "# test ranges\n203.0.113.0/24 eu\n198.51.100.0/24 us\n").unwrap();
    let mut good = good;
    good.env.push(("CONTROLPLANE_EGRESS_RANGES".into(), table));
    let running = good.start().await.unwrap();
    let (org, token) = running.org(&running.secret(), "alice").await;
    let path = format!("/v1/orgs/{org}/egress-policy");
    assert_eq!(running.get(&path, &token).await.body["known_regions"], json!(["eu", "us"]));
    let put = |body: Value| running.send(reqwest::Method::PUT, &path, &token, Some(body));
    let set = put(json!({"mode": "strict", "regions": ["eu"]})).await;
    assert_eq!((set.status, &set.body["regions"]), (200, &json!(["eu"])), "{}", set.body);
    let unknown = put(json!({"regions": ["mars"]})).await;
    assert_eq!(unknown.body["errors"][0]["field"], "regions[0]", "{}", unknown.body);
}

#[tokio::test]
async fn the_regions_served_are_what_orgs_may_be_created_in_the_first_by_default() {
    launch_refused(&[("CONTROLPLANE_REGIONS", "us,US")], "CONTROLPLANE_REGIONS").await;
    let running = launch(&[("CONTROLPLANE_REGIONS", "eu,us")]).start().await.unwrap();
    let token = token_with(&running.secret(), "alice", 3600);
    let default = running.post("/v1/orgs", &token, json!({"name": "Acme"})).await;
    assert_eq!((default.status, default.body["region"].as_str()), (201, Some("eu")), "{}", default.body);
    let us = running.post("/v1/orgs", &token, json!({"name": "Acme US", "region": "us"})).await;
    assert_eq!(us.body["region"], "us");
    let unserved = running.post("/v1/orgs", &token, json!({"name": "Acme AP", "region": "ap"})).await;
    assert_eq!((unserved.status, unserved.body["errors"][0]["field"].as_str()), (422, Some("region")));
}

#[tokio::test]
async fn each_region_served_keeps_its_data_in_its_own_stores_and_one_without_any_stops_the_start() {
    // AWS stores cannot lend a region a label: each other region's is named.
    let regions = ("CONTROLPLANE_REGIONS", "us,eu");
    launch_refused(&[regions, ("CONTROLPLANE_SECRETS", "secretsmanager://")], "CONTROLPLANE_SECRETS_EU").await;
    launch_refused(&[regions, ("CONTROLPLANE_BLOBS", "s3://some-bucket")], "CONTROLPLANE_BLOBS_EU").await;
    launch_refused(&[regions, ("CONTROLPLANE_BLOBS_EU", "ftp://elsewhere")], "CONTROLPLANE_BLOBS_EU").await;

    // Locally: the folder named for eu, and the secrets file beside the default's.
    let eu_blobs = tempfile::tempdir().unwrap();
    let named = format!("file://{}", eu_blobs.path().display());
    let running = launch(&[regions, ("CONTROLPLANE_BLOBS_EU", &named)]).start().await.unwrap();
    let token = token_with(&running.secret(), "alice", 3600);
    let created = running.post("/v1/orgs", &token, json!({"name": "Acme EU", "region": "eu"})).await;
    let org = created.body["id"].as_str().unwrap().to_owned();
    let bound = JwtKeys::hs256(running.secret().as_bytes()).unwrap().mint("alice", None, Some(&org), 3600).unwrap();
    let body = json!({"kind": "token", "name": "ci", "value": {"token": "tok-eu-config"}});
    let credential = running.post("/v1/credentials", &bound, body).await;
    assert_eq!(credential.status, 201, "{}", credential.body);

    use controlplane::ports::secrets::{SecretName, Secrets, local::LocalSecrets};
    let tenant = controlplane::testing::tenant_of(&org.parse().unwrap());
    let name = SecretName::new(&tenant, None, credential.body["id"].as_str().unwrap()).unwrap();
    let in_file = |file: &str| LocalSecrets::open(&running.dir.path().join(file)).unwrap();
    assert!(in_file("controlplane-eu.db").get(&name).await.unwrap().is_some(), "in eu's store");
    assert!(in_file("controlplane.db").get(&name).await.unwrap().is_none(), "not in the default's");

    let backup = running.post(&format!("/v1/orgs/{org}/backups"), &bound, json!({})).await;
    assert_eq!(backup.status, 202, "{}", backup.body);
    let job = backup.body["id"].as_str().unwrap().to_owned();
    let done = eventually(
        async || running.get(&format!("/v1/jobs/{job}"), &bound).await.body["status"].clone(),
        |status| status == "completed",
    )
    .await;
    assert_eq!(done, "completed");
    let file = format!("{org}/backups/{job}.json");
    assert!(eu_blobs.path().join(&file).exists(), "the backup is in the folder named for eu");
    assert!(!running.dir.path().join("blobs").join(&file).exists(), "and not in the default's");
}

#[tokio::test]
async fn the_max_token_lifetime_refuses_longer_tokens() {
    let running = launch(&[("CONTROLPLANE_MAX_TOKEN_LIFETIME", "600")]).start().await.unwrap();
    let secret = running.secret();
    assert_eq!(running.get("/v1/orgs", &token_with(&secret, "alice", 600)).await.status, 200);
    let long = running.get("/v1/orgs", &token_with(&secret, "alice", 3600)).await;
    assert_eq!((long.status, long.body["code"].as_str()), (401, Some("token_lifetime_too_long")), "{}", long.body);
    launch_refused(&[("CONTROLPLANE_MAX_TOKEN_LIFETIME", "10")], "CONTROLPLANE_MAX_TOKEN_LIFETIME").await;
}

/// The quota of the `RateLimit-Policy` header (`…;q=N;…`).
fn quota(answer: &Answer) -> u64 {
    let policy = answer.header("ratelimit-policy").expect("RateLimit-Policy");
    policy.split(';').find_map(|p| p.trim().strip_prefix("q=")).and_then(|q| q.parse().ok()).expect(policy)
}

#[tokio::test]
async fn the_rate_limit_scale_multiplies_the_quotas_and_server_timing_can_be_turned_off() {
    let plain = launch(&[]).start().await.unwrap();
    let (_, token) = plain.org(&plain.secret(), "alice").await;
    let default = plain.get("/v1/projects", &token).await;
    assert!(default.header("server-timing").is_some(), "on by default under cargo run");
    let env = [("CONTROLPLANE_RATE_LIMIT_SCALE", "3"), ("CONTROLPLANE_SERVER_TIMING", "false")];
    let scaled = launch(&env).start().await.unwrap();
    let (_, token) = scaled.org(&scaled.secret(), "alice").await;
    let answer = scaled.get("/v1/projects", &token).await;
    assert_eq!(quota(&answer), 3 * quota(&default));
    assert_eq!(answer.header("server-timing"), None, "CONTROLPLANE_SERVER_TIMING=false");
    launch_refused(&[("CONTROLPLANE_RATE_LIMIT_SCALE", "0")], "CONTROLPLANE_RATE_LIMIT_SCALE").await;
    launch_refused(&[("CONTROLPLANE_SERVER_TIMING", "yes")], "CONTROLPLANE_SERVER_TIMING").await;
}

/// An accepted value is shown working by
/// `local.rs::an_allowed_origin_gets_cors_answers_and_any_other_origin_gets_no_cors_header`.
#[tokio::test]
async fn a_cors_origin_that_is_not_an_origin_stops_the_start() {
    launch_refused(&[("CONTROLPLANE_CORS_ORIGINS", "https://console.example.com/app")], "CONTROLPLANE_CORS_ORIGINS")
        .await;
}

/// What the console at `/` is told (`/console/config.json`) and may reach
/// (the page's `connect-src`).
async fn console_settings(running: &Running) -> (Value, String) {
    let config = running.get("/console/config.json", "").await;
    assert_eq!(config.status, 200);
    let page = running.get("/", "").await;
    let policy = page.header("content-security-policy").expect("the page's policy").to_owned();
    let connect = policy.split("; ").find(|d| d.starts_with("connect-src ")).expect("connect-src").to_owned();
    (config.body, connect)
}

#[tokio::test]
async fn the_console_api_url_tells_the_console_where_the_api_is_and_lets_it_connect_there() {
    let running = launch(&[]).start().await.unwrap();
    let (config, connect) = console_settings(&running).await;
    assert_eq!((config["api_base"].as_str(), connect.as_str()), (Some(""), "connect-src 'self'"), "same origin");
    drop(running);
    let running = launch(&[("CONTROLPLANE_CONSOLE_API_URL", "https://api.example.com/prod/")]).start().await.unwrap();
    let (config, connect) = console_settings(&running).await;
    assert_eq!(config["api_base"], "https://api.example.com/prod");
    assert_eq!(connect, "connect-src 'self' https://api.example.com");
    drop(running);
    launch_refused(&[("CONTROLPLANE_CONSOLE_API_URL", "api.example.com")], "CONTROLPLANE_CONSOLE_API_URL").await;
}

#[tokio::test]
async fn the_console_oidc_client_offers_single_sign_on_with_its_scope_and_audience() {
    let issuer = "https://login.example.com/tenant/";
    let oidc = [("CONTROLPLANE_OIDC_ISSUER", issuer), ("CONTROLPLANE_OIDC_AUDIENCE", "api")];
    // An issuer without the console's client: development tokens only when
    // CONTROLPLANE_DEV_AUTH keeps them, and no single sign-on.
    let running = launch(&oidc).start().await.unwrap();
    let (config, _) = console_settings(&running).await;
    assert_eq!((config["oidc"].clone(), config["development_tokens"].clone()), (Value::Null, json!(true)));
    drop(running);
    let client = [
        oidc[0],
        oidc[1],
        ("CONTROLPLANE_CONSOLE_OIDC_CLIENT_ID", "console-spa"),
        ("CONTROLPLANE_CONSOLE_OIDC_SCOPE", "openid email"),
        ("CONTROLPLANE_CONSOLE_OIDC_AUDIENCE", "https://api.example.com"),
        ("CONTROLPLANE_DEV_AUTH", "false"),
    ];
    let running = launch(&client).start().await.unwrap();
    let (config, connect) = console_settings(&running).await;
    assert_eq!(
        config,
        json!({"api_base": "", "development_tokens": false, "oidc": {
            "issuer": issuer, "client_id": "console-spa", "scope": "openid email", "audience": "https://api.example.com"}})
    );
    assert_eq!(connect, "connect-src 'self' https://login.example.com", "discovery and the token exchange");
    drop(running);
    let default_scope = [oidc[0], oidc[1], ("CONTROLPLANE_CONSOLE_OIDC_CLIENT_ID", "console-spa")];
    let running = launch(&default_scope).start().await.unwrap();
    let (config, _) = console_settings(&running).await;
    assert_eq!(
        (config["oidc"]["scope"].as_str(), &config["oidc"]["audience"]),
        (Some("openid email profile"), &Value::Null)
    );
    drop(running);
    for (name, bad) in [
        ("CONTROLPLANE_CONSOLE_OIDC_CLIENT_ID", "console spa"),
        ("CONTROLPLANE_CONSOLE_OIDC_SCOPE", "openid  email"),
        ("CONTROLPLANE_CONSOLE_OIDC_AUDIENCE", "api\u{1}"),
    ] {
        launch_refused(&[(name, bad)], name).await;
    }
}

#[tokio::test]
async fn webhook_deliveries_get_their_own_queue_when_one_is_named() {
    let launch = launch(&[]);
    let deliveries = launch.path("deliveries.db");
    let mut launch = launch;
    launch.env.push(("CONTROLPLANE_WEBHOOK_QUEUE".into(), format!("sqlite://{deliveries}#deliveries")));
    let _running = launch.start().await.unwrap();
    assert!(Path::new(&deliveries).exists(), "the deliveries' queue is opened at {deliveries}");
}

async fn project_status(running: &Running, token: &str) -> (String, Value) {
    let listed = running.get("/v1/projects", token).await;
    let project = listed.body["data"][0].clone();
    (project["status"].as_str().unwrap_or_default().to_owned(), project)
}

#[tokio::test]
async fn provisioning_goes_to_the_configured_orchestrator_or_fails_or_waits_as_told() {
    let (orchestrator, seen) = stand_in().await;
    let running = launch(&[("CONTROLPLANE_ORCHESTRATOR_URL", &orchestrator)]).start().await.unwrap();
    let (_, token) = running.org(&running.secret(), "alice").await;
    let created = running.post("/v1/projects", &token, json!({"name": "shop"})).await;
    let id = created.body["id"].as_str().unwrap().to_owned();
    let asked = eventually(async || seen.lock().unwrap().clone(), |lines| !lines.is_empty()).await;
    assert!(asked.iter().any(|l| l.starts_with(&format!("PUT /projects/{id} "))), "{asked:?}");
    drop(running);

    let running = launch(&[("CONTROLPLANE_PROVISION_FAIL", "no capacity today")]).start().await.unwrap();
    let (_, token) = running.org(&running.secret(), "alice").await;
    running.post("/v1/projects", &token, json!({"name": "shop"})).await;
    let (status, project) = eventually(async || project_status(&running, &token).await, |(s, _)| s == "failed").await;
    assert_eq!(status, "failed", "{project}");
    let jobs = running.get("/v1/jobs", &token).await;
    assert!(jobs.body.to_string().contains("no capacity today"), "{}", jobs.body);
    drop(running);

    let running = launch(&[("CONTROLPLANE_PROVISION_DELAY_MS", "3600000")]).start().await.unwrap();
    let (_, token) = running.org(&running.secret(), "alice").await;
    running.post("/v1/projects", &token, json!({"name": "shop"})).await;
    let job_status = async || running.get("/v1/jobs", &token).await.body["data"][0]["status"].clone();
    assert_eq!(eventually(job_status, |s| s == "running").await, "running", "the job is claimed");
    assert_eq!(project_status(&running, &token).await.0, "provisioning", "and takes the hour it was given");
    drop(running);
    launch_refused(&[("CONTROLPLANE_PROVISION_DELAY_MS", "soon")], "CONTROLPLANE_PROVISION_DELAY_MS").await;
}

#[tokio::test]
async fn an_allowed_host_is_answered_besides_the_listen_address() {
    for (setting, expected) in [(None, 421), (Some("api.example.com"), 200)] {
        let env: Vec<(&str, &str)> = setting.map(|v| ("CONTROLPLANE_ALLOWED_HOSTS", v)).into_iter().collect();
        let running = launch(&env).start().await.unwrap();
        let client = reqwest::Client::new();
        let health = format!("{}/internal/health", running.base);
        let port = running.base.rsplit(':').next().unwrap();
        let named = client.get(&health).header("host", format!("api.example.com:{port}")).send().await.unwrap();
        assert_eq!(named.status(), expected, "CONTROLPLANE_ALLOWED_HOSTS={setting:?}");
        assert_eq!(client.get(&health).send().await.unwrap().status(), 200, "the listen address");
    }
}

#[tokio::test]
async fn rust_log_filters_the_log_lines() {
    for (filter, info_lines) in [("info", true), ("warn", false)] {
        let running = launch(&[("RUST_LOG", filter)]).start().await.unwrap();
        running.get("/v1/orgs", &running.token("alice")).await;
        let logs = running.stop();
        let has_info = logs.iter().any(|l| l.contains("\"level\":\"INFO\""));
        assert_eq!(has_info, info_lines, "RUST_LOG={filter}: {logs:#?}");
    }
}

/// A fault injected into the emulator for the calls whose body contains
/// `marker` (a table's name, or a name only one request carries); its
/// address, to read how many calls it met.
async fn inject(target: &str, marker: &str, fault: Value) -> String {
    let mut fault = fault;
    fault["target"] = json!(target);
    fault["contains"] = json!(marker);
    let answer = reqwest::Client::new().post(format!("{}/_emulator/faults", emulator())).json(&fault).send().await;
    let created: Value = answer.unwrap().json().await.unwrap();
    format!("{}/_emulator/faults/{}", emulator(), created["id"])
}

async fn met(fault: &str) -> u64 {
    let fault: Value = reqwest::get(fault).await.unwrap().json().await.unwrap();
    fault["answered"].as_u64().unwrap()
}

const TRANSACT: &str = "DynamoDB_20120810.TransactWriteItems";

/// The binary on a fresh table of the emulator (`AWS_ENDPOINT_URL`: the
/// local server creates it), with `env` added.
async fn on_the_emulator(env: &[(&str, &str)]) -> (Running, String) {
    let _ = emulator();
    let table = format!("config-{}", controlplane::OrgId::generate()).to_lowercase().replace('_', "-");
    let store = format!("dynamodb://{table}");
    let mut all = vec![("CONTROLPLANE_STORE", store.as_str())];
    all.extend_from_slice(env);
    let running = launch(&all).start().await.unwrap();
    assert!(running.first_line.contains(&store), "{}", running.first_line);
    (running, table)
}

#[tokio::test]
async fn aws_max_attempts_sets_how_often_a_throttled_call_is_tried() {
    let (running, table) = on_the_emulator(&[("AWS_MAX_ATTEMPTS", "1")]).await;
    let _ = inject(TRANSACT, &table, json!({"code": "ThrottlingException", "times": 1})).await;
    let token = running.token("alice");
    let answer = running.post("/v1/orgs", &token, json!({"name": "Acme"})).await;
    assert_eq!(answer.status, 503, "one attempt, throttled: {}", answer.body);
    assert_eq!(running.post("/v1/orgs", &token, json!({"name": "Acme"})).await.status, 201);
    drop(running);

    let (running, table) = on_the_emulator(&[]).await;
    let _ = inject(TRANSACT, &table, json!({"code": "ThrottlingException", "times": 1})).await;
    let answer = running.post("/v1/orgs", &running.token("alice"), json!({"name": "Acme"})).await;
    assert_eq!(answer.status, 201, "the default attempts ride it out: {}", answer.body);
    launch_refused(&[("AWS_MAX_ATTEMPTS", "0")], "AWS_MAX_ATTEMPTS").await;
}

#[tokio::test]
async fn the_aws_timeouts_bound_each_attempt_and_the_whole_call() {
    // Every transaction on the table is answered after 6 s. A 2 s attempt
    // timeout gives up on each of the three attempts; a 2 s operation
    // timeout on the whole call, during its first attempt. (Other calls
    // are answered at once, well within either.)
    let slow = json!({"delay_ms": 6000, "times": 10});
    let attempts =
        [("CONTROLPLANE_AWS_ATTEMPT_TIMEOUT_MS", "2000"), ("CONTROLPLANE_AWS_OPERATION_TIMEOUT_MS", "60000")];
    let (running, table) = on_the_emulator(&attempts).await;
    let token = running.token("alice");
    assert_eq!(running.get("/v1/orgs", &token).await.status, 200, "signed up before the fault");
    // Only the org's creation is slow: the background publisher's calls
    // on the table are not.
    let name = format!("Slow {table}");
    let fault = inject(TRANSACT, &name, slow.clone()).await;
    let answer = running.post("/v1/orgs", &token, json!({"name": name})).await;
    assert_eq!(answer.status, 503, "{}", answer.body);
    assert_eq!(met(&fault).await, 3, "each attempt timed out and the next was sent");
    drop(running);
    let operation =
        [("CONTROLPLANE_AWS_ATTEMPT_TIMEOUT_MS", "60000"), ("CONTROLPLANE_AWS_OPERATION_TIMEOUT_MS", "2000")];
    let (running, table) = on_the_emulator(&operation).await;
    let token = running.token("alice");
    assert_eq!(running.get("/v1/orgs", &token).await.status, 200, "signed up before the fault");
    // Only the org's creation is slow: the background publisher's calls
    // on the table are not.
    let name = format!("Slow {table}");
    let fault = inject(TRANSACT, &name, slow).await;
    let answer = running.post("/v1/orgs", &token, json!({"name": name})).await;
    assert_eq!(answer.status, 503, "{}", answer.body);
    assert_eq!(met(&fault).await, 1, "the call ended inside its first attempt");
    for variable in [
        "CONTROLPLANE_AWS_CONNECT_TIMEOUT_MS",
        "CONTROLPLANE_AWS_ATTEMPT_TIMEOUT_MS",
        "CONTROLPLANE_AWS_OPERATION_TIMEOUT_MS",
    ] {
        launch_refused(&[(variable, "0")], variable).await;
    }
}

#[tokio::test]
async fn aws_endpoint_url_points_the_store_at_the_emulator_which_gets_the_table() {
    let (running, table) = on_the_emulator(&[]).await;
    let (org, _) = running.org(&running.secret(), "alice").await;
    let scanned = reqwest::Client::new()
        .post(emulator())
        .header("x-amz-target", "DynamoDB_20120810.DescribeTable")
        .header("content-type", "application/x-amz-json-1.0")
        .header("authorization", "AWS4-HMAC-SHA256 Credential=test/20260101/us-east-1/dynamodb/aws4_request")
        .json(&json!({"TableName": table}))
        .send()
        .await
        .unwrap();
    let described: Value = scanned.json().await.unwrap();
    assert!(described["Table"]["ItemCount"].is_number(), "the table exists on the emulator: {described}");
    assert!(org.starts_with("org_"));
}

/// Runs `mcp-stdio` on `dir` with `key`, writes `messages` (one JSON-RPC
/// message a line) and returns the answer to the request with id `last`,
/// or the process's stderr when it ends without one.
fn over_stdio(dir: &Path, key: &str, messages: &[Value], last: u64) -> Result<Value, String> {
    use std::io::Write;
    let env = [("CONTROLPLANE_MCP_KEY".to_owned(), key.to_owned())];
    let mut child = command(dir, &env)
        .arg("mcp-stdio")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut stdin = child.stdin.take().unwrap();
    for message in messages {
        writeln!(stdin, "{message}").unwrap();
    }
    let stdout = BufReader::new(child.stdout.take().unwrap());
    let (sent, answers) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        for line in stdout.lines().map_while(Result::ok) {
            let _ = sent.send(line);
        }
    });
    let answer = loop {
        match answers.recv_timeout(Duration::from_secs(60)) {
            Ok(line) => {
                let message: Value = serde_json::from_str(&line).expect("stdout carries JSON-RPC only");
                if message["id"] == last {
                    break Some(message);
                }
            }
            Err(_) => break None,
        }
    };
    drop(stdin);
    let _ = child.kill();
    let output = child.wait_with_output().unwrap();
    answer.ok_or_else(|| String::from_utf8_lossy(&output.stderr).into_owned())
}

#[tokio::test]
async fn the_mcp_key_authenticates_mcp_stdio_and_a_refused_one_stops_it() {
    let running = launch(&[]).start().await.unwrap();
    let (_, owner) = running.org(&running.secret(), "alice").await;
    let project = running.post("/v1/projects", &owner, json!({"name": "desk"})).await;
    assert_eq!(project.status, 201, "{}", project.body);
    let body = json!({"project_id": project.body["id"], "name": "desktop", "type": "mcp", "scopes": ["mcp:tool:projects_get"]});
    let key = running.post("/v1/keys", &owner, body).await;
    assert_eq!(key.status, 201, "{}", key.body);
    let token = key.body["token"].as_str().unwrap();

    let client =
        json!({"protocolVersion": "2025-11-25", "capabilities": {}, "clientInfo": {"name": "test", "version": "1"}});
    let messages = [
        json!({"jsonrpc": "2.0", "id": 1, "method": "initialize", "params": client}),
        json!({"jsonrpc": "2.0", "method": "notifications/initialized"}),
        json!({"jsonrpc": "2.0", "id": 2, "method": "tools/list"}),
    ];
    let listed = over_stdio(running.dir.path(), token, &messages, 2).expect("tools/list over stdio");
    assert_eq!(listed["result"]["tools"][0]["name"], "projects_get", "{listed}");
    assert_eq!(listed["result"]["tools"].as_array().map(Vec::len), Some(1));
    let refused = over_stdio(running.dir.path(), "mcp_live_unknown", &messages, 2).unwrap_err();
    assert!(refused.contains("CONTROLPLANE_MCP_KEY is refused") && refused.contains("invalid_key"), "{refused}");
}
