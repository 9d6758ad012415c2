//! A request to decide: who (a service, an IAM principal, or nobody), what action, on which resource, and
//! the condition keys it carries.

use std::collections::BTreeMap;

/// Who makes a request.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Principal {
    /// An AWS service (`cloudtrail.amazonaws.com`).
    Service(String),
    /// An IAM principal: its ARN (`arn:aws:iam::111122223333:role/x`) and its account.
    Aws { arn: String, account: String },
    /// Nobody signed the request.
    Anonymous,
}

/// One request to decide.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Request {
    pub principal: Principal,
    /// `service:Action`.
    pub action: String,
    /// The resource's ARN.
    pub resource: String,
    /// Condition keys and their values (keys compared case-insensitively).
    pub context: BTreeMap<String, Vec<String>>,
}

impl Request {
    pub fn new(principal: Principal, action: &str, resource: &str) -> Self {
        Request {
            principal,
            action: action.to_string(),
            resource: resource.to_string(),
            context: BTreeMap::new(),
        }
    }

    /// Adds a condition key with one value.
    pub fn with(mut self, key: &str, value: &str) -> Self {
        self.context
            .entry(key.to_ascii_lowercase())
            .or_default()
            .push(value.to_string());
        self
    }

    /// A condition key's values, if the request has it.
    pub fn key(&self, name: &str) -> Option<&[String]> {
        self.context
            .get(&name.to_ascii_lowercase())
            .map(Vec::as_slice)
    }
}

/// A service principal (`Request` builder shorthand).
pub fn service(name: &str) -> Principal {
    Principal::Service(name.to_string())
}
