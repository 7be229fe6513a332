//! One running quiz: its session, the store that records it, and the messages it posts and edits.
//!
//! The runner is transport-neutral: it posts through an [`Outbound`] (Discord's channel in
//! production, a recording in tests) and reads time from a [`Clock`], so its tests drive it step
//! by step on a manual clock. The loop ([`Runner::run`]) only waits for the next order or the
//! next moment something is due; every step ([`Runner::begin`], [`Runner::carry_out`],
//! [`Runner::tick`]) can be called on its own.
//!
//! The store is the one truth: a press changes the session only once its write succeeded, so
//! nothing is confirmed that is not stored, and a press that could not be stored can be made again.

use std::collections::BTreeMap;
use std::future::Future;
use std::sync::Arc;
use std::time::Duration;

use tokio::sync::{mpsc, oneshot};
use tracing::{error, info, warn};

use super::engine::{ControlError, JoinAck, NightRefusal, PlayerId, QuizEvent, QuizSession};
use super::i18n::{q, Q};
use super::judge::Given;
use super::night;
use super::persist::{self, NightWrite, QuizId, Store, StoreError, Write};
use super::render;
use crate::clock::Clock;
use crate::knowledge::KnowledgeBase;
use crate::reply::{Modal, Reply};

/// How long a quiz may wait on someone (paused, or for its host to go on) by default.
pub const DEFAULT_IDLE_MINUTES: u64 = 30;

/// Where a quiz's channel messages go. Each runner has its own, bound to its channel.
pub trait Outbound: Clone + Send + Sync + 'static {
    /// Post a message: its id, or `None` when it could not be posted (the implementation logs why).
    fn post(&self, reply: &Reply) -> impl Future<Output = Option<u64>> + Send;
    /// Edit message `message` in place: the id it now has (a re-posted message has a new one),
    /// or `None` when it could not be shown.
    fn edit(&self, message: u64, reply: &Reply) -> impl Future<Output = Option<u64>> + Send;
}

/// A host's command to a running quiz.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Control {
    Next,
    Pause,
    Resume,
    Stop,
}

/// What became of a press or a typed answer.
#[derive(Debug)]
pub enum Pressed {
    /// The answer to show the player; `recorded` when a new answer was stored.
    Ack { reply: Reply, recorded: bool },
    /// The answer could not be stored, so it was not taken: the player may press again.
    NotStored(StoreError),
}

/// What the adapter asks of a running quiz; each is answered on its `reply` channel.
#[derive(Debug)]
pub enum Order {
    Answer {
        player: PlayerId,
        name: String,
        index: usize,
        given: Given,
        reply: oneshot::Sender<Pressed>,
    },
    /// The text box for question `index`, if it takes typed answers.
    TextBox {
        index: usize,
        reply: oneshot::Sender<Option<Modal>>,
    },
    Control {
        control: Control,
        reply: oneshot::Sender<Result<(), ControlError>>,
    },
    Scores {
        reply: oneshot::Sender<Reply>,
    },
    /// A press of a team's Join button.
    Join {
        player: PlayerId,
        name: String,
        team: usize,
        reply: oneshot::Sender<Pressed>,
    },
    /// A press of the 💡 Hint button of question `index`.
    Hint {
        player: PlayerId,
        name: String,
        index: usize,
        reply: oneshot::Sender<Pressed>,
    },
    /// The host's `/quiz team name` (team 0-based).
    RenameTeam {
        team: usize,
        name: String,
        reply: oneshot::Sender<Pressed>,
    },
}

/// A running quiz.
pub struct Runner<O: Outbound> {
    id: QuizId,
    session: QuizSession,
    /// The channel message of each question.
    messages: BTreeMap<usize, u64>,
    store: Store,
    kb: Arc<KnowledgeBase>,
    out: O,
    clock: Arc<dyn Clock>,
    idle_ms: u64,
    /// When someone last moved the quiz (an order), or the clock did (a step that did something).
    active_at: u64,
    /// Progress the store did not take (it was down): written, in order, before the next write,
    /// so an answer never reaches the store before the question it answers.
    unrecorded: Vec<Write>,
    /// The lobby's message, edited as teams fill (a quiz night with teams).
    lobby_message: Option<u64>,
}

