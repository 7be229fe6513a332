//! Arbitrary input through every command never panics and always gives a valid body.

use clio::answers::{self, Command, Ctx};
use clio::dates::PartialDate;
use clio::discord::payload;
use clio::i18n::Locale;
use proptest::prelude::*;

use super::support::{callback_errors, pack};

fn nasty() -> impl Strategy<Value = String> {
    prop_oneof![
        Just(String::new()),
        Just("@everyone".to_string()),
        Just("@here <@&123> <@!456>".to_string()),
        Just("x".repeat(10_000)),
        Just("🙂".repeat(3000)),
        Just("\u{202E}مرحبا بالعالم שלום\u{200F}".to_string()),
        Just("\0\u{1}\u{7}\r\n\t\u{1b}[31m".to_string()),
        Just("1939-09-17..".to_string()),
        Just("..".to_string()),
        Just("-".to_string()),
        Just("99999999999999999999".to_string()),
        Just("17 IX -5".to_string()),
        ".{0,300}",
        "[0-9 .\\-/]{0,30}",
        "[\\p{L}\\p{N}\\p{P}\\p{S}\\p{Z}\\p{C}]{0,80}",
    ]
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 64, failure_persistence: None, ..ProptestConfig::default() })]

    #[test]
    fn any_input_to_any_command_gives_a_valid_body(input in nasty(), cmd_index in 0..7usize, pl in any::<bool>()) {
        let specs = super::support::lookup_commands();
        let spec = &specs[cmd_index % specs.len()];
        let options: Vec<(String, String)> = spec.options.iter().map(|o| (o.0.clone(), input.clone())).collect();
        let cmd = Command::from_parts(&spec.name, &options).unwrap();
        let locale = if pl { Locale::Pl } else { Locale::En };
        let ctx = Ctx { today: PartialDate::day(2026, 11, 22), seed: 1 };
        let body = payload::callback_body(&answers::Response::Message(answers::respond(pack(), &cmd, locale, &ctx)));
        let errors = callback_errors(&body);
        prop_assert!(errors.is_empty(), "{:?}", errors);
        prop_assert_eq!(&body["data"]["allowed_mentions"], &serde_json::json!({"parse": []}));
    }

    #[test]
    fn any_custom_id_gives_a_valid_body(id in prop_oneof![".{0,120}", "[opnsdtar]:[a-z0-9:_\\-]{0,60}"]) {
        let ctx = Ctx { today: PartialDate::day(2026, 11, 22), seed: 1 };
        let body = payload::callback_body(&answers::press(pack(), &id, Locale::En, &ctx));
        let errors = callback_errors(&body);
        prop_assert!(errors.is_empty(), "{:?}", errors);
    }

    #[test]
    fn any_autocomplete_input_gives_a_valid_body(input in nasty(), cmd_index in 0..7usize) {
        let specs = super::support::lookup_commands();
        let spec = &specs[cmd_index % specs.len()];
        for option in &spec.autocompletes {
            let choices = answers::autocomplete(pack(), &spec.name, option, &input, Locale::En);
            let errors = callback_errors(&payload::autocomplete_body(&choices));
            prop_assert!(errors.is_empty(), "{:?}", errors);
        }
    }

    #[test]
    fn the_date_parser_never_panics(input in ".{0,100}") {
        let _ = clio::dates::parse_user_date(&input);
    }
}
