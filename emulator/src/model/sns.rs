//! SNS's model: topics, subscriptions, and every message SNS sent (the outbox).

use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

aws_enum!(
    /// The protocols SNS accepts for a subscription.
    SubscriptionProtocol {
        Http = "http",
        Https = "https",
        Email = "email",
        EmailJson = "email-json",
        Sms = "sms",
        Sqs = "sqs",
        Application = "application",
        Lambda = "lambda",
        Firehose = "firehose",
    }
);

impl SubscriptionProtocol {
    /// HTTP/S and email endpoints must confirm a subscription before they receive messages.
    pub fn needs_confirmation(self) -> bool {
        matches!(
            self,
            Self::Http | Self::Https | Self::Email | Self::EmailJson
        )
    }

    /// HTTP and HTTPS endpoints get real POSTs; every other protocol only the outbox.
    pub fn is_http(self) -> bool {
        matches!(self, Self::Http | Self::Https)
    }
}

aws_enum!(
    /// What a message SNS sent is (the `Type` of its HTTP body).
    DeliveryKind {
        Notification = "Notification",
        SubscriptionConfirmation = "SubscriptionConfirmation",
    }
);

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Topic {
    pub arn: String,
    pub name: String,
    #[serde(default)]
    pub attributes: BTreeMap<String, String>,
    #[serde(default)]
    pub tags: BTreeMap<String, String>,
    /// A FIFO topic's last sequence number.
    #[serde(default)]
    pub sequence: u64,
    /// A FIFO topic's deduplication ids of the last five minutes, with the time each was first seen.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub deduplication: BTreeMap<String, f64>,
}

impl Topic {
    pub fn is_fifo(&self) -> bool {
        self.attributes
            .get("FifoTopic")
            .is_some_and(|v| v.eq_ignore_ascii_case("true"))
    }

    /// A FIFO topic with `ContentBasedDeduplication`: a message's id is its body's SHA-256.
    pub fn content_based_deduplication(&self) -> bool {
        self.attributes
            .get("ContentBasedDeduplication")
            .is_some_and(|v| v.eq_ignore_ascii_case("true"))
    }
}

/// A FIFO topic's message identity as delivered: group, deduplication id and sequence number (a standard
/// topic may carry a group alone).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Ordering {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub group_id: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub deduplication_id: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sequence_number: Option<String>,
}

impl Ordering {
    pub fn is_empty(&self) -> bool {
        self == &Ordering::default()
    }
}

/// One message as its publisher sent it: what Publish, a PublishBatch entry or an alarm action hands the
/// delivery stage.
#[derive(Debug, Clone, Default)]
pub struct Publication {
    pub subject: Option<String>,
    pub texts: MessageTexts,
    pub attributes: BTreeMap<String, super::sqs::MessageAttribute>,
    /// `MessageGroupId`: required by a FIFO topic, allowed on a standard one.
    pub group_id: Option<String>,
    /// `MessageDeduplicationId`: FIFO topics only.
    pub deduplication_id: Option<String>,
}

impl Publication {
    /// A message with a subject and nothing else (an alarm's notification).
    pub fn text(subject: &str, message: &str) -> Self {
        Publication {
            subject: Some(subject.into()),
            texts: MessageTexts::one(message),
            ..Publication::default()
        }
    }
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Subscription {
    pub arn: String,
    pub topic_arn: String,
    pub protocol: SubscriptionProtocol,
    pub endpoint: String,
    pub owner: String,
    pub confirmed: bool,
    pub token: String,
    #[serde(default)]
    pub attributes: BTreeMap<String, String>,
    /// Who subscribed (the caller's ARN); AWS answers it as `SubscriptionPrincipal`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub principal: Option<String>,
}

/// One message SNS sent (or would send) to an endpoint.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Delivery {
    pub kind: DeliveryKind,
    pub topic_arn: String,
    #[serde(default)]
    pub subscription_arn: Option<String>,
    pub protocol: SubscriptionProtocol,
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
    /// The message attributes Publish was given (SNS's envelope lists them; a raw delivery to a queue
    /// carries them as the SQS message's attributes).
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub attributes: BTreeMap<String, super::sqs::MessageAttribute>,
    /// Why the endpoint did not take the message, when SNS could tell at once (a queue of this emulator
    /// whose policy or key refuses SNS); HTTP attempts are logged apart (`GET /_orgwatch/sns/deliveries`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub failure: Option<String>,
    /// A FIFO topic's group, deduplication id and sequence number for this message.
    #[serde(default, skip_serializing_if = "Ordering::is_empty")]
    pub ordering: Ordering,
}

/// The access policy SNS gives a topic created without one: every principal of the owning account may
/// use the topic's eight operations (AWS's document, action order included).
pub fn default_topic_policy(topic_arn: &str, owner: &str) -> String {
    serde_json::json!({
        "Version": "2008-10-17",
        "Id": "__default_policy_ID",
        "Statement": [{
            "Sid": "__default_statement_ID",
            "Effect": "Allow",
            "Principal": {"AWS": "*"},
            "Action": [
                "SNS:GetTopicAttributes",
                "SNS:SetTopicAttributes",
                "SNS:AddPermission",
                "SNS:RemovePermission",
                "SNS:DeleteTopic",
                "SNS:Subscribe",
                "SNS:ListSubscriptionsByTopic",
                "SNS:Publish"
            ],
            "Resource": topic_arn,
            "Condition": {"StringEquals": {"AWS:SourceOwner": owner}}
        }]
    })
    .to_string()
}

/// What a publisher sent: one text for every subscriber, or (Publish with `MessageStructure` `json`) a text
/// per protocol, with `default` for the protocols it does not name.
#[derive(Debug, Clone, Default)]
pub struct MessageTexts {
    pub default: String,
    pub per_protocol: BTreeMap<String, String>,
}

impl MessageTexts {
    pub fn one(text: &str) -> Self {
        MessageTexts {
            default: text.to_string(),
            per_protocol: BTreeMap::new(),
        }
    }

    /// The text a subscriber of this protocol receives.
    pub fn for_protocol(&self, p: SubscriptionProtocol) -> &str {
        self.per_protocol.get(p.as_str()).unwrap_or(&self.default)
    }
}

/// A mobile-push platform application (CreatePlatformApplication). Its credentials are kept (AWS keeps
/// them to reach the platform) but never shown, as AWS never shows them.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct PlatformApplication {
    pub arn: String,
    pub name: String,
    pub platform: String,
    /// The attributes as given, credentials included.
    #[serde(default)]
    pub attributes: BTreeMap<String, String>,
}

/// A device endpoint of a platform application (CreatePlatformEndpoint): its attributes are `Token`,
/// `Enabled` and `CustomUserData`.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct PlatformEndpoint {
    pub arn: String,
    pub application_arn: String,
    #[serde(default)]
    pub attributes: BTreeMap<String, String>,
}
