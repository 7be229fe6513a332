//! A server's own commands, for members with Manage Server: `/settings` and `/admin`.

use poise::serenity_prelude as serenity;

use super::{answer_sub, times, zones, Context, Error};

/// This server's Clio settings
#[poise::command(
    slash_command,
    subcommands(
        "settings_view",
        "settings_quizmaster",
        "settings_language",
        "settings_daily",
        "settings_daily_off",
        "settings_daily_question"
    ),
    subcommand_required,
    name_localized("pl", "ustawienia"),
    description_localized("pl", "Ustawienia Clio na tym serwerze"),
    default_member_permissions = "MANAGE_GUILD",
    install_context = "Guild",
    interaction_context = "Guild"
)]
pub async fn settings(_ctx: Context<'_>) -> Result<(), Error> {
    Ok(())
}

/// Show the settings
#[poise::command(
    slash_command,
    rename = "view",
    name_localized("pl", "pokaż"),
    description_localized("pl", "Pokaż ustawienia")
)]
pub async fn settings_view(ctx: Context<'_>) -> Result<(), Error> {
    answer_sub(ctx, "settings", "view", Vec::new()).await
}

/// The role that may run quizzes; leave empty to clear
#[poise::command(
    slash_command,
    rename = "quizmaster",
    name_localized("pl", "prowadzący"),
    description_localized("pl", "Rola, która może prowadzić quizy; puste usuwa")
)]
pub async fn settings_quizmaster(
    ctx: Context<'_>,
    #[description = "The quizmaster role"]
    #[name_localized("pl", "rola")]
    #[description_localized("pl", "Rola prowadzącego")]
    role: Option<serenity::RoleId>,
) -> Result<(), Error> {
    let role = role.map(|r| r.get().to_string());
    answer_sub(ctx, "settings", "quizmaster", vec![("role", role)]).await
}

/// The languages Clio speaks.
#[derive(Debug, Clone, Copy, poise::ChoiceParameter)]
pub enum LanguageChoice {
    #[name = "English"]
    #[name_localized("pl", "angielski")]
    En,
    #[name = "Polski"]
    #[name_localized("pl", "polski")]
    Pl,
}

/// The language of Clio's posts in this server
#[poise::command(
    slash_command,
    rename = "language",
    name_localized("pl", "język"),
    description_localized("pl", "Język wpisów Clio na tym serwerze")
)]
pub async fn settings_language(
    ctx: Context<'_>,
    #[description = "English or Polish"]
    #[name_localized("pl", "język")]
    #[description_localized("pl", "Angielski albo polski")]
    language: LanguageChoice,
) -> Result<(), Error> {
    let code = match language {
        LanguageChoice::En => "en",
        LanguageChoice::Pl => "pl",
    };
    answer_sub(
        ctx,
        "settings",
        "language",
        vec![("language", Some(code.into()))],
    )
    .await
}

/// Post the day's anniversaries every day
#[poise::command(
    slash_command,
    rename = "daily",
    name_localized("pl", "rocznice"),
    description_localized("pl", "Publikuj codziennie rocznice dnia")
)]
pub async fn settings_daily(
    ctx: Context<'_>,
    #[description = "Where to post"]
    #[name_localized("pl", "kanał")]
    #[description_localized("pl", "Gdzie publikować")]
    #[channel_types("Text", "News")]
    channel: serenity::ChannelId,
    #[description = "Local time, HH:MM, e.g. 09:00"]
    #[name_localized("pl", "godzina")]
    #[description_localized("pl", "Czas lokalny, GG:MM, np. 09:00")]
    #[autocomplete = "times"]
    #[max_length = 5]
    time: String,
    #[description = "Time zone, e.g. Europe/Warsaw"]
    #[name_localized("pl", "strefa")]
    #[description_localized("pl", "Strefa czasowa, np. Europe/Warsaw")]
    #[autocomplete = "zones"]
    #[max_length = 64]
    zone: String,
) -> Result<(), Error> {
    let options = vec![
        ("channel", Some(channel.get().to_string())),
        ("time", Some(time)),
        ("zone", Some(zone)),
    ];
    answer_sub(ctx, "settings", "daily", options).await
}

