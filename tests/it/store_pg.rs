//! What only PostgreSQL has to prove: several processes on one database (migrations under a
//! lock, one daily claim across processes), a server that cannot be reached named with what to
//! check, a schema from a newer Clio refused, and `clio migrate` copying a SQLite data
//! directory. Each test runs on a fresh database from `CLIO_TEST_DATABASE_URL` (.ci/run sets it)
//! and is skipped, by name, without it.

use std::process::Command;
use std::sync::{Arc, Barrier};
use std::time::Duration;

use chrono::NaiveDate;
use clio::store::{
    Added, DailySetting, PgStore, QuizStore, ReportStore, SettingsStore, SqliteStore, LIMITS,
};

use super::support::{pg_database, scratch_dir};

const T0: u64 = 1_700_000_000_000;

fn admin(url: &str) -> postgres::Client {
    postgres::Client::connect(url, postgres::NoTls).unwrap()
}

#[test]
fn processes_starting_together_migrate_once_under_the_lock() {
    let Some(db) =
        pg_database("it::store_pg::processes_starting_together_migrate_once_under_the_lock")
    else {
        return;
    };
    let start = Arc::new(Barrier::new(4));
    let opened: Vec<_> = (0..4)
        .map(|_| {
            let (url, start) = (db.url.clone(), start.clone());
            std::thread::spawn(move || {
                start.wait();
                PgStore::open(&url, Duration::ZERO).map(|_| ())
            })
        })
        .collect();
    for t in opened {
        t.join().unwrap().expect("every process opens the database");
    }
    let versions: Vec<i64> = admin(&db.url)
        .query(
            "SELECT version FROM schema_migrations ORDER BY version",
            &[],
        )
        .unwrap()
        .iter()
        .map(|r| r.get(0))
        .collect();
    // The same numbers as SQLite's migrations, whichever of them a file holds for both.
    let mut sqlite_versions: Vec<i64> =
        std::fs::read_dir(concat!(env!("CARGO_MANIFEST_DIR"), "/src/store/migrations"))
            .unwrap()
            .map(|f| {
                let name = f.unwrap().file_name().into_string().unwrap();
                name[..4].parse().unwrap()
            })
            .collect();
    sqlite_versions.sort();
    assert_eq!(versions, sqlite_versions, "each migration applied once");
}

#[test]
fn a_daily_post_is_claimed_by_exactly_one_of_several_processes() {
    let Some(db) =
        pg_database("it::store_pg::a_daily_post_is_claimed_by_exactly_one_of_several_processes")
    else {
        return;
    };
    // One store per "process": separate pools, separate connections.
    let stores: Vec<Arc<PgStore>> = (0..4).map(|_| Arc::new(db.store())).collect();
    stores[0]
        .set_daily(
            1,
            Some(DailySetting::new(42, "09:00", "Europe/Warsaw").unwrap()),
        )
        .unwrap();
    let date = NaiveDate::from_ymd_opt(2026, 1, 15).unwrap();
    let start = Arc::new(Barrier::new(stores.len()));
    let claims: Vec<bool> = stores
        .iter()
        .map(|s| {
            let (s, start) = (s.clone(), start.clone());
            std::thread::spawn(move || {
                start.wait();
                s.claim_daily(1, date, 42, T0).unwrap()
            })
        })
        .collect::<Vec<_>>()
        .into_iter()
        .map(|t| t.join().unwrap())
        .collect();
    assert_eq!(claims.iter().filter(|c| **c).count(), 1, "{claims:?}");
    // The second process sees the setting the first one wrote.
    assert_eq!(
        stores[3].guild_settings(1).unwrap().daily.unwrap().channel,
        42
    );
}

#[test]
fn an_unreachable_server_is_named_with_what_to_check() {
    // A port nothing listens on.
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let url = format!("postgres://clio:secret-password@127.0.0.1:{port}/clio");
    let error = match PgStore::open(&url, Duration::from_secs(3)) {
        Ok(_) => panic!("nothing listens on {port}"),
        Err(e) => e.to_string(),
    };
    assert!(error.contains(&format!("127.0.0.1:{port}/clio")), "{error}");
    assert!(
        error.contains("check that the server is running"),
        "{error}"
    );
    assert!(error.contains("data.database_url"), "{error}");
    assert!(
        !error.contains("secret-password"),
        "the password is never shown: {error}"
    );
}

#[test]
fn a_schema_from_a_newer_clio_is_refused_on_postgres() {
    let Some(db) = pg_database("it::store_pg::a_schema_from_a_newer_clio_is_refused_on_postgres")
    else {
        return;
    };
    drop(db.store());
    admin(&db.url)
        .execute(
            "INSERT INTO schema_migrations (version, applied_at) VALUES (999, 0)",
            &[],
        )
        .unwrap();
    let error = match PgStore::open(&db.url, Duration::ZERO) {
        Ok(_) => panic!("a newer schema must be refused"),
        Err(e) => e.to_string(),
    };
    assert!(error.contains("newer Clio"), "{error}");
    assert!(error.contains("999"), "{error}");
}

