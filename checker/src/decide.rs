//! The decision: a pure function from an [`Inventory`] to a [`Report`].
//!
//! Every trail starts a chain: trail → log group → metric filters (by metric) → alarm → topic →
//! subscription. Each link is judged, every problem becomes a finding with a reason code and a fix, and
//! the chain is `PASS` when nothing breaks it, `UNKNOWN` when only unverifiable links stand in the way, and
//! `FAIL` otherwise. The check passes when one chain passes.

use crate::fix::{commands, Names};
use crate::inventory::*;
use crate::reason::{Reason, Severity};
use crate::report::{Chain, Finding, Link, Report, Status};
use orgwatch_pattern::coverage::{analyze_union, brief, EventClass, OverMatch, Verdict};
use orgwatch_pattern::{cis, Pattern, ValueRef};
use std::collections::BTreeMap;

/// Collects a chain's links and findings.
struct Builder {
    names: Names,
    links: Vec<Link>,
    findings: Vec<Finding>,
}

impl Builder {
    fn link(&mut self, kind: &str, resource: &str, state: &str, evidence: Vec<String>) {
        self.links.push(Link {
            kind: kind.into(),
            resource: resource.into(),
            state: state.into(),
            evidence,
        });
    }

    fn find(&mut self, reason: Reason, resources: Vec<String>, message: String) -> &mut Finding {
        let fix = commands(reason, &self.names);
        self.findings.push(Finding {
            reason,
            severity: reason.severity(),
            resources,
            message,
            fix,
            events: Vec::new(),
            witness: None,
        });
        self.findings.last_mut().expect("just pushed")
    }

    fn unknown(&mut self, e: &CallError, resource: &str) {
        let reason = if e.code == "CrossAccount" {
            Reason::CrossAccountUnverifiable
        } else if e.is_access_denied() {
            Reason::AccessDenied
        } else {
            Reason::CallFailed
        };
        self.find(
            reason,
            vec![resource.into()],
            format!("{} failed: {} ({})", e.operation, e.message, e.code),
        );
    }

    fn status(&self) -> Status {
        if self
            .findings
            .iter()
            .any(|f| f.severity == Severity::Failure)
        {
            Status::Fail
        } else if self
            .findings
            .iter()
            .any(|f| f.severity == Severity::Unknown)
        {
            Status::Unknown
        } else {
            Status::Pass
        }
    }

    fn finish(self, trail: &str) -> Chain {
        let status = self.status();
        Chain {
            trail: trail.into(),
            status,
            links: self.links,
            findings: self.findings,
        }
    }
}

pub fn decide(inv: &Inventory) -> Report {
    let account = inv.caller.as_ref().ok().map(|c| c.account.clone());
    let organization = match &inv.organization {
        Ok(Organization::Management { id }) => {
            format!("the management account of organization {id}")
        }
        Ok(Organization::Member {
            id,
            management_account,
        }) => {
            format!("a member of organization {id}; the control applies to its management account {management_account}")
        }
        Ok(Organization::None) => "not in an AWS organization".to_string(),
        Err(e) => format!("organization unknown ({}: {})", e.operation, e.code),
    };
    let mut report = Report {
        status: Status::Fail,
        control: format!(
            "{}: a log metric filter and alarm exist for AWS Organizations changes",
            cis::CONTROL_IDS
        ),
        account,
        region: inv.region.clone(),
        organization,
        chains: Vec::new(),
        findings: Vec::new(),
        api_calls: inv.calls.values().sum(),
    };
    let mut top = Builder {
        names: Names::default(),
        links: Vec::new(),
        findings: Vec::new(),
    };
    if let Err(e) = &inv.caller {
        top.unknown(e, "sts:GetCallerIdentity");
    }
    let trails = match &inv.trails {
        Ok(t) => t,
        Err(e) => {
            top.unknown(e, "cloudtrail:DescribeTrails");
            report.status = Status::Unknown;
            report.findings = top.findings;
            return report;
        }
    };
    if trails.is_empty() {
        top.find(
            Reason::TrailMissing,
            vec![format!("region {}", inv.region)],
            "no CloudTrail trail is visible in this region".into(),
        );
        report.findings = top.findings;
        return report;
    }
    for t in trails {
        report.chains.push(best_chain(inv, t));
    }
    report
        .chains
        .sort_by(|a, b| b.status.cmp(&a.status).then(a.trail.cmp(&b.trail)));
    let best = report
        .chains
        .iter()
        .map(|c| c.status)
        .max()
        .unwrap_or(Status::Fail);
    report.status = best;
    let mut findings = top.findings;
    for c in &report.chains {
        if best == Status::Pass && c.status != Status::Pass {
            continue;
        }
        for f in &c.findings {
            if !findings.contains(f) {
                findings.push(f.clone());
            }
        }
    }
    report.findings = findings;
    report
}

