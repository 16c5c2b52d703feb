//! Projects: named, soft-deletable containers inside an org. Names are
//! unique per org (case-insensitively) through a name-lock item that a
//! delete releases, so a deleted project's name can be reused.

use crate::base::residency::Region;
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use crate::base::error::DomainError;
use crate::base::ids::ProjectId;
use std::collections::HashMap;
use std::sync::Mutex;

use crate::base::tenant::{OrgId, TenantId};
use crate::ports::store::{Item, Key, Partition, Query, SortKey, StoreError};

pub const PROJECT_PREFIX: &str = "PROJECT#";
/// The runtime template new projects are provisioned with. Raising it is
/// how a new template ships: projects below it are re-provisioned (see the
/// migration section of docs/api.md).
pub const RUNTIME_TEMPLATE_VERSION: u32 = 1;
pub const MAX_DESCRIPTION_CHARS: usize = 1000;

/// 1–64 characters: any but ASCII punctuation other than `-`, `_` and
/// `.`, whitespace other than spaces, and what no name may hold (see
/// `text::name_problem`); it neither starts with a space, `-`, `_` or `.`
/// nor ends with a space. So letters and digits of every script, and
/// never a character that means something in a path or a query.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct ProjectName(String);

/// [`ProjectName::parse`] as a regular expression (a test holds them to
/// each other): ASCII punctuation but `-`, `_` and `.` is
/// `\u0021-\u002c\u002f\u003a-\u0040\u005b-\u005e\u0060\u007b-\u007e`.
pub const PROJECT_NAME_PATTERN: &str = concat!(
    "^[^\\s\\u0021-\\u002f\\u003a-\\u0040\\u005b-\\u0060\\u007b-\\u007e",
    crate::refused_in_names!(),
    "](?:(?:[^\\s\\u0021-\\u002c\\u002f\\u003a-\\u0040\\u005b-\\u005e\\u0060\\u007b-\\u007e",
    crate::refused_in_names!(),
    "]| )*[^\\s\\u0021-\\u002c\\u002f\\u003a-\\u0040\\u005b-\\u005e\\u0060\\u007b-\\u007e",
    crate::refused_in_names!(),
    "])?$"
);

impl utoipa::PartialSchema for ProjectName {
    fn schema() -> utoipa::openapi::RefOr<utoipa::openapi::schema::Schema> {
        utoipa::openapi::ObjectBuilder::new()
            .schema_type(utoipa::openapi::schema::Type::String)
            .min_length(Some(1))
            .max_length(Some(64))
            .pattern(Some(PROJECT_NAME_PATTERN))
            .description(Some(
                "1 to 64 characters: letters and digits of any script, spaces, `-`, `_` and `.`, but no other \
                 ASCII punctuation, no other whitespace, no control, bidirectional or invisible characters; \
                 not starting with a space, `-`, `_` or `.`, not ending with a space.",
            ))
            .examples([serde_json::json!("checkout-service")])
            .into()
    }
}

impl utoipa::ToSchema for ProjectName {}

impl ProjectName {
    pub fn parse(s: &str) -> Result<Self, &'static str> {
        if s.is_empty() || s.chars().count() > 64 {
            return Err("must be 1 to 64 characters");
        }
        if let Some(problem) = crate::base::text::name_problem(s) {
            return Err(problem);
        }
        if s.chars().any(|c| (c.is_whitespace() && c != ' ') || (c.is_ascii_punctuation() && !"-_.".contains(c))) {
            return Err(
                "may contain letters, digits, spaces, `-`, `_` and `.`, but no other ASCII punctuation or whitespace",
            );
        }
        if s.starts_with([' ', '-', '_', '.']) {
            return Err("must not start with a space, `-`, `_` or `.`");
        }
        if s.ends_with(' ') {
            return Err("must not end with a space");
        }
        Ok(Self(s.to_owned()))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// The form uniqueness is checked on.
    pub fn folded(&self) -> String {
        self.0.to_lowercase()
    }
}

impl TryFrom<String> for ProjectName {
    type Error = &'static str;
    fn try_from(s: String) -> Result<Self, Self::Error> {
        Self::parse(&s)
    }
}

impl From<ProjectName> for String {
    fn from(n: ProjectName) -> String {
        n.0
    }
}

/// At most 1000 characters of free text.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct Description(String);

