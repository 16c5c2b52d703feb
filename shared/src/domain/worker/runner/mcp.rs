//! `scan.mcp_config`: reads an MCP client configuration (the `mcpServers`
//! object Claude Desktop, Cursor and others write; VS Code's `servers` or
//! `mcp.servers` too) and reports each server: transport, command, argument
//! count, the names (never the values) of its environment variables and
//! headers, and its host. Rules:
//!
//! | rule | severity | when |
//! |---|---|---|
//! | `mcp.shell_command` | high | the command is a shell (`sh`, `bash`, `zsh`, `cmd`, `powershell`, …) |
//! | `mcp.inline_secret` | high | an env var or header whose name says secret (`TOKEN`, `SECRET`, `KEY`, `PASSWORD`, `AUTHORIZATION`) has a literal value, not a `${…}` reference |
//! | `mcp.insecure_transport` | high | a remote server over `http://` to a host other than localhost |
//! | `mcp.privileged_container` | high | `docker run` with `--privileged`, the host's network, or `/` mounted |
//! | `mcp.unpinned_package` | medium | `npx`/`uvx`/`bunx`/`pipx` runs a package without a pinned version |
//! | `mcp.broad_filesystem` | medium | an argument grants `/`, `~` or `$HOME` as a whole |

use serde_json::{Map, Value, json};

use super::{Finding, Report, Severity};
use crate::domain::source::PolicyBinding;

const SHELLS: [&str; 8] = ["sh", "bash", "zsh", "fish", "dash", "cmd", "powershell", "pwsh"];
const RUNNERS: [&str; 4] = ["npx", "uvx", "bunx", "pipx"];
const SECRET_WORDS: [&str; 6] = ["TOKEN", "SECRET", "KEY", "PASSWORD", "PASSWD", "AUTHORIZATION"];

/// The file name of a command path (`/usr/bin/bash` -> `bash`, `cmd.exe` -> `cmd`).
fn program(command: &str) -> String {
    let name = command.rsplit(['/', '\\']).next().unwrap_or(command).to_ascii_lowercase();
    name.strip_suffix(".exe").map(str::to_owned).unwrap_or(name)
}

fn strings(value: Option<&Value>) -> Vec<String> {
    value
        .and_then(Value::as_array)
        .map(|a| a.iter().filter_map(|v| v.as_str().map(str::to_owned)).collect())
        .unwrap_or_default()
}

fn is_reference(value: &str) -> bool {
    value.is_empty() || (value.starts_with("${") && value.ends_with('}')) || value.starts_with("${input:")
}

/// Whether a package argument names a version: `pkg@1.2.3`, `@scope/pkg@1`, `pkg==1.0`.
fn pinned(package: &str) -> bool {
    let unscoped = package.strip_prefix('@').map_or(package, |rest| rest.split_once('/').map_or(rest, |(_, p)| p));
    let version = unscoped.split_once('@').map(|(_, v)| v).or_else(|| unscoped.split_once("==").map(|(_, v)| v));
    version.is_some_and(|v| v.starts_with(|c: char| c.is_ascii_digit()) && v != "latest")
}

fn check_server(name: &str, server: &Map<String, Value>, findings: &mut Vec<Finding>) -> Value {
    let at = format!("servers.{name}");
    let command = server.get("command").and_then(Value::as_str).unwrap_or_default();
    let args = strings(server.get("args"));
    let url = server.get("url").or_else(|| server.get("serverUrl")).and_then(Value::as_str);
    let transport = match (url, server.get("type").and_then(Value::as_str)) {
        (_, Some(kind)) => kind.to_owned(),
        (Some(_), None) => "http".to_owned(),
        (None, None) => "stdio".to_owned(),
    };
    let env = server.get("env").and_then(Value::as_object).cloned().unwrap_or_default();
    let headers = server.get("headers").and_then(Value::as_object).cloned().unwrap_or_default();
    let prog = program(command);

    if SHELLS.contains(&prog.as_str()) {
        findings.push(Finding::new("mcp.shell_command", Severity::High, &at, format!("runs a shell (`{prog}`)")));
    }
    if RUNNERS.contains(&prog.as_str())
        && let Some(package) = args.iter().find(|a| !a.starts_with('-'))
        && !pinned(package)
    {
        findings.push(Finding::new(
            "mcp.unpinned_package",
            Severity::Medium,
            &at,
            format!("`{prog}` runs `{package}` without a pinned version"),
        ));
    }
    if prog == "docker" {
        let privileged = args.iter().any(|a| {
            a == "--privileged"
                || a == "--network=host"
                || a == "--net=host"
                || a.starts_with("/:")
                || a == "--pid=host"
        }) || args.windows(2).any(|w| (w[0] == "-v" || w[0] == "--volume") && w[1].starts_with("/:"));
        if privileged {
            findings.push(Finding::new(
                "mcp.privileged_container",
                Severity::High,
                &at,
                "a container with host privileges, network or root filesystem",
            ));
        }
    }
    if args.iter().any(|a| matches!(a.as_str(), "/" | "~" | "~/" | "$HOME" | "${HOME}" | "C:\\" | "C:/")) {
        findings.push(Finding::new(
            "mcp.broad_filesystem",
            Severity::Medium,
            &at,
            "grants a whole filesystem or home directory",
        ));
    }
    for (kind, map) in [("env", &env), ("headers", &headers)] {
        for (var, value) in map {
            let upper = var.to_ascii_uppercase();
            let literal = value.as_str().is_some_and(|v| !is_reference(v));
            if literal && SECRET_WORDS.iter().any(|w| upper.contains(w)) {
                findings.push(Finding::new(
                    "mcp.inline_secret",
                    Severity::High,
                    format!("{at}.{kind}.{var}"),
                    format!("`{var}` holds a literal secret; reference it from the environment instead"),
                ));
            }
        }
    }
    let host = url.and_then(|u| url::Url::parse(u).ok());
    if let Some(parsed) = &host {
        let local = matches!(parsed.host_str(), Some("localhost" | "127.0.0.1" | "[::1]"));
        if parsed.scheme() == "http" && !local {
            findings.push(Finding::new(
                "mcp.insecure_transport",
                Severity::High,
                &at,
                "a remote server over plain http",
            ));
        }
    }
    json!({
        "name": name,
        "transport": transport,
        "command": if command.is_empty() { Value::Null } else { json!(prog) },
        "args": args.len(),
        "env_vars": env.keys().collect::<Vec<_>>(),
        "headers": headers.keys().collect::<Vec<_>>(),
        "host": host.as_ref().and_then(|u| u.host_str().map(str::to_owned)),
    })
}

