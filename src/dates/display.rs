//! Dates as people read them, in each locale: "17–20 September 1939", "wrzesień 1939", "44 BC".

use std::fmt;

use super::month_names::{EN_MONTHS, PL_MONTHS_GENITIVE, PL_MONTHS_NOMINATIVE};
use super::{HistDate, PartialDate, Precision};
use crate::i18n::Locale;

/// What follows a date written in the Julian calendar.
pub fn julian_mark(locale: Locale) -> &'static str {
    match locale {
        Locale::En => " (Julian)",
        Locale::Pl => " (kalendarz juliański)",
    }
}

impl PartialDate {
    /// The date as written, with a mark when it is Julian.
    pub fn display(&self, locale: Locale) -> String {
        let plain = self.display_plain(locale);
        if self.julian {
            format!("{plain}{}", julian_mark(locale))
        } else {
            plain
        }
    }

    fn display_plain(&self, locale: Locale) -> String {
        let year = display_year(self.year, locale);
        match (self.month, self.day) {
            (Some(m), Some(d)) => match locale {
                Locale::Pl => format!("{d} {} {year}", PL_MONTHS_GENITIVE[m as usize - 1]),
                Locale::En => format!("{d} {} {year}", EN_MONTHS[m as usize - 1]),
            },
            (Some(m), None) => match locale {
                Locale::Pl => format!("{} {year}", PL_MONTHS_NOMINATIVE[m as usize - 1]),
                Locale::En => format!("{} {year}", EN_MONTHS[m as usize - 1]),
            },
            _ => year,
        }
    }
}

pub(super) fn display_year(year: i32, locale: Locale) -> String {
    if year > 0 {
        year.to_string()
    } else {
        match locale {
            Locale::Pl => format!("{} p.n.e.", 1 - year),
            Locale::En => format!("{} BC", 1 - year),
        }
    }
}

impl HistDate {
    pub fn display(&self, locale: Locale) -> String {
        if !self.is_range() {
            return self.start.display(locale);
        }
        let (s, e) = (self.start, self.end);
        // One mark for the whole range, at its end, when both ends are Julian.
        let mark = if s.julian && e.julian {
            julian_mark(locale)
        } else {
            ""
        };
        let show = |d: PartialDate| {
            if mark.is_empty() {
                d.display(locale)
            } else {
                d.display_plain(locale)
            }
        };
        // "17–20 September 1939" reads better than "17 September 1939 – 20 September 1939".
        if s.precision() == Precision::Day
            && e.precision() == Precision::Day
            && s.year == e.year
            && s.julian == e.julian
        {
            if s.month == e.month {
                let tail = show(e);
                return format!("{}–{tail}{mark}", s.day.unwrap_or(1));
            }
            let head = show(s);
            let head = head
                .trim_end_matches(&format!(" {}", display_year(s.year, locale)))
                .to_string();
            return format!("{head} – {}{mark}", show(e));
        }
        format!("{} – {}{mark}", show(s), show(e))
    }
}

impl fmt::Display for HistDate {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.display(Locale::En))
    }
}
