//! The quiz store: every quiz, question and answer kept as it happens, the leaderboard computed
//! from the stored answers, one quiz per channel, and nothing recorded lost when the process is
//! killed mid-quiz.

use std::collections::{BTreeMap, BTreeSet};
use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

use clio::knowledge::Text;
use clio::quiz::render::Period;
use clio::quiz::{
    recovery, Answer, AnswerOption, EndReason, Given, Meaning, Mode, Question, QuestionKind,
    QuizConfig, QuizSession,
};
use clio::store::{self, NewQuiz, QuizStore, SqliteStore, StoreError, Write};

use super::support::Open;

crate::on_both_backends!(
    a_stored_quiz_reads_back_as_it_was_played,
    the_leaderboard_is_computed_from_the_stored_answers,
    one_quiz_per_channel_and_many_channels_at_once,
    recent_question_keys_come_from_the_last_quizzes_of_the_guild,
    reopening_the_store_keeps_everything_and_migrates_once,
    async_callers_never_block_the_runtime,
);

const T0: u64 = 1_700_000_000_000;
const DAY: u64 = 86_400_000;

fn question(key: &str, correct: usize) -> Question {
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
            correct,
        },
        explanation: Text::en("Because."),
        source: None,
        entry: None,
    }
}

fn new_quiz(guild: u64, channel: u64, keys: &[&str], started_at: u64) -> (QuizSession, NewQuiz) {
    let config = QuizConfig {
        questions: keys.len(),
        seconds: 20,
        mode: Mode::Host,
        seed: 7,
        ..Default::default()
    };
    let questions: Vec<Question> = keys.iter().map(|k| question(k, 1)).collect();
    let new = NewQuiz {
        guild,
        channel,
        host: 99,
        config: config.clone(),
        questions: questions.clone(),
        started_at,
    };
    (QuizSession::new(config, questions), new)
}

