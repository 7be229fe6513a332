//! How a given answer is judged and scored.

use serde::{Deserialize, Serialize};

use crate::knowledge::question::{Answer, Question};
use crate::search::normalize;

/// What a player gave: an option's index, or typed text.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case", tag = "type", content = "value")]
pub enum Given {
    Choice(usize),
    Text(String),
}

/// How an answer was judged.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Verdict {
    Right,
    /// A typed year near the right one: some points, not counted as right.
    Close,
    Wrong,
}

impl Verdict {
    pub fn as_str(self) -> &'static str {
        match self {
            Verdict::Right => "right",
            Verdict::Close => "close",
            Verdict::Wrong => "wrong",
        }
    }

    pub fn parse(s: &str) -> Option<Verdict> {
        match s {
            "right" => Some(Verdict::Right),
            "close" => Some(Verdict::Close),
            "wrong" => Some(Verdict::Wrong),
            _ => None,
        }
    }
}

/// Full points for a right answer given at once.
pub const FULL_POINTS: u32 = 1000;
/// The share of the points a right answer loses when given at the last moment.
pub const TIME_PENALTY: f64 = 0.5;

/// Judge an answer and score it: right answers earn `FULL_POINTS × (1 − 0.5 × elapsed/limit)`,
/// typed years a share of that by closeness, wrong ones nothing.
pub fn score(question: &Question, given: &Given, elapsed_ms: u64, limit_ms: u64) -> (Verdict, u32) {
    let share = judge(question, given);
    let verdict = if share >= 1.0 {
        Verdict::Right
    } else if share > 0.0 {
        Verdict::Close
    } else {
        Verdict::Wrong
    };
    let limit = limit_ms.max(1) as f64;
    let time = (elapsed_ms as f64 / limit).clamp(0.0, 1.0);
    let points = (FULL_POINTS as f64 * share * (1.0 - TIME_PENALTY * time)).round() as u32;
    (verdict, points)
}

/// The share of full credit an answer earns, from 0 to 1, before time is counted.
pub fn judge(question: &Question, given: &Given) -> f64 {
    match (&question.answer, given) {
        (Answer::Choice { correct, .. }, Given::Choice(i)) => f64::from(u8::from(i == correct)),
        (Answer::Free { answer, accepted }, Given::Text(text)) => {
            let spellings = answer.values().chain(accepted.iter().map(String::as_str));
            f64::from(u8::from(
                spellings.into_iter().any(|s| typed_matches(text, s)),
            ))
        }
        (Answer::Year { year }, Given::Text(text)) => match typed_year(text) {
            Some(y) => year_closeness(*year, y),
            None => 0.0,
        },
        _ => 0.0,
    }
}

/// Credit for a typed year: the right year in full, one year off half, two years off a quarter.
pub fn year_closeness(right: i32, given: i32) -> f64 {
    match (right - given).unsigned_abs() {
        0 => 1.0,
        1 => 0.5,
        2 => 0.25,
        _ => 0.0,
    }
}

/// The year in what a player typed: `1939`, `in 1939`, `1939 r.`, `44 BC`, `44 p.n.e.`.
pub fn typed_year(text: &str) -> Option<i32> {
    let norm = normalize(text);
    let mut digits = norm
        .split(' ')
        .filter(|t| !t.is_empty() && t.bytes().all(|b| b.is_ascii_digit()));
    let number: i32 = digits.next()?.parse().ok()?;
    if digits.next().is_some() {
        return None; // two numbers: not one year
    }
    let bc = norm.split(' ').any(|t| t == "bc" || t == "bce")
        || norm.contains("p n e")
        || norm.contains("pne");
    Some(if bc { 1 - number } else { number })
}

/// Whether typed text names the same thing as an accepted spelling: case, punctuation and
/// diacritics never matter, and typos are forgiven in proportion to the length, so `Sikorsky`
/// is `Sikorski` but `air` is not `chair`. Numbers must be exact.
pub fn typed_matches(typed: &str, accepted: &str) -> bool {
    let (t, a) = (
        strip_articles(&normalize(typed)),
        strip_articles(&normalize(accepted)),
    );
    if t.is_empty() || a.is_empty() {
        return false;
    }
    if t == a {
        return true;
    }
    let numbers = |s: &str| -> Vec<String> {
        s.split(' ')
            .filter(|w| w.bytes().any(|b| b.is_ascii_digit()))
            .map(str::to_string)
            .collect()
    };
    if numbers(&t) != numbers(&a) {
        return false;
    }
    let allowed = typos_allowed(a.chars().count());
    allowed > 0 && strsim::damerau_levenshtein(&t, &a) <= allowed
}

/// Edits forgiven for an answer of `len` normalized characters: none up to 4 (short words differ
/// by one letter: `air`/`chair`, `Kot`/`Kock`), then one per five or so characters, at most three.
fn typos_allowed(len: usize) -> usize {
    match len {
        0..=4 => 0,
        5..=7 => 1,
        8..=13 => 2,
        _ => 3,
    }
}

fn strip_articles(s: &str) -> String {
    let words: Vec<&str> = s.split(' ').collect();
    match words.as_slice() {
        [first, rest @ ..] if !rest.is_empty() && matches!(*first, "the" | "a" | "an") => {
            rest.join(" ")
        }
        _ => s.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn typed_answers_forgive_typos_in_proportion() {
        let cases: &[(&str, &str, bool)] = &[
            ("Sikorsky", "Sikorski", true),
            ("sikorski", "Władysław Sikorski", false),
            ("Władysław Sikorski", "Wladyslaw Sikorski", true),
            ("air", "chair", false),
            ("chair", "chairs", true),
            ("Kot", "Kock", false),
            ("Krasnowodsk", "Krasnovodsk", true),
            ("the Caspian Sea", "Caspian Sea", true),
            ("5th Division", "6th Division", false),
            ("", "anything", false),
            ("kapral", "corporal", false),
        ];
        for (typed, accepted, expected) in cases {
            assert_eq!(
                typed_matches(typed, accepted),
                *expected,
                "{typed:?} against {accepted:?}"
            );
        }
    }

    #[test]
    fn typed_years_are_read_and_scored_by_closeness() {
        let cases: &[(&str, Option<i32>)] = &[
            ("1939", Some(1939)),
            ("in 1939", Some(1939)),
            ("1939 r.", Some(1939)),
            ("44 BC", Some(-43)),
            ("1939 1940", None),
            ("soon", None),
        ];
        for (text, expected) in cases {
            assert_eq!(typed_year(text), *expected, "{text}");
        }
        assert_eq!(year_closeness(1939, 1939), 1.0);
        assert_eq!(year_closeness(1939, 1940), 0.5);
        assert_eq!(year_closeness(1939, 1937), 0.25);
        assert_eq!(year_closeness(1939, 1945), 0.0);
    }
}
