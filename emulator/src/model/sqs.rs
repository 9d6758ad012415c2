//! SQS's model: queues (attributes, tags, policy) and the messages they hold, with each message's
//! visibility kept as instants of the one clock, so a visibility timeout runs out when the virtual clock
//! is advanced past it.
//!
//! Where AWS leaves a reading open, the choice is made here, once:
//! - a queue's URL is AWS's form, `https://sqs.<region>.amazonaws.com/<account>/<name>` ([`queue_url`]):
//!   clients send every call to their configured endpoint and only pass the URL back, so it never needs
//!   to reach this emulator, and recorded answers compare equal. Any URL whose last two path segments are
//!   `<account>/<name>` names the queue ([`parse_queue_url`]), whatever its host;
//! - a queue holds its messages in the order sent; a receive takes the oldest visible ones first (AWS
//!   does not promise an order for standard queues; the oldest first makes tests deterministic).

use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// The attributes SQS gives a queue created without them (AWS's defaults), as GetQueueAttributes shows
/// them.
pub const DEFAULT_ATTRIBUTES: &[(&str, &str)] = &[
    ("DelaySeconds", "0"),
    ("MaximumMessageSize", "262144"),
    ("MessageRetentionPeriod", "345600"),
    ("ReceiveMessageWaitTimeSeconds", "0"),
    ("VisibilityTimeout", "30"),
    ("SqsManagedSseEnabled", "true"),
];

/// The sender id SNS's deliveries carry (`SenderId` of a message SNS sent to a queue).
pub const SNS_SENDER_ID: &str = "AIDAIT2UOQQY3AUEKVGXU";

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Queue {
    pub name: String,
    pub arn: String,
    /// The attributes set (at creation or by SetQueueAttributes); defaults are not stored.
    #[serde(default)]
    pub attributes: BTreeMap<String, String>,
    #[serde(default)]
    pub tags: BTreeMap<String, String>,
    pub created: f64,
    pub last_modified: f64,
    #[serde(default)]
    pub messages: Vec<Message>,
    /// When the queue was last purged (one purge per 60 seconds).
    #[serde(default)]
    pub purged_at: Option<f64>,
    /// The last sequence number a FIFO queue gave a message.
    #[serde(default)]
    pub sequence: u64,
    /// When the queue's depth was last sampled for CloudWatch (`pipeline::queue_metrics`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub depth_sampled_at: Option<f64>,
}

/// What a send left in a queue.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Sent {
    pub id: String,
    pub sequence_number: Option<String>,
}

/// A message to put in a queue.
#[derive(Debug, Clone, Default)]
pub struct Outgoing {
    pub body: String,
    pub attributes: BTreeMap<String, MessageAttribute>,
    pub sender_id: String,
    /// Seconds before the message can be received (the queue's `DelaySeconds` when absent).
    pub delay: Option<u64>,
    pub group_id: Option<String>,
    pub deduplication_id: Option<String>,
}

/// How long a FIFO queue remembers a deduplication id.
pub const DEDUPLICATION_SECONDS: f64 = 300.0;

impl Queue {
    /// An attribute's value: the one set, or AWS's default.
    pub fn attribute(&self, name: &str) -> Option<String> {
        self.attributes.get(name).cloned().or_else(|| {
            DEFAULT_ATTRIBUTES
                .iter()
                .find(|(k, _)| *k == name)
                .map(|(_, v)| v.to_string())
        })
    }

    /// A numeric attribute (all of SQS's numeric attributes are whole seconds or bytes).
    pub fn number(&self, name: &str) -> u64 {
        self.attribute(name)
            .and_then(|v| v.parse().ok())
            .unwrap_or_default()
    }

    pub fn is_fifo(&self) -> bool {
        self.name.ends_with(".fifo")
    }

