use controlplane::ports::store::{Partition, Query, SortKey};
use e2e::{Backend, TestApp, User, send};
use reqwest::Method;
use serde_json::{Value, json};

async fn create_key(owner: &User<'_>, project: &str, key_type: &str, scopes: Value) -> Value {
    let created = owner
        .post(
            "/v1/keys",
            json!({"project_id": project, "name": format!("{key_type} key"), "type": key_type, "scopes": scopes}),
        )
        .await;
    assert_eq!(created.status, 201, "{}", created.body);
    created.body
}

fn as_key<'a>(app: &'a TestApp, key: &Value) -> User<'a> {
    User { app, token: Some(key["token"].as_str().unwrap().to_owned()), org: None }
}

pub async fn a_key_is_shown_once_and_stored_only_as_a_hash(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let owner = app.user("olivia");
    let org = owner.create_org("Acme").await;
    let project = owner.create_project("web").await;
    let key = create_key(&owner, &project, "secret", json!(["projects:read"])).await;
    let token = key["token"].as_str().unwrap();
    assert!(token.starts_with("sk_live_") && token.len() >= "sk_live_".len() + 43);
    assert_eq!(key["prefix"], "sk_live_");
    assert_eq!(key["last4"], &token[token.len() - 4..]);
    let id = key["id"].as_str().unwrap();

    let fetched = owner.get(&format!("/v1/keys/{id}")).await;
    assert_eq!(fetched.status, 200);
    assert!(fetched.body.get("token").is_none() && fetched.body.get("hashes").is_none(), "{}", fetched.body);
    let listed = owner.get(&format!("/v1/keys?project_id={project}")).await;
    assert_eq!(listed.data_ids(), vec![id.to_owned()]);
    assert!(!String::from_utf8_lossy(&listed.raw).contains(token));

    let org_id = controlplane::OrgId::parse(&org).unwrap();
    let stored = app
        .store
        .query(&Query::new(Partition::tenant(&controlplane::testing::tenant_of(&org_id)), SortKey::Any).limit(100))
        .await
        .unwrap();
    let everything = serde_json::to_string(&stored.items.iter().map(|i| &i.data).collect::<Vec<_>>()).unwrap();
    assert!(!everything.contains(token), "the token itself is never stored");
    let audit = owner.get("/v1/audit").await;
    assert!(!String::from_utf8_lossy(&audit.raw).contains(token), "nor audited");
    assert_eq!(audit.body["data"][0]["action"], "key.created");
    assert_eq!(app.user("nobody").get(&format!("/v1/keys/{id}")).await.status, 400, "strangers have no org");
}

pub async fn a_secret_key_works_inside_its_project_only(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let owner = app.user("olivia");
    let org = owner.create_org("Acme").await;
    let mine = owner.create_project("mine").await;
    let other = owner.create_project("other").await;
    let key = create_key(&owner, &mine, "secret", json!(["projects:read", "projects:write"])).await;
    let bot = as_key(&app, &key);

    assert_eq!(bot.get(&format!("/v1/projects/{mine}")).await.status, 200);
    let outside = bot.get(&format!("/v1/projects/{other}")).await;
    assert_eq!((outside.status, outside.problem_code()), (403, "outside_key_scope"));
    assert_eq!(bot.get("/v1/projects").await.data_ids(), vec![mine.clone()]);
    let renamed = bot.put(&format!("/v1/projects/{mine}"), json!({"description": "by the bot"})).await;
    assert_eq!(renamed.status, 200, "{}", renamed.body);
    assert_eq!(bot.post("/v1/projects", json!({"name": "new"})).await.status, 403);
    assert_eq!(bot.get(&format!("/v1/orgs/{org}")).await.status, 403, "no org:read scope");
    assert_eq!(bot.get("/v1/orgs").await.status, 403, "keys have no org list");
    let minted =
        bot.post("/v1/keys", json!({"project_id": mine, "name": "n", "type": "secret", "scopes": ["*"]})).await;
    assert_eq!(minted.status, 403, "keys do not manage keys");

    let via_header = send(
        app.request(Method::GET, &format!("/v1/projects/{mine}")).header("x-api-key", key["token"].as_str().unwrap()),
    )
    .await;
    assert_eq!(via_header.status, 200, "X-API-Key works as well");
    let event = &owner.get("/v1/audit?action=project.updated").await.body["data"][0];
    assert_eq!(event["action"], "project.updated");
    assert_eq!(event["actor"], json!({"type": "key", "id": key["id"], "name": "secret key"}));
}

