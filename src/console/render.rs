//! A reply as terminal text: title, text, fields, sources, and numbered buttons with their ids.
//!
//! Only the buttons that can be pressed get a number, counted from 1 in the order shown, so the
//! number next to a button is the number the console presses it by; a disabled button is shown
//! without one.

use super::words::{press_hint, say, Say};
use crate::answers::{Button, Reply, Response};
use crate::i18n::Locale;
use crate::text::wrap;

/// How to render: in which language, with colours or not, wrapped to a width or not.
#[derive(Debug, Clone, Copy)]
pub struct Look {
    pub locale: Locale,
    pub color: bool,
    /// Wrap at this many columns; `None` leaves lines whole (for scripts).
    pub width: Option<usize>,
    /// Say under the buttons how to press them (the console does; `clio ask` does not).
    pub press_hint: bool,
}

impl Look {
    /// For `clio ask` and `clio press`: whole lines, ids beside the buttons, no hints.
    pub fn script(locale: Locale, color: bool) -> Self {
        Look {
            locale,
            color,
            width: None,
            press_hint: false,
        }
    }

    fn wrap(&self, code: &str, s: &str) -> String {
        if self.color {
            format!("\x1b[{code}m{s}\x1b[0m")
        } else {
            s.to_string()
        }
    }
    fn bold(&self, s: &str) -> String {
        self.wrap("1", s)
    }
    fn dim(&self, s: &str) -> String {
        self.wrap("2", s)
    }
    fn accent(&self, s: &str) -> String {
        self.wrap("36", s)
    }
    /// Discord's `**bold**` in the console: bold with colours, else the plain words. Scripts
    /// (`clio ask`) keep the markdown as Discord gets it.
    fn text(&self, s: &str) -> String {
        if !self.press_hint || !s.contains("**") {
            return s.to_string();
        }
        s.split("**")
            .enumerate()
            .map(|(i, part)| {
                if i % 2 == 1 {
                    self.bold(part)
                } else {
                    part.to_string()
                }
            })
            .collect()
    }
}

/// The buttons that can be pressed, in the order they are numbered: button `n` is `[n - 1]`.
pub fn pressable(reply: &Reply) -> Vec<&Button> {
    reply
        .rows
        .iter()
        .flatten()
        .filter(|b| !b.disabled)
        .collect()
}

/// A response in English, unwrapped: what `clio ask` and `clio press` print.
pub fn render_response(response: &Response, color: bool) -> String {
    render_with(response, &Look::script(Locale::En, color))
}

pub fn render_with(response: &Response, look: &Look) -> String {
    let (reply, how) = match response {
        Response::Message(r) if r.ephemeral => (r, say(look.locale, Say::ReplyOnlyYou)),
        Response::Message(r) => (r, say(look.locale, Say::Reply)),
        Response::Update(r) => (r, say(look.locale, Say::Updates)),
    };
    let text = render(reply, how, look);
    match look.width {
        Some(width) => wrap(&text, width),
        None => text,
    }
}

fn render(reply: &Reply, how: &str, look: &Look) -> String {
    let mut out = String::new();
    out.push_str(&look.dim(&format!("── {how} ──")));
    out.push('\n');
    if let Some(c) = &reply.content {
        out.push_str(&look.text(c));
        out.push('\n');
    }
    for e in &reply.embeds {
        if let Some(t) = &e.title {
            out.push_str(&look.bold(t));
            out.push('\n');
        }
        if let Some(d) = &e.description {
            out.push_str(&look.text(d));
            out.push('\n');
        }
        for f in &e.fields {
            out.push('\n');
            out.push_str(&look.accent(&f.name));
            out.push('\n');
            out.push_str(&look.text(&f.value));
            out.push('\n');
        }
        if let Some(f) = &e.footer {
            out.push('\n');
            out.push_str(&look.dim(f));
            out.push('\n');
        }
    }
    let mut n = 0;
    for row in &reply.rows {
        let mut shown: Vec<String> = Vec::new();
        for b in row {
            let label = if b.disabled {
                format!("[–] {} ({})", b.label, say(look.locale, Say::Disabled))
            } else {
                n += 1;
                format!("[{n}] {}", b.label)
            };
            if look.press_hint {
                // In the console a button is never split across lines (no-break spaces), and its
                // id, which only `clio press` needs, is left out.
                let label = label.replace(' ', "\u{a0}");
                shown.push(if b.disabled {
                    look.dim(&label)
                } else {
                    look.bold(&label)
                });
            } else {
                let label = if b.disabled {
                    look.dim(&label)
                } else {
                    look.bold(&label)
                };
                shown.push(format!(
                    "{label} {}",
                    look.dim(&format!("<{}>", b.custom_id))
                ));
            }
        }
        out.push_str(&shown.join("  "));
        out.push('\n');
    }
    if look.press_hint && n > 0 {
        out.push_str(&look.dim(&press_hint(look.locale, n)));
        out.push('\n');
    }
    out
}
