use e2e::{Backend, TestApp, send};
use reqwest::Method;
use serde_json::json;

const PUBLIC_URL: &str = "https://93.184.216.34/hooks/in";

pub async fn webhooks_are_created_with_a_secret_shown_once_and_managed_by_their_project(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let alice = app.user("alice");
    alice.create_org("Acme").await;
    let project = alice.create_project("shop").await;
    let created = alice
        .post(
            "/v1/webhooks",
            json!({"project_id": project, "url": PUBLIC_URL, "event_types": ["project.*", "key.created"]}),
        )
        .await;
    assert_eq!(created.status, 201, "{}", created.body);
    let id = created.id();
    assert!(id.starts_with("wh_"));
    let secret = created.body["secret"].as_str().unwrap().to_owned();
    assert!(secret.starts_with("whsec_"));
    assert_eq!(created.header("location"), Some(format!("/v1/webhooks/{id}").as_str()));
    let path = format!("/v1/webhooks/{id}");
    let fetched = alice.get(&path).await;
    assert_eq!((fetched.status, fetched.body["enabled"].as_bool()), (200, Some(true)));
    assert!(fetched.body.get("secret").is_none(), "the secret is shown once");
    assert_eq!(alice.get(&format!("/v1/webhooks?project_id={project}")).await.data_ids(), [id.as_str()]);

    let rotated = alice.post(&format!("{path}/rotate-secret"), json!({})).await;
    assert_eq!(rotated.status, 200, "{}", rotated.body);
    let new_secret = rotated.body["secret"].as_str().unwrap().to_owned();
    assert!(new_secret.starts_with("whsec_") && new_secret != secret);
    assert!(alice.get(&path).await.body["previous_secret_valid_until"].is_string());

    let disabled = alice.put(&path, json!({"enabled": false})).await;
    assert_eq!((disabled.status, disabled.body["enabled"].as_bool()), (200, Some(false)));
    let audit = alice.get("/v1/audit?limit=200").await;
    let text = audit.body.to_string();
    for action in ["webhook.created", "webhook.secret_rotated", "webhook.updated"] {
        assert!(text.contains(action), "{action} audited");
    }
    assert!(!text.contains(&secret) && !text.contains(&new_secret), "no secret in the audit log");
    assert!(!text.contains("/hooks/in"), "only the host of a URL is audited");

    let bob = app.user("bob");
    bob.create_org("Bob's").await;
    assert_eq!(bob.get(&path).await.status, 404);
    assert_eq!(alice.delete(&path).await.status, 204);
    assert_eq!(alice.get(&path).await.status, 404);
}

pub async fn webhook_urls_must_be_public_https_and_fields_are_checked(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let alice = app.user("alice");
    alice.create_org("Acme").await;
    let project = alice.create_project("shop").await;
    for (url, types) in [
        ("http://93.184.216.34/in", json!(["*"])),
        ("https://127.0.0.1/in", json!(["*"])),
        ("https://169.254.169.254/latest/meta-data", json!(["*"])),
        ("https://10.0.0.5/in", json!(["*"])),
        ("https://[::1]/in", json!(["*"])),
        ("https://user:pass@93.184.216.34/in", json!(["*"])),
        (PUBLIC_URL, json!([])),
        (PUBLIC_URL, json!(["Project.Created"])),
    ] {
        let resp = alice.post("/v1/webhooks", json!({"project_id": project, "url": url, "event_types": types})).await;
        assert_eq!(resp.status, 422, "{url} {types}: {}", resp.body);
        let field = resp.body["errors"][0]["field"].as_str().unwrap_or_default().to_owned();
        assert!(field == "url" || field.starts_with("event_types"), "{url}: {}", resp.body);
    }
    // Subscriptions that could never fire: a typo, a made-up type, a
    // wildcard over nothing. Each is 422 naming the field and the pattern.
    for types in [json!(["project.create"]), json!(["no.such.event"]), json!(["key.created", "nothing.*"])] {
        let resp =
            alice.post("/v1/webhooks", json!({"project_id": project, "url": PUBLIC_URL, "event_types": types})).await;
        assert_eq!(resp.status, 422, "{types}: {}", resp.body);
        assert_eq!(resp.body["errors"][0]["field"], "event_types", "{}", resp.body);
        assert!(resp.body["errors"][0]["message"].as_str().unwrap().contains("see the event catalogue"));
    }
    let created = alice
        .post(
            "/v1/webhooks",
            json!({"project_id": project, "url": PUBLIC_URL, "event_types": ["source.*", "job.failed"]}),
        )
        .await;
    assert_eq!(created.status, 201, "catalogued types and matching wildcards: {}", created.body);
    let path = format!("/v1/webhooks/{}", created.id());
    let typo = alice.put(&path, json!({"event_types": ["job.fail"]})).await;
    assert_eq!((typo.status, &typo.body["errors"][0]["field"]), (422, &json!("event_types")), "updates too");
    let missing = alice
        .post(
            "/v1/webhooks",
            json!({"project_id": "prj_01jbq9m3x5y8z2a4c6e8g0h2k4", "url": PUBLIC_URL, "event_types": ["*"]}),
        )
        .await;
    assert_eq!(missing.status, 404);
}