    /// Puts a message in the queue. A FIFO queue that saw the same deduplication id in the last five
    /// minutes keeps the first message and answers with its id, as SQS does.
    pub fn enqueue(&mut self, m: Outgoing, now: f64) -> Sent {
        if let Some(dedup) = &m.deduplication_id {
            if let Some(first) = self.messages.iter().find(|x| {
                x.deduplication_id.as_ref() == Some(dedup) && now - x.sent < DEDUPLICATION_SECONDS
            }) {
                return Sent {
                    id: first.id.clone(),
                    sequence_number: first.sequence_number.clone(),
                };
            }
        }
        let sequence_number = self.is_fifo().then(|| {
            self.sequence += 1;
            format!("{:020}", self.sequence)
        });
        let delay = m.delay.unwrap_or_else(|| self.number("DelaySeconds")) as f64;
        let id = uuid::Uuid::new_v4().to_string();
        self.messages.push(Message {
            id: id.clone(),
            body: m.body,
            sent: now,
            sender_id: m.sender_id,
            visible_at: now + delay,
            receive_count: 0,
            first_received: None,
            receipt_handle: None,
            attributes: m.attributes,
            group_id: m.group_id,
            deduplication_id: m.deduplication_id,
            sequence_number: sequence_number.clone(),
        });
        Sent {
            id,
            sequence_number,
        }
    }

    /// Drops messages older than the retention period.
    pub fn expire(&mut self, now: f64) {
        let retention = self.number("MessageRetentionPeriod") as f64;
        self.messages.retain(|m| now - m.sent < retention);
    }
}

/// A message attribute as SQS holds it (`DataType` with a string or binary value).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct MessageAttribute {
    #[serde(default)]
    pub data_type: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub string_value: Option<String>,
    /// Base64, as the JSON protocol carries it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub binary_value: Option<String>,
}

