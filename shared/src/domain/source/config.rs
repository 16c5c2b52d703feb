//! Each source kind's typed configuration (`connector`), its validation,
//! and the credential it needs.
//!
//! A request names `kind` and gives `connector` as JSON; [`SourceConfig::parse`]
//! reads it as that kind's struct (unknown fields refused) and then checks
//! what serde cannot: URLs, image references, account ids, regions.

use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};
use serde_json::Value;
use utoipa::ToSchema;

use crate::base::error::{DomainError, FieldError};
use crate::domain::credential::CredentialKind;

/// The largest uploaded document (an MCP configuration, IaC files) a
/// source holds, in bytes.
pub const MAX_DOCUMENT_BYTES: usize = 48 * 1024;
pub const MAX_IAC_FILES: usize = 20;
pub const MAX_LIST_ITEMS: usize = 50;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize, ToSchema)]
pub enum SourceKind {
    #[serde(rename = "scan.repo")]
    ScanRepo,
    #[serde(rename = "scan.image")]
    ScanImage,
    #[serde(rename = "scan.iac")]
    ScanIac,
    #[serde(rename = "scan.cloud")]
    ScanCloud,
    #[serde(rename = "scan.mcp_config")]
    ScanMcpConfig,
    #[serde(rename = "connector.cloud_read_only")]
    ConnectorCloudReadOnly,
    #[serde(rename = "connector.registry")]
    ConnectorRegistry,
    #[serde(rename = "connector.warehouse")]
    ConnectorWarehouse,
    #[serde(rename = "ingest.fleet_sync")]
    IngestFleetSync,
    #[serde(rename = "ingest.trace_push")]
    IngestTracePush,
    #[serde(rename = "ingest.result_push")]
    IngestResultPush,
    #[serde(rename = "ingest.artifact_import")]
    IngestArtifactImport,
    #[serde(rename = "runtime.proxy")]
    RuntimeProxy,
    #[serde(rename = "runtime.gateway")]
    RuntimeGateway,
}

/// Whether a kind takes a credential, and of which kinds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CredentialNeed {
    None,
    Optional(&'static [CredentialKind]),
    Required(&'static [CredentialKind]),
}

impl SourceKind {
    pub const ALL: [SourceKind; 14] = [
        SourceKind::ScanRepo,
        SourceKind::ScanImage,
        SourceKind::ScanIac,
        SourceKind::ScanCloud,
        SourceKind::ScanMcpConfig,
        SourceKind::ConnectorCloudReadOnly,
        SourceKind::ConnectorRegistry,
        SourceKind::ConnectorWarehouse,
        SourceKind::IngestFleetSync,
        SourceKind::IngestTracePush,
        SourceKind::IngestResultPush,
        SourceKind::IngestArtifactImport,
        SourceKind::RuntimeProxy,
        SourceKind::RuntimeGateway,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            SourceKind::ScanRepo => "scan.repo",
            SourceKind::ScanImage => "scan.image",
            SourceKind::ScanIac => "scan.iac",
            SourceKind::ScanCloud => "scan.cloud",
            SourceKind::ScanMcpConfig => "scan.mcp_config",
            SourceKind::ConnectorCloudReadOnly => "connector.cloud_read_only",
            SourceKind::ConnectorRegistry => "connector.registry",
            SourceKind::ConnectorWarehouse => "connector.warehouse",
            SourceKind::IngestFleetSync => "ingest.fleet_sync",
            SourceKind::IngestTracePush => "ingest.trace_push",
            SourceKind::IngestResultPush => "ingest.result_push",
            SourceKind::IngestArtifactImport => "ingest.artifact_import",
            SourceKind::RuntimeProxy => "runtime.proxy",
            SourceKind::RuntimeGateway => "runtime.gateway",
        }
    }

    pub fn credential(self) -> CredentialNeed {
        use CredentialKind::*;
        match self {
            SourceKind::ScanRepo | SourceKind::IngestArtifactImport => CredentialNeed::Optional(&[Token, Basic]),
            SourceKind::ScanImage => CredentialNeed::Optional(&[Registry]),
            SourceKind::ScanCloud | SourceKind::ConnectorCloudReadOnly => CredentialNeed::Required(&[AwsRole]),
            SourceKind::ConnectorRegistry => CredentialNeed::Required(&[Registry, Token]),
            SourceKind::ConnectorWarehouse => CredentialNeed::Required(&[Basic, Token]),
            SourceKind::IngestFleetSync | SourceKind::RuntimeGateway => CredentialNeed::Required(&[Token]),
            SourceKind::RuntimeProxy => CredentialNeed::Optional(&[Token]),
            SourceKind::ScanIac
            | SourceKind::ScanMcpConfig
            | SourceKind::IngestTracePush
            | SourceKind::IngestResultPush => CredentialNeed::None,
        }
    }

    /// Pushed to (`POST /v1/traces`, `POST /v1/results/push`) rather than run.
    pub fn is_pushed(self) -> bool {
        matches!(self, SourceKind::IngestTracePush | SourceKind::IngestResultPush)
    }
}

