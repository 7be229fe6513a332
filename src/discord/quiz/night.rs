//! A quiz night's interactions: a team's Join button, the 💡 Hint button, the host's
//! `/quiz team`, and the seasons: `/admin season start` and `/leaderboard`. Each goes to the quiz's runner as an order and is answered privately once the
//! runner has stored it (a refusal or a store failure says what to do).

use tokio::sync::oneshot;
use tracing::error;

use super::incoming::Asker;
use super::said::{ephemeral, internal, not_in_dm, Said};
use super::QuizDesk;
use crate::answers::Response;
use crate::discord::interactions::ErrorId;
use crate::discord::payload;
use crate::i18n::Locale;
use crate::ops::Outcome;
use crate::quiz::i18n::{q, Q};
use crate::quiz::night::seasons::{self, MAX_SEASON_NAME};
use crate::quiz::night::MAX_TEAMS;
use crate::quiz::render::{self, Period};
use crate::quiz::runner::{Order, Pressed};
use crate::quiz::QuizAction;

/// An order for the runner, given where its answer goes.
type MakeOrder = Box<dyn FnOnce(oneshot::Sender<Pressed>) -> Order + Send>;

impl QuizDesk {
    /// Read the daily questions' streaks here.
    pub fn with_daily_questions(
        mut self,
        store: std::sync::Arc<dyn crate::quiz::daily::DailyQuestionStore>,
    ) -> Self {
        self.daily_questions = Some(store);
        self
    }

    /// A Join or Hint press.
    pub(super) async fn night_press(&self, action: &QuizAction, asker: &Asker) -> Said {
        let (quiz, order): (u64, MakeOrder) = match action {
            QuizAction::Join { quiz, team } => {
                let (player, name, team) = (asker.user, asker.name.clone(), *team);
                (
                    *quiz,
                    Box::new(move |reply| Order::Join {
                        player,
                        name,
                        team,
                        reply,
                    }),
                )
            }
            QuizAction::Hint { quiz, question } => {
                let (player, name, index) = (asker.user, asker.name.clone(), *question);
                (
                    *quiz,
                    Box::new(move |reply| Order::Hint {
                        player,
                        name,
                        index,
                        reply,
                    }),
                )
            }
            _ => return ephemeral(q(asker.locale, Q::AckInvalid).to_string()),
        };
        let Some(orders) = self.sender_for_quiz(quiz) else {
            return ephemeral(q(asker.locale, Q::AckFinished).to_string());
        };
        self.night_order(orders, order, asker.locale).await
    }

    /// `/quiz team name:<name> number:<1-6>`: the host renames a team of the quiz in this channel.
    pub(super) async fn rename_team(&self, asker: &Asker, options: &[(String, String)]) -> Said {
        let locale = asker.locale;
        let quizmaster = match asker.guild {
            Some(guild) => super::quizmaster_role(self.settings.as_ref(), guild).await,
            None => None,
        };
        if !crate::discord::permissions::can_host(asker.permissions, &asker.roles, quizmaster) {
            return ephemeral(q(locale, Q::NotHost).to_string());
        }
        let get = |n: &str| options.iter().find(|(k, _)| k == n).map(|(_, v)| v.clone());
        let name = get("name").unwrap_or_default();
        let team = match get("number").and_then(|n| n.trim().parse::<usize>().ok()) {
            Some(n) if (1..=MAX_TEAMS).contains(&n) => n - 1,
            _ => {
                return ephemeral(match locale {
                    Locale::En => format!("`number:` is a team's number, 1 to {MAX_TEAMS}."),
                    Locale::Pl => format!("`number:` to numer drużyny, od 1 do {MAX_TEAMS}."),
                })
            }
        };
        let Some(orders) = self.sender_for_channel(asker.channel) else {
            return ephemeral(q(locale, Q::NoQuiz).to_string());
        };
        let order = Box::new(move |reply| Order::RenameTeam { team, name, reply });
        self.night_order(orders, order, locale).await
    }

    async fn night_order(
        &self,
        orders: tokio::sync::mpsc::UnboundedSender<Order>,
        order: MakeOrder,
        locale: Locale,
    ) -> Said {
        let (reply, answer) = oneshot::channel();
        if orders.send(order(reply)).is_err() {
            return ephemeral(q(locale, Q::AckFinished).to_string());
        }
        match answer.await {
            Ok(Pressed::Ack { reply, .. }) => {
                Said::answered(payload::callback_body(&Response::Message(reply)))
            }
            Ok(Pressed::NotStored(e)) => {
                let id = ErrorId::new();
                error!(error_id = %id, error = %e, "recording a quiz night press failed; not taken");
                Said {
                    outcome: Outcome::Failed,
                    ..ephemeral(q(locale, Q::PressAgain).to_string())
                }
            }
            Err(_) => ephemeral(q(locale, Q::AckFinished).to_string()),
        }
    }

