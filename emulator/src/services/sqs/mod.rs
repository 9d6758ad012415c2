//! SQS (`sqs`): AWS JSON 1.0 (`X-Amz-Target: AmazonSQS.*`, what current SDKs and the AWS CLI speak) and
//! AWS Query (`Version=2012-11-05`, older clients). SQS is Query-compatible: its JSON errors carry the
//! Query code in `x-amzn-query-error` (`AWS.SimpleQueueService.NonExistentQueue`).
//!
//! A queue is named by its URL (see [`crate::model::sqs`] for the URL chosen), lives in the account the URL
//! names and the caller's region, and is read and written only here and by SNS delivery
//! ([`crate::pipeline::delivery`]). Time is the one clock's: delays, visibility timeouts, retention and the
//! purge interval run with the virtual clock. Long polling (`WaitTimeSeconds`) waits in real time for a
//! message, outside the state lock ([`crate::pipeline::delivery::Effects::wait`]).

mod output;

use super::handler::{operations, Call, NoOutput, Style};
use crate::error::service_errors;
use crate::model::sqs::{
    self, md5_hex, md5_of_attributes, parse_queue_url, queue_arn, queue_url, MessageAttribute,
    Outgoing, Queue,
};
use crate::model::RegionState;
use crate::pipeline::queue_metrics::{self, Activity};
use output::*;
use serde::Deserialize;
use std::collections::BTreeMap;

const STYLE: Style = Style::Sqs;

service_errors! {
    /// The errors SQS answers with here: the shape names of the SQS model, with their Query codes.
    pub enum SqsError {
        QueueDoesNotExist = "QueueDoesNotExist", 400, code "AWS.SimpleQueueService.NonExistentQueue";
        QueueNameExists = "QueueNameExists", 400, code "QueueAlreadyExists";
        QueueDeletedRecently = "QueueDeletedRecently", 400, code "AWS.SimpleQueueService.QueueDeletedRecently";
        InvalidAttributeName = "InvalidAttributeName", 400;
        InvalidAttributeValue = "InvalidAttributeValue", 400;
        InvalidParameterValue = "InvalidParameterValue", 400;
        MissingParameter = "MissingParameter", 400;
        InvalidAddress = "InvalidAddress", 404;
        ReceiptHandleIsInvalid = "ReceiptHandleIsInvalid", 400;
        MessageNotInflight = "MessageNotInflight", 400, code "AWS.SimpleQueueService.MessageNotInflight";
        PurgeQueueInProgress = "PurgeQueueInProgress", 403, code "AWS.SimpleQueueService.PurgeQueueInProgress";
        EmptyBatchRequest = "EmptyBatchRequest", 400, code "AWS.SimpleQueueService.EmptyBatchRequest";
        TooManyEntriesInBatchRequest = "TooManyEntriesInBatchRequest", 400, code "AWS.SimpleQueueService.TooManyEntriesInBatchRequest";
        BatchEntryIdsNotDistinct = "BatchEntryIdsNotDistinct", 400, code "AWS.SimpleQueueService.BatchEntryIdsNotDistinct";
        InvalidBatchEntryId = "InvalidBatchEntryId", 400, code "AWS.SimpleQueueService.InvalidBatchEntryId";
        InvalidMessageContents = "InvalidMessageContents", 400;
        InvalidAction = "InvalidAction", 400;
    }
}

type Result<T> = std::result::Result<T, SqsError>;

fn no_queue() -> SqsError {
    SqsError::QueueDoesNotExist("The specified queue does not exist.".into())
}

fn bad_value(parameter: &str, value: impl std::fmt::Display, reason: &str) -> SqsError {
    SqsError::InvalidParameterValue(format!(
        "Value {value} for parameter {parameter} is invalid. Reason: {reason}"
    ))
}

fn missing(parameter: &str) -> SqsError {
    SqsError::MissingParameter(format!(
        "The request must contain the parameter {parameter}."
    ))
}

operations! {
    style: STYLE,
    unknown: |op| crate::error::ApiError::from(SqsError::InvalidAction(format!(
        "The action {op} is not valid for this endpoint."
    )));
    "CreateQueue" => create_queue,
    "GetQueueUrl" => get_queue_url,
    "DeleteQueue" => delete_queue,
    "ListQueues" => list_queues,
    "GetQueueAttributes" => get_queue_attributes,
    "SetQueueAttributes" => set_queue_attributes,
    "SendMessage" => send_message,
    "SendMessageBatch" => send_message_batch,
    "ReceiveMessage" => receive_message,
    "DeleteMessage" => delete_message,
    "DeleteMessageBatch" => delete_message_batch,
    "ChangeMessageVisibility" => change_message_visibility,
    "ChangeMessageVisibilityBatch" => change_message_visibility_batch,
    "PurgeQueue" => purge_queue,
    "TagQueue" => tag_queue,
    "UntagQueue" => untag_queue,
    "ListQueueTags" => list_queue_tags,
    "ListDeadLetterSourceQueues" => list_dead_letter_source_queues,
    "AddPermission" => add_permission,
    "RemovePermission" => remove_permission,
}

/// The region state and name of the queue a URL names (its account, the caller's region).
fn home<'c>(call: &'c mut Call<'_>, url: &str) -> Result<(&'c mut RegionState, String)> {
    let (account, name) = parse_queue_url(url).ok_or_else(|| {
        SqsError::InvalidAddress(format!("The address {url} is not valid for this endpoint."))
    })?;
    let region = call.ctx.region.clone();
    Ok((call.state.region(&account, &region), name))
}

/// The queue a URL names.
fn queue<'c>(call: &'c mut Call<'_>, url: &str) -> Result<&'c mut Queue> {
    let now = call.now();
    let (r, name) = home(call, url)?;
    let q = r.queues.get_mut(&name).ok_or_else(no_queue)?;
    q.expire(now);
    Ok(q)
}

