//! A quiz night's messages: the lobby with a Join button per team, the intermission, the team
//! lines the reveal and standings show first, the hint button and the hint itself. In English
//! and Polish; pure, like `quiz::render`.

use super::{Hint, TeamStanding};
use crate::answers::{Button, ButtonStyle, Embed, Reply};
use crate::i18n::Locale;
use crate::knowledge::question::Answer;
use crate::quiz::action::QuizAction;
use crate::quiz::engine::{HintAck, JoinAck, NightRefusal, Phase, QuizSession, Standing};
use crate::quiz::i18n;
use crate::text::escape_markdown;

const LOBBY: u32 = 0x8B5CF6;
const BREAK: u32 = 0xF59E0B;
const LETTERS: [&str; 5] = ["A", "B", "C", "D", "E"];

fn pick(locale: Locale, en: &'static str, pl: &'static str) -> &'static str {
    match locale {
        Locale::En => en,
        Locale::Pl => pl,
    }
}

/// `1. Westerplatte — 1200 pts (3 players)` per team.
pub fn team_lines(teams: &[TeamStanding], locale: Locale) -> String {
    teams
        .iter()
        .map(|t| {
            let players = match locale {
                Locale::En if t.members == 1 => "1 player".to_string(),
                Locale::En => format!("{} players", t.members),
                Locale::Pl => format!("graczy: {}", t.members),
            };
            format!(
                "{}. **{}** — {} ({players})",
                t.rank,
                escape_markdown(&t.name),
                i18n::points(locale, t.points)
            )
        })
        .collect::<Vec<_>>()
        .join("\n")
}

fn player_lines(players: &[Standing], locale: Locale, take: usize) -> String {
    players
        .iter()
        .filter(|s| s.points > 0)
        .take(take)
        .map(|s| {
            format!(
                "{}. {} — {}",
                s.rank,
                escape_markdown(&s.name),
                i18n::points(locale, s.points)
            )
        })
        .collect::<Vec<_>>()
        .join("\n")
}

/// The teams' standings as the first field of an embed, when the quiz plays in teams (the
/// players' lines follow it).
pub fn with_team_field(session: &QuizSession, embed: Embed) -> Embed {
    if !session.has_teams() {
        return embed;
    }
    let locale = session.config().locale;
    embed.field(
        pick(locale, "Teams", "Drużyny"),
        team_lines(&session.team_standings(), locale),
        false,
    )
}

/// The 💡 Hint button of an open question, when the quiz gives hints.
pub fn hint_row(session: &QuizSession, quiz: u64, index: usize) -> Vec<Button> {
    if !session.config().night.hints {
        return Vec::new();
    }
    let locale = session.config().locale;
    let mut b = Button::new(
        format!("💡 {}", pick(locale, "Hint", "Podpowiedź")),
        QuizAction::Hint {
            quiz,
            question: index,
        }
        .custom_id(),
        ButtonStyle::Secondary,
    );
    b.disabled = session.open_question() != Some(index);
    vec![b]
}

/// The lobby: the teams with their players, a Join button per team, and Start for the host
/// while it waits. It stays up all night, so latecomers join from it.
pub fn lobby_message(session: &QuizSession, quiz: u64, now: u64) -> Reply {
    let locale = session.config().locale;
    let night = &session.config().night;
    let state = session.night();
    let rounds = night.round_count();
    let mut description = match locale {
        Locale::En => format!(
            "Pick a team with its button; you may switch, and join later too. A team scores the mean of its players' points.\n{} questions in {rounds} round(s).",
            session.questions().len()
        ),
        Locale::Pl => format!(
            "Wybierz drużynę przyciskiem; możesz ją zmienić i dołączyć później. Drużyna dostaje średnią punktów swoich graczy.\nPytań: {}, rund: {rounds}.",
            session.questions().len()
        ),
    };
    if let Phase::Lobby { until } = session.phase() {
        let left = until.saturating_sub(now).div_ceil(1000);
        description.push_str(&match locale {
            Locale::En => {
                format!("\nThe first question comes in {left} s, or when the host presses Start.")
            }
            Locale::Pl => {
                format!("\nPierwsze pytanie za {left} s albo gdy prowadzący naciśnie Start.")
            }
        });
    }
    let mut embed = Embed {
        title: Some(format!(
            "🎉 {}",
            pick(
                locale,
                "Quiz night: pick your team",
                "Wieczór quizowy: wybierz drużynę"
            )
        )),
        description: Some(description),
        color: Some(LOBBY),
        ..Default::default()
    };
    for team in 0..night.teams {
        let members: Vec<String> = state
            .members(team)
            .iter()
            .map(|p| escape_markdown(session.player_name(*p).unwrap_or("?")))
            .collect();
        let value = if members.is_empty() {
            pick(locale, "(nobody yet)", "(jeszcze nikt)").to_string()
        } else {
            members.join(", ")
        };
        embed = embed.field(escape_markdown(state.team_name(team)), value, true);
    }
    let buttons: Vec<Button> = (0..night.teams)
        .map(|team| {
            let mut b = Button::new(
                format!(
                    "{} {}",
                    pick(locale, "Join", "Dołącz:"),
                    state.team_name(team)
                ),
                QuizAction::Join { quiz, team }.custom_id(),
                ButtonStyle::Primary,
            );
            b.disabled = session.is_finished();
            b
        })
        .collect();
    let mut reply = Reply::embed(embed);
    let mut rows = buttons.chunks(3).map(<[Button]>::to_vec);
    reply = reply.with_row(rows.next().unwrap_or_default());
    reply = reply.with_row(rows.next().unwrap_or_default());
    if matches!(session.phase(), Phase::Lobby { .. }) {
        reply = reply.with_row(vec![Button::new(
            format!("▶️ {}", pick(locale, "Start", "Start")),
            QuizAction::Next { quiz }.custom_id(),
            ButtonStyle::Success,
        )]);
    }
    reply.fit()
}

