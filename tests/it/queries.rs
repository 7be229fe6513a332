//! The query set (tests/fixtures/queries.toml): every line through `answers::respond` on the shipped
//! pack, scored; below 98% the test fails and lists the failures.

use clio::answers::{respond, Command, Ctx, Reply};
use clio::dates::PartialDate;
use clio::i18n::Locale;

use super::support::{fixture, pack};

#[derive(serde::Deserialize)]
struct Set {
    queries: Vec<Query>,
}

#[derive(serde::Deserialize)]
struct Query {
    command: String,
    query: String,
    expect: String,
    #[serde(default)]
    r#in: bool,
    #[serde(default)]
    offered: bool,
}

/// What a reply shows, as far as the query set cares.
#[derive(Debug)]
enum Shown {
    /// An entry's card.
    Card(String),
    /// A public list of entries, in order.
    List(Vec<String>),
    /// An ephemeral answer: did you mean, no match, an error; with the entries it offers.
    Notice(Vec<String>),
}

fn shown(reply: &Reply) -> Shown {
    let ids = |prefix: &str| -> Vec<String> {
        reply
            .rows
            .iter()
            .flatten()
            .filter_map(|b| b.custom_id.strip_prefix(prefix).map(str::to_string))
            .collect()
    };
    if reply.ephemeral {
        return Shown::Notice(ids("o:"));
    }
    if let Some(id) = ids("s:").into_iter().next() {
        return Shown::Card(id);
    }
    Shown::List(ids("o:"))
}

fn ask(q: &Query) -> Shown {
    let option = match q.command.as_str() {
        "event" => "query",
        "who" => "name",
        "what" => "topic",
        "search" => "text",
        "onthisday" => "date",
        "timeline" => "from",
        other => panic!("unknown command {other} in the query set"),
    };
    let mut options = vec![(option.to_string(), q.query.clone())];
    if q.command == "timeline" {
        options.push(("to".to_string(), q.query.clone()));
    }
    let cmd = Command::from_parts(&q.command, &options).expect("a lookup command");
    let ctx = Ctx {
        today: PartialDate::day(2026, 11, 26),
        seed: 7,
    };
    shown(&respond(pack(), &cmd, Locale::En, &ctx))
}

fn passes(q: &Query, got: &Shown) -> bool {
    match (q.expect.as_str(), got) {
        (id, Shown::Notice(offered)) if q.offered => {
            offered.len() > 1 && offered.iter().any(|o| o == id)
        }
        ("none", Shown::Notice(offered)) => offered.len() <= 1,
        ("none", _) => false,
        (id, Shown::Card(c)) => c == id,
        (id, Shown::List(ids)) if q.command != "who" && q.command != "what" => {
            if q.r#in {
                ids.iter().any(|i| i == id)
            } else if q.command == "event" && ids.len() > 1 && !is_date_query(&q.query) {
                false // a name typed to /event must answer with the card
            } else {
                ids.first().is_some_and(|i| i == id)
            }
        }
        _ => false,
    }
}

fn is_date_query(query: &str) -> bool {
    matches!(clio::dates::parse_user_date(query), Ok(Some(_)))
}

#[test]
fn the_query_set_scores_at_least_98_percent() {
    // CLIO_QUERIES=<path> runs another set of the same form (a held-out one) instead.
    let path = std::env::var_os("CLIO_QUERIES")
        .map(std::path::PathBuf::from)
        .unwrap_or_else(|| fixture("queries.toml"));
    let text = std::fs::read_to_string(&path).expect("the query set");
    let set: Set = toml::from_str(&text).expect("the query set parses");
    if std::env::var_os("CLIO_QUERIES").is_none() {
        assert!(
            set.queries.len() >= 400,
            "only {} queries",
            set.queries.len()
        );
    }
    let kb = pack();
    let mut failures = Vec::new();
    for q in &set.queries {
        assert!(
            q.expect == "none" || kb.get(&q.expect).is_some(),
            "the query set expects {}, which the pack does not hold",
            q.expect
        );
        let got = ask(q);
        if !passes(q, &got) {
            let kinds: &[clio::knowledge::Kind] = match q.command.as_str() {
                "who" => &[clio::knowledge::Kind::Person],
                "what" => &[clio::knowledge::Kind::Topic],
                "event" => &[clio::knowledge::Kind::Event],
                _ => &[],
            };
            let scores: Vec<String> = kb
                .search(&q.query, kinds, 3)
                .iter()
                .map(|h| format!("{} {:.3}", kb.entry(h.entry).id(), h.score))
                .collect();
            failures.push(format!(
                "/{} {:?}: expected {}, got {got:?} [{}]",
                q.command,
                q.query,
                q.expect,
                scores.join(", ")
            ));
        }
    }
    let total = set.queries.len();
    let passed = total - failures.len();
    println!("query set score: {passed}/{total}");
    for f in &failures {
        println!("  FAIL {f}");
    }
    assert!(
        passed * 100 >= total * 98,
        "query set score {passed}/{total} is below 98%:\n{}",
        failures.join("\n")
    );
}
