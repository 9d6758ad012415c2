//! CloudWatch's output shapes, as the CloudWatch API model names them, built from the model.

use crate::model::cloudwatch::{Alarm, CompositeAlarm, Dimension, HistoryItem, MetricDataQuery};
use crate::protocol::output::Timestamp;
use serde::Serialize;
use std::collections::BTreeMap;

/// A metric alarm as DescribeAlarms and DescribeAlarmsForMetric show it. Dimensions and metric-math
/// queries are documents AWS echoes back as given, so the model's types serve as their wire shape.
#[derive(Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct MetricAlarmOut {
    alarm_name: String,
    alarm_arn: String,
    alarm_description: Option<String>,
    alarm_configuration_updated_timestamp: Timestamp,
    actions_enabled: bool,
    #[serde(rename = "OKActions")]
    ok_actions: Vec<String>,
    alarm_actions: Vec<String>,
    insufficient_data_actions: Vec<String>,
    state_value: &'static str,
    state_reason: String,
    state_reason_data: Option<String>,
    state_updated_timestamp: Timestamp,
    state_transitioned_timestamp: Timestamp,
    metric_name: Option<String>,
    namespace: Option<String>,
    statistic: Option<&'static str>,
    extended_statistic: Option<String>,
    dimensions: Vec<Dimension>,
    period: Option<i64>,
    unit: Option<String>,
    evaluation_periods: i64,
    datapoints_to_alarm: Option<i64>,
    threshold: Option<f64>,
    comparison_operator: &'static str,
    treat_missing_data: Option<&'static str>,
    evaluate_low_sample_count_percentile: Option<String>,
    metrics: Option<Vec<MetricDataQuery>>,
    threshold_metric_id: Option<String>,
}

impl From<&Alarm> for MetricAlarmOut {
    fn from(a: &Alarm) -> Self {
        MetricAlarmOut {
            alarm_name: a.alarm_name.clone(),
            alarm_arn: a.alarm_arn.clone(),
            alarm_description: a.alarm_description.clone(),
            alarm_configuration_updated_timestamp: Timestamp(
                a.alarm_configuration_updated_timestamp,
            ),
            actions_enabled: a.actions_enabled,
            ok_actions: a.ok_actions.clone(),
            alarm_actions: a.alarm_actions.clone(),
            insufficient_data_actions: a.insufficient_data_actions.clone(),
            state_value: a.state_value.as_str(),
            state_reason: a.state_reason.clone(),
            state_reason_data: a.state_reason_data.clone(),
            state_updated_timestamp: Timestamp(a.state_updated_timestamp),
            state_transitioned_timestamp: Timestamp(a.state_transitioned_timestamp),
            metric_name: a.metric_name.clone(),
            namespace: a.namespace.clone(),
            statistic: a.statistic.map(|s| s.as_str()),
            extended_statistic: a.extended_statistic.clone(),
            dimensions: a.dimensions.clone(),
            period: a.period,
            unit: a.unit.clone(),
            evaluation_periods: a.evaluation_periods,
            datapoints_to_alarm: a.datapoints_to_alarm,
            threshold: a.threshold,
            comparison_operator: a.comparison_operator.as_str(),
            treat_missing_data: a.treat_missing_data.map(|t| t.as_str()),
            evaluate_low_sample_count_percentile: a.evaluate_low_sample_count_percentile.clone(),
            metrics: a.metrics.clone(),
            threshold_metric_id: a.threshold_metric_id.clone(),
        }
    }
}

/// A composite alarm as DescribeAlarms answers it.
#[derive(Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct CompositeAlarmOut {
    actions_enabled: bool,
    alarm_actions: Vec<String>,
    alarm_arn: String,
    alarm_configuration_updated_timestamp: Timestamp,
    #[serde(skip_serializing_if = "Option::is_none")]
    alarm_description: Option<String>,
    alarm_name: String,
    alarm_rule: String,
    insufficient_data_actions: Vec<String>,
    #[serde(rename = "OKActions")]
    ok_actions: Vec<String>,
    state_reason: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    state_reason_data: Option<String>,
    state_transitioned_timestamp: Timestamp,
    state_updated_timestamp: Timestamp,
    state_value: &'static str,
}

