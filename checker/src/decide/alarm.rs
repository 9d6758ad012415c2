//! The alarm link: an alarm on the filter's metric that one matching event sends to ALARM, that rearms,
//! and whose actions are enabled and reach a topic. This is the checker's own reading of CloudWatch's
//! alarm rules, independent of the emulator's evaluator on purpose (the oracle holds the two together).

use super::chain::{is_extracted, Builder, MetricKey};
use super::topic::judge_topics;
use crate::inventory::*;
use crate::reason::Reason;
use orgwatch_pattern::ValueRef;

/// The value one matching event publishes, and the default the filters emit otherwise.
fn values(filters: &[&MetricFilter]) -> (f64, Option<f64>) {
    let v = filters
        .iter()
        .filter_map(|f| {
            if let Ok(ValueRef::Literal(v)) = ValueRef::parse(&f.value) {
                Some(v)
            } else {
                None
            }
        })
        .fold(f64::INFINITY, f64::min);
    let v = if v.is_finite() { v } else { 1.0 };
    (v, filters.iter().find_map(|f| f.default_value))
}

fn breaches(op: &str, x: f64, t: f64) -> Option<bool> {
    Some(match op {
        "GreaterThanOrEqualToThreshold" => x >= t,
        "GreaterThanThreshold" => x > t,
        "LessThanThreshold" => x < t,
        "LessThanOrEqualToThreshold" => x <= t,
        _ => return None,
    })
}

/// A statistic over one period holding one value `v` and `k` default values `d`.
fn stat(stat: &str, v: Option<f64>, d: f64, k: usize) -> Option<f64> {
    let mut vals: Vec<f64> = std::iter::repeat_n(d, k).collect();
    vals.extend(v);
    if vals.is_empty() {
        return None;
    }
    let n = vals.len() as f64;
    let sum: f64 = vals.iter().sum();
    Some(match stat {
        "Sum" => sum,
        "SampleCount" => n,
        "Average" => sum / n,
        "Minimum" => vals.iter().copied().fold(f64::INFINITY, f64::min),
        "Maximum" => vals.iter().copied().fold(f64::NEG_INFINITY, f64::max),
        p if p.starts_with('p') => {
            let q: f64 = p[1..].parse().ok()?;
            vals.sort_by(f64::total_cmp);
            let idx = ((q / 100.0 * n).ceil() as usize).clamp(1, vals.len()) - 1;
            vals[idx]
        }
        _ => return None,
    })
}

/// Why one matching event would not make the alarm go to ALARM (`Ok(None)`: it does; `Err`: cannot tell).
fn never_fires(
    a: &Alarm,
    stat_name: &str,
    period: Option<i32>,
    unit_ok: bool,
    v: f64,
    d: Option<f64>,
) -> Result<Option<String>, String> {
    if !unit_ok {
        return Ok(Some(format!(
            "the alarm's unit {} is not the unit the filter publishes, so it sees no data",
            a.unit.as_deref().unwrap_or("None")
        )));
    }
    if let Some(p) = period {
        if p < 60 {
            // AWS (PutMetricAlarm, Period): on a metric without sub-minute resolution the alarm "does not
            // receive data for the attempts that do not correspond to a one-minute data resolution, and
            // the alarm might often lapse into INSUFFICIENT_DATA": whether one event fires depends on timing.
            return Err(format!("a period of {p} s is shorter than the one-minute resolution of metric-filter metrics: the alarm sees the datapoint only on evaluations that line up with the minute, so whether one event fires depends on timing"));
        }
    }
    let t = a
        .threshold
        .ok_or("the alarm has no static threshold (anomaly detection is not analyzed)")?;
    let traffic: &[usize] = if d.is_some() { &[0, 1, 10, 1000] } else { &[0] };
    for &k in traffic {
        let x = stat(stat_name, Some(v), d.unwrap_or(0.0), k)
            .ok_or(format!("the statistic {stat_name} is not analyzed"))?;
        if !breaches(&a.comparison, x, t)
            .ok_or(format!("the comparison {} is not analyzed", a.comparison))?
        {
            let with = if k == 0 {
                "a period with that one event".to_string()
            } else {
                format!(
                    "a period with that event and {k} other events publishing the default value {}",
                    d.unwrap_or(0.0)
                )
            };
            return Ok(Some(format!(
                "{stat_name} over {with} is {x}, which does not satisfy {} {t}",
                a.comparison
            )));
        }
    }
    let m = a.datapoints_to_alarm.unwrap_or(a.evaluation_periods);
    if m > 1 {
        let treat = a.treat_missing_data.as_deref().unwrap_or("missing");
        let default_breaches = d
            .and_then(|d| stat(stat_name, None, d, 1).and_then(|x| breaches(&a.comparison, x, t)))
            .unwrap_or(false);
        if d.is_some() && !default_breaches {
            return Ok(Some(format!("DatapointsToAlarm is {m}: one breaching minute followed by non-breaching default values never reaches {m} breaching datapoints")));
        }
        if d.is_none() && treat == "notBreaching" {
            return Ok(Some(format!("DatapointsToAlarm is {m} and missing data is not breaching: one breaching datapoint is never enough")));
        }
    }
    Ok(None)
}

