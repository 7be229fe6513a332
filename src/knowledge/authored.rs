//! Hand-written quiz questions: the `[[question]]` tables of `knowledge/quiz/*.toml`.
//!
//! They are knowledge like any other, so the knowledge loader reads them with everything else and
//! `clio check` reports their problems as `file:line:column`. This module only turns one table into
//! a [`AuthoredQuestion`] and says what is wrong with it and which ids it points at; the loader places
//! the problems in the file and checks the ids once every file is read.

use serde::Deserialize;
use toml::de::{DeValue, ValueDeserializer};
use toml::Spanned;

use super::question::{
    text2, Answer, AnswerOption, Meaning, Question, QuestionKind, QuestionSource,
};
use crate::knowledge::{Kind, Text};

/// The fields a `[[question]]` may have; any other is reported as unknown.
pub const QUESTION_FIELDS: &[&str] = &[
    "id",
    "kind",
    "text",
    "options",
    "answer",
    "accepted",
    "explanation",
    "source",
    "entry",
    "tags",
];

/// The kinds of hand-written question, as written in `kind`.
pub const HAND_KINDS: [&str; 3] = ["choice", "truefalse", "free"];

/// Limits that keep a question, its options and its reveal inside one Discord message.
pub const MAX_QUESTION_TEXT: usize = 1000;
pub const MAX_OPTION: usize = 200;
pub const MAX_OPTIONS: usize = 5;
pub const MAX_ACCEPTED: usize = 100;

/// A hand-written question, ready to ask.
#[derive(Debug, Clone, PartialEq)]
pub struct AuthoredQuestion {
    pub id: String,
    pub tags: Vec<String>,
    pub question: Question,
}

/// An id a question points at, to be checked against the whole base.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AuthoredRef {
    pub offset: usize,
    pub target: String,
    /// The kinds it may point at.
    pub kinds: &'static [Kind],
    pub field: &'static str,
}

/// What reading one table gave: the question when it is whole, every problem (byte offset in the
/// file, message), and the ids to check.
#[derive(Debug, Default)]
pub struct AuthoredRead {
    /// The question's id and where it is written, even when the question has problems, so a
    /// duplicate id is reported whatever else is wrong.
    pub id: Option<(String, usize)>,
    pub question: Option<AuthoredQuestion>,
    pub problems: Vec<(usize, String)>,
    pub refs: Vec<AuthoredRef>,
}

type S<T> = Spanned<T>;

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawQuestion {
    id: S<String>,
    kind: S<String>,
    text: S<Text>,
    #[serde(default)]
    options: Vec<S<Text>>,
    answer: Option<S<RawAnswer>>,
    #[serde(default)]
    accepted: Vec<S<String>>,
    explanation: S<Text>,
    source: S<RawSource>,
    entry: S<String>,
    #[serde(default)]
    tags: Vec<String>,
}

#[derive(Deserialize)]
#[serde(untagged)]
enum RawAnswer {
    Number(i64),
    Truth(bool),
    Words(Text),
}

