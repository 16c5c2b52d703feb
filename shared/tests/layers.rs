//! The layer rule of `shared/src`, checked on every test run: each folder is
//! a layer, and a file may name only its own layer and the ones below it.
//!
//! base (ids, tenant context, roles, the domain error) → ports (store,
//! queue, secrets, blobs, bus, outbound HTTP, AWS configuration; adapters
//! beside their port) → domain (entities, events, webhooks, schedules,
//! jobs and their handlers) → edge (HTTP extractors and middleware,
//! authentication, problem+json, OpenAPI, the state routes are served
//! with) → api (the REST routes the MCP gateway serves too) → app (the
//! composition root, and the test helpers built on it).
//!
//! A name reaches another module as `crate::top::…` (also inside a `use
//! crate::{…}` group) or as enough `super::` to climb out of the layer; both
//! are read here, in code, attributes and macro bodies alike (comments
//! aside). The crate root's re-exports count as the layer they come from.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

/// The layers, lowest first.
const LAYERS: [(&str, u8); 7] =
    [("base", 0), ("ports", 1), ("domain", 2), ("edge", 3), ("api", 4), ("app", 5), ("testing", 5)];

fn rank(top: &str) -> Option<u8> {
    LAYERS.iter().find(|(name, _)| *name == top).map(|(_, rank)| *rank)
}

/// One name that points up the layers.
#[derive(Debug, PartialEq, Eq)]
struct Violation {
    file: String,
    line: usize,
    names: String,
}

/// The layer a name at the crate root belongs to: a module's own, or, for
/// a re-export (`pub use edge::AppState;`) or an item defined in `lib.rs`,
/// the layer it comes from (items defined there count as base).
fn root_names(lib: &str) -> BTreeMap<String, u8> {
    let mut names = BTreeMap::new();
    for line in lib.lines().map(str::trim) {
        if let Some(rest) = line.strip_prefix("pub use ") {
            let rest = rest.trim_end_matches(';');
            let Some(layer) = rest.split("::").next().and_then(rank) else { continue };
            let last = rest.rsplit("::").next().unwrap_or_default();
            for name in last.trim_matches(|c| c == '{' || c == '}').split(',') {
                names.insert(name.trim().to_owned(), layer);
            }
        } else if let Some(rest) = line.strip_prefix("pub fn ").or_else(|| line.strip_prefix("pub const ")) {
            let name: String = rest.chars().take_while(|c| c.is_alphanumeric() || *c == '_').collect();
            names.insert(name, 0);
        }
    }
    names
}

/// The source without its comments (line, block and doc comments), string
/// contents kept: attribute strings such as `deserialize_with` name paths.
fn without_comments(source: &str) -> String {
    let chars: Vec<char> = source.chars().collect();
    let mut out = String::with_capacity(source.len());
    let (mut i, mut in_string) = (0, false);
    while i < chars.len() {
        let (c, next) = (chars[i], chars.get(i + 1).copied());
        if in_string {
            out.push(c);
            if c == '\\' {
                out.extend(next);
                i += 1;
            } else if c == '"' {
                in_string = false;
            }
        } else if c == '"' {
            in_string = true;
            out.push(c);
        } else if c == '/' && next == Some('/') {
            while i < chars.len() && chars[i] != '\n' {
                i += 1;
            }
            continue;
        } else if c == '/' && next == Some('*') {
            let mut depth = 0;
            while i < chars.len() {
                if chars[i] == '/' && chars.get(i + 1) == Some(&'*') {
                    depth += 1;
                    i += 1;
                } else if chars[i] == '*' && chars.get(i + 1) == Some(&'/') {
                    depth -= 1;
                    i += 1;
                    if depth == 0 {
                        i += 1;
                        break;
                    }
                } else if chars[i] == '\n' {
                    out.push('\n');
                }
                i += 1;
            }
            continue;
        } else {
            out.push(c);
        }
        i += 1;
    }
    out
}

fn ident_at(s: &str) -> &str {
    let end = s.find(|c: char| !(c.is_alphanumeric() || c == '_')).unwrap_or(s.len());
    &s[..end]
}

/// The top-level names after `crate::` at the start of `rest`: one, or
/// each of a `{…}` group's.
fn tops_after(rest: &str) -> Vec<String> {
    let Some(group) = rest.strip_prefix('{') else { return vec![ident_at(rest).to_owned()] };
    let (mut depth, mut tops, mut expecting) = (0, Vec::new(), true);
    for (i, c) in group.char_indices() {
        match c {
            '{' => depth += 1,
            '}' if depth == 0 => break,
            '}' => depth -= 1,
            ',' if depth == 0 => expecting = true,
            c if expecting && depth == 0 && (c.is_alphabetic() || c == '_') => {
                tops.push(ident_at(&group[i..]).to_owned());
                expecting = false;
            }
            _ => {}
        }
    }
    tops
}

