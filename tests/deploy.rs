//! The deployment template and the functions' builds agree: every AWS
//! adapter a function's template entry configures (`sqs://`, `s3://`,
//! `secretsmanager://`, `eventbridge://`) is built into its binary. Each
//! function enables only the controlplane features it needs (binary size
//! and cold start), so a template change that gives a function a new
//! adapter without the feature would fail at init on AWS; this test fails
//! first.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).parent().expect("workspace root").to_path_buf()
}

/// Binary name → the adapter schemes its template entry configures.
fn template_adapters(template: &str) -> BTreeMap<String, BTreeSet<&'static str>> {
    let mut functions = BTreeMap::new();
    let mut block: Vec<&str> = Vec::new();
    let mut flush = |block: &mut Vec<&str>| {
        let binary = block.iter().find_map(|l| l.trim().strip_prefix("Binary: ")).map(str::to_owned);
        if let Some(binary) = binary {
            let schemes = block
                .iter()
                .filter(|l| l.trim_start().starts_with("CONTROLPLANE_"))
                .flat_map(|l| {
                    ["sqs://", "s3://", "secretsmanager://", "eventbridge://"].into_iter().filter(|s| l.contains(*s))
                })
                .collect();
            functions.insert(binary, schemes);
        }
        block.clear();
    };
    for line in template.lines() {
        // A resource starts at two spaces of indentation under `Resources:`.
        if line.starts_with("  ") && !line.starts_with("   ") && line.trim_end().ends_with(':') {
            flush(&mut block);
        }
        block.push(line);
    }
    flush(&mut block);
    functions
}

/// The controlplane features a function package's `[dependencies]` enable.
fn package_features(manifest: &str) -> BTreeSet<String> {
    let dependencies = manifest.split("[dependencies]").nth(1).unwrap_or("");
    let dependencies = dependencies.split("\n[").next().unwrap_or("");
    let line = dependencies.lines().find(|l| l.starts_with("controlplane")).unwrap_or("");
    let mut features: BTreeSet<String> = line
        .split_once("features = [")
        .map(|(_, rest)| rest.split(']').next().unwrap_or(""))
        .unwrap_or("")
        .split(',')
        .map(|f| f.trim().trim_matches('"').to_owned())
        .filter(|f| !f.is_empty())
        .collect();
    if features.remove("aws-all") {
        features.extend(["sqs", "s3", "secretsmanager", "eventbridge"].map(String::from));
    }
    features
}

/// Binary name → its package's manifest.
fn binaries() -> BTreeMap<String, String> {
    let mut out = BTreeMap::new();
    for entry in std::fs::read_dir(root().join("functions")).expect("functions/") {
        let manifest = std::fs::read_to_string(entry.expect("entry").path().join("Cargo.toml")).expect("Cargo.toml");
        for section in manifest.split("[[bin]]").skip(1) {
            let name = section.lines().find_map(|l| l.strip_prefix("name = ")).expect("a [[bin]] has a name");
            out.insert(name.trim_matches('"').to_owned(), manifest.clone());
        }
    }
    out
}

#[test]
fn every_adapter_a_function_is_deployed_with_is_built_into_it() {
    let template = std::fs::read_to_string(root().join("template.yaml")).expect("template.yaml");
    let functions = template_adapters(&template);
    let binaries = binaries();
    assert!(functions.len() >= 14, "found the template's functions: {functions:?}");
    let mut missing = Vec::new();
    for (binary, schemes) in &functions {
        let manifest = binaries.get(binary).unwrap_or_else(|| panic!("no package builds `{binary}`"));
        let features = package_features(manifest);
        for scheme in schemes {
            let feature = scheme.trim_end_matches("://");
            if !features.contains(feature) {
                missing
                    .push(format!("{binary}: the template configures {scheme}, the package lacks feature `{feature}`"));
            }
        }
    }
    assert!(missing.is_empty(), "{missing:#?}");
}

#[test]
fn the_template_reader_sees_each_functions_adapters() {
    let functions = template_adapters(include_str!("../template.yaml"));
    assert_eq!(functions["keys"], BTreeSet::new());
    assert_eq!(functions["projects"], BTreeSet::from(["sqs://"]));
    assert_eq!(functions["publisher"], BTreeSet::from(["eventbridge://", "sqs://"]));
    assert_eq!(functions["webhook-delivery"], BTreeSet::from(["secretsmanager://", "sqs://"]));
    let features = package_features(&binaries()["reconciler"]);
    assert_eq!(features.len(), 4, "{features:?}");
}

#[test]
fn deployed_functions_are_built_without_sqlite_or_the_default_aws_chain() {
    let workspace = std::fs::read_to_string(root().join("Cargo.toml")).expect("Cargo.toml");
    let dependency =
        workspace.lines().find(|l| l.starts_with("controlplane =")).expect("controlplane in the workspace");
    assert!(dependency.contains("default-features = false"), "its default features include sqlite: {dependency}");
    let mut local_only = Vec::new();
    for (binary, manifest) in binaries() {
        let features = package_features(&manifest);
        for feature in ["sqlite", "aws-default-chain", "testing"] {
            if features.contains(feature) {
                local_only.push(format!("{binary} is built with `{feature}`"));
            }
        }
    }
    assert!(local_only.is_empty(), "{local_only:#?}");
}

