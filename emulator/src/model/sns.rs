//! SNS's model: topics, subscriptions, and every message SNS sent (the outbox).

use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Topic {
    pub arn: String,
    pub name: String,
    #[serde(default)]
    pub attributes: BTreeMap<String, String>,
    #[serde(default)]
    pub tags: BTreeMap<String, String>,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Subscription {
    pub arn: String,
    pub topic_arn: String,
    pub protocol: String,
    pub endpoint: String,
    pub owner: String,
    pub confirmed: bool,
    pub token: String,
    #[serde(default)]
    pub attributes: BTreeMap<String, String>,
}

/// One message SNS sent (or would send) to an endpoint.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Delivery {
    pub kind: String,
    pub topic_arn: String,
    #[serde(default)]
    pub subscription_arn: Option<String>,
    pub protocol: String,
    pub endpoint: String,
    pub message_id: String,
    #[serde(default)]
    pub subject: Option<String>,
    pub message: String,
    pub timestamp: f64,
    /// For a SubscriptionConfirmation: the token and the URL that confirms it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub token: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub subscribe_url: Option<String>,
}