/// Every name in `source` (the file at `relative`, under `src/`) that points
/// to a higher layer than the file's own.
fn violations(relative: &Path, source: &str, roots: &BTreeMap<String, u8>) -> Result<Vec<Violation>, String> {
    let parts: Vec<String> = relative.iter().map(|p| p.to_string_lossy().into_owned()).collect();
    let top = parts[0].trim_end_matches(".rs");
    if top == "lib" {
        return Ok(Vec::new());
    }
    let own = rank(top).ok_or_else(|| format!("{}: `{top}` is in no layer; add it to one", relative.display()))?;
    // How deep the file's module is below the crate root (`mod.rs` is its
    // folder's module).
    let depth = parts.len() - usize::from(parts.last().is_some_and(|f| f == "mod.rs"));
    let layer_of = |name: &str| rank(name).or_else(|| roots.get(name).copied());
    let mut found = Vec::new();
    for (n, line) in without_comments(source).lines().enumerate() {
        let mut named = Vec::new();
        for (at, _) in line.match_indices("crate::") {
            let preceded = line[..at].chars().next_back().is_some_and(|c| c.is_alphanumeric() || c == '_' || c == '$');
            if !preceded {
                named.extend(tops_after(&line[at + "crate::".len()..]));
            }
        }
        let mut rest = line;
        while let Some(at) = rest.find("super::") {
            let preceded = rest[..at].chars().next_back().is_some_and(|c| c.is_alphanumeric() || c == '_');
            let mut after = &rest[at..];
            let mut climbs = 0;
            while let Some(next) = after.strip_prefix("super::") {
                climbs += 1;
                after = next;
            }
            if !preceded && climbs >= depth {
                named.extend(tops_after(after));
            }
            rest = after;
        }
        let above: Vec<String> = named.into_iter().filter(|name| layer_of(name).is_some_and(|r| r > own)).collect();
        if !above.is_empty() {
            found.push(Violation { file: relative.display().to_string(), line: n + 1, names: above.join(", ") });
        }
    }
    Ok(found)
}

fn sources(dir: &Path, out: &mut Vec<PathBuf>) {
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            sources(&path, out);
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(path);
        }
    }
}

#[test]
fn every_file_in_shared_names_only_its_own_layer_and_the_ones_below() {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let roots = root_names(&std::fs::read_to_string(src.join("lib.rs")).unwrap());
    let mut files = Vec::new();
    sources(&src, &mut files);
    assert!(files.len() > 50, "read {} files under {}", files.len(), src.display());
    let mut found = Vec::new();
    for file in files {
        let relative = file.strip_prefix(&src).unwrap();
        found.extend(violations(relative, &std::fs::read_to_string(&file).unwrap(), &roots).unwrap());
    }
    let listed: Vec<String> = found.iter().map(|v| format!("{}:{} names {}", v.file, v.line, v.names)).collect();
    assert!(listed.is_empty(), "names that point up the layers:\n{}", listed.join("\n"));
}

fn check(file: &str, source: &str) -> Vec<Violation> {
    let roots = root_names("pub use edge::AppState;\npub use base::tenant::{OrgId, TenantId};\npub fn now() {}\n");
    violations(Path::new(file), source, &roots).unwrap()
}

#[test]
fn a_reversed_import_fails_the_check_in_each_form_it_can_take() {
    let reversed = [
        ("base/ids.rs", "use crate::edge::http::Cursor;"),
        ("ports/store/mod.rs", "use crate::{base::ids::OrgId, domain::project::Project};"),
        ("domain/project.rs", "fn parse(s: &str) -> Result<Project, crate::edge::error::ApiError>;"),
        ("domain/source/config.rs", r#"#[serde(deserialize_with = "crate::edge::http::extract::present")]"#),
        ("edge/http/mod.rs", "use crate::app::Defaults;"),
        ("base/tenant.rs", "use super::super::domain::org::Org;"),
        ("ports/mod.rs", "pub use super::edge::AppState;"),
        ("domain/org.rs", "fn f(s: &crate::AppState) {}"),
    ];
    for (file, source) in reversed {
        let found = check(file, source);
        assert_eq!(found.len(), 1, "{file}: `{source}` passed the check");
    }
}

#[test]
fn names_of_the_same_or_lower_layers_and_comments_pass() {
    let allowed = [
        ("edge/http/mod.rs", "use crate::{base::ids::OrgId, domain::project::Project, ports::store::Key};"),
        ("domain/worker/mod.rs", "use super::job::Job;\nuse crate::TenantId;\nlet t = crate::now();"),
        (
            "base/tenant.rs",
            "// see crate::edge::auth for who builds one\n/* crate::app */ use crate::base::ids::KeyId;",
        ),
        ("app.rs", "use crate::edge::AppState;\nuse crate::domain::worker::Worker;"),
        ("ports/store/sqlite.rs", "use super::{Item, Key};\nuse super::super::aws::Lazy;"),
    ];
    for (file, source) in allowed {
        let found = check(file, source);
        assert!(found.is_empty(), "{file}: `{source}`: {found:?}");
    }
}

#[test]
fn a_file_outside_every_layer_is_refused() {
    let roots = BTreeMap::new();
    let refused = violations(Path::new("helpers/misc.rs"), "", &roots).unwrap_err();
    assert!(refused.contains("no layer"), "{refused}");
}
