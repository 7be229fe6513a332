//! The date parser, table-driven: what people type => the interval it means.

use clio::dates::{parse_user_date, DateProblem, DateQuery, HistDate};

fn iso(s: &str) -> HistDate {
    HistDate::parse_canonical(s).unwrap_or_else(|e| panic!("bad expectation {s}: {e}"))
}

#[test]
fn every_documented_form_parses_to_its_interval() {
    let cases: &[(&str, &str)] = &[
        ("1939-09-17", "1939-09-17"),
        ("1939-09", "1939-09"),
        ("1939", "1939"),
        ("17.09.1939", "1939-09-17"),
        ("17/09/1939", "1939-09-17"),
        ("17-09-1939", "1939-09-17"),
        ("17 September 1939", "1939-09-17"),
        ("17th September 1939", "1939-09-17"),
        ("17th of September, 1939", "1939-09-17"),
        ("September 17, 1939", "1939-09-17"),
        ("September 17th 1939", "1939-09-17"),
        ("Sept 1939", "1939-09"),
        ("Sept. 1939", "1939-09"),
        ("sep 1939", "1939-09"),
        ("17 IX 1939", "1939-09-17"),
        ("17.IX.1939", "1939-09-17"),
        ("IX 1939", "1939-09"),
        ("17 września 1939", "1939-09-17"),
        ("17 wrzesnia 1939", "1939-09-17"),
        ("17 września 1939 r.", "1939-09-17"),
        ("17 września 1939 roku", "1939-09-17"),
        ("wrzesień 1939", "1939-09"),
        ("we wrześniu 1939", "1939-09"),
        ("we wrzesniu 1939", "1939-09"),
        ("w sierpniu 1939", "1939-08"),
        ("1 października 1939", "1939-10-01"),
        ("październik 1939", "1939-10"),
        ("w październiku 1939", "1939-10"),
        ("23 sierpnia 1939", "1939-08-23"),
        ("5 marca 1940", "1940-03-05"),
        ("w maju 1946", "1946-05"),
        ("22 czerwca 1941", "1941-06-22"),
        ("31 grudnia 1939", "1939-12-31"),
        ("luty 1940", "1940-02"),
        ("44 BC", "-44"),
        ("44 BCE", "-44"),
        ("44 p.n.e.", "-44"),
        ("1 BC", "-1"),
        ("17-20 September 1939", "1939-09-17..1939-09-20"),
        ("17–20 September 1939", "1939-09-17..1939-09-20"),
        ("17-20 września 1939", "1939-09-17..1939-09-20"),
        ("September 17-20, 1939", "1939-09-17..1939-09-20"),
        ("1939-09-17..1939-10-06", "1939-09-17..1939-10-06"),
        ("1939-09-17 .. 1939-10-06", "1939-09-17..1939-10-06"),
        ("1939-09-17 to 1939-10-06", "1939-09-17..1939-10-06"),
        ("17 September to 6 October 1939", "1939-09-17..1939-10-06"),
        ("1939-1945", "1939..1945"),
        ("September 1939 - October 1939", "1939-09..1939-10"),
        ("  1939-09-17  ", "1939-09-17"),
        ("29 February 1940", "1940-02-29"),
    ];
    let mut failures = Vec::new();
    for (input, expected) in cases {
        match parse_user_date(input) {
            Ok(Some(DateQuery::Date(d))) if d == iso(expected) => {}
            other => failures.push(format!("{input:?}: expected {expected}, got {other:?}")),
        }
    }
    assert!(
        failures.is_empty(),
        "date forms that failed:\n{}",
        failures.join("\n")
    );
}

#[test]
fn impossible_dates_are_errors_that_say_why() {
    let cases: &[(&str, &str)] = &[
        ("1939-02-30", "February 1939 has 28 days"),
        ("30.02.1939", "February 1939 has 28 days"),
        ("29 February 1939", "February 1939 has 28 days"),
        ("31 September 1939", "September 1939 has 30 days"),
        ("1939-13-01", "no month 13"),
        ("1939-13", "no month 13"),
        ("0 September 1939", "no day 0"),
        ("20-17 September 1939", "ends before it starts"),
        ("1939-10-06..1939-09-17", "ends before it starts"),
        ("0 BC", "no year 0"),
        ("12/34/56/78", "not a date I can read"),
    ];
    let mut failures = Vec::new();
    for (input, needle) in cases {
        match parse_user_date(input) {
            Err(e) if e.to_string().contains(needle) => {}
            other => failures.push(format!(
                "{input:?}: expected an error containing {needle:?}, got {other:?}"
            )),
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn names_are_not_dates() {
    for input in [
        "Anders",
        "Battle of Kock",
        "Kock",
        "",
        "   ",
        "Molotov-Ribbentrop Pact",
        "Qwerty Asdfgh",
        "Wojtek",
        "Monte Cassino",
    ] {
        assert_eq!(
            parse_user_date(input),
            Ok(None),
            "{input:?} was taken for a date"
        );
    }
}

#[test]
fn a_day_and_month_without_a_year_is_a_day_of_the_year() {
    for (input, m, d) in [
        ("17 September", 9, 17),
        ("17 września", 9, 17),
        ("September 17", 9, 17),
        ("17.09", 9, 17),
        ("29 lutego", 2, 29),
    ] {
        assert_eq!(
            parse_user_date(input),
            Ok(Some(DateQuery::DayOfYear { month: m, day: d })),
            "{input}"
        );
    }
    assert!(
        matches!(parse_user_date("30 February"), Err(e) if matches!(e.problem, DateProblem::Day { .. }))
    );
}

#[test]
fn overlap_finds_a_range_event_on_a_day_inside_it() {
    let event = iso("1939-09-17..1939-09-20");
    assert!(event.overlaps(&iso("1939-09-18")));
    assert!(event.overlaps(&iso("1939-09")));
    assert!(event.overlaps(&iso("1939")));
    assert!(!event.overlaps(&iso("1939-09-21")));
    assert!(!event.within(&iso("1939-09-18")));
    assert!(iso("1939-09-18").within(&event));
}

#[test]
fn bc_years_order_before_ad_years() {
    assert!(iso("-44").last_day() < iso("1").first_day());
    assert_eq!(iso("-44").display(clio::i18n::Locale::En), "44 BC");
    assert_eq!(iso("-44").display(clio::i18n::Locale::Pl), "44 p.n.e.");
}

#[test]
fn dates_display_per_locale() {
    use clio::i18n::Locale::*;
    assert_eq!(iso("1939-09-17").display(En), "17 September 1939");
    assert_eq!(iso("1939-09-17").display(Pl), "17 września 1939");
    assert_eq!(iso("1939-09").display(Pl), "wrzesień 1939");
    assert_eq!(
        iso("1939-09-17..1939-09-20").display(En),
        "17–20 September 1939"
    );
    assert_eq!(
        iso("1939-09-17..1939-10-06").display(En),
        "17 September – 6 October 1939"
    );
}

#[test]
fn compact_form_round_trips() {
    for s in [
        "1939-09-17",
        "1939-09",
        "1939",
        "-44",
        "1939-09-17..1939-10-06",
    ] {
        let d = iso(s);
        assert_eq!(HistDate::from_compact(&d.compact()), Some(d), "{s}");
    }
}
