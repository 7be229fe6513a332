//! Quiz nights in-process: teams in a lobby, two rounds with an intermission, hints, a latecomer
//! and a player switching team, on a manual clock with a real SQLite store, and the night as it
//! is rebuilt from the store after a restart.

use std::collections::{BTreeMap, HashSet};
use std::path::PathBuf;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use clio::clock::{Clock, ManualClock};
use clio::i18n::Locale;
use clio::knowledge::{KnowledgeBase, Text};
use clio::quiz::persist::{NewQuiz, QuizId, Store};
use clio::quiz::runner::{Control, Order, Outbound, Pressed, Runner};
use clio::quiz::{
    Answer, AnswerOption, EndReason, Given, Hint, Meaning, Mode, NightConfig, Phase, Question,
    QuestionKind, QuizConfig, QuizSession,
};
use clio::reply::Reply;
use clio::store::SqliteStore;
use tokio::sync::oneshot;

const T0: u64 = 1_700_000_000_000;
const IDLE: Duration = Duration::from_secs(30 * 60);

/// What the runner posted and edited, in order.
#[derive(Clone, Default)]
struct Recording {
    posts: Arc<Mutex<Vec<Reply>>>,
    edits: Arc<Mutex<Vec<(u64, Reply)>>>,
}

impl Recording {
    fn posts(&self) -> Vec<Reply> {
        self.posts.lock().unwrap().clone()
    }
    fn last_edit_of(&self, message: u64) -> Option<Reply> {
        let edits = self.edits.lock().unwrap();
        edits
            .iter()
            .rev()
            .find(|(m, _)| *m == message)
            .map(|(_, r)| r.clone())
    }
}

impl Outbound for Recording {
    async fn post(&self, reply: &Reply) -> Option<u64> {
        let mut posts = self.posts.lock().unwrap();
        posts.push(reply.clone());
        Some(1_000 + posts.len() as u64)
    }
    async fn edit(&self, message: u64, reply: &Reply) -> Option<u64> {
        self.edits.lock().unwrap().push((message, reply.clone()));
        Some(message)
    }
}

fn text(reply: &Reply) -> String {
    serde_json::to_string(reply).unwrap()
}

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

fn year(key: &str, year: i32) -> Question {
    Question {
        answer: Answer::Year { year },
        kind: QuestionKind::EventYear,
        ..choice(key)
    }
}

fn typed(key: &str, answer: &str) -> Question {
    Question {
        answer: Answer::Free {
            answer: Text::en(answer),
            accepted: Vec::new(),
        },
        kind: QuestionKind::HandFree,
        ..choice(key)
    }
}

fn night_config() -> QuizConfig {
    QuizConfig {
        questions: 2,
        seconds: 20,
        mode: Mode::Auto,
        seed: 5,
        reveal_seconds: 10,
        night: NightConfig {
            teams: 3,
            team_names: vec!["Hel".into(), "Modlin".into(), "Kock".into()],
            rounds: 2,
            topics: vec!["September".into(), "Warsaw".into()],
            round_starts: vec![2],
            hints: true,
            ..NightConfig::default()
        },
        ..Default::default()
    }
}

async fn night_runner(
    store: &Store,
    clock: &ManualClock,
    out: Recording,
) -> (QuizId, Runner<Recording>) {
    let config = night_config();
    let questions = vec![
        choice("q0"),
        year("q1", 1939),
        choice("q2"),
        typed("q3", "Westerplatte"),
    ];
    let id = store
        .create_quiz(NewQuiz {
            guild: 1,
            channel: 777,
            host: 99,
            config: config.clone(),
            questions: questions.clone(),
            started_at: clock.now_ms(),
        })
        .await
        .unwrap();
    let runner = Runner::new(
        id,
        QuizSession::new(config, questions),
        BTreeMap::new(),
        store.clone(),
        Arc::new(KnowledgeBase::new(Vec::new())),
        out,
        Arc::new(clock.clone()),
        IDLE,
    );
    (id, runner)
}

