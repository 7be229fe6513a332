//! The daily question in-process, with a manual clock over three days: one question a day at the
//! server's local time (and not again after a restart), the previous one revealed with its result
//! just before the next, answers replaced until the reveal and refused after it, and streaks.

use std::path::PathBuf;
use std::sync::Arc;

use chrono::{DateTime, NaiveDate, Utc};
use clio::clock::{Clock, ManualClock};
use clio::discord::daily_question::{question_message, reveal_message, streaks_reply};
use clio::i18n::Locale;
use clio::quiz::daily::{
    self, AnswerTaken, DailyQuestionSetting, DailyQuestionStore, DailyStep, PostedQuestion,
};
use clio::quiz::Answer;
use clio::reply::Response;
use clio::store::SqliteStore;

use super::support::{assert_valid_callback, embed_rule_errors, pack, schema_errors};

const GUILD: u64 = 4_242;
const CHANNEL: u64 = 77;

fn scratch(name: &str) -> PathBuf {
    let dir = PathBuf::from(env!("CARGO_TARGET_TMPDIR"))
        .join(format!("daily-question-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    dir
}

fn ms(s: &str) -> u64 {
    DateTime::parse_from_rfc3339(s).unwrap().timestamp_millis() as u64
}

fn now(clock: &ManualClock) -> DateTime<Utc> {
    DateTime::from_timestamp_millis(clock.now_ms() as i64).unwrap()
}

fn day(s: &str) -> NaiveDate {
    NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
}

fn right_option(posted: &PostedQuestion) -> (usize, usize) {
    match &posted.question.answer {
        Answer::Choice { correct, options } => (*correct, (*correct + 1) % options.len()),
        other => panic!("a daily question is answered by buttons, not {other:?}"),
    }
}

fn valid_message(what: &str, body: &serde_json::Value) {
    let mut errors = schema_errors("MessageCreateRequest", body);
    errors.extend(embed_rule_errors(body));
    assert!(errors.is_empty(), "{what}: {errors:#?}\n{body:#}");
}

fn asked(steps: &[DailyStep]) -> Vec<&PostedQuestion> {
    steps
        .iter()
        .filter_map(|s| match s {
            DailyStep::Ask(p) => Some(p),
            _ => None,
        })
        .collect()
}

#[test]
fn a_daily_question_over_two_days_is_asked_once_a_day_revealed_with_its_result_and_streaks_count() {
    let dir = scratch("two-days");
    let kb = pack();
    let store = SqliteStore::open(&dir).unwrap();
    store
        .set_daily_question(
            GUILD,
            Some(&DailyQuestionSetting {
                channel: CHANNEL,
                time: "09:00".into(),
                zone: "Europe/Warsaw".into(),
            }),
            0,
        )
        .unwrap();

    // 08:59 in Warsaw (CET): not yet.
    let clock = ManualClock::at(ms("2026-12-05T07:59:00Z"));
    assert!(daily::claim_due(&store, kb, now(&clock))
        .unwrap()
        .is_empty());
    assert_eq!(
        daily::next_wake(&store, now(&clock)).unwrap(),
        Some(now(&clock) + chrono::Duration::minutes(1))
    );

    // 09:00: the first question, and nothing to reveal before it.
    clock.set(ms("2026-12-05T08:00:00Z"));
    let steps = daily::claim_due(&store, kb, now(&clock)).unwrap();
    assert_eq!(steps.len(), 1, "{steps:?}");
    let first = asked(&steps)[0].clone();
    assert_eq!((first.date, first.channel), (day("2026-12-05"), CHANNEL));
    for locale in [Locale::En, Locale::Pl] {
        let body = question_message(&first, locale);
        valid_message("the question", &body);
        let ids: Vec<&str> = body["components"][0]["components"]
            .as_array()
            .unwrap()
            .iter()
            .map(|b| b["custom_id"].as_str().unwrap())
            .collect();
        assert_eq!(ids.first(), Some(&"dq:4242:20261205:0"), "{ids:?}");
    }
    // Exactly once: later the same day, and after a restart (a new store on the same file).
    clock.set(ms("2026-12-05T15:00:00Z"));
    assert!(daily::claim_due(&store, kb, now(&clock))
        .unwrap()
        .is_empty());
    drop(store);
    let store = SqliteStore::open(&dir).unwrap();
    assert!(daily::claim_due(&store, kb, now(&clock))
        .unwrap()
        .is_empty());

    // Answers: one right, one wrong who changes to right, one wrong; a forged option is refused.
    let (right, wrong) = right_option(&first);
    let d1 = first.date;
    let at = clock.now_ms();
    let take = |option, player, name: &str| {
        daily::answer(&store, GUILD, d1, option, player, name.into(), at)
            .unwrap()
            .map(|(taken, _)| taken)
    };
    assert_eq!(
        take(right, 1, "Ala"),
        Some(AnswerTaken::Stored { replaced: false })
    );
    assert_eq!(
        take(wrong, 2, "Bolek"),
        Some(AnswerTaken::Stored { replaced: false })
    );
    assert_eq!(
        take(right, 2, "Bolek"),
        Some(AnswerTaken::Stored { replaced: true })
    );
    assert_eq!(
        take(wrong, 3, "Cezary"),
        Some(AnswerTaken::Stored { replaced: false })
    );
    assert_eq!(take(24, 4, "Dorota"), None, "an option the question lacks");

    // The next day at 09:00: the reveal first, then the new question, which is another one.
    clock.set(ms("2026-12-06T08:00:00Z"));
    let steps = daily::claim_due(&store, kb, now(&clock)).unwrap();
    assert_eq!(steps.len(), 2, "{steps:?}");
    let DailyStep::Reveal { posted, answers } = &steps[0] else {
        panic!("the reveal comes first: {steps:?}");
    };
    assert_eq!(posted.date, d1);
    assert_eq!(answers.len(), 3, "one answer per player: {answers:?}");
    let right_names: Vec<&str> = answers
        .iter()
        .filter(|a| a.correct)
        .map(|a| a.name.as_str())
        .collect();
    assert_eq!(right_names, ["Ala", "Bolek"]);
    for locale in [Locale::En, Locale::Pl] {
        let body = reveal_message(posted, answers, kb, locale);
        valid_message("the reveal", &body);
        let text = body.to_string();
        assert!(text.contains("Ala") && text.contains("Bolek") && !text.contains("Cezary"));
        let explanation = first.question.explanation.get(locale);
        let start: String = explanation.chars().take(30).collect();
        assert!(text.contains(&start.replace('"', "\\\"")) || explanation.is_empty());
        assert!(
            text.contains(if locale == Locale::En {
                "3 answered, 2 right"
            } else {
                "Odpowiedzi: 3, trafnych: 2"
            }),
            "{text}"
        );
    }
    let second = asked(&steps)[0].clone();
    assert_eq!(second.date, day("2026-12-06"));
    assert_ne!(
        second.question.key, first.question.key,
        "not repeated the next day"
    );
    // Yesterday's question is closed now.
    assert_eq!(take(right, 5, "Ewa"), Some(AnswerTaken::Closed));

    // Day two: Ala right again, Bolek wrong; revealed on day three.
    let (right2, wrong2) = right_option(&second);
    let at = clock.now_ms();
    for (option, player, name) in [(right2, 1, "Ala"), (wrong2, 2, "Bolek")] {
        daily::answer(&store, GUILD, second.date, option, player, name.into(), at)
            .unwrap()
            .unwrap();
    }
    clock.set(ms("2026-12-07T08:30:00Z"));
    let steps = daily::claim_due(&store, kb, now(&clock)).unwrap();
    assert_eq!(steps.len(), 2);

    let streaks = daily::streaks(&store.daily_history(GUILD).unwrap());
    let of = |name: &str| {
        streaks
            .iter()
            .find(|s| s.name == name)
            .map(|s| (s.current, s.best))
    };
    assert_eq!(of("Ala"), Some((2, 2)));
    assert_eq!(of("Bolek"), Some((0, 1)));
    assert_eq!(of("Cezary"), None, "never right, no streak");
    for locale in [Locale::En, Locale::Pl] {
        let reply = streaks_reply(&streaks, locale);
        let body = clio::discord::payload::callback_body(&Response::Message(reply));
        assert_valid_callback("streaks", &body);
        assert!(body.to_string().contains("Ala"));
    }
}

#[test]
fn a_daily_question_turned_off_is_not_asked() {
    let dir = scratch("off");
    let store = Arc::new(SqliteStore::open(&dir).unwrap());
    let setting = DailyQuestionSetting {
        channel: CHANNEL,
        time: "18:00".into(),
        zone: "UTC".into(),
    };
    store.set_daily_question(GUILD, Some(&setting), 0).unwrap();
    assert_eq!(store.daily_question_setting(GUILD).unwrap(), Some(setting));
    store.set_daily_question(GUILD, None, 0).unwrap();
    let at = DateTime::parse_from_rfc3339("2026-12-05T19:00:00Z")
        .unwrap()
        .with_timezone(&Utc);
    assert!(daily::claim_due(store.as_ref(), pack(), at)
        .unwrap()
        .is_empty());
    assert_eq!(store.latest_daily_question(GUILD).unwrap(), None);
}

// ---- end to end: the real `clio run` against the fake Discord, its wall clock faked --------

use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::sync::Mutex;
use std::time::Duration;

use serde_json::{json, Value};

use super::fake_discord::{as_member, FakeDiscord, API, CHANNEL_ID, GUILD_ID, TOKEN, WAIT};
use super::support::{callback_errors, root};

/// libfaketime, where Debian's `faketime` package puts it.
fn libfaketime() -> Option<PathBuf> {
    [
        "/usr/lib/x86_64-linux-gnu/faketime/libfaketime.so.1",
        "/usr/lib/aarch64-linux-gnu/faketime/libfaketime.so.1",
        "/usr/lib/faketime/libfaketime.so.1",
        "/usr/local/lib/faketime/libfaketime.so.1",
    ]
    .into_iter()
    .map(PathBuf::from)
    .find(|p| p.exists())
}

/// `clio run` whose wall clock starts at `at` (UTC) and runs on; tokio's timers are left real.
struct FakedBot {
    child: Child,
    output: Arc<Mutex<String>>,
}

impl FakedBot {
    fn start(fake: &FakeDiscord, dir: &Path, lib: &Path, at: &str) -> FakedBot {
        let mut child = Command::new(env!("CARGO_BIN_EXE_clio"))
            .current_dir(dir)
            .env_clear()
            .env("NO_COLOR", "1")
            .env("TZ", "UTC")
            .env("DISCORD_TOKEN", TOKEN)
            .env("DISCORD_API_BASE", fake.api_base())
            .env("CLIO_KNOWLEDGE_DIR", root().join("knowledge"))
            .env("CLIO_DATA_DIR", dir.join("data"))
            .env("LD_PRELOAD", lib)
            .env("FAKETIME", format!("@{at}"))
            .env("FAKETIME_DONT_FAKE_MONOTONIC", "1")
            .arg("run")
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .expect("clio run starts");
        let (output, _readers) = super::support::capture_output(&mut child);
        FakedBot { child, output }
    }

    /// SIGTERM, and wait for the exit (bounded).
    fn stop(mut self) {
        let _ = Command::new("kill")
            .args(["-TERM", &self.child.id().to_string()])
            .status();
        let asked = std::time::Instant::now();
        while self.child.try_wait().unwrap().is_none() {
            assert!(
                asked.elapsed() < WAIT,
                "the bot did not stop:\n{}",
                self.output.lock().unwrap()
            );
            std::thread::sleep(Duration::from_millis(20));
        }
    }
}

impl Drop for FakedBot {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn admin(interaction: Value) -> Value {
    as_member(interaction, "1100000000000000009", "Admin", "32", &[])
}

fn channel_posts(fake: &FakeDiscord) -> Vec<Value> {
    let path = format!("{API}/channels/{CHANNEL_ID}/messages");
    fake.requests()
        .into_iter()
        .filter(|r| r.method == "POST" && r.path == path)
        .map(|r| r.body)
        .collect()
}

fn wait_posts(fake: &FakeDiscord, what: &str, n: usize) -> Vec<Value> {
    let path = format!("{API}/channels/{CHANNEL_ID}/messages");
    fake.wait_requests(what, |all| {
        let posts: Vec<Value> = all
            .iter()
            .filter(|r| r.method == "POST" && r.path == path)
            .map(|r| r.body.clone())
            .collect();
        (posts.len() >= n).then_some(posts)
    })
}

fn button_ids(post: &Value) -> Vec<String> {
    post["components"][0]["components"]
        .as_array()
        .map(|b| {
            b.iter()
                .map(|b| b["custom_id"].as_str().unwrap_or_default().to_string())
                .collect()
        })
        .unwrap_or_default()
}

#[test]
fn a_daily_question_over_two_days_with_a_restart_between_them_exactly_one_question_a_day() {
    let name =
        "a_daily_question_over_two_days_with_a_restart_between_them_exactly_one_question_a_day";
    let Some(lib) = libfaketime() else {
        println!(
            "skipped {name}: needs libfaketime (apt-get install faketime); .ci/run installs it"
        );
        return;
    };
    let dir = scratch("e2e");
    std::fs::create_dir_all(&dir).unwrap();
    let fake = FakeDiscord::start();
    let guild: u64 = GUILD_ID.parse().unwrap();

    // Day one, 21:00 UTC (the server has no daily post, so its time zone is UTC).
    let bot = FakedBot::start(&fake, &dir, &lib, "2026-12-05 21:00:00");
    fake.wait_ready();
    let options = [("channel", json!(CHANNEL_ID)), ("time", json!("21:00"))];
    let (body, _) = fake.interact(admin(fake.subcommand(
        "settings",
        "daily_question",
        &options,
        "en-US",
    )));
    assert!(callback_errors(&body).is_empty(), "{body}");
    assert!(body.to_string().contains("Daily question set"), "{body}");
    let posts = wait_posts(&fake, "the first daily question", 1);
    let question = posts[0].clone();
    valid_message("the question", &question);
    let ids = button_ids(&question);
    assert!(
        ids.first()
            .is_some_and(|id| id.starts_with(&format!("dq:{guild}:20261205:"))),
        "the bot sees the faked day: {ids:?}"
    );

    // Two players answer; the second changes their answer.
    let press = |id: &str, who: (&str, &str)| {
        let (body, _) = fake.interact(as_member(
            fake.button(id, &question, "en-US"),
            who.0,
            who.1,
            "0",
            &[],
        ));
        assert!(callback_errors(&body).is_empty(), "{body}");
        assert_eq!(body["data"]["flags"], json!(64), "private: {body}");
        body["data"]["content"]
            .as_str()
            .unwrap_or_default()
            .to_string()
    };
    let ala = ("1100000000000000031", "Ala");
    let bolek = ("1100000000000000032", "Bolek");
    assert!(press(&ids[0], ala).contains("is in"));
    assert!(press(&ids[0], bolek).contains("is in"));
    assert!(press(&ids[1], bolek).contains("Changed"));
    bot.stop();

    // Which was right, from the stored question.
    let store = SqliteStore::open(&dir.join("data")).unwrap();
    let stored = store
        .daily_question(guild, day("2026-12-05"))
        .unwrap()
        .expect("the day's question is stored");
    let (correct, _) = right_option(&stored);
    drop(store);

    // A restart the same evening: no second question that day.
    let bot = FakedBot::start(&fake, &dir, &lib, "2026-12-05 23:00:00");
    fake.wait_ready();
    // The task runs at once on READY; a second question would come within moments.
    std::thread::sleep(Duration::from_secs(2));
    assert_eq!(channel_posts(&fake).len(), 1, "exactly one question a day");
    bot.stop();

    // Day two, after a restart: the reveal of day one with its result, then the new question.
    let bot = FakedBot::start(&fake, &dir, &lib, "2026-12-06 21:00:05");
    fake.wait_ready();
    let posts = wait_posts(&fake, "the reveal and the second question", 3);
    let (reveal, second) = (&posts[1], &posts[2]);
    valid_message("the reveal", reveal);
    valid_message("the second question", second);
    let text = reveal.to_string();
    assert!(text.contains("2 answered"), "{text}");
    let right: Vec<&str> = [(0, "Ala"), (1, "Bolek")]
        .into_iter()
        .filter(|(option, _)| *option == correct)
        .map(|(_, n)| n)
        .collect();
    assert!(text.contains(&format!("{} right", right.len())), "{text}");
    for n in &right {
        assert!(text.contains(n), "{n} was right: {text}");
    }
    assert!(
        button_ids(second)
            .first()
            .is_some_and(|id| id.starts_with(&format!("dq:{guild}:20261206:"))),
        "{second}"
    );
    // Yesterday's buttons are closed now.
    assert!(press(&ids[0], ala).contains("closed"));

    // Streaks.
    let (body, _) = fake.interact(fake.command("leaderboard", &[("period", "streaks")], "en-US"));
    assert!(callback_errors(&body).is_empty(), "{body}");
    let text = body.to_string();
    assert!(text.contains("streaks"), "{text}");
    for n in &right {
        assert!(text.contains(&format!("{n}: current 1, best 1")), "{text}");
    }
    std::thread::sleep(Duration::from_secs(2));
    assert_eq!(
        channel_posts(&fake).len(),
        3,
        "one question on each day, one reveal"
    );
    bot.stop();
}
