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
//! - A quiz night (`night`, rules in `quiz::night`) adds a lobby before the first question (with
//!   teams) and an intermission between rounds; each ends on the host's `next` or at its time.
//!   An answer given after the player's hint scores half.
//!
//! This file holds [`QuizSession`]; `config` has the setup ([`QuizConfig`], [`Mode`]), `events`
//! what a session reports, `answer` the answer types, and `standings` the ranking.

use std::collections::BTreeMap;

mod answer;
mod config;
mod events;
mod night;
mod standings;

use super::judge::{score, Given};
use super::night::NightState;
use crate::knowledge::question::Question;
pub use answer::{AnswerAck, AnswerRecord, PlayerAnswer, Round};
pub use config::{
    ConfigError, Mode, QuizConfig, MAX_QUESTIONS, MAX_SECONDS, MAX_TYPED, MIN_QUESTIONS,
    MIN_SECONDS,
};
pub use events::{ControlError, EndReason, Phase, QuizEvent};
pub use night::{HintAck, JoinAck, NightRefusal};
pub use standings::{rank, Standing};

/// A player, by their Discord user id (any stable number offline).
pub type PlayerId = u64;

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
    /// Teams, hints and breaks of a quiz night (empty for a plain quiz).
    night: NightState,
}

impl QuizSession {
    /// A quiz ready to start. The questions are the quiz: the config's count is only what was
    /// asked for.
    pub fn new(config: QuizConfig, questions: Vec<Question>) -> QuizSession {
        QuizSession {
            night: NightState::new(&config.night),
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
            night: NightState::new(&config.night),
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
            Phase::Lobby { until } => Some(until.max(now)),
            Phase::Intermission { next_at, .. } => Some(next_at.max(now)),
            Phase::Ready | Phase::Finished { .. } => None,
        }
    }

    /// Open the first question.
    pub fn start(&mut self, now: u64) -> Result<Vec<QuizEvent>, ControlError> {
        match self.phase {
            Phase::Ready if self.questions.is_empty() => Ok(self.finish(EndReason::Completed, now)),
            Phase::Ready if self.config.night.has_teams() => Ok(self.open_lobby(now)),
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
            Phase::Ready | Phase::Lobby { .. } => return AnswerAck::NotStarted,
            Phase::Finished { .. } => return AnswerAck::Finished,
            Phase::Asking { index } => index,
            Phase::Revealed { .. } | Phase::Intermission { .. } => return AnswerAck::Closed,
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
        let (verdict, mut points) = score(question, &given, elapsed_ms, limit);
        if self.night.took_hint(index, player) {
            // The hint's price: half the points of an answer given after it.
            points /= 2;
        }
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
                Phase::Lobby { until } if now >= until => events.extend(self.open(0, now)),
                Phase::Intermission { round, next_at } if now >= next_at => {
                    events.extend(self.end_intermission(round, now))
                }
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
            Phase::Lobby { .. } => Ok(self.open(0, now)),
            Phase::Intermission { round, .. } => Ok(self.end_intermission(round, now)),
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
            }
            | Phase::Lobby { until: at }
            | Phase::Intermission { next_at: at, .. } => *at += paused,
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
            // A lobby or an intermission goes on as it was (who joined is stored), shown again
            // so the channel sees where the evening stands.
            Phase::Lobby { .. } => vec![QuizEvent::LobbyOpened],
            Phase::Intermission { round, .. } => vec![QuizEvent::IntermissionBegan { round }],
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
        if index + 1 < self.questions.len() && self.config.night.starts_round(index + 1) {
            self.open_intermission(index, now)
        } else if index + 1 < self.questions.len() {
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
        self.standings_over(0..self.questions.len())
    }
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