/// The intermission after round `round` (0-based): its winners, the standings so far, and the
/// next round's theme; the host's button starts the next round at once.
pub fn intermission_message(session: &QuizSession, quiz: u64, round: usize) -> Reply {
    let locale = session.config().locale;
    let night = &session.config().night;
    let total = session.questions().len();
    let range = night.round_range(round, total);
    let (done, next) = (round + 1, round + 2);
    let theme = night
        .topic_of(round + 1)
        .or(session.config().topic.as_deref())
        .map(str::to_string)
        .unwrap_or_else(|| pick(locale, "everything", "wszystko").to_string());
    let next_at = match session.phase() {
        Phase::Intermission { next_at, .. } => Some(next_at),
        _ => None,
    };
    let mut description = match locale {
        Locale::En => format!(
            "Round {done} is over. Round {next}: **{}**.",
            escape_markdown(&theme)
        ),
        Locale::Pl => format!(
            "Runda {done} skończona. Runda {next}: **{}**.",
            escape_markdown(&theme)
        ),
    };
    if let Some(at) = next_at {
        let begun = session
            .night()
            .intermissions
            .get(&round)
            .map_or(at, |(b, _)| *b);
        let seconds = at.saturating_sub(begun).div_ceil(1000);
        description.push_str(&match locale {
            Locale::En => {
                format!("\nIt begins in {seconds} s, or when the host runs `/quiz next`.")
            }
            Locale::Pl => {
                format!("\nZacznie się za {seconds} s albo po `/quiz next` prowadzącego.")
            }
        });
    }
    let mut embed = Embed {
        title: Some(format!(
            "☕ {}",
            match locale {
                Locale::En => format!("Intermission after round {done}"),
                Locale::Pl => format!("Przerwa po rundzie {done}"),
            }
        )),
        description: Some(description),
        color: Some(BREAK),
        ..Default::default()
    };
    if session.has_teams() {
        let winners: Vec<TeamStanding> = session
            .team_standings_over(range.clone())
            .into_iter()
            // A round nobody scored in has no winners.
            .filter(|t| t.rank == 1 && t.points > 0)
            .collect();
        embed = embed.field(
            pick(locale, "Round winners", "Zwycięzcy rundy"),
            team_lines(&winners, locale),
            false,
        );
    }
    embed = embed.field(
        pick(locale, "Best players of the round", "Najlepsi gracze rundy"),
        player_lines(&session.standings_over(range), locale, 3),
        false,
    );
    embed = with_team_field(session, embed);
    embed = embed.field(
        i18n::q(locale, i18n::Q::Standings),
        player_lines(&session.standings(), locale, 10),
        false,
    );
    let button = Button::new(
        match locale {
            Locale::En => format!("Start round {next}"),
            Locale::Pl => format!("Zacznij rundę {next}"),
        },
        QuizAction::Next { quiz }.custom_id(),
        ButtonStyle::Primary,
    );
    let mut reply = Reply::embed(embed);
    if next_at.is_some() {
        reply = reply.with_row(vec![button]);
    }
    reply.fit()
}

fn private(text: String) -> Reply {
    Reply {
        content: Some(text),
        ..Default::default()
    }
    .ephemeral()
    .fit()
}

