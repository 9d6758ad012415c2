//! CloudWatch through the AWS SDK for Rust, which speaks Smithy RPC v2 CBOR to it.

mod common;

use aws_sdk_cloudwatch::primitives::DateTime;
use aws_sdk_cloudwatch::types::{
    ComparisonOperator, Dimension, Metric, MetricDataQuery, MetricDatum, MetricStat, StateValue,
    Statistic, Tag,
};
use aws_sdk_cloudwatch::Client;

fn now() -> f64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_secs_f64()
}

#[tokio::test]
async fn alarms_state_history_and_actions() {
    let h = common::emulator().await;
    let c = Client::new(&common::default_sdk(&h).await);
    common::sum_alarm(
        &c,
        "organizations_changes",
        ("CISBenchmark", "organizations_changes"),
        300,
        1.0,
        ComparisonOperator::GreaterThanOrEqualToThreshold,
    )
    .alarm_actions("arn:aws:sns:us-east-1:123456789012:cis-alarms")
    .tags(Tag::builder().key("k").value("v").build())
    .send()
    .await
    .unwrap();
    let d = c
        .describe_alarms()
        .alarm_name_prefix("organizations")
        .send()
        .await
        .unwrap();
    let a = &d.metric_alarms()[0];
    assert_eq!(a.state_value(), Some(&StateValue::InsufficientData));
    assert_eq!(a.state_reason(), Some("Unchecked: Initial alarm creation"));
    assert_eq!(a.threshold(), Some(1.0));
    assert_eq!(a.actions_enabled(), Some(true));
    assert!(a.state_updated_timestamp().is_some());
    let for_metric = c
        .describe_alarms_for_metric()
        .metric_name("organizations_changes")
        .namespace("CISBenchmark")
        .send()
        .await
        .unwrap();
    assert_eq!(for_metric.metric_alarms().len(), 1);
    c.disable_alarm_actions()
        .alarm_names("organizations_changes")
        .send()
        .await
        .unwrap();
    let d = c
        .describe_alarms()
        .alarm_names("organizations_changes")
        .send()
        .await
        .unwrap();
    assert_eq!(d.metric_alarms()[0].actions_enabled(), Some(false));
    c.enable_alarm_actions()
        .alarm_names("organizations_changes")
        .send()
        .await
        .unwrap();
    c.set_alarm_state()
        .alarm_name("organizations_changes")
        .state_value(StateValue::Alarm)
        .state_reason("testing alarm")
        .send()
        .await
        .unwrap();
    let d = c
        .describe_alarms()
        .state_value(StateValue::Alarm)
        .send()
        .await
        .unwrap();
    assert_eq!(d.metric_alarms().len(), 1);
    let hist = c
        .describe_alarm_history()
        .alarm_name("organizations_changes")
        .send()
        .await
        .unwrap();
    let kinds: Vec<String> = hist
        .alarm_history_items()
        .iter()
        .filter_map(|i| i.history_item_type().map(|t| t.as_str().to_string()))
        .collect();
    assert!(
        kinds.contains(&"StateUpdate".to_string())
            && kinds.contains(&"ConfigurationUpdate".to_string()),
        "{kinds:?}"
    );

    let arn = a.alarm_arn().unwrap();
    assert_eq!(
        c.list_tags_for_resource()
            .resource_arn(arn)
            .send()
            .await
            .unwrap()
            .tags()[0]
            .key(),
        Some("k")
    );
    c.tag_resource()
        .resource_arn(arn)
        .tags(Tag::builder().key("k2").value("v2").build())
        .send()
        .await
        .unwrap();
    assert_eq!(
        c.list_tags_for_resource()
            .resource_arn(arn)
            .send()
            .await
            .unwrap()
            .tags()
            .len(),
        2
    );

    // Typed errors prove the CBOR error shape and the x-amzn-query-error header.
    let err = c
        .set_alarm_state()
        .alarm_name("missing")
        .state_value(StateValue::Ok)
        .state_reason("x")
        .send()
        .await
        .unwrap_err();
    assert!(
        err.into_service_error().is_resource_not_found(),
        "ResourceNotFound"
    );
    let err = c
        .describe_alarms()
        .alarm_names("a")
        .alarm_name_prefix("b")
        .send()
        .await
        .unwrap_err();
    assert_eq!(
        err.into_service_error().meta().code(),
        Some("InvalidParameterCombination")
    );
    let err = c
        .describe_alarms()
        .next_token("garbage")
        .send()
        .await
        .unwrap_err();
    assert!(err.into_service_error().is_invalid_next_token());
    let err = c
        .set_alarm_state()
        .alarm_name("organizations_changes")
        .state_value(StateValue::from("INVALID"))
        .state_reason("x")
        .send()
        .await
        .unwrap_err();
    let e = err.into_service_error();
    assert_eq!(e.meta().code(), Some("ValidationError"));
    assert_eq!(e.meta().message(), Some("1 validation error detected: Value 'INVALID' at 'stateValue' failed to satisfy constraint: Member must satisfy enum value set: [INSUFFICIENT_DATA, ALARM, OK]"));
    // An ARN naming no alarm has no tags: AWS answers an empty list (recorded; a fix, it was
    // ResourceNotFoundException here before).
    let none = c
        .list_tags_for_resource()
        .resource_arn("arn:aws:cloudwatch:us-east-1:123456789012:alarm:nope")
        .send()
        .await
        .unwrap();
    assert!(none.tags().is_empty());
    let err = c
        .tag_resource()
        .resource_arn("arn:aws:cloudwatch:us-east-1:123456789012:alarm:nope")
        .tags(Tag::builder().key("k").value("v").build())
        .send()
        .await
        .unwrap_err();
    assert!(err.into_service_error().is_resource_not_found_exception());

    c.delete_alarms()
        .alarm_names("organizations_changes")
        .send()
        .await
        .unwrap();
    let err = c
        .delete_alarms()
        .alarm_names("organizations_changes")
        .send()
        .await
        .unwrap_err();
    assert!(err.into_service_error().is_resource_not_found());
}

