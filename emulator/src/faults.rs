//! Injected faults (`POST /_orgwatch/faults`): deny an operation with AccessDenied, throttle it, or delay
//! it, for an account, region and operation, so that clients' handling of each can be tested.

use crate::error::ApiError;
use serde::{Deserialize, Serialize};

/// What a fault does.
#[derive(Debug, Clone, Copy, Serialize, Deserialize, PartialEq, Eq)]
#[serde(rename_all = "lowercase")]
pub enum FaultKind {
    /// AccessDenied, as IAM answers.
    Deny,
    /// The service's throttling error (clients retry it).
    Throttle,
    /// Answers after `delayMs`.
    Delay,
}

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
#[serde(rename_all = "camelCase")]
pub struct Fault {
    pub kind: FaultKind,
    /// The operation (`DescribeTrails`), optionally with its service (`cloudtrail:DescribeTrails`).
    pub operation: String,
    #[serde(default)]
    pub account: Option<String>,
    #[serde(default)]
    pub region: Option<String>,
    /// How many requests it affects (unlimited when absent).
    #[serde(default)]
    pub count: Option<u32>,
    #[serde(default)]
    pub delay_ms: Option<u64>,
}

impl Fault {
    pub fn validate(&self) -> Result<(), String> {
        match self.kind {
            FaultKind::Delay if self.delay_ms.is_none() => Err("a delay needs \"delayMs\"".into()),
            _ => Ok(()),
        }
    }

    fn applies(&self, service: &str, op: &str, account: &str, region: &str) -> bool {
        let op_ok = match self.operation.split_once(':') {
            Some((s, o)) => {
                (s == service || (s == "cloudwatch" && service == "monitoring")) && o == op
            }
            None => self.operation == op || self.operation == "*",
        };
        op_ok
            && self.account.as_deref().is_none_or(|a| a == account)
            && self.region.as_deref().is_none_or(|r| r == region)
    }
}

/// What a matching fault does to a request.
pub enum Effect {
    Fail(ApiError),
    Delay(u64),
}

/// Finds the first fault that applies, using up one of its counts.
pub fn take(
    faults: &mut Vec<Fault>,
    service: &str,
    op: &str,
    account: &str,
    region: &str,
) -> Option<Effect> {
    let i = faults
        .iter()
        .position(|f| f.applies(service, op, account, region))?;
    let f = faults[i].clone();
    if let Some(n) = faults[i].count.as_mut() {
        *n = n.saturating_sub(1);
        if *n == 0 {
            faults.remove(i);
        }
    }
    Some(match f.kind {
        FaultKind::Deny => Effect::Fail(denied(service, op, account)),
        FaultKind::Throttle => Effect::Fail(throttled(service)),
        FaultKind::Delay => Effect::Delay(f.delay_ms.unwrap_or(0)),
    })
}

fn denied(service: &str, op: &str, account: &str) -> ApiError {
    let message = format!(
        "User: {} is not authorized to perform: {service}:{op}",
        crate::context::caller_arn(account)
    );
    match service {
        "sns" => ApiError::new("AuthorizationError", 403, message),
        "sts" | "monitoring" => ApiError::new("AccessDenied", 403, message),
        _ => ApiError::new("AccessDeniedException", 400, message),
    }
}

fn throttled(service: &str) -> ApiError {
    match service {
        "sns" | "sts" | "monitoring" => ApiError::new("Throttling", 400, "Rate exceeded"),
        _ => ApiError::new("ThrottlingException", 400, "Rate exceeded"),
    }
}
