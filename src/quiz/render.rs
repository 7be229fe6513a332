//! The quiz's messages as transport-neutral replies: the question with its countdown, the press
//! confirmation, the reveal, the standings, the podium and the recap, the leaderboard.
//!
//! A quiz night outlasts an interaction's 15 minutes, so these are channel messages that the
//! adapter posts and edits with the bot's own token; only the press confirmation is an ephemeral
//! interaction reply. Every function is pure: the same session renders the same message, which
//! is what lets the countdown be an edit of the question message rather than a new one.

use super::action::QuizAction;
use super::engine::{AnswerAck, EndReason, Mode, QuizSession, Standing};
use super::i18n::{self, q, Q};
use super::judge::{Given, Verdict};
use super::night;
use super::persist::LeaderRow;
use crate::answers::{Button, ButtonStyle, Ctx, Embed, Reply, Response};
use crate::i18n::Locale;
use crate::knowledge::question::{Answer, Question};
use crate::knowledge::KnowledgeBase;
use crate::reply::{InputStyle, Modal, TextInput};
use crate::text::{escape_markdown, shorten};

const ASKING: u32 = 0x3B82F6;
const REVEALED: u32 = 0x22C55E;
const FINISHED: u32 = 0xF59E0B;
const NOTICE: u32 = 0x64748B;

const LETTERS: [&str; 5] = ["A", "B", "C", "D", "E"];

fn letter(i: usize) -> &'static str {
    LETTERS.get(i).copied().unwrap_or("?")
}

fn progress_bar(remaining_ms: u64, limit_ms: u64) -> String {
    let cells = 10u64;
    let full = (remaining_ms * cells).div_ceil(limit_ms.max(1)).min(cells);
    format!(
        "{}{}",
        "▰".repeat(full as usize),
        "▱".repeat((cells - full) as usize)
    )
}

/// The options as lines under the question: `**A** · text`.
fn option_lines(question: &Question, locale: Locale, marks: Option<(&[usize], usize)>) -> String {
    match &question.answer {
        Answer::Choice { options, .. } => options
            .iter()
            .enumerate()
            .map(|(i, o)| {
                let text = o.text.get(locale);
                match marks {
                    None => format!("**{}** · {text}", letter(i)),
                    Some((counts, correct)) => {
                        let mark = if i == correct { "✅" } else { "▫️" };
                        let n = counts.get(i).copied().unwrap_or(0);
                        format!("{mark} **{}** · {text} — {n}", letter(i))
                    }
                }
            })
            .collect::<Vec<_>>()
            .join("\n"),
        _ => String::new(),
    }
}

fn question_embed(session: &QuizSession, index: usize, locale: Locale) -> Embed {
    let question = &session.questions()[index];
    Embed {
        title: Some(i18n::question_title(
            locale,
            index + 1,
            session.questions().len(),
        )),
        description: Some(question.prompt.get(locale).to_string()),
        color: Some(ASKING),
        ..Default::default()
    }
}

/// The question message, posted when the question opens and edited in place as time runs: the
/// options, the time left, how many have answered, and the buttons to answer.
pub fn question_message(session: &QuizSession, quiz: u64, index: usize, now: u64) -> Reply {
    let locale = session.config().locale;
    let Some(question) = session.question(index) else {
        return Reply::default().fit();
    };
    let limit = session.config().limit_ms();
    let remaining = session.remaining_ms(now).unwrap_or(0);
    let mut embed = question_embed(session, index, locale);
    let options = option_lines(question, locale, None);
    if !options.is_empty() {
        let prompt = embed.description.take().unwrap_or_default();
        embed.description = Some(format!("{prompt}\n\n{options}"));
    }
    let time = if session.is_paused() {
        format!(
            "{} · {}",
            q(locale, Q::Paused),
            i18n::seconds_left(locale, remaining.div_ceil(1000))
        )
    } else {
        format!(
            "⏳ {} {}",
            i18n::seconds_left(locale, remaining.div_ceil(1000)),
            progress_bar(remaining, limit)
        )
    };
    embed = embed.field(q(locale, Q::TimeLeft), time, true).field(
        q(locale, Q::Answers),
        i18n::answered_count(locale, session.answered(index)),
        true,
    );
    embed.footer = Some(
        match &question.answer {
            Answer::Choice { .. } => q(locale, Q::PressHint),
            Answer::Free { .. } => q(locale, Q::TypeHint),
            Answer::Year { .. } => q(locale, Q::YearHint),
        }
        .to_string(),
    );
    let mut reply = Reply::embed(embed)
        .with_row(answer_buttons(question, quiz, index, locale, None))
        .with_row(night::render::hint_row(session, quiz, index));
    if session.config().mode == Mode::Host {
        reply = reply.with_row(vec![Button::new(
            q(locale, Q::RevealNow),
            QuizAction::Next { quiz }.custom_id(),
            ButtonStyle::Secondary,
        )]);
    }
    reply.fit()
}

