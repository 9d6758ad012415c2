//! SNS subscription filter policies: what a subscription lets through. A policy's text is compiled with
//! SNS's validation and its recorded refusal messages (`FilterPolicy::compile`, in `compile.rs`): the
//! emulator does so when a policy is set (Subscribe's or SetSubscriptionAttributes' `FilterPolicy`) and
//! again at each delivery (a policy is small: at most 150 combinations); the checker does so to judge
//! whether an alarm's notification gets through. Either then asks
//! [`FilterPolicy::matches_attributes`] or [`FilterPolicy::matches_body`] by the subscription's
//! `FilterPolicyScope` (`matching.rs`). The submodules use this module's types; this module names neither
//! of them, so the layers stay one-way.
//!
//! The language is AWS's (the SNS developer guide, "Amazon SNS message filtering"): an object whose keys
//! name message attributes (scope `MessageAttributes`) or properties of a JSON message body (scope
//! `MessageBody`, where objects nest), each key holding an array of conditions of which one must hold,
//! every key having to hold, and `$or` offering alternatives at any level.

mod compile;
mod matching;

use std::net::IpAddr;

/// Where a policy looks: the message's attributes (AWS's default) or its JSON body.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Scope {
    MessageAttributes,
    MessageBody,
}

impl Scope {
    /// The `FilterPolicyScope` attribute's value; absent means `MessageAttributes`.
    pub fn from_attribute(value: Option<&str>) -> Scope {
        match value {
            Some("MessageBody") => Scope::MessageBody,
            _ => Scope::MessageAttributes,
        }
    }
}

/// A message attribute as a policy reads it (scope `MessageAttributes`): its data type (`String`,
/// `Number`, `String.Array`, `Binary`, with any custom suffix) and its string value.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Attribute<'a> {
    pub data_type: &'a str,
    pub string_value: Option<&'a str>,
}

/// A literal a condition compares with: what a JSON leaf can be.
#[derive(Debug, Clone, PartialEq)]
enum Literal {
    Text(String),
    Number(f64),
    Bool(bool),
    Null,
}

/// One numeric comparison of a `numeric` condition.
#[derive(Debug, Clone, Copy, PartialEq)]
enum Comparison {
    Eq,
    Lt,
    Le,
    Gt,
    Ge,
}

/// What `anything-but` excludes.
#[derive(Debug, Clone, PartialEq)]
enum Excluded {
    Literals(Vec<Literal>),
    Prefix(String),
}

/// One condition of a key's array.
#[derive(Debug, Clone, PartialEq)]
enum Condition {
    Equals(Literal),
    Prefix(String),
    Suffix(String),
    EqualsIgnoreCase(String),
    AnythingBut(Excluded),
    Numeric(Vec<(Comparison, f64)>),
    Exists(bool),
    Cidr(IpAddr, u8),
}

/// A compiled policy: its alternatives (one per way through its `$or`s), each a list of keys (dotted
/// paths, as AWS reads both `{"a": {"b": …}}` and `{"a.b": …}`) with the conditions one of which must hold.
#[derive(Debug, Clone, PartialEq)]
pub struct FilterPolicy {
    alternatives: Vec<Vec<(String, Vec<Condition>)>>,
}

/// Why a policy is refused. [`Refusal::reason`] is the text SNS puts after `Invalid parameter: ` (and,
/// in Subscribe, after `Attributes Reason: `).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Refusal {
    /// Not a JSON object.
    NotJson,
    /// Nested keys in scope `MessageAttributes`.
    NestedInAttributesScope,
    /// Anything else, with SNS's wording.
    Rule(String),
}

impl Refusal {
    pub fn reason(&self) -> String {
        match self {
            Refusal::NotJson => "FilterPolicy: failed to parse JSON.".into(),
            Refusal::NestedInAttributesScope => {
                "Filter policy scope MessageAttributes does not support nested filter policy".into()
            }
            Refusal::Rule(m) => format!("FilterPolicy: {m}"),
        }
    }
}