/// `scan.repo`: a Git repository over HTTPS.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct RepoScan {
    /// `https://…` clone URL, without credentials.
    pub repo_url: String,
    pub branch: Option<String>,
    /// Paths to scan (default: the whole tree).
    #[serde(default)]
    pub paths: Vec<String>,
}

/// `scan.image`: a container image.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ImageScan {
    /// `[registry/]repository[:tag][@sha256:…]`, e.g. `ghcr.io/acme/api:1.4`.
    pub image: String,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum IacFormat {
    Terraform,
    Cloudformation,
}

/// One uploaded IaC file.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct IacFile {
    /// e.g. `main.tf`, `template.yaml`.
    pub name: String,
    pub content: String,
}

/// `scan.iac`: uploaded Terraform or CloudFormation files, checked against
/// the documented rule set.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct IacScan {
    pub format: IacFormat,
    pub files: Vec<IacFile>,
}

/// `scan.mcp_config`: an uploaded MCP client configuration (JSON with
/// `mcpServers`, as Claude Desktop, Cursor and others write it).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct McpConfigScan {
    pub document: String,
}

/// `scan.cloud` and `connector.cloud_read_only`: an AWS account, read
/// through a role the credential names.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CloudAccount {
    /// 12 digits.
    pub account_id: String,
    /// e.g. `["us-east-1", "eu-west-1"]`; 1 to 50.
    pub regions: Vec<String>,
}

/// `connector.registry`: a container registry.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct RegistryConnector {
    /// `https://…` registry endpoint.
    pub registry_url: String,
    /// Repositories to list (default: all the credential can see).
    #[serde(default)]
    pub repositories: Vec<String>,
}

/// `connector.warehouse`: a data warehouse's HTTPS endpoint.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct WarehouseConnector {
    pub endpoint: String,
    pub database: String,
}

/// `ingest.fleet_sync`, `ingest.artifact_import`, `runtime.proxy`,
/// `runtime.gateway`: an HTTPS endpoint the source pulls from or fronts.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct Endpoint {
    pub url: String,
}

/// `ingest.trace_push`, `ingest.result_push`: batches are pushed to the
/// API; nothing to configure but an optional description of the sender.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct Pushed {
    pub sender: Option<String>,
}

/// A source's kind and its configuration, stored and shown as
/// `{"kind": "...", "connector": {...}}`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
#[serde(tag = "kind", content = "connector")]
pub enum SourceConfig {
    #[serde(rename = "scan.repo")]
    ScanRepo(RepoScan),
    #[serde(rename = "scan.image")]
    ScanImage(ImageScan),
    #[serde(rename = "scan.iac")]
    ScanIac(IacScan),
    #[serde(rename = "scan.cloud")]
    ScanCloud(CloudAccount),
    #[serde(rename = "scan.mcp_config")]
    ScanMcpConfig(McpConfigScan),
    #[serde(rename = "connector.cloud_read_only")]
    ConnectorCloudReadOnly(CloudAccount),
    #[serde(rename = "connector.registry")]
    ConnectorRegistry(RegistryConnector),
    #[serde(rename = "connector.warehouse")]
    ConnectorWarehouse(WarehouseConnector),
    #[serde(rename = "ingest.fleet_sync")]
    IngestFleetSync(Endpoint),
    #[serde(rename = "ingest.trace_push")]
    IngestTracePush(Pushed),
    #[serde(rename = "ingest.result_push")]
    IngestResultPush(Pushed),
    #[serde(rename = "ingest.artifact_import")]
    IngestArtifactImport(Endpoint),
    #[serde(rename = "runtime.proxy")]
    RuntimeProxy(Endpoint),
    #[serde(rename = "runtime.gateway")]
    RuntimeGateway(Endpoint),
}

