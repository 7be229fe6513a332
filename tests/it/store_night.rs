//! The quiz-night store on both backends: a night's team joins, team names, hints and breaks
//! read back through `load_quiz` (and `unfinished_quizzes`, which a restart reads) as they were
//! written; seasons numbered per server with each name taken once; the leaderboard between two
//! times; nights scheduled ahead, each step claimed once; and `clio migrate` carrying a night,
//! the seasons and the schedule from SQLite into PostgreSQL.

use std::collections::{BTreeMap, BTreeSet};

use clio::knowledge::Text;
use clio::quiz::night::schedule::{ScheduleState, ScheduledQuiz};
use clio::quiz::night::Join;
use clio::quiz::persist::{BreakKind, NightWrite};
use clio::quiz::{
    Answer, AnswerOption, AnswerRecord, EndReason, Given, Meaning, Mode, NightConfig, NightState,
    Question, QuestionKind, QuizConfig, Verdict,
};
use clio::store::{
    Backend, NewQuiz, NightStore, QuizId, QuizStore, SqliteStore, StoreError, Write,
};

use super::support::{pg_database, scratch_dir, Open};

crate::on_both_backends!(
    a_team_night_reads_back_with_its_joins_names_hints_and_breaks,
    seasons_are_numbered_per_server_and_each_name_is_taken_once,
    seasons_started_at_once_each_get_a_number_of_their_own,
    the_leaderboard_between_two_times_counts_the_answers_given_then,
    scheduled_nights_read_back_soonest_first_and_each_step_is_claimed_once,
    nights_scheduled_at_once_each_get_an_id_and_a_step_is_claimed_by_one,
    the_daily_question_is_claimed_once_answered_until_its_reveal_and_kept,
);

const T0: u64 = 1_700_000_000_000;
const DAY: u64 = 86_400_000;

fn choice(key: &str) -> Question {
    Question {
        key: key.into(),
        kind: QuestionKind::HandChoice,
        prompt: Text::en(format!("{key}?")),
        answer: Answer::Choice {
            options: (0..4)
                .map(|i| AnswerOption {
                    text: Text::en(format!("Option {i}")),
                    meaning: Meaning::Words,
                })
                .collect(),
            correct: 1,
        },
        explanation: Text::en("Because."),
        source: None,
        entry: None,
    }
}

fn night_quiz(guild: u64, channel: u64, at: u64) -> NewQuiz {
    NewQuiz {
        guild,
        channel,
        host: 99,
        config: QuizConfig {
            questions: 2,
            seconds: 20,
            mode: Mode::Host,
            seed: 7,
            night: NightConfig {
                teams: 3,
                team_names: vec!["Modlin".into(), "Hel".into(), "Kock".into()],
                rounds: 2,
                round_starts: vec![2],
                hints: true,
                ..NightConfig::default()
            },
            ..QuizConfig::default()
        },
        questions: (0..4).map(|i| choice(&format!("n{i}"))).collect(),
        started_at: at,
    }
}

fn opened(index: usize, at: u64) -> Write {
    Write::QuestionOpened {
        index,
        key: format!("n{index}"),
        kind: "hand-choice".into(),
        opened_at: at,
        deadline: at + 20_000,
    }
}

fn answer(index: usize, player: u64, name: &str, option: usize, at: u64, changed: bool) -> Write {
    let right = option == 1;
    Write::Answer(AnswerRecord {
        index,
        player,
        name: name.into(),
        given: Given::Choice(option),
        elapsed_ms: 1_000,
        at,
        changed,
        verdict: if right {
            Verdict::Right
        } else {
            Verdict::Wrong
        },
        points: if right { 900 } else { 0 },
    })
}

fn joined(player: u64, name: &str, team: usize, at: u64) -> Write {
    Write::Night(NightWrite::Joined {
        player,
        name: name.into(),
        team,
        at,
    })
}