pub async fn public_and_mcp_keys_stay_within_their_type(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let owner = app.user("olivia");
    owner.create_org("Acme").await;
    let project = owner.create_project("web").await;
    let refused = owner
        .post("/v1/keys", json!({"project_id": project, "name": "p", "type": "public", "scopes": ["projects:write"]}))
        .await;
    assert_eq!(refused.status, 422);
    assert_eq!(refused.body["errors"][0]["field"], "scopes");

    let public = create_key(&owner, &project, "public", json!(["*"])).await;
    assert!(public["token"].as_str().unwrap().starts_with("pk_live_"));
    let reader = as_key(&app, &public);
    assert_eq!(reader.get(&format!("/v1/projects/{project}")).await.status, 200);
    let write = reader.put(&format!("/v1/projects/{project}"), json!({"description": "x"})).await;
    assert_eq!((write.status, write.problem_code()), (403, "forbidden"), "a public key cannot write");

    let mcp = create_key(&owner, &project, "mcp", json!(["mcp:tool:search"])).await;
    assert!(mcp["token"].as_str().unwrap().starts_with("mcp_live_"));
    assert_eq!(
        as_key(&app, &mcp).get(&format!("/v1/projects/{project}")).await.status,
        403,
        "mcp keys have no REST scopes"
    );
    let unknown = owner
        .post("/v1/keys", json!({"project_id": project, "name": "m", "type": "mcp", "scopes": ["projects:read"]}))
        .await;
    assert_eq!(unknown.status, 422);
}

pub async fn refused_keys_get_401_with_the_reason(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let owner = app.user("olivia");
    owner.create_org("Acme").await;
    let project = owner.create_project("web").await;
    let path = format!("/v1/projects/{project}");

    let key = create_key(&owner, &project, "secret", json!(["projects:read"])).await;
    let id = key["id"].as_str().unwrap();
    let bot = as_key(&app, &key);
    assert_eq!(bot.get(&path).await.status, 200);
    let disabled = send(owner.request(Method::PATCH, &format!("/v1/keys/{id}")).json(&json!({"enabled": false}))).await;
    assert_eq!(disabled.body["enabled"], false);
    let off = bot.get(&path).await;
    assert_eq!((off.status, off.problem_code()), (401, "key_disabled"));
    send(owner.request(Method::PATCH, &format!("/v1/keys/{id}")).json(&json!({"enabled": true}))).await;
    assert_eq!(bot.get(&path).await.status, 200, "enabled again");
    assert!(owner.delete(&format!("/v1/keys/{id}/revoke")).await.body["revoked_at"].is_string());
    let revoked = bot.get(&path).await;
    assert_eq!((revoked.status, revoked.problem_code()), (401, "key_revoked"), "on the very next request");
    assert_eq!(owner.delete(&format!("/v1/keys/{id}")).await.status, 204);
    let deleted = bot.get(&path).await;
    assert_eq!((deleted.status, deleted.problem_code()), (401, "invalid_key"));
    let forged = as_key(&app, &json!({"token": "sk_live_0000000000000000000000000000000000000000000"}));
    assert_eq!(forged.get(&path).await.problem_code(), "invalid_key");

    let asked_at = std::time::Instant::now();
    let soon = (chrono_now() + chrono_seconds(2)).to_rfc3339();
    let expiring = owner
        .post("/v1/keys", json!({"project_id": project, "name": "short", "type": "secret", "scopes": ["projects:read"], "expires_at": soon}))
        .await;
    assert_eq!(expiring.status, 201, "{}", expiring.body);
    let short = as_key(&app, &expiring.body);
    let before_expiry = short.get(&path).await.status;
    if asked_at.elapsed() < std::time::Duration::from_secs(2) {
        assert_eq!(before_expiry, 200, "works until it expires");
    }
    tokio::time::sleep(std::time::Duration::from_millis(2_200).saturating_sub(asked_at.elapsed())).await;
    let expired = short.get(&path).await;
    assert_eq!((expired.status, expired.problem_code()), (401, "key_expired"));
    let past = owner
        .post("/v1/keys", json!({"project_id": project, "name": "past", "type": "secret", "scopes": ["projects:read"], "expires_at": "2020-01-01T00:00:00Z"}))
        .await;
    assert_eq!(past.body["errors"][0]["field"], "expires_at");
}

