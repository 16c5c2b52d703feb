//! The local binary as a new user meets it, and the OpenAPI drift check.

use std::io::{BufRead, BufReader};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use serde_json::{Value, json};

const BINARY: &str = env!("CARGO_BIN_EXE_controlplane");

#[test]
fn the_committed_openapi_document_matches_the_code() {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/../../openapi.json");
    let committed = std::fs::read_to_string(path).expect("openapi.json is committed");
    assert!(
        committed == controlplane_local::openapi_json(),
        "openapi.json is out of date: run `cargo run -- openapi > openapi.json` and commit it"
    );
}

#[test]
fn every_operation_reads_well_as_a_method_and_describes_every_answer_it_can_give() {
    /// Whether `value` (or a schema it refers to) gives an example.
    fn has_example(value: &Value, doc: &Value, seen: &mut Vec<String>) -> bool {
        match value {
            Value::Object(object) => {
                if object.contains_key("example") || object.contains_key("examples") {
                    return true;
                }
                if let Some(reference) = object.get("$ref").and_then(Value::as_str) {
                    if seen.iter().any(|s| s == reference) {
                        return false;
                    }
                    seen.push(reference.to_owned());
                    let target = reference.trim_start_matches('#').split('/').skip(1).fold(doc, |v, k| &v[k]);
                    return has_example(target, doc, seen);
                }
                object.values().any(|v| has_example(v, doc, seen))
            }
            Value::Array(items) => items.iter().any(|v| has_example(v, doc, seen)),
            _ => false,
        }
    }
    let doc: Value = serde_json::from_str(&controlplane_local::openapi_json()).unwrap();
    let mut ids = std::collections::BTreeSet::new();
    for (path, item) in doc["paths"].as_object().unwrap() {
        for (method, op) in item.as_object().unwrap() {
            let at = format!("{method} {path}");
            let id = op["operationId"].as_str().unwrap_or_default();
            let dotted = id.split('.').count() >= 2
                && id.split('.').all(|p| {
                    p.chars().next().is_some_and(|c| c.is_ascii_lowercase())
                        && p.chars().all(|c| c.is_ascii_alphanumeric())
                });
            assert!(dotted, "{at}: operationId `{id}` is not `resource.verb`");
            assert!(ids.insert(id.to_owned()), "{at}: operationId `{id}` is taken twice");
            assert!(op["summary"].as_str().is_some_and(|s| !s.is_empty()), "{at}: no summary");
            // An example of the operation's own: its body or a successful
            // answer's, else (neither has content) one of its own parameters'
            // (not the headers every operation shares).
            let answers: Vec<&Value> = op["responses"]
                .as_object()
                .into_iter()
                .flatten()
                .filter(|(status, _)| status.starts_with('2'))
                .map(|(_, r)| &r["content"])
                .filter(|c| c.is_object())
                .collect();
            let mut own: Vec<&Value> = answers.clone();
            own.push(&op["requestBody"]);
            if answers.is_empty() && op["requestBody"].is_null() {
                own.extend(op["parameters"].as_array().into_iter().flatten().filter(|p| p["in"] != "header"));
            }
            let mut seen = Vec::new();
            assert!(
                own.into_iter().any(|v| has_example(v, &doc, &mut seen)),
                "{at}: no example of its body, answer or parameters"
            );
            let names: Vec<_> = op["parameters"]
                .as_array()
                .into_iter()
                .flatten()
                .map(|p| p["name"].as_str().unwrap().to_ascii_lowercase())
                .collect();
            assert_eq!(
                names.len(),
                names.iter().collect::<std::collections::BTreeSet<_>>().len(),
                "{at}: a parameter declared twice: {names:?}"
            );
            for limit in op["parameters"].as_array().into_iter().flatten().filter(|p| p["name"] == "limit") {
                assert!(
                    limit["schema"]["minimum"] == 1 && limit["schema"]["maximum"].is_u64(),
                    "{at}: `limit` bounds undeclared"
                );
            }
            if method == "post" {
                assert!(names.contains(&"idempotency-key".to_owned()), "{at}: no Idempotency-Key");
            }
            // A conditional write answers with the new version's tag.
            if names.contains(&"if-match".to_owned()) {
                for (status, answer) in op["responses"].as_object().unwrap() {
                    if status.starts_with('2') && answer["content"].is_object() {
                        assert!(
                            answer["headers"]["ETag"].is_object(),
                            "{at}: {status} takes If-Match but declares no ETag"
                        );
                    }
                }
            }
            if let Some(created) = op["responses"].get("201")
                && created["headers"]["Location"].is_object()
            {
                assert!(created["headers"]["ETag"].is_object(), "{at}: 201 with Location declares no ETag");
            }
            for parameter in op["parameters"].as_array().into_iter().flatten() {
                let (name, place) = (parameter["name"].as_str().unwrap(), parameter["in"].as_str().unwrap());
                let typed = parameter["schema"]["pattern"].is_string();
                if place == "path" && name.ends_with("_id") && name != "user_id"
                    || ["If-Match", "X-Org-Id", "Idempotency-Key"].contains(&name)
                {
                    assert!(typed, "{at}: {name} has no pattern");
                }
            }
            if op.get("security").is_some() {
                assert!(names.contains(&"x-org-id".to_owned()), "{at}: no X-Org-Id");
            }
            let authenticated = op.get("security").is_some();
            let mut statuses: Vec<&str> = vec!["400", "422", "503"];
            if authenticated {
                statuses.extend(["401", "403", "429"]);
            }
            if method != "get" {
                statuses.extend(["409", "413", "415"]);
            }
            if path.contains('{') {
                statuses.push("404");
            }
            if names.contains(&"if-match".to_owned()) {
                statuses.push("412");
            }
            let responses = op["responses"].as_object().unwrap();
            for status in statuses {
                assert!(responses.contains_key(status), "{at}: {status} is not documented");
            }
            for (status, response) in responses {
                assert!(
                    response["description"].as_str().is_some_and(|d| !d.is_empty()),
                    "{at} {status}: no description"
                );
                let headers = response["headers"].as_object().unwrap();
                for name in ["X-Request-Id", "X-API-Version"] {
                    assert!(headers.contains_key(name), "{at} {status}: {name} undocumented");
                }
                if authenticated {
                    assert!(
                        headers.contains_key("RateLimit") && headers.contains_key("RateLimit-Policy"),
                        "{at} {status}: RateLimit undocumented"
                    );
                }
                if status == "429" || status == "503" {
                    assert!(headers.contains_key("Retry-After"), "{at} {status}: Retry-After undocumented");
                }
                if status.starts_with('4') || status.starts_with('5') && path != "/internal/health" {
                    let content = response["content"].as_object().unwrap();
                    assert!(content.contains_key("application/problem+json"), "{at} {status}: not a problem document");
                }
            }
        }
    }
    for (schema, fields) in [("AddMember", ["user_id", "email"]), ("Revoke", ["jti", "issued_before"])] {
        let one_of =
            doc["components"]["schemas"][schema]["oneOf"].as_array().unwrap_or_else(|| panic!("{schema}: no oneOf"));
        let required: Vec<&Value> = one_of.iter().map(|v| &v["required"][0]).collect();
        assert_eq!(required, fields.map(Value::from).iter().collect::<Vec<_>>(), "{schema}: exactly one of {fields:?}");
    }
    for scheme in ["bearer", "publicKey", "secretKey", "serviceRoleKey", "mcpKey", "apiKeyHeader"] {
        assert!(doc["components"]["securitySchemes"].get(scheme).is_some(), "no security scheme {scheme}");
    }
}

