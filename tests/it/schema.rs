//! Every command over the whole shipped pack, with ordinary and maximal inputs: each callback body
//! must validate against Discord's OpenAPI schema and the 6000-characters-across-embeds rule.

use clio::answers::{self, Command, Ctx};
use clio::dates::PartialDate;
use clio::discord::payload;
use clio::i18n::Locale;
use clio::knowledge::{Entry, Kind};

use super::support::{assert_valid_callback, pack};

fn ctx() -> Ctx {
    Ctx {
        today: PartialDate::day(2026, 9, 17),
        seed: 7,
    }
}

fn check(what: &str, cmd: &Command, locale: Locale) -> serde_json::Value {
    let reply = answers::respond(pack(), cmd, locale, &ctx());
    let body = payload::callback_body(&answers::Response::Message(reply));
    assert_valid_callback(what, &body);
    body
}

#[test]
fn every_entry_card_in_both_locales_is_a_valid_body() {
    let kb = pack();
    for entry in kb.entries() {
        for locale in [Locale::En, Locale::Pl] {
            let id = entry.id();
            for custom_id in [
                format!("o:{id}"),
                format!("s:{id}"),
                format!("p:{id}"),
                format!("n:{id}"),
            ] {
                let response = answers::press(kb, &custom_id, locale, &ctx());
                assert_valid_callback(&custom_id, &payload::callback_body(&response));
            }
            let name = entry.name(locale).to_string();
            let cmd = match entry {
                Entry::Person(_) => Command::Who { name },
                Entry::Event(_) => Command::Event { query: name },
                Entry::Topic(_) => Command::What { topic: name },
                Entry::Source(_) => Command::Search { text: name },
            };
            check(&format!("{cmd:?}"), &cmd, locale);
        }
    }
}

#[test]
fn every_command_with_ordinary_and_maximal_inputs_is_a_valid_body() {
    let long = "Anders ".repeat(1000);
    let max_option = "W".repeat(6000);
    let mut inputs: Vec<String> = vec![
        "".into(),
        "1939-09-17".into(),
        "1939".into(),
        "1939-09".into(),
        "17 września 1939".into(),
        "17 September".into(),
        "1939-02-30".into(),
        "Anders".into(),
        "Sikorsky".into(),
        "Qwerty Asdfgh".into(),
        "@everyone".into(),
        "<@123456789012345678>".into(),
        "`backticks` **bold**".into(),
        long,
        max_option,
        "1900..2000".into(),
        "44 BC".into(),
    ];
    inputs.extend(
        pack()
            .entries()
            .iter()
            .take(5)
            .map(|e| e.name(Locale::En).to_string()),
    );
    for input in &inputs {
        for locale in [Locale::En, Locale::Pl] {
            for spec in super::support::lookup_commands() {
                let options: Vec<(String, String)> = spec
                    .options
                    .iter()
                    .map(|o| (o.0.clone(), input.clone()))
                    .collect();
                let cmd = Command::from_parts(&spec.name, &options).expect("known command");
                check(&format!("/{} {:.40}", spec.name, input), &cmd, locale);
            }
        }
    }
}

#[test]
fn the_whole_timeline_page_by_page_is_valid() {
    let kb = pack();
    let events = kb.timeline().count();
    for page in 0..=events / 10 + 1 {
        let response = answers::press(kb, &format!("t:::{page}"), Locale::En, &ctx());
        assert_valid_callback(
            &format!("timeline page {page}"),
            &payload::callback_body(&response),
        );
    }
    for kind in Kind::ALL {
        let response = answers::press(kb, &format!("r:{}", kind.as_str()), Locale::Pl, &ctx());
        assert_valid_callback("random", &payload::callback_body(&response));
    }
}

#[test]
fn every_day_of_the_year_is_a_valid_on_this_day() {
    for month in 1..=12u8 {
        for day in 1..=clio::dates::days_in_month(2000, month) {
            let response = answers::press(
                pack(),
                &format!("a:{month:02}{day:02}:0"),
                Locale::En,
                &ctx(),
            );
            assert_valid_callback("onthisday", &payload::callback_body(&response));
        }
    }
}

#[test]
fn autocomplete_bodies_are_valid_and_bounded() {
    for spec in super::support::lookup_commands() {
        for option in &spec.autocompletes {
            for partial in [
                "",
                "a",
                "Ande",
                "1939",
                "1939-09-17",
                "wrz",
                &"x".repeat(500),
            ] {
                for locale in [Locale::En, Locale::Pl] {
                    let choices =
                        answers::autocomplete(pack(), &spec.name, option, partial, locale);
                    assert!(choices.len() <= 25);
                    let body = payload::autocomplete_body(&choices);
                    assert_valid_callback(
                        &format!("autocomplete /{} {}", spec.name, option),
                        &body,
                    );
                }
            }
        }
    }
}

#[test]
fn errors_and_no_match_are_ephemeral_found_answers_are_public() {
    let flags = |cmd: Command| {
        check("flags", &cmd, Locale::En)["data"]["flags"]
            .as_u64()
            .unwrap_or(0)
    };
    assert_eq!(
        flags(Command::Who {
            name: "Anders".into()
        }) & 64,
        0
    );
    assert_eq!(
        flags(Command::Event {
            query: "1939-09-17".into()
        }) & 64,
        0
    );
    assert_eq!(
        flags(Command::Who {
            name: "Qwerty Asdfgh".into()
        }) & 64,
        64
    );
    assert_eq!(
        flags(Command::Event {
            query: "1939-02-30".into()
        }) & 64,
        64
    );
    assert_eq!(flags(Command::Who { name: "".into() }) & 64, 64);
}
