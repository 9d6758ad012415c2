//! Composite alarm rules: any text parses or is refused; a rule that parses names its children and is
//! evaluated under every state.
#![no_main]

use libfuzzer_sys::fuzz_target;
use orgwatch_emulator::model::alarm_rule::Rule;
use orgwatch_emulator::model::cloudwatch::StateValue;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    if let Ok(rule) = Rule::parse(text) {
        let _ = rule.children();
        for s in [StateValue::Alarm, StateValue::Ok, StateValue::InsufficientData] {
            let _ = rule.holds(&|name: &str| (name.len() % 2 == 0).then_some(s));
        }
    }
});
