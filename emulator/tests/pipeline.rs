//! The live pipeline end to end, through the official SDK: CloudTrail records posted to the admin API
//! reach the trail's log group, the CIS metric filter publishes a datapoint, the alarm evaluates on the
//! virtual clock, and SNS POSTs the alarm message to an HTTP subscriber on loopback.

mod common;

use aws_sdk_cloudwatch::types::{StateValue, Statistic};
use common::{default_sdk, emulator, raw, sdk};
use orgwatch_emulator::Handle;
use serde_json::{json, Value};
use std::sync::{Arc, Mutex};
use std::time::Duration;

const ACCOUNT: &str = "123456789012";
const GROUP: &str = "CloudTrail/Logs";
const GROUP_ARN: &str = "arn:aws:logs:us-east-1:123456789012:log-group:CloudTrail/Logs:*";
const T0: f64 = 1_800_000_000.0; // 2027-01-15T08:00:00Z, a multiple of 300

/// One POST an HTTP subscriber received.
#[derive(Debug, Clone)]
struct Received {
    headers: Vec<(String, String)>,
    body: Value,
}

impl Received {
    fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.as_str())
    }
}

/// An HTTP subscriber on loopback that records every POST and answers with the statuses given (then 200).
async fn subscriber(mut statuses: Vec<u16>) -> (String, Arc<Mutex<Vec<Received>>>) {
    use axum::http::{HeaderMap, StatusCode};
    let got: Arc<Mutex<Vec<Received>>> = Arc::default();
    statuses.reverse();
    let statuses = Arc::new(Mutex::new(statuses));
    let (g, s) = (got.clone(), statuses.clone());
    let app = axum::Router::new().route(
        "/hook",
        axum::routing::post(move |headers: HeaderMap, body: String| {
            let (g, s) = (g.clone(), s.clone());
            async move {
                g.lock().unwrap().push(Received {
                    headers: headers
                        .iter()
                        .map(|(k, v)| (k.to_string(), v.to_str().unwrap_or("").to_string()))
                        .collect(),
                    body: serde_json::from_str(&body).unwrap_or(Value::Null),
                });
                let code = s.lock().unwrap().pop().unwrap_or(200);
                StatusCode::from_u16(code).unwrap()
            }
        }),
    );
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}/hook", listener.local_addr().unwrap());
    tokio::spawn(async move { axum::serve(listener, app).await });
    (url, got)
}

