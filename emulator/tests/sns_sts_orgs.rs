//! SNS and STS (AWS Query with XML) and Organizations (AWS JSON 1.1) through the AWS SDK for Rust.

mod common;

use aws_sdk_sns::Client as Sns;

#[tokio::test]
async fn topics_subscriptions_and_publish() {
    let h = common::emulator().await;
    let c = Sns::new(&common::default_sdk(&h).await);
    let arn = c
        .create_topic()
        .name("cis-alarms")
        .send()
        .await
        .unwrap()
        .topic_arn()
        .unwrap()
        .to_string();
    assert_eq!(arn, "arn:aws:sns:us-east-1:123456789012:cis-alarms");
    let again = c.create_topic().name("cis-alarms").send().await.unwrap();
    assert_eq!(
        again.topic_arn(),
        Some(arn.as_str()),
        "CreateTopic is idempotent"
    );
    let err = c.create_topic().name("bad name!").send().await.unwrap_err();
    assert!(err.into_service_error().is_invalid_parameter_exception());
    assert_eq!(c.list_topics().send().await.unwrap().topics().len(), 1);

    let email = c
        .subscribe()
        .topic_arn(&arn)
        .protocol("email")
        .endpoint("sec@example.com")
        .send()
        .await
        .unwrap();
    assert_eq!(email.subscription_arn(), Some("pending confirmation"));
    let sqs = c
        .subscribe()
        .topic_arn(&arn)
        .protocol("sqs")
        .endpoint("arn:aws:sqs:us-east-1:123456789012:q")
        .send()
        .await
        .unwrap();
    let sqs_arn = sqs.subscription_arn().unwrap().to_string();
    assert!(sqs_arn.starts_with(&format!("{arn}:")));
    let subs = c
        .list_subscriptions_by_topic()
        .topic_arn(&arn)
        .send()
        .await
        .unwrap();
    let shown: Vec<_> = subs
        .subscriptions()
        .iter()
        .filter_map(|s| s.subscription_arn())
        .collect();
    assert_eq!(shown, vec!["PendingConfirmation", sqs_arn.as_str()]);
    assert_eq!(
        c.list_subscriptions()
            .send()
            .await
            .unwrap()
            .subscriptions()
            .len(),
        2
    );
    let attrs = c
        .get_subscription_attributes()
        .subscription_arn(&sqs_arn)
        .send()
        .await
        .unwrap();
    assert_eq!(
        attrs
            .attributes()
            .unwrap()
            .get("PendingConfirmation")
            .map(String::as_str),
        Some("false")
    );
    let t = c
        .get_topic_attributes()
        .topic_arn(&arn)
        .send()
        .await
        .unwrap();
    let a = t.attributes().unwrap();
    assert_eq!(
        a.get("SubscriptionsConfirmed").map(String::as_str),
        Some("1")
    );
    assert_eq!(a.get("SubscriptionsPending").map(String::as_str), Some("1"));
    c.set_topic_attributes()
        .topic_arn(&arn)
        .attribute_name("DisplayName")
        .attribute_value("CIS")
        .send()
        .await
        .unwrap();
    let t = c
        .get_topic_attributes()
        .topic_arn(&arn)
        .send()
        .await
        .unwrap();
    assert_eq!(
        t.attributes()
            .unwrap()
            .get("DisplayName")
            .map(String::as_str),
        Some("CIS")
    );

    let id = c
        .publish()
        .topic_arn(&arn)
        .message("hello")
        .subject("s")
        .send()
        .await
        .unwrap();
    assert!(id.message_id().is_some());
    let err = c
        .publish()
        .topic_arn("arn:aws:sns:us-east-1:123456789012:nope")
        .message("x")
        .send()
        .await
        .unwrap_err();
    assert!(err.into_service_error().is_not_found_exception());
    let err = c
        .confirm_subscription()
        .topic_arn(&arn)
        .token("wrong")
        .send()
        .await
        .unwrap_err();
    assert!(err.into_service_error().is_invalid_parameter_exception());
    let err = c
        .subscribe()
        .topic_arn(&arn)
        .protocol("carrier-pigeon")
        .endpoint("x")
        .send()
        .await
        .unwrap_err();
    assert!(err.into_service_error().is_invalid_parameter_exception());

    c.tag_resource()
        .resource_arn(&arn)
        .tags(
            aws_sdk_sns::types::Tag::builder()
                .key("k")
                .value("v")
                .build()
                .unwrap(),
        )
        .send()
        .await
        .unwrap();
    let tags = c
        .list_tags_for_resource()
        .resource_arn(&arn)
        .send()
        .await
        .unwrap();
    assert_eq!(tags.tags()[0].key(), "k");
    c.unsubscribe()
        .subscription_arn(&sqs_arn)
        .send()
        .await
        .unwrap();
    // Unsubscribing again succeeds: AWS's recorded answer (a fix; it was NotFound here before).
    c.unsubscribe()
        .subscription_arn(&sqs_arn)
        .send()
        .await
        .unwrap();
    let subs = c.list_subscriptions().send().await.unwrap();
    assert!(subs
        .subscriptions()
        .iter()
        .all(|s| s.subscription_arn() != Some(sqs_arn.as_str())));
    c.delete_topic().topic_arn(&arn).send().await.unwrap();
    assert!(c.list_topics().send().await.unwrap().topics().is_empty());
}

