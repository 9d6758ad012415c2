//! SQS through the AWS SDK for Rust (JSON 1.0) and raw AWS Query requests: queues and their attributes,
//! messages on the virtual clock (delay, visibility, retention), batches, purge, tags, long polling; and
//! SNS delivering an alarm's notification to a queue (SNS's envelope, raw delivery, a queue policy or key
//! that refuses SNS).

mod common;

use aws_sdk_sqs::types::{MessageAttributeValue, QueueAttributeName, SendMessageBatchRequestEntry};
use common::{default_sdk, emulator, raw};
use orgwatch_emulator::admin::client::AdminClient;
use orgwatch_emulator::Handle;
use serde_json::{json, Value};

const ACCOUNT: &str = "123456789012";
const T0: f64 = 1_800_000_000.0;

async fn sqs(h: &Handle) -> aws_sdk_sqs::Client {
    aws_sdk_sqs::Client::new(&default_sdk(h).await)
}

async fn virtual_clock(h: &Handle) -> AdminClient {
    let admin = AdminClient::new(&h.endpoint);
    admin.set_clock(T0).await.unwrap();
    admin
}

#[tokio::test]
async fn a_queue_is_made_read_changed_and_deleted_as_on_aws() {
    let h = emulator().await;
    virtual_clock(&h).await;
    let c = sqs(&h).await;
    let url = c
        .create_queue()
        .queue_name("alerts")
        .attributes(QueueAttributeName::VisibilityTimeout, "45")
        .tags("team", "security")
        .send()
        .await
        .unwrap()
        .queue_url
        .unwrap();
    assert_eq!(
        url,
        format!("https://sqs.us-east-1.amazonaws.com/{ACCOUNT}/alerts")
    );
    // The same name and attributes: the same queue; another value: refused, naming the attribute.
    let again = c
        .create_queue()
        .queue_name("alerts")
        .attributes(QueueAttributeName::VisibilityTimeout, "45")
        .send()
        .await
        .unwrap();
    assert_eq!(again.queue_url(), Some(url.as_str()));
    let e = c
        .create_queue()
        .queue_name("alerts")
        .attributes(QueueAttributeName::VisibilityTimeout, "10")
        .send()
        .await
        .unwrap_err()
        .into_service_error();
    assert!(e.is_queue_name_exists(), "{e:?}");
    assert!(
        format!("{e}").contains("VisibilityTimeout")
            || e.meta().message().unwrap().contains("VisibilityTimeout")
    );

    let attrs = c
        .get_queue_attributes()
        .queue_url(&url)
        .attribute_names(QueueAttributeName::All)
        .send()
        .await
        .unwrap();
    let a = attrs.attributes().unwrap();
    let get = |k: QueueAttributeName| a.get(&k).cloned().unwrap_or_default();
    assert_eq!(get(QueueAttributeName::VisibilityTimeout), "45");
    assert_eq!(get(QueueAttributeName::MessageRetentionPeriod), "345600");
    assert_eq!(get(QueueAttributeName::MaximumMessageSize), "262144");
    assert_eq!(get(QueueAttributeName::DelaySeconds), "0");
    assert_eq!(get(QueueAttributeName::ApproximateNumberOfMessages), "0");
    assert_eq!(
        get(QueueAttributeName::QueueArn),
        format!("arn:aws:sqs:us-east-1:{ACCOUNT}:alerts")
    );
    assert_eq!(get(QueueAttributeName::CreatedTimestamp), "1800000000");
    assert!(
        !a.contains_key(&QueueAttributeName::Policy),
        "no policy yet"
    );
    // Nothing asked for: no attributes at all.
    let none = c
        .get_queue_attributes()
        .queue_url(&url)
        .send()
        .await
        .unwrap();
    assert!(none.attributes().is_none());

    let e = c
        .set_queue_attributes()
        .queue_url(&url)
        .attributes(QueueAttributeName::ReceiveMessageWaitTimeSeconds, "21")
        .send()
        .await
        .unwrap_err()
        .into_service_error();
    assert!(e.is_invalid_attribute_value(), "{e:?}");

    let tags = c.list_queue_tags().queue_url(&url).send().await.unwrap();
    assert_eq!(tags.tags().unwrap()["team"], "security");
    c.tag_queue()
        .queue_url(&url)
        .tags("cost", "1234")
        .send()
        .await
        .unwrap();
    c.untag_queue()
        .queue_url(&url)
        .tag_keys("team")
        .send()
        .await
        .unwrap();
    let tags = c.list_queue_tags().queue_url(&url).send().await.unwrap();
    assert_eq!(tags.tags().unwrap().len(), 1);
    assert_eq!(tags.tags().unwrap()["cost"], "1234");

    c.create_queue().queue_name("other").send().await.unwrap();
    let listed = c
        .list_queues()
        .queue_name_prefix("al")
        .send()
        .await
        .unwrap();
    assert_eq!(listed.queue_urls(), std::slice::from_ref(&url));

    c.delete_queue().queue_url(&url).send().await.unwrap();
    let e = c
        .get_queue_url()
        .queue_name("alerts")
        .send()
        .await
        .unwrap_err()
        .into_service_error();
    assert!(e.is_queue_does_not_exist(), "{e:?}");
    let e = c
        .create_queue()
        .queue_name("alerts")
        .send()
        .await
        .unwrap_err()
        .into_service_error();
    assert!(e.is_queue_deleted_recently(), "{e:?}");
    AdminClient::new(&h.endpoint).advance(61.0).await.unwrap();
    c.create_queue().queue_name("alerts").send().await.unwrap();
}