pub async fn a_key_limited_to_one_webhook_reaches_no_other(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let alice = app.user("alice");
    alice.create_org("Acme").await;
    let project = alice.create_project("shop").await;
    let create = |n: u8| {
        let alice = alice.clone();
        let project = project.clone();
        async move {
            let url = format!("{PUBLIC_URL}/{n}");
            let resp =
                alice.post("/v1/webhooks", json!({"project_id": project, "url": url, "event_types": ["*"]})).await;
            assert_eq!(resp.status, 201, "{}", resp.body);
            resp.id()
        }
    };
    let (listed, other) = (create(1).await, create(2).await);
    let key = alice
        .post(
            "/v1/keys",
            json!({"project_id": project, "name": "ops", "type": "secret", "scopes": ["webhooks:manage"], "resources": [listed]}),
        )
        .await;
    assert_eq!(key.status, 201, "{}", key.body);
    let bot = alice.with_token(key.body["token"].as_str().unwrap().to_owned());
    assert_eq!(bot.get(&format!("/v1/webhooks/{listed}")).await.status, 200);
    let refused = bot.get(&format!("/v1/webhooks/{other}")).await;
    assert_eq!((refused.status, refused.problem_code()), (403, "outside_key_scope"));
    let refused_write = send(bot.request(Method::DELETE, &format!("/v1/webhooks/{other}"))).await;
    assert_eq!(refused_write.status, 403);
    assert_eq!(bot.get("/v1/webhooks").await.data_ids(), [listed]);
}

/// The requests a receiver saw: headers and body.
type Seen = std::sync::Arc<std::sync::Mutex<Vec<(axum::http::HeaderMap, Vec<u8>)>>>;

/// A receiver written from the Standard Webhooks spec's reference library:
/// it records every request and answers with the next status of its plan
/// (then 200).
pub struct Receiver {
    pub url: String,
    seen: Seen,
}

impl Receiver {
    pub async fn start(plan: &[u16]) -> Self {
        use axum::routing::post;
        let seen = std::sync::Arc::new(std::sync::Mutex::new(Vec::new()));
        let plan = std::sync::Arc::new(std::sync::Mutex::new(
            plan.iter().copied().collect::<std::collections::VecDeque<u16>>(),
        ));
        let recorded = seen.clone();
        let app = axum::Router::new().route(
            "/hook",
            post(move |headers: axum::http::HeaderMap, body: axum::body::Bytes| {
                let (recorded, plan) = (recorded.clone(), plan.clone());
                async move {
                    recorded.lock().unwrap().push((headers, body.to_vec()));
                    let status = plan.lock().unwrap().pop_front().unwrap_or(200);
                    (axum::http::StatusCode::from_u16(status).unwrap(), format!("answered {status}"))
                }
            }),
        );
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let url = format!("http://{}/hook", listener.local_addr().unwrap());
        tokio::spawn(async move { axum::serve(listener, app).await });
        Self { url, seen }
    }

