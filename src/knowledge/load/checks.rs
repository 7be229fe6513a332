//! Checks shared by the table readers: ids, lengths, texts, dates, references, citations, names
//! and fixed choices.

use serde::Deserialize;

use super::tables::S;
use super::{
    Ctx, Gathered, Named, Problems, Reference, MAX_ALIAS, MAX_ID, MAX_NAME, MAX_PARAGRAPH,
};
use crate::dates::HistDate;
use crate::knowledge::model::*;

/// A citation as written: a source id (`"moscow-pact"`), or a table with the id and a quote.
pub(super) enum RawCitation {
    Id(String),
    Full(RawCitationTable),
}

// By hand rather than `#[serde(untagged)]`, which buffers every value before trying each form:
// a string is an id, a table is read with its own fields' errors (an unknown field named).
impl<'de> Deserialize<'de> for RawCitation {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl<'de> serde::de::Visitor<'de> for V {
            type Value = RawCitation;
            fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
                f.write_str("a source id, or a table such as { id = \"...\", quote = \"...\" }")
            }
            fn visit_str<E: serde::de::Error>(self, v: &str) -> Result<RawCitation, E> {
                Ok(RawCitation::Id(v.to_string()))
            }
            fn visit_string<E: serde::de::Error>(self, v: String) -> Result<RawCitation, E> {
                Ok(RawCitation::Id(v))
            }
            fn visit_map<A: serde::de::MapAccess<'de>>(
                self,
                map: A,
            ) -> Result<RawCitation, A::Error> {
                RawCitationTable::deserialize(serde::de::value::MapAccessDeserializer::new(map))
                    .map(RawCitation::Full)
            }
        }
        d.deserialize_any(V)
    }
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct RawCitationTable {
    id: String,
    quote: Option<String>,
    translation: Option<Text>,
    page: Option<String>,
}

pub(super) fn check_id(c: &Ctx, id: &S<String>, problems: &mut Problems) {
    let s = id.get_ref();
    let valid = !s.is_empty()
        && s.len() <= MAX_ID
        && s.bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
        && !s.starts_with('-');
    if !valid {
        problems.error(
            c.at(id.span().start),
            format!(
                "id `{s}` must be 1-{MAX_ID} lowercase ASCII letters, digits and hyphens (e.g. `wladyslaw-anders`)"
            ),
        );
    }
}

pub(super) fn check_len(
    c: &Ctx,
    what: &str,
    text: &str,
    max: usize,
    offset: usize,
    problems: &mut Problems,
) {
    let n = text.chars().count();
    if n > max {
        problems.error(
            c.at(offset),
            format!(
                "{what} is {n} characters, more than the {max} that fit a Discord card; shorten it"
            ),
        );
    }
    if text.trim().is_empty() {
        problems.error(c.at(offset), format!("{what} is empty"));
    }
}

pub(super) fn check_text(c: &Ctx, what: &str, text: &S<Text>, max: usize, problems: &mut Problems) {
    for (locale, s) in &text.get_ref().0 {
        // The label is written only for a text that has a problem.
        if !s.trim().is_empty() && s.len() <= max {
            continue; // never more characters than bytes
        }
        check_len(
            c,
            &format!("{what} ({locale})"),
            s,
            max,
            text.span().start,
            problems,
        );
    }
}

pub(super) fn parse_date(
    c: &Ctx,
    what: &str,
    raw: &S<String>,
    problems: &mut Problems,
) -> Option<HistDate> {
    match HistDate::parse_canonical_in(raw.get_ref(), c.julian) {
        Ok(d) => Some(d),
        Err(e) => {
            let detail = match e.problem {
                crate::dates::DateProblem::Unreadable => format!(
                    "{what} `{}` is not a date: write a day `YYYY-MM-DD`, a month `YYYY-MM`, a year `YYYY` or a range of these joined by `..` (`-44` is 44 BC; a final `J` marks a Julian date: `1400-02-29J`)",
                    raw.get_ref()
                ),
                _ => format!("{what}: {}", e.message(crate::i18n::Locale::En)),
            };
            problems.error(c.at(raw.span().start), detail);
            None
        }
    }
}

