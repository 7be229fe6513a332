//! Reports on PostgreSQL: the statements of `store/reports.rs`. Adding a report takes a
//! transaction-scoped advisory lock on its reporter, so the count and the insert see no other
//! report of theirs in between, from this process or another (SQLite's `BEGIN IMMEDIATE`).

use postgres::{GenericClient, Row};

use super::{count, from_sql, to_sql, PgError, PgStore};
use crate::i18n::Locale;
use crate::store::{Added, Limit, NewReport, Report, ReportStore, Resolved, StoreError};

const COLUMNS: &str = "id, entry_id, reporter, reporter_name, guild, locale, text, source, \
                       created_at, resolved_at, resolved_by FROM reports";

fn row_to_report(r: &Row) -> Report {
    let locale: String = r.get(5);
    Report {
        id: from_sql(r.get(0)),
        entry_id: r.get(1),
        reporter: from_sql(r.get(2)),
        reporter_name: r.get(3),
        guild: r.get::<_, Option<i64>>(4).map(from_sql),
        locale: Locale::from_discord(&locale),
        text: r.get(6),
        source: r.get(7),
        created_at: from_sql(r.get(8)),
        resolved_at: r.get::<_, Option<i64>>(9).map(from_sql),
        resolved_by: r.get::<_, Option<i64>>(10).map(from_sql),
    }
}

/// The first time from which `reporter` is under every limit again, if they are over one now.
fn limited_at(
    c: &mut impl GenericClient,
    reporter: u64,
    now: u64,
    limits: &[Limit],
) -> Result<Option<u64>, PgError> {
    let mut until: Option<u64> = None;
    for limit in limits {
        let since = now.saturating_sub(limit.window_ms);
        let n = count(
            c,
            "SELECT COUNT(*) FROM reports WHERE reporter = $1 AND created_at > $2",
            &[&to_sql(reporter), &to_sql(since)],
        )?;
        if n >= u64::from(limit.max) {
            // The limit holds until enough of the window's reports have aged out of it.
            let oldest_to_expire: Option<i64> = c
                .query_opt(
                    "SELECT created_at FROM reports WHERE reporter = $1 AND created_at > $2
                     ORDER BY created_at LIMIT 1 OFFSET $3",
                    &[
                        &to_sql(reporter),
                        &to_sql(since),
                        &((n - u64::from(limit.max)) as i64),
                    ],
                )?
                .map(|r| r.get(0));
            let at = oldest_to_expire.map_or(now, from_sql) + limit.window_ms;
            until = Some(until.map_or(at, |u| u.max(at)));
        }
    }
    Ok(until)
}

impl ReportStore for PgStore {
    fn add_report(&self, report: &NewReport, limits: &[Limit]) -> Result<Added, StoreError> {
        self.write(|tx| {
            tx.execute(
                "SELECT pg_advisory_xact_lock($1)",
                &[&to_sql(report.reporter)],
            )?;
            if let Some(retry_at) = limited_at(tx, report.reporter, report.created_at, limits)? {
                return Ok(Added::Limited { retry_at });
            }
            let id: i64 = tx
                .query_one(
                    "INSERT INTO reports (entry_id, reporter, reporter_name, guild, locale, text,
                                          source, created_at)
                     VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING id",
                    &[
                        &report.entry_id,
                        &to_sql(report.reporter),
                        &report.reporter_name,
                        &report.guild.map(to_sql),
                        &report.locale.code(),
                        &report.text,
                        &report.source,
                        &to_sql(report.created_at),
                    ],
                )?
                .get(0);
            Ok(Added::Stored(from_sql(id)))
        })
    }

    fn limited_until(
        &self,
        reporter: u64,
        now: u64,
        limits: &[Limit],
    ) -> Result<Option<u64>, StoreError> {
        self.read(|c| limited_at(c, reporter, now, limits))
    }

    fn open_reports(
        &self,
        guild: u64,
        offset: usize,
        limit: usize,
    ) -> Result<Vec<Report>, StoreError> {
        self.read(|c| {
            Ok(c.query(
                &format!(
                    "SELECT {COLUMNS} WHERE guild = $1 AND resolved_at IS NULL ORDER BY id
                     LIMIT $2 OFFSET $3"
                ),
                &[&to_sql(guild), &(limit as i64), &(offset as i64)],
            )?
            .iter()
            .map(row_to_report)
            .collect())
        })
    }

    fn count_open(&self, guild: u64) -> Result<usize, StoreError> {
        self.read(|c| {
            count(
                c,
                "SELECT COUNT(*) FROM reports WHERE guild = $1 AND resolved_at IS NULL",
                &[&to_sql(guild)],
            )
        })
        .map(|n| n as usize)
    }

    fn resolve_report(
        &self,
        id: u64,
        guild: u64,
        by: u64,
        at: u64,
    ) -> Result<Resolved, StoreError> {
        self.write(|tx| {
            // FOR UPDATE: two people resolving at once take turns; the second sees the first.
            let found = tx.query_opt(
                "SELECT resolved_at, resolved_by FROM reports WHERE id = $1 AND guild = $2
                 FOR UPDATE",
                &[&to_sql(id), &to_sql(guild)],
            )?;
            Ok(match found {
                None => Resolved::NotFound,
                Some(r) => match (r.get::<_, Option<i64>>(0), r.get::<_, Option<i64>>(1)) {
                    (Some(at), Some(by)) => Resolved::Already {
                        by: from_sql(by),
                        at: from_sql(at),
                    },
                    _ => {
                        tx.execute(
                            "UPDATE reports SET resolved_at = $2, resolved_by = $3 WHERE id = $1",
                            &[&to_sql(id), &to_sql(at), &to_sql(by)],
                        )?;
                        Resolved::Done
                    }
                },
            })
        })
    }

    fn all_reports(&self, include_resolved: bool) -> Result<Vec<Report>, StoreError> {
        let filter = if include_resolved {
            ""
        } else {
            "WHERE resolved_at IS NULL"
        };
        self.read(|c| {
            Ok(
                c.query(&format!("SELECT {COLUMNS} {filter} ORDER BY id"), &[])?
                    .iter()
                    .map(row_to_report)
                    .collect(),
            )
        })
    }
}
