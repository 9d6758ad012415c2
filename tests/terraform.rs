//! `orgwatch check --terraform DIR`, through the real binary, real Terraform and the real hashicorp/aws
//! provider: configurations apply to an embedded emulator, re-plan empty, are judged and destroyed, and
//! the directory is left as it was found.
//!
//! Terraform installs the provider from a local mirror named by `ORGWATCH_PLUGIN_DIR` (CI finds it). A
//! test that cannot run Terraform says `SKIPPED` and why on stderr; with `ORGWATCH_REQUIRE_TERRAFORM=1`
//! (CI) it fails instead, so a machine without Terraform cannot pass as if it had run.

use std::path::{Path, PathBuf};
use std::process::Command;

mod common;
use common::orgwatch;
#[path = "common/terraform.rs"]
mod terraform;
use terraform::ready;

fn config(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/terraform")
        .join(name)
}

/// Every entry under `dir`, hidden ones included, with its size: what "left as it was found" compares.
fn listing(dir: &Path) -> Vec<(String, u64)> {
    let mut out: Vec<(String, u64)> = std::fs::read_dir(dir)
        .expect("listed")
        .map(|e| {
            let e = e.expect("an entry");
            (
                e.file_name().to_string_lossy().into_owned(),
                e.metadata().map(|m| m.len()).unwrap_or_default(),
            )
        })
        .collect();
    out.sort();
    out
}

fn json(text: &str) -> serde_json::Value {
    serde_json::from_str(text).unwrap_or_else(|e| panic!("{e}: {text}"))
}

#[test]
fn a_compliant_stack_applies_replans_empty_passes_its_drill_and_is_destroyed() {
    if !ready("a_compliant_stack_applies_replans_empty_passes_its_drill_and_is_destroyed") {
        return;
    }
    let dir = config("chain");
    let before = listing(&dir);
    let (code, out, err) = orgwatch(&[
        "check",
        "--terraform",
        "tests/terraform/chain",
        "--confirm-subscriptions",
        "--drill",
        "--format",
        "json",
    ]);
    assert_eq!(code, 0, "{out}{err}");
    let v = json(&out);
    assert_eq!(v["status"], "PASS", "{out}");
    let t = &v["terraform"];
    assert_eq!(
        (&t["resources"], &t["replanEmpty"], &t["destroyed"]),
        (
            &serde_json::json!(10),
            &serde_json::json!(true),
            &serde_json::json!(true)
        )
    );
    let (wall, emulator) = (
        t["wallSeconds"].as_f64().expect("the run's time"),
        t["emulatorSeconds"].as_f64().expect("the emulator's time"),
    );
    assert!(t["requests"].as_u64().expect("a count") > 20, "{t}");
    assert_eq!(t["drill"]["status"], "PASS", "the drill proves it: {t}");
    assert_eq!(t["drill"]["notified"], 18);
    assert!(emulator > 0.0 && emulator < wall, "{t}");
    assert_eq!(
        listing(&dir),
        before,
        "the directory is left as it was found"
    );
}

#[test]
fn the_whole_family_applies_and_every_control_passes() {
    if !ready("the_whole_family_applies_and_every_control_passes") {
        return;
    }
    let dir = config("family");
    let before = listing(&dir);
    let (code, out, err) = orgwatch(&[
        "check",
        "--terraform",
        "tests/terraform/family",
        "--confirm-subscriptions",
        "--control",
        "all",
        "--format",
        "json",
    ]);
    assert_eq!(code, 0, "{out}{err}");
    let v = json(&out);
    assert_eq!(v["status"], "PASS", "{out}");
    assert_eq!(v["passed"], 15, "{out}");
    let t = &v["terraform"];
    // The chain module's eleven resources, and fourteen filters and alarms.
    assert_eq!(
        (&t["resources"], &t["replanEmpty"], &t["destroyed"]),
        (
            &serde_json::json!(39),
            &serde_json::json!(true),
            &serde_json::json!(true)
        )
    );
    assert_eq!(
        listing(&dir),
        before,
        "the directory is left as it was found"
    );
}

