//! SNS subscription filter policies: what a subscription lets through. A policy is compiled once, when it
//! is set (Subscribe's or SetSubscriptionAttributes' `FilterPolicy`), with SNS's validation and its
//! recorded refusal messages ([`compile`]); delivery then asks [`FilterPolicy::matches_attributes`] or
//! [`FilterPolicy::matches_body`], depending on the subscription's `FilterPolicyScope` ([`matching`]).
//!
//! The language is AWS's (the SNS developer guide, "Amazon SNS message filtering"): an object whose keys
//! name message attributes (scope `MessageAttributes`) or properties of a JSON message body (scope
//! `MessageBody`, where objects nest), each key holding an array of conditions of which one must hold,
//! every key having to hold, and `$or` offering alternatives at any level.

mod compile;
mod matching;

pub use compile::Refusal;

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

impl FilterPolicy {
    /// Compiles a policy's text for a scope, refusing it as SNS does.
    pub fn compile(text: &str, scope: Scope) -> Result<FilterPolicy, Refusal> {
        compile::compile(text, scope)
    }
}