/// Queue names: 1 to 80 characters, alphanumerics, hyphens and underscores, `.fifo` for a FIFO queue.
fn check_name(name: &str, fifo: bool) -> Result<()> {
    let base = if fifo {
        name.strip_suffix(".fifo")
    } else {
        Some(name)
    };
    let valid = base.is_some_and(|b| {
        !b.is_empty()
            && name.len() <= 80
            && b.chars()
                .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_')
    });
    if valid {
        Ok(())
    } else if fifo {
        Err(SqsError::InvalidParameterValue(
            "The name of a FIFO queue can only include alphanumeric characters, hyphens, or underscores, must end with .fifo suffix and be 1 to 80 in length.".into(),
        ))
    } else {
        Err(SqsError::InvalidParameterValue(
            "Can only include alphanumeric characters, hyphens, or underscores. 1 to 80 in length"
                .into(),
        ))
    }
}

/// The attributes a caller may set, and the range of each numeric one.
const SETTABLE: &[(&str, Option<(u64, u64)>)] = &[
    ("DelaySeconds", Some((0, 900))),
    ("MaximumMessageSize", Some((1024, 1_048_576))),
    ("MessageRetentionPeriod", Some((60, 1_209_600))),
    ("ReceiveMessageWaitTimeSeconds", Some((0, 20))),
    ("VisibilityTimeout", Some((0, 43_200))),
    ("KmsDataKeyReusePeriodSeconds", Some((60, 86_400))),
    ("Policy", None),
    ("RedrivePolicy", None),
    ("RedriveAllowPolicy", None),
    ("KmsMasterKeyId", None),
    ("SqsManagedSseEnabled", None),
    ("FifoQueue", None),
    ("ContentBasedDeduplication", None),
    ("DeduplicationScope", None),
    ("FifoThroughputLimit", None),
];

/// Checks attributes as CreateQueue and SetQueueAttributes do.
fn check_attributes(attributes: &BTreeMap<String, String>, creating: bool) -> Result<()> {
    for (name, value) in attributes {
        let Some((_, range)) = SETTABLE.iter().find(|(n, _)| n == name) else {
            return Err(SqsError::InvalidAttributeName(format!(
                "Unknown Attribute {name}."
            )));
        };
        let invalid =
            || SqsError::InvalidAttributeValue(format!("Invalid value for the parameter {name}."));
        if let Some((lo, hi)) = range {
            let n: u64 = value.trim().parse().map_err(|_| invalid())?;
            if n < *lo || n > *hi {
                return Err(invalid());
            }
        }
        let ok = match name.as_str() {
            "Policy" => value.is_empty() || orgwatch_policy::parse(value).is_ok(),
            "RedrivePolicy" => value.is_empty() || redrive_target(value).is_some(),
            "RedriveAllowPolicy" => {
                value.is_empty() || serde_json::from_str::<serde_json::Value>(value).is_ok()
            }
            "SqsManagedSseEnabled" | "ContentBasedDeduplication" => {
                value == "true" || value == "false"
            }
            "FifoQueue" => creating && (value == "true" || value == "false"),
            "DeduplicationScope" => value == "messageGroup" || value == "queue",
            "FifoThroughputLimit" => value == "perQueue" || value == "perMessageGroupId",
            _ => true,
        };
        if !ok {
            return Err(invalid());
        }
    }
    Ok(())
}

/// A redrive policy's dead-letter queue ARN and its `maxReceiveCount`.
fn redrive_target(policy: &str) -> Option<(String, u32)> {
    let v: serde_json::Value = serde_json::from_str(policy).ok()?;
    let arn = v.get("deadLetterTargetArn")?.as_str()?.to_string();
    let count = match v.get("maxReceiveCount")? {
        serde_json::Value::Number(n) => n.as_u64()?,
        serde_json::Value::String(s) => s.parse().ok()?,
        _ => return None,
    };
    (1..=1000).contains(&count).then_some((arn, count as u32))
}

#[derive(Deserialize)]
struct CreateQueueInput {
    #[serde(rename = "QueueName")]
    queue_name: String,
    #[serde(default, rename = "Attributes", alias = "Attribute")]
    attributes: BTreeMap<String, String>,
    #[serde(default, rename = "tags", alias = "Tag")]
    tags: BTreeMap<String, String>,
}

fn create_queue(call: &mut Call<'_>, i: CreateQueueInput) -> Result<QueueUrlOutput> {
    let fifo = i.attributes.get("FifoQueue").map(String::as_str) == Some("true");
    check_name(&i.queue_name, fifo || i.queue_name.ends_with(".fifo"))?;
    if i.queue_name.ends_with(".fifo") && !fifo {
        return Err(SqsError::InvalidParameterValue(
            "Can only include alphanumeric characters, hyphens, or underscores. 1 to 80 in length"
                .into(),
        ));
    }
    check_attributes(&i.attributes, true)?;
    let (account, region, now) = (
        call.ctx.account.clone(),
        call.ctx.region.clone(),
        call.now(),
    );
    let url = queue_url(&region, &account, &i.queue_name);
    let r = call.region();
    if let Some(q) = r.queues.get(&i.queue_name) {
        // Same attributes: the existing queue's URL; any difference: refused, naming it.
        if let Some((name, _)) = i
            .attributes
            .iter()
            .find(|(k, v)| q.attribute(k).as_ref() != Some(*v))
        {
            return Err(SqsError::QueueNameExists(format!(
                "A queue already exists with the same name and a different value for attribute {name}"
            )));
        }
        return Ok(QueueUrlOutput { queue_url: url });
    }
    if r.queues_deleted
        .get(&i.queue_name)
        .is_some_and(|t| now - t < 60.0)
    {
        return Err(SqsError::QueueDeletedRecently(
            "You must wait 60 seconds after deleting a queue before you can create another with the same name.".into(),
        ));
    }
    let mut attributes = i.attributes;
    if fifo {
        attributes
            .entry("ContentBasedDeduplication".into())
            .or_insert_with(|| "false".into());
        attributes
            .entry("DeduplicationScope".into())
            .or_insert_with(|| "queue".into());
        attributes
            .entry("FifoThroughputLimit".into())
            .or_insert_with(|| "perQueue".into());
    }
    if attributes.contains_key("KmsMasterKeyId") {
        attributes.insert("SqsManagedSseEnabled".into(), "false".into());
    }
    r.queues.insert(
        i.queue_name.clone(),
        Queue {
            name: i.queue_name.clone(),
            arn: queue_arn(&region, &account, &i.queue_name),
            attributes,
            tags: i.tags,
            created: now,
            last_modified: now,
            messages: Vec::new(),
            purged_at: None,
            sequence: 0,
            depth_sampled_at: None,
        },
    );
    queue_metrics::sample_depth(r, &i.queue_name, now);
    Ok(QueueUrlOutput { queue_url: url })
}

