//! The terminal side as a new user meets it: `clio console` (buttons numbered as shown, Polish
//! throughout, line editing and history, wrapping), `clio quiz` in a terminal (colours and a live
//! countdown, the seed, unanswered questions, one question per subject, prompts to type), and the
//! small words (plurals, "Events in September 1939", a quote not repeated as its translation).

use std::collections::HashSet;
use std::io::Write;
use std::process::{Command, Stdio};

use clio::answers::Ctx;
use clio::i18n::{counted, Locale};
use clio::knowledge::{Entry, Kind};
use clio::quiz::terminal::{play_with, Look};
use clio::quiz::{prepare, QuizConfig};

use super::support::{pack, root};

fn clio() -> Command {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_clio"));
    cmd.current_dir(root())
        .env_remove("CLIO_KNOWLEDGE_DIR")
        .env_remove("COLUMNS")
        .env("NO_COLOR", "1");
    cmd
}

/// Run `clio args…` with `input` on a pipe; its standard output.
fn typed(args: &[&str], input: &str) -> String {
    let mut child = clio()
        .args(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("clio starts");
    child
        .stdin
        .take()
        .unwrap()
        .write_all(input.as_bytes())
        .unwrap();
    let out = child.wait_with_output().unwrap();
    assert!(
        out.status.success(),
        "clio {args:?} failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).expect("UTF-8 output")
}

/// The number the console printed next to the button labelled with `label`.
fn number_of(text: &str, label: &str) -> Option<usize> {
    text.split("  ")
        .flat_map(|part| part.split('\n'))
        .map(|part| part.replace('\u{a0}', " "))
        .find(|part| part.contains(label) && part.starts_with('['))
        .and_then(|part| part[1..].split(']').next()?.parse().ok())
}

#[test]
fn console_page_buttons_are_numbered_as_shown() {
    let first = typed(&["console"], "/event 1939-09\nquit\n");
    assert!(first.contains("Page 1/"), "{first}");
    // The disabled "previous page" button has no number; "next page" has the one to type.
    assert!(first.contains("[–]\u{a0}◀"), "{first}");
    let next = number_of(&first, "▶").unwrap_or_else(|| panic!("no numbered ▶ in {first}"));
    let second = typed(&["console"], &format!("/event 1939-09\n{next}\nquit\n"));
    assert!(
        second.contains("updates the message") && second.contains("Page 2/"),
        "typing {next}, the number shown next to ▶, turns the page:\n{second}"
    );
}

#[test]
fn the_polish_console_is_entirely_polish() {
    let text = typed(
        &["console", "--locale", "pl"],
        "/kto Anders\n1\n/nieznane\n/oś-czasu zły:1\n99\n/wydarzenie 1939-09\nwyjdź\n",
    )
    // A button is one unbreakable block in the console: no-break spaces inside.
    .replace('\u{a0}', " ");
    for english in [
        "Clio console",
        "type a command",
        "── reply",
        "updates the message",
        "only you can see",
        "disabled",
        "not available",
        "There is no button",
        "There are no buttons",
        "unknown command",
        "has no option",
        "Type a number",
        "to press",
        "Goodbye",
        "quit",
    ] {
        assert!(
            !text.contains(english),
            "English `{english}` in the Polish console:\n{text}"
        );
    }
    for polish in [
        "Konsola Clio",
        "── odpowiedź ──",
        "── zmienia wiadomość ──",
        "nie znam polecenia `nieznane`",
        "/kto",
        "Nie ma przycisku 99",
        "Wpisz liczbę od 1 do",
        "(niedostępny tutaj)",
        "Do zobaczenia.",
    ] {
        assert!(
            text.contains(polish),
            "`{polish}` missing from the Polish console:\n{text}"
        );
    }
}

#[test]
fn console_text_is_wrapped_at_word_boundaries_to_the_width() {
    let words_of =
        |text: &str| -> HashSet<String> { text.split_whitespace().map(str::to_string).collect() };
    let description = match pack().get("wladyslaw-anders") {
        Some(Entry::Person(p)) => p.summary.get(Locale::En).to_string(),
        other => panic!("wladyslaw-anders is a person: {other:?}"),
    };
    for (args, width) in [
        (vec!["console"], 80),
        (vec!["console", "--width", "40"], 40),
    ] {
        let text = typed(&args, "/who Anders\nquit\n");
        let shown = words_of(&text);
        for word in description.split_whitespace() {
            assert!(
                shown.contains(word),
                "`{word}` was cut at width {width}:\n{text}"
            );
        }
        for line in text.lines() {
            let long = line.chars().count() > width;
            assert!(
                !long || !line.trim().contains(' '),
                "a line over {width} columns that could have been wrapped: {line:?}"
            );
        }
    }
    // COLUMNS, as a shell exports it, sets the width too.
    let narrow = clio()
        .args(["console"])
        .env("COLUMNS", "30")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
        .unwrap();
    let mut narrow = narrow;
    narrow
        .stdin
        .take()
        .unwrap()
        .write_all(b"/who Anders\nquit\n")
        .unwrap();
    let out = narrow.wait_with_output().unwrap();
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(
        text.lines()
            .all(|l| l.chars().count() <= 30 || !l.trim().contains(' ')),
        "{text}"
    );
}

/// Run `command` under a pseudo-terminal (util-linux `script`), typing each of `keys` once the
/// console shows its next prompt; everything it printed. `None` when `script` is missing.
fn under_a_terminal(command: &str, keys: &[&[u8]]) -> Option<String> {
    use std::io::Read;
    use std::sync::mpsc;
    use std::time::Duration;
    let mut child = Command::new("script")
        .args(["-q", "-e", "-c", command, "/dev/null"])
        .current_dir(root())
        .env_remove("CLIO_KNOWLEDGE_DIR")
        .env("NO_COLOR", "1")
        .env("TERM", "xterm")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .ok()?;
    let mut stdout = child.stdout.take().unwrap();
    let (tx, rx) = mpsc::channel::<Vec<u8>>();
    std::thread::spawn(move || {
        let mut buf = [0u8; 4096];
        while let Ok(n) = stdout.read(&mut buf) {
            if n == 0 || tx.send(buf[..n].to_vec()).is_err() {
                break;
            }
        }
    });
    let mut stdin = child.stdin.take().unwrap();
    let mut seen = Vec::new();
    let prompts = |seen: &[u8]| String::from_utf8_lossy(seen).matches("> ").count();
    for (k, chunk) in keys.iter().enumerate() {
        // Keys typed before the line editor takes the terminal would be read as a plain line.
        while prompts(&seen) <= k {
            match rx.recv_timeout(Duration::from_secs(60)) {
                Ok(bytes) => seen.extend(bytes),
                Err(_) => panic!(
                    "no prompt {} from the console:\n{}",
                    k + 1,
                    String::from_utf8_lossy(&seen)
                ),
            }
        }
        stdin.write_all(chunk).unwrap();
        stdin.flush().unwrap();
    }
    while let Ok(bytes) = rx.recv_timeout(Duration::from_secs(60)) {
        seen.extend(bytes);
    }
    drop(stdin);
    let _ = child.wait();
    Some(String::from_utf8_lossy(&seen).into_owned())
}

#[test]
fn the_console_at_a_terminal_edits_lines_and_recalls_history() {
    let has_script = Command::new("script")
        .arg("--version")
        .output()
        .is_ok_and(|o| o.status.success());
    if !has_script {
        println!(
            "the_console_at_a_terminal_edits_lines_and_recalls_history: skipped, util-linux \
             `script` (a pseudo-terminal) is not installed"
        );
        return;
    }
    let bin = env!("CARGO_BIN_EXE_clio");
    // Type `/who Andrs`, go left one character and insert the missing `e`, Enter; then the up
    // arrow brings the line back, Enter; then Ctrl-D ends the session.
    let keys: [&[u8]; 3] = [b"/who Andrs\x1b[De\r", b"\x1b[A\r", b"\x04"];
    let text = under_a_terminal(&format!("{bin} console"), &keys).expect("script runs");
    let replies = text
        .lines()
        .filter(|l| l.trim_end_matches('\r') == "Władysław Anders")
        .count();
    assert_eq!(
        replies, 2,
        "the edited line and the recalled one both answer with Anders:\n{text}"
    );
}

/// The words of a text, for comparing a quote with its translation: case, spacing and quotation
/// marks aside.
fn words(s: &str) -> Vec<String> {
    s.split_whitespace()
        .map(|w| {
            w.trim_matches(|c: char| "\"'“”„«»‘’".contains(c))
                .to_lowercase()
        })
        .filter(|w| !w.is_empty())
        .collect()
}

#[test]
fn the_sources_card_does_not_repeat_an_english_quote_as_its_translation() {
    let kb = pack();
    let ctx = Ctx::at(&clio::clock::SystemClock);
    let (mut once, mut translated_for_polish) = (0, 0);
    for entry in kb.entries() {
        for c in entry.citations() {
            let (Some(quote), Some(translation), Some(source)) =
                (&c.quote, &c.translation, kb.source(&c.source))
            else {
                continue;
            };
            let custom_id = format!("s:{}", entry.id());
            for locale in [Locale::En, Locale::Pl] {
                let text = clio::console::press(kb, &custom_id, locale, false, false, &ctx);
                let translated = translation.get(locale);
                let shown = format!("*{}*", clio::text::shorten(translated, 600));
                let needless =
                    source.language == locale.code() || words(translated) == words(quote);
                if needless {
                    assert!(
                        !text.contains(&shown),
                        "{custom_id} ({locale:?}) repeats a quote from {} as its translation:\n{text}",
                        source.id
                    );
                    once += 1;
                } else if locale == Locale::Pl && text.contains(&shown) {
                    translated_for_polish += 1;
                }
            }
        }
    }
    assert!(
        once > 10,
        "the pack has English quotes read in English: {once}"
    );
    assert!(
        translated_for_polish > 10,
        "a Polish reader still gets English quotes translated: {translated_for_polish}"
    );
}

// ---------------------------------------------------------------- clio quiz in a terminal

fn session(questions: usize, seed: u64, locale: Locale) -> clio::quiz::QuizSession {
    let config = QuizConfig {
        questions,
        seconds: 60,
        mode: clio::quiz::Mode::Host,
        seed,
        locale,
        ..Default::default()
    };
    prepare(pack(), config, &Default::default())
        .unwrap_or_else(|e| panic!("{}", e.message(Locale::En)))
        .0
}

/// Play `lines` (answers and Enters) into a terminal game; what it printed.
fn play(questions: usize, seed: u64, lines: &[&str], look: Look) -> String {
    let (tx, rx) = std::sync::mpsc::channel();
    for line in lines {
        tx.send(line.to_string()).unwrap();
    }
    drop(tx);
    let start = std::time::Instant::now();
    let mut out = Vec::new();
    play_with(
        pack(),
        session(questions, seed, Locale::En),
        rx,
        &mut out,
        || 1_700_000_000_000 + start.elapsed().as_millis() as u64,
        look,
    )
    .unwrap();
    String::from_utf8(out).unwrap()
}

#[test]
fn the_terminal_quiz_has_colours_and_a_live_countdown_only_on_a_terminal() {
    let live = play(
        2,
        3,
        &["1", "", "1", ""],
        Look {
            color: true,
            live: true,
        },
    );
    assert!(live.contains("⏳"), "{live}");
    // The countdown line is rewritten in place: cursor saved, up one line, restored.
    assert!(live.contains("\x1b7\x1b[1A"), "{live:?}");
    assert!(live.contains("\x1b[1;3"), "a coloured verdict: {live:?}");
    let piped = typed(&["quiz", "--questions", "2", "--seed", "3"], "1\n\n1\n\n");
    assert!(
        !piped.contains('\x1b'),
        "no escape codes on a pipe: {piped:?}"
    );
}

#[test]
fn the_terminal_quiz_prints_its_seed_and_counts_unanswered_questions() {
    // One answer, then the input ends: two of the three questions are left without an answer.
    let text = typed(&["quiz", "--questions", "3", "--seed", "4242"], "1\n");
    assert!(
        text.contains("seed 4242") && text.contains("--seed 4242"),
        "the seed to replay with: {text}"
    );
    assert!(text.contains("2 unanswered"), "{text}");
    assert!(text.contains("3 questions"), "{text}");
    // Without --seed a new one is drawn, and printed.
    let text = typed(&["quiz", "--questions", "1"], "");
    let seed = text
        .split("seed ")
        .nth(1)
        .and_then(|s| s.split(|c: char| !c.is_ascii_digit()).next())
        .unwrap_or_else(|| panic!("no seed in {text}"));
    assert!(seed.parse::<u64>().is_ok(), "{text}");
    assert!(
        text.contains("1 unanswered") && text.contains("1 question)"),
        "{text}"
    );
}

#[test]
fn no_subject_is_asked_twice_in_one_quiz() {
    for seed in 1..=12 {
        for topic in [None, Some("anders-army"), Some("1939")] {
            let config = QuizConfig {
                questions: 50,
                seed,
                topic: topic.map(str::to_string),
                ..Default::default()
            };
            let Ok((s, _)) = prepare(pack(), config, &Default::default()) else {
                continue;
            };
            let mut seen = HashSet::new();
            for q in s.questions() {
                if let Some(entry) = &q.entry {
                    assert!(
                        seen.insert(entry.clone()),
                        "seed {seed}, topic {topic:?}: `{entry}` is the subject of two questions"
                    );
                }
            }
        }
    }
}

#[test]
fn terminal_quiz_prompts_say_what_to_type() {
    let mut lines = Vec::new();
    for _ in 0..20 {
        lines.extend(["1", ""]);
    }
    let text = play(20, 1, &lines, Look::default());
    for discord_only in [
        "Press **Answer**",
        "press Answer",
        "**Answer**",
        "Naciśnij **Odpowiedz**",
    ] {
        assert!(!text.contains(discord_only), "`{discord_only}` in:\n{text}");
    }
    let questions = session(20, 1, Locale::En);
    for q in questions.questions() {
        let hint = match q.answer {
            clio::quiz::Answer::Choice { .. } => "Type the number of your answer",
            clio::quiz::Answer::Free { .. } => "Type your answer",
            clio::quiz::Answer::Year { .. } => "Type the year",
        };
        assert!(text.contains(hint), "{:?} asks `{hint}`:\n{text}", q.kind);
    }
}

// ---------------------------------------------------------------- small words

#[test]
fn counts_are_said_with_their_plural_1_source_2_sources() {
    assert_eq!(Kind::Source.counted(1, Locale::En), "1 source");
    assert_eq!(Kind::Source.counted(2, Locale::En), "2 sources");
    assert_eq!(Kind::Person.counted(1, Locale::En), "1 person");
    assert_eq!(Kind::Person.counted(27, Locale::En), "27 people");
    assert_eq!(Kind::Source.counted(1, Locale::Pl), "1 źródło");
    assert_eq!(Kind::Source.counted(2, Locale::Pl), "2 źródła");
    assert_eq!(Kind::Source.counted(5, Locale::Pl), "5 źródeł");
    assert_eq!(Kind::Event.counted(22, Locale::Pl), "22 wydarzenia");
    assert_eq!(
        counted(
            Locale::Pl,
            3,
            ("question", "questions"),
            ("pytanie", "pytania", "pytań")
        ),
        "3 pytania"
    );
    let out = clio().args(["check"]).output().unwrap();
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(
        text.contains(&Kind::Source.counted(pack().count(Kind::Source), Locale::En)),
        "{text}"
    );
}

#[test]
fn a_month_query_reads_events_in_september_1939() {
    let title = |locale: &str, query: &str| -> String {
        let out = clio()
            .args(["ask", "--json", "--locale", locale, query])
            .output()
            .unwrap();
        let body: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
        body["data"]["embeds"][0]["title"]
            .as_str()
            .unwrap_or_default()
            .to_string()
    };
    assert_eq!(title("en", "/event 1939-09"), "Events in September 1939");
    assert_eq!(title("pl", "/event 1939-09"), "Wydarzenia we wrześniu 1939");
    assert_eq!(
        title("en", "/event 1939-09-17"),
        "Events on 17 September 1939"
    );
    assert_eq!(
        title("pl", "/event 1939-09-17"),
        "Wydarzenia 17 września 1939"
    );
}
