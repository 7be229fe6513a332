//! A fake Discord on 127.0.0.1: enough of the REST API and the gateway for the real bot to connect,
//! identify, register its commands and answer interactions, recording everything it sends.
//!
//! The bot under test is the real `clio run`, pointed here with `DISCORD_API_BASE`. What the fake
//! sends is shaped like Discord's own payloads (READY, INTERACTION_CREATE with the fields serenity
//! requires, full `message` objects on component interactions), so a bot that works here parses
//! what Discord sends. It accepts only the token it was started with, on REST as on the gateway.
//!
//! It speaks shards as Discord does: one gateway connection per shard, IDENTIFY with
//! `shard: [id, count]` (recorded, see [`FakeDiscord::identifies`]), each guild in its shard's
//! READY and its events (interactions included) on that shard's connection, and `GET
//! /gateway/bot` with a shard count and `session_start_limit` ([`FakeDiscord::set_gateway_bot`]).
//! By default there is one shard, as for any bot in fewer than 1,000 servers.
//!
//! The fake runs on its own tokio runtime and thread, so tests drive it with plain blocking calls
//! (`interact`, `wait_request`), each waiting at most [`WAIT`]: generous, because a loaded 2-core
//! machine is slow, and speed is proven by the benchmark, not here.
//!
//! Shared by the integration tests (`tests/it/discord.rs`) and the latency benchmark
//! (`examples/bot_latency.rs`, via `#[path]`), so not every helper is used by both.
#![allow(dead_code)]

use std::collections::HashMap;
use std::net::{IpAddr, Ipv4Addr, SocketAddr};
use std::sync::{Arc, Condvar, Mutex, MutexGuard};
use std::time::{Duration, Instant};

use base64::Engine;
use futures_util::{SinkExt, StreamExt};
use serde_json::{json, Value};
use tokio::io::{AsyncBufReadExt, AsyncReadExt, AsyncWriteExt, BufReader};
use tokio::net::{TcpListener, TcpStream};
use tokio::sync::mpsc;
use tokio_tungstenite::tungstenite::protocol::frame::coding::CloseCode;
use tokio_tungstenite::tungstenite::protocol::CloseFrame;
use tokio_tungstenite::tungstenite::Message;

/// How long any wait on the bot may take before the test fails.
pub const WAIT: Duration = Duration::from_secs(30);

/// A well-formed token for an invented bot whose id is 123456789012345678.
pub const TOKEN: &str = "MTIzNDU2Nzg5MDEyMzQ1Njc4.GaBcDe.fake-discord-token_0123456789abcdefghij";
/// The guild every interaction comes from unless moved with [`in_guild`]: shard 1 of 2.
pub const GUILD_ID: &str = "1100000000000000001";
/// A second guild, on shard 0 of 2 (`(id >> 22) % 2`), and its channel.
pub const SHARD0_GUILD_ID: &str = "1110000000000000001";
pub const SHARD0_CHANNEL_ID: &str = "1110000000000000002";
pub const CHANNEL_ID: &str = "1100000000000000002";
pub const USER_ID: &str = "1100000000000000003";
pub const API: &str = "/api/v10";

/// Gateway intents Discord treats as privileged: GUILD_MEMBERS, GUILD_PRESENCES, MESSAGE_CONTENT.
pub const PRIVILEGED_INTENTS: u64 = (1 << 1) | (1 << 8) | (1 << 15);

/// One HTTP request the bot made.
#[derive(Debug, Clone)]
pub struct Recorded {
    pub method: String,
    /// The path with its query, e.g. `/api/v10/gateway`.
    pub path: String,
    pub authorization: Option<String>,
    /// The body as JSON (`Null` when empty or not JSON; see `raw_body`).
    pub body: Value,
    pub raw_body: String,
    /// When the request had fully arrived.
    pub at: Instant,
}

/// One gateway frame the bot sent.
#[derive(Debug, Clone)]
pub struct Frame {
    /// Which gateway connection, counting from 1.
    pub connection: u32,
    pub op: u64,
    pub payload: Value,
    /// When the frame had arrived (the latency harness times process start to IDENTIFY with it).
    pub at: Instant,
}

enum Outbound {
    /// A frame; `key` names it for latency measurement (an interaction id).
    Text {
        text: String,
        key: Option<String>,
    },
    Close(u16),
}

struct Live {
    connection: u32,
    tx: mpsc::UnboundedSender<Outbound>,
    /// The session it carries (for RESUME) and its shard, `[id, count]`.
    session_id: String,
    shard: [u32; 2],
}

/// A gateway session: its shard and the last sequence number dispatched on it.
struct Session {
    shard: [u32; 2],
    seq: u64,
}

/// One IDENTIFY the bot sent.
#[derive(Debug, Clone, PartialEq)]
pub struct Identified {
    pub connection: u32,
    /// `[id, count]`, as the bot sent it (`[0, 1]` when it sent none).
    pub shard: [u32; 2],
    pub at: Instant,
    /// When the fake accepted the WebSocket of its connection.
    pub opened: Instant,
}

/// What `GET /gateway/bot` says: the recommended shard count and the session start limit.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct GatewayBot {
    pub shards: u32,
    pub total: u64,
    pub remaining: u64,
    pub reset_after_ms: u64,
    pub max_concurrency: u64,
}

impl Default for GatewayBot {
    fn default() -> Self {
        GatewayBot {
            shards: 1,
            total: 1000,
            remaining: 999,
            reset_after_ms: 0,
            max_concurrency: 1,
        }
    }
}

/// The shard Discord puts a guild on.
pub fn shard_of(guild: &str, count: u32) -> u32 {
    let id: u64 = guild.parse().unwrap_or(0);
    ((id >> 22) % u64::from(count.max(1))) as u32
}