#[tokio::test]
async fn messages_keep_their_visibility_on_the_virtual_clock() {
    let h = emulator().await;
    let admin = virtual_clock(&h).await;
    let c = sqs(&h).await;
    let url = c
        .create_queue()
        .queue_name("work")
        .send()
        .await
        .unwrap()
        .queue_url
        .unwrap();
    let sent = c
        .send_message()
        .queue_url(&url)
        .message_body("hello world")
        .message_attributes(
            "kind",
            MessageAttributeValue::builder()
                .data_type("String")
                .string_value("alarm")
                .build()
                .unwrap(),
        )
        .send()
        .await
        .unwrap();
    // The SDK checks both digests itself; the body's is AWS's documented value.
    assert_eq!(
        sent.md5_of_message_body(),
        Some("5eb63bbbe01eeed093cb22bb8f5acdc3")
    );
    assert!(sent.md5_of_message_attributes().is_some());

    let got = c
        .receive_message()
        .queue_url(&url)
        .message_attribute_names("All")
        .message_system_attribute_names(aws_sdk_sqs::types::MessageSystemAttributeName::All)
        .send()
        .await
        .unwrap();
    let m = &got.messages()[0];
    assert_eq!(m.body(), Some("hello world"));
    assert_eq!(m.message_id(), sent.message_id());
    assert_eq!(
        m.message_attributes().unwrap()["kind"].string_value(),
        Some("alarm")
    );
    let system = m.attributes().unwrap();
    let sys = |k: aws_sdk_sqs::types::MessageSystemAttributeName| system[&k].clone();
    assert_eq!(
        sys(aws_sdk_sqs::types::MessageSystemAttributeName::ApproximateReceiveCount),
        "1"
    );
    assert_eq!(
        sys(aws_sdk_sqs::types::MessageSystemAttributeName::SentTimestamp),
        "1800000000000"
    );

    // In flight: nobody else receives it until its visibility timeout (30 s by default) is over.
    let none = c.receive_message().queue_url(&url).send().await.unwrap();
    assert!(none.messages().is_empty());
    let attrs = c
        .get_queue_attributes()
        .queue_url(&url)
        .attribute_names(QueueAttributeName::ApproximateNumberOfMessagesNotVisible)
        .send()
        .await
        .unwrap();
    assert_eq!(
        attrs.attributes().unwrap()[&QueueAttributeName::ApproximateNumberOfMessagesNotVisible],
        "1"
    );
    admin.advance(31.0).await.unwrap();
    let again = c.receive_message().queue_url(&url).send().await.unwrap();
    let m = &again.messages()[0];
    assert_ne!(m.receipt_handle(), got.messages()[0].receipt_handle());

    // A visibility change needs the current handle of a message in flight.
    c.change_message_visibility()
        .queue_url(&url)
        .receipt_handle(m.receipt_handle().unwrap())
        .visibility_timeout(0)
        .send()
        .await
        .unwrap();
    let e = c
        .change_message_visibility()
        .queue_url(&url)
        .receipt_handle(m.receipt_handle().unwrap())
        .visibility_timeout(10)
        .send()
        .await
        .unwrap_err()
        .into_service_error();
    assert!(e.is_message_not_inflight(), "{e:?}");
    let e = c
        .delete_message()
        .queue_url(&url)
        .receipt_handle("not-a-handle")
        .send()
        .await
        .unwrap_err()
        .into_service_error();
    assert!(e.is_receipt_handle_is_invalid(), "{e:?}");

    let third = c.receive_message().queue_url(&url).send().await.unwrap();
    c.delete_message()
        .queue_url(&url)
        .receipt_handle(third.messages()[0].receipt_handle().unwrap())
        .send()
        .await
        .unwrap();
    admin.advance(3600.0).await.unwrap();
    assert!(is_empty(&c, &url).await);

    // A delayed message waits its delay on the clock too.
    c.send_message()
        .queue_url(&url)
        .message_body("later")
        .delay_seconds(60)
        .send()
        .await
        .unwrap();
    assert!(is_empty(&c, &url).await);
    admin.advance(60.0).await.unwrap();
    let later = c.receive_message().queue_url(&url).send().await.unwrap();
    assert_eq!(later.messages()[0].body(), Some("later"));
}

