//! Quiz nights scheduled ahead: what is stored, when each step is due, and how `when:` is read.
//!
//! A scheduled night is a Discord event in the server's list; 15 minutes before its time Clio
//! reminds the channel, and at its time the quiz starts itself with the settings given. Every
//! step is claimed in the store (its state moves on) before it is carried out, so a restart never
//! repeats one; a bot that was down at the time starts the quiz up to 10 minutes late, and after
//! that says in the channel that it missed it. What is due is decided here, in one place.

use chrono::{NaiveDate, NaiveDateTime, NaiveTime};

use crate::zone::Zone;

use crate::dates::{parse_user_date, DateQuery};
use crate::i18n::Locale;
use crate::quiz::engine::QuizConfig;

/// The reminder is posted this long before the start.
pub const REMIND_BEFORE_MS: u64 = 15 * 60 * 1000;
/// A start found this late still happens; later, the channel is told it was missed.
pub const START_WITHIN_MS: u64 = 10 * 60 * 1000;
/// A scheduled night is shown in Discord's event list as lasting this long.
pub const EVENT_LENGTH_MS: u64 = 2 * 60 * 60 * 1000;

/// Where a scheduled night stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ScheduleState {
    Scheduled,
    Reminded,
    Started,
    Missed,
    Cancelled,
}

impl ScheduleState {
    pub fn as_str(self) -> &'static str {
        match self {
            ScheduleState::Scheduled => "scheduled",
            ScheduleState::Reminded => "reminded",
            ScheduleState::Started => "started",
            ScheduleState::Missed => "missed",
            ScheduleState::Cancelled => "cancelled",
        }
    }

    pub fn parse(s: &str) -> Option<ScheduleState> {
        [
            ScheduleState::Scheduled,
            ScheduleState::Reminded,
            ScheduleState::Started,
            ScheduleState::Missed,
            ScheduleState::Cancelled,
        ]
        .into_iter()
        .find(|state| state.as_str() == s)
    }

    /// Still to come (not started, missed nor cancelled).
    pub fn is_open(self) -> bool {
        matches!(self, ScheduleState::Scheduled | ScheduleState::Reminded)
    }
}

/// A night as scheduled.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ScheduledQuiz {
    pub id: u64,
    pub guild: u64,
    pub channel: u64,
    pub host: u64,
    pub starts_at: u64,
    /// The quiz's settings, as `/quiz start` would take them (the seed is drawn at the start).
    pub config: QuizConfig,
    /// The Discord event, once created.
    pub event_id: Option<u64>,
    pub state: ScheduleState,
}

/// The next step of a scheduled night at `now`, if one is due.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Due {
    Remind,
    Start,
    Missed,
}

/// What is due for a night at `now`: the reminder from 15 minutes before, the start from its time
/// up to 10 minutes late, and after that the word that it was missed.
pub fn due(quiz: &ScheduledQuiz, now: u64) -> Option<Due> {
    if !quiz.state.is_open() {
        return None;
    }
    if now >= quiz.starts_at {
        return Some(if now - quiz.starts_at <= START_WITHIN_MS {
            Due::Start
        } else {
            Due::Missed
        });
    }
    (quiz.state == ScheduleState::Scheduled && now + REMIND_BEFORE_MS >= quiz.starts_at)
        .then_some(Due::Remind)
}

/// Read `when:` in the server's time zone: a date as `/onthisday` reads it ("2026-12-11",
/// "11 December 2026", "11.12.2026") followed by a time of day (`19:30` or `19:30:15`). The
/// instant, in Unix milliseconds, or why it cannot be read.
pub fn parse_when(text: &str, zone: Zone, now: u64, locale: Locale) -> Result<u64, String> {
    let text = text.trim();
    let explain = || match locale {
        Locale::En => format!(
            "`{}` is not a date and time: write e.g. `2026-12-11 19:30` (in {}).",
            crate::text::quote_input(text),
            zone.name()
        ),
        Locale::Pl => format!(
            "`{}` to nie data z godziną: napisz np. `2026-12-11 19:30` (strefa {}).",
            crate::text::quote_input(text),
            zone.name()
        ),
    };
    let (date_part, time_part) = text.rsplit_once(char::is_whitespace).ok_or_else(explain)?;
    let time = NaiveTime::parse_from_str(time_part.trim(), "%H:%M")
        .or_else(|_| NaiveTime::parse_from_str(time_part.trim(), "%H:%M:%S"))
        .map_err(|_| explain())?;
    let date = match parse_user_date(date_part) {
        Ok(Some(DateQuery::Date(d))) if !d.is_range() => {
            let p = d.start;
            match (p.month, p.day) {
                (Some(m), Some(day)) => NaiveDate::from_ymd_opt(p.year, m.into(), day.into()),
                _ => None,
            }
        }
        _ => None,
    }
    .ok_or_else(explain)?;
    let local = NaiveDateTime::new(date, time);
    let instant = zone.earliest(local).ok_or_else(explain)?;
    let ms = instant.timestamp_millis();
    if ms <= now as i64 {
        return Err(match locale {
            Locale::En => format!(
                "{text} ({}) has passed: choose a time to come.",
                zone.name()
            ),
            Locale::Pl => format!(
                "{text} ({}) już minęło: wybierz przyszły termin.",
                zone.name()
            ),
        });
    }
    Ok(ms as u64)
}
