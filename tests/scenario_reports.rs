//! Every catalogue scenario's text and JSON report, pinned with insta (`orgwatch check --scenario`).

use std::process::Command;

fn report(file: &str, format: &str) -> String {
    let out = Command::new(env!("CARGO_BIN_EXE_orgwatch"))
        .args(["check", "--scenario", file, "--format", format])
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .output()
        .expect("orgwatch runs");
    mask_key_ids(&String::from_utf8_lossy(&out.stdout))
}

/// KMS makes key ids at random: `key/<uuid>` becomes `key/<key-id>` (nothing else in a report varies).
fn mask_key_ids(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(i) = rest.find("key/") {
        let (head, tail) = rest.split_at(i + 4);
        out.push_str(head);
        let id_len = tail
            .char_indices()
            .take_while(|(_, c)| c.is_ascii_hexdigit() || *c == '-')
            .count();
        if id_len == 36 {
            out.push_str("<key-id>");
            rest = &tail[36..];
        } else {
            rest = tail;
        }
    }
    out.push_str(rest);
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
