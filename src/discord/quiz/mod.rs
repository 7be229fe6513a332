//! Quiz nights on Discord: `/quiz`, `/leaderboard`, the quiz's buttons and its text box.
//!
//! The engine (`crate::quiz`) is pure and the store (`crate::store`) records; this module owns the
//! time and the wire. Each running quiz is one tokio task, a *runner*, that alone holds its
//! [`QuizSession`]: it sleeps until `session.wake_at(now)` or until an [`Order`] arrives on its
//! channel, and turns what the engine did into store writes and channel messages. Interactions
//! never touch a session themselves; they send the runner an order with a oneshot for the
//! answer, so there is no lock to hold across an `.await`, and everything a quiz does happens in
//! one order.
//!
//! Two rules shape the code:
//! - What the engine did is written to the store before anyone is told: a press is stored before
//!   its ephemeral confirmation is sent, so a crash never loses an answer a player saw accepted.
//! - A quiz night outlasts the 15-minute interaction token, so question messages, their countdown
//!   edits, reveals and standings are channel messages sent with the bot's own token (raw
//!   `POST`/`PATCH /channels/{id}/messages`, bodies from [`payload::message_data`]). Only the
//!   answers to interactions (confirmations, refusals, the modal) go through the callback.
//!
//! At start-up [`QuizDesk::recover`] gives every quiz the bot was running when it stopped to
//! `quiz::recovery`: it is resumed (a runner again) or closed with the scores so far, and the
//! channel is told which.

use std::collections::BTreeMap;
use std::sync::Arc;
use std::time::Duration;

use serde_json::{json, Value};
use serenity::http::Http;
use tokio::sync::{mpsc, oneshot};
use tracing::{error, info, info_span, warn, Instrument};

mod incoming;
mod night;
mod said;
mod schedule;

pub use said::Said;
use said::{deferred, done_line, ephemeral, internal, not_in_dm};

pub use incoming::{start_config, Asker, QuizAsked, QuizInteraction};

use crate::answers::Response;
use crate::clock::{Clock, SystemClock};
use crate::discord::interactions::ErrorId;
use crate::discord::outbound::ChannelOutbound;
use crate::discord::payload;
use crate::discord::rest::Rest;
use crate::i18n::Locale;
use crate::knowledge::KnowledgeBase;
use crate::ops::Outcome;
use crate::quiz::desk::{Desk, Ticket};
use crate::quiz::i18n::{q, Q};
use crate::quiz::recovery::{self, RESUME_WITHIN_MS};
use crate::quiz::render;
use crate::quiz::runner::{self, Control, Order, Pressed, Runner};
use crate::quiz::{self, Given, QuizAction, QuizEvent, QuizSession};
use crate::store::{NewQuiz, QuizId, Settings, Store, StoreError, StoredQuiz};

/// The commands this module answers.
pub const QUIZ_COMMAND: &str = "quiz";
pub const LEADERBOARD_COMMAND: &str = "leaderboard";

/// An answer not ready this long after the interaction arrived is deferred (Discord allows 3 s).
const DEFER_AFTER: Duration = Duration::from_millis(2_000);

/// How many of the guild's last quizzes' questions a new quiz avoids repeating.
const AVOID_RECENT_QUIZZES: usize = 5;
/// Callback type 6: the button press is acknowledged and its message left as it is (the runner
/// edits it through the channel).
use payload::DEFERRED_UPDATE_MESSAGE;

pub use crate::clock::wall_ms as now_ms;

/// The quizmaster role a server has configured (`/settings quizmaster`), if any. Without
/// settings (or when they cannot be read, which is logged) only Manage Server hosts.
async fn quizmaster_role(settings: Option<&Settings>, guild: u64) -> Option<u64> {
    match settings?.quizmaster_role(guild).await {
        Ok(role) => role,
        Err(e) => {
            warn!(error = %e, guild, "reading the quizmaster role; only Manage Server hosts");
            None
        }
    }
}

