//! What a quiz interaction asks, and who asks it, out of serenity's model: `/quiz` and
//! `/leaderboard` as poise read them, the quiz's buttons and its text box from their custom_id.

use serenity::all::{
    ActionRowComponent, ChannelId, CommandInteraction, Interaction, InteractionId, Member, User,
};

use crate::i18n::Locale;
use crate::quiz::{self, Mode, PlayerId, QuizAction, QuizConfig};

/// What an interaction asks of the quiz, in plain data.
#[derive(Debug, Clone, PartialEq)]
pub enum QuizAsked {
    /// `/quiz <sub> [options]`, options as their text.
    Quiz {
        sub: String,
        options: Vec<(String, String)>,
    },
    /// `/leaderboard [period]`.
    Leaderboard { period: Option<String> },
    /// The `topic` of `/quiz start` being typed.
    Topic { partial: String },
    /// A quiz button.
    Press(QuizAction),
    /// The text box's submission.
    Typed { action: QuizAction, text: String },
}

/// Who asks, where, and in which language.
#[derive(Debug, Clone)]
pub struct Asker {
    pub user: PlayerId,
    /// Nickname in the server, else display name, else username.
    pub name: String,
    pub permissions: u64,
    pub roles: Vec<u64>,
    pub guild: Option<u64>,
    pub channel: u64,
    pub locale: Locale,
    /// Clio's own permissions in the channel, as Discord sent them (`app_permissions`).
    pub app_permissions: Option<u64>,
}

impl Asker {
    fn with_app_permissions(mut self, app: Option<u64>) -> Asker {
        self.app_permissions = app;
        self
    }
}

/// One quiz interaction, out of serenity's model.
#[derive(Debug, Clone)]
pub struct QuizInteraction {
    pub(super) id: InteractionId,
    pub(super) token: String,
    pub asker: Asker,
    pub asked: QuizAsked,
}

fn asker(
    user: &User,
    member: Option<&Member>,
    guild: Option<u64>,
    channel: ChannelId,
    locale: &str,
    guild_locale: Option<&str>,
) -> Asker {
    let name = member
        .and_then(|m| m.nick.clone())
        .or_else(|| user.global_name.clone())
        .unwrap_or_else(|| user.name.clone());
    Asker {
        user: user.id.get(),
        name,
        permissions: member.and_then(|m| m.permissions).map_or(0, |p| p.bits()),
        roles: member.map_or_else(Vec::new, |m| m.roles.iter().map(|r| r.get()).collect()),
        guild,
        channel: channel.get(),
        locale: Locale::pick(Some(locale), guild_locale),
        app_permissions: None,
    }
}

impl QuizInteraction {
    /// `/quiz` or `/leaderboard`, as poise read its options.
    pub fn from_command(c: &CommandInteraction, asked: QuizAsked) -> QuizInteraction {
        let asker = asker(
            &c.user,
            c.member.as_deref(),
            c.guild_id.map(|g| g.get()),
            c.channel_id,
            &c.locale,
            c.guild_locale.as_deref(),
        )
        .with_app_permissions(c.app_permissions.map(|p| p.bits()));
        QuizInteraction {
            id: c.id,
            token: c.token.clone(),
            asker,
            asked,
        }
    }

