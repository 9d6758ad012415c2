//! The README's reason table is the checker's vocabulary: every `Reason`, with its code, severity and
//! meaning, appears there exactly once and in the same order, and the table lists nothing else.

use orgwatch_checker::Reason;

#[test]
fn the_readme_reason_table_is_the_reason_enum() {
    let readme = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/../README.md"))
        .expect("README.md");
    let rows: Vec<(String, String, String)> = readme
        .lines()
        .filter_map(|l| {
            let cells: Vec<&str> = l
                .strip_prefix("| `")?
                .strip_suffix(" |")?
                .split(" | ")
                .collect();
            let [code, severity, meaning] = cells[..] else {
                return None;
            };
            let code = code.strip_suffix('`')?;
            matches!(severity, "failure" | "unknown" | "warning")
                .then(|| (code.to_string(), severity.to_string(), meaning.to_string()))
        })
        .collect();
    let want: Vec<(String, String, String)> = Reason::ALL
        .iter()
        .map(|r| {
            (
                r.code().to_string(),
                r.severity().as_str().to_string(),
                r.meaning().to_string(),
            )
        })
        .collect();
    assert_eq!(rows, want);
}
