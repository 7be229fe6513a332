//! The gateway close codes Discord documents as final (no resume, no reconnect helps), and how
//! Clio stops on them: one clear message that says what to do, an exit code a supervisor
//! understands, and never a spin.
//!
//! serenity 0.12 ends `Client::start` on 4004, 4013 and 4014, but on 4010 and 4011 its shard
//! runner keeps polling a dead connection (a core at 100%, the runtime starved) and on 4012 it
//! reconnects every few seconds forever. It does log each of them, and that is where Clio hears
//! of them: [`CloseWatch`] is a tracing layer that reads serenity's gateway warnings, whatever
//! the log filter, and [`closed`] resolves with the code so `clio run` can stop.

use std::sync::atomic::{AtomicU16, Ordering};
use std::sync::OnceLock;

use tokio::sync::Notify;
use tracing::field::{Field, Visit};
use tracing::{Event, Subscriber};
use tracing_subscriber::layer::Context;
use tracing_subscriber::Layer;

/// The final close code seen, 0 for none yet.
static CODE: AtomicU16 = AtomicU16::new(0);

fn notify() -> &'static Notify {
    static NOTIFY: OnceLock<Notify> = OnceLock::new();
    NOTIFY.get_or_init(Notify::new)
}

/// Close codes after which reconnecting cannot help.
pub const FINAL: [u16; 6] = [4004, 4010, 4011, 4012, 4013, 4014];

/// Record a final close code (the first one wins), and wake everyone waiting for one.
///
/// Two wait ([`closed`]): the bot's task, and `clio run`'s main thread. Waking only one (as
/// `notify_one` did) could wake the bot's task, queued behind serenity's spinning shard runner,
/// and leave the main thread asleep: the bot then neither stopped nor answered (seen once, in a
/// CI run with many tests beside it).
pub fn report(code: u16) {
    if FINAL.contains(&code)
        && CODE
            .compare_exchange(0, code, Ordering::SeqCst, Ordering::SeqCst)
            .is_ok()
    {
        notify().notify_waiters();
    }
}

/// Resolves with the first final close code Discord sent.
pub async fn closed() -> u16 {
    loop {
        let code = CODE.load(Ordering::SeqCst);
        if code != 0 {
            return code;
        }
        // A `Notified` hears `notify_waiters` from the moment it is made: a code reported
        // between the check above and this line is seen by the check below, one reported after
        // it wakes this wait.
        let wait = notify().notified();
        if CODE.load(Ordering::SeqCst) != 0 {
            continue;
        }
        wait.await;
    }
}

/// Say, once whoever notices first (serenity's own error, or the close watch), that Discord
/// closed the gateway for good.
pub fn say_closed(code: u16) {
    static SAID: std::sync::atomic::AtomicBool = std::sync::atomic::AtomicBool::new(false);
    if !SAID.swap(true, Ordering::SeqCst) {
        tracing::error!(code, "Discord closed the gateway for good");
    }
}

/// The error a final close code ends `clio run` with.
pub fn closed_error(code: u16) -> super::bot::BotError {
    match code {
        4004 => super::bot::BotError::TokenRejected,
        code => super::bot::BotError::Closed(code),
    }
}

/// The close code a serenity gateway log line reports, if it is one of [`FINAL`].
pub fn code_in(target: &str, message: &str) -> Option<u16> {
    if !target.starts_with("serenity") {
        return None;
    }
    let known = [
        ("Sent invalid authentication", 4004),
        ("Sent invalid shard data", 4010),
        ("Shard has too many guilds", 4011),
        ("Invalid gateway intents", 4013),
        ("Disallowed gateway intents", 4014),
        ("InvalidShardData", 4010),
        ("OverloadedShard", 4011),
        ("InvalidGatewayIntents", 4013),
        ("DisallowedGatewayIntents", 4014),
    ];
    if let Some((_, code)) = known.iter().find(|(words, _)| message.contains(words)) {
        return Some(*code);
    }
    // "Unknown unclean close 4012: …"
    let rest = message.split("unclean close ").nth(1)?;
    let code: u16 = rest
        .chars()
        .take_while(char::is_ascii_digit)
        .collect::<String>()
        .parse()
        .ok()?;
    FINAL.contains(&code).then_some(code)
}

