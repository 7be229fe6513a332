//! Historical dates as intervals of days.
//!
//! People type dates at every precision ("1939", "Sept 1939", "17 września 1939", "44 BC"), and the
//! knowledge base records them the same way. Treating every date as an interval of days makes the
//! question "does this event fall on that date?" one overlap test, whatever the precisions involved.
//! Days are counted on the proleptic Gregorian calendar with astronomical years (1 BC is year 0).
//!
//! This file holds the types and the day arithmetic; `parse` reads what people type, `display`
//! writes dates back in each locale, and `month_names` has the months' names.

use std::fmt;

mod display;
mod month_names;
mod parse;

use crate::i18n::Locale;
use display::display_year;
pub use month_names::{EN_MONTHS, PL_MONTHS_GENITIVE, PL_MONTHS_NOMINATIVE};
use parse::parse_iso;
pub use parse::{parse_required_date, parse_user_date, DateQuery};

/// How precisely an end of a date was given.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Precision {
    Year,
    Month,
    Day,
}

/// One calendar point at some precision: a year, a month or a day.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct PartialDate {
    /// Astronomical year: 1939, 0 for 1 BC, -43 for 44 BC.
    pub year: i32,
    pub month: Option<u8>,
    pub day: Option<u8>,
    /// Written in the Julian calendar (`1410-07-15J`, or an entry with `calendar = "julian"`):
    /// its day numbers are converted for ordering and matching, its display is as written.
    pub julian: bool,
}

impl PartialDate {
    pub fn day(year: i32, month: u8, day: u8) -> Self {
        Self {
            year,
            month: Some(month),
            day: Some(day),
            julian: false,
        }
    }

    /// The same components, read in the Julian calendar.
    pub fn in_julian(self) -> Self {
        Self {
            julian: true,
            ..self
        }
    }

    /// The day number (proleptic Gregorian, as [`days_from_civil`]) of a day as written.
    fn day_number(&self, month: u8, day: u8) -> i64 {
        if self.julian {
            days_from_julian(self.year, month, day)
        } else {
            days_from_civil(self.year, month, day)
        }
    }

    fn month_length(&self, month: u8) -> u8 {
        if self.julian {
            julian_days_in_month(self.year, month)
        } else {
            days_in_month(self.year, month)
        }
    }

    pub fn precision(&self) -> Precision {
        match (self.month, self.day) {
            (Some(_), Some(_)) => Precision::Day,
            (Some(_), None) => Precision::Month,
            _ => Precision::Year,
        }
    }

    /// First day covered, as a day number.
    pub fn first_day(&self) -> i64 {
        self.day_number(self.month.unwrap_or(1), self.day.unwrap_or(1))
    }

    /// Last day covered, as a day number.
    pub fn last_day(&self) -> i64 {
        match (self.month, self.day) {
            (Some(m), Some(d)) => self.day_number(m, d),
            (Some(m), None) => self.day_number(m, self.month_length(m)),
            _ => self.day_number(12, 31),
        }
    }

    fn check(&self, raw: &str) -> Result<(), DateError> {
        if let Some(m) = self.month {
            if !(1..=12).contains(&m) {
                return Err(DateError::new(raw, DateProblem::Month(i64::from(m))));
            }
            if let Some(d) = self.day {
                let max = self.month_length(m);
                if d == 0 || d > max {
                    return Err(DateError::new(
                        raw,
                        DateProblem::Day {
                            day: d,
                            month: m,
                            year: self.year,
                            max,
                        },
                    ));
                }
            }
        }
        Ok(())
    }

    /// A compact, sortable key for custom_ids: `19390917`, `193909`, `1939`, `-0043`.
    pub fn compact(&self) -> String {
        let y = if self.year < 0 {
            format!("-{:04}", -self.year)
        } else {
            format!("{:04}", self.year)
        };
        let mark = if self.julian { "J" } else { "" };
        match (self.month, self.day) {
            (Some(m), Some(d)) => format!("{y}{m:02}{d:02}{mark}"),
            (Some(m), None) => format!("{y}{m:02}{mark}"),
            _ => format!("{y}{mark}"),
        }
    }

    pub fn from_compact(s: &str) -> Option<Self> {
        let date = match s.strip_suffix('J') {
            Some(julian) => PartialDate::unchecked_compact(julian)?.in_julian(),
            None => PartialDate::unchecked_compact(s)?,
        };
        date.check(s).ok()?;
        Some(date)
    }