/// Each kind with the schema of the `connector` [`SourceConfig::parse`]
/// reads for it (its field rules are in each schema's description and in
/// docs/api.md).
pub fn connectors_by_kind() -> Vec<(Value, Value)> {
    SourceKind::ALL
        .iter()
        .map(|&kind| {
            let schema = match kind {
                SourceKind::ScanRepo => "RepoScan",
                SourceKind::ScanImage => "ImageScan",
                SourceKind::ScanIac => "IacScan",
                SourceKind::ScanCloud | SourceKind::ConnectorCloudReadOnly => "CloudAccount",
                SourceKind::ScanMcpConfig => "McpConfigScan",
                SourceKind::ConnectorRegistry => "RegistryConnector",
                SourceKind::ConnectorWarehouse => "WarehouseConnector",
                SourceKind::IngestFleetSync
                | SourceKind::IngestArtifactImport
                | SourceKind::RuntimeProxy
                | SourceKind::RuntimeGateway => "Endpoint",
                SourceKind::IngestTracePush | SourceKind::IngestResultPush => "Pushed",
            };
            (serde_json::json!(kind), serde_json::json!({ "$ref": format!("#/components/schemas/{schema}") }))
        })
        .collect()
}

fn typed<T: DeserializeOwned>(value: Value) -> Result<T, DomainError> {
    serde_path_to_error::deserialize(value).map_err(|e| {
        let path = e.path().clone();
        DomainError::Validation(vec![FieldError::at("connector", &path, e.into_inner().to_string())])
    })
}

impl SourceConfig {
    /// Reads `connector` as `kind`'s configuration and validates it: 422
    /// naming the field (`connector.repo_url`). URLs are `https://`; with
    /// `local_http` (the local-development flag) also `http://` to a
    /// loopback host.
    pub fn parse(kind: SourceKind, connector: Value, local_http: bool) -> Result<Self, DomainError> {
        let connector = if connector.is_null() { Value::Object(Default::default()) } else { connector };
        let config = match kind {
            SourceKind::ScanRepo => SourceConfig::ScanRepo(typed(connector)?),
            SourceKind::ScanImage => SourceConfig::ScanImage(typed(connector)?),
            SourceKind::ScanIac => SourceConfig::ScanIac(typed(connector)?),
            SourceKind::ScanCloud => SourceConfig::ScanCloud(typed(connector)?),
            SourceKind::ScanMcpConfig => SourceConfig::ScanMcpConfig(typed(connector)?),
            SourceKind::ConnectorCloudReadOnly => SourceConfig::ConnectorCloudReadOnly(typed(connector)?),
            SourceKind::ConnectorRegistry => SourceConfig::ConnectorRegistry(typed(connector)?),
            SourceKind::ConnectorWarehouse => SourceConfig::ConnectorWarehouse(typed(connector)?),
            SourceKind::IngestFleetSync => SourceConfig::IngestFleetSync(typed(connector)?),
            SourceKind::IngestTracePush => SourceConfig::IngestTracePush(typed(connector)?),
            SourceKind::IngestResultPush => SourceConfig::IngestResultPush(typed(connector)?),
            SourceKind::IngestArtifactImport => SourceConfig::IngestArtifactImport(typed(connector)?),
            SourceKind::RuntimeProxy => SourceConfig::RuntimeProxy(typed(connector)?),
            SourceKind::RuntimeGateway => SourceConfig::RuntimeGateway(typed(connector)?),
        };
        config.validate(local_http)?;
        Ok(config)
    }

