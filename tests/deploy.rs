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

#[test]
fn the_aws_sdk_is_built_without_its_own_https_client() {
    // controlplane::aws::http is the SDK's client: the SDK's own would add
    // HTTP/2 and load the system's root certificates on first use.
    let workspace = std::fs::read_to_string(root().join("Cargo.toml")).expect("Cargo.toml");
    let sdk: Vec<&str> = workspace
        .lines()
        .filter(|l| ["aws-config =", "aws-sdk-", "aws-sigv4 ="].iter().any(|p| l.starts_with(p)))
        .collect();
    assert!(sdk.len() >= 6, "{sdk:#?}");
    for line in sdk {
        assert!(line.contains("default-features = false"), "{line}");
        assert!(!line.contains("default-https-client"), "{line}");
    }
    for (binary, manifest) in binaries() {
        assert!(!manifest.contains("default-https-client"), "{binary} enables the SDK's https client");
    }
}
