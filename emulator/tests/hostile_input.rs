//! Hostile input never stops the emulator: every bound in `limits.rs` at the limit and one past it, the
//! status AWS gives a client's mistake (never a 5xx AWS would not give), and answers that stay well-formed
//! in their protocol whatever the request held. Each case here was found by the request-level fuzzer
//! (`fuzz/requests.py`) or named by the issue that asked for it.

mod common;

use common::{auth, json_call, raw, Raw};
use orgwatch_emulator::limits;
use std::io::Write;

const FORM: &str = "application/x-www-form-urlencoded";
const JSON11: &str = "application/x-amz-json-1.1";

/// Whether a body is well-formed XML 1.0: balanced, and no character (literal or referenced) that
/// XML 1.0 cannot carry.
fn well_formed_xml(body: &[u8]) -> Result<(), String> {
    use quick_xml::events::Event;
    let text = std::str::from_utf8(body).map_err(|e| e.to_string())?;
    if let Some(c) = text
        .chars()
        .find(|c| !orgwatch_emulator::protocol::rest_xml::xml_char(*c))
    {
        return Err(format!("U+{:04X} in {text:?}", u32::from(c)));
    }
    let mut r = quick_xml::Reader::from_str(text);
    let (mut depth, mut roots) = (0i32, 0);
    loop {
        match r.read_event().map_err(|e| format!("{e}: {text}"))? {
            Event::Start(_) => {
                roots += i32::from(depth == 0);
                depth += 1;
            }
            Event::End(_) => depth -= 1,
            Event::Empty(_) => roots += i32::from(depth == 0),
            Event::Text(t) => {
                t.unescape().map_err(|e| format!("{e}: {text}"))?;
            }
            Event::Eof => break,
            _ => {}
        }
    }
    (depth == 0 && roots == 1)
        .then_some(())
        .ok_or_else(|| format!("not one balanced root: {text}"))
}

fn xml_code(r: &Raw) -> String {
    let t = r.text();
    t.split("<Code>")
        .nth(1)
        .and_then(|s| s.split("</Code>").next())
        .unwrap_or_default()
        .to_string()
}

async fn query(h: &orgwatch_emulator::Handle, service: &str, body: &str) -> Raw {
    let a = auth(service);
    raw(
        h,
        "POST",
        "/",
        &[("content-type", FORM), ("authorization", &a)],
        body.as_bytes(),
    )
    .await
}

async fn still_serving(h: &orgwatch_emulator::Handle) {
    let r = query(h, "sns", "Action=ListTopics&Version=2010-03-31").await;
    assert_eq!(r.status, 200, "{}", r.text());
}

fn dotted(parts: usize) -> String {
    let mut name = "X".to_string();
    for _ in 1..parts {
        name.push_str(".a");
    }
    name
}

#[tokio::test]
async fn query_names_are_bounded_in_depth_not_by_the_stack() {
    let h = common::emulator().await;
    // At the limit: an unknown member, ignored as AWS ignores one.
    let at = format!(
        "Action=ListTopics&Version=2010-03-31&{}=1",
        dotted(limits::MAX_QUERY_NAME_PARTS)
    );
    let r = query(&h, "sns", &at).await;
    assert_eq!(r.status, 200, "{}", r.text());
    for parts in [limits::MAX_QUERY_NAME_PARTS + 1, 2_400, 60_000] {
        let past = format!("Action=ListTopics&Version=2010-03-31&{}=1", dotted(parts));
        let r = query(&h, "sns", &past).await;
        assert_eq!(r.status, 400, "{parts} parts: {}", r.text());
        assert_eq!(xml_code(&r), "MalformedQueryString", "{}", r.text());
        well_formed_xml(&r.body).expect("an XML error");
    }
    still_serving(&h).await;
}

