//! Data minimization: the golden set (`tests/golden/pii/`) through the
//! engine, with its precision and recall per kind.

use std::collections::BTreeMap;

use controlplane::base::redact::{Finding, Label, Redactor};
use serde_json::Value;

/// One labelled sample of `tests/golden/pii/samples.jsonl`.
pub struct Sample {
    pub id: String,
    pub text: String,
    /// `(kind, value)` of each planted token.
    pub tokens: Vec<(String, String)>,
}

pub fn golden_samples() -> Vec<Sample> {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/golden/pii/samples.jsonl");
    let body = std::fs::read_to_string(path).expect("the golden set");
    body.lines()
        .map(|line| {
            let v: Value = serde_json::from_str(line).expect("a sample");
            let tokens = v["tokens"]
                .as_array()
                .expect("tokens")
                .iter()
                .map(|t| (t["kind"].as_str().unwrap().to_owned(), t["value"].as_str().unwrap().to_owned()))
                .collect();
            Sample { id: v["id"].as_str().unwrap().into(), text: v["text"].as_str().unwrap().into(), tokens }
        })
        .collect()
}

#[derive(Default)]
struct Tally {
    planted: u32,
    recalled: u32,
    found: u32,
    correct: u32,
}

/// Per kind: how many tokens were planted and found as that kind, and how
/// many findings of that kind were a planted token of it.
fn score(samples: &[Sample], findings: impl Fn(&str) -> Vec<Finding>) -> (BTreeMap<String, Tally>, Vec<String>) {
    let mut tallies: BTreeMap<String, Tally> = BTreeMap::new();
    let mut misses = Vec::new();
    for sample in samples {
        let found = findings(&sample.text);
        let planted: Vec<(std::ops::Range<usize>, &str)> = sample
            .tokens
            .iter()
            .map(|(kind, value)| {
                let at = sample.text.find(value.as_str()).expect("a token is in its sample's text");
                (at..at + value.len(), kind.as_str())
            })
            .collect();
        for (range, kind) in &planted {
            let tally = tallies.entry((*kind).to_owned()).or_default();
            tally.planted += 1;
            let covered = found.iter().any(|f| {
                f.label == Label::Builtin(controlplane::base::redact::Kind::parse(kind).unwrap())
                    && f.range.start <= range.start
                    && range.end <= f.range.end
            });
            if covered {
                tally.recalled += 1;
            } else {
                misses.push(format!("{} missed {kind} {:?}", sample.id, &sample.text[range.clone()]));
            }
        }
        for finding in &found {
            let tally = tallies.entry(finding.label.as_str().to_owned()).or_default();
            tally.found += 1;
            let right = planted.iter().any(|(range, kind)| {
                *kind == finding.label.as_str() && finding.range.start <= range.start && range.end <= finding.range.end
            });
            if right {
                tally.correct += 1;
            } else {
                misses.push(format!(
                    "{} found {} {:?} where none was planted",
                    sample.id,
                    finding.label.as_str(),
                    &sample.text[finding.range.clone()]
                ));
            }
        }
    }
    (tallies, misses)
}

fn table(tallies: &BTreeMap<String, Tally>) -> String {
    let mut out = format!("{:<16} {:>7} {:>7} {:>9} {:>7}\n", "kind", "planted", "found", "precision", "recall");
    for (kind, t) in tallies {
        let precision = if t.found == 0 { 1.0 } else { f64::from(t.correct) / f64::from(t.found) };
        let recall = if t.planted == 0 { 1.0 } else { f64::from(t.recalled) / f64::from(t.planted) };
        out.push_str(&format!(
            "{kind:<16} {:>7} {:>7} {:>8.1}% {:>6.1}%\n",
            t.planted,
            t.found,
            precision * 100.0,
            recall * 100.0
        ));
    }
    out
}

#[test]
fn the_golden_set_is_found_with_full_recall_and_at_least_95_percent_precision() {
    let samples = golden_samples();
    assert!(samples.len() >= 300, "a few hundred samples");
    let (tallies, misses) = score(&samples, |text| Redactor::platform().findings(text));
    println!("golden PII set through the engine ({} samples):\n{}", samples.len(), table(&tallies));
    for miss in &misses {
        println!("  {miss}");
    }
    for (kind, t) in &tallies {
        assert_eq!(t.recalled, t.planted, "{kind}: every planted token is found\n{misses:#?}");
        assert!(t.found == 0 || f64::from(t.correct) / f64::from(t.found) >= 0.95, "{kind}: precision\n{misses:#?}");
    }
}

