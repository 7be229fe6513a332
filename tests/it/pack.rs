//! The shipped pack (issue 3): complete, bilingual, sourced, linked, and findable.

use clio::answers::{self, Command, Ctx};
use clio::dates::PartialDate;
use clio::i18n::Locale;
use clio::knowledge::{Entry, Kind};
use clio::search::Outcome;
use serde::Deserialize;

use super::support::{pack, root};

#[derive(Deserialize)]
struct Names {
    name: Vec<Name>,
}

#[derive(Deserialize)]
struct Name {
    command: String,
    query: String,
    others: Vec<String>,
    expect: String,
}

#[test]
fn every_name_in_the_documents_resolves_by_its_name_and_another_spelling() {
    let text = std::fs::read_to_string(root().join("tests/fixtures/pack_names.toml"))
        .expect("pack_names.toml");
    let names: Names = toml::from_str(&text).expect("pack_names.toml parses");
    let kb = pack();
    let mut failures = Vec::new();
    for n in &names.name {
        let kind = match n.command.as_str() {
            "who" => Kind::Person,
            "event" => Kind::Event,
            _ => Kind::Topic,
        };
        assert!(!n.others.is_empty(), "{}: needs another spelling", n.query);
        for q in std::iter::once(&n.query).chain(&n.others) {
            match kb.find(q, &[kind]) {
                Outcome::Found(hit) if kb.entry(hit.entry).id() == n.expect => {}
                other => {
                    let got = match other {
                        Outcome::Found(h) => format!("found {}", kb.entry(h.entry).id()),
                        Outcome::Ambiguous(h) => format!(
                            "ambiguous {:?}",
                            h.iter().map(|h| kb.entry(h.entry).id()).collect::<Vec<_>>()
                        ),
                        Outcome::NotFound { nearest } => format!(
                            "not found (nearest {:?})",
                            nearest.map(|h| kb.entry(h.entry).id())
                        ),
                    };
                    failures.push(format!(
                        "/{} {q:?}: expected {}, {got}",
                        n.command, n.expect
                    ));
                }
            }
        }
        // And through the command itself, as a user would see it.
        let cmd = Command::from_parts(
            &n.command,
            &[(
                super::support::lookup_commands()
                    .into_iter()
                    .find(|c| c.name == n.command)
                    .unwrap()
                    .options[0]
                    .0
                    .clone(),
                n.query.clone(),
            )],
        )
        .unwrap();
        let reply = answers::respond(
            kb,
            &cmd,
            Locale::En,
            &Ctx {
                today: PartialDate::day(2026, 1, 1),
                seed: 0,
            },
        );
        let footer = reply
            .embeds
            .first()
            .and_then(|e| e.footer.clone())
            .unwrap_or_default();
        if !footer.ends_with(&n.expect) && !reply.ephemeral {
            failures.push(format!(
                "/{} {}: the card shown is {footer}",
                n.command, n.query
            ));
        }
    }
    assert!(
        names.name.len() >= 100,
        "the names list should cover the documents: {}",
        names.name.len()
    );
    assert!(
        failures.is_empty(),
        "{} of {} lookups failed:\n{}",
        failures.len(),
        names.name.len(),
        failures.join("\n")
    );
}

#[test]
fn every_entry_is_bilingual_and_sourced_and_every_link_resolves() {
    let kb = pack();
    let mut failures = Vec::new();
    for e in kb.entries() {
        let id = e.id();
        let texts: Vec<(&str, &clio::knowledge::Text)> = match e {
            Entry::Person(p) => vec![("name", &p.name), ("summary", &p.summary)],
            Entry::Event(ev) => vec![("name", &ev.name), ("summary", &ev.summary)],
            Entry::Topic(t) => vec![("name", &t.name), ("summary", &t.summary)],
            Entry::Source(s) => s.summary.iter().map(|t| ("summary", t)).collect(),
        };
        if matches!(e, Entry::Source(_)) && texts.is_empty() {
            failures.push(format!(
                "{id}: a source needs a summary in English and Polish"
            ));
        }
        for (what, t) in texts {
            if !t.has(Locale::En) || !t.has(Locale::Pl) {
                failures.push(format!("{id}: {what} lacks English or Polish"));
            }
        }
        if e.kind() != Kind::Source && e.citations().is_empty() {
            failures.push(format!("{id}: no source"));
        }
        for link in e.links().into_iter().chain(e.source_ids()) {
            if kb.get(link).is_none() {
                failures.push(format!("{id}: link {link} resolves to nothing"));
            }
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn the_pack_has_all_four_sources_and_checks_without_warnings() {
    let report = clio::knowledge::load_dir(&root().join("knowledge"));
    let problems: Vec<String> = report.problems.iter().map(|p| p.to_string()).collect();
    assert!(problems.is_empty(), "{}", problems.join("\n"));
    let kb = pack();
    for locator in [
        "000_0a389517c927cc99.txt",
        "001_980fa23612b95ff4.txt",
        "002_7f8f25e3fc20e52d.txt",
        "003_0d0e009d4f81ea8f.txt",
    ] {
        assert!(
            kb.entries()
                .iter()
                .any(|e| matches!(e, Entry::Source(s) if s.locator == locator)),
            "no source entry for {locator}"
        );
    }
}

#[test]
fn disagreements_are_kept_with_both_values_on_the_card() {
    let kb = pack();
    let disputed: Vec<&clio::knowledge::Event> = kb
        .timeline()
        .filter(|e| e.figures.iter().any(|f| f.disputed()) || !e.disputed_dates.is_empty())
        .collect();
    assert!(
        !disputed.is_empty(),
        "the documents disagree on Soviet strength at least"
    );
    for e in disputed {
        let reply = answers::press(
            kb,
            &format!("o:{}", e.id),
            Locale::En,
            &Ctx {
                today: PartialDate::day(2026, 1, 1),
                seed: 0,
            },
        );
        let text = serde_json::to_string(reply.reply()).unwrap();
        assert!(
            text.contains("sources disagree"),
            "{}: the card does not say the sources disagree",
            e.id
        );
    }
}
