//! The storage backends: SQLite (one file in the data directory, the default) and PostgreSQL
//! (`data.database_url`, shared by several processes) each implement the quiz's [`QuizStore`]
//! contract, and keep the servers' settings and the reports of errors.

mod daily_question;
pub mod health;
pub mod migrate;
mod night;
mod pg;
mod portable;
mod reports;
mod settings;
mod sqlite;

use std::path::Path;
use std::sync::Arc;

pub use pg::{PgStore, STARTUP_WAIT as PG_STARTUP_WAIT};
pub use reports::{Added, Limit, NewReport, Report, ReportStore, Reports, Resolved, LIMITS};
pub use settings::{DailySetting, GuildSettings, Settings, SettingsStore};
pub use sqlite::SqliteStore;

pub use crate::quiz::night::seasons::{NightStore, Season};
pub use crate::quiz::persist::{
    answer_write, writes, LeaderRow, NewQuiz, QuizId, QuizStore, Store, StoreError, StoredQuiz,
    Write,
};

/// The database file inside the data directory.
pub const DB_FILE: &str = "clio.sqlite3";

/// The SQLite store in `dir` (created if needed), migrated to the current schema, for async code.
pub fn open(dir: &Path) -> Result<Store, StoreError> {
    Ok(Store::new(Arc::new(SqliteStore::open(dir)?)))
}

/// Everything Clio stores, in one backend: what `clio run` opens. An `Arc<dyn Backend>` is
/// also an `Arc<dyn QuizStore>`, `Arc<dyn SettingsStore>`, `Arc<dyn ReportStore>`,
/// `Arc<dyn NightStore>` and `Arc<dyn DailyQuestionStore>`.
pub trait Backend:
    QuizStore + SettingsStore + ReportStore + NightStore + crate::quiz::daily::DailyQuestionStore
{
    /// Where the data is, for messages: the SQLite file, or PostgreSQL's host (no password).
    fn describe(&self) -> String;
}

impl Backend for SqliteStore {
    fn describe(&self) -> String {
        "SQLite".into()
    }
}

impl Backend for PgStore {
    fn describe(&self) -> String {
        format!("PostgreSQL at {}", self.target())
    }
}

/// The configured backend, migrated: PostgreSQL at `database_url` when one is given (waiting up
/// to [`PG_STARTUP_WAIT`] for a server that does not answer yet), else SQLite in `dir`.
pub fn open_backend(
    dir: &Path,
    database_url: Option<&str>,
) -> Result<Arc<dyn Backend>, StoreError> {
    Ok(match database_url {
        Some(url) => Arc::new(PgStore::open(url, PG_STARTUP_WAIT)?),
        None => Arc::new(SqliteStore::open(dir)?),
    })
}
