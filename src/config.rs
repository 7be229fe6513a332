//! Clio's configuration: built-in defaults, then the config file, then the environment.
//!
//! Self-hosters configure a bot in one of two ways, often both at once: a TOML file next to the
//! binary (systemd, a checkout) or environment variables (Docker, where the token is a secret
//! file). So every file key `[section] key` can be overridden by `CLIO_<SECTION>__<KEY>`, and the
//! handful of names people expect (`DISCORD_TOKEN`, `CLIO_KNOWLEDGE_DIR`, ...) are aliases of keys.
//!
//! Each key is declared once, in [`KEYS`], with its parser: a later section (`[ops]`, `[quiz]`) is
//! a struct field and a few table rows. A typo is never ignored silently: an unknown key or a bad
//! value is an error naming the key and where it came from (the file, or which variable).
//!
//! The bot token is not a key: it is read only from `DISCORD_TOKEN` or a token file, checked for
//! shape before anything connects, and kept in a [`Token`] that never prints itself.

use std::collections::BTreeMap;
use std::fmt;
use std::path::{Path, PathBuf};

use base64::Engine;

/// Where the configuration file is looked for when `CLIO_CONFIG` is not set.
pub const DEFAULT_CONFIG_FILE: &str = "config/clio.toml";

/// Where to get a bot token, for messages that ask for one.
pub const DEVELOPER_PORTAL: &str = "https://discord.com/developers/applications";

/// The settings of one run, after every layer is applied.
#[derive(Debug, Clone, PartialEq)]
pub struct Config {
    pub discord: DiscordConfig,
    pub knowledge: KnowledgeConfig,
    pub data: DataConfig,
    pub log: LogConfig,
    pub ops: OpsConfig,
    /// The configuration file that was read, if any.
    pub file: Option<PathBuf>,
    /// Where each key that is not a default came from, for messages about its value.
    origins: BTreeMap<&'static str, Origin>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DiscordConfig {
    /// Send every REST call (and the gateway lookup) here instead of `https://discord.com`.
    pub api_base: Option<String>,
    /// Register the commands in this guild only (instant) instead of globally.
    pub dev_guild: Option<u64>,
    /// Overwrite the registered commands at start-up.
    pub register_commands: bool,
    /// A file holding the bot token (a Docker or systemd secret).
    pub token_file: Option<PathBuf>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct KnowledgeConfig {
    pub dir: PathBuf,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DataConfig {
    pub dir: PathBuf,
}

/// The operations listener: `/healthz`, `/readyz`, `/metrics`.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct OpsConfig {
    /// Where to listen, e.g. `127.0.0.1:9090`; off when unset.
    pub listen: Option<std::net::SocketAddr>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LogConfig {
    /// A `tracing` filter, e.g. `info` or `warn,clio=debug`.
    pub filter: String,
}

impl Default for Config {
    fn default() -> Self {
        Config {
            discord: DiscordConfig {
                api_base: None,
                dev_guild: None,
                register_commands: true,
                token_file: None,
            },
            knowledge: KnowledgeConfig {
                dir: PathBuf::from("knowledge"),
            },
            data: DataConfig {
                dir: PathBuf::from("data"),
            },
            log: LogConfig {
                filter: "warn,clio=info,serenity=info".into(),
            },
            ops: OpsConfig::default(),
            file: None,
            origins: BTreeMap::new(),
        }
    }
}

/// Where a value came from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Origin {
    Default,
    File(PathBuf),
    Env(String),
}

impl fmt::Display for Origin {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Origin::Default => write!(f, "the built-in default"),
            Origin::File(path) => write!(f, "{}", path.display()),
            Origin::Env(var) => write!(f, "environment variable {var}"),
        }
    }
}

/// A configuration problem: what is wrong, with which key, from where.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ConfigError {
    pub origin: Origin,
    /// `section.key`, when the problem is about one key.
    pub key: Option<String>,
    pub problem: String,
}

impl fmt::Display for ConfigError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.key {
            Some(key) => write!(f, "{}: `{key}`: {}", self.origin, self.problem),
            None => write!(f, "{}: {}", self.origin, self.problem),
        }
    }
}

impl std::error::Error for ConfigError {}

/// A value as it arrives: typed from the file, text from the environment.
enum Raw {
    Toml(toml::Value),
    Env(String),
}

type Setter = fn(&mut Config, Raw) -> Result<(), String>;

/// One configuration key: where it lives, which other variables set it, how to parse it.
struct Key {
    section: &'static str,
    name: &'static str,
    /// `section.name`, for messages and origins.
    path: &'static str,
    /// Environment variables that set this key under the names self-hosters already know.
    aliases: &'static [&'static str],
    set: Setter,
}