/// The packages `cargo tree` lists for `package`'s normal (non-dev,
/// non-build) dependencies, by name.
fn normal_dependencies(package: &str) -> BTreeSet<String> {
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".into());
    let output = std::process::Command::new(cargo)
        .current_dir(root())
        .args(["tree", "--locked", "-e", "normal", "--prefix", "none", "--format", "{lib}", "-p", package])
        .output()
        .expect("cargo tree runs");
    assert!(output.status.success(), "cargo tree -p {package}: {}", String::from_utf8_lossy(&output.stderr));
    String::from_utf8_lossy(&output.stdout)
        .lines()
        .map(|l| l.trim_end_matches(" (*)").trim().to_owned())
        .filter(|l| !l.is_empty())
        .collect()
}

#[test]
fn each_function_depends_on_shared_alone_and_speaks_to_aws_through_its_adapters_sdk_crates_on_one_crypto_library() {
    let mut wrong = Vec::new();
    let packages: BTreeSet<String> = std::fs::read_dir(root().join("functions"))
        .expect("functions/")
        .map(|entry| entry.expect("entry").file_name().to_string_lossy().into_owned())
        .collect();
    for package in &packages {
        let manifest =
            std::fs::read_to_string(root().join("functions").join(package).join("Cargo.toml")).expect("Cargo.toml");
        let features = package_features(&manifest);
        let tree = normal_dependencies(package);
        let mut expected = vec!["aws_sdk_dynamodb", "aws_lc_rs"];
        for (feature, crate_name) in [
            ("sqs", "aws_sdk_sqs"),
            ("s3", "aws_sdk_s3"),
            ("secretsmanager", "aws_sdk_secretsmanager"),
            ("eventbridge", "aws_sdk_eventbridge"),
        ] {
            if features.contains(feature) {
                expected.push(crate_name);
            }
        }
        for name in expected {
            if !tree.contains(name) {
                wrong.push(format!("{package} does not link {name}"));
            }
        }
        if tree.contains("ring") {
            wrong.push(format!("{package} links ring besides aws-lc-rs"));
        }
        for other in packages.iter().filter(|p| *p != package) {
            if tree.contains(other.as_str()) {
                wrong.push(format!("{package} depends on the function {other}"));
            }
            let named = |line: &str| line.split(['=', '.', ' ']).next() == Some(other.as_str());
            if manifest.lines().any(named) {
                wrong.push(format!("{package}'s manifest names the function {other} (tests included)"));
            }
        }
    }
    assert!(wrong.is_empty(), "{wrong:#?}");
}

#[test]
fn the_template_passes_the_signing_secret_by_its_arn_never_its_value() {
    let template = std::fs::read_to_string(root().join("template.yaml")).expect("template.yaml");
    assert!(!template.contains("{{resolve:"), "a dynamic reference puts a secret's value into the configuration");
    assert!(!template.contains("CONTROLPLANE_JWT_SECRET:"), "the secret's value is never a variable");
    assert!(template.contains("CONTROLPLANE_JWT_SECRET_ARN: !Ref JwtSecretArn"));
    let functions = template_adapters(&template);
    let readers = template.matches("SecretArn: !Ref JwtSecretArn").count();
    // The API functions sign and check tokens with it; the workers and the
    // publisher derive each org's pseudonym key from it
    // (`app::redaction_key_from_env`).
    let reading = ["AppState::from_env", "worker_from_env", "delivery_worker_from_env", "publisher::from_env"];
    let main_of = |binary: &str| {
        let dir = root().join("functions");
        let bin = binary.replace('-', "_");
        std::fs::read_to_string(dir.join(binary).join("src/main.rs"))
            .or_else(|_| std::fs::read_to_string(dir.join("worker/src/bin").join(format!("{bin}.rs"))))
    };
    let users = functions.keys().filter(|binary| main_of(binary).is_ok_and(|m| reading.iter().any(|r| m.contains(r))));
    assert_eq!(readers, users.count(), "every function that reads the secret may read it, and no other");
}

#[test]
fn api_gateway_allows_and_exposes_the_headers_the_cors_layer_does() {
    use controlplane::edge::http::cors::{ALLOWED_HEADERS, EXPOSED_HEADERS};
    let template = std::fs::read_to_string(root().join("template.yaml")).expect("template.yaml");
    let listed = |key: &str| -> Vec<String> {
        let line = template.lines().find(|l| l.trim_start().starts_with(key)).unwrap_or_else(|| panic!("{key}"));
        let inner = line.split_once('[').and_then(|(_, rest)| rest.split_once(']')).expect("a flow list").0;
        inner.split(',').map(|s| s.trim().to_owned()).collect()
    };
    assert_eq!(listed("AllowHeaders:"), ALLOWED_HEADERS);
    assert_eq!(listed("ExposeHeaders:"), EXPOSED_HEADERS);
}