#[tokio::test]
async fn a_twelve_digit_key_selects_the_account() {
    let h = common::emulator().await;
    let sts = aws_sdk_sts::Client::new(&common::default_sdk(&h).await);
    let me = sts.get_caller_identity().send().await.unwrap();
    assert_eq!(me.account(), Some("123456789012"));
    let other = aws_sdk_sts::Client::new(&common::sdk(&h, "us-east-1", "210987654321").await);
    assert_eq!(
        other.get_caller_identity().send().await.unwrap().account(),
        Some("210987654321")
    );
    // State is per account: a topic of one account is not listed in another.
    let sns_a = Sns::new(&common::default_sdk(&h).await);
    let sns_b = Sns::new(&common::sdk(&h, "us-east-1", "210987654321").await);
    sns_a.create_topic().name("t").send().await.unwrap();
    assert!(sns_b
        .list_topics()
        .send()
        .await
        .unwrap()
        .topics()
        .is_empty());
}

#[tokio::test]
async fn organization_roles() {
    let h = common::emulator().await;
    let org = aws_sdk_organizations::Client::new(&common::default_sdk(&h).await);
    let err = org.describe_organization().send().await.unwrap_err();
    assert!(err
        .into_service_error()
        .is_aws_organizations_not_in_use_exception());
    let r = common::raw(
        &h,
        "POST",
        "/_orgwatch/organizations",
        &[("content-type", "application/json")],
        br#"{"account":"123456789012","role":"management"}"#,
    )
    .await;
    assert_eq!(r.status, 200, "{}", r.text());
    let o = org.describe_organization().send().await.unwrap();
    assert_eq!(
        o.organization().unwrap().master_account_id(),
        Some("123456789012")
    );
}

#[tokio::test]
async fn confirming_with_the_token_sns_sent() {
    let h = common::emulator().await;
    let c = Sns::new(&common::default_sdk(&h).await);
    let arn = c
        .create_topic()
        .name("t")
        .send()
        .await
        .unwrap()
        .topic_arn()
        .unwrap()
        .to_string();
    c.subscribe()
        .topic_arn(&arn)
        .protocol("https")
        .endpoint("https://hooks.example.com/sns")
        .send()
        .await
        .unwrap();
    let outbox = common::raw(
        &h,
        "GET",
        &format!("/_orgwatch/sns/outbox?topic={arn}"),
        &[],
        b"",
    )
    .await
    .json();
    let confirmation = &outbox["messages"][0];
    assert_eq!(confirmation["kind"], "SubscriptionConfirmation");
    let token = confirmation["token"].as_str().unwrap();
    assert!(confirmation["subscribe_url"]
        .as_str()
        .unwrap()
        .contains(&format!("Token={token}")));
    let confirmed = c
        .confirm_subscription()
        .topic_arn(&arn)
        .token(token)
        .send()
        .await
        .unwrap();
    let sub_arn = confirmed.subscription_arn().unwrap();
    assert!(sub_arn.starts_with(&format!("{arn}:")));
    let listed = c
        .list_subscriptions_by_topic()
        .topic_arn(&arn)
        .send()
        .await
        .unwrap();
    assert_eq!(listed.subscriptions()[0].subscription_arn(), Some(sub_arn));
    c.untag_resource()
        .resource_arn(&arn)
        .tag_keys("none")
        .send()
        .await
        .unwrap();
}

