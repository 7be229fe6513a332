//! The console's own words, in English and Polish: prompts, hints, errors and the labels of a
//! rendered reply. The replies themselves come from `answers`, already in the reader's language.

use crate::i18n::Locale;

/// One fixed line or label of the console.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Say {
    Welcome,
    Reply,
    ReplyOnlyYou,
    Updates,
    Disabled,
    NoButtons,
    Interrupted,
    Bye,
}

pub fn say(locale: Locale, key: Say) -> &'static str {
    use Locale::*;
    use Say::*;
    match (key, locale) {
        (Welcome, En) => "Clio console: type a command (/who Anders, /event 1939-09-17, /help), a button's number to press it, or quit to leave. Up and down arrows bring back what you typed.",
        (Welcome, Pl) => "Konsola Clio: wpisz polecenie (/kto Anders, /wydarzenie 17 września 1939, /pomoc), numer przycisku, by go nacisnąć, albo wyjdź, by zakończyć. Strzałki w górę i w dół przywołują to, co już wpisano.",
        (Reply, En) => "reply",
        (Reply, Pl) => "odpowiedź",
        (ReplyOnlyYou, En) => "reply (only you can see this)",
        (ReplyOnlyYou, Pl) => "odpowiedź (widzisz ją tylko ty)",
        (Updates, En) => "updates the message",
        (Updates, Pl) => "zmienia wiadomość",
        (Disabled, En) => "not available here",
        (Disabled, Pl) => "niedostępny tutaj",
        (NoButtons, En) => "There are no buttons to press now: type a command first, e.g. /who Anders.",
        (NoButtons, Pl) => "Nie ma teraz przycisków do naciśnięcia: najpierw wpisz polecenie, np. /kto Anders.",
        (Interrupted, En) => "(type quit to leave, or Ctrl-D)",
        (Interrupted, Pl) => "(wpisz wyjdź, by zakończyć, albo naciśnij Ctrl-D)",
        (Bye, En) => "Goodbye.",
        (Bye, Pl) => "Do zobaczenia.",
    }
}

/// The words that end a console session, in either language.
pub fn is_quit(line: &str) -> bool {
    matches!(
        line.trim().to_lowercase().as_str(),
        "quit" | "exit" | "q" | "wyjdź" | "wyjdz" | "koniec"
    )
}

/// Under the buttons: which numbers press them.
pub fn press_hint(locale: Locale, count: usize) -> String {
    match (locale, count) {
        (Locale::En, 1) => "Type 1 to press the button.".into(),
        (Locale::En, n) => format!("Type a number from 1 to {n} to press a button."),
        (Locale::Pl, 1) => "Wpisz 1, by nacisnąć przycisk.".into(),
        (Locale::Pl, n) => format!("Wpisz liczbę od 1 do {n}, by nacisnąć przycisk."),
    }
}

/// A number typed with no such button.
pub fn no_such_button(locale: Locale, n: &str, count: usize) -> String {
    match (locale, count) {
        (_, 0) => say(locale, Say::NoButtons).to_string(),
        (Locale::En, 1) => format!("There is no button {n}; the only button is 1."),
        (Locale::En, count) => {
            format!("There is no button {n}; the buttons are numbered 1 to {count}.")
        }
        (Locale::Pl, 1) => format!("Nie ma przycisku {n}; jedyny przycisk ma numer 1."),
        (Locale::Pl, count) => {
            format!("Nie ma przycisku {n}; przyciski mają numery od 1 do {count}.")
        }
    }
}

/// Reading the keyboard failed: say why, and that the session ends.
pub fn input_failed(locale: Locale, why: &str) -> String {
    match locale {
        Locale::En => format!("clio: cannot read the keyboard ({why}); the console ends here."),
        Locale::Pl => format!("clio: nie mogę czytać z klawiatury ({why}); konsola kończy pracę."),
    }
}
