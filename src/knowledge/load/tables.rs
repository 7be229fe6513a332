//! The tables of a knowledge file (sources, people, events, topics): their fields as read, and a
//! reader for each kind that checks an entry on its own and gathers it.

use serde::Deserialize;
use toml::Spanned;

use super::checks::{
    check_choice, check_id, check_len, check_text, citations, names, parse_date, refs, RawCitation,
};
use super::{
    Ctx, Gathered, Problems, Reference, SourceFile, MAX_FIGURE_VALUE, MAX_LABEL, MAX_NAME,
    MAX_PARAGRAPH, MAX_SUMMARY,
};
use crate::knowledge::model::*;

pub(super) const SOURCE_FIELDS: &[&str] = &[
    "id",
    "title",
    "author",
    "kind",
    "language",
    "locator",
    "published",
    "summary",
    "calendar",
];
pub(super) const PERSON_FIELDS: &[&str] = &[
    "id", "name", "aliases", "born", "died", "side", "roles", "summary", "details", "events",
    "related", "tags", "sources", "calendar",
];
pub(super) const EVENT_FIELDS: &[&str] = &[
    "id",
    "name",
    "aliases",
    "date",
    "approximate",
    "disputed_dates",
    "places",
    "people",
    "summary",
    "details",
    "outcome",
    "figures",
    "related",
    "tags",
    "sources",
    "calendar",
];
pub(super) const TOPIC_FIELDS: &[&str] = &[
    "id", "name", "aliases", "kind", "date", "summary", "details", "related", "tags", "sources",
    "calendar",
];
pub(super) const SIDE_FIELDS: &[&str] = &["id", "name"];
// `question`: hand-written quiz questions, read by `authored`; `side`: the sides people stood on.
pub(super) const TOP_LEVEL: &[&str] = &["source", "person", "event", "topic", "question", "side"];

