//! The daily question in SQLite (migration 0008). The SQL strings are `pub(super)` so another
//! backend can run the same statements (they are plain: `ON CONFLICT`, no SQLite-only functions).

use chrono::NaiveDate;
use rusqlite::{params, OptionalExtension};

use super::sqlite::{from_sql, to_sql};
use super::SqliteStore;
use crate::quiz::daily::{
    AnswerTaken, DailyAnswer, DailyQuestionSetting, DailyQuestionStore, PostedQuestion,
};
use crate::quiz::persist::StoreError;
use crate::quiz::Question;

pub(super) const SET: &str =
    "INSERT INTO daily_question_settings (guild_id, channel_id, time, zone, updated_at)
     VALUES (?1, ?2, ?3, ?4, ?5)
     ON CONFLICT (guild_id) DO UPDATE SET channel_id = excluded.channel_id,
         time = excluded.time, zone = excluded.zone, updated_at = excluded.updated_at";
pub(super) const UNSET: &str = "DELETE FROM daily_question_settings WHERE guild_id = ?1";
pub(super) const SETTING: &str =
    "SELECT channel_id, time, zone FROM daily_question_settings WHERE guild_id = ?1";
pub(super) const GUILDS: &str =
    "SELECT guild_id, channel_id, time, zone FROM daily_question_settings ORDER BY guild_id";
pub(super) const LATEST: &str = "SELECT local_date, channel_id, question, revealed_at
     FROM daily_questions WHERE guild_id = ?1 ORDER BY local_date DESC LIMIT 1";
pub(super) const ONE: &str = "SELECT local_date, channel_id, question, revealed_at
     FROM daily_questions WHERE guild_id = ?1 AND local_date = ?2";
pub(super) const CLAIM: &str = "INSERT INTO daily_questions
     (guild_id, local_date, channel_id, question_key, question, claimed_at)
     VALUES (?1, ?2, ?3, ?4, ?5, ?6)
     ON CONFLICT (guild_id, local_date) DO NOTHING";
pub(super) const CLAIM_REVEAL: &str = "UPDATE daily_questions SET revealed_at = ?3
     WHERE guild_id = ?1 AND local_date = ?2 AND revealed_at IS NULL";
/// Stores the answer only while the question is open: the reveal's claim and an answer cannot
/// both win.
pub(super) const ANSWER: &str = "INSERT INTO daily_answers
     (guild_id, local_date, player_id, player_name, choice, correct, answered_at)
     SELECT ?1, ?2, ?3, ?4, ?5, ?6, ?7 FROM daily_questions
     WHERE guild_id = ?1 AND local_date = ?2 AND revealed_at IS NULL
     ON CONFLICT (guild_id, local_date, player_id) DO UPDATE SET
         player_name = excluded.player_name, choice = excluded.choice,
         correct = excluded.correct, answered_at = excluded.answered_at";
pub(super) const HAS_ANSWER: &str = "SELECT 1 FROM daily_answers
     WHERE guild_id = ?1 AND local_date = ?2 AND player_id = ?3";
pub(super) const ANSWERS: &str =
    "SELECT player_id, player_name, choice, correct, answered_at FROM daily_answers
     WHERE guild_id = ?1 AND local_date = ?2 ORDER BY answered_at, player_id";
pub(super) const RECENT_KEYS: &str = "SELECT question_key FROM daily_questions
     WHERE guild_id = ?1 ORDER BY local_date DESC LIMIT ?2";
pub(super) const REVEALED_DAYS: &str = "SELECT local_date FROM daily_questions
     WHERE guild_id = ?1 AND revealed_at IS NOT NULL ORDER BY local_date";
pub(super) const REVEALED_ANSWERS: &str =
    "SELECT a.local_date, a.player_id, a.player_name, a.choice, a.correct, a.answered_at
     FROM daily_answers a JOIN daily_questions q
         ON q.guild_id = a.guild_id AND q.local_date = a.local_date
     WHERE a.guild_id = ?1 AND q.revealed_at IS NOT NULL
     ORDER BY a.local_date, a.answered_at, a.player_id";

fn day(text: &str) -> Result<NaiveDate, StoreError> {
    NaiveDate::parse_from_str(text, "%Y-%m-%d")
        .map_err(|e| StoreError::Corrupt(format!("daily question date `{text}`: {e}")))
}

fn key(date: NaiveDate) -> String {
    date.format("%Y-%m-%d").to_string()
}

type Row = (String, i64, String, Option<i64>);

fn posted(guild: u64, row: Row) -> Result<PostedQuestion, StoreError> {
    let (date, channel, json, revealed) = row;
    let question: Question = serde_json::from_str(&json)
        .map_err(|e| StoreError::Corrupt(format!("daily question of {date}: {e}")))?;
    Ok(PostedQuestion {
        guild,
        date: day(&date)?,
        channel: from_sql(channel),
        question,
        revealed: revealed.is_some(),
    })
}

fn read_row(r: &rusqlite::Row) -> rusqlite::Result<Row> {
    Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?))
}

fn answer_from(r: &rusqlite::Row, first: usize) -> rusqlite::Result<DailyAnswer> {
    Ok(DailyAnswer {
        player: from_sql(r.get(first)?),
        name: r.get(first + 1)?,
        option: r.get::<_, i64>(first + 2)?.max(0) as usize,
        correct: r.get::<_, i64>(first + 3)? != 0,
        at: from_sql(r.get(first + 4)?),
    })
}

