//! `ETag` on every versioned object and `If-Match` (strong comparison) on
//! updates and deletes: a mismatch is 412.

use axum::extract::FromRequestParts;
use axum::http::request::Parts;
use axum::http::{HeaderValue, header};
use axum::response::{IntoResponse, Response};
use serde::Serialize;

use crate::base::error::DomainError;
use crate::edge::error::ApiError;

pub fn etag_value(version: u64) -> HeaderValue {
    HeaderValue::from_str(&format!("\"{version}\"")).expect("a quoted number is a valid header value")
}

/// A JSON object with its `ETag`.
pub struct Tagged<T> {
    pub version: u64,
    pub body: T,
}

impl<T: Serialize> IntoResponse for Tagged<T> {
    fn into_response(self) -> Response {
        let mut response = axum::Json(self.body).into_response();
        response.headers_mut().insert(header::ETAG, etag_value(self.version));
        response
    }
}

/// The parsed `If-Match` header.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum IfMatch {
    Absent,
    Any,
    /// Strong entity tags named by the header (weak ones never match).
    Tags(Vec<String>),
}

impl IfMatch {
    pub fn parse(value: Option<&str>) -> Result<Self, ApiError> {
        let Some(value) = value.map(str::trim) else { return Ok(IfMatch::Absent) };
        if value == "*" {
            return Ok(IfMatch::Any);
        }
        let malformed = || ApiError::bad_request("invalid_if_match", "If-Match must list quoted entity tags");
        // RFC 9110 §8.8.3: `1#entity-tag`, where a tag's quoted text may
        // itself hold commas; empty list elements are allowed and skipped.
        let mut tags = Vec::new();
        let mut seen = false;
        let mut rest = value;
        loop {
            rest = rest.trim_start_matches([' ', '\t', ',']);
            if rest.is_empty() {
                break;
            }
            let (weak, quoted) = match rest.strip_prefix("W/") {
                Some(after) => (true, after),
                None => (false, rest),
            };
            let body = quoted.strip_prefix('"').ok_or_else(malformed)?;
            let end = body.find('"').ok_or_else(malformed)?;
            let tag = &body[..end];
            if !tag.bytes().all(|b| b == 0x21 || (0x23..=0x7e).contains(&b) || b >= 0x80) {
                return Err(malformed());
            }
            seen = true;
            if !weak {
                tags.push(tag.to_owned());
            }
            rest = body[end + 1..].trim_start_matches([' ', '\t']);
            if !(rest.is_empty() || rest.starts_with(',')) {
                return Err(malformed());
            }
        }
        if !seen {
            return Err(ApiError::bad_request("invalid_if_match", "If-Match is empty: send `*` or quoted entity tags"));
        }
        Ok(IfMatch::Tags(tags))
    }

    pub fn is_present(&self) -> bool {
        !matches!(self, IfMatch::Absent)
    }

    /// 412 unless the header (when present) names the current version.
    pub fn check(&self, current_version: u64) -> Result<(), ApiError> {
        match self {
            IfMatch::Absent | IfMatch::Any => Ok(()),
            IfMatch::Tags(tags) if tags.iter().any(|t| *t == current_version.to_string()) => Ok(()),
            IfMatch::Tags(_) => Err(ApiError::PreconditionFailed),
        }
    }

    /// The error for a write whose version condition failed: a concurrent
    /// writer won. With If-Match the client asked for exactly that version.
    pub fn lost_race(&self) -> DomainError {
        if self.is_present() { DomainError::PreconditionFailed } else { DomainError::concurrent_modification() }
    }
}

impl<S: Send + Sync> FromRequestParts<S> for IfMatch {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, _state: &S) -> Result<Self, Self::Rejection> {
        let value = parts
            .headers
            .get(header::IF_MATCH)
            .map(|v| v.to_str().map_err(|_| ApiError::bad_request("invalid_if_match", "If-Match is not ASCII")))
            .transpose()?;
        IfMatch::parse(value)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn if_match_accepts_the_current_version_among_several() {
        let h = IfMatch::parse(Some("\"1\", \"3\"")).unwrap();
        assert!(h.check(3).is_ok());
        assert!(matches!(h.check(2), Err(ApiError::PreconditionFailed)));
    }

    #[test]
    fn weak_tags_never_match() {
        assert!(IfMatch::parse(Some("W/\"3\"")).unwrap().check(3).is_err());
    }

    #[test]
    fn a_star_or_no_header_matches_anything() {
        assert!(IfMatch::parse(Some("*")).unwrap().check(9).is_ok());
        assert!(IfMatch::parse(None).unwrap().check(9).is_ok());
    }

    #[test]
    fn an_empty_header_is_a_bad_request_not_a_failed_precondition() {
        for empty in ["", "  ", ", ,"] {
            assert!(matches!(IfMatch::parse(Some(empty)), Err(ApiError::BadRequest { code: "invalid_if_match", .. })));
        }
    }

    #[test]
    fn a_quoted_tag_may_hold_a_comma() {
        let h = IfMatch::parse(Some(r#"W/"a,b", "x,y" , "3""#)).unwrap();
        assert_eq!(h, IfMatch::Tags(vec!["x,y".into(), "3".into()]));
        assert!(IfMatch::parse(Some(r#""3" "4""#)).is_err(), "two tags need a comma between them");
    }

    #[test]
    fn unquoted_tags_are_a_bad_request() {
        assert!(IfMatch::parse(Some("3")).is_err());
    }
}