impl<O: Outbound> Runner<O> {
    #[allow(clippy::too_many_arguments)]
    pub fn new(
        id: QuizId,
        session: QuizSession,
        messages: BTreeMap<usize, u64>,
        store: Store,
        kb: Arc<KnowledgeBase>,
        out: O,
        clock: Arc<dyn Clock>,
        idle: Duration,
    ) -> Runner<O> {
        let active_at = clock.now_ms();
        Runner {
            id,
            session,
            messages,
            store,
            kb,
            out,
            clock,
            idle_ms: idle.as_millis() as u64,
            active_at,
            unrecorded: Vec::new(),
            lobby_message: None,
        }
    }

    pub fn id(&self) -> QuizId {
        self.id
    }

    pub fn session(&self) -> &QuizSession {
        &self.session
    }

    pub fn store(&self) -> &Store {
        &self.store
    }

    pub fn outbound(&self) -> &O {
        &self.out
    }

    pub fn clock(&self) -> Arc<dyn Clock> {
        self.clock.clone()
    }

    fn now(&self) -> u64 {
        self.clock.now_ms()
    }

    /// Open the first question (`start`), or show what a recovery decided (`first`).
    pub async fn begin(&mut self, start: bool, first: Vec<QuizEvent>) {
        if start {
            let events = self.session.start(self.now()).unwrap_or_default();
            self.handle(events).await;
        } else {
            self.show(first).await;
        }
    }

    /// When the next step is due: the engine's next moment, or, while the quiz waits on someone,
    /// the end of its idle time. `None` once it is finished.
    pub fn wake_at(&self) -> Option<u64> {
        let now = self.now();
        if self.session.is_finished() {
            None
        } else if self.session.is_waiting(now) {
            Some(self.active_at.saturating_add(self.idle_ms))
        } else {
            self.session.wake_at(now)
        }
    }

    /// Do what is due now: move the countdown, reveal, open the next question, or stop a quiz
    /// that waited on someone longer than the idle time.
    pub async fn tick(&mut self) {
        let now = self.now();
        let events = if self.session.is_waiting(now) {
            if now < self.active_at.saturating_add(self.idle_ms) {
                return;
            }
            info!(
                idle_ms = self.idle_ms,
                "the quiz waited too long; stopping it"
            );
            self.session.stop_idle(now).unwrap_or_default()
        } else {
            self.session.tick(now)
        };
        if !events.is_empty() {
            self.active_at = now;
        }
        self.handle(events).await;
    }

    /// Play the quiz until it finishes or the desk goes: sleep until something is due or an order
    /// arrives, whichever is first.
    pub async fn run(mut self, mut orders: mpsc::UnboundedReceiver<Order>) {
        while !self.session.is_finished() {
            let order = match self.wake_at() {
                Some(at) => {
                    let wait = Duration::from_millis(at.saturating_sub(self.now()));
                    tokio::select! {
                        order = orders.recv() => order,
                        _ = tokio::time::sleep(wait) => {
                            self.tick().await;
                            continue;
                        }
                    }
                }
                None => orders.recv().await,
            };
            let Some(order) = order else {
                // The desk is gone (the bot is stopping): the store has everything.
                return;
            };
            self.carry_out(order).await;
        }
        // The end (and what came before it) may still wait for a store that was down: keep
        // trying a while, so the channel is freed and the scores are final without a restart.
        for _ in 0..30 {
            if self.unrecorded.is_empty() {
                break;
            }
            tokio::time::sleep(Duration::from_secs(2)).await;
            if let Err(e) = self.write(Vec::new()).await {
                warn!(error = %e, "recording the finished quiz failed; trying again");
            }
        }
    }

    /// Carry out one order and answer it.
    pub async fn carry_out(&mut self, order: Order) {
        let now = self.now();
        self.active_at = now;
        match order {
            Order::Answer {
                player,
                name,
                index,
                given,
                reply,
            } => {
                let _ = reply.send(self.answer(player, &name, index, given, now).await);
            }
            Order::TextBox { index, reply } => {
                let _ = reply.send(render::answer_modal(&self.session, self.id, index));
            }
            Order::Scores { reply } => {
                let _ = reply.send(render::standings_message(&self.session).ephemeral());
            }
            Order::Join {
                player,
                name,
                team,
                reply,
            } => {
                let _ = reply.send(self.join(player, &name, team, now).await);
            }
            Order::Hint {
                player,
                name,
                index,
                reply,
            } => {
                let _ = reply.send(self.hint(player, &name, index, now).await);
            }
            Order::RenameTeam { team, name, reply } => {
                let _ = reply.send(self.rename(team, &name).await);
            }
            Order::Control { control, reply } => {
                let result = match control {
                    Control::Next => self.session.next(now),
                    Control::Pause => self.session.pause(now),
                    Control::Resume => self.session.resume(now),
                    Control::Stop => self.session.stop(now),
                };
                match result {
                    Ok(events) => {
                        // Recorded before the host hears back, shown after.
                        self.record(&events, now).await;
                        let _ = reply.send(Ok(()));
                        self.show(events).await;
                    }
                    Err(e) => {
                        let _ = reply.send(Err(e));
                    }
                }
            }
        }
    }

