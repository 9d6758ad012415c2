//! `--control` and `--benchmark`, shared by `check`, `drill`, `pattern analyze` and `scenarios record`:
//! which controls of the CIS monitoring family, in which benchmark version; an unknown id or version is a
//! usage error that lists the valid ones.

use clap::Args;
use std::process::ExitCode;

/// Which controls of the CIS monitoring family to judge (`check`), and in which benchmark version.
#[derive(Args)]
pub struct ControlArgs {
    /// Judge controls of the CIS monitoring family from one inventory: `all`, or ids separated by commas,
    /// each a slug (`root-account-usage`), a CIS number in the benchmark version (`4.3`) or a Security
    /// Hub id (`CloudWatch.1`). Without it, the AWS Organizations changes control, as always.
    #[arg(long, value_name = "all|ID[,ID...]")]
    pub control: Option<String>,
    /// The benchmark version whose numbers and reference filters apply: v1.2, v1.3, v1.4, v1.5, v2.0,
    /// v3.0, v4.0, v5.0 or v6.0 (the default).
    #[arg(long, value_name = "VERSION", requires = "control")]
    pub benchmark: Option<String>,
}

/// The controls asked for and the version, or `None` when `--control` was not given.
pub type Family = Option<(
    Vec<&'static orgwatch_pattern::family::Control>,
    orgwatch_pattern::family::Benchmark,
)>;

impl ControlArgs {
    /// Resolves the ids; an unknown one (or version) is a usage error that lists the valid ones.
    pub fn resolve(&self) -> Result<Family, ExitCode> {
        use orgwatch_pattern::family::{Benchmark, Control, CONTROLS};
        let Some(ids) = &self.control else {
            return Ok(None);
        };
        let b = match &self.benchmark {
            None => Benchmark::LATEST,
            Some(v) => Benchmark::parse(v).ok_or_else(|| {
                let valid: Vec<&str> = Benchmark::ALL.iter().map(|b| b.as_str()).collect();
                eprintln!(
                    "orgwatch: unknown benchmark version {v:?}: one of {}",
                    valid.join(", ")
                );
                ExitCode::from(2)
            })?,
        };
        let in_version = |c: &&Control| c.cis_id(b).is_some();
        let mut out: Vec<&'static Control> = Vec::new();
        let mut unknown = Vec::new();
        for id in ids.split(',').map(str::trim).filter(|s| !s.is_empty()) {
            if id.eq_ignore_ascii_case("all") {
                out.extend(CONTROLS.iter().filter(in_version));
                continue;
            }
            match Control::find(id, b) {
                Some(c) if c.cis_id(b).is_some() => out.push(c),
                Some(c) => {
                    eprintln!(
                        "orgwatch: {} is not a control of {} (it first appears in v1.3 as 4.{})",
                        c.slug,
                        b.title(),
                        c.ordinal
                    );
                    return Err(ExitCode::from(2));
                }
                None => unknown.push(id),
            }
        }
        if !unknown.is_empty() || out.is_empty() {
            let valid: Vec<String> = CONTROLS
                .iter()
                .filter(in_version)
                .map(|c| {
                    format!(
                        "  {:<6} {:<14} {}",
                        c.cis_id(b).unwrap_or_default(),
                        c.securityhub.unwrap_or("-"),
                        c.slug
                    )
                })
                .collect();
            eprintln!(
                "orgwatch: unknown control {}: `all`, or ids of {} (CIS number, Security Hub id or slug):\n{}",
                if unknown.is_empty() { "(none given)".to_string() } else { unknown.join(", ") },
                b.title(),
                valid.join("\n")
            );
            return Err(ExitCode::from(2));
        }
        let mut seen = std::collections::HashSet::new();
        out.retain(|c| seen.insert(c.slug));
        out.sort_by_key(|c| c.ordinal);
        Ok(Some((out, b)))
    }
}
