//! How fast does `clio run` answer, and how much memory does it hold?
//!
//! Runs the real bot (built as `cargo build --bin clio` in this example's profile) against the
//! fake Discord from `tests/fake_discord`, sends it interactions one at a time, and measures the
//! bot's own time for each: from the INTERACTION_CREATE frame leaving the fake to the callback
//! POST arriving back, both stamped inside the fake. Then it reads the bot's resident memory from
//! /proc. Goals on the 2-core reference machine: p99 under 2 ms, memory under 25 MB.
//!
//! ```sh
//! cargo run --release --example bot_latency                 # the shipped pack, 2000 interactions
//! cargo run --release --example bot_latency -- --knowledge tests/fixtures/search --count 5000
//! ```

use std::io::Read;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::Duration;

use serde_json::Value;

#[path = "../tests/fake_discord/mod.rs"]
mod fake_discord;

use fake_discord::{FakeDiscord, TOKEN};

struct Options {
    knowledge: PathBuf,
    count: usize,
}

fn options() -> Options {
    let mut o = Options {
        knowledge: PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("knowledge"),
        count: 2000,
    };
    let mut args = std::env::args().skip(1);
    while let Some(arg) = args.next() {
        match arg.as_str() {
            "--knowledge" => o.knowledge = PathBuf::from(args.next().expect("--knowledge DIR")),
            "--count" => {
                o.count = args
                    .next()
                    .and_then(|n| n.parse().ok())
                    .expect("--count N (at least 1000)")
            }
            other => panic!("unknown argument {other}; use --knowledge DIR, --count N"),
        }
    }
    o
}

/// Build `clio` in this example's profile and return its path.
fn build_bot() -> PathBuf {
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
            "warning: a debug build; measure with `cargo run --release --example bot_latency`"
        );
    }
    assert!(
        build.status().expect("cargo runs").success(),
        "building clio failed"
    );
    let exe = std::env::current_exe().expect("this example's path");
    // target/<profile>/examples/bot_latency -> target/<profile>/clio
    exe.parent()
        .and_then(Path::parent)
        .expect("target/<profile>")
        .join(format!("clio{}", std::env::consts::EXE_SUFFIX))
}

fn rss_kib(pid: u32, field: &str) -> Option<u64> {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).ok()?;
    status
        .lines()
        .find(|l| l.starts_with(field))?
        .split_whitespace()
        .nth(1)?
        .parse()
        .ok()
}

fn percentile(sorted: &[Duration], p: f64) -> Duration {
    let i = ((sorted.len() as f64 - 1.0) * p).round() as usize;
    sorted[i.min(sorted.len() - 1)]
}

fn ms(d: Duration) -> String {
    format!("{:.3} ms", d.as_secs_f64() * 1000.0)
}

