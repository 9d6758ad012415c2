//! The arguments `check` and `drill` share: which account and region to read, and how to write the report
//! (in which formats, to standard output, one file, or one file per format in a directory).

use clap::Args;
use orgwatch_formats::{render, Format, Meta, Subject};
use std::path::PathBuf;
use std::process::ExitCode;

/// Where the checked account is reached from (with `--endpoint-url` or real AWS).
#[derive(Args)]
pub struct AccountArgs {
    #[arg(long)]
    pub region: Option<String>,
    /// A named profile from the AWS configuration files.
    #[arg(long)]
    pub profile: Option<String>,
}

/// How the report is written.
#[derive(Args)]
pub struct ReportArgs {
    /// text, json, sarif, ocsf, asff, junit or html; repeat it with --output-dir to write several.
    #[arg(long = "format", value_name = "FORMAT", default_value = "text", value_parser = parse_format)]
    pub formats: Vec<Format>,
    /// Write the report to FILE instead of standard output (one format).
    #[arg(long, value_name = "FILE", conflicts_with = "output_dir")]
    pub output: Option<PathBuf>,
    /// Write one file per format into DIR, each named `orgwatch.<extension>` (`orgwatch.sarif`,
    /// `orgwatch.junit.xml`...).
    #[arg(long, value_name = "DIR")]
    pub output_dir: Option<PathBuf>,
}

fn parse_format(s: &str) -> Result<Format, String> {
    Format::from_name(s).ok_or_else(|| {
        let names: Vec<&str> = Format::ALL.iter().map(|f| f.name()).collect();
        format!("unknown format {s:?}: one of {}", names.join(", "))
    })
}

impl ReportArgs {
    /// Refuses, before any work is done, a combination that cannot be written: several formats to one
    /// stream or file.
    pub fn check_usage(&self) -> Result<(), ExitCode> {
        if self.formats.len() > 1 && self.output_dir.is_none() {
            eprintln!(
                "orgwatch: --format given {} times: write several formats with --output-dir DIR (one file each)",
                self.formats.len()
            );
            return Err(ExitCode::from(2));
        }
        Ok(())
    }

    /// Renders the report in each format asked for and writes it where asked.
    pub fn write(&self, subject: &Subject<'_>) -> Result<(), ExitCode> {
        let meta = Meta::now(env!("CARGO_PKG_VERSION"));
        match &self.output_dir {
            Some(dir) => {
                std::fs::create_dir_all(dir).map_err(|e| {
                    eprintln!("orgwatch: cannot create {}: {e}", dir.display());
                    ExitCode::from(2)
                })?;
                let mut formats = self.formats.clone();
                formats.sort();
                formats.dedup();
                for f in formats {
                    let path = dir.join(format!("orgwatch.{}", f.extension()));
                    crate::pattern_cmd::deliver(Some(&path), &render(f, subject, &meta))?;
                }
                Ok(())
            }
            None => {
                let f = self.formats.first().copied().unwrap_or(Format::Text);
                crate::pattern_cmd::deliver(self.output.as_deref(), &render(f, subject, &meta))
            }
        }
    }
}

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
