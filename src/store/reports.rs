//! Reports of an error in an entry, in the same SQLite database as the quizzes and settings.
//!
//! A report is stored before it is confirmed, and counted toward its reporter's rate limit in the
//! same transaction that stores it ([`ReportStore::add_report`]), so the limit holds across
//! restarts and two quick submissions cannot both slip under it. Servers see and resolve only
//! their own reports; the maintainer's `clio reports` lists them all.

use std::sync::Arc;

use rusqlite::{params, OptionalExtension, TransactionBehavior};

use super::{SqliteStore, StoreError};
use crate::i18n::Locale;

/// At most `max` reports by one person within any `window_ms`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Limit {
    pub max: u32,
    pub window_ms: u64,
}

/// Three reports per ten minutes and twenty per day: a club must not be flooded.
pub const LIMITS: [Limit; 2] = [
    Limit {
        max: 3,
        window_ms: 10 * 60 * 1000,
    },
    Limit {
        max: 20,
        window_ms: 24 * 60 * 60 * 1000,
    },
];

/// A report about to be stored.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewReport {
    pub entry_id: String,
    pub reporter: u64,
    pub reporter_name: String,
    pub guild: Option<u64>,
    pub locale: Locale,
    /// What is wrong; never empty.
    pub text: String,
    /// The source that says otherwise, if the reporter gave one.
    pub source: Option<String>,
    pub created_at: u64,
}

/// A stored report.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Report {
    pub id: u64,
    pub entry_id: String,
    pub reporter: u64,
    pub reporter_name: String,
    pub guild: Option<u64>,
    pub locale: Locale,
    pub text: String,
    pub source: Option<String>,
    pub created_at: u64,
    pub resolved_at: Option<u64>,
    pub resolved_by: Option<u64>,
}

/// What storing a report did.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Added {
    /// Stored, with its id.
    Stored(u64),
    /// Refused: the reporter reached a limit; another report is accepted from `retry_at` (ms).
    Limited { retry_at: u64 },
}

/// What marking a report resolved did.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Resolved {
    Done,
    /// Someone had already marked it resolved.
    Already {
        by: u64,
        at: u64,
    },
    /// No such report in this server.
    NotFound,
}

/// What a report backend must do. Calls block; use [`Reports`] from async code.
pub trait ReportStore: Send + Sync {
    /// Store `report` unless its reporter reached one of `limits` at `report.created_at`.
    fn add_report(&self, report: &NewReport, limits: &[Limit]) -> Result<Added, StoreError>;
    /// When `reporter` may report again, if one of `limits` holds them back at `now`.
    fn limited_until(
        &self,
        reporter: u64,
        now: u64,
        limits: &[Limit],
    ) -> Result<Option<u64>, StoreError>;
    /// The server's open reports, oldest first: `limit` of them from `offset`.
    fn open_reports(
        &self,
        guild: u64,
        offset: usize,
        limit: usize,
    ) -> Result<Vec<Report>, StoreError>;
    /// How many open reports the server has.
    fn count_open(&self, guild: u64) -> Result<usize, StoreError>;
    /// Mark the server's report `id` resolved by `by` at `at`.
    fn resolve_report(&self, id: u64, guild: u64, by: u64, at: u64)
        -> Result<Resolved, StoreError>;
    /// Every report of every server, oldest first: the open ones, or all.
    fn all_reports(&self, include_resolved: bool) -> Result<Vec<Report>, StoreError>;
}

fn to_sql(n: u64) -> i64 {
    n as i64
}

fn from_sql(n: i64) -> u64 {
    n as u64
}

const COLUMNS: &str = "id, entry_id, reporter, reporter_name, guild, locale, text, source, \
                       created_at, resolved_at, resolved_by FROM reports";

fn row_to_report(r: &rusqlite::Row<'_>) -> rusqlite::Result<Report> {
    let locale: String = r.get(5)?;
    Ok(Report {
        id: from_sql(r.get(0)?),
        entry_id: r.get(1)?,
        reporter: from_sql(r.get(2)?),
        reporter_name: r.get(3)?,
        guild: r.get::<_, Option<i64>>(4)?.map(from_sql),
        locale: Locale::from_discord(&locale),
        text: r.get(6)?,
        source: r.get(7)?,
        created_at: from_sql(r.get(8)?),
        resolved_at: r.get::<_, Option<i64>>(9)?.map(from_sql),
        resolved_by: r.get::<_, Option<i64>>(10)?.map(from_sql),
    })
}

/// The first time from which `reporter` is under every limit again, if they are over one now.
fn limited_at(
    conn: &rusqlite::Connection,
    reporter: u64,
    now: u64,
    limits: &[Limit],
) -> Result<Option<u64>, StoreError> {
    let mut until: Option<u64> = None;
    for limit in limits {
        let since = now.saturating_sub(limit.window_ms);
        let count: i64 = conn.query_row(
            "SELECT COUNT(*) FROM reports WHERE reporter = ?1 AND created_at > ?2",
            params![to_sql(reporter), to_sql(since)],
            |r| r.get(0),
        )?;
        let count = count.max(0) as u64;
        if count >= u64::from(limit.max) {
            // The limit holds until enough of the window's reports have aged out of it.
            let oldest_to_expire: Option<i64> = conn
                .query_row(
                    "SELECT created_at FROM reports WHERE reporter = ?1 AND created_at > ?2
                     ORDER BY created_at LIMIT 1 OFFSET ?3",
                    params![
                        to_sql(reporter),
                        to_sql(since),
                        (count - u64::from(limit.max)) as i64
                    ],
                    |r| r.get(0),
                )
                .optional()?;
            let at = oldest_to_expire.map_or(now, from_sql) + limit.window_ms;
            until = Some(until.map_or(at, |u| u.max(at)));
        }
    }
    Ok(until)
}

