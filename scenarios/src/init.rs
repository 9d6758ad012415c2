//! The init folder: every scenario file in a folder applied, in name order, to a running emulator before
//! it says it is ready, so that a CI service container starts already holding the configuration under
//! test. Only a scenario's `given` is applied (its steps and expectations are for `scenarios test`);
//! the emulator's clock keeps running in real time.
//!
//! Applying is idempotent, as scenario steps are: a container restarted on its state volume applies the
//! same folder again over what it kept, and existing log groups, topics and trails are kept or updated.

use std::path::{Path, PathBuf};

/// Every scenario file in `dir`, in name order (the catalogue's rule: `*.json` but a schema).
pub fn files(dir: &Path) -> Result<Vec<PathBuf>, String> {
    // `discover` passes over what it cannot list (and takes a file for itself); here a missing,
    // unreadable or non-folder path is an error worth stopping for.
    std::fs::read_dir(dir).map_err(|e| format!("{}: {e}", dir.display()))?;
    Ok(crate::files::discover(&[dir.to_path_buf()]))
}

/// Reads every scenario file of `dir` first (so a broken file applies nothing), then applies each to
/// the emulator at `endpoint`; returns their names in the order applied. The error names the file, and
/// for a file that is not valid its line, column and reason.
pub async fn apply_dir(endpoint: &str, dir: &Path) -> Result<Vec<String>, String> {
    let mut scenarios = Vec::new();
    for path in files(dir)? {
        scenarios.push((path.clone(), crate::files::load(&path)?));
    }
    let mut applied = Vec::new();
    for (path, s) in scenarios {
        crate::apply::apply(endpoint, &s)
            .await
            .map_err(|e| format!("{}: applying scenario {}: {e:#}", path.display(), s.name))?;
        applied.push(s.name);
    }
    Ok(applied)
}
