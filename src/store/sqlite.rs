//! The SQLite backend: one database file in the data directory, in WAL mode with full sync, so a
//! write that returned is on disk even if the process is killed the next instant.

use std::collections::{BTreeMap, HashSet};
use std::path::Path;
use std::sync::Mutex;
use std::time::Duration;

use rusqlite::{params, Connection, OptionalExtension, Transaction, TransactionBehavior};

use super::health;
use super::portable::Lite;
use super::{LeaderRow, NewQuiz, QuizId, QuizStore, StoreError, StoredQuiz, Write, DB_FILE};
use crate::quiz::{EndReason, Given, PlayerAnswer, QuizConfig, Round, Verdict};

/// The schema, one step per migration, applied in order and recorded in `schema_migrations`.
const MIGRATIONS: &[(i64, &str)] = &[
    (1, include_str!("migrations/0001_quizzes.sql")),
    (2, include_str!("migrations/0002_settings.sql")),
    (3, include_str!("migrations/0003_end_reasons.sql")),
    (4, include_str!("migrations/0004_reports.sql")),
    (5, include_str!("migrations/0005_nights.sql")),
    (6, include_str!("migrations/0006_seasons.sql")),
    (7, include_str!("migrations/0007_schedules.sql")),
    (8, include_str!("migrations/0008_daily_questions.sql")),
];

pub struct SqliteStore {
    conn: Mutex<Connection>,
}

impl From<rusqlite::Error> for StoreError {
    fn from(e: rusqlite::Error) -> Self {
        match e {
            rusqlite::Error::SqliteFailure(f, Some(msg))
                if f.code == rusqlite::ErrorCode::ConstraintViolation
                    && msg.contains("quizzes.channel_id") =>
            {
                StoreError::ChannelBusy
            }
            e => StoreError::Database(e.to_string()),
        }
    }
}

impl From<serde_json::Error> for StoreError {
    fn from(e: serde_json::Error) -> Self {
        StoreError::Corrupt(e.to_string())
    }
}

/// Ids and times are u64; SQLite integers are i64. The bit pattern round-trips exactly.
pub(super) fn to_sql(n: u64) -> i64 {
    n as i64
}

pub(super) fn from_sql(n: i64) -> u64 {
    n as u64
}

impl SqliteStore {
    /// Open (creating if needed) `dir/clio.sqlite3` and bring its schema up to date, after the
    /// start-up checks: writable, not held by another process (waited for up to
    /// [`health::LOCK_WAIT`]), not corrupt, not from a newer Clio.
    pub fn open(dir: &Path) -> Result<SqliteStore, StoreError> {
        Self::open_waiting(dir, health::LOCK_WAIT)
    }

    /// [`SqliteStore::open`], waiting at most `lock_wait` for another process's lock.
    pub fn open_waiting(dir: &Path, lock_wait: Duration) -> Result<SqliteStore, StoreError> {
        std::fs::create_dir_all(dir)
            .map_err(|e| StoreError::Io(format!("cannot create `{}`: {e}", dir.display())))?;
        let db = dir.join(DB_FILE);
        health::ensure_writable(dir, &db)?;
        let conn = Connection::open(&db).map_err(|e| health::classify(e, &db))?;
        health::wait_for_lock(&conn, &db, lock_wait)?;
        health::check_integrity(&conn, &db)?;
        let known = MIGRATIONS.last().map(|(v, _)| *v).unwrap_or(0);
        health::refuse_newer_schema(&conn, known, dir)?;
        Self::with_connection(conn)
    }

    /// A private in-memory database, for tests.
    pub fn in_memory() -> Result<SqliteStore, StoreError> {
        Self::with_connection(Connection::open_in_memory()?)
    }

    fn with_connection(mut conn: Connection) -> Result<SqliteStore, StoreError> {
        conn.busy_timeout(health::BUSY_WAIT)?;
        // WAL: a commit appends to the log instead of rewriting pages, and a crash mid-write
        // leaves the last commit intact; FULL sync makes every commit durable before it returns.
        // There is one connection behind a lock, so calls take turns.
        // Switching a new file to WAL needs it to itself for an instant, and SQLite does not wait
        // for that with the busy timeout: another process opening the same new database at the
        // same moment (a second shard on the data directory) holds it for milliseconds.
        let switching_since = std::time::Instant::now();
        loop {
            match conn.query_row("PRAGMA journal_mode = WAL", [], |r| r.get::<_, String>(0)) {
                Ok(_) => break,
                Err(e) if health::is_busy(&e) && switching_since.elapsed() < health::BUSY_WAIT => {
                    std::thread::sleep(Duration::from_millis(10));
                }
                Err(e) => return Err(e.into()),
            }
        }
        conn.execute_batch("PRAGMA synchronous = FULL; PRAGMA foreign_keys = ON;")?;
        migrate(&mut conn)?;
        Ok(SqliteStore {
            conn: Mutex::new(conn),
        })
    }

