//! Validation: one fixture per kind of problem, each with the exact `file:line:column: message`.

use clio::knowledge::{load_dir, Severity};

use super::support::fixture;

fn problems(dir: &str) -> Vec<String> {
    let path = fixture(&format!("invalid/{dir}"));
    let report = load_dir(&path);
    let root = fixture("");
    report
        .problems
        .iter()
        .map(|p| {
            p.to_string()
                .replace(&root.display().to_string(), "")
                .trim_start_matches('/')
                .to_string()
        })
        .collect()
}

#[test]
fn each_error_kind_is_reported_where_it_is() {
    let cases: &[(&str, &str)] = &[
        ("syntax", "invalid/syntax/bad.toml:3:20: TOML syntax: invalid basic string, expected `\"`"),
        (
            "unknown_field",
            "invalid/unknown_field/people.toml:11:1: unknown field `borne` in person (did you mean `born`?), expected one of `id`, `name`, `aliases`, `born`, `died`, `side`, `roles`, `summary`, `details`, `events`, `related`, `tags`, `sources`, `calendar`",
        ),
        ("duplicate_id", "invalid/duplicate_id/b.toml:2:6: duplicate id `kresy`: already used at"),
        ("missing_reference", "invalid/missing_reference/events.toml:12:11: `nobody-at-all` in `people` refers to no entry"),
        (
            "impossible_date",
            "invalid/impossible_date/events.toml:11:8: date: `1939-02-30` is not a date: February 1939 has 28 days, so there is no day 30.",
        ),
        ("backwards_range", "invalid/backwards_range/events.toml:11:8: date: `1939-10-06..1939-09-17` ends before it starts"),
        ("no_source", "invalid/no_source/topics.toml:9:6: no source: every entry must cite at least one source in `sources`"),
        ("too_long", "invalid/too_long/topics.toml:12:11: summary (en) is 5199 characters, more than the 3000 that fit a Discord card"),
        ("wrong_kind", "invalid/wrong_kind/events.toml:18:11: `jan-kowalski` in `places` is a person, but only topics may be listed there"),
        ("missing_english", "invalid/missing_english/topics.toml:10:8: in topic: missing the English text `en`"),
    ];
    for (dir, expected) in cases {
        let got = problems(dir);
        assert!(
            got.iter().any(|p| p.starts_with(expected)),
            "fixture {dir}:\n  expected: {expected}\n  got:      {}",
            got.join("\n            ")
        );
        let report = load_dir(&fixture(&format!("invalid/{dir}")));
        assert!(report.base.is_none(), "fixture {dir} must not load");
    }
}

#[test]
fn a_shared_alias_is_a_warning_not_an_error() {
    let report = load_dir(&fixture("invalid/shared_alias"));
    assert!(report.base.is_some());
    let warnings: Vec<String> = report.warnings().map(|p| p.to_string()).collect();
    assert_eq!(warnings.len(), 1, "{warnings:?}");
    assert!(warnings[0].ends_with(
        "invalid/shared_alias/people.toml:18:12: warning: the name `kowalski` is shared by `jan-kowalski` and `adam-kowalski`: a search for it cannot tell them apart"
    ));
}

#[test]
fn every_problem_is_reported_not_just_the_first() {
    let text = r#"
[[source]]
id = "doc"
title = "Doc"
kind = "article"
language = "en"
locator = "doc.txt"

[[event]]
id = "a"
name = "A"
date = "1939-02-30"
summary = "x"
colour = "red"
shape = "round"
sources = ["doc"]

[[event]]
id = "b"
name = "B"
date = "1939-09-17"
summary = "y"
people = ["ghost"]
sources = ["nope"]
"#;
    let report = clio::knowledge::load_texts(&[("two.toml", text)]);
    let got: Vec<String> = report.problems.iter().map(|p| p.to_string()).collect();
    let expected = [
        "two.toml:12:8: date: `1939-02-30` is not a date",
        "two.toml:14:1: unknown field `colour`",
        "two.toml:15:1: unknown field `shape`",
        "two.toml:23:11: `ghost` in `people` refers to no entry",
        "two.toml:24:12: `nope` in `sources` refers to no entry",
    ];
    for e in expected {
        assert!(
            got.iter().any(|g| g.starts_with(e)),
            "missing {e}\ngot:\n{}",
            got.join("\n")
        );
    }
    assert!(report
        .problems
        .iter()
        .all(|p| p.severity == Severity::Error));
}

#[test]
fn the_valid_fixture_loads_cleanly() {
    let report = load_dir(&fixture("valid"));
    assert!(report.problems.is_empty(), "{:?}", report.problems);
    let kb = report.base.expect("loads");
    assert_eq!(kb.entries().len(), 3);
}

/// A citation is a source id or a table; a table with a misspelt field is reported with that
/// field named, and both forms load into the same citation.
#[test]
fn a_citation_is_an_id_or_a_table_and_a_misspelt_field_in_it_is_named() {
    let head = r#"
[[source]]
id = "memo"
title = "A memo"
kind = "document"
language = "en"
locator = "archive"
"#;
    // A person citing the memo as `sources` says.
    let citing = |sources: &str| {
        format!(
            r#"{head}
[[person]]
id = "a"
name = "Anna Nowak"
summary = "A person."
sources = {sources}
"#
        )
    };
    let good = citing(r#"["memo", { id = "memo", quote = "she wrote it", page = "3" }]"#);
    let report = clio::knowledge::load_texts(&[("good.toml", &good)]);
    assert!(report.problems.is_empty(), "{:?}", report.problems);
    let kb = report.base.expect("loads");
    let cited = kb.get("a").expect("the person").citations();
    assert_eq!(cited.len(), 2);
    assert!(cited.iter().all(|c| c.source == "memo"));
    assert_eq!(cited[0].quote, None);
    assert_eq!(cited[1].quote.as_deref(), Some("she wrote it"));
    assert_eq!(cited[1].page.as_deref(), Some("3"));

    let misspelt = citing(r#"[{ id = "memo", qoute = "she wrote it" }]"#);
    let report = clio::knowledge::load_texts(&[("bad.toml", &misspelt)]);
    let got: Vec<String> = report.problems.iter().map(|p| p.to_string()).collect();
    assert!(report.base.is_none());
    assert!(
        got.iter().any(
            |g| g.starts_with("bad.toml:13:27: in person: unknown field `qoute`")
                && g.contains("unknown field `qoute`")
                && g.contains("`quote`")
        ),
        "{got:?}"
    );

    let number = citing("[7]");
    let report = clio::knowledge::load_texts(&[("number.toml", &number)]);
    let got: Vec<String> = report.problems.iter().map(|p| p.to_string()).collect();
    assert!(
        got.iter()
            .any(|g| g.starts_with("number.toml:13:") && g.contains("a source id, or a table")),
        "{got:?}"
    );
}
