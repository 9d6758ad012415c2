//! The links that stop a notification without an error anyone sees, as the pipeline honours them (through
//! the AWS SDK for Rust): a delivery role changed after the trail exists, a log group key made unusable, a
//! topic encrypted with the AWS managed key, a topic policy that refuses CloudWatch. Each time the alarm or
//! the trail carries on, and only GetTrailStatus or the alarm history says what happened.

mod common;

use aws_sdk_cloudwatch::types::{HistoryItemType, StateValue};
use common::{default_sdk, emulator, raw};
use orgwatch_emulator::Handle;
use serde_json::{json, Value};

const ACCOUNT: &str = "123456789012";
const GROUP: &str = "CloudTrail/Logs";
const ROLE: &str = "CloudTrail_CloudWatchLogs_Role";
const T0: f64 = 1_800_000_000.0;

async fn deliver(h: &Handle, name: &str) -> Value {
    let mut r = orgwatch_pattern::coverage::schema::cloudtrail_template(
        orgwatch_pattern::cis::EVENT_SOURCE,
        name,
    );
    r["eventTime"] = json!(orgwatch_emulator::clock::iso8601(T0 + 10.0));
    r["recipientAccountId"] = json!(ACCOUNT);
    r["userIdentity"]["accountId"] = json!(ACCOUNT);
    let body = json!({ "Records": [r] }).to_string();
    let out = raw(
        h,
        "POST",
        "/_orgwatch/cloudtrail/events",
        &[("content-type", "application/json")],
        body.as_bytes(),
    )
    .await;
    assert_eq!(out.status, 200, "{}", out.text());
    out.json()
}

async fn delivery_error(h: &Handle) -> Option<String> {
    aws_sdk_cloudtrail::Client::new(&default_sdk(h).await)
        .get_trail_status()
        .name("org-trail")
        .send()
        .await
        .unwrap()
        .latest_cloud_watch_logs_delivery_error
}

async fn events_in_group(h: &Handle) -> usize {
    aws_sdk_cloudwatchlogs::Client::new(&default_sdk(h).await)
        .filter_log_events()
        .log_group_name(GROUP)
        .send()
        .await
        .unwrap()
        .events()
        .len()
}

#[tokio::test]
async fn a_role_denied_after_the_trail_exists_stops_delivery_until_mended() {
    let h = emulator().await;
    common::cis_chain(&h, GROUP, None).await;
    let iam = aws_sdk_iam::Client::new(&default_sdk(&h).await);
    let deny = r#"{"Version":"2012-10-17","Statement":[{"Effect":"Deny","Action":"logs:PutLogEvents","Resource":"*"}]}"#;
    iam.put_role_policy()
        .role_name(ROLE)
        .policy_name("freeze")
        .policy_document(deny)
        .send()
        .await
        .unwrap();
    assert_eq!(delivery_error(&h).await, None, "nothing attempted yet");
    let out = deliver(&h, "CreateAccount").await;
    assert_eq!(out["deliveries"][0]["error"], "AccessDeniedException");
    assert_eq!(events_in_group(&h).await, 0);
    assert_eq!(
        delivery_error(&h).await.as_deref(),
        Some("AccessDeniedException")
    );

    // Mended: the next delivery goes through and clears the error.
    iam.delete_role_policy()
        .role_name(ROLE)
        .policy_name("freeze")
        .send()
        .await
        .unwrap();
    let out = deliver(&h, "CreateAccount").await;
    assert!(out["deliveries"][0].get("error").is_none(), "{out}");
    assert_eq!(events_in_group(&h).await, 1);
    assert_eq!(delivery_error(&h).await, None);

    // A trust policy that no longer names CloudTrail stops it the same way.
    let other = r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"Service":"ec2.amazonaws.com"},"Action":"sts:AssumeRole"}]}"#;
    iam.update_assume_role_policy()
        .role_name(ROLE)
        .policy_document(other)
        .send()
        .await
        .unwrap();
    deliver(&h, "CreateAccount").await;
    assert_eq!(events_in_group(&h).await, 1);
    assert_eq!(
        delivery_error(&h).await.as_deref(),
        Some("AccessDeniedException")
    );
}