    pub(super) fn conn(&self) -> std::sync::MutexGuard<'_, Connection> {
        // A panic while holding the lock leaves the connection usable: SQLite rolls back.
        self.conn.lock().unwrap_or_else(|e| e.into_inner())
    }
}

fn migrate(conn: &mut Connection) -> Result<(), StoreError> {
    // A migration may rebuild a table (SQLite cannot alter a constraint), which must not cascade
    // into the tables that refer to it: foreign keys are off while migrations run, checked after.
    conn.execute_batch("PRAGMA foreign_keys = OFF;")?;
    let migrated = run_migrations(conn);
    conn.execute_batch("PRAGMA foreign_keys = ON;")?;
    migrated
}

fn run_migrations(conn: &mut Connection) -> Result<(), StoreError> {
    conn.execute_batch(
        "CREATE TABLE IF NOT EXISTS schema_migrations (
            version    INTEGER PRIMARY KEY,
            applied_at INTEGER NOT NULL
        )",
    )?;
    // Each migration takes the write lock as it begins (IMMEDIATE), where SQLite waits for
    // another process's lock: a transaction that reads first and writes later fails at once when
    // another process (a second shard on the same data directory) wrote meanwhile.
    for (version, sql) in MIGRATIONS {
        let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
        let done: bool = tx.query_row(
            "SELECT EXISTS (SELECT 1 FROM schema_migrations WHERE version = ?1)",
            [version],
            |r| r.get(0),
        )?;
        if !done {
            tx.execute_batch(sql)?;
            let broken: Option<String> = tx
                .query_row("PRAGMA foreign_key_check", [], |r| r.get(0))
                .optional()?;
            if let Some(table) = broken {
                return Err(StoreError::Database(format!(
                    "migration {version} left a broken reference in `{table}`"
                )));
            }
            tx.execute(
                "INSERT INTO schema_migrations (version, applied_at) VALUES (?1, ?2)",
                params![version, to_sql(now_ms())],
            )?;
        }
        tx.commit()?;
    }
    Ok(())
}

use crate::clock::wall_ms as now_ms;

fn apply_one(tx: &Transaction, quiz: QuizId, write: &Write) -> Result<(), StoreError> {
    let q = to_sql(quiz);
    let at = match write {
        Write::QuestionOpened {
            index,
            key,
            kind,
            opened_at,
            deadline,
        } => {
            tx.execute(
                "INSERT INTO quiz_questions (quiz_id, idx, key, kind, opened_at, deadline)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
                params![
                    q,
                    *index as i64,
                    key,
                    kind,
                    to_sql(*opened_at),
                    to_sql(*deadline)
                ],
            )?;
            Some(*opened_at)
        }
        Write::Answer(r) => {
            tx.execute(
                "UPDATE answers SET current = 0
                 WHERE quiz_id = ?1 AND idx = ?2 AND player_id = ?3 AND current = 1",
                params![q, r.index as i64, to_sql(r.player)],
            )?;
            tx.execute(
                "INSERT INTO answers (quiz_id, idx, player_id, player_name, given, elapsed_ms, at,
                                      changed, verdict, points, current)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, 1)",
                params![
                    q,
                    r.index as i64,
                    to_sql(r.player),
                    r.name,
                    serde_json::to_string(&r.given)?,
                    to_sql(r.elapsed_ms),
                    to_sql(r.at),
                    r.changed,
                    r.verdict.as_str(),
                    r.points,
                ],
            )?;
            Some(r.at)
        }
        Write::Revealed { index, at } => {
            tx.execute(
                "UPDATE quiz_questions SET revealed_at = ?3 WHERE quiz_id = ?1 AND idx = ?2",
                params![q, *index as i64, to_sql(*at)],
            )?;
            Some(*at)
        }
        Write::Paused { at } => {
            tx.execute(
                "UPDATE quizzes SET state = 'paused', paused_at = ?2 WHERE id = ?1 AND ended_at IS NULL",
                params![q, to_sql(*at)],
            )?;
            Some(*at)
        }
        Write::Resumed { at } => {
            tx.execute(
                "UPDATE quizzes SET state = 'running', paused_at = NULL WHERE id = ?1 AND ended_at IS NULL",
                params![q],
            )?;
            Some(*at)
        }
        Write::Finished { reason, at } => {
            tx.execute(
                "UPDATE quizzes SET state = 'finished', paused_at = NULL, end_reason = ?2, ended_at = ?3
                 WHERE id = ?1",
                params![q, reason.as_str(), to_sql(*at)],
            )?;
            Some(*at)
        }
        Write::QuestionMessage { index, message_id } => {
            tx.execute(
                "UPDATE quiz_questions SET message_id = ?3 WHERE quiz_id = ?1 AND idx = ?2",
                params![q, *index as i64, to_sql(*message_id)],
            )?;
            None
        }
        Write::Night(w) => super::night::apply(&mut Lite(tx), quiz, w)?,
    };
    if let Some(at) = at {
        tx.execute(
            "UPDATE quizzes SET updated_at = MAX(updated_at, ?2) WHERE id = ?1",
            params![q, to_sql(at)],
        )?;
    }
    Ok(())
}

