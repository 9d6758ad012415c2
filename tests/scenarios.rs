//! The scenario catalogue and the scenario commands, through the real binary.

use std::process::Command;

mod common;
use common::orgwatch;

#[test]
fn the_catalogue_gets_its_verdicts() {
    let (code, out, err) = orgwatch(&["scenarios", "test"]);
    assert_eq!(code, 0, "{out}{err}");
    let files = std::fs::read_dir(concat!(env!("CARGO_MANIFEST_DIR"), "/scenarios"))
        .unwrap()
        .filter(|e| {
            e.as_ref().is_ok_and(|e| {
                e.path().extension().is_some_and(|x| x == "json")
                    && !e.path().ends_with("schema.json")
            })
        })
        .count();
    assert!(
        out.contains(&format!("scenarios: {files} passed, 0 failed")),
        "{out}"
    );
}

#[test]
fn check_scenario_is_the_main_job() {
    let (code, out, _) = orgwatch(&[
        "check",
        "--scenario",
        "scenarios/compliant-as-the-control-prints-it.json",
    ]);
    assert_eq!(code, 0, "{out}");
    assert!(out.starts_with("PASS: "), "{out}");
    let (code, out, _) = orgwatch(&[
        "check",
        "--scenario",
        "scenarios/pattern-one-name-missing.json",
        "--format",
        "json",
    ]);
    assert_eq!(code, 1);
    let v: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert_eq!(v["status"], "FAIL");
    assert!(v["findings"]
        .as_array()
        .unwrap()
        .iter()
        .any(|f| f["reason"] == "filter-incomplete" && f["events"][0] == "DeletePolicy"));
    let (code, _, _) = orgwatch(&[
        "check",
        "--scenario",
        "scenarios/log-group-in-another-account.json",
    ]);
    assert_eq!(code, 3);
}