async fn wait_for(got: &Arc<Mutex<Vec<Received>>>, kind: &str, count: usize) -> Vec<Received> {
    for _ in 0..200 {
        let seen: Vec<Received> = got
            .lock()
            .unwrap()
            .iter()
            .filter(|r| r.header("x-amz-sns-message-type") == Some(kind))
            .cloned()
            .collect();
        if seen.len() >= count {
            return seen;
        }
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    panic!("no {kind} POST arrived");
}

async fn admin(h: &Handle, path: &str, body: Value) -> Value {
    let r = raw(
        h,
        "POST",
        path,
        &[("content-type", "application/json")],
        body.to_string().as_bytes(),
    )
    .await;
    assert_eq!(r.status, 200, "{path}: {}", r.text());
    r.json()
}

fn record(name: &str, at: f64) -> Value {
    let mut r = orgwatch_pattern::coverage::schema::cloudtrail_template(
        orgwatch_pattern::cis::EVENT_SOURCE,
        name,
    );
    r["eventTime"] = json!(orgwatch_emulator::clock::iso8601(at));
    r["recipientAccountId"] = json!(ACCOUNT);
    r["userIdentity"]["accountId"] = json!(ACCOUNT);
    r
}

async fn chain(h: &Handle, treat: Option<&str>) -> String {
    common::cis_chain(h, GROUP, treat).await
}

async fn alarm_state(h: &Handle) -> (StateValue, String) {
    let cw = aws_sdk_cloudwatch::Client::new(&default_sdk(h).await);
    let a = cw
        .describe_alarms()
        .alarm_names("organizations_changes")
        .send()
        .await
        .unwrap();
    let a = &a.metric_alarms()[0];
    (
        a.state_value().unwrap().clone(),
        a.state_reason().unwrap_or_default().to_string(),
    )
}

#[tokio::test]
async fn an_organizations_event_reaches_an_http_subscriber() {
    let h = emulator().await;
    admin(&h, "/_orgwatch/clock", json!({"now": T0})).await;
    let topic = chain(&h, None).await;
    let (url, got) = subscriber(vec![]).await;
    let conf = default_sdk(&h).await;
    let sns = aws_sdk_sns::Client::new(&conf);
    let pending = sns
        .subscribe()
        .topic_arn(&topic)
        .protocol("http")
        .endpoint(&url)
        .send()
        .await
        .unwrap();
    assert_eq!(pending.subscription_arn(), Some("pending confirmation"));

    // The confirmation request, then the SubscribeURL it carries, served by the emulator itself.
    let confirmation = &wait_for(&got, "SubscriptionConfirmation", 1).await[0];
    assert_eq!(
        confirmation.header("x-amz-sns-topic-arn"),
        Some(topic.as_str())
    );
    assert_eq!(confirmation.body["Type"], "SubscriptionConfirmation");
    let subscribe_url = confirmation.body["SubscribeURL"].as_str().unwrap();
    let path = subscribe_url.strip_prefix(&h.endpoint).unwrap();
    let confirmed = raw(&h, "GET", path, &[], b"").await;
    assert_eq!(confirmed.status, 200, "{}", confirmed.text());
    assert!(confirmed.text().contains("<SubscriptionArn>arn:aws:sns:"));
    let subs = sns
        .list_subscriptions_by_topic()
        .topic_arn(&topic)
        .send()
        .await
        .unwrap();
    assert!(subs.subscriptions()[0]
        .subscription_arn()
        .unwrap()
        .starts_with(&topic));

    // One CreateAccount record, delivered by the trail.
    let delivered = admin(
        &h,
        "/_orgwatch/cloudtrail/events",
        json!({"Records": [record("CreateAccount", T0 + 30.0)]}),
    )
    .await;
    assert_eq!(
        delivered["deliveries"][0]["logStream"],
        "123456789012_CloudTrail_us-east-1"
    );
    assert_eq!(delivered["deliveries"][0]["events"], 1);
    let logs = aws_sdk_cloudwatchlogs::Client::new(&conf);
    let events = logs
        .get_log_events()
        .log_group_name(GROUP)
        .log_stream_name("123456789012_CloudTrail_us-east-1")
        .send()
        .await
        .unwrap();
    let e = &events.events()[0];
    assert_eq!(e.timestamp(), Some(((T0 + 30.0) * 1000.0) as i64));
    assert!(e
        .message()
        .unwrap()
        .starts_with("{\"eventVersion\":\"1.11\",\"userIdentity\":{"));
    let status = aws_sdk_cloudtrail::Client::new(&conf)
        .get_trail_status()
        .name("org-trail")
        .send()
        .await
        .unwrap();
    assert!(status.latest_cloud_watch_logs_delivery_time().is_some());

    // Nothing fires before the period completes; then the alarm goes to ALARM and notifies.
    admin(&h, "/_orgwatch/clock/advance", json!({"seconds": 200})).await;
    assert_eq!(alarm_state(&h).await.0, StateValue::InsufficientData);
    admin(&h, "/_orgwatch/clock/advance", json!({"seconds": 100})).await;
    let (state, reason) = alarm_state(&h).await;
    assert_eq!(state, StateValue::Alarm);
    assert_eq!(
        reason,
        "Threshold Crossed: 1 datapoint [1.0 (15/01/27 08:00:00)] was greater than or equal to the threshold (1.0)."
    );
    let note = &wait_for(&got, "Notification", 1).await[0];
    assert_eq!(
        note.header("user-agent"),
        Some("Amazon Simple Notification Service Agent")
    );
    assert!(note
        .header("x-amz-sns-subscription-arn")
        .unwrap()
        .starts_with(&topic));
    assert_eq!(
        note.body["Subject"],
        "ALARM: \"organizations_changes\" in US East (N. Virginia)"
    );
    let message: Value = serde_json::from_str(note.body["Message"].as_str().unwrap()).unwrap();
    assert_eq!(message["NewStateValue"], "ALARM");
    assert_eq!(message["OldStateValue"], "INSUFFICIENT_DATA");
    assert_eq!(message["Trigger"]["Statistic"], "SUM");
    assert_eq!(message["Trigger"]["MetricName"], "OrganizationsEventCount");
    assert_eq!(message["StateChangeTime"], "2027-01-15T08:05:00.000+0000");

    // The history records the transition and the action.
    let cw = aws_sdk_cloudwatch::Client::new(&conf);
    let history = cw
        .describe_alarm_history()
        .alarm_name("organizations_changes")
        .send()
        .await
        .unwrap();
    let summaries: Vec<&str> = history
        .alarm_history_items()
        .iter()
        .filter_map(|i| i.history_summary())
        .collect();
    assert!(
        summaries.contains(&"Alarm updated from INSUFFICIENT_DATA to ALARM"),
        "{summaries:?}"
    );
    assert!(summaries
        .iter()
        .any(|s| s.starts_with("Successfully executed action")));
}

#[tokio::test]
async fn a_failing_subscriber_is_retried_until_it_answers() {
    let h = emulator().await;
    let topic = chain(&h, None).await;
    let (url, got) = subscriber(vec![500, 503]).await;
    let sns = aws_sdk_sns::Client::new(&default_sdk(&h).await);
    sns.subscribe()
        .topic_arn(&topic)
        .protocol("http")
        .endpoint(&url)
        .send()
        .await
        .unwrap();
    let posts = wait_for(&got, "SubscriptionConfirmation", 3).await;
    assert_eq!(posts.len(), 3);
    let log = raw(&h, "GET", "/_orgwatch/sns/deliveries", &[], b"")
        .await
        .json();
    let attempts = log["attempts"].as_array().unwrap();
    let statuses: Vec<u64> = attempts
        .iter()
        .map(|a| a["status"].as_u64().unwrap())
        .collect();
    assert_eq!(statuses, [500, 503, 200]);
    assert_eq!(attempts[2]["delivered"], true);
}

#[tokio::test]
async fn selectors_regions_and_logging_decide_what_a_trail_captures() {
    let h = emulator().await;
    chain(&h, None).await;
    let conf = default_sdk(&h).await;
    let ct = aws_sdk_cloudtrail::Client::new(&conf);
    let post = |body: Value| {
        let h = &h;
        async move { admin(h, "/_orgwatch/cloudtrail/events", body).await }
    };
    assert_eq!(post(record("CreateAccount", T0)).await["notCaptured"], 0);

    // A classic selector may exclude only KMS and RDS Data events (AWS refuses Organizations there).
    let classic = |source: &str| {
        aws_sdk_cloudtrail::types::EventSelector::builder()
            .include_management_events(true)
            .read_write_type(aws_sdk_cloudtrail::types::ReadWriteType::All)
            .exclude_management_event_sources(source)
            .build()
    };
    let refused = ct
        .put_event_selectors()
        .trail_name("org-trail")
        .event_selectors(classic("organizations.amazonaws.com"))
        .send()
        .await
        .unwrap_err();
    assert!(refused
        .into_service_error()
        .is_invalid_event_selectors_exception());
    ct.put_event_selectors()
        .trail_name("org-trail")
        .event_selectors(classic("kms.amazonaws.com"))
        .send()
        .await
        .unwrap();
    let mut kms = record("Decrypt", T0);
    kms["eventSource"] = json!("kms.amazonaws.com");
    assert_eq!(post(json!([kms])).await["notCaptured"], 1);
    assert_eq!(post(record("CreateAccount", T0)).await["notCaptured"], 0);

    // Excluding Organizations events takes an advanced selector; it stops them (a single record, not a file).
    use aws_sdk_cloudtrail::types::{AdvancedEventSelector, AdvancedFieldSelector};
    ct.put_event_selectors()
        .trail_name("org-trail")
        .advanced_event_selectors(
            AdvancedEventSelector::builder()
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
                        .not_equals("organizations.amazonaws.com")
                        .build()
                        .unwrap(),
                )
                .build()
                .unwrap(),
        )
        .send()
        .await
        .unwrap();
    assert_eq!(post(record("CreateAccount", T0)).await["notCaptured"], 1);

    // WriteOnly skips read-only events.
    ct.put_event_selectors()
        .trail_name("org-trail")
        .event_selectors(
            aws_sdk_cloudtrail::types::EventSelector::builder()
                .include_management_events(true)
                .read_write_type(aws_sdk_cloudtrail::types::ReadWriteType::WriteOnly)
                .build(),
        )
        .send()
        .await
        .unwrap();
    let mut describe = record("DescribeOrganization", T0);
    describe["readOnly"] = json!(true);
    assert_eq!(post(describe).await["notCaptured"], 1);
    assert_eq!(post(record("CreateAccount", T0)).await["notCaptured"], 0);

    // A single-region trail elsewhere does not see us-east-1; a stopped trail sees nothing.
    ct.update_trail()
        .name("org-trail")
        .is_multi_region_trail(false)
        .send()
        .await
        .unwrap();
    let mut west = record("CreateAccount", T0);
    west["awsRegion"] = json!("us-west-2");
    assert_eq!(post(west).await["notCaptured"], 1);
    ct.stop_logging().name("org-trail").send().await.unwrap();
    assert_eq!(post(record("CreateAccount", T0)).await["notCaptured"], 1);
}