    pub fn requests(&self) -> Vec<(axum::http::HeaderMap, Vec<u8>)> {
        self.seen.lock().unwrap().clone()
    }

    /// Every request verifies against `secret`, per the spec.
    fn all_verify_with(&self, secret: &str) -> bool {
        let verifier = standardwebhooks::Webhook::new(secret).unwrap();
        self.requests().iter().all(|(headers, body)| verifier.verify(body, headers).is_ok())
    }
}

async fn local_app(backend: Backend) -> TestApp {
    let (store, dir) = e2e::fresh_store(backend).await;
    TestApp::configured(backend, store, dir, |state| state.with_local_webhooks(true)).await
}

pub async fn webhook_for(user: &e2e::User<'_>, project: &str, url: &str, types: serde_json::Value) -> (String, String) {
    let created = user.post("/v1/webhooks", json!({"project_id": project, "url": url, "event_types": types})).await;
    assert_eq!(created.status, 201, "{}", created.body);
    (created.id(), created.body["secret"].as_str().unwrap().to_owned())
}

pub async fn a_spec_receiver_verifies_every_delivery_including_during_a_secret_rotation(backend: Backend) {
    let app = local_app(backend).await;
    let alice = app.user("alice");
    alice.create_org("Acme").await;
    let project = alice.create_project("shop").await;
    let receiver = Receiver::start(&[]).await;
    let (id, first_secret) = webhook_for(&alice, &project, &receiver.url, json!(["project.*"])).await;
    alice.put(&format!("/v1/projects/{project}"), json!({"description": "v2"})).await;
    app.publish_and_deliver().await;
    let before = receiver.requests();
    let types: Vec<String> = before
        .iter()
        .map(|(_, body)| {
            serde_json::from_slice::<serde_json::Value>(body).unwrap()["type"].as_str().unwrap().to_owned()
        })
        .collect();
    assert!(types.contains(&"project.updated".to_owned()), "{types:?}");
    assert!(!types.iter().any(|t| t.starts_with("job.")), "only the subscribed types: {types:?}");
    assert!(receiver.all_verify_with(&first_secret));
    // The webhook-id is the event's id, the body the event.
    let (headers, body) = &before[0];
    let event: serde_json::Value = serde_json::from_slice(body).unwrap();
    assert_eq!(headers["webhook-id"].to_str().unwrap(), event["id"].as_str().unwrap());

    let rotated = alice.post(&format!("/v1/webhooks/{id}/rotate-secret"), json!({})).await;
    let second_secret = rotated.body["secret"].as_str().unwrap().to_owned();
    alice.put(&format!("/v1/projects/{project}"), json!({"description": "v3"})).await;
    app.publish_and_deliver().await;
    let after = receiver.requests();
    assert!(after.len() > before.len());
    let during = Receiver {
        url: String::new(),
        seen: std::sync::Arc::new(std::sync::Mutex::new(after[before.len()..].to_vec())),
    };
    assert!(during.all_verify_with(&second_secret), "the new secret verifies");
    assert!(during.all_verify_with(&first_secret), "and so does the old one, during the overlap");
    let signatures = after.last().unwrap().0["webhook-signature"].to_str().unwrap().to_owned();
    assert_eq!(signatures.split(' ').count(), 2, "{signatures}");

    let log = alice.get(&format!("/v1/webhooks/{id}/deliveries")).await;
    assert_eq!(log.status, 200, "{}", log.body);
    let deliveries = log.body["data"].as_array().unwrap();
    assert_eq!(deliveries.len(), after.len());
    assert!(deliveries.iter().all(|d| d["status"] == "succeeded" && d["attempts"][0]["response_status"] == 200));
    assert!(deliveries.iter().all(|d| d.get("event").is_none()), "the payload is not listed");

    // Publishing the same events again delivers nothing twice.
    app.publish_and_deliver().await;
    assert_eq!(receiver.requests().len(), after.len());
    // A test event goes through the same path, on request.
    let test = alice.post(&format!("/v1/webhooks/{id}/test"), json!({})).await;
    assert_eq!((test.status, test.body["event_type"].as_str()), (202, Some("webhook.test")), "{}", test.body);
    app.run_jobs().await;
    let last: serde_json::Value = serde_json::from_slice(&receiver.requests().last().unwrap().1).unwrap();
    assert_eq!(last["type"], "webhook.test");
    // And a delivered event can be delivered again.
    let delivery = deliveries[0]["id"].as_str().unwrap();
    let again = alice.post(&format!("/v1/webhooks/{id}/deliveries/{delivery}/redeliver"), json!({})).await;
    assert_eq!(again.status, 202, "{}", again.body);
    app.run_jobs().await;
    let redelivered = receiver.requests().last().unwrap().0["webhook-id"].to_str().unwrap().to_owned();
    assert_eq!(redelivered, deliveries[0]["event_id"].as_str().unwrap());
}