#[test]
fn the_api_reference_documents_every_published_event_type_as_the_code_does() {
    let readme = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/../../docs/api.md")).unwrap();
    for (event_type, when, data) in controlplane::domain::events::CATALOGUE {
        let row = format!("| `{event_type}` | {when} | {data} |");
        assert!(readme.contains(&row), "docs/api.md's event catalogue lacks or differs on:\n{row}");
    }
}

fn local(data_dir: &std::path::Path) -> Command {
    let mut command = Command::new(BINARY);
    command
        .env("CONTROLPLANE_DATA_DIR", data_dir)
        .env_remove("CONTROLPLANE_STORE")
        .env_remove("CONTROLPLANE_JWT_SECRET")
        .env_remove("PORT");
    command
}

struct Server(Child);

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port()
}

/// The binary serving on a free port at debug level, its log lines
/// collected until it stops.
struct Running {
    server: Server,
    base: String,
    logs: std::thread::JoinHandle<Vec<String>>,
}

impl Running {
    async fn start(data_dir: &std::path::Path, env: &[(&str, &str)]) -> Self {
        let port = free_port();
        let mut command = local(data_dir);
        // Debug level: nothing logged at any level may carry a credential.
        command.args(["--port", &port.to_string()]).env("RUST_LOG", "debug");
        for (name, value) in env {
            command.env(name, value);
        }
        let mut child = command.stdout(Stdio::piped()).stderr(Stdio::piped()).spawn().unwrap();
        let stdout = child.stdout.take().unwrap();
        let stderr = child.stderr.take().unwrap();
        let logs = std::thread::spawn(move || BufReader::new(stderr).lines().map_while(Result::ok).collect::<Vec<_>>());
        let server = Server(child);
        let mut lines = BufReader::new(stdout).lines();
        let first_line = lines.next().unwrap().unwrap();
        std::thread::spawn(move || lines.for_each(drop));
        assert!(first_line.contains(&format!("listening on http://127.0.0.1:{port}")), "{first_line}");
        let base = format!("http://127.0.0.1:{port}");
        let client = reqwest::Client::new();
        let started = Instant::now();
        while client.get(format!("{base}/internal/health")).send().await.is_err() {
            assert!(started.elapsed() < Duration::from_secs(20), "server did not come up");
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
        Self { server, base, logs }
    }

    /// Stops the server and returns every line it logged.
    fn stop(self) -> Vec<String> {
        drop(self.server);
        self.logs.join().unwrap()
    }
}

/// A development token from `controlplane token`.
fn mint(data_dir: &std::path::Path, sub: &str) -> String {
    let output =
        local(data_dir).args(["token", "--sub", sub, "--email", &format!("{sub}@example.com")]).output().unwrap();
    assert!(output.status.success());
    let stdout = String::from_utf8(output.stdout).unwrap();
    let token = stdout.trim_end_matches('\n').to_owned();
    assert_eq!(token.split('.').count(), 3, "stdout holds the JWT and nothing else: {stdout:?}");
    assert!(!token.contains(char::is_whitespace));
    token
}

#[tokio::test]
async fn a_new_user_starts_the_server_mints_a_token_and_sees_the_audit_event() {
    let dir = tempfile::tempdir().unwrap();
    let running = Running::start(dir.path(), &[]).await;
    let token = mint(dir.path(), "alice");
    let token = token.as_str();
    let base = running.base.clone();
    let client = reqwest::Client::new();
    let health: Value = client.get(format!("{base}/internal/health")).send().await.unwrap().json().await.unwrap();
    for dependency in ["store", "queue", "secrets"] {
        assert_eq!(health["dependencies"][dependency]["status"], "ok", "{health}");
    }
    let org: Value = client
        .post(format!("{base}/v1/orgs"))
        .bearer_auth(token)
        .json(&json!({"name": "Acme"}))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert!(org["id"].as_str().unwrap().starts_with("org_"));
    let project = client
        .post(format!("{base}/v1/projects"))
        .bearer_auth(token)
        .json(&json!({"name": "web"}))
        .send()
        .await
        .unwrap();
    assert_eq!(project.status(), 201);
    let project: Value = project.json().await.unwrap();
    assert_eq!(project["status"], "provisioning");
    // The in-process worker provisions it (after the local orchestrator's 500 ms).
    let project_url = format!("{base}/v1/projects/{}", project["id"].as_str().unwrap());
    let started = Instant::now();
    loop {
        let now: Value = client.get(&project_url).bearer_auth(token).send().await.unwrap().json().await.unwrap();
        if now["status"] == "active" {
            break;
        }
        assert!(started.elapsed() < Duration::from_secs(20), "never provisioned: {now}");
        tokio::time::sleep(Duration::from_millis(100)).await;
    }

    // An API key, used both ways, and planted bad credentials: none may reach the logs.
    let key: Value = client
        .post(format!("{base}/v1/keys"))
        .bearer_auth(token)
        .json(&json!({"project_id": project["id"], "name": "ci", "type": "secret", "scopes": ["projects:read"]}))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let key_token = key["token"].as_str().expect("the one-time token").to_owned();
    let by_header = client.get(format!("{base}/v1/projects")).header("x-api-key", &key_token).send().await.unwrap();
    assert_eq!(by_header.status(), 200);
    let by_bearer = client.get(format!("{base}/v1/projects")).bearer_auth(&key_token).send().await.unwrap();
    assert_eq!(by_bearer.status(), 200);
    let planted_key = "sk_live_PLANTEDplantedPLANTEDplantedPLANTEDpla";
    let planted_jwt = "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJwbGFudGVkIn0.PLANTEDsignature";
    for bad in [planted_key, planted_jwt] {
        let refused = client.get(format!("{base}/v1/projects")).bearer_auth(bad).send().await.unwrap();
        assert_eq!(refused.status(), 401);
    }
    let audit: Value =
        client.get(format!("{base}/v1/audit")).bearer_auth(token).send().await.unwrap().json().await.unwrap();
    let actions: Vec<&str> = audit["data"].as_array().unwrap().iter().map(|e| e["action"].as_str().unwrap()).collect();
    assert_eq!(actions[0], "key.created");
    let mut provisioning = actions[1..3].to_vec();
    provisioning.sort_unstable();
    assert_eq!(provisioning, ["job.completed", "project.provisioned"], "one transaction, either order");
    assert_eq!(actions[3..], ["project.created", "org.created"]);

    // The in-process publisher sweeps the outbox every second; events of
    // different partitions may come out in different sweeps, so wait for
    // all of them.
    let events = dir.path().join("events.jsonl");
    let wanted = ["user.signedup", "project.created", "job.completed", "key.created"];
    // The bound only stops a hang: the loop ends as soon as all are out.
    let deadline = Instant::now() + Duration::from_secs(120);
    let types = loop {
        let types: Vec<String> = std::fs::read_to_string(&events)
            .unwrap_or_default()
            .lines()
            // A line still being appended does not parse yet.
            .filter_map(|l| serde_json::from_str::<Value>(l).ok()?["type"].as_str().map(str::to_owned))
            .collect();
        if wanted.iter().all(|w| types.iter().any(|t| t == w)) || Instant::now() > deadline {
            break types;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    };
    for wanted in wanted {
        assert!(types.iter().any(|t| t == wanted), "{wanted} published to events.jsonl: {types:?}");
    }

    assert!(dir.path().join("controlplane.db").exists(), "the store lives in the data directory");
    assert!(dir.path().join("jwt-secret").exists(), "the generated secret is kept for the next run");

    let logs = running.stop();
    let requests: Vec<Value> = logs
        .iter()
        .map(|line| serde_json::from_str::<Value>(line).unwrap_or_else(|_| panic!("a JSON log line: {line}")))
        .filter(|entry| entry["target"] == "request")
        .collect();
    let audit_line = requests.iter().find(|r| r["route"] == "/v1/audit").expect("one line for the audit request");
    assert_eq!(audit_line["status"], 200);
    assert_eq!(audit_line["principal"], "alice");
    assert_eq!(audit_line["tenant"], org["id"]);
    assert!(audit_line["request_id"].as_str().unwrap().starts_with("req_"));
    assert!(audit_line["latency_ms"].is_number());
    assert_eq!(requests.iter().filter(|r| r["method"] == "POST").count(), 3, "one line per request");
    let refused: Vec<_> = requests.iter().filter(|r| r["status"] == 401).collect();
    assert_eq!(refused.len(), 2, "refused requests are logged too");
    let key_hash = controlplane::domain::apikey::hash_token(&key_token);
    for (what, planted) in [
        ("the JWT", token),
        ("the API key", key_token.as_str()),
        ("the API key's hash", key_hash.as_str()),
        ("a refused API key", planted_key),
        ("a refused JWT", planted_jwt),
    ] {
        assert!(logs.iter().all(|line| !line.contains(planted)), "{what} never reaches the logs");
    }
    let secret = std::fs::read_to_string(dir.path().join("jwt-secret")).unwrap();
    assert!(logs.iter().all(|line| !line.contains(secret.trim())), "nor does the signing secret");
}

#[test]
fn tokens_are_signed_with_the_configured_secret_when_one_is_set() {
    let dir = tempfile::tempdir().unwrap();
    let secret = "configured-secret-configured-secret";
    let output = local(dir.path())
        .env("CONTROLPLANE_JWT_SECRET", secret)
        .args(["token", "--sub", "bob", "--org", "org_01jh3v5d2k8q9w6x7y8z9a0b1c"])
        .output()
        .unwrap();
    assert!(output.status.success());
    let token = String::from_utf8(output.stdout).unwrap();
    let claims =
        controlplane::edge::auth::jwt::JwtKeys::hs256(secret.as_bytes()).unwrap().verify(token.trim()).unwrap();
    assert_eq!(claims.sub, "bob");
    assert_eq!(claims.org_id.as_deref(), Some("org_01jh3v5d2k8q9w6x7y8z9a0b1c"));
    assert!(!dir.path().join("jwt-secret").exists(), "no secret file when the environment gives one");
}

#[tokio::test]
async fn a_planted_credential_never_reaches_a_response_or_log_through_create_test_and_run() {
    const CANARY: &str = "canary-cred-9d2f41be77c3";
    // The outside service the source reaches: it sees the credential, as it should.
    let seen: std::sync::Arc<std::sync::Mutex<Vec<String>>> = Default::default();
    let record = seen.clone();
    let upstream = axum::Router::new().fallback(move |headers: axum::http::HeaderMap| {
        let record = record.clone();
        async move {
            let auth = headers.get("authorization").and_then(|v| v.to_str().ok()).unwrap_or_default().to_owned();
            record.lock().unwrap().push(auth);
            "ok"
        }
    });
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let upstream_url = format!("http://{}", listener.local_addr().unwrap());
    tokio::spawn(async move { axum::serve(listener, upstream).await });

    let dir = tempfile::tempdir().unwrap();
    let running = Running::start(dir.path(), &[("CONTROLPLANE_WEBHOOKS_ALLOW_LOCAL", "true")]).await;
    let token = mint(dir.path(), "alice");
    let base = running.base.clone();
    let client = reqwest::Client::new();
    let mut bodies = Vec::new();
    let mut call = async |method: reqwest::Method, path: &str, body: Option<Value>| -> Value {
        let mut request = client.request(method, format!("{base}{path}")).bearer_auth(&token);
        if let Some(body) = body {
            request = request.json(&body);
        }
        let text = request.send().await.unwrap().text().await.unwrap();
        bodies.push(text.clone());
        serde_json::from_str(&text).unwrap_or(Value::Null)
    };
    use reqwest::Method;
    call(Method::POST, "/v1/orgs", Some(json!({"name": "Acme"}))).await;
    let project = call(Method::POST, "/v1/projects", Some(json!({"name": "web"}))).await;
    let credential = call(
        Method::POST,
        "/v1/credentials",
        Some(json!({"kind": "token", "name": "repo read", "value": {"token": CANARY}})),
    )
    .await;
    let credential_id = credential["id"].as_str().expect("a credential").to_owned();
    let source = call(
        Method::POST,
        "/v1/sources",
        Some(json!({
            "project_id": project["id"], "kind": "scan.repo", "display_name": "api repo",
            "connector": {"repo_url": format!("{upstream_url}/acme/api.git")}, "credential_ref_id": credential_id,
        })),
    )
    .await;
    let source_id = source["id"].as_str().expect("a source").to_owned();
    let mut results = Vec::new();
    for path in [
        format!("/v1/credentials/{credential_id}/test"),
        format!("/v1/sources/{source_id}/test"),
        format!("/v1/sources/{source_id}/run"),
    ] {
        let job = call(Method::POST, &path, Some(json!({}))).await;
        let job_path = format!("/v1/jobs/{}", job["id"].as_str().expect("a job"));
        let started = Instant::now();
        let done = loop {
            let now = call(Method::GET, &job_path, None).await;
            if now["status"] == "completed" || now["status"] == "failed" {
                break now;
            }
            assert!(started.elapsed() < Duration::from_secs(20), "never finished: {now}");
            tokio::time::sleep(Duration::from_millis(100)).await;
        };
        results.push(done["result"]["outcome"].as_str().unwrap_or("failed").to_owned());
    }
    assert_eq!(results, ["ok", "ok", "warn"], "test credential, test source, run source");
    call(Method::GET, &format!("/v1/credentials/{credential_id}"), None).await;
    call(Method::GET, &format!("/v1/sources/{source_id}"), None).await;
    let evidence = call(Method::GET, &format!("/v1/sources/{source_id}/evidence"), None).await;
    let evidence_id = evidence["data"][0]["id"].as_str().expect("evidence").to_owned();
    call(Method::GET, &format!("/v1/sources/{source_id}/evidence/{evidence_id}"), None).await;
    call(Method::GET, "/v1/audit?limit=200", None).await;
    let refused =
        call(Method::POST, "/v1/credentials", Some(json!({"kind": "token", "name": "x", "value": {"tok": CANARY}})))
            .await;
    assert_eq!(refused["status"], 422);

    assert_eq!(seen.lock().unwrap().as_slice(), [format!("Bearer {CANARY}"), format!("Bearer {CANARY}")]);
    let logs = running.stop();
    assert!(logs.iter().any(|l| l.contains("/v1/sources/{source_id}/run")), "the run request was logged");
    for body in &bodies {
        assert!(!body.contains(CANARY), "a response carried the credential: {body}");
    }
    for line in &logs {
        assert!(!line.contains(CANARY), "a log line carried the credential: {line}");
    }
}

/// `secret` as text at rest would hold it: as it is, and base64-encoded at
/// each alignment (the characters every longer encoding containing it shares).
fn forms_at_rest(secret: &str) -> Vec<String> {
    use base64::Engine;
    let mut forms = vec![secret.to_owned()];
    for engine in [base64::engine::general_purpose::STANDARD, base64::engine::general_purpose::URL_SAFE] {
        for offset in 0..3 {
            let encoded = engine.encode([&vec![0u8; offset][..], secret.as_bytes()].concat());
            forms.push(encoded[if offset == 0 { 0 } else { 4 }..encoded.len() - 4].to_owned());
        }
    }
    forms
}

fn files_under(path: &std::path::Path, into: &mut Vec<(std::path::PathBuf, String)>) {
    for entry in std::fs::read_dir(path).unwrap().flatten() {
        let path = entry.path();
        if path.is_dir() {
            files_under(&path, into);
        } else {
            let text = String::from_utf8_lossy(&std::fs::read(&path).unwrap()).into_owned();
            into.push((path, text));
        }
    }
}

#[tokio::test]
async fn a_secret_revealed_once_rests_nowhere_in_the_data_directory_or_the_logs() {
    let dir = tempfile::tempdir().unwrap();
    let running = Running::start(dir.path(), &[]).await;
    let token = mint(dir.path(), "alice");
    let refresh =
        String::from_utf8(local(dir.path()).args(["token", "--sub", "alice", "--refresh"]).output().unwrap().stdout)
            .unwrap();
    let base = running.base.clone();
    let client = reqwest::Client::new();
    let post = async |path: &str, idempotency_key: Option<&str>, body: Value| -> Value {
        let mut request = client.post(format!("{base}{path}")).bearer_auth(&token).json(&body);
        if let Some(key) = idempotency_key {
            request = request.header("idempotency-key", key);
        }
        request.send().await.unwrap().json().await.unwrap()
    };
    post("/v1/orgs", None, json!({"name": "Acme"})).await;
    let project = post("/v1/projects", None, json!({"name": "web"})).await;
    let key = json!({"project_id": project["id"], "name": "ci", "type": "secret", "scopes": ["projects:read"]});
    let hook = json!({"project_id": project["id"], "url": "https://93.184.216.34/in", "event_types": ["*"]});
    let exchange = json!({"grant_type": "refresh_token", "refresh_token": refresh.trim()});
    let mut revealed = Vec::new();
    for keyed in [false, true, true] {
        let idempotency_key = |route: &'static str| keyed.then_some(route);
        let reveal = post("/v1/keys", idempotency_key("key"), key.clone()).await;
        revealed.extend(reveal["token"].as_str().map(str::to_owned));
        let created = post("/v1/webhooks", idempotency_key("hook"), hook.clone()).await;
        revealed.extend(created["secret"].as_str().map(str::to_owned));
        let rotate = format!("/v1/webhooks/{}/rotate-secret", created["id"].as_str().expect("a webhook: {created}"));
        let rotated = post(&rotate, idempotency_key("rotate"), json!({})).await;
        revealed.extend(rotated["secret"].as_str().map(str::to_owned));
        let access = post("/v1/auth/token", idempotency_key("exchange"), exchange.clone()).await;
        revealed.extend(access["access_token"].as_str().map(str::to_owned));
    }
    assert_eq!(
        revealed.len(),
        9,
        "two of each (replays reveal nothing), and a third access token (an exchange changes nothing, so runs again)"
    );
    let logs = running.stop().join("\n");
    let mut files = Vec::new();
    files_under(dir.path(), &mut files);
    assert!(files.iter().any(|(_, text)| text.contains("IDEMPOTENCY")), "the scan reaches the idempotency records");
    for secret in &revealed {
        for form in forms_at_rest(secret) {
            assert!(!logs.contains(&form), "a revealed secret reached the logs");
            for (path, text) in &files {
                assert!(!text.contains(&form), "a revealed secret rests in {}", path.display());
            }
        }
    }
}

#[tokio::test]
async fn an_allowed_origin_gets_cors_answers_and_any_other_origin_gets_no_cors_header() {
    let dir = tempfile::tempdir().unwrap();
    let console = "https://console.example.com";
    let running = Running::start(dir.path(), &[("CONTROLPLANE_CORS_ORIGINS", console)]).await;
    let token = mint(dir.path(), "carol");
    let base = running.base.clone();
    let client = reqwest::Client::new();
    let preflight = |origin: &'static str| {
        client
            .request(reqwest::Method::OPTIONS, format!("{base}/v1/projects"))
            .header("Origin", origin)
            .header("Access-Control-Request-Method", "POST")
            .header("Access-Control-Request-Headers", "authorization, content-type, idempotency-key, if-match")
            .send()
    };
    let listed = |value: Option<&reqwest::header::HeaderValue>| -> Vec<String> {
        value.unwrap().to_str().unwrap().split(',').map(|s| s.trim().to_ascii_lowercase()).collect()
    };

    // The allowed origin's preflight is answered for the methods and
    // headers a browser client needs, before any authentication.
    let answer = preflight(console).await.unwrap();
    assert!(answer.status().is_success(), "{}", answer.status());
    let headers = answer.headers();
    assert_eq!(headers["access-control-allow-origin"], console);
    let methods = listed(headers.get("access-control-allow-methods"));
    for method in ["get", "post", "put", "patch", "delete"] {
        assert!(methods.contains(&method.to_owned()), "{methods:?}");
    }
    let allowed = listed(headers.get("access-control-allow-headers"));
    for name in ["authorization", "content-type", "idempotency-key", "if-match", "x-org-id"] {
        assert!(allowed.contains(&name.to_owned()), "{allowed:?}");
    }

    // Its requests are answered as usual, with the headers a client reads
    // exposed: authenticated, and unauthenticated (the 401 is readable).
    let orgs =
        client.get(format!("{base}/v1/orgs")).bearer_auth(&token).header("Origin", console).send().await.unwrap();
    assert_eq!(orgs.status(), 200);
    assert_eq!(orgs.headers()["access-control-allow-origin"], console);
    let exposed = listed(orgs.headers().get("access-control-expose-headers"));
    for name in ["etag", "location", "ratelimit", "ratelimit-policy", "retry-after", "x-request-id", "x-api-version"] {
        assert!(exposed.contains(&name.to_owned()), "{exposed:?}");
    }
    let anonymous = client.get(format!("{base}/v1/orgs")).header("Origin", console).send().await.unwrap();
    assert_eq!(anonymous.status(), 401);
    assert_eq!(anonymous.headers()["access-control-allow-origin"], console);

    // Any other origin gets no CORS header at all, and no answered preflight.
    let no_cors =
        |headers: &reqwest::header::HeaderMap| headers.keys().all(|name| !name.as_str().starts_with("access-control-"));
    let refused = preflight("https://evil.example.com").await.unwrap();
    assert!(!refused.status().is_success(), "{}", refused.status());
    assert!(no_cors(refused.headers()), "{:?}", refused.headers());
    let other = client
        .get(format!("{base}/v1/orgs"))
        .bearer_auth(&token)
        .header("Origin", "http://console.example.com")
        .send()
        .await
        .unwrap();
    assert_eq!(other.status(), 200);
    assert!(no_cors(other.headers()), "{:?}", other.headers());
    running.stop();
}

#[tokio::test]
async fn the_reference_page_renders_from_the_server_alone() {
    let dir = tempfile::tempdir().unwrap();
    let running = Running::start(dir.path(), &[]).await;
    let base = running.base.clone();
    let client = reqwest::Client::new();
    let page = client.get(format!("{base}/v1/docs")).send().await.unwrap();
    assert_eq!(page.status(), 200);
    assert_eq!(page.headers()["content-type"], "text/html; charset=utf-8");
    // Its policy lets it run its script from here, and nothing from elsewhere.
    assert_eq!(page.headers()["content-security-policy"], internal::docs::PAGE_POLICY);
    assert!(internal::docs::PAGE_POLICY.contains("script-src 'self';"));
    assert!(!internal::docs::PAGE_POLICY.contains("http") && !internal::docs::PAGE_POLICY.contains('*'));
    let html = page.text().await.unwrap();
    // Offline: the page names nothing outside the server.
    assert!(!html.contains("http://") && !html.contains("https://") && !html.contains("//cdn"), "{html}");
    let attribute = |name: &str| {
        let start = html.find(&format!("{name}=\"")).unwrap_or_else(|| panic!("{name} in {html}")) + name.len() + 2;
        html[start..].split('"').next().unwrap().to_owned()
    };
    // Each asset, resolved against the page's URL as a browser does.
    let page_url = reqwest::Url::parse(&format!("{base}/v1/docs")).unwrap();
    let script = client.get(page_url.join(&attribute("src")).unwrap()).send().await.unwrap();
    assert_eq!(script.status(), 200);
    assert_eq!(script.headers()["content-type"], "text/javascript; charset=utf-8");
    assert_eq!(script.headers()["cache-control"], "public, max-age=86400");
    let bundle = script.bytes().await.unwrap();
    assert_eq!(
        &bundle[..],
        std::fs::read(concat!(env!("CARGO_MANIFEST_DIR"), "/../../functions/internal/assets/redoc.standalone.js"))
            .unwrap()
    );
    let spec = client.get(page_url.join(&attribute("spec-url")).unwrap()).send().await.unwrap();
    assert_eq!(spec.status(), 200);
    let document: Value = spec.json().await.unwrap();
    assert_eq!(document["info"]["title"], "Control plane API");
    running.stop();
}

#[tokio::test]
async fn the_console_is_served_at_the_root_from_its_committed_build_with_its_own_policy() {
    let dir = tempfile::tempdir().unwrap();
    let running = Running::start(dir.path(), &[]).await;
    let base = running.base.clone();
    let client = reqwest::Client::new();
    let page = client.get(format!("{base}/")).send().await.unwrap();
    assert_eq!(page.status(), 200);
    assert_eq!(page.headers()["content-type"], "text/html; charset=utf-8");
    let policy = page.headers()["content-security-policy"].to_str().unwrap().to_owned();
    assert_eq!(
        policy,
        "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; \
         base-uri 'none'; form-action 'self'; frame-ancestors 'none'",
        "its own script and styles, the API on its own origin, nothing inline or from elsewhere"
    );
    let html = page.text().await.unwrap();
    assert!(!html.contains("http://") && !html.contains("https://"), "nothing named outside the server: {html}");
    let dist = concat!(env!("CARGO_MANIFEST_DIR"), "/../../console/dist");
    let page_url = reqwest::Url::parse(&format!("{base}/")).unwrap();
    for (attribute, file, content_type) in
        [("src", "app.js", "text/javascript; charset=utf-8"), ("href", "app.css", "text/css; charset=utf-8")]
    {
        let start =
            html.find(&format!(" {attribute}=\"console/{file}\"")).unwrap_or_else(|| panic!("{file} in {html}"));
        let path = html[start + attribute.len() + 3..].split('"').next().unwrap();
        let asset = client.get(page_url.join(path).unwrap()).send().await.unwrap();
        assert_eq!((asset.status().as_u16(), asset.headers()["content-type"].to_str().unwrap()), (200, content_type));
        assert_eq!(&asset.bytes().await.unwrap()[..], std::fs::read(format!("{dist}/{file}")).unwrap(), "{file}");
    }
    let config: Value = client.get(format!("{base}/console/config.json")).send().await.unwrap().json().await.unwrap();
    assert_eq!(config, json!({"api_base": "", "development_tokens": true, "oidc": null}));
    running.stop();
}

#[tokio::test]
async fn a_deprecated_route_says_so_and_a_pinned_version_the_server_does_not_answer_is_400_after_authentication() {
    let dir = tempfile::tempdir().unwrap();
    let running = Running::start(dir.path(), &[]).await;
    let token = mint(dir.path(), "dora");
    let base = running.base.clone();
    let client = reqwest::Client::new();
    let org: Value = client
        .post(format!("{base}/v1/orgs"))
        .bearer_auth(&token)
        .json(&json!({"name": "Dep"}))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let org_id = org["id"].as_str().unwrap().to_owned();
    let project: Value = client
        .post(format!("{base}/v1/projects"))
        .bearer_auth(&token)
        .header("X-Org-Id", &org_id)
        .json(&json!({"name": "web"}))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let url = format!("{base}/v1/projects/{}", project["id"].as_str().unwrap());

    let update = |method: reqwest::Method, description: &str| {
        client
            .request(method, &url)
            .bearer_auth(&token)
            .header("X-Org-Id", &org_id)
            .json(&json!({ "description": description }))
            .send()
    };

    // The deprecated PUT still works, and says it is deprecated.
    let put = update(reqwest::Method::PUT, "x").await.unwrap();
    assert_eq!(put.status(), 200);
    assert_eq!(put.headers()["deprecation"], "@1796342400");
    assert_eq!(put.headers()["sunset"], "Wed, 30 Jun 2027 00:00:00 GMT");
    let link = put.headers()["link"].to_str().unwrap();
    assert!(link.contains("</v1/docs#operation/projects.replace>") && link.contains("rel=\"deprecation\""), "{link}");
    // Its successor does not.
    let patch = update(reqwest::Method::PATCH, "y").await.unwrap();
    assert_eq!(patch.status(), 200);
    assert!(patch.headers().get("deprecation").is_none() && patch.headers().get("sunset").is_none());
    // The document marks the operation.
    let document: Value = client.get(format!("{base}/v1/openapi.json")).send().await.unwrap().json().await.unwrap();
    assert_eq!(document["paths"]["/v1/projects/{project_id}"]["put"]["deprecated"], true);
    assert!(document["paths"]["/v1/projects/{project_id}"]["patch"].get("deprecated").is_none());

    // A pinned version: the server's own is answered; another is 400 once
    // the caller is authenticated, and 401 before.
    let version = put.headers()["x-api-version"].to_str().unwrap().to_owned();
    let get = |pin: &str| client.get(&url).header("X-Org-Id", &org_id).header("X-API-Version", pin);
    assert_eq!(get(&version).bearer_auth(&token).send().await.unwrap().status(), 200);
    let refused = get("1999-01-01").bearer_auth(&token).send().await.unwrap();
    assert_eq!(refused.status(), 400);
    assert_eq!(refused.headers()["x-api-version"], version.as_str());
    let problem: Value = refused.json().await.unwrap();
    assert_eq!(problem["code"], "unsupported_api_version", "{problem}");
    assert!(problem["detail"].as_str().unwrap().contains(&version), "{problem}");
    assert_eq!(get("1999-01-01").send().await.unwrap().status(), 401);
    running.stop();
}
