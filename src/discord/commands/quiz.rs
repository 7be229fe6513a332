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
        "quiz_scores",
        "quiz_team",
        "quiz_schedule"
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
#[allow(clippy::too_many_arguments)] // one argument per option, as poise declares them
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
    #[description = "A tag, period or entry of the knowledge base"]
    #[name_localized("pl", "temat")]
    #[description_localized("pl", "Tag, okres lub wpis z bazy wiedzy")]
    #[autocomplete = "quiz_topics"]
    #[max_length = 100]
    topic: Option<String>,
    #[description = "auto: questions follow each other; host: you move on"]
    #[name_localized("pl", "tryb")]
    #[description_localized("pl", "auto: pytania same po sobie; host: ty przechodzisz dalej")]
    mode: Option<ModeChoice>,
    #[description = "Play in teams: how many (2-6); players join in a lobby"]
    #[name_localized("pl", "druzyny")]
    #[description_localized(
        "pl",
        "Gra drużynowa: ile drużyn (2-6); gracze dołączają w poczekalni"
    )]
    #[min = 2]
    #[max = 6]
    teams: Option<u32>,
    #[description = "Rounds (1-5) of `questions` each, with an intermission between"]
    #[name_localized("pl", "rundy")]
    #[description_localized("pl", "Rundy (1-5) po `questions` pytań, z przerwą między nimi")]
    #[min = 1]
    #[max = 5]
    rounds: Option<u32>,
    #[description = "One topic per round (a tag, period or entry), separated by ;"]
    #[name_localized("pl", "tematy")]
    #[description_localized("pl", "Jeden temat na rundę (tag, okres lub wpis), rozdzielone ;")]
    #[autocomplete = "quiz_topic_list"]
    #[max_length = 300]
    topics: Option<String>,
    #[description = "Seconds the team lobby waits before the first question (default 90)"]
    #[name_localized("pl", "poczekalnia")]
    #[description_localized(
        "pl",
        "Sekundy poczekalni drużyn przed pierwszym pytaniem (domyślnie 90)"
    )]
    #[min = 10]
    #[max = 900]
    lobby: Option<u32>,
    #[description = "Seconds of each intermission between rounds (default 120)"]
    #[name_localized("pl", "przerwa")]
    #[description_localized("pl", "Sekundy każdej przerwy między rundami (domyślnie 120)")]
    #[min = 10]
    #[max = 900]
    intermission: Option<u32>,
    #[description = "A 💡 Hint button on each question, at half the points (default on)"]
    #[name_localized("pl", "podpowiedzi")]
    #[description_localized(
        "pl",
        "Przycisk 💡 Podpowiedź przy pytaniu, za połowę punktów (domyślnie tak)"
    )]
    hints: Option<OnOff>,
) -> Result<(), Error> {
    use poise::ChoiceParameter;
    let options = [
        ("questions", questions.map(|q| q.to_string())),
        ("seconds", seconds.map(|s| s.to_string())),
        ("topic", topic),
        ("mode", mode.map(|m| m.name().to_string())),
        ("teams", teams.map(|t| t.to_string())),
        ("rounds", rounds.map(|r| r.to_string())),
        ("topics", topics),
        ("lobby", lobby.map(|s| s.to_string())),
        ("intermission", intermission.map(|s| s.to_string())),
        ("hints", hints.map(|h| h.name().to_string())),
    ];
    quiz_sub(ctx, "start", &options).await
}

/// On or off.
#[derive(Debug, Clone, Copy, poise::ChoiceParameter)]
pub enum OnOff {
    #[name = "on"]
    #[name_localized("pl", "tak")]
    On,
    #[name = "off"]
    #[name_localized("pl", "nie")]
    Off,
}

/// `topics:` being typed: the last topic after `;` is completed, the ones before it kept.
async fn quiz_topic_list(
    ctx: Context<'_>,
    partial: &str,
) -> poise::serenity_prelude::CreateAutocompleteResponse {
    let data = ctx.data();
    let kb = data.services.live.get();
    data.count_autocomplete();
    super::choices(crate::quiz::night::suggest_topic_list(
        &kb,
        partial,
        super::locale_of(ctx),
    ))
}

/// Rename a team of the quiz night here (the host)
#[poise::command(
    slash_command,
    rename = "team",
    name_localized("pl", "druzyna"),
    description_localized("pl", "Zmień nazwę drużyny wieczoru quizowego (prowadzący)")
)]
pub async fn quiz_team(
    ctx: Context<'_>,
    #[description = "The team's new name"]
    #[name_localized("pl", "nazwa")]
    #[description_localized("pl", "Nowa nazwa drużyny")]
    #[max_length = 40]
    name: String,
    #[description = "Which team, by its number in the lobby (1-6)"]
    #[name_localized("pl", "numer")]
    #[description_localized("pl", "Która drużyna, według numeru w poczekalni (1-6)")]
    #[min = 1]
    #[max = 6]
    number: u32,
) -> Result<(), Error> {
    let options = [("name", Some(name)), ("number", Some(number.to_string()))];
    quiz_sub(ctx, "team", &options).await
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

/// Quiz nights scheduled ahead as Discord events
#[poise::command(
    slash_command,
    rename = "schedule",
    subcommands("quiz_schedule_create", "quiz_schedule_list", "quiz_schedule_cancel"),
    subcommand_required,
    name_localized("pl", "plan"),
    description_localized("pl", "Wieczory quizowe zaplanowane jako wydarzenia Discorda")
)]
pub async fn quiz_schedule(_ctx: Context<'_>) -> Result<(), Error> {
    Ok(())
}

