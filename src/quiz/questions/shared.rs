//! Pieces the kinds share: wrong options by name, names that give a date away or share words, the
//! source a question cites, and explanations.

use std::collections::BTreeSet;

use super::{Rng, LOCALES};
use crate::dates::HistDate;
use crate::i18n::Locale;
use crate::knowledge::question::{AnswerOption, Meaning, QuestionSource};
use crate::knowledge::{Event, Text};
use crate::search::normalize;
use crate::text::shorten;

/// Whether an event's name gives a date away ("… of August 1939").
pub(super) fn names_hold_digits(name: &Text) -> bool {
    name.values().any(|n| n.bytes().any(|b| b.is_ascii_digit()))
}

/// Whether two names share a word of four letters or more, in any locale.
pub(super) fn names_share_words(a: &Text, b: &Text) -> bool {
    let words = |t: &Text| -> BTreeSet<String> {
        t.values()
            .flat_map(|n| {
                normalize(n)
                    .split(' ')
                    .map(str::to_string)
                    .collect::<Vec<_>>()
            })
            .filter(|w| w.len() >= 4)
            .collect()
    };
    !words(a).is_disjoint(&words(b))
}

pub(super) fn per_locale(f: impl Fn(Locale) -> String) -> Text {
    let mut t = Text::default();
    for l in LOCALES {
        t.0.insert(l.code().to_string(), f(l));
    }
    t
}

/// Up to `n` of `others` whose names differ (in every locale) from the right one and each other.
pub(super) fn distinct_names<'a>(
    right: &Text,
    others: impl Iterator<Item = (&'a str, &'a Text)>,
    n: usize,
) -> Vec<(&'a str, &'a Text)> {
    let mut seen: BTreeSet<String> = right.values().map(normalize).collect();
    let mut out = Vec::new();
    for (id, name) in others {
        if out.len() >= n {
            break;
        }
        let names: Vec<String> = name.values().map(normalize).collect();
        if names.iter().any(|x| seen.contains(x)) {
            continue;
        }
        seen.extend(names);
        out.push((id, name));
    }
    out
}

/// The options for entries, the right one placed at random.
pub(super) fn entry_options(
    rng: &mut Rng,
    right: (&str, &Text),
    wrong: Vec<(&str, &Text)>,
) -> (Vec<AnswerOption>, usize) {
    let mut all = wrong;
    let at = rng.below(all.len() + 1);
    all.insert(at, right);
    (
        all.into_iter()
            .map(|(id, name)| AnswerOption {
                text: name.clone(),
                meaning: Meaning::Entry { id: id.to_string() },
            })
            .collect(),
        at,
    )
}

/// The citation whose quote says most of what the question asks (the place, the year, the
/// person), so the reveal quotes the words that answer it; the first citation when none does.
pub(super) fn source_for(
    citations: &[crate::knowledge::Citation],
    words: &[String],
) -> Option<QuestionSource> {
    let says = |c: &crate::knowledge::Citation| {
        let quote = format!(" {} ", normalize(c.quote.as_deref().unwrap_or("")));
        words
            .iter()
            .filter(|w| quote.contains(&format!(" {w} ")))
            .count()
    };
    let mut best: Option<(&crate::knowledge::Citation, usize)> = None;
    for c in citations {
        let n = says(c);
        if best.is_none_or(|(_, b)| n > b) {
            best = Some((c, n));
        }
    }
    best.map(|(c, _)| QuestionSource {
        id: c.source.clone(),
        quote: c.quote.clone(),
    })
}

/// The words of a date as quotes write it: its year, its month in English and Polish.
pub(super) fn date_words(date: &HistDate) -> Vec<String> {
    let mut words = vec![date.start.year.to_string()];
    if let Some(m) = date.start.month {
        words.push(crate::dates::EN_MONTHS[m as usize - 1].to_lowercase());
        words.push(normalize(crate::dates::PL_MONTHS_GENITIVE[m as usize - 1]));
    }
    if let Some(d) = date.start.day {
        words.push(d.to_string());
    }
    words
}

/// The words of a name, four letters or more, in every locale.
pub(super) fn name_words(name: &Text) -> Vec<String> {
    let words: BTreeSet<String> = name
        .values()
        .flat_map(|n| {
            normalize(n)
                .split(' ')
                .map(str::to_string)
                .collect::<Vec<_>>()
        })
        .filter(|w| w.len() >= 4)
        .collect();
    words.into_iter().collect()
}

/// The first sentences of a summary, about two hundred characters.
pub(super) fn short_summary(summary: &Text, locale: Locale) -> String {
    let text = summary.get(locale);
    let mut out = String::new();
    for sentence in text.split_inclusive(". ") {
        out.push_str(sentence);
        if out.chars().count() >= 160 {
            break;
        }
    }
    shorten(out.trim(), 400)
}

/// An event's date as a reveal shows it: marked when approximate.
pub(super) fn event_date_text(e: &Event, l: Locale) -> String {
    let date = e.date.display(l);
    match (e.approximate, l) {
        (false, _) => date,
        (true, Locale::En) => format!("about {date}"),
        (true, Locale::Pl) => format!("ok. {date}"),
    }
}

/// What the sources say when they disagree on an event's date, or nothing.
pub(super) fn disputed_note(e: &Event, l: Locale) -> String {
    if e.disputed_dates.is_empty() {
        return String::new();
    }
    let claims: Vec<String> = e
        .disputed_dates
        .iter()
        .map(|c| format!("{} ({})", c.date.display(l), c.source))
        .collect();
    match l {
        Locale::En => format!(" The sources disagree on the date: {}.", claims.join("; ")),
        Locale::Pl => format!(" Źródła różnią się co do daty: {}.", claims.join("; ")),
    }
}

pub(super) fn dated_explanation(e: &Event) -> Text {
    per_locale(|l| {
        format!(
            "{} — {}.{} {}",
            e.name.get(l),
            event_date_text(e, l),
            disputed_note(e, l),
            short_summary(&e.summary, l)
        )
    })
}
