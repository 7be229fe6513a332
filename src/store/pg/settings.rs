//! Settings and daily-post claims on PostgreSQL: the statements of `store/settings.rs`. The claim
//! is the row's primary key, so across processes exactly one `INSERT` of a day wins.

use chrono::NaiveDate;
use postgres::Row;

use super::{from_sql, to_sql, PgError, PgStore};
use crate::i18n::Locale;
use crate::store::{DailySetting, GuildSettings, SettingsStore, StoreError};

const COLUMNS: &str =
    "guild_id, quizmaster_role, locale, daily_channel, daily_time, daily_zone FROM guild_settings";

fn row_to_settings(r: &Row) -> GuildSettings {
    let locale: Option<String> = r.get(2);
    let channel: Option<i64> = r.get(3);
    let time: Option<String> = r.get(4);
    let zone: Option<String> = r.get(5);
    GuildSettings {
        guild: from_sql(r.get(0)),
        quizmaster_role: r.get::<_, Option<i64>>(1).map(from_sql),
        locale: locale.map(|l| Locale::from_discord(&l)),
        daily: match (channel, time, zone) {
            (Some(channel), Some(time), Some(zone)) => Some(DailySetting {
                channel: from_sql(channel),
                time,
                zone,
            }),
            _ => None,
        },
    }
}

fn day(date: NaiveDate) -> String {
    date.format("%Y-%m-%d").to_string()
}

impl PgStore {
    /// Make sure the server has a row, then run `sql` ($1 guild, $2 value, $3 now) on it.
    fn update_settings(
        &self,
        guild: u64,
        sql: &str,
        value: &(dyn postgres::types::ToSql + Sync),
    ) -> Result<(), StoreError> {
        let now = to_sql(crate::clock::wall_ms());
        self.write(|tx| {
            tx.execute(
                "INSERT INTO guild_settings (guild_id, updated_at) VALUES ($1, $2)
                 ON CONFLICT (guild_id) DO NOTHING",
                &[&to_sql(guild), &now],
            )?;
            tx.execute(sql, &[&to_sql(guild), value, &now])?;
            Ok(())
        })
    }
}

impl SettingsStore for PgStore {
    fn guild_settings(&self, guild: u64) -> Result<GuildSettings, StoreError> {
        let found = self.read(|c| {
            Ok(c.query_opt(
                &format!("SELECT {COLUMNS} WHERE guild_id = $1"),
                &[&to_sql(guild)],
            )?
            .map(|r| row_to_settings(&r)))
        })?;
        Ok(found.unwrap_or(GuildSettings {
            guild,
            ..Default::default()
        }))
    }

    fn set_quizmaster_role(&self, guild: u64, role: Option<u64>) -> Result<(), StoreError> {
        self.update_settings(
            guild,
            "UPDATE guild_settings SET quizmaster_role = $2, updated_at = $3 WHERE guild_id = $1",
            &role.map(to_sql),
        )
    }

    fn set_locale(&self, guild: u64, locale: Option<Locale>) -> Result<(), StoreError> {
        self.update_settings(
            guild,
            "UPDATE guild_settings SET locale = $2, updated_at = $3 WHERE guild_id = $1",
            &locale.map(Locale::code),
        )
    }

    fn set_daily(&self, guild: u64, daily: Option<DailySetting>) -> Result<(), StoreError> {
        let (channel, time, zone) = match daily {
            Some(d) => (Some(to_sql(d.channel)), Some(d.time), Some(d.zone)),
            None => (None, None, None),
        };
        let now = to_sql(crate::clock::wall_ms());
        self.write(|tx| {
            tx.execute(
                "INSERT INTO guild_settings (guild_id, daily_channel, daily_time, daily_zone, updated_at)
                 VALUES ($1, $2, $3, $4, $5)
                 ON CONFLICT (guild_id) DO UPDATE SET daily_channel = $2, daily_time = $3,
                     daily_zone = $4, updated_at = $5",
                &[&to_sql(guild), &channel, &time, &zone, &now],
            )?;
            Ok(())
        })
    }

    fn daily_guilds(&self) -> Result<Vec<GuildSettings>, StoreError> {
        self.read(|c| {
            Ok(c.query(
                &format!("SELECT {COLUMNS} WHERE daily_channel IS NOT NULL ORDER BY guild_id"),
                &[],
            )?
            .iter()
            .map(row_to_settings)
            .collect())
        })
    }

    fn last_daily_claim(&self, guild: u64) -> Result<Option<NaiveDate>, StoreError> {
        let last: Option<String> = self.read(|c| {
            Ok(c.query_one(
                "SELECT MAX(local_date) FROM daily_posts WHERE guild_id = $1",
                &[&to_sql(guild)],
            )?
            .get(0))
        })?;
        last.map(|d| {
            NaiveDate::parse_from_str(&d, "%Y-%m-%d")
                .map_err(|e| StoreError::Corrupt(format!("daily post date `{d}`: {e}")))
        })
        .transpose()
    }

    fn claim_daily(
        &self,
        guild: u64,
        date: NaiveDate,
        channel: u64,
        at: u64,
    ) -> Result<bool, StoreError> {
        self.write(|tx| {
            let inserted = tx.execute(
                "INSERT INTO daily_posts (guild_id, local_date, channel_id, claimed_at)
                 VALUES ($1, $2, $3, $4) ON CONFLICT (guild_id, local_date) DO NOTHING",
                &[&to_sql(guild), &day(date), &to_sql(channel), &to_sql(at)],
            )?;
            Ok(inserted == 1)
        })
    }

    fn mark_daily_posted(&self, guild: u64, date: NaiveDate, at: u64) -> Result<(), StoreError> {
        self.write(|tx| {
            tx.execute(
                "UPDATE daily_posts SET posted_at = $3 WHERE guild_id = $1 AND local_date = $2",
                &[&to_sql(guild), &day(date), &to_sql(at)],
            )?;
            Ok::<(), PgError>(())
        })
    }
}
