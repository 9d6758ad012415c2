//! The trail link: logging, multi-region, and management events (write events at least) recorded,
//! by basic or advanced event selectors.

use super::chain::{link_state, Builder};
use super::subject::Subject;
use crate::inventory::*;
use crate::reason::{Reason, Severity};
use orgwatch_pattern::cis;

pub(super) fn judge_trail(b: &mut Builder, t: &Trail, subject: &Subject) {
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
        Ok(s) => match management_events(s, subject) {
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
    let state = link_state(broken, unknown);
    b.link("trail", &t.arn, state, evidence);
}

/// CIS requires read and write management events. The event-name controls' events are all writes, so a
/// write-only trail still feeds their alarms: a policy failure, not a break in the pipeline (for the
/// predicate controls, read calls of the intent are lost too; the finding says so).
fn write_only_finding(subject: &Subject) -> (Reason, String) {
    let why = if subject.source().is_some() {
        format!(
            "{} are writes, so they still reach the log group",
            subject.what()
        )
    } else {
        format!(
            "{} made by read calls do not reach the log group",
            subject.what()
        )
    };
    (
        Reason::TrailWriteOnly,
        format!("the trail records only write management events; CIS requires ReadWriteType All ({why})"),
    )
}

/// Whether an advanced selector's `eventSource` conditions leave out `source` (with `None`, any
/// service: a predicate control's records may come from every one).
fn excludes_source(sel: &AdvancedSelector, source: Option<&str>) -> bool {
    sel.fields
        .iter()
        .filter(|f| f.field == "eventSource")
        .any(|f| match source {
            Some(src) => {
                f.not_equals.iter().any(|v| v == src)
                    || (!f.equals.is_empty() && !f.equals.iter().any(|v| v == src))
                    || f.not_starts_with
                        .iter()
                        .any(|p| src.starts_with(p.as_str()))
                    || (!f.starts_with.is_empty()
                        && !f.starts_with.iter().any(|p| src.starts_with(p.as_str())))
                    || f.not_ends_with.iter().any(|p| src.ends_with(p.as_str()))
            }
            None => {
                !f.not_equals.is_empty()
                    || !f.equals.is_empty()
                    || !f.not_starts_with.is_empty()
                    || !f.starts_with.is_empty()
                    || !f.not_ends_with.is_empty()
            }
        })
}

/// Whether a classic selector's excluded sources leave out the control's events.
fn excludes_classic(excluded: &[String], source: Option<&str>) -> bool {
    match source {
        Some(src) => excluded.iter().any(|x| x == src),
        None => !excluded.is_empty(),
    }
}

/// The finding for selectors that leave the control's events out (`advanced`: by an `eventSource`
/// condition of an advanced selector; else by a classic selector's excluded sources).
fn excluded_finding(subject: &Subject, advanced: bool) -> (Reason, String) {
    let what = subject.source().unwrap_or("some services");
    let mut message = if advanced {
        format!("the advanced event selectors exclude {what} through an eventSource condition")
    } else {
        format!("the event selector excludes management events from {what}")
    };
    if subject.source().is_none() {
        message.push_str(&format!(
            ", whose {} then never reach the log group",
            subject.what()
        ));
    }
    let reason = if subject.source() == Some(cis::EVENT_SOURCE) {
        Reason::TrailExcludesOrganizationsEvents
    } else {
        Reason::TrailExcludesControlEvents
    };
    (reason, message)
}

/// Whether the selectors deliver read management events of organizations.amazonaws.com (the routine
/// reads an organization makes).
pub(super) fn records_organization_reads(s: &Selectors) -> bool {
    const ORG: &str = cis::EVENT_SOURCE;
    if !s.advanced.is_empty() {
        return s.advanced.iter().any(|sel| {
            let management = sel
                .fields
                .iter()
                .any(|f| f.field == "eventCategory" && f.equals.iter().any(|v| v == "Management"));
            let writes_only = sel.fields.iter().any(|f| {
                f.field == "readOnly"
                    && (f.equals.iter().all(|v| v == "false") && !f.equals.is_empty()
                        || f.not_equals.iter().any(|v| v == "true"))
            });
            management && !writes_only && !excludes_source(sel, Some(ORG))
        });
    }
    s.classic.iter().any(|sel| {
        sel.include_management_events
            && matches!(sel.read_write_type.as_str(), "All" | "ReadOnly")
            && !sel
                .exclude_management_event_sources
                .iter()
                .any(|x| x == ORG)
    })
}

/// Whether the selectors record every management event of the control's service, read and write.
fn management_events(s: &Selectors, subject: &Subject) -> Result<String, (Reason, String)> {
    let source = subject.source();
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
            if excludes_source(sel, source) {
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
            return Err(write_only_finding(subject));
        }
        if excluded {
            return Err(excluded_finding(subject, true));
        }
        return Err((Reason::TrailNoManagementEvents, "no advanced event selector records all management events (eventCategory = Management without a readOnly restriction)".into()));
    }
    let (mut excluded, mut writes_only) = (false, false);
    for sel in &s.classic {
        if sel.include_management_events
            && sel.read_write_type == "WriteOnly"
            && !excludes_classic(&sel.exclude_management_event_sources, source)
        {
            writes_only = true;
        }
        if sel.include_management_events && sel.read_write_type == "All" {
            if excludes_classic(&sel.exclude_management_event_sources, source) {
                excluded = true;
                continue;
            }
            return Ok("event selector records management events, ReadWriteType All".into());
        }
    }
    if writes_only {
        return Err(write_only_finding(subject));
    }
    if excluded {
        return Err(excluded_finding(subject, false));
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
