//! One API error type, rendered as `application/problem+json` (RFC 9457).
//!
//! `into_response` renders the problem and also leaves it in the response's
//! extensions; the edge middleware (`http::edge`) re-renders it with the
//! request id and `instance`, so every error carries both.

use std::sync::Arc;

use axum::Json;
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use serde::Serialize;

pub use crate::base::error::FieldError;
use crate::base::error::{Denial, DomainError};
use crate::base::redact::Redactor;
use crate::ports::store::StoreError;

pub const PROBLEM_JSON: &str = "application/problem+json";

/// The edge's error: every [`DomainError`], and what only HTTP can go
/// wrong with (a missing credential, a body too large or not JSON, a host
/// not served, a rate limit).
#[derive(Debug, thiserror::Error)]
pub enum ApiError {
    #[error("{detail}")]
    Unauthenticated { code: &'static str, detail: String },
    #[error("{detail}")]
    Forbidden { code: &'static str, detail: String },
    /// 403 from RBAC or a key's scope: its response carries the denial
    /// (an `Arc<Denial>` extension) for the edge to audit.
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
    #[error("the request body is larger than {limit} bytes")]
    PayloadTooLarge { limit: usize },
    #[error("the request body must be JSON (Content-Type: application/json)")]
    UnsupportedMediaType,
    #[error("{detail}")]
    Unavailable { detail: String },
    /// The request named a `Host` this server does not answer for.
    #[error("{detail}")]
    MisdirectedRequest { detail: String },
    #[error("rate limit `{policy}` exceeded; retry in {retry_after} s")]
    RateLimited { policy: &'static str, retry_after: u64 },
    /// Never shown to the caller; logged with the request id.
    #[error("internal error: {0}")]
    Internal(String),
}

/// The problem document (RFC 9457) plus `code`, `request_id` and `errors`.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct Problem {
    #[serde(rename = "type")]
    pub type_uri: String,
    pub title: String,
    pub status: u16,
    pub detail: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub instance: Option<String>,
    /// Stable, machine-readable error code.
    pub code: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub request_id: Option<String>,
    /// Per-field validation errors.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub errors: Vec<FieldError>,
}

impl Problem {
    pub fn new(status: StatusCode, code: &str, detail: impl Into<String>) -> Self {
        Self {
            type_uri: format!("urn:controlplane:problem:{code}"),
            title: status.canonical_reason().unwrap_or("Error").to_owned(),
            status: status.as_u16(),
            detail: detail.into(),
            instance: None,
            code: code.to_owned(),
            request_id: None,
            errors: Vec::new(),
        }
    }

    /// A problem for a bare error status produced outside the handlers
    /// (unknown route, wrong method, body limit).
    pub fn for_status(status: StatusCode) -> Self {
        let (code, detail) = match status {
            StatusCode::NOT_FOUND => ("not_found", "no route matches this path"),
            StatusCode::METHOD_NOT_ALLOWED => ("method_not_allowed", "this path does not accept this method"),
            StatusCode::PAYLOAD_TOO_LARGE => ("payload_too_large", "the request body is too large"),
            StatusCode::UNSUPPORTED_MEDIA_TYPE => ("unsupported_media_type", "unsupported content type"),
            StatusCode::URI_TOO_LONG => ("uri_too_long", "the request's URI is longer than this server reads"),
            StatusCode::REQUEST_HEADER_FIELDS_TOO_LARGE => {
                ("headers_too_large", "the request's headers are more or larger than this server reads")
            }
            StatusCode::BAD_REQUEST => ("malformed_request", "the request is not valid HTTP"),
            s if s.is_server_error() => ("internal_error", "an internal error occurred"),
            _ => ("bad_request", "the request could not be processed"),
        };
        Self::new(status, code, detail)
    }

    pub fn status_code(&self) -> StatusCode {
        StatusCode::from_u16(self.status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR)
    }

    pub fn into_response_with(self, extra_headers: &[(header::HeaderName, HeaderValue)]) -> Response {
        let status = self.status_code();
        let mut response = (status, Json(&self)).into_response();
        response.headers_mut().insert(header::CONTENT_TYPE, HeaderValue::from_static(PROBLEM_JSON));
        for (name, value) in extra_headers {
            response.headers_mut().insert(name.clone(), value.clone());
        }
        response.extensions_mut().insert(Arc::new(self));
        response
    }
}

impl ApiError {
    pub fn unauthenticated(code: &'static str, detail: impl Into<String>) -> Self {
        DomainError::unauthenticated(code, detail).into()
    }

    pub fn bad_request(code: &'static str, detail: impl Into<String>) -> Self {
        DomainError::bad_request(code, detail).into()
    }

    pub fn conflict(code: &'static str, detail: impl Into<String>) -> Self {
        DomainError::conflict(code, detail).into()
    }

    pub fn field(field: impl Into<String>, message: impl Into<String>) -> Self {
        DomainError::field(field, message).into()
    }

    /// A concurrent write won; the caller may retry.
    pub fn concurrent_modification() -> Self {
        DomainError::concurrent_modification().into()
    }

    pub fn status(&self) -> StatusCode {
        match self {
            ApiError::Unauthenticated { .. } => StatusCode::UNAUTHORIZED,
            ApiError::Forbidden { .. } | ApiError::Denied(_) => StatusCode::FORBIDDEN,
            ApiError::NotFound { .. } => StatusCode::NOT_FOUND,
            ApiError::BadRequest { .. } => StatusCode::BAD_REQUEST,
            ApiError::Validation(_) => StatusCode::UNPROCESSABLE_ENTITY,
            ApiError::Conflict { .. } => StatusCode::CONFLICT,
            ApiError::PreconditionFailed => StatusCode::PRECONDITION_FAILED,
            ApiError::PayloadTooLarge { .. } => StatusCode::PAYLOAD_TOO_LARGE,
            ApiError::UnsupportedMediaType => StatusCode::UNSUPPORTED_MEDIA_TYPE,
            ApiError::Unavailable { .. } => StatusCode::SERVICE_UNAVAILABLE,
            ApiError::MisdirectedRequest { .. } => StatusCode::MISDIRECTED_REQUEST,
            ApiError::RateLimited { .. } => StatusCode::TOO_MANY_REQUESTS,
            ApiError::Internal(_) => StatusCode::INTERNAL_SERVER_ERROR,
        }
    }

    pub fn code(&self) -> &'static str {
        match self {
            ApiError::Unauthenticated { code, .. }
            | ApiError::Forbidden { code, .. }
            | ApiError::BadRequest { code, .. }
            | ApiError::Conflict { code, .. } => code,
            ApiError::Denied(denial) => denial.code,
            ApiError::NotFound { .. } => "not_found",
            ApiError::Validation(_) => "validation_failed",
            ApiError::PreconditionFailed => "precondition_failed",
            ApiError::PayloadTooLarge { .. } => "payload_too_large",
            ApiError::UnsupportedMediaType => "unsupported_media_type",
            ApiError::Unavailable { .. } => "service_unavailable",
            ApiError::MisdirectedRequest { .. } => "host_not_allowed",
            ApiError::RateLimited { .. } => "rate_limited",
            ApiError::Internal(_) => "internal_error",
        }
    }

    /// The problem document. Its `detail` and each field's message pass
    /// through the redaction engine: an error may quote what was sent, and
    /// clients log and show errors where personal data must not go.
    pub fn to_problem(&self) -> Problem {
        let minimized = |text: &str| Redactor::platform().text(text).into_owned();
        let detail = match self {
            ApiError::Internal(_) => "an internal error occurred; quote the request_id when reporting it".to_owned(),
            other => minimized(&other.to_string()),
        };
        let mut problem = Problem::new(self.status(), self.code(), detail);
        if let ApiError::Validation(errors) = self {
            // A field's path names what was sent too (an unknown field's).
            problem.errors = errors
                .iter()
                .map(|e| FieldError { field: minimized(&e.field), message: minimized(&e.message) })
                .collect();
        }
        problem
    }
}

impl From<DomainError> for ApiError {
    fn from(e: DomainError) -> Self {
        match e {
            DomainError::Unauthenticated { code, detail } => ApiError::Unauthenticated { code, detail },
            DomainError::Forbidden { code, detail } => ApiError::Forbidden { code, detail },
            DomainError::Denied(denial) => ApiError::Denied(denial),
            DomainError::NotFound { resource } => ApiError::NotFound { resource },
            DomainError::BadRequest { code, detail } => ApiError::BadRequest { code, detail },
            DomainError::Validation(errors) => ApiError::Validation(errors),
            DomainError::Conflict { code, detail } => ApiError::Conflict { code, detail },
            DomainError::PreconditionFailed => ApiError::PreconditionFailed,
            DomainError::Unavailable { detail } => ApiError::Unavailable { detail },
            DomainError::Internal(cause) => ApiError::Internal(cause),
        }
    }
}

impl From<StoreError> for ApiError {
    fn from(e: StoreError) -> Self {
        DomainError::from(e).into()
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        if let ApiError::Internal(cause) = &self {
            tracing::error!(error = %cause, "internal error");
        }
        let mut headers = Vec::new();
        if matches!(self, ApiError::Unauthenticated { .. }) {
            headers.push((header::WWW_AUTHENTICATE, HeaderValue::from_static("Bearer")));
        }
        if matches!(self, ApiError::Unavailable { .. }) {
            headers.push((header::RETRY_AFTER, HeaderValue::from_static("1")));
        }
        if let ApiError::RateLimited { retry_after, .. } = &self {
            headers.push((header::RETRY_AFTER, HeaderValue::from(*retry_after)));
        }
        let mut response = self.to_problem().into_response_with(&headers);
        if let ApiError::Denied(denial) = self {
            response.extensions_mut().insert(Arc::new(*denial));
        }
        response
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn internal_errors_do_not_leak_their_cause() {
        let problem = ApiError::Internal("db password is hunter2".into()).to_problem();
        assert!(!problem.detail.contains("hunter2"));
        assert_eq!(problem.status, 500);
    }

    #[test]
    fn a_problems_detail_and_field_messages_carry_no_personal_data() {
        let problem = ApiError::conflict("member_exists", "jane@example.com is already a member").to_problem();
        assert_eq!(problem.detail, "[redacted:email] is already a member");
        let problem = ApiError::field("phone", "+44 20 7946 0958 is not reachable").to_problem();
        assert_eq!(problem.errors[0].message, "[redacted:phone] is not reachable");
    }

    #[test]
    fn validation_problems_list_each_field() {
        let problem = ApiError::field("name", "must not be empty").to_problem();
        assert_eq!(problem.status, 422);
        assert_eq!(problem.errors, vec![FieldError::new("name", "must not be empty")]);
        assert_eq!(problem.code, "validation_failed");
    }
}
