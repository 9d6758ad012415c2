//! SNS's output shapes, as the SNS API model names them, built from the model.

use crate::model::sns::Subscription;
use serde::Serialize;

/// CreateTopic, and one topic of ListTopics.
#[derive(Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct TopicArnOutput {
    pub topic_arn: String,
}

/// GetTopicAttributes and GetSubscriptionAttributes: a map (`entry`/`key`/`value` in XML).
#[derive(Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct AttributesOutput {
    pub attributes: std::collections::BTreeMap<String, String>,
}

/// Subscribe and ConfirmSubscription.
#[derive(Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct SubscriptionArnOutput {
    pub subscription_arn: String,
}

/// One subscription as ListSubscriptions and ListSubscriptionsByTopic show it.
#[derive(Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct SubscriptionOut {
    subscription_arn: String,
    owner: String,
    protocol: String,
    endpoint: String,
    topic_arn: String,
}

impl From<&Subscription> for SubscriptionOut {
    fn from(s: &Subscription) -> Self {
        SubscriptionOut {
            subscription_arn: if s.confirmed {
                s.arn.clone()
            } else {
                "PendingConfirmation".into()
            },
            owner: s.owner.clone(),
            protocol: s.protocol.to_string(),
            endpoint: s.endpoint.clone(),
            topic_arn: s.topic_arn.clone(),
        }
    }
}

#[derive(Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct PublishOutput {
    pub message_id: String,
    /// A FIFO topic's sequence number for the message.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub sequence_number: Option<String>,
}

impl PublishOutput {
    pub fn of(message_id: String) -> Self {
        PublishOutput {
            message_id,
            sequence_number: None,
        }
    }
}

/// One entry of PublishBatch that was published.
#[derive(Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct PublishBatchResultEntry {
    pub id: String,
    pub message_id: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub sequence_number: Option<String>,
}

/// One entry of PublishBatch that was refused.
#[derive(Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct BatchResultErrorEntry {
    pub id: String,
    pub code: String,
    pub message: String,
    pub sender_fault: bool,
}

/// PublishBatch.
#[derive(Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct PublishBatchOutput {
    pub successful: Vec<PublishBatchResultEntry>,
    pub failed: Vec<BatchResultErrorEntry>,
}
