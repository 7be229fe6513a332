//! Sharding (issue #12): real `clio run` processes against the fake Discord, which speaks shards
//! (one gateway connection per shard, IDENTIFY with `shard: [id, count]`, each guild's events on
//! its shard's connection).
//!
//! Two guilds: [`G0`] on shard 0 of 2 and [`G1`] on shard 1 of 2. Two processes run shard ranges
//! `0..1` and `1..2` over one shared store: one SQLite data directory (WAL works across processes
//! on one machine), or a fresh PostgreSQL database when `CLIO_TEST_DATABASE_URL` is set (see
//! [`shared_store`]). Quizzes run in host mode with a minute per question, so the test moves them
//! on itself and no step depends on how fast a loaded machine is.

use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use serde_json::{json, Value};

use super::fake_discord::{
    as_member, channel_message_id, in_guild, shard_of, FakeDiscord, GatewayBot, API, CHANNEL_ID,
    GUILD_ID, SHARD0_CHANNEL_ID, SHARD0_GUILD_ID, TOKEN, WAIT,
};
use super::support::{callback_errors, http_get, root, schema_errors};

/// A guild and its channel.
type Guild = (&'static str, &'static str);

/// On shard 0 of 2.
const G0: Guild = (SHARD0_GUILD_ID, SHARD0_CHANNEL_ID);
/// On shard 1 of 2.
const G1: Guild = (GUILD_ID, CHANNEL_ID);
/// Two more, one per shard, whose daily posts are set after a restart.
const G2: Guild = ("1130000000000000001", "1130000000000000002");
const G3: Guild = ("1120000000000000001", "1120000000000000002");

const HOST: (&str, &str) = ("1100000000000000100", "Quizmistress");
/// Two players per guild: the first two play in G0, the last two in G1.
const PLAYERS: [(&str, &str); 4] = [
    ("1100000000000000201", "Ada"),
    ("1100000000000000202", "Bolesław"),
    ("1100000000000000203", "Celina"),
    ("1100000000000000204", "Dariusz"),
];

