//! Reading and validating knowledge files.
//!
//! A knowledge author fixes problems in batches, so the loader never stops at the first one: every
//! file is parsed, every entry is checked on its own, and every problem is reported with the
//! `file:line:column` where it sits. Only when no error remains does a [`KnowledgeBase`] come out.
//!
//! This file holds the report, the walk over the directory and the state shared while loading;
//! `read` reads one file, `tables` has a reader per kind of entry, `checks` the field checks they
//! share, `questions` places the hand-written quiz questions, and `references` checks across files.

use std::fmt;
use std::path::Path;
use std::sync::Arc;

mod checks;
mod pieces;
mod questions;
mod read;
mod references;
mod tables;
mod walk;

use super::model::*;
use super::{Derived, KnowledgeBase};
use pieces::{halfway, in_pieces, PIECE};
use read::read_file;
use references::cross_check;
pub use walk::{read_text, walk, Found, LoadLimits, Walk};

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
        if self.line == 0 {
            // About the file as a whole, not one place in it.
            return write!(f, "{}: {level}{}", self.file, self.message);
        }
        write!(
            f,
            "{}:{}:{}: {level}{}",
            self.file, self.line, self.column, self.message
        )
    }
}

/// How a TOML syntax error begins: these are listed first, as one slip there can cause others.
const SYNTAX: &str = "TOML syntax: ";

