//! The knowledge base as Clio uses it: entries of four kinds, cross-linked by id.

use std::borrow::Cow;
use std::fmt;

use serde::de::{self, Deserializer, MapAccess, Visitor};
use serde::ser::{SerializeMap, Serializer};
use serde::{Deserialize, Serialize};

use crate::dates::HistDate;
use crate::i18n::Locale;

/// Text in several locales; English is always there.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Default)]
pub struct Text(pub Locales);

/// A text's translations by locale code, in code order: a short sorted list, not a map. A text has
/// one to three translations, and a `BTreeMap` of `String`s allocated a node of eleven slots and a
/// string for each code, for each of the hundreds of thousands of texts of a large pack (issue #14).
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Locales(Vec<(Cow<'static, str>, Box<str>)>);

/// The codes Clio speaks, shared instead of allocated for each text.
const KNOWN_CODES: [&str; 2] = ["en", "pl"];

impl Locales {
    /// Set the text for `code`, replacing any it had.
    pub fn insert(&mut self, code: String, text: String) {
        let text = text.into_boxed_str();
        match self.position(&code) {
            Ok(i) => self.0[i].1 = text,
            Err(i) => {
                let code = match KNOWN_CODES.iter().find(|k| **k == code) {
                    Some(known) => Cow::Borrowed(*known),
                    None => Cow::Owned(code),
                };
                self.0.insert(i, (code, text));
            }
        }
    }

    fn position(&self, code: &str) -> Result<usize, usize> {
        self.0.binary_search_by(|(c, _)| c.as_ref().cmp(code))
    }

    pub fn get(&self, code: &str) -> Option<&str> {
        self.position(code).ok().map(|i| &*self.0[i].1)
    }

    pub fn contains_key(&self, code: &str) -> bool {
        self.position(code).is_ok()
    }

    pub fn len(&self) -> usize {
        self.0.len()
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// `(code, text)` in code order.
    pub fn iter(&self) -> LocalesIter<'_> {
        self.0.iter().map(as_pair)
    }

    /// Give back the room the list grew while being read.
    fn shrink_to_fit(&mut self) {
        self.0.shrink_to_fit();
    }

    pub fn keys(&self) -> impl Iterator<Item = &str> {
        self.0.iter().map(|(c, _)| c.as_ref())
    }

    pub fn values(&self) -> impl Iterator<Item = &str> {
        self.0.iter().map(|(_, t)| &**t)
    }
}

fn as_pair<'a>(p: &'a (Cow<'static, str>, Box<str>)) -> (&'a str, &'a str) {
    (&p.0, &p.1)
}

/// `(code, text)` pairs of a [`Locales`], in code order.
pub type LocalesIter<'a> = std::iter::Map<
    std::slice::Iter<'a, (Cow<'static, str>, Box<str>)>,
    fn(&'a (Cow<'static, str>, Box<str>)) -> (&'a str, &'a str),
>;

impl<'a> IntoIterator for &'a Locales {
    type Item = (&'a str, &'a str);
    type IntoIter = LocalesIter<'a>;
    fn into_iter(self) -> LocalesIter<'a> {
        self.iter()
    }
}

impl std::ops::Index<&str> for Locales {
    type Output = str;
    fn index(&self, code: &str) -> &str {
        self.get(code)
            .unwrap_or_else(|| panic!("no text in locale `{code}`"))
    }
}

impl Serialize for Locales {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut map = s.serialize_map(Some(self.0.len()))?;
        for (c, t) in self {
            map.serialize_entry(c, t)?;
        }
        map.end()
    }
}

impl Text {
    pub fn en(s: impl Into<String>) -> Self {
        let mut map = Locales::default();
        map.insert("en".to_string(), s.into());
        Text(map)
    }

    /// The text in `locale`, or English when the entry has no such translation.
    pub fn get(&self, locale: Locale) -> &str {
        self.0
            .get(locale.code())
            .filter(|s| !s.trim().is_empty())
            .or_else(|| self.0.get("en"))
            .unwrap_or("")
    }

    pub fn has(&self, locale: Locale) -> bool {
        self.0
            .get(locale.code())
            .is_some_and(|s| !s.trim().is_empty())
    }

    pub fn values(&self) -> impl Iterator<Item = &str> {
        self.0.values()
    }
}

impl<'de> Deserialize<'de> for Text {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct TextVisitor;
        impl<'de> Visitor<'de> for TextVisitor {
            type Value = Text;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("a string, or a table of strings by locale such as { en = \"...\", pl = \"...\" }")
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<Text, E> {
                Ok(Text::en(v))
            }
            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Text, A::Error> {
                let mut out = Locales::default();
                while let Some((k, v)) = map.next_entry::<String, String>()? {
                    if !is_locale_code(&k) {
                        return Err(de::Error::custom(format!(
                            "`{k}` is not a locale code; use `en`, `pl` or another two-letter code"
                        )));
                    }
                    out.insert(k, v);
                }
                if !out.contains_key("en") {
                    return Err(de::Error::custom(
                        "missing the English text `en` (every text needs it)",
                    ));
                }
                out.shrink_to_fit();
                Ok(Text(out))
            }
        }
        d.deserialize_any(TextVisitor)
    }
}

