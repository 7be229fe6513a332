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
//!
//! This file holds [`Config`], its sections and the loading; `keys` is the key table with its
//! parsers, `env` the environment snapshot, and `token` the token.

use std::collections::BTreeMap;
use std::fmt;
use std::path::{Path, PathBuf};

mod env;
mod keys;
mod shards;
mod token;

pub use env::Env;
use keys::{type_name, unknown_key, Raw, KEYS};
pub use shards::{check_range, ShardCount, ShardRange};
pub use token::{Token, TokenError};

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
    pub quiz: QuizNightConfig,
    /// The configuration file that was read, if any.
    pub file: Option<PathBuf>,
    /// What was read but is likely not what was meant (a variable spelled almost like a key's),
    /// for `clio run` to log; not errors, as another program may own such a name.
    pub warnings: Vec<String>,
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
    /// How many gateway shards the bot has (`auto`: what Discord recommends).
    pub shards: ShardCount,
    /// The shards this process runs; `None` runs them all.
    pub shard_range: Option<ShardRange>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct KnowledgeConfig {
    pub dir: PathBuf,
    /// The largest file, the largest pack, and whether links may lead outside the folder
    /// (`knowledge.max_file_mb`, `knowledge.max_pack_mb`, `knowledge.follow_outside_links`).
    pub limits: crate::knowledge::LoadLimits,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DataConfig {
    pub dir: PathBuf,
    /// `postgres://...`: the quizzes, settings and reports live in PostgreSQL, shared by every
    /// process given the same URL; `None`: in SQLite, in `dir`. It may hold a password: never log it.
    pub database_url: Option<String>,
}

/// Quiz nights.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct QuizNightConfig {
    /// A quiz paused, or waiting for its host, longer than this is stopped with the scores so far.
    pub idle_minutes: u64,
}

impl Default for QuizNightConfig {
    fn default() -> Self {
        QuizNightConfig {
            idle_minutes: crate::quiz::runner::DEFAULT_IDLE_MINUTES,
        }
    }
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
                shards: ShardCount::Auto,
                shard_range: None,
            },
            knowledge: KnowledgeConfig {
                dir: PathBuf::from("knowledge"),
                limits: crate::knowledge::LoadLimits::default(),
            },
            data: DataConfig {
                dir: PathBuf::from("data"),
                database_url: None,
            },
            log: LogConfig {
                filter: "warn,clio=info".into(),
            },
            ops: OpsConfig::default(),
            quiz: QuizNightConfig::default(),
            file: None,
            warnings: Vec::new(),
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
        config.check_shards()?;
        Ok(config)
    }

    /// A shard range beyond a fixed shard count is refused before anything connects (with
    /// `auto`, it is checked once Discord has said how many shards there are).
    fn check_shards(&self) -> Result<(), ConfigError> {
        if let (ShardCount::Fixed(total), Some(range)) =
            (self.discord.shards, self.discord.shard_range)
        {
            check_range(range, total).map_err(|problem| ConfigError {
                origin: self.origin("discord.shard_range"),
                key: Some("discord.shard_range".into()),
                problem: format!(
                    "{problem} (`discord.shards` = {total}, from {})",
                    self.origin("discord.shards")
                ),
            })?;
        }
        Ok(())
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
                self.warn_single_underscore(var, rest);
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

    /// `CLIO_DISCORD_DEV_GUILD` for `CLIO_DISCORD__DEV_GUILD`: one underscore where the
    /// section meets the key is easy to type and would be ignored without a word.
    fn warn_single_underscore(&mut self, var: &str, rest: &str) {
        let rest = rest.to_ascii_lowercase();
        let is_alias = KEYS.iter().any(|k| k.aliases.contains(&var));
        if is_alias {
            return;
        }
        if let Some(key) = KEYS
            .iter()
            .find(|k| rest == format!("{}_{}", k.section, k.name))
        {
            let right = format!(
                "CLIO_{}__{}",
                key.section.to_ascii_uppercase(),
                key.name.to_ascii_uppercase()
            );
            self.warnings.push(format!(
                "environment variable {var} is not read: it looks like `{}`, whose variable is \
                 {right} (two underscores between section and key); rename it to {right}",
                key.path
            ));
        }
    }

    /// Where a key's value came from (`section.key`).
    pub fn origin(&self, key: &str) -> Origin {
        self.origins.get(key).cloned().unwrap_or(Origin::Default)
    }
}

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
    fn the_quiz_idle_limit_is_30_minutes_unless_set_and_must_be_sensible() {
        let c = Config::from_sources(None, &Env::default()).unwrap();
        assert_eq!(c.quiz.idle_minutes, 30);
        let c = Config::from_sources(None, &env(&[("CLIO_QUIZ__IDLE_MINUTES", "45")])).unwrap();
        assert_eq!(c.quiz.idle_minutes, 45);
        assert_eq!(
            file("[quiz]\nidle_minutes = 5").unwrap().quiz.idle_minutes,
            5
        );
        for bad in ["0", "-3", "soon", "20000"] {
            let e = Config::from_sources(None, &env(&[("CLIO_QUIZ__IDLE_MINUTES", bad)]))
                .unwrap_err()
                .to_string();
            assert!(e.contains("minutes"), "{bad}: {e}");
        }
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
    fn an_environment_key_with_one_underscore_warns_with_the_right_spelling() {
        let c = Config::from_sources(
            None,
            &env(&[
                ("CLIO_DISCORD_DEV_GUILD", "1"),
                ("CLIO_KNOWLEDGE_DIR", "/app/knowledge"),
                ("CLIO_CONFIG_NOTHING", "x"),
            ]),
        )
        .unwrap();
        assert_eq!(
            c.discord.dev_guild, None,
            "the misspelled variable is not read"
        );
        assert_eq!(c.warnings.len(), 1, "{:?}", c.warnings);
        let w = &c.warnings[0];
        assert!(w.contains("CLIO_DISCORD_DEV_GUILD"), "{w}");
        assert!(w.contains("rename it to CLIO_DISCORD__DEV_GUILD"), "{w}");
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
    fn a_token_in_quotes_is_named_as_such() {
        for quoted in [
            format!("\"{TOKEN}\""),
            format!("'{TOKEN}'"),
            format!("  \"{TOKEN}\"\n"),
        ] {
            let e = Config::default()
                .token(&env(&[("DISCORD_TOKEN", &quoted)]))
                .unwrap_err()
                .to_string();
            assert!(e.contains("the token is in quotes"), "{e}");
            assert!(e.contains("remove them"), "{e}");
            assert!(!e.contains(TOKEN), "the message repeats the secret: {e}");
        }
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
