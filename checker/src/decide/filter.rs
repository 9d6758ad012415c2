//! The metric filter link: the filters publishing one metric, judged together by what they match (the
//! control's intent — the 18 Organizations events for the control of old — and ordinary traffic), and
//! the value a match publishes.

use super::chain::{is_extracted, link_state, Builder, MetricKey};
use super::subject::Subject;
use crate::inventory::*;
use crate::reason::Reason;
use orgwatch_pattern::coverage::{analyze_union, brief, OverMatch, Verdict};
use orgwatch_pattern::family::Control;
use orgwatch_pattern::{cis, Pattern, ValueRef};
use std::collections::BTreeMap;

pub(super) fn by_metric(filters: &[MetricFilter]) -> BTreeMap<MetricKey, Vec<&MetricFilter>> {
    let mut out: BTreeMap<MetricKey, Vec<&MetricFilter>> = BTreeMap::new();
    for f in filters {
        out.entry((
            f.namespace.clone(),
            f.metric_name.clone(),
            f.dimensions.keys().cloned().collect(),
        ))
        .or_default()
        .push(f);
    }
    out
}

/// Judges the filters that publish one metric: `None` when none of them matches a record of the
/// control's intent, which ends the chain; else how many of the intent's cases they match always (among
/// a group's metrics, the chain follows the one meant for the control).
pub(super) fn judge_metric(
    b: &mut Builder,
    group: &LogGroup,
    key: &MetricKey,
    filters: &[&MetricFilter],
    organization_reads: bool,
    subject: &Subject,
) -> Option<usize> {
    let metric = format!("{}/{}", key.0, key.1);
    let names: Vec<String> = filters.iter().map(|f| f.name.clone()).collect();
    let parsed: Vec<Pattern> = filters
        .iter()
        .filter_map(|f| Pattern::parse(&f.pattern).ok())
        .collect();
    let refs: Vec<&Pattern> = parsed.iter().collect();
    let cov = analyze_union(&refs, &subject.class);
    let (n, unit, what) = (cov.events.len(), subject.unit(), subject.what());
    let resources: Vec<String> = names
        .iter()
        .map(|n| format!("{}:{n}", group.name))
        .collect();
    let (always, sometimes, never, unproven) = (
        cov.count(Verdict::Always),
        cov.count(Verdict::Sometimes),
        cov.count(Verdict::Never),
        cov.count(Verdict::Unproven),
    );
    let mut evidence = vec![format!("filters {} publish {metric}: pattern matches {always}/{n} {unit} always ({sometimes} sometimes, {never} never, {unproven} unproven)", names.join(", "))];
    let first = parsed.first();
    if always + sometimes + unproven == 0 {
        b.find(
            Reason::FilterMissing,
            resources.clone(),
            format!("no metric filter on {} matches any of {what}", group.name),
        );
        b.link("metric-filter", &metric, "broken", evidence);
        return None;
    }
    let mut broken = false;
    let never_names: Vec<String> = cov
        .events
        .iter()
        .filter(|e| e.verdict == Verdict::Never)
        .map(|e| e.name.clone())
        .collect();
    if !never_names.is_empty() {
        broken = true;
        let w = cov
            .events
            .iter()
            .find(|e| e.verdict == Verdict::Never)
            .and_then(|e| e.non_matching.clone());
        if let (Some(p), Some(w)) = (first, &w) {
            evidence.push(format!(
                "never matches {}: witness {}",
                never_names.join(", "),
                brief(p, w)
            ));
        }
        let f = b.find(
            Reason::FilterIncomplete,
            resources.clone(),
            format!(
                "the filter never matches {} of the {n} {unit}: {}",
                never_names.len(),
                never_names.join(", ")
            ),
        );
        f.events = never_names;
        f.witness = w;
    }
    let cond: Vec<&orgwatch_pattern::coverage::EventCoverage> = cov
        .events
        .iter()
        .filter(|e| e.verdict == Verdict::Sometimes)
        .collect();
    if let Some(e0) = cond.first() {
        broken = true;
        if let (Some(p), Some(w)) = (first, &e0.non_matching) {
            evidence.push(format!(
                "matches {} only under extra conditions: witness {}",
                e0.name,
                brief(p, w)
            ));
        }
        let f = b.find(
            Reason::FilterConditional,
            resources.clone(),
            format!(
                "the filter matches {} {} only under extra conditions, e.g. not this {} record",
                cond.len(),
                if unit == "events" {
                    "event(s)"
                } else {
                    "case(s)"
                },
                e0.name
            ),
        );
        f.events = cond.iter().map(|e| e.name.clone()).collect();
        f.witness = e0.non_matching.clone();
    }
    let unp: Vec<String> = cov
        .events
        .iter()
        .filter(|e| e.verdict == Verdict::Unproven)
        .map(|e| e.name.clone())
        .collect();
    let mut unknown = false;
    if !unp.is_empty() {
        unknown = true;
        let note = cov
            .events
            .iter()
            .find_map(|e| e.note.clone())
            .unwrap_or_default();
        let f = b.find(
            Reason::FilterUnproven,
            resources.clone(),
            format!(
                "the analyzer cannot decide {} {}: {note}",
                unp.len(),
                if unit == "events" {
                    "event(s)"
                } else {
                    "case(s)"
                }
            ),
        );
        f.events = unp;
    }
    // The metric value must be positive for those events. A value extracted from each event cannot be
    // bounded statically (CloudTrail's `eventVersion`, for one, reads 1.xx in every record).
    let extracted: Vec<&&MetricFilter> = filters.iter().filter(|f| is_extracted(f)).collect();
    if let Some(f0) = extracted.first() {
        unknown = true;
        b.find(
            Reason::FilterMetricValueExtracted,
            vec![format!("{}:{}", group.name, f0.name)],
            format!("metricValue {} is taken from each event: whether it is positive, and by how much, depends on the records", f0.value),
        );
    }
    let bad_value: Vec<&&MetricFilter> = filters
        .iter()
        .filter(|f| match ValueRef::parse(&f.value) {
            Ok(ValueRef::Literal(v)) => v <= 0.0,
            Ok(_) => false,
            Err(_) => true,
        })
        .collect();
    // A warning, not a break: the datapoint still exists, and the alarm analysis below decides whether a
    // threshold such as `>= 0` fires on it (the oracle found such chains notifying every event).
    if let Some(f0) = bad_value.first() {
        b.find(
            Reason::FilterMetricValueNotPositive,
            vec![format!("{}:{}", group.name, f0.name)],
            format!("metricValue {} is not a positive number: a matching event publishes {} and only an alarm that fires on that value notices it", f0.value, f0.value),
        );
    }
    if let OverMatch::Found { witness } = &cov.over_match {
        let outside = if subject.control == Control::ORGANIZATIONS {
            (
                "the 18".to_string(),
                "the 18 Organizations changes".to_string(),
            )
        } else {
            (what.clone(), what.clone())
        };
        if let Some(p) = first {
            evidence.push(format!(
                "also matches events outside {}: {}",
                outside.0,
                brief(p, witness)
            ));
        }
        let f = b.find(
            Reason::FilterOverMatches,
            resources.clone(),
            format!("the filter also matches events other than {}", outside.1),
        );
        f.witness = Some(witness.clone());
    }
    if let Some((p, record)) = ordinary_match(&parsed, organization_reads) {
        broken = true;
        evidence.push(format!("matches ordinary traffic: {}", brief(p, &record)));
        let ordinary = if record["eventSource"] == cis::EVENT_SOURCE {
            format!("the routine Organizations read {} (an organization's consoles and services call it every few minutes, and this trail records reads)", record["eventName"].as_str().unwrap_or_default())
        } else if subject.control == Control::ORGANIZATIONS {
            "ordinary events of other services".to_string()
        } else {
            "ordinary events".to_string()
        };
        let nobody = if subject.control == Control::ORGANIZATIONS {
            "an Organizations change notifies nobody".to_string()
        } else {
            format!("{what} notify nobody")
        };
        let f = b.find(
            Reason::FilterMatchesOrdinaryTraffic,
            resources.clone(),
            format!("the filter matches {ordinary}: in a live log group the metric breaches every period, the alarm never leaves ALARM, and {nobody}"),
        );
        f.witness = Some(record);
    }
    let state = link_state(broken, unknown);
    b.link("metric-filter", &metric, state, evidence);
    Some(always)
}

/// The first ordinary record (`cis::ordinary_traffic`: other services' events, and the routine
/// Organizations reads when the trail delivers them) one of the filters matches, as CloudTrail delivers it.
fn ordinary_match(
    parsed: &[Pattern],
    organization_reads: bool,
) -> Option<(&Pattern, serde_json::Value)> {
    cis::ordinary_traffic(organization_reads)
        .into_iter()
        .find_map(|(source, name, ro)| {
            let record = cis::ordinary_record(source, name, ro);
            let text = record.to_string();
            parsed
                .iter()
                .find(|p| p.matches(&text))
                .map(|p| (p, record.clone()))
        })
}
