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
use std::sync::Arc;
use std::time::{Duration, Instant};

use serenity::all::{
    CommandData, CommandDataOptionValue, Context, EventHandler, GatewayIntents, GuildId,
    Interaction, InteractionId, Ready, ResumedEvent,
};
use serenity::client::ClientBuilder;
use serenity::http::{Http, HttpBuilder, LightMethod, Request, Route};
use tracing::{error, info, info_span, warn, Instrument};

use super::commands;
use super::interactions::{self, Asked, ErrorId};
use crate::answers::Ctx;
use crate::config::{Config, Token};
use crate::i18n::Locale;
use crate::knowledge::KnowledgeBase;

/// Slash commands, autocomplete and buttons need no gateway intent at all: interactions are
/// always delivered. So Clio asks for none, privileged or not, and Discord sends it nothing else.
pub const INTENTS: GatewayIntents = GatewayIntents::empty();

/// How long a clean shutdown may wait for Discord to acknowledge the gateway close.
const SHUTDOWN_GRACE: Duration = Duration::from_secs(5);

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
    kb: Arc<KnowledgeBase>,
    registration: Registration,
    /// Commands are registered after the first READY only; reconnects do not repeat it.
    registered: AtomicBool,
}

/// Connect with `token` and serve until SIGINT or SIGTERM (then `Ok`), or until the gateway fails
/// for good.
pub async fn serve(config: &Config, token: &Token, kb: KnowledgeBase) -> Result<(), BotError> {
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
        kb: Arc::new(kb),
        registration,
        registered: AtomicBool::new(false),
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
        if !self.registered.swap(true, Ordering::SeqCst) {
            register_commands(&ctx.http, self.registration).await;
        }
    }

    async fn resume(&self, _ctx: Context, _event: ResumedEvent) {
        info!("resumed the gateway session");
    }

    async fn interaction_create(&self, ctx: Context, interaction: Interaction) {
        let received = Instant::now();
        let Some(incoming) = Incoming::from_interaction(&interaction) else {
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
}

impl Incoming {
    /// `None` for interactions Clio never asks for (pings, modals).
    fn from_interaction(interaction: &Interaction) -> Option<Incoming> {
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
        })
    }
}

/// Options as `(name, value)` text, as the core takes them. Clio's options are all strings; other
/// types (from an old registration) are passed as their text rather than dropped.
fn option_pairs(data: &CommandData) -> Vec<(String, String)> {
    data.options
        .iter()
        .filter_map(|o| {
            let value = match &o.value {
                CommandDataOptionValue::String(s) => s.clone(),
                CommandDataOptionValue::Autocomplete { value, .. } => value.clone(),
                CommandDataOptionValue::Integer(i) => i.to_string(),
                CommandDataOptionValue::Number(n) => n.to_string(),
                CommandDataOptionValue::Boolean(b) => b.to_string(),
                _ => return None,
            };
            Some((o.name.clone(), value))
        })
        .collect()
}

impl Clio {
    /// Answer one interaction: compute the body (microseconds, so inline on this task rather than
    /// a blocking pool), send it, log the outcome.
    async fn answer(&self, http: &Http, incoming: Incoming, received: Instant) {
        let (body, failure) =
            interactions::answer_safely(&self.kb, &incoming.asked, incoming.locale, &Ctx::now());
        if let Some(failure) = &failure {
            error!(error_id = %failure.id, detail = %failure.detail, "answering failed");
        }
        let sent = http
            .create_interaction_response(incoming.id, &incoming.token, &body, vec![])
            .await;
        // The bot's own time: from the event reaching the handler to Discord accepting the answer.
        let latency_us = received.elapsed().as_micros() as u64;
        tracing::Span::current().record("latency_us", latency_us);
        match sent {
            Ok(()) => info!(callback = body["type"].as_u64().unwrap_or(0), "answered"),
            Err(e) => {
                let id = ErrorId::new();
                error!(error_id = %id, error = %e, "sending the answer to Discord failed");
            }
        }
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
