//! How fast does `clio run` answer, next to a bare poise bot, and how much memory does it hold?
//!
//! Runs the real bot (`clio run`, built in this example's profile) and the bare poise bot of
//! `examples/bare_bot.rs` (one slash command answering an embed and a button, the same crates),
//! each against its own fake Discord from `tests/fake_discord`, and sends them interactions
//! alternately, one at a time, so both see the same machine at the same moment. For each it
//! measures the bot's own time: from the INTERACTION_CREATE frame leaving the fake to the callback
//! POST arriving back, both stamped inside the fake. It also times process start to the IDENTIFY
//! frame (the median of a few starts each; Clio's first start is shown apart: with no record of
//! the pack having validated, it validates before connecting), and reads each bot's resident memory from /proc once
//! connected and again after the run (the code its traffic runs is resident by then), with where
//! it goes (by mapping, from /proc/PID/smaps).
//!
//! Goals (issue #14), on the 2-core reference machine, with the default configuration: p50 and
//! p99 within 1.2× of the bare bot; start to IDENTIFY under 2× the bare bot's; Clio's resident
//! memory once connected, with the shipped pack, under 15 MB.
//!
//! ```sh
//! cargo run --release --example bot_latency                 # the shipped pack, 2000 interactions
//! cargo run --release --example bot_latency -- --knowledge tests/fixtures/search --count 5000
//! ```

use std::collections::BTreeMap;
use std::io::Read;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use serde_json::Value;

#[path = "../tests/fake_discord/mod.rs"]
mod fake_discord;

use fake_discord::{FakeDiscord, TOKEN};

struct Options {
    knowledge: PathBuf,
    count: usize,
    starts: usize,
    /// Use the `clio` and `bare_bot` next to this example as they are (figures of an older build).
    prebuilt: bool,
    /// Run this `clio` instead (an older build, or one under a profiler, as `link/hot-code.sh` does).
    clio: Option<PathBuf>,
}

fn options() -> Options {
    let mut o = Options {
        knowledge: PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("knowledge"),
        count: 2000,
        starts: 5,
        prebuilt: false,
        clio: None,
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
            "--starts" => {
                o.starts = args
                    .next()
                    .and_then(|n| n.parse().ok())
                    .expect("--starts N (at least 1)")
            }
            "--prebuilt" => o.prebuilt = true,
            "--clio" => o.clio = Some(PathBuf::from(args.next().expect("--clio PATH"))),
            other => {
                panic!(
                    "unknown argument {other}; use --knowledge DIR, --count N, --starts N, \
                     --prebuilt, --clio PATH"
                )
            }
        }
    }
    o
}

/// Build `clio` and the bare bot in this example's profile and return their paths.
fn build_bots(prebuilt: bool) -> (PathBuf, PathBuf) {
    let release = !cfg!(debug_assertions);
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".into());
    if !release {
        eprintln!(
            "warning: a debug build; measure with `cargo run --release --example bot_latency`"
        );
    }
    // `clio` alone, as `cargo build --release` and the Dockerfile build it: built together with
    // an example, its dependencies take the dev-dependencies' features too, and its functions
    // other names than `link/hot-code.order` lists (see build.rs).
    for target in [["--example", "bare_bot"], ["--bin", "clio"]] {
        let mut build = Command::new(&cargo);
        build
            .current_dir(env!("CARGO_MANIFEST_DIR"))
            .args(["build", "--quiet"])
            .args(target);
        if release {
            build.arg("--release");
        }
        assert!(
            prebuilt || build.status().expect("cargo runs").success(),
            "building {} failed",
            target[1]
        );
    }
    let exe = std::env::current_exe().expect("this example's path");
    // target/<profile>/examples/bot_latency -> target/<profile>/clio, .../examples/bare_bot
    let examples = exe.parent().expect("target/<profile>/examples");
    let profile = examples.parent().expect("target/<profile>");
    let suffix = std::env::consts::EXE_SUFFIX;
    (
        profile.join(format!("clio{suffix}")),
        examples.join(format!("bare_bot{suffix}")),
    )
}