/// Every key. `config/clio.toml` documents each one; a test keeps the two in step.
const KEYS: &[Key] = &[
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
];

fn type_name(v: &toml::Value) -> &'static str {
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

/// The environment, as a snapshot: tests pass their own instead of the process's.
#[derive(Debug, Clone, Default)]
pub struct Env {
    vars: BTreeMap<String, String>,
}

impl Env {
    pub fn from_process() -> Self {
        Env {
            vars: std::env::vars_os()
                .filter_map(|(k, v)| Some((k.into_string().ok()?, v.into_string().ok()?)))
                .collect(),
        }
    }

    /// A variable's value; set-but-empty counts as unset, as `docker compose` passes unset
    /// variables through as empty strings.
    pub fn get(&self, name: &str) -> Option<&str> {
        self.vars
            .get(name)
            .map(String::as_str)
            .filter(|v| !v.trim().is_empty())
    }
}

impl<K: Into<String>, V: Into<String>> FromIterator<(K, V)> for Env {
    fn from_iter<I: IntoIterator<Item = (K, V)>>(iter: I) -> Self {
        Env {
            vars: iter
                .into_iter()
                .map(|(k, v)| (k.into(), v.into()))
                .collect(),
        }
    }
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

fn unknown_key(section: &str, name: &str) -> String {
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

impl Config {
    /// The configuration of this process: `CLIO_CONFIG` (or `config/clio.toml` if present), then
    /// the environment.
    pub fn load() -> Result<Config, ConfigError> {
        Config::load_from(&Env::from_process())
    }

    /// The configuration for a given environment; the file is read from disk.
    pub fn load_from(env: &Env) -> Result<Config, ConfigError> {
        let (file, explicit) = match env.get("CLIO_CONFIG") {
            Some(p) => (PathBuf::from(p), true),
            None => (PathBuf::from(DEFAULT_CONFIG_FILE), false),
        };
        let text = match std::fs::read_to_string(&file) {
            Ok(text) => Some(text),
            Err(e) if !explicit && e.kind() == std::io::ErrorKind::NotFound => None,
            Err(e) => {
                return Err(ConfigError {
                    origin: Origin::Env("CLIO_CONFIG".into()),
                    key: None,
                    problem: format!("cannot read the config file {}: {e}", file.display()),
                })
            }
        };
        Config::from_sources(text.as_deref().map(|t| (file.as_path(), t)), env)
    }

    /// Defaults, then the file's text (if any), then the environment: every layer checked.
    pub fn from_sources(file: Option<(&Path, &str)>, env: &Env) -> Result<Config, ConfigError> {
        let mut config = Config::default();
        if let Some((path, text)) = file {
            config.apply_file(path, text)?;
            config.file = Some(path.to_path_buf());
        }
        config.apply_env(env)?;
        Ok(config)
    }

    fn apply_file(&mut self, path: &Path, text: &str) -> Result<(), ConfigError> {
        let origin = Origin::File(path.to_path_buf());
        let err = |key: Option<String>, problem: String| ConfigError {
            origin: origin.clone(),
            key,
            problem,
        };
        let table: toml::Table = toml::from_str(text)
            .map_err(|e| err(None, format!("not valid TOML: {}", e.to_string().trim())))?;
        for (section, body) in table {
            let toml::Value::Table(body) = body else {
                return Err(err(
                    Some(section.clone()),
                    format!("expected a section [{section}], got a {}", type_name(&body)),
                ));
            };
            for (name, value) in body {
                let path = format!("{section}.{name}");
                let key = KEYS
                    .iter()
                    .find(|k| k.section == section && k.name == name)
                    .ok_or_else(|| err(Some(path.clone()), unknown_key(&section, &name)))?;
                (key.set)(self, Raw::Toml(value)).map_err(|p| err(Some(path), p))?;
                self.origins.insert(key.path, origin.clone());
            }
        }
        Ok(())
    }

    fn apply_env(&mut self, env: &Env) -> Result<(), ConfigError> {
        // Unknown `CLIO_X__Y` variables are typos of keys: refuse them rather than ignore them.
        for (var, _) in env.vars.iter().filter(|(_, v)| !v.trim().is_empty()) {
            let Some(rest) = var.strip_prefix("CLIO_") else {
                continue;
            };
            let Some((section, name)) = rest.split_once("__") else {
                continue;
            };
            let (section, name) = (section.to_ascii_lowercase(), name.to_ascii_lowercase());
            if !KEYS.iter().any(|k| k.section == section && k.name == name) {
                return Err(ConfigError {
                    origin: Origin::Env(var.clone()),
                    key: Some(format!("{section}.{name}")),
                    problem: unknown_key(&section, &name),
                });
            }
        }
        for key in KEYS {
            let generic = format!(
                "CLIO_{}__{}",
                key.section.to_ascii_uppercase(),
                key.name.to_ascii_uppercase()
            );
            let mut set: Vec<(&str, &str)> = key
                .aliases
                .iter()
                .chain(std::iter::once(&generic.as_str()))
                .filter_map(|var| env.get(var).map(|v| (*var, v)))
                .collect();
            set.dedup_by(|a, b| a.1 == b.1);
            if set.len() > 1 {
                return Err(ConfigError {
                    origin: Origin::Env(set[0].0.to_string()),
                    key: Some(key.path.into()),
                    problem: format!(
                        "{} are both set, to different values; keep one",
                        set.iter().map(|s| s.0).collect::<Vec<_>>().join(" and ")
                    ),
                });
            }
            if let Some((var, value)) = set.first() {
                (key.set)(self, Raw::Env(value.to_string())).map_err(|problem| ConfigError {
                    origin: Origin::Env(var.to_string()),
                    key: Some(key.path.into()),
                    problem,
                })?;
                self.origins.insert(key.path, Origin::Env(var.to_string()));
            }
        }
        Ok(())
    }

    /// Where a key's value came from (`section.key`).
    pub fn origin(&self, key: &str) -> Origin {
        self.origins.get(key).cloned().unwrap_or(Origin::Default)
    }

    /// The bot token: `DISCORD_TOKEN`, or the contents of `DISCORD_TOKEN_FILE` /
    /// `discord.token_file`; checked for shape, so a wrong paste fails here and not at Discord.
    pub fn token(&self, env: &Env) -> Result<Token, TokenError> {
        let from_env = env.get("DISCORD_TOKEN");
        let (text, source) = match (from_env, &self.discord.token_file) {
            (Some(_), Some(file)) => {
                return Err(TokenError::Conflict {
                    file: file.clone(),
                    origin: self.origin("discord.token_file"),
                })
            }
            (Some(t), None) => (t.to_string(), "DISCORD_TOKEN".to_string()),
            (None, Some(file)) => {
                let text = std::fs::read_to_string(file).map_err(|e| TokenError::Unreadable {
                    file: file.clone(),
                    origin: self.origin("discord.token_file"),
                    reason: e.to_string(),
                })?;
                (text, format!("the token file {}", file.display()))
            }
            (None, None) => return Err(TokenError::Missing),
        };
        Token::parse(&text).map_err(|reason| TokenError::Malformed { source, reason })
    }
}

/// A bot token. Its `Debug` and `Display` never show it; only [`Token::expose`] does.
#[derive(Clone, PartialEq, Eq)]
pub struct Token {
    secret: String,
    bot_id: u64,
}

impl fmt::Debug for Token {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Token(bot {}, redacted)", self.bot_id)
    }
}

impl Token {
    /// Check a token's shape: three dot-separated base64url parts, the first the bot's user id.
    /// Whitespace around it (a token file's newline) and a `Bot ` prefix are forgiven. The error
    /// says what is wrong without repeating the secret.
    pub fn parse(text: &str) -> Result<Token, String> {
        let t = text.trim();
        let t = t.strip_prefix("Bot ").unwrap_or(t).trim();
        if t.is_empty() {
            return Err("it is empty".into());
        }
        let parts: Vec<&str> = t.split('.').collect();
        if parts.len() != 3 || parts.iter().any(|p| p.is_empty()) {
            let hint = if t.len() == 64 && t.bytes().all(|b| b.is_ascii_hexdigit()) {
                " (this looks like the application's public key)"
            } else if parts.len() == 1 && t.len() == 32 {
                " (this looks like the OAuth2 client secret)"
            } else {
                ""
            };
            return Err(format!(
                "a bot token has three parts separated by dots, this has {}{hint}",
                parts.len()
            ));
        }
        let base64url = |p: &str| {
            p.bytes()
                .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_' || b == b'=')
        };
        if !parts.iter().all(|p| base64url(p)) {
            return Err("it contains characters a bot token never has".into());
        }
        let id = base64::engine::general_purpose::URL_SAFE_NO_PAD
            .decode(parts[0].trim_end_matches('='))
            .ok()
            .and_then(|bytes| String::from_utf8(bytes).ok())
            .and_then(|s| s.parse::<u64>().ok())
            .filter(|id| *id > 0)
            .ok_or("its first part is not a bot's id")?;
        Ok(Token {
            secret: t.to_string(),
            bot_id: id,
        })
    }

