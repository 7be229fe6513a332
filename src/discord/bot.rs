//! The serenity client behind `clio run`: connect, register the commands, answer interactions.
//!
//! poise on serenity: the commands are declared once in [`commands`], and poise dispatches them
//! (and their autocomplete) to those functions. Each answer is a ready-made callback body from
//! [`interactions`] (or the quiz desk) that is POSTed raw, so Discord receives byte for byte what
//! `clio ask --json` prints. Buttons and the quiz's text box are not commands: they arrive as
//! events, and their custom_id carries everything needed to answer them.
//!
//! Every interaction runs in its own span (id, kind, command, guild, locale, latency), and nothing
//! it does can stop the bot: panics in the core are contained by [`interactions::answer_safely`],
//! failures to deliver are logged with an error id. serenity reconnects and resumes by itself.

use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

use std::sync::Arc;

use poise::serenity_prelude as serenity;
use serenity::client::ClientBuilder;
use serenity::http::{Http, HttpBuilder, LightMethod, Request, Route};
use serenity::{ConnectionStage, FullEvent, GatewayIntents, GuildId, Interaction, InteractionId};
use tracing::{error, info, info_span, warn, Instrument};

use super::commands;
use super::interactions::{self, Asked, ErrorId};
use super::quiz::{QuizAsked, QuizDesk, QuizInteraction};
use super::rest::Rest;
use super::service::{self, Services};
use super::shards::Shards;
use crate::answers::Ctx;
use crate::config::{Config, Token};
use crate::i18n::Locale;
use crate::ops::Outcome;

/// What every command and event handler shares: the bot itself.
pub type Data = Bot;
/// A command's error: logged with its whole chain, answered with one calm line.
pub type Error = Box<dyn std::error::Error + Send + Sync>;
pub type Context<'a> = poise::Context<'a, Data, Error>;

/// Slash commands, autocomplete and buttons need no gateway intent at all: interactions are
/// always delivered. So Clio asks for none, privileged or not, and Discord sends it nothing else.
pub const INTENTS: GatewayIntents = GatewayIntents::empty();

/// How long a clean shutdown may wait for Discord to acknowledge the gateway close.
const SHUTDOWN_GRACE: Duration = Duration::from_secs(5);

/// How long a SIGTERM waits for the interactions in flight before closing the gateway: with
/// [`SHUTDOWN_GRACE`], the process is gone well within Docker's 10 seconds.
const IN_FLIGHT_GRACE: Duration = Duration::from_secs(3);

/// Why the bot stopped, other than being asked to.
#[derive(Debug)]
pub enum BotError {
    /// Discord refused the token (gateway close 4004).
    TokenRejected,
    /// Discord closed the gateway with a code after which reconnecting cannot help.
    Closed(u16),
    /// Anything else the gateway or client reported.
    Gateway(String),
    /// The shards to run cannot be settled (a range beyond the count, no sessions left).
    Sharding(String),
}

impl std::fmt::Display for BotError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            BotError::TokenRejected => write!(
                f,
                "Discord rejected the bot token; reset it on the Bot page of your application at \
                 {} and set DISCORD_TOKEN again",
                crate::config::DEVELOPER_PORTAL
            ),
            BotError::Closed(code) => f.write_str(&super::gateway::advice(*code)),
            BotError::Gateway(e) => write!(f, "the Discord connection failed: {e}"),
            BotError::Sharding(e) => f.write_str(e),
        }
    }
}

impl std::error::Error for BotError {}

/// Where the commands are registered.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Registration {
    Off,
    /// Another process (the one running shard 0) registers them.
    OtherProcess,
    Global,
    Guild(u64),
}

