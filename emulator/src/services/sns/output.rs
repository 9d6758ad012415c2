//! SNS's output shapes, as the SNS API model names them, built from the model.

use crate::model::sns::Subscription;
use serde::Serialize;

/// CreateTopic, and one topic of ListTopics.
#[derive(Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct TopicArnOutput {
    pub topic_arn: String,
}

#[derive(Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct ListTopicsOutput {
    pub topics: Vec<TopicArnOutput>,
    pub next_token: Option<String>,
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
pub struct ListSubscriptionsOutput {
    subscriptions: Vec<SubscriptionOut>,
    next_token: Option<String>,
}

impl ListSubscriptionsOutput {
    /// One page (SNS lists up to 100 subscriptions per page).
    pub fn page<E>(
        subs: &[&Subscription],
        token: Option<&str>,
        bad_token: impl FnOnce() -> E,
    ) -> Result<Self, E> {
        let (items, next_token) = crate::services::handler::page(subs, token, 100, bad_token)?;
        Ok(ListSubscriptionsOutput {
            subscriptions: items.into_iter().map(SubscriptionOut::from).collect(),
            next_token,
        })
    }
}

#[derive(Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct PublishOutput {
    pub message_id: String,
}

#[derive(Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct Tag {
    pub key: String,
    pub value: String,
}

#[derive(Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct ListTagsOutput {
    pub tags: Vec<Tag>,
}
