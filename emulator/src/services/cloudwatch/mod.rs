//! CloudWatch (`monitoring`), reached over Smithy RPC v2 CBOR, AWS JSON 1.0 and AWS Query alike.
//!
//! Alarms (metric and metric-math), their history and actions; metrics from PutMetricData and from metric
//! filters, with statistics and percentiles computed from the stored datapoints.

mod output;

use super::handler::{
    check_enum, check_len, operations, page, page_size, read_enum, Call, EmptyOutput, NoOutput,
    Style,
};
use super::shapes::{Listing, Members, Tag, TagsOutput};
use crate::error::{service_errors, ApiError};
use crate::model::alarm_rule::Rule;
use crate::model::cloudwatch::CompositeAlarm;
use crate::model::cloudwatch::{
    Alarm, ComparisonOperator, Dashboard, Datum, Dimension, HistoryItem, MetricDataQuery,
    StateValue, Statistic, TreatMissingData, UNITS,
};
use crate::pipeline::metrics::{periods, statistic, MetricKey};
use crate::pipeline::{actions, composite};
use crate::protocol::output::{to_json, to_out, Timestamp};
use output::*;
use serde::Deserialize;
use serde_json::Value;
use std::collections::BTreeMap;

const STYLE: Style = Style::CloudWatch;

service_errors! {
    /// The errors CloudWatch answers with here (the Query code where it differs from the shape).
    pub enum CloudWatchError {
        Validation = "ValidationException", 400, code "ValidationError";
        InvalidParameterValue = "InvalidParameterValueException", 400, code "InvalidParameterValue";
        InvalidParameterCombination = "InvalidParameterCombinationException", 400, code "InvalidParameterCombination";
        MissingParameter = "MissingRequiredParameterException", 400, code "MissingParameter";
        ResourceNotFound = "ResourceNotFound", 404;
        ResourceNotFoundException = "ResourceNotFoundException", 404;
        InvalidNextToken = "InvalidNextToken", 400;
        DashboardNotFound = "DashboardNotFoundError", 404, code "ResourceNotFound";
        DashboardInvalidInput = "DashboardInvalidInputError", 400, code "InvalidParameterInput";
    }
}

type Result<T> = std::result::Result<T, CloudWatchError>;
use CloudWatchError::Validation;

operations! {
    style: STYLE,
    unknown: ApiError::unknown_operation;
    "PutMetricAlarm" => put_metric_alarm,
    "PutCompositeAlarm" => put_composite_alarm,
    "DescribeAlarms" => describe_alarms,
    "DescribeAlarmsForMetric" => describe_alarms_for_metric,
    "DeleteAlarms" => delete_alarms,
    "EnableAlarmActions" => |c, i: AlarmNames| set_actions(c, i, true),
    "DisableAlarmActions" => |c, i: AlarmNames| set_actions(c, i, false),
    "SetAlarmState" => set_alarm_state,
    "DescribeAlarmHistory" => describe_alarm_history,
    "PutMetricData" => put_metric_data,
    "ListMetrics" => list_metrics,
    "GetMetricStatistics" => get_metric_statistics,
    "GetMetricData" => get_metric_data,
    "TagResource" => tag_resource,
    "UntagResource" => untag_resource,
    "ListTagsForResource" => list_tags,
    "PutDashboard" => put_dashboard,
    "GetDashboard" => get_dashboard,
    "ListDashboards" => list_dashboards,
    "DeleteDashboards" => delete_dashboards,
}

fn invalid(message: impl Into<String>) -> CloudWatchError {
    CloudWatchError::InvalidParameterValue(message.into())
}

fn combination(message: impl Into<String>) -> CloudWatchError {
    CloudWatchError::InvalidParameterCombination(message.into())
}

fn missing(parameter: &str) -> CloudWatchError {
    CloudWatchError::MissingParameter(format!("The parameter {parameter} is required."))
}

fn bad_token() -> CloudWatchError {
    CloudWatchError::InvalidNextToken(
        "The service couldn't process your request because the NextToken value is invalid.".into(),
    )
}

/// AWS's validation message for a number out of bounds.
fn out_of_bounds(field: &str, value: Option<f64>, constraint: &str) -> CloudWatchError {
    let value = value.map(|v| v.to_string());
    Validation(ApiError::validation_message(
        value.as_deref(),
        field,
        constraint,
    ))
}

#[derive(Deserialize)]
#[serde(rename_all = "PascalCase")]
struct PutMetricAlarmInput {
    alarm_name: String,
    alarm_description: Option<String>,
    actions_enabled: Option<bool>,
    #[serde(rename = "OKActions", default)]
    ok_actions: Vec<String>,
    #[serde(default)]
    alarm_actions: Vec<String>,
    #[serde(default)]
    insufficient_data_actions: Vec<String>,
    metric_name: Option<String>,
    namespace: Option<String>,
    statistic: Option<String>,
    extended_statistic: Option<String>,
    #[serde(default)]
    dimensions: Vec<Dimension>,
    period: Option<f64>,
    unit: Option<String>,
    evaluation_periods: f64,
    datapoints_to_alarm: Option<f64>,
    threshold: Option<f64>,
    comparison_operator: String,
    treat_missing_data: Option<String>,
    evaluate_low_sample_count_percentile: Option<String>,
    metrics: Option<Vec<MetricDataQuery>>,
    threshold_metric_id: Option<String>,
    #[serde(default)]
    tags: Vec<Tag>,
}

fn alarm_arn(call: &Call<'_>, name: &str) -> String {
    format!(
        "arn:aws:cloudwatch:{}:{}:alarm:{name}",
        call.ctx.region, call.ctx.account
    )
}

/// The alarm's closed-set members, read into their enums once the request is valid.
struct AlarmEnums {
    comparison_operator: ComparisonOperator,
    statistic: Option<Statistic>,
    treat_missing_data: Option<TreatMissingData>,
}

