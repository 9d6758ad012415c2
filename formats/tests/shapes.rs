//! What each format must say about a report built by hand: rules and results agree, fingerprints follow
//! the finding and not its wording, ASFF's limits hold, JUnit tells a broken link from an unverified one,
//! and the page escapes what it is given.

use orgwatch_checker::report::{Chain, Finding, Link};
use orgwatch_checker::{Reason, Report, Status};
use orgwatch_formats::{render, Format, Meta, Subject};
use serde_json::Value;

fn meta() -> Meta {
    Meta {
        time: time::macros::datetime!(2026-12-02 09:30:00 UTC),
        tool_version: "9.9.9".into(),
    }
}

fn finding(reason: Reason, resource: &str, message: &str) -> Finding {
    Finding {
        reason,
        severity: reason.severity(),
        resources: vec![resource.into()],
        message: message.into(),
        fix: vec![format!("aws fix {resource}")],
        events: vec![],
        witness: None,
        statement: None,
    }
}

fn link(kind: &str, resource: &str, state: &str) -> Link {
    Link {
        kind: kind.into(),
        resource: resource.into(),
        state: state.into(),
        evidence: vec![format!("{kind} evidence")],
    }
}

fn report(message: &str, alarm: &str) -> Report {
    let f = vec![
        finding(
            Reason::FilterIncomplete,
            "grp:<script>alert(1)</script>",
            message,
        ),
        finding(Reason::AlarmUnverifiable, alarm, "a percentile statistic"),
        finding(
            Reason::FilterOverMatches,
            "grp:<script>alert(1)</script>",
            "also matches ListAccounts",
        ),
    ];
    Report {
        status: Status::Fail,
        control: "CIS".into(),
        account: Some("123456789012".into()),
        region: "us-east-1".into(),
        organization: "no organization".into(),
        chains: vec![Chain {
            trail: "arn:aws:cloudtrail:us-east-1:123456789012:trail/t".into(),
            status: Status::Fail,
            links: vec![
                link(
                    "trail",
                    "arn:aws:cloudtrail:us-east-1:123456789012:trail/t",
                    "passed",
                ),
                link("metric-filter", "grp:<script>alert(1)</script>", "broken"),
                link("alarm", alarm, "unknown"),
            ],
            findings: f.clone(),
        }],
        findings: f,
        api_calls: 7,
        control_id: None,
    }
}

fn json(format: Format, r: &Report) -> Value {
    serde_json::from_str(&render(
        format,
        &Subject::Check {
            report: r,
            calls: None,
            terraform: None,
        },
        &meta(),
    ))
    .expect("JSON")
}

#[test]
fn sarif_results_cite_rules_by_id_and_index_with_stable_fingerprints() {
    let alarm = "arn:aws:cloudwatch:us-east-1:123456789012:alarm:a";
    let v = json(Format::Sarif, &report("misses DeletePolicy", alarm));
    let run = &v["runs"][0];
    let rules = run["tool"]["driver"]["rules"].as_array().expect("rules");
    assert_eq!(rules.len(), Reason::ALL.len(), "one rule per reason code");
    let results = run["results"].as_array().expect("results");
    assert_eq!(results.len(), 3);
    for r in results {
        let i = r["ruleIndex"].as_u64().expect("an index") as usize;
        assert_eq!(rules[i]["id"], r["ruleId"]);
    }
    assert_eq!(results[0]["level"], "error");
    assert_eq!(results[1]["level"], "note");
    assert_eq!(results[2]["level"], "warning");
    assert_eq!(run["tool"]["driver"]["version"], "9.9.9");
    let fp = |v: &Value, i: usize| v["runs"][0]["results"][i]["partialFingerprints"].clone();
    let reworded = json(
        Format::Sarif,
        &report("misses DeletePolicy and MoveAccount", alarm),
    );
    assert_eq!(
        fp(&v, 0),
        fp(&reworded, 0),
        "the wording does not move a finding"
    );
    let elsewhere = json(
        Format::Sarif,
        &report(
            "misses DeletePolicy",
            "arn:aws:cloudwatch:us-east-1:123456789012:alarm:b",
        ),
    );
    assert_ne!(
        fp(&v, 1),
        fp(&elsewhere, 1),
        "another resource is another finding"
    );
    let help = rules[Reason::ALL
        .iter()
        .position(|r| *r == Reason::FilterMissing)
        .expect("listed")]["help"]["text"]
        .as_str()
        .expect("help");
    assert!(
        help.contains("aws logs put-metric-filter"),
        "the fix is in the help: {help}"
    );
}

