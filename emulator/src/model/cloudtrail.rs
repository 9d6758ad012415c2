//! CloudTrail's model: trails and their event selectors, as stored (and persisted).

use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

aws_enum!(
    /// Which management events a classic event selector records.
    ReadWriteType {
        ReadOnly = "ReadOnly",
        WriteOnly = "WriteOnly",
        All = "All",
    }
);

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
#[serde(deny_unknown_fields, rename_all = "PascalCase")]
pub struct DataResource {
    #[serde(rename = "Type")]
    pub kind: String,
    #[serde(default)]
    pub values: Vec<String>,
}

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
#[serde(deny_unknown_fields, rename_all = "PascalCase")]
pub struct EventSelector {
    #[serde(default = "all")]
    pub read_write_type: ReadWriteType,
    #[serde(default = "yes")]
    pub include_management_events: bool,
    #[serde(default)]
    pub data_resources: Vec<DataResource>,
    #[serde(default)]
    pub exclude_management_event_sources: Vec<String>,
}

fn all() -> ReadWriteType {
    ReadWriteType::All
}
fn yes() -> bool {
    true
}

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
#[serde(deny_unknown_fields, rename_all = "PascalCase")]
pub struct FieldSelector {
    pub field: String,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub equals: Vec<String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub starts_with: Vec<String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub ends_with: Vec<String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub not_equals: Vec<String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub not_starts_with: Vec<String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub not_ends_with: Vec<String>,
}

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
#[serde(deny_unknown_fields, rename_all = "PascalCase")]
pub struct AdvancedEventSelector {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    pub field_selectors: Vec<FieldSelector>,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct Trail {
    pub name: String,
    pub account: String,
    pub home_region: String,
    pub s3_bucket_name: String,
    #[serde(default)]
    pub s3_key_prefix: Option<String>,
    #[serde(default)]
    pub sns_topic_name: Option<String>,
    pub include_global_service_events: bool,
    pub is_multi_region_trail: bool,
    pub is_organization_trail: bool,
    pub log_file_validation_enabled: bool,
    #[serde(default)]
    pub cloud_watch_logs_log_group_arn: Option<String>,
    #[serde(default)]
    pub cloud_watch_logs_role_arn: Option<String>,
    #[serde(default)]
    pub kms_key_id: Option<String>,
    pub is_logging: bool,
    #[serde(default)]
    pub event_selectors: Option<Vec<EventSelector>>,
    #[serde(default)]
    pub advanced_event_selectors: Option<Vec<AdvancedEventSelector>>,
    #[serde(default)]
    pub tags: BTreeMap<String, String>,
    #[serde(default)]
    pub start_logging_time: Option<f64>,
    #[serde(default)]
    pub stop_logging_time: Option<f64>,
    #[serde(default)]
    pub latest_cloud_watch_logs_delivery_time: Option<f64>,
    #[serde(default)]
    pub latest_cloud_watch_logs_delivery_error: Option<String>,
    /// The error above is the pipeline's own (the delivery role refused, the group or its key unusable):
    /// the next successful delivery clears it. An error set through the admin API stays until cleared
    /// there, and stops the trail from delivering.
    #[serde(default)]
    pub delivery_error_observed: bool,
    #[serde(default)]
    pub latest_delivery_time: Option<f64>,
    /// Insights event types enabled (`ApiCallRateInsight`, `ApiErrorRateInsight`); none when never set.
    #[serde(default)]
    pub insight_types: Vec<InsightType>,
}

aws_enum!(
    /// The Insights event types CloudTrail can record.
    InsightType {
        ApiCallRate = "ApiCallRateInsight",
        ApiErrorRate = "ApiErrorRateInsight",
    }
);

impl Trail {
    pub fn arn(&self) -> String {
        format!(
            "arn:aws:cloudtrail:{}:{}:trail/{}",
            self.home_region, self.account, self.name
        )
    }

    /// The classic selectors in force (a new trail records all management events).
    pub fn effective_selectors(&self) -> Vec<EventSelector> {
        self.event_selectors.clone().unwrap_or_else(|| {
            vec![EventSelector {
                read_write_type: all(),
                include_management_events: true,
                data_resources: vec![],
                exclude_management_event_sources: vec![],
            }]
        })
    }
}
