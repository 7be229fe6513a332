//! The terminal adapter: `clio ask`, `clio press`, `clio check` and `clio console`.
//!
//! It renders the same replies the bot sends, either as Discord's JSON (`--json`) or readably.

mod line;
mod render;
mod words;

use std::borrow::Cow;
use std::io::Write;

use crate::answers::{self, CommandError, Ctx, Response};
use crate::discord::commands;
use crate::discord::interactions::{self, Asked};
use crate::discord::payload;
use crate::i18n::Locale;
use crate::knowledge::KnowledgeBase;

use crate::text::wrap;
pub use line::{Lines, Plain, Typed};
pub use render::{render_response, render_with, Look};
use words::{say, Say};

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
        payload::Body::of(&response).json
    } else {
        render_with(&response, &Look::script(locale, color))
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
        payload::Body::of(&response).json
    } else {
        render_with(&response, &Look::script(locale, color))
    }
}

/// How a console session looks: its language, colours, and the width to wrap at.
#[derive(Debug, Clone, Copy)]
pub struct Settings {
    pub locale: Locale,
    pub color: bool,
    pub width: usize,
}

/// `clio console` on this process's terminal: a line editor with history when a person types,
/// the plain line reader when standard input is a pipe. `width` is the one asked for, if any.
pub fn run_console(
    kb: &KnowledgeBase,
    locale: Locale,
    width: Option<usize>,
    color: bool,
) -> std::io::Result<()> {
    let settings = Settings {
        locale,
        color,
        width: line::width(width),
    };
    let mut out = std::io::stdout();
    if line::interactive() {
        if let Ok(mut edited) = line::Edited::new() {
            return console(kb, settings, &mut edited, &mut out);
        }
    }
    let mut plain = line::Plain::new(std::io::stdin().lock(), std::io::stdout());
    console(kb, settings, &mut plain, &mut out)
}

/// `clio console`: type commands, press buttons by number, until `quit` or end of input.
pub fn console(
    kb: &KnowledgeBase,
    settings: Settings,
    lines: &mut dyn Lines,
    out: &mut impl Write,
) -> std::io::Result<()> {
    let Settings {
        locale,
        color,
        width,
    } = settings;
    let look = Look {
        locale,
        color,
        width: Some(width),
        press_hint: true,
    };
    let mut buttons: Vec<String> = Vec::new();
    let examples = words::Examples {
        who: kb.example_name(locale),
        day: kb.example_day().display(locale),
    };
    writeln!(out, "{}", wrap(&words::welcome(locale, &examples), width))?;
    loop {
        out.flush()?;
        let line = match lines.read("> ") {
            Ok(Typed::Line(line)) => line,
            Ok(Typed::Interrupted) => {
                writeln!(out, "{}", say(locale, Say::Interrupted))?;
                continue;
            }
            Ok(Typed::End) => break,
            Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => return Err(e),
            Err(e) => {
                writeln!(
                    out,
                    "{}",
                    wrap(&words::input_failed(locale, &e.to_string()), width)
                )?;
                break;
            }
        };
        let line = line.trim();
        if words::is_quit(line) {
            writeln!(out, "{}", say(locale, Say::Bye))?;
            break;
        }
        if line.is_empty() {
            continue;
        }
        let ctx = Ctx::at(&crate::clock::SystemClock);
        let response = if line.chars().all(|c| c.is_ascii_digit()) {
            match line
                .parse::<usize>()
                .ok()
                .and_then(|n| buttons.get(n.checked_sub(1)?))
            {
                Some(id) => Some(answers::press(kb, id, locale, &ctx)),
                None => {
                    let said = words::no_such_button(locale, line, buttons.len(), &examples);
                    writeln!(out, "{}", wrap(&said, width))?;
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
                    writeln!(out, "{}", wrap(&error_text(&e, locale), width))?;
                    None
                }
            }
        };
        if let Some(response) = response {
            write!(out, "{}", render_with(&response, &look))?;
            let pressable = render::pressable(response.reply());
            // A note only you can see, with no buttons (an error, a hint), leaves the message
            // above it as it was: its buttons can still be pressed, as on Discord.
            let note = matches!(&response, Response::Message(r) if r.ephemeral);
            if !(note && pressable.is_empty()) {
                buttons = pressable.into_iter().map(|b| b.custom_id.clone()).collect();
            }
        }
    }
    out.flush()
}

/// A command line that names no command or option, said in the reader's language with the
/// names they would type.
fn error_text(e: &CommandError, locale: Locale) -> String {
    if locale == Locale::En {
        return e.to_string();
    }
    let all = commands::all();
    let polish = |english: &str, localized: &[(Cow<'static, str>, Cow<'static, str>)]| {
        localized
            .iter()
            .find(|(l, _)| l == "pl")
            .map_or(english.to_string(), |(_, n)| n.to_string())
    };
    match e {
        CommandError::Unknown { name, .. } => format!(
            "nie znam polecenia `{}`; polecenia to {}",
            crate::text::quote_input(name),
            all.iter()
                .map(|c| format!("/{}", polish(&c.name, &c.name_localizations)))
                .collect::<Vec<_>>()
                .join(", ")
        ),
        CommandError::UnknownOption {
            command,
            option,
            known,
        } => {
            let declared = all.iter().find(|c| c.name == *command);
            let name = declared.map_or(command.clone(), |c| polish(&c.name, &c.name_localizations));
            let known: Vec<String> = known
                .iter()
                .map(|k| {
                    let spelled = declared
                        .and_then(|c| {
                            c.subcommands
                                .iter()
                                .find(|s| s.name == *k)
                                .map(|s| polish(&s.name, &s.name_localizations))
                                .or_else(|| {
                                    c.parameters
                                        .iter()
                                        .find(|p| p.name == *k)
                                        .map(|p| polish(&p.name, &p.name_localizations))
                                })
                        })
                        .unwrap_or_else(|| k.clone());
                    format!("`{spelled}`")
                })
                .collect();
            if known.is_empty() {
                format!(
                    "/{} nie ma opcji `{}`; nie przyjmuje żadnych opcji",
                    crate::text::quote_input(&name),
                    crate::text::quote_input(option)
                )
            } else {
                format!(
                    "/{} nie ma opcji `{}`; jego opcje to {}",
                    crate::text::quote_input(&name),
                    crate::text::quote_input(option),
                    known.join(", ")
                )
            }
        }
    }
}
