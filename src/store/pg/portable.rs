//! PostgreSQL's side of the store code written once for both backends (`store::portable`).

use postgres::types::{ToSql, Type};
use postgres::GenericClient;

use super::PgError;
use crate::store::portable::{dollar_placeholders, Arg, Cell, Db, Row};
use crate::store::StoreError;

/// A PostgreSQL client or transaction as a [`Db`].
pub(in crate::store) struct Pg<'a, C: GenericClient>(pub &'a mut C);

fn params<'a>(args: &'a [Arg<'a>]) -> Vec<&'a (dyn ToSql + Sync)> {
    args.iter()
        .map(|a| match a {
            Arg::Big(n) => n as &(dyn ToSql + Sync),
            Arg::OptBig(n) => n as &(dyn ToSql + Sync),
            Arg::Int(n) => n as &(dyn ToSql + Sync),
            Arg::Text(t) => t as &(dyn ToSql + Sync),
        })
        .collect()
}

/// Column `i` of `row` as a [`Cell`]: the integer types widen to `i64`.
fn cell(row: &postgres::Row, i: usize) -> Result<Cell, PgError> {
    let ty = row.columns()[i].type_();
    let cell = if *ty == Type::INT8 {
        row.try_get::<_, Option<i64>>(i)?.map(Cell::Int)
    } else if *ty == Type::INT4 {
        row.try_get::<_, Option<i32>>(i)?
            .map(|n| Cell::Int(n.into()))
    } else if *ty == Type::INT2 {
        row.try_get::<_, Option<i16>>(i)?
            .map(|n| Cell::Int(n.into()))
    } else if *ty == Type::TEXT || *ty == Type::VARCHAR {
        row.try_get::<_, Option<String>>(i)?.map(Cell::Text)
    } else {
        return Err(StoreError::Corrupt(format!(
            "column {i} is of PostgreSQL type {ty}, which the portable store code does not read"
        ))
        .into());
    };
    Ok(cell.unwrap_or(Cell::Null))
}

impl<C: GenericClient> Db for Pg<'_, C> {
    type Error = PgError;

    fn exec(&mut self, sql: &str, args: &[Arg<'_>]) -> Result<u64, PgError> {
        Ok(self.0.execute(&dollar_placeholders(sql), &params(args))?)
    }

    fn rows(&mut self, sql: &str, args: &[Arg<'_>]) -> Result<Vec<Row>, PgError> {
        let rows = self.0.query(&dollar_placeholders(sql), &params(args))?;
        rows.iter()
            .map(|r| {
                (0..r.len())
                    .map(|i| cell(r, i))
                    .collect::<Result<_, _>>()
                    .map(Row)
            })
            .collect()
    }
}
