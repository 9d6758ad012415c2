//! SNS (`sns`, AWS Query with XML responses).
//!
//! A topic lives in the account and region of its ARN, so every call that names a topic by ARN is served
//! from there: a subscription to another account's topic, or a lookup from another region, behaves as on
//! AWS. Deliveries (notifications, confirmation requests) are recorded in the region's outbox.

use super::handler::{paged, run, Call, EmptyOutput, NoOutput, Style};
use crate::arn::parse_arn;
use crate::error::{ApiError, ApiResult};
use crate::model::sns::{Delivery, Subscription, Topic};
use crate::model::RegionState;
use crate::pipeline::delivery::{self, encode};
use crate::protocol::Document;
use serde::{Deserialize, Serialize};
use serde_json::Value;
use std::collections::BTreeMap;

pub const OPERATIONS: &[&str] = &[
    "CreateTopic",
    "DeleteTopic",
    "ListTopics",
    "GetTopicAttributes",
    "SetTopicAttributes",
    "Subscribe",
    "ConfirmSubscription",
    "Unsubscribe",
    "ListSubscriptions",
    "ListSubscriptionsByTopic",
    "GetSubscriptionAttributes",
    "Publish",
    "TagResource",
    "UntagResource",
    "ListTagsForResource",
];

const INVALID: &str = "InvalidParameter";
const STYLE: Style = Style::Query(INVALID);
/// Subscribe: the protocols SNS accepts.
const PROTOCOLS: &[&str] = &[
    "http",
    "https",
    "email",
    "email-json",
    "sms",
    "sqs",
    "application",
    "lambda",
    "firehose",
];
/// Publish: 256 KiB.
const MAX_MESSAGE_BYTES: usize = 262_144;

fn not_found(what: &str) -> ApiError {
    ApiError::new("NotFound", 404, format!("{what} does not exist"))
}

fn bad_token() -> ApiError {
    ApiError::new(INVALID, 400, "Invalid parameter: NextToken")
}

fn needs_confirmation(protocol: &str) -> bool {
    matches!(protocol, "http" | "https" | "email" | "email-json")
}

/// The state of the region and account a topic ARN names.
fn topic_home<'c>(
    call: &'c mut Call<'_>,
    arn: &str,
    param: &str,
) -> ApiResult<&'c mut RegionState> {
    let a = parse_arn(arn)
        .filter(|a| a.service == "sns")
        .ok_or_else(|| ApiError::new(INVALID, 400, format!("Invalid parameter: {param}")))?;
    Ok(call.state.region(&a.account, &a.region))
}

