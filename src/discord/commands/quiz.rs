//! Quiz nights: `/quiz` and its subcommands, and `/leaderboard`.

use super::{quiz_topics, Context, Error};
use crate::discord::quiz::QuizAsked;

/// A history quiz in this channel
#[poise::command(
    slash_command,
    subcommands(
        "quiz_start",
        "quiz_next",
        "quiz_pause",
        "quiz_resume",
        "quiz_stop",
        "quiz_scores"
    ),
    subcommand_required,
    name_localized("pl", "quiz"),
    description_localized("pl", "Quiz historyczny na tym kanale"),
    install_context = "Guild",
    interaction_context = "Guild"
)]
pub async fn quiz(_ctx: Context<'_>) -> Result<(), Error> {
    // Discord never invokes a command that has subcommands by itself.
    Ok(())
}

/// How the questions follow each other.
#[derive(Debug, Clone, Copy, poise::ChoiceParameter)]
pub enum ModeChoice {
    #[name = "auto"]
    #[name_localized("pl", "automatyczny")]
    Auto,
    #[name = "host"]
    #[name_localized("pl", "prowadzący")]
    Host,
}

/// Start a quiz here (Manage Server or the quizmaster role)
#[poise::command(
    slash_command,
    rename = "start",
    name_localized("pl", "start"),
    description_localized("pl", "Zacznij quiz (Zarządzanie serwerem lub rola prowadzącego)")
)]
pub async fn quiz_start(
    ctx: Context<'_>,
    #[description = "How many questions (1-50, default 10)"]
    #[name_localized("pl", "pytania")]
    #[description_localized("pl", "Ile pytań (1-50, domyślnie 10)")]
    #[min = 1]
    #[max = 50]
    questions: Option<u32>,
    #[description = "Seconds to answer each question (5-120, default 20)"]
    #[name_localized("pl", "sekundy")]
    #[description_localized("pl", "Sekundy na każde pytanie (5-120, domyślnie 20)")]
    #[min = 5]
    #[max = 120]
    seconds: Option<u32>,
    #[description = "A tag, period or entry, e.g. 1939 or Anders Army"]
    #[name_localized("pl", "temat")]
    #[description_localized("pl", "Tag, okres lub wpis, np. 1939 albo Armia Andersa")]
    #[autocomplete = "quiz_topics"]
    #[max_length = 100]
    topic: Option<String>,
    #[description = "auto: questions follow each other; host: you move on"]
    #[name_localized("pl", "tryb")]
    #[description_localized("pl", "auto: pytania same po sobie; host: ty przechodzisz dalej")]
    mode: Option<ModeChoice>,
) -> Result<(), Error> {
    use poise::ChoiceParameter;
    let options = [
        ("questions", questions.map(|q| q.to_string())),
        ("seconds", seconds.map(|s| s.to_string())),
        ("topic", topic),
        ("mode", mode.map(|m| m.name().to_string())),
    ];
    quiz_sub(ctx, "start", &options).await
}

async fn quiz_sub(
    ctx: Context<'_>,
    sub: &str,
    options: &[(&str, Option<String>)],
) -> Result<(), Error> {
    let asked = QuizAsked::Quiz {
        sub: sub.to_string(),
        options: options
            .iter()
            .filter_map(|(n, v)| v.clone().map(|v| (n.to_string(), v)))
            .collect(),
    };
    ctx.data().answer_quiz(ctx, asked).await
}

/// Reveal the answer now, or open the next question
#[poise::command(
    slash_command,
    rename = "next",
    name_localized("pl", "dalej"),
    description_localized("pl", "Odsłoń odpowiedź teraz albo otwórz następne pytanie")
)]
pub async fn quiz_next(ctx: Context<'_>) -> Result<(), Error> {
    quiz_sub(ctx, "next", &[]).await
}

/// Pause the quiz
#[poise::command(
    slash_command,
    rename = "pause",
    name_localized("pl", "pauza"),
    description_localized("pl", "Wstrzymaj quiz")
)]
pub async fn quiz_pause(ctx: Context<'_>) -> Result<(), Error> {
    quiz_sub(ctx, "pause", &[]).await
}

/// Resume the paused quiz
#[poise::command(
    slash_command,
    rename = "resume",
    name_localized("pl", "wznów"),
    description_localized("pl", "Wznów wstrzymany quiz")
)]
pub async fn quiz_resume(ctx: Context<'_>) -> Result<(), Error> {
    quiz_sub(ctx, "resume", &[]).await
}

/// End the quiz now, with the scores so far
#[poise::command(
    slash_command,
    rename = "stop",
    name_localized("pl", "koniec"),
    description_localized("pl", "Zakończ quiz teraz, z dotychczasowymi wynikami")
)]
pub async fn quiz_stop(ctx: Context<'_>) -> Result<(), Error> {
    quiz_sub(ctx, "stop", &[]).await
}

/// The standings so far
#[poise::command(
    slash_command,
    rename = "scores",
    name_localized("pl", "wyniki"),
    description_localized("pl", "Dotychczasowa klasyfikacja")
)]
pub async fn quiz_scores(ctx: Context<'_>) -> Result<(), Error> {
    quiz_sub(ctx, "scores", &[]).await
}

/// Which answers a leaderboard counts.
#[derive(Debug, Clone, Copy, poise::ChoiceParameter)]
pub enum PeriodChoice {
    #[name = "this week"]
    #[name_localized("pl", "ostatni tydzień")]
    Week,
    #[name = "this month"]
    #[name_localized("pl", "ostatni miesiąc")]
    Month,
    #[name = "all time"]
    #[name_localized("pl", "od początku")]
    All,
}

impl PeriodChoice {
    fn key(self) -> &'static str {
        match self {
            PeriodChoice::Week => "week",
            PeriodChoice::Month => "month",
            PeriodChoice::All => "all",
        }
    }
}

/// This server's quiz leaderboard
#[poise::command(
    slash_command,
    name_localized("pl", "ranking"),
    description_localized("pl", "Ranking quizów na tym serwerze"),
    install_context = "Guild",
    interaction_context = "Guild"
)]
pub async fn leaderboard(
    ctx: Context<'_>,
    #[description = "Which answers count (default: all time)"]
    #[name_localized("pl", "okres")]
    #[description_localized("pl", "Które odpowiedzi się liczą (domyślnie: od początku)")]
    period: Option<PeriodChoice>,
) -> Result<(), Error> {
    let asked = QuizAsked::Leaderboard {
        period: period.map(|p| p.key().to_string()),
    };
    ctx.data().answer_quiz(ctx, asked).await
}
