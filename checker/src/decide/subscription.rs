//! The subscription link: whether a confirmed subscription's filter policy lets the alarm's notification
//! through. CloudWatch publishes an alarm notification with no message attributes, so a policy of scope
//! `MessageAttributes` (SNS's default) drops it unless every condition holds for a missing attribute;
//! a policy of scope `MessageBody` is matched against the notification's JSON as CloudWatch writes it
//! (`shared/reference/filter-patterns.md` §11.1), rendered here from the alarm's own configuration.
//!
//! Fields that differ from one notification to the next get representative values: the old state is
//! tried both ways (`INSUFFICIENT_DATA` and `OK`, the two an alarm leaves for `ALARM`), and the reason and
//! times are written as CloudWatch writes them for one breaching datapoint at [`WHEN`]. The policy
//! language is SNS's, evaluated by `orgwatch_policy::subscription_filter` (AWS's documented rules, read
//! once; the oracle tests the checker's reading of the alarm message, which is its own).

use crate::inventory::{split_arn, Alarm, CallError, Subscription};
use orgwatch_policy::subscription_filter::{FilterPolicy, Scope};
use serde_json::{json, Value};

/// The moment representative notifications are dated (a policy that tests a time is judged on it).
const WHEN: (&str, &str) = ("2026-01-01T00:00:00.000+0000", "01/01/26 00:00:00");

/// What a subscription does with the alarm's ALARM notification.
#[derive(Debug)]
pub(super) enum Passage<'a> {
    /// It reaches the subscriber; with a filter policy, the string says why it holds (for the evidence).
    Delivered(Option<String>),
    /// The filter policy drops it; the string says how.
    Dropped(String),
    /// The subscription's attributes could not be read.
    Unread(&'a CallError),
}

/// The judgement for one confirmed subscription.
pub(super) fn passage<'a>(s: &'a Subscription, alarm: &Alarm) -> Passage<'a> {
    if let Some(e) = &s.attributes_error {
        return Passage::Unread(e);
    }
    let Some(text) = s.filter_policy.as_deref().filter(|p| !p.is_empty()) else {
        return Passage::Delivered(None);
    };
    let scope = Scope::from_attribute(s.filter_policy_scope.as_deref());
    let policy = match FilterPolicy::compile(text, scope) {
        Ok(p) => p,
        Err(r) => {
            return Passage::Dropped(format!(
                "its filter policy {text} cannot be read ({})",
                r.reason()
            ))
        }
    };
    if scope == Scope::MessageAttributes {
        return if policy.matches_attributes([]) {
            Passage::Delivered(Some(format!(
                "its filter policy {text} (scope MessageAttributes) holds for a message without attributes"
            )))
        } else {
            Passage::Dropped(format!(
                "its filter policy {text} has scope MessageAttributes, and alarm notifications carry no message attributes"
            ))
        };
    }
    for old in ["INSUFFICIENT_DATA", "OK"] {
        if !policy.matches_body(&notification(alarm, old).to_string()) {
            return Passage::Dropped(format!(
                "its filter policy {text} (scope MessageBody) does not match the notification of {} going from {old} to ALARM",
                alarm.name
            ));
        }
    }
    Passage::Delivered(Some(format!(
        "its filter policy {text} (scope MessageBody) matches the alarm's notifications"
    )))
}

/// The words CloudWatch's reason uses for a comparison, and a datapoint that crosses the threshold.
fn crossing(comparison: &str, threshold: f64) -> (&'static str, f64) {
    match comparison {
        "GreaterThanThreshold" => ("greater than", threshold + 1.0),
        "LessThanThreshold" => ("less than", threshold - 1.0),
        "LessThanOrEqualToThreshold" => ("less than or equal to", threshold),
        _ => ("greater than or equal to", threshold),
    }
}