fn validate_alarm(i: &PutMetricAlarmInput) -> Result<AlarmEnums> {
    check_len("alarmName", &i.alarm_name, 1, 255).map_err(Validation)?;
    let comparison_operator = read_enum(
        "comparisonOperator",
        &i.comparison_operator,
        ComparisonOperator::NAMES,
        ComparisonOperator::parse,
    )
    .map_err(Validation)?;
    let statistic = match &i.statistic {
        Some(s) => Some(
            read_enum("statistic", s, Statistic::NAMES, Statistic::parse).map_err(Validation)?,
        ),
        None => None,
    };
    let treat_missing_data = match &i.treat_missing_data {
        Some(t) => {
            check_len("treatMissingData", t, 1, 255).map_err(Validation)?;
            Some(TreatMissingData::parse(t).ok_or_else(|| {
                invalid(format!(
                    "Invalid treatMissingData value: {t}. Valid values are: {}",
                    TreatMissingData::NAMES.join(", ")
                ))
            })?)
        }
        None => None,
    };
    if let Some(u) = &i.unit {
        check_enum("unit", u, UNITS).map_err(Validation)?;
    }
    for (field, list) in [
        ("alarmActions", &i.alarm_actions),
        ("oKActions", &i.ok_actions),
        ("insufficientDataActions", &i.insufficient_data_actions),
    ] {
        if list.len() > 5 {
            let c = "Member must have length less than or equal to 5";
            return Err(out_of_bounds(field, None, c));
        }
    }
    if i.evaluation_periods < 1.0 {
        let c = "Member must have value greater than or equal to 1";
        return Err(out_of_bounds(
            "evaluationPeriods",
            Some(i.evaluation_periods),
            c,
        ));
    }
    let math = i.metrics.is_some();
    if math {
        if i.metric_name.is_some()
            || i.namespace.is_some()
            || i.statistic.is_some()
            || i.extended_statistic.is_some()
            || i.period.is_some()
            || !i.dimensions.is_empty()
        {
            return Err(combination("MetricName, Namespace, Statistic, ExtendedStatistic, Dimensions and Period must not be specified when Metrics is specified."));
        }
        let metrics = i.metrics.as_deref().unwrap_or_default();
        let returning = metrics
            .iter()
            .filter(|m| m.return_data.unwrap_or(true))
            .count();
        if returning != 1 && i.threshold_metric_id.is_none() {
            return Err(invalid(
                "Exactly one element of the metrics list should return data.",
            ));
        }
    } else {
        if i.metric_name.is_none() || i.namespace.is_none() {
            return Err(missing("MetricName"));
        }
        match (&i.statistic, &i.extended_statistic) {
            (Some(_), Some(_)) => {
                return Err(combination(
                    "Statistic and ExtendedStatistic cannot both be specified.",
                ))
            }
            (None, None) => {
                return Err(combination(
                    "One of Statistic or ExtendedStatistic must be specified.",
                ))
            }
            _ => {}
        }
        let period = i.period.ok_or_else(|| missing("Period"))?;
        let p = period as i64;
        if !(p == 10 || p == 20 || p == 30 || (p >= 60 && p % 60 == 0)) || period.fract() != 0.0 {
            return Err(invalid(
                "The parameter Period must be 10, 20, 30, or a multiple of 60.",
            ));
        }
        let window = p * i.evaluation_periods as i64;
        let cap = if p < 3600 { 86_400 } else { 604_800 };
        if window > cap {
            return Err(invalid(format!(
                "The evaluation period (Period × EvaluationPeriods) must not exceed {cap} seconds."
            )));
        }
    }
    if i.threshold.is_none() && i.threshold_metric_id.is_none() {
        return Err(missing("Threshold"));
    }
    if let Some(m) = i.datapoints_to_alarm {
        if m < 1.0 || m > i.evaluation_periods {
            return Err(invalid(
                "DatapointsToAlarm must be between 1 and EvaluationPeriods.",
            ));
        }
    }
    Ok(AlarmEnums {
        comparison_operator,
        statistic,
        treat_missing_data,
    })
}

/// An alarm as a ConfigurationUpdate history item shows it (`createdAlarm`, `updatedAlarm`,
/// `deletedAlarm`): DescribeAlarms' members in lowerCamelCase, timestamps as the alarm message writes
/// them (`2026-01-01T00:00:00.000+0000`). AWS documents the item, not this inner shape: chosen from
/// recorded history items (`createdAlarm.actionsEnabled`, `originalUpdatedFields`).
fn history_view(a: &Alarm) -> serde_json::Map<String, Value> {
    let described = to_out(&MetricAlarmOut::from(a)).map_or(Value::Null, |o| to_json(&o));
    let Value::Object(fields) = described else {
        return serde_json::Map::new();
    };
    fields
        .into_iter()
        .map(|(k, v)| {
            let v = match (k.ends_with("Timestamp"), v.as_f64()) {
                (true, Some(t)) => Value::String(actions::ts_plus0000(t)),
                _ => v,
            };
            (lower_camel(&k), v)
        })
        .collect()
}

/// `AlarmName` → `alarmName`, `OKActions` → `okActions`.
fn lower_camel(k: &str) -> String {
    let upper = k.chars().take_while(char::is_ascii_uppercase).count();
    let lead = if upper > 1 && upper < k.len() {
        upper - 1
    } else {
        upper.max(1)
    };
    k.chars()
        .enumerate()
        .map(|(i, c)| if i < lead { c.to_ascii_lowercase() } else { c })
        .collect()
}

fn history(call: &mut Call<'_>, name: &str, kind: &str, summary: String, data: Value) {
    let now = call.now();
    let item = HistoryItem::new(name, now, kind, summary, data.to_string());
    call.region().alarm_history.push(item);
}

