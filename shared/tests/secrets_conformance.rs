//! One suite for both secrets adapters: the local encrypted store and
//! Secrets Manager on the local emulator.

use std::sync::Arc;

use controlplane::OrgId;
use controlplane::ports::secrets::local::LocalSecrets;
use controlplane::ports::secrets::secretsmanager::SecretsManager;
use controlplane::ports::secrets::{DynSecrets, SecretName, SecretValue, Secrets};

struct Fixture {
    secrets: DynSecrets,
    _dir: Option<tempfile::TempDir>,
}

async fn local() -> Fixture {
    let dir = tempfile::tempdir().unwrap();
    let secrets = LocalSecrets::open(&dir.path().join("controlplane.db")).unwrap();
    Fixture { secrets: Arc::new(secrets), _dir: Some(dir) }
}

async fn secretsmanager() -> Fixture {
    assert!(std::env::var_os("AWS_ENDPOINT_URL").is_some(), "needs the local emulator: run scripts/test");
    Fixture { secrets: Arc::new(SecretsManager::from_env(None).await), _dir: None }
}

fn value(s: &str) -> SecretValue {
    SecretValue::new(s.to_owned()).unwrap()
}

async fn a_value_put_is_read_back_and_a_second_put_replaces_it(f: Fixture) {
    let name = SecretName::new(&controlplane::testing::tenant_of(&OrgId::generate()), None, "cred_a").unwrap();
    let locator = f.secrets.put(&name, &value("s3cr3t-one")).await.unwrap();
    assert!(!locator.is_empty());
    assert_eq!(f.secrets.get(&name).await.unwrap(), Some(value("s3cr3t-one")));
    f.secrets.put(&name, &value("s3cr3t-two")).await.unwrap();
    assert_eq!(f.secrets.get(&name).await.unwrap(), Some(value("s3cr3t-two")));
    f.secrets.ping().await.unwrap();
}

async fn a_missing_secret_is_none_and_deleting_twice_is_fine(f: Fixture) {
    let name = SecretName::new(&controlplane::testing::tenant_of(&OrgId::generate()), None, "cred_b").unwrap();
    assert_eq!(f.secrets.get(&name).await.unwrap(), None);
    f.secrets.put(&name, &value("gone soon")).await.unwrap();
    f.secrets.delete(&name).await.unwrap();
    assert_eq!(f.secrets.get(&name).await.unwrap(), None);
    f.secrets.delete(&name).await.unwrap();
}

async fn two_tenants_with_the_same_id_hold_separate_values(f: Fixture) {
    let (a, b) = (OrgId::generate(), OrgId::generate());
    let (name_a, name_b) = (
        SecretName::new(&controlplane::testing::tenant_of(&a), None, "cred").unwrap(),
        SecretName::new(&controlplane::testing::tenant_of(&b), None, "cred").unwrap(),
    );
    f.secrets.put(&name_a, &value("for a")).await.unwrap();
    f.secrets.put(&name_b, &value("for b")).await.unwrap();
    assert_eq!(f.secrets.get(&name_a).await.unwrap(), Some(value("for a")));
    assert_eq!(f.secrets.get(&name_b).await.unwrap(), Some(value("for b")));
}

macro_rules! on_both {
    ($($case:ident),* $(,)?) => {
        mod local_store {
            $(
                #[tokio::test]
                async fn $case() {
                    super::$case(super::local().await).await;
                }
            )*
        }
        mod secrets_manager {
            $(
                #[tokio::test]
                async fn $case() {
                    super::$case(super::secretsmanager().await).await;
                }
            )*
        }
    };
}

on_both!(
    a_value_put_is_read_back_and_a_second_put_replaces_it,
    a_missing_secret_is_none_and_deleting_twice_is_fine,
    two_tenants_with_the_same_id_hold_separate_values,
);

#[tokio::test]
async fn the_local_file_holds_no_plaintext_and_another_key_cannot_read_it() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("controlplane.db");
    let name = SecretName::new(&controlplane::testing::tenant_of(&OrgId::generate()), None, "canary").unwrap();
    let canary = "CANARY-7f3a9c-plaintext";
    // Held open while the files are read: closing deletes the WAL file (after
    // checkpointing it), which raced the listing below; open, the WAL is
    // read too.
    let secrets = LocalSecrets::open(&path).unwrap();
    secrets.put(&name, &value(canary)).await.unwrap();
    for file in std::fs::read_dir(dir.path()).unwrap() {
        let bytes = std::fs::read(file.unwrap().path()).unwrap();
        assert!(!bytes.windows(canary.len()).any(|w| w == canary.as_bytes()), "plaintext on disk");
    }
    drop(secrets);
    let key_file = dir.path().join("controlplane.db.key");
    std::fs::write(&key_file, "00".repeat(32)).unwrap();
    let wrong_key = LocalSecrets::open(&path).unwrap();
    assert!(wrong_key.get(&name).await.is_err(), "refused, not garbage");
}
