//! The transport-neutral reply: what Clio says, before Discord or a terminal renders it.
//!
//! Discord rejects a whole message when any one limit is exceeded, so [`Reply::fit`] shortens text
//! gracefully (on a word boundary, with an ellipsis) until every limit holds. Renderers call it last.

use serde::Serialize;

use crate::text::fit_within;
pub use crate::text::shorten;

pub const MAX_CONTENT: usize = 2000;
pub const MAX_TITLE: usize = 256;
pub const MAX_DESCRIPTION: usize = 4096;
pub const MAX_FIELDS: usize = 25;
pub const MAX_FIELD_NAME: usize = 256;
pub const MAX_FIELD_VALUE: usize = 1024;
pub const MAX_FOOTER: usize = 2048;
pub const MAX_EMBEDS: usize = 10;
pub const MAX_EMBED_TOTAL: usize = 6000;
pub const MAX_BUTTON_LABEL: usize = 80;
pub const MAX_CUSTOM_ID: usize = 100;
pub const MAX_BUTTONS_PER_ROW: usize = 5;
pub const MAX_ROWS: usize = 5;

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Default)]
pub struct Field {
    pub name: String,
    pub value: String,
    pub inline: bool,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Default)]
pub struct Embed {
    pub title: Option<String>,
    pub description: Option<String>,
    pub color: Option<u32>,
    pub fields: Vec<Field>,
    pub footer: Option<String>,
}

impl Embed {
    /// Characters that count toward Discord's 6000 across a message.
    pub fn char_count(&self) -> usize {
        let c = |s: &Option<String>| s.as_deref().map_or(0, |s| s.chars().count());
        c(&self.title)
            + c(&self.description)
            + c(&self.footer)
            + self
                .fields
                .iter()
                .map(|f| f.name.chars().count() + f.value.chars().count())
                .sum::<usize>()
    }

