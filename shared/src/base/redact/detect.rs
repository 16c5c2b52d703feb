//! The built-in detectors. Each finds candidates with a `regex` (linear
//! time whatever the text: tenants' data never meets a backtracking
//! engine), then rules out look-alikes with a check a pattern cannot make:
//! Luhn and card prefixes, the IBAN's mod-97, address parsing, digit
//! counts, the SSA's never-issued numbers, what borders the match.

use std::ops::Range;
use std::sync::LazyLock;

use regex::Regex;
use serde::{Deserialize, Serialize};

/// A kind of personal data or credential the engine knows.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum Kind {
    Email,
    Phone,
    Ssn,
    CreditCard,
    IpAddress,
    Iban,
    Jwt,
    ApiKey,
    AwsAccessKey,
}

impl Kind {
    pub const ALL: [Kind; 9] = [
        Kind::Email,
        Kind::Phone,
        Kind::Ssn,
        Kind::CreditCard,
        Kind::IpAddress,
        Kind::Iban,
        Kind::Jwt,
        Kind::ApiKey,
        Kind::AwsAccessKey,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Kind::Email => "email",
            Kind::Phone => "phone",
            Kind::Ssn => "ssn",
            Kind::CreditCard => "credit_card",
            Kind::IpAddress => "ip_address",
            Kind::Iban => "iban",
            Kind::Jwt => "jwt",
            Kind::ApiKey => "api_key",
            Kind::AwsAccessKey => "aws_access_key",
        }
    }

    pub fn parse(s: &str) -> Option<Kind> {
        Kind::ALL.into_iter().find(|k| k.as_str() == s)
    }

    /// Credentials are removed even where an org turned minimization off:
    /// no policy may keep a secret at rest in clear.
    pub fn is_credential(self) -> bool {
        matches!(self, Kind::Jwt | Kind::ApiKey | Kind::AwsAccessKey)
    }

    /// The form two spellings of one value share, for hashing: the same
    /// person's number or address hashes alike however it was written.
    pub fn normalized(self, found: &str) -> String {
        match self {
            Kind::Email => found.to_lowercase(),
            Kind::Phone | Kind::Ssn | Kind::CreditCard => found.chars().filter(char::is_ascii_digit).collect(),
            Kind::Iban => found.chars().filter(|c| !c.is_whitespace()).collect::<String>().to_uppercase(),
            Kind::IpAddress => found.parse::<std::net::IpAddr>().map_or_else(|_| found.to_owned(), |ip| ip.to_string()),
            Kind::Jwt | Kind::ApiKey | Kind::AwsAccessKey => found.to_owned(),
        }
    }
}

impl std::fmt::Display for Kind {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

struct Detector {
    kind: Kind,
    regex: Regex,
    /// Whether the candidate at `range` of `text` is the real thing; may
    /// narrow it (a card inside a longer run of digit groups).
    check: fn(&str, Range<usize>) -> Option<Range<usize>>,
}

/// Where a detector found something.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Found {
    pub range: Range<usize>,
    pub kind: Kind,
}