    /// The secret itself, for the one place that sends it to Discord.
    pub fn expose(&self) -> &str {
        &self.secret
    }

    /// The bot's user id, encoded in the token's first part (not a secret).
    pub fn bot_id(&self) -> u64 {
        self.bot_id
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum TokenError {
    Missing,
    Conflict {
        file: PathBuf,
        origin: Origin,
    },
    Unreadable {
        file: PathBuf,
        origin: Origin,
        reason: String,
    },
    Malformed {
        source: String,
        reason: String,
    },
}

impl fmt::Display for TokenError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            TokenError::Missing => write!(
                f,
                "no bot token: set DISCORD_TOKEN (or DISCORD_TOKEN_FILE, a file holding it) to the \
                 token from the Bot page of your application at {DEVELOPER_PORTAL}"
            ),
            TokenError::Conflict { file, origin } => write!(
                f,
                "DISCORD_TOKEN is set and so is a token file ({}, from {origin}); keep one",
                file.display()
            ),
            TokenError::Unreadable {
                file,
                origin,
                reason,
            } => write!(
                f,
                "cannot read the token file {} (from {origin}): {reason}",
                file.display()
            ),
            TokenError::Malformed { source, reason } => write!(
                f,
                "{source} does not hold a bot token: {reason}; copy the token again from the Bot \
                 page of your application at {DEVELOPER_PORTAL} (Reset Token)"
            ),
        }
    }
}

