//! Every slash command, declared once, with poise: a function whose `///` doc is its description,
//! whose parameters are its options (with their limits, choices and autocomplete), and whose
//! attributes carry its Polish name and description and who may see it.
//!
//! Everything else is derived from [`all`]: the registration body (`clio commands --json`, and
//! what `clio run` PUTs), `/help`, the console's parser and `clio commands`. Each function turns
//! its typed options into the option text the answering code takes ([`Asked::Command`]), so the
//! terminal and Discord share one path from there on.

use poise::serenity_prelude as serenity;
use serde_json::Value;

mod lookups;
mod quiz;
mod server;

use lookups::*;
use quiz::*;
use server::*;

use super::bot::{Context, Data, Error};
use super::interactions::Asked;
use crate::answers;
use crate::i18n::Locale;

/// The commands, in the order `/help` and the registration list them.
pub fn all() -> Vec<poise::Command<Data, Error>> {
    vec![
        event(),
        who(),
        what(),
        search(),
        onthisday(),
        timeline(),
        random(),
        help(),
        quiz(),
        leaderboard(),
        settings(),
        admin(),
    ]
}

/// The longest option value Discord will accept from the user; the core reads at most 200 anyway.
pub const MAX_OPTION_LENGTH: usize = 200;

/// A lookup or admin command: its options as text, answered by the bot's one answering path.
async fn answer(
    ctx: Context<'_>,
    name: &str,
    options: Vec<(&str, Option<String>)>,
) -> Result<(), Error> {
    let options = options
        .into_iter()
        .filter_map(|(n, v)| v.map(|v| (n.to_string(), v)))
        .collect();
    let asked = Asked::Command {
        name: name.to_string(),
        options,
    };
    ctx.data().answer_command(ctx, asked).await
}

/// A subcommand of `command`: its name first, as Discord nests it.
async fn answer_sub(
    ctx: Context<'_>,
    command: &str,
    sub: &str,
    mut options: Vec<(&str, Option<String>)>,
) -> Result<(), Error> {
    options.insert(0, ("subcommand", Some(sub.to_string())));
    answer(ctx, command, options).await
}

// ---- autocomplete ----------------------------------------------------------------------------

fn choices(pairs: Vec<(String, String)>) -> serenity::CreateAutocompleteResponse {
    serenity::CreateAutocompleteResponse::new().set_choices(
        pairs
            .into_iter()
            .map(|(name, value)| serenity::AutocompleteChoice::new(name, value))
            .collect(),
    )
}

/// Suggestions for the lookup option being typed: the core knows what each option suggests.
async fn lookup(ctx: Context<'_>, partial: &str) -> serenity::CreateAutocompleteResponse {
    let data = ctx.data();
    data.count_autocomplete();
    let poise::Context::Application(app) = ctx else {
        return choices(Vec::new());
    };
    let option = app
        .interaction
        .data
        .autocomplete()
        .map(|o| o.name.to_string())
        .unwrap_or_default();
    let kb = data.services.live.get();
    let command = &ctx.command().name;
    choices(answers::autocomplete(
        &kb,
        command,
        &option,
        partial,
        locale_of(ctx),
    ))
}

async fn quiz_topics(ctx: Context<'_>, partial: &str) -> serenity::CreateAutocompleteResponse {
    let data = ctx.data();
    let kb = data.services.live.get();
    data.count_autocomplete();
    choices(crate::quiz::topic::suggest_topics(
        &kb,
        partial,
        locale_of(ctx),
    ))
}

async fn times(ctx: Context<'_>, partial: &str) -> serenity::CreateAutocompleteResponse {
    ctx.data().count_autocomplete();
    choices(super::admin::time_suggestions(partial))
}

async fn zones(ctx: Context<'_>, partial: &str) -> serenity::CreateAutocompleteResponse {
    ctx.data().count_autocomplete();
    choices(super::admin::zone_suggestions(partial))
}

/// The asker's language: theirs, else the server's, else English.
pub fn locale_of(ctx: Context<'_>) -> Locale {
    match ctx {
        poise::Context::Application(app) => Locale::pick(
            Some(&app.interaction.locale),
            app.interaction.guild_locale.as_deref(),
        ),
        poise::Context::Prefix(_) => Locale::En,
    }
}

// ---- what is derived from the list -----------------------------------------------------------