/// Schedule a quiz night: an event, a reminder 15 minutes before, and the quiz starts itself
#[poise::command(
    slash_command,
    rename = "create",
    name_localized("pl", "utwórz"),
    description_localized(
        "pl",
        "Zaplanuj wieczór quizowy: wydarzenie, przypomnienie 15 minut wcześniej i samoczynny start"
    )
)]
#[allow(clippy::too_many_arguments)] // one argument per option, as poise declares them
pub async fn quiz_schedule_create(
    ctx: Context<'_>,
    #[description = "Date and time in the server's time zone, e.g. 2026-12-11 19:30"]
    #[name_localized("pl", "kiedy")]
    #[description_localized("pl", "Data i godzina w strefie serwera, np. 2026-12-11 19:30")]
    #[max_length = 60]
    when: String,
    #[description = "A tag, period or entry of the knowledge base"]
    #[name_localized("pl", "temat")]
    #[description_localized("pl", "Tag, okres lub wpis z bazy wiedzy")]
    #[autocomplete = "quiz_topics"]
    #[max_length = 100]
    topic: Option<String>,
    #[description = "How many questions (per round with rounds; default 10)"]
    #[name_localized("pl", "pytania")]
    #[description_localized("pl", "Ile pytań (na rundę, gdy są rundy; domyślnie 10)")]
    #[min = 1]
    #[max = 50]
    questions: Option<u32>,
    #[description = "Rounds (1-5), with an intermission between"]
    #[name_localized("pl", "rundy")]
    #[description_localized("pl", "Rundy (1-5), z przerwą między nimi")]
    #[min = 1]
    #[max = 5]
    rounds: Option<u32>,
    #[description = "Play in teams: how many (2-6)"]
    #[name_localized("pl", "druzyny")]
    #[description_localized("pl", "Gra drużynowa: ile drużyn (2-6)")]
    #[min = 2]
    #[max = 6]
    teams: Option<u32>,
    #[description = "Where to play (default: here)"]
    #[name_localized("pl", "kanal")]
    #[description_localized("pl", "Gdzie grać (domyślnie: tutaj)")]
    #[channel_types("Text")]
    channel: Option<poise::serenity_prelude::GuildChannel>,
) -> Result<(), Error> {
    let options = [
        ("when", Some(when)),
        ("topic", topic),
        ("questions", questions.map(|q| q.to_string())),
        ("rounds", rounds.map(|r| r.to_string())),
        ("teams", teams.map(|t| t.to_string())),
        ("channel", channel.map(|c| c.id.get().to_string())),
    ];
    quiz_sub(ctx, "schedule-create", &options).await
}

/// The quiz nights scheduled on this server
#[poise::command(
    slash_command,
    rename = "list",
    name_localized("pl", "lista"),
    description_localized("pl", "Wieczory quizowe zaplanowane na tym serwerze")
)]
pub async fn quiz_schedule_list(ctx: Context<'_>) -> Result<(), Error> {
    quiz_sub(ctx, "schedule-list", &[]).await
}

/// Cancel a scheduled quiz night and remove its event
#[poise::command(
    slash_command,
    rename = "cancel",
    name_localized("pl", "odwołaj"),
    description_localized("pl", "Odwołaj zaplanowany wieczór quizowy i usuń jego wydarzenie")
)]
pub async fn quiz_schedule_cancel(
    ctx: Context<'_>,
    #[description = "The night's number, as `/quiz schedule list` shows it"]
    #[name_localized("pl", "numer")]
    #[description_localized("pl", "Numer wieczoru z `/quiz schedule list`")]
    #[min = 1]
    id: u64,
) -> Result<(), Error> {
    quiz_sub(ctx, "schedule-cancel", &[("id", Some(id.to_string()))]).await
}

/// `period:` being typed: the periods, then this server's seasons by name.
async fn leaderboard_periods(
    ctx: Context<'_>,
    partial: &str,
) -> poise::serenity_prelude::CreateAutocompleteResponse {
    let data = ctx.data();
    data.count_autocomplete();
    let guild = ctx.guild_id().map(|g| g.get());
    super::choices(data.period_suggestions(guild, partial).await)
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
    #[description = "season (default), week, month, all, or a past season by name"]
    #[name_localized("pl", "okres")]
    #[description_localized(
        "pl",
        "season (domyślnie), week, month, all albo dawny sezon po nazwie"
    )]
    #[autocomplete = "leaderboard_periods"]
    #[max_length = 40]
    period: Option<String>,
) -> Result<(), Error> {
    let asked = QuizAsked::Leaderboard { period };
    ctx.data().answer_quiz(ctx, asked).await
}