/// What to do about a final close code, in Clio's words.
pub fn advice(code: u16) -> String {
    match code {
        4004 => format!(
            "Discord rejected the bot token (gateway close 4004); reset it on the Bot page of your \
             application at {} and set DISCORD_TOKEN again",
            crate::config::DEVELOPER_PORTAL
        ),
        4010 => "Discord refused the shard Clio asked for (gateway close 4010, invalid shard): \
                 `discord.shard_range` names a shard that `discord.shards` does not have, or \
                 the processes of this bot disagree on `discord.shards`; give every process \
                 the same count and ranges within it"
            .into(),
        4011 => "Discord requires more shards for this bot (gateway close 4011: too many \
                 servers for one connection); set `discord.shards = \"auto\"` (Discord's \
                 recommended count) or a larger number"
            .into(),
        4012 => "Discord refused the gateway API version Clio speaks (gateway close 4012); this \
                 Clio is too old for Discord now: update Clio"
            .into(),
        4013 => "Discord refused the gateway intents Clio sent (gateway close 4013, invalid \
                 intents); Clio asks for none, so this is a bug: please report it with this log"
            .into(),
        4014 => "Discord refused a privileged gateway intent (gateway close 4014); Clio needs no \
                 privileged intents, so there is nothing to enable: this is a bug, please report \
                 it with this log"
            .into(),
        other => format!("Discord closed the gateway with code {other}, which cannot be resumed"),
    }
}

/// How `clio run` exits on a final close code: 2 for what the operator must fix (token,
/// sharding, version), 1 for what is Clio's bug.
pub fn exit_code(code: u16) -> u8 {
    match code {
        4013 | 4014 => 1,
        _ => 2,
    }
}

/// The tracing layer that hears serenity's gateway warnings.
pub struct CloseWatch;

struct Message(String);

impl Visit for Message {
    fn record_debug(&mut self, field: &Field, value: &dyn std::fmt::Debug) {
        if field.name() == "message" {
            self.0 = format!("{value:?}");
        }
    }

    fn record_str(&mut self, field: &Field, value: &str) {
        if field.name() == "message" {
            self.0 = value.to_string();
        }
    }
}

impl<S: Subscriber> Layer<S> for CloseWatch {
    fn on_event(&self, event: &Event<'_>, _ctx: Context<'_, S>) {
        let meta = event.metadata();
        if *meta.level() > tracing::Level::WARN || !meta.target().starts_with("serenity") {
            return;
        }
        let mut message = Message(String::new());
        event.record(&mut message);
        if let Some(code) = code_in(meta.target(), &message.0) {
            report(code);
        }
        if super::reach::is_gateway_start_failure(meta.target(), &message.0) {
            super::reach::gateway_start_failed(&message.0);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Both who wait for a final close (the bot's task and the main thread) hear of it. (The
    /// only test in this process that reports a code: the first one reported stays.)
    #[test]
    fn everyone_waiting_hears_of_a_final_close() {
        let runtime = tokio::runtime::Builder::new_current_thread()
            .enable_time()
            .build()
            .expect("a runtime");
        runtime.block_on(async {
            let waiting = [tokio::spawn(closed()), tokio::spawn(closed())];
            // Both run until they wait.
            for _ in 0..10 {
                tokio::task::yield_now().await;
            }
            report(4011);
            for waiter in waiting {
                let heard = tokio::time::timeout(std::time::Duration::from_secs(10), waiter).await;
                assert_eq!(heard.ok().and_then(Result::ok), Some(4011));
            }
        });
    }

    #[test]
    fn serenitys_gateway_lines_give_their_close_codes() {
        let target = "serenity::gateway::shard";
        assert_eq!(
            code_in(target, "[ShardInfo { id: 0 }] Shard has too many guilds."),
            Some(4011)
        );
        assert_eq!(
            code_in(target, "[ShardInfo { id: 0 }] Sent invalid shard data."),
            Some(4010)
        );
        assert_eq!(
            code_in(
                target,
                "[ShardInfo { id: 0 }] Unknown unclean close 4012: Some(\"x\")"
            ),
            Some(4012)
        );
        assert_eq!(
            code_in(target, "[ShardInfo] Unknown unclean close 4000: None"),
            None
        );
        assert_eq!(code_in("clio::discord", "Shard has too many guilds"), None);
    }

    #[test]
    fn every_final_code_says_what_to_do_and_exits_as_a_supervisor_expects() {
        for code in FINAL {
            let advice = advice(code);
            assert!(advice.contains(&code.to_string()), "{advice}");
            assert!([1, 2].contains(&exit_code(code)));
        }
        assert!(advice(4011).contains("discord.shards"));
        assert!(advice(4014).contains("report"));
    }
}
