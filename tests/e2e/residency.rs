//! Residency: what an org or project keeps outside the table (credential
//! values, webhook signing secrets, evidence, audit exports, backups) is
//! written to its region's own stores and read back from them, and never
//! reaches another region's.

use controlplane::base::residency::Regions;
use controlplane::ports::blobs::BlobKey;
use controlplane::ports::secrets::SecretName;
use controlplane::testing::tenant_of;
use e2e::{Backend, TestApp, User};
use serde_json::json;

use crate::sources::{MCP_CONFIG, create_credential, create_source};

/// The one region (by label) whose own store holds `key`.
async fn blob_regions(app: &TestApp, key: &BlobKey) -> Vec<String> {
    let mut found = Vec::new();
    for own in &app.stores {
        if own.blobs.get(key).await.unwrap().is_some() {
            found.push(own.region.to_string());
        }
    }
    found
}

async fn secret_regions(app: &TestApp, name: &SecretName) -> Vec<String> {
    let mut found = Vec::new();
    for own in &app.stores {
        if own.secrets.get(name).await.unwrap().is_some() {
            found.push(own.region.to_string());
        }
    }
    found
}

fn blob(org: &str, kind: &str, name: &str) -> BlobKey {
    BlobKey::new(&tenant_of(&org.parse().unwrap()), None, kind, name).unwrap()
}

fn secret(org: &str, id: &str) -> SecretName {
    SecretName::new(&tenant_of(&org.parse().unwrap()), None, id).unwrap()
}

/// Runs `source` and returns its evidence's blob key, after reading the
/// evidence back through the API.
async fn evidence_of(app: &TestApp, user: &User<'_>, org: &str, source: &str) -> BlobKey {
    assert_eq!(user.post(&format!("/v1/sources/{source}/run"), json!({})).await.status, 202);
    app.run_jobs().await;
    let id = user.get(&format!("/v1/sources/{source}/evidence")).await.data_ids()[0].clone();
    let read = user.get(&format!("/v1/sources/{source}/evidence/{id}")).await;
    assert_eq!(read.status, 200, "the evidence reads back from its region: {}", read.body);
    blob(org, "evidence", &format!("{source}.{id}.json"))
}

pub async fn each_region_keeps_its_credentials_secrets_evidence_exports_and_backups_in_its_own_stores(
    backend: Backend,
) {
    let (store, dir) = e2e::fresh_store(backend).await;
    let served = Regions::parse("us,eu").unwrap();
    let app =
        TestApp::configured(backend, store, dir, |state| state.with_regions(served).with_local_webhooks(true)).await;
    assert_eq!(app.stores.len(), 2, "one set of stores per region");
    let alice = app.user("alice");
    let org = alice.post("/v1/orgs", json!({"name": "Acme EU", "region": "eu"})).await.id();
    let eu = alice.in_org(&org);
    let shop = eu.create_project("shop").await;
    let us_shop = eu.post("/v1/projects", json!({"name": "us-shop", "region": "us"})).await.id();

    // A credential is the org's: its value is in the eu secrets store only.
    let credential = create_credential(&eu, "token", json!({"token": "tok-eu-1"})).await;
    assert_eq!(eu.get(&format!("/v1/credentials/{credential}")).await.body["region"], "eu");
    assert_eq!(secret_regions(&app, &secret(&org, &credential)).await, ["eu"]);

    // Evidence follows its source's project.
    let source = create_source(&eu, &shop, "scan.mcp_config", json!({"document": MCP_CONFIG}), None).await;
    assert_eq!(eu.get(&format!("/v1/sources/{source}")).await.body["region"], "eu");
    let key = evidence_of(&app, &eu, &org, &source).await;
    assert_eq!(blob_regions(&app, &key).await, ["eu"]);
    let us_source = create_source(&eu, &us_shop, "scan.mcp_config", json!({"document": MCP_CONFIG}), None).await;
    let key = evidence_of(&app, &eu, &org, &us_source).await;
    assert_eq!(blob_regions(&app, &key).await, ["us"], "a us project of an eu org keeps its evidence in us");

    // A webhook's signing secret follows its project.
    let hook = eu
        .post(
            "/v1/webhooks",
            json!({"project_id": shop, "url": "http://127.0.0.1:9/hook", "event_types": ["project.*"]}),
        )
        .await;
    assert_eq!(hook.status, 201, "{}", hook.body);
    assert_eq!(secret_regions(&app, &secret(&org, &hook.id())).await, ["eu"]);
    let rotated = eu.post(&format!("/v1/webhooks/{}/rotate-secret", hook.id()), json!({})).await;
    assert_eq!(rotated.status, 200, "the rotation reads and writes the eu secret: {}", rotated.body);

    // An audit export and a backup are the org's: written and read in eu.
    let export = eu.post("/v1/audit/exports", json!({})).await;
    assert_eq!(export.status, 202, "{}", export.body);
    let backup = eu.post(&format!("/v1/orgs/{org}/backups"), json!({})).await;
    assert_eq!((backup.status, backup.body["region"].as_str()), (202, Some("eu")), "{}", backup.body);
    app.run_jobs().await;
    let exported = eu.get(&format!("/v1/audit/exports/{}/download", export.id())).await;
    assert_eq!(exported.status, 200, "{}", exported.body);
    assert_eq!(blob_regions(&app, &blob(&org, "audit-exports", &format!("{}.csv", export.id()))).await, ["eu"]);
    assert_eq!(eu.get(&format!("/v1/orgs/{org}/backups/{}", backup.id())).await.status, 200);
    assert_eq!(blob_regions(&app, &blob(&org, "backups", &format!("{}.json", backup.id()))).await, ["eu"]);

    // An org in the default region keeps its data in the default stores.
    let bob = app.user("bob");
    let bobs = bob.create_org("Bob's").await;
    let bob = bob.in_org(&bobs);
    let credential = create_credential(&bob, "token", json!({"token": "tok-us-1"})).await;
    assert_eq!(secret_regions(&app, &secret(&bobs, &credential)).await, ["us"]);
}
