//! The knowledge base: its model, loading and validation, and the queries the answers need.

pub mod authored;
mod context;
mod live;
mod load;
mod locales;
mod mark;
mod model;
pub mod question;

pub use live::{fingerprint, fingerprint_with, DirWatcher, LiveKnowledge, ReloadOutcome};
pub use load::{
    load_dir, load_dir_with, load_texts, walk, Cores, Found, LoadLimits, LoadReport, Problem,
    Severity, Walk, MAX_PROBLEMS_PER_FILE,
};
pub use mark::ValidatedMark;
pub use model::*;

use std::sync::Arc;

use crate::dates::{HistDate, PartialDate};
use crate::i18n::Locale;
use crate::search::{classify, Hit, IdTable, Outcome, SearchIndex};

/// A validated knowledge base, immutable once built (a reload builds a new one).
pub struct KnowledgeBase {
    /// Each entry on its own, shared: a live reload takes every entry it reads unchanged from the
    /// base it replaces instead of keeping a second copy of it while the two bases live (issue
    /// #14: a reload's peak at most 1.5× steady).
    entries: Vec<Arc<Entry>>,
    derived: Derived,
    /// Hand-written quiz questions (`[[question]]`), in file order.
    questions: Vec<authored::AuthoredQuestion>,
    /// The sides the pack declares (`[[side]]`), in file order.
    sides: Vec<Side>,
}

/// What a base derives from its entries: the orders, the search index, the name lists.
struct Derived {
    /// Entry indices by id (a map would keep a second copy of every id).
    by_id: IdTable,
    /// Each entry's kind, in the entries' order: a search keeps the kinds asked for among its
    /// candidates by reading these, not each candidate entry.
    kinds: Vec<Kind>,
    /// Event indices in time order (start, then end, then id).
    timeline: Vec<usize>,
    /// Along the timeline, the latest last day (a day number) of the events up to each one: with
    /// the timeline's order by first day, the events overlapping a date are found by two binary
    /// searches instead of a walk over every event.
    timeline_reach: Vec<i64>,
    /// Along the timeline, each event's first day (a search reads these, not the events).
    timeline_first: Vec<i64>,
    /// Whether any event is dated in the Julian calendar (a typed date is then also read as one).
    julian_events: bool,
    index: SearchIndex,
    /// Per kind (in [`Kind::ALL`]'s order) and locale (English, Polish): the first
    /// [`FIRST_NAMES`] entries of that kind by their name in that locale, for the suggestions of an
    /// empty field (sorting 100,000 names for each keystroke took 20 ms; filtering one sorted list
    /// of every kind still walked most of it when the kind asked for sorts late).
    first_by_name: [[Vec<u32>; 2]; 4],
    /// The first [`FIRST_NAMES`] events in file order (an empty event field offers these).
    first_events: Vec<u32>,
    /// Every tag of the entries and questions, sorted, each with its normalised form (the quiz's
    /// `topic` suggestions filter them at each keystroke).
    tags: Vec<(String, String)>,
}

