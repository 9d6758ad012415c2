//! `--verify-signatures`: the AWS SDK's real signatures verify; wrong secrets, unknown keys and unsigned
//! requests get AWS's errors.

mod common;

use orgwatch_emulator::{sigv4, Config};

#[tokio::test]
async fn signatures_are_verified() {
    let keys = sigv4::load_credentials("[default]\naws_access_key_id = AKIDGOOD\naws_secret_access_key = s3cret\n[other]\naws_access_key_id=210987654321\naws_secret_access_key=x\n");
    assert_eq!(keys.len(), 2);
    let h = common::emulator_with(Config {
        port: 0,
        verify_signatures: Some(keys),
        ..Config::default()
    })
    .await;

    let good = |key: &'static str, secret: &'static str| {
        let h = &h;
        async move {
            let creds = aws_credential_types::Credentials::new(key, secret, None, None, "t");
            aws_config::defaults(aws_config::BehaviorVersion::latest())
                .endpoint_url(&h.endpoint)
                .region(aws_config::Region::new("us-east-1"))
                .credentials_provider(creds)
                .load()
                .await
        }
    };
    // JSON 1.1, CBOR and Query, all signed by the SDK.
    let conf = good("AKIDGOOD", "s3cret").await;
    aws_sdk_cloudwatchlogs::Client::new(&conf)
        .create_log_group()
        .log_group_name("g")
        .send()
        .await
        .unwrap();
    aws_sdk_cloudwatch::Client::new(&conf)
        .describe_alarms()
        .send()
        .await
        .unwrap();
    aws_sdk_sns::Client::new(&conf)
        .list_topics()
        .send()
        .await
        .unwrap();
    let other = good("210987654321", "x").await;
    assert_eq!(
        aws_sdk_sts::Client::new(&other)
            .get_caller_identity()
            .send()
            .await
            .unwrap()
            .account(),
        Some("210987654321")
    );

    let wrong = good("AKIDGOOD", "not-the-secret").await;
    let e = aws_sdk_cloudwatchlogs::Client::new(&wrong)
        .describe_log_groups()
        .send()
        .await
        .unwrap_err()
        .into_service_error();
    assert_eq!(e.meta().code(), Some("SignatureDoesNotMatch"));
    let unknown = good("AKIDUNKNOWN", "x").await;
    let e = aws_sdk_sns::Client::new(&unknown)
        .list_topics()
        .send()
        .await
        .unwrap_err()
        .into_service_error();
    assert_eq!(e.meta().code(), Some("InvalidClientTokenId"));

    let r = common::raw(
        &h,
        "POST",
        "/",
        &[
            ("x-amz-target", "Logs_20140328.DescribeLogGroups"),
            ("content-type", "application/x-amz-json-1.1"),
        ],
        b"{}",
    )
    .await;
    assert_eq!(r.status, 403);
    assert_eq!(r.json()["__type"], "MissingAuthenticationToken");
}
