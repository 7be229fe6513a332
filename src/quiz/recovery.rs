//! What to do with a quiz the bot was running when it stopped (a crash, a restart, a deploy).
//!
//! Nothing recorded is lost either way: the answers are in the store. A quiz interrupted only
//! briefly goes on (the question that was open is closed with the answers it had); one that has
//! waited too long for players to still be there is closed with the scores so far. Either way the
//! channel is told, in the messages returned here.

use super::engine::{EndReason, QuizEvent, QuizSession};
use super::i18n;
use super::persist::{self, StoredQuiz, Write};
use super::render;
use crate::answers::Reply;

/// A quiz interrupted for less than this goes on; a longer one is closed.
pub const RESUME_WITHIN_MS: u64 = 10 * 60 * 1000;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Decision {
    Resumed,
    Closed,
}

/// The decision for one interrupted quiz, with everything the adapter needs to carry it out.
#[derive(Debug)]
pub struct Recovery {
    pub decision: Decision,
    /// The session to keep running (resumed) or the finished one (closed).
    pub session: QuizSession,
    /// What the engine did, for the adapter to show (e.g. the reveal of the open question).
    pub events: Vec<QuizEvent>,
    /// To record before anything is posted.
    pub writes: Vec<Write>,
    /// To post in the quiz's channel, in order: the notice, then (when closed) the standings and
    /// the recap.
    pub messages: Vec<Reply>,
}

/// Decide and carry out, in the session, what becomes of an unfinished quiz.
pub fn recover(stored: &StoredQuiz, now: u64, resume_within_ms: u64) -> Recovery {
    let mut session = stored.session();
    let locale = session.config().locale;
    let stale = now.saturating_sub(stored.updated_at) > resume_within_ms;
    if stale {
        let events = session.close_interrupted(now).unwrap_or_default();
        let writes = persist::writes(&session, &events, now);
        let mut messages = vec![render::final_message(&session, EndReason::Interrupted)];
        messages.extend(render::recap_messages(&session));
        return Recovery {
            decision: Decision::Closed,
            session,
            events,
            writes,
            messages,
        };
    }
    let events = session.resume_after_restart(now);
    let writes = persist::writes(&session, &events, now);
    let closed = events.iter().find_map(|e| match e {
        QuizEvent::Revealed { index } => Some(*index),
        _ => None,
    });
    let text = match closed {
        Some(index) => i18n::restarted_resumed(locale, index + 1),
        None => i18n::restarted_continues(locale).to_string(),
    };
    let mut messages = vec![render::notice(text, false)];
    if session.is_paused() {
        // It was paused when the bot stopped, and stays paused until the host resumes it.
        messages.push(render::notice(
            i18n::q(locale, i18n::Q::PausedNotice),
            false,
        ));
    }
    Recovery {
        decision: Decision::Resumed,
        session,
        events,
        writes,
        messages,
    }
}