    /// `/leaderboard [period]`: the current season by default (all time before the first).
    pub(super) async fn leaderboard(&self, asker: &Asker, period: &Option<String>) -> Said {
        let locale = asker.locale;
        let Some(guild) = asker.guild else {
            return ephemeral(not_in_dm(locale));
        };
        let asked = period.as_deref().map(|p| p.trim().to_lowercase());
        if matches!(asked.as_deref(), Some("streaks" | "serie")) {
            return self.streaks(guild, locale).await;
        }
        let Some(nights) = self.nights.clone() else {
            return self.plain_leaderboard(guild, period, locale).await;
        };
        let (now, period) = (self.now_ms(), period.clone());
        let read = self
            .store
            .call(move |_| {
                let all = nights.seasons(guild)?;
                let span = seasons::span(period.as_deref(), &all, now, locale);
                Ok(match span {
                    Ok(span) => Ok((
                        nights.leaderboard_between(guild, span.since, span.until, 25)?,
                        span.label,
                    )),
                    Err(message) => Err(message),
                })
            })
            .await;
        match read {
            Ok(Ok((rows, label))) => {
                let mut reply = render::leaderboard_message(&rows, Period::All, locale);
                if let Some(embed) = reply.embeds.first_mut() {
                    embed.title = Some(q_title(locale, &label));
                }
                Said::answered(payload::callback_body(&Response::Message(reply.fit())))
            }
            Ok(Err(message)) => ephemeral(message),
            Err(e) => internal(locale, "reading the leaderboard", &e),
        }
    }

    /// `/leaderboard period:streaks`: the daily question's current and best streaks.
    async fn streaks(&self, guild: u64, locale: Locale) -> Said {
        let Some(store) = self.daily_questions.clone() else {
            return Said::answered(payload::callback_body(&Response::Message(
                crate::discord::daily_question::streaks_reply(&[], locale),
            )));
        };
        let read = self.store.call(move |_| store.daily_history(guild)).await;
        match read {
            Ok(history) => {
                let streaks = crate::quiz::daily::streaks(&history);
                Said::answered(payload::callback_body(&Response::Message(
                    crate::discord::daily_question::streaks_reply(&streaks, locale),
                )))
            }
            Err(e) => internal(locale, "reading the daily question streaks", &e),
        }
    }

    /// The leaderboard without seasons (a store that keeps none).
    async fn plain_leaderboard(&self, guild: u64, period: &Option<String>, locale: Locale) -> Said {
        let period = match period.as_deref().map(Period::parse) {
            None => Period::All,
            Some(Some(p)) => p,
            Some(None) => {
                return ephemeral(match locale {
                    Locale::En => "Choose a period: `week`, `month` or `all`.".to_string(),
                    Locale::Pl => "Wybierz okres: `week`, `month` albo `all`.".to_string(),
                })
            }
        };
        match self
            .store
            .leaderboard(guild, period.since(self.now_ms()), 25)
            .await
        {
            Ok(rows) => Said::answered(payload::callback_body(&Response::Message(
                render::leaderboard_message(&rows, period, locale),
            ))),
            Err(e) => internal(locale, "reading the leaderboard", &e),
        }
    }

    /// `/admin season start [name]` (Manage Server): the leaderboard counts from now on; the
    /// answers before stay, under the season that ends.
    pub(super) async fn start_season(&self, asker: &Asker, options: &[(String, String)]) -> Said {
        const MANAGE_GUILD: u64 = 1 << 5;
        let locale = asker.locale;
        let Some(guild) = asker.guild else {
            return ephemeral(not_in_dm(locale));
        };
        if asker.permissions & MANAGE_GUILD == 0 {
            return ephemeral(q(locale, Q::NotHost).to_string());
        }
        let Some(nights) = self.nights.clone() else {
            return ephemeral(q(locale, Q::NoQuiz).to_string());
        };
        let typed = options
            .iter()
            .find(|(k, _)| k == "name")
            .map(|(_, v)| crate::text::clean_input(v).trim().to_string())
            .filter(|v| !v.is_empty());
        if let Some(name) = &typed {
            if name.chars().count() > MAX_SEASON_NAME {
                return ephemeral(match locale {
                    Locale::En => {
                        format!("A season's name has at most {MAX_SEASON_NAME} characters.")
                    }
                    Locale::Pl => format!("Nazwa sezonu ma najwyżej {MAX_SEASON_NAME} znaków."),
                });
            }
        }
        let now = self.now_ms();
        let started = self
            .store
            .call(move |_| {
                let all = nights.seasons(guild)?;
                let number = all.last().map_or(1, |s| s.number + 1);
                let name = typed.unwrap_or_else(|| seasons::default_season_name(number, locale));
                if all
                    .iter()
                    .any(|s| s.name.to_lowercase() == name.to_lowercase())
                {
                    return Ok(Err(name));
                }
                nights.start_season(guild, &name, now).map(Ok)
            })
            .await;
        match started {
            Ok(Ok(season)) => Said::answered(ephemeral(match locale {
                Locale::En => format!(
                    "Season {} “{}” has begun: `/leaderboard` counts from now on. Earlier seasons stay: `/leaderboard period:<name>`.",
                    season.number, season.name
                ),
                Locale::Pl => format!(
                    "Sezon {} „{}” się zaczął: `/leaderboard` liczy od teraz. Dawne sezony zostają: `/leaderboard period:<nazwa>`.",
                    season.number, season.name
                ),
            }).body),
            Ok(Err(name)) => ephemeral(match locale {
                Locale::En => format!("There is a season named “{name}” already: choose another name."),
                Locale::Pl => format!("Sezon „{name}” już jest: wybierz inną nazwę."),
            }),
            Err(e) => internal(locale, "starting a season", &e),
        }
    }

    /// The seasons' names for `period:` suggestions (none when they cannot be read).
    pub async fn period_suggestions(
        &self,
        guild: Option<u64>,
        partial: &str,
    ) -> Vec<(String, String)> {
        let all = match (guild, self.nights.clone()) {
            (Some(guild), Some(nights)) => self
                .store
                .call(move |_| nights.seasons(guild))
                .await
                .unwrap_or_default(),
            _ => Vec::new(),
        };
        seasons::period_suggestions(&all, partial)
    }
}

fn q_title(locale: Locale, label: &str) -> String {
    crate::quiz::i18n::leaderboard_title(locale, label)
}
