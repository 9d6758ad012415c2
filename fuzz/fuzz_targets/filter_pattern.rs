//! The filter-pattern language: any text parses or is refused with a located error; a pattern that parses
//! evaluates any message (the input itself among them) and is analysed for coverage without a panic.
#![no_main]

use libfuzzer_sys::fuzz_target;
use orgwatch_pattern::coverage::{analyze, EventClass};
use orgwatch_pattern::Pattern;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let (pattern, message) = text.split_once('\n').unwrap_or((text, text));
    match Pattern::parse(pattern) {
        Ok(p) => {
            let record = r#"{"eventSource":"organizations.amazonaws.com","eventName":"CreateAccount","awsRegion":"us-east-1","userIdentity":{"type":"Root"}}"#;
            for m in [message, record, "[ERROR] 127.0.0.1 - 200 1234"] {
                let _ = p.matches(m);
                let _ = p.extract(m);
            }
            let _ = analyze(&p, &EventClass::organizations());
        }
        Err(e) => {
            let _ = e.line_col(pattern);
            let _ = e.render(pattern);
        }
    }
});
