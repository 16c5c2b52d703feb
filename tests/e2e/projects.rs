use std::sync::Arc;

use e2e::{Backend, FailingAuditStore, TestApp, fresh_store, send};
use reqwest::Method;
use serde_json::json;

pub async fn projects_are_created_read_updated_and_listed(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let alice = app.user("alice");
    let org = alice.create_org("Acme").await;
    let created = alice.post("/v1/projects", json!({"name": "Web App", "description": "storefront"})).await;
    assert_eq!(created.status, 201);
    let id = created.id();
    assert!(id.starts_with("prj_"));
    assert_eq!(created.header("location"), Some(format!("/v1/projects/{id}").as_str()));
    assert_eq!(created.body["org_id"], org.as_str());
    assert_eq!(created.body["status"], "provisioning");
    assert_eq!(created.body["environment"], "development");
    let path = format!("/v1/projects/{id}");
    let early = alice.put(&path, json!({"status": "archived"})).await;
    assert_eq!((early.status, early.problem_code()), (409, "project_not_provisioned"));
    assert_eq!(app.run_jobs().await, 1);

    let fetched = alice.get(&path).await;
    assert_eq!((fetched.status, fetched.header("etag")), (200, Some("\"2\"")));
    assert_eq!(fetched.body["name"], "Web App");
    assert_eq!(fetched.body["status"], "active");
    assert_eq!(fetched.body["runtime_template_version"], 1);
    let updated = alice.put(&path, json!({"description": "", "status": "archived"})).await;
    assert_eq!(updated.status, 200, "{}", updated.body);
    assert_eq!(updated.body["description"], serde_json::Value::Null);
    assert_eq!(updated.body["status"], "archived");
    assert_eq!(updated.body["name"], "Web App", "absent fields keep their value");
    let renamed = send(alice.request(Method::PATCH, &path).json(&json!({"name": "web-app"}))).await;
    assert_eq!((renamed.status, renamed.body["version"].as_u64()), (200, Some(4)));
    let duplicate = alice.post("/v1/projects", json!({"name": "WEB-APP"})).await;
    assert_eq!((duplicate.status, duplicate.problem_code()), (409, "name_taken"));
    assert_eq!(alice.post("/v1/projects", json!({"name": "Web App"})).await.status, 201, "the old name is free");
    let no_delete = alice.put(&path, json!({"status": "deleted"})).await;
    assert_eq!(no_delete.status, 422);
    assert_eq!(alice.get("/v1/projects/not-an-id").await.status, 404);
}

pub async fn deleted_projects_vanish_and_free_their_name(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let owner = app.user("olivia");
    let org = owner.create_org("Acme").await;
    owner.add_member(&org, "dev", "developer").await;
    let dev = app.user("dev");
    let id = dev.create_project("legacy").await;
    let path = format!("/v1/projects/{id}");
    let stale = send(dev.request(Method::DELETE, &path).header("if-match", "\"5\"")).await;
    assert_eq!(stale.status, 412);
    let deleted = send(dev.request(Method::DELETE, &path).header("if-match", "\"1\"")).await;
    assert_eq!(deleted.status, 204);

    assert_eq!(dev.get(&path).await.status, 404);
    assert_eq!(dev.delete(&path).await.status, 404, "deleting twice is not found");
    assert!(dev.get("/v1/projects").await.data_ids().is_empty());
    let forbidden = dev.get("/v1/projects?include_deleted=true").await;
    assert_eq!(forbidden.status, 403, "only admins see deleted projects");
    let as_admin = owner.get(&format!("{path}?include_deleted=true")).await;
    assert_eq!(as_admin.status, 200);
    assert_eq!(as_admin.body["status"], "deleted");
    assert!(as_admin.body["deleted_at"].is_string());
    assert_eq!(owner.get("/v1/projects?include_deleted=true").await.data_ids(), vec![id.clone()]);
    assert_eq!(owner.get("/v1/projects?status=deleted").await.data_ids(), vec![id]);

    let reused = dev.post("/v1/projects", json!({"name": "legacy"})).await;
    assert_eq!(reused.status, 201, "a deleted project's name can be reused");
}