static DETECTORS: LazyLock<Vec<Detector>> = LazyLock::new(|| {
    let detector = |kind, pattern: &str, check| Detector {
        kind,
        regex: Regex::new(pattern).expect("the built-in patterns compile"),
        check,
    };
    // ASCII digits only (`[0-9]`, not `\d`): Unicode's digit classes make
    // every pattern tens of times costlier to compile, on each cold start.
    vec![
        // Listed in the order they win a tie: credentials first, then the
        // stricter shapes before the looser ones.
        detector(Kind::Jwt, r"eyJ[A-Za-z0-9_-]{8,}\.eyJ[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]*", bordered),
        detector(Kind::AwsAccessKey, r"(?:AKIA|ASIA|AGPA|AIDA|AROA|ANPA|ANVA|AIPA|ABIA|ACCA)[A-Z0-9]{16}", bordered),
        detector(Kind::ApiKey, API_KEY_PATTERN, bordered),
        detector(Kind::Iban, r"[A-Z]{2}[0-9]{2}(?: ?[A-Z0-9]{4}){2,7}(?: ?[A-Z0-9]{1,3})?", iban),
        detector(Kind::CreditCard, r"[0-9](?:[ -]?[0-9]){12,}", card),
        // A mailbox and domain are runs of anything but spaces and the
        // characters that delimit them in text, JSON, URLs and markup
        // (Unicode mailboxes included); the top-level domain is letters.
        detector(
            Kind::Email,
            r#"[^\s@<>()\[\],;:"'`/\\=&?#*|{}]+@[^\s@<>()\[\],;:"'`/\\=&?#*|{}.]+(?:\.[^\s@<>()\[\],;:"'`/\\=&?#*|{}.]+)*\.[a-zA-Z]{2,24}"#,
            email,
        ),
        detector(Kind::Ssn, r"[0-9]{3}([- ])[0-9]{2}[- ][0-9]{4}", ssn),
        detector(Kind::IpAddress, r"(?:[0-9]{1,3}\.){3}[0-9]{1,3}", ipv4),
        detector(Kind::IpAddress, r"(?i)(?:[0-9a-f]{0,4}:){2,7}(?:(?:[0-9]{1,3}\.){3}[0-9]{1,3}|[0-9a-f]{1,4})?", ipv6),
        detector(Kind::Phone, r"\+[0-9](?:[ .\-]?(?:\([0-9]{1,4}\)|[0-9])){7,16}", international_phone),
        detector(Kind::Phone, r"(?:1[ .\-])?(?:\([0-9]{3}\) ?|[0-9]{3}[ .\-])[0-9]{3}[ .\-][0-9]{4}", nanp_phone),
        detector(Kind::Phone, r"0[0-9]{1,4}(?:[ .\-/]?[0-9]{2,8}){1,4}", national_phone),
    ]
});

/// Our own tokens (`sk_live_…`, `whsec_…`) and the well-known vendors'
/// prefixes: GitHub, GitLab, Slack, Stripe, OpenAI, Anthropic, Google,
/// SendGrid, npm, PyPI, Twilio, Hugging Face, Shopify, DigitalOcean.
const API_KEY_PATTERN: &str = concat!(
    r"(?:(?:pk|sk|sr|rk|mcp)_(?:live|test)_[A-Za-z0-9_\-]{16,}",
    r"|whsec_[A-Za-z0-9+/=_\-]{16,}",
    r"|gh[pousr]_[A-Za-z0-9]{30,}|github_pat_[A-Za-z0-9_]{40,}",
    r"|glpat-[A-Za-z0-9_\-]{20,}",
    r"|xox[abposr]-[A-Za-z0-9\-]{10,}",
    r"|sk-(?:proj-|ant-[a-z0-9]+-)?[A-Za-z0-9_\-]{20,}",
    r"|AIza[0-9A-Za-z_\-]{35}",
    r"|SG\.[A-Za-z0-9_\-]{16,}\.[A-Za-z0-9_\-]{16,}",
    r"|npm_[A-Za-z0-9]{36}|pypi-[A-Za-z0-9_\-]{50,}",
    r"|SK[0-9a-f]{32}|hf_[A-Za-z0-9]{30,}",
    r"|shp(?:at|ss|ca|pa)_[0-9a-fA-F]{32}|dop_v1_[0-9a-f]{64})",
);

/// Every built-in finding in `text`, in order, none overlapping: where two
/// overlap the one starting first wins, then the longer, then the one
/// listed first.
pub fn find(text: &str) -> Vec<Found> {
    let mut all = Vec::new();
    for (rank, detector) in DETECTORS.iter().enumerate() {
        for m in detector.regex.find_iter(text) {
            if let Some(range) = (detector.check)(text, m.range()) {
                all.push((range, rank, detector.kind));
            }
        }
    }
    all.sort_by_key(|(range, rank, _)| (range.start, std::cmp::Reverse(range.end), *rank));
    let mut kept: Vec<Found> = Vec::with_capacity(all.len());
    for (range, _, kind) in all {
        if kept.last().is_none_or(|last| range.start >= last.range.end) {
            kept.push(Found { range, kind });
        }
    }
    kept
}

