//! Quiz nights in the store, for both backends: team joins, renamed teams, hints and breaks
//! (migration 0005), seasons (0006) and nights scheduled ahead (0007). Every function here is written once against
//! [`Db`] (a SQLite or PostgreSQL connection or transaction), with the SQL in the constants
//! below: plain SQL (`ON CONFLICT`, `CASE`, `CAST`, no backend's own functions) that both run.
//! Store code added for nights goes here the same way, and runs on PostgreSQL with no more work
//! than its line in `pg/night.rs`.

use super::portable::{Arg, Db, Lite, Row};
use super::SqliteStore;
use crate::quiz::night::schedule::{ScheduleState, ScheduledQuiz};
use crate::quiz::night::seasons::{NightStore, Season};
use crate::quiz::night::{Join, NightState};
use crate::quiz::persist::{BreakKind, LeaderRow, NightWrite, QuizId, StoreError};

const UPSERT_BREAK: &str = "INSERT INTO quiz_breaks (quiz_id, kind, round, began_at, ends_at)
     VALUES (?1, ?2, ?3, ?4, ?5)
     ON CONFLICT (quiz_id, kind, round) DO UPDATE SET ends_at = excluded.ends_at";
const INSERT_JOIN: &str =
    "INSERT INTO quiz_team_joins (quiz_id, player_id, player_name, team, joined_at)
     VALUES (?1, ?2, ?3, ?4, ?5)
     ON CONFLICT (quiz_id, player_id, joined_at) DO UPDATE SET team = excluded.team";
const UPSERT_TEAM_NAME: &str =
    "INSERT INTO quiz_team_names (quiz_id, team, name) VALUES (?1, ?2, ?3)
     ON CONFLICT (quiz_id, team) DO UPDATE SET name = excluded.name";
const INSERT_HINT: &str =
    "INSERT INTO quiz_hints (quiz_id, idx, player_id, taken_at) VALUES (?1, ?2, ?3, ?4)
     ON CONFLICT (quiz_id, idx, player_id) DO NOTHING";

const SELECT_JOINS: &str = "SELECT player_id, player_name, team, joined_at FROM quiz_team_joins
     WHERE quiz_id = ?1 ORDER BY joined_at, player_id";
const SELECT_TEAM_NAMES: &str = "SELECT team, name FROM quiz_team_names WHERE quiz_id = ?1";
const SELECT_HINTS: &str = "SELECT idx, player_id FROM quiz_hints WHERE quiz_id = ?1";
const SELECT_BREAKS: &str =
    "SELECT kind, round, began_at, ends_at FROM quiz_breaks WHERE quiz_id = ?1";

const SEASON_BY_NAME: &str = "SELECT number FROM seasons WHERE guild_id = ?1 AND name = ?2";
const LAST_SEASON: &str = "SELECT MAX(number) FROM seasons WHERE guild_id = ?1";
/// Nothing when another writer took the number or the name first (PostgreSQL serves writers at
/// once; the caller looks again).
const INSERT_SEASON: &str =
    "INSERT INTO seasons (guild_id, number, name, started_at) VALUES (?1, ?2, ?3, ?4)
     ON CONFLICT DO NOTHING";
const SELECT_SEASONS: &str =
    "SELECT number, name, started_at FROM seasons WHERE guild_id = ?1 ORDER BY number";
const LEADERBOARD_BETWEEN: &str = "SELECT a.player_id,
        (SELECT n.player_name FROM answers n WHERE n.player_id = a.player_id
         ORDER BY n.at DESC, n.id DESC LIMIT 1),
        SUM(a.points), COUNT(*), SUM(CASE WHEN a.verdict = 'right' THEN 1 ELSE 0 END),
        COUNT(DISTINCT a.quiz_id)
     FROM answers a JOIN quizzes q ON q.id = a.quiz_id
     WHERE q.guild_id = ?1 AND a.current = 1 AND a.at >= ?2 AND a.at < ?3
     GROUP BY a.player_id
     ORDER BY SUM(a.points) DESC, SUM(CASE WHEN a.verdict = 'right' THEN 1 ELSE 0 END) DESC,
              MIN(a.at), a.player_id
     LIMIT ?4";

