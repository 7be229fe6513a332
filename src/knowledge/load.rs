//! Reading and validating knowledge files.
//!
//! A knowledge author fixes problems in batches, so the loader never stops at the first one: every
//! file is parsed, every entry is checked on its own, and every problem is reported with the
//! `file:line:column` where it sits. Only when no error remains does a [`KnowledgeBase`] come out.

use std::collections::{HashMap, HashSet};
use std::fmt;
use std::path::{Path, PathBuf};

use serde::Deserialize;
use toml::de::{DeTable, DeValue, ValueDeserializer};
use toml::Spanned;

use super::model::*;
use super::KnowledgeBase;
use crate::dates::HistDate;

/// How bad a problem is: errors stop a base from loading, warnings do not.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Severity {
    Warning,
    Error,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Problem {
    pub file: String,
    pub line: usize,
    pub column: usize,
    pub severity: Severity,
    pub message: String,
}

impl fmt::Display for Problem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let level = match self.severity {
            Severity::Warning => "warning: ",
            Severity::Error => "",
        };
        write!(
            f,
            "{}:{}:{}: {level}{}",
            self.file, self.line, self.column, self.message
        )
    }
}

/// The outcome of loading: a base when there were no errors, and every problem found.
pub struct LoadReport {
    pub base: Option<KnowledgeBase>,
    pub problems: Vec<Problem>,
}

impl LoadReport {
    /// Print every problem of a load, and the counts; true when there were no errors.
    pub fn print(&self, out: &mut impl std::io::Write, err: &mut impl std::io::Write) -> bool {
        for p in &self.problems {
            let _ = writeln!(err, "{p}");
        }
        let errors = self.errors().count();
        let warnings = self.warnings().count();
        if let Some(kb) = &self.base {
            let counts: Vec<String> = Kind::ALL
                .iter()
                .map(|k| format!("{} {}", kb.count(*k), k.plural()))
                .collect();
            let _ = writeln!(
                out,
                "ok: {} ({} entries), {} quiz questions; {warnings} warning(s)",
                counts.join(", "),
                kb.entries().len(),
                kb.questions().len()
            );
        } else {
            let _ = writeln!(
                err,
                "{errors} error(s), {warnings} warning(s): the knowledge base was not loaded"
            );
        }
        !self.has_errors()
    }

    pub fn errors(&self) -> impl Iterator<Item = &Problem> {
        self.problems
            .iter()
            .filter(|p| p.severity == Severity::Error)
    }

    pub fn warnings(&self) -> impl Iterator<Item = &Problem> {
        self.problems
            .iter()
            .filter(|p| p.severity == Severity::Warning)
    }

    pub fn has_errors(&self) -> bool {
        self.errors().next().is_some()
    }
}

// Limits that keep every card inside Discord's embed limits (title 256, field value 1024,
// description 4096, 6000 across a message), leaving room for labels and decorations.
pub const MAX_NAME: usize = 200;
pub const MAX_ALIAS: usize = 100;
pub const MAX_SUMMARY: usize = 3000;
pub const MAX_PARAGRAPH: usize = 1000;
pub const MAX_LABEL: usize = 200;
pub const MAX_FIGURE_VALUE: usize = 300;
pub const MAX_ID: usize = 40;

const SOURCE_FIELDS: &[&str] = &[
    "id",
    "title",
    "author",
    "kind",
    "language",
    "locator",
    "published",
    "summary",
];
const PERSON_FIELDS: &[&str] = &[
    "id", "name", "aliases", "born", "died", "side", "roles", "summary", "details", "events",
    "related", "tags", "sources",
];
const EVENT_FIELDS: &[&str] = &[
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
];
const TOPIC_FIELDS: &[&str] = &[
    "id", "name", "aliases", "kind", "date", "summary", "details", "related", "tags", "sources",
];
// `question`: hand-written quiz questions, read by `authored`.
const TOP_LEVEL: &[&str] = &["source", "person", "event", "topic", "question"];

