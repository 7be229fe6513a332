//! Logging for `clio run`: `tracing` to standard error, with the bot token scrubbed.
//!
//! Clio never logs the token itself, but its dependencies do at high verbosity: at `trace`,
//! tungstenite dumps every frame it sends, the IDENTIFY with the token included, as a list of byte
//! values or as hex. So the writer every log line passes through replaces the token, in each of
//! those spellings, with `[redacted]`, whatever the filter: the guarantee holds at `trace` too.

use std::io::{self, Write};
use std::sync::OnceLock;

use tracing_subscriber::fmt::MakeWriter;
use tracing_subscriber::EnvFilter;

/// Secrets to scrub from every log line, set once the token is known.
static SECRETS: OnceLock<Vec<String>> = OnceLock::new();

/// Keeps serenity's shard queue to errors: its "Err starting shard" warning repeats forever.
const QUIET_SHARD_QUEUE: &str = "serenity::gateway::bridge::shard_queuer=error";

/// Start logging with `filter` (a `tracing` filter), scrubbing `secret` from every line.
/// An invalid filter is an error naming it; a second call is ignored.
pub fn init(filter: &str, secret: &str) -> Result<(), String> {
    let mut filter = EnvFilter::try_new(filter)
        .map_err(|e| format!("`log.filter`: `{filter}` is not a log filter: {e}"))?;
    if !filter.to_string().contains("serenity") {
        // serenity warns every 5 seconds while the gateway cannot be reached; Clio says it once
        // in its own words instead (see `reach`). A filter that names serenity gets them all.
        filter = filter.add_directive(QUIET_SHARD_QUEUE.parse().expect("a valid directive"));
    }
    let _ = SECRETS.set(spellings(secret));
    let ansi = io::IsTerminal::is_terminal(&io::stderr()) && std::env::var_os("NO_COLOR").is_none();
    use tracing_subscriber::layer::SubscriberExt;
    use tracing_subscriber::util::SubscriberInitExt;
    use tracing_subscriber::Layer;
    let lines = tracing_subscriber::fmt::layer()
        .with_writer(Scrubbed)
        .with_ansi(ansi)
        .with_filter(filter);
    // Hears serenity's gateway warnings whatever the filter says: a final close code stops Clio.
    let closes = super::gateway::CloseWatch.with_filter(
        tracing_subscriber::filter::Targets::new().with_target("serenity", tracing::Level::WARN),
    );
    let _ = tracing_subscriber::registry()
        .with(lines)
        .with(closes)
        .try_init();
    Ok(())
}

/// Makes one [`ScrubbedLine`] per log event.
struct Scrubbed;

impl<'a> MakeWriter<'a> for Scrubbed {
    type Writer = ScrubbedLine;

    fn make_writer(&'a self) -> Self::Writer {
        ScrubbedLine(Vec::with_capacity(256))
    }
}

/// One event's text, collected whole so a secret split across writes is still found, and written
/// to stderr scrubbed when the event is done.
struct ScrubbedLine(Vec<u8>);

impl Write for ScrubbedLine {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        self.0.extend_from_slice(buf);
        Ok(buf.len())
    }

    fn flush(&mut self) -> io::Result<()> {
        Ok(())
    }
}

impl Drop for ScrubbedLine {
    fn drop(&mut self) {
        let text = String::from_utf8_lossy(&self.0);
        let line = scrub(&text, SECRETS.get().map_or(&[][..], Vec::as_slice));
        let _ = io::stderr().lock().write_all(line.as_bytes());
    }
}

/// The ways a secret shows up in logs: as text, as hex (frame dumps), as a list of byte values
/// (`Debug` of a `Vec<u8>` payload).
pub fn spellings(secret: &str) -> Vec<String> {
    if secret.is_empty() {
        return Vec::new();
    }
    let bytes = secret.as_bytes();
    let hex: String = bytes.iter().map(|b| format!("{b:02x}")).collect();
    let decimal = bytes
        .iter()
        .map(|b| b.to_string())
        .collect::<Vec<_>>()
        .join(", ");
    vec![secret.to_string(), hex.to_ascii_uppercase(), hex, decimal]
}

/// `text` with every non-empty secret replaced by `[redacted]`.
pub fn scrub(text: &str, secrets: &[String]) -> String {
    let mut out = text.to_string();
    for s in secrets.iter().filter(|s| !s.is_empty()) {
        if out.contains(s.as_str()) {
            out = out.replace(s.as_str(), "[redacted]");
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn secrets_are_replaced_wherever_they_appear() {
        let secrets = vec!["s3cr3t.token".to_string()];
        assert_eq!(
            scrub("{\"op\":2,\"d\":{\"token\":\"s3cr3t.token\"}}", &secrets),
            "{\"op\":2,\"d\":{\"token\":\"[redacted]\"}}"
        );
        assert_eq!(scrub("nothing here", &secrets), "nothing here");
        assert_eq!(scrub("kept", &[String::new()]), "kept");
    }

    #[test]
    fn byte_dumps_of_a_secret_are_replaced_too() {
        let secrets = spellings("Ab.c");
        let frame = format!("payload: [123, {}, 125]", "65, 98, 46, 99");
        assert_eq!(scrub(&frame, &secrets), "payload: [123, [redacted], 125]");
        assert_eq!(
            scrub("payload: 0x7b41622e637d", &secrets),
            "payload: 0x7b[redacted]7d"
        );
    }
}