impl Problem {
    /// A TOML syntax error: the file was not read at all until it is fixed.
    pub fn is_syntax(&self) -> bool {
        self.message.starts_with(SYNTAX)
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
                .map(|k| k.counted(kb.count(*k), crate::i18n::Locale::En))
                .collect();
            let _ = writeln!(
                out,
                "ok: {} ({} entries), {} quiz questions; {}",
                counts.join(", "),
                kb.entries().len(),
                kb.questions().len(),
                english(warnings, "warning")
            );
        } else {
            let _ = writeln!(
                err,
                "{}, {}: the knowledge base was not loaded",
                english(errors, "error"),
                english(warnings, "warning")
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

/// A span in one file, to report problems where they are.
#[derive(Clone, Copy)]
struct At<'a> {
    file: &'a SourceFile,
    offset: usize,
}

struct SourceFile {
    display: String,
    text: String,
    /// Where each line begins, found when a problem is first placed in this text (a pack without
    /// problems never needs it: at 100,000 entries it was 5.6 MB of a reload's peak).
    line_starts: std::sync::OnceLock<Vec<usize>>,
    /// The line of the file this text begins on, from 0 (a large file is read in pieces).
    first_line: usize,
}

impl SourceFile {
    fn new(display: String, text: String) -> Self {
        Self {
            display,
            text,
            line_starts: std::sync::OnceLock::new(),
            first_line: 0,
        }
    }

    /// Where each line of the text begins (the first at 0).
    fn line_starts(&self) -> &[usize] {
        self.line_starts
            .get_or_init(|| line_starts(&self.text).collect())
    }

    fn line_col(&self, offset: usize) -> (usize, usize) {
        let offset = offset.min(self.text.len());
        let line_starts = self.line_starts();
        let line = line_starts.partition_point(|&s| s <= offset) - 1;
        let start = line_starts[line];
        let col = self
            .text
            .get(start..offset)
            .map(|s| s.chars().count())
            .unwrap_or(offset - start)
            + 1;
        (self.first_line + line + 1, col)
    }
}

/// Where each line of `text` begins: at 0, and after each newline.
fn line_starts(text: &str) -> impl Iterator<Item = usize> + '_ {
    std::iter::once(0).chain(text.match_indices('\n').map(|(i, _)| i + 1))
}

/// `1 warning`, `2 warnings`: `clio check` speaks English, as compilers do.
fn english(n: usize, word: &str) -> String {
    let plural = format!("{word}s");
    crate::i18n::counted(
        crate::i18n::Locale::En,
        n as u64,
        (word, &plural),
        ("", "", ""),
    )
}

/// The most problems listed for one file; past that they are counted, so one garbage file cannot
/// write millions of lines.
pub const MAX_PROBLEMS_PER_FILE: usize = 50;

#[derive(Default)]
struct Problems {
    list: Vec<Problem>,
    /// Per file: how many were listed, and how many more were only counted (and the worst of them).
    per_file: std::collections::HashMap<String, (usize, usize, Option<Severity>)>,
}

impl Problems {
    fn push(&mut self, at: At, severity: Severity, message: impl Into<String>) {
        // A problem past the ones listed for its file is only counted: where it is, is not
        // looked for (that needs the lines of its file found; a shared name in every entry of a
        // large pack made it find the lines of every file, 5.6 MB at 100,000 entries).
        if self.only_counted(&at.file.display, severity) {
            return;
        }
        let (line, column) = at.file.line_col(at.offset);
        self.add(Problem {
            file: at.file.display.clone(),
            line,
            column,
            severity,
            message: message.into(),
        });
    }
    fn add(&mut self, problem: Problem) {
        if self.only_counted(&problem.file, problem.severity) {
            return;
        }
        let counts = self
            .per_file
            .entry(problem.file.clone())
            .or_insert((0, 0, None));
        counts.0 += 1;
        self.list.push(problem);
    }
    /// Whether `file` has had its fifty problems listed already: then a problem of it is counted
    /// here, and not listed.
    fn only_counted(&mut self, file: &str, severity: Severity) -> bool {
        match self.per_file.get_mut(file) {
            Some(counts) if counts.0 >= MAX_PROBLEMS_PER_FILE => {
                counts.1 += 1;
                counts.2 = counts.2.max(Some(severity));
                true
            }
            _ => false,
        }
    }
    /// Add the problems of other files.
    fn append(&mut self, mut other: Problems) {
        self.list.append(&mut other.list);
        self.per_file.extend(other.per_file);
    }
    fn error(&mut self, at: At, message: impl Into<String>) {
        self.push(at, Severity::Error, message)
    }
    fn warning(&mut self, at: At, message: impl Into<String>) {
        self.push(at, Severity::Warning, message)
    }
    /// Every problem listed, then one line per file whose further problems were only counted.
    fn finish(self) -> Vec<Problem> {
        let mut list = self.list;
        let mut more: Vec<_> = self
            .per_file
            .into_iter()
            .filter(|(_, (_, hidden, _))| *hidden > 0)
            .collect();
        more.sort();
        for (file, (_, hidden, worst)) in more {
            list.push(Problem {
                file,
                line: 0,
                column: 1,
                severity: worst.unwrap_or(Severity::Error),
                message: format!(
                    "{hidden} more problem(s) in this file not listed (only the first \
                     {MAX_PROBLEMS_PER_FILE} are): fix these and check again"
                ),
            });
        }
        list
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
    entries: Entries,
    refs: Vec<Reference>,
    /// Aliases and names per entry, for the shared-alias warning.
    names: Vec<Named>,
    /// Hand-written quiz questions, and every question id with its file index and offset.
    questions: Vec<super::authored::AuthoredQuestion>,
    question_ids: Vec<(String, usize, usize)>,
    /// Files that did not parse (file index), with the ids their text seems to define.
    unparsed: Vec<(usize, Vec<String>)>,
    /// The sides the pack declares (`[[side]]`), with file index and offset of the id.
    sides: Vec<(Side, usize, usize)>,
    /// Every person's `side`: (value, file index, offset).
    side_uses: Vec<(String, usize, usize)>,
}

/// A name or alias of an entry, normalized, and where it is written (kept small: a reload holds
/// one for each name of the pack).
struct Named {
    normalized: String,
    file: u32,
    offset: usize,
    /// The entry's index among those gathered.
    entry: u32,
}

/// The entries read, and beside them where each one's id is (file index, offset): the base is
/// derived from the first list while the cross-checks read both.
#[derive(Default)]
struct Entries {
    list: Vec<Arc<Entry>>,
    at: Vec<(usize, usize)>,
    /// During a live reload, the base being served: an entry read just as it has it is taken
    /// from it, and the one read is dropped at once (a 100,000-entry reload otherwise held a
    /// second copy of every entry beside the base serving).
    previous: Option<Arc<KnowledgeBase>>,
}

impl Entries {
    fn push(&mut self, (entry, file, offset): (Entry, usize, usize)) {
        let unchanged = self.previous.as_deref().and_then(|base| {
            let old = &base.entries[base.index_of(entry.id())?];
            (**old == entry).then(|| old.clone())
        });
        self.list.push(unchanged.unwrap_or_else(|| Arc::new(entry)));
        self.at.push((file, offset));
    }
}

impl Gathered {
    /// Gather an entry read, with the names read for it (they take its index here, so an entry
    /// that is not gathered leaves no names behind: an event whose date cannot be read once left
    /// names pointing at the next entry, found by fuzzing).
    fn push_entry(&mut self, read: (Entry, usize, usize), names: Vec<Named>) {
        let entry = self.entries.list.len() as u32;
        self.entries.push(read);
        self.names
            .extend(names.into_iter().map(|n| Named { entry, ..n }));
    }

