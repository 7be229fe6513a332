//! A quiz night: teams, themed rounds with an intermission between them, and hints.
//!
//! The engine keeps a [`NightState`] beside its rounds; this module holds the rules:
//! - Teams (`teams:` 2–6) gather in a lobby before the first question. A player belongs to one
//!   team; joining another moves them, and latecomers may join at any time until the end. Each
//!   join is kept with its time, so which team a player was in for a question is the team they
//!   were in when it was revealed: a switch or a late join never rewrites earlier questions.
//! - A team's points for a question are the mean of its members' points (a member who did not
//!   answer scored 0), rounded to the nearest point: a big team does not win by size.
//! - Rounds (`rounds:` R) of `questions:` each, one topic each; between two rounds the quiz waits
//!   in an intermission until the host goes on or `intermission:` seconds pass.
//! - A hint costs half the points of the answer given after it (an answer given before the hint
//!   keeps its points: the hint did not help it).
//!
//! `render` turns these into messages.

pub mod render;
pub mod schedule;
pub mod seasons;

use std::collections::{BTreeMap, BTreeSet};
use std::ops::Range;

use serde::{Deserialize, Serialize};

use super::engine::PlayerId;
use crate::i18n::Locale;
use crate::knowledge::question::{Answer, Question};
use crate::knowledge::{Entry, KnowledgeBase};
use crate::rng::splitmix64;

pub const MIN_TEAMS: usize = 2;
pub const MAX_TEAMS: usize = 6;
pub const MAX_ROUNDS: usize = 5;
pub const DEFAULT_LOBBY_SECONDS: u32 = 90;
pub const DEFAULT_INTERMISSION_SECONDS: u32 = 120;
/// A lobby or an intermission lasts at least this and at most [`MAX_BREAK_SECONDS`].
pub const MIN_BREAK_SECONDS: u32 = 10;
pub const MAX_BREAK_SECONDS: u32 = 900;
/// A team's name is at most this long (Discord's button labels allow 80).
pub const MAX_TEAM_NAME: usize = 40;

/// How the evening is set up; stored inside the quiz's config.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct NightConfig {
    /// Number of teams; 0 plays without teams.
    pub teams: usize,
    /// The teams' names as generated when the quiz was prepared (renames are kept in the state).
    pub team_names: Vec<String>,
    /// Number of rounds asked for; `questions` in the quiz config is per round.
    pub rounds: usize,
    /// One topic per round (fewer leaves the rest on the quiz's topic).
    pub topics: Vec<String>,
    /// The index of the first question of each round after the first, as prepared.
    pub round_starts: Vec<usize>,
    pub lobby_seconds: u32,
    pub intermission_seconds: u32,
    pub hints: bool,
}

impl Default for NightConfig {
    fn default() -> Self {
        NightConfig {
            teams: 0,
            team_names: Vec::new(),
            rounds: 1,
            topics: Vec::new(),
            round_starts: Vec::new(),
            lobby_seconds: DEFAULT_LOBBY_SECONDS,
            intermission_seconds: DEFAULT_INTERMISSION_SECONDS,
            // Quizzes stored before hints existed had none; `/quiz start` turns them on.
            hints: false,
        }
    }
}

/// A night setting out of range, worded for the host.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum NightError {
    Teams(usize),
    Rounds(usize),
    /// More topics than rounds.
    Topics {
        topics: usize,
        rounds: usize,
    },
    /// Questions per round × rounds over the quiz's maximum.
    TooMany {
        total: usize,
        max: usize,
    },
    Lobby(u32),
    Intermission(u32),
}

