//! The commands' logic: (knowledge base, options, locale) in, a [`Reply`] out.
//!
//! Nothing here knows Discord or the terminal. Buttons carry everything needed to answer them in
//! their custom_id (see [`buttons`]), so a press can be answered by any process, after any restart.

pub mod buttons;
mod cards;

use crate::dates::{self, DateQuery, HistDate, PartialDate};
use crate::i18n::{ui, Locale, Ui};
use crate::knowledge::{Kind, KnowledgeBase};
pub use crate::reply::{self, Button, ButtonStyle, Embed, Field, Reply, Response};
pub use crate::rng::splitmix64;
use crate::search::Outcome;
pub use crate::text::clean_input;

/// What the caller knows that the knowledge base does not: today's date, and randomness.
#[derive(Debug, Clone, Copy)]
pub struct Ctx {
    pub today: PartialDate,
    pub seed: u64,
}

impl Ctx {
    /// Today by `clock`, and a seed drawn from its time (the adapters pass the system clock).
    pub fn at(clock: &dyn crate::clock::Clock) -> Self {
        let mut ms = clock.now_ms();
        Ctx {
            today: dates::utc_day(ms),
            seed: crate::rng::splitmix64(&mut ms),
        }
    }
}

/// A slash command with its options, as typed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Command {
    Event {
        query: String,
    },
    Who {
        name: String,
    },
    What {
        topic: String,
    },
    Search {
        text: String,
    },
    OnThisDay {
        date: Option<String>,
    },
    Timeline {
        from: Option<String>,
        to: Option<String>,
    },
    Random {
        kind: Option<String>,
    },
}

/// What autocomplete suggests for an option.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Suggest {
    /// Names of entries of these kinds (events also by date).
    Names(&'static [Kind]),
    /// Event dates and names.
    Dates,
}

/// What each lookup option suggests while it is typed; `None` for options the core does not know.
/// (The commands and their options are declared once, in the Discord adapter's command list.)
pub fn suggestion(command: &str, option: &str) -> Option<Suggest> {
    Some(match (command, option) {
        ("event", "query") => Suggest::Names(&[Kind::Event]),
        ("who", "name") => Suggest::Names(&[Kind::Person]),
        ("what", "topic") => Suggest::Names(&[Kind::Topic]),
        ("search", "text") => Suggest::Names(&[]),
        ("onthisday", "date") | ("timeline", "from" | "to") => Suggest::Dates,
        _ => return None,
    })
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum CommandError {
    /// No such command; `known` lists the ones there are.
    Unknown { name: String, known: Vec<String> },
    /// No such option (or subcommand); `known` lists the ones there are.
    UnknownOption {
        command: String,
        option: String,
        known: Vec<String>,
    },
}

impl std::fmt::Display for CommandError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            CommandError::Unknown { name, known } => write!(
                f,
                "unknown command `{}`; the commands are {}",
                crate::text::quote_input(name),
                known.join(", ")
            ),
            CommandError::UnknownOption {
                command,
                option,
                known,
            } => {
                let known: Vec<String> = known.iter().map(|k| format!("`{k}`")).collect();
                write!(
                    f,
                    "/{} has no option `{}`; its options are {}",
                    crate::text::quote_input(command),
                    crate::text::quote_input(option),
                    known.join(", ")
                )
            }
        }
    }
}

impl std::error::Error for CommandError {}

impl Command {
    /// Build a lookup command from its English name and `(option, value)` pairs, as the adapters
    /// deliver them once they have read the command line or the interaction.
    pub fn from_parts(name: &str, options: &[(String, String)]) -> Result<Command, CommandError> {
        let get = |k: &str| options.iter().find(|(n, _)| n == k).map(|(_, v)| v.clone());
        let text = |k: &str| get(k).unwrap_or_default();
        Ok(match name {
            "event" => Command::Event {
                query: text("query"),
            },
            "who" => Command::Who { name: text("name") },
            "what" => Command::What {
                topic: text("topic"),
            },
            "search" => Command::Search { text: text("text") },
            "onthisday" => Command::OnThisDay { date: get("date") },
            "timeline" => Command::Timeline {
                from: get("from"),
                to: get("to"),
            },
            "random" => Command::Random { kind: get("kind") },
            other => {
                return Err(CommandError::Unknown {
                    name: other.to_string(),
                    known: Vec::new(),
                })
            }
        })
    }