impl Derived {
    fn of(entries: &[Arc<Entry>], cores: Cores) -> Self {
        let by_id = IdTable::of(entries.len(), |i| entries[i].id());
        let kinds = entries.iter().map(|e| e.kind()).collect();
        let mut timeline: Vec<usize> = entries
            .iter()
            .enumerate()
            .filter(|(_, e)| e.kind() == Kind::Event)
            .map(|(i, _)| i)
            .collect();
        timeline.sort_by(|a, b| {
            let (ea, eb) = (
                entries[*a].as_event().unwrap(),
                entries[*b].as_event().unwrap(),
            );
            (ea.date.first_day(), ea.date.last_day(), &ea.id).cmp(&(
                eb.date.first_day(),
                eb.date.last_day(),
                &eb.id,
            ))
        });
        let timeline_reach = timeline
            .iter()
            .scan(i64::MIN, |reach, i| {
                let last = entries[*i]
                    .as_event()
                    .map_or(i64::MIN, |e| e.date.last_day());
                *reach = (*reach).max(last);
                Some(*reach)
            })
            .collect();
        let timeline_first = timeline
            .iter()
            .map(|i| {
                entries[*i]
                    .as_event()
                    .map_or(i64::MIN, |e| e.date.first_day())
            })
            .collect();
        let julian_events = timeline
            .iter()
            .any(|i| entries[*i].as_event().is_some_and(|e| e.date.is_julian()));
        let name_of = |id: &str| -> Vec<&str> {
            find_id(entries, &by_id, id)
                .map(|i| entries[i].search_names())
                .unwrap_or_default()
        };
        // What is said about each entry, normalized, taken entry by entry as the index is built
        // (not gathered first: its texts are borrowed from the entries).
        let contexts = || {
            entries.iter().enumerate().flat_map(move |(i, e)| {
                context::of(e, name_of)
                    .into_iter()
                    .map(move |(t, w)| (i, crate::search::normalize(&t), w))
            })
        };
        let roles = || {
            entries.iter().enumerate().flat_map(|(i, e)| {
                let roles: &[Text] = match &**e {
                    Entry::Person(p) => &p.roles,
                    _ => &[],
                };
                roles
                    .iter()
                    .flat_map(|r| r.values())
                    .map(move |r| (i, r, true))
            })
        };
        let names = || {
            entries
                .iter()
                .enumerate()
                .flat_map(|(i, e)| e.search_names().into_iter().map(move |n| (i, n, false)))
                .chain(roles())
                .map(|(i, name, weak)| (i, crate::search::normalize(name), weak))
        };
        let by_name = || Kind::ALL.map(|k| first_by_name(entries, k));
        let (index, first_by_name) = match cores {
            Cores::One => (
                SearchIndex::build_with_context(names(), contexts()),
                by_name(),
            ),
            // The name lists are chosen, and the names and what is said about each entry are
            // normalized, on a second core while the index is built.
            Cores::All => std::thread::scope(|scope| {
                let by_name = scope.spawn(by_name);
                let (names_sent, names_received) = std::sync::mpsc::sync_channel(8);
                let (contexts_sent, contexts_received) = std::sync::mpsc::sync_channel(8);
                let normalizing = scope.spawn(move || {
                    in_batches(names(), names_sent);
                    in_batches(contexts(), contexts_sent);
                });
                let index = SearchIndex::build_with_context(
                    names_received.into_iter().flatten(),
                    contexts_received.into_iter().flatten(),
                );
                // (A panic there ended the names or the context early: it is raised here, not
                // built upon.)
                if let Err(panic) = normalizing.join() {
                    std::panic::resume_unwind(panic);
                }
                let by_name = by_name
                    .join()
                    .unwrap_or_else(|panic| std::panic::resume_unwind(panic));
                (index, by_name)
            }),
        };
        let first_events = entries
            .iter()
            .enumerate()
            .filter(|(_, e)| e.kind() == Kind::Event)
            .map(|(i, _)| i as u32)
            .take(FIRST_NAMES)
            .collect();
        let tags = tag_list(entries.iter().flat_map(|e| e.tags()));
        Self {
            by_id,
            kinds,
            timeline,
            timeline_reach,
            timeline_first,
            julian_events,
            index,
            first_by_name,
            first_events,
            tags,
        }
    }
}

/// Send what `items` yields, a few thousand at a time (one item at a time would cost the
/// receiver more than the work it waits for); stops when the receiver is gone.
fn in_batches<T>(items: impl Iterator<Item = T>, to: std::sync::mpsc::SyncSender<Vec<T>>) {
    const BATCH: usize = 4096;
    let mut batch = Vec::with_capacity(BATCH);
    for item in items {
        batch.push(item);
        if batch.len() == BATCH {
            let full = std::mem::replace(&mut batch, Vec::with_capacity(BATCH));
            if to.send(full).is_err() {
                return;
            }
        }
    }
    let _ = to.send(batch);
}

impl KnowledgeBase {
    pub fn new(entries: Vec<Entry>) -> Self {
        let entries: Vec<Arc<Entry>> = entries.into_iter().map(Arc::new).collect();
        let derived = Derived::of(&entries, Cores::All);
        Self::with_derived(entries, derived)
    }

