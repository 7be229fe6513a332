//! The quiz's words in English and Polish: one variant per string, one arm per locale, so a
//! missing translation is a compile error. Sentences with numbers or names are functions below.

use crate::i18n::Locale;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Q {
    TimeLeft,
    Answers,
    Paused,
    TimeUp,
    PressHint,
    TypeHint,
    YearHint,
    AnswerButton,
    RevealNow,
    NextQuestion,
    SeeResults,
    TheAnswer,
    Why,
    Source,
    GotItRight,
    CloseEnough,
    Nobody,
    Top5,
    Standings,
    NobodyScored,
    NoPoints,
    FinalStandings,
    Recap,
    Completed,
    Stopped,
    Interrupted,
    Idle,
    Failed,
    PausedNotice,
    ResumedNotice,
    AckClosed,
    AckPaused,
    AckNotStarted,
    AckFinished,
    PressAgain,
    AckInvalid,
    YourAnswer,
    TheYear,
    NotHost,
    AlreadyRunning,
    NoQuiz,
    NoQuestions,
    LeaderboardEmpty,
    Week,
    Month,
    AllTime,
    True,
    False,
    NoAnswer,
    Everyone,
}

pub fn q(locale: Locale, key: Q) -> &'static str {
    use Locale::*;
    use Q::*;
    match (key, locale) {
        (TimeLeft, En) => "Time left",
        (TimeLeft, Pl) => "Pozostały czas",
        (Answers, En) => "Answers",
        (Answers, Pl) => "Odpowiedzi",
        (Paused, En) => "⏸ Paused",
        (Paused, Pl) => "⏸ Wstrzymany",
        (TimeUp, En) => "Time is up",
        (TimeUp, Pl) => "Czas minął",
        (PressHint, En) => "Press a button to answer. You may change your answer until the reveal; faster right answers score more.",
        (PressHint, Pl) => "Naciśnij przycisk, by odpowiedzieć. Możesz zmienić odpowiedź aż do jej odsłonięcia; szybsze dobre odpowiedzi dają więcej punktów.",
        (TypeHint, En) => "Press **Answer** and type it: small typos and missing accents are forgiven.",
        (TypeHint, Pl) => "Naciśnij **Odpowiedz** i wpisz odpowiedź: drobne literówki i brak polskich znaków są wybaczane.",
        (YearHint, En) => "Press **Answer** and type the year: one or two years off still scores a little.",
        (YearHint, Pl) => "Naciśnij **Odpowiedz** i wpisz rok: pomyłka o rok lub dwa też daje trochę punktów.",
        (AnswerButton, En) => "Answer",
        (AnswerButton, Pl) => "Odpowiedz",
        (RevealNow, En) => "Reveal now",
        (RevealNow, Pl) => "Odsłoń teraz",
        (NextQuestion, En) => "Next question",
        (NextQuestion, Pl) => "Następne pytanie",
        (SeeResults, En) => "Final results",
        (SeeResults, Pl) => "Wyniki końcowe",
        (TheAnswer, En) => "The answer",
        (TheAnswer, Pl) => "Odpowiedź",
        (Why, En) => "Why",
        (Why, Pl) => "Wyjaśnienie",
        (Source, En) => "Source",
        (Source, Pl) => "Źródło",
        (GotItRight, En) => "Got it right",
        (GotItRight, Pl) => "Dobrze odpowiedzieli",
        (CloseEnough, En) => "Close",
        (CloseEnough, Pl) => "Blisko",
        (Nobody, En) => "Nobody this time.",
        (Nobody, Pl) => "Tym razem nikt.",
        (Top5, En) => "Top 5",
        (Top5, Pl) => "Pierwsza piątka",
        (Standings, En) => "Standings",
        (Standings, Pl) => "Klasyfikacja",
        (NobodyScored, En) => "Nobody has answered yet.",
        (NobodyScored, Pl) => "Nikt jeszcze nie odpowiedział.",
        (NoPoints, En) => "Nobody scored any points this time.",
        (NoPoints, Pl) => "Tym razem nikt nie zdobył punktów.",
        (FinalStandings, En) => "Final standings",
        (FinalStandings, Pl) => "Klasyfikacja końcowa",
        (Recap, En) => "Recap",
        (Recap, Pl) => "Podsumowanie",
        (Completed, En) => "The quiz is over. Thank you for playing!",
        (Completed, Pl) => "Quiz dobiegł końca. Dziękuję za grę!",
        (Stopped, En) => "The host stopped the quiz. Here are the scores so far.",
        (Stopped, Pl) => "Prowadzący zakończył quiz. Oto dotychczasowe wyniki.",
        (Interrupted, En) => "I was restarted during the quiz, so I have closed it with the scores so far. Every answer given before the restart counts.",
        (Interrupted, Pl) => "Zostałam ponownie uruchomiona w trakcie quizu, więc zamknęłam go z dotychczasowymi wynikami. Liczy się każda odpowiedź udzielona przed restartem.",
        (Idle, En) => "Nobody has moved the quiz on for a while, so I have closed it with the scores so far. Start a new one with `/quiz start` whenever you like.",
        (Idle, Pl) => "Od dłuższego czasu nikt nie prowadził quizu dalej, więc zamknęłam go z dotychczasowymi wynikami. Nowy rozpoczniesz poleceniem `/quiz start`, kiedy zechcesz.",
        (Failed, En) => "Something went wrong on my side and I had to end the quiz here. Every answer given so far is kept, and the channel is free for a new quiz.",
        (Failed, Pl) => "Coś poszło nie tak po mojej stronie i musiałam tu zakończyć quiz. Wszystkie dotychczasowe odpowiedzi są zachowane, a kanał jest wolny na nowy quiz.",
        (PausedNotice, En) => "⏸ The quiz is paused. The host resumes it with `/quiz resume`.",
        (PausedNotice, Pl) => "⏸ Quiz jest wstrzymany. Prowadzący wznowi go poleceniem `/quiz resume`.",
        (ResumedNotice, En) => "▶️ The quiz goes on.",
        (ResumedNotice, Pl) => "▶️ Gramy dalej.",
        (AckClosed, En) => "Too late: this question is closed.",
        (AckClosed, Pl) => "Za późno: to pytanie jest już zamknięte.",
        (AckPaused, En) => "The quiz is paused; answer when it goes on.",
        (AckPaused, Pl) => "Quiz jest wstrzymany; odpowiedz, gdy zostanie wznowiony.",
        (AckNotStarted, En) => "The quiz has not started yet.",
        (AckNotStarted, Pl) => "Quiz jeszcze się nie zaczął.",
        (AckFinished, En) => "This quiz is over.",
        (AckFinished, Pl) => "Ten quiz już się skończył.",
        (PressAgain, En) => "I couldn't save your answer just now, so it does not count yet. Please press again.",
        (PressAgain, Pl) => "Nie udało mi się teraz zapisać Twojej odpowiedzi, więc jeszcze się nie liczy. Naciśnij ponownie.",
        (AckInvalid, En) => "That is not an answer to this question.",
        (AckInvalid, Pl) => "To nie jest odpowiedź na to pytanie.",
        (YourAnswer, En) => "Your answer",
        (YourAnswer, Pl) => "Twoja odpowiedź",
        (TheYear, En) => "The year",
        (TheYear, Pl) => "Rok",
        (NotHost, En) => "Only members with the Manage Server permission or the quizmaster role can run a quiz; everyone else plays.",
        (NotHost, Pl) => "Quiz mogą prowadzić tylko osoby z uprawnieniem Zarządzanie serwerem albo z rolą prowadzącego quiz; pozostali grają.",
        (AlreadyRunning, En) => "A quiz is already running in this channel. Finish it with `/quiz stop` first, or start one in another channel.",
        (AlreadyRunning, Pl) => "Na tym kanale trwa już quiz. Najpierw zakończ go poleceniem `/quiz stop` albo zacznij quiz na innym kanale.",
        (NoQuiz, En) => "No quiz is running in this channel. Start one with `/quiz start`.",
        (NoQuiz, Pl) => "Na tym kanale nie trwa żaden quiz. Zacznij go poleceniem `/quiz start`.",
        (NoQuestions, En) => "I have no questions on that topic yet. Try a broader topic, or leave it out.",
        (NoQuestions, Pl) => "Nie mam jeszcze pytań na ten temat. Spróbuj szerszego tematu albo pomiń go.",
        (LeaderboardEmpty, En) => "No quiz answers are recorded for this period yet.",
        (LeaderboardEmpty, Pl) => "W tym okresie nie zapisano jeszcze żadnych odpowiedzi.",
        (Week, En) => "this week",
        (Week, Pl) => "ostatni tydzień",
        (Month, En) => "this month",
        (Month, Pl) => "ostatni miesiąc",
        (AllTime, En) => "all time",
        (AllTime, Pl) => "od początku",
        (True, En) => "True",
        (True, Pl) => "Prawda",
        (False, En) => "False",
        (False, Pl) => "Fałsz",
        (NoAnswer, En) => "no answer",
        (NoAnswer, Pl) => "brak odpowiedzi",
        (Everyone, En) => "Everyone who answered",
        (Everyone, Pl) => "Wszyscy, którzy odpowiedzieli",
    }
}