pub(super) fn refs(
    c: &Ctx,
    g: &mut Gathered,
    ids: &[S<String>],
    kinds: &'static [Kind],
    field: &'static str,
) -> Vec<String> {
    for id in ids {
        g.refs.push(Reference {
            file: c.fi,
            offset: id.span().start,
            target: id.get_ref().clone(),
            kinds,
            field,
        });
    }
    ids.iter().map(|s| s.get_ref().clone()).collect()
}

pub(super) fn citations(
    c: &Ctx,
    g: &mut Gathered,
    raw: Vec<S<RawCitation>>,
    entry_at: usize,
    problems: &mut Problems,
) -> Vec<Citation> {
    if raw.is_empty() {
        problems.error(
            c.at(entry_at),
            "no source: every entry must cite at least one source in `sources`",
        );
    }
    raw.into_iter()
        .map(|s| {
            let offset = s.span().start;
            let cit = match s.into_inner() {
                RawCitation::Id(id) => Citation {
                    source: id,
                    quote: None,
                    translation: None,
                    page: None,
                },
                RawCitation::Full(t) => Citation {
                    source: t.id,
                    quote: t.quote,
                    translation: t.translation,
                    page: t.page,
                },
            };
            if let Some(q) = &cit.quote {
                check_len(c, "quote", q, MAX_PARAGRAPH, offset, problems);
            }
            if let Some(t) = &cit.translation {
                for (loc, s) in &t.0 {
                    check_len(
                        c,
                        &format!("quote translation ({loc})"),
                        s,
                        MAX_PARAGRAPH,
                        offset,
                        problems,
                    );
                }
            }
            g.refs.push(Reference {
                file: c.fi,
                offset,
                target: cit.source.clone(),
                kinds: &[Kind::Source],
                field: "sources",
            });
            cit
        })
        .collect()
}

/// Check an entry's name and aliases: the aliases to keep, and the names for the shared-name
/// warning, gathered with the entry ([`Gathered::push_entry`]).
pub(super) fn names(
    c: &Ctx,
    name: &S<Text>,
    aliases: &[S<String>],
    problems: &mut Problems,
) -> (Vec<String>, Vec<Named>) {
    check_text(c, "name", name, MAX_NAME, problems);
    for a in aliases {
        check_len(c, "alias", a.get_ref(), MAX_ALIAS, a.span().start, problems);
    }
    // The entry's own names, normalized once each (a handful: a Vec beats a set here); a name
    // written alike in both languages, or an alias written as a name, is gathered once: it can
    // be shared only with another entry.
    let mut own: Vec<String> = Vec::new();
    let mut named = Vec::new();
    let written = (name.get_ref().values().map(|n| (n, name.span().start))).chain(
        aliases
            .iter()
            .map(|a| (a.get_ref().as_str(), a.span().start)),
    );
    for (text, offset) in written {
        let norm = crate::search::normalize(text);
        if !own.contains(&norm) {
            own.push(norm.clone());
            named.push(Named {
                normalized: norm,
                file: c.fi as u32,
                offset,
                // (Given when the entry is gathered.)
                entry: 0,
            });
        }
    }
    (aliases.iter().map(|a| a.get_ref().clone()).collect(), named)
}

pub(super) fn check_choice(
    c: &Ctx,
    what: &str,
    value: &S<String>,
    allowed: &[&str],
    problems: &mut Problems,
) {
    if !allowed.contains(&value.get_ref().as_str()) {
        problems.error(
            c.at(value.span().start),
            format!(
                "{what} `{}` is not one of {}",
                value.get_ref(),
                allowed
                    .iter()
                    .map(|s| format!("`{s}`"))
                    .collect::<Vec<_>>()
                    .join(", ")
            ),
        );
    }
}