impl DailyQuestionStore for SqliteStore {
    fn set_daily_question(
        &self,
        guild: u64,
        setting: Option<&DailyQuestionSetting>,
        at: u64,
    ) -> Result<(), StoreError> {
        let conn = self.conn();
        match setting {
            Some(s) => conn.execute(
                SET,
                params![to_sql(guild), to_sql(s.channel), s.time, s.zone, to_sql(at)],
            )?,
            None => conn.execute(UNSET, params![to_sql(guild)])?,
        };
        Ok(())
    }

    fn daily_question_setting(
        &self,
        guild: u64,
    ) -> Result<Option<DailyQuestionSetting>, StoreError> {
        Ok(self
            .conn()
            .query_row(SETTING, params![to_sql(guild)], |r| {
                Ok(DailyQuestionSetting {
                    channel: from_sql(r.get(0)?),
                    time: r.get(1)?,
                    zone: r.get(2)?,
                })
            })
            .optional()?)
    }

    fn daily_question_guilds(&self) -> Result<Vec<(u64, DailyQuestionSetting)>, StoreError> {
        let conn = self.conn();
        let mut stmt = conn.prepare(GUILDS)?;
        let rows = stmt.query_map([], |r| {
            Ok((
                from_sql(r.get(0)?),
                DailyQuestionSetting {
                    channel: from_sql(r.get(1)?),
                    time: r.get(2)?,
                    zone: r.get(3)?,
                },
            ))
        })?;
        Ok(rows.collect::<Result<_, _>>()?)
    }

    fn latest_daily_question(&self, guild: u64) -> Result<Option<PostedQuestion>, StoreError> {
        let row = self
            .conn()
            .query_row(LATEST, params![to_sql(guild)], read_row)
            .optional()?;
        row.map(|row| posted(guild, row)).transpose()
    }

    fn daily_question(
        &self,
        guild: u64,
        date: NaiveDate,
    ) -> Result<Option<PostedQuestion>, StoreError> {
        let row = self
            .conn()
            .query_row(ONE, params![to_sql(guild), key(date)], read_row)
            .optional()?;
        row.map(|row| posted(guild, row)).transpose()
    }

    fn claim_daily_question(
        &self,
        guild: u64,
        date: NaiveDate,
        channel: u64,
        question: &Question,
        at: u64,
    ) -> Result<bool, StoreError> {
        let json = serde_json::to_string(question)
            .map_err(|e| StoreError::Corrupt(format!("daily question: {e}")))?;
        let n = self.conn().execute(
            CLAIM,
            params![
                to_sql(guild),
                key(date),
                to_sql(channel),
                question.key,
                json,
                to_sql(at)
            ],
        )?;
        Ok(n == 1)
    }

    fn claim_daily_reveal(&self, guild: u64, date: NaiveDate, at: u64) -> Result<bool, StoreError> {
        let n = self
            .conn()
            .execute(CLAIM_REVEAL, params![to_sql(guild), key(date), to_sql(at)])?;
        Ok(n == 1)
    }

    fn answer_daily_question(
        &self,
        guild: u64,
        date: NaiveDate,
        answer: &DailyAnswer,
    ) -> Result<AnswerTaken, StoreError> {
        let mut conn = self.conn();
        let tx = conn.transaction()?;
        let (g, d, p) = (to_sql(guild), key(date), to_sql(answer.player));
        let had: Option<i64> = tx
            .query_row(HAS_ANSWER, params![g, d, p], |r| r.get(0))
            .optional()?;
        let n = tx.execute(
            ANSWER,
            params![
                g,
                d,
                p,
                answer.name,
                answer.option as i64,
                answer.correct as i64,
                to_sql(answer.at)
            ],
        )?;
        tx.commit()?;
        Ok(if n == 1 {
            AnswerTaken::Stored {
                replaced: had.is_some(),
            }
        } else {
            AnswerTaken::Closed
        })
    }

    fn daily_answers(&self, guild: u64, date: NaiveDate) -> Result<Vec<DailyAnswer>, StoreError> {
        let conn = self.conn();
        let mut stmt = conn.prepare(ANSWERS)?;
        let rows = stmt.query_map(params![to_sql(guild), key(date)], |r| answer_from(r, 0))?;
        Ok(rows.collect::<Result<_, _>>()?)
    }

    fn recent_daily_keys(&self, guild: u64, limit: usize) -> Result<Vec<String>, StoreError> {
        let conn = self.conn();
        let mut stmt = conn.prepare(RECENT_KEYS)?;
        let rows = stmt.query_map(params![to_sql(guild), limit as i64], |r| r.get(0))?;
        Ok(rows.collect::<Result<_, _>>()?)
    }

    fn daily_history(&self, guild: u64) -> Result<Vec<(NaiveDate, Vec<DailyAnswer>)>, StoreError> {
        let conn = self.conn();
        let mut days: Vec<(NaiveDate, Vec<DailyAnswer>)> = Vec::new();
        let mut stmt = conn.prepare(REVEALED_DAYS)?;
        let dates: Vec<String> = stmt
            .query_map(params![to_sql(guild)], |r| r.get(0))?
            .collect::<Result<_, _>>()?;
        for d in &dates {
            days.push((day(d)?, Vec::new()));
        }
        let mut stmt = conn.prepare(REVEALED_ANSWERS)?;
        let rows = stmt.query_map(params![to_sql(guild)], |r| {
            Ok((r.get::<_, String>(0)?, answer_from(r, 1)?))
        })?;
        for row in rows {
            let (d, a) = row?;
            let d = day(&d)?;
            if let Some((_, list)) = days.iter_mut().find(|(x, _)| *x == d) {
                list.push(a);
            }
        }
        Ok(days)
    }
}
