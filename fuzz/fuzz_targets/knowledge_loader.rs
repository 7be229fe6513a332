//! Whatever a knowledge file holds: a base or a list of problems, never a panic; never more than
//! the capped number of problems listed for one file.
#![no_main]
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    if let Ok(text) = std::str::from_utf8(data) {
        let report = clio::knowledge::load_texts(&[("fuzz.toml", text)]);
        assert!(report.problems.len() <= clio::knowledge::MAX_PROBLEMS_PER_FILE + 1);
        assert_eq!(report.base.is_some(), !report.has_errors());
    }
});
