use e2e::{Backend, TestApp, User, send};
use reqwest::Method;
use serde_json::{Map, Value, json};

/// The org's roles as the `{name: [permissions]}` map `PUT` takes.
async fn role_map(user: &User<'_>, org: &str) -> Map<String, Value> {
    let roles = user.get(&format!("/v1/orgs/{org}/roles")).await;
    assert_eq!(roles.status, 200, "{}", roles.body);
    roles.body["roles"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| (r["name"].as_str().unwrap().to_owned(), r["permissions"].clone()))
        .collect()
}

async fn put_roles(user: &User<'_>, org: &str, roles: &Map<String, Value>) -> e2e::Resp {
    user.put(&format!("/v1/orgs/{org}/roles"), json!({ "roles": roles })).await
}

pub async fn every_org_starts_with_the_built_in_roles(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let owner = app.user("olivia");
    let org = owner.create_org("Acme").await;
    owner.add_member(&org, "vic", "viewer").await;
    let roles = app.user("vic").get(&format!("/v1/orgs/{org}/roles")).await;
    assert_eq!((roles.status, roles.header("etag")), (200, Some("\"0\"")), "members read the built-in set");
    let names: Vec<&str> =
        roles.body["roles"].as_array().unwrap().iter().map(|r| r["name"].as_str().unwrap()).collect();
    assert_eq!(names, ["admin", "developer", "owner", "viewer"]);
    let owner_role = roles.body["roles"].as_array().unwrap().iter().find(|r| r["name"] == "owner").unwrap();
    assert_eq!(owner_role["editable"], false);
    assert_eq!(owner_role["permissions"].as_array().unwrap().len(), controlplane::base::rbac::Permission::ALL.len());
    let developer = role_map(&owner, &org).await["developer"].clone();
    assert!(developer.as_array().unwrap().contains(&json!("projects:write")));
}

pub async fn a_changed_role_takes_effect_on_the_next_request(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let owner = app.user("olivia");
    let org = owner.create_org("Acme").await;
    owner.add_member(&org, "dev", "developer").await;
    let dev = app.user("dev");
    assert_eq!(dev.post("/v1/projects", json!({"name": "before"})).await.status, 201);

    let mut roles = role_map(&owner, &org).await;
    roles.insert("developer".into(), json!(["org:read", "projects:read"]));
    let edited = put_roles(&owner, &org, &roles).await;
    assert_eq!((edited.status, edited.header("etag")), (200, Some("\"1\"")), "{}", edited.body);
    let refused = dev.post("/v1/projects", json!({"name": "after"})).await;
    assert_eq!((refused.status, refused.problem_code()), (403, "forbidden"));
    assert_eq!(dev.get("/v1/projects").await.status, 200, "reading is still granted");

    roles.insert("developer".into(), json!(["org:read", "projects:read", "projects:write"]));
    assert_eq!(put_roles(&owner, &org, &roles).await.status, 200);
    assert_eq!(dev.post("/v1/projects", json!({"name": "again"})).await.status, 201);

    let audit = owner.get("/v1/audit").await;
    let edit = audit.body["data"].as_array().unwrap().iter().find(|e| e["action"] == "roles.updated").unwrap();
    assert_eq!(edit["metadata"]["changes"]["developer"]["to"], json!(["org:read", "projects:read", "projects:write"]));
    assert!(edit["metadata"]["changes"].get("viewer").is_none(), "unchanged roles are not in the diff");
}

pub async fn custom_roles_are_created_and_assigned(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let owner = app.user("olivia");
    let org = owner.create_org("Acme").await;
    owner.create_project("web").await;
    let mut roles = role_map(&owner, &org).await;
    roles.insert("auditor".into(), json!(["org:read", "audit:read"]));
    assert_eq!(put_roles(&owner, &org, &roles).await.status, 200);
    owner.add_member(&org, "aud", "auditor").await;
    let auditor = app.user("aud");
    assert_eq!(auditor.get("/v1/audit").await.status, 200);
    assert_eq!(auditor.get("/v1/projects").await.status, 403, "auditors were not given projects:read");
    let unknown = owner.post(&format!("/v1/orgs/{org}/members"), json!({"user_id": "zed", "role": "superhero"})).await;
    assert_eq!(unknown.status, 422);
    assert_eq!(unknown.body["errors"][0]["field"], "role");
}

pub async fn role_edits_are_for_owners_and_are_checked(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let owner = app.user("olivia");
    let org = owner.create_org("Acme").await;
    owner.add_member(&org, "adam", "admin").await;
    let roles = role_map(&owner, &org).await;
    assert_eq!(put_roles(&app.user("adam"), &org, &roles).await.status, 403);

    let mut narrowed_owner = roles.clone();
    narrowed_owner.insert("owner".into(), json!(["org:read"]));
    let refused = put_roles(&owner, &org, &narrowed_owner).await;
    assert_eq!(refused.status, 422);
    assert_eq!(refused.body["errors"][0]["field"], "roles");

    let mut without_admin = roles.clone();
    without_admin.remove("admin");
    let in_use = put_roles(&owner, &org, &without_admin).await;
    assert_eq!((in_use.status, in_use.problem_code()), (409, "role_in_use"));

    let mut bad_permission = roles.clone();
    bad_permission.insert("admin".into(), json!(["org:read", "everything:all"]));
    let unknown = put_roles(&owner, &org, &bad_permission).await;
    assert_eq!(unknown.status, 422);
    assert!(unknown.body["errors"][0]["field"].as_str().unwrap().starts_with("roles"), "{}", unknown.body);
    let bad_name = put_roles(&owner, &org, &Map::from_iter([("Bad Name".to_owned(), json!([]))])).await;
    assert_eq!(bad_name.status, 422);

    let stale = send(
        owner
            .request(Method::PUT, &format!("/v1/orgs/{org}/roles"))
            .header("if-match", "\"9\"")
            .json(&json!({"roles": roles})),
    )
    .await;
    assert_eq!(stale.status, 412);
    assert_eq!(role_map(&owner, &org).await, roles, "refused edits changed nothing");
}
