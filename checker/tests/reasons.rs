//! One test per reason code (and the compliant case), against the emulator over HTTP through the SDK.

mod setup;

use aws_sdk_cloudtrail::types::{
    AdvancedEventSelector, AdvancedFieldSelector, EventSelector, ReadWriteType,
};
use aws_sdk_cloudwatch::types::{StandardUnit, Statistic};
use orgwatch_emulator::admin::api::{DeliveryError, Role, SetOrganization};
use orgwatch_pattern::cis;
use setup::{assert_reasons, Env, ACCOUNT, GROUP};

#[tokio::test]
async fn the_control_as_printed_passes() {
    let e = Env::compliant().await;
    let r = e.report().await;
    assert_reasons(&r, "PASS", &[]);
    assert!(r.findings.is_empty(), "{:?}", r.reasons());
    let chain = &r.chains[0];
    let kinds: Vec<&str> = chain.links.iter().map(|l| l.kind.as_str()).collect();
    assert_eq!(
        kinds,
        [
            "trail",
            "log-group",
            "delivery-role",
            "metric-filter",
            "alarm",
            "topic"
        ]
    );
    assert!(chain.links.iter().all(|l| l.state == "passed"));
    assert!(chain.links[3].evidence[0].contains("matches 18/18 events always"));
}

#[tokio::test]
async fn checker_is_read_only() {
    let e = Env::compliant().await;
    e.admin().clear_requests().await.unwrap();
    let _ = e.report().await;
    let served = e.h.shared.served.lock().unwrap().clone();
    assert!(served.len() >= 8, "{served:?}");
    for r in served {
        let (svc, op) = (&r.service, &r.operation);
        assert!(
            op.starts_with("Describe") || op.starts_with("Get") || op.starts_with("List"),
            "{svc}:{op} is not read-only"
        );
    }
}

#[tokio::test]
async fn no_trail() {
    let e = Env::new().await;
    assert_reasons(&e.report().await, "FAIL", &["trail-missing"]);
}

#[tokio::test]
async fn single_region_trail() {
    let e = Env::compliant().await;
    e.trail()
        .update_trail()
        .name("org-trail")
        .is_multi_region_trail(false)
        .send()
        .await
        .unwrap();
    assert_reasons(&e.report().await, "FAIL", &["trail-not-multi-region"]);
}

#[tokio::test]
async fn stopped_trail() {
    let e = Env::compliant().await;
    e.trail()
        .stop_logging()
        .name("org-trail")
        .send()
        .await
        .unwrap();
    assert_reasons(&e.report().await, "FAIL", &["trail-not-logging"]);
}

#[tokio::test]
async fn write_only_management_events() {
    let e = Env::compliant().await;
    // WriteOnly is a CIS policy failure (the 18 events are writes and still arrive); ReadOnly misses all 18.
    for (rw, reason) in [
        (ReadWriteType::WriteOnly, "trail-write-only"),
        (ReadWriteType::ReadOnly, "trail-no-management-events"),
    ] {
        let sel = EventSelector::builder()
            .read_write_type(rw)
            .include_management_events(true)
            .build();
        e.trail()
            .put_event_selectors()
            .trail_name("org-trail")
            .event_selectors(sel)
            .send()
            .await
            .unwrap();
        assert_reasons(&e.report().await, "FAIL", &[reason]);
    }
}

#[tokio::test]
async fn advanced_selectors_record_management_events() {
    let e = Env::compliant().await;
    let mgmt = AdvancedEventSelector::builder()
        .name("all management events")
        .field_selectors(
            AdvancedFieldSelector::builder()
                .field("eventCategory")
                .equals("Management")
                .build()
                .unwrap(),
        )
        .build()
        .unwrap();
    e.trail()
        .put_event_selectors()
        .trail_name("org-trail")
        .advanced_event_selectors(mgmt)
        .send()
        .await
        .unwrap();
    assert_reasons(&e.report().await, "PASS", &[]);
}

