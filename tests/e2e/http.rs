use std::sync::Arc;

use e2e::{Backend, TestApp, UnreachableStore, send};
use reqwest::Method;
use serde_json::json;

pub async fn errors_are_problem_json_naming_the_field(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let alice = app.user("alice");
    alice.create_org("Acme").await;

    let unknown = alice.post("/v1/projects", json!({"name": "ok", "colour": "red"})).await;
    assert_eq!((unknown.status, unknown.problem_code()), (422, "validation_failed"));
    assert_eq!(unknown.body["errors"][0]["field"], "colour");
    let missing = alice.post("/v1/projects", json!({})).await;
    assert_eq!(missing.body["errors"][0]["field"], "name");
    let wrong_type = alice.post("/v1/projects", json!({"name": 5})).await;
    assert_eq!((wrong_type.status, wrong_type.body["errors"][0]["field"].as_str()), (422, Some("name")));
    let invalid = alice.post("/v1/projects", json!({"name": "../etc"})).await;
    assert_eq!(invalid.body["errors"][0]["field"], "name");

    let malformed =
        send(alice.request(Method::POST, "/v1/projects").header("content-type", "application/json").body("{\"name\":"))
            .await;
    assert_eq!((malformed.status, malformed.problem_code()), (400, "malformed_json"));
    let not_json =
        send(alice.request(Method::POST, "/v1/projects").header("content-type", "text/plain").body("name=x")).await;
    assert_eq!((not_json.status, not_json.problem_code()), (415, "unsupported_media_type"));
    let no_route = alice.get("/v1/nothing-here").await;
    assert_eq!((no_route.status, no_route.problem_code()), (404, "not_found"));
    assert_eq!(no_route.body["instance"], "/v1/nothing-here");
    let wrong_method = send(alice.request(Method::PATCH, "/v1/orgs")).await;
    assert_eq!((wrong_method.status, wrong_method.problem_code()), (405, "method_not_allowed"));
    let mut allowed: Vec<&str> = wrong_method.header("allow").unwrap_or_default().split(',').collect();
    allowed.sort_unstable();
    assert_eq!(allowed, ["GET", "HEAD", "POST"], "Allow names the methods the route takes");
}

pub async fn fields_over_their_length_limit_are_named(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let alice = app.user("alice");
    alice.create_org("Acme").await;
    let long_description = alice.post("/v1/projects", json!({"name": "d", "description": "x".repeat(1001)})).await;
    assert_eq!(long_description.status, 422);
    assert_eq!(long_description.body["errors"][0]["field"], "description");
    let long_name = alice.post("/v1/projects", json!({"name": "n".repeat(65)})).await;
    assert_eq!(long_name.body["errors"][0]["field"], "name");
}

pub async fn every_response_carries_request_id_and_api_version(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let alice = app.user("alice");
    let echoed = send(alice.request(Method::GET, "/v1/orgs").header("x-request-id", "trace-abc-123")).await;
    assert_eq!(echoed.header("x-request-id"), Some("trace-abc-123"));
    assert_eq!(echoed.header("x-api-version"), Some(controlplane::edge::http::API_VERSION));
    let generated = app.anonymous().get("/v1/orgs").await;
    let id = generated.header("x-request-id").unwrap();
    assert!(id.starts_with("req_"));
    assert_eq!(generated.body["request_id"], id, "the problem names the same request id");
    assert!(generated.header("x-api-version").is_some());
    let health = app.anonymous().get("/internal/health").await;
    assert!(health.header("x-request-id").is_some() && health.header("x-api-version").is_some());
    for resp in [&echoed, &generated, &health] {
        assert_eq!(resp.header("strict-transport-security"), Some("max-age=63072000; includeSubDomains"));
        assert_eq!(resp.header("x-content-type-options"), Some("nosniff"));
        assert_eq!(resp.header("cache-control"), Some("no-store"));
        assert_eq!(resp.header("x-frame-options"), Some("DENY"));
    }
}

pub async fn health_reports_the_store_and_turns_503_when_it_is_unreachable(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let healthy = app.anonymous().get("/internal/health").await;
    assert_eq!(healthy.status, 200);
    assert_eq!(healthy.body["status"], "ok");
    assert_eq!(healthy.body["version"], controlplane::VERSION);
    assert!(healthy.body["uptime_seconds"].is_u64());
    assert_eq!(healthy.body["dependencies"]["store"]["status"], "ok");
    assert!(healthy.body["dependencies"]["store"]["latency_ms"].is_number());

    let broken = TestApp::with_store(Backend::Sqlite, Arc::new(UnreachableStore), Default::default()).await;
    let down = broken.anonymous().get("/internal/health").await;
    assert_eq!(down.status, 503);
    assert_eq!(down.body["dependencies"]["store"]["status"], "unavailable");
    let api = broken.user("alice").get("/v1/projects").await;
    assert_eq!((api.status, api.problem_code()), (503, "service_unavailable"));
    assert!(!api.body["detail"].as_str().unwrap().contains("refused"), "no internals leak");
}