fn is_locale_code(k: &str) -> bool {
    let (lang, region) = match k.split_once('-') {
        Some((l, r)) => (l, Some(r)),
        None => (k, None),
    };
    lang.len() == 2
        && lang.bytes().all(|b| b.is_ascii_lowercase())
        && region.is_none_or(|r| {
            (2..=3).contains(&r.len()) && r.bytes().all(|b| b.is_ascii_alphabetic())
        })
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Kind {
    Source,
    Person,
    Event,
    Topic,
}

impl Kind {
    pub const ALL: [Kind; 4] = [Kind::Source, Kind::Person, Kind::Event, Kind::Topic];

    pub fn as_str(self) -> &'static str {
        match self {
            Kind::Source => "source",
            Kind::Person => "person",
            Kind::Event => "event",
            Kind::Topic => "topic",
        }
    }

    pub fn plural(self) -> &'static str {
        match self {
            Kind::Source => "sources",
            Kind::Person => "people",
            Kind::Event => "events",
            Kind::Topic => "topics",
        }
    }

    /// `n` entries of this kind in the reader's words: `1 source`, `2 people`, `5 źródeł`.
    pub fn counted(self, n: usize, locale: Locale) -> String {
        let (en, pl) = match self {
            Kind::Source => (("source", "sources"), ("źródło", "źródła", "źródeł")),
            Kind::Person => (("person", "people"), ("osoba", "osoby", "osób")),
            Kind::Event => (
                ("event", "events"),
                ("wydarzenie", "wydarzenia", "wydarzeń"),
            ),
            Kind::Topic => (("topic", "topics"), ("temat", "tematy", "tematów")),
        };
        crate::i18n::counted(locale, n as u64, en, pl)
    }

    pub fn parse(s: &str) -> Option<Kind> {
        match s.trim().to_lowercase().as_str() {
            "source" | "sources" | "zrodlo" | "źródło" => Some(Kind::Source),
            "person" | "people" | "who" | "osoba" | "osoby" => Some(Kind::Person),
            "event" | "events" | "wydarzenie" | "wydarzenia" => Some(Kind::Event),
            "topic" | "topics" | "what" | "temat" | "tematy" => Some(Kind::Topic),
            _ => None,
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Citation {
    pub source: String,
    pub quote: Option<String>,
    pub translation: Option<Text>,
    pub page: Option<String>,
}

#[derive(Debug, Clone)]
pub struct Source {
    pub id: String,
    pub title: String,
    pub author: Option<String>,
    pub kind: String,
    pub language: String,
    pub locator: String,
    pub published: Option<HistDate>,
    pub summary: Option<Text>,
}

#[derive(Debug, Clone)]
pub struct Person {
    pub id: String,
    pub name: Text,
    pub aliases: Vec<String>,
    pub born: Option<HistDate>,
    pub died: Option<HistDate>,
    pub side: Option<String>,
    pub roles: Vec<Text>,
    pub summary: Text,
    pub details: Option<Text>,
    pub events: Vec<String>,
    pub related: Vec<String>,
    pub tags: Vec<String>,
    pub sources: Vec<Citation>,
}

#[derive(Debug, Clone)]
pub struct FigureValue {
    pub value: Text,
    pub source: String,
    pub quote: Option<String>,
}

#[derive(Debug, Clone)]
pub struct Figure {
    pub label: Text,
    pub values: Vec<FigureValue>,
}

impl Figure {
    /// More than one value means the sources disagree, and the card must say so.
    pub fn disputed(&self) -> bool {
        self.values.len() > 1
    }
}

#[derive(Debug, Clone)]
pub struct DateClaim {
    pub date: HistDate,
    pub source: String,
    pub quote: Option<String>,
}

#[derive(Debug, Clone)]
pub struct Event {
    pub id: String,
    pub name: Text,
    pub aliases: Vec<String>,
    pub date: HistDate,
    pub approximate: bool,
    pub disputed_dates: Vec<DateClaim>,
    pub places: Vec<String>,
    pub people: Vec<String>,
    pub summary: Text,
    pub details: Option<Text>,
    pub outcome: Option<Text>,
    pub figures: Vec<Figure>,
    pub related: Vec<String>,
    pub tags: Vec<String>,
    pub sources: Vec<Citation>,
}

#[derive(Debug, Clone)]
pub struct Topic {
    pub id: String,
    pub name: Text,
    pub aliases: Vec<String>,
    pub kind: String,
    pub date: Option<HistDate>,
    pub summary: Text,
    pub details: Option<Text>,
    pub related: Vec<String>,
    pub tags: Vec<String>,
    pub sources: Vec<Citation>,
}

pub const TOPIC_KINDS: [&str; 7] = [
    "treaty",
    "unit",
    "place",
    "organization",
    "concept",
    "document",
    "operation",
];
pub const SOURCE_KINDS: [&str; 7] = [
    "article",
    "encyclopedia",
    "book",
    "memoir",
    "document",
    "website",
    "speech",
];

/// A side a person stood on, as a pack declares it (`[[side]]`): the schema is not tied to one
/// war, so each pack lists its own (`polish`, `soviet`, ... or `teutonic-order`, `lithuania`).
#[derive(Debug, Clone, PartialEq)]
pub struct Side {
    pub id: String,
    pub name: Text,
}

/// One entry of any kind.
#[derive(Debug, Clone)]
pub enum Entry {
    Source(Source),
    Person(Person),
    Event(Event),
    Topic(Topic),
}

impl Entry {
    pub fn id(&self) -> &str {
        match self {
            Entry::Source(s) => &s.id,
            Entry::Person(p) => &p.id,
            Entry::Event(e) => &e.id,
            Entry::Topic(t) => &t.id,
        }
    }

    pub fn kind(&self) -> Kind {
        match self {
            Entry::Source(_) => Kind::Source,
            Entry::Person(_) => Kind::Person,
            Entry::Event(_) => Kind::Event,
            Entry::Topic(_) => Kind::Topic,
        }
    }

    /// The display name in `locale`.
    pub fn name(&self, locale: Locale) -> &str {
        match self {
            Entry::Source(s) => &s.title,
            Entry::Person(p) => p.name.get(locale),
            Entry::Event(e) => e.name.get(locale),
            Entry::Topic(t) => t.name.get(locale),
        }
    }

    /// Every name the entry can be found by: names in all locales, then aliases.
    pub fn search_names(&self) -> Vec<&str> {
        let (names, aliases): (Vec<&str>, &[String]) = match self {
            Entry::Source(s) => (vec![s.title.as_str()], &[]),
            Entry::Person(p) => (p.name.values().collect(), &p.aliases),
            Entry::Event(e) => (e.name.values().collect(), &e.aliases),
            Entry::Topic(t) => (t.name.values().collect(), &t.aliases),
        };
        let mut out = names;
        out.extend(aliases.iter().map(String::as_str));
        out
    }

    pub fn summary(&self) -> Option<&Text> {
        match self {
            Entry::Source(s) => s.summary.as_ref(),
            Entry::Person(p) => Some(&p.summary),
            Entry::Event(e) => Some(&e.summary),
            Entry::Topic(t) => Some(&t.summary),
        }
    }

    pub fn citations(&self) -> &[Citation] {
        match self {
            Entry::Source(_) => &[],
            Entry::Person(p) => &p.sources,
            Entry::Event(e) => &e.sources,
            Entry::Topic(t) => &t.sources,
        }
    }

    /// Every source id the entry relies on: its citations, then the sources of its figures and
    /// disputed dates, without repeats.
    pub fn source_ids(&self) -> Vec<&str> {
        let mut ids: Vec<&str> = self.citations().iter().map(|c| c.source.as_str()).collect();
        if let Entry::Event(e) = self {
            ids.extend(
                e.figures
                    .iter()
                    .flat_map(|f| f.values.iter().map(|v| v.source.as_str())),
            );
            ids.extend(e.disputed_dates.iter().map(|c| c.source.as_str()));
        }
        let mut seen = std::collections::HashSet::new();
        ids.retain(|id| seen.insert(*id));
        ids
    }

    /// Ids of every entry this one links to, in the order a card shows them.
    pub fn links(&self) -> Vec<&str> {
        let mut out: Vec<&str> = Vec::new();
        match self {
            Entry::Source(_) => {}
            Entry::Person(p) => {
                out.extend(p.events.iter().map(String::as_str));
                out.extend(p.related.iter().map(String::as_str));
            }
            Entry::Event(e) => {
                out.extend(e.people.iter().map(String::as_str));
                out.extend(e.places.iter().map(String::as_str));
                out.extend(e.related.iter().map(String::as_str));
            }
            Entry::Topic(t) => out.extend(t.related.iter().map(String::as_str)),
        }
        let mut seen = std::collections::HashSet::new();
        out.retain(|id| seen.insert(*id));
        out
    }

    pub fn tags(&self) -> &[String] {
        match self {
            Entry::Source(_) => &[],
            Entry::Person(p) => &p.tags,
            Entry::Event(e) => &e.tags,
            Entry::Topic(t) => &t.tags,
        }
    }

    /// The date that orders the entry in time, if it has one.
    pub fn date(&self) -> Option<&HistDate> {
        match self {
            Entry::Event(e) => Some(&e.date),
            Entry::Topic(t) => t.date.as_ref(),
            Entry::Person(p) => p.born.as_ref(),
            Entry::Source(s) => s.published.as_ref(),
        }
    }

    pub fn as_event(&self) -> Option<&Event> {
        match self {
            Entry::Event(e) => Some(e),
            _ => None,
        }
    }
}