/// The pending `deliver_webhook` job of a webhook's newest delivery.
pub async fn newest_delivery(user: &e2e::User<'_>, webhook: &str) -> serde_json::Value {
    user.get(&format!("/v1/webhooks/{webhook}/deliveries")).await.body["data"][0].clone()
}

fn message_of(delivery: &serde_json::Value) -> String {
    controlplane::domain::job::JobMessage {
        org_id: controlplane::OrgId::parse(delivery["org_id"].as_str().unwrap()).unwrap(),
        job_id: controlplane::base::ids::JobId::parse(delivery["job_id"].as_str().unwrap()).unwrap(),
    }
    .body()
}

/// Handles a delivery job's message `n` times, each as if the clock had
/// reached the retry the previous outcome asked for; returns the outcomes
/// and the clock after them.
async fn attempts(
    app: &TestApp,
    body: &str,
    n: usize,
) -> (Vec<controlplane::domain::worker::Outcome>, chrono::DateTime<chrono::Utc>) {
    let mut clock = chrono::Utc::now();
    let mut outcomes = Vec::new();
    for _ in 0..n {
        let outcome = app.worker().handle_at(body, clock).await;
        if let controlplane::domain::worker::Outcome::RetryIn(delay) = &outcome {
            clock += chrono::TimeDelta::from_std(*delay).unwrap() + chrono::TimeDelta::seconds(1);
        }
        outcomes.push(outcome);
    }
    (outcomes, clock)
}

