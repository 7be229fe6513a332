//! The quiz contract on PostgreSQL: the statements of `store/sqlite.rs`, with `$n` placeholders.

use std::collections::{BTreeMap, HashSet};

use postgres::{GenericClient, Transaction};

use super::portable::Pg;
use super::{from_sql, to_sql, PgError, PgStore};
use crate::quiz::{EndReason, Given, PlayerAnswer, QuizConfig, Round, Verdict};
use crate::store::{LeaderRow, NewQuiz, QuizId, QuizStore, StoreError, StoredQuiz, Write};

fn apply_one(tx: &mut Transaction<'_>, quiz: QuizId, write: &Write) -> Result<(), PgError> {
    let q = to_sql(quiz);
    let at = match write {
        Write::QuestionOpened {
            index,
            key,
            kind,
            opened_at,
            deadline,
        } => {
            // DO NOTHING: when the connection drops during COMMIT, the runner cannot know
            // whether the question was stored and writes it again before its next write; that
            // repeat must not fail every later write of the quiz. (SQLite has no such doubt.)
            tx.execute(
                "INSERT INTO quiz_questions (quiz_id, idx, key, kind, opened_at, deadline)
                 VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT (quiz_id, idx) DO NOTHING",
                &[
                    &q,
                    &(*index as i32),
                    key,
                    kind,
                    &to_sql(*opened_at),
                    &to_sql(*deadline),
                ],
            )?;
            Some(*opened_at)
        }
        Write::Answer(r) => {
            tx.execute(
                "UPDATE answers SET current = 0
                 WHERE quiz_id = $1 AND idx = $2 AND player_id = $3 AND current = 1",
                &[&q, &(r.index as i32), &to_sql(r.player)],
            )?;
            tx.execute(
                "INSERT INTO answers (quiz_id, idx, player_id, player_name, given, elapsed_ms, at,
                                      changed, verdict, points, current)
                 VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, 1)",
                &[
                    &q,
                    &(r.index as i32),
                    &to_sql(r.player),
                    &r.name,
                    &serde_json::to_string(&r.given)?,
                    &to_sql(r.elapsed_ms),
                    &to_sql(r.at),
                    &i32::from(r.changed),
                    &r.verdict.as_str(),
                    &(r.points as i32),
                ],
            )?;
            Some(r.at)
        }
        Write::Revealed { index, at } => {
            tx.execute(
                "UPDATE quiz_questions SET revealed_at = $3 WHERE quiz_id = $1 AND idx = $2",
                &[&q, &(*index as i32), &to_sql(*at)],
            )?;
            Some(*at)
        }
        Write::Paused { at } => {
            tx.execute(
                "UPDATE quizzes SET state = 'paused', paused_at = $2 WHERE id = $1 AND ended_at IS NULL",
                &[&q, &to_sql(*at)],
            )?;
            Some(*at)
        }
        Write::Resumed { at } => {
            tx.execute(
                "UPDATE quizzes SET state = 'running', paused_at = NULL WHERE id = $1 AND ended_at IS NULL",
                &[&q],
            )?;
            Some(*at)
        }
        Write::Finished { reason, at } => {
            tx.execute(
                "UPDATE quizzes SET state = 'finished', paused_at = NULL, end_reason = $2, ended_at = $3
                 WHERE id = $1",
                &[&q, &reason.as_str(), &to_sql(*at)],
            )?;
            Some(*at)
        }
        Write::Night(w) => crate::store::night::apply(&mut Pg(tx), quiz, w)?,
        Write::QuestionMessage { index, message_id } => {
            tx.execute(
                "UPDATE quiz_questions SET message_id = $3 WHERE quiz_id = $1 AND idx = $2",
                &[&q, &(*index as i32), &to_sql(*message_id)],
            )?;
            None
        }
    };
    if let Some(at) = at {
        tx.execute(
            "UPDATE quizzes SET updated_at = GREATEST(updated_at, $2) WHERE id = $1",
            &[&q, &to_sql(at)],
        )?;
    }
    Ok(())
}

