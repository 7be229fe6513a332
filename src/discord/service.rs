//! What `clio run` does besides answering: the ops listener's state, live knowledge reload (file
//! watcher, SIGHUP, `/admin reload`), the daily "on this day" post, and the in-flight count that
//! lets a SIGTERM finish the interactions it interrupts.

use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::Duration;

use chrono::{DateTime, Datelike, NaiveDate, Utc};
use serde_json::Value;
use serenity::all::ChannelId;
use serenity::http::{Http, LightMethod, Request, Route};
use tracing::{error, info, warn};

use crate::answers::{self, Command, Ctx};
use crate::dates::PartialDate;
use crate::i18n::Locale;
use crate::knowledge::{DirWatcher, LiveKnowledge, ReloadOutcome};
use crate::knowledge::{Kind, KnowledgeBase};
use crate::ops::OpsState;
use crate::store::{Reports, Settings, SettingsStore, StoreError};

/// Everything the bot serves with, besides Discord itself.
#[derive(Clone)]
pub struct Services {
    pub live: Arc<LiveKnowledge>,
    pub ops: Arc<OpsState>,
    pub settings: Settings,
    /// Reports of errors in entries.
    pub reports: Reports,
    pub flight: Arc<InFlight>,
    /// Wakes the daily task at once (a server just changed its daily post).
    pub daily_nudge: Arc<tokio::sync::Notify>,
    /// Wakes the daily-question task at once (a server just changed its daily question).
    pub daily_question_nudge: Arc<tokio::sync::Notify>,
    /// The servers' daily questions, when the backend keeps them.
    pub daily_questions: Option<Arc<dyn crate::quiz::daily::DailyQuestionStore>>,
    /// The knowledge directory as it was when the base was loaded; the watcher task takes it.
    watcher: Arc<std::sync::Mutex<Option<DirWatcher>>>,
}

impl Services {
    pub fn new(live: LiveKnowledge, settings: Settings, reports: Reports) -> Services {
        let (ops, flight) = Default::default();
        Services::with_state(live, settings, reports, ops, flight)
    }

    /// [`Services::new`] with the ops state and in-flight count made before the knowledge was
    /// loaded (`clio run` connects to Discord meanwhile), now reporting this base as loaded.
    pub fn with_state(
        live: LiveKnowledge,
        settings: Settings,
        reports: Reports,
        ops: Arc<OpsState>,
        flight: Arc<InFlight>,
    ) -> Services {
        record_entries(&ops, &live.get());
        ops.knowledge_loaded.store(true, Ordering::Relaxed);
        // The baseline now, right after loading: a change made before the watcher task starts
        // (which waits for the gateway) is still seen.
        let watcher = DirWatcher::with_limits(live.dir(), *live.limits());
        Services {
            watcher: Arc::new(std::sync::Mutex::new(Some(watcher))),
            live: Arc::new(live),
            ops,
            settings,
            reports,
            flight,
            daily_nudge: Arc::new(tokio::sync::Notify::new()),
            daily_question_nudge: Arc::new(tokio::sync::Notify::new()),
            daily_questions: None,
        }
    }

    /// Keep the servers' daily questions here.
    pub fn with_daily_questions(
        mut self,
        store: Arc<dyn crate::quiz::daily::DailyQuestionStore>,
    ) -> Services {
        self.daily_questions = Some(store);
        self
    }
}

/// Put the served base's counts per kind in the metrics.
pub fn record_entries(ops: &OpsState, kb: &KnowledgeBase) {
    ops.metrics.set_entries(
        Kind::ALL
            .iter()
            .map(|k| (k.as_str().to_string(), kb.count(*k) as u64)),
    );
}

// ---- Live reload ----------------------------------------------------------------------------

/// Reload the knowledge directory (on the blocking pool: it reads and parses every file), count
/// it, log it. `why` says what asked: `files changed`, `SIGHUP`, `/admin reload`.
pub async fn reload(services: &Services, why: &'static str) -> ReloadOutcome {
    let live = services.live.clone();
    let outcome = match tokio::task::spawn_blocking(move || live.reload()).await {
        Ok(outcome) => outcome,
        Err(e) => ReloadOutcome::Rejected {
            errors: vec![crate::knowledge::Problem {
                file: services.live.dir().display().to_string(),
                line: 0,
                column: 0,
                severity: crate::knowledge::Severity::Error,
                message: format!("the reload task failed: {e}"),
            }],
        },
    };
    let metrics = &services.ops.metrics;
    metrics.reloads.fetch_add(1, Ordering::Relaxed);
    match &outcome {
        ReloadOutcome::Swapped { counts, warnings } => {
            record_entries(&services.ops, &services.live.get());
            for w in warnings {
                warn!(problem = %w, "knowledge warning");
            }
            let counts: Vec<String> = counts
                .iter()
                .map(|(k, n)| k.counted(*n, Locale::En))
                .collect();
            info!(why, counts = %counts.join(", "), "reloaded the knowledge base");
            // The loader's code ran again; it need not stay resident.
            tokio::task::spawn_blocking(super::bot::let_go_of_start_up_code);
        }
        ReloadOutcome::Rejected { errors } => {
            metrics.reload_failures.fetch_add(1, Ordering::Relaxed);
            for e in errors {
                error!(problem = %e, "knowledge error");
            }
            error!(
                why,
                errors = errors.len(),
                dir = %services.live.dir().display(),
                "the changed knowledge base has errors; still serving the previous one"
            );
        }
    }
    outcome
}

