//! `/quiz schedule create|list|cancel`, and the task that carries scheduled nights out: the
//! Discord event (`POST`/`DELETE /guilds/{id}/scheduled-events`), the reminder 15 minutes before,
//! and the quiz starting itself at its time (or the word that it was missed).

use std::collections::BTreeMap;
use std::sync::Arc;
use std::time::Duration;

use serde_json::json;
use serenity::all::{GuildId, ScheduledEventId};
use serenity::http::{Http, LightMethod, Route};
use tracing::{error, info, warn};

use super::incoming::{start_config, Asker};
use super::said::{ephemeral, internal, not_in_dm, Said};
use super::{QuizDesk, Started};
use crate::discord::outbound::ChannelOutbound;
use crate::i18n::Locale;
use crate::knowledge::LiveKnowledge;
use crate::quiz::i18n::{q, Q};
use crate::quiz::night::schedule::{self, Due, ScheduleState, ScheduledQuiz};
use crate::quiz::render;
use crate::quiz::runner::Outbound;
use crate::store::{NewQuiz, StoreError};
use crate::zone::Zone;

/// How often the task looks for what is due.
const EVERY: Duration = Duration::from_secs(5);

fn iso(ms: u64) -> String {
    chrono::DateTime::from_timestamp_millis(ms as i64)
        .unwrap_or_default()
        .to_rfc3339_opts(chrono::SecondsFormat::Secs, true)
}

fn answered(text: String) -> Said {
    Said::answered(ephemeral(text).body)
}

impl QuizDesk {
    /// The server's time zone: the one its daily post uses, else UTC.
    async fn zone(&self, guild: u64) -> Zone {
        let Some(settings) = &self.settings else {
            return Zone::utc();
        };
        match settings.guild_settings(guild).await {
            Ok(s) => s
                .daily
                .and_then(|d| d.zone.parse().ok())
                .unwrap_or_else(Zone::utc),
            Err(e) => {
                warn!(error = %e, guild, "reading the server's time zone; using UTC");
                Zone::utc()
            }
        }
    }

    pub(super) async fn schedule(
        &self,
        http: &Arc<Http>,
        sub: &str,
        asker: &Asker,
        options: &[(String, String)],
    ) -> Said {
        let locale = asker.locale;
        let Some(guild) = asker.guild else {
            return ephemeral(not_in_dm(locale));
        };
        let quizmaster = super::quizmaster_role(self.settings.as_ref(), guild).await;
        if !crate::discord::permissions::can_host(asker.permissions, &asker.roles, quizmaster) {
            return ephemeral(q(locale, Q::NotHost).to_string());
        }
        let Some(nights) = self.nights.clone() else {
            return ephemeral(q(locale, Q::NoQuiz).to_string());
        };
        let get = |n: &str| options.iter().find(|(k, _)| k == n).map(|(_, v)| v.clone());
        match sub {
            "schedule-list" => {
                let listed = self
                    .store
                    .call(move |_| nights.scheduled_quizzes(Some(guild)))
                    .await;
                match listed {
                    Ok(list) if list.is_empty() => answered(match locale {
                        Locale::En => "No quiz night is scheduled. Schedule one with `/quiz schedule create when:`.".into(),
                        Locale::Pl => "Nie zaplanowano wieczoru quizowego. Zaplanuj go: `/quiz schedule create when:`.".into(),
                    }),
                    Ok(list) => answered(
                        list.iter()
                            .map(|s| format!("#{} · <t:{}:F> · <#{}>", s.id, s.starts_at / 1000, s.channel))
                            .collect::<Vec<_>>()
                            .join("\n"),
                    ),
                    Err(e) => internal(locale, "listing scheduled quizzes", &e),
                }
            }
            "schedule-cancel" => {
                let id: u64 = get("id")
                    .and_then(|v| v.trim().trim_start_matches('#').parse().ok())
                    .unwrap_or(0);
                let found = self
                    .store
                    .call(move |_| {
                        let ours = nights
                            .scheduled_quizzes(Some(guild))?
                            .into_iter()
                            .find(|s| s.id == id);
                        Ok(match ours {
                            Some(s) => nights
                                .move_schedule(
                                    s.id,
                                    &[ScheduleState::Scheduled, ScheduleState::Reminded],
                                    ScheduleState::Cancelled,
                                )?
                                .then_some(s),
                            None => None,
                        })
                    })
                    .await;
                match found {
                    Ok(Some(s)) => {
                        if let Some(event) = s.event_id {
                            let route = Route::GuildScheduledEvent {
                                guild_id: GuildId::new(guild),
                                event_id: ScheduledEventId::new(event),
                            };
                            if let Err(e) = self.rest.call(http, route, LightMethod::Delete, None, None).await {
                                warn!(error = %e, "deleting the Discord event of a cancelled quiz");
                            }
                        }
                        answered(match locale {
                            Locale::En => format!("Quiz night #{} is cancelled, and its event removed.", s.id),
                            Locale::Pl => format!("Wieczór quizowy #{} odwołany, a jego wydarzenie usunięte.", s.id),
                        })
                    }
                    Ok(None) => ephemeral(match locale {
                        Locale::En => "No scheduled quiz night has that number: see `/quiz schedule list`.".into(),
                        Locale::Pl => "Żaden zaplanowany wieczór nie ma tego numeru: zobacz `/quiz schedule list`.".into(),
                    }),
                    Err(e) => internal(locale, "cancelling a scheduled quiz", &e),
                }
            }
            _ => self.schedule_create(http, asker, guild, options).await,
        }
    }