fn load(conn: &Connection, quiz: QuizId) -> Result<Option<StoredQuiz>, StoreError> {
    type QuizRow = (
        i64,
        i64,
        i64,
        String,
        String,
        Option<i64>,
        Option<String>,
        i64,
        i64,
        Option<i64>,
    );
    let row: Option<QuizRow> = conn
        .query_row(
            "SELECT guild_id, channel_id, host_id, config, questions, paused_at, end_reason,
                    started_at, updated_at, ended_at
             FROM quizzes WHERE id = ?1",
            [to_sql(quiz)],
            |r| {
                Ok((
                    r.get(0)?,
                    r.get(1)?,
                    r.get(2)?,
                    r.get(3)?,
                    r.get(4)?,
                    r.get(5)?,
                    r.get(6)?,
                    r.get(7)?,
                    r.get(8)?,
                    r.get(9)?,
                ))
            },
        )
        .optional()?;
    let Some((
        guild,
        channel,
        host,
        config,
        questions,
        paused_at,
        end_reason,
        started,
        updated,
        ended,
    )) = row
    else {
        return Ok(None);
    };
    let config: QuizConfig = serde_json::from_str(&config)?;
    let questions = serde_json::from_str(&questions)?;
    let ended = match (end_reason, ended) {
        (Some(reason), Some(at)) => Some((
            EndReason::parse(&reason)
                .ok_or_else(|| StoreError::Corrupt(format!("end reason `{reason}`")))?,
            from_sql(at),
        )),
        _ => None,
    };

    let mut rounds: Vec<Round> = Vec::new();
    let mut messages = BTreeMap::new();
    {
        let mut stmt = conn.prepare(
            "SELECT idx, opened_at, deadline, revealed_at, message_id
             FROM quiz_questions WHERE quiz_id = ?1 ORDER BY idx",
        )?;
        let rows = stmt.query_map([to_sql(quiz)], |r| {
            Ok((
                r.get::<_, i64>(0)?,
                r.get::<_, i64>(1)?,
                r.get::<_, i64>(2)?,
                r.get::<_, Option<i64>>(3)?,
                r.get::<_, Option<i64>>(4)?,
            ))
        })?;
        for row in rows {
            let (idx, opened, deadline, revealed, message) = row?;
            if let Some(m) = message {
                messages.insert(idx as usize, from_sql(m));
            }
            rounds.push(Round {
                index: idx as usize,
                opened_at: from_sql(opened),
                deadline: from_sql(deadline),
                paused_ms: 0,
                revealed_at: revealed.map(from_sql),
                answers: BTreeMap::new(),
            });
        }
    }

    let mut names = BTreeMap::new();
    {
        // Every press in order: the first gives `first_at`, the last (current) one counts.
        let mut stmt = conn.prepare(
            "SELECT idx, player_id, player_name, given, elapsed_ms, at, verdict, points, current
             FROM answers WHERE quiz_id = ?1 ORDER BY id",
        )?;
        let rows = stmt.query_map([to_sql(quiz)], |r| {
            Ok((
                r.get::<_, i64>(0)?,
                r.get::<_, i64>(1)?,
                r.get::<_, String>(2)?,
                r.get::<_, String>(3)?,
                r.get::<_, i64>(4)?,
                r.get::<_, i64>(5)?,
                r.get::<_, String>(6)?,
                r.get::<_, u32>(7)?,
                r.get::<_, bool>(8)?,
            ))
        })?;
        let mut presses: BTreeMap<(usize, u64), (u64, u32)> = BTreeMap::new();
        for row in rows {
            let (idx, player, name, given, elapsed, at, verdict, points, current) = row?;
            let (idx, player, at) = (idx as usize, from_sql(player), from_sql(at));
            let first = presses.entry((idx, player)).or_insert((at, 0));
            first.1 += 1;
            names.insert(player, name);
            if !current {
                continue;
            }
            let given: Given = serde_json::from_str(&given)?;
            let verdict = Verdict::parse(&verdict)
                .ok_or_else(|| StoreError::Corrupt(format!("verdict `{verdict}`")))?;
            let (first_at, count) = presses[&(idx, player)];
            if let Some(round) = rounds.iter_mut().find(|r| r.index == idx) {
                round.answers.insert(
                    player,
                    PlayerAnswer {
                        given,
                        first_at,
                        at,
                        elapsed_ms: from_sql(elapsed),
                        changes: count - 1,
                        verdict,
                        points,
                    },
                );
            }
        }
    }

    let night = super::night::load(&mut Lite(conn), quiz, &config.night.team_names, &mut names)?;
    Ok(Some(StoredQuiz {
        night,
        id: quiz,
        guild: from_sql(guild),
        channel: from_sql(channel),
        host: from_sql(host),
        config,
        questions,
        paused_at: paused_at.map(from_sql),
        ended,
        started_at: from_sql(started),
        updated_at: from_sql(updated),
        rounds,
        names,
        messages,
    }))
}

