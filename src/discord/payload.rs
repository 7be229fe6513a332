//! Discord's JSON for a [`Reply`]: the body of an interaction callback, or of a channel message.
//!
//! This module knows the wire shape of replies, so `clio ask --json` prints exactly what the bot
//! sends, and tests validate it against Discord's OpenAPI schema.

use serde_json::{json, Value};

use crate::reply::{ButtonStyle, InputStyle, Modal, Reply, Response};

/// Interaction callback types.
pub const CHANNEL_MESSAGE_WITH_SOURCE: u8 = 4;
pub const UPDATE_MESSAGE: u8 = 7;
pub const DEFERRED_CHANNEL_MESSAGE_WITH_SOURCE: u8 = 5;
pub const DEFERRED_UPDATE_MESSAGE: u8 = 6;
pub const AUTOCOMPLETE_RESULT: u8 = 8;
pub const MODAL: u8 = 9;
/// Component types and the text input's styles (one line, several).
pub const ACTION_ROW: u8 = 1;
pub const BUTTON: u8 = 2;
pub const TEXT_INPUT: u8 = 4;
pub const TEXT_INPUT_SHORT: u8 = 1;
pub const TEXT_INPUT_PARAGRAPH: u8 = 2;
/// Message flag: only the invoking user sees it.
pub const EPHEMERAL: u64 = 1 << 6;

fn style(s: ButtonStyle) -> u8 {
    match s {
        ButtonStyle::Primary => 1,
        ButtonStyle::Secondary => 2,
        ButtonStyle::Success => 3,
        ButtonStyle::Danger => 4,
    }
}

// The wire shape is written straight from the reply model, by hand, into one string (each
// object's keys in alphabetical order, as a `serde_json::Value` prints them): the bot writes an
// answer once, with no JSON tree and no serializer between, and the [`Value`]s that tests and
// other callers use are read back from the same text. (Through serde's derive this was a fifth of
// an answer's instructions, most of it in calls for each piece of punctuation.)

/// JSON text, written as it goes.
struct Json(String);

impl Json {
    fn with_capacity(n: usize) -> Json {
        Json(String::with_capacity(n))
    }

    fn raw(&mut self, s: &str) {
        self.0.push_str(s);
    }

    /// A string, quoted and escaped exactly as `serde_json` does: `"`, `\\` and the control
    /// characters, nothing else (not `/`, not DEL, not anything beyond ASCII).
    fn string(&mut self, s: &str) {
        self.0.push('"');
        let bytes = s.as_bytes();
        let mut clean = 0;
        let mut i = 0;
        while i < bytes.len() {
            // Eight bytes at a time while none needs escaping: most of a card is plain text.
            if let Some(word) = bytes.get(i..i + 8) {
                let word = u64::from_le_bytes(word.try_into().expect("eight bytes"));
                if !any_needs_escape(word) {
                    i += 8;
                    continue;
                }
            }
            let b = bytes[i];
            if b < 0x20 || b == b'"' || b == b'\\' {
                // Every byte that needs escaping is ASCII, so `clean..i` is whole characters.
                self.0.push_str(&s[clean..i]);
                self.escape(b);
                clean = i + 1;
            }
            i += 1;
        }
        self.0.push_str(&s[clean..]);
        self.0.push('"');
    }

    fn escape(&mut self, b: u8) {
        match b {
            b'"' => self.0.push_str("\\\""),
            b'\\' => self.0.push_str("\\\\"),
            b'\n' => self.0.push_str("\\n"),
            b'\r' => self.0.push_str("\\r"),
            b'\t' => self.0.push_str("\\t"),
            0x08 => self.0.push_str("\\b"),
            0x0c => self.0.push_str("\\f"),
            _ => {
                const HEX: &[u8; 16] = b"0123456789abcdef";
                self.0.push_str("\\u00");
                self.0.push(HEX[(b >> 4) as usize] as char);
                self.0.push(HEX[(b & 0xf) as usize] as char);
            }
        }
    }

    fn number(&mut self, n: u64) {
        use std::fmt::Write;
        let _ = write!(self.0, "{n}");
    }

    fn bool(&mut self, b: bool) {
        self.raw(if b { "true" } else { "false" });
    }

    /// A comma before each item of a list but its first (the `i`th, from 0).
    fn comma_before(&mut self, i: usize) {
        if i > 0 {
            self.0.push(',');
        }
    }

    /// `,"key":` (or without the comma for an object's first key).
    fn key(&mut self, first: bool, key: &str) {
        if !first {
            self.0.push(',');
        }
        self.0.push('"');
        self.0.push_str(key);
        self.0.push_str("\":");
    }
}

