//! "Report an error" (issue #10): the real `clio run` against the fake Discord, from a card's
//! button to the form, to `/admin reports`, to resolved; the rate limit across a restart; the
//! list's pages; and `clio reports` reading the same data directory.
//!
//! Every callback is checked against Discord's schema (`callback_errors`); a modal (type 9)
//! shows no message, so the rule that messages carry `allowed_mentions` does not apply to it.

use std::path::{Path, PathBuf};
use std::process::{Child, Command, Output, Stdio};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use serde_json::{json, Value};

use super::fake_discord;
use super::support::{callback_errors, root};

use fake_discord::{as_member, FakeDiscord, TOKEN, WAIT};

/// Manage Server, as Discord sends permissions: a decimal string.
const MANAGER: (&str, &str, &str) = ("1100000000000000009", "Admin", "32");
/// Send messages, nothing that manages.
const MEMBERS: [(&str, &str); 3] = [
    ("1100000000000000201", "Ada"),
    ("1100000000000000202", "Bolesław"),
    ("1100000000000000203", "Celina"),
];
const MEMBER_PERMISSIONS: &str = "2048";

fn workdir(name: &str) -> PathBuf {
    let dir = PathBuf::from(env!("CARGO_TARGET_TMPDIR"))
        .join("report-tests")
        .join(format!("{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

/// A running `clio run`, data in `dir/data`.
struct Bot {
    child: Child,
    output: Arc<Mutex<String>>,
}

impl Bot {
    fn start(fake: &FakeDiscord, dir: &Path) -> Bot {
        let after = fake.ready_connection().unwrap_or(0);
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
                panic!("the bot exited ({status}):\n{}", bot.output());
            }
            assert!(Instant::now() < deadline, "the bot did not connect in time");
            std::thread::sleep(Duration::from_millis(20));
        }
        bot
    }

    fn output(&self) -> String {
        self.output.lock().unwrap().clone()
    }

    /// SIGTERM, and the bot exits 0.
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
            assert!(Instant::now() < deadline, "the bot did not stop in time");
            std::thread::sleep(Duration::from_millis(50));
        };
        assert!(status.success(), "SIGTERM must exit 0:\n{}", self.output());
    }
}

impl Drop for Bot {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
        if std::thread::panicking() || std::env::var_os("CLIO_TEST_BOT_LOG").is_some() {
            eprintln!("---- bot output ----\n{}", self.output());
        }
    }
}

/// `clio reports` with `args`.
fn clio_reports(args: &[&str], data: &Path) -> Output {
    Command::new(env!("CARGO_BIN_EXE_clio"))
        .arg("reports")
        .args(args)
        .env_clear()
        .env("CLIO_DATA_DIR", data)
        .output()
        .expect("clio reports runs")
}

fn assert_valid(what: &str, body: &Value) {
    let errors: Vec<String> = callback_errors(body)
        .into_iter()
        .filter(|e| !(body["type"] == 9 && e.starts_with("allowed_mentions")))
        .collect();
    assert!(
        errors.is_empty(),
        "{what}: the callback is not valid for Discord:\n{}\nbody: {body}",
        errors.join("\n")
    );
}

fn is_ephemeral(body: &Value) -> bool {
    body["data"]["flags"].as_u64().is_some_and(|f| f & 64 != 0)
}

/// Every custom_id of a message's buttons.
fn custom_ids(data: &Value) -> Vec<String> {
    data["components"]
        .as_array()
        .into_iter()
        .flatten()
        .flat_map(|row| row["components"].as_array().cloned().unwrap_or_default())
        .filter_map(|b| b["custom_id"].as_str().map(str::to_string))
        .collect()
}

fn button<'a>(data: &'a Value, custom_id: &str) -> &'a Value {
    data["components"]
        .as_array()
        .into_iter()
        .flatten()
        .flat_map(|row| row["components"].as_array().into_iter().flatten())
        .find(|b| b["custom_id"] == custom_id)
        .unwrap_or_else(|| panic!("no button {custom_id} in {data}"))
}

fn member(interaction: Value, who: (&str, &str)) -> Value {
    as_member(interaction, who.0, who.1, MEMBER_PERMISSIONS, &[])
}

fn manager(interaction: Value) -> Value {
    as_member(interaction, MANAGER.0, MANAGER.1, MANAGER.2, &[])
}

