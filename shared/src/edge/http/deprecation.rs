//! Deprecated operations (RFC 9745, RFC 8594): the route table, the
//! headers their answers carry, and what the OpenAPI document says of
//! them. The policy (how long a deprecated route lives, how a `/v2` comes)
//! is docs/versioning.md.

use axum::http::{HeaderMap, HeaderName, HeaderValue, Method};

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

/// 2026-12-04T00:00:00Z.
const PARTIAL_PUT_DEPRECATED: i64 = 1_796_342_400;
const PARTIAL_PUT_SUNSET: &str = "Wed, 30 Jun 2027 00:00:00 GMT";
const PARTIAL_PUT_INSTEAD: &str = "`PATCH` on the same path: it takes the same body. These `PUT`s change only \
     the fields given, which is what PATCH means; a PUT would replace the whole resource.";

/// Every deprecated operation.
pub const DEPRECATED: [Deprecated; 4] = [
    Deprecated {
        method: "PUT",
        path: "/v1/orgs/{org_id}",
        operation_id: "orgs.replace",
        since: PARTIAL_PUT_DEPRECATED,
        sunset: PARTIAL_PUT_SUNSET,
        instead: PARTIAL_PUT_INSTEAD,
    },
    Deprecated {
        method: "PUT",
        path: "/v1/orgs/{org_id}/members/{user_id}",
        operation_id: "orgs.members.replace",
        since: PARTIAL_PUT_DEPRECATED,
        sunset: PARTIAL_PUT_SUNSET,
        instead: PARTIAL_PUT_INSTEAD,
    },
    Deprecated {
        method: "PUT",
        path: "/v1/projects/{project_id}",
        operation_id: "projects.replace",
        since: PARTIAL_PUT_DEPRECATED,
        sunset: PARTIAL_PUT_SUNSET,
        instead: PARTIAL_PUT_INSTEAD,
    },
    Deprecated {
        method: "PUT",
        path: "/v1/webhooks/{webhook_id}",
        operation_id: "webhooks.replace",
        since: PARTIAL_PUT_DEPRECATED,
        sunset: PARTIAL_PUT_SUNSET,
        instead: PARTIAL_PUT_INSTEAD,
    },
];

/// The deprecated operation a request reached, if it is one.
pub fn of(method: &Method, route: Option<&str>) -> Option<&'static Deprecated> {
    let route = route?;
    DEPRECATED.iter().find(|d| d.method == method.as_str() && d.path == route)
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
        assert_eq!(of(&Method::PUT, Some("/v1/projects/{project_id}")).unwrap().operation_id, "projects.replace");
        assert!(of(&Method::PATCH, Some("/v1/projects/{project_id}")).is_none());
        assert!(of(&Method::PUT, Some("/v1/quotas/{project_id}")).is_none());
        assert!(of(&Method::PUT, None).is_none());
    }
}