#[tokio::test]
async fn advanced_selectors_excluding_organizations() {
    let e = Env::compliant().await;
    let sel = AdvancedEventSelector::builder()
        .field_selectors(
            AdvancedFieldSelector::builder()
                .field("eventCategory")
                .equals("Management")
                .build()
                .unwrap(),
        )
        .field_selectors(
            AdvancedFieldSelector::builder()
                .field("eventSource")
                .not_equals(cis::EVENT_SOURCE)
                .build()
                .unwrap(),
        )
        .build()
        .unwrap();
    e.trail()
        .put_event_selectors()
        .trail_name("org-trail")
        .advanced_event_selectors(sel)
        .send()
        .await
        .unwrap();
    assert_reasons(
        &e.report().await,
        "FAIL",
        &["trail-excludes-organizations-events"],
    );
}

#[tokio::test]
async fn trail_without_cloudwatch_logs() {
    let e = Env::compliant().await;
    e.trail()
        .update_trail()
        .name("org-trail")
        .cloud_watch_logs_log_group_arn("")
        .cloud_watch_logs_role_arn("")
        .send()
        .await
        .unwrap();
    assert_reasons(&e.report().await, "FAIL", &["trail-no-cloudwatch-logs"]);
}

#[tokio::test]
async fn delivery_failing() {
    let e = Env::compliant().await;
    let error = DeliveryError {
        account: None,
        trail: "org-trail".into(),
        error: Some("AccessDeniedException: the role cannot call logs:PutLogEvents".into()),
    };
    e.admin().set_delivery_error(&error).await.unwrap();
    assert_reasons(&e.report().await, "FAIL", &["trail-delivery-failing"]);
}

#[tokio::test]
async fn log_group_missing() {
    let e = Env::compliant().await;
    e.logs()
        .delete_log_group()
        .log_group_name(GROUP)
        .send()
        .await
        .unwrap();
    assert_reasons(&e.report().await, "FAIL", &["log-group-missing"]);
}

#[tokio::test]
async fn log_group_of_the_same_name_in_another_region_does_not_count() {
    let e = Env::compliant().await;
    // The trail points at a group in eu-west-1, deleted since (CloudTrail accepts only a group that
    // exists); a group of that name exists only in us-east-1.
    let west = aws_sdk_cloudwatchlogs::Client::new(&e.in_region("eu-west-1").await);
    west.create_log_group()
        .log_group_name(GROUP)
        .send()
        .await
        .unwrap();
    e.trail()
        .update_trail()
        .name("org-trail")
        .cloud_watch_logs_log_group_arn(format!(
            "arn:aws:logs:eu-west-1:{ACCOUNT}:log-group:{GROUP}:*"
        ))
        .send()
        .await
        .unwrap();
    west.delete_log_group()
        .log_group_name(GROUP)
        .send()
        .await
        .unwrap();
    assert_reasons(&e.report().await, "FAIL", &["log-group-missing"]);
}

#[tokio::test]
async fn log_group_in_another_account() {
    let e = Env::compliant().await;
    let other = orgwatch_scenarios::apply::sdk(&e.h.endpoint, "999988887777", "us-east-1").await;
    aws_sdk_cloudwatchlogs::Client::new(&other)
        .create_log_group()
        .log_group_name(GROUP)
        .send()
        .await
        .unwrap();
    e.trail()
        .update_trail()
        .name("org-trail")
        .cloud_watch_logs_log_group_arn(format!(
            "arn:aws:logs:us-east-1:999988887777:log-group:{GROUP}:*"
        ))
        .send()
        .await
        .unwrap();
    assert_reasons(
        &e.report().await,
        "UNKNOWN",
        &["cross-account-unverifiable"],
    );
}

#[tokio::test]
async fn no_metric_filter() {
    let e = Env::compliant().await;
    e.logs()
        .delete_metric_filter()
        .log_group_name(GROUP)
        .filter_name("organizations_changes")
        .send()
        .await
        .unwrap();
    assert_reasons(&e.report().await, "FAIL", &["filter-missing"]);
}