/// The chain from one trail; where several filters or alarms qualify, the one that gets furthest.
fn best_chain(inv: &Inventory, t: &Trail) -> Chain {
    let mut b = Builder {
        names: Names {
            trail: Some(t.name.clone()),
            trail_region: Some(t.home_region.clone()),
            ..Names::default()
        },
        links: Vec::new(),
        findings: Vec::new(),
    };
    judge_trail(&mut b, t);
    let Some(group_arn) = t.log_group_arn.clone() else {
        return b.finish(&t.arn);
    };
    let key = group_arn.trim_end_matches(":*").to_string();
    if let Some((region, _, name)) = log_group_of(&group_arn) {
        b.names.log_group = Some(name);
        b.names.log_group_region = Some(region);
    }
    let group = match inv.log_groups.get(&key) {
        Some(Ok(g)) => g,
        Some(Err(e)) => {
            b.link(
                "log-group",
                &key,
                "unknown",
                vec![format!("{}: {}", e.code, e.message)],
            );
            b.unknown(e, &key);
            return b.finish(&t.arn);
        }
        None => return b.finish(&t.arn),
    };
    if !group.exists {
        b.link(
            "log-group",
            &key,
            "broken",
            vec![format!(
                "no log group {} in {} of account {}",
                group.name, group.region, group.account
            )],
        );
        b.find(
            Reason::LogGroupMissing,
            vec![key.clone()],
            format!(
                "the trail delivers to log group {} in {}, which does not exist",
                group.name, group.region
            ),
        );
        return b.finish(&t.arn);
    }
    b.link(
        "log-group",
        &key,
        "passed",
        vec![format!(
            "exists in {} with {} metric filter(s)",
            group.region,
            group.metric_filters.len()
        )],
    );

    let metrics = by_metric(&group.metric_filters);
    if metrics.is_empty() {
        b.find(
            Reason::FilterMissing,
            vec![key.clone()],
            format!("log group {} has no metric filters", group.name),
        );
        b.link(
            "metric-filter",
            "(none)",
            "broken",
            vec!["no metric filter on the group".into()],
        );
        return b.finish(&t.arn);
    }
    // Try every metric; keep the chain that gets furthest.
    let mut candidates: Vec<Builder> = Vec::new();
    for (mkey, filters) in &metrics {
        let mut cb = Builder {
            names: b.names.clone(),
            links: b.links.clone(),
            findings: b.findings.clone(),
        };
        cb.names.metric = Some(mkey.1.clone());
        cb.names.namespace = Some(mkey.0.clone());
        judge_metric(&mut cb, inv, group, mkey, filters);
        candidates.push(cb);
    }
    let best = candidates.into_iter().max_by_key(|c| {
        (
            c.status(),
            c.links.iter().filter(|l| l.state == "passed").count(),
            std::cmp::Reverse(c.findings.len()),
        )
    });
    best.map_or_else(|| b.finish(&t.arn), |c| c.finish(&t.arn))
}

