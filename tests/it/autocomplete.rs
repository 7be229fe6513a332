//! Autocomplete while typing: a typo in the part typed so far still offers the person, over the
//! shipped pack and over a generated base of 100,000 entries; and a surname prefix lists the intended
//! entry at 100,000 entries as reliably as at 10,000.

use std::sync::OnceLock;

use clio::i18n::Locale;
use clio::knowledge::{load_texts, Entry, Kind, KnowledgeBase};
use clio::search::normalize;

use super::support::pack;

#[path = "../../benches/generate/mod.rs"]
#[allow(dead_code)]
mod generate;

/// The generated bases, built once for the whole test binary.
fn generated(n: usize) -> &'static KnowledgeBase {
    static SMALL: OnceLock<KnowledgeBase> = OnceLock::new();
    static LARGE: OnceLock<KnowledgeBase> = OnceLock::new();
    let cell = if n == 10_000 { &SMALL } else { &LARGE };
    cell.get_or_init(|| {
        let (text, _) = generate::synthetic_base(n, 42);
        load_texts(&[("synthetic.toml", &text)])
            .base
            .expect("the generated base loads")
    })
}

/// `word` with the letter at `i` replaced by another (the next one in the alphabet).
fn wrong_letter(word: &str, i: usize) -> String {
    word.chars()
        .enumerate()
        .map(|(j, c)| {
            if j == i {
                if c == 'z' {
                    'a'
                } else {
                    ((c as u8) + 1) as char
                }
            } else {
                c
            }
        })
        .collect()
}

fn offered(kb: &KnowledgeBase, partial: &str, id: &str) -> bool {
    kb.suggest(partial, &[Kind::Person], 25)
        .iter()
        .any(|h| kb.entry(h.entry).id() == id)
}

/// People with a surname of at least six letters: (id, normalized surname).
fn surnames(kb: &KnowledgeBase, every: usize) -> Vec<(String, String)> {
    kb.entries()
        .iter()
        .filter_map(|e| match e {
            Entry::Person(p) => Some(p),
            _ => None,
        })
        .step_by(every)
        .filter_map(|p| {
            let name = normalize(p.name.get(Locale::En));
            let surname = name.split(' ').next_back()?.to_string();
            (surname.len() >= 6).then(|| (p.id.clone(), surname))
        })
        .collect()
}

/// Every person of the shipped pack, typed as the first six letters of the surname with one wrong
/// letter among the first five, at every such position.
#[test]
fn a_wrong_letter_in_the_first_five_still_offers_the_person() {
    let kb = pack();
    let people = surnames(kb, 1);
    assert!(people.len() >= 15, "{people:?}");
    let mut missed = Vec::new();
    for (id, surname) in &people {
        let typed: String = surname.chars().take(6).collect();
        assert!(offered(kb, &typed, id), "{typed} does not offer {id}");
        for i in 0..5 {
            let slip = wrong_letter(&typed, i);
            if !offered(kb, &slip, id) {
                missed.push(format!("{slip} (for {id})"));
            }
        }
    }
    assert!(missed.is_empty(), "not offered: {missed:?}");
}

/// The share of sampled people offered for their surname typed but for its last letter.
fn prefix_rate(kb: &KnowledgeBase, slip_at: Option<usize>) -> (usize, usize) {
    let people = surnames(kb, 97);
    let mut hits = 0;
    for (id, surname) in &people {
        let mut typed: String = surname.chars().take(surname.chars().count() - 1).collect();
        if let Some(i) = slip_at {
            typed = wrong_letter(&typed, i);
        }
        let first = match kb.get(id) {
            Some(Entry::Person(p)) => normalize(p.name.get(Locale::En))
                .split(' ')
                .next()
                .unwrap_or("")
                .to_string(),
            _ => String::new(),
        };
        if offered(kb, &format!("{first} {typed}"), id) {
            hits += 1;
        }
    }
    (hits, people.len())
}

#[test]
fn a_surname_prefix_lists_the_person_at_100000_entries_as_reliably_as_at_10000() {
    let (small_hits, small_n) = prefix_rate(generated(10_000), None);
    let (large_hits, large_n) = prefix_rate(generated(100_000), None);
    println!("surname prefix offered: {small_hits}/{small_n} at 10,000, {large_hits}/{large_n} at 100,000");
    assert!(small_n >= 20 && large_n >= 200, "{small_n} {large_n}");
    assert!(small_hits * 100 >= small_n * 95, "{small_hits}/{small_n}");
    // As reliably: the larger base within two points of the smaller.
    assert!(
        large_hits * small_n * 100 + 2 * small_n * large_n >= small_hits * large_n * 100,
        "{large_hits}/{large_n} at 100,000 against {small_hits}/{small_n} at 10,000"
    );
}