#[tokio::test]
async fn one_name_missing() {
    let e = Env::compliant().await;
    let pattern = cis::PATTERN.replace(r#"($.eventName = "DeletePolicy") || "#, "");
    e.put_filter(
        "organizations_changes",
        &pattern,
        "organizations_changes",
        "CISBenchmark",
        "1",
    )
    .await;
    let r = e.report().await;
    assert_reasons(&r, "FAIL", &["filter-incomplete"]);
    let f = r
        .findings
        .iter()
        .find(|f| f.reason == "filter-incomplete")
        .unwrap();
    assert_eq!(f.events, ["DeletePolicy"]);
    assert_eq!(f.witness.as_ref().unwrap()["eventName"], "DeletePolicy");
}

#[tokio::test]
async fn extra_narrowing_condition() {
    let e = Env::compliant().await;
    let inner = cis::PATTERN
        .trim()
        .trim_start_matches('{')
        .trim_end_matches('}');
    e.put_filter(
        "organizations_changes",
        &format!(r#"{{ ($.userIdentity.type = "Root") && ({inner}) }}"#),
        "organizations_changes",
        "CISBenchmark",
        "1",
    )
    .await;
    let r = e.report().await;
    assert_reasons(&r, "FAIL", &["filter-conditional"]);
    let f = r
        .findings
        .iter()
        .find(|f| f.reason == "filter-conditional")
        .unwrap();
    assert_ne!(f.witness.as_ref().unwrap()["userIdentity"]["type"], "Root");
}

#[tokio::test]
async fn or_in_place_of_and_passes_with_a_warning() {
    let e = Env::compliant().await;
    e.put_filter(
        "organizations_changes",
        &cis::PATTERN.replacen(") &&(", ") ||(", 1),
        "organizations_changes",
        "CISBenchmark",
        "1",
    )
    .await;
    assert_reasons(&e.report().await, "PASS", &["filter-over-matches"]);
}

#[tokio::test]
async fn zero_metric_value() {
    let e = Env::compliant().await;
    e.put_filter(
        "organizations_changes",
        cis::PATTERN,
        "organizations_changes",
        "CISBenchmark",
        "0",
    )
    .await;
    assert_reasons(
        &e.report().await,
        "FAIL",
        &["filter-metric-value-not-positive"],
    );
}

#[tokio::test]
async fn two_filters_cover_the_18_together() {
    let e = Env::compliant().await;
    e.logs()
        .delete_metric_filter()
        .log_group_name(GROUP)
        .filter_name("organizations_changes")
        .send()
        .await
        .unwrap();
    let (a, b) = cis::EVENT_NAMES.split_at(9);
    let p = |names: &[&str]| {
        format!(
            "{{ $.eventSource = organizations.amazonaws.com && ({}) }}",
            names
                .iter()
                .map(|n| format!("$.eventName = {n}"))
                .collect::<Vec<_>>()
                .join(" || ")
        )
    };
    e.put_filter("org-a", &p(a), "organizations_changes", "CISBenchmark", "1")
        .await;
    e.put_filter("org-b", &p(b), "organizations_changes", "CISBenchmark", "1")
        .await;
    assert_reasons(&e.report().await, "PASS", &[]);
}

#[tokio::test]
async fn no_alarm() {
    let e = Env::compliant().await;
    e.cw()
        .delete_alarms()
        .alarm_names("organizations_changes")
        .send()
        .await
        .unwrap();
    assert_reasons(&e.report().await, "FAIL", &["alarm-missing"]);
}

#[tokio::test]
async fn same_metric_name_in_another_namespace() {
    let e = Env::compliant().await;
    e.put_alarm(|r| r.namespace("Other")).await;
    assert_reasons(&e.report().await, "FAIL", &["alarm-missing"]);
}

#[tokio::test]
async fn alarm_in_another_region() {
    let e = Env::compliant().await;
    e.cw()
        .delete_alarms()
        .alarm_names("organizations_changes")
        .send()
        .await
        .unwrap();
    let west = aws_sdk_cloudwatch::Client::new(&e.in_region("eu-west-1").await);
    use aws_sdk_cloudwatch::types::ComparisonOperator;
    west.put_metric_alarm()
        .alarm_name("organizations_changes")
        .metric_name("organizations_changes")
        .namespace("CISBenchmark")
        .statistic(Statistic::Sum)
        .period(300)
        .threshold(1.0)
        .comparison_operator(ComparisonOperator::GreaterThanOrEqualToThreshold)
        .evaluation_periods(1)
        .alarm_actions(e.topic_arn())
        .send()
        .await
        .unwrap();
    assert_reasons(&e.report().await, "FAIL", &["alarm-missing"]);
}

#[tokio::test]
async fn alarm_that_cannot_fire() {
    let e = Env::compliant().await;
    e.put_alarm(|r| r.threshold(2.0)).await;
    assert_reasons(&e.report().await, "FAIL", &["alarm-never-fires"]);
}

#[tokio::test]
async fn alarm_on_average_with_a_default_value() {
    let e = Env::compliant().await;
    let t = aws_sdk_cloudwatchlogs::types::MetricTransformation::builder()
        .metric_name("organizations_changes")
        .metric_namespace("CISBenchmark")
        .metric_value("1")
        .default_value(0.0)
        .build()
        .unwrap();
    e.logs()
        .put_metric_filter()
        .log_group_name(GROUP)
        .filter_name("organizations_changes")
        .filter_pattern(cis::PATTERN)
        .metric_transformations(t)
        .send()
        .await
        .unwrap();
    e.put_alarm(|r| r.statistic(Statistic::Average)).await;
    assert_reasons(&e.report().await, "FAIL", &["alarm-never-fires"]);
}

#[tokio::test]
async fn alarm_with_a_unit_the_filter_does_not_publish() {
    let e = Env::compliant().await;
    e.put_alarm(|r| r.unit(StandardUnit::Count)).await;
    assert_reasons(&e.report().await, "FAIL", &["alarm-never-fires"]);
}

#[tokio::test]
async fn alarm_that_never_rearms() {
    let e = Env::compliant().await;
    e.put_alarm(|r| r.treat_missing_data("ignore")).await;
    assert_reasons(&e.report().await, "FAIL", &["alarm-stays-in-alarm"]);
}

#[tokio::test]
async fn actions_disabled() {
    let e = Env::compliant().await;
    e.cw()
        .disable_alarm_actions()
        .alarm_names("organizations_changes")
        .send()
        .await
        .unwrap();
    assert_reasons(&e.report().await, "FAIL", &["alarm-actions-disabled"]);
}

#[tokio::test]
async fn alarm_without_actions() {
    let e = Env::compliant().await;
    e.put_alarm(|r| r.set_alarm_actions(None)).await;
    assert_reasons(&e.report().await, "FAIL", &["alarm-no-sns-action"]);
}

#[tokio::test]
async fn topic_missing() {
    let e = Env::compliant().await;
    e.sns()
        .delete_topic()
        .topic_arn(e.topic_arn())
        .send()
        .await
        .unwrap();
    assert_reasons(&e.report().await, "FAIL", &["topic-missing"]);
}

#[tokio::test]
async fn pending_subscription_only() {
    let e = Env::compliant().await;
    e.only_pending_subscription().await;
    assert_reasons(
        &e.report().await,
        "FAIL",
        &["topic-no-confirmed-subscription"],
    );
}

#[tokio::test]
async fn several_trails_where_one_is_complete() {
    let e = Env::compliant().await;
    e.trail()
        .create_trail()
        .name("data-trail")
        .s3_bucket_name("orgwatch-trail-bucket")
        .send()
        .await
        .unwrap();
    let r = e.report().await;
    assert_reasons(&r, "PASS", &[]);
    assert_eq!(r.chains.len(), 2);
}

#[tokio::test]
async fn member_account_reports_its_role() {
    let e = Env::compliant().await;
    let member = SetOrganization {
        account: "123456789012".into(),
        role: Role::Member,
        management_account: Some("111122223333".into()),
        organization_id: None,
    };
    e.admin().set_organization(&member).await.unwrap();
    let r = e.report().await;
    assert!(
        r.organization.contains("member") && r.organization.contains("111122223333"),
        "{}",
        r.organization
    );
}

#[tokio::test]
async fn verify_with_service_agrees_with_the_emulator() {
    let e = Env::compliant().await;
    e.put_filter(
        "conditional",
        r#"{ $.eventSource = "organizations.amazonaws.com" && $.userIdentity.type = "Root" }"#,
        "other",
        "CISBenchmark",
        "1",
    )
    .await;
    let target = orgwatch_checker::Target {
        endpoint_url: Some(e.h.endpoint.clone()),
        region: Some("us-east-1".into()),
        profile: None,
    };
    let (inv, r) = orgwatch_checker::check_with(&target, true).await;
    assert!(
        inv.calls.get("logs:TestMetricFilter").copied().unwrap_or(0) >= 2,
        "{:?}",
        inv.calls
    );
    assert!(
        !r.reasons().contains(&"engine-disagrees"),
        "{}",
        r.to_text(None)
    );
    assert_eq!(r.status.as_str(), "PASS");
}

const CLOUDTRAIL_ROLE: &str = "CloudTrail_CloudWatchLogs_Role";

#[tokio::test]
async fn delivery_role_denied_after_the_trail_exists() {
    let e = Env::compliant().await;
    let deny = r#"{"Version":"2012-10-17","Statement":[{"Sid":"Freeze","Effect":"Deny","Action":"logs:*","Resource":"*"}]}"#;
    aws_sdk_iam::Client::new(&e.conf)
        .put_role_policy()
        .role_name(CLOUDTRAIL_ROLE)
        .policy_name("freeze")
        .policy_document(deny)
        .send()
        .await
        .unwrap();
    let r = e.report().await;
    assert_reasons(&r, "FAIL", &["trail-delivery-role-invalid"]);
    let f = r
        .findings
        .iter()
        .find(|f| f.reason == "trail-delivery-role-invalid")
        .unwrap();
    assert_eq!(f.statement.as_ref().unwrap()["Sid"], "Freeze");
    assert!(f.fix.iter().any(|c| c.contains("put-role-policy")
        && c.contains(CLOUDTRAIL_ROLE)
        && c.contains("log-group:cloudtrail-logs:log-stream:*")));
}

#[tokio::test]
async fn delivery_role_that_no_longer_trusts_cloudtrail() {
    let e = Env::compliant().await;
    let trust = r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"Service":"lambda.amazonaws.com"},"Action":"sts:AssumeRole"}]}"#;
    aws_sdk_iam::Client::new(&e.conf)
        .update_assume_role_policy()
        .role_name(CLOUDTRAIL_ROLE)
        .policy_document(trust)
        .send()
        .await
        .unwrap();
    let r = e.report().await;
    assert_reasons(&r, "FAIL", &["trail-delivery-role-invalid"]);
    // The statement to add is the trust CloudTrail needs.
    let f = &r.findings[0];
    assert_eq!(
        f.statement.as_ref().unwrap()["Statement"][0]["Principal"]["Service"],
        "cloudtrail.amazonaws.com"
    );
}

