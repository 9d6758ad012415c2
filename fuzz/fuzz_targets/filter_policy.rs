//! SNS subscription filter policies: any text compiles or is refused with SNS's reason; a compiled policy
//! judges a message body and attributes.
#![no_main]

use libfuzzer_sys::fuzz_target;
use orgwatch_policy::subscription_filter::{Attribute, FilterPolicy, Scope};

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let (policy, body) = text.split_once('\n').unwrap_or((text, r#"{"a":{"b":[1,"x",true,null]},"c":"d"}"#));
    for scope in [Scope::MessageBody, Scope::MessageAttributes] {
        match FilterPolicy::compile(policy, scope) {
            Ok(p) => {
                let _ = p.matches_body(body);
                let _ = p.matches_attributes([
                    ("a", Attribute { data_type: "String", string_value: Some(body) }),
                    ("n", Attribute { data_type: "Number", string_value: Some("12.5") }),
                    ("l", Attribute { data_type: "String.Array", string_value: Some(r#"["x",1]"#) }),
                ]);
            }
            Err(r) => {
                let _ = r.reason();
            }
        }
    }
});
