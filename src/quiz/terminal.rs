//! `clio quiz` in a terminal: a preview for the host to vet the questions before the night, and a
//! one-player game with the same engine and the real clock.
//!
//! The terminal is a second renderer next to Discord, so it writes plain text rather than
//! replies: numbered options to type, no buttons. Input arrives on a channel (a thread reads
//! stdin), which lets the game keep time while it waits for a line.

use std::io::{self, Write};
use std::sync::mpsc::{Receiver, RecvTimeoutError};
use std::time::Duration;

use super::engine::{AnswerAck, EndReason, Phase, QuizEvent, QuizSession};
use super::i18n::{self, q, Q};
use super::judge::{Given, Verdict};
use crate::i18n::Locale;
use crate::knowledge::question::{Answer, Meaning, Question, QuestionKind};
use crate::knowledge::KnowledgeBase;

/// The one player of a terminal game.
const PLAYER: u64 = 1;

/// How the game looks on this terminal.
#[derive(Debug, Clone, Copy, Default)]
pub struct Look {
    /// ANSI colours: only when standard output is a terminal and `NO_COLOR` is unset.
    pub color: bool,
    /// A countdown rewritten in place each second: only on a terminal. Elsewhere the last ten
    /// seconds are printed as lines.
    pub live: bool,
}

impl Look {
    fn paint(&self, code: &str, s: &str) -> String {
        if self.color {
            format!("\x1b[{code}m{s}\x1b[0m")
        } else {
            s.to_string()
        }
    }
}

/// The terminal's words that Discord's quiz does not have.
fn say(locale: Locale, en: &'static str, pl: &'static str) -> &'static str {
    match locale {
        Locale::En => en,
        Locale::Pl => pl,
    }
}

/// How to answer the question, as typed at a terminal (no buttons to press).
fn answer_hint(locale: Locale, answer: &Answer) -> &'static str {
    match answer {
        Answer::Choice { .. } => say(
            locale,
            "Type the number of your answer and press Enter.",
            "Wpisz numer odpowiedzi i naciśnij Enter.",
        ),
        Answer::Free { .. } => say(
            locale,
            "Type your answer and press Enter: small typos and missing accents are forgiven.",
            "Wpisz odpowiedź i naciśnij Enter: drobne literówki i brak polskich znaków są wybaczane.",
        ),
        Answer::Year { .. } => say(
            locale,
            "Type the year and press Enter: one or two years off still scores a little.",
            "Wpisz rok i naciśnij Enter: pomyłka o rok lub dwa też daje trochę punktów.",
        ),
    }
}

/// The countdown line: `⏳ 12 s`.
fn countdown(look: &Look, seconds: u64) -> String {
    let text = format!("⏳ {seconds} s");
    if seconds <= 5 {
        look.paint("31", &text)
    } else {
        look.paint("33", &text)
    }
}

/// Markdown bold means nothing in a terminal.
fn plain(s: &str) -> String {
    s.replace("**", "")
}

fn source_text(kb: &KnowledgeBase, question: &Question) -> Option<String> {
    let source = question.source.as_ref()?;
    let title = kb
        .source(&source.id)
        .map(|s| s.title.clone())
        .unwrap_or_else(|| source.id.clone());
    Some(match &source.quote {
        Some(quote) => format!("{title} [{}] — “{quote}”", source.id),
        None => format!("{title} [{}]", source.id),
    })
}