/// The body of `PUT /applications/{id}/commands` (or the guild variant): every command.
pub fn registration_body() -> Value {
    let commands = poise::builtins::create_application_commands(&all());
    let mut body = serde_json::to_value(commands).unwrap_or(Value::Array(Vec::new()));
    // serenity writes the permission bits as a string; Discord's OpenAPI spec has an integer
    // (both are accepted), and the spec is what the tests hold every body to.
    for command in body.as_array_mut().into_iter().flatten() {
        if let Some(bits) = command["default_member_permissions"]
            .as_str()
            .and_then(|b| b.parse::<u64>().ok())
        {
            command["default_member_permissions"] = Value::from(bits);
        }
    }
    body
}

/// A command as a person reads it: its name in their language, options, description.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Usage {
    /// `/who <name>` or `/quiz start [questions] [seconds] …`.
    pub line: String,
    pub description: String,
    /// Examples from the command's doc (after its description), if any.
    pub examples: Option<String>,
}

type Localized = [(
    std::borrow::Cow<'static, str>,
    std::borrow::Cow<'static, str>,
)];

fn localized<'a>(map: &'a Localized, locale: Locale, default: &'a str) -> &'a str {
    match locale {
        Locale::En => default,
        Locale::Pl => map
            .iter()
            .find(|(code, _)| code == "pl")
            .map_or(default, |(_, name)| name),
    }
}

/// Every command and subcommand as `/help` and `clio commands` show them.
pub fn usage(locale: Locale) -> Vec<Usage> {
    let mut out = Vec::new();
    for command in all() {
        let name = localized(&command.name_localizations, locale, &command.name).to_string();
        let describe = |c: &poise::Command<Data, Error>| {
            let d = c.description.as_deref().unwrap_or("");
            localized(&c.description_localizations, locale, d).to_string()
        };
        let params = |c: &poise::Command<Data, Error>| -> String {
            c.parameters
                .iter()
                .map(|p| {
                    let n = localized(&p.name_localizations, locale, &p.name);
                    if p.required {
                        format!(" <{n}>")
                    } else {
                        format!(" [{n}]")
                    }
                })
                .collect()
        };
        if command.subcommands.is_empty() {
            out.push(Usage {
                line: format!("/{name}{}", params(&command)),
                description: describe(&command),
                examples: command.help_text.as_ref().map(|t| t.to_string()),
            });
        }
        // A manager's option-less subcommands next to each other share a line
        // (`/admin reload|reports`): /help has room for 25 lines, and players need the rest.
        let managers_only = !command.default_member_permissions.is_empty();
        let mut joinable = false;
        for sub in &command.subcommands {
            let sub_name = localized(&sub.name_localizations, locale, &sub.name);
            let plain = managers_only && sub.parameters.is_empty() && sub.subcommands.is_empty();
            if plain && joinable {
                if let Some(last) = out.last_mut() {
                    last.line = format!("{}|{sub_name}", last.line);
                    let more = describe(sub);
                    let mut chars = more.chars();
                    let more: String = chars
                        .next()
                        .map(|c| c.to_lowercase().chain(chars).collect())
                        .unwrap_or_default();
                    last.description = format!("{}; {more}", last.description);
                    continue;
                }
            }
            joinable = plain;
            // A group is one line naming its subcommands (`/quiz schedule create|list|cancel`),
            // or its only subcommand with its options (`/admin season start [name]`): /help has
            // room for 25 lines.
            let leaves: Vec<(String, &poise::Command<Data, Error>)> =
                match sub.subcommands.as_slice() {
                    [] => vec![(sub_name.to_string(), sub)],
                    [only] => {
                        let leaf_name = localized(&only.name_localizations, locale, &only.name);
                        vec![(format!("{sub_name} {leaf_name}"), only)]
                    }
                    several => {
                        let names: Vec<&str> = several
                            .iter()
                            .map(|leaf| localized(&leaf.name_localizations, locale, &leaf.name))
                            .collect();
                        vec![(format!("{sub_name} {}", names.join("|")), sub)]
                    }
                };
            for (sub_name, sub) in leaves {
                out.push(Usage {
                    line: format!("/{name} {sub_name}{}", params(sub)),
                    description: describe(sub),
                    examples: sub.help_text.as_ref().map(|t| t.to_string()),
                });
            }
        }
    }
    out
}

/// One line per command and subcommand, for `clio commands` without `--json`.
pub fn summary() -> String {
    let en = usage(Locale::En);
    let pl = usage(Locale::Pl);
    en.iter()
        .zip(&pl)
        .map(|(e, p)| format!("{} — {} (pl: {})\n", e.line, e.description, p.line))
        .collect()
}
