//! The PostgreSQL backend: the store several Clio processes share (`data.database_url`).
//!
//! Why the blocking `postgres` crate and not sqlx: the store contracts ([`QuizStore`],
//! [`SettingsStore`], [`ReportStore`]) are blocking, and async code already reaches them through
//! tokio's blocking pool (`Store`, `Settings`, `Reports`); SQLite stays on rusqlite. `postgres`
//! (a thin blocking wrapper over tokio-postgres, by the same well-kept project) implements the same
//! traits with the same SQL, one statement per backend file, with no second async layer, no
//! compile-time query macros and no new build step. What sqlx would bring besides, a pool, is
//! [`pool`]: a few dozen lines that also know when a call may be retried.
//!
//! The schema is SQLite's, in PostgreSQL's types, with the same migration numbers
//! (`pg/migrations/NNNN_*.sql` beside `migrations/NNNN_*.sql`); they are applied at start-up
//! under an advisory lock, so two processes starting together migrate once.
//! Every statement is the SQLite one with `$n` for `?n` (and `GREATEST` for two-argument `MAX`,
//! `CASE` for a boolean sum): porting a store method is copying it and renaming its placeholders.
//! Newer store code is not copied at all: quiz nights (`store/night.rs`) are written once against
//! `store::portable::Db`, which `portable::Pg` implements here, and their migrations (0005 on)
//! are plain SQL that this list includes from SQLite's directory.

mod daily_question;
mod night;
mod pool;
mod portable;
mod quiz;
mod reports;
mod settings;

use std::time::{Duration, Instant};

use postgres::error::SqlState;
use postgres::{Client, Config, GenericClient, Transaction};

use super::StoreError;
use pool::{Failed, Pool};

/// The schema, one step per migration, with the same numbers as SQLite's.
const MIGRATIONS: &[(i64, &str)] = &[
    (1, include_str!("migrations/0001_quizzes.sql")),
    (2, include_str!("migrations/0002_settings.sql")),
    (3, include_str!("migrations/0003_end_reasons.sql")),
    (4, include_str!("migrations/0004_reports.sql")),
    // Written in SQL both backends run: one file for both.
    (5, include_str!("../migrations/0005_nights.sql")),
    (6, include_str!("../migrations/0006_seasons.sql")),
    (7, include_str!("../migrations/0007_schedules.sql")),
    (8, include_str!("../migrations/0008_daily_questions.sql")),
];

/// The advisory lock that migrations run under ("clio" in ASCII): one process migrates, the
/// others wait for it and then find nothing left to do.
const MIGRATION_LOCK: i64 = 0x636c_696f;

/// How long start-up keeps trying a server that does not answer before it gives up.
pub const STARTUP_WAIT: Duration = Duration::from_secs(60);

pub struct PgStore {
    pool: Pool,
}

/// An error inside a call: from the database, or from reading what it returned.
#[derive(Debug)]
pub enum PgError {
    Pg(postgres::Error),
    Store(StoreError),
}

impl From<postgres::Error> for PgError {
    fn from(e: postgres::Error) -> Self {
        PgError::Pg(e)
    }
}

impl From<StoreError> for PgError {
    fn from(e: StoreError) -> Self {
        PgError::Store(e)
    }
}

impl From<serde_json::Error> for PgError {
    fn from(e: serde_json::Error) -> Self {
        PgError::Store(e.into())
    }
}

impl PgError {
    fn connection_closed(&self) -> bool {
        match self {
            PgError::Pg(e) => {
                e.is_closed()
                    || e.code() == Some(&SqlState::ADMIN_SHUTDOWN)
                    || e.code() == Some(&SqlState::CRASH_SHUTDOWN)
                    || e.code() == Some(&SqlState::CANNOT_CONNECT_NOW)
            }
            PgError::Store(_) => false,
        }
    }

    fn into_store(self, target: &str, lost: bool) -> StoreError {
        match self {
            PgError::Store(e) => e,
            PgError::Pg(e) => {
                let busy = e.as_db_error().is_some_and(|d| {
                    d.code() == &SqlState::UNIQUE_VIOLATION
                        && d.constraint() == Some("quizzes_one_open_per_channel")
                });
                if busy {
                    StoreError::ChannelBusy
                } else if lost {
                    StoreError::Database(format!(
                        "the connection to PostgreSQL at {target} was lost ({e}); it reconnects \
                         on the next call"
                    ))
                } else {
                    StoreError::Database(format!("PostgreSQL at {target}: {}", describe(&e)))
                }
            }
        }
    }
}

/// The server's own message when there is one (the `Display` of a database error is terse).
fn describe(e: &postgres::Error) -> String {
    match e.as_db_error() {
        Some(d) => format!("{}: {}", d.code().code(), d.message()),
        None => e.to_string(),
    }
}

/// Ids and times are u64; PostgreSQL's BIGINT is i64. The bit pattern round-trips exactly.
fn to_sql(n: u64) -> i64 {
    n as i64
}

fn from_sql(n: i64) -> u64 {
    n as u64
}