fn put_metric_alarm(call: &mut Call<'_>, i: PutMetricAlarmInput) -> Result<NoOutput> {
    let enums = validate_alarm(&i)?;
    let now = call.now();
    let arn = alarm_arn(call, &i.alarm_name);
    let previous = call.region().alarms.get(&i.alarm_name).cloned();
    let (state, reason, updated, transitioned) = match &previous {
        Some(a) => (
            a.state_value,
            a.state_reason.clone(),
            a.state_updated_timestamp,
            a.state_transitioned_timestamp,
        ),
        None => (
            StateValue::InsufficientData,
            "Unchecked: Initial alarm creation".to_string(),
            now,
            now,
        ),
    };
    let alarm = Alarm {
        alarm_name: i.alarm_name.clone(),
        alarm_arn: arn.clone(),
        alarm_description: i.alarm_description,
        alarm_configuration_updated_timestamp: now,
        actions_enabled: i.actions_enabled.unwrap_or(true),
        ok_actions: i.ok_actions,
        alarm_actions: i.alarm_actions,
        insufficient_data_actions: i.insufficient_data_actions,
        state_value: state,
        state_reason: reason,
        state_reason_data: previous.as_ref().and_then(|a| a.state_reason_data.clone()),
        state_set_by_hand: previous.as_ref().is_some_and(|a| a.state_set_by_hand),
        state_updated_timestamp: updated,
        state_transitioned_timestamp: transitioned,
        metric_name: i.metric_name,
        namespace: i.namespace,
        statistic: enums.statistic,
        extended_statistic: i.extended_statistic,
        dimensions: i.dimensions,
        period: i.period.map(|p| p as i64),
        unit: i.unit,
        evaluation_periods: i.evaluation_periods as i64,
        datapoints_to_alarm: i.datapoints_to_alarm.map(|d| d as i64),
        threshold: i.threshold,
        comparison_operator: enums.comparison_operator,
        treat_missing_data: enums.treat_missing_data,
        evaluate_low_sample_count_percentile: i.evaluate_low_sample_count_percentile,
        metrics: i.metrics,
        threshold_metric_id: i.threshold_metric_id,
    };
    let summary = format!(
        "Alarm \"{}\" {}",
        alarm.alarm_name,
        if previous.is_some() {
            "updated"
        } else {
            "created"
        }
    );
    let shown = history_view(&alarm);
    let data = match &previous {
        None => serde_json::json!({"version": "1.0", "type": "Create", "createdAlarm": shown}),
        Some(before) => {
            // The fields the update changed, with the values they had.
            let before = history_view(before);
            let original: serde_json::Map<String, Value> = before
                .iter()
                .filter(|(k, v)| shown.get(*k) != Some(*v))
                .map(|(k, v)| (k.clone(), v.clone()))
                .collect();
            serde_json::json!({"version": "1.0", "type": "Update", "updatedAlarm": shown, "originalUpdatedFields": original})
        }
    };
    let name = alarm.alarm_name.clone();
    call.region().alarms.insert(name.clone(), alarm);
    if !i.tags.is_empty() {
        let tags = call.region().tags.entry(arn).or_default();
        tags.extend(i.tags.into_iter().map(|t| (t.key, t.value)));
    }
    history(call, &name, "ConfigurationUpdate", summary, data);
    Ok(NoOutput)
}

#[derive(Deserialize)]
#[serde(rename_all = "PascalCase")]
struct PutCompositeAlarmInput {
    alarm_name: String,
    alarm_rule: String,
    alarm_description: Option<String>,
    actions_enabled: Option<bool>,
    #[serde(rename = "OKActions", default)]
    ok_actions: Vec<String>,
    #[serde(default)]
    alarm_actions: Vec<String>,
    #[serde(default)]
    insufficient_data_actions: Vec<String>,
    #[serde(default)]
    tags: Vec<Tag>,
}

/// PutCompositeAlarm: the rule is parsed when put (a rule that does not parse, or names the alarm itself,
/// is refused), and the alarm is judged at once.
fn put_composite_alarm(call: &mut Call<'_>, i: PutCompositeAlarmInput) -> Result<NoOutput> {
    check_len("alarmName", &i.alarm_name, 1, 255).map_err(Validation)?;
    check_len("alarmRule", &i.alarm_rule, 1, 10240).map_err(Validation)?;
    let rule = Rule::parse(&i.alarm_rule).map_err(invalid)?;
    let arn = alarm_arn(call, &i.alarm_name);
    if rule
        .children()
        .iter()
        .any(|c| *c == i.alarm_name || *c == arn)
    {
        return Err(invalid("The alarm rule cannot reference the alarm itself."));
    }
    let now = call.now();
    let previous = call.region().composite_alarms.get(&i.alarm_name).cloned();
    let alarm = CompositeAlarm {
        alarm_name: i.alarm_name.clone(),
        alarm_arn: arn.clone(),
        alarm_description: i.alarm_description,
        alarm_rule: i.alarm_rule,
        alarm_configuration_updated_timestamp: now,
        actions_enabled: i.actions_enabled.unwrap_or(true),
        ok_actions: i.ok_actions,
        alarm_actions: i.alarm_actions,
        insufficient_data_actions: i.insufficient_data_actions,
        state_value: previous
            .as_ref()
            .map_or(StateValue::InsufficientData, |p| p.state_value),
        state_reason: previous.as_ref().map_or_else(
            || "Unchecked: Initial alarm creation".to_string(),
            |p| p.state_reason.clone(),
        ),
        state_reason_data: previous.as_ref().and_then(|p| p.state_reason_data.clone()),
        state_updated_timestamp: previous.as_ref().map_or(now, |p| p.state_updated_timestamp),
        state_transitioned_timestamp: previous
            .as_ref()
            .map_or(now, |p| p.state_transitioned_timestamp),
    };
    let r = call.region();
    r.composite_alarms.insert(i.alarm_name.clone(), alarm);
    if !i.tags.is_empty() {
        r.tags
            .entry(arn)
            .or_default()
            .extend(i.tags.into_iter().map(|t| (t.key, t.value)));
    }
    let (kind, summary) = match previous {
        Some(_) => ("Update", format!("Alarm \"{}\" updated", i.alarm_name)),
        None => ("Create", format!("Alarm \"{}\" created", i.alarm_name)),
    };
    let data = serde_json::json!({"version": "1.0", "type": kind});
    let mut item = HistoryItem::new(
        &i.alarm_name,
        now,
        "ConfigurationUpdate",
        summary,
        data.to_string(),
    );
    item.alarm_type = "CompositeAlarm".into();
    call.region().alarm_history.push(item);
    let (account, region) = (call.ctx.account.clone(), call.ctx.region.clone());
    composite::judge_new(
        call.state,
        &account,
        &region,
        now,
        &mut call.fx,
        &i.alarm_name,
    );
    Ok(NoOutput)
}

