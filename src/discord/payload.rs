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

/// The message object (`data`) of a reply: content, embeds, components, mentions suppressed.
pub fn message_data(reply: &Reply, with_flags: bool) -> Value {
    let embeds: Vec<Value> = reply
        .embeds
        .iter()
        .map(|e| {
            let mut o = serde_json::Map::new();
            if let Some(t) = &e.title {
                o.insert("title".into(), json!(t));
            }
            if let Some(d) = &e.description {
                o.insert("description".into(), json!(d));
            }
            if let Some(c) = e.color {
                o.insert("color".into(), json!(c));
            }
            if !e.fields.is_empty() {
                let fields: Vec<Value> = e
                    .fields
                    .iter()
                    .map(|f| json!({"name": f.name, "value": f.value, "inline": f.inline}))
                    .collect();
                o.insert("fields".into(), Value::Array(fields));
            }
            if let Some(f) = &e.footer {
                o.insert("footer".into(), json!({ "text": f }));
            }
            Value::Object(o)
        })
        .collect();
    let components: Vec<Value> = reply
        .rows
        .iter()
        .map(|row| {
            let buttons: Vec<Value> = row
                .iter()
                .map(|b| json!({"type": BUTTON, "style": style(b.style), "label": b.label, "custom_id": b.custom_id, "disabled": b.disabled}))
                .collect();
            json!({"type": ACTION_ROW, "components": buttons})
        })
        .collect();
    let mut data = serde_json::Map::new();
    if let Some(c) = &reply.content {
        data.insert("content".into(), json!(c));
    }
    data.insert("embeds".into(), Value::Array(embeds));
    data.insert("components".into(), Value::Array(components));
    data.insert("allowed_mentions".into(), json!({ "parse": [] }));
    if with_flags && reply.ephemeral {
        data.insert("flags".into(), json!(EPHEMERAL));
    }
    Value::Object(data)
}

/// The body of POST /interactions/{id}/{token}/callback for a response.
pub fn callback_body(response: &Response) -> Value {
    match response {
        Response::Message(r) => {
            json!({"type": CHANNEL_MESSAGE_WITH_SOURCE, "data": message_data(r, true)})
        }
        // An update edits the message the button sits on; its flags cannot change.
        Response::Update(r) => json!({"type": UPDATE_MESSAGE, "data": message_data(r, false)}),
    }
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