#[tokio::test]
async fn batches_purges_and_limits_answer_as_sqs_does() {
    let h = emulator().await;
    let admin = virtual_clock(&h).await;
    let c = sqs(&h).await;
    let url = c
        .create_queue()
        .queue_name("batch")
        .send()
        .await
        .unwrap()
        .queue_url
        .unwrap();
    let entry = |id: &str, body: &str| {
        SendMessageBatchRequestEntry::builder()
            .id(id)
            .message_body(body)
            .build()
            .unwrap()
    };
    let out = c
        .send_message_batch()
        .queue_url(&url)
        .entries(entry("a", "one"))
        .entries(entry("b", "two"))
        .entries(
            SendMessageBatchRequestEntry::builder()
                .id("c")
                .message_body("three")
                .delay_seconds(901)
                .build()
                .unwrap(),
        )
        .send()
        .await
        .unwrap();
    assert_eq!(out.successful().len(), 2);
    assert_eq!(out.failed().len(), 1);
    assert_eq!(out.failed()[0].id(), "c");
    assert!(out.failed()[0].sender_fault());

    let e = c
        .send_message_batch()
        .queue_url(&url)
        .entries(entry("a", "one"))
        .entries(entry("a", "two"))
        .send()
        .await
        .unwrap_err()
        .into_service_error();
    assert!(e.is_batch_entry_ids_not_distinct(), "{e:?}");

    let e = c
        .receive_message()
        .queue_url(&url)
        .max_number_of_messages(11)
        .send()
        .await
        .unwrap_err();
    let e = e.into_service_error();
    assert_eq!(e.meta().code(), Some("InvalidParameterValue"));

    let got = c
        .receive_message()
        .queue_url(&url)
        .max_number_of_messages(10)
        .send()
        .await
        .unwrap();
    assert_eq!(got.messages().len(), 2);
    let del = c
        .delete_message_batch()
        .queue_url(&url)
        .entries(
            aws_sdk_sqs::types::DeleteMessageBatchRequestEntry::builder()
                .id("x")
                .receipt_handle(got.messages()[0].receipt_handle().unwrap())
                .build()
                .unwrap(),
        )
        .send()
        .await
        .unwrap();
    assert_eq!(del.successful().len(), 1);

    c.purge_queue().queue_url(&url).send().await.unwrap();
    let e = c
        .purge_queue()
        .queue_url(&url)
        .send()
        .await
        .unwrap_err()
        .into_service_error();
    assert!(e.is_purge_queue_in_progress(), "{e:?}");
    admin.advance(61.0).await.unwrap();
    c.purge_queue().queue_url(&url).send().await.unwrap();

    let missing = format!("https://sqs.us-east-1.amazonaws.com/{ACCOUNT}/nope");
    let e = c
        .send_message()
        .queue_url(&missing)
        .message_body("x")
        .send()
        .await
        .unwrap_err()
        .into_service_error();
    assert!(e.is_queue_does_not_exist(), "{e:?}");
}

#[tokio::test]
async fn a_long_poll_returns_the_message_sent_while_it_waits() {
    let h = emulator().await;
    let c = sqs(&h).await;
    let url = c
        .create_queue()
        .queue_name("poll")
        .send()
        .await
        .unwrap()
        .queue_url
        .unwrap();
    let waiting = {
        let (c, url) = (c.clone(), url.clone());
        tokio::spawn(async move {
            c.receive_message()
                .queue_url(&url)
                .wait_time_seconds(20)
                .send()
                .await
        })
    };
    tokio::time::sleep(std::time::Duration::from_millis(300)).await;
    c.send_message()
        .queue_url(&url)
        .message_body("arrived")
        .send()
        .await
        .unwrap();
    let got = waiting.await.unwrap().unwrap();
    assert_eq!(got.messages()[0].body(), Some("arrived"));
    // Nothing to receive and a one-second wait: an empty answer, no `Messages` member.
    let empty = c
        .receive_message()
        .queue_url(&url)
        .wait_time_seconds(1)
        .send()
        .await
        .unwrap();
    assert!(empty.messages.is_none());
}

/// A queue policy that lets the topic send (the statement AWS's SNS guide gives).
fn sns_may_send(queue_arn: &str, topic: &str) -> String {
    json!({"Version": "2012-10-17", "Statement": [{
        "Effect": "Allow", "Principal": {"Service": "sns.amazonaws.com"},
        "Action": "sqs:SendMessage", "Resource": queue_arn,
        "Condition": {"ArnEquals": {"aws:SourceArn": topic}}
    }]})
    .to_string()
}

async fn raise_alarm(h: &Handle, state: &str) {
    aws_sdk_cloudwatch::Client::new(&default_sdk(h).await)
        .set_alarm_state()
        .alarm_name("organizations_changes")
        .state_value(state.into())
        .state_reason("drill")
        .send()
        .await
        .unwrap();
}

async fn outbox_failures(h: &Handle) -> Vec<String> {
    let r = raw(h, "GET", "/_orgwatch/sns/outbox", &[], b"").await;
    r.json()["messages"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|m| m["failure"].as_str().map(str::to_string))
        .collect()
}

/// Whether a receive from the queue finds nothing.
async fn is_empty(c: &aws_sdk_sqs::Client, url: &str) -> bool {
    c.receive_message()
        .queue_url(url)
        .send()
        .await
        .unwrap()
        .messages()
        .is_empty()
}