pub async fn the_served_openapi_document_lists_every_route(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let spec = app.anonymous().get("/v1/openapi.json").await;
    assert_eq!(spec.status, 200);
    assert!(spec.body["openapi"].as_str().unwrap().starts_with("3.1"));
    for path in [
        "/v1/orgs",
        "/v1/orgs/{org_id}/members/{user_id}",
        "/v1/projects/{project_id}",
        "/v1/audit",
        "/internal/health",
    ] {
        assert!(spec.body["paths"][path].is_object(), "{path} is documented");
    }
}

pub async fn an_oversized_body_gets_a_413_problem_not_a_reset_connection(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let alice = app.user("alice");
    alice.create_org("Acme").await;
    let padding = "x".repeat(300 * 1024);
    for _ in 0..5 {
        let resp = alice.post("/v1/projects", serde_json::json!({ "name": "big", "description": padding })).await;
        assert_eq!((resp.status, resp.problem_code()), (413, "payload_too_large"), "{}", resp.body);
    }
    let just_over = "y".repeat(64 * 1024);
    let resp = alice.post("/v1/projects", serde_json::json!({ "name": "big", "description": just_over })).await;
    assert_eq!(resp.status, 413);
}

pub async fn names_refuse_controls_bidi_overrides_and_invisible_characters_and_free_text_keeps_newlines(
    backend: Backend,
) {
    let app = TestApp::spawn(backend).await;
    let alice = app.user("alice");
    let org = alice.create_org("Acme").await;
    let project = alice.create_project("web").await;
    let tricky =
        ["adm\u{202e}nimda", "nul\u{0}here", "esc\u{1b}[31mred", "zero\u{200b}width", "\u{feff}bom", "iso\u{2066}late"];
    for text in tricky {
        let cases = [
            ("/v1/orgs", json!({"name": text}), "name"),
            ("/v1/projects", json!({"name": "p", "description": text}), "description"),
            ("/v1/keys", json!({"project_id": project, "name": text, "type": "public", "scopes": ["*"]}), "name"),
            (
                "/v1/webhooks",
                json!({"project_id": project, "url": "https://93.184.216.34/in", "event_types": ["*"], "description": text}),
                "description",
            ),
            ("/v1/credentials", json!({"kind": "token", "name": text, "value": {"token": "t"}}), "name"),
            (
                "/v1/sources",
                json!({"project_id": project, "kind": "ingest.trace_push", "display_name": text}),
                "display_name",
            ),
            (&format!("/v1/orgs/{org}/members"), json!({"user_id": text, "role": "viewer"}), "user_id"),
        ];
        for (path, body, field) in cases {
            let refused = alice.post(path, body).await;
            assert_eq!(refused.status, 422, "{path} {text:?}: {}", refused.body);
            assert_eq!(refused.body["errors"][0]["field"], field, "{path} {text:?}: {}", refused.body);
        }
        let as_sub = alice.with_token(app.token(text)).get("/v1/orgs").await;
        assert_eq!((as_sub.status, as_sub.problem_code()), (401, "invalid_token"), "a token's sub {text:?}");
    }
    let described = alice.post("/v1/projects", json!({"name": "docs", "description": "line one\n\tline two"})).await;
    assert_eq!(described.status, 201, "free text keeps newlines and tabs: {}", described.body);
    let csv = send(alice.request(Method::GET, "/v1/audit?format=csv")).await;
    assert!(!String::from_utf8_lossy(&csv.raw).contains('\u{202e}'), "nothing of the refused reached the log");
}

pub async fn the_local_server_answers_only_for_its_own_host_names(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let port = app.base.rsplit(':').next().unwrap().to_owned();
    for host in ["attacker.example.com", "attacker.example.com:80", &format!("rebound.example:{port}")] {
        for path in ["/internal/health", "/v1/orgs"] {
            let refused = send(app.request(Method::GET, path).header("host", host)).await;
            assert_eq!((refused.status, refused.problem_code()), (421, "host_not_allowed"), "{host} {path}");
            assert!(refused.header("x-request-id").is_some() && refused.header("x-frame-options").is_some());
        }
    }
    // Its own names pass on to the route: here the credential check (not
    // the health check, whose answer depends on how fast the store is).
    for host in [format!("localhost:{port}"), format!("127.0.0.1:{port}"), format!("LOCALHOST:{port}")] {
        let answered = send(app.request(Method::GET, "/v1/orgs").header("host", &host)).await;
        assert_eq!((answered.status, answered.problem_code()), (401, "missing_credentials"), "{host}");
    }
}

