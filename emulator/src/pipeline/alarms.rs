//! Alarms on the clock: which evaluations are due between two instants, the datapoints each one sees,
//! and the transition it makes (with AWS's reason text, StateReasonData, history and SNS actions).
//!
//! CloudWatch evaluates an alarm every minute (every 10 seconds when the period is under a minute). The
//! points only change when a period completes, so the due times are the first tick after the alarm was
//! configured and every period boundary; a run of boundaries whose window holds no data is skipped at
//! once, which keeps a year-long jump of a virtual clock cheap. Metric-math and anomaly-band alarms are
//! not evaluated (their state changes only through SetAlarmState).

use super::actions;
use super::delivery::Effects;
use super::evaluation::{decide, keeps_a_set_state, Decision, Outcome, Treat, RANGE_EXTRA};
use super::metrics::{self, MetricKey};
use crate::model::cloudwatch::{Alarm, ComparisonOperator, Datum, Statistic};
use crate::model::State;
use serde_json::json;

/// Evaluates every alarm at each of its due times in `(from, to]`, oldest first.
pub fn catch_up(state: &mut State, from: f64, to: f64, fx: &mut Effects<'_>) {
    if to <= from {
        return;
    }
    let alarms: Vec<(String, String, String)> = state
        .accounts
        .iter()
        .flat_map(|(a, acc)| {
            acc.regions.iter().flat_map(move |(r, reg)| {
                reg.alarms
                    .keys()
                    .map(move |n| (a.clone(), r.clone(), n.clone()))
            })
        })
        .collect();
    for (account, region, name) in alarms {
        catch_up_one(state, &account, &region, &name, from, to, fx);
    }
}

fn evaluable(a: &Alarm) -> Option<(f64, f64)> {
    if a.metrics.is_some() || a.threshold_metric_id.is_some() {
        return None;
    }
    let period = a.period? as f64;
    let threshold = a.threshold?;
    (period > 0.0).then_some((period, threshold))
}

fn catch_up_one(
    state: &mut State,
    account: &str,
    region: &str,
    name: &str,
    from: f64,
    to: f64,
    fx: &mut Effects<'_>,
) {
    let Some(alarm) = state.region(account, region).alarms.get(name).cloned() else {
        return;
    };
    let Some((period, _)) = evaluable(&alarm) else {
        return;
    };
    let tick = if period < 60.0 { 10.0 } else { 60.0 };
    let first_tick = (alarm.alarm_configuration_updated_timestamp / tick).floor() * tick + tick;
    let mut stamps: Vec<f64> = series(&state.region(account, region).metrics, &alarm)
        .map(|d| d.timestamp)
        .collect();
    stamps.sort_by(f64::total_cmp);
    let mut t = (from / period).floor() * period + period;
    if first_tick > from && first_tick <= to && first_tick < t {
        evaluate_at(state, account, region, name, first_tick, fx);
    }
    while t <= to {
        let (changed, empty) = evaluate_at(state, account, region, name, t, fx);
        if empty && !changed {
            // Nothing changes until a datum at or after this window's end completes its period.
            match stamps.iter().find(|&&s| s >= t) {
                Some(&s) => t = (t + period).max((s / period).floor() * period + period),
                None => break,
            }
        } else {
            t += period;
        }
    }
}

fn series<'d>(data: &'d [Datum], a: &'d Alarm) -> impl Iterator<Item = &'d Datum> {
    let key = metric_key(a);
    data.iter().filter(move |d| key.matches(d))
}

fn metric_key(a: &Alarm) -> MetricKey<'_> {
    MetricKey {
        namespace: a.namespace.as_deref().unwrap_or_default(),
        name: a.metric_name.as_deref().unwrap_or_default(),
        dimensions: &a.dimensions,
        unit: a.unit.as_deref(),
    }
}

/// One period of the evaluation range: its start, and its statistic and sample count when it has data.
#[derive(Debug, Clone, Copy)]
pub struct Period {
    pub start: f64,
    pub value: Option<(f64, f64)>,
}