    pub fn kind(&self) -> SourceKind {
        match self {
            SourceConfig::ScanRepo(_) => SourceKind::ScanRepo,
            SourceConfig::ScanImage(_) => SourceKind::ScanImage,
            SourceConfig::ScanIac(_) => SourceKind::ScanIac,
            SourceConfig::ScanCloud(_) => SourceKind::ScanCloud,
            SourceConfig::ScanMcpConfig(_) => SourceKind::ScanMcpConfig,
            SourceConfig::ConnectorCloudReadOnly(_) => SourceKind::ConnectorCloudReadOnly,
            SourceConfig::ConnectorRegistry(_) => SourceKind::ConnectorRegistry,
            SourceConfig::ConnectorWarehouse(_) => SourceKind::ConnectorWarehouse,
            SourceConfig::IngestFleetSync(_) => SourceKind::IngestFleetSync,
            SourceConfig::IngestTracePush(_) => SourceKind::IngestTracePush,
            SourceConfig::IngestResultPush(_) => SourceKind::IngestResultPush,
            SourceConfig::IngestArtifactImport(_) => SourceKind::IngestArtifactImport,
            SourceConfig::RuntimeProxy(_) => SourceKind::RuntimeProxy,
            SourceConfig::RuntimeGateway(_) => SourceKind::RuntimeGateway,
        }
    }

    /// The HTTPS endpoint a kind that needs an outside service reaches, if any.
    pub fn endpoint(&self) -> Option<String> {
        match self {
            SourceConfig::ScanRepo(c) => Some(c.repo_url.clone()),
            SourceConfig::ScanImage(c) => Some(format!("https://{}/v2/", image_registry(&c.image))),
            SourceConfig::ScanCloud(c) | SourceConfig::ConnectorCloudReadOnly(c) => {
                let region = c.regions.first().map_or("us-east-1", String::as_str);
                Some(format!("https://sts.{region}.amazonaws.com/"))
            }
            SourceConfig::ConnectorRegistry(c) => Some(c.registry_url.clone()),
            SourceConfig::ConnectorWarehouse(c) => Some(c.endpoint.clone()),
            SourceConfig::IngestFleetSync(c)
            | SourceConfig::IngestArtifactImport(c)
            | SourceConfig::RuntimeProxy(c)
            | SourceConfig::RuntimeGateway(c) => Some(c.url.clone()),
            SourceConfig::ScanIac(_)
            | SourceConfig::ScanMcpConfig(_)
            | SourceConfig::IngestTracePush(_)
            | SourceConfig::IngestResultPush(_) => None,
        }
    }

    fn validate(&self, local_http: bool) -> Result<(), DomainError> {
        let https_url = |raw: &str| https_url(raw, local_http);
        let mut errors = Vec::new();
        let mut check = |field: &str, result: Result<(), String>| {
            if let Err(message) = result {
                errors.push(FieldError::new(format!("connector.{field}"), message));
            }
        };
        match self {
            SourceConfig::ScanRepo(c) => {
                check("repo_url", https_url(&c.repo_url));
                if let Some(branch) = &c.branch {
                    check("branch", git_ref(branch));
                }
                check("paths", list(&c.paths, relative_path));
            }
            SourceConfig::ScanImage(c) => check("image", image_ref(&c.image)),
            SourceConfig::ScanIac(c) => {
                if c.files.is_empty() || c.files.len() > MAX_IAC_FILES {
                    check("files", Err(format!("give 1 to {MAX_IAC_FILES} files")));
                }
                let total: usize = c.files.iter().map(|f| f.content.len()).sum();
                check("files", document_size(total));
                for (i, file) in c.files.iter().enumerate() {
                    check(&format!("files[{i}].name"), relative_path(&file.name));
                }
            }
            SourceConfig::ScanMcpConfig(c) => {
                check("document", document_size(c.document.len()));
                check(
                    "document",
                    serde_json::from_str::<Value>(&c.document).map(|_| ()).map_err(|e| format!("not JSON: {e}")),
                );
            }
            SourceConfig::ScanCloud(c) | SourceConfig::ConnectorCloudReadOnly(c) => {
                check("account_id", account_id(&c.account_id));
                if c.regions.is_empty() {
                    check("regions", Err("give at least one region".into()));
                }
                check("regions", list(&c.regions, region));
            }
            SourceConfig::ConnectorRegistry(c) => {
                check("registry_url", https_url(&c.registry_url));
                check("repositories", list(&c.repositories, repository));
            }
            SourceConfig::ConnectorWarehouse(c) => {
                check("endpoint", https_url(&c.endpoint));
                check("database", identifier(&c.database));
            }
            SourceConfig::IngestFleetSync(c)
            | SourceConfig::IngestArtifactImport(c)
            | SourceConfig::RuntimeProxy(c)
            | SourceConfig::RuntimeGateway(c) => check("url", https_url(&c.url)),
            SourceConfig::IngestTracePush(c) | SourceConfig::IngestResultPush(c) => {
                if c.sender.as_ref().is_some_and(|s| s.chars().count() > 100) {
                    check("sender", Err("at most 100 characters".into()));
                }
            }
        }
        if errors.is_empty() { Ok(()) } else { Err(DomainError::Validation(errors)) }
    }
}