impl ReportStore for SqliteStore {
    fn add_report(&self, report: &NewReport, limits: &[Limit]) -> Result<Added, StoreError> {
        let mut conn = self.conn();
        // IMMEDIATE: the count and the insert see no other writer in between.
        let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
        if let Some(retry_at) = limited_at(&tx, report.reporter, report.created_at, limits)? {
            return Ok(Added::Limited { retry_at });
        }
        tx.execute(
            "INSERT INTO reports (entry_id, reporter, reporter_name, guild, locale, text, source,
                                  created_at)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
            params![
                report.entry_id,
                to_sql(report.reporter),
                report.reporter_name,
                report.guild.map(to_sql),
                report.locale.code(),
                report.text,
                report.source,
                to_sql(report.created_at)
            ],
        )?;
        let id = from_sql(tx.last_insert_rowid());
        tx.commit()?;
        Ok(Added::Stored(id))
    }

    fn limited_until(
        &self,
        reporter: u64,
        now: u64,
        limits: &[Limit],
    ) -> Result<Option<u64>, StoreError> {
        limited_at(&self.conn(), reporter, now, limits)
    }

    fn open_reports(
        &self,
        guild: u64,
        offset: usize,
        limit: usize,
    ) -> Result<Vec<Report>, StoreError> {
        let conn = self.conn();
        let mut stmt = conn.prepare(&format!(
            "SELECT {COLUMNS} WHERE guild = ?1 AND resolved_at IS NULL ORDER BY id
             LIMIT ?2 OFFSET ?3"
        ))?;
        let rows = stmt.query_map(
            params![to_sql(guild), limit as i64, offset as i64],
            row_to_report,
        )?;
        Ok(rows.collect::<Result<Vec<_>, _>>()?)
    }

    fn count_open(&self, guild: u64) -> Result<usize, StoreError> {
        let n: i64 = self.conn().query_row(
            "SELECT COUNT(*) FROM reports WHERE guild = ?1 AND resolved_at IS NULL",
            [to_sql(guild)],
            |r| r.get(0),
        )?;
        Ok(n.max(0) as usize)
    }

    fn resolve_report(
        &self,
        id: u64,
        guild: u64,
        by: u64,
        at: u64,
    ) -> Result<Resolved, StoreError> {
        let mut conn = self.conn();
        let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
        let found: Option<(Option<i64>, Option<i64>)> = tx
            .query_row(
                "SELECT resolved_at, resolved_by FROM reports WHERE id = ?1 AND guild = ?2",
                params![to_sql(id), to_sql(guild)],
                |r| Ok((r.get(0)?, r.get(1)?)),
            )
            .optional()?;
        let outcome = match found {
            None => Resolved::NotFound,
            Some((Some(at), Some(by))) => Resolved::Already {
                by: from_sql(by),
                at: from_sql(at),
            },
            Some(_) => {
                tx.execute(
                    "UPDATE reports SET resolved_at = ?2, resolved_by = ?3 WHERE id = ?1",
                    params![to_sql(id), to_sql(at), to_sql(by)],
                )?;
                Resolved::Done
            }
        };
        tx.commit()?;
        Ok(outcome)
    }

    fn all_reports(&self, include_resolved: bool) -> Result<Vec<Report>, StoreError> {
        let conn = self.conn();
        let filter = if include_resolved {
            ""
        } else {
            "WHERE resolved_at IS NULL"
        };
        let mut stmt = conn.prepare(&format!("SELECT {COLUMNS} {filter} ORDER BY id"))?;
        let rows = stmt.query_map([], row_to_report)?;
        Ok(rows.collect::<Result<Vec<_>, _>>()?)
    }
}

/// The report store for async code: each call runs on the blocking pool.
#[derive(Clone)]
pub struct Reports {
    backend: Arc<dyn ReportStore>,
}

impl Reports {
    pub fn new(backend: Arc<dyn ReportStore>) -> Reports {
        Reports { backend }
    }

    /// The backend itself, for code that is already off the async runtime.
    pub fn blocking(&self) -> &dyn ReportStore {
        &*self.backend
    }

    pub async fn call<T, F>(&self, f: F) -> Result<T, StoreError>
    where
        T: Send + 'static,
        F: FnOnce(&dyn ReportStore) -> Result<T, StoreError> + Send + 'static,
    {
        let backend = self.backend.clone();
        tokio::task::spawn_blocking(move || f(&*backend))
            .await
            .map_err(|e| StoreError::Task(e.to_string()))?
    }
}