#[derive(Deserialize)]
#[serde(rename_all = "PascalCase")]
struct GetQueueUrlInput {
    queue_name: String,
    #[serde(rename = "QueueOwnerAWSAccountId")]
    owner: Option<String>,
}

fn get_queue_url(call: &mut Call<'_>, i: GetQueueUrlInput) -> Result<QueueUrlOutput> {
    let account = i.owner.unwrap_or_else(|| call.ctx.account.clone());
    let region = call.ctx.region.clone();
    let exists = call
        .state
        .region(&account, &region)
        .queues
        .contains_key(&i.queue_name);
    if !exists {
        return Err(no_queue());
    }
    Ok(QueueUrlOutput {
        queue_url: queue_url(&region, &account, &i.queue_name),
    })
}

#[derive(Deserialize)]
#[serde(rename_all = "PascalCase")]
struct QueueUrlInput {
    queue_url: String,
}

fn delete_queue(call: &mut Call<'_>, i: QueueUrlInput) -> Result<NoOutput> {
    let now = call.now();
    let (r, name) = home(call, &i.queue_url)?;
    r.queues.remove(&name).ok_or_else(no_queue)?;
    r.queues_deleted.insert(name, now);
    Ok(NoOutput)
}

#[derive(Deserialize)]
#[serde(rename_all = "PascalCase")]
struct ListQueuesInput {
    queue_name_prefix: Option<String>,
    next_token: Option<String>,
    max_results: Option<i64>,
}

fn list_queues(call: &mut Call<'_>, i: ListQueuesInput) -> Result<ListQueuesOutput> {
    let (account, region) = (call.ctx.account.clone(), call.ctx.region.clone());
    let prefix = i.queue_name_prefix.unwrap_or_default();
    let urls: Vec<String> = call
        .region()
        .queues
        .keys()
        .filter(|n| n.starts_with(&prefix))
        .map(|n| queue_url(&region, &account, n))
        .collect();
    // Without MaxResults SQS answers up to 1,000 queues and no token.
    let Some(max) = i.max_results else {
        return Ok(ListQueuesOutput {
            queue_urls: urls.into_iter().take(1000).collect(),
            next_token: None,
        });
    };
    if !(1..=1000).contains(&max) {
        return Err(bad_value(
            "MaxResults",
            max,
            "MaxResults must be an integer between 1 and 1000.",
        ));
    }
    let (page, next_token) =
        super::handler::page(&urls, i.next_token.as_deref(), max as usize, || {
            SqsError::InvalidParameterValue("Invalid NextToken value.".into())
        })?;
    Ok(ListQueuesOutput {
        queue_urls: page,
        next_token,
    })
}

#[derive(Deserialize)]
struct GetQueueAttributesInput {
    #[serde(rename = "QueueUrl")]
    queue_url: String,
    #[serde(default, rename = "AttributeNames", alias = "AttributeName")]
    attribute_names: Vec<String>,
}

/// Every attribute GetQueueAttributes can answer, in AWS's order.
const READABLE: &[&str] = &[
    "QueueArn",
    "ApproximateNumberOfMessages",
    "ApproximateNumberOfMessagesNotVisible",
    "ApproximateNumberOfMessagesDelayed",
    "CreatedTimestamp",
    "LastModifiedTimestamp",
    "VisibilityTimeout",
    "MaximumMessageSize",
    "MessageRetentionPeriod",
    "DelaySeconds",
    "ReceiveMessageWaitTimeSeconds",
    "Policy",
    "RedrivePolicy",
    "RedriveAllowPolicy",
    "KmsMasterKeyId",
    "KmsDataKeyReusePeriodSeconds",
    "SqsManagedSseEnabled",
    "FifoQueue",
    "ContentBasedDeduplication",
    "DeduplicationScope",
    "FifoThroughputLimit",
];

fn get_queue_attributes(
    call: &mut Call<'_>,
    i: GetQueueAttributesInput,
) -> Result<AttributesOutput> {
    for n in &i.attribute_names {
        if n != "All" && !READABLE.contains(&n.as_str()) {
            return Err(SqsError::InvalidAttributeName(format!(
                "Unknown Attribute {n}."
            )));
        }
    }
    let now = call.now();
    let q = queue(call, &i.queue_url)?;
    let all = i.attribute_names.iter().any(|n| n == "All");
    let count = |f: &dyn Fn(&sqs::Message) -> bool| q.messages.iter().filter(|m| f(m)).count();
    let visible = count(&|m| m.visible_at <= now).to_string();
    let in_flight = count(&|m| m.in_flight(now)).to_string();
    let delayed = count(&|m| m.receipt_handle.is_none() && m.visible_at > now).to_string();
    let mut attributes = BTreeMap::new();
    for name in READABLE {
        if !all && !i.attribute_names.iter().any(|n| n == name) {
            continue;
        }
        let value = match *name {
            "QueueArn" => Some(q.arn.clone()),
            "ApproximateNumberOfMessages" => Some(visible.clone()),
            "ApproximateNumberOfMessagesNotVisible" => Some(in_flight.clone()),
            "ApproximateNumberOfMessagesDelayed" => Some(delayed.clone()),
            "CreatedTimestamp" => Some((q.created as u64).to_string()),
            "LastModifiedTimestamp" => Some((q.last_modified as u64).to_string()),
            "FifoQueue" => q.is_fifo().then(|| "true".to_string()),
            other => q.attribute(other).filter(|v| !v.is_empty()),
        };
        if let Some(v) = value {
            attributes.insert(name.to_string(), v);
        }
    }
    Ok(AttributesOutput { attributes })
}