pub fn dispatch(call: &mut Call<'_>, op: &str, input: Document) -> ApiResult<Value> {
    match op {
        "CreateTopic" => run(call, input, STYLE, create_topic),
        "DeleteTopic" => run(call, input, STYLE, delete_topic),
        "ListTopics" => run(call, input, STYLE, list_topics),
        "GetTopicAttributes" => run(call, input, STYLE, get_topic_attributes),
        "SetTopicAttributes" => run(call, input, STYLE, set_topic_attributes),
        "Subscribe" => run(call, input, STYLE, subscribe),
        "ConfirmSubscription" => run(call, input, STYLE, confirm_subscription),
        "Unsubscribe" => run(call, input, STYLE, unsubscribe),
        "ListSubscriptions" => run(call, input, STYLE, list_subscriptions),
        "ListSubscriptionsByTopic" => run(call, input, STYLE, list_subscriptions_by_topic),
        "GetSubscriptionAttributes" => run(call, input, STYLE, get_subscription_attributes),
        "Publish" => run(call, input, STYLE, publish),
        "TagResource" => run(call, input, STYLE, tag_resource),
        "UntagResource" => run(call, input, STYLE, untag_resource),
        "ListTagsForResource" => run(call, input, STYLE, list_tags),
        _ => Err(ApiError::new(
            "InvalidAction",
            400,
            format!("The action {op} is not valid for this web service."),
        )),
    }
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
struct Tag {
    key: String,
    value: String,
}

#[derive(Deserialize)]
#[serde(rename_all = "PascalCase")]
struct CreateTopicInput {
    name: String,
    #[serde(default)]
    attributes: BTreeMap<String, String>,
    #[serde(default)]
    tags: Vec<Tag>,
}

fn create_topic(call: &mut Call<'_>, i: CreateTopicInput) -> ApiResult<Value> {
    let base = i.name.strip_suffix(".fifo").unwrap_or(&i.name);
    if base.is_empty()
        || i.name.len() > 256
        || !base
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_')
    {
        return Err(ApiError::new(INVALID, 400, "Invalid parameter: Topic Name"));
    }
    let arn = format!(
        "arn:aws:sns:{}:{}:{}",
        call.ctx.region, call.ctx.account, i.name
    );
    let r = call.region();
    if let Some(t) = r.topics.get(&arn) {
        let differs = i
            .attributes
            .iter()
            .any(|(k, v)| t.attributes.get(k) != Some(v));
        if differs {
            return Err(ApiError::new(INVALID, 400, "Invalid parameter: Attributes Reason: Topic already exists with different attributes"));
        }
        return Ok(serde_json::json!({ "TopicArn": arn }));
    }
    let tags = i.tags.into_iter().map(|t| (t.key, t.value)).collect();
    r.topics.insert(
        arn.clone(),
        Topic {
            arn: arn.clone(),
            name: i.name,
            attributes: i.attributes,
            tags,
        },
    );
    Ok(serde_json::json!({ "TopicArn": arn }))
}

#[derive(Deserialize)]
#[serde(rename_all = "PascalCase")]
struct TopicArnInput {
    topic_arn: String,
}

fn delete_topic(call: &mut Call<'_>, i: TopicArnInput) -> ApiResult<NoOutput> {
    let r = topic_home(call, &i.topic_arn, "TopicArn")?;
    r.topics.remove(&i.topic_arn);
    r.subscriptions.retain(|s| s.topic_arn != i.topic_arn);
    Ok(NoOutput)
}

#[derive(Deserialize)]
#[serde(rename_all = "PascalCase")]
struct NextTokenInput {
    next_token: Option<String>,
}

fn list_topics(call: &mut Call<'_>, i: NextTokenInput) -> ApiResult<Value> {
    let topics: Vec<Value> = call
        .region()
        .topics
        .keys()
        .map(|a| serde_json::json!({ "TopicArn": a }))
        .collect();
    // ListTopics: up to 100 topics per page.
    paged(
        &topics,
        i.next_token.as_deref(),
        100,
        bad_token,
        "NextToken",
        |items| serde_json::json!({ "Topics": items }),
    )
}

fn get_topic_attributes(call: &mut Call<'_>, i: TopicArnInput) -> ApiResult<Value> {
    let owner = parse_arn(&i.topic_arn)
        .map(|a| a.account)
        .unwrap_or_default();
    let r = topic_home(call, &i.topic_arn, "TopicArn")?;
    let t = r
        .topics
        .get(&i.topic_arn)
        .ok_or_else(|| not_found("Topic"))?;
    let subs: Vec<&Subscription> = r
        .subscriptions
        .iter()
        .filter(|s| s.topic_arn == i.topic_arn)
        .collect();
    let mut attrs: BTreeMap<String, String> = BTreeMap::new();
    attrs.insert("TopicArn".into(), t.arn.clone());
    attrs.insert("Owner".into(), owner.clone());
    attrs.insert("DisplayName".into(), String::new());
    attrs.insert(
        "SubscriptionsConfirmed".into(),
        subs.iter().filter(|s| s.confirmed).count().to_string(),
    );
    attrs.insert(
        "SubscriptionsPending".into(),
        subs.iter().filter(|s| !s.confirmed).count().to_string(),
    );
    attrs.insert("SubscriptionsDeleted".into(), "0".into());
    attrs.insert(
        "Policy".into(),
        serde_json::json!({"Version": "2008-10-17", "Id": "__default_policy_ID", "Statement": [{"Sid": "__default_statement_ID", "Effect": "Allow", "Principal": {"AWS": "*"}, "Action": ["SNS:Publish", "SNS:Subscribe", "SNS:GetTopicAttributes"], "Resource": t.arn, "Condition": {"StringEquals": {"AWS:SourceOwner": owner}}}]}).to_string(),
    );
    attrs.insert(
        "EffectiveDeliveryPolicy".into(),
        serde_json::json!({"http": {"defaultHealthyRetryPolicy": {"minDelayTarget": 20, "maxDelayTarget": 20, "numRetries": 3, "numMaxDelayRetries": 0, "numNoDelayRetries": 0, "numMinDelayRetries": 0, "backoffFunction": "linear"}, "disableSubscriptionOverrides": false}}).to_string(),
    );
    attrs.extend(t.attributes.clone());
    Ok(serde_json::json!({ "Attributes": attrs }))
}

#[derive(Deserialize)]
#[serde(rename_all = "PascalCase")]
struct SetTopicAttributesInput {
    topic_arn: String,
    attribute_name: String,
    attribute_value: Option<String>,
}

fn set_topic_attributes(call: &mut Call<'_>, i: SetTopicAttributesInput) -> ApiResult<NoOutput> {
    const SETTABLE: &[&str] = &[
        "DeliveryPolicy",
        "DisplayName",
        "Policy",
        "TracingConfig",
        "KmsMasterKeyId",
        "SignatureVersion",
        "ContentBasedDeduplication",
        "ArchivePolicy",
        "DataProtectionPolicy",
    ];
    if !SETTABLE.contains(&i.attribute_name.as_str())
        && !i.attribute_name.ends_with("FeedbackRoleArn")
        && !i.attribute_name.ends_with("SuccessFeedbackSampleRate")
    {
        return Err(ApiError::new(
            INVALID,
            400,
            "Invalid parameter: AttributeName",
        ));
    }
    let r = topic_home(call, &i.topic_arn, "TopicArn")?;
    let t = r
        .topics
        .get_mut(&i.topic_arn)
        .ok_or_else(|| not_found("Topic"))?;
    t.attributes
        .insert(i.attribute_name, i.attribute_value.unwrap_or_default());
    Ok(NoOutput)
}

#[derive(Deserialize)]
#[serde(rename_all = "PascalCase")]
struct SubscribeInput {
    topic_arn: String,
    protocol: String,
    endpoint: Option<String>,
    #[serde(default)]
    attributes: BTreeMap<String, String>,
    #[serde(default)]
    return_subscription_arn: bool,
}

fn subscribe(call: &mut Call<'_>, i: SubscribeInput) -> ApiResult<Value> {
    if !PROTOCOLS.contains(&i.protocol.as_str()) {
        return Err(ApiError::new(
            INVALID,
            400,
            "Invalid parameter: Amazon SNS does not support this protocol string",
        ));
    }
    let endpoint = i.endpoint.unwrap_or_default();
    let valid_endpoint = match i.protocol.as_str() {
        "http" => endpoint.starts_with("http://"),
        "https" => endpoint.starts_with("https://"),
        "email" | "email-json" => endpoint.contains('@'),
        "sqs" | "lambda" | "firehose" | "application" => endpoint.starts_with("arn:"),
        _ => !endpoint.is_empty(),
    };
    if !valid_endpoint {
        return Err(ApiError::new(
            INVALID,
            400,
            format!("Invalid parameter: {} endpoint", i.protocol.to_uppercase()),
        ));
    }
    let (caller, auto) = (call.ctx.account.clone(), call.fx.auto_confirm);
    let topic_owner = parse_arn(&i.topic_arn)
        .map(|a| a.account)
        .unwrap_or_default();
    let now = call.now();
    let r = topic_home(call, &i.topic_arn, "TopicArn")?;
    if !r.topics.contains_key(&i.topic_arn) {
        return Err(not_found("Topic"));
    }
    if let Some(s) = r
        .subscriptions
        .iter()
        .find(|s| s.topic_arn == i.topic_arn && s.protocol == i.protocol && s.endpoint == endpoint)
    {
        let arn = if s.confirmed || i.return_subscription_arn {
            s.arn.clone()
        } else {
            "pending confirmation".into()
        };
        return Ok(serde_json::json!({ "SubscriptionArn": arn }));
    }
    // Confirmation is needed for HTTP/S and email, and for any endpoint in another account.
    let cross_account = i.protocol != "http"
        && i.protocol != "https"
        && !i.protocol.starts_with("email")
        && endpoint_account(&endpoint).is_some_and(|a| a != topic_owner);
    let confirmed = auto || !(needs_confirmation(&i.protocol) || cross_account);
    let arn = format!("{}:{}", i.topic_arn, uuid::Uuid::new_v4());
    let token = format!("{:x}", uuid::Uuid::new_v4().as_u128())
        + &format!("{:x}", uuid::Uuid::new_v4().as_u128());
    let sub = Subscription {
        arn: arn.clone(),
        topic_arn: i.topic_arn.clone(),
        protocol: i.protocol.clone(),
        endpoint: endpoint.clone(),
        owner: caller,
        confirmed,
        token: token.clone(),
        attributes: i.attributes,
    };
    if !confirmed {
        // The SubscribeURL points at this emulator, which serves it as AWS's endpoint does.
        let url = format!(
            "{}/?Action=ConfirmSubscription&TopicArn={}&Token={token}",
            call.fx.public_url,
            encode(&i.topic_arn)
        );
        let home = parse_arn(&i.topic_arn)
            .ok_or_else(|| ApiError::new(INVALID, 400, "Invalid parameter: TopicArn"))?;
        let confirmation = Delivery {
            kind: "SubscriptionConfirmation".into(),
            topic_arn: i.topic_arn.clone(),
            subscription_arn: None,
            protocol: i.protocol.clone(),
            endpoint,
            message_id: uuid::Uuid::new_v4().to_string(),
            subject: None,
            message: format!("You have chosen to subscribe to the topic {}.\nTo confirm the subscription, visit the SubscribeURL included in this message.", i.topic_arn),
            timestamp: now,
            token: Some(token.clone()),
            subscribe_url: Some(url),
        };
        let r = call.state.region(&home.account, &home.region);
        r.subscriptions.push(sub);
        delivery::send(r, confirmation, &mut call.fx);
    } else {
        r.subscriptions.push(sub);
    }
    let shown = if confirmed || i.return_subscription_arn {
        arn
    } else {
        "pending confirmation".into()
    };
    Ok(serde_json::json!({ "SubscriptionArn": shown }))
}

fn endpoint_account(endpoint: &str) -> Option<String> {
    parse_arn(endpoint).map(|a| a.account)
}

#[derive(Deserialize)]
#[serde(rename_all = "PascalCase")]
struct ConfirmSubscriptionInput {
    topic_arn: String,
    token: String,
}

fn confirm_subscription(call: &mut Call<'_>, i: ConfirmSubscriptionInput) -> ApiResult<Value> {
    let r = topic_home(call, &i.topic_arn, "TopicArn")?;
    if !r.topics.contains_key(&i.topic_arn) {
        return Err(not_found("Topic"));
    }
    let s = r
        .subscriptions
        .iter_mut()
        .find(|s| s.topic_arn == i.topic_arn && s.token == i.token)
        .ok_or_else(|| ApiError::new(INVALID, 400, "Invalid parameter: Token"))?;
    s.confirmed = true;
    Ok(serde_json::json!({ "SubscriptionArn": s.arn }))
}

#[derive(Deserialize)]
#[serde(rename_all = "PascalCase")]
struct SubscriptionArnInput {
    subscription_arn: String,
}

fn subscription_home<'c>(call: &'c mut Call<'_>, arn: &str) -> ApiResult<&'c mut RegionState> {
    if arn.matches(':').count() != 6 {
        return Err(ApiError::new(
            INVALID,
            400,
            "Invalid parameter: SubscriptionArn",
        ));
    }
    topic_home(call, arn, "SubscriptionArn")
}

fn unsubscribe(call: &mut Call<'_>, i: SubscriptionArnInput) -> ApiResult<NoOutput> {
    let r = subscription_home(call, &i.subscription_arn)?;
    let before = r.subscriptions.len();
    r.subscriptions.retain(|s| s.arn != i.subscription_arn);
    if r.subscriptions.len() == before {
        return Err(not_found("Subscription"));
    }
    Ok(NoOutput)
}

fn listing(s: &Subscription) -> Value {
    serde_json::json!({
        "SubscriptionArn": if s.confirmed { s.arn.clone() } else { "PendingConfirmation".into() },
        "Owner": s.owner,
        "Protocol": s.protocol,
        "Endpoint": s.endpoint,
        "TopicArn": s.topic_arn,
    })
}

fn list_subscriptions(call: &mut Call<'_>, i: NextTokenInput) -> ApiResult<Value> {
    let subs: Vec<Value> = call.region().subscriptions.iter().map(listing).collect();
    paged(
        &subs,
        i.next_token.as_deref(),
        100,
        bad_token,
        "NextToken",
        |items| serde_json::json!({ "Subscriptions": items }),
    )
}

#[derive(Deserialize)]
#[serde(rename_all = "PascalCase")]
struct ListByTopicInput {
    topic_arn: String,
    next_token: Option<String>,
}

fn list_subscriptions_by_topic(call: &mut Call<'_>, i: ListByTopicInput) -> ApiResult<Value> {
    let r = topic_home(call, &i.topic_arn, "TopicArn")?;
    if !r.topics.contains_key(&i.topic_arn) {
        return Err(not_found("Topic"));
    }
    let subs: Vec<Value> = r
        .subscriptions
        .iter()
        .filter(|s| s.topic_arn == i.topic_arn)
        .map(listing)
        .collect();
    // ListSubscriptionsByTopic: up to 100 per page.
    paged(
        &subs,
        i.next_token.as_deref(),
        100,
        bad_token,
        "NextToken",
        |items| serde_json::json!({ "Subscriptions": items }),
    )
}

fn get_subscription_attributes(call: &mut Call<'_>, i: SubscriptionArnInput) -> ApiResult<Value> {
    let r = subscription_home(call, &i.subscription_arn)?;
    let s = r
        .subscriptions
        .iter()
        .find(|s| s.arn == i.subscription_arn)
        .ok_or_else(|| not_found("Subscription"))?;
    let mut attrs: BTreeMap<String, String> = BTreeMap::new();
    attrs.insert("SubscriptionArn".into(), s.arn.clone());
    attrs.insert("TopicArn".into(), s.topic_arn.clone());
    attrs.insert("Owner".into(), s.owner.clone());
    attrs.insert("Protocol".into(), s.protocol.clone());
    attrs.insert("Endpoint".into(), s.endpoint.clone());
    attrs.insert("PendingConfirmation".into(), (!s.confirmed).to_string());
    attrs.insert(
        "ConfirmationWasAuthenticated".into(),
        s.confirmed.to_string(),
    );
    attrs.insert("RawMessageDelivery".into(), "false".into());
    attrs.extend(s.attributes.clone());
    Ok(serde_json::json!({ "Attributes": attrs }))
}

#[derive(Deserialize)]
#[serde(rename_all = "PascalCase")]
struct PublishInput {
    topic_arn: Option<String>,
    target_arn: Option<String>,
    message: String,
    subject: Option<String>,
}

fn publish(call: &mut Call<'_>, i: PublishInput) -> ApiResult<Value> {
    let arn = i.topic_arn.or(i.target_arn).ok_or_else(|| {
        ApiError::new(
            INVALID,
            400,
            "Invalid parameter: TopicArn or TargetArn Reason: no value for required parameter",
        )
    })?;
    if i.message.is_empty() {
        return Err(ApiError::new(
            INVALID,
            400,
            "Invalid parameter: Empty message",
        ));
    }
    if i.message.len() > MAX_MESSAGE_BYTES {
        return Err(ApiError::new(
            INVALID,
            400,
            "Invalid parameter: Message too long",
        ));
    }
    if let Some(s) = &i.subject {
        if s.is_empty() || s.len() > 100 {
            return Err(ApiError::new(INVALID, 400, "Invalid parameter: Subject"));
        }
    }
    if !topic_home(call, &arn, "TopicArn")?
        .topics
        .contains_key(&arn)
    {
        return Err(not_found("Topic"));
    }
    let now = call.now();
    let id = delivery::publish(
        call.state,
        now,
        &mut call.fx,
        &arn,
        i.subject.as_deref(),
        &i.message,
    );
    Ok(serde_json::json!({ "MessageId": id }))
}

#[derive(Deserialize)]
#[serde(rename_all = "PascalCase")]
struct TagResourceInput {
    resource_arn: String,
    tags: Vec<Tag>,
}

fn tag_resource(call: &mut Call<'_>, i: TagResourceInput) -> ApiResult<EmptyOutput> {
    let r = topic_home(call, &i.resource_arn, "ResourceArn")?;
    let t = r
        .topics
        .get_mut(&i.resource_arn)
        .ok_or_else(|| ApiError::new("ResourceNotFound", 404, "Resource does not exist"))?;
    t.tags.extend(i.tags.into_iter().map(|t| (t.key, t.value)));
    Ok(EmptyOutput)
}

#[derive(Deserialize)]
#[serde(rename_all = "PascalCase")]
struct UntagResourceInput {
    resource_arn: String,
    tag_keys: Vec<String>,
}

fn untag_resource(call: &mut Call<'_>, i: UntagResourceInput) -> ApiResult<EmptyOutput> {
    let r = topic_home(call, &i.resource_arn, "ResourceArn")?;
    let t = r
        .topics
        .get_mut(&i.resource_arn)
        .ok_or_else(|| ApiError::new("ResourceNotFound", 404, "Resource does not exist"))?;
    for k in &i.tag_keys {
        t.tags.remove(k);
    }
    Ok(EmptyOutput)
}

#[derive(Deserialize)]
#[serde(rename_all = "PascalCase")]
struct ResourceArnInput {
    resource_arn: String,
}

fn list_tags(call: &mut Call<'_>, i: ResourceArnInput) -> ApiResult<Value> {
    let r = topic_home(call, &i.resource_arn, "ResourceArn")?;
    let t = r
        .topics
        .get(&i.resource_arn)
        .ok_or_else(|| ApiError::new("ResourceNotFound", 404, "Resource does not exist"))?;
    let tags: Vec<Tag> = t
        .tags
        .iter()
        .map(|(k, v)| Tag {
            key: k.clone(),
            value: v.clone(),
        })
        .collect();
    Ok(serde_json::json!({ "Tags": tags }))
}