/// Subscribes the queue `name` to the topic; the subscription's ARN.
async fn subscribe(h: &Handle, topic: &str, name: &str) -> String {
    aws_sdk_sns::Client::new(&default_sdk(h).await)
        .subscribe()
        .topic_arn(topic)
        .protocol("sqs")
        .endpoint(format!("arn:aws:sqs:us-east-1:{ACCOUNT}:{name}"))
        .send()
        .await
        .unwrap()
        .subscription_arn
        .unwrap()
}

#[tokio::test]
async fn an_alarm_notification_reaches_a_queue_that_lets_sns_send() {
    let h = emulator().await;
    let topic = common::cis_chain(&h, "CloudTrail/Logs", None).await;
    let c = sqs(&h).await;
    let url = c
        .create_queue()
        .queue_name("security")
        .send()
        .await
        .unwrap()
        .queue_url
        .unwrap();
    let queue_arn = format!("arn:aws:sqs:us-east-1:{ACCOUNT}:security");
    let sns = aws_sdk_sns::Client::new(&default_sdk(&h).await);
    let sub = subscribe(&h, &topic, "security").await;

    // No queue policy: SNS may not send, even in the queue's own account.
    raise_alarm(&h, "ALARM").await;
    assert!(is_empty(&c, &url).await);
    let failures = outbox_failures(&h).await;
    assert_eq!(
        failures,
        [format!(
            "AccessDenied: Access to the resource {url} is denied."
        )]
    );

    c.set_queue_attributes()
        .queue_url(&url)
        .attributes(QueueAttributeName::Policy, sns_may_send(&queue_arn, &topic))
        .send()
        .await
        .unwrap();
    raise_alarm(&h, "OK").await;
    raise_alarm(&h, "ALARM").await;
    let got = c
        .receive_message()
        .queue_url(&url)
        .message_system_attribute_names(aws_sdk_sqs::types::MessageSystemAttributeName::SenderId)
        .send()
        .await
        .unwrap();
    let m = &got.messages()[0];
    let envelope: Value = serde_json::from_str(m.body().unwrap()).unwrap();
    assert_eq!(envelope["Type"], "Notification");
    assert_eq!(envelope["TopicArn"], topic.as_str());
    assert!(envelope["Subject"]
        .as_str()
        .unwrap()
        .starts_with("ALARM: \"organizations_changes\""));
    let alarm: Value = serde_json::from_str(envelope["Message"].as_str().unwrap()).unwrap();
    assert_eq!(alarm["AlarmName"], "organizations_changes");
    assert_eq!(alarm["NewStateValue"], "ALARM");
    assert!(envelope["UnsubscribeURL"]
        .as_str()
        .unwrap()
        .contains("Action=Unsubscribe"));
    assert_eq!(
        m.attributes().unwrap()[&aws_sdk_sqs::types::MessageSystemAttributeName::SenderId],
        "AIDAIT2UOQQY3AUEKVGXU"
    );

    // Raw delivery: the alarm message itself is the body.
    sns.set_subscription_attributes()
        .subscription_arn(&sub)
        .attribute_name("RawMessageDelivery")
        .attribute_value("true")
        .send()
        .await
        .unwrap();
    let shown = sns
        .get_subscription_attributes()
        .subscription_arn(&sub)
        .send()
        .await
        .unwrap();
    assert_eq!(shown.attributes().unwrap()["RawMessageDelivery"], "true");
    raise_alarm(&h, "OK").await;
    raise_alarm(&h, "ALARM").await;
    // The envelope received above is still in flight; the new message is the raw one.
    let again = c
        .receive_message()
        .queue_url(&url)
        .max_number_of_messages(10)
        .send()
        .await
        .unwrap();
    assert_eq!(again.messages().len(), 1);
    let raw_body: Value = serde_json::from_str(again.messages()[0].body().unwrap()).unwrap();
    assert_eq!(raw_body["NewStateValue"], "ALARM");
    assert_eq!(raw_body["AlarmName"], "organizations_changes");

    let e = sns
        .set_subscription_attributes()
        .subscription_arn(&sub)
        .attribute_name("RawMessageDelivery")
        .attribute_value("maybe")
        .send()
        .await
        .unwrap_err()
        .into_service_error();
    assert!(e.is_invalid_parameter_exception(), "{e:?}");
}

#[tokio::test]
async fn a_queue_under_the_aws_managed_key_takes_nothing_from_sns() {
    let h = emulator().await;
    let topic = common::cis_chain(&h, "CloudTrail/Logs", None).await;
    let c = sqs(&h).await;
    let queue_arn = format!("arn:aws:sqs:us-east-1:{ACCOUNT}:sealed");
    let url = c
        .create_queue()
        .queue_name("sealed")
        .attributes(QueueAttributeName::KmsMasterKeyId, "alias/aws/sqs")
        .attributes(QueueAttributeName::Policy, sns_may_send(&queue_arn, &topic))
        .send()
        .await
        .unwrap()
        .queue_url
        .unwrap();
    subscribe(&h, &topic, "sealed").await;
    raise_alarm(&h, "ALARM").await;
    assert!(is_empty(&c, &url).await);
    let failures = outbox_failures(&h).await;
    assert_eq!(failures.len(), 1);
    assert!(
        failures[0].starts_with("KMS.AccessDeniedException"),
        "{failures:?}"
    );
}

