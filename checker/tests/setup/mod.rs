//! Builds configurations in the emulator through the AWS SDK for Rust, starting from the compliant one
//! exactly as the control's remediation commands create it.
#![allow(dead_code)]

use aws_config::{BehaviorVersion, Region, SdkConfig};
use aws_credential_types::Credentials;
use orgwatch_checker::{check, Report, Target};
use orgwatch_emulator::{start, Config, Handle};

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
    /// SQS subscriber, which the commands assume exist): the catalogue's `subscription-sqs` scenario,
    /// booted by the scenario harness, with the names these tests use (trail `org-trail`, queue
    /// `security`) and no organization.
    pub async fn compliant() -> Env {
        let mut s = orgwatch_scenarios::catalogue("subscription-sqs").expect("catalogue");
        for account in &mut s.given.accounts {
            account.organization = None;
            for r in account.regions.values_mut() {
                for t in &mut r.trails {
                    t.name = "org-trail".into();
                }
                for sub in &mut r.subscriptions {
                    sub.endpoint = format!("arn:aws:sqs:us-east-1:{ACCOUNT}:security");
                }
            }
        }
        let b = orgwatch_scenarios::boot(&s).await.expect("boot");
        Env {
            h: b.emulator,
            conf: b.sdk,
        }
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
