//! The session's quiz-night steps: the lobby, joining and naming teams, intermissions between
//! rounds, hints, and the team standings. The rules are in `quiz::night`.

use std::collections::BTreeMap;
use std::ops::Range;

use super::{clean_name, rank, EndReason, Phase, PlayerId, QuizEvent, QuizSession, Standing};
use crate::quiz::judge::Verdict;
use crate::quiz::night::{self, Hint, Join, NightState, TeamStanding};

/// What became of a press of a team's Join button.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum JoinAck {
    /// In `team` now; `from` is the team they left, if any. Store the join.
    Joined { team: usize, from: Option<usize> },
    /// Already in that team: nothing to store.
    Already { team: usize },
}

/// Why a night command was refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum NightRefusal {
    /// The quiz has no teams.
    NoTeams,
    /// No such team number.
    NoSuchTeam,
    /// The quiz is over.
    Finished,
    /// The quiz was started with `hints:off`.
    HintsOff,
    /// The question is not open (revealed, not yet asked, or paused).
    Closed,
    /// An empty name.
    EmptyName,
}

/// A hint given: what it says, and whether it is new (and so to be stored).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HintAck {
    pub index: usize,
    pub hint: Hint,
    pub new: bool,
}

impl QuizSession {
    pub fn night(&self) -> &NightState {
        &self.night
    }

    /// Put back what a night had gathered before a restart, and the break it was in.
    pub fn with_night(mut self, state: NightState) -> QuizSession {
        self.night = state;
        if self.config.night.team_names.len() > self.night.team_names.len() {
            let known = self.night.team_names.len();
            let rest = self.config.night.team_names[known..].to_vec();
            self.night.team_names.extend(rest);
        }
        self.phase = match self.phase {
            Phase::Ready => match self.night.lobby {
                Some((_, until)) => Phase::Lobby { until },
                None => Phase::Ready,
            },
            Phase::Revealed { index, next_at } => {
                let round = self.config.night.round_of(index);
                match self.night.intermissions.get(&round) {
                    Some((_, ends)) if self.config.night.starts_round(index + 1) => {
                        Phase::Intermission {
                            round,
                            next_at: *ends,
                        }
                    }
                    _ => Phase::Revealed { index, next_at },
                }
            }
            phase => phase,
        };
        self
    }

    /// Whether this quiz plays in teams.
    pub fn has_teams(&self) -> bool {
        self.config.night.has_teams()
    }

    pub(super) fn open_lobby(&mut self, now: u64) -> Vec<QuizEvent> {
        let until = now + self.config.night.lobby_ms();
        self.night.lobby = Some((now, until));
        self.phase = Phase::Lobby { until };
        vec![QuizEvent::LobbyOpened]
    }

    /// After the last question of round `index`'s round: the intermission.
    pub(super) fn open_intermission(&mut self, index: usize, now: u64) -> Vec<QuizEvent> {
        let round = self.config.night.round_of(index);
        let next_at = now + self.config.night.intermission_ms();
        self.night.intermissions.insert(round, (now, next_at));
        self.phase = Phase::Intermission { round, next_at };
        vec![QuizEvent::IntermissionBegan { round }]
    }

    pub(super) fn end_intermission(&mut self, round: usize, now: u64) -> Vec<QuizEvent> {
        let range = self
            .config
            .night
            .round_range(round + 1, self.questions.len());
        if range.is_empty() {
            return self.finish(EndReason::Completed, now);
        }
        self.open(range.start, now)
    }

    /// A player presses a team's Join button: in the lobby, or as a latecomer during the quiz.
    pub fn join(
        &mut self,
        player: PlayerId,
        name: &str,
        team: usize,
        now: u64,
    ) -> Result<JoinAck, NightRefusal> {
        if !self.has_teams() {
            return Err(NightRefusal::NoTeams);
        }
        if team >= self.config.night.teams {
            return Err(NightRefusal::NoSuchTeam);
        }
        if self.is_finished() {
            return Err(NightRefusal::Finished);
        }
        let from = self.night.team_of(player);
        if from == Some(team) {
            return Ok(JoinAck::Already { team });
        }
        self.names.insert(player, clean_name(name, player));
        self.night.joins.push(Join {
            player,
            team,
            at: now,
        });
        Ok(JoinAck::Joined { team, from })
    }