/// A customer managed key with `statements` besides the account's own.
async fn key(e: &Env, statements: serde_json::Value) -> String {
    let mut all = vec![serde_json::json!({"Effect": "Allow",
        "Principal": {"AWS": format!("arn:aws:iam::{ACCOUNT}:root")}, "Action": "kms:*", "Resource": "*"})];
    all.extend(statements.as_array().cloned().unwrap_or_default());
    let policy = serde_json::json!({"Version": "2012-10-17", "Statement": all});
    aws_sdk_kms::Client::new(&e.conf)
        .create_key()
        .policy(policy.to_string())
        .send()
        .await
        .unwrap()
        .key_metadata
        .unwrap()
        .arn
        .unwrap()
}

#[tokio::test]
async fn log_group_key_pending_deletion() {
    let e = Env::compliant().await;
    let k = key(
        &e,
        serde_json::json!([{"Effect": "Allow", "Principal": {"Service": "logs.us-east-1.amazonaws.com"},
            "Action": ["kms:Encrypt*", "kms:Decrypt*", "kms:GenerateDataKey*"], "Resource": "*"}]),
    )
    .await;
    e.logs()
        .associate_kms_key()
        .log_group_name(GROUP)
        .kms_key_id(&k)
        .send()
        .await
        .unwrap();
    assert_reasons(&e.report().await, "PASS", &[]);
    aws_sdk_kms::Client::new(&e.conf)
        .schedule_key_deletion()
        .key_id(&k)
        .send()
        .await
        .unwrap();
    let r = e.report().await;
    assert_reasons(&r, "FAIL", &["log-group-key-unusable"]);
    assert!(
        r.findings[0].message.contains("PendingDeletion"),
        "{}",
        r.findings[0].message
    );
}