    fn unchecked_compact(s: &str) -> Option<Self> {
        let (neg, digits) = match s.strip_prefix('-') {
            Some(rest) => (true, rest),
            None => (false, s),
        };
        if digits.len() < 4 || !digits.bytes().all(|b| b.is_ascii_digit()) {
            return None;
        }
        let year: i32 = digits[..4].parse().ok()?;
        let year = if neg { -year } else { year };
        let date = match digits.len() {
            4 => PartialDate {
                julian: false,
                year,
                month: None,
                day: None,
            },
            6 => PartialDate {
                julian: false,
                year,
                month: Some(digits[4..6].parse().ok()?),
                day: None,
            },
            8 => PartialDate::day(year, digits[4..6].parse().ok()?, digits[6..8].parse().ok()?),
            _ => return None,
        };
        Some(date)
    }
}

/// A date as people mean it: from the first day of `start` to the last day of `end`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct HistDate {
    pub start: PartialDate,
    pub end: PartialDate,
}

impl HistDate {
    pub fn single(date: PartialDate) -> Self {
        Self {
            start: date,
            end: date,
        }
    }

    pub fn first_day(&self) -> i64 {
        self.start.first_day()
    }

    pub fn last_day(&self) -> i64 {
        self.end.last_day()
    }

    pub fn is_range(&self) -> bool {
        self.start != self.end
    }

    /// Written in the Julian calendar (both ends, or either).
    pub fn is_julian(&self) -> bool {
        self.start.julian || self.end.julian
    }

    /// The same components read in the Julian calendar: what a reader who types a date as the
    /// sources write it means by it, for an event dated in that calendar.
    pub fn in_julian(&self) -> HistDate {
        HistDate {
            start: self.start.in_julian(),
            end: self.end.in_julian(),
        }
    }

    /// True when the two intervals share at least one day.
    pub fn overlaps(&self, other: &HistDate) -> bool {
        self.first_day() <= other.last_day() && other.first_day() <= self.last_day()
    }

    /// True when this date is exactly `other` or lies inside it ("on that day"), as opposed to an
    /// event that merely overlaps it while running longer.
    pub fn within(&self, other: &HistDate) -> bool {
        self.first_day() >= other.first_day() && self.last_day() <= other.last_day()
    }

    pub fn precision(&self) -> Precision {
        self.start.precision().min(self.end.precision())
    }

    /// Days between the two intervals, 0 when they overlap.
    pub fn distance_days(&self, other: &HistDate) -> i64 {
        if self.overlaps(other) {
            0
        } else if self.last_day() < other.first_day() {
            other.first_day() - self.last_day()
        } else {
            self.first_day() - other.last_day()
        }
    }

    /// The knowledge-base form: `1939-09-17`, `1939-09`, `1939`, `-44`, joined by `..` for ranges.
    pub fn parse_canonical(raw: &str) -> Result<HistDate, DateError> {
        HistDate::parse_canonical_in(raw, false)
    }

    /// [`parse_canonical`](Self::parse_canonical) for an entry whose dates are Julian unless said
    /// otherwise (`julian`); a date written with a final `J` (`1400-02-29J`) is Julian anyway.
    pub fn parse_canonical_in(raw: &str, julian: bool) -> Result<HistDate, DateError> {
        let raw = raw.trim();
        let (a, b) = match raw.split_once("..") {
            Some((a, b)) => (a.trim(), Some(b.trim())),
            None => (raw, None),
        };
        let point = |s: &str| -> Result<PartialDate, DateError> {
            let (s, marked) = match s.strip_suffix('J') {
                Some(s) => (s, true),
                None => (s, false),
            };
            let mut date =
                parse_iso(s).ok_or_else(|| DateError::new(raw, DateProblem::Unreadable))?;
            date.julian = julian || marked;
            date.check(raw)?;
            Ok(date)
        };
        let start = point(a)?;
        let end = match b {
            Some(b) => point(b)?,
            None => start,
        };
        let date = HistDate { start, end };
        date.check_order(raw)?;
        Ok(date)
    }

    fn check_order(&self, raw: &str) -> Result<(), DateError> {
        if self.end.last_day() < self.start.first_day() {
            return Err(DateError::new(raw, DateProblem::EndsBeforeStart));
        }
        Ok(())
    }

    /// The custom_id form of the date: `19390917` or `19390917_19391006`.
    pub fn compact(&self) -> String {
        if self.is_range() {
            format!("{}_{}", self.start.compact(), self.end.compact())
        } else {
            self.start.compact()
        }
    }

    pub fn from_compact(s: &str) -> Option<HistDate> {
        let date = match s.split_once('_') {
            Some((a, b)) => HistDate {
                start: PartialDate::from_compact(a)?,
                end: PartialDate::from_compact(b)?,
            },
            None => HistDate::single(PartialDate::from_compact(s)?),
        };
        (date.end.last_day() >= date.start.first_day()).then_some(date)
    }
}