    /// The base of these entries and what [`Derived::of`] found in the very same entries, in the
    /// same order (the loader derives it on another core while it cross-checks the files).
    fn with_derived(entries: Vec<Arc<Entry>>, derived: Derived) -> Self {
        debug_assert_eq!(derived.by_id.count(), entries.len());
        Self {
            entries,
            derived,
            questions: Vec::new(),
            sides: Vec::new(),
        }
    }

    /// The same base with the sides its pack declares (`[[side]]`).
    pub fn with_sides(mut self, sides: Vec<Side>) -> Self {
        self.sides = sides;
        self
    }

    /// A name to show in examples ("e.g. `/who Anders`"), from this pack and not another: the
    /// first person's shortest plain alias (or name); any entry's name when there is no person.
    pub fn example_name(&self, locale: Locale) -> Option<String> {
        let plain = |s: &&str| s.chars().all(|c| c.is_ascii_alphabetic() || c == ' ');
        let person = self.entries.iter().find_map(|e| match &**e {
            Entry::Person(p) => Some(p),
            _ => None,
        });
        match person {
            Some(p) => p
                .aliases
                .iter()
                .map(String::as_str)
                .filter(plain)
                .min_by_key(|a| a.chars().count())
                .or(Some(p.name.get(locale)))
                .map(str::to_string),
            None => self
                .entries
                .iter()
                .find(|e| e.kind() != Kind::Source)
                .map(|e| e.name(locale).to_string()),
        }
    }

    /// A day to show in examples of dates: the start of the pack's first event (its first day
    /// when the date is less precise); 17 September 1939 for a pack without events.
    pub fn example_day(&self) -> PartialDate {
        self.timeline()
            .next()
            .map(|e| {
                let start = e.date.start;
                PartialDate::day(start.year, start.month.unwrap_or(1), start.day.unwrap_or(1))
            })
            .unwrap_or(PartialDate::day(1939, 9, 17))
    }

    /// The sides people stood on, as the pack declares them, in file order.
    pub fn sides(&self) -> &[Side] {
        &self.sides
    }

    /// A side's name as the pack declares it, by id.
    pub fn side(&self, id: &str) -> Option<&Side> {
        self.sides.iter().find(|s| s.id == id)
    }

    /// The same base with these hand-written quiz questions (given once, to a base just built:
    /// their tags join the entries').
    pub fn with_questions(mut self, questions: Vec<authored::AuthoredQuestion>) -> Self {
        // The entries' tags are listed already; the questions' new ones join them in order.
        for tag in questions.iter().flat_map(|q| &q.tags) {
            if let Err(at) = self.derived.tags.binary_search_by(|(t, _)| t.cmp(tag)) {
                self.derived
                    .tags
                    .insert(at, (tag.clone(), crate::search::normalize(tag)));
            }
        }
        self.questions = questions;
        self
    }

    /// Every tag of the entries and hand-written questions, sorted, with its normalised form.
    pub fn tags(&self) -> &[(String, String)] {
        &self.derived.tags
    }

    /// The hand-written quiz questions.
    pub fn questions(&self) -> &[authored::AuthoredQuestion] {
        &self.questions
    }

    /// Load and validate a directory; errors come back as the report's problems.
    pub fn load(dir: &std::path::Path) -> Result<KnowledgeBase, Box<LoadReport>> {
        Self::load_with(dir, &LoadLimits::default())
    }

    /// Load and validate a directory under these limits.
    pub fn load_with(
        dir: &std::path::Path,
        limits: &LoadLimits,
    ) -> Result<KnowledgeBase, Box<LoadReport>> {
        Self::load_on(dir, limits, Cores::All)
    }

    /// Load and validate a directory under these limits, keeping at most this many cores busy.
    pub fn load_on(
        dir: &std::path::Path,
        limits: &LoadLimits,
        cores: Cores,
    ) -> Result<KnowledgeBase, Box<LoadReport>> {
        let mut report = load::load_dir_on(dir, limits, cores, None);
        let loaded = match report.base.take() {
            Some(base) => Ok(base),
            None => Err(Box::new(report)),
        };
        // The files' text and the parsed tables are gone: give their pages back to the system.
        live::release_freed_memory();
        loaded
    }

