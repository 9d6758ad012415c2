//! S3's REST-XML: any method, path, query string and body (aws-chunked framing included) is read into an
//! operation, or refused with S3's error.
#![no_main]
#[path = "../common.rs"]
mod common;

use libfuzzer_sys::fuzz_target;
use orgwatch_emulator::protocol::decode_request;

const METHODS: [&str; 6] = ["GET", "PUT", "POST", "DELETE", "HEAD", "PATCH"];

fuzz_target!(|data: &[u8]| {
    let Some((&pick, rest)) = data.split_first() else {
        return;
    };
    let line_end = rest.iter().position(|b| *b == b'\n').unwrap_or(rest.len());
    let Ok(target) = std::str::from_utf8(&rest[..line_end]) else {
        return;
    };
    let body = rest.get(line_end + 1..).unwrap_or_default();
    let (path, qs) = match target.split_once('?') {
        Some((p, q)) => (p, Some(q)),
        None => (target, None),
    };
    let path = if path.starts_with('/') { path.to_string() } else { format!("/{path}") };
    let a = common::auth("s3");
    let chunked = if pick & 8 != 0 { "aws-chunked" } else { "identity" };
    let h = common::headers(&[("authorization", &a), ("content-encoding", chunked)]);
    let method = METHODS[usize::from(pick) % METHODS.len()];
    if let Err(e) = decode_request(method, &path, qs, &h, body) {
        common::answer_is_well_formed("s3", &e);
    }
});
