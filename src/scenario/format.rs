//! The scenario file format: a configuration (`given`) and the verdict the checker must reach.
//!
//! Resource fields use the AWS APIs' own names (PascalCase for CloudTrail, CloudWatch and SNS, camelCase for
//! CloudWatch Logs), so output pasted from `aws ... describe-*` needs little editing. Unknown fields are
//! errors, reported as `file:line:column: what is wrong`.

use serde::Deserialize;
use std::collections::BTreeMap;

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Scenario {
    /// The JSON Schema editors validate against (`./schema.json`).
    #[serde(default, rename = "$schema")]
    pub _schema: Option<String>,
    pub name: String,
    /// What the scenario shows (for readers; shown by `scenarios test` on a mismatch).
    #[serde(default)]
    pub description: String,
    /// Only `cis-4.15` (the Organizations-changes control) for now.
    #[serde(default = "default_control")]
    pub control: String,
    pub given: Given,
    pub expect: Expect,
}

fn default_control() -> String {
    "cis-4.15".into()
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Given {
    /// The account the checker runs as (default: the first account).
    #[serde(default)]
    pub check_account: Option<String>,
    /// The region the checker runs in (default us-east-1).
    #[serde(default)]
    pub check_region: Option<String>,
    pub accounts: Vec<Account>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Account {
    pub account: String,
    /// `none` (default), `management`, or `member` (with `managementAccount`).
    #[serde(default)]
    pub organization: Option<String>,
    #[serde(default, rename = "managementAccount")]
    pub management_account: Option<String>,
    #[serde(default)]
    pub regions: BTreeMap<String, Resources>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct Resources {
    #[serde(default)]
    pub trails: Vec<Trail>,
    #[serde(default)]
    pub log_groups: Vec<LogGroup>,
    #[serde(default)]
    pub metric_filters: Vec<MetricFilter>,
    #[serde(default)]
    pub topics: Vec<Topic>,
    #[serde(default)]
    pub subscriptions: Vec<SnsSubscription>,
    #[serde(default)]
    pub alarms: Vec<Alarm>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "PascalCase")]
pub struct Trail {
    pub name: String,
    #[serde(default = "bucket")]
    pub s3_bucket_name: String,
    #[serde(default)]
    pub is_multi_region_trail: bool,
    #[serde(default)]
    pub is_organization_trail: bool,
    #[serde(default)]
    pub cloud_watch_logs_log_group_arn: Option<String>,
    #[serde(default)]
    pub cloud_watch_logs_role_arn: Option<String>,
    #[serde(default = "yes")]
    pub is_logging: bool,
    #[serde(default)]
    pub event_selectors: Option<Vec<EventSelector>>,
    #[serde(default)]
    pub advanced_event_selectors: Option<Vec<AdvancedEventSelector>>,
    #[serde(default)]
    pub latest_cloud_watch_logs_delivery_error: Option<String>,
}

fn bucket() -> String {
    "orgwatch-trail-bucket".into()
}
fn yes() -> bool {
    true
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "PascalCase")]
pub struct EventSelector {
    #[serde(default = "all")]
    pub read_write_type: String,
    #[serde(default = "yes")]
    pub include_management_events: bool,
    #[serde(default)]
    pub exclude_management_event_sources: Vec<String>,
}

fn all() -> String {
    "All".into()
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "PascalCase")]
pub struct AdvancedEventSelector {
    #[serde(default)]
    pub name: Option<String>,
    pub field_selectors: Vec<FieldSelector>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "PascalCase")]
pub struct FieldSelector {
    pub field: String,
    #[serde(default)]
    pub equals: Vec<String>,
    #[serde(default)]
    pub not_equals: Vec<String>,
    #[serde(default)]
    pub starts_with: Vec<String>,
    #[serde(default)]
    pub not_starts_with: Vec<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct LogGroup {
    pub log_group_name: String,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct MetricFilter {
    pub log_group_name: String,
    pub filter_name: String,
    pub filter_pattern: String,
    pub metric_transformations: Vec<MetricTransformation>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct MetricTransformation {
    pub metric_name: String,
    pub metric_namespace: String,
    pub metric_value: String,
    #[serde(default)]
    pub default_value: Option<f64>,
    #[serde(default)]
    pub unit: Option<String>,
    #[serde(default)]
    pub dimensions: Option<BTreeMap<String, String>>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "PascalCase")]
pub struct Topic {
    pub name: String,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "PascalCase")]
pub struct SnsSubscription {
    pub topic_arn: String,
    pub protocol: String,
    pub endpoint: String,
    /// Whether the subscriber has confirmed (HTTP/HTTPS and email subscriptions start pending).
    #[serde(default)]
    pub confirmed: Option<bool>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "PascalCase")]
pub struct Dimension {
    pub name: String,
    pub value: String,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "PascalCase")]
pub struct Alarm {
    pub alarm_name: String,
    pub metric_name: String,
    pub namespace: String,
    #[serde(default)]
    pub statistic: Option<String>,
    #[serde(default)]
    pub extended_statistic: Option<String>,
    pub period: i32,
    pub evaluation_periods: i32,
    #[serde(default)]
    pub datapoints_to_alarm: Option<i32>,
    pub threshold: f64,
    pub comparison_operator: String,
    #[serde(default)]
    pub treat_missing_data: Option<String>,
    #[serde(default)]
    pub actions_enabled: Option<bool>,
    #[serde(default)]
    pub alarm_actions: Vec<String>,
    #[serde(default)]
    pub dimensions: Vec<Dimension>,
    #[serde(default)]
    pub unit: Option<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Expect {
    /// `PASS`, `FAIL` or `UNKNOWN`.
    pub status: String,
    /// Reason codes that must be among the findings.
    #[serde(default)]
    pub reasons: Vec<String>,
}

/// Parses a scenario file; errors read `file:line:column: what is wrong`.
pub fn parse(path: &str, text: &str) -> Result<Scenario, String> {
    let s: Scenario = serde_json::from_str(text).map_err(|e| {
        format!(
            "{path}:{}:{}: {}",
            e.line(),
            e.column(),
            strip_position(&e.to_string())
        )
    })?;
    if !["PASS", "FAIL", "UNKNOWN"].contains(&s.expect.status.as_str()) {
        let (l, c) = locate(text, "\"status\"");
        return Err(format!(
            "{path}:{l}:{c}: expect.status must be PASS, FAIL or UNKNOWN, not {:?}",
            s.expect.status
        ));
    }
    if s.given.accounts.is_empty() {
        let (l, c) = locate(text, "\"accounts\"");
        return Err(format!(
            "{path}:{l}:{c}: given.accounts must list at least one account"
        ));
    }
    Ok(s)
}

fn strip_position(msg: &str) -> String {
    match msg.rfind(" at line ") {
        Some(i) => msg[..i].to_string(),
        None => msg.to_string(),
    }
}

fn locate(text: &str, needle: &str) -> (usize, usize) {
    let off = text.find(needle).unwrap_or(0);
    orgwatch_pattern::syntax::error::line_col(text, off)
}
