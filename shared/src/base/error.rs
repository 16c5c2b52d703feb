//! The error of every layer below the HTTP edge: what went wrong in terms
//! of the product (not found, refused, invalid, conflicting, unavailable).
//! The edge maps each variant to a status and a problem+json document
//! (`edge::error::DomainError`); nothing here knows HTTP.

use crate::base::rbac::Permission;
use crate::base::request::RequestMeta;
use crate::base::tenant::{OrgId, Principal};

/// One invalid input field.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, utoipa::ToSchema)]
pub struct FieldError {
    /// Path of the field, e.g. `name` or `members[0].role`; `query.limit` for query parameters.
    pub field: String,
    pub message: String,
}

impl FieldError {
    pub fn new(field: impl Into<String>, message: impl Into<String>) -> Self {
        Self { field: field.into(), message: message.into() }
    }

    /// The field a deserialization error is about: its path under
    /// `prefix`, or the field an "unknown field" or "missing field" message
    /// names; `body` when neither names one.
    pub fn at(prefix: &str, path: &serde_path_to_error::Path, message: String) -> Self {
        let rendered = path.to_string();
        let mut field = if rendered == "." { String::new() } else { rendered };
        for marker in ["unknown field `", "missing field `"] {
            if let Some(rest) = message.strip_prefix(marker) {
                let name = rest.split('`').next().unwrap_or_default();
                let already_named = field == name || field.ends_with(&format!(".{name}"));
                if !already_named {
                    field = if field.is_empty() { name.to_owned() } else { format!("{field}.{name}") };
                }
            }
        }
        let field = match (prefix, field.is_empty()) {
            ("", _) => field,
            (p, true) => p.to_owned(),
            (p, false) => format!("{p}.{field}"),
        };
        FieldError::new(if field.is_empty() { "body".to_owned() } else { field }, message)
    }
}

/// A refusal by the org's roles or by a key's scope, with what the org's
/// audit log records of it (`access.denied`): who, in which org, lacking
/// which permission on which type of resource.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Denial {
    /// The problem's `code`, and the event's `reason`.
    pub code: &'static str,
    pub detail: String,
    pub org: OrgId,
    pub principal: Principal,
    pub meta: RequestMeta,
    /// The permission the caller lacks, where one decided it.
    pub permission: Option<Permission>,
    /// `projects`, `webhook`, `org`…: the permission's resource, or the kind
    /// of the resource the key reached outside of.
    pub resource_type: &'static str,
    /// The resource refused, where one was named.
    pub resource_id: Option<String>,
}

#[derive(Debug, thiserror::Error)]
pub enum DomainError {
    /// A credential that cannot be used (revoked, expired, unknown).
    #[error("{detail}")]
    Unauthenticated { code: &'static str, detail: String },
    #[error("{detail}")]
    Forbidden { code: &'static str, detail: String },
    /// 403 from RBAC or a key's scope; the edge audits it.
    #[error("{}", .0.detail)]
    Denied(Box<Denial>),
    #[error("{resource} not found")]
    NotFound { resource: &'static str },
    #[error("{detail}")]
    BadRequest { code: &'static str, detail: String },
    #[error("the request has invalid fields")]
    Validation(Vec<FieldError>),
    #[error("{detail}")]
    Conflict { code: &'static str, detail: String },
    #[error("the resource changed since the version named in If-Match")]
    PreconditionFailed,
    /// A dependency is down or throttling; the caller may retry shortly.
    #[error("{detail}")]
    Unavailable { detail: String },
    /// Never shown to the caller; logged with the request id.
    #[error("internal error: {0}")]
    Internal(String),
}

impl DomainError {
    pub fn unauthenticated(code: &'static str, detail: impl Into<String>) -> Self {
        DomainError::Unauthenticated { code, detail: detail.into() }
    }

    pub fn bad_request(code: &'static str, detail: impl Into<String>) -> Self {
        DomainError::BadRequest { code, detail: detail.into() }
    }

    pub fn conflict(code: &'static str, detail: impl Into<String>) -> Self {
        DomainError::Conflict { code, detail: detail.into() }
    }

    pub fn field(field: impl Into<String>, message: impl Into<String>) -> Self {
        DomainError::Validation(vec![FieldError::new(field, message)])
    }

    /// A concurrent write won; the caller may retry.
    pub fn concurrent_modification() -> Self {
        DomainError::conflict("concurrent_modification", "the resource was modified concurrently; retry the request")
    }

    /// The same validation errors, naming body fields instead of query
    /// parameters (`query.from` -> `from`), for checks shared by both.
    pub fn in_body(self) -> Self {
        match self {
            DomainError::Validation(errors) => DomainError::Validation(
                errors
                    .into_iter()
                    .map(|e| match e.field.strip_prefix("query.") {
                        Some(field) => FieldError::new(field, e.message),
                        None => e,
                    })
                    .collect(),
            ),
            other => other,
        }
    }
}
