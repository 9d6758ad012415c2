//! Shared by the integration tests: an emulator started in-process on an ephemeral port, and the official
//! AWS SDK for Rust pointed at it.
#![allow(dead_code)]

use aws_config::{BehaviorVersion, Region, SdkConfig};
use aws_credential_types::Credentials;
use orgwatch_emulator::{start, Config, Handle};

pub async fn emulator() -> Handle {
    emulator_with(Config {
        port: 0,
        ..Config::default()
    })
    .await
}

pub async fn emulator_with(config: Config) -> Handle {
    start(config).await.expect("emulator starts")
}

/// SDK configuration for `region`, with an access key that selects `account` (12 digits) or the default.
pub async fn sdk(h: &Handle, region: &str, access_key: &str) -> SdkConfig {
    let creds = Credentials::new(access_key, "orgwatch-secret", None, None, "orgwatch-test");
    aws_config::defaults(BehaviorVersion::latest())
        .endpoint_url(&h.endpoint)
        .region(Region::new(region.to_string()))
        .credentials_provider(creds)
        .load()
        .await
}

pub async fn default_sdk(h: &Handle) -> SdkConfig {
    sdk(h, "us-east-1", "AKIDEXAMPLE").await
}

/// A raw HTTP response.
pub struct Raw {
    pub status: u16,
    pub headers: Vec<(String, String)>,
    pub body: Vec<u8>,
}

impl Raw {
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(k, _)| k.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }

    pub fn text(&self) -> String {
        String::from_utf8_lossy(&self.body).into_owned()
    }

    pub fn json(&self) -> serde_json::Value {
        serde_json::from_slice(&self.body).unwrap_or(serde_json::Value::Null)
    }
}

/// One raw HTTP/1.1 request (for bad input and the admin API, where no AWS client applies).
pub async fn raw(
    h: &Handle,
    method: &str,
    path: &str,
    headers: &[(&str, &str)],
    body: &[u8],
) -> Raw {
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    let addr = h.addr.to_string();
    let mut s = tokio::net::TcpStream::connect(&addr)
        .await
        .expect("connect");
    let mut req = format!(
        "{method} {path} HTTP/1.1\r\nhost: {addr}\r\ncontent-length: {}\r\nconnection: close\r\n",
        body.len()
    );
    for (k, v) in headers {
        req.push_str(&format!("{k}: {v}\r\n"));
    }
    req.push_str("\r\n");
    s.write_all(req.as_bytes()).await.expect("write");
    s.write_all(body).await.expect("write body");
    let mut out = Vec::new();
    s.read_to_end(&mut out).await.expect("read");
    let split = out
        .windows(4)
        .position(|w| w == b"\r\n\r\n")
        .expect("a complete response");
    let head = String::from_utf8_lossy(&out[..split]).into_owned();
    let mut lines = head.lines();
    let status = lines
        .next()
        .and_then(|l| l.split(' ').nth(1))
        .and_then(|c| c.parse().ok())
        .unwrap_or(0);
    let headers = lines
        .filter_map(|l| l.split_once(':'))
        .map(|(k, v)| (k.trim().to_string(), v.trim().to_string()))
        .collect();
    let mut body = out[split + 4..].to_vec();
    let chunked = head
        .to_ascii_lowercase()
        .contains("transfer-encoding: chunked");
    if chunked {
        body = dechunk(&body);
    }
    Raw {
        status,
        headers,
        body,
    }
}

fn dechunk(mut b: &[u8]) -> Vec<u8> {
    let mut out = Vec::new();
    while let Some(i) = b.windows(2).position(|w| w == b"\r\n") {
        let n = usize::from_str_radix(std::str::from_utf8(&b[..i]).unwrap_or("0").trim(), 16)
            .unwrap_or(0);
        if n == 0 {
            break;
        }
        out.extend_from_slice(&b[i + 2..i + 2 + n]);
        b = &b[i + 2 + n + 2..];
    }
    out
}

/// A SigV4-shaped Authorization header for a service and region (the emulator reads only its scope).
/// One raw AWS JSON 1.1 call: the operation named by `x-amz-target`, with an `authorization` header.
pub async fn json_call(h: &Handle, target: &str, authorization: &str, body: &[u8]) -> Raw {
    let headers = [
        ("x-amz-target", target),
        ("content-type", "application/x-amz-json-1.1"),
        ("authorization", authorization),
    ];
    raw(h, "POST", "/", &headers, body).await
}

pub fn auth(service: &str) -> String {
    format!("AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20261127/us-east-1/{service}/aws4_request, SignedHeaders=host, Signature=0")
}

/// CloudTrail's documented bucket policy for one bucket (every account's `AWSLogs/` prefix).
pub fn cloudtrail_bucket_policy(bucket: &str) -> String {
    serde_json::json!({
        "Version": "2012-10-17",
        "Statement": [
            {"Sid": "AclCheck", "Effect": "Allow", "Principal": {"Service": "cloudtrail.amazonaws.com"},
             "Action": "s3:GetBucketAcl", "Resource": format!("arn:aws:s3:::{bucket}")},
            {"Sid": "Write", "Effect": "Allow", "Principal": {"Service": "cloudtrail.amazonaws.com"},
             "Action": "s3:PutObject", "Resource": format!("arn:aws:s3:::{bucket}/AWSLogs/*"),
             "Condition": {"StringEquals": {"s3:x-amz-acl": "bucket-owner-full-control"}}}
        ]
    })
    .to_string()
}