fn chrono_now() -> chrono::DateTime<chrono::Utc> {
    chrono::Utc::now()
}

fn chrono_seconds(n: i64) -> chrono::TimeDelta {
    chrono::TimeDelta::seconds(n)
}

pub async fn a_key_of_org_a_naming_org_b_is_refused_and_audited(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let (alice, bob) = (app.user("alice"), app.user("bob"));
    alice.create_org("A").await;
    let project = alice.create_project("web").await;
    let org_b = bob.create_org("B").await;
    let key = create_key(&alice, &project, "secret", json!(["projects:read"])).await;
    let refused = as_key(&app, &key).in_org(&org_b).get("/v1/projects").await;
    assert_eq!((refused.status, refused.problem_code()), (403, "cross_tenant_denied"));
    let denied = &alice.get("/v1/audit").await.body["data"][0];
    assert_eq!(denied["action"], "access.denied");
    assert_eq!(denied["actor"]["type"], "key");
    assert_eq!(denied["target"]["id"], org_b.as_str());
}

pub async fn only_members_who_manage_keys_see_them(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let owner = app.user("olivia");
    let org = owner.create_org("Acme").await;
    let project = owner.create_project("web").await;
    create_key(&owner, &project, "secret", json!(["projects:read"])).await;
    owner.add_member(&org, "vic", "viewer").await;
    owner.add_member(&org, "dev", "developer").await;
    assert_eq!(app.user("vic").get("/v1/keys").await.status, 403);
    assert_eq!(app.user("dev").get("/v1/keys").await.data_ids().len(), 1, "developers hold keys:manage");
}

pub async fn a_rotated_token_works_in_its_grace_and_fails_after(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let owner = app.user("olivia");
    owner.create_org("Acme").await;
    let project = owner.create_project("web").await;
    let path = format!("/v1/projects/{project}");
    let first = create_key(&owner, &project, "secret", json!(["projects:read"])).await;
    let id = first["id"].as_str().unwrap();

    let rotated_at = std::time::Instant::now();
    let rotated = owner.put(&format!("/v1/keys/{id}/rotate?grace_seconds=2"), json!({})).await;
    assert_eq!(rotated.status, 200, "{}", rotated.body);
    let second = rotated.body.clone();
    assert_ne!(second["token"], first["token"]);
    assert_eq!(second["last4"], &second["token"].as_str().unwrap()[second["token"].as_str().unwrap().len() - 4..]);
    assert!(second["previous_token_valid_until"].is_string());
    let in_grace = as_key(&app, &first).get(&path).await.status;
    // Only a request answered inside the grace can show the old token works
    // in it (a machine too busy to ask in time proves nothing).
    if rotated_at.elapsed() < std::time::Duration::from_secs(2) {
        assert_eq!(in_grace, 200, "the old token works in its grace");
    }
    assert_eq!(as_key(&app, &second).get(&path).await.status, 200);
    tokio::time::sleep(std::time::Duration::from_millis(2_200).saturating_sub(rotated_at.elapsed())).await;
    let after = as_key(&app, &first).get(&path).await;
    assert_eq!((after.status, after.problem_code()), (401, "key_rotated"));
    assert_eq!(as_key(&app, &second).get(&path).await.status, 200);

    // Twice inside a grace: at most two live tokens.
    let third = owner.put(&format!("/v1/keys/{id}/rotate"), json!({})).await.body;
    let fourth = owner.put(&format!("/v1/keys/{id}/rotate"), json!({})).await.body;
    assert_eq!(as_key(&app, &fourth).get(&path).await.status, 200);
    assert_eq!(as_key(&app, &third).get(&path).await.status, 200, "the previous token is in its grace");
    assert_eq!(as_key(&app, &second).get(&path).await.status, 401, "older tokens are gone");
    let rotations = owner.get("/v1/audit").await.body["data"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|e| e["action"] == "key.rotated")
        .count();
    assert_eq!(rotations, 3);

    let too_long = owner.put(&format!("/v1/keys/{id}/rotate?grace_seconds=9999999"), json!({})).await;
    assert_eq!(too_long.body["errors"][0]["field"], "query.grace_seconds");
    owner.delete(&format!("/v1/keys/{id}/revoke")).await;
    let revoked = owner.put(&format!("/v1/keys/{id}/rotate"), json!({})).await;
    assert_eq!((revoked.status, revoked.problem_code()), (409, "key_revoked"));
}