#[derive(Deserialize)]
struct SetQueueAttributesInput {
    #[serde(rename = "QueueUrl")]
    queue_url: String,
    #[serde(rename = "Attributes", alias = "Attribute")]
    attributes: BTreeMap<String, String>,
}

fn set_queue_attributes(call: &mut Call<'_>, i: SetQueueAttributesInput) -> Result<NoOutput> {
    check_attributes(&i.attributes, false)?;
    let now = call.now();
    let q = queue(call, &i.queue_url)?;
    let fifo_only = [
        "ContentBasedDeduplication",
        "DeduplicationScope",
        "FifoThroughputLimit",
    ];
    if !q.is_fifo() {
        if let Some(name) = i
            .attributes
            .keys()
            .find(|k| fifo_only.contains(&k.as_str()))
        {
            return Err(SqsError::InvalidAttributeName(format!(
                "Unknown Attribute {name}."
            )));
        }
    }
    for (k, v) in i.attributes {
        // An empty value removes an optional attribute (a policy, a redrive policy, a key).
        if v.is_empty() {
            q.attributes.remove(&k);
        } else {
            q.attributes.insert(k, v);
        }
    }
    q.last_modified = now;
    Ok(NoOutput)
}

/// A message as SendMessage (with its `QueueUrl`) and each SendMessageBatch entry (with its `Id`) carry
/// it: one shape, so that a Query request's text takes each member's type from it (serde's `flatten`
/// would lose the types).
#[derive(Deserialize)]
struct MessageEntry {
    #[serde(rename = "QueueUrl")]
    queue_url: Option<String>,
    #[serde(rename = "Id")]
    id: Option<String>,
    #[serde(rename = "MessageBody")]
    message_body: Option<String>,
    #[serde(rename = "DelaySeconds")]
    delay_seconds: Option<i64>,
    #[serde(default, rename = "MessageAttributes", alias = "MessageAttribute")]
    message_attributes: BTreeMap<String, MessageAttribute>,
    #[serde(rename = "MessageGroupId")]
    message_group_id: Option<String>,
    #[serde(rename = "MessageDeduplicationId")]
    message_deduplication_id: Option<String>,
}

/// The characters SQS accepts in a body: #x9 | #xA | #xD | #x20 to #xD7FF | #xE000 to #xFFFD | #x10000
/// to #x10FFFF.
fn valid_body_char(c: char) -> bool {
    matches!(c, '\u{9}' | '\u{a}' | '\u{d}' | '\u{20}'..='\u{d7ff}' | '\u{e000}'..='\u{fffd}' | '\u{10000}'..)
}

/// Validates a message for `q` and puts it there.
fn send(q: &mut Queue, e: MessageEntry, sender: &str, now: f64) -> Result<SendMessageOutput> {
    let body = e.message_body.ok_or_else(|| missing("MessageBody"))?;
    if body.is_empty() {
        return Err(missing("MessageBody"));
    }
    if !body.chars().all(valid_body_char) {
        return Err(SqsError::InvalidMessageContents(
            "Invalid characters found. Valid unicode characters are #x9 | #xA | #xD | #x20 to #xD7FF | #xE000 to #xFFFD | #x10000 to #x10FFFF".into(),
        ));
    }
    let max = q.number("MaximumMessageSize");
    let size = sqs::message_size(&body, &e.message_attributes);
    if size as u64 > max {
        return Err(SqsError::InvalidParameterValue(format!(
            "One or more parameters are invalid. Reason: Message must be shorter than {max} bytes."
        )));
    }
    if let Some(d) = e.delay_seconds {
        if !(0..=900).contains(&d) {
            return Err(bad_value(
                "DelaySeconds",
                d,
                "DelaySeconds must be >= 0 and <= 900.",
            ));
        }
        if q.is_fifo() {
            return Err(bad_value(
                "DelaySeconds",
                d,
                "The request include parameter that is not valid for this queue type.",
            ));
        }
    }
    for (name, a) in &e.message_attributes {
        if !a.has_valid_type() {
            return Err(SqsError::InvalidParameterValue(format!(
                "The type of message (user) attribute '{name}' is invalid. You must use only the following supported type prefixes: Binary, Number, String."
            )));
        }
    }
    let deduplication_id = if q.is_fifo() {
        if e.message_group_id.is_none() {
            return Err(missing("MessageGroupId"));
        }
        match e.message_deduplication_id {
            Some(d) => Some(d),
            None if q.attribute("ContentBasedDeduplication").as_deref() == Some("true") => {
                Some(crate::model::sqs::md5_hex(body.as_bytes()))
            }
            None => {
                return Err(SqsError::InvalidParameterValue(
                    "The queue should either have ContentBasedDeduplication enabled or MessageDeduplicationId provided explicitly".into(),
                ))
            }
        }
    } else {
        if e.message_group_id.is_some() || e.message_deduplication_id.is_some() {
            let p = if e.message_group_id.is_some() {
                "MessageGroupId"
            } else {
                "MessageDeduplicationId"
            };
            return Err(SqsError::InvalidParameterValue(format!(
                "The request include parameter {p} which is not valid for this queue type"
            )));
        }
        None
    };
    let md5_of_message_body = md5_hex(body.as_bytes());
    let md5_of_message_attributes = md5_of_attributes(&e.message_attributes);
    let sent = q.enqueue(
        Outgoing {
            body,
            attributes: e.message_attributes,
            sender_id: sender.to_string(),
            delay: e.delay_seconds.map(|d| d as u64),
            group_id: e.message_group_id,
            deduplication_id,
        },
        now,
    );
    Ok(SendMessageOutput {
        md5_of_message_body,
        md5_of_message_attributes,
        message_id: sent.id,
        sequence_number: sent.sequence_number,
    })
}

