//! Composite alarms, the stage after a metric alarm's transition: every composite alarm whose rule names
//! the alarm that changed is judged again ([`crate::model::alarm_rule::Rule`]); one whose verdict changed
//! transitions, writes its history (`AlarmType` `CompositeAlarm`) and runs its actions through
//! [`super::notify::run_actions`], and may in turn change a composite alarm that names it.
//!
//! A composite alarm is ALARM while its rule holds and OK otherwise; it is judged once when it is put,
//! with every child it names as a triggering alarm.

use super::delivery::Effects;
use super::notify::{region_long_name, run_actions, ts_plus0000};
use crate::model::alarm_rule::Rule;
use crate::model::cloudwatch::{CompositeAlarm, HistoryItem, StateValue};
use crate::model::{RegionState, State};

/// How deep composite alarms may nest before a change stops propagating (AWS refuses cycles; this guards
/// against any that slip through).
const MAX_DEPTH: usize = 10;

/// A child's state and when it last changed, as a composite alarm's reason names it.
#[derive(Debug, Clone)]
pub struct Trigger {
    pub arn: String,
    pub state: StateValue,
    pub at: f64,
}

/// The state of the alarm a rule names (by name or ARN), metric or composite; `None` when there is none.
fn state_of(r: &RegionState, named: &str) -> Option<(String, StateValue, f64)> {
    let name = named.rsplit(":alarm:").next().unwrap_or(named);
    if let Some(a) = r.alarms.get(name) {
        return Some((
            a.alarm_arn.clone(),
            a.state_value,
            a.state_transitioned_timestamp,
        ));
    }
    r.composite_alarms.get(name).map(|c| {
        (
            c.alarm_arn.clone(),
            c.state_value,
            c.state_transitioned_timestamp,
        )
    })
}

/// Whether the rule names the alarm `name` (with ARN `arn`).
fn names(rule: &Rule, name: &str, arn: &str) -> bool {
    rule.children().iter().any(|c| *c == name || *c == arn)
}

/// A child alarm changed state: judge every composite alarm that names it.
#[allow(clippy::too_many_arguments)]
pub fn child_changed(
    store: &mut State,
    account: &str,
    region: &str,
    now: f64,
    fx: &mut Effects<'_>,
    child: &Trigger,
    child_name: &str,
    depth: usize,
) {
    if depth >= MAX_DEPTH {
        return;
    }
    let parents: Vec<String> = store
        .region(account, region)
        .composite_alarms
        .values()
        .filter(|c| Rule::parse(&c.alarm_rule).is_ok_and(|r| names(&r, child_name, &child.arn)))
        .map(|c| c.alarm_name.clone())
        .collect();
    for p in parents {
        judge(
            store,
            account,
            region,
            now,
            fx,
            &p,
            std::slice::from_ref(child),
            depth + 1,
        );
    }
}

/// Judges a composite alarm now that it was put: every child is a triggering alarm.
pub fn judge_new(
    store: &mut State,
    account: &str,
    region: &str,
    now: f64,
    fx: &mut Effects<'_>,
    name: &str,
) {
    let r = store.region(account, region);
    let Some(rule) = r
        .composite_alarms
        .get(name)
        .and_then(|c| Rule::parse(&c.alarm_rule).ok())
    else {
        return;
    };
    let triggers: Vec<Trigger> = rule
        .children()
        .iter()
        .filter_map(|c| state_of(r, c))
        .map(|(arn, state, at)| Trigger { arn, state, at })
        .collect();
    judge(store, account, region, now, fx, name, &triggers, 0);
}