    pub fn name(&self) -> &'static str {
        match self {
            Command::Event { .. } => "event",
            Command::Who { .. } => "who",
            Command::What { .. } => "what",
            Command::Search { .. } => "search",
            Command::OnThisDay { .. } => "onthisday",
            Command::Timeline { .. } => "timeline",
            Command::Random { .. } => "random",
        }
    }
}

/// Answer a command. Always a reply: user errors are ephemeral answers, never failures.
pub fn respond(kb: &KnowledgeBase, cmd: &Command, locale: Locale, ctx: &Ctx) -> Reply {
    let reply = match cmd {
        Command::Event { query } => event(kb, query, locale),
        Command::Who { name } => lookup(kb, name, Kind::Person, locale),
        Command::What { topic } => lookup(kb, topic, Kind::Topic, locale),
        Command::Search { text } => search(kb, text, locale),
        Command::OnThisDay { date } => on_this_day(kb, date.as_deref(), locale, ctx),
        Command::Timeline { from, to } => timeline(kb, from.as_deref(), to.as_deref(), locale),
        Command::Random { kind } => random(kb, kind.as_deref(), locale, ctx.seed),
    };
    reply.fit()
}

/// Answer a button press by its custom_id.
pub fn press(kb: &KnowledgeBase, custom_id: &str, locale: Locale, ctx: &Ctx) -> Response {
    let response = match buttons::Action::parse(custom_id) {
        None => Response::Message(cards::notice(ui(locale, Ui::UnknownButton), locale)),
        Some(action) => buttons::answer(kb, &action, locale, ctx),
    };
    match response {
        Response::Message(r) => Response::Message(r.fit()),
        Response::Update(r) => Response::Update(r.fit()),
    }
}

/// "Tell me what to look for", with examples from the pack in use, never another's names.
fn empty_query(kb: &KnowledgeBase, locale: Locale) -> Reply {
    let name = kb.example_name(locale).unwrap_or_else(|| "...".into());
    let text = ui(locale, Ui::EmptyQuery)
        .replace("{name}", &name)
        .replace("{date}", &kb.example_day().display(locale));
    cards::notice(&text, locale)
}

fn event(kb: &KnowledgeBase, query: &str, locale: Locale) -> Reply {
    let query = clean_input(query);
    if query.is_empty() {
        return empty_query(kb, locale);
    }
    match dates::parse_user_date(&query) {
        Err(e) => cards::notice(&date_message_in(kb, e, locale), locale),
        Ok(Some(DateQuery::Date(date))) => events_on_date(kb, &date, 0, locale),
        Ok(Some(DateQuery::DayOfYear { month, day })) => {
            cards::anniversaries(kb, month, day, 0, locale)
        }
        Ok(None) => lookup(kb, &query, Kind::Event, locale),
    }
}

/// One event as a card, several as a list, none with the nearest before and after.
pub(crate) fn events_on_date(
    kb: &KnowledgeBase,
    date: &HistDate,
    page: usize,
    locale: Locale,
) -> Reply {
    let mut events = kb.events_on(date);
    // A disputed date is listed under each value a source gives it: the annexation under
    // November 1939 and under 1945.
    for e in kb.timeline() {
        if !events.iter().any(|x| x.id == e.id)
            && e.disputed_dates.iter().any(|c| c.date.overlaps(date))
        {
            events.push(e);
        }
    }
    match events.len() {
        0 => cards::nothing_on_date(kb, date, locale),
        1 => cards::entry_card(
            kb,
            kb.get(&events[0].id).expect("event from the base"),
            locale,
        ),
        _ => cards::event_list(
            kb,
            &cards::events_title(date, locale),
            &events,
            page,
            |p| {
                buttons::Action::DatePage {
                    date: *date,
                    page: p,
                }
                .custom_id()
            },
            locale,
        ),
    }
}

fn lookup(kb: &KnowledgeBase, query: &str, kind: Kind, locale: Locale) -> Reply {
    let query = clean_input(query);
    if query.is_empty() {
        return empty_query(kb, locale);
    }
    match find_across(kb, &query, kind) {
        Outcome::Found(hit) => cards::entry_card(kb, kb.entry(hit.entry), locale),
        Outcome::Ambiguous(hits) => cards::did_you_mean(kb, &query, &hits, locale),
        Outcome::NotFound { nearest } => cards::no_match(kb, &query, nearest.as_ref(), locale),
    }
}