fn load(conn: &mut impl GenericClient, quiz: QuizId) -> Result<Option<StoredQuiz>, PgError> {
    let Some(row) = conn.query_opt(
        "SELECT guild_id, channel_id, host_id, config, questions, paused_at, end_reason,
                started_at, updated_at, ended_at
         FROM quizzes WHERE id = $1",
        &[&to_sql(quiz)],
    )?
    else {
        return Ok(None);
    };
    let config: QuizConfig = serde_json::from_str(row.get::<_, &str>(3))?;
    let questions = serde_json::from_str(row.get::<_, &str>(4))?;
    let paused_at: Option<i64> = row.get(5);
    let end_reason: Option<String> = row.get(6);
    let ended_at: Option<i64> = row.get(9);
    let ended = match (end_reason, ended_at) {
        (Some(reason), Some(at)) => Some((
            EndReason::parse(&reason)
                .ok_or_else(|| StoreError::Corrupt(format!("end reason `{reason}`")))?,
            from_sql(at),
        )),
        _ => None,
    };

    let mut rounds: Vec<Round> = Vec::new();
    let mut messages = BTreeMap::new();
    for r in conn.query(
        "SELECT idx, opened_at, deadline, revealed_at, message_id
         FROM quiz_questions WHERE quiz_id = $1 ORDER BY idx",
        &[&to_sql(quiz)],
    )? {
        let idx = r.get::<_, i32>(0) as usize;
        if let Some(m) = r.get::<_, Option<i64>>(4) {
            messages.insert(idx, from_sql(m));
        }
        rounds.push(Round {
            index: idx,
            opened_at: from_sql(r.get(1)),
            deadline: from_sql(r.get(2)),
            paused_ms: 0,
            revealed_at: r.get::<_, Option<i64>>(3).map(from_sql),
            answers: BTreeMap::new(),
        });
    }

    // Every press in order: the first gives `first_at`, the last (current) one counts.
    let mut names = BTreeMap::new();
    let mut presses: BTreeMap<(usize, u64), (u64, u32)> = BTreeMap::new();
    for r in conn.query(
        "SELECT idx, player_id, player_name, given, elapsed_ms, at, verdict, points, current
         FROM answers WHERE quiz_id = $1 ORDER BY id",
        &[&to_sql(quiz)],
    )? {
        let idx = r.get::<_, i32>(0) as usize;
        let player = from_sql(r.get(1));
        let at = from_sql(r.get(5));
        let first = presses.entry((idx, player)).or_insert((at, 0));
        first.1 += 1;
        names.insert(player, r.get::<_, String>(2));
        if r.get::<_, i32>(8) != 1 {
            continue;
        }
        let given: Given = serde_json::from_str(r.get::<_, &str>(3))?;
        let verdict: &str = r.get(6);
        let verdict = Verdict::parse(verdict)
            .ok_or_else(|| StoreError::Corrupt(format!("verdict `{verdict}`")))?;
        let (first_at, count) = presses[&(idx, player)];
        if let Some(round) = rounds.iter_mut().find(|r| r.index == idx) {
            round.answers.insert(
                player,
                PlayerAnswer {
                    given,
                    first_at,
                    at,
                    elapsed_ms: from_sql(r.get(4)),
                    changes: count - 1,
                    verdict,
                    points: r.get::<_, i32>(7) as u32,
                },
            );
        }
    }

    let night =
        crate::store::night::load(&mut Pg(conn), quiz, &config.night.team_names, &mut names)?;
    Ok(Some(StoredQuiz {
        night,
        id: quiz,
        guild: from_sql(row.get(0)),
        channel: from_sql(row.get(1)),
        host: from_sql(row.get(2)),
        config,
        questions,
        paused_at: paused_at.map(from_sql),
        ended,
        started_at: from_sql(row.get(7)),
        updated_at: from_sql(row.get(8)),
        rounds,
        names,
        messages,
    }))
}

