//! The slash commands as Discord registers them, built from [`answers::COMMANDS`].
//!
//! The core names the commands and their options; what only Discord needs (descriptions within
//! 100 characters, Polish localizations, autocomplete flags, choices) lives here, in one table per
//! command. `clio commands --json` prints [`registration_body`], and `clio run` PUTs exactly it, so
//! the two never drift. A command added to the core without a description here fails a test.

use serde_json::{json, Value};

use crate::answers::{self, Suggest};
use crate::knowledge::Kind;

/// Discord's wording of one command: description in English and Polish, Polish name.
pub struct CommandText {
    pub name: &'static str,
    pub name_pl: &'static str,
    pub description: &'static str,
    pub description_pl: &'static str,
    pub options: &'static [OptionText],
}

pub struct OptionText {
    pub name: &'static str,
    pub name_pl: &'static str,
    pub description: &'static str,
    pub description_pl: &'static str,
}

/// The longest option value Discord will accept from the user; the core reads at most 200 anyway.
pub const MAX_OPTION_LENGTH: usize = 200;

pub const TEXTS: &[CommandText] = &[
    CommandText {
        name: "event",
        name_pl: "wydarzenie",
        description: "An event by name, or the events on a date",
        description_pl: "Wydarzenie według nazwy albo wydarzenia z danego dnia",
        options: &[OptionText {
            name: "query",
            name_pl: "zapytanie",
            description: "A name or a date, e.g. Battle of Kock or 1939-09-17",
            description_pl: "Nazwa lub data, np. bitwa pod Kockiem albo 17 września 1939",
        }],
    },
    CommandText {
        name: "who",
        name_pl: "kto",
        description: "A person of the period",
        description_pl: "Postać z epoki",
        options: &[OptionText {
            name: "name",
            name_pl: "osoba",
            description: "Their name; typos and missing accents are fine",
            description_pl: "Imię i nazwisko; literówki i brak polskich znaków nie szkodzą",
        }],
    },
    CommandText {
        name: "what",
        name_pl: "co",
        description: "A treaty, unit, place or idea",
        description_pl: "Traktat, jednostka, miejsce lub pojęcie",
        options: &[OptionText {
            name: "topic",
            name_pl: "temat",
            description: "What to look up, e.g. Molotov-Ribbentrop Pact",
            description_pl: "Czego szukać, np. pakt Ribbentrop-Mołotow",
        }],
    },
    CommandText {
        name: "search",
        name_pl: "szukaj",
        description: "The best matches of every kind",
        description_pl: "Najlepsze trafienia wszystkich rodzajów",
        options: &[OptionText {
            name: "text",
            name_pl: "tekst",
            description: "Any words: a name, a place, an alias",
            description_pl: "Dowolne słowa: nazwa, miejsce, inna pisownia",
        }],
    },
    CommandText {
        name: "onthisday",
        name_pl: "rocznice",
        description: "Anniversaries of a day, today by default",
        description_pl: "Rocznice danego dnia, domyślnie dzisiejszego",
        options: &[OptionText {
            name: "date",
            name_pl: "data",
            description: "A day, e.g. 17 September or 1939-09-17",
            description_pl: "Dzień, np. 17 września albo 1939-09-17",
        }],
    },
    CommandText {
        name: "timeline",
        name_pl: "oś-czasu",
        description: "Events in order, page by page",
        description_pl: "Wydarzenia po kolei, strona po stronie",
        options: &[
            OptionText {
                name: "from",
                name_pl: "od",
                description: "Start date, e.g. 1939-09-01 or September 1939",
                description_pl: "Data początkowa, np. 1939-09-01 albo wrzesień 1939",
            },
            OptionText {
                name: "to",
                name_pl: "do",
                description: "End date, e.g. 1939-10-06",
                description_pl: "Data końcowa, np. 1939-10-06",
            },
        ],
    },
    CommandText {
        name: "random",
        name_pl: "losuj",
        description: "Something to read, at random",
        description_pl: "Losowy wpis do poczytania",
        options: &[OptionText {
            name: "kind",
            name_pl: "rodzaj",
            description: "Only this kind of entry",
            description_pl: "Tylko wpisy tego rodzaju",
        }],
    },
    CommandText {
        name: "help",
        name_pl: "pomoc",
        description: "What Clio can do, with examples",
        description_pl: "Co potrafi Clio, z przykładami",
        options: &[],
    },
];