#[test]
fn a_typo_in_a_surname_prefix_still_offers_the_person_at_100000_entries() {
    let kb = generated(100_000);
    for slip in [1usize, 3] {
        let (hits, n) = prefix_rate(kb, Some(slip));
        println!("typo at {slip}: offered {hits}/{n} at 100,000");
        assert!(hits * 100 >= n * 90, "typo at {slip}: {hits}/{n}");
    }
}

/// `events_on` as it was before the timeline index: a walk over every event, each compared with
/// the date as written in its own calendar; within first, then the ongoing ones by their rank.
fn events_on_by_walking<'a>(
    kb: &'a KnowledgeBase,
    date: &clio::dates::HistDate,
) -> Vec<&'a clio::knowledge::Event> {
    let as_written = |e: &clio::knowledge::Event| {
        if e.date.is_julian() && !date.is_julian() {
            date.in_julian()
        } else {
            *date
        }
    };
    let (mut within, mut ongoing) = (Vec::new(), Vec::new());
    for e in kb.timeline() {
        if e.date.within(&as_written(e)) {
            within.push(e);
        } else if e.date.overlaps(&as_written(e)) {
            ongoing.push(e);
        }
    }
    // The ranking itself is the base's; what is checked here is which events are found.
    ongoing.sort_by_key(|e| clio::knowledge::ongoing_rank(e, &as_written(e)));
    within.extend(ongoing);
    within
}

/// The dates a user might ask about in `kb`: each event's start and end as a day, a month and a
/// year, the day before and after, and years with no event at all.
fn dates_to_ask(kb: &KnowledgeBase, every: usize) -> Vec<clio::dates::HistDate> {
    let mut asked = Vec::new();
    for e in kb.timeline().step_by(every) {
        for end in [e.date.start, e.date.end] {
            let (y, m, d) = (end.year, end.month.unwrap_or(1), end.day.unwrap_or(1));
            for text in [
                format!("{y:04}-{m:02}-{d:02}"),
                format!("{y:04}-{m:02}"),
                format!("{y:04}"),
                format!("{:04}", y - 1),
                format!("{y:04}-{m:02}-{:02}", (d % 28) + 1),
            ] {
                if let Ok(date) = clio::dates::HistDate::parse_canonical(&text) {
                    asked.push(date);
                    asked.push(date.in_julian());
                }
            }
        }
    }
    for text in ["0001", "1200", "1939-09-17", "1939-09", "1939", "2500"] {
        let date = clio::dates::HistDate::parse_canonical(text).unwrap();
        asked.push(date);
        asked.push(date.in_julian());
    }
    asked
}

fn ids<'a>(events: impl IntoIterator<Item = &'a clio::knowledge::Event>) -> Vec<&'a str> {
    events.into_iter().map(|e| e.id.as_str()).collect()
}

/// A pack of dated events where every third is written in the Julian calendar, some as ranges
/// and some to the month or year only.
fn julian_pack() -> KnowledgeBase {
    let mut text = String::from(
        "[[source]]\nid = \"annals\"\ntitle = \"Annals\"\nkind = \"book\"\nlanguage = \"la\"\nlocator = \"annals.txt\"\n\n",
    );
    for i in 0..600u32 {
        let year = 1380 + (i * 7) % 260;
        let month = 1 + (i * 5) % 12;
        let day = 1 + (i * 11) % 28;
        let date = match i % 4 {
            0 => format!("{year:04}-{month:02}-{day:02}"),
            1 => format!("{year:04}-{month:02}"),
            2 => format!("{year:04}"),
            _ => format!(
                "{year:04}-{month:02}-{day:02}..{:04}-{month:02}",
                year + i % 3
            ),
        };
        let calendar = if i % 3 == 0 {
            "calendar = \"julian\"\n"
        } else {
            ""
        };
        text.push_str(&format!(
            "[[event]]\nid = \"e{i}\"\n{calendar}name = \"Event {i}\"\ndate = \"{date}\"\nsummary = \"An event.\"\nsources = [\"annals\"]\n\n"
        ));
    }
    let report = load_texts(&[("julian.toml", &text)]);
    let problems: Vec<String> = report.problems.iter().map(|p| p.to_string()).collect();
    report.base.unwrap_or_else(|| panic!("{problems:#?}"))
}