#[derive(Default)]
struct State {
    requests: Vec<Recorded>,
    frames: Vec<Frame>,
    connections: u32,
    /// The ready sessions (READY or RESUMED sent), by shard id.
    live: std::collections::BTreeMap<u32, Live>,
    /// Every session that may be resumed, by session id.
    sessions: HashMap<String, Session>,
    /// Every IDENTIFY, in order.
    identified: Vec<Identified>,
    /// When each connection's WebSocket was accepted.
    opened: HashMap<u32, Instant>,
    /// What `GET /gateway/bot` answers; `remaining` counts down with each IDENTIFY.
    gateway_bot: GatewayBot,
    /// The guilds the bot is in, besides [`GUILD_ID`] (each listed in its shard's READY).
    extra_guilds: Vec<String>,
    /// Answer the next RESUME with op 9 (invalid session), forcing a fresh IDENTIFY.
    reject_resume: bool,
    /// Failures to answer instead of the real thing, in order: (method, path part, status).
    planned_failures: Vec<(String, String, u16)>,
    /// Answer the next IDENTIFY with a READY that cannot be read.
    garble_ready: bool,
    /// Answer every IDENTIFY by closing the gateway with this code (4010, 4011, …).
    refuse_identify: Option<u16>,
    /// When each keyed frame was written to the socket.
    sent_at: HashMap<String, Instant>,
    /// Channel messages posted so far (their ids count from this).
    channel_messages: u64,
    /// Guild scheduled events created so far (their ids count from this).
    scheduled_events: u64,
    /// The gateway is "down" (see [`FakeDiscord::stop_gateway`]): connections are refused.
    gateway_down: bool,
    /// Gateway connections refused while it was down.
    refused: u32,
}

struct Shared {
    state: Mutex<State>,
    changed: Condvar,
    token: String,
    bot_id: String,
    gateway_url: String,
}

impl Shared {
    fn lock(&self) -> MutexGuard<'_, State> {
        self.state.lock().unwrap_or_else(|e| e.into_inner())
    }

    fn update(&self, f: impl FnOnce(&mut State)) {
        f(&mut self.lock());
        self.changed.notify_all();
    }

    /// Wait until `ready` returns something, or fail the test after [`WAIT`].
    fn wait<T>(&self, what: &str, mut ready: impl FnMut(&mut State) -> Option<T>) -> T {
        let deadline = Instant::now() + WAIT;
        let mut state = self.lock();
        loop {
            if let Some(found) = ready(&mut state) {
                return found;
            }
            let left = deadline.saturating_duration_since(Instant::now());
            if left.is_zero() {
                let paths: Vec<String> = state
                    .requests
                    .iter()
                    .map(|r| format!("{} {}", r.method, r.path))
                    .collect();
                panic!(
                    "fake Discord: gave up after {WAIT:?} waiting for {what}\nrequests so far: \
                     {paths:#?}\ngateway frames: {:?}",
                    state
                        .frames
                        .iter()
                        .map(|f| (f.connection, f.op))
                        .collect::<Vec<_>>()
                );
            }
            state = self
                .changed
                .wait_timeout(state, left)
                .unwrap_or_else(|e| e.into_inner())
                .0;
        }
    }

    fn is_authorized(&self, header: Option<&str>) -> bool {
        header.and_then(|h| h.strip_prefix("Bot ")) == Some(self.token.as_str())
    }
}

/// The fake server. Dropping it stops it.
pub struct FakeDiscord {
    shared: Arc<Shared>,
    api_base: String,
    runtime: Option<tokio::runtime::Runtime>,
    next_id: Mutex<u64>,
}

impl Drop for FakeDiscord {
    fn drop(&mut self) {
        if let Some(rt) = self.runtime.take() {
            rt.shutdown_background();
        }
    }
}

impl FakeDiscord {
    /// Start a fake that accepts [`TOKEN`], on free ports.
    pub fn start() -> FakeDiscord {
        FakeDiscord::start_with_token(TOKEN)
    }

    pub fn start_with_token(token: &str) -> FakeDiscord {
        FakeDiscord::start_on(token, IpAddr::V4(Ipv4Addr::LOCALHOST), None)
    }

    /// Start a fake that a bot in a container can reach: listening on `bind` (e.g. the Docker
    /// bridge's address on this machine), and naming itself `host` (e.g. `host.docker.internal`)
    /// in [`api_base`](Self::api_base) and in the gateway URL it hands out.
    pub fn start_reachable(bind: IpAddr, host: &str) -> FakeDiscord {
        FakeDiscord::start_on(TOKEN, bind, Some(host))
    }

    /// Start a fake whose REST API listens on 127.0.0.1:`port`, a port a bot was already pointed
    /// at while nothing listened there (Discord coming back after an outage).
    pub fn start_at(port: u16) -> FakeDiscord {
        FakeDiscord::start_bound(TOKEN, IpAddr::V4(Ipv4Addr::LOCALHOST), None, port)
    }

    fn start_on(token: &str, bind: IpAddr, host: Option<&str>) -> FakeDiscord {
        FakeDiscord::start_bound(token, bind, host, 0)
    }

    fn start_bound(token: &str, bind: IpAddr, host: Option<&str>, rest_port: u16) -> FakeDiscord {
        let runtime = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(1)
            .thread_name("fake-discord")
            .enable_all()
            .build()
            .expect("a runtime for the fake Discord");
        let (rest, gateway) = runtime.block_on(async {
            let rest = TcpListener::bind((bind, rest_port))
                .await
                .expect("bind REST");
            let gateway = TcpListener::bind((bind, 0)).await.expect("bind gateway");
            (rest, gateway)
        });
        let rest_addr: SocketAddr = rest.local_addr().unwrap();
        let gateway_addr: SocketAddr = gateway.local_addr().unwrap();
        let named = |addr: SocketAddr| match host {
            Some(host) => format!("{host}:{}", addr.port()),
            None => addr.to_string(),
        };
        let shared = Arc::new(Shared {
            state: Mutex::new(State::default()),
            changed: Condvar::new(),
            token: token.to_string(),
            bot_id: bot_id(token),
            gateway_url: format!("ws://{}", named(gateway_addr)),
        });
        runtime.spawn(serve_rest(rest, shared.clone()));
        runtime.spawn(serve_gateway(gateway, shared.clone()));
        FakeDiscord {
            shared,
            api_base: format!("http://{}", named(rest_addr)),
            runtime: Some(runtime),
            next_id: Mutex::new(0),
        }
    }

    /// The base URL to give the bot as `DISCORD_API_BASE`.
    pub fn api_base(&self) -> &str {
        &self.api_base
    }

    pub fn bot_id(&self) -> &str {
        &self.shared.bot_id
    }

    /// Every request so far.
    pub fn requests(&self) -> Vec<Recorded> {
        self.shared.lock().requests.clone()
    }

    /// Every gateway frame the bot sent so far.
    pub fn frames(&self) -> Vec<Frame> {
        self.shared.lock().frames.clone()
    }

    /// The first request matching `matches`, waiting for it.
    pub fn wait_request(&self, what: &str, matches: impl Fn(&Recorded) -> bool) -> Recorded {
        self.shared
            .wait(what, |s| s.requests.iter().find(|r| matches(r)).cloned())
    }