#[tokio::test]
async fn characters_xml_cannot_carry_are_refused_not_echoed() {
    let h = common::emulator().await;
    for body in [
        "Action=ListTopics%00&Version=2010-03-31",
        "Action=CreateTopic&Version=2010-03-31&Name=a%01b",
        "Action=ListUsers&Version=2010-05-08&PathPrefix=%1F",
        "Action=ListTopics&Version=2010-03-31&X%08=1",
        "Action=ListTopics&Version=2010-03-31&X=%EF%BF%BE",
    ] {
        let service = if body.contains("2010-05-08") {
            "iam"
        } else {
            "sns"
        };
        let r = query(&h, service, body).await;
        assert_eq!(r.status, 400, "{body}: {}", r.text());
        assert_eq!(xml_code(&r), "MalformedQueryString", "{}", r.text());
        well_formed_xml(&r.body).unwrap_or_else(|e| panic!("{body}: {e}"));
    }
    // Tab, LF and CR are XML characters: accepted.
    let r = query(
        &h,
        "sns",
        "Action=CreateTopic&Version=2010-03-31&Name=t&Attributes.entry.1.key=DisplayName&Attributes.entry.1.value=a%09b",
    )
    .await;
    assert_eq!(r.status, 200, "{}", r.text());
    still_serving(&h).await;
}

#[tokio::test]
async fn text_stored_through_json_is_still_xml_when_read_over_query() {
    let h = common::emulator().await;
    let cw = auth("monitoring");
    let body = serde_json::json!({
        "AlarmName": "a",
        "AlarmDescription": "bell\u{7}here",
        "MetricName": "m", "Namespace": "n", "Statistic": "Sum", "Period": 60,
        "EvaluationPeriods": 1, "Threshold": 1.0, "ComparisonOperator": "GreaterThanThreshold",
    });
    let r = raw(
        &h,
        "POST",
        "/",
        &[
            (
                "x-amz-target",
                "GraniteServiceVersion20100801.PutMetricAlarm",
            ),
            ("content-type", "application/x-amz-json-1.0"),
            ("authorization", &cw),
        ],
        body.to_string().as_bytes(),
    )
    .await;
    assert_eq!(r.status, 200, "{}", r.text());
    let r = query(&h, "monitoring", "Action=DescribeAlarms&Version=2010-08-01").await;
    assert_eq!(r.status, 200, "{}", r.text());
    well_formed_xml(&r.body).expect("well-formed");
    assert!(r.text().contains("bell\u{FFFD}here"), "{}", r.text());
}

async fn s3(
    h: &orgwatch_emulator::Handle,
    method: &str,
    path: &str,
    extra: &[(&str, &str)],
    body: &[u8],
) -> Raw {
    let a = auth("s3");
    let mut headers = vec![("authorization", a.as_str())];
    headers.extend_from_slice(extra);
    raw(h, method, path, &headers, body).await
}

#[tokio::test]
async fn s3_answers_a_clients_mistake_with_a_4xx() {
    let h = common::emulator().await;
    assert_eq!(s3(&h, "PUT", "/hostile", &[], b"").await.status, 200);
    for (method, path) in [
        ("PATCH", "/hostile?policy"),
        ("GET", "/hostile?delete"),
        ("HEAD", "/hostile?acl"),
        ("HEAD", "/hostile/key?tagging"),
        ("HEAD", "/hostile/key?acl"),
        ("PATCH", "/hostile"),
        ("PUT", "/hostile?uploads"),
        ("OPTIONS", "/"),
    ] {
        let r = s3(&h, method, path, &[], b"").await;
        assert_eq!(r.status, 405, "{method} {path}: {}", r.text());
        if method != "HEAD" {
            assert_eq!(xml_code(&r), "MethodNotAllowed", "{}", r.text());
            well_formed_xml(&r.body).expect("well-formed");
        }
    }
    // An operation S3 has and this emulator does not serve: S3's NotImplemented, never a listing.
    for (method, path) in [
        ("GET", "/hostile?inventory&id=x"),
        ("POST", "/hostile"),
        ("GET", "/hostile?metadataConfiguration"),
        ("PUT", "/hostile?default-storage-class"),
        ("GET", "/hostile/key?annotation"),
    ] {
        let r = s3(&h, method, path, &[], b"").await;
        assert_eq!(r.status, 501, "{method} {path}: {}", r.text());
        assert_eq!(xml_code(&r), "NotImplemented", "{}", r.text());
    }
    // A listing with an encoding S3 does not know.
    let r = s3(&h, "GET", "/hostile?encoding-type=base64", &[], b"").await;
    assert_eq!(r.status, 400, "{}", r.text());
    assert_eq!(xml_code(&r), "InvalidArgument");
}