fn a_team_night_reads_back_with_its_joins_names_hints_and_breaks(open: Open) {
    let id = {
        let store = open();
        let id = store.create_quiz(&night_quiz(1, 10, T0)).unwrap();
        // The lobby, joins (Ania moves from Modlin to Kock; Celina joins and never answers), a
        // rename written twice (the second wins), and the lobby's end moved by a pause.
        let lobby = |ends_at| {
            Write::Night(NightWrite::Break {
                kind: BreakKind::Lobby,
                round: 0,
                began_at: T0,
                ends_at,
            })
        };
        store.apply(id, &[lobby(T0 + 90_000)]).unwrap();
        store
            .apply(
                id,
                &[
                    joined(1, "Ania", 0, T0 + 1_000),
                    joined(2, "Bartek", 1, T0 + 2_000),
                    joined(3, "Celina", 2, T0 + 3_000),
                    joined(1, "Ania", 2, T0 + 4_000),
                ],
            )
            .unwrap();
        for name in ["Obrońcy Helu", "Westerplatte"] {
            store
                .apply(
                    id,
                    &[Write::Night(NightWrite::TeamNamed {
                        team: 1,
                        name: name.into(),
                    })],
                )
                .unwrap();
        }
        store.apply(id, &[lobby(T0 + 120_000)]).unwrap();
        // Round 1: two questions, a hint taken (pressed twice: one hint), answers.
        store.apply(id, &[opened(0, T0 + 120_000)]).unwrap();
        for _ in 0..2 {
            store
                .apply(
                    id,
                    &[Write::Night(NightWrite::Hint {
                        index: 0,
                        player: 2,
                        at: T0 + 121_000,
                    })],
                )
                .unwrap();
        }
        store
            .apply(
                id,
                &[
                    answer(0, 1, "Ania K.", 1, T0 + 122_000, false),
                    answer(0, 2, "Bartek", 0, T0 + 123_000, false),
                    answer(0, 2, "Bartek", 1, T0 + 124_000, true),
                    Write::Revealed {
                        index: 0,
                        at: T0 + 140_000,
                    },
                    opened(1, T0 + 141_000),
                    answer(1, 1, "Ania K.", 2, T0 + 142_000, false),
                    Write::Revealed {
                        index: 1,
                        at: T0 + 161_000,
                    },
                ],
            )
            .unwrap();
        // The intermission after round 1 (index 0); a latecomer joins during it.
        store
            .apply(
                id,
                &[
                    Write::Night(NightWrite::Break {
                        kind: BreakKind::Intermission,
                        round: 0,
                        began_at: T0 + 161_000,
                        ends_at: T0 + 281_000,
                    }),
                    joined(4, "Darek", 0, T0 + 170_000),
                ],
            )
            .unwrap();
        id
    };

    // As a restart reads it: a new store on the same data.
    let store = open();
    let expected = NightState {
        team_names: vec!["Modlin".into(), "Westerplatte".into(), "Kock".into()],
        joins: vec![
            Join {
                player: 1,
                team: 0,
                at: T0 + 1_000,
            },
            Join {
                player: 2,
                team: 1,
                at: T0 + 2_000,
            },
            Join {
                player: 3,
                team: 2,
                at: T0 + 3_000,
            },
            Join {
                player: 1,
                team: 2,
                at: T0 + 4_000,
            },
            Join {
                player: 4,
                team: 0,
                at: T0 + 170_000,
            },
        ],
        hints: BTreeSet::from([(0, 2)]),
        lobby: Some((T0, T0 + 120_000)),
        intermissions: BTreeMap::from([(0, (T0 + 161_000, T0 + 281_000))]),
    };
    let stored = store.load_quiz(id).unwrap().expect("the night is stored");
    assert_eq!(stored.night, expected);
    // The name a player answered under stands; one who only joined is named by the join.
    assert_eq!(
        stored.names,
        BTreeMap::from([
            (1, "Ania K.".to_string()),
            (2, "Bartek".to_string()),
            (3, "Celina".to_string()),
            (4, "Darek".to_string()),
        ])
    );
    // The latest join moved `updated_at`; a rename does not.
    assert_eq!(stored.updated_at, T0 + 170_000);
    let session = stored.session();
    assert_eq!(session.rounds().len(), 2);
    assert_eq!(session.rounds()[0].answers[&2].changes, 1);

    let unfinished = store.unfinished_quizzes().unwrap();
    assert_eq!(unfinished.len(), 1);
    assert_eq!(unfinished[0].night, expected, "a restart resumes the night");

    // A quiz without a night reads back with an empty night of its generated names.
    let mut plain = night_quiz(1, 11, T0);
    plain.config.night = NightConfig::default();
    let plain = store.create_quiz(&plain).unwrap();
    assert_eq!(
        store.load_quiz(plain).unwrap().unwrap().night,
        NightState::default()
    );
}

