//! Quiz fairness: a "where" question cites the document that names the place, even declined; no
//! year is asked of an event whose year is itself approximate.

use std::collections::HashSet;

use clio::dates::Precision;
use clio::knowledge::{Entry, KnowledgeBase};
use clio::quiz::questions::{generate, Request};
use clio::quiz::{QuestionKind, Scope};

use super::support::pack;

fn questions(kb: &KnowledgeBase, seed: u64) -> Vec<clio::quiz::Question> {
    generate(
        kb,
        &Request {
            count: 20,
            seed,
            scope: &Scope::all(),
            avoid: &HashSet::new(),
        },
    )
}

#[test]
fn a_where_question_cites_the_document_that_declines_the_place_name() {
    // The Kuty directive with the English account (which does not name the place) cited first: the
    // source must still be the Polish one, which names it declined ("w Kutach").
    let mut entries: Vec<Entry> = pack().entries().to_vec();
    for e in &mut entries {
        if let Entry::Event(ev) = e {
            if ev.id == "rydz-smigly-directive" {
                ev.sources.sort_by_key(|c| c.source != "invasion-account");
                assert_eq!(ev.sources[0].source, "invasion-account");
            }
        }
    }
    let kb = KnowledgeBase::new(entries);
    let mut seen = 0;
    for seed in 0..400 {
        for q in questions(&kb, seed) {
            if q.key != "where:rydz-smigly-directive" {
                continue;
            }
            seen += 1;
            let source = q.source.as_ref().expect("a where question cites a source");
            assert_eq!(source.id, "polish-account", "{q:?}");
            assert!(
                source.quote.as_deref().unwrap_or("").contains("Kutach"),
                "{source:?}"
            );
        }
    }
    assert!(
        seen > 0,
        "no seed asked where the Kuty directive was issued"
    );
}

#[test]
fn no_year_question_is_asked_of_an_event_approximate_to_the_year() {
    let kb = pack();
    let approximate_years: HashSet<&str> = kb
        .entries()
        .iter()
        .filter_map(Entry::as_event)
        .filter(|e| e.approximate && e.date.precision() == Precision::Year)
        .map(|e| e.id.as_str())
        .collect();
    assert!(
        !approximate_years.is_empty(),
        "the pack has no event approximate to the year to test with"
    );
    let mut years_asked = 0;
    for seed in 0..300 {
        for q in questions(kb, seed) {
            if q.kind != QuestionKind::EventYear {
                continue;
            }
            years_asked += 1;
            let entry = q.entry.as_deref().unwrap_or("");
            assert!(
                !approximate_years.contains(entry),
                "a year question on {entry}, whose year is approximate: {q:?}"
            );
        }
    }
    assert!(years_asked > 0, "no year question was asked at all");
}