/// The form as Discord submits it: each text input in its row, with what was typed.
fn submit(fake: &FakeDiscord, form: &Value, values: &[&str], locale: &str) -> Value {
    let rows: Vec<Value> = form["data"]["components"]
        .as_array()
        .unwrap()
        .iter()
        .zip(values)
        .map(|(row, value)| {
            let input = &row["components"][0];
            json!({"type": 1, "components": [
                {"type": 4, "custom_id": input["custom_id"], "value": value}
            ]})
        })
        .collect();
    fake.interaction(
        5,
        locale,
        json!({"custom_id": form["data"]["custom_id"], "components": rows}),
    )
}

/// `/who <name>`: the card, checked.
fn card(fake: &FakeDiscord, name: &str) -> Value {
    let (body, _) = fake.interact(fake.command("who", &[("name", name)], "en-US"));
    assert_valid("the card", &body);
    body
}

/// Press the card's "Report an error" as `who`, send the form with `values`: the answer to it.
fn report(fake: &FakeDiscord, card: &Value, who: (&str, &str), values: &[&str]) -> Value {
    let id = custom_ids(&card["data"])
        .into_iter()
        .find(|id| id.starts_with("e:"))
        .expect("the card has a report button");
    let (form, _) = fake.interact(member(fake.button(&id, &card["data"], "en-US"), who));
    assert_valid("the report form", &form);
    assert_eq!(form["type"], 9, "the button opens a form: {form}");
    let (body, _) = fake.interact(member(submit(fake, &form, values, "en-US"), who));
    assert_valid("the report's confirmation", &body);
    body
}

fn admin_reports(fake: &FakeDiscord, as_manager: bool) -> Value {
    let interaction = fake.subcommand("admin", "reports", &[], "en-US");
    let interaction = if as_manager {
        manager(interaction)
    } else {
        member(interaction, MEMBERS[0])
    };
    let (body, _) = fake.interact(interaction);
    assert_valid("/admin reports", &body);
    body
}