pub async fn a_receiver_failing_three_times_gets_the_event_once_with_every_retry_logged(backend: Backend) {
    use controlplane::domain::worker::Outcome;
    let app = local_app(backend).await;
    let alice = app.user("alice");
    alice.create_org("Acme").await;
    let project = alice.create_project("shop").await;
    let receiver = Receiver::start(&[500, 502, 503]).await;
    let (id, secret) = webhook_for(&alice, &project, &receiver.url, json!(["key.created"])).await;
    alice
        .post("/v1/keys", json!({"project_id": project, "name": "ci", "type": "secret", "scopes": ["projects:read"]}))
        .await;
    app.publisher.sweep(std::time::Duration::ZERO, chrono::Utc::now()).await.unwrap();
    let body = message_of(&newest_delivery(&alice, &id).await);
    let (outcomes, clock) = attempts(&app, &body, 4).await;
    assert!(matches!(outcomes[..3], [Outcome::RetryIn(_), Outcome::RetryIn(_), Outcome::RetryIn(_)]), "{outcomes:?}");
    assert_eq!(outcomes[3], Outcome::Ack);
    // The delays follow the schedule: 5 s, 5 min, 30 min, each within ±10 %.
    let delays: Vec<u64> = outcomes[..3]
        .iter()
        .map(|o| match o {
            Outcome::RetryIn(d) => d.as_secs(),
            _ => 0,
        })
        .collect();
    for (delay, nominal) in delays.iter().zip([5u64, 300, 1800]) {
        assert!((nominal * 9 / 10..=nominal * 11 / 10 + 1).contains(delay), "{delays:?}");
    }
    // Delivered again after success: nothing more is sent.
    assert_eq!(app.worker().handle_at(&body, clock).await, Outcome::Ack);
    let requests = receiver.requests();
    assert_eq!(requests.len(), 4);
    assert!(receiver.all_verify_with(&secret));
    let ids: std::collections::BTreeSet<&str> =
        requests.iter().map(|(h, _)| h["webhook-id"].to_str().unwrap()).collect();
    assert_eq!(ids.len(), 1, "one event, retried under one id");

    let delivery = newest_delivery(&alice, &id).await;
    assert_eq!(delivery["status"], "succeeded", "{delivery}");
    let statuses: Vec<u64> =
        delivery["attempts"].as_array().unwrap().iter().map(|a| a["response_status"].as_u64().unwrap()).collect();
    assert_eq!(statuses, [500, 502, 503, 200]);
    assert_eq!(delivery["attempts"][0]["response_excerpt"], "answered 500");
    assert!(delivery["next_retry_at"].is_null());
    let audit = alice.get("/v1/audit?action=job.").await;
    assert!(audit.body["data"].as_array().unwrap().iter().all(|e| e["metadata"]["type"] != "deliver_webhook"));
}

pub async fn a_410_disables_the_endpoint_and_sustained_failure_does_too(backend: Backend) {
    use controlplane::domain::worker::Outcome;
    let app = local_app(backend).await;
    let alice = app.user("alice");
    alice.create_org("Acme").await;
    let project = alice.create_project("shop").await;
    let gone = Receiver::start(&[410]).await;
    let (gone_id, _) = webhook_for(&alice, &project, &gone.url, json!(["key.*"])).await;
    let failing = Receiver::start(&[500; 8]).await;
    let (failing_id, _) = webhook_for(&alice, &project, &failing.url, json!(["key.*"])).await;
    alice
        .post("/v1/keys", json!({"project_id": project, "name": "ci", "type": "secret", "scopes": ["projects:read"]}))
        .await;
    app.publisher.sweep(std::time::Duration::ZERO, chrono::Utc::now()).await.unwrap();

    let body = message_of(&newest_delivery(&alice, &gone_id).await);
    assert_eq!(app.worker().handle_at(&body, chrono::Utc::now()).await, Outcome::DeadLetter);
    let webhook = alice.get(&format!("/v1/webhooks/{gone_id}")).await;
    assert_eq!(webhook.body["enabled"], false);
    assert!(webhook.body["disabled_reason"].as_str().unwrap().contains("410"));
    assert_eq!(newest_delivery(&alice, &gone_id).await["status"], "failed");

    let body = message_of(&newest_delivery(&alice, &failing_id).await);
    let (outcomes, _) = attempts(&app, &body, 8).await;
    assert_eq!(outcomes.last(), Some(&Outcome::DeadLetter));
    assert_eq!(failing.requests().len(), 8, "the whole schedule");
    let webhook = alice.get(&format!("/v1/webhooks/{failing_id}")).await;
    assert_eq!(webhook.body["enabled"], false, "{}", webhook.body);
    assert_eq!(newest_delivery(&alice, &failing_id).await["status"], "failed");
    let disabled = alice.get("/v1/audit?action=webhook.disabled").await;
    let targets: std::collections::BTreeSet<&str> =
        disabled.body["data"].as_array().unwrap().iter().map(|e| e["target"]["id"].as_str().unwrap()).collect();
    assert_eq!(targets, [gone_id.as_str(), failing_id.as_str()].into_iter().collect());

    // Disabled endpoints get nothing new.
    alice
        .post("/v1/keys", json!({"project_id": project, "name": "ci2", "type": "secret", "scopes": ["projects:read"]}))
        .await;
    app.publish_and_deliver().await;
    assert_eq!((gone.requests().len(), failing.requests().len()), (1, 8));
}

