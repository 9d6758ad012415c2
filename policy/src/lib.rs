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
//! [`subscription_filter`] is the other policy language a notification meets: an SNS subscription's
//! filter policy, which decides whether a published message reaches that subscriber.
//!
//! [`region`] is vocabulary both sides need (a region's long name in an alarm notification).
//!
//! The emulator uses it to refuse what AWS refuses; the checker keeps its own verdict code but may use the
//! same evaluator, as both read the same documented rules.

pub mod condition;
pub mod document;
pub mod evaluate;
pub mod matching;
pub mod region;
pub mod request;
pub mod subscription_filter;

pub use document::{parse, Effect, Policy, PolicyError, Statement};
pub use evaluate::{evaluate, resource_and_identity, Decision, Outcome};
pub use request::{service, Principal, Request};