#[test]
fn an_error_report_goes_from_the_card_button_through_the_form_to_admin_reports_and_resolved() {
    let fake = FakeDiscord::start();
    let dir = workdir("flow");
    let bot = Bot::start(&fake, &dir);

    // Every entry card has the button, within Discord's limits.
    let anders = card(&fake, "Anders");
    let report_id = "e:wladyslaw-anders";
    assert_eq!(
        button(&anders["data"], report_id)["label"],
        "⚑ Report an error"
    );
    for (command, option, value) in [
        ("event", "query", "Battle of Kock"),
        ("what", "topic", "Hitler-Stalin Pact"),
    ] {
        let (body, _) = fake.interact(fake.command(command, &[(option, value)], "en-US"));
        assert_valid(command, &body);
        assert!(
            custom_ids(&body["data"])
                .iter()
                .any(|id| id.starts_with("e:")),
            "/{command} {value}: a report button: {body}"
        );
    }

    // The form, in the presser's language.
    let (form, _) = fake.interact(member(
        fake.button(report_id, &anders["data"], "pl"),
        MEMBERS[0],
    ));
    assert_valid("the Polish form", &form);
    assert_eq!(form["type"], 9, "{form}");
    assert!(form["data"]["title"]
        .as_str()
        .unwrap()
        .starts_with("Zgłoś błąd"));
    let what = &form["data"]["components"][0]["components"][0];
    let source = &form["data"]["components"][1]["components"][0];
    assert_eq!(
        (
            &what["type"],
            &what["style"],
            &what["required"],
            &what["max_length"]
        ),
        (&json!(4), &json!(2), &json!(true), &json!(1000)),
        "what is wrong: a required paragraph: {form}"
    );
    assert_eq!(
        (&source["style"], &source["required"], &source["max_length"]),
        (&json!(1), &json!(false), &json!(200)),
        "the source: one optional line: {form}"
    );
    assert_eq!(what["label"], "Co jest nie tak?");

    // Sent: stored, and confirmed privately.
    let typed = "@everyone <@1100000000000000202> **the date** is wrong: it was 1941";
    let (confirmation, _) = fake.interact(member(
        submit(
            &fake,
            &form,
            &[typed, "Anders, Bez ostatniego rozdziału, p. 57"],
            "pl",
        ),
        MEMBERS[0],
    ));
    assert_valid("the confirmation", &confirmation);
    assert_eq!(confirmation["type"], 4);
    assert!(is_ephemeral(&confirmation), "{confirmation}");
    let said = confirmation["data"]["content"].as_str().unwrap();
    assert!(said.contains("nr 1"), "{said}");
    assert_eq!(
        confirmation["data"]["allowed_mentions"],
        json!({"parse": []})
    );

    // A member without Manage Server cannot list reports, nor page or resolve them.
    let refused = admin_reports(&fake, false);
    assert!(is_ephemeral(&refused));
    let text = refused["data"]["content"].as_str().unwrap();
    assert!(text.contains("Manage Server"), "{refused}");
    assert!(!refused.to_string().contains("1941"), "{refused}");

    // The manager's list: the report, its text shown and not obeyed.
    let list = admin_reports(&fake, true);
    assert_eq!(list["type"], 4);
    assert!(is_ephemeral(&list), "{list}");
    let field = &list["data"]["embeds"][0]["fields"][0];
    let name = field["name"].as_str().unwrap();
    assert!(name.starts_with("#1 · Władysław Anders"), "{name}");
    let value = field["value"].as_str().unwrap();
    assert!(value.contains(&format!("<@{}>", MEMBERS[0].0)), "{value}");
    assert!(
        value.contains(r"\@everyone \<\@1100000000000000202\> \*\*the date\*\*"),
        "markdown and mentions escaped: {value}"
    );
    assert!(value.contains("Bez ostatniego rozdziału, p. 57"), "{value}");
    assert_eq!(list["data"]["allowed_mentions"], json!({"parse": []}));
    assert_eq!(
        custom_ids(&list["data"]),
        vec!["rr:1:0"],
        "one page: no paging"
    );

    for id in ["rr:1:0", "rp:0"] {
        let (body, _) = fake.interact(member(fake.button(id, &list["data"], "en-US"), MEMBERS[1]));
        assert_valid("a member's press on the list", &body);
        assert_eq!(body["type"], 4, "refused, not updated: {body}");
        assert!(is_ephemeral(&body));
        assert!(body.to_string().contains("Manage Server"), "{body}");
    }
    let still = admin_reports(&fake, true);
    assert_eq!(custom_ids(&still["data"]), vec!["rr:1:0"], "still open");

    // Resolved by the manager: the list updates in place.
    let (resolved, _) = fake.interact(manager(fake.button("rr:1:0", &list["data"], "en-US")));
    assert_valid("resolving", &resolved);
    assert_eq!(resolved["type"], 7, "{resolved}");
    let text = resolved["data"]["content"].as_str().unwrap();
    assert!(text.contains("Report #1 marked resolved."), "{text}");
    assert!(text.contains("No open reports on this server."), "{text}");
    assert_eq!(resolved["data"]["components"], json!([]));
    // Pressed again (an old copy of the list): said kindly.
    let (again, _) = fake.interact(manager(fake.button("rr:1:0", &list["data"], "en-US")));
    assert_valid("resolving twice", &again);
    assert!(
        again["data"]["content"]
            .as_str()
            .unwrap()
            .contains(&format!("already marked resolved by <@{}>", MANAGER.0)),
        "{again}"
    );
    let empty = admin_reports(&fake, true);
    assert!(empty["data"]["content"]
        .as_str()
        .unwrap()
        .contains("No open reports"));
    bot.stop();

    // The maintainer's list, from the same data directory.
    let data = dir.join("data");
    let open = clio_reports(&[], &data);
    assert!(open.status.success());
    let stdout = String::from_utf8_lossy(&open.stdout);
    assert!(stdout.contains("No open reports"), "{stdout}");
    let all = clio_reports(&["--all"], &data);
    assert!(all.status.success());
    let stdout = String::from_utf8_lossy(&all.stdout);
    assert!(stdout.contains("#1 "), "{stdout}");
    assert!(stdout.contains("entry wladyslaw-anders"), "{stdout}");
    assert!(stdout.contains("resolved"), "{stdout}");
    assert!(stdout.contains(&format!("by {}", MANAGER.0)), "{stdout}");
    assert!(
        stdout.contains(typed),
        "the maintainer sees it as typed: {stdout}"
    );
    let json_out = clio_reports(&["--all", "--json"], &data);
    assert!(json_out.status.success());
    let listed: Value = serde_json::from_slice(&json_out.stdout).expect("JSON");
    let r = &listed[0];
    assert_eq!(r["id"], 1);
    assert_eq!(r["entry_id"], "wladyslaw-anders");
    assert_eq!(r["reporter"], MEMBERS[0].0);
    assert_eq!(r["reporter_name"], MEMBERS[0].1);
    assert_eq!(r["guild"], fake_discord::GUILD_ID);
    assert_eq!(r["locale"], "pl");
    assert_eq!(r["text"], typed);
    assert_eq!(r["source"], "Anders, Bez ostatniego rozdziału, p. 57");
    assert_eq!(r["resolved_by"], MANAGER.0);
}

