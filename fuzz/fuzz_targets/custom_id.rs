//! Whatever arrives as a button's custom_id (anyone can send one): an action or nothing, never a
//! panic; and an action read from one is written back to a custom_id that reads the same.
#![no_main]
use clio::answers::buttons::Action;
use clio::quiz::QuizAction;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    if let Some(action) = Action::parse(text) {
        assert_eq!(Action::parse(&action.custom_id()), Some(action));
    }
    if let Some(action) = QuizAction::parse(text) {
        assert_eq!(QuizAction::parse(&action.custom_id()), Some(action));
    }
});