impl MessageAttribute {
    /// SNS and SQS take a `String`, `Number` or `Binary` data type, optionally with a custom suffix
    /// (`Number.float`, `String.Array`).
    pub fn has_valid_type(&self) -> bool {
        let base = self.data_type.split('.').next().unwrap_or_default();
        ["String", "Number", "Binary"].contains(&base)
    }
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Message {
    pub id: String,
    pub body: String,
    pub sent: f64,
    pub sender_id: String,
    /// The instant the message can next be received (sent + delay, or the end of a visibility timeout).
    pub visible_at: f64,
    #[serde(default)]
    pub receive_count: u32,
    #[serde(default)]
    pub first_received: Option<f64>,
    /// The handle of the latest receive; earlier handles no longer change visibility.
    #[serde(default)]
    pub receipt_handle: Option<String>,
    #[serde(default)]
    pub attributes: BTreeMap<String, MessageAttribute>,
    #[serde(default)]
    pub group_id: Option<String>,
    #[serde(default)]
    pub deduplication_id: Option<String>,
    #[serde(default)]
    pub sequence_number: Option<String>,
}

impl Message {
    /// Received and its visibility timeout not over.
    pub fn in_flight(&self, now: f64) -> bool {
        self.receipt_handle.is_some() && self.visible_at > now
    }
}

/// A message's size as SQS counts it (against `MaximumMessageSize`, and in `SentMessageSize`): the body
/// and each attribute's name, type and value.
pub fn message_size(body: &str, attributes: &BTreeMap<String, MessageAttribute>) -> usize {
    body.len()
        + attributes
            .iter()
            .map(|(name, a)| {
                name.len()
                    + a.data_type.len()
                    + a.string_value.as_ref().map_or(0, String::len)
                    + a.binary_value.as_ref().map_or(0, String::len)
            })
            .sum::<usize>()
}

/// The hex MD5 digest SQS reports of a body.
pub fn md5_hex(bytes: &[u8]) -> String {
    use md5::{Digest, Md5};
    Md5::digest(bytes)
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

/// SQS's `MD5OfMessageAttributes`: the attributes sorted by name, each as its length-prefixed name, data
/// type, a transport byte (1 text, 2 binary) and length-prefixed value; `None` when there are none.
pub fn md5_of_attributes(attributes: &BTreeMap<String, MessageAttribute>) -> Option<String> {
    use base64::Engine;
    if attributes.is_empty() {
        return None;
    }
    fn put(buf: &mut Vec<u8>, bytes: &[u8]) {
        buf.extend_from_slice(&(bytes.len() as u32).to_be_bytes());
        buf.extend_from_slice(bytes);
    }
    let mut buf = Vec::new();
    for (name, a) in attributes {
        put(&mut buf, name.as_bytes());
        put(&mut buf, a.data_type.as_bytes());
        match (&a.string_value, &a.binary_value) {
            (Some(s), _) => {
                buf.push(1);
                put(&mut buf, s.as_bytes());
            }
            (None, Some(b)) => {
                buf.push(2);
                let raw = base64::engine::general_purpose::STANDARD
                    .decode(b)
                    .unwrap_or_default();
                put(&mut buf, &raw);
            }
            (None, None) => buf.push(1),
        }
    }
    Some(md5_hex(&buf))
}

/// AWS's URL for a queue.
pub fn queue_url(region: &str, account: &str, name: &str) -> String {
    format!("https://sqs.{region}.amazonaws.com/{account}/{name}")
}

/// The account and name a queue URL names (its last two path segments).
pub fn parse_queue_url(url: &str) -> Option<(String, String)> {
    let path = url.split_once("://").map_or(url, |(_, rest)| rest);
    let mut segs = path.trim_end_matches('/').rsplit('/');
    let name = segs.next()?;
    let account = segs.next()?;
    let valid = account.len() == 12 && account.chars().all(|c| c.is_ascii_digit());
    (valid && !name.is_empty()).then(|| (account.to_string(), name.to_string()))
}

/// The queue's ARN.
pub fn queue_arn(region: &str, account: &str, name: &str) -> String {
    format!("arn:aws:sqs:{region}:{account}:{name}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_queue_url_names_its_account_and_queue_whatever_the_host() {
        let aws = queue_url("eu-west-1", "123456789012", "alerts");
        assert_eq!(
            aws,
            "https://sqs.eu-west-1.amazonaws.com/123456789012/alerts"
        );
        let named = Some(("123456789012".to_string(), "alerts".to_string()));
        assert_eq!(parse_queue_url(&aws), named);
        assert_eq!(
            parse_queue_url("http://localhost:4566/123456789012/alerts"),
            named
        );
        assert_eq!(parse_queue_url("alerts"), None);
        assert_eq!(parse_queue_url("http://h/notanaccount/alerts"), None);
    }

    #[test]
    fn digests_are_the_ones_sqs_reports() {
        // AWS's documented digest of the body "hello world" and of one String attribute (the value the
        // AWS SDKs check a SendMessage answer against).
        assert_eq!(md5_hex(b"hello world"), "5eb63bbbe01eeed093cb22bb8f5acdc3");
        let mut attrs = BTreeMap::new();
        attrs.insert(
            "a".to_string(),
            MessageAttribute {
                data_type: "String".into(),
                string_value: Some("b".into()),
                binary_value: None,
            },
        );
        let mut buf = Vec::new();
        for part in [&b"a"[..], b"String"] {
            buf.extend_from_slice(&(part.len() as u32).to_be_bytes());
            buf.extend_from_slice(part);
        }
        buf.push(1);
        buf.extend_from_slice(&1u32.to_be_bytes());
        buf.push(b'b');
        assert_eq!(md5_of_attributes(&attrs), Some(md5_hex(&buf)));
        assert_eq!(md5_of_attributes(&BTreeMap::new()), None);
    }

    #[test]
    fn a_fifo_queue_keeps_the_first_of_two_sends_with_one_deduplication_id() {
        let mut q = Queue {
            name: "q.fifo".into(),
            arn: queue_arn("us-east-1", "123456789012", "q.fifo"),
            attributes: BTreeMap::new(),
            tags: BTreeMap::new(),
            created: 0.0,
            last_modified: 0.0,
            messages: Vec::new(),
            purged_at: None,
            sequence: 0,
            depth_sampled_at: None,
        };
        let send = |body: &str| Outgoing {
            body: body.into(),
            deduplication_id: Some("d".into()),
            group_id: Some("g".into()),
            ..Outgoing::default()
        };
        let first = q.enqueue(send("one"), 0.0);
        assert_eq!(q.enqueue(send("two"), 10.0), first);
        assert_eq!(q.messages.len(), 1);
        assert_ne!(q.enqueue(send("three"), 400.0), first);
        assert_eq!(q.messages.len(), 2);
        assert_eq!(
            first.sequence_number.as_deref(),
            Some("00000000000000000001")
        );
    }
}
