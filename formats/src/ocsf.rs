//! OCSF 1.5 Compliance Findings (class 2003), as a JSON array: one per case (each chain link, or each
//! drilled event), whose compliance status is the link's, and one per finding, whose status is a
//! failure's, with the fix as remediation. Account and witness, which the class has no place for, are
//! under `unmapped`.

use crate::digest::{short_name, CaseState, Digest, Item};
use crate::input::{Meta, TOOL};
use orgwatch_checker::Severity;
use serde_json::{json, Value};

pub const OCSF_VERSION: &str = "1.5.0";
const CLASS_UID: u32 = 2003;
const ACTIVITY_CREATE: u32 = 1;

/// OCSF `compliance.status_id`: 1 Pass, 2 Warning, 3 Fail, 0 Unknown.
fn compliance_status(state: CaseState) -> (u32, &'static str) {
    match state {
        CaseState::Passed => (1, "Pass"),
        CaseState::Broken => (3, "Fail"),
        CaseState::Unknown => (0, "Unknown"),
    }
}

/// OCSF `severity_id`: 1 Informational, 2 Low, 3 Medium, 4 High.
fn severity(s: Severity) -> (u32, &'static str) {
    match s {
        Severity::Failure => (4, "High"),
        Severity::Unknown => (3, "Medium"),
        Severity::Warning => (2, "Low"),
    }
}

fn resource(arn: &str, kind: &str, region: &str) -> Value {
    json!({"uid": arn, "name": short_name(arn), "type": kind, "region": region, "cloud_partition": "aws"})
}

pub fn render(d: &Digest, meta: &Meta) -> Value {
    let time = meta.epoch_millis();
    let command = d.kind.command();
    let base = |uid: String, title: String, desc: String, event_code: &str| {
        json!({
            "activity_id": ACTIVITY_CREATE,
            "activity_name": "Create",
            "category_uid": 2,
            "category_name": "Findings",
            "class_uid": CLASS_UID,
            "class_name": "Compliance Finding",
            "type_uid": CLASS_UID * 100 + ACTIVITY_CREATE,
            "type_name": "Compliance Finding: Create",
            "time": time,
            "status_id": 1,
            "status": "New",
            "message": desc,
            "finding_info": {
                "uid": uid,
                "title": title,
                "desc": desc,
                "created_time": time,
                "types": [format!("{TOOL} {command}")],
            },
            "metadata": {
                "version": OCSF_VERSION,
                "event_code": event_code,
                "product": {"name": TOOL, "vendor_name": TOOL, "version": meta.tool_version},
            },
        })
    };
    let compliance = |state: CaseState| {
        let (id, _) = compliance_status(state);
        json!({
            "standards": ["CIS Amazon Web Services Foundations Benchmark"],
            "control": orgwatch_pattern::cis::CONTROL_IDS,
            "desc": d.title,
            "status_id": id,
        })
    };
    let mut out = Vec::new();
    for suite in &d.suites {
        for case in &suite.cases {
            let (status_id, status) = compliance_status(case.state);
            let (sev_id, sev) = match case.state {
                CaseState::Passed => (1, "Informational"),
                CaseState::Broken => severity(Severity::Failure),
                CaseState::Unknown => severity(Severity::Unknown),
            };
            let uid = format!(
                "{TOOL}/{command}/{}/{}/{}/{}",
                d.account, d.region, suite.name, case.name
            );
            let desc = if case.evidence.is_empty() {
                format!("{}: {status}", case.name)
            } else {
                format!("{}: {status}. {}", case.name, case.evidence.join("; "))
            };
            let mut v = base(
                uid,
                format!("{} — {}", suite.name, case.name),
                desc,
                &case.kind,
            );
            v["compliance"] = compliance(case.state);
            v["severity_id"] = json!(sev_id);
            v["severity"] = json!(sev);
            v["status_code"] = json!(status.to_uppercase());
            if !case.resource.is_empty() {
                v["resources"] = json!([resource(&case.resource, &case.kind, &d.region)]);
            }
            v["unmapped"] = json!({"account": d.account, "compliance_status": status_id});
            out.push(v);
        }
    }
    for f in &d.findings {
        out.push(finding(d, f, &base, &compliance));
    }
    Value::Array(out)
}

fn finding(
    d: &Digest,
    f: &Item,
    base: &dyn Fn(String, String, String, &str) -> Value,
    compliance: &dyn Fn(CaseState) -> Value,
) -> Value {
    let uid = format!(
        "{TOOL}/{}/{}/{}/{}",
        d.account, d.region, f.rule, f.fingerprint
    );
    let mut v = base(uid, f.rule.to_string(), f.message.clone(), f.rule);
    let state = match f.severity {
        Severity::Failure => CaseState::Broken,
        Severity::Unknown => CaseState::Unknown,
        Severity::Warning => CaseState::Passed,
    };
    v["compliance"] = compliance(state);
    if f.severity == Severity::Warning {
        v["compliance"]["status_id"] = json!(2);
    }
    let (sev_id, sev) = severity(f.severity);
    v["severity_id"] = json!(sev_id);
    v["severity"] = json!(sev);
    v["status_code"] = json!(f.severity.as_str().to_uppercase());
    if !f.resources.is_empty() {
        v["resources"] = Value::Array(
            f.resources
                .iter()
                .map(|r| resource(r, "aws-resource", &d.region))
                .collect(),
        );
    }
    if !f.fix.is_empty() {
        v["remediation"] = json!({"desc": f.fix.join("\n")});
    }
    let mut unmapped = json!({"account": d.account});
    if let Some(w) = &f.witness {
        unmapped["witness"] = w.clone();
    }
    if !f.events.is_empty() {
        unmapped["events"] = json!(f.events);
    }
    v["unmapped"] = unmapped;
    v
}