impl QuizStore for PgStore {
    fn create_quiz(&self, quiz: &NewQuiz) -> Result<QuizId, StoreError> {
        let config = serde_json::to_string(&quiz.config)?;
        let questions = serde_json::to_string(&quiz.questions)?;
        self.write(|tx| {
            let id: i64 = tx
                .query_one(
                    "INSERT INTO quizzes (guild_id, channel_id, host_id, seed, config, questions,
                                          started_at, updated_at)
                     VALUES ($1, $2, $3, $4, $5, $6, $7, $7) RETURNING id",
                    &[
                        &to_sql(quiz.guild),
                        &to_sql(quiz.channel),
                        &to_sql(quiz.host),
                        &to_sql(quiz.config.seed),
                        &config,
                        &questions,
                        &to_sql(quiz.started_at),
                    ],
                )?
                .get(0);
            Ok(from_sql(id))
        })
    }

    fn apply(&self, quiz: QuizId, writes: &[Write]) -> Result<(), StoreError> {
        self.write(|tx| {
            for w in writes {
                apply_one(tx, quiz, w)?;
            }
            Ok(())
        })
    }

    fn load_quiz(&self, quiz: QuizId) -> Result<Option<StoredQuiz>, StoreError> {
        self.read(|c| load(c, quiz))
    }

    fn unfinished_quizzes(&self) -> Result<Vec<StoredQuiz>, StoreError> {
        self.read(|c| {
            let ids: Vec<i64> = c
                .query(
                    "SELECT id FROM quizzes WHERE ended_at IS NULL ORDER BY id",
                    &[],
                )?
                .iter()
                .map(|r| r.get(0))
                .collect();
            let mut out = Vec::new();
            for id in ids {
                if let Some(q) = load(c, from_sql(id))? {
                    out.push(q);
                }
            }
            Ok(out)
        })
    }

    fn open_quiz_in_channel(&self, channel: u64) -> Result<Option<QuizId>, StoreError> {
        self.read(|c| {
            Ok(c.query_opt(
                "SELECT id FROM quizzes WHERE channel_id = $1 AND ended_at IS NULL",
                &[&to_sql(channel)],
            )?
            .map(|r| from_sql(r.get(0))))
        })
    }

    fn leaderboard(
        &self,
        guild: u64,
        since: Option<u64>,
        limit: usize,
    ) -> Result<Vec<LeaderRow>, StoreError> {
        let since = since.map(to_sql).unwrap_or(i64::MIN);
        let limit = limit.min(i64::MAX as usize) as i64;
        self.read(|c| {
            let rows = c.query(
                "SELECT a.player_id,
                        (SELECT n.player_name FROM answers n WHERE n.player_id = a.player_id
                         ORDER BY n.at DESC, n.id DESC LIMIT 1),
                        SUM(a.points), COUNT(*),
                        SUM(CASE WHEN a.verdict = 'right' THEN 1 ELSE 0 END),
                        COUNT(DISTINCT a.quiz_id)
                 FROM answers a JOIN quizzes q ON q.id = a.quiz_id
                 WHERE q.guild_id = $1 AND a.current = 1 AND a.at >= $2
                 GROUP BY a.player_id
                 ORDER BY SUM(a.points) DESC, SUM(CASE WHEN a.verdict = 'right' THEN 1 ELSE 0 END) DESC,
                          MIN(a.at), a.player_id
                 LIMIT $3",
                &[&to_sql(guild), &since, &limit],
            )?;
            Ok(rows
                .iter()
                .map(|r| LeaderRow {
                    player: from_sql(r.get(0)),
                    name: r.get::<_, Option<String>>(1).unwrap_or_default(),
                    points: r.get::<_, i64>(2).clamp(0, u32::MAX as i64) as u32,
                    answers: r.get::<_, i64>(3) as u32,
                    right: r.get::<_, i64>(4) as u32,
                    quizzes: r.get::<_, i64>(5) as u32,
                })
                .collect())
        })
    }

    fn recent_question_keys(
        &self,
        guild: u64,
        quizzes: usize,
    ) -> Result<HashSet<String>, StoreError> {
        self.read(|c| {
            let rows = c.query(
                "SELECT key FROM quiz_questions WHERE quiz_id IN
                   (SELECT id FROM quizzes WHERE guild_id = $1 ORDER BY started_at DESC, id DESC LIMIT $2)",
                &[&to_sql(guild), &(quizzes as i64)],
            )?;
            Ok(rows.iter().map(|r| r.get(0)).collect())
        })
    }
}