    /// Add what was gathered from later files.
    fn append(&mut self, mut later: Gathered) {
        // (Their entries follow these: their names are told so.)
        let before = self.entries.list.len() as u32;
        self.entries.list.append(&mut later.entries.list);
        self.entries.at.append(&mut later.entries.at);
        self.refs.append(&mut later.refs);
        self.names.extend(later.names.into_iter().map(|n| Named {
            entry: n.entry + before,
            ..n
        }));
        self.questions.append(&mut later.questions);
        self.question_ids.append(&mut later.question_ids);
        self.unparsed.append(&mut later.unparsed);
        self.sides.append(&mut later.sides);
        self.side_uses.append(&mut later.side_uses);
    }
}

/// Load every `.toml` file under `dir` (recursively) as one knowledge base.
struct Ctx<'a> {
    fi: usize,
    file: &'a SourceFile,
    /// The entry's dates are Julian unless marked otherwise (`calendar = "julian"`).
    julian: bool,
}

impl Ctx<'_> {
    fn at(&self, offset: usize) -> At<'_> {
        At {
            file: self.file,
            offset,
        }
    }
}

/// What to do when the knowledge directory is not where it was looked for. The image path is the
/// Dockerfile's `COPY knowledge /app/knowledge` (a test keeps the two in step).
pub const NO_KNOWLEDGE_HINT: &str = "pass the folder with `--knowledge DIR` (`clio check DIR`) or \
     set CLIO_KNOWLEDGE_DIR; the shipped pack is the `knowledge/` folder of Clio's repository, and \
     /app/knowledge in the Docker image";

/// Load every `.toml` file under `dir` (recursively) as one knowledge base, with the default
/// limits.
pub fn load_dir(dir: &Path) -> LoadReport {
    load_dir_with(dir, &LoadLimits::default())
}

/// Load every `.toml` file under `dir` (recursively) as one knowledge base.
pub fn load_dir_with(dir: &Path, limits: &LoadLimits) -> LoadReport {
    load_dir_on(dir, limits, Cores::All, None)
}

/// How many cores a load may keep busy.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Cores {
    /// Two threads where the pack is large: `clio check`, a start that validates first.
    All,
    /// One, leaving the other cores to the work going on beside it: a live reload (the
    /// interactions being answered), a start that connects while it loads (the gateway's
    /// handshake; on two threads, start to IDENTIFY took 12 ms instead of 9). (On a
    /// shared virtual machine, the interactions waited longer while both cores were busy even
    /// with the reload at the lowest priority: the host then took time from both; see
    /// `examples/knowledge_bench.rs`.)
    One,
}

