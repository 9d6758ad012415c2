//! The report: a verdict, the chains examined, and findings with reason codes, evidence and fixes; with
//! a text renderer (each chain as a tree) and the JSON form other tools read (the output contract).

pub use crate::reason::{Reason, Severity};
use serde::Serialize;
use std::fmt::Write as _;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, PartialOrd, Ord)]
pub enum Status {
    #[serde(rename = "FAIL")]
    Fail,
    #[serde(rename = "UNKNOWN")]
    Unknown,
    #[serde(rename = "PASS")]
    Pass,
}

impl Status {
    pub fn as_str(self) -> &'static str {
        match self {
            Status::Pass => "PASS",
            Status::Fail => "FAIL",
            Status::Unknown => "UNKNOWN",
        }
    }

    /// The exit code of `orgwatch check`: 0 PASS, 1 FAIL, 3 UNKNOWN.
    pub fn exit_code(self) -> u8 {
        match self {
            Status::Pass => 0,
            Status::Fail => 1,
            Status::Unknown => 3,
        }
    }
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Finding {
    pub reason: Reason,
    /// The reason's severity ([`Reason::severity`]), but for the one exception made there.
    pub severity: Severity,
    pub resources: Vec<String>,
    pub message: String,
    pub fix: Vec<String>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub events: Vec<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub witness: Option<serde_json::Value>,
    /// For a policy finding: the statement that decided (a Deny), or the one to add when none allows.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub statement: Option<serde_json::Value>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Link {
    /// `trail`, `log-group`, `metric-filter`, `alarm`, `topic`.
    pub kind: String,
    pub resource: String,
    /// `passed`, `broken` or `unknown`.
    pub state: String,
    pub evidence: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Chain {
    pub trail: String,
    pub status: Status,
    pub links: Vec<Link>,
    #[serde(skip)]
    pub findings: Vec<Finding>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Report {
    pub status: Status,
    pub control: String,
    pub account: Option<String>,
    pub region: String,
    pub organization: String,
    pub chains: Vec<Chain>,
    pub findings: Vec<Finding>,
    pub api_calls: u32,
}

impl Report {
    pub fn reasons(&self) -> Vec<&str> {
        self.findings.iter().map(|f| f.reason.code()).collect()
    }

    pub fn to_json(&self) -> String {
        serde_json::to_string_pretty(self).unwrap_or_default()
    }

    pub fn to_text(&self, calls: Option<&std::collections::BTreeMap<String, u32>>) -> String {
        let mut o = String::new();
        let _ = writeln!(o, "{}: {}", self.status.as_str(), self.control);
        let _ = writeln!(
            o,
            "account {} in {}; {}",
            self.account.as_deref().unwrap_or("(unknown)"),
            self.region,
            self.organization
        );
        if self.chains.is_empty() {
            let _ = writeln!(o, "\nno chain to examine");
        }
        for c in &self.chains {
            let _ = writeln!(o, "\nchain from trail {} [{}]", c.trail, c.status.as_str());
            for (i, l) in c.links.iter().enumerate() {
                let mark = match l.state.as_str() {
                    "passed" => "ok",
                    "broken" => "BROKEN",
                    _ => "UNKNOWN",
                };
                let indent = "  ".repeat(i);
                let _ = writeln!(o, "{indent}└─ {} {} [{mark}]", l.kind, l.resource);
                for e in &l.evidence {
                    let _ = writeln!(o, "{indent}     {e}");
                }
            }
        }
        if !self.findings.is_empty() {
            let _ = writeln!(o, "\nfindings:");
            for f in &self.findings {
                let sev = f.severity.as_str();
                let _ = writeln!(
                    o,
                    "- [{}] {} ({sev}): {}",
                    f.reason,
                    f.resources.join(", "),
                    f.message
                );
                if let Some(st) = &f.statement {
                    let _ = writeln!(o, "  statement: {st}");
                }
                if let Some(w) = &f.witness {
                    let _ = writeln!(o, "  witness: {w}");
                }
                if !f.fix.is_empty() {
                    let _ = writeln!(o, "  fix:");
                    for cmd in &f.fix {
                        let _ = writeln!(o, "    {cmd}");
                    }
                }
            }
        }
        if let Some(calls) = calls {
            let total: u32 = calls.values().sum();
            let _ = writeln!(o, "\nAPI calls: {total}");
            for (op, n) in calls {
                let _ = writeln!(o, "  {op}: {n}");
            }
        }
        o
    }
}
