//! The quiz session: a pure state machine with the clock passed in.
//!
//! Nothing here sleeps, spawns or talks to Discord. The adapter calls [`QuizSession::tick`] when
//! [`QuizSession::wake_at`] says something is due, forwards presses to [`QuizSession::answer`] and
//! host commands to `next`, `pause`, `resume` and `stop`, and turns the returned [`QuizEvent`]s into
//! messages (see `render`) and store writes (see `store::Write`). Times are milliseconds from any
//! fixed origin; the bot passes Unix time so stored times mean something to the leaderboard.
//!
//! The rules, in one place:
//! - A question is open for `seconds`; answers after its deadline are refused. Paused time does
//!   not count toward the deadline nor toward a player's answer time.
//! - A player may change their answer until the reveal; the last answer counts, timed when it was
//!   given (a change costs time, so pressing at random first and thinking later does not pay).
//! - A right answer scores `1000 × (1 − 0.5 × elapsed/limit)`; a typed year one or two years off
//!   a share of that; a wrong one nothing.
//! - Auto mode: time up reveals, and after `reveal_seconds` the next question opens. Host mode:
//!   time up reveals too, and the host opens the next question. In both the host may reveal early
//!   with `next`.
//! - Standings count revealed questions only, so the open question's answers stay secret; ties
//!   are broken by total answer time, then by who answered first.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use super::judge::{score, Given, Verdict};
use crate::i18n::Locale;
use crate::knowledge::question::Question;

/// A player, by their Discord user id (any stable number offline).
pub type PlayerId = u64;

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
        }
    }
}

/// A setting out of range, worded for the host.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ConfigError {
    Questions(usize),
    Seconds(u32),
}

impl ConfigError {
    pub fn message(&self, locale: Locale) -> String {
        match (self, locale) {
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
        Ok(())
    }

    pub fn limit_ms(&self) -> u64 {
        u64::from(self.seconds) * 1000
    }

    fn reveal_ms(&self) -> u64 {
        u64::from(self.reveal_seconds) * 1000
    }

    fn step_ms(&self) -> u64 {
        u64::from(self.countdown_step_seconds.max(1)) * 1000
    }
}

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
    /// Post the final standings and the recap.
    Finished {
        reason: EndReason,
    },
}

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

/// A player's place in the standings.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Standing {
    /// 1 for the leader; tied players share a rank.
    pub rank: usize,
    pub player: PlayerId,
    pub name: String,
    pub points: u32,
    /// Questions answered right.
    pub right: u32,
    pub answered: u32,
    /// Total time of the answers that scored: the first tie-break, lower is better.
    pub time_ms: u64,
    /// Clock time of the player's first press in the quiz: the second tie-break.
    pub first_at: u64,
}

#[derive(Debug, Clone)]
pub struct QuizSession {
    config: QuizConfig,
    questions: Vec<Question>,
    rounds: Vec<Round>,
    phase: Phase,
    paused_since: Option<u64>,
    names: BTreeMap<PlayerId, String>,
    /// The countdown bucket last announced, so each is announced once.
    last_countdown: Option<u64>,
}

impl QuizSession {
    /// A quiz ready to start. The questions are the quiz: the config's count is only what was
    /// asked for.
    pub fn new(config: QuizConfig, questions: Vec<Question>) -> QuizSession {
        QuizSession {
            config,
            questions,
            rounds: Vec::new(),
            phase: Phase::Ready,
            paused_since: None,
            names: BTreeMap::new(),
            last_countdown: None,
        }
    }

    /// Rebuild a quiz from what was stored: its rounds (with their answers) as recorded, paused
    /// or not. The last round stays open if it was never revealed; the recovery decides what next.
    pub fn restore(
        config: QuizConfig,
        questions: Vec<Question>,
        rounds: Vec<Round>,
        names: BTreeMap<PlayerId, String>,
        paused_since: Option<u64>,
        ended: Option<(EndReason, u64)>,
    ) -> QuizSession {
        let phase = match (ended, rounds.last()) {
            (Some((reason, at)), _) => Phase::Finished { reason, at },
            (None, None) => Phase::Ready,
            (None, Some(r)) if r.revealed_at.is_none() => Phase::Asking { index: r.index },
            (None, Some(r)) => Phase::Revealed {
                index: r.index,
                next_at: None,
            },
        };
        QuizSession {
            config,
            questions,
            rounds,
            phase,
            paused_since: if ended.is_some() { None } else { paused_since },
            names,
            last_countdown: None,
        }
    }

    pub fn config(&self) -> &QuizConfig {
        &self.config
    }

    pub fn questions(&self) -> &[Question] {
        &self.questions
    }