pub const CLOUDTRAIL_TRUST: &str = r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"Service":"cloudtrail.amazonaws.com"},"Action":"sts:AssumeRole"}]}"#;
pub const LOGS_DELIVERY: &str = r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":["logs:CreateLogStream","logs:PutLogEvents"],"Resource":"*"}]}"#;

/// An S3 client that addresses buckets path-style (the emulator's endpoint has no bucket subdomains).
pub fn s3(conf: &SdkConfig) -> aws_sdk_s3::Client {
    aws_sdk_s3::Client::from_conf(
        aws_sdk_s3::config::Builder::from(conf)
            .force_path_style(true)
            .build(),
    )
}

/// What CloudTrail requires before it accepts a trail, made through S3 and IAM as a user would: the
/// bucket with CloudTrail's policy and, when named, the delivery role trusting CloudTrail.
#[allow(dead_code)]
pub async fn trail_destinations(conf: &SdkConfig, bucket: &str, role: Option<&str>) {
    let s3 = s3(conf);
    s3.create_bucket().bucket(bucket).send().await.unwrap();
    s3.put_bucket_policy()
        .bucket(bucket)
        .policy(cloudtrail_bucket_policy(bucket))
        .send()
        .await
        .unwrap();
    if let Some(role) = role {
        let iam = aws_sdk_iam::Client::new(conf);
        iam.create_role()
            .role_name(role)
            .assume_role_policy_document(CLOUDTRAIL_TRUST)
            .send()
            .await
            .unwrap();
        iam.put_role_policy()
            .role_name(role)
            .policy_name("deliver")
            .policy_document(LOGS_DELIVERY)
            .send()
            .await
            .unwrap();
    }
}

/// The control's chain: trail → log group → CIS filter → metric → alarm (Sum ≥ 1 over 300 s) → topic.
pub async fn cis_chain(h: &Handle, group: &str, treat: Option<&str>) -> String {
    let conf = default_sdk(h).await;
    let logs = aws_sdk_cloudwatchlogs::Client::new(&conf);
    logs.create_log_group()
        .log_group_name(group)
        .send()
        .await
        .unwrap();
    trail_destinations(
        &conf,
        "trail-bucket",
        Some("CloudTrail_CloudWatchLogs_Role"),
    )
    .await;
    aws_sdk_cloudtrail::Client::new(&conf)
        .create_trail()
        .name("org-trail")
        .s3_bucket_name("trail-bucket")
        .is_multi_region_trail(true)
        .cloud_watch_logs_log_group_arn(format!(
            "arn:aws:logs:us-east-1:123456789012:log-group:{group}:*"
        ))
        .cloud_watch_logs_role_arn("arn:aws:iam::123456789012:role/CloudTrail_CloudWatchLogs_Role")
        .send()
        .await
        .unwrap();
    aws_sdk_cloudtrail::Client::new(&conf)
        .start_logging()
        .name("org-trail")
        .send()
        .await
        .unwrap();
    logs.put_metric_filter()
        .log_group_name(group)
        .filter_name("organizations_changes")
        .filter_pattern(orgwatch_pattern::cis::PATTERN)
        .metric_transformations(
            aws_sdk_cloudwatchlogs::types::MetricTransformation::builder()
                .metric_name("OrganizationsEventCount")
                .metric_namespace("CISBenchmark")
                .metric_value("1")
                .build()
                .unwrap(),
        )
        .send()
        .await
        .unwrap();
    let topic = aws_sdk_sns::Client::new(&conf)
        .create_topic()
        .name("cis-alerts")
        .send()
        .await
        .unwrap()
        .topic_arn
        .unwrap();
    let mut alarm = aws_sdk_cloudwatch::Client::new(&conf)
        .put_metric_alarm()
        .alarm_name("organizations_changes")
        .metric_name("OrganizationsEventCount")
        .namespace("CISBenchmark")
        .statistic(aws_sdk_cloudwatch::types::Statistic::Sum)
        .period(300)
        .threshold(1.0)
        .comparison_operator(
            aws_sdk_cloudwatch::types::ComparisonOperator::GreaterThanOrEqualToThreshold,
        )
        .evaluation_periods(1)
        .alarm_actions(&topic);
    if let Some(t) = treat {
        alarm = alarm.treat_missing_data(t);
    }
    alarm.send().await.unwrap();
    topic
}

/// PutMetricAlarm as most tests write it: `Sum` over one period of `period` seconds, compared with
/// `threshold` by `op`. Callers add what their case is about (actions, dimensions, tags), then send.
pub fn sum_alarm(
    cw: &aws_sdk_cloudwatch::Client,
    name: &str,
    (namespace, metric): (&str, &str),
    period: i32,
    threshold: f64,
    op: aws_sdk_cloudwatch::types::ComparisonOperator,
) -> aws_sdk_cloudwatch::operation::put_metric_alarm::builders::PutMetricAlarmFluentBuilder {
    cw.put_metric_alarm()
        .alarm_name(name)
        .namespace(namespace)
        .metric_name(metric)
        .statistic(aws_sdk_cloudwatch::types::Statistic::Sum)
        .period(period)
        .evaluation_periods(1)
        .threshold(threshold)
        .comparison_operator(op)
}