pub async fn key_usage_counts_requests_per_day_and_class(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let owner = app.user("olivia");
    owner.create_org("Acme").await;
    let project = owner.create_project("web").await;
    let key = create_key(&owner, &project, "secret", json!(["projects:read", "projects:write"])).await;
    let id = key["id"].as_str().unwrap();
    let bot = as_key(&app, &key);
    for _ in 0..3 {
        assert_eq!(bot.get(&format!("/v1/projects/{project}")).await.status, 200);
    }
    let write = send(
        bot.request(Method::PUT, &format!("/v1/projects/{project}"))
            .header("x-forwarded-for", "203.0.113.9")
            .json(&json!({"description": "d"})),
    )
    .await;
    assert_eq!(write.status, 200);
    let usage = owner.get(&format!("/v1/keys/{id}/usage")).await;
    assert_eq!(usage.status, 200, "{}", usage.body);
    let today = chrono::Utc::now().format("%Y-%m-%d").to_string();
    assert_eq!(usage.body["days"], json!([{"date": today, "read": 3, "write": 1}]));
    assert_eq!(usage.body["last_used_ip"], "203.0.113.9");
    assert!(usage.body["last_used_at"].is_string());
    assert_eq!(owner.get(&format!("/v1/keys/{id}/usage?days=0")).await.status, 422);
}

pub async fn keys_can_be_limited_to_listed_sources_and_webhooks(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let owner = app.user("olivia");
    owner.create_org("Acme").await;
    let project = owner.create_project("web").await;
    let webhook = "wh_01jh3v5d2k8q9w6x7y8z9a0b1c";
    let created = owner
        .post(
            "/v1/keys",
            json!({"project_id": project, "name": "hook bot", "type": "secret", "scopes": ["webhooks:manage"],
                   "resources": [webhook]}),
        )
        .await;
    assert_eq!(created.status, 201, "{}", created.body);
    assert_eq!(created.body["resources"], json!([webhook]));
    let id = created.id();

    let not_a_resource = owner
        .post(
            "/v1/keys",
            json!({"project_id": project, "name": "bad", "type": "secret", "scopes": ["*"], "resources": [project]}),
        )
        .await;
    assert_eq!(not_a_resource.status, 422);
    assert!(not_a_resource.body["errors"][0]["field"].as_str().unwrap().starts_with("resources"));
    assert!(not_a_resource.body["errors"][0]["message"].as_str().unwrap().contains("src_"));
    let too_many: Vec<String> =
        (0..101).map(|_| format!("src_{}", ulid::Ulid::new().to_string().to_lowercase())).collect();
    let refused = owner
        .post(
            "/v1/keys",
            json!({"project_id": project, "name": "many", "type": "secret", "scopes": ["*"], "resources": too_many}),
        )
        .await;
    assert_eq!(refused.body["errors"][0]["field"], "resources");

    let source = "src_01jh3v5d2k8q9w6x7y8z9a0b1d";
    let patched =
        owner.request(Method::PATCH, &format!("/v1/keys/{id}")).json(&json!({"resources": [webhook, source]}));
    let patched = send(patched).await;
    assert_eq!(patched.status, 200, "{}", patched.body);
    assert_eq!(patched.body["resources"], json!([source, webhook]));
    let audit = owner.get("/v1/audit").await;
    assert_eq!(audit.body["data"][0]["action"], "key.updated");
    assert_eq!(audit.body["data"][0]["metadata"]["changes"]["resources"]["to"], json!([source, webhook]));
}

