//! What a quiz keeps: every quiz, question asked and answer given is written as it happens, so a
//! bot that stops mid-quiz loses nothing it recorded, and the leaderboard is computed from the
//! stored answers.
//!
//! The quiz owns this contract; the backends (`crate::store`: SQLite) implement [`QuizStore`]. Its
//! calls block, so async code goes through [`Store`], which runs each one on tokio's blocking pool
//! and never stalls the runtime.
//!
//! What the store writes is data too: [`writes`] turns the engine's events into [`Write`]s, so the
//! adapter's job is only `store.apply(quiz, writes(..))`.

use std::collections::{BTreeMap, HashSet};
use std::fmt;
use std::sync::Arc;

use super::{
    AnswerAck, AnswerRecord, EndReason, NightState, Phase, PlayerId, Question, QuizConfig,
    QuizEvent, QuizSession, Round,
};

/// A quiz's number in the store; it also appears in the quiz's button ids.
pub type QuizId = u64;

#[derive(Debug)]
pub enum StoreError {
    Database(String),
    Io(String),
    /// Stored JSON that this version cannot read.
    Corrupt(String),
    /// A quiz is already running in this channel.
    ChannelBusy,
    /// The blocking task did not finish (the runtime is shutting down).
    Task(String),
}

impl fmt::Display for StoreError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            StoreError::Database(e) => write!(f, "quiz database: {e}"),
            StoreError::Io(e) => write!(f, "quiz data directory: {e}"),
            StoreError::Corrupt(e) => write!(f, "stored quiz cannot be read: {e}"),
            StoreError::ChannelBusy => f.write_str("a quiz is already running in this channel"),
            StoreError::Task(e) => write!(f, "quiz store task: {e}"),
        }
    }
}

impl std::error::Error for StoreError {}

/// A quiz about to start.
#[derive(Debug, Clone)]
pub struct NewQuiz {
    pub guild: u64,
    pub channel: u64,
    pub host: u64,
    pub config: QuizConfig,
    pub questions: Vec<Question>,
    pub started_at: u64,
}

/// One change to a quiz's record.
#[derive(Debug, Clone, PartialEq)]
pub enum Write {
    QuestionOpened {
        index: usize,
        key: String,
        kind: String,
        opened_at: u64,
        deadline: u64,
    },
    /// A press: a first answer or a change (the change supersedes the earlier answer).
    Answer(AnswerRecord),
    Revealed {
        index: usize,
        at: u64,
    },
    Paused {
        at: u64,
    },
    Resumed {
        at: u64,
    },
    Finished {
        reason: EndReason,
        at: u64,
    },
    /// The channel message that shows question `index`.
    QuestionMessage {
        index: usize,
        message_id: u64,
    },
    /// A quiz night's teams, hints and breaks.
    Night(NightWrite),
}

/// A break in a quiz night: the lobby before the first question, or an intermission.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BreakKind {
    Lobby,
    Intermission,
}

impl BreakKind {
    pub fn as_str(self) -> &'static str {
        match self {
            BreakKind::Lobby => "lobby",
            BreakKind::Intermission => "intermission",
        }
    }
}

/// One change to a quiz night's record.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum NightWrite {
    /// A break began (or, after a pause, ends at a new time): written again, it replaces.
    Break {
        kind: BreakKind,
        round: usize,
        began_at: u64,
        ends_at: u64,
    },
    Joined {
        player: PlayerId,
        name: String,
        team: usize,
        at: u64,
    },
    TeamNamed {
        team: usize,
        name: String,
    },
    Hint {
        index: usize,
        player: PlayerId,
        at: u64,
    },
}

/// The write that records the break the session is in, if it is in one.
fn break_write(session: &QuizSession) -> Option<Write> {
    let night = session.night();
    let (kind, round, (began_at, ends_at)) = match session.phase() {
        Phase::Lobby { .. } => (BreakKind::Lobby, 0, night.lobby?),
        Phase::Intermission { round, .. } => (
            BreakKind::Intermission,
            round,
            *night.intermissions.get(&round)?,
        ),
        _ => return None,
    };
    let ends_at = match session.phase() {
        Phase::Lobby { until } => until.max(ends_at),
        Phase::Intermission { next_at, .. } => next_at.max(ends_at),
        _ => ends_at,
    };
    Some(Write::Night(NightWrite::Break {
        kind,
        round,
        began_at,
        ends_at,
    }))
}

/// The writes that record what the engine just did.
pub fn writes(session: &QuizSession, events: &[QuizEvent], now: u64) -> Vec<Write> {
    events
        .iter()
        .filter_map(|event| match event {
            QuizEvent::QuestionOpened { index } => {
                let round = session.round(*index)?;
                let question = session.question(*index)?;
                Some(Write::QuestionOpened {
                    index: *index,
                    key: question.key.clone(),
                    kind: question.kind.as_str().to_string(),
                    opened_at: round.opened_at,
                    deadline: round.deadline,
                })
            }
            QuizEvent::Revealed { index } => Some(Write::Revealed {
                index: *index,
                at: session.round(*index)?.revealed_at.unwrap_or(now),
            }),
            QuizEvent::Paused => Some(Write::Paused { at: now }),
            QuizEvent::Resumed => Some(Write::Resumed { at: now }),
            QuizEvent::LobbyOpened | QuizEvent::IntermissionBegan { .. } => break_write(session),
            QuizEvent::Finished { reason } => Some(Write::Finished {
                reason: *reason,
                at: now,
            }),
            QuizEvent::Countdown { .. } => None,
        })
        // A resume moves the end of the break it paused: record the new end too.
        .chain(
            events
                .iter()
                .any(|e| matches!(e, QuizEvent::Resumed))
                .then(|| break_write(session))
                .flatten(),
        )
        .collect()
}

