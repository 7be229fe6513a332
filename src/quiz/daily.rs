//! The daily question: one quiz question a day in a server's chosen channel at its local time,
//! open for answers until the next one, which is preceded by the previous one's reveal (how many
//! answered, who was right, the explanation and the source). Exactly one a day: the question is
//! claimed in the store (one row per server and local day, written before it is posted), and the
//! reveal is claimed the same way, so neither a restart nor a crash posts either twice.
//!
//! A player's streak is the number of consecutive daily questions (as they were asked, so a day
//! the bot was down breaks nobody's streak) they answered correctly; a question not answered, or
//! answered wrongly, ends it. Only revealed questions count: the open one is still a secret.

use std::collections::{BTreeMap, HashSet};

use chrono::{DateTime, Datelike, NaiveDate, Utc};
use tracing::warn;

use super::persist::StoreError;
use super::questions::{generate, Request};
use super::{Answer, Question, Scope};
use crate::daily::DailySchedule;
use crate::knowledge::KnowledgeBase;

/// Where and when a server's daily question goes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DailyQuestionSetting {
    pub channel: u64,
    /// `HH:MM`, local.
    pub time: String,
    /// The IANA zone the time is in (the server's, as its daily post has it, else UTC).
    pub zone: String,
}

impl DailyQuestionSetting {
    pub fn schedule(&self) -> Result<DailySchedule, String> {
        DailySchedule::parse(&self.time, &self.zone)
    }
}

/// A daily question as claimed.
#[derive(Debug, Clone, PartialEq)]
pub struct PostedQuestion {
    pub guild: u64,
    /// The server's local day it is for.
    pub date: NaiveDate,
    pub channel: u64,
    pub question: Question,
    pub revealed: bool,
}

/// One player's answer to a daily question (the last one they gave before the reveal).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DailyAnswer {
    pub player: u64,
    pub name: String,
    pub option: usize,
    pub correct: bool,
    pub at: u64,
}

/// What became of an answer.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AnswerTaken {
    /// Stored; `replaced` when it took the place of the player's earlier answer.
    Stored { replaced: bool },
    /// The question was revealed already (or there is none for that day).
    Closed,
}

/// What a backend keeps for the daily question. Calls block.
pub trait DailyQuestionStore: Send + Sync {
    /// Set (or, with `None`, turn off) the server's daily question.
    fn set_daily_question(
        &self,
        guild: u64,
        setting: Option<&DailyQuestionSetting>,
        at: u64,
    ) -> Result<(), StoreError>;
    fn daily_question_setting(
        &self,
        guild: u64,
    ) -> Result<Option<DailyQuestionSetting>, StoreError>;
    /// Every server with a daily question set.
    fn daily_question_guilds(&self) -> Result<Vec<(u64, DailyQuestionSetting)>, StoreError>;
    /// The server's latest claimed question.
    fn latest_daily_question(&self, guild: u64) -> Result<Option<PostedQuestion>, StoreError>;
    fn daily_question(
        &self,
        guild: u64,
        date: NaiveDate,
    ) -> Result<Option<PostedQuestion>, StoreError>;
    /// Claim the day's question; false when the day was claimed already (it is not posted then).
    fn claim_daily_question(
        &self,
        guild: u64,
        date: NaiveDate,
        channel: u64,
        question: &Question,
        at: u64,
    ) -> Result<bool, StoreError>;
    /// Claim a question's reveal, which also closes it to answers; false when done already.
    fn claim_daily_reveal(&self, guild: u64, date: NaiveDate, at: u64) -> Result<bool, StoreError>;
    /// Store a player's answer (replacing theirs) unless the question is revealed.
    fn answer_daily_question(
        &self,
        guild: u64,
        date: NaiveDate,
        answer: &DailyAnswer,
    ) -> Result<AnswerTaken, StoreError>;
    /// The answers to one question, earliest first.
    fn daily_answers(&self, guild: u64, date: NaiveDate) -> Result<Vec<DailyAnswer>, StoreError>;
    /// The keys of the server's latest `limit` daily questions.
    fn recent_daily_keys(&self, guild: u64, limit: usize) -> Result<Vec<String>, StoreError>;
    /// Every revealed question's day with its answers, oldest first.
    fn daily_history(&self, guild: u64) -> Result<Vec<(NaiveDate, Vec<DailyAnswer>)>, StoreError>;
}

