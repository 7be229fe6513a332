//! A quiz night's interactions: a team's Join button, the 💡 Hint button, and the host's
//! `/quiz team`. Each goes to the quiz's runner as an order and is answered privately once the
//! runner has stored it (a refusal or a store failure says what to do).

use tokio::sync::oneshot;
use tracing::error;

use super::incoming::Asker;
use super::said::{ephemeral, Said};
use super::QuizDesk;
use crate::answers::Response;
use crate::discord::interactions::ErrorId;
use crate::discord::payload;
use crate::i18n::Locale;
use crate::ops::Outcome;
use crate::quiz::i18n::{q, Q};
use crate::quiz::night::MAX_TEAMS;
use crate::quiz::runner::{Order, Pressed};
use crate::quiz::QuizAction;

/// An order for the runner, given where its answer goes.
type MakeOrder = Box<dyn FnOnce(oneshot::Sender<Pressed>) -> Order + Send>;

impl QuizDesk {
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
}
