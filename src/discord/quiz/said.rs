//! What the quiz desk answers: a callback body with the outcome it means for the metrics, and
//! the quiz's short lines (refusals, confirmations, errors).

use serde_json::{json, Value};
use tracing::error;

use crate::discord::interactions::{internal_error_line, ErrorId};
use crate::discord::payload;
use crate::i18n::Locale;
use crate::ops::Outcome;
use crate::quiz::runner::Control;

use crate::store::StoreError;

/// "Clio is thinking…", only for the asker: the first answer of a deferred interaction.
pub(super) fn deferred() -> Value {
    json!({
        "type": payload::DEFERRED_CHANNEL_MESSAGE_WITH_SOURCE,
        "data": { "flags": payload::EPHEMERAL },
    })
}

/// A callback body and what it means for the metrics.
#[derive(Debug, Clone)]
pub struct Said {
    pub body: Value,
    pub outcome: Outcome,
}

impl Said {
    pub(super) fn answered(body: Value) -> Said {
        Said {
            body,
            outcome: Outcome::Answered,
        }
    }
}

/// A type-4 callback only the asker sees, refusing what was asked (a user error).
pub(super) fn ephemeral(text: String) -> Said {
    Said {
        body: crate::discord::interactions::notice_body(text),
        outcome: Outcome::UserError,
    }
}

/// An internal error: logged in full with an id, one calm line for the user.
pub(super) fn internal(locale: Locale, doing: &str, error: &StoreError) -> Said {
    let id = ErrorId::new();
    error!(error_id = %id, error = %error, "{doing} failed");
    Said {
        outcome: Outcome::Failed,
        ..ephemeral(internal_error_line(locale, &id))
    }
}

pub(super) fn not_in_dm(locale: Locale) -> String {
    match locale {
        Locale::En => "Quizzes are played in a server channel, not in direct messages.".into(),
        Locale::Pl => "W quizy gra się na kanale serwera, nie w wiadomościach prywatnych.".into(),
    }
}

/// The host's confirmation of a command that worked (the channel sees its effect).
pub(super) fn done_line(control: Control, locale: Locale) -> &'static str {
    match (control, locale) {
        (Control::Next, Locale::En) => "Done: moving on.",
        (Control::Next, Locale::Pl) => "Gotowe: idziemy dalej.",
        (Control::Pause, Locale::En) => "Paused. Resume with `/quiz resume`.",
        (Control::Pause, Locale::Pl) => "Wstrzymano. Wznów poleceniem `/quiz resume`.",
        (Control::Resume, Locale::En) => "Resumed.",
        (Control::Resume, Locale::Pl) => "Wznowiono.",
        (Control::Stop, Locale::En) => "Stopped: the final standings are in the channel.",
        (Control::Stop, Locale::Pl) => "Zakończono: klasyfikacja końcowa jest na kanale.",
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::quiz::i18n::{q, Q};

    #[test]
    fn refusals_are_ephemeral_and_mention_nobody() {
        let said = ephemeral(q(Locale::Pl, Q::NotHost).to_string());
        assert_eq!(said.outcome, Outcome::UserError);
        let body = said.body;
        assert_eq!(body["type"], 4);
        assert_eq!(body["data"]["flags"], 64);
        assert_eq!(body["data"]["allowed_mentions"], json!({"parse": []}));
    }
}
