//! Stateless buttons: the custom_id is the whole state.
//!
//! Format: a one-letter action, then `:`-separated arguments, at most 100 characters. Entry ids are
//! at most 40 characters and dates compact (`19390917`), so every id fits. An id the knowledge base no
//! longer has is answered kindly (ephemeral), never with an error.

use super::cards;
use super::{splitmix64, Ctx};
use crate::dates::HistDate;
use crate::i18n::{ui, Locale, Ui};
use crate::knowledge::{Kind, KnowledgeBase};
use crate::reply::Response;

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Action {
    /// Show an entry's card.
    Open(String),
    /// The event before (false) or after (true) this one.
    Step { id: String, forward: bool },
    /// An entry's sources with their quotes.
    Sources(String),
    /// A page of the timeline between two optional dates.
    Timeline {
        from: Option<HistDate>,
        to: Option<HistDate>,
        page: usize,
    },
    /// A page of the events on a date.
    DatePage { date: HistDate, page: usize },
    /// A page of the anniversaries of a day of the year.
    Anniversary { month: u8, day: u8, page: usize },
    /// Another random entry, of a kind or any.
    Random(Option<Kind>),
    /// Report an error in an entry: on Discord, a form (the adapter answers it, not the core).
    Report(String),
}

impl Action {
    pub fn custom_id(&self) -> String {
        let date = |d: &Option<HistDate>| d.map(|d| d.compact()).unwrap_or_default();
        match self {
            Action::Open(id) => ["o:", id.as_str()].concat(),
            Action::Step { id, forward: false } => ["p:", id.as_str()].concat(),
            Action::Step { id, forward: true } => ["n:", id.as_str()].concat(),
            Action::Sources(id) => ["s:", id.as_str()].concat(),
            Action::Timeline { from, to, page } => format!("t:{}:{}:{page}", date(from), date(to)),
            Action::DatePage { date, page } => format!("d:{}:{page}", date.compact()),
            Action::Anniversary { month, day, page } => format!("a:{month:02}{day:02}:{page}"),
            Action::Random(kind) => format!("r:{}", kind.map(Kind::as_str).unwrap_or("any")),
            Action::Report(id) => ["e:", id.as_str()].concat(),
        }
    }

    pub fn parse(custom_id: &str) -> Option<Action> {
        if custom_id.len() > 100 {
            return None;
        }
        let (tag, rest) = custom_id.split_once(':')?;
        let valid_id = |s: &str| {
            !s.is_empty()
                && s.len() <= 40
                && s.bytes()
                    .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
        };
        let page = |s: &str| s.parse::<usize>().ok().filter(|p| *p < 10_000);
        match tag {
            "o" | "p" | "n" | "s" | "e" if valid_id(rest) => Some(match tag {
                "o" => Action::Open(rest.to_string()),
                "p" => Action::Step {
                    id: rest.to_string(),
                    forward: false,
                },
                "n" => Action::Step {
                    id: rest.to_string(),
                    forward: true,
                },
                "e" => Action::Report(rest.to_string()),
                _ => Action::Sources(rest.to_string()),
            }),
            "t" => {
                let mut parts = rest.split(':');
                let (from, to, p) = (parts.next()?, parts.next()?, parts.next()?);
                let opt = |s: &str| {
                    if s.is_empty() {
                        Some(None)
                    } else {
                        HistDate::from_compact(s).map(Some)
                    }
                };
                Some(Action::Timeline {
                    from: opt(from)?,
                    to: opt(to)?,
                    page: page(p)?,
                })
            }
            "d" => {
                let (d, p) = rest.split_once(':')?;
                Some(Action::DatePage {
                    date: HistDate::from_compact(d)?,
                    page: page(p)?,
                })
            }
            "a" => {
                let (md, p) = rest.split_once(':')?;
                if md.len() != 4 || !md.bytes().all(|b| b.is_ascii_digit()) {
                    return None;
                }
                let (month, day) = (md[..2].parse().ok()?, md[2..].parse().ok()?);
                if !(1..=12).contains(&month)
                    || day == 0
                    || day > crate::dates::days_in_month(2000, month)
                {
                    return None;
                }
                Some(Action::Anniversary {
                    month,
                    day,
                    page: page(p)?,
                })
            }
            "r" => match rest {
                "any" => Some(Action::Random(None)),
                k => Kind::parse(k).map(|k| Action::Random(Some(k))),
            },
            _ => None,
        }
    }
}