/// Something the daily task must post now, already claimed.
#[derive(Debug, Clone, PartialEq)]
pub enum DailyStep {
    /// The previous question's result.
    Reveal {
        posted: PostedQuestion,
        answers: Vec<DailyAnswer>,
    },
    /// The day's new question.
    Ask(PostedQuestion),
}

/// How many past daily questions a new one avoids repeating.
pub const RECENT: usize = 60;

/// Buttons fit at most this many options.
const MAX_OPTIONS: usize = 5;

/// The day's question for a server: a choice question (answered by buttons) drawn from the whole
/// base, steadily the same for the same server and day, avoiding recent ones while others remain.
pub fn pick_question(
    kb: &KnowledgeBase,
    guild: u64,
    date: NaiveDate,
    recent: &HashSet<String>,
) -> Option<Question> {
    let seed = guild ^ (date.num_days_from_ce() as u64).wrapping_mul(0x9E37_79B9_7F4A_7C15);
    let scope = Scope::all();
    let candidates = generate(
        kb,
        &Request {
            count: 40,
            seed,
            scope: &scope,
            avoid: recent,
        },
    );
    let choice = |q: &&Question| matches!(&q.answer, Answer::Choice { options, .. } if (2..=MAX_OPTIONS).contains(&options.len()));
    let fresh = candidates
        .iter()
        .filter(choice)
        .find(|q| !recent.contains(&q.key));
    fresh.or_else(|| candidates.iter().find(choice)).cloned()
}

/// One pass of the daily-question task at `now`: for each server whose question for today is due,
/// claim the reveal of the previous one (if still open) and the new one, and return what to post,
/// the reveal first.
pub fn claim_due(
    store: &dyn DailyQuestionStore,
    kb: &KnowledgeBase,
    now: DateTime<Utc>,
) -> Result<Vec<DailyStep>, StoreError> {
    let mut steps = Vec::new();
    let at = now.timestamp_millis().max(0) as u64;
    for (guild, setting) in store.daily_question_guilds()? {
        let schedule = match setting.schedule() {
            Ok(s) => s,
            Err(e) => {
                warn!(guild, "daily question setting unreadable: {e}");
                continue;
            }
        };
        let latest = store.latest_daily_question(guild)?;
        let Some(date) = schedule.due(now, latest.as_ref().map(|p| p.date)) else {
            continue;
        };
        if let Some(previous) = latest.filter(|p| !p.revealed) {
            if store.claim_daily_reveal(guild, previous.date, at)? {
                let answers = store.daily_answers(guild, previous.date)?;
                steps.push(DailyStep::Reveal {
                    posted: PostedQuestion {
                        revealed: true,
                        ..previous
                    },
                    answers,
                });
            }
        }
        let recent: HashSet<String> = store
            .recent_daily_keys(guild, RECENT)?
            .into_iter()
            .collect();
        let Some(question) = pick_question(kb, guild, date, &recent) else {
            warn!(
                guild,
                "no choice question in the knowledge base for the daily question"
            );
            continue;
        };
        if store.claim_daily_question(guild, date, setting.channel, &question, at)? {
            steps.push(DailyStep::Ask(PostedQuestion {
                guild,
                date,
                channel: setting.channel,
                question,
                revealed: false,
            }));
        }
    }
    Ok(steps)
}