#[test]
fn a_pattern_missing_one_event_fails_at_the_line_of_its_block() {
    if !ready("a_pattern_missing_one_event_fails_at_the_line_of_its_block") {
        return;
    }
    // A copy of its own: two runs in one directory would both want its override file (the second is
    // refused), and the tests run in parallel.
    let work = tempfile::tempdir().expect("a temporary directory");
    let text = std::fs::read_to_string(config("chain").join("main.tf")).expect("read");
    std::fs::write(work.path().join("main.tf"), &text).expect("copied");
    let tf_dir = work.path().to_str().expect("UTF-8").to_string();
    let pattern = orgwatch_pattern_without_move_account();
    let out_dir = tempfile::tempdir().expect("a temporary directory");
    let var = format!("pattern={pattern}");
    let (code, out, err) = orgwatch(&[
        "check",
        "--terraform",
        &tf_dir,
        "--var",
        &var,
        "--format",
        "json",
        "--format",
        "sarif",
        "--output-dir",
        out_dir.path().to_str().expect("UTF-8"),
    ]);
    assert_eq!(code, 1, "{out}{err}");
    let report =
        json(&std::fs::read_to_string(out_dir.path().join("orgwatch.json")).expect("json"));
    let reasons: Vec<&str> = report["findings"]
        .as_array()
        .expect("findings")
        .iter()
        .filter_map(|f| f["reason"].as_str())
        .collect();
    // Without --confirm-subscriptions the email subscription stays pending, as on AWS.
    assert_eq!(
        reasons,
        ["filter-incomplete", "topic-no-confirmed-subscription"]
    );
    let sarif =
        json(&std::fs::read_to_string(out_dir.path().join("orgwatch.sarif")).expect("sarif"));
    let results = sarif["runs"][0]["results"].as_array().expect("results");
    let filter = results
        .iter()
        .find(|r| r["ruleId"] == "filter-incomplete")
        .expect("the filter's result");
    let at = &filter["locations"][0]["physicalLocation"];
    let line = text
        .lines()
        .position(|l| l.starts_with("resource \"aws_cloudwatch_log_metric_filter\""))
        .expect("the block")
        + 1;
    assert_eq!(
        at["artifactLocation"]["uri"],
        format!("file://{tf_dir}/main.tf")
    );
    assert_eq!(at["region"]["startLine"], line);
    let topic = results
        .iter()
        .find(|r| r["ruleId"] == "topic-no-confirmed-subscription")
        .expect("the topic's result");
    let topic_line = text
        .lines()
        .position(|l| l.starts_with("resource \"aws_sns_topic\""))
        .expect("the block")
        + 1;
    assert_eq!(
        topic["locations"][0]["physicalLocation"]["region"]["startLine"],
        topic_line
    );
}

/// The control's pattern without `MoveAccount`.
fn orgwatch_pattern_without_move_account() -> String {
    orgwatch_pattern::cis::PATTERN.replace("($.eventName = \"MoveAccount\") || ", "")
}

#[test]
fn a_half_applied_run_is_destroyed_and_exits_4() {
    if !ready("a_half_applied_run_is_destroyed_and_exits_4") {
        return;
    }
    let dir = config("apply-fails");
    let before = listing(&dir);
    let (code, out, err) = orgwatch(&["check", "--terraform", "tests/terraform/apply-fails"]);
    assert_eq!(code, 4, "{out}{err}");
    assert!(err.contains("terraform apply failed"), "{err}");
    assert!(
        err.contains("InvalidParameterException: Invalid metric filter pattern"),
        "{err}"
    );
    assert!(
        err.contains("what the apply had created was destroyed"),
        "{err}"
    );
    assert_eq!(
        listing(&dir),
        before,
        "the directory is left as it was found"
    );
}

