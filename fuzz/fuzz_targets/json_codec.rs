//! AWS JSON 1.0 and 1.1: any body, under either content type and a few targets, decodes or is refused
//! with an AWS error; never a panic or an unbounded descent.
#![no_main]
#[path = "../common.rs"]
mod common;

use libfuzzer_sys::fuzz_target;
use orgwatch_emulator::protocol::decode_request;

fuzz_target!(|data: &[u8]| {
    let Some((&pick, body)) = data.split_first() else {
        return;
    };
    let (ct, target, service) = match pick % 4 {
        0 => ("application/x-amz-json-1.1", "Logs_20140328.PutMetricFilter", "logs"),
        1 => ("application/x-amz-json-1.0", "GraniteServiceVersion20100801.PutMetricAlarm", "monitoring"),
        2 => ("application/x-amz-json-1.0", "AmazonSQS.SendMessage", "sqs"),
        _ => ("application/x-amz-json-1.1", "CloudTrail_20131101.PutEventSelectors", "cloudtrail"),
    };
    let a = common::auth(service);
    let h = common::headers(&[("content-type", ct), ("x-amz-target", target), ("authorization", &a)]);
    if let Err(e) = decode_request("POST", "/", None, &h, body) {
        common::answer_is_well_formed(service, &e);
    }
});
