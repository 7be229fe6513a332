//! The daily question on PostgreSQL: the very functions of `store/daily_question.rs`, run on a
//! pooled connection (the writes in a transaction).

use chrono::NaiveDate;

use super::portable::Pg;
use super::PgStore;
use crate::quiz::daily::{
    AnswerTaken, DailyAnswer, DailyQuestionSetting, DailyQuestionStore, PostedQuestion,
};
use crate::quiz::Question;
use crate::store::daily_question as dq;
use crate::store::StoreError;

impl DailyQuestionStore for PgStore {
    fn set_daily_question(
        &self,
        guild: u64,
        setting: Option<&DailyQuestionSetting>,
        at: u64,
    ) -> Result<(), StoreError> {
        self.write(|tx| dq::set_daily_question(&mut Pg(tx), guild, setting, at))
    }

    fn daily_question_setting(
        &self,
        guild: u64,
    ) -> Result<Option<DailyQuestionSetting>, StoreError> {
        self.read(|c| dq::daily_question_setting(&mut Pg(c), guild))
    }

    fn daily_question_guilds(&self) -> Result<Vec<(u64, DailyQuestionSetting)>, StoreError> {
        self.read(|c| dq::daily_question_guilds(&mut Pg(c)))
    }

    fn latest_daily_question(&self, guild: u64) -> Result<Option<PostedQuestion>, StoreError> {
        self.read(|c| dq::latest_daily_question(&mut Pg(c), guild))
    }

    fn daily_question(
        &self,
        guild: u64,
        date: NaiveDate,
    ) -> Result<Option<PostedQuestion>, StoreError> {
        self.read(|c| dq::daily_question(&mut Pg(c), guild, date))
    }

    fn claim_daily_question(
        &self,
        guild: u64,
        date: NaiveDate,
        channel: u64,
        question: &Question,
        at: u64,
    ) -> Result<bool, StoreError> {
        self.write(|tx| dq::claim_daily_question(&mut Pg(tx), guild, date, channel, question, at))
    }

    fn claim_daily_reveal(&self, guild: u64, date: NaiveDate, at: u64) -> Result<bool, StoreError> {
        self.write(|tx| dq::claim_daily_reveal(&mut Pg(tx), guild, date, at))
    }

    fn answer_daily_question(
        &self,
        guild: u64,
        date: NaiveDate,
        answer: &DailyAnswer,
    ) -> Result<AnswerTaken, StoreError> {
        self.write(|tx| dq::answer_daily_question(&mut Pg(tx), guild, date, answer))
    }

    fn daily_answers(&self, guild: u64, date: NaiveDate) -> Result<Vec<DailyAnswer>, StoreError> {
        self.read(|c| dq::daily_answers(&mut Pg(c), guild, date))
    }

    fn recent_daily_keys(&self, guild: u64, limit: usize) -> Result<Vec<String>, StoreError> {
        self.read(|c| dq::recent_daily_keys(&mut Pg(c), guild, limit))
    }

    fn daily_history(&self, guild: u64) -> Result<Vec<(NaiveDate, Vec<DailyAnswer>)>, StoreError> {
        self.read(|c| dq::daily_history(&mut Pg(c), guild))
    }
}
