//! Clio's own REST calls: interaction callbacks and a quiz's channel messages, with Discord's
//! refusals handled. serenity's rate limiter is off when `discord.api_base` points at a proxy
//! (or the fake Discord), so this is where a 429 is waited out: after its `retry_after`, while
//! that still fits the interaction's deadline; a 5xx is tried once more; anything else is
//! reported with its status and Discord's error code (403 50013: missing permissions, 404 10008:
//! unknown message) for the caller to act on.

use std::time::{Duration, Instant};

use serde_json::Value;
use serenity::all::InteractionId;
use serenity::http::{Http, LightMethod, Request, Route};

/// Discord fails an interaction that has no first answer within 3 seconds; keep a margin.
pub const CALLBACK_DEADLINE: Duration = Duration::from_millis(2_800);

/// How many times a rate-limited request is tried in all.
const TRIES_429: u32 = 4;

/// Why a call did not go through.
#[derive(Debug, Clone, PartialEq)]
pub enum RestError {
    /// Discord said no: the HTTP status, Discord's error code (0 when none), its message.
    Status {
        status: u16,
        code: i64,
        message: String,
    },
    /// Still rate-limited when the deadline came.
    RateLimited { retry_after: Duration },
    /// The request did not reach Discord or its answer could not be read.
    Transport(String),
}

impl RestError {
    pub fn status(&self) -> Option<u16> {
        match self {
            RestError::Status { status, .. } => Some(*status),
            _ => None,
        }
    }
}

impl std::fmt::Display for RestError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            RestError::Status {
                status,
                code,
                message,
            } => write!(f, "Discord answered {status} (code {code}): {message}"),
            RestError::RateLimited { retry_after } => {
                write!(f, "rate-limited, retry after {retry_after:?}")
            }
            RestError::Transport(e) => write!(f, "{e}"),
        }
    }
}

impl std::error::Error for RestError {}

/// The HTTP client shared with serenity (one connection pool).
#[derive(Clone)]
pub struct Rest {
    client: reqwest::Client,
}

impl Default for Rest {
    fn default() -> Self {
        Rest::new()
    }
}

impl Rest {
    pub fn new() -> Rest {
        let client = reqwest::Client::builder()
            .use_rustls_tls()
            .build()
            .unwrap_or_default();
        Rest { client }
    }

    /// The client, for serenity's `HttpBuilder::client`.
    pub fn client(&self) -> reqwest::Client {
        self.client.clone()
    }

    /// Answer an interaction, within Discord's 3 seconds from `received`.
    pub async fn callback(
        &self,
        http: &Http,
        id: InteractionId,
        token: &str,
        body: &Value,
        received: Instant,
    ) -> Result<(), RestError> {
        self.callback_text(http, id, token, body.to_string(), received)
            .await
    }

    /// [`Rest::callback`] with a body already serialised.
    pub async fn callback_text(
        &self,
        http: &Http,
        id: InteractionId,
        token: &str,
        body: String,
        received: Instant,
    ) -> Result<(), RestError> {
        let route = Route::InteractionResponse {
            interaction_id: id,
            token,
        };
        self.send(
            http,
            route,
            LightMethod::Post,
            Some(body.into_bytes()),
            Some(received + CALLBACK_DEADLINE),
        )
        .await
        .map(|_| ())
    }

    /// One request, retried on 429 (after `retry_after`, while it fits `deadline`) and once on a
    /// 5xx. The answer's JSON body, if it has one.
    pub async fn call(
        &self,
        http: &Http,
        route: Route<'_>,
        method: LightMethod,
        body: Option<&Value>,
        deadline: Option<Instant>,
    ) -> Result<Option<Value>, RestError> {
        let bytes = body.map(|b| b.to_string().into_bytes());
        self.send(http, route, method, bytes, deadline).await
    }

    /// [`Rest::call`] with the body's bytes.
    async fn send(
        &self,
        http: &Http,
        route: Route<'_>,
        method: LightMethod,
        bytes: Option<Vec<u8>>,
        deadline: Option<Instant>,
    ) -> Result<Option<Value>, RestError> {
        let mut server_errors = 0;
        let mut rate_limited = 0;
        loop {
            let request = Request::new(route, method).body(bytes.clone());
            let built = request
                .build(&self.client, http.token(), http.proxy.as_deref())
                .map_err(|e| RestError::Transport(e.to_string()))?;
            let response = built
                .send()
                .await
                .map_err(|e| RestError::Transport(e.to_string()))?;
            let status = response.status().as_u16();
            let header_wait = response
                .headers()
                .get("x-ratelimit-reset-after")
                .or_else(|| response.headers().get("retry-after"))
                .and_then(|v| v.to_str().ok())
                .and_then(|v| v.parse::<f64>().ok());
            let text = response
                .text()
                .await
                .map_err(|e| RestError::Transport(e.to_string()))?;
            let json: Option<Value> = serde_json::from_str(&text).ok();
            if (200..300).contains(&status) {
                return Ok(json);
            }
            let wait = match status {
                429 => {
                    rate_limited += 1;
                    let seconds = json
                        .as_ref()
                        .and_then(|j| j["retry_after"].as_f64())
                        .or(header_wait)
                        .unwrap_or(1.0);
                    let wait = Duration::from_secs_f64(seconds.clamp(0.0, 60.0));
                    if rate_limited >= TRIES_429
                        || deadline.is_some_and(|d| Instant::now() + wait > d)
                    {
                        return Err(RestError::RateLimited { retry_after: wait });
                    }
                    tracing::warn!(
                        status,
                        wait_ms = wait.as_millis() as u64,
                        "rate-limited by Discord; retrying"
                    );
                    wait
                }
                500..=599 if server_errors == 0 => {
                    server_errors += 1;
                    let wait = Duration::from_millis(200);
                    if deadline.is_some_and(|d| Instant::now() + wait > d) {
                        return Err(status_error(status, json.as_ref(), &text));
                    }
                    tracing::warn!(status, "Discord failed; trying once more");
                    wait
                }
                _ => return Err(status_error(status, json.as_ref(), &text)),
            };
            tokio::time::sleep(wait).await;
        }
    }
}

fn status_error(status: u16, json: Option<&Value>, text: &str) -> RestError {
    RestError::Status {
        status,
        code: json.and_then(|j| j["code"].as_i64()).unwrap_or(0),
        message: json
            .and_then(|j| j["message"].as_str())
            .map_or_else(|| text.chars().take(200).collect(), str::to_string),
    }
}