#[test]
fn an_s3_backend_becomes_local_and_a_missing_provider_is_added() {
    if !ready("an_s3_backend_becomes_local_and_a_missing_provider_is_added") {
        return;
    }
    let dir = config("backend-s3-no-provider");
    let before = listing(&dir);
    let (code, out, err) = orgwatch(&[
        "check",
        "--terraform",
        "tests/terraform/backend-s3-no-provider",
        "--format",
        "json",
    ]);
    assert_eq!(code, 1, "{out}{err}");
    let v = json(&out);
    assert_eq!(v["findings"][0]["reason"], "trail-missing");
    let t = &v["terraform"];
    assert_eq!(
        (&t["resources"], &t["replanEmpty"], &t["destroyed"]),
        (
            &serde_json::json!(1),
            &serde_json::json!(true),
            &serde_json::json!(true)
        ),
        "the numeric tag value applies and re-plans empty"
    );
    assert_eq!(listing(&dir), before);
}

#[test]
fn bad_configurations_are_refused_before_anything_runs() {
    let d = tempfile::tempdir().expect("a temporary directory");
    let path = d.path().to_str().expect("UTF-8").to_string();
    let run = || orgwatch(&["check", "--terraform", &path]);

    let (code, _, err) = run();
    assert_eq!(code, 2);
    assert!(err.contains("no .tf files"), "{err}");

    std::fs::write(
        d.path().join("main.tf"),
        "resource \"aws_sns_topic\" \"t\" {\n  name = \n}\n",
    )
    .expect("written");
    let (code, _, err) = run();
    assert_eq!(code, 2);
    assert!(err.contains("main.tf:2:"), "{err}");

    std::fs::write(
        d.path().join("main.tf"),
        "provider \"aws\" {\n  region = \"us-east-1\"\n  endpoints {\n    sns = \"https://sns.example\"\n  }\n}\n",
    )
    .expect("written");
    let (code, _, err) = run();
    assert_eq!(code, 2);
    assert!(
        err.contains("main.tf:3") && err.contains("own endpoints"),
        "{err}"
    );

    std::fs::write(
        d.path().join("main.tf"),
        "resource \"aws_sns_topic\" \"t\" {\n  name = \"t\"\n}\n",
    )
    .expect("written");
    std::fs::write(d.path().join("orgwatch_override.tf"), "# mine\n").expect("written");
    let (code, _, err) = run();
    assert_eq!(code, 2);
    assert!(err.contains("orgwatch_override.tf already exists"), "{err}");
    assert_eq!(
        std::fs::read_to_string(d.path().join("orgwatch_override.tf")).expect("kept"),
        "# mine\n",
        "a file of the user's is never touched"
    );
    std::fs::remove_file(d.path().join("orgwatch_override.tf")).expect("removed");

    let (code, _, err) = orgwatch(&[
        "check",
        "--terraform",
        &path,
        "--binary",
        "no-such-terraform",
    ]);
    assert_eq!(code, 2, "{err}");
    assert!(err.contains("cannot run \"no-such-terraform\""), "{err}");
    let mut left = listing(d.path());
    left.retain(|(n, _)| n != "main.tf");
    assert!(left.is_empty(), "nothing left behind: {left:?}");
}

/// Scenarios with Terraform steps, the provider-acceptance-test shape: apply, check, update in place
/// with other variables, check, destroy, nothing left; an apply that must fail with AWS's error.
#[test]
fn terraform_steps_run_as_an_acceptance_test() {
    if !ready("terraform_steps_run_as_an_acceptance_test") {
        return;
    }
    let (code, out, err) = orgwatch(&["scenarios", "test", "tests/terraform/scenarios"]);
    assert_eq!(code, 0, "{out}{err}");
    assert!(
        out.contains("scenarios: 11 passed, 0 failed, 0 skipped"),
        "{out}"
    );
}

