//! SNS (`sns`, AWS Query with XML responses).
//!
//! A topic lives in the account and region of its ARN, so every call that names a topic by ARN is served
//! from there: a subscription to another account's topic behaves as on AWS, and an ARN of another region
//! is refused, as AWS refuses it. Deliveries (notifications, confirmation requests) are recorded in the region's outbox.

mod message;
mod mobile;
mod output;
mod shared;
mod sms;

use super::handler::{operations, Call, EmptyOutput, NoOutput, Style};
use super::shapes::{Listing, Members, Tag, TagsOutput};
use crate::arn::parse_arn;
use crate::model::sns::{
    Delivery, DeliveryKind, MessageTexts, PlatformEndpoint, Publication, Subscription,
    SubscriptionProtocol, Topic,
};
use crate::model::sqs::MessageAttribute;
use crate::model::RegionState;
use crate::pipeline::delivery;
use crate::pipeline::envelope::encode;
use message::{check_message, message_size, message_texts, MAX_MESSAGE_BYTES};
use orgwatch_policy::subscription_filter::{FilterPolicy, Scope};
use output::*;
use serde::Deserialize;
use shared::{arn_home, bad_token, invalid, no_resource, not_found, Result, SnsError};
use std::collections::BTreeMap;

const STYLE: Style = Style::Query("InvalidParameter");

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
    "SetSubscriptionAttributes" => set_subscription_attributes,
    "Publish" => publish,
    "PublishBatch" => publish_batch,
    "AddPermission" => add_permission,
    "RemovePermission" => remove_permission,
    "TagResource" => tag_resource,
    "UntagResource" => untag_resource,
    "ListTagsForResource" => list_tags,
    "CreatePlatformApplication" => mobile::create_platform_application,
    "GetPlatformApplicationAttributes" => mobile::get_platform_application_attributes,
    "SetPlatformApplicationAttributes" => mobile::set_platform_application_attributes,
    "ListPlatformApplications" => mobile::list_platform_applications,
    "DeletePlatformApplication" => mobile::delete_platform_application,
    "CreatePlatformEndpoint" => mobile::create_platform_endpoint,
    "GetEndpointAttributes" => mobile::get_endpoint_attributes,
    "SetEndpointAttributes" => mobile::set_endpoint_attributes,
    "ListEndpointsByPlatformApplication" => mobile::list_endpoints_by_platform_application,
    "DeleteEndpoint" => mobile::delete_endpoint,
    "SetSMSAttributes" => sms::set_sms_attributes,
    "GetSMSAttributes" => sms::get_sms_attributes,
    "CheckIfPhoneNumberIsOptedOut" => sms::check_if_phone_number_is_opted_out,
    "OptInPhoneNumber" => sms::opt_in_phone_number,
    "ListPhoneNumbersOptedOut" => sms::list_phone_numbers_opted_out,
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
    let fifo = i
        .attributes
        .get("FifoTopic")
        .is_some_and(|v| v.eq_ignore_ascii_case("true"));
    // A FIFO topic's name ends in `.fifo`, and only a FIFO topic's does (recorded: both are "Topic Name").
    if base.is_empty()
        || i.name.len() > 256
        || fifo != i.name.ends_with(".fifo")
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
        // `FifoTopic` `false` is what a standard topic has, set or not (recorded).
        let differs = i.attributes.iter().any(|(k, v)| {
            let current = t.attributes.get(k).map(String::as_str);
            let current = current.or((k == "FifoTopic").then_some("false"));
            current != Some(v.as_str())
        });
        if differs {
            return Err(invalid(
                "Attributes Reason: Topic already exists with different attributes",
            ));
        }
        // Tags given again must be the topic's (AWS: "Topic already exists with different tags").
        if i.tags
            .iter()
            .any(|tag| t.tags.get(&tag.key) != Some(&tag.value))
        {
            return Err(invalid(
                "Tags Reason: Topic already exists with different tags",
            ));
        }
        return Ok(TopicArnOutput { topic_arn: arn });
    }
    let tags = i.tags.into_iter().map(|t| (t.key, t.value)).collect();
    let mut attributes = i.attributes;
    // A standard topic does not list `FifoTopic` (recorded), even when created with `false`.
    if !fifo {
        attributes.remove("FifoTopic");
    }
    r.topics.insert(
        arn.clone(),
        Topic {
            arn: arn.clone(),
            name: i.name,
            attributes,
            tags,
            sequence: 0,
            deduplication: BTreeMap::new(),
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
    let r = arn_home(call, &i.topic_arn, "TopicArn")?;
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
    let r = arn_home(call, &i.topic_arn, "TopicArn")?;
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
        serde_json::json!({"http": {"defaultHealthyRetryPolicy": {"minDelayTarget": 20, "maxDelayTarget": 20, "numRetries": 3, "numMaxDelayRetries": 0, "numNoDelayRetries": 0, "numMinDelayRetries": 0, "backoffFunction": "linear"}, "disableSubscriptionOverrides": false, "defaultRequestPolicy": {"headerContentType": "text/plain; charset=UTF-8"}}}).to_string(),
    );
    if t.name.ends_with(".fifo") {
        attrs.insert("ContentBasedDeduplication".into(), "false".into());
    }
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
    let r = arn_home(call, &i.topic_arn, "TopicArn")?;
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

/// An SMS endpoint: digits with an optional leading `+`, single `/`, `-` or `.` between digits
/// (recorded: `+12/34-567.890` is taken; `+15--551234567`, `+15551234567.`, `/+15551234567` are not).
fn is_phone_number(s: &str) -> bool {
    let digits = s.strip_prefix('+').unwrap_or(s);
    !digits.is_empty()
        && digits
            .split(['/', '-', '.'])
            .all(|part| !part.is_empty() && part.chars().all(|c| c.is_ascii_digit()))
}

fn subscribe(call: &mut Call<'_>, i: SubscribeInput) -> Result<SubscriptionArnOutput> {
    use SubscriptionProtocol as P;
    let protocol = SubscriptionProtocol::parse(&i.protocol).ok_or_else(|| {
        invalid(format!(
            "Amazon SNS does not support this protocol string: {}",
            i.protocol
        ))
    })?;
    let endpoint = i.endpoint.unwrap_or_default();
    let valid_endpoint = match protocol {
        P::Http => endpoint.starts_with("http://"),
        P::Https => endpoint.starts_with("https://"),
        P::Email | P::EmailJson => endpoint.contains('@'),
        P::Sqs | P::Lambda | P::Firehose | P::Application => endpoint.starts_with("arn:"),
        P::Sms => {
            if !is_phone_number(&endpoint) {
                return Err(SnsError::InvalidParameter(format!(
                    "Invalid SMS endpoint: {endpoint}"
                )));
            }
            true
        }
    };
    if !valid_endpoint {
        // SQS names what it wanted: an ARN (recorded for a queue URL and a bad ARN).
        let what = if protocol == P::Sqs { " ARN" } else { "" };
        return Err(invalid(format!(
            "{} endpoint{what}",
            protocol.as_str().to_uppercase()
        )));
    }
    for (k, v) in &i.attributes {
        check_subscription_attribute(k, v, true)?;
    }
    check_filter_policy(
        i.attributes.get("FilterPolicy").map(String::as_str),
        i.attributes.get("FilterPolicyScope").map(String::as_str),
        true,
    )?;
    let attributes = kept_attributes(i.attributes);
    let (caller, auto) = (call.ctx.account.clone(), call.fx.auto_confirm);
    let topic_owner = parse_arn(&i.topic_arn)
        .map(|a| a.account)
        .unwrap_or_default();
    let now = call.now();
    let r = arn_home(call, &i.topic_arn, "TopicArn")?;
    let Some(topic) = r.topics.get(&i.topic_arn) else {
        return Err(not_found("Topic"));
    };
    // A FIFO queue takes only a FIFO topic's messages (a FIFO topic takes any queue; recorded).
    if protocol == P::Sqs && endpoint.ends_with(".fifo") && !topic.is_fifo() {
        return Err(invalid(
            "Invalid parameter: Endpoint Reason: FIFO SQS Queues can not be subscribed to standard SNS topics",
        ));
    }
    if let Some(s) = r
        .subscriptions
        .iter()
        .find(|s| s.topic_arn == i.topic_arn && s.protocol == protocol && s.endpoint == endpoint)
    {
        // Subscribing again is idempotent only with the same attributes; a default counts as given.
        let current = |k: &str| {
            s.attributes.get(k).map(String::as_str).or(match k {
                "RawMessageDelivery" => Some("false"),
                "FilterPolicyScope" => Some("MessageAttributes"),
                _ => None,
            })
        };
        if attributes
            .iter()
            .any(|(k, v)| current(k) != Some(v.as_str()))
        {
            return Err(invalid(
                "Attributes Reason: Subscription already exists with different attributes",
            ));
        }
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
        principal: Some(crate::context::caller_arn(&caller)),
        owner: caller,
        confirmed,
        token: token.clone(),
        attributes,
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
            attributes: BTreeMap::new(),
            failure: None,
            ordering: Default::default(),
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
    // A token is hex of at least 32 characters ("Invalid token" otherwise); one SNS never issued for this
    // topic, or for a topic that does not exist, is "Invalid parameter: Token" (recorded).
    if i.token.len() < 32 || !i.token.chars().all(|c| c.is_ascii_hexdigit()) {
        return Err(SnsError::InvalidParameter("Invalid token".into()));
    }
    let r = arn_home(call, &i.topic_arn, "TopicArn")?;
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
    #[serde(default)]
    subscription_arn: String,
}

/// The state a subscription ARN names: `arn:aws:sns:<region>:<account>:<topic>:<id>` (AWS's reasons for
/// shorter ones, recorded).
fn subscription_home<'c>(call: &'c mut Call<'_>, arn: &str) -> Result<&'c mut RegionState> {
    if arn.is_empty() {
        return Err(invalid(
            "SubscriptionArn Reason: no value for required parameter",
        ));
    }
    let parts = arn.split(':').count();
    if parts < 6 {
        return Err(invalid(format!(
            "SubscriptionArn Reason: An ARN must have at least 6 elements, not {parts}"
        )));
    }
    if parts != 7 {
        return Err(invalid("SubscriptionId"));
    }
    arn_home(call, arn, "SubscriptionArn")
}

fn unsubscribe(call: &mut Call<'_>, i: SubscriptionArnInput) -> Result<NoOutput> {
    // Unsubscribing what is already gone succeeds (recorded: Unsubscribe is idempotent).
    let r = subscription_home(call, &i.subscription_arn)?;
    r.subscriptions.retain(|s| s.arn != i.subscription_arn);
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
    let r = arn_home(call, &i.topic_arn, "TopicArn")?;
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
    if let Some(p) = &s.principal {
        attrs.insert("SubscriptionPrincipal".into(), p.clone());
    }
    attrs.extend(s.attributes.clone());
    // The scope is shown only beside a policy (recorded: set alone, it is kept but not listed).
    if attrs.contains_key("FilterPolicy") {
        attrs
            .entry("FilterPolicyScope".into())
            .or_insert_with(|| "MessageAttributes".into());
    } else {
        attrs.remove("FilterPolicyScope");
    }
    Ok(AttributesOutput { attributes: attrs })
}

/// The attributes a subscription may be given (Subscribe's `Attributes`, SetSubscriptionAttributes).
const SUBSCRIPTION_ATTRIBUTES: &[&str] = &[
    "DeliveryPolicy",
    "FilterPolicy",
    "FilterPolicyScope",
    "RawMessageDelivery",
    "RedrivePolicy",
    "SubscriptionRoleArn",
    "ReplayPolicy",
];

/// Checks one subscription attribute as SNS does. Subscribe's refusals name `Attributes Reason:` first,
/// SetSubscriptionAttributes' do not (recorded).
fn check_subscription_attribute(name: &str, value: &str, in_subscribe: bool) -> Result<()> {
    if !SUBSCRIPTION_ATTRIBUTES.contains(&name) {
        return Err(invalid("AttributeName"));
    }
    let prefix = if in_subscribe {
        "Attributes Reason: "
    } else {
        ""
    };
    let json = serde_json::from_str::<serde_json::Value>(value);
    let reason = match name {
        "RawMessageDelivery" if !matches!(value.to_ascii_lowercase().as_str(), "true" | "false") => {
            format!("RawMessageDelivery: Invalid value [{value}]. Must be true or false.")
        }
        "FilterPolicyScope" if value != "MessageAttributes" && value != "MessageBody" => format!(
            "FilterPolicyScope: Invalid value [{value}]. Please use either MessageBody or MessageAttributes"
        ),
        "DeliveryPolicy" | "RedrivePolicy"
            if !value.is_empty() && !json.as_ref().is_ok_and(|v| v.is_object()) =>
        {
            format!("{name}: failed to parse JSON.")
        }
        "RedrivePolicy" if !value.is_empty() => {
            let target = json
                .as_ref()
                .ok()
                .and_then(|v| v.get("deadLetterTargetArn"))
                .and_then(|v| v.as_str());
            if target.is_some_and(|t| parse_arn(t).is_some()) {
                return Ok(());
            }
            "RedrivePolicy: deadLetterTargetArn is an invalid arn".to_string()
        }
        _ => return Ok(()),
    };
    Err(invalid(format!("{prefix}{reason}")))
}

/// Checks a subscription's filter policy for the scope it will be read in (Subscribe and
/// SetSubscriptionAttributes give their refusals different prefixes, as [`check_subscription_attribute`]).
fn check_filter_policy(
    policy: Option<&str>,
    scope: Option<&str>,
    in_subscribe: bool,
) -> Result<()> {
    let Some(policy) = policy.filter(|p| !p.is_empty()) else {
        return Ok(());
    };
    FilterPolicy::compile(policy, Scope::from_attribute(scope)).map_err(|r| {
        let prefix = if in_subscribe {
            "Attributes Reason: "
        } else {
            ""
        };
        invalid(format!("{prefix}{}", r.reason()))
    })?;
    Ok(())
}

/// A subscription's attributes as SNS keeps them: `RawMessageDelivery` in lower case, and an empty
/// `FilterPolicy` (with its scope) dropped; a filter policy's scope defaults to `MessageAttributes`.
fn kept_attributes(mut a: BTreeMap<String, String>) -> BTreeMap<String, String> {
    if let Some(v) = a.get_mut("RawMessageDelivery") {
        *v = v.to_ascii_lowercase();
    }
    if a.get("FilterPolicy").is_some_and(String::is_empty) {
        a.remove("FilterPolicy");
        a.remove("FilterPolicyScope");
    }
    if a.contains_key("FilterPolicy") && !a.contains_key("FilterPolicyScope") {
        a.insert("FilterPolicyScope".into(), "MessageAttributes".into());
    }
    a
}

#[derive(Deserialize)]
#[serde(rename_all = "PascalCase")]
struct SetSubscriptionAttributesInput {
    subscription_arn: String,
    attribute_name: String,
    attribute_value: Option<String>,
}

fn set_subscription_attributes(
    call: &mut Call<'_>,
    i: SetSubscriptionAttributesInput,
) -> Result<NoOutput> {
    let value = i.attribute_value.unwrap_or_default();
    check_subscription_attribute(&i.attribute_name, &value, false)?;
    let r = subscription_home(call, &i.subscription_arn)?;
    let s = r
        .subscriptions
        .iter_mut()
        .find(|s| s.arn == i.subscription_arn)
        .ok_or_else(|| not_found("Subscription"))?;
    if i.attribute_name == "RawMessageDelivery"
        && !matches!(
            s.protocol,
            SubscriptionProtocol::Sqs
                | SubscriptionProtocol::Http
                | SubscriptionProtocol::Https
                | SubscriptionProtocol::Firehose
        )
    {
        return Err(invalid(
            "Attributes Reason: RawMessageDelivery: Invalid value [true]. Raw message delivery is only supported for SQS, HTTP/S and Firehose endpoints",
        ));
    }
    // A FIFO queue subscribed to a FIFO topic needs a FIFO dead-letter queue (recorded).
    if i.attribute_name == "RedrivePolicy"
        && s.protocol == SubscriptionProtocol::Sqs
        && s.endpoint.ends_with(".fifo")
    {
        let dlq = serde_json::from_str::<serde_json::Value>(&value)
            .ok()
            .and_then(|v| v["deadLetterTargetArn"].as_str().map(str::to_string));
        if dlq.is_some_and(|d| !d.ends_with(".fifo")) {
            return Err(invalid(
                "RedrivePolicy: must use a FIFO queue as DLQ for a FIFO Subscription to a FIFO Topic.",
            ));
        }
    }
    // A policy is read in the scope it will be applied in: the one kept, or the one being set.
    let kept = |k: &str| s.attributes.get(k).map(String::as_str);
    match i.attribute_name.as_str() {
        "FilterPolicy" => check_filter_policy(Some(&value), kept("FilterPolicyScope"), false)?,
        "FilterPolicyScope" => check_filter_policy(kept("FilterPolicy"), Some(&value), false)?,
        _ => {}
    }
    if value.is_empty() && i.attribute_name != "RawMessageDelivery" {
        s.attributes.remove(&i.attribute_name);
    } else {
        let value = if i.attribute_name == "RawMessageDelivery" {
            value.to_ascii_lowercase()
        } else {
            value
        };
        s.attributes.insert(i.attribute_name, value);
    }
    Ok(NoOutput)
}

#[derive(Deserialize)]
#[serde(rename_all = "PascalCase")]
struct PublishInput {
    topic_arn: Option<String>,
    target_arn: Option<String>,
    phone_number: Option<String>,
    message_group_id: Option<String>,
    message_deduplication_id: Option<String>,
    message: String,
    subject: Option<String>,
    message_structure: Option<String>,
    #[serde(default)]
    message_attributes: BTreeMap<String, MessageAttribute>,
}

/// A FIFO topic wants a group and, without content-based deduplication, a deduplication id; a standard
/// topic takes a group but no deduplication id (recorded, in this order).
fn check_ordering(topic: &Topic, group: Option<&str>, dedup: Option<&str>) -> Result<()> {
    if topic.is_fifo() {
        if group.is_none() {
            return Err(invalid(
                "The MessageGroupId parameter is required for FIFO topics",
            ));
        }
        if dedup.is_none() && !topic.content_based_deduplication() {
            return Err(invalid("The topic should either have ContentBasedDeduplication enabled or MessageDeduplicationId provided explicitly"));
        }
    } else if dedup.is_some() {
        return Err(invalid("MessageDeduplicationId Reason: The request includes MessageDeduplicationId parameter that is not valid for this topic type"));
    }
    Ok(())
}

fn publish(call: &mut Call<'_>, i: PublishInput) -> Result<PublishOutput> {
    check_message(
        &i.message,
        i.subject.as_deref(),
        &i.message_attributes,
        "messageAttributes",
    )?;
    let mut p = Publication {
        subject: i.subject,
        texts: MessageTexts::default(),
        attributes: i.message_attributes,
        group_id: i.message_group_id,
        deduplication_id: i.message_deduplication_id,
    };
    if let (None, None, Some(number)) = (&i.topic_arn, &i.target_arn, &i.phone_number) {
        if !sms::is_e164(number) {
            return Err(invalid(format!(
                "PhoneNumber Reason: {number} is not valid to publish to"
            )));
        }
        p.texts = message_texts(&i.message, i.message_structure.as_deref())?;
        let now = call.now();
        let r = call.state.region(&call.ctx.account, &call.ctx.region);
        let target = (SubscriptionProtocol::Sms, number.as_str());
        let id = delivery::publish_direct(r, now, &mut call.fx, target, &p);
        return Ok(PublishOutput::of(id));
    }
    let by_target = i.topic_arn.is_none() && i.target_arn.is_some();
    let arn = i
        .topic_arn
        .or(i.target_arn)
        .ok_or_else(|| invalid("TopicArn or TargetArn Reason: no value for required parameter"))?;
    let param = if by_target { "TargetArn" } else { "TopicArn" };
    let now = call.now();
    arn_home(call, &arn, param)?;
    let home = parse_arn(&arn)
        .map(|a| (a.account, a.region))
        .unwrap_or_default();
    let r = call.state.region(&home.0, &home.1);
    let disabled = |e: &PlatformEndpoint| e.attributes.get("Enabled").is_some_and(|v| v == "false");
    // A disabled endpoint is refused before its message is read (recorded).
    if r.platform_endpoints.get(&arn).is_some_and(disabled) {
        return Err(SnsError::EndpointDisabled("Endpoint is disabled".into()));
    }
    p.texts = message_texts(&i.message, i.message_structure.as_deref())?;
    if by_target && r.platform_endpoints.contains_key(&arn) {
        let target = (SubscriptionProtocol::Application, arn.as_str());
        let id = delivery::publish_direct(r, now, &mut call.fx, target, &p);
        return Ok(PublishOutput::of(id));
    }
    let Some(topic) = r.topics.get(&arn) else {
        return Err(if by_target {
            invalid("TargetArn Reason: No endpoint found for the target arn specified")
        } else {
            not_found("Topic")
        });
    };
    check_ordering(topic, p.group_id.as_deref(), p.deduplication_id.as_deref())?;
    let published = delivery::publish(call.state, now, &mut call.fx, &arn, &p);
    Ok(PublishOutput {
        message_id: published.message_id,
        sequence_number: published.sequence_number,
    })
}

#[derive(Deserialize)]
#[serde(rename_all = "PascalCase")]
struct PublishBatchEntry {
    id: String,
    message: String,
    subject: Option<String>,
    message_structure: Option<String>,
    message_group_id: Option<String>,
    message_deduplication_id: Option<String>,
    #[serde(default)]
    message_attributes: BTreeMap<String, MessageAttribute>,
}

#[derive(Deserialize)]
#[serde(rename_all = "PascalCase")]
struct PublishBatchInput {
    topic_arn: String,
    #[serde(default)]
    publish_batch_request_entries: Vec<PublishBatchEntry>,
}

fn publish_batch(call: &mut Call<'_>, i: PublishBatchInput) -> Result<PublishBatchOutput> {
    let n = i.publish_batch_request_entries.len();
    if n == 0 {
        return Err(SnsError::EmptyBatchRequest(
            "The batch request doesn't contain any entries".into(),
        ));
    }
    if n > 10 {
        return Err(SnsError::TooManyEntriesInBatchRequest(
            "The batch request contains more entries than permissible.".into(),
        ));
    }
    // An entry's Id: at most 80 letters, digits, hyphens and underscores (recorded).
    for e in &i.publish_batch_request_entries {
        if e.id.len() > 80 {
            return Err(SnsError::InvalidBatchEntryId(format!(
                "The Id of a batch entry in the batch request is too long: {}",
                e.id
            )));
        }
        if !e
            .id
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_')
        {
            return Err(SnsError::InvalidBatchEntryId(format!(
                "The Id of a batch entry in the batch request contains an impermissible character: {}",
                e.id
            )));
        }
    }
    let mut ids = std::collections::BTreeSet::new();
    if !i
        .publish_batch_request_entries
        .iter()
        .all(|e| ids.insert(e.id.as_str()))
    {
        return Err(SnsError::BatchEntryIdsNotDistinct(
            "Two or more batch entries in the request have the same Id.".into(),
        ));
    }
    let total: usize = i
        .publish_batch_request_entries
        .iter()
        .map(|e| message_size(&e.message, &e.message_attributes))
        .sum();
    if total > MAX_MESSAGE_BYTES {
        return Err(SnsError::BatchRequestTooLong(
            "The length of all the messages put together is more than the limit.".into(),
        ));
    }
    let topic = arn_home(call, &i.topic_arn, "TopicArn")?
        .topics
        .get(&i.topic_arn)
        .ok_or_else(|| not_found("Topic"))?;
    // An entry refused refuses the whole batch (recorded: attributes, structure, group, deduplication).
    let mut texts = Vec::with_capacity(n);
    for (k, e) in i.publish_batch_request_entries.iter().enumerate() {
        let path = format!(
            "publishBatchRequestEntries.{}.member.messageAttributes",
            k + 1
        );
        check_message(
            &e.message,
            e.subject.as_deref(),
            &e.message_attributes,
            &path,
        )?;
        texts.push(message_texts(&e.message, e.message_structure.as_deref())?);
        check_ordering(
            topic,
            e.message_group_id.as_deref(),
            e.message_deduplication_id.as_deref(),
        )?;
    }
    let now = call.now();
    let mut out = PublishBatchOutput {
        successful: Vec::new(),
        failed: Vec::new(),
    };
    for (e, texts) in i.publish_batch_request_entries.into_iter().zip(texts) {
        let p = Publication {
            subject: e.subject,
            texts,
            attributes: e.message_attributes,
            group_id: e.message_group_id,
            deduplication_id: e.message_deduplication_id,
        };
        let published = delivery::publish(call.state, now, &mut call.fx, &i.topic_arn, &p);
        out.successful.push(PublishBatchResultEntry {
            id: e.id,
            message_id: published.message_id,
            sequence_number: published.sequence_number,
        });
    }
    Ok(out)
}

#[derive(Deserialize)]
struct AddPermissionInput {
    #[serde(rename = "TopicArn")]
    topic_arn: String,
    #[serde(rename = "Label")]
    label: String,
    #[serde(rename = "AWSAccountId")]
    accounts: Vec<String>,
    #[serde(rename = "ActionName")]
    actions: Vec<String>,
}

/// The topic's policy as a document: the one set, or SNS's default.
fn topic_policy(t: &Topic, owner: &str) -> serde_json::Value {
    let text = t
        .attributes
        .get("Policy")
        .cloned()
        .unwrap_or_else(|| crate::model::sns::default_topic_policy(&t.arn, owner));
    serde_json::from_str(&text).unwrap_or_else(|_| serde_json::json!({"Statement": []}))
}

/// The policy's statements (a lone statement object counts as one), taken out of it.
fn take_statements(policy: &mut serde_json::Value) -> Vec<serde_json::Value> {
    match policy["Statement"].take() {
        serde_json::Value::Array(a) => a,
        serde_json::Value::Null => Vec::new(),
        one => vec![one],
    }
}

/// Changes the statements of a topic's policy (SNS's default one when it has none) and stores the result.
fn edit_policy(
    call: &mut Call<'_>,
    topic_arn: &str,
    edit: impl FnOnce(&mut Vec<serde_json::Value>) -> Result<()>,
) -> Result<NoOutput> {
    let owner = parse_arn(topic_arn).map(|a| a.account).unwrap_or_default();
    let r = arn_home(call, topic_arn, "TopicArn")?;
    let t = r
        .topics
        .get_mut(topic_arn)
        .ok_or_else(|| not_found("Topic"))?;
    let mut policy = topic_policy(t, &owner);
    let mut list = take_statements(&mut policy);
    edit(&mut list)?;
    policy["Statement"] = list.into();
    t.attributes.insert("Policy".into(), policy.to_string());
    Ok(NoOutput)
}

/// One value or a list, as a policy writes a single principal or action.
fn one_or_many(mut items: Vec<String>) -> serde_json::Value {
    if items.len() == 1 {
        items.remove(0).into()
    } else {
        items.into()
    }
}

/// The SNS actions a topic policy statement may grant (IAM's service authorization reference, topic resources).
const TOPIC_ACTIONS: &[&str] = &[
    "AddPermission",
    "ConfirmSubscription",
    "DeleteTopic",
    "GetDataProtectionPolicy",
    "GetTopicAttributes",
    "ListSubscriptionsByTopic",
    "ListTagsForResource",
    "Publish",
    "PutDataProtectionPolicy",
    "Receive",
    "RemovePermission",
    "SetTopicAttributes",
    "Subscribe",
    "TagResource",
    "UntagResource",
];

/// AddPermission: a statement labelled `Label` that lets the accounts use the actions on the topic.
fn add_permission(call: &mut Call<'_>, i: AddPermissionInput) -> Result<NoOutput> {
    if i.accounts.is_empty() {
        return Err(invalid("AWSAccountId"));
    }
    if i.actions.is_empty() {
        return Err(invalid("ActionName"));
    }
    if !i
        .actions
        .iter()
        .all(|a| TOPIC_ACTIONS.contains(&a.as_str()))
    {
        return Err(invalid("Policy statement action out of service scope!"));
    }
    let statement = serde_json::json!({
        "Sid": i.label,
        "Effect": "Allow",
        "Principal": {"AWS": one_or_many(i.accounts.iter().map(|a| format!("arn:aws:iam::{a}:root")).collect())},
        "Action": one_or_many(i.actions.iter().map(|a| format!("SNS:{a}")).collect()),
        "Resource": i.topic_arn,
    });
    edit_policy(call, &i.topic_arn, |list| {
        if list.iter().any(|s| s["Sid"] == i.label.as_str()) {
            return Err(invalid("Statement already exists"));
        }
        list.push(statement);
        Ok(())
    })
}

#[derive(Deserialize)]
#[serde(rename_all = "PascalCase")]
struct RemovePermissionInput {
    topic_arn: String,
    label: String,
}

fn remove_permission(call: &mut Call<'_>, i: RemovePermissionInput) -> Result<NoOutput> {
    edit_policy(call, &i.topic_arn, |list| {
        let before = list.len();
        list.retain(|s| s["Sid"] != i.label.as_str());
        if list.len() == before {
            return Err(invalid("Statement does not exist"));
        }
        Ok(())
    })
}

#[derive(Deserialize)]
#[serde(rename_all = "PascalCase")]
struct TagResourceInput {
    resource_arn: String,
    tags: Vec<Tag>,
}

/// The topic a tagging call names by `ResourceArn`.
fn tagged_topic<'c>(call: &'c mut Call<'_>, arn: &str) -> Result<&'c mut Topic> {
    let r = arn_home(call, arn, "ResourceArn")?;
    r.topics.get_mut(arn).ok_or_else(no_resource)
}

fn tag_resource(call: &mut Call<'_>, i: TagResourceInput) -> Result<EmptyOutput> {
    let mut keys = std::collections::BTreeSet::new();
    if !i.tags.iter().all(|t| keys.insert(t.key.as_str())) {
        return Err(invalid("Duplicated keys are not allowed."));
    }
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
