//! Alarm actions, the stage between alarm evaluation and SNS delivery: a transition sets the alarm's state,
//! writes its history, and, when the state changed and actions are enabled, publishes the alarm message
//! (reference §11) to each action's topic that lets CloudWatch publish ([`access::alarm_publish`]); a
//! refused action is recorded in the history as AWS words it ("Failed to execute action ..."). SetAlarmState and the evaluator both transition through here.

use super::composite;
use super::delivery::Effects;
pub use super::notify::{region_long_name, run_actions, ts_plus0000};
use crate::model::cloudwatch::{Alarm, HistoryItem, StateValue, TreatMissingData};
use crate::model::State;

/// Moves an alarm to a state, records the history, and runs the new state's actions when the state
/// changed and actions are enabled.
#[allow(clippy::too_many_arguments)]
pub fn transition(
    store: &mut State,
    account: &str,
    region: &str,
    now: f64,
    fx: &mut Effects<'_>,
    name: &str,
    state: StateValue,
    reason: &str,
    reason_data: Option<String>,
) {
    let Some(alarm) = store.region(account, region).alarms.get_mut(name) else {
        return;
    };
    let old = alarm.state_value;
    alarm.state_set_by_hand = false;
    let old_reason = std::mem::take(&mut alarm.state_reason);
    let old_data = alarm.state_reason_data.take();
    alarm.state_value = state;
    alarm.state_reason = reason.to_string();
    alarm.state_reason_data = reason_data;
    alarm.state_updated_timestamp = now;
    let changed = old != state;
    if changed {
        alarm.state_transitioned_timestamp = now;
    }
    let snapshot = alarm.clone();
    let summary = format!("Alarm updated from {old} to {state}");
    let data = serde_json::json!({
        "version": "1.0",
        "oldState": state_view(old, &old_reason, old_data.as_deref()),
        "newState": state_view(state, reason, snapshot.state_reason_data.as_deref()),
    });
    let history = &mut store.region(account, region).alarm_history;
    history.push(HistoryItem::new(
        name,
        now,
        "StateUpdate",
        summary,
        data.to_string(),
    ));
    if changed && snapshot.actions_enabled {
        let actions = match state {
            StateValue::Alarm => &snapshot.alarm_actions,
            StateValue::Ok => &snapshot.ok_actions,
            StateValue::InsufficientData => &snapshot.insufficient_data_actions,
        };
        let message = alarm_message(account, region, &snapshot, old);
        run_actions(
            store,
            (account, region, now),
            fx,
            (name, &snapshot.alarm_arn, "MetricAlarm"),
            (state, actions),
            &message,
        );
    }
    if changed {
        let me = composite::Trigger {
            arn: snapshot.alarm_arn.clone(),
            state,
            at: now,
        };
        composite::child_changed(store, account, region, now, fx, &me, name, 0);
    }
}

/// One side of a StateUpdate history item's `HistoryData`: the state, its reason, and its reason data
/// (a JSON document, embedded as an object) when the transition had one.
fn state_view(value: StateValue, reason: &str, data: Option<&str>) -> serde_json::Value {
    let mut v = serde_json::json!({"stateValue": value});
    if !reason.is_empty() {
        v["stateReason"] = reason.into();
    }
    if let Some(d) = data.and_then(|d| serde_json::from_str::<serde_json::Value>(d).ok()) {
        v["stateReasonData"] = d;
    }
    v
}

/// The JSON an alarm publishes to SNS (reference §11.1).
///
/// Chosen: no `ActionExecutedAfterMuteWindow`. AWS began adding it (always `false` without mute rules) in
/// 2025; of the recorded messages we compare against, the two older ones lack it and the newer one is
/// compared with that member ignored, so leaving it out matches every recording.
fn alarm_message(account: &str, region: &str, a: &Alarm, old: StateValue) -> String {
    let mut trigger = serde_json::json!({
        "Period": a.period,
        "EvaluationPeriods": a.evaluation_periods,
        "ComparisonOperator": a.comparison_operator,
        "TreatMissingData": a.treat_missing_data.unwrap_or(TreatMissingData::Missing).as_str(),
        "EvaluateLowSampleCountPercentile": a.evaluate_low_sample_count_percentile.clone().unwrap_or_default(),
    });
    if let Some(t) = a.threshold {
        trigger["Threshold"] = t.into();
    }
    if let Some(m) = a.datapoints_to_alarm {
        trigger["DatapointsToAlarm"] = m.into();
    }
    if let Some(metrics) = &a.metrics {
        trigger["Metrics"] = serde_json::to_value(metrics).unwrap_or_default();
    } else {
        trigger["MetricName"] = a.metric_name.clone().into();
        trigger["Namespace"] = a.namespace.clone().into();
        match (&a.statistic, &a.extended_statistic) {
            (Some(s), _) => {
                trigger["StatisticType"] = "Statistic".into();
                trigger["Statistic"] = s.message_name().into();
            }
            (None, Some(e)) => {
                trigger["StatisticType"] = "ExtendedStatistic".into();
                trigger["ExtendedStatistic"] = e.clone().into();
            }
            _ => {}
        }
        trigger["Unit"] = a.unit.clone().into();
        trigger["Dimensions"] = a
            .dimensions
            .iter()
            .map(|d| serde_json::json!({"value": d.value, "name": d.name}))
            .collect();
    }
    serde_json::json!({
        "AlarmName": a.alarm_name,
        "AlarmDescription": a.alarm_description,
        "AWSAccountId": account,
        "AlarmConfigurationUpdatedTimestamp": ts_plus0000(a.alarm_configuration_updated_timestamp),
        "NewStateValue": a.state_value,
        "NewStateReason": a.state_reason,
        "StateChangeTime": ts_plus0000(a.state_updated_timestamp),
        "Region": region_long_name(region),
        "AlarmArn": a.alarm_arn,
        "OldStateValue": old,
        "OKActions": a.ok_actions,
        "AlarmActions": a.alarm_actions,
        "InsufficientDataActions": a.insufficient_data_actions,
        "Trigger": trigger,
    })
    .to_string()
}
