//! A schedule's cadence: five-field cron read in an IANA time zone
//! (evaluated by `croner`), or `rate(N minutes|hours|days)`.
//!
//! Daylight saving time, for cron (croner's rules, which are cron's):
//! - a time skipped by a spring-forward gap runs at the first instant after
//!   the gap, once (`30 2 * * *` in New York runs at 03:00 EDT that day);
//! - a time repeated by a fall-back overlap runs once, at its first
//!   occurrence, for a fixed-time job; an interval job (`*/30 * * * *`)
//!   runs on both passes, since each is a real half hour.
//!
//! Rates ignore zones: slots are multiples of the period since the Unix
//! epoch, so every tick agrees on them.

use chrono::{DateTime, TimeDelta, Utc};
use croner::Cron;
use croner::parser::{CronParser, Seconds, Year};

use super::zone::Zone;

#[derive(Debug, Clone)]
pub enum Cadence {
    Cron { cron: Box<Cron>, zone: Zone },
    Rate(TimeDelta),
}

/// Which input was wrong: `cron` or `timezone`.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum CadenceError {
    #[error("{0}")]
    Cron(String),
    #[error("{0}")]
    Timezone(String),
}

fn rate(inner: &str) -> Result<TimeDelta, CadenceError> {
    let bad = || CadenceError::Cron("a rate is `rate(N minutes|hours|days)` with N from 1".into());
    let (count, unit) = inner.trim().split_once(' ').ok_or_else(bad)?;
    let count: i64 = count.parse().ok().filter(|n| *n >= 1).ok_or_else(bad)?;
    let one = match unit.trim() {
        "minute" | "minutes" => TimeDelta::minutes(1),
        "hour" | "hours" => TimeDelta::hours(1),
        "day" | "days" => TimeDelta::days(1),
        _ => return Err(bad()),
    };
    if (count == 1) != unit.trim().ends_with(|c| c != 's') {
        return Err(CadenceError::Cron("say `1 minute` but `5 minutes`".into()));
    }
    let period = one * i32::try_from(count).map_err(|_| bad())?;
    if period > TimeDelta::days(366) {
        return Err(CadenceError::Cron("a rate is at most 366 days".into()));
    }
    Ok(period)
}

impl Cadence {
    pub fn parse(expression: &str, timezone: &str) -> Result<Self, CadenceError> {
        let zone = Zone::named(timezone).ok_or_else(|| {
            CadenceError::Timezone(format!("`{timezone}` is not an IANA time zone (like Europe/Berlin)"))
        })?;
        let expression = expression.trim();
        if let Some(inner) = expression.strip_prefix("rate(").and_then(|r| r.strip_suffix(')')) {
            return Ok(Cadence::Rate(rate(inner)?));
        }
        if expression.split_whitespace().count() != 5 {
            return Err(CadenceError::Cron(
                "five fields: minute hour day-of-month month day-of-week (or rate(...))".into(),
            ));
        }
        let cron = CronParser::builder()
            .seconds(Seconds::Disallowed)
            .year(Year::Disallowed)
            .build()
            .parse(expression)
            .map_err(|e| CadenceError::Cron(format!("not a cron expression: {e}")))?;
        Ok(Cadence::Cron { cron: Box::new(cron), zone })
    }

    /// The first slot strictly after `after`.
    pub fn next_after(&self, after: DateTime<Utc>) -> Option<DateTime<Utc>> {
        match self {
            Cadence::Rate(period) => {
                let step = period.num_milliseconds();
                let at = after.timestamp_millis();
                DateTime::from_timestamp_millis((at.div_euclid(step) + 1) * step)
            }
            Cadence::Cron { cron, zone } => {
                let local = after.with_timezone(zone);
                cron.find_next_occurrence(&local, false).ok().map(|next| next.with_timezone(&Utc))
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn utc(s: &str) -> DateTime<Utc> {
        DateTime::parse_from_rfc3339(s).unwrap().with_timezone(&Utc)
    }

    fn slots(cadence: &Cadence, from: &str, n: usize) -> Vec<String> {
        let mut at = utc(from);
        (0..n)
            .map(|_| {
                at = cadence.next_after(at).expect("a next slot");
                at.to_rfc3339()
            })
            .collect()
    }

    #[test]
    fn cron_is_read_in_its_zone() {
        let nine = Cadence::parse("0 9 * * 1-5", "Europe/Berlin").unwrap();
        // Friday 2026-11-20 10:00 UTC -> Monday 09:00 CET = 08:00 UTC.
        assert_eq!(slots(&nine, "2026-11-20T10:00:00Z", 1), ["2026-11-23T08:00:00+00:00"]);
    }

    #[test]
    fn a_time_skipped_by_spring_forward_runs_once_right_after_the_gap() {
        // New York, 2026-03-08: 02:00 EST jumps to 03:00 EDT; 02:30 never happens.
        let daily = Cadence::parse("30 2 * * *", "America/New_York").unwrap();
        assert_eq!(
            slots(&daily, "2026-03-07T12:00:00Z", 3),
            ["2026-03-08T07:00:00+00:00", "2026-03-09T06:30:00+00:00", "2026-03-10T06:30:00+00:00"]
        );
    }

    #[test]
    fn a_time_repeated_by_fall_back_runs_once_but_an_interval_runs_on_both_passes() {
        // New York, 2026-11-01: 02:00 EDT goes back to 01:00 EST; 01:30 happens twice.
        let daily = Cadence::parse("30 1 * * *", "America/New_York").unwrap();
        assert_eq!(
            slots(&daily, "2026-10-31T12:00:00Z", 2),
            ["2026-11-01T05:30:00+00:00", "2026-11-02T06:30:00+00:00"]
        );
        let half_hourly = Cadence::parse("*/30 * * * *", "America/New_York").unwrap();
        assert_eq!(
            slots(&half_hourly, "2026-11-01T04:45:00Z", 5),
            [
                "2026-11-01T05:00:00+00:00",
                "2026-11-01T05:30:00+00:00",
                "2026-11-01T06:00:00+00:00",
                "2026-11-01T06:30:00+00:00",
                "2026-11-01T07:00:00+00:00",
            ]
        );
    }

    #[test]
    fn rates_are_multiples_of_their_period_and_bad_input_names_its_field() {
        let five = Cadence::parse("rate(5 minutes)", "UTC").unwrap();
        assert_eq!(slots(&five, "2026-11-23T10:02:30Z", 2), ["2026-11-23T10:05:00+00:00", "2026-11-23T10:10:00+00:00"]);
        assert!(Cadence::parse("rate(1 hour)", "UTC").is_ok());
        for bad in [
            "rate(0 minutes)",
            "rate(1 minutes)",
            "rate(5 minute)",
            "rate(5 weeks)",
            "* * * *",
            "0 0 * * * *",
            "61 * * * *",
        ] {
            assert!(matches!(Cadence::parse(bad, "UTC"), Err(CadenceError::Cron(_))), "{bad}");
        }
        assert!(matches!(Cadence::parse("* * * * *", "Mars/Olympus"), Err(CadenceError::Timezone(_))));
    }
}