/// Whether any of the eight bytes in `word` is a quote, a backslash or a control character (the
/// classic tests for a zero byte and for a byte below `n`, exact as a yes or no).
fn any_needs_escape(word: u64) -> bool {
    const ONES: u64 = 0x0101_0101_0101_0101;
    const HIGH: u64 = 0x8080_8080_8080_8080;
    let zero_in = |v: u64| v.wrapping_sub(ONES) & !v & HIGH != 0;
    let below_space = word.wrapping_sub(ONES * 0x20) & !word & HIGH != 0;
    below_space || zero_in(word ^ (ONES * b'"' as u64)) || zero_in(word ^ (ONES * b'\\' as u64))
}

/// The message object (`data`) of a reply.
fn write_data(out: &mut Json, r: &Reply, with_flags: bool) {
    out.raw("{\"allowed_mentions\":{\"parse\":[]},\"components\":[");
    for (i, row) in r.rows.iter().enumerate() {
        out.comma_before(i);
        out.raw("{\"components\":[");
        for (j, b) in row.iter().enumerate() {
            out.comma_before(j);
            out.raw("{\"custom_id\":");
            out.string(&b.custom_id);
            out.key(false, "disabled");
            out.bool(b.disabled);
            out.key(false, "label");
            out.string(&b.label);
            out.key(false, "style");
            out.number(style(b.style).into());
            out.key(false, "type");
            out.number(BUTTON.into());
            out.raw("}");
        }
        out.raw("],\"type\":");
        out.number(ACTION_ROW.into());
        out.raw("}");
    }
    out.raw("]");
    if let Some(content) = &r.content {
        out.key(false, "content");
        out.string(content);
    }
    out.key(false, "embeds");
    out.raw("[");
    for (i, e) in r.embeds.iter().enumerate() {
        out.comma_before(i);
        out.raw("{");
        let mut first = true;
        if let Some(color) = e.color {
            out.key(first, "color");
            out.number(color.into());
            first = false;
        }
        if let Some(description) = &e.description {
            out.key(first, "description");
            out.string(description);
            first = false;
        }
        if !e.fields.is_empty() {
            out.key(first, "fields");
            out.raw("[");
            for (j, f) in e.fields.iter().enumerate() {
                out.comma_before(j);
                out.raw("{\"inline\":");
                out.bool(f.inline);
                out.key(false, "name");
                out.string(&f.name);
                out.key(false, "value");
                out.string(&f.value);
                out.raw("}");
            }
            out.raw("]");
            first = false;
        }
        if let Some(footer) = &e.footer {
            out.key(first, "footer");
            out.raw("{\"text\":");
            out.string(footer);
            out.raw("}");
            first = false;
        }
        if let Some(title) = &e.title {
            out.key(first, "title");
            out.string(title);
        }
        out.raw("}");
    }
    out.raw("]");
    if with_flags && r.ephemeral {
        out.key(false, "flags");
        out.number(EPHEMERAL);
    }
    out.raw("}");
}

/// Room for a reply's text: its strings and the keys around them, so the text is not moved as
/// it grows.
fn size_hint(r: &Reply) -> usize {
    let strings: usize = r.content.as_ref().map_or(0, String::len)
        + r.embeds
            .iter()
            .map(|e| {
                e.title.as_ref().map_or(0, String::len)
                    + e.description.as_ref().map_or(0, String::len)
                    + e.footer.as_ref().map_or(0, String::len)
                    + e.fields
                        .iter()
                        .map(|f| f.name.len() + f.value.len() + 40)
                        .sum::<usize>()
            })
            .sum::<usize>()
        + r.rows
            .iter()
            .flatten()
            .map(|b| b.label.len() + b.custom_id.len() + 70)
            .sum::<usize>();
    strings + strings / 16 + 200
}

/// The callback body of a response.
fn write_callback(response: &Response) -> String {
    let (reply, with_flags, kind) = match response {
        Response::Message(reply) => (reply, true, CHANNEL_MESSAGE_WITH_SOURCE),
        // An update edits the message the button sits on; its flags cannot change.
        Response::Update(reply) => (reply, false, UPDATE_MESSAGE),
    };
    let mut out = Json::with_capacity(size_hint(reply));
    out.raw("{\"data\":");
    write_data(&mut out, reply, with_flags);
    out.raw(",\"type\":");
    out.number(kind.into());
    out.raw("}");
    out.0
}

/// The text of an autocomplete answer: up to 25 choices.
fn write_autocomplete(choices: &[(String, String)]) -> String {
    let mut out = Json::with_capacity(
        64 + choices
            .iter()
            .map(|(n, v)| n.len() + v.len() + 24)
            .sum::<usize>(),
    );
    out.raw("{\"data\":{\"choices\":[");
    for (i, (name, value)) in choices.iter().take(25).enumerate() {
        out.comma_before(i);
        out.raw("{\"name\":");
        out.string(name);
        out.key(false, "value");
        out.string(value);
        out.raw("}");
    }
    out.raw("]},\"type\":");
    out.number(AUTOCOMPLETE_RESULT.into());
    out.raw("}");
    out.0
}

