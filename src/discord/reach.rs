//! Reaching Discord, and saying so once when it cannot be reached.
//!
//! Left to itself, serenity asks for the gateway's address once (falling back to Discord's public
//! one when that fails, which is wrong behind `discord.api_base`) and then logs a warning every 5
//! seconds for as long as the gateway cannot be reached. A self-hoster whose network, proxy or
//! `DISCORD_API_BASE` is wrong needs one line that says what failed and what to check, and then
//! quiet until Discord answers. So Clio asks for the gateway itself before connecting, with
//! backoff, and the log filter keeps serenity's repeated queue warnings out (see `logs`): the
//! watch in `gateway` hears them instead, and `bot` says it once per outage.

use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::Mutex;
use std::time::Duration;

use poise::serenity_prelude as serenity;
use serenity::http::Http;
use tracing::{debug, error, info};

/// The first wait between two attempts; it doubles up to [`MAX_BACKOFF`].
const FIRST_BACKOFF: Duration = Duration::from_secs(1);
/// The longest wait between two attempts.
const MAX_BACKOFF: Duration = Duration::from_secs(60);
/// One attempt that neither answers nor fails within this counts as unreachable (a black hole).
const ATTEMPT_TIMEOUT: Duration = Duration::from_secs(15);

/// What to check, said with every "cannot reach" line.
pub const WHAT_TO_CHECK: &str = "check this machine's network (and its proxy, if it needs one), \
     `discord.api_base` / DISCORD_API_BASE if set (unset, Clio talks to https://discord.com), and \
     Discord's status at https://discordstatus.com; Clio keeps trying quietly and connects when \
     Discord answers";

/// Why a REST call failed, when the reason is that Discord could not be reached at all (refused,
/// name not resolved, TLS, timeout); `None` for an answer from Discord, however unwelcome.
pub fn unreachable_reason(e: &serenity::Error) -> Option<String> {
    let serenity::Error::Http(serenity::HttpError::Request(request)) = e else {
        return None;
    };
    if !(request.is_connect() || request.is_timeout() || request.is_request()) {
        return None;
    }
    Some(describe(request, request.is_timeout()))
}

/// A failure in a few plain words, then the innermost error's own text.
fn describe(e: &dyn std::error::Error, timed_out: bool) -> String {
    let mut deepest = e.to_string();
    let mut chain = deepest.to_ascii_lowercase();
    let mut source = e.source();
    while let Some(s) = source {
        deepest = s.to_string();
        chain.push(' ');
        chain.push_str(&deepest.to_ascii_lowercase());
        source = s.source();
    }
    format!("{} ({deepest})", plain_words(&chain, timed_out))
}

/// What a failure to connect was, in a few plain words, from the text of its error chain.
fn plain_words(chain: &str, timed_out: bool) -> &'static str {
    let chain = chain.to_ascii_lowercase();
    if timed_out || chain.contains("timed out") || chain.contains("elapsed") {
        "it did not answer in time"
    } else if chain.contains("dns") || chain.contains("lookup") || chain.contains("resolve") {
        "its name does not resolve (DNS)"
    } else if chain.contains("certificate") || chain.contains("tls") || chain.contains("ssl") {
        "the TLS handshake failed (a proxy or a clock that is off can cause this)"
    } else if chain.contains("refused") {
        "the connection was refused"
    } else {
        "the connection failed"
    }
}

/// Ask for the bot's gateway (`GET /gateway/bot`, whose limits [`super::shards::resolve`]
/// reads) until Discord answers: the first failure is said once, with the reason and what to
/// check; the next ones only at `debug`, with a doubling wait. Returns Discord's first answer
/// (an error status too: the caller says what it means).
pub async fn wait_for_discord(
    http: &Http,
    api: &str,
) -> Result<serenity::all::BotGateway, serenity::Error> {
    let mut backoff = FIRST_BACKOFF;
    let mut failed = 0u32;
    loop {
        let reason = match tokio::time::timeout(ATTEMPT_TIMEOUT, http.get_bot_gateway()).await {
            Ok(answer) => match answer.as_ref().map_err(unreachable_reason) {
                // Discord answered: with the gateway, or with an error status.
                Ok(_) | Err(None) => {
                    if failed > 0 {
                        info!(
                            attempts = failed + 1,
                            api, "Discord answers again; connecting"
                        );
                    }
                    return answer;
                }
                Err(Some(reason)) => reason,
            },
            Err(_) => format!("it did not answer in time (no answer within {ATTEMPT_TIMEOUT:?})"),
        };
        if failed == 0 {
            error!("cannot reach Discord at {api}: {reason}; {WHAT_TO_CHECK}");
        } else {
            debug!(attempt = failed + 1, api, %reason, "Discord still cannot be reached");
        }
        failed += 1;
        tokio::time::sleep(backoff).await;
        backoff = (backoff * 2).min(MAX_BACKOFF);
    }
}

/// Serenity's "cannot start the shard" warnings, heard by the log watch whatever the filter.
static GATEWAY_FAILURES: AtomicU64 = AtomicU64::new(0);
static GATEWAY_REASON: Mutex<String> = Mutex::new(String::new());
/// Whether the current gateway outage was said already (reset when the gateway is up again).
static SAID: AtomicBool = AtomicBool::new(false);

/// Record one failed gateway start (serenity's shard queuer), with serenity's own words.
pub fn gateway_start_failed(message: &str) {
    // "[Shard Queuer] Err starting shard 0: Tungstenite(Io(...))": the part after the shard.
    let why = message
        .split_once("Err starting shard")
        .and_then(|(_, rest)| rest.split_once(": "))
        .map_or(message, |(_, why)| why);
    if let Ok(mut reason) = GATEWAY_REASON.lock() {
        *reason = why.to_string();
    }
    GATEWAY_FAILURES.fetch_add(1, Ordering::SeqCst);
}

/// Whether a serenity log line is its shard queuer failing to start a shard (it retries every 5
/// seconds, and says so each time).
pub fn is_gateway_start_failure(target: &str, message: &str) -> bool {
    target.starts_with("serenity::gateway::bridge::shard_queuer")
        && message.contains("Err starting shard")
}

/// Called every second by the bot's watch: says once per outage that the gateway cannot be
/// reached; `up` (READY or RESUMED seen) ends the outage.
pub fn tell_gateway_outage(up: bool) {
    if up {
        GATEWAY_FAILURES.store(0, Ordering::SeqCst);
        SAID.store(false, Ordering::SeqCst);
        return;
    }
    if GATEWAY_FAILURES.load(Ordering::SeqCst) > 0 && !SAID.swap(true, Ordering::SeqCst) {
        let reason = GATEWAY_REASON.lock().map(|r| r.clone()).unwrap_or_default();
        let what = plain_words(&reason, false);
        error!("cannot reach Discord's gateway: {what} ({reason}); {WHAT_TO_CHECK}");
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn serenitys_shard_queue_warning_is_recognised() {
        assert!(is_gateway_start_failure(
            "serenity::gateway::bridge::shard_queuer",
            "[Shard Queuer] Err starting shard 0: Tungstenite(Io(Os { code: 111 }))"
        ));
        assert!(!is_gateway_start_failure(
            "clio::discord",
            "Err starting shard 0"
        ));
    }
}