/// The answer buttons: live while the question is open, disabled with the right one green after.
fn answer_buttons(
    question: &Question,
    quiz: u64,
    index: usize,
    locale: Locale,
    revealed: Option<usize>,
) -> Vec<Button> {
    match &question.answer {
        Answer::Choice { options, .. } => options
            .iter()
            .enumerate()
            .map(|(i, o)| {
                let label = format!("{} · {}", letter(i), o.text.get(locale));
                let custom_id = QuizAction::Answer {
                    quiz,
                    question: index,
                    option: i,
                }
                .custom_id();
                let mut b = match revealed {
                    Some(right) if right == i => {
                        Button::new(label, custom_id, ButtonStyle::Success)
                    }
                    Some(_) => Button::new(label, custom_id, ButtonStyle::Secondary),
                    None => Button::new(label, custom_id, ButtonStyle::Primary),
                };
                b.disabled = revealed.is_some();
                b
            })
            .collect(),
        Answer::Free { .. } | Answer::Year { .. } => {
            let mut b = Button::new(
                format!("✍️ {}", q(locale, Q::AnswerButton)),
                QuizAction::OpenTextBox {
                    quiz,
                    question: index,
                }
                .custom_id(),
                ButtonStyle::Primary,
            );
            b.disabled = revealed.is_some();
            vec![b]
        }
    }
}

/// The words of a given answer: `B · text` or the typed text.
fn given_words(question: &Question, given: &Given, locale: Locale) -> String {
    match (given, &question.answer) {
        (Given::Choice(i), Answer::Choice { options, .. }) => format!(
            "{} · {}",
            letter(*i),
            options.get(*i).map(|o| o.text.get(locale)).unwrap_or("")
        ),
        (Given::Text(t), _) => format!("“{}”", escape_markdown(t)),
        (Given::Choice(i), _) => letter(*i).to_string(),
    }
}

/// The confirmation of a press, for the presser alone.
pub fn press_ack(session: &QuizSession, ack: &AnswerAck) -> Reply {
    let locale = session.config().locale;
    let text = match ack {
        AnswerAck::Recorded { record, .. } => {
            let words = session
                .question(record.index)
                .map(|qn| given_words(qn, &record.given, locale))
                .unwrap_or_default();
            if record.changed {
                i18n::ack_changed(locale, &words)
            } else {
                i18n::ack_recorded(locale, &words)
            }
        }
        AnswerAck::Unchanged { given } => {
            let words = session
                .open_question()
                .and_then(|i| session.question(i))
                .map(|qn| given_words(qn, given, locale))
                .unwrap_or_default();
            i18n::ack_unchanged(locale, &words)
        }
        AnswerAck::Closed => q(locale, Q::AckClosed).to_string(),
        AnswerAck::Paused => q(locale, Q::AckPaused).to_string(),
        AnswerAck::NotStarted => q(locale, Q::AckNotStarted).to_string(),
        AnswerAck::Finished => q(locale, Q::AckFinished).to_string(),
        AnswerAck::Invalid => q(locale, Q::AckInvalid).to_string(),
    };
    Reply {
        content: Some(text),
        ..Default::default()
    }
    .ephemeral()
    .fit()
}

fn standings_lines(standings: &[Standing], locale: Locale, take: usize) -> String {
    standings
        .iter()
        .take(take)
        .map(|s| {
            format!(
                "{}. {} — {} ({})",
                s.rank,
                escape_markdown(&s.name),
                i18n::points(locale, s.points),
                i18n::standing_line(locale, s.right, s.answered)
            )
        })
        .collect::<Vec<_>>()
        .join("\n")
}

