//! Every catalogue scenario's text and JSON report, pinned with insta (`orgwatch check --scenario`).

use std::process::Command;

fn report(file: &str, format: &str) -> String {
    let out = Command::new(env!("CARGO_BIN_EXE_orgwatch"))
        .args(["check", "--scenario", file, "--format", format])
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .output()
        .expect("orgwatch runs");
    mask_random_ids(&String::from_utf8_lossy(&out.stdout))
}

/// The emulator makes KMS key ids and subscription ids at random (UUIDs): `key/<uuid>` becomes
/// `key/<key-id>`, and a subscription ARN's `<topic ARN>:<uuid>` becomes `<topic ARN>:<id>` (nothing else
/// in a report varies; the witnesses' fixed event ids stay).
fn mask_random_ids(text: &str) -> String {
    fn is_uuid(s: &[u8]) -> bool {
        s.len() >= 36
            && s[..36].iter().enumerate().all(|(i, c)| match i {
                8 | 13 | 18 | 23 => *c == b'-',
                _ => c.is_ascii_hexdigit(),
            })
    }
    let bytes = text.as_bytes();
    let mut out = String::with_capacity(text.len());
    let (mut i, mut kept) = (0, 0);
    while i < bytes.len() {
        let mask = match &bytes[..i] {
            t if t.ends_with(b"key/") => Some("<key-id>"),
            t if t.ends_with(b":") => Some("<id>"),
            _ => None,
        };
        if let Some(mask) = mask.filter(|_| is_uuid(&bytes[i..])) {
            out.push_str(&text[kept..i]);
            out.push_str(mask);
            i += 36;
            kept = i;
        } else {
            i += 1;
        }
    }
    out.push_str(&text[kept..]);
    out
}

#[test]
fn scenario_reports() {
    let mut files: Vec<String> =
        std::fs::read_dir(concat!(env!("CARGO_MANIFEST_DIR"), "/scenarios"))
            .unwrap()
            .filter_map(|e| e.ok())
            .map(|e| e.path())
            .filter(|p| p.extension().is_some_and(|x| x == "json") && !p.ends_with("schema.json"))
            .map(|p| format!("scenarios/{}", p.file_name().unwrap().to_string_lossy()))
            .collect();
    files.sort();
    assert!(files.len() >= 25);
    for f in files {
        let name = f
            .trim_start_matches("scenarios/")
            .trim_end_matches(".json")
            .to_string();
        insta::assert_snapshot!(format!("{name}.text"), report(&f, "text"));
        let json: serde_json::Value =
            serde_json::from_str(&report(&f, "json")).expect("a JSON report");
        insta::assert_json_snapshot!(format!("{name}.json"), json);
    }
}
