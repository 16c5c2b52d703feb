use e2e::{Backend, TestApp};
use serde_json::json;

pub async fn only_owners_manage_members(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let owner = app.user("olivia");
    let org = owner.create_org("Acme").await;
    owner.add_member(&org, "adam", "admin").await;
    let admin = app.user("adam");
    let members = format!("/v1/orgs/{org}/members");
    let add = admin.post(&members, json!({"user_id": "zed", "role": "viewer"})).await;
    assert_eq!((add.status, add.problem_code()), (403, "forbidden"));
    assert_eq!(admin.put(&format!("{members}/olivia"), json!({"role": "viewer"})).await.status, 403);
    assert_eq!(admin.delete(&format!("{members}/olivia")).await.status, 403);
    assert_eq!(admin.get(&members).await.status, 200, "admins still read the member list");

    let promoted = owner.put(&format!("{members}/adam"), json!({"role": "owner"})).await;
    assert_eq!((promoted.status, promoted.body["role"].as_str()), (200, Some("owner")));
    assert_eq!(promoted.header("etag"), Some("\"2\""));
    assert_eq!(admin.post(&members, json!({"user_id": "zed", "role": "viewer"})).await.status, 201);
    let duplicate = admin.post(&members, json!({"user_id": "zed", "role": "admin"})).await;
    assert_eq!((duplicate.status, duplicate.problem_code()), (409, "already_member"));
    let bad_role = owner.post(&members, json!({"user_id": "yan", "role": "superuser"})).await;
    assert_eq!(bad_role.status, 422);
    assert_eq!(bad_role.body["errors"][0]["field"], "role");
    assert_eq!(owner.put(&format!("{members}/nobody"), json!({"role": "viewer"})).await.status, 404);
}

pub async fn members_are_added_by_user_id_or_email(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let owner = app.user("olivia");
    let org = owner.create_org("Acme").await;
    let members = format!("/v1/orgs/{org}/members");
    // Bob signs in once, so his email is known.
    assert_eq!(app.user("bob").get("/v1/orgs").await.status, 200);
    let by_email = owner.post(&members, json!({"email": "BOB@example.com", "role": "developer"})).await;
    assert_eq!(by_email.status, 201, "{}", by_email.body);
    assert_eq!(by_email.body["user_id"], "bob");
    assert_eq!(by_email.header("location"), Some(format!("{members}/bob").as_str()));
    let unknown = owner.post(&members, json!({"email": "ghost@example.com", "role": "viewer"})).await;
    assert_eq!(unknown.status, 422);
    assert_eq!(unknown.body["errors"][0]["field"], "email");
    let both = owner.post(&members, json!({"email": "bob@example.com", "user_id": "bob", "role": "viewer"})).await;
    assert_eq!(both.status, 422);
    let neither = owner.post(&members, json!({"role": "viewer"})).await;
    assert_eq!(neither.status, 422);
    let bad_email = owner.post(&members, json!({"email": "not-an-email", "role": "viewer"})).await;
    assert_eq!(bad_email.body["errors"][0]["field"], "email");
    assert_eq!(app.user("bob").get("/v1/projects").await.status, 200, "bob is in the org now");
}

pub async fn the_last_owner_cannot_be_removed_or_demoted(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let owner = app.user("olivia");
    let org = owner.create_org("Acme").await;
    let me = format!("/v1/orgs/{org}/members/olivia");
    let remove = owner.delete(&me).await;
    assert_eq!((remove.status, remove.problem_code()), (409, "last_owner"));
    let demote = owner.put(&me, json!({"role": "admin"})).await;
    assert_eq!((demote.status, demote.problem_code()), (409, "last_owner"));

    owner.add_member(&org, "second", "owner").await;
    assert_eq!(owner.put(&me, json!({"role": "admin"})).await.status, 200, "another owner exists now");
    let second = app.user("second");
    let last = second.delete(&format!("/v1/orgs/{org}/members/second")).await;
    assert_eq!((last.status, last.problem_code()), (409, "last_owner"));
    assert_eq!(second.delete(&me).await.status, 204);
    let members = second.get(&format!("/v1/orgs/{org}/members")).await;
    assert_eq!(members.body["data"].as_array().unwrap().len(), 1);
}

pub async fn a_removed_member_loses_access_at_once(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let owner = app.user("olivia");
    let org = owner.create_org("Acme").await;
    owner.add_member(&org, "dev", "developer").await;
    let dev = app.user("dev");
    let project = dev.create_project("web").await;
    assert_eq!(owner.delete(&format!("/v1/orgs/{org}/members/dev")).await.status, 204);
    assert_eq!(dev.in_org(&org).get(&format!("/v1/projects/{project}")).await.status, 403);
    assert_eq!(dev.get(&format!("/v1/orgs/{org}")).await.status, 404);
    assert!(dev.get("/v1/orgs").await.data_ids().is_empty());
    assert_eq!(owner.delete(&format!("/v1/orgs/{org}/members/dev")).await.status, 404);
}
