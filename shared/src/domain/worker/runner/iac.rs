//! `scan.iac`: checks uploaded Terraform (HCL, parsed with `hcl-rs`) or
//! CloudFormation (YAML with its short-form tags, or JSON) against a small
//! rule set. Both are read into one model (resources with JSON properties)
//! and the rules run on that.
//!
//! | rule | severity | Terraform | CloudFormation |
//! |---|---|---|---|
//! | `iac.public_bucket` | high | `aws_s3_bucket`/`aws_s3_bucket_acl` `acl = "public-read(-write)"` | `AWS::S3::Bucket` `AccessControl: PublicRead(Write)` |
//! | `iac.open_ingress` | high | security group ingress (block, `aws_security_group_rule`, `aws_vpc_security_group_ingress_rule`) from `0.0.0.0/0` or `::/0` to port 22, 3389 or all | `AWS::EC2::SecurityGroup` `SecurityGroupIngress`, `AWS::EC2::SecurityGroupIngress` |
//! | `iac.public_database` | high | `aws_db_instance` `publicly_accessible = true` | `AWS::RDS::DBInstance` `PubliclyAccessible: true` |
//! | `iac.wildcard_iam` | high | an `aws_iam_policy_document` statement, or a literal JSON `policy`, allowing `*` on `*` | a `PolicyDocument` of `AWS::IAM::Policy`, `ManagedPolicy` or a role's `Policies` allowing `*` on `*` |
//! | `iac.unencrypted_storage` | medium | `aws_db_instance`/`aws_rds_cluster` without `storage_encrypted = true`, `aws_ebs_volume` without `encrypted = true` | `AWS::RDS::DBInstance`/`DBCluster` without `StorageEncrypted: true`, `AWS::EC2::Volume` without `Encrypted: true` |

use crate::domain::source::PolicyBinding;
use crate::domain::source::config::{IacFormat, IacScan};
use serde_json::{Map, Value, json};

use super::{Finding, Report, Severity};

/// One resource, whichever language declared it.
struct Resource {
    /// `aws_s3_bucket` or `AWS::S3::Bucket` (`data.aws_iam_policy_document` for Terraform data sources).
    kind: String,
    location: String,
    props: Value,
}

/// An HCL body as JSON: attributes by name (literals as they are, other
/// expressions as their `${…}` text), nested blocks as arrays by name.
fn body_to_json(body: &hcl::Body) -> Value {
    let mut map = Map::new();
    for attribute in body.attributes() {
        map.insert(attribute.key.to_string(), serde_json::to_value(&attribute.expr).unwrap_or(Value::Null));
    }
    for block in body.blocks() {
        let entry = map.entry(block.identifier.to_string()).or_insert_with(|| json!([]));
        if let Value::Array(items) = entry {
            items.push(body_to_json(&block.body));
        }
    }
    Value::Object(map)
}

fn terraform(name: &str, content: &str, out: &mut Vec<Resource>) -> Result<(), String> {
    let body = hcl::parse(content).map_err(|e| format!("{name}: not valid HCL: {e}"))?;
    for block in body.blocks() {
        let labels: Vec<String> = block.labels.iter().map(|l| l.as_str().to_owned()).collect();
        let (kind, id) = match (block.identifier.as_str(), labels.as_slice()) {
            ("resource", [kind, id]) => (kind.clone(), id.clone()),
            ("data", [kind, id]) => (format!("data.{kind}"), id.clone()),
            _ => continue,
        };
        out.push(Resource { location: format!("{name}:{kind}.{id}"), kind, props: body_to_json(&block.body) });
    }
    Ok(())
}

