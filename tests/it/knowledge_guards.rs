//! Knowledge folders that are not plain trees of small files: links swapped the way Kubernetes
//! ConfigMaps swap them, linked sub-folders, FIFOs, huge files, links to devices (issues 9 and 15).

use std::os::unix::fs::symlink;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use clio::knowledge::{
    load_dir, load_dir_with, DirWatcher, Entry, KnowledgeBase, LiveKnowledge, LoadLimits,
    ReloadOutcome, Severity, MAX_PROBLEMS_PER_FILE,
};

use super::support::fixture;

/// A fresh, empty folder for one test.
fn scratch(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("clio-guards-{}-{name}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

fn valid_pack() -> String {
    std::fs::read_to_string(fixture("valid/sources.toml")).unwrap()
}

fn summary_of(kb: &KnowledgeBase, id: &str) -> String {
    match kb.get(id) {
        Some(Entry::Person(p)) => p.summary.0["en"].to_string(),
        _ => panic!("no person {id}"),
    }
}

fn mkfifo(path: &Path) {
    let status = Command::new("mkfifo")
        .arg(path)
        .status()
        .expect("mkfifo runs");
    assert!(status.success(), "mkfifo {}", path.display());
}

/// Run `f` on its own thread; fail (not hang) if it takes longer than `limit`.
fn within<T: Send + 'static>(limit: Duration, f: impl FnOnce() -> T + Send + 'static) -> T {
    let (tx, rx) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        let _ = tx.send(f());
    });
    rx.recv_timeout(limit)
        .unwrap_or_else(|_| panic!("still running after {limit:?}: it hangs"))
}

/// `clio check DIR` with the real binary, killed after `limit`: (exit code, stdout, stderr).
fn check(dir: &Path, limit: Duration) -> (i32, String, String) {
    let scratch_cwd = dir.parent().unwrap();
    let mut child = Command::new(env!("CARGO_BIN_EXE_clio"))
        .arg("check")
        .arg(dir)
        .current_dir(scratch_cwd)
        .env_remove("CLIO_KNOWLEDGE_DIR")
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("clio runs");
    let started = Instant::now();
    loop {
        if child.try_wait().unwrap().is_some() {
            break;
        }
        if started.elapsed() > limit {
            let _ = child.kill();
            let _ = child.wait();
            panic!(
                "`clio check {}` still running after {limit:?}",
                dir.display()
            );
        }
        std::thread::sleep(Duration::from_millis(50));
    }
    let out = child.wait_with_output().unwrap();
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stdout).into(),
        String::from_utf8_lossy(&out.stderr).into(),
    )
}

/// The layout a ConfigMap volume has: the files live in a hidden timestamped folder, `..data`
/// links to it, and each visible file links through `..data`.
fn configmap(dir: &Path, version: &str, text: &str) {
    let real = dir.join(format!("..{version}"));
    std::fs::create_dir_all(&real).unwrap();
    std::fs::write(real.join("sources.toml"), text).unwrap();
    // Same modification time for every version: only the link flip tells them apart.
    let file = std::fs::File::options()
        .write(true)
        .open(real.join("sources.toml"))
        .unwrap();
    file.set_modified(std::time::UNIX_EPOCH + Duration::from_secs(1_700_000_000))
        .unwrap();
    let tmp = dir.join("..data_tmp");
    let _ = std::fs::remove_file(&tmp);
    symlink(format!("..{version}"), &tmp).unwrap();
    std::fs::rename(&tmp, dir.join("..data")).unwrap();
    if std::fs::symlink_metadata(dir.join("sources.toml")).is_err() {
        symlink("..data/sources.toml", dir.join("sources.toml")).unwrap();
    }
}