fn judge_trail(b: &mut Builder, t: &Trail) {
    let mut evidence = vec![format!(
        "home region {}, multi-region {}, organization trail {}",
        t.home_region, t.multi_region, t.organization_trail
    )];
    let before = b.findings.len();
    let mut unknown = false;
    if !t.multi_region {
        b.find(
            Reason::TrailNotMultiRegion,
            vec![t.arn.clone()],
            format!(
                "trail {} records only its home region {}",
                t.name, t.home_region
            ),
        );
    }
    match &t.status {
        Ok(s) => {
            evidence.push(format!("logging: {}", s.is_logging));
            if !s.is_logging {
                b.find(
                    Reason::TrailNotLogging,
                    vec![t.arn.clone()],
                    format!("trail {} is not logging", t.name),
                );
            }
            if let Some(e) = &s.delivery_error {
                b.find(
                    Reason::TrailDeliveryFailing,
                    vec![t.arn.clone()],
                    format!("CloudTrail reports a CloudWatch Logs delivery error: {e}"),
                );
            }
        }
        Err(e) => {
            unknown = true;
            b.unknown(e, &t.arn);
        }
    }
    match &t.selectors {
        Ok(s) => match management_events(s) {
            Ok(how) => evidence.push(how),
            Err((reason, message)) => {
                b.find(reason, vec![t.arn.clone()], message);
            }
        },
        Err(e) => {
            unknown = true;
            b.unknown(e, &t.arn);
        }
    }
    match &t.log_group_arn {
        Some(g) => evidence.push(format!("delivers to {g}")),
        None => {
            b.find(
                Reason::TrailNoCloudwatchLogs,
                vec![t.arn.clone()],
                format!("trail {} does not deliver to CloudWatch Logs", t.name),
            );
        }
    }
    let broken = b.findings[before..]
        .iter()
        .any(|f| f.severity == Severity::Failure);
    let state = if broken {
        "broken"
    } else if unknown {
        "unknown"
    } else {
        "passed"
    };
    b.link("trail", &t.arn, state, evidence);
}

/// CIS requires read and write management events. The 18 Organizations events are all writes, so a
/// write-only trail still feeds the alarm: a policy failure, not a break in the pipeline.
fn write_only_finding() -> (Reason, String) {
    (Reason::TrailWriteOnly, "the trail records only write management events; CIS requires ReadWriteType All (the 18 Organizations events are writes, so they still reach the log group)".into())
}

