//! What a knowledge base costs as it grows: load time and memory per 1,000 entries, autocomplete,
//! and what a live reload does to lookups in flight and to memory.
//!
//! For generated packs (`benches/generate`, written as several files) of 1,000, 10,000 and
//! 100,000 entries, each measured in a fresh process of its own (so one size's memory never
//! counts toward another's):
//! - load: `KnowledgeBase::load` of the directory, time and resident memory (VmRSS) it adds;
//! - autocomplete: the slowest of repeated calls, for an empty field and for typed text;
//! - reload: a thread looks names up without pause while the pack is reloaded ten times, each
//!   time after an edit of one of its files (one entry's summary, in the next file each time), as
//!   an author's edit is; the stall is how much longer its slowest lookup took during the reloads
//!   than before them; resident memory after one and after ten reloads, and the peak sampled
//!   during them.
//!
//! Goals (issue #14): under 1.5 MB and 10 ms of load per 1,000 entries; a reload stall under
//! 5 ms at 100,000; memory after ten reloads within 10% of after one; a peak during a reload at
//! most 1.5× steady; every autocomplete under 1 ms at 100,000.
//!
//! ```sh
//! cargo run --release --example knowledge_bench              # 1,000, 10,000 and 100,000
//! cargo run --release --example knowledge_bench -- 20000     # other sizes
//! ```

use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

use clio::i18n::Locale;
use clio::knowledge::{KnowledgeBase, LiveKnowledge, ReloadOutcome};

#[path = "../benches/generate/mod.rs"]
mod generate;

/// The generated pack is split into this many files, as a real pack is.
const FILES: usize = 8;

fn rss_kib() -> u64 {
    let status = std::fs::read_to_string("/proc/self/status").unwrap_or_default();
    status
        .lines()
        .find(|l| l.starts_with("VmRSS:"))
        .and_then(|l| l.split_whitespace().nth(1))
        .and_then(|n| n.parse().ok())
        .unwrap_or(0)
}

/// This process's CPU time so far (user and system, all threads): what a load costs whatever
/// else the machine runs.
fn cpu_time() -> Duration {
    // SAFETY: getrusage writes into the struct we pass and keeps no pointer.
    let usage = unsafe {
        let mut usage: libc::rusage = std::mem::zeroed();
        libc::getrusage(libc::RUSAGE_SELF, &mut usage);
        usage
    };
    let tv = |t: libc::timeval| Duration::new(t.tv_sec as u64, t.tv_usec as u32 * 1000);
    tv(usage.ru_utime) + tv(usage.ru_stime)
}

/// The CPU time of the calling thread: how long a lookup itself ran, apart from waiting.
fn thread_cpu_ns() -> u64 {
    let mut ts = libc::timespec {
        tv_sec: 0,
        tv_nsec: 0,
    };
    // SAFETY: clock_gettime writes into the struct we pass and keeps no pointer.
    unsafe { libc::clock_gettime(libc::CLOCK_THREAD_CPUTIME_ID, &mut ts) };
    ts.tv_sec as u64 * 1_000_000_000 + ts.tv_nsec as u64
}

/// How often the calling thread was switched out so far: [waiting (voluntary), preempted].
fn thread_switches() -> [u64; 2] {
    // SAFETY: getrusage writes into the struct we pass and keeps no pointer.
    let usage = unsafe {
        let mut usage: libc::rusage = std::mem::zeroed();
        libc::getrusage(libc::RUSAGE_THREAD, &mut usage);
        usage
    };
    [usage.ru_nvcsw as u64, usage.ru_nivcsw as u64]
}

/// The machine's steal time so far, all CPUs (`/proc/stat`): time the host ran something else
/// while this virtual machine's CPUs had work.
fn steal() -> Duration {
    let stat = std::fs::read_to_string("/proc/stat").unwrap_or_default();
    let ticks: u64 = stat
        .lines()
        .next()
        .and_then(|cpu| cpu.split_whitespace().nth(8))
        .and_then(|n| n.parse().ok())
        .unwrap_or(0);
    // SAFETY: sysconf only reads a setting.
    let per_second = unsafe { libc::sysconf(libc::_SC_CLK_TCK) }.max(1) as u64;
    Duration::from_millis(ticks * 1000 / per_second)
}