/// The wording of a command, if this table has it.
pub fn text(command: &str) -> Option<&'static CommandText> {
    TEXTS.iter().find(|t| t.name == command)
}

fn kind_name_pl(kind: Kind) -> &'static str {
    match kind {
        Kind::Person => "osoba",
        Kind::Event => "wydarzenie",
        Kind::Topic => "temat",
        Kind::Source => "źródło",
    }
}

/// The body of `PUT /applications/{id}/commands` (or the guild variant): every command of the core.
pub fn registration_body() -> Value {
    let mut commands: Vec<Value> = answers::COMMANDS.iter().map(command_json).collect();
    commands.extend(super::quiz::commands());
    // Discord-only commands for server admins: /admin, /settings.
    commands.extend(super::admin::commands());
    Value::Array(commands)
}

fn command_json(spec: &answers::CommandSpec) -> Value {
    let text = text(spec.name);
    let options: Vec<Value> = spec
        .options
        .iter()
        .map(|o| {
            let t = text.and_then(|t| t.options.iter().find(|t| t.name == o.name));
            let mut option = json!({
                "type": 3,
                "name": o.name,
                "description": t.map_or(o.name, |t| t.description),
                "required": o.required,
                "max_length": MAX_OPTION_LENGTH,
            });
            if let Some(t) = t {
                option["name_localizations"] = json!({ "pl": t.name_pl });
                option["description_localizations"] = json!({ "pl": t.description_pl });
            }
            match o.suggest {
                // Four fixed values: a choice list shows them all at once, no typing needed.
                // Discord forbids choices together with autocomplete.
                Suggest::Kinds => {
                    let choices: Vec<Value> =
                        [Kind::Person, Kind::Event, Kind::Topic, Kind::Source]
                            .into_iter()
                            .map(|k| {
                                json!({
                                    "name": k.as_str(),
                                    "name_localizations": { "pl": kind_name_pl(k) },
                                    "value": k.as_str(),
                                })
                            })
                            .collect();
                    option["choices"] = Value::Array(choices);
                }
                Suggest::Names(_) | Suggest::Dates => option["autocomplete"] = json!(true),
            }
            option
        })
        .collect();
    let mut command = json!({
        "type": 1,
        "name": spec.name,
        "description": text.map_or(spec.name, |t| t.description),
        "options": options,
        // In servers and in the bot's DMs; installed to servers.
        "contexts": [0, 1],
        "integration_types": [0],
    });
    if let Some(t) = text {
        command["name_localizations"] = json!({ "pl": t.name_pl });
        command["description_localizations"] = json!({ "pl": t.description_pl });
    }
    command
}

/// One line per command, for `clio commands` without `--json`.
pub fn summary() -> String {
    // Read off the registration body itself, so the summary can never disagree with what is
    // registered (quiz, settings and admin commands included).
    fn options(list: &Value) -> String {
        list.as_array()
            .into_iter()
            .flatten()
            .map(|o| {
                let name = o["name"].as_str().unwrap_or("");
                if o["required"].as_bool() == Some(true) {
                    format!(" <{name}>")
                } else {
                    format!(" [{name}]")
                }
            })
            .collect()
    }
    let mut out = String::new();
    for command in registration_body().as_array().into_iter().flatten() {
        let name = command["name"].as_str().unwrap_or("");
        let pl = command["name_localizations"]["pl"].as_str().unwrap_or(name);
        let subcommands: Vec<&Value> = command["options"]
            .as_array()
            .into_iter()
            .flatten()
            .filter(|o| o["type"] == 1)
            .collect();
        if subcommands.is_empty() {
            let description = command["description"].as_str().unwrap_or("");
            out.push_str(&format!(
                "/{name}{} — {description} (pl: /{pl})\n",
                options(&command["options"])
            ));
        }
        for sub in subcommands {
            let description = sub["description"].as_str().unwrap_or("");
            out.push_str(&format!(
                "/{name} {}{} — {description} (pl: /{pl})\n",
                sub["name"].as_str().unwrap_or(""),
                options(&sub["options"])
            ));
        }
    }
    out
}

/// One option (or, with `kind` 1, a subcommand) with its Polish name and description.
pub(super) fn option(
    kind: u8,
    name: &str,
    name_pl: &str,
    description: &str,
    description_pl: &str,
    required: bool,
) -> Value {
    json!({
        "type": kind,
        "name": name,
        "name_localizations": {"pl": name_pl},
        "description": description,
        "description_localizations": {"pl": description_pl},
        "required": required,
    })
}