/// YAML into JSON, with CloudFormation's short forms as their long forms
/// (`!Ref x` -> `{"Ref": "x"}`, `!Sub s` -> `{"Fn::Sub": "s"}`).
fn yaml_to_json(value: serde_yaml_ng::Value) -> Value {
    use serde_yaml_ng::Value as Y;
    match value {
        Y::Null => Value::Null,
        Y::Bool(b) => Value::Bool(b),
        Y::Number(n) => n
            .as_i64()
            .map(Value::from)
            .or_else(|| n.as_u64().map(Value::from))
            .or_else(|| n.as_f64().map(Value::from))
            .unwrap_or(Value::Null),
        Y::String(s) => Value::String(s),
        Y::Sequence(items) => Value::Array(items.into_iter().map(yaml_to_json).collect()),
        Y::Mapping(map) => Value::Object(
            map.into_iter()
                .map(|(k, v)| {
                    let key = match k {
                        Y::String(s) => s,
                        other => serde_yaml_ng::to_string(&other).unwrap_or_default().trim().to_owned(),
                    };
                    (key, yaml_to_json(v))
                })
                .collect(),
        ),
        Y::Tagged(tagged) => {
            let tag = tagged.tag.to_string();
            let name = tag.trim_start_matches('!');
            let long = if matches!(name, "Ref" | "Condition") { name.to_owned() } else { format!("Fn::{name}") };
            json!({ long: yaml_to_json(tagged.value) })
        }
    }
}

fn cloudformation(name: &str, content: &str, out: &mut Vec<Resource>) -> Result<(), String> {
    let template: Value = match serde_json::from_str(content) {
        Ok(json) => json,
        Err(_) => {
            yaml_to_json(serde_yaml_ng::from_str(content).map_err(|e| format!("{name}: neither JSON nor YAML: {e}"))?)
        }
    };
    let resources = template
        .get("Resources")
        .and_then(Value::as_object)
        .ok_or_else(|| format!("{name}: no `Resources`: not a CloudFormation template"))?;
    for (id, resource) in resources {
        let kind = resource.get("Type").and_then(Value::as_str).unwrap_or_default().to_owned();
        let props = resource.get("Properties").cloned().unwrap_or(json!({}));
        out.push(Resource { location: format!("{name}:{id}"), kind, props });
    }
    Ok(())
}

fn truthy(value: Option<&Value>) -> bool {
    match value {
        Some(Value::Bool(b)) => *b,
        Some(Value::String(s)) => s.eq_ignore_ascii_case("true"),
        _ => false,
    }
}

fn text(value: Option<&Value>) -> Option<&str> {
    value.and_then(Value::as_str)
}

fn number(value: Option<&Value>) -> Option<i64> {
    match value {
        Some(Value::Number(n)) => n.as_i64(),
        Some(Value::String(s)) => s.parse().ok(),
        _ => None,
    }
}

/// Texts of a string or an array of strings.
fn texts(value: Option<&Value>) -> Vec<&str> {
    match value {
        Some(Value::String(s)) => vec![s.as_str()],
        Some(Value::Array(items)) => items.iter().filter_map(Value::as_str).collect(),
        _ => Vec::new(),
    }
}

fn blocks(value: Option<&Value>) -> Vec<&Value> {
    match value {
        Some(Value::Array(items)) => items.iter().collect(),
        Some(object @ Value::Object(_)) => vec![object],
        _ => Vec::new(),
    }
}

/// An ingress rule open to the internet on SSH, RDP or every port.
fn open_ingress(cidrs: &[&str], protocol: Option<&str>, from: Option<i64>, to: Option<i64>) -> Option<String> {
    let world = cidrs.iter().find(|c| **c == "0.0.0.0/0" || **c == "::/0")?;
    if matches!(protocol, Some("-1" | "all")) {
        return Some(format!("every port open to {world}"));
    }
    let (from, to) = (from?, to.or(Some(from?))?);
    [22, 3389].into_iter().find(|p| from <= *p && *p <= to).map(|p| format!("port {p} open to {world}"))
}

/// Whether a policy document (JSON) allows every action on every resource.
fn wildcard_document(document: &Value) -> bool {
    blocks(document.get("Statement")).into_iter().any(|statement| {
        text(statement.get("Effect")) != Some("Deny")
            && texts(statement.get("Action")).contains(&"*")
            && texts(statement.get("Resource")).contains(&"*")
    })
}

