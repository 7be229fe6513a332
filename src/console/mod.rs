//! The terminal adapter: `clio ask`, `clio press`, `clio check` and `clio console`.
//!
//! It renders the same replies the bot sends, either as Discord's JSON (`--json`) or readably.

mod render;

use std::io::{BufRead, Write};

use crate::answers::{self, Command, CommandError, Ctx, Response};
use crate::discord::payload;
use crate::i18n::Locale;
use crate::knowledge::KnowledgeBase;

pub use render::render_response;

/// Split what a user types (`/timeline from:1939-09-01 to:1939-10-06`, `who Anders`) into a command.
/// Without `name:value` pairs the text after the command is its first option.
pub fn parse_command_line(line: &str) -> Result<Command, CommandError> {
    let line = line.trim();
    let (name, rest) = match line.split_once(char::is_whitespace) {
        Some((n, r)) => (n, r.trim()),
        None => (line, ""),
    };
    let name = name.trim_start_matches('/').to_lowercase();
    let name = crate::i18n::PL_COMMAND_NAMES
        .iter()
        .find(|(pl, _)| *pl == name)
        .map_or(name.clone(), |(_, en)| en.to_string());
    let spec = answers::COMMANDS
        .iter()
        .find(|c| c.name == name)
        .ok_or_else(|| CommandError::Unknown(name.clone()))?;
    let mut options: Vec<(String, String)> = Vec::new();
    // Find `option:` markers at word starts.
    let mut marks: Vec<(usize, usize, &str)> = Vec::new(); // (start of marker, start of value, option)
    let mut at_word_start = true;
    for (i, c) in rest.char_indices() {
        if at_word_start {
            if let Some(o) = spec
                .options
                .iter()
                .find(|o| rest[i..].starts_with(&format!("{}:", o.name)))
            {
                marks.push((i, i + o.name.len() + 1, o.name));
            }
        }
        at_word_start = c.is_whitespace();
    }
    if marks.is_empty() || marks[0].0 != 0 {
        if let Some(first) = spec.options.first() {
            let head = match marks.first() {
                Some((start, _, _)) => &rest[..*start],
                None => rest,
            };
            if !head.trim().is_empty() {
                options.push((first.name.to_string(), head.trim().to_string()));
            }
        }
    }
    for (k, (_, value_start, option)) in marks.iter().enumerate() {
        let end = marks.get(k + 1).map(|m| m.0).unwrap_or(rest.len());
        let value = rest[*value_start..end].trim().to_string();
        options.retain(|(o, _)| o != option);
        options.push((option.to_string(), value));
    }
    Command::from_parts(&name, &options)
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
    let cmd = parse_command_line(line)?;
    let reply = answers::respond(kb, &cmd, locale, ctx);
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
        let ctx = Ctx::now();
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
                Ok(cmd) => Some(Response::Message(answers::respond(kb, &cmd, locale, &ctx))),
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