/// Whether the selectors record every management event of organizations.amazonaws.com, read and write.
fn management_events(s: &Selectors) -> Result<String, (Reason, String)> {
    const ORG: &str = cis::EVENT_SOURCE;
    if !s.advanced.is_empty() {
        let (mut excluded, mut writes_only) = (false, false);
        for sel in &s.advanced {
            let is_mgmt = sel
                .fields
                .iter()
                .any(|f| f.field == "eventCategory" && f.equals.iter().any(|v| v == "Management"));
            if !is_mgmt {
                continue;
            }
            let read_only_restricted = sel.fields.iter().any(|f| {
                f.field == "readOnly" && (!f.equals.is_empty() || !f.not_equals.is_empty())
            });
            let source_excludes = sel
                .fields
                .iter()
                .filter(|f| f.field == "eventSource")
                .any(|f| {
                    f.not_equals.iter().any(|v| v == ORG)
                        || (!f.equals.is_empty() && !f.equals.iter().any(|v| v == ORG))
                        || f.not_starts_with
                            .iter()
                            .any(|p| ORG.starts_with(p.as_str()))
                        || (!f.starts_with.is_empty()
                            && !f.starts_with.iter().any(|p| ORG.starts_with(p.as_str())))
                        || f.not_ends_with.iter().any(|p| ORG.ends_with(p.as_str()))
                });
            if source_excludes {
                excluded = true;
                continue;
            }
            let write_only = sel
                .fields
                .iter()
                .any(|f| f.field == "readOnly" && f.equals.len() == 1 && f.equals[0] == "false");
            if write_only {
                writes_only = true;
                continue;
            }
            if !read_only_restricted {
                return Ok(format!(
                    "advanced selector {} records all management events",
                    sel.name.as_deref().unwrap_or("(unnamed)")
                ));
            }
        }
        if writes_only {
            return Err(write_only_finding());
        }
        if excluded {
            return Err((
                Reason::TrailExcludesOrganizationsEvents,
                format!(
                    "the advanced event selectors exclude {ORG} through an eventSource condition"
                ),
            ));
        }
        return Err((Reason::TrailNoManagementEvents, "no advanced event selector records all management events (eventCategory = Management without a readOnly restriction)".into()));
    }
    let (mut excluded, mut writes_only) = (false, false);
    for sel in &s.classic {
        if sel.include_management_events
            && sel.read_write_type == "WriteOnly"
            && !sel
                .exclude_management_event_sources
                .iter()
                .any(|x| x == ORG)
        {
            writes_only = true;
        }
        if sel.include_management_events && sel.read_write_type == "All" {
            if sel
                .exclude_management_event_sources
                .iter()
                .any(|x| x == ORG)
            {
                excluded = true;
                continue;
            }
            return Ok("event selector records management events, ReadWriteType All".into());
        }
    }
    if writes_only {
        return Err(write_only_finding());
    }
    if excluded {
        return Err((
            Reason::TrailExcludesOrganizationsEvents,
            format!("the event selector excludes management events from {ORG}"),
        ));
    }
    let found: Vec<String> = s
        .classic
        .iter()
        .map(|e| {
            format!(
                "IncludeManagementEvents={} ReadWriteType={}",
                e.include_management_events, e.read_write_type
            )
        })
        .collect();
    Err((
        Reason::TrailNoManagementEvents,
        format!(
            "no event selector records management events with ReadWriteType All (found: {})",
            if found.is_empty() {
                "none".into()
            } else {
                found.join("; ")
            }
        ),
    ))
}

/// The metric a filter publishes to: namespace, name and dimension names.
type MetricKey = (String, String, Vec<String>);

