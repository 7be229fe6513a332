//! The Discord adapter: everything that knows Discord, nothing the core needs.
//!
//! - `commands`: every slash command, declared once with poise (registration, `/help`, the
//!   console's parser and `clio commands` derive from it); `help` builds `/help` from it;
//! - `payload`: the wire shape of replies, so the console prints exactly what the bot sends;
//! - `interactions`: what an interaction asks, and the callback body that answers it (pure);
//! - `bot`: poise on serenity: connects, registers, dispatches and delivers;
//! - `quiz`: `/quiz`, `/leaderboard` and the quiz's buttons, over the core's quiz desk;
//!   `outbound`: a quiz's channel messages; `permissions`: who may do what, and what Clio may;
//! - `admin`: `/settings` and `/admin`; `service`: reload, the daily post, in-flight tracking;
//! - `logs`: logging for `clio run`, with the token scrubbed;
//! - `shards`: which gateway shards this process runs, and so which servers are its own.
//!
//! [`run`] is `clio run`: configuration, token, logs, knowledge, then the bot, each step failing
//! with one line that says what to fix.

pub mod admin;
pub mod bot;
pub mod commands;
pub mod daily_question;
pub mod errors;
pub mod gateway;
pub mod help;
pub mod interactions;
pub mod logs;
pub mod outbound;
pub mod payload;
pub mod permissions;
pub mod quiz;
pub mod reach;
pub mod reports;
pub mod rest;
pub mod service;
pub mod shards;

use std::fmt;

use crate::config::{Config, ConfigError, Env, TokenError};
use crate::knowledge::{Cores, KnowledgeBase, ValidatedMark};
use std::sync::Arc;

/// Why `clio run` stopped without being asked to. Configuration problems exit 2, the rest 1.
#[derive(Debug)]
pub enum RunError {
    Config(ConfigError),
    Token(TokenError),
    Logs(String),
    /// The knowledge base did not load; its problems are already printed.
    Knowledge(String),
    DataDir(String),
    /// The ops listener could not bind, or the database could not open.
    Ops(String),
    Runtime(std::io::Error),
    Bot(bot::BotError),
}

impl RunError {
    pub fn exit_code(&self) -> u8 {
        match self {
            RunError::Config(_)
            | RunError::Token(_)
            | RunError::Logs(_)
            | RunError::Bot(bot::BotError::TokenRejected)
            | RunError::Bot(bot::BotError::Sharding(_)) => 2,
            RunError::Bot(bot::BotError::Closed(code)) => gateway::exit_code(*code),
            _ => 1,
        }
    }
}

impl fmt::Display for RunError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            RunError::Config(e) => write!(f, "{e}"),
            RunError::Token(e) => write!(f, "{e}"),
            RunError::Logs(e) => write!(f, "{e}"),
            RunError::Knowledge(dir) => write!(
                f,
                "fix the knowledge base above (run `clio check {dir}`), then start again"
            ),
            RunError::DataDir(e) => write!(f, "{e}"),
            RunError::Ops(e) => write!(f, "{e}"),
            RunError::Runtime(e) => write!(f, "starting the async runtime: {e}"),
            RunError::Bot(e) => write!(f, "{e}"),
        }
    }
}

impl std::error::Error for RunError {}

/// Load and validate the knowledge base, its problems printed when it has errors.
fn load_knowledge(config: &Config, cores: Cores) -> Result<KnowledgeBase, RunError> {
    let kb = KnowledgeBase::load_on(&config.knowledge.dir, &config.knowledge.limits, cores)
        .map_err(|report| {
            report.print(&mut std::io::sink(), &mut std::io::stderr());
            RunError::Knowledge(config.knowledge.dir.display().to_string())
        })?;
    tracing::info!(
        entries = kb.entries().len(),
        dir = %config.knowledge.dir.display(),
        "loaded the knowledge base"
    );
    Ok(kb)
}