    pub fn field(
        mut self,
        name: impl Into<String>,
        value: impl Into<String>,
        inline: bool,
    ) -> Self {
        let (name, value) = (name.into(), value.into());
        if !value.trim().is_empty() {
            self.fields.push(Field {
                name,
                value,
                inline,
            });
        }
        self
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub enum ButtonStyle {
    Primary,
    Secondary,
    Success,
    Danger,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Button {
    pub label: String,
    pub custom_id: String,
    pub style: ButtonStyle,
    pub disabled: bool,
}

impl Button {
    pub fn new(label: impl Into<String>, custom_id: impl Into<String>, style: ButtonStyle) -> Self {
        Self {
            label: label.into(),
            custom_id: custom_id.into(),
            style,
            disabled: false,
        }
    }
}

/// A message: text, embeds and rows of buttons; ephemeral ones are seen only by who asked.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Default)]
pub struct Reply {
    pub content: Option<String>,
    pub embeds: Vec<Embed>,
    pub rows: Vec<Vec<Button>>,
    pub ephemeral: bool,
}

/// How a reply is delivered: as a new message, or by updating the message whose button was pressed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub enum Response {
    Message(Reply),
    Update(Reply),
}

impl Response {
    pub fn reply(&self) -> &Reply {
        match self {
            Response::Message(r) | Response::Update(r) => r,
        }
    }
}

impl Reply {
    pub fn embed(embed: Embed) -> Self {
        Reply {
            embeds: vec![embed],
            ..Default::default()
        }
    }

    pub fn ephemeral(mut self) -> Self {
        self.ephemeral = true;
        self
    }

    pub fn with_row(mut self, row: Vec<Button>) -> Self {
        if !row.is_empty() {
            self.rows.push(row);
        }
        self
    }

    /// These buttons in rows of [`MAX_BUTTONS_PER_ROW`], after the rows already there (moved,
    /// not copied: each button is two strings).
    pub fn with_buttons(mut self, buttons: Vec<Button>) -> Self {
        rows_of_five(buttons, &mut self.rows);
        self
    }

    /// Enforce every Discord message limit, shortening rather than failing.
    pub fn fit(mut self) -> Self {
        if let Some(c) = &self.content {
            let c = shorten(c, MAX_CONTENT);
            self.content = (!c.trim().is_empty()).then_some(c);
        }
        self.embeds.truncate(MAX_EMBEDS);
        for e in &mut self.embeds {
            e.title = e
                .title
                .take()
                .map(|t| fit_within(t, MAX_TITLE))
                .filter(|t| !t.trim().is_empty());
            e.description = e
                .description
                .take()
                .map(|t| fit_within(t, MAX_DESCRIPTION))
                .filter(|t| !t.trim().is_empty());
            e.footer = e
                .footer
                .take()
                .map(|t| fit_within(t, MAX_FOOTER))
                .filter(|t| !t.trim().is_empty());
            e.fields
                .retain(|f| !f.name.trim().is_empty() && !f.value.trim().is_empty());
            e.fields.truncate(MAX_FIELDS);
            for f in &mut e.fields {
                f.name = fit_within(std::mem::take(&mut f.name), MAX_FIELD_NAME);
                f.value = fit_within(std::mem::take(&mut f.value), MAX_FIELD_VALUE);
            }
        }
        // 6000 characters across all embeds: shorten the longest description, then drop fields
        // from the end (the sources field is placed first among the optional ones to survive).
        let total = |embeds: &[Embed]| embeds.iter().map(Embed::char_count).sum::<usize>();
        while total(&self.embeds) > MAX_EMBED_TOTAL {
            let excess = total(&self.embeds) - MAX_EMBED_TOTAL;
            let longest = self
                .embeds
                .iter_mut()
                .filter(|e| {
                    e.description
                        .as_ref()
                        .is_some_and(|d| d.chars().count() > 200)
                })
                .max_by_key(|e| e.description.as_ref().map_or(0, |d| d.chars().count()));
            if let Some(e) = longest {
                let d = e.description.take().unwrap_or_default();
                let keep = d.chars().count().saturating_sub(excess).max(200);
                e.description = Some(shorten(&d, keep));
                continue;
            }
            let with_fields = self.embeds.iter_mut().rev().find(|e| !e.fields.is_empty());
            if let Some(e) = with_fields {
                e.fields.pop();
                continue;
            }
            // Only titles and footers left: drop whole embeds from the end.
            if self.embeds.len() > 1 {
                self.embeds.pop();
            } else if let Some(e) = self.embeds.first_mut() {
                e.footer = None;
                e.description = e.description.take().map(|d| shorten(&d, 100));
            }
        }
        // Buttons: unique custom_ids, labels within 80, at most 5 per row and 5 rows.
        // (Which to keep is decided first, comparing the custom_ids in place: a copy of each was
        // an allocation per button.)
        let keep: Vec<bool> = {
            let all: Vec<&Button> = self.rows.iter().flatten().collect();
            let mut keep = Vec::with_capacity(all.len());
            for (i, b) in all.iter().enumerate() {
                let id = &b.custom_id;
                keep.push(
                    !id.is_empty()
                        && id.chars().count() <= MAX_CUSTOM_ID
                        && !all[..i]
                            .iter()
                            .zip(&keep)
                            .any(|(a, kept)| *kept && a.custom_id == *id),
                );
            }
            keep
        };
        let mut keep = keep.into_iter();
        for row in &mut self.rows {
            row.retain(|_| keep.next().unwrap_or(false));
            for b in row.iter_mut() {
                b.label = if b.label.trim().len() == b.label.len() {
                    fit_within(std::mem::take(&mut b.label), MAX_BUTTON_LABEL)
                } else {
                    shorten(b.label.trim(), MAX_BUTTON_LABEL)
                };
                if b.label.is_empty() {
                    b.label = "…".into();
                }
            }
        }
        if self.rows.iter().any(|r| r.len() > MAX_BUTTONS_PER_ROW) {
            let mut rows = Vec::new();
            for row in self.rows.drain(..) {
                rows_of_five(row, &mut rows);
            }
            self.rows = rows;
        }
        self.rows.retain(|r| !r.is_empty());
        self.rows.truncate(MAX_ROWS);
        if self.content.is_none() && self.embeds.is_empty() {
            self.content = Some("…".into());
        }
        self
    }
}

/// How much a text input takes: one line, or several.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum InputStyle {
    Short,
    Paragraph,
}

/// One text box of a form.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TextInput {
    /// The input's own custom_id, by which the submission names what was typed.
    pub custom_id: String,
    /// At most 45 characters.
    pub label: String,
    pub style: InputStyle,
    /// At most 100 characters; empty for none.
    pub placeholder: String,
    pub required: bool,
    pub max_length: usize,
}