pub async fn project_lists_filter_and_page_with_bound_cursors(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let alice = app.user("alice");
    alice.create_org("Acme").await;
    let mut ids = Vec::new();
    for name in ["api-gateway", "web", "api-billing", "worker", "api-search"] {
        ids.push(alice.create_project(name).await);
    }
    app.run_jobs().await;
    alice.put(&format!("/v1/projects/{}", ids[3]), json!({"status": "archived"})).await;
    alice.delete(&format!("/v1/projects/{}", ids[1])).await;

    let mut seen = Vec::new();
    let mut next = Some("/v1/projects?limit=2".to_owned());
    while let Some(path) = next {
        let page = alice.get(&path).await;
        assert_eq!(page.status, 200, "{}", page.body);
        assert!(page.data_ids().len() <= 2);
        seen.extend(page.data_ids());
        next = page.body["next_cursor"].as_str().map(|c| format!("/v1/projects?limit=2&cursor={c}"));
    }
    assert_eq!(seen, vec![ids[0].clone(), ids[2].clone(), ids[3].clone(), ids[4].clone()], "oldest first, no deleted");

    let api = alice.get("/v1/projects?name=API&limit=1").await;
    assert_eq!(api.data_ids(), vec![ids[0].clone()]);
    let cursor = api.body["next_cursor"].as_str().unwrap().to_owned();
    let api_rest = alice.get(&format!("/v1/projects?name=API&cursor={cursor}")).await;
    assert_eq!(api_rest.data_ids(), vec![ids[2].clone(), ids[4].clone()]);
    assert_eq!(alice.get("/v1/projects?status=archived").await.data_ids(), vec![ids[3].clone()]);

    let other_filter = alice.get(&format!("/v1/projects?status=archived&cursor={cursor}")).await;
    assert_eq!(other_filter.status, 422, "a cursor is bound to its filters");
    assert_eq!(other_filter.body["errors"][0]["field"], "query.cursor");
    let bob = app.user("bob");
    bob.create_org("Bob's").await;
    assert_eq!(bob.get(&format!("/v1/projects?name=API&cursor={cursor}")).await.status, 422, "and to its tenant");
    let tampered = alice.get(&format!("/v1/projects?name=API&cursor={}x", &cursor[..cursor.len() - 1])).await;
    assert_eq!(tampered.status, 422);
    for bad in ["limit=0", "limit=201", "limit=ten", "status=gone", "colour=red"] {
        let resp = alice.get(&format!("/v1/projects?{bad}")).await;
        assert_eq!(resp.status, 422, "{bad}: {}", resp.body);
        assert!(resp.body["errors"][0]["field"].as_str().unwrap().starts_with("query"), "{bad}: {}", resp.body);
    }
}

pub async fn concurrent_updates_with_the_same_if_match_let_exactly_one_win(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let alice = app.user("alice");
    alice.create_org("Acme").await;
    let id = alice.create_project("contended").await;
    let path = format!("/v1/projects/{id}");
    let attempts = (0..6).map(|i| {
        let request = alice
            .request(Method::PUT, &path)
            .header("if-match", "\"1\"")
            .json(&json!({ "description": format!("writer {i}") }));
        send(request)
    });
    let results = futures_join_all(attempts).await;
    let statuses: Vec<u16> = results.iter().map(|r| r.status).collect();
    assert_eq!(statuses.iter().filter(|s| **s == 200).count(), 1, "{statuses:?}");
    assert!(statuses.iter().all(|s| *s == 200 || *s == 412), "{statuses:?}");
    let winner = results.iter().find(|r| r.status == 200).unwrap();
    let stored = alice.get(&path).await;
    assert_eq!(stored.body["description"], winner.body["description"]);
    assert_eq!(stored.body["version"], 2);
}

