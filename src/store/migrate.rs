//! `clio migrate --to postgres://...`: copy a SQLite data directory into PostgreSQL, so a club
//! that outgrows one process keeps its history. Every table is copied row for row, ids included
//! (a quiz's id is in its buttons), in one PostgreSQL transaction: all of it or nothing.
//!
//! A table added by a later migration is one more line in [`TABLES`].

use std::path::Path;

use postgres::types::ToSql;
use rusqlite::types::Value;

use super::{PgStore, SqliteStore, StoreError, DB_FILE};

/// How a column is typed in PostgreSQL (SQLite has one INTEGER).
#[derive(Clone, Copy)]
enum Col {
    /// BIGINT / BIGSERIAL: ids, times.
    Big,
    /// INTEGER: indexes, points, 0/1 flags.
    Int,
    Text,
}

struct Table {
    name: &'static str,
    columns: &'static [(&'static str, Col)],
    /// The BIGSERIAL column whose sequence must continue after the copied ids.
    serial: Option<&'static str>,
}

use Col::{Big, Int, Text};

/// Parents before children, so references hold as rows arrive.
const TABLES: &[Table] = &[
    Table {
        name: "quizzes",
        columns: &[
            ("id", Big),
            ("guild_id", Big),
            ("channel_id", Big),
            ("host_id", Big),
            ("seed", Big),
            ("config", Text),
            ("questions", Text),
            ("state", Text),
            ("paused_at", Big),
            ("end_reason", Text),
            ("started_at", Big),
            ("updated_at", Big),
            ("ended_at", Big),
        ],
        serial: Some("id"),
    },
    Table {
        name: "quiz_questions",
        columns: &[
            ("quiz_id", Big),
            ("idx", Int),
            ("key", Text),
            ("kind", Text),
            ("opened_at", Big),
            ("deadline", Big),
            ("revealed_at", Big),
            ("message_id", Big),
        ],
        serial: None,
    },
    Table {
        name: "answers",
        columns: &[
            ("id", Big),
            ("quiz_id", Big),
            ("idx", Int),
            ("player_id", Big),
            ("player_name", Text),
            ("given", Text),
            ("elapsed_ms", Big),
            ("at", Big),
            ("changed", Int),
            ("verdict", Text),
            ("points", Int),
            ("current", Int),
        ],
        serial: Some("id"),
    },
    Table {
        name: "quiz_team_joins",
        columns: &[
            ("quiz_id", Big),
            ("player_id", Big),
            ("player_name", Text),
            ("team", Int),
            ("joined_at", Big),
        ],
        serial: None,
    },
    Table {
        name: "quiz_team_names",
        columns: &[("quiz_id", Big), ("team", Int), ("name", Text)],
        serial: None,
    },
    Table {
        name: "quiz_hints",
        columns: &[
            ("quiz_id", Big),
            ("idx", Int),
            ("player_id", Big),
            ("taken_at", Big),
        ],
        serial: None,
    },
    Table {
        name: "quiz_breaks",
        columns: &[
            ("quiz_id", Big),
            ("kind", Text),
            ("round", Int),
            ("began_at", Big),
            ("ends_at", Big),
        ],
        serial: None,
    },
    Table {
        name: "guild_settings",
        columns: &[
            ("guild_id", Big),
            ("quizmaster_role", Big),
            ("locale", Text),
            ("daily_channel", Big),
            ("daily_time", Text),
            ("daily_zone", Text),
            ("updated_at", Big),
        ],
        serial: None,
    },
    Table {
        name: "daily_posts",
        columns: &[
            ("guild_id", Big),
            ("local_date", Text),
            ("channel_id", Big),
            ("claimed_at", Big),
            ("posted_at", Big),
        ],
        serial: None,
    },
    Table {
        name: "reports",
        columns: &[
            ("id", Big),
            ("entry_id", Text),
            ("reporter", Big),
            ("reporter_name", Text),
            ("guild", Big),
            ("locale", Text),
            ("text", Text),
            ("source", Text),
            ("created_at", Big),
            ("resolved_at", Big),
            ("resolved_by", Big),
        ],
        serial: Some("id"),
    },
    Table {
        name: "scheduled_quizzes",
        columns: &[
            ("id", Big),
            ("guild_id", Big),
            ("channel_id", Big),
            ("host_id", Big),
            ("starts_at", Big),
            ("config", Text),
            ("event_id", Big),
            ("state", Text),
            ("created_at", Big),
        ],
        serial: None,
    },
    Table {
        name: "daily_question_settings",
        columns: &[
            ("guild_id", Big),
            ("channel_id", Big),
            ("time", Text),
            ("zone", Text),
            ("updated_at", Big),
        ],
        serial: None,
    },
    Table {
        name: "daily_questions",
        columns: &[
            ("guild_id", Big),
            ("local_date", Text),
            ("channel_id", Big),
            ("question_key", Text),
            ("question", Text),
            ("claimed_at", Big),
            ("revealed_at", Big),
        ],
        serial: None,
    },
    Table {
        name: "daily_answers",
        columns: &[
            ("guild_id", Big),
            ("local_date", Text),
            ("player_id", Big),
            ("player_name", Text),
            ("choice", Int),
            ("correct", Int),
            ("answered_at", Big),
        ],
        serial: None,
    },
    Table {
        name: "seasons",
        columns: &[
            ("guild_id", Big),
            ("number", Int),
            ("name", Text),
            ("started_at", Big),
        ],
        serial: None,
    },
];

