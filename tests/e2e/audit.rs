use e2e::{Backend, TestApp};
use serde_json::json;

pub async fn every_mutation_commits_its_audit_event(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let owner = app.user("olivia");
    let org = owner.create_org("Acme").await;
    owner.put(&format!("/v1/orgs/{org}"), json!({"name": "Acme 2"})).await;
    owner.add_member(&org, "dev", "viewer").await;
    owner.put(&format!("/v1/orgs/{org}/members/dev"), json!({"role": "developer"})).await;
    let project = app.user("dev").create_project("web").await;
    owner.put(&format!("/v1/projects/{project}"), json!({"name": "web2"})).await;
    owner.delete(&format!("/v1/projects/{project}")).await;
    owner.delete(&format!("/v1/orgs/{org}/members/dev")).await;

    let audit = owner.get("/v1/audit").await;
    assert_eq!(audit.status, 200);
    let events = audit.body["data"].as_array().unwrap();
    let actions: Vec<&str> = events.iter().map(|e| e["action"].as_str().unwrap()).collect();
    assert_eq!(
        actions,
        [
            "member.removed",
            "project.deleted",
            "project.updated",
            "project.created",
            "member.updated",
            "member.added",
            "org.updated",
            "org.created"
        ]
    );
    let renamed = &events[2];
    assert_eq!(renamed["metadata"]["changes"]["name"], json!({"from": "web", "to": "web2"}));
    assert_eq!(renamed["target"], json!({"type": "project", "id": project}));
    assert_eq!(renamed["project_id"], project.as_str());
    assert_eq!(renamed["actor"]["id"], "olivia");
    assert_eq!(renamed["actor"]["type"], "user");
    assert_eq!(renamed["org_id"], org.as_str());
    assert!(renamed["request_id"].as_str().unwrap().starts_with("req_"));
    assert_eq!(renamed["ip"], "127.0.0.1", "the socket peer when no proxy forwarded the request");
    assert_eq!(events[3]["actor"]["id"], "dev");
    assert_eq!(events[4]["metadata"]["changes"]["role"], json!({"from": "viewer", "to": "developer"}));
}

pub async fn audit_events_record_the_last_forwarded_hop_not_the_client_supplied_one(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let alice = app.user("alice");
    let request = alice
        .request(reqwest::Method::POST, "/v1/orgs")
        .header("x-forwarded-for", "10.9.9.9, 198.51.100.7")
        .header("user-agent", "audit-test/1.0")
        .json(&json!({"name": "Acme"}));
    assert_eq!(e2e::send(request).await.status, 201);
    let event = &alice.get("/v1/audit").await.body["data"][0];
    assert_eq!(event["ip"], "198.51.100.7");
    assert_eq!(event["user_agent"], "audit-test/1.0");
}

pub async fn audit_events_page_newest_first_and_need_admin(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let owner = app.user("olivia");
    let org = owner.create_org("Acme").await;
    for name in ["a", "b", "c"] {
        owner.create_project(name).await;
    }
    let first = owner.get("/v1/audit?limit=2").await;
    assert_eq!(first.body["data"][0]["metadata"]["name"], "c");
    let cursor = first.body["next_cursor"].as_str().unwrap();
    let second = owner.get(&format!("/v1/audit?limit=2&cursor={cursor}")).await;
    let actions: Vec<&str> =
        second.body["data"].as_array().unwrap().iter().map(|e| e["action"].as_str().unwrap()).collect();
    assert_eq!(actions, ["project.created", "org.created"]);
    assert!(second.body["next_cursor"].is_null());
    owner.add_member(&org, "dev", "developer").await;
    assert_eq!(app.user("dev").get("/v1/audit").await.status, 403);
    // Other orgs' events never show.
    let bob = app.user("bob");
    bob.create_org("Bob's").await;
    assert_eq!(bob.get("/v1/audit").await.body["data"].as_array().unwrap().len(), 1);
}

fn actions(resp: &e2e::Resp) -> Vec<String> {
    resp.body["data"].as_array().unwrap().iter().map(|e| e["action"].as_str().unwrap().to_owned()).collect()
}