#[test]
fn a_member_without_manage_server_cannot_list_reports() {
    let fake = FakeDiscord::start();
    let dir = workdir("not-a-manager");
    let bot = Bot::start(&fake, &dir);
    let anders = card(&fake, "Anders");
    report(&fake, &anders, MEMBERS[0], &["The rank is wrong", ""]);
    for (locale, refusal) in [
        ("en-US", "Only members with the Manage Server permission"),
        ("pl", "uprawnieniem Zarządzanie serwerem"),
    ] {
        let (body, _) = fake.interact(member(
            fake.subcommand("admin", "reports", &[], locale),
            MEMBERS[1],
        ));
        assert_valid("refused", &body);
        assert!(is_ephemeral(&body));
        let text = body["data"]["content"].as_str().unwrap();
        assert!(text.contains(refusal), "{text}");
        assert!(
            !body.to_string().contains("rank"),
            "no report shown: {body}"
        );
        assert!(custom_ids(&body["data"]).is_empty());
    }
    bot.stop();
}

#[test]
fn a_reporter_is_held_to_three_reports_in_ten_minutes_even_across_a_restart() {
    let fake = FakeDiscord::start();
    let dir = workdir("rate-limit");
    let bot = Bot::start(&fake, &dir);
    let anders = card(&fake, "Anders");
    let id = "e:wladyslaw-anders";
    // Three forms opened first, as a quick reporter might: all three are taken.
    let forms: Vec<Value> = (0..3)
        .map(|_| {
            let (form, _) = fake.interact(member(
                fake.button(id, &anders["data"], "en-US"),
                MEMBERS[0],
            ));
            assert_eq!(form["type"], 9, "{form}");
            form
        })
        .collect();
    let (fourth_form, _) = fake.interact(member(
        fake.button(id, &anders["data"], "en-US"),
        MEMBERS[0],
    ));
    assert_eq!(fourth_form["type"], 9, "nothing stored yet: {fourth_form}");
    for (n, form) in forms.iter().enumerate() {
        let text = format!("Mistake number {n}");
        let (body, _) = fake.interact(member(
            submit(&fake, form, &[&text, ""], "en-US"),
            MEMBERS[0],
        ));
        assert_valid("a report", &body);
        let said = body["data"]["content"].as_str().unwrap();
        assert!(said.contains(&format!("#{}", n + 1)), "{said}");
    }
    // The fourth form, sent: refused kindly, what was typed given back, nothing stored.
    let (refused, _) = fake.interact(member(
        submit(&fake, &fourth_form, &["A fourth *mistake*", ""], "en-US"),
        MEMBERS[0],
    ));
    assert_valid("the refusal", &refused);
    assert!(is_ephemeral(&refused));
    let said = refused["data"]["content"].as_str().unwrap();
    assert!(said.contains("the next one <t:"), "{said}");
    assert!(said.contains(r"> A fourth \*mistake\*"), "{said}");
    // Someone else may still report.
    let other = report(&fake, &anders, MEMBERS[1], &["Another member's report", ""]);
    assert!(other["data"]["content"].as_str().unwrap().contains("#4"));
    bot.stop();

    // A new process: the limit is counted from the store, so the button says so before the form.
    let bot = Bot::start(&fake, &dir);
    let (body, _) = fake.interact(member(fake.button(id, &anders["data"], "pl"), MEMBERS[0]));
    assert_valid("the refusal after a restart", &body);
    assert_eq!(body["type"], 4, "no form: {body}");
    assert!(is_ephemeral(&body));
    let said = body["data"]["content"].as_str().unwrap();
    assert!(said.contains("następne przyjmę <t:"), "{said}");
    bot.stop();
    let listed = clio_reports(&["--json"], &dir.join("data"));
    let listed: Value = serde_json::from_slice(&listed.stdout).unwrap();
    assert_eq!(listed.as_array().unwrap().len(), 4, "{listed}");
}

