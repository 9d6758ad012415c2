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