/// The reveal: the question message edited so its buttons are disabled and the right one green,
/// with the answer named, the explanation and source, who got it right, and the running top 5.
pub fn reveal_message(
    session: &QuizSession,
    quiz: u64,
    index: usize,
    kb: Option<&KnowledgeBase>,
) -> Reply {
    let locale = session.config().locale;
    let Some(question) = session.question(index) else {
        return Reply::default().fit();
    };
    let round = session.round(index);
    let correct = match &question.answer {
        Answer::Choice { correct, .. } => Some(*correct),
        _ => None,
    };
    let mut counts = vec![0usize; question.option_count()];
    if let Some(r) = round {
        for a in r.answers.values() {
            if let Given::Choice(i) = a.given {
                if let Some(c) = counts.get_mut(i) {
                    *c += 1;
                }
            }
        }
    }
    let mut first = question_embed(session, index, locale);
    if let Some(correct) = correct {
        let prompt = first.description.take().unwrap_or_default();
        first.description = Some(format!(
            "{prompt}\n\n{}",
            option_lines(question, locale, Some((&counts, correct)))
        ));
    }
    first = first
        .field(q(locale, Q::TimeLeft), q(locale, Q::TimeUp), true)
        .field(
            q(locale, Q::Answers),
            i18n::answered_count(locale, session.answered(index)),
            true,
        );

    let mut scorers: Vec<(&str, u32, Verdict)> = round
        .map(|r| {
            r.answers
                .iter()
                .filter(|(_, a)| a.verdict != Verdict::Wrong)
                .map(|(p, a)| (session.player_name(*p).unwrap_or(""), a.points, a.verdict))
                .collect()
        })
        .unwrap_or_default();
    scorers.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(b.0)));
    let right_list = name_list(
        scorers
            .iter()
            .filter(|s| s.2 == Verdict::Right)
            .map(|s| (s.0, s.1)),
        locale,
    );
    let close_list = name_list(
        scorers
            .iter()
            .filter(|s| s.2 == Verdict::Close)
            .map(|s| (s.0, s.1)),
        locale,
    );
    let mut second = Embed {
        title: Some(format!("✅ {}", question.right_answer(locale))),
        description: Some(question.explanation.get(locale).to_string()),
        color: Some(REVEALED),
        ..Default::default()
    }
    .field(q(locale, Q::Source), source_line(question, kb), false)
    .field(
        q(locale, Q::GotItRight),
        if right_list.is_empty() {
            q(locale, Q::Nobody).to_string()
        } else {
            right_list
        },
        false,
    )
    .field(q(locale, Q::CloseEnough), close_list, false);
    second = night::render::with_team_field(session, second);
    let standings = session.standings();
    if !standings.is_empty() {
        second = second.field(
            q(locale, Q::Top5),
            standings_lines(&standings, locale, 5),
            false,
        );
    }

    let reply = Reply {
        embeds: vec![first, second],
        ..Default::default()
    }
    .with_row(answer_buttons(
        question,
        quiz,
        index,
        locale,
        correct.or(Some(usize::MAX)),
    ));
    let mut links = Vec::new();
    if let Some(id) = &question.entry {
        let name = kb
            .and_then(|kb| kb.get(id))
            .map(|e| e.name(locale).to_string())
            .unwrap_or_else(|| id.clone());
        links.push(Button::new(
            format!("📖 {name}"),
            QuizAction::Entry { id: id.clone() }.custom_id(),
            ButtonStyle::Secondary,
        ));
    }
    if session.config().mode == Mode::Host && !session.is_finished() {
        let last = index + 1 >= session.questions().len();
        links.push(Button::new(
            q(locale, if last { Q::SeeResults } else { Q::NextQuestion }),
            QuizAction::Next { quiz }.custom_id(),
            ButtonStyle::Primary,
        ));
    }
    reply.with_row(links).fit()
}

/// `name (points)` for up to fifteen players, then how many more.
fn name_list<'a>(items: impl Iterator<Item = (&'a str, u32)>, locale: Locale) -> String {
    let items: Vec<(&str, u32)> = items.collect();
    let mut out: Vec<String> = items
        .iter()
        .take(15)
        .map(|(n, p)| format!("{} ({})", escape_markdown(n), i18n::points(locale, *p)))
        .collect();
    if items.len() > 15 {
        out.push(format!("+{}", items.len() - 15));
    }
    out.join(", ")
}

pub fn source_line(question: &Question, kb: Option<&KnowledgeBase>) -> String {
    let Some(source) = &question.source else {
        return String::new();
    };
    let title = kb
        .and_then(|kb| kb.source(&source.id))
        .map(|s| s.title.clone())
        .unwrap_or_else(|| source.id.clone());
    match &source.quote {
        Some(quote) => format!("*{}*\n> {}", title, shorten(quote, 400)),
        None => format!("*{title}*"),
    }
}