fn workdir(name: &str) -> PathBuf {
    let dir = PathBuf::from(env!("CARGO_TARGET_TMPDIR"))
        .join("shard-tests")
        .join(format!("{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

/// The store every process of one test shares, as environment variables: one SQLite data
/// directory, and, when `CLIO_TEST_DATABASE_URL` is set, a fresh PostgreSQL database for this
/// test given as `CLIO_DATA__DATABASE_URL` (which then holds everything; dropped with the test).
struct SharedStore {
    env: Vec<(String, String)>,
    _database: Option<super::support::PgDatabase>,
}

impl std::ops::Deref for SharedStore {
    type Target = [(String, String)];
    fn deref(&self) -> &Self::Target {
        &self.env
    }
}

fn shared_store(dir: &Path, name: &str) -> SharedStore {
    let mut env = vec![(
        "CLIO_DATA_DIR".to_string(),
        dir.join("data").display().to_string(),
    )];
    let database = std::env::var("CLIO_TEST_DATABASE_URL")
        .ok()
        .filter(|u| !u.trim().is_empty())
        .map(|admin| super::support::pg_database_on(&admin, &format!("shards_{name}")));
    if let Some(db) = &database {
        env.push(("CLIO_DATA__DATABASE_URL".into(), db.url.clone()));
    }
    SharedStore {
        env,
        _database: database,
    }
}

/// One `clio run` process, with its ops listener on a port of its own.
struct Proc {
    child: Child,
    output: Arc<Mutex<String>>,
    ops: String,
    name: String,
}

impl Proc {
    fn start(
        fake: &FakeDiscord,
        dir: &Path,
        name: &str,
        store: &[(String, String)],
        env: &[(&str, &str)],
    ) -> Proc {
        // Its own working directory: no `config/clio.toml` is picked up by accident.
        let work = dir.join(name);
        std::fs::create_dir_all(&work).unwrap();
        let ops = format!("127.0.0.1:{}", free_port());
        let mut cmd = Command::new(env!("CARGO_BIN_EXE_clio"));
        cmd.arg("run")
            .current_dir(&work)
            .env_clear()
            .env("NO_COLOR", "1")
            .env("DISCORD_TOKEN", TOKEN)
            .env("DISCORD_API_BASE", fake.api_base())
            .env("CLIO_KNOWLEDGE_DIR", root().join("knowledge"))
            .env("CLIO_OPS__LISTEN", &ops);
        for (k, v) in store {
            cmd.env(k, v);
        }
        for (k, v) in env {
            cmd.env(k, v);
        }
        let mut child = cmd
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .expect("clio run starts");
        let (output, _readers) = super::support::capture_output(&mut child);
        Proc {
            child,
            output,
            ops,
            name: name.to_string(),
        }
    }

    /// A process running `range` of 2 shards.
    fn shards(
        fake: &FakeDiscord,
        dir: &Path,
        name: &str,
        store: &[(String, String)],
        range: &str,
    ) -> Proc {
        Proc::start(
            fake,
            dir,
            name,
            store,
            &[
                ("CLIO_DISCORD__SHARDS", "2"),
                ("CLIO_DISCORD__SHARD_RANGE", range),
            ],
        )
    }

    fn output(&self) -> String {
        self.output.lock().unwrap().clone()
    }

    /// Wait until `/readyz` says every shard of the process's range is connected; its body.
    fn wait_ready(&mut self) -> String {
        let deadline = Instant::now() + WAIT;
        loop {
            if let Some((200, body)) = http_get(&self.ops, "/readyz") {
                return body;
            }
            if let Some(status) = self.child.try_wait().unwrap() {
                panic!(
                    "process {} exited ({status}) before it was ready:\n{}",
                    self.name,
                    self.output()
                );
            }
            assert!(
                Instant::now() < deadline,
                "process {} was not ready in time",
                self.name
            );
            std::thread::sleep(Duration::from_millis(50));
        }
    }

    fn metrics(&self) -> String {
        let (status, body) = http_get(&self.ops, "/metrics").expect("the ops listener answers");
        assert_eq!(status, 200);
        body
    }

    /// Interactions this process answered, whatever the command.
    fn answered(&self) -> u64 {
        self.metrics()
            .lines()
            .filter(|l| l.starts_with("clio_interactions_total{"))
            .filter_map(|l| l.rsplit(' ').next()?.parse::<u64>().ok())
            .sum()
    }

    /// Wait until the process has answered `n` interactions (the count follows the callback).
    fn wait_answered(&self, n: u64) {
        eventually(
            &format!("process {} to count {n} answers", self.name),
            || (self.answered() == n).then_some(()),
        );
        assert_eq!(self.answered(), n, "process {}", self.name);
    }

    /// SIGKILL: no goodbye, no flushing.
    fn kill(mut self) {
        self.child.kill().expect("SIGKILL");
        self.child.wait().unwrap();
    }

    /// SIGTERM, and the process exits 0.
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
            assert!(
                Instant::now() < deadline,
                "{} did not stop in time",
                self.name
            );
            std::thread::sleep(Duration::from_millis(50));
        };
        assert!(status.success(), "SIGTERM must exit 0:\n{}", self.output());
    }
}

impl Drop for Proc {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
        if std::thread::panicking() || std::env::var_os("CLIO_TEST_BOT_LOG").is_some() {
            eprintln!("---- process {} ----\n{}", self.name, self.output());
        }
    }
}

/// Poll until `check` holds, failing with `what` after [`WAIT`].
fn eventually<T>(what: &str, mut check: impl FnMut() -> Option<T>) -> T {
    let deadline = Instant::now() + WAIT;
    loop {
        if let Some(found) = check() {
            return found;
        }
        assert!(Instant::now() < deadline, "gave up waiting for {what}");
        std::thread::sleep(Duration::from_millis(50));
    }
}

/// Send an interaction from `guild` and return its callback, checked against Discord's schema.
fn ask(fake: &FakeDiscord, guild: Guild, interaction: Value) -> Value {
    let (body, _) = fake.interact(in_guild(interaction, guild.0, guild.1));
    let errors = callback_errors(&body);
    assert!(errors.is_empty(), "{errors:#?}\n{body}");
    body
}

/// Every visible string of a message, for looking for words.
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

fn is_question(body: &Value) -> bool {
    custom_ids(body)
        .iter()
        .any(|id| id.starts_with("q:a:") || id.starts_with("q:t:"))
}

fn posts_path(channel: &str) -> String {
    format!("{API}/channels/{channel}/messages")
}