/// A player presses option `option` of the server's question of `date`: judged and stored (in
/// place of their earlier answer) unless the question is revealed. `None` when there is no such
/// question or option (an old or forged button); else what was stored and the option's words.
pub fn answer(
    store: &dyn DailyQuestionStore,
    guild: u64,
    date: NaiveDate,
    option: usize,
    player: u64,
    name: String,
    at: u64,
) -> Result<Option<(AnswerTaken, crate::knowledge::Text)>, StoreError> {
    let Some(posted) = store.daily_question(guild, date)? else {
        return Ok(None);
    };
    let Answer::Choice { options, correct } = &posted.question.answer else {
        return Ok(None);
    };
    let Some(chosen) = options.get(option) else {
        return Ok(None);
    };
    let given = DailyAnswer {
        player,
        name,
        option,
        correct: option == *correct,
        at,
    };
    let taken = store.answer_daily_question(guild, date, &given)?;
    Ok(Some((taken, chosen.text.clone())))
}

/// When the task should look again: the soonest next question among the servers.
pub fn next_wake(
    store: &dyn DailyQuestionStore,
    now: DateTime<Utc>,
) -> Result<Option<DateTime<Utc>>, StoreError> {
    let mut soonest: Option<DateTime<Utc>> = None;
    for (guild, setting) in store.daily_question_guilds()? {
        let Ok(schedule) = setting.schedule() else {
            continue;
        };
        let last = store.latest_daily_question(guild)?.map(|p| p.date);
        let t = schedule.next_wake(now, last);
        soonest = Some(soonest.map_or(t, |s| s.min(t)));
    }
    Ok(soonest)
}

/// A player's run of correct daily answers.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Streak {
    pub player: u64,
    pub name: String,
    /// Up to and including the latest revealed question.
    pub current: u32,
    pub best: u32,
}

/// Streaks over the revealed questions (oldest first), best current first, then best ever.
pub fn streaks(history: &[(NaiveDate, Vec<DailyAnswer>)]) -> Vec<Streak> {
    let mut by_player: BTreeMap<u64, Streak> = BTreeMap::new();
    for (_, answers) in history {
        let right: HashSet<u64> = answers
            .iter()
            .filter(|a| a.correct)
            .map(|a| a.player)
            .collect();
        for a in answers {
            by_player.entry(a.player).or_insert_with(|| Streak {
                player: a.player,
                name: a.name.clone(),
                current: 0,
                best: 0,
            });
            if let Some(s) = by_player.get_mut(&a.player) {
                s.name = a.name.clone();
            }
        }
        for s in by_player.values_mut() {
            if right.contains(&s.player) {
                s.current += 1;
                s.best = s.best.max(s.current);
            } else {
                s.current = 0;
            }
        }
    }
    let mut out: Vec<Streak> = by_player.into_values().filter(|s| s.best > 0).collect();
    out.sort_by(|a, b| {
        (b.current, b.best)
            .cmp(&(a.current, a.best))
            .then_with(|| a.name.cmp(&b.name))
    });
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn answer(player: u64, correct: bool) -> DailyAnswer {
        DailyAnswer {
            player,
            name: format!("p{player}"),
            option: 0,
            correct,
            at: 0,
        }
    }

    fn day(d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, 12, d).unwrap()
    }

    #[test]
    fn a_streak_counts_consecutive_right_answers_and_a_missed_day_ends_it() {
        let history = vec![
            (day(1), vec![answer(1, true), answer(2, true)]),
            (day(2), vec![answer(1, true), answer(2, false)]),
            (day(3), vec![answer(1, true)]),
            (day(4), vec![answer(2, true)]),
        ];
        let s = streaks(&history);
        let one = s.iter().find(|s| s.player == 1).unwrap();
        let two = s.iter().find(|s| s.player == 2).unwrap();
        assert_eq!((one.current, one.best), (0, 3));
        assert_eq!((two.current, two.best), (1, 1));
        assert_eq!(s[0].player, 2, "the current streak ranks first");
    }
}
