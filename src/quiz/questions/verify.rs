//! The guard: every generated question is re-checked against the base before it is kept.

use std::collections::HashSet;

use super::dates::{day_of, event_hull, overlaps};
use super::people::roles_match;
use super::LOCALES;
use crate::dates::HistDate;
use crate::i18n::Locale;
use crate::knowledge::question::{Answer, AnswerOption, Meaning, Question, QuestionKind};
use crate::knowledge::{Entry, Event, KnowledgeBase};
use crate::search::normalize;

/// Check a question against the base: options distinct, exactly one right, and no wrong option
/// right by another reading. Generated questions that fail are never asked.
pub fn verify(kb: &KnowledgeBase, q: &Question) -> Result<(), String> {
    let Answer::Choice { options, correct } = &q.answer else {
        return Ok(());
    };
    if *correct >= options.len() || options.len() < 2 {
        return Err(format!("{}: the right option is missing", q.key));
    }
    for l in LOCALES {
        let mut seen = HashSet::new();
        for o in options {
            if !seen.insert(normalize(o.text.get(l))) {
                return Err(format!(
                    "{}: option `{}` appears twice",
                    q.key,
                    o.text.get(l)
                ));
            }
        }
    }
    let wrong = options
        .iter()
        .enumerate()
        .filter(|(i, _)| i != correct)
        .map(|(_, o)| o);
    let subject_event = || -> Result<&Event, String> {
        q.entry
            .as_deref()
            .and_then(|id| kb.get(id))
            .and_then(Entry::as_event)
            .ok_or_else(|| format!("{}: its event is not in the base", q.key))
    };
    let entry_of = |o: &AnswerOption| -> Result<&Entry, String> {
        match &o.meaning {
            Meaning::Entry { id } => kb
                .get(id)
                .ok_or_else(|| format!("{}: option entry `{id}` is not in the base", q.key)),
            other => Err(format!("{}: option means {other:?}, not an entry", q.key)),
        }
    };
    match q.kind {
        QuestionKind::EventYear | QuestionKind::EventDate => {
            let hull = event_hull(subject_event()?);
            for o in wrong {
                match o.meaning {
                    Meaning::Days { first, last } if !overlaps((first, last), hull) => {}
                    _ => {
                        return Err(format!(
                            "{}: `{}` may be right",
                            q.key,
                            o.text.get(Locale::En)
                        ))
                    }
                }
            }
        }
        QuestionKind::EventOnDate => {
            let e = subject_event()?;
            let asked = (e.date.first_day(), e.date.last_day());
            for o in wrong {
                match entry_of(o)? {
                    Entry::Event(other) if !overlaps(event_hull(other), asked) => {}
                    _ => {
                        return Err(format!(
                            "{}: `{}` may be right",
                            q.key,
                            o.text.get(Locale::En)
                        ))
                    }
                }
            }
        }
        QuestionKind::WhichFirst => {
            let right = entry_of(&options[*correct])?
                .as_event()
                .ok_or_else(|| format!("{}: not an event", q.key))?;
            for o in wrong {
                match entry_of(o)? {
                    Entry::Event(other) if event_hull(right).1 < event_hull(other).0 => {}
                    _ => {
                        return Err(format!(
                            "{}: `{}` may be first",
                            q.key,
                            o.text.get(Locale::En)
                        ))
                    }
                }
            }
        }
        QuestionKind::WhoRole => {
            let Some(Entry::Person(p)) = entry_of(&options[*correct]).ok() else {
                return Err(format!("{}: the right option is not a person", q.key));
            };
            let role: usize = q
                .key
                .rsplit(':')
                .next()
                .and_then(|r| r.parse().ok())
                .ok_or_else(|| format!("{}: no role in the key", q.key))?;
            let role = p
                .roles
                .get(role)
                .ok_or_else(|| format!("{}: no such role", q.key))?;
            for o in wrong {
                match entry_of(o)? {
                    Entry::Person(other) if !other.roles.iter().any(|r| roles_match(r, role)) => {}
                    _ => {
                        return Err(format!(
                            "{}: `{}` may be right",
                            q.key,
                            o.text.get(Locale::En)
                        ))
                    }
                }
            }
        }
        QuestionKind::WherePlace => {
            let e = subject_event()?;
            for o in wrong {
                let id = entry_of(o)?.id();
                if e.places.iter().any(|p| p == id) {
                    return Err(format!("{}: `{id}` is one of the event's places", q.key));
                }
            }
        }
        QuestionKind::Figure => {
            let Meaning::Amount { lo, hi } = options[*correct].meaning else {
                return Err(format!("{}: the right option is not an amount", q.key));
            };
            let mut spans: Vec<(f64, f64)> = vec![(lo, hi)];
            for o in wrong {
                match o.meaning {
                    Meaning::Amount { lo, hi } => spans.push((lo, hi)),
                    _ => return Err(format!("{}: an option is not an amount", q.key)),
                }
            }
            spans.sort_by(|a, b| a.0.total_cmp(&b.0));
            // Neighbouring options at least a fifth apart: clearly different, never overlapping.
            if spans.windows(2).any(|w| w[1].0 <= w[0].1 * 1.2) {
                return Err(format!("{}: two amounts are too close", q.key));
            }
        }
        QuestionKind::HandChoice | QuestionKind::HandTrueFalse | QuestionKind::HandFree => {}
    }
    Ok(())
}

/// The day span an option stands for, as a date for display (tests and the preview use it).
pub fn days_as_date(first: i64, last: i64) -> HistDate {
    HistDate {
        start: day_of(first),
        end: day_of(last),
    }
}