fn form(pairs: &[(&str, &str)]) -> Vec<u8> {
    form_urlencoded::Serializer::new(String::new())
        .extend_pairs(pairs)
        .finish()
        .into_bytes()
}

#[tokio::test]
async fn the_query_protocol_reads_and_writes_flattened_lists() {
    let h = emulator().await;
    let auth = common::auth("sqs");
    let query = |pairs: Vec<(&'static str, &'static str)>| {
        let (h, auth) = (&h, auth.clone());
        async move {
            let mut all = vec![("Version", "2012-11-05")];
            all.extend(pairs);
            raw(
                h,
                "POST",
                "/",
                &[
                    ("content-type", "application/x-www-form-urlencoded"),
                    ("authorization", &auth),
                ],
                &form(&all),
            )
            .await
        }
    };
    let r = query(vec![
        ("Action", "CreateQueue"),
        ("QueueName", "legacy"),
        ("Attribute.1.Name", "VisibilityTimeout"),
        ("Attribute.1.Value", "60"),
        ("Tag.1.Key", "cost"),
        ("Tag.1.Value", "1234"),
    ])
    .await;
    assert_eq!(r.status, 200, "{}", r.text());
    assert!(r.text().contains(&format!(
        "<CreateQueueResult><QueueUrl>https://sqs.us-east-1.amazonaws.com/{ACCOUNT}/legacy</QueueUrl></CreateQueueResult>"
    )));
    let url: &'static str = "https://sqs.us-east-1.amazonaws.com/123456789012/legacy";
    let r = query(vec![
        ("Action", "GetQueueAttributes"),
        ("QueueUrl", url),
        ("AttributeName.1", "VisibilityTimeout"),
        ("AttributeName.2", "DelaySeconds"),
    ])
    .await;
    assert!(
        r.text().contains("<GetQueueAttributesResult><Attribute><Name>DelaySeconds</Name><Value>0</Value></Attribute><Attribute><Name>VisibilityTimeout</Name><Value>60</Value></Attribute></GetQueueAttributesResult>"),
        "{}",
        r.text()
    );
    let r = query(vec![("Action", "ListQueueTags"), ("QueueUrl", url)]).await;
    assert!(
        r.text()
            .contains("<Tag><Key>cost</Key><Value>1234</Value></Tag>"),
        "{}",
        r.text()
    );
    let r = query(vec![
        ("Action", "SendMessage"),
        ("QueueUrl", url),
        ("MessageBody", "42"),
        ("MessageAttribute.1.Name", "n"),
        ("MessageAttribute.1.Value.DataType", "Number"),
        ("MessageAttribute.1.Value.StringValue", "7"),
    ])
    .await;
    assert!(
        r.text()
            .contains("<MD5OfMessageBody>a1d0c6e83f027327d8461063f4ac58a6</MD5OfMessageBody>"),
        "{}",
        r.text()
    );
    let r = query(vec![
        ("Action", "ReceiveMessage"),
        ("QueueUrl", url),
        ("MessageAttributeName.1", "All"),
    ])
    .await;
    let text = r.text();
    assert!(
        text.contains("<ReceiveMessageResult><Message><MessageId>"),
        "{text}"
    );
    assert!(text.contains("<Body>42</Body>"), "{text}");
    assert!(
        text.contains("<MessageAttribute><Name>n</Name><Value><DataType>Number</DataType><StringValue>7</StringValue></Value></MessageAttribute>"),
        "{text}"
    );
    let r = query(vec![("Action", "GetQueueUrl"), ("QueueName", "nope")]).await;
    assert_eq!(r.status, 400);
    assert!(
        r.text()
            .contains("<Code>AWS.SimpleQueueService.NonExistentQueue</Code>"),
        "{}",
        r.text()
    );
    let r = query(vec![("Action", "DeleteQueue"), ("QueueUrl", url)]).await;
    assert_eq!(r.status, 200, "{}", r.text());
    assert!(
        !r.text().contains("DeleteQueueResult"),
        "no result element for no output"
    );
}

#[tokio::test]
async fn only_query_compatible_services_send_the_query_error_header() {
    let h = emulator().await;
    let sqs_auth = common::auth("sqs");
    let r = raw(
        &h,
        "POST",
        "/",
        &[
            ("x-amz-target", "AmazonSQS.GetQueueUrl"),
            ("content-type", "application/x-amz-json-1.0"),
            ("authorization", &sqs_auth),
        ],
        br#"{"QueueName":"nope"}"#,
    )
    .await;
    assert_eq!(r.status, 400);
    assert_eq!(
        r.header("x-amzn-query-error"),
        Some("AWS.SimpleQueueService.NonExistentQueue;Sender")
    );
    assert_eq!(r.json()["__type"], "QueueDoesNotExist");

    let logs_auth = common::auth("logs");
    let r = raw(
        &h,
        "POST",
        "/",
        &[
            ("x-amz-target", "Logs_20140328.DeleteLogGroup"),
            ("content-type", "application/x-amz-json-1.1"),
            ("authorization", &logs_auth),
        ],
        br#"{"logGroupName":"nope"}"#,
    )
    .await;
    assert_eq!(r.status, 400);
    assert_eq!(r.json()["__type"], "ResourceNotFoundException");
    assert_eq!(r.header("x-amzn-query-error"), None);
}

