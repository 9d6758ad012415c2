//! AWS policy evaluation, pure (no I/O): whether a principal may perform an action on a resource, given
//! the policies that apply, and which statement decided it (the evidence a finding shows).
//!
//! Layers, in the order a decision is made: [`document`] parses a policy into statements (scalars or
//! lists as AWS allows either), [`matching`] matches actions, resources and principals with AWS's
//! wildcards, [`condition`] evaluates condition blocks against the request context, and [`evaluate`]
//! combines statements with AWS's precedence: an explicit Deny wins, then an Allow, else the implicit
//! deny. [`evaluate::resource_and_identity`] adds the rule for a resource policy that names the account
//! (a KMS key policy's "Enable IAM User Permissions"): it delegates to the principal's identity policies.
//!
//! The emulator uses it to refuse what AWS refuses; the checker keeps its own verdict code but may use the
//! same evaluator, as both read the same documented rules.

pub mod condition;
pub mod document;
pub mod evaluate;
pub mod matching;

pub use document::{parse, Effect, Policy, PolicyError, Statement};
pub use evaluate::{evaluate, resource_and_identity, Decision, Outcome};

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