    /// The first gateway frame matching `matches`, waiting for it.
    pub fn wait_frame(&self, what: &str, matches: impl Fn(&Frame) -> bool) -> Frame {
        self.shared
            .wait(what, |s| s.frames.iter().find(|f| matches(f)).cloned())
    }

    /// The connection of the ready session of the lowest shard, if there is one now.
    pub fn ready_connection(&self) -> Option<u32> {
        self.shared
            .lock()
            .live
            .values()
            .next()
            .map(|l| l.connection)
    }

    /// The connection of shard `shard`'s ready session, if there is one now.
    pub fn ready_connection_of(&self, shard: u32) -> Option<u32> {
        self.shared.lock().live.get(&shard).map(|l| l.connection)
    }

    /// Wait until the bot has a ready session (after READY or RESUMED); returns its connection.
    pub fn wait_ready(&self) -> u32 {
        self.shared.wait("a ready gateway session", |s| {
            s.live.values().next().map(|l| l.connection)
        })
    }

    /// Wait until shard `shard` has a ready session opened after connection `after`; returns
    /// its connection.
    pub fn wait_shard_ready(&self, shard: u32, after: u32) -> u32 {
        self.shared
            .wait(&format!("a ready session on shard {shard}"), |s| {
                s.live
                    .get(&shard)
                    .map(|l| l.connection)
                    .filter(|c| *c > after)
            })
    }

    /// Say `GET /gateway/bot` recommends `shards` shards (the default is 1).
    pub fn set_recommended_shards(&self, shards: u32) {
        self.shared.update(|s| s.gateway_bot.shards = shards);
    }

    /// What `GET /gateway/bot` answers, in full.
    pub fn set_gateway_bot(&self, gateway_bot: GatewayBot) {
        self.shared.update(|s| s.gateway_bot = gateway_bot);
    }

    /// What `GET /gateway/bot` would answer now (`remaining` counts down with each IDENTIFY).
    pub fn gateway_bot(&self) -> GatewayBot {
        self.shared.lock().gateway_bot
    }

    /// Put the bot in another guild too: it is listed in its shard's READY.
    pub fn add_guild(&self, guild: &str) {
        self.shared
            .update(|s| s.extra_guilds.push(guild.to_string()));
    }

    /// Every IDENTIFY so far, with its shard.
    pub fn identifies(&self) -> Vec<Identified> {
        self.shared.lock().identified.clone()
    }

    /// The command registration (PUT .../commands), waiting for it.
    pub fn wait_registration(&self) -> Recorded {
        self.wait_request("the command registration", |r| {
            r.method == "PUT" && r.path.ends_with("/commands")
        })
    }

    /// Send a dispatch (op 0) on the ready session of the shard of `d`'s guild (shard 0's for an
    /// event without one, as Discord sends direct messages); `key` marks its send time.
    pub fn dispatch(&self, event: &str, d: Value, key: Option<String>) {
        let guild = d["guild_id"].as_str().unwrap_or("0").to_string();
        self.dispatch_to_guild(&guild, event, d, key);
    }

    /// Send a dispatch on the session whose shard holds `guild`, waiting for one to be ready.
    pub fn dispatch_to_guild(&self, guild: &str, event: &str, d: Value, key: Option<String>) {
        let what = format!("a ready session on the shard of guild {guild}");
        let (tx, text) = self.shared.wait(&what, |s| {
            let (tx, session_id) = s
                .live
                .values()
                .find(|l| shard_of(guild, l.shard[1]) == l.shard[0])
                .map(|l| (l.tx.clone(), l.session_id.clone()))?;
            let session = s.sessions.get_mut(&session_id)?;
            session.seq += 1;
            let text = json!({"op": 0, "t": event, "s": session.seq, "d": d}).to_string();
            Some((tx, text))
        });
        let _ = tx.send(Outbound::Text { text, key });
    }

    /// Send any text frame as is, e.g. something malformed (on the lowest shard's session).
    pub fn send_raw(&self, text: &str) {
        let _ = self.live_sender().send(Outbound::Text {
            text: text.to_string(),
            key: None,
        });
    }

    /// Close every live gateway connection with `code`, as Discord does when it moves sessions.
    pub fn close_gateway(&self, code: u16) {
        self.live_sender();
        let live = std::mem::take(&mut self.shared.lock().live);
        self.shared.changed.notify_all();
        for l in live.into_values() {
            let _ = l.tx.send(Outbound::Close(code));
        }
    }

    /// From now on, answer every IDENTIFY by closing the connection with `code`, as Discord does
    /// for a session it will never accept (4010 invalid shard, 4011 sharding required, 4012
    /// invalid API version, 4013 invalid intents, 4014 disallowed intents).
    pub fn refuse_identify_with(&self, code: u16) {
        self.shared.update(|s| s.refuse_identify = Some(code));
    }

    /// Answer the next request whose method is `method` and whose path contains `path_part` with
    /// `status`, as Discord would: 429 with `retry_after` and the rate-limit headers, 403 with
    /// code 50013 (missing permissions), 404 with code 10008 (unknown message), 5xx. Several
    /// calls queue several failures.
    pub fn fail_next(&self, method: &str, path_part: &str, status: u16) {
        self.shared.update(|s| {
            s.planned_failures
                .push((method.to_string(), path_part.to_string(), status))
        });
    }

    /// Take the gateway down, as in an outage: the live connection is closed (code 1001) and every
    /// new connection is refused until [`start_gateway`](Self::start_gateway). REST stays up.
    pub fn stop_gateway(&self) {
        let live = {
            let mut s = self.shared.lock();
            s.gateway_down = true;
            std::mem::take(&mut s.live)
        };
        self.shared.changed.notify_all();
        for l in live.into_values() {
            let _ = l.tx.send(Outbound::Close(1001));
        }
    }

    /// Bring the gateway back after [`stop_gateway`](Self::stop_gateway).
    pub fn start_gateway(&self) {
        self.shared.update(|s| s.gateway_down = false);
    }

    /// How many gateway connections were refused while the gateway was down.
    pub fn refused_connections(&self) -> u32 {
        self.shared.lock().refused
    }

    /// Answer the next IDENTIFY with a READY whose fields have the wrong types, as a broken
    /// deploy of Discord's might: the connection stays open and no READY arrives.
    pub fn garble_next_ready(&self) {
        self.shared.update(|s| s.garble_ready = true);
    }

    /// Make the next RESUME fail with op 9 (invalid session), forcing a new IDENTIFY.
    pub fn reject_next_resume(&self) {
        self.shared.update(|s| s.reject_resume = true);
    }