#[tokio::test]
async fn permissions_edit_the_queue_policy() {
    let h = emulator().await;
    let c = sqs(&h).await;
    let url = c
        .create_queue()
        .queue_name("shared")
        .send()
        .await
        .unwrap()
        .queue_url
        .unwrap();
    c.add_permission()
        .queue_url(&url)
        .label("peer")
        .aws_account_ids("210987654321")
        .actions("SendMessage")
        .send()
        .await
        .unwrap();
    let policy = |c: aws_sdk_sqs::Client, url: String| async move {
        c.get_queue_attributes()
            .queue_url(url)
            .attribute_names(QueueAttributeName::Policy)
            .send()
            .await
            .unwrap()
            .attributes()
            .and_then(|a| a.get(&QueueAttributeName::Policy).cloned())
    };
    let p: Value = serde_json::from_str(&policy(c.clone(), url.clone()).await.unwrap()).unwrap();
    assert_eq!(p["Statement"][0]["Sid"], "peer");
    assert_eq!(p["Statement"][0]["Action"][0], "SQS:SendMessage");
    assert_eq!(
        p["Statement"][0]["Principal"]["AWS"][0],
        "arn:aws:iam::210987654321:root"
    );
    let e = c
        .add_permission()
        .queue_url(&url)
        .label("peer")
        .aws_account_ids("210987654321")
        .actions("SendMessage")
        .send()
        .await
        .unwrap_err()
        .into_service_error();
    assert_eq!(e.meta().code(), Some("InvalidParameterValue"), "{e:?}");
    c.remove_permission()
        .queue_url(&url)
        .label("peer")
        .send()
        .await
        .unwrap();
    assert_eq!(policy(c.clone(), url.clone()).await, None);
}

/// A queue whose policy lets the topic send, subscribed to it: its URL and the subscription's ARN.
async fn subscribed_queue(
    h: &Handle,
    c: &aws_sdk_sqs::Client,
    topic: &str,
    name: &str,
    fifo: bool,
) -> (String, String) {
    let mut create = c.create_queue().queue_name(name);
    if fifo {
        create = create.attributes(QueueAttributeName::FifoQueue, "true");
    }
    let url = create.send().await.unwrap().queue_url.unwrap();
    let queue_arn = format!("arn:aws:sqs:us-east-1:{ACCOUNT}:{name}");
    c.set_queue_attributes()
        .queue_url(&url)
        .attributes(QueueAttributeName::Policy, sns_may_send(&queue_arn, topic))
        .send()
        .await
        .unwrap();
    let sub = subscribe(h, topic, name).await;
    (url, sub)
}