    async fn schedule_create(
        &self,
        http: &Arc<Http>,
        asker: &Asker,
        guild: u64,
        options: &[(String, String)],
    ) -> Said {
        let locale = asker.locale;
        let Some(nights) = self.nights.clone() else {
            return ephemeral(q(locale, Q::NoQuiz).to_string());
        };
        let get = |n: &str| options.iter().find(|(k, _)| k == n).map(|(_, v)| v.clone());
        let zone = self.zone(guild).await;
        let now = self.now_ms();
        let when = get("when").unwrap_or_default();
        let starts_at = match schedule::parse_when(&when, zone, now, locale) {
            Ok(at) => at,
            Err(message) => return ephemeral(message),
        };
        let config = match start_config(options, locale, 0) {
            Ok(c) => c,
            Err(message) => return ephemeral(message),
        };
        let channel = get("channel")
            .and_then(|c| c.parse().ok())
            .unwrap_or(asker.channel);
        let mut quiz = ScheduledQuiz {
            id: 0,
            guild,
            channel,
            host: asker.user,
            starts_at,
            config,
            event_id: None,
            state: ScheduleState::Scheduled,
        };
        let stored = quiz.clone();
        let id = match self
            .store
            .call(move |_| nights.schedule_quiz(&stored, now))
            .await
        {
            Ok(id) => id,
            Err(e) => return internal(locale, "scheduling a quiz", &e),
        };
        quiz.id = id;
        let event = self.create_event(http, &quiz).await;
        answered(match (locale, event) {
            (Locale::En, true) => format!(
                "Quiz night #{id} is scheduled for <t:{}:F> in <#{channel}>, and is in the server's events. I will remind the channel 15 minutes before and start it myself.",
                starts_at / 1000
            ),
            (Locale::En, false) => format!(
                "Quiz night #{id} is scheduled for <t:{}:F> in <#{channel}>; Discord did not take its event (Clio needs Manage Events), but the reminder and the start will happen.",
                starts_at / 1000
            ),
            (Locale::Pl, true) => format!(
                "Wieczór quizowy #{id} zaplanowany na <t:{}:F> na <#{channel}> i dodany do wydarzeń serwera. Przypomnę o nim 15 minut wcześniej i sam go zacznę.",
                starts_at / 1000
            ),
            (Locale::Pl, false) => format!(
                "Wieczór quizowy #{id} zaplanowany na <t:{}:F> na <#{channel}>; Discord nie przyjął wydarzenia (Clio potrzebuje uprawnienia Zarządzanie wydarzeniami), ale przypomnienie i start się odbędą.",
                starts_at / 1000
            ),
        })
    }

    /// The Discord event of a scheduled night (external, its location naming the channel).
    async fn create_event(&self, http: &Arc<Http>, quiz: &ScheduledQuiz) -> bool {
        let locale = quiz.config.locale;
        let body = json!({
            "name": match locale { Locale::En => "Quiz night", Locale::Pl => "Wieczór quizowy" },
            "description": match (&quiz.config.topic, locale) {
                (Some(t), Locale::En) => format!("A history quiz with Clio: {t}."),
                (Some(t), Locale::Pl) => format!("Quiz historyczny z Clio: {t}."),
                (None, Locale::En) => "A history quiz with Clio.".to_string(),
                (None, Locale::Pl) => "Quiz historyczny z Clio.".to_string(),
            },
            "scheduled_start_time": iso(quiz.starts_at),
            "scheduled_end_time": iso(quiz.starts_at + schedule::EVENT_LENGTH_MS),
            "privacy_level": 2,
            "entity_type": 3,
            "entity_metadata": { "location": format!("<#{}>", quiz.channel) },
        });
        let route = Route::GuildScheduledEvents {
            guild_id: GuildId::new(quiz.guild),
        };
        match self
            .rest
            .call(http, route, LightMethod::Post, Some(&body), None)
            .await
        {
            Ok(Some(event)) => {
                let Some(event) = event["id"].as_str().and_then(|id| id.parse::<u64>().ok()) else {
                    return false;
                };
                let (nights, id) = (self.nights.clone(), quiz.id);
                if let Some(nights) = nights {
                    if let Err(e) = self
                        .store
                        .call(move |_| nights.set_schedule_event(id, event))
                        .await
                    {
                        error!(error = %e, "recording the Discord event of a scheduled quiz");
                    }
                }
                true
            }
            Ok(None) => false,
            Err(e) => {
                warn!(error = %e, "creating the Discord event of a scheduled quiz");
                false
            }
        }
    }

