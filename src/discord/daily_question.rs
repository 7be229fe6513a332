//! The daily question on Discord: the task that posts it (and, just before, the previous one's
//! reveal) at each server's local time, its answer buttons, and the streaks for
//! `/leaderboard period:streaks`. What is due and what is stored is `quiz::daily`'s.
//!
//! A button's custom_id is `dq:<server>:<YYYYMMDD>:<option>`: all a press needs, so the buttons
//! work after a restart. An answer is stored before it is confirmed, privately.

use std::sync::Arc;
use std::time::{Duration, Instant};

use chrono::{Datelike, NaiveDate, Utc};
use serde_json::Value;
use serenity::all::{ChannelId, ComponentInteraction};
use serenity::http::{Http, LightMethod, Request, Route};
use tracing::{error, info, warn};

use super::interactions::{notice_body, ErrorId};
use super::service::Services;
use crate::dates::PartialDate;
use crate::i18n::Locale;
use crate::knowledge::KnowledgeBase;
use crate::ops::Outcome;
use crate::quiz::daily::{self, AnswerTaken, DailyAnswer, DailyStep, PostedQuestion, Streak};
use crate::quiz::Answer;
use crate::reply::{Button, ButtonStyle, Embed, Reply, Response};
use crate::text::{escape_markdown, shorten};

const ASKING: u32 = 0x3B82F6;
const REVEALED: u32 = 0x10B981;

/// A press of a daily question's answer button.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct DailyPress {
    pub guild: u64,
    pub date: NaiveDate,
    pub option: usize,
}

impl DailyPress {
    pub fn custom_id(&self) -> String {
        format!(
            "dq:{}:{}:{}",
            self.guild,
            self.date.format("%Y%m%d"),
            self.option
        )
    }

    /// Read a custom_id; `None` for anything that is not a daily question's button.
    pub fn parse(custom_id: &str) -> Option<DailyPress> {
        let mut parts = custom_id.strip_prefix("dq:")?.split(':');
        let guild = parts.next()?.parse().ok()?;
        let date = NaiveDate::parse_from_str(parts.next()?, "%Y%m%d").ok()?;
        let option = parts.next()?.parse::<usize>().ok().filter(|o| *o < 25)?;
        parts.next().is_none().then_some(DailyPress {
            guild,
            date,
            option,
        })
    }
}

fn pick(locale: Locale, en: &str, pl: &str) -> String {
    match locale {
        Locale::En => en.to_string(),
        Locale::Pl => pl.to_string(),
    }
}

fn day_text(date: NaiveDate, locale: Locale) -> String {
    PartialDate::day(date.year(), date.month() as u8, date.day() as u8).display(locale)
}

const LETTERS: [&str; 5] = ["A", "B", "C", "D", "E"];

