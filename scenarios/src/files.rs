//! Scenario files: one read and validated ([`load`]), the catalogue beside this crate ([`catalogue`]),
//! and every scenario file under some paths ([`discover`]).

use crate::format::{self, Scenario};
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