fn mb(kib: u64) -> f64 {
    kib as f64 * 1024.0 / 1e6
}

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1e3
}

/// Write a generated pack of `n` entries under `dir`, cut at entry boundaries into [`FILES`]
/// files; returns names that exist in it.
fn write_pack(n: usize, dir: &Path) -> Vec<String> {
    let (text, names) = generate::synthetic_base(n, 42);
    let _ = std::fs::remove_dir_all(dir);
    std::fs::create_dir_all(dir).expect("the bench directory");
    let starts: Vec<usize> = text.match_indices("\n[[").map(|(i, _)| i + 1).collect();
    let mut cut = 0;
    for f in 0..FILES {
        let end = if f + 1 == FILES {
            text.len()
        } else {
            starts
                .get(starts.len() * (f + 1) / FILES)
                .copied()
                .unwrap_or(text.len())
                .max(cut)
        };
        std::fs::write(dir.join(format!("part{f}.toml")), &text[cut..end]).expect("a pack file");
        cut = end;
    }
    names
}

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    if args.first().map(String::as_str) == Some("--one") {
        let n: usize = args[1].parse().expect("--one N DIR NAME...");
        return measure(n, Path::new(&args[2]), &args[3..]);
    }
    if cfg!(debug_assertions) {
        eprintln!(
            "warning: a debug build; measure with `cargo run --release --example knowledge_bench`"
        );
    }
    let sizes: Vec<usize> = if args.is_empty() {
        vec![1_000, 10_000, 100_000]
    } else {
        args.iter()
            .map(|a| a.parse().expect("sizes as numbers of entries"))
            .collect()
    };
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("target/tmp/knowledge_bench");
    println!(
        "{:>8} {:>9} {:>10} {:>9} {:>10} {:>9} {:>9} {:>9} {:>9} {:>8} {:>9} {:>9} {:>9} {:>6} {:>8} {:>6} {:>8}",
        "entries",
        "load ms",
        "ms/1000",
        "cpu/1000",
        "MB",
        "MB/1000",
        "ac empty",
        "ac max",
        "stall ms",
        "base ms",
        "MB 1 rel",
        "MB 10 rel",
        "peak MB",
        "peak×",
        "own ms",
        "sw v/i",
        "steal ms"
    );
    for n in sizes {
        let dir = root.join(n.to_string());
        let names = write_pack(n, &dir);
        prepare_edits(&dir, RELOADS);
        let out = Command::new(std::env::current_exe().expect("this example"))
            .arg("--one")
            .arg(n.to_string())
            .arg(&dir)
            .args(names.iter().take(8))
            .output()
            .expect("the measuring process");
        print!("{}", String::from_utf8_lossy(&out.stdout));
        if !out.status.success() {
            eprintln!("{}", String::from_utf8_lossy(&out.stderr));
        }
    }
    println!(
        "load: wall time; cpu: CPU time of all threads. ac: the slowest autocomplete (empty field; any), ms. stall: the slowest lookup during ten \
         reloads minus the slowest before them (base). MB n rel: VmRSS after n reloads. peak×: the \
         highest VmRSS sampled during the reloads over VmRSS after one. own: the CPU time \
         the slowest lookup during the reloads ran itself (the rest of it, it waited). sw v/i: how \
         often that lookup's thread was switched out, waiting (voluntary) or preempted \
         (involuntary). steal: the \
         time the host took from this machine's CPUs during the reloads (/proc/stat)."
    );
}

