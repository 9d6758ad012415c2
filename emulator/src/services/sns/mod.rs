//! SNS (`sns`, AWS Query with XML responses).
//!
//! A topic lives in the account and region of its ARN, so every call that names a topic by ARN is served
//! from there: a subscription to another account's topic, or a lookup from another region, behaves as on
//! AWS. Deliveries (notifications, confirmation requests) are recorded in the region's outbox.

mod output;

use super::handler::{operations, Call, EmptyOutput, NoOutput, Style};
use super::shapes::{Listing, Members, Tag, TagsOutput};
use crate::arn::parse_arn;
use crate::error::service_errors;
use crate::model::sns::{Delivery, DeliveryKind, Subscription, SubscriptionProtocol, Topic};
use crate::model::RegionState;
use crate::pipeline::delivery::{self, encode};
use output::*;
use serde::Deserialize;
use std::collections::BTreeMap;

const STYLE: Style = Style::Query("InvalidParameter");

service_errors! {
    /// The errors SNS answers with here.
    pub enum SnsError {
        InvalidParameter = "InvalidParameter", 400;
        NotFound = "NotFound", 404;
        ResourceNotFound = "ResourceNotFound", 404;
        InvalidAction = "InvalidAction", 400;
    }
}

type Result<T> = std::result::Result<T, SnsError>;

fn invalid(what: impl std::fmt::Display) -> SnsError {
    SnsError::InvalidParameter(format!("Invalid parameter: {what}"))
}

/// Publish: 256 KiB.
const MAX_MESSAGE_BYTES: usize = 262_144;

fn not_found(what: &str) -> SnsError {
    SnsError::NotFound(format!("{what} does not exist"))
}

fn no_resource() -> SnsError {
    SnsError::ResourceNotFound("Resource does not exist".into())
}

fn bad_token() -> SnsError {
    invalid("NextToken")
}

/// The state of the region and account a topic ARN names.
fn topic_home<'c>(call: &'c mut Call<'_>, arn: &str, param: &str) -> Result<&'c mut RegionState> {
    let a = parse_arn(arn)
        .filter(|a| a.service == "sns")
        .ok_or_else(|| invalid(param))?;
    Ok(call.state.region(&a.account, &a.region))
}

