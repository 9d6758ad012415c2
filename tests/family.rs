//! `orgwatch check --control`: the CIS monitoring family judged from one inventory, through the binary
//! and its embedded emulator (the SDK over HTTP).

use serde_json::Value;
use std::process::{Command, Output};

const ALL_PASS: &str = "scenarios/family-all-fifteen-as-v6-prints-them.json";

fn orgwatch(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_orgwatch"))
        .args(args)
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .output()
        .expect("orgwatch runs")
}

fn json(out: &Output) -> Value {
    serde_json::from_slice(&out.stdout).unwrap_or_else(|e| {
        panic!(
            "{e}: {}{}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        )
    })
}

/// The all-pass scenario with one control's filter pattern replaced, written to a temporary file.
fn with_pattern(dir: &tempfile::TempDir, filter: &str, pattern: &str) -> String {
    let text = std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/scenarios/family-all-fifteen-as-v6-prints-them.json"
    ))
    .expect("scenario");
    let mut s: Value = serde_json::from_str(&text).expect("json");
    let filters = s["given"]["accounts"][0]["regions"]["us-east-1"]["metricFilters"]
        .as_array_mut()
        .expect("filters");
    let f = filters
        .iter_mut()
        .find(|f| f["filterName"] == filter)
        .expect("filter");
    f["filterPattern"] = Value::String(pattern.into());
    let path = dir.path().join("scenario.json");
    std::fs::write(&path, s.to_string()).expect("write");
    path.display().to_string()
}

#[test]
fn all_fifteen_as_v6_prints_them_pass_with_the_api_calls_of_one() {
    let out = orgwatch(&[
        "check",
        "--scenario",
        ALL_PASS,
        "--control",
        "all",
        "--format",
        "json",
    ]);
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stdout)
    );
    let r = json(&out);
    assert_eq!(r["status"], "PASS");
    assert_eq!(r["benchmark"], "CIS AWS Foundations Benchmark v6.0.0");
    let controls = r["controls"].as_array().expect("controls");
    assert_eq!(controls.len(), 15);
    for (i, c) in controls.iter().enumerate() {
        assert_eq!(c["status"], "PASS", "{}", c["control"]);
        assert_eq!(c["control_id"]["cis"], format!("5.{}", i + 1));
    }
    assert_eq!(controls[2]["control_id"]["securityhub"], "CloudWatch.1");
    assert!(controls[14]["control_id"].get("securityhub").is_none());
    // One inventory for all fifteen: the same calls as the single control makes on the same account.
    let single = json(&orgwatch(&[
        "check",
        "--scenario",
        ALL_PASS,
        "--format",
        "json",
    ]));
    assert_eq!(single["status"], "PASS");
    assert!(
        single.get("control_id").is_none(),
        "the single control's report gained a field"
    );
    assert_eq!(r["api_calls"], single["api_calls"]);
}

#[test]
fn ids_are_slugs_cis_numbers_of_the_version_or_security_hub_ids() {
    let out = orgwatch(&[
        "check",
        "--scenario",
        ALL_PASS,
        "--control",
        "4.3,CloudWatch.4,vpc-changes,4.3",
        "--benchmark",
        "v5.0",
        "--format",
        "json",
    ]);
    assert_eq!(out.status.code(), Some(0));
    let r = json(&out);
    let ids: Vec<&str> = r["controls"]
        .as_array()
        .expect("controls")
        .iter()
        .map(|c| c["control_id"]["cis"].as_str().unwrap_or_default())
        .collect();
    assert_eq!(ids, ["4.3", "4.4", "4.14"]);
    assert_eq!(r["benchmark"], "CIS AWS Foundations Benchmark v5.0.0");
}

#[test]
fn a_regex_passing_filter_broken_in_meaning_fails_its_control_only() {
    let dir = tempfile::tempdir().expect("tempdir");
    // `&&` written `||`: every regex peer passes it; it matches every ordinary record.
    let path = with_pattern(
        &dir,
        "root_usage_metric",
        r#"{ $.userIdentity.type = "Root" || $.userIdentity.invokedBy NOT EXISTS || $.eventType != "AwsServiceEvent" }"#,
    );
    let out = orgwatch(&[
        "check",
        "--scenario",
        &path,
        "--control",
        "all",
        "--format",
        "json",
    ]);
    assert_eq!(out.status.code(), Some(1));
    let r = json(&out);
    assert_eq!(
        (r["passed"].as_u64(), r["failed"].as_u64()),
        (Some(14), Some(1))
    );
    let root = &r["controls"][2];
    assert_eq!(root["status"], "FAIL");
    let reasons: Vec<&str> = root["findings"]
        .as_array()
        .expect("findings")
        .iter()
        .filter_map(|f| f["reason"].as_str())
        .collect();
    assert!(
        reasons.contains(&"filter-matches-ordinary-traffic"),
        "{reasons:?}"
    );
    // The fix writes the benchmark's own text for the version asked.
    let fix = root["findings"][0]["fix"].to_string();
    assert!(
        fix.contains("root_usage_metric") && fix.contains("AwsServiceEvent"),
        "{fix}"
    );
}

