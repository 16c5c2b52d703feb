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