#[test]
fn a_bad_scenario_file_names_line_and_column() {
    let dir = std::env::temp_dir().join(format!("orgwatch-bad-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let bad = dir.join("bad.json");
    std::fs::write(&bad, "{\n  \"name\": \"x\",\n  \"given\": {\"accounts\": [{\"account\": \"123456789012\", \"colour\": 1}]},\n  \"expect\": {\"status\": \"PASS\"}\n}\n").unwrap();
    let path = bad.display().to_string();
    let (code, _, err) = orgwatch(&["check", "--scenario", &path]);
    assert_eq!(code, 2);
    assert!(err.starts_with(&format!("{path}:3:")), "{err}");
    assert!(err.contains("unknown field `colour`"), "{err}");
    std::fs::write(
        &bad,
        "{\"name\": \"x\", \"given\": {\"accounts\": []}, \"expect\": {\"status\": \"MAYBE\"}}",
    )
    .unwrap();
    let (code, _, err) = orgwatch(&["check", "--scenario", &path]);
    assert_eq!(code, 2);
    assert!(
        err.contains(":1:") && err.contains("PASS, FAIL or UNKNOWN"),
        "{err}"
    );
    // Steps are checked too: an unknown member, and two replay sources at once.
    std::fs::write(
        &bad,
        "{\"name\": \"x\", \"given\": {\"accounts\": [{\"account\": \"123456789012\"}]},\n \"expect\": {\"status\": \"PASS\"},\n \"steps\": [{\"advance\": 60, \"wait\": 1}]}",
    )
    .unwrap();
    let (code, _, err) = orgwatch(&["check", "--scenario", &path]);
    assert_eq!(code, 2);
    assert!(
        err.starts_with(&format!("{path}:3:")) && err.contains("unknown field `wait`"),
        "{err}"
    );
    std::fs::write(
        &bad,
        "{\"name\": \"x\", \"given\": {\"accounts\": [{\"account\": \"123456789012\"}]},\n \"expect\": {\"status\": \"PASS\"},\n \"steps\": [{\"replay\": [], \"replayFile\": \"a.json\"}]}",
    )
    .unwrap();
    let (code, _, err) = orgwatch(&["check", "--scenario", &path]);
    assert_eq!(code, 2);
    assert!(
        err.starts_with(&format!("{path}:3:")) && err.contains("both replay and replayFile"),
        "{err}"
    );
    let _ = std::fs::remove_dir_all(&dir);
}

/// Every property used in a scenario file is declared in `scenarios/schema.json` at the same place, and the
/// schema declares every reason code the checker documents (so editors that validate with it agree with
/// the loader).
#[test]
fn the_schema_describes_the_catalogue() {
    let root = env!("CARGO_MANIFEST_DIR");
    let schema: serde_json::Value = serde_json::from_str(
        &std::fs::read_to_string(format!("{root}/scenarios/schema.json")).unwrap(),
    )
    .unwrap();
    fn resolve<'a>(
        schema: &'a serde_json::Value,
        node: &'a serde_json::Value,
    ) -> &'a serde_json::Value {
        match node.get("$ref").and_then(|r| r.as_str()) {
            Some(r) => resolve(
                schema,
                schema.pointer(r.trim_start_matches('#')).unwrap_or(node),
            ),
            None => node,
        }
    }
    fn walk(
        schema: &serde_json::Value,
        node: &serde_json::Value,
        value: &serde_json::Value,
        at: &str,
    ) {
        let node = resolve(schema, node);
        // A node that constrains no members, items or values accepts any content (CloudTrail records).
        let free = ["properties", "additionalProperties", "items", "enum"]
            .iter()
            .all(|k| node.get(k).is_none());
        if free && (value.is_object() || value.is_array()) {
            return;
        }
        match value {
            serde_json::Value::Object(m) => {
                for (k, v) in m {
                    let sub = node
                        .get("properties")
                        .and_then(|p| p.get(k))
                        .or_else(|| node.get("additionalProperties").filter(|a| a.is_object()));
                    let sub = sub.unwrap_or_else(|| panic!("{at}.{k} is not in the schema"));
                    walk(schema, sub, v, &format!("{at}.{k}"));
                }
            }
            serde_json::Value::Array(items) => {
                let sub = node
                    .get("items")
                    .unwrap_or_else(|| panic!("{at} is an array the schema does not describe"));
                for (i, v) in items.iter().enumerate() {
                    walk(schema, sub, v, &format!("{at}[{i}]"));
                }
            }
            serde_json::Value::String(s) => {
                if let Some(allowed) = node.get("enum").and_then(|e| e.as_array()) {
                    assert!(
                        allowed.iter().any(|a| a == s),
                        "{at} = {s:?} is not allowed by the schema"
                    );
                }
            }
            _ => {}
        }
    }
    let mut n = 0;
    for e in std::fs::read_dir(format!("{root}/scenarios")).unwrap() {
        let p = e.unwrap().path();
        if p.extension().is_some_and(|x| x == "json") && !p.ends_with("schema.json") {
            let v: serde_json::Value =
                serde_json::from_str(&std::fs::read_to_string(&p).unwrap()).unwrap();
            walk(
                &schema,
                &schema,
                &v,
                &p.file_name().unwrap().to_string_lossy(),
            );
            n += 1;
        }
    }
    assert!(n >= 25);
    let readme = std::fs::read_to_string(format!("{root}/README.md")).unwrap();
    for reason in schema
        .pointer("/$defs/reason/enum")
        .unwrap()
        .as_array()
        .unwrap()
    {
        assert!(
            readme.contains(&format!("| `{}` |", reason.as_str().unwrap())),
            "{reason} is not documented in the README"
        );
    }
}

