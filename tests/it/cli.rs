//! The `clio` binary as a user runs it.

use std::io::Write;
use std::process::{Command, Stdio};

use super::support::{assert_valid_callback, fixture, root};

fn clio() -> Command {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_clio"));
    cmd.current_dir(root())
        .env_remove("CLIO_KNOWLEDGE_DIR")
        .env("NO_COLOR", "1");
    cmd
}

fn run(args: &[&str]) -> (i32, String, String) {
    let out = clio().args(args).output().expect("clio runs");
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stdout).into(),
        String::from_utf8_lossy(&out.stderr).into(),
    )
}

#[test]
fn ask_json_prints_only_the_callback_body() {
    let (code, out, _) = run(&["ask", "--json", "/event 1939-09-17"]);
    assert_eq!(code, 0);
    let body: serde_json::Value =
        serde_json::from_str(out.trim()).expect("stdout is one JSON body");
    assert_eq!(body["type"], 4);
    assert_valid_callback("clio ask --json", &body);
}

#[test]
fn ask_accepts_the_forms_users_type() {
    for line in [
        "/who Anders",
        "who Anders",
        "/event 17 września 1939",
        "/timeline from:1939-09-01 to:1939-10-06",
        "/help",
        "/random kind:person",
        "/onthisday",
        "/search pact",
    ] {
        let (code, out, err) = run(&["ask", "--json", line]);
        assert_eq!(code, 0, "{line}: {err}");
        let body: serde_json::Value =
            serde_json::from_str(out.trim()).unwrap_or_else(|e| panic!("{line}: {e}: {out}"));
        assert_valid_callback(line, &body);
    }
}

#[test]
fn timeline_options_by_name_are_honoured() {
    let (_, out, _) = run(&["ask", "--json", "/timeline from:1939-09-01 to:1939-10-06"]);
    let body: serde_json::Value = serde_json::from_str(out.trim()).unwrap();
    let title = body["data"]["embeds"][0]["title"].as_str().unwrap();
    assert!(
        title.contains("1 September 1939") && title.contains("6 October 1939"),
        "{title}"
    );
}

#[test]
fn no_match_and_bad_input_exit_zero_with_ephemeral_replies() {
    for line in ["/who Qwerty Asdfgh", "/event 1939-02-30"] {
        let (code, out, _) = run(&["ask", "--json", line]);
        assert_eq!(code, 0, "{line}");
        let body: serde_json::Value = serde_json::from_str(out.trim()).unwrap();
        assert_eq!(body["data"]["flags"], 64, "{line}");
    }
}

#[test]
fn an_unknown_command_exits_2_with_usage() {
    let (code, out, err) = run(&["ask", "/frobnicate Anders"]);
    assert_eq!(code, 2);
    assert!(out.is_empty());
    assert!(
        err.contains("unknown command `frobnicate`") && err.contains("usage"),
        "{err}"
    );
}

#[test]
fn ask_reads_many_lines_from_stdin() {
    let mut child = clio()
        .args(["ask", "--json", "-"])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
        .unwrap();
    child
        .stdin
        .take()
        .unwrap()
        .write_all(b"/who Anders\n/event 1939-09-17\n/what Kresy\n")
        .unwrap();
    let out = child.wait_with_output().unwrap();
    assert!(out.status.success());
    let lines: Vec<&str> = String::from_utf8(out.stdout)
        .unwrap()
        .lines()
        .map(str::to_owned)
        .collect::<Vec<_>>()
        .leak()
        .iter()
        .map(|s| s.as_str())
        .collect();
    assert_eq!(lines.len(), 3);
    for l in lines {
        assert_valid_callback("stdin batch", &serde_json::from_str(l).unwrap());
    }
}

#[test]
fn readable_output_shows_buttons_with_their_ids() {
    let (code, out, _) = run(&["ask", "/who Anders"]);
    assert_eq!(code, 0);
    assert!(out.contains("Władysław Anders"), "{out}");
    assert!(out.contains("[1]") && out.contains("<s:"), "{out}");
    assert!(
        !out.contains("\x1b["),
        "no colour when stdout is not a terminal"
    );
}

#[test]
fn press_answers_a_button_with_an_update() {
    let (code, out, _) = run(&["press", "--json", "o:wladyslaw-anders"]);
    assert_eq!(code, 0);
    let body: serde_json::Value = serde_json::from_str(out.trim()).unwrap();
    assert_eq!(body["type"], 7);
    assert_valid_callback("press", &body);
    let (_, out, _) = run(&["press", "--json", "o:no-such-entry"]);
    let body: serde_json::Value = serde_json::from_str(out.trim()).unwrap();
    assert_eq!(
        (body["type"].as_u64(), body["data"]["flags"].as_u64()),
        (Some(4), Some(64))
    );
}

