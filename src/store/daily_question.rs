//! The daily question in the store, for both backends (migration 0008): every function here is
//! written once against [`Db`] (a SQLite or PostgreSQL connection or transaction), with the SQL
//! in the constants below (plain: `ON CONFLICT`, `CAST`, no backend's own functions).

use chrono::NaiveDate;

use super::portable::{Arg, Db, Lite, Row};
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
/// both win. The CASTs tell PostgreSQL the types of the parameters it selects.
pub(super) const ANSWER: &str = "INSERT INTO daily_answers
     (guild_id, local_date, player_id, player_name, choice, correct, answered_at)
     SELECT ?1, ?2, CAST(?3 AS BIGINT), CAST(?4 AS TEXT), CAST(?5 AS INTEGER),
            CAST(?6 AS INTEGER), CAST(?7 AS BIGINT)
     FROM daily_questions
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

/// Ids and times are u64; both backends' BIGINT is i64. The bit pattern round-trips exactly.
fn big(n: u64) -> Arg<'static> {
    Arg::Big(n as i64)
}

/// A row of [`LATEST`] or [`ONE`].
fn posted(guild: u64, row: &Row) -> Result<PostedQuestion, StoreError> {
    let date = row.text(0)?;
    let question: Question = serde_json::from_str(&row.text(2)?)
        .map_err(|e| StoreError::Corrupt(format!("daily question of {date}: {e}")))?;
    Ok(PostedQuestion {
        guild,
        date: day(&date)?,
        channel: row.u64(1)?,
        question,
        revealed: row.opt_int(3)?.is_some(),
    })
}

/// An answer from columns `first..first + 5` of a row of [`ANSWERS`] or [`REVEALED_ANSWERS`].
fn answer_from(row: &Row, first: usize) -> Result<DailyAnswer, StoreError> {
    Ok(DailyAnswer {
        player: row.u64(first)?,
        name: row.text(first + 1)?,
        option: row.int(first + 2)?.max(0) as usize,
        correct: row.int(first + 3)? != 0,
        at: row.u64(first + 4)?,
    })
}

fn setting_from(row: &Row, first: usize) -> Result<DailyQuestionSetting, StoreError> {
    Ok(DailyQuestionSetting {
        channel: row.u64(first)?,
        time: row.text(first + 1)?,
        zone: row.text(first + 2)?,
    })
}

pub(super) fn set_daily_question<D: Db>(
    db: &mut D,
    guild: u64,
    setting: Option<&DailyQuestionSetting>,
    at: u64,
) -> Result<(), D::Error> {
    match setting {
        Some(s) => db.exec(
            SET,
            &[
                big(guild),
                big(s.channel),
                Arg::Text(&s.time),
                Arg::Text(&s.zone),
                big(at),
            ],
        )?,
        None => db.exec(UNSET, &[big(guild)])?,
    };
    Ok(())
}

pub(super) fn daily_question_setting<D: Db>(
    db: &mut D,
    guild: u64,
) -> Result<Option<DailyQuestionSetting>, D::Error> {
    Ok(db
        .row(SETTING, &[big(guild)])?
        .map(|row| setting_from(&row, 0))
        .transpose()?)
}

pub(super) fn daily_question_guilds<D: Db>(
    db: &mut D,
) -> Result<Vec<(u64, DailyQuestionSetting)>, D::Error> {
    let mut out = Vec::new();
    for row in db.rows(GUILDS, &[])? {
        out.push((row.u64(0)?, setting_from(&row, 1)?));
    }
    Ok(out)
}

pub(super) fn latest_daily_question<D: Db>(
    db: &mut D,
    guild: u64,
) -> Result<Option<PostedQuestion>, D::Error> {
    Ok(db
        .row(LATEST, &[big(guild)])?
        .map(|row| posted(guild, &row))
        .transpose()?)
}

pub(super) fn daily_question<D: Db>(
    db: &mut D,
    guild: u64,
    date: NaiveDate,
) -> Result<Option<PostedQuestion>, D::Error> {
    let date = key(date);
    Ok(db
        .row(ONE, &[big(guild), Arg::Text(&date)])?
        .map(|row| posted(guild, &row))
        .transpose()?)
}

pub(super) fn claim_daily_question<D: Db>(
    db: &mut D,
    guild: u64,
    date: NaiveDate,
    channel: u64,
    question: &Question,
    at: u64,
) -> Result<bool, D::Error> {
    let json = serde_json::to_string(question)
        .map_err(|e| StoreError::Corrupt(format!("daily question: {e}")))?;
    let date = key(date);
    let n = db.exec(
        CLAIM,
        &[
            big(guild),
            Arg::Text(&date),
            big(channel),
            Arg::Text(&question.key),
            Arg::Text(&json),
            big(at),
        ],
    )?;
    Ok(n == 1)
}

pub(super) fn claim_daily_reveal<D: Db>(
    db: &mut D,
    guild: u64,
    date: NaiveDate,
    at: u64,
) -> Result<bool, D::Error> {
    let date = key(date);
    let n = db.exec(CLAIM_REVEAL, &[big(guild), Arg::Text(&date), big(at)])?;
    Ok(n == 1)
}