/// Poll the knowledge directory every second; reload once a change has settled.
pub async fn watch_knowledge(services: Services) {
    let taken = services
        .watcher
        .lock()
        .unwrap_or_else(|e| e.into_inner())
        .take();
    let Some(mut watcher) = taken else {
        return; // Already watching.
    };
    let mut tick = tokio::time::interval(DirWatcher::INTERVAL);
    tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
    loop {
        tick.tick().await;
        let (w, changed) = tokio::task::spawn_blocking(move || {
            let changed = watcher.poll();
            (watcher, changed)
        })
        .await
        .expect("polling does not panic");
        watcher = w;
        if changed {
            reload(&services, "files changed").await;
        }
    }
}

/// Reload on every SIGHUP.
pub async fn reload_on_sighup(services: Services) {
    #[cfg(unix)]
    {
        use tokio::signal::unix::{signal, SignalKind};
        let mut hup = match signal(SignalKind::hangup()) {
            Ok(s) => s,
            Err(e) => {
                warn!("cannot listen for SIGHUP ({e}); reload by editing files or /admin reload");
                return;
            }
        };
        while hup.recv().await.is_some() {
            reload(&services, "SIGHUP").await;
        }
    }
    #[cfg(not(unix))]
    {
        let _ = services;
        std::future::pending::<()>().await;
    }
}

// ---- In-flight interactions -----------------------------------------------------------------

/// Interactions being answered, and whether new ones are still taken.
#[derive(Default)]
pub struct InFlight {
    stopping: AtomicBool,
    count: AtomicUsize,
    idle: tokio::sync::Notify,
}

/// One interaction in flight; dropping it ends it.
pub struct FlightGuard(Arc<InFlight>);

impl Drop for FlightGuard {
    fn drop(&mut self) {
        if self.0.count.fetch_sub(1, Ordering::SeqCst) == 1 {
            self.0.idle.notify_waiters();
        }
    }
}

impl InFlight {
    /// Start one interaction, unless the bot is stopping.
    pub fn enter(self: &Arc<Self>) -> Option<FlightGuard> {
        self.count.fetch_add(1, Ordering::SeqCst);
        let guard = FlightGuard(self.clone());
        (!self.stopping.load(Ordering::SeqCst)).then_some(guard)
    }

    pub fn in_flight(&self) -> usize {
        self.count.load(Ordering::SeqCst)
    }

    pub fn is_stopping(&self) -> bool {
        self.stopping.load(Ordering::SeqCst)
    }

    /// Take no new interactions, and wait (at most `limit`) for those in flight; true if they all
    /// finished.
    pub async fn stop(&self, limit: Duration) -> bool {
        self.stopping.store(true, Ordering::SeqCst);
        let wait = async {
            loop {
                let idle = self.idle.notified();
                if self.count.load(Ordering::SeqCst) == 0 {
                    return;
                }
                idle.await;
            }
        };
        tokio::time::timeout(limit, wait).await.is_ok()
    }
}

// ---- The daily post -------------------------------------------------------------------------

/// A daily post to send now, already claimed in the store.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DuePost {
    pub guild: u64,
    pub channel: u64,
    /// The server's local date it is for.
    pub date: NaiveDate,
    pub locale: Locale,
}

/// One pass of the daily task at `now`: for each server with a daily post, if its post for today
/// is due (its local time has come and today is not claimed), claim it, and return the claimed
/// ones. The claim is written before anything is posted, so a restart or a crash right after never
/// posts the same day twice; a server whose time passed while Clio was down gets its post late,
/// the same local day.
pub fn claim_due_posts(
    store: &dyn SettingsStore,
    now: DateTime<Utc>,
) -> Result<Vec<DuePost>, StoreError> {
    claim_due_posts_of(store, now, &|_| true)
}