/// JSON this module wrote, read back as a tree.
fn to_value(json: &str) -> Value {
    serde_json::from_str(json).expect("the body written is JSON")
}

/// A callback body as the bot sends it: the JSON text, written once, with what the log and the
/// metrics say about it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Body {
    pub json: String,
    /// The callback type (4, 7, 8, 9).
    pub callback: u8,
    /// Only the asker sees it (a refusal or a notice).
    pub ephemeral: bool,
}

impl Body {
    /// The body of a response.
    pub fn of(response: &Response) -> Body {
        let (callback, ephemeral) = match response {
            Response::Message(r) => (CHANNEL_MESSAGE_WITH_SOURCE, r.ephemeral),
            Response::Update(_) => (UPDATE_MESSAGE, false),
        };
        Body {
            json: write_callback(response),
            callback,
            ephemeral,
        }
    }

    /// The body of an autocomplete answer: up to 25 choices.
    pub fn autocomplete(choices: &[(String, String)]) -> Body {
        Body {
            json: write_autocomplete(choices),
            callback: AUTOCOMPLETE_RESULT,
            ephemeral: false,
        }
    }

    /// A body built as a JSON tree (the rarer answers: settings, admin, autocomplete).
    pub fn from_value(body: &Value) -> Body {
        Body {
            json: body.to_string(),
            callback: body["type"].as_u64().unwrap_or(0) as u8,
            ephemeral: body["data"]["flags"].as_u64().unwrap_or(0) & EPHEMERAL != 0,
        }
    }

    /// The same body as a JSON tree (tests, and callers that read it).
    pub fn to_value(&self) -> Value {
        serde_json::from_str(&self.json).expect("a body is JSON")
    }
}

/// The message object (`data`) of a reply: content, embeds, components, mentions suppressed.
pub fn message_data(reply: &Reply, with_flags: bool) -> Value {
    let mut out = Json::with_capacity(size_hint(reply));
    write_data(&mut out, reply, with_flags);
    to_value(&out.0)
}

/// The body of POST /interactions/{id}/{token}/callback for a response.
pub fn callback_body(response: &Response) -> Value {
    to_value(&write_callback(response))
}

/// The body of an autocomplete answer: up to 25 choices.
pub fn autocomplete_body(choices: &[(String, String)]) -> Value {
    to_value(&write_autocomplete(choices))
}

