//! Access denied on each call the checker makes gives UNKNOWN, never PASS; throttling still gives the right
//! verdict (the SDK retries).

mod setup;

use setup::{assert_reasons, Env};

const CALLS: &[&str] = &[
    "cloudtrail:DescribeTrails",
    "cloudtrail:GetTrailStatus",
    "cloudtrail:GetEventSelectors",
    "logs:DescribeLogGroups",
    "logs:DescribeMetricFilters",
    "cloudwatch:DescribeAlarms",
    "sns:GetTopicAttributes",
    "sns:ListSubscriptionsByTopic",
];

#[tokio::test]
async fn access_denied_on_each_call_is_unknown() {
    for call in CALLS {
        let e = Env::new().await;
        e.compliant().await;
        let body = format!(r#"{{"kind":"deny","operation":"{call}"}}"#);
        assert_eq!(e.admin("POST", "/_orgwatch/faults", &body).await, 200);
        let r = e.report().await;
        assert_eq!(r.status.as_str(), "UNKNOWN", "{call}: {}", r.to_text(None));
        assert!(
            r.reasons().contains(&"access-denied"),
            "{call}: {:?}",
            r.reasons()
        );
    }
}

#[tokio::test]
async fn throttling_is_retried() {
    let e = Env::new().await;
    e.compliant().await;
    for call in CALLS {
        let body = format!(r#"{{"kind":"throttle","operation":"{call}","count":2}}"#);
        assert_eq!(e.admin("POST", "/_orgwatch/faults", &body).await, 200);
    }
    assert_reasons(&e.report().await, "PASS", &[]);
}

#[tokio::test]
async fn a_denied_link_does_not_hide_a_complete_chain() {
    let e = Env::new().await;
    e.compliant().await;
    // A second trail whose log group is in another account: unknown, but the first chain passes.
    e.trail()
        .create_trail()
        .name("other-trail")
        .s3_bucket_name("b")
        .is_multi_region_trail(true)
        .cloud_watch_logs_log_group_arn("arn:aws:logs:us-east-1:999988887777:log-group:x:*")
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