/// Channel messages posted in `channel` so far.
fn posts_in(fake: &FakeDiscord, channel: &str) -> Vec<Value> {
    let path = posts_path(channel);
    fake.requests()
        .into_iter()
        .filter(|r| r.method == "POST" && r.path == path)
        .map(|r| r.body)
        .collect()
}

/// The first message posted in `channel` at request `skip` or later whose body matches, waiting
/// for it: its index in the requests, its body, and the id the fake gave it (the fake numbers
/// the messages of every channel in one sequence).
fn wait_post(
    fake: &FakeDiscord,
    what: &str,
    channel: &str,
    skip: usize,
    matches: impl Fn(&Value) -> bool,
) -> (usize, Value, String) {
    let path = posts_path(channel);
    fake.wait_requests(what, |requests| {
        let mut posted = 0;
        for (i, r) in requests.iter().enumerate() {
            if r.method != "POST" || !r.path.starts_with(&format!("{API}/channels/")) {
                continue;
            }
            posted += 1;
            if i >= skip && r.path == path && matches(&r.body) {
                return Some((i, r.body.clone(), channel_message_id(posted)));
            }
        }
        None
    })
}

fn host(interaction: Value) -> Value {
    as_member(interaction, HOST.0, HOST.1, "32", &[])
}

fn player(n: usize, interaction: Value) -> Value {
    as_member(interaction, PLAYERS[n].0, PLAYERS[n].1, "2048", &[])
}

fn start_quiz(fake: &FakeDiscord, guild: Guild) {
    let body = ask(
        fake,
        guild,
        host(fake.subcommand(
            "quiz",
            "start",
            &[
                ("questions", json!(3)),
                ("seconds", json!(60)),
                ("mode", json!("host")),
            ],
            "en-US",
        )),
    );
    assert_eq!(body["type"], 4, "the quiz is announced: {body}");
}

fn control(fake: &FakeDiscord, guild: Guild, sub: &str) -> Value {
    ask(
        fake,
        guild,
        host(fake.subcommand("quiz", sub, &[], "en-US")),
    )
}

/// The first question of the guild's quiz answered with buttons (typed ones are passed).
fn first_button_question(fake: &FakeDiscord, guild: Guild) -> Value {
    let mut skip = 0;
    loop {
        let (at, question, _) = wait_post(fake, "a question", guild.1, skip, is_question);
        if custom_ids(&question)
            .iter()
            .any(|id| id.starts_with("q:a:"))
        {
            return question;
        }
        skip = at + 1;
        control(fake, guild, "next");
        control(fake, guild, "next");
    }
}

/// Player `n` presses option `n` of the question; the confirmation says the answer is in.
fn answer(fake: &FakeDiscord, guild: Guild, n: usize, question: &Value) {
    let options: Vec<String> = custom_ids(question)
        .into_iter()
        .filter(|id| id.starts_with("q:a:"))
        .collect();
    let id = &options[n % options.len()];
    let button = fake.button(id, question, "en-US");
    let ack = ask(fake, guild, player(n, button));
    assert!(
        text_of(&ack["data"]).contains("Your answer"),
        "{} is confirmed: {ack}",
        PLAYERS[n].1
    );
}

/// The guild's all-time leaderboard, as text.
fn leaderboard(fake: &FakeDiscord, guild: Guild) -> String {
    let body = ask(
        fake,
        guild,
        player(
            0,
            fake.command("leaderboard", &[("period", "all time")], "en-US"),
        ),
    );
    text_of(&body["data"])
}

/// The leaderboard lists exactly the guild's own players, each with one answer.
fn assert_board(board: &str, own: &[usize]) {
    for (n, (_, name)) in PLAYERS.iter().enumerate() {
        let line = board.lines().find(|l| l.contains(name));
        if own.contains(&n) {
            let line = line.unwrap_or_else(|| panic!("{name} is missing:\n{board}"));
            assert!(line.contains("/1 right"), "{name} answered once: {line}");
        } else {
            assert!(line.is_none(), "{name} played elsewhere:\n{board}");
        }
    }
}

/// Stop the guild's quiz and wait for its final standings.
fn finish(fake: &FakeDiscord, guild: Guild, skip: usize) {
    control(fake, guild, "stop");
    wait_post(fake, "the final standings", guild.1, skip, |b| {
        text_of(b).contains("Final standings")
    });
}