fn list(items: &[String], each: impl Fn(&str) -> Result<(), String>) -> Result<(), String> {
    if items.len() > MAX_LIST_ITEMS {
        return Err(format!("at most {MAX_LIST_ITEMS} entries"));
    }
    items.iter().try_for_each(|item| each(item).map_err(|e| format!("`{item}`: {e}")))
}

fn document_size(bytes: usize) -> Result<(), String> {
    if bytes == 0 {
        Err("empty".into())
    } else if bytes > MAX_DOCUMENT_BYTES {
        Err(format!("at most {MAX_DOCUMENT_BYTES} bytes"))
    } else {
        Ok(())
    }
}

/// `https://host[:port]/…` without user info, at most 2,048 characters;
/// with `local_http` also `http://` to a loopback host.
pub fn https_url(raw: &str, local_http: bool) -> Result<(), String> {
    if raw.len() > 2048 {
        return Err("at most 2048 characters".into());
    }
    let url = url::Url::parse(raw).map_err(|e| format!("not a URL: {e}"))?;
    let loopback = matches!(url.host_str(), Some("localhost" | "127.0.0.1" | "[::1]"));
    if url.scheme() != "https" && !(local_http && url.scheme() == "http" && loopback) {
        return Err("must be https".into());
    }
    if url.host_str().is_none_or(str::is_empty) {
        return Err("must name a host".into());
    }
    if !url.username().is_empty() || url.password().is_some() {
        return Err("must not carry credentials; store them as a credential".into());
    }
    Ok(())
}

fn git_ref(s: &str) -> Result<(), String> {
    let valid = (1..=255).contains(&s.len())
        && !s.starts_with(['-', '/'])
        && !s.contains("..")
        && s.chars().all(|c| c.is_ascii_alphanumeric() || "-_./".contains(c));
    if valid { Ok(()) } else { Err("not a branch name".into()) }
}

fn relative_path(s: &str) -> Result<(), String> {
    let valid = (1..=255).contains(&s.len())
        && !s.starts_with('/')
        && !s.split('/').any(|part| part == "..")
        && crate::base::text::name_problem(s).is_none();
    if valid { Ok(()) } else { Err("not a relative path".into()) }
}

fn identifier(s: &str) -> Result<(), String> {
    let valid = (1..=128).contains(&s.len()) && s.chars().all(|c| c.is_ascii_alphanumeric() || "_-$".contains(c));
    if valid { Ok(()) } else { Err("1 to 128 letters, digits, `_`, `-` or `$`".into()) }
}

