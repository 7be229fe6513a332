//! A quiz's channel messages, sent with the bot's own token: a quiz night outlasts the 15-minute
//! interaction token, so questions, countdowns, reveals and standings are channel messages
//! (`POST`/`PATCH /channels/{id}/messages`, bodies from [`payload::message_data`]).

use std::sync::Arc;

use serde_json::Value;
use serenity::all::ChannelId;
use serenity::http::{Http, HttpError, LightMethod, Request, Route};
use tracing::{error, warn};

use super::interactions::ErrorId;
use super::payload;
use crate::quiz::runner::Outbound;
use crate::reply::Reply;

/// One channel's messages.
#[derive(Clone)]
pub struct ChannelOutbound {
    http: Arc<Http>,
    channel: ChannelId,
}

impl ChannelOutbound {
    pub fn new(http: Arc<Http>, channel: u64) -> ChannelOutbound {
        ChannelOutbound {
            http,
            channel: ChannelId::new(channel.max(1)),
        }
    }
}

/// Whether Discord answered 404: the message (or channel) is gone.
fn not_found(e: &serenity::Error) -> bool {
    matches!(e, serenity::Error::Http(HttpError::UnsuccessfulRequest(r)) if r.status_code.as_u16() == 404)
}

impl Outbound for ChannelOutbound {
    async fn post(&self, reply: &Reply) -> Option<u64> {
        let body = payload::message_data(reply, false);
        let request = Request::new(
            Route::ChannelMessages {
                channel_id: self.channel,
            },
            LightMethod::Post,
        )
        .body(Some(body.to_string().into_bytes()));
        match self.http.fire::<Value>(request).await {
            Ok(message) => message["id"].as_str().and_then(|id| id.parse().ok()),
            Err(e) => {
                let id = ErrorId::new();
                error!(error_id = %id, error = %e, "posting a quiz message failed");
                None
            }
        }
    }

    async fn edit(&self, message: u64, reply: &Reply) -> Option<u64> {
        let body = payload::message_data(reply, false);
        let request = Request::new(
            Route::ChannelMessage {
                channel_id: self.channel,
                message_id: message.into(),
            },
            LightMethod::Patch,
        )
        .body(Some(body.to_string().into_bytes()));
        match self.http.fire::<Value>(request).await {
            Ok(_) => Some(message),
            // Someone deleted the quiz's message: post it again, so the quiz stays visible.
            Err(e) if not_found(&e) => {
                warn!(message, "a quiz message was deleted; posting it again");
                self.post(reply).await
            }
            Err(e) => {
                let id = ErrorId::new();
                error!(error_id = %id, error = %e, message, "editing a quiz message failed");
                None
            }
        }
    }
}