#[derive(Deserialize)]
#[serde(rename_all = "PascalCase")]
struct DescribeAlarmsInput {
    alarm_names: Option<Vec<String>>,
    alarm_name_prefix: Option<String>,
    alarm_types: Option<Vec<String>>,
    state_value: Option<String>,
    action_prefix: Option<String>,
    max_records: Option<f64>,
    next_token: Option<String>,
}

impl DescribeAlarmsInput {
    /// Whether an alarm of either kind passes the name, prefix and state filters.
    fn lists(&self, name: &str, state: StateValue) -> bool {
        self.alarm_names
            .as_ref()
            .is_none_or(|n| n.iter().any(|x| x == name))
            && self
                .alarm_name_prefix
                .as_ref()
                .is_none_or(|p| name.starts_with(p.as_str()))
            && self
                .state_value
                .as_ref()
                .is_none_or(|s| state == *s.as_str())
    }
}

fn describe_alarms(call: &mut Call<'_>, i: DescribeAlarmsInput) -> Result<DescribeAlarmsOutput> {
    if i.alarm_names.is_some() && i.alarm_name_prefix.is_some() {
        return Err(combination(
            "AlarmNames and AlarmNamePrefix cannot be specified together.",
        ));
    }
    if let Some(s) = &i.state_value {
        check_enum("stateValue", s, StateValue::NAMES).map_err(Validation)?;
    }
    let lim = page_size("maxRecords", i.max_records, 100, 50).map_err(Validation)?;
    let wants_metric = i
        .alarm_types
        .as_ref()
        .is_none_or(|t| t.iter().any(|x| x == "MetricAlarm"));
    let r = &*call.region();
    let alarms: Vec<&Alarm> = r
        .alarms
        .values()
        .filter(|_| wants_metric)
        .filter(|a| i.lists(&a.alarm_name, a.state_value))
        .filter(|a| {
            i.action_prefix.as_ref().is_none_or(|p| {
                a.alarm_actions
                    .iter()
                    .chain(&a.ok_actions)
                    .chain(&a.insufficient_data_actions)
                    .any(|x| x.starts_with(p.as_str()))
            })
        })
        .collect();
    let (items, next_token) = page(&alarms, i.next_token.as_deref(), lim, bad_token)?;
    // Composite alarms only when asked for by type (without AlarmTypes AWS lists metric alarms only).
    let wants_composite = i
        .alarm_types
        .as_ref()
        .is_some_and(|t| t.iter().any(|x| x == "CompositeAlarm"));
    let composites: Vec<CompositeAlarmOut> = r
        .composite_alarms
        .values()
        .filter(|_| wants_composite)
        .filter(|c| i.lists(&c.alarm_name, c.state_value))
        .map(CompositeAlarmOut::from)
        .collect();
    Ok(DescribeAlarmsOutput {
        metric_alarms: items.into_iter().map(MetricAlarmOut::from).collect(),
        composite_alarms: composites,
        next_token,
    })
}

#[derive(Deserialize)]
#[serde(rename_all = "PascalCase")]
struct DescribeAlarmsForMetricInput {
    metric_name: String,
    namespace: String,
    statistic: Option<String>,
    extended_statistic: Option<String>,
    dimensions: Option<Vec<Dimension>>,
    period: Option<f64>,
    unit: Option<String>,
}

fn describe_alarms_for_metric(
    call: &mut Call<'_>,
    i: DescribeAlarmsForMetricInput,
) -> Result<DescribeAlarmsForMetricOutput> {
    let mut want_dims = i.dimensions.clone().unwrap_or_default();
    want_dims.sort();
    let metric_alarms = call
        .region()
        .alarms
        .values()
        .filter(|a| {
            a.metric_name.as_deref() == Some(&i.metric_name)
                && a.namespace.as_deref() == Some(&i.namespace)
        })
        .filter(|a| {
            i.statistic
                .as_deref()
                .is_none_or(|s| a.statistic.is_some_and(|x| x == *s))
        })
        .filter(|a| i.extended_statistic.is_none() || a.extended_statistic == i.extended_statistic)
        .filter(|a| i.period.is_none_or(|p| a.period == Some(p as i64)))
        .filter(|a| i.unit.is_none() || a.unit == i.unit)
        .filter(|a| {
            i.dimensions.is_none() || {
                let mut d = a.dimensions.clone();
                d.sort();
                d == want_dims
            }
        })
        .map(MetricAlarmOut::from)
        .collect();
    Ok(DescribeAlarmsForMetricOutput { metric_alarms })
}

#[derive(Deserialize)]
#[serde(rename_all = "PascalCase")]
struct AlarmNames {
    alarm_names: Vec<String>,
}

fn delete_alarms(call: &mut Call<'_>, i: AlarmNames) -> Result<NoOutput> {
    if i.alarm_names.len() > 100 {
        let c = "Member must have length less than or equal to 100";
        return Err(out_of_bounds("alarmNames", None, c));
    }
    let composite_names: Vec<String> = call
        .region()
        .composite_alarms
        .keys()
        .filter(|n| i.alarm_names.contains(n))
        .cloned()
        .collect();
    let r = call.region();
    for n in &i.alarm_names {
        if let Some(c) = r.composite_alarms.remove(n) {
            r.tags.remove(&c.alarm_arn);
        }
    }
    if let Some(missing) = i
        .alarm_names
        .iter()
        .find(|n| !r.alarms.contains_key(*n) && !composite_names.contains(*n))
    {
        return Err(CloudWatchError::ResourceNotFound(format!(
            "Alarm {missing} does not exist"
        )));
    }
    let deleted: Vec<Alarm> = i
        .alarm_names
        .iter()
        .filter_map(|n| r.alarms.remove(n))
        .collect();
    for a in deleted {
        let arn = a.alarm_arn.clone();
        call.region().tags.remove(&arn);
        let data = serde_json::json!({"version": "1.0", "type": "Delete", "deletedAlarm": history_view(&a)});
        let summary = format!("Alarm \"{}\" deleted", a.alarm_name);
        history(call, &a.alarm_name, "ConfigurationUpdate", summary, data);
    }
    Ok(NoOutput)
}