#[tokio::test]
async fn member_records_reach_the_organization_trail_in_the_management_account() {
    let h = emulator().await;
    let member = "210987654321";
    admin(
        &h,
        "/_orgwatch/organizations",
        json!({"account": ACCOUNT, "role": "management", "organizationId": "o-abc123"}),
    )
    .await;
    admin(
        &h,
        "/_orgwatch/organizations",
        json!({"account": member, "role": "member", "managementAccount": ACCOUNT, "organizationId": "o-abc123"}),
    )
    .await;
    let conf = default_sdk(&h).await;
    aws_sdk_cloudwatchlogs::Client::new(&conf)
        .create_log_group()
        .log_group_name(GROUP)
        .send()
        .await
        .unwrap();
    common::trail_destinations(
        &conf,
        "trail-bucket",
        Some("CloudTrail_CloudWatchLogs_Role"),
    )
    .await;
    let ct = aws_sdk_cloudtrail::Client::new(&conf);
    ct.create_trail()
        .name("org")
        .s3_bucket_name("trail-bucket")
        .is_multi_region_trail(true)
        .is_organization_trail(true)
        .cloud_watch_logs_log_group_arn(GROUP_ARN)
        .cloud_watch_logs_role_arn("arn:aws:iam::123456789012:role/CloudTrail_CloudWatchLogs_Role")
        .send()
        .await
        .unwrap();
    ct.start_logging().name("org").send().await.unwrap();
    let mut r = record("LeaveOrganization", T0);
    r["recipientAccountId"] = json!(member);
    let out = admin(&h, "/_orgwatch/cloudtrail/events", r).await;
    assert_eq!(
        out["deliveries"][0]["logStream"],
        "o-abc123_210987654321_CloudTrail_us-east-1"
    );
    assert_eq!(
        out["deliveries"][0]["trail"],
        "arn:aws:cloudtrail:us-east-1:123456789012:trail/org"
    );
    // The member's own region state holds no copy: the group lives in the management account.
    let member_logs = aws_sdk_cloudwatchlogs::Client::new(&sdk(&h, "us-east-1", member).await);
    let groups = member_logs.describe_log_groups().send().await.unwrap();
    assert!(groups.log_groups().is_empty());
}