#[test]
fn the_golden_set_is_the_one_its_generator_writes() {
    let script = concat!(env!("CARGO_MANIFEST_DIR"), "/golden/pii/generate.py");
    let status = std::process::Command::new("python3").args([script, "--check"]).status().expect("python3 runs");
    assert!(status.success(), "samples.jsonl drifted from generate.py");
}

/// The newest audit event with `action`, as the API lists it.
async fn latest(user: &e2e::User<'_>, action: &str) -> Value {
    let audit = user.get(&format!("/v1/audit?action={action}")).await;
    assert_eq!(audit.status, 200, "{}", audit.body);
    audit.body["data"][0].clone()
}

pub async fn a_new_org_minimizes_audit_metadata_by_its_data_policy_from_the_next_request(backend: e2e::Backend) {
    use serde_json::json;
    let app = e2e::TestApp::spawn(backend).await;
    let owner = app.user("olivia");
    let org = owner.create_org("Acme").await;
    let path = format!("/v1/orgs/{org}/data-policy");
    let policy = owner.get(&path).await;
    assert_eq!((policy.status, policy.header("etag")), (200, Some("\"1\"")), "{}", policy.body);
    assert_eq!(policy.body["enabled"], true, "on for a new org");
    assert_eq!(policy.body["strategies"]["email"], "mask");
    assert_eq!(policy.body["strategies"].as_object().unwrap().len(), 9);

    // The org keeps its own name; the event's diff keeps no address.
    let renamed = owner.put(&format!("/v1/orgs/{org}"), json!({"name": "Ops for jane.doe@example.com"})).await;
    assert_eq!(renamed.body["name"], "Ops for jane.doe@example.com");
    let event = latest(&owner, "org.updated").await;
    assert_eq!(event["metadata"]["changes"]["name"]["to"], "Ops for [redacted:email]");

    let edit = json!({
        "strategies": {"email": "hash"},
        "custom_patterns": [{"name": "employee_id", "pattern": "EMP-[0-9]{6}", "strategy": "drop"}],
    });
    let edited = owner.request(reqwest::Method::PUT, &path).header("if-match", "\"1\"").json(&edit);
    let edited = e2e::send(edited).await;
    assert_eq!((edited.status, edited.header("etag")), (200, Some("\"2\"")), "{}", edited.body);
    assert_eq!(edited.body["strategies"]["email"], "hash");
    assert_eq!(edited.body["strategies"]["phone"], "mask");
    let changed = latest(&owner, "data_policy.updated").await;
    assert_eq!(changed["metadata"]["changes"]["strategies"]["to"]["email"], "hash");
    assert_eq!(changed["metadata"]["changes"]["custom_patterns"]["to"][0]["name"], "employee_id");

    owner.put(&format!("/v1/orgs/{org}"), json!({"name": "EMP-123456 for JANE.DOE@example.com"})).await;
    let first = latest(&owner, "org.updated").await["metadata"]["changes"]["name"]["to"].clone();
    owner.put(&format!("/v1/orgs/{org}"), json!({"name": "x jane.doe@example.com"})).await;
    let second = latest(&owner, "org.updated").await["metadata"]["changes"]["name"]["to"].clone();
    let (first, second) = (first.as_str().unwrap(), second.as_str().unwrap());
    assert!(first.starts_with(" for [email:") && !first.contains("EMP"), "{first}");
    assert_eq!(first.trim_start_matches(" for "), second.trim_start_matches("x "), "one address, one pseudonym");

    // Off: personal data stays, credentials still go.
    let off = owner.put(&path, json!({"enabled": false})).await;
    assert_eq!(off.status, 200, "{}", off.body);
    owner.put(&format!("/v1/orgs/{org}"), json!({"name": "jane@example.com AKIAIOSFODNN7EXAMPLE"})).await;
    let event = latest(&owner, "org.updated").await;
    assert_eq!(event["metadata"]["changes"]["name"]["to"], "jane@example.com [redacted:aws_access_key]");

    let chain = owner.get("/v1/audit/verify").await;
    assert_eq!(chain.body["ok"], true, "minimized events still chain: {}", chain.body);
}