/// The quizzes of this bot: the store and the running quizzes' runners.
pub struct QuizDesk {
    store: Store,
    settings: Option<Settings>,
    /// The servers' seasons, for `/leaderboard` and `/admin season start`.
    nights: Option<Arc<dyn crate::quiz::night::seasons::NightStore>>,
    /// The servers' daily questions, for `/leaderboard period:streaks`.
    daily_questions: Option<Arc<dyn crate::quiz::daily::DailyQuestionStore>>,
    /// Where quizzes running and answers recorded are counted, when the ops listener is wired.
    ops: Option<Arc<crate::ops::OpsState>>,
    desk: Desk,
    rest: Rest,
    clock: Arc<dyn Clock>,
    /// How long a quiz may wait on someone before it is stopped (`quiz.idle_minutes`).
    idle: Duration,
    /// When this process began: quizzes started before it are the ones a restart recovers,
    /// the rest are this process's own (recovery may run while `/quiz start` does).
    boot_ms: u64,
    shards: super::shards::Shards, // This process's: a restart recovers their servers' quizzes.
}

impl QuizDesk {
    pub fn new(store: Store) -> QuizDesk {
        let clock: Arc<dyn Clock> = Arc::new(SystemClock);
        QuizDesk {
            store,
            settings: None,
            nights: None,
            daily_questions: None,
            ops: None,
            desk: Desk::new(),
            rest: Rest::new(),
            boot_ms: clock.now_ms(),
            clock,
            idle: Duration::from_secs(runner::DEFAULT_IDLE_MINUTES * 60),
            shards: super::shards::Shards::ALL_IN_ONE,
        }
    }

    pub fn with_shards(self, shards: super::shards::Shards) -> QuizDesk {
        QuizDesk { shards, ..self }
    }

    /// Send through this client (the one serenity uses).
    pub fn with_rest(mut self, rest: Rest) -> QuizDesk {
        self.rest = rest;
        self
    }

    /// Read each server's quizmaster role from its settings.
    pub fn with_settings(mut self, settings: Settings) -> QuizDesk {
        self.settings = Some(settings);
        self
    }

    /// Keep and read the servers' seasons here.
    pub fn with_nights(mut self, nights: Arc<dyn crate::quiz::night::seasons::NightStore>) -> Self {
        self.nights = Some(nights);
        self
    }

    /// Stop a quiz that waited on someone (paused, or for its host) longer than `idle`.
    pub fn with_idle(mut self, idle: Duration) -> QuizDesk {
        self.idle = idle;
        self
    }

    /// Count quizzes running and answers recorded in these metrics.
    pub fn with_ops(mut self, ops: Arc<crate::ops::OpsState>) -> QuizDesk {
        let metrics = ops.clone();
        self.desk = self.desk.counting(Arc::new(move |running| {
            metrics
                .metrics
                .quizzes_running
                .store(running as u64, std::sync::atomic::Ordering::Relaxed);
        }));
        self.ops = Some(ops);
        self
    }

    pub fn store(&self) -> &Store {
        &self.store
    }

    fn now_ms(&self) -> u64 {
        self.clock.now_ms()
    }

    fn sender_for_quiz(&self, quiz: QuizId) -> Option<mpsc::UnboundedSender<Order>> {
        self.desk.for_quiz(quiz)
    }

    fn sender_for_channel(&self, channel: u64) -> Option<mpsc::UnboundedSender<Order>> {
        self.desk.for_channel(channel)
    }

    /// How many quizzes are running now.
    pub fn running(&self) -> usize {
        self.desk.running()
    }

    fn runner(
        &self,
        http: &Arc<Http>,
        kb: Arc<KnowledgeBase>,
        quiz: QuizId,
        channel: u64,
        session: QuizSession,
        messages: BTreeMap<usize, u64>,
    ) -> Runner<ChannelOutbound> {
        Runner::new(
            quiz,
            session,
            messages,
            self.store.clone(),
            kb,
            ChannelOutbound::new(http.clone(), self.rest.clone(), channel),
            self.clock.clone(),
            self.idle,
        )
    }