impl NightError {
    pub fn message(&self, locale: Locale) -> String {
        let (lo, hi) = (MIN_BREAK_SECONDS, MAX_BREAK_SECONDS);
        match (self, locale) {
            (NightError::Teams(n), Locale::En) => {
                format!("A quiz night has {MIN_TEAMS} to {MAX_TEAMS} teams, not {n}; leave `teams:` out to play alone.")
            }
            (NightError::Teams(n), Locale::Pl) => {
                format!("Wieczór quizowy ma od {MIN_TEAMS} do {MAX_TEAMS} drużyn, nie {n}; pomiń `teams:`, by grać bez drużyn.")
            }
            (NightError::Rounds(n), Locale::En) => {
                format!("A quiz has 1 to {MAX_ROUNDS} rounds, not {n}.")
            }
            (NightError::Rounds(n), Locale::Pl) => {
                format!("Quiz ma od 1 do {MAX_ROUNDS} rund, nie {n}.")
            }
            (NightError::Topics { topics, rounds }, Locale::En) => format!(
                "`topics:` names {topics} topics for {rounds} rounds: give one per round, separated by `;`."
            ),
            (NightError::Topics { topics, rounds }, Locale::Pl) => format!(
                "`topics:` podaje {topics} tematów na {rounds} rund: podaj jeden na rundę, rozdzielone `;`."
            ),
            (NightError::TooMany { total, max }, Locale::En) => format!(
                "That is {total} questions in all; a quiz has at most {max}: ask fewer `questions:` per round or fewer `rounds:`."
            ),
            (NightError::TooMany { total, max }, Locale::Pl) => format!(
                "To razem {total} pytań; quiz ma najwyżej {max}: zmniejsz `questions:` na rundę albo liczbę `rounds:`."
            ),
            (NightError::Lobby(s), Locale::En) => {
                format!("The lobby lasts {lo} to {hi} seconds, not {s}.")
            }
            (NightError::Lobby(s), Locale::Pl) => {
                format!("Poczekalnia trwa od {lo} do {hi} sekund, nie {s}.")
            }
            (NightError::Intermission(s), Locale::En) => {
                format!("An intermission lasts {lo} to {hi} seconds, not {s}.")
            }
            (NightError::Intermission(s), Locale::Pl) => {
                format!("Przerwa trwa od {lo} do {hi} sekund, nie {s}.")
            }
        }
    }
}

impl NightConfig {
    pub fn validate(&self, per_round: usize, max_questions: usize) -> Result<(), NightError> {
        if self.teams != 0 && !(MIN_TEAMS..=MAX_TEAMS).contains(&self.teams) {
            return Err(NightError::Teams(self.teams));
        }
        if !(1..=MAX_ROUNDS).contains(&self.rounds) {
            return Err(NightError::Rounds(self.rounds));
        }
        if self.topics.len() > self.rounds {
            return Err(NightError::Topics {
                topics: self.topics.len(),
                rounds: self.rounds,
            });
        }
        let total = per_round.saturating_mul(self.rounds);
        if total > max_questions {
            return Err(NightError::TooMany {
                total,
                max: max_questions,
            });
        }
        let breaks = MIN_BREAK_SECONDS..=MAX_BREAK_SECONDS;
        if !breaks.contains(&self.lobby_seconds) {
            return Err(NightError::Lobby(self.lobby_seconds));
        }
        if !breaks.contains(&self.intermission_seconds) {
            return Err(NightError::Intermission(self.intermission_seconds));
        }
        Ok(())
    }

    pub fn has_teams(&self) -> bool {
        self.teams > 0
    }

    /// The topic of round `round` (0-based), if it has its own.
    pub fn topic_of(&self, round: usize) -> Option<&str> {
        self.topics
            .get(round)
            .map(String::as_str)
            .filter(|t| !t.trim().is_empty())
    }

    pub(crate) fn lobby_ms(&self) -> u64 {
        u64::from(self.lobby_seconds) * 1000
    }

    pub(crate) fn intermission_ms(&self) -> u64 {
        u64::from(self.intermission_seconds) * 1000
    }

    /// How many rounds the prepared quiz has.
    pub fn round_count(&self) -> usize {
        self.round_starts.len() + 1
    }

    /// The round (0-based) question `index` belongs to.
    pub fn round_of(&self, index: usize) -> usize {
        self.round_starts.iter().filter(|s| **s <= index).count()
    }

    /// The questions of round `round`, for a quiz of `total` questions.
    pub fn round_range(&self, round: usize, total: usize) -> Range<usize> {
        let start = if round == 0 {
            0
        } else {
            self.round_starts.get(round - 1).copied().unwrap_or(total)
        };
        let end = self.round_starts.get(round).copied().unwrap_or(total);
        start.min(total)..end.min(total)
    }