/// Scans `document`; `Err` when it is not an MCP configuration.
pub fn scan(document: &str, bindings: &[PolicyBinding]) -> Result<Report, String> {
    let root: Value = serde_json::from_str(document).map_err(|e| format!("the document is not JSON: {e}"))?;
    let servers = root
        .get("mcpServers")
        .or_else(|| root.get("servers"))
        .or_else(|| root.get("mcp").and_then(|m| m.get("servers")))
        .and_then(Value::as_object)
        .ok_or("no `mcpServers` (or `servers`) object: not an MCP configuration")?;
    let mut findings = Vec::new();
    let mut reported = Vec::new();
    for (name, server) in servers {
        let server = server.as_object().ok_or_else(|| format!("server `{name}` is not an object"))?;
        reported.push(check_server(name, server, &mut findings));
    }
    let what = format!("{} MCP server(s)", reported.len());
    Ok(Report::scanned("mcp_config_report", &what, findings, json!({ "servers": reported }), bindings))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::source::RunOutcome;

    const RISKY: &str = r#"{
      "mcpServers": {
        "files": {"command": "npx", "args": ["-y", "@modelcontextprotocol/server-filesystem", "/"]},
        "pinned": {"command": "npx", "args": ["-y", "@modelcontextprotocol/server-memory@2025.4.25"]},
        "shell": {"command": "/bin/bash", "args": ["-c", "node server.js"]},
        "gh": {"command": "docker", "args": ["run", "-i", "--rm", "-e", "GITHUB_TOKEN", "ghcr.io/github/github-mcp-server"],
               "env": {"GITHUB_TOKEN": "ghp_literal_value_123", "LOG_LEVEL": "debug", "API_KEY": "${API_KEY}"}},
        "root": {"command": "docker", "args": ["run", "--privileged", "-v", "/:/host", "img"]},
        "remote": {"url": "http://mcp.example.com/sse", "headers": {"Authorization": "Bearer abc"}},
        "local": {"type": "http", "url": "http://localhost:8080/mcp"}
      }
    }"#;

    fn rules(report: &Report) -> Vec<(String, String)> {
        let mut rules: Vec<_> = report.findings.iter().map(|f| (f.rule.clone(), f.location.clone())).collect();
        rules.sort();
        rules
    }

    #[test]
    fn risky_settings_are_found_and_secret_values_are_never_reported() {
        let report = scan(RISKY, &[]).unwrap();
        let found = rules(&report);
        let expect = [
            ("mcp.broad_filesystem", "servers.files"),
            ("mcp.inline_secret", "servers.gh.env.GITHUB_TOKEN"),
            ("mcp.inline_secret", "servers.remote.headers.Authorization"),
            ("mcp.insecure_transport", "servers.remote"),
            ("mcp.privileged_container", "servers.root"),
            ("mcp.shell_command", "servers.shell"),
            ("mcp.unpinned_package", "servers.files"),
        ];
        let expect: Vec<(String, String)> = expect.iter().map(|(r, l)| (r.to_string(), l.to_string())).collect();
        assert_eq!(found, expect);
        assert_eq!(report.outcome, RunOutcome::Warn);
        assert!(report.summary.starts_with("7 MCP server(s): 7 finding(s)"), "{}", report.summary);
        let servers = &report.details["servers"];
        let gh = servers.as_array().unwrap().iter().find(|s| s["name"] == "gh").unwrap();
        assert_eq!(gh["env_vars"], json!(["API_KEY", "GITHUB_TOKEN", "LOG_LEVEL"]));
        assert_eq!(gh["command"], "docker");
        let text = format!("{report:?}");
        for secret in ["ghp_literal_value_123", "Bearer abc"] {
            assert!(!text.contains(secret), "{secret} reported");
        }
    }

    #[test]
    fn a_clean_configuration_is_ok_and_not_a_configuration_is_an_error() {
        let clean =
            r#"{"servers": {"mem": {"command": "uvx", "args": ["mcp-server-time==0.6.2"], "env": {"TZ": "UTC"}}}}"#;
        let report = scan(clean, &[]).unwrap();
        assert_eq!((report.outcome, report.findings.len()), (RunOutcome::Ok, 0));
        assert!(scan("{\"other\": 1}", &[]).is_err());
        assert!(scan("not json", &[]).is_err());
    }

    #[test]
    fn package_versions_count_as_pinned_only_when_they_name_a_version() {
        for yes in ["pkg@1.2.3", "@scope/pkg@0.1", "tool==2.0"] {
            assert!(pinned(yes), "{yes}");
        }
        for no in ["pkg", "@scope/pkg", "pkg@latest", "tool"] {
            assert!(!pinned(no), "{no}");
        }
    }
}