fn before(text: &str, at: usize) -> Option<char> {
    text[..at].chars().next_back()
}

fn after(text: &str, at: usize) -> Option<char> {
    text[at..].chars().next()
}

/// Not glued to a longer word on either side (`_` and `-` count as word).
fn bordered(text: &str, range: Range<usize>) -> Option<Range<usize>> {
    let word = |c: Option<char>| c.is_some_and(|c| c.is_alphanumeric() || c == '_' || c == '-');
    (!word(before(text, range.start)) && !word(after(text, range.end))).then_some(range)
}

/// Not part of a longer run of digits, nor of a dotted or dashed number
/// (`1.2.3.4.5`, `2024-415-555-2671`).
fn numeric_bordered(text: &str, range: &Range<usize>, joiners: &[char]) -> bool {
    let glued = |c: Option<char>, next: Option<char>| match c {
        Some(c) if c.is_alphanumeric() || c == '_' => true,
        Some(c) if joiners.contains(&c) => next.is_some_and(|n| n.is_ascii_digit()),
        _ => false,
    };
    let start_prev = before(text, range.start);
    let start_prev2 = start_prev.and_then(|c| before(text, range.start - c.len_utf8()));
    let end_next = after(text, range.end);
    let end_next2 = end_next.and_then(|c| after(text, range.end + c.len_utf8()));
    !glued(start_prev, start_prev2) && !glued(end_next, end_next2)
}

fn digits(s: &str) -> Vec<u8> {
    s.bytes().filter(u8::is_ascii_digit).map(|b| b - b'0').collect()
}

fn luhn(digits: &[u8]) -> bool {
    let sum: u32 = digits
        .iter()
        .rev()
        .enumerate()
        .map(|(i, &d)| {
            let d = u32::from(d);
            if i % 2 == 1 { if d * 2 > 9 { d * 2 - 9 } else { d * 2 } } else { d }
        })
        .sum();
    sum.is_multiple_of(10)
}

/// A network's prefix (IIN) and a length it issues.
fn card_network(digits: &[u8]) -> bool {
    let prefix = |n: usize| digits.iter().take(n).fold(0u32, |acc, &d| acc * 10 + u32::from(d));
    let len = digits.len();
    match digits.first() {
        Some(4) => matches!(len, 13 | 16 | 19),
        Some(5) => (51..=55).contains(&prefix(2)) && len == 16,
        Some(2) => (2221..=2720).contains(&prefix(4)) && len == 16,
        Some(3) => {
            (matches!(prefix(2), 34 | 37) && len == 15)
                || (prefix(2) == 35 && (16..=19).contains(&len))
                || (matches!(prefix(2), 36 | 38 | 39) && (14..=19).contains(&len))
                || ((300..=305).contains(&prefix(3)) && (14..=19).contains(&len))
        }
        Some(6) => {
            (prefix(4) == 6011 || prefix(2) == 65 || (644..=649).contains(&prefix(3)) || prefix(2) == 62)
                && (16..=19).contains(&len)
        }
        _ => false,
    }
}

/// A run of digit groups holds a card when the whole run, or a run of its
/// groups, is 13–19 digits on a network's prefix and passes Luhn.
fn card(text: &str, range: Range<usize>) -> Option<Range<usize>> {
    // Not the fraction or the whole part of a decimal number (a float's 15
    // digits after the point pass Luhn one time in ten), nor a group of a
    // number with thousands separators.
    if !numeric_bordered(text, &range, &['.', ',']) {
        return None;
    }
    let run = &text[range.clone()];
    let is_card = |s: &str| {
        let d = digits(s);
        (13..=19).contains(&d.len()) && card_network(&d) && luhn(&d)
    };
    // Groups split by single separators; the longest run of whole groups
    // that is a card wins.
    let mut groups = Vec::new();
    let mut start = 0;
    for (i, c) in run.char_indices() {
        if !c.is_ascii_digit() {
            groups.push(start..i);
            start = i + 1;
        }
    }
    groups.push(start..run.len());
    for first in 0..groups.len() {
        for last in (first..groups.len()).rev() {
            let inner = groups[first].start..groups[last].end;
            if is_card(&run[inner.clone()]) {
                return Some(range.start + inner.start..range.start + inner.end);
            }
        }
    }
    None
}

