//! The database at start-up: a data directory Clio cannot write to says "read-only", a file held
//! by another process is waited for a bounded time (and said so), a corrupt file is refused with
//! the file and the backup to restore, and a schema from a newer Clio is refused before anything
//! is migrated.

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use rusqlite::{Connection, ErrorCode, OptionalExtension};

use super::StoreError;

/// How long start-up waits for a database another process holds.
pub const LOCK_WAIT: Duration = Duration::from_secs(30);

/// How long a statement waits for another connection's lock (SQLite's busy timeout) once the
/// database is open.
pub(super) const BUSY_WAIT: Duration = Duration::from_secs(5);

/// Files up to this size get the full `integrity_check`; larger ones the faster `quick_check`.
const FULL_CHECK_BELOW: u64 = 64 * 1024 * 1024;

/// EROFS: a file system mounted read-only.
const READ_ONLY_FS: i32 = 30;

/// Refuse a data directory Clio cannot write to, before SQLite gives a vaguer error.
pub fn ensure_writable(dir: &Path, db: &Path) -> Result<(), StoreError> {
    // Unique to this process and this call, so openers at the same moment never share a probe.
    static PROBES: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(0);
    let n = PROBES.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
    let probe = dir.join(format!(".clio-write-test-{}-{n}", std::process::id()));
    let tried = std::fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .open(&probe)
        .map(|_| std::fs::remove_file(&probe));
    if let Err(e) = tried {
        return Err(read_only(dir, &e));
    }
    if db.exists() {
        if let Err(e) = std::fs::OpenOptions::new().append(true).open(db) {
            return Err(read_only(db, &e));
        }
    }
    Ok(())
}

fn read_only(path: &Path, e: &std::io::Error) -> StoreError {
    let why = if e.raw_os_error() == Some(READ_ONLY_FS) {
        "is on a read-only file system"
    } else if e.kind() == std::io::ErrorKind::PermissionDenied {
        "is read-only for this user"
    } else {
        return StoreError::Io(format!("cannot write in `{}`: {e}", path.display()));
    };
    StoreError::Io(format!(
        "`{}` {why} ({e}): Clio keeps its database there and must write to it; mount it \
         read-write or give the user Clio runs as write access (the image runs as uid 65532)",
        path.display()
    ))
}

/// Wait, at most `wait`, until no other connection holds a write lock on the database; say so
/// in the log when it has to wait.
pub fn wait_for_lock(conn: &Connection, db: &Path, wait: Duration) -> Result<(), StoreError> {
    let started = Instant::now();
    let mut said = false;
    // Ask without SQLite's own waiting, so the bound is this function's.
    conn.busy_timeout(Duration::ZERO)
        .map_err(|e| classify(e, db))?;
    loop {
        match conn.execute_batch("BEGIN IMMEDIATE; ROLLBACK;") {
            Ok(()) => {
                // The checks that follow read the file: if another process (a second shard on
                // the same data directory) takes a lock meanwhile, they wait for it as every
                // other statement does, instead of failing with "database is locked".
                return conn.busy_timeout(BUSY_WAIT).map_err(|e| classify(e, db));
            }
            Err(e) if is_busy(&e) => {
                if started.elapsed() >= wait {
                    return Err(StoreError::Database(format!(
                        "the database `{}` is locked by another process (is another Clio \
                         running on this data directory?); gave up after {} s",
                        db.display(),
                        wait.as_secs()
                    )));
                }
                if !said {
                    said = true;
                    tracing::warn!(
                        file = %db.display(),
                        wait_s = wait.as_secs(),
                        "the database is locked by another process (is another Clio running \
                         on this data directory?); waiting for it"
                    );
                }
                std::thread::sleep(Duration::from_millis(100));
            }
            Err(e) => return Err(classify(e, db)),
        }
    }
}

pub(super) fn is_busy(e: &rusqlite::Error) -> bool {
    matches!(
        e.sqlite_error_code(),
        Some(ErrorCode::DatabaseBusy | ErrorCode::DatabaseLocked)
    )
}

/// An error from opening or checking the file, worded for the person who has to act on it.
pub fn classify(e: rusqlite::Error, db: &Path) -> StoreError {
    match e.sqlite_error_code() {
        Some(ErrorCode::DatabaseCorrupt | ErrorCode::NotADatabase) => corrupt(db, &e.to_string()),
        Some(ErrorCode::ReadOnly) => StoreError::Io(format!(
            "the database `{}` is read-only ({e}): Clio must write to it; mount the data \
             directory read-write",
            db.display()
        )),
        _ => e.into(),
    }
}

/// Run `integrity_check` (or `quick_check` on a large file); refuse a corrupt file.
pub fn check_integrity(conn: &Connection, db: &Path) -> Result<(), StoreError> {
    let size = std::fs::metadata(db).map(|m| m.len()).unwrap_or(0);
    let pragma = if size < FULL_CHECK_BELOW {
        "PRAGMA integrity_check(20)"
    } else {
        "PRAGMA quick_check(20)"
    };
    let mut stmt = conn.prepare(pragma).map_err(|e| classify(e, db))?;
    let lines: Vec<String> = stmt
        .query_map([], |r| r.get::<_, String>(0))
        .and_then(|rows| rows.collect())
        .map_err(|e| classify(e, db))?;
    if lines.len() == 1 && lines[0] == "ok" {
        return Ok(());
    }
    Err(corrupt(db, &lines.join("; ")))
}

fn corrupt(db: &Path, detail: &str) -> StoreError {
    let backup = match newest_backup(db) {
        Some(b) => format!("the newest backup here is `{}`", b.display()),
        None => "no backup is in the data directory; use the latest you made (README: \
                 Backups)"
            .to_string(),
    };
    StoreError::Corrupt(format!(
        "the database `{}` is damaged ({detail}); Clio will not start on it. Stop Clio, move \
         `{}` (and its -wal and -shm files) aside, and restore a backup in its place: {backup}",
        db.display(),
        db.display()
    ))
}

/// The most recent other `*.sqlite3` file beside the database, if any (where a `.backup` lands
/// when made in place).
fn newest_backup(db: &Path) -> Option<PathBuf> {
    let dir = db.parent()?;
    std::fs::read_dir(dir)
        .ok()?
        .flatten()
        .filter(|e| {
            let p = e.path();
            p != db && p.extension().is_some_and(|x| x == "sqlite3")
        })
        .filter_map(|e| Some((e.metadata().ok()?.modified().ok()?, e.path())))
        .max()
        .map(|(_, p)| p)
}

/// Refuse a schema this Clio does not know: a newer Clio wrote it, and migrating or writing it
/// could lose what that version stored.
pub fn refuse_newer_schema(conn: &Connection, known: i64, dir: &Path) -> Result<(), StoreError> {
    let has_table: bool = conn
        .query_row(
            "SELECT EXISTS (SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = \
             'schema_migrations')",
            [],
            |r| r.get(0),
        )
        .map_err(|e| classify(e, &dir.join(super::DB_FILE)))?;
    if !has_table {
        return Ok(());
    }
    let newest: Option<i64> = conn
        .query_row("SELECT MAX(version) FROM schema_migrations", [], |r| {
            r.get(0)
        })
        .optional()
        .map_err(|e| classify(e, &dir.join(super::DB_FILE)))?
        .flatten();
    match newest {
        Some(v) if v > known => Err(StoreError::Database(format!(
            "this data directory (`{}`) was written by a newer Clio (schema version {v}; this \
             Clio knows up to {known}): run that version or a newer one, or point `data.dir` \
             elsewhere",
            dir.display()
        ))),
        _ => Ok(()),
    }
}
