//! A quiz's channel messages, sent with the bot's own token: a quiz night outlasts the 15-minute
//! interaction token, so questions, countdowns, reveals and standings are channel messages
//! (`POST`/`PATCH /channels/{id}/messages`, bodies from [`payload::message_data`]), sent through
//! [`Rest`] so a 429 is waited out and a 5xx tried again.

use std::sync::Arc;

use serde_json::Value;
use serenity::all::ChannelId;
use serenity::http::{Http, LightMethod, Route};
use tracing::{error, warn};

use super::interactions::ErrorId;
use super::payload;
use super::rest::Rest;
use crate::quiz::runner::Outbound;
use crate::reply::Reply;

/// One channel's messages.
#[derive(Clone)]
pub struct ChannelOutbound {
    http: Arc<Http>,
    rest: Rest,
    channel: ChannelId,
}

impl ChannelOutbound {
    pub fn new(http: Arc<Http>, rest: Rest, channel: u64) -> ChannelOutbound {
        ChannelOutbound {
            http,
            rest,
            channel: ChannelId::new(channel.max(1)),
        }
    }
}

impl Outbound for ChannelOutbound {
    async fn post(&self, reply: &Reply) -> Option<u64> {
        let body = payload::message_data(reply, false);
        let route = Route::ChannelMessages {
            channel_id: self.channel,
        };
        match self
            .rest
            .call(&self.http, route, LightMethod::Post, Some(&body), None)
            .await
        {
            Ok(message) => message
                .as_ref()
                .and_then(|m| m["id"].as_str())
                .and_then(|id| id.parse().ok()),
            Err(e) => {
                let id = ErrorId::new();
                error!(error_id = %id, error = %e, "posting a quiz message failed");
                None
            }
        }
    }

    async fn edit(&self, message: u64, reply: &Reply) -> Option<u64> {
        let body = payload::message_data(reply, false);
        let route = Route::ChannelMessage {
            channel_id: self.channel,
            message_id: message.into(),
        };
        let edited: Result<Option<Value>, _> = self
            .rest
            .call(&self.http, route, LightMethod::Patch, Some(&body), None)
            .await;
        match edited {
            Ok(_) => Some(message),
            // Someone deleted the quiz's message: post it again, so the quiz stays visible.
            Err(e) if e.status() == Some(404) => {
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
