//! Search, table-driven: query => the entry it must find, or no match.

use clio::knowledge::{Kind, KnowledgeBase};
use clio::search::Outcome;

use super::support::fixture;

fn base() -> KnowledgeBase {
    KnowledgeBase::load(&fixture("search")).unwrap_or_else(|r| panic!("{:?}", r.problems))
}

fn found(kb: &KnowledgeBase, query: &str, kinds: &[Kind]) -> Result<String, String> {
    match kb.find(query, kinds) {
        Outcome::Found(hit) => Ok(kb.entry(hit.entry).id().to_string()),
        other => Err(format!("{other:?}")),
    }
}

#[test]
fn finds_the_meant_entry_despite_case_diacritics_typos_and_order() {
    let kb = base();
    let cases: &[(&str, &str)] = &[
        // exact and case
        ("Władysław Anders", "wladyslaw-anders"),
        ("władysław anders", "wladyslaw-anders"),
        ("WLADYSLAW ANDERS", "wladyslaw-anders"),
        // surname alone, name order, title
        ("Anders", "wladyslaw-anders"),
        ("Anders Władysław", "wladyslaw-anders"),
        ("General Anders", "wladyslaw-anders"),
        // diacritics and letters Unicode does not decompose
        ("Wladyslaw Sikorski", "wladyslaw-sikorski"),
        ("Moscicki", "ignacy-moscicki"),
        ("Rydz-Smigly", "edward-rydz-smigly"),
        ("Orlik-Ruckemann", "wilhelm-orlik-ruckemann"),
        // half of a hyphenated name
        ("Śmigły", "edward-rydz-smigly"),
        ("Rydz", "edward-rydz-smigly"),
        ("Rückemann", "wilhelm-orlik-ruckemann"),
        // Cyrillic
        ("Сталин", "joseph-stalin"),
        ("Józef Stalin", "joseph-stalin"),
        // typos
        ("Sikorsky", "wladyslaw-sikorski"),
        ("Ribentrop", "joachim-von-ribbentrop"),
        ("Kleebreg", "franciszek-kleeberg"),
        ("Franciszek Kleberg", "franciszek-kleeberg"),
        ("Mościcky", "ignacy-moscicki"),
        // punctuation
        ("  anders!!! ", "wladyslaw-anders"),
        ("Rydz Śmigły", "edward-rydz-smigly"),
        // three-letter names neither swallow nor get swallowed
        ("Kot", "stanislaw-kot"),
        ("Stanisław Kot", "stanislaw-kot"),
        ("Kotarbiński", "jan-kotarbinski"),
        ("Andersen", "hans-andersen"),
    ];
    let mut failures = Vec::new();
    for (query, expected) in cases {
        match found(&kb, query, &[Kind::Person]) {
            Ok(id) if id == *expected => {}
            other => failures.push(format!("{query:?}: expected {expected}, got {other:?}")),
        }
    }
    assert!(
        failures.is_empty(),
        "searches that failed:\n{}",
        failures.join("\n")
    );
}

#[test]
fn topics_and_events_by_other_names_and_languages() {
    let kb = base();
    let cases: &[(&str, Kind, &str)] = &[
        (
            "Molotov-Ribbentrop Pact",
            Kind::Topic,
            "molotov-ribbentrop-pact",
        ),
        ("Ribbentrop-Molotov", Kind::Topic, "molotov-ribbentrop-pact"),
        (
            "pakt Ribbentrop-Mołotow",
            Kind::Topic,
            "molotov-ribbentrop-pact",
        ),
        ("Hitler Stalin pact", Kind::Topic, "molotov-ribbentrop-pact"),
        ("Lutsk", Kind::Topic, "luck"),
        ("Luck", Kind::Topic, "luck"),
        ("bitwa pod Kockiem", Kind::Event, "battle-of-kock"),
        ("Kock", Kind::Event, "battle-of-kock"),
        ("battle of kock", Kind::Event, "battle-of-kock"),
        ("obrona lwowa", Kind::Event, "battle-of-lwow"),
    ];
    let mut failures = Vec::new();
    for (query, kind, expected) in cases {
        match found(&kb, query, &[*kind]) {
            Ok(id) if id == *expected => {}
            other => failures.push(format!("{query:?}: expected {expected}, got {other:?}")),
        }
    }
    assert!(
        failures.is_empty(),
        "searches that failed:\n{}",
        failures.join("\n")
    );
}

#[test]
fn nonsense_and_unknown_names_are_no_match() {
    let kb = base();
    for query in [
        "Qwerty Asdfgh",
        "Julius Caesar",
        "Napoleon Bonaparte",
        "zzzz",
        "x",
        "Kotlin compiler",
        "12345",
        "🙂🙂🙂",
        "@everyone",
    ] {
        match kb.find(query, &[Kind::Person]) {
            Outcome::NotFound { .. } => {}
            other => panic!("{query:?} should find nothing, got {other:?}"),
        }
    }
}

#[test]
fn close_candidates_are_offered_not_guessed() {
    let kb = base();
    // "Władysław" alone could be Anders or Sikorski: offer both.
    match kb.find("Władysław", &[Kind::Person]) {
        Outcome::Ambiguous(hits) => {
            let ids: Vec<&str> = hits.iter().map(|h| kb.entry(h.entry).id()).collect();
            assert!(
                ids.contains(&"wladyslaw-anders") && ids.contains(&"wladyslaw-sikorski"),
                "{ids:?}"
            );
            assert!(hits.len() <= 5);
        }
        other => panic!("expected did-you-mean, got {other:?}"),
    }
    // "Battle of" matches every battle partly.
    assert!(matches!(
        kb.find("Battle of", &[Kind::Event]),
        Outcome::Ambiguous(_)
    ));
}

#[test]
fn a_plausible_near_miss_is_suggested() {
    let kb = base();
    match kb.find("Sikorski Maisky", &[Kind::Person]) {
        Outcome::NotFound { nearest: Some(hit) } => {
            assert_eq!(kb.entry(hit.entry).id(), "wladyslaw-sikorski")
        }
        Outcome::Ambiguous(hits) => assert_eq!(kb.entry(hits[0].entry).id(), "wladyslaw-sikorski"),
        other => panic!("expected a suggestion, got {other:?}"),
    }
}

#[test]
fn kinds_restrict_the_search() {
    let kb = base();
    assert!(matches!(
        kb.find("Anders", &[Kind::Topic]),
        Outcome::NotFound { .. }
    ));
    assert_eq!(found(&kb, "Kock", &[]).as_deref(), Ok("battle-of-kock"));
}

#[test]
fn autocomplete_suggests_while_typing() {
    let kb = base();
    let hits = kb.suggest("Ande", &[Kind::Person], 25);
    let ids: Vec<&str> = hits.iter().map(|h| kb.entry(h.entry).id()).collect();
    assert_eq!(ids.first(), Some(&"wladyslaw-anders"), "{ids:?}");
    assert!(ids.contains(&"hans-andersen"));
    let hits = kb.suggest("Sik", &[Kind::Person], 25);
    assert_eq!(kb.entry(hits[0].entry).id(), "wladyslaw-sikorski");
}
