//! SNS delivery, the pipeline's last stage. What a topic sends passes each confirmed subscription's filter
//! policy, then reaches the outbox of the topic's region; SQS subscribers' queues held here get the message
//! (envelope or raw) when the queue lets SNS send, and HTTP/HTTPS subscribers get a real POST once the
//! state lock is released ([`Effects`], then [`super::http`]). A FIFO topic numbers and deduplicates its
//! messages here first.

use super::queue_metrics::Activity;
use crate::access;
use crate::arn::parse_arn;
use crate::model::sns::{
    Delivery, DeliveryKind, Ordering, Publication, Subscription, SubscriptionProtocol, Topic,
};
use crate::model::sqs;
use crate::model::{RegionState, State};
use orgwatch_policy::subscription_filter::{Attribute, FilterPolicy, Scope};
use std::collections::BTreeMap;

/// What a step of the pipeline (or a handler) leaves to do once the state lock is released, and what it
/// needs to know for it.
#[derive(Debug)]
pub struct Effects<'a> {
    /// The emulator's own URL (SubscribeURL and UnsubscribeURL point at it).
    pub public_url: &'a str,
    /// Confirm HTTP/HTTPS and email subscriptions at once.
    pub auto_confirm: bool,
    /// HTTP/HTTPS deliveries to hand to the delivery worker.
    pub outgoing: Vec<Delivery>,
    /// A long poll that found nothing: ask again until a message arrives or this much time has passed
    /// (SQS ReceiveMessage's `WaitTimeSeconds`), without holding the state lock meanwhile.
    pub wait: Option<std::time::Duration>,
}

impl<'a> Effects<'a> {
    pub fn new(public_url: &'a str, auto_confirm: bool) -> Self {
        Effects {
            public_url,
            auto_confirm,
            outgoing: Vec::new(),
            wait: None,
        }
    }
}

/// Records one message SNS sends: in the outbox, and queued for a POST when the endpoint is HTTP/HTTPS.
pub fn send(r: &mut RegionState, d: Delivery, fx: &mut Effects<'_>) {
    if d.protocol.is_http() {
        fx.outgoing.push(d.clone());
    }
    r.outbox.push(d);
}

/// What publishing to a topic answers: the message id, and a FIFO topic's sequence number.
#[derive(Debug, Clone, Default)]
pub struct Published {
    pub message_id: String,
    pub sequence_number: Option<String>,
}

/// How long a FIFO topic remembers a deduplication id (AWS: five minutes).
const DEDUPLICATION_SECONDS: f64 = 300.0;

/// A FIFO topic's ordering for a new message: the next sequence number (20 digits, as AWS's) and the
/// deduplication id (given, or the body's SHA-256 under `ContentBasedDeduplication`), and whether that id
/// was seen in the last five minutes (the message is then accepted and not delivered again).
fn fifo_ordering(topic: &mut Topic, p: &Publication, now: f64) -> (Ordering, bool) {
    topic
        .deduplication
        .retain(|_, seen| now - *seen < DEDUPLICATION_SECONDS);
    let deduplication_id = p.deduplication_id.clone().unwrap_or_else(|| {
        use sha2::{Digest, Sha256};
        hex::encode(Sha256::digest(p.texts.default.as_bytes()))
    });
    topic.sequence += 1;
    // The window runs from the first sighting: a duplicate does not renew it.
    let duplicate = topic.deduplication.contains_key(&deduplication_id);
    if !duplicate {
        topic.deduplication.insert(deduplication_id.clone(), now);
    }
    let ordering = Ordering {
        group_id: p.group_id.clone(),
        deduplication_id: Some(deduplication_id),
        sequence_number: Some(format!("1{:019}", topic.sequence)),
    };
    (ordering, duplicate)
}

/// Delivers a message to every confirmed subscriber of a topic whose filter policy lets it through
/// (recorded in the topic's outbox). A missing topic delivers nothing, as an alarm action to a deleted
/// topic does.
pub fn publish(
    state: &mut State,
    now: f64,
    fx: &mut Effects<'_>,
    topic_arn: &str,
    p: &Publication,
) -> Published {
    let mut out = Published {
        message_id: uuid::Uuid::new_v4().to_string(),
        sequence_number: None,
    };
    let Some(a) = parse_arn(topic_arn) else {
        return out;
    };
    let r = state.region(&a.account, &a.region);
    let Some(topic) = r.topics.get_mut(topic_arn) else {
        return out;
    };
    let ordering = if topic.is_fifo() {
        let (o, duplicate) = fifo_ordering(topic, p, now);
        out.sequence_number.clone_from(&o.sequence_number);
        if duplicate {
            return out;
        }
        o
    } else {
        Ordering {
            group_id: p.group_id.clone(),
            ..Ordering::default()
        }
    };
    let subscribers: Vec<Subscription> = r
        .subscriptions
        .iter()
        .filter(|s| s.topic_arn == topic_arn && s.confirmed)
        .cloned()
        .collect();
    for s in subscribers {
        let text = p.texts.for_protocol(s.protocol);
        if !passes_filter(&s, text, &p.attributes) {
            continue;
        }
        let mut d = Delivery {
            kind: DeliveryKind::Notification,
            topic_arn: topic_arn.into(),
            subscription_arn: Some(s.arn.clone()),
            protocol: s.protocol,
            endpoint: s.endpoint.clone(),
            message_id: out.message_id.clone(),
            subject: p.subject.clone(),
            message: text.into(),
            timestamp: now,
            token: None,
            subscribe_url: None,
            attributes: p.attributes.clone(),
            failure: None,
            ordering: ordering.clone(),
        };
        if s.protocol == SubscriptionProtocol::Sqs {
            d.failure = to_queue(state, &s, &d, fx.public_url, now).err();
        }
        send(state.region(&a.account, &a.region), d, fx);
    }
    out
}