/// The caller's id as `SenderId` shows it (its access key; the account for the root).
fn sender(call: &Call<'_>) -> String {
    if call.ctx.access_key.is_empty() {
        call.ctx.account.clone()
    } else {
        call.ctx.access_key.clone()
    }
}

fn send_message(call: &mut Call<'_>, i: MessageEntry) -> Result<SendMessageOutput> {
    let (sender, now) = (sender(call), call.now());
    let url = i.queue_url.clone().ok_or_else(|| missing("QueueUrl"))?;
    let bytes = entry_size(&i);
    let q = queue(call, &url)?;
    let out = send(q, i, &sender, now)?;
    record(call, &url, Activity::Sent { bytes }, now);
    Ok(out)
}

/// A message's size as SQS's `SentMessageSize` counts it.
fn entry_size(e: &MessageEntry) -> usize {
    sqs::message_size(
        e.message_body.as_deref().unwrap_or_default(),
        &e.message_attributes,
    )
}

/// Records a queue's activity for its CloudWatch metrics (`AWS/SQS`).
fn record(call: &mut Call<'_>, url: &str, activity: Activity, now: f64) {
    if let Ok((r, name)) = home(call, url) {
        queue_metrics::record(r, &name, activity, now);
    }
}

#[derive(Deserialize)]
struct SendMessageBatchInput {
    #[serde(rename = "QueueUrl")]
    queue_url: String,
    #[serde(default, rename = "Entries", alias = "SendMessageBatchRequestEntry")]
    entries: Vec<MessageEntry>,
}

/// Checks a batch's entry ids as SQS does (present, at most ten, distinct, well-formed); `entry` names the
/// operation's entry shape in the message.
fn check_batch<'a>(entry: &str, ids: impl Iterator<Item = &'a str> + Clone) -> Result<()> {
    let n = ids.clone().count();
    if n == 0 {
        return Err(SqsError::EmptyBatchRequest(format!(
            "There should be at least one {entry} in the request."
        )));
    }
    if n > 10 {
        return Err(SqsError::TooManyEntriesInBatchRequest(format!(
            "Maximum number of entries per request are 10. You have sent {n}."
        )));
    }
    let mut seen = std::collections::BTreeSet::new();
    for id in ids {
        let well_formed = !id.is_empty()
            && id.len() <= 80
            && id
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_');
        if !well_formed {
            return Err(SqsError::InvalidBatchEntryId(
                "A batch entry id can only contain alphanumeric characters, hyphens and underscores. It can be at most 80 letters long.".into(),
            ));
        }
        if !seen.insert(id) {
            return Err(SqsError::BatchEntryIdsNotDistinct(format!(
                "Id {id} repeated."
            )));
        }
    }
    Ok(())
}

/// Runs a batch's entries in order: `each` gives an entry's id and its outcome; a success is listed as
/// `ok` makes it, a failure with the entry's id and its error.
fn run_batch<E, S, T>(
    entries: Vec<E>,
    mut each: impl FnMut(E) -> (String, Result<S>),
    ok: impl Fn(String, S) -> T,
) -> BatchOutput<T> {
    let mut out = BatchOutput {
        successful: Vec::new(),
        failed: Vec::new(),
    };
    for e in entries {
        match each(e) {
            (id, Ok(s)) => out.successful.push(ok(id, s)),
            (id, Err(err)) => out.failed.push(batch_error(id, err)),
        }
    }
    out
}

/// A batch entry's failure, as the batch answer lists it.
fn batch_error(id: String, e: SqsError) -> BatchError {
    let err = crate::error::ApiError::from(e);
    BatchError {
        id,
        sender_fault: err.sender,
        code: err.shape,
        message: Some(err.message),
    }
}

fn send_message_batch(
    call: &mut Call<'_>,
    i: SendMessageBatchInput,
) -> Result<BatchOutput<SendBatchEntry>> {
    check_batch(
        "SendMessageBatchRequestEntry",
        i.entries
            .iter()
            .map(|e| e.id.as_deref().unwrap_or_default()),
    )?;
    let (sender, now) = (sender(call), call.now());
    let q = queue(call, &i.queue_url)?;
    let mut sizes = Vec::new();
    let out = run_batch(
        i.entries,
        |mut e| {
            let id = e.id.take().unwrap_or_default();
            let bytes = entry_size(&e);
            (id, send(q, e, &sender, now).inspect(|_| sizes.push(bytes)))
        },
        SendBatchEntry::new,
    );
    for bytes in sizes {
        record(call, &i.queue_url, Activity::Sent { bytes }, now);
    }
    Ok(out)
}

#[derive(Deserialize)]
struct ReceiveMessageInput {
    #[serde(rename = "QueueUrl")]
    queue_url: String,
    #[serde(default, rename = "AttributeNames", alias = "AttributeName")]
    attribute_names: Vec<String>,
    #[serde(default, rename = "MessageSystemAttributeNames")]
    system_attribute_names: Vec<String>,
    #[serde(
        default,
        rename = "MessageAttributeNames",
        alias = "MessageAttributeName"
    )]
    message_attribute_names: Vec<String>,
    #[serde(rename = "MaxNumberOfMessages")]
    max_number_of_messages: Option<i64>,
    #[serde(rename = "VisibilityTimeout")]
    visibility_timeout: Option<i64>,
    #[serde(rename = "WaitTimeSeconds")]
    wait_time_seconds: Option<i64>,
}