    fn live_sender(&self) -> mpsc::UnboundedSender<Outbound> {
        self.shared.wait("a ready gateway session", |s| {
            s.live.values().next().map(|l| l.tx.clone())
        })
    }

    fn next_id(&self) -> String {
        let mut n = self.next_id.lock().unwrap();
        *n += 1;
        format!("{}", 1_300_000_000_000_000_000u64 + *n)
    }

    /// Dispatch an interaction and wait for its callback: (callback body, the bot's time from the
    /// INTERACTION_CREATE frame leaving the fake to the callback arriving back).
    pub fn interact(&self, interaction: Value) -> (Value, Duration) {
        let id = interaction["id"]
            .as_str()
            .expect("interaction id")
            .to_string();
        let token = interaction["token"]
            .as_str()
            .expect("interaction token")
            .to_string();
        self.dispatch("INTERACTION_CREATE", interaction, Some(id.clone()));
        let path = format!("{API}/interactions/{id}/{token}/callback");
        let callback = self.wait_request(&format!("the callback to interaction {id}"), |r| {
            r.method == "POST" && r.path == path
        });
        let sent = self.shared.lock().sent_at.get(&id).copied();
        let latency = sent.map_or(Duration::ZERO, |sent| {
            callback.at.saturating_duration_since(sent)
        });
        (callback.body, latency)
    }

    /// The fields every interaction carries, as Discord sends them from a guild channel.
    pub fn interaction(&self, kind: u8, locale: &str, data: Value) -> Value {
        let id = self.next_id();
        json!({
            "id": id,
            "application_id": self.shared.bot_id,
            "type": kind,
            "data": data,
            "guild_id": GUILD_ID,
            "guild": {"id": GUILD_ID, "locale": "en-US", "features": []},
            "channel_id": CHANNEL_ID,
            "channel": {
                "id": CHANNEL_ID, "type": 0, "guild_id": GUILD_ID, "name": "history",
                "position": 0, "flags": 0, "nsfw": false, "parent_id": null,
                "permissions": "2248473465835073", "topic": null, "rate_limit_per_user": 0,
                "last_message_id": null
            },
            "member": {
                "user": user(),
                "roles": [],
                "joined_at": "2024-01-01T00:00:00.000000+00:00",
                "premium_since": null,
                "deaf": false,
                "mute": false,
                "pending": false,
                "nick": null,
                "avatar": null,
                "flags": 0,
                "permissions": "2248473465835073",
                "communication_disabled_until": null,
                "unusual_dm_activity_until": null
            },
            "token": format!("aW50ZXJhY3Rpb246{id}:fake-interaction-token"),
            "version": 1,
            "app_permissions": "2248473465835073",
            "locale": locale,
            "guild_locale": "en-US",
            "entitlements": [],
            "authorizing_integration_owners": {"0": GUILD_ID},
            "context": 0,
            "attachment_size_limit": 10485760
        })
    }

    /// A slash command (type 2), its options typed as the bot registered them (see [`Self::typed`]).
    pub fn command(&self, name: &str, options: &[(&str, &str)], locale: &str) -> Value {
        let options: Vec<(&str, Value)> = options.iter().map(|(n, v)| (*n, json!(v))).collect();
        let (options, resolved) = self.typed(name, None, &options);
        let data = json!({
            "id": "1200000000000000001", "name": name, "type": 1,
            "options": options, "guild_id": GUILD_ID, "resolved": resolved
        });
        self.interaction(2, locale, data)
    }

    /// The options of `command` (or of its subcommand `sub`) as the bot registered them: the
    /// last `PUT .../commands`, waited for (every bot under test registers its commands).
    fn registered_options(&self, command: &str, sub: Option<&str>) -> Vec<Value> {
        let put = self.wait_requests("the command registration", |requests| {
            requests
                .iter()
                .rev()
                .find(|r| r.method == "PUT" && r.path.ends_with("/commands"))
                .cloned()
        });
        let options = put
            .body
            .as_array()
            .and_then(|cs| cs.iter().find(|c| c["name"] == command))
            .and_then(|c| c["options"].as_array().cloned())
            .unwrap_or_default();
        match sub {
            None => options,
            Some(sub) => options
                .iter()
                .find(|o| o["name"] == sub)
                .and_then(|o| o["options"].as_array().cloned())
                .unwrap_or_default(),
        }
    }

    /// Options as Discord sends them, typed as registered: a choice is sent as its value (named
    /// by its name in any language, or given as the value itself), an integer as a number, a
    /// channel or role as its id with the object in `resolved`. An option the registration does
    /// not have is sent as given (a number as an integer, the rest as a string), as an old
    /// client might.
    pub fn typed(
        &self,
        command: &str,
        sub: Option<&str>,
        options: &[(&str, Value)],
    ) -> (Vec<Value>, Value) {
        let registered = self.registered_options(command, sub);
        let mut resolved = json!({});
        let typed = options
            .iter()
            .map(|(name, value)| {
                let text = value
                    .as_str()
                    .map(str::to_string)
                    .unwrap_or_else(|| value.to_string());
                let Some(reg) = registered.iter().find(|o| o["name"] == *name) else {
                    let kind = if value.is_number() { 4 } else { 3 };
                    return json!({"name": name, "type": kind, "value": value});
                };
                let kind = reg["type"].as_u64().unwrap_or(3);
                let choice = reg["choices"].as_array().and_then(|choices| {
                    choices.iter().find(|c| {
                        c["name"] == text.as_str()
                            || c["name_localizations"]
                                .as_object()
                                .is_some_and(|l| l.values().any(|v| v == text.as_str()))
                            || c["value"] == *value
                    })
                });
                if choice.is_none() && reg["choices"].as_array().is_some_and(|c| !c.is_empty()) {
                    panic!(
                        "fake Discord: /{command} option `{name}` has no choice `{text}`; its \
                         choices are {}",
                        reg["choices"]
                    );
                }
                let sent = match (choice, kind) {
                    (Some(c), _) => c["value"].clone(),
                    (None, 4) => text.parse::<i64>().map_or(json!(text), |n| json!(n)),
                    (None, 10) => text.parse::<f64>().map_or(json!(text), |n| json!(n)),
                    (None, 5) => json!(text == "true"),
                    (None, _) => json!(text),
                };
                match kind {
                    7 => {
                        resolved["channels"][&text] = json!({
                            "id": text, "type": 0, "name": "history", "parent_id": null,
                            "permissions": "2248473465835073", "thread_metadata": null
                        });
                    }
                    8 => {
                        resolved["roles"][&text] = json!({
                            "id": text, "name": "quizmaster", "color": 0, "hoist": false,
                            "colors": {"primary_color": 0, "secondary_color": null, "tertiary_color": null},
                            "icon": null, "unicode_emoji": null, "position": 1,
                            "permissions": "0", "managed": false, "mentionable": true,
                            "flags": 0
                        });
                    }
                    _ => {}
                }
                json!({"name": name, "type": kind, "value": sent})
            })
            .collect();
        (typed, resolved)
    }