/// The running standings, for `/quiz scores`.
pub fn standings_message(session: &QuizSession) -> Reply {
    let locale = session.config().locale;
    let standings = session.standings();
    let text = if standings.is_empty() {
        q(locale, Q::NobodyScored).to_string()
    } else {
        standings_lines(&standings, locale, 20)
    };
    let teams = night::render::with_team_field(session, Embed::default());
    Reply::embed(Embed {
        title: Some(q(locale, Q::Standings).to_string()),
        description: Some(text),
        color: Some(ASKING),
        fields: teams.fields,
        ..Default::default()
    })
    .fit()
}

/// The end: why it ended, the podium, and the rest of the standings.
pub fn final_message(session: &QuizSession, reason: EndReason) -> Reply {
    let locale = session.config().locale;
    let standings = session.standings();
    let why = match reason {
        EndReason::Completed => q(locale, Q::Completed),
        EndReason::Stopped => q(locale, Q::Stopped),
        EndReason::Interrupted => q(locale, Q::Interrupted),
        EndReason::Idle => q(locale, Q::Idle),
        EndReason::Failed => q(locale, Q::Failed),
    };
    let medals = ["🥇", "🥈", "🥉"];
    let podium: Vec<String> = standings
        .iter()
        .filter(|s| s.rank <= 3 && s.points > 0)
        .map(|s| {
            format!(
                "{} **{}** — {} ({})",
                medals[s.rank - 1],
                escape_markdown(&s.name),
                i18n::points(locale, s.points),
                i18n::standing_line(locale, s.right, s.answered)
            )
        })
        .collect();
    let description = if podium.is_empty() {
        let none = if standings.is_empty() {
            Q::NobodyScored
        } else {
            Q::NoPoints
        };
        format!("{why}\n\n{}", q(locale, none))
    } else {
        format!("{why}\n\n{}", podium.join("\n"))
    };
    let rest: Vec<Standing> = standings
        .iter()
        .filter(|s| !(s.rank <= 3 && s.points > 0))
        .take(20)
        .cloned()
        .collect();
    Reply::embed(
        night::render::with_team_field(
            session,
            Embed {
                title: Some(format!("🏆 {}", q(locale, Q::FinalStandings))),
                description: Some(description),
                color: Some(FINISHED),
                ..Default::default()
            },
        )
        .field(
            q(locale, Q::Standings),
            standings_lines(&rest, locale, 20),
            false,
        ),
    )
    .fit()
}

/// The recap to review after the night: every asked question, its answer and who got what, in
/// messages of eight questions each.
pub fn recap_messages(session: &QuizSession) -> Vec<Reply> {
    let locale = session.config().locale;
    let asked: Vec<usize> = session.rounds().iter().map(|r| r.index).collect();
    asked
        .chunks(8)
        .enumerate()
        .map(|(part, chunk)| {
            let mut embed = Embed {
                title: Some(if asked.len() > 8 {
                    format!(
                        "📜 {} ({}/{})",
                        q(locale, Q::Recap),
                        part + 1,
                        asked.len().div_ceil(8)
                    )
                } else {
                    format!("📜 {}", q(locale, Q::Recap))
                }),
                color: Some(NOTICE),
                ..Default::default()
            };
            for &index in chunk {
                let Some(question) = session.question(index) else {
                    continue;
                };
                let mut value = format!("✅ {}", question.right_answer(locale));
                if let Some(round) = session.round(index) {
                    let mut lines: Vec<(u32, String)> = round
                        .answers
                        .iter()
                        .map(|(p, a)| {
                            let mark = match a.verdict {
                                Verdict::Right => "✅",
                                Verdict::Close => "≈",
                                Verdict::Wrong => "❌",
                            };
                            (
                                a.points,
                                format!(
                                    "{mark} {}: {} ({})",
                                    escape_markdown(session.player_name(*p).unwrap_or("")),
                                    given_words(question, &a.given, locale),
                                    i18n::points(locale, a.points)
                                ),
                            )
                        })
                        .collect();
                    lines.sort_by(|a, b| b.0.cmp(&a.0).then(a.1.cmp(&b.1)));
                    let shown: Vec<String> = lines.iter().take(6).map(|l| l.1.clone()).collect();
                    if !shown.is_empty() {
                        value.push('\n');
                        value.push_str(&shown.join("\n"));
                    }
                    if lines.len() > 6 {
                        value.push_str(&format!("\n+{}", lines.len() - 6));
                    }
                }
                embed = embed.field(
                    format!(
                        "{}. {}",
                        index + 1,
                        shorten(question.prompt.get(locale), 200)
                    ),
                    shorten(&value, 600),
                    false,
                );
            }
            Reply::embed(embed).fit()
        })
        .collect()
}