#[test]
fn a_filter_missing_an_event_names_it_with_a_witness() {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = with_pattern(
        &dir,
        "cloudtrail_cfg_changes_metric",
        "{ ($.eventName = CreateTrail) || ($.eventName = UpdateTrail) || ($.eventName = DeleteTrail) || ($.eventName = StartLogging) }",
    );
    let out = orgwatch(&[
        "check",
        "--scenario",
        &path,
        "--control",
        "cloudtrail-config-changes",
        "--format",
        "json",
    ]);
    assert_eq!(out.status.code(), Some(1));
    let r = json(&out);
    let f = &r["controls"][0]["findings"][0];
    assert_eq!(f["reason"], "filter-incomplete");
    assert_eq!(f["events"], serde_json::json!(["StopLogging"]));
    assert_eq!(f["witness"]["eventName"], "StopLogging");
    assert_eq!(f["witness"]["eventSource"], "cloudtrail.amazonaws.com");
}

#[test]
fn unknown_ids_and_versions_are_usage_errors_listing_the_valid_ones() {
    let out = orgwatch(&["check", "--scenario", ALL_PASS, "--control", "4.99"]);
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("4.99") && err.contains("root-account-usage") && err.contains("CloudWatch.1"),
        "{err}"
    );
    let out = orgwatch(&[
        "check",
        "--scenario",
        ALL_PASS,
        "--control",
        "all",
        "--benchmark",
        "v7.0",
    ]);
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("v6.0"));
    let out = orgwatch(&[
        "check",
        "--scenario",
        ALL_PASS,
        "--control",
        "organizations-changes",
        "--benchmark",
        "v1.2",
    ]);
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("not a control of"));
    // v1.2 has fourteen: `all` takes those.
    let out = orgwatch(&[
        "check",
        "--scenario",
        ALL_PASS,
        "--control",
        "all",
        "--benchmark",
        "1.2.0",
        "--format",
        "json",
    ]);
    assert_eq!(out.status.code(), Some(0));
    assert_eq!(json(&out)["controls"].as_array().map(Vec::len), Some(14));
    let out = orgwatch(&["check", "--scenario", ALL_PASS, "--benchmark", "v5.0"]);
    assert_eq!(out.status.code(), Some(2), "--benchmark needs --control");
}

#[test]
fn every_format_carries_every_control() {
    let dir = tempfile::tempdir().expect("tempdir");
    let out_dir = dir.path().display().to_string();
    let mut args = vec![
        "check",
        "--scenario",
        ALL_PASS,
        "--control",
        "all",
        "--output-dir",
        &out_dir,
    ];
    for f in ["text", "json", "sarif", "ocsf", "asff", "junit", "html"] {
        args.extend(["--format", f]);
    }
    let out = orgwatch(&args);
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let read =
        |ext: &str| std::fs::read_to_string(dir.path().join(format!("orgwatch.{ext}"))).expect(ext);
    for ext in ["txt", "junit.xml", "html"] {
        let text = read(ext);
        for label in [
            "5.1",
            "unauthorized-api-calls",
            "5.15",
            "organizations-changes",
        ] {
            assert!(text.contains(label), "{ext} lacks {label}");
        }
    }
    let junit = read("junit.xml");
    assert_eq!(
        junit.matches("<testsuite ").count(),
        15,
        "one suite per control and chain"
    );
    let sarif: Value = serde_json::from_str(&read("sarif")).expect("sarif");
    let results = sarif["runs"][0]["results"].as_array().expect("results");
    // The warnings (over-matches of texts without an eventSource) name their control.
    assert!(results.iter().any(|r| r["message"]["text"]
        .as_str()
        .is_some_and(|m| m.starts_with("5.4 iam-policy-changes:"))));
}

/// The family catalogue, checked and drilled: for every control's scenarios `check` says PASS exactly
/// when the drill notifies every case of the intent (the oracle's promise, on the catalogue's filters).
#[test]
fn check_passes_exactly_when_the_drill_notifies_every_case() {
    let mut files: Vec<String> =
        std::fs::read_dir(concat!(env!("CARGO_MANIFEST_DIR"), "/scenarios"))
            .expect("catalogue")
            .filter_map(|e| e.ok())
            .map(|e| e.file_name().to_string_lossy().to_string())
            .filter(|n| {
                n.starts_with("family-") && n.ends_with(".json") && !n.contains("all-fifteen")
            })
            .map(|n| format!("scenarios/{n}"))
            .collect();
    files.sort();
    assert_eq!(files.len(), 45, "three scenarios per control");
    let mut disagreements = Vec::new();
    for f in &files {
        let check = json(&orgwatch(&["check", "--scenario", f, "--format", "json"]));
        let drill = orgwatch(&["drill", "--scenario", f, "--format", "json"]);
        let drilled = json(&drill);
        let status = check["controls"][0]["status"]
            .as_str()
            .unwrap_or_default()
            .to_string();
        assert_eq!(
            drilled["control"], check["controls"][0]["control_id"]["id"],
            "{f}"
        );
        if (status == "PASS") != (drilled["status"] == "PASS") {
            disagreements.push(format!("{f}: check {status}, drill {}", drilled["status"]));
        }
    }
    assert!(disagreements.is_empty(), "{disagreements:#?}");
}