#[allow(clippy::too_many_arguments)]
fn judge(
    store: &mut State,
    account: &str,
    region: &str,
    now: f64,
    fx: &mut Effects<'_>,
    name: &str,
    triggers: &[Trigger],
    depth: usize,
) {
    let r = store.region(account, region);
    let Some(c) = r.composite_alarms.get(name) else {
        return;
    };
    let Ok(rule) = Rule::parse(&c.alarm_rule) else {
        return;
    };
    let holds = rule.holds(&|n| state_of(r, n).map(|s| s.1));
    let state = if holds {
        StateValue::Alarm
    } else {
        StateValue::Ok
    };
    if state == c.state_value {
        return;
    }
    let reason = triggers
        .first()
        .map(|t| {
            format!(
                "{} transitioned to {} at {}",
                t.arn,
                t.state,
                ts_plus0000(t.at)
            )
        })
        .unwrap_or_else(|| {
            format!(
                "The alarm rule evaluated to {}",
                if holds { "TRUE" } else { "FALSE" }
            )
        });
    let data = serde_json::json!({
        "triggeringAlarms": triggers.iter().map(|t| serde_json::json!({
            "arn": t.arn,
            "state": {"value": t.state, "timestamp": ts_plus0000(t.at)},
        })).collect::<Vec<_>>(),
    });
    let Some(c) = store.region(account, region).composite_alarms.get_mut(name) else {
        return;
    };
    let old = c.state_value;
    let old_reason = std::mem::replace(&mut c.state_reason, reason.clone());
    c.state_value = state;
    c.state_reason_data = Some(data.to_string());
    c.state_updated_timestamp = now;
    c.state_transitioned_timestamp = now;
    let snapshot = c.clone();
    let history = serde_json::json!({
        "version": "1.0",
        "oldState": {"stateValue": old, "stateReason": old_reason},
        "newState": {"stateValue": state, "stateReason": reason, "stateReasonData": data},
    });
    let mut item = HistoryItem::new(
        name,
        now,
        "StateUpdate",
        format!("Alarm updated from {old} to {state}"),
        history.to_string(),
    );
    item.alarm_type = "CompositeAlarm".into();
    store.region(account, region).alarm_history.push(item);
    if snapshot.actions_enabled {
        let actions = match state {
            StateValue::Alarm => &snapshot.alarm_actions,
            StateValue::Ok => &snapshot.ok_actions,
            StateValue::InsufficientData => &snapshot.insufficient_data_actions,
        };
        let message = message(account, region, &snapshot, old, triggers);
        run_actions(
            store,
            (account, region, now),
            fx,
            (name, &snapshot.alarm_arn, "CompositeAlarm"),
            (state, actions),
            &message,
        );
    }
    let me = Trigger {
        arn: snapshot.alarm_arn.clone(),
        state,
        at: now,
    };
    child_changed(store, account, region, now, fx, &me, name, depth);
}

/// The JSON a composite alarm publishes to SNS: the metric alarm message's common members, its rule and
/// the children that triggered it (AWS's documented composite alarm notification).
fn message(
    account: &str,
    region: &str,
    c: &CompositeAlarm,
    old: StateValue,
    triggers: &[Trigger],
) -> String {
    serde_json::json!({
        "AlarmName": c.alarm_name,
        "AlarmDescription": c.alarm_description,
        "AWSAccountId": account,
        "AlarmConfigurationUpdatedTimestamp": ts_plus0000(c.alarm_configuration_updated_timestamp),
        "NewStateValue": c.state_value,
        "NewStateReason": c.state_reason,
        "StateChangeTime": ts_plus0000(c.state_updated_timestamp),
        "Region": region_long_name(region),
        "AlarmArn": c.alarm_arn,
        "OldStateValue": old,
        "OKActions": c.ok_actions,
        "AlarmActions": c.alarm_actions,
        "InsufficientDataActions": c.insufficient_data_actions,
        "AlarmRule": c.alarm_rule,
        "TriggeringChildren": triggers.iter().map(|t| serde_json::json!({
            "Arn": t.arn,
            "State": {"Value": t.state, "Timestamp": ts_plus0000(t.at)},
        })).collect::<Vec<_>>(),
    })
    .to_string()
}
