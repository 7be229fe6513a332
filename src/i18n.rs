//! User-facing words in English and Polish.
//!
//! The cards' labels and the core's messages live here, once per locale, so a missing translation
//! is a compile error rather than an English word in a Polish card. The quiz's words are in
//! `quiz::i18n`; a few adapter messages still pair their two languages where they are used.
//! Entry text (names, summaries) comes from the knowledge base instead, in the reader's locale
//! when the entry has it.

use serde::{Deserialize, Serialize};

/// The locales Clio speaks. Discord sends codes like `pl`, `en-US`, `en-GB`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, Default)]
#[serde(rename_all = "lowercase")]
pub enum Locale {
    #[default]
    En,
    Pl,
}

impl Locale {
    /// Discord's locale code to ours: `pl` is Polish, everything else English until we speak it.
    pub fn from_discord(code: &str) -> Locale {
        let code = code.trim().to_ascii_lowercase();
        if code == "pl" || code.starts_with("pl-") || code.starts_with("pl_") {
            Locale::Pl
        } else {
            Locale::En
        }
    }

    /// The interaction's locale, else the guild's, else English.
    pub fn pick(user: Option<&str>, guild: Option<&str>) -> Locale {
        match (user, guild) {
            (Some(u), _) if !u.is_empty() => Locale::from_discord(u),
            (_, Some(g)) if !g.is_empty() => Locale::from_discord(g),
            _ => Locale::En,
        }
    }

    pub fn code(self) -> &'static str {
        match self {
            Locale::En => "en",
            Locale::Pl => "pl",
        }
    }
}

/// Labels and fixed sentences. One variant per string, one arm per locale.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Ui {
    Date,
    Born,
    Died,
    Roles,
    Places,
    People,
    Events,
    Related,
    Outcome,
    Details,
    Sources,
    Figures,
    Kind,
    SourcesDisagree,
    Approximate,
    Previous,
    Next,
    Back,
    MoreSources,
    NoMatch,
    DidYouMean,
    NearestSuggestion,
    NothingOnDate,
    NearestBefore,
    NearestAfter,
    Timeline,
    TimelineEmpty,
    Page,
    OnThisDay,
    OnThisDayNone,
    OnThisDayNext,
    SearchResults,
    HelpTitle,
    HelpBody,
    UnknownButton,
    GoneEntry,
    EmptyQuery,
    Another,
    Quote,
    Person,
    Event,
    Topic,
    Source,
    Author,
    Language,
    Locator,
    CitedBy,
    Ongoing,
    Truncated,
    ReportError,
}

