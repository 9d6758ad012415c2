//! One full check against the in-process emulator holding the compliant configuration: wall time per
//! check (excluding process start) and the number of API calls. `cargo bench -p orgwatch-checker`.

use aws_config::{BehaviorVersion, Region};
use aws_credential_types::Credentials;
use orgwatch_checker::{check, Target};
use orgwatch_pattern::cis;
use std::time::{Duration, Instant};

fn main() {
    let rt = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .unwrap();
    rt.block_on(async {
        let h = orgwatch_emulator::start(orgwatch_emulator::Config { port: 0, ..Default::default() }).await.unwrap();
        let conf = aws_config::defaults(BehaviorVersion::latest())
            .endpoint_url(&h.endpoint)
            .region(Region::new("us-east-1"))
            .credentials_provider(Credentials::new("AKIDEXAMPLE", "x", None, None, "bench"))
            .load()
            .await;
        let logs = aws_sdk_cloudwatchlogs::Client::new(&conf);
        logs.create_log_group().log_group_name("cloudtrail-logs").send().await.unwrap();
        let ct = aws_sdk_cloudtrail::Client::new(&conf);
        ct.create_trail()
            .name("org-trail")
            .s3_bucket_name("b")
            .is_multi_region_trail(true)
            .cloud_watch_logs_log_group_arn("arn:aws:logs:us-east-1:123456789012:log-group:cloudtrail-logs:*")
            .send()
            .await
            .unwrap();
        ct.start_logging().name("org-trail").send().await.unwrap();
        let t = aws_sdk_cloudwatchlogs::types::MetricTransformation::builder().metric_name("organizations_changes").metric_namespace("CISBenchmark").metric_value("1").build().unwrap();
        logs.put_metric_filter().log_group_name("cloudtrail-logs").filter_name("organizations_changes").filter_pattern(cis::PATTERN).metric_transformations(t).send().await.unwrap();
        let sns = aws_sdk_sns::Client::new(&conf);
        let topic = sns.create_topic().name("cis-alarms").send().await.unwrap().topic_arn().unwrap().to_string();
        sns.subscribe().topic_arn(&topic).protocol("sqs").endpoint("arn:aws:sqs:us-east-1:123456789012:q").send().await.unwrap();
        aws_sdk_cloudwatch::Client::new(&conf)
            .put_metric_alarm()
            .alarm_name("organizations_changes")
            .metric_name("organizations_changes")
            .namespace("CISBenchmark")
            .statistic(aws_sdk_cloudwatch::types::Statistic::Sum)
            .period(300)
            .threshold(1.0)
            .comparison_operator(aws_sdk_cloudwatch::types::ComparisonOperator::GreaterThanOrEqualToThreshold)
            .evaluation_periods(1)
            .alarm_actions(&topic)
            .send()
            .await
            .unwrap();
        let target = Target { endpoint_url: Some(h.endpoint.clone()), region: Some("us-east-1".into()), profile: None };
        let mut times: Vec<Duration> = Vec::new();
        let mut calls = 0;
        for _ in 0..21 {
            let t = Instant::now();
            let (inv, r) = check(&target).await;
            times.push(t.elapsed());
            assert_eq!(r.status.as_str(), "PASS");
            calls = inv.calls.values().sum::<u32>();
        }
        times.sort();
        println!("full check of the compliant configuration: median {:.1} ms (min {:.1}, max {:.1}) over 21 runs; {calls} API calls", times[10].as_secs_f64() * 1e3, times[0].as_secs_f64() * 1e3, times[20].as_secs_f64() * 1e3);
    });
}
