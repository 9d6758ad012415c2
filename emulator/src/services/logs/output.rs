//! CloudWatch Logs' output shapes, as the Logs API model names them, built from the model. Logs
//! timestamps are epoch milliseconds (`long` in the model), so they stay integers here.

use crate::model::logs::{LogGroup, LogStream, MetricFilter, MetricTransformation, ResourcePolicy};
use serde::Serialize;
use std::collections::BTreeMap;

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
pub struct LogGroupOut {
    log_group_name: String,
    creation_time: i64,
    retention_in_days: Option<i32>,
    metric_filter_count: usize,
    arn: String,
    log_group_arn: String,
    stored_bytes: usize,
    log_group_class: &'static str,
    #[serde(skip_serializing_if = "Option::is_none")]
    kms_key_id: Option<String>,
}

impl LogGroupOut {
    pub fn new(g: &LogGroup, region: &str, account: &str) -> Self {
        let arn = crate::model::logs::group_arn(region, account, &g.log_group_name);
        LogGroupOut {
            log_group_name: g.log_group_name.clone(),
            creation_time: g.creation_time,
            retention_in_days: g.retention_in_days,
            metric_filter_count: g.metric_filters.len(),
            arn: format!("{arn}:*"),
            log_group_arn: arn,
            stored_bytes: g
                .streams
                .values()
                .flat_map(|s| &s.events)
                .map(|e| e.message.len())
                .sum(),
            log_group_class: "STANDARD",
            kms_key_id: g.kms_key_id.clone(),
        }
    }
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
pub struct LogStreamOut {
    log_stream_name: String,
    creation_time: i64,
    first_event_timestamp: Option<i64>,
    last_event_timestamp: Option<i64>,
    last_ingestion_time: Option<i64>,
    arn: String,
    stored_bytes: i64,
}

impl LogStreamOut {
    pub fn new(name: &str, s: &LogStream, group_arn: &str) -> Self {
        let times = || s.events.iter().map(|e| e.timestamp);
        let has_events = !s.events.is_empty();
        LogStreamOut {
            log_stream_name: name.to_string(),
            creation_time: s.creation_time,
            first_event_timestamp: times().min(),
            last_event_timestamp: times().max(),
            last_ingestion_time: has_events
                .then(|| s.events.iter().map(|e| e.ingestion_time).max())
                .flatten(),
            arn: format!("{group_arn}:log-stream:{name}"),
            stored_bytes: 0,
        }
    }
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
pub struct RejectedLogEventsInfo {
    pub too_new_log_event_start_index: Option<usize>,
    pub too_old_log_event_end_index: Option<usize>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
pub struct PutLogEventsOutput {
    /// Deprecated by AWS (sequence tokens are ignored) but still returned on every answer.
    pub next_sequence_token: String,
    pub rejected_log_events_info: Option<RejectedLogEventsInfo>,
}

#[derive(Serialize, Clone)]
#[serde(rename_all = "camelCase")]
pub struct OutputLogEvent {
    pub timestamp: i64,
    pub message: String,
    pub ingestion_time: i64,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
pub struct GetLogEventsOutput {
    pub events: Vec<OutputLogEvent>,
    pub next_forward_token: String,
    pub next_backward_token: String,
}

#[derive(Serialize, Clone)]
#[serde(rename_all = "camelCase")]
pub struct FilteredLogEvent {
    pub log_stream_name: String,
    pub timestamp: i64,
    pub message: String,
    pub ingestion_time: i64,
    pub event_id: String,
}

/// A metric filter as DescribeMetricFilters shows it. The transformation is a document AWS echoes back
/// as given, so the model's type serves as its wire shape.
#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
pub struct MetricFilterOut {
    filter_name: String,
    filter_pattern: String,
    metric_transformations: Vec<MetricTransformation>,
    creation_time: i64,
    log_group_name: String,
    apply_on_transformed_logs: bool,
}

impl From<&MetricFilter> for MetricFilterOut {
    fn from(f: &MetricFilter) -> Self {
        MetricFilterOut {
            filter_name: f.filter_name.clone(),
            filter_pattern: f.filter_pattern.clone(),
            metric_transformations: f.metric_transformations.clone(),
            creation_time: f.creation_time,
            log_group_name: f.log_group_name.clone(),
            apply_on_transformed_logs: f.apply_on_transformed_logs,
        }
    }
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
pub struct MetricFilterMatchRecord {
    pub event_number: u64,
    pub event_message: String,
    pub extracted_values: BTreeMap<String, String>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
pub struct TestMetricFilterOutput {
    pub matches: Vec<MetricFilterMatchRecord>,
}

/// A resource policy as Describe/PutResourcePolicy answer it; the emulator keeps account-scoped ones.
#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ResourcePolicyOut {
    policy_name: String,
    policy_document: String,
    last_updated_time: i64,
    policy_scope: &'static str,
}

impl From<&ResourcePolicy> for ResourcePolicyOut {
    fn from(p: &ResourcePolicy) -> Self {
        ResourcePolicyOut {
            policy_name: p.policy_name.clone(),
            policy_document: p.policy_document.clone(),
            last_updated_time: p.last_updated_time,
            policy_scope: "ACCOUNT",
        }
    }
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
pub struct PutResourcePolicyOutput {
    pub resource_policy: ResourcePolicyOut,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
pub struct DescribeResourcePoliciesOutput {
    pub resource_policies: Vec<ResourcePolicyOut>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub next_token: Option<String>,
}

/// No subscription filter can be put (their destinations are not served), so none is listed.
#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
pub struct DescribeSubscriptionFiltersOutput {
    pub subscription_filters: Vec<serde_json::Value>,
}

/// No destination can be put (its target is a Kinesis stream), so none is listed.
#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
pub struct DescribeDestinationsOutput {
    pub destinations: Vec<serde_json::Value>,
}

/// ListLogGroups' item: a group's name, ARN and class.
#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
pub struct LogGroupSummary {
    pub log_group_name: String,
    pub log_group_arn: String,
    pub log_group_class: &'static str,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ListTagsForResourceOutput {
    pub tags: BTreeMap<String, String>,
}
