//! Seasons: a server's leaderboard starts afresh when an admin begins a new season, and nothing
//! is deleted: `/leaderboard` shows the current season by default, and any past season by name,
//! the week, the month or all time on request.

use super::schedule::{ScheduleState, ScheduledQuiz};
use crate::i18n::Locale;
use crate::quiz::persist::{LeaderRow, StoreError};

/// One season of a server.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Season {
    /// 1 for the first season.
    pub number: u32,
    pub name: String,
    pub started_at: u64,
}

/// What a backend keeps for quiz nights beyond the quizzes: the servers' seasons and the nights
/// scheduled ahead. Calls block.
pub trait NightStore: Send + Sync {
    /// Begin season `number` (one after the last) under `name`; fails with
    /// [`StoreError::Database`] when the server already has a season of that name.
    fn start_season(&self, guild: u64, name: &str, at: u64) -> Result<Season, StoreError>;
    /// The server's seasons, oldest first.
    fn seasons(&self, guild: u64) -> Result<Vec<Season>, StoreError>;
    /// Record a night scheduled ahead; its id.
    fn schedule_quiz(&self, quiz: &ScheduledQuiz, at: u64) -> Result<u64, StoreError>;
    /// The nights still to come (of one server, or of all), soonest first.
    fn scheduled_quizzes(&self, guild: Option<u64>) -> Result<Vec<ScheduledQuiz>, StoreError>;
    /// Move a night from state `from` to `to`; false when it was not in `from` (another step, or
    /// a cancel, came first): the claim that makes each step happen once.
    fn move_schedule(
        &self,
        id: u64,
        from: &[ScheduleState],
        to: ScheduleState,
    ) -> Result<bool, StoreError>;
    /// The Discord event of a scheduled night.
    fn set_schedule_event(&self, id: u64, event: u64) -> Result<(), StoreError>;
    /// The server's standings over answers given in `[since, until)`, best first.
    fn leaderboard_between(
        &self,
        guild: u64,
        since: Option<u64>,
        until: Option<u64>,
        limit: usize,
    ) -> Result<Vec<LeaderRow>, StoreError>;
}

/// The stretch of time a leaderboard counts, and how its title names it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Span {
    pub since: Option<u64>,
    pub until: Option<u64>,
    pub label: String,
}

const DAY: u64 = 86_400_000;
pub const MAX_SEASON_NAME: usize = 40;

/// The name of season `number` when the admin gives none.
pub fn default_season_name(number: u32, locale: Locale) -> String {
    match locale {
        Locale::En => format!("Season {number}"),
        Locale::Pl => format!("Sezon {number}"),
    }
}

fn season_label(season: &Season, locale: Locale) -> String {
    match locale {
        Locale::En => format!("season “{}”", season.name),
        Locale::Pl => format!("sezon „{}”", season.name),
    }
}

/// Read `/leaderboard period:` against the server's seasons: nothing or `season` is the current
/// season (all time before the first), `week`, `month`, `all`, or a season by its name.
pub fn span(
    period: Option<&str>,
    seasons: &[Season],
    now: u64,
    locale: Locale,
) -> Result<Span, String> {
    let all = || Span {
        since: None,
        until: None,
        label: crate::quiz::i18n::q(locale, crate::quiz::i18n::Q::AllTime).to_string(),
    };
    let typed = period.map(str::trim).unwrap_or("");
    let key = typed.to_lowercase();
    let key = key
        .trim_start_matches("this ")
        .trim_start_matches("ostatni ")
        .trim();
    let current = |seasons: &[Season]| match seasons.last() {
        Some(s) => Span {
            since: Some(s.started_at),
            until: None,
            label: season_label(s, locale),
        },
        None => all(),
    };
    match key {
        "" | "season" | "sezon" => return Ok(current(seasons)),
        "week" | "tydzień" | "tydzien" => {
            return Ok(Span {
                since: Some(now.saturating_sub(7 * DAY)),
                until: None,
                label: crate::quiz::i18n::q(locale, crate::quiz::i18n::Q::Week).to_string(),
            })
        }
        "month" | "miesiąc" | "miesiac" => {
            return Ok(Span {
                since: Some(now.saturating_sub(30 * DAY)),
                until: None,
                label: crate::quiz::i18n::q(locale, crate::quiz::i18n::Q::Month).to_string(),
            })
        }
        "all" | "all time" | "wszystko" | "od początku" => return Ok(all()),
        _ => {}
    }
    if let Some(i) = seasons
        .iter()
        .position(|s| s.name.to_lowercase() == typed.to_lowercase())
    {
        return Ok(Span {
            since: Some(seasons[i].started_at),
            until: seasons.get(i + 1).map(|next| next.started_at),
            label: season_label(&seasons[i], locale),
        });
    }
    let names: Vec<String> = seasons.iter().map(|s| format!("`{}`", s.name)).collect();
    let quoted = crate::text::quote_input(typed);
    Err(match (locale, names.is_empty()) {
        (Locale::En, true) => {
            format!("`{quoted}` is not a period: choose `week`, `month`, `season`, `all` or `streaks`.")
        }
        (Locale::En, false) => format!(
            "`{quoted}` is not a period: choose `week`, `month`, `season`, `all`, `streaks`, or a season: {}.",
            names.join(", ")
        ),
        (Locale::Pl, true) => {
            format!("`{quoted}` to nie okres: wybierz `week`, `month`, `season`, `all` albo `streaks`.")
        }
        (Locale::Pl, false) => format!(
            "`{quoted}` to nie okres: wybierz `week`, `month`, `season`, `all`, `streaks` albo sezon: {}.",
            names.join(", ")
        ),
    })
}

/// Suggestions for `period:`: the fixed periods, then the seasons, newest first.
pub fn period_suggestions(seasons: &[Season], partial: &str) -> Vec<(String, String)> {
    let wanted = partial.trim().to_lowercase();
    ["season", "week", "month", "all", "streaks"]
        .into_iter()
        .map(str::to_string)
        .chain(seasons.iter().rev().map(|s| s.name.clone()))
        .filter(|p| wanted.is_empty() || p.to_lowercase().contains(&wanted))
        .take(25)
        .map(|p| (p.clone(), p))
        .collect()
}
