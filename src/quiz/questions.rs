//! Questions generated from the knowledge base, reproducibly from a seed.
//!
//! The rule that shapes everything here: a wrong option must never be right by another reading.
//! A wrong year never overlaps the event (nor any date a source disputes it with), a wrong "who"
//! never held a like role, a wrong "which event on this date" never overlaps the date, the two
//! events of "which came first" never overlap, a figure is asked only when its one source is
//! undisputed and its wrong values are clearly apart. Each option carries its [`Meaning`] and
//! [`verify`] re-checks every generated question against the base before it is kept.
//!
//! Variety comes from taking the kinds in turn (in a seeded order), one question per entry, and
//! skipping questions asked in recent quizzes while fresher ones remain.

use std::collections::{BTreeMap, BTreeSet, HashSet};

use super::topic::Scope;
use crate::dates::{days_from_civil, HistDate, PartialDate, Precision};
use crate::i18n::Locale;
use crate::knowledge::authored::AuthoredQuestion;
use crate::knowledge::question::{
    text2, Answer, AnswerOption, Meaning, Question, QuestionKind, QuestionSource,
};
use crate::knowledge::{Entry, Event, KnowledgeBase, Person, Text, Topic};
use crate::search::normalize;
use crate::text::shorten;

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
            Candidate::Hand(h) => format!("hand:{}", h.id),
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
    // Pass 0 avoids recent questions and repeated subjects; pass 1 allows recent questions;
    // pass 2 allows a second question on the same entry. A key is never asked twice.
    for pass in 0..3 {
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
                    if pass < 2 && subjects.contains(&subject) {
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

// ---------------------------------------------------------------- dates

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

fn overlaps(a: (i64, i64), b: (i64, i64)) -> bool {
    a.0 <= b.1 && b.0 <= a.1
}

fn day_of(days: i64) -> PartialDate {
    let (y, m, d) = crate::dates::civil_from_days(days);
    PartialDate::day(y, m, d)
}

/// Whether an event's name gives a date away ("… of August 1939").
fn names_hold_digits(name: &Text) -> bool {
    name.values().any(|n| n.bytes().any(|b| b.is_ascii_digit()))
}

/// Whether two names share a word of four letters or more, in any locale.
fn names_share_words(a: &Text, b: &Text) -> bool {
    let words = |t: &Text| -> BTreeSet<String> {
        t.values()
            .flat_map(|n| {
                normalize(n)
                    .split(' ')
                    .map(str::to_string)
                    .collect::<Vec<_>>()
            })
            .filter(|w| w.len() >= 4)
            .collect()
    };
    !words(a).is_disjoint(&words(b))
}

fn per_locale(f: impl Fn(Locale) -> String) -> Text {
    let mut t = Text::default();
    for l in LOCALES {
        t.0.insert(l.code().to_string(), f(l));
    }
    t
}

fn event_year(e: &Event, rng: &mut Rng) -> Option<Question> {
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

fn event_date(e: &Event, rng: &mut Rng) -> Option<Question> {
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

fn event_on_date(facts: &Facts, e: &Event, rng: &mut Rng) -> Option<Question> {
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

fn which_first(facts: &Facts, e: &Event, scope: &Scope, rng: &mut Rng) -> Option<Question> {
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
            earlier.date.display(l),
            later.name.get(l),
            later.date.display(l)
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

// ---------------------------------------------------------------- people

/// Words that say what someone was: two people sharing one held a like role.
const TITLE_WORDS: &[&str] = &[
    "general",
    "marshal",
    "colonel",
    "ambassador",
    "minister",
    "president",
    "commander",
    "komandarm",
    "brigadier",
    "kombrig",
    "commissar",
    "leader",
    "prime",
    "premier",
    "author",
    "corporal",
    "private",
    "officer",
    "dean",
    "chief",
    "head",
    "king",
    "envoy",
    "marszalek",
    "pulkownik",
    "ambasador",
    "prezydent",
    "dowodca",
    "kombryg",
    "komisarz",
    "przywodca",
    "autor",
    "kapral",
    "szeregowy",
    "oficer",
    "dziekan",
    "szef",
];

const ROLE_FILLER: &[&str] = &[
    "of", "the", "a", "an", "in", "on", "to", "and", "for", "from", "with", "at", "by", "as", "w",
    "we", "z", "ze", "i", "na", "do", "od", "o", "dla", "przy", "pod",
];

fn role_words(role: &str) -> BTreeSet<String> {
    normalize(role)
        .split(' ')
        .filter(|w| {
            !w.is_empty() && !ROLE_FILLER.contains(w) && !w.bytes().all(|b| b.is_ascii_digit())
        })
        .map(str::to_string)
        .collect()
}

/// Whether two roles could describe the same thing: they share a title word, or most of their
/// words. Generous on purpose: a plausible wrong option is lost, never a right one offered as wrong.
pub fn roles_match(a: &Text, b: &Text) -> bool {
    LOCALES.iter().any(|l| {
        let (wa, wb) = (role_words(a.get(*l)), role_words(b.get(*l)));
        if wa.is_empty() || wb.is_empty() {
            return false;
        }
        let shared = wa.intersection(&wb).count();
        let title = wa
            .intersection(&wb)
            .any(|w| TITLE_WORDS.contains(&w.as_str()));
        title || shared * 2 > wa.len().min(wb.len())
    })
}

fn who_role(facts: &Facts, p: &Person, role: usize, rng: &mut Rng) -> Option<Question> {
    let role_text = p.roles.get(role)?;
    // A role that names its holder gives the answer away.
    let own_names: Vec<String> = p
        .name
        .values()
        .chain(p.aliases.iter().map(String::as_str))
        .flat_map(|n| {
            normalize(n)
                .split(' ')
                .map(str::to_string)
                .collect::<Vec<_>>()
        })
        .filter(|w| w.len() >= 4)
        .collect();
    let role_norm: Vec<String> = LOCALES
        .iter()
        .map(|l| format!(" {} ", normalize(role_text.get(*l))))
        .collect();
    if own_names
        .iter()
        .any(|n| role_norm.iter().any(|r| r.contains(&format!(" {n} "))))
    {
        return None;
    }
    let eligible = |o: &&Person| o.id != p.id && !o.roles.iter().any(|r| roles_match(r, role_text));
    let mut same_side: Vec<&Person> = facts
        .people
        .iter()
        .copied()
        .filter(eligible)
        .filter(|o| o.side.is_some() && o.side == p.side)
        .collect();
    let mut rest: Vec<&Person> = facts
        .people
        .iter()
        .copied()
        .filter(eligible)
        .filter(|o| !(o.side.is_some() && o.side == p.side))
        .collect();
    rng.shuffle(&mut same_side);
    rng.shuffle(&mut rest);
    same_side.extend(rest);
    let wrong = distinct_names(
        &p.name,
        same_side.iter().map(|o| (o.id.as_str(), &o.name)),
        3,
    );
    if wrong.len() < 2 {
        return None;
    }
    let prompt = per_locale(|l| match l {
        Locale::En => format!("Who is described here: “{}”?", role_text.get(l)),
        Locale::Pl => format!("Kogo dotyczy ten opis: „{}”?", role_text.get(l)),
    });
    let (options, correct) = entry_options(rng, (p.id.as_str(), &p.name), wrong);
    Some(Question {
        key: format!("who:{}:{role}", p.id),
        kind: QuestionKind::WhoRole,
        prompt,
        answer: Answer::Choice { options, correct },
        explanation: per_locale(|l| {
            format!(
                "{}: {}. {}",
                p.name.get(l),
                role_text.get(l),
                short_summary(&p.summary, l)
            )
        }),
        source: source_for(&p.sources, &name_words(&p.name)),
        entry: Some(p.id.clone()),
    })
}

// ---------------------------------------------------------------- places

fn where_place(
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
        source: source_for(&e.sources, &name_words(&place.name)),
        entry: Some(e.id.clone()),
    })
}

// ---------------------------------------------------------------- figures

/// One number in a figure's text, where it sits and how it is written.
#[derive(Debug, Clone, PartialEq)]
struct NumberToken {
    start: usize,
    end: usize,
    /// The whole value (13.5 million is 13_500_000).
    value: f64,
    /// What the written digits are multiplied by (`million`, `tys.`).
    scale: f64,
    decimals: usize,
    significant: usize,
    /// The thousands separator the text uses, if any.
    separator: Option<char>,
}

const MONTH_WORDS: &[&str] = &[
    "january",
    "february",
    "march",
    "april",
    "may",
    "june",
    "july",
    "august",
    "september",
    "october",
    "november",
    "december",
    "stycz",
    "lut",
    "marz",
    "kwie",
    "maj",
    "czerw",
    "lip",
    "sierp",
    "wrzes",
    "pazdzier",
    "listopad",
    "grud",
];

/// The numbers of a figure's text in one locale, or `None` when it holds anything a scaled copy
/// would get wrong: a year, a date, a time of day.
fn numbers(text: &str, locale: Locale) -> Option<Vec<NumberToken>> {
    let norm = normalize(text);
    if MONTH_WORDS
        .iter()
        .any(|m| norm.split(' ').any(|w| w.starts_with(m)))
    {
        return None;
    }
    let (group_sep, decimal_sep): (&[char], char) = match locale {
        Locale::En => (&[','], '.'),
        Locale::Pl => (&[' ', '\u{a0}', '\u{202f}'], ','),
    };
    let chars: Vec<(usize, char)> = text.char_indices().collect();
    let mut out = Vec::new();
    let mut i = 0;
    while i < chars.len() {
        let (start, c) = chars[i];
        if !c.is_ascii_digit() || (i > 0 && chars[i - 1].1.is_ascii_alphanumeric()) {
            i += 1;
            continue;
        }
        let mut digits = String::new();
        let mut j = i;
        let mut separator = None;
        while j < chars.len() && chars[j].1.is_ascii_digit() {
            digits.push(chars[j].1);
            j += 1;
        }
        // Thousands groups: a separator followed by exactly three digits.
        let digit_at = |k: usize| chars.get(k).is_some_and(|(_, d)| d.is_ascii_digit());
        while j < chars.len()
            && group_sep.contains(&chars[j].1)
            && (1..=3).all(|k| digit_at(j + k))
            && !digit_at(j + 4)
        {
            digits.extend((1..=3).map(|k| chars[j + k].1));
            separator = Some(chars[j].1);
            j += 4;
        }
        let mut decimals = String::new();
        if j + 1 < chars.len() && chars[j].1 == decimal_sep && chars[j + 1].1.is_ascii_digit() {
            j += 1;
            while j < chars.len() && chars[j].1.is_ascii_digit() {
                decimals.push(chars[j].1);
                j += 1;
            }
        }
        if j < chars.len() && (chars[j].1 == ':' || chars[j].1.is_ascii_alphabetic()) {
            return None; // 4:00, 5th, 1939r
        }
        let end = chars.get(j).map_or(text.len(), |(b, _)| *b);
        let mantissa: f64 = format!(
            "{digits}.{}",
            if decimals.is_empty() { "0" } else { &decimals }
        )
        .parse()
        .ok()?;
        if separator.is_none()
            && decimals.is_empty()
            && (1000..=2100).contains(&(mantissa as i64))
            && digits.len() == 4
            && locale == Locale::En
        {
            return None; // looks like a year
        }
        let rest = normalize(&text[end..]);
        let scale = match rest.split(' ').next().unwrap_or("") {
            "million" | "millions" | "mln" | "miliona" | "milionow" | "milion" | "miliony" => 1e6,
            "thousand" | "tys" | "tysiecy" | "tysiace" => 1e3,
            _ => 1.0,
        };
        let trimmed = digits.trim_start_matches('0');
        let significant = if decimals.is_empty() {
            trimmed.trim_end_matches('0').len().max(1)
        } else {
            trimmed.len() + decimals.len()
        };
        out.push(NumberToken {
            start,
            end,
            value: mantissa * scale,
            scale,
            decimals: decimals.len(),
            significant,
            separator,
        });
        i = j;
    }
    Some(out)
}

fn round_significant(x: f64, digits: usize) -> f64 {
    if x == 0.0 {
        return 0.0;
    }
    let magnitude = x.abs().log10().floor() as i32;
    let factor = 10f64.powi(digits as i32 - 1 - magnitude);
    (x * factor).round() / factor
}

fn format_number(value: f64, decimals: usize, locale: Locale, separator: Option<char>) -> String {
    let rounded = format!("{value:.decimals$}");
    let (int, frac) = match rounded.split_once('.') {
        Some((i, f)) => (i.to_string(), Some(f.to_string())),
        None => (rounded, None),
    };
    let (default_sep, dec) = match locale {
        Locale::En => (',', "."),
        Locale::Pl => ('\u{a0}', ","),
    };
    let sep = separator.unwrap_or(default_sep);
    // Polish writes four-digit numbers without a separator, English groups from 1,000.
    let group = match locale {
        Locale::En => int.len() > 3,
        Locale::Pl => int.len() > 4 || (separator.is_some() && int.len() > 3),
    };
    let mut grouped = String::new();
    if group {
        for (k, c) in int.chars().enumerate() {
            if k > 0 && (int.len() - k) % 3 == 0 {
                grouped.push(sep);
            }
            grouped.push(c);
        }
    } else {
        grouped = int;
    }
    match frac {
        Some(f) => format!("{grouped}{dec}{f}"),
        None => grouped,
    }
}

/// The text with each of its numbers multiplied by `factor`, written as the original was.
fn scaled_text(text: &str, tokens: &[NumberToken], factor: f64, locale: Locale) -> String {
    let mut out = String::new();
    let mut at = 0;
    for t in tokens {
        out.push_str(&text[at..t.start]);
        let digits = t.significant.max(2);
        let mantissa = round_significant(t.value * factor / t.scale, digits);
        // No more decimals than the precision needs: 13.5 × 16 is 216, not 216.0.
        let whole = (mantissa.abs().max(1.0).log10().floor() as usize) + 1;
        let decimals = t.decimals.min(digits.saturating_sub(whole));
        out.push_str(&format_number(mantissa, decimals, locale, t.separator));
        at = t.end;
    }
    out.push_str(&text[at..]);
    out
}

fn scaled_amount(tokens: &[NumberToken], factor: f64) -> (f64, f64) {
    let values = tokens
        .iter()
        .map(|t| round_significant(t.value * factor / t.scale, t.significant.max(2)) * t.scale);
    let lo = values.clone().fold(f64::INFINITY, f64::min);
    let hi = values.fold(f64::NEG_INFINITY, f64::max);
    (lo, hi)
}

fn figure(kb: &KnowledgeBase, e: &Event, index: usize, rng: &mut Rng) -> Option<Question> {
    let fig = e.figures.get(index)?;
    let [value] = fig.values.as_slice() else {
        return None;
    };
    let en = numbers(value.value.get(Locale::En), Locale::En)?;
    if en.is_empty() {
        return None;
    }
    let has_pl = value.value.has(Locale::Pl);
    let pl = if has_pl {
        numbers(value.value.get(Locale::Pl), Locale::Pl)?
    } else {
        Vec::new()
    };
    // The Polish text must carry the same numbers, or its scaled copy would say something else.
    if has_pl
        && (pl.len() != en.len()
            || en
                .iter()
                .zip(&pl)
                .any(|(a, b)| (a.value - b.value).abs() > a.value.abs() * 1e-9))
    {
        return None;
    }
    let lo = en.iter().map(|t| t.value).fold(f64::INFINITY, f64::min);
    let hi = en.iter().map(|t| t.value).fold(f64::NEG_INFINITY, f64::max);
    if lo < 10.0 || hi / lo > 3.0 {
        return None;
    }
    // Each option a clear step from the next: more than the spread of the value itself.
    let step = (1.6 * hi / lo).max(2.5);
    let below = rng.below(4) as i32;
    let exponents: Vec<i32> = (-below..=(3 - below)).collect();
    let mut options = Vec::new();
    let mut correct = 0;
    for (k, exp) in exponents.iter().enumerate() {
        let factor = step.powi(*exp);
        let text = if *exp == 0 {
            value.value.clone()
        } else {
            let mut t = Text::default();
            t.0.insert(
                "en".into(),
                scaled_text(value.value.get(Locale::En), &en, factor, Locale::En),
            );
            if has_pl {
                t.0.insert(
                    "pl".into(),
                    scaled_text(value.value.get(Locale::Pl), &pl, factor, Locale::Pl),
                );
            }
            t
        };
        let (a, b) = if *exp == 0 {
            (lo, hi)
        } else {
            scaled_amount(&en, factor)
        };
        if a < 1.0 {
            return None;
        }
        if *exp == 0 {
            correct = k;
        }
        options.push(AnswerOption {
            text,
            meaning: Meaning::Amount { lo: a, hi: b },
        });
    }
    let source = kb.source(&value.source);
    let prompt = per_locale(|l| match l {
        Locale::En => format!(
            "**{}**: {}. What figure does the source give?",
            e.name.get(l),
            fig.label.get(l)
        ),
        Locale::Pl => format!(
            "**{}**: {}. Jaką liczbę podaje źródło?",
            e.name.get(l),
            fig.label.get(l)
        ),
    });
    let explanation = per_locale(|l| {
        let title = source.map(|s| s.title.as_str()).unwrap_or(&value.source);
        match l {
            Locale::En => format!(
                "{}: {}, according to “{title}”.",
                fig.label.get(l),
                value.value.get(l)
            ),
            Locale::Pl => format!(
                "{}: {}, według źródła „{title}”.",
                fig.label.get(l),
                value.value.get(l)
            ),
        }
    });
    Some(Question {
        key: format!("figure:{}:{index}", e.id),
        kind: QuestionKind::Figure,
        prompt,
        answer: Answer::Choice { options, correct },
        explanation,
        source: Some(QuestionSource {
            id: value.source.clone(),
            quote: value.quote.clone(),
        }),
        entry: Some(e.id.clone()),
    })
}

// ---------------------------------------------------------------- shared pieces

/// Up to `n` of `others` whose names differ (in every locale) from the right one and each other.
fn distinct_names<'a>(
    right: &Text,
    others: impl Iterator<Item = (&'a str, &'a Text)>,
    n: usize,
) -> Vec<(&'a str, &'a Text)> {
    let mut seen: BTreeSet<String> = right.values().map(normalize).collect();
    let mut out = Vec::new();
    for (id, name) in others {
        if out.len() >= n {
            break;
        }
        let names: Vec<String> = name.values().map(normalize).collect();
        if names.iter().any(|x| seen.contains(x)) {
            continue;
        }
        seen.extend(names);
        out.push((id, name));
    }
    out
}

/// The options for entries, the right one placed at random.
fn entry_options(
    rng: &mut Rng,
    right: (&str, &Text),
    wrong: Vec<(&str, &Text)>,
) -> (Vec<AnswerOption>, usize) {
    let mut all = wrong;
    let at = rng.below(all.len() + 1);
    all.insert(at, right);
    (
        all.into_iter()
            .map(|(id, name)| AnswerOption {
                text: name.clone(),
                meaning: Meaning::Entry { id: id.to_string() },
            })
            .collect(),
        at,
    )
}

/// The citation whose quote says most of what the question asks (the place, the year, the
/// person), so the reveal quotes the words that answer it; the first citation when none does.
fn source_for(
    citations: &[crate::knowledge::Citation],
    words: &[String],
) -> Option<QuestionSource> {
    let says = |c: &crate::knowledge::Citation| {
        let quote = format!(" {} ", normalize(c.quote.as_deref().unwrap_or("")));
        words
            .iter()
            .filter(|w| quote.contains(&format!(" {w} ")))
            .count()
    };
    let mut best: Option<(&crate::knowledge::Citation, usize)> = None;
    for c in citations {
        let n = says(c);
        if best.is_none_or(|(_, b)| n > b) {
            best = Some((c, n));
        }
    }
    best.map(|(c, _)| QuestionSource {
        id: c.source.clone(),
        quote: c.quote.clone(),
    })
}

/// The words of a date as quotes write it: its year, its month in English and Polish.
fn date_words(date: &HistDate) -> Vec<String> {
    let mut words = vec![date.start.year.to_string()];
    if let Some(m) = date.start.month {
        words.push(crate::dates::EN_MONTHS[m as usize - 1].to_lowercase());
        words.push(normalize(crate::dates::PL_MONTHS_GENITIVE[m as usize - 1]));
    }
    if let Some(d) = date.start.day {
        words.push(d.to_string());
    }
    words
}

/// The words of a name, four letters or more, in every locale.
fn name_words(name: &Text) -> Vec<String> {
    let words: BTreeSet<String> = name
        .values()
        .flat_map(|n| {
            normalize(n)
                .split(' ')
                .map(str::to_string)
                .collect::<Vec<_>>()
        })
        .filter(|w| w.len() >= 4)
        .collect();
    words.into_iter().collect()
}

/// The first sentences of a summary, about two hundred characters.
fn short_summary(summary: &Text, locale: Locale) -> String {
    let text = summary.get(locale);
    let mut out = String::new();
    for sentence in text.split_inclusive(". ") {
        out.push_str(sentence);
        if out.chars().count() >= 160 {
            break;
        }
    }
    shorten(out.trim(), 400)
}

fn dated_explanation(e: &Event) -> Text {
    per_locale(|l| {
        format!(
            "{} — {}. {}",
            e.name.get(l),
            e.date.display(l),
            short_summary(&e.summary, l)
        )
    })
}

// ---------------------------------------------------------------- the guard

/// Check a question against the base: options distinct, exactly one right, and no wrong option
/// right by another reading. Generated questions that fail are never asked.
pub fn verify(kb: &KnowledgeBase, q: &Question) -> Result<(), String> {
    let Answer::Choice { options, correct } = &q.answer else {
        return Ok(());
    };
    if *correct >= options.len() || options.len() < 2 {
        return Err(format!("{}: the right option is missing", q.key));
    }
    for l in LOCALES {
        let mut seen = HashSet::new();
        for o in options {
            if !seen.insert(normalize(o.text.get(l))) {
                return Err(format!(
                    "{}: option `{}` appears twice",
                    q.key,
                    o.text.get(l)
                ));
            }
        }
    }
    let wrong = options
        .iter()
        .enumerate()
        .filter(|(i, _)| i != correct)
        .map(|(_, o)| o);
    let subject_event = || -> Result<&Event, String> {
        q.entry
            .as_deref()
            .and_then(|id| kb.get(id))
            .and_then(Entry::as_event)
            .ok_or_else(|| format!("{}: its event is not in the base", q.key))
    };
    let entry_of = |o: &AnswerOption| -> Result<&Entry, String> {
        match &o.meaning {
            Meaning::Entry { id } => kb
                .get(id)
                .ok_or_else(|| format!("{}: option entry `{id}` is not in the base", q.key)),
            other => Err(format!("{}: option means {other:?}, not an entry", q.key)),
        }
    };
    match q.kind {
        QuestionKind::EventYear | QuestionKind::EventDate => {
            let hull = event_hull(subject_event()?);
            for o in wrong {
                match o.meaning {
                    Meaning::Days { first, last } if !overlaps((first, last), hull) => {}
                    _ => {
                        return Err(format!(
                            "{}: `{}` may be right",
                            q.key,
                            o.text.get(Locale::En)
                        ))
                    }
                }
            }
        }
        QuestionKind::EventOnDate => {
            let e = subject_event()?;
            let asked = (e.date.first_day(), e.date.last_day());
            for o in wrong {
                match entry_of(o)? {
                    Entry::Event(other) if !overlaps(event_hull(other), asked) => {}
                    _ => {
                        return Err(format!(
                            "{}: `{}` may be right",
                            q.key,
                            o.text.get(Locale::En)
                        ))
                    }
                }
            }
        }
        QuestionKind::WhichFirst => {
            let right = entry_of(&options[*correct])?
                .as_event()
                .ok_or_else(|| format!("{}: not an event", q.key))?;
            for o in wrong {
                match entry_of(o)? {
                    Entry::Event(other) if event_hull(right).1 < event_hull(other).0 => {}
                    _ => {
                        return Err(format!(
                            "{}: `{}` may be first",
                            q.key,
                            o.text.get(Locale::En)
                        ))
                    }
                }
            }
        }
        QuestionKind::WhoRole => {
            let Some(Entry::Person(p)) = entry_of(&options[*correct]).ok() else {
                return Err(format!("{}: the right option is not a person", q.key));
            };
            let role: usize = q
                .key
                .rsplit(':')
                .next()
                .and_then(|r| r.parse().ok())
                .ok_or_else(|| format!("{}: no role in the key", q.key))?;
            let role = p
                .roles
                .get(role)
                .ok_or_else(|| format!("{}: no such role", q.key))?;
            for o in wrong {
                match entry_of(o)? {
                    Entry::Person(other) if !other.roles.iter().any(|r| roles_match(r, role)) => {}
                    _ => {
                        return Err(format!(
                            "{}: `{}` may be right",
                            q.key,
                            o.text.get(Locale::En)
                        ))
                    }
                }
            }
        }
        QuestionKind::WherePlace => {
            let e = subject_event()?;
            for o in wrong {
                let id = entry_of(o)?.id();
                if e.places.iter().any(|p| p == id) {
                    return Err(format!("{}: `{id}` is one of the event's places", q.key));
                }
            }
        }
        QuestionKind::Figure => {
            let Meaning::Amount { lo, hi } = options[*correct].meaning else {
                return Err(format!("{}: the right option is not an amount", q.key));
            };
            let mut spans: Vec<(f64, f64)> = vec![(lo, hi)];
            for o in wrong {
                match o.meaning {
                    Meaning::Amount { lo, hi } => spans.push((lo, hi)),
                    _ => return Err(format!("{}: an option is not an amount", q.key)),
                }
            }
            spans.sort_by(|a, b| a.0.total_cmp(&b.0));
            // Neighbouring options at least a fifth apart: clearly different, never overlapping.
            if spans.windows(2).any(|w| w[1].0 <= w[0].1 * 1.2) {
                return Err(format!("{}: two amounts are too close", q.key));
            }
        }
        QuestionKind::HandChoice | QuestionKind::HandTrueFalse | QuestionKind::HandFree => {}
    }
    Ok(())
}

/// The day span an option stands for, as a date for display (tests and the preview use it).
pub fn days_as_date(first: i64, last: i64) -> HistDate {
    HistDate {
        start: day_of(first),
        end: day_of(last),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_are_read_in_each_locale_and_dates_refused() {
        let cases: &[(&str, Locale, Option<Vec<f64>>)] = &[
            ("over 70,000", Locale::En, Some(vec![70_000.0])),
            ("ponad 70 000", Locale::Pl, Some(vec![70_000.0])),
            ("3,000–7,000", Locale::En, Some(vec![3000.0, 7000.0])),
            ("3000–7000", Locale::Pl, Some(vec![3000.0, 7000.0])),
            ("some 13.5 million", Locale::En, Some(vec![13_500_000.0])),
            ("około 13,5 miliona", Locale::Pl, Some(vec![13_500_000.0])),
            (
                "ok. 15 tys., wywiezionych",
                Locale::Pl,
                Some(vec![15_000.0]),
            ),
            (
                "about 15,000, taken to the camps",
                Locale::En,
                Some(vec![15_000.0]),
            ),
            ("4:00 pm on 17 September", Locale::En, None),
            ("hundreds of thousands (1939–1941)", Locale::En, None),
            ("one week", Locale::En, Some(vec![])),
        ];
        for (text, locale, expected) in cases {
            let got =
                numbers(text, *locale).map(|ts| ts.iter().map(|t| t.value).collect::<Vec<_>>());
            assert_eq!(&got, expected, "{text}");
        }
    }

    #[test]
    fn scaled_figures_keep_their_wording_and_precision() {
        let cases: &[(&str, Locale, f64, &str)] = &[
            ("over 70,000", Locale::En, 2.5, "over 180,000"),
            ("ponad 70 000", Locale::Pl, 2.5, "ponad 180 000"),
            ("only 310", Locale::En, 2.5, "only 780"),
            ("1,475–3,000", Locale::En, 4.0, "5,900–12,000"),
            ("some 13.5 million", Locale::En, 2.5, "some 33.8 million"),
            ("some 13.5 million", Locale::En, 16.0, "some 216 million"),
            ("około 13,5 miliona", Locale::Pl, 2.5, "około 33,8 miliona"),
            ("3000–7000", Locale::Pl, 0.4, "1200–2800"),
        ];
        for (text, locale, factor, expected) in cases {
            let tokens = numbers(text, *locale).unwrap();
            assert_eq!(
                scaled_text(text, &tokens, *factor, *locale),
                *expected,
                "{text} × {factor}"
            );
        }
    }

    #[test]
    fn like_roles_match_and_unlike_ones_do_not() {
        let t = |en: &str| Text::en(en);
        let cases: &[(&str, &str, bool)] = &[
            (
                "Polish ambassador to the USSR",
                "Polish Ambassador to the Soviet Union",
                true,
            ),
            (
                "Prime Minister of Poland",
                "Polish Prime Minister-in-Exile",
                true,
            ),
            (
                "General of the Polish Army",
                "General; commander of the Independent Operational Group \"Polesie\"",
                true,
            ),
            ("Marshal of Poland", "British Prime Minister", false),
            (
                "Soviet ambassador in London",
                "Leader of Nazi Germany",
                false,
            ),
        ];
        for (a, b, expected) in cases {
            assert_eq!(roles_match(&t(a), &t(b)), *expected, "{a} / {b}");
        }
    }
}