/// Print every question with its options, the right answer, why, and the source, so a host can
/// vet them. Wrong options are marked with what they mean when it is a date or an amount.
pub fn preview(
    kb: &KnowledgeBase,
    questions: &[Question],
    seed: u64,
    locale: Locale,
    out: &mut impl Write,
) -> io::Result<()> {
    let mut kinds: Vec<QuestionKind> = questions.iter().map(|q| q.kind).collect();
    kinds.sort();
    kinds.dedup();
    writeln!(
        out,
        "Quiz preview: {} questions, seed {seed}, {} kinds ({})",
        questions.len(),
        kinds.len(),
        kinds
            .iter()
            .map(|k| format!(
                "{} ×{}",
                k.as_str(),
                questions.iter().filter(|q| q.kind == *k).count()
            ))
            .collect::<Vec<_>>()
            .join(", ")
    )?;
    for (i, question) in questions.iter().enumerate() {
        writeln!(out)?;
        writeln!(
            out,
            "{}. [{}] {}",
            i + 1,
            question.kind.as_str(),
            plain(question.prompt.get(locale))
        )?;
        match &question.answer {
            Answer::Choice { options, correct } => {
                for (k, o) in options.iter().enumerate() {
                    let mark = if k == *correct { "✓" } else { " " };
                    let meaning = match &o.meaning {
                        Meaning::Entry { id } => format!("  ({id})"),
                        _ => String::new(),
                    };
                    writeln!(out, "   {mark} {}) {}{meaning}", k + 1, o.text.get(locale))?;
                }
            }
            Answer::Free { answer, accepted } => {
                writeln!(out, "   typed answer: {}", answer.get(locale))?;
                if !accepted.is_empty() {
                    writeln!(out, "   also accepted: {}", accepted.join(", "))?;
                }
            }
            Answer::Year { year } => {
                writeln!(
                    out,
                    "   typed year: {year} (one or two years off scores a share)"
                )?;
            }
        }
        writeln!(out, "   answer: {}", question.right_answer(locale))?;
        writeln!(out, "   why: {}", plain(question.explanation.get(locale)))?;
        if let Some(source) = source_text(kb, question) {
            writeln!(out, "   source: {source}")?;
        }
        if let Some(entry) = &question.entry {
            writeln!(out, "   entry: {entry}")?;
        }
    }
    Ok(())
}

fn print_question(
    session: &QuizSession,
    index: usize,
    look: &Look,
    now: u64,
    out: &mut impl Write,
) -> io::Result<()> {
    let locale = session.config().locale;
    let question = &session.questions()[index];
    writeln!(out)?;
    let title = format!(
        "{} ({} s)",
        i18n::question_title(locale, index + 1, session.questions().len()),
        session.config().seconds
    );
    writeln!(out, "{}", look.paint("1", &title))?;
    writeln!(out, "{}", plain(question.prompt.get(locale)))?;
    if let Answer::Choice { options, .. } = &question.answer {
        for (k, o) in options.iter().enumerate() {
            writeln!(
                out,
                "  {}) {}",
                look.paint("1", &(k + 1).to_string()),
                o.text.get(locale)
            )?;
        }
    }
    writeln!(out, "{}", answer_hint(locale, &question.answer))?;
    prompt(session, look, now, out)
}

/// The answer prompt; on a live terminal, a countdown line above it that `tick_live` rewrites.
fn prompt(session: &QuizSession, look: &Look, now: u64, out: &mut impl Write) -> io::Result<()> {
    if look.live {
        let left = session.remaining_ms(now).unwrap_or(0).div_ceil(1000);
        writeln!(out, "{}", countdown(look, left))?;
    }
    write!(out, "> ")?;
    out.flush()
}

/// Rewrite the countdown line above the prompt, leaving the cursor (and what the player has
/// typed so far) where it is: save the cursor, go up a line, write, restore.
fn tick_live(look: &Look, seconds: u64, out: &mut impl Write) -> io::Result<()> {
    write!(
        out,
        "\x1b7\x1b[1A\r\x1b[2K{}\x1b8",
        countdown(look, seconds)
    )?;
    out.flush()
}

fn print_reveal(
    kb: &KnowledgeBase,
    session: &QuizSession,
    index: usize,
    look: &Look,
    out: &mut impl Write,
) -> io::Result<()> {
    let locale = session.config().locale;
    let question = &session.questions()[index];
    let mine = session.round(index).and_then(|r| r.answers.get(&PLAYER));
    let (verdict, colour) = match (mine.map(|a| a.verdict), locale) {
        (Some(Verdict::Right), Locale::En) => ("Right!", "32"),
        (Some(Verdict::Right), Locale::Pl) => ("Dobrze!", "32"),
        (Some(Verdict::Close), Locale::En) => ("Close.", "33"),
        (Some(Verdict::Close), Locale::Pl) => ("Blisko.", "33"),
        (Some(Verdict::Wrong), Locale::En) => ("Wrong.", "31"),
        (Some(Verdict::Wrong), Locale::Pl) => ("Źle.", "31"),
        (None, _) => ("", "33"),
    };
    // "Time is up" is a heading on Discord; here a sentence before "The answer: …".
    let verdict = match mine {
        Some(_) => verdict.to_string(),
        None => format!("{}.", q(locale, Q::TimeUp)),
    };
    let verdict = look.paint(&format!("1;{colour}"), &verdict);
    writeln!(out)?;
    writeln!(
        out,
        "{verdict} {}: {} (+{})",
        q(locale, Q::TheAnswer),
        question.right_answer(locale),
        i18n::points(locale, mine.map_or(0, |a| a.points))
    )?;
    writeln!(out, "{}", plain(question.explanation.get(locale)))?;
    if let Some(source) = source_text(kb, question) {
        writeln!(out, "{}: {source}", q(locale, Q::Source))?;
    }
    let more = say(
        locale,
        "Press Enter for the next question (or type quit).",
        "Naciśnij Enter, by przejść dalej (albo wpisz wyjdź).",
    );
    if index + 1 < session.questions().len() {
        writeln!(out, "{more}")?;
    }
    out.flush()
}