#[tokio::test]
async fn s3_configuration_documents_are_validated_as_s3_does() {
    let h = common::emulator().await;
    assert_eq!(s3(&h, "PUT", "/docs", &[], b"").await.status, 200);
    let malformed: [(&str, &[u8]); 5] = [
        ("/docs?replication", b""),
        ("/docs?acl", b""),
        ("/docs?versioning", b"<Tagging><TagSet/></Tagging>"),
        ("/docs?tagging", b"<Tagging><TagSet></Tagging>"),
        ("/docs?cors", b"<CORSConfiguration/><CORSConfiguration/>"),
    ];
    for (path, body) in malformed {
        let r = s3(&h, "PUT", path, &[], body).await;
        assert_eq!(r.status, 400, "{path}: {}", r.text());
        assert_eq!(xml_code(&r), "MalformedXML", "{}", r.text());
    }
    // Nothing was stored: the next read is still "not configured".
    let r = s3(&h, "GET", "/docs?replication", &[], b"").await;
    assert_eq!(r.status, 404, "{}", r.text());
    assert_eq!(xml_code(&r), "ReplicationConfigurationNotFoundError");
    // A canned ACL needs no document.
    let r = s3(&h, "PUT", "/docs?acl", &[("x-amz-acl", "private")], b"").await;
    assert_eq!(r.status, 200, "{}", r.text());
    let r = s3(&h, "GET", "/docs?acl", &[], b"").await;
    well_formed_xml(&r.body).expect("the default ACL");
    // The right root is stored and read back.
    let doc = b"<?xml version=\"1.0\"?><VersioningConfiguration xmlns=\"http://s3.amazonaws.com/doc/2006-03-01/\"><Status>Enabled</Status></VersioningConfiguration>";
    assert_eq!(
        s3(&h, "PUT", "/docs?versioning", &[], doc).await.status,
        200
    );
    let r = s3(&h, "GET", "/docs?versioning", &[], b"").await;
    assert!(
        r.text().contains("<Status>Enabled</Status>"),
        "{}",
        r.text()
    );
}

#[tokio::test]
async fn s3_keys_in_listings_are_encoded_as_s3_encodes_them() {
    let h = common::emulator().await;
    assert_eq!(s3(&h, "PUT", "/keys", &[], b"").await.status, 200);
    for key in ["/keys/a%01b", "/keys/plain%20key", "/keys/amp%26"] {
        assert_eq!(s3(&h, "PUT", key, &[], b"x").await.status, 200, "{key}");
    }
    for path in [
        "/keys?encoding-type=url",
        "/keys?list-type=2&encoding-type=url",
        "/keys?versions&encoding-type=url",
    ] {
        let r = s3(&h, "GET", path, &[], b"").await;
        assert_eq!(r.status, 200, "{}", r.text());
        well_formed_xml(&r.body).unwrap_or_else(|e| panic!("{path}: {e}"));
        let t = r.text();
        assert!(t.contains("<EncodingType>url</EncodingType>"), "{t}");
        assert!(t.contains("<Key>a%01b</Key>"), "{t}");
        assert!(t.contains("<Key>plain+key</Key>"), "{t}");
        assert!(t.contains("<Key>amp%26</Key>"), "{t}");
    }
    // Without it, as S3 writes such a key: a character reference, the rest escaped as usual.
    let r = s3(&h, "GET", "/keys?list-type=2", &[], b"").await;
    let t = r.text();
    assert!(t.contains("<Key>a&#x1;b</Key>"), "{t}");
    assert!(t.contains("<Key>amp&amp;</Key>"), "{t}");
    assert!(!t.contains('\u{1}'));
    assert!(!t.contains("EncodingType"));
}