fn set_actions(call: &mut Call<'_>, i: AlarmNames, enabled: bool) -> Result<NoOutput> {
    let r = call.region();
    for n in &i.alarm_names {
        if let Some(a) = r.alarms.get_mut(n) {
            a.actions_enabled = enabled;
        }
        if let Some(c) = r.composite_alarms.get_mut(n) {
            c.actions_enabled = enabled;
        }
    }
    Ok(NoOutput)
}

#[derive(Deserialize)]
#[serde(rename_all = "PascalCase")]
struct SetAlarmStateInput {
    alarm_name: String,
    state_value: String,
    state_reason: String,
    state_reason_data: Option<String>,
}

fn set_alarm_state(call: &mut Call<'_>, i: SetAlarmStateInput) -> Result<NoOutput> {
    let state = read_enum(
        "stateValue",
        &i.state_value,
        StateValue::NAMES,
        StateValue::parse,
    )
    .map_err(Validation)?;
    check_len("stateReason", &i.state_reason, 0, 1023).map_err(Validation)?;
    if let Some(d) = &i.state_reason_data {
        if serde_json::from_str::<Value>(d).is_err() {
            return Err(invalid("The StateReasonData is not valid JSON."));
        }
    }
    if !call.region().alarms.contains_key(&i.alarm_name) {
        // AWS's answer carries no message at all (recorded, every protocol).
        return Err(CloudWatchError::ResourceNotFound(String::new()));
    }
    let (account, region, now) = (
        call.ctx.account.clone(),
        call.ctx.region.clone(),
        call.now(),
    );
    actions::transition(
        call.state,
        &account,
        &region,
        now,
        &mut call.fx,
        &i.alarm_name,
        state,
        &i.state_reason,
        i.state_reason_data,
    );
    if let Some(a) = call.region().alarms.get_mut(&i.alarm_name) {
        a.state_set_by_hand = true;
    }
    Ok(NoOutput)
}

#[derive(Deserialize)]
#[serde(rename_all = "PascalCase")]
struct DescribeAlarmHistoryInput {
    alarm_name: Option<String>,
    history_item_type: Option<String>,
    start_date: Option<f64>,
    end_date: Option<f64>,
    max_records: Option<f64>,
    next_token: Option<String>,
    scan_by: Option<String>,
}

fn describe_alarm_history(
    call: &mut Call<'_>,
    i: DescribeAlarmHistoryInput,
) -> Result<Listing<AlarmHistoryItemOut>> {
    if let Some(t) = &i.history_item_type {
        check_enum(
            "historyItemType",
            t,
            &[
                "ConfigurationUpdate",
                "StateUpdate",
                "Action",
                "AlarmContributorStateUpdate",
                "AlarmContributorAction",
            ],
        )
        .map_err(Validation)?;
    }
    if let Some(s) = &i.scan_by {
        check_enum("scanBy", s, &["TimestampDescending", "TimestampAscending"])
            .map_err(Validation)?;
    }
    let lim = page_size("maxRecords", i.max_records, 100, 100).map_err(Validation)?;
    let mut items: Vec<&HistoryItem> = call
        .region()
        .alarm_history
        .iter()
        .filter(|h| i.alarm_name.as_ref().is_none_or(|n| &h.alarm_name == n))
        .filter(|h| {
            i.history_item_type
                .as_ref()
                .is_none_or(|t| &h.history_item_type == t)
        })
        .filter(|h| {
            i.start_date.is_none_or(|s| h.timestamp >= s)
                && i.end_date.is_none_or(|e| h.timestamp <= e)
        })
        .collect();
    if i.scan_by.as_deref() != Some("TimestampAscending") {
        items.reverse();
    }
    let members = Members {
        items: "AlarmHistoryItems",
        token: "NextToken",
    };
    let token = i.next_token.as_deref();
    Listing::page(
        members,
        &items,
        token,
        lim,
        bad_token,
        AlarmHistoryItemOut::from,
    )
}

#[derive(Deserialize)]
#[serde(rename_all = "PascalCase")]
struct StatisticSet {
    sample_count: f64,
    sum: f64,
    minimum: f64,
    maximum: f64,
}

#[derive(Deserialize)]
#[serde(rename_all = "PascalCase")]
struct MetricDatumInput {
    metric_name: String,
    #[serde(default)]
    dimensions: Vec<Dimension>,
    timestamp: Option<f64>,
    value: Option<f64>,
    statistic_values: Option<StatisticSet>,
    values: Option<Vec<f64>>,
    counts: Option<Vec<f64>>,
    unit: Option<String>,
}

#[derive(Deserialize)]
#[serde(rename_all = "PascalCase")]
struct PutMetricDataInput {
    namespace: String,
    metric_data: Vec<MetricDatumInput>,
}

fn put_metric_data(call: &mut Call<'_>, i: PutMetricDataInput) -> Result<NoOutput> {
    check_len("namespace", &i.namespace, 1, 255).map_err(Validation)?;
    if i.namespace.starts_with("AWS/") {
        return Err(invalid(
            "The value AWS/ for parameter Namespace is invalid.",
        ));
    }
    if i.metric_data.len() > 1000 {
        let c = "Member must have length less than or equal to 1000";
        return Err(out_of_bounds("metricData", None, c));
    }
    let now = call.now();
    let mut data = Vec::new();
    for (k, m) in i.metric_data.into_iter().enumerate() {
        if let Some(u) = &m.unit {
            check_enum(&format!("metricData.{}.member.unit", k + 1), u, UNITS)
                .map_err(Validation)?;
        }
        if m.dimensions.len() > 30 {
            return Err(invalid(
                "The collection MetricData must not have more than 30 dimensions.",
            ));
        }
        let mut dims = m.dimensions;
        dims.sort();
        let ts = m.timestamp.unwrap_or(now);
        let base = Datum::single(&i.namespace, &m.metric_name, dims, ts, 0.0, m.unit.clone());
        // AWS names the member and the pair it refuses (recorded).
        let n = k + 1;
        let exclusive = |a: &str, b: &str| {
            combination(format!(
                "The parameters MetricData.member.{n}.{a} and MetricData.member.{n}.{b} are mutually exclusive and you have specified both."
            ))
        };
        match (m.value, m.statistic_values, m.values) {
            (Some(v), None, None) => data.push(Datum {
                sum: v,
                min: v,
                max: v,
                ..base
            }),
            (None, Some(s), None) => data.push(Datum {
                sum: s.sum,
                count: s.sample_count,
                min: s.minimum,
                max: s.maximum,
                ..base
            }),
            // AWS accepts Values with StatisticValues (recorded); the samples are what is kept (chosen).
            (None, _, Some(vs)) => {
                let counts = m.counts.unwrap_or_else(|| vec![1.0; vs.len()]);
                if counts.len() != vs.len() {
                    return Err(invalid(format!("The parameters MetricData.member.{n}.Values and MetricData.member.{n}.Counts must be of the same size.")));
                }
                for (v, c) in vs.into_iter().zip(counts) {
                    data.push(Datum {
                        sum: v * c,
                        count: c,
                        min: v,
                        max: v,
                        ..base.clone()
                    });
                }
            }
            (None, None, None) => return Err(missing("MetricData.member.N.Value")),
            (Some(_), _, Some(_)) => return Err(exclusive("Value", "Values")),
            (Some(_), Some(_), None) => return Err(exclusive("Value", "StatisticValues")),
        }
    }
    call.region().metrics.extend(data);
    Ok(NoOutput)
}

