//! The key table: every `[section] key`, its environment names and its parser; and the wording
//! of an unknown key, with the likely fix.

use std::path::PathBuf;

use super::Config;

/// A value as it arrives: typed from the file, text from the environment.
pub(super) enum Raw {
    Toml(toml::Value),
    Env(String),
}

type Setter = fn(&mut Config, Raw) -> Result<(), String>;

/// One configuration key: where it lives, which other variables set it, how to parse it.
pub(super) struct Key {
    pub(super) section: &'static str,
    pub(super) name: &'static str,
    /// `section.name`, for messages and origins.
    pub(super) path: &'static str,
    /// Environment variables that set this key under the names self-hosters already know.
    pub(super) aliases: &'static [&'static str],
    pub(super) set: Setter,
}

/// Every key. `config/clio.toml` documents each one; a test keeps the two in step.
pub(super) const KEYS: &[Key] = &[
    Key {
        section: "discord",
        name: "api_base",
        path: "discord.api_base",
        aliases: &["DISCORD_API_BASE"],
        set: |c, raw| {
            c.discord.api_base = Some(url(raw)?);
            Ok(())
        },
    },
    Key {
        section: "discord",
        name: "dev_guild",
        path: "discord.dev_guild",
        aliases: &[],
        set: |c, raw| {
            c.discord.dev_guild = Some(snowflake(raw)?);
            Ok(())
        },
    },
    Key {
        section: "discord",
        name: "register_commands",
        path: "discord.register_commands",
        aliases: &[],
        set: |c, raw| {
            c.discord.register_commands = boolean(raw)?;
            Ok(())
        },
    },
    Key {
        section: "discord",
        name: "token_file",
        path: "discord.token_file",
        aliases: &["DISCORD_TOKEN_FILE"],
        set: |c, raw| {
            c.discord.token_file = Some(path(raw)?);
            Ok(())
        },
    },
    Key {
        section: "discord",
        name: "shards",
        path: "discord.shards",
        aliases: &[],
        set: |c, raw| {
            c.discord.shards = super::shards::parse_count(&integer_or_text(raw)?)?;
            Ok(())
        },
    },
    Key {
        section: "discord",
        name: "shard_range",
        path: "discord.shard_range",
        aliases: &[],
        set: |c, raw| {
            c.discord.shard_range = Some(super::shards::parse_range(&string(raw)?)?);
            Ok(())
        },
    },
    Key {
        section: "knowledge",
        name: "dir",
        path: "knowledge.dir",
        aliases: &["CLIO_KNOWLEDGE_DIR"],
        set: |c, raw| {
            c.knowledge.dir = path(raw)?;
            Ok(())
        },
    },
    Key {
        section: "knowledge",
        name: "max_file_mb",
        path: "knowledge.max_file_mb",
        aliases: &[],
        set: |c, raw| {
            c.knowledge.limits.max_file_bytes = megabytes(raw)?;
            Ok(())
        },
    },
    Key {
        section: "knowledge",
        name: "max_pack_mb",
        path: "knowledge.max_pack_mb",
        aliases: &[],
        set: |c, raw| {
            c.knowledge.limits.max_pack_bytes = megabytes(raw)?;
            Ok(())
        },
    },
    Key {
        section: "knowledge",
        name: "follow_outside_links",
        path: "knowledge.follow_outside_links",
        aliases: &[],
        set: |c, raw| {
            c.knowledge.limits.follow_outside_links = boolean(raw)?;
            Ok(())
        },
    },
    Key {
        section: "data",
        name: "dir",
        path: "data.dir",
        aliases: &["CLIO_DATA_DIR"],
        set: |c, raw| {
            c.data.dir = path(raw)?;
            Ok(())
        },
    },
    Key {
        section: "data",
        name: "database_url",
        path: "data.database_url",
        aliases: &["DATABASE_URL"],
        set: |c, raw| {
            c.data.database_url = Some(database_url(raw)?);
            Ok(())
        },
    },
    Key {
        section: "log",
        name: "filter",
        path: "log.filter",
        aliases: &["RUST_LOG"],
        set: |c, raw| {
            c.log.filter = string(raw)?;
            Ok(())
        },
    },
    Key {
        section: "ops",
        name: "listen",
        path: "ops.listen",
        aliases: &[],
        set: |c, raw| {
            c.ops.listen = Some(socket_addr(raw)?);
            Ok(())
        },
    },
    Key {
        section: "quiz",
        name: "idle_minutes",
        path: "quiz.idle_minutes",
        aliases: &[],
        set: |c, raw| {
            c.quiz.idle_minutes = minutes(raw)?;
            Ok(())
        },
    },
];

pub(super) fn type_name(v: &toml::Value) -> &'static str {
    v.type_str()
}

fn string(raw: Raw) -> Result<String, String> {
    let s = match raw {
        Raw::Env(s) => s,
        Raw::Toml(toml::Value::String(s)) => s,
        Raw::Toml(other) => return Err(format!("expected a string, got {}", type_name(&other))),
    };
    if s.trim().is_empty() {
        return Err("must not be empty".into());
    }
    Ok(s.trim().to_string())
}

/// A number or a word, as text: `shards = 2` and `shards = "auto"` both read.
fn integer_or_text(raw: Raw) -> Result<String, String> {
    match raw {
        Raw::Toml(toml::Value::Integer(i)) => Ok(i.to_string()),
        other => string(other),
    }
}

/// An address to listen on: `IP:PORT`, e.g. `127.0.0.1:9090` or `0.0.0.0:9090`.
fn socket_addr(raw: Raw) -> Result<std::net::SocketAddr, String> {
    let s = string(raw)?;
    s.parse().map_err(|_| {
        format!("expected an address and port like 127.0.0.1:9090 (or 0.0.0.0:9090 in a container), got `{s}`")
    })
}