impl std::error::Error for TokenError {}

#[cfg(test)]
mod tests {
    use super::*;

    /// A well-formed token for an invented bot (id 123456789012345678).
    const TOKEN: &str = "MTIzNDU2Nzg5MDEyMzQ1Njc4.GaBcDe.0123456789abcdefghijklmnopqrstuvwxyzAB";

    fn env(vars: &[(&str, &str)]) -> Env {
        vars.iter().copied().collect()
    }

    fn file(text: &str) -> Result<Config, ConfigError> {
        Config::from_sources(Some((Path::new("config/clio.toml"), text)), &Env::default())
    }

    #[test]
    fn defaults_hold_without_file_or_environment() {
        let c = Config::from_sources(None, &Env::default()).unwrap();
        assert_eq!(c.knowledge.dir, PathBuf::from("knowledge"));
        assert_eq!(c.data.dir, PathBuf::from("data"));
        assert_eq!(c.discord.dev_guild, None);
        assert!(c.discord.register_commands);
        assert_eq!(c.origin("data.dir"), Origin::Default);
    }

    #[test]
    fn the_environment_overrides_the_file() {
        let c = Config::from_sources(
            Some((
                Path::new("c.toml"),
                "[discord]\ndev_guild = 1\n[data]\ndir = \"/a\"",
            )),
            &env(&[("CLIO_DISCORD__DEV_GUILD", "42"), ("CLIO_DATA_DIR", "/b")]),
        )
        .unwrap();
        assert_eq!(c.discord.dev_guild, Some(42));
        assert_eq!(c.data.dir, PathBuf::from("/b"));
        assert_eq!(
            c.origin("discord.dev_guild"),
            Origin::Env("CLIO_DISCORD__DEV_GUILD".into())
        );
    }

    #[test]
    fn aliases_and_generic_names_set_the_same_key() {
        let c = Config::from_sources(
            None,
            &env(&[("DISCORD_API_BASE", "http://127.0.0.1:3000/")]),
        )
        .unwrap();
        assert_eq!(c.discord.api_base.as_deref(), Some("http://127.0.0.1:3000"));
        let c = Config::from_sources(None, &env(&[("CLIO_KNOWLEDGE__DIR", "/k")])).unwrap();
        assert_eq!(c.knowledge.dir, PathBuf::from("/k"));
        let e = Config::from_sources(
            None,
            &env(&[("CLIO_KNOWLEDGE__DIR", "/k"), ("CLIO_KNOWLEDGE_DIR", "/j")]),
        )
        .unwrap_err();
        assert!(e.to_string().contains("keep one"), "{e}");
    }

    #[test]
    fn an_unknown_key_names_the_key_the_file_and_the_likely_fix() {
        let e = file("[discord]\ndev_gild = 1").unwrap_err();
        assert_eq!(e.key.as_deref(), Some("discord.dev_gild"));
        let msg = e.to_string();
        assert!(
            msg.starts_with("config/clio.toml: `discord.dev_gild`"),
            "{msg}"
        );
        assert!(msg.contains("did you mean `dev_guild`"), "{msg}");
        let e = file("[discrod]\ndev_guild = 1").unwrap_err();
        assert!(e.to_string().contains("did you mean [discord]"), "{e}");
    }