/// What a copy did: rows per table, in copy order.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Copied {
    pub tables: Vec<(&'static str, u64)>,
}

/// Why a copy did not happen.
#[derive(Debug)]
pub enum MigrateError {
    /// The target already holds data; nothing was changed. Rows per non-empty table.
    TargetNotEmpty(Vec<(&'static str, u64)>),
    Store(StoreError),
}

impl From<StoreError> for MigrateError {
    fn from(e: StoreError) -> Self {
        MigrateError::Store(e)
    }
}

impl From<postgres::Error> for MigrateError {
    fn from(e: postgres::Error) -> Self {
        let text = match e.as_db_error() {
            Some(d) => format!("{}: {}", d.code().code(), d.message()),
            None => e.to_string(),
        };
        MigrateError::Store(StoreError::Database(format!(
            "copying into PostgreSQL: {text}"
        )))
    }
}

impl From<rusqlite::Error> for MigrateError {
    fn from(e: rusqlite::Error) -> Self {
        MigrateError::Store(e.into())
    }
}

/// Copy the SQLite database of data directory `dir` into the PostgreSQL database at `url`
/// (migrated first). A target with data is refused unless `replace`, which empties it first.
pub fn sqlite_to_postgres(dir: &Path, url: &str, replace: bool) -> Result<Copied, MigrateError> {
    let file = dir.join(DB_FILE);
    if !file.is_file() {
        return Err(StoreError::Io(format!(
            "no Clio database in `{}` (expected `{}`): pass the data directory `clio run` uses \
             (`--data DIR`, `data.dir`)",
            dir.display(),
            file.display()
        ))
        .into());
    }
    let source = SqliteStore::open(dir)?;
    let target = PgStore::open(url, std::time::Duration::ZERO)?;
    let mut client = target.client()?;
    let mut tx = client.transaction()?;

    let mut present = Vec::new();
    for table in TABLES {
        let n: i64 = tx
            .query_one(&format!("SELECT COUNT(*) FROM {}", table.name), &[])?
            .get(0);
        if n > 0 {
            present.push((table.name, n as u64));
        }
    }
    if !present.is_empty() {
        if !replace {
            return Err(MigrateError::TargetNotEmpty(present));
        }
        let names: Vec<&str> = TABLES.iter().map(|t| t.name).collect();
        tx.batch_execute(&format!("TRUNCATE {}", names.join(", ")))?;
    }

    let conn = source.conn();
    let mut copied = Vec::new();
    for table in TABLES {
        let names: Vec<&str> = table.columns.iter().map(|(n, _)| *n).collect();
        let placeholders: Vec<String> = (1..=names.len()).map(|i| format!("${i}")).collect();
        let insert = tx.prepare(&format!(
            "INSERT INTO {} ({}) VALUES ({})",
            table.name,
            names.join(", "),
            placeholders.join(", ")
        ))?;
        let mut select = conn.prepare(&format!(
            "SELECT {} FROM {} ORDER BY rowid",
            names.join(", "),
            table.name
        ))?;
        let mut rows = select.query([])?;
        let mut n = 0u64;
        while let Some(row) = rows.next()? {
            let mut values: Vec<Box<dyn ToSql + Sync>> = Vec::with_capacity(names.len());
            for (i, (column, kind)) in table.columns.iter().enumerate() {
                values.push(convert(row.get::<_, Value>(i)?, *kind, table.name, column)?);
            }
            let params: Vec<&(dyn ToSql + Sync)> = values.iter().map(|v| v.as_ref()).collect();
            tx.execute(&insert, &params)?;
            n += 1;
        }
        if let Some(serial) = table.serial {
            // The next id follows the copied ones.
            tx.execute(
                &format!(
                    "SELECT setval(pg_get_serial_sequence('{0}', '{1}'),
                                   COALESCE((SELECT MAX({1}) FROM {0}), 0) + 1, false)",
                    table.name, serial
                ),
                &[],
            )?;
        }
        copied.push((table.name, n));
    }
    tx.commit()?;
    Ok(Copied { tables: copied })
}

/// One SQLite value as the PostgreSQL column's type.
fn convert(
    value: Value,
    kind: Col,
    table: &str,
    column: &str,
) -> Result<Box<dyn ToSql + Sync>, MigrateError> {
    let wrong = |v: &Value| {
        MigrateError::Store(StoreError::Corrupt(format!(
            "`{table}.{column}` holds {v:?}, which the PostgreSQL schema cannot take"
        )))
    };
    Ok(match (kind, value) {
        (Big, Value::Null) => Box::new(None::<i64>),
        (Big, Value::Integer(n)) => Box::new(Some(n)),
        (Int, Value::Null) => Box::new(None::<i32>),
        (Int, Value::Integer(n)) => Box::new(Some(
            i32::try_from(n).map_err(|_| wrong(&Value::Integer(n)))?,
        )),
        (Text, Value::Null) => Box::new(None::<String>),
        (Text, Value::Text(s)) => Box::new(Some(s)),
        (_, v) => return Err(wrong(&v)),
    })
}
