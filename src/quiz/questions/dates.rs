//! Date questions: the year or the day an event happened, and which event happened on a given
//! day; with the day spans every date check rests on.

use super::shared::{
    date_words, dated_explanation, distinct_names, entry_options, names_hold_digits, per_locale,
    source_for,
};
use super::{Facts, Rng};
use crate::dates::{days_from_civil, PartialDate, Precision};
use crate::i18n::Locale;
use crate::knowledge::question::{Answer, AnswerOption, Meaning, Question, QuestionKind};
use crate::knowledge::Event;

/// The days an event may have happened on, by any source: its date, every disputed date, a day
/// either side (an event "around midnight", or dated across a time zone, is right on the next or
/// previous day by another reckoning), and a wider margin when the date is approximate.
pub fn event_hull(e: &Event) -> (i64, i64) {
    let mut first = e.date.first_day();
    let mut last = e.date.last_day();
    for claim in &e.disputed_dates {
        first = first.min(claim.date.first_day());
        last = last.max(claim.date.last_day());
    }
    let margin = if e.approximate {
        match e.date.precision() {
            Precision::Day => 15,
            Precision::Month => 62,
            Precision::Year => 366,
        }
    } else {
        1
    };
    (first - margin, last + margin)
}

fn year_days(year: i32) -> (i64, i64) {
    (days_from_civil(year, 1, 1), days_from_civil(year, 12, 31))
}

pub(super) fn overlaps(a: (i64, i64), b: (i64, i64)) -> bool {
    a.0 <= b.1 && b.0 <= a.1
}

pub(super) fn day_of(days: i64) -> PartialDate {
    let (y, m, d) = crate::dates::civil_from_days(days);
    PartialDate::day(y, m, d)
}

pub(super) fn event_year(e: &Event, rng: &mut Rng) -> Option<Question> {
    let year = e.date.start.year;
    let hull = event_hull(e);
    let spans_years = e.date.end.year != year;
    let mut wrong: Vec<i32> = (year - 5..=year + 5)
        .filter(|y| !overlaps(year_days(*y), hull))
        .collect();
    // Nearer years are more tempting: keep the six nearest, then draw three of them.
    wrong.sort_by_key(|y| ((y - year).abs(), *y));
    wrong.truncate(6);
    rng.shuffle(&mut wrong);
    wrong.truncate(3);
    if wrong.len() < 3 {
        return None;
    }
    let prompt = per_locale(|l| {
        let name = e.name.get(l);
        match (l, spans_years) {
            (Locale::En, false) => format!("In which year did this happen: **{name}**?"),
            (Locale::En, true) => format!("In which year did this begin: **{name}**?"),
            (Locale::Pl, false) => format!("W którym roku to się wydarzyło: **{name}**?"),
            (Locale::Pl, true) => format!("W którym roku to się zaczęło: **{name}**?"),
        }
    });
    // A typed year scores by closeness, which is fair only when the year is not in doubt.
    let typed = !e.approximate && e.disputed_dates.is_empty() && rng.below(4) == 0;
    let answer = if typed {
        Answer::Year { year }
    } else {
        let mut years = wrong.clone();
        years.push(year);
        years.sort();
        let correct = years.iter().position(|y| *y == year)?;
        Answer::Choice {
            options: years
                .iter()
                .map(|y| {
                    let (first, last) = year_days(*y);
                    AnswerOption {
                        text: per_locale(|l| {
                            PartialDate {
                                julian: false,
                                year: *y,
                                month: None,
                                day: None,
                            }
                            .display(l)
                        }),
                        meaning: Meaning::Days { first, last },
                    }
                })
                .collect(),
            correct,
        }
    };
    Some(Question {
        key: format!("year:{}", e.id),
        kind: QuestionKind::EventYear,
        prompt,
        answer,
        explanation: dated_explanation(e),
        source: source_for(&e.sources, &date_words(&e.date)),
        entry: Some(e.id.clone()),
    })
}

pub(super) fn event_date(e: &Event, rng: &mut Rng) -> Option<Question> {
    let start = e.date.start.first_day();
    let hull = event_hull(e);
    let mut wrong: Vec<i64> = (-21..=21)
        .map(|offset| start + offset)
        .filter(|d| !overlaps((*d, *d), hull))
        .collect();
    wrong.sort_by_key(|d| ((d - start).abs(), *d));
    wrong.truncate(10);
    rng.shuffle(&mut wrong);
    wrong.truncate(3);
    if wrong.len() < 3 {
        return None;
    }
    let mut days = wrong;
    days.push(start);
    days.sort();
    let correct = days.iter().position(|d| *d == start)?;
    let spans = e.date.is_range();
    let prompt = per_locale(|l| {
        let name = e.name.get(l);
        match (l, spans) {
            (Locale::En, false) => format!("On which day did this happen: **{name}**?"),
            (Locale::En, true) => format!("On which day did this begin: **{name}**?"),
            (Locale::Pl, false) => format!("Którego dnia to się wydarzyło: **{name}**?"),
            (Locale::Pl, true) => format!("Którego dnia to się zaczęło: **{name}**?"),
        }
    });
    Some(Question {
        key: format!("date:{}", e.id),
        kind: QuestionKind::EventDate,
        prompt,
        answer: Answer::Choice {
            options: days
                .iter()
                .map(|d| AnswerOption {
                    text: per_locale(|l| day_of(*d).display(l)),
                    meaning: Meaning::Days {
                        first: *d,
                        last: *d,
                    },
                })
                .collect(),
            correct,
        },
        explanation: dated_explanation(e),
        source: source_for(&e.sources, &date_words(&e.date)),
        entry: Some(e.id.clone()),
    })
}

pub(super) fn event_on_date(facts: &Facts, e: &Event, rng: &mut Rng) -> Option<Question> {
    let asked = (e.date.first_day(), e.date.last_day());
    let mut others: Vec<&Event> = facts
        .events
        .iter()
        .copied()
        .filter(|o| o.id != e.id && !names_hold_digits(&o.name) && !overlaps(event_hull(o), asked))
        .collect();
    // The nearest in time are the most tempting.
    others.sort_by_key(|o| (o.date.distance_days(&e.date), o.id.clone()));
    others.truncate(8);
    rng.shuffle(&mut others);
    let wrong = distinct_names(&e.name, others.iter().map(|o| (o.id.as_str(), &o.name)), 3);
    if wrong.len() < 3 {
        return None;
    }
    let prompt = per_locale(|l| {
        let date = e.date.display(l);
        match l {
            Locale::En => format!("Which of these events is dated **{date}**?"),
            Locale::Pl => format!("Które z tych wydarzeń datuje się na **{date}**?"),
        }
    });
    let (options, correct) = entry_options(rng, (e.id.as_str(), &e.name), wrong);
    Some(Question {
        key: format!("ondate:{}", e.id),
        kind: QuestionKind::EventOnDate,
        prompt,
        answer: Answer::Choice { options, correct },
        explanation: dated_explanation(e),
        source: source_for(&e.sources, &date_words(&e.date)),
        entry: Some(e.id.clone()),
    })
}