/// The interaction callback body that opens a modal: each text input in its own row.
pub fn modal_body(modal: &Modal) -> Value {
    let rows: Vec<Value> = modal
        .inputs
        .iter()
        .take(5)
        .map(|input| {
            let mut o = serde_json::Map::new();
            o.insert("type".into(), json!(TEXT_INPUT));
            o.insert("custom_id".into(), json!(input.custom_id));
            let style = match input.style {
                InputStyle::Short => TEXT_INPUT_SHORT,
                InputStyle::Paragraph => TEXT_INPUT_PARAGRAPH,
            };
            o.insert("style".into(), json!(style));
            o.insert("label".into(), json!(input.label));
            if !input.placeholder.is_empty() {
                o.insert("placeholder".into(), json!(input.placeholder));
            }
            o.insert("required".into(), json!(input.required));
            if input.required {
                o.insert("min_length".into(), json!(1));
            }
            o.insert("max_length".into(), json!(input.max_length));
            json!({"type": ACTION_ROW, "components": [Value::Object(o)]})
        })
        .collect();
    json!({
        "type": MODAL,
        "data": {
            "custom_id": modal.custom_id,
            "title": modal.title,
            "components": rows,
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::reply::{Button, Embed, Field};

    fn full_reply(ephemeral: bool) -> Reply {
        Reply {
            content: Some("a \"quoted\" line\nand ünïcode".into()),
            embeds: vec![
                Embed {
                    title: Some("Katyn".into()),
                    description: Some("What happened.".into()),
                    color: Some(0x8b_1a_1a),
                    fields: vec![
                        Field {
                            name: "When".into(),
                            value: "1940".into(),
                            inline: true,
                        },
                        Field {
                            name: "Sources".into(),
                            value: "[1]".into(),
                            inline: false,
                        },
                    ],
                    footer: Some("Clio".into()),
                },
                // An embed with nothing but a description: the other keys are left out.
                Embed {
                    description: Some("More.".into()),
                    ..Default::default()
                },
            ],
            rows: vec![vec![
                Button::new("Sources", "s:katyn", ButtonStyle::Secondary),
                Button {
                    disabled: true,
                    ..Button::new("Next", "n:katyn", ButtonStyle::Primary)
                },
            ]],
            ephemeral,
        }
    }

    /// The wire shape, written out by hand: what the bot sent when it built a JSON tree.
    fn expected_data(reply: &Reply, flags: bool) -> Value {
        let mut data = json!({
            "allowed_mentions": {"parse": []},
            "components": [{"type": 1, "components": [
                {"type": 2, "style": 2, "label": "Sources", "custom_id": "s:katyn", "disabled": false},
                {"type": 2, "style": 1, "label": "Next", "custom_id": "n:katyn", "disabled": true},
            ]}],
            "content": reply.content,
            "embeds": [
                {"title": "Katyn", "description": "What happened.", "color": 0x8b_1a_1a,
                 "fields": [{"name": "When", "value": "1940", "inline": true},
                            {"name": "Sources", "value": "[1]", "inline": false}],
                 "footer": {"text": "Clio"}},
                {"description": "More."},
            ],
        });
        if flags {
            data["flags"] = json!(EPHEMERAL);
        }
        data
    }

    #[test]
    fn strings_are_escaped_as_serde_json_escapes_them() {
        let every_ascii: String = (0u8..0x80).map(char::from).collect();
        for s in [
            "",
            "plain",
            every_ascii.as_str(),
            "\"quoted\" \\ back\\slash /slash\u{7f}",
            "zażółć gęślą jaźń \u{1F4DC} Молотов\n\t\u{0}\u{1f}end",
            "\\",
            "\u{0}",
        ] {
            let mut out = Json::with_capacity(0);
            out.string(s);
            assert_eq!(out.0, serde_json::to_string(s).unwrap(), "{s:?}");
        }
        // Each character at each place in and across the eight-byte words read at once.
        for c in [
            '\u{0}',
            '\u{1f}',
            ' ',
            '!',
            '"',
            '#',
            '/',
            '[',
            '\\',
            ']',
            '\u{7f}',
            'ż',
            '\u{1F4DC}',
        ] {
            for before in 0..20 {
                for after in [0, 1, 7, 8, 9] {
                    let s = format!(
                        "{}{c}{}",
                        "é".repeat(before / 2) + &"a".repeat(before % 2),
                        "b".repeat(after)
                    );
                    let mut out = Json::with_capacity(0);
                    out.string(&s);
                    assert_eq!(out.0, serde_json::to_string(&s).unwrap(), "{s:?}");
                }
            }
        }
    }

    #[test]
    fn an_autocomplete_body_is_the_json_tree_of_its_choices() {
        let choices: Vec<(String, String)> = (0..30)
            .map(|i| (format!("Name \"{i}\""), format!("v{i}")))
            .collect();
        let body = Body::autocomplete(&choices);
        let expected = json!({"type": 8, "data": {"choices": choices[..25]
            .iter()
            .map(|(n, v)| json!({"name": n, "value": v}))
            .collect::<Vec<_>>()}});
        assert_eq!(body.json, expected.to_string());
        assert_eq!((body.callback, body.ephemeral), (8, false));
        assert_eq!(autocomplete_body(&choices), expected);
        assert_eq!(
            Body::autocomplete(&[]).json,
            r#"{"data":{"choices":[]},"type":8}"#
        );
    }

    #[test]
    fn a_body_is_written_directly_in_the_shape_of_the_json_tree() {
        for ephemeral in [false, true] {
            let reply = full_reply(ephemeral);
            let message = Response::Message(reply.clone());
            let body = Body::of(&message);
            let expected = json!({"type": 4, "data": expected_data(&reply, ephemeral)});
            assert_eq!(body.to_value(), expected);
            assert_eq!(callback_body(&message), expected);
            // Byte for byte what the tree prints (keys sorted), so `clio ask --json` is unchanged.
            assert_eq!(body.json, expected.to_string());
            assert_eq!((body.callback, body.ephemeral), (4, ephemeral));
            assert_eq!(Body::from_value(&expected), body);

            // An update never carries flags.
            let update = Body::of(&Response::Update(reply.clone()));
            let expected = json!({"type": 7, "data": expected_data(&reply, false)});
            assert_eq!(update.json, expected.to_string());
            assert_eq!((update.callback, update.ephemeral), (7, false));
            assert_eq!(message_data(&reply, false), expected["data"]);
        }
        // Nothing at all: empty lists, no content key.
        let empty = Body::of(&Response::Message(Reply::default()));
        assert_eq!(
            empty.json,
            r#"{"data":{"allowed_mentions":{"parse":[]},"components":[],"embeds":[]},"type":4}"#
        );
    }
}
