//! Whatever a user types as a date: an answer or a kind error, never a panic.
#![no_main]
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    if let Ok(text) = std::str::from_utf8(data) {
        let _ = clio::dates::parse_user_date(text);
        let _ = clio::dates::parse_required_date(text);
    }
});
