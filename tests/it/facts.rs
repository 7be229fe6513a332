//! Say nothing the cited source does not say (issue 10): a machine check of the shipped pack
//! against the texts of its four documents, kept beside it in `knowledge/seeds/`.
//!
//! The pack is read as plain TOML here (not through the loader), so the check does not depend on
//! how the program models it. A source's seed is `knowledge/seeds/<locator>`.
//!
//! - Every quote (of a citation, a figure value, a disputed date or a quiz question) occurs
//!   verbatim in the text of the source it cites, whitespace normalised.
//! - Every number in an entry's English text (name, roles, summary, details, outcome, figures,
//!   quote translations) and every year and day of its dates occurs in one of the sources the entry
//!   cites, or is listed with its arithmetic in `tests/fixtures/derived_figures.toml`. The same
//!   for a quiz question and the source it cites. Aliases are search keys, not claims: skipped.
//!
//! A number is a run of digits, with thousands grouped by commas or spaces (`450,000`,
//! `450 000`) and an optional decimal part (`13.5`); `4:00` is 4 and 0; ordinals (`29th`) count
//! by their digits. Citation marks in the seeds (`[12]`, `[Note 5]`, `[5]:85`) are not numbers of
//! the text and are removed first; the Polish `250 tys.` also counts as 250000.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

use serde::Deserialize;
use toml::Value;

use super::support::root;

fn knowledge() -> PathBuf {
    root().join("knowledge")
}

fn toml_files(dir: &Path, out: &mut Vec<PathBuf>) {
    let mut entries: Vec<_> = std::fs::read_dir(dir)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
        .map(|e| e.unwrap().path())
        .collect();
    entries.sort();
    for path in entries {
        let hidden = path
            .file_name()
            .is_some_and(|n| n.to_string_lossy().starts_with('.'));
        if hidden {
            continue;
        }
        if path.is_dir() {
            toml_files(&path, out);
        } else if path.extension().is_some_and(|e| e == "toml") {
            out.push(path);
        }
    }
}

/// Every table of every kind in the pack, with its kind (`source`, `person`, ..., `question`).
fn tables() -> Vec<(String, toml::Table)> {
    let mut files = Vec::new();
    toml_files(&knowledge(), &mut files);
    let mut out = Vec::new();
    for f in files {
        let text = std::fs::read_to_string(&f).unwrap();
        let doc: toml::Table =
            toml::from_str(&text).unwrap_or_else(|e| panic!("{} does not parse: {e}", f.display()));
        for (kind, v) in doc {
            for t in v.as_array().into_iter().flatten() {
                out.push((kind.clone(), t.as_table().expect("a table").clone()));
            }
        }
    }
    out
}