pub(super) type S<T> = Spanned<T>;

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct RawSource {
    id: S<String>,
    /// `julian` when the entry's dates are written in the Julian calendar.
    calendar: Option<S<String>>,
    title: S<String>,
    author: Option<String>,
    kind: S<String>,
    language: S<String>,
    locator: S<String>,
    published: Option<S<String>>,
    summary: Option<S<Text>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct RawPerson {
    id: S<String>,
    /// `julian` when the entry's dates are written in the Julian calendar.
    calendar: Option<S<String>>,
    name: S<Text>,
    #[serde(default)]
    aliases: Vec<S<String>>,
    born: Option<S<String>>,
    died: Option<S<String>>,
    side: Option<S<String>>,
    #[serde(default)]
    roles: Vec<S<Text>>,
    summary: S<Text>,
    details: Option<S<Text>>,
    #[serde(default)]
    events: Vec<S<String>>,
    #[serde(default)]
    related: Vec<S<String>>,
    #[serde(default)]
    tags: Vec<String>,
    #[serde(default)]
    sources: Vec<S<RawCitation>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct RawEvent {
    id: S<String>,
    /// `julian` when the entry's dates are written in the Julian calendar.
    calendar: Option<S<String>>,
    name: S<Text>,
    #[serde(default)]
    aliases: Vec<S<String>>,
    date: S<String>,
    #[serde(default)]
    approximate: bool,
    #[serde(default)]
    disputed_dates: Vec<S<RawDateClaim>>,
    #[serde(default)]
    places: Vec<S<String>>,
    #[serde(default)]
    people: Vec<S<String>>,
    summary: S<Text>,
    details: Option<S<Text>>,
    outcome: Option<S<Text>>,
    #[serde(default)]
    figures: Vec<S<RawFigure>>,
    #[serde(default)]
    related: Vec<S<String>>,
    #[serde(default)]
    tags: Vec<String>,
    #[serde(default)]
    sources: Vec<S<RawCitation>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct RawTopic {
    id: S<String>,
    /// `julian` when the entry's dates are written in the Julian calendar.
    calendar: Option<S<String>>,
    name: S<Text>,
    #[serde(default)]
    aliases: Vec<S<String>>,
    kind: S<String>,
    date: Option<S<String>>,
    summary: S<Text>,
    details: Option<S<Text>>,
    #[serde(default)]
    related: Vec<S<String>>,
    #[serde(default)]
    tags: Vec<String>,
    #[serde(default)]
    sources: Vec<S<RawCitation>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawDateClaim {
    date: S<String>,
    source: S<String>,
    quote: Option<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawFigure {
    label: S<Text>,
    values: Vec<S<RawFigureValue>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawFigureValue {
    value: S<Text>,
    source: S<String>,
    quote: Option<String>,
}

pub(super) fn source(
    fi: usize,
    file: &SourceFile,
    r: RawSource,
    g: &mut Gathered,
    problems: &mut Problems,
) {
    let c = Ctx {
        fi,
        file,
        julian: julian(fi, file, &r.calendar, problems),
    };
    check_id(&c, &r.id, problems);
    check_len(
        &c,
        "title",
        r.title.get_ref(),
        MAX_NAME,
        r.title.span().start,
        problems,
    );
    check_choice(&c, "source kind", &r.kind, &SOURCE_KINDS, problems);
    check_len(
        &c,
        "locator",
        r.locator.get_ref(),
        MAX_PARAGRAPH,
        r.locator.span().start,
        problems,
    );
    check_len(
        &c,
        "language",
        r.language.get_ref(),
        10,
        r.language.span().start,
        problems,
    );
    if let Some(s) = &r.summary {
        check_text(&c, "summary", s, MAX_PARAGRAPH, problems);
    }
    let published = r
        .published
        .as_ref()
        .and_then(|d| parse_date(&c, "published", d, problems));
    let offset = r.id.span().start;
    g.push_entry(
        (
            Entry::Source(Source {
                id: r.id.into_inner(),
                title: r.title.into_inner(),
                author: r.author,
                kind: r.kind.into_inner(),
                language: r.language.into_inner(),
                locator: r.locator.into_inner(),
                published,
                summary: r.summary.map(Spanned::into_inner),
            }),
            fi,
            offset,
        ),
        Vec::new(),
    );
}

pub(super) fn person(
    fi: usize,
    file: &SourceFile,
    r: RawPerson,
    g: &mut Gathered,
    problems: &mut Problems,
) {
    let c = Ctx {
        fi,
        file,
        julian: julian(fi, file, &r.calendar, problems),
    };
    check_id(&c, &r.id, problems);
    let (aliases, named) = names(&c, &r.name, &r.aliases, problems);
    check_text(&c, "summary", &r.summary, MAX_SUMMARY, problems);
    if let Some(d) = &r.details {
        check_text(&c, "details", d, MAX_PARAGRAPH, problems);
    }
    for role in &r.roles {
        check_text(&c, "role", role, MAX_LABEL, problems);
    }
    if let Some(side) = &r.side {
        // Checked against the pack's `[[side]]` list once every file is read.
        g.side_uses
            .push((side.get_ref().clone(), fi, side.span().start));
    }
    let born = r
        .born
        .as_ref()
        .and_then(|d| parse_date(&c, "born", d, problems));
    let died = r
        .died
        .as_ref()
        .and_then(|d| parse_date(&c, "died", d, problems));
    if let (Some(b), Some(d)) = (born, died) {
        if d.last_day() < b.first_day() {
            problems.error(
                c.at(r.died.as_ref().map(|d| d.span().start).unwrap_or(0)),
                "died before being born",
            );
        }
    }
    let events = refs(&c, g, &r.events, &[Kind::Event], "events");
    let related = refs(&c, g, &r.related, &[], "related");
    let sources = citations(&c, g, r.sources, r.id.span().start, problems);
    let offset = r.id.span().start;
    g.push_entry(
        (
            Entry::Person(Person {
                id: r.id.into_inner(),
                name: r.name.into_inner(),
                aliases,
                born,
                died,
                side: r.side.map(Spanned::into_inner),
                roles: r.roles.into_iter().map(Spanned::into_inner).collect(),
                summary: r.summary.into_inner(),
                details: r.details.map(Spanned::into_inner),
                events,
                related,
                tags: r.tags,
                sources,
            }),
            fi,
            offset,
        ),
        named,
    );
}

pub(super) fn event(
    fi: usize,
    file: &SourceFile,
    r: RawEvent,
    g: &mut Gathered,
    problems: &mut Problems,
) {
    let c = Ctx {
        fi,
        file,
        julian: julian(fi, file, &r.calendar, problems),
    };
    check_id(&c, &r.id, problems);
    let (aliases, named) = names(&c, &r.name, &r.aliases, problems);
    check_text(&c, "summary", &r.summary, MAX_SUMMARY, problems);
    for (what, t) in [("details", &r.details), ("outcome", &r.outcome)] {
        if let Some(t) = t {
            check_text(&c, what, t, MAX_PARAGRAPH, problems);
        }
    }
    let date = parse_date(&c, "date", &r.date, problems);
    let mut disputed = Vec::new();
    if r.disputed_dates.len() == 1 {
        problems.error(
            c.at(r.disputed_dates[0].span().start),
            "`disputed_dates` needs every claim, at least two, each with its source",
        );
    }
    for claim in r.disputed_dates {
        let claim = claim.into_inner();
        g.refs.push(Reference {
            file: fi,
            offset: claim.source.span().start,
            target: claim.source.get_ref().clone(),
            kinds: &[Kind::Source],
            field: "disputed_dates",
        });
        if let Some(d) = parse_date(&c, "disputed date", &claim.date, problems) {
            disputed.push(DateClaim {
                date: d,
                source: claim.source.into_inner(),
                quote: claim.quote,
            });
        }
    }
    let mut figures = Vec::new();
    for f in r.figures {
        let f_at = f.span().start;
        let f = f.into_inner();
        check_text(&c, "figure label", &f.label, MAX_LABEL, problems);
        if f.values.is_empty() {
            problems.error(
                c.at(f_at),
                "a figure needs at least one value with its source",
            );
        }
        let values = f
            .values
            .into_iter()
            .map(|v| {
                let v = v.into_inner();
                check_text(&c, "figure value", &v.value, MAX_FIGURE_VALUE, problems);
                if let Some(q) = &v.quote {
                    check_len(
                        &c,
                        "quote",
                        q,
                        MAX_PARAGRAPH,
                        v.value.span().start,
                        problems,
                    );
                }
                g.refs.push(Reference {
                    file: fi,
                    offset: v.source.span().start,
                    target: v.source.get_ref().clone(),
                    kinds: &[Kind::Source],
                    field: "figures",
                });
                FigureValue {
                    value: v.value.into_inner(),
                    source: v.source.into_inner(),
                    quote: v.quote,
                }
            })
            .collect();
        figures.push(Figure {
            label: f.label.into_inner(),
            values,
        });
    }
    let places = refs(&c, g, &r.places, &[Kind::Topic], "places");
    let people = refs(&c, g, &r.people, &[Kind::Person], "people");
    let related = refs(&c, g, &r.related, &[], "related");
    let sources = citations(&c, g, r.sources, r.id.span().start, problems);
    let Some(date) = date else { return };
    let offset = r.id.span().start;
    g.push_entry(
        (
            Entry::Event(Event {
                id: r.id.into_inner(),
                name: r.name.into_inner(),
                aliases,
                date,
                approximate: r.approximate,
                disputed_dates: disputed,
                places,
                people,
                summary: r.summary.into_inner(),
                details: r.details.map(Spanned::into_inner),
                outcome: r.outcome.map(Spanned::into_inner),
                figures,
                related,
                tags: r.tags,
                sources,
            }),
            fi,
            offset,
        ),
        named,
    );
}

pub(super) fn topic(
    fi: usize,
    file: &SourceFile,
    r: RawTopic,
    g: &mut Gathered,
    problems: &mut Problems,
) {
    let c = Ctx {
        fi,
        file,
        julian: julian(fi, file, &r.calendar, problems),
    };
    check_id(&c, &r.id, problems);
    let (aliases, named) = names(&c, &r.name, &r.aliases, problems);
    check_text(&c, "summary", &r.summary, MAX_SUMMARY, problems);
    if let Some(d) = &r.details {
        check_text(&c, "details", d, MAX_PARAGRAPH, problems);
    }
    check_choice(&c, "topic kind", &r.kind, &TOPIC_KINDS, problems);
    let date = r
        .date
        .as_ref()
        .and_then(|d| parse_date(&c, "date", d, problems));
    let related = refs(&c, g, &r.related, &[], "related");
    let sources = citations(&c, g, r.sources, r.id.span().start, problems);
    let offset = r.id.span().start;
    g.push_entry(
        (
            Entry::Topic(Topic {
                id: r.id.into_inner(),
                name: r.name.into_inner(),
                aliases,
                kind: r.kind.into_inner(),
                date,
                summary: r.summary.into_inner(),
                details: r.details.map(Spanned::into_inner),
                related,
                tags: r.tags,
                sources,
            }),
            fi,
            offset,
        ),
        named,
    );
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct RawSide {
    id: S<String>,
    name: S<Text>,
}

/// A side people stood on, declared by the pack.
pub(super) fn side(
    fi: usize,
    file: &SourceFile,
    r: RawSide,
    g: &mut Gathered,
    problems: &mut Problems,
) {
    let c = Ctx {
        fi,
        file,
        julian: false,
    };
    check_id(&c, &r.id, problems);
    check_text(&c, "name", &r.name, MAX_LABEL, problems);
    let offset = r.id.span().start;
    g.sides.push((
        Side {
            id: r.id.into_inner(),
            name: r.name.into_inner(),
        },
        fi,
        offset,
    ));
}

/// Whether an entry's dates are Julian: `calendar = "julian"`; `gregorian` (the default) or no
/// `calendar` means the proleptic Gregorian calendar.
fn julian(
    fi: usize,
    file: &SourceFile,
    calendar: &Option<S<String>>,
    problems: &mut Problems,
) -> bool {
    let Some(calendar) = calendar else {
        return false;
    };
    let c = Ctx {
        fi,
        file,
        julian: false,
    };
    check_choice(&c, "calendar", calendar, &["gregorian", "julian"], problems);
    calendar.get_ref() == "julian"
}