/// A repository path: lowercase components of letters, digits and
/// separators (`.`, `_`, `__`, `-`), joined by `/`.
fn repository(s: &str) -> Result<(), String> {
    let component = |c: &str| {
        !c.is_empty()
            && c.starts_with(|ch: char| ch.is_ascii_lowercase() || ch.is_ascii_digit())
            && c.ends_with(|ch: char| ch.is_ascii_lowercase() || ch.is_ascii_digit())
            && c.chars().all(|ch| ch.is_ascii_lowercase() || ch.is_ascii_digit() || "._-".contains(ch))
    };
    if s.len() <= 255 && s.split('/').all(component) { Ok(()) } else { Err("not a repository name".into()) }
}

/// The registry host an image reference names (Docker Hub when none).
pub fn image_registry(image: &str) -> &str {
    match image.split_once('/') {
        Some((first, _)) if first.contains(['.', ':']) || first == "localhost" => first,
        _ => "registry-1.docker.io",
    }
}

/// `[registry[:port]/]repository[:tag][@sha256:<64 hex>]`.
pub fn image_ref(image: &str) -> Result<(), String> {
    let bad = |why: &str| Err(format!("not an image reference ({why})"));
    if image.len() > 512 {
        return bad("too long");
    }
    let (rest, digest) = match image.split_once('@') {
        Some((rest, digest)) => (rest, Some(digest)),
        None => (image, None),
    };
    if let Some(digest) = digest {
        let hex = digest.strip_prefix("sha256:").unwrap_or_default();
        if hex.len() != 64 || !hex.chars().all(|c| c.is_ascii_digit() || ('a'..='f').contains(&c)) {
            return bad("a digest is sha256: and 64 lowercase hex digits");
        }
    }
    let registry = image_registry(rest);
    let path = if registry == "registry-1.docker.io" { rest } else { &rest[registry.len() + 1..] };
    let (path, tag) = match path.rsplit_once(':') {
        Some((path, tag)) => (path, Some(tag)),
        None => (path, None),
    };
    if let Some(tag) = tag {
        let valid = (1..=128).contains(&tag.len())
            && tag.starts_with(|c: char| c.is_ascii_alphanumeric() || c == '_')
            && tag.chars().all(|c| c.is_ascii_alphanumeric() || "_.-".contains(c));
        if !valid {
            return bad("a tag is up to 128 letters, digits, `_`, `.` or `-`");
        }
    }
    if registry.chars().any(|c| !(c.is_ascii_alphanumeric() || ".-:".contains(c))) {
        return bad("the registry is a host name");
    }
    repository(path).or_else(|_| bad("the repository is lowercase path components"))
}

/// 12 digits.
pub fn account_id(s: &str) -> Result<(), String> {
    if s.len() == 12 && s.chars().all(|c| c.is_ascii_digit()) {
        Ok(())
    } else {
        Err("an AWS account id is 12 digits".into())
    }
}

