//! `/admin reload`, `/admin reports` and `/settings`: Discord-only commands for members with Manage Server.
//!
//! Both are declared (`commands`) with `default_member_permissions` = Manage Server, so other
//! members do not even see them, and checked again here (a server can override who sees a command). Every answer
//! is ephemeral: settings are nobody else's business, and reload errors are for the admin.

use serde_json::Value;

use super::interactions::Asked;
use super::service::{self, Services};

use crate::i18n::Locale;
use crate::knowledge::ReloadOutcome;
use crate::ops::Outcome;
use crate::store::{DailySetting, GuildSettings};
use crate::zone::Zone;

/// The commands this module answers.
pub const NAMES: [&str; 2] = ["admin", "settings"];

/// Who asked, as the admin commands need it.
pub struct Caller {
    pub guild: Option<u64>,
    /// The member's permissions in the channel (Discord sends them with every interaction).
    pub permissions: Option<u64>,
    pub locale: Locale,
    /// The channel asked in, and Clio's own permissions there (`app_permissions`).
    pub channel: u64,
    pub app_permissions: Option<u64>,
}

fn pick(locale: Locale, en: &str, pl: &str) -> String {
    match locale {
        Locale::En => en.to_string(),
        Locale::Pl => pl.to_string(),
    }
}

fn ephemeral(text: String) -> Value {
    super::interactions::notice_body(text)
}

fn get<'a>(options: &'a [(String, String)], name: &str) -> Option<&'a str> {
    options
        .iter()
        .find(|(n, _)| n == name)
        .map(|(_, v)| v.trim())
        .filter(|v| !v.is_empty())
}

/// The answer to an admin command; `None` when `asked` is not one of them.
pub async fn answer(
    services: &Services,
    asked: &Asked,
    caller: &Caller,
) -> Option<(Value, Outcome)> {
    match asked {
        Asked::Command { name, options } if NAMES.contains(&name.as_str()) => {
            Some(command_answer(services, name, options, caller).await)
        }
        _ => None,
    }
}

/// Times of day for what was typed: `9` → 09:00, 09:30, 19:00…; a full `HH:MM` first.
pub fn time_suggestions(partial: &str) -> Vec<(String, String)> {
    let typed = partial.trim();
    let mut out: Vec<String> = Vec::new();
    if let Ok(t) = chrono::NaiveTime::parse_from_str(typed, "%H:%M") {
        out.push(t.format("%H:%M").to_string());
    }
    let digits: String = typed.chars().filter(char::is_ascii_digit).collect();
    for hour in 0..24 {
        for minute in [0, 30] {
            let t = format!("{hour:02}:{minute:02}");
            let plain = t.replace(':', "");
            let matches = digits.is_empty()
                || plain.starts_with(&digits)
                || format!("{hour}{minute:02}").starts_with(&digits);
            if matches && !out.contains(&t) {
                out.push(t);
            }
        }
    }
    out.into_iter().take(25).map(|t| (t.clone(), t)).collect()
}

/// IANA zone names containing what was typed (case and `_`/space insensitive), at most 25.
pub fn zone_suggestions(partial: &str) -> Vec<(String, String)> {
    let norm = |s: &str| s.to_lowercase().replace([' ', '_'], "");
    let want = norm(partial);
    let mut zones: Vec<&str> = Zone::names()
        .iter()
        .map(|z| &**z)
        .filter(|name| norm(name).contains(&want))
        .collect();
    // Prefix matches of the city first: "war" → Europe/Warsaw before Africa/Dar_es_Salaam.
    zones.sort_by_key(|name| {
        let city = norm(name.rsplit('/').next().unwrap_or(name));
        (!city.starts_with(&want), name.len())
    });
    zones
        .into_iter()
        .take(25)
        .map(|z| (z.to_string(), z.to_string()))
        .collect()
}

/// The zone name most like a misspelt one (`Europe/Warsow` → `Europe/Warsaw`), if any is close.
pub fn closest_zone(typed: &str) -> Option<String> {
    let norm = |s: &str| s.trim().to_lowercase().replace(' ', "_");
    let typed = norm(typed);
    if typed.is_empty() {
        return None;
    }
    Zone::names()
        .iter()
        .map(|z| {
            let name = norm(z);
            let city = name.rsplit('/').next().unwrap_or(&name).to_string();
            let score =
                strsim::jaro_winkler(&typed, &name).max(strsim::jaro_winkler(&typed, &city));
            (score, &**z)
        })
        .filter(|(score, _)| *score > 0.88)
        .max_by(|a, b| a.0.total_cmp(&b.0))
        .map(|(_, name)| name.to_string())
}

