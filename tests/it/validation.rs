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

/// A pack large enough to be read on two threads (each a run of files of about half the bytes)
/// loads and reports as if it was read one file after another: entries in file order, references
/// across the halves resolved, a duplicate id across them reported at the later one, a syntax
/// error in the second half listed first.
#[test]
fn a_large_pack_read_on_two_threads_reports_as_if_read_in_order() {
    let topics = |file: &str, n: usize| -> String {
        (0..n)
            .map(|i| {
                format!(
                    "[[topic]]\nid = \"{file}-{i}\"\nname = \"Place {file} {i}\"\nkind = \"place\"\n\
                     summary = \"A place of the generated pack, number {i} in file {file}.\"\n\
                     sources = [\"doc\"]\n\n"
                )
            })
            .collect()
    };
    let source = "[[source]]\nid = \"doc\"\ntitle = \"Doc\"\nkind = \"article\"\nlanguage = \"en\"\nlocator = \"doc.txt\"\n\n";
    // `a` links to an entry of `d`; `kresy` is in `b` and again at the start of `d`.
    let a = format!(
        "{source}[[topic]]\nid = \"link\"\nname = \"Link\"\nkind = \"place\"\nsummary = \"x\"\nrelated = [\"d-7\"]\nsources = [\"doc\"]\n\n{}",
        topics("a", 500)
    );
    let b = format!(
        "[[topic]]\nid = \"kresy\"\nname = \"Kresy\"\nkind = \"place\"\nsummary = \"x\"\nsources = [\"doc\"]\n\n{}",
        topics("b", 500)
    );
    let c = topics("c", 500);
    let d = format!(
        "[[topic]]\nid = \"kresy\"\nname = \"Kresy again\"\nkind = \"place\"\nsummary = \"y\"\nsources = [\"doc\"]\n\n{}",
        topics("d", 500)
    );
    let total = a.len() + b.len() + c.len() + d.len();
    assert!(
        total > 256 * 1024,
        "the pack is large enough: {total} bytes"
    );

    let valid = clio::knowledge::load_texts(&[("a.toml", &a), ("b.toml", &b), ("c.toml", &c)]);
    let dangling: Vec<String> = valid.problems.iter().map(|p| p.to_string()).collect();
    assert!(
        dangling[0].starts_with("a.toml:13:12: `d-7` in `related` refers to no entry"),
        "without d.toml, the link dangles: {dangling:?}"
    );

    let whole = clio::knowledge::load_texts(&[
        ("a.toml", &a),
        ("b.toml", &b),
        ("c.toml", &c),
        ("d.toml", &d.replacen("kresy", "kresy-2", 1)),
    ]);
    assert!(whole.problems.is_empty(), "{:?}", whole.problems);
    let kb = whole.base.expect("the large pack loads");
    let ids: Vec<&str> = kb.entries().iter().map(|e| e.id()).collect();
    let mut expected = vec!["doc".to_string(), "link".to_string()];
    expected.extend((0..500).map(|i| format!("a-{i}")));
    expected.push("kresy".into());
    expected.extend((0..500).map(|i| format!("b-{i}")));
    expected.extend((0..500).map(|i| format!("c-{i}")));
    expected.push("kresy-2".into());
    expected.extend((0..500).map(|i| format!("d-{i}")));
    assert_eq!(ids, expected, "entries in file order");

    let broken_c = c.replacen("name = \"Place c 3\"", "name = \"Place c 3", 1);
    let broken = clio::knowledge::load_texts(&[
        ("a.toml", &a),
        ("b.toml", &b),
        ("c.toml", &broken_c),
        ("d.toml", &d),
    ]);
    let got: Vec<String> = broken.problems.iter().map(|p| p.to_string()).collect();
    assert!(broken.base.is_none());
    assert!(
        got[0].starts_with("c.toml:24:"),
        "the syntax error first: {got:?}"
    );
    assert!(
        got.iter()
            .any(|p| p == "d.toml:2:6: duplicate id `kresy`: already used at b.toml:2:6"),
        "the duplicate at the later file: {got:?}"
    );
}
