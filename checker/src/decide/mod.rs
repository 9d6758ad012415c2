//! The decision: a pure function from an [`Inventory`] to a [`Report`].
//!
//! Every trail starts a chain: trail → log group (and its key) → delivery role → metric filters (by
//! metric) → alarm → topic (its policy and key) → subscription. Each link is judged, every problem becomes a finding with a reason code and a fix, and
//! the chain is `PASS` when nothing breaks it, `UNKNOWN` when only unverifiable links stand in the way, and
//! `FAIL` otherwise. The check passes when one chain passes.
//!
//! One module per link (`trail`, `log_group`, `role`, `filter`, `alarm`, `topic`, `subscription`; `key` for the KMS
//! keys of groups and topics, `grants` for reading policies), sharing the `chain::Builder`; this module
//! walks the chain. The rules read here (what a trail records, when an
//! alarm fires) are the checker's own reading of AWS's documentation, kept independent of the emulator's
//! on purpose: the oracle test compares the two readings, so the crates share vocabulary (the pattern
//! engine, enums), never verdict code.

mod alarm;
mod chain;
mod filter;
mod grants;
mod key;
mod log_group;
mod role;
mod subject;
mod subscription;
mod topic;
mod trail;

use crate::fix::Names;
use crate::inventory::*;
use crate::reason::Reason;
use crate::report::{Chain, ControlId, FamilyReport, Report, Status};
use chain::Builder;
use orgwatch_pattern::family::{Benchmark, Control};
pub use subject::Subject;

/// Decides the Organizations-changes control, as the checker always has.
pub fn decide(inv: &Inventory) -> Report {
    decide_for(inv, &Subject::new(Control::ORGANIZATIONS, None))
}

/// Decides several controls of the family against one inventory, in benchmark version `b`.
pub fn decide_family(inv: &Inventory, controls: &[&'static Control], b: Benchmark) -> FamilyReport {
    let reports: Vec<Report> = controls
        .iter()
        .map(|c| decide_for(inv, &Subject::new(c, Some(b))))
        .collect();
    let count = |s: Status| reports.iter().filter(|r| r.status == s).count();
    let first = reports.first();
    FamilyReport {
        status: reports
            .iter()
            .map(|r| r.status)
            .min()
            .unwrap_or(Status::Unknown),
        benchmark: b.title(),
        account: first.and_then(|r| r.account.clone()),
        region: inv.region.clone(),
        organization: first.map(|r| r.organization.clone()).unwrap_or_default(),
        passed: count(Status::Pass),
        failed: count(Status::Fail),
        unknown: count(Status::Unknown),
        api_calls: inv.calls.values().sum(),
        controls: reports,
    }
}

/// Decides one control of the family against the inventory.
pub fn decide_for(inv: &Inventory, subject: &Subject) -> Report {
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
        control: subject.heading(),
        account,
        region: inv.region.clone(),
        organization,
        chains: Vec::new(),
        findings: Vec::new(),
        api_calls: inv.calls.values().sum(),
        control_id: subject.benchmark.map(|b| ControlId {
            id: subject.control.slug.into(),
            benchmark: b.as_str().into(),
            cis: subject.control.cis_id(b),
            securityhub: subject.control.securityhub.map(str::to_string),
            title: subject.control.full_title(),
            uncertain: subject.control.uncertain.map(str::to_string),
        }),
    };
    let mut top = Builder {
        names: Names {
            control: Some(subject.control),
            benchmark: subject.benchmark,
            ..Names::default()
        },
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
        report.chains.push(best_chain(inv, t, subject));
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
fn best_chain(inv: &Inventory, t: &Trail, subject: &Subject) -> Chain {
    let mut b = Builder {
        names: Names {
            trail: Some(t.name.clone()),
            trail_region: Some(t.home_region.clone()),
            account: split_arn(&t.arn).map(|a| a.2),
            control: Some(subject.control),
            benchmark: subject.benchmark,
            ..Names::default()
        },
        links: Vec::new(),
        findings: Vec::new(),
    };
    trail::judge_trail(&mut b, t, subject);
    let Some(group_arn) = t.log_group_arn.clone() else {
        return b.finish(&t.arn);
    };
    let key = group_arn.trim_end_matches(":*").to_string();
    if let Some((region, _, name)) = log_group_of(&group_arn) {
        b.names.log_group = Some(name);
        b.names.log_group_region = Some(region);
    }
    let Some(group) = log_group::judge(&mut b, inv, &key) else {
        return b.finish(&t.arn);
    };
    role::judge_role(&mut b, inv, t, group);
    // In an organization, a trail that records read events also delivers the routine Organizations reads.
    let in_organization = matches!(
        inv.organization,
        Ok(Organization::Management { .. } | Organization::Member { .. })
    );
    let organization_reads = in_organization
        && t.selectors
            .as_ref()
            .is_ok_and(trail::records_organization_reads);

    let metrics = filter::by_metric(&group.metric_filters);
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
    let mut candidates: Vec<(Builder, usize)> = Vec::new();
    for (mkey, filters) in &metrics {
        let mut cb = Builder {
            names: b.names.clone(),
            links: b.links.clone(),
            findings: b.findings.clone(),
        };
        cb.names.metric = Some(mkey.1.clone());
        cb.names.namespace = Some(mkey.0.clone());
        let covered =
            filter::judge_metric(&mut cb, group, mkey, filters, organization_reads, subject);
        if covered.is_some() {
            alarm::judge_alarms(&mut cb, inv, group, mkey, filters);
        }
        candidates.push((cb, covered.unwrap_or(0)));
    }
    let best = candidates.into_iter().max_by_key(|(c, covered)| {
        (
            c.status(),
            c.links.iter().filter(|l| l.state == "passed").count(),
            *covered,
            std::cmp::Reverse(c.findings.len()),
        )
    });
    best.map_or_else(|| b.finish(&t.arn), |(c, _)| c.finish(&t.arn))
}