fn status_kib(pid: u32, field: &str) -> Option<u64> {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).ok()?;
    status
        .lines()
        .find(|l| l.starts_with(field))?
        .split_whitespace()
        .nth(1)?
        .parse()
        .ok()
}

/// Resident memory by what holds it: the program's own file (code and constants), shared
/// libraries, the main heap, thread stacks and other anonymous memory (malloc's thread arenas).
fn smaps_breakdown(pid: u32) -> Vec<(String, u64)> {
    let Ok(smaps) = std::fs::read_to_string(format!("/proc/{pid}/smaps")) else {
        return Vec::new();
    };
    let stacks = thread_stack_ranges(pid);
    let mut by: BTreeMap<String, u64> = BTreeMap::new();
    let mut current = String::new();
    for line in smaps.lines() {
        let mut parts = line.split_whitespace();
        let first = parts.next().unwrap_or("");
        if first.contains('-') && first.chars().next().is_some_and(|c| c.is_ascii_hexdigit()) {
            let perms = parts.next().unwrap_or("");
            let path = line.split_whitespace().nth(5).unwrap_or("");
            let start =
                u64::from_str_radix(first.split('-').next().unwrap_or("0"), 16).unwrap_or(0);
            current = if path.ends_with("/clio") || path.ends_with("/bare_bot") {
                "the program's file (code, constants)".into()
            } else if path.contains(".so") {
                "shared libraries".into()
            } else if path == "[heap]" {
                "main heap (brk)".into()
            } else if path == "[stack]" {
                "main thread stack".into()
            } else if path.starts_with('[') {
                format!("kernel {path}")
            } else if stacks.iter().any(|(a, b)| start >= *a && start < *b) {
                "thread stacks".into()
            } else if perms.starts_with("---") {
                "guard pages".into()
            } else {
                "anonymous (thread arenas, large allocations, stacks)".into()
            };
        } else if first == "Rss:" {
            let kib: u64 = parts.next().and_then(|n| n.parse().ok()).unwrap_or(0);
            *by.entry(current.clone()).or_default() += kib;
        }
    }
    by.into_iter().filter(|(_, k)| *k > 0).collect()
}

/// The address ranges holding each thread's stack pointer (from /proc/PID/task/*/stat).
fn thread_stack_ranges(pid: u32) -> Vec<(u64, u64)> {
    let Ok(maps) = std::fs::read_to_string(format!("/proc/{pid}/maps")) else {
        return Vec::new();
    };
    let ranges: Vec<(u64, u64)> = maps
        .lines()
        .filter_map(|l| {
            let (a, b) = l.split_whitespace().next()?.split_once('-')?;
            Some((
                u64::from_str_radix(a, 16).ok()?,
                u64::from_str_radix(b, 16).ok()?,
            ))
        })
        .collect();
    let Ok(tasks) = std::fs::read_dir(format!("/proc/{pid}/task")) else {
        return Vec::new();
    };
    tasks
        .flatten()
        .filter_map(|t| {
            let stat = std::fs::read_to_string(t.path().join("stat")).ok()?;
            // Field 29 is kstkesp; after the command name in parentheses.
            let rest = stat.rsplit_once(')')?.1;
            let sp: u64 = rest.split_whitespace().nth(26)?.parse().ok()?;
            ranges.iter().copied().find(|(a, b)| sp >= *a && sp < *b)
        })
        .collect()
}

fn percentile(sorted: &[Duration], p: f64) -> Duration {
    let i = ((sorted.len() as f64 - 1.0) * p).round() as usize;
    sorted[i.min(sorted.len() - 1)]
}

fn us(d: Duration) -> String {
    format!("{:.0} µs", d.as_secs_f64() * 1e6)
}

fn mib(k: Option<u64>) -> String {
    k.map_or("unknown".into(), |k| {
        format!("{:.1} MiB", k as f64 / 1024.0)
    })
}

/// One bot process against its own fake Discord.
struct Running {
    fake: FakeDiscord,
    child: Child,
    pid: u32,
    log: std::thread::JoinHandle<String>,
    /// Process start to the IDENTIFY frame arriving at the fake.
    to_identify: Duration,
}

