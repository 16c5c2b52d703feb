//! Prefixed, opaque, time-sortable ids: `org_…`, `prj_…`, `evt_…` (prefix +
//! lowercase ULID).

use std::fmt;

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("must be an id of the form {prefix}_ followed by 26 base32 characters")]
pub struct IdError {
    pub prefix: &'static str,
}

macro_rules! prefixed_id {
    ($(#[$doc:meta])* $name:ident, $prefix:literal) => {
        $(#[$doc])*
        #[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, serde::Serialize, serde::Deserialize)]
        #[serde(try_from = "String", into = "String")]
        pub struct $name(String);

        impl $name {
            pub const PREFIX: &'static str = $prefix;

            pub fn generate() -> Self {
                Self::from_ulid(ulid::Ulid::new())
            }

            pub fn from_ulid(ulid: ulid::Ulid) -> Self {
                Self(format!("{}_{}", $prefix, ulid.to_string().to_lowercase()))
            }

            /// The ULID behind the prefix.
            pub fn ulid(&self) -> ulid::Ulid {
                let rest = &self.0[$prefix.len() + 1..];
                ulid::Ulid::from_string(rest).unwrap_or_default()
            }

            pub fn parse(s: &str) -> Result<Self, IdError> {
                let err = IdError { prefix: $prefix };
                let rest = s.strip_prefix(concat!($prefix, "_")).ok_or(err.clone())?;
                let ulid = ulid::Ulid::from_string(rest).map_err(|_| err)?;
                Ok(Self(format!("{}_{}", $prefix, ulid.to_string().to_lowercase())))
            }

            pub fn as_str(&self) -> &str {
                &self.0
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(&self.0)
            }
        }

        impl std::str::FromStr for $name {
            type Err = IdError;
            fn from_str(s: &str) -> Result<Self, Self::Err> {
                Self::parse(s)
            }
        }

        impl TryFrom<String> for $name {
            type Error = IdError;
            fn try_from(s: String) -> Result<Self, Self::Error> {
                Self::parse(&s)
            }
        }

        impl From<$name> for String {
            fn from(id: $name) -> String {
                id.0
            }
        }

        impl utoipa::PartialSchema for $name {
            fn schema() -> utoipa::openapi::RefOr<utoipa::openapi::schema::Schema> {
                utoipa::openapi::ObjectBuilder::new()
                    .schema_type(utoipa::openapi::schema::Type::String)
                    // A lowercase ULID: Crockford base32 (no i, l, o, u), 128 bits.
                    .pattern(Some(concat!("^", $prefix, "_[0-7][0-9a-hjkmnp-tv-z]{25}$")))
                    .examples([serde_json::json!(concat!($prefix, "_01jh3v5d2k8q9w6x7y8z9a0b1c"))])
                    .into()
            }
        }

        impl utoipa::ToSchema for $name {}
    };
}

prefixed_id!(
    /// An organization: the tenant.
    OrgId, "org"
);
prefixed_id!(
    /// A project inside an organization.
    ProjectId, "prj"
);
prefixed_id!(
    /// An API key (its id, not its secret token).
    KeyId, "key"
);
prefixed_id!(
    /// A background job.
    JobId, "job"
);
prefixed_id!(
    /// A source (scan, connector or ingest feed).
    SourceId, "src"
);
prefixed_id!(
    /// A stored credential's reference (its value is in the secrets store).
    CredentialId, "cred"
);
prefixed_id!(
    /// A source's schedule.
    ScheduleId, "sch"
);
prefixed_id!(
    /// One piece of evidence a source run or pushed batch produced.
    EvidenceId, "evd"
);
prefixed_id!(
    /// A plan's cost estimate.
    PlanId, "plan"
);
prefixed_id!(
    /// A policy bound to a source.
    BindingId, "pb"
);
prefixed_id!(
    /// A webhook endpoint.
    WebhookId, "wh"
);
prefixed_id!(
    /// An upstream MCP server registered for a project.
    McpServerId, "mcps"
);
prefixed_id!(
    /// An audit event (also the outbox record for domain events).
    EventId, "evt"
);
prefixed_id!(
    /// One event's delivery to one webhook (the event's ULID).
    DeliveryId, "dlv"
);

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn generated_ids_carry_their_prefix_and_parse_back() {
        let id = OrgId::generate();
        assert!(id.as_str().starts_with("org_"));
        assert_eq!(OrgId::parse(id.as_str()).unwrap(), id);
    }

    #[test]
    fn ids_with_the_wrong_prefix_or_body_are_rejected() {
        let project = ProjectId::generate();
        assert!(OrgId::parse(project.as_str()).is_err());
        assert!(OrgId::parse("org_short").is_err());
        assert!(OrgId::parse("").is_err());
    }

    #[test]
    fn ids_parse_case_insensitively_to_one_canonical_form() {
        let id = ProjectId::generate();
        let upper = format!("prj_{}", &id.as_str()[4..].to_uppercase());
        assert_eq!(ProjectId::parse(&upper).unwrap(), id);
    }

    #[test]
    fn ids_sort_by_creation_time() {
        let a = EventId::generate();
        std::thread::sleep(std::time::Duration::from_millis(2));
        let b = EventId::generate();
        assert!(a < b);
    }
}
