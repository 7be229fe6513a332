//! The first hour of a self-hoster and of a knowledge author (issue #11): each point found by
//! trying Clio as a new user would, each test named after its point. The bot is the real
//! `clio run` against the fake Discord; the checks are the real `clio check` on packs written to
//! a temporary folder.

use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use super::fake_discord::{FakeDiscord, TOKEN, WAIT};
use super::support::{assert_valid_callback, capture_output, root};

fn workdir(name: &str) -> PathBuf {
    let dir = PathBuf::from(env!("CARGO_TARGET_TMPDIR"))
        .join("first-hour-tests")
        .join(format!("{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

/// `clio` with a clean environment, in `dir`: nothing from the developer's shell leaks in.
fn clio(dir: &Path, env: &[(&str, &str)]) -> Command {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_clio"));
    cmd.current_dir(dir).env_clear().env("NO_COLOR", "1");
    for (k, v) in env {
        cmd.env(k, v);
    }
    cmd
}

/// Write `files` (name, text) into a new folder `dir/name`.
fn pack(dir: &Path, name: &str, files: &[(&str, &str)]) -> PathBuf {
    let pack = dir.join(name);
    std::fs::create_dir_all(&pack).unwrap();
    for (file, text) in files {
        std::fs::write(pack.join(file), text).unwrap();
    }
    pack
}

/// `clio check DIR`: (exit code, stdout, stderr).
fn check(dir: &Path) -> (i32, String, String) {
    let out = clio(dir.parent().unwrap(), &[])
        .arg("check")
        .arg(dir)
        .output()
        .expect("clio check runs");
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

/// Poll until `check` holds, failing with `what` (and the output so far) after [`WAIT`].
fn eventually(what: &str, output: &Mutex<String>, check: impl Fn(&str) -> bool) {
    let deadline = Instant::now() + WAIT;
    loop {
        if check(&output.lock().unwrap()) {
            return;
        }
        assert!(
            Instant::now() < deadline,
            "gave up waiting for {what}; output:\n{}",
            output.lock().unwrap()
        );
        std::thread::sleep(Duration::from_millis(50));
    }
}

struct Running {
    child: Child,
    output: Arc<Mutex<String>>,
}

impl Drop for Running {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

// ---- the self-hoster ------------------------------------------------------------------------

#[test]
fn when_discord_cannot_be_reached_clio_says_so_once_then_connects_when_it_is_back() {
    let dir = workdir("unreachable");
    let port = free_port();
    let api = format!("http://127.0.0.1:{port}");
    let knowledge = root().join("knowledge");
    let data = dir.join("data");
    let mut child = clio(
        &dir,
        &[
            ("DISCORD_TOKEN", TOKEN),
            ("DISCORD_API_BASE", &api),
            ("CLIO_KNOWLEDGE_DIR", knowledge.to_str().unwrap()),
            ("CLIO_DATA_DIR", data.to_str().unwrap()),
        ],
    )
    .arg("run")
    .stdout(Stdio::piped())
    .stderr(Stdio::piped())
    .spawn()
    .expect("clio run starts");
    let (output, _readers) = capture_output(&mut child);
    let bot = Running { child, output };

    // Nothing listens on the port: one line in Clio's words, with the reason and what to check.
    eventually("the unreachable message", &bot.output, |o| {
        o.contains("cannot reach Discord")
    });
    // Over a few seconds it tries again (after 1 s, then 2 s more) without saying it again.
    std::thread::sleep(Duration::from_secs(4));
    let said = bot.output.lock().unwrap().clone();
    assert_eq!(
        said.matches("cannot reach Discord").count(),
        1,
        "said more than once:\n{said}"
    );
    let line = said
        .lines()
        .find(|l| l.contains("cannot reach Discord"))
        .unwrap();
    for words in [
        &api,
        "connection was refused",
        "network",
        "DISCORD_API_BASE",
        "discordstatus.com",
    ] {
        assert!(line.contains(words), "no `{words}` in: {line}");
    }
    assert!(
        !said.contains("WARN serenity"),
        "serenity's own warnings came through:\n{said}"
    );

    // Discord comes back on that port: the bot connects and answers.
    let fake = FakeDiscord::start_at(port);
    fake.wait_ready();
    let (body, _) = fake.interact(fake.command("who", &[("name", "Anders")], "en-US"));
    assert_valid_callback("after Discord came back", &body);
    assert!(body.to_string().contains("Anders"), "{body}");
    let said = bot.output.lock().unwrap().clone();
    assert_eq!(said.matches("cannot reach Discord").count(), 1, "{said}");

    // The gateway goes down while connected: said once (serenity retries every 5 seconds, and
    // would warn each time), and the bot is back when the gateway is.
    let connected = fake.ready_connection().unwrap();
    fake.stop_gateway();
    eventually("the gateway outage message", &bot.output, |o| {
        o.contains("cannot reach Discord's gateway")
    });
    let refused = fake.refused_connections();
    // Wait through two more of serenity's attempts, however long they take.
    let deadline = Instant::now() + WAIT;
    while fake.refused_connections() < refused + 2 {
        assert!(Instant::now() < deadline, "serenity stopped trying");
        std::thread::sleep(Duration::from_millis(100));
    }
    let said = bot.output.lock().unwrap().clone();
    assert_eq!(
        said.matches("cannot reach Discord's gateway").count(),
        1,
        "{said}"
    );
    // (serenity's one warning per disconnection stays; its retry every 5 seconds does not.)
    assert!(!said.contains("Err starting shard"), "{said}");
    fake.start_gateway();
    let deadline = Instant::now() + WAIT;
    while fake.ready_connection().is_none_or(|c| c <= connected) {
        assert!(
            Instant::now() < deadline,
            "the bot did not come back:\n{said}"
        );
        std::thread::sleep(Duration::from_millis(50));
    }
    let (body, _) = fake.interact(fake.command("who", &[("name", "Sikorski")], "en-US"));
    assert_valid_callback("after the gateway came back", &body);
    if std::env::var_os("CLIO_TEST_BOT_LOG").is_some() {
        eprintln!("---- bot output ----\n{}", bot.output.lock().unwrap());
    }
}

#[test]
fn clio_outside_the_repository_says_to_pass_knowledge_or_set_clio_knowledge_dir() {
    let dir = workdir("outside");
    // Where the image keeps the shipped pack, read from the Dockerfile itself.
    let dockerfile = std::fs::read_to_string(root().join("Dockerfile")).unwrap();
    let image_path = dockerfile
        .lines()
        .find_map(|l| l.strip_prefix("COPY knowledge "))
        .expect("the Dockerfile copies the pack")
        .trim();
    for args in [
        vec!["ask", "/who Anders"],
        vec!["check"],
        vec!["quiz", "--preview"],
    ] {
        let out = clio(&dir, &[]).args(&args).output().unwrap();
        let err = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(1), "clio {args:?}: {err}");
        for words in [
            "no knowledge directory",
            "--knowledge",
            "CLIO_KNOWLEDGE_DIR",
            image_path,
        ] {
            assert!(err.contains(words), "clio {args:?}: no `{words}` in: {err}");
        }
        assert!(!err.contains("panicked"), "{err}");
    }
}

#[test]
fn an_environment_key_with_one_underscore_warns_naming_the_right_spelling() {
    // The bot logs it as it starts; a token Discord never sees is enough to get that far (the
    // fake is not started: the warning comes before any connection).
    let dir = workdir("one-underscore");
    let knowledge = root().join("knowledge");
    let data = dir.join("data");
    let mut child = clio(
        &dir,
        &[
            ("DISCORD_TOKEN", TOKEN),
            (
                "DISCORD_API_BASE",
                &format!("http://127.0.0.1:{}", free_port()),
            ),
            ("CLIO_KNOWLEDGE_DIR", knowledge.to_str().unwrap()),
            ("CLIO_DATA_DIR", data.to_str().unwrap()),
            ("CLIO_DISCORD_DEV_GUILD", "123"),
        ],
    )
    .arg("run")
    .stdout(Stdio::piped())
    .stderr(Stdio::piped())
    .spawn()
    .unwrap();
    let (output, _readers) = capture_output(&mut child);
    let bot = Running { child, output };
    eventually("the warning", &bot.output, |o| {
        o.contains("CLIO_DISCORD_DEV_GUILD") && o.contains("cannot reach Discord")
    });
    let said = bot.output.lock().unwrap().clone();
    let line = said
        .lines()
        .find(|l| l.contains("CLIO_DISCORD_DEV_GUILD"))
        .unwrap();
    assert!(line.contains("WARN"), "{line}");
    assert!(
        line.contains("rename it to CLIO_DISCORD__DEV_GUILD"),
        "{line}"
    );
}

#[test]
fn a_token_in_quotes_is_named_as_such() {
    let dir = workdir("quoted-token");
    let quoted = format!("\"{TOKEN}\"");
    let out = clio(&dir, &[("DISCORD_TOKEN", &quoted)])
        .arg("run")
        .output()
        .unwrap();
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{err}");
    assert!(err.contains("the token is in quotes"), "{err}");
    assert!(err.contains("remove them"), "{err}");
    assert!(!err.contains(TOKEN.split_once('.').unwrap().1), "{err}");
}

// ---- the knowledge author -------------------------------------------------------------------

const SOURCES: &str = r#"
[[source]]
id = "dlugosz-annales"
title = "Annales seu cronicae incliti Regni Poloniae"
author = "Jan Długosz"
kind = "book"
language = "la"
locator = "annales.txt"
"#;

const PEOPLE: &str = r#"
[[person]]
id = "wladyslaw-jagiello"
name = "Władysław II Jagiełło"
summary = "King of Poland."
events = ["battle-of-grunwald"]
sources = ["dlugosz-annales"]

[[person]]
id = "ulrich-von-jungingen"
name = "Ulrich von Jungingen"
summary = "Grand Master of the Teutonic Order."
events = ["battle-of-grunwald"]
sources = ["dlugosz-annales"]
"#;

/// A slip on line 4: the closing quote of the name is missing.
const EVENTS_WITH_A_SLIP: &str = r#"
[[event]]
id = "battle-of-grunwald"
name = "Battle of Grunwald
date = "1410"
summary = "A battle."
sources = ["dlugosz-annales"]
"#;

#[test]
fn one_toml_slip_gives_one_error_at_its_line_first() {
    let dir = workdir("slip");
    let pack = pack(
        &dir,
        "grunwald",
        &[
            ("sources.toml", SOURCES),
            ("people.toml", PEOPLE),
            // Sorted after the others: its error must still come first.
            ("zz-events.toml", EVENTS_WITH_A_SLIP),
            ("topics.toml", "[[topic]]\nid = \"x\"\nkind = \"place\"\n"),
        ],
    );
    let (code, _, err) = check(&pack);
    assert_eq!(code, 1, "{err}");
    let lines: Vec<&str> = err.lines().collect();
    let events = pack.join("zz-events.toml").display().to_string();
    assert!(
        lines[0].starts_with(&format!("{events}:4:")) && lines[0].contains("TOML syntax"),
        "the slip is not first, at line 4:\n{err}"
    );
    assert_eq!(
        lines.iter().filter(|l| l.contains("TOML syntax")).count(),
        1,
        "{err}"
    );
    assert!(
        !err.contains("refers to no entry"),
        "references into the broken file were reported:\n{err}"
    );
    assert!(
        err.contains("2 reference(s) into this file not checked until it parses"),
        "{err}"
    );
    // The topic's own problems are still reported, after the slip.
    assert!(err.contains("topics.toml:"), "{err}");

    // A table left open trips the parser on every line after it: still one error, on the line
    // of the slip, not on the next.
    let open = EVENTS_WITH_A_SLIP.replace(
        "name = \"Battle of Grunwald",
        "name = { en = \"Battle of Grunwald\"",
    );
    let pack = self::pack(
        &dir,
        "open",
        &[
            ("sources.toml", SOURCES),
            ("people.toml", PEOPLE),
            ("events.toml", &open),
        ],
    );
    let (code, _, err) = check(&pack);
    assert_eq!(code, 1, "{err}");
    let syntax: Vec<&str> = err.lines().filter(|l| l.contains("TOML syntax")).collect();
    assert_eq!(syntax.len(), 1, "{err}");
    let events = pack.join("events.toml").display().to_string();
    assert!(syntax[0].starts_with(&format!("{events}:4:")), "{err}");
    assert!(
        syntax[0].contains("most likely caused by this one"),
        "{err}"
    );
}

#[test]
fn every_reference_error_suggests_the_nearest_id() {
    let dir = workdir("references");
    let people = r#"
[[person]]
id = "wladyslaw-jagiello"
name = "Władysław II Jagiełło"
summary = "King of Poland."
related = ["ulrich-von-jungingen"]
sources = ["dlugosz-anales"]

[[person]]
id = "ulrich-von-jungingen"
name = "Ulrich von Jungingen"
summary = "Grand Master of the Teutonic Order."
sources = ["dlugosz", "dlugosz-annales"]

[[person]]
id = "dlugosz"
name = "Jan Długosz"
summary = "Chronicler."
sources = ["dlugosz-annales"]
"#;
    let pack = pack(
        &dir,
        "references",
        &[("sources.toml", SOURCES), ("people.toml", people)],
    );
    let (code, _, err) = check(&pack);
    assert_eq!(code, 1, "{err}");
    let missing = err
        .lines()
        .find(|l| l.contains("`dlugosz-anales`"))
        .expect("the misspelt source is reported");
    assert!(
        missing.contains("did you mean `dlugosz-annales`?"),
        "{missing}"
    );
    // A person where only sources may be: the nearest source is suggested, not the person.
    let wrong_kind = err
        .lines()
        .find(|l| l.contains("`dlugosz` in `sources`"))
        .expect("the wrong kind is reported");
    assert!(
        wrong_kind.contains("did you mean `dlugosz-annales`?"),
        "{wrong_kind}"
    );
}

/// A small pack of another period: the Battle of Grunwald (1410), with its own sides.
fn grunwald(dir: &Path, people: &str) -> PathBuf {
    pack(
        dir,
        "grunwald",
        &[
            (
                "pack.toml",
                r#"
[[side]]
id = "teutonic-order"
name = { en = "Teutonic Order", pl = "zakon krzyżacki" }

[[side]]
id = "poland"
name = { en = "Poland", pl = "Polska" }

[[side]]
id = "lithuania"
name = { en = "Lithuania", pl = "Litwa" }
"#,
            ),
            ("sources.toml", SOURCES),
            ("people.toml", people),
            (
                "events.toml",
                r#"
[[event]]
id = "battle-of-grunwald"
name = { en = "Battle of Grunwald", pl = "Bitwa pod Grunwaldem" }
aliases = ["Grunwald", "Tannenberg"]
date = "1410-07-15"
people = ["wladyslaw-jagiello", "ulrich-von-jungingen"]
summary = "The battle between the Teutonic Order and Poland with Lithuania."
sources = ["dlugosz-annales"]
"#,
            ),
        ],
    )
}

const GRUNWALD_PEOPLE: &str = r#"
[[person]]
id = "wladyslaw-jagiello"
name = "Władysław II Jagiełło"
aliases = ["Jagiello", "Jagiełło"]
side = "poland"
summary = "King of Poland."
events = ["battle-of-grunwald"]
sources = ["dlugosz-annales"]

[[person]]
id = "ulrich-von-jungingen"
name = "Ulrich von Jungingen"
aliases = ["Jungingen"]
side = "teutonic-order"
summary = "Grand Master of the Teutonic Order."
events = ["battle-of-grunwald"]
sources = ["dlugosz-annales"]
"#;

#[test]
fn a_pack_declares_its_sides_and_clio_check_validates_every_side_against_them() {
    let dir = workdir("sides");
    let good = grunwald(&dir.join("good"), GRUNWALD_PEOPLE);
    let (code, out, err) = check(&good);
    assert_eq!(code, 0, "{out}{err}");
    let kb = clio::knowledge::KnowledgeBase::load(&good).unwrap_or_else(|r| {
        panic!("{:?}", r.problems);
    });
    let ids: Vec<&str> = kb.sides().iter().map(|s| s.id.as_str()).collect();
    assert_eq!(ids, ["teutonic-order", "poland", "lithuania"]);
    let order = kb.side("teutonic-order").unwrap();
    assert_eq!(order.name.get(clio::i18n::Locale::Pl), "zakon krzyżacki");

    // The shipped pack's sides are not this pack's: `polish` is an error here, and a slip in a
    // declared id gets the nearest.
    let wrong = GRUNWALD_PEOPLE
        .replace("side = \"poland\"", "side = \"polish\"")
        .replace("side = \"teutonic-order\"", "side = \"teutonic\"");
    let bad = grunwald(&dir.join("bad"), &wrong);
    let (code, _, err) = check(&bad);
    assert_eq!(code, 1, "{err}");
    let people = bad.join("people.toml").display().to_string();
    let polish = err
        .lines()
        .find(|l| l.contains("side `polish`"))
        .unwrap_or_else(|| panic!("`polish` is not refused:\n{err}"));
    assert!(polish.starts_with(&format!("{people}:6:")), "{polish}");
    assert!(polish.contains("did you mean `poland`?"), "{polish}");
    let teutonic = err
        .lines()
        .find(|l| l.contains("side `teutonic`"))
        .unwrap_or_else(|| panic!("`teutonic` is not refused:\n{err}"));
    assert!(
        teutonic.contains("did you mean `teutonic-order`?"),
        "{teutonic}"
    );

    // The shipped pack declares the five it uses.
    let shipped: Vec<&str> = super::support::pack()
        .sides()
        .iter()
        .map(|s| s.id.as_str())
        .collect();
    assert_eq!(shipped, ["polish", "soviet", "german", "british", "other"]);
}

#[test]
fn hints_never_mention_the_shipped_packs_names_on_another_pack() {
    use clio::answers::{respond, Command, Ctx, Response};
    use clio::dates::PartialDate;
    use clio::i18n::Locale;
    let dir = workdir("hints");
    let kb = clio::knowledge::KnowledgeBase::load(&grunwald(&dir, GRUNWALD_PEOPLE))
        .unwrap_or_else(|r| panic!("{:?}", r.problems));
    // Every person's name and alias in the shipped pack, and its year.
    let mut shipped: Vec<String> = vec!["1939".into()];
    for entry in super::support::pack().entries() {
        if let clio::knowledge::Entry::Person(p) = entry {
            shipped.extend(p.name.values().map(str::to_string));
            shipped.extend(p.aliases.iter().cloned());
        }
    }
    let ctx = Ctx {
        today: PartialDate::day(2026, 7, 15),
        seed: 1,
    };
    let hints = [
        (Command::Who { name: " ".into() }, "an empty query"),
        (
            Command::Event {
                query: "12/34/56/78".into(),
            },
            "an unreadable date",
        ),
        (
            Command::Timeline {
                from: Some("soon".into()),
                to: None,
            },
            "an unreadable start date",
        ),
    ];
    for locale in [Locale::En, Locale::Pl] {
        let mut said = Vec::new();
        for (command, what) in &hints {
            let reply = respond(&kb, command, locale, &ctx);
            let body = clio::discord::payload::callback_body(&Response::Message(reply));
            said.push((what.to_string(), body.to_string()));
        }
        let topic = clio::quiz::topic::Scope::resolve(&kb, "1410-02-31", locale).unwrap_err();
        said.push(("a bad quiz topic date".into(), topic.message(locale)));
        let topic = clio::quiz::topic::Scope::resolve(&kb, "qqqqqqqq", locale).unwrap_err();
        said.push(("an unknown quiz topic".into(), topic.message(locale)));
        for (what, text) in &said {
            for name in &shipped {
                assert!(
                    !text.contains(name.as_str()),
                    "{what} ({locale:?}) names `{name}` from the shipped pack: {text}"
                );
            }
        }
        // The examples come from this pack instead.
        let (_, empty) = &said[0];
        assert!(empty.contains("Jagiello"), "{empty}");
        assert!(said[1].1.contains("1410"), "{}", said[1].1);
    }
}

#[test]
fn julian_dates_are_valid_where_they_were_real_days_and_event_and_search_find_them() {
    use clio::answers::{respond, Command, Ctx, Response};
    use clio::dates::{HistDate, PartialDate};
    use clio::i18n::Locale;
    let dir = workdir("julian");
    let events = |extra: &str| {
        format!(
            r#"
[[event]]
id = "battle-of-grunwald"
calendar = "julian"
name = {{ en = "Battle of Grunwald", pl = "Bitwa pod Grunwaldem" }}
aliases = ["Grunwald"]
date = "1410-07-15"
summary = "The battle."
sources = ["dlugosz-annales"]

[[event]]
id = "a-leap-day"
name = "A Julian leap day"
date = "1400-02-29J"
summary = "A day that was."
sources = ["dlugosz-annales"]

[[event]]
id = "a-gregorian-day"
name = "A Gregorian day"
date = "1410-07-20"
summary = "A day written in the Gregorian calendar."
sources = ["dlugosz-annales"]
{extra}"#
        )
    };
    // 1400 was no Gregorian leap year: without the mark, 29 February is an error, at its line.
    let gregorian_leap = r#"
[[event]]
id = "not-a-day"
name = "Not a day"
date = "1400-02-29"
summary = "No such Gregorian day."
sources = ["dlugosz-annales"]
"#;
    let text = events(gregorian_leap);
    let line = 1 + text
        .lines()
        .position(|l| l == "date = \"1400-02-29\"")
        .unwrap();
    let bad = pack(
        &dir,
        "bad",
        &[("sources.toml", SOURCES), ("events.toml", &text)],
    );
    let (code, _, err) = check(&bad);
    assert_eq!(code, 1, "{err}");
    let errors: Vec<&str> = err.lines().filter(|l| l.contains("events.toml:")).collect();
    assert_eq!(errors.len(), 1, "{err}");
    assert!(
        errors[0].contains(&format!("events.toml:{line}:"))
            && errors[0].contains("February 1400 has 28 days"),
        "{err}"
    );

    let good = pack(
        &dir,
        "good",
        &[("sources.toml", SOURCES), ("events.toml", &events(""))],
    );
    let (code, out, err) = check(&good);
    assert_eq!(code, 0, "{out}{err}");
    let kb =
        clio::knowledge::KnowledgeBase::load(&good).unwrap_or_else(|r| panic!("{:?}", r.problems));
    // Ordered by the day it was: Julian 15 July 1410 is Gregorian 24 July, after the 20th.
    let order: Vec<&str> = kb.timeline().map(|e| e.id.as_str()).collect();
    assert_eq!(
        order,
        ["a-leap-day", "a-gregorian-day", "battle-of-grunwald"]
    );

    let ctx = Ctx {
        today: PartialDate::day(2026, 7, 15),
        seed: 1,
    };
    let said = |command: Command, locale: Locale| {
        clio::discord::payload::callback_body(&Response::Message(respond(
            &kb, &command, locale, &ctx,
        )))
        .to_string()
    };
    // `/event` with the date as the sources write it finds the battle, shown as written.
    let en = said(
        Command::Event {
            query: "1410-07-15".into(),
        },
        Locale::En,
    );
    assert!(en.contains("Battle of Grunwald"), "{en}");
    assert!(en.contains("15 July 1410 (Julian)"), "{en}");
    let pl = said(
        Command::Event {
            query: "15 lipca 1410".into(),
        },
        Locale::Pl,
    );
    assert!(pl.contains("Bitwa pod Grunwaldem"), "{pl}");
    assert!(pl.contains("15 lipca 1410 (kalendarz juliański)"), "{pl}");
    let search = said(
        Command::Search {
            text: "Grunwald".into(),
        },
        Locale::En,
    );
    assert!(search.contains("Battle of Grunwald"), "{search}");
    let leap = said(
        Command::Event {
            query: "1400-02-29".into(),
        },
        Locale::En,
    );
    assert!(leap.contains("A Julian leap day"), "{leap}");
    // A button's date keeps its calendar.
    let date = kb.timeline().last().unwrap().date;
    assert_eq!(HistDate::from_compact(&date.compact()), Some(date));
    // `-44` typed by a user is 44 BC, as before.
    let bc = |q: &str| said(Command::Event { query: q.into() }, Locale::En);
    assert_eq!(bc("-44"), bc("44 BC"));
}