/// A short message to the channel (paused, resumed, restarted) or to one person (not the host).
pub fn notice(text: impl Into<String>, ephemeral: bool) -> Reply {
    let reply = Reply::embed(Embed {
        description: Some(text.into()),
        color: Some(NOTICE),
        ..Default::default()
    });
    if ephemeral { reply.ephemeral() } else { reply }.fit()
}

/// The message that opens a quiz night.
pub fn announcement(session: &QuizSession, topic_label: Option<&str>) -> Reply {
    let c = session.config();
    let mut text = i18n::announcement(
        c.locale,
        session.questions().len(),
        c.seconds,
        topic_label,
        c.mode == Mode::Host,
    );
    if session.questions().len() < c.questions {
        text.push('\n');
        text.push_str(&i18n::fewer_questions(
            c.locale,
            session.questions().len(),
            c.questions,
        ));
    }
    notice(text, false)
}

/// The period of a leaderboard.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Period {
    Week,
    Month,
    #[default]
    All,
}

impl Period {
    pub fn parse(s: &str) -> Option<Period> {
        match s.trim().to_lowercase().as_str() {
            "week" | "tydzień" | "tydzien" => Some(Period::Week),
            "month" | "miesiąc" | "miesiac" => Some(Period::Month),
            "all" | "" | "wszystko" => Some(Period::All),
            _ => None,
        }
    }

    /// The earliest answer time counted, for a clock in Unix milliseconds.
    pub fn since(self, now_ms: u64) -> Option<u64> {
        let day = 86_400_000u64;
        match self {
            Period::Week => Some(now_ms.saturating_sub(7 * day)),
            Period::Month => Some(now_ms.saturating_sub(30 * day)),
            Period::All => None,
        }
    }

    pub fn label(self, locale: Locale) -> &'static str {
        match self {
            Period::Week => q(locale, Q::Week),
            Period::Month => q(locale, Q::Month),
            Period::All => q(locale, Q::AllTime),
        }
    }
}

/// `/leaderboard`: the server's standings over a period, from the stored answers.
pub fn leaderboard_message(rows: &[LeaderRow], period: Period, locale: Locale) -> Reply {
    let lines: Vec<String> = rows
        .iter()
        .take(25)
        .enumerate()
        .map(|(i, r)| {
            let medal = ["🥇 ", "🥈 ", "🥉 "].get(i).copied().unwrap_or("");
            format!(
                "{medal}{}. **{}** — {} ({}, {})",
                i + 1,
                escape_markdown(&r.name),
                i18n::points(locale, r.points),
                i18n::standing_line(locale, r.right, r.answers),
                i18n::quizzes_played(locale, r.quizzes)
            )
        })
        .collect();
    Reply::embed(Embed {
        title: Some(i18n::leaderboard_title(locale, period.label(locale))),
        description: Some(if lines.is_empty() {
            q(locale, Q::LeaderboardEmpty).to_string()
        } else {
            lines.join("\n")
        }),
        color: Some(FINISHED),
        ..Default::default()
    })
    .fit()
}

/// The text box for question `index`; `None` when the question takes a button press.
pub fn answer_modal(session: &QuizSession, quiz: u64, index: usize) -> Option<Modal> {
    let locale = session.config().locale;
    let question = session.question(index)?;
    let label = match question.answer {
        Answer::Choice { .. } => return None,
        Answer::Free { .. } => q(locale, Q::YourAnswer),
        Answer::Year { .. } => q(locale, Q::TheYear),
    };
    Some(Modal {
        custom_id: QuizAction::TypedAnswer {
            quiz,
            question: index,
        }
        .custom_id(),
        title: shorten(&i18n::modal_title(locale, index + 1), 45),
        inputs: vec![TextInput {
            custom_id: "answer".into(),
            label: shorten(label, 45),
            style: InputStyle::Short,
            placeholder: shorten(question.prompt.get(locale).trim_matches('*'), 100),
            required: true,
            max_length: super::engine::MAX_TYPED,
        }],
    })
}

/// The card of the entry a question came from, for the presser alone (`q:o:<id>`).
pub fn entry_card(kb: &KnowledgeBase, id: &str, locale: Locale, ctx: &Ctx) -> Response {
    let open = crate::answers::buttons::Action::Open(id.to_string()).custom_id();
    let response = crate::answers::press(kb, &open, locale, ctx);
    Response::Message(response.reply().clone().ephemeral())
}
