//! What Publish and each PublishBatch entry carry, checked as SNS checks it, with its recorded messages:
//! the message and subject, the message structure, and the message attributes (names, types, values).

use super::shared::{invalid, Result, SnsError};
use crate::model::sns::MessageTexts;
use crate::model::sqs::MessageAttribute;
use std::collections::BTreeMap;

/// Publish: 256 KiB.
pub(super) const MAX_MESSAGE_BYTES: usize = 262_144;

/// Checks a message of 1 byte to 256 KiB, a subject of 1 to 100 characters, and the attributes. `path` is
/// where the attributes stand in the request, as AWS's validation names it (`messageAttributes`, or
/// `publishBatchRequestEntries.N.member.messageAttributes` in a batch).
pub(super) fn check_message(
    message: &str,
    subject: Option<&str>,
    attributes: &BTreeMap<String, MessageAttribute>,
    path: &str,
) -> Result<()> {
    check_message_attributes(attributes, path)?;
    if message.is_empty() {
        return Err(invalid("Empty message"));
    }
    if message_size(message, attributes) > MAX_MESSAGE_BYTES {
        return Err(invalid("Message too long"));
    }
    if subject.is_some_and(|s| s.is_empty() || s.len() > 100) {
        return Err(invalid("Subject"));
    }
    Ok(())
}

/// A message's size as SNS limits it: the body and each attribute's name, type and value, in bytes.
pub(super) fn message_size(
    message: &str,
    attributes: &BTreeMap<String, MessageAttribute>,
) -> usize {
    message.len()
        + attributes
            .iter()
            .map(|(name, a)| {
                let value = a.string_value.as_deref().or(a.binary_value.as_deref());
                name.len() + a.data_type.len() + value.map_or(0, str::len)
            })
            .sum::<usize>()
}

/// `MessageStructure` `json`: a JSON object whose `default` member (a string) every protocol it does
/// not name receives.
pub(super) fn message_texts(message: &str, structure: Option<&str>) -> Result<MessageTexts> {
    match structure {
        None => Ok(MessageTexts::one(message)),
        Some("json") => {
            let v: serde_json::Value = serde_json::from_str(message)
                .map_err(|_| invalid("Message Structure - JSON message body failed to parse"))?;
            let serde_json::Value::Object(members) = v else {
                return Err(invalid(
                    "Message Structure - JSON message body failed to parse",
                ));
            };
            let Some(serde_json::Value::String(default)) = members.get("default") else {
                return Err(invalid(
                    "Message Structure - No default entry in JSON message body",
                ));
            };
            let per_protocol = members
                .iter()
                .filter_map(|(k, v)| v.as_str().map(|t| (k.clone(), t.to_string())))
                .collect();
            Ok(MessageTexts {
                default: default.clone(),
                per_protocol,
            })
        }
        Some(_) => Err(invalid("MessageStructure")),
    }
}

fn value_invalid(message: impl Into<String>) -> SnsError {
    SnsError::ParameterValueInvalid(message.into())
}

/// A message attribute's name: at most 255 bytes of letters, digits, `-`, `_` and `.`, with no dot first,
/// last, or twice in a row.
fn check_attribute_name(name: &str) -> Result<()> {
    if name.len() > 255 {
        return Err(value_invalid(
            "Length of message attribute name must be less than 256 bytes.",
        ));
    }
    if let Some(c) = name
        .chars()
        .find(|c| !(c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.')))
    {
        return Err(value_invalid(format!(
            "Invalid non-alphanumeric character '#x{:X}' was found in the message attribute name. Can only include alphanumeric characters, hyphens, underscores, or dots.",
            u32::from(c)
        )));
    }
    if name.starts_with('.') {
        return Err(value_invalid(
            "Invalid message attribute name starting with character '.' was found.",
        ));
    }
    if name.ends_with('.') {
        return Err(value_invalid(
            "Invalid message attribute name ending with character '.' was found.",
        ));
    }
    if name.contains("..") {
        return Err(value_invalid(
            "Message attribute name can not have successive '.' character.",
        ));
    }
    Ok(())
}

/// Checks a message's attributes as SNS does: at most ten; each name as [`check_attribute_name`]; a
/// `String`, `Number` or `Binary` type, with a custom suffix after a dot if any (`String.` alone is
/// refused, recorded); the value in the field its type uses, not empty.
fn check_message_attributes(
    attributes: &BTreeMap<String, MessageAttribute>,
    path: &str,
) -> Result<()> {
    for (name, a) in attributes {
        if a.data_type.is_empty() {
            return Err(SnsError::ValidationError(format!(
                "1 validation error detected: Value null at '{path}.{name}.member.dataType' failed to satisfy constraint: Member must not be null"
            )));
        }
    }
    if attributes.len() > 10 {
        return Err(invalid(format!(
            "MessageAttributes Reason: Number of message attributes [{}] exceeds the allowed maximum [10].",
            attributes.len()
        )));
    }
    for (name, a) in attributes {
        check_attribute_name(name)?;
        let (base, suffix) = match a.data_type.split_once('.') {
            Some((base, suffix)) => (base, Some(suffix)),
            None => (a.data_type.as_str(), None),
        };
        if !["String", "Number", "Binary"].contains(&base) || suffix == Some("") {
            return Err(value_invalid(format!(
                "The message attribute '{name}' has an invalid message attribute type, the set of supported type prefixes is Binary, Number, and String."
            )));
        }
        let present = |v: &Option<String>| v.as_deref().is_some_and(|v| !v.is_empty());
        let (value, other, field) = if base == "Binary" {
            (&a.binary_value, &a.string_value, "Binary")
        } else {
            (&a.string_value, &a.binary_value, "String")
        };
        if !present(value) {
            return Err(value_invalid(if present(other) {
                format!(
                    "The message attribute '{name}' with type '{}' must use field '{field}'.",
                    a.data_type
                )
            } else {
                format!(
                    "The message attribute '{name}' must contain non-empty message attribute value for message attribute type '{}'.",
                    a.data_type
                )
            }));
        }
    }
    Ok(())
}
