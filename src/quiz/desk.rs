//! The running quizzes of this process, one per channel at most, and the task of each.
//!
//! A quiz is registered before its runner starts (so a press that arrives first finds it) and
//! leaves the registry when its runner ends, however it ends: a runner that panics is caught,
//! its quiz closed in the store with the scores so far, the channel told, and the channel freed.

use std::collections::HashMap;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex, MutexGuard};

use tokio::sync::mpsc;
use tokio::task::JoinHandle;
use tracing::{error, info, Instrument};

use super::engine::QuizEvent;
use super::persist::QuizId;
use super::runner::{self, Order, Outbound, Runner};

/// A registered quiz: where its orders go.
struct Entry {
    channel: u64,
    orders: mpsc::UnboundedSender<Order>,
    /// Which registration of this quiz (a runner removes only its own entry when it ends).
    generation: u64,
}

/// The registration of one quiz, handed to the runner that plays it.
pub struct Ticket {
    quiz: QuizId,
    orders: mpsc::UnboundedReceiver<Order>,
    generation: u64,
}

/// Called with the number of running quizzes whenever it changes (metrics).
pub type OnCount = Arc<dyn Fn(usize) + Send + Sync>;

/// The quizzes running in this process.
#[derive(Clone, Default)]
pub struct Desk {
    runners: Arc<Mutex<HashMap<QuizId, Entry>>>,
    generations: Arc<AtomicU64>,
    on_count: Option<OnCount>,
}

impl Desk {
    pub fn new() -> Desk {
        Desk::default()
    }

    /// Report the number of running quizzes to `on_count` whenever it changes.
    pub fn counting(mut self, on_count: OnCount) -> Desk {
        self.on_count = Some(on_count);
        self
    }

    fn runners(&self) -> MutexGuard<'_, HashMap<QuizId, Entry>> {
        self.runners.lock().unwrap_or_else(|e| e.into_inner())
    }

    fn count(&self, running: usize) {
        if let Some(on_count) = &self.on_count {
            on_count(running);
        }
    }

    /// Register a quiz in a channel; its orders queue until its runner starts.
    pub fn register(&self, quiz: QuizId, channel: u64) -> Ticket {
        let (tx, rx) = mpsc::unbounded_channel();
        let generation = self.generations.fetch_add(1, Ordering::Relaxed);
        let running = {
            let mut runners = self.runners();
            runners.insert(
                quiz,
                Entry {
                    channel,
                    orders: tx,
                    generation,
                },
            );
            runners.len()
        };
        self.count(running);
        Ticket {
            quiz,
            orders: rx,
            generation,
        }
    }

    /// Where to send orders for a quiz, while it runs.
    pub fn for_quiz(&self, quiz: QuizId) -> Option<mpsc::UnboundedSender<Order>> {
        self.runners().get(&quiz).map(|r| r.orders.clone())
    }

    /// Where to send orders for the quiz running in a channel, if any.
    pub fn for_channel(&self, channel: u64) -> Option<mpsc::UnboundedSender<Order>> {
        self.runners()
            .values()
            .find(|r| r.channel == channel)
            .map(|r| r.orders.clone())
    }

    pub fn is_running(&self, quiz: QuizId) -> bool {
        self.runners().contains_key(&quiz)
    }

    /// How many quizzes run now.
    pub fn running(&self) -> usize {
        self.runners().len()
    }

    /// Play a registered quiz on its own task: `start` opens its first question, otherwise
    /// `first` is what a recovery decided to show. When the runner ends, by finishing or by
    /// failing, the channel is freed; a panic also closes the quiz and tells the channel.
    pub fn spawn<O: Outbound>(
        &self,
        mut runner: Runner<O>,
        ticket: Ticket,
        start: bool,
        first: Vec<QuizEvent>,
    ) -> JoinHandle<()> {
        let desk = self.clone();
        let (store, out, clock) = (
            runner.store().clone(),
            runner.outbound().clone(),
            runner.clock(),
        );
        let Ticket {
            quiz,
            orders,
            generation,
        } = ticket;
        let span = tracing::Span::current();
        tokio::spawn(
            async move {
                let play = tokio::spawn(
                    async move {
                        runner.begin(start, first).await;
                        runner.run(orders).await;
                    }
                    .instrument(tracing::Span::current()),
                );
                if let Err(e) = play.await {
                    if e.is_panic() {
                        error!(quiz, "the quiz runner panicked; closing the quiz");
                        runner::close_failed(&store, &out, quiz, clock.now_ms()).await;
                    }
                }
                let running = {
                    let mut runners = desk.runners();
                    if runners
                        .get(&quiz)
                        .is_some_and(|r| r.generation == generation)
                    {
                        runners.remove(&quiz);
                    }
                    runners.len()
                };
                desk.count(running);
                info!("quiz runner ended");
            }
            .instrument(span),
        )
    }
}
