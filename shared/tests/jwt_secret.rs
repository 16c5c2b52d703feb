//! The deployed functions read the JWT signing secret from Secrets Manager
//! at init, by the ARN the template gives them (here: the emulator's).

use controlplane::OrgId;
use controlplane::app::{ConfigError, JWT_SECRET_ARN_ENV, JWT_SECRET_ENV, jwt_secret_from};
use controlplane::ports::secrets::secretsmanager::SecretsManager;
use controlplane::ports::secrets::{SecretName, SecretValue, Secrets};

fn vars(pairs: Vec<(&'static str, String)>) -> impl Fn(&str) -> Option<String> {
    move |name| pairs.iter().find(|(n, _)| *n == name).map(|(_, v)| v.clone())
}

#[tokio::test]
async fn the_signing_secret_is_read_by_its_arn_and_never_from_two_places() {
    assert!(std::env::var_os("AWS_ENDPOINT_URL").is_some(), "needs the local emulator: run scripts/test");
    let name = SecretName::new(&controlplane::testing::tenant_of(&OrgId::generate()), None, "jwt").unwrap();
    let value = "a-signing-secret-of-at-least-32-bytes!!";
    let arn = SecretsManager::from_env(None).await.put(&name, &SecretValue::new(value.into()).unwrap()).await.unwrap();
    assert!(arn.starts_with("arn:aws:secretsmanager:"), "{arn}");

    let read = jwt_secret_from(vars(vec![(JWT_SECRET_ARN_ENV, arn.clone())])).await.unwrap();
    assert_eq!(read, value);
    let plain = jwt_secret_from(vars(vec![(JWT_SECRET_ENV, "local".into())])).await.unwrap();
    assert_eq!(plain, "local", "local runs pass the value itself");

    let both = jwt_secret_from(vars(vec![(JWT_SECRET_ARN_ENV, arn), (JWT_SECRET_ENV, "x".into())])).await;
    assert!(matches!(both, Err(ConfigError::Invalid { name: JWT_SECRET_ARN_ENV, .. })), "{both:?}");
    let missing_arn = arn_of_nothing();
    let missing = jwt_secret_from(vars(vec![(JWT_SECRET_ARN_ENV, missing_arn)])).await;
    assert!(
        matches!(&missing, Err(ConfigError::Invalid { name: JWT_SECRET_ARN_ENV, reason }) if reason.contains("no secret")),
        "{missing:?}"
    );
    let neither = jwt_secret_from(vars(vec![])).await;
    assert!(matches!(neither, Err(ConfigError::Missing(JWT_SECRET_ENV))), "{neither:?}");
}

fn arn_of_nothing() -> String {
    format!("arn:aws:secretsmanager:us-east-1:123456789012:secret:controlplane/none-{}", OrgId::generate())
}