    /// Whether a new round begins with question `index` (never the first round).
    pub fn starts_round(&self, index: usize) -> bool {
        self.round_starts.contains(&index)
    }
}

/// One press of a team's Join button: the player is in `team` from `at` on.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Join {
    pub player: PlayerId,
    pub team: usize,
    pub at: u64,
}

/// What the night has gathered while it runs; stored, so a restart rebuilds it.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct NightState {
    /// The teams' names now (generated, then as renamed).
    pub team_names: Vec<String>,
    /// Every join in order.
    pub joins: Vec<Join>,
    /// (question, player) for each hint taken.
    pub hints: BTreeSet<(usize, PlayerId)>,
    /// When the lobby began and ends, once opened.
    pub lobby: Option<(u64, u64)>,
    /// For each finished round (0-based) followed by an intermission: when it began and ends.
    pub intermissions: BTreeMap<usize, (u64, u64)>,
}

impl NightState {
    pub fn new(config: &NightConfig) -> NightState {
        NightState {
            team_names: config.team_names.clone(),
            ..NightState::default()
        }
    }

    /// The team a player was in just before `at` (their last join before then): a join at the
    /// very moment of a reveal comes after the question closed.
    pub fn team_at(&self, player: PlayerId, at: u64) -> Option<usize> {
        self.joins
            .iter()
            .rfind(|j| j.player == player && j.at < at)
            .map(|j| j.team)
    }

    /// The team a player is in now.
    pub fn team_of(&self, player: PlayerId) -> Option<usize> {
        self.joins
            .iter()
            .rev()
            .find(|j| j.player == player)
            .map(|j| j.team)
    }

    /// The players in a team just before `at`.
    pub fn members_at(&self, team: usize, at: u64) -> BTreeSet<PlayerId> {
        let players: BTreeSet<PlayerId> = self.joins.iter().map(|j| j.player).collect();
        players
            .into_iter()
            .filter(|p| self.team_at(*p, at) == Some(team))
            .collect()
    }

    /// The players in a team now.
    pub fn members(&self, team: usize) -> BTreeSet<PlayerId> {
        self.members_at(team, u64::MAX)
    }

    pub fn team_name(&self, team: usize) -> &str {
        self.team_names.get(team).map(String::as_str).unwrap_or("?")
    }

    pub fn took_hint(&self, index: usize, player: PlayerId) -> bool {
        self.hints.contains(&(index, player))
    }
}

/// A team's place in the standings.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TeamStanding {
    /// 1 for the leader; teams on equal points share a rank.
    pub rank: usize,
    pub team: usize,
    pub name: String,
    pub points: u32,
    /// Players in the team now.
    pub members: usize,
}

/// The mean of the members' points, rounded to the nearest point; 0 for a team without members.
pub fn team_points(member_points: &[u32]) -> u32 {
    if member_points.is_empty() {
        return 0;
    }
    let n = member_points.len() as u64;
    let sum: u64 = member_points.iter().map(|p| u64::from(*p)).sum();
    ((sum + n / 2) / n) as u32
}

/// Rank teams: points, then the earlier team number (a tie shares its rank).
pub fn rank_teams(mut teams: Vec<TeamStanding>) -> Vec<TeamStanding> {
    teams.sort_by(|a, b| b.points.cmp(&a.points).then(a.team.cmp(&b.team)));
    for i in 0..teams.len() {
        teams[i].rank = if i > 0 && teams[i].points == teams[i - 1].points {
            teams[i - 1].rank
        } else {
            i + 1
        };
    }
    teams
}

/// A hint, for the presser alone.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Hint {
    /// These options (0-based) are wrong.
    Removed(Vec<usize>),
    /// The year lies in the decade beginning this year.
    Decade(i32),
    /// The typed answer's first letter and its length in letters.
    Letters { first: char, length: usize },
}