/// Why a date could not be read, worded for the person who typed it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DateError {
    pub input: String,
    pub problem: DateProblem,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum DateProblem {
    Unreadable,
    Month(i64),
    /// A day number no month has (over 31).
    NoSuchDay(i64),
    /// A year beyond 9999 BC .. AD 9999.
    YearOutOfRange(i64),
    Day {
        day: u8,
        month: u8,
        year: i32,
        max: u8,
    },
    EndsBeforeStart,
    YearZero,
}

impl DateError {
    fn new(input: &str, problem: DateProblem) -> Self {
        Self {
            input: input.to_string(),
            problem,
        }
    }

    pub fn message(&self, locale: Locale) -> String {
        self.message_with(locale, &PartialDate::day(1939, 9, 17))
    }

    /// The message, with its examples written from `example` (a day of the knowledge pack in
    /// use, so a pack of another century is not shown 1939).
    pub fn message_with(&self, locale: Locale, example: &PartialDate) -> String {
        let input = &self.input;
        let (year, month) = (example.year, example.month.unwrap_or(1));
        let day = PartialDate::day(year, month, example.day.unwrap_or(1));
        let iso = if year > 0 {
            format!("{year:04}-{month:02}-{:02}", day.day.unwrap_or(1))
        } else {
            day.display(locale)
        };
        let in_month = PartialDate { day: None, ..day };
        let (day, in_month, year) = (
            day.display(locale),
            in_month.display(locale),
            display::display_year(year, locale),
        );
        match (&self.problem, locale) {
            (DateProblem::Unreadable, Locale::En) => format!(
                "`{input}` is not a date I can read. Try `{iso}`, `{day}`, `{in_month}` or `{year}`."
            ),
            (DateProblem::Unreadable, Locale::Pl) => format!(
                "Nie umiem odczytać daty `{input}`. Spróbuj `{iso}`, `{day}`, `{in_month}` albo `{year}`."
            ),
            (DateProblem::Month(m), Locale::En) => {
                format!("`{input}` is not a date: there is no month {m} (months go from 1 to 12).")
            }
            (DateProblem::Month(m), Locale::Pl) => {
                format!("`{input}` to nie data: nie ma miesiąca {m} (miesiące mają numery od 1 do 12).")
            }
            (DateProblem::Day { day, month, year, max }, Locale::En) => format!(
                "`{input}` is not a date: {} {} has {max} days, so there is no day {day}.",
                EN_MONTHS[*month as usize - 1],
                display_year(*year, Locale::En)
            ),
            (DateProblem::Day { day, month, year, max }, Locale::Pl) => format!(
                "`{input}` to nie data: {} {} ma {max} dni, więc nie ma dnia {day}.",
                PL_MONTHS_NOMINATIVE[*month as usize - 1],
                display_year(*year, Locale::Pl)
            ),
            (DateProblem::NoSuchDay(d), Locale::En) => {
                format!("`{input}` is not a date: no month has a day {d} (days go from 1 to 31).")
            }
            (DateProblem::NoSuchDay(d), Locale::Pl) => {
                format!("`{input}` to nie data: żaden miesiąc nie ma dnia {d} (dni mają numery od 1 do 31).")
            }
            (DateProblem::YearOutOfRange(y), Locale::En) => {
                format!("`{input}`: the year {y} is out of my range; I read years from 9999 BC to AD 9999.")
            }
            (DateProblem::YearOutOfRange(y), Locale::Pl) => {
                format!("`{input}`: rok {y} jest poza moim zakresem; czytam lata od 9999 p.n.e. do 9999 n.e.")
            }
            (DateProblem::EndsBeforeStart, Locale::En) => {
                format!("`{input}` ends before it starts: put the earlier date first.")
            }
            (DateProblem::EndsBeforeStart, Locale::Pl) => {
                format!("Zakres `{input}` kończy się przed początkiem: podaj najpierw wcześniejszą datę.")
            }
            (DateProblem::YearZero, Locale::En) => {
                format!("`{input}` is not a date: there is no year 0 (1 BC is followed by AD 1).")
            }
            (DateProblem::YearZero, Locale::Pl) => {
                format!("`{input}` to nie data: nie ma roku 0 (po 1 p.n.e. następuje 1 n.e.).")
            }
        }
    }
}

impl fmt::Display for DateError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message(Locale::En))
    }
}

impl std::error::Error for DateError {}

pub fn is_leap(year: i32) -> bool {
    (year % 4 == 0 && year % 100 != 0) || year % 400 == 0
}

pub fn days_in_month(year: i32, month: u8) -> u8 {
    match month {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        2 if is_leap(year) => 29,
        2 => 28,
        _ => 0,
    }
}