    /// The host renames a team: the name as it will be shown.
    pub fn rename_team(&mut self, team: usize, name: &str) -> Result<String, NightRefusal> {
        if !self.has_teams() {
            return Err(NightRefusal::NoTeams);
        }
        if team >= self.config.night.teams {
            return Err(NightRefusal::NoSuchTeam);
        }
        if self.is_finished() {
            return Err(NightRefusal::Finished);
        }
        let name = night::clean_team_name(name).ok_or(NightRefusal::EmptyName)?;
        while self.night.team_names.len() <= team {
            self.night.team_names.push(String::new());
        }
        self.night.team_names[team] = name.clone();
        Ok(name)
    }

    /// A player asks for a hint on the open question: it halves the points of their answers
    /// given after it. A second press shows the same hint again at no further cost.
    pub fn take_hint(
        &mut self,
        player: PlayerId,
        name: &str,
        index: usize,
    ) -> Result<HintAck, NightRefusal> {
        if !self.config.night.hints {
            return Err(NightRefusal::HintsOff);
        }
        if self.is_finished() {
            return Err(NightRefusal::Finished);
        }
        if self.open_question() != Some(index) || self.is_paused() {
            return Err(NightRefusal::Closed);
        }
        let question = &self.questions[index];
        let hint = night::hint_for(question, index, self.config.seed, self.config.locale);
        let new = self.night.hints.insert((index, player));
        if new {
            self.names.insert(player, clean_name(name, player));
        }
        Ok(HintAck { index, hint, new })
    }

    /// The team standings over revealed questions, best first: for each question, each team
    /// scores the mean of the points of those in it when the question was revealed.
    pub fn team_standings(&self) -> Vec<TeamStanding> {
        self.team_standings_over(0..self.questions.len())
    }

    /// The team standings over the revealed questions in `range` (a round).
    pub fn team_standings_over(&self, range: Range<usize>) -> Vec<TeamStanding> {
        let teams = self.config.night.teams;
        let mut points = vec![0u32; teams];
        for round in &self.rounds {
            let Some(revealed) = round.revealed_at else {
                continue;
            };
            if !range.contains(&round.index) {
                continue;
            }
            for (team, total) in points.iter_mut().enumerate() {
                let members: Vec<u32> = self
                    .night
                    .members_at(team, revealed)
                    .iter()
                    .map(|p| round.answers.get(p).map_or(0, |a| a.points))
                    .collect();
                *total += night::team_points(&members);
            }
        }
        let standings = points
            .into_iter()
            .enumerate()
            .map(|(team, points)| TeamStanding {
                rank: 0,
                team,
                name: self.night.team_name(team).to_string(),
                points,
                members: self.night.members(team).len(),
            })
            .collect();
        night::rank_teams(standings)
    }

    /// The players' standings over the revealed questions in `range` (a round's best players).
    pub fn standings_over(&self, range: Range<usize>) -> Vec<Standing> {
        let mut by_player: BTreeMap<PlayerId, Standing> = BTreeMap::new();
        for round in self
            .rounds
            .iter()
            .filter(|r| r.revealed_at.is_some() && range.contains(&r.index))
        {
            for (player, a) in &round.answers {
                let s = by_player.entry(*player).or_insert_with(|| Standing {
                    rank: 0,
                    player: *player,
                    name: self.names.get(player).cloned().unwrap_or_default(),
                    points: 0,
                    right: 0,
                    answered: 0,
                    time_ms: 0,
                    first_at: a.first_at,
                });
                s.points += a.points;
                s.answered += 1;
                s.first_at = s.first_at.min(a.first_at);
                if a.verdict == Verdict::Right {
                    s.right += 1;
                }
                if a.points > 0 {
                    s.time_ms += a.elapsed_ms;
                }
            }
        }
        rank(by_player.into_values().collect())
    }
}
