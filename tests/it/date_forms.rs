//! More date forms and the edges of what a date can be: seasons, decades, parts of a year, US
//! month-first dates, wide numbers checked before narrowing, years out of range, BC years typed with
//! a minus, and custom_ids built from any date round-tripping.

use clio::answers::buttons::Action;
use clio::answers::{respond, Command, Ctx};
use clio::dates::{parse_user_date, DateProblem, DateQuery, HistDate, PartialDate};
use clio::i18n::Locale;
use proptest::prelude::*;

use super::support::pack;

fn date(input: &str) -> HistDate {
    match parse_user_date(input) {
        Ok(Some(DateQuery::Date(d))) => d,
        other => panic!("{input:?} should be a date, got {other:?}"),
    }
}

fn ym(year: i32, month: u8) -> PartialDate {
    PartialDate {
        julian: false,
        year,
        month: Some(month),
        day: None,
    }
}

fn y(year: i32) -> PartialDate {
    PartialDate {
        julian: false,
        year,
        month: None,
        day: None,
    }
}

#[test]
fn seasons_are_read_in_english_and_polish() {
    for (input, start, end) in [
        ("autumn 1939", ym(1939, 9), ym(1939, 11)),
        ("fall 1939", ym(1939, 9), ym(1939, 11)),
        ("jesień 1939", ym(1939, 9), ym(1939, 11)),
        ("spring 1940", ym(1940, 3), ym(1940, 5)),
        ("wiosna 1940", ym(1940, 3), ym(1940, 5)),
        ("summer of 1941", ym(1941, 6), ym(1941, 8)),
        ("latem 1941", ym(1941, 6), ym(1941, 8)),
        ("winter 1942", ym(1941, 12), ym(1942, 2)),
        ("zima 1942", ym(1941, 12), ym(1942, 2)),
    ] {
        assert_eq!(date(input), HistDate { start, end }, "{input}");
    }
}

#[test]
fn decades_and_parts_of_a_year_are_read() {
    for (input, start, end) in [
        ("1940s", y(1940), y(1949)),
        ("the 1930s", y(1930), y(1939)),
        ("lata 40.", y(1940), y(1949)),
        ("lata 40-te", y(1940), y(1949)),
        ("early 1939", ym(1939, 1), ym(1939, 4)),
        ("początek 1939", ym(1939, 1), ym(1939, 4)),
        ("na początku 1939", ym(1939, 1), ym(1939, 4)),
        ("late 1939", ym(1939, 9), ym(1939, 12)),
        ("koniec 1939", ym(1939, 9), ym(1939, 12)),
    ] {
        assert_eq!(date(input), HistDate { start, end }, "{input}");
    }
    // Not a decade: a year that does not end in 0.
    assert!(!matches!(parse_user_date("1943s"), Ok(Some(_))));
}

#[test]
fn a_us_date_is_read_month_first_only_when_the_day_cannot_be_a_month() {
    assert_eq!(
        date("09/28/1939"),
        HistDate::single(PartialDate::day(1939, 9, 28))
    );
    assert_eq!(
        date("10/31/1939"),
        HistDate::single(PartialDate::day(1939, 10, 31))
    );
    // Both could be months: day first, as everywhere else.
    assert_eq!(
        date("09/10/1939"),
        HistDate::single(PartialDate::day(1939, 10, 9))
    );
}

#[test]
fn date_numbers_are_range_checked_before_they_are_narrowed() {
    match parse_user_date("1939-257-01") {
        Err(e) => {
            assert_eq!(e.problem, DateProblem::Month(257));
            assert!(
                e.message(Locale::En).contains("257"),
                "{}",
                e.message(Locale::En)
            );
            assert!(e.message(Locale::Pl).contains("257"));
        }
        other => panic!("1939-257-01 must be refused, got {other:?}"),
    }
    match parse_user_date("1939/09/300") {
        Err(e) => assert_eq!(e.problem, DateProblem::NoSuchDay(300)),
        other => panic!("1939/09/300 must be refused, got {other:?}"),
    }
}

#[test]
fn years_beyond_9999_are_refused_with_a_message() {
    for input in ["10000", "12345 BC", "1 January 20000"] {
        match parse_user_date(input) {
            Err(e) => {
                assert!(
                    matches!(e.problem, DateProblem::YearOutOfRange(_)),
                    "{input}: {e:?}"
                );
                assert!(e.message(Locale::En).contains("9999"));
                assert!(e.message(Locale::Pl).contains("9999"));
            }
            other => panic!("{input} must be refused, got {other:?}"),
        }
    }
    assert_eq!(date("9999"), HistDate::single(y(9999)));
}

#[test]
fn a_range_whose_end_has_no_month_is_a_range_of_years() {
    assert_eq!(
        date("99 to 1939"),
        HistDate {
            start: y(99),
            end: y(1939)
        }
    );
}

#[test]
fn minus_44_in_event_is_44_bc() {
    assert_eq!(date("-44"), date("44 BC"));
    let ctx = Ctx {
        today: PartialDate::day(2026, 11, 26),
        seed: 1,
    };
    let ask = |q: &str| {
        respond(
            pack(),
            &Command::Event { query: q.into() },
            Locale::En,
            &ctx,
        )
    };
    assert_eq!(ask("-44"), ask("44 BC"));
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 256, failure_persistence: None, ..ProptestConfig::default() })]

    /// Every date a user can type builds custom_ids that read back as the same date.
    #[test]
    fn every_custom_id_built_from_a_date_round_trips(
        year in -9998i32..=9999,
        month in proptest::option::of(1u8..=12),
        day in 1u8..=28,
        page in 0usize..50,
        span in 0i32..40,
    ) {
        let start = PartialDate { julian: false, year, month, day: month.map(|_| day) };
        let end = PartialDate { year: (year + span).min(9999), ..start };
        let date = HistDate { start, end };
        for action in [
            Action::DatePage { date, page },
            Action::Timeline { from: Some(date), to: None, page },
            Action::Timeline { from: None, to: Some(date), page },
            Action::Timeline { from: Some(HistDate::single(start)), to: Some(HistDate::single(end)), page },
        ] {
            let id = action.custom_id();
            prop_assert!(id.len() <= 100, "{id}");
            prop_assert_eq!(Action::parse(&id), Some(action.clone()), "{}", id);
        }
    }
}