/// The evaluation range an alarm sees at `t`: N + [`RANGE_EXTRA`] complete periods, oldest first.
pub fn window(data: &[Datum], a: &Alarm, t: f64) -> Vec<Period> {
    let Some((period, _)) = evaluable(a) else {
        return Vec::new();
    };
    let len = a.evaluation_periods.max(1) as usize + RANGE_EXTRA;
    let newest = (t / period).floor() * period - period;
    let start = newest - (len as f64 - 1.0) * period;
    let buckets = metrics::periods(data, &metric_key(a), start, newest + period, period);
    let stat = a
        .statistic
        .map(Statistic::as_str)
        .or(a.extended_statistic.as_deref())
        .unwrap_or("Sum");
    (0..len)
        .map(|k| {
            let s = start + k as f64 * period;
            let value = buckets.get(&(s as i64)).and_then(|d| {
                let samples: f64 = d.iter().map(|x| x.count).sum();
                metrics::statistic(d, stat).map(|v| (v, samples))
            });
            Period { start: s, value }
        })
        .collect()
}

/// Whether `value` breaches under the comparison operator.
pub fn breaches(op: ComparisonOperator, value: f64, threshold: f64) -> bool {
    use ComparisonOperator as C;
    match op {
        C::GreaterThanOrEqualToThreshold => value >= threshold,
        C::GreaterThanThreshold => value > threshold,
        C::LessThanThreshold => value < threshold,
        C::LessThanOrEqualToThreshold => value <= threshold,
        // Anomaly bands: not evaluated (only SetAlarmState moves these alarms).
        C::LessThanLowerOrGreaterThanUpperThreshold
        | C::LessThanLowerThreshold
        | C::GreaterThanUpperThreshold => false,
    }
}

/// Percentile alarms with `EvaluateLowSampleCountPercentile = ignore` skip periods with too few samples
/// (fewer than 10/(1-p) for p ≥ 0.5, 10/p below): such a period counts as missing.
fn too_few_samples(a: &Alarm, samples: f64) -> bool {
    let (Some(p), Some("ignore")) = (
        a.extended_statistic
            .as_deref()
            .and_then(|s| s.strip_prefix('p'))
            .and_then(|q| q.parse::<f64>().ok()),
        a.evaluate_low_sample_count_percentile.as_deref(),
    ) else {
        return false;
    };
    let p = p / 100.0;
    let needed = if p >= 0.5 { 10.0 / (1.0 - p) } else { 10.0 / p };
    samples < needed
}

/// Evaluates one alarm at `t`; returns (state changed, window had no data).
fn evaluate_at(
    state: &mut State,
    account: &str,
    region: &str,
    name: &str,
    t: f64,
    fx: &mut Effects<'_>,
) -> (bool, bool) {
    let r = state.region(account, region);
    let Some(a) = r.alarms.get(name).cloned() else {
        return (false, true);
    };
    let Some((_, threshold)) = evaluable(&a) else {
        return (false, true);
    };
    let periods = window(&r.metrics, &a, t);
    let points: Vec<Option<bool>> = periods
        .iter()
        .map(|p| {
            p.value
                .filter(|(_, n)| !too_few_samples(&a, *n))
                .map(|(v, _)| breaches(a.comparison_operator, v, threshold))
        })
        .collect();
    let empty = points.iter().all(Option::is_none);
    let n = a.evaluation_periods.max(1) as usize;
    let m = a.datapoints_to_alarm.map_or(n, |m| m.max(1) as usize);
    let treat = a.treat_missing_data.unwrap_or(Treat::Missing);
    let d = decide(&points, n, m, treat);
    if keeps_a_set_state(empty, d.outcome, a.state_set_by_hand) {
        return (false, empty);
    }
    let Some(new_state) = d.outcome.state() else {
        return (false, empty);
    };
    if new_state == a.state_value {
        return (false, empty);
    }
    let reason = reason_text(&a, &periods, &d, treat, threshold);
    let data = reason_data(&a, &periods, &d, t, threshold);
    actions::transition(
        state,
        account,
        region,
        t,
        fx,
        name,
        new_state,
        &reason,
        Some(data),
    );
    (true, empty)
}

/// `1.0 (27/11/26 04:55:00)`: how AWS prints a datapoint in a reason.
fn datapoint(p: &Period) -> String {
    let v = p.value.map_or(0.0, |(v, _)| v);
    let when = crate::clock::iso8601(p.start);
    // 2026-11-27T04:55:00.000Z → 27/11/26 04:55:00
    let (date, time) = (&when[..10], &when[11..19]);
    format!(
        "{v:?} ({}/{}/{} {time})",
        &date[8..10],
        &date[5..7],
        &date[2..4]
    )
}