fn print_end(
    session: &QuizSession,
    reason: EndReason,
    look: &Look,
    out: &mut impl Write,
) -> io::Result<()> {
    let locale = session.config().locale;
    let why = match reason {
        EndReason::Completed => q(locale, Q::Completed),
        EndReason::Stopped | EndReason::Interrupted | EndReason::Idle | EndReason::Failed => say(
            locale,
            "You stopped the quiz. Your score so far:",
            "Quiz przerwany. Twój dotychczasowy wynik:",
        ),
    };
    writeln!(out)?;
    writeln!(out, "{why}")?;
    let standing = session.standings().into_iter().next();
    let (points, right, answered) = standing.map_or((0, 0, 0), |s| (s.points, s.right, s.answered));
    let total = session.questions().len() as u64;
    let unanswered = total.saturating_sub(u64::from(answered));
    writeln!(
        out,
        "{}: {} ({}, {}, {})",
        q(locale, Q::FinalStandings),
        look.paint("1", &i18n::points(locale, points)),
        i18n::standing_line(locale, right, answered),
        unanswered_text(locale, unanswered),
        crate::i18n::counted(
            locale,
            total,
            ("question", "questions"),
            ("pytanie", "pytania", "pytań")
        )
    )?;
    writeln!(out, "{}", replay_text(locale, session.config().seed))?;
    out.flush()
}

/// The questions left without an answer (time up, or not reached before quitting).
fn unanswered_text(locale: Locale, n: u64) -> String {
    match locale {
        Locale::En => format!("{n} unanswered"),
        Locale::Pl => format!("{n} bez odpowiedzi"),
    }
}

/// The seed, so the same quiz can be played again.
fn replay_text(locale: Locale, seed: u64) -> String {
    match locale {
        Locale::En => format!("Seed {seed}: play this quiz again with `clio quiz --seed {seed}`."),
        Locale::Pl => format!(
            "Ziarno {seed}: ten sam quiz zagrasz ponownie poleceniem `clio quiz --seed {seed}`."
        ),
    }
}

/// Read what the player typed as an answer to the open question.
fn parse_answer(question: &Question, line: &str) -> Option<Given> {
    match &question.answer {
        Answer::Choice { options, .. } => {
            let n: usize = line.trim().trim_end_matches(')').parse().ok()?;
            (1..=options.len())
                .contains(&n)
                .then(|| Given::Choice(n - 1))
        }
        _ => (!line.trim().is_empty()).then(|| Given::Text(line.trim().to_string())),
    }
}

/// Play a one-player quiz: questions in turn, answers typed, the real clock from `now`. Input
/// ends the game when it closes or the player types `quit`. Plain text, as on a pipe.
pub fn play(
    kb: &KnowledgeBase,
    session: QuizSession,
    input: Receiver<String>,
    out: &mut impl Write,
    now: impl Fn() -> u64,
) -> io::Result<QuizSession> {
    play_with(kb, session, input, out, now, Look::default())
}