/// Inside one transaction.
pub(super) fn answer_daily_question<D: Db>(
    db: &mut D,
    guild: u64,
    date: NaiveDate,
    answer: &DailyAnswer,
) -> Result<AnswerTaken, D::Error> {
    let date = key(date);
    let (g, d, p) = (big(guild), Arg::Text(&date), big(answer.player));
    let had = db.row(HAS_ANSWER, &[g, d, p])?.is_some();
    let option = i32::try_from(answer.option).map_err(|_| {
        StoreError::Database(format!("option {} of a daily question", answer.option))
    })?;
    let n = db.exec(
        ANSWER,
        &[
            g,
            d,
            p,
            Arg::Text(&answer.name),
            Arg::Int(option),
            Arg::Int(i32::from(answer.correct)),
            big(answer.at),
        ],
    )?;
    Ok(if n == 1 {
        AnswerTaken::Stored { replaced: had }
    } else {
        AnswerTaken::Closed
    })
}

pub(super) fn daily_answers<D: Db>(
    db: &mut D,
    guild: u64,
    date: NaiveDate,
) -> Result<Vec<DailyAnswer>, D::Error> {
    let date = key(date);
    let mut out = Vec::new();
    for row in db.rows(ANSWERS, &[big(guild), Arg::Text(&date)])? {
        out.push(answer_from(&row, 0)?);
    }
    Ok(out)
}

pub(super) fn recent_daily_keys<D: Db>(
    db: &mut D,
    guild: u64,
    limit: usize,
) -> Result<Vec<String>, D::Error> {
    let limit = Arg::Big(limit.min(i64::MAX as usize) as i64);
    let mut out = Vec::new();
    for row in db.rows(RECENT_KEYS, &[big(guild), limit])? {
        out.push(row.text(0)?);
    }
    Ok(out)
}

pub(super) fn daily_history<D: Db>(
    db: &mut D,
    guild: u64,
) -> Result<Vec<(NaiveDate, Vec<DailyAnswer>)>, D::Error> {
    let mut days: Vec<(NaiveDate, Vec<DailyAnswer>)> = Vec::new();
    for row in db.rows(REVEALED_DAYS, &[big(guild)])? {
        days.push((day(&row.text(0)?)?, Vec::new()));
    }
    for row in db.rows(REVEALED_ANSWERS, &[big(guild)])? {
        let d = day(&row.text(0)?)?;
        let a = answer_from(&row, 1)?;
        if let Some((_, list)) = days.iter_mut().find(|(x, _)| *x == d) {
            list.push(a);
        }
    }
    Ok(days)
}

impl DailyQuestionStore for SqliteStore {
    fn set_daily_question(
        &self,
        guild: u64,
        setting: Option<&DailyQuestionSetting>,
        at: u64,
    ) -> Result<(), StoreError> {
        set_daily_question(&mut Lite(&self.conn()), guild, setting, at)
    }

    fn daily_question_setting(
        &self,
        guild: u64,
    ) -> Result<Option<DailyQuestionSetting>, StoreError> {
        daily_question_setting(&mut Lite(&self.conn()), guild)
    }

    fn daily_question_guilds(&self) -> Result<Vec<(u64, DailyQuestionSetting)>, StoreError> {
        daily_question_guilds(&mut Lite(&self.conn()))
    }

    fn latest_daily_question(&self, guild: u64) -> Result<Option<PostedQuestion>, StoreError> {
        latest_daily_question(&mut Lite(&self.conn()), guild)
    }

    fn daily_question(
        &self,
        guild: u64,
        date: NaiveDate,
    ) -> Result<Option<PostedQuestion>, StoreError> {
        daily_question(&mut Lite(&self.conn()), guild, date)
    }

    fn claim_daily_question(
        &self,
        guild: u64,
        date: NaiveDate,
        channel: u64,
        question: &Question,
        at: u64,
    ) -> Result<bool, StoreError> {
        claim_daily_question(&mut Lite(&self.conn()), guild, date, channel, question, at)
    }

    fn claim_daily_reveal(&self, guild: u64, date: NaiveDate, at: u64) -> Result<bool, StoreError> {
        claim_daily_reveal(&mut Lite(&self.conn()), guild, date, at)
    }

    fn answer_daily_question(
        &self,
        guild: u64,
        date: NaiveDate,
        answer: &DailyAnswer,
    ) -> Result<AnswerTaken, StoreError> {
        let mut conn = self.conn();
        let tx = conn.transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)?;
        let taken = answer_daily_question(&mut Lite(&tx), guild, date, answer)?;
        tx.commit()?;
        Ok(taken)
    }

    fn daily_answers(&self, guild: u64, date: NaiveDate) -> Result<Vec<DailyAnswer>, StoreError> {
        daily_answers(&mut Lite(&self.conn()), guild, date)
    }

    fn recent_daily_keys(&self, guild: u64, limit: usize) -> Result<Vec<String>, StoreError> {
        recent_daily_keys(&mut Lite(&self.conn()), guild, limit)
    }

    fn daily_history(&self, guild: u64) -> Result<Vec<(NaiveDate, Vec<DailyAnswer>)>, StoreError> {
        daily_history(&mut Lite(&self.conn()), guild)
    }
}