#[tokio::test]
async fn metrics_statistics_and_data() {
    let h = common::emulator().await;
    let c = Client::new(&common::default_sdk(&h).await);
    let t0 = (now() / 60.0).floor() * 60.0 - 600.0;
    let dim = Dimension::builder().name("Env").value("prod").build();
    for (k, v) in [1.0, 3.0, 5.0].iter().enumerate() {
        c.put_metric_data()
            .namespace("Custom")
            .metric_data(
                MetricDatum::builder()
                    .metric_name("Hits")
                    .dimensions(dim.clone())
                    .timestamp(DateTime::from_secs_f64(t0 + k as f64))
                    .value(*v)
                    .build(),
            )
            .send()
            .await
            .unwrap();
    }
    let listed = c.list_metrics().namespace("Custom").send().await.unwrap();
    assert_eq!(listed.metrics().len(), 1);
    assert_eq!(listed.metrics()[0].dimensions()[0].value(), Some("prod"));
    let stats = c
        .get_metric_statistics()
        .namespace("Custom")
        .metric_name("Hits")
        .dimensions(dim.clone())
        .start_time(DateTime::from_secs_f64(t0 - 60.0))
        .end_time(DateTime::from_secs_f64(t0 + 60.0))
        .period(60)
        .statistics(Statistic::Sum)
        .statistics(Statistic::Average)
        .statistics(Statistic::SampleCount)
        .send()
        .await
        .unwrap();
    let p = &stats.datapoints()[0];
    assert_eq!(
        (p.sum(), p.average(), p.sample_count()),
        (Some(9.0), Some(3.0), Some(3.0))
    );
    // Without the dimension it is another metric: CloudWatch does not aggregate across dimensions.
    let none = c
        .get_metric_statistics()
        .namespace("Custom")
        .metric_name("Hits")
        .start_time(DateTime::from_secs_f64(t0 - 60.0))
        .end_time(DateTime::from_secs_f64(t0 + 60.0))
        .period(60)
        .statistics(Statistic::Sum)
        .send()
        .await
        .unwrap();
    assert!(none.datapoints().is_empty());
    let q = MetricDataQuery::builder()
        .id("m1")
        .metric_stat(
            MetricStat::builder()
                .metric(
                    Metric::builder()
                        .namespace("Custom")
                        .metric_name("Hits")
                        .dimensions(dim)
                        .build(),
                )
                .period(60)
                .stat("Maximum")
                .build(),
        )
        .build();
    let data = c
        .get_metric_data()
        .metric_data_queries(q)
        .start_time(DateTime::from_secs_f64(t0 - 60.0))
        .end_time(DateTime::from_secs_f64(t0 + 60.0))
        .send()
        .await
        .unwrap();
    assert_eq!(data.metric_data_results()[0].values(), [5.0]);
    let err = c
        .put_metric_data()
        .namespace("AWS/EC2")
        .metric_data(MetricDatum::builder().metric_name("x").value(1.0).build())
        .send()
        .await
        .unwrap_err();
    assert!(err
        .into_service_error()
        .is_invalid_parameter_value_exception());
}