/// A subscription's filter policy decides what reaches its queue. Alarm notifications carry no message
/// attributes, so a policy on attributes drops every one of them (a silent break AWS documents); a
/// policy on the body (`FilterPolicyScope` `MessageBody`) can pick the ALARM transitions.
#[tokio::test]
async fn a_filter_policy_decides_which_alarm_notifications_reach_a_queue() {
    let h = emulator().await;
    let topic = common::cis_chain(&h, "CloudTrail/Logs", None).await;
    let c = sqs(&h).await;
    let (url, sub) = subscribed_queue(&h, &c, &topic, "security", false).await;
    let sns = aws_sdk_sns::Client::new(&default_sdk(&h).await);
    let set = |name: &'static str, value: &'static str| {
        sns.set_subscription_attributes()
            .subscription_arn(&sub)
            .attribute_name(name)
            .attribute_value(value)
            .send()
    };

    // SNS's own refusal, word for word.
    let e = set(
        "FilterPolicy",
        r#"{"severity":[{"numeric":[">",3,"<",1]}]}"#,
    )
    .await
    .unwrap_err()
    .into_service_error();
    assert!(e.is_invalid_parameter_exception(), "{e:?}");
    assert_eq!(
        e.meta().message(),
        Some("Invalid parameter: FilterPolicy: Bottom must be less than top")
    );

    set("FilterPolicy", r#"{"severity":["high"]}"#)
        .await
        .unwrap();
    raise_alarm(&h, "ALARM").await;
    assert!(
        is_empty(&c, &url).await,
        "no attributes: the policy drops it"
    );

    // Nesting needs the body scope.
    let e = set(
        "FilterPolicy",
        r#"{"Trigger":{"MetricName":["OrganizationsEventCount"]}}"#,
    )
    .await
    .unwrap_err()
    .into_service_error();
    assert_eq!(
        e.meta().message(),
        Some("Invalid parameter: Filter policy scope MessageAttributes does not support nested filter policy")
    );
    set("FilterPolicyScope", "MessageBody").await.unwrap();
    set(
        "FilterPolicy",
        r#"{"NewStateValue":["ALARM"],"Trigger":{"MetricName":[{"prefix":"Organizations"}]}}"#,
    )
    .await
    .unwrap();
    let shown = sns
        .get_subscription_attributes()
        .subscription_arn(&sub)
        .send()
        .await
        .unwrap();
    assert_eq!(
        shown.attributes().unwrap()["FilterPolicyScope"],
        "MessageBody"
    );
    set("RawMessageDelivery", "true").await.unwrap();
    raise_alarm(&h, "OK").await;
    assert!(is_empty(&c, &url).await, "OK is filtered out");
    raise_alarm(&h, "ALARM").await;
    let got = c
        .receive_message()
        .queue_url(&url)
        .visibility_timeout(0)
        .send()
        .await
        .unwrap();
    let body: Value = serde_json::from_str(got.messages()[0].body().unwrap()).unwrap();
    assert_eq!(body["NewStateValue"], "ALARM");

    // Received twice, the message is deleted by the first receive's handle too (AWS's recorded answer).
    let first = got.messages()[0].receipt_handle().unwrap().to_string();
    let second = c
        .receive_message()
        .queue_url(&url)
        .visibility_timeout(0)
        .send()
        .await
        .unwrap();
    assert_ne!(second.messages()[0].receipt_handle(), Some(first.as_str()));
    c.delete_message()
        .queue_url(&url)
        .receipt_handle(&first)
        .send()
        .await
        .unwrap();
    assert!(is_empty(&c, &url).await);
}

/// A FIFO topic numbers its messages, drops a deduplication id seen in the last five minutes (virtual
/// clock), and hands its group and deduplication id to a FIFO queue; its envelope carries the sequence
/// number and no signature, as AWS recorded it.
#[tokio::test]
async fn a_fifo_topic_orders_and_deduplicates_what_reaches_a_fifo_queue() {
    use aws_sdk_sqs::types::MessageSystemAttributeName as Attr;
    let h = emulator().await;
    let admin = virtual_clock(&h).await;
    let sns = aws_sdk_sns::Client::new(&default_sdk(&h).await);
    let c = sqs(&h).await;
    let topic = sns
        .create_topic()
        .name("orders.fifo")
        .attributes("FifoTopic", "true")
        .attributes("ContentBasedDeduplication", "true")
        .send()
        .await
        .unwrap()
        .topic_arn
        .unwrap();
    let (url, _) = subscribed_queue(&h, &c, &topic, "orders.fifo", true).await;

    let e = sns
        .publish()
        .topic_arn(&topic)
        .message("one")
        .send()
        .await
        .unwrap_err()
        .into_service_error();
    assert_eq!(
        e.meta().message(),
        Some("Invalid parameter: The MessageGroupId parameter is required for FIFO topics")
    );
    let publish = |text: &'static str| {
        sns.publish()
            .topic_arn(&topic)
            .message(text)
            .message_group_id("g1")
            .send()
    };
    let first = publish("one").await.unwrap();
    let again = publish("one").await.unwrap();
    let n1: u128 = first.sequence_number().unwrap().parse().unwrap();
    let n2: u128 = again.sequence_number().unwrap().parse().unwrap();
    assert_eq!(first.sequence_number().unwrap().len(), 20);
    assert!(n2 > n1, "sequence numbers grow");

    let got = c
        .receive_message()
        .queue_url(&url)
        .max_number_of_messages(10)
        .message_system_attribute_names(Attr::All)
        .send()
        .await
        .unwrap();
    assert_eq!(got.messages().len(), 1, "the duplicate was dropped");
    let m = &got.messages()[0];
    let attrs = m.attributes().unwrap();
    assert_eq!(attrs[&Attr::MessageGroupId], "g1");
    // ContentBasedDeduplication: the body's SHA-256.
    assert_eq!(
        attrs[&Attr::MessageDeduplicationId],
        "7692c3ad3540bb803c020b3aee66cd8887123234ea0c6e7143c0add73ff431ed"
    );
    let envelope: Value = serde_json::from_str(m.body().unwrap()).unwrap();
    assert_eq!(envelope["SequenceNumber"], first.sequence_number().unwrap());
    assert!(envelope.get("Signature").is_none());
    c.delete_message()
        .queue_url(&url)
        .receipt_handle(m.receipt_handle().unwrap())
        .send()
        .await
        .unwrap();

    // Five minutes on, the same body is a new message.
    admin.set_clock(T0 + 301.0).await.unwrap();
    publish("one").await.unwrap();
    assert!(!is_empty(&c, &url).await);
}