fn iban(text: &str, range: Range<usize>) -> Option<Range<usize>> {
    let range = bordered(text, range)?;
    let compact: String = text[range.clone()].chars().filter(|c| !c.is_whitespace()).collect();
    let expected = iban_length(&compact[..2])?;
    if compact.len() != expected {
        return None;
    }
    // Move the country and check digits to the end, letters to numbers,
    // and the whole must leave 1 modulo 97 (ISO 13616).
    let rearranged = compact[4..].chars().chain(compact[..4].chars());
    let mut remainder = 0u32;
    for c in rearranged {
        let value = c.to_digit(36)?;
        remainder = if value >= 10 { (remainder * 100 + value) % 97 } else { (remainder * 10 + value) % 97 };
    }
    (remainder == 1).then_some(range)
}

/// The IBAN length of each country that issues them (the SWIFT registry).
fn iban_length(country: &str) -> Option<usize> {
    Some(match country {
        "NO" => 15,
        "BE" => 16,
        "DK" | "FI" | "FO" | "GL" | "NL" => 18,
        "MK" | "SI" => 19,
        "AT" | "BA" | "EE" | "KZ" | "LT" | "LU" | "XK" => 20,
        "CH" | "CR" | "HR" | "LI" | "LV" => 21,
        "BG" | "BH" | "DE" | "GB" | "GE" | "IE" | "ME" | "RS" => 22,
        "AE" | "GI" | "IL" | "TL" => 23,
        "AD" | "CZ" | "ES" | "MD" | "PK" | "RO" | "SA" | "SE" | "SK" | "TN" | "VG" => 24,
        "PT" | "ST" => 25,
        "IS" | "TR" => 26,
        "FR" | "GR" | "IT" | "MC" | "MR" | "SM" => 27,
        "AL" | "AZ" | "BY" | "CY" | "DO" | "GT" | "HU" | "LB" | "PL" | "SV" => 28,
        "BR" | "EG" | "PS" | "QA" | "UA" => 29,
        "IQ" | "JO" | "KW" | "MU" => 30,
        "MT" | "SC" => 31,
        "LC" => 32,
        _ => return None,
    })
}

fn email(text: &str, range: Range<usize>) -> Option<Range<usize>> {
    let found = &text[range.clone()];
    let (local, domain) = found.split_once('@')?;
    // A mailbox does not start or end with a dot, nor hold two in a row.
    let trimmed = local.trim_start_matches(['.', '-']);
    if trimmed.is_empty() || trimmed.ends_with('.') || trimmed.contains("..") {
        return None;
    }
    // Image and asset names (`logo@2x.png`) have the shape but no mailbox.
    let tld = domain.rsplit('.').next()?.to_ascii_lowercase();
    if ["png", "jpg", "jpeg", "gif", "svg", "webp", "ico", "css", "js", "map"].contains(&tld.as_str()) {
        return None;
    }
    Some(range.start + (local.len() - trimmed.len())..range.end)
}

fn ssn(text: &str, range: Range<usize>) -> Option<Range<usize>> {
    if !numeric_bordered(text, &range, &['-', '.', ' ', '/']) {
        return None;
    }
    let found = &text[range.clone()];
    // One separator throughout: `123-45 6789` is not how anyone writes one.
    let separators: Vec<char> = found.chars().filter(|c| !c.is_ascii_digit()).collect();
    if separators.windows(2).any(|w| w[0] != w[1]) {
        return None;
    }
    let d = digits(found);
    let number = |r: Range<usize>| d[r].iter().fold(0u32, |acc, &x| acc * 10 + u32::from(x));
    let (area, group, serial) = (number(0..3), number(3..5), number(5..9));
    // Never issued: area 000, 666 or 900–999, group 00, serial 0000.
    (area != 0 && area != 666 && area < 900 && group != 0 && serial != 0).then_some(range)
}

