//! The lookups: `/event`, `/who`, `/what`, `/search`, `/onthisday`, `/timeline`, `/random`,
//! `/help`, each answered from the knowledge alone.

use super::lookup;
use super::{answer, Context, Error};

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
    #[description = "A name or a date: a battle, a treaty, a day (YYYY-MM-DD) or a month"]
    #[name_localized("pl", "zapytanie")]
    #[description_localized(
        "pl",
        "Nazwa lub data: bitwa, traktat, dzień (RRRR-MM-DD) albo miesiąc"
    )]
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
    #[description = "What to look up: a treaty, a battle, a place, an organisation"]
    #[name_localized("pl", "temat")]
    #[description_localized("pl", "Czego szukać: traktat, bitwa, miejsce, organizacja")]
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
    #[description = "A day: 17 September, or a date (YYYY-MM-DD)"]
    #[name_localized("pl", "data")]
    #[description_localized("pl", "Dzień: 17 września albo data (RRRR-MM-DD)")]
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
    #[description = "Start date: YYYY-MM-DD, or a month and year"]
    #[name_localized("pl", "od")]
    #[description_localized("pl", "Data początkowa: RRRR-MM-DD albo miesiąc i rok")]
    #[autocomplete = "lookup"]
    #[max_length = 200]
    from: Option<String>,
    #[description = "End date: YYYY-MM-DD, or a month and year"]
    #[name_localized("pl", "do")]
    #[description_localized("pl", "Data końcowa: RRRR-MM-DD albo miesiąc i rok")]
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