/// The system attributes of a received message that `names` ask for.
fn system_attributes(m: &sqs::Message, names: &[String]) -> BTreeMap<String, String> {
    let wants = |n: &str| names.iter().any(|x| x == "All" || x == n);
    let millis = |t: f64| ((t * 1000.0) as u64).to_string();
    let mut out = BTreeMap::new();
    let mut put = |n: &str, v: Option<String>| {
        if let (true, Some(v)) = (wants(n), v) {
            out.insert(n.to_string(), v);
        }
    };
    put("SenderId", Some(m.sender_id.clone()));
    put("SentTimestamp", Some(millis(m.sent)));
    put("ApproximateReceiveCount", Some(m.receive_count.to_string()));
    put(
        "ApproximateFirstReceiveTimestamp",
        m.first_received.map(millis),
    );
    put("SequenceNumber", m.sequence_number.clone());
    put("MessageDeduplicationId", m.deduplication_id.clone());
    put("MessageGroupId", m.group_id.clone());
    out
}

/// The message attributes that `names` ask for (`All`, `.*`, a name, or a `prefix.*`).
fn wanted_attributes(
    attributes: &BTreeMap<String, MessageAttribute>,
    names: &[String],
) -> BTreeMap<String, MessageAttribute> {
    attributes
        .iter()
        .filter(|(k, _)| {
            names.iter().any(|n| {
                n == "All"
                    || n == ".*"
                    || n == *k
                    || n.strip_suffix(".*")
                        .is_some_and(|p| k.starts_with(&format!("{p}.")))
            })
        })
        .map(|(k, v)| (k.clone(), v.clone()))
        .collect()
}

/// A new receipt handle for a message: random, and carrying the message's id, as SQS's do (so that any
/// handle a message was received with still deletes it, as AWS's recorded answers show).
fn receipt_handle(message_id: &str) -> String {
    use base64::Engine;
    let raw = [
        uuid::Uuid::new_v4().as_bytes().as_slice(),
        message_id.as_bytes(),
    ]
    .concat();
    format!(
        "{RECEIPT_PREFIX}{}",
        base64::engine::general_purpose::STANDARD.encode(raw)
    )
}

/// The id of the message a receipt handle was given for, when the handle is one of ours.
fn handle_message_id(handle: &str) -> Option<String> {
    use base64::Engine;
    let raw = base64::engine::general_purpose::STANDARD
        .decode(handle.strip_prefix(RECEIPT_PREFIX)?)
        .ok()?;
    String::from_utf8(raw.get(16..)?.to_vec()).ok()
}

/// Every receipt handle this emulator gives starts so; another text is not a receipt handle.
const RECEIPT_PREFIX: &str = "AQEB";

fn receive_message(call: &mut Call<'_>, i: ReceiveMessageInput) -> Result<ReceiveMessageOutput> {
    let max = i.max_number_of_messages.unwrap_or(1);
    if !(1..=10).contains(&max) {
        return Err(bad_value(
            "MaxNumberOfMessages",
            max,
            "Must be between 1 and 10, if provided.",
        ));
    }
    if let Some(v) = i.visibility_timeout {
        if !(0..=43_200).contains(&v) {
            return Err(bad_value(
                "VisibilityTimeout",
                v,
                "Must be between 0 and 43200, if provided.",
            ));
        }
    }
    if let Some(w) = i.wait_time_seconds {
        if !(0..=20).contains(&w) {
            return Err(bad_value(
                "WaitTimeSeconds",
                w,
                "Must be >= 0 and <= 20, if provided.",
            ));
        }
    }
    let now = call.now();
    let region = call.ctx.region.clone();
    let (r, name) = home(call, &i.queue_url)?;
    let q = r.queues.get_mut(&name).ok_or_else(no_queue)?;
    q.expire(now);
    let visibility = i
        .visibility_timeout
        .map_or_else(|| q.number("VisibilityTimeout"), |v| v as u64) as f64;
    let wait = i
        .wait_time_seconds
        .map_or_else(|| q.number("ReceiveMessageWaitTimeSeconds"), |w| w as u64);
    let redrive = q
        .attribute("RedrivePolicy")
        .and_then(|p| redrive_target(&p));
    let mut moved = Vec::new();
    let mut messages = Vec::new();
    let mut groups_in_flight: Vec<String> = q
        .messages
        .iter()
        .filter(|m| m.in_flight(now))
        .filter_map(|m| m.group_id.clone())
        .collect();
    let names: Vec<String> = i
        .attribute_names
        .iter()
        .chain(&i.system_attribute_names)
        .cloned()
        .collect();
    let fifo = q.is_fifo();
    let mut idx = 0;
    while idx < q.messages.len() && messages.len() < max as usize {
        let m = &mut q.messages[idx];
        // A FIFO group with a message in flight gives none until it is deleted or visible again (a
        // standard queue's groups, which SNS may give, order nothing).
        let blocked = fifo
            && m.group_id
                .as_ref()
                .is_some_and(|g| groups_in_flight.contains(g));
        if m.visible_at > now || blocked {
            idx += 1;
            continue;
        }
        if let Some((_, max_receives)) = &redrive {
            if m.receive_count >= *max_receives {
                moved.push(q.messages.remove(idx));
                continue;
            }
        }
        m.receive_count += 1;
        m.first_received.get_or_insert(now);
        m.visible_at = now + visibility;
        let handle = receipt_handle(&m.id);
        m.receipt_handle = Some(handle.clone());
        if let Some(g) = &m.group_id {
            groups_in_flight.push(g.clone());
        }
        let message_attributes = wanted_attributes(&m.attributes, &i.message_attribute_names);
        messages.push(MessageOut {
            message_id: m.id.clone(),
            receipt_handle: handle,
            md5_of_body: md5_hex(m.body.as_bytes()),
            body: m.body.clone(),
            attributes: system_attributes(m, &names),
            md5_of_message_attributes: md5_of_attributes(&message_attributes),
            message_attributes,
        });
        idx += 1;
    }
    // Messages received too often go to the dead-letter queue (same account and region).
    if let Some((dlq, _)) = redrive {
        let target = crate::arn::parse_arn(&dlq)
            .filter(|a| a.region == region)
            .map(|a| a.resource);
        if let Some(dl) = target.and_then(|n| r.queues.get_mut(&n)) {
            for mut m in moved {
                m.receipt_handle = None;
                m.visible_at = now;
                dl.messages.push(m);
            }
        }
    }
    if messages.is_empty() && wait > 0 {
        call.fx.wait = Some(std::time::Duration::from_secs(wait));
    } else {
        queue_metrics::record(r, &name, Activity::Received(messages.len()), now);
    }
    Ok(ReceiveMessageOutput { messages })
}