/// [`load_dir_with`], on this many cores; beside `previous`, the base being served, when this is
/// a live reload (the entries read unchanged are taken from it).
pub(crate) fn load_dir_on(
    dir: &Path,
    limits: &LoadLimits,
    cores: Cores,
    previous: Option<Arc<KnowledgeBase>>,
) -> LoadReport {
    let mut problems = Problems::default();
    let at_dir = |message: String| Problem {
        file: dir.display().to_string(),
        line: 1,
        column: 1,
        severity: Severity::Error,
        message,
    };
    let found = match walk(dir, limits) {
        Ok(found) => found,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
            // Most often `clio` run outside the repository, where `./knowledge` is not.
            return LoadReport {
                base: None,
                problems: vec![at_dir(format!(
                    "there is no knowledge directory here: {NO_KNOWLEDGE_HINT}"
                ))],
            };
        }
        Err(e) => {
            return LoadReport {
                base: None,
                problems: vec![at_dir(format!("cannot read the knowledge directory: {e}"))],
            }
        }
    };
    let at_file = |path: &Path, message: String| Problem {
        file: display_path(dir, path),
        line: 1,
        column: 1,
        severity: Severity::Error,
        message,
    };
    for (path, why) in &found.refused {
        problems.add(at_file(path, why.clone()));
    }
    let mut to_read = Vec::new();
    for f in &found.files {
        if f.len > limits.max_file_bytes {
            problems.add(at_file(
                &f.path,
                walk::too_large(f.len, limits.max_file_bytes),
            ));
        } else {
            to_read.push(&f.path);
        }
    }
    let total: u64 = found
        .files
        .iter()
        .filter(|f| f.len <= limits.max_file_bytes)
        .map(|f| f.len)
        .sum();
    if total > limits.max_pack_bytes {
        problems.add(at_dir(format!(
            "the .toml files here hold {} together, over the limit of {} for a pack \
             (`knowledge.max_pack_mb`): nothing was read",
            walk::size(total),
            walk::size(limits.max_pack_bytes)
        )));
        to_read.clear();
    }
    let mut files = Vec::new();
    for path in to_read {
        match walk::read_text(path, limits.max_file_bytes) {
            Ok(text) => files.push(SourceFile::new(display_path(dir, path), text)),
            Err(why) => problems.add(at_file(path, why)),
        }
    }
    if files.is_empty() && problems.list.is_empty() {
        problems.add(at_dir(
            "no .toml files here: is this the knowledge directory?".into(),
        ));
    }
    let mut report = load_pieces_beside(in_pieces(files, PIECE), cores, previous);
    let mut all = problems.finish();
    all.append(&mut report.problems);
    // Syntax errors first: fixing them is the first step, and may make others go away.
    all.sort_by_key(|p| !p.is_syntax());
    report.problems = all;
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
        Cores::All,
    )
}

fn display_path(dir: &Path, path: &Path) -> String {
    // Paths as the author would type them: the directory as given, then the file inside it.
    let rel = path.strip_prefix(dir).unwrap_or(path);
    dir.join(rel).display().to_string()
}

/// Files smaller than this together are loaded on one thread, whatever the cores allowed (a second
/// thread costs more than it saves).
const READ_ALONE_BELOW: usize = 256 * 1024;

/// Read every file into what was gathered and the problems found. A large pack is read on two
/// threads, each taking a run of files of about half the bytes; what each found is joined in file
/// order, so the outcome is the one of reading them one after another.
fn read_all(
    files: &[SourceFile],
    cores: Cores,
    previous: Option<&Arc<KnowledgeBase>>,
) -> (Gathered, Problems) {
    // The first run's list of entries is made as long as every file's tables together, so it
    // need not grow (a list grown by doubling was a quarter empty at 100,000 entries: 10 MB)
    // and the later run's entries join it in place.
    let tables: usize = files.iter().map(|f| tables_in(&f.text)).sum();
    let read = |range: std::ops::Range<usize>| {
        let mut gathered = Gathered::default();
        gathered.entries.previous = previous.cloned();
        if range.start == 0 {
            gathered.entries.list.reserve_exact(tables);
            gathered.entries.at.reserve_exact(tables);
        }
        let mut problems = Problems::default();
        for fi in range {
            read_file(fi, &files[fi], &mut gathered, &mut problems);
        }
        (gathered, problems)
    };
    let half = halfway(files);
    if cores == Cores::One || half >= files.len() {
        return read(0..files.len());
    }
    std::thread::scope(|scope| {
        let later = std::thread::Builder::new()
            .name("clio-read".into())
            .spawn_scoped(scope, || read(half..files.len()));
        let Ok(later) = later else {
            // No thread to spare: the rest on this one.
            return read(0..files.len());
        };
        let (mut gathered, mut problems) = read(0..half);
        let (rest, more) = later
            .join()
            .unwrap_or_else(|panic| std::panic::resume_unwind(panic));
        gathered.append(rest);
        problems.append(more);
        (gathered, problems)
    })
}