    /// Answer a quiz interaction and send the answer, in the interaction's own span.
    pub async fn answer(
        &self,
        http: &Arc<Http>,
        kb: Arc<KnowledgeBase>,
        interaction: QuizInteraction,
        received: std::time::Instant,
    ) -> Outcome {
        let span = info_span!(
            "interaction",
            id = %interaction.id,
            command = %interaction.label(),
            guild = interaction.asker.guild,
            locale = interaction.asker.locale.code(),
        );
        async {
            let started = std::time::Instant::now();
            let (said, after, sent) = {
                let body = self.body(http, &kb, &interaction);
                tokio::pin!(body);
                let deadline = tokio::time::Instant::from_std(received + DEFER_AFTER);
                match tokio::time::timeout_at(deadline, &mut body).await {
                    Ok((said, after)) => {
                        let sent = self
                            .rest
                            .callback(
                                http,
                                interaction.id,
                                &interaction.token,
                                &said.body,
                                received,
                            )
                            .await;
                        (said, after, sent)
                    }
                    Err(_) => {
                        // The store is slow (a locked or busy database): Discord would fail the
                        // interaction after 3 seconds, so say "thinking…" privately now, and answer
                        // once the answer is stored (or not).
                        let first = self
                            .rest
                            .callback(
                                http,
                                interaction.id,
                                &interaction.token,
                                &deferred(),
                                received,
                            )
                            .await;
                        let (said, after) = body.await;
                        let sent = match first {
                            Ok(()) => self.follow_up(http, &interaction.token, &said.body).await,
                            Err(e) => Err(e),
                        };
                        (said, after, sent)
                    }
                }
            };
            let outcome = match sent {
                Ok(()) => {
                    info!(
                        callback = said.body["type"].as_u64().unwrap_or(0),
                        latency_us = started.elapsed().as_micros() as u64,
                        "answered"
                    );
                    said.outcome
                }
                Err(e) => {
                    let id = ErrorId::new();
                    error!(error_id = %id, error = %e, "sending the answer to Discord failed");
                    Outcome::Failed
                }
            };
            // Only once the interaction is answered: the quiz's first message follows the
            // announcement.
            if let Some(start) = after {
                self.spawn_runner(http, kb, start, Vec::new());
            }
            outcome
        }
        .instrument(span)
        .await
    }

    /// Finish a deferred interaction: its answer replaces the "thinking…" message (or the
    /// message is removed when the answer is a silent acknowledgement).
    async fn follow_up(
        &self,
        http: &Http,
        token: &str,
        body: &Value,
    ) -> Result<(), crate::discord::rest::RestError> {
        use serenity::http::{LightMethod, Route};
        let Some(application_id) = http.application_id() else {
            return Err(crate::discord::rest::RestError::Transport(
                "no application id yet".into(),
            ));
        };
        let route = Route::WebhookOriginalInteractionResponse {
            application_id,
            token,
        };
        match body.get("data") {
            Some(data) if body["type"] == payload::CHANNEL_MESSAGE_WITH_SOURCE => {
                let mut data = data.clone();
                if let Some(fields) = data.as_object_mut() {
                    // The message is private already; an edit cannot set flags.
                    fields.remove("flags");
                }
                self.rest
                    .call(http, route, LightMethod::Patch, Some(&data), None)
                    .await
                    .map(|_| ())
            }
            _ => self
                .rest
                .call(http, route, LightMethod::Delete, None, None)
                .await
                .map(|_| ()),
        }
    }