    /// Take an answer only once the store has it: on a failed write the session is as before.
    async fn answer(
        &mut self,
        player: PlayerId,
        name: &str,
        index: usize,
        given: Given,
        now: u64,
    ) -> Pressed {
        let before = self.session.clone();
        let ack = self.session.answer(player, name, index, given, now);
        let recorded = match persist::answer_write(&ack) {
            Some(write) => match self.write(vec![write]).await {
                Ok(()) => true,
                Err(e) => {
                    self.session = before;
                    return Pressed::NotStored(e);
                }
            },
            None => false,
        };
        Pressed::Ack {
            reply: render::press_ack(&self.session, &ack),
            recorded,
        }
    }

    /// A player joins a team (or moves to it): stored before it is confirmed, then the lobby
    /// shows them.
    async fn join(&mut self, player: PlayerId, name: &str, team: usize, now: u64) -> Pressed {
        let before = self.session.clone();
        let ack = match self.session.join(player, name, team, now) {
            Ok(ack) => ack,
            Err(why) => return refused(&self.session, why),
        };
        let recorded = matches!(ack, JoinAck::Joined { .. });
        if recorded {
            let write = Write::Night(NightWrite::Joined {
                player,
                name: self.session.player_name(player).unwrap_or(name).to_string(),
                team,
                at: now,
            });
            if let Err(e) = self.store.apply(self.id, vec![write]).await {
                self.session = before;
                return Pressed::NotStored(e);
            }
            self.refresh_lobby().await;
        }
        Pressed::Ack {
            reply: night::render::join_ack(&self.session, &ack),
            recorded,
        }
    }

    /// A hint for one player, stored before it is shown (it costs them points).
    async fn hint(&mut self, player: PlayerId, name: &str, index: usize, now: u64) -> Pressed {
        let before = self.session.clone();
        let ack = match self.session.take_hint(player, name, index) {
            Ok(ack) => ack,
            Err(why) => return refused(&self.session, why),
        };
        if ack.new {
            let write = Write::Night(NightWrite::Hint {
                index,
                player,
                at: now,
            });
            if let Err(e) = self.store.apply(self.id, vec![write]).await {
                self.session = before;
                return Pressed::NotStored(e);
            }
        }
        Pressed::Ack {
            reply: night::render::hint_reply(&self.session, &ack),
            recorded: ack.new,
        }
    }

    async fn rename(&mut self, team: usize, name: &str) -> Pressed {
        let before = self.session.clone();
        let name = match self.session.rename_team(team, name) {
            Ok(name) => name,
            Err(why) => return refused(&self.session, why),
        };
        let write = Write::Night(NightWrite::TeamNamed {
            team,
            name: name.clone(),
        });
        if let Err(e) = self.store.apply(self.id, vec![write]).await {
            self.session = before;
            return Pressed::NotStored(e);
        }
        self.refresh_lobby().await;
        Pressed::Ack {
            reply: night::render::renamed(self.session.config().locale, team, &name),
            recorded: true,
        }
    }

    /// Show the lobby's teams as they are now.
    async fn refresh_lobby(&mut self) {
        let Some(message) = self.lobby_message else {
            return;
        };
        let reply = night::render::lobby_message(&self.session, self.id, self.now());
        if let Some(now_id) = self.out.edit(message, &reply).await {
            self.lobby_message = Some(now_id);
        }
    }

    /// Record what the engine did, then show it.
    async fn handle(&mut self, events: Vec<QuizEvent>) {
        self.record(&events, self.now()).await;
        self.show(events).await;
    }

    async fn record(&mut self, events: &[QuizEvent], now: u64) {
        let writes = persist::writes(&self.session, events, now);
        if let Err(e) = self.write(writes.clone()).await {
            error!(error = %e, "recording the quiz's progress failed; it is written again with the next write");
            self.unrecorded.extend(writes);
        }
    }

    /// Store what was not stored yet and then `writes`, all or none; on success nothing is left
    /// waiting. On failure the caller decides whether `writes` wait too (progress does; a press
    /// is made again by its player).
    async fn write(&mut self, writes: Vec<Write>) -> Result<(), StoreError> {
        let mut all = self.unrecorded.clone();
        all.extend(writes);
        self.store.apply(self.id, all).await?;
        self.unrecorded.clear();
        Ok(())
    }