    /// An autocomplete request (type 4): `focused` is the option being typed.
    pub fn autocomplete(&self, name: &str, focused: (&str, &str), locale: &str) -> Value {
        let data = json!({
            "id": "1200000000000000001", "name": name, "type": 1,
            "options": [{"name": focused.0, "type": 3, "value": focused.1, "focused": true}],
            "guild_id": GUILD_ID
        });
        self.interaction(4, locale, data)
    }

    /// An autocomplete request for an option of a subcommand (`/quiz start topic:…`), nested as
    /// Discord nests it.
    pub fn autocomplete_sub(
        &self,
        name: &str,
        sub: &str,
        focused: (&str, &str),
        locale: &str,
    ) -> Value {
        let data = json!({
            "id": "1200000000000000001", "name": name, "type": 1,
            "options": [{"name": sub, "type": 1, "options": [
                {"name": focused.0, "type": 3, "value": focused.1, "focused": true}
            ]}],
            "guild_id": GUILD_ID
        });
        self.interaction(4, locale, data)
    }

    /// A button press (type 3) on a message the bot sent earlier, whose callback `data` is given.
    pub fn button(&self, custom_id: &str, on_message: &Value, locale: &str) -> Value {
        let mut embeds = on_message["embeds"].as_array().cloned().unwrap_or_default();
        for e in &mut embeds {
            e["type"] = json!("rich");
        }
        let message = json!({
            "id": self.next_id(),
            "type": 20,
            "channel_id": CHANNEL_ID,
            "guild_id": GUILD_ID,
            "author": {
                "id": self.shared.bot_id, "username": "Clio", "discriminator": "0",
                "global_name": null, "avatar": null, "bot": true, "public_flags": 0
            },
            "content": on_message["content"].as_str().unwrap_or(""),
            "timestamp": "2024-01-01T00:00:00.000000+00:00",
            "edited_timestamp": null,
            "tts": false,
            "mention_everyone": false,
            "mentions": [],
            "mention_roles": [],
            "attachments": [],
            "embeds": embeds,
            "pinned": false,
            "flags": 0,
            "components": on_message.get("components").cloned().unwrap_or_else(|| json!([])),
            "application_id": self.shared.bot_id,
            "webhook_id": self.shared.bot_id,
            "interaction_metadata": {
                "id": "1200000000000000099", "type": 2, "user": user(),
                "authorizing_integration_owners": {"0": GUILD_ID}
            }
        });
        let mut interaction = self.interaction(
            3,
            locale,
            json!({"custom_id": custom_id, "component_type": 2}),
        );
        interaction["message"] = message;
        interaction
    }

    /// A slash command with a subcommand (`/quiz start questions:2`), its options typed as the
    /// bot registered them (see [`Self::typed`]).
    pub fn subcommand(
        &self,
        name: &str,
        sub: &str,
        options: &[(&str, Value)],
        locale: &str,
    ) -> Value {
        let (options, resolved) = self.typed(name, Some(sub), options);
        let data = json!({
            "id": "1200000000000000002", "name": name, "type": 1,
            "options": [{"name": sub, "type": 1, "options": options}],
            "guild_id": GUILD_ID, "resolved": resolved
        });
        self.interaction(2, locale, data)
    }

    /// A modal submission (type 5): the text typed into the text input `input_id`.
    pub fn modal_submit(&self, custom_id: &str, input_id: &str, text: &str, locale: &str) -> Value {
        self.interaction(
            5,
            locale,
            json!({
                "custom_id": custom_id,
                "components": [{"type": 1, "components": [
                    {"type": 4, "custom_id": input_id, "value": text}
                ]}]
            }),
        )
    }

    /// Wait until `ready` finds what it wants in the requests so far (e.g. the third channel
    /// message), then return it.
    pub fn wait_requests<T>(&self, what: &str, ready: impl Fn(&[Recorded]) -> Option<T>) -> T {
        self.shared.wait(what, |s| ready(&s.requests))
    }
}

/// The same interaction from another member: their user id, name and permissions (a decimal
/// bitfield string, as Discord sends it), and roles.
pub fn as_member(
    mut interaction: Value,
    user_id: &str,
    name: &str,
    permissions: &str,
    roles: &[&str],
) -> Value {
    let user = json!({
        "id": user_id, "username": name.to_lowercase(), "discriminator": "0",
        "global_name": name, "avatar": null, "public_flags": 0
    });
    interaction["member"]["user"] = user;
    interaction["member"]["permissions"] = json!(permissions);
    interaction["member"]["roles"] = json!(roles);
    interaction
}

/// The same interaction from another guild's channel: every place Discord names the guild and
/// the channel (the message a button sits on included).
pub fn in_guild(mut interaction: Value, guild: &str, channel: &str) -> Value {
    interaction["guild_id"] = json!(guild);
    interaction["guild"]["id"] = json!(guild);
    interaction["channel_id"] = json!(channel);
    interaction["channel"]["id"] = json!(channel);
    interaction["channel"]["guild_id"] = json!(guild);
    interaction["authorizing_integration_owners"] = json!({"0": guild});
    if interaction["data"].get("guild_id").is_some() {
        interaction["data"]["guild_id"] = json!(guild);
    }
    if interaction.get("message").is_some() {
        interaction["message"]["channel_id"] = json!(channel);
        interaction["message"]["guild_id"] = json!(guild);
        interaction["message"]["interaction_metadata"]["authorizing_integration_owners"] =
            json!({"0": guild});
    }
    interaction
}

fn user() -> Value {
    json!({
        "id": USER_ID, "username": "historian", "discriminator": "0", "global_name": "Historian",
        "avatar": null, "public_flags": 0
    })
}

/// The bot's user id, from the token's first part (as Discord encodes it).
fn bot_id(token: &str) -> String {
    let first = token.split('.').next().unwrap_or_default();
    base64::engine::general_purpose::URL_SAFE_NO_PAD
        .decode(first.trim_end_matches('='))
        .ok()
        .and_then(|b| String::from_utf8(b).ok())
        .unwrap_or_else(|| "123456789012345678".into())
}

