//! Store code written once for both backends. A statement is plain SQL that SQLite and
//! PostgreSQL both run, with SQLite's numbered placeholders (`?1`, `?2`; PostgreSQL's side turns
//! them into `$1`, `$2`); its arguments are [`Arg`]s typed as the column is (PostgreSQL will not
//! bind an `i64` to an `INTEGER` column), and its rows come back as [`Row`]s of integers and
//! texts. A store function generic over [`Db`] then runs on a SQLite connection or transaction
//! ([`Lite`]) and on a PostgreSQL one (`pg::Pg`) alike: one body, one set of SQL strings.

use rusqlite::types::{ToSqlOutput, ValueRef};
use rusqlite::Connection;

use super::StoreError;

/// One argument of a statement.
#[derive(Debug, Clone, Copy)]
pub(super) enum Arg<'a> {
    /// For a `BIGINT` column: ids and times.
    Big(i64),
    /// For a `BIGINT` column that may be NULL.
    OptBig(Option<i64>),
    /// For an `INTEGER` column: indexes, teams, rounds, counts.
    Int(i32),
    Text(&'a str),
}

/// One value of a result row. Both backends' integers arrive as `i64`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) enum Cell {
    Int(i64),
    Text(String),
    Null,
}

/// One result row, read by column position.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct Row(pub Vec<Cell>);

impl Row {
    fn cell(&self, i: usize) -> Result<&Cell, StoreError> {
        self.0
            .get(i)
            .ok_or_else(|| StoreError::Corrupt(format!("a row has no column {i}")))
    }

    /// Column `i`, an integer that may be NULL (`MAX` over no rows is).
    pub fn opt_int(&self, i: usize) -> Result<Option<i64>, StoreError> {
        match self.cell(i)? {
            Cell::Int(n) => Ok(Some(*n)),
            Cell::Null => Ok(None),
            Cell::Text(t) => Err(StoreError::Corrupt(format!(
                "column {i} holds the text `{t}` where a number belongs"
            ))),
        }
    }

    /// Column `i`, an integer.
    pub fn int(&self, i: usize) -> Result<i64, StoreError> {
        self.opt_int(i)?.ok_or_else(|| {
            StoreError::Corrupt(format!("column {i} is NULL where a number belongs"))
        })
    }

    /// Column `i`, an id or a time stored as its 64-bit pattern.
    pub fn u64(&self, i: usize) -> Result<u64, StoreError> {
        Ok(self.int(i)? as u64)
    }

    /// Column `i`, a text that may be NULL.
    pub fn opt_text(&self, i: usize) -> Result<Option<String>, StoreError> {
        match self.cell(i)? {
            Cell::Text(t) => Ok(Some(t.clone())),
            Cell::Null => Ok(None),
            Cell::Int(n) => Err(StoreError::Corrupt(format!(
                "column {i} holds the number {n} where a text belongs"
            ))),
        }
    }

    /// Column `i`, a text.
    pub fn text(&self, i: usize) -> Result<String, StoreError> {
        self.opt_text(i)?
            .ok_or_else(|| StoreError::Corrupt(format!("column {i} is NULL where a text belongs")))
    }
}