/// An author's edit before each of `rounds` reloads: before reload `round`, the first person's
/// summary still as generated in file `round` (of [`FILES`], in turn) is rewritten. The edited
/// files are written (and flushed to disk) beside the pack before anything is measured; each
/// edit is then moved into place by a rename just before its reload ([`edit`]), so what is
/// measured is the reload, not the writing of a 2 MB file. (Written by the process that starts
/// the measuring one, which so never holds the texts.)
fn prepare_edits(dir: &Path, rounds: usize) {
    let beside = edits_of(dir);
    let _ = std::fs::remove_dir_all(&beside);
    std::fs::create_dir_all(&beside).expect("the folder of edits");
    let mut texts: Vec<String> = (0..FILES)
        .map(|f| std::fs::read_to_string(dir.join(format!("part{f}.toml"))).expect("a pack file"))
        .collect();
    for round in 0..rounds {
        let text = &mut texts[round % FILES];
        let edited = text.replacen(
            "en = \"A person.\"",
            &format!("en = \"A person, revised before reload {round}.\""),
            1,
        );
        assert_ne!(&edited, text, "part{} has a summary to edit", round % FILES);
        *text = edited;
        let path = beside.join(format!("{round}.toml"));
        let mut file = std::fs::File::create(&path).expect("an edited file");
        std::io::Write::write_all(&mut file, text.as_bytes()).expect("an edited file");
        file.sync_all().expect("the edited file on disk");
    }
}

/// Where the edited files wait.
fn edits_of(dir: &Path) -> PathBuf {
    dir.with_extension("edits")
}

/// Move the edit before reload `round` into place.
fn edit(dir: &Path, round: usize) {
    std::fs::rename(
        edits_of(dir).join(format!("{round}.toml")),
        dir.join(format!("part{}.toml", round % FILES)),
    )
    .expect("the edit moved into place");
}

/// How many times each size is reloaded.
const RELOADS: usize = 10;