/// Why a later event would not notify (the alarm never leaves ALARM).
fn stays_in_alarm(a: &Alarm, stat_name: &str, d: Option<f64>) -> Option<String> {
    let treat = a.treat_missing_data.as_deref().unwrap_or("missing");
    match d {
        None if treat == "ignore" || treat == "breaching" => Some(format!(
            "TreatMissingData is {treat} and the filter has no defaultValue: after the first ALARM, quiet minutes keep the alarm in ALARM, so later Organizations changes are never notified"
        )),
        Some(d) => {
            let x = stat(stat_name, None, d, 1)?;
            let t = a.threshold?;
            breaches(&a.comparison, x, t)?.then(|| format!("the default value {d} itself breaches the threshold, so the alarm stays in ALARM and later changes are never notified"))
        }
        None => None,
    }
}

pub(super) fn judge_alarms(
    b: &mut Builder,
    inv: &Inventory,
    group: &LogGroup,
    key: &MetricKey,
    filters: &[&MetricFilter],
) {
    let alarms = match inv.alarms.get(&group.region) {
        Some(Ok(a)) => a,
        Some(Err(e)) => {
            b.link(
                "alarm",
                &format!("alarms in {}", group.region),
                "unknown",
                vec![e.message.clone()],
            );
            b.unknown(e, &format!("cloudwatch alarms in {}", group.region));
            return;
        }
        None => return,
    };
    let (ns, name, dims) = key;
    let filter_unit = filters.iter().find_map(|f| f.unit.clone());
    // Alarms on this metric: plain, or metric math whose returned query is this metric.
    let mut candidates: Vec<(&Alarm, String, Option<i32>)> = Vec::new();
    let mut math_unverified = Vec::new();
    for a in alarms {
        let plain = a.namespace.as_deref() == Some(ns)
            && a.metric_name.as_deref() == Some(name)
            && a.dimensions.keys().cloned().collect::<Vec<_>>() == *dims;
        if plain {
            let s = a
                .statistic
                .clone()
                .or_else(|| a.extended_statistic.clone())
                .unwrap_or_default();
            candidates.push((a, s, a.period));
        } else if let Some(m) = &a.math {
            match &m.returned_metric {
                Some(r)
                    if r.namespace == *ns
                        && r.name == *name
                        && r.dimensions.keys().cloned().collect::<Vec<_>>() == *dims =>
                {
                    candidates.push((a, r.stat.clone(), Some(r.period)))
                }
                None if m.expression.is_some() => math_unverified.push(a),
                _ => {}
            }
        }
    }
    if candidates.is_empty() {
        if let Some(a) = math_unverified.first() {
            b.link(
                "alarm",
                &a.arn,
                "unknown",
                vec![format!(
                    "metric-math expression {} is not analyzed",
                    a.math
                        .as_ref()
                        .and_then(|m| m.expression.clone())
                        .unwrap_or_default()
                )],
            );
            b.find(
                Reason::AlarmMathUnverified,
                vec![a.arn.clone()],
                "a metric-math alarm may watch this metric; its expression is not analyzed".into(),
            );
            return;
        }
        let same_name_elsewhere: Vec<String> = alarms
            .iter()
            .filter(|a| a.metric_name.as_deref() == Some(name))
            .map(|a| {
                format!(
                    "{} watches {}/{}",
                    a.name,
                    a.namespace.as_deref().unwrap_or(""),
                    name
                )
            })
            .collect();
        let mut ev = vec![format!("no alarm in {} watches {ns}/{name}", group.region)];
        ev.extend(same_name_elsewhere);
        b.link("alarm", &format!("{ns}/{name}"), "broken", ev);
        b.find(
            Reason::AlarmMissing,
            vec![format!("{ns}/{name} in {}", group.region)],
            format!(
                "no CloudWatch alarm in {} watches metric {ns}/{name}",
                group.region
            ),
        );
        return;
    }
    let (v, d) = values(filters);
    let mut best: Option<Builder> = None;
    for (a, stat_name, period) in candidates {
        let mut ab = Builder {
            names: b.names.clone(),
            links: b.links.clone(),
            findings: b.findings.clone(),
        };
        ab.names.alarm = Some(a.name.clone());
        ab.names.topic = a
            .alarm_actions
            .iter()
            .find(|x| x.contains(":sns:"))
            .cloned();
        let unit_ok = a
            .unit
            .as_deref()
            .is_none_or(|u| u == filter_unit.as_deref().unwrap_or("None"));
        let threshold = a
            .threshold
            .map_or_else(|| "(no static threshold)".to_string(), |t| t.to_string());
        let mut ev = vec![format!(
            "{stat_name} over {} s, {} {threshold}, {} of {} datapoints, TreatMissingData {}",
            period.unwrap_or(0),
            a.comparison,
            a.datapoints_to_alarm.unwrap_or(a.evaluation_periods),
            a.evaluation_periods,
            a.treat_missing_data.as_deref().unwrap_or("missing")
        )];
        let mut state = "passed";
        let judged = if filters.iter().any(|f| is_extracted(f)) {
            Err("the metric value is extracted from each event, so the datapoint one event publishes is not known".to_string())
        } else {
            never_fires(a, &stat_name, period, unit_ok, v, d)
        };
        match judged {
            Ok(None) => ev.push(format!(
                "one matching event (value {v}) makes it go to ALARM"
            )),
            Ok(Some(why)) => {
                state = "broken";
                ev.push(why.clone());
                ab.find(Reason::AlarmNeverFires, vec![a.arn.clone()], why);
            }
            Err(why) => {
                state = "unknown";
                ab.find(Reason::AlarmUnverifiable, vec![a.arn.clone()], why);
            }
        }
        if let Some(why) = stays_in_alarm(a, &stat_name, d) {
            state = "broken";
            ev.push(why.clone());
            ab.find(Reason::AlarmStaysInAlarm, vec![a.arn.clone()], why);
        }
        if !a.actions_enabled {
            state = "broken";
            ev.push("ActionsEnabled is false".into());
            ab.find(
                Reason::AlarmActionsDisabled,
                vec![a.arn.clone()],
                format!(
                    "alarm {} has ActionsEnabled false: it changes state but notifies nobody",
                    a.name
                ),
            );
        }
        let topics: Vec<&String> = a
            .alarm_actions
            .iter()
            .filter(|x| x.contains(":sns:"))
            .collect();
        if topics.is_empty() {
            state = "broken";
            ev.push(format!(
                "AlarmActions: {}",
                if a.alarm_actions.is_empty() {
                    "none".to_string()
                } else {
                    a.alarm_actions.join(", ")
                }
            ));
            ab.find(
                Reason::AlarmNoSnsAction,
                vec![a.arn.clone()],
                format!("alarm {} has no SNS topic among its AlarmActions", a.name),
            );
        }
        ab.link("alarm", &a.arn, state, ev);
        judge_topics(&mut ab, inv, a, &topics);
        let better = match &best {
            None => true,
            Some(cur) => {
                (
                    ab.status(),
                    ab.links.iter().filter(|l| l.state == "passed").count(),
                ) > (
                    cur.status(),
                    cur.links.iter().filter(|l| l.state == "passed").count(),
                )
            }
        };
        if better {
            best = Some(ab);
        }
    }
    if let Some(ab) = best {
        *b = ab;
    }
}
