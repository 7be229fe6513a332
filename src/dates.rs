//! Historical dates as intervals of days.
//!
//! People type dates at every precision ("1939", "Sept 1939", "17 września 1939", "44 BC"), and the
//! knowledge base records them the same way. Treating every date as an interval of days makes the
//! question "does this event fall on that date?" one overlap test, whatever the precisions involved.
//! Days are counted on the proleptic Gregorian calendar with astronomical years (1 BC is year 0).

use std::fmt;

use crate::i18n::Locale;

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
}

impl PartialDate {
    pub fn day(year: i32, month: u8, day: u8) -> Self {
        Self {
            year,
            month: Some(month),
            day: Some(day),
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
        days_from_civil(self.year, self.month.unwrap_or(1), self.day.unwrap_or(1))
    }

    /// Last day covered, as a day number.
    pub fn last_day(&self) -> i64 {
        match (self.month, self.day) {
            (Some(m), Some(d)) => days_from_civil(self.year, m, d),
            (Some(m), None) => days_from_civil(self.year, m, days_in_month(self.year, m)),
            _ => days_from_civil(self.year, 12, 31),
        }
    }

    fn check(&self, raw: &str) -> Result<(), DateError> {
        if let Some(m) = self.month {
            if !(1..=12).contains(&m) {
                return Err(DateError::new(raw, DateProblem::Month(m)));
            }
            if let Some(d) = self.day {
                let max = days_in_month(self.year, m);
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
        match (self.month, self.day) {
            (Some(m), Some(d)) => format!("{y}{m:02}{d:02}"),
            (Some(m), None) => format!("{y}{m:02}"),
            _ => y,
        }
    }

    pub fn from_compact(s: &str) -> Option<Self> {
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
                year,
                month: None,
                day: None,
            },
            6 => PartialDate {
                year,
                month: Some(digits[4..6].parse().ok()?),
                day: None,
            },
            8 => PartialDate::day(year, digits[4..6].parse().ok()?, digits[6..8].parse().ok()?),
            _ => return None,
        };
        date.check(s).ok()?;
        Some(date)
    }

    pub fn display(&self, locale: Locale) -> String {
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

fn display_year(year: i32, locale: Locale) -> String {
    if year > 0 {
        year.to_string()
    } else {
        match locale {
            Locale::Pl => format!("{} p.n.e.", 1 - year),
            Locale::En => format!("{} BC", 1 - year),
        }
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
        let raw = raw.trim();
        let (a, b) = match raw.split_once("..") {
            Some((a, b)) => (a.trim(), Some(b.trim())),
            None => (raw, None),
        };
        let start = parse_iso(a).ok_or_else(|| DateError::new(raw, DateProblem::Unreadable))?;
        start.check(raw)?;
        let end = match b {
            Some(b) => {
                let end =
                    parse_iso(b).ok_or_else(|| DateError::new(raw, DateProblem::Unreadable))?;
                end.check(raw)?;
                end
            }
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

    pub fn display(&self, locale: Locale) -> String {
        if !self.is_range() {
            return self.start.display(locale);
        }
        let (s, e) = (self.start, self.end);
        // "17–20 September 1939" reads better than "17 September 1939 – 20 September 1939".
        if s.precision() == Precision::Day && e.precision() == Precision::Day && s.year == e.year {
            if s.month == e.month {
                let tail = e.display(locale);
                return format!("{}–{}", s.day.unwrap_or(1), tail);
            }
            let head = s.display(locale);
            let head = head
                .trim_end_matches(&format!(" {}", display_year(s.year, locale)))
                .to_string();
            return format!("{head} – {}", e.display(locale));
        }
        format!("{} – {}", s.display(locale), e.display(locale))
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

impl fmt::Display for HistDate {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.display(Locale::En))
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
    Month(u8),
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
        let input = &self.input;
        match (&self.problem, locale) {
            (DateProblem::Unreadable, Locale::En) => format!(
                "`{input}` is not a date I can read. Try `1939-09-17`, `17 September 1939`, `Sept 1939` or `1939`."
            ),
            (DateProblem::Unreadable, Locale::Pl) => format!(
                "Nie umiem odczytać daty `{input}`. Spróbuj `1939-09-17`, `17 września 1939`, `wrzesień 1939` albo `1939`."
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

pub const EN_MONTHS: [&str; 12] = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
];
pub const PL_MONTHS_NOMINATIVE: [&str; 12] = [
    "styczeń",
    "luty",
    "marzec",
    "kwiecień",
    "maj",
    "czerwiec",
    "lipiec",
    "sierpień",
    "wrzesień",
    "październik",
    "listopad",
    "grudzień",
];
pub const PL_MONTHS_GENITIVE: [&str; 12] = [
    "stycznia",
    "lutego",
    "marca",
    "kwietnia",
    "maja",
    "czerwca",
    "lipca",
    "sierpnia",
    "września",
    "października",
    "listopada",
    "grudnia",
];

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

/// Today's date in UTC, from the system clock.
pub fn today_utc() -> PartialDate {
    let secs = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_secs() as i64)
        .unwrap_or(0);
    let (y, m, d) = civil_from_days(secs.div_euclid(86_400));
    PartialDate::day(y, m, d)
}

fn parse_iso(s: &str) -> Option<PartialDate> {
    let (neg, body) = match s.strip_prefix('-') {
        Some(rest) => (true, rest),
        None => (false, s),
    };
    let mut parts = body.split('-');
    let y = parts.next()?;
    if y.is_empty() || y.len() > 5 || !y.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let year: i32 = y.parse().ok()?;
    // In the knowledge base `-44` means 44 BC; astronomically that is year -43.
    let year = if neg {
        if year == 0 {
            return None;
        }
        1 - year
    } else {
        year
    };
    let month = match parts.next() {
        Some(m) if m.len() == 2 && m.bytes().all(|b| b.is_ascii_digit()) => Some(m.parse().ok()?),
        Some(_) => return None,
        None => None,
    };
    let day = match parts.next() {
        Some(d) if d.len() == 2 && d.bytes().all(|b| b.is_ascii_digit()) => Some(d.parse().ok()?),
        Some(_) => return None,
        None => None,
    };
    if parts.next().is_some() {
        return None;
    }
    Some(PartialDate { year, month, day })
}

/// What a user's date input means: a date (possibly a range), or a day of the year with no year
/// ("17 September", for anniversaries).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DateQuery {
    Date(HistDate),
    DayOfYear { month: u8, day: u8 },
}

/// Parse what a person typed. `Ok(None)` means the text does not look like a date at all (so the
/// caller may treat it as a name); `Err` means it looks like a date but is not a valid one.
pub fn parse_user_date(input: &str) -> Result<Option<DateQuery>, DateError> {
    let raw = input.trim();
    let norm = normalize_date_text(raw);
    if norm.is_empty() {
        return Ok(None);
    }
    let tokens = tokenize(&norm);
    if tokens.is_empty() || !looks_like_date(&tokens) {
        return Ok(None);
    }
    match parse_tokens(&tokens, raw)? {
        Some(q) => Ok(Some(q)),
        None => {
            // Digits with a month word or separators that still did not parse: a date typed wrong.
            if tokens.iter().any(|t| matches!(t, Tok::Num(..)))
                && tokens.iter().all(|t| !matches!(t, Tok::Word(_)))
            {
                Err(DateError::new(raw, DateProblem::Unreadable))
            } else {
                Ok(None)
            }
        }
    }
}

/// Parse a date that must be a date (the `from`/`to` options of `/timeline`).
pub fn parse_required_date(input: &str) -> Result<HistDate, DateError> {
    match parse_user_date(input)? {
        Some(DateQuery::Date(d)) => Ok(d),
        _ => Err(DateError::new(input.trim(), DateProblem::Unreadable)),
    }
}

fn normalize_date_text(raw: &str) -> String {
    let lower = raw.to_lowercase();
    let mut out = String::with_capacity(lower.len());
    for c in lower.chars() {
        match c {
            '–' | '—' | '‒' | '−' => out.push('-'),
            _ => out.push(c),
        }
    }
    deunicode::deunicode(&out)
}

#[derive(Debug, Clone, PartialEq)]
enum Tok {
    /// A number with its digit count (to tell `09` from `9` and years from days).
    Num(i64, usize),
    Month(u8),
    Era(bool), // true = BC
    /// Separators: `-`, `/`, `.`, `..`, `to`, `do`, `,`
    Sep(&'static str),
    Word(String),
}

fn tokenize(s: &str) -> Vec<Tok> {
    let mut toks = Vec::new();
    let chars: Vec<char> = s.chars().collect();
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        if c.is_ascii_digit() {
            let start = i;
            while i < chars.len() && chars[i].is_ascii_digit() {
                i += 1;
            }
            let digits: String = chars[start..i].iter().collect();
            // Ordinal suffixes: 17th, 1st, 2nd, 3rd.
            let rest: String = chars[i..].iter().take(2).collect();
            if ["th", "st", "nd", "rd"].contains(&rest.as_str())
                && chars.get(i + 2).is_none_or(|c| !c.is_alphabetic())
            {
                i += 2;
            }
            match digits.parse::<i64>() {
                Ok(n) if digits.len() <= 6 => toks.push(Tok::Num(n, digits.len())),
                _ => toks.push(Tok::Word(digits)),
            }
        } else if c.is_alphabetic() {
            let start = i;
            while i < chars.len()
                && (chars[i].is_alphabetic() || (chars[i] == '.' && is_era_dot(&chars, start, i)))
            {
                i += 1;
            }
            let word: String = chars[start..i].iter().collect();
            let word = word.trim_end_matches('.').to_string();
            toks.push(classify_word(&word));
            // A period after an abbreviation ("Sept.", "r.") is not a separator.
            if i < chars.len() && chars[i] == '.' && !matches!(chars.get(i + 1), Some('.')) {
                i += 1;
            }
        } else if c == '.' && chars.get(i + 1) == Some(&'.') {
            toks.push(Tok::Sep(".."));
            i += 2;
        } else {
            match c {
                '-' => toks.push(Tok::Sep("-")),
                '/' => toks.push(Tok::Sep("/")),
                '.' => toks.push(Tok::Sep(".")),
                ',' => toks.push(Tok::Sep(",")),
                c if c.is_whitespace() => {}
                _ => toks.push(Tok::Word(c.to_string())),
            }
            i += 1;
        }
    }
    // Drop filler words that carry no date meaning.
    toks.into_iter()
        .filter(|t| !matches!(t, Tok::Word(w) if ["of", "the", "w", "we", "r", "roku", "rok", "in", "on", "dnia", "ad", "ne"].contains(&w.as_str())))
        .map(|t| match t {
            Tok::Word(w) if w == "to" || w == "do" || w == "until" || w == "till" => Tok::Sep("to"),
            Tok::Word(w) if w == "and" => Tok::Sep("to"),
            t => t,
        })
        .collect()
}

/// Lets "p.n.e." and "n.e." stay one word.
fn is_era_dot(chars: &[char], start: usize, i: usize) -> bool {
    let so_far: String = chars[start..i].iter().collect();
    matches!(
        so_far.as_str(),
        "p" | "p.n" | "n" | "b.c" | "b" | "a" | "a.d" | "p.n.e" | "n.e"
    ) && chars.get(i + 1).is_some_and(|c| c.is_alphabetic())
}

fn classify_word(w: &str) -> Tok {
    let compact: String = w.chars().filter(|c| *c != '.').collect();
    match compact.as_str() {
        "bc" | "bce" | "pne" => return Tok::Era(true),
        "ce" => return Tok::Era(false),
        _ => {}
    }
    if let Some(m) = month_from_word(&compact) {
        return Tok::Month(m);
    }
    if let Some(m) = roman_month(&compact) {
        return Tok::Month(m);
    }
    Tok::Word(compact)
}

fn month_from_word(w: &str) -> Option<u8> {
    const FORMS: [&[&str]; 12] = [
        &["january", "jan", "styczen", "stycznia", "styczniu", "sty"],
        &["february", "feb", "luty", "lutego", "lutym", "lut"],
        &["march", "mar", "marzec", "marca", "marcu"],
        &["april", "apr", "kwiecien", "kwietnia", "kwietniu", "kwi"],
        &["may", "maj", "maja", "maju"],
        &["june", "jun", "czerwiec", "czerwca", "czerwcu", "cze"],
        &["july", "jul", "lipiec", "lipca", "lipcu", "lip"],
        &["august", "aug", "sierpien", "sierpnia", "sierpniu", "sie"],
        &[
            "september",
            "sep",
            "sept",
            "wrzesien",
            "wrzesnia",
            "wrzesniu",
            "wrz",
        ],
        &[
            "october",
            "oct",
            "pazdziernik",
            "pazdziernika",
            "pazdzierniku",
            "paz",
        ],
        &[
            "november",
            "nov",
            "listopad",
            "listopada",
            "listopadzie",
            "lis",
        ],
        &["december", "dec", "grudzien", "grudnia", "grudniu", "gru"],
    ];
    FORMS
        .iter()
        .position(|forms| forms.contains(&w))
        .map(|i| i as u8 + 1)
}

fn roman_month(w: &str) -> Option<u8> {
    const ROMAN: [&str; 12] = [
        "i", "ii", "iii", "iv", "v", "vi", "vii", "viii", "ix", "x", "xi", "xii",
    ];
    ROMAN.iter().position(|r| *r == w).map(|i| i as u8 + 1)
}

fn looks_like_date(tokens: &[Tok]) -> bool {
    let has_num = tokens.iter().any(|t| matches!(t, Tok::Num(..)));
    let unknown_words = tokens.iter().filter(|t| matches!(t, Tok::Word(_))).count();
    has_num && unknown_words == 0
}

/// Split a token list into the two ends of a range, if it is one.
fn parse_tokens(tokens: &[Tok], raw: &str) -> Result<Option<DateQuery>, DateError> {
    // Explicit range separators: "..", "to", or a dash between two complete dates.
    if let Some(pos) = tokens
        .iter()
        .position(|t| matches!(t, Tok::Sep("..") | Tok::Sep("to")))
    {
        return parse_range(&tokens[..pos], &tokens[pos + 1..], raw);
    }
    // "17-20 September 1939": a day range sharing month and year.
    if let [Tok::Num(d1, l1), Tok::Sep("-"), Tok::Num(d2, l2), rest @ ..] = tokens {
        if *l1 <= 2 && *l2 <= 2 && matches!(rest.first(), Some(Tok::Month(_))) {
            let mut end_toks = vec![Tok::Num(*d2, *l2)];
            end_toks.extend_from_slice(rest);
            let end = parse_point(&end_toks, raw)?
                .ok_or_else(|| DateError::new(raw, DateProblem::Unreadable))?;
            let start = PartialDate {
                day: Some(*d1 as u8),
                ..end
            };
            if *d1 > 31 {
                return Err(DateError::new(raw, DateProblem::Unreadable));
            }
            start.check(raw)?;
            return finish_range(start, end, raw).map(Some);
        }
    }
    // "September 17-20, 1939"
    if let [Tok::Month(m), Tok::Num(d1, l1), Tok::Sep("-"), Tok::Num(d2, l2), rest @ ..] = tokens {
        if *l1 <= 2 && *l2 <= 2 {
            let mut end_toks = vec![Tok::Month(*m), Tok::Num(*d2, *l2)];
            end_toks.extend_from_slice(rest);
            let end = parse_point(&end_toks, raw)?
                .ok_or_else(|| DateError::new(raw, DateProblem::Unreadable))?;
            let start = PartialDate {
                day: Some(*d1 as u8),
                ..end
            };
            start.check(raw)?;
            return finish_range(start, end, raw).map(Some);
        }
    }
    // "1939-1945", "September 1939 - October 1939", "1939-09-17 - 1939-10-06": a dash between two
    // things that each parse as a whole date.
    for (i, t) in tokens.iter().enumerate() {
        if matches!(t, Tok::Sep("-")) && i > 0 {
            let (a, b) = (&tokens[..i], &tokens[i + 1..]);
            if let (Ok(Some(_)), Ok(Some(_))) = (parse_point(a, raw), parse_point(b, raw)) {
                if is_complete_point(a) && is_complete_point(b) {
                    return parse_range(a, b, raw);
                }
            }
        }
    }
    if let Some(p) = parse_point(tokens, raw)? {
        return Ok(Some(DateQuery::Date(HistDate::single(p))));
    }
    if let Some((month, day)) = parse_day_of_year(tokens) {
        let probe = PartialDate::day(2000, month, day); // a leap year: 29 February is a real anniversary
        probe.check(raw)?;
        return Ok(Some(DateQuery::DayOfYear { month, day }));
    }
    Ok(None)
}

/// A point that stands on its own as a date (has a year), not just "17".
fn is_complete_point(tokens: &[Tok]) -> bool {
    tokens
        .iter()
        .any(|t| matches!(t, Tok::Num(_, l) if *l >= 3))
        || tokens.iter().any(|t| matches!(t, Tok::Era(_)))
}

fn parse_range(a: &[Tok], b: &[Tok], raw: &str) -> Result<Option<DateQuery>, DateError> {
    let end = match parse_point(b, raw)? {
        Some(e) => e,
        None => return Err(DateError::new(raw, DateProblem::Unreadable)),
    };
    let start = match parse_point(a, raw)? {
        Some(s) => s,
        None => {
            // "17 to 20 September 1939", "September to October 1939": the start borrows what it lacks.
            match a {
                [Tok::Num(d, l)] if *l <= 2 => {
                    let s = PartialDate {
                        day: Some(*d as u8),
                        ..end
                    };
                    s.check(raw)?;
                    s
                }
                [Tok::Month(m)] => PartialDate {
                    year: end.year,
                    month: Some(*m),
                    day: None,
                },
                [Tok::Num(d, l), Tok::Month(m)] | [Tok::Month(m), Tok::Num(d, l)] if *l <= 2 => {
                    let s = PartialDate::day(end.year, *m, *d as u8);
                    s.check(raw)?;
                    s
                }
                _ => return Err(DateError::new(raw, DateProblem::Unreadable)),
            }
        }
    };
    finish_range(start, end, raw).map(Some)
}

fn finish_range(start: PartialDate, end: PartialDate, raw: &str) -> Result<DateQuery, DateError> {
    let date = HistDate { start, end };
    date.check_order(raw)?;
    Ok(DateQuery::Date(date))
}

fn year_from(n: i64, era: Option<bool>, raw: &str) -> Result<i32, DateError> {
    if n == 0 && era.is_some() {
        return Err(DateError::new(raw, DateProblem::YearZero));
    }
    Ok(match era {
        Some(true) => 1 - n as i32,
        _ => n as i32,
    })
}

/// One calendar point: every form of the issue's list that has a year.
fn parse_point(tokens: &[Tok], raw: &str) -> Result<Option<PartialDate>, DateError> {
    // A trailing or leading era marker applies to the year.
    let (tokens, era) = match tokens {
        [rest @ .., Tok::Era(bc)] => (rest, Some(*bc)),
        [Tok::Era(bc), rest @ ..] => (rest, Some(*bc)),
        _ => (tokens, None),
    };
    let tokens: Vec<&Tok> = tokens
        .iter()
        .filter(|t| !matches!(t, Tok::Sep(",")))
        .collect();
    let date = match tokens.as_slice() {
        // 1939, 44 BC
        [Tok::Num(y, l)] if *l >= 3 || era.is_some() => PartialDate {
            year: year_from(*y, era, raw)?,
            month: None,
            day: None,
        },
        // 1939-09-17, 1939/09/17
        [Tok::Num(y, 4), Tok::Sep(s1), Tok::Num(m, _), Tok::Sep(s2), Tok::Num(d, _)]
            if s1 == s2 && (*s1 == "-" || *s1 == "/" || *s1 == ".") =>
        {
            PartialDate {
                year: year_from(*y, era, raw)?,
                month: Some(*m as u8),
                day: Some(*d as u8),
            }
        }
        // 1939-09
        [Tok::Num(y, 4), Tok::Sep("-" | "/"), Tok::Num(m, l)] if *l <= 2 => PartialDate {
            year: year_from(*y, era, raw)?,
            month: Some(*m as u8),
            day: None,
        },
        // 17.09.1939, 17/09/1939, 17-09-1939 (day first)
        [Tok::Num(d, ld), Tok::Sep(s1), Tok::Num(m, lm), Tok::Sep(s2), Tok::Num(y, ly)]
            if s1 == s2 && *ld <= 2 && *lm <= 2 && *ly >= 3 =>
        {
            PartialDate {
                year: year_from(*y, era, raw)?,
                month: Some(*m as u8),
                day: Some(*d as u8),
            }
        }
        // 09.1939, 09/1939
        [Tok::Num(m, lm), Tok::Sep("." | "/" | "-"), Tok::Num(y, ly)] if *lm <= 2 && *ly >= 3 => {
            PartialDate {
                year: year_from(*y, era, raw)?,
                month: Some(*m as u8),
                day: None,
            }
        }
        // 17 September 1939, 17 IX 1939, 17 września 1939
        [Tok::Num(d, ld), Tok::Month(m), Tok::Num(y, _)] if *ld <= 2 => PartialDate {
            year: year_from(*y, era, raw)?,
            month: Some(*m),
            day: Some(*d as u8),
        },
        [Tok::Num(d, ld), Tok::Sep("." | "-" | "/"), Tok::Month(m), Tok::Sep("." | "-" | "/"), Tok::Num(y, _)]
        | [Tok::Num(d, ld), Tok::Sep("." | "-" | "/"), Tok::Month(m), Tok::Num(y, _)]
            if *ld <= 2 =>
        {
            PartialDate {
                year: year_from(*y, era, raw)?,
                month: Some(*m),
                day: Some(*d as u8),
            }
        }
        // September 17, 1939 / September 17 1939
        [Tok::Month(m), Tok::Num(d, ld), Tok::Num(y, ly)] if *ld <= 2 && *ly >= 3 => PartialDate {
            year: year_from(*y, era, raw)?,
            month: Some(*m),
            day: Some(*d as u8),
        },
        // Sept 1939, wrzesień 1939, we wrześniu 1939, IX 1939
        [Tok::Month(m), Tok::Num(y, ly)] if *ly >= 3 || era.is_some() => PartialDate {
            year: year_from(*y, era, raw)?,
            month: Some(*m),
            day: None,
        },
        _ => return Ok(None),
    };
    date.check(raw)?;
    Ok(Some(date))
}

fn parse_day_of_year(tokens: &[Tok]) -> Option<(u8, u8)> {
    let tokens: Vec<&Tok> = tokens
        .iter()
        .filter(|t| !matches!(t, Tok::Sep(",")))
        .collect();
    match tokens.as_slice() {
        [Tok::Num(d, l), Tok::Month(m)] | [Tok::Month(m), Tok::Num(d, l)] if *l <= 2 => {
            Some((*m, *d as u8))
        }
        [Tok::Num(d, ld), Tok::Sep("." | "/"), Tok::Num(m, lm)]
            if *ld <= 2 && *lm <= 2 && *m >= 1 =>
        {
            Some((*m as u8, *d as u8))
        }
        [Tok::Num(d, ld), Tok::Sep("." | "/"), Tok::Num(m, lm), Tok::Sep(".")]
            if *ld <= 2 && *lm <= 2 =>
        {
            Some((*m as u8, *d as u8))
        }
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn civil_round_trip() {
        for days in [-800_000i64, -1, 0, 1, 25_000, -11_000] {
            let (y, m, d) = civil_from_days(days);
            assert_eq!(days_from_civil(y, m, d), days);
        }
        assert_eq!(days_from_civil(1970, 1, 1), 0);
    }
}
