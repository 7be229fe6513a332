//! "Where" questions: the place of an event, with wrong places that cannot contain it.

use std::collections::BTreeSet;

use super::shared::{
    distinct_names, entry_options, name_words, per_locale, short_summary, source_for,
};
use super::{Facts, Rng, LOCALES};
use crate::i18n::Locale;
use crate::knowledge::question::{Answer, Question, QuestionKind};
use crate::knowledge::{Entry, Event, KnowledgeBase, Topic};
use crate::search::normalize;

/// The words (of four letters or more) of a place's names and aliases: a document that declines
/// the name ("w Kutach") still names the place by an alias or another form ("Kutach", "Kuty").
pub(super) fn place_and_alias_words(place: &Topic) -> Vec<String> {
    let mut words: BTreeSet<String> = name_words(&place.name).into_iter().collect();
    for alias in &place.aliases {
        words.extend(
            normalize(alias)
                .split(' ')
                .filter(|w| w.len() >= 4)
                .map(str::to_string),
        );
    }
    words.into_iter().collect()
}

pub(super) fn where_place(
    kb: &KnowledgeBase,
    facts: &Facts,
    e: &Event,
    place: &Topic,
    rng: &mut Rng,
) -> Option<Question> {
    let near: BTreeSet<&str> = e
        .places
        .iter()
        .map(String::as_str)
        .chain(e.related.iter().map(String::as_str))
        .collect();
    let summary: Vec<String> = LOCALES
        .iter()
        .map(|l| format!(" {} ", normalize(e.summary.get(*l))))
        .collect();
    let place_words: BTreeSet<String> = place
        .name
        .values()
        .flat_map(|n| {
            normalize(n)
                .split(' ')
                .map(str::to_string)
                .collect::<Vec<_>>()
        })
        .filter(|w| w.len() >= 4)
        .collect();
    let linked = |t: &Topic| {
        near.contains(t.id.as_str())
            || e.places.iter().any(|p| {
                t.related.contains(p)
                    || matches!(kb.get(p), Some(Entry::Topic(pt)) if pt.related.contains(&t.id))
            })
    };
    let candidates: Vec<&Topic> = facts
        .places
        .iter()
        .copied()
        .filter(|t| {
            t.id != place.id
                && !facts.broad_places.contains(t.id.as_str())
                && !linked(t)
                // a place the event's own summary names may be where it happened, by another reading
                && !t.name.values().any(|n| {
                    let n = format!(" {} ", normalize(n));
                    summary.iter().any(|s| s.contains(&n))
                })
                && !t
                    .name
                    .values()
                    .flat_map(|n| normalize(n).split(' ').map(str::to_string).collect::<Vec<_>>())
                    .any(|w| place_words.contains(&w))
        })
        .collect();
    // Places that share a tag with the event are the most tempting.
    let (mut tagged, mut untagged): (Vec<&Topic>, Vec<&Topic>) = candidates
        .into_iter()
        .partition(|t| t.tags.iter().any(|tag| e.tags.contains(tag)));
    rng.shuffle(&mut tagged);
    rng.shuffle(&mut untagged);
    tagged.extend(untagged);
    let wrong = distinct_names(
        &place.name,
        tagged.iter().map(|t| (t.id.as_str(), &t.name)),
        3,
    );
    if wrong.len() < 3 {
        return None;
    }
    let prompt = per_locale(|l| match l {
        Locale::En => format!("Where did this take place: **{}**?", e.name.get(l)),
        Locale::Pl => format!("Gdzie to się wydarzyło: **{}**?", e.name.get(l)),
    });
    let (options, correct) = entry_options(rng, (place.id.as_str(), &place.name), wrong);
    Some(Question {
        key: format!("where:{}", e.id),
        kind: QuestionKind::WherePlace,
        prompt,
        answer: Answer::Choice { options, correct },
        explanation: per_locale(|l| {
            format!(
                "{}: {}. {}",
                e.name.get(l),
                place.name.get(l),
                short_summary(&e.summary, l)
            )
        }),
        source: source_for(&e.sources, &place_and_alias_words(place)),
        entry: Some(e.id.clone()),
    })
}
