//! Alarm notifications, shared by metric and composite alarms ([`super::actions`], [`super::composite`]):
//! each action's topic that lets CloudWatch publish ([`access::alarm_publish`]) gets the alarm's message
//! through [`delivery::publish`], and each action is recorded in the alarm's history as AWS words it.

use super::delivery::{self, Effects};
use crate::access;
use crate::model::cloudwatch::{HistoryItem, StateValue};
use crate::model::sns::Publication;
use crate::model::State;

/// Publishes an alarm's message to each action's topic that lets CloudWatch publish, and records each
/// action in the alarm's history (`Action`, succeeded or failed, AWS's wording). `at` is the account,
/// region and time; `alarm` the alarm's name, ARN and type (`MetricAlarm` or `CompositeAlarm`); `state`
/// the state it entered, which the subject names.
pub fn run_actions(
    store: &mut State,
    at: (&str, &str, f64),
    fx: &mut Effects<'_>,
    alarm: (&str, &str, &str),
    (state, actions): (StateValue, &[String]),
    message: &str,
) {
    let (account, region, now) = at;
    let (name, alarm_arn, alarm_type) = alarm;
    let subject = format!("{state}: \"{name}\" in {}", region_long_name(region));
    let subject = subject.as_str();
    for arn in actions {
        let (summary, data) = match access::alarm_publish(store, alarm_arn, account, arn) {
            Ok(()) => {
                delivery::publish(store, now, fx, arn, &Publication::text(subject, message));
                (
                    format!("Successfully executed action {arn}"),
                    serde_json::json!({"actionState": "Succeeded", "notificationResource": arn}),
                )
            }
            // The alarm stays in its new state; only the history says nobody was told.
            Err(refusal) => (
                format!(
                    "Failed to execute action {arn}. Received error: \"{}\"",
                    refusal.error()
                ),
                serde_json::json!({"actionState": "Failed", "notificationResource": arn, "error": refusal.error()}),
            ),
        };
        let mut item = HistoryItem::new(name, now, "Action", summary, data.to_string());
        item.alarm_type = alarm_type.into();
        store.region(account, region).alarm_history.push(item);
    }
}

/// The long region name AWS puts in alarm messages (shared vocabulary: the checker needs it too).
pub fn region_long_name(region: &str) -> String {
    orgwatch_policy::region::long_name(region).to_string()
}

pub fn ts_plus0000(epoch: f64) -> String {
    crate::clock::iso8601(epoch)
        .trim_end_matches('Z')
        .to_string()
        + "+0000"
}