async fn command_answer(
    services: &Services,
    name: &str,
    options: &[(String, String)],
    caller: &Caller,
) -> (Value, Outcome) {
    let locale = caller.locale;
    let Some(guild) = caller.guild else {
        return (
            ephemeral(pick(
                locale,
                "This works in a server only.",
                "To działa tylko na serwerze.",
            )),
            Outcome::UserError,
        );
    };
    let allowed = super::permissions::can_manage(caller.permissions);
    if !allowed {
        return (
            ephemeral(pick(
                locale,
                "Only members with the Manage Server permission can do this.",
                "To mogą zrobić tylko osoby z uprawnieniem Zarządzanie serwerem.",
            )),
            Outcome::UserError,
        );
    }
    let sub = get(options, "subcommand").unwrap_or("view");
    if name == "admin" {
        return match sub {
            "reload" => (
                ephemeral(reload_text(
                    &service::reload(services, "/admin reload").await,
                    locale,
                )),
                Outcome::Answered,
            ),
            "reports" => {
                let kb = services.live.get();
                super::reports::list(services, &kb, guild, 0, locale, None, false).await
            }
            other => unknown(other, locale),
        };
    }
    let settings = &services.settings;
    let result = match sub {
        "view" => Ok(None),
        "quizmaster" => {
            let role = match get(options, "role").map(str::parse::<u64>) {
                None => None,
                Some(Ok(r)) => Some(r),
                Some(Err(_)) => return unknown("role", locale),
            };
            settings
                .call(move |s| s.set_quizmaster_role(guild, role))
                .await
                .map(|()| {
                    Some(match role {
                        Some(_) => pick(
                            locale,
                            "Quizmaster role set.",
                            "Ustawiono rolę prowadzącego.",
                        ),
                        None => pick(
                            locale,
                            "Quizmaster role cleared.",
                            "Usunięto rolę prowadzącego.",
                        ),
                    })
                })
        }
        "language" => {
            let chosen = match get(options, "language") {
                Some("en") => Locale::En,
                Some("pl") => Locale::Pl,
                other => {
                    return (
                        ephemeral(pick(
                            locale,
                            &format!(
                                "`{}` is not a language I speak; choose English or Polski.",
                                crate::text::quote_input(other.unwrap_or(""))
                            ),
                            &format!(
                                "Nie znam języka `{}`; wybierz angielski albo polski.",
                                crate::text::quote_input(other.unwrap_or(""))
                            ),
                        )),
                        Outcome::UserError,
                    )
                }
            };
            settings
                .call(move |s| s.set_locale(guild, Some(chosen)))
                .await
                .map(|()| Some(pick(locale, "Language set.", "Ustawiono język.")))
        }
        "daily" => {
            let channel = get(options, "channel").and_then(|c| c.parse::<u64>().ok());
            let (time, zone) = (
                get(options, "time").unwrap_or(""),
                get(options, "zone").unwrap_or(""),
            );
            // Clio's permissions are known for the channel asked in: nothing is set up there
            // that could not be posted. (Another channel's are checked by the post itself,
            // which logs what is missing.)
            if channel == Some(caller.channel) {
                let missing = super::permissions::missing_to_post(caller.app_permissions);
                if !missing.is_empty() {
                    return (
                        ephemeral(super::permissions::missing_message(&missing, locale)),
                        Outcome::UserError,
                    );
                }
            }
            let daily = match (channel, validate_daily(time, zone, locale)) {
                (Some(channel), Ok(())) => {
                    DailySetting::new(channel, time, zone).expect("validated above")
                }
                (None, _) => return unknown("channel", locale),
                (_, Err(message)) => return (ephemeral(message), Outcome::UserError),
            };
            let set = settings
                .call(move |s| s.set_daily(guild, Some(daily)))
                .await;
            services.daily_nudge.notify_one();
            set.map(|()| {
                    Some(pick(
                        locale,
                        "Daily post set. If today's time has already passed, today's post comes within a minute.",
                        "Ustawiono codzienne rocznice. Jeśli dzisiejsza godzina już minęła, dzisiejszy wpis pojawi się w ciągu minuty.",
                    ))
                })
        }
        "daily_question" => {
            let Some(store) = services.daily_questions.clone() else {
                return unknown("daily_question", locale);
            };
            let channel = get(options, "channel").and_then(|c| c.parse::<u64>().ok());
            let time = get(options, "time").unwrap_or("").trim().to_string();
            let at = chrono::Utc::now().timestamp_millis().max(0) as u64;
            let setting = match channel {
                None => None,
                Some(channel) => {
                    if time.is_empty() {
                        return (
                            ephemeral(pick(
                                locale,
                                "Give `time:` too, the local time of the question as HH:MM, e.g. 18:00 (or give no channel to turn the daily question off).",
                                "Podaj też `godzina:`, czas lokalny pytania jako GG:MM, np. 18:00 (albo nie podawaj kanału, by wyłączyć pytanie dnia).",
                            )),
                            Outcome::UserError,
                        );
                    }
                    if channel == caller.channel {
                        let missing = super::permissions::missing_to_post(caller.app_permissions);
                        if !missing.is_empty() {
                            return (
                                ephemeral(super::permissions::missing_message(&missing, locale)),
                                Outcome::UserError,
                            );
                        }
                    }
                    // The server's time zone is its daily post's, else UTC.
                    let zone = match settings.guild_settings(guild).await {
                        Ok(s) => s.daily.map(|d| d.zone).unwrap_or_else(|| "UTC".into()),
                        Err(_) => "UTC".into(),
                    };
                    if let Err(message) = validate_daily(&time, &zone, locale) {
                        return (ephemeral(message), Outcome::UserError);
                    }
                    Some(crate::quiz::daily::DailyQuestionSetting {
                        channel,
                        time: time.clone(),
                        zone,
                    })
                }
            };
            let done = match &setting {
                Some(s) => match locale {
                    Locale::En => format!(
                        "Daily question set: <#{}> at {} ({}). If today's time has already passed, today's question comes within a minute.",
                        s.channel, s.time, s.zone
                    ),
                    Locale::Pl => format!(
                        "Ustawiono pytanie dnia: <#{}> o {} ({}). Jeśli dzisiejsza godzina już minęła, dzisiejsze pytanie pojawi się w ciągu minuty.",
                        s.channel, s.time, s.zone
                    ),
                },
                None => pick(locale, "Daily question turned off.", "Wyłączono pytanie dnia."),
            };
            let set = tokio::task::spawn_blocking(move || {
                store.set_daily_question(guild, setting.as_ref(), at)
            })
            .await
            .unwrap_or_else(|e| Err(crate::store::StoreError::Task(e.to_string())));
            services.daily_question_nudge.notify_one();
            set.map(|()| Some(done))
        }
        "daily-off" => settings
            .call(move |s| s.set_daily(guild, None))
            .await
            .map(|()| {
                Some(pick(
                    locale,
                    "Daily post turned off.",
                    "Wyłączono codzienne rocznice.",
                ))
            }),
        other => return unknown(other, locale),
    };
    let done = match result {
        Ok(done) => done,
        Err(e) => {
            let id = super::interactions::ErrorId::new();
            tracing::error!(error_id = %id, error = %e, "settings store failed");
            return (
                ephemeral(super::interactions::internal_error_line(locale, &id)),
                Outcome::Failed,
            );
        }
    };
    match settings.guild_settings(guild).await {
        Ok(current) => {
            let mut view = view_text(&current, locale);
            if let Some(store) = services.daily_questions.clone() {
                let read = tokio::task::spawn_blocking(move || store.daily_question_setting(guild));
                let line = match read.await {
                    Ok(Ok(Some(q))) => match locale {
                        Locale::En => format!("in <#{}> at {} ({})", q.channel, q.time, q.zone),
                        Locale::Pl => format!("na <#{}> o {} ({})", q.channel, q.time, q.zone),
                    },
                    Ok(Ok(None)) => pick(locale, "off", "wyłączone"),
                    Ok(Err(e)) => {
                        tracing::warn!(error = %e, guild, "reading the daily question setting");
                        pick(locale, "unknown (see the log)", "nieznane (zob. dziennik)")
                    }
                    Err(_) => pick(locale, "unknown (see the log)", "nieznane (zob. dziennik)"),
                };
                view.push_str(&match locale {
                    Locale::En => format!("\nDaily question: {line}"),
                    Locale::Pl => format!("\nPytanie dnia: {line}"),
                });
            }
            let text = match done {
                Some(done) => format!("{done}\n\n{view}"),
                None => view,
            };
            (ephemeral(text), Outcome::Answered)
        }
        Err(e) => {
            let id = super::interactions::ErrorId::new();
            tracing::error!(error_id = %id, error = %e, "settings store failed");
            (
                ephemeral(super::interactions::internal_error_line(locale, &id)),
                Outcome::Failed,
            )
        }
    }
}