    /// The callback body, and a quiz to start once it is sent.
    async fn body(
        &self,
        http: &Arc<Http>,
        kb: &KnowledgeBase,
        i: &QuizInteraction,
    ) -> (Said, Option<Started>) {
        let locale = i.asker.locale;
        match &i.asked {
            QuizAsked::Topic { partial } => (
                Said::answered(payload::autocomplete_body(&quiz::topic::suggest_topics(
                    kb, partial, locale,
                ))),
                None,
            ),
            QuizAsked::Leaderboard { period } => (self.leaderboard(&i.asker, period).await, None),
            QuizAsked::Quiz { sub, options } if sub == "start" => {
                match self.prepare_start(kb, &i.asker, options).await {
                    Ok((body, started)) => (body, Some(started)),
                    Err(body) => (body, None),
                }
            }
            QuizAsked::Quiz { sub, options } => {
                let control = match sub.as_str() {
                    "team" => return (self.rename_team(&i.asker, options).await, None),
                    "season-start" => return (self.start_season(&i.asker, options).await, None),
                    s if s.starts_with("schedule") => {
                        return (self.schedule(http, s, &i.asker, options).await, None)
                    }
                    "next" => Control::Next,
                    "pause" => Control::Pause,
                    "resume" => Control::Resume,
                    "stop" => Control::Stop,
                    "scores" => return (self.scores(&i.asker).await, None),
                    other => {
                        return (
                            ephemeral(match locale {
                                Locale::En => format!("`/quiz {other}` is not a quiz command."),
                                Locale::Pl => format!("`/quiz {other}` to nie polecenie quizu."),
                            }),
                            None,
                        )
                    }
                };
                let orders = self.sender_for_channel(i.asker.channel);
                (self.control(&i.asker, orders, control, false).await, None)
            }
            QuizAsked::Press(QuizAction::Entry { id }) => (
                Said::answered(payload::callback_body(&render::entry_card(
                    kb,
                    id,
                    locale,
                    &crate::answers::Ctx::at(&crate::clock::SystemClock),
                ))),
                None,
            ),
            QuizAsked::Press(QuizAction::Next { quiz }) => {
                let orders = self.sender_for_quiz(*quiz);
                (
                    self.control(&i.asker, orders, Control::Next, true).await,
                    None,
                )
            }
            QuizAsked::Press(QuizAction::Answer {
                quiz,
                question,
                option,
            }) => (
                self.submit_answer(*quiz, *question, Given::Choice(*option), &i.asker)
                    .await,
                None,
            ),
            QuizAsked::Press(a @ (QuizAction::Join { .. } | QuizAction::Hint { .. })) => {
                (self.night_press(a, &i.asker).await, None)
            }
            QuizAsked::Press(QuizAction::OpenTextBox { quiz, question }) => {
                (self.text_box(*quiz, *question, locale).await, None)
            }
            QuizAsked::Typed {
                action: QuizAction::TypedAnswer { quiz, question },
                text,
            } => (
                self.submit_answer(*quiz, *question, Given::Text(text.clone()), &i.asker)
                    .await,
                None,
            ),
            QuizAsked::Press(QuizAction::TypedAnswer { .. }) | QuizAsked::Typed { .. } => {
                (ephemeral(q(locale, Q::AckInvalid).to_string()), None)
            }
        }
    }

    /// `/quiz start`: check who asks and where, draw the questions, record the quiz. The body is
    /// the announcement; the runner starts once it is sent.
    async fn prepare_start(
        &self,
        kb: &KnowledgeBase,
        asker: &Asker,
        options: &[(String, String)],
    ) -> Result<(Said, Started), Said> {
        let locale = asker.locale;
        let Some(guild) = asker.guild else {
            return Err(ephemeral(not_in_dm(locale)));
        };
        let quizmaster = quizmaster_role(self.settings.as_ref(), guild).await;
        if !crate::discord::permissions::can_host(asker.permissions, &asker.roles, quizmaster) {
            return Err(ephemeral(q(locale, Q::NotHost).to_string()));
        }
        // Nothing starts that could not be seen: Clio must be able to post here.
        let missing = crate::discord::permissions::missing_to_post(asker.app_permissions);
        if !missing.is_empty() {
            return Err(ephemeral(crate::discord::permissions::missing_message(
                &missing, locale,
            )));
        }
        if self.sender_for_channel(asker.channel).is_some() {
            return Err(ephemeral(q(locale, Q::AlreadyRunning).to_string()));
        }
        match self.store.open_quiz_in_channel(asker.channel).await {
            Ok(None) => {}
            Ok(Some(_)) => return Err(ephemeral(q(locale, Q::AlreadyRunning).to_string())),
            Err(e) => return Err(internal(locale, "looking for a quiz in the channel", &e)),
        }
        let now = self.now_ms();
        let seed = crate::answers::splitmix64(&mut (now ^ asker.channel.rotate_left(17)));
        let config = start_config(options, locale, seed).map_err(ephemeral)?;
        let recent = match self
            .store
            .recent_question_keys(guild, AVOID_RECENT_QUIZZES)
            .await
        {
            Ok(keys) => keys,
            Err(e) => {
                warn!(error = %e, "reading recent questions; the quiz may repeat some");
                Default::default()
            }
        };
        let (session, topic) =
            quiz::prepare(kb, config, &recent).map_err(|e| ephemeral(e.message(locale)))?;
        let new = NewQuiz {
            guild,
            channel: asker.channel,
            host: asker.user,
            config: session.config().clone(), // as prepared: rounds and team names
            questions: session.questions().to_vec(),
            started_at: now,
        };
        let id = match self.store.create_quiz(new).await {
            Ok(id) => id,
            Err(StoreError::ChannelBusy) => {
                return Err(ephemeral(q(locale, Q::AlreadyRunning).to_string()))
            }
            Err(e) => return Err(internal(locale, "recording the new quiz", &e)),
        };
        info!(
            quiz = id,
            questions = session.questions().len(),
            seconds = session.config().seconds,
            mode = session.config().mode.as_str(),
            "quiz created"
        );
        let body = Said::answered(payload::callback_body(&Response::Message(
            render::announcement(&session, topic.as_deref()),
        )));
        // Registered now, so a press that arrives before the task runs finds it.
        let ticket = self.desk.register(id, asker.channel);
        Ok((
            body,
            Started {
                id,
                channel: asker.channel,
                session,
                messages: BTreeMap::new(),
                ticket,
                start: true,
            },
        ))
    }

