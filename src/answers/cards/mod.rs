//! Cards and lists: how entries look in a reply.
//!
//! This file holds the pieces cards share (colours, labels, the numbered sources, notices);
//! `entry` has an entry's card and its sources view, `lists` the lists and their page buttons.

mod entry;
mod lists;

use super::buttons::Action;
use crate::i18n::{ui, Locale, Ui};
use crate::knowledge::{Citation, Entry, Event, KnowledgeBase};
use crate::reply::{shorten, Button, ButtonStyle, Embed, Reply};
pub use entry::{entry_card, sources_view};
pub use lists::{
    anniversaries, did_you_mean, event_list, no_match, nothing_on_date, search_results,
    timeline_page,
};

const COLOR_PERSON: u32 = 0x2E86C1;
const COLOR_EVENT: u32 = 0xB03A2E;
const COLOR_TOPIC: u32 = 0x1E8449;
const COLOR_SOURCE: u32 = 0x7D6608;
const COLOR_NOTICE: u32 = 0x95A5A6;
const COLOR_LIST: u32 = 0x6C3483;

/// Items per page in lists (two rows of five buttons).
pub const PAGE_SIZE: usize = 10;

/// User text inside one of Clio's code spans: the one escaping function, in `crate::text`.
pub use crate::text::quote_input;

/// A short ephemeral message: input errors, gone buttons, and the like.
pub fn notice(text: &str, _locale: Locale) -> Reply {
    Reply::embed(Embed {
        description: Some(text.to_string()),
        color: Some(COLOR_NOTICE),
        ..Default::default()
    })
    .ephemeral()
}

fn color(entry: &Entry) -> u32 {
    match entry {
        Entry::Person(_) => COLOR_PERSON,
        Entry::Event(_) => COLOR_EVENT,
        Entry::Topic(_) => COLOR_TOPIC,
        Entry::Source(_) => COLOR_SOURCE,
    }
}

fn kind_label(entry: &Entry, locale: Locale) -> &'static str {
    match entry {
        Entry::Person(_) => ui(locale, Ui::Person),
        Entry::Event(_) => ui(locale, Ui::Event),
        Entry::Topic(_) => ui(locale, Ui::Topic),
        Entry::Source(_) => ui(locale, Ui::Source),
    }
}

fn topic_kind_label(kind: &str, locale: Locale) -> String {
    let pl = match kind {
        "treaty" => "traktat",
        "unit" => "jednostka",
        "place" => "miejsce",
        "organization" => "organizacja",
        "concept" => "pojęcie",
        "document" => "dokument",
        "operation" => "operacja",
        other => other,
    };
    let en = match kind {
        "organization" => "organisation",
        other => other,
    };
    match locale {
        Locale::En => en.to_string(),
        Locale::Pl => pl.to_string(),
    }
}

/// The sources an entry relies on, numbered in the order the card refers to them.
struct SourceList<'a> {
    ids: Vec<&'a str>,
}

impl<'a> SourceList<'a> {
    fn of(entry: &'a Entry) -> Self {
        Self {
            ids: entry.source_ids(),
        }
    }

    fn mark(&self, id: &str) -> String {
        match self.ids.iter().position(|s| *s == id) {
            Some(i) => format!("[{}]", i + 1),
            None => String::new(),
        }
    }

    fn field(&self, kb: &KnowledgeBase) -> String {
        self.ids
            .iter()
            .enumerate()
            .map(|(i, id)| match kb.source(id) {
                Some(s) => {
                    let author = s
                        .author
                        .as_deref()
                        .filter(|a| !a.eq_ignore_ascii_case("unknown"));
                    let mark = format!("[{}] ", i + 1);
                    match author {
                        Some(a) => [mark.as_str(), s.title.as_str(), " — ", a].concat(),
                        None => [mark.as_str(), s.title.as_str()].concat(),
                    }
                }
                None => format!("[{}] {id}", i + 1),
            })
            .collect::<Vec<_>>()
            .join("\n")
    }
}

fn names_of(kb: &KnowledgeBase, ids: &[String], locale: Locale) -> String {
    // Into one string (a string per name, then joined, was an allocation each).
    let mut names = String::with_capacity(ids.len() * 24);
    for (i, e) in ids.iter().filter_map(|id| kb.get(id)).enumerate() {
        if i > 0 {
            names.push_str(", ");
        }
        names.push_str(e.name(locale));
    }
    names
}

fn text_block(summary: &str, details: Option<&str>) -> String {
    match details {
        Some(d) if !d.trim().is_empty() => [summary, "\n\n", d].concat(),
        _ => summary.to_string(),
    }
}

