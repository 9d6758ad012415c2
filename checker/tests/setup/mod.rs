//! Builds configurations in the emulator through the AWS SDK for Rust, starting from the compliant one
//! exactly as the control's remediation commands create it.
#![allow(dead_code)]

use aws_config::{BehaviorVersion, Region, SdkConfig};
use aws_credential_types::Credentials;
use orgwatch_checker::{check, Report, Target};
use orgwatch_emulator::{start, Config, Handle};
use orgwatch_pattern::cis;

pub const ACCOUNT: &str = "123456789012";
pub const GROUP: &str = "cloudtrail-logs";
pub const TOPIC_NAME: &str = "cis-alarms";

pub struct Env {
    pub h: Handle,
    pub conf: SdkConfig,
}

impl Env {
    pub async fn new() -> Env {
        let h = start(Config {
            port: 0,
            ..Config::default()
        })
        .await
        .expect("emulator");
        let conf = sdk(&h, "us-east-1").await;
        Env { h, conf }
    }

    pub async fn in_region(&self, region: &str) -> SdkConfig {
        sdk(&self.h, region).await
    }

    pub fn logs(&self) -> aws_sdk_cloudwatchlogs::Client {
        aws_sdk_cloudwatchlogs::Client::new(&self.conf)
    }
    pub fn trail(&self) -> aws_sdk_cloudtrail::Client {
        aws_sdk_cloudtrail::Client::new(&self.conf)
    }
    pub fn cw(&self) -> aws_sdk_cloudwatch::Client {
        aws_sdk_cloudwatch::Client::new(&self.conf)
    }
    pub fn sns(&self) -> aws_sdk_sns::Client {
        aws_sdk_sns::Client::new(&self.conf)
    }

    pub fn topic_arn(&self) -> String {
        format!("arn:aws:sns:us-east-1:{ACCOUNT}:{TOPIC_NAME}")
    }

    pub async fn report(&self) -> Report {
        check(&Target {
            endpoint_url: Some(self.h.endpoint.clone()),
            region: Some("us-east-1".into()),
            profile: None,
        })
        .await
        .1
    }

    /// The emulator's admin API, typed.
    pub fn admin(&self) -> orgwatch_emulator::admin::client::AdminClient {
        orgwatch_emulator::admin::client::AdminClient::new(&self.h.endpoint)
    }

    pub async fn put_filter(
        &self,
        name: &str,
        pattern: &str,
        metric: &str,
        namespace: &str,
        value: &str,
    ) {
        let t = aws_sdk_cloudwatchlogs::types::MetricTransformation::builder()
            .metric_name(metric)
            .metric_namespace(namespace)
            .metric_value(value)
            .build()
            .unwrap();
        self.logs()
            .put_metric_filter()
            .log_group_name(GROUP)
            .filter_name(name)
            .filter_pattern(pattern)
            .metric_transformations(t)
            .send()
            .await
            .unwrap();
    }

    /// The alarm of the control's remediation, with `edit` applied to the request.
    pub async fn put_alarm(
        &self,
        edit: impl FnOnce(aws_sdk_cloudwatch::operation::put_metric_alarm::builders::PutMetricAlarmFluentBuilder) -> aws_sdk_cloudwatch::operation::put_metric_alarm::builders::PutMetricAlarmFluentBuilder,
    ) {
        use aws_sdk_cloudwatch::types::{ComparisonOperator, Statistic};
        let req = self
            .cw()
            .put_metric_alarm()
            .alarm_name("organizations_changes")
            .metric_name("organizations_changes")
            .statistic(Statistic::Sum)
            .period(300)
            .threshold(1.0)
            .comparison_operator(ComparisonOperator::GreaterThanOrEqualToThreshold)
            .evaluation_periods(1)
            .namespace("CISBenchmark")
            .alarm_actions(self.topic_arn());
        edit(req).send().await.unwrap();
    }

    /// The compliant configuration, as the control's commands build it (plus a trail and a confirmed
    /// subscriber, which the commands assume exist).
    pub async fn compliant(&self) {
        self.logs()
            .create_log_group()
            .log_group_name(GROUP)
            .send()
            .await
            .unwrap();
        self.trail()
            .create_trail()
            .name("org-trail")
            .s3_bucket_name("trail-bucket")
            .is_multi_region_trail(true)
            .cloud_watch_logs_log_group_arn(format!(
                "arn:aws:logs:us-east-1:{ACCOUNT}:log-group:{GROUP}:*"
            ))
            .cloud_watch_logs_role_arn(format!(
                "arn:aws:iam::{ACCOUNT}:role/CloudTrail_CloudWatchLogs_Role"
            ))
            .send()
            .await
            .unwrap();
        self.trail()
            .start_logging()
            .name("org-trail")
            .send()
            .await
            .unwrap();
        self.put_filter(
            "organizations_changes",
            cis::PATTERN,
            "organizations_changes",
            "CISBenchmark",
            "1",
        )
        .await;
        self.sns()
            .create_topic()
            .name(TOPIC_NAME)
            .send()
            .await
            .unwrap();
        self.sns()
            .subscribe()
            .topic_arn(self.topic_arn())
            .protocol("sqs")
            .endpoint(format!("arn:aws:sqs:us-east-1:{ACCOUNT}:security"))
            .send()
            .await
            .unwrap();
        self.put_alarm(|r| r).await;
    }
}

impl Env {
    /// Replaces every subscriber of the alarm topic by one email subscription that never confirmed.
    pub async fn only_pending_subscription(&self) {
        let subs = self
            .sns()
            .list_subscriptions_by_topic()
            .topic_arn(self.topic_arn())
            .send()
            .await
            .unwrap();
        for s in subs.subscriptions() {
            self.sns()
                .unsubscribe()
                .subscription_arn(s.subscription_arn().unwrap())
                .send()
                .await
                .unwrap();
        }
        self.sns()
            .subscribe()
            .topic_arn(self.topic_arn())
            .protocol("email")
            .endpoint("security@example.com")
            .send()
            .await
            .unwrap();
    }
}

pub async fn sdk(h: &Handle, region: &str) -> SdkConfig {
    aws_config::defaults(BehaviorVersion::latest())
        .endpoint_url(&h.endpoint)
        .region(Region::new(region.to_string()))
        .credentials_provider(Credentials::new("AKIDEXAMPLE", "x", None, None, "test"))
        .load()
        .await
}

pub fn assert_reasons(r: &Report, status: &str, reasons: &[&str]) {
    assert_eq!(r.status.as_str(), status, "{}", r.to_text(None));
    for want in reasons {
        assert!(
            r.reasons().contains(want),
            "expected reason {want}, got {:?}\n{}",
            r.reasons(),
            r.to_text(None)
        );
    }
}
