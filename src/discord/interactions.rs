//! What an interaction asks for, and the callback body that answers it.
//!
//! This is the whole of the bot's behaviour, kept free of serenity so it can be tested (and
//! benchmarked) as plain data: `bot.rs` turns serenity's model into an [`Asked`], calls
//! [`answer`], and POSTs the body unchanged. Every body comes from [`payload`], the same functions
//! `clio ask --json` prints, so what the CLI shows is what Discord gets.
//!
//! Two kinds of failure: a user error (unknown option, bad date, no match) is an answer from the
//! core, worded for the user and ephemeral. Anything else, a panic included, is internal: it is
//! logged in full with an [`ErrorId`], and the user gets one calm ephemeral line quoting that id.

use std::panic::{catch_unwind, AssertUnwindSafe};
use std::sync::atomic::{AtomicU64, Ordering};

use serde_json::Value;

use super::payload::{self, Body};
use crate::answers::{self, Command, Ctx, Reply, Response};
use crate::i18n::Locale;
use crate::knowledge::KnowledgeBase;

/// What an interaction asks for, in the core's terms.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Asked {
    /// A slash command with its options as `(name, value)`.
    Command {
        name: String,
        options: Vec<(String, String)>,
    },
    /// Suggestions for the option being typed.
    Autocomplete {
        command: String,
        option: String,
        partial: String,
    },
    /// A button press, by its custom_id.
    Button { custom_id: String },
}

impl Asked {
    /// A short label for logs: `/who`, `/who name…`, `button o:anders`.
    pub fn label(&self) -> String {
        match self {
            Asked::Command { name, .. } => format!("/{name}"),
            Asked::Autocomplete {
                command, option, ..
            } => format!("/{command} {option}…"),
            Asked::Button { custom_id } => format!("button {custom_id}"),
        }
    }
}

/// An id for one internal error, shown to the user and logged with the error's details.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ErrorId(String);

