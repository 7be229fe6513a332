//! IANA time zones: a server's daily post and its quiz nights are set in its own.
//!
//! The rules come from the time zone database built into the program (`jiff`'s copy of the IANA
//! database), never from the host's `/usr/share/zoneinfo`, so the same names work the same in the
//! Docker image and elsewhere. (Until December 2026 they came from `chrono-tz`, whose tables are
//! a megabyte of pointers the loader rewrites at every start: a megabyte of the bot's resident
//! memory for data it reads a few times a day.)

use std::sync::{Mutex, OnceLock};

use chrono::{DateTime, Datelike, NaiveDate, NaiveDateTime, Timelike, Utc};
use jiff::tz::{AmbiguousOffset, TimeZone};

/// A time zone of the IANA database, by the name it was found under (`Europe/Warsaw`, `UTC`).
#[derive(Clone, Copy)]
pub struct Zone {
    name: &'static str,
    rules: &'static TimeZone,
}

impl PartialEq for Zone {
    fn eq(&self, other: &Zone) -> bool {
        self.name == other.name
    }
}

impl Eq for Zone {}

impl std::fmt::Debug for Zone {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "Zone({})", self.name)
    }
}

/// Each zone found, kept for the life of the program (there are about 600 in all).
static FOUND: Mutex<Vec<Zone>> = Mutex::new(Vec::new());

/// Why a name is not a zone.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UnknownZone;

impl std::str::FromStr for Zone {
    type Err = UnknownZone;

    /// A zone by its IANA name, in any case (`europe/warsaw` is `Europe/Warsaw`).
    fn from_str(name: &str) -> Result<Zone, UnknownZone> {
        let name = name.trim();
        if name.is_empty() {
            return Err(UnknownZone);
        }
        // A zone found before is not read from the database again (a server's zone is parsed at
        // every daily-post check and every schedule).
        let same = |z: &&Zone| z.name.eq_ignore_ascii_case(name);
        if let Some(zone) = FOUND
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .iter()
            .find(same)
        {
            return Ok(*zone);
        }
        let rules = jiff::tz::db().get(name).map_err(|_| UnknownZone)?;
        let mut found = FOUND.lock().unwrap_or_else(|e| e.into_inner());
        // Found meanwhile by another thread, or under another spelling of the same name.
        let canonical = rules.iana_name().ok_or(UnknownZone)?;
        if let Some(zone) = found.iter().find(|z| z.name == canonical) {
            return Ok(*zone);
        }
        let rules: &'static TimeZone = Box::leak(Box::new(rules));
        let Some(name) = rules.iana_name() else {
            return Err(UnknownZone);
        };
        let zone = Zone { name, rules };
        found.push(zone);
        Ok(zone)
    }
}

impl Zone {
    /// Coordinated Universal Time.
    pub fn utc() -> Zone {
        static UTC: TimeZone = TimeZone::UTC;
        Zone {
            name: "UTC",
            rules: &UTC,
        }
    }

