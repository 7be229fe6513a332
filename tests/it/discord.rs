//! Clio on Discord: the real `clio run` binary against the fake Discord in `tests/fake_discord`.
//!
//! Each test starts its own fake on free ports and its own bot process pointed at it with
//! `DISCORD_API_BASE`, drives it with gateway dispatches, and checks what the bot sent back against
//! Discord's OpenAPI schema. Every test ends with SIGTERM (the bot must exit 0) and a check that
//! the token appears nowhere in the bot's output.

use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use serde_json::{json, Value};

use super::support::{callback_errors, root, schema_errors};

use super::fake_discord;

use fake_discord::{FakeDiscord, API, GUILD_ID, PRIVILEGED_INTENTS, TOKEN, WAIT};

/// The knowledge the bot serves: the shipped pack, so every answer Discord could get from it is
/// checked against Discord's schema. Queries below are ones any version of the pack answers.
fn knowledge() -> PathBuf {
    root().join("knowledge")
}

/// A fresh working directory per bot: no `config/clio.toml` is picked up by accident, and the
/// data directory lands here.
fn workdir(name: &str) -> PathBuf {
    let dir = PathBuf::from(env!("CARGO_TARGET_TMPDIR"))
        .join("discord-tests")
        .join(format!("{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

/// `clio` with a clean environment: nothing from the developer's shell leaks in.
fn clio(dir: &std::path::Path, env: &[(&str, &str)]) -> Command {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_clio"));
    cmd.current_dir(dir).env_clear().env("NO_COLOR", "1");
    for (k, v) in env {
        cmd.env(k, v);
    }
    cmd
}

/// A running `clio run`, its output collected as it comes.
struct Bot {
    child: Child,
    output: Arc<Mutex<String>>,
    readers: Vec<std::thread::JoinHandle<()>>,
}

impl Bot {
    /// Start `clio run` against `fake`, with extra environment variables.
    fn start(fake: &FakeDiscord, name: &str, extra: &[(&str, &str)]) -> Bot {
        let dir = workdir(name);
        let knowledge = knowledge();
        let data = dir.join("data");
        let mut env = vec![
            ("DISCORD_TOKEN", TOKEN),
            ("DISCORD_API_BASE", fake.api_base()),
            ("CLIO_KNOWLEDGE_DIR", knowledge.to_str().unwrap()),
            ("CLIO_DATA_DIR", data.to_str().unwrap()),
        ];
        env.extend_from_slice(extra);
        let mut child = clio(&dir, &env)
            .arg("run")
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .expect("clio run starts");
        let (output, readers) = super::support::capture_output(&mut child);
        Bot {
            child,
            output,
            readers,
        }
    }

    /// Wait until the bot is connected, failing at once with its output if it exited instead
    /// (a knowledge pack that does not load, say).
    fn wait_ready(&mut self, fake: &FakeDiscord) -> u32 {
        let deadline = Instant::now() + WAIT;
        loop {
            if let Some(connection) = fake.ready_connection() {
                return connection;
            }
            if let Some(status) = self.child.try_wait().unwrap() {
                for r in self.readers.drain(..) {
                    let _ = r.join();
                }
                panic!(
                    "the bot exited ({status}) before connecting:\n{}",
                    self.output.lock().unwrap()
                );
            }
            assert!(
                Instant::now() < deadline,
                "the bot did not connect within {WAIT:?}"
            );
            std::thread::sleep(Duration::from_millis(20));
        }
    }

    /// SIGTERM (as `docker stop` sends), then: the bot exits 0 within the wait, and never printed
    /// the token.
    fn stop(self) -> String {
        self.stop_with("TERM")
    }

    /// [`Bot::stop`] with another signal, e.g. `INT` (Ctrl-C).
    fn stop_with(mut self, signal: &str) -> String {
        let pid = self.child.id().to_string();
        let status = Command::new("kill")
            .args([&format!("-{signal}"), &pid])
            .status()
            .expect("kill runs");
        assert!(status.success(), "could not signal the bot");
        let deadline = Instant::now() + WAIT;
        let code = loop {
            if let Some(status) = self.child.try_wait().unwrap() {
                break status.code();
            }
            if Instant::now() > deadline {
                let _ = self.child.kill();
                panic!("the bot did not exit within {WAIT:?} of SIG{signal}");
            }
            std::thread::sleep(Duration::from_millis(50));
        };
        for r in self.readers.drain(..) {
            let _ = r.join();
        }
        let output = self.output.lock().unwrap().clone();
        if std::env::var_os("CLIO_TEST_BOT_LOG").is_some() {
            eprintln!("---- bot output ----\n{output}");
        }
        assert_eq!(code, Some(0), "SIG{signal} must exit 0; output:\n{output}");
        assert_token_absent(&output);
        output
    }
}

impl Drop for Bot {
    fn drop(&mut self) {
        // A failed test still must not leave a bot running.
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// The token must not appear in `output`: as text, nor as the hex or byte-list dumps that
/// websocket tracing makes of frames, nor its secret part (after the bot id) alone.
fn assert_token_absent(output: &str) {
    let secret = TOKEN.split_once('.').unwrap().1;
    for form in [TOKEN, secret] {
        let bytes = form.as_bytes();
        let hex: String = bytes.iter().map(|b| format!("{b:02x}")).collect();
        let decimal = bytes
            .iter()
            .map(|b| b.to_string())
            .collect::<Vec<_>>()
            .join(", ");
        for (spelling, text) in [("text", form.to_string()), ("hex", hex), ("bytes", decimal)] {
            assert!(
                !output.to_lowercase().contains(&text.to_lowercase()),
                "the token ({spelling}) appears in the bot's output:\n{output}"
            );
        }
    }
}

fn assert_valid(what: &str, body: &Value) {
    let errors = callback_errors(body);
    assert!(
        errors.is_empty(),
        "{what}: the callback body is not valid for Discord:\n{}\nbody: {body}",
        errors.join("\n")
    );
}

fn is_ephemeral(body: &Value) -> bool {
    body["data"]["flags"].as_u64().is_some_and(|f| f & 64 != 0)
}

/// Every visible string of a message body, for looking for words.
fn text_of(body: &Value) -> String {
    let mut out = String::new();
    fn walk(v: &Value, out: &mut String) {
        match v {
            Value::String(s) => {
                out.push_str(s);
                out.push('\n');
            }
            Value::Array(a) => a.iter().for_each(|v| walk(v, out)),
            Value::Object(o) => o
                .iter()
                .filter(|(k, _)| k.as_str() != "custom_id")
                .for_each(|(_, v)| walk(v, out)),
            _ => {}
        }
    }
    walk(&body["data"], &mut out);
    out
}

#[test]
fn the_handshake_identifies_with_the_token_and_no_privileged_intents_then_registers_commands() {
    let fake = FakeDiscord::start();
    // At trace level every dependency logs what it does, frames included: the token must still
    // not appear (checked in `stop`).
    let mut bot = Bot::start(&fake, "handshake", &[("CLIO_LOG__FILTER", "trace")]);
    bot.wait_ready(&fake);

    let identify = fake.wait_frame("IDENTIFY", |f| f.op == 2);
    let d = &identify.payload["d"];
    let token = d["token"].as_str().unwrap();
    assert_eq!(token.strip_prefix("Bot ").unwrap_or(token), TOKEN);
    let intents = d["intents"].as_u64().expect("intents is a number");
    assert_eq!(
        intents & PRIVILEGED_INTENTS,
        0,
        "privileged intents: {intents:#b}"
    );

    // First the bot's gateway (whether Discord answers, the shard count, the session limits),
    // then serenity's own lookup of the gateway's address.
    let lookups = fake.wait_requests("the two gateway lookups", |requests| {
        let gets: Vec<String> = requests
            .iter()
            .filter(|r| r.method == "GET")
            .map(|r| r.path.clone())
            .collect();
        (gets.len() >= 2).then_some(gets)
    });
    assert_eq!(
        lookups[..2],
        [format!("{API}/gateway/bot"), format!("{API}/gateway")]
    );

    let put = fake.wait_registration();
    assert_eq!(
        put.path,
        format!("{API}/applications/{}/commands", fake.bot_id()),
        "global registration without discord.dev_guild"
    );
    assert_eq!(
        put.authorization.as_deref(),
        Some(format!("Bot {TOKEN}").as_str())
    );
    let commands = put.body.as_array().expect("the registration is an array");
    assert_eq!(
        commands.len(),
        clio::discord::commands::registration_body()
            .as_array()
            .unwrap()
            .len()
    );
    for command in commands {
        let errors = schema_errors("ApplicationCommandUpdateRequest", command);
        assert!(errors.is_empty(), "{}: {errors:#?}", command["name"]);
        assert!(command["name_localizations"]["pl"].is_string());
        assert!(command["description_localizations"]["pl"].is_string());
    }

    // `clio commands --json` prints exactly what was sent.
    let printed = clio(&root(), &[])
        .args(["commands", "--json"])
        .output()
        .unwrap();
    assert!(printed.status.success());
    let printed: Value = serde_json::from_slice(&printed.stdout).expect("JSON");
    assert_eq!(printed, put.body);

    bot.stop();
}

#[test]
fn a_dev_guild_gets_the_commands_instead_of_the_whole_of_discord() {
    let fake = FakeDiscord::start();
    let mut bot = Bot::start(&fake, "dev-guild", &[("CLIO_DISCORD__DEV_GUILD", GUILD_ID)]);
    bot.wait_ready(&fake);
    let put = fake.wait_registration();
    assert_eq!(
        put.path,
        format!(
            "{API}/applications/{}/guilds/{GUILD_ID}/commands",
            fake.bot_id()
        )
    );
    let output = bot.stop_with("INT");
    assert!(output.contains("signal=\"SIGINT\""), "{output}");
}

#[test]
fn every_command_autocomplete_and_button_gets_a_valid_callback() {
    let fake = FakeDiscord::start();
    let mut bot = Bot::start(&fake, "every-kind", &[]);
    bot.wait_ready(&fake);

    let cases: &[(&str, &[(&str, &str)])] = &[
        ("event", &[("query", "Battle of Kock")]),
        ("event", &[("query", "1939-09-20")]),
        ("who", &[("name", "Anders")]),
        ("what", &[("topic", "Hitler-Stalin Pact")]),
        ("search", &[("text", "Władysław")]),
        ("onthisday", &[]),
        ("onthisday", &[("date", "2 October")]),
        ("timeline", &[("from", "1939-09-01"), ("to", "1939-10-06")]),
        ("timeline", &[]),
        ("random", &[]),
        ("random", &[("kind", "person")]),
        ("help", &[]),
    ];
    for name in super::support::lookup_commands()
        .into_iter()
        .map(|c| c.name)
    {
        let name = name.as_str();
        assert!(
            cases.iter().any(|(n, _)| *n == name),
            "/{name} has no case in this test"
        );
    }
    let mut kock = Value::Null;
    for (name, options) in cases {
        let what = format!("/{name} {options:?}");
        let (body, _) = fake.interact(fake.command(name, options, "en-US"));
        assert_valid(&what, &body);
        assert_eq!(body["type"], 4, "{what}");
        if *name != "help" && !options.is_empty() && *name != "random" {
            assert!(!is_ephemeral(&body), "{what}: a found answer is public");
        }
        if *name == "event" && options[0].1 == "Battle of Kock" {
            kock = body;
        }
    }

    // Autocomplete on every option that has it.
    for spec in super::support::lookup_commands() {
        for option in &spec.autocompletes {
            for partial in ["", "and", "1939", "bat"] {
                let (body, _) =
                    fake.interact(fake.autocomplete(&spec.name, (option, partial), "en-US"));
                let what = format!("autocomplete /{} {}: {partial:?}", spec.name, option);
                assert_valid(&what, &body);
                assert_eq!(body["type"], 8, "{what}");
                let choices = body["data"]["choices"].as_array().unwrap();
                assert!(choices.len() <= 25, "{what}: {} choices", choices.len());
            }
        }
    }
    let (body, _) = fake.interact(fake.autocomplete("who", ("name", "ander"), "en-US"));
    let first = &body["data"]["choices"][0];
    assert_eq!(first["name"], "Władysław Anders", "best first: {body}");

    // A button on the card: the card is updated in place.
    let buttons: Vec<&str> = kock["data"]["components"]
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|row| row["components"].as_array().unwrap())
        .map(|b| b["custom_id"].as_str().unwrap())
        .collect();
    assert!(!buttons.is_empty(), "the event card has buttons: {kock}");
    for custom_id in buttons {
        let (body, _) = fake.interact(fake.button(custom_id, &kock["data"], "en-US"));
        if custom_id.starts_with("e:") {
            // "Report an error" opens a form; a modal shows no message, so nothing to mention in.
            assert_eq!(body["type"], 9, "button {custom_id}: {body}");
            let errors: Vec<String> = callback_errors(&body)
                .into_iter()
                .filter(|e| !e.starts_with("allowed_mentions"))
                .collect();
            assert!(errors.is_empty(), "button {custom_id}: {errors:?}\n{body}");
            continue;
        }
        assert_valid(&format!("button {custom_id}"), &body);
        assert!(
            body["type"] == 7 || body["type"] == 4,
            "button {custom_id}: {body}"
        );
    }

    // A button from before a restart whose entry is gone: a kind ephemeral note, not a failure.
    let (body, _) = fake.interact(fake.button("o:no-such-entry", &kock["data"], "en-US"));
    assert_valid("a button whose entry is gone", &body);
    assert_eq!(body["type"], 4);
    assert!(is_ephemeral(&body), "{body}");

    bot.stop();
}

#[test]
fn the_same_command_answers_in_polish_for_a_polish_user_or_guild() {
    let fake = FakeDiscord::start();
    let mut bot = Bot::start(&fake, "polish", &[]);
    bot.wait_ready(&fake);

    let (english, _) =
        fake.interact(fake.command("event", &[("query", "Battle of Kock")], "en-US"));
    let (polish, _) = fake.interact(fake.command("event", &[("query", "Battle of Kock")], "pl"));
    assert_valid("/event in Polish", &polish);
    assert!(text_of(&english).contains("Battle of Kock"), "{english}");
    assert!(text_of(&polish).contains("Bitwa pod Kockiem"), "{polish}");
    assert!(!text_of(&polish).contains("Battle of Kock"), "{polish}");

    // No user locale: the guild's decides.
    let mut by_guild = fake.command("event", &[("query", "Battle of Kock")], "");
    by_guild["guild_locale"] = json!("pl");
    let (body, _) = fake.interact(by_guild);
    assert!(text_of(&body).contains("Bitwa pod Kockiem"), "{body}");

    // Autocomplete suggests Polish names to Polish users.
    let (body, _) = fake.interact(fake.autocomplete("event", ("query", "kock"), "pl"));
    assert_eq!(
        body["data"]["choices"][0]["name"], "Bitwa pod Kockiem",
        "{body}"
    );

    bot.stop();
}

#[test]
fn no_match_and_bad_dates_are_ephemeral_and_nobody_gets_pinged() {
    let fake = FakeDiscord::start();
    let mut bot = Bot::start(&fake, "ephemeral", &[]);
    bot.wait_ready(&fake);

    for (name, options) in [
        ("who", [("name", "Qwerty Asdfgh")]),
        ("event", [("query", "1939-02-30")]),
        ("timeline", [("from", "the day after never")]),
        ("who", [("name", "@everyone")]),
        (
            "search",
            [("text", "@everyone @here <@1100000000000000003> <@&1>")],
        ),
    ] {
        let what = format!("/{name} {options:?}");
        let (body, _) = fake.interact(fake.command(name, &options, "en-US"));
        assert_valid(&what, &body);
        assert!(is_ephemeral(&body), "{what} must be ephemeral: {body}");
        assert_eq!(
            body["data"]["allowed_mentions"],
            json!({"parse": []}),
            "{what} must ping nobody"
        );
    }
    bot.stop();
}

#[test]
fn a_closed_gateway_comes_back_by_itself_and_the_bot_answers_again() {
    let fake = FakeDiscord::start();
    let mut bot = Bot::start(&fake, "reconnect", &[]);
    let first = bot.wait_ready(&fake);
    let (body, _) = fake.interact(fake.command("who", &[("name", "Anders")], "en-US"));
    assert_valid("before the close", &body);

    // Discord closes a connection (4000: unknown error, resumable): the bot resumes.
    fake.close_gateway(4000);
    let resume = fake.wait_frame("RESUME", |f| f.op == 6 && f.connection > first);
    assert_eq!(
        resume.payload["d"]["session_id"],
        format!("fake-session-{first}")
    );
    let resumed = fake.wait_ready();
    assert!(resumed > first);
    let (body, _) = fake.interact(fake.command("who", &[("name", "Sikorski")], "en-US"));
    assert_valid("after a resume", &body);
    assert!(text_of(&body).contains("Sikorski"));

    // The session is gone this time (op 9): the bot identifies afresh.
    fake.reject_next_resume();
    fake.close_gateway(4000);
    fake.wait_frame("a new IDENTIFY", |f| f.op == 2 && f.connection > resumed);
    fake.wait_ready();
    let (body, _) =
        fake.interact(fake.command("what", &[("topic", "Molotov-Ribbentrop Pact")], "en-US"));
    assert_valid("after a new session", &body);
    assert!(!is_ephemeral(&body));

    bot.stop();
}

#[test]
fn a_button_from_before_a_restart_still_works() {
    let fake = FakeDiscord::start();
    let mut before = Bot::start(&fake, "before-restart", &[]);
    before.wait_ready(&fake);
    let (card, _) = fake.interact(fake.command("who", &[("name", "Anders")], "en-US"));
    before.stop();

    let mut after = Bot::start(&fake, "after-restart", &[]);
    let connection = after.wait_ready(&fake);
    assert!(connection > 1, "a new process, a new gateway connection");
    let custom_id = card["data"]["components"][0]["components"][0]["custom_id"]
        .as_str()
        .unwrap_or_else(|| panic!("the card has a button: {card}"));
    let (body, _) = fake.interact(fake.button(custom_id, &card["data"], "en-US"));
    assert_valid(&format!("button {custom_id} after a restart"), &body);
    assert!(!is_ephemeral(&body), "{body}");
    after.stop();
}

#[test]
fn a_malformed_dispatch_does_not_stop_the_bot_from_answering_the_next() {
    let fake = FakeDiscord::start();
    let mut bot = Bot::start(&fake, "malformed", &[]);
    bot.wait_ready(&fake);

    fake.send_raw("this is not JSON");
    fake.send_raw(r#"{"op": 0, "t": "INTERACTION_CREATE", "s": 90, "d": {"id": "1"}}"#);
    fake.dispatch("INTERACTION_CREATE", json!({"type": 2, "data": null}), None);
    fake.dispatch("SOMETHING_DISCORD_ADDED_LATER", json!({"x": 1}), None);
    // Well-formed, but nothing Clio registered: answered as user errors, not crashes.
    let (body, _) = fake.interact(fake.command("frobnicate", &[], "en-US"));
    assert_valid("an unknown command", &body);
    assert!(is_ephemeral(&body));
    let (body, _) = fake.interact(fake.command("who", &[("nickname", "x")], "en-US"));
    assert!(is_ephemeral(&body));
    let (body, _) = fake.interact(fake.button("zz:\u{0}garbage", &json!({}), "en-US"));
    assert_valid("a garbage custom_id", &body);
    assert!(is_ephemeral(&body));

    let (body, _) = fake.interact(fake.command("who", &[("name", "Anders")], "en-US"));
    assert_valid("after malformed dispatches", &body);
    assert!(text_of(&body).contains("Anders"));
    bot.stop();
}

#[test]
fn a_token_discord_rejects_stops_the_bot_with_exit_2() {
    let fake = FakeDiscord::start_with_token(
        "OTk5OTk5OTk5OTk5OTk5OTk5.GaBcDe.another-bot-entirely_0123456789abcdefghij",
    );
    let dir = workdir("rejected");
    let knowledge = knowledge();
    let out = clio(
        &dir,
        &[
            ("DISCORD_TOKEN", TOKEN),
            ("DISCORD_API_BASE", fake.api_base()),
            ("CLIO_KNOWLEDGE_DIR", knowledge.to_str().unwrap()),
        ],
    )
    .arg("run")
    .output()
    .unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{stderr}");
    assert!(stderr.contains("rejected the bot token"), "{stderr}");
    assert_token_absent(&stderr);
    assert_token_absent(&String::from_utf8_lossy(&out.stdout));
}

#[test]
fn without_a_token_run_says_what_to_set_and_exits_2() {
    let dir = workdir("no-token");
    let out = clio(&dir, &[]).arg("run").output().unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{stderr}");
    assert_eq!(stderr.lines().count(), 1, "one clear line: {stderr}");
    assert!(stderr.contains("DISCORD_TOKEN"), "{stderr}");
    assert!(
        stderr.contains("https://discord.com/developers/applications"),
        "{stderr}"
    );

    let secret = "definitely-not-a-bot-token";
    let out = clio(&dir, &[("DISCORD_TOKEN", secret)])
        .arg("run")
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{stderr}");
    assert!(
        stderr.contains("DISCORD_TOKEN does not hold a bot token"),
        "{stderr}"
    );
    assert!(
        !stderr.contains(secret),
        "a malformed token is not echoed: {stderr}"
    );
}

#[test]
fn a_bad_configuration_names_the_key_and_where_it_came_from() {
    let dir = workdir("bad-config");
    let out = clio(
        &dir,
        &[("DISCORD_TOKEN", TOKEN), ("CLIO_DISCORD__DEV_GILD", "1")],
    )
    .arg("run")
    .output()
    .unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{stderr}");
    assert!(stderr.contains("CLIO_DISCORD__DEV_GILD"), "{stderr}");
    assert!(stderr.contains("dev_guild"), "{stderr}");

    let file = dir.join("clio.toml");
    std::fs::write(&file, "[discord]\ndev_guild = \"my server\"\n").unwrap();
    let out = clio(
        &dir,
        &[
            ("DISCORD_TOKEN", TOKEN),
            ("CLIO_CONFIG", file.to_str().unwrap()),
        ],
    )
    .arg("run")
    .output()
    .unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{stderr}");
    assert!(
        stderr.contains("clio.toml") && stderr.contains("discord.dev_guild"),
        "{stderr}"
    );
    assert_token_absent(&stderr);
}

#[test]
fn clio_ask_json_prints_exactly_what_the_bot_sends_for_every_command() {
    let fake = FakeDiscord::start();
    let mut bot = Bot::start(&fake, "ask-equals-bot", &[]);
    bot.wait_ready(&fake);
    // Every lookup command and /help, in both languages, as Discord delivers it and as typed.
    /// (command, options as Discord sends them, the same line as typed)
    type Case<'a> = (&'a str, &'a [(&'a str, &'a str)], &'a str);
    let cases: &[Case] = &[
        (
            "event",
            &[("query", "Battle of Kock")],
            "/event Battle of Kock",
        ),
        ("event", &[("query", "1939-09-17")], "/event 1939-09-17"),
        ("who", &[("name", "Anders")], "/who Anders"),
        ("who", &[("name", "Nobody Atall")], "/who Nobody Atall"),
        ("what", &[("topic", "Kresy")], "/what Kresy"),
        ("search", &[("text", "Sikorski")], "/search Sikorski"),
        (
            "onthisday",
            &[("date", "17 September")],
            "/onthisday 17 September",
        ),
        (
            "timeline",
            &[("from", "1939-09-01"), ("to", "1939-10-06")],
            "/timeline from:1939-09-01 to:1939-10-06",
        ),
        ("help", &[], "/help"),
    ];
    let lookups = super::support::lookup_commands();
    for spec in &lookups {
        // /random picks by a time-based seed: compared by shape below.
        assert!(
            spec.name == "random" || cases.iter().any(|(n, _, _)| *n == spec.name),
            "/{} has no case in this test",
            spec.name
        );
    }
    for (name, options, line) in cases {
        for (discord_locale, locale) in [("en-US", "en"), ("pl", "pl")] {
            let (sent, _) = fake.interact(fake.command(name, options, discord_locale));
            let printed = clio(
                &root(),
                &[("CLIO_KNOWLEDGE_DIR", knowledge().to_str().unwrap())],
            )
            .args(["ask", "--json", "--locale", locale, line])
            .output()
            .unwrap();
            assert!(printed.status.success(), "{line}");
            let printed: Value = serde_json::from_slice(&printed.stdout).expect("JSON");
            assert_eq!(
                printed, sent,
                "{line} ({locale}): the CLI and the bot differ"
            );
        }
    }
    // /random: the same kind of answer either way.
    let (sent, _) = fake.interact(fake.command("random", &[("kind", "person")], "en-US"));
    let printed = clio(
        &root(),
        &[("CLIO_KNOWLEDGE_DIR", knowledge().to_str().unwrap())],
    )
    .args(["ask", "--json", "/random kind:person"])
    .output()
    .unwrap();
    let printed: Value = serde_json::from_slice(&printed.stdout).expect("JSON");
    assert_eq!(printed["type"], sent["type"]);
    assert_eq!(printed["data"]["flags"], sent["data"]["flags"]);
    for body in [&printed, &sent] {
        assert!(
            body["data"]["embeds"][0]["footer"]["text"]
                .as_str()
                .is_some_and(|f| f.contains("Person")),
            "{body}"
        );
    }
    bot.stop();
}

#[test]
fn every_final_close_code_ends_the_bot_with_advice_an_exit_code_and_no_spin() {
    // (close code, exit code, words of the advice)
    let cases: &[(u16, i32, &str)] = &[
        (4010, 2, "discord.shard_range"),
        (4011, 2, "discord.shards"),
        (4012, 2, "update Clio"),
        (4013, 1, "report it"),
        (4014, 1, "nothing to enable"),
    ];
    for (close, exit, advice) in cases {
        let fake = FakeDiscord::start();
        fake.refuse_identify_with(*close);
        let port = std::net::TcpListener::bind("127.0.0.1:0")
            .unwrap()
            .local_addr()
            .unwrap()
            .port();
        let ops = format!("127.0.0.1:{port}");
        let mut bot = Bot::start(
            &fake,
            &format!("close-{close}"),
            &[("CLIO_OPS__LISTEN", &ops)],
        );
        fake.wait_frame("the IDENTIFY", |f| f.op == 2);
        // The ops listener answers until the process goes, and it goes by itself.
        let deadline = Instant::now() + WAIT;
        let status = loop {
            if let Some(status) = bot.child.try_wait().unwrap() {
                break status;
            }
            let health = super::support::http_get(&ops, "/healthz").map(|(status, _)| status);
            if health.is_none() && bot.child.try_wait().unwrap().is_none() {
                // The listener is gone: only as the process goes (it stops the runtime and
                // exits at once), never while it stays.
                let going = Instant::now() + Duration::from_secs(5);
                while bot.child.try_wait().unwrap().is_none() {
                    if Instant::now() > going {
                        let _ = bot.child.kill();
                        panic!(
                            "close {close}: /healthz stopped answering while the bot still ran:\n{}",
                            bot.output.lock().unwrap()
                        );
                    }
                    std::thread::sleep(Duration::from_millis(20));
                }
                continue;
            }
            assert!(
                Instant::now() < deadline,
                "close {close}: the bot neither stopped nor gave up within {WAIT:?}"
            );
            std::thread::sleep(Duration::from_millis(50));
        };
        for r in bot.readers.drain(..) {
            let _ = r.join();
        }
        let output = bot.output.lock().unwrap().clone();
        assert_eq!(status.code(), Some(*exit), "close {close}:\n{output}");
        assert!(
            output.contains("Discord closed the gateway for good"),
            "close {close}: the decision is not logged:\n{output}"
        );
        assert!(
            output.contains(advice) && output.contains(&close.to_string()),
            "close {close}: the advice is missing:\n{output}"
        );
        // One IDENTIFY refused, then at most the few serenity makes before it reports the code:
        // not a reconnect every few seconds forever.
        let identifies = fake.frames().iter().filter(|f| f.op == 2).count();
        assert!(identifies <= 3, "close {close}: {identifies} IDENTIFYs");
    }
}

#[test]
fn a_rate_limited_or_failing_callback_is_tried_again_and_answered() {
    let fake = FakeDiscord::start();
    let mut bot = Bot::start(&fake, "rest-faults", &[]);
    bot.wait_ready(&fake);
    for (status, what) in [(429, "rate-limited"), (502, "a bad gateway")] {
        let before = fake.requests().len();
        fake.fail_next("POST", "/callback", status);
        let (body, _) = fake.interact(fake.command("who", &[("name", "Anders")], "en-US"));
        assert_valid(what, &body);
        assert!(text_of(&body).contains("Anders"), "{what}: {body}");
        // The fake records the refused callback too: wait for the one it accepted.
        let callbacks = fake.wait_requests(&format!("{what}: the callback tried again"), |rs| {
            let callbacks: Vec<_> = rs[before..]
                .iter()
                .filter(|r| r.path.ends_with("/callback"))
                .cloned()
                .collect();
            (callbacks.len() >= 2).then_some(callbacks)
        });
        assert_eq!(callbacks.len(), 2, "{what}: one refused, one answered");
        if status == 429 {
            // Not before `retry_after` (0.25 s).
            let waited = callbacks[1].at.duration_since(callbacks[0].at);
            assert!(
                waited >= Duration::from_millis(250),
                "retried after {waited:?}"
            );
        }
    }
    bot.stop();
}

#[test]
fn a_first_ready_that_cannot_be_read_is_logged_and_the_connection_tried_again() {
    let fake = FakeDiscord::start();
    fake.garble_next_ready();
    let bot = Bot::start(&fake, "garbled-ready", &[]);
    // The first IDENTIFY gets a READY that cannot be read; Clio connects again and is served.
    let deadline = Instant::now() + WAIT;
    while fake.ready_connection().is_none() {
        assert!(
            Instant::now() < deadline,
            "never connected again:\n{}",
            bot.output.lock().unwrap()
        );
        std::thread::sleep(Duration::from_millis(50));
    }
    let identifies = fake.frames().iter().filter(|f| f.op == 2).count();
    assert!(identifies >= 2, "{identifies} IDENTIFYs");
    fake.wait_registration();
    let (body, _) = fake.interact(fake.command("who", &[("name", "Anders")], "en-US"));
    assert_valid("after a garbled READY", &body);
    let output = bot.stop();
    assert!(output.contains("no READY Clio could read"), "{output}");
}