/// A channel message (a `MessageCreateRequest`) from a reply, mentioning nobody.
fn channel_body(reply: Reply) -> Value {
    let body = super::payload::callback_body(&Response::Message(reply));
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

/// The day's question, with one button per option.
pub fn question_message(posted: &PostedQuestion, locale: Locale) -> Value {
    let q = &posted.question;
    let mut lines = vec![format!("**{}**", escape_markdown(q.prompt.get(locale)))];
    let mut row = Vec::new();
    if let Answer::Choice { options, .. } = &q.answer {
        for (i, o) in options.iter().enumerate().take(LETTERS.len()) {
            lines.push(format!(
                "**{}.** {}",
                LETTERS[i],
                escape_markdown(o.text.get(locale))
            ));
            let press = DailyPress {
                guild: posted.guild,
                date: posted.date,
                option: i,
            };
            row.push(Button::new(
                LETTERS[i],
                press.custom_id(),
                ButtonStyle::Primary,
            ));
        }
    }
    let embed = Embed {
        title: Some(match locale {
            Locale::En => format!("Question of the day, {}", day_text(posted.date, locale)),
            Locale::Pl => format!("Pytanie dnia, {}", day_text(posted.date, locale)),
        }),
        description: Some(lines.join("\n")),
        color: Some(ASKING),
        footer: Some(pick(
            locale,
            "Press a letter to answer; you may change it until the answer is revealed with tomorrow's question.",
            "Naciśnij literę, by odpowiedzieć; możesz zmienić zdanie do ujawnienia odpowiedzi przy jutrzejszym pytaniu.",
        )),
        ..Default::default()
    };
    channel_body(Reply::embed(embed).with_row(row).fit())
}

/// The previous question's result: how many answered, who was right, the explanation, the source.
pub fn reveal_message(
    posted: &PostedQuestion,
    answers: &[DailyAnswer],
    kb: &KnowledgeBase,
    locale: Locale,
) -> Value {
    let q = &posted.question;
    let right: Vec<String> = answers
        .iter()
        .filter(|a| a.correct)
        .map(|a| escape_markdown(&a.name))
        .collect();
    let count = match locale {
        Locale::En => format!("{} answered, {} right.", answers.len(), right.len()),
        Locale::Pl => format!("Odpowiedzi: {}, trafnych: {}.", answers.len(), right.len()),
    };
    let who = if right.is_empty() {
        pick(locale, "Nobody was right.", "Nikt nie trafił.")
    } else {
        let mut names: Vec<String> = right.iter().take(30).cloned().collect();
        if right.len() > 30 {
            names.push(format!("+{}", right.len() - 30));
        }
        names.join(", ")
    };
    let embed = Embed {
        title: Some(match locale {
            Locale::En => format!(
                "The answer to the question of {}",
                day_text(posted.date, locale)
            ),
            Locale::Pl => format!("Odpowiedź na pytanie z {}", day_text(posted.date, locale)),
        }),
        description: Some(format!(
            "{}\n✅ **{}**",
            escape_markdown(q.prompt.get(locale)),
            escape_markdown(&q.right_answer(locale))
        )),
        color: Some(REVEALED),
        ..Default::default()
    }
    .field(pick(locale, "Result", "Wynik"), count, false)
    .field(pick(locale, "Right", "Trafili"), shorten(&who, 1000), false)
    .field(
        pick(locale, "Why", "Wyjaśnienie"),
        shorten(q.explanation.get(locale), 1000),
        false,
    )
    .field(
        pick(locale, "Source", "Źródło"),
        shorten(&crate::quiz::render::source_line(q, Some(kb)), 1000),
        false,
    );
    channel_body(Reply::embed(embed).fit())
}

/// `/leaderboard period:streaks`: current and best runs of right daily answers.
pub fn streaks_reply(streaks: &[Streak], locale: Locale) -> Reply {
    let text = if streaks.is_empty() {
        pick(
            locale,
            "No streaks yet: nobody has answered a revealed daily question right. Set one up with /settings daily_question.",
            "Brak serii: nikt jeszcze nie odpowiedział trafnie na ujawnione pytanie dnia. Włącz je przez /settings daily_question.",
        )
    } else {
        streaks
            .iter()
            .take(20)
            .enumerate()
            .map(|(i, s)| match locale {
                Locale::En => format!(
                    "{}. {}: current {}, best {}",
                    i + 1,
                    escape_markdown(&s.name),
                    s.current,
                    s.best
                ),
                Locale::Pl => format!(
                    "{}. {}: obecna {}, najlepsza {}",
                    i + 1,
                    escape_markdown(&s.name),
                    s.current,
                    s.best
                ),
            })
            .collect::<Vec<_>>()
            .join("\n")
    };
    Reply::embed(Embed {
        title: Some(pick(
            locale,
            "Daily question streaks (right answers in a row)",
            "Serie pytania dnia (trafne odpowiedzi z rzędu)",
        )),
        description: Some(text),
        color: Some(ASKING),
        ..Default::default()
    })
    .fit()
}

// ---- The task ---------------------------------------------------------------------------------

/// Every 30 seconds (at once on start, and when a server changes its setting): claim and post the
/// due reveals and questions.
pub async fn run(services: Services, http: Arc<Http>) {
    let Some(store) = services.daily_questions.clone() else {
        return;
    };
    let mut tick = tokio::time::interval(Duration::from_secs(30));
    tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
    loop {
        tokio::select! {
            _ = tick.tick() => {}
            _ = services.daily_question_nudge.notified() => {}
        }
        if services.flight.is_stopping() {
            return;
        }
        let (store, kb, now) = (store.clone(), services.live.get(), Utc::now());
        let steps = tokio::task::spawn_blocking(move || daily::claim_due(store.as_ref(), &kb, now))
            .await
            .unwrap_or_else(|e| Err(crate::quiz::persist::StoreError::Task(e.to_string())));
        let steps = match steps {
            Ok(steps) => steps,
            Err(e) => {
                error!(error = %e, "checking the daily questions failed");
                continue;
            }
        };
        for step in steps {
            post(&services, &http, step).await;
        }
    }
}

async fn post(services: &Services, http: &Http, step: DailyStep) {
    let (guild, channel, date, what) = match &step {
        DailyStep::Reveal { posted, .. } => (posted.guild, posted.channel, posted.date, "reveal"),
        DailyStep::Ask(posted) => (posted.guild, posted.channel, posted.date, "question"),
    };
    let locale = match services.settings.guild_settings(guild).await {
        Ok(s) => s.post_locale(),
        Err(e) => {
            warn!(error = %e, guild, "reading the server's language; posting in English");
            Locale::En
        }
    };
    let body = match &step {
        DailyStep::Reveal { posted, answers } => {
            reveal_message(posted, answers, &services.live.get(), locale)
        }
        DailyStep::Ask(posted) => question_message(posted, locale),
    };
    let request = Request::new(
        Route::ChannelMessages {
            channel_id: ChannelId::new(channel.max(1)),
        },
        LightMethod::Post,
    )
    .body(Some(body.to_string().into_bytes()));
    match http.request(request).await {
        Ok(_) => info!(guild, channel, %date, what, "posted the daily question"),
        // Claimed but not delivered: not retried (a retry could post twice); the log says why.
        Err(e) => error!(
            guild,
            channel,
            %date,
            what,
            error = %e,
            "posting the daily question failed (does Clio have View Channel, Send Messages and \
             Embed Links there? grant them, or choose another channel with /settings daily_question)"
        ),
    }
}

// ---- Answers ----------------------------------------------------------------------------------

/// Store an answer and say so, privately.
pub async fn answer(
    services: &Services,
    press: DailyPress,
    guild: Option<u64>,
    player: u64,
    name: String,
    locale: Locale,
    now_ms: u64,
) -> (Value, Outcome) {
    let closed = || {
        (
            notice_body(pick(
                locale,
                "This daily question is closed: its answer has been revealed. Try today's question.",
                "To pytanie dnia jest już zamknięte: odpowiedź została ujawniona. Spróbuj dzisiejszego.",
            )),
            Outcome::UserError,
        )
    };
    let Some(store) = services.daily_questions.clone() else {
        return closed();
    };
    if guild != Some(press.guild) {
        return closed();
    }
    let stored = tokio::task::spawn_blocking(move || {
        daily::answer(
            store.as_ref(),
            press.guild,
            press.date,
            press.option,
            player,
            name,
            now_ms,
        )
    })
    .await
    .unwrap_or_else(|e| Err(crate::quiz::persist::StoreError::Task(e.to_string())));
    match stored {
        Ok(Some((AnswerTaken::Stored { replaced }, text))) => {
            let letter = LETTERS.get(press.option).copied().unwrap_or("?");
            let text = escape_markdown(text.get(locale));
            let line = match (locale, replaced) {
                (Locale::En, false) => format!("Your answer **{letter}. {text}** is in. The answer comes with tomorrow's question."),
                (Locale::En, true) => format!("Changed: your answer is now **{letter}. {text}**. The answer comes with tomorrow's question."),
                (Locale::Pl, false) => format!("Zapisano odpowiedź **{letter}. {text}**. Rozwiązanie pojawi się z jutrzejszym pytaniem."),
                (Locale::Pl, true) => format!("Zmieniono: twoja odpowiedź to teraz **{letter}. {text}**. Rozwiązanie pojawi się z jutrzejszym pytaniem."),
            };
            (notice_body(line), Outcome::Answered)
        }
        Ok(_) => closed(),
        Err(e) => {
            let id = ErrorId::new();
            error!(error_id = %id, error = %e, "storing a daily answer failed; not taken");
            (
                notice_body(super::interactions::internal_error_line(locale, &id)),
                Outcome::Failed,
            )
        }
    }
}

/// A press of a daily question's button: stored, then confirmed privately.
pub async fn serve(
    services: &Services,
    rest: &super::rest::Rest,
    http: &Http,
    c: &ComponentInteraction,
    press: DailyPress,
    received: Instant,
) {
    let Some(_in_flight) = services.flight.enter() else {
        info!(id = %c.id, "stopping: not taking this interaction");
        return;
    };
    let locale = Locale::pick(Some(&c.locale), c.guild_locale.as_deref());
    let name = c
        .member
        .as_ref()
        .and_then(|m| m.nick.clone())
        .or_else(|| c.user.global_name.clone())
        .unwrap_or_else(|| c.user.name.clone());
    let now_ms = Utc::now().timestamp_millis().max(0) as u64;
    let (body, mut outcome) = answer(
        services,
        press,
        c.guild_id.map(|g| g.get()),
        c.user.id.get(),
        name,
        locale,
        now_ms,
    )
    .await;
    if let Err(e) = rest.callback(http, c.id, &c.token, &body, received).await {
        outcome = Outcome::Failed;
        let id = ErrorId::new();
        error!(error_id = %id, error = %e, "sending the answer to Discord failed");
    }
    services
        .ops
        .metrics
        .interaction("daily-question", outcome, received.elapsed());
}