/// A 29 February that only the Julian calendar had (1400, 1300, ... before the Gregorian reform
/// of 1582) is that Julian day, not an error: sources of the time write it.
fn or_julian_leap_day(
    input: &str,
    parsed: Result<Option<DateQuery>, DateError>,
) -> Result<Option<DateQuery>, DateError> {
    match &parsed {
        Err(DateError {
            problem:
                DateProblem::Day {
                    day: 29,
                    month: 2,
                    year,
                    ..
                },
            ..
        }) if *year < 1583 && is_julian_leap(*year) && !input.contains("..") => {
            let day = PartialDate::day(*year, 2, 29).in_julian();
            Ok(Some(DateQuery::Date(HistDate::single(day))))
        }
        _ => parsed,
    }
}

/// Julian leap years: every fourth (astronomical year numbering: 1 BC is year 0, a leap year).
pub fn is_julian_leap(year: i32) -> bool {
    year.rem_euclid(4) == 0
}

pub fn julian_days_in_month(year: i32, month: u8) -> u8 {
    match month {
        2 if is_julian_leap(year) => 29,
        2 => 28,
        m => days_in_month(2001, m),
    }
}

/// Days since 1970-01-01 (proleptic Gregorian) of a day written in the Julian calendar: the same
/// components as a Gregorian day, moved by the days the calendars differ by then (the Julian Day
/// Number formulas of both calendars, which differ by `y/100 - y/400 - 38` for the shifted year).
pub fn days_from_julian(year: i32, month: u8, day: u8) -> i64 {
    let a = i64::from(month <= 2);
    let y = i64::from(year) + 4800 - a;
    days_from_civil(year, month, day) + y.div_euclid(100) - y.div_euclid(400) - 38
}

/// Days since 1970-01-01 on the proleptic Gregorian calendar (Howard Hinnant's algorithm).
pub fn days_from_civil(year: i32, month: u8, day: u8) -> i64 {
    let y = i64::from(year) - i64::from(month <= 2);
    let era = if y >= 0 { y } else { y - 399 } / 400;
    let yoe = y - era * 400;
    let m = i64::from(month);
    let doy = (153 * (if m > 2 { m - 3 } else { m + 9 }) + 2) / 5 + i64::from(day) - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

/// The inverse of [`days_from_civil`].
pub fn civil_from_days(days: i64) -> (i32, u8, u8) {
    let z = days + 719_468;
    let era = if z >= 0 { z } else { z - 146_096 } / 146_097;
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = (doy - (153 * mp + 2) / 5 + 1) as u8;
    let m = if mp < 10 { mp + 3 } else { mp - 9 } as u8;
    let y = (yoe + era * 400 + i64::from(m <= 2)) as i32;
    (y, m, d)
}

/// The UTC day of a Unix time in milliseconds (the clock is the caller's: see `crate::clock`).
pub fn utc_day(unix_ms: u64) -> PartialDate {
    let days = (unix_ms / 1_000) as i64;
    let (y, m, d) = civil_from_days(days.div_euclid(86_400));
    PartialDate::day(y, m, d)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn julian_days_meet_the_gregorian_reform_and_have_their_own_leap_years() {
        // The day after Julian 4 October 1582 was Gregorian 15 October 1582.
        assert_eq!(
            days_from_julian(1582, 10, 4) + 1,
            days_from_civil(1582, 10, 15)
        );
        assert_eq!(days_from_julian(1410, 7, 15), days_from_civil(1410, 7, 24));
        assert!(is_julian_leap(1400) && !is_leap(1400));
        assert_eq!(julian_days_in_month(1400, 2), 29);
        let leap = HistDate::parse_canonical("1400-02-29J").unwrap();
        assert!(leap.is_julian());
        assert_eq!(leap.first_day(), days_from_civil(1400, 3, 9));
        assert!(HistDate::parse_canonical("1400-02-29").is_err());
        assert_eq!(leap.display(Locale::En), "29 February 1400 (Julian)");
    }

    #[test]
    fn the_utc_day_of_a_unix_time_is_the_calendar_day() {
        assert_eq!(utc_day(0), PartialDate::day(1970, 1, 1));
        assert_eq!(utc_day(1_700_000_000_000), PartialDate::day(2023, 11, 14));
        assert_eq!(utc_day(951_782_400_000), PartialDate::day(2000, 2, 29));
    }

    #[test]
    fn civil_round_trip() {
        for days in [-800_000i64, -1, 0, 1, 25_000, -11_000] {
            let (y, m, d) = civil_from_days(days);
            assert_eq!(days_from_civil(y, m, d), days);
        }
        assert_eq!(days_from_civil(1970, 1, 1), 0);
    }
}
