//! Self-hosting (issue #6): the image's layout and user, the ops listener (`/healthz`, `/readyz`,
//! `/metrics`, `clio healthcheck`), live knowledge reload, per-server settings, the daily post and
//! a graceful stop. The bot is the real `clio run` against the fake Discord; the daily post's
//! decision is tested with the clock passed in.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, ExitStatus, Stdio};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use chrono::{DateTime, NaiveDate, Utc};
use clio::discord::service::{claim_due_posts, daily_message, DuePost};
use clio::i18n::Locale;
use clio::store::DailySetting;
use serde_json::{json, Value};

use super::support::{callback_errors, http_get as get, pack, root, schema_errors};

use super::fake_discord;

use fake_discord::{as_member, FakeDiscord, API, CHANNEL_ID, GUILD_ID, TOKEN, WAIT};

// ---- helpers --------------------------------------------------------------------------------

fn workdir(name: &str) -> PathBuf {
    let dir = PathBuf::from(env!("CARGO_TARGET_TMPDIR"))
        .join("selfhost-tests")
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

/// Poll until `check` holds, failing with `what` after [`WAIT`].
fn eventually<T>(what: &str, mut check: impl FnMut() -> Option<T>) -> T {
    let deadline = Instant::now() + WAIT;
    loop {
        if let Some(found) = check() {
            return found;
        }
        assert!(Instant::now() < deadline, "gave up waiting for {what}");
        std::thread::sleep(Duration::from_millis(100));
    }
}

/// The value of one metric line (`name{labels}` exactly as rendered).
fn metric(text: &str, series: &str) -> Option<f64> {
    text.lines().find_map(|l| {
        l.strip_prefix(series)?
            .strip_prefix(' ')?
            .trim()
            .parse()
            .ok()
    })
}

fn metrics(addr: &str) -> String {
    let (status, body) = get(addr, "/metrics").expect("the ops listener answers");
    assert_eq!(status, 200);
    body
}

fn text_of(body: &Value) -> String {
    body.to_string()
}

fn is_ephemeral(body: &Value) -> bool {
    body["data"]["flags"].as_u64().unwrap_or(0) & 64 != 0
}

/// A member with Manage Server.
fn admin(interaction: Value) -> Value {
    as_member(interaction, "1100000000000000009", "Admin", "32", &[])
}

/// `/settings <sub>` (or `/admin <sub>`) with its options, typed as registered.
fn sub(fake: &FakeDiscord, name: &str, sub: &str, options: &[(&str, &str)]) -> Value {
    let options: Vec<(&str, Value)> = options.iter().map(|(n, v)| (*n, json!(v))).collect();
    fake.subcommand(name, sub, &options, "en-US")
}

/// A running `clio run` with its output collected.
struct Bot {
    child: Child,
    output: Arc<Mutex<String>>,
    readers: Vec<std::thread::JoinHandle<()>>,
}

impl Bot {
    fn spawn(mut cmd: Command) -> Bot {
        let mut child = cmd
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

    /// `clio run` in `dir` against `fake`, serving `knowledge`, data in `dir/data`.
    fn start(fake: &FakeDiscord, dir: &Path, knowledge: &Path, extra: &[(&str, &str)]) -> Bot {
        let mut cmd = Command::new(env!("CARGO_BIN_EXE_clio"));
        cmd.current_dir(dir)
            .env_clear()
            .env("NO_COLOR", "1")
            .env("DISCORD_TOKEN", TOKEN)
            .env("DISCORD_API_BASE", fake.api_base())
            .env("CLIO_KNOWLEDGE_DIR", knowledge)
            .env("CLIO_DATA_DIR", dir.join("data"))
            .arg("run");
        for (k, v) in extra {
            cmd.env(k, v);
        }
        Bot::spawn(cmd)
    }

    fn output(&self) -> String {
        self.output.lock().unwrap().clone()
    }

    fn signal(&self, signal: &str) {
        let status = Command::new("kill")
            .args([&format!("-{signal}"), &self.child.id().to_string()])
            .status()
            .unwrap();
        assert!(status.success());
    }

    /// SIGTERM; returns the exit status, how long the exit took, and the output.
    fn stop(mut self) -> (ExitStatus, Duration, String) {
        let asked = Instant::now();
        self.signal("TERM");
        let status = loop {
            if let Some(status) = self.child.try_wait().unwrap() {
                break status;
            }
            if asked.elapsed() > WAIT {
                let _ = self.child.kill();
                panic!("the bot did not exit after SIGTERM:\n{}", self.output());
            }
            std::thread::sleep(Duration::from_millis(20));
        };
        let took = asked.elapsed();
        for r in self.readers.drain(..) {
            let _ = r.join();
        }
        let output = self.output();
        if std::env::var_os("CLIO_TEST_BOT_LOG").is_some() {
            eprintln!("---- bot output ----\n{output}");
        }
        (status, took, output)
    }

    /// SIGTERM, and the bot must exit 0 within 10 seconds.
    fn stop_cleanly(self) -> String {
        let (status, took, output) = self.stop();
        assert_eq!(status.code(), Some(0), "SIGTERM must exit 0:\n{output}");
        assert!(took < Duration::from_secs(10), "took {took:?}:\n{output}");
        output
    }
}

impl Drop for Bot {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for entry in std::fs::read_dir(from).unwrap() {
        let entry = entry.unwrap();
        let target = to.join(entry.file_name());
        if entry.file_type().unwrap().is_dir() {
            copy_dir(&entry.path(), &target);
        } else {
            std::fs::copy(entry.path(), &target).unwrap();
        }
    }
}

// ---- the image ------------------------------------------------------------------------------

/// The final stage of the Dockerfile, as the test needs it.
#[derive(Debug, Default)]
struct Image {
    workdir: String,
    /// (source in the build context or `--from` stage, destination in the image, from a stage?,
    /// `--chown` owner if any)
    copies: Vec<(String, String, bool, Option<String>)>,
    env: Vec<(String, String)>,
    user: Option<(u32, u32)>,
    entrypoint: Vec<String>,
    cmd: Vec<String>,
    healthcheck: Vec<String>,
}

fn json_words(s: &str) -> Vec<String> {
    serde_json::from_str(s.trim()).unwrap_or_else(|_| panic!("an exec-form array: {s}"))
}

fn parse_dockerfile(text: &str) -> Image {
    // Instructions, continuation lines joined, comments dropped.
    let mut instructions: Vec<String> = Vec::new();
    let mut current = String::new();
    for line in text.lines() {
        let trimmed = line.trim();
        if trimmed.starts_with('#') || (trimmed.is_empty() && current.is_empty()) {
            continue;
        }
        match trimmed.strip_suffix('\\') {
            Some(part) => {
                current.push_str(part);
                current.push(' ');
            }
            None => {
                current.push_str(trimmed);
                instructions.push(std::mem::take(&mut current));
            }
        }
    }
    let last_from = instructions
        .iter()
        .rposition(|i| i.to_uppercase().starts_with("FROM "))
        .expect("a FROM");
    let mut image = Image::default();
    for i in &instructions[last_from + 1..] {
        let (op, rest) = i.split_once(' ').unwrap_or((i, ""));
        let rest = rest.trim();
        match op.to_uppercase().as_str() {
            "WORKDIR" => image.workdir = rest.to_string(),
            "COPY" => {
                let words: Vec<&str> = rest.split_whitespace().collect();
                let from_stage = words.iter().any(|w| w.starts_with("--from="));
                let chown = words
                    .iter()
                    .find_map(|w| w.strip_prefix("--chown="))
                    .map(str::to_string);
                let paths: Vec<&str> = words
                    .iter()
                    .copied()
                    .filter(|w| !w.starts_with("--"))
                    .collect();
                assert_eq!(paths.len(), 2, "COPY with one source: {i}");
                image.copies.push((
                    paths[0].to_string(),
                    paths[1].to_string(),
                    from_stage,
                    chown,
                ));
            }
            "ENV" => {
                for pair in rest.split_whitespace() {
                    let (k, v) = pair.split_once('=').expect("ENV key=value");
                    image
                        .env
                        .push((k.to_string(), v.trim_matches('"').to_string()));
                }
            }
            "USER" => {
                let (u, g) = rest.split_once(':').unwrap_or((rest, rest));
                image.user = Some((
                    u.parse().expect("a numeric user"),
                    g.parse().expect("a numeric group"),
                ));
            }
            "ENTRYPOINT" => image.entrypoint = json_words(rest),
            "CMD" => image.cmd = json_words(rest),
            "HEALTHCHECK" => {
                let exec = rest.split_once("CMD").expect("HEALTHCHECK CMD").1;
                image.healthcheck = json_words(exec);
            }
            _ => {}
        }
    }
    image
}

/// A command as the image runs it: rooted at `root` (the image's `/`), with the image's
/// environment, as the image's user when the test can switch users.
fn image_command(
    image: &Image,
    root: &Path,
    argv: &[String],
    extra: &[(&str, String)],
    as_user: bool,
) -> Command {
    let in_image = |p: &str| root.join(p.trim_start_matches('/'));
    let program = in_image(&argv[0]);
    let mut cmd = if as_user {
        let (uid, gid) = image.user.expect("USER");
        let mut c = Command::new("setpriv");
        c.arg(format!("--reuid={uid}"))
            .arg(format!("--regid={gid}"))
            .arg("--clear-groups")
            .arg(&program);
        c
    } else {
        Command::new(&program)
    };
    cmd.args(&argv[1..])
        .current_dir(in_image(&image.workdir))
        .env_clear()
        .env("NO_COLOR", "1");
    for (k, v) in &image.env {
        let v = if v.starts_with('/') {
            in_image(v).display().to_string()
        } else {
            v.clone()
        };
        cmd.env(k, v);
    }
    for (k, v) in extra {
        cmd.env(k, v);
    }
    cmd
}

fn is_root() -> bool {
    Command::new("id")
        .arg("-u")
        .output()
        .is_ok_and(|o| String::from_utf8_lossy(&o.stdout).trim() == "0")
}

#[test]
fn the_image_layout_runs_as_its_user_and_passes_its_own_healthcheck() {
    let image = parse_dockerfile(&std::fs::read_to_string(root().join("Dockerfile")).unwrap());
    assert_eq!(image.workdir, "/app");
    assert!(
        image.env.iter().any(|(k, _)| k == "CLIO_OPS__LISTEN"),
        "the image turns the ops listener on"
    );
    assert_eq!(
        image.user,
        Some((65532, 65532)),
        "a fixed numeric non-root user"
    );

    // A temporary `/`, reachable by the image's user: the system temp dir, not the target dir.
    let fs_root = std::env::temp_dir().join(format!("clio-image-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&fs_root);
    std::fs::create_dir_all(&fs_root).unwrap();
    let (uid, gid) = image.user.unwrap();
    let data_dir = image
        .env
        .iter()
        .find(|(k, _)| k == "CLIO_DATA_DIR")
        .map(|(_, v)| v.clone())
        .expect("CLIO_DATA_DIR");
    let as_user = is_root();
    for (source, dest_path, from_stage, chown) in &image.copies {
        let dest = fs_root.join(dest_path.trim_start_matches('/'));
        std::fs::create_dir_all(dest.parent().unwrap()).unwrap();
        if *from_stage && source.ends_with("/clio") {
            std::fs::copy(env!("CARGO_BIN_EXE_clio"), &dest).unwrap();
        } else if *from_stage {
            // Besides the binary, only the (empty) data directory comes from the build, owned by
            // the image's user: a new named volume takes that owner, so the bot can write there.
            assert_eq!(
                dest_path, &data_dir,
                "only the binary and the data directory come from the build: {source}"
            );
            assert_eq!(
                chown.as_deref(),
                Some(format!("{uid}:{gid}").as_str()),
                "the data directory belongs to the image's user"
            );
            std::fs::create_dir_all(&dest).unwrap();
            if as_user {
                std::os::unix::fs::chown(&dest, Some(uid), Some(gid)).unwrap();
            }
        } else {
            let from = root().join(source);
            assert!(from.is_dir(), "{source} is a directory of the repository");
            copy_dir(&from, &dest);
        }
    }
    let copied: Vec<&str> = image.copies.iter().map(|c| c.1.as_str()).collect();
    assert_eq!(
        copied,
        ["/app/clio", "/data", "/app/knowledge", "/app/config"]
    );

    // The data volume, as the image makes it: writable by the image's user only.
    let data = fs_root.join(data_dir.trim_start_matches('/'));
    assert!(data.is_dir(), "the image has its data directory");
    if !as_user {
        // A developer machine: no switching users; the test runs everything as the current user.
        eprintln!("not root: running the image's commands as the current user, not 65532");
    }

    let fake = FakeDiscord::start();
    let ops = format!("127.0.0.1:{}", free_port());
    let extra = [
        ("DISCORD_TOKEN", TOKEN.to_string()),
        ("DISCORD_API_BASE", fake.api_base().to_string()),
        ("CLIO_OPS__LISTEN", ops.clone()),
    ];
    let argv: Vec<String> = image.entrypoint.iter().chain(&image.cmd).cloned().collect();
    assert_eq!(argv[1..], ["run"]);
    let bot = Bot::spawn(image_command(&image, &fs_root, &argv, &extra, as_user));
    fake.wait_ready();

    // Docker's health check asks for readiness: a bot that lost the gateway is unhealthy.
    assert_eq!(
        image.healthcheck,
        ["/app/clio", "healthcheck", "--ready"],
        "the image's HEALTHCHECK"
    );
    let run = |argv: &[&str]| {
        let argv: Vec<String> = argv.iter().map(|a| a.to_string()).collect();
        image_command(&image, &fs_root, &argv, &extra, as_user)
            .output()
            .unwrap()
    };
    let healthcheck = || {
        let argv: Vec<&str> = image.healthcheck.iter().map(String::as_str).collect();
        run(&argv)
    };
    eventually("the image's health check to pass", || {
        healthcheck().status.success().then_some(())
    });
    let out = healthcheck();
    assert!(String::from_utf8_lossy(&out.stdout).starts_with("ready"));
    let out = run(&["/app/clio", "healthcheck"]);
    assert!(
        out.status.success(),
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(String::from_utf8_lossy(&out.stdout).starts_with("healthy"));

    if as_user {
        let status = std::fs::read_to_string(format!("/proc/{}/status", bot.child.id())).unwrap();
        let uid = status.lines().find(|l| l.starts_with("Uid:")).unwrap();
        assert!(uid.contains("65532"), "{uid}");
        use std::os::unix::fs::MetadataExt;
        let db = std::fs::metadata(data.join(clio::store::DB_FILE)).expect("the database");
        assert_eq!(db.uid(), 65532, "the database belongs to the image's user");
    }

    bot.stop_cleanly();
    let out = healthcheck();
    assert_eq!(out.status.code(), Some(1), "nothing listens any more");
    assert!(String::from_utf8_lossy(&out.stdout).starts_with("not ready"));
    let out = run(&["/app/clio", "healthcheck"]);
    assert_eq!(out.status.code(), Some(1), "nothing listens any more");
    assert!(String::from_utf8_lossy(&out.stdout).contains("unhealthy"));
    let _ = std::fs::remove_dir_all(&fs_root);
}

#[test]
fn healthcheck_fails_with_a_reason_when_the_listener_is_off_or_silent() {
    let dir = workdir("healthcheck-off");
    let run = |env: &[(&str, &str)], args: &[&str]| {
        Command::new(env!("CARGO_BIN_EXE_clio"))
            .current_dir(&dir)
            .env_clear()
            .envs(env.iter().copied())
            .arg("healthcheck")
            .args(args)
            .output()
            .unwrap()
    };
    let off = run(&[], &[]);
    assert_eq!(off.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&off.stderr).contains("ops.listen"));

    let addr = format!("127.0.0.1:{}", free_port());
    let silent = run(&[("CLIO_OPS__LISTEN", &addr)], &["--ready"]);
    assert_eq!(silent.status.code(), Some(1));
    let line = String::from_utf8_lossy(&silent.stdout);
    assert!(line.starts_with("not ready: nothing answers"), "{line}");
    assert_eq!(line.trim().lines().count(), 1, "one line: {line}");

    let bad = run(&[("CLIO_OPS__LISTEN", "localhost")], &[]);
    assert_eq!(bad.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&bad.stderr).contains("CLIO_OPS__LISTEN"));
}

// ---- ops over the fake Discord --------------------------------------------------------------

#[test]
fn readyz_turns_ready_after_ready_and_metrics_count_interactions() {
    let fake = FakeDiscord::start();
    let dir = workdir("ops");
    let ops = format!("127.0.0.1:{}", free_port());
    let bot = Bot::start(
        &fake,
        &dir,
        &root().join("knowledge"),
        &[("CLIO_OPS__LISTEN", &ops)],
    );
    let first = fake.wait_ready();
    let ready = eventually("/readyz to answer 200", || {
        get(&ops, "/readyz").filter(|(s, _)| *s == 200)
    });
    assert!(ready.1.contains("gateway: connected"), "{}", ready.1);
    assert!(ready.1.contains("knowledge: loaded"));
    assert_eq!(get(&ops, "/healthz").unwrap().0, 200);
    assert_eq!(get(&ops, "/nope").unwrap().0, 404);

    let text = metrics(&ops);
    assert_eq!(
        metric(&text, "clio_knowledge_entries{kind=\"person\"}"),
        Some(pack().count(clio::knowledge::Kind::Person) as f64),
        "{text}"
    );
    assert_eq!(metric(&text, "clio_interaction_seconds_count"), Some(0.0));

    let (body, _) = fake.interact(fake.command("who", &[("name", "Anders")], "en-US"));
    assert!(!is_ephemeral(&body));
    let (body, _) = fake.interact(fake.command("who", &[("name", "Qwzxy Nobody")], "en-US"));
    assert!(is_ephemeral(&body));
    let (_, _) = fake.interact(fake.autocomplete("who", ("name", "And"), "en-US"));

    // Counted once Discord has the answer: a moment after the fake saw it.
    let text = eventually("three interactions counted", || {
        let text = metrics(&ops);
        (metric(&text, "clio_interaction_seconds_count") == Some(3.0)).then_some(text)
    });
    assert_eq!(
        metric(
            &text,
            "clio_interactions_total{command=\"who\",outcome=\"answered\"}"
        ),
        Some(1.0),
        "{text}"
    );
    assert_eq!(
        metric(
            &text,
            "clio_interactions_total{command=\"who\",outcome=\"user_error\"}"
        ),
        Some(1.0)
    );
    assert_eq!(
        metric(
            &text,
            "clio_interactions_total{command=\"autocomplete\",outcome=\"answered\"}"
        ),
        Some(1.0)
    );
    assert_eq!(metric(&text, "clio_interaction_seconds_count"), Some(3.0));
    assert_eq!(
        metric(&text, "clio_interaction_seconds_bucket{le=\"+Inf\"}"),
        Some(3.0)
    );
    assert_eq!(metric(&text, "clio_gateway_reconnects_total"), Some(0.0));

    // Discord drops the connection: the bot resumes, and counts a reconnect.
    fake.close_gateway(4000);
    eventually("a new ready session", || {
        fake.ready_connection().filter(|c| *c > first)
    });
    eventually("the reconnect to be counted", || {
        (metric(&metrics(&ops), "clio_gateway_reconnects_total") == Some(1.0)).then_some(())
    });
    eventually("/readyz to answer 200 again", || {
        get(&ops, "/readyz").filter(|(s, _)| *s == 200)
    });
    bot.stop_cleanly();
}

#[test]
fn metrics_count_running_quizzes_and_recorded_answers() {
    let fake = FakeDiscord::start();
    let dir = workdir("ops-quiz");
    let ops = format!("127.0.0.1:{}", free_port());
    let bot = Bot::start(
        &fake,
        &dir,
        &root().join("knowledge"),
        &[("CLIO_OPS__LISTEN", &ops)],
    );
    fake.wait_ready();
    eventually("/readyz to answer 200", || {
        get(&ops, "/readyz").filter(|(s, _)| *s == 200)
    });
    assert_eq!(metric(&metrics(&ops), "clio_quizzes_running"), Some(0.0));
    let host = |i: Value| as_member(i, "1100000000000000100", "Quizmistress", "32", &[]);
    let (started, _) = fake.interact(host(fake.subcommand(
        "quiz",
        "start",
        &[
            ("questions", json!(6)),
            ("seconds", json!(60)),
            ("mode", json!("host")),
        ],
        "en-US",
    )));
    assert!(!is_ephemeral(&started), "{started}");
    eventually("one quiz running", || {
        (metric(&metrics(&ops), "clio_quizzes_running") == Some(1.0)).then_some(())
    });
    // Answer the first question with buttons (skip typed ones), as one player.
    let posts = format!("{API}/channels/{CHANNEL_ID}/messages");
    let mut seen = 0;
    let choice = loop {
        let (index, body) = fake.wait_requests("a question", |requests| {
            requests
                .iter()
                .enumerate()
                .skip(seen)
                .find(|(_, r)| {
                    r.method == "POST" && r.path == posts && r.body.to_string().contains("\"q:")
                })
                .map(|(i, r)| (i, r.body.clone()))
        });
        seen = index + 1;
        let ids: Vec<String> = body["components"]
            .as_array()
            .into_iter()
            .flatten()
            .flat_map(|row| row["components"].as_array().cloned().unwrap_or_default())
            .filter_map(|b| b["custom_id"].as_str().map(str::to_string))
            .collect();
        if let Some(id) = ids.iter().find(|id| id.starts_with("q:a:")) {
            break (id.clone(), body);
        }
        // A typed question: reveal it, then open the next one.
        let (_, _) = fake.interact(host(fake.subcommand("quiz", "next", &[], "en-US")));
        let (_, _) = fake.interact(host(fake.subcommand("quiz", "next", &[], "en-US")));
    };
    let press = as_member(
        fake.button(&choice.0, &choice.1, "en-US"),
        "1100000000000000777",
        "Player",
        "2048",
        &[],
    );
    let (ack, _) = fake.interact(press);
    assert!(is_ephemeral(&ack), "{ack}");
    let quiz_interactions = "clio_interactions_total{command=\"quiz\",outcome=\"answered\"}";
    eventually(
        "the answer and both quiz interactions to be counted",
        || {
            let text = metrics(&ops);
            (metric(&text, "clio_quiz_answers_recorded_total") == Some(1.0)
                && metric(&text, quiz_interactions).is_some_and(|n| n >= 2.0))
            .then_some(())
        },
    );
    let (_, _) = fake.interact(host(fake.subcommand("quiz", "stop", &[], "en-US")));
    eventually("no quiz running", || {
        (metric(&metrics(&ops), "clio_quizzes_running") == Some(0.0)).then_some(())
    });
    bot.stop_cleanly();
}

// ---- live reload ----------------------------------------------------------------------------

const NEW_PERSON: &str = r#"

[[person]]
id = "zofia-testowa"
name = { en = "Zofia Testowa", pl = "Zofia Testowa" }
summary.en = "A person added while Clio was running."
summary.pl = "Osoba dodana w trakcie działania Clio."
sources = [{ id = "invasion-account", quote = "2nd rank Mikhail Kovalyov" }]
"#;

#[test]
fn knowledge_changes_are_served_live_and_a_broken_change_keeps_the_old_base() {
    let fake = FakeDiscord::start();
    let dir = workdir("reload");
    let knowledge = dir.join("knowledge");
    copy_dir(&root().join("knowledge"), &knowledge);
    let ops = format!("127.0.0.1:{}", free_port());
    let bot = Bot::start(&fake, &dir, &knowledge, &[("CLIO_OPS__LISTEN", &ops)]);
    fake.wait_ready();
    let who = |name: &str| {
        fake.interact(fake.command("who", &[("name", name)], "en-US"))
            .0
    };
    assert!(
        is_ephemeral(&who("Zofia Testowa")),
        "not in the shipped pack"
    );

    // A valid change: served without a restart.
    let people = knowledge.join("people.toml");
    let mut f = std::fs::OpenOptions::new()
        .append(true)
        .open(&people)
        .unwrap();
    f.write_all(NEW_PERSON.as_bytes()).unwrap();
    drop(f);
    eventually("the new person to be served", || {
        let body = who("Zofia Testowa");
        (!is_ephemeral(&body)).then_some(())
    });
    // The new base serves from the moment it is swapped in; the reload is counted and its
    // entries recorded just after (the entries last), so a busy machine can answer before the
    // count. Wait for the last of them, then check both.
    let people_now = Some(pack().count(clio::knowledge::Kind::Person) as f64 + 1.0);
    let text = eventually("the reload's metrics", || {
        let text = metrics(&ops);
        (metric(&text, "clio_knowledge_entries{kind=\"person\"}") == people_now).then_some(text)
    });
    assert_eq!(
        metric(&text, "clio_knowledge_reloads_total"),
        Some(1.0),
        "{text}"
    );
    assert_eq!(
        metric(&text, "clio_knowledge_entries{kind=\"person\"}"),
        people_now
    );

    // A broken change: refused, counted, logged with file:line:column; the old base serves on.
    std::fs::write(knowledge.join("broken.toml"), "[[person]]\nid = 5\n").unwrap();
    eventually("the failed reload to be counted", || {
        (metric(&metrics(&ops), "clio_knowledge_reload_failures_total") == Some(1.0)).then_some(())
    });
    let body = who("Zofia Testowa");
    assert!(
        !is_ephemeral(&body),
        "the previous base still serves: {body}"
    );
    assert!(text_of(&body).contains("Zofia Testowa"));
    eventually("the error in the log", || {
        bot.output().contains("broken.toml:2:6").then_some(())
    });

    // The admin asks: every error, with its place.
    let (body, _) = fake.interact(admin(sub(&fake, "admin", "reload", &[])));
    assert!(callback_errors(&body).is_empty(), "{body}");
    assert!(is_ephemeral(&body));
    let content = body["data"]["content"].as_str().unwrap();
    assert!(content.contains("broken.toml:2:6"), "{content}");
    assert!(content.contains("previous base"), "{content}");
    // Not an admin: refused.
    let (body, _) = fake.interact(sub(&fake, "admin", "reload", &[]));
    assert!(is_ephemeral(&body));
    assert!(text_of(&body).contains("Manage Server"), "{body}");

    // Fixed, then SIGHUP (before the watcher's own poll could matter, the result is the same).
    std::fs::remove_file(knowledge.join("broken.toml")).unwrap();
    bot.signal("HUP");
    eventually("a successful reload after the fix", || {
        let text = metrics(&ops);
        (metric(&text, "clio_knowledge_reloads_total").unwrap_or(0.0) >= 4.0).then_some(())
    });
    let (body, _) = fake.interact(admin(sub(&fake, "admin", "reload", &[])));
    let content = body["data"]["content"].as_str().unwrap();
    assert!(
        content.starts_with("Reloaded the knowledge base"),
        "{content}"
    );
    assert!(
        content.contains(&format!(
            "{} people",
            pack().count(clio::knowledge::Kind::Person) + 1
        )),
        "{content}"
    );
    let output = bot.stop_cleanly();
    assert!(
        output.contains("still serving the previous one"),
        "{output}"
    );
}

/// Waits for the bot to exit by itself; its exit code and output.
fn exit_of(mut bot: Bot) -> (Option<i32>, String) {
    let status = eventually("the bot to exit", || bot.child.try_wait().unwrap());
    for r in bot.readers.drain(..) {
        let _ = r.join();
    }
    (status.code(), bot.output())
}

#[test]
fn a_pack_that_validated_before_loads_while_connecting_and_a_broken_one_never_connects() {
    const WHILE: &str = "connecting while it loads";
    let fake = FakeDiscord::start();
    let dir = workdir("validated");
    let knowledge = dir.join("knowledge");
    copy_dir(&root().join("knowledge"), &knowledge);
    let answers = |fake: &FakeDiscord| {
        let (body, _) = fake.interact(fake.command("who", &[("name", "Anders")], "en-US"));
        assert!(callback_errors(&body).is_empty(), "{body}");
        assert!(!is_ephemeral(&body), "{body}");
    };

    // First start: validated before connecting, then recorded.
    let bot = Bot::start(&fake, &dir, &knowledge, &[]);
    fake.wait_ready();
    answers(&fake);
    let output = bot.stop_cleanly();
    assert!(!output.contains(WHILE), "{output}");
    let mark = dir
        .join("data")
        .join(clio::knowledge::ValidatedMark::FILE_NAME);
    assert!(mark.is_file(), "the record is written: {output}");

    // The same pack again: connects while it loads, and answers as before.
    let bot = Bot::start(&fake, &dir, &knowledge, &[]);
    eventually("a second ready session", || {
        fake.ready_connection()
            .filter(|_| fake.identifies().len() == 2)
    });
    answers(&fake);
    let output = bot.stop_cleanly();
    assert!(output.contains(WHILE), "{output}");
    assert!(output.contains("loaded the knowledge base"), "{output}");

    // A broken change while it was down: validated first, so Discord never sees it connect.
    std::fs::write(knowledge.join("broken.toml"), "[[person]]\nid = 5\n").unwrap();
    let (code, output) = exit_of(Bot::start(&fake, &dir, &knowledge, &[]));
    assert_eq!(code, Some(1), "{output}");
    assert!(output.contains("broken.toml:2:6"), "{output}");
    assert!(output.contains("fix the knowledge base"), "{output}");
    assert!(!output.contains(WHILE), "{output}");
    assert_eq!(fake.identifies().len(), 2, "no gateway session: {output}");

    // Fixed: the same contents as recorded, so it connects while loading again. A failure found
    // meanwhile (here the database cannot open) still stops it with its message, promptly.
    std::fs::remove_file(knowledge.join("broken.toml")).unwrap();
    let db = dir.join("data").join("clio.sqlite3");
    std::fs::remove_file(&db).unwrap();
    std::fs::create_dir(&db).unwrap();
    let (code, output) = exit_of(Bot::start(&fake, &dir, &knowledge, &[]));
    assert_eq!(code, Some(1), "{output}");
    assert!(output.contains(WHILE), "{output}");
    assert!(output.contains("cannot open the database"), "{output}");
}

// ---- settings -------------------------------------------------------------------------------

#[test]
fn settings_are_checked_kept_across_a_restart_and_drive_the_daily_post() {
    let fake = FakeDiscord::start();
    let dir = workdir("settings");
    let knowledge = root().join("knowledge");
    let bot = Bot::start(&fake, &dir, &knowledge, &[]);
    fake.wait_ready();

    let ask = |interaction: Value| {
        let (body, _) = fake.interact(interaction);
        assert!(callback_errors(&body).is_empty(), "{body}");
        assert!(is_ephemeral(&body), "settings answers are private: {body}");
        body["data"]["content"]
            .as_str()
            .unwrap_or_default()
            .to_string()
    };

    // Not a manager: refused.
    let text = ask(sub(&fake, "settings", "view", &[]));
    assert!(text.contains("Manage Server"), "{text}");
    // Defaults.
    let text = ask(admin(sub(&fake, "settings", "view", &[])));
    assert!(text.contains("Quizmaster role: none"), "{text}");
    assert!(text.contains("post: off"), "{text}");

    // Kind messages for bad values.
    let text = ask(admin(sub(
        &fake,
        "settings",
        "daily",
        &[
            ("channel", CHANNEL_ID),
            ("time", "9am"),
            ("zone", "Europe/Warsaw"),
        ],
    )));
    assert!(text.contains("`9am` is not a time of day"), "{text}");
    let text = ask(admin(sub(
        &fake,
        "settings",
        "daily",
        &[
            ("channel", CHANNEL_ID),
            ("time", "09:00"),
            ("zone", "Europe/Warsow"),
        ],
    )));
    assert!(text.contains("not a time zone I know"), "{text}");
    assert!(text.contains("Did you mean `Europe/Warsaw`?"), "{text}");
    let polish = ask(as_member(
        fake.subcommand("settings", "view", &[], "pl"),
        "1100000000000000009",
        "Admin",
        "8",
        &[],
    ));
    assert!(
        polish.contains("Ustawienia Clio"),
        "administrators may too: {polish}"
    );

    // Zone names autocomplete.
    let mut complete = fake.autocomplete("settings", ("zone", "warsaw"), "en-US");
    complete["data"]["options"] = json!([{"name": "daily", "type": 1, "options": [
        {"name": "zone", "type": 3, "value": "warsaw", "focused": true}
    ]}]);
    let (choices, _) = fake.interact(admin(complete));
    assert_eq!(
        choices["data"]["choices"][0]["value"], "Europe/Warsaw",
        "{choices}"
    );

    // Set everything.
    let role = "1100000000000000077";
    let text = ask(admin(sub(
        &fake,
        "settings",
        "quizmaster",
        &[("role", role)],
    )));
    assert!(text.contains(&format!("<@&{role}>")), "{text}");
    let text = ask(admin(sub(
        &fake,
        "settings",
        "language",
        &[("language", "Polski")],
    )));
    assert!(text.contains("Language of Clio's posts: Polish"), "{text}");
    // 00:00 UTC has always passed today: the post is due at once, and comes within moments.
    let text = ask(admin(sub(
        &fake,
        "settings",
        "daily",
        &[("channel", CHANNEL_ID), ("time", "00:00"), ("zone", "UTC")],
    )));
    assert!(
        text.contains(&format!("in <#{CHANNEL_ID}> at 00:00 (UTC)")),
        "{text}"
    );
    let path = format!("{API}/channels/{CHANNEL_ID}/messages");
    let post = fake.wait_request("the daily post", |r| r.method == "POST" && r.path == path);
    let errors = schema_errors("MessageCreateRequest", &post.body);
    assert!(errors.is_empty(), "{errors:#?}\n{}", post.body);
    assert_eq!(post.body["allowed_mentions"], json!({"parse": []}));
    assert_eq!(
        post.authorization.as_deref(),
        Some(format!("Bot {TOKEN}").as_str())
    );
    assert!(
        post.body.to_string().contains("Tego dnia") || post.body.to_string().contains("Najbliższa"),
        "the server's language: {}",
        post.body
    );
    bot.stop_cleanly();

    // A new process with the same data directory: the same settings, and no second post today.
    let bot = Bot::start(&fake, &dir, &knowledge, &[]);
    fake.wait_ready();
    let text = ask(admin(sub(&fake, "settings", "view", &[])));
    assert!(
        text.contains(&format!("Quizmaster role: <@&{role}>")),
        "{text}"
    );
    assert!(text.contains("Polish"), "{text}");
    assert!(
        text.contains(&format!("in <#{CHANNEL_ID}> at 00:00 (UTC)")),
        "{text}"
    );
    std::thread::sleep(Duration::from_secs(2));
    let posts = fake
        .requests()
        .iter()
        .filter(|r| r.method == "POST" && r.path == path)
        .count();
    assert_eq!(posts, 1, "exactly one daily post per day, restart or not");

    let text = ask(admin(sub(&fake, "settings", "daily-off", &[])));
    assert!(text.contains("post: off"), "{text}");
    bot.stop_cleanly();
}

// ---- the daily post, with the clock passed in -----------------------------------------------

fn utc(s: &str) -> DateTime<Utc> {
    DateTime::parse_from_rfc3339(s).unwrap().with_timezone(&Utc)
}

fn day(s: &str) -> NaiveDate {
    NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
}

fn dates(posts: &[DuePost]) -> Vec<(u64, NaiveDate)> {
    posts.iter().map(|p| (p.guild, p.date)).collect()
}

crate::on_both_backends!(
    the_daily_post_is_claimed_once_per_day_even_across_a_restart,
    a_post_missed_while_down_comes_once_late_the_same_day_but_never_the_next,
);

fn the_daily_post_is_claimed_once_per_day_even_across_a_restart(open: super::support::Open) {
    let store = open();
    let store = &*store;
    // Warsaw, 09:00: 08:00 UTC in winter.
    let daily = DailySetting::new(42, "09:00", "Europe/Warsaw").unwrap();
    store.set_daily(1, Some(daily)).unwrap();
    store.set_locale(1, Some(Locale::Pl)).unwrap();
    store
        .set_daily(
            2,
            Some(DailySetting::new(43, "18:30", "America/Chicago").unwrap()),
        )
        .unwrap();

    assert!(claim_due_posts(store, utc("2026-01-15T07:59:00Z"))
        .unwrap()
        .is_empty());
    let due = claim_due_posts(store, utc("2026-01-15T08:00:00Z")).unwrap();
    assert_eq!(
        due,
        [DuePost {
            guild: 1,
            channel: 42,
            date: day("2026-01-15"),
            locale: Locale::Pl
        }]
    );
    assert!(claim_due_posts(store, utc("2026-01-15T08:00:30Z"))
        .unwrap()
        .is_empty());

    // A restart (the claim was written, the post maybe never sent): not again today.
    let store = open();
    let store = &*store;
    assert!(claim_due_posts(store, utc("2026-01-15T12:00:00Z"))
        .unwrap()
        .is_empty());
    // Chicago's 18:30 is 00:30 UTC the next day; Warsaw's next post is the next morning.
    assert_eq!(
        dates(&claim_due_posts(store, utc("2026-01-16T00:30:00Z")).unwrap()),
        [(2, day("2026-01-15"))]
    );
    assert!(claim_due_posts(store, utc("2026-01-16T07:59:59Z"))
        .unwrap()
        .is_empty());
    assert_eq!(
        dates(&claim_due_posts(store, utc("2026-01-16T08:00:00Z")).unwrap()),
        [(1, day("2026-01-16"))]
    );
    // Two processes racing for the same day (a restart overlapping the old one): one claim wins.
    assert!(store.claim_daily(1, day("2026-01-17"), 42, 0).unwrap());
    assert!(!store.claim_daily(1, day("2026-01-17"), 42, 0).unwrap());
}

fn a_post_missed_while_down_comes_once_late_the_same_day_but_never_the_next(
    open: super::support::Open,
) {
    let store = open();
    let store = &*store;
    store
        .set_daily(
            7,
            Some(DailySetting::new(70, "09:00", "Europe/Warsaw").unwrap()),
        )
        .unwrap();
    // Down at 09:00 on 15 January; back at 22:30 local (21:30 UTC): posted late, once.
    assert_eq!(
        dates(&claim_due_posts(store, utc("2026-01-15T21:30:00Z")).unwrap()),
        [(7, day("2026-01-15"))]
    );
    assert!(claim_due_posts(store, utc("2026-01-15T22:59:00Z"))
        .unwrap()
        .is_empty());
    // Down all of the 16th; back at 08:30 local on the 17th: the 16th is gone, the 17th not due.
    assert!(claim_due_posts(store, utc("2026-01-17T07:30:00Z"))
        .unwrap()
        .is_empty());
    assert_eq!(
        dates(&claim_due_posts(store, utc("2026-01-17T08:00:00Z")).unwrap()),
        [(7, day("2026-01-17"))]
    );
    // Across the spring DST change, the same local 09:00 (07:00 UTC in summer time).
    assert!(claim_due_posts(store, utc("2026-03-29T06:59:00Z"))
        .unwrap()
        .is_empty());
    assert_eq!(
        dates(&claim_due_posts(store, utc("2026-03-29T07:00:00Z")).unwrap()),
        [(7, day("2026-03-29"))]
    );
    // Turned off: nothing more.
    store.set_daily(7, None).unwrap();
    assert!(claim_due_posts(store, utc("2026-03-30T12:00:00Z"))
        .unwrap()
        .is_empty());
}

#[test]
fn the_daily_message_is_a_valid_channel_message_with_or_without_anniversaries() {
    // 17 September: the Soviet invasion; some day of the year has none, and gets the next one.
    let with = daily_message(pack(), day("2026-09-17"), Locale::En);
    assert!(
        schema_errors("MessageCreateRequest", &with).is_empty(),
        "{with}"
    );
    assert!(with.to_string().contains("On this day"), "{with}");
    assert_eq!(with["allowed_mentions"], json!({"parse": []}));
    assert!(with.get("flags").is_none());
    let empty_day = (1..=365)
        .map(|n| NaiveDate::from_yo_opt(2026, n).unwrap())
        .find(|d| {
            use chrono::Datelike;
            pack()
                .anniversaries(d.month() as u8, d.day() as u8)
                .is_empty()
        })
        .expect("some day without an anniversary");
    let next = daily_message(pack(), empty_day, Locale::Pl);
    assert!(
        schema_errors("MessageCreateRequest", &next).is_empty(),
        "{next}"
    );
    assert!(next.to_string().contains("Najbliższa rocznica"), "{next}");
}

// ---- graceful stop --------------------------------------------------------------------------

#[test]
fn sigterm_with_interactions_in_flight_answers_them_and_exits_0_within_10_seconds() {
    let fake = FakeDiscord::start();
    let dir = workdir("sigterm");
    let bot = Bot::start(&fake, &dir, &root().join("knowledge"), &[]);
    fake.wait_ready();
    // A burst of interactions, then SIGTERM while they are being answered.
    for i in 0..20 {
        let name = if i % 2 == 0 { "Anders" } else { "Sikorski" };
        let interaction = fake.command("who", &[("name", name)], "en-US");
        fake.dispatch("INTERACTION_CREATE", interaction, None);
    }
    fake.wait_request("a first answer", |r| r.path.ends_with("/callback"));
    let (status, took, output) = bot.stop();
    assert_eq!(status.code(), Some(0), "{output}");
    assert!(took < Duration::from_secs(10), "took {took:?}");
    assert!(
        output.contains("finishing the interactions in flight"),
        "{output}"
    );
    // Every interaction the bot took was answered in full: none was cut off mid-send.
    let taken = output.matches("answered").count();
    let answered = fake
        .requests()
        .iter()
        .filter(|r| r.method == "POST" && r.path.ends_with("/callback"))
        .count();
    assert!(
        answered >= 1 && taken >= answered,
        "{answered} answered:\n{output}"
    );
    assert!(
        !output.contains("sending the answer to Discord failed"),
        "{output}"
    );
    let _ = GUILD_ID;
}

/// SIGTERM in the middle of a quiz, with presses arriving: exit 0 within 10 seconds, and every
/// answer the bot confirmed to a player is in the database afterwards.
#[test]
fn sigterm_during_a_quiz_loses_no_confirmed_answer() {
    let fake = FakeDiscord::start();
    let dir = workdir("sigterm-quiz");
    let bot = Bot::start(&fake, &dir, &root().join("knowledge"), &[]);
    fake.wait_ready();
    let host = |i: Value| as_member(i, "1100000000000000100", "Quizmistress", "32", &[]);
    let (started, _) = fake.interact(host(fake.subcommand(
        "quiz",
        "start",
        &[
            ("questions", json!(6)),
            ("seconds", json!(60)),
            ("mode", json!("host")),
        ],
        "en-US",
    )));
    assert!(!is_ephemeral(&started), "{started}");
    let posts = format!("{API}/channels/{CHANNEL_ID}/messages");
    let ids_of = |body: &Value| -> Vec<String> {
        body["components"]
            .as_array()
            .into_iter()
            .flatten()
            .flat_map(|row| row["components"].as_array().cloned().unwrap_or_default())
            .filter_map(|b| b["custom_id"].as_str().map(str::to_string))
            .collect()
    };
    // A question with buttons (a text question would need the modal: move on to the next).
    let mut seen = 0;
    let question = loop {
        let (index, body) = fake.wait_requests("a question", |requests| {
            requests
                .iter()
                .enumerate()
                .skip(seen)
                .find(|(_, r)| {
                    r.method == "POST"
                        && r.path == posts
                        && ids_of(&r.body)
                            .iter()
                            .any(|id| id.starts_with("q:a:") || id.starts_with("q:t:"))
                })
                .map(|(i, r)| (i, r.body.clone()))
        });
        seen = index + 1;
        if ids_of(&body).iter().any(|id| id.starts_with("q:a:")) {
            break body;
        }
        // A typed question: reveal it, then open the next one.
        let (_, _) = fake.interact(host(fake.subcommand("quiz", "next", &[], "en-US")));
        let (_, _) = fake.interact(host(fake.subcommand("quiz", "next", &[], "en-US")));
    };
    let choices: Vec<String> = ids_of(&question)
        .into_iter()
        .filter(|id| id.starts_with("q:a:"))
        .collect();

    // Twelve players press at once; the signal comes while their presses are being handled.
    let mut presses = Vec::new();
    for n in 0..12u64 {
        let player = format!("{}", 1_100_000_000_000_000_300u64 + n);
        let press = as_member(
            fake.button(&choices[n as usize % choices.len()], &question, "en-US"),
            &player,
            &format!("Player {n}"),
            "2048",
            &[],
        );
        presses.push(press["id"].as_str().unwrap().to_string());
        fake.dispatch("INTERACTION_CREATE", press, None);
    }
    let is_press = |r: &fake_discord::Recorded| {
        presses
            .iter()
            .any(|id| r.path.contains(&format!("/interactions/{id}/")))
    };
    fake.wait_request("a first confirmation", is_press);
    let (status, took, output) = bot.stop();
    assert_eq!(status.code(), Some(0), "{output}");
    assert!(took < Duration::from_secs(10), "took {took:?}:\n{output}");

    // Every press the bot confirmed ("Your answer ...") is stored.
    let confirmed = fake
        .requests()
        .iter()
        .filter(|r| r.method == "POST" && is_press(r) && r.body.to_string().contains("Your answer"))
        .count();
    assert!(confirmed >= 1, "{output}");
    let db = rusqlite::Connection::open(dir.join("data").join(clio::store::DB_FILE)).unwrap();
    let stored: i64 = db
        .query_row(
            "SELECT COUNT(DISTINCT player_id) FROM answers WHERE player_id >= ?1",
            [1_100_000_000_000_000_300i64],
            |r| r.get(0),
        )
        .unwrap();
    assert!(
        stored as usize >= confirmed,
        "{confirmed} answers confirmed, {stored} stored:\n{output}"
    );
}

#[test]
fn daily_time_and_zone_options_suggest_what_fits() {
    use clio::discord::admin::{closest_zone, time_suggestions, validate_daily, zone_suggestions};
    let times: Vec<String> = time_suggestions("9").into_iter().map(|t| t.0).collect();
    assert_eq!(times[..2], ["09:00", "09:30"]);
    assert_eq!(time_suggestions("18:45")[0].0, "18:45");
    assert_eq!(zone_suggestions("warsaw")[0].0, "Europe/Warsaw");
    assert_eq!(zone_suggestions("new york")[0].0, "America/New_York");
    assert!(zone_suggestions("").len() <= 25);
    assert_eq!(
        closest_zone("Europe/Warsow").as_deref(),
        Some("Europe/Warsaw")
    );
    assert!(validate_daily("09:00", "Europe/Warsaw", Locale::En).is_ok());
    let pl = validate_daily("25:00", "Europe/Warsaw", Locale::Pl).unwrap_err();
    assert!(pl.contains("GG:MM"), "{pl}");
}

#[test]
fn quiz_refusals_and_errors_are_not_counted_as_answered() {
    let fake = FakeDiscord::start();
    let dir = workdir("ops-quiz-outcomes");
    let ops = format!("127.0.0.1:{}", free_port());
    let bot = Bot::start(
        &fake,
        &dir,
        &root().join("knowledge"),
        &[("CLIO_OPS__LISTEN", &ops)],
    );
    fake.wait_ready();
    eventually("/readyz to answer 200", || {
        get(&ops, "/readyz").filter(|(s, _)| *s == 200)
    });
    // A player may not start a quiz, and nobody can stop one that is not running.
    let player = |i: Value| as_member(i, "1100000000000000777", "Player", "2048", &[]);
    let (refused, _) = fake.interact(player(fake.subcommand("quiz", "start", &[], "en-US")));
    assert!(is_ephemeral(&refused), "{refused}");
    let (none, _) = fake.interact(player(fake.subcommand("quiz", "scores", &[], "en-US")));
    assert!(is_ephemeral(&none), "{none}");
    let refusals = "clio_interactions_total{command=\"quiz\",outcome=\"user_error\"}";
    let answered = "clio_interactions_total{command=\"quiz\",outcome=\"answered\"}";
    let text = eventually("both refusals to be counted", || {
        let text = metrics(&ops);
        (metric(&text, refusals) == Some(2.0)).then_some(text)
    });
    assert_eq!(metric(&text, answered), None, "{text}");
    bot.stop_cleanly();
}

#[test]
fn the_daily_post_is_not_set_up_where_clio_cannot_post() {
    let fake = FakeDiscord::start();
    let dir = workdir("daily-no-send");
    let bot = Bot::start(&fake, &dir, &root().join("knowledge"), &[]);
    fake.wait_ready();
    let mut daily = admin(sub(
        &fake,
        "settings",
        "daily",
        &[
            ("channel", CHANNEL_ID),
            ("time", "09:00"),
            ("zone", "Europe/Warsaw"),
        ],
    ));
    // Everything but Embed Links (bit 14).
    daily["app_permissions"] = json!("2248473465818689");
    let (body, _) = fake.interact(daily);
    assert!(callback_errors(&body).is_empty(), "{body}");
    assert!(is_ephemeral(&body), "{body}");
    let text = body["data"]["content"]
        .as_str()
        .unwrap_or_default()
        .to_string();
    assert!(text.contains("Embed Links"), "{text}");
    // Nothing was set: the settings still say the post is off.
    let (view, _) = fake.interact(admin(sub(&fake, "settings", "view", &[])));
    let view = view["data"]["content"]
        .as_str()
        .unwrap_or_default()
        .to_string();
    assert!(view.contains("post: off"), "{view}");
    bot.stop_cleanly();
}