#[tokio::test]
async fn a_credential_scoped_to_another_service_is_refused_in_the_requests_protocol() {
    let h = common::emulator().await;
    let s3_scope = auth("s3");
    let r = raw(
        &h,
        "POST",
        "/service/GraniteServiceVersion20100801/operation/DescribeAlarms",
        &[
            ("content-type", "application/cbor"),
            ("smithy-protocol", "rpc-v2-cbor"),
            ("authorization", &s3_scope),
        ],
        &[0xa0],
    )
    .await;
    assert_eq!(r.status, 403);
    assert_eq!(r.header("smithy-protocol"), Some("rpc-v2-cbor"));
    let body: ciborium::Value = ciborium::de::from_reader(&r.body[..]).expect("a CBOR body");
    let text = format!("{body:?}");
    assert!(text.contains("InvalidSignatureException"), "{text}");
    assert!(
        text.contains("scoped to correct service: 'monitoring'"),
        "{text}"
    );

    let logs_scope = auth("logs");
    let r = json_call(&h, "CloudTrail_20131101.DescribeTrails", &logs_scope, b"{}").await;
    assert_eq!(r.status, 403);
    assert_eq!(r.json()["__type"], "InvalidSignatureException");

    let r = query(&h, "iam", "Action=ListTopics&Version=2010-03-31").await;
    assert_eq!(r.status, 403);
    assert_eq!(xml_code(&r), "SignatureDoesNotMatch");
}

fn gzip(data: &[u8]) -> Vec<u8> {
    let mut enc = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::best());
    enc.write_all(data).expect("gzip");
    enc.finish().expect("gzip")
}

async fn gzip_logs(h: &orgwatch_emulator::Handle, inflated: usize) -> Raw {
    // `{}` and blanks: a valid DescribeLogGroups input of exactly `inflated` bytes.
    let mut doc = b"{}".to_vec();
    doc.resize(inflated, b' ');
    let a = auth("logs");
    raw(
        h,
        "POST",
        "/",
        &[
            ("x-amz-target", "Logs_20140328.DescribeLogGroups"),
            ("content-type", JSON11),
            ("content-encoding", "gzip"),
            ("authorization", &a),
        ],
        &gzip(&doc),
    )
    .await
}

#[tokio::test]
async fn gzip_bodies_inflate_only_up_to_the_request_limit() {
    let h = common::emulator().await;
    let r = gzip_logs(&h, limits::MAX_INFLATED_REQUEST).await;
    assert_eq!(r.status, 200, "{}", r.text());
    let r = gzip_logs(&h, limits::MAX_INFLATED_REQUEST + 1).await;
    assert_eq!(r.status, 413, "{}", r.text());
    assert_eq!(r.json()["__type"], "RequestEntityTooLargeException");
    // A bomb: 256 MiB of zeros in a quarter of a megabyte.
    let r = gzip_logs(&h, 256 * 1_048_576).await;
    assert_eq!(r.status, 413, "{}", r.text());
    still_serving(&h).await;
}

/// A CBOR map whose one member is `depth` arrays deep.
fn cbor_nested(depth: usize) -> Vec<u8> {
    let mut v = ciborium::Value::Integer(1.into());
    for _ in 0..depth {
        v = ciborium::Value::Array(vec![v]);
    }
    let doc = ciborium::Value::Map(vec![(ciborium::Value::Text("Deep".into()), v)]);
    let mut out = Vec::new();
    ciborium::ser::into_writer(&doc, &mut out).expect("cbor");
    out
}

async fn cbor_call(h: &orgwatch_emulator::Handle, body: &[u8]) -> Raw {
    let cw = auth("monitoring");
    raw(
        h,
        "POST",
        "/service/GraniteServiceVersion20100801/operation/DescribeAlarms",
        &[
            ("content-type", "application/cbor"),
            ("smithy-protocol", "rpc-v2-cbor"),
            ("authorization", &cw),
        ],
        body,
    )
    .await
}

#[tokio::test]
async fn cbor_nesting_is_bounded() {
    let h = common::emulator().await;
    // The map is one level, its member the rest: at the limit the document is read (and the unknown
    // member ignored).
    let r = cbor_call(&h, &cbor_nested(limits::MAX_CBOR_DEPTH - 1)).await;
    assert_eq!(r.status, 200, "{}", r.text());
    for depth in [limits::MAX_CBOR_DEPTH, 10_000] {
        let r = cbor_call(&h, &cbor_nested(depth)).await;
        assert_eq!(r.status, 400, "{depth}");
        let body: ciborium::Value = ciborium::de::from_reader(&r.body[..]).expect("a CBOR body");
        assert!(format!("{body:?}").contains("SerializationException"));
    }
    still_serving(&h).await;
}