impl From<&CompositeAlarm> for CompositeAlarmOut {
    fn from(c: &CompositeAlarm) -> Self {
        CompositeAlarmOut {
            actions_enabled: c.actions_enabled,
            alarm_actions: c.alarm_actions.clone(),
            alarm_arn: c.alarm_arn.clone(),
            alarm_configuration_updated_timestamp: Timestamp(
                c.alarm_configuration_updated_timestamp,
            ),
            alarm_description: c.alarm_description.clone(),
            alarm_name: c.alarm_name.clone(),
            alarm_rule: c.alarm_rule.clone(),
            insufficient_data_actions: c.insufficient_data_actions.clone(),
            ok_actions: c.ok_actions.clone(),
            state_reason: c.state_reason.clone(),
            state_reason_data: c.state_reason_data.clone(),
            state_transitioned_timestamp: Timestamp(c.state_transitioned_timestamp),
            state_updated_timestamp: Timestamp(c.state_updated_timestamp),
            state_value: c.state_value.as_str(),
        }
    }
}

#[derive(Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct DescribeAlarmsOutput {
    pub metric_alarms: Vec<MetricAlarmOut>,
    pub composite_alarms: Vec<CompositeAlarmOut>,
    pub next_token: Option<String>,
}

#[derive(Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct DescribeAlarmsForMetricOutput {
    pub metric_alarms: Vec<MetricAlarmOut>,
}

#[derive(Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct AlarmHistoryItemOut {
    alarm_name: String,
    alarm_type: String,
    timestamp: Timestamp,
    history_item_type: String,
    history_summary: String,
    history_data: String,
}

impl From<&HistoryItem> for AlarmHistoryItemOut {
    fn from(h: &HistoryItem) -> Self {
        AlarmHistoryItemOut {
            alarm_name: h.alarm_name.clone(),
            alarm_type: h.alarm_type.clone(),
            timestamp: Timestamp(h.timestamp),
            history_item_type: h.history_item_type.clone(),
            history_summary: h.history_summary.clone(),
            history_data: h.history_data.clone(),
        }
    }
}

#[derive(Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct MetricOut {
    pub namespace: String,
    pub metric_name: String,
    pub dimensions: Vec<Dimension>,
}

/// One period of GetMetricStatistics: the statistics asked for, and no others.
#[derive(Serialize, Default)]
#[serde(rename_all = "PascalCase")]
pub struct DatapointOut {
    pub timestamp: Option<Timestamp>,
    pub sample_count: Option<f64>,
    pub average: Option<f64>,
    pub sum: Option<f64>,
    pub minimum: Option<f64>,
    pub maximum: Option<f64>,
    pub unit: Option<String>,
    pub extended_statistics: Option<BTreeMap<String, f64>>,
}

#[derive(Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct GetMetricStatisticsOutput {
    pub label: String,
    pub datapoints: Vec<DatapointOut>,
}

#[derive(Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct MessageData {
    pub code: String,
    pub value: String,
}

#[derive(Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct MetricDataResult {
    pub id: String,
    pub label: String,
    pub timestamps: Vec<Timestamp>,
    pub values: Vec<f64>,
    pub status_code: &'static str,
    pub messages: Option<Vec<MessageData>>,
}

#[derive(Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct GetMetricDataOutput {
    pub metric_data_results: Vec<MetricDataResult>,
    pub messages: Vec<MessageData>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub next_token: Option<String>,
}

/// PutDashboard: the validation messages (none when the body is accepted; the member is always present).
#[derive(Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct DashboardValidationOutput {
    pub dashboard_validation_messages: Vec<String>,
}

/// GetDashboard.
#[derive(Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct GetDashboardOutput {
    pub dashboard_arn: String,
    pub dashboard_body: String,
    pub dashboard_name: String,
}

/// One dashboard of ListDashboards.
#[derive(Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct DashboardEntryOut {
    pub dashboard_name: String,
    pub dashboard_arn: String,
    pub last_modified: Timestamp,
    pub size: i64,
}