/// [`play`], with colours and a live countdown when `look` says so.
pub fn play_with(
    kb: &KnowledgeBase,
    mut session: QuizSession,
    input: Receiver<String>,
    out: &mut impl Write,
    now: impl Fn() -> u64,
    look: Look,
) -> io::Result<QuizSession> {
    let locale = session.config().locale;
    let config = session.config();
    let header = match locale {
        Locale::En => format!(
            "Quiz: {}, {} s each, seed {} (the same seed replays it: --seed {}). Type quit to stop.",
            crate::i18n::counted(locale, session.questions().len() as u64, ("question", "questions"), ("pytanie", "pytania", "pytań")),
            config.seconds,
            config.seed,
            config.seed
        ),
        Locale::Pl => format!(
            "Quiz: {}, po {} s, ziarno {} (to samo ziarno powtarza quiz: --seed {}). Wpisz wyjdź, by przerwać.",
            crate::i18n::counted(locale, session.questions().len() as u64, ("question", "questions"), ("pytanie", "pytania", "pytań")),
            config.seconds,
            config.seed,
            config.seed
        ),
    };
    writeln!(out, "{}", look.paint("2", &header))?;
    let events = session.start(now()).unwrap_or_default();
    handle(kb, &session, &events, &look, now(), out)?;
    let mut shown_second: Option<u64> = None;
    while !session.is_finished() {
        let wait = session
            .wake_at(now())
            .map_or(Duration::from_millis(500), |at| {
                Duration::from_millis(at.saturating_sub(now()).clamp(10, 500))
            });
        let wait = if look.live {
            wait.min(Duration::from_millis(250))
        } else {
            wait
        };
        let events = match input.recv_timeout(wait) {
            Ok(line) if is_quit(&line) => session.stop(now()).unwrap_or_default(),
            Ok(line) => match session.phase() {
                Phase::Asking { index } => {
                    let question = &session.questions()[index];
                    match parse_answer(question, &line) {
                        Some(given) => {
                            let t = now();
                            let ack = session.answer(PLAYER, "you", index, given, t);
                            if let AnswerAck::Recorded { .. } = ack {
                                // One player: no one else to wait for.
                                session.next(t).unwrap_or_default()
                            } else {
                                writeln!(out, "{}", q(locale, Q::AckClosed))?;
                                session.tick(t)
                            }
                        }
                        None => {
                            let hint = match (&question.answer, locale) {
                                (Answer::Choice { options, .. }, Locale::En) => {
                                    format!("Type a number from 1 to {}, or quit.", options.len())
                                }
                                (Answer::Choice { options, .. }, Locale::Pl) => {
                                    format!("Wpisz liczbę od 1 do {} albo wyjdź.", options.len())
                                }
                                (answer, _) => answer_hint(locale, answer).to_string(),
                            };
                            writeln!(out, "{hint}")?;
                            prompt(&session, &look, now(), out)?;
                            Vec::new()
                        }
                    }
                }
                Phase::Revealed { .. } => session.next(now()).unwrap_or_default(),
                _ => Vec::new(),
            },
            Err(RecvTimeoutError::Timeout) => session.tick(now()),
            Err(RecvTimeoutError::Disconnected) => session.stop(now()).unwrap_or_default(),
        };
        if !events.is_empty() {
            shown_second = None;
        }
        handle(kb, &session, &events, &look, now(), out)?;
        if look.live {
            if let (Phase::Asking { .. }, Some(left)) =
                (session.phase(), session.remaining_ms(now()))
            {
                let second = left.div_ceil(1000);
                if shown_second != Some(second) {
                    shown_second = Some(second);
                    tick_live(&look, second, out)?;
                }
            }
        }
    }
    Ok(session)
}

/// The words that stop the game, in either language.
fn is_quit(line: &str) -> bool {
    matches!(
        line.trim().to_lowercase().as_str(),
        "quit" | "q" | "exit" | "wyjdź" | "wyjdz" | "koniec"
    )
}

fn handle(
    kb: &KnowledgeBase,
    session: &QuizSession,
    events: &[QuizEvent],
    look: &Look,
    now: u64,
    out: &mut impl Write,
) -> io::Result<()> {
    for event in events {
        match event {
            QuizEvent::QuestionOpened { index } => print_question(session, *index, look, now, out)?,
            // A live terminal rewrites its countdown line instead.
            QuizEvent::Countdown { remaining_ms, .. } if *remaining_ms <= 10_000 && !look.live => {
                write!(
                    out,
                    "\n{}\n> ",
                    countdown(look, remaining_ms.div_ceil(1000))
                )?;
                out.flush()?;
            }
            QuizEvent::Revealed { index } => print_reveal(kb, session, *index, look, out)?,
            QuizEvent::Finished { reason } => print_end(session, *reason, look, out)?,
            // The terminal quiz has one player: no teams, no rounds.
            QuizEvent::Countdown { .. }
            | QuizEvent::Paused
            | QuizEvent::Resumed
            | QuizEvent::LobbyOpened
            | QuizEvent::IntermissionBegan { .. } => {}
        }
    }
    Ok(())
}