fn ipv4(text: &str, range: Range<usize>) -> Option<Range<usize>> {
    if !numeric_bordered(text, &range, &['.']) {
        return None;
    }
    text[range.clone()].parse::<std::net::Ipv4Addr>().ok().map(|_| range)
}

fn ipv6(text: &str, range: Range<usize>) -> Option<Range<usize>> {
    let found = &text[range.clone()];
    // Glued to a word (`std::io`, `Foo::bar`) or to more colons is code or
    // a time, not an address.
    // A dot after it glues only when more follows (`::1.5`); before it, a
    // dot is a path's (`config.::1`).
    let word = |c: Option<char>| c.is_some_and(|c| c.is_alphanumeric() || c == '_' || c == ':');
    let next_glued =
        after(text, range.end) == Some('.') && after(text, range.end + 1).is_some_and(|c| c.is_ascii_hexdigit());
    if word(before(text, range.start)) || word(after(text, range.end)) || next_glued {
        return None;
    }
    if !found.chars().any(|c| c.is_ascii_hexdigit()) {
        return None;
    }
    found.parse::<std::net::Ipv6Addr>().ok().map(|_| range)
}

fn digit_count(s: &str) -> usize {
    s.bytes().filter(u8::is_ascii_digit).count()
}

/// The separators between digit groups are all one character (or none).
fn one_separator(s: &str) -> bool {
    let mut seen = None;
    let mut prev_digit = true;
    for c in s.chars() {
        if c.is_ascii_digit() {
            prev_digit = true;
            continue;
        }
        if prev_digit && !matches!(c, '(' | ')') {
            if seen.is_some_and(|s| s != c) {
                return false;
            }
            seen = Some(c);
        }
        prev_digit = false;
    }
    true
}

/// E.164: `+`, 8 to 15 digits.
fn international_phone(text: &str, range: Range<usize>) -> Option<Range<usize>> {
    let found = &text[range.clone()];
    let count = digit_count(found);
    let word = |c: Option<char>| c.is_some_and(|c| c.is_alphanumeric() || c == '_');
    ((8..=15).contains(&count) && !word(after(text, range.end)) && !word(before(text, range.start))).then_some(range)
}

/// North American numbers: `(415) 555-2671`, `415-555-2671`,
/// `1-800-555-0199`; area code and exchange start with 2–9.
fn nanp_phone(text: &str, range: Range<usize>) -> Option<Range<usize>> {
    if !numeric_bordered(text, &range, &['-', '.', '/', ':']) {
        return None;
    }
    let found = &text[range.clone()];
    let d = digits(found);
    let d = if d.len() == 11 { &d[1..] } else { &d[..] };
    let consistent = found.contains('(') || one_separator(found);
    (d.len() == 10 && d[0] >= 2 && d[3] >= 2 && consistent).then_some(range)
}