    pub fn question(&self, index: usize) -> Option<&Question> {
        self.questions.get(index)
    }

    pub fn rounds(&self) -> &[Round] {
        &self.rounds
    }

    pub fn round(&self, index: usize) -> Option<&Round> {
        self.rounds.iter().find(|r| r.index == index)
    }

    pub fn phase(&self) -> Phase {
        self.phase
    }

    pub fn is_paused(&self) -> bool {
        self.paused_since.is_some()
    }

    pub fn is_finished(&self) -> bool {
        matches!(self.phase, Phase::Finished { .. })
    }

    pub fn player_name(&self, player: PlayerId) -> Option<&str> {
        self.names.get(&player).map(String::as_str)
    }

    /// The question open for answers, if any.
    pub fn open_question(&self) -> Option<usize> {
        match self.phase {
            Phase::Asking { index } => Some(index),
            _ => None,
        }
    }

    /// Milliseconds left to answer the open question (frozen while paused).
    pub fn remaining_ms(&self, now: u64) -> Option<u64> {
        let index = self.open_question()?;
        let round = self.round(index)?;
        let clock = self.paused_since.unwrap_or(now);
        Some(round.deadline.saturating_sub(clock))
    }

    /// How many players have answered a question.
    pub fn answered(&self, index: usize) -> usize {
        self.round(index).map_or(0, |r| r.answers.len())
    }

    /// When `tick` next has something to do, so the adapter can sleep until then.
    pub fn wake_at(&self, now: u64) -> Option<u64> {
        if self.paused_since.is_some() {
            return None;
        }
        match self.phase {
            Phase::Asking { index } => {
                let deadline = self.round(index)?.deadline;
                let step = self.config.step_ms();
                let remaining = deadline.saturating_sub(now);
                // The next moment the remaining time crosses a step boundary.
                let next_step =
                    deadline.saturating_sub(((remaining.saturating_sub(1)) / step) * step);
                Some(next_step.min(deadline).max(now))
            }
            Phase::Revealed { next_at, .. } => next_at,
            Phase::Ready | Phase::Finished { .. } => None,
        }
    }

    /// Open the first question.
    pub fn start(&mut self, now: u64) -> Result<Vec<QuizEvent>, ControlError> {
        match self.phase {
            Phase::Ready if self.questions.is_empty() => Ok(self.finish(EndReason::Completed, now)),
            Phase::Ready => Ok(self.open(0, now)),
            Phase::Finished { .. } => Err(ControlError::Finished),
            _ => Err(ControlError::AlreadyStarted),
        }
    }

    /// A player's press or typed answer to question `index`.
    pub fn answer(
        &mut self,
        player: PlayerId,
        name: &str,
        index: usize,
        given: Given,
        now: u64,
    ) -> AnswerAck {
        let open = match self.phase {
            Phase::Ready => return AnswerAck::NotStarted,
            Phase::Finished { .. } => return AnswerAck::Finished,
            Phase::Asking { index } => index,
            Phase::Revealed { .. } => return AnswerAck::Closed,
        };
        if self.paused_since.is_some() {
            return AnswerAck::Paused;
        }
        if open != index {
            return AnswerAck::Closed;
        }
        let given = match given {
            Given::Text(t) => {
                let t = crate::text::clean_input(&t);
                Given::Text(t.chars().take(MAX_TYPED).collect())
            }
            g => g,
        };
        let question = &self.questions[index];
        let valid = match (&given, question.is_typed()) {
            (Given::Choice(k), false) => *k < question.option_count(),
            (Given::Text(t), true) => !t.is_empty(),
            _ => false,
        };
        if !valid {
            return AnswerAck::Invalid;
        }
        let limit = self.config.limit_ms();
        let Some(round) = self.rounds.iter_mut().find(|r| r.index == index) else {
            return AnswerAck::Closed;
        };
        if now >= round.deadline {
            return AnswerAck::Closed;
        }
        let elapsed_ms = now
            .saturating_sub(round.opened_at)
            .saturating_sub(round.paused_ms)
            .min(limit);
        let (verdict, points) = score(question, &given, elapsed_ms, limit);
        let changed = match round.answers.get_mut(&player) {
            Some(previous) if previous.given == given => {
                return AnswerAck::Unchanged { given };
            }
            Some(previous) => {
                previous.given = given.clone();
                previous.at = now;
                previous.elapsed_ms = elapsed_ms;
                previous.changes += 1;
                previous.verdict = verdict;
                previous.points = points;
                true
            }
            None => {
                round.answers.insert(
                    player,
                    PlayerAnswer {
                        given: given.clone(),
                        first_at: now,
                        at: now,
                        elapsed_ms,
                        changes: 0,
                        verdict,
                        points,
                    },
                );
                false
            }
        };
        let answered = round.answers.len();
        let name = clean_name(name, player);
        self.names.insert(player, name.clone());
        AnswerAck::Recorded {
            record: AnswerRecord {
                index,
                player,
                name,
                given,
                elapsed_ms,
                at: now,
                changed,
                verdict,
                points,
            },
            answered,
        }
    }