#[derive(Deserialize)]
#[serde(rename_all = "PascalCase")]
struct DeleteMessageInput {
    queue_url: String,
    receipt_handle: String,
}

fn invalid_handle(handle: &str) -> SqsError {
    SqsError::ReceiptHandleIsInvalid(format!(
        "The input receipt handle \"{handle}\" is not a valid receipt handle."
    ))
}

/// Deletes the message a receipt handle names, whichever of its receives gave the handle; a well-formed
/// handle of a message already gone is not an error (SQS answers success).
fn delete_by_handle(q: &mut Queue, handle: &str) -> Result<usize> {
    if !handle.starts_with(RECEIPT_PREFIX) {
        return Err(invalid_handle(handle));
    }
    let id = handle_message_id(handle);
    let before = q.messages.len();
    q.messages.retain(|m| {
        m.receipt_handle.as_deref() != Some(handle) && id.as_deref() != Some(m.id.as_str())
    });
    Ok(before - q.messages.len())
}

fn delete_message(call: &mut Call<'_>, i: DeleteMessageInput) -> Result<NoOutput> {
    let now = call.now();
    let q = queue(call, &i.queue_url)?;
    let deleted = delete_by_handle(q, &i.receipt_handle)?;
    record(call, &i.queue_url, Activity::Deleted(deleted), now);
    Ok(NoOutput)
}

#[derive(Deserialize)]
#[serde(rename_all = "PascalCase")]
struct HandleEntry {
    id: String,
    receipt_handle: String,
    visibility_timeout: Option<i64>,
}

#[derive(Deserialize)]
struct HandleBatchInput {
    #[serde(rename = "QueueUrl")]
    queue_url: String,
    #[serde(
        default,
        rename = "Entries",
        alias = "DeleteMessageBatchRequestEntry",
        alias = "ChangeMessageVisibilityBatchRequestEntry"
    )]
    entries: Vec<HandleEntry>,
}

fn delete_message_batch(
    call: &mut Call<'_>,
    i: HandleBatchInput,
) -> Result<BatchOutput<BatchEntryId>> {
    check_batch(
        "DeleteMessageBatchRequestEntry",
        i.entries.iter().map(|e| e.id.as_str()),
    )?;
    let now = call.now();
    let q = queue(call, &i.queue_url)?;
    let mut deleted = 0;
    let out = run_batch(
        i.entries,
        |e| {
            let r = delete_by_handle(q, &e.receipt_handle).map(|n| deleted += n);
            (e.id, r)
        },
        |id, ()| BatchEntryId { id },
    );
    record(call, &i.queue_url, Activity::Deleted(deleted), now);
    Ok(out)
}

/// Sets the visibility timeout of the in-flight message a receipt handle names.
fn change_visibility(q: &mut Queue, handle: &str, timeout: Option<i64>, now: f64) -> Result<()> {
    let timeout = timeout.ok_or_else(|| missing("VisibilityTimeout"))?;
    if !(0..=43_200).contains(&timeout) {
        return Err(bad_value(
            "VisibilityTimeout",
            timeout,
            "Must be between 0 and 43200, if provided.",
        ));
    }
    if !handle.starts_with(RECEIPT_PREFIX) {
        return Err(invalid_handle(handle));
    }
    let m = q
        .messages
        .iter_mut()
        .find(|m| m.receipt_handle.as_deref() == Some(handle))
        .filter(|m| m.in_flight(now))
        .ok_or_else(|| {
            SqsError::MessageNotInflight("The message referred to isn't in flight.".into())
        })?;
    m.visible_at = now + timeout as f64;
    Ok(())
}

#[derive(Deserialize)]
#[serde(rename_all = "PascalCase")]
struct ChangeVisibilityInput {
    queue_url: String,
    receipt_handle: String,
    visibility_timeout: Option<i64>,
}

fn change_message_visibility(call: &mut Call<'_>, i: ChangeVisibilityInput) -> Result<NoOutput> {
    let now = call.now();
    let q = queue(call, &i.queue_url)?;
    change_visibility(q, &i.receipt_handle, i.visibility_timeout, now)?;
    Ok(NoOutput)
}

fn change_message_visibility_batch(
    call: &mut Call<'_>,
    i: HandleBatchInput,
) -> Result<BatchOutput<BatchEntryId>> {
    check_batch(
        "ChangeMessageVisibilityBatchRequestEntry",
        i.entries.iter().map(|e| e.id.as_str()),
    )?;
    let now = call.now();
    let q = queue(call, &i.queue_url)?;
    let out = run_batch(
        i.entries,
        |e| {
            let r = change_visibility(q, &e.receipt_handle, e.visibility_timeout, now);
            (e.id, r)
        },
        |id, ()| BatchEntryId { id },
    );
    Ok(out)
}