pub fn ui(locale: Locale, key: Ui) -> &'static str {
    use Locale::*;
    use Ui::*;
    match (key, locale) {
        (Date, En) => "Date",
        (Date, Pl) => "Data",
        (Born, En) => "Born",
        (Born, Pl) => "Urodzony",
        (Died, En) => "Died",
        (Died, Pl) => "Zmarł",
        (Roles, En) => "Roles",
        (Roles, Pl) => "Funkcje",
        (Places, En) => "Places",
        (Places, Pl) => "Miejsca",
        (People, En) => "People",
        (People, Pl) => "Osoby",
        (Events, En) => "Events",
        (Events, Pl) => "Wydarzenia",
        (Related, En) => "Related",
        (Related, Pl) => "Powiązane",
        (Outcome, En) => "Outcome",
        (Outcome, Pl) => "Skutek",
        (Details, En) => "Details",
        (Details, Pl) => "Szczegóły",
        (Sources, En) => "Sources",
        (Sources, Pl) => "Źródła",
        (Figures, En) => "Figures",
        (Figures, Pl) => "Liczby",
        (Kind, En) => "Kind",
        (Kind, Pl) => "Rodzaj",
        (SourcesDisagree, En) => "sources disagree",
        (SourcesDisagree, Pl) => "źródła się różnią",
        (Approximate, En) => "approximately",
        (Approximate, Pl) => "w przybliżeniu",
        (Previous, En) => "Previous event",
        (Previous, Pl) => "Poprzednie wydarzenie",
        (Next, En) => "Next event",
        (Next, Pl) => "Następne wydarzenie",
        (Back, En) => "Back",
        (Back, Pl) => "Wróć",
        (MoreSources, En) => "Sources and quotes",
        (MoreSources, Pl) => "Źródła i cytaty",
        (NoMatch, En) => "I found nothing matching",
        (NoMatch, Pl) => "Nie znalazłam niczego pasującego do",
        (DidYouMean, En) => "Did you mean one of these?",
        (DidYouMean, Pl) => "Czy chodziło o któreś z poniższych?",
        (NearestSuggestion, En) => "The closest I know is",
        (NearestSuggestion, Pl) => "Najbliższe, co znam, to",
        (NothingOnDate, En) => "No event I know of falls on",
        (NothingOnDate, Pl) => "Nie znam żadnego wydarzenia z dnia",
        (NearestBefore, En) => "Nearest before",
        (NearestBefore, Pl) => "Najbliższe wcześniejsze",
        (NearestAfter, En) => "Nearest after",
        (NearestAfter, Pl) => "Najbliższe późniejsze",
        (Timeline, En) => "Timeline",
        (Timeline, Pl) => "Oś czasu",
        (TimelineEmpty, En) => "No events in that period.",
        (TimelineEmpty, Pl) => "Brak wydarzeń w tym okresie.",
        (Page, En) => "Page",
        (Page, Pl) => "Strona",
        (OnThisDay, En) => "On this day",
        (OnThisDay, Pl) => "Tego dnia",
        (OnThisDayNone, En) => "No anniversary falls on this day.",
        (OnThisDayNone, Pl) => "Tego dnia nie przypada żadna rocznica.",
        (OnThisDayNext, En) => "The next anniversary",
        (OnThisDayNext, Pl) => "Najbliższa rocznica",
        (SearchResults, En) => "Search results for",
        (SearchResults, Pl) => "Wyniki wyszukiwania dla",
        (HelpTitle, En) => "Clio: history at your fingertips",
        (HelpTitle, Pl) => "Clio: historia pod ręką",
        (HelpBody, En) => "I answer questions about history from a curated, sourced knowledge base. I forgive typos, missing diacritics and other spellings (`Sikorsky`, `Ribentrop`, `Сталин`).",
        (HelpBody, Pl) => "Odpowiadam na pytania o historię na podstawie starannie opracowanej bazy wiedzy z podanymi źródłami. Wybaczam literówki, brak polskich znaków i inne pisownie (`Sikorsky`, `Ribentrop`, `Сталин`).",
        (UnknownButton, En) => "This button is from an older version of Clio and no longer works. Try the command again.",
        (UnknownButton, Pl) => "Ten przycisk pochodzi ze starszej wersji Clio i już nie działa. Użyj polecenia ponownie.",
        (GoneEntry, En) => "That entry is no longer in the knowledge base (it may have been renamed or removed). Try searching for it with `/search`.",
        (GoneEntry, Pl) => "Tego wpisu nie ma już w bazie wiedzy (mógł zostać przemianowany lub usunięty). Spróbuj go wyszukać poleceniem `/search`.",
        // `{name}` and `{date}` are filled from the pack in use (`answers::empty_query`).
        (EmptyQuery, En) => "Please tell me what to look for, e.g. `/who {name}` or `/event {date}`.",
        (EmptyQuery, Pl) => "Napisz, czego mam szukać, np. `/kto {name}` albo `/wydarzenie {date}`.",
        (Another, En) => "Another one",
        (Another, Pl) => "Jeszcze jeden",
        (Quote, En) => "Quote",
        (Quote, Pl) => "Cytat",
        (Person, En) => "Person",
        (Person, Pl) => "Osoba",
        (Event, En) => "Event",
        (Event, Pl) => "Wydarzenie",
        (Topic, En) => "Topic",
        (Topic, Pl) => "Temat",
        (Source, En) => "Source",
        (Source, Pl) => "Źródło",
        (Author, En) => "Author",
        (Author, Pl) => "Autor",
        (Language, En) => "Language",
        (Language, Pl) => "Język",
        (Locator, En) => "Where to find it",
        (Locator, Pl) => "Gdzie go znaleźć",
        (CitedBy, En) => "Cited by",
        (CitedBy, Pl) => "Cytowane przez",
        (ReportError, En) => "Report an error",
        (ReportError, Pl) => "Zgłoś błąd",
        (Ongoing, En) => "ongoing",
        (Ongoing, Pl) => "w toku",
        (Truncated, En) => "…",
        (Truncated, Pl) => "…",
    }
}

