//! AWS Security Finding Format, as the JSON array `aws securityhub batch-import-findings --findings`
//! takes: one finding per verdict — the control's, for the account and region, and each chain's — with
//! the findings behind it in its description and the first fix as its remediation. Ids are stable, so a
//! later import updates the same finding rather than adding one.

use crate::digest::{Digest, Kind, Suite};
use crate::input::{Meta, TOOL, TOOL_URI};
use orgwatch_checker::{Severity, Status};
use serde_json::{json, Value};

/// ASFF's limits: a title of 256 characters, a description of 1,024, a remediation text of 512, 32
/// resources.
const TITLE_MAX: usize = 256;
const DESCRIPTION_MAX: usize = 1024;
const REMEDIATION_MAX: usize = 512;
const RESOURCES_MAX: usize = 32;

fn clip(s: &str, max: usize) -> String {
    if s.chars().count() <= max {
        return s.to_string();
    }
    let mut out: String = s.chars().take(max - 1).collect();
    out.push('…');
    out
}

fn compliance(s: Status) -> &'static str {
    match s {
        Status::Pass => "PASSED",
        Status::Fail => "FAILED",
        Status::Unknown => "NOT_AVAILABLE",
    }
}

fn label(s: Status) -> &'static str {
    match s {
        Status::Pass => "INFORMATIONAL",
        Status::Fail => "HIGH",
        Status::Unknown => "MEDIUM",
    }
}

/// The ASFF resource type of a chain link (`Other` where ASFF has none: log groups, metric filters).
fn resource_type(kind: &str) -> &'static str {
    match kind {
        "trail" => "AwsCloudTrailTrail",
        "alarm" => "AwsCloudWatchAlarm",
        "topic" => "AwsSnsTopic",
        _ => "Other",
    }
}

pub fn render(d: &Digest, meta: &Meta) -> Value {
    let command = d.kind.command();
    let account_arn = format!("arn:aws:iam::{}:root", d.account);
    let account_resource =
        json!({"Type": "AwsAccount", "Id": account_arn, "Partition": "aws", "Region": d.region});
    let now = meta.rfc3339();
    let finding = |id: String,
                   title: String,
                   status: Status,
                   indices: Vec<usize>,
                   resources: Vec<Value>| {
        let mut description = format!("{}: {}.", d.title, status.as_str());
        for i in &indices {
            let f = &d.findings[*i];
            description.push_str(&format!(" [{}] {}", f.rule, f.message));
        }
        let fix = indices
            .iter()
            .map(|i| &d.findings[*i])
            .find(|f| f.severity == Severity::Failure && !f.fix.is_empty())
            .map(|f| f.fix.join("\n"));
        let mut v = json!({
            "SchemaVersion": "2018-10-08",
            "Id": id,
            "ProductArn": format!("arn:aws:securityhub:{}:{}:product/{}/default", d.region, d.account, d.account),
            "GeneratorId": format!("{TOOL}/{command}/cis-aws-foundations-4.15"),
            "AwsAccountId": d.account,
            "Types": ["Software and Configuration Checks/Industry and Regulatory Standards/CIS AWS Foundations Benchmark"],
            "CreatedAt": now,
            "UpdatedAt": now,
            "Severity": {"Label": label(status)},
            "Title": clip(&title, TITLE_MAX),
            "Description": clip(&description, DESCRIPTION_MAX),
            "Resources": resources.into_iter().take(RESOURCES_MAX).collect::<Vec<_>>(),
            "Compliance": {
                "Status": compliance(status),
                "RelatedRequirements": ["CIS AWS Foundations Benchmark v1.4.0/4.15", "CIS AWS Foundations Benchmark v6.0.0/5.15"],
            },
            "ProductFields": {"orgwatch/verdict": status.as_str(), "orgwatch/reasons": indices.iter().map(|i| d.findings[*i].rule).collect::<Vec<_>>().join(",")},
            "RecordState": "ACTIVE",
        });
        let text = match fix {
            Some(fix) => format!("Run:\n{fix}"),
            None => "See the orgwatch report for the evidence of each link.".to_string(),
        };
        v["Remediation"] =
            json!({"Recommendation": {"Text": clip(&text, REMEDIATION_MAX), "Url": TOOL_URI}});
        v
    };
    let mut out = Vec::new();
    let all: Vec<usize> = (0..d.findings.len()).collect();
    out.push(finding(
        format!("{TOOL}/{command}/{}/{}/control", d.account, d.region),
        d.title.clone(),
        d.status,
        all,
        vec![account_resource.clone()],
    ));
    if d.kind == Kind::Check {
        for suite in d.suites.iter().filter(|s| s.is_chain()) {
            out.push(chain(d, suite, &finding, &account_resource));
        }
    }
    Value::Array(out)
}

fn chain(
    d: &Digest,
    suite: &Suite,
    finding: &dyn Fn(String, String, Status, Vec<usize>, Vec<Value>) -> Value,
    account: &Value,
) -> Value {
    let mut resources: Vec<Value> = suite
        .cases
        .iter()
        .filter(|c| !c.resource.is_empty())
        .map(|c| json!({"Type": resource_type(&c.kind), "Id": c.resource, "Partition": "aws", "Region": d.region}))
        .collect();
    if resources.is_empty() {
        resources.push(account.clone());
    }
    let indices: Vec<usize> = suite
        .cases
        .iter()
        .flat_map(|c| c.findings.iter().copied())
        .collect();
    finding(
        format!("{TOOL}/check/{}/{}/{}", d.account, d.region, suite.key),
        format!("{}: {}", suite.name, d.title),
        suite.status,
        indices,
        resources,
    )
}
