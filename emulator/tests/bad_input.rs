//! Bad input gets an AWS-shaped error and the server keeps serving; the codecs never panic.

mod common;

use common::{auth, json_call, raw};
use orgwatch_emulator::protocol;
use proptest::prelude::*;

const JSON11: &str = "application/x-amz-json-1.1";

async fn still_serving(h: &orgwatch_emulator::Handle) {
    let a = auth("logs");
    let r = json_call(h, "Logs_20140328.DescribeLogGroups", &a, b"{}").await;
    assert_eq!(r.status, 200, "{}", r.text());
}

#[tokio::test]
async fn malformed_requests_get_aws_errors() {
    let h = common::emulator().await;
    let logs = auth("logs");
    let cw = auth("monitoring");

    let r = json_call(
        &h,
        "Logs_20140328.CreateLogGroup",
        &logs,
        b"{\"logGroupName\": ",
    )
    .await;
    assert_eq!(r.status, 400);
    assert_eq!(r.json()["__type"], "SerializationException");
    still_serving(&h).await;

    let r = raw(
        &h,
        "POST",
        "/service/GraniteServiceVersion20100801/operation/DescribeAlarms",
        &[
            ("content-type", "application/cbor"),
            ("smithy-protocol", "rpc-v2-cbor"),
            ("authorization", &cw),
            ("x-amzn-query-mode", "true"),
        ],
        &[0xbf, 0x6f, 0x41, 0x6c],
    )
    .await;
    assert_eq!(r.status, 400);
    assert_eq!(r.header("smithy-protocol"), Some("rpc-v2-cbor"));
    assert_eq!(
        r.header("x-amzn-query-error"),
        Some("SerializationException;Sender")
    );
    let body: ciborium::Value = ciborium::de::from_reader(&r.body[..]).expect("a CBOR error body");
    assert!(format!("{body:?}").contains("SerializationException"));
    still_serving(&h).await;

    let r = raw(
        &h,
        "POST",
        "/",
        &[
            ("x-amz-target", "Logs_20140328.CreateLogGroup"),
            ("content-type", "text/plain"),
            ("authorization", &logs),
        ],
        b"{}",
    )
    .await;
    assert_eq!(r.status, 400);
    assert_eq!(r.json()["__type"], "SerializationException");

    let r = json_call(&h, "Logs_20140328.MakeCoffee", &logs, b"{}").await;
    assert_eq!(r.status, 400);
    assert_eq!(r.json()["__type"], "UnknownOperationException");

    let sns = auth("sns");
    let r = raw(
        &h,
        "POST",
        "/",
        &[
            ("content-type", "application/x-www-form-urlencoded"),
            ("authorization", &sns),
        ],
        b"Action=MakeCoffee&Version=2010-03-31",
    )
    .await;
    assert_eq!(r.status, 400);
    assert!(
        r.text().contains("<Code>InvalidAction</Code>"),
        "{}",
        r.text()
    );
    assert!(r.text().starts_with("<ErrorResponse"));

    let big = vec![b'x'; orgwatch_emulator::server::MAX_BODY + 10];
    let r = json_call(&h, "Logs_20140328.PutLogEvents", &logs, &big).await;
    assert_eq!(r.status, 413);
    assert_eq!(r.json()["__type"], "RequestEntityTooLargeException");

    let r = json_call(&h, "Logs_20140328.CreateLogGroup", &logs, b"{}").await;
    assert_eq!(r.status, 400);
    assert_eq!(r.json()["__type"], "InvalidParameterException");
    assert_eq!(r.json()["message"], "1 validation error detected: Value null at 'logGroupName' failed to satisfy constraint: Member must not be null");

    let r = raw(
        &h,
        "POST",
        "/",
        &[
            (
                "x-amz-target",
                "GraniteServiceVersion20100801.DescribeAlarms",
            ),
            ("content-type", "application/x-amz-json-1.0"),
            ("authorization", &cw),
            ("x-amzn-query-mode", "true"),
        ],
        br#"{"StateValue":"BROKEN"}"#,
    )
    .await;
    assert_eq!(r.status, 400);
    assert_eq!(
        r.header("x-amzn-query-error"),
        Some("ValidationError;Sender")
    );
    assert!(r.json()["message"]
        .as_str()
        .unwrap()
        .contains("Member must satisfy enum value set: [INSUFFICIENT_DATA, ALARM, OK]"));

    let r = raw(
        &h,
        "POST",
        "/",
        &[
            ("content-type", "application/x-www-form-urlencoded"),
            ("authorization", &cw),
        ],
        b"Action=PutMetricAlarm&Version=2010-08-01&AlarmName=a",
    )
    .await;
    assert_eq!(r.status, 400);
    assert!(
        r.text().contains("<Code>MissingParameter</Code>"),
        "{}",
        r.text()
    );
    still_serving(&h).await;
}

#[tokio::test]
async fn gzip_bodies_are_accepted() {
    use std::io::Write;
    let h = common::emulator().await;
    let mut enc = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
    enc.write_all(br#"{"logGroupName":"zipped"}"#).unwrap();
    let body = enc.finish().unwrap();
    let a = auth("logs");
    let r = raw(
        &h,
        "POST",
        "/",
        &[
            ("x-amz-target", "Logs_20140328.CreateLogGroup"),
            ("content-type", JSON11),
            ("content-encoding", "gzip"),
            ("authorization", &a),
        ],
        &body,
    )
    .await;
    assert_eq!(r.status, 200, "{}", r.text());
    let r = raw(
        &h,
        "POST",
        "/",
        &[
            ("x-amz-target", "Logs_20140328.CreateLogGroup"),
            ("content-type", JSON11),
            ("content-encoding", "gzip"),
            ("authorization", &a),
        ],
        b"not gzip",
    )
    .await;
    assert_eq!(r.status, 400);
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 500, ..ProptestConfig::default() })]

    #[test]
    fn codecs_never_panic(body in prop::collection::vec(any::<u8>(), 0..200), text in "\\PC{0,120}") {
        let mut headers = axum::http::HeaderMap::new();
        headers.insert("content-type", "application/cbor".parse().unwrap());
        let _ = protocol::decode("/service/GraniteServiceVersion20100801/operation/DescribeAlarms", None, &headers, &body);
        headers.insert("x-amz-target", "Logs_20140328.PutLogEvents".parse().unwrap());
        headers.insert("content-type", JSON11.parse().unwrap());
        let _ = protocol::decode("/", None, &headers, &body);
        let _ = protocol::decode("/", None, &headers, text.as_bytes());
        let mut q = axum::http::HeaderMap::new();
        q.insert("content-type", "application/x-www-form-urlencoded".parse().unwrap());
        let _ = protocol::decode("/", Some(&text), &q, text.as_bytes());
        let form = format!("Action=PutMetricData&Version=2010-08-01&{}", text);
        if let Ok(d) = protocol::decode("/", None, &q, form.as_bytes()) {
            let out = protocol::output::to_out(d.input.value()).unwrap();
            let _ = protocol::respond_ok(d.protocol, "monitoring", &d.operation, &out, "id");
        }
    }
}
