//! Smithy RPC v2 CBOR: any body decodes to a document or is refused; nesting is bounded.
#![no_main]
#[path = "../common.rs"]
mod common;

use libfuzzer_sys::fuzz_target;
use orgwatch_emulator::protocol::decode_request;

fuzz_target!(|data: &[u8]| {
    let a = common::auth("monitoring");
    let h = common::headers(&[
        ("content-type", "application/cbor"),
        ("smithy-protocol", "rpc-v2-cbor"),
        ("authorization", &a),
    ]);
    let path = "/service/GraniteServiceVersion20100801/operation/PutMetricData";
    if let Err(e) = decode_request("POST", path, None, &h, data) {
        common::answer_is_well_formed("monitoring", &e);
    }
});