#[derive(Deserialize)]
#[serde(untagged)]
enum RawSource {
    Id(String),
    Full(RawSourceTable),
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawSourceTable {
    id: String,
    quote: Option<String>,
}

/// Read one `[[question]]` table (its unknown fields already removed by the loader).
pub fn read(value: Spanned<DeValue<'_>>) -> Result<AuthoredRead, toml::de::Error> {
    let raw = RawQuestion::deserialize(ValueDeserializer::from(value))?;
    Ok(check(raw))
}

fn check(raw: RawQuestion) -> AuthoredRead {
    let mut out = AuthoredRead::default();
    let id = raw.id.get_ref().clone();
    let id_at = raw.id.span().start;
    out.id = Some((id.clone(), id_at));
    if !valid_id(&id) {
        out.problems.push((
            id_at,
            format!(
                "id `{id}` must be 1-40 lowercase ASCII letters, digits and hyphens (e.g. `wojtek-rank`)"
            ),
        ));
    }
    check_text(&mut out, "text", &raw.text, MAX_QUESTION_TEXT);
    check_text(&mut out, "explanation", &raw.explanation, 1000);
    let (source_id, quote) = match raw.source.get_ref() {
        RawSource::Id(id) => (id.clone(), None),
        RawSource::Full(t) => (t.id.clone(), t.quote.clone()),
    };
    out.refs.push(AuthoredRef {
        offset: raw.source.span().start,
        target: source_id.clone(),
        kinds: &[Kind::Source],
        field: "source",
    });
    out.refs.push(AuthoredRef {
        offset: raw.entry.span().start,
        target: raw.entry.get_ref().clone(),
        kinds: &[Kind::Person, Kind::Event, Kind::Topic],
        field: "entry",
    });
    let kind_at = raw.kind.span().start;
    let answer_at = raw.answer.as_ref().map_or(kind_at, |a| a.span().start);
    let answer = match raw.kind.get_ref().as_str() {
        "choice" => choice(&mut out, &raw, answer_at),
        "truefalse" => truefalse(&mut out, &raw, answer_at),
        "free" => free(&mut out, &raw, answer_at),
        other => {
            out.problems.push((
                kind_at,
                format!(
                    "question kind `{other}` is not one of {}",
                    HAND_KINDS.map(|k| format!("`{k}`")).join(", ")
                ),
            ));
            None
        }
    };
    if !out.problems.is_empty() {
        return out;
    }
    let Some((kind, answer)) = answer else {
        return out;
    };
    out.question = Some(AuthoredQuestion {
        id: id.clone(),
        tags: raw.tags,
        question: Question {
            key: format!("hand:{id}"),
            kind,
            prompt: raw.text.into_inner(),
            answer,
            explanation: raw.explanation.into_inner(),
            source: Some(QuestionSource {
                id: source_id,
                quote,
            }),
            entry: Some(raw.entry.into_inner()),
        },
    });
    out
}

fn choice(
    out: &mut AuthoredRead,
    raw: &RawQuestion,
    answer_at: usize,
) -> Option<(QuestionKind, Answer)> {
    let n = raw.options.len();
    if !(2..=MAX_OPTIONS).contains(&n) {
        let at = raw
            .options
            .first()
            .map_or(raw.kind.span().start, |o| o.span().start);
        out.problems.push((
            at,
            format!("a choice question needs 2 to {MAX_OPTIONS} `options`, this one has {n}"),
        ));
    }
    let mut seen: Vec<(String, String)> = Vec::new();
    for option in &raw.options {
        check_text(out, "option", option, MAX_OPTION);
        for (locale, words) in &option.get_ref().0 {
            let key = (locale.to_string(), crate::search::normalize(words));
            if seen.contains(&key) {
                out.problems.push((
                    option.span().start,
                    format!("option `{words}` ({locale}) is given twice"),
                ));
            }
            seen.push(key);
        }
    }
    let right = match raw.answer.as_ref().map(|a| a.get_ref()) {
        Some(RawAnswer::Number(k)) if *k >= 1 && (*k as usize) <= n => *k as usize - 1,
        _ => {
            out.problems.push((
                answer_at,
                format!(
                    "the `answer` of a choice question is the number of the right option, 1 to {n}"
                ),
            ));
            return None;
        }
    };
    if !raw.accepted.is_empty() {
        out.problems.push((
            raw.accepted[0].span().start,
            "`accepted` spellings belong to free questions only".to_string(),
        ));
    }
    let options = raw
        .options
        .iter()
        .map(|o| AnswerOption {
            text: o.get_ref().clone(),
            meaning: Meaning::Words,
        })
        .collect();
    Some((
        QuestionKind::HandChoice,
        Answer::Choice {
            options,
            correct: right,
        },
    ))
}

fn truefalse(
    out: &mut AuthoredRead,
    raw: &RawQuestion,
    answer_at: usize,
) -> Option<(QuestionKind, Answer)> {
    if let Some(first) = raw.options.first() {
        out.problems.push((
            first.span().start,
            "a true/false question has no `options`: its answers are always true and false".into(),
        ));
    }
    let value = match raw.answer.as_ref().map(|a| a.get_ref()) {
        Some(RawAnswer::Truth(v)) => *v,
        _ => {
            out.problems.push((
                answer_at,
                "the `answer` of a true/false question is `true` or `false`".into(),
            ));
            return None;
        }
    };
    let options = vec![
        AnswerOption {
            text: text2("True", "Prawda"),
            meaning: Meaning::Truth { value: true },
        },
        AnswerOption {
            text: text2("False", "Fałsz"),
            meaning: Meaning::Truth { value: false },
        },
    ];
    Some((
        QuestionKind::HandTrueFalse,
        Answer::Choice {
            options,
            correct: usize::from(!value),
        },
    ))
}

fn free(
    out: &mut AuthoredRead,
    raw: &RawQuestion,
    answer_at: usize,
) -> Option<(QuestionKind, Answer)> {
    if let Some(first) = raw.options.first() {
        out.problems.push((
            first.span().start,
            "a free question has no `options`: list other spellings in `accepted`".into(),
        ));
    }
    let answer = match raw.answer.as_ref() {
        Some(a) => match a.get_ref() {
            RawAnswer::Words(t) => {
                for (locale, words) in &t.0 {
                    if words.trim().is_empty() || words.chars().count() > MAX_OPTION {
                        out.problems.push((
                            a.span().start,
                            format!("answer ({locale}) must be 1 to {MAX_OPTION} characters"),
                        ));
                    }
                }
                t.clone()
            }
            _ => {
                out.problems.push((
                    answer_at,
                    "the `answer` of a free question is its words, e.g. `{ en = \"...\", pl = \"...\" }`".into(),
                ));
                return None;
            }
        },
        None => {
            out.problems
                .push((answer_at, "a free question needs its `answer`".into()));
            return None;
        }
    };
    for a in &raw.accepted {
        let n = a.get_ref().chars().count();
        if a.get_ref().trim().is_empty() || n > MAX_ACCEPTED {
            out.problems.push((
                a.span().start,
                format!("an accepted spelling must be 1 to {MAX_ACCEPTED} characters"),
            ));
        }
    }
    Some((
        QuestionKind::HandFree,
        Answer::Free {
            answer,
            accepted: raw.accepted.iter().map(|a| a.get_ref().clone()).collect(),
        },
    ))
}

fn check_text(out: &mut AuthoredRead, what: &str, text: &S<Text>, max: usize) {
    for (locale, s) in &text.get_ref().0 {
        let n = s.chars().count();
        if s.trim().is_empty() {
            out.problems
                .push((text.span().start, format!("{what} ({locale}) is empty")));
        } else if n > max {
            out.problems.push((
                text.span().start,
                format!(
                    "{what} ({locale}) is {n} characters, more than the {max} that fit; shorten it"
                ),
            ));
        }
    }
}

fn valid_id(s: &str) -> bool {
    !s.is_empty()
        && s.len() <= 40
        && !s.starts_with('-')
        && s.bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
}