async fn futures_join_all<F: std::future::Future<Output = e2e::Resp> + Send + 'static>(
    futures: impl Iterator<Item = F>,
) -> Vec<e2e::Resp> {
    let handles: Vec<_> = futures.map(tokio::spawn).collect();
    let mut out = Vec::new();
    for handle in handles {
        out.push(handle.await.unwrap());
    }
    out
}

pub async fn a_failing_transaction_leaves_neither_the_change_nor_its_audit_record(backend: Backend) {
    let (store, dir) = fresh_store(backend).await;
    let healthy = TestApp::with_store(backend, Arc::clone(&store), Default::default()).await;
    let alice = healthy.user("alice");
    alice.create_org("Acme").await;
    let kept = alice.create_project("kept").await;
    let audit_before = alice.get("/v1/audit").await.data_ids();

    let faulty = TestApp::with_store(backend, Arc::new(FailingAuditStore(store)), dir).await;
    let failing = faulty.user("alice");
    let create = failing.post("/v1/projects", json!({"name": "ghost"})).await;
    assert!(create.status >= 400, "the write must fail: {}", create.body);
    let update = failing.put(&format!("/v1/projects/{kept}"), json!({"name": "renamed"})).await;
    assert!(update.status >= 400);

    let projects = alice.get("/v1/projects").await;
    assert_eq!(projects.data_ids(), vec![kept.clone()], "no project without its audit record");
    assert_eq!(alice.get(&format!("/v1/projects/{kept}")).await.body["name"], "kept");
    assert_eq!(
        alice.post("/v1/projects", json!({"name": "ghost"})).await.status,
        201,
        "the name lock was not kept either"
    );
    let audit_after = alice.get("/v1/audit").await.data_ids();
    assert_eq!(audit_after.len(), audit_before.len() + 1, "only the successful create was audited");
}

pub async fn an_org_and_its_projects_keep_the_region_they_were_created_in(backend: Backend) {
    let (store, dir) = e2e::fresh_store(backend).await;
    let served = controlplane::base::residency::Regions::parse("us,eu").unwrap();
    let app = e2e::TestApp::configured(backend, store, dir, |state| state.with_regions(served)).await;
    let alice = app.user("alice");
    let created = alice.post("/v1/orgs", serde_json::json!({"name": "Acme EU", "region": "eu"})).await;
    assert_eq!((created.status, created.body["region"].as_str()), (201, Some("eu")), "{}", created.body);
    let org = created.id();
    let eu = alice.in_org(&org);
    let inherited = eu.post("/v1/projects", serde_json::json!({"name": "shop"})).await;
    assert_eq!(inherited.body["region"], "eu", "a project is in its org's region unless it names one");
    let named = eu.post("/v1/projects", serde_json::json!({"name": "us-shop", "region": "us"})).await;
    assert_eq!((named.status, named.body["region"].as_str()), (201, Some("us")), "{}", named.body);
    let unserved = eu.post("/v1/projects", serde_json::json!({"name": "ap", "region": "ap"})).await;
    assert_eq!((unserved.status, unserved.body["errors"][0]["field"].as_str()), (422, Some("region")));
    let elsewhere = app.user("bob").post("/v1/orgs", serde_json::json!({"name": "Bob's"})).await;
    assert_eq!(elsewhere.body["region"], "us", "the deployment's default");

    // Fixed at creation: an edit naming it is refused, and it stays.
    let shop = inherited.id();
    let moved = eu.put(&format!("/v1/projects/{shop}"), serde_json::json!({"region": "us"})).await;
    assert_eq!((moved.status, moved.body["errors"][0]["field"].as_str()), (422, Some("region")), "{}", moved.body);
    let renamed = eu.put(&format!("/v1/orgs/{org}"), serde_json::json!({"region": "us"})).await;
    assert_eq!(renamed.status, 422, "{}", renamed.body);
    assert_eq!(eu.get(&format!("/v1/projects/{shop}")).await.body["region"], "eu");
    let audit = eu.get("/v1/audit?action=org.created").await;
    assert_eq!(audit.body["data"][0]["metadata"]["region"], "eu");
}