#[tokio::test]
async fn a_log_group_whose_key_is_disabled_takes_no_events() {
    let h = emulator().await;
    common::cis_chain(&h, GROUP, None).await;
    let conf = default_sdk(&h).await;
    let kms = aws_sdk_kms::Client::new(&conf);
    let policy = json!({"Version": "2012-10-17", "Statement": [
        {"Effect": "Allow", "Principal": {"AWS": format!("arn:aws:iam::{ACCOUNT}:root")}, "Action": "kms:*", "Resource": "*"},
        {"Effect": "Allow", "Principal": {"Service": "logs.us-east-1.amazonaws.com"},
         "Action": ["kms:Encrypt*", "kms:Decrypt*", "kms:GenerateDataKey*"], "Resource": "*"}
    ]});
    let key = kms
        .create_key()
        .policy(policy.to_string())
        .send()
        .await
        .unwrap()
        .key_metadata
        .unwrap()
        .arn
        .unwrap();
    let logs = aws_sdk_cloudwatchlogs::Client::new(&conf);
    logs.associate_kms_key()
        .log_group_name(GROUP)
        .kms_key_id(&key)
        .send()
        .await
        .unwrap();
    deliver(&h, "CreateAccount").await;
    assert_eq!(events_in_group(&h).await, 1, "a usable key takes events");

    kms.disable_key().key_id(&key).send().await.unwrap();
    let out = deliver(&h, "CreateAccount").await;
    assert_eq!(out["deliveries"][0]["error"], "KmsAccessDeniedException");
    assert_eq!(events_in_group(&h).await, 1);
    assert_eq!(
        delivery_error(&h).await.as_deref(),
        Some("KmsAccessDeniedException")
    );
    logs.create_log_stream()
        .log_group_name(GROUP)
        .log_stream_name("app")
        .send()
        .await
        .unwrap();
    let e = logs
        .put_log_events()
        .log_group_name(GROUP)
        .log_stream_name("app")
        .log_events(
            aws_sdk_cloudwatchlogs::types::InputLogEvent::builder()
                .timestamp((T0 * 1000.0) as i64)
                .message("hello")
                .build()
                .unwrap(),
        )
        .send()
        .await
        .unwrap_err()
        .into_service_error();
    assert!(e.is_invalid_parameter_exception(), "{e:?}");
}

/// Puts the alarm in ALARM and returns the alarm's state and its newest Action history item.
async fn alarm_and_action(h: &Handle) -> (StateValue, String, Value) {
    let cw = aws_sdk_cloudwatch::Client::new(&default_sdk(h).await);
    cw.set_alarm_state()
        .alarm_name("organizations_changes")
        .state_value(StateValue::Alarm)
        .state_reason("drill")
        .send()
        .await
        .unwrap();
    let state = cw
        .describe_alarms()
        .alarm_names("organizations_changes")
        .send()
        .await
        .unwrap()
        .metric_alarms()[0]
        .state_value()
        .cloned()
        .unwrap();
    let history = cw
        .describe_alarm_history()
        .alarm_name("organizations_changes")
        .history_item_type(HistoryItemType::Action)
        .send()
        .await
        .unwrap();
    let item = history.alarm_history_items().first().cloned().unwrap();
    let data: Value = serde_json::from_str(item.history_data().unwrap_or("{}")).unwrap();
    (
        state,
        item.history_summary().unwrap_or_default().into(),
        data,
    )
}

async fn outbox_len(h: &Handle) -> usize {
    let r = raw(h, "GET", "/_orgwatch/sns/outbox", &[], b"").await;
    r.json()["messages"].as_array().map_or(0, Vec::len)
}