pub async fn a_delivery_to_a_loopback_or_metadata_address_is_refused_without_the_local_flag(backend: Backend) {
    let app = local_app(backend).await;
    let alice = app.user("alice");
    alice.create_org("Acme").await;
    let project = alice.create_project("shop").await;
    let receiver = Receiver::start(&[]).await;
    let (id, _) = webhook_for(&alice, &project, &receiver.url, json!(["*"])).await;
    let test = alice.post(&format!("/v1/webhooks/{id}/test"), json!({})).await;
    assert_eq!(test.status, 202);
    // A delivery worker as deployed: the local-development flag off.
    let strict = controlplane::domain::worker::Worker::new(
        app.store.clone(),
        app.queue.clone(),
        controlplane::domain::worker::handlers::with_deliveries(
            controlplane::domain::worker::Handlers::default(),
            app.secrets.clone(),
            controlplane::domain::webhooks::target::Allowances { local_development: false },
        ),
    );
    while strict.poll(10).await.unwrap() > 0 {}
    assert!(receiver.requests().is_empty(), "never connected");
    let delivery = newest_delivery(&alice, &id).await;
    let error = delivery["attempts"][0]["error"].as_str().unwrap();
    assert!(error.starts_with("address refused"), "{error}");
    // And at creation, without the flag, both kinds of address are refused.
    let strict_app = TestApp::spawn(backend).await;
    let bob = strict_app.user("bob");
    bob.create_org("Bob's").await;
    let bobs = bob.create_project("p").await;
    for url in ["https://127.0.0.1/hook", "https://169.254.169.254/latest/meta-data"] {
        let refused = bob.post("/v1/webhooks", json!({"project_id": bobs, "url": url, "event_types": ["*"]})).await;
        assert_eq!(refused.status, 422, "{url}: {}", refused.body);
    }
}

pub async fn a_delivery_past_its_deadline_is_failed_in_its_log_without_disabling_the_endpoint(backend: Backend) {
    let app = local_app(backend).await;
    let alice = app.user("alice");
    alice.create_org("Acme").await;
    let project = alice.create_project("shop").await;
    let receiver = Receiver::start(&[]).await;
    let (id, _) = webhook_for(&alice, &project, &receiver.url, json!(["*"])).await;
    assert_eq!(alice.post(&format!("/v1/webhooks/{id}/test"), json!({})).await.status, 202);
    // The delivery function is down for days; the reconciler (the general
    // worker, without the delivery handler) fails the job at its deadline.
    let general = controlplane::domain::worker::Worker::new(
        app.store.clone(),
        app.queue.clone(),
        controlplane::domain::worker::handlers::handlers(app.orchestrator.clone(), app.blobs.clone()),
    );
    let report = general.reconcile(chrono::Utc::now() + chrono::TimeDelta::days(3)).await.unwrap();
    assert!(report.expired >= 1, "{report:?}");
    let delivery = newest_delivery(&alice, &id).await;
    assert_eq!((delivery["status"].as_str(), delivery["next_retry_at"].as_str()), (Some("failed"), None), "{delivery}");
    assert_eq!(alice.get(&format!("/v1/webhooks/{id}")).await.body["enabled"], true, "not the endpoint's fault");
    assert!(receiver.requests().is_empty());
}

/// An org of `alice` whose webhook's first delivery failed once (503) and
/// waits for its retry: the org, the webhook and the delivery.
async fn a_delivery_waiting_for_its_retry(app: &TestApp, alice: &e2e::User<'_>) -> (String, String, serde_json::Value) {
    use controlplane::domain::worker::Outcome;
    let org = alice.create_org("Acme").await;
    let project = alice.create_project("shop").await;
    let receiver = Receiver::start(&[503]).await;
    let (id, _) = webhook_for(alice, &project, &receiver.url, json!(["key.created"])).await;
    alice
        .post("/v1/keys", json!({"project_id": project, "name": "ci", "type": "secret", "scopes": ["projects:read"]}))
        .await;
    app.publisher.sweep(std::time::Duration::ZERO, chrono::Utc::now()).await.unwrap();
    let delivery = newest_delivery(alice, &id).await;
    let (outcomes, _) = attempts(app, &message_of(&delivery), 1).await;
    assert!(matches!(outcomes[..], [Outcome::RetryIn(_)]), "{outcomes:?}");
    (org, id, delivery)
}