/// `buttons` as rows of at most [`MAX_BUTTONS_PER_ROW`], pushed onto `rows`.
fn rows_of_five(buttons: Vec<Button>, rows: &mut Vec<Vec<Button>>) {
    let mut buttons = buttons.into_iter().peekable();
    while buttons.peek().is_some() {
        rows.push(buttons.by_ref().take(MAX_BUTTONS_PER_ROW).collect());
    }
}

/// A form with text boxes to fill in (on Discord, a modal): at most five, one per row.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Modal {
    pub custom_id: String,
    /// At most 45 characters.
    pub title: String,
    pub inputs: Vec<TextInput>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shorten_keeps_short_text_and_cuts_long_text_on_a_word() {
        assert_eq!(shorten("short", 10), "short");
        let s = shorten("one two three four five six", 15);
        assert!(s.chars().count() <= 15, "{s}");
        assert!(s.ends_with('…'));
    }

    #[test]
    fn fit_keeps_the_first_of_each_custom_id_and_rows_of_five() {
        let b = |label: &str, id: &str| Button::new(label, id, ButtonStyle::Secondary);
        let long_id = "x".repeat(MAX_CUSTOM_ID + 1);
        let long_label = "ż".repeat(MAX_BUTTON_LABEL + 5);
        let rows = vec![
            vec![b(" Anders ", "o:anders"), b("", "o:katyn"), b("no id", "")],
            (0..7)
                .map(|i| b(&format!("{i}"), &format!("n:{i}")))
                .collect(),
            vec![
                b("again", "o:anders"),
                b(&long_label, "o:long"),
                b("x", &long_id),
            ],
            vec![b("again", "n:3")],
            (7..12)
                .map(|i| b(&format!("{i}"), &format!("n:{i}")))
                .collect(),
            (12..17)
                .map(|i| b(&format!("{i}"), &format!("n:{i}")))
                .collect(),
        ];
        let r = Reply {
            content: Some("c".into()),
            rows,
            ..Default::default()
        }
        .fit();
        let ids: Vec<Vec<&str>> = r
            .rows
            .iter()
            .map(|row| row.iter().map(|b| b.custom_id.as_str()).collect())
            .collect();
        assert_eq!(
            ids,
            [
                vec!["o:anders", "o:katyn"],
                vec!["n:0", "n:1", "n:2", "n:3", "n:4"],
                vec!["n:5", "n:6"],
                vec!["o:long"],
                vec!["n:7", "n:8", "n:9", "n:10", "n:11"],
            ]
        );
        assert_eq!(r.rows[0][0].label, "Anders");
        assert_eq!(r.rows[0][1].label, "…");
        assert!(r.rows[3][0].label.chars().count() <= MAX_BUTTON_LABEL);
        assert!(r.rows[3][0].label.ends_with('…'));
    }

    #[test]
    fn fit_leaves_texts_that_fit_as_they_are() {
        let description = "Ż".repeat(MAX_DESCRIPTION);
        let r = Reply::embed(Embed {
            title: Some("Katyń".into()),
            description: Some(description.clone()),
            fields: vec![Field {
                name: "Date".into(),
                value: "1940".into(),
                inline: true,
            }],
            ..Default::default()
        })
        .fit();
        let e = &r.embeds[0];
        assert_eq!(e.title.as_deref(), Some("Katyń"));
        // More bytes than the limit, not more characters.
        assert_eq!(e.description.as_deref(), Some(description.as_str()));
        assert_eq!(
            (e.fields[0].name.as_str(), e.fields[0].value.as_str()),
            ("Date", "1940")
        );
    }

    #[test]
    fn fit_respects_the_6000_rule() {
        let big = "word ".repeat(2000);
        let embeds = (0..3)
            .map(|_| Embed {
                title: Some(big.clone()),
                description: Some(big.clone()),
                fields: (0..30)
                    .map(|i| Field {
                        name: format!("f{i}"),
                        value: big.clone(),
                        inline: false,
                    })
                    .collect(),
                ..Default::default()
            })
            .collect();
        let r = Reply {
            embeds,
            ..Default::default()
        }
        .fit();
        assert!(r.embeds.iter().map(Embed::char_count).sum::<usize>() <= MAX_EMBED_TOTAL);
    }
}
