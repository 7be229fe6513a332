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
