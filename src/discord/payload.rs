//! Discord's JSON for a [`Reply`]: the body of an interaction callback, or of a channel message.
//!
//! This module knows the wire shape of replies, so `clio ask --json` prints exactly what the bot
//! sends, and tests validate it against Discord's OpenAPI schema.

use serde::{Serialize, Serializer};
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

// The wire shape is written straight from the reply model by these borrowing types (each
// object's keys in alphabetical order, as a `serde_json::Value` prints them), so the bot
// serialises an answer once instead of building a JSON tree first. The [`Value`]s that tests and
// other callers use are made from the same types.

/// Every body here is plain data; serialising it cannot fail.
fn to_value(body: impl Serialize) -> Value {
    serde_json::to_value(body).expect("a reply serialises")
}

/// A sequence serialised from an iterator over borrowed parts, without collecting it.
#[derive(Clone)]
struct Seq<I>(I);

impl<I: Iterator<Item = T> + Clone, T: Serialize> Serialize for Seq<I> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_seq(self.0.clone())
    }
}

/// `{ "parse": [] }`: nobody is pinged, whatever the text holds.
#[derive(Serialize)]
struct NoMentions {
    parse: [u8; 0],
}

#[derive(Serialize)]
struct FieldOut<'a> {
    inline: bool,
    name: &'a str,
    value: &'a str,
}

#[derive(Serialize)]
struct FooterOut<'a> {
    text: &'a str,
}

#[derive(Serialize)]
struct EmbedOut<'a, F: Serialize> {
    #[serde(skip_serializing_if = "Option::is_none")]
    color: Option<u32>,
    #[serde(skip_serializing_if = "Option::is_none")]
    description: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    fields: Option<F>,
    #[serde(skip_serializing_if = "Option::is_none")]
    footer: Option<FooterOut<'a>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    title: Option<&'a str>,
}

#[derive(Serialize)]
struct ButtonOut<'a> {
    custom_id: &'a str,
    disabled: bool,
    label: &'a str,
    style: u8,
    #[serde(rename = "type")]
    kind: u8,
}

#[derive(Serialize)]
struct RowOut<B: Serialize> {
    components: B,
    #[serde(rename = "type")]
    kind: u8,
}

/// The message object (`data`) of a reply, as sent.
#[derive(Serialize)]
struct DataOut<'a, C: Serialize, E: Serialize> {
    allowed_mentions: NoMentions,
    components: C,
    #[serde(skip_serializing_if = "Option::is_none")]
    content: Option<&'a str>,
    embeds: E,
    #[serde(skip_serializing_if = "Option::is_none")]
    flags: Option<u64>,
}

/// The message object (`data`) of a reply, serialised as it goes.
struct Data<'a> {
    reply: &'a Reply,
    with_flags: bool,
}

impl Serialize for Data<'_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let r = self.reply;
        let embeds = Seq(r.embeds.iter().map(|e| EmbedOut {
            color: e.color,
            description: e.description.as_deref(),
            fields: (!e.fields.is_empty()).then(|| {
                Seq(e.fields.iter().map(|f| FieldOut {
                    inline: f.inline,
                    name: &f.name,
                    value: &f.value,
                }))
            }),
            footer: e.footer.as_deref().map(|text| FooterOut { text }),
            title: e.title.as_deref(),
        }));
        let components = Seq(r.rows.iter().map(|row| RowOut {
            components: Seq(row.iter().map(|b| ButtonOut {
                custom_id: &b.custom_id,
                disabled: b.disabled,
                label: &b.label,
                style: style(b.style),
                kind: BUTTON,
            })),
            kind: ACTION_ROW,
        }));
        DataOut {
            allowed_mentions: NoMentions { parse: [] },
            components,
            content: r.content.as_deref(),
            embeds,
            flags: (self.with_flags && r.ephemeral).then_some(EPHEMERAL),
        }
        .serialize(s)
    }
}

/// `{ "data": ..., "type": ... }`: an interaction callback.
#[derive(Serialize)]
struct CallbackOut<D: Serialize> {
    data: D,
    #[serde(rename = "type")]
    kind: u8,
}

/// The callback body of a response, serialised as it goes.
struct Callback<'a>(&'a Response);

impl Serialize for Callback<'_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        match self.0 {
            Response::Message(reply) => CallbackOut {
                data: Data {
                    reply,
                    with_flags: true,
                },
                kind: CHANNEL_MESSAGE_WITH_SOURCE,
            }
            .serialize(s),
            // An update edits the message the button sits on; its flags cannot change.
            Response::Update(reply) => CallbackOut {
                data: Data {
                    reply,
                    with_flags: false,
                },
                kind: UPDATE_MESSAGE,
            }
            .serialize(s),
        }
    }
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
            json: serde_json::to_string(&Callback(response)).expect("a reply serialises"),
            callback,
            ephemeral,
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
    to_value(Data { reply, with_flags })
}

/// The body of POST /interactions/{id}/{token}/callback for a response.
pub fn callback_body(response: &Response) -> Value {
    to_value(Callback(response))
}

/// The body of an autocomplete answer: up to 25 choices.
pub fn autocomplete_body(choices: &[(String, String)]) -> Value {
    let choices: Vec<Value> = choices
        .iter()
        .take(25)
        .map(|(name, value)| json!({"name": name, "value": value}))
        .collect();
    json!({"type": AUTOCOMPLETE_RESULT, "data": {"choices": choices}})
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
