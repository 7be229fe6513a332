//! The `topic` of a quiz: a tag, a period or an entry, turned into the set of entries whose
//! questions may be asked.
//!
//! A quiz on "Anders Army" should ask about the people and events linked to it, not only about the
//! one topic card, so an entry brings in everything it links to and everything that links to it.

use std::collections::BTreeSet;

use crate::dates::{self, DateQuery, HistDate};
use crate::i18n::Locale;
use crate::knowledge::{Entry, Kind, KnowledgeBase};
use crate::search::{normalize, Outcome};

/// Which entries a quiz draws its questions from.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Scope {
    /// `None`: the whole base.
    entries: Option<BTreeSet<String>>,
    /// The tag asked for, if the topic was a tag (hand-written questions carry tags too).
    tag: Option<String>,
    /// What the player typed, resolved, for the quiz's title.
    pub label: Option<String>,
}

/// Why a topic could not be used, worded for the host.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum TopicError {
    /// Nothing matches; the nearest names, if any.
    Unknown {
        topic: String,
        suggestions: Vec<String>,
    },
    /// The text looked like a date but is not a valid one.
    BadDate(String),
}

impl TopicError {
    pub fn message(&self, locale: Locale) -> String {
        match (self, locale) {
            (TopicError::Unknown { topic, suggestions }, Locale::En) if suggestions.is_empty() => {
                let topic = crate::text::quote_input(topic);
                // No names here: they would be one pack's on any other (the suggestions come from the
                // pack in use when there are any).
                format!("No tag, period or entry matches `{topic}`. Try a name that `/search` finds, a year, or leave the topic out.")
            }
            (TopicError::Unknown { topic, suggestions }, Locale::En) => format!(
                "No tag, period or entry matches `{}`. Did you mean {}?",
                crate::text::quote_input(topic),
                quoted(suggestions)
            ),
            (TopicError::Unknown { topic, suggestions }, Locale::Pl) if suggestions.is_empty() => {
                let topic = crate::text::quote_input(topic);
                format!("Żaden tag, okres ani wpis nie pasuje do `{topic}`. Spróbuj nazwy, którą znajduje `/szukaj`, roku albo pomiń temat.")
            }
            (TopicError::Unknown { topic, suggestions }, Locale::Pl) => format!(
                "Żaden tag, okres ani wpis nie pasuje do `{}`. Czy chodziło o {}?",
                crate::text::quote_input(topic),
                quoted(suggestions)
            ),
            (TopicError::BadDate(message), _) => message.clone(),
        }
    }
}

fn quoted(items: &[String]) -> String {
    items
        .iter()
        .map(|s| format!("`{s}`"))
        .collect::<Vec<_>>()
        .join(", ")
}

impl Scope {
    /// Every entry of the base.
    pub fn all() -> Scope {
        Scope::default()
    }

    /// Resolve what the host typed: empty is everything; then a tag, a period, an entry's name.
    pub fn resolve(kb: &KnowledgeBase, topic: &str, locale: Locale) -> Result<Scope, TopicError> {
        let topic = crate::text::clean_input(topic);
        if topic.is_empty() {
            return Ok(Scope::all());
        }
        let wanted = normalize(&topic);
        if let Some((tag, _)) = kb.tags().iter().find(|(_, n)| *n == wanted) {
            let entries = kb
                .entries()
                .iter()
                .filter(|e| e.tags().contains(tag))
                .map(|e| e.id().to_string())
                .collect();
            return Ok(Scope {
                entries: Some(entries),
                label: Some(tag.clone()),
                tag: Some(tag.clone()),
            });
        }
        match dates::parse_user_date(&topic) {
            Err(e) => {
                return Err(TopicError::BadDate(crate::answers::date_message_in(
                    kb, e, locale,
                )))
            }
            Ok(Some(DateQuery::Date(period))) => {
                return Ok(Scope {
                    entries: Some(in_period(kb, &period)),
                    label: Some(period.display(locale)),
                    tag: None,
                })
            }
            Ok(_) => {}
        }
        let kinds = [Kind::Person, Kind::Event, Kind::Topic];
        match kb.find(&topic, &kinds) {
            Outcome::Found(hit) => {
                let entry = kb.entry(hit.entry);
                Ok(Scope {
                    entries: Some(around(kb, entry)),
                    label: Some(entry.name(locale).to_string()),
                    tag: None,
                })
            }
            Outcome::Ambiguous(hits) => Err(TopicError::Unknown {
                topic,
                suggestions: hits
                    .iter()
                    .map(|h| kb.entry(h.entry).name(locale).to_string())
                    .collect(),
            }),
            Outcome::NotFound { nearest } => Err(TopicError::Unknown {
                topic,
                suggestions: nearest
                    .map(|h| kb.entry(h.entry).name(locale).to_string())
                    .into_iter()
                    .collect(),
            }),
        }
    }

    /// Whether questions about this entry may be asked.
    pub fn admits(&self, id: &str) -> bool {
        self.entries.as_ref().is_none_or(|e| e.contains(id))
    }

    /// Whether a hand-written question with this entry and these tags may be asked.
    pub fn admits_tagged(&self, id: &str, tags: &[String]) -> bool {
        self.admits(id) || self.tag.as_ref().is_some_and(|t| tags.contains(t))
    }

    pub fn is_all(&self) -> bool {
        self.entries.is_none()
    }
}

/// Every tag used in the base, sorted.
pub fn all_tags(kb: &KnowledgeBase) -> Vec<String> {
    kb.tags().iter().map(|(t, _)| t.clone()).collect()
}

/// Events within a period, and the people and places they involve.
fn in_period(kb: &KnowledgeBase, period: &HistDate) -> BTreeSet<String> {
    let mut out = BTreeSet::new();
    for e in kb.timeline().filter(|e| e.date.overlaps(period)) {
        out.insert(e.id.clone());
        out.extend(e.people.iter().cloned());
        out.extend(e.places.iter().cloned());
    }
    out
}

/// An entry, what it links to, and what links to it.
fn around(kb: &KnowledgeBase, entry: &Entry) -> BTreeSet<String> {
    let id = entry.id();
    let mut out: BTreeSet<String> = entry.links().iter().map(|s| s.to_string()).collect();
    out.insert(id.to_string());
    for other in kb.entries() {
        if other.links().contains(&id) {
            out.insert(other.id().to_string());
        }
    }
    out
}

/// Autocomplete for the `topic` option: tags first, then entry names, at most 25 `(name, value)`.
pub fn suggest_topics(kb: &KnowledgeBase, partial: &str, locale: Locale) -> Vec<(String, String)> {
    let wanted = normalize(partial);
    let mut out: Vec<(String, String)> = kb
        .tags()
        .iter()
        .filter(|(_, n)| wanted.is_empty() || n.contains(&wanted))
        .map(|(t, _)| {
            let t = t.clone();
            let label = match locale {
                Locale::En => format!("tag: {t}"),
                Locale::Pl => format!("tag: {t}"),
            };
            (label, t)
        })
        .take(10)
        .collect();
    if !wanted.is_empty() {
        for hit in kb.suggest(partial, &[Kind::Event, Kind::Person, Kind::Topic], 25) {
            let name = kb.entry(hit.entry).name(locale).to_string();
            out.push((name.clone(), name));
        }
    }
    let mut seen = BTreeSet::new();
    out.retain(|(n, v)| {
        !n.is_empty() && !v.is_empty() && v.chars().count() <= 100 && seen.insert(v.clone())
    });
    for (n, _) in &mut out {
        *n = crate::text::shorten(n, 100);
    }
    out.truncate(25);
    out
}