pub async fn audit_filters_select_by_actor_action_target_and_time(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let owner = app.user("olivia");
    let org = owner.create_org("Acme").await;
    owner.add_member(&org, "dev", "developer").await;
    let web = app.user("dev").create_project("web").await;
    let api = owner.create_project("api").await;
    owner.put(&format!("/v1/projects/{web}"), json!({"description": "front"})).await;
    let middle = chrono::Utc::now();
    tokio::time::sleep(std::time::Duration::from_millis(20)).await;
    owner.delete(&format!("/v1/projects/{api}")).await;

    assert_eq!(actions(&owner.get("/v1/audit?actor_id=dev").await), ["project.created"]);
    assert_eq!(
        actions(&owner.get("/v1/audit?action=project.").await),
        ["project.deleted", "project.updated", "project.created", "project.created"]
    );
    assert_eq!(
        actions(&owner.get("/v1/audit?action=project.*&actor_id=olivia").await),
        ["project.deleted", "project.updated", "project.created"]
    );
    assert_eq!(actions(&owner.get("/v1/audit?action=project.created").await).len(), 2);
    assert_eq!(
        actions(&owner.get(&format!("/v1/audit?target_id={web}")).await),
        ["project.updated", "project.created"]
    );
    assert_eq!(actions(&owner.get("/v1/audit?target_type=member").await), ["member.added"]);
    let to = middle.to_rfc3339_opts(chrono::SecondsFormat::Millis, true).replace('+', "%2B");
    let before = owner.get(&format!("/v1/audit?to={to}")).await;
    assert_eq!(actions(&before).first().map(String::as_str), Some("project.updated"));
    assert_eq!(actions(&owner.get(&format!("/v1/audit?from={to}&action=project.")).await), ["project.deleted"]);
    // Paging a filtered view keeps the filter; its cursor fits no other filter.
    let first = owner.get("/v1/audit?action=project.&limit=3").await;
    let cursor = first.body["next_cursor"].as_str().unwrap().to_owned();
    let rest = owner.get(&format!("/v1/audit?action=project.&limit=3&cursor={cursor}")).await;
    assert_eq!(actions(&rest), ["project.created"]);
    assert_eq!(owner.get(&format!("/v1/audit?action=member.&cursor={cursor}")).await.status, 422);

    let bad = owner.get("/v1/audit?action=Project&from=yesterday&format=xml").await;
    assert_eq!(bad.status, 422, "{}", bad.body);
    let bad = owner.get("/v1/audit?action=Project&from=yesterday").await;
    let fields: Vec<&str> =
        bad.body["errors"].as_array().unwrap().iter().map(|e| e["field"].as_str().unwrap()).collect();
    assert_eq!(fields, ["query.action", "query.from"]);
    // Another org's events never match, whatever the filter.
    let bob = app.user("bob");
    bob.create_org("Bob's").await;
    assert!(actions(&bob.get(&format!("/v1/audit?target_id={web}")).await).is_empty());
}

pub async fn concurrent_mutations_land_on_one_unbroken_chain_that_verifies(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let owner = app.user("olivia");
    owner.create_org("Acme").await;
    let creates: Vec<_> = (0..8)
        .map(|i| {
            let request = owner.request(reqwest::Method::POST, "/v1/projects").json(&json!({"name": format!("p{i}")}));
            tokio::spawn(async move { e2e::send(request).await.status })
        })
        .collect();
    let mut statuses = Vec::new();
    for create in creates {
        statuses.push(create.await.unwrap());
    }
    assert!(statuses.iter().all(|s| *s == 201), "{statuses:?}");
    let events = owner.get("/v1/audit?limit=200").await;
    let seqs: Vec<u64> = events.body["data"].as_array().unwrap().iter().map(|e| e["seq"].as_u64().unwrap()).collect();
    assert_eq!(seqs, (1..=9).rev().collect::<Vec<u64>>(), "newest first, no gaps, no repeats");
    let verified = owner.get("/v1/audit/verify").await;
    assert_eq!(verified.status, 200, "{}", verified.body);
    assert_eq!(
        (verified.body["ok"].as_bool(), verified.body["checked"].as_u64(), verified.body["head_seq"].as_u64()),
        (Some(true), Some(9), Some(9)),
        "{}",
        verified.body
    );
    // A resumed check goes on where the last one stopped.
    let part = owner.get("/v1/audit/verify?limit=4").await;
    let cursor = part.body["next_cursor"].as_str().unwrap().to_owned();
    let rest = owner.get(&format!("/v1/audit/verify?cursor={cursor}")).await;
    assert_eq!((rest.body["ok"].as_bool(), rest.body["first_seq"].as_u64()), (Some(true), Some(5)), "{}", rest.body);
}

