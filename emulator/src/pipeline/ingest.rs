//! Log group ingest, the pipeline's first stage after trail capture: events are appended to a stream and
//! every metric filter of the group (compiled once, when put) turns each event into a datapoint, which is
//! stored for [`super::metrics`] and alarm evaluation. PutLogEvents and CloudTrail delivery both ingest
//! through here.

use crate::model::cloudwatch::{Datum, Dimension};
use crate::model::logs::{LogEvent, LogStream, MetricFilter};
use crate::model::State;
use orgwatch_pattern::{Pattern, ValueRef};

/// Where events go.
pub struct Place<'a> {
    pub account: &'a str,
    pub region: &'a str,
    pub group: &'a str,
    pub stream: &'a str,
}

/// Why events cannot be written.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Missing {
    Group,
    Stream,
    /// The group is encrypted with a KMS key CloudWatch Logs may not use (missing, disabled, pending
    /// deletion, or its policy does not admit the region's Logs principal).
    Key,
}

/// Appends events (`(timestamp in ms, message)`) to a stream and runs the group's metric filters over
/// them. `create_stream` lets CloudTrail delivery create its stream as AWS does.
pub fn ingest(
    state: &mut State,
    at: &Place<'_>,
    now_millis: i64,
    events: Vec<(i64, String)>,
    create_stream: bool,
) -> Result<(), Missing> {
    let key = state
        .accounts
        .get(at.account)
        .and_then(|a| a.regions.get(at.region))
        .and_then(|r| r.log_groups.get(at.group))
        .ok_or(Missing::Group)?
        .kms_key_id
        .clone();
    if let Some(k) = key {
        let group_arn = crate::model::logs::group_arn(at.region, at.account, at.group);
        if !crate::access::logs_key(state, &k, at.region, &group_arn) {
            return Err(Missing::Key);
        }
    }
    let r = state.region(at.account, at.region);
    let g = r.log_groups.get_mut(at.group).ok_or(Missing::Group)?;
    if !g.streams.contains_key(at.stream) {
        if !create_stream {
            return Err(Missing::Stream);
        }
        g.streams.insert(
            at.stream.to_string(),
            LogStream {
                creation_time: now_millis,
                events: Vec::new(),
            },
        );
    }
    let filters: Vec<(&Pattern, &MetricFilter)> = g
        .metric_filters
        .iter()
        .filter_map(|f| Some((f.pattern()?, f)))
        .collect();
    let mut data = Vec::new();
    for (ts, msg) in &events {
        for (p, f) in &filters {
            if let Some(d) = filter_datum(p, f, msg, *ts) {
                data.push(d);
            }
        }
    }
    if let Some(s) = g.streams.get_mut(at.stream) {
        s.events
            .extend(events.into_iter().map(|(timestamp, message)| LogEvent {
                timestamp,
                message,
                ingestion_time: now_millis,
            }));
    }
    r.metrics.extend(data);
    Ok(())
}

/// What one log event publishes through one metric filter: the metric value when it matches, the
/// defaultValue when it does not (emitted per non-matching event, see `semantics::DEFAULT_VALUE_EMISSION`).
pub fn filter_datum(p: &Pattern, f: &MetricFilter, msg: &str, ts_millis: i64) -> Option<Datum> {
    let t = f.metric_transformations.first()?;
    // Metric-filter metrics are standard resolution: one-minute granularity.
    let ts = ((ts_millis as f64 / 1000.0) / 60.0).floor() * 60.0;
    if p.matches(msg) {
        let value: f64 = ValueRef::parse(&t.metric_value)
            .ok()?
            .resolve(p.program(), msg)?
            .parse()
            .ok()?;
        let mut dims = Vec::new();
        for (k, v) in t.dimensions.iter().flatten() {
            let v = ValueRef::parse(v).ok()?.resolve(p.program(), msg)?;
            dims.push(Dimension {
                name: k.clone(),
                value: v,
            });
        }
        dims.sort();
        Some(Datum::single(
            &t.metric_namespace,
            &t.metric_name,
            dims,
            ts,
            value,
            t.unit.clone(),
        ))
    } else {
        let d = t.default_value?;
        Some(Datum::single(
            &t.metric_namespace,
            &t.metric_name,
            Vec::new(),
            ts,
            d,
            t.unit.clone(),
        ))
    }
}