fn relation(op: ComparisonOperator) -> &'static str {
    use ComparisonOperator as C;
    match op {
        C::GreaterThanOrEqualToThreshold => "greater than or equal to",
        C::GreaterThanThreshold => "greater than",
        C::LessThanThreshold => "less than",
        C::LessThanOrEqualToThreshold => "less than or equal to",
        C::LessThanLowerOrGreaterThanUpperThreshold
        | C::LessThanLowerThreshold
        | C::GreaterThanUpperThreshold => "compared with",
    }
}

fn plural(n: usize, one: &str, many: &str) -> String {
    format!("{n} {}", if n == 1 { one } else { many })
}

/// AWS's NewStateReason for an evaluation (the forms recorded in reference §11.1).
pub fn reason_text(
    a: &Alarm,
    periods: &[Period],
    d: &Decision,
    treat: Treat,
    threshold: f64,
) -> String {
    let n = a.evaluation_periods.max(1) as usize;
    let m = a.datapoints_to_alarm.map_or(n, |m| m.max(1) as usize);
    if d.outcome == Outcome::InsufficientData {
        return format!(
            "Insufficient Data: {} {} unknown.",
            plural(n, "datapoint", "datapoints"),
            if n == 1 { "was" } else { "were" }
        );
    }
    if d.used.is_empty() {
        return format!(
            "Threshold Crossed: no datapoints were received for {} and {} {} treated as [{}].",
            plural(d.filled, "period", "periods"),
            plural(d.filled, "missing datapoint", "missing datapoints"),
            if d.filled == 1 { "was" } else { "were" },
            treat.label()
        );
    }
    let alarm = d.outcome == Outcome::Alarm;
    let shown: Vec<usize> = d
        .used
        .iter()
        .rev()
        .copied()
        .filter(|&i| {
            periods[i]
                .value
                .is_some_and(|(v, _)| breaches(a.comparison_operator, v, threshold) == alarm)
        })
        .collect();
    let list = shown
        .iter()
        .map(|&i| datapoint(&periods[i]))
        .collect::<Vec<_>>()
        .join(", ");
    let not = if alarm { "" } else { "not " };
    let rel = relation(a.comparison_operator);
    let fills = if d.filled > 0 {
        format!(
            " and {} {} treated as [{}]",
            plural(d.filled, "missing datapoint", "missing datapoints"),
            if d.filled == 1 { "was" } else { "were" },
            treat.label()
        )
    } else {
        String::new()
    };
    if n == 1 && d.filled == 0 {
        return format!(
            "Threshold Crossed: 1 datapoint [{list}] was {not}{rel} the threshold ({threshold:?})."
        );
    }
    let (need, transition) = if alarm {
        (m, "OK -> ALARM")
    } else {
        (n - m + 1, "ALARM -> OK")
    };
    format!(
        "Threshold Crossed: {} out of the last {n} datapoints [{list}] {} {not}{rel} the threshold ({threshold:?}){fills} (minimum {} for {transition} transition).",
        shown.len(),
        if shown.len() == 1 { "was" } else { "were" },
        plural(need, "datapoint", "datapoints"),
    )
}

fn ts(epoch: f64) -> String {
    crate::clock::iso8601(epoch)
        .trim_end_matches('Z')
        .to_string()
        + "+0000"
}

/// AWS's StateReasonData for an evaluation.
fn reason_data(a: &Alarm, periods: &[Period], d: &Decision, t: f64, threshold: f64) -> String {
    let mut v = json!({
        "version": "1.0",
        "queryDate": ts(t),
        "startDate": ts(periods.first().map_or(t, |p| p.start)),
        "period": a.period,
        "recentDatapoints": d.used.iter().rev().filter_map(|&i| periods[i].value.map(|(v, _)| v)).collect::<Vec<_>>(),
        "threshold": threshold,
        "evaluatedDatapoints": d.used.iter().rev().filter_map(|&i| periods[i].value.map(|(v, n)| json!({"timestamp": ts(periods[i].start), "sampleCount": n, "value": v}))).collect::<Vec<_>>(),
    });
    match (&a.statistic, &a.extended_statistic) {
        (Some(s), _) => v["statistic"] = json!(s.as_str()),
        (None, Some(e)) => v["extendedStatistic"] = json!(e),
        _ => {}
    }
    if let Some(u) = &a.unit {
        v["unit"] = json!(u);
    }
    v.to_string()
}