fn unknown(what: &str, locale: Locale) -> (Value, Outcome) {
    (
        ephemeral(pick(
            locale,
            &format!("I do not know `{what}` here; Discord may still show an old version of this command."),
            &format!("Nie znam tu `{what}`; Discord może jeszcze pokazywać starą wersję tego polecenia."),
        )),
        Outcome::UserError,
    )
}

/// Check the daily post's time and zone, with a message the admin can act on.
pub fn validate_daily(time: &str, zone: &str, locale: Locale) -> Result<(), String> {
    if chrono::NaiveTime::parse_from_str(time.trim(), "%H:%M").is_err() {
        return Err(pick(
            locale,
            &format!(
                "`{}` is not a time of day; write it as HH:MM, e.g. 09:00 or 18:30.",
                crate::text::quote_input(time)
            ),
            &format!(
                "`{}` to nie godzina; wpisz ją jako GG:MM, np. 09:00 albo 18:30.",
                crate::text::quote_input(time)
            ),
        ));
    }
    if zone.trim().parse::<Zone>().is_err() {
        let hint = closest_zone(zone);
        let hint_en = hint
            .as_ref()
            .map(|z| format!(" Did you mean `{z}`?"))
            .unwrap_or_default();
        let hint_pl = hint
            .as_ref()
            .map(|z| format!(" Może chodzi o `{z}`?"))
            .unwrap_or_default();
        return Err(pick(
            locale,
            &format!(
                "`{}` is not a time zone I know; use an IANA name such as Europe/Warsaw, Europe/London or America/Chicago.{hint_en}",
                zone.trim()
            ),
            &format!(
                "Nie znam strefy czasowej `{}`; podaj nazwę IANA, np. Europe/Warsaw, Europe/London albo America/Chicago.{hint_pl}",
                zone.trim()
            ),
        ));
    }
    Ok(())
}