/// Every scope a key of `key_type` may name: `*`, and each permission the
/// type allows alone (or, for `mcp` keys, their tool scopes).
fn scope_choices(key_type: controlplane::domain::apikey::KeyType) -> Vec<Value> {
    let singles = key_type.allowed_permissions().iter().map(|p| json!([p.as_str()]));
    match key_type {
        controlplane::domain::apikey::KeyType::Mcp => vec![json!(["mcp:*"]), json!(["mcp:tool:search"])],
        _ => std::iter::once(json!(["*"])).chain(singles).collect(),
    }
}

pub async fn a_key_is_minted_only_with_what_the_minting_members_role_grants(backend: Backend) {
    use controlplane::base::rbac::{Permission, RoleName, RoleSet};
    use controlplane::domain::apikey::{KeyType, Scope, permissions};
    let app = TestApp::spawn(backend).await;
    let owner = app.user("olivia");
    let org = owner.create_org("Acme").await;
    let project = owner.create_project("web").await;
    for (user, role) in [("ada", "admin"), ("dev", "developer"), ("vic", "viewer")] {
        owner.add_member(&org, user, role).await;
    }
    let roles = RoleSet::default();
    for (user, role) in [("olivia", "owner"), ("ada", "admin"), ("dev", "developer"), ("vic", "viewer")] {
        let member = app.user(user);
        let granted = roles.permissions_of(&RoleName::parse(role).unwrap());
        for key_type in KeyType::ALL {
            for scopes in scope_choices(key_type) {
                let parsed = scopes.as_array().unwrap().iter().map(|s| Scope::parse(s.as_str().unwrap()).unwrap());
                let carried = permissions(key_type, &parsed.collect());
                let allowed = granted.contains(&Permission::KeysManage) && carried.is_subset(&granted);
                let wire_type = json!(key_type);
                let body = json!({"project_id": project, "name": "k", "type": wire_type, "scopes": scopes});
                let created = member.post("/v1/keys", body).await;
                let expected = if allowed { 201 } else { 403 };
                assert_eq!(
                    created.status, expected,
                    "{role} minting a {wire_type} key with {scopes}: {}",
                    created.body
                );
                if !allowed && granted.contains(&Permission::KeysManage) {
                    assert_eq!(created.problem_code(), "exceeds_your_permissions");
                }
            }
        }
    }
}

pub async fn a_key_is_rotated_widened_or_enabled_only_by_who_holds_all_it_carries(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let owner = app.user("olivia");
    let org = owner.create_org("Acme").await;
    let project = owner.create_project("web").await;
    owner.add_member(&org, "dev", "developer").await;
    let dev = app.user("dev");
    let everything = create_key(&owner, &project, "service_role", json!(["*"])).await;
    let path = format!("/v1/keys/{}", everything["id"].as_str().unwrap());
    let patch = |body: Value| send(dev.request(Method::PATCH, &path).json(&body));

    let rotated = dev.put(&format!("{path}/rotate"), json!({})).await;
    assert_eq!((rotated.status, rotated.problem_code()), (403, "exceeds_your_permissions"), "{}", rotated.body);
    assert!(rotated.body.get("token").is_none());
    assert_eq!(patch(json!({"name": "renamed by dev"})).await.status, 200, "renaming grants nothing");
    assert_eq!(patch(json!({"enabled": false})).await.status, 200, "disabling takes away only");
    let enabled = patch(json!({"enabled": true})).await;
    assert_eq!((enabled.status, enabled.problem_code()), (403, "exceeds_your_permissions"));
    let widened = patch(json!({"scopes": ["audit:read"]})).await;
    assert_eq!((widened.status, widened.problem_code()), (403, "exceeds_your_permissions"));
    let unlimited = patch(json!({"resources": []})).await;
    assert_eq!(unlimited.status, 200, "an unchanged resource list is no change: {}", unlimited.body);
    let narrowed = patch(json!({"scopes": ["projects:read"], "enabled": true})).await;
    assert_eq!(narrowed.status, 200, "a key cut to what the developer holds: {}", narrowed.body);
    let rotated = dev.put(&format!("{path}/rotate"), json!({})).await;
    assert_eq!(rotated.status, 200, "now within the developer's role: {}", rotated.body);

    let minted = dev
        .post("/v1/keys", json!({"project_id": project, "name": "x", "type": "service_role", "scopes": ["*"]}))
        .await;
    assert_eq!((minted.status, minted.problem_code()), (403, "exceeds_your_permissions"));
    let audit = owner.get("/v1/audit?action=key.rotated").await;
    assert_eq!(audit.body["data"].as_array().unwrap().len(), 1, "only the allowed rotation happened");
}