/// Why a night command was refused, for the one who asked.
pub fn refusal(locale: Locale, why: NightRefusal) -> Reply {
    private(
        match why {
            NightRefusal::NoTeams => pick(
                locale,
                "This quiz plays without teams: start one with `/quiz start teams:3`.",
                "Ten quiz jest bez drużyn: zacznij quiz z `/quiz start teams:3`.",
            ),
            NightRefusal::NoSuchTeam => pick(
                locale,
                "There is no such team: name a team by its number shown in the lobby.",
                "Nie ma takiej drużyny: podaj numer drużyny z poczekalni.",
            ),
            NightRefusal::Finished => i18n::q(locale, i18n::Q::AckFinished),
            NightRefusal::HintsOff => pick(
                locale,
                "This quiz gives no hints (it was started with `hints:off`).",
                "Ten quiz nie daje podpowiedzi (zaczęto go z `hints:off`).",
            ),
            NightRefusal::Closed => i18n::q(locale, i18n::Q::AckClosed),
            NightRefusal::EmptyName => pick(
                locale,
                "A team's name cannot be empty: give it a few letters.",
                "Nazwa drużyny nie może być pusta: podaj kilka liter.",
            ),
        }
        .to_string(),
    )
}

/// The answer to a Join press.
pub fn join_ack(session: &QuizSession, ack: &JoinAck) -> Reply {
    let locale = session.config().locale;
    let name = |t: usize| escape_markdown(session.night().team_name(t));
    private(match (ack, locale) {
        (JoinAck::Already { team }, Locale::En) => {
            format!("You are already in **{}**.", name(*team))
        }
        (JoinAck::Already { team }, Locale::Pl) => {
            format!("Już jesteś w drużynie **{}**.", name(*team))
        }
        (JoinAck::Joined { team, from: None }, Locale::En) => {
            format!("You joined **{}**.", name(*team))
        }
        (JoinAck::Joined { team, from: None }, Locale::Pl) => {
            format!("Dołączono do drużyny **{}**.", name(*team))
        }
        (
            JoinAck::Joined {
                team,
                from: Some(f),
            },
            Locale::En,
        ) => format!(
            "You moved from **{}** to **{}**; your earlier answers stay with {}.",
            name(*f),
            name(*team),
            name(*f)
        ),
        (
            JoinAck::Joined {
                team,
                from: Some(f),
            },
            Locale::Pl,
        ) => format!(
            "Przeniesiono z drużyny **{}** do **{}**; wcześniejsze odpowiedzi zostają przy {}.",
            name(*f),
            name(*team),
            name(*f)
        ),
    })
}

/// The hint, for the presser alone, with its price.
pub fn hint_reply(session: &QuizSession, ack: &HintAck) -> Reply {
    let locale = session.config().locale;
    let question = session.question(ack.index);
    let what = match (&ack.hint, question.map(|q| &q.answer)) {
        (Hint::Removed(gone), Some(Answer::Choice { options, .. })) => {
            let names: Vec<String> = gone
                .iter()
                .map(|i| {
                    format!(
                        "{} · {}",
                        LETTERS.get(*i).copied().unwrap_or("?"),
                        options.get(*i).map(|o| o.text.get(locale)).unwrap_or("")
                    )
                })
                .collect();
            match locale {
                Locale::En => format!("These are wrong: {}.", names.join("; ")),
                Locale::Pl => format!("Te są błędne: {}.", names.join("; ")),
            }
        }
        (Hint::Decade(d), _) => match locale {
            Locale::En => format!("The year is in the {d}s ({d}–{}).", d + 9),
            Locale::Pl => format!("To lata {d}–{}.", d + 9),
        },
        (Hint::Letters { first, length }, _) => match locale {
            Locale::En => format!("It begins with “{first}” and has {length} letters."),
            Locale::Pl => format!("Zaczyna się na „{first}” i ma {length} liter."),
        },
        _ => String::new(),
    };
    let price = pick(
        locale,
        "💡 A hint halves the points of your answer given after it.",
        "💡 Podpowiedź zmniejsza o połowę punkty za odpowiedź udzieloną po niej.",
    );
    private(format!("{what}\n{price}"))
}

/// The host's confirmation of a renamed team.
pub fn renamed(locale: Locale, team: usize, name: &str) -> Reply {
    private(match locale {
        Locale::En => format!("Team {} is now **{}**.", team + 1, escape_markdown(name)),
        Locale::Pl => format!(
            "Drużyna {} nazywa się teraz **{}**.",
            team + 1,
            escape_markdown(name)
        ),
    })
}