#[tokio::test]
async fn an_alarm_cannot_publish_to_a_topic_under_the_aws_managed_key() {
    let h = emulator().await;
    let topic = common::cis_chain(&h, GROUP, None).await;
    let sns = aws_sdk_sns::Client::new(&default_sdk(&h).await);
    sns.subscribe()
        .topic_arn(&topic)
        .protocol("sqs")
        .endpoint(format!("arn:aws:sqs:us-east-1:{ACCOUNT}:security"))
        .send()
        .await
        .unwrap();
    sns.set_topic_attributes()
        .topic_arn(&topic)
        .attribute_name("KmsMasterKeyId")
        .attribute_value("alias/aws/sns")
        .send()
        .await
        .unwrap();
    let before = outbox_len(&h).await;
    let (state, summary, data) = alarm_and_action(&h).await;
    assert_eq!(state, StateValue::Alarm, "the alarm still changes state");
    assert_eq!(outbox_len(&h).await, before, "nothing is delivered");
    assert!(
        summary.starts_with(&format!(
            "Failed to execute action {topic}. Received error: \"null (Service: AWSKMS"
        )),
        "{summary}"
    );
    assert_eq!(data["actionState"], "Failed");

    // A customer key that admits CloudWatch works.
    let policy = json!({"Version": "2012-10-17", "Statement": [
        {"Effect": "Allow", "Principal": {"AWS": format!("arn:aws:iam::{ACCOUNT}:root")}, "Action": "kms:*", "Resource": "*"},
        {"Effect": "Allow", "Principal": {"Service": "cloudwatch.amazonaws.com"},
         "Action": ["kms:Decrypt", "kms:GenerateDataKey*"], "Resource": "*"}
    ]});
    let kms = aws_sdk_kms::Client::new(&default_sdk(&h).await);
    let key = kms
        .create_key()
        .policy(policy.to_string())
        .send()
        .await
        .unwrap()
        .key_metadata
        .unwrap()
        .key_id;
    sns.set_topic_attributes()
        .topic_arn(&topic)
        .attribute_name("KmsMasterKeyId")
        .attribute_value(&key)
        .send()
        .await
        .unwrap();
    reset(&h).await;
    let (_, summary, data) = alarm_and_action(&h).await;
    assert_eq!(summary, format!("Successfully executed action {topic}"));
    assert_eq!(data["actionState"], "Succeeded");
    assert_eq!(outbox_len(&h).await, before + 1);
}

async fn reset(h: &Handle) {
    aws_sdk_cloudwatch::Client::new(&default_sdk(h).await)
        .set_alarm_state()
        .alarm_name("organizations_changes")
        .state_value(StateValue::Ok)
        .state_reason("reset")
        .send()
        .await
        .unwrap();
}

#[tokio::test]
async fn a_topic_policy_that_refuses_cloudwatch_drops_the_notification() {
    let h = emulator().await;
    let topic = common::cis_chain(&h, GROUP, None).await;
    let sns = aws_sdk_sns::Client::new(&default_sdk(&h).await);
    // Only the account's own principals may publish: CloudWatch is not one.
    let owner_only = json!({"Version": "2012-10-17", "Statement": [{
        "Effect": "Allow", "Principal": {"AWS": format!("arn:aws:iam::{ACCOUNT}:root")},
        "Action": "sns:Publish", "Resource": topic
    }]});
    sns.set_topic_attributes()
        .topic_arn(&topic)
        .attribute_name("Policy")
        .attribute_value(owner_only.to_string())
        .send()
        .await
        .unwrap();
    let (state, summary, _) = alarm_and_action(&h).await;
    assert_eq!(state, StateValue::Alarm);
    let alarm = format!("arn:aws:cloudwatch:us-east-1:{ACCOUNT}:alarm:organizations_changes");
    assert_eq!(
        summary,
        format!("Failed to execute action {topic}. Received error: \"Resource: {alarm} is not authorized to perform: SNS:Publish on resource: {topic}\"")
    );

    // The statement AWS's guide gives admits it.
    let cloudwatch = json!({"Version": "2012-10-17", "Statement": [{
        "Sid": "Allow_Publish_Alarms", "Effect": "Allow",
        "Principal": {"Service": ["cloudwatch.amazonaws.com"]},
        "Action": "sns:Publish", "Resource": topic,
        "Condition": {"ArnLike": {"aws:SourceArn": alarm}}
    }]});
    sns.set_topic_attributes()
        .topic_arn(&topic)
        .attribute_name("Policy")
        .attribute_value(cloudwatch.to_string())
        .send()
        .await
        .unwrap();
    reset(&h).await;
    let (_, summary, _) = alarm_and_action(&h).await;
    assert_eq!(summary, format!("Successfully executed action {topic}"));
}