pub async fn a_data_policy_is_changed_only_by_admins_with_checked_patterns(backend: e2e::Backend) {
    use serde_json::json;
    let app = e2e::TestApp::spawn(backend).await;
    let owner = app.user("olivia");
    let org = owner.create_org("Acme").await;
    owner.add_member(&org, "dev", "developer").await;
    let path = format!("/v1/orgs/{org}/data-policy");
    let dev = app.user("dev");
    assert_eq!(dev.get(&path).await.status, 200, "members read it");
    let refused = dev.put(&path, json!({"enabled": false})).await;
    assert_eq!((refused.status, refused.problem_code()), (403, "forbidden"));
    let stranger = app.user("mallory");
    stranger.create_org("Other").await;
    assert_eq!(stranger.get(&path).await.status, 404, "another org's policy does not exist");
    assert_eq!(app.anonymous().get(&path).await.status, 401);

    let bad = owner
        .put(
            &path,
            json!({"custom_patterns": [
                {"name": "ok", "pattern": "EMP-(unclosed"},
                {"name": "email", "pattern": "x"},
                {"name": "wide", "pattern": "a?"},
            ]}),
        )
        .await;
    assert_eq!(bad.status, 422, "{}", bad.body);
    let fields: Vec<&str> =
        bad.body["errors"].as_array().unwrap().iter().map(|e| e["field"].as_str().unwrap()).collect();
    assert_eq!(fields, ["custom_patterns[0].pattern", "custom_patterns[1].name", "custom_patterns[2].pattern"]);
    let unknown = owner.put(&path, json!({"strategies": {"shoe_size": "mask"}})).await;
    assert_eq!(unknown.status, 422, "{}", unknown.body);
    let strategy = owner.put(&path, json!({"strategies": {"email": "encrypt"}})).await;
    assert_eq!(strategy.status, 422, "{}", strategy.body);
    let stale =
        e2e::send(owner.request(reqwest::Method::PUT, &path).header("if-match", "\"7\"").json(&json!({}))).await;
    assert_eq!(stale.status, 412);
    assert_eq!(owner.get(&path).await.header("etag"), Some("\"1\""), "nothing refused was stored");
}

pub async fn planted_tokens_leave_no_trace_at_rest_on_either_store(backend: e2e::Backend) {
    use serde_json::json;
    let app = e2e::TestApp::spawn(backend).await;
    let owner = app.user("olivia");
    let org = owner.create_org("Acme").await;
    let policy = owner.put(&format!("/v1/orgs/{org}/data-policy"), json!({"strategies": {"email": "hash"}})).await;
    assert_eq!(policy.status, 200, "{}", policy.body);
    let project = owner.create_project("web").await;
    let planted: Vec<Sample> = golden_samples().into_iter().filter(|s| !s.tokens.is_empty()).collect();
    // Each description change is an audit diff (and a published event);
    // the last one is clean, so no token rests in the project either.
    let mut batch = String::new();
    for sample in &planted {
        if batch.len() + sample.text.len() + 1 > 1000 {
            let changed = owner.put(&format!("/v1/projects/{project}"), json!({"description": batch})).await;
            assert_eq!(changed.status, 200, "{}", changed.body);
            batch.clear();
        }
        batch.push_str(&sample.text);
        batch.push('\n');
    }
    owner.put(&format!("/v1/projects/{project}"), json!({"description": batch})).await;
    owner.put(&format!("/v1/projects/{project}"), json!({"description": "clean"})).await;
    app.publish_and_deliver().await;
    let events = owner.get("/v1/audit?action=project.updated&limit=200").await;
    assert!(events.body["data"].as_array().unwrap().len() >= 10, "{}", events.body);

    let rest = app.everything_at_rest().await;
    let leaked: Vec<String> = planted
        .iter()
        .flat_map(|s| s.tokens.iter().map(move |(kind, value)| (&s.id, kind, value)))
        .filter(|(_, _, value)| {
            let escaped = serde_json::to_string(value).unwrap();
            rest.contains(value.as_str()) || rest.contains(&escaped[1..escaped.len() - 1])
        })
        .map(|(id, kind, value)| format!("{id}: {kind} {value}"))
        .collect();
    assert!(leaked.is_empty(), "{} planted tokens at rest:\n{}", leaked.len(), leaked.join("\n"));
    assert!(rest.contains("[email:") && rest.contains("[redacted:ssn]"), "their minimized forms are");
}
