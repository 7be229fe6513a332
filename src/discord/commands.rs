//! Every slash command, declared once, with poise: a function whose `///` doc is its description,
//! whose parameters are its options (with their limits, choices and autocomplete), and whose
//! attributes carry its Polish name and description and who may see it.
//!
//! Everything else is derived from [`all`]: the registration body (`clio commands --json`, and
//! what `clio run` PUTs), `/help`, the console's parser and `clio commands`. Each function turns
//! its typed options into the option text the answering code takes ([`Asked::Command`]), so the
//! terminal and Discord share one path from there on.

use poise::serenity_prelude as serenity;
use serde_json::Value;

use super::bot::{Context, Error};
use super::interactions::Asked;
use super::quiz::QuizAsked;
use crate::answers;
use crate::i18n::Locale;

/// The commands, in the order `/help` and the registration list them.
pub fn all() -> Vec<poise::Command<super::bot::Data, Error>> {
    vec![
        event(),
        who(),
        what(),
        search(),
        onthisday(),
        timeline(),
        random(),
        help(),
        quiz(),
        leaderboard(),
        settings(),
        admin(),
    ]
}

/// The longest option value Discord will accept from the user; the core reads at most 200 anyway.
pub const MAX_OPTION_LENGTH: usize = 200;

/// A lookup or admin command: its options as text, answered by the bot's one answering path.
async fn answer(
    ctx: Context<'_>,
    name: &str,
    options: Vec<(&str, Option<String>)>,
) -> Result<(), Error> {
    let options = options
        .into_iter()
        .filter_map(|(n, v)| v.map(|v| (n.to_string(), v)))
        .collect();
    let asked = Asked::Command {
        name: name.to_string(),
        options,
    };
    ctx.data().answer_command(ctx, asked).await
}

/// A subcommand of `command`: its name first, as Discord nests it.
async fn answer_sub(
    ctx: Context<'_>,
    command: &str,
    sub: &str,
    mut options: Vec<(&str, Option<String>)>,
) -> Result<(), Error> {
    options.insert(0, ("subcommand", Some(sub.to_string())));
    answer(ctx, command, options).await
}

// ---- autocomplete ----------------------------------------------------------------------------

fn choices(pairs: Vec<(String, String)>) -> serenity::CreateAutocompleteResponse {
    serenity::CreateAutocompleteResponse::new().set_choices(
        pairs
            .into_iter()
            .map(|(name, value)| serenity::AutocompleteChoice::new(name, value))
            .collect(),
    )
}

/// Suggestions for the lookup option being typed: the core knows what each option suggests.
async fn lookup(ctx: Context<'_>, partial: &str) -> serenity::CreateAutocompleteResponse {
    let data = ctx.data();
    data.count_autocomplete();
    let poise::Context::Application(app) = ctx else {
        return choices(Vec::new());
    };
    let option = app
        .interaction
        .data
        .autocomplete()
        .map(|o| o.name.to_string())
        .unwrap_or_default();
    let kb = data.services.live.get();
    let command = &ctx.command().name;
    choices(answers::autocomplete(
        &kb,
        command,
        &option,
        partial,
        locale_of(ctx),
    ))
}

async fn quiz_topics(ctx: Context<'_>, partial: &str) -> serenity::CreateAutocompleteResponse {
    let data = ctx.data();
    let kb = data.services.live.get();
    data.count_autocomplete();
    choices(crate::quiz::topic::suggest_topics(
        &kb,
        partial,
        locale_of(ctx),
    ))
}

async fn times(ctx: Context<'_>, partial: &str) -> serenity::CreateAutocompleteResponse {
    ctx.data().count_autocomplete();
    choices(super::admin::time_suggestions(partial))
}

async fn zones(ctx: Context<'_>, partial: &str) -> serenity::CreateAutocompleteResponse {
    ctx.data().count_autocomplete();
    choices(super::admin::zone_suggestions(partial))
}

/// The asker's language: theirs, else the server's, else English.
pub fn locale_of(ctx: Context<'_>) -> Locale {
    match ctx {
        poise::Context::Application(app) => Locale::pick(
            Some(&app.interaction.locale),
            app.interaction.guild_locale.as_deref(),
        ),
        poise::Context::Prefix(_) => Locale::En,
    }
}

// ---- the lookups -----------------------------------------------------------------------------

/// An event by name, or the events on a date
///
/// `/event 1939-09-17`, `/event Battle of Kock`
#[poise::command(
    slash_command,
    name_localized("pl", "wydarzenie"),
    description_localized("pl", "Wydarzenie według nazwy albo wydarzenia z danego dnia"),
    install_context = "Guild",
    interaction_context = "Guild|BotDm"
)]
pub async fn event(
    ctx: Context<'_>,
    #[description = "A name or a date, e.g. Battle of Kock or 1939-09-17"]
    #[name_localized("pl", "zapytanie")]
    #[description_localized("pl", "Nazwa lub data, np. bitwa pod Kockiem albo 17 września 1939")]
    #[autocomplete = "lookup"]
    #[max_length = 200]
    query: String,
) -> Result<(), Error> {
    answer(ctx, "event", vec![("query", Some(query))]).await
}