#[test]
fn the_test_guilds_sit_on_the_shards_the_scenarios_need() {
    for (guild, shard) in [(G0, 0), (G1, 1), (G2, 0), (G3, 1)] {
        assert_eq!(shard_of(guild.0, 2), shard, "{}", guild.0);
        assert_eq!(
            clio::discord::shards::Shards::shard_of(guild.0.parse().unwrap(), 2),
            shard
        );
    }
}

#[test]
fn two_processes_answer_each_guild_on_the_right_shard_and_run_a_quiz_in_each_at_once() {
    let fake = FakeDiscord::start();
    fake.add_guild(G0.0);
    let dir = workdir("two-processes");
    let store = shared_store(&dir, "two-processes");
    let mut a = Proc::shards(&fake, &dir, "a", &store, "0..1");
    let mut b = Proc::shards(&fake, &dir, "b", &store, "1..2");
    assert!(a.wait_ready().contains("shard 0: connected"));
    assert!(b.wait_ready().contains("shard 1: connected"));

    let mut shards: Vec<[u32; 2]> = fake.identifies().iter().map(|i| i.shard).collect();
    shards.sort();
    assert_eq!(
        shards,
        [[0, 2], [1, 2]],
        "each process identifies its shard"
    );

    // One process registers the commands: the one running shard 0.
    fake.wait_registration();
    eventually("process b to leave the registration to shard 0's", || {
        b.output()
            .contains("registered by the process running shard 0")
            .then_some(())
    });
    let puts = fake
        .requests()
        .iter()
        .filter(|r| r.method == "PUT" && r.path.ends_with("/commands"))
        .count();
    assert_eq!(puts, 1, "the commands are registered once");

    // A lookup from each guild is answered by the process running the guild's shard.
    let help = ask(&fake, G0, fake.command("help", &[], "en-US"));
    assert_eq!(help["type"], 4, "{help}");
    a.wait_answered(1);
    assert_eq!(b.answered(), 0, "shard 0's guild is not process b's");
    ask(&fake, G1, fake.command("help", &[], "en-US"));
    b.wait_answered(1);
    assert_eq!(a.answered(), 1, "shard 1's guild is not process a's");

    // A quiz in each guild, at once.
    start_quiz(&fake, G0);
    start_quiz(&fake, G1);
    let q0 = first_button_question(&fake, G0);
    let q1 = first_button_question(&fake, G1);
    answer(&fake, G0, 0, &q0);
    answer(&fake, G1, 2, &q1);
    answer(&fake, G0, 1, &q0);
    answer(&fake, G1, 3, &q1);
    finish(&fake, G0, 0);
    finish(&fake, G1, 0);

    // Each guild's leaderboard holds its own players, every answer counted.
    assert_board(&leaderboard(&fake, G0), &[0, 1]);
    assert_board(&leaderboard(&fake, G1), &[2, 3]);
    for message in posts_in(&fake, G0.1).iter().chain(&posts_in(&fake, G1.1)) {
        let errors = schema_errors("MessageCreateRequest", message);
        assert!(errors.is_empty(), "{errors:#?}\n{message}");
    }
    a.stop();
    b.stop();
}