fn seasons_are_numbered_per_server_and_each_name_is_taken_once(open: Open) {
    {
        let store = open();
        assert!(store.seasons(1).unwrap().is_empty());
        let autumn = store.start_season(1, "Jesień 1939", T0).unwrap();
        assert_eq!(
            (autumn.number, autumn.name.as_str(), autumn.started_at),
            (1, "Jesień 1939", T0)
        );
        let other = store.start_season(2, "Jesień 1939", T0 + 1).unwrap();
        assert_eq!(other.number, 1, "each server counts its own seasons");
        match store.start_season(1, "Jesień 1939", T0 + DAY) {
            Err(StoreError::Database(e)) => {
                assert!(e.contains("`Jesień 1939` exists already"), "{e}")
            }
            other => panic!("a second season of one name in one server: {other:?}"),
        }
    }
    // After a reopen the numbers go on, and the refused name left no gap.
    let store = open();
    let winter = store.start_season(1, "Zima", T0 + 2 * DAY).unwrap();
    assert_eq!(winter.number, 2);
    let names: Vec<(u32, String, u64)> = store
        .seasons(1)
        .unwrap()
        .into_iter()
        .map(|s| (s.number, s.name, s.started_at))
        .collect();
    assert_eq!(
        names,
        vec![
            (1, "Jesień 1939".to_string(), T0),
            (2, "Zima".to_string(), T0 + 2 * DAY)
        ]
    );
    assert_eq!(store.seasons(2).unwrap().len(), 1);
    assert!(store.seasons(3).unwrap().is_empty());
}

fn seasons_started_at_once_each_get_a_number_of_their_own(open: Open) {
    let store = open();
    let store = &*store;
    // Eight admins at once (PostgreSQL serves them on as many connections), two of them with
    // the same name: one of those two is refused, the other seven seasons are numbered 1 to 7.
    let start = std::sync::Barrier::new(8);
    let results: Vec<Result<u32, StoreError>> = std::thread::scope(|s| {
        let threads: Vec<_> = (0..8)
            .map(|i| {
                let start = &start;
                s.spawn(move || {
                    let name = format!("Season {}", i.min(6));
                    start.wait();
                    store.start_season(1, &name, T0 + i).map(|s| s.number)
                })
            })
            .collect();
        threads.into_iter().map(|t| t.join().unwrap()).collect()
    });
    let refused: Vec<&StoreError> = results.iter().filter_map(|r| r.as_ref().err()).collect();
    assert_eq!(refused.len(), 1, "{results:?}");
    assert!(
        matches!(refused[0], StoreError::Database(e) if e.contains("`Season 6` exists already")),
        "{refused:?}"
    );
    let mut numbers: Vec<u32> = results
        .iter()
        .filter_map(|r| r.as_ref().ok().copied())
        .collect();
    numbers.sort();
    assert_eq!(numbers, (1..=7).collect::<Vec<u32>>());
    let stored: Vec<u32> = store.seasons(1).unwrap().iter().map(|s| s.number).collect();
    assert_eq!(stored, (1..=7).collect::<Vec<u32>>());
}

/// A finished one-question quiz in `guild` where each `(player, name, option, at)` answered.
fn answered(store: &dyn Backend, guild: u64, channel: u64, presses: &[(u64, &str, usize, u64)]) {
    let at = presses[0].3;
    let mut quiz = night_quiz(guild, channel, at);
    quiz.config.night = NightConfig::default();
    let id: QuizId = store.create_quiz(&quiz).unwrap();
    let mut writes = vec![opened(0, at)];
    let mut seen = BTreeSet::new();
    for &(player, name, option, at) in presses {
        writes.push(answer(0, player, name, option, at, !seen.insert(player)));
    }
    writes.push(Write::Finished {
        reason: EndReason::Completed,
        at: presses.last().unwrap().3 + 1,
    });
    store.apply(id, &writes).unwrap();
}

