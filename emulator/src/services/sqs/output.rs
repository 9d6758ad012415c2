//! SQS's output shapes, as the SQS API model names them. On the JSON wire they are what the model says;
//! on the Query wire SQS flattens its lists and maps (`<QueueUrl>` repeated, `<Attribute><Name>…`), which
//! [`crate::protocol::query`] does from these same shapes.

use serde::Serialize;
use std::collections::BTreeMap;

use crate::model::sqs::MessageAttribute;

/// CreateQueue and GetQueueUrl.
#[derive(Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct QueueUrlOutput {
    pub queue_url: String,
}

/// ListQueues: no `QueueUrls` member at all when there is no queue (as AWS answers).
#[derive(Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct ListQueuesOutput {
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub queue_urls: Vec<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub next_token: Option<String>,
}

/// ListDeadLetterSourceQueues (its list member is spelt `queueUrls`).
#[derive(Serialize)]
pub struct SourceQueuesOutput {
    #[serde(rename = "queueUrls")]
    pub queue_urls: Vec<String>,
}

/// GetQueueAttributes: no `Attributes` member when none was asked for.
#[derive(Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct AttributesOutput {
    #[serde(skip_serializing_if = "BTreeMap::is_empty")]
    pub attributes: BTreeMap<String, String>,
}

/// ListQueueTags: no `Tags` member when the queue has none.
#[derive(Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct TagsOutput {
    #[serde(skip_serializing_if = "BTreeMap::is_empty")]
    pub tags: BTreeMap<String, String>,
}

/// SendMessage.
#[derive(Serialize)]
pub struct SendMessageOutput {
    #[serde(rename = "MD5OfMessageBody")]
    pub md5_of_message_body: String,
    #[serde(
        rename = "MD5OfMessageAttributes",
        skip_serializing_if = "Option::is_none"
    )]
    pub md5_of_message_attributes: Option<String>,
    #[serde(rename = "MessageId")]
    pub message_id: String,
    #[serde(rename = "SequenceNumber", skip_serializing_if = "Option::is_none")]
    pub sequence_number: Option<String>,
}

/// One message of ReceiveMessage.
#[derive(Serialize)]
pub struct MessageOut {
    #[serde(rename = "MessageId")]
    pub message_id: String,
    #[serde(rename = "ReceiptHandle")]
    pub receipt_handle: String,
    #[serde(rename = "MD5OfBody")]
    pub md5_of_body: String,
    #[serde(rename = "Body")]
    pub body: String,
    #[serde(rename = "Attributes", skip_serializing_if = "BTreeMap::is_empty")]
    pub attributes: BTreeMap<String, String>,
    #[serde(
        rename = "MD5OfMessageAttributes",
        skip_serializing_if = "Option::is_none"
    )]
    pub md5_of_message_attributes: Option<String>,
    #[serde(
        rename = "MessageAttributes",
        skip_serializing_if = "BTreeMap::is_empty"
    )]
    pub message_attributes: BTreeMap<String, MessageAttribute>,
}

/// ReceiveMessage: no `Messages` member when nothing was received.
#[derive(Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct ReceiveMessageOutput {
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub messages: Vec<MessageOut>,
}

/// One entry of a batch that failed.
#[derive(Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct BatchError {
    pub id: String,
    pub sender_fault: bool,
    pub code: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub message: Option<String>,
}

/// One entry of SendMessageBatch that succeeded.
#[derive(Serialize)]
pub struct SendBatchEntry {
    #[serde(rename = "Id")]
    pub id: String,
    #[serde(rename = "MessageId")]
    pub message_id: String,
    #[serde(rename = "MD5OfMessageBody")]
    pub md5_of_message_body: String,
    #[serde(
        rename = "MD5OfMessageAttributes",
        skip_serializing_if = "Option::is_none"
    )]
    pub md5_of_message_attributes: Option<String>,
    #[serde(rename = "SequenceNumber", skip_serializing_if = "Option::is_none")]
    pub sequence_number: Option<String>,
}

impl SendBatchEntry {
    pub fn new(id: String, sent: SendMessageOutput) -> Self {
        SendBatchEntry {
            id,
            message_id: sent.message_id,
            md5_of_message_body: sent.md5_of_message_body,
            md5_of_message_attributes: sent.md5_of_message_attributes,
            sequence_number: sent.sequence_number,
        }
    }
}

/// One entry of DeleteMessageBatch or ChangeMessageVisibilityBatch that succeeded.
#[derive(Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct BatchEntryId {
    pub id: String,
}

/// The batch operations' answer: both lists are always present (AWS's members are required).
#[derive(Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct BatchOutput<T> {
    pub successful: Vec<T>,
    pub failed: Vec<BatchError>,
}