/// Rewrites the stored event with sequence `seq` through `edit`.
async fn tamper(app: &TestApp, org: &str, seq: u64, edit: impl Fn(&mut controlplane::domain::audit::AuditEvent)) {
    use controlplane::domain::audit::AuditEvent;
    let tenant = controlplane::OrgId::parse(org).unwrap();
    let page =
        app.store.query(&AuditEvent::query(&controlplane::testing::tenant_of(&tenant)).limit(200)).await.unwrap();
    let mut item = page.items.into_iter().find(|i| i.data["seq"] == seq).unwrap();
    let mut event: AuditEvent = item.parse().unwrap();
    edit(&mut event);
    item.data = serde_json::to_value(&event).unwrap();
    app.store.transact(vec![controlplane::ports::store::WriteOp::put(item)]).await.unwrap();
}

pub async fn an_edited_audit_event_breaks_verification_at_that_event(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let owner = app.user("olivia");
    let org = owner.create_org("Acme").await;
    for name in ["a", "b", "c", "d"] {
        owner.create_project(name).await;
    }
    assert_eq!(owner.get("/v1/audit/verify").await.body["ok"], true);

    tamper(&app, &org, 3, |e| e.metadata = json!({"name": "not what happened"})).await;
    let broken = owner.get("/v1/audit/verify").await;
    assert_eq!(broken.body["ok"], false, "{}", broken.body);
    assert_eq!(
        (broken.body["break"]["seq"].as_u64(), broken.body["break"]["reason"].as_str()),
        (Some(3), Some("hash_mismatch"))
    );
    let edited_id = broken.body["break"]["event_id"].as_str().unwrap().to_owned();
    assert_eq!(owner.get("/v1/audit?limit=200").await.body["data"][2]["id"], edited_id.as_str());

    // Recomputing the edited event's own hash moves the break to the link after it.
    tamper(&app, &org, 3, |e| e.hash = e.computed_hash()).await;
    let relinked = owner.get("/v1/audit/verify").await;
    assert_eq!(
        (relinked.body["break"]["seq"].as_u64(), relinked.body["break"]["reason"].as_str()),
        (Some(4), Some("broken_link")),
        "{}",
        relinked.body
    );
    // A range that ends before the edit still verifies.
    let events = owner.get("/v1/audit?limit=200").await;
    let second = events.body["data"][3]["created_at"].as_str().unwrap().replace('+', "%2B");
    let early = owner.get(&format!("/v1/audit/verify?to={second}")).await;
    assert_eq!((early.body["ok"].as_bool(), early.body["last_seq"].as_u64()), (Some(true), Some(2)), "{}", early.body);
    // Developers and project keys do not verify the org's chain.
    owner.add_member(&org, "dev", "developer").await;
    assert_eq!(app.user("dev").get("/v1/audit/verify").await.status, 403);
}

