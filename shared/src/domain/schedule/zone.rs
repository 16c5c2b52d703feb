//! IANA time zones for croner (which reads cron through chrono's
//! `TimeZone`), backed by jiff's copy of the tz database.
//!
//! Not `chrono-tz`: its tables are Rust statics full of pointers, which
//! the dynamic loader relocates at every start, touching every page of
//! them (BENCHMARKS.md, decisions). jiff bundles the database as the tz
//! project's binary files, read when a zone is first asked for. Only the bundled copy is consulted (no
//! `/usr/share/zoneinfo`), so every function and release agrees on a
//! zone's rules regardless of the machine.

use chrono::{FixedOffset, LocalResult, NaiveDate, NaiveDateTime, Offset, TimeZone};
use jiff::tz::AmbiguousOffset;

/// An IANA time zone (`Europe/Berlin`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Zone(jiff::tz::TimeZone);

impl Zone {
    /// The zone of this IANA name; `None` if the database has none.
    pub fn named(name: &str) -> Option<Self> {
        jiff::tz::TimeZone::get(name).ok().map(Self)
    }
}

/// A zone's offset at one instant, knowing its zone (as chrono wants).
#[derive(Debug, Clone)]
pub struct ZoneOffset {
    zone: Zone,
    fixed: FixedOffset,
}

impl Offset for ZoneOffset {
    fn fix(&self) -> FixedOffset {
        self.fixed
    }
}

impl std::fmt::Display for ZoneOffset {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        self.fixed.fmt(f)
    }
}

impl Zone {
    fn at(&self, offset: jiff::tz::Offset) -> ZoneOffset {
        // jiff's offsets are within ±25:59:59, chrono's within ±24h: the
        // tz database's are all well inside both.
        let fixed = FixedOffset::east_opt(offset.seconds()).unwrap_or(FixedOffset::east_opt(0).expect("zero"));
        ZoneOffset { zone: self.clone(), fixed }
    }
}

impl TimeZone for Zone {
    type Offset = ZoneOffset;

    fn from_offset(offset: &ZoneOffset) -> Self {
        offset.zone.clone()
    }

    fn offset_from_local_date(&self, local: &NaiveDate) -> LocalResult<ZoneOffset> {
        self.offset_from_local_datetime(&local.and_hms_opt(0, 0, 0).expect("midnight"))
    }

    /// Single; Ambiguous (earlier instant first) in a fall-back overlap;
    /// None in a spring-forward gap: what croner's DST rules expect.
    fn offset_from_local_datetime(&self, local: &NaiveDateTime) -> LocalResult<ZoneOffset> {
        let Some(civil) = civil(local) else { return LocalResult::None };
        match self.0.to_ambiguous_timestamp(civil).offset() {
            AmbiguousOffset::Unambiguous { offset } => LocalResult::Single(self.at(offset)),
            AmbiguousOffset::Fold { before, after } => LocalResult::Ambiguous(self.at(before), self.at(after)),
            AmbiguousOffset::Gap { .. } => LocalResult::None,
        }
    }

    fn offset_from_utc_date(&self, utc: &NaiveDate) -> ZoneOffset {
        self.offset_from_utc_datetime(&utc.and_hms_opt(0, 0, 0).expect("midnight"))
    }

    fn offset_from_utc_datetime(&self, utc: &NaiveDateTime) -> ZoneOffset {
        let utc = utc.and_utc();
        let instant = jiff::Timestamp::new(utc.timestamp(), 0).unwrap_or(jiff::Timestamp::UNIX_EPOCH);
        self.at(self.0.to_offset(instant))
    }
}

/// The same wall-clock time in jiff's terms (seconds: offsets never
/// depend on fractions); `None` outside jiff's years (-9999..=9999).
fn civil(local: &NaiveDateTime) -> Option<jiff::civil::DateTime> {
    use chrono::{Datelike, Timelike};
    let narrow = |n: u32| i8::try_from(n).ok();
    jiff::civil::DateTime::new(
        i16::try_from(local.year()).ok()?,
        narrow(local.month())?,
        narrow(local.day())?,
        narrow(local.hour())?,
        narrow(local.minute())?,
        narrow(local.second())?,
        0,
    )
    .ok()
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::Utc;

    fn local(s: &str) -> NaiveDateTime {
        NaiveDateTime::parse_from_str(s, "%Y-%m-%d %H:%M").unwrap()
    }

    #[test]
    fn names_resolve_to_the_databases_zones_and_unknown_ones_do_not() {
        assert!(Zone::named("Europe/Berlin").is_some());
        assert!(Zone::named("America/Argentina/Buenos_Aires").is_some());
        assert!(Zone::named("UTC").is_some());
        assert!(Zone::named("Mars/Olympus_Mons").is_none());
        assert!(Zone::named("").is_none());
    }

    #[test]
    fn local_times_are_single_ambiguous_in_an_overlap_and_missing_in_a_gap() {
        let new_york = Zone::named("America/New_York").unwrap();
        let at = |s: &str| new_york.from_local_datetime(&local(s)).map(|t| t.with_timezone(&Utc).to_rfc3339());
        assert_eq!(at("2026-07-01 12:00"), LocalResult::Single("2026-07-01T16:00:00+00:00".into()));
        assert_eq!(
            at("2026-11-01 01:30"),
            LocalResult::Ambiguous("2026-11-01T05:30:00+00:00".into(), "2026-11-01T06:30:00+00:00".into())
        );
        assert_eq!(at("2026-03-08 02:30"), LocalResult::None);
    }

    #[test]
    fn an_instant_reads_with_the_offset_in_force_then() {
        let berlin = Zone::named("Europe/Berlin").unwrap();
        let summer = Utc.with_ymd_and_hms(2026, 7, 1, 12, 0, 0).unwrap().with_timezone(&berlin);
        let winter = Utc.with_ymd_and_hms(2026, 12, 1, 12, 0, 0).unwrap().with_timezone(&berlin);
        assert_eq!(
            (summer.to_rfc3339(), winter.to_rfc3339()),
            ("2026-07-01T14:00:00+02:00".into(), "2026-12-01T13:00:00+01:00".into())
        );
    }
}
