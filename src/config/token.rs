//! The bot token: where it is read from, its shape checked, and never printed.

use std::fmt;
use std::path::PathBuf;

use base64::Engine;

use super::env::Env;
use super::{Config, Origin, DEVELOPER_PORTAL};

impl Config {
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
        // A shell or an env file that keeps quotes (`DISCORD_TOKEN='"abc..."'`, compose's
        // `environment:` list) hands them over as part of the value.
        if let Some(quote) = ['"', '\'']
            .into_iter()
            .find(|q| t.starts_with(*q) || t.ends_with(*q))
        {
            return Err(format!(
                "the token is in quotes ({quote}...{quote}): remove them, the value is the token \
                 alone"
            ));
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
