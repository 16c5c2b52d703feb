//! Users as the identity provider names them (`sub`), and their emails.

use std::fmt;

use serde::{Deserialize, Serialize};

/// The identity provider's subject. 1–128 printable characters, no
/// whitespace or `#` (the store's key separator).
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(try_from = "String", into = "String")]
// The pattern is `text::NAME_PATTERN`'s refused set with whitespace and `#`.
#[schema(value_type = String, max_length = 128, pattern = r"^[^\s#\u0000-\u001f\u007f-\u009f\u00ad\u061c\u180e\u200b-\u200f\u202a-\u202e\u2060-\u2064\u2066-\u2069\ufeff]+$", example = "user_123")]
pub struct UserId(String);

impl UserId {
    pub fn parse(s: &str) -> Result<Self, &'static str> {
        if s.is_empty() || s.chars().count() > 128 {
            return Err("must be 1 to 128 characters");
        }
        if s.chars().any(|c| c.is_whitespace() || c == '#') {
            return Err("must not contain whitespace or `#`");
        }
        if let Some(problem) = crate::base::text::name_problem(s) {
            return Err(problem);
        }
        Ok(Self(s.to_owned()))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for UserId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl TryFrom<String> for UserId {
    type Error = &'static str;
    fn try_from(s: String) -> Result<Self, Self::Error> {
        Self::parse(&s)
    }
}

impl From<UserId> for String {
    fn from(id: UserId) -> String {
        id.0
    }
}

/// An email address, trimmed and lowercased; checked for shape only.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(try_from = "String", into = "String")]
#[schema(value_type = String, format = "email", example = "ada@example.com")]
pub struct Email(String);

impl Email {
    pub fn parse(s: &str) -> Result<Self, &'static str> {
        let s = s.trim().to_lowercase();
        let (local, domain) = s.split_once('@').ok_or("must be an email address like name@example.com")?;
        let valid = !local.is_empty()
            && domain.contains('.')
            && !domain.starts_with('.')
            && !domain.ends_with('.')
            && !domain.contains('@')
            && s.len() <= 254
            && !s.chars().any(char::is_whitespace)
            && crate::base::text::name_problem(&s).is_none();
        if !valid {
            return Err("must be an email address like name@example.com");
        }
        Ok(Self(s))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl TryFrom<String> for Email {
    type Error = &'static str;
    fn try_from(s: String) -> Result<Self, Self::Error> {
        Self::parse(&s)
    }
}

impl From<Email> for String {
    fn from(e: Email) -> String {
        e.0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_documented_pattern_refuses_exactly_what_parsing_refuses() {
        let schema = serde_json::to_value(<UserId as utoipa::PartialSchema>::schema()).unwrap();
        let pattern = regex::Regex::new(schema["pattern"].as_str().unwrap()).unwrap();
        for c in (0..0x3000).chain(0xfe00..0x10000).filter_map(char::from_u32) {
            let s = format!("u{c}");
            assert_eq!(pattern.is_match(&s), UserId::parse(&s).is_ok(), "U+{:04X}", c as u32);
        }
    }

    #[test]
    fn user_ids_refuse_separators_and_whitespace() {
        assert!(UserId::parse("auth0|abc").is_ok());
        assert!(UserId::parse("a#b").is_err());
        assert!(UserId::parse("a b").is_err());
        assert!(UserId::parse("").is_err());
        assert!(UserId::parse(&"x".repeat(129)).is_err());
    }

    #[test]
    fn emails_are_normalized_and_checked_for_shape() {
        assert_eq!(Email::parse(" Ada@Example.COM ").unwrap().as_str(), "ada@example.com");
        assert!(Email::parse("nope").is_err());
        assert!(Email::parse("a@b").is_err());
        assert!(Email::parse("@example.com").is_err());
    }
}
