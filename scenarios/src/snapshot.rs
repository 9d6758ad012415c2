//! Report snapshots: a scenario may pin the exact text report a check prints (`"snapshot": "FILE"` under
//! `expect`, at top level or in a step), the way an auditor files what was shown. Values that change from
//! run to run (organization ids, subscription ids, times, local ports) are masked before comparing, so a
//! snapshot changes only when the report's content does; a change fails with a unified diff, and
//! `--accept` writes the new report instead.

use crate::format::Scenario;
use crate::options::Options;
use orgwatch_checker::Report;
use regex::Regex;
use std::path::Path;
use std::sync::OnceLock;

/// The volatile values of a report and what each becomes. Masking is presentation only: verdicts are
/// never read back from text.
fn masks() -> &'static [(Regex, &'static str)] {
    static MASKS: OnceLock<Vec<(Regex, &'static str)>> = OnceLock::new();
    MASKS.get_or_init(|| {
        [
            // Organization ids are made at random when an organization is created.
            (r"\bo-[a-z0-9]{10,32}\b", "o-<masked>"),
            // Subscription ids, request and message ids.
            (
                r"\b[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}\b",
                "<uuid>",
            ),
            // Times, to the second or finer.
            (
                r"\b\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})?",
                "<time>",
            ),
            // The embedded emulator's port.
            (r"(127\.0\.0\.1|localhost):\d+", "$1:<port>"),
        ]
        .into_iter()
        .filter_map(|(re, with)| Regex::new(re).ok().map(|r| (r, with)))
        .collect()
    })
}

/// The report with its volatile values masked.
pub fn mask(text: &str) -> String {
    masks().iter().fold(text.to_string(), |t, (re, with)| {
        re.replace_all(&t, *with).into_owned()
    })
}

/// What a comparison found.
#[derive(Debug, PartialEq, Eq)]
pub enum Compared {
    Same,
    /// `--accept` wrote (or rewrote) the file.
    Written,
    /// The report differs: a unified diff from the file to the report.
    Changed(String),
}

/// Compares a report with the snapshot at `path` (masked first); with `accept`, writes it instead when
/// it differs or is missing. An unreadable snapshot is an error that names the file.
pub fn compare(path: &Path, report: &str, accept: bool) -> Result<Compared, String> {
    let actual = mask(report);
    let expected = match std::fs::read(path) {
        Ok(bytes) => Some(
            String::from_utf8(bytes)
                .map_err(|_| format!("snapshot {}: not UTF-8 text", path.display()))?,
        ),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => None,
        Err(e) => return Err(format!("snapshot {}: {e}", path.display())),
    };
    if expected.as_deref() == Some(actual.as_str()) {
        return Ok(Compared::Same);
    }
    if accept {
        if let Some(dir) = path.parent() {
            std::fs::create_dir_all(dir).map_err(|e| format!("snapshot {}: {e}", dir.display()))?;
        }
        std::fs::write(path, &actual).map_err(|e| format!("snapshot {}: {e}", path.display()))?;
        return Ok(Compared::Written);
    }
    match expected {
        None => Err(format!(
            "snapshot {} does not exist: run `orgwatch scenarios test --accept` to write it",
            path.display()
        )),
        Some(expected) => Ok(Compared::Changed(
            similar::TextDiff::from_lines(&expected, &actual)
                .unified_diff()
                .context_radius(2)
                .header(&path.display().to_string(), "this run")
                .to_string(),
        )),
    }
}

/// Compares a text report with a scenario's snapshot file (relative to the scenario); the unmet
/// expectation, if any. Errors (an unreadable file) are unmet expectations too, with the file named.
pub fn check(s: &Scenario, file: &str, report: &Report, opts: &Options) -> Option<String> {
    let path = s.base.join(file);
    match compare(&path, &report.to_text(None), opts.accept) {
        Ok(Compared::Same | Compared::Written) => None,
        Ok(Compared::Changed(diff)) => {
            Some(format!("the report differs from snapshot {file}:\n{diff}"))
        }
        Err(e) => Some(e),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn masks_what_changes_between_runs_and_nothing_else() {
        let text = "account 123456789012 in us-east-1; the management account of organization o-3792be1fdb0ac\n\
                    subscription arn:aws:sns:us-east-1:123456789012:t:0b1f2e3d-0000-4000-8000-000000000002\n\
                    at 2026-01-01T00:05:00Z via http://127.0.0.1:41233\n";
        assert_eq!(
            mask(text),
            "account 123456789012 in us-east-1; the management account of organization o-<masked>\n\
             subscription arn:aws:sns:us-east-1:123456789012:t:<uuid>\n\
             at <time> via http://127.0.0.1:<port>\n"
        );
    }

    #[test]
    fn a_change_is_a_diff_accept_rewrites_and_an_unreadable_file_is_an_error() {
        let dir = tempfile::tempdir().expect("a temporary directory");
        let path = dir.path().join("pins/report.txt");
        assert!(compare(&path, "PASS\n", false)
            .expect_err("missing")
            .contains("--accept"));
        assert_eq!(compare(&path, "PASS\n", true), Ok(Compared::Written));
        assert_eq!(compare(&path, "PASS\n", false), Ok(Compared::Same));
        match compare(&path, "FAIL\n", false) {
            Ok(Compared::Changed(diff)) => {
                assert!(diff.contains("-PASS\n+FAIL\n"), "{diff}");
                assert!(diff.contains("report.txt"), "{diff}");
            }
            other => panic!("expected a diff, got {other:?}"),
        }
        assert_eq!(
            std::fs::read_to_string(&path).expect("kept"),
            "PASS\n",
            "without --accept the file is not touched"
        );
        assert_eq!(compare(&path, "FAIL\n", true), Ok(Compared::Written));
        assert_eq!(std::fs::read_to_string(&path).expect("rewritten"), "FAIL\n");
        std::fs::write(&path, [0xff, 0xfe, 0x00]).expect("written");
        let e = compare(&path, "FAIL\n", false).expect_err("not text");
        assert!(e.contains("report.txt") && e.contains("UTF-8"), "{e}");
        let e = compare(dir.path(), "FAIL\n", false).expect_err("a directory");
        assert!(e.starts_with("snapshot "), "{e}");
    }
}