#[tokio::test]
async fn topic_under_the_aws_managed_key() {
    let e = Env::compliant().await;
    e.sns()
        .set_topic_attributes()
        .topic_arn(e.topic_arn())
        .attribute_name("KmsMasterKeyId")
        .attribute_value("alias/aws/sns")
        .send()
        .await
        .unwrap();
    let r = e.report().await;
    assert_reasons(&r, "FAIL", &["topic-key-denies-cloudwatch"]);
    let f = &r.findings[0];
    assert_eq!(
        f.statement.as_ref().unwrap()["Principal"]["Service"],
        "cloudwatch.amazonaws.com"
    );
    assert!(f.fix.iter().any(|c| c.contains("aws kms create-key")));
}

#[tokio::test]
async fn topic_key_that_admits_cloudwatch_passes() {
    let e = Env::compliant().await;
    let k = key(
        &e,
        serde_json::json!([{"Effect": "Allow", "Principal": {"Service": "cloudwatch.amazonaws.com"},
            "Action": ["kms:Decrypt", "kms:GenerateDataKey*"], "Resource": "*"}]),
    )
    .await;
    e.sns()
        .set_topic_attributes()
        .topic_arn(e.topic_arn())
        .attribute_name("KmsMasterKeyId")
        .attribute_value(&k)
        .send()
        .await
        .unwrap();
    assert_reasons(&e.report().await, "PASS", &[]);
}