fn the_leaderboard_between_two_times_counts_the_answers_given_then(open: Open) {
    let store = open();
    let store = &*store;
    // Day 0: players 1 and 2 right. Day 1: player 2 wrong then right (one answer that counts),
    // player 3 right under a new name later. Day 2: player 1 wrong. Another server: player 9.
    answered(store, 1, 10, &[(1, "Ala", 1, T0), (2, "Bolek", 1, T0 + 5)]);
    answered(
        store,
        1,
        11,
        &[(2, "Bolek", 0, T0 + DAY), (2, "Bolek", 1, T0 + DAY + 10)],
    );
    answered(store, 1, 12, &[(3, "Cezary", 1, T0 + DAY + 20)]);
    answered(store, 1, 13, &[(1, "Ala", 0, T0 + 2 * DAY)]);
    answered(store, 2, 20, &[(9, "Zenon", 1, T0 + DAY)]);
    answered(store, 1, 14, &[(3, "Czarek", 0, T0 + 3 * DAY)]);

    let board = |since, until, limit| -> Vec<(u64, String, u32, u32, u32, u32)> {
        store
            .leaderboard_between(1, since, until, limit)
            .unwrap()
            .into_iter()
            .map(|r| (r.player, r.name, r.points, r.answers, r.right, r.quizzes))
            .collect()
    };
    // All time: 2 (two rights), then 1 and 3 tied on points and rights, 1 earlier.
    assert_eq!(
        board(None, None, 10),
        vec![
            (2, "Bolek".into(), 1800, 2, 2, 2),
            (1, "Ala".into(), 900, 2, 1, 2),
            (3, "Czarek".into(), 900, 2, 1, 2),
        ]
    );
    // Day 1 only: `since` counts, `until` does not.
    assert_eq!(
        board(Some(T0 + DAY), Some(T0 + 2 * DAY), 10),
        vec![
            (2, "Bolek".into(), 900, 1, 1, 1),
            (3, "Czarek".into(), 900, 1, 1, 1)
        ]
    );
    assert_eq!(
        board(Some(T0 + 2 * DAY), None, 10)
            .iter()
            .map(|r| (r.0, r.2))
            .collect::<Vec<_>>(),
        vec![(1, 0), (3, 0)]
    );
    assert_eq!(
        board(None, Some(T0), 10),
        vec![],
        "nothing before the first"
    );
    assert_eq!(board(None, None, 1).len(), 1, "the limit holds");
    // The same as the all-time leaderboard where both count everything.
    assert_eq!(
        store.leaderboard_between(1, None, None, 10).unwrap(),
        store.leaderboard(1, None, 10).unwrap()
    );
    assert_eq!(
        store
            .leaderboard_between(1, Some(T0 + DAY), None, 10)
            .unwrap(),
        store.leaderboard(1, Some(T0 + DAY), 10).unwrap()
    );
}

/// A night scheduled in `guild` at `starts_at`, as `/quiz schedule` stores it.
fn scheduled(guild: u64, channel: u64, starts_at: u64) -> ScheduledQuiz {
    let mut config = night_quiz(guild, channel, starts_at).config;
    config.night.team_names.clear();
    ScheduledQuiz {
        id: 0,
        guild,
        channel,
        host: 99,
        starts_at,
        config,
        event_id: None,
        state: ScheduleState::Scheduled,
    }
}