/// Publishes straight to one endpoint (Publish's `TargetArn` naming a mobile endpoint, or `PhoneNumber`):
/// one delivery in the outbox of the caller's region, its `topic_arn` the target published to.
pub fn publish_direct(
    r: &mut RegionState,
    now: f64,
    fx: &mut Effects<'_>,
    (protocol, target): (SubscriptionProtocol, &str),
    p: &Publication,
) -> String {
    let id = uuid::Uuid::new_v4().to_string();
    let d = Delivery {
        kind: DeliveryKind::Notification,
        topic_arn: target.into(),
        subscription_arn: None,
        protocol,
        endpoint: target.into(),
        message_id: id.clone(),
        subject: p.subject.clone(),
        message: p.texts.for_protocol(protocol).into(),
        timestamp: now,
        token: None,
        subscribe_url: None,
        attributes: p.attributes.clone(),
        failure: None,
        ordering: Ordering::default(),
    };
    send(r, d, fx);
    id
}

/// Whether a subscription's filter policy lets a message through (no policy lets everything through).
/// The policy was validated when it was set; a policy that no longer compiles lets nothing through.
fn passes_filter(
    s: &Subscription,
    message: &str,
    attributes: &BTreeMap<String, sqs::MessageAttribute>,
) -> bool {
    let Some(text) = s.attributes.get("FilterPolicy").filter(|p| !p.is_empty()) else {
        return true;
    };
    let scope = Scope::from_attribute(s.attributes.get("FilterPolicyScope").map(String::as_str));
    match FilterPolicy::compile(text, scope) {
        Ok(policy) if scope == Scope::MessageBody => policy.matches_body(message),
        Ok(policy) => policy.matches_attributes(attributes.iter().map(|(name, a)| {
            let a = Attribute {
                data_type: &a.data_type,
                string_value: a.string_value.as_deref(),
            };
            (name.as_str(), a)
        })),
        Err(_) => false,
    }
}

/// Puts a notification in the SQS queue a subscription names: SNS's JSON envelope, or the message alone
/// when the subscription has `RawMessageDelivery` set. A queue this emulator does not hold is an endpoint
/// outside it (as an email address is): the outbox alone records the message. A queue it holds takes the
/// message only if its policy and key let SNS send ([`access::sns_to_queue`]); otherwise the refusal is
/// the delivery's `failure` and the queue stays empty, as on AWS.
fn to_queue(
    state: &mut State,
    s: &Subscription,
    d: &Delivery,
    public_url: &str,
    now: f64,
) -> Result<(), String> {
    let Some(q) = parse_arn(&s.endpoint).filter(|q| q.service == "sqs") else {
        return Ok(());
    };
    let url = sqs::queue_url(&q.region, &q.account, &q.resource);
    let Some(queue) = state
        .accounts
        .get(&q.account)
        .and_then(|acc| acc.regions.get(&q.region))
        .and_then(|r| r.queues.get(&q.resource))
    else {
        return Ok(());
    };
    access::sns_to_queue(state, &s.topic_arn, queue, &url)?;
    let raw = s
        .attributes
        .get("RawMessageDelivery")
        .is_some_and(|v| v.eq_ignore_ascii_case("true"));
    let (body, attributes) = if raw {
        (d.message.clone(), d.attributes.clone())
    } else {
        (super::envelope::body(d, public_url), BTreeMap::new())
    };
    let queue = state
        .region(&q.account, &q.region)
        .queues
        .get_mut(&q.resource)
        .ok_or_else(|| format!("The queue {url} does not exist."))?;
    if body.len() as u64 > queue.number("MaximumMessageSize") {
        return Err(format!(
            "InvalidParameterValue: the message is longer than the queue's MaximumMessageSize ({url})."
        ));
    }
    // A FIFO queue needs a group and a deduplication id: the topic's when it gave them; otherwise (an
    // alarm's notification) the topic ARN and the message id. A standard queue keeps the group a standard
    // topic was given, not a FIFO topic's (both recorded).
    let from_fifo_topic = d.ordering.sequence_number.is_some();
    let group_id = if queue.is_fifo() {
        Some(
            d.ordering
                .group_id
                .clone()
                .unwrap_or_else(|| d.topic_arn.clone()),
        )
    } else {
        d.ordering.group_id.clone().filter(|_| !from_fifo_topic)
    };
    let deduplication_id = queue.is_fifo().then(|| {
        d.ordering
            .deduplication_id
            .clone()
            .unwrap_or_else(|| d.message_id.clone())
    });
    let bytes = sqs::message_size(&body, &attributes);
    queue.enqueue(
        sqs::Outgoing {
            body,
            attributes,
            sender_id: sqs::SNS_SENDER_ID.into(),
            group_id,
            deduplication_id,
            ..sqs::Outgoing::default()
        },
        now,
    );
    let region = state.region(&q.account, &q.region);
    super::queue_metrics::record(region, &q.resource, Activity::Sent { bytes }, now);
    Ok(())
}
