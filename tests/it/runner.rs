//! The quiz runner in-process: a manual clock (no sleeps, no wall clock), a recording outbound in
//! place of Discord's channel, and a real SQLite store. Each step is driven by the test, so every
//! run is the same.

use std::collections::BTreeMap;
use std::path::PathBuf;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use clio::clock::{Clock, ManualClock};
use clio::knowledge::{KnowledgeBase, Text};
use clio::quiz::desk::Desk;
use clio::quiz::i18n::{q, Q};
use clio::quiz::persist::{
    LeaderRow, NewQuiz, QuizId, QuizStore, Store, StoreError, StoredQuiz, Write,
};
use clio::quiz::runner::{Control, Order, Outbound, Pressed, Runner};
use clio::quiz::{
    Answer, AnswerOption, EndReason, Given, Meaning, Mode, Question, QuestionKind, QuizConfig,
    QuizSession,
};
use clio::reply::Reply;
use clio::store::SqliteStore;
use tokio::sync::oneshot;

const T0: u64 = 1_700_000_000_000;
const CHANNEL: u64 = 555;
const IDLE: Duration = Duration::from_secs(30 * 60);

/// What the runner posted and edited, in order; it may be told to panic on the n-th post.
#[derive(Clone, Default)]
struct Recording {
    posts: Arc<Mutex<Vec<Reply>>>,
    edits: Arc<Mutex<Vec<(u64, Reply)>>>,
    panic_on_post: Option<usize>,
}

impl Recording {
    fn posts(&self) -> Vec<Reply> {
        self.posts.lock().unwrap().clone()
    }

    fn said(&self, text: &str) -> bool {
        self.posts()
            .iter()
            .any(|r| serde_json::to_string(r).unwrap().contains(text))
    }
}

impl Outbound for Recording {
    async fn post(&self, reply: &Reply) -> Option<u64> {
        let n = {
            let mut posts = self.posts.lock().unwrap();
            posts.push(reply.clone());
            posts.len()
        };
        if self.panic_on_post == Some(n) {
            panic!("the outbound failed on post {n}, as this test asked");
        }
        Some(1_000 + n as u64)
    }

    async fn edit(&self, message: u64, reply: &Reply) -> Option<u64> {
        self.edits.lock().unwrap().push((message, reply.clone()));
        Some(message)
    }
}

/// The SQLite store, but answers fail while `failing` is set (a locked database, a full disk).
struct Flaky {
    inner: SqliteStore,
    failing: AtomicBool,
}

impl QuizStore for Flaky {
    fn create_quiz(&self, quiz: &NewQuiz) -> Result<QuizId, StoreError> {
        self.inner.create_quiz(quiz)
    }
    fn apply(&self, quiz: QuizId, writes: &[Write]) -> Result<(), StoreError> {
        let answers = writes.iter().any(|w| matches!(w, Write::Answer(_)));
        if answers && self.failing.load(Ordering::SeqCst) {
            return Err(StoreError::Database("database is locked".into()));
        }
        self.inner.apply(quiz, writes)
    }
    fn load_quiz(&self, quiz: QuizId) -> Result<Option<StoredQuiz>, StoreError> {
        self.inner.load_quiz(quiz)
    }
    fn unfinished_quizzes(&self) -> Result<Vec<StoredQuiz>, StoreError> {
        self.inner.unfinished_quizzes()
    }
    fn open_quiz_in_channel(&self, channel: u64) -> Result<Option<QuizId>, StoreError> {
        self.inner.open_quiz_in_channel(channel)
    }
    fn leaderboard(
        &self,
        guild: u64,
        since: Option<u64>,
        limit: usize,
    ) -> Result<Vec<LeaderRow>, StoreError> {
        self.inner.leaderboard(guild, since, limit)
    }
    fn recent_question_keys(
        &self,
        guild: u64,
        quizzes: usize,
    ) -> Result<std::collections::HashSet<String>, StoreError> {
        self.inner.recent_question_keys(guild, quizzes)
    }
}