#[tokio::test]
async fn gzip_log_files_are_accepted_and_bad_bodies_get_a_clear_error() {
    use std::io::Write;
    let h = emulator().await;
    chain(&h, None).await;
    let file = json!({"Records": [record("CreateAccount", T0), record("MoveAccount", T0 + 1.0)]});
    let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
    gz.write_all(serde_json::to_string_pretty(&file).unwrap().as_bytes())
        .unwrap();
    let body = gz.finish().unwrap();
    let r = raw(&h, "POST", "/_orgwatch/cloudtrail/events", &[], &body).await;
    assert_eq!(r.status, 200, "{}", r.text());
    assert_eq!(r.json()["deliveries"][0]["events"], 2);
    let bodies: [(&[u8], &str); 2] = [
        (b"[{\"eventName\": 1}]", "record 0"),
        (b"{\"Records\": [", "not JSON"),
    ];
    for (body, says) in bodies {
        let bad = raw(&h, "POST", "/_orgwatch/cloudtrail/events", &[], body).await;
        assert_eq!(bad.status, 400);
        assert!(bad.text().contains(says), "{}", bad.text());
    }
}

#[tokio::test]
async fn concurrent_deliveries_lose_no_datapoint() {
    let h = emulator().await;
    admin(&h, "/_orgwatch/clock", json!({"now": T0})).await;
    chain(&h, None).await;
    let clients = 16;
    let posts = 20;
    let per_post = 25;
    let mut tasks = Vec::new();
    for c in 0..clients {
        let endpoint = h.addr;
        tasks.push(tokio::spawn(async move {
            for p in 0..posts {
                let records: Vec<Value> = (0..per_post)
                    .map(|k| {
                        let name = orgwatch_pattern::cis::EVENT_NAMES[(c + p + k) % 18];
                        record(name, T0 + 10.0)
                    })
                    .collect();
                let body = json!({ "Records": records }).to_string();
                let client = hyper_util::client::legacy::Client::builder(
                    hyper_util::rt::TokioExecutor::new(),
                )
                .build_http::<http_body_util::Full<bytes::Bytes>>();
                let req =
                    hyper::Request::post(format!("http://{endpoint}/_orgwatch/cloudtrail/events"))
                        .body(http_body_util::Full::new(bytes::Bytes::from(body)))
                        .unwrap();
                let resp = client.request(req).await.unwrap();
                assert_eq!(resp.status(), 200);
            }
        }));
    }
    for t in tasks {
        t.await.unwrap();
    }
    let cw = aws_sdk_cloudwatch::Client::new(&default_sdk(&h).await);
    let stats = cw
        .get_metric_statistics()
        .namespace("CISBenchmark")
        .metric_name("OrganizationsEventCount")
        .start_time(aws_sdk_cloudwatch::primitives::DateTime::from_secs(
            T0 as i64 - 600,
        ))
        .end_time(aws_sdk_cloudwatch::primitives::DateTime::from_secs(
            T0 as i64 + 600,
        ))
        .period(300)
        .statistics(Statistic::Sum)
        .send()
        .await
        .unwrap();
    let sum: f64 = stats.datapoints().iter().filter_map(|d| d.sum()).sum();
    assert_eq!(sum, (clients * posts * per_post) as f64);
}
