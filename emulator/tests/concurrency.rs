//! 64 clients writing at once: every acknowledged write is counted exactly once.

mod common;

use aws_sdk_cloudwatch::primitives::DateTime;
use aws_sdk_cloudwatchlogs::types::{InputLogEvent, MetricTransformation};

const CLIENTS: usize = 64;

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn concurrent_writers_lose_nothing() {
    let h = common::emulator().await;
    let conf = common::default_sdk(&h).await;
    let logs = aws_sdk_cloudwatchlogs::Client::new(&conf);
    let cw = aws_sdk_cloudwatch::Client::new(&conf);
    let sns = aws_sdk_sns::Client::new(&conf);
    logs.create_log_group()
        .log_group_name("g")
        .send()
        .await
        .unwrap();
    logs.create_log_stream()
        .log_group_name("g")
        .log_stream_name("s")
        .send()
        .await
        .unwrap();
    let topic = sns
        .create_topic()
        .name("t")
        .send()
        .await
        .unwrap()
        .topic_arn()
        .unwrap()
        .to_string();
    sns.subscribe()
        .topic_arn(&topic)
        .protocol("sqs")
        .endpoint("arn:aws:sqs:us-east-1:123456789012:q")
        .send()
        .await
        .unwrap();
    let ts = (std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_secs()
        / 60
        * 60) as f64;

    let mut tasks = Vec::new();
    for k in 0..CLIENTS {
        let (logs, cw, sns, topic) = (logs.clone(), cw.clone(), sns.clone(), topic.clone());
        tasks.push(tokio::spawn(async move {
            let t = MetricTransformation::builder()
                .metric_name("M")
                .metric_namespace("N")
                .metric_value("1")
                .build()
                .unwrap();
            logs.put_metric_filter()
                .log_group_name("g")
                .filter_name(format!("f{k}"))
                .filter_pattern("x")
                .metric_transformations(t)
                .send()
                .await
                .unwrap();
            cw.put_metric_data()
                .namespace("Load")
                .metric_data(
                    aws_sdk_cloudwatch::types::MetricDatum::builder()
                        .metric_name("Writes")
                        .timestamp(DateTime::from_secs_f64(ts))
                        .value(1.0)
                        .build(),
                )
                .send()
                .await
                .unwrap();
            sns.publish()
                .topic_arn(&topic)
                .message(format!("m{k}"))
                .send()
                .await
                .unwrap();
            let now = std::time::SystemTime::now()
                .duration_since(std::time::UNIX_EPOCH)
                .unwrap()
                .as_millis() as i64;
            logs.put_log_events()
                .log_group_name("g")
                .log_stream_name("s")
                .log_events(
                    InputLogEvent::builder()
                        .timestamp(now)
                        .message(format!("e{k}"))
                        .build()
                        .unwrap(),
                )
                .send()
                .await
                .unwrap();
        }));
    }
    for t in tasks {
        t.await.unwrap();
    }
    let mut filters = 0;
    let mut token = None;
    loop {
        let page = logs
            .describe_metric_filters()
            .log_group_name("g")
            .set_next_token(token)
            .send()
            .await
            .unwrap();
        filters += page.metric_filters().len();
        token = page.next_token().map(str::to_string);
        if token.is_none() {
            break;
        }
    }
    assert_eq!(filters, CLIENTS);
    let stats = cw
        .get_metric_statistics()
        .namespace("Load")
        .metric_name("Writes")
        .start_time(DateTime::from_secs_f64(ts - 60.0))
        .end_time(DateTime::from_secs_f64(ts + 60.0))
        .period(60)
        .statistics(aws_sdk_cloudwatch::types::Statistic::SampleCount)
        .send()
        .await
        .unwrap();
    assert_eq!(stats.datapoints()[0].sample_count(), Some(CLIENTS as f64));
    let events = logs
        .get_log_events()
        .log_group_name("g")
        .log_stream_name("s")
        .start_from_head(true)
        .send()
        .await
        .unwrap();
    assert_eq!(events.events().len(), CLIENTS);
    let outbox = common::raw(&h, "GET", "/_orgwatch/sns/outbox", &[], b"")
        .await
        .json();
    let notifications = outbox["messages"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|m| m["kind"] == "Notification")
        .count();
    assert_eq!(notifications, CLIENTS);
}