/// The bot: the knowledge base and services, the running quizzes, and what to do once connected.
pub struct Bot {
    pub services: Services,
    /// Callbacks, with Discord's refusals handled.
    pub(super) rest: Rest,
    registration: Registration,
    /// Commands are registered after the first READY only; reconnects do not repeat it.
    registered: AtomicBool,
    /// The background tasks (reload, daily post) start after the first READY only.
    started: AtomicBool,
    /// `/quiz`, `/leaderboard`, the quiz's buttons and text box, and the running quizzes.
    quizzes: Arc<QuizDesk>,
    /// The shards this process runs: its servers' quizzes and daily posts are its own.
    shards: Shards,
    /// The shards that have been ready once: a READY or RESUMED after that is a reconnect.
    ever_ready: std::sync::Mutex<std::collections::BTreeSet<u32>>,
}

/// Connect with `token` and serve until SIGINT or SIGTERM (then `Ok`), or until the gateway fails
/// for good. The services and quizzes come through `made`, possibly while the gateway connects:
/// the bot waits for them at the first READY (and stops quietly if they never come).
pub async fn serve(
    config: &Config,
    token: &Token,
    ops: Arc<crate::ops::OpsState>,
    flight: Arc<super::service::InFlight>,
    made: tokio::sync::oneshot::Receiver<(Services, QuizDesk)>,
) -> Result<(), BotError> {
    // One HTTP client for serenity and for Clio's own calls (`rest`).
    let rest = Rest::new();
    let http = match &config.discord.api_base {
        // serenity sends REST calls to a proxy only with its own rate limiter off: the proxy is
        // then the rate limiter (or, in tests, the fake Discord), and `rest` waits out a 429.
        Some(base) => HttpBuilder::new(token.expose())
            .client(rest.client())
            .proxy(base.as_str())
            .ratelimiter_disabled(true)
            .build(),
        None => HttpBuilder::new(token.expose())
            .client(rest.client())
            .build(),
    };
    let registration = match (config.discord.register_commands, config.discord.dev_guild) {
        (false, _) => Registration::Off,
        // Every process would overwrite the same commands: the one running shard 0 does it.
        (true, _) if config.discord.shard_range.is_some_and(|r| r.first > 0) => {
            Registration::OtherProcess
        }
        (true, Some(guild)) => Registration::Guild(guild),
        (true, None) => Registration::Global,
    };
    // The shards are settled once the client is built (below); the bot is made at the first
    // READY, after that.
    let shard_slot: Arc<std::sync::OnceLock<Shards>> = Default::default();
    let shard_for_setup = shard_slot.clone();
    info!(
        bot = token.bot_id(),
        api = config
            .discord
            .api_base
            .as_deref()
            .unwrap_or("https://discord.com"),
        "connecting to Discord"
    );
    let framework = poise::Framework::builder()
        .options(poise::FrameworkOptions {
            commands: commands::all(),
            on_error: |error| Box::pin(super::errors::on_error(error)),
            event_handler: |framework, event| {
                Box::pin(framework.user_data.event(framework.serenity_context, event))
            },
            // Clio has no owner-only commands: no need to ask Discord who owns the application.
            initialize_owners: false,
            ..Default::default()
        })
        .setup(move |_ctx, _ready, _framework| {
            let shards = *shard_for_setup.get().unwrap_or(&Shards::ALL_IN_ONE);
            Box::pin(async move {
                // The knowledge and the database, loaded meanwhile (`run`).
                let (services, quizzes) = made
                    .await
                    .map_err(|_| "the knowledge base or the database did not open")?;
                Ok(Bot {
                    rest: rest.clone(),
                    services,
                    registration,
                    registered: AtomicBool::new(false),
                    started: AtomicBool::new(false),
                    quizzes: Arc::new(quizzes.with_rest(rest).with_shards(shards)),
                    shards,
                    ever_ready: Default::default(),
                })
            })
        })
        .initialize_owners(false)
        .build();
    // serenity asks for the gateway's address once and, when that fails, falls back to Discord's
    // public one: wait until Discord answers, saying once why it does not.
    let api = config
        .discord
        .api_base
        .as_deref()
        .unwrap_or("https://discord.com");
    let gateway = tokio::select! {
        answer = super::reach::wait_for_discord(&http, api) => answer,
        signal = shutdown_signal() => {
            info!(signal, "stopping before Discord could be reached");
            return Ok(());
        }
    };
    let mut client = ClientBuilder::new_with_http(http, INTENTS)
        .framework(framework)
        .await
        .map_err(|e| BotError::Gateway(format!("creating the client: {e}")))?;

    // The shard count, and whether Discord lets this many sessions start (from the answer
    // above).
    let shards = super::shards::resolve(gateway, &config.discord)?;
    let _ = shard_slot.set(shards);
    ops.expect_shards(shards.ids());
    tokio::spawn(super::shards::watch(
        client.shard_manager.clone(),
        ops.clone(),
    ));
    let manager = client.shard_manager.clone();
    let (stopped_tx, stopped) = tokio::sync::oneshot::channel::<()>();
    tokio::spawn(async move {
        let signal = shutdown_signal().await;
        // Take no new interactions; let those in flight finish (their answers are sent, their
        // quiz answers written) before the gateway goes.
        let in_flight = flight.in_flight();
        info!(
            signal,
            in_flight, "stopping: finishing the interactions in flight"
        );
        if !flight.stop(IN_FLIGHT_GRACE).await {
            warn!(
                in_flight = flight.in_flight(),
                "interactions still in flight after {IN_FLIGHT_GRACE:?}; stopping anyway"
            );
        }
        ops.all_shards_down();
        info!(signal, "closing the gateway connection");
        if tokio::time::timeout(SHUTDOWN_GRACE, manager.shutdown_all())
            .await
            .is_err()
        {
            warn!("the gateway did not acknowledge the close in time; exiting anyway");
        }
        let _ = stopped_tx.send(());
    });

    let ended = tokio::select! {
        // serenity's range takes its end as included: `first..=end-1` is this process's range.
        result = client.start_shard_range(shards.first..shards.end - 1, shards.total) => match result {
            Ok(()) => Ok(()),
            Err(serenity::Error::Gateway(serenity::GatewayError::InvalidAuthentication)) => {
                Err(BotError::TokenRejected)
            }
            Err(serenity::Error::Gateway(serenity::GatewayError::InvalidGatewayIntents)) => {
                Err(BotError::Closed(4013))
            }
            Err(serenity::Error::Gateway(serenity::GatewayError::DisallowedGatewayIntents)) => {
                Err(BotError::Closed(4014))
            }
            Err(e) => Err(BotError::Gateway(e.to_string())),
        },
        // serenity would spin or reconnect forever on some of these: the connection is dead,
        // so there is nothing to close cleanly; stop at once.
        code = super::gateway::closed() => Err(super::gateway::closed_error(code)),
        _ = stopped => Ok(()),
    };
    match &ended {
        Err(BotError::TokenRejected) => super::gateway::say_closed(4004),
        Err(BotError::Closed(code)) => super::gateway::say_closed(*code),
        _ => {}
    }
    ended
}

