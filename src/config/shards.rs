//! `discord.shards` and `discord.shard_range`: how many gateway shards the bot has, and which of
//! them this process runs.
//!
//! Discord splits a bot's servers over shards by `(guild_id >> 22) % shards`; past 2,500 servers
//! one connection is refused (close 4011). One process may run every shard, or a range of them
//! while other processes run the rest, each over the same shared store.

use std::fmt;

/// The shard count: what Discord recommends (`GET /gateway/bot`), or a fixed number.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum ShardCount {
    #[default]
    Auto,
    Fixed(u32),
}

impl fmt::Display for ShardCount {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ShardCount::Auto => f.write_str("auto"),
            ShardCount::Fixed(n) => write!(f, "{n}"),
        }
    }
}

/// The shards one process runs: `first..end`, the end excluded, as Rust writes ranges.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ShardRange {
    pub first: u32,
    pub end: u32,
}

impl fmt::Display for ShardRange {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}..{}", self.first, self.end)
    }
}

/// The most shards Clio accepts: Discord's largest bots run a few thousand; a bigger number is a
/// typo (a guild id pasted in the wrong key), said so rather than tried.
pub const MAX_SHARDS: u32 = 65_536;

/// `auto`, or a number of shards from 1 to [`MAX_SHARDS`].
pub fn parse_count(text: &str) -> Result<ShardCount, String> {
    let text = text.trim();
    if text.eq_ignore_ascii_case("auto") {
        return Ok(ShardCount::Auto);
    }
    match text.parse::<u32>() {
        Ok(n) if (1..=MAX_SHARDS).contains(&n) => Ok(ShardCount::Fixed(n)),
        _ => Err(format!(
            "expected `auto` (the count Discord recommends) or a number of shards from 1 to \
             {MAX_SHARDS}, got `{text}`"
        )),
    }
}

/// `first..end` (end excluded): `0..2` runs shards 0 and 1; `3..4` runs shard 3 alone.
pub fn parse_range(text: &str) -> Result<ShardRange, String> {
    let text = text.trim();
    let shape = || {
        format!(
            "expected the shards this process runs as `first..end` (the end excluded), e.g. \
             `0..2` for shards 0 and 1, got `{text}`"
        )
    };
    let (first, end) = text.split_once("..").ok_or_else(shape)?;
    let end = end.strip_prefix('=').map_or(Ok(end), |_| {
        Err(format!(
            "`{text}`: write the end excluded, as in `{first}..{}`",
            end.trim_start_matches('=')
                .trim()
                .parse::<u32>()
                .map_or_else(|_| "N".to_string(), |n| (n + 1).to_string())
        ))
    })?;
    let first: u32 = first.trim().parse().map_err(|_| shape())?;
    let end: u32 = end.trim().parse().map_err(|_| shape())?;
    if end <= first {
        return Err(format!(
            "`{text}` holds no shard: the end is excluded, so it must be greater than the first \
             (e.g. `{first}..{}`)",
            first + 1
        ));
    }
    Ok(ShardRange { first, end })
}

/// The range's fit with a known count: every shard of the range must exist.
pub fn check_range(range: ShardRange, total: u32) -> Result<(), String> {
    if range.end > total {
        return Err(format!(
            "the shard range {range} goes beyond the {total} shard{} there are (shards are \
             numbered 0 to {}); give a range within `0..{total}`, or raise `discord.shards`",
            if total == 1 { "" } else { "s" },
            total.saturating_sub(1)
        ));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counts_and_ranges_read_as_written() {
        assert_eq!(parse_count("auto"), Ok(ShardCount::Auto));
        assert_eq!(parse_count(" AUTO "), Ok(ShardCount::Auto));
        assert_eq!(parse_count("2"), Ok(ShardCount::Fixed(2)));
        assert_eq!(parse_range("0..1"), Ok(ShardRange { first: 0, end: 1 }));
        assert_eq!(parse_range(" 1 .. 2 "), Ok(ShardRange { first: 1, end: 2 }));
    }

    #[test]
    fn bad_counts_and_ranges_say_what_to_write() {
        for bad in ["0", "-1", "two", "", "99999999999"] {
            let e = parse_count(bad).unwrap_err();
            assert!(
                e.contains("auto") && e.contains(&format!("`{}`", bad.trim())),
                "{e}"
            );
        }
        let e = parse_range("2..1").unwrap_err();
        assert!(
            e.contains("`2..1` holds no shard") && e.contains("`2..3`"),
            "{e}"
        );
        let e = parse_range("1..1").unwrap_err();
        assert!(e.contains("holds no shard"), "{e}");
        let e = parse_range("0..=1").unwrap_err();
        assert!(e.contains("`0..2`"), "{e}");
        let e = parse_range("0-1").unwrap_err();
        assert!(e.contains("first..end") && e.contains("`0-1`"), "{e}");
        let e = check_range(ShardRange { first: 1, end: 3 }, 2).unwrap_err();
        assert!(
            e.contains("1..3") && e.contains("2 shards") && e.contains("`0..2`"),
            "{e}"
        );
        assert!(check_range(ShardRange { first: 1, end: 2 }, 2).is_ok());
    }
}
