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