fn check(resource: &Resource, findings: &mut Vec<Finding>) {
    let p = &resource.props;
    let at = resource.location.clone();
    let mut found = |rule: &str, severity: Severity, message: String| {
        findings.push(Finding::new(rule, severity, at.clone(), message));
    };
    match resource.kind.as_str() {
        "aws_s3_bucket" | "aws_s3_bucket_acl" => {
            if let Some(acl @ ("public-read" | "public-read-write")) = text(p.get("acl")) {
                found("iac.public_bucket", Severity::High, format!("bucket ACL `{acl}`"));
            }
        }
        "AWS::S3::Bucket" => {
            if let Some(acl @ ("PublicRead" | "PublicReadWrite")) = text(p.get("AccessControl")) {
                found("iac.public_bucket", Severity::High, format!("bucket AccessControl `{acl}`"));
            }
        }
        "aws_security_group" => {
            for rule in blocks(p.get("ingress")) {
                let mut cidrs = texts(rule.get("cidr_blocks"));
                cidrs.extend(texts(rule.get("ipv6_cidr_blocks")));
                let open = open_ingress(
                    &cidrs,
                    text(rule.get("protocol")),
                    number(rule.get("from_port")),
                    number(rule.get("to_port")),
                );
                if let Some(why) = open {
                    found("iac.open_ingress", Severity::High, why);
                }
            }
        }
        "aws_security_group_rule" if text(p.get("type")) == Some("ingress") => {
            let mut cidrs = texts(p.get("cidr_blocks"));
            cidrs.extend(texts(p.get("ipv6_cidr_blocks")));
            if let Some(why) =
                open_ingress(&cidrs, text(p.get("protocol")), number(p.get("from_port")), number(p.get("to_port")))
            {
                found("iac.open_ingress", Severity::High, why);
            }
        }
        "aws_vpc_security_group_ingress_rule" => {
            let mut cidrs = texts(p.get("cidr_ipv4"));
            cidrs.extend(texts(p.get("cidr_ipv6")));
            if let Some(why) =
                open_ingress(&cidrs, text(p.get("ip_protocol")), number(p.get("from_port")), number(p.get("to_port")))
            {
                found("iac.open_ingress", Severity::High, why);
            }
        }
        "AWS::EC2::SecurityGroup" | "AWS::EC2::SecurityGroupIngress" => {
            let rules = if resource.kind == "AWS::EC2::SecurityGroup" {
                blocks(p.get("SecurityGroupIngress"))
            } else {
                vec![p]
            };
            for rule in rules {
                let mut cidrs = texts(rule.get("CidrIp"));
                cidrs.extend(texts(rule.get("CidrIpv6")));
                let protocol = match rule.get("IpProtocol") {
                    Some(Value::Number(n)) => Some(n.to_string()),
                    other => text(other).map(str::to_owned),
                };
                let open =
                    open_ingress(&cidrs, protocol.as_deref(), number(rule.get("FromPort")), number(rule.get("ToPort")));
                if let Some(why) = open {
                    found("iac.open_ingress", Severity::High, why);
                }
            }
        }
        "aws_db_instance" | "aws_rds_cluster" => {
            if resource.kind == "aws_db_instance" && truthy(p.get("publicly_accessible")) {
                found("iac.public_database", Severity::High, "publicly_accessible = true".into());
            }
            if !truthy(p.get("storage_encrypted")) {
                found("iac.unencrypted_storage", Severity::Medium, "storage_encrypted is not true".into());
            }
        }
        "AWS::RDS::DBInstance" | "AWS::RDS::DBCluster" => {
            if resource.kind == "AWS::RDS::DBInstance" && truthy(p.get("PubliclyAccessible")) {
                found("iac.public_database", Severity::High, "PubliclyAccessible: true".into());
            }
            if !truthy(p.get("StorageEncrypted")) {
                found("iac.unencrypted_storage", Severity::Medium, "StorageEncrypted is not true".into());
            }
        }
        "aws_ebs_volume" if !truthy(p.get("encrypted")) => {
            found("iac.unencrypted_storage", Severity::Medium, "encrypted is not true".into());
        }
        "AWS::EC2::Volume" if !truthy(p.get("Encrypted")) => {
            found("iac.unencrypted_storage", Severity::Medium, "Encrypted is not true".into());
        }
        "data.aws_iam_policy_document" => {
            let wildcard = blocks(p.get("statement")).into_iter().any(|s| {
                text(s.get("effect")) != Some("Deny")
                    && texts(s.get("actions")).contains(&"*")
                    && texts(s.get("resources")).contains(&"*")
            });
            if wildcard {
                found("iac.wildcard_iam", Severity::High, "a statement allows `*` on `*`".into());
            }
        }
        "aws_iam_policy" | "aws_iam_role_policy" | "aws_iam_user_policy" | "aws_iam_group_policy" => {
            let document = text(p.get("policy")).and_then(|s| serde_json::from_str::<Value>(s).ok());
            if document.as_ref().is_some_and(wildcard_document) {
                found("iac.wildcard_iam", Severity::High, "the policy allows `*` on `*`".into());
            }
        }
        "AWS::IAM::Policy" | "AWS::IAM::ManagedPolicy" | "AWS::IAM::Role" => {
            let mut documents: Vec<&Value> = p.get("PolicyDocument").into_iter().collect();
            documents.extend(blocks(p.get("Policies")).into_iter().filter_map(|policy| policy.get("PolicyDocument")));
            if documents.into_iter().any(wildcard_document) {
                found("iac.wildcard_iam", Severity::High, "a policy allows `*` on `*`".into());
            }
        }
        _ => {}
    }
}