fn scheduled_nights_read_back_soonest_first_and_each_step_is_claimed_once(open: Open) {
    const HOUR: u64 = 3_600_000;
    let (a, b, c) = {
        let store = open();
        let a = store
            .schedule_quiz(&scheduled(1, 10, T0 + 2 * HOUR), T0)
            .unwrap();
        let b = store
            .schedule_quiz(&scheduled(2, 20, T0 + HOUR), T0 + 1)
            .unwrap();
        let c = store
            .schedule_quiz(&scheduled(1, 11, T0 + 3 * HOUR), T0 + 2)
            .unwrap();
        store.set_schedule_event(a, 777).unwrap();
        (a, b, c)
    };
    assert_eq!(
        BTreeSet::from([a, b, c]).len(),
        3,
        "each night an id of its own"
    );
    // As a restart reads them.
    let store = open();
    let all = store.scheduled_quizzes(None).unwrap();
    assert_eq!(
        all.iter().map(|q| q.id).collect::<Vec<_>>(),
        vec![b, a, c],
        "soonest first"
    );
    let first = &all[1];
    let mut expected = scheduled(1, 10, T0 + 2 * HOUR);
    expected.id = a;
    expected.event_id = Some(777);
    assert_eq!(*first, expected, "every setting read back");
    assert_eq!(
        store
            .scheduled_quizzes(Some(1))
            .unwrap()
            .iter()
            .map(|q| q.id)
            .collect::<Vec<_>>(),
        vec![a, c],
        "one server's nights"
    );

    // The reminder is claimed once; the start from either open state; a started night is
    // no longer to come.
    let (scheduled_, reminded) = (ScheduleState::Scheduled, ScheduleState::Reminded);
    assert!(store.move_schedule(a, &[scheduled_], reminded).unwrap());
    assert!(!store.move_schedule(a, &[scheduled_], reminded).unwrap());
    assert_eq!(store.scheduled_quizzes(Some(1)).unwrap()[0].state, reminded);
    assert!(store
        .move_schedule(a, &[scheduled_, reminded], ScheduleState::Started)
        .unwrap());
    assert!(!store
        .move_schedule(a, &[scheduled_, reminded], ScheduleState::Missed)
        .unwrap());
    assert!(store
        .move_schedule(c, &[scheduled_, reminded], ScheduleState::Cancelled)
        .unwrap());
    assert!(!store
        .move_schedule(c + 100, &[scheduled_], ScheduleState::Cancelled)
        .unwrap());
    assert_eq!(
        store
            .scheduled_quizzes(None)
            .unwrap()
            .iter()
            .map(|q| q.id)
            .collect::<Vec<_>>(),
        vec![b]
    );
    assert!(store.scheduled_quizzes(Some(1)).unwrap().is_empty());
}

fn nights_scheduled_at_once_each_get_an_id_and_a_step_is_claimed_by_one(open: Open) {
    let store = open();
    let store = &*store;
    // Eight hosts at once (PostgreSQL serves them on as many connections).
    let start = std::sync::Barrier::new(8);
    let ids: Vec<u64> = std::thread::scope(|s| {
        let threads: Vec<_> = (0..8)
            .map(|i| {
                let start = &start;
                s.spawn(move || {
                    start.wait();
                    store
                        .schedule_quiz(&scheduled(i, 10 + i, T0 + DAY + i), T0)
                        .unwrap()
                })
            })
            .collect();
        threads.into_iter().map(|t| t.join().unwrap()).collect()
    });
    assert_eq!(BTreeSet::from_iter(ids.iter().copied()).len(), 8, "{ids:?}");
    assert_eq!(store.scheduled_quizzes(None).unwrap().len(), 8);
    // Eight claims of one night's start at once: one wins.
    let night = ids[0];
    let start = std::sync::Barrier::new(8);
    let claimed = std::thread::scope(|s| {
        let threads: Vec<_> = (0..8)
            .map(|_| {
                let start = &start;
                s.spawn(move || {
                    start.wait();
                    store
                        .move_schedule(
                            night,
                            &[ScheduleState::Scheduled, ScheduleState::Reminded],
                            ScheduleState::Started,
                        )
                        .unwrap()
                })
            })
            .collect();
        threads
            .into_iter()
            .map(|t| t.join().unwrap())
            .filter(|won| *won)
            .count()
    });
    assert_eq!(claimed, 1, "the start is claimed once");
}