/// How many tables of an array (`[[person]]`, ...) a file's text seems to have: the lines that
/// start with `[[`. Entries, questions and sides are written so; an entry written otherwise (an
/// inline table) only makes the list grow as it would have anyway.
fn tables_in(text: &str) -> usize {
    usize::from(text.starts_with("[[")) + text.matches("\n[[").count()
}

fn load_files(files: Vec<SourceFile>, cores: Cores) -> LoadReport {
    load_pieces(in_pieces(files, PIECE), cores)
}

/// [`load_files`], of files already cut into pieces (or whole).
fn load_pieces(files: Vec<SourceFile>, cores: Cores) -> LoadReport {
    load_pieces_beside(files, cores, None)
}

/// [`load_pieces`], beside the base being served when this is a live reload.
fn load_pieces_beside(
    files: Vec<SourceFile>,
    cores: Cores,
    previous: Option<Arc<KnowledgeBase>>,
) -> LoadReport {
    let bytes: usize = files.iter().map(|f| f.text.len()).sum();
    let cores = if bytes < READ_ALONE_BELOW {
        Cores::One
    } else {
        cores
    };
    let (gathered, mut problems) = read_all(&files, cores, previous.as_ref());
    drop(previous);
    // The base is derived on a second core while the files are cross-checked; it is kept only
    // when they turn out to have no errors.
    let derived = std::thread::scope(|scope| {
        if cores == Cores::One {
            cross_check(&files, &gathered, &mut problems);
            return None;
        }
        let entries = &gathered.entries.list;
        let derived = std::thread::Builder::new()
            .name("clio-index".into())
            .spawn_scoped(scope, move || Derived::of(entries, cores));
        cross_check(&files, &gathered, &mut problems);
        derived.ok().map(|thread| thread.join())
    });
    let problems = problems.finish();
    let has_errors = problems.iter().any(|p| p.severity == Severity::Error);
    let problems_sorted = {
        let mut p = problems;
        // A file's count of unlisted problems (line 0) comes after the problems it follows.
        // Syntax errors come first (see `SYNTAX`).
        p.sort_by(|a, b| {
            (!a.is_syntax(), &a.file, a.line == 0, a.line, a.column).cmp(&(
                !b.is_syntax(),
                &b.file,
                b.line == 0,
                b.line,
                b.column,
            ))
        });
        p
    };
    let base = if has_errors {
        // (A panic deriving the base of entries that did not pass is not the author's problem
        // to see: the errors are.)
        None
    } else {
        // What only the checks needed goes before the base is derived on this core (a live
        // reload): the files' text and the names and references gathered from them were a
        // quarter of a 100,000-entry reload's peak.
        let Gathered {
            entries,
            refs,
            names,
            questions,
            question_ids,
            unparsed,
            sides,
            side_uses,
        } = gathered;
        let Entries {
            list: entries,
            at,
            previous,
        } = entries;
        drop(previous);
        drop((files, at, refs, names, question_ids, unparsed, side_uses));
        let derived = match derived {
            Some(Ok(derived)) => derived,
            Some(Err(panic)) => std::panic::resume_unwind(panic),
            // On one core, or no thread to spare: derived here.
            None => Derived::of(&entries, cores),
        };
        Some(
            KnowledgeBase::with_derived(entries, derived)
                .with_questions(questions)
                .with_sides(sides.into_iter().map(|(s, _, _)| s).collect()),
        )
    };
    LoadReport {
        base,
        problems: problems_sorted,
    }
}

#[cfg(test)]
mod tests;
