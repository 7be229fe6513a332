//! What a session reports: why it ended, where it stands, what happened, and why a host command
//! could not be done now.

use serde::{Deserialize, Serialize};

use crate::i18n::Locale;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum EndReason {
    /// Every question was asked.
    Completed,
    /// The host stopped it.
    Stopped,
    /// The bot stopped mid-quiz and closed it with the scores so far when it came back.
    Interrupted,
    /// Left paused, or waiting for its host, longer than the idle limit.
    Idle,
    /// Its runner failed; closed with the scores so far.
    Failed,
}

impl EndReason {
    pub fn as_str(self) -> &'static str {
        match self {
            EndReason::Completed => "completed",
            EndReason::Stopped => "stopped",
            EndReason::Interrupted => "interrupted",
            EndReason::Idle => "idle",
            EndReason::Failed => "failed",
        }
    }

    pub fn parse(s: &str) -> Option<EndReason> {
        match s {
            "completed" => Some(EndReason::Completed),
            "stopped" => Some(EndReason::Stopped),
            "interrupted" => Some(EndReason::Interrupted),
            "idle" => Some(EndReason::Idle),
            "failed" => Some(EndReason::Failed),
            _ => None,
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Phase {
    /// Created, not started.
    Ready,
    /// Teams gather before the first question, which opens at `until` or when the host starts.
    Lobby {
        until: u64,
    },
    /// Between two rounds: `round` (0-based) is over; the next opens at `next_at` or when the
    /// host goes on.
    Intermission {
        round: usize,
        next_at: u64,
    },
    /// A question is open for answers.
    Asking {
        index: usize,
    },
    /// A question's answer is shown; `next_at` is when the next opens (auto mode).
    Revealed {
        index: usize,
        next_at: Option<u64>,
    },
    Finished {
        reason: EndReason,
        at: u64,
    },
}

/// What happened, for the adapter to show and store.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum QuizEvent {
    /// Post the question message.
    QuestionOpened {
        index: usize,
    },
    /// Edit the question message in place: time left and how many have answered.
    Countdown {
        index: usize,
        remaining_ms: u64,
        answered: usize,
    },
    /// Edit the question message into its reveal.
    Revealed {
        index: usize,
    },
    Paused,
    Resumed,
    /// Post the lobby with a Join button per team.
    LobbyOpened,
    /// Post the intermission: the round's winners, the standings, the next round's theme.
    IntermissionBegan {
        round: usize,
    },
    /// Post the final standings and the recap.
    Finished {
        reason: EndReason,
    },
}

/// Why a host command could not be done now.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ControlError {
    NotStarted,
    AlreadyStarted,
    Paused,
    NotPaused,
    Finished,
}

impl ControlError {
    pub fn message(self, locale: Locale) -> &'static str {
        match (self, locale) {
            (ControlError::NotStarted, Locale::En) => "The quiz has not started yet.",
            (ControlError::NotStarted, Locale::Pl) => "Quiz jeszcze się nie zaczął.",
            (ControlError::AlreadyStarted, Locale::En) => "The quiz has already started.",
            (ControlError::AlreadyStarted, Locale::Pl) => "Quiz już trwa.",
            (ControlError::Paused, Locale::En) => {
                "The quiz is paused: resume it first with `/quiz resume`."
            }
            (ControlError::Paused, Locale::Pl) => {
                "Quiz jest wstrzymany: najpierw wznów go poleceniem `/quiz resume`."
            }
            (ControlError::NotPaused, Locale::En) => "The quiz is not paused.",
            (ControlError::NotPaused, Locale::Pl) => "Quiz nie jest wstrzymany.",
            (ControlError::Finished, Locale::En) => "The quiz is over.",
            (ControlError::Finished, Locale::Pl) => "Quiz już się skończył.",
        }
    }
}
