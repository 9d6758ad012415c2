//! The scenario loader: any file loads or is refused with `file:line:column` and a reason.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    if let Err(e) = orgwatch_scenarios::format::parse("fuzz.json", text) {
        assert!(e.starts_with("fuzz.json"), "{e}");
    }
});