/// Resolves on SIGINT (Ctrl-C) or SIGTERM (`docker stop`), naming which.
async fn shutdown_signal() -> &'static str {
    #[cfg(unix)]
    {
        use tokio::signal::unix::{signal, SignalKind};
        match signal(SignalKind::terminate()) {
            Ok(mut term) => tokio::select! {
                _ = tokio::signal::ctrl_c() => "SIGINT",
                _ = term.recv() => "SIGTERM",
            },
            Err(e) => {
                warn!("cannot listen for SIGTERM ({e}); only Ctrl-C stops the bot cleanly");
                let _ = tokio::signal::ctrl_c().await;
                "SIGINT"
            }
        }
    }
    #[cfg(not(unix))]
    {
        let _ = tokio::signal::ctrl_c().await;
        "Ctrl-C"
    }
}

/// The parts of an interaction that Clio uses, out of serenity's model.
struct Incoming {
    id: InteractionId,
    token: String,
    kind: &'static str,
    guild: Option<GuildId>,
    locale: Locale,
    asked: Asked,
    /// The member's permissions (in a server).
    permissions: Option<u64>,
    /// Where it was asked, and Clio's own permissions there.
    channel: u64,
    app_permissions: Option<u64>,
}

/// The `command` label of the interaction metrics: the command's name, `autocomplete`, `button`.
fn metric_label(asked: &Asked) -> &str {
    match asked {
        Asked::Command { name, .. } => name,
        Asked::Autocomplete { .. } => "autocomplete",
        Asked::Button { .. } => "button",
    }
}