/// The JSON message the alarm publishes when it goes from `old` to `ALARM` (§11.1 of the reference).
fn notification(alarm: &Alarm, old: &str) -> Value {
    let (region, account) = split_arn(&alarm.arn)
        .map(|(_, region, account, _)| (region, account))
        .unwrap_or_default();
    let threshold = alarm.threshold.unwrap_or(0.0);
    let (words, datapoint) = crossing(&alarm.comparison, threshold);
    let mut trigger = json!({
        "MetricName": alarm.metric_name,
        "Namespace": alarm.namespace,
        "Unit": alarm.unit,
        "Dimensions": alarm.dimensions.iter().map(|(name, value)| json!({"value": value, "name": name})).collect::<Vec<_>>(),
        "Period": alarm.period,
        "EvaluationPeriods": alarm.evaluation_periods,
        "ComparisonOperator": alarm.comparison,
        "Threshold": threshold,
        "TreatMissingData": alarm.treat_missing_data.as_deref().unwrap_or("missing"),
        "EvaluateLowSampleCountPercentile": "",
    });
    match (&alarm.statistic, &alarm.extended_statistic) {
        (_, Some(p)) => {
            trigger["StatisticType"] = json!("ExtendedStatistic");
            trigger["ExtendedStatistic"] = json!(p);
        }
        (s, None) => {
            // Upper snake case: `SampleCount` is written `SAMPLE_COUNT` (recorded).
            let name = s.as_deref().unwrap_or_default();
            let mut upper = String::new();
            for (i, c) in name.char_indices() {
                if i > 0 && c.is_ascii_uppercase() {
                    upper.push('_');
                }
                upper.push(c.to_ascii_uppercase());
            }
            trigger["StatisticType"] = json!("Statistic");
            trigger["Statistic"] = json!(upper);
        }
    }
    if let Some(d) = alarm.datapoints_to_alarm {
        trigger["DatapointsToAlarm"] = json!(d);
    }
    json!({
        "AlarmName": alarm.name,
        "AlarmDescription": alarm.description,
        "AWSAccountId": account,
        "AlarmConfigurationUpdatedTimestamp": WHEN.0,
        "NewStateValue": "ALARM",
        "NewStateReason": format!(
            "Threshold Crossed: 1 datapoint [{datapoint:?} ({})] was {words} the threshold ({threshold:?}).",
            WHEN.1
        ),
        "StateChangeTime": WHEN.0,
        "Region": orgwatch_policy::region::long_name(&region),
        "AlarmArn": alarm.arn,
        "OldStateValue": old,
        "OKActions": alarm.ok_actions,
        "AlarmActions": alarm.alarm_actions,
        "InsufficientDataActions": alarm.insufficient_data_actions,
        "Trigger": trigger,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::BTreeMap;

    fn alarm() -> Alarm {
        Alarm {
            name: "organizations_changes".into(),
            arn: "arn:aws:cloudwatch:us-east-1:123456789012:alarm:organizations_changes".into(),
            metric_name: Some("organizations_changes".into()),
            namespace: Some("CISBenchmark".into()),
            statistic: Some("Sum".into()),
            extended_statistic: None,
            dimensions: BTreeMap::new(),
            unit: None,
            period: Some(300),
            evaluation_periods: 1,
            datapoints_to_alarm: None,
            threshold: Some(1.0),
            comparison: "GreaterThanOrEqualToThreshold".into(),
            treat_missing_data: None,
            actions_enabled: true,
            alarm_actions: vec!["arn:aws:sns:us-east-1:123456789012:cis-alarms".into()],
            description: None,
            ok_actions: Vec::new(),
            insufficient_data_actions: Vec::new(),
            math: None,
        }
    }

    fn subscription(policy: Option<&str>, scope: Option<&str>) -> Subscription {
        Subscription {
            arn: "arn:aws:sns:us-east-1:123456789012:cis-alarms:1".into(),
            protocol: "email".into(),
            endpoint: "security@example.com".into(),
            filter_policy: policy.map(str::to_string),
            filter_policy_scope: scope.map(str::to_string),
            attributes_error: None,
        }
    }

    fn delivered(policy: Option<&str>, scope: Option<&str>) -> bool {
        match passage(&subscription(policy, scope), &alarm()) {
            Passage::Delivered(_) => true,
            Passage::Dropped(_) => false,
            Passage::Unread(e) => panic!("unread: {e:?}"),
        }
    }

    #[test]
    fn attribute_scope_policies_see_a_message_without_attributes() {
        assert!(delivered(None, None));
        assert!(!delivered(Some(r#"{"severity":["high"]}"#), None));
        assert!(!delivered(
            Some(r#"{"severity":["high"]}"#),
            Some("MessageAttributes")
        ));
        assert!(delivered(Some(r#"{"severity":[{"exists":false}]}"#), None));
        assert!(
            delivered(Some("{}"), None),
            "an empty policy filters nothing"
        );
    }

    #[test]
    fn body_scope_policies_see_the_notification_as_cloudwatch_writes_it() {
        let body = Some("MessageBody");
        for through in [
            r#"{"AlarmName":["organizations_changes"]}"#,
            r#"{"NewStateValue":["ALARM"]}"#,
            r#"{"Trigger":{"Namespace":["CISBenchmark"],"Statistic":["SUM"]}}"#,
            r#"{"Region":["US East (N. Virginia)"],"AWSAccountId":["123456789012"]}"#,
            r#"{"NewStateReason":[{"prefix":"Threshold Crossed"}]}"#,
            r#"{"AlarmActions":[{"suffix":":cis-alarms"}]}"#,
        ] {
            assert!(delivered(Some(through), body), "{through}");
        }
        for dropped in [
            r#"{"AlarmName":["another_alarm"]}"#,
            r#"{"NewStateValue":["OK"]}"#,
            r#"{"Trigger":{"Statistic":["Sum"]}}"#,
            r#"{"Trigger":{"Statistic":["SAMPLE_COUNT"]}}"#,
            // Passes one transition only: a notification from OK would be dropped.
            r#"{"OldStateValue":["INSUFFICIENT_DATA"]}"#,
            r#"{"severity":["high"]}"#,
        ] {
            assert!(!delivered(Some(dropped), body), "{dropped}");
        }
    }

    #[test]
    fn statistics_are_written_in_upper_snake_case() {
        let mut a = alarm();
        a.statistic = Some("SampleCount".into());
        let s = subscription(
            Some(r#"{"Trigger":{"Statistic":["SAMPLE_COUNT"]}}"#),
            Some("MessageBody"),
        );
        assert!(matches!(passage(&s, &a), Passage::Delivered(Some(_))));
    }

    #[test]
    fn unread_attributes_and_unreadable_policies() {
        let mut s = subscription(None, None);
        s.attributes_error = Some(CallError {
            operation: "sns:GetSubscriptionAttributes".into(),
            code: "AuthorizationError".into(),
            message: "not authorized".into(),
        });
        assert!(matches!(passage(&s, &alarm()), Passage::Unread(_)));
        assert!(!delivered(Some("not json"), None));
    }
}