impl ErrorId {
    /// Eight hex digits, distinct within a process and unlikely to repeat across restarts.
    pub fn new() -> ErrorId {
        static COUNTER: AtomicU64 = AtomicU64::new(0);
        let nanos = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map_or(0, |d| d.as_nanos() as u64);
        let mut state = nanos ^ COUNTER.fetch_add(1, Ordering::Relaxed).rotate_left(48);
        ErrorId(format!("{:08x}", answers::splitmix64(&mut state) as u32))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl Default for ErrorId {
    fn default() -> Self {
        ErrorId::new()
    }
}

impl std::fmt::Display for ErrorId {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

/// The reply to a command whose answer comes from the knowledge alone: the lookups and `/help`.
/// The quiz, the leaderboard and the server's settings need a Discord server; asked elsewhere
/// (the terminal), they say so.
pub fn command_reply(
    kb: &KnowledgeBase,
    name: &str,
    options: &[(String, String)],
    locale: Locale,
    ctx: &Ctx,
) -> Reply {
    match name {
        "help" => super::help::reply(locale),
        "quiz" | "leaderboard" | "settings" | "admin" => notice(match locale {
            Locale::En => format!(
                "`/{name}` works in a Discord server, where Clio runs it for the channel. In the \
                 terminal, `clio quiz` plays a quiz."
            ),
            Locale::Pl => format!(
                "`/{name}` działa na serwerze Discorda, gdzie Clio prowadzi je na kanale. W \
                 terminalu quiz uruchomisz poleceniem `clio quiz`."
            ),
        }),
        _ => match Command::from_parts(name, options) {
            Ok(command) => answers::respond(kb, &command, locale, ctx),
            // Discord only sends what was registered, so this is an old registration or a
            // hand-made request: tell the user, as the CLI does.
            Err(e) => notice(e.to_string()),
        },
    }
}

/// The callback body for a question: a message (type 4), an update (type 7) or choices (type 8).
pub fn answer(kb: &KnowledgeBase, asked: &Asked, locale: Locale, ctx: &Ctx) -> Body {
    match asked {
        Asked::Command { name, options } => Body::of(&Response::Message(command_reply(
            kb, name, options, locale, ctx,
        ))),
        Asked::Autocomplete {
            command,
            option,
            partial,
        } => Body::autocomplete(&answers::autocomplete(kb, command, option, partial, locale)),
        Asked::Button { custom_id } => Body::of(&answers::press(kb, custom_id, locale, ctx)),
    }
}

/// What went wrong while answering, for the log.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Failure {
    pub id: ErrorId,
    pub detail: String,
}

/// [`answer`], but a panic becomes the calm line (or, for autocomplete, no suggestions) and a
/// [`Failure`] to log. Whatever the core does, the user gets an answer and the bot stays up.
pub fn answer_safely(
    kb: &KnowledgeBase,
    asked: &Asked,
    locale: Locale,
    ctx: &Ctx,
) -> (Body, Option<Failure>) {
    answer_or_contain(asked, locale, || answer(kb, asked, locale, ctx))
}

/// The containment itself, separate so tests can hand it a failing answer.
pub fn answer_or_contain(
    asked: &Asked,
    locale: Locale,
    answer: impl FnOnce() -> Body,
) -> (Body, Option<Failure>) {
    match catch_unwind(AssertUnwindSafe(answer)) {
        Ok(body) => (body, None),
        Err(panic) => {
            let detail = panic
                .downcast_ref::<&str>()
                .map(|s| s.to_string())
                .or_else(|| panic.downcast_ref::<String>().cloned())
                .unwrap_or_else(|| "a panic without a message".into());
            let failure = Failure {
                id: ErrorId::new(),
                detail: format!("panicked: {detail}"),
            };
            (failure_body(asked, locale, &failure.id), Some(failure))
        }
    }
}

/// What the user sees for an internal error: an ephemeral line with the id, or no suggestions.
pub fn failure_body(asked: &Asked, locale: Locale, id: &ErrorId) -> Body {
    match asked {
        Asked::Autocomplete { .. } => Body::autocomplete(&[]),
        _ => Body::of(&Response::Message(notice(internal_error_line(locale, id)))),
    }
}

/// One calm sentence: something failed on Clio's side, it is logged under this id.
pub fn internal_error_line(locale: Locale, id: &ErrorId) -> String {
    match locale {
        Locale::En => format!(
            "Something went wrong on my side (error `{id}`). It has been logged; please try again \
             in a moment."
        ),
        Locale::Pl => format!(
            "Coś poszło nie tak po mojej stronie (błąd `{id}`). Zapisałam to; spróbuj ponownie za \
             chwilę."
        ),
    }
}

/// An ephemeral line as a callback body.
pub fn notice_body(text: String) -> Value {
    payload::callback_body(&Response::Message(notice(text)))
}

fn notice(text: String) -> Reply {
    Reply {
        content: Some(text),
        ephemeral: true,
        ..Default::default()
    }
    .fit()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_panicking_answer_becomes_a_calm_ephemeral_line_with_an_id() {
        let asked = Asked::Command {
            name: "who".into(),
            options: vec![],
        };
        let (body, failure) =
            answer_or_contain(&asked, Locale::En, || panic!("index out of bounds"));
        let failure = failure.expect("the panic is reported");
        assert!(failure.detail.contains("index out of bounds"));
        assert_eq!((body.callback, body.ephemeral), (4, true));
        let body = body.to_value();
        assert_eq!(body["type"], 4);
        assert_eq!(body["data"]["flags"], 64);
        assert_eq!(
            body["data"]["allowed_mentions"],
            serde_json::json!({"parse": []})
        );
        let line = body["data"]["content"].as_str().unwrap();
        assert!(line.contains(failure.id.as_str()), "{line}");
        assert!(
            !line.contains("index out of bounds"),
            "internals stay in the log"
        );
    }

    #[test]
    fn a_panicking_autocomplete_suggests_nothing() {
        let asked = Asked::Autocomplete {
            command: "who".into(),
            option: "name".into(),
            partial: "x".into(),
        };
        let (body, failure) = answer_or_contain(&asked, Locale::Pl, || panic!("boom"));
        assert!(failure.is_some());
        assert_eq!(
            body.to_value(),
            serde_json::json!({"type": 8, "data": {"choices": []}})
        );
    }

    #[test]
    fn error_ids_differ() {
        let ids: std::collections::HashSet<String> =
            (0..1000).map(|_| ErrorId::new().to_string()).collect();
        assert_eq!(ids.len(), 1000);
        assert!(ids.iter().all(|id| id.len() == 8));
    }
}