// ---- REST -----------------------------------------------------------------------------------

async fn serve_rest(listener: TcpListener, shared: Arc<Shared>) {
    while let Ok((stream, _)) = listener.accept().await {
        let _ = stream.set_nodelay(true);
        tokio::spawn(serve_http_connection(stream, shared.clone()));
    }
}

/// HTTP/1.1 with keep-alive, as reqwest speaks it: one request at a time per connection.
async fn serve_http_connection(stream: TcpStream, shared: Arc<Shared>) {
    let (read, mut write) = stream.into_split();
    let mut reader = BufReader::new(read);
    loop {
        let mut request_line = String::new();
        match reader.read_line(&mut request_line).await {
            Ok(0) | Err(_) => return,
            Ok(_) => {}
        }
        let mut parts = request_line.split_whitespace();
        let (method, path) = match (parts.next(), parts.next()) {
            (Some(m), Some(p)) => (m.to_string(), p.to_string()),
            _ => return,
        };
        let mut headers: HashMap<String, String> = HashMap::new();
        loop {
            let mut line = String::new();
            match reader.read_line(&mut line).await {
                Ok(0) | Err(_) => return,
                Ok(_) => {}
            }
            let line = line.trim_end();
            if line.is_empty() {
                break;
            }
            if let Some((k, v)) = line.split_once(':') {
                headers.insert(k.trim().to_ascii_lowercase(), v.trim().to_string());
            }
        }
        let mut body = Vec::new();
        if headers
            .get("transfer-encoding")
            .is_some_and(|t| t.eq_ignore_ascii_case("chunked"))
        {
            loop {
                let mut size = String::new();
                if reader.read_line(&mut size).await.unwrap_or(0) == 0 {
                    return;
                }
                let size = usize::from_str_radix(size.trim(), 16).unwrap_or(0);
                let mut chunk = vec![0; size + 2];
                if reader.read_exact(&mut chunk).await.is_err() {
                    return;
                }
                if size == 0 {
                    break;
                }
                body.extend_from_slice(&chunk[..size]);
            }
        } else if let Some(len) = headers.get("content-length").and_then(|l| l.parse().ok()) {
            body = vec![0; len];
            if reader.read_exact(&mut body).await.is_err() {
                return;
            }
        }
        // Received once its last byte is read: the fake's own parsing of the body (tens of
        // microseconds for a card of a few KB) is not the bot's time.
        let at = Instant::now();
        let raw_body = String::from_utf8_lossy(&body).into_owned();
        let recorded = Recorded {
            method,
            path,
            authorization: headers.get("authorization").cloned(),
            body: serde_json::from_str(&raw_body).unwrap_or(Value::Null),
            raw_body,
            at,
        };
        let planned = {
            let mut s = shared.lock();
            let at = s
                .planned_failures
                .iter()
                .position(|(m, p, _)| *m == recorded.method && recorded.path.contains(p.as_str()));
            at.map(|i| s.planned_failures.remove(i).2)
        };
        let (status, response, extra) = match planned {
            Some(status) => planned_failure(status),
            None => {
                let (status, response) = route(&shared, &recorded);
                (status, response, String::new())
            }
        };
        shared.update(|s| s.requests.push(recorded));
        let reason = match status {
            200 => "OK",
            204 => "No Content",
            401 => "Unauthorized",
            403 => "Forbidden",
            429 => "Too Many Requests",
            500 => "Internal Server Error",
            502 => "Bad Gateway",
            503 => "Service Unavailable",
            _ => "Not Found",
        };
        let text = response.map(|v| v.to_string()).unwrap_or_default();
        let head = format!(
            "HTTP/1.1 {status} {reason}\r\ncontent-type: application/json\r\ncontent-length: {}\r\n{extra}\r\n",
            text.len()
        );
        if write.write_all(head.as_bytes()).await.is_err()
            || write.write_all(text.as_bytes()).await.is_err()
        {
            return;
        }
    }
}

/// Discord's answer to a request: status and JSON body.
fn route(shared: &Shared, r: &Recorded) -> (u16, Option<Value>) {
    let path = r.path.split('?').next().unwrap_or_default();
    let Some(path) = path.strip_prefix(API) else {
        return not_found();
    };
    let segments: Vec<&str> = path.trim_matches('/').split('/').collect();
    // Interaction callbacks and webhooks are authorized by their token in the path, and the
    // gateway lookup needs no authorization at all.
    let open = matches!(
        segments.as_slice(),
        ["interactions", ..] | ["webhooks", ..] | ["gateway"]
    );
    if !open && !shared.is_authorized(r.authorization.as_deref()) {
        return (
            401,
            Some(json!({"message": "401: Unauthorized", "code": 0})),
        );
    }
    let bot = &shared.bot_id;
    match (r.method.as_str(), segments.as_slice()) {
        ("GET", ["gateway"]) => (200, Some(json!({"url": shared.gateway_url}))),
        ("GET", ["gateway", "bot"]) => {
            let g = shared.lock().gateway_bot;
            (
                200,
                Some(json!({
                    "url": shared.gateway_url, "shards": g.shards,
                    "session_start_limit": {
                        "total": g.total, "remaining": g.remaining,
                        "reset_after": g.reset_after_ms, "max_concurrency": g.max_concurrency
                    }
                })),
            )
        }
        ("GET", ["users", "@me"]) => (200, Some(bot_user(bot))),
        ("GET", ["oauth2", "applications", "@me"]) => (
            200,
            Some(json!({
                "id": bot, "name": "Clio", "icon": null, "description": "", "bot_public": true,
                "bot_require_code_grant": false, "verify_key": "0".repeat(64), "flags": 0,
                "owner": {"id": USER_ID, "username": "historian", "discriminator": "0",
                          "avatar": null, "public_flags": 0, "flags": 0},
                "team": null
            })),
        ),
        ("PUT", ["applications", app, "commands"]) if app == bot => {
            (200, Some(registered(&r.body, bot, None)))
        }
        ("PUT", ["applications", app, "guilds", guild, "commands"]) if app == bot => {
            (200, Some(registered(&r.body, bot, Some(guild))))
        }
        ("POST", ["interactions", _id, _token, "callback"]) => (204, None),
        // Channel messages with the bot's own token (a quiz night outlasts interaction tokens).
        ("POST", ["channels", channel, "messages"]) => {
            let id = {
                let mut s = shared.lock();
                s.channel_messages += 1;
                channel_message_id(s.channel_messages)
            };
            (200, Some(channel_message(&r.body, bot, channel, &id)))
        }
        ("PATCH", ["channels", channel, "messages", message]) => {
            (200, Some(channel_message(&r.body, bot, channel, message)))
        }
        ("POST", ["guilds", guild, "scheduled-events"]) => {
            scheduled_event_created(shared, r, guild)
        }
        ("DELETE", ["guilds", _guild, "scheduled-events", _event]) => (204, None),
        ("DELETE", ["webhooks", app, _token, "messages", _]) if app == bot => (204, None),
        ("POST", ["webhooks", app, _token])
        | ("PATCH", ["webhooks", app, _token, "messages", _])
            if app == bot =>
        {
            (200, Some(message_from(&r.body, bot)))
        }
        _ => not_found(),
    }
}

