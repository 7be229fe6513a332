//! Quiz nights in SQLite: team joins, renamed teams, hints and breaks (migration 0005), and
//! seasons (migration 0006). Kept
//! apart from `sqlite.rs` so another backend can follow it statement by statement; the SQL is
//! plain (`ON CONFLICT`, no SQLite-only functions).

use rusqlite::{params, Connection, OptionalExtension, Transaction};

use super::sqlite::{from_sql, to_sql};
use super::SqliteStore;
use crate::quiz::night::schedule::{ScheduleState, ScheduledQuiz};
use crate::quiz::night::seasons::{NightStore, Season};
use crate::quiz::night::{Join, NightState};
use crate::quiz::persist::{BreakKind, LeaderRow, NightWrite, QuizId, StoreError};

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

impl NightStore for SqliteStore {
    fn start_season(&self, guild: u64, name: &str, at: u64) -> Result<Season, StoreError> {
        let mut conn = self.conn();
        let tx = conn.transaction()?;
        let taken: Option<i64> = tx
            .query_row(
                "SELECT number FROM seasons WHERE guild_id = ?1 AND name = ?2",
                params![to_sql(guild), name],
                |r| r.get(0),
            )
            .optional()?;
        if taken.is_some() {
            return Err(StoreError::Database(format!(
                "a season named `{name}` exists already"
            )));
        }
        let last: Option<i64> = tx.query_row(
            "SELECT MAX(number) FROM seasons WHERE guild_id = ?1",
            [to_sql(guild)],
            |r| r.get(0),
        )?;
        let number = last.unwrap_or(0) + 1;
        tx.execute(
            "INSERT INTO seasons (guild_id, number, name, started_at) VALUES (?1, ?2, ?3, ?4)",
            params![to_sql(guild), number, name, to_sql(at)],
        )?;
        tx.commit()?;
        Ok(Season {
            number: number as u32,
            name: name.to_string(),
            started_at: at,
        })
    }

    fn seasons(&self, guild: u64) -> Result<Vec<Season>, StoreError> {
        let conn = self.conn();
        let mut stmt = conn.prepare(
            "SELECT number, name, started_at FROM seasons WHERE guild_id = ?1 ORDER BY number",
        )?;
        let rows = stmt.query_map([to_sql(guild)], |r| {
            Ok(Season {
                number: r.get::<_, i64>(0)? as u32,
                name: r.get(1)?,
                started_at: from_sql(r.get(2)?),
            })
        })?;
        Ok(rows.collect::<Result<_, _>>()?)
    }