/// A Discord permission's name as the server settings show it (`bits` is one permission).
pub fn permission_name(locale: Locale, bits: u64) -> &'static str {
    // Discord's own bit numbers: View Channel 10, Send Messages 11, Embed Links 14.
    match (bits.trailing_zeros(), locale) {
        (10, Locale::En) => "View Channel",
        (10, Locale::Pl) => "Wyświetlanie kanału",
        (11, Locale::En) => "Send Messages",
        (11, Locale::Pl) => "Wysyłanie wiadomości",
        (14, Locale::En) => "Embed Links",
        (14, Locale::Pl) => "Osadzanie linków",
        (_, Locale::En) => "another permission",
        (_, Locale::Pl) => "inne uprawnienie",
    }
}

/// Clio lacks `names` in the channel: what to do about it.
pub fn missing_permissions(locale: Locale, names: &[&str]) -> String {
    let list = names.join(", ");
    match locale {
        Locale::En => format!(
            "I can't post in this channel: I'm missing **{list}** here. A member with Manage Server \
             can grant them to Clio's role in the channel's settings (Edit Channel → Permissions), \
             then try again."
        ),
        Locale::Pl => format!(
            "Nie mogę pisać na tym kanale: brakuje mi uprawnień **{list}**. Osoba z uprawnieniem \
             Zarządzanie serwerem może je nadać roli Clio w ustawieniach kanału (Edytuj kanał → \
             Uprawnienia), a potem spróbuj ponownie."
        ),
    }
}

/// The grammatical number a count takes. English has one and other; Polish has one, few (2-4,
/// 22-24, … but not 12-14) and many (5-21, 25-31, …, and 0).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PluralForm {
    One,
    Few,
    Many,
}

/// Which form `n` takes in `locale`; English uses `Many` for every count but 1.
pub fn plural_form(locale: Locale, n: u64) -> PluralForm {
    match locale {
        _ if n == 1 => PluralForm::One,
        Locale::En => PluralForm::Many,
        Locale::Pl if (2..=4).contains(&(n % 10)) && !(12..=14).contains(&(n % 100)) => {
            PluralForm::Few
        }
        Locale::Pl => PluralForm::Many,
    }
}

/// The word for `n` things: `en` is (one, other), `pl` is (one, few, many), e.g.
/// `plural(Locale::Pl, 5, ("source", "sources"), ("źródło", "źródła", "źródeł"))` is `źródeł`.
pub fn plural<'a>(
    locale: Locale,
    n: u64,
    en: (&'a str, &'a str),
    pl: (&'a str, &'a str, &'a str),
) -> &'a str {
    match (locale, plural_form(locale, n)) {
        (Locale::En, PluralForm::One) => en.0,
        (Locale::En, _) => en.1,
        (Locale::Pl, PluralForm::One) => pl.0,
        (Locale::Pl, PluralForm::Few) => pl.1,
        (Locale::Pl, PluralForm::Many) => pl.2,
    }
}

/// `n` and its word: `1 source`, `2 sources`, `5 źródeł`.
pub fn counted(locale: Locale, n: u64, en: (&str, &str), pl: (&str, &str, &str)) -> String {
    format!("{n} {}", plural(locale, n, en, pl))
}

#[cfg(test)]
mod plural_tests {
    use super::*;

    #[test]
    fn counts_take_their_plural_form_in_each_language() {
        let en = ("source", "sources");
        let pl = ("źródło", "źródła", "źródeł");
        let said = |locale, n| counted(locale, n, en, pl);
        assert_eq!(said(Locale::En, 0), "0 sources");
        assert_eq!(said(Locale::En, 1), "1 source");
        assert_eq!(said(Locale::En, 2), "2 sources");
        assert_eq!(said(Locale::Pl, 0), "0 źródeł");
        assert_eq!(said(Locale::Pl, 1), "1 źródło");
        assert_eq!(said(Locale::Pl, 2), "2 źródła");
        assert_eq!(said(Locale::Pl, 4), "4 źródła");
        assert_eq!(said(Locale::Pl, 5), "5 źródeł");
        assert_eq!(said(Locale::Pl, 12), "12 źródeł");
        assert_eq!(said(Locale::Pl, 22), "22 źródła");
        assert_eq!(said(Locale::Pl, 101), "101 źródeł");
    }
}
