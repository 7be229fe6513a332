//! `/help`: what Clio can do, read off the command list itself, so it names every command
//! (the quiz, the leaderboard and the settings included) in the asker's language.

use super::commands;
use crate::i18n::{ui, Locale, Ui};
use crate::reply::{Embed, Reply};

const COLOR: u32 = 0x6C3483;

/// The help card: a short introduction, then one field per command and subcommand.
pub fn reply(locale: Locale) -> Reply {
    let mut embed = Embed {
        title: Some(ui(locale, Ui::HelpTitle).into()),
        description: Some(ui(locale, Ui::HelpBody).into()),
        color: Some(COLOR),
        ..Default::default()
    };
    for usage in commands::usage(locale) {
        let value = match (&usage.examples, locale) {
            (Some(examples), Locale::En) => format!("{}: {examples}", usage.description),
            _ => usage.description,
        };
        embed = embed.field(usage.line, value, false);
    }
    Reply::embed(embed).ephemeral().fit()
}