#[derive(Deserialize)]
#[serde(rename_all = "PascalCase")]
struct DimensionFilter {
    name: String,
    value: Option<String>,
}

#[derive(Deserialize)]
#[serde(rename_all = "PascalCase")]
struct ListMetricsInput {
    namespace: Option<String>,
    metric_name: Option<String>,
    dimensions: Option<Vec<DimensionFilter>>,
    next_token: Option<String>,
}

fn list_metrics(call: &mut Call<'_>, i: ListMetricsInput) -> Result<Listing<MetricOut>> {
    let mut seen: Vec<(String, String, Vec<Dimension>)> = Vec::new();
    for d in &call.region().metrics {
        let key = (
            d.namespace.clone(),
            d.metric_name.clone(),
            d.dimensions.clone(),
        );
        if !seen.contains(&key) {
            seen.push(key);
        }
    }
    seen.sort();
    let metrics: Vec<(String, String, Vec<Dimension>)> = seen
        .into_iter()
        .filter(|(ns, name, dims)| {
            i.namespace.as_ref().is_none_or(|n| n == ns)
                && i.metric_name.as_ref().is_none_or(|m| m == name)
                && i.dimensions.as_ref().is_none_or(|fs| {
                    fs.iter().all(|f| {
                        dims.iter().any(|d| {
                            d.name == f.name && f.value.as_ref().is_none_or(|v| v == &d.value)
                        })
                    })
                })
        })
        .collect();
    // ListMetrics: up to 500 results per page.
    let members = Members {
        items: "Metrics",
        token: "NextToken",
    };
    let token = i.next_token.as_deref();
    Listing::page(
        members,
        &metrics,
        token,
        500,
        bad_token,
        |(namespace, metric_name, dimensions)| MetricOut {
            namespace,
            metric_name,
            dimensions,
        },
    )
}

#[derive(Deserialize)]
#[serde(rename_all = "PascalCase")]
struct GetMetricStatisticsInput {
    namespace: String,
    metric_name: String,
    #[serde(default)]
    dimensions: Vec<Dimension>,
    start_time: f64,
    end_time: f64,
    period: f64,
    #[serde(default)]
    statistics: Vec<String>,
    #[serde(default)]
    extended_statistics: Vec<String>,
    unit: Option<String>,
}

/// GetMetricStatistics answers at most 1,440 datapoints.
const MAX_STATISTICS_DATAPOINTS: f64 = 1440.0;

fn get_metric_statistics(
    call: &mut Call<'_>,
    i: GetMetricStatisticsInput,
) -> Result<GetMetricStatisticsOutput> {
    if i.statistics.is_empty() && i.extended_statistics.is_empty() {
        return Err(CloudWatchError::MissingParameter(
            "Must specify either Statistics or ExtendedStatistics.".into(),
        ));
    }
    let statistics = i
        .statistics
        .iter()
        .map(|s| read_enum("statistics", s, Statistic::NAMES, Statistic::parse))
        .collect::<std::result::Result<Vec<_>, _>>()
        .map_err(Validation)?;
    if i.period < 1.0 {
        return Err(invalid("The parameter Period must be greater than 0."));
    }
    // "A single request can include no more than 1,440 data points" (API reference; AWS's message).
    let requested = ((i.end_time - i.start_time) / i.period).ceil();
    if requested > MAX_STATISTICS_DATAPOINTS {
        return Err(combination(format!(
            "You have requested up to {requested} datapoints, which exceeds the limit of 1440. You may reduce the datapoints requested by increasing Period, or decreasing the time range."
        )));
    }
    if i.end_time <= i.start_time {
        return Err(invalid(
            "The parameter StartTime must be less than the parameter EndTime.",
        ));
    }
    let r = call.region();
    let key = MetricKey {
        namespace: &i.namespace,
        name: &i.metric_name,
        dimensions: &i.dimensions,
        unit: i.unit.as_deref(),
    };
    let buckets = periods(&r.metrics, &key, i.start_time, i.end_time, i.period);
    // Without a requested unit, each unit a period holds is its own datapoint (recorded).
    let mut by_unit: Vec<(i64, String, Vec<&Datum>)> = Vec::new();
    for (t, ds) in &buckets {
        let mut units: BTreeMap<String, Vec<&Datum>> = BTreeMap::new();
        for d in ds {
            let u = i
                .unit
                .clone()
                .or_else(|| d.unit.clone())
                .unwrap_or_else(|| "None".into());
            units.entry(u).or_default().push(d);
        }
        by_unit.extend(units.into_iter().map(|(u, ds)| (*t, u, ds)));
    }
    let datapoints = by_unit
        .iter()
        .map(|(t, unit, ds)| {
            let mut p = DatapointOut {
                timestamp: Some(Timestamp(*t as f64)),
                unit: Some(unit.clone()),
                ..DatapointOut::default()
            };
            for s in &statistics {
                let v = statistic(ds, s.as_str());
                match s {
                    Statistic::SampleCount => p.sample_count = v,
                    Statistic::Average => p.average = v,
                    Statistic::Sum => p.sum = v,
                    Statistic::Minimum => p.minimum = v,
                    Statistic::Maximum => p.maximum = v,
                }
            }
            if !i.extended_statistics.is_empty() {
                p.extended_statistics = Some(
                    i.extended_statistics
                        .iter()
                        .filter_map(|s| statistic(ds, s).map(|v| (s.clone(), v)))
                        .collect(),
                );
            }
            p
        })
        .collect();
    Ok(GetMetricStatisticsOutput {
        label: i.metric_name,
        datapoints,
    })
}