#[tokio::test]
async fn topic_policy_that_denies_cloudwatch() {
    let e = Env::compliant().await;
    let topic = e.topic_arn();
    let policy = serde_json::json!({"Version": "2012-10-17", "Statement": [
        {"Effect": "Allow", "Principal": {"AWS": "*"}, "Action": "SNS:Publish", "Resource": topic,
         "Condition": {"StringEquals": {"AWS:SourceOwner": ACCOUNT}}},
        {"Sid": "NoAlarms", "Effect": "Deny", "Principal": {"Service": "cloudwatch.amazonaws.com"},
         "Action": "sns:Publish", "Resource": topic}
    ]});
    e.sns()
        .set_topic_attributes()
        .topic_arn(&topic)
        .attribute_name("Policy")
        .attribute_value(policy.to_string())
        .send()
        .await
        .unwrap();
    let r = e.report().await;
    assert_reasons(&r, "FAIL", &["topic-policy-denies-cloudwatch"]);
    assert_eq!(r.findings[0].statement.as_ref().unwrap()["Sid"], "NoAlarms");
}

/// Sets one attribute of every subscription of the alarm topic.
async fn set_on_subscriptions(e: &Env, name: &str, value: &str) {
    let subs = e
        .sns()
        .list_subscriptions_by_topic()
        .topic_arn(e.topic_arn())
        .send()
        .await
        .unwrap();
    assert!(!subs.subscriptions().is_empty());
    for s in subs.subscriptions() {
        e.sns()
            .set_subscription_attributes()
            .subscription_arn(s.subscription_arn().unwrap())
            .attribute_name(name)
            .attribute_value(value)
            .send()
            .await
            .unwrap();
    }
}