/// Stop the daily post
#[poise::command(
    slash_command,
    rename = "daily-off",
    name_localized("pl", "rocznice-wyłącz"),
    description_localized("pl", "Wyłącz codzienne rocznice")
)]
pub async fn settings_daily_off(ctx: Context<'_>) -> Result<(), Error> {
    answer_sub(ctx, "settings", "daily-off", Vec::new()).await
}

/// A quiz question every day, revealed with the next one; no channel turns it off
#[poise::command(
    slash_command,
    rename = "daily_question",
    name_localized("pl", "pytanie_dnia"),
    description_localized(
        "pl",
        "Pytanie quizowe co dzień, rozwiązane przy następnym; bez kanału wyłącza"
    )
)]
pub async fn settings_daily_question(
    ctx: Context<'_>,
    #[description = "Where to ask; leave empty to turn the daily question off"]
    #[name_localized("pl", "kanał")]
    #[description_localized("pl", "Gdzie pytać; puste wyłącza pytanie dnia")]
    #[channel_types("Text", "News")]
    channel: Option<serenity::ChannelId>,
    #[description = "Local time (the daily post's time zone, else UTC), HH:MM, e.g. 18:00"]
    #[name_localized("pl", "godzina")]
    #[description_localized("pl", "Czas lokalny (strefa rocznic, inaczej UTC), GG:MM, np. 18:00")]
    #[autocomplete = "times"]
    #[max_length = 5]
    time: Option<String>,
) -> Result<(), Error> {
    let options = vec![
        ("channel", channel.map(|c| c.get().to_string())),
        ("time", time),
    ];
    answer_sub(ctx, "settings", "daily_question", options).await
}

/// Clio's upkeep, for members with Manage Server
#[poise::command(
    slash_command,
    subcommands("admin_reload", "admin_reports", "admin_season"),
    subcommand_required,
    name_localized("pl", "admin"),
    description_localized("pl", "Obsługa Clio, dla osób z uprawnieniem Zarządzanie serwerem"),
    default_member_permissions = "MANAGE_GUILD",
    install_context = "Guild",
    interaction_context = "Guild"
)]
pub async fn admin(_ctx: Context<'_>) -> Result<(), Error> {
    Ok(())
}

/// Load the knowledge files again and report any errors
#[poise::command(
    slash_command,
    rename = "reload",
    name_localized("pl", "przeładuj"),
    description_localized("pl", "Wczytaj ponownie pliki wiedzy i pokaż błędy")
)]
pub async fn admin_reload(ctx: Context<'_>) -> Result<(), Error> {
    answer_sub(ctx, "admin", "reload", Vec::new()).await
}

/// The reports of errors sent from this server, with buttons to mark them resolved
#[poise::command(
    slash_command,
    rename = "reports",
    name_localized("pl", "zgłoszenia"),
    description_localized(
        "pl",
        "Zgłoszenia błędów z tego serwera, z przyciskami do oznaczania rozwiązanych"
    )
)]
pub async fn admin_reports(ctx: Context<'_>) -> Result<(), Error> {
    answer_sub(ctx, "admin", "reports", Vec::new()).await
}

/// Seasons of the quiz leaderboard
#[poise::command(
    slash_command,
    rename = "season",
    subcommands("admin_season_start"),
    subcommand_required,
    name_localized("pl", "sezon"),
    description_localized("pl", "Sezony rankingu quizów")
)]
pub async fn admin_season(_ctx: Context<'_>) -> Result<(), Error> {
    Ok(())
}

/// Begin a new season: /leaderboard counts from now on (nothing is deleted)
#[poise::command(
    slash_command,
    rename = "start",
    name_localized("pl", "start"),
    description_localized(
        "pl",
        "Zacznij nowy sezon: /leaderboard liczy od teraz (nic nie jest usuwane)"
    )
)]
pub async fn admin_season_start(
    ctx: Context<'_>,
    #[description = "The season's name (default: Season N)"]
    #[name_localized("pl", "nazwa")]
    #[description_localized("pl", "Nazwa sezonu (domyślnie: Sezon N)")]
    #[max_length = 40]
    name: Option<String>,
) -> Result<(), Error> {
    let asked = crate::discord::quiz::QuizAsked::Quiz {
        sub: "season-start".to_string(),
        options: name.map(|n| ("name".to_string(), n)).into_iter().collect(),
    };
    ctx.data().answer_quiz(ctx, asked).await
}
