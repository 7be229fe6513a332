//! What is said about each entry, for the search index: it finds an entry by what it was (a role,
//! an office), when it happened (year and month in both languages), where and with whom, and the
//! figures it gives, weaker than by its names.

use std::borrow::Cow;

use super::{Entry, Text};
use crate::dates::{HistDate, EN_MONTHS, PL_MONTHS_GENITIVE, PL_MONTHS_NOMINATIVE};

/// A side or a date: nearly as telling as a name.
const STRONG: f32 = 0.9;
/// The people and places an event names.
const LINKED: f32 = 0.85;
/// A figure's label and values: telling, but in many words.
const FIGURE: f32 = 0.8;
/// The summary: many words, few of them telling.
const SUMMARY: f32 = 0.55;

fn texts(t: &Text) -> impl Iterator<Item = &str> {
    t.values()
}

fn date_words(d: &HistDate, out: &mut Vec<(Cow<'_, str>, f32)>) {
    for p in [d.start, d.end] {
        out.push((p.year.to_string().into(), STRONG));
        if let Some(d) = p.day {
            out.push((d.to_string().into(), STRONG));
        }
        if let Some(m) = p.month {
            let m = m as usize - 1;
            out.push((EN_MONTHS[m].into(), STRONG));
            out.push((PL_MONTHS_NOMINATIVE[m].into(), STRONG));
            out.push((PL_MONTHS_GENITIVE[m].into(), STRONG));
        }
    }
}

/// `(text, weight)` pairs said about `entry`; `name_of` gives the names of linked entries. The
/// entry's own texts are borrowed, not copied.
pub fn of<'k>(
    entry: &'k Entry,
    name_of: impl Fn(&str) -> Vec<&'k str>,
) -> Vec<(Cow<'k, str>, f32)> {
    let mut out: Vec<(Cow<'k, str>, f32)> = Vec::new();
    let summary = |t: &'k Text, out: &mut Vec<(Cow<'k, str>, f32)>| {
        out.extend(texts(t).map(|s| (s.into(), SUMMARY)));
    };
    match entry {
        Entry::Source(_) => {}
        Entry::Person(p) => {
            // (Roles are indexed as weak names of their own, one by one.)
            if let Some(side) = &p.side {
                out.push((side.as_str().into(), STRONG));
            }
            summary(&p.summary, &mut out);
        }
        Entry::Event(e) => {
            date_words(&e.date, &mut out);
            for claim in &e.disputed_dates {
                date_words(&claim.date, &mut out);
            }
            for id in e.places.iter().chain(&e.people) {
                out.extend(name_of(id).into_iter().map(|n| (n.into(), LINKED)));
            }
            for f in &e.figures {
                out.extend(texts(&f.label).map(|s| (s.into(), FIGURE)));
                for v in &f.values {
                    out.extend(texts(&v.value).map(|s| (s.into(), FIGURE)));
                }
            }
            summary(&e.summary, &mut out);
            if let Some(o) = &e.outcome {
                summary(o, &mut out);
            }
        }
        Entry::Topic(t) => {
            if let Some(d) = &t.date {
                date_words(d, &mut out);
            }
            summary(&t.summary, &mut out);
        }
    }
    out
}