/// The settings as the admin sees them.
pub fn view_text(s: &GuildSettings, locale: Locale) -> String {
    let role = match s.quizmaster_role {
        Some(r) => format!("<@&{r}>"),
        None => pick(
            locale,
            "none (only members with Manage Server run quizzes)",
            "brak (quizy prowadzą tylko osoby z uprawnieniem Zarządzanie serwerem)",
        ),
    };
    let language = match (s.locale, locale) {
        (Some(Locale::Pl), Locale::En) => "Polish",
        (Some(Locale::Pl), Locale::Pl) => "polski",
        (_, Locale::En) => "English",
        (_, Locale::Pl) => "angielski",
    };
    let daily = match &s.daily {
        Some(d) => pick(
            locale,
            &format!("in <#{}> at {} ({})", d.channel, d.time, d.zone),
            &format!("na <#{}> o {} ({})", d.channel, d.time, d.zone),
        ),
        None => pick(locale, "off", "wyłączone"),
    };
    match locale {
        Locale::En => format!(
            "**Clio's settings on this server**\nQuizmaster role: {role}\nLanguage of Clio's posts: {language}\nDaily \"on this day\" post: {daily}"
        ),
        Locale::Pl => format!(
            "**Ustawienia Clio na tym serwerze**\nRola prowadzącego quizy: {role}\nJęzyk wpisów Clio: {language}\nCodzienne rocznice: {daily}"
        ),
    }
}

/// What `/admin reload` tells the admin: the counts, or every error as `file:line:column`, cut
/// to fit one message.
pub fn reload_text(outcome: &ReloadOutcome, locale: Locale) -> String {
    const ROOM: usize = 1800;
    match outcome {
        ReloadOutcome::Swapped { counts, warnings } => {
            let counts: Vec<String> = counts.iter().map(|(k, n)| k.counted(*n, locale)).collect();
            let mut text = pick(
                locale,
                &format!("Reloaded the knowledge base: {}.", counts.join(", ")),
                &format!("Wczytano bazę wiedzy: {}.", counts.join(", ")),
            );
            if !warnings.is_empty() {
                text.push_str(&pick(
                    locale,
                    &format!(
                        " {} in the log.",
                        crate::i18n::counted(
                            Locale::En,
                            warnings.len() as u64,
                            ("warning", "warnings"),
                            ("ostrzeżenie", "ostrzeżenia", "ostrzeżeń")
                        )
                    ),
                    &format!(" Ostrzeżenia w logu: {}.", warnings.len()),
                ));
            }
            text
        }
        ReloadOutcome::Rejected { errors } => {
            let mut text = pick(
                locale,
                &format!(
                    "The knowledge files have {}; I am still serving the previous base.\n```\n",
                    crate::i18n::counted(
                        Locale::En,
                        errors.len() as u64,
                        ("problem", "problems"),
                        ("problem", "problemy", "problemów")
                    )
                ),
                &format!(
                    "Pliki wiedzy mają problemy ({}); nadal używam poprzedniej bazy.\n```\n",
                    errors.len()
                ),
            );
            let mut shown = 0;
            for e in errors {
                let line = format!("{e}\n").replace("```", "'''");
                if text.len() + line.len() > ROOM {
                    break;
                }
                text.push_str(&line);
                shown += 1;
            }
            text.push_str("```");
            if shown < errors.len() {
                text.push_str(&pick(
                    locale,
                    &format!(
                        "\n…and {} more: run `clio check` on the knowledge directory.",
                        errors.len() - shown
                    ),
                    &format!(
                        "\n…i jeszcze {}: uruchom `clio check` na katalogu wiedzy.",
                        errors.len() - shown
                    ),
                ));
            }
            text
        }
    }
}