type S<T> = Spanned<T>;

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawSource {
    id: S<String>,
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
struct RawPerson {
    id: S<String>,
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
struct RawEvent {
    id: S<String>,
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
struct RawTopic {
    id: S<String>,
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
#[serde(untagged)]
enum RawCitation {
    Id(String),
    Full(RawCitationTable),
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawCitationTable {
    id: String,
    quote: Option<String>,
    translation: Option<Text>,
    page: Option<String>,
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

/// A span in one file, to report problems where they are.
#[derive(Clone, Copy)]
struct At<'a> {
    file: &'a SourceFile,
    offset: usize,
}

struct SourceFile {
    display: String,
    text: String,
    line_starts: Vec<usize>,
}

impl SourceFile {
    fn new(display: String, text: String) -> Self {
        let mut line_starts = vec![0];
        line_starts.extend(text.match_indices('\n').map(|(i, _)| i + 1));
        Self {
            display,
            text,
            line_starts,
        }
    }

    fn line_col(&self, offset: usize) -> (usize, usize) {
        let offset = offset.min(self.text.len());
        let line = self.line_starts.partition_point(|&s| s <= offset) - 1;
        let start = self.line_starts[line];
        let col = self
            .text
            .get(start..offset)
            .map(|s| s.chars().count())
            .unwrap_or(offset - start)
            + 1;
        (line + 1, col)
    }
}

#[derive(Default)]
struct Problems(Vec<Problem>);

impl Problems {
    fn push(&mut self, at: At, severity: Severity, message: impl Into<String>) {
        let (line, column) = at.file.line_col(at.offset);
        self.0.push(Problem {
            file: at.file.display.clone(),
            line,
            column,
            severity,
            message: message.into(),
        });
    }
    fn error(&mut self, at: At, message: impl Into<String>) {
        self.push(at, Severity::Error, message)
    }
    fn warning(&mut self, at: At, message: impl Into<String>) {
        self.push(at, Severity::Warning, message)
    }
}

/// An id reference waiting to be checked once every file is read.
struct Reference {
    file: usize,
    offset: usize,
    target: String,
    /// The kinds it may point at; empty means any kind.
    kinds: &'static [Kind],
    field: &'static str,
}

/// Everything gathered from the files before cross-checks.
#[derive(Default)]
struct Gathered {
    entries: Vec<(Entry, usize, usize)>, // entry, file index, offset of its id
    refs: Vec<Reference>,
    /// Aliases and names per entry, for the shared-alias warning: (normalized, file, offset, entry id).
    names: Vec<(String, usize, usize, String)>,
    /// Hand-written quiz questions, and every question id with its file index and offset.
    questions: Vec<super::authored::AuthoredQuestion>,
    question_ids: Vec<(String, usize, usize)>,
}

/// Load every `.toml` file under `dir` (recursively) as one knowledge base.
pub fn load_dir(dir: &Path) -> LoadReport {
    let mut paths = Vec::new();
    let mut problems = Problems::default();
    if let Err(e) = collect_toml_files(dir, &mut paths) {
        problems.0.push(Problem {
            file: dir.display().to_string(),
            line: 1,
            column: 1,
            severity: Severity::Error,
            message: format!("cannot read the knowledge directory: {e}"),
        });
        return LoadReport {
            base: None,
            problems: problems.0,
        };
    }
    paths.sort();
    let mut files = Vec::new();
    for path in &paths {
        let display = display_path(dir, path);
        match std::fs::read_to_string(path) {
            Ok(text) => files.push(SourceFile::new(display, text)),
            Err(e) => problems.0.push(Problem {
                file: display,
                line: 1,
                column: 1,
                severity: Severity::Error,
                message: format!("cannot read file: {e}"),
            }),
        }
    }
    if files.is_empty() && problems.0.is_empty() {
        problems.0.push(Problem {
            file: dir.display().to_string(),
            line: 1,
            column: 1,
            severity: Severity::Error,
            message: "no .toml files here: is this the knowledge directory?".into(),
        });
    }
    let mut report = load_files(files);
    problems.0.append(&mut report.problems);
    report.problems = problems.0;
    if report.has_errors() {
        report.base = None;
    }
    report
}

/// Load knowledge from in-memory files `(name, text)`, as if they were files of one directory.
pub fn load_texts(files: &[(&str, &str)]) -> LoadReport {
    load_files(
        files
            .iter()
            .map(|(n, t)| SourceFile::new(n.to_string(), t.to_string()))
            .collect(),
    )
}

fn display_path(dir: &Path, path: &Path) -> String {
    // Paths as the author would type them: the directory as given, then the file inside it.
    let rel = path.strip_prefix(dir).unwrap_or(path);
    dir.join(rel).display().to_string()
}

fn collect_toml_files(dir: &Path, out: &mut Vec<PathBuf>) -> std::io::Result<()> {
    for entry in std::fs::read_dir(dir)? {
        let entry = entry?;
        let path = entry.path();
        let name = entry.file_name();
        if name.to_string_lossy().starts_with('.') {
            continue;
        }
        if entry.file_type()?.is_dir() {
            collect_toml_files(&path, out)?;
        } else if path.extension().is_some_and(|e| e == "toml") {
            out.push(path);
        }
    }
    Ok(())
}

fn load_files(files: Vec<SourceFile>) -> LoadReport {
    let mut problems = Problems::default();
    let mut gathered = Gathered::default();
    for (fi, file) in files.iter().enumerate() {
        read_file(fi, file, &mut gathered, &mut problems);
    }
    cross_check(&files, &gathered, &mut problems);
    let has_errors = problems.0.iter().any(|p| p.severity == Severity::Error);
    let problems_sorted = {
        let mut p = problems.0;
        p.sort_by(|a, b| (&a.file, a.line, a.column).cmp(&(&b.file, b.line, b.column)));
        p
    };
    let base = if has_errors {
        None
    } else {
        Some(
            KnowledgeBase::new(gathered.entries.into_iter().map(|(e, _, _)| e).collect())
                .with_questions(gathered.questions),
        )
    };
    LoadReport {
        base,
        problems: problems_sorted,
    }
}

fn read_file(fi: usize, file: &SourceFile, g: &mut Gathered, problems: &mut Problems) {
    let (root, errors) = DeTable::parse_recoverable(&file.text);
    for e in &errors {
        let offset = e.span().map(|s| s.start).unwrap_or(0);
        problems.error(
            At { file, offset },
            format!("TOML syntax: {}", first_line(e.message())),
        );
    }
    if !errors.is_empty() {
        // Entries after a syntax error are unreliable; report only the syntax.
        return;
    }
    for (key, value) in root.get_ref().iter() {
        let at = At {
            file,
            offset: key.span().start,
        };
        let name = key.get_ref().as_ref();
        if !TOP_LEVEL.contains(&name) {
            problems.error(
                at,
                format!(
                    "unknown section `{name}`, expected one of {} (as [[source]], [[person]], ...)",
                    TOP_LEVEL
                        .iter()
                        .map(|s| format!("`{s}`"))
                        .collect::<Vec<_>>()
                        .join(", ")
                ),
            );
            continue;
        }
        let Some(items) = value.get_ref().as_array() else {
            problems.error(
                at,
                format!("`{name}` must be an array of tables: write each entry as [[{name}]]"),
            );
            continue;
        };
        for item in items.iter() {
            let item_at = At {
                file,
                offset: item.span().start,
            };
            let Some(table) = item.get_ref().as_table() else {
                problems.error(item_at, format!("each `{name}` must be a table"));
                continue;
            };
            let expected = match name {
                "source" => SOURCE_FIELDS,
                "person" => PERSON_FIELDS,
                "event" => EVENT_FIELDS,
                "question" => crate::knowledge::authored::QUESTION_FIELDS,
                _ => TOPIC_FIELDS,
            };
            // Report every unknown field of the entry, then read the rest without them.
            let mut cleaned = DeTable::new();
            let mut unknown = Vec::new();
            for (k, v) in table.iter() {
                if expected.contains(&k.get_ref().as_ref()) {
                    cleaned.insert(k.clone(), v.clone());
                } else {
                    unknown.push((k.get_ref().to_string(), k.span().start));
                }
            }
            for (k, offset) in &unknown {
                let suggestion = expected
                    .iter()
                    .filter(|e| strsim::damerau_levenshtein(e, k) <= 2)
                    .map(|e| format!(" (did you mean `{e}`?)"))
                    .next()
                    .unwrap_or_default();
                problems.error(
                    At {
                        file,
                        offset: *offset,
                    },
                    format!(
                        "unknown field `{k}` in {name}{suggestion}, expected one of {}",
                        expected
                            .iter()
                            .map(|s| format!("`{s}`"))
                            .collect::<Vec<_>>()
                            .join(", ")
                    ),
                );
            }
            let value = Spanned::new(item.span(), DeValue::Table(cleaned));
            let result = match name {
                "source" => RawSource::deserialize(ValueDeserializer::from(value))
                    .map(|r| source(fi, file, r, g, problems)),
                "person" => RawPerson::deserialize(ValueDeserializer::from(value))
                    .map(|r| person(fi, file, r, g, problems)),
                "event" => RawEvent::deserialize(ValueDeserializer::from(value))
                    .map(|r| event(fi, file, r, g, problems)),
                "question" => crate::knowledge::authored::read(value)
                    .map(|r| hand_question(fi, file, r, g, problems)),
                _ => RawTopic::deserialize(ValueDeserializer::from(value))
                    .map(|r| topic(fi, file, r, g, problems)),
            };
            if let Err(e) = result {
                let offset = e.span().map(|s| s.start).unwrap_or(item.span().start);
                problems.error(
                    At { file, offset },
                    format!("in {name}: {}", first_line(e.message())),
                );
            }
        }
    }
}

fn first_line(s: &str) -> String {
    s.lines().next().unwrap_or(s).trim().to_string()
}

struct Ctx<'a> {
    fi: usize,
    file: &'a SourceFile,
}

impl Ctx<'_> {
    fn at(&self, offset: usize) -> At<'_> {
        At {
            file: self.file,
            offset,
        }
    }
}

fn check_id(c: &Ctx, id: &S<String>, problems: &mut Problems) {
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

fn check_len(c: &Ctx, what: &str, text: &str, max: usize, offset: usize, problems: &mut Problems) {
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

fn check_text(c: &Ctx, what: &str, text: &S<Text>, max: usize, problems: &mut Problems) {
    for (locale, s) in &text.get_ref().0 {
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

fn parse_date(c: &Ctx, what: &str, raw: &S<String>, problems: &mut Problems) -> Option<HistDate> {
    match HistDate::parse_canonical(raw.get_ref()) {
        Ok(d) => Some(d),
        Err(e) => {
            let detail = match e.problem {
                crate::dates::DateProblem::Unreadable => format!(
                    "{what} `{}` is not a date: write `1939-09-17`, `1939-09`, `1939` or a range `1939-09-17..1939-09-20`",
                    raw.get_ref()
                ),
                _ => format!("{what}: {}", e.message(crate::i18n::Locale::En)),
            };
            problems.error(c.at(raw.span().start), detail);
            None
        }
    }
}

fn refs(
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

fn citations(
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

fn names(
    c: &Ctx,
    g: &mut Gathered,
    id: &str,
    name: &S<Text>,
    aliases: &[S<String>],
    problems: &mut Problems,
) -> Vec<String> {
    check_text(c, "name", name, MAX_NAME, problems);
    for n in name.get_ref().values() {
        g.names.push((
            crate::search::normalize(n),
            c.fi,
            name.span().start,
            id.to_string(),
        ));
    }
    let mut own = HashSet::new();
    for n in name.get_ref().values() {
        own.insert(crate::search::normalize(n));
    }
    for a in aliases {
        check_len(c, "alias", a.get_ref(), MAX_ALIAS, a.span().start, problems);
        let norm = crate::search::normalize(a.get_ref());
        if own.insert(norm.clone()) {
            g.names.push((norm, c.fi, a.span().start, id.to_string()));
        }
    }
    aliases.iter().map(|a| a.get_ref().clone()).collect()
}

fn check_choice(c: &Ctx, what: &str, value: &S<String>, allowed: &[&str], problems: &mut Problems) {
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

fn source(fi: usize, file: &SourceFile, r: RawSource, g: &mut Gathered, problems: &mut Problems) {
    let c = Ctx { fi, file };
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
    g.entries.push((
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
    ));
}

fn person(fi: usize, file: &SourceFile, r: RawPerson, g: &mut Gathered, problems: &mut Problems) {
    let c = Ctx { fi, file };
    check_id(&c, &r.id, problems);
    let aliases = names(&c, g, r.id.get_ref(), &r.name, &r.aliases, problems);
    check_text(&c, "summary", &r.summary, MAX_SUMMARY, problems);
    if let Some(d) = &r.details {
        check_text(&c, "details", d, MAX_PARAGRAPH, problems);
    }
    for role in &r.roles {
        check_text(&c, "role", role, MAX_LABEL, problems);
    }
    if let Some(side) = &r.side {
        check_choice(&c, "side", side, &SIDES, problems);
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
    g.entries.push((
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
    ));
}

fn event(fi: usize, file: &SourceFile, r: RawEvent, g: &mut Gathered, problems: &mut Problems) {
    let c = Ctx { fi, file };
    check_id(&c, &r.id, problems);
    let aliases = names(&c, g, r.id.get_ref(), &r.name, &r.aliases, problems);
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
    g.entries.push((
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
    ));
}

fn topic(fi: usize, file: &SourceFile, r: RawTopic, g: &mut Gathered, problems: &mut Problems) {
    let c = Ctx { fi, file };
    check_id(&c, &r.id, problems);
    let aliases = names(&c, g, r.id.get_ref(), &r.name, &r.aliases, problems);
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
    g.entries.push((
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
    ));
}

// ---- quiz questions (read by `authored`; the reader owns the checks, this places them)

fn hand_question(
    fi: usize,
    file: &SourceFile,
    read: crate::knowledge::authored::AuthoredRead,
    g: &mut Gathered,
    problems: &mut Problems,
) {
    for (at, message) in read.problems {
        problems.error(At { file, offset: at }, message);
    }
    for r in read.refs {
        g.refs.push(Reference {
            file: fi,
            offset: r.offset,
            target: r.target,
            kinds: r.kinds,
            field: r.field,
        });
    }
    if let Some((id, offset)) = read.id {
        g.question_ids.push((id, fi, offset));
    }
    g.questions.extend(read.question);
}

fn duplicate_questions(files: &[SourceFile], g: &Gathered, problems: &mut Problems) {
    let mut first_at: HashMap<&str, (usize, usize)> = HashMap::new();
    for (id, fi, offset) in &g.question_ids {
        if let Some((ofi, ooff)) = first_at.get(id.as_str()) {
            let (line, col) = files[*ofi].line_col(*ooff);
            problems.error(
                At {
                    file: &files[*fi],
                    offset: *offset,
                },
                format!(
                    "duplicate question id `{id}`: already used at {}:{line}:{col}",
                    files[*ofi].display
                ),
            );
        } else {
            first_at.insert(id, (*fi, *offset));
        }
    }
}

// ---- end of the quiz question hook

fn cross_check(files: &[SourceFile], g: &Gathered, problems: &mut Problems) {
    duplicate_questions(files, g, problems);
    let mut kinds: HashMap<&str, Kind> = HashMap::new();
    let mut first_at: HashMap<&str, (usize, usize)> = HashMap::new();
    for (entry, fi, offset) in &g.entries {
        let id = entry.id();
        if let Some((ofi, ooff)) = first_at.get(id) {
            let (line, col) = files[*ofi].line_col(*ooff);
            problems.error(
                At {
                    file: &files[*fi],
                    offset: *offset,
                },
                format!(
                    "duplicate id `{id}`: already used at {}:{line}:{col}",
                    files[*ofi].display
                ),
            );
        } else {
            first_at.insert(id, (*fi, *offset));
            kinds.insert(id, entry.kind());
        }
    }
    for r in &g.refs {
        let at = At {
            file: &files[r.file],
            offset: r.offset,
        };
        match kinds.get(r.target.as_str()) {
            None => {
                let near = kinds
                    .keys()
                    .filter(|k| strsim::normalized_damerau_levenshtein(k, &r.target) >= 0.75)
                    .max_by(|a, b| {
                        strsim::normalized_damerau_levenshtein(a, &r.target)
                            .total_cmp(&strsim::normalized_damerau_levenshtein(b, &r.target))
                    })
                    .map(|k| format!(" (did you mean `{k}`?)"))
                    .unwrap_or_default();
                problems.error(
                    at,
                    format!("`{}` in `{}` refers to no entry{near}", r.target, r.field),
                );
            }
            Some(kind) if !r.kinds.is_empty() && !r.kinds.contains(kind) => {
                problems.error(
                    at,
                    format!(
                        "`{}` in `{}` is a {}, but only {} may be listed there",
                        r.target,
                        r.field,
                        kind.as_str(),
                        r.kinds
                            .iter()
                            .map(|k| k.plural())
                            .collect::<Vec<_>>()
                            .join(" or ")
                    ),
                );
            }
            _ => {}
        }
    }
    // An alias shared by two entries makes a search for it ambiguous.
    let mut by_name: HashMap<&str, Vec<&(String, usize, usize, String)>> = HashMap::new();
    for n in &g.names {
        if !n.0.is_empty() {
            by_name.entry(n.0.as_str()).or_default().push(n);
        }
    }
    let mut shared: Vec<_> = by_name
        .into_iter()
        .filter(|(_, v)| {
            let ids: HashSet<&str> = v.iter().map(|n| n.3.as_str()).collect();
            ids.len() > 1
        })
        .collect();
    shared.sort_by_key(|(name, _)| name.to_string());
    for (name, places) in shared {
        let ids: Vec<String> = {
            let mut ids: Vec<String> = places.iter().map(|n| format!("`{}`", n.3)).collect();
            ids.dedup();
            ids
        };
        let (_, fi, offset, _) = places[places.len() - 1];
        problems.warning(
            At {
                file: &files[*fi],
                offset: *offset,
            },
            format!(
                "the name `{name}` is shared by {}: a search for it cannot tell them apart",
                ids.join(" and ")
            ),
        );
    }
}