pub use crate::ports::aws::region_name as region;

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    fn field_of(error: DomainError) -> String {
        match error {
            DomainError::Validation(errors) => errors[0].field.clone(),
            other => panic!("not a validation error: {other:?}"),
        }
    }

    #[test]
    fn every_kind_parses_its_own_configuration_and_round_trips() {
        let cases = [
            (SourceKind::ScanRepo, json!({"repo_url": "https://github.com/acme/api.git", "branch": "main"})),
            (SourceKind::ScanImage, json!({"image": "ghcr.io/acme/api:1.4"})),
            (
                SourceKind::ScanIac,
                json!({"format": "terraform", "files": [{"name": "main.tf", "content": "resource \"x\" \"y\" {}"}]}),
            ),
            (SourceKind::ScanCloud, json!({"account_id": "123456789012", "regions": ["us-east-1"]})),
            (SourceKind::ScanMcpConfig, json!({"document": "{\"mcpServers\": {}}"})),
            (SourceKind::ConnectorCloudReadOnly, json!({"account_id": "123456789012", "regions": ["eu-west-1"]})),
            (SourceKind::ConnectorRegistry, json!({"registry_url": "https://ghcr.io", "repositories": ["acme/api"]})),
            (SourceKind::ConnectorWarehouse, json!({"endpoint": "https://wh.example.com", "database": "analytics"})),
            (SourceKind::IngestFleetSync, json!({"url": "https://fleet.example.com/sync"})),
            (SourceKind::IngestTracePush, json!({})),
            (SourceKind::IngestResultPush, Value::Null),
            (SourceKind::IngestArtifactImport, json!({"url": "https://artifacts.example.com/x"})),
            (SourceKind::RuntimeProxy, json!({"url": "https://proxy.example.com"})),
            (SourceKind::RuntimeGateway, json!({"url": "https://gw.example.com"})),
        ];
        assert_eq!(cases.len(), SourceKind::ALL.len());
        for (kind, connector) in cases {
            let config = SourceConfig::parse(kind, connector, false).unwrap_or_else(|e| panic!("{kind:?}: {e:?}"));
            assert_eq!(config.kind(), kind);
            let stored = serde_json::to_value(&config).unwrap();
            assert_eq!(stored["kind"], kind.as_str());
            assert_eq!(serde_json::from_value::<SourceConfig>(stored).unwrap(), config);
        }
    }

    #[test]
    fn bad_configurations_name_the_field() {
        let cases = [
            (SourceKind::ScanRepo, json!({"repo_url": "http://github.com/acme/api"}), "connector.repo_url"),
            (SourceKind::ScanRepo, json!({"repo_url": "https://u:p@github.com/x"}), "connector.repo_url"),
            (SourceKind::ScanRepo, json!({}), "connector.repo_url"),
            (SourceKind::ScanRepo, json!({"repo_url": "https://h/x", "colour": 1}), "connector.colour"),
            (SourceKind::ScanImage, json!({"image": "Acme/API"}), "connector.image"),
            (SourceKind::ScanImage, json!({"image": "acme/api@sha256:abc"}), "connector.image"),
            (SourceKind::ScanCloud, json!({"account_id": "12345", "regions": ["us-east-1"]}), "connector.account_id"),
            (SourceKind::ScanCloud, json!({"account_id": "123456789012", "regions": ["mars"]}), "connector.regions"),
            (SourceKind::ScanMcpConfig, json!({"document": "{not json"}), "connector.document"),
            (SourceKind::ScanIac, json!({"format": "pulumi", "files": []}), "connector.format"),
            (SourceKind::ScanIac, json!({"format": "terraform", "files": []}), "connector.files"),
            (SourceKind::ConnectorWarehouse, json!({"endpoint": "https://w", "database": "a b"}), "connector.database"),
        ];
        for (kind, connector, field) in cases {
            let error = SourceConfig::parse(kind, connector.clone(), false).expect_err(&connector.to_string());
            assert_eq!(field_of(error), field, "{connector}");
        }
    }

    #[test]
    fn image_references_and_regions_follow_their_grammars() {
        for ok in [
            "nginx",
            "nginx:1.27",
            "library/nginx",
            "ghcr.io/acme/api:v1",
            "localhost:5000/x/y",
            "a/b@sha256:".to_owned().as_str(),
        ] {
            if ok.ends_with("sha256:") {
                assert!(image_ref(&format!("{ok}{}", "a".repeat(64))).is_ok());
            } else {
                assert!(image_ref(ok).is_ok(), "{ok}");
            }
        }
        for bad in ["", "UPPER", "a//b", "a:tag with space", "-a"] {
            assert!(image_ref(bad).is_err(), "{bad}");
        }
        assert_eq!(image_registry("ghcr.io/acme/api"), "ghcr.io");
        assert_eq!(image_registry("acme/api"), "registry-1.docker.io");
        for ok in ["us-east-1", "eu-central-2", "us-gov-west-1", "ap-southeast-4"] {
            assert!(region(ok).is_ok(), "{ok}");
        }
        for bad in ["us-east", "US-EAST-1", "useast1", "us--1"] {
            assert!(region(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn plain_http_is_allowed_only_to_loopback_and_only_with_the_local_flag() {
        assert!(https_url("https://git.example.com/a.git", false).is_ok());
        assert!(https_url("http://127.0.0.1:8080/a.git", false).is_err());
        assert!(https_url("http://127.0.0.1:8080/a.git", true).is_ok());
        assert!(https_url("http://git.example.com/a.git", true).is_err());
        assert!(https_url("ftp://127.0.0.1/a", true).is_err());
    }
}
