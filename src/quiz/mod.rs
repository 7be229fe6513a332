//! Quiz nights: questions from the knowledge base and hand-written ones, a pure engine that plays
//! them with the clock passed in, and the messages that show them.
//!
//! The pieces and their boundaries:
//! - [`questions`] generates questions from the base with a seed; the hand-written ones
//!   (`knowledge/quiz/*.toml`) are knowledge (`knowledge::authored`), and both are
//!   `knowledge::question::Question`s; [`judge`] scores a given answer.
//! - [`engine`] is the state machine: `start`, `answer`, `tick`, `next`, `pause`, `resume`, `stop`,
//!   each returning what happened. It never sleeps nor does I/O.
//! - [`render`] turns a session into replies (question, press confirmation, reveal, standings,
//!   podium, recap, leaderboard); [`action`] is the buttons' custom_ids.
//! - [`recovery`] decides what becomes of a quiz the bot was running when it stopped.
//! - [`terminal`] plays and previews a quiz in a terminal (`clio quiz`), with the same engine.
//!
//! Persistence is the `store` module's; the Discord adapter wires the three together:
//!
//! ```text
//! /quiz start   can_host(..) → store.open_quiz_in_channel → recent_question_keys
//!               → prepare(kb, config, &recent) → store.create_quiz → post render::announcement
//!               → session.start(now) → handle(events)
//! every wake    sleep until session.wake_at(now) (or a command) → session.tick(now) → handle(events)
//! handle        store.apply(id, store::writes(&session, &events, now)), then per event:
//!               QuestionOpened → post render::question_message, store Write::QuestionMessage
//!               Countdown      → edit that message with render::question_message
//!               Revealed       → edit it with render::reveal_message
//!               Finished       → post render::final_message and render::recap_messages
//! button q:a    session.answer(user, name, question, Given::Choice(option), now)
//!               → store.apply(id, store::answer_write(&ack)) → ephemeral render::press_ack
//! button q:t    render::answer_modal(..).callback_body(); the modal (q:m) submits Given::Text
//! button q:n    (host) session.next(now) → handle;  q:o → render::entry_card (ephemeral)
//! /quiz next|pause|resume|stop   session.next|pause|resume|stop(now) → handle
//! /quiz scores  render::standings_message;  /leaderboard  store.leaderboard → render::leaderboard_message
//! start-up      store.unfinished_quizzes → recovery::recover each → apply its writes, post its
//!               messages, keep the resumed sessions running
//! ```

pub mod action;
pub mod daily;
pub mod desk;
pub mod engine;
pub mod i18n;
pub mod judge;
pub mod night;
pub mod persist;
pub mod questions;
pub mod recovery;
pub mod render;
pub mod runner;
pub mod terminal;
pub mod topic;

use std::collections::HashSet;

pub use crate::knowledge::authored::AuthoredQuestion;
pub use crate::knowledge::question::{Answer, AnswerOption, Meaning, Question, QuestionKind};
pub use action::QuizAction;
pub use engine::{
    AnswerAck, AnswerRecord, ConfigError, ControlError, EndReason, HintAck, JoinAck, Mode,
    NightRefusal, Phase, PlayerAnswer, PlayerId, QuizConfig, QuizEvent, QuizSession, Round,
    Standing,
};
pub use judge::{Given, Verdict};
pub use night::{Hint, NightConfig, NightState, TeamStanding};
pub use topic::Scope;

use crate::i18n::Locale;
use crate::knowledge::KnowledgeBase;

/// Why a quiz could not be prepared, worded for the host.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PrepareError {
    Config(ConfigError),
    Topic(topic::TopicError),
    NoQuestions,
}

impl PrepareError {
    pub fn message(&self, locale: Locale) -> String {
        match self {
            PrepareError::Config(e) => e.message(locale),
            PrepareError::Topic(e) => e.message(locale),
            PrepareError::NoQuestions => i18n::q(locale, i18n::Q::NoQuestions).to_string(),
        }
    }
}

/// A quiz ready to start: its questions drawn for the config's topic and seed, avoiding the keys
/// of recently asked questions while others remain. Also returns the topic as resolved, for the
/// announcement. A night of several rounds draws `questions` per round, each on its round's topic
/// and never repeating a question of an earlier round; teams get their names here.
pub fn prepare(
    kb: &KnowledgeBase,
    mut config: QuizConfig,
    recent: &HashSet<String>,
) -> Result<(QuizSession, Option<String>), PrepareError> {
    config.validate().map_err(PrepareError::Config)?;
    let mut avoid = recent.clone();
    let mut questions = Vec::new();
    let mut round_starts = Vec::new();
    let mut label = None;
    for round in 0..config.night.rounds.max(1) {
        let topic = config
            .night
            .topic_of(round)
            .map(str::to_string)
            .or_else(|| config.topic.clone());
        let scope = match &topic {
            Some(t) => Scope::resolve(kb, t, config.locale).map_err(PrepareError::Topic)?,
            None => Scope::all(),
        };
        if round == 0 {
            label = scope.label.clone();
        }
        let used: HashSet<String> = questions.iter().map(|q: &Question| q.key.clone()).collect();
        // `avoid` is only a preference; a question of an earlier round is never asked again, so
        // draw enough to leave `questions` once those are taken out.
        let drawn: Vec<Question> = questions::generate(
            kb,
            &questions::Request {
                count: config.questions + used.len(),
                // The first round draws exactly as a plain quiz with this seed would.
                seed: config.seed.wrapping_add(round as u64),
                scope: &scope,
                avoid: &avoid,
            },
        )
        .into_iter()
        .filter(|q| !used.contains(&q.key))
        .take(config.questions)
        .collect();
        if drawn.is_empty() {
            return Err(PrepareError::NoQuestions);
        }
        if round > 0 {
            round_starts.push(questions.len());
        }
        avoid.extend(drawn.iter().map(|q| q.key.clone()));
        questions.extend(drawn);
    }
    config.night.round_starts = round_starts;
    if config.night.has_teams() && config.night.team_names.len() < config.night.teams {
        config.night.team_names =
            night::team_names(kb, config.night.teams, config.seed, config.locale);
    }
    Ok((QuizSession::new(config, questions), label))
}