    /// Its IANA name, as the database spells it.
    pub fn name(&self) -> &'static str {
        self.name
    }

    /// Every zone name the database knows, in its order (sorted).
    pub fn names() -> &'static [Box<str>] {
        static NAMES: OnceLock<Box<[Box<str>]>> = OnceLock::new();
        NAMES.get_or_init(|| {
            let mut names: Vec<Box<str>> = jiff::tz::db()
                .available()
                .map(|n| n.as_str().into())
                .collect();
            names.sort();
            names.into()
        })
    }

    /// The local date and time here at the instant `at`.
    pub fn local(&self, at: DateTime<Utc>) -> NaiveDateTime {
        let instant = jiff::Timestamp::new(at.timestamp(), at.timestamp_subsec_nanos() as i32)
            .unwrap_or(jiff::Timestamp::UNIX_EPOCH);
        let t = self.rules.to_datetime(instant);
        NaiveDate::from_ymd_opt(t.year().into(), t.month() as u32, t.day() as u32)
            .and_then(|d| {
                d.and_hms_nano_opt(
                    t.hour() as u32,
                    t.minute() as u32,
                    t.second() as u32,
                    t.subsec_nanosecond() as u32,
                )
            })
            .unwrap_or_default()
    }

    /// The first instant at which the clocks here show `local`: when the clocks are put back and
    /// it shows twice, the first; `None` when they skip over it (a spring-forward gap).
    pub fn earliest(&self, local: NaiveDateTime) -> Option<DateTime<Utc>> {
        let civil = jiff::civil::DateTime::new(
            i16::try_from(local.year()).ok()?,
            local.month() as i8,
            local.day() as i8,
            local.hour() as i8,
            local.minute() as i8,
            local.second() as i8,
            local.nanosecond().min(999_999_999) as i32,
        )
        .ok()?;
        let offset = match self.rules.to_ambiguous_timestamp(civil).offset() {
            AmbiguousOffset::Unambiguous { offset } => offset,
            AmbiguousOffset::Fold { before, .. } => before,
            AmbiguousOffset::Gap { .. } => return None,
        };
        let instant = offset.to_timestamp(civil).ok()?;
        DateTime::from_timestamp(instant.as_second(), instant.subsec_nanosecond() as u32)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(s: &str) -> DateTime<Utc> {
        DateTime::parse_from_rfc3339(s).unwrap().with_timezone(&Utc)
    }

    fn local(s: &str) -> NaiveDateTime {
        NaiveDateTime::parse_from_str(s, "%Y-%m-%d %H:%M").unwrap()
    }

    #[test]
    fn a_zone_is_found_by_its_name_in_any_case_and_is_the_same_zone() {
        let warsaw: Zone = "Europe/Warsaw".parse().unwrap();
        assert_eq!(warsaw.name(), "Europe/Warsaw");
        assert_eq!(" europe/warsaw ".parse::<Zone>(), Ok(warsaw));
        assert_eq!("UTC".parse::<Zone>().unwrap().name(), "UTC");
        assert_eq!("UTC".parse::<Zone>(), Ok(Zone::utc()));
        for bad in [
            "",
            "Europe/Warsow",
            "Mars/Olympus",
            "+01:00",
            "../../etc/passwd",
        ] {
            assert_eq!(bad.parse::<Zone>(), Err(UnknownZone), "{bad}");
        }
    }

    #[test]
    fn every_name_in_the_list_is_a_zone_of_that_name() {
        let names = Zone::names();
        assert!(names.len() > 500, "{}", names.len());
        assert!(names.windows(2).all(|w| w[0] < w[1]), "sorted, once each");
        for name in ["Europe/Warsaw", "America/New_York", "Asia/Kolkata", "UTC"] {
            assert!(names.iter().any(|n| &**n == name), "{name}");
        }
        for name in names {
            let zone: Zone = name.parse().unwrap();
            assert_eq!(zone.name(), &**name);
        }
    }

    #[test]
    fn local_time_follows_the_zones_rules_through_the_year() {
        let warsaw: Zone = "Europe/Warsaw".parse().unwrap();
        // Winter: UTC+1; summer: UTC+2; the date turns at local midnight.
        assert_eq!(
            warsaw.local(at("2026-12-11T18:30:00Z")),
            local("2026-12-11 19:30")
        );
        assert_eq!(
            warsaw.local(at("2026-07-01T22:15:00Z")),
            local("2026-07-02 00:15")
        );
        assert_eq!(
            Zone::utc().local(at("2026-07-01T22:15:00Z")),
            local("2026-07-01 22:15")
        );
        let kolkata: Zone = "Asia/Kolkata".parse().unwrap();
        assert_eq!(
            kolkata.local(at("2026-01-01T00:00:00Z")),
            local("2026-01-01 05:30")
        );
    }

    #[test]
    fn a_local_time_that_shows_twice_is_its_first_and_one_skipped_is_none() {
        let warsaw: Zone = "Europe/Warsaw".parse().unwrap();
        assert_eq!(
            warsaw.earliest(local("2026-12-11 19:30")),
            Some(at("2026-12-11T18:30:00Z"))
        );
        // 29 March 2026: the clocks go from 02:00 to 03:00.
        assert_eq!(warsaw.earliest(local("2026-03-29 02:30")), None);
        assert_eq!(
            warsaw.earliest(local("2026-03-29 03:00")),
            Some(at("2026-03-29T01:00:00Z"))
        );
        // 25 October 2026: from 03:00 back to 02:00, so 02:30 shows at 00:30 and 01:30 UTC.
        assert_eq!(
            warsaw.earliest(local("2026-10-25 02:30")),
            Some(at("2026-10-25T00:30:00Z"))
        );
        let new_york: Zone = "America/New_York".parse().unwrap();
        assert_eq!(
            new_york.earliest(local("2026-11-01 01:30")),
            Some(at("2026-11-01T05:30:00Z"))
        );
        assert_eq!(new_york.earliest(local("2026-03-08 02:30")), None);
    }
}