/// A connection or transaction of either backend. Errors are the backend's own (PostgreSQL's
/// keep what the pool needs to know to reconnect); a store error converts into them.
pub(super) trait Db {
    type Error: From<StoreError>;
    /// Run a statement that returns no rows; how many rows it changed.
    fn exec(&mut self, sql: &str, args: &[Arg<'_>]) -> Result<u64, Self::Error>;
    /// Run a query and collect its rows.
    fn rows(&mut self, sql: &str, args: &[Arg<'_>]) -> Result<Vec<Row>, Self::Error>;

    /// The first row of a query, if any.
    fn row(&mut self, sql: &str, args: &[Arg<'_>]) -> Result<Option<Row>, Self::Error> {
        Ok(self.rows(sql, args)?.into_iter().next())
    }
}

/// A SQLite connection (a transaction derefs to one) as a [`Db`].
pub(super) struct Lite<'a>(pub &'a Connection);

impl rusqlite::ToSql for Arg<'_> {
    fn to_sql(&self) -> rusqlite::Result<ToSqlOutput<'_>> {
        Ok(match *self {
            Arg::Big(n) => ToSqlOutput::from(n),
            Arg::OptBig(Some(n)) => ToSqlOutput::from(n),
            Arg::OptBig(None) => ToSqlOutput::from(rusqlite::types::Null),
            Arg::Int(n) => ToSqlOutput::from(n),
            Arg::Text(t) => ToSqlOutput::from(t),
        })
    }
}

impl Db for Lite<'_> {
    type Error = StoreError;

    fn exec(&mut self, sql: &str, args: &[Arg<'_>]) -> Result<u64, StoreError> {
        let changed = self
            .0
            .prepare_cached(sql)?
            .execute(rusqlite::params_from_iter(args))?;
        Ok(changed as u64)
    }

    fn rows(&mut self, sql: &str, args: &[Arg<'_>]) -> Result<Vec<Row>, StoreError> {
        let mut stmt = self.0.prepare_cached(sql)?;
        let width = stmt.column_count();
        let mut rows = stmt.query(rusqlite::params_from_iter(args))?;
        let mut out = Vec::new();
        while let Some(row) = rows.next()? {
            let mut cells = Vec::with_capacity(width);
            for i in 0..width {
                cells.push(match row.get_ref(i)? {
                    ValueRef::Null => Cell::Null,
                    ValueRef::Integer(n) => Cell::Int(n),
                    ValueRef::Text(t) => Cell::Text(
                        std::str::from_utf8(t)
                            .map_err(|e| StoreError::Corrupt(format!("column {i}: {e}")))?
                            .to_string(),
                    ),
                    other => {
                        return Err(StoreError::Corrupt(format!(
                            "column {i} holds a {:?}, which no Clio table stores",
                            other.data_type()
                        )))
                    }
                });
            }
            out.push(Row(cells));
        }
        Ok(out)
    }
}

/// SQLite's numbered placeholders (`?1`) as PostgreSQL's (`$1`). The statements are Clio's own
/// and hold no `?` inside a quoted text, so every `?` before a digit is a placeholder.
pub(super) fn dollar_placeholders(sql: &str) -> String {
    let mut out = String::with_capacity(sql.len());
    let mut chars = sql.chars().peekable();
    while let Some(c) = chars.next() {
        if c == '?' && chars.peek().is_some_and(char::is_ascii_digit) {
            out.push('$');
        } else {
            out.push(c);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbered_placeholders_become_dollars_and_nothing_else_changes() {
        assert_eq!(
            dollar_placeholders("SELECT a FROM t WHERE b = ?1 AND c >= ?12 LIMIT ?3"),
            "SELECT a FROM t WHERE b = $1 AND c >= $12 LIMIT $3"
        );
        assert_eq!(dollar_placeholders("SELECT '?' , ?"), "SELECT '?' , ?");
    }

    #[test]
    fn a_sqlite_row_reads_back_as_integers_texts_and_nulls() {
        let conn = Connection::open_in_memory().unwrap();
        let rows = Lite(&conn)
            .rows(
                "SELECT ?1, ?2, ?3, NULL",
                &[Arg::Big(i64::MIN), Arg::Int(7), Arg::Text("Łódź")],
            )
            .unwrap();
        let row = &rows[0];
        assert_eq!(row.int(0).unwrap(), i64::MIN);
        assert_eq!(row.u64(0).unwrap(), 1 << 63);
        assert_eq!(row.int(1).unwrap(), 7);
        assert_eq!(row.text(2).unwrap(), "Łódź");
        assert_eq!(row.opt_text(3).unwrap(), None);
        assert!(matches!(row.int(3), Err(StoreError::Corrupt(_))));
        assert!(matches!(row.int(2), Err(StoreError::Corrupt(_))));
        assert!(matches!(row.text(9), Err(StoreError::Corrupt(_))));
    }
}