impl Bot {
    /// Everything that is not a command: the gateway's state, and buttons and text boxes.
    async fn event(&self, ctx: &serenity::Context, event: &FullEvent) -> Result<(), Error> {
        match event {
            FullEvent::Ready { data_about_bot } => {
                info!(
                    user = %data_about_bot.user.name,
                    application = %data_about_bot.application.id,
                    shard = ctx.shard_id.0,
                    "connected to the gateway"
                );
                self.connected(ctx.shard_id.0);
                if !self.started.swap(true, Ordering::SeqCst) {
                    tokio::spawn(service::watch_knowledge(self.services.clone()));
                    tokio::spawn(service::reload_on_sighup(self.services.clone()));
                    tokio::spawn(service::daily_posts(
                        self.services.clone(),
                        ctx.http.clone(),
                        self.shards,
                    ));
                    tokio::spawn(super::daily_question::run(
                        self.services.clone(),
                        ctx.http.clone(),
                    ));
                    tokio::spawn(
                        self.quizzes
                            .clone()
                            .run_schedules(ctx.http.clone(), self.services.live.clone()),
                    );
                }
                if !self.registered.swap(true, Ordering::SeqCst) {
                    register_commands(&ctx.http, self.registration).await;
                    // Started: the code that ran once (loading, migrating, registering) need not
                    // stay resident.
                    tokio::task::spawn_blocking(let_go_of_start_up_code);
                    // Quizzes running when the bot stopped: resumed or closed, and each channel told.
                    let quizzes = self.quizzes.clone();
                    let (http, kb) = (ctx.http.clone(), self.services.live.get());
                    tokio::spawn(async move { quizzes.recover(http, kb).await });
                }
            }
            FullEvent::Resume { .. } => {
                info!(shard = ctx.shard_id.0, "resumed the gateway session");
                self.connected(ctx.shard_id.0);
            }
            FullEvent::ShardStageUpdate { event } if event.new != ConnectionStage::Connected => {
                self.services
                    .ops
                    .set_shard_connected(event.shard_id.0, false);
            }
            FullEvent::InteractionCreate { interaction } => {
                self.interaction(ctx, interaction).await;
            }
            _ => {}
        }
        Ok(())
    }

    /// A button press or a text box: the quiz's, or a card's.
    async fn interaction(&self, ctx: &serenity::Context, interaction: &Interaction) {
        let received = Instant::now();
        let (Interaction::Component(_) | Interaction::Modal(_)) = interaction else {
            // Commands and autocomplete are poise's.
            return;
        };
        if let Interaction::Component(c) = interaction {
            if let Some(press) = super::daily_question::DailyPress::parse(&c.data.custom_id) {
                super::daily_question::serve(
                    &self.services,
                    &self.rest,
                    &ctx.http,
                    c,
                    press,
                    received,
                )
                .await;
                return;
            }
        }
        if let Some(quiz) = QuizInteraction::from_interaction(interaction) {
            self.quiz(&ctx.http, quiz, received).await;
            return;
        }
        if let Some(report) = super::reports::ReportInteraction::from_interaction(interaction) {
            super::reports::serve(&self.services, &self.rest, &ctx.http, report, received).await;
            return;
        }
        let Interaction::Component(c) = interaction else {
            return;
        };
        let incoming = Incoming {
            id: c.id,
            token: c.token.clone(),
            kind: "button",
            guild: c.guild_id,
            locale: Locale::pick(Some(&c.locale), c.guild_locale.as_deref()),
            asked: Asked::Button {
                custom_id: c.data.custom_id.clone(),
            },
            permissions: c
                .member
                .as_ref()
                .and_then(|m| m.permissions)
                .map(|p| p.bits()),
            channel: c.channel_id.get(),
            app_permissions: c.app_permissions.map(|p| p.bits()),
        };
        self.answer_incoming(&ctx.http, incoming, received).await;
    }

