//! Deprecated operations (RFC 9745, RFC 8594): the route table, the
//! headers their answers carry, and what the OpenAPI document says of
//! them. The policy (how long a deprecated route lives, how a `/v2` comes)
//! is docs/versioning.md.

use axum::http::{HeaderMap, HeaderName, HeaderValue};

/// One deprecated operation.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Deprecated {
    pub method: &'static str,
    /// The route as the router names it (`/v1/projects/{project_id}`).
    pub path: &'static str,
    pub operation_id: &'static str,
    /// When it was deprecated, in seconds since the epoch (`Deprecation: @…`).
    pub since: i64,
    /// When it stops being served (`Sunset`, an HTTP-date): at least six
    /// months after `since`.
    pub sunset: &'static str,
    /// What to use instead, for people.
    pub instead: &'static str,
}

/// A `PUT` that changes only the fields given, which is what `PATCH`
/// (on the same path, with the same body) means: deprecated 2026-12-04.
const fn partial_put(path: &'static str, operation_id: &'static str) -> Deprecated {
    Deprecated {
        method: "PUT",
        path,
        operation_id,
        since: 1_796_342_400,
        sunset: "Wed, 30 Jun 2027 00:00:00 GMT",
        instead: "`PATCH` on the same path: it takes the same body. These `PUT`s change only the fields given, \
             which is what PATCH means; a PUT would replace the whole resource.",
    }
}

/// Every deprecated operation.
pub const DEPRECATED: [Deprecated; 4] = [
    partial_put("/v1/orgs/{org_id}", "orgs.replace"),
    partial_put("/v1/orgs/{org_id}/members/{user_id}", "orgs.members.replace"),
    partial_put("/v1/projects/{project_id}", "projects.replace"),
    partial_put("/v1/webhooks/{webhook_id}", "webhooks.replace"),
];

/// The deprecated operation at `method` (any case) and `route` (as the
/// router and the document name it), if it is one.
pub fn find(method: &str, route: &str) -> Option<&'static Deprecated> {
    DEPRECATED.iter().find(|d| d.method.eq_ignore_ascii_case(method) && d.path == route)
}

impl Deprecated {
    /// Where people read about it: the operation in the API reference
    /// (relative to the API's origin, as the reference is served by it).
    pub fn link(&self) -> String {
        format!("</v1/docs#operation/{}>; rel=\"deprecation\"; type=\"text/html\"", self.operation_id)
    }

    /// Adds `Deprecation`, `Sunset` and `Link` to an answer's headers
    /// (after any `Link` it already has).
    pub fn mark(&self, headers: &mut HeaderMap) {
        let values = [
            (HeaderName::from_static("deprecation"), format!("@{}", self.since)),
            (HeaderName::from_static("sunset"), self.sunset.to_owned()),
        ];
        for (name, value) in values {
            if let Ok(value) = HeaderValue::from_str(&value) {
                headers.insert(name, value);
            }
        }
        if let Ok(value) = HeaderValue::from_str(&self.link()) {
            headers.append(axum::http::header::LINK, value);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_sunset_is_an_http_date_at_least_six_months_after_its_deprecation() {
        for d in DEPRECATED {
            let sunset = chrono::DateTime::parse_from_rfc2822(d.sunset).expect(d.sunset);
            assert!(d.sunset.ends_with(" GMT"), "{}", d.sunset);
            assert!(sunset.timestamp() - d.since >= 182 * 86_400, "{}", d.operation_id);
        }
    }

    #[test]
    fn a_deprecated_route_is_found_by_its_method_and_route_only() {
        assert_eq!(find("PUT", "/v1/projects/{project_id}").unwrap().operation_id, "projects.replace");
        assert_eq!(find("put", "/v1/projects/{project_id}").unwrap().operation_id, "projects.replace");
        assert!(find("PATCH", "/v1/projects/{project_id}").is_none());
        assert!(find("PUT", "/v1/quotas/{project_id}").is_none());
    }
}
