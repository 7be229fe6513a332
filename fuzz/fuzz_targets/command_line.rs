//! Whatever is typed at `clio ask` or the console: a command or a usage error, never a panic.
#![no_main]
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    if let Ok(text) = std::str::from_utf8(data) {
        let _ = clio::console::parse_command_line(text);
    }
});