    fn spawn_runner(
        &self,
        http: &Arc<Http>,
        kb: Arc<KnowledgeBase>,
        started: Started,
        first: Vec<QuizEvent>,
    ) {
        let span = info_span!("quiz", quiz = started.id, channel = started.channel);
        let _enter = span.enter();
        let runner = self.runner(
            http,
            kb,
            started.id,
            started.channel,
            started.session,
            started.messages,
        );
        self.desk
            .spawn(runner, started.ticket, started.start, first);
    }

    /// A press or typed answer, through the quiz's runner.
    async fn submit_answer(&self, quiz: QuizId, index: usize, given: Given, asker: &Asker) -> Said {
        let Some(orders) = self.sender_for_quiz(quiz) else {
            return ephemeral(q(asker.locale, Q::AckFinished).to_string());
        };
        let (reply, answer) = oneshot::channel();
        let order = Order::Answer {
            player: asker.user,
            name: asker.name.clone(),
            index,
            given,
            reply,
        };
        if orders.send(order).is_err() {
            return ephemeral(q(asker.locale, Q::AckFinished).to_string());
        }
        match answer.await {
            Ok(Pressed::Ack { reply, recorded }) => {
                if recorded {
                    if let Some(ops) = &self.ops {
                        ops.metrics
                            .answers_recorded
                            .fetch_add(1, std::sync::atomic::Ordering::Relaxed);
                    }
                }
                Said::answered(payload::callback_body(&Response::Message(reply)))
            }
            Ok(Pressed::NotStored(e)) => {
                let id = ErrorId::new();
                error!(error_id = %id, error = %e, "recording an answer failed; not taken");
                Said {
                    outcome: Outcome::Failed,
                    ..ephemeral(q(asker.locale, Q::PressAgain).to_string())
                }
            }
            Err(_) => ephemeral(q(asker.locale, Q::AckFinished).to_string()),
        }
    }

    async fn text_box(&self, quiz: QuizId, index: usize, locale: Locale) -> Said {
        let finished = || ephemeral(q(locale, Q::AckFinished).to_string());
        let Some(orders) = self.sender_for_quiz(quiz) else {
            return finished();
        };
        let (reply, answer) = oneshot::channel();
        if orders.send(Order::TextBox { index, reply }).is_err() {
            return finished();
        }
        match answer.await {
            Ok(Some(modal)) => Said::answered(payload::modal_body(&modal)),
            Ok(None) => ephemeral(q(locale, Q::AckInvalid).to_string()),
            Err(_) => finished(),
        }
    }