pub fn question_title(locale: Locale, n: usize, total: usize) -> String {
    match locale {
        Locale::En => format!("Question {n} of {total}"),
        Locale::Pl => format!("Pytanie {n} z {total}"),
    }
}

pub fn seconds_left(locale: Locale, s: u64) -> String {
    match locale {
        Locale::En => format!("{s} s"),
        Locale::Pl => format!("{s} s"),
    }
}

pub fn points(locale: Locale, p: u32) -> String {
    match locale {
        Locale::En => format!("{p} pts"),
        Locale::Pl => format!("{p} pkt"),
    }
}

pub fn answered_count(locale: Locale, n: usize) -> String {
    match (locale, n) {
        (Locale::En, 1) => "1 player has answered".into(),
        (Locale::En, n) => format!("{n} players have answered"),
        (Locale::Pl, 1) => "Odpowiedziała 1 osoba".into(),
        (Locale::Pl, n) if (2..=4).contains(&(n % 10)) && !(12..=14).contains(&(n % 100)) => {
            format!("Odpowiedziały {n} osoby")
        }
        (Locale::Pl, n) => format!("Odpowiedziało {n} osób"),
    }
}

pub fn ack_recorded(locale: Locale, answer: &str) -> String {
    match locale {
        Locale::En => format!("Your answer: **{answer}**. You may change it until the reveal."),
        Locale::Pl => {
            format!("Twoja odpowiedź: **{answer}**. Możesz ją zmienić aż do odsłonięcia wyniku.")
        }
    }
}