#[test]
fn check_reports_problems_and_exit_codes() {
    let (code, out, _) = run(&["check"]);
    assert_eq!(code, 0, "the shipped pack must check clean");
    assert!(
        out.contains("people")
            && out.contains("events")
            && out.contains("topics")
            && out.contains("sources"),
        "{out}"
    );
    let (code, _, err) = run(&[
        "check",
        fixture("invalid/impossible_date").to_str().unwrap(),
    ]);
    assert_eq!(code, 1);
    assert!(
        err.contains("events.toml:11:8: date: `1939-02-30` is not a date"),
        "{err}"
    );
}

#[test]
fn knowledge_dir_comes_from_the_environment() {
    let out = clio()
        .args(["ask", "/who Kowalski"])
        .env("CLIO_KNOWLEDGE_DIR", fixture("valid"))
        .output()
        .unwrap();
    assert!(String::from_utf8_lossy(&out.stdout).contains("Jan Kowalski"));
}

#[test]
fn console_presses_buttons_by_number() {
    let mut child = clio()
        .args(["console"])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
        .unwrap();
    child
        .stdin
        .take()
        .unwrap()
        .write_all(b"/who Anders\n1\nquit\n")
        .unwrap();
    let out = child.wait_with_output().unwrap();
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(out.status.success());
    assert!(
        text.contains("Władysław Anders") && text.contains("updates the message"),
        "{text}"
    );
}

#[test]
fn polish_command_names_work_as_polish_users_see_them() {
    let (code, out, err) = run(&["ask", "--locale", "pl", "/kto Anders"]);
    assert_eq!(code, 0, "{err}");
    assert!(
        out.contains("Władysław Anders") && out.contains("Urodzony"),
        "{out}"
    );
    let (_, out, _) = run(&["ask", "--locale", "pl", "/pomoc"]);
    assert!(out.contains("/kto <osoba>"), "{out}");
}

#[test]
fn help_lists_every_command_the_quiz_and_settings_included() {
    for (locale, code) in [
        (clio::i18n::Locale::En, "en"),
        (clio::i18n::Locale::Pl, "pl"),
    ] {
        let (status, out, err) = run(&["ask", "--json", "--locale", code, "/help"]);
        assert_eq!(status, 0, "{err}");
        let body: serde_json::Value = serde_json::from_str(&out).unwrap();
        let fields: Vec<String> = body["data"]["embeds"][0]["fields"]
            .as_array()
            .unwrap()
            .iter()
            .map(|f| f["name"].as_str().unwrap().to_string())
            .collect();
        let usage = clio::discord::commands::usage(locale);
        assert_eq!(fields.len(), usage.len());
        for u in &usage {
            assert!(fields.contains(&u.line), "{code}: /help lacks {}", u.line);
        }
        for wanted in ["/quiz", "/settings", "/admin", "/leaderboard"] {
            let polish = match wanted {
                "/settings" => "/ustawienia",
                "/leaderboard" => "/ranking",
                other => other,
            };
            let name = if code == "pl" { polish } else { wanted };
            assert!(
                fields.iter().any(|f| f.starts_with(name)),
                "{code}: /help lacks {name}: {fields:?}"
            );
        }
    }
    let (_, out, _) = run(&["commands"]);
    for wanted in [
        "/quiz start",
        "/quiz stop",
        "/leaderboard",
        "/settings daily",
        "/admin reload",
    ] {
        assert!(out.contains(wanted), "clio commands lacks {wanted}:\n{out}");
    }
}

#[test]
fn clio_ask_knows_the_quiz_and_settings_commands_and_says_where_they_work() {
    for line in [
        "/quiz start questions:5",
        "/leaderboard",
        "/settings view",
        "/ustawienia pokaż",
    ] {
        let (status, out, err) = run(&["ask", line]);
        assert_eq!(status, 0, "{line}: {err}");
        assert!(!err.contains("unknown command"), "{line}: {err}");
        assert!(
            out.contains("Discord server") || out.contains("serwerze Discorda"),
            "{line}: {out}"
        );
    }
    let (status, _, err) = run(&["ask", "/quiz dance"]);
    assert_eq!(status, 2);
    assert!(err.contains("start") && err.contains("stop"), "{err}");
}

#[test]
fn an_option_after_the_command_line_is_an_option_not_part_of_the_query() {
    let (code, out, err) = run(&["ask", "/kto Anders", "--locale", "pl"]);
    assert_eq!(code, 0, "{err}");
    assert!(out.contains("Urodzony"), "{out}");
    assert!(!out.contains("--locale"), "{out}");
    let (code, out, err) = run(&["ask", "--json", "/event Battle of Kock", "--locale", "pl"]);
    assert_eq!(code, 0, "{err}");
    let body: serde_json::Value = serde_json::from_str(&out).expect("only the JSON body");
    assert_eq!(body["type"], 4);
    // A year before the common era typed as a negative number is still the query.
    let (code, _, err) = run(&["ask", "/event", "-44"]);
    assert_eq!(code, 0, "{err}");
    // And `-` still reads the command lines from standard input.
    let (code, _, err) = run(&["ask", "-", "--json"]);
    assert_eq!(code, 0, "{err}");
}