#[test]
fn a_process_killed_mid_quiz_recovers_only_its_own_guilds_quiz_and_the_other_never_notices() {
    let fake = FakeDiscord::start();
    fake.add_guild(G0.0);
    let dir = workdir("kill-one");
    let store = shared_store(&dir, "kill-one");
    let mut a = Proc::shards(&fake, &dir, "a", &store, "0..1");
    let mut b = Proc::shards(&fake, &dir, "b", &store, "1..2");
    a.wait_ready();
    b.wait_ready();

    start_quiz(&fake, G0);
    start_quiz(&fake, G1);
    let q0 = first_button_question(&fake, G0);
    let q1 = first_button_question(&fake, G1);
    answer(&fake, G0, 0, &q0);
    answer(&fake, G1, 2, &q1);
    answer(&fake, G1, 3, &q1);

    // kill -9 the process running shard 1, mid-question, and start it again.
    b.kill();
    let before = fake.requests().len();
    let after = fake
        .identifies()
        .iter()
        .map(|i| i.connection)
        .max()
        .unwrap();
    let mut b = Proc::shards(&fake, &dir, "b", &store, "1..2");
    b.wait_ready();
    fake.wait_shard_ready(1, after);

    // It recovers its own guild's quiz, and says so there.
    let (_, notice, _) = wait_post(&fake, "the restart notice", G1.1, before, |m| {
        text_of(m).contains("I was restarted")
    });
    assert!(text_of(&notice).contains("the quiz goes on"), "{notice}");
    eventually("process b to log its recovery", || {
        b.output()
            .contains("recovering an interrupted quiz")
            .then_some(())
    });
    // Meanwhile the other guild's quiz goes on in process a, which never noticed.
    answer(&fake, G0, 1, &q0);
    finish(&fake, G0, before);
    finish(&fake, G1, before);
    assert!(
        !posts_in(&fake, G0.1)
            .iter()
            .any(|m| text_of(m).contains("I was restarted")),
        "process a's guild heard of no restart"
    );
    let a_log = a.output();
    assert!(
        !a_log.contains("recovering an interrupted quiz"),
        "process a recovered nothing:\n{a_log}"
    );
    assert!(
        a.metrics().contains("clio_gateway_reconnects_total 0"),
        "process a's gateway never dropped"
    );
    assert!(
        !b.output().contains(&format!("channel={}", G0.1)),
        "process b touched no quiz of shard 0's guild:\n{}",
        b.output()
    );

    // Every confirmed answer is there, in its own guild's leaderboard.
    assert_board(&leaderboard(&fake, G0), &[0, 1]);
    assert_board(&leaderboard(&fake, G1), &[2, 3]);
    a.stop();
    b.stop();
}

/// Set the guild's daily post to 00:00 UTC (always passed today: due at once).
fn set_daily(fake: &FakeDiscord, guild: Guild) {
    let options = [
        ("channel", json!(guild.1)),
        ("time", json!("00:00")),
        ("zone", json!("UTC")),
    ];
    let body = ask(
        fake,
        guild,
        as_member(
            fake.subcommand("settings", "daily", &options, "en-US"),
            "1100000000000000009",
            "Admin",
            "32",
            &[],
        ),
    );
    assert!(
        text_of(&body["data"]).contains("at 00:00 (UTC)"),
        "the daily post is set: {body}"
    );
}

#[test]
fn daily_posts_go_out_once_per_guild_and_day_across_both_processes_and_a_restart_of_either() {
    let fake = FakeDiscord::start();
    for g in [G0, G2, G3] {
        fake.add_guild(g.0);
    }
    let dir = workdir("daily");
    let store = shared_store(&dir, "daily");
    let mut a = Proc::shards(&fake, &dir, "a", &store, "0..1");
    let mut b = Proc::shards(&fake, &dir, "b", &store, "1..2");
    a.wait_ready();
    b.wait_ready();
    set_daily(&fake, G0);
    set_daily(&fake, G1);
    wait_post(&fake, "G0's daily post", G0.1, 0, |_| true);
    wait_post(&fake, "G1's daily post", G1.1, 0, |_| true);

    // Restart a: setting another guild's post wakes its daily task, which then has looked at
    // every guild of its shard, the one already posted today included.
    a.stop();
    let mut a = Proc::shards(&fake, &dir, "a", &store, "0..1");
    a.wait_ready();
    set_daily(&fake, G2);
    wait_post(&fake, "G2's daily post", G2.1, 0, |_| true);

    // kill -9 b, and the same on its shard.
    b.kill();
    let mut b = Proc::shards(&fake, &dir, "b", &store, "1..2");
    b.wait_ready();
    set_daily(&fake, G3);
    wait_post(&fake, "G3's daily post", G3.1, 0, |_| true);

    for g in [G0, G1, G2, G3] {
        let posts = posts_in(&fake, g.1);
        assert_eq!(
            posts.len(),
            1,
            "one daily post in guild {}: {posts:#?}",
            g.0
        );
        let errors = schema_errors("MessageCreateRequest", &posts[0]);
        assert!(errors.is_empty(), "{errors:#?}");
    }
    // Each process posted for the guilds of its own shard only.
    let posted = |log: &str, guild: Guild| {
        log.lines()
            .any(|l| l.contains("posted the day's anniversaries") && l.contains(guild.0))
    };
    for (proc, own, other) in [(&a, G2, [G1, G3]), (&b, G3, [G0, G2])] {
        // The line follows Discord's answer to the post, which the fake recorded before.
        eventually(&format!("process {} to log its post", proc.name), || {
            posted(&proc.output(), own).then_some(())
        });
        let log = proc.output();
        for g in other {
            assert!(
                !posted(&log, g),
                "process {} posted for guild {}:\n{log}",
                proc.name,
                g.0
            );
        }
    }
    a.stop();
    b.stop();
}

