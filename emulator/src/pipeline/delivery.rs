//! SNS delivery, the pipeline's last stage: what a topic sends reaches the outbox of the topic's region,
//! and HTTP/HTTPS subscribers get a real POST once the state lock is released ([`Effects`], then
//! [`super::http`]).

use crate::arn::parse_arn;
use crate::model::sns::{Delivery, DeliveryKind};
use crate::model::{RegionState, State};

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
}

impl<'a> Effects<'a> {
    pub fn new(public_url: &'a str, auto_confirm: bool) -> Self {
        Effects {
            public_url,
            auto_confirm,
            outgoing: Vec::new(),
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

/// Delivers a message to every confirmed subscriber of a topic (recorded in the topic's outbox); returns
/// the message id. A missing topic delivers nothing, as an alarm action to a deleted topic does.
pub fn publish(
    state: &mut State,
    now: f64,
    fx: &mut Effects<'_>,
    topic_arn: &str,
    subject: Option<&str>,
    message: &str,
) -> String {
    let id = uuid::Uuid::new_v4().to_string();
    let Some(a) = parse_arn(topic_arn) else {
        return id;
    };
    let r = state.region(&a.account, &a.region);
    if !r.topics.contains_key(topic_arn) {
        return id;
    }
    let deliveries: Vec<Delivery> = r
        .subscriptions
        .iter()
        .filter(|s| s.topic_arn == topic_arn && s.confirmed)
        .map(|s| Delivery {
            kind: DeliveryKind::Notification,
            topic_arn: topic_arn.into(),
            subscription_arn: Some(s.arn.clone()),
            protocol: s.protocol,
            endpoint: s.endpoint.clone(),
            message_id: id.clone(),
            subject: subject.map(str::to_string),
            message: message.into(),
            timestamp: now,
            token: None,
            subscribe_url: None,
        })
        .collect();
    for d in deliveries {
        send(r, d, fx);
    }
    id
}

/// Percent-encodes a query-string value.
pub fn encode(v: &str) -> String {
    form_urlencoded::byte_serialize(v.as_bytes()).collect()
}
