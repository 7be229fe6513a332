//! Quiz nights on Discord: the real `clio run` against the fake Discord, four players, and a bot
//! killed mid-quiz.
//!
//! Every body the bot sends is checked against Discord's schema: interaction callbacks with
//! `callback_errors`, channel messages (posted and edited with the bot's own token) with
//! `MessageCreateRequest` / `MessageEditRequestPartial` plus the rules the schema cannot carry.
//! Quizzes run in host mode with a minute per question, so the test moves them on itself and no
//! step depends on how fast a loaded machine is.

use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use serde_json::{json, Value};

use super::support::{callback_errors, embed_rule_errors, root, schema_errors};

use super::fake_discord;

use fake_discord::{
    as_member, channel_message_id, FakeDiscord, Recorded, API, CHANNEL_ID, TOKEN, WAIT,
};

/// Manage Server, as Discord sends permissions: a decimal string.
const HOST_PERMISSIONS: &str = "32";
/// Send messages and the like, nothing that hosts.
const PLAYER_PERMISSIONS: &str = "2048";
const HOST: (&str, &str) = ("1100000000000000100", "Quizmistress");
const PLAYERS: [(&str, &str); 4] = [
    ("1100000000000000201", "Ada"),
    ("1100000000000000202", "Bolesław"),
    ("1100000000000000203", "Celina"),
    ("1100000000000000204", "Dariusz"),
];