fn launch(exe: &Path, envs: &[(&str, &Path)], workdir: &Path) -> Running {
    let fake = FakeDiscord::start();
    let mut command = Command::new(exe);
    command
        .current_dir(workdir)
        .env_clear()
        .env("DISCORD_TOKEN", TOKEN)
        .env("DISCORD_API_BASE", fake.api_base())
        .stdout(Stdio::null())
        .stderr(Stdio::piped());
    if exe.file_stem().is_some_and(|s| s == "clio") {
        command.arg("run");
    }
    for (k, v) in envs {
        command.env(k, v);
    }
    let started = Instant::now();
    let mut child = command.spawn().expect("the bot starts");
    let pid = child.id();
    // Drain the log (a line per interaction) so the bot never blocks on a full pipe.
    let mut stderr = child.stderr.take().unwrap();
    let log = std::thread::spawn(move || {
        let mut text = String::new();
        let _ = stderr.read_to_string(&mut text);
        text
    });
    while fake.ready_connection().is_none() {
        if let Some(status) = child.try_wait().expect("the bot's status") {
            let log = log.join().unwrap_or_default();
            panic!(
                "{} exited ({status}) before connecting:\n{log}",
                exe.display()
            );
        }
        std::thread::sleep(Duration::from_millis(5));
    }
    let identify = fake.wait_frame("IDENTIFY", |f| f.op == 2);
    let to_identify = identify.at.saturating_duration_since(started);
    Running {
        fake,
        child,
        pid,
        log,
        to_identify,
    }
}

impl Running {
    fn stop(mut self) -> String {
        let _ = Command::new("kill")
            .args(["-TERM", &self.pid.to_string()])
            .status();
        let status = self.child.wait().expect("the bot exits");
        let log = self.log.join().unwrap_or_default();
        if !status.success() {
            eprintln!("bot exit after SIGTERM: {status}; its log:\n{log}");
        }
        log
    }
}

type Make = Box<dyn Fn(&FakeDiscord, usize) -> Value>;

/// Clio's mix of interactions: commands of each kind, autocompletes and a button press.
fn clio_mix(fake: &FakeDiscord) -> Vec<(&'static str, Make)> {
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
    let card_data = card["data"].clone();
    vec![
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
    ]
}

/// The bare bot's: its one command, and its button.
fn bare_mix(fake: &FakeDiscord) -> Vec<(&'static str, Make)> {
    let (card, _) = fake.interact(fake.command("fact", &[], "en-US"));
    let card_data = card["data"].clone();
    vec![
        ("command", Box::new(|f, _| f.command("fact", &[], "en-US"))),
        ("command", Box::new(|f, _| f.command("fact", &[], "pl"))),
        (
            "button",
            Box::new(move |f, _| f.button("bare:more", &card_data, "en-US")),
        ),
    ]
}

#[derive(Default)]
struct Latencies {
    all: Vec<Duration>,
    by_kind: BTreeMap<&'static str, Vec<Duration>>,
}

impl Latencies {
    fn add(&mut self, kind: &'static str, d: Duration) {
        self.all.push(d);
        self.by_kind.entry(kind).or_default().push(d);
    }
    fn sort(&mut self) {
        self.all.sort();
        for v in self.by_kind.values_mut() {
            v.sort();
        }
    }
}

fn median(mut v: Vec<Duration>) -> Duration {
    v.sort();
    v[v.len() / 2]
}