#[test]
fn live_reload_sees_a_configmap_style_symlink_flip() {
    let dir = scratch("configmap");
    let v1 = valid_pack();
    // The same length and time: the watcher must see the swap by the file it now leads to.
    let v2 = v1.replace("\"A person.\"", "\"B person.\"");
    assert_ne!(v1, v2);
    assert_eq!(v1.len(), v2.len());
    configmap(&dir, "2024_01", &v1);
    let kb = KnowledgeBase::load(&dir)
        .unwrap_or_else(|r| panic!("the ConfigMap-style folder loads: {:?}", r.problems));
    assert_eq!(summary_of(&kb, "jan-kowalski"), "A person.");
    let live = LiveKnowledge::new(&dir, kb);
    let mut watcher = DirWatcher::new(&dir);
    assert!(!watcher.poll(), "nothing changed yet");

    configmap(&dir, "2024_02", &v2);
    // Seen on one poll, loaded once it holds still for a second.
    assert!(!watcher.poll());
    assert!(watcher.poll(), "the flip of `..data` is a change");
    match live.reload() {
        ReloadOutcome::Swapped { .. } => {}
        ReloadOutcome::Rejected { errors } => panic!("rejected: {errors:?}"),
    }
    assert_eq!(summary_of(&live.get(), "jan-kowalski"), "B person.");
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn the_loader_reads_symlinked_sub_folders() {
    let dir = scratch("linked-folder");
    // The real folder is hidden (as a deploy tool's release folder is); only the link shows it.
    std::fs::create_dir_all(dir.join(".release/people")).unwrap();
    std::fs::write(dir.join(".release/people/sources.toml"), valid_pack()).unwrap();
    symlink(".release/people", dir.join("people")).unwrap();
    let report = load_dir(&dir);
    assert!(!report.has_errors(), "{:?}", report.problems);
    let kb = report
        .base
        .expect("the base loads through the linked folder");
    assert!(kb.get("jan-kowalski").is_some());
    // The watcher walks the same way: an edit inside the linked folder is a change.
    let mut watcher = DirWatcher::new(&dir);
    std::fs::write(
        dir.join(".release/people/sources.toml"),
        valid_pack() + "\n# edited\n",
    )
    .unwrap();
    assert!(!watcher.poll());
    assert!(watcher.poll(), "an edit inside a linked sub-folder is seen");
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn a_link_loop_in_the_knowledge_folder_is_walked_once() {
    let dir = scratch("loop");
    std::fs::write(dir.join("sources.toml"), valid_pack()).unwrap();
    symlink(".", dir.join("again")).unwrap();
    let report = within(Duration::from_secs(30), move || load_dir(&dir));
    assert!(!report.has_errors(), "{:?}", report.problems);
}

#[test]
fn a_link_outside_the_knowledge_folder_is_followed_only_when_allowed() {
    let base = scratch("outside");
    let dir = base.join("knowledge");
    let elsewhere = base.join("elsewhere");
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::create_dir_all(&elsewhere).unwrap();
    std::fs::write(elsewhere.join("sources.toml"), valid_pack()).unwrap();
    symlink(&elsewhere, dir.join("extra")).unwrap();

    let report = load_dir(&dir);
    assert!(report.base.is_none());
    let refused: Vec<_> = report.errors().collect();
    assert_eq!(refused.len(), 1, "{refused:?}");
    assert!(refused[0].file.ends_with("extra"), "{}", refused[0]);
    assert!(
        refused[0].message.contains("outside the knowledge folder")
            && refused[0]
                .message
                .contains("knowledge.follow_outside_links = true"),
        "the error says how to allow it: {}",
        refused[0]
    );

    let allowed = LoadLimits {
        follow_outside_links: true,
        ..LoadLimits::default()
    };
    let report = load_dir_with(&dir, &allowed);
    assert!(!report.has_errors(), "{:?}", report.problems);
    assert!(report.base.unwrap().get("jan-kowalski").is_some());
    let _ = std::fs::remove_dir_all(&base);
}

#[test]
fn a_fifo_in_the_knowledge_folder_does_not_hang_check() {
    let dir = scratch("fifo-check").join("knowledge");
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::write(dir.join("sources.toml"), valid_pack()).unwrap();
    mkfifo(&dir.join("pipe.toml"));
    let (code, _, err) = check(&dir, Duration::from_secs(60));
    assert_eq!(code, 1, "{err}");
    assert!(
        err.contains("pipe.toml") && err.contains("not a regular file"),
        "{err}"
    );
    let _ = std::fs::remove_dir_all(dir.parent().unwrap());
}

/// A FIFO, a 50 MB file and a link to /dev/zero beside a valid file.
fn hostile_folder(name: &str) -> PathBuf {
    let dir = scratch(name).join("knowledge");
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::write(dir.join("sources.toml"), valid_pack()).unwrap();
    mkfifo(&dir.join("pipe.toml"));
    // 50 MB of garbage that would be millions of TOML errors if it were read.
    let garbage = "= = [[ \u{7f}\n".repeat(50 * 1024 * 1024 / 10);
    std::fs::write(dir.join("garbage.toml"), garbage).unwrap();
    symlink("/dev/zero", dir.join("zero.toml")).unwrap();
    dir
}

fn assert_each_refused_once(text: &str) {
    for (file, why) in [
        ("pipe.toml", "not a regular file"),
        (
            "garbage.toml",
            "over the limit of 8 MB per file (`knowledge.max_file_mb`)",
        ),
        ("zero.toml", "outside the knowledge folder"),
    ] {
        let lines: Vec<_> = text.lines().filter(|l| l.contains(file)).collect();
        assert_eq!(lines.len(), 1, "one message for {file}: {text}");
        assert!(lines[0].contains(why), "{file}: {}", lines[0]);
    }
}

#[test]
fn a_fifo_a_huge_file_and_a_link_to_dev_zero_neither_hang_nor_flood_check() {
    let dir = hostile_folder("hostile-check");
    let (code, out, err) = check(&dir, Duration::from_secs(60));
    assert_eq!(code, 1, "{err}");
    assert_each_refused_once(&err);
    assert!(
        err.lines().count() <= 5,
        "a few lines, not a flood: {} lines",
        err.lines().count()
    );
    assert!(out.len() < 1000, "{out}");
    let _ = std::fs::remove_dir_all(dir.parent().unwrap());
}

#[test]
fn a_fifo_a_huge_file_and_a_link_to_dev_zero_neither_hang_nor_flood_the_live_bot() {
    let base = scratch("hostile-live");
    let dir = base.join("knowledge");
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::write(dir.join("sources.toml"), valid_pack()).unwrap();
    let kb = KnowledgeBase::load(&dir).unwrap_or_else(|r| panic!("{:?}", r.problems));
    let live = std::sync::Arc::new(LiveKnowledge::new(&dir, kb));
    let mut watcher = DirWatcher::new(&dir);

    let hostile = hostile_folder("hostile-live-files");
    for name in ["pipe.toml", "garbage.toml", "zero.toml"] {
        std::fs::rename(hostile.join(name), dir.join(name)).unwrap();
    }
    let mut watcher = within(Duration::from_secs(30), move || {
        assert!(!watcher.poll());
        assert!(watcher.poll(), "the new files are a change");
        watcher
    });
    let reloading = live.clone();
    let outcome = within(Duration::from_secs(60), move || reloading.reload());
    let ReloadOutcome::Rejected { errors } = outcome else {
        panic!("a folder with a FIFO, a huge file and a device must not load");
    };
    let text: String = errors.iter().map(|e| format!("{e}\n")).collect();
    assert_each_refused_once(&text);
    assert_eq!(errors.len(), 3, "{text}");
    // The old base keeps serving, and the watcher still works afterwards.
    assert_eq!(summary_of(&live.get(), "jan-kowalski"), "A person.");
    for name in ["pipe.toml", "garbage.toml", "zero.toml"] {
        std::fs::remove_file(dir.join(name)).unwrap();
    }
    let watcher_ok = within(Duration::from_secs(30), move || {
        watcher.poll();
        watcher.poll()
    });
    assert!(watcher_ok, "the removal is a change");
    assert!(matches!(live.reload(), ReloadOutcome::Swapped { .. }));
    let _ = std::fs::remove_dir_all(&base);
    let _ = std::fs::remove_dir_all(hostile.parent().unwrap());
}

#[test]
fn the_errors_of_one_file_are_capped_at_fifty_and_counted() {
    let dir = scratch("capped");
    std::fs::write(dir.join("sources.toml"), valid_pack()).unwrap();
    let bad: String = (0..1000).map(|i| format!("bogus_{i} = 1\n")).collect();
    std::fs::write(dir.join("bad.toml"), bad).unwrap();
    let report = load_dir(&dir);
    let of_bad: Vec<_> = report
        .problems
        .iter()
        .filter(|p| p.file.ends_with("bad.toml"))
        .collect();
    assert_eq!(of_bad.len(), MAX_PROBLEMS_PER_FILE + 1);
    assert!(of_bad[..MAX_PROBLEMS_PER_FILE]
        .iter()
        .all(|p| p.message.contains("unknown section") && p.line > 0));
    let last = of_bad.last().unwrap();
    assert_eq!(last.severity, Severity::Error);
    assert!(
        last.to_string()
            .ends_with("bad.toml: 950 more problem(s) in this file not listed (only the first 50 are): fix these and check again"),
        "{last}"
    );
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn a_pack_over_the_total_limit_is_refused_with_one_message() {
    let dir = scratch("pack-limit");
    for i in 0..3 {
        let text = valid_pack().replace("id = \"", &format!("id = \"f{i}-"));
        std::fs::write(dir.join(format!("part{i}.toml")), text).unwrap();
    }
    let limits = LoadLimits {
        max_pack_bytes: 1000,
        ..LoadLimits::default()
    };
    let report = load_dir_with(&dir, &limits);
    let errors: Vec<_> = report.errors().collect();
    assert_eq!(errors.len(), 1, "{errors:?}");
    assert!(
        errors[0]
            .message
            .contains("over the limit of 1000 bytes for a pack")
            && errors[0].message.contains("knowledge.max_pack_mb"),
        "{}",
        errors[0]
    );
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn the_knowledge_limits_are_read_from_the_configuration() {
    use clio::config::{Config, Env};
    let text = "[knowledge]\nmax_file_mb = 2\nmax_pack_mb = 10\nfollow_outside_links = true\n";
    let c = Config::from_sources(Some((Path::new("clio.toml"), text)), &Env::default()).unwrap();
    assert_eq!(
        c.knowledge.limits,
        LoadLimits {
            max_file_bytes: 2 * 1024 * 1024,
            max_pack_bytes: 10 * 1024 * 1024,
            follow_outside_links: true,
        }
    );
    let defaults = Config::from_sources(None, &Env::default()).unwrap();
    assert_eq!(defaults.knowledge.limits, LoadLimits::default());
    let env: Env = [("CLIO_KNOWLEDGE__MAX_FILE_MB", "0")].into_iter().collect();
    let err = Config::from_sources(None, &env).unwrap_err();
    assert!(err.to_string().contains("1 to 4096"), "{err}");
}
