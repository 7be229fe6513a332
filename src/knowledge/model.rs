//! The knowledge base as Clio uses it: entries of four kinds, cross-linked by id.

use std::fmt;

use serde::de::{self, Deserializer, MapAccess, Visitor};
use serde::{Deserialize, Serialize};

use crate::dates::HistDate;
use crate::i18n::Locale;

pub use super::locales::{Locales, LocalesIter};

/// Text in several locales; English is always there.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Default)]
pub struct Text(pub Locales);

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
            .filter(|s| !blank(s))
            .or_else(|| self.0.get("en"))
            .unwrap_or("")
    }

    pub fn has(&self, locale: Locale) -> bool {
        self.0.get(locale.code()).is_some_and(|s| !blank(s))
    }

    pub fn values(&self) -> impl Iterator<Item = &str> {
        self.0.values()
    }
}

/// Nothing but white space: a text that starts with a visible ASCII character is not (the
/// usual case, without trimming it).
fn blank(s: &str) -> bool {
    match s.as_bytes().first() {
        Some(b) if b.is_ascii_graphic() => false,
        _ => s.trim().is_empty(),
    }
}

/// A string borrowed from the file's text where it can be (most are), instead of a copy each.
struct Borrowed<'de>(std::borrow::Cow<'de, str>);

impl<'de> Deserialize<'de> for Borrowed<'de> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct StrVisitor;
        impl<'de> Visitor<'de> for StrVisitor {
            type Value = Borrowed<'de>;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("a string")
            }
            fn visit_borrowed_str<E: de::Error>(self, v: &'de str) -> Result<Self::Value, E> {
                Ok(Borrowed(v.into()))
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<Self::Value, E> {
                Ok(Borrowed(v.to_owned().into()))
            }
            fn visit_string<E: de::Error>(self, v: String) -> Result<Self::Value, E> {
                Ok(Borrowed(v.into()))
            }
        }
        d.deserialize_str(StrVisitor)
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
                let mut pairs: Vec<(std::borrow::Cow<str>, std::borrow::Cow<str>)> =
                    Vec::with_capacity(2);
                while let Some((Borrowed(k), Borrowed(v))) =
                    map.next_entry::<Borrowed, Borrowed>()?
                {
                    if !is_locale_code(&k) {
                        return Err(de::Error::custom(format!(
                            "`{k}` is not a locale code; use `en`, `pl` or another two-letter code"
                        )));
                    }
                    match pairs.binary_search_by(|(c, _)| c.as_ref().cmp(k.as_ref())) {
                        Ok(i) => pairs[i].1 = v,
                        Err(i) => pairs.insert(i, (k, v)),
                    }
                }
                if !pairs.iter().any(|(c, _)| c == "en") {
                    return Err(de::Error::custom(
                        "missing the English text `en` (every text needs it)",
                    ));
                }
                let pairs: Vec<(&str, &str)> = pairs
                    .iter()
                    .map(|(c, t)| (c.as_ref(), t.as_ref()))
                    .collect();
                Ok(Text(Locales::from_sorted(&pairs)))
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

#[derive(Debug, Clone, PartialEq)]
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

#[derive(Debug, Clone, PartialEq)]
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

#[derive(Debug, Clone, PartialEq)]
pub struct FigureValue {
    pub value: Text,
    pub source: String,
    pub quote: Option<String>,
}

#[derive(Debug, Clone, PartialEq)]
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

#[derive(Debug, Clone, PartialEq)]
pub struct DateClaim {
    pub date: HistDate,
    pub source: String,
    pub quote: Option<String>,
}

#[derive(Debug, Clone, PartialEq)]
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

#[derive(Debug, Clone, PartialEq)]
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

/// One entry of any kind. (Two are equal when everything they say is: a reload keeps the entries
/// it finds unchanged, see [`super::KnowledgeBase::entries`].)
#[derive(Debug, Clone, PartialEq)]
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
        crate::text::keep_first(&mut ids, |id| *id);
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
        crate::text::keep_first(&mut out, |id| *id);
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

#[cfg(test)]
mod tests {
    use super::*;

    fn text(toml_value: &str) -> Text {
        #[derive(Deserialize)]
        struct One {
            t: Text,
        }
        toml::from_str::<One>(&format!("t = {toml_value}"))
            .expect("a text")
            .t
    }

    #[test]
    fn translations_are_kept_in_code_order_and_equal_ones_share_their_bytes() {
        let name = text(r#"{ pl = "Władysław Anders", en = "Władysław Anders" }"#);
        let pairs: Vec<(&str, &str)> = name.0.iter().collect();
        assert_eq!(
            pairs,
            [("en", "Władysław Anders"), ("pl", "Władysław Anders")]
        );
        // The words are there once: the header and one copy.
        assert_eq!(name.0 .0.matches("Anders").count(), 1);
        assert_eq!(name.get(Locale::Pl), "Władysław Anders");

        let summary =
            text(r#"{ en = "A general.", pl = "Generał.", de-AT = "Ein General: ja; 1,2" }"#);
        assert_eq!(summary.0.len(), 3);
        assert_eq!(summary.0.get("de-AT"), Some("Ein General: ja; 1,2"));
        assert_eq!(summary.0.get("en"), Some("A general."));
        assert_eq!(summary.0.get("pl"), Some("Generał."));
        assert_eq!(summary.0.get("fr"), None);
        assert_eq!(summary.0.keys().collect::<Vec<_>>(), ["de-AT", "en", "pl"]);
        assert_eq!(
            format!("{:?}", summary.0),
            r#"{"de-AT": "Ein General: ja; 1,2", "en": "A general.", "pl": "Generał."}"#
        );
        assert_eq!(
            serde_json::to_string(&summary).unwrap(),
            r#"{"de-AT":"Ein General: ja; 1,2","en":"A general.","pl":"Generał."}"#
        );

        // Built in any order, by insert or read, the same translations are equal values.
        let mut built = Text::en("Generał.");
        built.0.insert("pl".into(), "Generał.".into());
        built.0.insert("en".into(), "A general.".into());
        built
            .0
            .insert("de-AT".into(), "Ein General: ja; 1,2".into());
        assert_eq!(built, summary);
        built.0.insert("pl".into(), "Generał broni.".into());
        assert_ne!(built, summary);
        assert_eq!(built.get(Locale::Pl), "Generał broni.");
        assert_eq!(built.0.len(), 3);

        assert!(Locales::default().is_empty());
        assert_eq!(Locales::default().get("en"), None);
        assert_eq!(text(r#""Only English""#).0.len(), 1);
        assert_eq!(text(r#"{ en = "", pl = "" }"#).0.get("pl"), Some(""));
    }
}
