//! A quiz night on Discord: the real `clio run` against the fake Discord, teams in a lobby,
//! a rename, a hint, two rounds with an intermission, and a bot killed (SIGKILL) in the lobby
//! and in the intermission that resumes each with nothing confirmed lost.
//!
//! Every body the bot sends is checked against Discord's schema, as in `discord_quiz`. The quiz
//! runs in host mode with long lobby and intermission times, so the test moves it on itself and
//! no step depends on how fast a loaded machine is.

use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use serde_json::{json, Value};

use super::fake_discord::{
    as_member, channel_message_id, FakeDiscord, Recorded, API, CHANNEL_ID, GUILD_ID, TOKEN, WAIT,
};
use super::support::{callback_errors, embed_rule_errors, root, schema_errors};

const HOST: (&str, &str, &str) = ("1100000000000000100", "Quizmistress", "32");
const PLAYERS: [(&str, &str); 3] = [
    ("1100000000000000301", "Halina"),
    ("1100000000000000302", "Ignacy"),
    ("1100000000000000303", "Jadwiga"),
];

struct Bot {
    child: Child,
    output: Arc<Mutex<String>>,
}

impl Bot {
    fn start(fake: &FakeDiscord, dir: &Path, after: u32) -> Bot {
        let mut child = Command::new(env!("CARGO_BIN_EXE_clio"))
            .arg("run")
            .current_dir(dir)
            .env_clear()
            .env("NO_COLOR", "1")
            .env("DISCORD_TOKEN", TOKEN)
            .env("DISCORD_API_BASE", fake.api_base())
            .env("CLIO_KNOWLEDGE_DIR", root().join("knowledge"))
            .env("CLIO_DATA_DIR", dir.join("data"))
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .expect("clio run starts");
        let (output, _readers) = super::support::capture_output(&mut child);
        let mut bot = Bot { child, output };
        let deadline = Instant::now() + WAIT;
        while fake.ready_connection().is_none_or(|c| c <= after) {
            if let Some(status) = bot.child.try_wait().unwrap() {
                panic!("the bot exited ({status}):\n{}", bot.output.lock().unwrap());
            }
            assert!(Instant::now() < deadline, "the bot did not connect in time");
            std::thread::sleep(Duration::from_millis(20));
        }
        bot
    }

    /// SIGKILL: nothing graceful.
    fn kill(mut self) {
        self.child.kill().expect("SIGKILL");
        self.child.wait().unwrap();
    }
}

impl Drop for Bot {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
        if std::thread::panicking() {
            eprintln!("---- bot output ----\n{}", self.output.lock().unwrap());
        }
    }
}