/// Buttons to the entries a card links to (at most 10: two rows).
fn link_buttons(kb: &KnowledgeBase, entry: &Entry, locale: Locale) -> Vec<Button> {
    entry
        .links()
        .into_iter()
        .filter_map(|id| kb.get(id))
        .take(10)
        .map(|e| {
            Button::new(
                e.name(locale),
                Action::Open(e.id().to_string()).custom_id(),
                ButtonStyle::Secondary,
            )
        })
        .collect()
}

/// An event's date in a list or a choice: marked when approximate.
pub(crate) fn event_date_text(e: &Event, locale: Locale) -> String {
    let date = e.date.display(locale);
    if e.approximate {
        format!("{date} ({})", ui(locale, Ui::Approximate))
    } else {
        date
    }
}

fn event_date_line(kb: &KnowledgeBase, e: &Event, sources: &SourceList, locale: Locale) -> String {
    let mut line = event_date_text(e, locale);
    if !e.disputed_dates.is_empty() {
        let claims: Vec<String> = e
            .disputed_dates
            .iter()
            .map(|c| {
                let title = kb
                    .source(&c.source)
                    .map(|s| s.title.as_str())
                    .unwrap_or(&c.source);
                format!(
                    "• {} {} ({})",
                    c.date.display(locale),
                    sources.mark(&c.source),
                    shorten(title, 60)
                )
            })
            .collect();
        line = format!(
            "{line}\n⚠ {}:\n{}",
            ui(locale, Ui::SourcesDisagree),
            claims.join("\n")
        );
    }
    line
}

/// A citation's page and quote, and the quote's translation when the reader needs one: not when
/// the source is in the reader's language, and never a translation that only repeats the quote.
fn citation_text(c: &Citation, source_language: &str, locale: Locale) -> String {
    let mut out = String::new();
    if let Some(page) = &c.page {
        out.push_str(&format!(" ({page})"));
    }
    if let Some(q) = &c.quote {
        out.push_str(&format!("\n> {}", shorten(q, 600)));
        let language = source_language.trim().to_ascii_lowercase();
        let in_readers_language =
            language == locale.code() || language.starts_with(&format!("{}-", locale.code()));
        let translation = c
            .translation
            .as_ref()
            .map(|t| t.get(locale).trim())
            .filter(|t| !t.is_empty() && !in_readers_language && !same_words(t, q));
        if let Some(tr) = translation {
            out.push_str(&format!("\n*{}*", shorten(tr, 600)));
        }
    }
    out
}

/// Two texts that differ only in spacing, case or quotation marks say the same.
fn same_words(a: &str, b: &str) -> bool {
    let words = |s: &str| -> Vec<String> {
        s.split_whitespace()
            .map(|w| {
                w.trim_matches(|c: char| "\"'“”„«»‘’".contains(c))
                    .to_lowercase()
            })
            .filter(|w| !w.is_empty())
            .collect()
    };
    words(a) == words(b)
}

/// Polish months in the locative, as after "w": "we wrześniu", "w październiku".
const PL_MONTHS_LOCATIVE: [&str; 12] = [
    "styczniu",
    "lutym",
    "marcu",
    "kwietniu",
    "maju",
    "czerwcu",
    "lipcu",
    "sierpniu",
    "wrześniu",
    "październiku",
    "listopadzie",
    "grudniu",
];

/// The title over the events a date query found, worded as a sentence reads: "Events on
/// 17 September 1939", "Events in September 1939", "Events in 1939"; in Polish "Wydarzenia
/// 17 września 1939", "Wydarzenia we wrześniu 1939", "Wydarzenia w 1939 roku".
pub fn events_title(date: &crate::dates::HistDate, locale: Locale) -> String {
    let shown = date.display(locale);
    let start = date.start;
    let one_month = start.day.is_none()
        && start.month.is_some()
        && (!date.is_range() || (date.end.year == start.year && date.end.month == start.month));
    let one_year = start.month.is_none() && (!date.is_range() || date.end.year == start.year);
    match locale {
        Locale::En if one_month || one_year => format!("Events in {shown}"),
        Locale::En if date.is_range() => format!("Events, {shown}"),
        Locale::En => format!("Events on {shown}"),
        Locale::Pl if one_month => {
            let month = start.month.unwrap_or(1).clamp(1, 12) as usize;
            // "we" before a word starting with w- and another consonant, as in "we wrześniu".
            let preposition = if month == 9 { "we" } else { "w" };
            let year = crate::dates::PartialDate {
                year: start.year,
                month: None,
                day: None,
                julian: start.julian,
            }
            .display(locale);
            format!(
                "Wydarzenia {preposition} {} {year}",
                PL_MONTHS_LOCATIVE[month - 1]
            )
        }
        Locale::Pl if one_year && start.year > 0 => format!("Wydarzenia w {shown} roku"),
        Locale::Pl if one_year => format!("Wydarzenia w {shown}"),
        Locale::Pl if date.is_range() => format!("Wydarzenia: {shown}"),
        Locale::Pl => format!("Wydarzenia {shown}"),
    }
}