    /// A host command; `button` answers a success with a silent acknowledgement (the message
    /// the button sits on is edited by the runner), a command with an ephemeral line.
    async fn control(
        &self,
        asker: &Asker,
        orders: Option<mpsc::UnboundedSender<Order>>,
        control: Control,
        button: bool,
    ) -> Said {
        let locale = asker.locale;
        let quizmaster = match asker.guild {
            Some(guild) => quizmaster_role(self.settings.as_ref(), guild).await,
            None => None,
        };
        if !crate::discord::permissions::can_host(asker.permissions, &asker.roles, quizmaster) {
            return ephemeral(q(locale, Q::NotHost).to_string());
        }
        let Some(orders) = orders else {
            return ephemeral(q(locale, Q::NoQuiz).to_string());
        };
        let (reply, answer) = oneshot::channel();
        if orders.send(Order::Control { control, reply }).is_err() {
            return ephemeral(q(locale, Q::NoQuiz).to_string());
        }
        match answer.await {
            Ok(Ok(())) if button => Said::answered(json!({ "type": DEFERRED_UPDATE_MESSAGE })),
            Ok(Ok(())) => Said::answered(ephemeral(done_line(control, locale).to_string()).body),
            Ok(Err(e)) => ephemeral(e.message(locale).to_string()),
            Err(_) => ephemeral(q(locale, Q::NoQuiz).to_string()),
        }
    }

    async fn scores(&self, asker: &Asker) -> Said {
        let Some(orders) = self.sender_for_channel(asker.channel) else {
            return ephemeral(q(asker.locale, Q::NoQuiz).to_string());
        };
        let (reply, answer) = oneshot::channel();
        if orders.send(Order::Scores { reply }).is_err() {
            return ephemeral(q(asker.locale, Q::NoQuiz).to_string());
        }
        match answer.await {
            Ok(standings) => Said::answered(payload::callback_body(&Response::Message(standings))),
            Err(_) => ephemeral(q(asker.locale, Q::NoQuiz).to_string()),
        }
    }

    /// Start-up: resume or close every quiz the bot was running when it stopped, and tell each
    /// channel which. Quizzes that cannot be read are logged and left for the next start.
    pub async fn recover(&self, http: Arc<Http>, kb: Arc<KnowledgeBase>) {
        let unfinished = match self.store.unfinished_quizzes().await {
            Ok(u) => u,
            Err(e) => {
                let id = ErrorId::new();
                error!(error_id = %id, error = %e, "reading unfinished quizzes; none recovered");
                return;
            }
        };
        for stored in unfinished {
            let ours = stored.started_at >= self.boot_ms || self.desk.is_running(stored.id);
            if !ours && self.shards.owns(stored.guild) {
                self.recover_one(&http, &kb, stored).await;
            }
        }
    }

    async fn recover_one(&self, http: &Arc<Http>, kb: &Arc<KnowledgeBase>, stored: StoredQuiz) {
        let now = self.now_ms();
        let plan = recovery::recover(&stored, now, RESUME_WITHIN_MS);
        let span = info_span!("quiz", quiz = stored.id, channel = stored.channel);
        let _enter = span.enter();
        info!(outcome = ?plan.decision, "recovering an interrupted quiz");
        drop(_enter);
        if let Err(e) = self.store.apply(stored.id, plan.writes.clone()).await {
            let id = ErrorId::new();
            error!(error_id = %id, quiz = stored.id, error = %e, "recording the recovery failed");
            return;
        }
        let mut runner = self.runner(
            http,
            kb.clone(),
            stored.id,
            stored.channel,
            plan.session,
            stored.messages.clone(),
        );
        for message in &plan.messages {
            runner.post(message).await;
        }
        // The final standings are among the messages already; the rest (the reveal of the
        // question that was open) is shown as usual.
        let events: Vec<QuizEvent> = plan
            .events
            .into_iter()
            .filter(|e| !matches!(e, QuizEvent::Finished { .. }))
            .collect();
        if plan.decision == recovery::Decision::Closed || runner.session().is_finished() {
            runner.show(events).await;
            return;
        }
        let ticket = self.desk.register(stored.id, stored.channel);
        let span = info_span!("quiz", quiz = stored.id, channel = stored.channel);
        let _enter = span.enter();
        self.desk.spawn(runner, ticket, false, events);
    }
}

/// A quiz ready for its runner.
struct Started {
    id: QuizId,
    channel: u64,
    session: QuizSession,
    messages: BTreeMap<usize, u64>,
    ticket: Ticket,
    /// Call `session.start` first (a new quiz), rather than carry on (a recovered one).
    start: bool,
}