/// A subcommand with its options.
pub(super) fn subcommand(
    name: &str,
    name_pl: &str,
    description: &str,
    description_pl: &str,
    options: Vec<Value>,
) -> Value {
    let mut s = option(1, name, name_pl, description, description_pl, false);
    s["options"] = Value::Array(options);
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    fn valid_name(s: &str) -> bool {
        let n = s.chars().count();
        (1..=32).contains(&n)
            && s.chars().all(|c| {
                (c.is_alphanumeric() || c == '-' || c == '_' || c == '\'')
                    && c.to_lowercase().eq(std::iter::once(c))
            })
    }

    #[test]
    fn the_polish_names_the_core_accepts_are_the_registered_ones() {
        for (pl, en) in crate::i18n::PL_COMMAND_NAMES {
            assert_eq!(text(en).map(|t| t.name_pl), Some(*pl), "/{en}");
        }
    }

    #[test]
    fn every_core_command_and_option_has_its_wording() {
        for spec in answers::COMMANDS {
            let t = text(spec.name).unwrap_or_else(|| {
                panic!("/{} has no entry in discord::commands::TEXTS", spec.name)
            });
            for o in spec.options {
                assert!(
                    t.options.iter().any(|t| t.name == o.name),
                    "/{} option `{}` has no wording",
                    spec.name,
                    o.name
                );
            }
        }
    }

    #[test]
    fn names_descriptions_and_counts_are_within_discords_limits() {
        let body = registration_body();
        let commands = body.as_array().unwrap();
        assert!(commands.len() <= 100);
        for c in commands {
            let mut names = vec![c["name"].as_str().unwrap()];
            names.push(c["name_localizations"]["pl"].as_str().unwrap());
            let mut descriptions = vec![
                c["description"].as_str().unwrap(),
                c["description_localizations"]["pl"].as_str().unwrap(),
            ];
            let options = c["options"].as_array().unwrap();
            assert!(options.len() <= 25);
            let mut seen_optional = false;
            let mut total = 0;
            for o in all_options(c) {
                names.push(o["name"].as_str().unwrap());
                names.push(o["name_localizations"]["pl"].as_str().unwrap());
                descriptions.push(o["description"].as_str().unwrap());
                descriptions.push(o["description_localizations"]["pl"].as_str().unwrap());
                assert!(
                    !(o.get("choices").is_some() && o.get("autocomplete").is_some()),
                    "{o}: choices and autocomplete together"
                );
                let required = o["required"].as_bool().unwrap_or(false);
                assert!(!(required && seen_optional), "{c}: required after optional");
                // Each subcommand starts a list of options of its own.
                seen_optional = o["type"] != 1 && (seen_optional || !required);
                total += o["name"].as_str().unwrap().chars().count()
                    + o["description"].as_str().unwrap().chars().count().max(
                        o["description_localizations"]["pl"]
                            .as_str()
                            .unwrap()
                            .chars()
                            .count(),
                    );
            }
            for n in names {
                assert!(valid_name(n), "`{n}` is not a valid command or option name");
            }
            for d in descriptions {
                assert!((1..=100).contains(&d.chars().count()), "`{d}` is too long");
            }
            assert!(total < 8000);
        }
    }

    /// A command's options, with each subcommand's own options after it.
    fn all_options(c: &Value) -> Vec<&Value> {
        let mut out = Vec::new();
        for o in c["options"].as_array().unwrap() {
            out.push(o);
            if o["type"] == 1 {
                assert!(o["options"].as_array().is_none_or(|a| a.len() <= 25));
                out.extend(o["options"].as_array().into_iter().flatten());
            }
        }
        out
    }

    #[test]
    fn every_name_and_date_option_autocompletes() {
        for c in registration_body().as_array().unwrap() {
            // Text options only: subcommands hold options, numbers have their range.
            for o in all_options(c).into_iter().filter(|o| o["type"] == 3) {
                let has_choices = o.get("choices").is_some();
                assert!(
                    o["autocomplete"] == true || has_choices,
                    "{}: option {} neither autocompletes nor offers choices",
                    c["name"],
                    o["name"]
                );
            }
        }
    }
}
