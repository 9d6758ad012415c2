//! What every link's judgement shares: the chain being built (links, findings with their fixes, the
//! names the fixes use) and the metric a group of filters publishes to.

use crate::fix::{commands, Names};
use crate::inventory::{CallError, MetricFilter};
use crate::reason::{Reason, Severity};
use crate::report::{Chain, Finding, Link, Status};
use orgwatch_pattern::ValueRef;

/// A link's state: `broken` by a failure, else `unknown` where something could not be verified, else
/// `passed`.
pub fn link_state(broken: bool, unknown: bool) -> &'static str {
    if broken {
        "broken"
    } else if unknown {
        "unknown"
    } else {
        "passed"
    }
}

/// The metric a filter publishes to: namespace, name and dimension names.
pub type MetricKey = (String, String, Vec<String>);

/// Collects a chain's links and findings.
pub(super) struct Builder {
    pub names: Names,
    pub links: Vec<Link>,
    pub findings: Vec<Finding>,
}

impl Builder {
    pub fn link(&mut self, kind: &str, resource: &str, state: &str, evidence: Vec<String>) {
        self.links.push(Link {
            kind: kind.into(),
            resource: resource.into(),
            state: state.into(),
            evidence,
        });
    }

    pub fn find(
        &mut self,
        reason: Reason,
        resources: Vec<String>,
        message: String,
    ) -> &mut Finding {
        let fix = commands(reason, &self.names);
        self.findings.push(Finding {
            reason,
            severity: reason.severity(),
            resources,
            message,
            fix,
            events: Vec::new(),
            witness: None,
            statement: None,
        });
        self.findings.last_mut().expect("just pushed")
    }

    pub fn unknown(&mut self, e: &CallError, resource: &str) {
        let reason = if e.code == "CrossAccount" {
            Reason::CrossAccountUnverifiable
        } else if e.is_access_denied() {
            Reason::AccessDenied
        } else {
            Reason::CallFailed
        };
        self.find(
            reason,
            vec![resource.into()],
            format!("{} failed: {} ({})", e.operation, e.message, e.code),
        );
    }

    pub fn status(&self) -> Status {
        if self
            .findings
            .iter()
            .any(|f| f.severity == Severity::Failure)
        {
            Status::Fail
        } else if self
            .findings
            .iter()
            .any(|f| f.severity == Severity::Unknown)
        {
            Status::Unknown
        } else {
            Status::Pass
        }
    }

    pub fn finish(self, trail: &str) -> Chain {
        let status = self.status();
        Chain {
            trail: trail.into(),
            status,
            links: self.links,
            findings: self.findings,
        }
    }
}

/// Whether a filter takes its metric value from the event (`$.field`, `$name`) rather than a literal.
pub fn is_extracted(f: &MetricFilter) -> bool {
    matches!(ValueRef::parse(&f.value), Ok(v) if !matches!(v, ValueRef::Literal(_)))
}
