//! The storage backends: SQLite (one file in the data directory) implements the quiz's
//! [`QuizStore`] contract, and keeps the servers' settings and the reports of errors.

mod daily_question;
pub mod health;
mod night;
mod reports;
mod settings;
mod sqlite;

use std::path::Path;
use std::sync::Arc;

pub use reports::{Added, Limit, NewReport, Report, ReportStore, Reports, Resolved, LIMITS};
pub use settings::{DailySetting, GuildSettings, Settings, SettingsStore};
pub use sqlite::SqliteStore;

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
