//! The one walk over a knowledge folder, shared by the loader and the live-reload watcher, and the
//! guarded reading of one file.
//!
//! Only regular files named `*.toml` are read: a FIFO or a device named like one would hang the
//! reader. Symbolic links are followed (Kubernetes ConfigMaps and many deploy tools swap files
//! through a `..data` link), into sub-folders too, but a link that leads outside the folder only
//! when `knowledge.follow_outside_links` is on. A file over `knowledge.max_file_mb` and a pack over
//! `knowledge.max_pack_mb` are refused with one message each, before anything is read.

use std::collections::HashSet;
use std::io::Read;
use std::os::unix::fs::{MetadataExt, OpenOptionsExt};
use std::path::{Path, PathBuf};
use std::time::SystemTime;

const MB: u64 = 1024 * 1024;

/// How much a knowledge folder may hold, and where its links may lead.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct LoadLimits {
    /// The largest `.toml` file read, in bytes (`knowledge.max_file_mb`).
    pub max_file_bytes: u64,
    /// The most all `.toml` files together may hold, in bytes (`knowledge.max_pack_mb`).
    pub max_pack_bytes: u64,
    /// Follow symbolic links that lead outside the folder (`knowledge.follow_outside_links`).
    pub follow_outside_links: bool,
}

impl LoadLimits {
    pub const DEFAULT_MAX_FILE_MB: u64 = 8;
    pub const DEFAULT_MAX_PACK_MB: u64 = 64;
}

impl Default for LoadLimits {
    fn default() -> Self {
        Self {
            max_file_bytes: Self::DEFAULT_MAX_FILE_MB * MB,
            max_pack_bytes: Self::DEFAULT_MAX_PACK_MB * MB,
            follow_outside_links: false,
        }
    }
}

/// One `.toml` file found, with what the watcher compares between two polls. The device and inode
/// are those of the file a link leads to, so a swap behind a link is seen even when size and
/// modification time happen to match.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct Found {
    pub path: PathBuf,
    pub len: u64,
    pub modified: Option<SystemTime>,
    pub dev: u64,
    pub ino: u64,
}

/// What a walk found: the files to read, and the entries refused (path, why), both sorted.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct Walk {
    pub files: Vec<Found>,
    pub refused: Vec<(PathBuf, String)>,
}

/// Every `.toml` file under `dir`, recursively, following links as the limits allow. Hidden
/// entries (names starting with `.`) are skipped, as are folders already seen (a link loop, or a
/// link to a folder also reached directly). Err only when `dir` itself cannot be read.
pub fn walk(dir: &Path, limits: &LoadLimits) -> std::io::Result<Walk> {
    let root = std::fs::canonicalize(dir)?;
    let mut out = Walk::default();
    let mut seen = HashSet::new();
    let meta = std::fs::metadata(&root)?;
    seen.insert((meta.dev(), meta.ino()));
    std::fs::read_dir(&root)?;
    walk_into(dir, &root, limits, &mut seen, &mut out);
    out.files.sort();
    out.refused.sort();
    Ok(out)
}

fn walk_into(
    dir: &Path,
    root: &Path,
    limits: &LoadLimits,
    seen: &mut HashSet<(u64, u64)>,
    out: &mut Walk,
) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        out.refused
            .push((dir.to_path_buf(), "cannot read this folder".into()));
        return;
    };
    let mut entries: Vec<_> = entries.flatten().collect();
    entries.sort_by_key(|e| e.file_name());
    for entry in entries {
        if entry.file_name().to_string_lossy().starts_with('.') {
            continue;
        }
        let path = entry.path();
        let is_toml = path.extension().is_some_and(|e| e == "toml");
        let is_link = entry.file_type().is_ok_and(|t| t.is_symlink());
        let meta = match std::fs::metadata(&path) {
            Ok(m) => m,
            Err(e) => {
                if is_toml {
                    let why = if is_link {
                        format!("a symbolic link that leads nowhere readable ({e})")
                    } else {
                        format!("cannot read file: {e}")
                    };
                    out.refused.push((path, why));
                }
                continue;
            }
        };
        if !meta.is_dir() && !is_toml {
            continue;
        }
        if is_link && !limits.follow_outside_links {
            match std::fs::canonicalize(&path) {
                Ok(target) if target.starts_with(root) => {}
                Ok(target) => {
                    out.refused.push((
                        path,
                        format!(
                            "a symbolic link to {}, outside the knowledge folder: not followed \
                             (set `knowledge.follow_outside_links = true` to follow it)",
                            target.display()
                        ),
                    ));
                    continue;
                }
                Err(e) => {
                    out.refused
                        .push((path, format!("cannot resolve this symbolic link: {e}")));
                    continue;
                }
            }
        }
        if meta.is_dir() {
            if seen.insert((meta.dev(), meta.ino())) {
                walk_into(&path, root, limits, seen, out);
            }
        } else if !meta.is_file() {
            out.refused.push((
                path,
                "not a regular file (a FIFO, device or socket named like one): only regular \
                 files are read"
                    .into(),
            ));
        } else {
            out.files.push(Found {
                path,
                len: meta.len(),
                modified: meta.modified().ok(),
                dev: meta.dev(),
                ino: meta.ino(),
            });
        }
    }
}

/// Read one file as UTF-8 text, never blocking on something that is not a regular file (it may
/// have been swapped since the walk) and never reading more than `max` bytes.
pub fn read_text(path: &Path, max: u64) -> Result<String, String> {
    let file = std::fs::OpenOptions::new()
        .read(true)
        .custom_flags(libc::O_NONBLOCK)
        .open(path)
        .map_err(|e| format!("cannot read file: {e}"))?;
    let meta = file
        .metadata()
        .map_err(|e| format!("cannot read file: {e}"))?;
    if !meta.is_file() {
        return Err(
            "not a regular file (a FIFO, device or socket named like one): only regular files \
             are read"
                .into(),
        );
    }
    if meta.len() > max {
        return Err(too_large(meta.len(), max));
    }
    let mut bytes = Vec::with_capacity(meta.len() as usize);
    file.take(max + 1)
        .read_to_end(&mut bytes)
        .map_err(|e| format!("cannot read file: {e}"))?;
    if bytes.len() as u64 > max {
        return Err(too_large(bytes.len() as u64, max));
    }
    String::from_utf8(bytes).map_err(|e| {
        format!(
            "not UTF-8 text (invalid byte at offset {}): save the file as UTF-8",
            e.utf8_error().valid_up_to()
        )
    })
}

pub fn too_large(len: u64, max: u64) -> String {
    format!(
        "the file holds {}, over the limit of {} per file (`knowledge.max_file_mb`): not read",
        size(len),
        size(max)
    )
}

/// A size as a person reads it: `52.4 MB`, `8 MB`, `912 bytes`.
pub fn size(bytes: u64) -> String {
    if bytes < MB {
        if bytes < 1024 {
            format!("{bytes} bytes")
        } else {
            format!("{:.1} KB", bytes as f64 / 1024.0)
        }
    } else if bytes.is_multiple_of(MB) {
        format!("{} MB", bytes / MB)
    } else {
        format!("{:.1} MB", bytes as f64 / MB as f64)
    }
}
