//! Lookups answered across kinds and dates: disputed dates listed under each value, one-day
//! timelines led by that day's events, approximate dates marked in lists, `/what` and `/event`
//! answering with the other kind when that is the only good match, figures found by `/search`, and
//! reveals showing the sources' disagreement.

use std::collections::HashSet;

use clio::answers::{respond, Command, Ctx, Reply};
use clio::dates::{PartialDate, Precision};
use clio::i18n::Locale;
use clio::knowledge::Entry;
use clio::quiz::questions::{generate, Request};
use clio::quiz::Scope;

use super::support::pack;

fn ask(cmd: Command) -> Reply {
    let ctx = Ctx {
        today: PartialDate::day(2026, 11, 26),
        seed: 3,
    };
    respond(pack(), &cmd, Locale::En, &ctx)
}

fn event(q: &str) -> Reply {
    ask(Command::Event { query: q.into() })
}

/// The entries a reply opens: the card's own (`s:`), then the listed ones (`o:`).
fn opened(reply: &Reply) -> Vec<String> {
    let all: Vec<&str> = reply
        .rows
        .iter()
        .flatten()
        .map(|b| b.custom_id.as_str())
        .collect();
    let card = all.iter().filter_map(|id| id.strip_prefix("s:"));
    let listed = all.iter().filter_map(|id| id.strip_prefix("o:"));
    card.chain(listed).map(str::to_string).collect()
}

fn card_of(reply: &Reply) -> Option<String> {
    reply
        .rows
        .iter()
        .flatten()
        .find_map(|b| b.custom_id.strip_prefix("s:").map(str::to_string))
}

#[test]
fn a_disputed_date_is_listed_under_each_value() {
    // The annexation: November 1939 in one document, 1945 in another.
    for q in ["November 1939", "1945"] {
        let reply = event(q);
        assert!(
            opened(&reply).contains(&"soviet-annexation-of-eastern-poland".to_string()),
            "{q}: {:?}",
            opened(&reply)
        );
    }
}

#[test]
fn a_one_day_timeline_starts_with_that_days_events() {
    let reply = ask(Command::Timeline {
        from: Some("1939-09-28".into()),
        to: Some("1939-09-28".into()),
    });
    let ids = opened(&reply);
    let kb = pack();
    let on_the_day: Vec<bool> = ids
        .iter()
        .map(|id| {
            kb.get(id).and_then(Entry::as_event).is_some_and(|e| {
                e.date.precision() == Precision::Day && e.date.first_day() == e.date.last_day()
            })
        })
        .collect();
    assert!(on_the_day.first() == Some(&true), "{ids:?}");
    // No event of that one day comes after a longer entry.
    let first_longer = on_the_day
        .iter()
        .position(|d| !d)
        .unwrap_or(on_the_day.len());
    assert!(on_the_day[first_longer..].iter().all(|d| !d), "{ids:?}");
    assert!(ids.contains(&"warsaw-holds-out".to_string()), "{ids:?}");
}

#[test]
fn approximate_dates_are_marked_in_event_lists() {
    let reply = event("September 1939");
    let text = reply.embeds[0].description.as_deref().unwrap_or("");
    // The parade in Brest is dated September 1939, approximately.
    let line = text
        .lines()
        .find(|l| l.contains("parade in Brest"))
        .unwrap_or_else(|| panic!("the parade is not on the first page:\n{text}"));
    assert!(line.contains("approximately"), "{line}");
    assert!(!reply.ephemeral);
}

#[test]
fn what_answers_with_an_event_when_no_topic_matches() {
    for (q, id) in [
        ("Operation Barbarossa", "operation-barbarossa"),
        ("kampania wrześniowa", "september-campaign"),
    ] {
        let reply = ask(Command::What { topic: q.into() });
        assert_eq!(card_of(&reply).as_deref(), Some(id), "{q}");
    }
}

#[test]
fn event_answers_with_a_topic_when_no_event_matches() {
    for (q, id) in [("Plan West", "plan-west"), ("Gulag", "gulag")] {
        assert_eq!(card_of(&event(q)).as_deref(), Some(id), "{q}");
    }
}

#[test]
fn a_place_named_in_an_events_title_answers_the_event_in_event() {
    assert_eq!(card_of(&event("Kock")).as_deref(), Some("battle-of-kock"));
    assert_eq!(card_of(&event("Katyń")).as_deref(), Some("katyn-massacre"));
    // and the place in /what
    let reply = ask(Command::What {
        topic: "Kock".into(),
    });
    assert_eq!(card_of(&reply).as_deref(), Some("kock"));
}

#[test]
fn a_figure_finds_the_entry_that_gives_it() {
    let reply = ask(Command::Search {
        text: "3,300 aircraft".into(),
    });
    assert_eq!(
        opened(&reply).first().map(String::as_str),
        Some("soviet-invasion-of-poland")
    );
}

#[test]
fn a_role_finds_the_person_who_held_it() {
    for (q, id) in [
        ("Soviet ambassador in London", "ivan-maisky"),
        ("commander of the Belarusian Front", "mikhail-kovalyov"),
        ("deputy commissar for foreign affairs", "vladimir-potemkin"),
        ("Herr von Ribbentrop", "joachim-von-ribbentrop"),
    ] {
        let reply = ask(Command::Who { name: q.into() });
        assert_eq!(card_of(&reply).as_deref(), Some(id), "{q}");
    }
}

#[test]
fn a_reveal_shows_the_sources_disagreeing_on_a_disputed_date() {
    let kb = pack();
    let disputed: HashSet<&str> = kb
        .entries()
        .iter()
        .filter_map(Entry::as_event)
        .filter(|e| !e.disputed_dates.is_empty())
        .map(|e| e.id.as_str())
        .collect();
    let mut seen = 0;
    for seed in 0..300 {
        let questions = generate(
            kb,
            &Request {
                count: 20,
                seed,
                scope: &Scope::all(),
                avoid: &HashSet::new(),
            },
        );
        for q in questions {
            let dated = matches!(
                q.kind,
                clio::quiz::QuestionKind::EventYear | clio::quiz::QuestionKind::EventDate
            );
            if dated && q.entry.as_deref().is_some_and(|id| disputed.contains(id)) {
                seen += 1;
                let en = q.explanation.get(Locale::En);
                assert!(en.contains("disagree"), "{en}");
                assert!(q.explanation.get(Locale::Pl).contains("różnią się"));
            }
        }
    }
    assert!(
        seen > 0,
        "no dated question on a disputed event in 300 quizzes"
    );
}