    /// A quiz button or the quiz's text box; `None` for other buttons, which go to
    /// `interactions`.
    pub fn from_interaction(interaction: &Interaction) -> Option<QuizInteraction> {
        let (id, token, asker, asked) = match interaction {
            Interaction::Component(c) => {
                let action = QuizAction::parse(&c.data.custom_id)?;
                let asker = asker(
                    &c.user,
                    c.member.as_ref(),
                    c.guild_id.map(|g| g.get()),
                    c.channel_id,
                    &c.locale,
                    c.guild_locale.as_deref(),
                );
                (c.id, c.token.clone(), asker, QuizAsked::Press(action))
            }
            Interaction::Modal(m) => {
                let action = QuizAction::parse(&m.data.custom_id)?;
                let text = m
                    .data
                    .components
                    .iter()
                    .flat_map(|row| row.components.iter())
                    .find_map(|c| match c {
                        ActionRowComponent::InputText(t) => t.value.clone(),
                        _ => None,
                    })
                    .unwrap_or_default();
                let asker = asker(
                    &m.user,
                    m.member.as_ref(),
                    m.guild_id.map(|g| g.get()),
                    m.channel_id,
                    &m.locale,
                    m.guild_locale.as_deref(),
                );
                (
                    m.id,
                    m.token.clone(),
                    asker,
                    QuizAsked::Typed { action, text },
                )
            }
            _ => return None,
        };
        Some(QuizInteraction {
            id,
            token,
            asker,
            asked,
        })
    }

    pub(super) fn label(&self) -> String {
        match &self.asked {
            QuizAsked::Quiz { sub, .. } => format!("/quiz {sub}"),
            QuizAsked::Leaderboard { .. } => "/leaderboard".into(),
            QuizAsked::Topic { .. } => "/quiz start topic…".into(),
            QuizAsked::Press(a) => format!("button {}", a.custom_id()),
            QuizAsked::Typed { action, .. } => format!("modal {}", action.custom_id()),
        }
    }
}

/// `/quiz start`'s options, read and checked against the engine's limits.
pub fn start_config(
    options: &[(String, String)],
    locale: Locale,
    seed: u64,
) -> Result<QuizConfig, String> {
    let get = |name: &str| {
        options
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, v)| v.trim().to_string())
            .filter(|v| !v.is_empty())
    };
    let defaults = QuizConfig::default();
    let questions = match get("questions") {
        None => defaults.questions,
        Some(v) => v
            .parse::<usize>()
            .map_err(|_| quiz::ConfigError::Questions(0).message(locale))?,
    };
    let seconds = match get("seconds") {
        None => defaults.seconds,
        Some(v) => v
            .parse::<u32>()
            .map_err(|_| quiz::ConfigError::Seconds(0).message(locale))?,
    };
    let mode = match get("mode") {
        None => Mode::Auto,
        Some(v) => Mode::parse(&v).ok_or_else(|| match locale {
            Locale::En => format!(
                "`{}` is not a mode: choose `auto` or `host`.",
                crate::text::quote_input(&v)
            ),
            Locale::Pl => format!(
                "`{}` to nie tryb: wybierz `auto` albo `host`.",
                crate::text::quote_input(&v)
            ),
        })?,
    };
    let night = night_config(&get, locale)?;
    let config = QuizConfig {
        questions,
        seconds,
        mode,
        topic: get("topic"),
        seed,
        locale,
        night,
        ..defaults
    };
    config.validate().map_err(|e| e.message(locale))?;
    Ok(config)
}