operations! {
    style: STYLE,
    unknown: |op| crate::error::ApiError::from(SnsError::InvalidAction(format!(
        "The action {op} is not valid for this web service."
    )));
    "CreateTopic" => create_topic,
    "DeleteTopic" => delete_topic,
    "ListTopics" => list_topics,
    "GetTopicAttributes" => get_topic_attributes,
    "SetTopicAttributes" => set_topic_attributes,
    "Subscribe" => subscribe,
    "ConfirmSubscription" => confirm_subscription,
    "Unsubscribe" => unsubscribe,
    "ListSubscriptions" => list_subscriptions,
    "ListSubscriptionsByTopic" => list_subscriptions_by_topic,
    "GetSubscriptionAttributes" => get_subscription_attributes,
    "Publish" => publish,
    "TagResource" => tag_resource,
    "UntagResource" => untag_resource,
    "ListTagsForResource" => list_tags,
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

fn create_topic(call: &mut Call<'_>, i: CreateTopicInput) -> Result<TopicArnOutput> {
    let base = i.name.strip_suffix(".fifo").unwrap_or(&i.name);
    if base.is_empty()
        || i.name.len() > 256
        || !base
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_')
    {
        return Err(invalid("Topic Name"));
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
            return Err(invalid(
                "Attributes Reason: Topic already exists with different attributes",
            ));
        }
        return Ok(TopicArnOutput { topic_arn: arn });
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
    Ok(TopicArnOutput { topic_arn: arn })
}

#[derive(Deserialize)]
#[serde(rename_all = "PascalCase")]
struct TopicArnInput {
    topic_arn: String,
}

fn delete_topic(call: &mut Call<'_>, i: TopicArnInput) -> Result<NoOutput> {
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

fn list_topics(call: &mut Call<'_>, i: NextTokenInput) -> Result<Listing<TopicArnOutput>> {
    let topics: Vec<String> = call.region().topics.keys().cloned().collect();
    let members = Members {
        items: "Topics",
        token: "NextToken",
    };
    // ListTopics: up to 100 topics per page.
    Listing::page(
        members,
        &topics,
        i.next_token.as_deref(),
        100,
        bad_token,
        |topic_arn| TopicArnOutput { topic_arn },
    )
}

fn get_topic_attributes(call: &mut Call<'_>, i: TopicArnInput) -> Result<AttributesOutput> {
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
        crate::model::sns::default_topic_policy(&t.arn, &owner),
    );
    attrs.insert(
        "EffectiveDeliveryPolicy".into(),
        serde_json::json!({"http": {"defaultHealthyRetryPolicy": {"minDelayTarget": 20, "maxDelayTarget": 20, "numRetries": 3, "numMaxDelayRetries": 0, "numNoDelayRetries": 0, "numMinDelayRetries": 0, "backoffFunction": "linear"}, "disableSubscriptionOverrides": false}}).to_string(),
    );
    attrs.extend(t.attributes.clone());
    Ok(AttributesOutput { attributes: attrs })
}

#[derive(Deserialize)]
#[serde(rename_all = "PascalCase")]
struct SetTopicAttributesInput {
    topic_arn: String,
    attribute_name: String,
    attribute_value: Option<String>,
}

fn set_topic_attributes(call: &mut Call<'_>, i: SetTopicAttributesInput) -> Result<NoOutput> {
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
        return Err(invalid("AttributeName"));
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

fn subscribe(call: &mut Call<'_>, i: SubscribeInput) -> Result<SubscriptionArnOutput> {
    use SubscriptionProtocol as P;
    let protocol = SubscriptionProtocol::parse(&i.protocol)
        .ok_or_else(|| invalid("Amazon SNS does not support this protocol string"))?;
    let endpoint = i.endpoint.unwrap_or_default();
    let valid_endpoint = match protocol {
        P::Http => endpoint.starts_with("http://"),
        P::Https => endpoint.starts_with("https://"),
        P::Email | P::EmailJson => endpoint.contains('@'),
        P::Sqs | P::Lambda | P::Firehose | P::Application => endpoint.starts_with("arn:"),
        P::Sms => !endpoint.is_empty(),
    };
    if !valid_endpoint {
        return Err(invalid(format!(
            "{} endpoint",
            protocol.as_str().to_uppercase()
        )));
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
        .find(|s| s.topic_arn == i.topic_arn && s.protocol == protocol && s.endpoint == endpoint)
    {
        let arn = if s.confirmed || i.return_subscription_arn {
            s.arn.clone()
        } else {
            "pending confirmation".into()
        };
        return Ok(SubscriptionArnOutput {
            subscription_arn: arn,
        });
    }
    // Confirmation is needed for HTTP/S and email, and for any endpoint in another account.
    let cross_account = !protocol.needs_confirmation()
        && endpoint_account(&endpoint).is_some_and(|a| a != topic_owner);
    let confirmed = auto || !(protocol.needs_confirmation() || cross_account);
    let arn = format!("{}:{}", i.topic_arn, uuid::Uuid::new_v4());
    let token = format!("{:x}", uuid::Uuid::new_v4().as_u128())
        + &format!("{:x}", uuid::Uuid::new_v4().as_u128());
    let sub = Subscription {
        arn: arn.clone(),
        topic_arn: i.topic_arn.clone(),
        protocol,
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
        let home = parse_arn(&i.topic_arn).ok_or_else(|| invalid("TopicArn"))?;
        let confirmation = Delivery {
            kind: DeliveryKind::SubscriptionConfirmation,
            topic_arn: i.topic_arn.clone(),
            subscription_arn: None,
            protocol,
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
    Ok(SubscriptionArnOutput {
        subscription_arn: shown,
    })
}

/// One page of subscriptions (SNS lists up to 100 per page).
fn subscriptions_page(
    subs: &[&Subscription],
    token: Option<&str>,
) -> Result<Listing<SubscriptionOut>> {
    let members = Members {
        items: "Subscriptions",
        token: "NextToken",
    };
    Listing::page(members, subs, token, 100, bad_token, SubscriptionOut::from)
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

fn confirm_subscription(
    call: &mut Call<'_>,
    i: ConfirmSubscriptionInput,
) -> Result<SubscriptionArnOutput> {
    let r = topic_home(call, &i.topic_arn, "TopicArn")?;
    if !r.topics.contains_key(&i.topic_arn) {
        return Err(not_found("Topic"));
    }
    let s = r
        .subscriptions
        .iter_mut()
        .find(|s| s.topic_arn == i.topic_arn && s.token == i.token)
        .ok_or_else(|| invalid("Token"))?;
    s.confirmed = true;
    Ok(SubscriptionArnOutput {
        subscription_arn: s.arn.clone(),
    })
}

#[derive(Deserialize)]
#[serde(rename_all = "PascalCase")]
struct SubscriptionArnInput {
    subscription_arn: String,
}

fn subscription_home<'c>(call: &'c mut Call<'_>, arn: &str) -> Result<&'c mut RegionState> {
    if arn.matches(':').count() != 6 {
        return Err(invalid("SubscriptionArn"));
    }
    topic_home(call, arn, "SubscriptionArn")
}

fn unsubscribe(call: &mut Call<'_>, i: SubscriptionArnInput) -> Result<NoOutput> {
    let r = subscription_home(call, &i.subscription_arn)?;
    let before = r.subscriptions.len();
    r.subscriptions.retain(|s| s.arn != i.subscription_arn);
    if r.subscriptions.len() == before {
        return Err(not_found("Subscription"));
    }
    Ok(NoOutput)
}

fn list_subscriptions(call: &mut Call<'_>, i: NextTokenInput) -> Result<Listing<SubscriptionOut>> {
    let subs: Vec<&Subscription> = call.region().subscriptions.iter().collect();
    subscriptions_page(&subs, i.next_token.as_deref())
}

#[derive(Deserialize)]
#[serde(rename_all = "PascalCase")]
struct ListByTopicInput {
    topic_arn: String,
    next_token: Option<String>,
}

fn list_subscriptions_by_topic(
    call: &mut Call<'_>,
    i: ListByTopicInput,
) -> Result<Listing<SubscriptionOut>> {
    let r = topic_home(call, &i.topic_arn, "TopicArn")?;
    if !r.topics.contains_key(&i.topic_arn) {
        return Err(not_found("Topic"));
    }
    let subs: Vec<&Subscription> = r
        .subscriptions
        .iter()
        .filter(|s| s.topic_arn == i.topic_arn)
        .collect();
    subscriptions_page(&subs, i.next_token.as_deref())
}

fn get_subscription_attributes(
    call: &mut Call<'_>,
    i: SubscriptionArnInput,
) -> Result<AttributesOutput> {
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
    attrs.insert("Protocol".into(), s.protocol.to_string());
    attrs.insert("Endpoint".into(), s.endpoint.clone());
    attrs.insert("PendingConfirmation".into(), (!s.confirmed).to_string());
    attrs.insert(
        "ConfirmationWasAuthenticated".into(),
        s.confirmed.to_string(),
    );
    attrs.insert("RawMessageDelivery".into(), "false".into());
    attrs.extend(s.attributes.clone());
    Ok(AttributesOutput { attributes: attrs })
}

#[derive(Deserialize)]
#[serde(rename_all = "PascalCase")]
struct PublishInput {
    topic_arn: Option<String>,
    target_arn: Option<String>,
    message: String,
    subject: Option<String>,
}

fn publish(call: &mut Call<'_>, i: PublishInput) -> Result<PublishOutput> {
    let arn = i
        .topic_arn
        .or(i.target_arn)
        .ok_or_else(|| invalid("TopicArn or TargetArn Reason: no value for required parameter"))?;
    if i.message.is_empty() {
        return Err(invalid("Empty message"));
    }
    if i.message.len() > MAX_MESSAGE_BYTES {
        return Err(invalid("Message too long"));
    }
    if let Some(s) = &i.subject {
        if s.is_empty() || s.len() > 100 {
            return Err(invalid("Subject"));
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
    Ok(PublishOutput { message_id: id })
}

#[derive(Deserialize)]
#[serde(rename_all = "PascalCase")]
struct TagResourceInput {
    resource_arn: String,
    tags: Vec<Tag>,
}

/// The topic a tagging call names by `ResourceArn`.
fn tagged_topic<'c>(call: &'c mut Call<'_>, arn: &str) -> Result<&'c mut Topic> {
    let r = topic_home(call, arn, "ResourceArn")?;
    r.topics.get_mut(arn).ok_or_else(no_resource)
}

fn tag_resource(call: &mut Call<'_>, i: TagResourceInput) -> Result<EmptyOutput> {
    let t = tagged_topic(call, &i.resource_arn)?;
    t.tags.extend(i.tags.into_iter().map(|t| (t.key, t.value)));
    Ok(EmptyOutput {})
}

#[derive(Deserialize)]
#[serde(rename_all = "PascalCase")]
struct UntagResourceInput {
    resource_arn: String,
    tag_keys: Vec<String>,
}

fn untag_resource(call: &mut Call<'_>, i: UntagResourceInput) -> Result<EmptyOutput> {
    let t = tagged_topic(call, &i.resource_arn)?;
    for k in &i.tag_keys {
        t.tags.remove(k);
    }
    Ok(EmptyOutput {})
}

#[derive(Deserialize)]
#[serde(rename_all = "PascalCase")]
struct ResourceArnInput {
    resource_arn: String,
}

fn list_tags(call: &mut Call<'_>, i: ResourceArnInput) -> Result<TagsOutput> {
    Ok(TagsOutput::new(&tagged_topic(call, &i.resource_arn)?.tags))
}