/// National numbers starting with a trunk 0, in groups with one separator
/// throughout: `020 7946 0958`, `07700 900123`, `01 23 45 67 89`,
/// `030/1234567`. Nine to eleven digits; dates (`01-02-2024`) have eight.
fn national_phone(text: &str, range: Range<usize>) -> Option<Range<usize>> {
    if !numeric_bordered(text, &range, &['-', '.', '/', ':', ',']) {
        return None;
    }
    let found = &text[range.clone()];
    let grouped = found.chars().any(|c| !c.is_ascii_digit());
    ((10..=11).contains(&digit_count(found)) && grouped && one_separator(found)).then_some(range)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn kinds(text: &str) -> Vec<(String, Kind)> {
        find(text).into_iter().map(|f| (text[f.range].to_owned(), f.kind)).collect()
    }

    #[test]
    fn a_card_number_is_found_only_when_it_passes_luhn_on_a_networks_prefix() {
        assert_eq!(kinds("card 4111 1111 1111 1111 ok"), [("4111 1111 1111 1111".into(), Kind::CreditCard)]);
        assert_eq!(kinds("amex 3782-822463-10005"), [("3782-822463-10005".into(), Kind::CreditCard)]);
        assert!(kinds("order 4111 1111 1111 1112").is_empty(), "fails Luhn");
        assert!(kinds("id 9111111111111111").is_empty(), "no network starts with 9");
        assert_eq!(kinds("4242424242424242 1234"), [("4242424242424242".into(), Kind::CreditCard)]);
        assert_eq!(
            kinds("card 4111111111111111."),
            [("4111111111111111".into(), Kind::CreditCard)],
            "a sentence's end"
        );
        // A float's digits pass Luhn as often as anything: a decimal
        // number is not a card (a JSON log line's latency stays a number).
        for number in
            [r#""latency_ms":2.4111111111111111,"#, "0.4111111111111111", "4111111111111111.5", "1,4111111111111111"]
        {
            assert_eq!(kinds(number), [], "{number}");
        }
    }

    #[test]
    fn an_iban_is_found_only_with_its_countrys_length_and_a_valid_check() {
        assert_eq!(kinds("pay DE89 3704 0044 0532 0130 00."), [("DE89 3704 0044 0532 0130 00".into(), Kind::Iban)]);
        assert_eq!(kinds("GB29NWBK60161331926819"), [("GB29NWBK60161331926819".into(), Kind::Iban)]);
        assert!(kinds("DE88 3704 0044 0532 0130 00").is_empty(), "bad check digits");
    }

    #[test]
    fn code_times_versions_and_ids_are_not_addresses() {
        for text in ["std::io::Read", "12:30:45", "00:1a:2b:3c:4d:5e", "1.2.3.4.5", "v10.0.0.256", "prj_01JD9ZK3"] {
            assert!(kinds(text).is_empty(), "{text}: {:?}", kinds(text));
        }
        assert_eq!(kinds("from 2001:db8::8a2e:370:7334"), [("2001:db8::8a2e:370:7334".into(), Kind::IpAddress)]);
        assert_eq!(kinds("ip=10.0.0.1;"), [("10.0.0.1".into(), Kind::IpAddress)]);
    }

    #[test]
    fn ssns_never_issued_are_not_found() {
        assert_eq!(kinds("ssn 123-45-6789"), [("123-45-6789".into(), Kind::Ssn)]);
        for text in ["000-12-3456", "666-12-3456", "912-12-3456", "123-00-4567", "123-45-0000", "123-45 6789"] {
            assert!(kinds(text).is_empty(), "{text}: {:?}", kinds(text));
        }
    }

    #[test]
    fn phones_in_international_and_national_forms_are_found_and_dates_are_not() {
        for phone in
            ["+1 415 555 2671", "+442079460958", "(415) 555-2671", "415.555.2671", "020 7946 0958", "01 23 45 67 89"]
        {
            assert_eq!(kinds(&format!("call {phone} now")), [(phone.to_owned(), Kind::Phone)], "{phone}");
        }
        for text in ["2024-12-04", "01-02-2024", "on 01/02/2024 10:30", "+123", "v1.2.3"] {
            assert!(kinds(text).is_empty(), "{text}: {:?}", kinds(text));
        }
    }

    #[test]
    fn emails_are_found_and_asset_names_are_not() {
        assert_eq!(
            kinds("to: Jane.Doe+x@Mail.Example.co.uk."),
            [("Jane.Doe+x@Mail.Example.co.uk".into(), Kind::Email)]
        );
        for text in ["logo@2x.png", "user@localhost", "@scope/pkg@1.2.3", "a@b.c"] {
            assert!(kinds(text).is_empty(), "{text}: {:?}", kinds(text));
        }
    }

    #[test]
    fn credentials_of_ours_and_of_vendors_are_found() {
        let ours = format!("sk_live_{}", "A".repeat(43));
        let jwt = "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0.dozjgNryP4J3jVmNHl0w5N_XgL0n3I9PlFUP0THsR8U";
        for (text, kind) in
            [(ours.as_str(), Kind::ApiKey), (jwt, Kind::Jwt), ("AKIAIOSFODNN7EXAMPLE", Kind::AwsAccessKey)]
        {
            assert_eq!(kinds(&format!("token={text} end")), [(text.to_owned(), kind)]);
        }
        assert!(kinds("prefix sk_live_ and last4 Ab3d").is_empty());
    }
}