#[tokio::test]
async fn json_nesting_is_bounded() {
    let h = common::emulator().await;
    let a = auth("logs");
    for depth in [100, 200, 100_000] {
        let body = format!("{{\"x\":{}1{}}}", "[".repeat(depth), "]".repeat(depth));
        let r = json_call(&h, "Logs_20140328.DescribeLogGroups", &a, body.as_bytes()).await;
        // serde_json's own bound (128) decides; either way an answer, never a crash.
        let expected = if depth < 128 { 200 } else { 400 };
        assert_eq!(r.status, expected, "{depth}: {}", r.text());
    }
    still_serving(&h).await;
}

#[tokio::test]
async fn composite_alarm_rules_are_bounded_in_depth() {
    let h = common::emulator().await;
    let cw = auth("monitoring");
    let put = |rule: String| {
        let body = serde_json::json!({"AlarmName": "c", "AlarmRule": rule}).to_string();
        let cw = cw.clone();
        let h = &h;
        async move {
            raw(
                h,
                "POST",
                "/",
                &[
                    (
                        "x-amz-target",
                        "GraniteServiceVersion20100801.PutCompositeAlarm",
                    ),
                    ("content-type", "application/x-amz-json-1.0"),
                    ("authorization", &cw),
                ],
                body.as_bytes(),
            )
            .await
        }
    };
    let nested = |n: usize| format!("{}TRUE{}", "(".repeat(n), ")".repeat(n));
    let r = put(nested(limits::MAX_ALARM_RULE_DEPTH)).await;
    assert_eq!(r.status, 200, "{}", r.text());
    // The longest rule AWS takes (10,240 characters), all parentheses.
    for n in [limits::MAX_ALARM_RULE_DEPTH + 1, 5_118] {
        let r = put(nested(n)).await;
        assert_eq!(r.status, 400, "{n}: {}", r.text());
        assert!(r.text().contains("nests more than"), "{}", r.text());
    }
    still_serving(&h).await;
}

#[tokio::test]
async fn the_admin_api_bounds_its_bodies() {
    let h = common::emulator().await;
    let bomb = gzip(&vec![b' '; limits::MAX_ADMIN_BODY + 1]);
    let r = raw(&h, "POST", "/_orgwatch/cloudtrail/events", &[], &bomb).await;
    assert_eq!(r.status, 400, "{}", r.text());
    assert!(r.text().contains("inflates past"), "{}", r.text());
    still_serving(&h).await;
}

/// A DescribeLogGroups head declaring `len` body bytes, on a connection kept open unless `close`.
fn logs_head(len: usize, close: bool) -> String {
    let a = auth("logs");
    let close = if close { "connection: close\r\n" } else { "" };
    format!(
        "POST / HTTP/1.1\r\nhost: x\r\ncontent-length: {len}\r\n\
         x-amz-target: Logs_20140328.DescribeLogGroups\r\ncontent-type: {JSON11}\r\n\
         authorization: {a}\r\n{close}\r\n"
    )
}

/// Found by the request-level fuzzer: a client writes its whole body before it reads the answer, so a
/// body past the limit refused unread was a connection lost mid-write, never a 413. It is read and thrown
/// away instead, and the connection carries the next request.
#[tokio::test]
async fn a_body_past_the_limit_is_refused_and_the_connection_carries_the_next_request() {
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    let h = common::emulator().await;
    let mut s = tokio::net::TcpStream::connect(h.addr)
        .await
        .expect("connect");
    let big = vec![b' '; limits::MAX_BODY + 1];
    s.write_all(logs_head(big.len(), false).as_bytes())
        .await
        .expect("write");
    s.write_all(&big).await.expect("the whole body is read");
    s.write_all(logs_head(2, true).as_bytes())
        .await
        .expect("write");
    s.write_all(b"{}").await.expect("write");
    let mut out = Vec::new();
    s.read_to_end(&mut out).await.expect("read");
    let text = String::from_utf8_lossy(&out);
    let statuses: Vec<&str> = text
        .match_indices("HTTP/1.1 ")
        .map(|(i, _)| &text[i + 9..i + 12])
        .collect();
    assert_eq!(statuses, ["413", "200"], "{text}");
    assert!(text.contains("RequestEntityTooLargeException"), "{text}");
}

