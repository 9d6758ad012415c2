//! AWS Query: any form body (and query string) is rebuilt into a document and read as text leaves, or
//! refused with an error whose XML carries only what XML can.
#![no_main]
#[path = "../common.rs"]
mod common;

use libfuzzer_sys::fuzz_target;
use orgwatch_emulator::protocol::{decode_request, query_input, Document};

fuzz_target!(|data: &[u8]| {
    let split = data.iter().position(|b| *b == b'?').unwrap_or(data.len());
    let (body, qs) = data.split_at(split);
    let qs = std::str::from_utf8(qs.get(1..).unwrap_or_default()).ok();
    let a = common::auth("sns");
    let h = common::headers(&[
        ("content-type", "application/x-www-form-urlencoded"),
        ("authorization", &a),
    ]);
    match decode_request("POST", "/", qs, &h, body) {
        Ok(d) => {
            if let Document::Text(v) = d.input {
                let _ = query_input::read::<serde_json::Value>(v);
            }
        }
        Err(e) => common::answer_is_well_formed("sns", &e),
    }
});
