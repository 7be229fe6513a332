//! Sharding: how many gateway shards the bot has, which of them this process runs, and which
//! servers are therefore this process's own.
//!
//! Discord puts a server on shard `(guild_id >> 22) % shards` and sends its interactions on that
//! shard's connection only. So everything a server owns beyond one interaction (its running
//! quizzes, their recovery after a restart, its daily post) is handled by the process running
//! its shard, and two processes over one database never both act for one server.
//!
//! Identifying: serenity's shard queuer starts one shard every 5 seconds, Discord's window for
//! `session_start_limit.max_concurrency` identifies, so a process never identifies faster than
//! any `max_concurrency` allows (a bot with `max_concurrency` 16 could go faster; serenity 0.12
//! does not, which only slows a large start). Processes do not coordinate with each other: start
//! them a few seconds apart (the compose profile does), or Discord may invalidate one session,
//! which serenity then identifies again.

use std::collections::HashMap;
use std::ops::Range;
use std::sync::atomic::Ordering;
use std::sync::Arc;
use std::time::{Duration, Instant};

use poise::serenity_prelude as serenity;
use serenity::{ShardId, ShardManager};
use tracing::{error, info, warn};

use super::bot::BotError;
use crate::config::{check_range, DiscordConfig, ShardCount};
use crate::ops::OpsState;

/// The shards of the bot and the range this process runs.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Shards {
    pub first: u32,
    /// Excluded.
    pub end: u32,
    pub total: u32,
}

impl Shards {
    /// One shard, run here: every server is this process's own.
    pub const ALL_IN_ONE: Shards = Shards {
        first: 0,
        end: 1,
        total: 1,
    };

    /// The shard Discord puts a server on (direct messages, guild 0, are shard 0's).
    pub fn shard_of(guild: u64, total: u32) -> u32 {
        ((guild >> 22) % u64::from(total.max(1))) as u32
    }

    /// Whether the server's shard is one this process runs.
    pub fn owns(&self, guild: u64) -> bool {
        self.ids().contains(&Shards::shard_of(guild, self.total))
    }

    pub fn ids(&self) -> Range<u32> {
        self.first..self.end
    }

    pub fn len(&self) -> u32 {
        self.end - self.first
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// The shards from the configuration and, for `auto`, the count Discord recommends.
    pub fn from_config(config: &DiscordConfig, recommended: Option<u32>) -> Result<Shards, String> {
        let total = match (config.shards, recommended) {
            (ShardCount::Fixed(n), _) => n,
            (ShardCount::Auto, Some(n)) => n.max(1),
            (ShardCount::Auto, None) => {
                return Err(
                    "`discord.shards` is `auto`, but Discord did not say how many shards \
                            to run; set `discord.shards` to a number"
                        .into(),
                )
            }
        };
        let (first, end) = match config.shard_range {
            Some(range) => {
                check_range(range, total).map_err(|e| {
                    format!(
                        "`discord.shard_range`: {e}{}",
                        if config.shards == ShardCount::Auto {
                            " (`discord.shards` is `auto`: Discord recommends this count; fix the \
                             count with `discord.shards` when processes split the shards)"
                        } else {
                            ""
                        }
                    )
                })?;
                (range.first, range.end)
            }
            None => (0, total),
        };
        Ok(Shards { first, end, total })
    }
}

impl std::fmt::Display for Shards {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "shards {}..{} of {}", self.first, self.end, self.total)
    }
}

/// Ask Discord (`GET /gateway/bot`) how many shards it recommends and how many sessions may still
/// start, and settle this process's shards. Starting more sessions than Discord has left would
/// get the token reset, so that is refused with the time it resets. A token Discord refuses here
/// is said to be refused, as the gateway would.
pub fn resolve(
    answer: Result<serenity::all::BotGateway, serenity::Error>,
    config: &DiscordConfig,
) -> Result<Shards, BotError> {
    let gateway = match answer {
        Ok(g) => Some(g),
        Err(serenity::Error::Http(serenity::HttpError::UnsuccessfulRequest(r)))
            if r.status_code.as_u16() == 401 =>
        {
            return Err(BotError::TokenRejected)
        }
        Err(e) if config.shards != ShardCount::Auto => {
            warn!(error = %e, "asking Discord for the gateway's limits failed; starting anyway");
            None
        }
        Err(e) => {
            return Err(BotError::Sharding(format!(
                "asking Discord how many shards to run (`discord.shards` = auto) failed: {e}; \
                 try again, or set `discord.shards` to a number"
            )))
        }
    };
    let shards = Shards::from_config(config, gateway.as_ref().map(|g| g.shards))
        .map_err(BotError::Sharding)?;
    if let Some(g) = &gateway {
        let limit = &g.session_start_limit;
        if limit.remaining < u64::from(shards.len()) {
            return Err(BotError::Sharding(format!(
                "Discord allows {} more gateway session start{} before its limit resets in {} \
                 (of {} a day), and this process would start {}; wait for the reset, or run \
                 fewer shards here",
                limit.remaining,
                if limit.remaining == 1 { "" } else { "s" },
                humane(Duration::from_millis(limit.reset_after)),
                limit.total,
                shards.len()
            )));
        }
        info!(
            recommended = g.shards,
            sessions_left = limit.remaining,
            max_concurrency = limit.max_concurrency,
            "Discord's gateway limits"
        );
    }
    if shards.total > 1 {
        info!(
            first = shards.first,
            end = shards.end,
            total = shards.total,
            "running {shards}, identifying one every 5 seconds"
        );
    }
    Ok(shards)
}

