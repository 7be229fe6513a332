//! How long does a quiz press take to be confirmed when 100 players press at once, on SQLite and
//! on PostgreSQL, side by side in one run?
//!
//! Runs the real bot (built as `cargo build --bin clio` in this example's profile) against the
//! fake Discord from `tests/fake_discord`, once per backend: starts a quiz, then, round after
//! round, 100 players press an answer button at the same moment (100 threads, each dispatching
//! its INTERACTION_CREATE and waiting for its callback). The time of a press is the bot's own,
//! stamped inside the fake: from the frame leaving the fake to the callback arriving back, which
//! the bot sends only once the answer is stored. PostgreSQL is the server at
//! `CLIO_BENCH_DATABASE_URL` (else `CLIO_TEST_DATABASE_URL`), whose user may create databases; a
//! database `clio_bench_press` is made fresh there for the run.
//!
//! `CLIO_BENCH_BOT=path/to/clio` runs that binary instead of building one.
//!
//! ```sh
//! CLIO_BENCH_DATABASE_URL=postgres://clio@127.0.0.1:5432/postgres \
//!   cargo run --release --example press_latency -- --rounds 10
//! ```

use std::io::Read;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::Duration;

use serde_json::{json, Value};

#[path = "../tests/fake_discord/mod.rs"]
mod fake_discord;

use fake_discord::{as_member, FakeDiscord, TOKEN};

const PLAYERS: usize = 100;
const HOST_PERMISSIONS: &str = "32";
const PLAYER_PERMISSIONS: &str = "2048";

fn build_bot() -> PathBuf {
    // A binary already built (e.g. the tests' target/debug/clio), to skip the build.
    if let Some(exe) = std::env::var_os("CLIO_BENCH_BOT") {
        return PathBuf::from(exe);
    }
    let release = !cfg!(debug_assertions);
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".into());
    let mut build = Command::new(cargo);
    build
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .args(["build", "--quiet", "--bin", "clio"]);
    if release {
        build.arg("--release");
    } else {
        eprintln!(
            "warning: a debug build; measure with `cargo run --release --example press_latency`"
        );
    }
    assert!(
        build.status().expect("cargo runs").success(),
        "building clio failed"
    );
    let exe = std::env::current_exe().expect("this example's path");
    exe.parent()
        .and_then(Path::parent)
        .expect("target/<profile>")
        .join(format!("clio{}", std::env::consts::EXE_SUFFIX))
}

fn percentile(sorted: &[Duration], p: f64) -> Duration {
    let i = ((sorted.len() as f64 - 1.0) * p).round() as usize;
    sorted[i.min(sorted.len() - 1)]
}

