//! The serenity client behind `clio run`: connect, register the commands, answer interactions.
//!
//! A plain serenity [`EventHandler`], no framework: Clio's commands are data (`answers::COMMANDS`),
//! and each answer is a ready-made callback body from [`interactions::answer`] that is POSTed raw,
//! so Discord receives byte for byte what `clio ask --json` prints.
//!
//! Every interaction runs in its own span (id, kind, command, guild, locale, latency), and nothing
//! it does can stop the bot: panics in the core are contained by [`interactions::answer_safely`],
//! failures to deliver are logged with an error id. serenity reconnects and resumes by itself.

use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

use serenity::all::{
    CommandData, CommandDataOptionValue, ConnectionStage, Context, EventHandler, GatewayIntents,
    GuildId, Interaction, InteractionId, Ready, ResumedEvent, ShardStageUpdateEvent,
};
use serenity::client::ClientBuilder;
use serenity::http::{Http, HttpBuilder, LightMethod, Request, Route};
use tracing::{error, info, info_span, warn, Instrument};

use super::commands;
use super::interactions::{self, Asked, ErrorId};
use super::quiz::{QuizDesk, QuizInteraction};
use super::service::{self, Services};
use crate::answers::Ctx;
use crate::config::{Config, Token};
use crate::i18n::Locale;
use crate::ops::Outcome;

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
    /// Anything else the gateway or client reported.
    Gateway(String),
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
            BotError::Gateway(e) => write!(f, "the Discord connection failed: {e}"),
        }
    }
}

impl std::error::Error for BotError {}

/// Where the commands are registered.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Registration {
    Off,
    Global,
    Guild(u64),
}

/// The event handler: the knowledge base and what to do once connected.
struct Clio {
    services: Services,
    registration: Registration,
    /// Commands are registered after the first READY only; reconnects do not repeat it.
    registered: AtomicBool,
    /// The background tasks (reload, daily post) start after the first READY only.
    started: AtomicBool,
    /// `/quiz`, `/leaderboard`, the quiz's buttons and text box, and the running quizzes.
    quizzes: std::sync::Arc<QuizDesk>,
}