/// [`claim_due_posts`] for the servers `ours` says this process owns (those on its shards):
/// another process's servers are its to post to.
pub fn claim_due_posts_of(
    store: &dyn SettingsStore,
    now: DateTime<Utc>,
    ours: &dyn Fn(u64) -> bool,
) -> Result<Vec<DuePost>, StoreError> {
    let mut due = Vec::new();
    for guild in store.daily_guilds()?.into_iter().filter(|g| ours(g.guild)) {
        let Some(daily) = &guild.daily else { continue };
        let schedule = match daily.schedule() {
            Ok(s) => s,
            Err(e) => {
                warn!(guild = guild.guild, "daily post setting unreadable: {e}");
                continue;
            }
        };
        let last = store.last_daily_claim(guild.guild)?;
        let Some(date) = schedule.due(now, last) else {
            continue;
        };
        let at = now.timestamp_millis().max(0) as u64;
        if store.claim_daily(guild.guild, date, daily.channel, at)? {
            due.push(DuePost {
                guild: guild.guild,
                channel: daily.channel,
                date,
                locale: guild.post_locale(),
            });
        }
    }
    Ok(due)
}

/// The channel message for a day's post (a `MessageCreateRequest`): the anniversaries of `date`,
/// or, on a day with none, the nearest one to come, exactly as `/onthisday` shows them.
pub fn daily_message(kb: &KnowledgeBase, date: NaiveDate, locale: Locale) -> Value {
    let ctx = Ctx {
        today: PartialDate::day(date.year(), date.month() as u8, date.day() as u8),
        seed: date.num_days_from_ce() as u64,
    };
    let reply = answers::respond(kb, &Command::OnThisDay { date: None }, locale, &ctx);
    let body = super::payload::callback_body(&answers::Response::Message(reply));
    let mut data = body["data"].clone();
    if let Some(map) = data.as_object_mut() {
        map.remove("flags");
        map.insert(
            "allowed_mentions".into(),
            serde_json::json!({ "parse": [] }),
        );
    }
    data
}

/// Every 30 seconds (at once on start, for a post missed while down, and when a server changes its
/// setting): claim and send the due daily posts.
pub async fn daily_posts(services: Services, http: Arc<Http>, shards: super::shards::Shards) {
    let mut tick = tokio::time::interval(Duration::from_secs(30));
    tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
    loop {
        tokio::select! {
            _ = tick.tick() => {}
            _ = services.daily_nudge.notified() => {}
        }
        if services.flight.is_stopping() {
            return;
        }
        let now = Utc::now();
        let due = match services
            .settings
            .call(move |s| claim_due_posts_of(s, now, &|guild| shards.owns(guild)))
            .await
        {
            Ok(due) => due,
            Err(e) => {
                error!(error = %e, "checking the daily posts failed");
                continue;
            }
        };
        for post in due {
            send_daily(&services, &http, post).await;
        }
    }
}

async fn send_daily(services: &Services, http: &Http, post: DuePost) {
    let body = daily_message(&services.live.get(), post.date, post.locale);
    let request = Request::new(
        Route::ChannelMessages {
            channel_id: ChannelId::new(post.channel.max(1)),
        },
        LightMethod::Post,
    )
    .body(Some(body.to_string().into_bytes()));
    match http.request(request).await {
        Ok(_) => {
            services
                .ops
                .metrics
                .daily_posts
                .fetch_add(1, Ordering::Relaxed);
            info!(guild = post.guild, channel = post.channel, date = %post.date, "posted the day's anniversaries");
            let (guild, date) = (post.guild, post.date);
            let at = Utc::now().timestamp_millis().max(0) as u64;
            if let Err(e) = services
                .settings
                .call(move |s| s.mark_daily_posted(guild, date, at))
                .await
            {
                warn!(error = %e, "recording the daily post failed");
            }
        }
        // Claimed but not delivered: not retried (a retry could post twice); the log says why.
        Err(serenity::Error::Http(serenity::http::HttpError::UnsuccessfulRequest(r)))
            if r.status_code.as_u16() == 403 =>
        {
            error!(
                guild = post.guild,
                channel = post.channel,
                date = %post.date,
                code = r.error.code,
                "Clio may not post the daily anniversaries in that channel: it needs View \
                 Channel, Send Messages and Embed Links there; grant them to Clio's role, or \
                 choose another channel with /settings daily"
            )
        }
        Err(e) => error!(
            guild = post.guild,
            channel = post.channel,
            date = %post.date,
            error = %e,
            "the daily post failed (does Clio have Send Messages and Embed Links in that channel?)"
        ),
    }
}