pub async fn a_key_loses_what_its_creator_loses_on_the_next_request(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let owner = app.user("olivia");
    let org = owner.create_org("Acme").await;
    let project = owner.create_project("web").await;
    owner.add_member(&org, "ada", "admin").await;
    let everything = json!({"project_id": project, "name": "all", "type": "service_role", "scopes": ["*"]});
    let refused = app.user("ada").post("/v1/keys", everything).await;
    assert_eq!(refused.status, 403, "`*` names ingest:push too, which admins do not hold");
    let scopes = json!(["audit:read", "quotas:write", "projects:read"]);
    let key = create_key(&app.user("ada"), &project, "service_role", scopes).await;
    let bot = as_key(&app, &key);
    let quotas = format!("/v1/quotas/{project}");
    assert_eq!(bot.get("/v1/audit").await.status, 200, "an admin's key reads the audit log");
    let set = bot.put(&quotas, json!({"services": {"db_rows": {"enabled": true, "monthly_limit": 1000}}})).await;
    assert_eq!(set.status, 200, "and sets quotas: {}", set.body);

    let demoted = owner.put(&format!("/v1/orgs/{org}/members/ada"), json!({"role": "developer"})).await;
    assert_eq!(demoted.status, 200, "{}", demoted.body);
    let audit = bot.get("/v1/audit").await;
    assert_eq!((audit.status, audit.problem_code()), (403, "forbidden"), "the demotion reaches the key at once");
    assert_eq!(
        bot.put(&quotas, json!({"services": {"db_rows": {"enabled": true, "monthly_limit": 2000}}})).await.status,
        403
    );
    assert_eq!(bot.get(&format!("/v1/projects/{project}")).await.status, 200, "what developers may do stays");

    assert_eq!(owner.delete(&format!("/v1/orgs/{org}/members/ada")).await.status, 204);
    let gone = bot.get(&format!("/v1/projects/{project}")).await;
    assert_eq!(gone.status, 403, "a key whose creator left grants nothing: {}", gone.body);
}

pub async fn a_dead_key_is_401_with_its_reason_on_routes_outside_an_org_too(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let owner = app.user("olivia");
    owner.create_org("Acme").await;
    let project = owner.create_project("web").await;
    let alive = as_key(&app, &create_key(&owner, &project, "secret", json!(["projects:read"])).await);
    let revoked = create_key(&owner, &project, "secret", json!(["projects:read"])).await;
    let disabled = create_key(&owner, &project, "secret", json!(["projects:read"])).await;
    let deleted = create_key(&owner, &project, "secret", json!(["projects:read"])).await;
    owner.delete(&format!("/v1/keys/{}/revoke", revoked["id"].as_str().unwrap())).await;
    let path = format!("/v1/keys/{}", disabled["id"].as_str().unwrap());
    send(owner.request(Method::PATCH, &path).json(&json!({"enabled": false}))).await;
    assert_eq!(owner.delete(&format!("/v1/keys/{}", deleted["id"].as_str().unwrap())).await.status, 204);

    let outside_an_org = [
        (Method::GET, "/v1/orgs", None),
        (Method::POST, "/v1/orgs", Some(json!({"name": "Mine"}))),
        (Method::POST, "/v1/auth/revoke", Some(json!({"jti": "abc"}))),
    ];
    for (method, route, body) in &outside_an_org {
        let call = |key: &User<'_>| {
            let request = key.request(method.clone(), route);
            send(match body {
                Some(body) => request.json(body),
                None => request,
            })
        };
        let live = call(&alive).await;
        assert_eq!((live.status, live.problem_code()), (403, "outside_key_scope"), "{method} {route}");
        for (key, reason) in [(&revoked, "key_revoked"), (&disabled, "key_disabled"), (&deleted, "invalid_key")] {
            let refused = call(&as_key(&app, key)).await;
            assert_eq!((refused.status, refused.problem_code()), (401, reason), "{method} {route}");
        }
    }
}
