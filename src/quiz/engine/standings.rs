//! Standings: a player's place, and the ranking that breaks ties.

use super::PlayerId;

/// A player's place in the standings.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Standing {
    /// 1 for the leader; tied players share a rank.
    pub rank: usize,
    pub player: PlayerId,
    pub name: String,
    pub points: u32,
    /// Questions answered right.
    pub right: u32,
    pub answered: u32,
    /// Total time of the answers that scored: the first tie-break, lower is better.
    pub time_ms: u64,
    /// Clock time of the player's first press in the quiz: the second tie-break.
    pub first_at: u64,
}

/// Sort best first and give ranks: points, then less time, then the earlier first answer; players
/// equal on all three share a rank, and so do all who scored nothing (there is no tie to break).
pub fn rank(mut standings: Vec<Standing>) -> Vec<Standing> {
    let key = |s: &Standing| {
        let first = if s.points > 0 { s.first_at } else { 0 };
        (std::cmp::Reverse(s.points), s.time_ms, first)
    };
    standings.sort_by(|a, b| key(a).cmp(&key(b)).then(a.player.cmp(&b.player)));
    for i in 0..standings.len() {
        standings[i].rank = if i > 0 && key(&standings[i]) == key(&standings[i - 1]) {
            standings[i - 1].rank
        } else {
            i + 1
        };
    }
    standings
}
