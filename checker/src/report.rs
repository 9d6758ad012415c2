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
    /// Which control of the family this report decides, when it was asked for by `--control`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub control_id: Option<ControlId>,
}

/// A control's identity in a report: its slug, its number in the benchmark version judged, its Security
/// Hub id, and why the benchmark's own text is uncertain, when it is.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ControlId {
    pub id: String,
    pub benchmark: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub cis: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub securityhub: Option<String>,
    pub title: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub uncertain: Option<String>,
}

/// Several controls decided against one inventory (`check --control`): a report per control, and the
/// verdict over them all (PASS only when every control passes; otherwise FAIL before UNKNOWN).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct FamilyReport {
    pub status: Status,
    /// `CIS AWS Foundations Benchmark v6.0.0`.
    pub benchmark: String,
    pub account: Option<String>,
    pub region: String,
    pub organization: String,
    pub passed: usize,
    pub failed: usize,
    pub unknown: usize,
    pub controls: Vec<Report>,
    pub api_calls: u32,
}

impl FamilyReport {
    pub fn to_json(&self) -> String {
        serde_json::to_string_pretty(self).unwrap_or_default()
    }

    /// A table of the controls, then each control's report.
    pub fn to_text(&self, calls: Option<&std::collections::BTreeMap<String, u32>>) -> String {
        let mut o = String::new();
        let _ = writeln!(
            o,
            "{}: {}, {} controls: {} PASS, {} FAIL, {} UNKNOWN",
            self.status.as_str(),
            self.benchmark,
            self.controls.len(),
            self.passed,
            self.failed,
            self.unknown
        );
        let _ = writeln!(
            o,
            "account {} in {}; {}\n",
            self.account.as_deref().unwrap_or("(unknown)"),
            self.region,
            self.organization
        );
        let _ = writeln!(
            o,
            "{:<6} {:<34} {:<14} {:<8} reasons",
            "CIS", "control", "Security Hub", "status"
        );
        for r in &self.controls {
            let id = r.control_id.as_ref();
            let mut reasons: Vec<&str> = r
                .findings
                .iter()
                .filter(|f| f.severity != Severity::Warning)
                .map(|f| f.reason.code())
                .collect();
            reasons.dedup();
            let _ = writeln!(
                o,
                "{:<6} {:<34} {:<14} {:<8} {}",
                id.and_then(|c| c.cis.as_deref()).unwrap_or("-"),
                id.map_or("", |c| c.id.as_str()),
                id.and_then(|c| c.securityhub.as_deref()).unwrap_or("-"),
                r.status.as_str(),
                reasons.join(", ")
            );
        }
        for r in &self.controls {
            let _ = writeln!(o, "\n{}", "=".repeat(100));
            o.push_str(&r.to_text(None));
            if let Some(why) = r.control_id.as_ref().and_then(|c| c.uncertain.as_deref()) {
                let _ = writeln!(
                    o,
                    "\nnote: the benchmark's text for this control is uncertain: {why}"
                );
            }
        }
        if let Some(calls) = calls {
            write_calls(&mut o, calls);
        }
        o
    }
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
            write_calls(&mut o, calls);
        }
        o
    }
}

/// The API calls made, by operation, after their total (`--verbose`).
fn write_calls(o: &mut String, calls: &std::collections::BTreeMap<String, u32>) {
    let total: u32 = calls.values().sum();
    let _ = writeln!(o, "\nAPI calls: {total}");
    for (op, n) in calls {
        let _ = writeln!(o, "  {op}: {n}");
    }
}