#[tokio::test]
async fn subscription_filter_policies_that_drop_alarm_notifications() {
    let e = Env::compliant().await;
    // An attribute policy: alarm notifications carry no message attributes, so nothing gets through.
    set_on_subscriptions(&e, "FilterPolicy", r#"{"severity":["high","critical"]}"#).await;
    let r = e.report().await;
    assert_reasons(&r, "FAIL", &["subscription-filter-drops-alarms"]);
    let f = &r.findings[0];
    assert!(
        f.message.contains("scope MessageAttributes"),
        "{}",
        f.message
    );
    assert!(
        f.resources[1].starts_with(&e.topic_arn()),
        "{:?}",
        f.resources
    );
    assert!(
        f.fix
            .iter()
            .any(|c| c.contains(&f.resources[1]) && c.contains("FilterPolicy")),
        "{:?}",
        f.fix
    );
    // The same policy read from the body: the notification has no `severity` either.
    set_on_subscriptions(&e, "FilterPolicyScope", "MessageBody").await;
    assert_reasons(
        &e.report().await,
        "FAIL",
        &["subscription-filter-drops-alarms"],
    );
    // A body policy on the alarm's name lets its notifications through.
    set_on_subscriptions(
        &e,
        "FilterPolicy",
        r#"{"AlarmName":["organizations_changes"],"NewStateValue":["ALARM"]}"#,
    )
    .await;
    let r = e.report().await;
    assert_reasons(&r, "PASS", &[]);
    let topic = r.chains[0].links.last().unwrap();
    assert!(
        topic.evidence[0].contains("scope MessageBody) matches"),
        "{:?}",
        topic.evidence
    );
    // The fix's first command: an empty policy filters nothing (SNS's way to remove one).
    set_on_subscriptions(&e, "FilterPolicy", "{}").await;
    assert_reasons(&e.report().await, "PASS", &[]);
}

#[tokio::test]
async fn routine_organization_reads_break_a_source_only_filter_in_an_organization() {
    let e = Env::compliant().await;
    e.put_filter(
        "organizations_changes",
        "{ $.eventSource = organizations.amazonaws.com }",
        "organizations_changes",
        "CISBenchmark",
        "1",
    )
    .await;
    // Outside an organization: no routine Organizations reads, only a warning.
    assert_reasons(&e.report().await, "PASS", &["filter-over-matches"]);
    let management = SetOrganization {
        account: ACCOUNT.into(),
        role: Role::Management,
        management_account: None,
        organization_id: None,
    };
    e.admin().set_organization(&management).await.unwrap();
    let r = e.report().await;
    assert_reasons(&r, "FAIL", &["filter-matches-ordinary-traffic"]);
    let f = r
        .findings
        .iter()
        .find(|f| f.reason == "filter-matches-ordinary-traffic")
        .unwrap();
    let witness = f.witness.as_ref().unwrap();
    assert_eq!(witness["eventSource"], "organizations.amazonaws.com");
    assert_eq!(witness["readOnly"], true);
    // A trail that records only writes does not deliver the reads.
    e.trail()
        .put_event_selectors()
        .trail_name("org-trail")
        .event_selectors(
            EventSelector::builder()
                .read_write_type(ReadWriteType::WriteOnly)
                .include_management_events(true)
                .build(),
        )
        .send()
        .await
        .unwrap();
    let r = e.report().await;
    assert!(
        !r.reasons().contains(&"filter-matches-ordinary-traffic"),
        "{:?}",
        r.reasons()
    );
}