fn scratch(name: &str) -> PathBuf {
    let dir = PathBuf::from(env!("CARGO_TARGET_TMPDIR"))
        .join(format!("runner-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    dir
}

fn question(key: &str) -> Question {
    Question {
        key: key.into(),
        kind: QuestionKind::HandChoice,
        prompt: Text::en(format!("{key}?")),
        answer: Answer::Choice {
            options: (0..3)
                .map(|i| AnswerOption {
                    text: Text::en(format!("Option {i}")),
                    meaning: Meaning::Words,
                })
                .collect(),
            correct: 1,
        },
        explanation: Text::en("Because."),
        source: None,
        entry: None,
    }
}

/// A quiz of `n` questions, recorded in `store`, with a runner on `clock` posting to `out`.
async fn quiz(
    store: &Store,
    mode: Mode,
    n: usize,
    clock: &ManualClock,
    out: Recording,
) -> (QuizId, Runner<Recording>) {
    let config = QuizConfig {
        questions: n,
        seconds: 20,
        mode,
        seed: 1,
        ..Default::default()
    };
    let questions: Vec<Question> = (0..n).map(|i| question(&format!("q{i}"))).collect();
    let id = store
        .create_quiz(NewQuiz {
            guild: 1,
            channel: CHANNEL,
            host: 99,
            config: config.clone(),
            questions: questions.clone(),
            started_at: clock.now_ms(),
        })
        .await
        .unwrap();
    let kb = Arc::new(KnowledgeBase::new(Vec::new()));
    let runner = Runner::new(
        id,
        QuizSession::new(config, questions),
        BTreeMap::new(),
        store.clone(),
        kb,
        out,
        Arc::new(clock.clone()),
        IDLE,
    );
    (id, runner)
}

async fn press(
    runner: &mut Runner<Recording>,
    player: u64,
    index: usize,
    option: usize,
) -> Pressed {
    let (reply, answer) = oneshot::channel();
    runner
        .carry_out(Order::Answer {
            player,
            name: format!("player {player}"),
            index,
            given: Given::Choice(option),
            reply,
        })
        .await;
    answer.await.unwrap()
}

async fn control(runner: &mut Runner<Recording>, control: Control) {
    let (reply, answer) = oneshot::channel();
    runner.carry_out(Order::Control { control, reply }).await;
    answer.await.unwrap().unwrap();
}

fn sqlite(name: &str) -> (Store, Arc<SqliteStore>) {
    let backend = Arc::new(SqliteStore::open(&scratch(name)).unwrap());
    (Store::new(backend.clone()), backend)
}

#[tokio::test]
async fn a_timed_quiz_runs_to_its_end_on_the_manual_clock() {
    let (store, _) = sqlite("timed");
    let clock = ManualClock::at(T0);
    let out = Recording::default();
    let (id, mut runner) = quiz(&store, Mode::Auto, 3, &clock, out.clone()).await;
    runner.begin(true, Vec::new()).await;
    assert!(matches!(
        press(&mut runner, 7, 0, 1).await,
        Pressed::Ack { recorded: true, .. }
    ));
    // Jump from one due moment to the next: no sleeping, the same steps every run.
    let mut steps = 0;
    while let Some(at) = runner.wake_at() {
        assert!(at >= clock.now_ms(), "a step due in the past");
        clock.set(at);
        runner.tick().await;
        steps += 1;
        assert!(steps < 1_000, "the quiz never ended");
    }
    assert!(runner.session().is_finished());
    // Three questions posted, the final standings and the recap after them.
    assert!(out.posts().len() >= 4, "{} posts", out.posts().len());
    assert!(out.said(q(clio::i18n::Locale::En, Q::Completed)));
    let stored = store.load_quiz(id).await.unwrap().unwrap();
    assert_eq!(stored.ended.map(|e| e.0), Some(EndReason::Completed));
    assert_eq!(stored.rounds[0].answers.len(), 1);
}

#[tokio::test]
async fn a_quiz_paused_longer_than_the_idle_limit_stops_with_the_scores_so_far() {
    let (store, _) = sqlite("paused-idle");
    let clock = ManualClock::at(T0);
    let out = Recording::default();
    let (id, mut runner) = quiz(&store, Mode::Auto, 3, &clock, out.clone()).await;
    runner.begin(true, Vec::new()).await;
    press(&mut runner, 7, 0, 1).await;
    clock.advance(Duration::from_secs(2));
    control(&mut runner, Control::Pause).await;
    let paused_at = clock.now_ms();
    assert_eq!(runner.wake_at(), Some(paused_at + IDLE.as_millis() as u64));
    clock.advance(IDLE - Duration::from_millis(1));
    runner.tick().await;
    assert!(
        !runner.session().is_finished(),
        "stopped before the idle limit"
    );
    clock.advance(Duration::from_millis(1));
    runner.tick().await;
    assert!(runner.session().is_finished());
    assert!(out.said(q(clio::i18n::Locale::En, Q::Idle)));
    let stored = store.load_quiz(id).await.unwrap().unwrap();
    assert_eq!(stored.ended.map(|e| e.0), Some(EndReason::Idle));
    assert_eq!(stored.rounds[0].answers.len(), 1, "the answer given stays");
    assert_eq!(store.open_quiz_in_channel(CHANNEL).await.unwrap(), None);
}

#[tokio::test]
async fn a_host_mode_quiz_whose_host_went_home_stops_after_the_idle_limit() {
    let (store, _) = sqlite("host-idle");
    let clock = ManualClock::at(T0);
    let out = Recording::default();
    let (id, mut runner) = quiz(&store, Mode::Host, 3, &clock, out.clone()).await;
    runner.begin(true, Vec::new()).await;
    // The question's time runs out and it is revealed; then the quiz waits for `/quiz next`.
    while !runner.session().is_waiting(clock.now_ms()) {
        let at = runner.wake_at().expect("a timed step");
        clock.set(at);
        runner.tick().await;
    }
    let waiting_since = clock.now_ms();
    clock.set(waiting_since + IDLE.as_millis() as u64);
    runner.tick().await;
    assert!(runner.session().is_finished());
    assert_eq!(
        store
            .load_quiz(id)
            .await
            .unwrap()
            .unwrap()
            .ended
            .map(|e| e.0),
        Some(EndReason::Idle)
    );
}

#[tokio::test]
async fn a_press_the_store_cannot_take_is_not_confirmed_and_can_be_made_again() {
    let dir = scratch("flaky");
    let flaky = Arc::new(Flaky {
        inner: SqliteStore::open(&dir).unwrap(),
        failing: AtomicBool::new(true),
    });
    let store = Store::new(flaky.clone());
    let clock = ManualClock::at(T0);
    let (id, mut runner) = quiz(&store, Mode::Host, 2, &clock, Recording::default()).await;
    runner.begin(true, Vec::new()).await;
    assert!(matches!(
        press(&mut runner, 7, 0, 1).await,
        Pressed::NotStored(_)
    ));
    assert_eq!(
        runner.session().answered(0),
        0,
        "an unstored answer was taken"
    );
    flaky.failing.store(false, Ordering::SeqCst);
    // Not "that is already your answer": the store never had it.
    assert!(matches!(
        press(&mut runner, 7, 0, 1).await,
        Pressed::Ack { recorded: true, .. }
    ));
    let stored = store.load_quiz(id).await.unwrap().unwrap();
    assert_eq!(stored.rounds[0].answers.len(), 1);
}

#[tokio::test]
async fn a_runner_panic_frees_the_channel_tells_it_and_keeps_the_answers() {
    let (store, _) = sqlite("panic");
    let clock = ManualClock::at(T0);
    // Post 1 is the first question; post 2 (the second question) panics.
    let out = Recording {
        panic_on_post: Some(2),
        ..Default::default()
    };
    let (id, runner) = quiz(&store, Mode::Host, 3, &clock, out.clone()).await;
    let desk = Desk::new();
    let ticket = desk.register(id, CHANNEL);
    let task = desk.spawn(runner, ticket, true, Vec::new());
    let orders = desk.for_channel(CHANNEL).expect("registered");
    let (reply, answer) = oneshot::channel();
    orders
        .send(Order::Answer {
            player: 7,
            name: "Ada".into(),
            index: 0,
            given: Given::Choice(1),
            reply,
        })
        .unwrap();
    assert!(matches!(
        answer.await.unwrap(),
        Pressed::Ack { recorded: true, .. }
    ));
    // Reveal, then open the next question: its post panics.
    for _ in 0..2 {
        let (reply, answer) = oneshot::channel();
        if orders
            .send(Order::Control {
                control: Control::Next,
                reply,
            })
            .is_err()
        {
            break;
        }
        let _ = answer.await;
    }
    task.await.expect("the desk's task survives its runner");
    assert!(
        desk.for_channel(CHANNEL).is_none(),
        "the channel is still taken"
    );
    assert_eq!(desk.running(), 0);
    assert_eq!(store.open_quiz_in_channel(CHANNEL).await.unwrap(), None);
    assert!(
        out.said(q(clio::i18n::Locale::En, Q::Failed)),
        "the channel was not told"
    );
    let stored = store.load_quiz(id).await.unwrap().unwrap();
    assert_eq!(stored.ended.map(|e| e.0), Some(EndReason::Failed));
    assert_eq!(
        stored.rounds[0].answers.len(),
        1,
        "the stored answer is gone"
    );
    // A new quiz can start in the channel.
    let ticket = desk.register(id + 1, CHANNEL);
    drop(ticket);
    assert!(desk.for_channel(CHANNEL).is_some());
}