impl utoipa::PartialSchema for Description {
    fn schema() -> utoipa::openapi::RefOr<utoipa::openapi::schema::Schema> {
        let mut schema = crate::base::text::free_text_schema(MAX_DESCRIPTION_CHARS);
        schema.schema_type = utoipa::openapi::schema::Type::String.into();
        schema.into()
    }
}

impl utoipa::ToSchema for Description {}

impl Description {
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl TryFrom<String> for Description {
    type Error = &'static str;
    fn try_from(s: String) -> Result<Self, Self::Error> {
        if s.chars().count() > MAX_DESCRIPTION_CHARS {
            return Err("must be at most 1000 characters");
        }
        if let Some(problem) = crate::base::text::free_text_problem(&s) {
            return Err(problem);
        }
        Ok(Self(s))
    }
}

impl From<Description> for String {
    fn from(d: Description) -> String {
        d.0
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "lowercase")]
pub enum ProjectStatus {
    /// Created; its runtime is being set up by a `provision_project` job.
    Provisioning,
    Active,
    /// Provisioning failed for good; `status_reason` says why.
    Failed,
    Archived,
    /// Soft-deleted: hidden unless an admin asks with `include_deleted=true`.
    Deleted,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct Project {
    pub id: ProjectId,
    pub org_id: OrgId,
    pub name: ProjectName,
    pub description: Option<Description>,
    pub status: ProjectStatus,
    /// Why the project is in its status (set when provisioning failed).
    #[serde(default)]
    pub status_reason: Option<String>,
    #[serde(default)]
    pub environment: Environment,
    /// The runtime template the project was last provisioned with.
    #[serde(default)]
    pub runtime_template_version: Option<u32>,
    /// Where the project's data is kept, fixed at creation (its org's
    /// unless it named another); `null` for a project created before
    /// regions, whose data is in the deployment's default region.
    #[serde(default)]
    pub region: Option<Region>,
    /// The user who created the project.
    pub created_by: String,
    pub version: u64,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
    pub deleted_at: Option<DateTime<Utc>>,
}

/// What a project is for; the data plane reads it from the snapshot.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "lowercase")]
pub enum Environment {
    #[default]
    Development,
    Staging,
    Production,
}

/// Finds a project's org from its id alone (internal callers know only
/// the project). Ids only; no tenant data.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ProjectLookup {
    pub org_id: OrgId,
    pub project_id: ProjectId,
}

/// Projects whose org this process has looked up, at most this many (the
/// memory is cleared when it fills).
const REMEMBERED_LOOKUPS: usize = 10_000;

impl ProjectLookup {
    /// The tenant of a project an internal caller names (the data plane,
    /// which acts for every org); 404 when unknown.
    pub async fn tenant_of(
        store: &dyn crate::ports::store::Store,
        project: &ProjectId,
    ) -> Result<TenantId, DomainError> {
        let org = Self::find(store, project).await?.ok_or(DomainError::NotFound { resource: "project" })?;
        Ok(TenantId::acting_for(&org))
    }

    /// The org of a project, `None` when no project has the id.
    ///
    /// A project never changes org, so the answer is remembered for the
    /// life of the process: a data-plane caller asking again about a project
    /// costs its request one round trip (the project itself), not two. The
    /// project's own item stays the authority on whether it still exists.
    pub async fn find(
        store: &dyn crate::ports::store::Store,
        project: &ProjectId,
    ) -> Result<Option<OrgId>, StoreError> {
        static KNOWN: std::sync::OnceLock<Mutex<HashMap<ProjectId, OrgId>>> = std::sync::OnceLock::new();
        let known = KNOWN.get_or_init(Mutex::default);
        if let Some(org) = known.lock().unwrap_or_else(|e| e.into_inner()).get(project) {
            return Ok(Some(org.clone()));
        }
        let Some(found) = store.batch_get(&[Key::project_lookup(project.as_str())]).await?.pop().flatten() else {
            return Ok(None);
        };
        let lookup: ProjectLookup = found.parse()?;
        let mut known = known.lock().unwrap_or_else(|e| e.into_inner());
        if known.len() >= REMEMBERED_LOOKUPS {
            known.clear();
        }
        known.insert(lookup.project_id, lookup.org_id.clone());
        Ok(Some(lookup.org_id))
    }
}

/// Claims a project name inside an org.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct NameLock {
    pub project_id: ProjectId,
}