/// What a press does. Navigation updates the message in place (type 7); a target that no longer
/// exists gets an ephemeral note instead (type 4).
pub fn answer(kb: &KnowledgeBase, action: &Action, locale: Locale, ctx: &Ctx) -> Response {
    let gone = || Response::Message(cards::notice(ui(locale, Ui::GoneEntry), locale));
    match action {
        Action::Open(id) => match kb.get(id) {
            Some(entry) => Response::Update(cards::entry_card(kb, entry, locale)),
            None => gone(),
        },
        Action::Step { id, forward } => {
            if kb.get(id).and_then(|e| e.as_event()).is_none() {
                return gone();
            }
            match kb.neighbour_event(id, *forward) {
                Some(e) => Response::Update(cards::entry_card(
                    kb,
                    kb.get(&e.id).expect("event from the base"),
                    locale,
                )),
                None => {
                    let msg = match (forward, locale) {
                        (true, Locale::En) => "This is the last event I know of.",
                        (true, Locale::Pl) => "To ostatnie wydarzenie, jakie znam.",
                        (false, Locale::En) => "This is the earliest event I know of.",
                        (false, Locale::Pl) => "To najwcześniejsze wydarzenie, jakie znam.",
                    };
                    Response::Message(cards::notice(msg, locale))
                }
            }
        }
        Action::Sources(id) => match kb.get(id) {
            Some(entry) => Response::Update(cards::sources_view(kb, entry, locale)),
            None => gone(),
        },
        Action::Timeline { from, to, page } => {
            Response::Update(cards::timeline_page(kb, *from, *to, *page, locale))
        }
        Action::DatePage { date, page } => {
            Response::Update(super::events_on_date(kb, date, *page, locale))
        }
        Action::Anniversary { month, day, page } => {
            Response::Update(cards::anniversaries(kb, *month, *day, *page, locale))
        }
        Action::Random(kind) => Response::Update(random_entry(kb, *kind, locale, ctx.seed)),
        // Discord opens a form for this press before the core sees it; elsewhere (the terminal)
        // there is no form, so say where reports are made.
        Action::Report(id) => match kb.get(id) {
            Some(_) => {
                let msg = match locale {
                    Locale::En => "Errors are reported on Discord: press this button under the card there, and a form opens.",
                    Locale::Pl => "Błędy zgłasza się na Discordzie: naciśnij ten przycisk pod kartą, a otworzy się formularz.",
                };
                Response::Message(cards::notice(msg, locale))
            }
            None => gone(),
        },
    }
}

/// A random entry's card, with a button for another one.
pub fn random_entry(
    kb: &KnowledgeBase,
    kind: Option<Kind>,
    locale: Locale,
    seed: u64,
) -> super::Reply {
    let pool: Vec<usize> = kb
        .entries()
        .iter()
        .enumerate()
        .filter(|(_, e)| match kind {
            Some(k) => e.kind() == k,
            None => e.kind() != Kind::Source,
        })
        .map(|(i, _)| i)
        .collect();
    if pool.is_empty() {
        let msg = match locale {
            Locale::En => "The knowledge base has no entries of that kind yet.",
            Locale::Pl => "Baza wiedzy nie ma jeszcze wpisów tego rodzaju.",
        };
        return cards::notice(msg, locale);
    }
    let mut state = seed;
    let pick = pool[(splitmix64(&mut state) % pool.len() as u64) as usize];
    let mut reply = cards::entry_card(kb, kb.entry(pick), locale);
    let another = super::Button::new(
        ui(locale, Ui::Another),
        Action::Random(kind).custom_id(),
        super::ButtonStyle::Success,
    );
    match reply.rows.first_mut() {
        Some(row) if row.len() < 5 => row.push(another),
        _ => reply.rows.insert(0, vec![another]),
    }
    reply
}