/// The entry meant by a query to `/event` or `/what`: of the command's kind, or of the other one
/// (a topic for `/event`, an event for `/what`) when that is clearly the better match, rather than
/// "nothing found".
fn find_across(kb: &KnowledgeBase, query: &str, kind: Kind) -> Outcome {
    let other = match kind {
        Kind::Event => Kind::Topic,
        Kind::Topic => Kind::Event,
        _ => return kb.find(query, &[kind]),
    };
    let own = kb.search(query, &[kind], 12);
    let own_outcome = crate::search::classify(&own);
    // Found by its name ("Kock" for the battle at Kock), the command's own kind answers.
    if matches!(own_outcome, Outcome::Found(ref h) if h.score >= 0.96) {
        return own_outcome;
    }
    let theirs = kb.search(query, &[other], 12);
    let own_top = own.first().map_or(0.0, |h| h.score);
    if let Outcome::Found(hit) = crate::search::classify(&theirs) {
        // Only by its name: what is said about an entry of the other kind is too weak to cross over.
        let exact = hit.score >= 0.999;
        if exact || (hit.score >= 0.93 && hit.score >= own_top + 0.05) {
            return Outcome::Found(hit);
        }
    }
    own_outcome
}

fn search(kb: &KnowledgeBase, text: &str, locale: Locale) -> Reply {
    let text = clean_input(text);
    if text.is_empty() {
        return empty_query(kb, locale);
    }
    let hits: Vec<_> = kb
        .search(&text, &[], 10)
        .into_iter()
        .filter(|h| h.score >= crate::search::PLAUSIBLE)
        .collect();
    if hits.is_empty() {
        let nearest = kb
            .search(&text, &[], 1)
            .into_iter()
            .find(|h| h.score >= crate::search::SUGGESTIBLE);
        return cards::no_match(kb, &text, nearest.as_ref(), locale);
    }
    cards::search_results(kb, &text, &hits, locale)
}

fn on_this_day(kb: &KnowledgeBase, date: Option<&str>, locale: Locale, ctx: &Ctx) -> Reply {
    let date = date.map(clean_input).filter(|d| !d.is_empty());
    let (month, day) = match date {
        None => (ctx.today.month.unwrap_or(1), ctx.today.day.unwrap_or(1)),
        Some(text) => match dates::parse_user_date(&text) {
            Err(e) => return cards::notice(&date_message_in(kb, e, locale), locale),
            Ok(Some(DateQuery::DayOfYear { month, day })) => (month, day),
            Ok(Some(DateQuery::Date(d))) if d.start.precision() == dates::Precision::Day => {
                (d.start.month.unwrap_or(1), d.start.day.unwrap_or(1))
            }
            _ => {
                let err = dates::DateError {
                    input: text.clone(),
                    problem: dates::DateProblem::Unreadable,
                };
                return cards::notice(&date_message_in(kb, err, locale), locale);
            }
        },
    };
    cards::anniversaries(kb, month, day, 0, locale)
}

fn timeline(kb: &KnowledgeBase, from: Option<&str>, to: Option<&str>, locale: Locale) -> Reply {
    let parse = |s: Option<&str>| -> Result<Option<HistDate>, dates::DateError> {
        match s.map(clean_input).filter(|s| !s.is_empty()) {
            None => Ok(None),
            Some(s) => dates::parse_required_date(&s).map(Some),
        }
    };
    let from = match parse(from) {
        Ok(d) => d,
        Err(e) => return cards::notice(&date_message_in(kb, e, locale), locale),
    };
    let to = match parse(to) {
        Ok(d) => d,
        Err(e) => return cards::notice(&date_message_in(kb, e, locale), locale),
    };
    if let (Some(f), Some(t)) = (from, to) {
        if t.last_day() < f.first_day() {
            let err = dates::DateError {
                input: format!("{} – {}", f.display(locale), t.display(locale)),
                problem: dates::DateProblem::EndsBeforeStart,
            };
            return cards::notice(&date_message_in(kb, err, locale), locale);
        }
    }
    cards::timeline_page(kb, from, to, 0, locale)
}

fn random(kb: &KnowledgeBase, kind: Option<&str>, locale: Locale, seed: u64) -> Reply {
    let kind = match kind.map(clean_input).filter(|k| !k.is_empty()) {
        None => None,
        Some(k) => match Kind::parse(&k) {
            Some(kind) => Some(kind),
            None => {
                let msg = match locale {
                    Locale::En => format!(
                        "`{}` is not a kind I know; choose person, event, topic or source.",
                        crate::text::quote_input(&k)
                    ),
                    Locale::Pl => format!(
                        "Nie znam rodzaju `{}`; wybierz person, event, topic albo source.",
                        crate::text::quote_input(&k)
                    ),
                };
                return cards::notice(&msg, locale);
            }
        },
    };
    buttons::random_entry(kb, kind, locale, seed)
}

