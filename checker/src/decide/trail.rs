//! The trail link: logging, multi-region, and management events (write events at least) recorded,
//! by basic or advanced event selectors.

use super::chain::{link_state, Builder};
use crate::inventory::*;
use crate::reason::{Reason, Severity};
use orgwatch_pattern::cis;

pub(super) fn judge_trail(b: &mut Builder, t: &Trail) {
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
    let state = link_state(broken, unknown);
    b.link("trail", &t.arn, state, evidence);
}

/// CIS requires read and write management events. The 18 Organizations events are all writes, so a
/// write-only trail still feeds the alarm: a policy failure, not a break in the pipeline.
fn write_only_finding() -> (Reason, String) {
    (Reason::TrailWriteOnly, "the trail records only write management events; CIS requires ReadWriteType All (the 18 Organizations events are writes, so they still reach the log group)".into())
}

/// Whether an advanced selector's `eventSource` conditions leave out organizations.amazonaws.com.
fn excludes_organizations(sel: &AdvancedSelector) -> bool {
    const ORG: &str = cis::EVENT_SOURCE;
    sel.fields
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
        })
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
            management && !writes_only && !excludes_organizations(sel)
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
            if excludes_organizations(sel) {
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
