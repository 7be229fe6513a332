//! Questions generated from the knowledge base, reproducibly from a seed.
//!
//! The rule that shapes everything here: a wrong option must never be right by another reading.
//! A wrong year never overlaps the event (nor any date a source disputes it with), a wrong "who"
//! never held a like role, a wrong "which event on this date" never overlaps the date, the two
//! events of "which came first" never overlap, a figure is asked only when its one source is
//! undisputed and its wrong values are clearly apart. Each option carries its
//! [`Meaning`](crate::knowledge::question::Meaning) and [`verify()`] re-checks every generated question against the base before it is kept.
//!
//! Variety comes from taking the kinds in turn (in a seeded order), one question per entry (never
//! two on one subject), and
//! skipping questions asked in recent quizzes while fresher ones remain.
//!
//! This file holds the request, the turns and the candidates (hand-written questions are taken
//! as they are); each kind family has its file: `dates` (year, day, event on a date),
//! `which_first`, `people` (who), `places` (where), `figures`; `shared` holds the wrong-option
//! and citation pieces they share, and `verify` the guard.

use std::collections::{BTreeMap, BTreeSet, HashSet};

mod dates;
mod figures;
mod people;
mod places;
mod shared;
mod verify;
mod which_first;

use super::topic::Scope;
use crate::dates::Precision;
use crate::i18n::Locale;
use crate::knowledge::authored::AuthoredQuestion;
use crate::knowledge::question::Question;
use crate::knowledge::{Entry, Event, KnowledgeBase, Person, Topic};
pub use dates::event_hull;
use dates::{event_date, event_on_date, event_year};
use figures::figure;
pub use people::roles_match;
use people::who_role;
use places::where_place;
use shared::{names_hold_digits, names_share_words};
pub use verify::{days_as_date, verify};
use which_first::which_first;

const LOCALES: [Locale; 2] = [Locale::En, Locale::Pl];

/// A small seeded generator: the same seed gives the same quiz.
#[derive(Debug, Clone)]
pub struct Rng(u64);

impl Rng {
    pub fn new(seed: u64) -> Self {
        Rng(seed)
    }

    pub fn next_u64(&mut self) -> u64 {
        crate::rng::splitmix64(&mut self.0)
    }

    /// A number in `0..n` (0 when `n` is 0).
    pub fn below(&mut self, n: usize) -> usize {
        if n == 0 {
            0
        } else {
            (self.next_u64() % n as u64) as usize
        }
    }

    pub fn shuffle<T>(&mut self, items: &mut [T]) {
        for i in (1..items.len()).rev() {
            let j = self.below(i + 1);
            items.swap(i, j);
        }
    }
}

/// What to generate.
#[derive(Debug, Clone)]
pub struct Request<'a> {
    pub count: usize,
    pub seed: u64,
    pub scope: &'a Scope,
    /// Keys of questions asked in recent quizzes: avoided while other questions remain.
    pub avoid: &'a HashSet<String>,
}

/// The kinds taken in turn; hand-written questions share one turn.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum Turn {
    Year,
    Date,
    OnDate,
    Who,
    Where,
    First,
    Figure,
    Hand,
}

const TURNS: [Turn; 8] = [
    Turn::Year,
    Turn::Date,
    Turn::OnDate,
    Turn::Who,
    Turn::Where,
    Turn::First,
    Turn::Figure,
    Turn::Hand,
];