/// The `AWS/SQS` metrics of one queue over the last hour, by name: the sum of each.
async fn queue_metrics(h: &Handle, queue: &str, names: &[&str]) -> Vec<(String, f64)> {
    use aws_sdk_cloudwatch::primitives::DateTime;
    use aws_sdk_cloudwatch::types::{Dimension, Metric, MetricDataQuery, MetricStat};
    let cw = aws_sdk_cloudwatch::Client::new(&default_sdk(h).await);
    let mut req = cw
        .get_metric_data()
        .start_time(DateTime::from_secs(T0 as i64 - 3600))
        .end_time(DateTime::from_secs(T0 as i64 + 3600));
    for (k, name) in names.iter().enumerate() {
        let metric = Metric::builder()
            .namespace("AWS/SQS")
            .metric_name(*name)
            .dimensions(Dimension::builder().name("QueueName").value(queue).build())
            .build();
        let stat = MetricStat::builder()
            .metric(metric)
            .period(60)
            .stat("Sum")
            .build();
        req = req.metric_data_queries(
            MetricDataQuery::builder()
                .id(format!("m{k}"))
                .metric_stat(stat)
                .build(),
        );
    }
    let out = req.send().await.unwrap();
    out.metric_data_results()
        .iter()
        .map(|r| {
            (
                r.label().unwrap_or_default().to_string(),
                r.values().iter().sum(),
            )
        })
        .collect()
}

/// SQS publishes what happens to a queue to CloudWatch (`AWS/SQS`, by `QueueName`), messages SNS delivers
/// included, and an alarm on `NumberOfMessagesSent` fires from it.
#[tokio::test]
async fn queue_activity_publishes_aws_sqs_metrics_an_alarm_can_watch() {
    let h = emulator().await;
    virtual_clock(&h).await;
    let c = sqs(&h).await;
    let url = c
        .create_queue()
        .queue_name("watched")
        .send()
        .await
        .unwrap()
        .queue_url
        .unwrap();
    // Depth is sampled from creation: ListMetrics shows the three approximate metrics at once.
    let cw = aws_sdk_cloudwatch::Client::new(&default_sdk(&h).await);
    let listed = cw
        .list_metrics()
        .namespace("AWS/SQS")
        .dimensions(
            aws_sdk_cloudwatch::types::DimensionFilter::builder()
                .name("QueueName")
                .value("watched")
                .build(),
        )
        .send()
        .await
        .unwrap();
    let mut names: Vec<&str> = listed
        .metrics()
        .iter()
        .filter_map(|m| m.metric_name())
        .collect();
    names.sort_unstable();
    assert_eq!(
        names,
        [
            "ApproximateNumberOfMessagesDelayed",
            "ApproximateNumberOfMessagesNotVisible",
            "ApproximateNumberOfMessagesVisible"
        ]
    );

    let received = c.receive_message().queue_url(&url).send().await.unwrap();
    assert!(received.messages().is_empty());
    c.send_message()
        .queue_url(&url)
        .message_body("Hello")
        .send()
        .await
        .unwrap();
    let m = c.receive_message().queue_url(&url).send().await.unwrap();
    let handle = m.messages()[0].receipt_handle().unwrap().to_string();
    c.delete_message()
        .queue_url(&url)
        .receipt_handle(&handle)
        .send()
        .await
        .unwrap();
    let sums = queue_metrics(
        &h,
        "watched",
        &[
            "NumberOfMessagesSent",
            "SentMessageSize",
            "NumberOfEmptyReceives",
            "NumberOfMessagesReceived",
            "NumberOfMessagesDeleted",
        ],
    )
    .await;
    let sums: Vec<(&str, f64)> = sums.iter().map(|(n, v)| (n.as_str(), *v)).collect();
    assert_eq!(
        sums,
        [
            ("NumberOfMessagesSent", 1.0),
            ("SentMessageSize", 5.0),
            ("NumberOfEmptyReceives", 1.0),
            ("NumberOfMessagesReceived", 1.0),
            ("NumberOfMessagesDeleted", 1.0),
        ]
    );

    // An alarm on another queue's NumberOfMessagesSent, fed by an alarm notification SNS delivers there.
    let topic = common::cis_chain(&h, "CloudTrail/Logs", None).await;
    subscribed_queue(&h, &c, &topic, "security", false).await;
    cw.put_metric_alarm()
        .alarm_name("security-queue-receives")
        .namespace("AWS/SQS")
        .metric_name("NumberOfMessagesSent")
        .dimensions(
            aws_sdk_cloudwatch::types::Dimension::builder()
                .name("QueueName")
                .value("security")
                .build(),
        )
        .statistic(aws_sdk_cloudwatch::types::Statistic::SampleCount)
        .period(60)
        .evaluation_periods(1)
        .threshold(0.0)
        .comparison_operator(aws_sdk_cloudwatch::types::ComparisonOperator::GreaterThanThreshold)
        .send()
        .await
        .unwrap();
    raise_alarm(&h, "ALARM").await;
    let sent = queue_metrics(&h, "security", &["NumberOfMessagesSent"]).await;
    assert_eq!(sent[0].1, 1.0, "SNS's delivery counts as a message sent");
    AdminClient::new(&h.endpoint).advance(60.0).await.unwrap();
    let state = cw
        .describe_alarms()
        .alarm_names("security-queue-receives")
        .send()
        .await
        .unwrap();
    assert_eq!(
        state.metric_alarms()[0].state_value().unwrap().as_str(),
        "ALARM"
    );
}
