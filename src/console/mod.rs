//! The terminal adapter: `clio ask`, `clio press`, `clio check` and `clio console`.
//!
//! It renders the same replies the bot sends, either as Discord's JSON (`--json`) or readably.

mod render;

use std::borrow::Cow;
use std::io::{BufRead, Write};

use crate::answers::{self, CommandError, Ctx, Response};
use crate::discord::commands;
use crate::discord::interactions::{self, Asked};
use crate::discord::payload;
use crate::i18n::Locale;
use crate::knowledge::KnowledgeBase;

pub use render::render_response;

type Declared = poise::Command<crate::discord::bot::Data, crate::discord::bot::Error>;

/// Whether `name` is this command's (or option's) name in any language.
fn named(name: &str, english: &str, localized: &[(Cow<'static, str>, Cow<'static, str>)]) -> bool {
    english == name || localized.iter().any(|(_, l)| l == name)
}

/// Split what a user types (`/timeline from:1939-09-01 to:1939-10-06`, `/kto Anders`,
/// `/quiz start questions:5`) into the command as the bot would receive it, reading names and
/// options off the one command list (`discord::commands`). Without `name:value` pairs the text
/// after the command (and subcommand) is its first option.
pub fn parse_command_line(line: &str) -> Result<Asked, CommandError> {
    let line = line.trim();
    let (name, rest) = match line.split_once(char::is_whitespace) {
        Some((n, r)) => (n, r.trim()),
        None => (line, ""),
    };
    let name = name.trim_start_matches('/').to_lowercase();
    let all = commands::all();
    let Some(command) = all
        .iter()
        .find(|c| named(&name, &c.name, &c.name_localizations))
    else {
        return Err(CommandError::Unknown {
            name,
            known: all.iter().map(|c| format!("/{}", c.name)).collect(),
        });
    };
    let mut options: Vec<(String, String)> = Vec::new();
    let (target, rest): (&Declared, &str) = if command.subcommands.is_empty() {
        (command, rest)
    } else {
        let (sub, after) = match rest.split_once(char::is_whitespace) {
            Some((s, r)) => (s.to_lowercase(), r.trim()),
            None => (rest.to_lowercase(), ""),
        };
        let Some(found) = command
            .subcommands
            .iter()
            .find(|s| named(&sub, &s.name, &s.name_localizations))
        else {
            return Err(CommandError::UnknownOption {
                command: command.name.to_string(),
                option: sub,
                known: command
                    .subcommands
                    .iter()
                    .map(|s| s.name.to_string())
                    .collect(),
            });
        };
        options.push(("subcommand".into(), found.name.to_string()));
        (found, after)
    };
    // Find `option:` markers at word starts, in either language.
    let mut marks: Vec<(usize, usize, &str)> = Vec::new(); // (marker, value start, option)
    let mut at_word_start = true;
    for (i, c) in rest.char_indices() {
        if at_word_start {
            for p in &target.parameters {
                let spellings =
                    std::iter::once(&p.name).chain(p.name_localizations.iter().map(|(_, l)| l));
                if let Some(n) = spellings
                    .filter(|n| rest[i..].starts_with(&format!("{n}:")))
                    .max_by_key(|n| n.len())
                {
                    marks.push((i, i + n.len() + 1, &p.name));
                    break;
                }
            }
        }
        at_word_start = c.is_whitespace();
    }
    if marks.is_empty() || marks[0].0 != 0 {
        let head = match marks.first() {
            Some((start, _, _)) => &rest[..*start],
            None => rest,
        };
        if !head.trim().is_empty() {
            let Some(first) = target.parameters.first() else {
                return Err(CommandError::UnknownOption {
                    command: command.name.to_string(),
                    option: head.trim().to_string(),
                    known: Vec::new(),
                });
            };
            options.push((first.name.to_string(), head.trim().to_string()));
        }
    }
    for (k, (_, value_start, option)) in marks.iter().enumerate() {
        let end = marks.get(k + 1).map(|m| m.0).unwrap_or(rest.len());
        let value = rest[*value_start..end].trim().to_string();
        options.retain(|(o, _)| o != option);
        options.push((option.to_string(), value));
    }
    Ok(Asked::Command {
        name: command.name.to_string(),
        options,
    })
}

/// `clio ask`: answer one command line; Err for an unknown command (exit 2).
pub fn ask(
    kb: &KnowledgeBase,
    line: &str,
    locale: Locale,
    json: bool,
    color: bool,
    ctx: &Ctx,
) -> Result<String, CommandError> {
    let reply = match parse_command_line(line)? {
        Asked::Command { name, options } => {
            interactions::command_reply(kb, &name, &options, locale, ctx)
        }
        _ => unreachable!("a command line is a command"),
    };
    let response = Response::Message(reply);
    Ok(if json {
        payload::callback_body(&response).to_string()
    } else {
        render_response(&response, color)
    })
}

/// `clio press`: what pressing a button does.
pub fn press(
    kb: &KnowledgeBase,
    custom_id: &str,
    locale: Locale,
    json: bool,
    color: bool,
    ctx: &Ctx,
) -> String {
    let response = answers::press(kb, custom_id, locale, ctx);
    if json {
        payload::callback_body(&response).to_string()
    } else {
        render_response(&response, color)
    }
}

/// `clio console`: type commands, press buttons by number, until `quit` or end of input.
pub fn console(
    kb: &KnowledgeBase,
    locale: Locale,
    input: impl BufRead,
    out: &mut impl Write,
    color: bool,
) -> std::io::Result<()> {
    let mut buttons: Vec<String> = Vec::new();
    writeln!(out, "Clio console: type a command (/who Anders, /event 1939-09-17, /help), a button number to press it, or quit.")?;
    write!(out, "> ")?;
    out.flush()?;
    for line in input.lines() {
        let line = line?;
        let line = line.trim();
        if line == "quit" || line == "exit" || line == "q" {
            break;
        }
        if line.is_empty() {
            write!(out, "> ")?;
            out.flush()?;
            continue;
        }
        let ctx = Ctx::at(&crate::clock::SystemClock);
        let response = if let Ok(n) = line.parse::<usize>() {
            match buttons.get(n.wrapping_sub(1)) {
                Some(id) => Some(answers::press(kb, id, locale, &ctx)),
                None => {
                    writeln!(
                        out,
                        "There is no button {n}; the buttons are numbered 1 to {}.",
                        buttons.len()
                    )?;
                    None
                }
            }
        } else {
            match parse_command_line(line) {
                Ok(Asked::Command { name, options }) => Some(Response::Message(
                    interactions::command_reply(kb, &name, &options, locale, &ctx),
                )),
                Ok(_) => None,
                Err(e) => {
                    writeln!(out, "{e}")?;
                    None
                }
            }
        };
        if let Some(response) = response {
            write!(out, "{}", render_response(&response, color))?;
            buttons = response
                .reply()
                .rows
                .iter()
                .flatten()
                .filter(|b| !b.disabled)
                .map(|b| b.custom_id.clone())
                .collect();
        }
        write!(out, "> ")?;
        out.flush()?;
    }
    Ok(())
}