fn sqlite(name: &str) -> Store {
    let dir = PathBuf::from(env!("CARGO_TARGET_TMPDIR"))
        .join(format!("night-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    Store::new(Arc::new(SqliteStore::open(&dir).unwrap()))
}

async fn ask(
    runner: &mut Runner<Recording>,
    order: impl FnOnce(oneshot::Sender<Pressed>) -> Order,
) -> Pressed {
    let (reply, answer) = oneshot::channel();
    runner.carry_out(order(reply)).await;
    answer.await.unwrap()
}

async fn join(runner: &mut Runner<Recording>, player: u64, team: usize) -> String {
    let pressed = ask(runner, |reply| Order::Join {
        player,
        name: format!("p{player}"),
        team,
        reply,
    })
    .await;
    match pressed {
        Pressed::Ack {
            reply,
            recorded: true,
        } => text(&reply),
        other => panic!("player {player} could not join team {team}: {other:?}"),
    }
}

async fn hint(runner: &mut Runner<Recording>, player: u64, index: usize) -> String {
    match ask(runner, |reply| Order::Hint {
        player,
        name: format!("p{player}"),
        index,
        reply,
    })
    .await
    {
        Pressed::Ack { reply, .. } => text(&reply),
        other => panic!("player {player}'s hint on {index}: {other:?}"),
    }
}

async fn answer(runner: &mut Runner<Recording>, player: u64, index: usize, given: Given) {
    let pressed = ask(runner, |reply| Order::Answer {
        player,
        name: format!("p{player}"),
        index,
        given,
        reply,
    })
    .await;
    assert!(
        matches!(pressed, Pressed::Ack { recorded: true, .. }),
        "player {player}'s answer to {index}: {pressed:?}"
    );
}

async fn control(runner: &mut Runner<Recording>, control: Control) {
    let (reply, answer) = oneshot::channel();
    runner.carry_out(Order::Control { control, reply }).await;
    answer.await.unwrap().unwrap();
}

/// Let time run until the quiz leaves the phase it is in.
async fn run_until_phase_changes(runner: &mut Runner<Recording>, clock: &ManualClock) {
    let phase = runner.session().phase();
    while runner.session().phase() == phase {
        let at = runner.wake_at().expect("a timed step");
        clock.set(at.max(clock.now_ms()));
        runner.tick().await;
    }
}

fn points_of(session: &QuizSession, index: usize, player: u64) -> u32 {
    session.round(index).unwrap().answers[&player].points
}

fn team_points(session: &QuizSession) -> Vec<(String, u32, usize)> {
    session
        .team_standings()
        .into_iter()
        .map(|t| (t.name, t.points, t.rank))
        .collect()
}

#[tokio::test]
async fn a_team_night_of_two_rounds_scores_teams_by_the_mean_of_their_players() {
    let store = sqlite("two-rounds");
    let clock = ManualClock::at(T0);
    let out = Recording::default();
    let (id, mut runner) = night_runner(&store, &clock, out.clone()).await;

    // The lobby: a Join button per team and Start; no question yet.
    runner.begin(true, Vec::new()).await;
    assert!(matches!(runner.session().phase(), Phase::Lobby { .. }));
    let lobby = text(&out.posts()[0]);
    for needle in ["q:j:", "Join Hel", "Join Modlin", "Join Kock", "Start"] {
        assert!(
            lobby.contains(needle),
            "{needle} missing from the lobby: {lobby}"
        );
    }
    assert_eq!(
        runner.wake_at(),
        Some(T0 + 90_000),
        "the lobby lasts 90 s by default"
    );

    // Hel: 1, 2, 3; Modlin: 4 and 5 (who first pressed Hel); Kock: 6.
    for (player, team) in [(1, 0), (2, 0), (3, 0), (5, 0), (4, 1), (6, 2)] {
        join(&mut runner, player, team).await;
    }
    let moved = join(&mut runner, 5, 1).await;
    assert!(
        moved.contains("moved from **Hel** to **Modlin**"),
        "{moved}"
    );
    let shown = text(
        &out.last_edit_of(1_001)
            .expect("the lobby is edited as teams fill"),
    );
    assert!(shown.contains("p5") && shown.contains("p6"), "{shown}");
    // Pressing your own team again changes nothing.
    assert!(matches!(
        ask(&mut runner, |reply| Order::Join {
            player: 4,
            name: "p4".into(),
            team: 1,
            reply
        })
        .await,
        Pressed::Ack {
            recorded: false,
            ..
        }
    ));

    // The host starts before the lobby's time is up.
    clock.advance(Duration::from_secs(5));
    control(&mut runner, Control::Next).await;
    assert_eq!(runner.session().open_question(), Some(0));
    assert!(
        !text(&out.last_edit_of(1_001).unwrap()).contains("Start"),
        "Start stays after the start"
    );

    // Question 0 (options): 1 right at once; 2 right after a hint (half); 3 silent;
    // 4 right at once; 5 right at 10 s of 20; 6 right at 10 s.
    let h = hint(&mut runner, 2, 0).await;
    let removed = match clio::quiz::night::hint_for(
        runner.session().question(0).unwrap(),
        0,
        5,
        Locale::En,
    ) {
        Hint::Removed(r) => r,
        other => panic!("{other:?}"),
    };
    assert_eq!(removed.len(), 2);
    assert!(!removed.contains(&1), "the hint removed the right option");
    assert!(
        h.contains("These are wrong") && h.contains("halves the points"),
        "{h}"
    );
    answer(&mut runner, 1, 0, Given::Choice(1)).await;
    answer(&mut runner, 2, 0, Given::Choice(1)).await;
    answer(&mut runner, 4, 0, Given::Choice(1)).await;
    clock.advance(Duration::from_secs(10));
    answer(&mut runner, 5, 0, Given::Choice(1)).await;
    answer(&mut runner, 6, 0, Given::Choice(1)).await;
    let s = runner.session();
    assert_eq!(
        [1, 2, 4, 5, 6].map(|p| points_of(s, 0, p)),
        [1000, 500, 1000, 750, 750]
    );
    run_until_phase_changes(&mut runner, &clock).await; // revealed
    let reveal = text(&out.last_edit_of(1_002).unwrap());
    let teams_at = reveal.find("Teams").expect("the reveal shows the teams");
    let top_at = reveal.find("Top 5").expect("and the best players");
    assert!(teams_at < top_at, "teams first, then the best players");

    // Player 3 moves to Kock between questions: question 0 stays Hel's.
    join(&mut runner, 3, 2).await;
    run_until_phase_changes(&mut runner, &clock).await; // question 1 opens
    assert_eq!(runner.session().open_question(), Some(1));

    // Question 1 (a year): 1 and 4 right at once; 3 right after a hint; 6 silent.
    let h = hint(&mut runner, 3, 1).await;
    assert!(h.contains("1930s"), "{h}");
    answer(&mut runner, 1, 1, Given::Text("1939".into())).await;
    answer(&mut runner, 3, 1, Given::Text("1939".into())).await;
    answer(&mut runner, 4, 1, Given::Text("1939".into())).await;
    assert_eq!(points_of(runner.session(), 1, 3), 500);
    run_until_phase_changes(&mut runner, &clock).await; // revealed
    run_until_phase_changes(&mut runner, &clock).await; // the intermission

    let Phase::Intermission { round: 0, next_at } = runner.session().phase() else {
        panic!(
            "no intermission after round 1: {:?}",
            runner.session().phase()
        );
    };
    assert_eq!(next_at, clock.now_ms() + 120_000, "120 s by default");
    let break_post = text(out.posts().last().unwrap());
    // Round 1: Hel (1000+500+0)/3 + (1000+0)/2 = 1000; Modlin (1000+750)/2 + (1000+0)/2 = 1375;
    // Kock 750/1 + (0+500)/2 = 1000.
    for needle in [
        "Intermission after round 1",
        "Round winners",
        "**Modlin** — 1375",
        "Warsaw",
        "Start round 2",
    ] {
        assert!(
            break_post.contains(needle),
            "{needle} missing: {break_post}"
        );
    }
    assert_eq!(
        team_points(runner.session()),
        vec![
            ("Modlin".into(), 1375, 1),
            ("Hel".into(), 1000, 2),
            ("Kock".into(), 1000, 2)
        ]
    );
    assert!(
        !runner.session().is_waiting(clock.now_ms()),
        "the intermission is timed"
    );

    // The intermission's time runs out: round 2 opens with question 2.
    run_until_phase_changes(&mut runner, &clock).await;
    assert_eq!(runner.session().open_question(), Some(2));

    // Question 2: a latecomer (8) joins Modlin and is right; 4 and 5 silent; 1 right;
    // 6 right; 3 right after a hint.
    join(&mut runner, 8, 1).await;
    answer(&mut runner, 8, 2, Given::Choice(1)).await;
    answer(&mut runner, 1, 2, Given::Choice(1)).await;
    answer(&mut runner, 6, 2, Given::Choice(1)).await;
    hint(&mut runner, 3, 2).await;
    answer(&mut runner, 3, 2, Given::Choice(1)).await;
    run_until_phase_changes(&mut runner, &clock).await; // revealed
    run_until_phase_changes(&mut runner, &clock).await; // question 3

    // Question 3 (typed): 1 right, then takes a hint (the answer before it keeps its points);
    // 2 right after a hint.
    answer(&mut runner, 1, 3, Given::Text("Westerplatte".into())).await;
    let h = hint(&mut runner, 1, 3).await;
    assert!(
        h.contains("begins with “W”") && h.contains("12 letters"),
        "{h}"
    );
    hint(&mut runner, 2, 3).await;
    answer(&mut runner, 2, 3, Given::Text("westerplatte".into())).await;
    assert_eq!(points_of(runner.session(), 3, 1), 1000);
    assert_eq!(points_of(runner.session(), 3, 2), 500);
    while !runner.session().is_finished() {
        run_until_phase_changes(&mut runner, &clock).await;
    }

    // Hel: 1000 + (1000+0)/2 + (1000+500)/2 = 2250; Modlin: 1375 + (0+0+1000)/3 + 0 = 1708;
    // Kock: 1000 + (1000+500)/2 + 0 = 1750.
    let expected = vec![
        ("Hel".to_string(), 2250, 1),
        ("Kock".to_string(), 1750, 2),
        ("Modlin".to_string(), 1708, 3),
    ];
    assert_eq!(team_points(runner.session()), expected);
    let last = out.posts();
    let fin = last
        .iter()
        .map(text)
        .find(|t| t.contains("Final standings"))
        .unwrap();
    assert!(fin.find("**Hel** — 2250").unwrap() < fin.find("Standings").unwrap_or(usize::MAX));

    // Everything was stored: the night rebuilt from the store scores the same, and the
    // players' own points (the leaderboard's) carry the hints' price.
    let stored = store.load_quiz(id).await.unwrap().unwrap();
    assert_eq!(stored.ended.map(|e| e.0), Some(EndReason::Completed));
    let rebuilt = stored.session();
    assert_eq!(team_points(&rebuilt), expected);
    assert_eq!(points_of(&rebuilt, 0, 2), 500);
    let board = store.leaderboard(1, None, 10).await.unwrap();
    let p1 = board.iter().find(|r| r.player == 1).unwrap();
    assert_eq!(p1.points, 4000);
}

#[tokio::test]
async fn a_night_restarted_in_its_lobby_or_intermission_resumes_there_with_its_teams() {
    let store = sqlite("restart");
    let clock = ManualClock::at(T0);
    let (id, mut runner) = night_runner(&store, &clock, Recording::default()).await;
    runner.begin(true, Vec::new()).await;
    join(&mut runner, 1, 0).await;
    join(&mut runner, 2, 2).await;
    let renamed = ask(&mut runner, |reply| Order::RenameTeam {
        team: 1,
        name: "  Westerplatte \u{7}".into(),
        reply,
    })
    .await;
    assert!(matches!(renamed, Pressed::Ack { recorded: true, .. }));
    drop(runner);

    // The bot stopped in the lobby; a restart finds the lobby and who joined.
    clock.advance(Duration::from_secs(20));
    let stored = store.load_quiz(id).await.unwrap().unwrap();
    let recovery = clio::quiz::recovery::recover(&stored, clock.now_ms(), 600_000);
    let session = recovery.session;
    assert_eq!(session.phase(), Phase::Lobby { until: T0 + 90_000 });
    assert_eq!(session.night().team_of(1), Some(0));
    assert_eq!(session.night().team_of(2), Some(2));
    assert_eq!(session.night().team_name(1), "Westerplatte");
    assert_eq!(recovery.events, vec![clio::quiz::QuizEvent::LobbyOpened]);

    // Carry on to the intermission, then stop again.
    let out = Recording::default();
    let mut runner = Runner::new(
        id,
        session,
        stored.messages.clone(),
        store.clone(),
        Arc::new(KnowledgeBase::new(Vec::new())),
        out.clone(),
        Arc::new(clock.clone()),
        IDLE,
    );
    runner.begin(false, recovery.events).await;
    assert!(text(&out.posts()[0]).contains("Join Westerplatte"));
    control(&mut runner, Control::Next).await;
    answer(&mut runner, 1, 0, Given::Choice(1)).await;
    while !matches!(runner.session().phase(), Phase::Intermission { .. }) {
        run_until_phase_changes(&mut runner, &clock).await;
    }
    let before = team_points(runner.session());
    let Phase::Intermission { next_at, .. } = runner.session().phase() else {
        unreachable!()
    };
    drop(runner);
    clock.advance(Duration::from_secs(30));
    let stored = store.load_quiz(id).await.unwrap().unwrap();
    let recovery = clio::quiz::recovery::recover(&stored, clock.now_ms(), 600_000);
    assert_eq!(
        recovery.session.phase(),
        Phase::Intermission { round: 0, next_at }
    );
    assert_eq!(team_points(&recovery.session), before);
    assert_eq!(
        recovery.events,
        vec![clio::quiz::QuizEvent::IntermissionBegan { round: 0 }]
    );
    // The host goes on: round 2 opens with its first question.
    let mut session = recovery.session;
    session.next(clock.now_ms()).unwrap();
    assert_eq!(session.open_question(), Some(2));
}

#[test]
fn night_settings_out_of_range_are_refused_naming_the_option() {
    let cases: [(NightConfig, usize, &str); 5] = [
        (
            NightConfig {
                teams: 7,
                ..NightConfig::default()
            },
            5,
            "2 to 6 teams, not 7",
        ),
        (
            NightConfig {
                teams: 1,
                ..NightConfig::default()
            },
            5,
            "not 1",
        ),
        (
            NightConfig {
                rounds: 6,
                ..NightConfig::default()
            },
            5,
            "1 to 5 rounds",
        ),
        (
            NightConfig {
                rounds: 2,
                topics: vec!["a".into(), "b".into(), "c".into()],
                ..NightConfig::default()
            },
            5,
            "3 topics for 2 rounds",
        ),
        (
            NightConfig {
                rounds: 5,
                ..NightConfig::default()
            },
            20,
            "100 questions in all",
        ),
    ];
    for (night, questions, expected) in cases {
        let config = QuizConfig {
            questions,
            night,
            ..Default::default()
        };
        let err = config.validate().unwrap_err();
        assert!(
            err.message(Locale::En).contains(expected),
            "{}",
            err.message(Locale::En)
        );
        assert!(!err.message(Locale::Pl).is_empty());
    }
}

#[test]
fn a_night_of_two_rounds_never_repeats_a_question_and_names_teams_from_the_pack() {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("knowledge");
    let Ok(kb) = clio::knowledge::KnowledgeBase::load(&dir) else {
        panic!("the pack in {} does not load", dir.display());
    };
    let config = QuizConfig {
        questions: 3,
        seed: 11,
        locale: Locale::Pl,
        night: NightConfig {
            teams: 4,
            rounds: 2,
            ..NightConfig::default()
        },
        ..Default::default()
    };
    let (session, _) = clio::quiz::prepare(&kb, config, &HashSet::new()).unwrap();
    let night = &session.config().night;
    assert_eq!(night.round_starts, vec![3]);
    assert_eq!(session.questions().len(), 6);
    let keys: HashSet<&str> = session.questions().iter().map(|q| q.key.as_str()).collect();
    assert_eq!(keys.len(), 6, "a question was asked twice in one night");
    assert_eq!(night.team_names.len(), 4);
    let places: HashSet<String> = kb
        .entries()
        .iter()
        .filter_map(|e| match e {
            clio::knowledge::Entry::Topic(t) if t.kind == "place" || t.kind == "unit" => Some(
                t.name
                    .get(Locale::Pl)
                    .split(" (")
                    .next()
                    .unwrap()
                    .to_string(),
            ),
            _ => None,
        })
        .collect();
    for name in &night.team_names {
        assert!(
            places.contains(name),
            "{name} is not a place or unit of the pack"
        );
    }
}

/// One quiz in guild 1 whose player `player` answered question `index` right at `at`.
fn answered(store: &SqliteStore, channel: u64, player: u64, at: u64) {
    use clio::quiz::persist::{QuizStore, Write};
    use clio::quiz::{AnswerRecord, Verdict};
    let id = store
        .create_quiz(&NewQuiz {
            guild: 1,
            channel,
            host: 99,
            config: QuizConfig::default(),
            questions: vec![choice("s0")],
            started_at: at,
        })
        .unwrap();
    let writes = [
        Write::QuestionOpened {
            index: 0,
            key: "s0".into(),
            kind: "hand-choice".into(),
            opened_at: at,
            deadline: at + 20_000,
        },
        Write::Answer(AnswerRecord {
            index: 0,
            player,
            name: format!("p{player}"),
            given: Given::Choice(1),
            elapsed_ms: 0,
            at,
            changed: false,
            verdict: Verdict::Right,
            points: 1000,
        }),
        Write::Finished {
            reason: EndReason::Completed,
            at: at + 1,
        },
    ];
    store.apply(id, &writes).unwrap();
}

#[test]
fn seasons_split_the_leaderboard_and_keep_every_past_season_by_name() {
    use clio::quiz::night::seasons::{span, NightStore};
    let dir = PathBuf::from(env!("CARGO_TARGET_TMPDIR"))
        .join(format!("night-seasons-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    let store = SqliteStore::open(&dir).unwrap();
    const DAY: u64 = 86_400_000;
    // Player 1 before any season; player 2 in "Autumn"; player 3 in "Winter" (current).
    answered(&store, 1, 1, T0);
    let autumn = store.start_season(1, "Autumn", T0 + DAY).unwrap();
    answered(&store, 2, 2, T0 + 2 * DAY);
    let winter = store.start_season(1, "Winter", T0 + 3 * DAY).unwrap();
    answered(&store, 3, 3, T0 + 4 * DAY);
    assert_eq!((autumn.number, winter.number), (1, 2));
    assert!(
        store.start_season(1, "Winter", T0 + 5 * DAY).is_err(),
        "two seasons of one name"
    );
    let seasons = store.seasons(1).unwrap();
    assert_eq!(seasons, vec![autumn, winter]);
    assert!(
        store.seasons(2).unwrap().is_empty(),
        "seasons are per server"
    );

    let now = T0 + 9 * DAY;
    let players = |period: Option<&str>| -> Vec<u64> {
        let s = span(period, &seasons, now, Locale::En).unwrap();
        store
            .leaderboard_between(1, s.since, s.until, 10)
            .unwrap()
            .iter()
            .map(|r| r.player)
            .collect()
    };
    assert_eq!(players(None), vec![3], "the current season by default");
    assert_eq!(players(Some("season")), vec![3]);
    assert_eq!(players(Some("autumn")), vec![2], "a past season by name");
    assert_eq!(players(Some("all")), vec![1, 2, 3], "nothing is deleted");
    assert_eq!(players(Some("all time")), vec![1, 2, 3]);
    assert_eq!(players(Some("this week")), vec![2, 3]);
    let label = span(Some("Autumn"), &seasons, now, Locale::Pl)
        .unwrap()
        .label;
    assert!(label.contains("Autumn"), "{label}");
    let err = span(Some("Spring"), &seasons, now, Locale::En).unwrap_err();
    assert!(
        err.contains("`Spring` is not a period") && err.contains("`Autumn`"),
        "{err}"
    );
    // Before the first season, the default is all time.
    assert_eq!(span(None, &[], now, Locale::En).unwrap().since, None);
}

#[test]
fn a_polish_night_speaks_polish_in_its_lobby_intermission_and_hints() {
    use clio::quiz::night::render::{hint_reply, intermission_message, lobby_message};
    let config = QuizConfig {
        locale: Locale::Pl,
        mode: Mode::Host,
        ..night_config()
    };
    let questions = vec![choice("q0"), year("q1", 1944), choice("q2"), choice("q3")];
    let mut session = QuizSession::new(config, questions);
    session.start(T0).unwrap();
    session.join(1, "Ala", 0, T0).unwrap();
    let lobby = text(&lobby_message(&session, 9, T0));
    for words in ["Wieczór quizowy", "Dołącz: Hel", "Ala", "(jeszcze nikt)"] {
        assert!(lobby.contains(words), "{words} missing: {lobby}");
    }
    session.next(T0).unwrap(); // the first question
    session.next(T0 + 1).unwrap(); // its reveal
    session.next(T0 + 2).unwrap(); // question 2
    let hint = session.take_hint(1, "Ala", 1).unwrap();
    let said = text(&hint_reply(&session, &hint));
    assert!(
        said.contains("To lata 1940–1949") && said.contains("Podpowiedź"),
        "{said}"
    );
    session.next(T0 + 3).unwrap(); // its reveal
    let events = session.next(T0 + 4).unwrap();
    assert_eq!(
        events,
        vec![clio::quiz::QuizEvent::IntermissionBegan { round: 0 }]
    );
    let pause = text(&intermission_message(&session, 9, 0));
    for words in [
        "Przerwa po rundzie 1",
        "Runda 2: **Warsaw**",
        "Zacznij rundę 2",
    ] {
        assert!(pause.contains(words), "{words} missing: {pause}");
    }
    for english in ["Intermission", "Round winners", "Join", "Start round"] {
        assert!(
            !pause.contains(english) && !lobby.contains(english),
            "{english} in Polish"
        );
    }
}

#[test]
fn a_scheduled_night_reminds_15_minutes_before_starts_up_to_10_minutes_late_then_is_missed() {
    use clio::quiz::night::schedule::{due, Due, ScheduleState, ScheduledQuiz};
    const MIN: u64 = 60_000;
    let mut night = ScheduledQuiz {
        id: 1,
        guild: 1,
        channel: 2,
        host: 3,
        starts_at: T0,
        config: QuizConfig::default(),
        event_id: None,
        state: ScheduleState::Scheduled,
    };
    assert_eq!(due(&night, T0 - 16 * MIN), None);
    assert_eq!(due(&night, T0 - 15 * MIN), Some(Due::Remind));
    night.state = ScheduleState::Reminded;
    assert_eq!(due(&night, T0 - MIN), None, "one reminder");
    assert_eq!(due(&night, T0), Some(Due::Start));
    assert_eq!(
        due(&night, T0 + 10 * MIN),
        Some(Due::Start),
        "a bot back in time"
    );
    assert_eq!(due(&night, T0 + 10 * MIN + 1), Some(Due::Missed));
    // A bot down through the reminder starts the night without one.
    night.state = ScheduleState::Scheduled;
    assert_eq!(due(&night, T0 + MIN), Some(Due::Start));
    for done in [
        ScheduleState::Started,
        ScheduleState::Missed,
        ScheduleState::Cancelled,
    ] {
        night.state = done;
        assert_eq!(due(&night, T0), None, "{done:?}");
    }
}

#[test]
fn when_is_read_in_the_servers_time_zone_and_must_be_to_come() {
    use clio::quiz::night::schedule::parse_when;
    let warsaw: clio::zone::Zone = "Europe/Warsaw".parse().unwrap();
    let now = 1_790_000_000_000; // September 2026
    let at = parse_when("2026-12-11 19:30", warsaw, now, Locale::En).unwrap();
    // 19:30 in Warsaw in December is 18:30 UTC.
    assert_eq!(at, 1_797_013_800_000);
    assert_eq!(
        parse_when("11 December 2026 19:30", warsaw, now, Locale::En),
        Ok(at)
    );
    assert_eq!(
        parse_when("2026-12-11 18:30", clio::zone::Zone::utc(), now, Locale::En),
        Ok(at)
    );
    let bad = parse_when("next friday", warsaw, now, Locale::En).unwrap_err();
    assert!(
        bad.contains("`next friday` is not a date and time"),
        "{bad}"
    );
    let past = parse_when("2020-01-01 10:00", warsaw, now, Locale::Pl).unwrap_err();
    assert!(past.contains("już minęło"), "{past}");
}