/// The hint for a question: two wrong options removed (leaving at least two), a year's decade,
/// a word answer's first letter and length. The options removed follow from the quiz's seed, so
/// every player who asks sees the same two gone.
pub fn hint_for(question: &Question, index: usize, seed: u64, locale: Locale) -> Hint {
    match &question.answer {
        Answer::Choice { options, correct } => {
            let mut wrong: Vec<usize> = (0..options.len()).filter(|i| i != correct).collect();
            let remove = 2.min(options.len().saturating_sub(2));
            let mut state = seed ^ (index as u64).wrapping_mul(0x9E37_79B9);
            let mut removed = Vec::new();
            for _ in 0..remove {
                let pick = (splitmix64(&mut state) % wrong.len() as u64) as usize;
                removed.push(wrong.remove(pick));
            }
            removed.sort_unstable();
            Hint::Removed(removed)
        }
        Answer::Year { year } => Hint::Decade(year.div_euclid(10) * 10),
        Answer::Free { answer, .. } => {
            let words = answer.get(locale);
            Hint::Letters {
                first: words.chars().next().unwrap_or('?'),
                length: words.chars().filter(|c| c.is_alphanumeric()).count(),
            }
        }
    }
}

/// Team names for a night: places and units of the loaded pack, in the quiz's language, picked
/// by the seed; numbered teams when the pack has too few short names.
pub fn team_names(kb: &KnowledgeBase, teams: usize, seed: u64, locale: Locale) -> Vec<String> {
    let mut pool: Vec<String> = kb
        .entries()
        .iter()
        .filter_map(|e| match e {
            Entry::Topic(t) if t.kind == "place" || t.kind == "unit" => Some(t.name.get(locale)),
            _ => None,
        })
        .map(|name| {
            // "Kresy (eastern Poland)" → "Kresy": the words in brackets explain, they do not name.
            name.split(" (").next().unwrap_or(name).trim().to_string()
        })
        .filter(|n| !n.is_empty() && n.chars().count() <= 24)
        .collect::<BTreeSet<_>>()
        .into_iter()
        .collect();
    let mut state = seed ^ 0x7EA5;
    let mut names = Vec::new();
    while names.len() < teams {
        if pool.is_empty() {
            let n = names.len() + 1;
            names.push(match locale {
                Locale::En => format!("Team {n}"),
                Locale::Pl => format!("Drużyna {n}"),
            });
            continue;
        }
        let pick = (splitmix64(&mut state) % pool.len() as u64) as usize;
        names.push(pool.remove(pick));
    }
    names
}

/// A team name as typed by the host: control characters removed, cut to [`MAX_TEAM_NAME`];
/// `None` when nothing is left.
pub fn clean_team_name(name: &str) -> Option<String> {
    let name = crate::text::clean_input(name);
    let name: String = name.trim().chars().take(MAX_TEAM_NAME).collect();
    let name = name.trim().to_string();
    (!name.is_empty()).then_some(name)
}

/// Split a `topics:` option: `;`-separated, blanks kept as "the quiz's topic".
pub fn split_topics(topics: &str) -> Vec<String> {
    let parts: Vec<String> = topics.split(';').map(|t| t.trim().to_string()).collect();
    if parts.iter().all(String::is_empty) {
        Vec::new()
    } else {
        parts
    }
}

/// Suggestions for `topics:` as typed: the topic after the last `;` is completed like `topic:`,
/// the ones before it kept as they are. Each suggestion is the whole list (Discord replaces the
/// option's text with it), so one that would exceed 100 characters is left out.
pub fn suggest_topic_list(
    kb: &KnowledgeBase,
    partial: &str,
    locale: Locale,
) -> Vec<(String, String)> {
    let (head, last) = match partial.rsplit_once(';') {
        Some((head, last)) => (format!("{}; ", head.trim_end()), last.trim()),
        None => (String::new(), partial.trim()),
    };
    crate::quiz::topic::suggest_topics(kb, last, locale)
        .into_iter()
        .map(|(name, value)| (format!("{head}{name}"), format!("{head}{value}")))
        .filter(|(name, value)| name.chars().count() <= 100 && value.chars().count() <= 100)
        .collect()
}
