//! The connections below HTTP (`connection.rs`). HTTPS on the emulator's one port (`--tls-cert`/
//! `--tls-key`): the AWS SDK for Rust, trusting the test certificate (`tests/data/tls/`), reaches the
//! emulator over TLS, and plain HTTP on the same port sees the same state; a connection that fails its
//! handshake closes alone; a bad certificate stops the start with the file named. Every response names
//! its request id header as AWS does, `x-amzn-RequestId`, with a UUID.

mod common;

use aws_sdk_cloudwatch::types::ComparisonOperator;
use aws_smithy_http_client::tls::{rustls_provider::CryptoMode, Provider, TlsContext, TrustStore};
use orgwatch_emulator::tls::TlsFiles;
use orgwatch_emulator::{start, Config, StartError};
use std::path::PathBuf;
use tokio::io::{AsyncReadExt, AsyncWriteExt};

fn data(name: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("tests/data/tls")
        .join(name)
}

fn with_tls() -> Config {
    Config {
        port: 0,
        tls: Some(TlsFiles {
            cert: data("cert.pem"),
            key: data("key.pem"),
        }),
        ..Config::default()
    }
}

/// SDK configuration for the emulator's `https://` endpoint, trusting only the test certificate.
async fn https_sdk(h: &orgwatch_emulator::Handle) -> aws_config::SdkConfig {
    let pem = std::fs::read(data("cert.pem")).expect("test certificate");
    let context = TlsContext::builder()
        .with_trust_store(TrustStore::empty().with_pem_certificate(pem))
        .build()
        .expect("TLS context");
    let client = aws_smithy_http_client::Builder::new()
        .tls_provider(Provider::Rustls(CryptoMode::AwsLc))
        .tls_context(context)
        .build_https();
    let plain = common::default_sdk(h).await;
    let https = h.endpoint.replacen("http://", "https://", 1);
    aws_config::SdkConfig::builder()
        .behavior_version(aws_config::BehaviorVersion::latest())
        .region(plain.region().cloned())
        .credentials_provider(plain.credentials_provider().expect("credentials"))
        .endpoint_url(https)
        .http_client(client)
        .build()
}

#[tokio::test]
async fn the_sdk_reaches_the_emulator_over_https_and_plain_http_sees_the_same_state() {
    let h = common::emulator_with(with_tls()).await;
    let secure = https_sdk(&h).await;
    let cw = aws_sdk_cloudwatch::Client::new(&secure);
    common::sum_alarm(
        &cw,
        "org-changes",
        ("CISBenchmark", "OrganizationsChanges"),
        300,
        1.0,
        ComparisonOperator::GreaterThanOrEqualToThreshold,
    )
    .alarm_actions("arn:aws:sns:us-east-1:123456789012:alerts")
    .send()
    .await
    .expect("PutMetricAlarm over https");
    let sns = aws_sdk_sns::Client::new(&secure);
    sns.create_topic()
        .name("alerts")
        .send()
        .await
        .expect("CreateTopic over https");

    let plain = common::default_sdk(&h).await;
    let alarms = aws_sdk_cloudwatch::Client::new(&plain)
        .describe_alarms()
        .send()
        .await
        .expect("DescribeAlarms over http");
    let alarm = &alarms.metric_alarms()[0];
    assert_eq!(alarm.alarm_name(), Some("org-changes"));
    assert_eq!(
        alarm.alarm_actions(),
        ["arn:aws:sns:us-east-1:123456789012:alerts"]
    );
    let topics = aws_sdk_sns::Client::new(&plain)
        .list_topics()
        .send()
        .await
        .expect("ListTopics over http");
    assert_eq!(topics.topics().len(), 1);
    h.shutdown().await.expect("shutdown");
}

#[tokio::test]
async fn a_failed_handshake_closes_its_own_connection_only() {
    let h = common::emulator_with(with_tls()).await;
    let mut bad = tokio::net::TcpStream::connect(h.addr)
        .await
        .expect("connect");
    // A handshake record whose body is not a ClientHello.
    bad.write_all(b"\x16\x03\x01\x00\x05hello")
        .await
        .expect("write");
    let mut buf = Vec::new();
    let read = tokio::time::timeout(
        std::time::Duration::from_secs(10),
        bad.read_to_end(&mut buf),
    )
    .await
    .expect("the server closes the connection instead of waiting");
    // rustls may answer with an alert before closing; it never answers HTTP.
    assert!(!buf.starts_with(b"HTTP/"), "{read:?} {buf:?}");

    let secure = https_sdk(&h).await;
    aws_sdk_sns::Client::new(&secure)
        .list_topics()
        .send()
        .await
        .expect("the emulator still answers over https");
    h.shutdown().await.expect("shutdown");
}

#[tokio::test]
async fn a_missing_certificate_stops_the_start_and_names_the_file() {
    let mut config = with_tls();
    if let Some(tls) = config.tls.as_mut() {
        tls.cert = data("no-such-cert.pem");
    }
    match start(config).await {
        Err(StartError::Tls(message)) => assert!(message.contains("no-such-cert.pem"), "{message}"),
        Err(other) => panic!("expected a TLS error, got {other}"),
        Ok(_) => panic!("the emulator started without its certificate"),
    }
}

#[tokio::test]
async fn the_request_id_header_is_named_as_aws_names_it_and_holds_a_uuid() {
    let h = common::emulator().await;
    let r = common::raw(
        &h,
        "POST",
        "/",
        &[
            ("content-type", "application/x-www-form-urlencoded"),
            (
                "authorization",
                "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20260101/us-east-1/sns/aws4_request, SignedHeaders=host, Signature=0",
            ),
        ],
        b"Action=ListTopics&Version=2010-03-31",
    )
    .await;
    assert_eq!(r.status, 200);
    let (_, id) = r
        .headers
        .iter()
        .find(|(k, _)| k == "x-amzn-RequestId")
        .unwrap_or_else(|| panic!("no x-amzn-RequestId, as written, in {:?}", r.headers));
    let hex: Vec<usize> = id.split('-').map(str::len).collect();
    assert_eq!(hex, [8, 4, 4, 4, 12], "{id}");
    assert!(
        id.chars().all(|c| c == '-' || c.is_ascii_hexdigit()),
        "{id}"
    );
    h.shutdown().await.expect("shutdown");
}