/// Record from an emulator loaded with each single-account catalogue scenario, replay the recording into a
/// fresh emulator, and get the same verdict.
#[test]
fn recordings_replay_to_the_same_verdict() {
    use std::io::{Read, Write};
    let root = env!("CARGO_MANIFEST_DIR");
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let mut emu = Command::new(env!("CARGO_BIN_EXE_orgwatch"))
        .args(["emulator", "--port", &port.to_string()])
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn()
        .unwrap();
    let endpoint = format!("http://127.0.0.1:{port}");
    let reset = || {
        for _ in 0..200 {
            if let Ok(mut s) = std::net::TcpStream::connect(("127.0.0.1", port)) {
                s.write_all(b"POST /_orgwatch/reset HTTP/1.1\r\nhost: x\r\ncontent-length: 0\r\nconnection: close\r\n\r\n").unwrap();
                let mut out = String::new();
                s.read_to_string(&mut out).unwrap();
                assert!(out.starts_with("HTTP/1.1 200"), "{out}");
                return;
            }
            std::thread::sleep(std::time::Duration::from_millis(20));
        }
        panic!("the emulator did not start");
    };
    let dir = std::env::temp_dir().join(format!("orgwatch-rec-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let mut checked = 0;
    let mut entries: Vec<_> = std::fs::read_dir(format!("{root}/scenarios"))
        .unwrap()
        .filter_map(|e| e.ok())
        .map(|e| e.path())
        .collect();
    entries.sort();
    for p in entries {
        if p.extension().is_none_or(|x| x != "json") || p.ends_with("schema.json") {
            continue;
        }
        let v: serde_json::Value =
            serde_json::from_str(&std::fs::read_to_string(&p).unwrap()).unwrap();
        if v["given"]["accounts"].as_array().unwrap().len() != 1 {
            continue;
        }
        reset();
        let file = p.display().to_string();
        let (code, _, err) = orgwatch(&["scenarios", "load", &file, "--endpoint-url", &endpoint]);
        assert_eq!(code, 0, "{file}: {err}");
        let rec = dir.join(p.file_name().unwrap()).display().to_string();
        let mut args = vec![
            "scenarios",
            "record",
            "--endpoint-url",
            &endpoint,
            "--region",
            "us-east-1",
            "--name",
            "replayed",
            "--output",
            &rec,
        ];
        // A family scenario records its own control's verdict.
        let control = v["control"].as_str().filter(|c| *c != "cis-4.15");
        let benchmark = v["benchmark"].as_str().unwrap_or("v6.0");
        if let Some(control) = control {
            args.extend(["--control", control, "--benchmark", benchmark]);
        }
        let (code, _, err) = orgwatch(&args);
        assert_eq!(code, 0, "{file}: {err}");
        let recorded: serde_json::Value =
            serde_json::from_str(&std::fs::read_to_string(&rec).unwrap()).unwrap();
        assert_eq!(
            recorded["expect"]["status"], v["expect"]["status"],
            "{file}: the recording's verdict"
        );
        let (code, out, err) = orgwatch(&["scenarios", "test", &rec]);
        assert_eq!(
            code,
            0,
            "{file}: replay\n{out}{err}\n{}",
            std::fs::read_to_string(&rec).unwrap()
        );
        checked += 1;
    }
    let _ = emu.kill();
    let _ = emu.wait();
    let _ = std::fs::remove_dir_all(&dir);
    assert!(checked >= 40, "{checked}");
}

#[test]
fn junit_output() {
    let (code, out, _) = orgwatch(&[
        "scenarios",
        "test",
        "scenarios/pattern-reordered.json",
        "--format",
        "junit",
    ]);
    assert_eq!(code, 0);
    assert!(
        out.contains("<testsuite name=\"orgwatch scenarios\" tests=\"1\" failures=\"0\"")
            && out.contains("<testcase classname=\"scenarios\" name=\"pattern-reordered\""),
        "{out}"
    );
}

/// `from-terraform` on a state and on a plan (with ARNs unknown until apply, rebuilt from references),
/// fixtures written in Terraform's documented `terraform show -json` format.
#[test]
fn terraform_state_and_plan() {
    let dir = std::env::temp_dir().join(format!("orgwatch-tf-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    for (fixture, status) in [("state-compliant", 0), ("plan-one-name-missing", 1)] {
        let out = dir.join(format!("{fixture}.json")).display().to_string();
        let (code, _, err) = orgwatch(&[
            "scenarios",
            "from-terraform",
            &format!("tests/data/terraform/{fixture}.json"),
            "--output",
            &out,
        ]);
        assert_eq!(code, 0, "{err}");
        let (code, report, _) = orgwatch(&["check", "--scenario", &out, "--format", "json"]);
        assert_eq!(code, status, "{fixture}: {report}");
        let v: serde_json::Value = serde_json::from_str(&report).unwrap();
        if status == 1 {
            let f = v["findings"]
                .as_array()
                .unwrap()
                .iter()
                .find(|f| f["reason"] == "filter-incomplete")
                .expect("filter-incomplete");
            assert_eq!(f["events"], serde_json::json!(["MoveAccount"]));
        } else {
            // trail, log group, delivery role, metric filter, alarm, topic: all passed.
            let links = v["chains"][0]["links"].as_array().unwrap();
            assert_eq!(links.len(), 6);
            assert!(links.iter().all(|l| l["state"] == "passed"), "{links:?}");
        }
    }
    let (code, _, err) = orgwatch(&["scenarios", "from-terraform", "Cargo.toml"]);
    assert_eq!(code, 2);
    assert!(err.contains("Cargo.toml:1:"), "{err}");
    let _ = std::fs::remove_dir_all(&dir);
}

/// A scenario that pins its report: missing → fails naming `--accept`; `--accept` writes it; the same
/// report passes; a changed report fails with a unified diff and leaves the file alone; an unreadable
/// snapshot is a clear error naming it.
#[test]
fn report_snapshots_pin_what_was_shown() {
    let dir = tempfile::tempdir().expect("a temporary directory");
    let mut s: serde_json::Value = serde_json::from_str(
        &std::fs::read_to_string(concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/scenarios/subscription-pending.json"
        ))
        .expect("in the catalogue"),
    )
    .expect("JSON");
    s["expect"]["snapshot"] = "pins/report.txt".into();
    let file = dir.path().join("pinned.json");
    std::fs::write(&file, s.to_string()).expect("written");
    let file = file.to_str().expect("UTF-8 path");
    let pin = dir.path().join("pins/report.txt");

    let (code, out, err) = orgwatch(&["scenarios", "test", file]);
    assert_eq!(code, 1, "{out}{err}");
    assert!(
        out.contains("does not exist") && out.contains("--accept"),
        "{out}"
    );
    assert!(!pin.exists());

    let (code, out, err) = orgwatch(&["scenarios", "test", "--accept", file]);
    assert_eq!(code, 0, "{out}{err}");
    let written = std::fs::read_to_string(&pin).expect("--accept wrote the snapshot");
    assert!(written.starts_with("FAIL: "), "{written}");
    assert!(
        written.contains("[topic-no-confirmed-subscription]"),
        "{written}"
    );
    assert!(written.contains("organization o-<masked>"), "{written}");

    let (code, out, err) = orgwatch(&["scenarios", "test", file]);
    assert_eq!(code, 0, "the same report matches: {out}{err}");

    let edited = written.replace("[topic-no-confirmed-subscription]", "[topic-missing]");
    std::fs::write(&pin, &edited).expect("edited");
    let (code, out, _) = orgwatch(&["scenarios", "test", file]);
    assert_eq!(code, 1, "{out}");
    assert!(
        out.contains("differs from snapshot pins/report.txt"),
        "{out}"
    );
    assert!(out.contains("-- [topic-missing]"), "{out}");
    assert!(
        out.contains("+- [topic-no-confirmed-subscription]"),
        "{out}"
    );
    assert_eq!(
        std::fs::read_to_string(&pin).expect("kept"),
        edited,
        "without --accept the snapshot is not touched"
    );

    std::fs::remove_file(&pin).expect("removed");
    std::fs::create_dir(&pin).expect("a directory where the file should be");
    let (code, out, _) = orgwatch(&["scenarios", "test", file]);
    assert_eq!(code, 1, "{out}");
    assert!(
        out.contains("snapshot ") && out.contains("report.txt"),
        "{out}"
    );
}

/// `check --format` writes each format; several at once go to `--output-dir`, one file each, and several
/// without it are a usage error, before any work.
#[test]
fn check_writes_every_format() {
    let dir = tempfile::tempdir().expect("a temporary directory");
    let out_dir = dir.path().to_str().expect("UTF-8 path");
    let mut args = vec![
        "check",
        "--scenario",
        "scenarios/pattern-one-name-missing.json",
        "--output-dir",
        out_dir,
    ];
    for f in ["text", "json", "sarif", "ocsf", "asff", "junit", "html"] {
        args.extend(["--format", f]);
    }
    let (code, out, err) = orgwatch(&args);
    assert_eq!(code, 1, "FAIL's exit code, whatever the format: {out}{err}");
    let mut names: Vec<String> = std::fs::read_dir(dir.path())
        .expect("listed")
        .map(|e| e.expect("entry").file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    assert_eq!(
        names,
        [
            "orgwatch.asff.json",
            "orgwatch.html",
            "orgwatch.json",
            "orgwatch.junit.xml",
            "orgwatch.ocsf.json",
            "orgwatch.sarif",
            "orgwatch.txt"
        ]
    );
    let sarif: serde_json::Value = serde_json::from_str(
        &std::fs::read_to_string(dir.path().join("orgwatch.sarif")).expect("read"),
    )
    .expect("SARIF is JSON");
    assert_eq!(
        sarif["runs"][0]["results"][0]["ruleId"],
        "filter-incomplete"
    );

    let (code, _, err) = orgwatch(&[
        "check",
        "--scenario",
        "scenarios/pattern-one-name-missing.json",
        "--format",
        "sarif",
        "--format",
        "html",
    ]);
    assert_eq!(code, 2);
    assert!(err.contains("--output-dir"), "{err}");
    let (code, _, err) = orgwatch(&["check", "--format", "pdf"]);
    assert_eq!(code, 2);
    assert!(err.contains("one of text, json, sarif"), "{err}");
}