#[test]
fn admin_reports_pages_five_at_a_time_with_previous_and_next() {
    let fake = FakeDiscord::start();
    let dir = workdir("pages");
    let bot = Bot::start(&fake, &dir);
    let anders = card(&fake, "Anders");
    for n in 0..7 {
        let who = MEMBERS[n % 3];
        report(&fake, &anders, who, &[&format!("Mistake {}", n + 1), ""]);
    }
    let first = admin_reports(&fake, true);
    let ids = custom_ids(&first["data"]);
    assert_eq!(
        ids,
        vec!["rr:1:0", "rr:2:0", "rr:3:0", "rr:4:0", "rr:5:0", "rp:0", "rp:1"],
        "{first}"
    );
    assert_eq!(button(&first["data"], "rp:0")["disabled"], true);
    assert_eq!(button(&first["data"], "rp:1")["disabled"], false);
    assert!(first
        .to_string()
        .contains("Open reports on this server (7)"));
    let (second, _) = fake.interact(manager(fake.button("rp:1", &first["data"], "en-US")));
    assert_valid("page two", &second);
    assert_eq!(second["type"], 7);
    assert_eq!(
        custom_ids(&second["data"]),
        vec!["rr:6:1", "rr:7:1", "rp:0", "rp:2"]
    );
    assert_eq!(button(&second["data"], "rp:2")["disabled"], true);
    let fields = second["data"]["embeds"][0]["fields"].as_array().unwrap();
    assert!(fields[0]["value"].as_str().unwrap().contains("Mistake 6"));
    // Resolving both on the last page leaves the first page, with the rest.
    fake.interact(manager(fake.button("rr:6:1", &second["data"], "en-US")));
    let (back, _) = fake.interact(manager(fake.button("rr:7:1", &second["data"], "en-US")));
    assert_valid("the last one of a page resolved", &back);
    assert_eq!(
        custom_ids(&back["data"]),
        vec!["rr:1:0", "rr:2:0", "rr:3:0", "rr:4:0", "rr:5:0"],
        "{back}"
    );
    bot.stop();
}

#[test]
fn clio_reports_without_a_database_says_so_and_exits_zero() {
    let dir = workdir("no-database");
    let out = clio_reports(&[], &dir.join("nowhere"));
    assert!(out.status.success());
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("No reports yet"), "{stderr}");
    assert!(stderr.contains("--data DIR"), "{stderr}");
    let json_out = clio_reports(&["--json"], &dir.join("nowhere"));
    assert!(json_out.status.success());
    assert_eq!(String::from_utf8_lossy(&json_out.stdout).trim(), "[]");
    assert!(!dir.join("nowhere").exists(), "nothing created");
}

#[test]
fn every_entry_card_in_the_pack_has_one_report_button_within_discords_limits() {
    use clio::answers::{press, Ctx};
    use clio::i18n::Locale;
    let kb = super::support::pack();
    let ctx = Ctx::at(&clio::clock::SystemClock);
    for entry in kb.entries() {
        for locale in [Locale::En, Locale::Pl] {
            let response = press(kb, &format!("o:{}", entry.id()), locale, &ctx);
            let reply = response.reply();
            let ids: Vec<&str> = reply
                .rows
                .iter()
                .flatten()
                .map(|b| b.custom_id.as_str())
                .collect();
            let reports: Vec<&&str> = ids.iter().filter(|id| id.starts_with("e:")).collect();
            assert_eq!(
                reports,
                vec![&format!("e:{}", entry.id()).as_str()],
                "{} ({locale:?}): {ids:?}",
                entry.id()
            );
            assert!(reply.rows.len() <= 5, "{}: {ids:?}", entry.id());
            assert!(reply.rows.iter().all(|r| r.len() <= 5), "{}", entry.id());
        }
    }
}