/// The database the configuration names: PostgreSQL, or SQLite in the data directory.
fn open_database(config: &Config) -> Result<Arc<dyn crate::store::Backend>, RunError> {
    let db = crate::store::open_backend(&config.data.dir, config.data.database_url.as_deref())
        .map_err(|e| match &config.data.database_url {
            Some(_) => RunError::DataDir(format!(
                "cannot open the database (`data.database_url`, from {}): {e}",
                config.origin("data.database_url")
            )),
            None => RunError::DataDir(format!(
                "cannot open the database in {} (`data.dir`, from {}): {e}",
                config.data.dir.display(),
                config.origin("data.dir")
            )),
        })?;
    tracing::info!(store = %db.describe(), "opened the database");
    Ok(db)
}

/// `clio run`: read the configuration and token, start logging, load the knowledge, then serve
/// Discord until SIGINT/SIGTERM (`Ok`) or a fatal gateway error.
pub fn run() -> Result<(), RunError> {
    // At exit, mimalloc (the allocator, see lib.rs) would collect its memory and destroy its
    // locks. Here a worker may still be running when the process ends (serenity's shard runner
    // spins on 4010 and 4011, and the runtime is left behind, not waited for): the allocator
    // must not be torn down under it. The system takes the memory back at exit anyway.
    // (`mi_option_destroy_on_exit` above 1 skips that teardown; the bindings lack its name:
    // it is number 22 of mimalloc 3's `mi_option_e`.)
    const DESTROY_ON_EXIT: libmimalloc_sys::mi_option_t = 22;
    // SAFETY: mi_option_set only sets a tuning value; it takes no pointer.
    unsafe { libmimalloc_sys::mi_option_set(DESTROY_ON_EXIT, 2) };
    let env = Env::from_process();
    let config = Config::load_from(&env).map_err(RunError::Config)?;
    let token = config.token(&env).map_err(RunError::Token)?;
    logs::init(&config.log.filter, token.expose()).map_err(RunError::Logs)?;
    // Panics in answers are caught and answered (see `interactions`); this puts their details
    // in the log, inside the interaction's span, instead of bare on stderr.
    std::panic::set_hook(Box::new(|panic| {
        let backtrace = std::backtrace::Backtrace::force_capture();
        tracing::error!(%panic, %backtrace, "panic");
    }));
    if let Some(file) = &config.file {
        tracing::info!(file = %file.display(), "read the configuration");
    }
    for warning in &config.warnings {
        tracing::warn!("{warning}");
    }

    std::fs::create_dir_all(&config.data.dir).map_err(|e| {
        RunError::DataDir(format!(
            "cannot create the data directory {} (`data.dir`, from {}): {e}",
            config.data.dir.display(),
            config.origin("data.dir")
        ))
    })?;
    // PostgreSQL may keep Clio waiting for a server that is not up yet: it is opened before
    // connecting, so that the bot is never online without its database for long. (Its client
    // blocks, which must not happen on an async worker either.)
    let mut db = match config.data.database_url {
        Some(_) => Some(open_database(&config)?),
        None => None,
    };
    // A pack validated before with exactly these contents (and this program) is loaded while the
    // gateway connects; any other is validated first, so that a broken pack never spends one of
    // the day's gateway sessions. Either way it is loaded and validated afresh.
    let mark = ValidatedMark::of(
        &config.knowledge.dir,
        &config.knowledge.limits,
        &config.data.dir,
    );
    let mut kb = None;
    if mark.as_ref().is_some_and(ValidatedMark::holds) {
        tracing::info!(
            dir = %config.knowledge.dir.display(),
            "this knowledge validated before with the same contents: connecting while it loads"
        );
    } else {
        kb = Some(load_knowledge(&config, Cores::All)?);
        if let Some(mark) = &mark {
            mark.record();
        }
    }

    // Two workers: one can answer while the other reads the gateway; more buys nothing for a
    // bot whose answers take microseconds, and each costs memory.
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .map_err(RunError::Runtime)?;
    // The ops state and the in-flight count exist from the start: `/readyz` says "not ready"
    // until the knowledge is loaded and the gateway connected, and a SIGTERM is handled at once.
    let ops = Arc::new(crate::ops::OpsState::default());
    let flight = Arc::new(service::InFlight::default());
    let (made_tx, made_rx) = tokio::sync::oneshot::channel();
    let serving = runtime.spawn({
        let (config, token) = (config.clone(), token.clone());
        let (ops, flight) = (ops.clone(), flight.clone());
        async move {
            if let Some(addr) = config.ops.listen {
                let listener = crate::ops::bind(addr).await.map_err(|e| {
                    RunError::Ops(format!(
                        "cannot listen on {addr} (`ops.listen`, from {}): {e}",
                        config.origin("ops.listen")
                    ))
                })?;
                tracing::info!(%addr, "ops listener: /healthz, /readyz, /metrics");
                tokio::spawn(crate::ops::serve(listener, ops.clone()));
            }
            bot::serve(&config, &token, ops, flight, made_rx)
                .await
                .map_err(RunError::Bot)
        }
    });
    // Meanwhile, on this thread: the knowledge (unless loaded above) and SQLite. The bot takes
    // them at its first READY.
    let made = (|| {
        let kb = match kb.take() {
            Some(kb) => kb,
            // One core: the other is connecting to the gateway meanwhile.
            None => load_knowledge(&config, Cores::One).inspect_err(|_| {
                if let Some(mark) = &mark {
                    mark.forget();
                }
            })?,
        };
        let db = match db.take() {
            Some(db) => db,
            None => open_database(&config)?,
        };
        // The quizzes share the database (one connection, or PostgreSQL's pool) with the
        // settings they read.
        let services = service::Services::with_state(
            crate::knowledge::LiveKnowledge::new(&config.knowledge.dir, kb)
                .with_limits(config.knowledge.limits),
            crate::store::Settings::new(db.clone()),
            crate::store::Reports::new(db.clone()),
            ops.clone(),
            flight.clone(),
        )
        .with_daily_questions(db.clone());
        let quizzes = quiz::QuizDesk::new(crate::store::Store::new(db.clone()))
            .with_nights(db.clone())
            .with_daily_questions(db.clone())
            .with_settings(crate::store::Settings::new(db.clone()))
            .with_idle(std::time::Duration::from_secs(
                config.quiz.idle_minutes * 60,
            ))
            .with_ops(ops.clone());
        Ok::<_, RunError>((services, quizzes))
    })();
    let result = match made {
        Ok(made) => {
            let _ = made_tx.send(made);
            runtime.block_on(async {
                tokio::select! {
                    served = serving => served.unwrap_or_else(|e| {
                        Err(RunError::Bot(bot::BotError::Gateway(format!(
                            "the bot's task ended: {e}"
                        ))))
                    }),
                    // Watched here too, on this thread: on 4010 and 4011 serenity's shard runner
                    // spins on a worker, and the bot's task may be queued behind it.
                    code = gateway::closed() => {
                        gateway::say_closed(code);
                        Err(RunError::Bot(gateway::closed_error(code)))
                    }
                }
            })
        }
        // Whatever the gateway has done meanwhile is dropped with the runtime.
        Err(e) => Err(e),
    };
    match &result {
        // A gateway that Discord closed for good may leave serenity's shard runner spinning on
        // a worker, and a start that failed may have left it connecting: do not wait for it.
        Err(
            RunError::Bot(bot::BotError::Closed(_) | bot::BotError::TokenRejected)
            | RunError::Knowledge(_)
            | RunError::DataDir(_),
        ) => runtime.shutdown_background(),
        _ => runtime.shutdown_timeout(std::time::Duration::from_secs(1)),
    }
    if result.is_ok() {
        tracing::info!("stopped");
    }
    result
}