impl Project {
    pub fn key(tenant: &TenantId, id: &ProjectId) -> Key {
        Key::tenant(tenant, format!("{PROJECT_PREFIX}{id}"))
    }

    pub fn name_key(tenant: &TenantId, name: &ProjectName) -> Key {
        Key::tenant(tenant, format!("PROJECTNAME#{}", name.folded()))
    }

    pub fn item(&self) -> Result<Item, DomainError> {
        Ok(Item::new(Self::key(&TenantId::acting_for(&self.org_id), &self.id), self.version, self)?)
    }

    pub fn name_lock(&self) -> Result<Item, DomainError> {
        Ok(Item::new(
            Self::name_key(&TenantId::acting_for(&self.org_id), &self.name),
            1,
            NameLock { project_id: self.id.clone() },
        )?)
    }

    pub fn lookup_item(&self) -> Result<Item, DomainError> {
        let lookup = ProjectLookup { org_id: self.org_id.clone(), project_id: self.id.clone() };
        Ok(Item::new(Key::project_lookup(self.id.as_str()), 1, lookup)?)
    }

    /// The org's projects, oldest first (ids sort by creation time).
    pub fn query(tenant: &TenantId) -> Query {
        Query::new(Partition::tenant(tenant), SortKey::BeginsWith(PROJECT_PREFIX.into()))
    }

    pub fn is_deleted(&self) -> bool {
        self.status == ProjectStatus::Deleted
    }

    /// Whether the project's runtime is set up (active or archived).
    pub fn is_provisioned(&self) -> bool {
        matches!(self.status, ProjectStatus::Active | ProjectStatus::Archived)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn project_names_are_checked_and_folded_for_uniqueness() {
        assert_eq!(ProjectName::parse("Web App").unwrap().folded(), "web app");
        assert_eq!(ProjectName::parse("Käse_Lager.2 名前").unwrap().as_str(), "Käse_Lager.2 名前");
        for bad in ["", " lead", "-lead", ".lead", "trail ", "a/b", "a?b", "a\tb", "a\u{3000}b", "a\u{200b}b"] {
            assert!(ProjectName::parse(bad).is_err(), "{bad:?}");
        }
        assert!(ProjectName::parse(&"a".repeat(65)).is_err());
    }

    #[test]
    fn the_project_name_pattern_accepts_exactly_what_parse_accepts() {
        let pattern = regex::Regex::new(PROJECT_NAME_PATTERN).unwrap();
        let chars = || (0..0x3100).chain(0xfe00..0x10000).filter_map(char::from_u32);
        // Every character alone, first, inside and last.
        for c in chars() {
            for s in [c.to_string(), format!("{c}a"), format!("a{c}b"), format!("a{c}")] {
                assert_eq!(pattern.is_match(&s), ProjectName::parse(&s).is_ok(), "{s:?}");
            }
        }
    }

    #[tokio::test]
    async fn a_projects_org_is_read_once_then_remembered_and_unknown_ids_are_not() {
        use crate::ports::store::tally::{Counting, counted};
        let dir = tempfile::tempdir().unwrap();
        let store = Counting::wrap(std::sync::Arc::new(
            crate::ports::store::sqlite::SqliteStore::open(&dir.path().join("l.db")).unwrap(),
        ));
        let (org, project) = (OrgId::generate(), ProjectId::generate());
        let lookup = ProjectLookup { org_id: org.clone(), project_id: project.clone() };
        let item = Item::new(Key::project_lookup(project.as_str()), 1, lookup).unwrap();
        store.transact(vec![crate::ports::store::WriteOp::put(item)]).await.unwrap();

        let (first, cost) = counted(ProjectLookup::find(store.as_ref(), &project)).await;
        assert_eq!((first.unwrap(), cost.reads), (Some(org.clone()), 1));
        let (again, cost) = counted(ProjectLookup::find(store.as_ref(), &project)).await;
        assert_eq!((again.unwrap(), cost.reads), (Some(org), 0), "remembered");

        let unknown = ProjectId::generate();
        for _ in 0..2 {
            let (found, cost) = counted(ProjectLookup::find(store.as_ref(), &unknown)).await;
            assert_eq!((found.unwrap(), cost.reads), (None, 1), "an unknown id is asked for each time");
        }
    }
}