/// A SQLite data directory with a played quiz, settings, a daily claim and a report.
fn club_data(name: &str) -> (std::path::PathBuf, u64) {
    let dir = scratch_dir(name);
    let store = SqliteStore::open(&dir).unwrap();
    let quiz = super::store::played_quiz(&store);
    store.set_quizmaster_role(1, Some(77)).unwrap();
    store
        .claim_daily(1, NaiveDate::from_ymd_opt(2026, 1, 15).unwrap(), 42, T0)
        .unwrap();
    let mut report = super::store::report(7, 1, T0);
    report.text = "Zła data: 1 IX".into();
    assert!(matches!(
        store.add_report(&report, &LIMITS).unwrap(),
        Added::Stored(_)
    ));
    (dir, quiz)
}

pub(super) fn clio_migrate(
    dir: &std::path::Path,
    url: &str,
    extra: &[&str],
) -> std::process::Output {
    Command::new(env!("CARGO_BIN_EXE_clio"))
        .arg("migrate")
        .arg("--data")
        .arg(dir)
        .args(["--to", url])
        .args(extra)
        .env_remove("CLIO_DATA_DIR")
        .output()
        .unwrap()
}

#[test]
fn clio_migrate_copies_a_data_directory_and_says_what_it_copied() {
    let Some(db) =
        pg_database("it::store_pg::clio_migrate_copies_a_data_directory_and_says_what_it_copied")
    else {
        return;
    };
    let (dir, quiz) = club_data("migrate-copy");
    let sqlite = SqliteStore::open(&dir).unwrap();
    let out = clio_migrate(&dir, &db.url, &[]);
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success(),
        "{stdout}{}",
        String::from_utf8_lossy(&out.stderr)
    );
    for line in [
        "quizzes         1 rows",
        "answers         5 rows",
        "guild_settings  1 rows",
        "daily_posts     1 rows",
        "reports         1 rows",
    ] {
        assert!(stdout.contains(line), "`{line}` in:\n{stdout}");
    }
    let pg = db.store();
    // The same quiz (its id is in its buttons), the same leaderboard, the same report.
    let (a, b) = (
        sqlite.load_quiz(quiz).unwrap().unwrap(),
        pg.load_quiz(quiz).unwrap().unwrap(),
    );
    assert_eq!(a.session().rounds(), b.session().rounds());
    assert_eq!(a.messages, b.messages);
    assert_eq!(
        sqlite.leaderboard(1, None, 10).unwrap(),
        pg.leaderboard(1, None, 10).unwrap()
    );
    assert_eq!(
        sqlite.all_reports(true).unwrap(),
        pg.all_reports(true).unwrap()
    );
    assert_eq!(pg.guild_settings(1).unwrap().quizmaster_role, Some(77));
    // New rows continue after the copied ids.
    let Added::Stored(next) = pg
        .add_report(&super::store::report(8, 1, T0), &LIMITS)
        .unwrap()
    else {
        panic!("stored");
    };
    assert_eq!(next, sqlite.all_reports(true).unwrap()[0].id + 1);
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn clio_migrate_refuses_a_target_with_data_unless_told_to_replace_it() {
    let Some(db) = pg_database(
        "it::store_pg::clio_migrate_refuses_a_target_with_data_unless_told_to_replace_it",
    ) else {
        return;
    };
    let (dir, _) = club_data("migrate-refuse");
    assert!(clio_migrate(&dir, &db.url, &[]).status.success());
    let again = clio_migrate(&dir, &db.url, &[]);
    let stderr = String::from_utf8_lossy(&again.stderr);
    assert_eq!(again.status.code(), Some(1), "{stderr}");
    assert!(
        stderr.contains("already holds data (quizzes: 1"),
        "{stderr}"
    );
    assert!(stderr.contains("--replace"), "{stderr}");
    assert_eq!(
        db.store().all_reports(true).unwrap().len(),
        1,
        "nothing copied twice"
    );
    let replaced = clio_migrate(&dir, &db.url, &["--replace"]);
    assert!(
        replaced.status.success(),
        "{}",
        String::from_utf8_lossy(&replaced.stderr)
    );
    assert_eq!(db.store().all_reports(true).unwrap().len(), 1);
    // A directory with no database is named, and nothing is created in it.
    let empty = scratch_dir("migrate-empty");
    std::fs::create_dir_all(&empty).unwrap();
    let none = clio_migrate(&empty, &db.url, &[]);
    let stderr = String::from_utf8_lossy(&none.stderr);
    assert_eq!(none.status.code(), Some(1), "{stderr}");
    assert!(stderr.contains("no Clio database in"), "{stderr}");
    assert!(!empty.join(clio::store::DB_FILE).exists());
    let _ = std::fs::remove_dir_all(&dir);
    let _ = std::fs::remove_dir_all(&empty);
}