const LAST_SCHEDULE: &str = "SELECT MAX(id) FROM scheduled_quizzes";
/// Nothing when another writer took the id first (the caller numbers again).
const INSERT_SCHEDULE: &str =
    "INSERT INTO scheduled_quizzes (id, guild_id, channel_id, host_id, starts_at, config,
                                    event_id, state, created_at)
     VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)
     ON CONFLICT DO NOTHING";
/// The CAST tells PostgreSQL the type of a parameter that may be NULL.
const OPEN_SCHEDULES: &str =
    "SELECT id, guild_id, channel_id, host_id, starts_at, config, event_id, state
     FROM scheduled_quizzes
     WHERE state IN ('scheduled', 'reminded') AND (CAST(?1 AS BIGINT) IS NULL OR guild_id = ?1)
     ORDER BY starts_at, id";
const MOVE_SCHEDULE: &str = "UPDATE scheduled_quizzes SET state = ?3 WHERE id = ?1 AND state = ?2";
const SET_SCHEDULE_EVENT: &str = "UPDATE scheduled_quizzes SET event_id = ?2 WHERE id = ?1";

/// Ids and times are u64; both backends' BIGINT is i64. The bit pattern round-trips exactly.
fn big(n: u64) -> Arg<'static> {
    Arg::Big(n as i64)
}

/// An index, team or round: small, in an `INTEGER` column.
fn small(n: usize) -> Result<Arg<'static>, StoreError> {
    i32::try_from(n)
        .map(Arg::Int)
        .map_err(|_| StoreError::Database(format!("{n} is too large to store as an index")))
}