fn the_daily_question_is_claimed_once_answered_until_its_reveal_and_kept(open: Open) {
    use chrono::NaiveDate;
    use clio::quiz::daily::{AnswerTaken, DailyAnswer, DailyQuestionSetting, DailyQuestionStore};
    let day1 = NaiveDate::from_ymd_opt(2026, 12, 4).unwrap();
    let day2 = day1.succ_opt().unwrap();
    let answer = |player: u64, name: &str, option: usize, at: u64| DailyAnswer {
        player,
        name: name.into(),
        option,
        correct: option == 1,
        at,
    };
    let setting = DailyQuestionSetting {
        channel: 10,
        time: "18:00".into(),
        zone: "Europe/Warsaw".into(),
    };
    {
        let store = open();
        let store: &dyn DailyQuestionStore = &*store;
        store.set_daily_question(1, Some(&setting), T0).unwrap();
        store.set_daily_question(2, Some(&setting), T0).unwrap();
        store.set_daily_question(2, None, T0 + 1).unwrap();
        assert!(store
            .claim_daily_question(1, day1, 10, &choice("d1"), T0)
            .unwrap());
        assert!(
            !store
                .claim_daily_question(1, day1, 10, &choice("other"), T0 + 1)
                .unwrap(),
            "one question a day"
        );
        assert_eq!(
            store
                .answer_daily_question(1, day1, &answer(7, "Ala", 0, T0 + 10))
                .unwrap(),
            AnswerTaken::Stored { replaced: false }
        );
        assert_eq!(
            store
                .answer_daily_question(1, day1, &answer(7, "Ala", 1, T0 + 20))
                .unwrap(),
            AnswerTaken::Stored { replaced: true }
        );
        store
            .answer_daily_question(1, day1, &answer(8, "Bolek", 2, T0 + 15))
            .unwrap();
        assert!(store.claim_daily_reveal(1, day1, T0 + 100).unwrap());
        assert!(
            !store.claim_daily_reveal(1, day1, T0 + 101).unwrap(),
            "one reveal"
        );
        assert_eq!(
            store
                .answer_daily_question(1, day1, &answer(9, "Celina", 1, T0 + 102))
                .unwrap(),
            AnswerTaken::Closed,
            "closed at its reveal"
        );
        assert_eq!(
            store
                .answer_daily_question(1, day2, &answer(9, "Celina", 1, T0 + 103))
                .unwrap(),
            AnswerTaken::Closed,
            "no question that day"
        );
        assert!(store
            .claim_daily_question(1, day2, 10, &choice("d2"), T0 + DAY)
            .unwrap());
    }
    // As a restart reads it.
    let store = open();
    let store: &dyn DailyQuestionStore = &*store;
    assert_eq!(
        store.daily_question_setting(1).unwrap(),
        Some(setting.clone())
    );
    assert_eq!(store.daily_question_setting(2).unwrap(), None);
    assert_eq!(store.daily_question_guilds().unwrap(), vec![(1, setting)]);
    let latest = store.latest_daily_question(1).unwrap().unwrap();
    assert_eq!(
        (
            latest.date,
            latest.channel,
            latest.question.key.as_str(),
            latest.revealed
        ),
        (day2, 10, "d2", false)
    );
    let first = store.daily_question(1, day1).unwrap().unwrap();
    assert_eq!(first.question, choice("d1"));
    assert!(first.revealed);
    assert_eq!(store.daily_question(3, day1).unwrap(), None);
    let answers = store.daily_answers(1, day1).unwrap();
    assert_eq!(
        answers
            .iter()
            .map(|a| (a.player, a.name.as_str(), a.option, a.correct, a.at))
            .collect::<Vec<_>>(),
        vec![
            (8, "Bolek", 2, false, T0 + 15),
            (7, "Ala", 1, true, T0 + 20)
        ],
        "earliest first, a changed answer replacing the first"
    );
    assert_eq!(
        store.recent_daily_keys(1, 1).unwrap(),
        vec!["d2".to_string()]
    );
    assert_eq!(
        store.recent_daily_keys(1, 5).unwrap(),
        vec!["d2".to_string(), "d1".to_string()]
    );
    // Only revealed days count in the history the streaks are computed from.
    let history = store.daily_history(1).unwrap();
    assert_eq!(history.len(), 1);
    assert_eq!(history[0].0, day1);
    assert_eq!(history[0].1, answers);
}