/// Autocomplete choices `(name, value)` for an option being typed: best first, at most 25, each
/// within Discord's 100 characters.
pub fn autocomplete(
    kb: &KnowledgeBase,
    command: &str,
    option: &str,
    partial: &str,
    locale: Locale,
) -> Vec<(String, String)> {
    let Some(suggest) = suggestion(command, option) else {
        return Vec::new();
    };
    let partial = clean_input(partial);
    let fit = |s: &str| reply::shorten(s, 100);
    let mut out: Vec<(String, String)> = Vec::new();
    let iso = |d: &HistDate| {
        let p = d.start;
        match (p.month, p.day) {
            (Some(m), Some(day)) => format!("{:04}-{m:02}-{day:02}", p.year),
            (Some(m), None) => format!("{:04}-{m:02}", p.year),
            _ => format!("{:04}", p.year),
        }
    };
    match suggest {
        Suggest::Names(kinds) => {
            if let Ok(Some(DateQuery::Date(date))) = dates::parse_user_date(&partial) {
                out.push((fit(&cards::events_title(&date, locale)), fit(&partial)));
                for e in kb.events_on(&date).into_iter().take(24) {
                    out.push((
                        fit(&format!(
                            "{} — {}",
                            cards::event_date_text(e, locale),
                            e.name.get(locale)
                        )),
                        fit(e.name.get(locale)),
                    ));
                }
            } else if partial.is_empty() {
                // The first 25 by name (events: in the pack's order), from the base's
                // precomputed order: no walk over the whole base for a keystroke.
                let names = kb
                    .first_names(kinds, locale, 25)
                    .into_iter()
                    .map(|e| e.name(locale));
                out.extend(names.map(|n| (fit(n), fit(n))));
            } else {
                for hit in kb.suggest(&partial, kinds, 25) {
                    let name = kb.entry(hit.entry).name(locale);
                    out.push((fit(name), fit(name)));
                }
            }
        }
        Suggest::Dates => {
            let typed = match dates::parse_user_date(&partial) {
                Ok(Some(DateQuery::Date(date))) => Some(date),
                _ => None,
            };
            if let Some(date) = &typed {
                out.push((fit(&date.display(locale)), fit(&partial)));
            }
            let events: Vec<&crate::knowledge::Event> = if partial.is_empty() {
                kb.timeline().take(24).collect()
            } else if let Some(date) = year_begun(&partial) {
                // The first digits of a year (`19` on the way to `1939`): the events from the
                // first year they can begin (1900), in time order.
                kb.timeline_from(&date).take(24).collect()
            } else if let Some(date) = &typed {
                // A date being typed: the events from then on, in time order.
                kb.timeline_from(date).take(24).collect()
            } else {
                kb.suggest(&partial, &[Kind::Event], 24)
                    .iter()
                    .filter_map(|h| kb.entry(h.entry).as_event())
                    .collect()
            };
            for e in events {
                out.push((
                    fit(&format!(
                        "{} — {}",
                        cards::event_date_text(e, locale),
                        e.name.get(locale)
                    )),
                    iso(&e.date),
                ));
            }
        }
    }
    out.retain(|(n, v)| !n.is_empty() && !v.is_empty());
    crate::text::keep_first(&mut out, |(n, _)| n.as_str());
    out.truncate(25);
    out
}

/// One to three digits typed in a date field, read as the start of a four-digit year: the first
/// year they can begin (`19` → 1900, `193` → 1930).
fn year_begun(partial: &str) -> Option<HistDate> {
    if partial.is_empty() || partial.len() > 3 || !partial.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let mut year = partial.to_string();
    while year.len() < 4 {
        year.push('0');
    }
    HistDate::parse_canonical(&year).ok()
}

/// A date error's message with the user's text made safe inside its code span.
pub fn date_message(e: dates::DateError, locale: Locale) -> String {
    dates::DateError {
        input: crate::text::quote_input(&e.input),
        problem: e.problem,
    }
    .message(locale)
}

/// [`date_message`] with its examples taken from the pack in use.
pub fn date_message_in(kb: &KnowledgeBase, e: dates::DateError, locale: Locale) -> String {
    dates::DateError {
        input: crate::text::quote_input(&e.input),
        problem: e.problem,
    }
    .message_with(locale, &kb.example_day())
}