    /// Move time on: countdown updates, the reveal when time is up, the next question when due.
    pub fn tick(&mut self, now: u64) -> Vec<QuizEvent> {
        let mut events = Vec::new();
        if self.paused_since.is_some() {
            return events;
        }
        // Several things may be due at once after a long gap; do them in order.
        for _ in 0..4 {
            match self.phase {
                Phase::Asking { index } => {
                    let Some(deadline) = self.round(index).map(|r| r.deadline) else {
                        break;
                    };
                    if now >= deadline {
                        events.extend(self.reveal(index, now));
                        continue;
                    }
                    let remaining = deadline - now;
                    let bucket = remaining.div_ceil(self.config.step_ms());
                    if self.last_countdown != Some(bucket) {
                        self.last_countdown = Some(bucket);
                        events.push(QuizEvent::Countdown {
                            index,
                            remaining_ms: remaining,
                            answered: self.answered(index),
                        });
                    }
                    break;
                }
                Phase::Revealed {
                    index,
                    next_at: Some(at),
                } if now >= at => events.extend(self.advance(index, now)),
                _ => break,
            }
        }
        events
    }

    /// The host moves on: reveal the open question now, or open the next one after a reveal.
    pub fn next(&mut self, now: u64) -> Result<Vec<QuizEvent>, ControlError> {
        if self.paused_since.is_some() {
            return Err(ControlError::Paused);
        }
        match self.phase {
            Phase::Ready => Err(ControlError::NotStarted),
            Phase::Finished { .. } => Err(ControlError::Finished),
            Phase::Asking { index } => Ok(self.reveal(index, now)),
            Phase::Revealed { index, .. } => Ok(self.advance(index, now)),
        }
    }

    pub fn pause(&mut self, now: u64) -> Result<Vec<QuizEvent>, ControlError> {
        match self.phase {
            Phase::Ready => Err(ControlError::NotStarted),
            Phase::Finished { .. } => Err(ControlError::Finished),
            _ if self.paused_since.is_some() => Err(ControlError::Paused),
            _ => {
                self.paused_since = Some(now);
                Ok(vec![QuizEvent::Paused])
            }
        }
    }

    pub fn resume(&mut self, now: u64) -> Result<Vec<QuizEvent>, ControlError> {
        if self.is_finished() {
            return Err(ControlError::Finished);
        }
        let Some(since) = self.paused_since.take() else {
            return Err(ControlError::NotPaused);
        };
        let paused = now.saturating_sub(since);
        match &mut self.phase {
            Phase::Asking { index } => {
                let index = *index;
                if let Some(round) = self.rounds.iter_mut().find(|r| r.index == index) {
                    round.deadline += paused;
                    round.paused_ms += paused;
                }
            }
            Phase::Revealed {
                next_at: Some(at), ..
            } => *at += paused,
            _ => {}
        }
        // Announce the time left again at once.
        self.last_countdown = None;
        let mut events = vec![QuizEvent::Resumed];
        events.extend(self.tick(now));
        Ok(events)
    }

    /// End the quiz now; an open question is revealed first, so its answers count.
    pub fn stop(&mut self, now: u64) -> Result<Vec<QuizEvent>, ControlError> {
        self.end(EndReason::Stopped, now)
    }

    /// Whether the quiz waits on someone (paused, or its host to go on) rather than on the clock.
    pub fn is_waiting(&self, now: u64) -> bool {
        !self.is_finished() && self.wake_at(now).is_none()
    }

    /// End a quiz that waited on someone longer than the idle limit, with the scores so far.
    pub fn stop_idle(&mut self, now: u64) -> Result<Vec<QuizEvent>, ControlError> {
        self.end(EndReason::Idle, now)
    }

    /// Close a quiz whose runner failed, with the scores so far.
    pub fn close_failed(&mut self, now: u64) -> Result<Vec<QuizEvent>, ControlError> {
        self.end(EndReason::Failed, now)
    }

    /// Close a quiz the bot could not finish (it stopped mid-quiz), with the scores so far.
    pub fn close_interrupted(&mut self, now: u64) -> Result<Vec<QuizEvent>, ControlError> {
        self.end(EndReason::Interrupted, now)
    }