fn by_metric(filters: &[MetricFilter]) -> BTreeMap<MetricKey, Vec<&MetricFilter>> {
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

fn judge_metric(
    b: &mut Builder,
    inv: &Inventory,
    group: &LogGroup,
    key: &MetricKey,
    filters: &[&MetricFilter],
) {
    let metric = format!("{}/{}", key.0, key.1);
    let names: Vec<String> = filters.iter().map(|f| f.name.clone()).collect();
    let parsed: Vec<Pattern> = filters
        .iter()
        .filter_map(|f| Pattern::parse(&f.pattern).ok())
        .collect();
    let refs: Vec<&Pattern> = parsed.iter().collect();
    let cov = analyze_union(&refs, &EventClass::organizations());
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
    let mut evidence = vec![format!("filters {} publish {metric}: pattern matches {always}/18 events always ({sometimes} sometimes, {never} never, {unproven} unproven)", names.join(", "))];
    let first = parsed.first();
    if always + sometimes + unproven == 0 {
        b.find(
            Reason::FilterMissing,
            resources.clone(),
            format!(
                "no metric filter on {} matches any of the 18 Organizations events",
                group.name
            ),
        );
        b.link("metric-filter", &metric, "broken", evidence);
        return;
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
                "the filter never matches {} of the 18 events: {}",
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
        let f = b.find(Reason::FilterConditional, resources.clone(), format!("the filter matches {} event(s) only under extra conditions, e.g. not this {} record", cond.len(), e0.name));
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
            format!("the analyzer cannot decide {} event(s): {note}", unp.len()),
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
        if let Some(p) = first {
            evidence.push(format!(
                "also matches events outside the 18: {}",
                brief(p, witness)
            ));
        }
        let f = b.find(
            Reason::FilterOverMatches,
            resources.clone(),
            "the filter also matches events other than the 18 Organizations changes".into(),
        );
        f.witness = Some(witness.clone());
    }
    if let Some((p, record)) = ordinary_match(&parsed) {
        broken = true;
        evidence.push(format!("matches ordinary traffic: {}", brief(p, &record)));
        let f = b.find(
            Reason::FilterMatchesOrdinaryTraffic,
            resources.clone(),
            "the filter matches ordinary events of other services: in a live log group the metric breaches every period, the alarm never leaves ALARM, and an Organizations change notifies nobody".into(),
        );
        f.witness = Some(record);
    }
    let state = if broken {
        "broken"
    } else if unknown {
        "unknown"
    } else {
        "passed"
    };
    b.link("metric-filter", &metric, state, evidence);
    judge_alarms(b, inv, group, key, filters);
}

/// The first ordinary record (`cis::ORDINARY_EVENTS`) one of the filters matches, as CloudTrail delivers it.
fn ordinary_match(parsed: &[Pattern]) -> Option<(&Pattern, serde_json::Value)> {
    cis::ORDINARY_EVENTS.iter().find_map(|(source, name, ro)| {
        let record = cis::ordinary_record(source, name, *ro);
        let text = record.to_string();
        parsed
            .iter()
            .find(|p| p.matches(&text))
            .map(|p| (p, record.clone()))
    })
}

/// Whether a filter takes its metric value from the event (`$.field`, `$name`) rather than a literal.
fn is_extracted(f: &MetricFilter) -> bool {
    matches!(ValueRef::parse(&f.value), Ok(v) if !matches!(v, ValueRef::Literal(_)))
}

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

fn judge_alarms(
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
        judge_topics(&mut ab, inv, &topics);
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

fn judge_topics(b: &mut Builder, inv: &Inventory, topics: &[&String]) {
    if topics.is_empty() {
        return;
    }
    let mut problems: Vec<Finding> = Vec::new();
    let saved = b.findings.len();
    for arn in topics {
        match inv.topics.get(*arn) {
            Some(Ok(t)) if !t.exists => {
                b.link(
                    "topic",
                    arn,
                    "broken",
                    vec!["the topic does not exist in the account and region of its ARN".into()],
                );
                b.names.topic = Some((*arn).clone());
                b.find(
                    Reason::TopicMissing,
                    vec![(*arn).clone()],
                    format!("topic {arn} does not exist"),
                );
            }
            Some(Ok(t)) => {
                let confirmed: Vec<&Subscription> =
                    t.subscriptions.iter().filter(|s| s.confirmed()).collect();
                let pending = t.subscriptions.len() - confirmed.len();
                if confirmed.is_empty() {
                    b.link(
                        "topic",
                        arn,
                        "broken",
                        vec![format!(
                            "{} subscription(s), none confirmed ({pending} pending)",
                            t.subscriptions.len()
                        )],
                    );
                    b.names.topic = Some((*arn).clone());
                    b.find(Reason::TopicNoConfirmedSubscription, vec![(*arn).clone()], format!("topic {arn} has no confirmed subscription ({pending} pending confirmation)"));
                } else {
                    let who: Vec<String> = confirmed
                        .iter()
                        .map(|s| format!("{} {}", s.protocol, s.endpoint))
                        .collect();
                    b.link(
                        "topic",
                        arn,
                        "passed",
                        vec![format!("confirmed subscriber(s): {}", who.join(", "))],
                    );
                    // One complete topic is enough: the others' problems do not break the chain.
                    b.findings.truncate(saved);
                    problems.clear();
                    return;
                }
            }
            Some(Err(e)) => {
                b.link("topic", arn, "unknown", vec![e.message.clone()]);
                b.unknown(e, arn);
            }
            None => {}
        }
    }
    b.findings.extend(problems);
}