    /// Turn events into channel messages: post a question, edit it as time runs and at the
    /// reveal, post the end.
    pub async fn show(&mut self, events: Vec<QuizEvent>) {
        let locale = self.session.config().locale;
        for event in events {
            match event {
                QuizEvent::LobbyOpened => {
                    let reply = night::render::lobby_message(&self.session, self.id, self.now());
                    self.lobby_message = self.out.post(&reply).await;
                }
                QuizEvent::IntermissionBegan { round } => {
                    let reply = night::render::intermission_message(&self.session, self.id, round);
                    self.out.post(&reply).await;
                }
                QuizEvent::QuestionOpened { index } => {
                    if index == 0 {
                        // The lobby is over: its Start button goes, its Join buttons stay.
                        self.refresh_lobby().await;
                    }
                    let reply = render::question_message(&self.session, self.id, index, self.now());
                    if let Some(message_id) = self.out.post(&reply).await {
                        self.remember(index, message_id).await;
                    }
                }
                QuizEvent::Countdown { index, .. } => {
                    let reply = render::question_message(&self.session, self.id, index, self.now());
                    self.edit(index, &reply).await;
                }
                QuizEvent::Revealed { index } => {
                    let reply =
                        render::reveal_message(&self.session, self.id, index, Some(&self.kb));
                    self.edit(index, &reply).await;
                }
                QuizEvent::Paused | QuizEvent::Resumed => {
                    let paused = matches!(event, QuizEvent::Paused);
                    if let Some(index) = self.session.open_question() {
                        let reply =
                            render::question_message(&self.session, self.id, index, self.now());
                        self.edit(index, &reply).await;
                    }
                    let text = q(
                        locale,
                        if paused {
                            Q::PausedNotice
                        } else {
                            Q::ResumedNotice
                        },
                    );
                    self.out.post(&render::notice(text, false)).await;
                }
                QuizEvent::Finished { reason } => {
                    info!(reason = reason.as_str(), "quiz finished");
                    self.out
                        .post(&render::final_message(&self.session, reason))
                        .await;
                    for recap in render::recap_messages(&self.session) {
                        self.out.post(&recap).await;
                    }
                }
            }
        }
    }

    /// Post a message that belongs to no question (a recovery's notice).
    pub async fn post(&self, reply: &Reply) -> Option<u64> {
        self.out.post(reply).await
    }

    /// Edit question `index`'s message (nothing when its message is unknown); a message that
    /// had to be posted again is remembered under its new id.
    async fn edit(&mut self, index: usize, reply: &Reply) {
        let Some(message_id) = self.messages.get(&index).copied().filter(|m| *m != 0) else {
            return;
        };
        if let Some(now_id) = self.out.edit(message_id, reply).await {
            if now_id != message_id {
                self.remember(index, now_id).await;
            }
        }
    }

    async fn remember(&mut self, index: usize, message_id: u64) {
        self.messages.insert(index, message_id);
        let write = Write::QuestionMessage { index, message_id };
        if let Err(e) = self.write(vec![write.clone()]).await {
            warn!(error = %e, "recording the question's message failed; it is written again with the next write");
            self.unrecorded.push(write);
        }
    }
}

fn refused(session: &QuizSession, why: NightRefusal) -> Pressed {
    Pressed::Ack {
        reply: night::render::refusal(session.config().locale, why),
        recorded: false,
    }
}

/// A runner failed (it panicked): close its quiz in the store with the scores so far, so the
/// channel is free, and tell the channel in one calm line with the standings. The answers stored
/// before the failure stay.
pub async fn close_failed<O: Outbound>(store: &Store, out: &O, quiz: QuizId, now: u64) {
    let stored = match store.load_quiz(quiz).await {
        Ok(Some(stored)) => stored,
        Ok(None) => return,
        Err(e) => {
            error!(error = %e, quiz, "reading the failed quiz; it stays open until a restart");
            return;
        }
    };
    let mut session = stored.session();
    if session.is_finished() {
        return;
    }
    let events = session.close_failed(now).unwrap_or_default();
    let writes = persist::writes(&session, &events, now);
    if let Err(e) = store.apply(quiz, writes).await {
        error!(error = %e, quiz, "closing the failed quiz; it stays open until a restart");
    }
    for event in events {
        if let QuizEvent::Finished { reason } = event {
            out.post(&render::final_message(&session, reason)).await;
        }
    }
}