/// Scans the uploaded files; `Err` when one does not parse.
pub fn scan(config: &IacScan, bindings: &[PolicyBinding]) -> Result<Report, String> {
    let mut resources = Vec::new();
    for file in &config.files {
        match config.format {
            IacFormat::Terraform => terraform(&file.name, &file.content, &mut resources)?,
            IacFormat::Cloudformation => cloudformation(&file.name, &file.content, &mut resources)?,
        }
    }
    let mut findings = Vec::new();
    for resource in &resources {
        check(resource, &mut findings);
    }
    let what = format!("{} resource(s) in {} file(s)", resources.len(), config.files.len());
    let checked: Vec<Value> = resources.iter().map(|r| json!({ "type": r.kind, "at": r.location })).collect();
    Ok(Report::scanned("iac_findings", &what, findings, json!({ "resources": checked }), bindings))
}

#[cfg(test)]
mod tests {
    use crate::base::ids::{BindingId, SourceId};
    use crate::base::tenant::OrgId;
    use crate::domain::source::config::IacFile;
    use crate::domain::source::{PolicyMode, RunOutcome};

    use super::*;

    pub const TERRAFORM: &str = r#"
resource "aws_s3_bucket" "logs" {
  bucket = "acme-logs"
  acl    = "public-read"
}

resource "aws_security_group" "web" {
  name = "web"
  ingress {
    from_port   = 443
    to_port     = 443
    protocol    = "tcp"
    cidr_blocks = ["0.0.0.0/0"]
  }
  ingress {
    from_port   = 0
    to_port     = 65535
    protocol    = "tcp"
    cidr_blocks = ["0.0.0.0/0"]
  }
}

resource "aws_db_instance" "main" {
  engine              = "postgres"
  publicly_accessible = true
  storage_encrypted   = var.encrypt
}

resource "aws_ebs_volume" "data" {
  size      = 10
  encrypted = true
}

data "aws_iam_policy_document" "admin" {
  statement {
    actions   = ["*"]
    resources = ["*"]
  }
}
"#;

    const CLOUDFORMATION: &str = r#"
AWSTemplateFormatVersion: "2010-09-09"
Resources:
  Bucket:
    Type: AWS::S3::Bucket
    Properties:
      BucketName: !Sub "${AWS::StackName}-site"
      AccessControl: PublicReadWrite
  Ssh:
    Type: AWS::EC2::SecurityGroup
    Properties:
      GroupDescription: ssh
      VpcId: !Ref Vpc
      SecurityGroupIngress:
        - IpProtocol: tcp
          FromPort: 22
          ToPort: 22
          CidrIp: 0.0.0.0/0
  Db:
    Type: AWS::RDS::DBInstance
    Properties:
      StorageEncrypted: true
      PubliclyAccessible: "false"
  Admin:
    Type: AWS::IAM::Role
    Properties:
      AssumeRolePolicyDocument: {}
      Policies:
        - PolicyName: all
          PolicyDocument:
            Statement:
              - Effect: Allow
                Action: "*"
                Resource: "*"
"#;

