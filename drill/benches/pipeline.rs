//! Pipeline figures, printed:
//! - ingest: CloudTrail records per second through `POST /_orgwatch/cloudtrail/events` (batches of 1,000
//!   records, 1% of them Organizations changes, from 4 keep-alive clients for 3 s) into a trail whose log
//!   group carries the CIS metric filter: delivery, filter and metric, end to end;
//! - drill: one drill of all 18 events against the embedded emulator on the virtual clock (median of 5).
//!
//! `cargo bench -p orgwatch-drill --bench pipeline`. The emulator runs in this process, compiled with the
//! bench profile; clients and emulator share the machine's two cores.

use aws_sdk_cloudwatch::types::{ComparisonOperator, Statistic};
use aws_sdk_cloudwatchlogs::types::MetricTransformation;
use bytes::Bytes;
use orgwatch_emulator::admin::client::AdminClient;
use orgwatch_pattern::cis;
use serde_json::{json, Value};
use std::time::{Duration, Instant};

const ACCOUNT: &str = "123456789012";
const BATCH: usize = 1_000;
const CLIENTS: usize = 4;
const SECONDS: u64 = 3;

async fn sdk(endpoint: &str) -> aws_config::SdkConfig {
    let creds = aws_credential_types::Credentials::new(ACCOUNT, "secret", None, None, "bench");
    aws_config::defaults(aws_config::BehaviorVersion::latest())
        .endpoint_url(endpoint)
        .region(aws_config::Region::new("us-east-1"))
        .credentials_provider(creds)
        .load()
        .await
}

/// The control's chain, as its remediation commands build it.
async fn chain(endpoint: &str, conf: &aws_config::SdkConfig) {
    let group = "cloudtrail-logs";
    let logs = aws_sdk_cloudwatchlogs::Client::new(conf);
    logs.create_log_group()
        .log_group_name(group)
        .send()
        .await
        .unwrap();
    let ct = aws_sdk_cloudtrail::Client::new(conf);
    let role = format!("arn:aws:iam::{ACCOUNT}:role/CloudTrail_CloudWatchLogs_Role");
    orgwatch_scenarios::destinations::bucket(endpoint, ACCOUNT, "us-east-1", "trail-bucket")
        .await
        .unwrap();
    orgwatch_scenarios::destinations::role(endpoint, &role)
        .await
        .unwrap();
    ct.create_trail()
        .name("trail")
        .s3_bucket_name("trail-bucket")
        .is_multi_region_trail(true)
        .cloud_watch_logs_log_group_arn(format!(
            "arn:aws:logs:us-east-1:{ACCOUNT}:log-group:{group}:*"
        ))
        .cloud_watch_logs_role_arn(role)
        .send()
        .await
        .unwrap();
    ct.start_logging().name("trail").send().await.unwrap();
    logs.put_metric_filter()
        .log_group_name(group)
        .filter_name("organizations_changes")
        .filter_pattern(cis::PATTERN)
        .metric_transformations(
            MetricTransformation::builder()
                .metric_name("organizations_changes")
                .metric_namespace("CISBenchmark")
                .metric_value("1")
                .build()
                .unwrap(),
        )
        .send()
        .await
        .unwrap();
    let sns = aws_sdk_sns::Client::new(conf);
    let topic = sns
        .create_topic()
        .name("cis")
        .send()
        .await
        .unwrap()
        .topic_arn
        .unwrap();
    sns.subscribe()
        .topic_arn(&topic)
        .protocol("sqs")
        .endpoint(format!("arn:aws:sqs:us-east-1:{ACCOUNT}:security"))
        .send()
        .await
        .unwrap();
    aws_sdk_cloudwatch::Client::new(conf)
        .put_metric_alarm()
        .alarm_name("organizations_changes")
        .metric_name("organizations_changes")
        .namespace("CISBenchmark")
        .statistic(Statistic::Sum)
        .period(300)
        .evaluation_periods(1)
        .threshold(1.0)
        .comparison_operator(ComparisonOperator::GreaterThanOrEqualToThreshold)
        .alarm_actions(topic)
        .send()
        .await
        .unwrap();
}

/// 1,000 records: ordinary traffic with one Organizations change in every hundred.
fn batch() -> Bytes {
    let records: Vec<Value> = (0..BATCH)
        .map(|i| {
            let mut r = if i % 100 == 0 {
                orgwatch_drill::record(cis::EVENT_NAMES[i / 100 % 18], ACCOUNT, 1_800_000_000.0, i)
            } else {
                let (s, n, ro) = cis::ORDINARY_EVENTS[i % cis::ORDINARY_EVENTS.len()];
                cis::ordinary_record(s, n, ro)
            };
            r["recipientAccountId"] = json!(ACCOUNT);
            r["eventTime"] = json!("2027-01-15T08:00:00Z");
            r
        })
        .collect();
    Bytes::from(json!({ "Records": records }).to_string())
}

async fn ingest(endpoint: &str) -> f64 {
    let body = batch();
    let deadline = Instant::now() + Duration::from_secs(SECONDS);
    let started = Instant::now();
    let mut tasks = Vec::new();
    for _ in 0..CLIENTS {
        let (body, admin) = (body.clone(), AdminClient::new(endpoint));
        tasks.push(tokio::spawn(async move {
            let mut sent = 0usize;
            while Instant::now() < deadline {
                let (status, _) = admin
                    .send("POST", "/cloudtrail/events", body.clone())
                    .await
                    .unwrap();
                assert_eq!(status, 200);
                sent += BATCH;
            }
            sent
        }));
    }
    let mut total = 0;
    for t in tasks {
        total += t.await.unwrap();
    }
    total as f64 / started.elapsed().as_secs_f64()
}

/// An embedded emulator holding the chain.
async fn start() -> (orgwatch_emulator::Handle, aws_config::SdkConfig) {
    let h = orgwatch_emulator::start(orgwatch_emulator::Config {
        port: 0,
        default_account: ACCOUNT.into(),
        ..Default::default()
    })
    .await
    .unwrap();
    let conf = sdk(&h.endpoint).await;
    chain(&h.endpoint, &conf).await;
    (h, conf)
}

fn main() {
    let rt = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .unwrap();
    rt.block_on(async {
        let (h, _) = start().await;
        let rate = ingest(&h.endpoint).await;
        let batch_bytes = batch().len();
        println!(
            "ingest: {rate:.0} CloudTrail records/s ({:.0} MiB/s; batches of {BATCH}, {CLIENTS} clients, CIS filter, 1% Organizations changes)",
            rate * batch_bytes as f64 / BATCH as f64 / 1_048_576.0
        );
        let _ = h.shutdown().await;

        let mut times = Vec::new();
        for _ in 0..5 {
            let (h, conf) = start().await;
            let t = Instant::now();
            let report = orgwatch_drill::drill(&h.endpoint, &conf).await.unwrap();
            times.push(t.elapsed().as_secs_f64());
            assert!(report.passed(), "{}", report.to_text());
            let _ = h.shutdown().await;
        }
        times.sort_by(f64::total_cmp);
        println!(
            "drill: {:.0} ms for all 18 events on the virtual clock (median of 5; min {:.0} ms)",
            times[2] * 1000.0,
            times[0] * 1000.0
        );
    });
}