pub async fn an_event_cut_from_the_end_of_the_chain_is_reported_missing(backend: Backend) {
    use controlplane::domain::audit::AuditEvent;
    let app = TestApp::spawn(backend).await;
    let owner = app.user("olivia");
    let org = owner.create_org("Acme").await;
    owner.create_project("a").await;
    owner.create_project("b").await;
    let tenant = controlplane::OrgId::parse(&org).unwrap();
    let newest = app
        .store
        .query(&AuditEvent::query(&controlplane::testing::tenant_of(&tenant)).limit(1))
        .await
        .unwrap()
        .items
        .remove(0);
    app.store.transact(vec![controlplane::ports::store::WriteOp::delete(newest.key.clone())]).await.unwrap();
    // Also when the call's limit ends exactly at the last event kept.
    for path in ["/v1/audit/verify", "/v1/audit/verify?limit=2"] {
        let verified = owner.get(path).await;
        assert_eq!(
            (
                verified.body["ok"].as_bool(),
                verified.body["break"]["reason"].as_str(),
                verified.body["break"]["seq"].as_u64()
            ),
            (Some(false), Some("missing_events"), Some(3)),
            "{path}: {}",
            verified.body
        );
    }
}

pub async fn csv_pages_defuse_formulas_and_link_to_the_next_page(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let owner = app.user("olivia");
    let create = owner.request(reqwest::Method::POST, "/v1/orgs").header("user-agent", "=HYPERLINK(\"http://x\")");
    assert_eq!(e2e::send(create.json(&json!({"name": "Acme, \"Inc\""}))).await.status, 201);
    owner.create_project("a").await;
    owner.create_project("b").await;
    let page = owner.get("/v1/audit?format=csv&limit=2").await;
    assert_eq!(page.status, 200);
    assert!(page.header("content-type").unwrap().starts_with("text/csv"));
    let link = page.header("link").unwrap().to_owned();
    assert!(link.starts_with("<?format=csv&limit=2&cursor=") && link.ends_with(">; rel=\"next\""), "{link}");
    let mut reader = csv::Reader::from_reader(page.raw.as_slice());
    assert_eq!(reader.headers().unwrap().get(0), Some("seq"));
    assert_eq!(reader.records().count(), 2);
    let next = &link[2..link.find('>').unwrap()];
    let last = owner.get(&format!("/v1/audit?{next}")).await;
    assert!(last.header("link").is_none());
    let mut reader = csv::Reader::from_reader(last.raw.as_slice());
    let headers = reader.headers().unwrap().clone();
    let row = reader.records().next().unwrap().unwrap();
    let cell = |name: &str| row.get(headers.iter().position(|h| h == name).unwrap()).unwrap().to_owned();
    assert_eq!(cell("action"), "org.created");
    assert_eq!(cell("user_agent"), "'=HYPERLINK(\"http://x\")", "a formula is defused");
    assert_eq!(cell("metadata"), r#"{"name":"Acme, \"Inc\"","region":"us"}"#);
}

/// Appends `n` events to the org's chain straight through the store, 90 to
/// a transaction, every third a `key.` action.
async fn many_events(app: &TestApp, org: &str, n: usize) {
    use controlplane::domain::audit::{AuditEvent, Target, chain};
    let tenant = controlplane::OrgId::parse(org).unwrap();
    let mut made = 0;
    while made < n {
        let batch: Vec<AuditEvent> = (made..n.min(made + 90))
            .map(|i| {
                let action = if i % 3 == 0 { "key.used" } else { "project.touched" };
                let target = Target { kind: "project".into(), id: format!("prj_{i}") };
                AuditEvent::by_system(&tenant, "load", "trace", action, target, json!({ "i": i, "note": "-1, \"x\"" }))
            })
            .collect();
        made += batch.len();
        chain::commit(app.store.as_ref(), Vec::new(), batch).await.unwrap();
    }
}

pub async fn a_csv_export_of_ten_thousand_events_parses_matches_the_query_and_verifies_offline(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let owner = app.user("olivia");
    let org = owner.create_org("Acme").await;
    // The emulator deep-copies every table on each transaction, so 10,000
    // events there take minutes and gigabytes; the DynamoDB run checks the
    // same path at a smaller scale.
    let total: usize = match backend {
        Backend::Sqlite => 10_000,
        Backend::Dynamodb => 600,
    };
    let expected = total - total.div_ceil(3);
    many_events(&app, &org, total).await;

    let started = owner.post("/v1/audit/exports", json!({"action": "project.*"})).await;
    assert_eq!(started.status, 202, "{}", started.body);
    let export = started.id();
    assert_eq!(started.header("location"), Some(format!("/v1/audit/exports/{export}").as_str()));
    let early = owner.get(&format!("/v1/audit/exports/{export}/download")).await;
    assert_eq!((early.status, early.problem_code()), (409, "export_not_ready"));
    app.run_jobs().await;
    let done = owner.get(&format!("/v1/audit/exports/{export}")).await;
    assert_eq!(done.body["status"], "completed", "{}", done.body);
    let url = done.body["download_url"].as_str().unwrap().to_owned();
    let file = if url.starts_with("http") {
        // A presigned S3 URL: no credentials needed.
        reqwest::get(&url).await.unwrap().bytes().await.unwrap().to_vec()
    } else {
        let download = owner.get(&url).await;
        assert!(download.header("repr-digest").unwrap().starts_with("sha-256=:"));
        download.raw
    };
    assert_eq!(done.body["sha256"], controlplane::base::digest::sha256_hex(&file));

    let mut reader = csv::Reader::from_reader(file.as_slice());
    let ids: Vec<String> = reader.records().map(|r| r.unwrap().get(1).unwrap().to_owned()).collect();
    assert_eq!(ids.len(), expected);
    assert_eq!(done.body["rows"], expected);
    let mut listed = Vec::new();
    let mut path = "/v1/audit?action=project.*&limit=200".to_owned();
    loop {
        let page = owner.get(&path).await;
        listed.extend(page.body["data"].as_array().unwrap().iter().map(|e| e["id"].as_str().unwrap().to_owned()));
        match page.body["next_cursor"].as_str() {
            Some(cursor) => path = format!("/v1/audit?action=project.*&limit=200&cursor={cursor}"),
            None => break,
        }
    }
    listed.reverse();
    assert_eq!(ids, listed, "the export holds what the query lists, oldest first");

    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("export.csv");
    std::fs::write(&path, &file).unwrap();
    assert_eq!(offline_verify(&path, &[]), (true, format!("ok: {expected} events verified")));
    let edited = String::from_utf8(file).unwrap().replacen("project.touched", "project.tampered", 1);
    std::fs::write(&path, edited).unwrap();
    let (ok, said) = offline_verify(&path, &[]);
    assert!(!ok && said.contains("does not match its hash"), "{said}");
}

/// Runs the documented offline verifier; (passed, what it said).
fn offline_verify(path: &std::path::Path, args: &[&str]) -> (bool, String) {
    let script = concat!(env!("CARGO_MANIFEST_DIR"), "/../scripts/verify_audit_export.py");
    let out = std::process::Command::new("python3").arg(script).arg(path).args(args).output().unwrap();
    (out.status.success(), String::from_utf8_lossy(&out.stderr).trim().to_owned())
}

pub async fn an_unfiltered_export_reaches_the_head_and_stays_within_its_org(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let owner = app.user("olivia");
    let org = owner.create_org("Acme").await;
    owner.create_project("a").await;
    let started = owner.post("/v1/audit/exports", json!({})).await;
    app.run_jobs().await;
    let done = owner.get(&format!("/v1/audit/exports/{}", started.id())).await;
    let url = done.body["download_url"].as_str().unwrap().to_owned();
    let file = if url.starts_with("http") {
        reqwest::get(&url).await.unwrap().bytes().await.unwrap().to_vec()
    } else {
        owner.get(&url).await.raw
    };
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("export.csv");
    std::fs::write(&path, &file).unwrap();
    let head_seq = done.body["head_seq"].as_u64().unwrap().to_string();
    let head_hash = done.body["head_hash"].as_str().unwrap().to_owned();
    let (ok, said) = offline_verify(&path, &["--head-seq", &head_seq, "--head-hash", &head_hash]);
    assert!(ok, "{said}");
    // org.created, project.created, audit.export_requested and the provisioning job's two.
    assert_eq!(head_seq, "5");

    let bad = owner.post("/v1/audit/exports", json!({"from": "soon", "colour": "red"})).await;
    assert_eq!(bad.status, 422, "{}", bad.body);
    let bob = app.user("bob");
    bob.create_org("Bob's").await;
    assert_eq!(bob.get(&format!("/v1/audit/exports/{}", started.id())).await.status, 404);
    assert_eq!(
        app.user("olivia").in_org(&org).get("/v1/audit/exports/job_01jh3v5d2k8q9w6x7y8z9a0b1c").await.status,
        404
    );
}

pub async fn audit_retention_is_an_org_setting_that_sets_each_events_expiry(backend: Backend) {
    use controlplane::domain::audit::{AuditEvent, chain};
    let app = TestApp::spawn(backend).await;
    let owner = app.user("olivia");
    let org = owner.create_org("Acme").await;
    let refused = owner.put(&format!("/v1/orgs/{org}"), json!({"audit_retention_days": 7})).await;
    assert_eq!((refused.status, refused.body["errors"][0]["field"].as_str()), (422, Some("audit_retention_days")));
    let set = owner.put(&format!("/v1/orgs/{org}"), json!({"audit_retention_days": 30})).await;
    assert_eq!((set.status, set.body["audit_retention_days"].as_u64()), (200, Some(30)), "{}", set.body);
    owner.create_project("a").await;
    let tenant = controlplane::OrgId::parse(&org).unwrap();
    let newest = app
        .store
        .query(&AuditEvent::query(&controlplane::testing::tenant_of(&tenant)).limit(1))
        .await
        .unwrap()
        .items
        .remove(0);
    let expected = chain::expiry(chrono::Utc::now().date_naive(), 30);
    assert_eq!(newest.expires_at, Some(expected));
    let org_created = app
        .store
        .query(&AuditEvent::query(&controlplane::testing::tenant_of(&tenant)).descending(false).limit(1))
        .await
        .unwrap();
    assert_eq!(
        org_created.items[0].expires_at,
        Some(chain::expiry(chrono::Utc::now().date_naive(), chain::DEFAULT_RETENTION_DAYS))
    );
}

/// Eight writers in one org, each changing its own project one change
/// after the other as fast as they are answered: none sees a conflict from
/// the others, whose events go on the same audit chain (its head is
/// retried internally). Prints the rate
/// one org sustained (`--nocapture`); BENCHMARKS.md reports it.
pub async fn eight_concurrent_writers_in_one_org_never_see_a_conflict(backend: Backend) {
    const WRITERS: usize = 8;
    const EACH: usize = 12;
    let app = TestApp::spawn(backend).await;
    let owner = app.user("olivia");
    owner.create_org("Acme").await;
    let mut projects = Vec::new();
    for writer in 0..WRITERS {
        projects.push(owner.create_project(&format!("p{writer}")).await);
    }
    let started = std::time::Instant::now();
    let writers: Vec<_> = (0..WRITERS)
        .map(|writer| {
            let project = &projects[writer];
            let requests: Vec<_> = (0..EACH)
                .map(|n| {
                    let body = json!({"description": format!("writer {writer}, change {n}")});
                    owner.request(reqwest::Method::PUT, &format!("/v1/projects/{project}")).json(&body)
                })
                .collect();
            tokio::spawn(async move {
                let mut statuses = Vec::new();
                for request in requests {
                    statuses.push(e2e::send(request).await.status);
                }
                statuses
            })
        })
        .collect();
    let mut statuses = Vec::new();
    for writer in writers {
        statuses.extend(writer.await.unwrap());
    }
    let elapsed = started.elapsed();
    assert!(statuses.iter().all(|s| *s == 200), "{statuses:?}");
    println!(
        "audit chain, {backend:?}: {} audited mutations by {WRITERS} concurrent writers in one org in {:.2} s: {:.0}/s, no conflict",
        statuses.len(),
        elapsed.as_secs_f64(),
        statuses.len() as f64 / elapsed.as_secs_f64()
    );
    let verified = owner.get("/v1/audit/verify").await;
    assert_eq!(verified.body["ok"], true, "{}", verified.body);
    let events = 1 + WRITERS + WRITERS * EACH;
    assert_eq!(verified.body["head_seq"].as_u64(), Some(events as u64), "{}", verified.body);
}