    /// Every entry, in the order the files were read.
    pub fn entries(&self) -> EntryList<'_> {
        EntryList(&self.entries)
    }

    pub fn entry(&self, index: usize) -> &Entry {
        &self.entries[index]
    }

    pub fn get(&self, id: &str) -> Option<&Entry> {
        self.index_of(id).map(|i| &*self.entries[i])
    }

    pub fn index_of(&self, id: &str) -> Option<usize> {
        find_id(&self.entries, &self.derived.by_id, id)
    }

    pub fn source(&self, id: &str) -> Option<&Source> {
        match self.get(id) {
            Some(Entry::Source(s)) => Some(s),
            _ => None,
        }
    }

    pub fn count(&self, kind: Kind) -> usize {
        self.derived.kinds.iter().filter(|k| **k == kind).count()
    }

    /// The first `limit` (at most [`FIRST_NAMES`]) entries of these kinds (every kind but the
    /// sources when empty) by their name in `locale`; an event list asked for alone comes in the
    /// pack's order. What an empty autocomplete field offers, without a walk over the base.
    pub fn first_names(&self, kinds: &[Kind], locale: Locale, limit: usize) -> Vec<&Entry> {
        let slot = |k: Kind| Kind::ALL.iter().position(|x| *x == k).unwrap_or(0);
        if kinds == [Kind::Event] {
            return self
                .derived
                .first_events
                .iter()
                .take(limit)
                .map(|i| &*self.entries[*i as usize])
                .collect();
        }
        let l = match locale {
            Locale::En => 0,
            Locale::Pl => 1,
        };
        let wanted = |k: &Kind| {
            if kinds.is_empty() {
                *k != Kind::Source
            } else {
                kinds.contains(k)
            }
        };
        // Each kind's list is sorted by (name, index): merged, they give the first names of all.
        let mut merged: Vec<(&str, u32)> = Kind::ALL
            .iter()
            .filter(|k| wanted(k))
            .flat_map(|k| &self.derived.first_by_name[slot(*k)][l])
            .map(|i| (self.entries[*i as usize].name(locale), *i))
            .collect();
        merged.sort_unstable();
        merged
            .into_iter()
            .take(limit)
            .map(|(_, i)| &*self.entries[i as usize])
            .collect()
    }

    /// Events in time order.
    pub fn timeline(&self) -> impl Iterator<Item = &Event> + '_ {
        self.derived
            .timeline
            .iter()
            .filter_map(|i| self.entries[*i].as_event())
    }

    /// Events still running on `date`'s first day or later, in time order (by two binary
    /// searches and a walk from there, not over the whole timeline).
    pub fn timeline_from(&self, date: &HistDate) -> impl Iterator<Item = &Event> + '_ {
        let from = date.first_day();
        let first = self
            .derived
            .timeline_reach
            .partition_point(|reach| *reach < from);
        self.derived.timeline[first..]
            .iter()
            .filter_map(|i| self.entries[*i].as_event())
            .filter(move |e| e.date.last_day() >= from)
    }

    /// Ranked matches among the given kinds (all kinds when empty).
    pub fn search(&self, query: &str, kinds: &[Kind], limit: usize) -> Vec<Hit> {
        self.derived.index.search(query, false, limit, |i| {
            kinds.is_empty() || kinds.contains(&self.derived.kinds[i])
        })
    }

    /// Matches for a name still being typed (autocomplete).
    pub fn suggest(&self, partial: &str, kinds: &[Kind], limit: usize) -> Vec<Hit> {
        self.derived.index.search(partial, true, limit, |i| {
            kinds.is_empty() || kinds.contains(&self.derived.kinds[i])
        })
    }

    /// The best entry for a query, with how sure we are.
    pub fn find(&self, query: &str, kinds: &[Kind]) -> Outcome {
        classify(&self.search(query, kinds, 12))
    }

    /// Events whose dates overlap `date`: those within it first, then the ones running through it.
    ///
    /// A reader types a date as the sources write it, so an event dated in the Julian calendar
    /// is matched against the typed date read as Julian (`1410-07-15` finds Grunwald, written
    /// `1410-07-15` in the Julian calendar, though its Gregorian day is 24 July).
    pub fn events_on(&self, date: &HistDate) -> Vec<&Event> {
        let mut within = Vec::new();
        let mut ongoing = Vec::new();
        let as_written = |e: &Event| {
            if e.date.is_julian() && !date.is_julian() {
                date.in_julian()
            } else {
                *date
            }
        };
        // Only events that begin by the date's last day and end on or after its first can
        // overlap it (the date read in both calendars when some events are Julian).
        let (mut from, mut to) = (date.first_day(), date.last_day());
        if self.derived.julian_events && !date.is_julian() {
            let julian = date.in_julian();
            from = from.min(julian.first_day());
            to = to.max(julian.last_day());
        }
        let first = self
            .derived
            .timeline_reach
            .partition_point(|reach| *reach < from);
        let end = self
            .derived
            .timeline_first
            .partition_point(|first| *first <= to);
        let candidates = self.derived.timeline[first..end.max(first)]
            .iter()
            .filter_map(|i| self.entries[*i].as_event());
        for e in candidates {
            let date = as_written(e);
            if e.date.within(&date) {
                within.push(e);
            } else if e.date.overlaps(&date) {
                ongoing.push(e);
            }
        }
        // Of the ongoing ones, those that begin on the date come first (the invasion of 17 September
        // on "1939-09-17"), then the most precise and shortest: a year-long entry is the least
        // telling answer to a question about one day.
        ongoing.sort_by_cached_key(|e| ongoing_rank(e, &as_written(e)));
        within.extend(ongoing);
        within
    }

    /// The nearest events wholly before and after `date`.
    pub fn nearest_events(&self, date: &HistDate) -> (Option<&Event>, Option<&Event>) {
        let before = self
            .timeline()
            .filter(|e| e.date.last_day() < date.first_day())
            .max_by_key(|e| e.date.last_day());
        let after = self
            .timeline()
            .find(|e| e.date.first_day() > date.last_day());
        (before, after)
    }

    /// The event before / after `id` in time.
    pub fn neighbour_event(&self, id: &str, forward: bool) -> Option<&Event> {
        let idx = self.index_of(id)?;
        let pos = self.derived.timeline.iter().position(|i| *i == idx)?;
        let other = if forward {
            pos.checked_add(1)?
        } else {
            pos.checked_sub(1)?
        };
        self.derived
            .timeline
            .get(other)
            .and_then(|i| self.entries[*i].as_event())
    }

    /// Events whose anniversary falls on a day of the year: those that started or ended on it,
    /// then those running through it.
    pub fn anniversaries(&self, month: u8, day: u8) -> Vec<&Event> {
        let mut exact = Vec::new();
        let mut ongoing = Vec::new();
        for e in self.timeline() {
            let (s, en) = (e.date.start, e.date.end);
            let hits_end =
                |p: crate::dates::PartialDate| p.month == Some(month) && p.day == Some(day);
            if hits_end(s) || hits_end(en) {
                exact.push(e);
            } else if s.day.is_some()
                && e.date.is_range()
                && covers_day_of_year(&e.date, month, day)
            {
                ongoing.push(e);
            }
        }
        exact.extend(ongoing);
        exact
    }

    /// The next anniversary after a day of the year, wrapping around to January.
    pub fn next_anniversary(&self, month: u8, day: u8) -> Option<(&Event, u8, u8)> {
        let key = |m: u8, d: u8| (m as u16) * 100 + d as u16;
        let today = key(month, day);
        let mut all: Vec<(&Event, u16)> = self
            .timeline()
            .filter_map(|e| Some((e, key(e.date.start.month?, e.date.start.day?))))
            .collect();
        all.sort_by_key(|(e, k)| (*k, e.date.first_day()));
        all.iter()
            .find(|(_, k)| *k > today)
            .or_else(|| all.first())
            .map(|(e, k)| (*e, (k / 100) as u8, (k % 100) as u8))
    }

    /// Every entry that cites `source_id`.
    pub fn cited_by(&self, source_id: &str) -> Vec<&Entry> {
        self.entries
            .iter()
            .filter(|e| e.source_ids().contains(&source_id))
            .map(|e| &**e)
            .collect()
    }
}