#[test]
fn one_process_with_two_shards_runs_both_identifying_one_at_a_time() {
    let fake = FakeDiscord::start();
    // `auto`, the default: the count Discord recommends.
    fake.set_recommended_shards(2);
    fake.add_guild(G0.0);
    let dir = workdir("both-shards");
    let store = shared_store(&dir, "both-shards");
    let mut both = Proc::start(&fake, &dir, "both", &store, &[]);
    let ready = both.wait_ready();
    assert!(
        ready.contains("gateway: connected")
            && ready.contains("shard 0: connected")
            && ready.contains("shard 1: connected"),
        "{ready}"
    );
    let metrics = both.metrics();
    for shard in 0..2 {
        assert!(
            metrics.contains(&format!(
                "clio_gateway_shard_connected{{shard=\"{shard}\"}} 1"
            )),
            "{metrics}"
        );
    }

    let identifies = fake.identifies();
    let shards: Vec<[u32; 2]> = identifies.iter().map(|i| i.shard).collect();
    assert_eq!(shards, [[0, 2], [1, 2]], "both shards, in order");
    assert_ne!(identifies[0].connection, identifies[1].connection);
    // One session start per 5 seconds, Discord's window for max_concurrency = 1: serenity
    // opens the next shard's connection 5 s after the previous one's was established.
    let gap = identifies[1].opened.duration_since(identifies[0].opened);
    assert!(
        gap >= Duration::from_secs(5),
        "the second shard connected {gap:?} after the first"
    );
    assert!(identifies[1].at > identifies[0].at);
    assert_eq!(
        fake.gateway_bot().remaining,
        GatewayBot::default().remaining - 2,
        "two session starts"
    );

    ask(&fake, G0, fake.command("help", &[], "en-US"));
    ask(&fake, G1, fake.command("help", &[], "en-US"));
    both.wait_answered(2);
    both.stop();
}

/// `clio run` with these variables against `fake`: its exit code and what it printed.
fn refused(fake: &FakeDiscord, name: &str, env: &[(&str, &str)]) -> (Option<i32>, String) {
    let dir = workdir(name);
    let store = shared_store(&dir, name);
    let mut proc = Proc::start(fake, &dir, name, &store, env);
    let deadline = Instant::now() + WAIT;
    let status = loop {
        if let Some(status) = proc.child.try_wait().unwrap() {
            break status;
        }
        assert!(Instant::now() < deadline, "{name}: clio run did not stop");
        std::thread::sleep(Duration::from_millis(50));
    };
    // The readers finish once the pipes close.
    std::thread::sleep(Duration::from_millis(200));
    (status.code(), proc.output())
}

