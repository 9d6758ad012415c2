//! The JSON document SNS sends for a message: the body of an HTTP/HTTPS POST ([`super::http`]) and of the
//! SQS message a queue subscriber gets ([`super::delivery`]) unless it asked for raw delivery. The
//! `Signature` is not AWS's (no AWS signing key exists here), and the certificate and unsubscribe URLs
//! point at this emulator.

use crate::model::sns::Delivery;
use serde_json::json;

/// The JSON document SNS sends for `d`.
pub fn body(d: &Delivery, public_url: &str) -> String {
    let mut v = json!({
        "Type": d.kind,
        "MessageId": d.message_id,
        "TopicArn": d.topic_arn,
    });
    if let Some(s) = &d.subject {
        v["Subject"] = json!(s);
    }
    if let Some(t) = &d.token {
        v["Token"] = json!(t);
    }
    v["Message"] = json!(d.message);
    if !d.attributes.is_empty() {
        let attributes: serde_json::Map<String, serde_json::Value> = d
            .attributes
            .iter()
            .map(|(k, a)| {
                let value = a.string_value.clone().or_else(|| a.binary_value.clone());
                (k.clone(), json!({"Type": a.data_type, "Value": value}))
            })
            .collect();
        v["MessageAttributes"] = attributes.into();
    }
    if let Some(u) = &d.subscribe_url {
        v["SubscribeURL"] = json!(u);
    }
    v["Timestamp"] = json!(crate::clock::iso8601(d.timestamp));
    // A FIFO topic's message carries its sequence number and, as AWS recorded it, no signature.
    if let Some(n) = &d.ordering.sequence_number {
        v["SequenceNumber"] = json!(n);
    } else {
        v["SignatureVersion"] = json!("1");
        v["Signature"] = json!("b3Jnd2F0Y2ggZW11bGF0b3I6IG5vdCBzaWduZWQgYnkgQVdT");
        v["SigningCertURL"] = json!(format!(
            "{public_url}/_orgwatch/sns/SimpleNotificationService-orgwatch.pem"
        ));
    }
    if let Some(arn) = &d.subscription_arn {
        // AWS writes the ARN as it is, colons and all.
        v["UnsubscribeURL"] = json!(format!(
            "{public_url}/?Action=Unsubscribe&SubscriptionArn={arn}"
        ));
    }
    v.to_string()
}

/// Percent-encodes a query-string value.
pub fn encode(v: &str) -> String {
    form_urlencoded::byte_serialize(v.as_bytes()).collect()
}