#[test]
fn events_on_a_date_are_those_a_walk_over_every_event_finds() {
    let julian = julian_pack();
    assert!(julian.timeline().any(|e| e.date.is_julian()));
    for (what, kb, every) in [
        ("the shipped pack", pack(), 1),
        ("a pack with Julian dates", &julian, 1),
        ("10,000 generated entries", generated(10_000), 40),
    ] {
        let asked = dates_to_ask(kb, every);
        assert!(asked.len() > 50, "{what}: {} dates", asked.len());
        let mut found = 0;
        for date in &asked {
            let expected = ids(events_on_by_walking(kb, date));
            found += expected.len();
            assert_eq!(ids(kb.events_on(date)), expected, "{what}: {date:?}");
            let from: Vec<&str> = ids(kb
                .timeline()
                .filter(|e| e.date.last_day() >= date.first_day()));
            assert_eq!(ids(kb.timeline_from(date)), from, "{what}: from {date:?}");
        }
        assert!(
            found > asked.len() / 2,
            "{what}: the dates asked find events"
        );
    }
}

#[test]
fn an_empty_field_offers_the_first_names_a_full_sort_gives() {
    for (what, kb) in [
        ("the shipped pack", pack()),
        ("10,000 generated", generated(10_000)),
    ] {
        for locale in [Locale::En, Locale::Pl] {
            for kinds in [
                &[][..],
                &[Kind::Person][..],
                &[Kind::Event][..],
                &[Kind::Topic][..],
                &[Kind::Person, Kind::Topic][..],
                &[Kind::Event, Kind::Person][..],
                &[Kind::Source][..],
            ] {
                let wanted = |e: &&Entry| {
                    if kinds.is_empty() {
                        e.kind() != Kind::Source
                    } else {
                        kinds.contains(&e.kind())
                    }
                };
                let mut expected: Vec<(&str, usize)> = kb
                    .entries()
                    .iter()
                    .enumerate()
                    .filter(|(_, e)| wanted(e))
                    .map(|(i, e)| (e.name(locale), i))
                    .collect();
                // Events asked for alone come in the pack's order, everything else by name.
                if kinds != [Kind::Event] {
                    expected.sort();
                }
                let expected: Vec<&str> = expected
                    .iter()
                    .take(25)
                    .map(|(_, i)| kb.entry(*i).id())
                    .collect();
                let offered: Vec<&str> = kb
                    .first_names(kinds, locale, 25)
                    .iter()
                    .map(|e| e.id())
                    .collect();
                assert!(
                    !expected.is_empty() || kinds == [Kind::Topic],
                    "{what} {kinds:?}"
                );
                assert_eq!(offered, expected, "{what} {locale:?} {kinds:?}");
            }
        }
    }
}

#[test]
fn the_first_digits_of_a_year_offer_the_events_from_the_first_year_they_can_begin() {
    for (what, kb) in [
        ("the shipped pack", pack()),
        ("10,000 generated", generated(10_000)),
    ] {
        for (typed, from) in [("19", 1900), ("193", 1930), ("1", 1000)] {
            let mut offered =
                clio::answers::autocomplete(kb, "timeline", "from", typed, Locale::En);
            // Digits that are a year themselves (193) are offered first as typed, as a date.
            if offered.first().is_some_and(|(_, value)| value == typed) {
                offered.remove(0);
            }
            let expected: Vec<String> = kb
                .timeline()
                .filter(|e| i64::from(e.date.end.year) >= from)
                .take(24)
                .map(|e| e.id.clone())
                .collect();
            assert!(!expected.is_empty(), "{what}: events from {from}");
            // Each choice's value is the event's date, in time order from that year on.
            let years: Vec<i32> = offered
                .iter()
                .map(|(_, value)| value[..4].parse().unwrap())
                .collect();
            assert_eq!(offered.len(), expected.len(), "{what} {typed}: {offered:?}");
            assert!(
                years.windows(2).all(|w| w[0] <= w[1]),
                "{what} {typed}: {years:?}"
            );
            let first = kb
                .timeline()
                .find(|e| i64::from(e.date.end.year) >= from)
                .unwrap();
            assert!(
                offered[0].0.contains(first.name.get(Locale::En)),
                "{what} {typed}: {offered:?} should begin with {}",
                first.id
            );
        }
    }
}
