//! The database at start-up, with real SQLite files: corrupt, from a newer Clio, read-only,
//! locked by another process (issue 15).

use std::os::unix::fs::{MetadataExt, PermissionsExt};
use std::os::unix::process::CommandExt;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use clio::store::{SqliteStore, DB_FILE};

fn scratch(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("clio-health-{}-{name}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

/// A real database made by this Clio, closed (so the WAL is folded into the file).
fn made_database(name: &str) -> PathBuf {
    let dir = scratch(name);
    drop(SqliteStore::open(&dir).expect("a fresh database opens"));
    assert!(!dir.join(format!("{DB_FILE}-wal")).exists());
    dir
}

fn overwrite(file: &Path, offset: u64, bytes: &[u8]) {
    use std::io::{Seek, SeekFrom, Write};
    let mut f = std::fs::OpenOptions::new().write(true).open(file).unwrap();
    f.seek(SeekFrom::Start(offset)).unwrap();
    f.write_all(bytes).unwrap();
    f.sync_all().unwrap();
}

fn open_error(dir: &Path) -> String {
    match SqliteStore::open_waiting(dir, Duration::from_secs(2)) {
        Ok(_) => panic!("{} opened", dir.display()),
        Err(e) => e.to_string(),
    }
}

#[test]
fn a_corrupt_database_is_refused_naming_the_file_and_the_backup_to_restore() {
    let dir = made_database("corrupt-pages");
    let db = dir.join(DB_FILE);
    std::fs::copy(&db, dir.join("clio-2026-11-01.sqlite3")).unwrap();
    let len = std::fs::metadata(&db).unwrap().len();
    assert!(len >= 3 * 4096, "several pages: {len}");
    // Every page but the first (the schema) is garbage.
    overwrite(&db, 4096, &vec![0xA5; (len - 4096) as usize]);
    let err = open_error(&dir);
    assert!(err.contains(&db.display().to_string()), "{err}");
    assert!(err.contains("is damaged"), "{err}");
    assert!(
        err.contains("restore a backup")
            && err.contains(&dir.join("clio-2026-11-01.sqlite3").display().to_string()),
        "{err}"
    );
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn a_database_whose_header_is_overwritten_is_refused_as_damaged() {
    let dir = made_database("corrupt-header");
    let db = dir.join(DB_FILE);
    overwrite(&db, 0, b"this is not a database at all!!!");
    let err = open_error(&dir);
    assert!(
        err.contains(&db.display().to_string()) && err.contains("is damaged"),
        "{err}"
    );
    assert!(err.contains("README: Backups"), "{err}");
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn a_schema_from_a_newer_clio_is_refused() {
    let dir = made_database("newer");
    let conn = rusqlite::Connection::open(dir.join(DB_FILE)).unwrap();
    conn.execute(
        "INSERT INTO schema_migrations (version, applied_at) VALUES (999, 0)",
        [],
    )
    .unwrap();
    drop(conn);
    let err = open_error(&dir);
    assert!(
        err.contains("this data directory")
            && err.contains("was written by a newer Clio")
            && err.contains("schema version 999"),
        "{err}"
    );
    // Nothing was migrated or removed: the newer Clio's row is still there.
    let conn = rusqlite::Connection::open(dir.join(DB_FILE)).unwrap();
    let v: i64 = conn
        .query_row("SELECT MAX(version) FROM schema_migrations", [], |r| {
            r.get(0)
        })
        .unwrap();
    assert_eq!(v, 999);
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn a_database_locked_by_another_process_is_waited_for_then_opened() {
    let dir = made_database("locked-then-free");
    let holder = rusqlite::Connection::open(dir.join(DB_FILE)).unwrap();
    holder.execute_batch("BEGIN EXCLUSIVE").unwrap();
    let release = std::thread::spawn(move || {
        std::thread::sleep(Duration::from_millis(1500));
        holder.execute_batch("COMMIT").unwrap();
    });
    let started = Instant::now();
    let store = SqliteStore::open_waiting(&dir, Duration::from_secs(30));
    assert!(store.is_ok(), "{:?}", store.err().map(|e| e.to_string()));
    assert!(
        started.elapsed() >= Duration::from_millis(1000),
        "it waited for the lock"
    );
    release.join().unwrap();
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn a_database_locked_for_longer_than_the_bound_says_so_and_gives_up() {
    let dir = made_database("locked");
    let holder = rusqlite::Connection::open(dir.join(DB_FILE)).unwrap();
    holder.execute_batch("BEGIN EXCLUSIVE").unwrap();
    let started = Instant::now();
    let err = match SqliteStore::open_waiting(&dir, Duration::from_secs(1)) {
        Ok(_) => panic!("opened while another connection held it"),
        Err(e) => e.to_string(),
    };
    // Bounded: it gave up instead of waiting forever.
    assert!(started.elapsed() < Duration::from_secs(20));
    assert!(
        err.contains("is locked by another process") && err.contains("gave up after 1 s"),
        "{err}"
    );
    holder.execute_batch("ROLLBACK").unwrap();
    let _ = std::fs::remove_dir_all(&dir);
}

/// The uid the image runs Clio as: root ignores file modes, so a read-only directory is tried as
/// this user (root may switch to it).
const IMAGE_UID: u32 = 65532;

#[test]
fn a_read_only_data_directory_says_read_only() {
    let dir = made_database("read-only");
    let data = dir.join("data");
    std::fs::create_dir_all(&data).unwrap();
    std::fs::rename(dir.join(DB_FILE), data.join(DB_FILE)).unwrap();
    std::fs::set_permissions(&data, std::fs::Permissions::from_mode(0o555)).unwrap();
    std::fs::set_permissions(&dir, std::fs::Permissions::from_mode(0o755)).unwrap();
    let as_root = std::fs::metadata("/proc/self").unwrap().uid() == 0;
    // The binary and the knowledge, where that user can reach them (the checkout may sit under a
    // folder only root may enter).
    let binary = dir.join("clio");
    std::fs::copy(env!("CARGO_BIN_EXE_clio"), &binary).unwrap();
    std::fs::set_permissions(&binary, std::fs::Permissions::from_mode(0o755)).unwrap();
    let knowledge = dir.join("knowledge");
    std::fs::create_dir_all(&knowledge).unwrap();
    std::fs::copy(
        super::support::fixture("valid/sources.toml"),
        knowledge.join("sources.toml"),
    )
    .unwrap();
    let mut cmd = Command::new(&binary);
    cmd.arg("run")
        .current_dir(&dir)
        .env_clear()
        .env("DISCORD_TOKEN", super::fake_discord::TOKEN)
        // Never reached: the data directory is refused first.
        .env("DISCORD_API_BASE", "http://127.0.0.1:9")
        .env("CLIO_DATA_DIR", &data)
        .env("CLIO_KNOWLEDGE_DIR", &knowledge)
        .stdin(Stdio::null());
    if as_root {
        cmd.uid(IMAGE_UID).gid(IMAGE_UID);
    }
    let out = cmd.output().expect("clio runs");
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{stderr}");
    assert!(
        stderr.contains("read-only") && stderr.contains(&data.display().to_string()),
        "{stderr}"
    );
    std::fs::set_permissions(&data, std::fs::Permissions::from_mode(0o755)).unwrap();
    let _ = std::fs::remove_dir_all(&dir);
}

/// Two shards' processes on one data directory start at the same moment: each opens the new
/// database, checks it and runs the migrations while the other does. Every open succeeds (one
/// failed with "database is locked" when a migration read first and wrote later).
#[test]
fn processes_opening_a_new_database_at_once_all_open_it() {
    for round in 0..20 {
        let dir = scratch(&format!("at-once-{round}"));
        let opened: Vec<Result<(), String>> = std::thread::scope(|scope| {
            let openers: Vec<_> = (0..6)
                .map(|_| {
                    scope.spawn(|| SqliteStore::open(&dir).map(drop).map_err(|e| e.to_string()))
                })
                .collect();
            openers.into_iter().map(|t| t.join().unwrap()).collect()
        });
        for result in opened {
            assert_eq!(result, Ok(()), "round {round}");
        }
    }
}