/// Apply one night write inside the quiz's transaction; returns the time it happened at, when
/// it moves the quiz's `updated_at`.
pub(super) fn apply<D: Db>(
    db: &mut D,
    quiz: QuizId,
    write: &NightWrite,
) -> Result<Option<u64>, D::Error> {
    let q = big(quiz);
    match write {
        NightWrite::Break {
            kind,
            round,
            began_at,
            ends_at,
        } => {
            db.exec(
                UPSERT_BREAK,
                &[
                    q,
                    Arg::Text(kind.as_str()),
                    small(*round)?,
                    big(*began_at),
                    big(*ends_at),
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
            db.exec(
                INSERT_JOIN,
                &[q, big(*player), Arg::Text(name), small(*team)?, big(*at)],
            )?;
            Ok(Some(*at))
        }
        NightWrite::TeamNamed { team, name } => {
            db.exec(UPSERT_TEAM_NAME, &[q, small(*team)?, Arg::Text(name)])?;
            Ok(None)
        }
        NightWrite::Hint { index, player, at } => {
            db.exec(INSERT_HINT, &[q, small(*index)?, big(*player), big(*at)])?;
            Ok(Some(*at))
        }
    }
}

/// A stored index, team or round, which was an usize when written.
fn index(row: &Row, i: usize) -> Result<usize, StoreError> {
    let n = row.int(i)?;
    usize::try_from(n).map_err(|_| StoreError::Corrupt(format!("index {n} in column {i}")))
}

/// What a quiz night had gathered, with the names of those who joined (a player who joined but
/// never answered still has a name). Team names not renamed stay as generated (`generated`).
pub(super) fn load<D: Db>(
    db: &mut D,
    quiz: QuizId,
    generated: &[String],
    names: &mut std::collections::BTreeMap<u64, String>,
) -> Result<NightState, D::Error> {
    let q = [big(quiz)];
    let mut state = NightState {
        team_names: generated.to_vec(),
        ..NightState::default()
    };
    for row in db.rows(SELECT_JOINS, &q)? {
        let player = row.u64(0)?;
        names.entry(player).or_insert(row.text(1)?);
        state.joins.push(Join {
            player,
            team: index(&row, 2)?,
            at: row.u64(3)?,
        });
    }
    for row in db.rows(SELECT_TEAM_NAMES, &q)? {
        let team = index(&row, 0)?;
        if state.team_names.len() <= team {
            state.team_names.resize(team + 1, String::new());
        }
        state.team_names[team] = row.text(1)?;
    }
    for row in db.rows(SELECT_HINTS, &q)? {
        state.hints.insert((index(&row, 0)?, row.u64(1)?));
    }
    for row in db.rows(SELECT_BREAKS, &q)? {
        let span = (row.u64(2)?, row.u64(3)?);
        if row.text(0)? == BreakKind::Lobby.as_str() {
            state.lobby = Some(span);
        } else {
            state.intermissions.insert(index(&row, 1)?, span);
        }
    }
    Ok(state)
}

/// [`NightStore::start_season`](crate::quiz::night::seasons::NightStore::start_season), inside
/// one transaction. Two admins at once (PostgreSQL runs them side by side) may both read the
/// same last number: the one whose row did not go in reads again and takes the next.
pub(super) fn start_season<D: Db>(
    db: &mut D,
    guild: u64,
    name: &str,
    at: u64,
) -> Result<Season, D::Error> {
    // Each lost race means another season went in, so this ends; the bound only guards a bug.
    for _ in 0..100 {
        if db
            .row(SEASON_BY_NAME, &[big(guild), Arg::Text(name)])?
            .is_some()
        {
            return Err(
                StoreError::Database(format!("a season named `{name}` exists already")).into(),
            );
        }
        let last = match db.row(LAST_SEASON, &[big(guild)])? {
            Some(row) => row.opt_int(0)?.unwrap_or(0),
            None => 0,
        };
        let number = u32::try_from(last + 1)
            .map_err(|_| StoreError::Corrupt(format!("season number {last}")))?;
        let added = db.exec(
            INSERT_SEASON,
            &[
                big(guild),
                small(number as usize)?,
                Arg::Text(name),
                big(at),
            ],
        )?;
        if added == 1 {
            return Ok(Season {
                number,
                name: name.to_string(),
                started_at: at,
            });
        }
    }
    Err(StoreError::Database(format!(
        "the seasons of server {guild} kept changing while season `{name}` was being started; \
         start it again"
    ))
    .into())
}

/// The server's seasons, oldest first.
pub(super) fn seasons<D: Db>(db: &mut D, guild: u64) -> Result<Vec<Season>, D::Error> {
    let mut out = Vec::new();
    for row in db.rows(SELECT_SEASONS, &[big(guild)])? {
        out.push(Season {
            number: u32::try_from(row.int(0)?)
                .map_err(|_| StoreError::Corrupt(format!("season number {:?}", row.0[0])))?,
            name: row.text(1)?,
            started_at: row.u64(2)?,
        });
    }
    Ok(out)
}

/// [`NightStore::schedule_quiz`](crate::quiz::night::seasons::NightStore::schedule_quiz), inside
/// one transaction. Ids are numbered here rather than by the database, the same on every backend;
/// two processes scheduling at once may read the same last id, and the one whose row did not go in
/// numbers again.
pub(super) fn schedule_quiz<D: Db>(
    db: &mut D,
    quiz: &ScheduledQuiz,
    at: u64,
) -> Result<u64, D::Error> {
    let config = serde_json::to_string(&quiz.config).map_err(StoreError::from)?;
    // Each lost race means another night went in, so this ends; the bound only guards a bug.
    for _ in 0..100 {
        let last = match db.row(LAST_SCHEDULE, &[])? {
            Some(row) => row.opt_int(0)?.unwrap_or(0),
            None => 0,
        };
        let id = last + 1;
        let added = db.exec(
            INSERT_SCHEDULE,
            &[
                Arg::Big(id),
                big(quiz.guild),
                big(quiz.channel),
                big(quiz.host),
                big(quiz.starts_at),
                Arg::Text(&config),
                Arg::OptBig(quiz.event_id.map(|e| e as i64)),
                Arg::Text(quiz.state.as_str()),
                big(at),
            ],
        )?;
        if added == 1 {
            return Ok(id as u64);
        }
    }
    Err(StoreError::Database(
        "the scheduled nights kept changing while one was being stored; schedule it again".into(),
    )
    .into())
}

/// The nights still to come (of one server, or of all), soonest first.
pub(super) fn scheduled_quizzes<D: Db>(
    db: &mut D,
    guild: Option<u64>,
) -> Result<Vec<ScheduledQuiz>, D::Error> {
    let mut out = Vec::new();
    for row in db.rows(OPEN_SCHEDULES, &[Arg::OptBig(guild.map(|g| g as i64))])? {
        let state = row.text(7)?;
        out.push(ScheduledQuiz {
            id: row.u64(0)?,
            guild: row.u64(1)?,
            channel: row.u64(2)?,
            host: row.u64(3)?,
            starts_at: row.u64(4)?,
            config: serde_json::from_str(&row.text(5)?).map_err(StoreError::from)?,
            event_id: row.opt_int(6)?.map(|e| e as u64),
            state: ScheduleState::parse(&state)
                .ok_or_else(|| StoreError::Corrupt(format!("schedule state `{state}`")))?,
        });
    }
    Ok(out)
}

/// Move a night from one of the states `from` to `to`; false when it was in none of them. One
/// UPDATE is the claim: of two processes moving the same night, one changes the row.
pub(super) fn move_schedule<D: Db>(
    db: &mut D,
    id: u64,
    from: &[ScheduleState],
    to: ScheduleState,
) -> Result<bool, D::Error> {
    for state in from {
        let moved = db.exec(
            MOVE_SCHEDULE,
            &[big(id), Arg::Text(state.as_str()), Arg::Text(to.as_str())],
        )?;
        if moved > 0 {
            return Ok(true);
        }
    }
    Ok(false)
}

/// The Discord event of a scheduled night.
pub(super) fn set_schedule_event<D: Db>(db: &mut D, id: u64, event: u64) -> Result<(), D::Error> {
    db.exec(SET_SCHEDULE_EVENT, &[big(id), big(event)])?;
    Ok(())
}

/// The server's standings over answers given in `[since, until)`, best first.
pub(super) fn leaderboard_between<D: Db>(
    db: &mut D,
    guild: u64,
    since: Option<u64>,
    until: Option<u64>,
    limit: usize,
) -> Result<Vec<LeaderRow>, D::Error> {
    let rows = db.rows(
        LEADERBOARD_BETWEEN,
        &[
            big(guild),
            Arg::Big(since.map_or(i64::MIN, |s| s as i64)),
            Arg::Big(until.map_or(i64::MAX, |u| u as i64)),
            Arg::Big(limit.min(i64::MAX as usize) as i64),
        ],
    )?;
    let count = |row: &Row, i: usize| -> Result<u32, StoreError> {
        Ok(row.int(i)?.clamp(0, u32::MAX as i64) as u32)
    };
    let mut out = Vec::with_capacity(rows.len());
    for row in rows {
        out.push(LeaderRow {
            player: row.u64(0)?,
            name: row.opt_text(1)?.unwrap_or_default(),
            points: count(&row, 2)?,
            answers: count(&row, 3)?,
            right: count(&row, 4)?,
            quizzes: count(&row, 5)?,
        });
    }
    Ok(out)
}

impl NightStore for SqliteStore {
    fn start_season(&self, guild: u64, name: &str, at: u64) -> Result<Season, StoreError> {
        let mut conn = self.conn();
        let tx = conn.transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)?;
        let season = start_season(&mut Lite(&tx), guild, name, at)?;
        tx.commit()?;
        Ok(season)
    }

    fn seasons(&self, guild: u64) -> Result<Vec<Season>, StoreError> {
        seasons(&mut Lite(&self.conn()), guild)
    }

    fn schedule_quiz(&self, quiz: &ScheduledQuiz, at: u64) -> Result<u64, StoreError> {
        let mut conn = self.conn();
        let tx = conn.transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)?;
        let id = schedule_quiz(&mut Lite(&tx), quiz, at)?;
        tx.commit()?;
        Ok(id)
    }

    fn scheduled_quizzes(&self, guild: Option<u64>) -> Result<Vec<ScheduledQuiz>, StoreError> {
        scheduled_quizzes(&mut Lite(&self.conn()), guild)
    }

    fn move_schedule(
        &self,
        id: u64,
        from: &[ScheduleState],
        to: ScheduleState,
    ) -> Result<bool, StoreError> {
        move_schedule(&mut Lite(&self.conn()), id, from, to)
    }

    fn set_schedule_event(&self, id: u64, event: u64) -> Result<(), StoreError> {
        set_schedule_event(&mut Lite(&self.conn()), id, event)
    }

    fn leaderboard_between(
        &self,
        guild: u64,
        since: Option<u64>,
        until: Option<u64>,
        limit: usize,
    ) -> Result<Vec<LeaderRow>, StoreError> {
        leaderboard_between(&mut Lite(&self.conn()), guild, since, until, limit)
    }
}
