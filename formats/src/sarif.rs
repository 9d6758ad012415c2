//! SARIF 2.1.0 (OASIS): one run, one rule per reason code of the vocabulary (with its meaning and the fix
//! as help), one result per finding, the resources as logical locations, and a fingerprint that stays
//! the same from run to run for the same rule and resources, so code scanning tracks a finding rather
//! than opening a new one each run.

use crate::digest::Digest;
use crate::input::{Meta, Terraform, TOOL, TOOL_URI};
use orgwatch_checker::Severity;
use serde_json::{json, Value};

pub const SCHEMA: &str =
    "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json";

/// SARIF's `level` for a severity: a broken link is an error; a link that could not be verified is a
/// note (nothing is known to be wrong), a warning a warning.
pub fn level(s: Severity) -> &'static str {
    match s {
        Severity::Failure => "error",
        Severity::Warning => "warning",
        Severity::Unknown => "note",
    }
}

/// The `.tf` block behind a resource, as a SARIF physical location (GitHub annotates that line).
fn physical(terraform: Option<&Terraform>, resource: &str) -> Option<Value> {
    let (file, line) = terraform?.locations.get(resource.trim_end_matches(":*"))?;
    Some(json!({"artifactLocation": {"uri": file}, "region": {"startLine": line}}))
}

pub fn render(d: &Digest, meta: &Meta, terraform: Option<&Terraform>) -> Value {
    let rules: Vec<Value> = d
        .rules
        .iter()
        .map(|r| {
            json!({
                "id": r.id,
                "name": r.id,
                "shortDescription": {"text": r.short},
                "fullDescription": {"text": r.short},
                "help": {"text": r.help},
                "defaultConfiguration": {"level": level(r.severity)},
                "properties": {"tags": ["security", "cis-aws-foundations"], "severity": r.severity.as_str()},
            })
        })
        .collect();
    let scope = format!("aws/{}/{}", d.account, d.region);
    let results: Vec<Value> = d
        .findings
        .iter()
        .map(|f| {
            let locations: Vec<Value> = if f.resources.is_empty() {
                vec![json!({"logicalLocations": [{"name": d.account, "fullyQualifiedName": scope, "kind": "namespace"}]})]
            } else {
                f.resources
                    .iter()
                    .map(|r| {
                        let mut l = json!({"logicalLocations": [{
                            "name": crate::digest::short_name(r),
                            "fullyQualifiedName": r,
                            "kind": "resource",
                        }]});
                        if let Some(p) = physical(terraform, r) {
                            l["physicalLocation"] = p;
                        }
                        l
                    })
                    .collect()
            };
            let mut properties = json!({"severity": f.severity.as_str(), "account": d.account, "region": d.region});
            if !f.events.is_empty() {
                properties["events"] = json!(f.events);
            }
            if let Some(w) = &f.witness {
                properties["witness"] = w.clone();
            }
            if !f.fix.is_empty() {
                properties["fix"] = json!(f.fix);
            }
            let mut text = f.message.clone();
            if let Some(w) = &f.witness {
                text.push_str(&format!(" Witness record: {w}"));
            }
            let mut result = json!({
                "ruleId": f.rule,
                "level": level(f.severity),
                "kind": "fail",
                "message": {"text": text},
                "locations": locations,
                "partialFingerprints": {"orgwatchFinding/v1": f.fingerprint},
                "properties": properties,
            });
            if let Some((i, _)) = d.rule(f.rule) {
                result["ruleIndex"] = json!(i);
            }
            result
        })
        .collect();
    let command = d.kind.command();
    json!({
        "$schema": SCHEMA,
        "version": "2.1.0",
        "runs": [{
            "tool": {"driver": {
                "name": TOOL,
                "version": meta.tool_version,
                "semanticVersion": meta.tool_version,
                "informationUri": TOOL_URI,
                "rules": rules,
            }},
            "automationDetails": {"id": format!("{TOOL}/{command}/{}/{}/", d.account, d.region)},
            "invocations": [{"executionSuccessful": true, "endTimeUtc": meta.rfc3339()}],
            "results": results,
            "properties": {
                "verdict": d.status.as_str(),
                "control": d.title,
                "account": d.account,
                "region": d.region,
            },
        }],
    })
}