fn data_dir(name: &str) -> PathBuf {
    let dir = PathBuf::from(env!("CARGO_TARGET_TMPDIR"))
        .join("discord-quiz-tests")
        .join(format!("{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

/// A running `clio run` on a given working directory (its data directory inside).
struct Bot {
    child: Child,
    output: Arc<Mutex<String>>,
}

impl Bot {
    fn start(fake: &FakeDiscord, dir: &Path) -> Bot {
        Bot::start_with(fake, dir, &[])
    }

    /// [`Bot::start`] with more environment, e.g. `CLIO_DATA__DATABASE_URL`.
    fn start_with(fake: &FakeDiscord, dir: &Path, env: &[(&str, &str)]) -> Bot {
        let knowledge = root().join("knowledge");
        let data = dir.join("data");
        let mut child = Command::new(env!("CARGO_BIN_EXE_clio"))
            .arg("run")
            .current_dir(dir)
            .env_clear()
            .env("NO_COLOR", "1")
            .env("DISCORD_TOKEN", TOKEN)
            .env("DISCORD_API_BASE", fake.api_base())
            .env("CLIO_KNOWLEDGE_DIR", &knowledge)
            .env("CLIO_DATA_DIR", &data)
            .envs(env.iter().copied())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .expect("clio run starts");
        let (output, _readers) = super::support::capture_output(&mut child);
        Bot { child, output }
    }

    /// Wait for a ready gateway session opened after `after` connections.
    fn wait_ready(&mut self, fake: &FakeDiscord, after: u32) {
        let deadline = Instant::now() + WAIT;
        loop {
            if fake.ready_connection().is_some_and(|c| c > after) {
                return;
            }
            if let Some(status) = self.child.try_wait().unwrap() {
                panic!(
                    "the bot exited ({status}) before connecting:\n{}",
                    self.output.lock().unwrap()
                );
            }
            assert!(Instant::now() < deadline, "the bot did not connect in time");
            std::thread::sleep(Duration::from_millis(20));
        }
    }

    /// SIGKILL: no goodbye, no flushing, nothing graceful.
    fn kill(mut self) {
        self.child.kill().expect("SIGKILL");
        self.child.wait().unwrap();
    }

    /// SIGTERM, and the bot exits 0.
    fn stop(mut self) {
        let pid = self.child.id().to_string();
        assert!(Command::new("kill")
            .args(["-TERM", &pid])
            .status()
            .unwrap()
            .success());
        let deadline = Instant::now() + WAIT;
        let status = loop {
            if let Some(status) = self.child.try_wait().unwrap() {
                break status;
            }
            assert!(Instant::now() < deadline, "the bot did not stop in time");
            std::thread::sleep(Duration::from_millis(50));
        };
        assert!(
            status.success(),
            "SIGTERM must exit 0:\n{}",
            self.output.lock().unwrap()
        );
    }
}

impl Drop for Bot {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
        if std::thread::panicking() || std::env::var_os("CLIO_TEST_BOT_LOG").is_some() {
            eprintln!("---- bot output ----\n{}", self.output.lock().unwrap());
        }
    }
}

fn assert_valid(what: &str, body: &Value) {
    // A deferred update (type 6) carries no message, so only its schema applies.
    let errors = if body["type"] == 6 && body.get("data").is_none() {
        schema_errors("UpdateMessageInteractionCallbackRequest", body)
    } else {
        callback_errors(body)
    };
    assert!(
        errors.is_empty(),
        "{what}: the callback is not valid for Discord:\n{}\nbody: {body}",
        errors.join("\n")
    );
}

fn is_ephemeral(body: &Value) -> bool {
    body["data"]["flags"].as_u64().is_some_and(|f| f & 64 != 0)
}

/// Every visible string of a message object, for looking for words.
fn text_of(message: &Value) -> String {
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
    let mut out = String::new();
    walk(message, &mut out);
    out
}

fn custom_ids(message: &Value) -> Vec<String> {
    message["components"]
        .as_array()
        .into_iter()
        .flatten()
        .flat_map(|row| row["components"].as_array().cloned().unwrap_or_default())
        .filter_map(|b| b["custom_id"].as_str().map(str::to_string))
        .collect()
}

fn is_channel_post(r: &Recorded) -> bool {
    r.method == "POST" && r.path == format!("{API}/channels/{CHANNEL_ID}/messages")
}

fn is_channel_edit(r: &Recorded) -> bool {
    r.method == "PATCH"
        && r.path
            .starts_with(&format!("{API}/channels/{CHANNEL_ID}/messages/"))
}

/// Every channel message the bot posted or edited is one Discord accepts.
fn assert_channel_bodies_valid(fake: &FakeDiscord) {
    let mut checked = 0;
    for r in fake.requests() {
        let schema = if is_channel_post(&r) {
            "MessageCreateRequest"
        } else if is_channel_edit(&r) {
            "MessageEditRequestPartial"
        } else {
            continue;
        };
        assert_eq!(
            r.authorization.as_deref(),
            Some(format!("Bot {TOKEN}").as_str()),
            "channel messages go with the bot's own token"
        );
        let mut errors = schema_errors(schema, &r.body);
        errors.extend(embed_rule_errors(&r.body));
        assert!(
            errors.is_empty(),
            "{} {}: not valid for Discord:\n{}\nbody: {}",
            r.method,
            r.path,
            errors.join("\n"),
            r.body
        );
        checked += 1;
    }
    assert!(checked > 0, "no channel messages were checked");
}

/// The first channel message posted at request `skip` or later whose body matches, waiting for
/// it; returns its index in the requests, its body, and the id the fake gave it.
fn wait_post(
    fake: &FakeDiscord,
    what: &str,
    skip: usize,
    matches: impl Fn(&Value) -> bool,
) -> (usize, Value, String) {
    fake.wait_requests(what, |requests| {
        let mut posted = 0;
        for (i, r) in requests.iter().enumerate() {
            if !is_channel_post(r) {
                continue;
            }
            posted += 1;
            if i >= skip && matches(&r.body) {
                return Some((i, r.body.clone(), channel_message_id(posted)));
            }
        }
        None
    })
}

/// The edit of message `id` after `skip` requests whose body matches, waiting for it.
fn wait_edit(
    fake: &FakeDiscord,
    what: &str,
    id: &str,
    skip: usize,
    matches: impl Fn(&Value) -> bool,
) -> (usize, Value) {
    let path = format!("{API}/channels/{CHANNEL_ID}/messages/{id}");
    fake.wait_requests(what, |requests| {
        requests
            .iter()
            .enumerate()
            .skip(skip)
            .find(|(_, r)| r.method == "PATCH" && r.path == path && matches(&r.body))
            .map(|(i, r)| (i, r.body.clone()))
    })
}

fn is_question(body: &Value) -> bool {
    custom_ids(body)
        .iter()
        .any(|id| id.starts_with("q:a:") || id.starts_with("q:t:"))
}

fn is_reveal(body: &Value) -> bool {
    let buttons: Vec<Value> = body["components"]
        .as_array()
        .into_iter()
        .flatten()
        .flat_map(|row| row["components"].as_array().cloned().unwrap_or_default())
        .filter(|b| {
            b["custom_id"]
                .as_str()
                .is_some_and(|id| id.starts_with("q:a:") || id.starts_with("q:t:"))
        })
        .collect();
    !buttons.is_empty() && buttons.iter().all(|b| b["disabled"] == true)
}

fn host(interaction: Value) -> Value {
    as_member(interaction, HOST.0, HOST.1, HOST_PERMISSIONS, &[])
}

fn player(n: usize, interaction: Value) -> Value {
    as_member(
        interaction,
        PLAYERS[n].0,
        PLAYERS[n].1,
        PLAYER_PERMISSIONS,
        &[],
    )
}

/// Player `n` answers the question on `message`: option `option` of a button question, or a
/// typed `text` through the text box. Returns the confirmation.
fn answer(fake: &FakeDiscord, n: usize, message: &Value, option: usize, text: &str) -> Value {
    let ids = custom_ids(message);
    let choices: Vec<&String> = ids.iter().filter(|id| id.starts_with("q:a:")).collect();
    if !choices.is_empty() {
        let id = choices[option % choices.len()];
        let (body, _) = fake.interact(player(n, fake.button(id, message, "en-US")));
        assert_valid(&format!("{} presses {id}", PLAYERS[n].1), &body);
        return body;
    }
    let open = ids
        .iter()
        .find(|id| id.starts_with("q:t:"))
        .expect("a question has answer buttons or a text box");
    let (modal, _) = fake.interact(player(n, fake.button(open, message, "en-US")));
    assert_valid("the text box", &modal);
    assert_eq!(modal["type"], 9, "the answer button opens a modal: {modal}");
    let modal_id = modal["data"]["custom_id"].as_str().unwrap();
    let input = modal["data"]["components"][0]["components"][0]["custom_id"]
        .as_str()
        .unwrap();
    let (body, _) = fake.interact(player(n, fake.modal_submit(modal_id, input, text, "en-US")));
    assert_valid(&format!("{} types an answer", PLAYERS[n].1), &body);
    body
}

/// The first question of the running quiz that is answered with buttons (typed ones are
/// revealed and passed): its message and the custom_id of its first option.
fn first_button_question(fake: &FakeDiscord) -> (Value, String) {
    let mut skip = 0;
    loop {
        let (at, question, _) = wait_post(fake, "a button question", skip, is_question);
        if let Some(id) = custom_ids(&question)
            .into_iter()
            .find(|id| id.starts_with("q:a:"))
        {
            return (question, id);
        }
        skip = at + 1;
        control(fake, "next");
        control(fake, "next");
    }
}

fn start_quiz(fake: &FakeDiscord, questions: u64) -> Value {
    let (body, _) = fake.interact(host(fake.subcommand(
        "quiz",
        "start",
        &[
            ("questions", json!(questions)),
            ("seconds", json!(60)),
            ("mode", json!("host")),
        ],
        "en-US",
    )));
    assert_valid("/quiz start", &body);
    assert!(
        !is_ephemeral(&body),
        "the announcement is for everyone: {body}"
    );
    body
}

fn control(fake: &FakeDiscord, sub: &str) -> Value {
    let (body, _) = fake.interact(host(fake.subcommand("quiz", sub, &[], "en-US")));
    assert_valid(&format!("/quiz {sub}"), &body);
    body
}

fn leaderboard(fake: &FakeDiscord) -> Value {
    let (body, _) = fake.interact(player(
        0,
        fake.command("leaderboard", &[("period", "all time")], "en-US"),
    ));
    assert_valid("/leaderboard", &body);
    body
}

#[test]
fn a_quiz_night_with_four_players_from_start_to_the_leaderboard() {
    let fake = FakeDiscord::start();
    let dir = data_dir("night");
    let mut bot = Bot::start(&fake, &dir);
    bot.wait_ready(&fake, 0);

    // The registration carries /quiz and /leaderboard, valid for Discord.
    let put = fake.wait_registration();
    for name in ["quiz", "leaderboard"] {
        let command = put
            .body
            .as_array()
            .unwrap()
            .iter()
            .find(|c| c["name"] == name)
            .unwrap_or_else(|| panic!("/{name} is not registered"));
        let errors = schema_errors("ApplicationCommandUpdateRequest", command);
        assert!(errors.is_empty(), "/{name}: {errors:#?}");
    }

    // A player may not host: told kindly, alone, in their language.
    let (refusal, _) = fake.interact(player(0, fake.subcommand("quiz", "start", &[], "pl")));
    assert_valid("a refused /quiz start", &refusal);
    assert!(is_ephemeral(&refusal));
    assert!(
        text_of(&refusal["data"]).contains("Zarządzanie serwerem"),
        "{refusal}"
    );

    // The topic is suggested as it is typed.
    let (topics, _) =
        fake.interact(fake.autocomplete_sub("quiz", "start", ("topic", "Anders"), "en-US"));
    assert_valid("/quiz start topic…", &topics);
    assert!(
        !topics["data"]["choices"].as_array().unwrap().is_empty(),
        "{topics}"
    );

    let announcement = start_quiz(&fake, 2);
    assert!(
        text_of(&announcement["data"]).contains("2 questions"),
        "{announcement}"
    );
    // One quiz per channel.
    let (busy, _) = fake.interact(host(fake.subcommand("quiz", "start", &[], "en-US")));
    assert_valid("a second /quiz start", &busy);
    assert!(is_ephemeral(&busy) && text_of(&busy["data"]).contains("already running"));

    // Question 1: four players, one of whom changes their mind.
    let (at, q1, q1_id) = wait_post(&fake, "question 1", 0, is_question);
    assert!(text_of(&q1).contains("Question 1 of 2"), "{q1}");
    for n in 0..4 {
        let ack = answer(&fake, n, &q1, n, &format!("guess {n}"));
        assert!(
            is_ephemeral(&ack),
            "a press is confirmed to the presser alone"
        );
        assert!(text_of(&ack["data"]).contains("Your answer"), "{ack}");
    }
    let changed = answer(&fake, 0, &q1, 1, "another guess");
    assert!(
        text_of(&changed["data"]).contains("changed your answer"),
        "{changed}"
    );

    // The host reveals with the button on the question: the message is edited in place.
    let next = custom_ids(&q1)
        .into_iter()
        .find(|id| id.starts_with("q:n:"))
        .expect("host mode shows the host's button");
    let (ack, _) = fake.interact(host(fake.button(&next, &q1, "en-US")));
    assert_valid("the reveal button", &ack);
    assert_eq!(
        ack["type"], 6,
        "the press is acknowledged without a message"
    );
    let (_, reveal) = wait_edit(&fake, "the reveal of question 1", &q1_id, at, is_reveal);
    assert!(
        text_of(&reveal).contains("4 players have answered"),
        "{reveal}"
    );
    if custom_ids(&q1).iter().any(|id| id.starts_with("q:a:")) {
        let green = reveal["components"][0]["components"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|b| b["style"] == 3)
            .count();
        assert_eq!(green, 1, "the right answer is green: {reveal}");
    }

    // A player cannot move the quiz on.
    let (refused, _) = fake.interact(player(2, fake.subcommand("quiz", "next", &[], "en-US")));
    assert_valid("a player's /quiz next", &refused);
    assert!(is_ephemeral(&refused));

    // Question 2, with a pause in the middle.
    let done = control(&fake, "next");
    assert!(is_ephemeral(&done));
    let (at2, q2, q2_id) = wait_post(&fake, "question 2", at + 1, is_question);
    assert!(text_of(&q2).contains("Question 2 of 2"), "{q2}");
    assert_ne!(q1_id, q2_id);
    control(&fake, "pause");
    let waiting = answer(&fake, 3, &q2, 0, "too early");
    assert!(text_of(&waiting["data"]).contains("paused"), "{waiting}");
    control(&fake, "resume");
    for n in 0..4 {
        answer(&fake, n, &q2, 3 - n, &format!("answer {n}"));
    }
    let scores = control(&fake, "scores");
    assert!(text_of(&scores["data"]).contains("Ada"), "{scores}");

    control(&fake, "next");
    wait_edit(&fake, "the reveal of question 2", &q2_id, at2, is_reveal);
    control(&fake, "next");

    // The end: the podium, then the recap, in the channel.
    let (end, standings, _) = wait_post(&fake, "the final standings", at2, |b| {
        text_of(b).contains("Final standings")
    });
    for (_, name) in PLAYERS {
        assert!(text_of(&standings).contains(name), "{name}: {standings}");
    }
    wait_post(&fake, "the recap", end + 1, |b| {
        text_of(b).contains("Recap")
    });

    // The quiz is over: presses are refused, and a new quiz may start.
    let button = custom_ids(&q2)
        .into_iter()
        .find(|id| id.starts_with("q:a:") || id.starts_with("q:t:"))
        .unwrap();
    let (late, _) = fake.interact(player(1, fake.button(&button, &q2, "en-US")));
    assert_valid("a press after the end", &late);
    assert!(is_ephemeral(&late));
    assert!(text_of(&late["data"]).contains("over"), "{late}");

    let board = leaderboard(&fake);
    assert!(!is_ephemeral(&board));
    let text = text_of(&board["data"]);
    for (_, name) in PLAYERS {
        assert!(text.contains(name), "{name} is on the leaderboard:\n{text}");
    }
    assert!(text.contains("pts"), "{text}");

    assert_channel_bodies_valid(&fake);
    bot.stop();
}

#[test]
fn a_bot_killed_mid_quiz_comes_back_with_every_answer_kept() {
    let fake = FakeDiscord::start();
    let dir = data_dir("killed");
    let mut bot = Bot::start(&fake, &dir);
    bot.wait_ready(&fake, 0);
    let connections = fake.ready_connection().unwrap();

    start_quiz(&fake, 3);
    let (_, q1, q1_id) = wait_post(&fake, "question 1", 0, is_question);
    // Three answers, each confirmed: confirmed means stored.
    for n in 0..3 {
        let ack = answer(&fake, n, &q1, n, &format!("guess {n}"));
        assert!(text_of(&ack["data"]).contains("Your answer"), "{ack}");
    }
    bot.kill();

    let before = fake.requests().len();
    let mut bot = Bot::start(&fake, &dir);
    bot.wait_ready(&fake, connections);

    // The channel is told, and the question that was open is revealed with the answers it had.
    let (_, notice, _) = wait_post(&fake, "the restart notice", before, |b| {
        text_of(b).contains("I was restarted")
    });
    assert!(
        text_of(&notice).contains("the quiz goes on"),
        "resumed, not closed: {notice}"
    );
    let (_, reveal) = wait_edit(
        &fake,
        "the reveal after the restart",
        &q1_id,
        before,
        is_reveal,
    );
    assert!(
        text_of(&reveal).contains("3 players have answered"),
        "{reveal}"
    );

    // Every answer given before the kill is in the leaderboard, with its points.
    let board = leaderboard(&fake);
    let text = text_of(&board["data"]);
    for (_, name) in &PLAYERS[..3] {
        let line = text
            .lines()
            .find(|l| l.contains(name))
            .unwrap_or_else(|| panic!("{name} is missing from the leaderboard:\n{text}"));
        assert!(line.contains("/1 right"), "{name} answered once: {line}");
    }
    // Who pressed the green answer scored; on a button question, the others did not.
    let green = reveal["components"][0]["components"]
        .as_array()
        .unwrap()
        .iter()
        .position(|b| b["style"] == 3 && b["custom_id"].as_str().unwrap().starts_with("q:a:"));
    if let Some(right) = green {
        for (n, (_, name)) in PLAYERS[..3].iter().enumerate() {
            let options = custom_ids(&q1)
                .iter()
                .filter(|id| id.starts_with("q:a:"))
                .count();
            let line = text.lines().find(|l| l.contains(name)).unwrap();
            let scored = !line.contains("— 0 pts");
            assert_eq!(scored, n % options == right, "{name}: {line}");
        }
    }

    // The quiz goes on after the restart, and ends cleanly.
    control(&fake, "stop");
    wait_post(&fake, "the final standings", before, |b| {
        text_of(b).contains("Final standings")
    });
    assert_channel_bodies_valid(&fake);
    bot.stop();
}

/// Everything Discord grants in the fake's channel, less Send Messages (bit 11).
const APP_WITHOUT_SEND_MESSAGES: &str = "2248473465833025";

#[test]
fn clio_checks_its_own_permissions_before_a_quiz_and_starts_nothing_it_could_not_show() {
    let fake = FakeDiscord::start();
    let dir = data_dir("no-send");
    let mut bot = Bot::start(&fake, &dir);
    bot.wait_ready(&fake, 0);
    let posts_before = fake.requests().len();
    for (locale, wanted) in [("en-US", "Send Messages"), ("pl", "Wysyłanie wiadomości")] {
        let mut start = host(fake.subcommand(
            "quiz",
            "start",
            &[("questions", json!(3)), ("mode", json!("host"))],
            locale,
        ));
        start["app_permissions"] = json!(APP_WITHOUT_SEND_MESSAGES);
        let (body, _) = fake.interact(start);
        assert_valid("/quiz start without Send Messages", &body);
        assert!(is_ephemeral(&body), "the refusal is private: {body}");
        let text = text_of(&body["data"]);
        assert!(
            text.contains(wanted),
            "{locale}: names what is missing: {text}"
        );
        assert!(
            !text.contains("Embed Links"),
            "{locale}: names only what is missing: {text}"
        );
    }
    // No quiz: nothing was posted in the channel, and there are no scores to show.
    assert!(
        !fake.requests()[posts_before..]
            .iter()
            .any(|r| r.method == "POST" && r.path.contains("/channels/")),
        "a message was posted"
    );
    let (scores, _) = fake.interact(player(0, fake.subcommand("quiz", "scores", &[], "en-US")));
    assert!(text_of(&scores["data"]).contains("No quiz"), "{scores}");
    // With the permission, the same host starts it.
    start_quiz(&fake, 3);
    bot.kill();
}

#[test]
fn a_deleted_quiz_message_is_posted_again_when_it_must_change() {
    let fake = FakeDiscord::start();
    let dir = data_dir("deleted-message");
    let mut bot = Bot::start(&fake, &dir);
    bot.wait_ready(&fake, 0);
    start_quiz(&fake, 2);
    let (_, _, q1_id) = wait_post(&fake, "question 1", 0, is_question);
    // Someone deleted the question: the reveal's edit gets 404 (Unknown Message).
    let before = fake.requests().len();
    fake.fail_next("PATCH", &format!("/messages/{q1_id}"), 404);
    control(&fake, "next");
    let (_, reveal, _) = wait_post(&fake, "the reveal posted again", before, is_reveal);
    assert!(text_of(&reveal).contains("Question 1"), "{reveal}");
    bot.kill();
}

#[test]
fn a_locked_database_defers_the_press_and_confirms_only_what_was_stored() {
    let fake = FakeDiscord::start();
    let dir = data_dir("locked");
    let mut bot = Bot::start(&fake, &dir);
    bot.wait_ready(&fake, 0);
    start_quiz(&fake, 6);
    let (q1, press) = first_button_question(&fake);
    // Another process holds the database for longer than Clio's busy wait (5 s): until this
    // test has seen what the player was told.
    let db = dir.join("data").join(clio::store::DB_FILE);
    let (locked_tx, locked) = std::sync::mpsc::channel();
    let (release_tx, release) = std::sync::mpsc::channel::<()>();
    let holder = std::thread::spawn(move || {
        let conn = rusqlite::Connection::open(&db).unwrap();
        conn.execute_batch("BEGIN EXCLUSIVE").unwrap();
        locked_tx.send(()).unwrap();
        let _ = release.recv();
        conn.execute_batch("COMMIT").unwrap();
    });
    locked.recv().unwrap();
    let before = fake.requests().len();
    let (first, _) = fake.interact(player(0, fake.button(&press, &q1, "en-US")));
    // First (the bot defers 2 s after the interaction came, inside Discord's 3): "thinking…",
    // privately.
    assert_eq!(first["type"], 5, "deferred: {first}");
    assert!(is_ephemeral(&first), "{first}");
    // Then the truth: not stored, press again (never "your answer" for an unstored press).
    let follow_up = fake.wait_request("the deferred answer", |r| {
        r.method == "PATCH" && r.path.contains("/messages/@original")
    });
    let text = text_of(&follow_up.body);
    release_tx.send(()).unwrap();
    assert!(text.contains("press again"), "{text}");
    assert!(!text.contains("Your answer"), "{text}");
    assert!(fake.requests()[before..]
        .iter()
        .all(|r| !r.path.ends_with("/callback") || r.body["type"] == 5));
    holder.join().unwrap();
    // The lock is gone: the same press is taken now, as a first answer.
    let (again, _) = fake.interact(player(0, fake.button(&press, &q1, "en-US")));
    assert!(text_of(&again["data"]).contains("Your answer"), "{again}");
    let board = leaderboard(&fake);
    assert!(text_of(&board["data"]).contains(PLAYERS[0].1), "{board}");
    bot.kill();
}

/// A small tmpfs mounted at `dir`, unmounted when dropped; `None` where mounting is not allowed
/// (not root), which the test reports.
struct SmallDisk(PathBuf);

impl SmallDisk {
    fn mount(dir: &Path, size: &str) -> Option<SmallDisk> {
        std::fs::create_dir_all(dir).unwrap();
        let ok = Command::new("mount")
            .args(["-t", "tmpfs", "-o", &format!("size={size}"), "tmpfs"])
            .arg(dir)
            .status()
            .is_ok_and(|s| s.success());
        ok.then(|| SmallDisk(dir.to_path_buf()))
    }

    /// Fill the disk to the last byte; the filler file is returned, to free the space again.
    fn fill(&self) -> PathBuf {
        use std::io::Write;
        let filler = self.0.join("filler");
        let mut f = std::fs::File::create(&filler).unwrap();
        let block = vec![0u8; 4096];
        while f.write_all(&block).and_then(|()| f.flush()).is_ok() {}
        let _ = f.write_all(&[0]);
        let _ = f.sync_all();
        filler
    }
}

impl Drop for SmallDisk {
    fn drop(&mut self) {
        let _ = Command::new("umount").arg("-l").arg(&self.0).status();
    }
}

#[test]
fn a_full_disk_during_a_quiz_loses_no_confirmed_answer_and_confirms_nothing_unstored() {
    let dir = data_dir("full-disk");
    let Some(disk) = SmallDisk::mount(&dir.join("data"), "4m") else {
        eprintln!("skipped a_full_disk_during_a_quiz_...: cannot mount a tmpfs here (needs root)");
        return;
    };
    let fake = FakeDiscord::start();
    let mut bot = Bot::start(&fake, &dir);
    bot.wait_ready(&fake, 0);
    start_quiz(&fake, 6);
    let (q1, press) = first_button_question(&fake);
    let filler = disk.fill();
    // Three presses on a full disk: none is confirmed, each is told to press again.
    for _ in 0..3 {
        let (refused, _) = fake.interact(player(1, fake.button(&press, &q1, "en-US")));
        assert_valid("a press on a full disk", &refused);
        let text = text_of(&refused["data"]);
        assert!(text.contains("press again"), "{refused}");
        assert!(!text.contains("Your answer"), "{refused}");
    }
    std::fs::remove_file(&filler).unwrap();
    // Space again: the same press is a first answer, and it is kept.
    let (taken, _) = fake.interact(player(1, fake.button(&press, &q1, "en-US")));
    assert!(text_of(&taken["data"]).contains("Your answer"), "{taken}");
    let board = leaderboard(&fake);
    assert!(text_of(&board["data"]).contains(PLAYERS[1].1), "{board}");
    bot.kill();
    drop(disk);
}

/// The player's answer to a press: the callback itself, or, when the bot deferred it (the
/// store took longer than Discord's three seconds allow), the follow-up that replaced it.
fn press_outcome(fake: &FakeDiscord, n: usize, press: &str, message: &Value) -> String {
    let (body, _) = fake.interact(player(n, fake.button(press, message, "en-US")));
    assert_valid(&format!("{} presses {press}", PLAYERS[n].1), &body);
    if body["type"] != 5 {
        return text_of(&body["data"]);
    }
    let follow_up = fake.wait_request("the deferred answer", |r| {
        r.method == "PATCH" && r.path.contains("/messages/@original")
    });
    text_of(&follow_up.body)
}

#[test]
fn postgresql_stopped_and_started_during_a_quiz_confirms_only_what_was_stored_and_the_quiz_goes_on()
{
    let test = "it::discord_quiz::postgresql_stopped_and_started_during_a_quiz_confirms_only_what_was_stored_and_the_quiz_goes_on";
    let Some(pg) = super::support::OwnPostgres::start(test) else {
        return;
    };
    let fake = FakeDiscord::start();
    let dir = data_dir("pg-outage");
    let url = pg.url();
    let mut bot = Bot::start_with(&fake, &dir, &[("CLIO_DATA__DATABASE_URL", &url)]);
    bot.wait_ready(&fake, 0);
    assert!(
        !dir.join("data").join(clio::store::DB_FILE).exists(),
        "PostgreSQL, not SQLite"
    );
    start_quiz(&fake, 6);
    let (q1, press) = first_button_question(&fake);
    let first = press_outcome(&fake, 0, &press, &q1);
    assert!(first.contains("Your answer"), "{first}");

    pg.halt();
    // Lookups need no database: still answered.
    let (who, _) = fake.interact(fake.command("who", &[("name", "Anders")], "en-US"));
    assert_valid("/who during the outage", &who);
    assert!(text_of(&who["data"]).contains("Anders"), "{who}");
    // A press that cannot be stored is not confirmed: the player is told to press again.
    let lost = press_outcome(&fake, 1, &press, &q1);
    assert!(lost.contains("press again"), "{lost}");
    assert!(!lost.contains("Your answer"), "{lost}");

    pg.resume();
    // The pool reconnects: the same press is taken now.
    let again = press_outcome(&fake, 1, &press, &q1);
    assert!(again.contains("Your answer"), "{again}");
    // The quiz goes on: revealed, and ended by its host.
    control(&fake, "next");
    control(&fake, "stop");
    let board = text_of(&leaderboard(&fake)["data"]);
    assert!(
        board.contains(PLAYERS[0].1) && board.contains(PLAYERS[1].1),
        "{board}"
    );
    // Exactly the two confirmed answers are stored, nothing of the refused press.
    let mut db = postgres::Client::connect(&url, postgres::NoTls).unwrap();
    let stored: Vec<(i64, i32)> = db
        .query("SELECT player_id, current FROM answers ORDER BY id", &[])
        .unwrap()
        .iter()
        .map(|r| (r.get(0), r.get(1)))
        .collect();
    let player_id = |n: usize| PLAYERS[n].0.parse::<i64>().unwrap();
    assert_eq!(stored, vec![(player_id(0), 1), (player_id(1), 1)]);
    assert_channel_bodies_valid(&fake);
    let output = bot.output.lock().unwrap().clone();
    assert!(!output.contains("panicked"), "{output}");
    bot.stop();
}
