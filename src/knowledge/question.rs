//! A quiz question as plain knowledge data, whether generated from the base or written by hand in
//! `knowledge/quiz/*.toml`. How a given answer is judged is the quiz's (`quiz::judge`).
//!
//! Every option carries what it *means* (an entry, a span of days, an amount, a truth value), not
//! only its words: that is what lets the generator, the tests and a reviewer prove that no wrong
//! option is right by another reading. A question is serializable so a running quiz can be stored
//! whole and resumed after a restart with exactly the questions it started with.

use serde::{Deserialize, Serialize};

use super::Text;
use crate::i18n::Locale;

/// What a question asks about; the preview and the variety rule count these.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum QuestionKind {
    /// In which year did an event happen (or begin)?
    EventYear,
    /// On which day did an event happen (or begin)?
    EventDate,
    /// Which event happened on a date?
    EventOnDate,
    /// Who held a role or did a deed?
    WhoRole,
    /// Where did an event happen?
    WherePlace,
    /// Which of two events came first?
    WhichFirst,
    /// The figure a source gives.
    Figure,
    /// Hand-written, several options.
    HandChoice,
    /// Hand-written, true or false.
    HandTrueFalse,
    /// Hand-written, answered in words.
    HandFree,
}

impl QuestionKind {
    pub const ALL: [QuestionKind; 10] = [
        QuestionKind::EventYear,
        QuestionKind::EventDate,
        QuestionKind::EventOnDate,
        QuestionKind::WhoRole,
        QuestionKind::WherePlace,
        QuestionKind::WhichFirst,
        QuestionKind::Figure,
        QuestionKind::HandChoice,
        QuestionKind::HandTrueFalse,
        QuestionKind::HandFree,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            QuestionKind::EventYear => "event-year",
            QuestionKind::EventDate => "event-date",
            QuestionKind::EventOnDate => "event-on-date",
            QuestionKind::WhoRole => "who-role",
            QuestionKind::WherePlace => "where-place",
            QuestionKind::WhichFirst => "which-first",
            QuestionKind::Figure => "figure",
            QuestionKind::HandChoice => "hand-choice",
            QuestionKind::HandTrueFalse => "hand-truefalse",
            QuestionKind::HandFree => "hand-free",
        }
    }

    pub fn parse(s: &str) -> Option<QuestionKind> {
        QuestionKind::ALL.into_iter().find(|k| k.as_str() == s)
    }
}

/// What an option stands for, so its rightness can be checked against the knowledge base.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case", tag = "type")]
pub enum Meaning {
    /// Only words (hand-written options).
    Words,
    /// An entry of the knowledge base, by id.
    Entry { id: String },
    /// A span of days (day numbers as in `dates`), from a year down to one day.
    Days { first: i64, last: i64 },
    /// An amount, or a range of amounts (`lo == hi` for one number).
    Amount { lo: f64, hi: f64 },
    /// True or false.
    Truth { value: bool },
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AnswerOption {
    pub text: Text,
    pub meaning: Meaning,
}

/// How a question is answered, and what is right.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case", tag = "type")]
pub enum Answer {
    /// Press one of the options (true/false is two options).
    Choice {
        options: Vec<AnswerOption>,
        correct: usize,
    },
    /// Type words; `answer` is shown at the reveal, `accepted` are further spellings.
    Free { answer: Text, accepted: Vec<String> },
    /// Type a year; close years score part of the points.
    Year { year: i32 },
}

/// Where the question's fact comes from: a source id and, when known, the words it uses.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct QuestionSource {
    pub id: String,
    pub quote: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Question {
    /// Stable across quizzes: the same question has the same key, so recent ones can be avoided.
    pub key: String,
    pub kind: QuestionKind,
    pub prompt: Text,
    pub answer: Answer,
    pub explanation: Text,
    pub source: Option<QuestionSource>,
    /// The entry the question comes from, for the reveal's link to its card.
    pub entry: Option<String>,
}

impl Question {
    /// The number of options to press, 0 for typed answers.
    pub fn option_count(&self) -> usize {
        match &self.answer {
            Answer::Choice { options, .. } => options.len(),
            _ => 0,
        }
    }

    pub fn is_typed(&self) -> bool {
        !matches!(self.answer, Answer::Choice { .. })
    }

    /// The right answer in words, as the reveal names it.
    pub fn right_answer(&self, locale: Locale) -> String {
        match &self.answer {
            Answer::Choice { options, correct } => options
                .get(*correct)
                .map(|o| o.text.get(locale).to_string())
                .unwrap_or_default(),
            Answer::Free { answer, .. } => answer.get(locale).to_string(),
            Answer::Year { year } => crate::dates::PartialDate {
                julian: false,
                year: *year,
                month: None,
                day: None,
            }
            .display(locale),
        }
    }
}

/// Text in English and Polish.
pub fn text2(en: impl Into<String>, pl: impl Into<String>) -> Text {
    let mut t = Text::en(en);
    t.0.insert("pl".to_string(), pl.into());
    t
}