/// How Discord answers when it will not: the body and the extra headers.
fn planned_failure(status: u16) -> (u16, Option<Value>, String) {
    match status {
        429 => (
            429,
            Some(json!({"message": "You are being rate limited.", "retry_after": 0.25, "global": false})),
            "retry-after: 1\r\nx-ratelimit-limit: 5\r\nx-ratelimit-remaining: 0\r\n\
             x-ratelimit-reset-after: 0.25\r\nx-ratelimit-bucket: fake\r\nx-ratelimit-scope: user\r\n"
                .to_string(),
        ),
        403 => (403, Some(json!({"message": "Missing Permissions", "code": 50013})), String::new()),
        404 => (404, Some(json!({"message": "Unknown Message", "code": 10008})), String::new()),
        other => (other, Some(json!({"message": "Server error", "code": 0})), String::new()),
    }
}

/// `POST /guilds/{id}/scheduled-events`: the event as Discord returns it, with a new id (the
/// body is recorded, so tests validate it against the schema themselves).
fn scheduled_event_created(shared: &Shared, r: &Recorded, guild: &str) -> (u16, Option<Value>) {
    let id = {
        let mut s = shared.lock();
        s.scheduled_events += 1;
        format!("{}", 1_500_000_000_000_000_000u64 + s.scheduled_events)
    };
    let mut event = r.body.clone();
    event["id"] = json!(id);
    event["guild_id"] = json!(guild);
    event["status"] = json!(1);
    (200, Some(event))
}

fn not_found() -> (u16, Option<Value>) {
    (404, Some(json!({"message": "404: Not Found", "code": 0})))
}

fn bot_user(bot: &str) -> Value {
    json!({
        "id": bot, "username": "Clio", "discriminator": "0", "global_name": null, "avatar": null,
        "bot": true, "verified": true, "mfa_enabled": false, "flags": 0, "public_flags": 0
    })
}

/// Discord's answer to a bulk overwrite: the commands as stored, with ids and versions.
fn registered(body: &Value, bot: &str, guild: Option<&str>) -> Value {
    let commands = body.as_array().cloned().unwrap_or_default();
    Value::Array(
        commands
            .into_iter()
            .enumerate()
            .map(|(i, mut c)| {
                c["id"] = json!(format!("{}", 1_200_000_000_000_000_000u64 + i as u64));
                c["application_id"] = json!(bot);
                c["version"] = json!("1200000000000000000");
                c["default_member_permissions"] = Value::Null;
                c["nsfw"] = json!(false);
                if c.get("type").is_none() {
                    c["type"] = json!(1);
                }
                if let Some(g) = guild {
                    c["guild_id"] = json!(g);
                }
                c
            })
            .collect(),
    )
}

/// The id the fake gives the `n`th channel message posted (counting from 1).
pub fn channel_message_id(n: u64) -> String {
    (1_400_000_000_000_000_000u64 + n).to_string()
}

/// A channel message as Discord returns it after a POST or PATCH.
fn channel_message(body: &Value, bot: &str, channel: &str, id: &str) -> Value {
    let mut m = message_from(body, bot);
    m["id"] = json!(id);
    m["channel_id"] = json!(channel);
    m
}

fn message_from(body: &Value, bot: &str) -> Value {
    json!({
        "id": "1300000000000000000", "type": 0, "channel_id": CHANNEL_ID,
        "author": bot_user(bot), "content": body["content"].as_str().unwrap_or(""),
        "timestamp": "2024-01-01T00:00:00.000000+00:00", "edited_timestamp": null,
        "tts": false, "mention_everyone": false, "mentions": [], "mention_roles": [],
        "attachments": [], "embeds": body["embeds"].clone(), "pinned": false, "flags": 0,
        "components": body["components"].clone()
    })
}

// ---- Gateway --------------------------------------------------------------------------------

async fn serve_gateway(listener: TcpListener, shared: Arc<Shared>) {
    while let Ok((stream, _)) = listener.accept().await {
        if shared.lock().gateway_down {
            // An outage: the connection is dropped before the WebSocket handshake.
            shared.update(|s| s.refused += 1);
            drop(stream);
            continue;
        }
        let _ = stream.set_nodelay(true);
        tokio::spawn(serve_gateway_connection(stream, shared.clone()));
    }
}