fn data_dir(name: &str) -> PathBuf {
    let dir = PathBuf::from(env!("CARGO_TARGET_TMPDIR"))
        .join("discord-night-tests")
        .join(format!("{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

fn assert_valid(what: &str, body: &Value) {
    let errors = if body["type"] == 6 && body.get("data").is_none() {
        schema_errors("UpdateMessageInteractionCallbackRequest", body)
    } else {
        callback_errors(body)
            .into_iter()
            // A modal (type 9) shows no message, so there is nothing to mention anyone in.
            .filter(|e| !(body["type"] == 9 && e.starts_with("allowed_mentions")))
            .collect()
    };
    assert!(
        errors.is_empty(),
        "{what}: not valid for Discord:\n{}\nbody: {body}",
        errors.join("\n")
    );
}

fn text_of(v: &Value) -> String {
    match v {
        Value::String(s) => format!("{s}\n"),
        Value::Array(a) => a.iter().map(text_of).collect(),
        Value::Object(o) => o
            .iter()
            .filter(|(k, _)| k.as_str() != "custom_id")
            .map(|(_, v)| text_of(v))
            .collect(),
        _ => String::new(),
    }
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

fn id_with(message: &Value, prefix: &str) -> Option<String> {
    custom_ids(message)
        .into_iter()
        .find(|id| id.starts_with(prefix))
}

fn is_post(r: &Recorded) -> bool {
    r.method == "POST" && r.path == format!("{API}/channels/{CHANNEL_ID}/messages")
}

fn is_edit(r: &Recorded) -> bool {
    r.method == "PATCH"
        && r.path
            .starts_with(&format!("{API}/channels/{CHANNEL_ID}/messages/"))
}

/// The first channel post at request `skip` or later that matches: (index, body, message id).
fn wait_post(
    fake: &FakeDiscord,
    what: &str,
    skip: usize,
    matches: impl Fn(&Value) -> bool,
) -> (usize, Value, String) {
    fake.wait_requests(what, |requests| {
        let mut posted = 0;
        for (i, r) in requests.iter().enumerate() {
            if !is_post(r) {
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

fn wait_edit(
    fake: &FakeDiscord,
    what: &str,
    skip: usize,
    matches: impl Fn(&Value) -> bool,
) -> Value {
    fake.wait_requests(what, |requests| {
        requests
            .iter()
            .skip(skip)
            .find(|r| is_edit(r) && matches(&r.body))
            .map(|r| r.body.clone())
    })
}

fn assert_channel_bodies_valid(fake: &FakeDiscord) {
    let mut checked = 0;
    for r in fake.requests() {
        let schema = if is_post(&r) {
            "MessageCreateRequest"
        } else if is_edit(&r) {
            "MessageEditRequestPartial"
        } else {
            continue;
        };
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

fn host(interaction: Value) -> Value {
    as_member(interaction, HOST.0, HOST.1, HOST.2, &[])
}

fn player(n: usize, interaction: Value) -> Value {
    as_member(interaction, PLAYERS[n].0, PLAYERS[n].1, "2048", &[])
}

fn press(fake: &FakeDiscord, n: usize, id: &str, message: &Value) -> Value {
    let (body, _) = fake.interact(player(n, fake.button(id, message, "en-US")));
    assert_valid(&format!("{} presses {id}", PLAYERS[n].1), &body);
    body
}

fn private_text(body: &Value) -> String {
    assert!(
        body["data"]["flags"].as_u64().is_some_and(|f| f & 64 != 0),
        "not private: {body}"
    );
    text_of(&body["data"])
}

fn control(fake: &FakeDiscord, sub: &str) -> Value {
    let (body, _) = fake.interact(host(fake.subcommand("quiz", sub, &[], "en-US")));
    assert_valid(&format!("/quiz {sub}"), &body);
    body
}

fn is_lobby(body: &Value) -> bool {
    id_with(body, "q:j:").is_some() && text_of(body).contains("pick your team")
}

fn is_question(body: &Value) -> bool {
    id_with(body, "q:a:").is_some() || id_with(body, "q:t:").is_some()
}

/// Answer the question on `message` as player `n` (the first option, or a typed guess).
fn answer(fake: &FakeDiscord, n: usize, message: &Value) {
    if let Some(id) = id_with(message, "q:a:") {
        let ack = press(fake, n, &id, message);
        assert!(private_text(&ack).contains("Your answer"), "{ack}");
        return;
    }
    let open = id_with(message, "q:t:").unwrap();
    let modal = press(fake, n, &open, message);
    let modal_id = modal["data"]["custom_id"].as_str().unwrap();
    let input = modal["data"]["components"][0]["components"][0]["custom_id"]
        .as_str()
        .unwrap();
    let (ack, _) = fake.interact(player(
        n,
        fake.modal_submit(modal_id, input, "1939", "en-US"),
    ));
    assert_valid("a typed answer", &ack);
}

fn start_night(fake: &FakeDiscord) {
    let (body, _) = fake.interact(host(fake.subcommand(
        "quiz",
        "start",
        &[
            ("questions", json!(1)),
            ("seconds", json!(60)),
            ("mode", json!("host")),
            ("teams", json!(2)),
            ("rounds", json!(2)),
            ("topics", json!("1939; 1944")),
            ("lobby", json!(600)),
            ("intermission", json!(600)),
        ],
        "en-US",
    )));
    assert_valid("/quiz start teams:2 rounds:2", &body);
}

#[test]
fn a_team_night_end_to_end_survives_a_kill_in_the_lobby_and_in_the_intermission() {
    let fake = FakeDiscord::start();
    let dir = data_dir("team-night");
    let bot = Bot::start(&fake, &dir, 0);

    // The topics are suggested part by part.
    let (topics, _) =
        fake.interact(fake.autocomplete_sub("quiz", "start", ("topics", "1939; Anders"), "en-US"));
    assert_valid("/quiz start topics…", &topics);
    let choices = topics["data"]["choices"].as_array().unwrap();
    assert!(!choices.is_empty(), "{topics}");
    assert!(
        choices
            .iter()
            .all(|c| c["value"].as_str().unwrap().starts_with("1939; ")),
        "{topics}"
    );

    start_night(&fake);
    let (at, lobby, _) = wait_post(&fake, "the lobby", 0, is_lobby);
    let joins: Vec<String> = custom_ids(&lobby)
        .into_iter()
        .filter(|id| id.starts_with("q:j:"))
        .collect();
    assert_eq!(joins.len(), 2, "a Join button per team: {lobby}");
    assert!(id_with(&lobby, "q:n:").is_some(), "Start for the host");

    // Halina joins team 1; Jadwiga joins team 1 and moves to team 2.
    let joined = press(&fake, 0, &joins[0], &lobby);
    assert!(private_text(&joined).contains("You joined"), "{joined}");
    press(&fake, 2, &joins[0], &lobby);
    let moved = press(&fake, 2, &joins[1], &lobby);
    assert!(private_text(&moved).contains("You moved from"), "{moved}");
    // The host names team 2.
    let (renamed, _) = fake.interact(host(fake.subcommand(
        "quiz",
        "team",
        &[("name", json!("Ułani")), ("number", json!(2))],
        "en-US",
    )));
    assert_valid("/quiz team", &renamed);
    assert!(private_text(&renamed).contains("**Ułani**"), "{renamed}");
    wait_edit(&fake, "the lobby shows the new name", at, |b| {
        text_of(b).contains("Ułani") && text_of(b).contains("Jadwiga")
    });

    // Killed in the lobby: the restart shows the lobby again, with who joined.
    let connection = fake.ready_connection().unwrap();
    bot.kill();
    let skip = fake.requests().len();
    let bot = Bot::start(&fake, &dir, connection);
    let (_, lobby, _) = wait_post(&fake, "the lobby after the restart", skip, is_lobby);
    let shown = text_of(&lobby);
    for who in ["Halina", "Jadwiga", "Ułani"] {
        assert!(
            shown.contains(who),
            "{who} is missing after the restart: {lobby}"
        );
    }

    // The host presses Start (Ignacy has not joined yet).
    let start = id_with(&lobby, "q:n:").unwrap();
    let skip = fake.requests().len();
    let (started, _) = fake.interact(host(fake.button(&start, &lobby, "en-US")));
    assert_valid("Start", &started);
    let (_, q1, _) = wait_post(&fake, "question 1", skip, is_question);

    // A hint, privately, for Halina; then answers.
    let hint = id_with(&q1, "q:h:").expect("hints are on by default");
    let given = press(&fake, 0, &hint, &q1);
    assert!(
        private_text(&given).contains("halves the points"),
        "{given}"
    );
    answer(&fake, 0, &q1);
    answer(&fake, 2, &q1);
    // Ignacy comes late and joins team 1 from the lobby message.
    press(&fake, 1, &joins[0], &lobby);
    let skip = fake.requests().len();
    control(&fake, "next");
    let reveal = wait_edit(&fake, "the reveal", skip, |b| text_of(b).contains("Teams"));
    let shown = text_of(&reveal);
    assert!(
        shown.find("Teams").unwrap() < shown.find("Top 5").unwrap_or(usize::MAX),
        "teams first: {reveal}"
    );

    // The round ends: the intermission names the next theme.
    let skip = fake.requests().len();
    control(&fake, "next");
    let (_, pause, _) = wait_post(&fake, "the intermission", skip, |b| {
        text_of(b).contains("Intermission after round 1")
    });
    assert!(text_of(&pause).contains("1944"), "{pause}");

    // Killed in the intermission: the restart shows it again with the same standings.
    let connection = fake.ready_connection().unwrap();
    bot.kill();
    let skip = fake.requests().len();
    let _bot = Bot::start(&fake, &dir, connection);
    let (_, again, _) = wait_post(&fake, "the intermission after the restart", skip, |b| {
        text_of(b).contains("Intermission after round 1")
    });
    let teams = |b: &Value| {
        let t = text_of(b);
        t[t.find("Teams").unwrap()..]
            .lines()
            .take(3)
            .collect::<Vec<_>>()
            .join("\n")
    };
    assert_eq!(
        teams(&again),
        teams(&pause),
        "the standings survived the kill"
    );

    // Round 2, then the end: the final standings show the teams first.
    let skip = fake.requests().len();
    control(&fake, "next");
    let (_, q2, _) = wait_post(&fake, "question 2", skip, is_question);
    assert!(text_of(&q2).contains("Question 2 of 2"), "{q2}");
    answer(&fake, 1, &q2);
    control(&fake, "next");
    let skip = fake.requests().len();
    control(&fake, "next");
    let (_, fin, _) = wait_post(&fake, "the final standings", skip, |b| {
        text_of(b).contains("Final standings")
    });
    let fin = text_of(&fin);
    assert!(fin.contains("Ułani") && fin.contains("Teams"), "{fin}");
    assert_channel_bodies_valid(&fake);
}

/// `/admin season start [name]`, a subcommand in a group, nested as Discord nests it.
fn season_start(fake: &FakeDiscord, name: Option<&str>, locale: &str) -> Value {
    let options: Vec<Value> = name
        .map(|n| json!({"name": "name", "type": 3, "value": n}))
        .into_iter()
        .collect();
    fake.interaction(
        2,
        locale,
        json!({
            "id": "1200000000000000009", "name": "admin", "type": 1,
            "options": [{"name": "season", "type": 2, "options": [
                {"name": "start", "type": 1, "options": options}
            ]}],
            "guild_id": GUILD_ID
        }),
    )
}

fn leaderboard(fake: &FakeDiscord, period: Option<&str>) -> Value {
    let options: Vec<(&str, &str)> = period.map(|p| ("period", p)).into_iter().collect();
    let (body, _) = fake.interact(player(0, fake.command("leaderboard", &options, "en-US")));
    assert_valid("/leaderboard", &body);
    body
}

#[test]
fn an_admin_starts_a_season_and_the_leaderboard_shows_it_by_default_and_the_rest_on_request() {
    let fake = FakeDiscord::start();
    let dir = data_dir("seasons");
    let _bot = Bot::start(&fake, &dir, 0);

    // `/admin season start` is registered as a group Discord accepts.
    let put = fake.wait_registration();
    let admin = put
        .body
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["name"] == "admin")
        .expect("/admin is registered")
        .clone();
    let errors = schema_errors("ApplicationCommandUpdateRequest", &admin);
    assert!(errors.is_empty(), "/admin: {errors:#?}");

    // Before any season: all time.
    let before = text_of(&leaderboard(&fake, None)["data"]);
    assert!(before.contains("all time"), "{before}");

    // A player may not start a season.
    let (refused, _) = fake.interact(player(1, season_start(&fake, Some("Autumn"), "en-US")));
    assert_valid("a player's /admin season start", &refused);
    assert!(!private_text(&refused).contains("has begun"), "{refused}");

    let (started, _) = fake.interact(host(season_start(&fake, Some("Autumn"), "en-US")));
    assert_valid("/admin season start", &started);
    assert!(
        private_text(&started).contains("Season 1 “Autumn” has begun"),
        "{started}"
    );
    let (again, _) = fake.interact(host(season_start(&fake, Some("autumn"), "en-US")));
    assert!(private_text(&again).contains("already"), "{again}");
    // Without a name, in Polish: the next number.
    let (second, _) = fake.interact(host(season_start(&fake, None, "pl")));
    assert_valid("/admin season start in Polish", &second);
    assert!(
        private_text(&second).contains("Sezon 2 „Sezon 2”"),
        "{second}"
    );

    // The current season by default; a past one by name; all time on request.
    let now = text_of(&leaderboard(&fake, None)["data"]);
    assert!(now.contains("Sezon 2"), "{now}");
    let past = text_of(&leaderboard(&fake, Some("Autumn"))["data"]);
    assert!(past.contains("Autumn"), "{past}");
    let all = text_of(&leaderboard(&fake, Some("all"))["data"]);
    assert!(all.contains("all time"), "{all}");
    let unknown = leaderboard(&fake, Some("Spring"));
    let unknown = private_text(&unknown);
    assert!(
        unknown.contains("`Spring` is not a period") && unknown.contains("`Autumn`"),
        "{unknown}"
    );

    // `period:` suggests the seasons by name.
    let (suggested, _) =
        fake.interact(fake.autocomplete("leaderboard", ("period", "aut"), "en-US"));
    assert_valid("/leaderboard period…", &suggested);
    assert_eq!(
        suggested["data"]["choices"][0]["value"], "Autumn",
        "{suggested}"
    );
}

/// `/quiz schedule <sub>`, a subcommand in a group, nested as Discord nests it.
fn schedule_command(fake: &FakeDiscord, sub: &str, options: Value) -> Value {
    let (body, _) = fake.interact(host(fake.interaction(
        2,
        "en-US",
        json!({
            "id": "1200000000000000010", "name": "quiz", "type": 1,
            "options": [{"name": "schedule", "type": 2, "options": [
                {"name": sub, "type": 1, "options": options}
            ]}],
            "guild_id": GUILD_ID
        }),
    )));
    assert_valid(&format!("/quiz schedule {sub}"), &body);
    body
}

fn is_event_post(r: &Recorded) -> bool {
    r.method == "POST" && r.path == format!("{API}/guilds/{GUILD_ID}/scheduled-events")
}

#[test]
fn a_scheduled_night_is_a_discord_event_reminds_the_channel_and_starts_itself() {
    let fake = FakeDiscord::start();
    let dir = data_dir("scheduled");
    let bot = Bot::start(&fake, &dir, 0);

    // A night a few seconds from now (UTC: the server has no time zone set).
    let at = chrono::Utc::now() + chrono::Duration::seconds(8);
    let when = at.format("%Y-%m-%d %H:%M:%S").to_string();
    let created = schedule_command(
        &fake,
        "create",
        json!([
            {"name": "when", "type": 3, "value": when},
            {"name": "questions", "type": 4, "value": 2},
            {"name": "topic", "type": 3, "value": "1939"}
        ]),
    );
    assert!(
        private_text(&created).contains("is scheduled for"),
        "{created}"
    );
    let event = fake.wait_request("the Discord event", is_event_post);
    let errors = schema_errors("ExternalScheduledEventCreateRequest", &event.body);
    assert!(errors.is_empty(), "the event: {errors:#?}\n{}", event.body);
    assert_eq!(event.body["entity_type"], 3);
    assert!(
        event.body["entity_metadata"]["location"]
            .as_str()
            .unwrap()
            .contains(CHANNEL_ID),
        "the location names the channel: {}",
        event.body
    );
    assert!(event.body["scheduled_end_time"].is_string());

    // Killed before its time: the night is stored, so the restarted bot carries it out.
    let connection = fake.ready_connection().unwrap();
    bot.kill();
    let _bot = Bot::start(&fake, &dir, connection);

    // The reminder (it is less than 15 minutes away), then the quiz starts itself.
    wait_post(&fake, "the reminder", 0, |b| text_of(b).contains("⏰"));
    let (_, question, _) = wait_post(&fake, "the first question", 0, is_question);
    assert!(text_of(&question).contains("Question 1 of 2"), "{question}");
    let listed = schedule_command(&fake, "list", json!([]));
    assert!(
        private_text(&listed).contains("No quiz night is scheduled"),
        "a started night is no longer listed: {listed}"
    );

    // Another night, cancelled: its Discord event is deleted.
    let created = schedule_command(
        &fake,
        "create",
        json!([{"name": "when", "type": 3, "value": "2099-01-01 20:00"}]),
    );
    assert!(private_text(&created).contains("#2"), "{created}");
    let listed = schedule_command(&fake, "list", json!([]));
    assert!(private_text(&listed).contains("#2"), "{listed}");
    let cancelled = schedule_command(
        &fake,
        "cancel",
        json!([{"name": "id", "type": 4, "value": 2}]),
    );
    assert!(
        private_text(&cancelled).contains("cancelled"),
        "{cancelled}"
    );
    fake.wait_request("the event's deletion", |r| {
        r.method == "DELETE"
            && r.path
                .starts_with(&format!("{API}/guilds/{GUILD_ID}/scheduled-events/"))
    });
    let listed = schedule_command(&fake, "list", json!([]));
    assert!(private_text(&listed).contains("No quiz night"), "{listed}");
    let reminders = fake
        .requests()
        .iter()
        .filter(|r| is_post(r) && text_of(&r.body).contains("⏰"))
        .count();
    assert_eq!(reminders, 1, "one reminder, across the restart");
    assert_channel_bodies_valid(&fake);
}
