//! Quiz nights in SQLite: team joins, renamed teams, hints and breaks (migration 0005). Kept
//! apart from `sqlite.rs` so another backend can follow it statement by statement; the SQL is
//! plain (`ON CONFLICT`, no SQLite-only functions).

use rusqlite::{params, Connection, Transaction};

use super::sqlite::{from_sql, to_sql};
use crate::quiz::night::{Join, NightState};
use crate::quiz::persist::{BreakKind, NightWrite, QuizId, StoreError};

/// Apply one night write inside the quiz's transaction; returns the time it happened at, when
/// it moves the quiz's `updated_at`.
pub(super) fn apply(
    tx: &Transaction,
    quiz: QuizId,
    write: &NightWrite,
) -> Result<Option<u64>, StoreError> {
    let q = to_sql(quiz);
    match write {
        NightWrite::Break {
            kind,
            round,
            began_at,
            ends_at,
        } => {
            tx.execute(
                "INSERT INTO quiz_breaks (quiz_id, kind, round, began_at, ends_at)
                 VALUES (?1, ?2, ?3, ?4, ?5)
                 ON CONFLICT (quiz_id, kind, round) DO UPDATE SET ends_at = excluded.ends_at",
                params![
                    q,
                    kind.as_str(),
                    *round as i64,
                    to_sql(*began_at),
                    to_sql(*ends_at)
                ],
            )?;
            Ok(Some(*began_at))
        }
        NightWrite::Joined {
            player,
            name,
            team,
            at,
        } => {
            tx.execute(
                "INSERT INTO quiz_team_joins (quiz_id, player_id, player_name, team, joined_at)
                 VALUES (?1, ?2, ?3, ?4, ?5)
                 ON CONFLICT (quiz_id, player_id, joined_at) DO UPDATE SET team = excluded.team",
                params![q, to_sql(*player), name, *team as i64, to_sql(*at)],
            )?;
            Ok(Some(*at))
        }
        NightWrite::TeamNamed { team, name } => {
            tx.execute(
                "INSERT INTO quiz_team_names (quiz_id, team, name) VALUES (?1, ?2, ?3)
                 ON CONFLICT (quiz_id, team) DO UPDATE SET name = excluded.name",
                params![q, *team as i64, name],
            )?;
            Ok(None)
        }
        NightWrite::Hint { index, player, at } => {
            tx.execute(
                "INSERT INTO quiz_hints (quiz_id, idx, player_id, taken_at) VALUES (?1, ?2, ?3, ?4)
                 ON CONFLICT (quiz_id, idx, player_id) DO NOTHING",
                params![q, *index as i64, to_sql(*player), to_sql(*at)],
            )?;
            Ok(Some(*at))
        }
    }
}

/// What a quiz night had gathered, with the names of those who joined (a player who joined but
/// never answered still has a name). Team names not renamed stay as generated (`generated`).
pub(super) fn load(
    conn: &Connection,
    quiz: QuizId,
    generated: &[String],
    names: &mut std::collections::BTreeMap<u64, String>,
) -> Result<NightState, StoreError> {
    let q = to_sql(quiz);
    let mut state = NightState {
        team_names: generated.to_vec(),
        ..NightState::default()
    };
    let mut stmt = conn.prepare(
        "SELECT player_id, player_name, team, joined_at FROM quiz_team_joins
         WHERE quiz_id = ?1 ORDER BY joined_at, player_id",
    )?;
    let rows = stmt.query_map([q], |r| {
        Ok((
            r.get::<_, i64>(0)?,
            r.get::<_, String>(1)?,
            r.get::<_, i64>(2)?,
            r.get::<_, i64>(3)?,
        ))
    })?;
    for row in rows {
        let (player, name, team, at) = row?;
        let player = from_sql(player);
        names.entry(player).or_insert(name);
        state.joins.push(Join {
            player,
            team: team as usize,
            at: from_sql(at),
        });
    }
    let mut stmt = conn.prepare("SELECT team, name FROM quiz_team_names WHERE quiz_id = ?1")?;
    let rows = stmt.query_map([q], |r| Ok((r.get::<_, i64>(0)?, r.get::<_, String>(1)?)))?;
    for row in rows {
        let (team, name) = row?;
        let team = team as usize;
        if state.team_names.len() <= team {
            state.team_names.resize(team + 1, String::new());
        }
        state.team_names[team] = name;
    }
    let mut stmt = conn.prepare("SELECT idx, player_id FROM quiz_hints WHERE quiz_id = ?1")?;
    let rows = stmt.query_map([q], |r| Ok((r.get::<_, i64>(0)?, r.get::<_, i64>(1)?)))?;
    for row in rows {
        let (idx, player) = row?;
        state.hints.insert((idx as usize, from_sql(player)));
    }
    let mut stmt =
        conn.prepare("SELECT kind, round, began_at, ends_at FROM quiz_breaks WHERE quiz_id = ?1")?;
    let rows = stmt.query_map([q], |r| {
        Ok((
            r.get::<_, String>(0)?,
            r.get::<_, i64>(1)?,
            r.get::<_, i64>(2)?,
            r.get::<_, i64>(3)?,
        ))
    })?;
    for row in rows {
        let (kind, round, began, ends) = row?;
        let span = (from_sql(began), from_sql(ends));
        if kind == BreakKind::Lobby.as_str() {
            state.lobby = Some(span);
        } else {
            state.intermissions.insert(round as usize, span);
        }
    }
    Ok(state)
}