/// The write that records a press, when the press recorded anything.
pub fn answer_write(ack: &AnswerAck) -> Option<Write> {
    match ack {
        AnswerAck::Recorded { record, .. } => Some(Write::Answer(record.clone())),
        _ => None,
    }
}

/// A quiz as stored: enough to rebuild its session after a restart.
#[derive(Debug, Clone)]
pub struct StoredQuiz {
    pub id: QuizId,
    pub guild: u64,
    pub channel: u64,
    pub host: u64,
    pub config: QuizConfig,
    pub questions: Vec<Question>,
    pub paused_at: Option<u64>,
    pub ended: Option<(EndReason, u64)>,
    pub started_at: u64,
    /// The last time anything was written: how long ago the bot stopped.
    pub updated_at: u64,
    pub rounds: Vec<Round>,
    pub names: BTreeMap<PlayerId, String>,
    /// The channel message of each question, where known.
    pub messages: BTreeMap<usize, u64>,
    /// A quiz night's teams, hints and breaks.
    pub night: NightState,
}

impl StoredQuiz {
    /// The session as it stood at the last write.
    pub fn session(&self) -> QuizSession {
        QuizSession::restore(
            self.config.clone(),
            self.questions.clone(),
            self.rounds.clone(),
            self.names.clone(),
            self.paused_at,
            self.ended,
        )
        .with_night(self.night.clone())
    }
}

/// One player's line in the server's leaderboard.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LeaderRow {
    pub player: PlayerId,
    /// The name the player last answered under.
    pub name: String,
    pub points: u32,
    /// Questions answered (the answer that counts, one per question).
    pub answers: u32,
    pub right: u32,
    pub quizzes: u32,
}

/// What any backend must do. Calls block; use [`Store`] from async code.
pub trait QuizStore: Send + Sync {
    /// Record a new quiz; fails with [`StoreError::ChannelBusy`] when its channel has one open.
    fn create_quiz(&self, quiz: &NewQuiz) -> Result<QuizId, StoreError>;
    /// Apply writes to a quiz, all or none.
    fn apply(&self, quiz: QuizId, writes: &[Write]) -> Result<(), StoreError>;
    fn load_quiz(&self, quiz: QuizId) -> Result<Option<StoredQuiz>, StoreError>;
    /// Quizzes that never finished: the ones a restart must resume or close.
    fn unfinished_quizzes(&self) -> Result<Vec<StoredQuiz>, StoreError>;
    /// The quiz open in a channel, if any.
    fn open_quiz_in_channel(&self, channel: u64) -> Result<Option<QuizId>, StoreError>;
    /// The guild's standings over answers given since `since` (all time when `None`), best first.
    fn leaderboard(
        &self,
        guild: u64,
        since: Option<u64>,
        limit: usize,
    ) -> Result<Vec<LeaderRow>, StoreError>;
    /// Keys of the questions asked in the guild's last `quizzes` quizzes.
    fn recent_question_keys(
        &self,
        guild: u64,
        quizzes: usize,
    ) -> Result<HashSet<String>, StoreError>;
}

/// The store for async code: each call runs on the blocking pool.
#[derive(Clone)]
pub struct Store {
    backend: Arc<dyn QuizStore>,
}

impl Store {
    pub fn new(backend: Arc<dyn QuizStore>) -> Store {
        Store { backend }
    }

    /// The backend itself, for code that is already off the async runtime.
    pub fn blocking(&self) -> &dyn QuizStore {
        &*self.backend
    }

    /// Run a store call on the blocking pool.
    pub async fn call<T, F>(&self, f: F) -> Result<T, StoreError>
    where
        T: Send + 'static,
        F: FnOnce(&dyn QuizStore) -> Result<T, StoreError> + Send + 'static,
    {
        let backend = self.backend.clone();
        tokio::task::spawn_blocking(move || f(&*backend))
            .await
            .map_err(|e| StoreError::Task(e.to_string()))?
    }

    pub async fn create_quiz(&self, quiz: NewQuiz) -> Result<QuizId, StoreError> {
        self.call(move |s| s.create_quiz(&quiz)).await
    }

    pub async fn apply(&self, quiz: QuizId, writes: Vec<Write>) -> Result<(), StoreError> {
        if writes.is_empty() {
            return Ok(());
        }
        self.call(move |s| s.apply(quiz, &writes)).await
    }

    pub async fn load_quiz(&self, quiz: QuizId) -> Result<Option<StoredQuiz>, StoreError> {
        self.call(move |s| s.load_quiz(quiz)).await
    }

    pub async fn unfinished_quizzes(&self) -> Result<Vec<StoredQuiz>, StoreError> {
        self.call(|s| s.unfinished_quizzes()).await
    }

    pub async fn open_quiz_in_channel(&self, channel: u64) -> Result<Option<QuizId>, StoreError> {
        self.call(move |s| s.open_quiz_in_channel(channel)).await
    }

    pub async fn leaderboard(
        &self,
        guild: u64,
        since: Option<u64>,
        limit: usize,
    ) -> Result<Vec<LeaderRow>, StoreError> {
        self.call(move |s| s.leaderboard(guild, since, limit)).await
    }

    pub async fn recent_question_keys(
        &self,
        guild: u64,
        quizzes: usize,
    ) -> Result<HashSet<String>, StoreError> {
        self.call(move |s| s.recent_question_keys(guild, quizzes))
            .await
    }
}