/// Connect with `token` and serve until SIGINT or SIGTERM (then `Ok`), or until the gateway fails
/// for good.
pub async fn serve(
    config: &Config,
    token: &Token,
    services: Services,
    quizzes: QuizDesk,
) -> Result<(), BotError> {
    let http = match &config.discord.api_base {
        // serenity sends REST calls to a proxy only with its own rate limiter off: the proxy is
        // then the rate limiter (or, in tests, the fake Discord).
        Some(base) => HttpBuilder::new(token.expose())
            .proxy(base.as_str())
            .ratelimiter_disabled(true)
            .build(),
        None => HttpBuilder::new(token.expose()).build(),
    };
    let registration = match (config.discord.register_commands, config.discord.dev_guild) {
        (false, _) => Registration::Off,
        (true, Some(guild)) => Registration::Guild(guild),
        (true, None) => Registration::Global,
    };
    let handler = Clio {
        services: services.clone(),
        registration,
        registered: AtomicBool::new(false),
        started: AtomicBool::new(false),
        quizzes: std::sync::Arc::new(quizzes),
    };
    info!(
        bot = token.bot_id(),
        api = config
            .discord
            .api_base
            .as_deref()
            .unwrap_or("https://discord.com"),
        "connecting to Discord"
    );
    let mut client = ClientBuilder::new_with_http(http, INTENTS)
        .event_handler(handler)
        .await
        .map_err(|e| BotError::Gateway(format!("creating the client: {e}")))?;

    let shards = client.shard_manager.clone();
    let (stopped_tx, stopped) = tokio::sync::oneshot::channel::<()>();
    tokio::spawn(async move {
        let signal = shutdown_signal().await;
        // Take no new interactions; let those in flight finish (their answers are sent, their
        // quiz answers written) before the gateway goes.
        let in_flight = services.flight.in_flight();
        info!(
            signal,
            in_flight, "stopping: finishing the interactions in flight"
        );
        if !services.flight.stop(IN_FLIGHT_GRACE).await {
            warn!(
                in_flight = services.flight.in_flight(),
                "interactions still in flight after {IN_FLIGHT_GRACE:?}; stopping anyway"
            );
        }
        services
            .ops
            .gateway_connected
            .store(false, Ordering::Relaxed);
        info!(signal, "closing the gateway connection");
        if tokio::time::timeout(SHUTDOWN_GRACE, shards.shutdown_all())
            .await
            .is_err()
        {
            warn!("the gateway did not acknowledge the close in time; exiting anyway");
        }
        let _ = stopped_tx.send(());
    });

    tokio::select! {
        result = client.start() => match result {
            Ok(()) => Ok(()),
            Err(serenity::Error::Gateway(serenity::gateway::GatewayError::InvalidAuthentication)) => {
                Err(BotError::TokenRejected)
            }
            Err(e) => Err(BotError::Gateway(e.to_string())),
        },
        _ = stopped => Ok(()),
    }
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

#[serenity::async_trait]
impl EventHandler for Clio {
    async fn ready(&self, ctx: Context, ready: Ready) {
        info!(
            user = %ready.user.name,
            application = %ready.application.id,
            "connected to the gateway"
        );
        self.connected();
        if !self.started.swap(true, Ordering::SeqCst) {
            tokio::spawn(service::watch_knowledge(self.services.clone()));
            tokio::spawn(service::reload_on_sighup(self.services.clone()));
            tokio::spawn(service::daily_posts(
                self.services.clone(),
                ctx.http.clone(),
            ));
        }
        if !self.registered.swap(true, Ordering::SeqCst) {
            register_commands(&ctx.http, self.registration).await;
            // Quizzes running when the bot stopped: resumed or closed, and each channel told.
            let quizzes = self.quizzes.clone();
            let (http, kb) = (ctx.http.clone(), self.services.live.get());
            tokio::spawn(async move { quizzes.recover(http, kb).await });
        }
    }

    async fn resume(&self, _ctx: Context, _event: ResumedEvent) {
        info!("resumed the gateway session");
        self.connected();
    }

    async fn shard_stage_update(&self, _ctx: Context, event: ShardStageUpdateEvent) {
        if event.new != ConnectionStage::Connected {
            self.services
                .ops
                .gateway_connected
                .store(false, Ordering::Relaxed);
        }
    }

    async fn interaction_create(&self, ctx: Context, interaction: Interaction) {
        let received = Instant::now();
        if let Some(quiz) = QuizInteraction::from_interaction(&interaction) {
            // In flight like any other: a SIGTERM lets the press be stored and confirmed.
            let Some(_in_flight) = self.services.flight.enter() else {
                return;
            };
            let kb = self.services.live.get();
            self.quizzes.answer(&ctx.http, kb, quiz).await;
            // Quiz answers are delivered by the quiz desk; count them here like every other.
            self.services.ops.metrics.interaction(
                "quiz",
                crate::ops::Outcome::Answered,
                received.elapsed(),
            );
            return;
        }
        let Some(incoming) = Incoming::from_interaction(&interaction) else {
            return;
        };
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
        self.answer(&ctx.http, incoming, received)
            .instrument(span)
            .await;
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
}

impl Incoming {
    /// `None` for interactions Clio never asks for (pings, modals).
    fn from_interaction(interaction: &Interaction) -> Option<Incoming> {
        let permissions = match interaction {
            Interaction::Command(c) | Interaction::Autocomplete(c) => c.member.as_deref(),
            Interaction::Component(c) => c.member.as_ref(),
            _ => None,
        }
        .and_then(|m| m.permissions)
        .map(|p| p.bits());
        let (id, token, guild, locale, guild_locale, kind, asked) = match interaction {
            Interaction::Command(c) => (
                c.id,
                &c.token,
                c.guild_id,
                &c.locale,
                &c.guild_locale,
                "command",
                Asked::Command {
                    name: c.data.name.clone(),
                    options: option_pairs(&c.data),
                },
            ),
            Interaction::Autocomplete(c) => {
                let focused = c.data.autocomplete();
                (
                    c.id,
                    &c.token,
                    c.guild_id,
                    &c.locale,
                    &c.guild_locale,
                    "autocomplete",
                    Asked::Autocomplete {
                        command: c.data.name.clone(),
                        option: focused
                            .as_ref()
                            .map(|o| o.name.to_string())
                            .unwrap_or_default(),
                        partial: focused.map(|o| o.value.to_string()).unwrap_or_default(),
                    },
                )
            }
            Interaction::Component(c) => (
                c.id,
                &c.token,
                c.guild_id,
                &c.locale,
                &c.guild_locale,
                "button",
                Asked::Button {
                    custom_id: c.data.custom_id.clone(),
                },
            ),
            _ => return None,
        };
        Some(Incoming {
            id,
            token: token.clone(),
            kind,
            guild,
            locale: Locale::pick(Some(locale), guild_locale.as_deref()),
            asked,
            permissions,
        })
    }
}

/// Options as `(name, value)` text, as the core takes them. Clio's options are all strings; other
/// types (from an old registration) are passed as their text rather than dropped. A subcommand
/// becomes `("subcommand", its name)` followed by its own options; roles and channels are ids.
fn option_pairs(data: &CommandData) -> Vec<(String, String)> {
    fn flatten(options: &[serenity::all::CommandDataOption], out: &mut Vec<(String, String)>) {
        for o in options {
            let value = match &o.value {
                CommandDataOptionValue::String(s) => s.clone(),
                CommandDataOptionValue::Autocomplete { value, .. } => value.clone(),
                CommandDataOptionValue::Integer(i) => i.to_string(),
                CommandDataOptionValue::Number(n) => n.to_string(),
                CommandDataOptionValue::Boolean(b) => b.to_string(),
                CommandDataOptionValue::Role(r) => r.get().to_string(),
                CommandDataOptionValue::Channel(c) => c.get().to_string(),
                CommandDataOptionValue::SubCommand(inner)
                | CommandDataOptionValue::SubCommandGroup(inner) => {
                    out.push(("subcommand".into(), o.name.clone()));
                    flatten(inner, out);
                    continue;
                }
                _ => continue,
            };
            out.push((o.name.clone(), value));
        }
    }
    let mut out = Vec::new();
    flatten(&data.options, &mut out);
    out
}

/// The `command` label of the interaction metrics: the command's name, `autocomplete`, `button`.
fn metric_label(asked: &Asked) -> &str {
    match asked {
        Asked::Command { name, .. } => name,
        Asked::Autocomplete { .. } => "autocomplete",
        Asked::Button { .. } => "button",
    }
}

impl Clio {
    /// READY or RESUMED: the gateway is up; every one after the first is a reconnect.
    fn connected(&self) {
        let ops = &self.services.ops;
        if ops.gateway_connected.swap(true, Ordering::Relaxed)
            || self.registered.load(Ordering::SeqCst)
        {
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
        };
        let (body, mut outcome) = match super::admin::answer(
            &self.services,
            &incoming.asked,
            &caller,
        )
        .await
        {
            Some(answered) => answered,
            None => {
                // One base for the whole interaction, whatever a reload does meanwhile.
                let kb = self.services.live.get();
                let (body, failure) =
                    interactions::answer_safely(&kb, &incoming.asked, incoming.locale, &Ctx::now());
                let outcome = if let Some(failure) = &failure {
                    error!(error_id = %failure.id, detail = %failure.detail, "answering failed");
                    Outcome::Failed
                } else if body["data"]["flags"].as_u64().unwrap_or(0) & super::payload::EPHEMERAL
                    != 0
                {
                    Outcome::UserError
                } else {
                    Outcome::Answered
                };
                (body, outcome)
            }
        };
        let sent = http
            .create_interaction_response(incoming.id, &incoming.token, &body, vec![])
            .await;
        // The bot's own time: from the event reaching the handler to Discord accepting the answer.
        let took = received.elapsed();
        let latency_us = took.as_micros() as u64;
        tracing::Span::current().record("latency_us", latency_us);
        match sent {
            Ok(()) => info!(callback = body["type"].as_u64().unwrap_or(0), "answered"),
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