impl PgStore {
    /// Whether a text is a PostgreSQL URL (the value of `data.database_url` that selects this
    /// backend).
    pub fn is_url(url: &str) -> bool {
        url.starts_with("postgres://") || url.starts_with("postgresql://")
    }

    /// Connect to `url` and bring its schema up to date. A server that does not answer is
    /// retried for up to `wait`, saying so in the log each time with where and what to check.
    pub fn open(url: &str, wait: Duration) -> Result<PgStore, StoreError> {
        let config: Config = url.parse().map_err(|e| {
            StoreError::Database(format!(
                "`data.database_url` is not a PostgreSQL URL ({e}); write it as \
                 postgres://USER:PASSWORD@HOST:PORT/DATABASE"
            ))
        })?;
        let pool = Pool::new(config);
        let started = Instant::now();
        let mut client = loop {
            match pool.connect() {
                Ok(client) => break client,
                Err(e) if e.as_db_error().is_none() && started.elapsed() < wait => {
                    tracing::warn!(
                        target = %pool.target,
                        error = %e,
                        retry_for_s = wait.saturating_sub(started.elapsed()).as_secs(),
                        "cannot reach PostgreSQL: is the server running, and does it accept \
                         connections from this host (listen_addresses, pg_hba.conf)? retrying"
                    );
                    std::thread::sleep(Duration::from_secs(2));
                }
                Err(e) => return Err(pool::unreachable(&pool.target, &e)),
            }
        };
        migrate(&mut client).map_err(|e| e.into_store(&pool.target, false))?;
        Ok(PgStore { pool })
    }

    /// Run `body` in one transaction on a pooled connection, all or nothing.
    fn write<T>(
        &self,
        mut body: impl FnMut(&mut Transaction<'_>) -> Result<T, PgError>,
    ) -> Result<T, StoreError> {
        self.pool.run(|client| {
            let mut tx = client.transaction().map_err(PgError::from)?;
            let value = body(&mut tx)?;
            tx.commit().map_err(|e| Failed {
                error: e.into(),
                maybe_stored: true,
            })?;
            Ok(value)
        })
    }

    /// Run `body`, which only reads, on a pooled connection.
    fn read<T>(
        &self,
        mut body: impl FnMut(&mut Client) -> Result<T, PgError>,
    ) -> Result<T, StoreError> {
        self.pool.run(|client| Ok(body(client)?))
    }

    /// Where this store connects, without the password.
    pub fn target(&self) -> &str {
        &self.pool.target
    }
}

/// Apply the migrations not yet applied, under [`MIGRATION_LOCK`]; refuse a schema from a
/// newer Clio.
fn migrate(client: &mut Client) -> Result<(), PgError> {
    client.execute("SELECT pg_advisory_lock($1)", &[&MIGRATION_LOCK])?;
    let migrated = run_migrations(client);
    let unlocked = client.execute("SELECT pg_advisory_unlock($1)", &[&MIGRATION_LOCK]);
    migrated?;
    unlocked?;
    Ok(())
}

fn run_migrations(client: &mut Client) -> Result<(), PgError> {
    client.batch_execute(
        "CREATE TABLE IF NOT EXISTS schema_migrations (
            version    BIGINT PRIMARY KEY,
            applied_at BIGINT NOT NULL
        )",
    )?;
    let known = MIGRATIONS.last().map(|(v, _)| *v).unwrap_or(0);
    let newest: Option<i64> = client
        .query_one("SELECT MAX(version) FROM schema_migrations", &[])?
        .get(0);
    if let Some(v) = newest.filter(|v| *v > known) {
        return Err(StoreError::Database(format!(
            "this database was written by a newer Clio (schema version {v}; this Clio knows up \
             to {known}): run that version or a newer one, or point `data.database_url` elsewhere"
        ))
        .into());
    }
    for (version, sql) in MIGRATIONS {
        let mut tx = client.transaction()?;
        let done = tx
            .query_opt(
                "SELECT 1 FROM schema_migrations WHERE version = $1",
                &[version],
            )?
            .is_some();
        if !done {
            tx.batch_execute(sql)?;
            tx.execute(
                "INSERT INTO schema_migrations (version, applied_at) VALUES ($1, $2)",
                &[version, &to_sql(crate::clock::wall_ms())],
            )?;
        }
        tx.commit()?;
    }
    Ok(())
}

/// A count of rows, as PostgreSQL gives it (BIGINT).
fn count(
    client: &mut impl GenericClient,
    sql: &str,
    params: &[&(dyn postgres::types::ToSql + Sync)],
) -> Result<u64, PgError> {
    let n: i64 = client.query_one(sql, params)?.get(0);
    Ok(n.max(0) as u64)
}

impl PgStore {
    /// A connection of its own, outside the pool: for `clio migrate`, which runs one long
    /// transaction.
    pub(crate) fn client(&self) -> Result<Client, StoreError> {
        self.pool
            .connect()
            .map_err(|e| pool::unreachable(&self.pool.target, &e))
    }
}
