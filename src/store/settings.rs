//! Per-server settings and the daily post's claims, in the same SQLite database as the quizzes.
//!
//! A server's settings are one row (`guild_settings`); a server with no row has the defaults (no
//! quizmaster role, no language of its own, no daily post). The daily post is guarded by a claim
//! per (server, local date), written before the post is sent: [`SettingsStore::claim_daily`]
//! succeeds once per day, whatever restarts or crashes happen around it.

use std::sync::Arc;

use chrono::NaiveDate;
use rusqlite::{params, OptionalExtension};

use super::{SqliteStore, StoreError};
use crate::daily::DailySchedule;
use crate::i18n::Locale;

/// A server's settings; the defaults for a server that never set any.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct GuildSettings {
    pub guild: u64,
    /// Members with this role may run quizzes (besides those with Manage Server).
    pub quizmaster_role: Option<u64>,
    /// The server's language for what Clio posts unasked; `None`: English.
    pub locale: Option<Locale>,
    pub daily: Option<DailySetting>,
}

impl GuildSettings {
    /// The language of the server's channel posts.
    pub fn post_locale(&self) -> Locale {
        self.locale.unwrap_or_default()
    }
}

/// Where and when the daily "on this day" post goes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DailySetting {
    pub channel: u64,
    /// Local time of day, `HH:MM`.
    pub time: String,
    /// An IANA time zone name.
    pub zone: String,
}

impl DailySetting {
    /// Checked: the time is `HH:MM` and the zone is one the time zone database knows.
    pub fn new(channel: u64, time: &str, zone: &str) -> Result<DailySetting, String> {
        let schedule = DailySchedule::parse(time, zone)?;
        Ok(DailySetting {
            channel,
            time: schedule.time.format("%H:%M").to_string(),
            zone: schedule.zone.name().to_string(),
        })
    }

    pub fn schedule(&self) -> Result<DailySchedule, String> {
        DailySchedule::parse(&self.time, &self.zone)
    }
}

/// What a settings backend must do. Calls block; use [`Settings`] from async code.
pub trait SettingsStore: Send + Sync {
    fn guild_settings(&self, guild: u64) -> Result<GuildSettings, StoreError>;
    fn set_quizmaster_role(&self, guild: u64, role: Option<u64>) -> Result<(), StoreError>;
    fn set_locale(&self, guild: u64, locale: Option<Locale>) -> Result<(), StoreError>;
    fn set_daily(&self, guild: u64, daily: Option<DailySetting>) -> Result<(), StoreError>;
    /// Every server with a daily post set.
    fn daily_guilds(&self) -> Result<Vec<GuildSettings>, StoreError>;
    /// The latest local date claimed for the server's daily post.
    fn last_daily_claim(&self, guild: u64) -> Result<Option<NaiveDate>, StoreError>;
    /// Claim the post of `date`: true if this call claimed it, false if it was claimed before.
    fn claim_daily(
        &self,
        guild: u64,
        date: NaiveDate,
        channel: u64,
        at: u64,
    ) -> Result<bool, StoreError>;
    /// Record that the claimed post was delivered.
    fn mark_daily_posted(&self, guild: u64, date: NaiveDate, at: u64) -> Result<(), StoreError>;
}

fn to_sql(n: u64) -> i64 {
    n as i64
}

fn from_sql(n: i64) -> u64 {
    n as u64
}

use crate::clock::wall_ms as now_ms;

const COLUMNS: &str =
    "guild_id, quizmaster_role, locale, daily_channel, daily_time, daily_zone FROM guild_settings";

fn row_to_settings(r: &rusqlite::Row<'_>) -> rusqlite::Result<GuildSettings> {
    let locale: Option<String> = r.get(2)?;
    let channel: Option<i64> = r.get(3)?;
    let time: Option<String> = r.get(4)?;
    let zone: Option<String> = r.get(5)?;
    Ok(GuildSettings {
        guild: from_sql(r.get(0)?),
        quizmaster_role: r.get::<_, Option<i64>>(1)?.map(from_sql),
        locale: locale.map(|l| Locale::from_discord(&l)),
        daily: match (channel, time, zone) {
            (Some(channel), Some(time), Some(zone)) => Some(DailySetting {
                channel: from_sql(channel),
                time,
                zone,
            }),
            _ => None,
        },
    })
}

impl SqliteStore {
    /// Make sure the server has a row, then run `update` on it.
    fn update_settings(
        &self,
        guild: u64,
        sql: &str,
        value: &dyn rusqlite::ToSql,
    ) -> Result<(), StoreError> {
        let conn = self.conn();
        conn.execute(
            "INSERT INTO guild_settings (guild_id, updated_at) VALUES (?1, ?2)
             ON CONFLICT (guild_id) DO NOTHING",
            params![to_sql(guild), to_sql(now_ms())],
        )?;
        conn.execute(sql, params![to_sql(guild), value, to_sql(now_ms())])?;
        Ok(())
    }
}