/// Without Terraform, scenarios with Terraform steps are skipped with the reason, never passed.
#[test]
fn without_terraform_such_scenarios_are_skipped_with_the_reason() {
    let (code, out, err) = orgwatch(&[
        "scenarios",
        "test",
        "tests/terraform/scenarios",
        "--binary",
        "no-such-terraform",
    ]);
    assert_eq!(code, 0, "nothing failed: {out}{err}");
    assert!(
        out.contains("scenarios: 0 passed, 0 failed, 11 skipped"),
        "{out}"
    );
    assert!(
        out.contains("SKIPPED") && out.contains("no no-such-terraform here"),
        "{out}"
    );
    let (_, xml, _) = orgwatch(&[
        "scenarios",
        "test",
        "tests/terraform/scenarios",
        "--binary",
        "no-such-terraform",
        "--format",
        "junit",
    ]);
    assert!(
        xml.contains("skipped=\"11\"")
            && xml.contains("<skipped message=\"no no-such-terraform here"),
        "{xml}"
    );
}

/// `orgwatch terraform -- ARGS` aims each command at a running emulator and removes its override after
/// each one; the state stays in the directory between commands, as Terraform keeps it.
#[test]
fn orgwatch_terraform_runs_each_command_against_a_running_emulator() {
    if !ready("orgwatch_terraform_runs_each_command_against_a_running_emulator") {
        return;
    }
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .expect("a free port")
        .port();
    let mut emulator = Command::new(env!("CARGO_BIN_EXE_orgwatch"))
        .args(["emulator", "--port", &port.to_string()])
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn()
        .expect("the emulator starts");
    let endpoint = format!("http://127.0.0.1:{port}");
    for _ in 0..100 {
        if std::net::TcpStream::connect(("127.0.0.1", port)).is_ok() {
            break;
        }
        std::thread::sleep(std::time::Duration::from_millis(50));
    }
    let work = tempfile::tempdir().expect("a temporary directory");
    std::fs::copy(config("chain").join("main.tf"), work.path().join("main.tf")).expect("copied");
    let dir = work.path().to_str().expect("UTF-8").to_string();
    let tf = |args: &[&str]| {
        let mut all = vec![
            "terraform",
            "--endpoint-url",
            &endpoint,
            "--dir",
            &dir,
            "--",
        ];
        all.extend(args);
        let out = orgwatch(&all);
        assert!(
            !work.path().join("orgwatch_override.tf").exists(),
            "the override is removed after {args:?}"
        );
        out
    };
    let vars = [
        "-var=subscription_protocol=sqs",
        "-var=subscription_endpoint=arn:aws:sqs:us-east-1:123456789012:security-alerts",
    ];
    let (code, out, err) = tf(&["init", "-no-color"]);
    assert_eq!(code, 0, "{out}{err}");
    let (code, out, err) = tf(&[&["apply", "-auto-approve", "-no-color"][..], &vars[..]].concat());
    assert_eq!(code, 0, "{out}{err}");
    let (code, out, err) = orgwatch(&[
        "check",
        "--endpoint-url",
        &endpoint,
        "--region",
        "us-east-1",
    ]);
    assert_eq!(code, 0, "{out}{err}");
    let (code, out, err) =
        tf(&[&["plan", "-detailed-exitcode", "-no-color"][..], &vars[..]].concat());
    assert_eq!(code, 0, "an empty plan: {out}{err}");
    let (code, out, err) =
        tf(&[&["destroy", "-auto-approve", "-no-color"][..], &vars[..]].concat());
    assert_eq!(code, 0, "{out}{err}");
    let (code, out, _) = orgwatch(&[
        "check",
        "--endpoint-url",
        &endpoint,
        "--region",
        "us-east-1",
    ]);
    assert_eq!(code, 1, "nothing left after destroy: {out}");
    assert!(
        work.path().join("terraform.tfstate").exists(),
        "Terraform's own state stays"
    );
    let _ = emulator.kill();
    let _ = emulator.wait();
}
