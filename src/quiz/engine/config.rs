//! How a quiz is set up: its mode, number of questions and times, and why a setup is refused.

use serde::{Deserialize, Serialize};

use crate::i18n::Locale;
use crate::quiz::night::{NightConfig, NightError};

pub const MIN_QUESTIONS: usize = 1;
pub const MAX_QUESTIONS: usize = 50;
pub const MIN_SECONDS: u32 = 5;
pub const MAX_SECONDS: u32 = 120;
/// Typed answers longer than this are cut: nobody's answer is a paragraph.
pub const MAX_TYPED: usize = 100;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(rename_all = "lowercase")]
pub enum Mode {
    /// Questions follow each other.
    #[default]
    Auto,
    /// The host moves on.
    Host,
}

impl Mode {
    pub fn parse(s: &str) -> Option<Mode> {
        match s.trim().to_lowercase().as_str() {
            "auto" | "automatic" | "automatyczny" => Some(Mode::Auto),
            "host" | "prowadzący" | "prowadzacy" => Some(Mode::Host),
            _ => None,
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Mode::Auto => "auto",
            Mode::Host => "host",
        }
    }
}

/// How a quiz is played. Stored with the quiz, so a restart resumes it as it was set.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct QuizConfig {
    /// How many questions were asked for (the quiz may hold fewer when the topic is narrow).
    pub questions: usize,
    /// Seconds each question is open.
    pub seconds: u32,
    pub mode: Mode,
    pub topic: Option<String>,
    pub seed: u64,
    /// The language of the channel's messages.
    pub locale: Locale,
    /// Seconds between a reveal and the next question in auto mode.
    pub reveal_seconds: u32,
    /// The countdown is updated at most this often (Discord limits edits of one message).
    pub countdown_step_seconds: u32,
    /// Teams, rounds and hints; with rounds, `questions` is per round.
    #[serde(default)]
    pub night: NightConfig,
}

impl Default for QuizConfig {
    fn default() -> Self {
        QuizConfig {
            questions: 10,
            seconds: 20,
            mode: Mode::Auto,
            topic: None,
            seed: 0,
            locale: Locale::En,
            reveal_seconds: 10,
            countdown_step_seconds: 5,
            night: NightConfig::default(),
        }
    }
}

/// A setting out of range, worded for the host.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ConfigError {
    Questions(usize),
    Seconds(u32),
    Night(NightError),
}

impl ConfigError {
    pub fn message(&self, locale: Locale) -> String {
        match (self, locale) {
            (ConfigError::Night(e), _) => e.message(locale),
            (ConfigError::Questions(n), Locale::En) => {
                format!("A quiz has {MIN_QUESTIONS} to {MAX_QUESTIONS} questions, not {n}.")
            }
            (ConfigError::Questions(n), Locale::Pl) => {
                format!("Quiz może mieć od {MIN_QUESTIONS} do {MAX_QUESTIONS} pytań, nie {n}.")
            }
            (ConfigError::Seconds(s), Locale::En) => {
                format!("Each question lasts {MIN_SECONDS} to {MAX_SECONDS} seconds, not {s}.")
            }
            (ConfigError::Seconds(s), Locale::Pl) => {
                format!("Pytanie może trwać od {MIN_SECONDS} do {MAX_SECONDS} sekund, nie {s}.")
            }
        }
    }
}

impl std::fmt::Display for ConfigError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.message(Locale::En))
    }
}

impl std::error::Error for ConfigError {}

impl QuizConfig {
    pub fn validate(&self) -> Result<(), ConfigError> {
        if !(MIN_QUESTIONS..=MAX_QUESTIONS).contains(&self.questions) {
            return Err(ConfigError::Questions(self.questions));
        }
        if !(MIN_SECONDS..=MAX_SECONDS).contains(&self.seconds) {
            return Err(ConfigError::Seconds(self.seconds));
        }
        self.night
            .validate(self.questions, MAX_QUESTIONS)
            .map_err(ConfigError::Night)?;
        Ok(())
    }

    pub fn limit_ms(&self) -> u64 {
        u64::from(self.seconds) * 1000
    }

    pub(super) fn reveal_ms(&self) -> u64 {
        u64::from(self.reveal_seconds) * 1000
    }

    pub(super) fn step_ms(&self) -> u64 {
        u64::from(self.countdown_step_seconds.max(1)) * 1000
    }
}