/// A person of the period
///
/// `/who Anders`
#[poise::command(
    slash_command,
    name_localized("pl", "kto"),
    description_localized("pl", "Postać z epoki"),
    install_context = "Guild",
    interaction_context = "Guild|BotDm"
)]
pub async fn who(
    ctx: Context<'_>,
    #[description = "Their name; typos and missing accents are fine"]
    #[name_localized("pl", "osoba")]
    #[description_localized("pl", "Imię i nazwisko; literówki i brak polskich znaków nie szkodzą")]
    #[autocomplete = "lookup"]
    #[max_length = 200]
    name: String,
) -> Result<(), Error> {
    answer(ctx, "who", vec![("name", Some(name))]).await
}

/// A treaty, unit, place or idea
///
/// `/what Molotov-Ribbentrop Pact`
#[poise::command(
    slash_command,
    name_localized("pl", "co"),
    description_localized("pl", "Traktat, jednostka, miejsce lub pojęcie"),
    install_context = "Guild",
    interaction_context = "Guild|BotDm"
)]
pub async fn what(
    ctx: Context<'_>,
    #[description = "What to look up, e.g. Molotov-Ribbentrop Pact"]
    #[name_localized("pl", "temat")]
    #[description_localized("pl", "Czego szukać, np. pakt Ribbentrop-Mołotow")]
    #[autocomplete = "lookup"]
    #[max_length = 200]
    topic: String,
) -> Result<(), Error> {
    answer(ctx, "what", vec![("topic", Some(topic))]).await
}

/// The best matches of every kind
#[poise::command(
    slash_command,
    name_localized("pl", "szukaj"),
    description_localized("pl", "Najlepsze trafienia wszystkich rodzajów"),
    install_context = "Guild",
    interaction_context = "Guild|BotDm"
)]
pub async fn search(
    ctx: Context<'_>,
    #[description = "Any words: a name, a place, an alias"]
    #[name_localized("pl", "tekst")]
    #[description_localized("pl", "Dowolne słowa: nazwa, miejsce, inna pisownia")]
    #[autocomplete = "lookup"]
    #[max_length = 200]
    text: String,
) -> Result<(), Error> {
    answer(ctx, "search", vec![("text", Some(text))]).await
}

/// Anniversaries of a day, today by default
#[poise::command(
    slash_command,
    name_localized("pl", "rocznice"),
    description_localized("pl", "Rocznice danego dnia, domyślnie dzisiejszego"),
    install_context = "Guild",
    interaction_context = "Guild|BotDm"
)]
pub async fn onthisday(
    ctx: Context<'_>,
    #[description = "A day, e.g. 17 September or 1939-09-17"]
    #[name_localized("pl", "data")]
    #[description_localized("pl", "Dzień, np. 17 września albo 1939-09-17")]
    #[autocomplete = "lookup"]
    #[max_length = 200]
    date: Option<String>,
) -> Result<(), Error> {
    answer(ctx, "onthisday", vec![("date", date)]).await
}

/// Events in order, page by page
#[poise::command(
    slash_command,
    name_localized("pl", "oś-czasu"),
    description_localized("pl", "Wydarzenia po kolei, strona po stronie"),
    install_context = "Guild",
    interaction_context = "Guild|BotDm"
)]
pub async fn timeline(
    ctx: Context<'_>,
    #[description = "Start date, e.g. 1939-09-01 or September 1939"]
    #[name_localized("pl", "od")]
    #[description_localized("pl", "Data początkowa, np. 1939-09-01 albo wrzesień 1939")]
    #[autocomplete = "lookup"]
    #[max_length = 200]
    from: Option<String>,
    #[description = "End date, e.g. 1939-10-06"]
    #[name_localized("pl", "do")]
    #[description_localized("pl", "Data końcowa, np. 1939-10-06")]
    #[autocomplete = "lookup"]
    #[max_length = 200]
    to: Option<String>,
) -> Result<(), Error> {
    answer(ctx, "timeline", vec![("from", from), ("to", to)]).await
}

/// The kinds of entry, as `/random` offers them.
#[derive(Debug, Clone, Copy, poise::ChoiceParameter)]
pub enum KindChoice {
    #[name = "person"]
    #[name_localized("pl", "osoba")]
    Person,
    #[name = "event"]
    #[name_localized("pl", "wydarzenie")]
    Event,
    #[name = "topic"]
    #[name_localized("pl", "temat")]
    Topic,
    #[name = "source"]
    #[name_localized("pl", "źródło")]
    Source,
}

