//! The parser for dates as people type them: ISO forms, day-month-year in either language, Roman
//! months, eras, ranges, and days of the year with no year.

use super::{DateError, DateProblem, HistDate, PartialDate};

pub(super) fn parse_iso(s: &str) -> Option<PartialDate> {
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
    Some(PartialDate {
        julian: false,
        year,
        month,
        day,
    })
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
    super::or_julian_leap_day(input, parse_gregorian(input))
}

/// [`parse_user_date`] in the Gregorian calendar only.
fn parse_gregorian(input: &str) -> Result<Option<DateQuery>, DateError> {
    let raw = input.trim();
    let norm = normalize_date_text(raw);
    if norm.is_empty() {
        return Ok(None);
    }
    if let Some(period) = named_period(&norm, raw) {
        return period.map(|d| Some(DateQuery::Date(d)));
    }
    // "-44" typed alone: the year 44 BC, as the knowledge base writes it.
    if let Some(digits) = norm.strip_prefix('-') {
        if !digits.is_empty() && digits.len() <= 6 && digits.bytes().all(|b| b.is_ascii_digit()) {
            let n: i64 = digits.parse().unwrap_or(0);
            let year = year_from(n, Some(true), raw)?;
            let p = PartialDate {
                julian: false,
                year,
                month: None,
                day: None,
            };
            return Ok(Some(DateQuery::Date(HistDate::single(p))));
        }
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
                // "99 to 1939": with no month at the end, the start is a year too.
                [Tok::Num(y, l)] if *l <= 2 && end.month.is_none() => PartialDate {
                    julian: false,
                    year: year_from(*y, None, raw)?,
                    month: None,
                    day: None,
                },
                [Tok::Num(d, l)] if *l <= 2 => {
                    let s = PartialDate {
                        day: Some(day_of(*d, raw)?),
                        ..end
                    };
                    s.check(raw)?;
                    s
                }
                [Tok::Month(m)] => PartialDate {
                    julian: false,
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

/// A month number, range-checked while still wide (`1939-257-01` is no month, not January).
fn month_of(n: i64, raw: &str) -> Result<u8, DateError> {
    if (1..=12).contains(&n) {
        Ok(n as u8)
    } else {
        Err(DateError::new(raw, DateProblem::Month(n)))
    }
}

/// A day number, range-checked while still wide; the month's own length is checked later.
fn day_of(n: i64, raw: &str) -> Result<u8, DateError> {
    if n <= 31 {
        Ok(n as u8)
    } else {
        Err(DateError::new(raw, DateProblem::NoSuchDay(n)))
    }
}

/// The widest years Clio reads: 9999 BC to AD 9999.
pub(super) const MAX_YEAR: i64 = 9999;

fn year_from(n: i64, era: Option<bool>, raw: &str) -> Result<i32, DateError> {
    if n == 0 && era.is_some() {
        return Err(DateError::new(raw, DateProblem::YearZero));
    }
    if n > MAX_YEAR {
        let shown = if era == Some(true) { -n } else { n };
        return Err(DateError::new(raw, DateProblem::YearOutOfRange(shown)));
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
            julian: false,
            year: year_from(*y, era, raw)?,
            month: None,
            day: None,
        },
        // 1939-09-17, 1939/09/17
        [Tok::Num(y, 4), Tok::Sep(s1), Tok::Num(m, _), Tok::Sep(s2), Tok::Num(d, _)]
            if s1 == s2 && (*s1 == "-" || *s1 == "/" || *s1 == ".") =>
        {
            PartialDate {
                julian: false,
                year: year_from(*y, era, raw)?,
                month: Some(month_of(*m, raw)?),
                day: Some(day_of(*d, raw)?),
            }
        }
        // 1939-09
        [Tok::Num(y, 4), Tok::Sep("-" | "/"), Tok::Num(m, l)] if *l <= 2 => PartialDate {
            julian: false,
            year: year_from(*y, era, raw)?,
            month: Some(month_of(*m, raw)?),
            day: None,
        },
        // 09/28/1939: month first, US style, when the second number cannot be a month
        [Tok::Num(m, lm), Tok::Sep("/"), Tok::Num(d, ld), Tok::Sep("/"), Tok::Num(y, ly)]
            if *ld <= 2 && *lm <= 2 && *ly >= 3 && *d > 12 && (1..=12).contains(m) =>
        {
            PartialDate {
                julian: false,
                year: year_from(*y, era, raw)?,
                month: Some(month_of(*m, raw)?),
                day: Some(day_of(*d, raw)?),
            }
        }
        // 17.09.1939, 17/09/1939, 17-09-1939 (day first)
        [Tok::Num(d, ld), Tok::Sep(s1), Tok::Num(m, lm), Tok::Sep(s2), Tok::Num(y, ly)]
            if s1 == s2 && *ld <= 2 && *lm <= 2 && *ly >= 3 =>
        {
            PartialDate {
                julian: false,
                year: year_from(*y, era, raw)?,
                month: Some(month_of(*m, raw)?),
                day: Some(day_of(*d, raw)?),
            }
        }
        // 09.1939, 09/1939
        [Tok::Num(m, lm), Tok::Sep("." | "/" | "-"), Tok::Num(y, ly)] if *lm <= 2 && *ly >= 3 => {
            PartialDate {
                julian: false,
                year: year_from(*y, era, raw)?,
                month: Some(month_of(*m, raw)?),
                day: None,
            }
        }
        // 17 September 1939, 17 IX 1939, 17 września 1939
        [Tok::Num(d, ld), Tok::Month(m), Tok::Num(y, _)] if *ld <= 2 => PartialDate {
            julian: false,
            year: year_from(*y, era, raw)?,
            month: Some(*m),
            day: Some(day_of(*d, raw)?),
        },
        [Tok::Num(d, ld), Tok::Sep("." | "-" | "/"), Tok::Month(m), Tok::Sep("." | "-" | "/"), Tok::Num(y, _)]
        | [Tok::Num(d, ld), Tok::Sep("." | "-" | "/"), Tok::Month(m), Tok::Num(y, _)]
            if *ld <= 2 =>
        {
            PartialDate {
                julian: false,
                year: year_from(*y, era, raw)?,
                month: Some(*m),
                day: Some(day_of(*d, raw)?),
            }
        }
        // September 17, 1939 / September 17 1939
        [Tok::Month(m), Tok::Num(d, ld), Tok::Num(y, ly)] if *ld <= 2 && *ly >= 3 => PartialDate {
            julian: false,
            year: year_from(*y, era, raw)?,
            month: Some(*m),
            day: Some(day_of(*d, raw)?),
        },
        // Sept 1939, wrzesień 1939, we wrześniu 1939, IX 1939
        [Tok::Month(m), Tok::Num(y, ly)] if *ly >= 3 || era.is_some() => PartialDate {
            julian: false,
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

/// Seasons, decades and parts of a year, in English and Polish: `autumn 1939`, `jesień 1939`,
/// `winter 1942` (December 1941 to February 1942), `1940s`, `lata 40.`, `early 1939`,
/// `początek 1939`, `late 1939`. `None` when the text is none of these.
fn named_period(norm: &str, raw: &str) -> Option<Result<HistDate, DateError>> {
    let words: Vec<&str> = norm
        .split(|c: char| c.is_whitespace() || c == ',')
        .filter(|w| !w.is_empty())
        .filter(|w| {
            ![
                "the", "of", "in", "w", "we", "r", "r.", "roku", "rok", "na", "pod", "z",
            ]
            .contains(w)
        })
        .collect();
    let year = |w: &str| -> Option<i64> {
        let w = w.trim_end_matches('.');
        (w.len() >= 3 && w.len() <= 6 && w.bytes().all(|b| b.is_ascii_digit()))
            .then(|| w.parse().ok())
            .flatten()
    };
    let span = |y: i64, m1: u8, y2: i64, m2: u8| -> Result<HistDate, DateError> {
        let start = PartialDate {
            julian: false,
            year: year_from(y, None, raw)?,
            month: Some(m1),
            day: None,
        };
        let end = PartialDate {
            julian: false,
            year: year_from(y2, None, raw)?,
            month: Some(m2),
            day: None,
        };
        Ok(HistDate { start, end })
    };
    match words.as_slice() {
        // 1940s, 1940's
        [w] if w.ends_with('s')
            && year(w.trim_end_matches('s').trim_end_matches('\'')).is_some() =>
        {
            let y = year(w.trim_end_matches('s').trim_end_matches('\''))?;
            if y % 10 != 0 {
                return None;
            }
            Some(decade(y, raw))
        }
        // lata 40., lata 40-te, lata 1940.
        ["lata", w] | ["latach", w] => {
            let digits: String = w.chars().take_while(|c| c.is_ascii_digit()).collect();
            let rest = &w[digits.len()..];
            if !["", ".", "-te", "te", "-tych", "tych"].contains(&rest) || digits.is_empty() {
                return None;
            }
            let n: i64 = digits.parse().ok()?;
            let y = match digits.len() {
                2 => 1900 + n,
                4 => n,
                _ => return None,
            };
            if y % 10 != 0 {
                return None;
            }
            Some(decade(y, raw))
        }
        [part, w] => {
            let y = year(w)?;
            let (m1, m2, shift) = match *part {
                "spring" | "wiosna" | "wiosny" | "wiosna," | "wiosne" | "wiosnie" => (3, 5, 0),
                "summer" | "lato" | "lata" | "latem" | "lecie" => (6, 8, 0),
                "autumn" | "fall" | "jesien" | "jesienia" | "jesieni" => (9, 11, 0),
                "winter" | "zima" | "zime" | "zimie" | "zimy" => (12, 2, 1),
                "early" | "poczatek" | "poczatku" => (1, 4, 0),
                "mid" | "polowa" | "polowie" => (5, 8, 0),
                "late" | "koniec" | "koncu" | "konca" | "schylek" => (9, 12, 0),
                _ => return None,
            };
            Some(span(y - shift, m1, y, m2))
        }
        _ => None,
    }
}

fn decade(y: i64, raw: &str) -> Result<HistDate, DateError> {
    let start = PartialDate {
        julian: false,
        year: year_from(y, None, raw)?,
        month: None,
        day: None,
    };
    let end = PartialDate {
        julian: false,
        year: year_from(y + 9, None, raw)?,
        month: None,
        day: None,
    };
    Ok(HistDate { start, end })
}