fn collapse(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// The seeds' texts by source id.
fn seeds(tables: &[(String, toml::Table)]) -> BTreeMap<String, String> {
    let mut out = BTreeMap::new();
    for (kind, t) in tables {
        if kind != "source" {
            continue;
        }
        let id = t["id"].as_str().unwrap();
        let locator = t["locator"].as_str().unwrap();
        let path = knowledge().join("seeds").join(locator);
        let text = std::fs::read_to_string(&path).unwrap_or_else(|e| {
            panic!(
                "source {id}: its text should be in {} ({e})",
                path.display()
            )
        });
        out.insert(id.to_string(), text);
    }
    out
}

/// Removes citation marks such as `[12]`, `[Note 5]` and `[5]:85`.
fn strip_citation_marks(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(start) = rest.find('[') {
        out.push_str(&rest[..start]);
        let after = &rest[start..];
        match after.find(']') {
            Some(end)
                if after[1..end]
                    .trim_start_matches("Note ")
                    .chars()
                    .all(|c| c.is_ascii_digit())
                    && end > 1 =>
            {
                let mut tail = &after[end + 1..];
                if let Some(t) = tail.strip_prefix(':') {
                    let digits = t.chars().take_while(char::is_ascii_digit).count();
                    if digits > 0 {
                        tail = &t[digits..];
                    }
                }
                rest = tail;
            }
            _ => {
                out.push('[');
                rest = &after[1..];
            }
        }
    }
    out.push_str(rest);
    out
}

/// The numbers in `text`, normalised (no grouping, no leading zeros).
fn numbers(text: &str) -> Vec<String> {
    let chars: Vec<char> = text.chars().collect();
    let mut out = Vec::new();
    let mut i = 0;
    while i < chars.len() {
        if !chars[i].is_ascii_digit() {
            i += 1;
            continue;
        }
        let mut digits = String::new();
        while i < chars.len() && chars[i].is_ascii_digit() {
            digits.push(chars[i]);
            i += 1;
        }
        // Thousands groups: a separator followed by exactly three digits, after a first group of
        // at most three digits.
        if digits.len() <= 3 {
            loop {
                let sep = chars.get(i).copied();
                let is_sep = matches!(sep, Some(',' | ' ' | '\u{a0}' | '\u{202f}'));
                let three = (1..=3).all(|k| chars.get(i + k).is_some_and(char::is_ascii_digit));
                let fourth = chars.get(i + 4).is_some_and(char::is_ascii_digit);
                if is_sep && three && !fourth {
                    digits.extend(&chars[i + 1..i + 4]);
                    i += 4;
                } else {
                    break;
                }
            }
        }
        let mut number = digits.trim_start_matches('0').to_string();
        if number.is_empty() {
            number.push('0');
        }
        if chars.get(i) == Some(&'.') && chars.get(i + 1).is_some_and(char::is_ascii_digit) {
            number.push('.');
            i += 1;
            while i < chars.len() && chars[i].is_ascii_digit() {
                number.push(chars[i]);
                i += 1;
            }
        }
        // `250 tys.` (Polish: thousand) is also 250000.
        let tail: String = chars[i..].iter().take(5).collect();
        if tail.starts_with(" tys.") && !number.contains('.') {
            out.push(format!("{number}000"));
        }
        out.push(number);
    }
    out
}

/// A localized text's English, or the string itself.
fn english(v: &Value) -> Option<&str> {
    match v {
        Value::String(s) => Some(s),
        Value::Table(t) => t.get("en").and_then(Value::as_str),
        _ => None,
    }
}

/// A citation's source id and quote, from `"id"` or `{ id, quote, ... }`.
fn citation(v: &Value) -> (String, Option<String>, Option<&Value>) {
    match v {
        Value::String(s) => (s.clone(), None, None),
        Value::Table(t) => (
            t["id"].as_str().unwrap().to_string(),
            t.get("quote").and_then(Value::as_str).map(str::to_string),
            t.get("translation"),
        ),
        other => panic!("not a citation: {other}"),
    }
}

/// One thing the pack claims a source says word for word.
struct Quote {
    owner: String,
    source: String,
    quote: String,
}

/// What an entry or question says in English, and the sources it rests on.
struct Claims {
    owner: String,
    /// (where in the entry, English text)
    texts: Vec<(String, String)>,
    /// (field, date string, sources that must give its numbers)
    dates: Vec<(String, String, Vec<String>)>,
    sources: Vec<String>,
}

fn gather(tables: &[(String, toml::Table)]) -> (Vec<Quote>, Vec<Claims>) {
    let mut quotes = Vec::new();
    let mut claims = Vec::new();
    for (kind, t) in tables {
        if kind == "source" {
            continue;
        }
        let id = t["id"].as_str().unwrap().to_string();
        let owner = format!("{kind} {id}");
        let mut c = Claims {
            owner: owner.clone(),
            texts: Vec::new(),
            dates: Vec::new(),
            sources: Vec::new(),
        };
        for field in [
            "name",
            "summary",
            "details",
            "outcome",
            "text",
            "explanation",
        ] {
            if let Some(s) = t.get(field).and_then(english) {
                c.texts.push((field.to_string(), s.to_string()));
            }
        }
        if kind == "question" {
            if let Some(a) = t.get("answer").and_then(english) {
                c.texts.push(("answer".into(), a.to_string()));
            }
            for (i, o) in t
                .get("options")
                .and_then(Value::as_array)
                .into_iter()
                .flatten()
                .enumerate()
            {
                if let Some(s) = english(o) {
                    c.texts.push((format!("option {}", i + 1), s.to_string()));
                }
            }
        }
        for r in t
            .get("roles")
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
        {
            if let Some(s) = english(r) {
                c.texts.push(("role".into(), s.to_string()));
            }
        }
        let cites: Vec<&Value> = match (t.get("sources"), t.get("source")) {
            (Some(Value::Array(a)), _) => a.iter().collect(),
            (_, Some(v)) => vec![v],
            _ => Vec::new(),
        };
        for v in cites {
            let (source, quote, translation) = citation(v);
            if let Some(q) = quote {
                quotes.push(Quote {
                    owner: owner.clone(),
                    source: source.clone(),
                    quote: q,
                });
            }
            if let Some(s) = translation.and_then(english) {
                c.texts.push(("quote translation".into(), s.to_string()));
            }
            c.sources.push(source);
        }
        for f in t
            .get("figures")
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
        {
            if let Some(s) = f.get("label").and_then(english) {
                c.texts.push(("figure label".into(), s.to_string()));
            }
            for v in f
                .get("values")
                .and_then(Value::as_array)
                .into_iter()
                .flatten()
            {
                let source = v["source"].as_str().unwrap().to_string();
                if let Some(q) = v.get("quote").and_then(Value::as_str) {
                    quotes.push(Quote {
                        owner: owner.clone(),
                        source: source.clone(),
                        quote: q.to_string(),
                    });
                }
                if let Some(s) = v.get("value").and_then(english) {
                    c.texts.push(("figure value".into(), s.to_string()));
                }
                c.sources.push(source);
            }
        }
        let mut claim_sources = Vec::new();
        for d in t
            .get("disputed_dates")
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
        {
            let source = d["source"].as_str().unwrap().to_string();
            if let Some(q) = d.get("quote").and_then(Value::as_str) {
                quotes.push(Quote {
                    owner: owner.clone(),
                    source: source.clone(),
                    quote: q.to_string(),
                });
            }
            let date = d["date"].as_str().unwrap().to_string();
            claim_sources.push((date, source));
        }
        for (date, source) in claim_sources {
            c.sources.push(source.clone());
            c.dates.push(("disputed date".into(), date, vec![source]));
        }
        for field in ["date", "born", "died"] {
            if let Some(d) = t.get(field).and_then(Value::as_str) {
                c.dates
                    .push((field.to_string(), d.to_string(), c.sources.clone()));
            }
        }
        claims.push(c);
    }
    (quotes, claims)
}

/// The year and day numbers of a date string (`1939-09-17`, `1939-09`, `1939`, ranges with `..`).
fn date_numbers(date: &str) -> Vec<String> {
    let mut out = Vec::new();
    for part in date.split("..") {
        let mut fields = part.trim().trim_start_matches('-').split('-');
        if let Some(year) = fields.next() {
            out.push(year.trim_start_matches('0').to_string());
        }
        let _month = fields.next();
        if let Some(day) = fields.next() {
            out.push(day.trim_start_matches('0').to_string());
        }
    }
    out
}

#[derive(Deserialize)]
struct Derived {
    #[serde(default)]
    derived: Vec<DerivedFigure>,
}

/// A number an entry gives that no document states, worked out from what the documents do state.
#[derive(Deserialize)]
struct DerivedFigure {
    /// `person x`, `event y`, `topic z` or `question q`.
    owner: String,
    number: String,
    /// `a - b = c`, `a + b = c` or `a * b = c`, with `c` the number.
    arithmetic: String,
    /// In words: which figures of which document, and why.
    reason: String,
}

fn check_arithmetic(d: &DerivedFigure) -> Result<(), String> {
    let (lhs, rhs) = d
        .arithmetic
        .split_once('=')
        .ok_or_else(|| format!("{}: no `=` in {:?}", d.owner, d.arithmetic))?;
    let parse = |s: &str| -> Result<i64, String> {
        s.trim()
            .replace(',', "")
            .parse::<i64>()
            .map_err(|_| format!("{}: {s:?} is not a whole number", d.owner))
    };
    let result = parse(rhs)?;
    let mut parts = lhs.split_whitespace();
    let mut acc = parse(parts.next().unwrap_or(""))?;
    while let Some(op) = parts.next() {
        let n = parse(parts.next().unwrap_or(""))?;
        acc = match op {
            "+" => acc + n,
            "-" => acc - n,
            "*" => acc * n,
            _ => return Err(format!("{}: unknown operator {op:?}", d.owner)),
        };
    }
    if acc != result {
        return Err(format!(
            "{}: {} is wrong (the left side gives {acc})",
            d.owner, d.arithmetic
        ));
    }
    if numbers(rhs) != vec![d.number.clone()] {
        return Err(format!(
            "{}: the arithmetic {:?} does not give {}",
            d.owner, d.arithmetic, d.number
        ));
    }
    if d.reason.trim().is_empty() {
        return Err(format!("{}: say where the figures come from", d.owner));
    }
    Ok(())
}

fn derived() -> Vec<DerivedFigure> {
    let text = std::fs::read_to_string(root().join("tests/fixtures/derived_figures.toml"))
        .expect("tests/fixtures/derived_figures.toml");
    toml::from_str::<Derived>(&text)
        .expect("derived_figures.toml parses")
        .derived
}

#[test]
fn the_seeds_beside_the_pack_are_the_four_documents() {
    let tables = tables();
    let seeds = seeds(&tables);
    assert_eq!(seeds.len(), 4, "four sources, each with its text");
    // The documents' own opening words, so a truncated or swapped copy is caught.
    let openings = [
        (
            "invasion-account",
            "Soviet Union Violates Polish-Soviet Non-Aggression Pact",
        ),
        ("soviet-invasion-encyclopedia", "Soviet invasion of Poland"),
        (
            "polish-account",
            "23 sierpnia 1939 roku minister spraw zagranicznych III Rzeszy",
        ),
        ("litynski-exodus", "top of page"),
    ];
    for (id, opening) in openings {
        let text = seeds.get(id).unwrap_or_else(|| panic!("no source {id}"));
        assert!(
            text.trim_start().starts_with(opening),
            "{id}: the seed does not open with {opening:?}"
        );
    }
    assert!(seeds["litynski-exodus"]
        .trim_end()
        .ends_with("bottom of page"));
    assert!(seeds["polish-account"]
        .trim_end()
        .ends_with("Ten masowy mord nosi dziś nazwę Zbrodni Katyńskiej."));
}

#[test]
fn every_quote_occurs_word_for_word_in_the_source_it_cites() {
    let tables = tables();
    let seeds: BTreeMap<String, String> = seeds(&tables)
        .into_iter()
        .map(|(id, text)| (id, collapse(&text)))
        .collect();
    let (quotes, _) = gather(&tables);
    let mut failures = Vec::new();
    for q in &quotes {
        match seeds.get(&q.source) {
            None => failures.push(format!("{}: cites unknown source {}", q.owner, q.source)),
            Some(text) if !text.contains(&collapse(&q.quote)) => {
                failures.push(format!("{}: not in {}: {:?}", q.owner, q.source, q.quote))
            }
            Some(_) => {}
        }
    }
    assert!(
        quotes.len() >= 300,
        "the pack quotes its documents throughout: only {} quotes",
        quotes.len()
    );
    assert!(
        failures.is_empty(),
        "{} of {} quotes are not in their sources:\n{}",
        failures.len(),
        quotes.len(),
        failures.join("\n")
    );
    eprintln!("facts: {} quotes checked", quotes.len());
}

#[test]
fn every_number_an_entry_states_is_in_a_source_it_cites_or_derived_from_one() {
    let tables = tables();
    let seed_numbers: BTreeMap<String, BTreeSet<String>> = seeds(&tables)
        .into_iter()
        .map(|(id, text)| {
            let n = numbers(&strip_citation_marks(&text)).into_iter().collect();
            (id, n)
        })
        .collect();
    let derived = derived();
    let mut failures = Vec::new();
    for d in &derived {
        if let Err(e) = check_arithmetic(d) {
            failures.push(e);
        }
    }
    let (_, claims) = gather(&tables);
    let mut checked = 0;
    let mut used = BTreeSet::new();
    for c in &claims {
        let in_sources = |n: &str, sources: &[String]| {
            sources
                .iter()
                .any(|s| seed_numbers.get(s).is_some_and(|set| set.contains(n)))
        };
        let mut check = |n: String, sources: &[String], what: &str, failures: &mut Vec<String>| {
            checked += 1;
            if in_sources(&n, sources) {
                return;
            }
            if let Some(i) = derived
                .iter()
                .position(|d| d.owner == c.owner && d.number == n)
            {
                used.insert(i);
                return;
            }
            failures.push(format!(
                "{}: {n} (in its {what}) is in none of {sources:?}",
                c.owner
            ));
        };
        for (what, text) in &c.texts {
            for n in numbers(text) {
                check(n, &c.sources, what, &mut failures);
            }
        }
        for (what, date, sources) in &c.dates {
            for n in date_numbers(date) {
                check(n, sources, what, &mut failures);
            }
        }
    }
    for (i, d) in derived.iter().enumerate() {
        if !used.contains(&i) {
            failures.push(format!(
                "derived_figures.toml: {} does not state {} (or a source does): remove it",
                d.owner, d.number
            ));
        }
    }
    assert!(checked >= 1000, "only {checked} numbers checked");
    assert!(
        failures.is_empty(),
        "{} problems in {checked} numbers:\n{}",
        failures.len(),
        failures.join("\n")
    );
    eprintln!("facts: {checked} numbers checked, {} derived", used.len());
}

#[test]
fn the_number_reader_reads_numbers_as_the_documents_write_them() {
    assert_eq!(numbers("450,000 and 1,000,000"), ["450000", "1000000"]);
    assert_eq!(numbers("450 000–1 000 000"), ["450000", "1000000"]);
    assert_eq!(numbers("13.5 million in 1939."), ["13.5", "1939"]);
    assert_eq!(numbers("At 4:00 pm on September 17"), ["4", "0", "17"]);
    assert_eq!(
        numbers("the 29th Tank Brigade, 1892-1970"),
        ["29", "1892", "1970"]
    );
    assert_eq!(numbers("ok. 250 tys. żołnierzy"), ["250000", "250"]);
    assert_eq!(numbers("17 September 1939, 20 days"), ["17", "1939", "20"]);
    assert_eq!(numbers("1939 100"), ["1939", "100"]);
    assert_eq!(
        numbers(&strip_citation_marks(
            "troops[2][3] 33+ [Note 1] captured[5]:85 x"
        )),
        ["33"]
    );
    assert_eq!(
        date_numbers("1939-09-17..1939-10-06"),
        ["1939", "17", "1939", "6"]
    );
    assert_eq!(date_numbers("1941"), ["1941"]);
    let ok = DerivedFigure {
        owner: "event x".into(),
        number: "16".into(),
        arithmetic: "17 - 1 = 16".into(),
        reason: "r".into(),
    };
    assert!(check_arithmetic(&ok).is_ok());
    let wrong = DerivedFigure {
        arithmetic: "17 - 2 = 16".into(),
        ..ok
    };
    assert!(check_arithmetic(&wrong).is_err());
}
