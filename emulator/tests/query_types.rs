//! A Query member's type comes from the operation, not from its name: numeric- and boolean-looking strings
//! stay strings (SNS tags and attributes, CloudWatch dimension values), while the numbers and booleans an
//! operation models are parsed, and text that is not what the operation models is refused with AWS's error.
mod common;

use common::{auth, default_sdk, emulator, raw, Raw};
use orgwatch_emulator::Handle;

async fn query(h: &Handle, service: &str, body: &str) -> Raw {
    let a = auth(service);
    raw(
        h,
        "POST",
        "/",
        &[
            ("content-type", "application/x-www-form-urlencoded"),
            ("authorization", &a),
        ],
        body.as_bytes(),
    )
    .await
}

#[tokio::test]
async fn sns_tags_and_attributes_that_look_like_numbers_stay_strings() {
    let h = emulator().await;
    let sns = aws_sdk_sns::Client::new(&default_sdk(&h).await);
    let topic = sns
        .create_topic()
        .name("cis-alarms")
        .send()
        .await
        .expect("create")
        .topic_arn
        .expect("arn");
    let body = format!(
        "Action=TagResource&Version=2010-03-31&ResourceArn={}&Tags.member.1.Key=cost&Tags.member.1.Value=1234&Tags.member.2.Key=flag&Tags.member.2.Value=true&Tags.member.3.Key=ratio&Tags.member.3.Value=0.50",
        urlencode(&topic)
    );
    let r = query(&h, "sns", &body).await;
    assert_eq!(r.status, 200, "{}", r.text());
    // TagResource's output is an empty structure with a result wrapper: botocore reads the element
    // (and fails without it); SetTopicAttributes has no output, so no result element.
    assert!(
        r.text().contains("<TagResourceResult></TagResourceResult>"),
        "{}",
        r.text()
    );
    let body = format!(
        "Action=SetTopicAttributes&Version=2010-03-31&TopicArn={}&AttributeName=DisplayName&AttributeValue=42",
        urlencode(&topic)
    );
    let r = query(&h, "sns", &body).await;
    assert_eq!(r.status, 200, "{}", r.text());
    assert!(
        !r.text().contains("SetTopicAttributesResult"),
        "{}",
        r.text()
    );

    let tags = sns
        .list_tags_for_resource()
        .resource_arn(&topic)
        .send()
        .await
        .expect("tags");
    let mut got: Vec<(String, String)> = tags
        .tags()
        .iter()
        .map(|t| (t.key().to_string(), t.value().to_string()))
        .collect();
    got.sort();
    assert_eq!(
        got,
        [("cost", "1234"), ("flag", "true"), ("ratio", "0.50")]
            .map(|(k, v)| (k.to_string(), v.to_string()))
    );
    let attrs = sns
        .get_topic_attributes()
        .topic_arn(&topic)
        .send()
        .await
        .expect("attributes");
    assert_eq!(
        attrs
            .attributes()
            .and_then(|a| a.get("DisplayName"))
            .map(String::as_str),
        Some("42")
    );
}

#[tokio::test]
async fn cloudwatch_query_dimension_values_stay_strings_and_numbers_are_numbers() {
    let h = emulator().await;
    let body = "Action=PutMetricAlarm&Version=2010-08-01&AlarmName=a&MetricName=m&Namespace=CISBenchmark&Statistic=Sum&Period=60&EvaluationPeriods=2&DatapointsToAlarm=1&Threshold=0.5&ComparisonOperator=GreaterThanThreshold&ActionsEnabled=false&OKActions=&Dimensions.member.1.Name=Shard&Dimensions.member.1.Value=42&Dimensions.member.2.Name=On&Dimensions.member.2.Value=true";
    let r = query(&h, "monitoring", body).await;
    assert_eq!(r.status, 200, "{}", r.text());

    let cw = aws_sdk_cloudwatch::Client::new(&default_sdk(&h).await);
    let out = cw
        .describe_alarms()
        .alarm_names("a")
        .send()
        .await
        .expect("describe");
    let a = &out.metric_alarms()[0];
    let dims: Vec<(&str, &str)> = a
        .dimensions()
        .iter()
        .map(|d| (d.name().unwrap_or(""), d.value().unwrap_or("")))
        .collect();
    assert_eq!(dims, [("Shard", "42"), ("On", "true")]);
    assert_eq!(a.period(), Some(60));
    assert_eq!(a.threshold(), Some(0.5));
    assert_eq!(a.evaluation_periods(), Some(2));
    assert_eq!(a.datapoints_to_alarm(), Some(1));
    assert_eq!(a.actions_enabled(), Some(false));
    assert!(a.ok_actions().is_empty());
}

#[tokio::test]
async fn text_that_is_not_the_modelled_type_is_refused() {
    let h = emulator().await;
    let body = "Action=PutMetricAlarm&Version=2010-08-01&AlarmName=a&MetricName=m&Namespace=n&Statistic=Sum&Period=sixty&EvaluationPeriods=1&Threshold=1&ComparisonOperator=GreaterThanThreshold";
    let r = query(&h, "monitoring", body).await;
    assert_eq!(r.status, 400, "{}", r.text());
    assert!(
        r.text().contains("<Code>InvalidParameterValue</Code>"),
        "{}",
        r.text()
    );
    assert!(r.text().contains("sixty"), "{}", r.text());
}

#[tokio::test]
async fn metric_math_alarms_over_query_read_return_data_as_a_boolean() {
    let h = emulator().await;
    // Two queries, only one returning data: valid only if ReturnData=false is read as a boolean.
    let body = "Action=PutMetricAlarm&Version=2010-08-01&AlarmName=math&EvaluationPeriods=1&Threshold=1&ComparisonOperator=GreaterThanOrEqualToThreshold\
&Metrics.member.1.Id=m1&Metrics.member.1.ReturnData=false&Metrics.member.1.MetricStat.Metric.Namespace=CISBenchmark&Metrics.member.1.MetricStat.Metric.MetricName=organizations_changes&Metrics.member.1.MetricStat.Period=300&Metrics.member.1.MetricStat.Stat=Sum\
&Metrics.member.2.Id=e1&Metrics.member.2.Expression=m1*1&Metrics.member.2.ReturnData=true";
    let r = query(&h, "monitoring", body).await;
    assert_eq!(r.status, 200, "{}", r.text());
    let cw = aws_sdk_cloudwatch::Client::new(&default_sdk(&h).await);
    let out = cw.describe_alarms().send().await.expect("describe");
    let m = out.metric_alarms()[0].metrics();
    assert_eq!(m.len(), 2);
    assert_eq!(m[0].return_data(), Some(false));
    let stat = m[0].metric_stat().expect("metric stat");
    assert_eq!(stat.period(), Some(300));
    assert_eq!(
        stat.metric().and_then(|x| x.metric_name()),
        Some("organizations_changes")
    );
    assert_eq!(m[1].expression(), Some("m1*1"));
}

fn urlencode(s: &str) -> String {
    form_urlencoded::byte_serialize(s.as_bytes()).collect()
}