fn ms(d: Duration) -> String {
    format!("{:.2} ms", d.as_secs_f64() * 1000.0)
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

/// A fresh database on the server at `admin`, as a URL.
fn fresh_database(admin: &str) -> String {
    let mut c = postgres::Client::connect(admin, postgres::NoTls).expect("the benchmark's server");
    c.batch_execute("DROP DATABASE IF EXISTS clio_bench_press WITH (FORCE)")
        .unwrap();
    c.batch_execute("CREATE DATABASE clio_bench_press").unwrap();
    let (base, query) = admin.split_once('?').unwrap_or((admin, ""));
    let host_end = base[base.find("://").unwrap() + 3..]
        .find('/')
        .map_or(base.len(), |i| base.find("://").unwrap() + 3 + i);
    let query = if query.is_empty() {
        String::new()
    } else {
        format!("?{query}")
    };
    format!("{}/clio_bench_press{query}", &base[..host_end])
}

/// One backend's presses: every latency, and how many presses were not confirmed.
fn measure(
    bot_exe: &Path,
    name: &str,
    env: &[(&str, String)],
    rounds: usize,
) -> (Vec<Duration>, usize) {
    let fake = FakeDiscord::start();
    let workdir = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("target/tmp/press_latency")
        .join(name);
    let _ = std::fs::remove_dir_all(&workdir);
    std::fs::create_dir_all(&workdir).unwrap();
    let mut child = Command::new(bot_exe)
        .arg("run")
        .current_dir(&workdir)
        .env_clear()
        .env("DISCORD_TOKEN", TOKEN)
        .env("DISCORD_API_BASE", fake.api_base())
        .env(
            "CLIO_KNOWLEDGE_DIR",
            PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("knowledge"),
        )
        .env("CLIO_DATA_DIR", workdir.join("data"))
        .envs(env.iter().map(|(k, v)| (*k, v.as_str())))
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .expect("the bot starts");
    let mut stderr = child.stderr.take().unwrap();
    let log = std::thread::spawn(move || {
        let mut text = String::new();
        let _ = stderr.read_to_string(&mut text);
        text
    });
    while fake.ready_connection().is_none() {
        if let Some(status) = child.try_wait().unwrap() {
            panic!(
                "the bot exited ({status}):\n{}",
                log.join().unwrap_or_default()
            );
        }
        std::thread::sleep(Duration::from_millis(20));
    }
    fake.wait_registration();

    let host = |i: Value| as_member(i, "1100000000000000100", "Host", HOST_PERMISSIONS, &[]);
    // One question per round, a minute each; the host moves on between rounds.
    let (start, _) = fake.interact(host(fake.subcommand(
        "quiz",
        "start",
        &[
            ("questions", json!(rounds.clamp(1, 20) * 2)),
            ("seconds", json!(60)),
            ("mode", json!("host")),
        ],
        "en-US",
    )));
    assert!(start["type"].is_u64(), "{start}");
    eprintln!("{name}: quiz started: {}", start["type"]);

    let mut latencies = Vec::new();
    let mut refused = 0;
    let mut seen = 0;
    let mut round = 0;
    while round < rounds {
        // The next question posted in the channel.
        let (at, question) = fake.wait_requests("a question", |rs| {
            rs.iter().enumerate().skip(seen).find_map(|(i, r)| {
                (r.method == "POST"
                    && r.path.ends_with("/messages")
                    && custom_ids(&r.body).iter().any(|id| id.starts_with("q:")))
                .then(|| (i, r.body.clone()))
            })
        });
        seen = at + 1;
        eprintln!("{name}: round {round}: a question at request {at}");
        let buttons: Vec<String> = custom_ids(&question)
            .into_iter()
            .filter(|id| id.starts_with("q:a:"))
            .collect();
        if !buttons.is_empty() {
            let timed: Vec<(Duration, bool)> = std::thread::scope(|s| {
                let handles: Vec<_> = (0..PLAYERS)
                    .map(|p| {
                        let (fake, question, buttons) = (&fake, &question, &buttons);
                        s.spawn(move || {
                            let id = format!(
                                "{}",
                                1_100_000_000_000_100_000u64 + (round * PLAYERS + p) as u64
                            );
                            let press = as_member(
                                fake.button(&buttons[p % buttons.len()], question, "en-US"),
                                &id,
                                &format!("Player {p}"),
                                PLAYER_PERMISSIONS,
                                &[],
                            );
                            let (body, latency) = fake.interact(press);
                            (
                                latency,
                                body["type"] == 4 && body.to_string().contains("Your answer"),
                            )
                        })
                    })
                    .collect();
                handles.into_iter().map(|h| h.join().unwrap()).collect()
            });
            for (latency, confirmed) in timed {
                latencies.push(latency);
                refused += usize::from(!confirmed);
            }
            round += 1;
        }
        // Reveal, then the next question.
        for _ in 0..2 {
            fake.interact(host(fake.subcommand("quiz", "next", &[], "en-US")));
        }
    }
    let _ = Command::new("kill")
        .args(["-TERM", &child.id().to_string()])
        .status();
    let status = child.wait().unwrap();
    if !status.success() {
        eprintln!(
            "{name}: the bot exited {status}:\n{}",
            log.join().unwrap_or_default()
        );
    }
    (latencies, refused)
}

fn main() {
    let mut rounds = 5;
    let mut args = std::env::args().skip(1);
    while let Some(arg) = args.next() {
        match arg.as_str() {
            "--rounds" => {
                rounds = args
                    .next()
                    .and_then(|n| n.parse().ok())
                    .expect("--rounds N")
            }
            other => panic!("unknown argument {other}; use --rounds N"),
        }
    }
    let bot_exe = build_bot();
    let mut backends: Vec<(&str, Vec<(&str, String)>)> = vec![("SQLite", vec![])];
    match std::env::var("CLIO_BENCH_DATABASE_URL")
        .or_else(|_| std::env::var("CLIO_TEST_DATABASE_URL"))
    {
        Ok(admin) => backends.push((
            "PostgreSQL",
            vec![("CLIO_DATA__DATABASE_URL", fresh_database(&admin))],
        )),
        Err(_) => {
            eprintln!("PostgreSQL skipped: set CLIO_BENCH_DATABASE_URL or CLIO_TEST_DATABASE_URL")
        }
    }
    println!(
        "press -> confirmation (the answer stored first), {PLAYERS} players pressing at once, {rounds} rounds:"
    );
    for (name, env) in backends {
        let (mut all, refused) = measure(&bot_exe, name, &env, rounds);
        all.sort();
        println!(
            "  {name:<11} p50 {}  p99 {}  max {}  ({} presses, {refused} not confirmed)",
            ms(percentile(&all, 0.5)),
            ms(percentile(&all, 0.99)),
            ms(*all.last().unwrap()),
            all.len()
        );
    }
}
