//! Quiz nights (seasons, scheduled nights) on PostgreSQL: the very functions of `store/night.rs`, run on a pooled
//! connection.

use super::portable::Pg;
use super::PgStore;
use crate::quiz::night::schedule::{ScheduleState, ScheduledQuiz};
use crate::quiz::night::seasons::{NightStore, Season};
use crate::store::night;
use crate::store::{LeaderRow, StoreError};

impl NightStore for PgStore {
    fn start_season(&self, guild: u64, name: &str, at: u64) -> Result<Season, StoreError> {
        self.write(|tx| night::start_season(&mut Pg(tx), guild, name, at))
    }

    fn seasons(&self, guild: u64) -> Result<Vec<Season>, StoreError> {
        self.read(|c| night::seasons(&mut Pg(c), guild))
    }

    fn schedule_quiz(&self, quiz: &ScheduledQuiz, at: u64) -> Result<u64, StoreError> {
        self.write(|tx| night::schedule_quiz(&mut Pg(tx), quiz, at))
    }

    fn scheduled_quizzes(&self, guild: Option<u64>) -> Result<Vec<ScheduledQuiz>, StoreError> {
        self.read(|c| night::scheduled_quizzes(&mut Pg(c), guild))
    }

    fn move_schedule(
        &self,
        id: u64,
        from: &[ScheduleState],
        to: ScheduleState,
    ) -> Result<bool, StoreError> {
        self.write(|tx| night::move_schedule(&mut Pg(tx), id, from, to))
    }

    fn set_schedule_event(&self, id: u64, event: u64) -> Result<(), StoreError> {
        self.write(|tx| night::set_schedule_event(&mut Pg(tx), id, event))
    }

    fn leaderboard_between(
        &self,
        guild: u64,
        since: Option<u64>,
        until: Option<u64>,
        limit: usize,
    ) -> Result<Vec<LeaderRow>, StoreError> {
        self.read(|c| night::leaderboard_between(&mut Pg(c), guild, since, until, limit))
    }
}