#[derive(Deserialize)]
#[serde(rename_all = "PascalCase")]
struct GetMetricDataInput {
    metric_data_queries: Vec<MetricDataQuery>,
    start_time: f64,
    end_time: f64,
    scan_by: Option<String>,
    max_datapoints: Option<i64>,
    next_token: Option<String>,
}

/// The label AWS gives a query without one: the metric's name, then the statistic if the request's
/// queries differ in statistic, then the period if they differ in period (recorded answers).
fn default_label(queries: &[MetricDataQuery], ms: &crate::model::cloudwatch::MetricStat) -> String {
    let stats: Vec<_> = queries
        .iter()
        .filter_map(|q| q.metric_stat.as_ref())
        .collect();
    let mut label = ms.metric.metric_name.clone();
    if stats.iter().any(|o| o.stat != ms.stat) {
        label = format!("{label} {}", ms.stat);
    }
    if stats.iter().any(|o| o.period != ms.period) {
        label = format!("{label} {}", ms.period);
    }
    label
}

/// GetMetricData's default `MaxDatapoints` (API reference).
const MAX_DATAPOINTS: usize = 100_800;

fn get_metric_data(call: &mut Call<'_>, i: GetMetricDataInput) -> Result<GetMetricDataOutput> {
    if i.end_time <= i.start_time {
        return Err(invalid(
            "The parameter StartTime must be less than the parameter EndTime.",
        ));
    }
    let r = call.region();
    let mut results = Vec::new();
    for q in i
        .metric_data_queries
        .iter()
        .filter(|q| q.return_data != Some(false))
    {
        let Some(ms) = &q.metric_stat else {
            let expr = q.expression.clone().unwrap_or_default();
            results.push(MetricDataResult {
                id: q.id.clone(),
                label: q.label.clone().unwrap_or_else(|| q.id.clone()),
                timestamps: vec![],
                values: vec![],
                status_code: "InternalError",
                messages: Some(vec![MessageData {
                    code: "Unsupported".into(),
                    value: format!("metric math is not supported by this emulator: {expr}"),
                }]),
            });
            continue;
        };
        let key = MetricKey {
            namespace: &ms.metric.namespace,
            name: &ms.metric.metric_name,
            dimensions: &ms.metric.dimensions,
            unit: ms.unit.as_deref(),
        };
        let buckets = periods(&r.metrics, &key, i.start_time, i.end_time, ms.period as f64);
        let mut pts: Vec<(i64, f64)> = buckets
            .iter()
            .filter_map(|(t, ds)| statistic(ds, &ms.stat).map(|v| (*t, v)))
            .collect();
        if i.scan_by.as_deref() != Some("TimestampAscending") {
            pts.reverse();
        }
        results.push(MetricDataResult {
            id: q.id.clone(),
            label: q
                .label
                .clone()
                .unwrap_or_else(|| default_label(&i.metric_data_queries, ms)),
            timestamps: pts.iter().map(|p| Timestamp(p.0 as f64)).collect(),
            values: pts.iter().map(|p| p.1).collect(),
            status_code: "Complete",
            messages: None,
        });
    }
    // At most MaxDatapoints values an answer, in query order; the token says how many were answered.
    let max = i
        .max_datapoints
        .map_or(MAX_DATAPOINTS, |n| n.max(1) as usize);
    let mut skip = match &i.next_token {
        Some(t) => t.parse::<usize>().map_err(|_| {
            CloudWatchError::InvalidNextToken(
                "The service cannot parse the specified token.".into(),
            )
        })?,
        None => 0,
    };
    let (start, mut room) = (skip, max);
    let mut more = false;
    for r in &mut results {
        let drop = skip.min(r.values.len());
        r.values.drain(..drop);
        r.timestamps.drain(..drop);
        skip -= drop;
        if r.values.len() > room {
            r.values.truncate(room);
            r.timestamps.truncate(room);
            r.status_code = "PartialData";
            more = true;
        }
        room -= r.values.len();
    }
    Ok(GetMetricDataOutput {
        metric_data_results: results,
        messages: vec![],
        next_token: more.then(|| (start + max).to_string()),
    })
}

#[derive(Deserialize)]
#[serde(rename_all = "PascalCase")]
struct TagResourceInput {
    #[serde(rename = "ResourceARN")]
    resource_arn: String,
    tags: Vec<Tag>,
}

fn alarm_exists(call: &mut Call<'_>, arn: &str) -> Result<()> {
    let name = arn.rsplit(":alarm:").next().unwrap_or("");
    let r = call.region();
    if arn.contains(":alarm:")
        && (r.alarms.contains_key(name) || r.composite_alarms.contains_key(name))
    {
        Ok(())
    } else {
        Err(CloudWatchError::ResourceNotFoundException(format!(
            "Resource {arn} does not exist"
        )))
    }
}

fn tag_resource(call: &mut Call<'_>, i: TagResourceInput) -> Result<EmptyOutput> {
    alarm_exists(call, &i.resource_arn)?;
    call.region()
        .tags
        .entry(i.resource_arn)
        .or_default()
        .extend(i.tags.into_iter().map(|t| (t.key, t.value)));
    Ok(EmptyOutput {})
}

#[derive(Deserialize)]
#[serde(rename_all = "PascalCase")]
struct UntagResourceInput {
    #[serde(rename = "ResourceARN")]
    resource_arn: String,
    tag_keys: Vec<String>,
}

