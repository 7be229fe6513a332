//! The daily "on this day" schedule, with the clock passed in.

use chrono::{DateTime, NaiveDate, Utc};
use clio::daily::DailySchedule;

fn utc(s: &str) -> DateTime<Utc> {
    DateTime::parse_from_rfc3339(s).unwrap().with_timezone(&Utc)
}

fn day(s: &str) -> NaiveDate {
    NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
}

#[test]
fn the_local_time_holds_across_both_dst_changes() {
    let s = DailySchedule::parse("09:00", "Europe/Warsaw").unwrap();
    // 2026: CET→CEST on 29 March, CEST→CET on 25 October.
    let cases = [
        ("2026-03-28", "2026-03-28T08:00:00Z"),
        ("2026-03-29", "2026-03-29T07:00:00Z"),
        ("2026-10-24", "2026-10-24T07:00:00Z"),
        ("2026-10-25", "2026-10-25T08:00:00Z"),
    ];
    for (d, expected) in cases {
        assert_eq!(s.post_instant(day(d)), utc(expected), "{d}");
    }
}

#[test]
fn a_time_in_the_spring_gap_or_the_autumn_overlap_posts_once() {
    let s = DailySchedule::parse("02:30", "Europe/Warsaw").unwrap();
    // 02:30 does not exist on 29 March 2026: the first minute after the gap is 03:00 CEST = 01:00Z.
    assert_eq!(
        s.post_instant(day("2026-03-29")),
        utc("2026-03-29T01:00:00Z")
    );
    // 02:30 exists twice on 25 October 2026: the first, CEST, is 00:30Z.
    assert_eq!(
        s.post_instant(day("2026-10-25")),
        utc("2026-10-25T00:30:00Z")
    );
    // And it is due once that day: after posting, the second 02:30 finds the day done.
    assert_eq!(
        s.due(utc("2026-10-25T00:31:00Z"), None),
        Some(day("2026-10-25"))
    );
    assert_eq!(
        s.due(utc("2026-10-25T01:31:00Z"), Some(day("2026-10-25"))),
        None
    );
}

#[test]
fn exactly_once_a_day_and_once_late_after_downtime() {
    let s = DailySchedule::parse("09:00", "Europe/Warsaw").unwrap();
    // Before the time: nothing due; the wake-up is today's post.
    assert_eq!(
        s.due(utc("2026-11-22T07:59:00Z"), Some(day("2026-11-21"))),
        None
    );
    assert_eq!(
        s.next_wake(utc("2026-11-22T07:59:00Z"), Some(day("2026-11-21"))),
        utc("2026-11-22T08:00:00Z")
    );
    // At the time: due.
    assert_eq!(
        s.due(utc("2026-11-22T08:00:00Z"), Some(day("2026-11-21"))),
        Some(day("2026-11-22"))
    );
    // After a restart the same day, with the post recorded: not again; the next wake is tomorrow.
    assert_eq!(
        s.due(utc("2026-11-22T08:05:00Z"), Some(day("2026-11-22"))),
        None
    );
    assert_eq!(
        s.next_wake(utc("2026-11-22T08:05:00Z"), Some(day("2026-11-22"))),
        utc("2026-11-23T08:00:00Z")
    );
    // Down at 09:00 and back at 15:00 the same day: posted once, late.
    assert_eq!(
        s.due(utc("2026-11-22T14:00:00Z"), Some(day("2026-11-21"))),
        Some(day("2026-11-22"))
    );
    // Back only the next day after midnight local time: yesterday's post is not made up; today's waits.
    assert_eq!(
        s.due(utc("2026-11-22T23:30:00Z"), Some(day("2026-11-21"))),
        None
    );
}
