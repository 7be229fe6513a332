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
use std::path::{Path, PathBuf};

mod checks;
mod questions;
mod read;
mod references;
mod tables;

use super::model::*;
use super::KnowledgeBase;
use read::read_file;
use references::cross_check;

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