fn main() {
    let opts = options();
    assert!(opts.count >= 1000, "measure at least 1000 interactions");
    assert!(opts.starts >= 1, "at least one start");
    let (clio_exe, bare_exe) = build_bots(opts.prebuilt);
    let clio_exe = opts.clio.clone().unwrap_or(clio_exe);
    let workdir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("target/tmp/bot_latency");
    std::fs::create_dir_all(&workdir).unwrap();
    let data = workdir.join("data");
    let clio_env: [(&str, &Path); 2] = [
        ("CLIO_KNOWLEDGE_DIR", &opts.knowledge),
        ("CLIO_DATA_DIR", &data),
    ];

    // Start to IDENTIFY: alternate the two, a few starts each; the last pair stays to be measured.
    // Clio's first start here has no record of this pack having validated (it validates before
    // connecting); the later ones connect while they load it.
    let _ = std::fs::remove_file(data.join(clio::knowledge::ValidatedMark::FILE_NAME));
    let mut clio_starts = Vec::new();
    let mut bare_starts = Vec::new();
    let (mut clio, mut bare) = (None, None);
    for n in 0..opts.starts {
        let b = launch(&bare_exe, &[], &workdir);
        bare_starts.push(b.to_identify);
        let c = launch(&clio_exe, &clio_env, &workdir);
        clio_starts.push(c.to_identify);
        if n + 1 == opts.starts {
            (clio, bare) = (Some(c), Some(b));
        } else {
            c.stop();
            b.stop();
        }
    }
    let (clio, bare) = (clio.unwrap(), bare.unwrap());
    clio.fake.wait_registration();
    bare.fake.wait_registration();
    std::thread::sleep(Duration::from_millis(300));
    let clio_rss = status_kib(clio.pid, "VmRSS:");
    let bare_rss = status_kib(bare.pid, "VmRSS:");
    let clio_smaps = smaps_breakdown(clio.pid);
    let bare_smaps = smaps_breakdown(bare.pid);
    let threads = |pid: u32| status_kib(pid, "Threads:").unwrap_or(0);
    let (clio_threads, bare_threads) = (threads(clio.pid), threads(bare.pid));

    let clio_kinds = clio_mix(&clio.fake);
    let bare_kinds = bare_mix(&bare.fake);
    // Warm up: connections, caches, the allocator.
    for i in 0..200 {
        clio.fake
            .interact((clio_kinds[i % clio_kinds.len()].1)(&clio.fake, i));
        bare.fake
            .interact((bare_kinds[i % bare_kinds.len()].1)(&bare.fake, i));
    }
    let mut c = Latencies::default();
    let mut b = Latencies::default();
    for i in 0..opts.count {
        // Alternate which goes first, so neither always follows the other.
        let run_clio = |c: &mut Latencies| {
            let (kind, make) = &clio_kinds[i % clio_kinds.len()];
            let (body, latency) = clio.fake.interact(make(&clio.fake, i));
            assert!(
                body["type"].is_u64(),
                "a callback for every interaction: {body}"
            );
            c.add(kind, latency);
        };
        let run_bare = |b: &mut Latencies| {
            let (kind, make) = &bare_kinds[i % bare_kinds.len()];
            let (body, latency) = bare.fake.interact(make(&bare.fake, i));
            assert!(
                body["type"].is_u64(),
                "a callback for every interaction: {body}"
            );
            b.add(kind, latency);
        };
        if i % 2 == 0 {
            run_clio(&mut c);
            run_bare(&mut b);
        } else {
            run_bare(&mut b);
            run_clio(&mut c);
        }
    }
    let clio_after = status_kib(clio.pid, "VmRSS:");
    let bare_after = status_kib(bare.pid, "VmRSS:");
    let clio_smaps_after = smaps_breakdown(clio.pid);
    let bare_smaps_after = smaps_breakdown(bare.pid);
    clio.stop();
    bare.stop();
    c.sort();
    b.sort();

    let clio_first = clio_starts[0];
    // The later starts (or the only one, with `--starts 1`).
    let clio_start = median(clio_starts[clio_starts.len().min(2) - 1..].to_vec());
    let bare_start = median(bare_starts);
    println!(
        "INTERACTION_CREATE sent -> callback received, {} interactions each, alternately; \
         Clio with {}",
        opts.count,
        opts.knowledge.display()
    );
    println!(
        "{:<36} {:>12} {:>12} {:>7}",
        "", "Clio", "bare bot", "ratio"
    );
    let row = |name: &str, x: Duration, y: Duration| {
        println!(
            "{name:<36} {:>12} {:>12} {:>6.2}×",
            us(x),
            us(y),
            x.as_secs_f64() / y.as_secs_f64().max(1e-9)
        );
    };
    let (p50, p99) = (
        (percentile(&c.all, 0.5), percentile(&b.all, 0.5)),
        (percentile(&c.all, 0.99), percentile(&b.all, 0.99)),
    );
    row("all, p50", p50.0, p50.1);
    row("all, p99", p99.0, p99.1);
    row("all, max", *c.all.last().unwrap(), *b.all.last().unwrap());
    for kind in ["command", "button"] {
        if let (Some(x), Some(y)) = (c.by_kind.get(kind), b.by_kind.get(kind)) {
            row(
                &format!("{kind}, p50"),
                percentile(x, 0.5),
                percentile(y, 0.5),
            );
            row(
                &format!("{kind}, p99"),
                percentile(x, 0.99),
                percentile(y, 0.99),
            );
        }
    }
    if let Some(x) = c.by_kind.get("autocomplete") {
        println!(
            "{:<36} {:>12} {:>12}",
            "autocomplete, p50 / p99 (Clio only)",
            us(percentile(x, 0.5)),
            us(percentile(x, 0.99))
        );
    }
    let start_row = |name: String, x: Duration| {
        println!(
            "{name:<36} {:>12} {:>12} {:>6.2}×",
            format!("{:.1} ms", x.as_secs_f64() * 1e3),
            format!("{:.1} ms", bare_start.as_secs_f64() * 1e3),
            x.as_secs_f64() / bare_start.as_secs_f64().max(1e-9)
        );
    };
    if opts.starts > 1 {
        start_row(
            format!("start -> IDENTIFY (median of {})", opts.starts - 1),
            clio_start,
        );
    }
    start_row(
        "  first start (pack validated first)".to_string(),
        clio_first,
    );
    let ratio = |x: Option<u64>, y: Option<u64>| match (x, y) {
        (Some(x), Some(y)) => format!("{:.2}×", x as f64 / y as f64),
        _ => "?".into(),
    };
    println!(
        "{:<36} {:>12} {:>12} {:>7}",
        "VmRSS once connected",
        mib(clio_rss),
        mib(bare_rss),
        ratio(clio_rss, bare_rss)
    );
    println!(
        "{:<36} {:>12} {:>12} {:>7}",
        "VmRSS after the run",
        mib(clio_after),
        mib(bare_after),
        ratio(clio_after, bare_after)
    );
    println!(
        "{:<36} {:>12} {:>12}",
        "threads", clio_threads, bare_threads
    );
    println!(
        "resident memory by mapping, once connected (Clio | bare bot) and after the run \
         (Clio | bare bot):"
    );
    let mut names: Vec<&String> = [
        &clio_smaps,
        &bare_smaps,
        &clio_smaps_after,
        &bare_smaps_after,
    ]
    .into_iter()
    .flatten()
    .map(|(n, _)| n)
    .collect();
    names.sort();
    names.dedup();
    let of = |v: &[(String, u64)], n: &str| {
        mib(v.iter().find(|(m, _)| m == n).map(|(_, k)| *k).or(Some(0)))
    };
    for n in names {
        println!(
            "  {n:<54} {:>10} {:>10} {:>10} {:>10}",
            of(&clio_smaps, n),
            of(&bare_smaps, n),
            of(&clio_smaps_after, n),
            of(&bare_smaps_after, n),
        );
    }

    let within = |x: Duration, y: Duration, r: f64| x.as_secs_f64() <= y.as_secs_f64() * r;
    let goals = [
        (
            within(p50.0, p50.1, 1.2),
            "p50 within 1.2× of the bare bot's".to_string(),
        ),
        (
            within(p99.0, p99.1, 1.2),
            "p99 within 1.2× of the bare bot's".to_string(),
        ),
        (
            within(clio_start, bare_start, 2.0),
            "start -> IDENTIFY under 2× the bare bot's".to_string(),
        ),
        (
            clio_rss.is_some_and(|k| k * 1024 < 15_000_000),
            format!("memory once connected {} < 15 MB", mib(clio_rss)),
        ),
        (
            clio_after.is_some_and(|k| k * 1024 < 15_000_000),
            format!(
                "memory after {} interactions {} < 15 MB",
                opts.count + 200,
                mib(clio_after)
            ),
        ),
    ];
    for (met, goal) in goals {
        println!("goal {}: {goal}", if met { "met" } else { "MISSED" });
    }
}