/// One possible question before it is built: what it is about.
#[derive(Debug, Clone)]
enum Candidate<'k> {
    Year(&'k Event),
    Date(&'k Event),
    OnDate(&'k Event),
    Who(&'k Person, usize),
    Where(&'k Event, &'k Topic),
    First(&'k Event),
    Figure(&'k Event, usize),
    Hand(&'k AuthoredQuestion),
}

impl Candidate<'_> {
    /// The entry the question is about: one question per entry in a quiz.
    fn subject(&self) -> String {
        match self {
            Candidate::Year(e)
            | Candidate::Date(e)
            | Candidate::OnDate(e)
            | Candidate::Where(e, _)
            | Candidate::First(e)
            | Candidate::Figure(e, _) => e.id.clone(),
            Candidate::Who(p, _) => p.id.clone(),
            // A hand-written question is about its entry like any other: Wojtek's hand-written
            // question and a generated one on Wojtek are one subject asked twice.
            Candidate::Hand(h) => h
                .question
                .entry
                .clone()
                .unwrap_or_else(|| format!("hand:{}", h.id)),
        }
    }
}

/// Generate up to `count` questions; fewer when the scope holds fewer.
pub fn generate(kb: &KnowledgeBase, request: &Request) -> Vec<Question> {
    let mut rng = Rng::new(request.seed);
    let facts = Facts::new(kb);
    let mut pools: BTreeMap<Turn, Vec<Candidate>> = BTreeMap::new();
    for turn in TURNS {
        let mut pool = candidates(kb, &facts, turn, request.scope);
        rng.shuffle(&mut pool);
        pools.insert(turn, pool);
    }
    let mut order = TURNS.to_vec();
    rng.shuffle(&mut order);

    let mut out: Vec<Question> = Vec::new();
    let mut keys: HashSet<String> = HashSet::new();
    let mut subjects: HashSet<String> = HashSet::new();
    // Pass 0 avoids recent questions; pass 1 allows them. No subject (entry) is asked twice in
    // one quiz, and no key: a narrow topic gives fewer questions rather than a repeat.
    for pass in 0..2 {
        let mut cursor: BTreeMap<Turn, usize> = BTreeMap::new();
        loop {
            let mut progressed = false;
            for turn in &order {
                if out.len() >= request.count {
                    return out;
                }
                let pool = &pools[turn];
                let at = cursor.entry(*turn).or_insert(0);
                while *at < pool.len() {
                    let candidate = &pool[*at];
                    *at += 1;
                    let subject = candidate.subject();
                    if subjects.contains(&subject) {
                        continue;
                    }
                    let Some(q) = build(kb, &facts, candidate, request.scope, &mut rng) else {
                        continue;
                    };
                    if keys.contains(&q.key) || (pass == 0 && request.avoid.contains(&q.key)) {
                        continue;
                    }
                    if verify(kb, &q).is_err() {
                        continue;
                    }
                    keys.insert(q.key.clone());
                    subjects.insert(subject);
                    out.push(q);
                    progressed = true;
                    break;
                }
            }
            if !progressed {
                break;
            }
        }
    }
    out
}

// ---------------------------------------------------------------- what the base knows, precomputed

/// Facts about the base that several kinds need.
struct Facts<'k> {
    events: Vec<&'k Event>,
    people: Vec<&'k Person>,
    /// Places that are too broad to be a wrong "where" (states, regions, rivers, or places of many
    /// events): a town always lies in one of them.
    broad_places: BTreeSet<&'k str>,
    places: Vec<&'k Topic>,
}

/// Tags the shipped pack gives to places that contain other places.
const BROAD_PLACE_TAGS: [&str; 5] = ["states", "regions", "countries", "rivers", "seas"];

impl<'k> Facts<'k> {
    fn new(kb: &'k KnowledgeBase) -> Self {
        let events: Vec<&Event> = kb.timeline().collect();
        let people = kb
            .entries()
            .iter()
            .filter_map(|e| match e {
                Entry::Person(p) => Some(p),
                _ => None,
            })
            .collect();
        let places: Vec<&Topic> = kb
            .entries()
            .iter()
            .filter_map(|e| match e {
                Entry::Topic(t) if t.kind == "place" => Some(t),
                _ => None,
            })
            .collect();
        let mut uses: BTreeMap<&str, usize> = BTreeMap::new();
        for e in &events {
            for p in &e.places {
                *uses.entry(p.as_str()).or_default() += 1;
            }
        }
        let broad_places = places
            .iter()
            .filter(|t| {
                t.tags
                    .iter()
                    .any(|tag| BROAD_PLACE_TAGS.contains(&tag.as_str()))
                    || uses.get(t.id.as_str()).copied().unwrap_or(0) >= 3
            })
            .map(|t| t.id.as_str())
            .collect();
        Facts {
            events,
            people,
            broad_places,
            places,
        }
    }

    /// The one specific place of an event, when it has exactly one.
    fn specific_place(&self, kb: &'k KnowledgeBase, e: &Event) -> Option<&'k Topic> {
        let specific: Vec<&Topic> = e
            .places
            .iter()
            .filter(|p| !self.broad_places.contains(p.as_str()))
            .filter_map(|p| match kb.get(p) {
                Some(Entry::Topic(t)) if t.kind == "place" => Some(t),
                _ => None,
            })
            .collect();
        match specific.as_slice() {
            [one] => Some(one),
            _ => None,
        }
    }
}

fn candidates<'k>(
    kb: &'k KnowledgeBase,
    facts: &Facts<'k>,
    turn: Turn,
    scope: &Scope,
) -> Vec<Candidate<'k>> {
    let events = facts.events.iter().copied().filter(|e| scope.admits(&e.id));
    match turn {
        // An approximate span of years has no year to ask for.
        Turn::Year => events
            .filter(|e| !names_hold_digits(&e.name))
            .filter(|e| !(e.approximate && e.date.start.year != e.date.end.year))
            // "about 1940" has no year to ask for either.
            .filter(|e| !(e.approximate && e.date.precision() == Precision::Year))
            .map(Candidate::Year)
            .collect(),
        Turn::Date => events
            .filter(|e| {
                !e.approximate
                    && e.date.start.precision() == Precision::Day
                    && !names_hold_digits(&e.name)
            })
            .map(Candidate::Date)
            .collect(),
        Turn::OnDate => events
            .filter(|e| {
                !e.approximate
                    && e.date.precision() >= Precision::Month
                    && !names_hold_digits(&e.name)
            })
            .map(Candidate::OnDate)
            .collect(),
        Turn::Who => facts
            .people
            .iter()
            .filter(|p| scope.admits(&p.id))
            .flat_map(|p| (0..p.roles.len()).map(move |r| Candidate::Who(p, r)))
            .collect(),
        Turn::Where => events
            .filter_map(|e| facts.specific_place(kb, e).map(|t| Candidate::Where(e, t)))
            // "Surrender of Lwów" asks where only in form: its name answers it.
            .filter(|c| match c {
                Candidate::Where(e, t) => !names_share_words(&e.name, &t.name),
                _ => false,
            })
            .collect(),
        Turn::First => events
            .filter(|e| !names_hold_digits(&e.name))
            .map(Candidate::First)
            .collect(),
        Turn::Figure => events
            .flat_map(|e| {
                (0..e.figures.len())
                    .filter(|f| e.figures[*f].values.len() == 1)
                    .map(move |f| Candidate::Figure(e, f))
            })
            .collect(),
        Turn::Hand => kb
            .questions()
            .iter()
            .filter(|h| {
                h.question
                    .entry
                    .as_deref()
                    .is_some_and(|id| scope.admits_tagged(id, &h.tags))
            })
            .map(Candidate::Hand)
            .collect(),
    }
}

fn build(
    kb: &KnowledgeBase,
    facts: &Facts,
    candidate: &Candidate,
    scope: &Scope,
    rng: &mut Rng,
) -> Option<Question> {
    match candidate {
        Candidate::Year(e) => event_year(e, rng),
        Candidate::Date(e) => event_date(e, rng),
        Candidate::OnDate(e) => event_on_date(facts, e, rng),
        Candidate::Who(p, role) => who_role(facts, p, *role, rng),
        Candidate::Where(e, place) => where_place(kb, facts, e, place, rng),
        Candidate::First(e) => which_first(facts, e, scope, rng),
        Candidate::Figure(e, f) => figure(kb, e, *f, rng),
        Candidate::Hand(h) => Some(h.question.clone()),
    }
}