pub fn ack_changed(locale: Locale, answer: &str) -> String {
    match locale {
        Locale::En => format!("You changed your answer to **{answer}**."),
        Locale::Pl => format!("Zmieniono twoją odpowiedź na **{answer}**."),
    }
}

pub fn ack_unchanged(locale: Locale, answer: &str) -> String {
    match locale {
        Locale::En => format!("**{answer}** is already your answer."),
        Locale::Pl => format!("**{answer}** to już twoja odpowiedź."),
    }
}

pub fn restarted_resumed(locale: Locale, question: usize) -> String {
    match locale {
        Locale::En => format!("I was restarted during the quiz. Every answer given before the restart is kept: question {question} is closed with them, and the quiz goes on."),
        Locale::Pl => format!("Zostałam ponownie uruchomiona w trakcie quizu. Wszystkie odpowiedzi sprzed restartu zostały zachowane: pytanie {question} zamykam z nimi, a quiz trwa dalej."),
    }
}

pub fn restarted_continues(locale: Locale) -> &'static str {
    match locale {
        Locale::En => "I was restarted during the quiz. Every answer given before the restart is kept, and the quiz goes on.",
        Locale::Pl => "Zostałam ponownie uruchomiona w trakcie quizu. Wszystkie odpowiedzi sprzed restartu zostały zachowane, a quiz trwa dalej.",
    }
}

pub fn fewer_questions(locale: Locale, got: usize, asked: usize) -> String {
    match locale {
        Locale::En => format!(
            "Only {got} of the {asked} questions asked for match this topic; the quiz has {got}."
        ),
        Locale::Pl => format!(
            "Na ten temat mam tylko {got} z {asked} zamówionych pytań; quiz będzie ich miał {got}."
        ),
    }
}

pub fn announcement(
    locale: Locale,
    questions: usize,
    seconds: u32,
    topic: Option<&str>,
    host_mode: bool,
) -> String {
    let topic = topic
        .map(|t| match locale {
            Locale::En => format!(" on **{t}**"),
            Locale::Pl => format!(" na temat: **{t}**"),
        })
        .unwrap_or_default();
    let how = match (locale, host_mode) {
        (Locale::En, false) => "The questions follow each other.",
        (Locale::En, true) => "The host moves on to each next question.",
        (Locale::Pl, false) => "Pytania następują po sobie.",
        (Locale::Pl, true) => "Do kolejnego pytania przechodzi prowadzący.",
    };
    match locale {
        Locale::En => format!(
            "🎓 Quiz night{topic}: {questions} question{}, {seconds} seconds each. {how}",
            if questions == 1 { "" } else { "s" }
        ),
        Locale::Pl => format!(
            "🎓 Wieczór quizowy{topic}: {questions} {}, po {seconds} {}. {how}",
            pl_plural(questions as u64, "pytanie", "pytania", "pytań"),
            pl_plural(u64::from(seconds), "sekundzie", "sekundy", "sekund"),
        ),
    }
}

/// The Polish plural form for `n`: one, few (2-4, 22-24, ...) or many.
pub fn pl_plural(n: u64, one: &'static str, few: &'static str, many: &'static str) -> &'static str {
    crate::i18n::plural(Locale::Pl, n, (one, few), (one, few, many))
}

pub fn standing_line(locale: Locale, right: u32, answered: u32) -> String {
    match locale {
        Locale::En => format!("{right}/{answered} right"),
        Locale::Pl => format!("{right}/{answered} dobrze"),
    }
}

pub fn leaderboard_title(locale: Locale, period: &str) -> String {
    match locale {
        Locale::En => format!("Quiz leaderboard: {period}"),
        Locale::Pl => format!("Ranking quizów: {period}"),
    }
}

pub fn quizzes_played(locale: Locale, n: u32) -> String {
    match (locale, n) {
        (Locale::En, 1) => "1 quiz".into(),
        (Locale::En, n) => format!("{n} quizzes"),
        (Locale::Pl, 1) => "1 quiz".into(),
        (Locale::Pl, n) if (2..=4).contains(&(n % 10)) && !(12..=14).contains(&(n % 100)) => {
            format!("{n} quizy")
        }
        (Locale::Pl, n) => format!("{n} quizów"),
    }
}

pub fn modal_title(locale: Locale, n: usize) -> String {
    match locale {
        Locale::En => format!("Question {n}"),
        Locale::Pl => format!("Pytanie {n}"),
    }
}