    /// A slash command that is not the quiz's: a lookup, `/help`, `/settings`, `/admin`.
    pub async fn answer_command(&self, ctx: Context<'_>, asked: Asked) -> Result<(), Error> {
        let received = Instant::now();
        let poise::Context::Application(app) = ctx else {
            return Ok(());
        };
        let i = app.interaction;
        let incoming = Incoming {
            id: i.id,
            token: i.token.clone(),
            kind: "command",
            guild: i.guild_id,
            locale: commands::locale_of(ctx),
            asked,
            permissions: i
                .member
                .as_deref()
                .and_then(|m| m.permissions)
                .map(|p| p.bits()),
            channel: i.channel_id.get(),
            app_permissions: i.app_permissions.map(|p| p.bits()),
        };
        // Sent raw below: tell poise, so its error path does not answer a second time.
        app.has_sent_initial_response.store(true, Ordering::SeqCst);
        self.answer_incoming(ctx.http(), incoming, received).await;
        Ok(())
    }

    /// `/quiz` and `/leaderboard`.
    pub async fn answer_quiz(&self, ctx: Context<'_>, asked: QuizAsked) -> Result<(), Error> {
        let received = Instant::now();
        let poise::Context::Application(app) = ctx else {
            return Ok(());
        };
        app.has_sent_initial_response.store(true, Ordering::SeqCst);
        let quiz = QuizInteraction::from_command(app.interaction, asked);
        self.quiz(&ctx.serenity_context().http, quiz, received)
            .await;
        Ok(())
    }

    async fn quiz(&self, http: &Arc<Http>, quiz: QuizInteraction, received: Instant) {
        // In flight like any other: a SIGTERM lets the press be stored and confirmed.
        let Some(_in_flight) = self.services.flight.enter() else {
            return;
        };
        let kb = self.services.live.get();
        let outcome = self.quizzes.answer(http, kb, quiz, received).await;
        self.services
            .ops
            .metrics
            .interaction("quiz", outcome, received.elapsed());
    }

    /// `/leaderboard period:` suggestions: the periods and this server's seasons.
    pub async fn period_suggestions(
        &self,
        guild: Option<u64>,
        partial: &str,
    ) -> Vec<(String, String)> {
        self.quizzes.period_suggestions(guild, partial).await
    }

    /// Count an autocomplete answered (poise sends the suggestions).
    pub fn count_autocomplete(&self) {
        self.services.ops.metrics.interaction(
            "autocomplete",
            Outcome::Answered,
            std::time::Duration::ZERO,
        );
    }

    async fn answer_incoming(&self, http: &Http, incoming: Incoming, received: Instant) {
        let Some(_in_flight) = self.services.flight.enter() else {
            // Stopping: Discord shows the user "did not respond", which is true; a new process
            // answers the next one.
            info!(id = %incoming.id, "stopping: not taking this interaction");
            return;
        };
        let span = info_span!(
            "interaction",
            id = %incoming.id,
            kind = incoming.kind,
            command = %incoming.asked.label(),
            guild = incoming.guild.map(|g| g.get()),
            locale = incoming.locale.code(),
            latency_us = tracing::field::Empty,
        );
        self.answer(http, incoming, received).instrument(span).await;
    }