fn path(raw: Raw) -> Result<PathBuf, String> {
    string(raw).map(PathBuf::from)
}

fn boolean(raw: Raw) -> Result<bool, String> {
    match raw {
        Raw::Toml(toml::Value::Boolean(b)) => Ok(b),
        Raw::Env(s) => match s.trim().to_ascii_lowercase().as_str() {
            "true" | "1" | "yes" | "on" => Ok(true),
            "false" | "0" | "no" | "off" => Ok(false),
            _ => Err(format!("expected true or false, got `{s}`")),
        },
        Raw::Toml(other) => Err(format!("expected true or false, got {}", type_name(&other))),
    }
}

/// A number of minutes, from 1 to a week.
fn minutes(raw: Raw) -> Result<u64, String> {
    let text = match raw {
        Raw::Toml(toml::Value::Integer(i)) => i.to_string(),
        Raw::Toml(toml::Value::String(s)) | Raw::Env(s) => s,
        Raw::Toml(other) => {
            return Err(format!(
                "expected a number of minutes, got {}",
                type_name(&other)
            ))
        }
    };
    let text = text.trim();
    match text.parse::<u64>() {
        Ok(m) if (1..=7 * 24 * 60).contains(&m) => Ok(m),
        _ => Err(format!(
            "expected a number of minutes from 1 to 10080 (a week), got `{text}`"
        )),
    }
}

/// A size in megabytes (1 to 4096), as bytes.
fn megabytes(raw: Raw) -> Result<u64, String> {
    let n = match raw {
        Raw::Toml(toml::Value::Integer(n)) => n,
        Raw::Env(s) => s
            .trim()
            .parse::<i64>()
            .map_err(|_| format!("expected a whole number of megabytes, got `{s}`"))?,
        Raw::Toml(other) => {
            return Err(format!(
                "expected a whole number of megabytes, got {}",
                type_name(&other)
            ))
        }
    };
    if !(1..=4096).contains(&n) {
        return Err(format!("expected 1 to 4096 megabytes, got {n}"));
    }
    Ok(n as u64 * 1024 * 1024)
}

/// A Discord id (a snowflake): a positive number, as a TOML integer or as text.
fn snowflake(raw: Raw) -> Result<u64, String> {
    let text = match raw {
        Raw::Toml(toml::Value::Integer(i)) => i.to_string(),
        Raw::Toml(toml::Value::String(s)) | Raw::Env(s) => s,
        Raw::Toml(other) => {
            return Err(format!(
                "expected a guild id (a number), got {}",
                type_name(&other)
            ))
        }
    };
    let text = text.trim();
    match text.parse::<u64>() {
        Ok(id) if id > 0 => Ok(id),
        _ => Err(format!(
            "expected a guild id (a number, from Copy Server ID in Discord's developer mode), got `{text}`"
        )),
    }
}

/// A base URL for Discord's REST API: `http(s)://host[:port][/path]`, kept without a trailing `/`.
/// A PostgreSQL URL, `postgres://USER:PASSWORD@HOST:PORT/DATABASE`; the value is not repeated in
/// the message, since it may hold a password.
fn database_url(raw: Raw) -> Result<String, String> {
    let s = string(raw)?;
    if s.starts_with("postgres://") || s.starts_with("postgresql://") {
        Ok(s)
    } else {
        Err(
            "expected a PostgreSQL URL like postgres://clio:PASSWORD@db:5432/clio (leave \
             `data.database_url` unset to keep the SQLite database in `data.dir`)"
                .into(),
        )
    }
}

fn url(raw: Raw) -> Result<String, String> {
    let s = string(raw)?;
    let rest = s
        .strip_prefix("http://")
        .or_else(|| s.strip_prefix("https://"))
        .ok_or_else(|| format!("expected a URL starting with http:// or https://, got `{s}`"))?;
    if rest.is_empty() || rest.starts_with('/') || rest.contains(char::is_whitespace) {
        return Err(format!(
            "expected a URL like http://127.0.0.1:3000, got `{s}`"
        ));
    }
    Ok(s.trim_end_matches('/').to_string())
}

fn closest<'a>(word: &str, candidates: impl Iterator<Item = &'a str>) -> Option<&'a str> {
    candidates
        .map(|c| (strsim::jaro_winkler(word, c), c))
        .filter(|(score, _)| *score > 0.8)
        .max_by(|a, b| a.0.total_cmp(&b.0))
        .map(|(_, c)| c)
}

fn sections() -> Vec<&'static str> {
    let mut s: Vec<&str> = KEYS.iter().map(|k| k.section).collect();
    s.dedup();
    s
}

pub(super) fn unknown_key(section: &str, name: &str) -> String {
    let known: Vec<&str> = KEYS
        .iter()
        .filter(|k| k.section == section)
        .map(|k| k.name)
        .collect();
    if known.is_empty() {
        let hint = closest(section, sections().into_iter())
            .map(|s| format!("; did you mean [{s}]?"))
            .unwrap_or_default();
        return format!(
            "unknown section [{section}]; the sections are {}{hint}",
            sections()
                .iter()
                .map(|s| format!("[{s}]"))
                .collect::<Vec<_>>()
                .join(", ")
        );
    }
    let hint = closest(name, known.iter().copied())
        .map(|k| format!("; did you mean `{k}`?"))
        .unwrap_or_default();
    format!(
        "unknown key; the keys of [{section}] are {}{hint}",
        known.join(", ")
    )
}