fn purge_queue(call: &mut Call<'_>, i: QueueUrlInput) -> Result<NoOutput> {
    let now = call.now();
    let q = queue(call, &i.queue_url)?;
    if q.purged_at.is_some_and(|t| now - t < 60.0) {
        return Err(SqsError::PurgeQueueInProgress(format!(
            "Only one PurgeQueue operation on {} is allowed every 60 seconds.",
            q.name
        )));
    }
    q.messages.clear();
    q.purged_at = Some(now);
    Ok(NoOutput)
}

#[derive(Deserialize)]
struct TagQueueInput {
    #[serde(rename = "QueueUrl")]
    queue_url: String,
    #[serde(rename = "Tags", alias = "Tag")]
    tags: BTreeMap<String, String>,
}

fn tag_queue(call: &mut Call<'_>, i: TagQueueInput) -> Result<NoOutput> {
    let q = queue(call, &i.queue_url)?;
    q.tags.extend(i.tags);
    Ok(NoOutput)
}

#[derive(Deserialize)]
struct UntagQueueInput {
    #[serde(rename = "QueueUrl")]
    queue_url: String,
    #[serde(rename = "TagKeys", alias = "TagKey")]
    tag_keys: Vec<String>,
}

fn untag_queue(call: &mut Call<'_>, i: UntagQueueInput) -> Result<NoOutput> {
    let q = queue(call, &i.queue_url)?;
    for k in &i.tag_keys {
        q.tags.remove(k);
    }
    Ok(NoOutput)
}

fn list_queue_tags(call: &mut Call<'_>, i: QueueUrlInput) -> Result<TagsOutput> {
    let q = queue(call, &i.queue_url)?;
    Ok(TagsOutput {
        tags: q.tags.clone(),
    })
}

fn list_dead_letter_source_queues(
    call: &mut Call<'_>,
    i: QueueUrlInput,
) -> Result<SourceQueuesOutput> {
    let arn = queue(call, &i.queue_url)?.arn.clone();
    let (account, region) = (call.ctx.account.clone(), call.ctx.region.clone());
    let queue_urls = call
        .region()
        .queues
        .values()
        .filter(|q| {
            q.attribute("RedrivePolicy")
                .and_then(|p| redrive_target(&p))
                .is_some_and(|(dlq, _)| dlq == arn)
        })
        .map(|q| queue_url(&region, &account, &q.name))
        .collect();
    Ok(SourceQueuesOutput { queue_urls })
}

#[derive(Deserialize)]
struct AddPermissionInput {
    #[serde(rename = "QueueUrl")]
    queue_url: String,
    #[serde(rename = "Label")]
    label: String,
    #[serde(default, rename = "AWSAccountIds", alias = "AWSAccountId")]
    accounts: Vec<String>,
    #[serde(default, rename = "Actions", alias = "ActionName")]
    actions: Vec<String>,
}

/// The queue's policy as a document and its statements, taken out of it (a queue without a policy gets
/// the document SQS starts one with).
fn policy_statements(q: &Queue) -> (serde_json::Value, Vec<serde_json::Value>) {
    let mut policy = q
        .attributes
        .get("Policy")
        .and_then(|p| serde_json::from_str::<serde_json::Value>(p).ok())
        .unwrap_or_else(|| {
            serde_json::json!({"Version": "2012-10-17", "Id": format!("{}/SQSDefaultPolicy", q.arn)})
        });
    let statements = match policy["Statement"].take() {
        serde_json::Value::Array(a) => a,
        serde_json::Value::Null => Vec::new(),
        one => vec![one],
    };
    (policy, statements)
}

/// AddPermission: a statement labelled `Label` letting the accounts use the actions on the queue.
fn add_permission(call: &mut Call<'_>, i: AddPermissionInput) -> Result<NoOutput> {
    if i.accounts.is_empty() {
        return Err(missing("AWSAccountIds"));
    }
    if i.actions.is_empty() {
        return Err(missing("Actions"));
    }
    let now = call.now();
    let q = queue(call, &i.queue_url)?;
    let (mut policy, mut statements) = policy_statements(q);
    if statements.iter().any(|s| s["Sid"] == i.label.as_str()) {
        return Err(bad_value("Label", &i.label, "Already exists."));
    }
    let principals: Vec<String> = i
        .accounts
        .iter()
        .map(|a| format!("arn:aws:iam::{a}:root"))
        .collect();
    let actions: Vec<String> = i.actions.iter().map(|a| format!("SQS:{a}")).collect();
    statements.push(serde_json::json!({
        "Sid": i.label,
        "Effect": "Allow",
        "Principal": {"AWS": principals},
        "Action": actions,
        "Resource": q.arn,
    }));
    policy["Statement"] = statements.into();
    q.attributes.insert("Policy".into(), policy.to_string());
    q.last_modified = now;
    Ok(NoOutput)
}

#[derive(Deserialize)]
#[serde(rename_all = "PascalCase")]
struct RemovePermissionInput {
    queue_url: String,
    label: String,
}

fn remove_permission(call: &mut Call<'_>, i: RemovePermissionInput) -> Result<NoOutput> {
    let now = call.now();
    let q = queue(call, &i.queue_url)?;
    let (mut policy, mut statements) = policy_statements(q);
    let before = statements.len();
    statements.retain(|s| s["Sid"] != i.label.as_str());
    if statements.len() == before {
        return Err(bad_value(
            "Label",
            &i.label,
            "can't find label on existing policy.",
        ));
    }
    if statements.is_empty() {
        q.attributes.remove("Policy");
    } else {
        policy["Statement"] = statements.into();
        q.attributes.insert("Policy".into(), policy.to_string());
    }
    q.last_modified = now;
    Ok(NoOutput)
}