fn untag_resource(call: &mut Call<'_>, i: UntagResourceInput) -> Result<EmptyOutput> {
    alarm_exists(call, &i.resource_arn)?;
    if let Some(t) = call.region().tags.get_mut(&i.resource_arn) {
        for k in &i.tag_keys {
            t.remove(k);
        }
    }
    Ok(EmptyOutput {})
}

#[derive(Deserialize)]
#[serde(rename_all = "PascalCase")]
struct ArnInput {
    #[serde(rename = "ResourceARN")]
    resource_arn: String,
}

/// An ARN naming no alarm (one deleted, say) has no tags: AWS answers an empty list, not an error (recorded).
fn list_tags(call: &mut Call<'_>, i: ArnInput) -> Result<TagsOutput> {
    let tags = call.region().tags.get(&i.resource_arn).cloned();
    Ok(TagsOutput::new(&tags.unwrap_or_default()))
}

#[derive(Deserialize)]
#[serde(rename_all = "PascalCase")]
struct PutDashboardInput {
    dashboard_name: String,
    dashboard_body: String,
}

/// Dashboard names: up to 255 letters, digits, `-` and `_`.
fn check_dashboard_name(name: &str) -> Result<()> {
    let valid = !name.is_empty()
        && name.len() <= 255
        && name
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_');
    if valid {
        Ok(())
    } else {
        Err(CloudWatchError::InvalidParameterValue(
            // AWS's message ends with a newline (recorded).
            "The value for field DashboardName contains invalid characters. It can only contain alphanumerics, dash (-) and underscore (_).\n".into(),
        ))
    }
}

fn dashboard_arn(call: &Call<'_>, name: &str) -> String {
    // Dashboards are global: their ARN names no region.
    format!("arn:aws:cloudwatch::{}:dashboard/{name}", call.ctx.account)
}

/// PutDashboard: the body must be a JSON object whose `widgets`, if present, is a list (AWS validates
/// each widget further; what it would refuse beyond that is accepted here and stored as given).
fn put_dashboard(call: &mut Call<'_>, i: PutDashboardInput) -> Result<DashboardValidationOutput> {
    check_dashboard_name(&i.dashboard_name)?;
    let body: Option<Value> = serde_json::from_str(&i.dashboard_body).ok();
    let valid = body
        .as_ref()
        .and_then(Value::as_object)
        .is_some_and(|o| o.get("widgets").is_none_or(Value::is_array));
    if !valid {
        return Err(CloudWatchError::DashboardInvalidInput(
            "The input for the dashboard body is invalid".into(),
        ));
    }
    let (now, account) = (call.now(), call.ctx.account.clone());
    call.state.account(&account).dashboards.insert(
        i.dashboard_name.clone(),
        Dashboard {
            name: i.dashboard_name,
            body: i.dashboard_body,
            last_modified: now,
        },
    );
    Ok(DashboardValidationOutput {
        dashboard_validation_messages: Vec::new(),
    })
}

#[derive(Deserialize)]
#[serde(rename_all = "PascalCase")]
struct DashboardNameInput {
    dashboard_name: String,
}

fn get_dashboard(call: &mut Call<'_>, i: DashboardNameInput) -> Result<GetDashboardOutput> {
    let arn = dashboard_arn(call, &i.dashboard_name);
    let account = call.ctx.account.clone();
    let d = call
        .state
        .account(&account)
        .dashboards
        .get(&i.dashboard_name)
        .ok_or_else(|| {
            CloudWatchError::DashboardNotFound(format!(
                "Dashboard {} does not exist",
                i.dashboard_name
            ))
        })?;
    Ok(GetDashboardOutput {
        dashboard_arn: arn,
        dashboard_body: d.body.clone(),
        dashboard_name: d.name.clone(),
    })
}

#[derive(Deserialize)]
#[serde(rename_all = "PascalCase")]
struct ListDashboardsInput {
    dashboard_name_prefix: Option<String>,
    next_token: Option<String>,
}

fn list_dashboards(
    call: &mut Call<'_>,
    i: ListDashboardsInput,
) -> Result<Listing<DashboardEntryOut>> {
    let account = call.ctx.account.clone();
    let prefix = i.dashboard_name_prefix.unwrap_or_default();
    let entries: Vec<Dashboard> = call
        .state
        .account(&account)
        .dashboards
        .values()
        .filter(|d| d.name.starts_with(&prefix))
        .cloned()
        .collect();
    let members = Members {
        items: "DashboardEntries",
        token: "NextToken",
    };
    // ListDashboards: up to 1,000 dashboards per page.
    Listing::page(
        members,
        &entries,
        i.next_token.as_deref(),
        1000,
        bad_token,
        |d| DashboardEntryOut {
            dashboard_arn: format!("arn:aws:cloudwatch::{}:dashboard/{}", account, d.name),
            last_modified: Timestamp(d.last_modified),
            size: d.body.len() as i64,
            dashboard_name: d.name,
        },
    )
}

#[derive(Deserialize)]
#[serde(rename_all = "PascalCase")]
struct DeleteDashboardsInput {
    dashboard_names: Vec<String>,
}

/// DeleteDashboards: all or nothing; a name that does not exist refuses the whole call.
fn delete_dashboards(call: &mut Call<'_>, i: DeleteDashboardsInput) -> Result<EmptyOutput> {
    let account = call.ctx.account.clone();
    let r = call.state.account(&account);
    if let Some(missing) = i
        .dashboard_names
        .iter()
        .find(|n| !r.dashboards.contains_key(*n))
    {
        return Err(CloudWatchError::DashboardNotFound(format!(
            "The specified dashboard does not exist. [{missing}]"
        )));
    }
    for n in &i.dashboard_names {
        r.dashboards.remove(n);
    }
    Ok(EmptyOutput {})
}

#[cfg(test)]
mod tests {
    use super::lower_camel;

    #[test]
    fn history_members_are_lower_camel_case_as_aws_writes_them() {
        assert_eq!(lower_camel("AlarmName"), "alarmName");
        assert_eq!(lower_camel("OKActions"), "okActions");
        assert_eq!(lower_camel("StateValue"), "stateValue");
        assert_eq!(lower_camel("ARN"), "arn");
    }
}