pub async fn a_body_where_none_is_expected_is_refused_like_any_bad_body(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let alice = app.user("alice");
    alice.create_org("Acme").await;
    let spec = controlplane_local::openapi();
    let deep = format!("{}{}", "[".repeat(10_000), "]".repeat(10_000));
    let mut checked = 0;
    for (path, item) in &spec.paths.paths {
        if !path.starts_with("/v1/") {
            continue;
        }
        let concrete = path
            .split('/')
            .map(|part| if part.starts_with('{') { "x_01jh3v5d2k8q9w6x7y8z9a0b1c" } else { part })
            .collect::<Vec<_>>()
            .join("/");
        let operations = [
            (Method::POST, &item.post),
            (Method::PUT, &item.put),
            (Method::PATCH, &item.patch),
            (Method::DELETE, &item.delete),
        ];
        for (method, operation) in operations {
            let Some(operation) = operation else { continue };
            let takes_body = operation.request_body.is_some();
            let call = |content_type: &str, body: String| {
                send(alice.request(method.clone(), &concrete).header("content-type", content_type).body(body))
            };
            let plain = call("text/plain", "{\"enabled\": true}".into()).await;
            assert_eq!((plain.status, plain.problem_code()), (415, "unsupported_media_type"), "{method} {path}");
            let nested = call("application/json", deep.clone()).await;
            let refused = [(400, "malformed_json"), (422, "validation_failed")];
            assert!(refused.contains(&(nested.status, nested.problem_code())), "{method} {path}: {}", nested.body);
            if !takes_body {
                let something = call("application/json", "{\"x\": 1}".into()).await;
                assert_eq!(something.status, 422, "{method} {path}: {}", something.body);
                assert_eq!(something.body["errors"][0]["field"], "body", "{method} {path}");
            }
            checked += 1;
        }
    }
    assert!(checked >= 40, "every writing operation: {checked}");
}

pub async fn requests_the_server_cannot_read_get_problem_documents_with_the_standard_headers(backend: Backend) {
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    let app = TestApp::spawn(backend).await;
    let addr = app.base.trim_start_matches("http://").to_owned();
    // Over a bare socket: HTTP clients refuse to send such requests at all.
    let exchange = |request: Vec<u8>| {
        let addr = addr.clone();
        async move {
            let mut socket = tokio::net::TcpStream::connect(&addr).await.unwrap();
            // The server may answer (and close) before it has read everything.
            let _ = socket.write_all(&request).await;
            let mut answer = Vec::new();
            let _ = socket.read_to_end(&mut answer).await;
            String::from_utf8_lossy(&answer).into_owned()
        }
    };
    let host = format!("Host: {addr}\r\n");
    let long_uri = format!("GET /v1/projects?name={} HTTP/1.1\r\n{host}\r\n", "a".repeat(70_000));
    let many: String = (0..150).map(|n| format!("x-filler-{n}: 1\r\n")).collect();
    let many = format!("GET /v1/projects HTTP/1.1\r\n{host}{many}\r\n");
    let large = format!("GET /v1/projects HTTP/1.1\r\n{host}x-filler: {}\r\n\r\n", "b".repeat(500_000));
    let cases = [
        (long_uri, "414", "uri_too_long"),
        (many, "431", "headers_too_large"),
        (large, "431", "headers_too_large"),
        ("NOT HTTP AT ALL\r\n\r\n".to_owned(), "400", "malformed_request"),
    ];
    for (request, status, code) in cases {
        let answer = exchange(request.into_bytes()).await;
        let (head, body) = answer.split_once("\r\n\r\n").unwrap_or_else(|| panic!("an answer: {answer:?}"));
        assert!(head.starts_with(&format!("HTTP/1.1 {status} ")), "{head}");
        let head = head.to_ascii_lowercase();
        for header in
            ["content-type: application/problem+json", "x-request-id: req_", "x-content-type-options: nosniff"]
        {
            assert!(head.contains(header), "{code}: {header} in {head}");
        }
        let problem: serde_json::Value = serde_json::from_str(body).unwrap_or_else(|_| panic!("{body:?}"));
        assert_eq!((problem["code"].as_str(), problem["status"].as_u64()), (Some(code), status.parse().ok()));
    }
    let fine = send(app.request(Method::GET, "/internal/health")).await;
    assert_eq!(fine.status, 200, "the server still serves what it can read");
}
