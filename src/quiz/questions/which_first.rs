//! "Which came first": two events whose spans never overlap, by any source's dating.

use super::dates::event_hull;
use super::shared::{date_words, names_hold_digits, per_locale, source_for};
use super::{Facts, Rng};
use crate::i18n::Locale;
use crate::knowledge::question::{text2, Answer, AnswerOption, Meaning, Question, QuestionKind};
use crate::knowledge::Event;
use crate::quiz::topic::Scope;
use crate::search::normalize;

pub(super) fn which_first(
    facts: &Facts,
    e: &Event,
    scope: &Scope,
    rng: &mut Rng,
) -> Option<Question> {
    let (a_first, a_last) = event_hull(e);
    let partners: Vec<&Event> = facts
        .events
        .iter()
        .copied()
        .filter(|o| {
            let (b_first, b_last) = event_hull(o);
            o.id != e.id
                && !names_hold_digits(&o.name)
                && normalize(o.name.get(Locale::En)) != normalize(e.name.get(Locale::En))
                // apart, but near enough in time to make the player think
                && (a_last < b_first || b_last < a_first)
                && o.date.distance_days(&e.date) <= 400
        })
        .collect();
    // A quiz on a topic pairs events of the topic when it can.
    let in_scope: Vec<&Event> = partners
        .iter()
        .copied()
        .filter(|o| scope.admits(&o.id))
        .collect();
    let partners = if in_scope.is_empty() {
        partners
    } else {
        in_scope
    };
    if partners.is_empty() {
        return None;
    }
    let other = partners[rng.below(partners.len())];
    let (earlier, later) = if event_hull(e).1 < event_hull(other).0 {
        (e, other)
    } else {
        (other, e)
    };
    let mut pair = [earlier, later];
    rng.shuffle(&mut pair);
    let correct = pair.iter().position(|x| x.id == earlier.id)?;
    let (lo, hi) = if e.id < other.id {
        (&e.id, &other.id)
    } else {
        (&other.id, &e.id)
    };
    let explanation = per_locale(|l| {
        format!(
            "{}: {}. {}: {}.",
            earlier.name.get(l),
            super::shared::event_date_text(earlier, l),
            later.name.get(l),
            super::shared::event_date_text(later, l)
        )
    });
    Some(Question {
        key: format!("first:{lo}:{hi}"),
        kind: QuestionKind::WhichFirst,
        prompt: text2("Which came first?", "Co wydarzyło się wcześniej?"),
        answer: Answer::Choice {
            options: pair
                .iter()
                .map(|x| AnswerOption {
                    text: x.name.clone(),
                    meaning: Meaning::Entry { id: x.id.clone() },
                })
                .collect(),
            correct,
        },
        explanation,
        source: source_for(&e.sources, &date_words(&e.date)),
        entry: Some(e.id.clone()),
    })
}