fn humane(d: Duration) -> String {
    let minutes = d.as_secs().div_ceil(60);
    if minutes < 60 {
        format!("{minutes} min")
    } else {
        format!("{} h {} min", minutes / 60, minutes % 60)
    }
}

/// A shard running for this long with no READY or RESUMED got none it could read.
const NO_READY_AFTER: Duration = Duration::from_secs(10);

/// Every second, for each shard of the range: its latency into the metrics; a shard that serenity
/// shut down and queued again (without a stage event) is down until READY or RESUMED sets it up
/// again, so `/readyz`, and Docker's health check with it, say so.
///
/// A shard that runs but has had no READY or RESUMED for too long (serenity takes a READY it
/// cannot read for an unknown event, and waits) is half-alive, with no commands registered: it
/// is restarted, and says so.
pub async fn watch(manager: Arc<ShardManager>, ops: Arc<OpsState>) {
    let mut tick = tokio::time::interval(Duration::from_secs(1));
    let mut waiting_since: HashMap<ShardId, Instant> = HashMap::new();
    loop {
        tick.tick().await;
        let stuck: Vec<ShardId> = {
            let runners = manager.runners.lock().await;
            for id in ops.shard_gauges().keys() {
                if !runners.contains_key(&ShardId(*id)) {
                    ops.set_shard_connected(*id, false);
                }
            }
            let now = Instant::now();
            waiting_since.retain(|id, _| runners.contains_key(id));
            runners
                .iter()
                .filter_map(|(id, runner)| {
                    ops.set_shard_latency(id.0, runner.latency);
                    if ops.shard_connected(id.0) {
                        waiting_since.remove(id);
                        return None;
                    }
                    let since = *waiting_since.entry(*id).or_insert(now);
                    (now.duration_since(since) > NO_READY_AFTER).then_some(*id)
                })
                .collect()
        };
        super::reach::tell_gateway_outage(ops.gateway_connected.load(Ordering::Relaxed));
        for id in stuck {
            error!(
                shard = id.0,
                "no READY Clio could read came within {NO_READY_AFTER:?} of identifying; \
                 connecting again"
            );
            waiting_since.remove(&id);
            manager.restart(id).await;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::ShardRange;

    fn config(shards: ShardCount, range: Option<(u32, u32)>) -> DiscordConfig {
        DiscordConfig {
            api_base: None,
            dev_guild: None,
            register_commands: true,
            token_file: None,
            shards,
            shard_range: range.map(|(first, end)| ShardRange { first, end }),
        }
    }

    #[test]
    fn a_server_belongs_to_the_process_running_its_shard() {
        // Discord's own example: guild 197038439483310086 on shard 0 of 2... by its formula.
        let guild: u64 = 197_038_439_483_310_086;
        assert_eq!(Shards::shard_of(guild, 1), 0);
        let on = Shards::shard_of(guild, 2);
        let a = Shards {
            first: 0,
            end: 1,
            total: 2,
        };
        let b = Shards {
            first: 1,
            end: 2,
            total: 2,
        };
        assert_eq!(a.owns(guild), on == 0);
        assert_eq!(b.owns(guild), on == 1);
        assert!(Shards::ALL_IN_ONE.owns(guild) && Shards::ALL_IN_ONE.owns(0));
        assert!(a.owns(0), "direct messages are shard 0's");
    }

    #[test]
    fn the_count_comes_from_discord_or_the_config_and_the_range_must_fit() {
        let auto = config(ShardCount::Auto, None);
        assert_eq!(
            Shards::from_config(&auto, Some(3)),
            Ok(Shards {
                first: 0,
                end: 3,
                total: 3
            })
        );
        let fixed = config(ShardCount::Fixed(2), Some((1, 2)));
        assert_eq!(
            Shards::from_config(&fixed, Some(1)),
            Ok(Shards {
                first: 1,
                end: 2,
                total: 2
            })
        );
        let beyond = config(ShardCount::Auto, Some((1, 2)));
        let e = Shards::from_config(&beyond, Some(1)).unwrap_err();
        assert!(
            e.contains("discord.shard_range") && e.contains("1..2"),
            "{e}"
        );
        assert!(e.contains("discord.shards"), "{e}");
    }
}