fn main() {
    let opts = options();
    assert!(opts.count >= 1000, "measure at least 1000 interactions");
    let bot_exe = build_bot();
    let fake = FakeDiscord::start();
    let workdir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("target/tmp/bot_latency");
    std::fs::create_dir_all(&workdir).unwrap();

    let mut child = Command::new(&bot_exe)
        .arg("run")
        .current_dir(&workdir)
        .env_clear()
        .env("DISCORD_TOKEN", TOKEN)
        .env("DISCORD_API_BASE", fake.api_base())
        .env("CLIO_KNOWLEDGE_DIR", &opts.knowledge)
        .env("CLIO_DATA_DIR", workdir.join("data"))
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .expect("the bot starts");
    let pid = child.id();
    // Drain the log (one line per interaction) so the bot never blocks on a full pipe.
    let mut stderr = child.stderr.take().unwrap();
    let log = std::thread::spawn(move || {
        let mut text = String::new();
        let _ = stderr.read_to_string(&mut text);
        text
    });

    while fake.ready_connection().is_none() {
        if let Some(status) = child.try_wait().expect("the bot's status") {
            let log = log.join().unwrap_or_default();
            panic!("the bot exited ({status}) before connecting:\n{log}");
        }
        std::thread::sleep(Duration::from_millis(20));
    }
    fake.wait_registration();
    std::thread::sleep(Duration::from_millis(300));
    let rss_connected = rss_kib(pid, "VmRSS:");

    // A card with buttons, to press them.
    let (card, _) = fake.interact(fake.command("event", &[("query", "1939-09-17")], "en-US"));
    let mut buttons: Vec<String> = card["data"]["components"]
        .as_array()
        .into_iter()
        .flatten()
        .flat_map(|row| row["components"].as_array().cloned().unwrap_or_default())
        .filter_map(|b| b["custom_id"].as_str().map(String::from))
        .collect();
    if buttons.is_empty() {
        buttons.push("r:any".into());
    }

    type Make<'a> = Box<dyn Fn(&FakeDiscord, usize) -> Value + 'a>;
    let card_data = card["data"].clone();
    let mix: Vec<(&str, Make)> = vec![
        (
            "command",
            Box::new(|f, _| f.command("who", &[("name", "Anders")], "en-US")),
        ),
        (
            "command",
            Box::new(|f, _| f.command("event", &[("query", "1939-09-17")], "pl")),
        ),
        (
            "command",
            Box::new(|f, _| f.command("search", &[("text", "pact")], "en-US")),
        ),
        (
            "command",
            Box::new(|f, _| f.command("timeline", &[("from", "1939-09-01")], "en-US")),
        ),
        (
            "command",
            Box::new(|f, _| f.command("onthisday", &[], "en-US")),
        ),
        (
            "command",
            Box::new(|f, _| f.command("who", &[("name", "Qwerty Asdfgh")], "en-US")),
        ),
        (
            "autocomplete",
            Box::new(|f, _| f.autocomplete("who", ("name", "sik"), "en-US")),
        ),
        (
            "autocomplete",
            Box::new(|f, _| f.autocomplete("event", ("query", "bitwa"), "pl")),
        ),
        (
            "autocomplete",
            Box::new(|f, _| f.autocomplete("timeline", ("from", "1939-09"), "en-US")),
        ),
        (
            "autocomplete",
            Box::new(|f, _| f.autocomplete("search", ("text", ""), "en-US")),
        ),
        (
            "button",
            Box::new(move |f, i| f.button(&buttons[i % buttons.len()], &card_data, "en-US")),
        ),
    ];

    // Warm up: connections, caches, the allocator.
    for i in 0..200 {
        let (_, make) = &mix[i % mix.len()];
        fake.interact(make(&fake, i));
    }

    let mut all = Vec::with_capacity(opts.count);
    let mut by_kind: std::collections::BTreeMap<&str, Vec<Duration>> = Default::default();
    for i in 0..opts.count {
        let (kind, make) = &mix[i % mix.len()];
        let (body, latency) = fake.interact(make(&fake, i));
        assert!(
            body["type"].is_u64(),
            "a callback for every interaction: {body}"
        );
        all.push(latency);
        by_kind.entry(kind).or_default().push(latency);
    }
    let rss_after = rss_kib(pid, "VmRSS:");
    let hwm = rss_kib(pid, "VmHWM:");

    let _ = Command::new("kill")
        .args(["-TERM", &pid.to_string()])
        .status();
    let status = child.wait().expect("the bot exits");
    let log = log.join().unwrap_or_default();

    all.sort();
    println!(
        "bot latency, INTERACTION_CREATE sent -> callback received, {} interactions ({}):",
        all.len(),
        opts.knowledge.display()
    );
    println!(
        "  all           median {}  p90 {}  p99 {}  max {}",
        ms(percentile(&all, 0.5)),
        ms(percentile(&all, 0.9)),
        ms(percentile(&all, 0.99)),
        ms(*all.last().unwrap())
    );
    for (kind, mut v) in by_kind {
        v.sort();
        println!(
            "  {kind:<13} median {}  p99 {}  ({} samples)",
            ms(percentile(&v, 0.5)),
            ms(percentile(&v, 0.99)),
            v.len()
        );
    }
    let mib = |k: Option<u64>| {
        k.map_or("unknown".into(), |k| {
            format!("{:.1} MiB", k as f64 / 1024.0)
        })
    };
    println!(
        "bot memory: VmRSS {} once connected, {} after the run (peak {})",
        mib(rss_connected),
        mib(rss_after),
        mib(hwm)
    );
    println!("bot exit after SIGTERM: {status}");
    if !status.success() {
        eprintln!("bot log:\n{log}");
    }
    let p99 = percentile(&all, 0.99);
    let goals = [
        (
            p99 < Duration::from_millis(2),
            format!("p99 {} < 2 ms", ms(p99)),
        ),
        (
            rss_after.is_some_and(|k| k * 1024 < 25_000_000),
            format!("memory {} < 25 MB", mib(rss_after)),
        ),
    ];
    for (met, goal) in goals {
        println!("goal {}: {goal}", if met { "met" } else { "MISSED" });
    }
}