async fn serve_gateway_connection(stream: TcpStream, shared: Arc<Shared>) {
    let Ok(ws) = tokio_tungstenite::accept_async(stream).await else {
        return;
    };
    let (mut sink, mut stream) = ws.split();
    let (tx, mut rx) = mpsc::unbounded_channel::<Outbound>();
    let connection = {
        let mut s = shared.lock();
        s.connections += 1;
        let connection = s.connections;
        s.opened.insert(connection, Instant::now());
        connection
    };
    shared.changed.notify_all();
    let hello = json!({"op": 10, "d": {"heartbeat_interval": 41250}, "s": null, "t": null});
    if sink.send(Message::Text(hello.to_string())).await.is_err() {
        return;
    }
    loop {
        tokio::select! {
            outbound = rx.recv() => match outbound {
                Some(Outbound::Text { text, key }) => {
                    if let Some(key) = key {
                        shared.lock().sent_at.insert(key, Instant::now());
                    }
                    if sink.send(Message::Text(text)).await.is_err() {
                        break;
                    }
                }
                Some(Outbound::Close(code)) => {
                    let _ = sink
                        .send(Message::Close(Some(CloseFrame {
                            code: CloseCode::from(code),
                            reason: "".into(),
                        })))
                        .await;
                    // Let the client answer the close, then drop the connection regardless.
                    let _ = tokio::time::timeout(Duration::from_secs(2), async {
                        while let Some(Ok(_)) = stream.next().await {}
                    })
                    .await;
                    break;
                }
                None => break,
            },
            incoming = stream.next() => {
                let text = match incoming {
                    Some(Ok(Message::Text(text))) => text,
                    Some(Ok(Message::Binary(_))) | Some(Ok(Message::Ping(_)))
                    | Some(Ok(Message::Pong(_))) | Some(Ok(Message::Frame(_))) => continue,
                    Some(Ok(Message::Close(_))) => {
                        // The session ends before the bot hears back, so nothing is dispatched
                        // into a closing connection. Then flush tungstenite's reply to the close.
                        end_session(&shared, connection);
                        let _ = sink.close().await;
                        break;
                    }
                    Some(Err(_)) | None => break,
                };
                let at = Instant::now();
                let payload: Value = serde_json::from_str(&text).unwrap_or(Value::Null);
                let op = payload["op"].as_u64().unwrap_or(u64::MAX);
                shared.update(|s| s.frames.push(Frame { connection, op, payload: payload.clone(), at }));
                let reply = match op {
                    1 => Reply::Send(json!({"op": 11, "d": null, "s": null, "t": null})),
                    2 => identify(&shared, connection, &tx, &payload),
                    6 => resume(&shared, connection, &tx, &payload),
                    _ => Reply::Nothing,
                };
                let open = match reply {
                    Reply::Send(frame) => sink.send(Message::Text(frame.to_string())).await.is_ok(),
                    Reply::Close(code, reason) => {
                        let frame = CloseFrame { code: CloseCode::from(code), reason: reason.into() };
                        let _ = sink.send(Message::Close(Some(frame))).await;
                        false
                    }
                    Reply::Nothing => true,
                };
                if !open {
                    break;
                }
            }
        }
    }
    end_session(&shared, connection);
}

/// This connection no longer carries a ready session.
fn end_session(shared: &Shared, connection: u32) {
    shared.update(|s| {
        s.live.retain(|_, l| l.connection != connection);
    });
}

/// The fake's answer to a frame from the bot.
enum Reply {
    Send(Value),
    Close(u16, &'static str),
    Nothing,
}

/// IDENTIFY: READY with a new session, or close code 4004 for a wrong token, as Discord does.
fn identify(
    shared: &Shared,
    connection: u32,
    tx: &mpsc::UnboundedSender<Outbound>,
    payload: &Value,
) -> Reply {
    let token = payload["d"]["token"].as_str().unwrap_or_default();
    if token.strip_prefix("Bot ").unwrap_or(token) != shared.token {
        return Reply::Close(4004, "Authentication failed.");
    }
    {
        let mut s = shared.lock();
        if s.garble_ready {
            s.garble_ready = false;
            return Reply::Send(json!({
                "op": 0, "s": 1, "t": "READY",
                "d": {"v": "ten", "user": 42, "session_id": [], "guilds": "none"}
            }));
        }
    }
    if let Some(code) = shared.lock().refuse_identify {
        let reason = match code {
            4010 => "Invalid shard.",
            4011 => "Sharding required.",
            4012 => "Invalid API version.",
            4013 => "Invalid intent(s).",
            _ => "Disallowed intent(s).",
        };
        return Reply::Close(code, reason);
    }
    let shard = match payload["d"]["shard"].as_array().map(|a| a.as_slice()) {
        Some([id, count]) => [
            id.as_u64().unwrap_or(u64::MAX) as u32,
            count.as_u64().unwrap_or(0) as u32,
        ],
        _ => [0, 1],
    };
    let mut s = shared.lock();
    let opened = s
        .opened
        .get(&connection)
        .copied()
        .unwrap_or_else(Instant::now);
    s.identified.push(Identified {
        connection,
        shard,
        at: Instant::now(),
        opened,
    });
    s.gateway_bot.remaining = s.gateway_bot.remaining.saturating_sub(1);
    if shard[1] == 0 || shard[0] >= shard[1] {
        drop(s);
        shared.changed.notify_all();
        return Reply::Close(4010, "Invalid shard.");
    }
    let session_id = format!("fake-session-{connection}");
    s.sessions
        .insert(session_id.clone(), Session { shard, seq: 1 });
    // A new session on a shard replaces the shard's old one, as on Discord.
    s.live.insert(
        shard[0],
        Live {
            connection,
            tx: tx.clone(),
            session_id: session_id.clone(),
            shard,
        },
    );
    let guilds: Vec<Value> = std::iter::once(GUILD_ID.to_string())
        .chain(s.extra_guilds.iter().cloned())
        .filter(|g| shard_of(g, shard[1]) == shard[0])
        .map(|g| json!({"id": g, "unavailable": true}))
        .collect();
    drop(s);
    shared.changed.notify_all();
    Reply::Send(json!({
        "op": 0, "s": 1, "t": "READY",
        "d": {
            "v": 10,
            "user": bot_user(&shared.bot_id),
            "user_settings": {},
            "session_type": "normal",
            "session_id": session_id,
            "resume_gateway_url": shared.gateway_url,
            "relationships": [],
            "private_channels": [],
            "presences": [],
            "guilds": guilds,
            "guild_join_requests": [],
            "geo_ordered_rtc_regions": [],
            "auth": {},
            "shard": shard,
            "application": {"id": shared.bot_id, "flags": 0},
            "_trace": ["[\"fake-discord\",{\"micros\":0}]"]
        }
    }))
}

/// RESUME: RESUMED on the same session, or op 9 (not resumable) when asked to reject it.
fn resume(
    shared: &Shared,
    connection: u32,
    tx: &mpsc::UnboundedSender<Outbound>,
    payload: &Value,
) -> Reply {
    let mut s = shared.lock();
    let token = payload["d"]["token"].as_str().unwrap_or_default();
    let session_id = payload["d"]["session_id"]
        .as_str()
        .unwrap_or_default()
        .to_string();
    let matches = token.strip_prefix("Bot ").unwrap_or(token) == shared.token
        && s.sessions.contains_key(&session_id);
    if s.reject_resume || !matches {
        s.reject_resume = false;
        s.sessions.remove(&session_id);
        return Reply::Send(json!({"op": 9, "d": false, "s": null, "t": null}));
    }
    let session = s.sessions.get_mut(&session_id).expect("checked above");
    session.seq += 1;
    let (seq, shard) = (session.seq, session.shard);
    s.live.insert(
        shard[0],
        Live {
            connection,
            tx: tx.clone(),
            session_id,
            shard,
        },
    );
    drop(s);
    shared.changed.notify_all();
    Reply::Send(json!({"op": 0, "s": seq, "t": "RESUMED", "d": {"_trace": ["fake-discord"]}}))
}
