//! Metrics, the stage between metric filters and alarms: which stored data a query names, grouped by
//! period, and the statistic over a period. GetMetricStatistics, GetMetricData and alarm evaluation all read
//! the store through these, so a query and an alarm see the same numbers.

use crate::model::cloudwatch::{Datum, Dimension};
use std::collections::BTreeMap;

/// A statistic over the data of one period; `None` when there is no data.
pub fn statistic(data: &[&Datum], stat: &str) -> Option<f64> {
    if data.is_empty() {
        return None;
    }
    let count: f64 = data.iter().map(|d| d.count).sum();
    let sum: f64 = data.iter().map(|d| d.sum).sum();
    Some(match stat {
        "Sum" => sum,
        "SampleCount" => count,
        "Average" => sum / count,
        "Minimum" => data.iter().map(|d| d.min).fold(f64::INFINITY, f64::min),
        "Maximum" => data.iter().map(|d| d.max).fold(f64::NEG_INFINITY, f64::max),
        p if p.starts_with('p') => {
            let q: f64 = p[1..].parse().ok()?;
            let mut vals: Vec<(f64, f64)> = data
                .iter()
                .map(|d| {
                    (
                        if d.count > 0.0 {
                            d.sum / d.count
                        } else {
                            d.min
                        },
                        d.count,
                    )
                })
                .collect();
            vals.sort_by(|a, b| a.0.total_cmp(&b.0));
            let target = (q / 100.0 * count).ceil().max(1.0);
            let mut acc = 0.0;
            for (v, c) in &vals {
                acc += c;
                if acc >= target {
                    return Some(*v);
                }
            }
            vals.last()?.0
        }
        _ => return None,
    })
}

/// One metric as a query names it: CloudWatch never aggregates across dimensions, and a unit, when given,
/// must match the data's.
pub struct MetricKey<'a> {
    pub namespace: &'a str,
    pub name: &'a str,
    pub dimensions: &'a [Dimension],
    pub unit: Option<&'a str>,
}

impl MetricKey<'_> {
    pub fn matches(&self, d: &Datum) -> bool {
        let mut want = self.dimensions.to_vec();
        want.sort();
        d.namespace == self.namespace
            && d.metric_name == self.name
            && d.dimensions == want
            && self
                .unit
                .is_none_or(|u| d.unit.as_deref().unwrap_or("None") == u)
    }
}

/// Datapoints of one metric per period in `[start, end)`, oldest first.
pub fn periods<'d>(
    data: &'d [Datum],
    key: &MetricKey<'_>,
    start: f64,
    end: f64,
    period: f64,
) -> BTreeMap<i64, Vec<&'d Datum>> {
    let mut out: BTreeMap<i64, Vec<&Datum>> = BTreeMap::new();
    for d in data
        .iter()
        .filter(|d| key.matches(d) && d.timestamp >= start && d.timestamp < end)
    {
        let bucket = ((d.timestamp / period).floor() * period) as i64;
        out.entry(bucket).or_default().push(d);
    }
    out
}