/// A body declared past what is worth reading is refused at once; the rest of it is still on the
/// connection, which cannot carry another request, and `Connection: close` says so (found by the
/// fuzzer: the connection was closed without it, and the client's next request on it was lost).
#[tokio::test]
async fn a_body_past_the_drained_bound_closes_the_connection_and_says_so() {
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    let h = common::emulator().await;
    let mut s = tokio::net::TcpStream::connect(h.addr)
        .await
        .expect("connect");
    let head = logs_head(limits::MAX_DRAINED_BODY + 1, false);
    s.write_all(head.as_bytes()).await.expect("write");
    let mut out = Vec::new();
    s.read_to_end(&mut out)
        .await
        .expect("answered, then closed");
    let text = String::from_utf8_lossy(&out).to_ascii_lowercase();
    assert!(text.starts_with("http/1.1 413"), "{text}");
    assert!(text.contains("connection: close"), "{text}");
    still_serving(&h).await;
}

/// Found by the request-level fuzzer: a HEAD with a query key no HEAD operation has is the object's HEAD,
/// not an unserved operation (which would be a 501 with no body to say why).
#[tokio::test]
async fn a_head_with_an_unserved_query_key_is_a_head_object() {
    let h = common::emulator().await;
    assert_eq!(s3(&h, "PUT", "/heads", &[], b"").await.status, 200);
    let r = s3(&h, "HEAD", "/heads/missing?uploadId=x", &[], b"").await;
    assert_eq!(r.status, 404);
}

/// A JSON document `depth` objects deep (`{"a":{"a":…1…}}`).
fn deep_json(depth: usize) -> String {
    format!("{}1{}", "{\"a\":".repeat(depth), "}".repeat(depth))
}

/// Documents carried inside a request (IAM-language policies, SNS filter policies) are read under
/// serde_json's bound too: past it the request is refused with the service's error for a bad document,
/// never a crash.
#[tokio::test]
async fn documents_inside_requests_are_bounded_in_depth() {
    let h = common::emulator().await;
    assert_eq!(s3(&h, "PUT", "/deep", &[], b"").await.status, 200);
    let r = query(&h, "sns", "Action=CreateTopic&Version=2010-03-31&Name=deep").await;
    assert_eq!(r.status, 200, "{}", r.text());
    let topic = "arn:aws:sns:us-east-1:123456789012:deep";
    // 20,000 levels: deeper, the form-encoded request would pass the body limit first.
    for depth in [200, 20_000] {
        let doc = deep_json(depth);
        let r = s3(&h, "PUT", "/deep?policy", &[], doc.as_bytes()).await;
        assert_eq!(r.status, 400, "{depth}: {}", r.text());
        assert_eq!(xml_code(&r), "MalformedPolicy", "{}", r.text());
        let enc: String = form_urlencoded::byte_serialize(doc.as_bytes()).collect();
        let r = query(
            &h,
            "sns",
            &format!("Action=Subscribe&Version=2010-03-31&TopicArn={topic}&Protocol=sqs&Endpoint=arn:aws:sqs:us-east-1:123456789012:q&Attributes.entry.1.key=FilterPolicy&Attributes.entry.1.value={enc}"),
        )
        .await;
        assert_eq!(r.status, 400, "{depth}: {}", r.text());
        assert_eq!(xml_code(&r), "InvalidParameter", "{}", r.text());
    }
    still_serving(&h).await;
}

/// A state file nested past serde_json's bound is refused at start with the file's name, never a crash.
#[tokio::test]
async fn a_state_file_nested_past_the_bound_is_refused_at_start() {
    let path =
        std::env::temp_dir().join(format!("orgwatch-deep-{}-state.json", std::process::id()));
    std::fs::write(
        &path,
        format!("{{\"version\":1,\"x\":{}}}", deep_json(100_000)),
    )
    .expect("write");
    let config = orgwatch_emulator::Config {
        port: 0,
        state_file: Some(path.clone()),
        ..Default::default()
    };
    let started = orgwatch_emulator::start(config).await;
    let _ = std::fs::remove_file(&path);
    match started {
        Err(e) => assert!(e.to_string().contains("state.json"), "{e}"),
        Ok(_) => panic!("a state file 100,000 levels deep was loaded"),
    }
}
