//! Answers: one player's answer, a round and its answers, what the store records for a press, and
//! the acknowledgement the player sees.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use super::PlayerId;
use crate::quiz::judge::{Given, Verdict};

/// One player's answer to one question: the last one given, and when the first one was.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PlayerAnswer {
    pub given: Given,
    /// When the first answer was pressed (clock time).
    pub first_at: u64,
    /// When the answer that counts was given (clock time).
    pub at: u64,
    /// Time from the question's opening to the answer that counts, pauses left out.
    pub elapsed_ms: u64,
    /// How many times the player changed their answer.
    pub changes: u32,
    pub verdict: Verdict,
    pub points: u32,
}

/// One asked question and its answers.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Round {
    pub index: usize,
    pub opened_at: u64,
    /// When answers close (moves later when the quiz is paused).
    pub deadline: u64,
    /// Time spent paused while the question was open.
    pub paused_ms: u64,
    pub revealed_at: Option<u64>,
    pub answers: BTreeMap<PlayerId, PlayerAnswer>,
}

/// What the store records for one press: everything needed to rebuild the answer and the score.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AnswerRecord {
    pub index: usize,
    pub player: PlayerId,
    pub name: String,
    pub given: Given,
    pub elapsed_ms: u64,
    /// Clock time of this press.
    pub at: u64,
    /// False for the player's first answer to this question, true for a change.
    pub changed: bool,
    pub verdict: Verdict,
    pub points: u32,
}

/// The answer to a press, for the player alone.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum AnswerAck {
    /// Recorded: store it. `answered` is how many players have answered this question.
    Recorded {
        record: AnswerRecord,
        answered: usize,
    },
    /// The same answer again: nothing to record.
    Unchanged {
        given: Given,
    },
    /// Time is up, or the question was revealed or is not the one open.
    Closed,
    /// The quiz is paused: answers wait.
    Paused,
    /// The quiz has not started.
    NotStarted,
    Finished,
    /// Not an answer this question takes (an option it lacks, empty text, text for a button).
    Invalid,
}