    /// Carry out what is due, every few seconds, for as long as the bot runs.
    pub async fn run_schedules(self: Arc<Self>, http: Arc<Http>, live: Arc<LiveKnowledge>) {
        let mut tick = tokio::time::interval(EVERY);
        tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
        loop {
            tick.tick().await;
            if let Err(e) = self.schedules_due(&http, &live).await {
                warn!(error = %e, "reading scheduled quizzes; trying again shortly");
            }
        }
    }

    async fn schedules_due(
        &self,
        http: &Arc<Http>,
        live: &LiveKnowledge,
    ) -> Result<(), StoreError> {
        let Some(nights) = self.nights.clone() else {
            return Ok(());
        };
        let reader = nights.clone();
        let open = self
            .store
            .call(move |_| reader.scheduled_quizzes(None))
            .await?;
        // A scheduled night belongs, like the server's quizzes, to the process running its shard.
        for quiz in open.into_iter().filter(|q| self.shards.owns(q.guild)) {
            let now = self.now_ms();
            let Some(due) = schedule::due(&quiz, now) else {
                continue;
            };
            let to = match due {
                Due::Remind => ScheduleState::Reminded,
                Due::Start => ScheduleState::Started,
                Due::Missed => ScheduleState::Missed,
            };
            let (claimer, id, from) = (nights.clone(), quiz.id, quiz.state);
            // Claimed before it is carried out: a restart never reminds or starts twice.
            if !self
                .store
                .call(move |_| claimer.move_schedule(id, &[from], to))
                .await?
            {
                continue;
            }
            info!(
                schedule = quiz.id,
                step = to.as_str(),
                "a scheduled quiz night moves on"
            );
            let out = ChannelOutbound::new(http.clone(), self.rest.clone(), quiz.channel);
            let locale = quiz.config.locale;
            match due {
                Due::Remind => {
                    let text = match locale {
                        Locale::En => format!(
                            "⏰ The quiz night starts <t:{}:R>, here. Get your team together!",
                            quiz.starts_at / 1000
                        ),
                        Locale::Pl => format!(
                            "⏰ Wieczór quizowy zaczyna się tutaj <t:{}:R>. Zbierzcie drużyny!",
                            quiz.starts_at / 1000
                        ),
                    };
                    out.post(&render::notice(text, false)).await;
                }
                Due::Missed => {
                    let text = match locale {
                        Locale::En => format!("The quiz night set for <t:{}:F> did not start: Clio was away at the time. Start it now with `/quiz start`, or schedule it again.", quiz.starts_at / 1000),
                        Locale::Pl => format!("Wieczór quizowy zaplanowany na <t:{}:F> się nie zaczął: Clio była wtedy niedostępna. Zacznij go teraz przez `/quiz start` albo zaplanuj ponownie.", quiz.starts_at / 1000),
                    };
                    out.post(&render::notice(text, false)).await;
                }
                Due::Start => self.start_scheduled(http, live.get(), &quiz, out).await,
            }
        }
        Ok(())
    }

    /// Start a scheduled night as `/quiz start` would: draw, record, announce, play.
    async fn start_scheduled(
        &self,
        http: &Arc<Http>,
        kb: Arc<crate::knowledge::KnowledgeBase>,
        scheduled: &ScheduledQuiz,
        out: ChannelOutbound,
    ) {
        let locale = scheduled.config.locale;
        let now = self.now_ms();
        let mut config = scheduled.config.clone();
        config.seed = crate::answers::splitmix64(&mut (now ^ scheduled.channel.rotate_left(17)));
        let recent = self
            .store
            .recent_question_keys(scheduled.guild, 5)
            .await
            .unwrap_or_default();
        let busy = self.sender_for_channel(scheduled.channel).is_some();
        let prepared = crate::quiz::prepare(&kb, config, &recent);
        let (session, topic) = match (prepared, busy) {
            (Ok(p), false) => p,
            (Err(e), _) => {
                out.post(&render::notice(e.message(locale), false)).await;
                return;
            }
            (_, true) => {
                out.post(&render::notice(q(locale, Q::AlreadyRunning), false))
                    .await;
                return;
            }
        };
        let new = NewQuiz {
            guild: scheduled.guild,
            channel: scheduled.channel,
            host: scheduled.host,
            config: session.config().clone(),
            questions: session.questions().to_vec(),
            started_at: now,
        };
        let id = match self.store.create_quiz(new).await {
            Ok(id) => id,
            Err(e) => {
                error!(error = %e, "recording a scheduled quiz at its start");
                out.post(&render::notice(q(locale, Q::AlreadyRunning), false))
                    .await;
                return;
            }
        };
        out.post(&render::announcement(&session, topic.as_deref()))
            .await;
        let ticket = self.desk.register(id, scheduled.channel);
        let started = Started {
            id,
            channel: scheduled.channel,
            session,
            messages: BTreeMap::new(),
            ticket,
            start: true,
        };
        self.spawn_runner(http, kb, started, Vec::new());
    }
}