    fn config(format: IacFormat, name: &str, content: &str) -> IacScan {
        IacScan { format, files: vec![IacFile { name: name.into(), content: content.into() }] }
    }

    fn rules(report: &Report) -> Vec<(String, String)> {
        let mut found: Vec<_> = report.findings.iter().map(|f| (f.rule.clone(), f.location.clone())).collect();
        found.sort();
        found
    }

    fn pairs(list: &[(&str, &str)]) -> Vec<(String, String)> {
        list.iter().map(|(a, b)| (a.to_string(), b.to_string())).collect()
    }

    #[test]
    fn terraform_resources_break_the_documented_rules_where_they_should() {
        let report = scan(&config(IacFormat::Terraform, "main.tf", TERRAFORM), &[]).unwrap();
        assert_eq!(
            rules(&report),
            pairs(&[
                ("iac.open_ingress", "main.tf:aws_security_group.web"),
                ("iac.public_bucket", "main.tf:aws_s3_bucket.logs"),
                ("iac.public_database", "main.tf:aws_db_instance.main"),
                ("iac.unencrypted_storage", "main.tf:aws_db_instance.main"),
                ("iac.wildcard_iam", "main.tf:data.aws_iam_policy_document.admin"),
            ])
        );
        assert_eq!(report.outcome, RunOutcome::Warn);
        assert!(report.summary.starts_with("5 resource(s) in 1 file(s): 5 finding(s)"), "{}", report.summary);
    }

    #[test]
    fn cloudformation_yaml_with_short_form_tags_is_checked_the_same_way() {
        let report = scan(&config(IacFormat::Cloudformation, "template.yaml", CLOUDFORMATION), &[]).unwrap();
        assert_eq!(
            rules(&report),
            pairs(&[
                ("iac.open_ingress", "template.yaml:Ssh"),
                ("iac.public_bucket", "template.yaml:Bucket"),
                ("iac.wildcard_iam", "template.yaml:Admin"),
            ])
        );
        let json = r#"{"Resources": {"V": {"Type": "AWS::EC2::Volume", "Properties": {"Size": 8}}}}"#;
        let report = scan(&config(IacFormat::Cloudformation, "t.json", json), &[]).unwrap();
        assert_eq!(rules(&report), pairs(&[("iac.unencrypted_storage", "t.json:V")]));
    }

    #[test]
    fn an_enforced_policy_turns_its_findings_into_an_error_and_bad_files_do_not_parse() {
        let binding = |policy: &str, mode| PolicyBinding {
            binding_id: BindingId::generate(),
            org_id: OrgId::generate(),
            source_id: SourceId::generate(),
            policy_id: policy.into(),
            mode,
            created_by: "u".into(),
            created_at: chrono::Utc::now(),
        };
        let cfg = config(IacFormat::Terraform, "main.tf", TERRAFORM);
        let audited = scan(&cfg, &[binding("iac.public_bucket", PolicyMode::Audit)]).unwrap();
        assert_eq!(audited.outcome, RunOutcome::Warn);
        assert_eq!(audited.details["policy_results"][0]["findings"], 1);
        let enforced = scan(&cfg, &[binding("iac", PolicyMode::Enforce)]).unwrap();
        assert_eq!(enforced.outcome, RunOutcome::Error, "a family binding covers every iac.* rule");
        assert!(enforced.summary.contains("5 break an enforced policy"), "{}", enforced.summary);
        let other = scan(&cfg, &[binding("mcp.shell_command", PolicyMode::Enforce)]).unwrap();
        assert_eq!(other.outcome, RunOutcome::Warn);
        assert!(scan(&config(IacFormat::Terraform, "bad.tf", "resource \"x\" {"), &[]).is_err());
        assert!(scan(&config(IacFormat::Cloudformation, "t.yaml", "Parameters: {}"), &[]).is_err());
    }
}