/// Measure one size, in this process.
fn measure(n: usize, dir: &Path, names: &[String]) {
    let before = rss_kib();
    let cpu_before = cpu_time();
    let t = Instant::now();
    let kb = match KnowledgeBase::load(dir) {
        Ok(kb) => kb,
        Err(report) => panic!("the generated pack loads: {:?}", report.problems),
    };
    let load = t.elapsed();
    let load_cpu = cpu_time().saturating_sub(cpu_before);
    let loaded = rss_kib();
    let per_k = |x: f64| x / n as f64 * 1000.0;

    // Autocomplete: each case's cost is its fastest of a few calls (on a shared machine a slower
    // one is another process's time slice, not the call's); the slowest case is reported.
    let slowest = |cases: &[(&str, &str, &str)]| {
        let mut worst = Duration::ZERO;
        let mut which = String::new();
        for (command, option, partial) in cases {
            let mut best = Duration::MAX;
            for _ in 0..7 {
                let t = Instant::now();
                let choices =
                    clio::answers::autocomplete(&kb, command, option, partial, Locale::En);
                best = best.min(t.elapsed());
                std::hint::black_box(choices);
            }
            if best > worst {
                worst = best;
                which = format!("/{command} {option}:{partial:?}");
            }
        }
        (worst, which)
    };
    let empty: &[(&str, &str, &str)] = &[
        ("who", "name", ""),
        ("event", "query", ""),
        ("what", "topic", ""),
        ("search", "text", ""),
        ("timeline", "from", ""),
    ];
    let typed: Vec<(&str, &str, &str)> = [
        ("who", "name", "Kowal"),
        ("who", "name", "sik"),
        ("event", "query", "Battle of"),
        ("event", "query", "1939-09"),
        ("search", "text", "w"),
        ("search", "text", "Sikorsky"),
        ("timeline", "from", "19"),
    ]
    .into_iter()
    .chain(names.iter().map(|n| ("search", "text", n.as_str())))
    .collect();
    let (ac_empty, slowest_empty) = slowest(empty);
    let (ac_typed, slowest_typed) = slowest(&typed);
    let ac_any = ac_empty.max(ac_typed);

    // Reload while a thread looks names up.
    let live = Arc::new(LiveKnowledge::new(dir, kb));
    let stop = Arc::new(AtomicBool::new(false));
    let worst_ns = Arc::new(AtomicU64::new(0));
    // The slowest lookup's own CPU time, and how often it was switched out: waiting for
    // something (voluntary) or preempted (involuntary).
    let worst_own_ns = Arc::new(AtomicU64::new(0));
    let worst_switches = Arc::new([AtomicU64::new(0), AtomicU64::new(0)]);
    let lookups = {
        let (live, stop, worst_ns, worst_own_ns, worst_switches) = (
            live.clone(),
            stop.clone(),
            worst_ns.clone(),
            worst_own_ns.clone(),
            worst_switches.clone(),
        );
        let queries: Vec<String> = names
            .iter()
            .cloned()
            .chain(["Battle of Kock".to_string(), "Anders".to_string()])
            .collect();
        std::thread::spawn(move || {
            let mut i = 0;
            while !stop.load(Ordering::Relaxed) {
                let t = Instant::now();
                let own = thread_cpu_ns();
                let switched = thread_switches();
                let kb = live.get();
                std::hint::black_box(kb.find(&queries[i % queries.len()], &[]));
                drop(kb);
                let took = t.elapsed().as_nanos() as u64;
                if took > worst_ns.fetch_max(took, Ordering::Relaxed) {
                    worst_own_ns.store(thread_cpu_ns() - own, Ordering::Relaxed);
                    let now = thread_switches();
                    for k in 0..2 {
                        worst_switches[k].store(now[k] - switched[k], Ordering::Relaxed);
                    }
                }
                i += 1;
            }
        })
    };
    let peak = Arc::new(AtomicU64::new(0));
    let sampling = Arc::new(AtomicBool::new(false));
    let sampler = {
        let (peak, sampling, stop) = (peak.clone(), sampling.clone(), stop.clone());
        std::thread::spawn(move || {
            while !stop.load(Ordering::Relaxed) {
                if sampling.load(Ordering::Relaxed) {
                    peak.fetch_max(rss_kib(), Ordering::Relaxed);
                }
                std::thread::sleep(Duration::from_millis(2));
            }
        })
    };
    // The slowest lookup over a while without reloads: the machine's own noise.
    std::thread::sleep(Duration::from_millis(500).max(load));
    let base_worst = Duration::from_nanos(worst_ns.swap(0, Ordering::Relaxed));
    let settle = || std::thread::sleep(Duration::from_millis(300));
    let reload = |round: usize| {
        edit(dir, round);
        match live.reload() {
            ReloadOutcome::Swapped { .. } => {}
            ReloadOutcome::Rejected { errors } => panic!("the reload failed: {errors:?}"),
        }
    };
    sampling.store(true, Ordering::Relaxed);
    let steal_before = steal();
    reload(0);
    settle();
    let after_one = rss_kib();
    for round in 1..RELOADS {
        reload(round);
    }
    settle();
    sampling.store(false, Ordering::Relaxed);
    let stolen = steal().saturating_sub(steal_before);
    let after_ten = rss_kib();
    stop.store(true, Ordering::Relaxed);
    lookups.join().expect("the lookup thread");
    sampler.join().expect("the sampler");
    let reload_worst = Duration::from_nanos(worst_ns.load(Ordering::Relaxed));
    let reload_worst_own = Duration::from_nanos(worst_own_ns.load(Ordering::Relaxed));
    let switches = format!(
        "{}/{}",
        worst_switches[0].load(Ordering::Relaxed),
        worst_switches[1].load(Ordering::Relaxed)
    );
    let peak = peak.load(Ordering::Relaxed).max(after_one).max(after_ten);

    let grown = mb(loaded.saturating_sub(before));
    println!(
        "{n:>8} {:>9.1} {:>10.2} {:>9.2} {:>9.1} {:>10.3} {:>9.3} {:>9.3} {:>9.2} {:>8.2} {:>9.1} {:>9.1} {:>9.1} {:>6.2} {:>8.2} {:>6} {:>8.0}",
        ms(load),
        per_k(ms(load)),
        per_k(ms(load_cpu)),
        grown,
        per_k(grown),
        ms(ac_empty),
        ms(ac_any),
        ms(reload_worst.saturating_sub(base_worst)),
        ms(base_worst),
        mb(after_one),
        mb(after_ten),
        mb(peak),
        peak as f64 / after_one as f64,
        ms(reload_worst_own),
        switches,
        ms(stolen),
    );
    println!(
        "{:>8} slowest autocomplete: empty {slowest_empty}, typed {slowest_typed}",
        ""
    );
}
