//! Quiz nights on PostgreSQL: the very functions of `store/night.rs`, run on a pooled
//! connection.

use super::portable::Pg;
use super::PgStore;
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