/// The `HistoryData` of each history item, as AWS writes it: ConfigurationUpdate items carry the alarm
/// created, updated (with the fields' former values) or deleted; StateUpdate items both states with their
/// reasons and reason data.
#[tokio::test]
async fn history_data_tells_what_changed() {
    use aws_sdk_cloudwatch::types::HistoryItemType;
    use serde_json::Value;
    let h = common::emulator().await;
    let c = Client::new(&common::default_sdk(&h).await);
    let put = |threshold: f64| {
        common::sum_alarm(
            &c,
            "a",
            ("CISBenchmark", "m"),
            300,
            threshold,
            ComparisonOperator::GreaterThanOrEqualToThreshold,
        )
        .send()
    };
    put(1.0).await.unwrap();
    put(2.0).await.unwrap();
    c.set_alarm_state()
        .alarm_name("a")
        .state_value(StateValue::Alarm)
        .state_reason("drill")
        .state_reason_data(r#"{"drill": true}"#)
        .send()
        .await
        .unwrap();
    c.delete_alarms().alarm_names("a").send().await.unwrap();
    let items = |t: HistoryItemType| {
        let c = c.clone();
        async move {
            let out = c
                .describe_alarm_history()
                .alarm_name("a")
                .history_item_type(t)
                .send()
                .await
                .unwrap();
            let mut data: Vec<(String, Value)> = out
                .alarm_history_items()
                .iter()
                .map(|i| {
                    (
                        i.history_summary().unwrap_or_default().to_string(),
                        serde_json::from_str(i.history_data().unwrap()).unwrap(),
                    )
                })
                .collect();
            data.reverse(); // oldest first
            data
        }
    };
    let config = items(HistoryItemType::ConfigurationUpdate).await;
    assert_eq!(config.len(), 3, "{config:?}");
    assert_eq!(config[0].1["type"], "Create");
    assert_eq!(config[0].1["createdAlarm"]["alarmName"], "a");
    assert_eq!(config[0].1["createdAlarm"]["threshold"], 1.0);
    assert_eq!(config[1].1["type"], "Update");
    assert_eq!(config[1].1["updatedAlarm"]["threshold"], 2.0);
    assert_eq!(config[1].1["originalUpdatedFields"]["threshold"], 1.0);
    assert!(config[1].1["originalUpdatedFields"]
        .get("alarmName")
        .is_none());
    assert_eq!(config[2].0, "Alarm \"a\" deleted");
    assert_eq!(config[2].1["type"], "Delete");
    assert_eq!(config[2].1["deletedAlarm"]["stateValue"], "ALARM");

    let state = items(HistoryItemType::StateUpdate).await;
    let (summary, data) = state.last().unwrap();
    assert_eq!(summary, "Alarm updated from INSUFFICIENT_DATA to ALARM");
    assert_eq!(data["oldState"]["stateValue"], "INSUFFICIENT_DATA");
    assert_eq!(
        data["oldState"]["stateReason"],
        "Unchecked: Initial alarm creation"
    );
    assert_eq!(data["newState"]["stateReason"], "drill");
    assert_eq!(data["newState"]["stateReasonData"]["drill"], true);
}

#[tokio::test]
async fn dashboards_are_kept_per_account_across_regions() {
    let h = common::emulator().await;
    let c = Client::new(&common::default_sdk(&h).await);
    let body = r#"{"widgets":[{"type":"text","properties":{"markdown":"CIS 4.15"}}]}"#;
    let put = c
        .put_dashboard()
        .dashboard_name("cis")
        .dashboard_body(body)
        .send()
        .await
        .unwrap();
    assert!(put.dashboard_validation_messages().is_empty());
    let e = c
        .put_dashboard()
        .dashboard_name("broken")
        .dashboard_body("[1, 2]")
        .send()
        .await
        .unwrap_err()
        .into_service_error();
    assert!(e.is_dashboard_invalid_input_error(), "{e:?}");
    // Another region sees the same dashboard: dashboards are global.
    let eu = Client::new(&common::sdk(&h, "eu-west-1", "AKIDEXAMPLE").await);
    let got = eu
        .get_dashboard()
        .dashboard_name("cis")
        .send()
        .await
        .unwrap();
    assert_eq!(got.dashboard_body(), Some(body));
    assert_eq!(
        got.dashboard_arn(),
        Some("arn:aws:cloudwatch::123456789012:dashboard/cis")
    );
    let listed = c.list_dashboards().send().await.unwrap();
    assert_eq!(listed.dashboard_entries().len(), 1);
    assert_eq!(
        listed.dashboard_entries()[0].size(),
        Some(body.len() as i64)
    );
    let e = c
        .delete_dashboards()
        .dashboard_names("cis")
        .dashboard_names("nope")
        .send()
        .await
        .unwrap_err()
        .into_service_error();
    // Not a modelled error of DeleteDashboards: its Query code is what a client sees.
    assert_eq!(e.meta().code(), Some("ResourceNotFound"), "{e:?}");
    c.delete_dashboards()
        .dashboard_names("cis")
        .send()
        .await
        .unwrap();
    let e = c
        .get_dashboard()
        .dashboard_name("cis")
        .send()
        .await
        .unwrap_err()
        .into_service_error();
    assert!(e.is_dashboard_not_found_error(), "{e:?}");
}

/// GetMetricData and GetMetricStatistics as AWS recorded them: default labels, MaxDatapoints with a
/// token, one datapoint per unit, the 1,440-datapoint limit, and PutMetricData's named conflicts.
#[tokio::test]
async fn recorded_answers_for_metric_reads() {
    let h = common::emulator().await;
    let c = Client::new(&common::default_sdk(&h).await);
    let start = (now() as i64 / 60) * 60 - 3600;
    for k in 0..20 {
        c.put_metric_data()
            .namespace("ns")
            .metric_data(
                MetricDatum::builder()
                    .metric_name("metric1")
                    .timestamp(DateTime::from_secs(start + 60 * k))
                    .value(k as f64)
                    .unit(aws_sdk_cloudwatch::types::StandardUnit::Seconds)
                    .build(),
            )
            .send()
            .await
            .unwrap();
    }
    let query = |id: &str, stat: &str, period: i32| {
        MetricDataQuery::builder()
            .id(id)
            .metric_stat(
                MetricStat::builder()
                    .metric(
                        Metric::builder()
                            .namespace("ns")
                            .metric_name("metric1")
                            .build(),
                    )
                    .period(period)
                    .stat(stat)
                    .build(),
            )
            .build()
    };
    let read = |queries: Vec<MetricDataQuery>, max: Option<i32>, token: Option<String>| {
        c.get_metric_data()
            .set_metric_data_queries(Some(queries))
            .start_time(DateTime::from_secs(start))
            .end_time(DateTime::from_secs(start + 3600))
            .set_max_datapoints(max)
            .set_next_token(token)
            .send()
    };
    let labels = |out: &aws_sdk_cloudwatch::operation::get_metric_data::GetMetricDataOutput| {
        out.metric_data_results()
            .iter()
            .map(|r| r.label().unwrap_or_default().to_string())
            .collect::<Vec<_>>()
    };
    let out = read(
        vec![query("a", "Sum", 60), query("b", "Minimum", 120)],
        None,
        None,
    )
    .await
    .unwrap();
    assert_eq!(labels(&out), ["metric1 Sum 60", "metric1 Minimum 120"]);
    let out = read(
        vec![query("a", "Sum", 60), query("b", "Sum", 120)],
        None,
        None,
    )
    .await
    .unwrap();
    assert_eq!(labels(&out), ["metric1 60", "metric1 120"]);
    let out = read(
        vec![query("a", "Sum", 60), query("b", "Sum", 60)],
        None,
        None,
    )
    .await
    .unwrap();
    assert_eq!(labels(&out), ["metric1", "metric1"]);

    // MaxDatapoints: ten values, a token, then the other ten.
    let first = read(vec![query("a", "Sum", 60)], Some(10), None)
        .await
        .unwrap();
    assert_eq!(first.metric_data_results()[0].values().len(), 10);
    let token = first.next_token().map(str::to_string);
    assert!(token.is_some());
    let second = read(vec![query("a", "Sum", 60)], Some(10), token)
        .await
        .unwrap();
    assert_eq!(second.metric_data_results()[0].values().len(), 10);
    assert!(second.next_token().is_none());

    // One datapoint per unit when no unit is asked for.
    c.put_metric_data()
        .namespace("ns")
        .metric_data(
            MetricDatum::builder()
                .metric_name("metric1")
                .timestamp(DateTime::from_secs(start))
                .value(1.0)
                .unit(aws_sdk_cloudwatch::types::StandardUnit::Milliseconds)
                .build(),
        )
        .send()
        .await
        .unwrap();
    let stats = c
        .get_metric_statistics()
        .namespace("ns")
        .metric_name("metric1")
        .start_time(DateTime::from_secs(start))
        .end_time(DateTime::from_secs(start + 60))
        .period(60)
        .statistics(Statistic::Sum)
        .send()
        .await
        .unwrap();
    assert_eq!(stats.datapoints().len(), 2);

    let err = c
        .get_metric_statistics()
        .namespace("ns")
        .metric_name("metric1")
        .start_time(DateTime::from_secs(start))
        .end_time(DateTime::from_secs(start + 86_400))
        .period(1)
        .statistics(Statistic::SampleCount)
        .send()
        .await
        .unwrap_err();
    let e = err.into_service_error();
    assert_eq!(e.meta().code(), Some("InvalidParameterCombination"));
    assert!(e.meta().message().unwrap_or_default().starts_with(
        "You have requested up to 86400 datapoints, which exceeds the limit of 1440."
    ));

    let err = c
        .put_metric_data()
        .namespace("ns")
        .metric_data(
            MetricDatum::builder()
                .metric_name("metric1")
                .value(1.0)
                .values(2.0)
                .build(),
        )
        .send()
        .await
        .unwrap_err();
    assert_eq!(
        err.into_service_error().meta().message(),
        Some("The parameters MetricData.member.1.Value and MetricData.member.1.Values are mutually exclusive and you have specified both.")
    );

    // SetAlarmState on a missing alarm: ResourceNotFound with no message at all.
    let err = c
        .set_alarm_state()
        .alarm_name("nope")
        .state_value(StateValue::Alarm)
        .state_reason("x")
        .send()
        .await
        .unwrap_err();
    let e = err.into_service_error();
    assert_eq!(e.meta().code(), Some("ResourceNotFound"));
    assert_eq!(e.meta().message(), None);
}

/// A composite alarm follows its rule over two metric alarms: judged when put (OK), ALARM when either
/// child is, OK again when both are not; each change publishes the composite message naming the child
/// that triggered it. Listed only when asked for by type; tagged and deleted like a metric alarm.
#[tokio::test]
async fn a_composite_alarm_follows_its_rule() {
    use orgwatch_emulator::admin::client::AdminClient;
    let h = common::emulator().await;
    let admin = AdminClient::new(&h.endpoint);
    admin.set_clock(1_800_000_000.0).await.unwrap();
    let conf = common::default_sdk(&h).await;
    let c = Client::new(&conf);
    let sns = aws_sdk_sns::Client::new(&conf);
    let topic = sns
        .create_topic()
        .name("composite")
        .send()
        .await
        .unwrap()
        .topic_arn()
        .unwrap()
        .to_string();
    sns.subscribe()
        .topic_arn(&topic)
        .protocol("sqs")
        .endpoint("arn:aws:sqs:us-east-1:123456789012:outside")
        .send()
        .await
        .unwrap();
    for name in ["one", "two"] {
        common::sum_alarm(
            &c,
            name,
            ("ns", "m"),
            60,
            1.0,
            ComparisonOperator::GreaterThanThreshold,
        )
        .send()
        .await
        .unwrap();
    }
    let err = c
        .put_composite_alarm()
        .alarm_name("both")
        .alarm_rule("ALARM(one) OR")
        .send()
        .await
        .unwrap_err();
    assert_eq!(
        err.into_service_error().meta().code(),
        Some("InvalidParameterValue")
    );
    c.put_composite_alarm()
        .alarm_name("both")
        .alarm_rule(
            r#"ALARM("one") OR ALARM("arn:aws:cloudwatch:us-east-1:123456789012:alarm:two")"#,
        )
        .alarm_actions(&topic)
        .ok_actions(&topic)
        .tags(Tag::builder().key("team").value("sec").build())
        .send()
        .await
        .unwrap();
    let state = |c: Client| async move {
        let out = c
            .describe_alarms()
            .alarm_names("both")
            .alarm_types(aws_sdk_cloudwatch::types::AlarmType::CompositeAlarm)
            .send()
            .await
            .unwrap();
        out.composite_alarms()[0]
            .state_value()
            .unwrap()
            .as_str()
            .to_string()
    };
    assert_eq!(state(c.clone()).await, "OK", "judged when put");
    let set = |name: &'static str, to: StateValue| {
        let c = c.clone();
        async move {
            c.set_alarm_state()
                .alarm_name(name)
                .state_value(to)
                .state_reason("test")
                .send()
                .await
                .unwrap();
        }
    };
    set("two", StateValue::Alarm).await;
    assert_eq!(state(c.clone()).await, "ALARM");
    set("one", StateValue::Alarm).await;
    set("two", StateValue::Ok).await;
    assert_eq!(state(c.clone()).await, "ALARM", "one is still in ALARM");
    set("one", StateValue::Ok).await;
    assert_eq!(state(c.clone()).await, "OK");

    let messages: Vec<serde_json::Value> = admin
        .outbox(Some(&topic))
        .await
        .unwrap()
        .iter()
        .map(|m| serde_json::from_str(&m.delivery.message).unwrap())
        .collect();
    let seen: Vec<(String, String)> = messages
        .iter()
        .map(|m| {
            (
                m["NewStateValue"].as_str().unwrap_or_default().to_string(),
                m["TriggeringChildren"][0]["Arn"]
                    .as_str()
                    .unwrap_or_default()
                    .rsplit(':')
                    .next()
                    .unwrap_or_default()
                    .to_string(),
            )
        })
        .collect();
    assert_eq!(
        seen,
        [
            ("OK".to_string(), "one".to_string()),
            ("ALARM".to_string(), "two".to_string()),
            ("OK".to_string(), "one".to_string()),
        ]
    );
    assert_eq!(
        messages[1]["AlarmRule"]
            .as_str()
            .map(|r| r.contains("ALARM(\"one\")")),
        Some(true)
    );

    // Without AlarmTypes only metric alarms are listed.
    let plain = c.describe_alarms().send().await.unwrap();
    assert!(plain.composite_alarms().is_empty());
    assert_eq!(plain.metric_alarms().len(), 2);
    let arn = "arn:aws:cloudwatch:us-east-1:123456789012:alarm:both";
    let tags = c
        .list_tags_for_resource()
        .resource_arn(arn)
        .send()
        .await
        .unwrap();
    assert_eq!(tags.tags().len(), 1);
    c.delete_alarms().alarm_names("both").send().await.unwrap();
    let tags = c
        .list_tags_for_resource()
        .resource_arn(arn)
        .send()
        .await
        .unwrap();
    assert!(tags.tags().is_empty());
}