/// Something to read, at random
#[poise::command(
    slash_command,
    name_localized("pl", "losuj"),
    description_localized("pl", "Losowy wpis do poczytania"),
    install_context = "Guild",
    interaction_context = "Guild|BotDm"
)]
pub async fn random(
    ctx: Context<'_>,
    #[description = "Only this kind of entry"]
    #[name_localized("pl", "rodzaj")]
    #[description_localized("pl", "Tylko wpisy tego rodzaju")]
    kind: Option<KindChoice>,
) -> Result<(), Error> {
    use poise::ChoiceParameter;
    answer(
        ctx,
        "random",
        vec![("kind", kind.map(|k| k.name().to_string()))],
    )
    .await
}

/// What Clio can do, with examples
#[poise::command(
    slash_command,
    name_localized("pl", "pomoc"),
    description_localized("pl", "Co potrafi Clio, z przykładami"),
    install_context = "Guild",
    interaction_context = "Guild|BotDm"
)]
pub async fn help(ctx: Context<'_>) -> Result<(), Error> {
    answer(ctx, "help", Vec::new()).await
}

// ---- quiz nights -----------------------------------------------------------------------------

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

// ---- server settings and upkeep --------------------------------------------------------------

/// This server's Clio settings
#[poise::command(
    slash_command,
    subcommands(
        "settings_view",
        "settings_quizmaster",
        "settings_language",
        "settings_daily",
        "settings_daily_off"
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

/// Clio's upkeep, for members with Manage Server
#[poise::command(
    slash_command,
    subcommands("admin_reload"),
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

// ---- what is derived from the list -----------------------------------------------------------

/// The body of `PUT /applications/{id}/commands` (or the guild variant): every command.
pub fn registration_body() -> Value {
    let commands = poise::builtins::create_application_commands(&all());
    let mut body = serde_json::to_value(commands).unwrap_or(Value::Array(Vec::new()));
    // serenity writes the permission bits as a string; Discord's OpenAPI spec has an integer
    // (both are accepted), and the spec is what the tests hold every body to.
    for command in body.as_array_mut().into_iter().flatten() {
        if let Some(bits) = command["default_member_permissions"]
            .as_str()
            .and_then(|b| b.parse::<u64>().ok())
        {
            command["default_member_permissions"] = Value::from(bits);
        }
    }
    body
}

/// A command as a person reads it: its name in their language, options, description.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Usage {
    /// `/who <name>` or `/quiz start [questions] [seconds] …`.
    pub line: String,
    pub description: String,
    /// Examples from the command's doc (after its description), if any.
    pub examples: Option<String>,
}

type Localized = [(
    std::borrow::Cow<'static, str>,
    std::borrow::Cow<'static, str>,
)];

fn localized<'a>(map: &'a Localized, locale: Locale, default: &'a str) -> &'a str {
    match locale {
        Locale::En => default,
        Locale::Pl => map
            .iter()
            .find(|(code, _)| code == "pl")
            .map_or(default, |(_, name)| name),
    }
}

/// Every command and subcommand as `/help` and `clio commands` show them.
pub fn usage(locale: Locale) -> Vec<Usage> {
    let mut out = Vec::new();
    for command in all() {
        let name = localized(&command.name_localizations, locale, &command.name).to_string();
        let describe = |c: &poise::Command<super::bot::Data, Error>| {
            let d = c.description.as_deref().unwrap_or("");
            localized(&c.description_localizations, locale, d).to_string()
        };
        let params = |c: &poise::Command<super::bot::Data, Error>| -> String {
            c.parameters
                .iter()
                .map(|p| {
                    let n = localized(&p.name_localizations, locale, &p.name);
                    if p.required {
                        format!(" <{n}>")
                    } else {
                        format!(" [{n}]")
                    }
                })
                .collect()
        };
        if command.subcommands.is_empty() {
            out.push(Usage {
                line: format!("/{name}{}", params(&command)),
                description: describe(&command),
                examples: command.help_text.as_ref().map(|t| t.to_string()),
            });
        }
        for sub in &command.subcommands {
            let sub_name = localized(&sub.name_localizations, locale, &sub.name);
            out.push(Usage {
                line: format!("/{name} {sub_name}{}", params(sub)),
                description: describe(sub),
                examples: sub.help_text.as_ref().map(|t| t.to_string()),
            });
        }
    }
    out
}

/// One line per command and subcommand, for `clio commands` without `--json`.
pub fn summary() -> String {
    let en = usage(Locale::En);
    let pl = usage(Locale::Pl);
    en.iter()
        .zip(&pl)
        .map(|(e, p)| format!("{} — {} (pl: {})\n", e.line, e.description, p.line))
        .collect()
}
