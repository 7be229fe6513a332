//! One error path for the commands: every framework error poise reports becomes one calm,
//! ephemeral line in the asker's language, and the whole error chain goes to the log with an id.

use std::sync::atomic::Ordering;
use std::time::Instant;

use poise::serenity_prelude as serenity;
use serenity::http::Http;
use serenity::InteractionId;
use tracing::{error, info, warn};

use super::bot::{Data, Error};
use super::commands;
use super::interactions::{self, ErrorId};
use super::rest::Rest;
use crate::i18n::Locale;
use crate::ops::Outcome;

/// Every framework error, one calm ephemeral line for the user (in their language) and the
/// whole error chain in the log with an id.
pub async fn on_error(error: poise::FrameworkError<'_, Data, Error>) {
    let id = ErrorId::new();
    if let poise::FrameworkError::UnknownInteraction {
        framework,
        interaction,
        ..
    } = &error
    {
        // Not a command Clio declares (an old registration, or a hand-made request): say so,
        // as the terminal does.
        let known: Vec<String> = commands::all()
            .iter()
            .map(|c| format!("/{}", c.name))
            .collect();
        let line = crate::answers::CommandError::Unknown {
            name: interaction.data.name.clone(),
            known,
        }
        .to_string();
        info!(error_id = %id, command = %interaction.data.name, "an unknown command");
        send_line(
            &framework.user_data.rest,
            &framework.serenity_context.http,
            interaction.id,
            &interaction.token,
            line,
            &id,
        )
        .await;
        framework.user_data.services.ops.metrics.interaction(
            "unknown",
            Outcome::UserError,
            std::time::Duration::ZERO,
        );
        return;
    }
    let Some(ctx) = error.ctx() else {
        error!(error_id = %id, error = %error, "the command framework reported an error");
        return;
    };
    let locale = commands::locale_of(ctx);
    let pick = |en: &str, pl: &str| match locale {
        Locale::En => en.to_string(),
        Locale::Pl => pl.to_string(),
    };
    let (line, outcome) = match &error {
        poise::FrameworkError::Command { error, .. } => {
            let mut chain = error.to_string();
            let mut source = error.source();
            while let Some(e) = source {
                chain.push_str(&format!(": {e}"));
                source = e.source();
            }
            error!(error_id = %id, error = %chain, command = %ctx.command().qualified_name, "a command failed");
            (
                interactions::internal_error_line(locale, &id),
                Outcome::Failed,
            )
        }
        poise::FrameworkError::CommandPanic { payload, .. } => {
            error!(error_id = %id, panic = payload.as_deref().unwrap_or("?"), command = %ctx.command().qualified_name, "a command panicked");
            (
                interactions::internal_error_line(locale, &id),
                Outcome::Failed,
            )
        }
        poise::FrameworkError::ArgumentParse { error, input, .. } => {
            warn!(error_id = %id, error = %error, input = input.as_deref().unwrap_or(""), "an option could not be read");
            (
                pick(
                    "I could not read one of the options; Discord may still show an older version of this command. Try again in a moment.",
                    "Nie udało mi się odczytać jednej z opcji; Discord może jeszcze pokazywać starszą wersję tego polecenia. Spróbuj ponownie za chwilę.",
                ),
                Outcome::UserError,
            )
        }
        poise::FrameworkError::CommandStructureMismatch { description, .. } => {
            warn!(error_id = %id, description, command = %ctx.command().qualified_name, "the command's options do not match its declaration");
            (
                pick(
                    "This command's options do not match what I know; Discord may still show an older version of it. Try again in a moment.",
                    "Opcje tego polecenia nie zgadzają się z tym, co znam; Discord może jeszcze pokazywać jego starszą wersję. Spróbuj ponownie za chwilę.",
                ),
                Outcome::UserError,
            )
        }
        poise::FrameworkError::SubcommandRequired { .. } => (
            pick(
                "Choose what to do from the list under the command.",
                "Wybierz z listy pod poleceniem, co zrobić.",
            ),
            Outcome::UserError,
        ),
        poise::FrameworkError::MissingBotPermissions {
            missing_permissions,
            ..
        } => {
            let missing: Vec<serenity::Permissions> = missing_permissions.iter().collect();
            (
                super::permissions::missing_message(&missing, locale),
                Outcome::UserError,
            )
        }
        poise::FrameworkError::MissingUserPermissions { .. } => (
            pick(
                "Only members with the Manage Server permission can do this.",
                "To mogą zrobić tylko osoby z uprawnieniem Zarządzanie serwerem.",
            ),
            Outcome::UserError,
        ),
        poise::FrameworkError::GuildOnly { .. } => (
            pick(
                "This works in a server only.",
                "To działa tylko na serwerze.",
            ),
            Outcome::UserError,
        ),
        other => {
            warn!(error_id = %id, error = %other, "a command was refused");
            (
                pick("I can't do that here.", "Nie mogę tego tu zrobić."),
                Outcome::UserError,
            )
        }
    };
    if let poise::Context::Application(app) = ctx {
        // Only if nothing was sent yet: a command that answered and then failed says nothing more.
        if !app.has_sent_initial_response.swap(true, Ordering::SeqCst) {
            send_line(
                &ctx.data().rest,
                ctx.http(),
                app.interaction.id,
                &app.interaction.token,
                line,
                &id,
            )
            .await;
        }
    }
    ctx.data().services.ops.metrics.interaction(
        &ctx.command().name,
        outcome,
        std::time::Duration::ZERO,
    );
}

/// Answer an interaction with one ephemeral line.
async fn send_line(
    rest: &Rest,
    http: &Http,
    interaction: InteractionId,
    token: &str,
    line: String,
    id: &ErrorId,
) {
    let body = interactions::notice_body(line);
    if let Err(e) = rest
        .callback(http, interaction, token, &body, Instant::now())
        .await
    {
        error!(error_id = %id, error = %e, "sending the error line to Discord failed");
    }
}
