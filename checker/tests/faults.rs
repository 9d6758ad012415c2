//! Access denied on each call the checker makes gives UNKNOWN, never PASS; throttling still gives the right
//! verdict (the SDK retries).

mod setup;

use orgwatch_emulator::admin::api::{Fault, FaultKind};
use setup::{assert_reasons, Env};

fn fault(kind: FaultKind, operation: &str, count: Option<u32>) -> Fault {
    Fault {
        kind,
        operation: operation.into(),
        account: None,
        region: None,
        count,
        delay_ms: None,
    }
}

const CALLS: &[&str] = &[
    "cloudtrail:DescribeTrails",
    "cloudtrail:GetTrailStatus",
    "cloudtrail:GetEventSelectors",
    "logs:DescribeLogGroups",
    "logs:DescribeMetricFilters",
    "cloudwatch:DescribeAlarms",
    "sns:GetTopicAttributes",
    "sns:ListSubscriptionsByTopic",
    "iam:GetRole",
    "iam:ListRolePolicies",
    "iam:GetRolePolicy",
    "iam:ListAttachedRolePolicies",
];

/// Denies `call` and expects the check UNKNOWN with `access-denied`, never PASS.
async fn denied_is_unknown(e: &Env, call: &str) {
    e.admin()
        .add_fault(&fault(FaultKind::Deny, call, None))
        .await
        .unwrap();
    let r = e.report().await;
    assert_eq!(r.status.as_str(), "UNKNOWN", "{call}: {}", r.to_text(None));
    assert!(
        r.reasons().contains(&"access-denied"),
        "{call}: {:?}",
        r.reasons()
    );
}

#[tokio::test]
async fn access_denied_on_each_call_is_unknown() {
    for call in CALLS {
        let e = Env::compliant().await;
        denied_is_unknown(&e, call).await;
    }
}

#[tokio::test]
async fn throttling_is_retried() {
    let e = Env::compliant().await;
    for call in CALLS {
        let throttle = fault(FaultKind::Throttle, call, Some(2));
        e.admin().add_fault(&throttle).await.unwrap();
    }
    assert_reasons(&e.report().await, "PASS", &[]);
}

#[tokio::test]
async fn a_denied_link_does_not_hide_a_complete_chain() {
    let e = Env::compliant().await;
    // A second trail whose log group is in another account: unknown, but the first chain passes.
    let other = orgwatch_scenarios::apply::sdk(&e.h.endpoint, "999988887777", "us-east-1").await;
    aws_sdk_cloudwatchlogs::Client::new(&other)
        .create_log_group()
        .log_group_name("x")
        .send()
        .await
        .unwrap();
    e.trail()
        .create_trail()
        .name("other-trail")
        .s3_bucket_name("orgwatch-trail-bucket")
        .is_multi_region_trail(true)
        .cloud_watch_logs_log_group_arn("arn:aws:logs:us-east-1:999988887777:log-group:x:*")
        .cloud_watch_logs_role_arn("arn:aws:iam::123456789012:role/CloudTrail_CloudWatchLogs_Role")
        .send()
        .await
        .unwrap();
    e.trail()
        .start_logging()
        .name("other-trail")
        .send()
        .await
        .unwrap();
    assert_reasons(&e.report().await, "PASS", &[]);
}

#[tokio::test]
async fn a_key_the_credentials_cannot_read_is_unknown() {
    for call in ["kms:DescribeKey", "kms:GetKeyPolicy"] {
        let e = Env::compliant().await;
        let policy = serde_json::json!({"Version": "2012-10-17", "Statement": [
            {"Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::123456789012:root"}, "Action": "kms:*", "Resource": "*"},
            {"Effect": "Allow", "Principal": {"Service": "cloudwatch.amazonaws.com"},
             "Action": ["kms:Decrypt", "kms:GenerateDataKey*"], "Resource": "*"}
        ]});
        let key = aws_sdk_kms::Client::new(&e.conf)
            .create_key()
            .policy(policy.to_string())
            .send()
            .await
            .unwrap()
            .key_metadata
            .unwrap()
            .key_id;
        e.sns()
            .set_topic_attributes()
            .topic_arn(e.topic_arn())
            .attribute_name("KmsMasterKeyId")
            .attribute_value(key)
            .send()
            .await
            .unwrap();
        assert_reasons(&e.report().await, "PASS", &[]);
        denied_is_unknown(&e, call).await;
    }
}