/// A base's entries in the order the files were read ([`KnowledgeBase::entries`]); each is held
/// on its own, so a reload can share the unchanged ones.
#[derive(Clone, Copy)]
pub struct EntryList<'a>(&'a [Arc<Entry>]);

/// The iterator over an [`EntryList`].
pub type EntryIter<'a> =
    std::iter::Map<std::slice::Iter<'a, Arc<Entry>>, fn(&Arc<Entry>) -> &Entry>;

impl<'a> EntryList<'a> {
    pub fn len(&self) -> usize {
        self.0.len()
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    pub fn get(&self, index: usize) -> Option<&'a Entry> {
        self.0.get(index).map(|e| &**e)
    }

    pub fn iter(&self) -> EntryIter<'a> {
        self.0.iter().map(|e| &**e)
    }

    /// A copy of every entry (to build another base from).
    pub fn to_vec(&self) -> Vec<Entry> {
        self.iter().cloned().collect()
    }
}

impl std::ops::Index<usize> for EntryList<'_> {
    type Output = Entry;

    fn index(&self, index: usize) -> &Entry {
        &self.0[index]
    }
}

impl<'a> IntoIterator for EntryList<'a> {
    type Item = &'a Entry;
    type IntoIter = EntryIter<'a>;

    fn into_iter(self) -> Self::IntoIter {
        self.iter()
    }
}