    /// Go on after a restart: reveal the question that was open when the bot stopped (with the
    /// answers recorded before it stopped), then carry on as the mode says. Returns what to show.
    pub fn resume_after_restart(&mut self, now: u64) -> Vec<QuizEvent> {
        match self.phase {
            Phase::Ready => self.start(now).unwrap_or_default(),
            Phase::Asking { index } => {
                let paused = self.paused_since.take();
                let events = self.reveal(index, now);
                if paused.is_some() {
                    self.paused_since = Some(now);
                }
                events
            }
            Phase::Revealed { index, .. } => {
                let next_at = match self.config.mode {
                    Mode::Auto => Some(now + self.config.reveal_ms()),
                    Mode::Host => None,
                };
                self.phase = Phase::Revealed { index, next_at };
                Vec::new()
            }
            Phase::Finished { .. } => Vec::new(),
        }
    }

    fn end(&mut self, reason: EndReason, now: u64) -> Result<Vec<QuizEvent>, ControlError> {
        if self.is_finished() {
            return Err(ControlError::Finished);
        }
        self.paused_since = None;
        let mut events = Vec::new();
        if let Phase::Asking { index } = self.phase {
            events.extend(self.reveal(index, now));
        }
        events.extend(self.finish(reason, now));
        Ok(events)
    }

    fn open(&mut self, index: usize, now: u64) -> Vec<QuizEvent> {
        let deadline = now + self.config.limit_ms();
        self.rounds.push(Round {
            index,
            opened_at: now,
            deadline,
            paused_ms: 0,
            revealed_at: None,
            answers: BTreeMap::new(),
        });
        self.phase = Phase::Asking { index };
        self.last_countdown = Some(self.config.limit_ms().div_ceil(self.config.step_ms()));
        vec![QuizEvent::QuestionOpened { index }]
    }

    fn reveal(&mut self, index: usize, now: u64) -> Vec<QuizEvent> {
        if let Some(round) = self.rounds.iter_mut().find(|r| r.index == index) {
            round.revealed_at = Some(now);
        }
        let next_at = match self.config.mode {
            Mode::Auto => Some(now + self.config.reveal_ms()),
            Mode::Host => None,
        };
        self.phase = Phase::Revealed { index, next_at };
        vec![QuizEvent::Revealed { index }]
    }

    fn advance(&mut self, index: usize, now: u64) -> Vec<QuizEvent> {
        if index + 1 < self.questions.len() {
            self.open(index + 1, now)
        } else {
            self.finish(EndReason::Completed, now)
        }
    }

    fn finish(&mut self, reason: EndReason, now: u64) -> Vec<QuizEvent> {
        self.phase = Phase::Finished { reason, at: now };
        self.paused_since = None;
        vec![QuizEvent::Finished { reason }]
    }

    /// The standings over revealed questions, best first.
    pub fn standings(&self) -> Vec<Standing> {
        let mut by_player: BTreeMap<PlayerId, Standing> = BTreeMap::new();
        for round in self.rounds.iter().filter(|r| r.revealed_at.is_some()) {
            for (player, a) in &round.answers {
                let s = by_player.entry(*player).or_insert_with(|| Standing {
                    rank: 0,
                    player: *player,
                    name: self.names.get(player).cloned().unwrap_or_default(),
                    points: 0,
                    right: 0,
                    answered: 0,
                    time_ms: 0,
                    first_at: a.first_at,
                });
                s.points += a.points;
                s.answered += 1;
                s.first_at = s.first_at.min(a.first_at);
                if a.verdict == Verdict::Right {
                    s.right += 1;
                }
                if a.points > 0 {
                    s.time_ms += a.elapsed_ms;
                }
            }
        }
        rank(by_player.into_values().collect())
    }
}

/// Sort best first and give ranks: points, then less time, then the earlier first answer; players
/// equal on all three share a rank, and so do all who scored nothing (there is no tie to break).
pub fn rank(mut standings: Vec<Standing>) -> Vec<Standing> {
    let key = |s: &Standing| {
        let first = if s.points > 0 { s.first_at } else { 0 };
        (std::cmp::Reverse(s.points), s.time_ms, first)
    };
    standings.sort_by(|a, b| key(a).cmp(&key(b)).then(a.player.cmp(&b.player)));
    for i in 0..standings.len() {
        standings[i].rank = if i > 0 && key(&standings[i]) == key(&standings[i - 1]) {
            standings[i - 1].rank
        } else {
            i + 1
        };
    }
    standings
}

/// A display name without control characters, never empty.
fn clean_name(name: &str, player: PlayerId) -> String {
    let name = crate::text::clean_input(name);
    let name: String = name.chars().take(64).collect();
    if name.is_empty() {
        format!("#{player}")
    } else {
        name
    }
}