    fn schedule_quiz(&self, quiz: &ScheduledQuiz, at: u64) -> Result<u64, StoreError> {
        let mut conn = self.conn();
        let tx = conn.transaction()?;
        // Ids are numbered here rather than by the database, the same on every backend.
        let last: Option<i64> =
            tx.query_row("SELECT MAX(id) FROM scheduled_quizzes", [], |r| r.get(0))?;
        let id = last.unwrap_or(0) + 1;
        tx.execute(
            "INSERT INTO scheduled_quizzes (id, guild_id, channel_id, host_id, starts_at, config,
                                            event_id, state, created_at)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)",
            params![
                id,
                to_sql(quiz.guild),
                to_sql(quiz.channel),
                to_sql(quiz.host),
                to_sql(quiz.starts_at),
                serde_json::to_string(&quiz.config)?,
                quiz.event_id.map(to_sql),
                quiz.state.as_str(),
                to_sql(at)
            ],
        )?;
        tx.commit()?;
        Ok(from_sql(id))
    }

    fn scheduled_quizzes(&self, guild: Option<u64>) -> Result<Vec<ScheduledQuiz>, StoreError> {
        let conn = self.conn();
        let mut stmt = conn.prepare(
            "SELECT id, guild_id, channel_id, host_id, starts_at, config, event_id, state
             FROM scheduled_quizzes
             WHERE state IN ('scheduled', 'reminded') AND (?1 IS NULL OR guild_id = ?1)
             ORDER BY starts_at, id",
        )?;
        let rows = stmt.query_map([guild.map(to_sql)], |r| {
            Ok((
                r.get::<_, i64>(0)?,
                r.get::<_, i64>(1)?,
                r.get::<_, i64>(2)?,
                r.get::<_, i64>(3)?,
                r.get::<_, i64>(4)?,
                r.get::<_, String>(5)?,
                r.get::<_, Option<i64>>(6)?,
                r.get::<_, String>(7)?,
            ))
        })?;
        let mut out = Vec::new();
        for row in rows {
            let (id, guild, channel, host, starts, config, event, state) = row?;
            out.push(ScheduledQuiz {
                id: from_sql(id),
                guild: from_sql(guild),
                channel: from_sql(channel),
                host: from_sql(host),
                starts_at: from_sql(starts),
                config: serde_json::from_str(&config)?,
                event_id: event.map(from_sql),
                state: ScheduleState::parse(&state)
                    .ok_or_else(|| StoreError::Corrupt(format!("schedule state `{state}`")))?,
            });
        }
        Ok(out)
    }

    fn move_schedule(
        &self,
        id: u64,
        from: &[ScheduleState],
        to: ScheduleState,
    ) -> Result<bool, StoreError> {
        let conn = self.conn();
        let mut moved = 0;
        for state in from {
            moved += conn.execute(
                "UPDATE scheduled_quizzes SET state = ?3 WHERE id = ?1 AND state = ?2",
                params![to_sql(id), state.as_str(), to.as_str()],
            )?;
            if moved > 0 {
                break;
            }
        }
        Ok(moved > 0)
    }

    fn set_schedule_event(&self, id: u64, event: u64) -> Result<(), StoreError> {
        self.conn().execute(
            "UPDATE scheduled_quizzes SET event_id = ?2 WHERE id = ?1",
            params![to_sql(id), to_sql(event)],
        )?;
        Ok(())
    }

    fn leaderboard_between(
        &self,
        guild: u64,
        since: Option<u64>,
        until: Option<u64>,
        limit: usize,
    ) -> Result<Vec<LeaderRow>, StoreError> {
        let conn = self.conn();
        let mut stmt = conn.prepare(
            "SELECT a.player_id,
                    (SELECT n.player_name FROM answers n WHERE n.player_id = a.player_id
                     ORDER BY n.at DESC, n.id DESC LIMIT 1),
                    SUM(a.points), COUNT(*), SUM(CASE WHEN a.verdict = 'right' THEN 1 ELSE 0 END),
                    COUNT(DISTINCT a.quiz_id)
             FROM answers a JOIN quizzes q ON q.id = a.quiz_id
             WHERE q.guild_id = ?1 AND a.current = 1 AND a.at >= ?2 AND a.at < ?3
             GROUP BY a.player_id
             ORDER BY SUM(a.points) DESC, SUM(CASE WHEN a.verdict = 'right' THEN 1 ELSE 0 END) DESC,
                      MIN(a.at), a.player_id
             LIMIT ?4",
        )?;
        let rows = stmt.query_map(
            params![
                to_sql(guild),
                since.map(to_sql).unwrap_or(i64::MIN),
                until.map(to_sql).unwrap_or(i64::MAX),
                limit.min(i64::MAX as usize) as i64
            ],
            |r| {
                Ok(LeaderRow {
                    player: from_sql(r.get(0)?),
                    name: r.get::<_, Option<String>>(1)?.unwrap_or_default(),
                    points: r.get::<_, i64>(2)?.clamp(0, u32::MAX as i64) as u32,
                    answers: r.get::<_, i64>(3)? as u32,
                    right: r.get::<_, i64>(4)? as u32,
                    quizzes: r.get::<_, i64>(5)? as u32,
                })
            },
        )?;
        Ok(rows.collect::<Result<_, _>>()?)
    }
}