#[test]
fn bad_shard_settings_are_refused_before_connecting_with_what_to_write() {
    let fake = FakeDiscord::start();
    let (code, out) = refused(&fake, "backwards", &[("CLIO_DISCORD__SHARD_RANGE", "2..1")]);
    assert_eq!(code, Some(2), "{out}");
    assert!(
        out.contains("CLIO_DISCORD__SHARD_RANGE")
            && out.contains("discord.shard_range")
            && out.contains("`2..1` holds no shard"),
        "{out}"
    );

    let (code, out) = refused(
        &fake,
        "beyond",
        &[
            ("CLIO_DISCORD__SHARDS", "2"),
            ("CLIO_DISCORD__SHARD_RANGE", "1..3"),
        ],
    );
    assert_eq!(code, Some(2), "{out}");
    assert!(
        out.contains("1..3 goes beyond the 2 shards") && out.contains("`0..2`"),
        "{out}"
    );

    let (code, out) = refused(&fake, "word", &[("CLIO_DISCORD__SHARDS", "many")]);
    assert_eq!(code, Some(2), "{out}");
    assert!(
        out.contains("CLIO_DISCORD__SHARDS") && out.contains("`auto`"),
        "{out}"
    );
    assert!(
        fake.identifies().is_empty(),
        "nothing identified with a bad setting"
    );

    // With `auto`, the range is checked against the count Discord gives.
    let (code, out) = refused(
        &fake,
        "auto-beyond",
        &[("CLIO_DISCORD__SHARD_RANGE", "1..2")],
    );
    assert_eq!(code, Some(2), "{out}");
    assert!(
        out.contains("1..2 goes beyond the 1 shard") && out.contains("discord.shards"),
        "{out}"
    );

    // No session starts left: refused, with the time the limit resets, before identifying.
    fake.set_gateway_bot(GatewayBot {
        remaining: 0,
        reset_after_ms: 90 * 60 * 1000,
        ..GatewayBot::default()
    });
    let (code, out) = refused(&fake, "no-sessions", &[]);
    assert_eq!(code, Some(2), "{out}");
    assert!(
        out.contains("0 more gateway session starts") && out.contains("1 h 30 min"),
        "{out}"
    );
    assert!(fake.identifies().is_empty(), "nothing identified");
}

/// A night scheduled ahead in `guild`, `seconds` from now, stored as `/quiz schedule` stores it.
fn schedule_in(store: &dyn clio::store::Backend, guild: Guild, seconds: u64) -> u64 {
    use clio::quiz::night::schedule::{ScheduleState, ScheduledQuiz};
    let now = clio::clock::wall_ms();
    store
        .schedule_quiz(
            &ScheduledQuiz {
                id: 0,
                guild: guild.0.parse().unwrap(),
                channel: guild.1.parse().unwrap(),
                host: HOST.0.parse().unwrap(),
                starts_at: now + seconds * 1000,
                config: clio::quiz::QuizConfig {
                    questions: 2,
                    mode: clio::quiz::Mode::Host,
                    ..Default::default()
                },
                event_id: None,
                state: ScheduleState::Scheduled,
            },
            now,
        )
        .unwrap()
}

#[test]
fn a_scheduled_night_is_carried_out_only_by_the_process_running_its_guilds_shard() {
    use clio::quiz::night::schedule::ScheduleState;
    let fake = FakeDiscord::start();
    fake.add_guild(G0.0);
    let dir = workdir("scheduled");
    let store = shared_store(&dir, "scheduled");
    // Both nights stored before the process starts; shard 1's comes first, so a process that
    // took it would have reminded it before it starts shard 0's.
    let (g1_night, g0_night) = {
        let get = |k: &str| {
            store
                .iter()
                .find(|(key, _)| key == k)
                .map(|(_, v)| v.clone())
        };
        let data = PathBuf::from(get("CLIO_DATA_DIR").unwrap());
        let db =
            clio::store::open_backend(&data, get("CLIO_DATA__DATABASE_URL").as_deref()).unwrap();
        (schedule_in(&*db, G1, 3), schedule_in(&*db, G0, 5))
    };
    let mut a = Proc::shards(&fake, &dir, "a", &store, "0..1");
    a.wait_ready();

    // Shard 0's night: its reminder, then it starts itself.
    wait_post(&fake, "G0's reminder", G0.1, 0, |b| {
        text_of(b).contains("⏰")
    });
    wait_post(&fake, "G0's first question", G0.1, 0, is_question);
    a.stop();

    // Shard 1's night is another process's: untouched, still to come, nothing said in its channel.
    assert!(
        posts_in(&fake, G1.1).is_empty(),
        "{:?}",
        posts_in(&fake, G1.1)
    );
    let get = |k: &str| {
        store
            .iter()
            .find(|(key, _)| key == k)
            .map(|(_, v)| v.clone())
    };
    let data = PathBuf::from(get("CLIO_DATA_DIR").unwrap());
    let db = clio::store::open_backend(&data, get("CLIO_DATA__DATABASE_URL").as_deref()).unwrap();
    let open: Vec<(u64, ScheduleState)> = db
        .scheduled_quizzes(None)
        .unwrap()
        .iter()
        .map(|q| (q.id, q.state))
        .collect();
    assert_eq!(open, vec![(g1_night, ScheduleState::Scheduled)]);
    assert_ne!(g0_night, g1_night);
}