    #[test]
    fn an_unknown_environment_key_names_the_variable() {
        let e = Config::from_sources(None, &env(&[("CLIO_DISCORD__DEV_GILD", "1")])).unwrap_err();
        assert_eq!(e.origin, Origin::Env("CLIO_DISCORD__DEV_GILD".into()));
        assert!(e.to_string().contains("did you mean `dev_guild`"), "{e}");
    }

    #[test]
    fn a_bad_value_names_the_key_and_where_it_came_from() {
        let e = Config::from_sources(None, &env(&[("CLIO_DISCORD__DEV_GUILD", "my-server")]))
            .unwrap_err();
        let msg = e.to_string();
        assert!(
            msg.starts_with("environment variable CLIO_DISCORD__DEV_GUILD: `discord.dev_guild`"),
            "{msg}"
        );
        assert!(msg.contains("`my-server`"), "{msg}");
        let e = file("[discord]\nregister_commands = \"maybe\"").unwrap_err();
        assert!(e.to_string().contains("expected true or false"), "{e}");
        let e = file("[discord]\napi_base = \"discord.example\"").unwrap_err();
        assert!(e.to_string().contains("http://"), "{e}");
        let e = file("[discord\n").unwrap_err();
        assert!(e.to_string().contains("not valid TOML"), "{e}");
    }

    #[test]
    fn empty_variables_count_as_unset() {
        let c = Config::from_sources(None, &env(&[("CLIO_DISCORD__DEV_GUILD", "")])).unwrap();
        assert_eq!(c.discord.dev_guild, None);
    }

    #[test]
    fn tokens_are_checked_for_shape_and_never_printed() {
        let t = Token::parse(&format!("Bot {TOKEN}\n")).unwrap();
        assert_eq!(t.bot_id(), 123456789012345678);
        assert_eq!(t.expose(), TOKEN);
        assert!(!format!("{t:?}").contains(TOKEN));
        for bad in [
            "",
            "abc",
            "a.b",
            "a.b.c",
            "MTIz NDU.a.b",
            &"ab".repeat(32),
            "abcdefghijklmnopqrstuvwxyz012345",
        ] {
            let e = Token::parse(bad).unwrap_err();
            assert!(bad.is_empty() || !e.contains(bad), "{e}");
        }
        assert!(Token::parse(&"ab".repeat(32))
            .unwrap_err()
            .contains("public key"));
    }

    #[test]
    fn the_token_comes_from_the_environment_or_a_file_not_both() {
        let c = Config::default();
        assert_eq!(c.token(&Env::default()), Err(TokenError::Missing));
        assert!(TokenError::Missing.to_string().contains("DISCORD_TOKEN"));
        let t = c.token(&env(&[("DISCORD_TOKEN", TOKEN)])).unwrap();
        assert_eq!(t.expose(), TOKEN);

        let dir = std::env::temp_dir().join(format!("clio-token-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let secret = dir.join("token");
        std::fs::write(&secret, format!("{TOKEN}\n")).unwrap();
        let c = Config::from_sources(
            None,
            &env(&[("DISCORD_TOKEN_FILE", secret.to_str().unwrap())]),
        )
        .unwrap();
        assert_eq!(
            c.token(&Env::default()).unwrap().expose(),
            TOKEN,
            "the file's newline is forgiven"
        );
        assert!(matches!(
            c.token(&env(&[("DISCORD_TOKEN", TOKEN)])),
            Err(TokenError::Conflict { .. })
        ));
        std::fs::write(&secret, "not-a-token").unwrap();
        let e = c.token(&Env::default()).unwrap_err();
        assert!(e.to_string().contains("token file"), "{e}");
        let _ = std::fs::remove_dir_all(&dir);
    }

    #[test]
    fn the_shipped_config_file_documents_every_key_and_loads() {
        let path = Path::new(env!("CARGO_MANIFEST_DIR")).join(DEFAULT_CONFIG_FILE);
        let text = std::fs::read_to_string(&path).expect("config/clio.toml");
        Config::from_sources(Some((&path, &text)), &Env::default())
            .expect("the shipped config file loads");
        for key in KEYS {
            let line = format!("{} =", key.name);
            let section = format!("[{}]", key.section);
            let in_section = text
                .split("\n[")
                .map(|s| {
                    if s.starts_with('[') {
                        s.to_string()
                    } else {
                        format!("[{s}")
                    }
                })
                .find(|s| s.starts_with(&section))
                .unwrap_or_default();
            assert!(
                in_section.contains(&line),
                "config/clio.toml does not document `{}` under {section}",
                key.path
            );
        }
    }
}