pub async fn cancelling_a_deliverys_job_fails_the_delivery_which_can_then_be_redelivered(backend: Backend) {
    use controlplane::domain::worker::Outcome;
    let app = local_app(backend).await;
    let alice = app.user("alice");
    let (_, id, delivery) = a_delivery_waiting_for_its_retry(&app, &alice).await;
    let waiting = newest_delivery(&alice, &id).await;
    assert_eq!((waiting["status"].as_str(), waiting["next_retry_at"].is_string()), (Some("pending"), true));

    let path = format!("/v1/webhooks/{id}/deliveries/{}/redeliver", delivery["id"].as_str().unwrap());
    let early = alice.post(&path, json!({})).await;
    assert_eq!((early.status, early.problem_code()), (409, "delivery_pending"), "its job will try again");
    let job = delivery["job_id"].as_str().unwrap();
    let cancelled = alice.delete(&format!("/v1/jobs/{job}")).await;
    assert_eq!((cancelled.status, cancelled.body["status"].as_str()), (200, Some("cancelled")), "{}", cancelled.body);
    let failed = newest_delivery(&alice, &id).await;
    assert_eq!((failed["status"].as_str(), &failed["next_retry_at"]), (Some("failed"), &json!(null)), "{failed}");
    assert_eq!(failed["attempts"].as_array().unwrap().len(), 1, "its log is kept");

    let redelivered = alice.post(&path, json!({})).await;
    assert_eq!(redelivered.status, 202, "{}", redelivered.body);
    let again = newest_delivery(&alice, &id).await;
    assert_eq!(again["status"], "pending");
    assert_ne!(again["job_id"], delivery["job_id"], "a new job attempts it");
    assert_eq!(app.worker().handle_at(&message_of(&again), chrono::Utc::now()).await, Outcome::Ack);
    assert_eq!(newest_delivery(&alice, &id).await["status"], "succeeded");
}

pub async fn a_delivery_left_pending_by_a_cancelled_job_can_be_redelivered(backend: Backend) {
    use controlplane::domain::job::{Job, JobStatus};
    use controlplane::ports::store::{Condition, WriteOp};
    let app = local_app(backend).await;
    let alice = app.user("alice");
    let (org, id, delivery) = a_delivery_waiting_for_its_retry(&app, &alice).await;
    // The job cancelled as a server did before cancelling failed the
    // delivery: the delivery is left pending.
    let key = Job::key(
        &controlplane::testing::tenant_of(&controlplane::OrgId::parse(&org).unwrap()),
        &controlplane::base::ids::JobId::parse(delivery["job_id"].as_str().unwrap()).unwrap(),
    );
    let job: Job = app.store.batch_get(std::slice::from_ref(&key)).await.unwrap()[0].clone().unwrap().parse().unwrap();
    let cancelled = job.cancelled(chrono::Utc::now());
    assert_eq!(cancelled.status, JobStatus::Cancelled);
    app.store
        .transact(vec![WriteOp::put_if(cancelled.item().unwrap(), Condition::VersionEquals(job.version))])
        .await
        .unwrap();
    assert_eq!(newest_delivery(&alice, &id).await["status"], "pending");

    let path = format!("/v1/webhooks/{id}/deliveries/{}/redeliver", delivery["id"].as_str().unwrap());
    let redelivered = alice.post(&path, json!({})).await;
    assert_eq!(redelivered.status, 202, "{}", redelivered.body);
    assert_ne!(redelivered.body["job_id"], delivery["job_id"]);
}