/// `/quiz start`'s night options: `teams`, `rounds`, `topics`, `lobby`, `intermission`, `hints`.
/// Hints are on unless `hints:off`.
fn night_config(
    get: &dyn Fn(&str) -> Option<String>,
    locale: Locale,
) -> Result<quiz::NightConfig, String> {
    let number = |name: &str| -> Result<Option<u64>, String> {
        match get(name) {
            None => Ok(None),
            Some(v) => v.parse::<u64>().map(Some).map_err(|_| match locale {
                Locale::En => format!(
                    "`{name}:` takes a whole number, not `{}`.",
                    crate::text::quote_input(&v)
                ),
                Locale::Pl => format!(
                    "`{name}:` przyjmuje liczbę całkowitą, nie `{}`.",
                    crate::text::quote_input(&v)
                ),
            }),
        }
    };
    let defaults = quiz::NightConfig::default();
    let clamp_u32 = |n: u64| u32::try_from(n).unwrap_or(u32::MAX);
    let hints = match get("hints").map(|h| h.to_lowercase()) {
        None => true,
        Some(h) if matches!(h.as_str(), "on" | "tak" | "yes") => true,
        Some(h) if matches!(h.as_str(), "off" | "nie" | "no") => false,
        Some(h) => {
            return Err(match locale {
                Locale::En => format!(
                    "`hints:` is `on` or `off`, not `{}`.",
                    crate::text::quote_input(&h)
                ),
                Locale::Pl => format!(
                    "`hints:` to `on` albo `off`, nie `{}`.",
                    crate::text::quote_input(&h)
                ),
            })
        }
    };
    Ok(quiz::NightConfig {
        teams: number("teams")?.map_or(0, |n| n.min(99) as usize),
        rounds: number("rounds")?.map_or(1, |n| n.min(99) as usize),
        topics: get("topics")
            .map(|t| quiz::night::split_topics(&t))
            .unwrap_or_default(),
        lobby_seconds: number("lobby")?.map_or(defaults.lobby_seconds, clamp_u32),
        intermission_seconds: number("intermission")?
            .map_or(defaults.intermission_seconds, clamp_u32),
        hints,
        ..defaults
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn opts(pairs: &[(&str, &str)]) -> Vec<(String, String)> {
        pairs
            .iter()
            .map(|(n, v)| (n.to_string(), v.to_string()))
            .collect()
    }

    #[test]
    fn start_options_default_and_bound_as_the_issue_says() {
        let c = start_config(&[], Locale::En, 7).unwrap();
        assert_eq!((c.questions, c.seconds, c.mode), (10, 20, Mode::Auto));
        let c = start_config(
            &opts(&[
                ("questions", "50"),
                ("seconds", "5"),
                ("mode", "host"),
                ("topic", " 1939 "),
            ]),
            Locale::Pl,
            7,
        )
        .unwrap();
        assert_eq!((c.questions, c.seconds, c.mode), (50, 5, Mode::Host));
        assert_eq!(c.topic.as_deref(), Some("1939"));
        assert_eq!(c.locale, Locale::Pl);
        for bad in [
            ("questions", "0"),
            ("questions", "51"),
            ("seconds", "4"),
            ("seconds", "121"),
            ("seconds", "x"),
            ("mode", "fast"),
        ] {
            let e = start_config(&opts(&[bad]), Locale::En, 7).unwrap_err();
            assert!(!e.is_empty(), "{bad:?}");
        }
    }

    #[test]
    fn night_options_are_read_and_hints_are_on_unless_turned_off() {
        let c = start_config(&[], Locale::En, 7).unwrap();
        assert!(c.night.hints, "hints are on by default");
        assert_eq!((c.night.teams, c.night.rounds), (0, 1));
        let c = start_config(
            &opts(&[
                ("questions", "5"),
                ("teams", "3"),
                ("rounds", "2"),
                ("topics", "1939 ; Warsaw Uprising"),
                ("lobby", "30"),
                ("intermission", "60"),
                ("hints", "off"),
            ]),
            Locale::En,
            7,
        )
        .unwrap();
        assert_eq!((c.night.teams, c.night.rounds), (3, 2));
        assert_eq!(c.night.topics, vec!["1939", "Warsaw Uprising"]);
        assert_eq!(
            (c.night.lobby_seconds, c.night.intermission_seconds),
            (30, 60)
        );
        assert!(!c.night.hints);
        for (bad, says) in [
            (("teams", "7"), "2 to 6 teams"),
            (("rounds", "x"), "`rounds:` takes a whole number"),
            (("hints", "maybe"), "`hints:` is `on` or `off`"),
            (("lobby", "5"), "The lobby lasts 10 to 900 seconds"),
        ] {
            let e = start_config(&opts(&[bad]), Locale::En, 7).unwrap_err();
            assert!(e.contains(says), "{bad:?}: {e}");
        }
        let e = start_config(
            &opts(&[("questions", "20"), ("rounds", "3")]),
            Locale::Pl,
            7,
        )
        .unwrap_err();
        assert!(e.contains("60 pytań"), "{e}");
    }
}