/// An SNS error's message.
fn message<E: aws_sdk_sns::error::ProvideErrorMetadata, R>(
    e: aws_sdk_sns::error::SdkError<E, R>,
) -> String {
    aws_sdk_sns::error::ProvideErrorMetadata::message(&e)
        .unwrap_or_default()
        .to_string()
}

/// SNS as AWS recorded it: FIFO naming, tags given again, duplicated tag keys, message structure `json`
/// per protocol, subscription attributes as SNS keeps them, and the reasons for malformed ARNs.
#[tokio::test]
async fn recorded_answers_for_topics_subscriptions_and_messages() {
    use aws_sdk_sns::types::Tag;
    use orgwatch_emulator::admin::client::AdminClient;
    let h = common::emulator().await;
    let c = Sns::new(&common::default_sdk(&h).await);

    // FIFO topics end in `.fifo`, and only they do.
    let err = c.create_topic().name("t.fifo").send().await.unwrap_err();
    assert_eq!(message(err), "Invalid parameter: Topic Name");
    let err = c
        .create_topic()
        .name("t")
        .attributes("FifoTopic", "true")
        .send()
        .await
        .unwrap_err();
    assert_eq!(message(err), "Invalid parameter: Topic Name");
    let arn = c
        .create_topic()
        .name("t")
        .attributes("FifoTopic", "false")
        .send()
        .await
        .unwrap()
        .topic_arn()
        .unwrap()
        .to_string();
    let attrs = c
        .get_topic_attributes()
        .topic_arn(&arn)
        .send()
        .await
        .unwrap();
    let attrs = attrs.attributes().unwrap();
    assert!(
        !attrs.contains_key("FifoTopic"),
        "a standard topic lists no FifoTopic"
    );
    assert!(attrs["EffectiveDeliveryPolicy"].contains("defaultRequestPolicy"));
    let tag = |k: &str, v: &str| Tag::builder().key(k).value(v).build().unwrap();
    let err = c
        .create_topic()
        .name("t")
        .tags(tag("k", "v"))
        .send()
        .await
        .unwrap_err();
    assert_eq!(
        message(err),
        "Invalid parameter: Tags Reason: Topic already exists with different tags"
    );
    let err = c
        .tag_resource()
        .resource_arn(&arn)
        .tags(tag("k", "1"))
        .tags(tag("k", "2"))
        .send()
        .await
        .unwrap_err();
    assert_eq!(
        message(err),
        "Invalid parameter: Duplicated keys are not allowed."
    );
    let err = c
        .get_topic_attributes()
        .topic_arn("t")
        .send()
        .await
        .unwrap_err();
    assert_eq!(
        message(err),
        "Invalid parameter: TopicArn Reason: An ARN must have at least 6 elements, not 1"
    );

    // Subscription attributes: RawMessageDelivery lower-cased, an empty FilterPolicy dropped, the
    // subscriber named; subscribing again with other attributes is refused.
    let queue = "arn:aws:sqs:us-east-1:123456789012:outside";
    let sub = c
        .subscribe()
        .topic_arn(&arn)
        .protocol("sqs")
        .endpoint(queue)
        .attributes("RawMessageDelivery", "TrUe")
        .attributes("FilterPolicy", "")
        .attributes("FilterPolicyScope", "MessageBody")
        .return_subscription_arn(true)
        .send()
        .await
        .unwrap()
        .subscription_arn()
        .unwrap()
        .to_string();
    let got = c
        .get_subscription_attributes()
        .subscription_arn(&sub)
        .send()
        .await
        .unwrap();
    let got = got.attributes().unwrap();
    assert_eq!(got["RawMessageDelivery"], "true");
    assert!(!got.contains_key("FilterPolicy") && !got.contains_key("FilterPolicyScope"));
    assert_eq!(
        got["SubscriptionPrincipal"],
        "arn:aws:iam::123456789012:user/orgwatch"
    );
    let err = c
        .subscribe()
        .topic_arn(&arn)
        .protocol("sqs")
        .endpoint(queue)
        .attributes("RawMessageDelivery", "false")
        .send()
        .await
        .unwrap_err();
    assert_eq!(
        message(err),
        "Invalid parameter: Attributes Reason: Subscription already exists with different attributes"
    );
    let err = c
        .set_subscription_attributes()
        .subscription_arn(&sub)
        .attribute_name("RawMessageDelivery")
        .attribute_value("maybe")
        .send()
        .await
        .unwrap_err();
    assert_eq!(
        message(err),
        "Invalid parameter: RawMessageDelivery: Invalid value [maybe]. Must be true or false."
    );
    let err = c
        .unsubscribe()
        .subscription_arn("arn:aws:sns:us-east-1:123456789012:t")
        .send()
        .await
        .unwrap_err();
    assert_eq!(message(err), "Invalid parameter: SubscriptionId");

    // Message structure json: each protocol gets its member, the others `default`.
    c.subscribe()
        .topic_arn(&arn)
        .protocol("sms")
        .endpoint("+12/34-567.890")
        .send()
        .await
        .unwrap();
    let err = c
        .subscribe()
        .topic_arn(&arn)
        .protocol("sms")
        .endpoint("+15--551234567")
        .send()
        .await
        .unwrap_err();
    assert_eq!(message(err), "Invalid SMS endpoint: +15--551234567");
    let err = c
        .publish()
        .topic_arn(&arn)
        .message(r#"{"sqs": "only sqs"}"#)
        .message_structure("json")
        .send()
        .await
        .unwrap_err();
    assert_eq!(
        message(err),
        "Invalid parameter: Message Structure - No default entry in JSON message body"
    );
    c.publish()
        .topic_arn(&arn)
        .message(r#"{"default": "for everyone", "sqs": "for queues"}"#)
        .message_structure("json")
        .send()
        .await
        .unwrap();
    let outbox = AdminClient::new(&h.endpoint)
        .outbox(Some(&arn))
        .await
        .unwrap();
    let text = |p: &str| {
        outbox
            .iter()
            .find(|m| m.delivery.protocol.as_str() == p)
            .map(|m| m.delivery.message.clone())
    };
    assert_eq!(text("sqs").as_deref(), Some("for queues"));
    assert_eq!(text("sms").as_deref(), Some("for everyone"));

    // A message counts its attributes' names, types and values against the 256 KiB.
    let attr = aws_sdk_sns::types::MessageAttributeValue::builder()
        .data_type("Number")
        .string_value("1")
        .build()
        .unwrap();
    let body = "a".repeat(262_144 - "attr1Number1".len() + 1);
    let err = c
        .publish()
        .topic_arn(&arn)
        .message(&body)
        .message_attributes("attr1", attr.clone())
        .send()
        .await
        .unwrap_err();
    assert_eq!(message(err), "Invalid parameter: Message too long");
    c.publish()
        .topic_arn(&arn)
        .message(&body[1..])
        .message_attributes("attr1", attr)
        .send()
        .await
        .unwrap();
}

/// Mobile push, text messaging and message attributes as AWS recorded them: applications hide their
/// credentials, endpoints are idempotent per token, a disabled endpoint refuses a publish, SMS settings
/// keep AWS's default spend limit, and attribute names, types and values are checked in SNS's words.
#[tokio::test]
async fn recorded_answers_for_mobile_push_sms_and_message_attributes() {
    use aws_sdk_sns::types::MessageAttributeValue;
    let h = common::emulator().await;
    let c = Sns::new(&common::default_sdk(&h).await);

    let err = c
        .create_platform_application()
        .name("app")
        .platform("ADM")
        .attributes("PlatformPrincipal", "id")
        .send()
        .await
        .unwrap_err();
    assert_eq!(
        message(err),
        "Invalid parameter: Attributes Reason: PlatformPrincipal attribute provided without PlatformCredential"
    );
    let err = c
        .create_platform_application()
        .name("@app")
        .platform("ADM")
        .attributes("PlatformPrincipal", "id")
        .send()
        .await
        .unwrap_err();
    assert!(message(err).starts_with("Invalid parameter: @app Reason: must contain only"));
    let app = c
        .create_platform_application()
        .name("app")
        .platform("ADM")
        .attributes("PlatformPrincipal", "id")
        .attributes("PlatformCredential", "secret")
        .send()
        .await
        .unwrap()
        .platform_application_arn
        .unwrap();
    assert!(app.ends_with(":app/ADM/app"), "{app}");
    let shown = c
        .get_platform_application_attributes()
        .platform_application_arn(&app)
        .send()
        .await
        .unwrap();
    let shown = shown.attributes().unwrap();
    assert_eq!(shown.get("Enabled").map(String::as_str), Some("true"));
    assert!(
        !shown.contains_key("PlatformCredential"),
        "credentials are never shown"
    );

    let endpoint = |data: Option<&'static str>| {
        let mut r = c
            .create_platform_endpoint()
            .platform_application_arn(&app)
            .token("token_1");
        if let Some(d) = data {
            r = r.attributes("Enabled", d);
        }
        r.send()
    };
    let e1 = endpoint(None).await.unwrap().endpoint_arn.unwrap();
    assert_eq!(endpoint(None).await.unwrap().endpoint_arn.unwrap(), e1);
    let err = endpoint(Some("false")).await.unwrap_err();
    assert_eq!(
        message(err),
        format!("Invalid parameter: Token Reason: Endpoint {e1} already exists with the same Token, but different attributes.")
    );
    c.set_endpoint_attributes()
        .endpoint_arn(&e1)
        .attributes("Enabled", "false")
        .send()
        .await
        .unwrap();
    let err = c
        .publish()
        .target_arn(&e1)
        .message("hi")
        .send()
        .await
        .unwrap_err()
        .into_service_error();
    assert!(err.is_endpoint_disabled_exception(), "{err:?}");
    c.delete_platform_application()
        .platform_application_arn(&app)
        .send()
        .await
        .unwrap();
    let err = c
        .list_endpoints_by_platform_application()
        .platform_application_arn(&app)
        .send()
        .await
        .unwrap_err();
    assert_eq!(message(err), "PlatformApplication does not exist");

    // SMS: settings with AWS's default spend limit; numbers as E.164.
    c.set_sms_attributes()
        .attributes("DefaultSMSType", "Transactional")
        .send()
        .await
        .unwrap();
    let got = c.get_sms_attributes().send().await.unwrap();
    let got = got.attributes().unwrap();
    assert_eq!(got["DefaultSMSType"], "Transactional");
    assert_eq!(got["MonthlySpendLimit"], "1");
    let err = c
        .set_sms_attributes()
        .attributes("DefaultSMSType", "Loud")
        .send()
        .await
        .unwrap_err();
    assert_eq!(message(err), "DefaultSMSType is invalid");
    let err = c
        .publish()
        .phone_number("+1a234")
        .message("hi")
        .send()
        .await
        .unwrap_err();
    assert_eq!(
        message(err),
        "Invalid parameter: PhoneNumber Reason: +1a234 is not valid to publish to"
    );
    assert!(c
        .publish()
        .phone_number("+15551234567")
        .message("hi")
        .send()
        .await
        .is_ok());
    let opted = c
        .check_if_phone_number_is_opted_out()
        .phone_number("+15551234567")
        .send()
        .await
        .unwrap();
    assert!(!opted.is_opted_out());

    // Message attributes: names, type prefixes and the field a type uses.
    let topic = c
        .create_topic()
        .name("attrs")
        .send()
        .await
        .unwrap()
        .topic_arn
        .unwrap();
    let attr = |t: &str, v: &str| {
        MessageAttributeValue::builder()
            .data_type(t)
            .string_value(v)
            .build()
            .unwrap()
    };
    for (name, value, expected) in [
        ("a..b", attr("String", "x"), "Message attribute name can not have successive '.' character."),
        ("a^b", attr("String", "x"), "Invalid non-alphanumeric character '#x5E' was found in the message attribute name. Can only include alphanumeric characters, hyphens, underscores, or dots."),
        ("a", attr("String.", "x"), "The message attribute 'a' has an invalid message attribute type, the set of supported type prefixes is Binary, Number, and String."),
        ("a", attr("Binary", "x"), "The message attribute 'a' with type 'Binary' must use field 'Binary'."),
        ("a", attr("String", ""), "The message attribute 'a' must contain non-empty message attribute value for message attribute type 'String'."),
    ] {
        let err = c
            .publish()
            .topic_arn(&topic)
            .message("m")
            .message_attributes(name, value)
            .send()
            .await
            .unwrap_err();
        assert_eq!(message(err), expected, "{name}");
    }
    assert!(c
        .publish()
        .topic_arn(&topic)
        .message("m")
        .message_attributes("a", attr("String.  custom.", "x"))
        .send()
        .await
        .is_ok());
}
