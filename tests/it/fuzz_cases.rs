//! What the fuzz targets in `fuzz/` check, run by `cargo test`: over the seed corpus (which holds
//! the crashing and wrong inputs of issue 15) and over proptest's arbitrary inputs.

use clio::answers::buttons::Action;
use clio::knowledge::{load_texts, MAX_PROBLEMS_PER_FILE};
use clio::quiz::QuizAction;
use proptest::prelude::*;

use super::support::root;

fn date_parser(text: &str) {
    let _ = clio::dates::parse_user_date(text);
    let _ = clio::dates::parse_required_date(text);
}

fn command_line(text: &str) {
    let _ = clio::console::parse_command_line(text);
}

fn custom_id(text: &str) {
    if let Some(action) = Action::parse(text) {
        assert_eq!(Action::parse(&action.custom_id()), Some(action), "{text:?}");
    }
    if let Some(action) = QuizAction::parse(text) {
        assert_eq!(
            QuizAction::parse(&action.custom_id()),
            Some(action),
            "{text:?}"
        );
    }
}

fn knowledge_loader(text: &str) {
    let report = load_texts(&[("fuzz.toml", text)]);
    assert!(
        report.problems.len() <= MAX_PROBLEMS_PER_FILE + 1,
        "{} problems listed",
        report.problems.len()
    );
    assert_eq!(report.base.is_some(), !report.has_errors());
}

/// One fuzz target's check.
type Check = fn(&str);

fn corpus(target: &str) -> Vec<(String, Vec<u8>)> {
    let dir = root().join("fuzz/corpus").join(target);
    let mut files: Vec<_> = std::fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
        .flatten()
        .map(|e| {
            (
                e.file_name().to_string_lossy().into_owned(),
                std::fs::read(e.path()).unwrap(),
            )
        })
        .collect();
    files.sort();
    assert!(
        files.len() >= 10,
        "{target}: a seed corpus of {} files",
        files.len()
    );
    files
}

#[test]
fn the_fuzz_seed_corpus_passes_every_fuzz_check() {
    let targets: [(&str, Check); 4] = [
        ("date_parser", date_parser),
        ("command_line", command_line),
        ("custom_id", custom_id),
        ("knowledge_loader", knowledge_loader),
    ];
    for (target, check) in targets {
        for (name, bytes) in corpus(target) {
            if let Ok(text) = std::str::from_utf8(&bytes) {
                let outcome = std::panic::catch_unwind(|| check(text));
                assert!(
                    outcome.is_ok(),
                    "fuzz/corpus/{target}/{name} fails its check"
                );
            }
        }
    }
}

#[test]
fn a_garbage_file_lists_at_most_fifty_problems() {
    // The shape of the 50 MB garbage file of issue 15, small enough to parse here.
    knowledge_loader(&"= = [[ \u{7f}\n".repeat(5000));
    knowledge_loader(&(0..5000).map(|i| format!("x{i} = 1\n")).collect::<String>());
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    #[test]
    fn arbitrary_dates_never_panic(text in "\\PC{0,40}|[0-9 .\\-/:]{0,30}") {
        date_parser(&text);
    }

    #[test]
    fn arbitrary_command_lines_never_panic(text in "/?[a-z]{0,10}( [a-z]{0,6}:?[^ ]{0,20}){0,4}|\\PC{0,60}") {
        command_line(&text);
    }

    #[test]
    fn custom_ids_read_back_the_same(text in "(q:)?[aonpsrtdmz]:[a-z0-9:\\-]{0,30}|\\PC{0,40}") {
        custom_id(&text);
    }

    #[test]
    fn arbitrary_knowledge_files_load_or_list_their_problems(
        text in "(\\[\\[(source|person|event|topic|question)\\]\\]\n|[a-z_]{1,8} = (\"[^\"\n]{0,12}\"|[0-9]{1,4}|\\[\\]|\\{\\})\n|\\PC{0,30}\n){0,30}"
    ) {
        knowledge_loader(&text);
    }

    #[test]
    fn quoted_user_text_has_no_backtick_or_control_character(text in "\\PC{0,200}|[`\n\r\t a-z]{0,50}") {
        let quoted = clio::text::quote_input(&text);
        prop_assert!(!quoted.contains('`'));
        prop_assert!(!quoted.chars().any(char::is_control));
        prop_assert!(quoted.chars().count() <= 100);
    }
}