    /// READY or RESUMED on a shard: it is up; every one after its first is a reconnect.
    fn connected(&self, shard: u32) {
        let ops = &self.services.ops;
        let again = !self
            .ever_ready
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .insert(shard);
        ops.set_shard_connected(shard, true);
        if again {
            ops.metrics
                .gateway_reconnects
                .fetch_add(1, Ordering::Relaxed);
        }
    }

    /// Answer one interaction: compute the body (microseconds, so inline on this task rather than
    /// a blocking pool), send it, log the outcome.
    async fn answer(&self, http: &Http, incoming: Incoming, received: Instant) {
        let caller = super::admin::Caller {
            guild: incoming.guild.map(|g| g.get()),
            permissions: incoming.permissions,
            locale: incoming.locale,
            channel: incoming.channel,
            app_permissions: incoming.app_permissions,
        };
        let (body, mut outcome) = match super::admin::answer(
            &self.services,
            &incoming.asked,
            &caller,
        )
        .await
        {
            Some((body, outcome)) => (super::payload::Body::from_value(&body), outcome),
            None => {
                // One base for the whole interaction, whatever a reload does meanwhile.
                let kb = self.services.live.get();
                let (body, failure) = interactions::answer_safely(
                    &kb,
                    &incoming.asked,
                    incoming.locale,
                    &Ctx::at(&crate::clock::SystemClock),
                );
                let outcome = if let Some(failure) = &failure {
                    error!(error_id = %failure.id, detail = %failure.detail, "answering failed");
                    Outcome::Failed
                } else if body.ephemeral {
                    Outcome::UserError
                } else {
                    Outcome::Answered
                };
                (body, outcome)
            }
        };
        let sent = self
            .rest
            .callback_text(http, incoming.id, &incoming.token, body.json, received)
            .await;
        // The bot's own time: from the event reaching the handler to Discord accepting the answer.
        let took = received.elapsed();
        let latency_us = took.as_micros() as u64;
        tracing::Span::current().record("latency_us", latency_us);
        match sent {
            Ok(()) => info!(callback = body.callback, "answered"),
            Err(e) => {
                outcome = Outcome::Failed;
                let id = ErrorId::new();
                error!(error_id = %id, error = %e, "sending the answer to Discord failed");
            }
        }
        self.services
            .ops
            .metrics
            .interaction(metric_label(&incoming.asked), outcome, took);
    }
}

/// Overwrite the application's commands with Clio's (a bulk overwrite: repeating it is harmless).
/// A failure is logged, not fatal: the previous registration keeps working.
async fn register_commands(http: &Http, registration: Registration) {
    let Some(application_id) = http.application_id() else {
        error!("registering commands: READY carried no application id");
        return;
    };
    let (route, scope) = match registration {
        Registration::Off => {
            info!("command registration is off (discord.register_commands = false)");
            return;
        }
        Registration::OtherProcess => {
            info!("the commands are registered by the process running shard 0");
            return;
        }
        Registration::Global => (Route::Commands { application_id }, "global".to_string()),
        Registration::Guild(guild) => (
            Route::GuildCommands {
                application_id,
                guild_id: GuildId::new(guild),
            },
            format!("guild {guild}"),
        ),
    };
    let body = commands::registration_body();
    let count = body.as_array().map_or(0, Vec::len);
    let request = Request::new(route, LightMethod::Put).body(Some(body.to_string().into_bytes()));
    match http.request(request).await {
        Ok(_) => info!(commands = count, scope, "registered the slash commands"),
        Err(e) => {
            let id = ErrorId::new();
            error!(error_id = %id, scope, error = %e, "registering the slash commands failed");
        }
    }
}

/// Take the pages of code that ran once out of the process (see [`crate::ops::let_go_of_code_pages`]).
pub(super) fn let_go_of_start_up_code() {
    let done = crate::ops::let_go_of_code_pages();
    tracing::debug!(
        mappings = done.mappings,
        kib = done.kib,
        "let go of the resident pages of code that ran once"
    );
}
