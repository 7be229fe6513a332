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

fn print_question(session: &QuizSession, index: usize, out: &mut impl Write) -> io::Result<()> {
    let locale = session.config().locale;
    let question = &session.questions()[index];
    writeln!(out)?;
    writeln!(
        out,
        "{} ({} s)",
        i18n::question_title(locale, index + 1, session.questions().len()),
        session.config().seconds
    )?;
    writeln!(out, "{}", plain(question.prompt.get(locale)))?;
    match &question.answer {
        Answer::Choice { options, .. } => {
            for (k, o) in options.iter().enumerate() {
                writeln!(out, "  {}) {}", k + 1, o.text.get(locale))?;
            }
            let hint = match locale {
                Locale::En => "Type the number of your answer.",
                Locale::Pl => "Wpisz numer odpowiedzi.",
            };
            writeln!(out, "{hint}")?;
        }
        Answer::Free { .. } => writeln!(out, "{}", plain(q(locale, Q::TypeHint)))?,
        Answer::Year { .. } => writeln!(out, "{}", plain(q(locale, Q::YearHint)))?,
    }
    write!(out, "> ")?;
    out.flush()
}

fn print_reveal(
    kb: &KnowledgeBase,
    session: &QuizSession,
    index: usize,
    out: &mut impl Write,
) -> io::Result<()> {
    let locale = session.config().locale;
    let question = &session.questions()[index];
    let mine = session.round(index).and_then(|r| r.answers.get(&PLAYER));
    let verdict = match (mine.map(|a| a.verdict), locale) {
        (Some(Verdict::Right), Locale::En) => "Right!",
        (Some(Verdict::Right), Locale::Pl) => "Dobrze!",
        (Some(Verdict::Close), Locale::En) => "Close.",
        (Some(Verdict::Close), Locale::Pl) => "Blisko.",
        (Some(Verdict::Wrong), Locale::En) => "Wrong.",
        (Some(Verdict::Wrong), Locale::Pl) => "Źle.",
        (None, _) => q(locale, Q::TimeUp),
    };
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
    let more = match locale {
        Locale::En => "Press Enter for the next question (or type quit).",
        Locale::Pl => "Naciśnij Enter, by przejść dalej (albo wpisz quit).",
    };
    if index + 1 < session.questions().len() {
        writeln!(out, "{more}")?;
    }
    out.flush()
}

fn print_end(session: &QuizSession, reason: EndReason, out: &mut impl Write) -> io::Result<()> {
    let locale = session.config().locale;
    let why = match reason {
        EndReason::Completed => q(locale, Q::Completed),
        EndReason::Stopped | EndReason::Interrupted | EndReason::Idle | EndReason::Failed => {
            q(locale, Q::Stopped)
        }
    };
    writeln!(out)?;
    writeln!(out, "{why}")?;
    let standing = session.standings().into_iter().next();
    let (points, right, answered) = standing.map_or((0, 0, 0), |s| (s.points, s.right, s.answered));
    writeln!(
        out,
        "{}: {} ({}, {} {})",
        q(locale, Q::FinalStandings),
        i18n::points(locale, points),
        i18n::standing_line(locale, right, answered),
        session.questions().len(),
        match locale {
            Locale::En => "questions",
            Locale::Pl => "pytań",
        }
    )?;
    out.flush()
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
/// ends the game when it closes or the player types `quit`.
pub fn play(
    kb: &KnowledgeBase,
    mut session: QuizSession,
    input: Receiver<String>,
    out: &mut impl Write,
    now: impl Fn() -> u64,
) -> io::Result<QuizSession> {
    let locale = session.config().locale;
    let events = session.start(now()).unwrap_or_default();
    handle(kb, &session, &events, out)?;
    while !session.is_finished() {
        let wait = session
            .wake_at(now())
            .map_or(Duration::from_millis(500), |at| {
                Duration::from_millis(at.saturating_sub(now()).clamp(10, 500))
            });
        let events = match input.recv_timeout(wait) {
            Ok(line) if matches!(line.trim(), "quit" | "q" | "exit") => {
                session.stop(now()).unwrap_or_default()
            }
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
                            let hint = match locale {
                                Locale::En => "Type one of the numbers shown, or quit.",
                                Locale::Pl => "Wpisz jeden z podanych numerów albo quit.",
                            };
                            write!(out, "{hint}\n> ")?;
                            out.flush()?;
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
        handle(kb, &session, &events, out)?;
    }
    Ok(session)
}

fn handle(
    kb: &KnowledgeBase,
    session: &QuizSession,
    events: &[QuizEvent],
    out: &mut impl Write,
) -> io::Result<()> {
    for event in events {
        match event {
            QuizEvent::QuestionOpened { index } => print_question(session, *index, out)?,
            QuizEvent::Countdown { remaining_ms, .. } if *remaining_ms <= 10_000 => {
                write!(out, "\n⏳ {} s\n> ", remaining_ms.div_ceil(1000))?;
                out.flush()?;
            }
            QuizEvent::Revealed { index } => print_reveal(kb, session, *index, out)?,
            QuizEvent::Finished { reason } => print_end(session, *reason, out)?,
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
