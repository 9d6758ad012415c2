//! `--verify-with-service`: send the analyzer's witness records to the endpoint's TestMetricFilter and
//! report every disagreement. Against real AWS this cross-checks our engine with AWS's own.

use crate::inventory::{log_group_of, Inventory};
use crate::reason::{Reason, Severity};
use crate::report::Finding;
use aws_config::{Region, SdkConfig};
use orgwatch_pattern::coverage::{analyze, EventClass, OverMatch};
use orgwatch_pattern::Pattern;

/// TestMetricFilter accepts at most 50 messages per call.
const BATCH: usize = 50;

/// Returns one finding per disagreement (`engine-disagrees`) or failed call, and the number of calls made.
pub async fn verify_with_service(conf: &SdkConfig, inv: &Inventory) -> (Vec<Finding>, u32) {
    let mut findings = Vec::new();
    let mut calls = 0;
    for (arn, group) in &inv.log_groups {
        let Ok(group) = group else { continue };
        let region = log_group_of(arn)
            .map(|g| g.0)
            .unwrap_or_else(|| group.region.clone());
        let logs = aws_sdk_cloudwatchlogs::Client::new(
            &conf
                .clone()
                .into_builder()
                .region(Region::new(region))
                .build(),
        );
        for f in &group.metric_filters {
            let Ok(p) = Pattern::parse(&f.pattern) else {
                continue;
            };
            let cov = analyze(&p, &EventClass::organizations());
            let mut cases: Vec<(String, bool)> = Vec::new();
            for e in &cov.events {
                cases.extend(e.matching.iter().map(|r| (r.to_string(), true)));
                cases.extend(e.non_matching.iter().map(|r| (r.to_string(), false)));
            }
            if let OverMatch::Found { witness } = &cov.over_match {
                cases.push((witness.to_string(), true));
            }
            for chunk in cases.chunks(BATCH) {
                calls += 1;
                let mut req = logs.test_metric_filter().filter_pattern(&f.pattern);
                for (m, _) in chunk {
                    req = req.log_event_messages(m);
                }
                match req.send().await {
                    Ok(out) => {
                        let matched: Vec<&str> = out
                            .matches()
                            .iter()
                            .filter_map(|m| m.event_message())
                            .collect();
                        for (m, expected) in chunk {
                            let got = matched.contains(&m.as_str());
                            if got != *expected {
                                findings.push(Finding {
                                    reason: Reason::EngineDisagrees,
                                    severity: Reason::EngineDisagrees.severity(),
                                    resources: vec![format!("{}:{}", group.name, f.name)],
                                    message: format!("TestMetricFilter says the record {} the pattern; orgwatch's engine says it {}", if got { "matches" } else { "does not match" }, if *expected { "matches" } else { "does not" }),
                                    fix: Vec::new(),
                                    events: Vec::new(),
                                    witness: serde_json::from_str(m).ok(),
                                    statement: None,
                                });
                            }
                        }
                    }
                    Err(e) => findings.push(Finding {
                        reason: Reason::CallFailed,
                        // The one exception to the reason's own severity (see `Reason::severity`).
                        severity: Severity::Warning,
                        resources: vec![format!("{}:{}", group.name, f.name)],
                        message: format!(
                            "TestMetricFilter failed: {}",
                            aws_sdk_cloudwatchlogs::error::DisplayErrorContext(&e)
                        ),
                        fix: Vec::new(),
                        events: Vec::new(),
                        witness: None,
                        statement: None,
                    }),
                }
            }
        }
    }
    (findings, calls)
}
