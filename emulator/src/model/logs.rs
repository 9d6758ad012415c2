//! CloudWatch Logs' model: log groups, their streams and events, and metric filters.

use orgwatch_pattern::Pattern;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use std::sync::{Arc, OnceLock};

/// A log group's ARN (without the `:*` that DescribeLogGroups' `arn` member adds).
pub fn group_arn(region: &str, account: &str, name: &str) -> String {
    format!("arn:aws:logs:{region}:{account}:log-group:{name}")
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct LogGroup {
    pub log_group_name: String,
    pub creation_time: i64,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub retention_in_days: Option<i32>,
    #[serde(default)]
    pub metric_filters: Vec<MetricFilter>,
    #[serde(default)]
    pub streams: BTreeMap<String, LogStream>,
    #[serde(default)]
    pub tags: BTreeMap<String, String>,
    /// The KMS key ARN the group's data is encrypted with.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub kms_key_id: Option<String>,
}

#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct LogStream {
    pub creation_time: i64,
    #[serde(default)]
    pub events: Vec<LogEvent>,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct LogEvent {
    pub timestamp: i64,
    pub message: String,
    pub ingestion_time: i64,
}

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
#[serde(rename_all = "camelCase")]
pub struct MetricFilter {
    pub filter_name: String,
    pub filter_pattern: String,
    pub metric_transformations: Vec<MetricTransformation>,
    pub creation_time: i64,
    pub log_group_name: String,
    #[serde(default)]
    pub apply_on_transformed_logs: bool,
    /// The pattern, compiled when the filter is put (or, for a filter loaded from a state file, on first
    /// use) and kept: ingest never re-parses it.
    #[serde(skip)]
    pub compiled: CompiledPattern,
}

impl MetricFilter {
    /// The compiled pattern (`None` only for a stored pattern that no longer parses, which matches nothing).
    pub fn pattern(&self) -> Option<&Pattern> {
        self.compiled
            .0
            .get_or_init(|| Pattern::parse(&self.filter_pattern).ok().map(Arc::new))
            .as_deref()
    }
}

/// A metric filter's compiled pattern: a cache of the filter's text, so never persisted and never part of
/// a filter's identity.
#[derive(Debug, Clone, Default)]
pub struct CompiledPattern(OnceLock<Option<Arc<Pattern>>>);

impl From<Pattern> for CompiledPattern {
    fn from(p: Pattern) -> Self {
        CompiledPattern(OnceLock::from(Some(Arc::new(p))))
    }
}

impl PartialEq for CompiledPattern {
    fn eq(&self, _: &Self) -> bool {
        true
    }
}

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct MetricTransformation {
    pub metric_name: String,
    pub metric_namespace: String,
    pub metric_value: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub default_value: Option<f64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub dimensions: Option<BTreeMap<String, String>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub unit: Option<String>,
}

/// An account-scoped Logs resource policy (PutResourcePolicy without `resourceArn`): the document is kept
/// as the caller wrote it, and PutResourcePolicy answers with it unchanged, as AWS's recorded answers show.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
#[serde(rename_all = "camelCase")]
pub struct ResourcePolicy {
    pub policy_name: String,
    pub policy_document: String,
    pub last_updated_time: i64,
}

/// A vended-logs delivery destination (PutDeliveryDestination): where deliveries write, by ARN. Kept in
/// AWS's member names, which its reads answer with.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
#[serde(rename_all = "camelCase")]
pub struct DeliveryDestination {
    pub name: String,
    pub arn: String,
    /// `S3`, `CWL`, `FH` or `XRAY`, from the resource ARN's service.
    pub delivery_destination_type: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub output_format: Option<String>,
    pub delivery_destination_configuration: DestinationConfiguration,
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub tags: BTreeMap<String, String>,
    /// The destination's policy document, as written (PutDeliveryDestinationPolicy); not a member of
    /// the destination's own reads.
    #[serde(default, skip_serializing)]
    pub policy: Option<String>,
}

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
#[serde(rename_all = "camelCase")]
pub struct DestinationConfiguration {
    pub destination_resource_arn: String,
}

/// A vended-logs delivery source (PutDeliverySource): a resource of another service whose logs of one
/// type can be delivered.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
#[serde(rename_all = "camelCase")]
pub struct DeliverySource {
    pub name: String,
    pub arn: String,
    pub resource_arns: Vec<String>,
    pub service: String,
    pub log_type: String,
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub tags: BTreeMap<String, String>,
}

/// A delivery (CreateDelivery): a source connected to a destination.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
#[serde(rename_all = "camelCase")]
pub struct Delivery {
    pub id: String,
    pub arn: String,
    pub delivery_source_name: String,
    pub delivery_destination_arn: String,
    pub delivery_destination_type: String,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub record_fields: Vec<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub field_delimiter: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub s3_delivery_configuration: Option<S3DeliveryConfiguration>,
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub tags: BTreeMap<String, String>,
}

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
#[serde(rename_all = "camelCase")]
pub struct S3DeliveryConfiguration {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub suffix_path: Option<String>,
    #[serde(default)]
    pub enable_hive_compatible_path: bool,
}
