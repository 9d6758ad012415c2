//! Scenarios: a configuration plus the verdict the checker must reach, run against a fresh embedded
//! emulator. [`format`] (the file format and its `file:line:col` errors), [`apply`] (the configuration,
//! through the AWS APIs), [`steps`] (what happens after, and what must hold), [`record`] (a scenario from
//! a live account's inventory), [`terraform`] (a scenario from `terraform show -json`), [`runner`] (behind
//! `orgwatch check --scenario` and `orgwatch scenarios test`, and `boot_catalogue`: an emulator holding a
//! catalogue scenario in one call), and here loading and finding scenario files. The command line only
//! parses arguments and prints.
//!
//! Everything but [`format`] and loading sits behind the default `harness` feature (the emulator's SDK
//! clients, the checker, Terraform): the scenario-loader fuzz target builds without them.

#[cfg(feature = "harness")]
pub mod access;
#[cfg(feature = "harness")]
pub mod apply;
#[cfg(feature = "harness")]
pub mod destinations;
pub mod format;
#[cfg(feature = "harness")]
pub mod init;
#[cfg(feature = "harness")]
pub mod options;
#[cfg(feature = "harness")]
pub mod record;
#[cfg(feature = "harness")]
pub mod runner;
#[cfg(feature = "harness")]
pub mod sdk;
#[cfg(feature = "harness")]
pub mod snapshot;
#[cfg(feature = "harness")]
pub mod steps;
#[cfg(feature = "harness")]
pub mod terraform;
#[cfg(feature = "harness")]
pub mod tfconfig;
#[cfg(feature = "harness")]
pub mod tfrun;
#[cfg(feature = "harness")]
pub mod tfsteps;

#[cfg(feature = "harness")]
pub use options::Options;
#[cfg(feature = "harness")]
pub use runner::*;

use format::Scenario;
use std::path::{Path, PathBuf};

/// Reads and validates a scenario file.
pub fn load(path: &Path) -> Result<Scenario, String> {
    let text = std::fs::read_to_string(path).map_err(|e| format!("{}: {e}", path.display()))?;
    let mut s = format::parse(&path.display().to_string(), &text)?;
    s.base = path.parent().map(Path::to_path_buf).unwrap_or_default();
    Ok(s)
}

/// The catalogue: the scenario files beside this crate (`scenarios/*.json`), for tests and benches of
/// this workspace.
pub fn catalogue_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// Reads a catalogue scenario by name (`compliant-as-the-control-prints-it`).
pub fn catalogue(name: &str) -> anyhow::Result<Scenario> {
    load(&catalogue_dir().join(format!("{name}.json"))).map_err(anyhow::Error::msg)
}

/// Every `*.json` scenario under the given paths (files or folders), except the schema.
pub fn discover(paths: &[PathBuf]) -> Vec<PathBuf> {
    let mut out = Vec::new();
    for p in paths {
        if p.is_dir() {
            if let Ok(entries) = std::fs::read_dir(p) {
                let mut found: Vec<PathBuf> = entries
                    .filter_map(|e| e.ok())
                    .map(|e| e.path())
                    .filter(|f| {
                        f.extension().is_some_and(|x| x == "json") && !f.ends_with("schema.json")
                    })
                    .collect();
                found.sort();
                out.extend(found);
            }
        } else {
            out.push(p.clone());
        }
    }
    out
}