impl SettingsStore for SqliteStore {
    fn guild_settings(&self, guild: u64) -> Result<GuildSettings, StoreError> {
        let found = self
            .conn()
            .query_row(
                &format!("SELECT {COLUMNS} WHERE guild_id = ?1"),
                [to_sql(guild)],
                row_to_settings,
            )
            .optional()?;
        Ok(found.unwrap_or(GuildSettings {
            guild,
            ..Default::default()
        }))
    }

    fn set_quizmaster_role(&self, guild: u64, role: Option<u64>) -> Result<(), StoreError> {
        self.update_settings(
            guild,
            "UPDATE guild_settings SET quizmaster_role = ?2, updated_at = ?3 WHERE guild_id = ?1",
            &role.map(to_sql),
        )
    }

    fn set_locale(&self, guild: u64, locale: Option<Locale>) -> Result<(), StoreError> {
        self.update_settings(
            guild,
            "UPDATE guild_settings SET locale = ?2, updated_at = ?3 WHERE guild_id = ?1",
            &locale.map(Locale::code),
        )
    }

    fn set_daily(&self, guild: u64, daily: Option<DailySetting>) -> Result<(), StoreError> {
        let conn = self.conn();
        let (channel, time, zone) = match daily {
            Some(d) => (Some(to_sql(d.channel)), Some(d.time), Some(d.zone)),
            None => (None, None, None),
        };
        conn.execute(
            "INSERT INTO guild_settings (guild_id, daily_channel, daily_time, daily_zone, updated_at)
             VALUES (?1, ?2, ?3, ?4, ?5)
             ON CONFLICT (guild_id) DO UPDATE SET daily_channel = ?2, daily_time = ?3,
                 daily_zone = ?4, updated_at = ?5",
            params![to_sql(guild), channel, time, zone, to_sql(now_ms())],
        )?;
        Ok(())
    }

    fn daily_guilds(&self) -> Result<Vec<GuildSettings>, StoreError> {
        let conn = self.conn();
        let mut stmt = conn.prepare(&format!(
            "SELECT {COLUMNS} WHERE daily_channel IS NOT NULL ORDER BY guild_id"
        ))?;
        let rows = stmt.query_map([], row_to_settings)?;
        Ok(rows.collect::<Result<Vec<_>, _>>()?)
    }

    fn last_daily_claim(&self, guild: u64) -> Result<Option<NaiveDate>, StoreError> {
        let last: Option<String> = self.conn().query_row(
            "SELECT MAX(local_date) FROM daily_posts WHERE guild_id = ?1",
            [to_sql(guild)],
            |r| r.get(0),
        )?;
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
        let inserted = self.conn().execute(
            "INSERT INTO daily_posts (guild_id, local_date, channel_id, claimed_at)
             VALUES (?1, ?2, ?3, ?4) ON CONFLICT (guild_id, local_date) DO NOTHING",
            params![
                to_sql(guild),
                date.format("%Y-%m-%d").to_string(),
                to_sql(channel),
                to_sql(at)
            ],
        )?;
        Ok(inserted == 1)
    }

    fn mark_daily_posted(&self, guild: u64, date: NaiveDate, at: u64) -> Result<(), StoreError> {
        self.conn().execute(
            "UPDATE daily_posts SET posted_at = ?3 WHERE guild_id = ?1 AND local_date = ?2",
            params![
                to_sql(guild),
                date.format("%Y-%m-%d").to_string(),
                to_sql(at)
            ],
        )?;
        Ok(())
    }
}

/// The settings store for async code: each call runs on the blocking pool.
#[derive(Clone)]
pub struct Settings {
    backend: Arc<dyn SettingsStore>,
}

impl Settings {
    pub fn new(backend: Arc<dyn SettingsStore>) -> Settings {
        Settings { backend }
    }

    /// The backend itself, for code that is already off the async runtime.
    pub fn blocking(&self) -> &dyn SettingsStore {
        &*self.backend
    }

    pub async fn call<T, F>(&self, f: F) -> Result<T, StoreError>
    where
        T: Send + 'static,
        F: FnOnce(&dyn SettingsStore) -> Result<T, StoreError> + Send + 'static,
    {
        let backend = self.backend.clone();
        tokio::task::spawn_blocking(move || f(&*backend))
            .await
            .map_err(|e| StoreError::Task(e.to_string()))?
    }

    pub async fn guild_settings(&self, guild: u64) -> Result<GuildSettings, StoreError> {
        self.call(move |s| s.guild_settings(guild)).await
    }

    /// The server's quizmaster role, if one is set: members with it may run quizzes.
    pub async fn quizmaster_role(&self, guild: u64) -> Result<Option<u64>, StoreError> {
        self.call(move |s| s.guild_settings(guild).map(|g| g.quizmaster_role))
            .await
    }

    /// The server's own language, if it set one.
    pub async fn guild_locale(&self, guild: u64) -> Result<Option<Locale>, StoreError> {
        self.call(move |s| s.guild_settings(guild).map(|g| g.locale))
            .await
    }
}