#[test]
fn clio_migrate_carries_a_quiz_night_the_seasons_and_the_schedule_into_postgres() {
    let test = "it::store_night::clio_migrate_carries_a_quiz_night_the_seasons_and_the_schedule_into_postgres";
    let Some(db) = pg_database(test) else {
        return;
    };
    let dir = scratch_dir("night-migrate");
    let sqlite = SqliteStore::open(&dir).unwrap();
    let id = sqlite.create_quiz(&night_quiz(1, 10, T0)).unwrap();
    sqlite
        .apply(
            id,
            &[
                Write::Night(NightWrite::Break {
                    kind: BreakKind::Lobby,
                    round: 0,
                    began_at: T0,
                    ends_at: T0 + 90_000,
                }),
                joined(1, "Ania", 2, T0 + 1_000),
                Write::Night(NightWrite::TeamNamed {
                    team: 2,
                    name: "Kock 1939".into(),
                }),
                opened(0, T0 + 90_000),
                Write::Night(NightWrite::Hint {
                    index: 0,
                    player: 1,
                    at: T0 + 91_000,
                }),
                answer(0, 1, "Ania", 1, T0 + 92_000, false),
            ],
        )
        .unwrap();
    sqlite.start_season(1, "Jesień", T0 + 1).unwrap();
    let night = sqlite
        .schedule_quiz(&scheduled(1, 10, T0 + DAY), T0)
        .unwrap();
    sqlite.set_schedule_event(night, 4242).unwrap();
    {
        use clio::quiz::daily::{DailyAnswer, DailyQuestionStore};
        let day = chrono::NaiveDate::from_ymd_opt(2026, 12, 4).unwrap();
        assert!(sqlite
            .claim_daily_question(1, day, 10, &choice("d1"), T0)
            .unwrap());
        sqlite
            .answer_daily_question(
                1,
                day,
                &DailyAnswer {
                    player: 7,
                    name: "Ala".into(),
                    option: 1,
                    correct: true,
                    at: T0 + 1,
                },
            )
            .unwrap();
    }
    drop(sqlite);

    let out = super::store_pg::clio_migrate(&dir, &db.url, &[]);
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success(),
        "{stdout}{}",
        String::from_utf8_lossy(&out.stderr)
    );
    for line in [
        "quiz_team_joins 1 rows",
        "quiz_team_names 1 rows",
        "quiz_hints      1 rows",
        "quiz_breaks     1 rows",
        "seasons         1 rows",
        "scheduled_quizzes 1 rows",
        "daily_questions 1 rows",
        "daily_answers   1 rows",
    ] {
        assert!(stdout.contains(line), "`{line}` in:\n{stdout}");
    }
    let sqlite = SqliteStore::open(&dir).unwrap();
    let pg = db.store();
    let (a, b) = (
        sqlite.load_quiz(id).unwrap().unwrap(),
        pg.load_quiz(id).unwrap().unwrap(),
    );
    assert_eq!(a.night, b.night);
    assert_eq!(b.night.team_names[2], "Kock 1939");
    assert_eq!(b.night.hints, BTreeSet::from([(0, 1)]));
    assert_eq!(sqlite.seasons(1).unwrap(), pg.seasons(1).unwrap());
    assert_eq!(
        sqlite.scheduled_quizzes(None).unwrap(),
        pg.scheduled_quizzes(None).unwrap()
    );
    assert_eq!(pg.scheduled_quizzes(None).unwrap()[0].event_id, Some(4242));
    {
        use clio::quiz::daily::DailyQuestionStore;
        let day = chrono::NaiveDate::from_ymd_opt(2026, 12, 4).unwrap();
        assert_eq!(
            sqlite.daily_answers(1, day).unwrap(),
            pg.daily_answers(1, day).unwrap()
        );
        assert_eq!(pg.daily_answers(1, day).unwrap().len(), 1);
    }
    // The next season and the next night continue the copied numbering.
    assert_eq!(pg.start_season(1, "Zima", T0 + DAY).unwrap().number, 2);
    assert_eq!(
        pg.schedule_quiz(&scheduled(1, 11, T0 + 2 * DAY), T0)
            .unwrap(),
        night + 1
    );
    let _ = std::fs::remove_dir_all(&dir);
}
