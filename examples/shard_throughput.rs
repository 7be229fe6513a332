//! Interactions per second: one `clio run` running both shards of 2, against two processes
//! running one shard each (ranges `0..1` and `1..2`) over one shared data directory.
//!
//! The real bot (built as `cargo build --bin clio` in this example's profile) against the fake
//! Discord from `tests/fake_discord`, which sends each guild's interactions on its shard's
//! connection. Lookups (`/who`, `/event`, `/search`) alternate between a guild on shard 0 and one
//! on shard 1 and are sent in bursts without waiting for answers; the rate is the interactions
//! answered over the time from the first sent to the last callback received (both stamped inside
//! the fake). The fake runs on one thread of the same machine, so on a small machine it shares
//! the CPU with the bots: compare the two rows with each other, not with Discord.
//!
//! ```sh
//! cargo run --release --example shard_throughput                  # 4000 interactions, bursts of 400
//! cargo run --release --example shard_throughput -- --count 10000 --burst 1000
//! ```

use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::Instant;

#[path = "../tests/fake_discord/mod.rs"]
mod fake_discord;

use fake_discord::{
    in_guild, FakeDiscord, API, CHANNEL_ID, GUILD_ID, SHARD0_CHANNEL_ID, SHARD0_GUILD_ID, TOKEN,
};

struct Options {
    count: usize,
    burst: usize,
}

fn options() -> Options {
    let mut o = Options {
        count: 4000,
        burst: 400,
    };
    let mut args = std::env::args().skip(1);
    while let Some(arg) = args.next() {
        let mut number = |what: &str| {
            args.next()
                .and_then(|n| n.parse().ok())
                .unwrap_or_else(|| panic!("{what} N (a positive number)"))
        };
        match arg.as_str() {
            "--count" => o.count = number("--count"),
            "--burst" => o.burst = number("--burst"),
            other => panic!("unknown argument {other}; use --count N, --burst N"),
        }
    }
    assert!(o.count >= 100 && o.burst >= 1, "--count at least 100");
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
            "warning: a debug build; measure with `cargo run --release --example shard_throughput`"
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

fn spawn(exe: &Path, fake: &FakeDiscord, dir: &Path, name: &str, range: &str) -> Child {
    let work = dir.join(name);
    std::fs::create_dir_all(&work).unwrap();
    Command::new(exe)
        .arg("run")
        .current_dir(&work)
        .env_clear()
        .env("DISCORD_TOKEN", TOKEN)
        .env("DISCORD_API_BASE", fake.api_base())
        .env(
            "CLIO_KNOWLEDGE_DIR",
            Path::new(env!("CARGO_MANIFEST_DIR")).join("knowledge"),
        )
        .env("CLIO_DATA_DIR", dir.join("data"))
        .env("CLIO_DISCORD__SHARDS", "2")
        .env("CLIO_DISCORD__SHARD_RANGE", range)
        // One log line per interaction would measure the pipe; errors only.
        .env("CLIO_LOG__FILTER", "error")
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("clio run starts")
}

/// Send `count` lookups in bursts of `burst`, alternating the two guilds; interactions per second.
fn measure(fake: &FakeDiscord, count: usize, burst: usize) -> f64 {
    let lookups: [(&str, &str, &str); 3] = [
        ("who", "name", "Anders"),
        ("event", "query", "1939-09-17"),
        ("search", "text", "pact"),
    ];
    let callbacks = |requests: &[fake_discord::Recorded]| {
        requests
            .iter()
            .filter(|r| r.method == "POST" && r.path.starts_with(&format!("{API}/interactions/")))
            .count()
    };
    let before = callbacks(&fake.requests());
    let started = Instant::now();
    let mut sent = 0;
    while sent < count {
        let n = burst.min(count - sent);
        for i in sent..sent + n {
            let (name, option, value) = lookups[i % lookups.len()];
            let (guild, channel) = if i % 2 == 0 {
                (SHARD0_GUILD_ID, SHARD0_CHANNEL_ID)
            } else {
                (GUILD_ID, CHANNEL_ID)
            };
            let interaction = in_guild(
                fake.command(name, &[(option, value)], "en-US"),
                guild,
                channel,
            );
            fake.dispatch("INTERACTION_CREATE", interaction, None);
        }
        sent += n;
        let want = before + sent;
        fake.wait_requests("the burst's callbacks", |r| {
            (callbacks(r) >= want).then_some(())
        });
    }
    count as f64 / started.elapsed().as_secs_f64()
}

fn run(exe: &Path, opts: &Options, ranges: &[&str]) -> f64 {
    let fake = FakeDiscord::start();
    fake.add_guild(SHARD0_GUILD_ID);
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("target/tmp/shard_throughput")
        .join(ranges.len().to_string());
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    let mut children: Vec<Child> = ranges
        .iter()
        .enumerate()
        .map(|(i, range)| spawn(exe, &fake, &dir, &format!("p{i}"), range))
        .collect();
    fake.wait_shard_ready(0, 0);
    fake.wait_shard_ready(1, 0);
    fake.wait_registration();
    // Warm up both processes' caches and connections.
    measure(&fake, 100, 50);
    let rate = measure(&fake, opts.count, opts.burst);
    for child in &mut children {
        let _ = child.kill();
        let _ = child.wait();
    }
    rate
}

fn main() {
    let opts = options();
    let exe = build_bot();
    let one = run(&exe, &opts, &["0..2"]);
    let two = run(&exe, &opts, &["0..1", "1..2"]);
    let cores = std::thread::available_parallelism().map_or(0, |n| n.get());
    println!(
        "{} lookups in bursts of {}, 2 shards, {cores} cores:",
        opts.count, opts.burst
    );
    println!("  one process, shards 0..2     {one:>8.0} interactions/s");
    println!("  two processes, 0..1 and 1..2 {two:>8.0} interactions/s");
}
