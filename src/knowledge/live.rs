//! The knowledge base being served, and its live reload.
//!
//! Handlers take an `Arc` of the current base at the start of an interaction and keep it to the end,
//! so a reload never changes the ground under an interaction in flight; the swap itself is one
//! pointer under a lock held for nanoseconds (never across an `.await`). A new base is swapped in
//! only when it loads without errors: a broken edit keeps the old base serving.

use std::path::{Path, PathBuf};
use std::sync::{Arc, RwLock};
use std::time::{Duration, SystemTime};

use super::{load_dir, Kind, KnowledgeBase, Problem};

/// The base in service, replaceable at run time.
pub struct LiveKnowledge {
    dir: PathBuf,
    current: RwLock<Arc<KnowledgeBase>>,
}

/// What a reload did.
#[derive(Debug)]
pub enum ReloadOutcome {
    /// The new base is serving; its counts per kind and any warnings.
    Swapped {
        counts: Vec<(Kind, usize)>,
        warnings: Vec<Problem>,
    },
    /// The new base had errors; the old one keeps serving.
    Rejected { errors: Vec<Problem> },
}

impl LiveKnowledge {
    pub fn new(dir: impl Into<PathBuf>, base: KnowledgeBase) -> Self {
        Self {
            dir: dir.into(),
            current: RwLock::new(Arc::new(base)),
        }
    }

    pub fn dir(&self) -> &Path {
        &self.dir
    }

    /// The base to answer one interaction with.
    pub fn get(&self) -> Arc<KnowledgeBase> {
        self.current
            .read()
            .unwrap_or_else(|e| e.into_inner())
            .clone()
    }

    /// Load the directory again and swap the new base in if it is valid.
    pub fn reload(&self) -> ReloadOutcome {
        let mut report = load_dir(&self.dir);
        match report.base.take() {
            Some(base) => {
                let counts = Kind::ALL.iter().map(|k| (*k, base.count(*k))).collect();
                *self.current.write().unwrap_or_else(|e| e.into_inner()) = Arc::new(base);
                ReloadOutcome::Swapped {
                    counts,
                    warnings: report.problems,
                }
            }
            None => ReloadOutcome::Rejected {
                errors: report.problems,
            },
        }
    }
}

/// A cheap fingerprint of a directory tree: every `.toml` file's path, size and modification time.
/// Polling it works everywhere, including bind mounts where file-system events do not arrive.
pub fn fingerprint(dir: &Path) -> Vec<(PathBuf, u64, Option<SystemTime>)> {
    fn walk(dir: &Path, out: &mut Vec<(PathBuf, u64, Option<SystemTime>)>) {
        let Ok(entries) = std::fs::read_dir(dir) else {
            return;
        };
        for entry in entries.flatten() {
            let path = entry.path();
            if entry.file_name().to_string_lossy().starts_with('.') {
                continue;
            }
            match entry.metadata() {
                Ok(m) if m.is_dir() => walk(&path, out),
                Ok(m) if path.extension().is_some_and(|e| e == "toml") => {
                    out.push((path, m.len(), m.modified().ok()))
                }
                _ => {}
            }
        }
    }
    let mut out = Vec::new();
    walk(dir, &mut out);
    out.sort();
    out
}

/// Watches a directory by polling; reports a change once the files have been still for one
/// interval (an editor or `cp -r` writes several files, and a half-written tree must not be loaded).
pub struct DirWatcher {
    dir: PathBuf,
    seen: Vec<(PathBuf, u64, Option<SystemTime>)>,
    pending: Option<Vec<(PathBuf, u64, Option<SystemTime>)>>,
}

impl DirWatcher {
    pub fn new(dir: impl Into<PathBuf>) -> Self {
        let dir = dir.into();
        let seen = fingerprint(&dir);
        Self {
            dir,
            seen,
            pending: None,
        }
    }

    /// Call once per interval; true when a settled change should be loaded.
    pub fn poll(&mut self) -> bool {
        let now = fingerprint(&self.dir);
        if now == self.seen {
            self.pending = None;
            return false;
        }
        if self.pending.as_ref() == Some(&now) {
            self.seen = now;
            self.pending = None;
            return true;
        }
        self.pending = Some(now);
        false
    }

    pub const INTERVAL: Duration = Duration::from_secs(1);
}