fn covers_day_of_year(date: &HistDate, month: u8, day: u8) -> bool {
    let (first, last) = (date.first_day(), date.last_day());
    if last - first > 366 {
        return false; // a years-long span is not an anniversary of every day
    }
    let (y0, _, _) = crate::dates::civil_from_days(first);
    let (y1, _, _) = crate::dates::civil_from_days(last);
    (y0..=y1).any(|y| {
        if day > crate::dates::days_in_month(y, month) {
            return false;
        }
        let d = crate::dates::days_from_civil(y, month, day);
        d >= first && d <= last
    })
}

/// Where an event still running on `date` (as written in the event's calendar) ranks among the
/// others on that date, lowest first: those that begin on it, then the most precise and shortest.
pub fn ongoing_rank(e: &Event, date: &HistDate) -> (bool, u8, i64, i64) {
    let starts_here = e.date.first_day() >= date.first_day();
    let precision = match e.date.precision() {
        crate::dates::Precision::Day => 0,
        crate::dates::Precision::Month => 1,
        crate::dates::Precision::Year => 2,
    };
    (
        !starts_here,
        precision,
        e.date.last_day() - e.date.first_day(),
        e.date.first_day(),
    )
}

/// The index of the entry with this id; of two entries with one id (a base built without the
/// loader's checks), the later.
fn find_id(entries: &[Arc<Entry>], by_id: &IdTable, id: &str) -> Option<usize> {
    by_id.find(id, |i| entries[i].id())
}

/// How many names per kind an empty field can be offered: Discord shows at most 25 choices.
pub const FIRST_NAMES: usize = 25;

/// Per locale (English, Polish): the indices of the first [`FIRST_NAMES`] entries of `kind`
/// ordered by name in that locale (then file order).
fn first_by_name(entries: &[Arc<Entry>], kind: Kind) -> [Vec<u32>; 2] {
    [Locale::En, Locale::Pl].map(|locale| {
        // Each name looked up once, not at every comparison; only the first few are sorted.
        let mut keyed: Vec<(&str, u32)> = entries
            .iter()
            .enumerate()
            .filter(|(_, e)| e.kind() == kind)
            .map(|(i, e)| (e.name(locale), i as u32))
            .collect();
        if keyed.len() > FIRST_NAMES {
            keyed.select_nth_unstable(FIRST_NAMES - 1);
            keyed.truncate(FIRST_NAMES);
        }
        keyed.sort_unstable();
        keyed.into_iter().map(|(_, i)| i).collect()
    })
}

/// Tags, sorted and without repeats, each with its normalised form.
fn tag_list<'a>(tags: impl Iterator<Item = &'a String>) -> Vec<(String, String)> {
    let unique: std::collections::BTreeSet<&String> = tags.collect();
    unique
        .into_iter()
        .map(|t| (t.clone(), crate::search::normalize(t)))
        .collect()
}