#[test]
fn asff_has_a_finding_per_verdict_within_its_limits() {
    let long = "x".repeat(5000);
    let v = json(
        Format::Asff,
        &report(&long, "arn:aws:cloudwatch:us-east-1:123456789012:alarm:a"),
    );
    let all = v.as_array().expect("an array");
    assert_eq!(all.len(), 2, "the control's verdict and the chain's");
    for f in all {
        assert_eq!(f["Compliance"]["Status"], "FAILED");
        assert!(f["Description"].as_str().expect("text").chars().count() <= 1024);
        assert!(f["Title"].as_str().expect("text").chars().count() <= 256);
        assert_eq!(f["CreatedAt"], "2026-12-02T09:30:00Z");
    }
    let types: Vec<&str> = all[1]["Resources"]
        .as_array()
        .expect("resources")
        .iter()
        .map(|r| r["Type"].as_str().expect("a type"))
        .collect();
    assert_eq!(types, ["AwsCloudTrailTrail", "Other", "AwsCloudWatchAlarm"]);
}

#[test]
fn ocsf_has_a_compliance_finding_per_link_and_per_finding() {
    let v = json(
        Format::Ocsf,
        &report("m", "arn:aws:cloudwatch:us-east-1:123456789012:alarm:a"),
    );
    let all = v.as_array().expect("an array");
    assert_eq!(all.len(), 3 + 3);
    let statuses: Vec<u64> = all
        .iter()
        .map(|f| f["compliance"]["status_id"].as_u64().expect("id"))
        .collect();
    // Links: passed, broken, unknown; findings: failure, unknown, warning.
    assert_eq!(statuses, [1, 3, 0, 3, 0, 2]);
    assert!(all
        .iter()
        .all(|f| f["class_uid"] == 2003 && f["time"] == 1_796_203_800_000_i64));
}

#[test]
fn junit_fails_a_broken_link_errors_an_unverified_one_and_keeps_warnings_as_output() {
    let x = render(
        Format::Junit,
        &Subject::Check {
            report: &report("m", "arn:aws:cloudwatch:us-east-1:123456789012:alarm:a"),
            calls: None,
            terraform: None,
        },
        &meta(),
    );
    assert!(x.contains("tests=\"3\" failures=\"1\" errors=\"1\""), "{x}");
    assert!(x.contains("<failure type=\"filter-incomplete\""), "{x}");
    assert!(x.contains("<error type=\"alarm-unverifiable\""), "{x}");
    let filter_case = x.split("<testcase").nth(2).expect("the filter's case");
    assert!(
        filter_case.contains("<system-out>")
            && filter_case.contains("[filter-over-matches] (warning)"),
        "{filter_case}"
    );
    assert!(!x.contains("<script>"), "escaped: {x}");
}

#[test]
fn the_page_escapes_what_it_shows_and_loads_nothing() {
    let h = render(
        Format::Html,
        &Subject::Check {
            report: &report(
                "<b>m</b>",
                "arn:aws:cloudwatch:us-east-1:123456789012:alarm:a",
            ),
            calls: None,
            terraform: None,
        },
        &meta(),
    );
    assert!(!h.contains("<script>") && h.contains("&lt;script&gt;"));
    assert!(!h.contains("<b>m</b>"));
    assert_eq!(h.matches("<svg class=\"chain-diagram\"").count(), 1);
    assert_eq!(h.matches("<article class=\"finding").count(), 3);
    assert!(
        !h.contains("http://") || !h.contains("src="),
        "no external resource"
    );
}

#[test]
fn every_format_has_a_name_and_a_file() {
    for f in Format::ALL {
        assert_eq!(Format::from_name(f.name()), Some(*f));
        assert!(!f.extension().is_empty());
    }
    assert_eq!(Format::from_name("pdf"), None);
}