/// SetAlarmState on an alarm that never had data holds through evaluations that find none (a reading:
/// `pipeline::evaluation::keeps_a_set_state`, from AWS's recorded composite-alarm run); the first
/// evaluation that sees data decides as documented, here OK.
#[tokio::test]
async fn a_state_set_by_hand_holds_until_an_evaluation_sees_data() {
    use orgwatch_emulator::admin::client::AdminClient;
    let h = common::emulator().await;
    let admin = AdminClient::new(&h.endpoint);
    admin.set_clock(1_800_000_000.0).await.unwrap();
    let c = Client::new(&common::default_sdk(&h).await);
    common::sum_alarm(
        &c,
        "quiet",
        ("ns", "m"),
        10,
        30.0,
        ComparisonOperator::GreaterThanThreshold,
    )
    .send()
    .await
    .unwrap();
    c.set_alarm_state()
        .alarm_name("quiet")
        .state_value(StateValue::Alarm)
        .state_reason("trigger by hand")
        .send()
        .await
        .unwrap();
    let state = |c: Client| async move {
        let out = c
            .describe_alarms()
            .alarm_names("quiet")
            .send()
            .await
            .unwrap();
        let a = &out.metric_alarms()[0];
        (
            a.state_value().unwrap().as_str().to_string(),
            a.state_reason().unwrap_or_default().to_string(),
        )
    };
    admin.advance(60.0).await.unwrap();
    assert_eq!(
        state(c.clone()).await,
        ("ALARM".to_string(), "trigger by hand".to_string()),
        "six evaluations without data leave the set state"
    );
    c.put_metric_data()
        .namespace("ns")
        .metric_data(MetricDatum::builder().metric_name("m").value(1.0).build())
        .send()
        .await
        .unwrap();
    admin.advance(30.0).await.unwrap();
    let (value, reason) = state(c.clone()).await;
    assert_eq!(value, "OK", "{reason}");
    assert!(reason.starts_with("Threshold Crossed"), "{reason}");
}
