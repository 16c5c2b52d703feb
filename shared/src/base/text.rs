//! What text a person types may hold, where others will read it (audit
//! diffs, CSV exports, the console, terminals). Names and identifiers hold
//! no control characters, no bidirectional controls (which reorder what a
//! reader sees: `adm\u{202e}nimda` shows as "adminimda" reversed) and no
//! invisible characters (zero-width spaces and joiners, byte-order marks).
//! Free text (descriptions) may also hold newlines and tabs, and
//! zero-width joiners (emoji sequences use them), but nothing else of
//! those kinds.

/// The characters [`name_problem`] refuses, as the inside of a regular
/// expression's character class (the same in ECMA-262, Python and Rust's
/// `regex`), for patterns built with `concat!`.
#[macro_export]
macro_rules! refused_in_names {
    () => {
        r"\u0000-\u001f\u007f-\u009f\u00ad\u061c\u180e\u200b-\u200f\u202a-\u202e\u2060-\u2064\u2066-\u2069\ufeff"
    };
}

/// A name as the checks take it, as a regular expression for the OpenAPI
/// document: something besides spaces, and nothing [`name_problem`]
/// refuses. The same in JSON Schema (ECMA-262), Python and Rust's `regex`
/// (a test holds it to the function).
pub const NAME_PATTERN: &str =
    concat!("^[^", refused_in_names!(), "]*[^\\s", refused_in_names!(), "][^", refused_in_names!(), "]*$");

/// How the OpenAPI document describes a name of 1 to `max_chars`
/// characters checked by [`name_problem`] after trimming.
pub fn name_schema(max_chars: usize, example: Option<&str>) -> utoipa::openapi::RefOr<utoipa::openapi::schema::Schema> {
    utoipa::openapi::ObjectBuilder::new()
        .schema_type(utoipa::openapi::schema::Type::String)
        .max_length(Some(max_chars))
        .pattern(Some(NAME_PATTERN))
        .description(Some(format!(
            "1 to {max_chars} characters, not only spaces; no control, bidirectional or invisible characters."
        )))
        .examples(example.map(|e| serde_json::json!(e)))
        .into()
}

/// How the OpenAPI document describes a name field of up to 100
/// characters (a `String` checked by [`name_problem`]): fields name it as
/// their `value_type`.
pub struct Name;

impl utoipa::PartialSchema for Name {
    fn schema() -> utoipa::openapi::RefOr<utoipa::openapi::schema::Schema> {
        name_schema(100, None)
    }
}

impl utoipa::ToSchema for Name {}

/// [`free_text_problem`] as a regular expression.
pub const FREE_TEXT_PATTERN: &str = r"^[^\u0000-\u0008\u000b-\u001f\u007f-\u009f\u00ad\u061c\u180e\u200b\u200c\u200e\u200f\u202a-\u202e\u2060-\u2064\u2066-\u2069\ufeff]*$";

/// How the OpenAPI document describes free text of up to `max_chars`
/// characters checked by [`free_text_problem`].
pub fn free_text_schema(max_chars: usize) -> utoipa::openapi::schema::Object {
    utoipa::openapi::ObjectBuilder::new()
        .schema_type(utoipa::openapi::schema::SchemaType::from_iter([
            utoipa::openapi::schema::Type::String,
            utoipa::openapi::schema::Type::Null,
        ]))
        .max_length(Some(max_chars))
        .pattern(Some(FREE_TEXT_PATTERN))
        .description(Some(format!(
            "Up to {max_chars} characters; newlines and tabs but no other control, bidirectional or invisible characters."
        )))
        .build()
}

/// Characters that change the order text is shown in.
fn is_bidi_control(c: char) -> bool {
    matches!(c, '\u{061C}' | '\u{200E}' | '\u{200F}' | '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}')
}

/// Characters that take no space, so two names that look the same differ.
fn is_invisible(c: char) -> bool {
    matches!(c, '\u{00AD}' | '\u{180E}' | '\u{200B}'..='\u{200D}' | '\u{2060}'..='\u{2064}' | '\u{FEFF}')
}

/// Why `s` cannot be a name or identifier, if it cannot.
pub fn name_problem(s: &str) -> Option<&'static str> {
    s.chars()
        .any(|c| c.is_control() || is_bidi_control(c) || is_invisible(c))
        .then_some("must not contain control characters, bidirectional controls or invisible characters")
}

/// Why `s` cannot be free text, if it cannot.
pub fn free_text_problem(s: &str) -> Option<&'static str> {
    let refused = |c: char| {
        (c.is_control() && c != '\n' && c != '\t') || is_bidi_control(c) || (is_invisible(c) && c != '\u{200D}')
    };
    s.chars().any(refused).then_some(
        "may hold newlines and tabs but no other control characters, bidirectional controls or byte-order marks",
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_patterns_refuse_exactly_what_the_checks_refuse() {
        let name = regex::Regex::new(NAME_PATTERN).unwrap();
        let free = regex::Regex::new(FREE_TEXT_PATTERN).unwrap();
        for c in (0..0x3000).chain(0xfe00..0x10000).filter_map(char::from_u32) {
            let s = c.to_string();
            let named = name_problem(&s).is_none() && !s.trim().is_empty();
            assert_eq!(name.is_match(&s), named, "name: U+{:04X}", c as u32);
            assert_eq!(free.is_match(&s), free_text_problem(&s).is_none(), "free text: U+{:04X}", c as u32);
        }
    }

    #[test]
    fn names_refuse_controls_bidi_overrides_and_invisible_characters() {
        for bad in [
            "a\0b",
            "a\u{1b}[31mb",
            "adm\u{202e}nimda",
            "a\u{2066}b",
            "a\u{200b}b",
            "\u{feff}name",
            "a\nb",
            "a\tb",
            "a\u{85}b",
            "a\u{200d}b",
        ] {
            assert!(name_problem(bad).is_some(), "{bad:?}");
        }
        for good in ["Acme Inc.", "Ünïcødé 名前", "checkout-service", "o'brien@example.com"] {
            assert_eq!(name_problem(good), None, "{good:?}");
        }
    }

    #[test]
    fn free_text_keeps_newlines_tabs_and_emoji_joiners_only() {
        assert_eq!(free_text_problem("line one\nline two\tindented"), None);
        assert_eq!(free_text_problem("family: \u{1F468}\u{200D}\u{1F469}\u{200D}\u{1F467}"), None);
        for bad in ["a\0b", "a\rb", "a\u{1b}[2Jb", "adm\u{202e}nimda", "a\u{2069}b", "\u{feff}text", "a\u{200b}b"] {
            assert!(free_text_problem(bad).is_some(), "{bad:?}");
        }
    }
}