/// Unique scratch directory under the target directory, removed first if left over.
fn scratch(name: &str) -> PathBuf {
    let dir = PathBuf::from(env!("CARGO_TARGET_TMPDIR"))
        .join(format!("store-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    dir
}

/// Play a quiz through the store as the bot would: every event and press written as it happens.
fn play(
    store: &dyn QuizStore,
    guild: u64,
    channel: u64,
    start: u64,
    presses: &[(usize, u64, usize, u64)],
) -> store::QuizId {
    let (mut s, new) = new_quiz(guild, channel, &["a", "b", "c"], start);
    let id = store.create_quiz(&new).unwrap();
    let events = s.start(start).unwrap();
    store.apply(id, &store::writes(&s, &events, start)).unwrap();
    let mut open = 0;
    for &(index, player, option, at) in presses {
        while open < index {
            let mut events = s.next(at).unwrap();
            events.extend(s.next(at).unwrap());
            store.apply(id, &store::writes(&s, &events, at)).unwrap();
            open += 1;
        }
        let ack = s.answer(
            player,
            &format!("Player {player}"),
            index,
            Given::Choice(option),
            at,
        );
        if let Some(w) = store::answer_write(&ack) {
            store.apply(id, &[w]).unwrap();
        }
    }
    let end = presses.last().map_or(start, |p| p.3) + 1_000;
    let events = s.stop(end).unwrap();
    store.apply(id, &store::writes(&s, &events, end)).unwrap();
    id
}

fn a_stored_quiz_reads_back_as_it_was_played(open: Open) {
    let store = &*open();
    let (mut s, new) = new_quiz(1, 10, &["a", "b"], T0);
    let id = store.create_quiz(&new).unwrap();
    let mut log = s.start(T0).unwrap();
    store.apply(id, &store::writes(&s, &log, T0)).unwrap();
    for (player, option, at) in [
        (1u64, 0usize, T0 + 1_000),
        (2, 1, T0 + 2_000),
        (1, 1, T0 + 3_000),
    ] {
        let ack = s.answer(player, &format!("P{player}"), 0, Given::Choice(option), at);
        store
            .apply(id, &[store::answer_write(&ack).unwrap()])
            .unwrap();
    }
    log = s.next(T0 + 4_000).unwrap();
    store
        .apply(id, &store::writes(&s, &log, T0 + 4_000))
        .unwrap();
    store
        .apply(
            id,
            &[Write::QuestionMessage {
                index: 0,
                message_id: 555,
            }],
        )
        .unwrap();

    let stored = store.load_quiz(id).unwrap().unwrap();
    assert_eq!((stored.guild, stored.channel, stored.host), (1, 10, 99));
    assert_eq!(stored.config, *s.config());
    assert_eq!(stored.questions, s.questions());
    assert_eq!(stored.messages, BTreeMap::from([(0, 555)]));
    assert_eq!(stored.updated_at, T0 + 4_000);
    let restored = stored.session();
    assert_eq!(
        restored.rounds(),
        s.rounds(),
        "every answer, change and time kept"
    );
    assert_eq!(restored.standings(), s.standings());
    assert!(store.load_quiz(id + 1).unwrap().is_none());
}

fn the_leaderboard_is_computed_from_the_stored_answers(open: Open) {
    let store = &*open();
    // (question, player, option, time): option 1 is right.
    play(
        store,
        1,
        10,
        T0,
        &[
            (0, 1, 1, T0 + 1_000),
            (0, 2, 0, T0 + 1_000),
            (0, 2, 1, T0 + 10_000),
            (1, 1, 1, T0 + 12_000),
            (1, 3, 2, T0 + 13_000),
        ],
    );
    // A later quiz in the same guild, and one in another guild that must not count.
    play(store, 1, 11, T0 + 40 * DAY, &[(0, 2, 1, T0 + 40 * DAY)]);
    play(store, 2, 20, T0, &[(0, 1, 1, T0)]);

    let board = store.leaderboard(1, None, 10).unwrap();
    let rows: Vec<(u64, &str, u32, u32, u32, u32)> = board
        .iter()
        .map(|r| {
            (
                r.player,
                r.name.as_str(),
                r.points,
                r.answers,
                r.right,
                r.quizzes,
            )
        })
        .collect();
    // Player 2 changed to the right answer at 10 s: 750, and one answer, not two. Question 2
    // opens with player 1's press, so it is answered at once.
    assert_eq!(
        rows,
        vec![
            (1, "Player 1", 975 + 1000, 2, 2, 1),
            (2, "Player 2", 750 + 1000, 2, 2, 2),
            (3, "Player 3", 0, 1, 0, 1),
        ]
    );
    let recent = store
        .leaderboard(1, Period::Month.since(T0 + 41 * DAY), 10)
        .unwrap();
    assert_eq!(recent.len(), 1, "{recent:?}");
    assert_eq!((recent[0].player, recent[0].points), (2, 1000));
    assert_eq!(store.leaderboard(3, None, 10).unwrap(), vec![]);
    assert_eq!(store.leaderboard(1, None, 1).unwrap().len(), 1);
}

fn one_quiz_per_channel_and_many_channels_at_once(open: Open) {
    let store = &*open();
    let (_, first) = new_quiz(1, 10, &["a"], T0);
    let id = store.create_quiz(&first).unwrap();
    assert!(matches!(
        store.create_quiz(&first),
        Err(StoreError::ChannelBusy)
    ));
    let (_, elsewhere) = new_quiz(1, 11, &["a"], T0);
    store.create_quiz(&elsewhere).unwrap();
    assert_eq!(store.open_quiz_in_channel(10).unwrap(), Some(id));
    store
        .apply(
            id,
            &[Write::Finished {
                reason: EndReason::Completed,
                at: T0 + 1,
            }],
        )
        .unwrap();
    assert_eq!(store.open_quiz_in_channel(10).unwrap(), None);
    store.create_quiz(&first).unwrap();
    assert_eq!(store.unfinished_quizzes().unwrap().len(), 2);
}

fn recent_question_keys_come_from_the_last_quizzes_of_the_guild(open: Open) {
    let store = &*open();
    play(store, 1, 10, T0, &[(2, 1, 1, T0 + 1)]);
    let (mut s, new) = new_quiz(1, 10, &["d", "e"], T0 + DAY);
    let id = store.create_quiz(&new).unwrap();
    let events = s.start(T0 + DAY).unwrap();
    store
        .apply(id, &store::writes(&s, &events, T0 + DAY))
        .unwrap();
    let keys = |n| -> BTreeSet<String> {
        store
            .recent_question_keys(1, n)
            .unwrap()
            .into_iter()
            .collect()
    };
    assert_eq!(
        keys(1),
        BTreeSet::from(["d".to_string()]),
        "only asked questions count"
    );
    assert_eq!(keys(5), ["a", "b", "c", "d"].map(String::from).into());
    assert!(store.recent_question_keys(2, 5).unwrap().is_empty());
}

fn reopening_the_store_keeps_everything_and_migrates_once(open: Open) {
    let id = {
        let store = open();
        play(&*store, 1, 10, T0, &[(0, 1, 1, T0 + 1)])
    };
    let store = open();
    assert!(store.load_quiz(id).unwrap().is_some());
    assert_eq!(store.leaderboard(1, None, 5).unwrap()[0].points, 1000);
}

fn async_callers_never_block_the_runtime(open: Open) {
    // Opened before the runtime: opening PostgreSQL blocks.
    let backend: std::sync::Arc<dyn store::Backend> = open().into();
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    runtime.block_on(async {
        // Dropped inside the runtime at the end, as a bot's tasks drop theirs.
        let store = store::Store::new(backend);
        let (mut s, new) = new_quiz(5, 50, &["a"], T0);
        let id = store.create_quiz(new).await.unwrap();
        let events = s.start(T0).unwrap();
        store
            .apply(id, store::writes(&s, &events, T0))
            .await
            .unwrap();
        let ack = s.answer(8, "Eve", 0, Given::Choice(1), T0 + 500);
        store
            .apply(id, store::answer_write(&ack).into_iter().collect())
            .await
            .unwrap();
        // Other tasks run while the store works on the blocking pool.
        let (board, ()) = tokio::join!(store.leaderboard(5, None, 10), tokio::task::yield_now());
        assert_eq!(board.unwrap()[0].points, 988, "right after 0.5 s of 20");
        assert_eq!(store.open_quiz_in_channel(50).await.unwrap(), Some(id));
        assert_eq!(store.unfinished_quizzes().await.unwrap().len(), 1);
    });
}

// ---------------------------------------------------------------- killed mid-quiz

/// The environment variable that makes the child test below write answers.
const CHILD_DIR: &str = "CLIO_STORE_KILL_TEST_DIR";

/// Not a test on its own: the body of the child process that
/// `answers_recorded_before_a_kill_are_all_in_the_leaderboard` starts and kills. It plays a quiz
/// through the store like the bot does, printing `recorded <question> <player>` after each
/// answer is committed, and never finishes by itself.
#[test]
#[ignore = "run by the kill test as its child process"]
fn child_writes_answers_until_killed() {
    let Some(dir) = std::env::var_os(CHILD_DIR) else {
        return;
    };
    let store = SqliteStore::open(Path::new(&dir)).unwrap();
    let keys: Vec<String> = (0..50).map(|i| format!("q{i}")).collect();
    let keys: Vec<&str> = keys.iter().map(String::as_str).collect();
    let (mut s, new) = new_quiz(1, 10, &keys, T0);
    let id = store.create_quiz(&new).unwrap();
    let mut now = T0;
    let events = s.start(now).unwrap();
    store.apply(id, &store::writes(&s, &events, now)).unwrap();
    for index in 0..50 {
        for player in 1..=20u64 {
            now += 10;
            let ack = s.answer(
                player,
                &format!("Player {player}"),
                index,
                Given::Choice((player % 4) as usize),
                now,
            );
            store
                .apply(id, &[store::answer_write(&ack).unwrap()])
                .unwrap();
            println!("recorded {index} {player}");
            std::thread::sleep(std::time::Duration::from_millis(2));
        }
        let events = s.next(now).unwrap();
        store.apply(id, &store::writes(&s, &events, now)).unwrap();
        let events = s.next(now).unwrap();
        store.apply(id, &store::writes(&s, &events, now)).unwrap();
    }
    // Never end on our own: the parent kills us first.
    std::thread::sleep(std::time::Duration::from_secs(600));
}

#[test]
fn answers_recorded_before_a_kill_are_all_in_the_leaderboard() {
    let dir = scratch("kill");
    std::fs::create_dir_all(&dir).unwrap();
    let mut child = Command::new(std::env::current_exe().unwrap())
        .args([
            "--exact",
            "it::store::child_writes_answers_until_killed",
            "--ignored",
            "--nocapture",
            "--test-threads=1",
        ])
        .env(CHILD_DIR, &dir)
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let stdout = child.stdout.take().unwrap();
    let mut recorded: BTreeMap<u64, BTreeSet<usize>> = BTreeMap::new();
    let mut count = 0;
    for line in BufReader::new(stdout).lines() {
        let line = line.unwrap();
        let Some(rest) = line.strip_prefix("recorded ") else {
            continue;
        };
        let (index, player) = rest.split_once(' ').unwrap();
        recorded
            .entry(player.parse().unwrap())
            .or_default()
            .insert(index.parse().unwrap());
        count += 1;
        // Mid-quiz, mid-question: past the first questions, not on a question boundary.
        if count == 117 {
            break;
        }
    }
    // SIGKILL: no destructor, no flush, no graceful anything.
    child.kill().unwrap();
    let status = child.wait().unwrap();
    assert!(!status.success(), "the child was killed, not finished");
    assert_eq!(count, 117, "the child stopped writing early");

    let store = SqliteStore::open(&dir).unwrap();
    let board = store.leaderboard(1, None, 100).unwrap();
    for (player, questions) in &recorded {
        let row = board
            .iter()
            .find(|r| r.player == *player)
            .unwrap_or_else(|| panic!("player {player} lost: {board:?}"));
        // The child may have committed one more answer than it printed before the kill.
        assert!(
            row.answers as usize >= questions.len(),
            "player {player}: {} answers stored, {} recorded",
            row.answers,
            questions.len()
        );
    }
    // Every printed answer is there, by question.
    let unfinished = store.unfinished_quizzes().unwrap();
    assert_eq!(unfinished.len(), 1, "the killed quiz is unfinished");
    let stored = &unfinished[0];
    for (player, questions) in &recorded {
        for index in questions {
            let round = stored.rounds.iter().find(|r| r.index == *index).unwrap();
            assert!(
                round.answers.contains_key(player),
                "q{index} player {player} lost"
            );
        }
    }
    // Coming back: the quiz is closed cleanly with those scores and the channel is told.
    let back = stored.updated_at + 3_600_000;
    let r = recovery::recover(stored, back, recovery::RESUME_WITHIN_MS);
    assert_eq!(r.decision, recovery::Decision::Closed);
    store.apply(stored.id, &r.writes).unwrap();
    assert!(store.unfinished_quizzes().unwrap().is_empty());
    let standings = r.session.standings();
    let after = store.leaderboard(1, None, 100).unwrap();
    for s in &standings {
        let row = after.iter().find(|r| r.player == s.player).unwrap();
        assert_eq!(
            row.points, s.points,
            "the closing scores are the stored ones"
        );
    }
    assert!(!r.messages.is_empty());
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn a_database_from_before_the_idle_and_failed_endings_keeps_every_answer_when_migrated() {
    // A data directory as the previous version left it: migrations 1 and 2, one quiz, answers.
    let dir = scratch("migrate-3");
    std::fs::create_dir_all(&dir).unwrap();
    let root = super::support::root().join("src/store/migrations");
    {
        let conn = rusqlite::Connection::open(dir.join(store::DB_FILE)).unwrap();
        conn.execute_batch(
            "CREATE TABLE schema_migrations (version INTEGER PRIMARY KEY, applied_at INTEGER NOT NULL);",
        )
        .unwrap();
        for (version, file) in [(1, "0001_quizzes.sql"), (2, "0002_settings.sql")] {
            conn.execute_batch(&std::fs::read_to_string(root.join(file)).unwrap())
                .unwrap();
            conn.execute(
                "INSERT INTO schema_migrations (version, applied_at) VALUES (?1, 0)",
                [version],
            )
            .unwrap();
        }
    }
    // A quiz with a question and an answer, as the previous version wrote them.
    let before = {
        let conn = rusqlite::Connection::open(dir.join(store::DB_FILE)).unwrap();
        conn.execute_batch(
            "INSERT INTO quizzes (guild_id, channel_id, host_id, seed, config, questions, started_at, updated_at)
             VALUES (1, 2, 3, 4, '{}', '[]', 10, 10);
             INSERT INTO quiz_questions (quiz_id, idx, key, kind, opened_at, deadline) VALUES (1, 0, 'k', 'hand-choice', 10, 20);
             INSERT INTO answers (quiz_id, idx, player_id, player_name, given, elapsed_ms, at, changed, verdict, points)
             VALUES (1, 0, 7, 'Ada', '{\"type\":\"choice\",\"value\":1}', 5, 15, 0, 'right', 900);",
        )
        .unwrap();
        conn.query_row("SELECT COUNT(*) FROM answers", [], |r| r.get::<_, i64>(0))
            .unwrap()
    };
    let store = SqliteStore::open(&dir).unwrap();
    store
        .apply(
            1,
            &[Write::Finished {
                reason: EndReason::Idle,
                at: 30,
            }],
        )
        .unwrap();
    let conn = rusqlite::Connection::open(dir.join(store::DB_FILE)).unwrap();
    let after: i64 = conn
        .query_row("SELECT COUNT(*) FROM answers", [], |r| r.get(0))
        .unwrap();
    assert_eq!(after, before, "answers lost in the migration");
    let reason: String = conn
        .query_row("SELECT end_reason FROM quizzes WHERE id = 1", [], |r| {
            r.get(0)
        })
        .unwrap();
    assert_eq!(reason, "idle");
    let broken: Option<String> = conn
        .query_row("PRAGMA foreign_key_check", [], |r| r.get(0))
        .ok();
    assert_eq!(broken, None);
}

// ---------------------------------------------------------------- settings, daily claims, reports

crate::on_both_backends!(
    settings_persist_across_a_reopen,
    a_daily_post_is_claimed_once_per_server_and_day,
    a_stored_report_reads_back_whole_and_resolves_once_in_its_own_server,
    a_reporter_gets_three_reports_per_ten_minutes_and_twenty_per_day,
);

fn settings_persist_across_a_reopen(open: Open) {
    use clio::i18n::Locale;
    use clio::store::DailySetting;
    {
        let store = open();
        assert_eq!(
            store.guild_settings(1).unwrap(),
            clio::store::GuildSettings::default_for(1)
        );
        store.set_quizmaster_role(1, Some(77)).unwrap();
        store.set_locale(1, Some(Locale::Pl)).unwrap();
        store
            .set_daily(
                1,
                Some(DailySetting::new(42, "09:00", "Europe/Warsaw").unwrap()),
            )
            .unwrap();
        store
            .set_daily(
                2,
                Some(DailySetting::new(43, "18:30", "America/Chicago").unwrap()),
            )
            .unwrap();
        store.set_daily(2, None).unwrap();
    }
    let store = open();
    let one = store.guild_settings(1).unwrap();
    assert_eq!(one.quizmaster_role, Some(77));
    assert_eq!(one.locale, Some(Locale::Pl));
    let daily = one.daily.clone().expect("the daily post is set");
    assert_eq!(
        (daily.channel, daily.time.as_str(), daily.zone.as_str()),
        (42, "09:00", "Europe/Warsaw")
    );
    assert_eq!(store.daily_guilds().unwrap(), vec![one]);
    assert_eq!(store.guild_settings(2).unwrap().daily, None);
    store.set_quizmaster_role(1, None).unwrap();
    assert_eq!(store.guild_settings(1).unwrap().quizmaster_role, None);
}

/// The defaults of a server that never set anything.
trait DefaultFor {
    fn default_for(guild: u64) -> Self;
}

impl DefaultFor for clio::store::GuildSettings {
    fn default_for(guild: u64) -> Self {
        clio::store::GuildSettings {
            guild,
            ..Default::default()
        }
    }
}

fn a_daily_post_is_claimed_once_per_server_and_day(open: Open) {
    let day = |s: &str| chrono::NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap();
    {
        let store = open();
        assert_eq!(store.last_daily_claim(1).unwrap(), None);
        assert!(store.claim_daily(1, day("2026-01-15"), 42, T0).unwrap());
        assert!(!store.claim_daily(1, day("2026-01-15"), 42, T0 + 1).unwrap());
        assert!(store.claim_daily(2, day("2026-01-15"), 43, T0).unwrap());
        store
            .mark_daily_posted(1, day("2026-01-15"), T0 + 5)
            .unwrap();
    }
    // A restart, or a second process: the day stays claimed.
    let store = open();
    assert!(!store.claim_daily(1, day("2026-01-15"), 42, T0 + 9).unwrap());
    assert_eq!(store.last_daily_claim(1).unwrap(), Some(day("2026-01-15")));
    assert!(store
        .claim_daily(1, day("2026-01-16"), 42, T0 + DAY)
        .unwrap());
    assert_eq!(store.last_daily_claim(1).unwrap(), Some(day("2026-01-16")));
}

const MINUTE: u64 = 60_000;

pub fn report(reporter: u64, guild: u64, at: u64) -> clio::store::NewReport {
    clio::store::NewReport {
        entry_id: "battle-of-bzura".into(),
        reporter,
        reporter_name: "Ann".into(),
        guild: Some(guild),
        locale: clio::i18n::Locale::Pl,
        text: "The date is wrong".into(),
        source: Some("Jurga, p. 12".into()),
        created_at: at,
    }
}

fn a_stored_report_reads_back_whole_and_resolves_once_in_its_own_server(open: Open) {
    use clio::i18n::Locale;
    use clio::store::{Added, Resolved, LIMITS};
    let store = open();
    let Added::Stored(id) = store.add_report(&report(7, 1, 1_000), &LIMITS).unwrap() else {
        panic!("the first report is stored");
    };
    let open_reports = store.open_reports(1, 0, 5).unwrap();
    assert_eq!(open_reports.len(), 1);
    let r = &open_reports[0];
    assert_eq!(
        (r.id, r.entry_id.as_str(), r.reporter, r.guild, r.locale),
        (id, "battle-of-bzura", 7, Some(1), Locale::Pl)
    );
    assert_eq!(r.source.as_deref(), Some("Jurga, p. 12"));
    assert_eq!((r.created_at, r.resolved_at), (1_000, None));
    assert!(store.open_reports(2, 0, 5).unwrap().is_empty());
    assert_eq!(
        store.resolve_report(id, 2, 9, 2_000).unwrap(),
        Resolved::NotFound,
        "another server cannot resolve it"
    );
    assert_eq!(
        store.resolve_report(id, 1, 9, 2_000).unwrap(),
        Resolved::Done
    );
    assert_eq!(
        store.resolve_report(id, 1, 8, 3_000).unwrap(),
        Resolved::Already { by: 9, at: 2_000 }
    );
    assert_eq!(store.count_open(1).unwrap(), 0);
    assert!(store.all_reports(false).unwrap().is_empty());
    let all = store.all_reports(true).unwrap();
    assert_eq!(
        (all[0].resolved_at, all[0].resolved_by),
        (Some(2_000), Some(9))
    );
}

fn a_reporter_gets_three_reports_per_ten_minutes_and_twenty_per_day(open: Open) {
    use clio::store::{Added, LIMITS};
    let store = open();
    let t0 = 1_000_000_000;
    for i in 0..3 {
        let added = store
            .add_report(&report(7, 1, t0 + i * MINUTE), &LIMITS)
            .unwrap();
        assert!(matches!(added, Added::Stored(_)), "report {i}: {added:?}");
    }
    // The fourth within ten minutes waits until the first is ten minutes old.
    assert_eq!(
        store
            .add_report(&report(7, 1, t0 + 3 * MINUTE), &LIMITS)
            .unwrap(),
        Added::Limited {
            retry_at: t0 + 10 * MINUTE
        }
    );
    assert_eq!(
        store.limited_until(7, t0 + 3 * MINUTE, &LIMITS).unwrap(),
        Some(t0 + 10 * MINUTE)
    );
    // Someone else is not held back.
    assert!(matches!(
        store
            .add_report(&report(8, 1, t0 + 3 * MINUTE), &LIMITS)
            .unwrap(),
        Added::Stored(_)
    ));
    // Eleven minutes on, the ten-minute window has room again; spaced out, twenty a day.
    let mut at = t0 + 11 * MINUTE;
    for _ in 3..20 {
        assert!(matches!(
            store.add_report(&report(7, 1, at), &LIMITS).unwrap(),
            Added::Stored(_)
        ));
        at += 5 * MINUTE;
    }
    assert_eq!(
        store.add_report(&report(7, 1, at), &LIMITS).unwrap(),
        Added::Limited {
            retry_at: t0 + 24 * 60 * MINUTE
        },
        "the twenty-first in a day waits for the first to be a day old"
    );
    assert_eq!(store.count_open(1).unwrap(), 21);
}

/// A finished quiz in guild 1 with five presses and a question message: what `clio migrate`
/// must carry over.
pub fn played_quiz(store: &dyn QuizStore) -> store::QuizId {
    let id = play(
        store,
        1,
        10,
        T0,
        &[
            (0, 1, 1, T0 + 1_000),
            (0, 2, 0, T0 + 1_000),
            (0, 2, 1, T0 + 10_000),
            (1, 1, 1, T0 + 12_000),
            (1, 3, 2, T0 + 13_000),
        ],
    );
    store
        .apply(
            id,
            &[Write::QuestionMessage {
                index: 0,
                message_id: 555,
            }],
        )
        .unwrap();
    id
}