impl QuizStore for SqliteStore {
    fn create_quiz(&self, quiz: &NewQuiz) -> Result<QuizId, StoreError> {
        let conn = self.conn();
        conn.execute(
            "INSERT INTO quizzes (guild_id, channel_id, host_id, seed, config, questions,
                                  started_at, updated_at)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?7)",
            params![
                to_sql(quiz.guild),
                to_sql(quiz.channel),
                to_sql(quiz.host),
                to_sql(quiz.config.seed),
                serde_json::to_string(&quiz.config)?,
                serde_json::to_string(&quiz.questions)?,
                to_sql(quiz.started_at),
            ],
        )?;
        Ok(from_sql(conn.last_insert_rowid()))
    }

    fn apply(&self, quiz: QuizId, writes: &[Write]) -> Result<(), StoreError> {
        let mut conn = self.conn();
        let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
        for w in writes {
            apply_one(&tx, quiz, w)?;
        }
        tx.commit()?;
        Ok(())
    }

    fn load_quiz(&self, quiz: QuizId) -> Result<Option<StoredQuiz>, StoreError> {
        load(&self.conn(), quiz)
    }

    fn unfinished_quizzes(&self) -> Result<Vec<StoredQuiz>, StoreError> {
        let conn = self.conn();
        let ids: Vec<i64> = conn
            .prepare("SELECT id FROM quizzes WHERE ended_at IS NULL ORDER BY id")?
            .query_map([], |r| r.get(0))?
            .collect::<Result<_, _>>()?;
        let mut out = Vec::new();
        for id in ids {
            if let Some(q) = load(&conn, from_sql(id))? {
                out.push(q);
            }
        }
        Ok(out)
    }

    fn open_quiz_in_channel(&self, channel: u64) -> Result<Option<QuizId>, StoreError> {
        Ok(self
            .conn()
            .query_row(
                "SELECT id FROM quizzes WHERE channel_id = ?1 AND ended_at IS NULL",
                [to_sql(channel)],
                |r| r.get::<_, i64>(0),
            )
            .optional()?
            .map(from_sql))
    }

    fn leaderboard(
        &self,
        guild: u64,
        since: Option<u64>,
        limit: usize,
    ) -> Result<Vec<LeaderRow>, StoreError> {
        let conn = self.conn();
        let mut stmt = conn.prepare(
            "SELECT a.player_id,
                    (SELECT n.player_name FROM answers n WHERE n.player_id = a.player_id
                     ORDER BY n.at DESC, n.id DESC LIMIT 1),
                    SUM(a.points), COUNT(*), SUM(a.verdict = 'right'), COUNT(DISTINCT a.quiz_id)
             FROM answers a JOIN quizzes q ON q.id = a.quiz_id
             WHERE q.guild_id = ?1 AND a.current = 1 AND a.at >= ?2
             GROUP BY a.player_id
             ORDER BY SUM(a.points) DESC, SUM(a.verdict = 'right') DESC, MIN(a.at), a.player_id
             LIMIT ?3",
        )?;
        let rows = stmt.query_map(
            params![
                to_sql(guild),
                since.map(to_sql).unwrap_or(i64::MIN),
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

    fn recent_question_keys(
        &self,
        guild: u64,
        quizzes: usize,
    ) -> Result<HashSet<String>, StoreError> {
        let conn = self.conn();
        let mut stmt = conn.prepare(
            "SELECT key FROM quiz_questions WHERE quiz_id IN
               (SELECT id FROM quizzes WHERE guild_id = ?1 ORDER BY started_at DESC, id DESC LIMIT ?2)",
        )?;
        let keys = stmt.query_map(params![to_sql(guild), quizzes as i64], |r| r.get(0))?;
        Ok(keys.collect::<Result<_, _>>()?)
    }
}
